using System;
using System.Text.Json.Nodes;
using System.Threading;

namespace NetworkAsCode.Simulator;

/// <summary>Why the gateway refused a request before it reached QoD (counted under <c>gateway</c> in the stats).</summary>
public enum GatewayRefusal
{
    /// <summary>404: X-RapidAPI-Host missing or not the one of --rapidapi-host.</summary>
    HostRejected,

    /// <summary>401: no key (nor Bearer token), or a Bearer token that is not the key.</summary>
    Unauthenticated,

    /// <summary>403: a key other than the one of --api-key.</summary>
    InvalidKey,

    /// <summary>403: a key of --unsubscribed-key.</summary>
    NotSubscribed,

    /// <summary>429: the key's quota for the period is spent.</summary>
    QuotaExceeded,

    /// <summary>429: the key's token bucket is empty.</summary>
    RateLimited,
}

/// <summary>Counters served by <c>GET /_simulator/stats</c>. Thread-safe.</summary>
public sealed class SimulatorStats
{
    private long _requests;
    private long _throttled;
    private long _failed;
    private long _created;
    private long _deleted;
    private long _expired;
    private long _terminated;
    private long _purged;
    private long _notificationsSent;
    private long _notificationsFailed;
    private readonly long[] _gateway = new long[Enum.GetValues<GatewayRefusal>().Length];

    public long Requests => Interlocked.Read(ref _requests);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long Failed => Interlocked.Read(ref _failed);

    public long SessionsCreated => Interlocked.Read(ref _created);

    public long SessionsDeleted => Interlocked.Read(ref _deleted);

    public long NotificationsSent => Interlocked.Read(ref _notificationsSent);

    public long NotificationsFailed => Interlocked.Read(ref _notificationsFailed);

    internal void Request() => Interlocked.Increment(ref _requests);

    internal void Throttle() => Interlocked.Increment(ref _throttled);

    internal void Fail() => Interlocked.Increment(ref _failed);

    internal void Created() => Interlocked.Increment(ref _created);

    internal void Deleted() => Interlocked.Increment(ref _deleted);

    internal void Expired() => Interlocked.Increment(ref _expired);

    internal void Terminated() => Interlocked.Increment(ref _terminated);

    internal void Purged() => Interlocked.Increment(ref _purged);

    internal void NotificationSent() => Interlocked.Increment(ref _notificationsSent);

    internal void NotificationFailed() => Interlocked.Increment(ref _notificationsFailed);

    internal void GatewayRefused(GatewayRefusal why) => Interlocked.Increment(ref _gateway[(int)why]);

    /// <summary>How many requests the gateway refused for this reason.</summary>
    public long GatewayRefusals(GatewayRefusal why) => Interlocked.Read(ref _gateway[(int)why]);

    internal void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _throttled, 0);
        Interlocked.Exchange(ref _failed, 0);
        Interlocked.Exchange(ref _created, 0);
        Interlocked.Exchange(ref _deleted, 0);
        Interlocked.Exchange(ref _expired, 0);
        Interlocked.Exchange(ref _terminated, 0);
        Interlocked.Exchange(ref _purged, 0);
        Interlocked.Exchange(ref _notificationsSent, 0);
        Interlocked.Exchange(ref _notificationsFailed, 0);
        for (var i = 0; i < _gateway.Length; i++)
        {
            Interlocked.Exchange(ref _gateway[i], 0);
        }
    }

    public JsonObject ToJson(SessionCounts live) => new()
    {
        ["requests"] = Requests,
        ["faultsInjected"] = Throttled + Failed,
        ["throttled"] = Throttled,
        ["failed"] = Failed,
        ["sessionsCreated"] = SessionsCreated,
        ["sessionsDeleted"] = SessionsDeleted,
        ["sessionsExpired"] = Interlocked.Read(ref _expired),
        ["sessionsNetworkTerminated"] = Interlocked.Read(ref _terminated),
        ["sessionsPurged"] = Interlocked.Read(ref _purged),
        ["sessionsLive"] = live.Total,
        ["sessionsRequested"] = live.Requested,
        ["sessionsAvailable"] = live.Available,
        ["sessionsUnavailable"] = live.Unavailable,
        ["notificationsSent"] = NotificationsSent,
        ["notificationsFailed"] = NotificationsFailed,
        ["gateway"] = GatewayJson(),
    };

    /// <summary>The gateway's refusals by reason, e.g. <c>{"hostRejected":0,…,"rateLimited":3}</c>.</summary>
    private JsonObject GatewayJson()
    {
        var json = new JsonObject();
        foreach (var why in Enum.GetValues<GatewayRefusal>())
        {
            var name = why.ToString();
            json[char.ToLowerInvariant(name[0]) + name[1..]] = GatewayRefusals(why);
        }

        return json;
    }
}

/// <summary>Sessions currently held by the store, by status.</summary>
public readonly record struct SessionCounts(int Requested, int Available, int Unavailable)
{
    public int Total => Requested + Available + Unavailable;
}
