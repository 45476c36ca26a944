using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace NetworkAsCode.Simulator.Tests.Infrastructure;

/// <summary>A notification received by <see cref="SinkListener"/>.</summary>
public sealed record ReceivedEvent(string Path, string? Authorization, string? ContentType, JsonObject Body)
{
    public string? SessionId => (string?)Body["data"]?["sessionId"];

    public string? QosStatus => (string?)Body["data"]?["qosStatus"];

    public string? StatusInfo => (string?)Body["data"]?["statusInfo"];
}

/// <summary>A tiny loopback Kestrel server that records the CloudEvents the simulator POSTs to it.</summary>
public sealed class SinkListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedEvent> _events = new();

    private SinkListener(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public IReadOnlyList<ReceivedEvent> Events => _events.ToList();

    public static async Task<SinkListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        SinkListener? listener = null;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            listener!._events.Enqueue(new ReceivedEvent(
                context.Request.Path, context.Request.Headers.Authorization.ToString(), context.Request.ContentType, body));
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener = new SinkListener(app, address.TrimEnd('/'));
        return listener;
    }

    /// <summary>Waits (bounded) until an event of the session with that status arrives.</summary>
    public async Task<ReceivedEvent> WaitForAsync(string sessionId, string qosStatus, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var match = _events.FirstOrDefault(e => e.SessionId == sessionId && e.QosStatus == qosStatus);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"no {qosStatus} event for session {sessionId}; got: {string.Join(" | ", _events.Select(e => e.Body.ToJsonString()))}");
        throw new InvalidOperationException();
    }

    public IReadOnlyList<ReceivedEvent> EventsFor(string sessionId) => _events.Where(e => e.SessionId == sessionId).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
