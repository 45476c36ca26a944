using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Conformance.Engine;
using Xunit;

namespace NetworkAsCode.Conformance;

/// <summary>
/// Checks of the checker: the schema validation rejects what the contract forbids, and the step engine fails what it cannot
/// run, so a green conformance run means something.
/// </summary>
public sealed class EngineSelfTests(ConformanceFixture fixture) : IClassFixture<ConformanceFixture>
{
    private static readonly OpenApiDocument Qod = OpenApiContract.Instance[OpenApiContract.QodFile];
    private static readonly OpenApiDocument Profiles = OpenApiContract.Instance[OpenApiContract.ProfilesFile];

    private const string Session = """
        {"sessionId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","applicationServer":{"ipv4Address":"198.51.100.0/24"},
         "qosProfile":"QOS_L","duration":3600,"startedAt":"2024-06-01T12:00:00Z","expiresAt":"2024-06-01T13:00:00Z","qosStatus":"AVAILABLE"}
        """;

    [Fact]
    public void The_yaml_is_loaded_with_typed_scalars()
    {
        Assert.Equal("3.0.3", (string?)Qod.Root["openapi"]);
        Assert.Equal(65535L, Qod.Resolve("/components/schemas/Port/maximum")!.AsValue().GetValue<long>());
        Assert.Equal("1.0", (string?)Qod.Resolve("/components/schemas/CloudEvent/properties/specversion/enum/0"));
        Assert.NotNull(Profiles.Resolve("/components/schemas/QosProfile"));
    }

    [Fact]
    public void A_valid_session_passes_and_broken_ones_fail()
    {
        var schema = Qod.SchemaAt("/components/schemas/SessionInfo");
        Assert.Empty(OpenApiDocument.Violations(schema, JsonNode.Parse(Session)));

        Assert.NotEmpty(OpenApiDocument.Violations(schema, Mutate(Session, s => s.Remove("sessionId"))));
        Assert.NotEmpty(OpenApiDocument.Violations(schema, Mutate(Session, s => s["sessionId"] = "not-a-uuid")));
        Assert.NotEmpty(OpenApiDocument.Violations(schema, Mutate(Session, s => s["startedAt"] = "yesterday")));
        Assert.NotEmpty(OpenApiDocument.Violations(schema, Mutate(Session, s => s["qosStatus"] = "ACTIVE")));
        Assert.NotEmpty(OpenApiDocument.Violations(schema, Mutate(Session, s => s["device"] = new JsonObject
        {
            ["phoneNumber"] = "+36701000001",
            ["ipv6Address"] = "2001:db8::1",
        })));
        Assert.NotEmpty(OpenApiDocument.Violations(schema, Mutate(Session, s => s["sink"] = "http://example.com/n")));
    }

    [Fact]
    public void Error_bodies_are_checked_against_the_status_and_code_enums_of_the_response()
    {
        var (notFound, _) = Qod.ResponseSchema("/sessions/{sessionId}", "GET", 404);
        Assert.Empty(OpenApiDocument.Violations(notFound!, JsonNode.Parse("""{"status":404,"code":"NOT_FOUND","message":"x"}""")));
        Assert.NotEmpty(OpenApiDocument.Violations(notFound!, JsonNode.Parse("""{"status":404,"code":"INVALID_ARGUMENT","message":"x"}""")));
        Assert.NotEmpty(OpenApiDocument.Violations(notFound!, JsonNode.Parse("""{"status":400,"code":"NOT_FOUND","message":"x"}""")));
        Assert.NotEmpty(OpenApiDocument.Violations(notFound!, JsonNode.Parse("""{"status":404,"code":"NOT_FOUND"}""")));

        var (badCreate, _) = Qod.ResponseSchema("/sessions", "POST", 400);
        Assert.Empty(OpenApiDocument.Violations(badCreate!, JsonNode.Parse("""{"status":400,"code":"INVALID_CREDENTIAL","message":"x"}""")));
        var (badGet, _) = Qod.ResponseSchema("/sessions/{sessionId}", "GET", 400);
        Assert.NotEmpty(OpenApiDocument.Violations(badGet!, JsonNode.Parse("""{"status":400,"code":"INVALID_CREDENTIAL","message":"x"}""")));
    }

    [Fact]
    public void Undeclared_statuses_are_contract_violations_and_204_has_no_content()
    {
        Assert.Throws<ContractViolation>(() => Qod.ResponseSchema("/sessions/{sessionId}", "GET", 409));
        Assert.Throws<ContractViolation>(() => Profiles.ResponseSchema("/qos-profiles/{name}", "GET", 500));
        Assert.Null(Qod.ResponseSchema("/sessions/{sessionId}", "DELETE", 204).Schema);
        var (list, _) = Profiles.ResponseSchema("/retrieve-qos-profiles", "POST", 200);
        Assert.Empty(OpenApiDocument.Violations(list!, JsonNode.Parse("[]")));
        Assert.NotEmpty(OpenApiDocument.Violations(list!, JsonNode.Parse("""[{"name":"QOS_E"}]""")));
    }

    [Fact]
    public async Task An_unknown_step_phrase_fails_the_scenario()
    {
        var real = FeatureCatalog.All.First(s => s.Id == "getQosProfile 404.1_not_found");
        var bogus = real with { Steps = real.Steps.Append(new StepCall("And ", "the response is delightful", 999)).ToList() };

        var result = await ScenarioRunner.RunAsync(fixture.Environment, bogus);

        Assert.Equal(Outcome.Failed, result.Outcome);
        Assert.Contains("unknown step phrase", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_expectation_fails_the_scenario()
    {
        var real = FeatureCatalog.All.First(s => s.Id == "getQosProfile 404.1_not_found");
        var steps = real.Steps.Select(s => s.Text == "the response status code is 404" ? s with { Text = "the response status code is 200" } : s).ToList();

        var result = await ScenarioRunner.RunAsync(fixture.Environment, real with { Steps = steps });

        Assert.Equal(Outcome.Failed, result.Outcome);
        Assert.Contains("expected status 200", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_applicable_scenarios_are_never_test_cases()
    {
        var ids = ((IEnumerable<object?[]>)CamaraConformanceTests.ApplicableScenarios()).Select(row => (string)row[0]!).ToHashSet();
        Assert.All(FeatureCatalog.All.Where(s => StepLibrary.NotApplicableReason(s) is not null), s => Assert.DoesNotContain(s.Id, ids));
        Assert.Equal(FeatureCatalog.All.Count, ids.Count + FeatureCatalog.All.Count(s => StepLibrary.NotApplicableReason(s) is not null));
    }

    [Fact]
    public void Json_paths_set_inside_arrays_and_create_objects()
    {
        var body = new JsonObject { ["devicePorts"] = new JsonObject { ["ranges"] = new JsonArray(new JsonObject { ["from"] = 1, ["to"] = 2 }) } };
        JsonPaths.Set(body, "$.devicePorts.ranges.to", () => 65536);
        JsonPaths.Set(body, "$.applicationServerPorts.ports[*]", () => 65536);
        JsonPaths.Set(body, "$.device.ipv4Address.publicPort", () => 80);

        Assert.Equal("""{"devicePorts":{"ranges":[{"from":1,"to":65536}]},"applicationServerPorts":{"ports":[65536]},"device":{"ipv4Address":{"publicPort":80}}}""",
            body.ToJsonString());
        Assert.Equal(65536, (int)JsonPaths.Get(body, "$.devicePorts.ranges.to").Value!);
        Assert.False(JsonPaths.Get(body, "$.sink").Exists);
    }

    private static JsonObject Mutate(string json, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        change(node);
        return node;
    }
}
