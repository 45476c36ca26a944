using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>
    /// Create and extend are never sent twice blindly: 429 and a refused connection are retried; when the
    /// outcome is unknown (5xx, timeout, dropped connection) the platform's state is checked first.
    /// </summary>
    public class ReconcileTests
    {
        private const string OtherId = "8b1c2d3e-0000-4000-8000-000000000002";
        private const string NewId = "8b1c2d3e-0000-4000-8000-000000000003";
        private const string Server = "\"applicationServer\":{\"ipv4Address\":\"233.252.0.2\"}";
        private const string Phone = "\"device\":{\"phoneNumber\":\"+36721601234567\"}";

        private static QodSessionRequest Request() =>
            new QodSessionRequest(Rig.Phone, "QOS_L", 3600) { ServiceIpv4 = Fixtures.PublicIpv4 };

        /// <summary>A session as retrieve-sessions lists it: profile QOS_L unless the extra properties say otherwise.</summary>
        private static string Listed(string status = "REQUESTED", string id = Bodies.SessionId, string extra = Server) =>
            Bodies.Session(Phone + (extra.Length > 0 ? "," + extra : "") + ",\"duration\":3600", status, id);

        private static ScriptedServer.Step List(params string[] sessions) => Answer.Ok("[" + string.Join(",", sessions) + "]");

        private static ScriptedServer.Step CreatedNew => Answer.Created(Bodies.Session(Phone + "," + Server, "REQUESTED", NewId));

        public static readonly TheoryData<string> UnknownOutcomes = new TheoryData<string> { "500", "502", "503", "504", "timeout", "dropped" };

        // The timeout bounds the whole operation: a hanging attempt keeps a quarter of it back for the check and the resend.
        // 5 s per operation: a hung attempt gives up at 3.75 s and leaves 1.25 s for the check and resend. With
        // 1.6 s, a loaded CI machine once fired the attempt's timer 0.8 s late and left the check no time.
        private static Rig NewRig(int maxRetries = 3) => new Rig(maxRetries, timeout: TimeSpan.FromSeconds(5));

        // ---- create: retried when nothing was done ----

        [Fact]
        public async Task A_429_create_is_sent_again_without_looking()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(429, null, "0"), CreatedNew);
            var session = await rig.Client.CreateSessionAsync(Request(), CancellationToken.None);
            Assert.Equal(NewId, session.SessionId);
            Assert.Equal(new[] { ScriptedServer.Sessions, ScriptedServer.Sessions }, rig.Server.Order);
            Assert.Contains("(rate limit); retry 1 in 0.0 s", rig.Verbose);
        }

        [Fact]
        public async Task A_429_create_waits_for_retry_after()
        {
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(10));
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(429, null, "1"), CreatedNew);
            await rig.Client.CreateSessionAsync(Request(), CancellationToken.None);
            var hits = rig.Server.Hits;
            Assert.Equal(2, hits.Count);
            Assert.True(hits[1].At - hits[0].At >= TimeSpan.FromMilliseconds(900), "the retry came after " + (hits[1].At - hits[0].At));
        }

        [Fact]
        public async Task A_persistent_429_create_is_sent_until_the_operation_time_is_spent_and_ends_with_the_429()
        {
            // Rate limiting costs time, not items: 429s do not use up MaxRetries, only the operation's time.
            using var rig = NewRig(maxRetries: 2);
            rig.Pacer.BasePause = TimeSpan.FromMilliseconds(5);
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(429, "{\"status\":429,\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"Rate limit\"}"));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.CreateSessionAsync(Request(), CancellationToken.None));
            Assert.Equal(429, e.StatusCode);
            Assert.Equal("TOO_MANY_REQUESTS", e.Code);
            Assert.True(rig.Server.Count(ScriptedServer.Sessions) > 3, "sent " + rig.Server.Count(ScriptedServer.Sessions) + " times");
            Assert.Contains("Rate-limited", e.Message);
            Assert.Equal(0, rig.Server.Count(ScriptedServer.Retrieve));
        }

        [Fact]
        public async Task A_429_create_with_retry_after_beyond_max_delay_is_one_request()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(429, null, "120"), CreatedNew);
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.CreateSessionAsync(Request(), CancellationToken.None));
            Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
            Assert.Single(rig.Server.Hits);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(401)]
        [InlineData(403)]
        [InlineData(404)]
        [InlineData(409)]
        [InlineData(422)]
        public async Task A_final_create_error_is_one_request_and_no_check(int status)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Named(status.ToString(CultureInfo.InvariantCulture)), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List(Listed()));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.CreateSessionAsync(Request(), CancellationToken.None));
            Assert.Equal(status, e.StatusCode);
            Assert.Equal(new[] { ScriptedServer.Sessions }, rig.Server.Order);
        }

        // ---- create: outcome unknown ----

        [Theory]
        [MemberData(nameof(UnknownOutcomes))]
        public async Task An_unknown_create_that_did_happen_returns_the_session_and_is_not_sent_again(string failure)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Named(failure), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List(Listed("AVAILABLE", OtherId, "\"applicationServer\":{\"ipv4Address\":\"198.51.100.7\"}"), Listed("REQUESTED")));
            var session = await rig.Client.CreateSessionAsync(Request(), CancellationToken.None);
            Assert.Equal(Bodies.SessionId, session.SessionId);
            Assert.Equal("REQUESTED", session.Status);
            Assert.Same(Rig.Phone, session.Device);
            Assert.Equal(new[] { ScriptedServer.Sessions, ScriptedServer.Retrieve }, rig.Server.Order);
            Json.Equal("{\"device\":{\"phoneNumber\":\"+36721601234567\"}}", rig.Server.Hits[1].Body);
            Assert.Contains("earlier attempt created", rig.Verbose);
            Assert.Contains(Bodies.SessionId, rig.Verbose);
        }

        [Theory]
        [InlineData("REQUESTED")]
        [InlineData("AVAILABLE")]
        public async Task A_requested_or_available_session_counts_as_created(string status)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(502), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List(Listed(status)));
            var session = await rig.Client.CreateSessionAsync(Request(), CancellationToken.None);
            Assert.Equal(Bodies.SessionId, session.SessionId);
            Assert.Equal(status, session.Status);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Theory]
        [MemberData(nameof(UnknownOutcomes))]
        public async Task An_unknown_create_that_did_not_happen_is_sent_again(string failure)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Named(failure), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List());
            var session = await rig.Client.CreateSessionAsync(Request(), CancellationToken.None);
            Assert.Equal(NewId, session.SessionId);
            Assert.Equal(new[] { ScriptedServer.Sessions, ScriptedServer.Retrieve, ScriptedServer.Sessions }, rig.Server.Order);
            var creates = rig.Server.Hits.Where(h => h.Route == ScriptedServer.Sessions).ToArray();
            Assert.Equal(creates[0].Body, creates[1].Body);
            Assert.Contains("No session was created by the earlier attempt", rig.Verbose);
            Assert.Contains("retry 1 of 3", rig.Verbose);
        }

        [Fact]
        public async Task A_404_listing_means_no_sessions_and_the_create_is_sent_again()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(503), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, Answer.Status(404, "{\"detail\":\"QoS subscription not found\"}"));
            var session = await rig.Client.CreateSessionAsync(Request(), CancellationToken.None);
            Assert.Equal(NewId, session.SessionId);
            Assert.Equal(2, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Theory]
        [InlineData("other profile", "{\"sessionId\":\"" + Bodies.SessionId + "\",\"qosProfile\":\"QOS_M\",\"qosStatus\":\"REQUESTED\"," + Phone + "," + Server + "}")]
        [InlineData("other server", "{\"sessionId\":\"" + Bodies.SessionId + "\",\"qosProfile\":\"QOS_L\",\"qosStatus\":\"REQUESTED\"," + Phone + ",\"applicationServer\":{\"ipv4Address\":\"198.51.100.7\"}}")]
        [InlineData("extra ipv6 server", "{\"sessionId\":\"" + Bodies.SessionId + "\",\"qosProfile\":\"QOS_L\",\"qosStatus\":\"REQUESTED\"," + Phone + ",\"applicationServer\":{\"ipv4Address\":\"233.252.0.2\",\"ipv6Address\":\"2001:db8::1\"}}")]
        [InlineData("service ports", "{\"sessionId\":\"" + Bodies.SessionId + "\",\"qosProfile\":\"QOS_L\",\"qosStatus\":\"REQUESTED\"," + Phone + "," + Server + ",\"applicationServerPorts\":{\"ports\":[443]}}")]
        [InlineData("device ports", "{\"sessionId\":\"" + Bodies.SessionId + "\",\"qosProfile\":\"QOS_L\",\"qosStatus\":\"REQUESTED\"," + Phone + "," + Server + ",\"devicePorts\":{\"ranges\":[{\"from\":5000,\"to\":5010}]}}")]
        [InlineData("unavailable", "{\"sessionId\":\"" + Bodies.SessionId + "\",\"qosProfile\":\"QOS_L\",\"qosStatus\":\"UNAVAILABLE\",\"statusInfo\":\"DELETE_REQUESTED\"," + Phone + "," + Server + "}")]
        public async Task A_listed_session_of_another_flow_is_not_taken_for_the_created_one(string why, string listed)
        {
            _ = why; // names the case in the test output
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(504), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List(listed));
            var session = await rig.Client.CreateSessionAsync(Request(), CancellationToken.None);
            Assert.Equal(NewId, session.SessionId);
            Assert.Equal(2, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Fact]
        public async Task Ports_are_matched_whatever_their_order()
        {
            var request = new QodSessionRequest(Rig.Phone, "QOS_L", 3600)
            {
                ServiceIpv4 = Fixtures.PublicIpv4,
                ServicePorts = new PortsSpec(new[] { 8080, 443 }, new[] { new PortRange(6000, 6010), new PortRange(5000, 5010) }),
                DevicePorts = new PortsSpec(new[] { 1234 }, null),
            };
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Hang, CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List(Listed("REQUESTED", Bodies.SessionId, Server +
                ",\"applicationServerPorts\":{\"ports\":[443,8080],\"ranges\":[{\"from\":5000,\"to\":5010},{\"from\":6000,\"to\":6010}]}" +
                ",\"devicePorts\":{\"ports\":[1234]}")));
            var session = await rig.Client.CreateSessionAsync(request, CancellationToken.None);
            Assert.Equal(Bodies.SessionId, session.SessionId);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Fact]
        public async Task The_server_address_is_matched_without_regard_to_case()
        {
            var request = new QodSessionRequest(Rig.Phone, "QOS_L", 3600) { ServiceIpv6 = "2001:DB8::ABCD" };
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(500), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List(Listed("AVAILABLE", Bodies.SessionId, "\"applicationServer\":{\"ipv6Address\":\"2001:db8::abcd\"}")));
            var session = await rig.Client.CreateSessionAsync(request, CancellationToken.None);
            Assert.Equal(Bodies.SessionId, session.SessionId);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        /// <summary>
        /// BUG: SameFlow compares addresses as text. "2001:db8:0:0:0:0:0:abcd" passes validation, and a platform
        /// that stores addresses (rather than strings) lists it as "2001:db8::abcd": the session the lost
        /// attempt created is not recognised and a second create is sent.
        /// </summary>
        [Fact]
        public async Task The_server_address_is_matched_as_an_address_not_as_text()
        {
            var request = new QodSessionRequest(Rig.Phone, "QOS_L", 3600) { ServiceIpv6 = "2001:db8:0:0:0:0:0:abcd" };
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(500), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List(Listed("AVAILABLE", Bodies.SessionId, "\"applicationServer\":{\"ipv6Address\":\"2001:db8::abcd\"}")));
            var session = await rig.Client.CreateSessionAsync(request, CancellationToken.None);
            int creates = rig.Server.Count(ScriptedServer.Sessions);
            Assert.True(creates == 1, $"2001:db8:0:0:0:0:0:abcd was listed as 2001:db8::abcd, but the create was sent {creates} times and {session.SessionId} returned");
            Assert.Equal(Bodies.SessionId, session.SessionId);
        }

        [Theory]
        [InlineData("403")]
        [InlineData("500")]
        [InlineData("dropped")]
        [InlineData("garbage")]
        public async Task When_the_sessions_cannot_be_listed_the_create_is_not_sent_again(string listingFailure)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(503, "{\"status\":503,\"code\":\"UNAVAILABLE\",\"message\":\"upstream\"}"), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, listingFailure == "garbage" ? Answer.Ok("{\"not\":\"a list\"}") : Answer.Named(listingFailure));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.CreateSessionAsync(Request(), CancellationToken.None));
            Assert.Equal(503, e.StatusCode);
            Assert.Equal("POST " + Harness.QodRoot + "/sessions", e.Request);
            Assert.Contains("outcome is unknown", e.Message);
            Assert.Contains("could not be listed", e.Message);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
            Assert.True(rig.Server.Count(ScriptedServer.Retrieve) >= 1);
            Assert.Equal(ScriptedServer.Sessions, rig.Server.Order[0]);
        }

        [Fact]
        public async Task A_timed_out_create_whose_check_fails_is_a_timeout_that_says_the_outcome_is_unknown()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Hang, CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, Answer.Status(401, "{\"message\":\"Invalid API key.\"}"));
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => rig.Client.CreateSessionAsync(Request(), CancellationToken.None));
            Assert.True(e.IsTimeout);
            Assert.Contains("outcome is unknown", e.Message);
            Assert.Contains("Invalid API key", e.Message);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(3)]
        public async Task A_create_that_keeps_failing_is_sent_max_retries_plus_one_times(int maxRetries)
        {
            using var rig = NewRig(maxRetries);
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(500));
            rig.Server.On(ScriptedServer.Retrieve, List());
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.CreateSessionAsync(Request(), CancellationToken.None));
            Assert.Equal(500, e.StatusCode);
            Assert.Equal(maxRetries + 1, rig.Server.Count(ScriptedServer.Sessions));
            Assert.Equal(maxRetries, rig.Server.Count(ScriptedServer.Retrieve));
            // Strictly alternating: every resend was preceded by a check.
            var expected = Enumerable.Range(0, maxRetries).SelectMany(_ => new[] { ScriptedServer.Sessions, ScriptedServer.Retrieve })
                .Concat(new[] { ScriptedServer.Sessions }).ToArray();
            Assert.Equal(expected, rig.Server.Order);
        }

        /// <summary>
        /// BUG: the 429 retries inside SendAsync and the reconcile rounds in CreateSessionAsync each get the whole
        /// MaxRetries budget, so a create can be sent (MaxRetries + 1)² times: 4 with MaxRetries 1, 16 with 3.
        /// </summary>
        [Fact]
        public async Task A_create_is_never_sent_more_than_max_retries_plus_one_times()
        {
            using var rig = NewRig(maxRetries: 1);
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(429, null, "0"), Answer.Status(503), Answer.Status(429, null, "0"), Answer.Status(503), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List());
            await Assert.ThrowsAnyAsync<NacException>(() => rig.Client.CreateSessionAsync(Request(), CancellationToken.None));
            // A 429 did nothing and costs no retry (rate limiting costs time, not items): count the others.
            int creates = rig.Server.Count(ScriptedServer.Sessions) - 2;
            Assert.True(creates <= 2, $"MaxRetries 1, but the create was sent {creates} times besides the two 429s: {string.Join(", ", rig.Server.Order)}");
        }

        /// <summary>After a check that finds nothing, the resend waits for the 5xx answer's Retry-After, not the 1 ms back-off.</summary>
        [Fact]
        public async Task An_unknown_create_is_resent_no_sooner_than_retry_after()
        {
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(10));
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(503, null, "1"), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List());
            await rig.Client.CreateSessionAsync(Request(), CancellationToken.None);
            var creates = rig.Server.Hits.Where(h => h.Route == ScriptedServer.Sessions).ToArray();
            Assert.Equal(2, creates.Length);
            var waited = creates[1].At - creates[0].At;
            Assert.True(waited >= TimeSpan.FromMilliseconds(900), "Retry-After: 1 but the create was resent after " + waited);
        }

        /// <summary>
        /// BUG: NacRetryPolicy.MaxDelay says a Retry-After longer than it is not waited for and the error is
        /// reported instead (as get, retrieve, delete and a 429 create do); WaitBefore instead cuts a 503 create's
        /// Retry-After: 120 down to MaxDelay and resends after 300 ms, earlier than the server asked.
        /// </summary>
        [Fact]
        public async Task An_unknown_create_with_retry_after_beyond_max_delay_is_not_resent()
        {
            using var rig = new Rig(maxDelay: TimeSpan.FromMilliseconds(300));
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(503, null, "120"), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List());
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.CreateSessionAsync(Request(), CancellationToken.None));
            Assert.Equal(503, e.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Fact]
        public async Task Cancelling_during_the_wait_before_a_resent_create_ends_the_call_promptly()
        {
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(60), baseDelay: TimeSpan.FromSeconds(30), maxDelay: TimeSpan.FromSeconds(60));
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(500), CreatedNew);
            rig.Server.On(ScriptedServer.Retrieve, List());
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Client.CreateSessionAsync(Request(), cts.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the cancellation took " + clock.Elapsed);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Fact]
        public async Task Cancelling_during_a_429_retry_after_wait_ends_the_create_promptly()
        {
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(60), maxDelay: TimeSpan.FromSeconds(60));
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(429, null, "30"), CreatedNew);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Client.CreateSessionAsync(Request(), cts.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the cancellation took " + clock.Elapsed);
            Assert.Single(rig.Server.Hits);
        }

        // ---- extend ----

        private static readonly DateTimeOffset Expiry = new DateTimeOffset(2024, 6, 18, 9, 48, 12, TimeSpan.Zero);

        private static QodSession Before() => new QodSession(Bodies.SessionId, "QOS_L", "AVAILABLE")
        {
            ExpiresAt = Expiry,
            StartedAt = Expiry.AddHours(-1),
            Duration = 3600,
            Device = Rig.Phone,
        };

        private static string SessionExpiring(DateTimeOffset at, bool withDevice = true) =>
            Bodies.Session((withDevice ? Phone + "," : "") + Server + ",\"startedAt\":\"2024-06-18T08:48:12Z\",\"expiresAt\":\"" +
                at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "\"");

        [Fact]
        public async Task A_429_extend_is_sent_again_without_looking()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Status(429, null, "0"), Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            var session = await rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, Before());
            Assert.Equal(Expiry.AddSeconds(600), session.ExpiresAt);
            Assert.Equal(new[] { ScriptedServer.Extend, ScriptedServer.Extend }, rig.Server.Order);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(404)]
        [InlineData(409)]
        [InlineData(422)]
        public async Task A_final_extend_error_is_one_request_and_no_check(int status)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Named(status.ToString(CultureInfo.InvariantCulture)), Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            rig.Server.On(ScriptedServer.Get, Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, Before()));
            Assert.Equal(status, e.StatusCode);
            Assert.Equal(new[] { ScriptedServer.Extend }, rig.Server.Order);
        }

        [Theory]
        [MemberData(nameof(UnknownOutcomes))]
        public async Task An_unknown_extend_that_did_happen_is_not_sent_again(string failure)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Named(failure), Answer.Ok(SessionExpiring(Expiry.AddSeconds(1200))));
            rig.Server.On(ScriptedServer.Get, Answer.Ok(SessionExpiring(Expiry.AddSeconds(600), withDevice: false)));
            var before = Before();
            var session = await rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, before);
            Assert.Equal(Expiry.AddSeconds(600), session.ExpiresAt);
            Assert.Same(before.Device, session.Device);
            Assert.Equal(new[] { ScriptedServer.Extend, ScriptedServer.Get }, rig.Server.Order);
            Assert.Contains("earlier attempt extended it", rig.Verbose);
        }

        [Theory]
        [MemberData(nameof(UnknownOutcomes))]
        public async Task An_unknown_extend_that_did_not_happen_is_sent_again(string failure)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Named(failure), Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            rig.Server.On(ScriptedServer.Get, Answer.Ok(SessionExpiring(Expiry)));
            var session = await rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, Before());
            Assert.Equal(Expiry.AddSeconds(600), session.ExpiresAt);
            Assert.Equal(new[] { ScriptedServer.Extend, ScriptedServer.Get, ScriptedServer.Extend }, rig.Server.Order);
            var extends = rig.Server.Hits.Where(h => h.Route == ScriptedServer.Extend).ToArray();
            Json.Equal("{\"requestedAdditionalDuration\":600}", extends[0].Body);
            Json.Equal("{\"requestedAdditionalDuration\":600}", extends[1].Body);
        }

        [Fact]
        public async Task An_unknown_extend_with_an_earlier_expiry_is_sent_again()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Status(502), Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            rig.Server.On(ScriptedServer.Get, Answer.Ok(SessionExpiring(Expiry.AddSeconds(-1))));
            await rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, Before());
            Assert.Equal(2, rig.Server.Count(ScriptedServer.Extend));
        }

        [Theory]
        [MemberData(nameof(UnknownOutcomes))]
        public async Task An_unknown_extend_without_the_session_before_is_sent_once_and_says_so(string failure)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Named(failure), Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            rig.Server.On(ScriptedServer.Get, Answer.Ok(SessionExpiring(Expiry)));
            var e = await Assert.ThrowsAnyAsync<NacException>(() => rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None));
            Assert.Contains("not sent again", e.Message);
            Assert.Contains("outcome is unknown", e.Message);
            Assert.Equal("POST " + Harness.QodRoot + "/sessions/" + Bodies.SessionId + "/extend", e.Request);
            Assert.Equal(new[] { ScriptedServer.Extend }, rig.Server.Order);
            if (failure == "timeout") Assert.True(Assert.IsType<NacConnectionException>(e).IsTimeout);
        }

        [Fact]
        public async Task An_unknown_extend_of_a_session_without_expiry_is_sent_once()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Status(500), Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            var requested = new QodSession(Bodies.SessionId, "QOS_L", "REQUESTED") { Device = Rig.Phone };
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, requested));
            Assert.Contains("not sent again", e.Message);
            Assert.Single(rig.Server.Hits);
        }

        [Theory]
        [InlineData("404")]
        [InlineData("403")]
        [InlineData("dropped")]
        public async Task When_the_session_cannot_be_read_the_extend_is_not_sent_again(string getFailure)
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Status(504), Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            rig.Server.On(ScriptedServer.Get, Answer.Named(getFailure));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, Before()));
            Assert.Equal(504, e.StatusCode);
            Assert.Contains("outcome is unknown", e.Message);
            Assert.Contains("could not be read", e.Message);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Extend));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(2)]
        public async Task An_extend_that_keeps_failing_is_sent_max_retries_plus_one_times(int maxRetries)
        {
            using var rig = NewRig(maxRetries);
            rig.Server.On(ScriptedServer.Extend, Answer.Status(503));
            rig.Server.On(ScriptedServer.Get, Answer.Ok(SessionExpiring(Expiry)));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, Before()));
            Assert.Equal(503, e.StatusCode);
            Assert.Equal(maxRetries + 1, rig.Server.Count(ScriptedServer.Extend));
            Assert.Equal(maxRetries, rig.Server.Count(ScriptedServer.Get));
        }

        [Fact]
        public async Task An_unknown_extend_is_resent_no_sooner_than_retry_after()
        {
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(10));
            rig.Server.On(ScriptedServer.Extend, Answer.Status(503, null, "1"), Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            rig.Server.On(ScriptedServer.Get, Answer.Ok(SessionExpiring(Expiry)));
            await rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, Before());
            var extends = rig.Server.Hits.Where(h => h.Route == ScriptedServer.Extend).ToArray();
            Assert.Equal(2, extends.Length);
            var waited = extends[1].At - extends[0].At;
            Assert.True(waited >= TimeSpan.FromMilliseconds(900), "Retry-After: 1 but the extend was resent after " + waited);
        }

        /// <summary>BUG: as for create, a 503 extend with Retry-After beyond MaxDelay is resent after MaxDelay.</summary>
        [Fact]
        public async Task An_unknown_extend_with_retry_after_beyond_max_delay_is_not_resent()
        {
            using var rig = new Rig(maxDelay: TimeSpan.FromMilliseconds(300));
            rig.Server.On(ScriptedServer.Extend, Answer.Status(503, null, "120"), Answer.Ok(SessionExpiring(Expiry.AddSeconds(600))));
            rig.Server.On(ScriptedServer.Get, Answer.Ok(SessionExpiring(Expiry)));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None, Before()));
            Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Extend));
        }
    }
}
