using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>
/// NaC's list-all (<c>GET /quality-on-demand/v1/sessions</c>) and the API key that owns each session: a key sees, reads,
/// extends and deletes only its own sessions; another key's session is 403 PERMISSION_DENIED and stays as it was.
/// </summary>
public sealed class SessionOwnershipTests
{
    [Fact]
    public async Task List_all_returns_every_retained_session_of_the_key_oldest_first()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var owner = TestSimulator.CreateClient(simulator.BaseUrl, "owner-key");
        Assert.Equal("[]", (await ListAsync(owner)).ToJsonString());

        var phones = Enumerable.Range(0, 5).Select(_ => NewPhone()).ToArray();
        var ids = new string[phones.Length];
        for (var i = 0; i < phones.Length; i++)
        {
            ids[i] = (string)(await CreateAsync(owner, SessionBody(phones[i])))["sessionId"]!;
        }

        var terminated = (string)(await CreateAsync(owner, SessionBody("+99999990201")))["sessionId"]!;
        Assert.Equal(204, (await DeleteAsync(owner, Qod + "sessions/" + ids[2])).Code);

        // A new client (a new process, as after a killed job) with the same key finds them all.
        using var later = TestSimulator.CreateClient(simulator.BaseUrl, "owner-key");
        var listed = await ListAsync(later);
        Assert.Equal([ids[0], ids[1], ids[3], ids[4], terminated], listed.Select(s => (string)s!["sessionId"]!).ToArray());
        Assert.Equal(phones[0], (string?)listed[0]!["device"]!["phoneNumber"]);
        Assert.Equal("UNAVAILABLE", (string?)listed[4]!["qosStatus"]);
        foreach (var session in listed)
        {
            // The same SessionInfo as a GET of the session.
            var get = await GetSessionAsync(owner, (string)session!["sessionId"]!);
            Assert.Equal(get["device"]!.ToJsonString(), session["device"]!.ToJsonString());
            Assert.Equal((string?)get["qosProfile"], (string?)session["qosProfile"]);
        }
    }

    [Fact]
    public async Task Sessions_of_another_key_are_never_listed_nor_retrieved()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var alice = TestSimulator.CreateClient(simulator.BaseUrl, "alice-key");
        using var bob = TestSimulator.CreateClient(simulator.BaseUrl, "bob-key");
        var phone = NewPhone();
        var alices = (string)(await CreateAsync(alice, SessionBody(phone, "198.51.100.1")))["sessionId"]!;
        var bobs = (string)(await CreateAsync(bob, SessionBody(NewPhone(), "198.51.100.1")))["sessionId"]!;

        Assert.Equal([alices], (await ListAsync(alice)).Select(s => (string)s!["sessionId"]!).ToArray());
        Assert.Equal([bobs], (await ListAsync(bob)).Select(s => (string)s!["sessionId"]!).ToArray());
        var retrieve = new JsonObject { ["device"] = new JsonObject { ["phoneNumber"] = phone } };
        Assert.Empty((await PostAsync(bob, Qod + "retrieve-sessions", retrieve)).Json.AsArray());
        Assert.Single((await PostAsync(alice, Qod + "retrieve-sessions", retrieve)).Json.AsArray());
    }

    [Fact]
    public async Task Another_keys_session_is_403_PERMISSION_DENIED_and_stays_as_it_was()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { AvailableDelayMs = 0 });
        using var alice = TestSimulator.CreateClient(simulator.BaseUrl, "alice-key");
        using var bob = TestSimulator.CreateClient(simulator.BaseUrl, "bob-key");
        var id = (string)(await CreateAsync(alice, SessionBody(duration: 60)))["sessionId"]!;
        var before = await GetSessionAsync(alice, id);

        (await GetAsync(bob, Qod + "sessions/" + id)).AssertError(403, "PERMISSION_DENIED", "another application");
        (await PostAsync(bob, Qod + $"sessions/{id}/extend", new JsonObject { ["requestedAdditionalDuration"] = 30 }))
            .AssertError(403, "PERMISSION_DENIED", id);
        (await DeleteAsync(bob, Qod + "sessions/" + id)).AssertError(403, "PERMISSION_DENIED", id);

        var after = await GetSessionAsync(alice, id);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        var stats = await StatsAsync(simulator.Client);
        Assert.Equal(0, (int)stats["sessionsDeleted"]!);

        // An unknown id is still 404 for anyone.
        (await GetAsync(bob, Qod + "sessions/" + Guid.NewGuid())).AssertError(404, "NOT_FOUND");
        Assert.Equal(204, (await DeleteAsync(alice, Qod + "sessions/" + id)).Code);
        (await GetAsync(bob, Qod + "sessions/" + id)).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task The_flow_of_a_device_conflicts_across_keys_without_revealing_the_other_session()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var alice = TestSimulator.CreateClient(simulator.BaseUrl, "alice-key");
        using var bob = TestSimulator.CreateClient(simulator.BaseUrl, "bob-key");
        var phone = NewPhone();
        var id = (string)(await CreateAsync(alice, SessionBody(phone, "198.51.100.5")))["sessionId"]!;

        var own = (await PostAsync(alice, Qod + "sessions", SessionBody(phone, "198.51.100.5"))).AssertError(409, "CONFLICT", $"session {id}");
        var foreign = (await PostAsync(bob, Qod + "sessions", SessionBody(phone, "198.51.100.5"))).AssertError(409, "CONFLICT", "another application");

        Assert.DoesNotContain(id, foreign.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("same device", (string?)own.Json["message"], StringComparison.Ordinal);
        Assert.Equal(201, (await PostAsync(bob, Qod + "sessions", SessionBody(phone, "198.51.100.6"))).Code); // another flow
    }

    [Fact]
    public async Task With_an_api_key_the_header_and_the_bearer_token_name_the_same_owner()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { ApiKey = "the-one-key" });
        using var byHeader = TestSimulator.CreateClient(simulator.BaseUrl, "the-one-key");
        using var byToken = TestSimulator.CreateClient(simulator.BaseUrl, null);
        byToken.DefaultRequestHeaders.Add("Authorization", "Bearer the-one-key");

        var id = (string)(await CreateAsync(byHeader, SessionBody()))["sessionId"]!;

        Assert.Equal(id, (string?)(await GetSessionAsync(byToken, id))["sessionId"]);
        Assert.Equal([id], (await ListAsync(byToken)).Select(s => (string)s!["sessionId"]!).ToArray());
        Assert.Equal(204, (await DeleteAsync(byToken, Qod + "sessions/" + id)).Code);
        Assert.Empty(await ListAsync(byHeader));
    }

    [Fact]
    public async Task List_all_without_a_key_is_401()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var anonymous = TestSimulator.CreateClient(simulator.BaseUrl, null);

        (await GetAsync(anonymous, Qod + "sessions")).AssertError(401, "UNAUTHENTICATED");
    }

    private static async Task<JsonArray> ListAsync(HttpClient client)
    {
        var response = await GetAsync(client, Qod + "sessions");
        Assert.True(response.Code == 200, $"GET sessions: {response.Code} {response.Body}");
        Assert.Equal("application/json", response.ContentType);
        return response.Json.AsArray();
    }
}
