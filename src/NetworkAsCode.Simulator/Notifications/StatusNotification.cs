using System;

namespace NetworkAsCode.Simulator.Notifications;

/// <summary>A status change to be POSTed to a session's sink as a CloudEvent.</summary>
public sealed record StatusNotification(
    Guid SessionId,
    string Sink,
    string? AccessToken,
    string Source,
    string QosStatus,
    string? StatusInfo,
    DateTimeOffset Time)
{
    // Keep the token out of any accidental logging of the record.
    public override string ToString() => $"StatusNotification {{ {SessionId}, {QosStatus}, {StatusInfo}, {Sink} }}";
}

/// <summary>Accepts notifications without blocking (the store calls it while holding its lock).</summary>
public interface INotificationQueue
{
    void Enqueue(StatusNotification notification);
}
