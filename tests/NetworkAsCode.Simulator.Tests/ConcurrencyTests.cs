using System;
using System.Linq;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>Many parallel clients: no lost or duplicated sessions, consistent stats.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Thirty_two_parallel_clients_create_get_and_delete()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { AvailableDelayMs = 0 });
        var sharedPhone = NewPhone();

        var ids = await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            using var client = TestSimulator.CreateClient(simulator.BaseUrl, "client-" + i);
            // Same device, disjoint device ports: all 32 may coexist, and the conflict check runs under contention.
            var body = SessionBody(sharedPhone, "198.51.100.50");
            body["devicePorts"] = new System.Text.Json.Nodes.JsonObject { ["ports"] = new System.Text.Json.Nodes.JsonArray(10_000 + i) };
            var created = await CreateAsync(client, body);
            var id = (string)created["sessionId"]!;
            Assert.Equal(id, (string?)(await GetSessionAsync(client, id))["sessionId"]);
            var own = await PostAsync(client, Qod + "retrieve-sessions",
                new System.Text.Json.Nodes.JsonObject { ["device"] = new System.Text.Json.Nodes.JsonObject { ["phoneNumber"] = sharedPhone } });
            Assert.Equal(id, (string?)own.Json.AsArray().Single()!["sessionId"]); // each key sees its own session only
            return id;
        }));

        Assert.Equal(32, ids.Distinct().Count());
        var listed = await PostAsync(simulator.Client, Qod + "retrieve-sessions",
            new System.Text.Json.Nodes.JsonObject { ["device"] = new System.Text.Json.Nodes.JsonObject { ["phoneNumber"] = sharedPhone } });
        Assert.Empty(listed.Json.AsArray()); // the fixture's key created none of them
        var mid = await StatsAsync(simulator.Client);
        Assert.Equal(32, (int)mid["sessionsLive"]!);

        await Task.WhenAll(ids.Select(async (id, i) =>
        {
            using var client = TestSimulator.CreateClient(simulator.BaseUrl, "client-" + i);
            Assert.Equal(204, (await DeleteAsync(client, Qod + "sessions/" + id)).Code);
        }));

        var stats = await StatsAsync(simulator.Client);
        Assert.Equal(32, (int)stats["sessionsCreated"]!);
        Assert.Equal(32, (int)stats["sessionsDeleted"]!);
        Assert.Equal(0, (int)stats["sessionsLive"]!);
        Assert.Equal(32 * 4 + 1, (int)stats["requests"]!);
    }

    [Fact]
    public async Task Parallel_creates_of_the_same_flow_yield_exactly_one_session()
    {
        await using var simulator = await TestSimulator.StartAsync();
        var phone = NewPhone();

        var codes = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            (await PostAsync(simulator.Client, Qod + "sessions", SessionBody(phone, "198.51.100.60"))).Code));

        Assert.Equal(1, codes.Count(c => c == 201));
        Assert.Equal(15, codes.Count(c => c == 409));
    }
}
