using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NetworkAsCode.Simulator.Http;

/// <summary>
/// Outermost middleware: turns <see cref="ApiError"/> into CAMARA bodies, gives bodiless 4xx/5xx answers of the
/// framework (unknown route 404, wrong method 405) a CAMARA body, and makes sure nothing escapes as a bare 500.
/// </summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400
                && context.Response.ContentLength is null && context.Response.ContentType is null)
            {
                await JsonResponses.WriteErrorAsync(context, ForStatus(context));
            }
        }
        catch (ApiError error) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            if (context.Items.ContainsKey(RequestBody.BodyUnreadItem)) context.Response.Headers.Connection = "close";
            await JsonResponses.WriteErrorAsync(context, error);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.Headers.Connection = "close";
            var error = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiError.InvalidArgument("The request body is too large.")
                : ApiError.InvalidArgument("The request could not be read.");
            await JsonResponses.WriteErrorAsync(context, error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await JsonResponses.WriteErrorAsync(context, ApiError.Internal("Unknown server error. Typically a server bug."));
        }
    }

    private static ApiError ForStatus(HttpContext context) => context.Response.StatusCode switch
    {
        404 => ApiError.NotFound($"The specified resource is not found: {context.Request.Method} {context.Request.Path}."),
        405 => ApiError.MethodNotAllowed($"Method {context.Request.Method} is not allowed on {context.Request.Path}."),
        var status => new ApiError(status, status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT", "The request could not be processed."),
    };
}
