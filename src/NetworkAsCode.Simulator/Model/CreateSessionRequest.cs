namespace NetworkAsCode.Simulator.Model;

/// <summary>A notification credential (only ACCESSTOKEN / bearer is accepted). The token is never echoed or logged.</summary>
public sealed record SinkCredential(string AccessToken, string AccessTokenExpiresUtc)
{
    public override string ToString() => "SinkCredential { ACCESSTOKEN, bearer, token hidden }";
}

/// <summary>A schema-valid <c>CreateSession</c> body.</summary>
public sealed record CreateSessionRequest(
    string QosProfile,
    DeviceIdentity? Device,
    ApplicationServer ApplicationServer,
    PortsSpec? DevicePorts,
    PortsSpec? ApplicationServerPorts,
    long Duration,
    string? Sink,
    SinkCredential? SinkCredential);

/// <summary>Session status values (<c>qosStatus</c>).</summary>
public static class QosStatus
{
    public const string Requested = "REQUESTED";
    public const string Available = "AVAILABLE";
    public const string Unavailable = "UNAVAILABLE";
}

/// <summary><c>statusInfo</c> values.</summary>
public static class StatusInfo
{
    public const string DurationExpired = "DURATION_EXPIRED";
    public const string NetworkTerminated = "NETWORK_TERMINATED";
    public const string DeleteRequested = "DELETE_REQUESTED";
}
