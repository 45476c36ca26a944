using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NetworkAsCode.Simulator.Http;
using NetworkAsCode.Simulator.Model;
using NetworkAsCode.Simulator.Notifications;

namespace NetworkAsCode.Simulator;

/// <summary>Life cycle timings of the store.</summary>
public sealed record SessionTimings(TimeSpan AvailableDelay, TimeSpan TerminateAfter, TimeSpan Retention)
{
    public static SessionTimings From(SimulatorOptions options) => new(
        TimeSpan.FromMilliseconds(options.AvailableDelayMs),
        TimeSpan.FromMilliseconds(options.TerminateAfterMs),
        TimeSpan.FromSeconds(options.RetentionSeconds));
}

/// <summary>
/// Thread-safe session state and life cycle: REQUESTED → AVAILABLE (after the available delay) → UNAVAILABLE
/// (DURATION_EXPIRED at expiresAt, or NETWORK_TERMINATED for <see cref="SimulatorNumbers.NetworkTerminates"/>; at once
/// for <see cref="SimulatorNumbers.UnavailableOnCreate"/>), kept for the retention time, then purged. DELETE removes a
/// session at once. Each session belongs to the API key that created it (<see cref="SessionOwner"/>).
/// One lock guards all state; each session has one timer for its next transition, and every read also brings
/// the session up to date, so a late timer never shows a stale status.
/// </summary>
public sealed class SessionStore : IDisposable
{
    /// <summary>The remaining time of a session (expiresAt − now) never exceeds this after an extension.</summary>
    public static readonly TimeSpan MaxRemaining = TimeSpan.FromSeconds(86_400);

    private readonly object _gate = new();
    private readonly Dictionary<Guid, Session> _sessions = [];
    private readonly SessionTimings _timings;
    private readonly TimeProvider _time;
    private readonly INotificationQueue _notifications;
    private readonly SimulatorStats _stats;
    private bool _disposed;

    public SessionStore(SessionTimings timings, TimeProvider time, INotificationQueue notifications, SimulatorStats stats)
    {
        _timings = timings;
        _time = time;
        _notifications = notifications;
        _stats = stats;
    }

    /// <summary>
    /// Creates a session of <paramref name="owner"/>, or throws 409 CONFLICT when it overlaps a session of the same device
    /// that still holds the flow: REQUESTED, AVAILABLE, or UNAVAILABLE / NETWORK_TERMINATED and not yet deleted or purged
    /// (CAMARA: the client must delete a network-terminated session before it creates the same flow again).
    /// The flow of a device is one in the network whoever asks, so sessions of other keys conflict too; the message
    /// names the blocking session's id only to its owner.
    /// </summary>
    /// <param name="sourceBase">The simulator's base URL, used as the CloudEvent <c>source</c> prefix.</param>
    public SessionSnapshot Create(SessionOwner owner, CreateSessionRequest request, string sourceBase)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            if (request.Device is not null && FindBlockingSession(owner, request, now) is { } blocking)
            {
                throw ApiError.Conflict(ConflictMessage(owner, blocking));
            }

            Guid id;
            do
            {
                id = Guid.NewGuid();
            }
            while (_sessions.ContainsKey(id));

