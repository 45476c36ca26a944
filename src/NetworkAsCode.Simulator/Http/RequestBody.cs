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
            throw ApiError.InvalidArgument($"The request body is larger than the limit of {MaxBytes} bytes.");
        }

        return Parse(buffer.AsMemory(0, total));
    }

    /// <summary>Parses a body that must be a JSON object. Public so validation can be tested without HTTP.</summary>
    public static JsonElement Parse(ReadOnlyMemory<byte> utf8)
    {
        if (IsBlank(utf8.Span))
        {
            throw ApiError.InvalidArgument("A JSON request body is required.");
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
