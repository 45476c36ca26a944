using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>Gateway-style authentication and the x-correlator header.</summary>
public sealed class AuthAndCorrelatorTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Missing_key_is_401_UNAUTHENTICATED()
    {
        using var anonymous = TestSimulator.CreateClient(fixture.Simulator.BaseUrl, key: null);

        (await PostAsync(anonymous, Qod + "sessions", SessionBody())).AssertError(401, "UNAUTHENTICATED", "X-RapidAPI-Key");
        (await GetAsync(anonymous, QosProfilesApi + "qos-profiles/QOS_E")).AssertError(401, "UNAUTHENTICATED");
    }

    [Fact]
    public async Task Empty_key_is_401_UNAUTHENTICATED()
    {
        using var client = TestSimulator.CreateClient(fixture.Simulator.BaseUrl, key: null);

        var response = await GetAsync(client, Qod + "sessions/" + Guid.NewGuid(), r => r.Headers.TryAddWithoutValidation("X-RapidAPI-Key", ""));

        response.AssertError(401, "UNAUTHENTICATED");
    }

    [Fact]
    public async Task Without_api_key_switch_any_key_and_any_host_header_is_accepted()
    {
        using var client = TestSimulator.CreateClient(fixture.Simulator.BaseUrl, key: "whatever-" + Guid.NewGuid());

        var response = await GetAsync(client, QosProfilesApi + "qos-profiles/QOS_L", r =>
        {
            r.Headers.Remove("X-RapidAPI-Host");
            r.Headers.Add("X-RapidAPI-Host", "something.else.example");
        });

        Assert.Equal(200, response.Code);
    }

    [Fact]
    public async Task Bearer_token_is_an_alternative_credential()
    {
        using var client = TestSimulator.CreateClient(fixture.Simulator.BaseUrl, key: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");

        Assert.Equal(200, (await GetAsync(client, QosProfilesApi + "qos-profiles/QOS_M")).Code);
    }

    [Fact]
    public async Task With_api_key_only_that_key_is_valid_and_others_get_the_gateway_403()
    {
        var options = TestSimulator.DefaultOptions with { ApiKey = "the-right-key" };
        await using var simulator = await TestSimulator.StartAsync(options);
        using var right = TestSimulator.CreateClient(simulator.BaseUrl, "the-right-key");
        using var wrong = TestSimulator.CreateClient(simulator.BaseUrl, "a-wrong-key");
        using var none = TestSimulator.CreateClient(simulator.BaseUrl, null);

        Assert.Equal(201, (await PostAsync(right, Qod + "sessions", SessionBody())).Code);
        var forbidden = await PostAsync(wrong, Qod + "sessions", SessionBody());
        Assert.Equal(403, forbidden.Code);
        Assert.Equal("""{"message":"Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info."}""", forbidden.Body);
        Assert.Equal("application/json", forbidden.ContentType);
        Assert.NotNull(forbidden.Header("x-correlator"));
        (await GetAsync(none, QosProfilesApi + "qos-profiles/QOS_E")).AssertError(401, "UNAUTHENTICATED");

        none.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "the-right-key");
        Assert.Equal(200, (await GetAsync(none, QosProfilesApi + "qos-profiles/QOS_E")).Code);
        none.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
        (await GetAsync(none, QosProfilesApi + "qos-profiles/QOS_E")).AssertError(401, "UNAUTHENTICATED");

        var stats = await StatsAsync(none); // diagnostics need no key
        Assert.Equal(1, (int)stats["sessionsCreated"]!);
    }

    [Theory]
    [InlineData("abc-123")]
    [InlineData("b4333c46-49c0-4f62-80d7-f0ef930f1c46")]
    [InlineData("a_b:c;d.e/f<g>{h}")]
    public async Task X_correlator_is_echoed_on_success_and_errors(string correlator)
    {
        void Add(HttpRequestMessage r) => r.Headers.Add("x-correlator", correlator);

        var ok = await GetAsync(_client, QosProfilesApi + "qos-profiles/QOS_E", Add);
        Assert.Equal(200, ok.Code);
        Assert.Equal(correlator, ok.Header("x-correlator"));

        var created = await PostAsync(_client, Qod + "sessions", SessionBody(), Add);
        Assert.Equal(201, created.Code);
        Assert.Equal(correlator, created.Header("x-correlator"));

        var notFound = await GetAsync(_client, Qod + "sessions/" + Guid.NewGuid(), Add);
        notFound.AssertError(404, "NOT_FOUND");
        Assert.Equal(correlator, notFound.Header("x-correlator"));

        var invalid = await PostAsync(_client, Qod + "sessions", new JsonObject { ["qosProfile"] = "QOS_E" }, Add);
        invalid.AssertError(400, "INVALID_ARGUMENT");
        Assert.Equal(correlator, invalid.Header("x-correlator"));

        var noRoute = await GetAsync(_client, "nowhere", Add);
        noRoute.AssertError(404, "NOT_FOUND");
        Assert.Equal(correlator, noRoute.Header("x-correlator"));

        using var anonymous = TestSimulator.CreateClient(fixture.Simulator.BaseUrl, null);
        var unauthenticated = await GetAsync(anonymous, QosProfilesApi + "qos-profiles/QOS_E", Add);
        unauthenticated.AssertError(401, "UNAUTHENTICATED");
        Assert.Equal(correlator, unauthenticated.Header("x-correlator"));

        var deleted = await DeleteAsync(_client, Qod + "sessions/" + (string?)created.Json["sessionId"]);
        Assert.Equal(204, deleted.Code);
    }

    [Fact]
    public async Task X_correlator_is_generated_when_absent()
    {
        var response = await GetAsync(_client, QosProfilesApi + "qos-profiles/QOS_E");

        Assert.True(Guid.TryParse(response.Header("x-correlator"), out _));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a=b")]
    [InlineData("what?")]
    [InlineData("quote\"d")]
    [InlineData("@home")]
    public async Task Invalid_x_correlator_is_400_INVALID_ARGUMENT(string correlator)
    {
        var response = await GetAsync(_client, QosProfilesApi + "qos-profiles/QOS_E", r => r.Headers.TryAddWithoutValidation("x-correlator", correlator));

        response.AssertError(400, "INVALID_ARGUMENT", "x-correlator");
        Assert.NotEqual(correlator, response.Header("x-correlator"));
        Assert.True(Guid.TryParse(response.Header("x-correlator"), out _));
    }

    [Fact]
    public async Task X_correlator_longer_than_256_is_400()
    {
        var ok = await GetAsync(_client, QosProfilesApi + "qos-profiles/QOS_E", r => r.Headers.Add("x-correlator", new string('a', 256)));
        Assert.Equal(200, ok.Code);

        var tooLong = await GetAsync(_client, QosProfilesApi + "qos-profiles/QOS_E", r => r.Headers.Add("x-correlator", new string('a', 257)));
        tooLong.AssertError(400, "INVALID_ARGUMENT", "x-correlator");
    }
}
