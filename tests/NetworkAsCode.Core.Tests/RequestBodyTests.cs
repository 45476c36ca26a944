using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>The exact JSON the core sends (reference §2.2, §3): compared structurally, property order ignored.</summary>
    public class RequestBodyTests
    {
        private static QodSessionRequest SeedRequest() => new QodSessionRequest(Fixtures.SeedDevice(), "DOWNLINK_L_UPLINK_L", 3600)
        {
            ServiceIpv4 = Fixtures.PublicIpv4,
            ServiceIpv6 = "2001:db8::1",
        };

        private static async Task<CapturedRequest> SendCreate(QodSessionRequest request)
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.Created, Bodies.RequestedSession);
            await h.Client.CreateSessionAsync(request, CancellationToken.None);
            return h.Single();
        }

        [Fact]
        public async Task Create_with_the_full_seed_device_sends_the_sdk_body()
        {
            var sent = await SendCreate(SeedRequest());
            Json.Equal(@"{
  ""qosProfile"": ""DOWNLINK_L_UPLINK_L"",
  ""device"": " + Fixtures.SeedDeviceJson + @",
  ""applicationServer"": { ""ipv4Address"": ""233.252.0.2"", ""ipv6Address"": ""2001:db8::1"" },
  ""duration"": 3600
}", sent.Body);
        }

        [Fact]
        public async Task Create_with_port_ranges_and_port_lists_uses_from_and_to()
        {
            var request = SeedRequest();
            request.ServicePorts = new PortsSpec(null, new[] { new PortRange("80-443") });
            request.DevicePorts = new PortsSpec(new[] { 1600, 2000 }, null);
            var sent = await SendCreate(request);
            Json.Equal(@"{
  ""qosProfile"": ""DOWNLINK_L_UPLINK_L"",
  ""device"": " + Fixtures.SeedDeviceJson + @",
  ""applicationServer"": { ""ipv4Address"": ""233.252.0.2"", ""ipv6Address"": ""2001:db8::1"" },
  ""duration"": 3600,
  ""applicationServerPorts"": { ""ranges"": [ { ""from"": 80, ""to"": 443 } ] },
  ""devicePorts"": { ""ports"": [ 1600, 2000 ] }
}", sent.Body);
        }

        [Fact]
        public async Task Create_with_ports_and_ranges_on_one_side_sends_both_lists()
        {
            var request = SeedRequest();
            request.ServicePorts = new PortsSpec(new[] { 8080 }, new[] { new PortRange(5000, 5010), new PortRange("9000") });
            var sent = await SendCreate(request);
            var body = Json.Object(sent.Body);
            Json.Equal(@"{ ""ports"": [8080], ""ranges"": [ {""from"":5000,""to"":5010}, {""from"":9000,""to"":9000} ] }",
                body["applicationServerPorts"]!.ToJsonString());
            Assert.False(body.ContainsKey("devicePorts"));
        }

        [Fact]
        public async Task Empty_port_specs_are_omitted()
        {
            var request = SeedRequest();
            request.ServicePorts = new PortsSpec(Array.Empty<int>(), Array.Empty<PortRange>());
            request.DevicePorts = PortsSpec.From("DevicePort", null, null);
            var body = Json.Object((await SendCreate(request)).Body);
            Assert.False(body.ContainsKey("applicationServerPorts"));
            Assert.False(body.ContainsKey("devicePorts"));
        }

        [Fact]
        public async Task Ipv6_only_application_server_has_no_ipv4Address_key()
        {
            var request = new QodSessionRequest(Device.Create(phoneNumber: Fixtures.Phone), "QOS_E", 60) { ServiceIpv6 = "2001:db8::/64" };
            var sent = await SendCreate(request);
            Assert.DoesNotContain("ipv4Address\":null", sent.Body!.Replace(" ", ""));
            Json.Equal(@"{
  ""qosProfile"": ""QOS_E"",
  ""device"": { ""phoneNumber"": ""+36721601234567"" },
  ""applicationServer"": { ""ipv6Address"": ""2001:db8::/64"" },
  ""duration"": 60
}", sent.Body);
        }

        [Fact]
        public async Task Ipv4_only_application_server_with_a_subnet_has_no_ipv6Address_key()
        {
            var request = new QodSessionRequest(Device.Create(phoneNumber: Fixtures.Phone), "QOS_E", 60) { ServiceIpv4 = "198.51.100.0/24" };
            var body = Json.Object((await SendCreate(request)).Body);
            Json.Equal(@"{ ""ipv4Address"": ""198.51.100.0/24"" }", body["applicationServer"]!.ToJsonString());
        }

        [Fact]
        public async Task Device_with_only_a_public_ipv4_gets_the_private_address_copied()
        {
            var request = new QodSessionRequest(Device.Create(ipv4PublicAddress: Fixtures.PublicIpv4), "QOS_L", 600) { ServiceIpv4 = "198.51.100.7" };
            var body = Json.Object((await SendCreate(request)).Body);
            Json.Equal(@"{ ""ipv4Address"": { ""publicAddress"": ""233.252.0.2"", ""privateAddress"": ""233.252.0.2"" } }",
                body["device"]!.ToJsonString());
        }

        [Fact]
        public async Task Device_with_public_address_and_port_but_no_private_is_kept_as_is()
        {
            var request = new QodSessionRequest(Device.Create(ipv4PublicAddress: Fixtures.PublicIpv4, ipv4PublicPort: 59765), "QOS_L", 600) { ServiceIpv4 = "198.51.100.7" };
            var body = Json.Object((await SendCreate(request)).Body);
            Json.Equal(@"{ ""ipv4Address"": { ""publicAddress"": ""233.252.0.2"", ""publicPort"": 59765 } }",
                body["device"]!.ToJsonString());
        }

        [Fact]
        public async Task Device_with_a_network_access_identifier_only()
        {
            var request = new QodSessionRequest(Device.Create(networkAccessIdentifier: "testuser@open5glab.net"), "QOS_L", 600) { ServiceIpv4 = "198.51.100.7" };
            var body = Json.Object((await SendCreate(request)).Body);
            Json.Equal(@"{ ""networkAccessIdentifier"": ""testuser@open5glab.net"" }", body["device"]!.ToJsonString());
        }

        private static readonly Regex Rfc3339Utc = new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$");

        [Fact]
        public async Task Sink_with_token_sends_sinkCredential_expiring_at_the_expected_end_by_default()
        {
            var request = SeedRequest();
            request.NotificationUrl = "https://example.com/notifications";
            request.NotificationAuthToken = Harness.Secure("c8974e592c2fa383d4a3960714");
            DateTimeOffset before = DateTimeOffset.UtcNow;
            var sent = await SendCreate(request);
            DateTimeOffset after = DateTimeOffset.UtcNow;

            var body = Json.Object(sent.Body);
            string expires = body["sinkCredential"]?["accessTokenExpiresUtc"]?.GetValue<string>()
                ?? throw new Xunit.Sdk.XunitException("no sinkCredential.accessTokenExpiresUtc in " + sent.Body);
            Assert.Matches(Rfc3339Utc, expires);
            var at = DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture);
            Assert.InRange(at, before.AddSeconds(3600).AddMilliseconds(-1), after.AddSeconds(3600).AddMilliseconds(1));

            Json.Equal(@"{
  ""qosProfile"": ""DOWNLINK_L_UPLINK_L"",
  ""device"": " + Fixtures.SeedDeviceJson + @",
  ""applicationServer"": { ""ipv4Address"": ""233.252.0.2"", ""ipv6Address"": ""2001:db8::1"" },
  ""duration"": 3600,
  ""sink"": ""https://example.com/notifications"",
  ""sinkCredential"": {
    ""credentialType"": ""ACCESSTOKEN"",
    ""accessToken"": ""c8974e592c2fa383d4a3960714"",
    ""accessTokenType"": ""bearer"",
    ""accessTokenExpiresUtc"": """ + expires + @"""
  }
}", sent.Body);
        }

        [Fact]
        public async Task Sink_with_an_explicit_expiry_sends_it_in_utc()
        {
            var request = SeedRequest();
            request.NotificationUrl = "https://example.com/notifications";
            request.NotificationAuthToken = Harness.Secure("c8974e592c2fa383d4a3960714");
            request.NotificationAuthTokenExpiresAt = new DateTimeOffset(2030, 1, 23, 12, 40, 30, 616, TimeSpan.FromHours(2));
            var body = Json.Object((await SendCreate(request)).Body);
            string expires = body["sinkCredential"]!["accessTokenExpiresUtc"]!.GetValue<string>();
            Assert.Matches(Rfc3339Utc, expires);
            Assert.Equal(new DateTimeOffset(2030, 1, 23, 10, 40, 30, 616, TimeSpan.Zero), DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture));
            Assert.StartsWith("2030-01-23T10:40:30", expires);
        }

        [Fact]
        public async Task Sink_without_token_has_no_sinkCredential()
        {
            var request = SeedRequest();
            request.NotificationUrl = "https://example.com/notifications";
            var body = Json.Object((await SendCreate(request)).Body);
            Assert.Equal("https://example.com/notifications", body["sink"]!.GetValue<string>());
            Assert.False(body.ContainsKey("sinkCredential"));
        }

        [Fact]
        public async Task No_sink_means_neither_sink_nor_sinkCredential_nor_webhook()
        {
            var body = Json.Object((await SendCreate(SeedRequest())).Body);
            Assert.False(body.ContainsKey("sink"));
            Assert.False(body.ContainsKey("sinkCredential"));
            Assert.False(body.ContainsKey("webhook"));
        }

        [Fact]
        public async Task Retrieve_sessions_body_is_the_device_alone()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, "[]");
            await h.Client.GetSessionsAsync(Fixtures.SeedDevice(), CancellationToken.None);
            Json.Equal("{\"device\": " + Fixtures.SeedDeviceJson + "}", h.Single().Body);
        }

        [Fact]
        public async Task Extend_body_is_requestedAdditionalDuration()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, Bodies.AvailableSession);
            await h.Client.ExtendSessionAsync(Bodies.SessionId, 300, CancellationToken.None);
            Json.Equal("{\"requestedAdditionalDuration\":300}", h.Single().Body);
        }

        [Fact]
        public async Task Get_and_delete_send_no_body()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, Bodies.AvailableSession);
            await h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None);
            await h.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None);
            Assert.All(h.Requests, r => Assert.True(string.IsNullOrEmpty(r.Body), $"{r.Method} sent a body: {r.Body}"));
        }

        [Fact]
        public async Task No_null_is_ever_serialised()
        {
            using var h = new Harness();
            h.Reply(req => Harness.Build(
                req.RequestUri!.AbsolutePath.EndsWith("/retrieve-sessions", StringComparison.Ordinal) ? HttpStatusCode.OK : HttpStatusCode.Created,
                req.RequestUri!.AbsolutePath.EndsWith("/retrieve-sessions", StringComparison.Ordinal) ? "[]" : Bodies.RequestedSession));
            var sparseDevices = new[]
            {
                Device.Create(phoneNumber: Fixtures.Phone),
                Device.Create(networkAccessIdentifier: "nai@example.com"),
                Device.Create(ipv4PublicAddress: Fixtures.PublicIpv4, ipv4PublicPort: 80),
                Device.Create(ipv6Address: "2001:db8::5"),
            };
            foreach (var device in sparseDevices)
            {
                await h.Client.CreateSessionAsync(new QodSessionRequest(device, "QOS_S", 10) { ServiceIpv6 = "2001:db8::1" }, CancellationToken.None);
                await h.Client.CreateSessionAsync(new QodSessionRequest(device, "QOS_S", 10) { ServiceIpv4 = "198.51.100.1", NotificationUrl = "https://example.com/n" }, CancellationToken.None);
                await h.Client.GetSessionsAsync(device, CancellationToken.None);
            }
            Assert.Equal(12, h.Requests.Count);
            foreach (var r in h.Requests)
                AssertNoNull(JsonNode.Parse(r.Body!), r.Body!);
        }

        private static void AssertNoNull(JsonNode? node, string body)
        {
            switch (node)
            {
                case null:
                    throw new Xunit.Sdk.XunitException("null serialised in " + body);
                case JsonObject o:
                    foreach (var p in o) AssertNoNull(p.Value, body);
                    break;
                case JsonArray a:
                    foreach (var item in a) AssertNoNull(item, body);
                    break;
                default:
                    break; // a JSON null parses to a null node, caught above
            }
        }
    }
}
