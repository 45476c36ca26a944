using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetworkAsCode.Simulator.Http;
using NetworkAsCode.Simulator.Model;
using NetworkAsCode.Simulator.Profiles;

namespace NetworkAsCode.Simulator.Validation;

/// <summary>
/// Validates request bodies against the CAMARA QoD v1.1 schemas and the simulator's rules, throwing
/// <see cref="ApiError"/> with the contract's status and code. Unknown properties are ignored (v1.1).
/// Order: schema errors (400) first, then profile and duration rules (400), then device rules (404/422).
/// </summary>
public static partial class RequestValidator
{
    public const string PhoneNumberPattern = @"^\+[1-9][0-9]{4,14}$";
    public const string QosProfileNamePattern = "^[a-zA-Z0-9_.-]+$";
    public const string XCorrelatorPattern = @"^[a-zA-Z0-9-_:;.\/<>{}]{0,256}$";
    public const int MaxRequestedAdditionalDuration = 86_399;

    private static readonly string[] ProfileStatuses = ["ACTIVE", "INACTIVE", "DEPRECATED"];

    public static bool IsValidCorrelator(string value) => XCorrelator().IsMatch(value);

    /// <summary>A path <c>sessionId</c>: must be a UUID (else 400 INVALID_ARGUMENT).</summary>
    public static Guid SessionId(string value)
    {
        // TryParseExact trims white space; a padded id is not the session's id.
        if (value.Length != 36 || !Guid.TryParseExact(value, "D", out var id))
        {
            throw ApiError.InvalidArgument("sessionId must be a UUID.");
        }

        return id;
    }

    /// <summary>A QoS profile name: 3..256 characters matching <see cref="QosProfileNamePattern"/>.</summary>
    public static string ProfileName(string value, string path)
    {
        if (value.Length is < 3 or > 256)
        {
            throw ApiError.InvalidArgument($"{path} must be 3 to 256 characters long.");
        }

        if (!ProfileNameRegex().IsMatch(value))
        {
            throw ApiError.InvalidArgument($"{path} must match {QosProfileNamePattern}.");
        }

        return value;
    }

    /// <summary>Validates a <c>CreateSession</c> body completely (everything except conflicts with existing sessions).</summary>
    public static CreateSessionRequest CreateSession(JsonElement body, ProfileCatalog catalog)
    {
        RequireNonEmptyBody(body);

        var qosProfile = ProfileName(JsonFields.String(JsonFields.Required(body, "qosProfile", "qosProfile"), "qosProfile"), "qosProfile");
        var applicationServer = ApplicationServer(JsonFields.Required(body, "applicationServer", "applicationServer"));
        var deviceJson = JsonFields.Optional(body, "device");
        var device = deviceJson is null ? null : Device(deviceJson.Value, "device");
        var devicePorts = OptionalPorts(body, "devicePorts");
        var applicationServerPorts = OptionalPorts(body, "applicationServerPorts");
        var duration = JsonFields.Integer(JsonFields.Required(body, "duration", "duration"), "duration");
        if (duration < 1)
        {
            throw ApiError.InvalidArgument("duration must be a positive number of seconds (at least 1).");
        }

        var sinkJson = JsonFields.Optional(body, "sink");
        var sink = sinkJson is null ? null : Sink(sinkJson.Value);
        var credentialJson = JsonFields.Optional(body, "sinkCredential");
        var credential = credentialJson is null ? null : SinkCredential(credentialJson.Value);

        var profile = catalog.Find(qosProfile)
            ?? throw ApiError.InvalidArgument($"qosProfile '{qosProfile}' is not a known QoS profile.");
        if (duration < profile.MinDurationSeconds || duration > profile.MaxDurationSeconds)
        {
            throw ApiError.DurationOutOfRange(
                $"duration {duration} is out of the allowed range for QoS profile {profile.Name} ({profile.MinDurationSeconds}..{profile.MaxDurationSeconds} seconds).");
        }

        if (!string.Equals(profile.Status, "ACTIVE", StringComparison.Ordinal))
        {
            throw ApiError.QosProfileNotApplicable($"QoS profile {profile.Name} is {profile.Status} and cannot be used for new sessions.");
        }

        if (device is null)
        {
            throw ApiError.MissingIdentifier("The device cannot be identified: device is required.");
        }

        CheckDeviceUsable(device);
        return new CreateSessionRequest(qosProfile, device, applicationServer, devicePorts, applicationServerPorts, duration, sink, credential);
    }

