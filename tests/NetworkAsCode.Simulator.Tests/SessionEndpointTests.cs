using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>Success shapes of every sessions endpoint, over real HTTP.</summary>
public sealed class SessionEndpointTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Create_returns_201_REQUESTED_with_the_SessionInfo_shape()
    {
        var phone = NewPhone();
        var body = SessionBody(phone, "198.51.100.0/24", 120, "DOWNLINK_M_UPLINK_L");
        body["devicePorts"] = new JsonObject { ["ports"] = new JsonArray(5060, 5070) };
        body["applicationServerPorts"] = new JsonObject { ["ranges"] = new JsonArray(new JsonObject { ["from"] = 80, ["to"] = 443 }) };
        body["someFutureProperty"] = "ignored";

        var response = await PostAsync(_client, Qod + "sessions", body);

        Assert.Equal(201, response.Code);
        Assert.Equal("application/json", response.ContentType);
        var session = response.Json.AsObject();
        Assert.True(Guid.TryParseExact((string?)session["sessionId"], "D", out _));
        Assert.Equal("REQUESTED", (string?)session["qosStatus"]);
        Assert.Equal("DOWNLINK_M_UPLINK_L", (string?)session["qosProfile"]);
        Assert.Equal(120, (int)session["duration"]!);
        Assert.Equal(phone, (string?)session["device"]!["phoneNumber"]);
        Assert.Equal("198.51.100.0/24", (string?)session["applicationServer"]!["ipv4Address"]);
        Assert.Equal("[5060,5070]", session["devicePorts"]!["ports"]!.ToJsonString());
        Assert.Equal("""[{"from":80,"to":443}]""", session["applicationServerPorts"]!["ranges"]!.ToJsonString());
        Assert.False(session.ContainsKey("startedAt"));
        Assert.False(session.ContainsKey("expiresAt"));
        Assert.False(session.ContainsKey("statusInfo"));
        Assert.False(session.ContainsKey("sink"));
        Assert.False(session.ContainsKey("sinkCredential"));
        Assert.False(session.ContainsKey("someFutureProperty"));
        Assert.Contains("+", response.Body, StringComparison.Ordinal); // written as is, not \u002B
    }

    [Fact]
    public async Task Get_returns_200_with_the_same_session()
    {
        var created = await CreateAsync(_client, SessionBody());
        var id = (string)created["sessionId"]!;

        var response = await GetAsync(_client, Qod + "sessions/" + id);

        Assert.Equal(200, response.Code);
        Assert.Equal(id, (string?)response.Json["sessionId"]);
        Assert.Equal(created["device"]!.ToJsonString(), response.Json["device"]!.ToJsonString());
    }

    [Fact]
    public async Task Get_accepts_an_uppercase_uuid()
    {
        var created = await CreateAsync(_client, SessionBody());
        var id = (string)created["sessionId"]!;

        var response = await GetAsync(_client, Qod + "sessions/" + id.ToUpperInvariant());

        Assert.Equal(200, response.Code);
        Assert.Equal(id, (string?)response.Json["sessionId"]);
    }

    [Fact]
    public async Task Retrieve_returns_the_sessions_of_the_device_or_an_empty_array()
    {
        var phone = NewPhone();
        var none = await PostAsync(_client, Qod + "retrieve-sessions", new JsonObject { ["device"] = new JsonObject { ["phoneNumber"] = phone } });
        Assert.Equal(200, none.Code);
        Assert.Equal("[]", none.Body);

        var first = await CreateAsync(_client, SessionBody(phone, "198.51.100.1"));
        var second = await CreateAsync(_client, SessionBody(phone, "198.51.100.2"));
        await CreateAsync(_client, SessionBody(NewPhone(), "198.51.100.1"));

        var response = await PostAsync(_client, Qod + "retrieve-sessions", new JsonObject { ["device"] = new JsonObject { ["phoneNumber"] = phone } });

        Assert.Equal(200, response.Code);
        var ids = response.Json.AsArray().Select(s => (string?)s!["sessionId"]).ToArray();
        Assert.Equal(new[] { (string?)first["sessionId"], (string?)second["sessionId"] }.AsEnumerable(), ids.AsEnumerable());
    }

    [Fact]
    public async Task Extend_returns_200_and_moves_expiresAt()
    {
        var created = await CreateAsync(_client, SessionBody(duration: 100));
        var id = (string)created["sessionId"]!;
        var available = await WaitForStatusAsync(_client, id, "AVAILABLE");

        var response = await PostAsync(_client, Qod + $"sessions/{id}/extend", new JsonObject { ["requestedAdditionalDuration"] = 50 });

        Assert.Equal(200, response.Code);
        Assert.Equal(150, (int)response.Json["duration"]!);
        Assert.Equal(Time(available["expiresAt"]).AddSeconds(50), Time(response.Json["expiresAt"]));
        Assert.Equal(Time(available["startedAt"]), Time(response.Json["startedAt"]));
        Assert.Equal("AVAILABLE", (string?)response.Json["qosStatus"]);
    }

    [Fact]
    public async Task Delete_returns_204_with_json_content_type_and_then_the_id_is_unknown()
    {
        var created = await CreateAsync(_client, SessionBody());
        var id = (string)created["sessionId"]!;

        var response = await DeleteAsync(_client, Qod + "sessions/" + id);

        Assert.Equal(204, response.Code);
        Assert.Equal("", response.Body);
        Assert.Equal("application/json", response.ContentType);
        (await GetAsync(_client, Qod + "sessions/" + id)).AssertError(404, "NOT_FOUND");
        (await DeleteAsync(_client, Qod + "sessions/" + id)).AssertError(404, "NOT_FOUND");
        (await PostAsync(_client, Qod + $"sessions/{id}/extend", new JsonObject { ["requestedAdditionalDuration"] = 5 })).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Unknown_session_id_is_404_NOT_FOUND()
    {
        (await GetAsync(_client, Qod + "sessions/" + Guid.NewGuid())).AssertError(404, "NOT_FOUND");
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("12345")]
    [InlineData("123e4567e89b12d3a456426614174000")]
    public async Task Non_uuid_session_id_is_400_INVALID_ARGUMENT(string id)
    {
        (await GetAsync(_client, Qod + "sessions/" + id)).AssertError(400, "INVALID_ARGUMENT", "sessionId");
        (await DeleteAsync(_client, Qod + "sessions/" + id)).AssertError(400, "INVALID_ARGUMENT", "sessionId");
        (await PostAsync(_client, Qod + $"sessions/{id}/extend", new JsonObject { ["requestedAdditionalDuration"] = 5 }))
            .AssertError(400, "INVALID_ARGUMENT", "sessionId");
    }

    [Fact]
    public async Task Unknown_route_is_404_and_wrong_method_is_405_with_camara_bodies()
    {
        (await GetAsync(_client, Qod + "nothing-here")).AssertError(404, "NOT_FOUND");
        (await GetAsync(_client, "somewhere/else")).AssertError(404, "NOT_FOUND");
        (await SendAsync(_client, HttpMethod.Put, Qod + "sessions", "{}", null)).AssertError(405, "METHOD_NOT_ALLOWED");
        (await SendAsync(_client, HttpMethod.Get, Qod + "retrieve-sessions", null, null)).AssertError(405, "METHOD_NOT_ALLOWED");
    }

    [Fact]
    public async Task SinkCredential_is_echoed_without_the_access_token()
    {
        var body = SessionBody();
        body["sink"] = "https://sink.example/notify";
        body["sinkCredential"] = new JsonObject
        {
            ["credentialType"] = "ACCESSTOKEN",
            ["accessToken"] = "secret-token-value",
            ["accessTokenType"] = "bearer",
            ["accessTokenExpiresUtc"] = "2030-01-01T00:00:00Z",
        };

        var response = await PostAsync(_client, Qod + "sessions", body);

        Assert.Equal(201, response.Code);
        Assert.Equal("https://sink.example/notify", (string?)response.Json["sink"]);
        Assert.Equal("""{"credentialType":"ACCESSTOKEN"}""", response.Json["sinkCredential"]!.ToJsonString());
        Assert.DoesNotContain("secret-token-value", response.Body, StringComparison.Ordinal);
        var get = await GetAsync(_client, Qod + "sessions/" + (string?)response.Json["sessionId"]);
        Assert.DoesNotContain("secret-token-value", get.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_response_carries_exactly_one_identifier()
    {
        var phone = NewPhone();
        var body = SessionBody(phone);
        body["device"] = new JsonObject
        {
            ["ipv6Address"] = "2001:db8::" + phone[^4..],
            ["ipv4Address"] = new JsonObject { ["publicAddress"] = "203.0.113.5", ["publicPort"] = int.Parse(phone[^4..], System.Globalization.CultureInfo.InvariantCulture) },
            ["networkAccessIdentifier"] = phone[1..] + "@example.com",
            ["phoneNumber"] = phone,
        };
        var created = await CreateAsync(_client, body);
        var device = created["device"]!.AsObject();
        Assert.Single(device);
        Assert.Equal(phone, (string?)device["phoneNumber"]);

        var noPhone = SessionBody();
        var privateAddress = "10.0.0." + (phone[^1] - '0' + 1);
        noPhone["device"] = new JsonObject
        {
            ["ipv6Address"] = "2001:db8::1:" + phone[^4..],
            ["ipv4Address"] = new JsonObject { ["publicAddress"] = "203.0.113.6", ["privateAddress"] = privateAddress },
        };
        var created2 = await CreateAsync(_client, noPhone);
        Assert.Equal(
            $$$"""{"ipv4Address":{"publicAddress":"203.0.113.6","privateAddress":"{{{privateAddress}}}"}}""",
            created2["device"]!.ToJsonString());

        var naiAndIpv6 = SessionBody();
        naiAndIpv6["device"] = new JsonObject { ["ipv6Address"] = "2001:db8::2:" + phone[^4..], ["networkAccessIdentifier"] = "x" + phone[1..] + "@example.com" };
        var created3 = await CreateAsync(_client, naiAndIpv6);
        Assert.Equal($$"""{"networkAccessIdentifier":"x{{phone[1..]}}@example.com"}""", created3["device"]!.ToJsonString());
    }
}
