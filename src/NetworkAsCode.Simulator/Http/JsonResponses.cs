using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace NetworkAsCode.Simulator.Http;

/// <summary>Writes JSON bodies by hand, so every byte the simulator sends is under our control.</summary>
internal static class JsonResponses
{
    public const string JsonContentType = "application/json";

    /// <summary>Compact output; '+' and other non-HTML-safe characters are written as is (no \u escapes).</summary>
    public static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(WriteOptions));
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, 0, bytes.Length, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, ApiError error) =>
        WriteAsync(context, error.Status, ErrorBody(error.Status, error.Code, error.Message));

    public static JsonObject ErrorBody(int status, string code, string message) =>
        new() { ["status"] = status, ["code"] = code, ["message"] = message };

    /// <summary>An <see cref="IResult"/> for minimal API handlers.</summary>
    public static IResult Json(int status, JsonNode body) => new JsonNodeResult(status, body);

    /// <summary>204 with <c>Content-Type: application/json</c> and no body (the CAMARA delete test asserts the header).</summary>
    public static IResult NoContent() => new NoContentJsonResult();

    private sealed class JsonNodeResult(int status, JsonNode body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, body);
    }

    private sealed class NoContentJsonResult : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status204NoContent;
            httpContext.Response.ContentType = JsonContentType;
            return Task.CompletedTask;
        }
    }
}
