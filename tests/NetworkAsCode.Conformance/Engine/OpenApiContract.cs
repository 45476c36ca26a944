using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Json.Schema;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>
/// The two OpenAPI 3.0 documents of the release (quality-on-demand.yaml, qos-profiles.yaml), loaded from YAML and
/// registered as JSON Schema base documents so that every <c>$ref</c> resolves. Validation uses JSON Schema 2020-12
/// evaluation with OpenAPI 3.0 rules: <c>$ref</c> siblings are ignored, unknown keywords (example, discriminator, ...)
/// are allowed and formats (date-time, uuid, ipv4, ipv6, uri, ...) are asserted.
/// </summary>
public sealed class OpenApiContract
{
    public const string QodFile = "quality-on-demand.yaml";
    public const string ProfilesFile = "qos-profiles.yaml";

    private static readonly Lazy<OpenApiContract> LazyInstance = new(() => new OpenApiContract(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _built;

    /// <summary>JsonSchema.Net's registries and lazily resolved references are not safe for concurrent use: one lock for all.</summary>
    internal static readonly object Gate = new();

    private readonly BuildOptions _buildOptions;
    private readonly Dictionary<string, OpenApiDocument> _documents = new(StringComparer.Ordinal);

    private OpenApiContract()
    {
        var registry = new SchemaRegistry();
        _buildOptions = new BuildOptions
        {
            SchemaRegistry = registry,
            // OpenAPI 3.0 schema objects: $ref siblings are ignored; example/discriminator/xml/... are not JSON Schema keywords.
            Dialect = Dialect.Draft202012.With([], null, true, true),
        };
        foreach (var file in new[] { QodFile, ProfilesFile })
        {
            var root = YamlJson.Load(SpecFiles.PathOf(file));
            var uri = new Uri("https://camara.conformance.invalid/" + file.Replace(".yaml", ".json", StringComparison.Ordinal));
            var element = JsonDocument.Parse(root.ToJsonString()).RootElement.Clone();
            registry.Register(uri, new JsonElementBaseDocument(element, uri));
            _documents[file] = new OpenApiDocument(file, uri, root, this);
        }
    }

    public static OpenApiContract Instance => LazyInstance.Value;

    public OpenApiDocument this[string file] => _documents[file];

    public static EvaluationOptions EvaluationOptions { get; } = new()
    {
        RequireFormatValidation = true,
        OutputFormat = OutputFormat.List,
    };

    internal JsonSchema Build(JsonNode schemaNode, Uri documentUri)
    {
        var copy = schemaNode.DeepClone();
        RewriteRefs(copy, documentUri);
        var baseUri = new Uri($"https://camara.conformance.invalid/built/{Interlocked.Increment(ref _built)}.json");
        lock (Gate)
        {
            return JsonSchema.FromText(copy.ToJsonString(), _buildOptions, baseUri);
        }
    }

    private static void RewriteRefs(JsonNode? node, Uri documentUri)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "$ref" && value is JsonValue v && v.TryGetValue<string>(out var reference) && reference.StartsWith('#'))
                    {
                        obj[key] = documentUri.AbsoluteUri + reference;
                    }
                    else
                    {
                        RewriteRefs(value, documentUri);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RewriteRefs(item, documentUri);
                }

                break;
        }
    }
}

/// <summary>One OpenAPI document: schema look-up by pointer and the response schema of an operation and status.</summary>
public sealed class OpenApiDocument
{
    private readonly OpenApiContract _contract;
    private readonly ConcurrentDictionary<string, JsonSchema> _cache = new(StringComparer.Ordinal);

    internal OpenApiDocument(string name, Uri uri, JsonNode root, OpenApiContract contract)
    {
        Name = name;
        Uri = uri;
        Root = root;
        _contract = contract;
    }

    public string Name { get; }

    public Uri Uri { get; }

    public JsonNode Root { get; }

    /// <summary>The schema at a pointer such as <c>/components/schemas/SessionInfo</c> or <c>#/components/schemas/XCorrelator</c>.</summary>
    public JsonSchema SchemaAt(string pointer)
    {
        var normalized = "/" + pointer.TrimStart('#').TrimStart('/');
        lock (OpenApiContract.Gate)
        {
            _ = Resolve(normalized) ?? throw new KeyNotFoundException($"{Name} has no schema at {normalized}.");
            return _cache.GetOrAdd("ptr:" + normalized, _ => _contract.Build(new JsonObject { ["$ref"] = "#" + normalized }, Uri));
        }
    }

    /// <summary>
    /// The declared response of an operation: the JSON schema of its <c>application/json</c> content, or null when the
    /// response has no content (204). Throws when the status is not declared for the operation.
    /// </summary>
    public (JsonSchema? Schema, string Where) ResponseSchema(string pathTemplate, string method, int status)
    {
        lock (OpenApiContract.Gate)
        {
            return ResponseSchemaCore(pathTemplate, method, status);
        }
    }

    private (JsonSchema? Schema, string Where) ResponseSchemaCore(string pathTemplate, string method, int status)
    {
        var operationPointer = $"/paths/{Escape(pathTemplate)}/{method.ToLowerInvariant()}";
        var responses = Resolve(operationPointer + "/responses") as JsonObject
            ?? throw new KeyNotFoundException($"{Name} has no operation {method.ToUpperInvariant()} {pathTemplate}.");
        var statusKey = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!responses.ContainsKey(statusKey))
        {
            throw new ContractViolation(
                $"status {status} is not a declared response of {method.ToUpperInvariant()} {pathTemplate} in {Name} " +
                $"(declared: {string.Join(", ", responses.Select(r => r.Key))})");
        }

        var pointer = $"{operationPointer}/responses/{statusKey}";
        var response = responses[statusKey]!;
        while (response is JsonObject r && r["$ref"] is JsonValue refValue)
        {
            pointer = refValue.GetValue<string>().TrimStart('#');
            response = Resolve(pointer) ?? throw new KeyNotFoundException($"{Name}: unresolved {pointer}");
        }

        var schemaNode = response["content"]?["application/json"]?["schema"];
        if (schemaNode is null)
        {
            return (null, pointer);
        }

        var where = pointer + "/content/application~1json/schema";
        return (_cache.GetOrAdd("rsp:" + where, _ => _contract.Build(schemaNode, Uri)), where);
    }

    /// <summary>The node at a JSON pointer, or null.</summary>
    public JsonNode? Resolve(string pointer)
    {
        JsonNode? node = Root;
        foreach (var raw in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject obj => obj[token],
                JsonArray array when int.TryParse(token, out var i) && i < array.Count => array[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Evaluates an instance; returns the violations (empty when valid).</summary>
    public static IReadOnlyList<string> Violations(JsonSchema schema, JsonNode? instance)
    {
        using var document = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        EvaluationResults results;
        lock (OpenApiContract.Gate)
        {
            results = schema.Evaluate(document.RootElement, OpenApiContract.EvaluationOptions);
        }

        if (results.IsValid)
        {
            return [];
        }

        var errors = (results.Details ?? [])
            .Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } l ? l : "/")}: {e.Key}: {e.Value}"))
            .Distinct()
            .ToList();
        return errors.Count > 0 ? errors : ["instance is not valid (no detail)"];
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}

/// <summary>A response (or event) that does not match the published contract.</summary>
public sealed class ContractViolation(string message) : Exception(message);
