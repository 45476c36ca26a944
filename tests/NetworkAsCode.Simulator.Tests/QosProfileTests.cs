using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>The qos-profiles API and its 13 built-in profiles.</summary>
public sealed class QosProfileTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    public static readonly string[] Labels =
    [
        "DOWNLINK_S_UPLINK_S", "DOWNLINK_S_UPLINK_M", "DOWNLINK_S_UPLINK_L",
        "DOWNLINK_M_UPLINK_S", "DOWNLINK_M_UPLINK_M", "DOWNLINK_M_UPLINK_L",
        "DOWNLINK_L_UPLINK_S", "DOWNLINK_L_UPLINK_M", "DOWNLINK_L_UPLINK_L",
        "QOS_E", "QOS_S", "QOS_M", "QOS_L",
    ];

    private readonly HttpClient _client = fixture.Client;

    public static TheoryData<string> LabelData => new(Labels);

    [Theory]
    [MemberData(nameof(LabelData))]
    public async Task Each_profile_has_the_CAMARA_attributes(string name)
    {
        var response = await GetAsync(_client, QosProfilesApi + "qos-profiles/" + name);

        Assert.Equal(200, response.Code);
        var profile = response.Json.AsObject();
        Assert.Equal(name, (string?)profile["name"]);
        Assert.Equal("ACTIVE", (string?)profile["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)profile["description"]));
        Assert.Equal("""{"value":1,"unit":"Seconds"}""", profile["minDuration"]!.ToJsonString());
        Assert.Equal("""{"value":86400,"unit":"Seconds"}""", profile["maxDuration"]!.ToJsonString());
        Assert.InRange((int)profile["priority"]!, 1, 100);
        Assert.InRange((int)profile["packetErrorLossRate"]!, 1, 10);
        Assert.Equal("Milliseconds", (string?)profile["packetDelayBudget"]!["unit"]);
        Assert.Equal("Milliseconds", (string?)profile["jitter"]!["unit"]);
        foreach (var rate in new[] { "targetMinUpstreamRate", "maxUpstreamRate", "targetMinDownstreamRate", "maxDownstreamRate" })
        {
            Assert.InRange((int)profile[rate]!["value"]!, 0, 1024);
            Assert.Contains((string?)profile[rate]!["unit"], new[] { "bps", "kbps", "Mbps", "Gbps", "Tbps" });
        }
    }

    [Fact]
    public async Task Descriptions_follow_the_design()
    {
        var all = (await PostAsync(_client, QosProfilesApi + "retrieve-qos-profiles", new JsonObject())).Json.AsArray()
            .ToDictionary(p => (string)p!["name"]!, p => (string)p!["description"]!);

        Assert.Contains("stable latency under congestion, limited bandwidth", all["QOS_E"], System.StringComparison.OrdinalIgnoreCase);
        Assert.Contains("lower limit", all["QOS_S"], System.StringComparison.Ordinal);
        Assert.Contains("medium limit", all["QOS_M"], System.StringComparison.Ordinal);
        Assert.Contains("higher limit", all["QOS_L"], System.StringComparison.Ordinal);
        Assert.Contains("Small downlink and large uplink bandwidth", all["DOWNLINK_S_UPLINK_L"], System.StringComparison.Ordinal);
        Assert.Contains("prioritised to stay stable", all["DOWNLINK_M_UPLINK_M"], System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retrieve_with_empty_body_returns_all_13()
    {
        var response = await PostAsync(_client, QosProfilesApi + "retrieve-qos-profiles", new JsonObject());

        Assert.Equal(200, response.Code);
        Assert.Equal(Labels.OrderBy(l => l), response.Json.AsArray().Select(p => (string)p!["name"]!).OrderBy(l => l));
    }

    [Theory]
    [InlineData("""{"name":"QOS_M"}""", 1)]
    [InlineData("""{"name":"UNKNOWN_NAME"}""", 0)]
    [InlineData("""{"status":"ACTIVE"}""", 13)]
    [InlineData("""{"status":"INACTIVE"}""", 0)]
    [InlineData("""{"name":"QOS_M","status":"ACTIVE"}""", 1)]
    [InlineData("""{"device":{"phoneNumber":"+36701234567"}}""", 13)]
    [InlineData("""{"device":{"phoneNumber":"+36701234567","networkAccessIdentifier":"a@b"},"name":"QOS_L"}""", 1)]
    public async Task Retrieve_filters(string body, int count)
    {
        var response = await SendAsync(_client, HttpMethod.Post, QosProfilesApi + "retrieve-qos-profiles", body, null);

        Assert.Equal(200, response.Code);
        Assert.Equal(count, response.Json.AsArray().Count);
    }

    [Theory]
    [InlineData("""{"status":"RETIRED"}""", 400, "INVALID_ARGUMENT")]
    [InlineData("""{"name":"ab"}""", 400, "INVALID_ARGUMENT")]
    [InlineData("""{"name":"bad name"}""", 400, "INVALID_ARGUMENT")]
    [InlineData("""{"device":{}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("""{"device":{"phoneNumber":"0036"}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("""{"device":{"phoneNumber":"+99999990404"}}""", 404, "IDENTIFIER_NOT_FOUND")]
    [InlineData("""{"device":{"phoneNumber":"+99999990422"}}""", 422, "SERVICE_NOT_APPLICABLE")]
    [InlineData("""{"device":{"networkAccessIdentifier":"a@b"}}""", 422, "UNSUPPORTED_IDENTIFIER")]
    public async Task Retrieve_rejects_invalid_filters(string body, int status, string code)
    {
        (await SendAsync(_client, HttpMethod.Post, QosProfilesApi + "retrieve-qos-profiles", body, null)).AssertError(status, code);
    }

    [Theory]
    [InlineData("QOS_X", 404, "NOT_FOUND")]
    [InlineData("ab", 400, "INVALID_ARGUMENT")]
    [InlineData("bad%20name", 400, "INVALID_ARGUMENT")]
    [InlineData("a!b", 400, "INVALID_ARGUMENT")]
    public async Task Get_rejects_unknown_or_invalid_names(string name, int status, string code)
    {
        (await GetAsync(_client, QosProfilesApi + "qos-profiles/" + name)).AssertError(status, code);
    }
}
