using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>A step phrase: a regular expression over the whole (whitespace-normalised) step text and what it does.</summary>
public sealed record StepDefinition(Regex Pattern, Func<ScenarioContext, Match, Task> Run, string? NotApplicable = null);

/// <summary>
/// The step phrases of the seven r3.2 feature files. Order matters: the first full match wins, so specific phrases come
/// before generic ones. A step that matches nothing fails its scenario.
/// </summary>
public static class StepLibrary
{
    public const string ThreeLeggedReason =
        "needs a 3-legged access token that identifies a device; the platform authenticates API consumers with a RapidAPI key " +
        "(2-legged: no device in the credential), so the device is always sent in the body";

    public const string ExpiredReason =
        "needs an expired access token; RapidAPI keys do not expire (the missing-credential 401.1 and invalid-credential 401.3 cases run instead)";

    public const string ScopeReason = "needs an access token lacking an OAuth scope; RapidAPI keys carry no scopes (a key grants the whole API)";

    public const string OtherClientReason =
        "needs a token of a second API client; the platform has one API consumer per key and the simulator one --api-key, " +
        "so sessions are not partitioned by client";

    public const string RestrictedReason =
        "needs QoS profiles restricted to certain devices; the simulator has none (every known device is eligible for every " +
        "profile, DESIGN.md 'Simulator decisions')";

    public const string ExtendCapReason =
        "the binding platform rule (DESIGN.md 'Simulator decisions': an extension caps the remaining time at 86,400 s and the " +
        "overall duration may exceed 86,400 s) differs from CAMARA's absolute maxDuration cap; the outcome would depend on the " +
        "session's age (it holds only within the first second after AVAILABLE)";

    public const string OasEventType = "org.camaraproject.quality-on-demand.v1.qos-status-changed";

    private const RegexOptions Options = RegexOptions.CultureInvariant;

    public static IReadOnlyList<StepDefinition> All { get; } = Build();

    public static StepDefinition? Find(string text) => All.FirstOrDefault(d => d.Pattern.IsMatch(text));

    /// <summary>The reason a scenario cannot apply to the platform (any of its steps needs what the platform lacks), or null.</summary>
    public static string? NotApplicableReason(ScenarioCase scenario) =>
        scenario.Steps.Select(s => Find(s.Text)?.NotApplicable).FirstOrDefault(r => r is not null);

