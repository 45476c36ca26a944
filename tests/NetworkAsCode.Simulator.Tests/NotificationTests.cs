using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>CloudEvents POSTed to a real loopback listener.</summary>
public sealed class NotificationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static JsonObject WithSink(JsonObject body, string sink, string token = "sink-token-123")
    {
        body["sink"] = sink;
        body["sinkCredential"] = new JsonObject
        {
            ["credentialType"] = "ACCESSTOKEN",
            ["accessToken"] = token,
            ["accessTokenType"] = "bearer",
            ["accessTokenExpiresUtc"] = "2030-01-01T00:00:00Z",
        };
        return body;
    }

    [Fact]
    public async Task Available_and_delete_events_carry_bearer_token_content_type_and_cloud_event_fields()
    {
        await using var sink = await SinkListener.StartAsync();
        var created = await CreateAsync(fixture.Client, WithSink(SessionBody(), sink.BaseUrl + "/notify/qod"));
        var id = (string)created["sessionId"]!;

        var available = await sink.WaitForAsync(id, "AVAILABLE");
        Assert.Equal(204, (await DeleteAsync(fixture.Client, Qod + "sessions/" + id)).Code);
        var deleted = await sink.WaitForAsync(id, "UNAVAILABLE");

        foreach (var received in new[] { available, deleted })
        {
            Assert.Equal("/notify/qod", received.Path);
            Assert.Equal("Bearer sink-token-123", received.Authorization);
            Assert.Equal("application/cloudevents+json", received.ContentType);
            var body = received.Body;
            Assert.Equal("org.camaraproject.quality-on-demand.v1.qos-status-changed", (string?)body["type"]);
            Assert.Equal("1.0", (string?)body["specversion"]);
            Assert.Equal("application/json", (string?)body["datacontenttype"]);
            Assert.Equal($"{fixture.Simulator.BaseUrl}quality-on-demand/v1/sessions/{id}", (string?)body["source"]);
            Assert.True(Guid.TryParse((string?)body["id"], out _));
            Assert.EndsWith("Z", (string)body["time"]!, StringComparison.Ordinal);
            Assert.Equal(id, received.SessionId);
        }

        Assert.False(available.Body["data"]!.AsObject().ContainsKey("statusInfo"));
        Assert.Equal("DELETE_REQUESTED", deleted.StatusInfo);
        Assert.NotEqual((string?)available.Body["id"], (string?)deleted.Body["id"]);
        Assert.Equal(2, sink.EventsFor(id).Count);
    }

    [Fact]
    public async Task Expiry_sends_DURATION_EXPIRED()
    {
        await using var sink = await SinkListener.StartAsync();
        var created = await CreateAsync(fixture.Client, WithSink(SessionBody(duration: 1), sink.BaseUrl + "/n"));
        var id = (string)created["sessionId"]!;

        var expired = await sink.WaitForAsync(id, "UNAVAILABLE");

        Assert.Equal("DURATION_EXPIRED", expired.StatusInfo);
        Assert.Equal(new string?[] { "AVAILABLE", "UNAVAILABLE" }.AsEnumerable(), sink.EventsFor(id).Select(e => e.QosStatus));
    }

    [Fact]
    public async Task Deleting_a_REQUESTED_session_sends_nothing_and_no_credential_means_no_authorization()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { AvailableDelayMs = 60_000 });
        await using var sink = await SinkListener.StartAsync();
        var body = SessionBody();
        body["sink"] = sink.BaseUrl + "/n";
        var created = await CreateAsync(simulator.Client, body);
        var id = (string)created["sessionId"]!;

        Assert.Equal(204, (await DeleteAsync(simulator.Client, Qod + "sessions/" + id)).Code);

        // Control: an AVAILABLE session of another simulator (delay 0) on the same sink does notify, without a token.
        await using var instant = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { AvailableDelayMs = 0 });
        var other = SessionBody();
        other["sink"] = sink.BaseUrl + "/n";
        var control = await CreateAsync(instant.Client, other);
        var received = await sink.WaitForAsync((string)control["sessionId"]!, "AVAILABLE");
        Assert.Equal("", received.Authorization);
        await Task.Delay(200);
        Assert.Empty(sink.EventsFor(id));
    }

    [Fact]
    public async Task A_failing_sink_never_breaks_the_api()
    {
        await using var simulator = await TestSimulator.StartAsync(
            TestSimulator.DefaultOptions with { AvailableDelayMs = 0, NotificationTimeoutMs = 500 });
        // A loopback port with no listener: connection refused.
        var deadSink = "http://127.0.0.1:9/nothing";
        var created = await CreateAsync(simulator.Client, WithSink(SessionBody(), deadSink));
        var id = (string)created["sessionId"]!;
        Assert.Equal(204, (await DeleteAsync(simulator.Client, Qod + "sessions/" + id)).Code);

        var deadline = DateTime.UtcNow.AddSeconds(5);
        JsonObject stats;
        do
        {
            await Task.Delay(50);
            stats = await StatsAsync(simulator.Client);
        }
        while ((int)stats["notificationsFailed"]! < 2 && DateTime.UtcNow < deadline);

        Assert.Equal(2, (int)stats["notificationsFailed"]!);
        Assert.Equal(0, (int)stats["notificationsSent"]!);
        Assert.Equal(201, (await PostAsync(simulator.Client, Qod + "sessions", WithSink(SessionBody(), deadSink))).Code);
    }
}
