using NetworkAsCode.Simulator.Model;
using Xunit;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>CIDR overlap and strict address parsing, without HTTP.</summary>
public sealed class IpPrefixTests
{
    [Theory]
    [InlineData("198.51.100.7", "198.51.100.0/24", true)]
    [InlineData("198.51.100.0/24", "198.51.101.0/24", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("198.51.100.7/32", "198.51.100.8", false)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    public void Ipv4_overlap(string a, string b, bool overlaps)
    {
        Assert.Equal(overlaps, IpPrefix.TryParseIpv4(a, true)!.Overlaps(IpPrefix.TryParseIpv4(b, true)!));
    }

    [Theory]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/33", "2001:db8:8000::1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    public void Ipv6_overlap(string a, string b, bool overlaps)
    {
        Assert.Equal(overlaps, IpPrefix.TryParseIpv6(a, true)!.Overlaps(IpPrefix.TryParseIpv6(b, true)!));
    }

    [Theory]
    [InlineData("1.2.3.4", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("1.2.3", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("01.2.3.4", false)]
    [InlineData("1.2.3.256", false)]
    [InlineData(" 1.2.3.4", false)]
    [InlineData("1.2.3.4\n", false)]
    [InlineData("0x1.2.3.4", false)]
    public void Strict_ipv4(string text, bool valid)
    {
        Assert.Equal(valid, IpPrefix.IsStrictIpv4(text));
    }

    [Theory]
    [InlineData("2001:db8::1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:192.0.2.1", true)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("2001:db8::1/64", false)]
    [InlineData("1.2.3.4", false)]
    [InlineData("gggg::1", false)]
    public void Single_ipv6(string text, bool valid)
    {
        Assert.Equal(valid, IpPrefix.IsIpv6(text));
    }
}