    /// <summary>Validates an <c>ExtendSessionDuration</c> body and returns <c>requestedAdditionalDuration</c>.</summary>
    public static int ExtendSession(JsonElement body)
    {
        var value = JsonFields.Integer(JsonFields.Required(body, "requestedAdditionalDuration", "requestedAdditionalDuration"), "requestedAdditionalDuration");
        if (value is < 1 or > MaxRequestedAdditionalDuration)
        {
            throw ApiError.InvalidArgument($"requestedAdditionalDuration must be between 1 and {MaxRequestedAdditionalDuration} seconds.");
        }

        return (int)value;
    }

    /// <summary>Validates a <c>RetrieveSessionsInput</c> body; the device is required (2-legged access).</summary>
    public static DeviceIdentity RetrieveSessions(JsonElement body)
    {
        var deviceJson = JsonFields.Optional(body, "device")
            ?? throw ApiError.MissingIdentifier("The device cannot be identified: device is required.");
        var device = Device(deviceJson, "device");
        CheckDeviceUsable(device);
        return device;
    }

    /// <summary>Validates a <c>QosProfileDeviceRequest</c> (all filters optional; <c>{}</c> returns everything).</summary>
    public static (string? Name, string? Status, DeviceIdentity? Device) RetrieveProfiles(JsonElement body)
    {
        var nameJson = JsonFields.Optional(body, "name");
        var name = nameJson is null ? null : ProfileName(JsonFields.String(nameJson.Value, "name"), "name");
        var statusJson = JsonFields.Optional(body, "status");
        string? status = null;
        if (statusJson is not null)
        {
            status = JsonFields.String(statusJson.Value, "status");
            if (Array.IndexOf(ProfileStatuses, status) < 0)
            {
                throw ApiError.InvalidArgument("status must be one of ACTIVE, INACTIVE, DEPRECATED.");
            }
        }

        var deviceJson = JsonFields.Optional(body, "device");
        DeviceIdentity? device = null;
        if (deviceJson is not null)
        {
            device = Device(deviceJson.Value, "device");
            if (!HasNoProfiles(device))
            {
                CheckDeviceUsable(device);
            }
        }

        return (name, status, device);
    }

    /// <summary>A request <c>device</c> (schema only): at least one identifier, each well-formed.</summary>
    public static DeviceIdentity Device(JsonElement value, string path)
    {
        JsonFields.Object(value, path);
        string? phoneNumber = null;
        if (JsonFields.Optional(value, "phoneNumber") is { } phoneJson)
        {
            phoneNumber = JsonFields.String(phoneJson, $"{path}.phoneNumber");
            if (!PhoneNumberRegex().IsMatch(phoneNumber))
            {
                throw ApiError.InvalidArgument($"{path}.phoneNumber must match {PhoneNumberPattern}.");
            }
        }

        string? nai = null;
        if (JsonFields.Optional(value, "networkAccessIdentifier") is { } naiJson)
        {
            nai = JsonFields.String(naiJson, $"{path}.networkAccessIdentifier", 1, 2048);
        }

        DeviceIpv4? ipv4 = null;
        if (JsonFields.Optional(value, "ipv4Address") is { } ipv4Json)
        {
            ipv4 = DeviceIpv4(ipv4Json, $"{path}.ipv4Address");
        }

        string? ipv6 = null;
        if (JsonFields.Optional(value, "ipv6Address") is { } ipv6Json)
        {
            ipv6 = JsonFields.String(ipv6Json, $"{path}.ipv6Address");
            if (!IpPrefix.IsIpv6(ipv6))
            {
                throw ApiError.InvalidArgument($"{path}.ipv6Address must be a single IPv6 address without a prefix.");
            }
        }

        if (phoneNumber is null && nai is null && ipv4 is null && ipv6 is null)
        {
            throw ApiError.InvalidArgument(
                $"{path} must contain at least one identifier: phoneNumber, networkAccessIdentifier, ipv4Address or ipv6Address.");
        }

        return new DeviceIdentity(phoneNumber, nai, ipv4, ipv6);
    }

