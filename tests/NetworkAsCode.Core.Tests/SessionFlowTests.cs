using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>
    /// The session life cycle without dead ends (QodSessionFlows): a 201 that is UNAVAILABLE fails with its
    /// reason, a network-terminated session of the same flow is cleared before creating again, re-run jobs
    /// reuse or replace, and a REQUESTED session is waited for before it is extended.
    /// </summary>
    public class SessionFlowTests
    {
        private const string NewId = "8b1c2d3e-0000-4000-8000-000000000003";
        private const string Server = "\"applicationServer\":{\"ipv4Address\":\"233.252.0.2\"}";
        private const string Phone = "\"device\":{\"phoneNumber\":\"+36721601234567\"}";
        private const string Conflict = "{\"status\":409,\"code\":\"CONFLICT\",\"message\":\"Conflict with an existing session for the same device\"}";

        private static QodSessionRequest Request(int duration = 3600) =>
            new QodSessionRequest(Rig.Phone, "QOS_L", duration) { ServiceIpv4 = Fixtures.PublicIpv4 };

        private static string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static string Session(string status, string id = Bodies.SessionId, string? statusInfo = null, DateTimeOffset? expires = null, string server = Server)
        {
            string extra = Phone + "," + server + ",\"duration\":3600";
            if (statusInfo != null) extra += ",\"statusInfo\":\"" + statusInfo + "\"";
            if (expires.HasValue) extra += ",\"startedAt\":\"" + At(expires.Value.AddSeconds(-3600)) + "\",\"expiresAt\":\"" + At(expires.Value) + "\"";
            return Bodies.Session(extra, status, id);
        }

        private static ScriptedServer.Step List(params string[] sessions) => Answer.Ok("[" + string.Join(",", sessions) + "]");

        private static ScriptedServer.Step CreatedNew => Answer.Created(Session("REQUESTED", NewId));

        private const string DeleteNew = "DELETE /quality-on-demand/v1/sessions/" + NewId;

        [Fact]
        public async Task A_201_that_is_already_UNAVAILABLE_fails_with_its_status_info()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Created(Session("UNAVAILABLE", NewId, "NETWORK_TERMINATED")));
            var e = await Assert.ThrowsAsync<NacSessionUnavailableException>(() =>
                new QodSessionFlows(rig.Client).CreateAsync(Request(), new SessionCreateOptions(), CancellationToken.None));
            Assert.Equal("NETWORK_TERMINATED", e.StatusInfo);
            Assert.Equal(NewId, e.Session.SessionId);
            Assert.Contains("NETWORK_TERMINATED", e.Message);
            Assert.Contains(NewId, e.Message);
        }

        [Fact]
        public async Task A_409_from_a_network_terminated_session_of_the_same_flow_deletes_it_and_creates_again()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(409, Conflict), CreatedNew)
                .On(ScriptedServer.Retrieve, List(Session("UNAVAILABLE", statusInfo: "NETWORK_TERMINATED")))
                .On(ScriptedServer.Delete, Answer.NoContent);
            var session = await new QodSessionFlows(rig.Client).CreateAsync(Request(), new SessionCreateOptions(), CancellationToken.None);
            Assert.Equal(NewId, session.SessionId);
            Assert.Equal(new[] { ScriptedServer.Sessions, ScriptedServer.Retrieve, ScriptedServer.Delete, ScriptedServer.Sessions }, rig.Server.Order);
            Assert.Contains("UNAVAILABLE (NETWORK_TERMINATED)", rig.Verbose);
            Assert.Contains("deleting it and creating the new one", rig.Verbose);
        }

        [Fact]
        public async Task A_409_from_an_active_session_names_it_and_IfExists_and_changes_nothing()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(409, Conflict))
                .On(ScriptedServer.Retrieve, List(Session("AVAILABLE", expires: DateTimeOffset.UtcNow.AddMinutes(5))));
            var e = await Assert.ThrowsAsync<NacApiException>(() =>
                new QodSessionFlows(rig.Client).CreateAsync(Request(), new SessionCreateOptions(), CancellationToken.None));
            Assert.Equal(409, e.StatusCode);
            Assert.Equal("CONFLICT", e.Code);
            Assert.Contains(Bodies.SessionId, e.Message);
            Assert.Contains("-IfExists Reuse", e.Message);
            Assert.Contains("-IfExists Replace", e.Message);
            Assert.Equal(0, rig.Server.Count(ScriptedServer.Delete));
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Fact]
        public async Task A_409_from_another_flow_is_not_resolved_even_with_Replace()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(409, Conflict))
                .On(ScriptedServer.Retrieve, List(Session("AVAILABLE", server: "\"applicationServer\":{\"ipv4Address\":\"233.252.0.0/24\"}")));
            var e = await Assert.ThrowsAsync<NacApiException>(() =>
                new QodSessionFlows(rig.Client).CreateAsync(Request(), new SessionCreateOptions { IfExists = SessionConflictAction.Replace }, CancellationToken.None));
            Assert.Contains(Bodies.SessionId, e.Message);
            Assert.Contains("overlaps", e.Message);
            Assert.Equal(0, rig.Server.Count(ScriptedServer.Delete));
        }

        [Fact]
        public async Task Reuse_extends_the_active_session_to_last_the_requested_duration_from_now()
        {
            using var rig = new Rig();
            var expires = DateTimeOffset.UtcNow.AddSeconds(60);
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(409, Conflict))
                .On(ScriptedServer.Retrieve, List(Session("AVAILABLE", expires: expires)))
                .On(ScriptedServer.Extend, Answer.Ok(Session("AVAILABLE", expires: expires.AddSeconds(3540))));
            var session = await new QodSessionFlows(rig.Client).CreateAsync(Request(3600),
                new SessionCreateOptions { IfExists = SessionConflictAction.Reuse }, CancellationToken.None);
            Assert.Equal(Bodies.SessionId, session.SessionId);
            Assert.Same(Rig.Phone, session.Device);
            var extend = Json.Object(rig.Server.Hits.Single(h => h.Route == ScriptedServer.Extend).Body);
            int by = (int)extend["requestedAdditionalDuration"]!;
            Assert.InRange(by, 3535, 3545); // expiresAt is sent in whole seconds
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Fact]
        public async Task Replace_deletes_the_active_session_and_creates_the_new_one()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(409, Conflict), CreatedNew)
                .On(ScriptedServer.Retrieve, List(Session("REQUESTED")))
                .On(ScriptedServer.Delete, Answer.NoContent);
            var session = await new QodSessionFlows(rig.Client).CreateAsync(Request(),
                new SessionCreateOptions { IfExists = SessionConflictAction.Replace }, CancellationToken.None);
            Assert.Equal(NewId, session.SessionId);
            Assert.Equal(new[] { ScriptedServer.Sessions, ScriptedServer.Retrieve, ScriptedServer.Delete, ScriptedServer.Sessions }, rig.Server.Order);
        }

        [Fact]
        public async Task Extending_a_REQUESTED_session_waits_until_it_is_AVAILABLE()
        {
            using var rig = new Rig();
            var expires = DateTimeOffset.UtcNow.AddSeconds(3600);
            rig.Server.On(ScriptedServer.Extend,
                    Answer.Status(409, "{\"status\":409,\"code\":\"QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED\",\"message\":\"not AVAILABLE\"}"),
                    Answer.Ok(Session("AVAILABLE", expires: expires.AddSeconds(60))))
                .On(ScriptedServer.Get, Answer.Ok(Session("REQUESTED")), Answer.Ok(Session("AVAILABLE", expires: expires)));
            var session = await new QodSessionFlows(rig.Client).ExtendWhenAvailableAsync(Bodies.SessionId, 60, TimeSpan.FromSeconds(10), CancellationToken.None);
            Assert.Equal("AVAILABLE", session.Status);
            Assert.Equal(new[] { ScriptedServer.Extend, ScriptedServer.Get, ScriptedServer.Get, ScriptedServer.Extend }, rig.Server.Order);
            Assert.Contains("still REQUESTED", rig.Verbose);
        }

        [Fact]
        public async Task Extending_an_ended_session_is_the_platforms_409()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Extend, Answer.Status(409, "{\"status\":409,\"code\":\"QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED\",\"message\":\"not AVAILABLE\"}"))
                .On(ScriptedServer.Get, Answer.Ok(Session("UNAVAILABLE", statusInfo: "DURATION_EXPIRED")));
            var e = await Assert.ThrowsAsync<NacApiException>(() =>
                new QodSessionFlows(rig.Client).ExtendWhenAvailableAsync(Bodies.SessionId, 60, TimeSpan.FromSeconds(10), CancellationToken.None));
            Assert.Equal("QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED", e.Code);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Extend));
        }

        [Fact]
        public async Task Waiting_fails_with_the_reason_when_the_session_becomes_UNAVAILABLE()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Get, Answer.Ok(Session("UNAVAILABLE", statusInfo: "NETWORK_TERMINATED")));
            var requested = new QodSession(Bodies.SessionId, "QOS_L", "REQUESTED") { Device = Rig.Phone };
            var e = await Assert.ThrowsAsync<NacSessionUnavailableException>(() =>
                new QodSessionFlows(rig.Client).WaitUntilAvailableAsync(requested, TimeSpan.FromSeconds(10), CancellationToken.None));
            Assert.Equal("NETWORK_TERMINATED", e.StatusInfo);
            Assert.Same(Rig.Phone, e.Session.Device);
        }

        [Fact]
        public async Task Waiting_gives_up_at_the_limit_with_the_last_state()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Get, Answer.Ok(Session("REQUESTED")));
            var requested = new QodSession(Bodies.SessionId, "QOS_L", "REQUESTED");
            var e = await Assert.ThrowsAsync<NacSessionWaitTimeoutException>(() =>
                new QodSessionFlows(rig.Client).WaitUntilAvailableAsync(requested, TimeSpan.FromMilliseconds(300), CancellationToken.None));
            Assert.Equal("REQUESTED", e.Session.Status);
            Assert.Contains("still REQUESTED", e.Message);
        }
    }
}
