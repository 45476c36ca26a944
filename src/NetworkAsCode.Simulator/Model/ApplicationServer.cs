using System.Text.Json.Nodes;

namespace NetworkAsCode.Simulator.Model;

/// <summary>CAMARA v1.1 <c>ApplicationServer</c>: an IPv4 and/or IPv6 address or subnet, kept as sent.</summary>
public sealed class ApplicationServer
{
    public ApplicationServer(string? ipv4Address, IpPrefix? ipv4Prefix, string? ipv6Address, IpPrefix? ipv6Prefix)
    {
        Ipv4Address = ipv4Address;
        Ipv4Prefix = ipv4Prefix;
        Ipv6Address = ipv6Address;
        Ipv6Prefix = ipv6Prefix;
    }

    public string? Ipv4Address { get; }

    public IpPrefix? Ipv4Prefix { get; }

    public string? Ipv6Address { get; }

    public IpPrefix? Ipv6Prefix { get; }

    /// <summary>CIDR-aware: true when an IPv4 subnet of one intersects the other's, or the same for IPv6.</summary>
    public bool Overlaps(ApplicationServer other) =>
        (Ipv4Prefix is not null && other.Ipv4Prefix is not null && Ipv4Prefix.Overlaps(other.Ipv4Prefix))
        || (Ipv6Prefix is not null && other.Ipv6Prefix is not null && Ipv6Prefix.Overlaps(other.Ipv6Prefix));

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Ipv4Address is not null)
        {
            json["ipv4Address"] = Ipv4Address;
        }

        if (Ipv6Address is not null)
        {
            json["ipv6Address"] = Ipv6Address;
        }

        return json;
    }
}
