using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace NetworkAsCode.Simulator.Http;

/// <summary>
/// Reads and parses request bodies by hand (no model binding), so malformed JSON, wrong types, deep nesting,
/// oversized bodies and wrong content types all become CAMARA 4xx errors instead of framework 500s.
/// </summary>
public static class RequestBody
{
    /// <summary>Largest accepted request body, in bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>
    /// How much of an oversized body is read and thrown away before the 400, so that the client, still
    /// sending, gets its answer on a connection that stays usable.
    /// </summary>
    public const int DrainLimitBytes = 16 * 1024 * 1024;

    /// <summary>Deepest accepted JSON nesting. The deepest valid CAMARA body (ports ranges) needs 4.</summary>
    public const int MaxDepth = 16;

    public static async Task<JsonElement> ReadObjectAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (!string.IsNullOrWhiteSpace(contentType) && !IsJsonMediaType(contentType))
        {
            throw ApiError.UnsupportedMediaType($"Content-Type '{Truncate(contentType)}' is not supported; send application/json.");
        }

        if (context.Request.ContentLength is > MaxBytes)
        {
            await DrainAsync(context);
            throw ApiError.InvalidArgument($"The request body is larger than the limit of {MaxBytes} bytes.");
        }

        var buffer = new byte[MaxBytes + 1];
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException)
        {
            throw ApiError.InvalidArgument("The request body could not be read.");
        }

        if (total > MaxBytes)
        {
            await DrainAsync(context);
            throw ApiError.InvalidArgument($"The request body is larger than the limit of {MaxBytes} bytes.");
        }

        return Parse(buffer.AsMemory(0, total));
    }

    /// <summary>Set when an answer is given before the body was read to its end.</summary>
    public const string BodyUnreadItem = "NetworkAsCode.Simulator.BodyUnread";

    /// <summary>
    /// The rest of an oversized body stays unread, and Kestrel will not drain more than its own limit: the
    /// connection must close after the answer, or the client's next request on it would be lost.
    /// </summary>
    private static void MarkBodyUnread(HttpContext context) => context.Items[BodyUnreadItem] = true;

    /// <summary>Reads the rest of the body into a scratch buffer; if it cannot be read to its end, the connection closes after the answer.</summary>
    private static async Task DrainAsync(HttpContext context)
    {
        var scratch = new byte[64 * 1024];
        try
        {
            while (await context.Request.Body.ReadAsync(scratch, context.RequestAborted) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException)
        {
            MarkBodyUnread(context);
        }
    }

    /// <summary>Parses a body that must be a JSON object. Public so validation can be tested without HTTP.</summary>
    public static JsonElement Parse(ReadOnlyMemory<byte> utf8)
    {
        if (IsBlank(utf8.Span))
        {
            throw ApiError.InvalidArgument("A JSON request body is required.");
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            throw ApiError.InvalidArgument("The request body is not valid UTF-8.");
        }

        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiError.InvalidArgument("The request body must be a JSON object.");
            }

            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw ApiError.InvalidArgument($"The request body is not valid JSON (or is nested deeper than {MaxDepth} levels).");
        }
    }

    public static JsonElement Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    private static bool IsJsonMediaType(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
