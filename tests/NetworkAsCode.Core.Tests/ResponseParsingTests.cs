using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>SessionInfo as the platform sends it (reference §2.3, §7): read leniently, timestamps in either format.</summary>
    public class ResponseParsingTests
    {
        private static async Task<QodSession> Get(string body)
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, body);
            return await h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None);
        }

        [Fact]
        public async Task An_available_session_is_read_completely()
        {
            var s = await Get(Bodies.AvailableSession);
            Assert.Equal(Bodies.SessionId, s.SessionId);
            Assert.Equal(Bodies.SessionId, s.Id);
            Assert.Equal("DOWNLINK_L_UPLINK_L", s.Profile);
            Assert.Equal("AVAILABLE", s.Status);
            Assert.Equal(3600, s.Duration);
            Assert.Equal(new DateTimeOffset(2024, 6, 18, 8, 48, 12, TimeSpan.Zero).AddTicks(3003120), s.StartedAt);
            Assert.Equal(new DateTimeOffset(2024, 6, 18, 9, 48, 12, TimeSpan.Zero).AddTicks(3003120), s.ExpiresAt);
            Assert.Equal(TimeSpan.Zero, s.StartedAt!.Value.Offset);
            Assert.Equal("233.252.0.2", s.ServiceIpv4);
            Assert.Equal("2001:db8:1234:5678:9abc:def0:fedc:ba98", s.ServiceIpv6);
            Assert.Null(s.StatusInfo);
            Assert.Null(s.NotificationUrl);
            Assert.Null(s.DevicePorts);
            Assert.Null(s.ServicePorts);
            Assert.Equal(Bodies.SessionId, s.ToString());
        }

        [Theory]
        [InlineData("\"2024-06-18T08:48:12Z\"", "2024-06-18T08:48:12.0000000+00:00")]
        [InlineData("\"2024-06-18T08:48:12.213Z\"", "2024-06-18T08:48:12.2130000+00:00")]
        [InlineData("\"2024-06-18T08:48:12.300312Z\"", "2024-06-18T08:48:12.3003120+00:00")]
        [InlineData("\"2024-06-18T10:48:12+02:00\"", "2024-06-18T10:48:12.0000000+02:00")]
        [InlineData("\"2024-06-18T03:18:12.5-05:30\"", "2024-06-18T03:18:12.5000000-05:30")]
        [InlineData("1639479600", "2021-12-14T11:00:00.0000000+00:00")]
        [InlineData("1691671102", "2023-08-10T12:38:22.0000000+00:00")]
        public async Task Timestamps_are_read_as_rfc3339_or_epoch_seconds(string json, string expected)
        {
            var s = await Get(Bodies.Session("\"startedAt\":" + json + ",\"expiresAt\":" + json));
            var want = DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(want, s.StartedAt);
            Assert.Equal(want.Offset, s.StartedAt!.Value.Offset);
            Assert.Equal(want, s.ExpiresAt);
        }

        [Fact]
        public async Task Offset_timestamps_keep_the_instant()
        {
            var s = await Get(Bodies.Session("\"startedAt\":\"2024-06-18T10:48:12+02:00\""));
            Assert.Equal(new DateTimeOffset(2024, 6, 18, 8, 48, 12, TimeSpan.Zero).UtcDateTime, s.StartedAt!.Value.UtcDateTime);
        }

        [Theory]
        [InlineData("null")]
        [InlineData("0")]
        [InlineData("\"\"")]
        public async Task Null_zero_and_empty_timestamps_are_null(string json)
        {
            var s = await Get(Bodies.Session("\"startedAt\":" + json + ",\"expiresAt\":" + json));
            Assert.Null(s.StartedAt);
            Assert.Null(s.ExpiresAt);
        }

        [Fact]
        public async Task A_requested_session_has_no_timestamps()
        {
            var s = await Get(Bodies.RequestedSession);
            Assert.Equal("REQUESTED", s.Status);
            Assert.Null(s.StartedAt);
            Assert.Null(s.ExpiresAt);
            Assert.Equal(3600, s.Duration);
        }

        /// <summary>
        /// An epoch value the calendar cannot hold is a bad answer: it must be either ignored or reported as a
        /// protocol error, never escape as a raw ArgumentOutOfRangeException.
        /// </summary>
        [Theory]
        [InlineData("99999999999999999")]
        [InlineData("\"99999999999999999\"")]
        public async Task An_out_of_range_epoch_does_not_crash_the_reader(string json)
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, Bodies.Session("\"expiresAt\":" + json));
            QodSession? s = null;
            try
            {
                s = await h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None);
            }
            catch (NacProtocolException)
            {
                return;
            }
            Assert.Null(s.ExpiresAt);
        }

        [Fact]
        public async Task An_unknown_status_is_kept_as_sent()
        {
            var s = await Get(Bodies.Session("", status: "BLA"));
            Assert.Equal("BLA", s.Status);
        }

        [Theory]
        [InlineData("DURATION_EXPIRED")]
        [InlineData("NETWORK_TERMINATED")]
        [InlineData("DELETE_REQUESTED")]
        public async Task StatusInfo_is_surfaced(string info)
        {
            var s = await Get(Bodies.Session("\"statusInfo\":\"" + info + "\"", status: "UNAVAILABLE"));
            Assert.Equal("UNAVAILABLE", s.Status);
            Assert.Equal(info, s.StatusInfo);
        }

        [Fact]
        public async Task Absent_device_and_application_server_are_fine()
        {
            var s = await Get(Bodies.Session("\"duration\":60"));
            Assert.Null(s.Device);
            Assert.Null(s.ServiceIpv4);
            Assert.Null(s.ServiceIpv6);
            Assert.Equal(60, s.Duration);
        }

        [Fact]
        public async Task Get_builds_the_device_from_the_response()
        {
            var s = await Get(Bodies.Session("\"device\":{\"ipv4Address\":{\"publicAddress\":\"233.252.0.2\",\"publicPort\":80}}"));
            Assert.NotNull(s.Device);
            Assert.Null(s.Device!.PhoneNumber);
            Assert.Null(s.Device.NetworkAccessIdentifier);
            Assert.Null(s.Device.Ipv6Address);
            Assert.Equal("233.252.0.2", s.Device.Ipv4Address!.PublicAddress);
            Assert.Null(s.Device.Ipv4Address.PrivateAddress);
            Assert.Equal(80, s.Device.Ipv4Address.PublicPort);
        }

        [Theory]
        [InlineData("{\"phoneNumber\":\"+36721601234567\"}", "+36721601234567")]
        [InlineData("{\"networkAccessIdentifier\":\"user@example.com\"}", "user@example.com")]
        [InlineData("{\"ipv6Address\":\"2001:db8::1\"}", "2001:db8::1")]
        public async Task Get_reads_a_device_with_one_identifier(string device, string label)
        {
            var s = await Get(Bodies.Session("\"device\":" + device));
            Assert.Equal(label, s.Device!.ToString());
        }

        [Fact]
        public async Task An_empty_device_object_is_no_device()
        {
            var s = await Get(Bodies.Session("\"device\":{}"));
            Assert.Null(s.Device);
        }

        [Fact]
        public async Task Create_keeps_the_callers_device_object()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.Created, Bodies.RequestedSession); // echoes the phone number only
            var device = Fixtures.SeedDevice();
            var s = await h.Client.CreateSessionAsync(new QodSessionRequest(device, "DOWNLINK_L_UPLINK_L", 3600) { ServiceIpv4 = Fixtures.PublicIpv4 }, CancellationToken.None);
            Assert.Same(device, s.Device);
            Assert.Equal(Fixtures.DeviceIpv6, s.Device!.Ipv6Address);
        }

        [Fact]
        public async Task List_keeps_the_callers_device_object_on_each_session()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, "[" + Bodies.AvailableSession + "," + Bodies.Session("", "REQUESTED", "second-id") + "]");
            var device = Fixtures.SeedDevice();
            var list = await h.Client.GetSessionsAsync(device, CancellationToken.None);
            Assert.Equal(new[] { Bodies.SessionId, "second-id" }, list.Select(s => s.SessionId).ToArray());
            Assert.All(list, s => Assert.Same(device, s.Device));
        }

        [Fact]
        public async Task Ports_are_read_back()
        {
            var s = await Get(Bodies.Session(
                "\"devicePorts\":{\"ports\":[1600,2000]},\"applicationServerPorts\":{\"ranges\":[{\"from\":80,\"to\":443}],\"ports\":[8080]}"));
            Assert.Equal(new[] { 1600, 2000 }, s.DevicePorts!.Ports);
            Assert.Empty(s.DevicePorts.Ranges);
            Assert.Equal(new[] { new PortRange(80, 443) }, s.ServicePorts!.Ranges);
            Assert.Equal(new[] { 8080 }, s.ServicePorts.Ports);
            Assert.Equal("8080, 80-443", s.ServicePorts.ToString());
        }

        [Fact]
        public async Task Sink_becomes_NotificationUrl()
        {
            var s = await Get(Bodies.Session("\"sink\":\"https://example.com/notifications\",\"sinkCredential\":{\"credentialType\":\"ACCESSTOKEN\"}"));
            Assert.Equal("https://example.com/notifications", s.NotificationUrl);
        }

        [Fact]
        public async Task The_v0_webhook_also_becomes_NotificationUrl()
        {
            var s = await Get(Bodies.Session("\"webhook\":{\"notificationUrl\":\"https://example.com/v0\"}"));
            Assert.Equal("https://example.com/v0", s.NotificationUrl);
        }

        [Fact]
        public async Task The_older_id_property_is_accepted()
        {
            var s = await Get("{\"id\":\"legacy-1\",\"qosProfile\":\"QOS_L\",\"qosStatus\":\"AVAILABLE\"}");
            Assert.Equal("legacy-1", s.SessionId);
        }

        [Fact]
        public async Task Extend_returns_the_whole_session_from_the_answer()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, Bodies.Session("\"duration\":3900,\"expiresAt\":\"2024-06-18T09:53:12Z\",\"device\":{\"phoneNumber\":\"+36721601234567\"}"));
            var s = await h.Client.ExtendSessionAsync(Bodies.SessionId, 300, CancellationToken.None);
            Assert.Equal(3900, s.Duration);
            Assert.Equal(new DateTimeOffset(2024, 6, 18, 9, 53, 12, TimeSpan.Zero), s.ExpiresAt);
            Assert.Equal("+36721601234567", s.Device!.PhoneNumber);
        }

        [Theory]
        [InlineData("<html><body>Bad gateway</body></html>", "text/html")]
        [InlineData("", "application/json")]
        [InlineData("{\"foo\":1}", "application/json")]
        [InlineData("[]", "application/json")]
        [InlineData("null", "application/json")]
        [InlineData("\"3fa85f64\"", "application/json")]
        [InlineData("{\"sessionId\":\"\"}", "application/json")]
        [InlineData("{\"sessionId\":42}", "application/json")]
        [InlineData("{\"sessionId\":\"abc\"", "application/json")]
        public async Task A_2xx_that_is_not_a_session_is_a_protocol_error(string body, string mediaType)
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, body, mediaType);
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal("GET " + Harness.QodRoot + "/sessions/" + Bodies.SessionId, e.Request);
            Assert.Contains(e.Request, e.Message);
            Assert.Equal(h.Single().Header("x-correlator"), e.Correlator);
        }

        [Theory]
        [InlineData("{\"sessions\":[]}")]
        [InlineData("not json")]
        [InlineData("[{\"qosStatus\":\"AVAILABLE\"}]")]
        [InlineData("[42]")]
        public async Task A_list_answer_that_is_not_a_list_of_sessions_is_a_protocol_error(string body)
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, body);
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.GetSessionsAsync(Device.Create(phoneNumber: Fixtures.Phone), CancellationToken.None));
            Assert.Equal("POST " + Harness.QodRoot + "/retrieve-sessions", e.Request);
        }

        [Fact]
        public async Task A_create_answered_with_a_non_session_is_a_protocol_error()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.Created, "{\"status\":\"ok\"}");
            var request = new QodSessionRequest(Device.Create(phoneNumber: Fixtures.Phone), "QOS_L", 60) { ServiceIpv4 = Fixtures.PublicIpv4 };
            await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.CreateSessionAsync(request, CancellationToken.None));
        }

        [Fact]
        public async Task Delete_accepts_204_without_a_body_and_200_with_one()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.NoContent, null);
            await h.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None);
            using var h2 = new Harness();
            h2.Reply(HttpStatusCode.OK, Bodies.AvailableSession);
            await h2.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None);
            Assert.Equal("DELETE", h.Single().Method.Method);
            Assert.Equal("DELETE", h2.Single().Method.Method);
        }
    }
}
