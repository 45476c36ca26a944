using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>
/// Device identity as CAMARA Commonalities r3.3+ defines it: one identifier chosen by precedence (phoneNumber,
/// networkAccessIdentifier, ipv4Address, ipv6Address), no matching between identifiers. Checked for retrieve-sessions,
/// the overlap rule, the response device and notifications.
/// </summary>
public sealed class DeviceIdentityTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly HttpClient _client = fixture.Client;
    private static int _address = Random.Shared.Next(0, 200);

    [Fact]
    public async Task Two_phones_sharing_an_ipv4_address_are_two_devices()
    {
        var (phoneA, phoneB, ipv4) = (NewPhone(), NewPhone(), NewDeviceIpv4());
        var server = NewServer();
        var a = await CreateAsync(_client, Device(server, new JsonObject { ["phoneNumber"] = phoneA, ["ipv4Address"] = ipv4.DeepClone() }));

        // Same flow, same ipv4Address, another phone: another device, so no overlap.
        var b = await CreateAsync(_client, Device(server, new JsonObject { ["phoneNumber"] = phoneB, ["ipv4Address"] = ipv4.DeepClone() }));

        AssertDevice($$"""{"phoneNumber":"{{phoneA}}"}""", a);
        AssertDevice($$"""{"phoneNumber":"{{phoneB}}"}""", b);
        Assert.Equal([(string)a["sessionId"]!], await RetrieveIdsAsync(new JsonObject { ["phoneNumber"] = phoneA }));
        Assert.Equal([(string)b["sessionId"]!], await RetrieveIdsAsync(new JsonObject { ["phoneNumber"] = phoneB, ["ipv4Address"] = ipv4.DeepClone() }));

        // The ipv4Address alone names a third device, which has no sessions.
        Assert.Empty(await RetrieveIdsAsync(new JsonObject { ["ipv4Address"] = ipv4.DeepClone() }));
        Assert.Equal(201, (await PostAsync(_client, Qod + "sessions", Device(server, new JsonObject { ["ipv4Address"] = ipv4.DeepClone() }))).Code);
    }

    [Fact]
    public async Task The_chosen_identifier_alone_decides_whatever_else_is_sent()
    {
        var phone = NewPhone();
        var server = NewServer();
        var created = await CreateAsync(_client, Device(server, new JsonObject { ["phoneNumber"] = phone, ["ipv4Address"] = NewDeviceIpv4() }));

        // Same phone, other secondary identifiers: the same device, so the same flow overlaps.
        var other = new JsonObject { ["phoneNumber"] = phone, ["ipv4Address"] = NewDeviceIpv4(), ["ipv6Address"] = "2001:db8:77::1" };
        (await PostAsync(_client, Qod + "sessions", Device(server, other))).AssertError(409, "CONFLICT", (string)created["sessionId"]!);
        Assert.Equal([(string)created["sessionId"]!], await RetrieveIdsAsync(other));
    }

    [Fact]
    public async Task Network_access_identifier_comes_before_addresses_and_ignores_case()
    {
        var nai = "user" + NewPhone()[1..] + "@Example.com";
        var ipv4 = NewDeviceIpv4();
        var server = NewServer();
        var created = await CreateAsync(_client, Device(server, new JsonObject { ["ipv4Address"] = ipv4.DeepClone(), ["networkAccessIdentifier"] = nai }));
        AssertDevice($$"""{"networkAccessIdentifier":"{{nai}}"}""", created);

        var sameNai = new JsonObject { ["networkAccessIdentifier"] = nai.ToUpperInvariant(), ["ipv6Address"] = "2001:db8:78::1" };
        (await PostAsync(_client, Qod + "sessions", Device(server, sameNai))).AssertError(409, "CONFLICT");

        // The address alone is another device.
        Assert.Empty(await RetrieveIdsAsync(new JsonObject { ["ipv4Address"] = ipv4.DeepClone() }));
        Assert.Equal(201, (await PostAsync(_client, Qod + "sessions", Device(server, new JsonObject { ["ipv4Address"] = ipv4.DeepClone() }))).Code);
    }

    [Fact]
    public async Task An_ipv4_address_is_compared_as_a_whole()
    {
        var server = NewServer();
        var port = new JsonObject { ["publicAddress"] = "203.0.113.90", ["publicPort"] = Next() + 1000 };
        await CreateAsync(_client, Device(server, new JsonObject { ["ipv4Address"] = port.DeepClone() }));
        (await PostAsync(_client, Qod + "sessions", Device(server, new JsonObject { ["ipv4Address"] = port.DeepClone() }))).AssertError(409, "CONFLICT");

        // Another public port, or the same port with a private address added: other devices.
        var otherPort = new JsonObject { ["publicAddress"] = "203.0.113.90", ["publicPort"] = (int)port["publicPort"]! + 1 };
        Assert.Equal(201, (await PostAsync(_client, Qod + "sessions", Device(server, new JsonObject { ["ipv4Address"] = otherPort }))).Code);
        var withPrivate = port.DeepClone().AsObject();
        withPrivate["privateAddress"] = "10.1.2.3";
        Assert.Equal(201, (await PostAsync(_client, Qod + "sessions", Device(server, new JsonObject { ["ipv4Address"] = withPrivate }))).Code);
    }

    [Fact]
    public async Task An_ipv6_address_is_compared_in_canonical_form()
    {
        var server = NewServer();
        var n = Next().ToString("x", CultureInfo.InvariantCulture);
        var created = await CreateAsync(_client, Device(server, new JsonObject { ["ipv6Address"] = $"2001:db8:0:0:0:0:{n}:1" }));
        AssertDevice($$"""{"ipv6Address":"2001:db8:0:0:0:0:{{n}}:1"}""", created); // echoed as sent

        var compressed = new JsonObject { ["ipv6Address"] = $"2001:DB8::{n}:1" };
        (await PostAsync(_client, Qod + "sessions", Device(server, compressed))).AssertError(409, "CONFLICT");
        Assert.Equal([(string)created["sessionId"]!], await RetrieveIdsAsync(compressed));
    }

    [Fact]
    public async Task Notifications_of_two_devices_sharing_an_address_stay_apart()
    {
        await using var sinkA = await SinkListener.StartAsync();
        await using var sinkB = await SinkListener.StartAsync();
        var ipv4 = NewDeviceIpv4();
        var server = NewServer();
        var a = (string)(await CreateAsync(_client, WithSink(Device(server, new JsonObject { ["phoneNumber"] = NewPhone(), ["ipv4Address"] = ipv4.DeepClone() }), sinkA)))["sessionId"]!;
        var b = (string)(await CreateAsync(_client, WithSink(Device(server, new JsonObject { ["phoneNumber"] = NewPhone(), ["ipv4Address"] = ipv4.DeepClone() }), sinkB)))["sessionId"]!;
        await sinkA.WaitForAsync(a, "AVAILABLE");
        await sinkB.WaitForAsync(b, "AVAILABLE");

        Assert.Equal(204, (await DeleteAsync(_client, Qod + "sessions/" + a)).Code);
        await sinkA.WaitForAsync(a, "UNAVAILABLE");

        Assert.Equal("AVAILABLE", (string?)(await GetSessionAsync(_client, b))["qosStatus"]);
        Assert.All(sinkA.Events, e => Assert.Equal(a, e.SessionId));
        Assert.All(sinkB.Events, e => Assert.Equal(b, e.SessionId));
        Assert.Single(sinkB.Events);
    }

    private static void AssertDevice(string expected, JsonObject session) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), session["device"]), $"device: expected {expected}, got {session["device"]}");

    private static JsonObject Device(string server, JsonObject device)
    {
        var body = SessionBody(server: server);
        body["device"] = device;
        return body;
    }

    private static JsonObject WithSink(JsonObject body, SinkListener sink)
    {
        body["sink"] = sink.BaseUrl + "/notify";
        body["sinkCredential"] = new JsonObject
        {
            ["credentialType"] = "ACCESSTOKEN",
            ["accessToken"] = "sink-token",
            ["accessTokenType"] = "bearer",
            ["accessTokenExpiresUtc"] = "2030-01-01T00:00:00Z",
        };
        return body;
    }

    private async Task<string[]> RetrieveIdsAsync(JsonObject device)
    {
        var response = await PostAsync(_client, Qod + "retrieve-sessions", new JsonObject { ["device"] = device.DeepClone() });
        Assert.True(response.Code == 200, $"retrieve-sessions: {response.Code} {response.Body}");
        return response.Json.AsArray().Select(s => (string)s!["sessionId"]!).ToArray();
    }

    private static int Next() => System.Threading.Interlocked.Increment(ref _address);

    /// <summary>A device ipv4Address no other test uses.</summary>
    private static JsonObject NewDeviceIpv4() => new() { ["publicAddress"] = "203.0.113.91", ["publicPort"] = 20_000 + Next() };

    /// <summary>An application server no other test of this class uses.</summary>
    private static string NewServer()
    {
        var n = Next();
        return $"198.18.{n / 250}.{(n % 250) + 1}";
    }
}
