using System;
using System.Globalization;
using System.Text.Json;
using NetworkAsCode.Simulator.Http;

namespace NetworkAsCode.Simulator.Validation;

/// <summary>Typed reads of JSON properties that fail with CAMARA errors naming the offending field.</summary>
public static class JsonFields
{
    /// <summary>The property, or null when it is absent or JSON null (null counts as absent for optional fields).</summary>
    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement Required(JsonElement obj, string name, string path) =>
        Optional(obj, name) ?? throw ApiError.InvalidArgument($"{path} is required.");

    public static string String(JsonElement value, string path, int minLength = 0, int maxLength = int.MaxValue)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw ApiError.InvalidArgument($"{path} must be a string.");
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or a lone surrogate escape: not text at all.
            throw ApiError.InvalidArgument($"{path} must be a valid Unicode string.");
        }

        if (text.Length < minLength || text.Length > maxLength)
        {
            throw ApiError.InvalidArgument(maxLength == int.MaxValue
                ? $"{path} must not be empty."
                : $"{path} must be {minLength} to {maxLength} characters long.");
        }

        return text;
    }

    public static JsonElement Object(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ApiError.InvalidArgument($"{path} must be a JSON object.");
        }

        return value;
    }

    /// <summary>
    /// An integer value. Non-numbers and fractions are INVALID_ARGUMENT; integers too large for 64 bits are clamped
    /// (so range checks report them as out of range rather than failing).
    /// </summary>
    public static long Integer(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw ApiError.InvalidArgument($"{path} must be an integer.");
        }

        if (value.TryGetInt64(out var int64))
        {
            return int64;
        }

        var raw = value.GetRawText();
        if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var dec))
        {
            if (dec != decimal.Truncate(dec))
            {
                throw ApiError.InvalidArgument($"{path} must be an integer.");
            }

            return dec > long.MaxValue ? long.MaxValue : dec < long.MinValue ? long.MinValue : (long)dec;
        }

        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var dbl)
            && (double.IsInfinity(dbl) || Math.Floor(dbl) == dbl))
        {
            return dbl > 0 ? long.MaxValue : long.MinValue;
        }

        throw ApiError.InvalidArgument($"{path} must be an integer.");
    }

    /// <summary>A TCP/UDP port: integer (else INVALID_ARGUMENT) in 0..65535 (else OUT_OF_RANGE).</summary>
    public static int Port(JsonElement value, string path)
    {
        var port = Integer(value, path);
        if (port is < 0 or > 65535)
        {
            throw ApiError.OutOfRange($"{path} must be a port number between 0 and 65535.");
        }

        return (int)port;
    }
}
