using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace NetworkAsCode.Http
{
    /// <summary>How <see cref="QodSessionFlows.CreateAsync"/> behaves around the create itself.</summary>
    public sealed class SessionCreateOptions
    {
        public SessionConflictAction IfExists { get; set; } = SessionConflictAction.Fail;

        /// <summary>Return the session only once AVAILABLE.</summary>
        public bool WaitUntilAvailable { get; set; }

        /// <summary>How long a wait for AVAILABLE may take (when waiting, and when a reused session is still REQUESTED).</summary>
        public TimeSpan WaitLimit { get; set; } = TimeSpan.FromSeconds(30);
    }

    /// <summary>
    /// The session life cycle as users meet it, so that no ordinary path ends at a 409: wait until AVAILABLE,
    /// extend a session that is still REQUESTED, clear a network-terminated session that blocks its own flow,
    /// and reuse or replace the active session of a re-run job. Built only on <see cref="NacClient"/>'s public calls.
    /// </summary>
    public sealed class QodSessionFlows
    {
        private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
        private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(2);
        private const string ExtensionNotAllowed = "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED";

        private readonly NacClient _client;

        public QodSessionFlows(NacClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        /// <summary>
        /// Creates a session. A 201 that is already UNAVAILABLE fails with its statusInfo. A 409 caused by an
        /// UNAVAILABLE session of the same device and flow is resolved by deleting that session and creating
        /// again; one caused by an active session of the same flow follows <see cref="SessionCreateOptions.IfExists"/>.
        /// </summary>
        /// <exception cref="NacSessionUnavailableException">The session is (or became, while waited for) UNAVAILABLE.</exception>
        /// <exception cref="NacSessionWaitTimeoutException">With a wait: not AVAILABLE in time.</exception>
        public async Task<QodSession> CreateAsync(QodSessionRequest request, SessionCreateOptions options, CancellationToken cancel)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            options ??= new SessionCreateOptions();
            QodSession session;
            try
            {
                session = await _client.CreateSessionAsync(request, cancel).ConfigureAwait(false);
            }
            catch (NacApiException conflict) when (conflict.StatusCode == 409)
            {
                session = await ResolveConflictAsync(request, options, conflict, cancel).ConfigureAwait(false);
            }
            if (IsUnavailable(session))
                throw new NacSessionUnavailableException(session,
                    $"QoD session {session.SessionId} for {request.Device} was created UNAVAILABLE ({session.StatusInfo ?? "no reason given"}): " +
                    "the network did not grant it. It is kept by the platform for a while; a new create for the same flow deletes it first.");
            if (options.WaitUntilAvailable && !IsAvailable(session))
                session = await WaitUntilAvailableAsync(session, options.WaitLimit, cancel).ConfigureAwait(false);
            return session;
        }

        /// <summary>
        /// Polls the session until it is AVAILABLE, within <paramref name="limit"/>.
        /// </summary>
        /// <exception cref="NacSessionUnavailableException">It became UNAVAILABLE: it will never become AVAILABLE.</exception>
        /// <exception cref="NacSessionWaitTimeoutException">Still not AVAILABLE when the limit was reached.</exception>
        public async Task<QodSession> WaitUntilAvailableAsync(QodSession session, TimeSpan limit, CancellationToken cancel)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            var deadline = DateTimeOffset.UtcNow + limit;
            var interval = FirstPoll;
            var current = session;
            while (true)
            {
                if (IsAvailable(current)) return current;
                if (IsUnavailable(current))
                    throw new NacSessionUnavailableException(current,
                        $"QoD session {current.SessionId} became UNAVAILABLE ({current.StatusInfo ?? "no reason given"}) instead of AVAILABLE; it will not become AVAILABLE any more.");
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                    throw new NacSessionWaitTimeoutException(current, limit,
                        $"QoD session {current.SessionId} is still {current.Status} after {Seconds(limit)} s; it did not become AVAILABLE. " +
                        "Allow longer with -TimeoutSec, or check it with Get-NacQodSession.");
                await Task.Delay(interval < left ? interval : left, cancel).ConfigureAwait(false);
                interval = TimeSpan.FromTicks(Math.Min(LongestPoll.Ticks, interval.Ticks * 2));
                var next = await _client.GetSessionAsync(current.SessionId, cancel).ConfigureAwait(false);
                next.Device = session.Device ?? next.Device;
                current = next;
            }
        }

        /// <summary>
        /// Extends a session; one that is still REQUESTED (409 SESSION_EXTENSION_NOT_ALLOWED) is first waited
        /// for, within <paramref name="waitLimit"/>, and then extended.
        /// </summary>
        public async Task<QodSession> ExtendWhenAvailableAsync(string sessionId, int additionalSeconds, TimeSpan waitLimit, CancellationToken cancel, QodSession? before = null)
        {
            try
            {
                return await _client.ExtendSessionAsync(sessionId, additionalSeconds, cancel, before).ConfigureAwait(false);
            }
            catch (NacApiException e) when (e.StatusCode == 409 && e.Code == ExtensionNotAllowed)
            {
                var now = await _client.GetSessionAsync(sessionId, cancel).ConfigureAwait(false);
                if (now.Device == null && before != null) now.Device = before.Device;
                if (!string.Equals(now.Status, "REQUESTED", StringComparison.OrdinalIgnoreCase)) throw;
                Verbose($"QoD session {sessionId} is still REQUESTED: waiting until it is AVAILABLE (at most {Seconds(waitLimit)} s) to extend it.");
                var available = await WaitUntilAvailableAsync(now, waitLimit, cancel).ConfigureAwait(false);
                return await _client.ExtendSessionAsync(sessionId, additionalSeconds, cancel, available).ConfigureAwait(false);
            }
        }

        private async Task<QodSession> ResolveConflictAsync(QodSessionRequest request, SessionCreateOptions options, NacApiException conflict, CancellationToken cancel)
        {
            IReadOnlyList<QodSession> sessions;
            try
            {
                sessions = await _client.GetSessionsAsync(request.Device, cancel).ConfigureAwait(false);
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
                    await DeleteIfPresentAsync(old.SessionId, cancel).ConfigureAwait(false);
                }
                return await _client.CreateSessionAsync(request, cancel).ConfigureAwait(false);
            }

            switch (options.IfExists)
            {
                case SessionConflictAction.Reuse:
                    Verbose($"QoD session {active.SessionId} of {request.Device} ({active.Status}) has the same profile, server and ports: reusing it (-IfExists Reuse).");
                    return await ReuseAsync(active, request, options, cancel).ConfigureAwait(false);
                case SessionConflictAction.Replace:
                    foreach (var old in sameFlow)
                    {
                        Verbose($"QoD session {old.SessionId} of {request.Device} ({old.Status}) has the same profile, server and ports: deleting it to create the new one (-IfExists Replace).");
                        await DeleteIfPresentAsync(old.SessionId, cancel).ConfigureAwait(false);
                    }
                    return await _client.CreateSessionAsync(request, cancel).ConfigureAwait(false);
                default:
                    throw Conflict(conflict,
                        $"The device already has QoD session {active.SessionId} ({active.Status}, expires {When(active.ExpiresAt)}) with the same profile, server and ports. " +
                        "Add -IfExists Reuse to use it (extended to last the requested duration from now), or -IfExists Replace to delete it and create a new one.");
            }
        }

        /// <summary>The active session, once AVAILABLE, extended so that it lasts at least the requested duration from now.</summary>
        private async Task<QodSession> ReuseAsync(QodSession active, QodSessionRequest request, SessionCreateOptions options, CancellationToken cancel)
        {
            active.Device = request.Device;
            var session = IsAvailable(active) ? active : await WaitUntilAvailableAsync(active, options.WaitLimit, cancel).ConfigureAwait(false);
            var wantedEnd = DateTimeOffset.UtcNow.AddSeconds(request.Duration);
            if (session.ExpiresAt.HasValue && session.ExpiresAt.Value < wantedEnd)
            {
                int more = (int)Math.Ceiling((wantedEnd - session.ExpiresAt.Value).TotalSeconds);
                more = Math.Max(1, Math.Min(more, NacValidation.MaxExtension));
                Verbose($"QoD session {session.SessionId} expires at {When(session.ExpiresAt)}: extending it by {more} s to last {request.Duration} s from now.");
                var extended = await _client.ExtendSessionAsync(session.SessionId, more, cancel, session).ConfigureAwait(false);
                extended.Device = request.Device;
                return extended;
            }
            return session;
        }

        private async Task DeleteIfPresentAsync(string sessionId, CancellationToken cancel)
        {
            try
            {
                await _client.DeleteSessionAsync(sessionId, cancel).ConfigureAwait(false);
            }
            catch (NacApiException e) when (e.StatusCode == 404)
            {
                Verbose($"QoD session {sessionId} was already gone.");
            }
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

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
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
