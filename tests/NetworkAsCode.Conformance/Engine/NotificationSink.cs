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

namespace NetworkAsCode.Conformance.Engine;

/// <summary>A notification POSTed to the sink.</summary>
public sealed record ReceivedEvent(long Sequence, string Path, string? Authorization, string? ContentType, string RawBody, JsonNode? Body);

/// <summary>A loopback Kestrel listener (127.0.0.1, free port) that records every POST and answers 204.</summary>
public sealed class NotificationSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedEvent> _events = new();
    private long _sequence;

    private NotificationSink(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedEvent> Events => _events.ToList();

    public long LastSequence => System.Threading.Interlocked.Read(ref _sequence);

    public static async Task<NotificationSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var sink = new NotificationSink(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var raw = await reader.ReadToEndAsync();
            JsonNode? body;
            try
            {
                body = JsonNode.Parse(raw);
            }
            catch (System.Text.Json.JsonException)
            {
                body = null;
            }

            var sequence = System.Threading.Interlocked.Increment(ref sink._sequence);
            sink._events.Enqueue(new ReceivedEvent(sequence, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.ToString(),
                context.Request.ContentType, raw, body));
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !uri.IsLoopback)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"The sink bound to {address}, not loopback.");
        }

        sink.BaseUrl = address.TrimEnd('/');
        return sink;
    }

    /// <summary>Waits (bounded) for an event at <paramref name="path"/> newer than <paramref name="after"/> that matches.</summary>
    public async Task<ReceivedEvent?> WaitAsync(string path, long after, Func<ReceivedEvent, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = _events.FirstOrDefault(e => e.Sequence > after && e.Path == path && match(e));
            if (found is not null || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
