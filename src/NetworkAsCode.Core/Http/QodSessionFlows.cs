using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace NetworkAsCode.Http
{
    /// <summary>How <see cref="QodSessionFlows.CreateAsync(QodSessionRequest, SessionCreateOptions, CancellationToken)"/> behaves around the create itself.</summary>
    public sealed class SessionCreateOptions
    {
        public SessionConflictAction IfExists { get; set; } = SessionConflictAction.Fail;

        /// <summary>Return the session only once AVAILABLE, waiting within the operation's deadline.</summary>
        public bool WaitUntilAvailable { get; set; }
    }

    /// <summary>
    /// The session life cycle as users meet it, so that no ordinary path ends at a 409: wait until AVAILABLE,
    /// extend a session that is still REQUESTED, clear a network-terminated session that blocks its own flow,
    /// and reuse or replace the active session of a re-run job. Built only on <see cref="NacClient"/>'s public calls.
    /// <para>
    /// Each flow is one operation as the user sees it, with one <see cref="NacDeadline"/> (by default the
    /// client's timeout, -TimeoutSec): every request inside gets at most what is left of it, waits poll only
    /// within it, and when it runs out the error says what was done and how long it took.
    /// </para>
    /// </summary>
    public sealed class QodSessionFlows
    {
        private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
        private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(2);

        /// <summary>Less than this left of the deadline: no poll is sent any more, the wait has run out.</summary>
        private static readonly TimeSpan ShortestPoll = TimeSpan.FromMilliseconds(20);

        private const string ExtensionNotAllowed = "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED";

        private readonly NacClient _client;

        public QodSessionFlows(NacClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        /// <summary>Creates a session within the client's timeout, every step included (see the overload with a deadline).</summary>
        public Task<QodSession> CreateAsync(QodSessionRequest request, SessionCreateOptions options, CancellationToken cancel) =>
            CreateAsync(request, options, new NacDeadline(_client.Timeout), cancel);

        /// <summary>
        /// Creates a session. A 201 that is already UNAVAILABLE fails with its statusInfo. A 409 caused by an
        /// UNAVAILABLE session of the same device and flow is resolved by deleting that session and creating
        /// again; one caused by an active session of the same flow follows <see cref="SessionCreateOptions.IfExists"/>.
        /// Every request and wait of it, the wait for AVAILABLE included, ends by <paramref name="deadline"/>.
        /// </summary>
        /// <exception cref="NacSessionUnavailableException">The session is (or became, while waited for) UNAVAILABLE.</exception>
        /// <exception cref="NacSessionWaitTimeoutException">With a wait: not AVAILABLE by the deadline.</exception>
        /// <exception cref="NacConnectionException">The deadline ran out in a request, or before a step; the message says what was done.</exception>
        public async Task<QodSession> CreateAsync(QodSessionRequest request, SessionCreateOptions options, NacDeadline deadline, CancellationToken cancel)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (deadline == null) throw new ArgumentNullException(nameof(deadline));
            options ??= new SessionCreateOptions();
            using var scope = deadline.Enter();
            var flow = new Flow(deadline);
            QodSession session;
            try
            {
                session = await _client.CreateSessionAsync(request, cancel).ConfigureAwait(false);
                flow.Done($"created QoD session {session.SessionId} for {request.Device}");
            }
            catch (NacApiException conflict) when (conflict.StatusCode == 409)
            {
                session = await ResolveConflictAsync(request, options, conflict, flow, cancel).ConfigureAwait(false);
            }
            if (IsUnavailable(session))
                throw new NacSessionUnavailableException(session,
                    $"QoD session {session.SessionId} for {request.Device} was created UNAVAILABLE ({session.StatusInfo ?? "no reason given"}): " +
                    "the network did not grant it. It is kept by the platform for a while; a new create for the same flow deletes it first.");
            if (options.WaitUntilAvailable && !IsAvailable(session))
                session = await WaitAsync(session, flow, null, cancel).ConfigureAwait(false);
            return session;
        }

        /// <summary>Polls the session until it is AVAILABLE, within <paramref name="limit"/> from now, its requests included.</summary>
        /// <exception cref="NacSessionUnavailableException">It became UNAVAILABLE: it will never become AVAILABLE.</exception>
        /// <exception cref="NacSessionWaitTimeoutException">Still not AVAILABLE when the limit was reached.</exception>
        public Task<QodSession> WaitUntilAvailableAsync(QodSession session, TimeSpan limit, CancellationToken cancel) =>
            WaitUntilAvailableAsync(session, new NacDeadline(limit), cancel);

        /// <summary>
        /// Polls the session until it is AVAILABLE, by <paramref name="deadline"/> (for example the rest of an
        /// operation that created it); each poll gets at most what is left.
        /// </summary>
        /// <exception cref="NacSessionUnavailableException">It became UNAVAILABLE: it will never become AVAILABLE.</exception>
        /// <exception cref="NacSessionWaitTimeoutException">Still not AVAILABLE when the deadline was reached.</exception>
        public async Task<QodSession> WaitUntilAvailableAsync(QodSession session, NacDeadline deadline, CancellationToken cancel)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            if (deadline == null) throw new ArgumentNullException(nameof(deadline));
            using var scope = deadline.Enter();
            return await WaitAsync(session, new Flow(deadline), null, cancel).ConfigureAwait(false);
        }

        /// <summary>The wait for AVAILABLE of a flow: polls until the flow's deadline; <paramref name="outcome"/> ends the message when it runs out.</summary>
        private async Task<QodSession> WaitAsync(QodSession session, Flow flow, string? outcome, CancellationToken cancel)
        {
            var interval = FirstPoll;
            var current = session;
            while (true)
            {
                if (IsAvailable(current)) return current;
                if (IsUnavailable(current))
                    throw new NacSessionUnavailableException(current,
                        $"QoD session {current.SessionId} became UNAVAILABLE ({current.StatusInfo ?? "no reason given"}) instead of AVAILABLE; it will not become AVAILABLE any more.");
                var left = flow.Deadline.Remaining;
                if (left < ShortestPoll) throw flow.WaitTimedOut(current, outcome, null);
                await Task.Delay(interval < left ? interval : left, cancel).ConfigureAwait(false);
                interval = TimeSpan.FromTicks(Math.Min(LongestPoll.Ticks, interval.Ticks * 2));
                if (flow.Deadline.Remaining < ShortestPoll) throw flow.WaitTimedOut(current, outcome, null);
                QodSession next;
                try
                {
                    next = await _client.GetSessionAsync(current.SessionId, cancel).ConfigureAwait(false);
                }
                catch (NacConnectionException e) when (e.IsTimeout)
                {
                    throw flow.WaitTimedOut(current, outcome, e);
                }
                next.Device = session.Device ?? next.Device;
                current = next;
            }
        }

        /// <summary>Extends a session within <paramref name="limit"/> from now, a wait for AVAILABLE included (see the overload with a deadline).</summary>
        public Task<QodSession> ExtendWhenAvailableAsync(string sessionId, int additionalSeconds, TimeSpan limit, CancellationToken cancel, QodSession? before = null) =>
            ExtendWhenAvailableAsync(sessionId, additionalSeconds, new NacDeadline(limit), cancel, before);

        /// <summary>
        /// Extends a session; one that is still REQUESTED (409 SESSION_EXTENSION_NOT_ALLOWED) is first waited
        /// for and then extended, every step by <paramref name="deadline"/>.
        /// </summary>
        /// <exception cref="NacSessionWaitTimeoutException">Still REQUESTED at the deadline: not extended.</exception>
        public async Task<QodSession> ExtendWhenAvailableAsync(string sessionId, int additionalSeconds, NacDeadline deadline, CancellationToken cancel, QodSession? before = null)
        {
            if (deadline == null) throw new ArgumentNullException(nameof(deadline));
            using var scope = deadline.Enter();
            var flow = new Flow(deadline);
            try
            {
                return await _client.ExtendSessionAsync(sessionId, additionalSeconds, cancel, before).ConfigureAwait(false);
            }
            catch (NacApiException e) when (e.StatusCode == 409 && e.Code == ExtensionNotAllowed)
            {
                flow.Done($"the extension of QoD session {sessionId} by {additionalSeconds} s was refused (409 {ExtensionNotAllowed}): it was not AVAILABLE");
                var now = await flow.Step("read the session", () => _client.GetSessionAsync(sessionId, cancel)).ConfigureAwait(false);
                if (now.Device == null && before != null) now.Device = before.Device;
                if (!string.Equals(now.Status, "REQUESTED", StringComparison.OrdinalIgnoreCase)) throw;
                Verbose($"QoD session {sessionId} is still REQUESTED: waiting until it is AVAILABLE (at most {NacDeadline.Seconds(flow.Deadline.Remaining)} s, what is left of {NacDeadline.Seconds(flow.Deadline.Limit)} s) to extend it.");
                var available = await WaitAsync(now, flow, " It was not extended.", cancel).ConfigureAwait(false);
                flow.Done($"it was AVAILABLE after {NacDeadline.Seconds(flow.Deadline.Elapsed)} s");
                return await flow.Step($"extend it by {additionalSeconds} s",
                    () => _client.ExtendSessionAsync(sessionId, additionalSeconds, cancel, available)).ConfigureAwait(false);
            }
        }

        private async Task<QodSession> ResolveConflictAsync(QodSessionRequest request, SessionCreateOptions options, NacApiException conflict, Flow flow, CancellationToken cancel)
        {
            IReadOnlyList<QodSession> sessions;
            try
            {
                sessions = await flow.Step("list the device's sessions", () => _client.GetSessionsAsync(request.Device, cancel)).ConfigureAwait(false);
            }
            catch (NacException e) when (!e.StopsCommand)
            {
                Verbose($"The device's sessions could not be listed to explain the 409: {e.Message}");
                throw conflict;
            }
            var sameFlow = sessions.Where(s => NacClient.IsSameFlow(request, s)).ToList();
            var active = sameFlow.FirstOrDefault(s => !IsUnavailable(s));
            if (active == null)
            {
                var terminated = sameFlow.Where(IsUnavailable).ToList();
                if (terminated.Count == 0) throw ConflictWithOthers(conflict, sessions);
                foreach (var old in terminated)
                {
                    Verbose($"QoD session {old.SessionId} of {request.Device} has the same profile, server and ports and is UNAVAILABLE ({old.StatusInfo ?? "no reason given"}); " +
                            "the platform refuses a new session for that flow until it is deleted: deleting it and creating the new one.");
                    await DeleteIfPresentAsync(old.SessionId, $"delete the UNAVAILABLE QoD session {old.SessionId} that blocks the new one", flow, cancel).ConfigureAwait(false);
                    flow.Done($"deleted the UNAVAILABLE QoD session {old.SessionId} ({old.StatusInfo ?? "no reason given"}) that blocked the new one");
                }
                return await CreateAgainAsync(request, flow, cancel).ConfigureAwait(false);
            }

            switch (options.IfExists)
            {
                case SessionConflictAction.Reuse:
                    Verbose($"QoD session {active.SessionId} of {request.Device} ({active.Status}) has the same profile, server and ports: reusing it (-IfExists Reuse).");
                    flow.Done($"found QoD session {active.SessionId} ({active.Status}) of {request.Device} with the same profile, server and ports, to reuse (-IfExists Reuse)");
                    return await ReuseAsync(active, request, flow, cancel).ConfigureAwait(false);
                case SessionConflictAction.Replace:
                    foreach (var old in sameFlow)
                    {
                        Verbose($"QoD session {old.SessionId} of {request.Device} ({old.Status}) has the same profile, server and ports: deleting it to create the new one (-IfExists Replace).");
                        await DeleteIfPresentAsync(old.SessionId, $"delete QoD session {old.SessionId} (-IfExists Replace)", flow, cancel).ConfigureAwait(false);
                        flow.Done($"deleted QoD session {old.SessionId} of the same flow (-IfExists Replace)");
                    }
                    return await CreateAgainAsync(request, flow, cancel).ConfigureAwait(false);
                default:
                    throw Conflict(conflict,
                        $"The device already has QoD session {active.SessionId} ({active.Status}, expires {When(active.ExpiresAt)}) with the same profile, server and ports. " +
                        "Add -IfExists Reuse to use it (extended to last the requested duration from now), or -IfExists Replace to delete it and create a new one.");
            }
        }

        private async Task<QodSession> CreateAgainAsync(QodSessionRequest request, Flow flow, CancellationToken cancel)
        {
            var session = await flow.Step($"create the new session for {request.Device}", () => _client.CreateSessionAsync(request, cancel)).ConfigureAwait(false);
            flow.Done($"created QoD session {session.SessionId} for {request.Device}");
            return session;
        }

        /// <summary>The active session, once AVAILABLE, extended so that it lasts at least the requested duration from now.</summary>
        private async Task<QodSession> ReuseAsync(QodSession active, QodSessionRequest request, Flow flow, CancellationToken cancel)
        {
            active.Device = request.Device;
            var session = IsAvailable(active) ? active : await WaitAsync(active, flow, " It was not reused.", cancel).ConfigureAwait(false);
            var wantedEnd = DateTimeOffset.UtcNow.AddSeconds(request.Duration);
            if (session.ExpiresAt.HasValue && session.ExpiresAt.Value < wantedEnd)
            {
                int more = (int)Math.Ceiling((wantedEnd - session.ExpiresAt.Value).TotalSeconds);
                more = Math.Max(1, Math.Min(more, NacValidation.MaxExtension));
                Verbose($"QoD session {session.SessionId} expires at {When(session.ExpiresAt)}: extending it by {more} s to last {request.Duration} s from now.");
                var extended = await flow.Step($"extend QoD session {session.SessionId} by {more} s",
                    () => _client.ExtendSessionAsync(session.SessionId, more, cancel, session)).ConfigureAwait(false);
                extended.Device = request.Device;
                return extended;
            }
            return session;
        }

        private async Task DeleteIfPresentAsync(string sessionId, string step, Flow flow, CancellationToken cancel)
        {
            try
            {
                await flow.Step(step, async () =>
                {
                    await _client.DeleteSessionAsync(sessionId, cancel).ConfigureAwait(false);
                    return true;
                }).ConfigureAwait(false);
            }
            catch (NacApiException e) when (e.StatusCode == 404)
            {
                Verbose($"QoD session {sessionId} was already gone.");
            }
        }

        /// <summary>
        /// One flow's deadline and what it has done so far, so that an error at the deadline says what state it
        /// left behind.
        /// </summary>
        private sealed class Flow
        {
            private readonly List<string> _done = new List<string>();

            public Flow(NacDeadline deadline) => Deadline = deadline;

            public NacDeadline Deadline { get; }

            public void Done(string what) => _done.Add(what);

            /// <summary>What was done, as a sentence start ("Created QoD session X for D, then ..."); null when nothing was.</summary>
            private string? Summary
            {
                get
                {
                    if (_done.Count == 0) return null;
                    string text = string.Join(", then ", _done);
                    return char.ToUpperInvariant(text[0]) + text.Substring(1);
                }
            }

            private string Limit => $"the {NacDeadline.Seconds(Deadline.Limit)} s this operation may take (-TimeoutSec, else NAC_TIMEOUT_SEC)";

            /// <summary>
            /// The next step: not started once the deadline is spent; a timeout inside it says what the flow had
            /// done before (the category stays a timeout).
            /// </summary>
            public async Task<T> Step<T>(string next, Func<Task<T>> call)
            {
                if (Deadline.Expired)
                    throw new NacConnectionException($"{Summary ?? "Nothing was done"}; {Limit} ran out after {Elapsed} s, before it could {next}. " +
                        "Allow longer with -TimeoutSec, and check the device's sessions with Get-NacQodSession.", "", null, true, null, 0, Deadline.Elapsed);
                try
                {
                    return await call().ConfigureAwait(false);
                }
                catch (NacConnectionException e) when (e.IsTimeout && _done.Count > 0)
                {
                    throw new NacConnectionException($"{Summary}; then, trying to {next} ({Elapsed} s into {Limit}): {e.Message}",
                        e.Request, e.Correlator, true, e, e.Attempts, Deadline.Elapsed);
                }
            }

            /// <summary>The wait for AVAILABLE ran out: what was done, the last state seen, how long it took.</summary>
            public NacSessionWaitTimeoutException WaitTimedOut(QodSession current, string? outcome, NacConnectionException? lastPoll)
            {
                string done = Summary == null ? "" : Summary + "; ";
                string poll = lastPoll == null ? "" : " (the last check got no answer in time)";
                return new NacSessionWaitTimeoutException(current, Deadline.Elapsed,
                    $"{done}QoD session {current.SessionId} is still {current.Status}{poll} after {Elapsed} s: it did not become AVAILABLE within {Limit}.{outcome ?? ""} " +
                    $"Allow longer with -TimeoutSec, or check it with Get-NacQodSession -SessionId {current.SessionId}.");
            }

            private string Elapsed => NacDeadline.Tenths(Deadline.Elapsed);
        }

        private static NacApiException ConflictWithOthers(NacApiException conflict, IReadOnlyList<QodSession> sessions)
        {
            var blocking = sessions.Where(s => !IsUnavailable(s)).Select(s => $"{s.SessionId} ({s.Profile}, {s.Status})").ToList();
            string note = blocking.Count == 0
                ? "No session of the device overlaps any more: try again."
                : $"The device's active sessions: {string.Join(", ", blocking)}; one of them overlaps this flow (addresses and ports). Remove it with Remove-NacQodSession, or use other ports or addresses.";
            return Conflict(conflict, note);
        }

        private static NacApiException Conflict(NacApiException e, string note) =>
            new NacApiException(e.StatusCode, "Conflict", e.Code, e.ServerMessage, e.Request, e.Correlator, e.RetryAfter, note);

        private static bool IsAvailable(QodSession s) => string.Equals(s.Status, "AVAILABLE", StringComparison.OrdinalIgnoreCase);
        private static bool IsUnavailable(QodSession s) => string.Equals(s.Status, "UNAVAILABLE", StringComparison.OrdinalIgnoreCase);

        private static string When(DateTimeOffset? t) => t.HasValue ? t.Value.ToString("o", CultureInfo.InvariantCulture) : "not yet known";

        private void Verbose(string line) => _client.TraceVerbose(line);
    }

    public sealed partial class NacClient
    {
        /// <summary>The reconciliation's notion of one flow: same profile, application server and ports.</summary>
        internal static bool IsSameFlow(QodSessionRequest request, QodSession session) => SameFlow(request, session);

        /// <summary>A verbose trace line from session orchestration, scrubbed like the client's own.</summary>
        internal void TraceVerbose(string line) => Verbose(line);
    }
}
