using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>REQUESTED → AVAILABLE → UNAVAILABLE over real HTTP with real (short) timers.</summary>
public sealed class LifecycleTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task Session_goes_REQUESTED_then_AVAILABLE_then_UNAVAILABLE_DURATION_EXPIRED()
    {
        var client = fixture.Client;
        var created = await CreateAsync(client, SessionBody(duration: 1));
        var id = (string)created["sessionId"]!;
        Assert.Equal("REQUESTED", (string?)created["qosStatus"]);

        var available = await WaitForStatusAsync(client, id, "AVAILABLE", TimeSpan.FromSeconds(5));
        var startedAt = Time(available["startedAt"]);
        var expiresAt = Time(available["expiresAt"]);
        Assert.Equal(startedAt.AddSeconds(1), expiresAt);
        Assert.Equal(1, (int)available["duration"]!);
        Assert.False(available.ContainsKey("statusInfo"));
        Assert.True(startedAt <= DateTimeOffset.UtcNow.AddMilliseconds(50));
        Assert.EndsWith("Z", (string)available["startedAt"]!, StringComparison.Ordinal);

        var ended = await WaitForStatusAsync(client, id, "UNAVAILABLE", TimeSpan.FromSeconds(5));
        Assert.Equal("DURATION_EXPIRED", (string?)ended["statusInfo"]);
        Assert.Equal(expiresAt, Time(ended["expiresAt"]));
        Assert.Equal(startedAt, Time(ended["startedAt"]));
        Assert.Equal(1, (int)ended["duration"]!);
    }

    [Fact]
    public async Task Extend_is_409_when_not_AVAILABLE()
    {
        var options = TestSimulator.DefaultOptions with { AvailableDelayMs = 60_000 };
        await using var simulator = await TestSimulator.StartAsync(options);
        var requested = await CreateAsync(simulator.Client, SessionBody());

        var response = await PostAsync(simulator.Client, Qod + $"sessions/{requested["sessionId"]}/extend", new JsonObject { ["requestedAdditionalDuration"] = 10 });

        response.AssertError(409, "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED",
            "Extending the session duration is not allowed in the current state (REQUESTED). The session must be in the AVAILABLE state.");
    }

    [Fact]
    public async Task Extend_is_409_when_UNAVAILABLE()
    {
        var created = await CreateAsync(fixture.Client, SessionBody(duration: 1));
        var id = (string)created["sessionId"]!;
        await WaitForStatusAsync(fixture.Client, id, "UNAVAILABLE", TimeSpan.FromSeconds(5));

        var response = await PostAsync(fixture.Client, Qod + $"sessions/{id}/extend", new JsonObject { ["requestedAdditionalDuration"] = 10 });

        response.AssertError(409, "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED", "(UNAVAILABLE)");
    }

    [Fact]
    public async Task Extend_caps_the_remaining_time_at_86400_seconds()
    {
        var created = await CreateAsync(fixture.Client, SessionBody(duration: 86_400));
        var id = (string)created["sessionId"]!;
        var available = await WaitForStatusAsync(fixture.Client, id, "AVAILABLE");
        var startedAt = Time(available["startedAt"]);
        while (DateTimeOffset.UtcNow - startedAt < TimeSpan.FromSeconds(1.2))
        {
            await Task.Delay(50);
        }

        var before = DateTimeOffset.UtcNow;
        var response = await PostAsync(fixture.Client, Qod + $"sessions/{id}/extend", new JsonObject { ["requestedAdditionalDuration"] = 86_399 });
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(200, response.Code);
        var duration = (long)response.Json["duration"]!;
        var expiresAt = Time(response.Json["expiresAt"]);
        Assert.InRange(duration, 86_401, 86_400 + (long)(after - startedAt).TotalSeconds);
        Assert.Equal(startedAt.AddSeconds(duration), expiresAt);
        Assert.True(expiresAt - before <= TimeSpan.FromSeconds(86_400), $"remaining {expiresAt - before}");
        Assert.True(expiresAt - after > TimeSpan.FromSeconds(86_398));
    }

    [Fact]
    public async Task Available_delay_zero_makes_the_201_already_AVAILABLE()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { AvailableDelayMs = 0 });

        var created = await CreateAsync(simulator.Client, SessionBody(duration: 30));

        Assert.Equal("AVAILABLE", (string?)created["qosStatus"]);
        Assert.Equal(Time(created["startedAt"]).AddSeconds(30), Time(created["expiresAt"]));
    }

    [Fact]
    public async Task Terminated_sessions_are_kept_for_the_retention_time_then_purged()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { AvailableDelayMs = 0, RetentionSeconds = 1 });
        var phone = NewPhone();
        var created = await CreateAsync(simulator.Client, SessionBody(phone, duration: 1));
        var id = (string)created["sessionId"]!;

        await WaitForStatusAsync(simulator.Client, id, "UNAVAILABLE", TimeSpan.FromSeconds(5));
        var listed = await PostAsync(simulator.Client, Qod + "retrieve-sessions", new JsonObject { ["device"] = new JsonObject { ["phoneNumber"] = phone } });
        Assert.Single(listed.Json.AsArray());

        var deadline = DateTime.UtcNow.AddSeconds(5);
        ApiResponse response;
        do
        {
            await Task.Delay(100);
            response = await GetAsync(simulator.Client, Qod + "sessions/" + id);
        }
        while (response.Code == 200 && DateTime.UtcNow < deadline);

        response.AssertError(404, "NOT_FOUND");
        var stats = await StatsAsync(simulator.Client);
        Assert.Equal(1, (int)stats["sessionsPurged"]!);
        Assert.Equal(0, (int)stats["sessionsLive"]!);
    }

    [Fact]
    public async Task Deleting_an_UNAVAILABLE_session_is_allowed_and_forgets_it()
    {
        var created = await CreateAsync(fixture.Client, SessionBody(duration: 1));
        var id = (string)created["sessionId"]!;
        await WaitForStatusAsync(fixture.Client, id, "UNAVAILABLE", TimeSpan.FromSeconds(5));

        Assert.Equal(204, (await DeleteAsync(fixture.Client, Qod + "sessions/" + id)).Code);
        (await GetAsync(fixture.Client, Qod + "sessions/" + id)).AssertError(404, "NOT_FOUND");
    }
}
