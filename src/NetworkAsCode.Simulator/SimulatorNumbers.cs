namespace NetworkAsCode.Simulator;

/// <summary>
/// Phone numbers with a fixed, documented behaviour (list them in the README). Any other well-formed number is a
/// known, eligible device.
/// </summary>
public static class SimulatorNumbers
{
    /// <summary>NaC's documented "not found" number: 404 IDENTIFIER_NOT_FOUND on create and retrieve-sessions.</summary>
    public const string NotFound = "+99999990404";

    /// <summary>A device the service does not apply to: 422 SERVICE_NOT_APPLICABLE on create and retrieve.</summary>
    public const string NotApplicable = "+99999990422";

    /// <summary>
    /// A device with no QoS profiles available to it (CAMARA retrieveQoSProfiles scenario 06): retrieve-qos-profiles answers
    /// 200 <c>[]</c>; the sessions API, where the service cannot apply to it, answers 422 SERVICE_NOT_APPLICABLE.
    /// </summary>
    public const string NoProfiles = "+99999990204";

    /// <summary>The session becomes AVAILABLE, then the network ends it (UNAVAILABLE / NETWORK_TERMINATED) after <c>--terminate-after-ms</c>.</summary>
    public const string NetworkTerminates = "+99999990500";

    /// <summary>
    /// Create answers 201 with <c>qosStatus: UNAVAILABLE</c>, <c>statusInfo: NETWORK_TERMINATED</c> (a CAMARA 1.2 provider
    /// whose network could not set the session up). The session is retained like any network-terminated one.
    /// </summary>
    public const string UnavailableOnCreate = "+99999990201";
}