    private static List<StepDefinition> Build()
    {
        var steps = new List<StepDefinition>();

        void Add(string pattern, Func<ScenarioContext, Match, Task> run) =>
            steps.Add(new StepDefinition(new Regex("^" + pattern + "$", Options), run));

        void Sync(string pattern, Action<ScenarioContext, Match> run) => Add(pattern, (c, m) =>
        {
            run(c, m);
            return Task.CompletedTask;
        });

        void NotApplicable(string pattern, string reason) =>
            steps.Add(new StepDefinition(new Regex("^" + pattern + "$", Options),
                (_, _) => throw new InvalidOperationException("a not-applicable step ran"), reason));

        // ---------------- not applicable to the platform ----------------
        NotApplicable(@"the header ""Authorization"" is set to a valid 3-legged access token associated to a valid testing device supported by the service", ThreeLeggedReason);
        NotApplicable(@"the header ""Authorization"" is set to a valid access token identifying a device", ThreeLeggedReason);
        NotApplicable(@"the header ""Authorization"" is set to an expired access token", ExpiredReason);
        NotApplicable(@"the header ""Authorization"" is set to an access token that does not include scope [a-z:\-]+", ScopeReason);
        NotApplicable(@"the header ""Authorization"" is set to a valid access token emitted to a client which did not created the QoS session", OtherClientReason);
        NotApplicable(@"that implementation has QoS Profiles restricted to certain devices", RestrictedReason);
        NotApplicable(@"a device suitable for the restricted QoS Profiles is provided in the request body or identified by the access token", RestrictedReason);
        NotApplicable(@"the restricted QoS Profiles are returned in the response", RestrictedReason);
        NotApplicable(@"no restricted QoS Profile is included in the response", RestrictedReason);
        NotApplicable(@"the request body property ""\$\.requestedAdditionalDuration"" is set to a value that added to the existing QoS session ""duration"" exceeds the ""maxDuration"" for the QoS Profile", ExtendCapReason);
        NotApplicable(@"the response property ""\$\.duration"" does not exceed the ""maxDuration"" for the QoS Profile", ExtendCapReason);

        // ---------------- environment, resource, headers ----------------
        Sync(@"an environment at ""apiRoot""", (c, _) => c.Note($"  apiRoot = {c.Environment.BaseUrl}"));
        Sync(@"the resource ""(?<r>[^""]+)""", (c, m) => c.Resource = m.Groups["r"].Value);
        Sync(@"the header ""Authorization"" is set to a valid access token( which does not identify a single device)?",
            (c, _) => c.Headers["Authorization"] = c.ValidToken);
        Sync(@"the header ""Authorization"" is set to an invalid access token",
            (c, _) => c.Headers["Authorization"] = "Bearer invalid-" + Guid.NewGuid().ToString("N"));
        Sync(@"the header ""Authorization"" is not sent", (c, _) => c.Headers.Remove("Authorization"));
        Sync(@"the header ""x-correlator"" complies with the schema at ""(?<s>[^""]+)""", (c, m) =>
        {
            var value = "conformance-" + Guid.NewGuid().ToString("D");
            var violations = OpenApiDocument.Violations(c.Document.SchemaAt(m.Groups["s"].Value), JsonValue.Create(value));
            if (violations.Count > 0)
            {
                throw ScenarioContext.Fail($"test input error: x-correlator {value} violates {m.Groups["s"].Value}");
            }

            c.Headers["x-correlator"] = value;
        });
        Sync(@"the header ""(?<h>[^""]+)"" is set to ""(?<v>[^""]+)""", (c, m) => c.Headers[m.Groups["h"].Value] = m.Groups["v"].Value);

        // ---------------- request bodies ----------------
        Sync(@"the request body is set by default to a request body compliant with the schema at ""/components/schemas/(?<s>\w+)""", (c, m) =>
        {
            c.Body = c.DefaultBody(m.Groups["s"].Value);
            ExpectCompliance(c, c.Body, "/components/schemas/" + m.Groups["s"].Value, compliant: true);
        });
        Sync(@"a request body compliant with the schema at ""/components/schemas/(?<s>\w+)""", (c, m) =>
        {
            c.Body = c.DefaultBody(m.Groups["s"].Value);
            ExpectCompliance(c, c.Body, "/components/schemas/" + m.Groups["s"].Value, compliant: true);
        });
        Sync(@"the request body is set to a valid request body", (c, _) =>
        {
            if (c.Operation.Method is "GET" or "DELETE")
            {
                c.Note($"  ({c.Operation.Name} is {c.Operation.Method}: it has no request body; nothing to set)");
                return;
            }

            c.Body = c.DefaultBodyForOperation();
        });
        Sync(@"the request body is set to any value which is not compliant with the schema at ""/components/schemas/(?<s>\w+)""", (c, m) =>
        {
            JsonObject body = m.Groups["s"].Value switch
            {
                "CreateSession" => Tweak(c.DefaultCreateBody(), b => b["duration"] = "one hour"),
                "ExtendSessionDuration" => new JsonObject { ["requestedAdditionalDuration"] = "sixty" },
                "RetrieveSessionsInput" => new JsonObject { ["device"] = ScenarioContext.DefaultPhone },
                "QosProfileDeviceRequest" => new JsonObject { ["status"] = "UNKNOWN_STATUS" },
                var s => throw ScenarioContext.Fail($"no non-compliant body for {s}"),
            };
            ExpectCompliance(c, body, "/components/schemas/" + m.Groups["s"].Value, compliant: false);
            c.Body = body;
        });
        Sync(@"the request body is not included", (c, _) => c.Body = null);
        Sync(@"the request body is set to \{\}", (c, _) => c.Body = new JsonObject());
        Sync(@"the request body property ""(?<p>[^""]+)"" is set to:? (?<json>\{.*\})",
            (c, m) => JsonPaths.Set(c.BodyObject, m.Groups["p"].Value, () => JsonNode.Parse(m.Groups["json"].Value)));
        Sync(@"the request (body )?property ""(?<p>\$\.device)"" is not included", (c, _) => JsonPaths.Remove(c.BodyObject, "$.device"));
        Sync(@"the request body properties ""(?<a>[^""]+)"" and ""(?<b>[^""]+)"" are not included", (c, m) =>
        {
            JsonPaths.Remove(c.BodyObject, m.Groups["a"].Value);
            JsonPaths.Remove(c.BodyObject, m.Groups["b"].Value);
        });

        // Devices supplied by the implementation (simulator numbers, see the README).
        Sync(@"a valid testing device supported by the service, identified by the token or provided in the request body",
            (c, _) => c.BodyObject["device"] = ScenarioContext.DefaultDevice());
        Add(@"a valid testing device supported by the service, identified by the token or provided in the request body, with QoS active sessions associated", async (c, _) =>
        {
            await c.CreateSessionAsync(c.DefaultCreateBody());
            c.BodyObject["device"] = ScenarioContext.DefaultDevice();
        });
        Sync(@"a valid testing device supported by the service, identified by the token or provided in the request body with no QoS active sessions associated",
            (c, _) => c.BodyObject["device"] = ScenarioContext.DefaultDevice(ScenarioContext.OtherPhone));
        Sync(@"the request body property ""\$\.device"" is set to a valid device", (c, _) => c.BodyObject["device"] = ScenarioContext.DefaultDevice());
        Sync(@"the request body property ""\$\.device"" is compliant with the schema but does not identify a valid device",
            (c, _) => c.BodyObject["device"] = ScenarioContext.DefaultDevice(Simulator.SimulatorNumbers.NotFound));
        Sync(@"that some types of device identifiers are not supported by the implementation",
            (c, _) => c.Note("  (networkAccessIdentifier is not supported by the simulator, as CAMARA v1.1 prescribes)"));
        Sync(@"the request body property ""\$\.device"" only includes device identifiers not supported by the implementation",
            (c, _) => c.BodyObject["device"] = new JsonObject { ["networkAccessIdentifier"] = "123456789@domain.com" });
        Sync(@"that the service is not available for all devices commercialized by the operator",
            (c, _) => c.Note($"  (the simulator's not-applicable device is {Simulator.SimulatorNumbers.NotApplicable})"));
        Sync(@"a valid device, identified by the token or provided in the request body, for which the service is not applicable",
            (c, _) => c.BodyObject["device"] = ScenarioContext.DefaultDevice(Simulator.SimulatorNumbers.NotApplicable));
        Sync(@"a device for which the service is not applicable, provided in the request body or identified by the access token", (c, _) =>
        {
            c.BodyObject["device"] = ScenarioContext.DefaultDevice(Simulator.SimulatorNumbers.NoProfiles);
            c.Choice("retrieveQoSProfiles 06 vs C01.07 (contract §11.6): a device with no profiles (+99999990204) gives 200 []; " +
                     "an ineligible device (+99999990422) gives 422 SERVICE_NOT_APPLICABLE");
        });
        Sync(@"no device is provided in the request body or identified by the access token", (c, _) => JsonPaths.Remove(c.BodyObject, "$.device"));
        Sync(@"the request body property ""(?<p>\$\.device\.\w+)"" does not comply with the OAS schema at ""(?<s>[^""]+)""", (c, m) =>
        {
            JsonNode value = m.Groups["s"].Value switch
            {
                "/components/schemas/PhoneNumber" => JsonValue.Create("36701000001")!,
                "/components/schemas/DeviceIpv4Addr" => new JsonObject { ["publicAddress"] = "203.0.113.10" },
                "/components/schemas/DeviceIpv6Address" => JsonValue.Create("2001:db8::zz")!,
                "/components/schemas/NetworkAccessIdentifier" => JsonValue.Create(123456789)!,
                var s => throw ScenarioContext.Fail($"no non-compliant value for {s}"),
            };
            ExpectCompliance(c, value, m.Groups["s"].Value, compliant: false);
            JsonPaths.Set(c.BodyObject, m.Groups["p"].Value, () => value.DeepClone());
        });

        // createSession properties
        Sync(@"the request body property ""\$\.applicationServer"" is set to a valid application server",
            (c, _) => c.BodyObject["applicationServer"] = new JsonObject { ["ipv4Address"] = "198.51.100.0/24" });
        Add(@"the request property ""\$\.qosProfile"" is set to a valid QoS Profile as returned by QoS Profiles API", async (c, _) =>
        {
            var exchange = await c.SetupCallAsync("retrieveQoSProfiles", new JsonObject { ["status"] = "ACTIVE" });
            var names = (exchange.Json as JsonArray)?.Select(p => (string?)p?["name"]).Where(n => n is not null).ToList() ?? [];
            if (exchange.Status != 200 || names.Count == 0)
            {
                throw ScenarioContext.Fail($"no ACTIVE profile from retrieveQoSProfiles: {exchange}");
            }

            c.SelectedProfile = names.Contains(ScenarioContext.DefaultProfile) ? ScenarioContext.DefaultProfile : names[0];
            c.BodyObject["qosProfile"] = c.SelectedProfile;
        });
        Add(@"the request body property ""\$\.duration"" is set to a valid duration for the selected QoS profile", async (c, _) =>
        {
            var (min, max) = await c.ProfileDurationsAsync(c.SelectedProfile ?? (string)c.BodyObject["qosProfile"]!);
            c.BodyObject["duration"] = Math.Clamp(3600, min, max);
        });
        Sync(@"the request property ""\$\.sink"" is set to a URL where events can be monitored", (c, _) => c.BodyObject["sink"] = c.SinkUrl);
        Sync(@"the request property ""\$\.sinkCredential\.accessToken"" is set to a valid access token accepted by the events receiver", (c, _) =>
        {
            JsonPaths.Set(c.BodyObject, "$.sinkCredential.accessToken", () => c.SinkToken);
            if (c.BodyObject["sinkCredential"]?["accessTokenExpiresUtc"] is null)
            {
                JsonPaths.Set(c.BodyObject, "$.sinkCredential.accessTokenExpiresUtc", () => c.SinkCredential()["accessTokenExpiresUtc"]!.DeepClone());
            }
        });
        Sync(@"the request body property ""(?<p>[^""]+)"" is set to a value not between between 0 and 65535", (c, m) =>
        {
            var path = m.Groups["p"].Value;
            if (path.StartsWith("$.device.ipv4Address", StringComparison.Ordinal) && c.BodyObject["device"]?["ipv4Address"] is null)
            {
                JsonPaths.Set(c.BodyObject, "$.device.ipv4Address.publicAddress", () => "203.0.113.10");
            }

            JsonPaths.Set(c.BodyObject, path, () => 65536);
        });
        Sync(@"the request body property ""\$\.sinkCredential\.accessTokenType"" is set to a value other than ""bearer""",
            (c, _) => JsonPaths.Set(c.BodyObject, "$.sinkCredential.accessTokenType", () => "mac"));
        Add(@"the request body property ""qosProfile"" is set to a non existent qos Profile", async (c, _) =>
        {
            var name = "QOS_NOT_EXISTING_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
            var check = await c.SetupCallAsync("getQosProfile", null, new Dictionary<string, string> { ["name"] = name });
            if (check.Status != 404)
            {
                throw ScenarioContext.Fail($"test input error: {name} exists: {check}");
            }

            c.BodyObject["qosProfile"] = name;
        });
        Add(@"the request body property ""duration"" is set to an invalid duration for the selected qosProfile", async (c, _) =>
        {
            var (_, max) = await c.ProfileDurationsAsync((string)c.BodyObject["qosProfile"]!);
            c.BodyObject["duration"] = max + 1;
            c.CodeAlternatives["INVALID_ARGUMENT"] = (["QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE"],
                "invalid duration (contract §11.1): the OAS code QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE is what the simulator sends; the suite's INVALID_ARGUMENT is accepted too");
        });
        Sync(@"the request (body )?property ""(?<p>\$\.[^""]+)"" is set to ""(?<v>[^""]*)""",
            (c, m) => JsonPaths.Set(c.BodyObject, m.Groups["p"].Value, () => m.Groups["v"].Value));
        Add(@"a QoD session already exists for that device", async (c, _) => await c.CreateSessionAsync((JsonObject)c.BodyObject.DeepClone()));
        Add(@"the requested QoS Profile exists but is not applicable for the session", async (c, _) =>
        {
            var exchange = await c.SetupCallAsync("retrieveQoSProfiles", new JsonObject { ["status"] = "INACTIVE" });
            var name = (string?)(exchange.Json as JsonArray)?.FirstOrDefault()?["name"]
                ?? throw ScenarioContext.Fail($"no INACTIVE profile is available as a testing asset: {exchange}");
            c.BodyObject["qosProfile"] = name;
        });

        // ---------------- sessions as testing assets ----------------
        Add(@"the path parameter ""sessionId"" is set by default to a existing QoS session sessionId", async (c, _) =>
        {
            var created = await c.CreateSessionAsync(c.DefaultCreateBody());
            c.PathParameters["sessionId"] = (string)created["sessionId"]!;
        });
        Add(@"an existing QoS session created by operation createSession", async (c, _) =>
        {
            if (c.SessionId is null)
            {
                await c.CreateSessionAsync(c.DefaultCreateBody());
            }
        });
        Add(@"an existing QoS session created by operation createSession with qosStatus ""AVAILABLE""", async (c, _) =>
        {
            if (c.SessionId is null)
            {
                await c.CreateSessionAsync(c.DefaultCreateBody());
            }

            await c.WaitForSessionAsync(c.SessionId!, s => s == "AVAILABLE", "AVAILABLE");
        });
        Add(@"an existing QoS session created by operation createSession with provided values for ""sink"" and ""sinkCredential"", and with status ""AVAILABLE""", async (c, _) =>
        {
            if (c.SessionId is null || c.SessionRequest?["sink"] is null || c.SessionRequest?["sinkCredential"] is null)
            {
                await c.CreateSessionAsync(c.DefaultCreateBody());
            }

            await c.WaitForSessionAsync(c.SessionId!, s => s == "AVAILABLE", "AVAILABLE");
            // Let the AVAILABLE notification arrive first, so that the next event is the one the request causes.
            await c.Environment.Sink.WaitAsync(c.SinkPath, 0,
                e => (string?)e.Body?["data"]?["sessionId"] == c.SessionId && (string?)e.Body?["data"]?["qosStatus"] == "AVAILABLE",
                TimeSpan.FromSeconds(5));
        });
        Add(@"an existing QoS session (failed to be created in the last 360 seconds|with qosStatus not ""AVAILABLE"")", async (c, _) =>
        {
            var body = c.DefaultCreateBody(Simulator.SimulatorNumbers.NetworkTerminates);
            await c.CreateSessionAsync(body);
            await c.WaitForSessionAsync(c.SessionId!, s => s == "UNAVAILABLE", "UNAVAILABLE");
            c.Note($"  (simulator number {Simulator.SimulatorNumbers.NetworkTerminates}: the network terminated the session; it is UNAVAILABLE and kept for 360 s)");
        });
        Sync(@"the path parameter ""sessionId"" is set to the value for that QoS session",
            (c, _) => c.PathParameters["sessionId"] = c.SessionId ?? throw ScenarioContext.Fail("no session was created"));
        Sync(@"the path parameter ""sessionId"" has not a UUID format", (c, _) => c.PathParameters["sessionId"] = "not-a-uuid-123");
        Sync(@"the path parameter ""sessionId"" is set to a random UUID", (c, _) => c.PathParameters["sessionId"] = Guid.NewGuid().ToString("D"));
        Sync(@"the request body property ""\$\.requestedAdditionalDuration"" is set to a valid additional session duration",
            (c, _) => c.BodyObject["requestedAdditionalDuration"] = 600);
        Add(@"the ""maxDuration"" for the QoS profile of the session as returned by ""qos-profiles"" API", async (c, _) =>
        {
            var (_, max) = await c.ProfileDurationsAsync((string?)c.SessionRequest?["qosProfile"] ?? ScenarioContext.DefaultProfile);
            c.MaxDurationSeconds = max;
        });
        Add(@"a QoS session has been created successfully and includes a valid sink and sinkCredentials", async (c, _) =>
        {
            c.EventWatermark = c.Environment.Sink.LastSequence;
            await c.CreateSessionAsync(c.DefaultCreateBody());
        });
        Add(@"the QoS status of the session becomes known", async (c, _) =>
            await c.WaitForSessionAsync(c.SessionId ?? throw ScenarioContext.Fail("no session"), s => s != "REQUESTED", "AVAILABLE or UNAVAILABLE"));

        // ---------------- QoS profiles ----------------
        Sync(@"the path param(eter)? ""name"" is set by default to an existing QoS profile name",
            (c, _) => c.PathParameters["name"] = ScenarioContext.DefaultProfile);
        Sync(@"an existing QoS profile", (c, _) => c.SelectedProfile = ScenarioContext.DefaultProfile);
        Sync(@"the path parameter ""name"" is set to the value for that QoS profile",
            (c, _) => c.PathParameters["name"] = c.SelectedProfile ?? ScenarioContext.DefaultProfile);
        Sync(@"path parameter ""name"" does not match the regular expression ""(?<re>[^""]+)""", (c, m) =>
        {
            const string name = "QOS*E";
            if (Regex.IsMatch(name, m.Groups["re"].Value))
            {
                throw ScenarioContext.Fail("test input error: the name matches the pattern");
            }

            c.PathParameters["name"] = name;
        });
        Sync(@"path parameter ""name"" has a length not between 3 and 256", (c, _) => c.PathParameters["name"] = "QE");
        Sync(@"the path parameter ""name"" is set to a random string compliant with the pattern",
            (c, _) => c.PathParameters["name"] = "QOS_" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant());
        Sync(@"the request body property ""\$\.name"" is set to an existing QoS profile name", (c, _) => c.BodyObject["name"] = ScenarioContext.DefaultProfile);
        Sync(@"the request body property ""\$\.status"" is set to the value (?<v>\w+)", (c, m) => c.BodyObject["status"] = m.Groups["v"].Value);

        // ---------------- sending ----------------
        Add(@"the request ""(?<op>\w+)"" is sent", (c, m) => c.SendScenarioRequestAsync(OperationInfo.All.TryGetValue(m.Groups["op"].Value, out var op)
            ? op.Method : throw ScenarioContext.Fail($"unknown operation {m.Groups["op"].Value}"), m.Groups["op"].Value));
        Add(@"the HTTP ""(?<m>[A-Z]+)"" request is sent", (c, m) => c.SendScenarioRequestAsync(m.Groups["m"].Value, null));

        // ---------------- response assertions ----------------
        Sync(@"the response status code is (?<s>\d+)", (c, m) =>
        {
            var expected = int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture);
            if (Response(c).Status != expected)
            {
                throw ScenarioContext.Fail($"expected status {expected}, got {Response(c)}");
            }
        });
        Sync(@"the response header ""Content-Type"" is ""(?<v>[^""]+)""", (c, m) =>
        {
            var mediaType = Response(c).Message.Content.Headers.ContentType?.MediaType;
            if (!string.Equals(mediaType, m.Groups["v"].Value, StringComparison.OrdinalIgnoreCase))
            {
                throw ScenarioContext.Fail($"response Content-Type is '{mediaType ?? "(none)"}', expected {m.Groups["v"].Value}");
            }
        });
        Sync(@"the response header ""x-correlator"" has (the )?same value as the request header ""x-correlator""", (c, _) =>
        {
            var sent = Response(c).RequestCorrelator ?? throw ScenarioContext.Fail("no x-correlator was sent");
            var echoed = Response(c).Header("x-correlator");
            if (echoed != sent)
            {
                throw ScenarioContext.Fail($"x-correlator '{echoed}' is not the one sent ('{sent}')");
            }
        });
        Sync(@"the response property ""\$\.message"" contains a user[ -]friendly text", (c, _) =>
        {
            var message = StringAt(c, "$.message");
            if (message is null || message.Trim().Length < 5 || !message.Any(char.IsLetter))
            {
                throw ScenarioContext.Fail($"$.message is not a user friendly text: {Response(c).RawBody}");
            }
        });
        Sync(@"the response property ""(?<p>\$\.\w+)"" is (?<n>\d+)", (c, m) =>
        {
            var (exists, value) = JsonPaths.Get(Response(c).Json, m.Groups["p"].Value);
            if (!exists || value is not JsonValue v || !v.TryGetValue<long>(out var n) || n != long.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture))
            {
                throw ScenarioContext.Fail($"{m.Groups["p"].Value} is not {m.Groups["n"].Value}: {Response(c).RawBody}");
            }
        });
        Sync(@"the response property ""(?<p>\$\.\w+)"" is ""(?<a>[^""]+)"" or ""(?<b>[^""]+)""",
            (c, m) => ExpectString(c, m.Groups["p"].Value, m.Groups["a"].Value, m.Groups["b"].Value));
        Sync(@"the response property ""(?<p>\$\.\w+)"" is ""(?<a>[^""]+)""", (c, m) => ExpectString(c, m.Groups["p"].Value, m.Groups["a"].Value));
        Sync(@"the response property ""(?<p>\$\.\w+)"" does not exist", (c, m) =>
        {
            if (JsonPaths.Get(Response(c).Json, m.Groups["p"].Value).Exists)
            {
                throw ScenarioContext.Fail($"{m.Groups["p"].Value} exists: {Response(c).RawBody}");
            }
        });
        Sync(@"the response body is \[\]", (c, _) =>
        {
            if (Response(c).Json is not JsonArray { Count: 0 })
            {
                throw ScenarioContext.Fail($"the body is not []: {Response(c).RawBody}");
            }
        });
        Sync(@"the response body complies with the OAS schema at ""(?<s>[^""]+)""",
            (c, m) => ExpectSchema(c, Response(c).Json, m.Groups["s"].Value, "the response body"));
        Sync(@"each item of the response array(?<ifany>, if any,)? complies with the OAS schema at ""(?<s>[^""]+)""", (c, m) =>
        {
            switch (Response(c).Json)
            {
                case JsonArray array:
                    if (array.Count == 0 && !m.Groups["ifany"].Success)
                    {
                        throw ScenarioContext.Fail("the response array is empty");
                    }

                    for (var i = 0; i < array.Count; i++)
                    {
                        ExpectSchema(c, array[i], m.Groups["s"].Value, $"item {i}");
                    }

                    break;
                case JsonObject obj when c.Operation.Name == "getQosProfile":
                    c.Choice("getQosProfile 01: the suite says 'each item of the response array', but the operation returns one QosProfile object; the object itself is checked");
                    ExpectSchema(c, obj, m.Groups["s"].Value, "the response body");
                    break;
                default:
                    throw ScenarioContext.Fail($"the response is not an array: {Response(c).RawBody}");
            }
        });
        Sync(@"the response array has only one item which complies with the OAS schema at ""(?<s>[^""]+)""", (c, m) =>
        {
            if (Response(c).Json is not JsonArray { Count: 1 } array)
            {
                throw ScenarioContext.Fail($"the response is not an array of exactly one item: {Response(c).RawBody}");
            }

            ExpectSchema(c, array[0], m.Groups["s"].Value, "the only item");
        });
        Sync(@"each item of the response array, if any, has property ""\$\[\*\]\.(?<p>\w+)"" equal to (?<v>\w+)", (c, m) =>
        {
            var array = Response(c).Json as JsonArray ?? throw ScenarioContext.Fail("the response is not an array");
            var wrong = array.Where(i => (string?)i?[m.Groups["p"].Value] != m.Groups["v"].Value).ToList();
            if (wrong.Count > 0)
            {
                throw ScenarioContext.Fail($"{wrong.Count} item(s) have {m.Groups["p"].Value} other than {m.Groups["v"].Value}: {Response(c).RawBody}");
            }

            c.Note($"  ({array.Count} item(s) with {m.Groups["p"].Value} {m.Groups["v"].Value})");
        });
        Sync(@"the response property ""\$\[0\]\.name"" value is equal to the request body property ""\$\.name""", (c, _) =>
        {
            var name = (string?)(Response(c).Json as JsonArray)?.FirstOrDefault()?["name"];
            if (name is null || name != (string?)c.SentBody?["name"])
            {
                throw ScenarioContext.Fail($"$[0].name is '{name}', the request asked for '{c.SentBody?["name"]}'");
            }
        });
        Sync(@"the response property ""\$\.name"" value is equal to path param ""name""", (c, _) =>
        {
            if (StringAt(c, "$.name") != c.PathParameters["name"])
            {
                throw ScenarioContext.Fail($"$.name is not {c.PathParameters["name"]}: {Response(c).RawBody}");
            }
        });
        Sync(@"the response property ""\$\.duration"" is not lower than request property ""\$\.requestedAdditionalDuration""", (c, _) =>
        {
            var duration = ScenarioContext.Long(Response(c).Json?["duration"]) ?? throw ScenarioContext.Fail("no $.duration");
            var requested = ScenarioContext.Long(c.SentBody?["requestedAdditionalDuration"]) ?? throw ScenarioContext.Fail("no requestedAdditionalDuration was sent");
            if (duration < requested)
            {
                throw ScenarioContext.Fail($"$.duration {duration} is lower than requestedAdditionalDuration {requested}");
            }
        });

        // Properties of SessionInfo (create, get, extend) and of every item (retrieve).
        Sync(@"the response property ""(?<p>\$\.\w+)"" matches the rule: (?<rule>.+)",
            (c, m) => SessionRules.Check(c, SessionObject(c), m.Groups["p"].Value, m.Groups["rule"].Value, "the response"));
        Sync(@"the response property ""(?<p>\$\.\w+)"" (?<rule>(exists only if|has the same value|has the value).+)",
            (c, m) => SessionRules.Check(c, SessionObject(c), m.Groups["p"].Value, m.Groups["rule"].Value, "the response"));
        Sync(@"in all items in the response, property ""(?<p>\w+)"" (?<rule>.+)", (c, m) =>
        {
            var array = Response(c).Json as JsonArray ?? throw ScenarioContext.Fail("the response is not an array");
            if (array.Count == 0)
            {
                throw ScenarioContext.Fail("the response has no items to check");
            }

            for (var i = 0; i < array.Count; i++)
            {
                SessionRules.Check(c, array[i] as JsonObject ?? throw ScenarioContext.Fail($"item {i} is not an object"),
                    m.Groups["p"].Value, m.Groups["rule"].Value, $"item {i}");
            }
        });

        // ---------------- events ----------------
        Add(@"an event is received at the address of the (request property ""\$\.sink""|""\$\.sink"" provided for createSession)", async (c, _) =>
        {
            var sink = (string?)c.SessionRequest?["sink"] ?? throw ScenarioContext.Fail("the session has no sink");
            if (sink != c.SinkUrl)
            {
                throw ScenarioContext.Fail($"the sink {sink} is not this scenario's listener");
            }

            c.Event = await c.Environment.Sink.WaitAsync(c.SinkPath, c.EventWatermark,
                e => (string?)e.Body?["data"]?["sessionId"] == c.SessionId, TimeSpan.FromSeconds(10))
                ?? throw ScenarioContext.Fail($"no event for session {c.SessionId} arrived at {sink} within 10 s");
            c.Note($"  event: {c.Event.RawBody}");
        });
        Sync(@"the event header ""Authorization"" is set to ""Bearer "" \+ the value of the (request )?property ""\$\.sinkCredential\.accessToken""( provided for createSession)?", (c, _) =>
        {
            var expected = "Bearer " + (string?)c.SessionRequest?["sinkCredential"]?["accessToken"];
            if (Event(c).Authorization != expected)
            {
                throw ScenarioContext.Fail($"event Authorization is '{Event(c).Authorization}', expected '{expected}'");
            }
        });
        Sync(@"the event header ""Content-Type"" is set to ""(?<v>[^""]+)""", (c, m) =>
        {
            var mediaType = Event(c).ContentType?.Split(';')[0].Trim();
            if (!string.Equals(mediaType, m.Groups["v"].Value, StringComparison.OrdinalIgnoreCase))
            {
                throw ScenarioContext.Fail($"event Content-Type is '{Event(c).ContentType}', expected {m.Groups["v"].Value}");
            }
        });
        Sync(@"the event body complies with the OAS schema at ""(?<s>[^""]+)""", (c, m) => ExpectSchema(c, Event(c).Body, m.Groups["s"].Value, "the event body"));
        Sync(@"the event body property ""\$\.id"" is unique", (c, _) =>
        {
            var id = (string?)c.EventBody?["id"] ?? throw ScenarioContext.Fail("the event has no id");
            var same = c.Environment.Sink.Events.Count(e => (string?)e.Body?["id"] == id);
            if (same != 1)
            {
                throw ScenarioContext.Fail($"event id {id} was received {same} times");
            }
        });
        Sync(@"the event body property ""\$\.type"" is set to ""(?<v>[^""]+)""", (c, m) =>
        {
            var type = (string?)c.EventBody?["type"];
            var accepted = new[] { m.Groups["v"].Value, OasEventType };
            if (!accepted.Contains(type))
            {
                throw ScenarioContext.Fail($"event type is '{type}', expected one of {string.Join(", ", accepted)}");
            }

            if (type != m.Groups["v"].Value)
            {
                c.Choice($"event type (contract §11.2): the OAS value {OasEventType} is sent; the suite's {m.Groups["v"].Value} is accepted too");
            }
        });
        Sync(@"the event body property ""\$\.data\.sessionId"" (has the same value as createSession response property ""\$\.sessionId""|as returned for createSession)", (c, _) =>
        {
            if ((string?)c.EventBody?["data"]?["sessionId"] != c.SessionId)
            {
                throw ScenarioContext.Fail($"event data.sessionId is not {c.SessionId}");
            }
        });
        Sync(@"the event body property ""\$\.data\.(?<p>\w+)"" is ""(?<a>[^""]+)""( or ""(?<b>[^""]+)"")?", (c, m) =>
        {
            var value = (string?)c.EventBody?["data"]?[m.Groups["p"].Value];
            if (value != m.Groups["a"].Value && !(m.Groups["b"].Success && value == m.Groups["b"].Value))
            {
                throw ScenarioContext.Fail($"event data.{m.Groups["p"].Value} is '{value}': {Event(c).RawBody}");
            }
        });
        Sync(@"the event body property ""\$\.data\.statusInfo"" exists only if ""\$\.data\.qosStatus"" is ""UNAVAILABLE""", (c, _) =>
        {
            var data = c.EventBody?["data"] as JsonObject;
            if (data?.ContainsKey("statusInfo") == true && (string?)data["qosStatus"] != "UNAVAILABLE")
            {
                throw ScenarioContext.Fail($"event has statusInfo but qosStatus {(string?)data["qosStatus"]}");
            }
        });

        return steps;
    }

    private static Exchange Response(ScenarioContext c) => c.Response ?? throw ScenarioContext.Fail("no request was sent");

    private static ReceivedEvent Event(ScenarioContext c) => c.Event ?? throw ScenarioContext.Fail("no event was received");

    private static JsonObject SessionObject(ScenarioContext c) =>
        Response(c).Json as JsonObject ?? throw ScenarioContext.Fail($"the response is not an object: {Response(c).RawBody}");

    private static string? StringAt(ScenarioContext c, string path)
    {
        var (exists, value) = JsonPaths.Get(Response(c).Json, path);
        return exists && value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    private static void ExpectString(ScenarioContext c, string path, params string[] expected)
    {
        var actual = StringAt(c, path);
        if (actual is not null && expected.Contains(actual))
        {
            return;
        }

        foreach (var e in expected)
        {
            if (path == "$.code" && c.CodeAlternatives.TryGetValue(e, out var alternative) && actual is not null && alternative.Also.Contains(actual))
            {
                c.Choice(alternative.Why);
                return;
            }
        }

        throw ScenarioContext.Fail($"{path} is '{actual ?? "(missing)"}', expected {string.Join(" or ", expected)}: {Response(c).RawBody}");
    }

    private static void ExpectSchema(ScenarioContext c, JsonNode? instance, string pointer, string what)
    {
        var violations = OpenApiDocument.Violations(c.Document.SchemaAt(pointer), instance is null ? null : c.NormalizeLoopbackSinks(instance));
        if (violations.Count > 0)
        {
            throw new ContractViolation($"{what} does not comply with {c.Document.Name}#{pointer}: {string.Join(" | ", violations)}");
        }
    }

    /// <summary>Self-check of the implementer-supplied inputs: compliant where the step says so, and not where it says not.</summary>
    private static void ExpectCompliance(ScenarioContext c, JsonNode value, string pointer, bool compliant)
    {
        var violations = OpenApiDocument.Violations(c.Document.SchemaAt(pointer), c.NormalizeLoopbackSinks(value));
        if (compliant && violations.Count > 0)
        {
            throw ScenarioContext.Fail($"test input error: the default body violates {pointer}: {string.Join(" | ", violations)}");
        }

        if (!compliant && violations.Count == 0)
        {
            throw ScenarioContext.Fail($"test input error: {value.ToJsonString()} complies with {pointer}");
        }
    }

    private static JsonObject Tweak(JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body;
    }
}