            var session = new Session(id, owner, request, $"{sourceBase.TrimEnd('/')}/quality-on-demand/v1/sessions/{id:D}", now + _timings.AvailableDelay);
            session.Timer = _time.CreateTimer(OnTimer, session, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _sessions.Add(id, session);
            _stats.Created();
            if (request.Device?.PhoneNumber == SimulatorNumbers.UnavailableOnCreate)
            {
                // A CAMARA 1.2 provider's answer: the network could not set the session up.
                session.Status = QosStatus.Unavailable;
                session.StatusInfo = StatusInfo.NetworkTerminated;
                session.ExpiresAt = now;
                session.PurgeAt = now + _timings.Retention;
                Notify(session, QosStatus.Unavailable, StatusInfo.NetworkTerminated, now);
                _stats.Terminated();
            }

            Advance(session, now);
            return session.Snapshot();
        }
    }

    /// <summary>The session, or 404 NOT_FOUND, or 403 PERMISSION_DENIED when another key created it.</summary>
    public SessionSnapshot Get(SessionOwner owner, Guid id)
    {
        lock (_gate)
        {
            return Current(owner, id).Snapshot();
        }
    }

    /// <summary>All retained sessions (any status) of the device that <paramref name="owner"/> created, oldest first.</summary>
    public IReadOnlyList<SessionSnapshot> RetrieveByDevice(SessionOwner owner, DeviceIdentity device) =>
        Retained(owner, s => s.Request.Device is not null && s.Request.Device.IsSameDevice(device));

    /// <summary>All retained sessions (any status, any device or none) that <paramref name="owner"/> created, oldest first.</summary>
    public IReadOnlyList<SessionSnapshot> ListByOwner(SessionOwner owner) => Retained(owner, _ => true);

    /// <summary>
    /// Extends an AVAILABLE session: expiresAt moves by <paramref name="additionalSeconds"/>, but the remaining time is
    /// capped at 86,400 s. Otherwise 409 QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED.
    /// </summary>
    public SessionSnapshot Extend(SessionOwner owner, Guid id, int additionalSeconds)
    {
        lock (_gate)
        {
            var session = Current(owner, id);
            if (session.Status != QosStatus.Available)
            {
                throw ApiError.ExtensionNotAllowed(session.Status);
            }

            var now = _time.GetUtcNow();
            var started = session.StartedAt!.Value;
            var expires = session.ExpiresAt!.Value.AddSeconds(additionalSeconds);
            var cap = now + MaxRemaining;
            if (expires > cap)
            {
                // Keep expiresAt − startedAt a whole number of seconds.
                expires = started.AddSeconds(Math.Floor((cap - started).TotalSeconds));
            }

            if (expires > session.ExpiresAt.Value)
            {
                session.ExpiresAt = expires;
                session.Duration = (long)Math.Round((expires - started).TotalSeconds);
                Schedule(session, now);
            }

            return session.Snapshot();
        }
    }

    /// <summary>
    /// Deletes a session (404 NOT_FOUND if unknown, 403 PERMISSION_DENIED if another key created it). An AVAILABLE
    /// session notifies UNAVAILABLE / DELETE_REQUESTED.
    /// </summary>
    public void Delete(SessionOwner owner, Guid id)
    {
        lock (_gate)
        {
            var session = Current(owner, id);
            if (session.Status == QosStatus.Available)
            {
                Notify(session, QosStatus.Unavailable, StatusInfo.DeleteRequested, _time.GetUtcNow());
            }

            Remove(session);
            _stats.Deleted();
        }
    }

    public SessionCounts Counts()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var session in _sessions.Values.ToList())
            {
                Advance(session, now);
            }

            return new SessionCounts(
                _sessions.Values.Count(s => s.Status == QosStatus.Requested),
                _sessions.Values.Count(s => s.Status == QosStatus.Available),
                _sessions.Values.Count(s => s.Status == QosStatus.Unavailable));
        }
    }

    /// <summary>Forgets every session without notifications (<c>POST /_simulator/reset</c>).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var session in _sessions.Values)
            {
                session.Timer?.Dispose();
            }

            _sessions.Clear();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var session in _sessions.Values)
            {
                session.Timer?.Dispose();
            }

            _sessions.Clear();
        }
    }

    /// <summary>
    /// The session for a get, extend or delete. Another key's session is 403 PERMISSION_DENIED (CAMARA's code for a
    /// resource of another client), not 404: a 404 on delete reads as "already gone", and a script that deletes with
    /// the wrong key must learn that the session still runs. Session ids are random, so nothing is revealed to a
    /// client that was not given the id.
    /// </summary>
    private Session Current(SessionOwner owner, Guid id)
    {
        if (_sessions.TryGetValue(id, out var session) && Advance(session, _time.GetUtcNow()))
        {
            if (!session.Owner.Equals(owner))
            {
                throw new ApiError(403, "PERMISSION_DENIED",
                    $"Session {id:D} belongs to another application: it was created with a different API key. Use that key to read, extend or delete it.");
            }

            return session;
        }

        throw ApiError.NotFound($"Session {id:D} does not exist.");
    }

    private List<SessionSnapshot> Retained(SessionOwner owner, Func<Session, bool> include)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var result = new List<SessionSnapshot>();
            foreach (var session in _sessions.Values.OrderBy(s => s.CreatedOrder).ToList())
            {
                if (session.Owner.Equals(owner) && include(session) && Advance(session, now))
                {
                    result.Add(session.Snapshot());
                }
            }

            return result;
        }
    }

    /// <summary>The session that holds the flow of <paramref name="request"/>, preferring one of <paramref name="owner"/>; null when none.</summary>
    private Session? FindBlockingSession(SessionOwner owner, CreateSessionRequest request, DateTimeOffset now)
    {
        Session? blocking = null;
        foreach (var other in _sessions.Values.ToList())
        {
            if (other.Request.Device is null || !other.Request.Device.IsSameDevice(request.Device!) || !Advance(other, now))
            {
                continue; // another device, or purged just now
            }

            var holdsFlow = other.Status is QosStatus.Requested or QosStatus.Available
                || (other.Status == QosStatus.Unavailable && other.StatusInfo == StatusInfo.NetworkTerminated);
            if (holdsFlow
                && other.Request.ApplicationServer.Overlaps(request.ApplicationServer)
                && PortsSpec.Intersect(other.Request.DevicePorts, request.DevicePorts)
                && PortsSpec.Intersect(other.Request.ApplicationServerPorts, request.ApplicationServerPorts))
            {
                if (other.Owner.Equals(owner))
                {
                    return other;
                }

                blocking ??= other;
            }
        }

        return blocking;
    }

    private string ConflictMessage(SessionOwner owner, Session blocking)
    {
        const string Prefix = "Conflict with an existing session for the same device: ";
        const string Overlap = "covers overlapping application server addresses and ports.";
        if (!blocking.Owner.Equals(owner))
        {
            return Prefix + "a session of another application (another API key) " + Overlap;
        }

        if (blocking.Status == QosStatus.Unavailable)
        {
            return Prefix + $"session {blocking.Id:D} ({blocking.Status}, {blocking.StatusInfo}) " + Overlap +
                $" The network terminated it; it keeps the flow until it is deleted or until {Timestamp.Format(blocking.PurgeAt)}" +
                $" ({_timings.Retention.TotalSeconds:0} s after it ended). Delete session {blocking.Id:D} first.";
        }

        return Prefix + $"session {blocking.Id:D} ({blocking.Status}) " + Overlap;
    }

    private void OnTimer(object? state)
    {
        var session = (Session)state!;
        lock (_gate)
        {
            if (!_disposed && _sessions.TryGetValue(session.Id, out var current) && ReferenceEquals(current, session))
            {
                Advance(session, _time.GetUtcNow());
            }
        }
    }

    /// <summary>Applies every transition due at <paramref name="now"/>; false when the session was purged.</summary>
    private bool Advance(Session session, DateTimeOffset now)
    {
        while (true)
        {
            if (session.Status == QosStatus.Requested && now >= session.AvailableAt)
            {
                var started = session.AvailableAt;
                session.Status = QosStatus.Available;
                session.StartedAt = started;
                session.ExpiresAt = started.AddSeconds(session.Duration);
                if (session.Request.Device?.PhoneNumber == SimulatorNumbers.NetworkTerminates)
                {
                    session.TerminateAt = started + _timings.TerminateAfter;
                }

                Notify(session, QosStatus.Available, null, started);
            }
            else if (session.Status == QosStatus.Available && session.TerminateAt is { } terminateAt
                     && terminateAt < session.ExpiresAt!.Value && now >= terminateAt)
            {
                End(session, StatusInfo.NetworkTerminated, terminateAt);
                _stats.Terminated();
            }
            else if (session.Status == QosStatus.Available && now >= session.ExpiresAt!.Value)
            {
                End(session, StatusInfo.DurationExpired, session.ExpiresAt.Value);
                _stats.Expired();
            }
            else if (session.Status == QosStatus.Unavailable && now >= session.PurgeAt)
            {
                Remove(session);
                _stats.Purged();
                return false;
            }
            else
            {
                break;
            }
        }

        Schedule(session, now);
        return true;
    }

    private void End(Session session, string statusInfo, DateTimeOffset at)
    {
        session.Status = QosStatus.Unavailable;
        session.StatusInfo = statusInfo;
        session.ExpiresAt = at;
        session.Duration = Math.Max(1, (long)Math.Round((at - session.StartedAt!.Value).TotalSeconds));
        session.PurgeAt = at + _timings.Retention;
        Notify(session, QosStatus.Unavailable, statusInfo, at);
    }

    private void Schedule(Session session, DateTimeOffset now)
    {
        DateTimeOffset due = session.Status switch
        {
            QosStatus.Requested => session.AvailableAt,
            QosStatus.Available when session.TerminateAt is { } t && t < session.ExpiresAt!.Value => t,
            QosStatus.Available => session.ExpiresAt!.Value,
            _ => session.PurgeAt,
        };
        var delay = due - now;
        if (delay < TimeSpan.FromMilliseconds(1))
        {
            delay = TimeSpan.FromMilliseconds(1);
        }

        // Timer periods above ~49 days are not supported; a later wake-up just re-schedules.
        var max = TimeSpan.FromDays(30);
        session.Timer?.Change(delay > max ? max : delay, Timeout.InfiniteTimeSpan);
    }

    private void Remove(Session session)
    {
        session.Timer?.Dispose();
        session.Timer = null;
        _sessions.Remove(session.Id);
    }

    private void Notify(Session session, string qosStatus, string? statusInfo, DateTimeOffset at)
    {
        if (session.Request.Sink is { } sink)
        {
            _notifications.Enqueue(new StatusNotification(
                session.Id, sink, session.Request.SinkCredential?.AccessToken, session.Source, qosStatus, statusInfo, at));
        }
    }

    private sealed class Session(Guid id, SessionOwner owner, CreateSessionRequest request, string source, DateTimeOffset availableAt)
    {
        private static long _order;

        public Guid Id { get; } = id;

        public SessionOwner Owner { get; } = owner;

        public long CreatedOrder { get; } = Interlocked.Increment(ref _order);

        public CreateSessionRequest Request { get; } = request;

        public string Source { get; } = source;

        public DateTimeOffset AvailableAt { get; } = availableAt;

        public string Status { get; set; } = QosStatus.Requested;

        public string? StatusInfo { get; set; }

        public long Duration { get; set; } = request.Duration;

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        public DateTimeOffset? TerminateAt { get; set; }

        public DateTimeOffset PurgeAt { get; set; }

        public ITimer? Timer { get; set; }

        public SessionSnapshot Snapshot() => new(Id, Request, Status, StatusInfo, Duration, StartedAt, ExpiresAt);
    }
}
