using System;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>Every create/extend/retrieve validation rule, with the exact status and code, over real HTTP.</summary>
public sealed class ValidationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const string Token = """{"credentialType":"ACCESSTOKEN","accessToken":"t0k3n","accessTokenType":"bearer","accessTokenExpiresUtc":"2030-01-01T00:00:00Z"}""";

    private readonly HttpClient _client = fixture.Client;

    /// <summary>(case name, edit of a valid body as "property=json" or "-property", status, code, text the message must contain).</summary>
    public static TheoryData<string, string, int, string, string> CreateCases => new()
    {
        { "empty body object", "{}", 400, "INVALID_ARGUMENT", "must not be empty" },
        { "qosProfile missing", "-qosProfile", 400, "INVALID_ARGUMENT", "qosProfile is required" },
        { "qosProfile not a string", "qosProfile=42", 400, "INVALID_ARGUMENT", "qosProfile must be a string" },
        { "qosProfile too short", "qosProfile=\"QO\"", 400, "INVALID_ARGUMENT", "qosProfile must be 3 to 256" },
        { "qosProfile too long", "qosProfile=\"" + new string('Q', 257) + "\"", 400, "INVALID_ARGUMENT", "qosProfile must be 3 to 256" },
        { "qosProfile bad characters", "qosProfile=\"QOS E!\"", 400, "INVALID_ARGUMENT", "qosProfile must match" },
        { "qosProfile unknown", "qosProfile=\"NO_SUCH_PROFILE\"", 400, "INVALID_ARGUMENT", "NO_SUCH_PROFILE" },
        { "device missing", "-device", 422, "MISSING_IDENTIFIER", "device" },
        { "device empty", "device={}", 400, "INVALID_ARGUMENT", "device must contain at least one identifier" },
        { "device not an object", "device=\"+36701234567\"", 400, "INVALID_ARGUMENT", "device must be a JSON object" },
        { "phoneNumber without plus", "device={\"phoneNumber\":\"36701234567\"}", 400, "INVALID_ARGUMENT", @"device.phoneNumber must match ^\+[1-9][0-9]{4,14}$" },
        { "phoneNumber with spaces", "device={\"phoneNumber\":\"+36 70 123 4567\"}", 400, "INVALID_ARGUMENT", "device.phoneNumber" },
        { "phoneNumber too long", "device={\"phoneNumber\":\"+1234567890123456\"}", 400, "INVALID_ARGUMENT", "device.phoneNumber" },
        { "phoneNumber leading zero", "device={\"phoneNumber\":\"+0123456\"}", 400, "INVALID_ARGUMENT", "device.phoneNumber" },
        { "phoneNumber trailing newline", "device={\"phoneNumber\":\"+36701234567\\n\"}", 400, "INVALID_ARGUMENT", "device.phoneNumber" },
        { "phoneNumber not a string", "device={\"phoneNumber\":36701234567}", 400, "INVALID_ARGUMENT", "device.phoneNumber must be a string" },
        { "ipv4 public only", "device={\"ipv4Address\":{\"publicAddress\":\"203.0.113.1\"}}", 400, "INVALID_ARGUMENT", "device.ipv4Address must contain privateAddress or publicPort" },
        { "ipv4 no public", "device={\"ipv4Address\":{\"privateAddress\":\"10.0.0.1\"}}", 400, "INVALID_ARGUMENT", "device.ipv4Address.publicAddress is required" },
        { "ipv4 bad public", "device={\"ipv4Address\":{\"publicAddress\":\"203.0.113.256\",\"privateAddress\":\"10.0.0.1\"}}", 400, "INVALID_ARGUMENT", "device.ipv4Address.publicAddress" },
        { "ipv4 leading zero", "device={\"ipv4Address\":{\"publicAddress\":\"203.0.113.01\",\"privateAddress\":\"10.0.0.1\"}}", 400, "INVALID_ARGUMENT", "device.ipv4Address.publicAddress" },
        { "ipv4 with mask", "device={\"ipv4Address\":{\"publicAddress\":\"203.0.113.1/32\",\"privateAddress\":\"10.0.0.1\"}}", 400, "INVALID_ARGUMENT", "device.ipv4Address.publicAddress" },
        { "ipv4 bad private", "device={\"ipv4Address\":{\"publicAddress\":\"203.0.113.1\",\"privateAddress\":\"10.0.0\"}}", 400, "INVALID_ARGUMENT", "device.ipv4Address.privateAddress" },
        { "ipv4 port out of range", "device={\"ipv4Address\":{\"publicAddress\":\"203.0.113.1\",\"publicPort\":65536}}", 400, "OUT_OF_RANGE", "device.ipv4Address.publicPort" },
        { "ipv4 port negative", "device={\"ipv4Address\":{\"publicAddress\":\"203.0.113.1\",\"publicPort\":-1}}", 400, "OUT_OF_RANGE", "device.ipv4Address.publicPort" },
        { "ipv4 port not integer", "device={\"ipv4Address\":{\"publicAddress\":\"203.0.113.1\",\"publicPort\":80.5}}", 400, "INVALID_ARGUMENT", "device.ipv4Address.publicPort must be an integer" },
        { "ipv4 not an object", "device={\"ipv4Address\":\"203.0.113.1\"}", 400, "INVALID_ARGUMENT", "device.ipv4Address must be a JSON object" },
        { "ipv6 invalid", "device={\"ipv6Address\":\"2001:db8::zz\"}", 400, "INVALID_ARGUMENT", "device.ipv6Address" },
        { "ipv6 with prefix", "device={\"ipv6Address\":\"2001:db8::1/64\"}", 400, "INVALID_ARGUMENT", "device.ipv6Address" },
        { "ipv6 given an ipv4", "device={\"ipv6Address\":\"203.0.113.1\"}", 400, "INVALID_ARGUMENT", "device.ipv6Address" },
        { "nai empty", "device={\"networkAccessIdentifier\":\"\"}", 400, "INVALID_ARGUMENT", "device.networkAccessIdentifier" },
        { "nai only", "device={\"networkAccessIdentifier\":\"user@example.com\"}", 422, "UNSUPPORTED_IDENTIFIER", "networkAccessIdentifier" },
        { "applicationServer missing", "-applicationServer", 400, "INVALID_ARGUMENT", "applicationServer is required" },
        { "applicationServer empty", "applicationServer={}", 400, "INVALID_ARGUMENT", "applicationServer must contain ipv4Address or ipv6Address" },
        { "applicationServer ipv4 bad", "applicationServer={\"ipv4Address\":\"198.51.100\"}", 400, "INVALID_ARGUMENT", "applicationServer.ipv4Address" },
        { "applicationServer ipv4 mask 33", "applicationServer={\"ipv4Address\":\"198.51.100.0/33\"}", 400, "INVALID_ARGUMENT", "applicationServer.ipv4Address" },
        { "applicationServer ipv4 mask empty", "applicationServer={\"ipv4Address\":\"198.51.100.0/\"}", 400, "INVALID_ARGUMENT", "applicationServer.ipv4Address" },
        { "applicationServer ipv6 mask 129", "applicationServer={\"ipv6Address\":\"2001:db8::/129\"}", 400, "INVALID_ARGUMENT", "applicationServer.ipv6Address" },
        { "applicationServer ipv6 bad", "applicationServer={\"ipv6Address\":\"2001:db8:::1\"}", 400, "INVALID_ARGUMENT", "applicationServer.ipv6Address" },
        { "applicationServer not object", "applicationServer=\"198.51.100.1\"", 400, "INVALID_ARGUMENT", "applicationServer must be a JSON object" },
        { "devicePorts empty", "devicePorts={}", 400, "INVALID_ARGUMENT", "devicePorts must contain ports or ranges" },
        { "devicePorts empty list", "devicePorts={\"ports\":[]}", 400, "INVALID_ARGUMENT", "devicePorts.ports must contain at least one item" },
        { "devicePorts port too big", "devicePorts={\"ports\":[80,70000]}", 400, "OUT_OF_RANGE", "devicePorts.ports[1]" },
        { "devicePorts port string", "devicePorts={\"ports\":[\"80\"]}", 400, "INVALID_ARGUMENT", "devicePorts.ports[0] must be an integer" },
        { "devicePorts range from>to", "devicePorts={\"ranges\":[{\"from\":90,\"to\":80}]}", 400, "OUT_OF_RANGE", "devicePorts.ranges[0]" },
        { "devicePorts range missing to", "devicePorts={\"ranges\":[{\"from\":90}]}", 400, "INVALID_ARGUMENT", "devicePorts.ranges[0].to is required" },
        { "devicePorts range out of range", "devicePorts={\"ranges\":[{\"from\":-5,\"to\":80}]}", 400, "OUT_OF_RANGE", "devicePorts.ranges[0].from" },
        { "applicationServerPorts empty", "applicationServerPorts={}", 400, "INVALID_ARGUMENT", "applicationServerPorts must contain ports or ranges" },
        { "applicationServerPorts too big", "applicationServerPorts={\"ranges\":[{\"from\":1,\"to\":65536}]}", 400, "OUT_OF_RANGE", "applicationServerPorts.ranges[0].to" },
        { "applicationServerPorts huge number", "applicationServerPorts={\"ports\":[1e400]}", 400, "OUT_OF_RANGE", "applicationServerPorts.ports[0]" },
        { "duration missing", "-duration", 400, "INVALID_ARGUMENT", "duration is required" },
        { "duration zero", "duration=0", 400, "INVALID_ARGUMENT", "duration" },
        { "duration negative", "duration=-10", 400, "INVALID_ARGUMENT", "duration" },
        { "duration fraction", "duration=1.5", 400, "INVALID_ARGUMENT", "duration must be an integer" },
        { "duration string", "duration=\"60\"", 400, "INVALID_ARGUMENT", "duration must be an integer" },
        { "duration above 86400", "duration=86401", 400, "QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE", "86401" },
        { "duration huge", "duration=99999999999999999999999999999999", 400, "QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE", "duration" },
        { "duration huge negative", "duration=-1e300", 400, "INVALID_ARGUMENT", "duration" },
        { "sink http non-loopback", "sink=\"http://sink.example/notify\"", 400, "INVALID_SINK", "sink" },
        { "sink ftp", "sink=\"ftp://127.0.0.1/notify\"", 400, "INVALID_SINK", "sink" },
        { "sink not a url", "sink=\"not a url\"", 400, "INVALID_SINK", "sink" },
        { "sink not a string", "sink=5", 400, "INVALID_ARGUMENT", "sink must be a string" },
        { "sinkCredential empty", "sinkCredential={}", 400, "INVALID_ARGUMENT", "sinkCredential must not be empty" },
        { "sinkCredential PLAIN", "sinkCredential={\"credentialType\":\"PLAIN\",\"identifier\":\"a\",\"secret\":\"b\"}", 400, "INVALID_CREDENTIAL", "ACCESSTOKEN" },
        { "sinkCredential REFRESHTOKEN", "sinkCredential={\"credentialType\":\"REFRESHTOKEN\"}", 400, "INVALID_CREDENTIAL", "ACCESSTOKEN" },
        { "sinkCredential token type", "sinkCredential=" + Token.Replace("\"bearer\"", "\"mac\"", StringComparison.Ordinal), 400, "INVALID_TOKEN", "bearer" },
        { "sinkCredential token missing", "sinkCredential=" + Token.Replace("\"accessToken\":\"t0k3n\",", "", StringComparison.Ordinal), 400, "INVALID_ARGUMENT", "sinkCredential.accessToken is required" },
        { "sinkCredential expiry missing", "sinkCredential=" + Token.Replace(",\"accessTokenExpiresUtc\":\"2030-01-01T00:00:00Z\"", "", StringComparison.Ordinal), 400, "INVALID_ARGUMENT", "sinkCredential.accessTokenExpiresUtc is required" },
        { "sinkCredential expiry no zone", "sinkCredential=" + Token.Replace("2030-01-01T00:00:00Z", "2030-01-01T00:00:00", StringComparison.Ordinal), 400, "INVALID_ARGUMENT", "sinkCredential.accessTokenExpiresUtc" },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public async Task Create_rejects_invalid_bodies(string name, string edit, int status, string code, string messageContains)
    {
        _ = name;
        var body = edit == "{}" ? new JsonObject() : Apply(SessionBody(), edit);

        var response = await SendAsync(_client, HttpMethod.Post, Qod + "sessions", body.ToJsonString(), null);

        response.AssertError(status, code, messageContains);
    }

    public static TheoryData<string, string> AcceptedEdits => new()
    {
        { "applicationServer ipv6 subnet", "applicationServer={\"ipv6Address\":\"2001:db8:85a3::/48\"}" },
        { "applicationServer ipv4 /0", "applicationServer={\"ipv4Address\":\"0.0.0.0/0\"}" },
        { "applicationServer both", "applicationServer={\"ipv4Address\":\"198.51.100.3\",\"ipv6Address\":\"2001:db8::3/128\"}" },
        { "port 0 and 65535", "devicePorts={\"ports\":[0,65535]}" },
        { "sink https with credential", "sink=\"https://sink.example/x\"" },
        { "sink http localhost", "sink=\"http://localhost:1/x\"" },
        { "sink http 127.0.0.2", "sink=\"http://127.0.0.2:1/x\"" },
        { "sink http [::1]", "sink=\"http://[::1]:1/x\"" },
        { "duration 86400", "duration=86400" },
        { "duration 1", "duration=1" },
        { "duration 60.0", "duration=60.0" },
        { "null optional", "devicePorts=null" },
        { "unknown property", "futureField={\"nested\":[1,2,3]}" },
    };

    [Theory]
    [MemberData(nameof(AcceptedEdits))]
    public async Task Create_accepts_valid_variants(string name, string edit)
    {
        _ = name;
        var body = Apply(SessionBody(server: "192.0.2." + Random.Shared.Next(1, 255)), edit);

        var response = await PostAsync(_client, Qod + "sessions", body);

        Assert.True(response.Code == 201, $"{name}: {response.Code} {response.Body}");
    }

    [Fact]
    public async Task Create_with_nai_and_a_supported_identifier_uses_the_supported_one()
    {
        var phone = NewPhone();
        var body = SessionBody(phone);
        body["device"]!["networkAccessIdentifier"] = "someone@example.com";

        var created = await CreateAsync(_client, body);

        Assert.Equal(phone, (string?)created["device"]!["phoneNumber"]);
    }

    [Theory]
    [InlineData("", 400, "INVALID_ARGUMENT")]
    [InlineData("   ", 400, "INVALID_ARGUMENT")]
    [InlineData("{", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"qosProfile\":\"QOS_E\",}", 400, "INVALID_ARGUMENT")]
    [InlineData("[]", 400, "INVALID_ARGUMENT")]
    [InlineData("\"text\"", 400, "INVALID_ARGUMENT")]
    [InlineData("null", 400, "INVALID_ARGUMENT")]
    [InlineData("{\"a\":1} {\"b\":2}", 400, "INVALID_ARGUMENT")]
    public async Task Malformed_bodies_are_400(string raw, int status, string code)
    {
        foreach (var path in new[] { Qod + "sessions", Qod + "retrieve-sessions", Qod + $"sessions/{Guid.NewGuid()}/extend", QosProfilesApi + "retrieve-qos-profiles" })
        {
            (await SendAsync(_client, HttpMethod.Post, path, raw, null)).AssertError(status, code);
        }
    }

    [Fact]
    public async Task Missing_body_is_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Qod + "sessions");
        var response = await _client.SendAsync(request);
        var body = new ApiResponse(response.StatusCode, response, await response.Content.ReadAsStringAsync());
        body.AssertError(400, "INVALID_ARGUMENT", "body is required");
    }

    [Fact]
    public async Task Deeply_nested_json_is_400_not_500()
    {
        var deep = new StringBuilder();
        deep.Append("{\"qosProfile\":\"QOS_E\",\"x\":");
        deep.Append(new string('[', 5000)).Append(new string(']', 5000)).Append('}');

        (await SendAsync(_client, HttpMethod.Post, Qod + "sessions", deep.ToString(), null)).AssertError(400, "INVALID_ARGUMENT");
    }

    [Fact]
    public async Task Body_over_64_KiB_is_400()
    {
        var body = SessionBody();
        body["padding"] = new string('x', 70 * 1024);

        (await PostAsync(_client, Qod + "sessions", body)).AssertError(400, "INVALID_ARGUMENT", "larger than the limit");
    }

    [Fact]
    public async Task Body_over_64_KiB_without_content_length_is_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Qod + "sessions")
        {
            Content = new PushStreamContent(new string(' ', 100 * 1024)),
        };
        var response = await _client.SendAsync(request);
        var parsed = new ApiResponse(response.StatusCode, response, await response.Content.ReadAsStringAsync());
        parsed.AssertError(400, "INVALID_ARGUMENT", "larger than the limit");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Wrong_content_type_is_415(string contentType)
    {
        var response = await SendAsync(_client, HttpMethod.Post, Qod + "sessions", SessionBody().ToJsonString(), null, contentType);

        response.AssertError(415, "UNSUPPORTED_MEDIA_TYPE", contentType);
    }

    [Fact]
    public async Task Json_content_type_with_charset_is_accepted()
    {
        var response = await SendAsync(_client, HttpMethod.Post, Qod + "sessions", SessionBody().ToJsonString(), r =>
            r.Content!.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=utf-8"));

        Assert.Equal(201, response.Code);
    }

    [Fact]
    public async Task Invalid_utf8_is_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Qod + "sessions")
        {
            Content = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var response = await _client.SendAsync(request);
        new ApiResponse(response.StatusCode, response, await response.Content.ReadAsStringAsync()).AssertError(400, "INVALID_ARGUMENT");
    }

    public static TheoryData<string, int, string> ExtendCases => new()
    {
        { "{}", 400, "INVALID_ARGUMENT" },
        { "{\"requestedAdditionalDuration\":0}", 400, "INVALID_ARGUMENT" },
        { "{\"requestedAdditionalDuration\":-5}", 400, "INVALID_ARGUMENT" },
        { "{\"requestedAdditionalDuration\":86400}", 400, "INVALID_ARGUMENT" },
        { "{\"requestedAdditionalDuration\":1.5}", 400, "INVALID_ARGUMENT" },
        { "{\"requestedAdditionalDuration\":\"10\"}", 400, "INVALID_ARGUMENT" },
        { "{\"requestedAdditionalDuration\":null}", 400, "INVALID_ARGUMENT" },
        { "{\"requestedAdditionalDuration\":1e30}", 400, "INVALID_ARGUMENT" },
    };

    [Theory]
    [MemberData(nameof(ExtendCases))]
    public async Task Extend_rejects_invalid_bodies(string raw, int status, string code)
    {
        var created = await CreateAsync(_client, SessionBody());

        var response = await SendAsync(_client, HttpMethod.Post, Qod + $"sessions/{created["sessionId"]}/extend", raw, null);

        response.AssertError(status, code, "requestedAdditionalDuration");
    }

    public static TheoryData<string, int, string> RetrieveCases => new()
    {
        { "{}", 422, "MISSING_IDENTIFIER" },
        { "{\"device\":null}", 422, "MISSING_IDENTIFIER" },
        { "{\"device\":{}}", 400, "INVALID_ARGUMENT" },
        { "{\"device\":{\"phoneNumber\":\"123\"}}", 400, "INVALID_ARGUMENT" },
        { "{\"device\":{\"ipv6Address\":\"::g\"}}", 400, "INVALID_ARGUMENT" },
        { "{\"device\":{\"networkAccessIdentifier\":\"a@b.c\"}}", 422, "UNSUPPORTED_IDENTIFIER" },
        { "{\"device\":{\"phoneNumber\":\"+99999990404\"}}", 404, "IDENTIFIER_NOT_FOUND" },
        { "{\"device\":{\"phoneNumber\":\"+99999990422\"}}", 422, "SERVICE_NOT_APPLICABLE" },
    };

    [Theory]
    [MemberData(nameof(RetrieveCases))]
    public async Task Retrieve_sessions_rejects_invalid_bodies(string raw, int status, string code)
    {
        (await SendAsync(_client, HttpMethod.Post, Qod + "retrieve-sessions", raw, null)).AssertError(status, code);
    }

    /// <summary>Applies "name=json" (set) or "-name" (remove) to a body.</summary>
    private static JsonObject Apply(JsonObject body, string edit)
    {
        if (edit.StartsWith('-'))
        {
            body.Remove(edit[1..]);
            return body;
        }

        var equals = edit.IndexOf('=', StringComparison.Ordinal);
        var name = edit[..equals];
        var raw = edit[(equals + 1)..];
        // Numbers such as 1e400 or 1e30 do not survive JsonNode round trips, so splice raw JSON text.
        var placeholder = "\"__RAW__\"";
        body[name] = "__RAW__";
        return JsonNode.Parse(body.ToJsonString().Replace(placeholder, raw, StringComparison.Ordinal))!.AsObject();
    }

    /// <summary>Content without a Content-Length (chunked), to exercise the streaming size limit.</summary>
    private sealed class PushStreamContent(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(System.IO.Stream stream, System.Net.TransportContext? context) =>
            stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
