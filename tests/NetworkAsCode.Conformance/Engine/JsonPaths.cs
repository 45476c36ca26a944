using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>
/// The small JSONPath subset the feature files use: <c>$</c>, <c>.name</c>, <c>[n]</c> and <c>[*]</c>. When a setter meets an
/// array on its way (e.g. <c>$.devicePorts.ranges.from</c>), it applies to every item.
/// </summary>
public static partial class JsonPaths
{
    public static IReadOnlyList<string> Tokens(string path)
    {
        var trimmed = path.Trim();
        if (trimmed.StartsWith('$'))
        {
            trimmed = trimmed[1..];
        }

        var tokens = new List<string>();
        foreach (Match m in TokenRegex().Matches(trimmed))
        {
            tokens.Add(m.Groups["name"].Success ? m.Groups["name"].Value : "[" + m.Groups["index"].Value + "]");
        }

        return tokens;
    }

    /// <summary>Whether the path exists and its value (first match).</summary>
    public static (bool Exists, JsonNode? Value) Get(JsonNode? root, string path) => GetFrom(root, Tokens(path), 0);

    private static (bool Exists, JsonNode? Value) GetFrom(JsonNode? node, IReadOnlyList<string> tokens, int start)
    {
        for (var i = start; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (node)
            {
                case JsonObject obj when !token.StartsWith('['):
                    if (!obj.TryGetPropertyValue(token, out node))
                    {
                        return (false, null);
                    }

                    break;
                case JsonArray array when token.StartsWith('['):
                    var index = token == "[*]" ? 0 : int.Parse(token[1..^1], CultureInfo.InvariantCulture);
                    if (index >= array.Count)
                    {
                        return (false, null);
                    }

                    node = array[index];
                    break;
                case JsonArray array:
                    // A name after an array (e.g. ranges.from): the first item.
                    return array.Count == 0 ? (false, null) : GetFrom(array[0], tokens, i);
                default:
                    return (false, null);
            }
        }

        return (true, node);
    }

    /// <summary>Sets a value, creating missing objects on the way; arrays on the way are applied item by item.</summary>
    public static void Set(JsonObject root, string path, Func<JsonNode?> value)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            throw new ArgumentException($"Cannot set the root with path {path}.");
        }

        SetIn(root, tokens, 0, value);
    }

    public static void Remove(JsonObject root, string path)
    {
        var tokens = Tokens(path);
        var (exists, parent) = tokens.Count == 1 ? (true, root) : Get(root, "$." + string.Join(".", tokens.Take(tokens.Count - 1)));
        if (exists && parent is JsonObject obj)
        {
            obj.Remove(tokens[^1]);
        }
    }

    private static void SetIn(JsonNode node, IReadOnlyList<string> tokens, int i, Func<JsonNode?> value)
    {
        var token = tokens[i];
        var last = i == tokens.Count - 1;
        switch (node)
        {
            case JsonArray array when token == "[*]":
                if (array.Count == 0)
                {
                    array.Add(last ? value() : new JsonObject());
                }

                for (var k = 0; k < array.Count; k++)
                {
                    if (last)
                    {
                        array[k] = value();
                    }
                    else
                    {
                        SetIn(array[k]!, tokens, i + 1, value);
                    }
                }

                break;
            case JsonArray array:
                if (array.Count == 0)
                {
                    array.Add(new JsonObject());
                }

                foreach (var item in array)
                {
                    SetIn(item!, tokens, i, value);
                }

                break;
            case JsonObject obj:
                if (last)
                {
                    obj[token] = value();
                    return;
                }

                if (obj[token] is not JsonNode child)
                {
                    child = tokens[i + 1] == "[*]" ? new JsonArray() : new JsonObject();
                    obj[token] = child;
                }

                SetIn(child, tokens, i + 1, value);
                break;
            default:
                throw new InvalidOperationException($"Cannot set {string.Join(".", tokens)}: {token} is not inside an object.");
        }
    }

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_\-]+)|\[(?<index>\*|[0-9]+)\]")]
    private static partial Regex TokenRegex();
}
