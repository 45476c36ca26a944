using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Profiles;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>Simulator behaviour added for the CAMARA conformance suite (tests/NetworkAsCode.Conformance).</summary>
public sealed class ConformanceSupportTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static JsonObject DeviceBody(string phone) => new() { ["device"] = new JsonObject { ["phoneNumber"] = phone } };

    [Fact]
    public async Task Number_0204_has_no_profiles_and_the_sessions_API_does_not_apply_to_it()
    {
        var profiles = await PostAsync(fixture.Client, QosProfilesApi + "retrieve-qos-profiles", DeviceBody(SimulatorNumbers.NoProfiles));
        Assert.Equal(200, profiles.Code);
        Assert.Equal("[]", profiles.Body);

        (await PostAsync(fixture.Client, Qod + "sessions", SessionBody(SimulatorNumbers.NoProfiles))).AssertError(422, "SERVICE_NOT_APPLICABLE");
        (await PostAsync(fixture.Client, Qod + "retrieve-sessions", DeviceBody(SimulatorNumbers.NoProfiles))).AssertError(422, "SERVICE_NOT_APPLICABLE");
    }

    [Fact]
    public async Task Number_0422_is_still_SERVICE_NOT_APPLICABLE_for_profiles()
    {
        (await PostAsync(fixture.Client, QosProfilesApi + "retrieve-qos-profiles", DeviceBody(SimulatorNumbers.NotApplicable)))
            .AssertError(422, "SERVICE_NOT_APPLICABLE");
    }

    [Fact]
    public async Task A_catalogue_from_the_host_settings_replaces_the_built_in_one()
    {
        var builtIn = ProfileCatalog.CreateDefault().All;
        var inactive = builtIn[0] with { Name = "TEST_INACTIVE", Status = "INACTIVE" };
        await using var simulator = await TestSimulator.StartAsync(settings: new SimulatorHostSettings { Profiles = new ProfileCatalog(builtIn.Append(inactive)) });

        var listed = await PostAsync(simulator.Client, QosProfilesApi + "retrieve-qos-profiles", new JsonObject { ["status"] = "INACTIVE" });
        Assert.Equal(200, listed.Code);
        Assert.Equal("TEST_INACTIVE", (string?)listed.Json[0]!["name"]);
        (await PostAsync(simulator.Client, Qod + "sessions", SessionBody(profile: "TEST_INACTIVE")))
            .AssertError(422, "QUALITY_ON_DEMAND.QOS_PROFILE_NOT_APPLICABLE");
    }
}
