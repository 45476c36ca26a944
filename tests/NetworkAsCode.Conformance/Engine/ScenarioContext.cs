using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>One HTTP request and its response.</summary>
public sealed record Exchange(
    string Operation,
    string Method,
    string Url,
    string? RequestCorrelator,
    int Status,
    HttpResponseMessage Message,
    string RawBody,
    JsonNode? Json)
{
    public string? Header(string name) =>
        Message.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : Message.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : null;

    public override string ToString() => $"{Method} {Url} -> {Status} {Truncate(RawBody)}";

    private static string Truncate(string body) => body.Length <= 600 ? body : body[..600] + "...";
}

/// <summary>The operations of the two APIs: document, method and path template.</summary>
public sealed record OperationInfo(string Name, string ApiFile, string BasePath, string Method, string PathTemplate)
{
    public static readonly IReadOnlyDictionary<string, OperationInfo> All = new[]
    {
        new OperationInfo("createSession", OpenApiContract.QodFile, "/quality-on-demand/v1", "POST", "/sessions"),
        new OperationInfo("getSession", OpenApiContract.QodFile, "/quality-on-demand/v1", "GET", "/sessions/{sessionId}"),
        new OperationInfo("deleteSession", OpenApiContract.QodFile, "/quality-on-demand/v1", "DELETE", "/sessions/{sessionId}"),
        new OperationInfo("extendQosSessionDuration", OpenApiContract.QodFile, "/quality-on-demand/v1", "POST", "/sessions/{sessionId}/extend"),
        new OperationInfo("retrieveSessionsByDevice", OpenApiContract.QodFile, "/quality-on-demand/v1", "POST", "/retrieve-sessions"),
        new OperationInfo("getQosProfile", OpenApiContract.ProfilesFile, "/qos-profiles/v1", "GET", "/qos-profiles/{name}"),
        new OperationInfo("retrieveQoSProfiles", OpenApiContract.ProfilesFile, "/qos-profiles/v1", "POST", "/retrieve-qos-profiles"),
    }.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public string Resource => BasePath + PathTemplate;
}

/// <summary>A step assertion that did not hold.</summary>
public sealed class StepFailed(string message) : Exception(message);

/// <summary>The state of one running scenario: the request being built, the last response, the session and event under test.</summary>
public sealed class ScenarioContext
{
    public const string DefaultPhone = "+36701000001";
    public const string OtherPhone = "+36701000002";
    public const string DefaultProfile = "QOS_E";

    private readonly List<string> _log = [];

    public ScenarioContext(ConformanceEnvironment environment, ScenarioCase scenario)
    {
        Environment = environment;
        Scenario = scenario;
        Operation = OperationInfo.All[scenario.Operation];
        Document = OpenApiContract.Instance[scenario.ApiFile];
        SinkPath = "/events/" + Guid.NewGuid().ToString("N");
        SinkToken = "sink-token-" + Guid.NewGuid().ToString("N");
    }

    public ConformanceEnvironment Environment { get; }

    public ScenarioCase Scenario { get; }

    public OperationInfo Operation { get; }

    public OpenApiDocument Document { get; }

    public IReadOnlyList<string> Log => _log;

    /// <summary>Documented choices (contract notes §11) applied in this scenario.</summary>
    public List<string> Choices { get; } = [];

