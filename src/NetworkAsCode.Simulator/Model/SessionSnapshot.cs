using System;
using System.Globalization;
using System.Text.Json.Nodes;

namespace NetworkAsCode.Simulator.Model;

/// <summary>An immutable copy of a session's state, rendered as CAMARA <c>SessionInfo</c>.</summary>
public sealed record SessionSnapshot(
    Guid SessionId,
    CreateSessionRequest Request,
    string QosStatus,
    string? StatusInfo,
    long Duration,
    DateTimeOffset? StartedAt,
    DateTimeOffset? ExpiresAt)
{
    public string Id => SessionId.ToString("D");

    /// <summary>
    /// SessionInfo: <c>statusInfo</c> only when UNAVAILABLE, <c>startedAt</c>/<c>expiresAt</c> not while REQUESTED,
    /// <c>device</c> with one identifier, optional parts only when given, and never the access token.
    /// </summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["sessionId"] = Id };
        if (Request.Device is not null)
        {
            json["device"] = Request.Device.ToResponseJson();
        }

        json["applicationServer"] = Request.ApplicationServer.ToJson();
        if (Request.DevicePorts is not null)
        {
            json["devicePorts"] = Request.DevicePorts.ToJson();
        }

        if (Request.ApplicationServerPorts is not null)
        {
            json["applicationServerPorts"] = Request.ApplicationServerPorts.ToJson();
        }

        json["qosProfile"] = Request.QosProfile;
        if (Request.Sink is not null)
        {
            json["sink"] = Request.Sink;
        }

        if (Request.SinkCredential is not null)
        {
            json["sinkCredential"] = new JsonObject { ["credentialType"] = "ACCESSTOKEN" };
        }

        json["duration"] = Duration;
        if (StartedAt is not null)
        {
            json["startedAt"] = Timestamp.Format(StartedAt.Value);
        }

        if (ExpiresAt is not null)
        {
            json["expiresAt"] = Timestamp.Format(ExpiresAt.Value);
        }

        json["qosStatus"] = QosStatus;
        if (StatusInfo is not null)
        {
            json["statusInfo"] = StatusInfo;
        }

        return json;
    }
}

/// <summary>RFC 3339 UTC timestamps with millisecond precision and a 'Z', e.g. 2025-01-01T12:00:00.250Z.</summary>
public static class Timestamp
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
