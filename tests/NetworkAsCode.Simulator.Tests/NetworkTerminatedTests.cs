using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>
/// A session the network terminated (UNAVAILABLE / NETWORK_TERMINATED) is retained for --retention-s and, until it is
/// deleted or purged, holds its flow: a new session of the same device and flow is 409 CONFLICT naming it. The
/// simulator number +99999990201 is created already UNAVAILABLE / NETWORK_TERMINATED (a CAMARA 1.2 provider's answer).
/// </summary>
public sealed class NetworkTerminatedTests
{
    [Fact]
    public async Task A_network_terminated_session_blocks_its_flow_until_it_is_deleted()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { AvailableDelayMs = 0, TerminateAfterMs = 100 });
        var client = simulator.Client;
        var id = (string)(await CreateAsync(client, SessionBody("+99999990500", "198.51.100.1")))["sessionId"]!;
        await WaitForStatusAsync(client, id, "UNAVAILABLE", TimeSpan.FromSeconds(5));

        var conflict = (await PostAsync(client, Qod + "sessions", SessionBody("+99999990500", "198.51.100.1")))
            .AssertError(409, "CONFLICT", $"session {id} (UNAVAILABLE, NETWORK_TERMINATED)");
        Assert.Contains($"Delete session {id} first", (string?)conflict.Json["message"], StringComparison.Ordinal);
        Assert.Contains("360 s", (string?)conflict.Json["message"], StringComparison.Ordinal);

        // Another flow of the same device is free; the session is still there to be read.
        var otherFlow = await CreateAsync(client, SessionBody("+99999990500", "198.51.100.2"));
        Assert.Equal("NETWORK_TERMINATED", (string?)(await GetSessionAsync(client, id))["statusInfo"]);

        Assert.Equal(204, (await DeleteAsync(client, Qod + "sessions/" + id)).Code);
        Assert.Equal(201, (await PostAsync(client, Qod + "sessions", SessionBody("+99999990500", "198.51.100.1"))).Code);
        Assert.NotNull(otherFlow["sessionId"]);
    }

    [Fact]
    public async Task A_network_terminated_session_blocks_its_flow_until_retention_ends()
    {
        await using var simulator = await TestSimulator.StartAsync(
            TestSimulator.DefaultOptions with { AvailableDelayMs = 0, TerminateAfterMs = 50, RetentionSeconds = 3 });
        var client = simulator.Client;
        var id = (string)(await CreateAsync(client, SessionBody("+99999990500", "198.51.100.1")))["sessionId"]!;
        // 3 s of retention: room for a slow poll on a loaded machine to see the session UNAVAILABLE before its purge.
        var ended = await WaitForStatusAsync(client, id, "UNAVAILABLE", TimeSpan.FromSeconds(5));
        var purgeAt = Time(ended["expiresAt"]) + TimeSpan.FromSeconds(3);

        var early = await PostAsync(client, Qod + "sessions", SessionBody("+99999990500", "198.51.100.1"));
        if (DateTimeOffset.UtcNow < purgeAt - TimeSpan.FromMilliseconds(100))
        {
            early.AssertError(409, "CONFLICT", id); // a loaded machine may already be past the retention
        }

        // After the retention the session is purged: gone for GET, and the flow is free again.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await GetAsync(client, Qod + "sessions/" + id)).Code != 404)
        {
            Assert.True(DateTime.UtcNow < deadline, $"session {id} was not purged after the 3 s retention");
            await Task.Delay(50);
        }

        Assert.True(DateTimeOffset.UtcNow >= purgeAt - TimeSpan.FromMilliseconds(50), "purged before the retention ended");
        Assert.Equal(201, (await PostAsync(client, Qod + "sessions", SessionBody("+99999990500", "198.51.100.1"))).Code);
        Assert.Equal(1, (int)(await StatsAsync(client))["sessionsPurged"]!);
    }

    [Fact]
    public async Task Number_0201_is_created_UNAVAILABLE_NETWORK_TERMINATED_and_retained()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var sink = await SinkListener.StartAsync();
        var client = simulator.Client;
        var body = SessionBody("+99999990201", "198.51.100.1", duration: 600);
        body["sink"] = sink.BaseUrl + "/notify";
        body["sinkCredential"] = new JsonObject
        {
            ["credentialType"] = "ACCESSTOKEN", ["accessToken"] = "sink-token", ["accessTokenType"] = "bearer", ["accessTokenExpiresUtc"] = "2030-01-01T00:00:00Z",
        };

        var response = await PostAsync(client, Qod + "sessions", body);

        Assert.Equal(201, response.Code);
        var created = response.Json.AsObject();
        var id = (string)created["sessionId"]!;
        Assert.Equal("UNAVAILABLE", (string?)created["qosStatus"]);
        Assert.Equal("NETWORK_TERMINATED", (string?)created["statusInfo"]);
        Assert.False(created.ContainsKey("startedAt")); // it never became AVAILABLE
        Assert.True(Math.Abs((Time(created["expiresAt"]) - DateTimeOffset.UtcNow).TotalSeconds) < 30, "expiresAt is when it ended: now");
        Assert.Equal(600, (int)created["duration"]!);
        Assert.Equal($"/quality-on-demand/v1/sessions/{id}", response.Header("Location"));

        var ended = await sink.WaitForAsync(id, "UNAVAILABLE");
        Assert.Equal("NETWORK_TERMINATED", ended.StatusInfo);

        // It stays UNAVAILABLE (no AVAILABLE later), is listed, cannot be extended, and holds its flow until deleted.
        await Task.Delay(400); // past the 150 ms available delay of the test options
        Assert.Equal(created.ToJsonString(), (await GetSessionAsync(client, id)).ToJsonString());
        Assert.Contains(id, (await GetAsync(client, Qod + "sessions")).Body, StringComparison.Ordinal);
        (await PostAsync(client, Qod + $"sessions/{id}/extend", new JsonObject { ["requestedAdditionalDuration"] = 60 }))
            .AssertError(409, "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED");
        (await PostAsync(client, Qod + "sessions", SessionBody("+99999990201", "198.51.100.1"))).AssertError(409, "CONFLICT", id);

        Assert.Equal(204, (await DeleteAsync(client, Qod + "sessions/" + id)).Code);
        Assert.Single(sink.EventsFor(id)); // no DELETE_REQUESTED: it was not AVAILABLE
        var again = await CreateAsync(client, SessionBody("+99999990201", "198.51.100.1"));
        Assert.Equal("UNAVAILABLE", (string?)again["qosStatus"]);
        Assert.Equal(2, (int)(await StatsAsync(client))["sessionsNetworkTerminated"]!);
    }
}
