using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace NetworkAsCode.Simulator.Tests.Infrastructure;

/// <summary>An HTTP answer with its parsed JSON body (if any).</summary>
public sealed record ApiResponse(HttpStatusCode Status, HttpResponseMessage Message, string Body)
{
    public int Code => (int)Status;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("null body");

    public string? Header(string name) =>
        Message.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : Message.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : null;

    public string? ContentType => Message.Content.Headers.ContentType?.MediaType;

    /// <summary>Asserts a CAMARA error body: status, code, a non-empty message, JSON content type.</summary>
    public ApiResponse AssertError(int status, string code, string? messageContains = null)
    {
        Assert.True(status == Code, $"expected {status} {code}, got {Code}: {Body}");
        Assert.Equal("application/json", ContentType);
        var json = Json.AsObject();
        Assert.Equal(status, (int)json["status"]!);
        Assert.Equal(code, (string?)json["code"]);
        var message = (string?)json["message"];
        Assert.False(string.IsNullOrWhiteSpace(message));
        if (messageContains is not null)
        {
            Assert.Contains(messageContains, message, StringComparison.Ordinal);
        }

        return this;
    }
}

/// <summary>Small request helpers over a plain HttpClient.</summary>
public static class Api
{
    public const string Qod = "quality-on-demand/v1/";
    public const string QosProfilesApi = "qos-profiles/v1/";

    private static long _phoneCounter = Random.Shared.NextInt64(10_000_000, 80_000_000);

    /// <summary>A well-formed phone number not used by any other test.</summary>
    public static string NewPhone() => "+3670" + Interlocked.Increment(ref _phoneCounter).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    public static Task<ApiResponse> PostAsync(HttpClient client, string path, JsonNode? body, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(client, HttpMethod.Post, path, body?.ToJsonString(), configure);

    public static Task<ApiResponse> GetAsync(HttpClient client, string path, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(client, HttpMethod.Get, path, null, configure);

    public static Task<ApiResponse> DeleteAsync(HttpClient client, string path) =>
        SendAsync(client, HttpMethod.Delete, path, null, null);

    public static async Task<ApiResponse> SendAsync(
        HttpClient client, HttpMethod method, string path, string? rawBody, Action<HttpRequestMessage>? configure, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, response, body);
    }

    /// <summary>A valid create body; tweak it with JsonObject edits.</summary>
    public static JsonObject SessionBody(string? phone = null, string server = "198.51.100.10", int duration = 60, string profile = "QOS_E") => new()
    {
        ["qosProfile"] = profile,
        ["device"] = new JsonObject { ["phoneNumber"] = phone ?? NewPhone() },
        ["applicationServer"] = new JsonObject { ["ipv4Address"] = server },
        ["duration"] = duration,
    };

    public static async Task<JsonObject> CreateAsync(HttpClient client, JsonObject body)
    {
        var response = await PostAsync(client, Qod + "sessions", body);
        Assert.True(response.Code == 201, $"create failed: {response.Code} {response.Body}");
        return response.Json.AsObject();
    }

    public static async Task<JsonObject> GetSessionAsync(HttpClient client, string id)
    {
        var response = await GetAsync(client, Qod + "sessions/" + id);
        Assert.True(response.Code == 200, $"get failed: {response.Code} {response.Body}");
        return response.Json.AsObject();
    }

    /// <summary>Polls the session until its qosStatus is <paramref name="status"/> (bounded wait).</summary>
    public static async Task<JsonObject> WaitForStatusAsync(HttpClient client, string id, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var session = await GetSessionAsync(client, id);
            if ((string?)session["qosStatus"] == status)
            {
                return session;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"session {id} did not reach {status} in time; last: {session.ToJsonString()}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<JsonObject> StatsAsync(HttpClient client)
    {
        var response = await GetAsync(client, "_simulator/stats");
        Assert.Equal(200, response.Code);
        return response.Json.AsObject();
    }

    public static DateTimeOffset Time(JsonNode? node) =>
        DateTimeOffset.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture);

    public static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement;
}
