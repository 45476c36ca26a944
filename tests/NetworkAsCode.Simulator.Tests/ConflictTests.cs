using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>409 CONFLICT: same device, active session, intersecting server addresses and ports on both sides.</summary>
public sealed class ConflictTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly HttpClient _client = fixture.Client;

    public static TheoryData<string, string, string, bool> Cases => new()
    {
        // first body edits, second body edits (JSON merged into the body), conflict expected?
        { "same server", """{"applicationServer":{"ipv4Address":"198.51.100.7"}}""", """{"applicationServer":{"ipv4Address":"198.51.100.7"}}""", true },
        { "address inside subnet", """{"applicationServer":{"ipv4Address":"198.51.100.0/24"}}""", """{"applicationServer":{"ipv4Address":"198.51.100.7"}}""", true },
        { "subnet contains earlier address", """{"applicationServer":{"ipv4Address":"198.51.100.7"}}""", """{"applicationServer":{"ipv4Address":"198.51.0.0/16"}}""", true },
        { "disjoint subnets", """{"applicationServer":{"ipv4Address":"198.51.100.0/25"}}""", """{"applicationServer":{"ipv4Address":"198.51.100.128/25"}}""", false },
        { "different servers", """{"applicationServer":{"ipv4Address":"198.51.100.7"}}""", """{"applicationServer":{"ipv4Address":"198.51.100.8"}}""", false },
        { "ipv6 inside prefix", """{"applicationServer":{"ipv6Address":"2001:db8::/32"}}""", """{"applicationServer":{"ipv6Address":"2001:db8:0:0::1"}}""", true },
        { "ipv4 vs ipv6 only", """{"applicationServer":{"ipv4Address":"198.51.100.7"}}""", """{"applicationServer":{"ipv6Address":"2001:db8::7"}}""", false },
        { "device ports disjoint", """{"devicePorts":{"ports":[5000]}}""", """{"devicePorts":{"ranges":[{"from":5001,"to":5100}]}}""", false },
        { "device ports overlap range", """{"devicePorts":{"ranges":[{"from":5000,"to":5010}]}}""", """{"devicePorts":{"ports":[4000,5010]}}""", true },
        { "device ports none vs some", "{}", """{"devicePorts":{"ports":[5000]}}""", true },
        { "server ports disjoint", """{"applicationServerPorts":{"ports":[80]}}""", """{"applicationServerPorts":{"ports":[443]}}""", false },
        { "server ports overlap", """{"applicationServerPorts":{"ranges":[{"from":80,"to":443}]}}""", """{"applicationServerPorts":{"ports":[443]}}""", true },
        { "device overlap but server ports disjoint", """{"devicePorts":{"ports":[1]},"applicationServerPorts":{"ports":[80]}}""", """{"devicePorts":{"ports":[1]},"applicationServerPorts":{"ports":[81]}}""", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Overlap_rules(string name, string first, string second, bool conflict)
    {
        _ = name;
        var phone = NewPhone();
        await CreateAsync(_client, Merge(SessionBody(phone), first));

        var response = await PostAsync(_client, Qod + "sessions", Merge(SessionBody(phone), second));

        if (conflict)
        {
            response.AssertError(409, "CONFLICT", "same device");
        }
        else
        {
            Assert.True(response.Code == 201, $"{name}: {response.Code} {response.Body}");
        }
    }

    [Fact]
    public async Task Another_device_never_conflicts()
    {
        await CreateAsync(_client, SessionBody(NewPhone(), "198.51.100.20"));

        Assert.Equal(201, (await PostAsync(_client, Qod + "sessions", SessionBody(NewPhone(), "198.51.100.20"))).Code);
    }

    [Fact]
    public async Task After_delete_the_same_flow_can_be_created_again()
    {
        var phone = NewPhone();
        var created = await CreateAsync(_client, SessionBody(phone, "198.51.100.40"));
        (await PostAsync(_client, Qod + "sessions", SessionBody(phone, "198.51.100.40"))).AssertError(409, "CONFLICT");

        Assert.Equal(204, (await DeleteAsync(_client, Qod + "sessions/" + (string?)created["sessionId"])).Code);

        Assert.Equal(201, (await PostAsync(_client, Qod + "sessions", SessionBody(phone, "198.51.100.40"))).Code);
    }

    private static JsonObject Merge(JsonObject body, string edits)
    {
        foreach (var (key, value) in JsonNode.Parse(edits)!.AsObject())
        {
            body[key] = value?.DeepClone();
        }

        return body;
    }
}
