using System;
using System.Net;
using System.Text.Json.Nodes;

namespace NetworkAsCode.Simulator.Model;

/// <summary>The device IPv4 identifier: public address plus private address and/or public port.</summary>
public sealed record DeviceIpv4(string PublicAddress, string? PrivateAddress, int? PublicPort);

/// <summary>
/// A validated request <c>device</c>. Like a CAMARA Commonalities r3.3+ provider, the simulator uses ONE identifier: the
/// first present of phoneNumber, networkAccessIdentifier, ipv4Address, ipv6Address, and does no matching between
/// identifiers. Two requests name the same device when that chosen identifier is equal, so <c>{phone A, ipv4 X}</c> and
/// <c>{phone B, ipv4 X}</c> are two devices (DESIGN.md "Simulator decisions").
/// </summary>
public sealed class DeviceIdentity
{
    public DeviceIdentity(string? phoneNumber, string? networkAccessIdentifier, DeviceIpv4? ipv4Address, string? ipv6Address)
    {
        PhoneNumber = phoneNumber;
        NetworkAccessIdentifier = networkAccessIdentifier;
        Ipv4Address = ipv4Address;
        Ipv6Address = ipv6Address;
        Identifier = ChosenIdentifier();
    }

    public string? PhoneNumber { get; }

    public string? NetworkAccessIdentifier { get; }

    public DeviceIpv4? Ipv4Address { get; }

    public string? Ipv6Address { get; }

    /// <summary>
    /// The chosen identifier in a comparable form, e.g. <c>phone:+3670…</c>. An ipv4Address is compared as a whole
    /// (publicAddress, privateAddress and publicPort); a networkAccessIdentifier ignores case; an ipv6Address is
    /// compared in its canonical form.
    /// </summary>
    public string Identifier { get; }

    /// <summary>True when only identifiers the simulator does not support (networkAccessIdentifier) are present.</summary>
    public bool HasOnlyUnsupportedIdentifiers => PhoneNumber is null && Ipv4Address is null && Ipv6Address is null;

    public bool IsSameDevice(DeviceIdentity other) => string.Equals(Identifier, other.Identifier, StringComparison.Ordinal);

    /// <summary>
    /// The response <c>device</c> (CAMARA v1.1 <c>DeviceResponse</c>): exactly one identifier, the first present of
    /// phoneNumber, networkAccessIdentifier, ipv4Address, ipv6Address (the chosen identifier), as sent.
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

    private string ChosenIdentifier()
    {
        if (PhoneNumber is not null)
        {
            return "phone:" + PhoneNumber;
        }

        if (NetworkAccessIdentifier is not null)
        {
            return "nai:" + NetworkAccessIdentifier.ToLowerInvariant();
        }

        if (Ipv4Address is not null)
        {
            return $"ipv4:{Ipv4Address.PublicAddress}|private:{Ipv4Address.PrivateAddress}|port:{Ipv4Address.PublicPort}";
        }

        return "ipv6:" + IPAddress.Parse(Ipv6Address!);
    }

    public override string ToString() => Identifier;
}
