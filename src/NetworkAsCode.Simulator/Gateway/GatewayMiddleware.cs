using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using NetworkAsCode.Simulator.Http;

namespace NetworkAsCode.Simulator.Gateway;

/// <summary>The RapidAPI gateway's own answers: a bare <c>{"message": …}</c> JSON body, never a CAMARA one.</summary>
internal static class GatewayAnswers
{
    public const string HostHeader = "X-RapidAPI-Host";
    public const string RequestIdHeader = "x-rapidapi-request-id";
    public const string LimitHeader = "x-ratelimit-requests-limit";
    public const string RemainingHeader = "x-ratelimit-requests-remaining";
    public const string ResetHeader = "x-ratelimit-requests-reset";

    public const string ApiNotFound = "API doesn't exists";
    public const string InvalidKey = "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.";
    public const string NotSubscribed = "You are not subscribed to this API.";
    public const string TooManyRequests = "Too many requests";

    /// <summary>Items key under which <see cref="AuthMiddleware"/> leaves the caller's key for the per-key limits.</summary>
    public const string KeyItem = "NetworkAsCode.Simulator.Gateway.Key";

    /// <summary>The quota body; a period of 28 days or more is a MONTHLY quota, else DAILY (as on RapidAPI's plans).</summary>
    public static string QuotaExceeded(int periodSeconds) =>
        $"You have exceeded the {(periodSeconds >= 28 * 86_400 ? "MONTHLY" : "DAILY")} quota for Requests on your current plan, BASIC. "
        + "Upgrade your plan at https://rapidapi.com/nokia-network-as-code/api/network-as-code";

    public static Task WriteAsync(HttpContext context, int status, string message) =>
        JsonResponses.WriteAsync(context, status, new JsonObject { ["message"] = message });
}

/// <summary>
/// Gateway step 1 (first on every API request): gives every answer a fresh <c>x-rapidapi-request-id</c> and, with
/// <c>--rapidapi-host H</c>, answers 404 <c>{"message":"API doesn't exists"}</c> when X-RapidAPI-Host is missing or
/// is not H (case-insensitive), as RapidAPI does on every path.
/// </summary>
internal sealed class GatewayHostMiddleware(RequestDelegate next, SimulatorOptions options, SimulatorStats stats)
{
    public Task InvokeAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString("D");
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[GatewayAnswers.RequestIdHeader] = requestId;
            return Task.CompletedTask;
        });

        if (options.RapidApiHost is { } host)
        {
            var sent = context.Request.Headers[GatewayAnswers.HostHeader];
            if (sent.Count != 1 || !string.Equals(sent.ToString().Trim(), host, StringComparison.OrdinalIgnoreCase))
            {
                stats.GatewayRefused(GatewayRefusal.HostRejected);
                return GatewayAnswers.WriteAsync(context, StatusCodes.Status404NotFound, GatewayAnswers.ApiNotFound);
            }
        }

        return next(context);
    }
}

/// <summary>
/// Gateway steps 3 and 4 (after the key check): the per-key quota, then the per-key rate limit (see
/// <see cref="GatewayLimits"/>). With a quota, every answer from here on carries <c>x-ratelimit-requests-limit</c>,
/// <c>-remaining</c> and <c>-reset</c>. A refused request never reaches QoD.
/// </summary>
internal sealed class GatewayLimitsMiddleware(RequestDelegate next, SimulatorOptions options, GatewayLimits limits, SimulatorStats stats, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!limits.Enabled || context.Items[GatewayAnswers.KeyItem] is not string key)
        {
            return next(context);
        }

        var decision = limits.Admit(key);
        if (decision.Quota is { } quota)
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[GatewayAnswers.LimitHeader] = quota.Limit.ToString(CultureInfo.InvariantCulture);
                headers[GatewayAnswers.RemainingHeader] = quota.Remaining.ToString(CultureInfo.InvariantCulture);
                headers[GatewayAnswers.ResetHeader] = quota.ResetSeconds.ToString(CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
        }

        switch (decision.Verdict)
        {
            case GatewayVerdict.QuotaExceeded:
                stats.GatewayRefused(GatewayRefusal.QuotaExceeded);
                return GatewayAnswers.WriteAsync(context, StatusCodes.Status429TooManyRequests, GatewayAnswers.QuotaExceeded(options.QuotaPeriodSeconds));
            case GatewayVerdict.RateLimited:
                stats.GatewayRefused(GatewayRefusal.RateLimited);
                if (options.RateLimitRetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = options.RateLimitRetryAfterAsDate
                        ? (time.GetUtcNow() + TimeSpan.FromSeconds(seconds)).ToString("r", CultureInfo.InvariantCulture)
                        : seconds.ToString(CultureInfo.InvariantCulture);
                }

                return GatewayAnswers.WriteAsync(context, StatusCodes.Status429TooManyRequests, GatewayAnswers.TooManyRequests);
            default:
                return next(context);
        }
    }
}
