using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NetworkAsCode.Simulator.Faults;
using NetworkAsCode.Simulator.Gateway;
using NetworkAsCode.Simulator.Http;

namespace NetworkAsCode.Simulator.Endpoints;

/// <summary>
/// Simulator diagnostics under <c>/_simulator</c> (no API key, loopback clients only, never faulted or delayed):
/// <c>GET /_simulator/stats</c> (counters) and <c>POST /_simulator/reset</c> (forget all sessions and counters, the gateway's quotas and buckets included).
/// </summary>
internal static class DiagnosticsEndpoints
{
    public const string BasePath = "/_simulator";

    public static void MapDiagnosticsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath);
        group.MapGet("/stats", (HttpContext context, SimulatorStats stats, SessionStore store, SimulatorOptions options) =>
        {
            RequireLoopback(context);
            var json = stats.ToJson(store.Counts());
            json["options"] = JsonValue.Create(options.Describe());
            return JsonResponses.Json(StatusCodes.Status200OK, json);
        });
        group.MapPost("/reset", (HttpContext context, SimulatorStats stats, SessionStore store, FaultInjector faults, GatewayLimits gateway) =>
        {
            RequireLoopback(context);
            store.Clear();
            stats.Reset();
            faults.Reset();
            gateway.Reset();
            return JsonResponses.NoContent();
        });
    }

    private static void RequireLoopback(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is { } remote && !System.Net.IPAddress.IsLoopback(remote))
        {
            throw new ApiError(403, "PERMISSION_DENIED", "Diagnostics are available to loopback clients only.");
        }
    }
}
