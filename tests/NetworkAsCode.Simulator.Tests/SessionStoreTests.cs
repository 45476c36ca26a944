using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Http;
using NetworkAsCode.Simulator.Model;
using NetworkAsCode.Simulator.Notifications;
using NetworkAsCode.Simulator.Profiles;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using NetworkAsCode.Simulator.Validation;
using Xunit;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>The store's life cycle with a manual clock: exact, deterministic timings without HTTP.</summary>
public sealed class SessionStoreTests
{
    private static readonly SessionOwner Owner = SessionOwner.FromKey("store-test-key");
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);
    private readonly RecordingQueue _events = new();
    private readonly SimulatorStats _stats = new();
    private readonly SessionStore _store;

    public SessionStoreTests() =>
        _store = new SessionStore(
            new SessionTimings(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(360)), _time, _events, _stats);

    [Fact]
    public void Life_cycle_follows_the_clock_exactly_and_notifies_each_change()
    {
        var session = _store.Create(Owner, Request("+36701110001", 10, sink: true), "http://127.0.0.1:1");
        Assert.Equal(QosStatus.Requested, session.QosStatus);
        Assert.Null(session.StartedAt);

        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(QosStatus.Requested, _store.Get(Owner, session.SessionId).QosStatus);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var available = _store.Get(Owner, session.SessionId);
        Assert.Equal(QosStatus.Available, available.QosStatus);
        Assert.Equal(Start.AddMilliseconds(500), available.StartedAt);
        Assert.Equal(Start.AddMilliseconds(10_500), available.ExpiresAt);

        _time.Advance(TimeSpan.FromSeconds(10));
        var expired = _store.Get(Owner, session.SessionId);
        Assert.Equal(QosStatus.Unavailable, expired.QosStatus);
        Assert.Equal(StatusInfo.DurationExpired, expired.StatusInfo);
        Assert.Equal(10, expired.Duration);
        Assert.Equal(Start.AddMilliseconds(10_500), expired.ExpiresAt);

        _time.Advance(TimeSpan.FromSeconds(359));
        Assert.Equal(QosStatus.Unavailable, _store.Get(Owner, session.SessionId).QosStatus);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(404, Assert.Throws<ApiError>(() => _store.Get(Owner, session.SessionId)).Status);

        Assert.Equal(
            ["AVAILABLE/", "UNAVAILABLE/DURATION_EXPIRED"],
            _events.Items.Select(e => $"{e.QosStatus}/{e.StatusInfo}").ToArray());
        Assert.All(_events.Items, e => Assert.Equal("secret", e.AccessToken));
        Assert.All(_events.Items, e => Assert.Equal($"http://127.0.0.1:1/quality-on-demand/v1/sessions/{session.Id}", e.Source));
    }

    [Fact]
    public void Extend_adds_time_but_caps_the_remaining_time_at_86400_seconds()
    {
        var id = _store.Create(Owner, Request("+36701110002", 86_000), "http://x").SessionId;
        _time.Advance(TimeSpan.FromMilliseconds(500));

        var extended = _store.Extend(Owner, id, 300);
        Assert.Equal(86_300, extended.Duration);
        Assert.Equal(Start.AddMilliseconds(500).AddSeconds(86_300), extended.ExpiresAt);

        _time.Advance(TimeSpan.FromSeconds(1000));
        var capped = _store.Extend(Owner, id, 86_399);
        Assert.Equal(Start.AddMilliseconds(500).AddSeconds(1000 + 86_400), capped.ExpiresAt);
        Assert.Equal(87_400, capped.Duration);
        Assert.Equal(TimeSpan.FromSeconds(86_400), capped.ExpiresAt!.Value - _time.GetUtcNow());

        var again = _store.Extend(Owner, id, 5);
        Assert.Equal(capped.ExpiresAt, again.ExpiresAt);
    }

    [Fact]
    public void Extension_moves_the_expiry_timer()
    {
        var id = _store.Create(Owner, Request("+36701110003", 5), "http://x").SessionId;
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _store.Extend(Owner, id, 5);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(QosStatus.Available, _store.Get(Owner, id).QosStatus);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(QosStatus.Unavailable, _store.Get(Owner, id).QosStatus);
        Assert.Equal(10, _store.Get(Owner, id).Duration);
    }

    [Fact]
    public void Network_terminated_number_ends_after_the_configured_time()
    {
        var id = _store.Create(Owner, Request(SimulatorNumbers.NetworkTerminates, 60, sink: true), "http://x").SessionId;
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(QosStatus.Available, _store.Get(Owner, id).QosStatus);

        _time.Advance(TimeSpan.FromSeconds(3));
        var ended = _store.Get(Owner, id);
        Assert.Equal(QosStatus.Unavailable, ended.QosStatus);
        Assert.Equal(StatusInfo.NetworkTerminated, ended.StatusInfo);
        Assert.Equal(3, ended.Duration);
        Assert.Equal(Start.AddMilliseconds(3500), ended.ExpiresAt);
        Assert.Equal("UNAVAILABLE/NETWORK_TERMINATED", $"{_events.Items.Last().QosStatus}/{_events.Items.Last().StatusInfo}");
    }

    [Fact]
    public void Delete_notifies_DELETE_REQUESTED_only_when_AVAILABLE()
    {
        var requested = _store.Create(Owner, Request("+36701110004", 60, sink: true), "http://x").SessionId;
        _store.Delete(Owner, requested);
        Assert.Empty(_events.Items);

        var available = _store.Create(Owner, Request("+36701110004", 60, sink: true), "http://x").SessionId;
        _time.Advance(TimeSpan.FromSeconds(1));
        _store.Delete(Owner, available);
        Assert.Equal(["AVAILABLE/", "UNAVAILABLE/DELETE_REQUESTED"], _events.Items.Select(e => $"{e.QosStatus}/{e.StatusInfo}").ToArray());
        Assert.Equal(2, _stats.SessionsDeleted);
    }

    [Fact]
    public void A_network_terminated_session_holds_its_flow_until_it_is_purged()
    {
        var id = _store.Create(Owner, Request(SimulatorNumbers.NetworkTerminates, 60), "http://x").SessionId;
        _time.Advance(TimeSpan.FromMilliseconds(3500));
        Assert.Equal(StatusInfo.NetworkTerminated, _store.Get(Owner, id).StatusInfo);

        _time.Advance(TimeSpan.FromSeconds(360) - TimeSpan.FromMilliseconds(1));
        var conflict = Assert.Throws<ApiError>(() => _store.Create(Owner, Request(SimulatorNumbers.NetworkTerminates, 60), "http://x"));
        Assert.Equal((409, "CONFLICT"), (conflict.Status, conflict.Code));
        Assert.Contains($"session {id:D} (UNAVAILABLE, NETWORK_TERMINATED)", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("until 2025-06-01T12:06:03.500Z (360 s after it ended)", conflict.Message, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var next = _store.Create(Owner, Request(SimulatorNumbers.NetworkTerminates, 60), "http://x");

        Assert.Equal(QosStatus.Requested, next.QosStatus);
        Assert.Equal(404, Assert.Throws<ApiError>(() => _store.Get(Owner, id)).Status);
    }

    [Fact]
    public void Number_0201_is_UNAVAILABLE_from_the_start_never_AVAILABLE_and_purged_after_retention()
    {
        var created = _store.Create(Owner, Request(SimulatorNumbers.UnavailableOnCreate, 60, sink: true), "http://x");
        Assert.Equal((QosStatus.Unavailable, StatusInfo.NetworkTerminated), (created.QosStatus, created.StatusInfo));
        Assert.Null(created.StartedAt);
        Assert.Equal(Start, created.ExpiresAt);
        Assert.Equal(["UNAVAILABLE/NETWORK_TERMINATED"], _events.Items.Select(e => $"{e.QosStatus}/{e.StatusInfo}").ToArray());

        _time.Advance(TimeSpan.FromSeconds(359));
        Assert.Equal(created, _store.Get(Owner, created.SessionId));
        Assert.Single(_events.Items);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(404, Assert.Throws<ApiError>(() => _store.Get(Owner, created.SessionId)).Status);
    }

    [Fact]
    public void Only_the_owner_sees_reads_extends_and_deletes_a_session()
    {
        var stranger = SessionOwner.FromKey("another-key");
        var id = _store.Create(Owner, Request("+36701110006", 60), "http://x").SessionId;
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(403, Assert.Throws<ApiError>(() => _store.Get(stranger, id)).Status);
        Assert.Equal(403, Assert.Throws<ApiError>(() => _store.Extend(stranger, id, 10)).Status);
        Assert.Equal(403, Assert.Throws<ApiError>(() => _store.Delete(stranger, id)).Status);
        Assert.Empty(_store.ListByOwner(stranger));
        Assert.Equal([id], _store.ListByOwner(Owner).Select(s => s.SessionId).ToArray());
        Assert.Equal(60, _store.Get(Owner, id).Duration);
        Assert.DoesNotContain("another-key", stranger.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Expired_sessions_do_not_conflict()
    {
        _store.Create(Owner, Request("+36701110005", 1), "http://x");
        Assert.Equal(409, Assert.Throws<ApiError>(() => _store.Create(Owner, Request("+36701110005", 1), "http://x")).Status);
        _time.Advance(TimeSpan.FromSeconds(2));

        var second = _store.Create(Owner, Request("+36701110005", 1), "http://x");

        Assert.Equal(QosStatus.Requested, second.QosStatus);
    }

    [Fact]
    public void Concurrent_creates_and_deletes_lose_nothing()
    {
        var ids = new ConcurrentBag<Guid>();
        Parallel.For(0, 200, i => ids.Add(_store.Create(Owner, Request("+3670222" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), 60), "http://x").SessionId));
        Assert.Equal(200, ids.Distinct().Count());
        Assert.Equal(200, _store.Counts().Total);

        Parallel.ForEach(ids, id => _store.Delete(Owner, id));

        Assert.Equal(0, _store.Counts().Total);
        Assert.Equal(200, _stats.SessionsCreated);
        Assert.Equal(200, _stats.SessionsDeleted);
    }

    private static CreateSessionRequest Request(string phone, int duration, bool sink = false)
    {
        var sinkPart = sink
            ? ""","sink":"https://sink.example/n","sinkCredential":{"credentialType":"ACCESSTOKEN","accessToken":"secret","accessTokenType":"bearer","accessTokenExpiresUtc":"2030-01-01T00:00:00Z"}"""
            : "";
        var body = RequestBody.Parse(
            $$"""{"qosProfile":"QOS_E","device":{"phoneNumber":"{{phone}}"},"applicationServer":{"ipv4Address":"198.51.100.1"},"duration":{{duration}}{{sinkPart}}}""");
        return RequestValidator.CreateSession(body, ProfileCatalog.CreateDefault());
    }

    private sealed class RecordingQueue : INotificationQueue
    {
        private readonly ConcurrentQueue<StatusNotification> _items = new();

        public StatusNotification[] Items => _items.ToArray();

        public void Enqueue(StatusNotification notification) => _items.Enqueue(notification);
    }
}
