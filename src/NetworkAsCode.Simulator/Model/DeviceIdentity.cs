using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;

namespace NetworkAsCode.Simulator.Model;

/// <summary>The device IPv4 identifier: public address plus private address and/or public port.</summary>
public sealed record DeviceIpv4(string PublicAddress, string? PrivateAddress, int? PublicPort);

/// <summary>
/// A validated request <c>device</c>. Two devices are the same device when they share any identifier value
/// (DESIGN.md "Simulator decisions").
/// </summary>
public sealed class DeviceIdentity
{
    public DeviceIdentity(string? phoneNumber, string? networkAccessIdentifier, DeviceIpv4? ipv4Address, string? ipv6Address)
    {
        PhoneNumber = phoneNumber;
        NetworkAccessIdentifier = networkAccessIdentifier;
        Ipv4Address = ipv4Address;
        Ipv6Address = ipv6Address;
        Keys = BuildKeys();
    }

    public string? PhoneNumber { get; }

    public string? NetworkAccessIdentifier { get; }

    public DeviceIpv4? Ipv4Address { get; }

    public string? Ipv6Address { get; }

    /// <summary>Identifier values used for "same device" matching.</summary>
    public IReadOnlySet<string> Keys { get; }

    /// <summary>True when only identifiers the simulator does not support (networkAccessIdentifier) are present.</summary>
    public bool HasOnlyUnsupportedIdentifiers => PhoneNumber is null && Ipv4Address is null && Ipv6Address is null;

    public bool IsSameDevice(DeviceIdentity other) => Keys.Overlaps(other.Keys);

    /// <summary>
    /// The response <c>device</c> (CAMARA v1.1 <c>DeviceResponse</c>): exactly one identifier, the first present of
    /// phoneNumber, networkAccessIdentifier, ipv4Address, ipv6Address, as sent.
    /// </summary>
    public JsonObject ToResponseJson()
    {
        if (PhoneNumber is not null)
        {
            return new JsonObject { ["phoneNumber"] = PhoneNumber };
        }

        if (NetworkAccessIdentifier is not null)
        {
            return new JsonObject { ["networkAccessIdentifier"] = NetworkAccessIdentifier };
        }

        if (Ipv4Address is not null)
        {
            var ipv4 = new JsonObject { ["publicAddress"] = Ipv4Address.PublicAddress };
            if (Ipv4Address.PrivateAddress is not null)
            {
                ipv4["privateAddress"] = Ipv4Address.PrivateAddress;
            }

            if (Ipv4Address.PublicPort is not null)
            {
                ipv4["publicPort"] = Ipv4Address.PublicPort.Value;
            }

            return new JsonObject { ["ipv4Address"] = ipv4 };
        }

        return new JsonObject { ["ipv6Address"] = Ipv6Address };
    }

    private HashSet<string> BuildKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (PhoneNumber is not null)
        {
            keys.Add("phone:" + PhoneNumber);
        }

        if (NetworkAccessIdentifier is not null)
        {
            keys.Add("nai:" + NetworkAccessIdentifier.ToLowerInvariant());
        }

        if (Ipv4Address is not null)
        {
            if (Ipv4Address.PrivateAddress is not null)
            {
                keys.Add($"ipv4:{Ipv4Address.PublicAddress}|private:{Ipv4Address.PrivateAddress}");
            }

            if (Ipv4Address.PublicPort is not null)
            {
                keys.Add($"ipv4:{Ipv4Address.PublicAddress}|port:{Ipv4Address.PublicPort}");
            }
        }

        if (Ipv6Address is not null)
        {
            keys.Add("ipv6:" + IPAddress.Parse(Ipv6Address));
        }

        return keys;
    }

    public override string ToString() => string.Join(", ", Keys.OrderBy(k => k, StringComparer.Ordinal));
}
