using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using NetworkAsCode.Simulator.Validation;

namespace NetworkAsCode.Simulator.Http;

/// <summary>
/// <c>x-correlator</c>: echoed on every response (success and error). Absent or empty: a new UUID is returned.
/// Not matching <c>^[a-zA-Z0-9-_:;.\/&lt;&gt;{}]{0,256}$</c>: 400 INVALID_ARGUMENT (with a new UUID, as the bad value
/// may not be safe to send back).
/// </summary>
internal sealed class CorrelatorMiddleware(RequestDelegate next)
{
    public const string HeaderName = "x-correlator";

    public Task InvokeAsync(HttpContext context)
    {
        var sent = context.Request.Headers[HeaderName];
        var value = sent.ToString();
        var valid = sent.Count <= 1 && RequestValidator.IsValidCorrelator(value);
        var echo = valid && value.Length > 0 ? value : Guid.NewGuid().ToString("D");
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = echo;
            return Task.CompletedTask;
        });
        if (!valid)
        {
            throw ApiError.InvalidArgument($"x-correlator must match {RequestValidator.XCorrelatorPattern}.");
        }

        return next(context);
    }
}
