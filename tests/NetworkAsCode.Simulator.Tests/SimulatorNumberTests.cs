using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>The documented simulator phone numbers.</summary>
public sealed class SimulatorNumberTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task Number_0404_is_IDENTIFIER_NOT_FOUND()
    {
        (await PostAsync(fixture.Client, Qod + "sessions", SessionBody("+99999990404"))).AssertError(404, "IDENTIFIER_NOT_FOUND", "+99999990404");
        var retrieve = new JsonObject { ["device"] = new JsonObject { ["phoneNumber"] = "+99999990404" } };
        (await PostAsync(fixture.Client, Qod + "retrieve-sessions", retrieve)).AssertError(404, "IDENTIFIER_NOT_FOUND");
    }

    [Fact]
    public async Task Number_0422_is_SERVICE_NOT_APPLICABLE()
    {
        (await PostAsync(fixture.Client, Qod + "sessions", SessionBody("+99999990422"))).AssertError(422, "SERVICE_NOT_APPLICABLE");
        var retrieve = new JsonObject { ["device"] = new JsonObject { ["phoneNumber"] = "+99999990422" } };
        (await PostAsync(fixture.Client, Qod + "retrieve-sessions", retrieve)).AssertError(422, "SERVICE_NOT_APPLICABLE");
    }

    [Fact]
    public async Task Number_0500_is_terminated_by_the_network_after_becoming_AVAILABLE()
    {
        // Unique server address: the shared simulator may hold other sessions of this number.
        var created = await CreateAsync(fixture.Client, SessionBody("+99999990500", "192.0.2." + Random.Shared.Next(1, 255), 60));
        var id = (string)created["sessionId"]!;

        var available = await WaitForStatusAsync(fixture.Client, id, "AVAILABLE", TimeSpan.FromSeconds(5));
        var ended = await WaitForStatusAsync(fixture.Client, id, "UNAVAILABLE", TimeSpan.FromSeconds(5));

        Assert.Equal("NETWORK_TERMINATED", (string?)ended["statusInfo"]);
        Assert.True(Time(ended["expiresAt"]) < Time(available["expiresAt"]));
        Assert.Equal(TimeSpan.FromMilliseconds(800), Time(ended["expiresAt"]) - Time(ended["startedAt"]));
        Assert.Equal(1, (int)ended["duration"]!);
    }

    [Fact]
    public async Task Any_other_well_formed_number_is_a_known_device()
    {
        Assert.Equal(201, (await PostAsync(fixture.Client, Qod + "sessions", SessionBody("+99999991000", "192.0.2." + Random.Shared.Next(1, 255)))).Code);
    }
}
