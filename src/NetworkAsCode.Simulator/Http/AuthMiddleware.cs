using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using NetworkAsCode.Simulator.Gateway;

namespace NetworkAsCode.Simulator.Http;

/// <summary>
/// Gateway step 2, the key, like RapidAPI: <c>X-RapidAPI-Key</c> missing or empty → 401 UNAUTHENTICATED (CAMARA body);
/// a key of <c>--unsubscribed-key</c> → 403 <c>{"message":"You are not subscribed to this API."}</c>; with
/// <c>--api-key K</c> any other key → 403 <c>{"message":"Invalid API key. Go to …"}</c> (the gateway's own bodies).
/// <c>Authorization: Bearer &lt;token&gt;</c> is accepted instead of the key (the CAMARA test suite sends it); with
/// <c>--api-key</c> the token must equal the key, else 401. The accepted key is left in
/// <see cref="GatewayAnswers.KeyItem"/> for the per-key quota and rate limit.
/// </summary>
internal sealed class AuthMiddleware(RequestDelegate next, SimulatorOptions options, SimulatorStats stats)
{
    public const string KeyHeader = "X-RapidAPI-Key";

    public Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[KeyHeader].ToString();
        if (key.Length > 0)
        {
            if (IsUnsubscribed(key))
            {
                stats.GatewayRefused(GatewayRefusal.NotSubscribed);
                return GatewayAnswers.WriteAsync(context, StatusCodes.Status403Forbidden, GatewayAnswers.NotSubscribed);
            }

            if (options.ApiKey is not null && !string.Equals(key, options.ApiKey, StringComparison.Ordinal))
            {
                stats.GatewayRefused(GatewayRefusal.InvalidKey);
                return GatewayAnswers.WriteAsync(context, StatusCodes.Status403Forbidden, GatewayAnswers.InvalidKey);
            }

            context.Items[GatewayAnswers.KeyItem] = key;
            return next(context);
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            if (token.Length > 0 && IsUnsubscribed(token))
            {
                stats.GatewayRefused(GatewayRefusal.NotSubscribed);
                return GatewayAnswers.WriteAsync(context, StatusCodes.Status403Forbidden, GatewayAnswers.NotSubscribed);
            }

            if (token.Length > 0 && (options.ApiKey is null || string.Equals(token, options.ApiKey, StringComparison.Ordinal)))
            {
                context.Items[GatewayAnswers.KeyItem] = token;
                return next(context);
            }

            stats.GatewayRefused(GatewayRefusal.Unauthenticated);
            throw ApiError.Unauthenticated("Request not authenticated due to missing, invalid, or expired credentials: the access token is not valid.");
        }

        stats.GatewayRefused(GatewayRefusal.Unauthenticated);
        throw ApiError.Unauthenticated(
            $"Request not authenticated due to missing, invalid, or expired credentials: send your key in the {KeyHeader} header.");
    }

    private bool IsUnsubscribed(string key) => options.UnsubscribedKeys.Contains(key, StringComparer.Ordinal);
}
