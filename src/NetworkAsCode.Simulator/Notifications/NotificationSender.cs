using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using NetworkAsCode.Simulator.Model;

namespace NetworkAsCode.Simulator.Notifications;

/// <summary>
/// Delivers status changes to sinks as CloudEvents (<c>application/cloudevents+json</c>, <c>Authorization: Bearer</c>
/// from the sink credential), fire-and-forget on background workers with a short timeout. Events of one session go
/// through the same worker, so they arrive in order. A failing or slow sink never affects the API.
/// The access token is never logged.
/// </summary>
public sealed class NotificationSender : INotificationQueue, IAsyncDisposable
{
    public const string EventType = "org.camaraproject.quality-on-demand.v1.qos-status-changed";
    public const string CloudEventsContentType = "application/cloudevents+json";
    private const int Workers = 4;
    private const int QueueCapacity = 10_000;

    private readonly Channel<StatusNotification>[] _queues;
    private readonly Task[] _workers;
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly SimulatorStats _stats;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    public NotificationSender(SimulatorStats stats, ILogger logger, TimeSpan timeout)
    {
        _stats = stats;
        _logger = logger;
        _timeout = timeout;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _queues = Enumerable.Range(0, Workers)
            .Select(_ => Channel.CreateBounded<StatusNotification>(new BoundedChannelOptions(QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            }))
            .ToArray();
        _workers = _queues.Select(q => Task.Run(() => RunAsync(q.Reader))).ToArray();
    }

    public void Enqueue(StatusNotification notification)
    {
        var queue = _queues[(notification.SessionId.GetHashCode() & int.MaxValue) % Workers];
        if (!queue.Writer.TryWrite(notification))
        {
            _stats.NotificationFailed();
            _logger.LogWarning("Notification queue full; dropped {QosStatus} event for session {SessionId}.",
                notification.QosStatus, notification.SessionId);
        }
    }

    /// <summary>The CloudEvent body for a notification.</summary>
    public static JsonObject BuildEvent(StatusNotification notification)
    {
        var data = new JsonObject
        {
            ["sessionId"] = notification.SessionId.ToString("D"),
            ["qosStatus"] = notification.QosStatus,
        };
        if (notification.StatusInfo is not null)
        {
            data["statusInfo"] = notification.StatusInfo;
        }

        return new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("D"),
            ["source"] = notification.Source,
            ["specversion"] = "1.0",
            ["type"] = EventType,
            ["time"] = Timestamp.Format(notification.Time),
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }

        // Give queued events a moment to go out, then stop.
        var all = Task.WhenAll(_workers);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(2))) != all)
        {
            await _stopping.CancelAsync();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(2)));
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(ChannelReader<StatusNotification> reader)
    {
        try
        {
            await foreach (var notification in reader.ReadAllAsync(_stopping.Token))
            {
                await SendAsync(notification);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task SendAsync(StatusNotification notification)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_timeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, notification.Sink)
            {
                Content = new StringContent(BuildEvent(notification).ToJsonString(Http.JsonResponses.WriteOptions), Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventsContentType);
            if (notification.AccessToken is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + notification.AccessToken);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                _stats.NotificationSent();
            }
            else
            {
                _stats.NotificationFailed();
                _logger.LogDebug("Sink answered {Status} to the {QosStatus} event of session {SessionId}.",
                    (int)response.StatusCode, notification.QosStatus, notification.SessionId);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException or UriFormatException)
        {
            _stats.NotificationFailed();
            _logger.LogDebug("Could not deliver the {QosStatus} event of session {SessionId}: {Error}",
                notification.QosStatus, notification.SessionId, ex.GetType().Name);
        }
    }
}