    /// <summary>Device rules after the schema: supported identifier types and the simulator numbers.</summary>
    public static void CheckDeviceUsable(DeviceIdentity device)
    {
        if (device.HasOnlyUnsupportedIdentifiers)
        {
            throw ApiError.UnsupportedIdentifier(
                "The identifier provided is not supported: networkAccessIdentifier is not supported; use phoneNumber, ipv4Address or ipv6Address.");
        }

        switch (device.PhoneNumber)
        {
            case SimulatorNumbers.NotFound:
                throw ApiError.IdentifierNotFound($"Device identifier not found: {device.PhoneNumber}.");
            case SimulatorNumbers.NotApplicable:
            case SimulatorNumbers.NoProfiles:
                throw ApiError.ServiceNotApplicable($"The service is not available for the provided identifier: {device.PhoneNumber}.");
        }
    }

    /// <summary>The simulator device that has no QoS profiles (retrieve-qos-profiles answers <c>[]</c> for it).</summary>
    public static bool HasNoProfiles(DeviceIdentity device) =>
        string.Equals(device.PhoneNumber, SimulatorNumbers.NoProfiles, StringComparison.Ordinal);

    private static void RequireNonEmptyBody(JsonElement body)
    {
        using var properties = body.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw ApiError.InvalidArgument("The request body must not be empty.");
        }
    }

    private static DeviceIpv4 DeviceIpv4(JsonElement value, string path)
    {
        JsonFields.Object(value, path);
        var publicAddress = JsonFields.String(JsonFields.Required(value, "publicAddress", $"{path}.publicAddress"), $"{path}.publicAddress");
        if (!IpPrefix.IsStrictIpv4(publicAddress))
        {
            throw ApiError.InvalidArgument($"{path}.publicAddress must be an IPv4 address in dotted-quad form (a.b.c.d).");
        }

        string? privateAddress = null;
        if (JsonFields.Optional(value, "privateAddress") is { } privateJson)
        {
            privateAddress = JsonFields.String(privateJson, $"{path}.privateAddress");
            if (!IpPrefix.IsStrictIpv4(privateAddress))
            {
                throw ApiError.InvalidArgument($"{path}.privateAddress must be an IPv4 address in dotted-quad form (a.b.c.d).");
            }
        }

        int? publicPort = null;
        if (JsonFields.Optional(value, "publicPort") is { } portJson)
        {
            publicPort = JsonFields.Port(portJson, $"{path}.publicPort");
        }

        if (privateAddress is null && publicPort is null)
        {
            throw ApiError.InvalidArgument($"{path} must contain privateAddress or publicPort besides publicAddress.");
        }

        return new DeviceIpv4(publicAddress, privateAddress, publicPort);
    }

    private static ApplicationServer ApplicationServer(JsonElement value)
    {
        const string path = "applicationServer";
        JsonFields.Object(value, path);
        string? ipv4 = null;
        IpPrefix? ipv4Prefix = null;
        if (JsonFields.Optional(value, "ipv4Address") is { } ipv4Json)
        {
            ipv4 = JsonFields.String(ipv4Json, $"{path}.ipv4Address");
            ipv4Prefix = IpPrefix.TryParseIpv4(ipv4, allowPrefix: true)
                ?? throw ApiError.InvalidArgument($"{path}.ipv4Address must be an IPv4 address (a.b.c.d) or subnet (a.b.c.d/0..32).");
        }

        string? ipv6 = null;
        IpPrefix? ipv6Prefix = null;
        if (JsonFields.Optional(value, "ipv6Address") is { } ipv6Json)
        {
            ipv6 = JsonFields.String(ipv6Json, $"{path}.ipv6Address");
            ipv6Prefix = IpPrefix.TryParseIpv6(ipv6, allowPrefix: true)
                ?? throw ApiError.InvalidArgument($"{path}.ipv6Address must be an IPv6 address or subnet (address/0..128).");
        }

        if (ipv4 is null && ipv6 is null)
        {
            throw ApiError.InvalidArgument($"{path} must contain ipv4Address or ipv6Address.");
        }

        return new ApplicationServer(ipv4, ipv4Prefix, ipv6, ipv6Prefix);
    }

    private static PortsSpec? OptionalPorts(JsonElement body, string path)
    {
        if (JsonFields.Optional(body, path) is not { } value)
        {
            return null;
        }

        JsonFields.Object(value, path);
        List<int>? ports = null;
        if (JsonFields.Optional(value, "ports") is { } portsJson)
        {
            ports = [];
            foreach (var (item, index) in NonEmptyArray(portsJson, $"{path}.ports"))
            {
                ports.Add(JsonFields.Port(item, $"{path}.ports[{index}]"));
            }
        }

        List<PortRange>? ranges = null;
        if (JsonFields.Optional(value, "ranges") is { } rangesJson)
        {
            ranges = [];
            foreach (var (item, index) in NonEmptyArray(rangesJson, $"{path}.ranges"))
            {
                var itemPath = $"{path}.ranges[{index}]";
                JsonFields.Object(item, itemPath);
                var from = JsonFields.Port(JsonFields.Required(item, "from", $"{itemPath}.from"), $"{itemPath}.from");
                var to = JsonFields.Port(JsonFields.Required(item, "to", $"{itemPath}.to"), $"{itemPath}.to");
                if (from > to)
                {
                    throw ApiError.OutOfRange($"{itemPath}: from ({from}) must not be greater than to ({to}).");
                }

                ranges.Add(new PortRange(from, to));
            }
        }

        if (ports is null && ranges is null)
        {
            throw ApiError.InvalidArgument($"{path} must contain ports or ranges.");
        }

        return new PortsSpec(ports, ranges);
    }

    private static IEnumerable<(JsonElement Item, int Index)> NonEmptyArray(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ApiError.InvalidArgument($"{path} must be an array.");
        }

        if (value.GetArrayLength() == 0)
        {
            throw ApiError.InvalidArgument($"{path} must contain at least one item.");
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            yield return (item, index++);
        }
    }

    private static string Sink(JsonElement value)
    {
        var sink = JsonFields.String(value, "sink", 1, 2048);
        if (!Uri.TryCreate(sink, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw ApiError.InvalidSink("sink must be an absolute https URL.");
        }

        if (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            return sink;
        }

        throw ApiError.InvalidSink("sink must be an https URL (http is accepted only for a loopback host: localhost, 127.0.0.0/8, [::1]).");
    }

    private static SinkCredential SinkCredential(JsonElement value)
    {
        const string path = "sinkCredential";
        JsonFields.Object(value, path);
        RequireNonEmptyObject(value, path);
        var type = JsonFields.String(JsonFields.Required(value, "credentialType", $"{path}.credentialType"), $"{path}.credentialType");
        if (!string.Equals(type, "ACCESSTOKEN", StringComparison.Ordinal))
        {
            throw ApiError.InvalidCredential($"Only Access token is supported: {path}.credentialType must be ACCESSTOKEN.");
        }

        var tokenType = JsonFields.String(JsonFields.Required(value, "accessTokenType", $"{path}.accessTokenType"), $"{path}.accessTokenType");
        if (!string.Equals(tokenType, "bearer", StringComparison.Ordinal))
        {
            throw ApiError.InvalidToken($"Only bearer token is supported: {path}.accessTokenType must be bearer.");
        }

        var token = JsonFields.String(JsonFields.Required(value, "accessToken", $"{path}.accessToken"), $"{path}.accessToken", 1, 4096);
        var expires = JsonFields.String(
            JsonFields.Required(value, "accessTokenExpiresUtc", $"{path}.accessTokenExpiresUtc"), $"{path}.accessTokenExpiresUtc");
        if (!Rfc3339().IsMatch(expires)
            || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw ApiError.InvalidArgument($"{path}.accessTokenExpiresUtc must be an RFC 3339 date-time with a time zone.");
        }

        return new SinkCredential(token, expires);
    }

    private static void RequireNonEmptyObject(JsonElement value, string path)
    {
        using var properties = value.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw ApiError.InvalidArgument($"{path} must not be empty.");
        }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{4,14}\z")]
    private static partial Regex PhoneNumberRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9_.-]+\z")]
    private static partial Regex ProfileNameRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9-_:;.\/<>{}]{0,256}\z")]
    private static partial Regex XCorrelator();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\z")]
    private static partial Regex Rfc3339();
}
