using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>
    /// One deadline per operation as the user sees it (QodSessionFlows with a <see cref="NacDeadline"/>):
    /// a create with a wait, an extension of a REQUESTED session, a reuse and a replacement each end by
    /// their one deadline, every request inside gets only what is left, and the error says what was done.
    /// The client's own timeout is long (10 s) in these tests, so that a step bounded by it instead of by
    /// the flow's deadline shows as a bound missed by seconds.
    /// </summary>
    public class FlowDeadlineTests
    {
        private const string NewId = "8b1c2d3e-0000-4000-8000-000000000003";
        private const string Phone = "\"device\":{\"phoneNumber\":\"+36721601234567\"},\"applicationServer\":{\"ipv4Address\":\"233.252.0.2\"},\"duration\":3600";
        private const string Conflict = "{\"status\":409,\"code\":\"CONFLICT\",\"message\":\"Conflict with an existing session for the same device\"}";
        private const string NotAllowed = "{\"status\":409,\"code\":\"QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED\",\"message\":\"not AVAILABLE\"}";

        /// <summary>
        /// Generous room over a deadline for the end of a flow on a loaded machine: a correctness bound, not a
        /// speed goal. Each test is built so that a step with a limit of its own would miss it by more.
        /// </summary>
        private static readonly TimeSpan Room = TimeSpan.FromSeconds(2);

        private static QodSessionRequest Request() => new QodSessionRequest(Rig.Phone, "QOS_L", 3600) { ServiceIpv4 = Fixtures.PublicIpv4 };

        private static string Session(string status, string id = Bodies.SessionId, string? statusInfo = null) =>
            Bodies.Session(Phone + (statusInfo == null ? "" : ",\"statusInfo\":\"" + statusInfo + "\""), status, id);

        /// <summary>An answer that comes only after <paramref name="delay"/>, whatever the client's token says meanwhile.</summary>
        private static ScriptedServer.Step Late(TimeSpan delay, ScriptedServer.Step answer) => async cancel =>
        {
            await Task.Delay(delay).ConfigureAwait(false);
            return await answer(cancel).ConfigureAwait(false);
        };

        /// <summary>An answer after <paramref name="delay"/>, or none when the client gives up first.</summary>
        private static ScriptedServer.Step Slow(TimeSpan delay, ScriptedServer.Step answer) => async cancel =>
        {
            await Task.Delay(delay, cancel).ConfigureAwait(false);
            return await answer(cancel).ConfigureAwait(false);
        };

        private static Rig NewRig() => new Rig(maxRetries: 0, timeout: TimeSpan.FromSeconds(10));

        [Fact]
        public async Task A_create_with_a_wait_ends_by_its_one_deadline_and_says_it_created_the_session()
        {
            using var rig = NewRig();
            // The create alone takes most of the deadline: a wait with a limit of its own would go on 2.4 s past it.
            rig.Server.On(ScriptedServer.Sessions, Slow(TimeSpan.FromMilliseconds(2400), Answer.Created(Session("REQUESTED", NewId))))
                .On("GET /quality-on-demand/v1/sessions/" + NewId, Answer.Ok(Session("REQUESTED", NewId)));
            var deadline = new NacDeadline(TimeSpan.FromSeconds(3));
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacSessionWaitTimeoutException>(() => new QodSessionFlows(rig.Client).CreateAsync(Request(),
                new SessionCreateOptions { WaitUntilAvailable = true }, deadline, CancellationToken.None));
            clock.Stop();
            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(2950), deadline.Limit + Room);
            Assert.Equal(NewId, e.Session.SessionId);
            Assert.Equal("REQUESTED", e.Session.Status);
            Assert.StartsWith($"Created QoD session {NewId} for {Rig.Phone}; QoD session {NewId} is still REQUESTED after ", e.Message);
            Assert.Contains("within the 3 s this operation may take (-TimeoutSec, else NAC_TIMEOUT_SEC)", e.Message);
            Assert.InRange(e.Waited, TimeSpan.FromMilliseconds(2950), deadline.Limit + Room);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Fact]
        public async Task Extending_a_REQUESTED_session_waits_only_within_the_one_deadline_and_does_not_extend()
        {
            using var rig = NewRig();
            // The refused extension takes most of the deadline: a wait with a limit of its own would go on 2.2 s past it.
            rig.Server.On(ScriptedServer.Extend, Slow(TimeSpan.FromMilliseconds(2200), Answer.Status(409, NotAllowed)))
                .On(ScriptedServer.Get, Answer.Ok(Session("REQUESTED")));
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacSessionWaitTimeoutException>(() =>
                new QodSessionFlows(rig.Client).ExtendWhenAvailableAsync(Bodies.SessionId, 60, TimeSpan.FromSeconds(3), CancellationToken.None));
            clock.Stop();
            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(2950), TimeSpan.FromSeconds(3) + Room);
            Assert.StartsWith($"The extension of QoD session {Bodies.SessionId} by 60 s was refused (409 QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED)", e.Message);
            Assert.Contains("is still REQUESTED after ", e.Message);
            Assert.Contains("It was not extended.", e.Message);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Extend));
            Assert.True(rig.Server.Count(ScriptedServer.Get) >= 1);
        }

        [Fact]
        public async Task A_poll_that_gets_no_answer_is_cut_at_the_deadline_not_at_the_clients_timeout()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Get, Answer.Hang);
            var requested = new QodSession(Bodies.SessionId, "QOS_L", "REQUESTED") { Device = Rig.Phone };
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacSessionWaitTimeoutException>(() =>
                new QodSessionFlows(rig.Client).WaitUntilAvailableAsync(requested, TimeSpan.FromMilliseconds(600), CancellationToken.None));
            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(600) + Room, $"took {clock.Elapsed}");
            Assert.Contains("still REQUESTED (the last check got no answer in time) after ", e.Message);
            Assert.Same(Rig.Phone, e.Session.Device);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Get));
        }

        [Fact]
        public async Task A_create_after_clearing_a_terminated_session_gets_only_what_is_left_and_names_the_deletion()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(409, Conflict), Answer.Hang)
                .On(ScriptedServer.Retrieve, Answer.Ok("[" + Session("UNAVAILABLE", statusInfo: "NETWORK_TERMINATED") + "]"))
                .On(ScriptedServer.Delete, Answer.NoContent);
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => new QodSessionFlows(rig.Client).CreateAsync(Request(),
                new SessionCreateOptions(), new NacDeadline(TimeSpan.FromMilliseconds(1500)), CancellationToken.None));
            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(1500) + Room, $"took {clock.Elapsed}");
            Assert.True(e.IsTimeout);
            Assert.StartsWith($"Deleted the UNAVAILABLE QoD session {Bodies.SessionId} (NETWORK_TERMINATED) that blocked the new one; then, trying to create the new session for {Rig.Phone}", e.Message);
            Assert.Contains("The request timed out", e.Message);
            Assert.IsType<NacConnectionException>(e.InnerException);
            Assert.Equal(new[] { ScriptedServer.Sessions, ScriptedServer.Retrieve, ScriptedServer.Delete, ScriptedServer.Sessions }, rig.Server.Order);
        }

        [Fact]
        public async Task No_step_starts_once_the_deadline_is_spent_and_the_error_says_what_was_done()
        {
            using var rig = NewRig();
            // The delete's answer comes after the deadline, whatever the client's token says: the create is not sent.
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(409, Conflict))
                .On(ScriptedServer.Retrieve, Answer.Ok("[" + Session("AVAILABLE") + "]"))
                .On(ScriptedServer.Delete, Late(TimeSpan.FromMilliseconds(2000), Answer.NoContent));
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => new QodSessionFlows(rig.Client).CreateAsync(Request(),
                new SessionCreateOptions { IfExists = SessionConflictAction.Replace }, new NacDeadline(TimeSpan.FromMilliseconds(1200)), CancellationToken.None));
            Assert.True(e.IsTimeout);
            Assert.StartsWith($"Deleted QoD session {Bodies.SessionId} of the same flow (-IfExists Replace); the 1.2 s this operation may take", e.Message);
            Assert.Contains($"before it could create the new session for {Rig.Phone}", e.Message);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Fact]
        public async Task Reusing_a_REQUESTED_session_waits_within_the_create_s_deadline()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(409, Conflict))
                .On(ScriptedServer.Retrieve, Answer.Ok("[" + Session("REQUESTED") + "]"))
                .On(ScriptedServer.Get, Slow(TimeSpan.FromMilliseconds(150), Answer.Ok(Session("REQUESTED"))));
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacSessionWaitTimeoutException>(() => new QodSessionFlows(rig.Client).CreateAsync(Request(),
                new SessionCreateOptions { IfExists = SessionConflictAction.Reuse }, new NacDeadline(TimeSpan.FromMilliseconds(1500)), CancellationToken.None));
            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(1500) + Room, $"took {clock.Elapsed}");
            Assert.StartsWith($"Found QoD session {Bodies.SessionId} (REQUESTED) of {Rig.Phone} with the same profile, server and ports, to reuse (-IfExists Reuse); ", e.Message);
            Assert.Contains("It was not reused.", e.Message);
            Assert.Equal(0, rig.Server.Count(ScriptedServer.Extend));
        }

        [Fact]
        public async Task A_wait_on_a_deadline_already_spent_sends_nothing()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Get, Answer.Ok(Session("AVAILABLE")));
            var deadline = new NacDeadline(TimeSpan.FromMilliseconds(50));
            await Task.Delay(120);
            var requested = new QodSession(Bodies.SessionId, "QOS_L", "REQUESTED");
            var e = await Assert.ThrowsAsync<NacSessionWaitTimeoutException>(() =>
                new QodSessionFlows(rig.Client).WaitUntilAvailableAsync(requested, deadline, CancellationToken.None));
            Assert.Contains("still REQUESTED after ", e.Message);
            Assert.Empty(rig.Server.Hits);
        }

        [Fact]
        public async Task A_flows_deadline_does_not_outlive_it_for_later_plain_calls()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Ok(Session("AVAILABLE")))
                .On(ScriptedServer.Get, Answer.Ok(Session("AVAILABLE")));
            var flows = new QodSessionFlows(rig.Client);
            await flows.ExtendWhenAvailableAsync(Bodies.SessionId, 60, TimeSpan.FromSeconds(1), CancellationToken.None);
            Assert.Null(NacDeadline.Current);
            await Task.Delay(1100);
            // Had the flow's 1 s deadline leaked into this call, nothing would be sent.
            var session = await rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None);
            Assert.Equal("AVAILABLE", session.Status);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Get));
        }

        [Fact]
        public async Task Cancelling_ends_a_flows_wait_at_once()
        {
            using var rig = NewRig();
            rig.Server.On(ScriptedServer.Extend, Answer.Status(409, NotAllowed))
                .On(ScriptedServer.Get, Answer.Ok(Session("REQUESTED")));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new QodSessionFlows(rig.Client).ExtendWhenAvailableAsync(Bodies.SessionId, 60, TimeSpan.FromSeconds(30), cancel.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Extend));
        }

        [Fact]
        public void A_deadline_must_be_positive()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new NacDeadline(TimeSpan.Zero));
        }
    }
}
