using System;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace NetworkAsCode.Simulator.Model;

/// <summary>An IPv4 or IPv6 address with a prefix length (a single address has /32 or /128).</summary>
public sealed partial class IpPrefix
{
    private readonly byte[] _bytes;

    private IpPrefix(byte[] bytes, int length, AddressFamily family)
    {
        _bytes = bytes;
        Length = length;
        Family = family;
    }

    public int Length { get; }

    public AddressFamily Family { get; }

    /// <summary>Strict dotted quad: four decimal octets 0..255, no leading zeros, no mask.</summary>
    public static bool IsStrictIpv4(string text) => StrictIpv4().IsMatch(text);

    /// <summary>A single IPv6 address, no prefix and no zone id.</summary>
    public static bool IsIpv6(string text) =>
        Ipv6Chars().IsMatch(text)
        && IPAddress.TryParse(text, out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>Parses <c>a.b.c.d</c> or <c>a.b.c.d/nn</c> (nn 0..32); null when malformed.</summary>
    public static IpPrefix? TryParseIpv4(string text, bool allowPrefix)
    {
        var (address, length) = SplitPrefix(text, allowPrefix, 32);
        if (address is null || length is null || !IsStrictIpv4(address))
        {
            return null;
        }

        return new IpPrefix(IPAddress.Parse(address).GetAddressBytes(), length.Value, AddressFamily.InterNetwork);
    }

    /// <summary>Parses an IPv6 address with an optional <c>/0..128</c>; null when malformed.</summary>
    public static IpPrefix? TryParseIpv6(string text, bool allowPrefix)
    {
        var (address, length) = SplitPrefix(text, allowPrefix, 128);
        if (address is null || length is null || !IsIpv6(address))
        {
            return null;
        }

        return new IpPrefix(IPAddress.Parse(address).GetAddressBytes(), length.Value, AddressFamily.InterNetworkV6);
    }

    /// <summary>True when the two prefixes share at least one address (same family, equal leading bits).</summary>
    public bool Overlaps(IpPrefix other)
    {
        if (Family != other.Family)
        {
            return false;
        }

        var bits = Math.Min(Length, other.Length);
        for (var i = 0; i < bits; i++)
        {
            var mask = 0x80 >> (i % 8);
            if ((_bytes[i / 8] & mask) != (other._bytes[i / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static (string? Address, int? Length) SplitPrefix(string text, bool allowPrefix, int maxLength)
    {
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            return (text, maxLength);
        }

        if (!allowPrefix)
        {
            return (null, null);
        }

        var lengthText = text[(slash + 1)..];
        if (lengthText.Length is 0 or > 3 || !PrefixDigits().IsMatch(lengthText))
        {
            return (null, null);
        }

        var length = int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture);
        return length > maxLength ? (null, null) : (text[..slash], length);
    }

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\z")]
    private static partial Regex StrictIpv4();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]+\z")]
    private static partial Regex Ipv6Chars();

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,2})\z")]
    private static partial Regex PrefixDigits();
}