    // ---- request under construction ----
    public string? Resource { get; set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> PathParameters { get; } = new(StringComparer.Ordinal);

    /// <summary>The request body; null = no body.</summary>
    public JsonNode? Body { get; set; }

    /// <summary>Expected code → other codes accepted for it in this scenario, with the reason (documented choices).</summary>
    public Dictionary<string, (string[] Also, string Why)> CodeAlternatives { get; } = new(StringComparer.Ordinal);

    // ---- results ----
    public Exchange? Response { get; private set; }

    public JsonNode? SentBody { get; private set; }

    public int ResponsesValidated { get; private set; }

    // ---- session under test ----
    public JsonObject? SessionRequest { get; set; }

    public JsonObject? SessionResponse { get; set; }

    public string? SessionId { get; set; }

    // ---- profile data ----
    public string? SelectedProfile { get; set; }

    public long? MaxDurationSeconds { get; set; }

    // ---- events ----
    public string SinkPath { get; }

    public string SinkUrl => Environment.Sink.BaseUrl + SinkPath;

    public string SinkToken { get; }

    public long EventWatermark { get; set; }

    public ReceivedEvent? Event { get; set; }

    public JsonObject? EventBody => Event?.Body as JsonObject;

    public void Note(string line) => _log.Add(line);

    public void Choice(string line)
    {
        if (!Choices.Contains(line))
        {
            Choices.Add(line);
            _log.Add("  choice: " + line);
        }
    }

    public static StepFailed Fail(string message) => new(message);

    public string ValidToken => "Bearer " + ConformanceEnvironment.ApiKey;

    // ---- default values supplied by the implementer ----
    public static JsonObject DefaultDevice(string phone = DefaultPhone) => new() { ["phoneNumber"] = phone };

    public JsonObject SinkCredential() => new()
    {
        ["credentialType"] = "ACCESSTOKEN",
        ["accessToken"] = SinkToken,
        ["accessTokenType"] = "bearer",
        ["accessTokenExpiresUtc"] = DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    public JsonObject DefaultCreateBody(string phone = DefaultPhone) => new()
    {
        ["device"] = DefaultDevice(phone),
        ["applicationServer"] = new JsonObject { ["ipv4Address"] = "198.51.100.0/24" },
        ["devicePorts"] = new JsonObject
        {
            ["ranges"] = new JsonArray(new JsonObject { ["from"] = 5010, ["to"] = 5020 }),
            ["ports"] = new JsonArray(5060, 5070),
        },
        ["applicationServerPorts"] = new JsonObject { ["ports"] = new JsonArray(443, 8443) },
        ["qosProfile"] = DefaultProfile,
        ["sink"] = SinkUrl,
        ["sinkCredential"] = SinkCredential(),
        ["duration"] = 3600,
    };

    /// <summary>The default (schema-compliant) body for a request schema named in a step.</summary>
    public JsonObject DefaultBody(string schemaName) => schemaName switch
    {
        "CreateSession" => DefaultCreateBody(),
        "ExtendSessionDuration" => new JsonObject { ["requestedAdditionalDuration"] = 600 },
        "RetrieveSessionsInput" => new JsonObject { ["device"] = DefaultDevice() },
        "QosProfileDeviceRequest" => new JsonObject { ["device"] = DefaultDevice() },
        _ => throw Fail($"no default body for schema {schemaName}"),
    };

    public JsonObject DefaultBodyForOperation() => Operation.Name switch
    {
        "createSession" => DefaultBody("CreateSession"),
        "extendQosSessionDuration" => DefaultBody("ExtendSessionDuration"),
        "retrieveSessionsByDevice" => DefaultBody("RetrieveSessionsInput"),
        "retrieveQoSProfiles" => DefaultBody("QosProfileDeviceRequest"),
        _ => throw Fail($"{Operation.Name} takes no request body"),
    };

    public JsonObject BodyObject => Body as JsonObject ?? throw Fail("the request body is not a JSON object at this point");

    // ---- HTTP ----

    /// <summary>Sends the scenario's request (resource, headers, path parameters and body as built by the steps).</summary>
    public async Task SendScenarioRequestAsync(string method, string? operationName)
    {
        var operation = operationName is null ? Operation : OperationInfo.All[operationName];
        if (operation.Name != Operation.Name)
        {
            throw Fail($"the feature is about {Operation.Name}, but the step sends {operation.Name}");
        }

        if (!string.Equals(method, operation.Method, StringComparison.OrdinalIgnoreCase))
        {
            throw Fail($"{operation.Name} is {operation.Method}, the step sends {method}");
        }

        var resource = Resource ?? throw Fail("no resource was set");
        if (resource != operation.Resource)
        {
            throw Fail($"the resource {resource} is not the one of {operation.Name} ({operation.Resource})");
        }

        EventWatermark = Environment.Sink.LastSequence;
        SentBody = Body?.DeepClone();
        Response = await SendAsync(operation, PathParameters, Headers, Body, includeBody: operation.Method != "GET" && operation.Method != "DELETE");
    }

    /// <summary>A set-up call with valid credentials and a fresh x-correlator; its response is validated as well.</summary>
    public Task<Exchange> SetupCallAsync(string operationName, JsonNode? body = null, IReadOnlyDictionary<string, string>? pathParameters = null)
    {
        var operation = OperationInfo.All[operationName];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Authorization"] = ValidToken,
            ["x-correlator"] = "setup-" + Guid.NewGuid().ToString("N"),
            ["Content-Type"] = "application/json",
        };
        return SendAsync(operation, pathParameters ?? new Dictionary<string, string>(), headers, body, includeBody: body is not null);
    }

    private async Task<Exchange> SendAsync(
        OperationInfo operation, IReadOnlyDictionary<string, string> pathParameters, IReadOnlyDictionary<string, string> headers, JsonNode? body, bool includeBody)
    {
        var path = operation.Resource;
        foreach (var (name, value) in pathParameters)
        {
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        if (path.Contains('{', StringComparison.Ordinal))
        {
            throw Fail($"path parameter missing in {path}");
        }

        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path.TrimStart('/'));
        string? correlator = null;
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("x-correlator", StringComparison.OrdinalIgnoreCase))
            {
                correlator = value;
            }

            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (includeBody)
        {
            // No body: an empty payload, still with the Content-Type the Background set.
            request.Content = new ByteArrayContent(body is null ? [] : Encoding.UTF8.GetBytes(body.ToJsonString()));
            if (headers.TryGetValue("Content-Type", out var contentType))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        var response = await Environment.Http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (raw.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(raw);
            }
            catch (System.Text.Json.JsonException)
            {
                json = null;
            }
        }

        var exchange = new Exchange(operation.Name, operation.Method, path, correlator, (int)response.StatusCode, response, raw, json);
        _log.Add($"  {exchange}");
        ValidateResponse(operation, exchange);
        return exchange;
    }

