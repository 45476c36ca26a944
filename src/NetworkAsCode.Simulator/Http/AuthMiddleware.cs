using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace NetworkAsCode.Simulator.Http;

/// <summary>
/// Authentication like the RapidAPI gateway: <c>X-RapidAPI-Key</c> missing or empty → 401 UNAUTHENTICATED (CAMARA body);
/// with <c>--api-key K</c> any other key → 403 <c>{"message":"Invalid API key."}</c> (the gateway's own body).
/// <c>Authorization: Bearer &lt;token&gt;</c> is accepted instead of the key (the CAMARA test suite sends it); with
/// <c>--api-key</c> the token must equal the key, else 401. <c>X-RapidAPI-Host</c> is not checked.
/// </summary>
internal sealed class AuthMiddleware(RequestDelegate next, SimulatorOptions options)
{
    public const string KeyHeader = "X-RapidAPI-Key";
    public const string InvalidKeyMessage = "Invalid API key.";

    public Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[KeyHeader].ToString();
        if (key.Length > 0)
        {
            if (options.ApiKey is not null && !string.Equals(key, options.ApiKey, StringComparison.Ordinal))
            {
                return JsonResponses.WriteAsync(context, StatusCodes.Status403Forbidden, new JsonObject { ["message"] = InvalidKeyMessage });
            }

            return next(context);
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            if (token.Length > 0 && (options.ApiKey is null || string.Equals(token, options.ApiKey, StringComparison.Ordinal)))
            {
                return next(context);
            }

            throw ApiError.Unauthenticated("Request not authenticated due to missing, invalid, or expired credentials: the access token is not valid.");
        }

        throw ApiError.Unauthenticated(
            $"Request not authenticated due to missing, invalid, or expired credentials: send your key in the {KeyHeader} header.");
    }
}