    /// <summary>Every response must match the declared response of its operation and status in the OpenAPI document.</summary>
    private void ValidateResponse(OperationInfo operation, Exchange exchange)
    {
        var document = OpenApiContract.Instance[operation.ApiFile];
        var (schema, where) = document.ResponseSchema(operation.PathTemplate, operation.Method, exchange.Status);
        if (schema is null)
        {
            if (exchange.RawBody.Length > 0)
            {
                throw new ContractViolation($"{operation.Name} {exchange.Status}: the response declares no content but has a body: {exchange.RawBody}");
            }
        }
        else
        {
            var mediaType = exchange.Message.Content.Headers.ContentType?.MediaType;
            if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            {
                throw new ContractViolation($"{operation.Name} {exchange.Status}: Content-Type is '{mediaType}', the contract declares application/json");
            }

            if (exchange.Json is null)
            {
                throw new ContractViolation($"{operation.Name} {exchange.Status}: the body is not JSON: {exchange.RawBody}");
            }

            var violations = OpenApiDocument.Violations(schema, NormalizeLoopbackSinks(exchange.Json));
            if (violations.Count > 0)
            {
                throw new ContractViolation(
                    $"{operation.Name} {exchange.Status}: the body violates {document.Name}#{where}: {string.Join(" | ", violations)}; body: {exchange.RawBody}");
            }
        }

        ResponsesValidated++;
    }

    /// <summary>
    /// The simulator accepts http sinks on loopback (a documented deviation, DESIGN.md "Sinks") and echoes them as given;
    /// the contract's sink pattern is ^https://. For the schema check, our own loopback sink URL is read as https.
    /// </summary>
    public JsonNode NormalizeLoopbackSinks(JsonNode node)
    {
        var copy = node.DeepClone();
        var changed = false;
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject obj:
                    if (obj["sink"] is JsonValue v && v.TryGetValue<string>(out var sink)
                        && sink.StartsWith(Environment.Sink.BaseUrl + "/", StringComparison.Ordinal))
                    {
                        obj["sink"] = "https://" + sink["http://".Length..];
                        changed = true;
                    }

                    foreach (var (_, child) in obj.ToList())
                    {
                        Walk(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(copy);
        if (changed)
        {
            Choice("sink: the simulator accepts an http sink on loopback (documented deviation); schema checks read our loopback sink as https");
        }

        return copy;
    }

    // ---- session helpers ----

    public async Task<JsonObject> CreateSessionAsync(JsonObject body)
    {
        var exchange = await SetupCallAsync("createSession", body.DeepClone());
        if (exchange.Status != 201 || exchange.Json is not JsonObject created)
        {
            throw Fail($"set-up createSession failed: {exchange}");
        }

        SessionRequest = (JsonObject)body.DeepClone();
        SessionResponse = created;
        SessionId = (string?)created["sessionId"] ?? throw Fail("set-up createSession returned no sessionId");
        return created;
    }

    public async Task<JsonObject> GetSessionAsync(string id)
    {
        var exchange = await SetupCallAsync("getSession", null, new Dictionary<string, string> { ["sessionId"] = id });
        if (exchange.Status != 200 || exchange.Json is not JsonObject session)
        {
            throw Fail($"set-up getSession failed: {exchange}");
        }

        return session;
    }

    public async Task<JsonObject> WaitForSessionAsync(string id, Func<string?, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var session = await GetSessionAsync(id);
            var status = (string?)session["qosStatus"];
            if (condition(status))
            {
                return session;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw Fail($"session {id} did not become {what} in time (last qosStatus {status})");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The QoS profile's duration bounds in seconds, from the qos-profiles API.</summary>
    public async Task<(long Min, long Max)> ProfileDurationsAsync(string name)
    {
        var exchange = await SetupCallAsync("getQosProfile", null, new Dictionary<string, string> { ["name"] = name });
        if (exchange.Status != 200 || exchange.Json is not JsonObject profile)
        {
            throw Fail($"set-up getQosProfile {name} failed: {exchange}");
        }

        return (Seconds(profile["minDuration"]) ?? 1, Seconds(profile["maxDuration"]) ?? int.MaxValue);
    }

    /// <summary>An integer JSON value (however it was created), or null when absent or not an integer.</summary>
    public static long? Long(JsonNode? node) =>
        node is JsonValue && long.TryParse(node.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static long? Seconds(JsonNode? duration)
    {
        if (duration is not JsonObject d)
        {
            return null;
        }

        var value = Long(d["value"]) ?? throw Fail($"duration without value: {d.ToJsonString()}");
        return (string?)d["unit"] switch
        {
            "Days" => value * 86_400,
            "Hours" => value * 3_600,
            "Minutes" => value * 60,
            "Seconds" => value,
            "Milliseconds" => Math.Max(1, value / 1_000),
            "Microseconds" => Math.Max(1, value / 1_000_000),
            "Nanoseconds" => Math.Max(1, value / 1_000_000_000),
            var unit => throw Fail($"unknown duration unit {unit}"),
        };
    }
}
