using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Gherkin.Ast;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>One step to run: its Gherkin keyword, its text (outline placeholders already filled) and its line.</summary>
public sealed record StepCall(string Keyword, string Text, int Line)
{
    public override string ToString() => $"{Keyword.Trim()} {Text}";
}

/// <summary>One runnable scenario: a Scenario, or one Examples row of a Scenario Outline, with the Background first.</summary>
public sealed record ScenarioCase(
    string FeatureFile,
    string FeatureName,
    string Operation,
    string ApiFile,
    string Tag,
    string Name,
    string? Example,
    IReadOnlyList<StepCall> Steps,
    int Line)
{
    /// <summary>A stable, readable id such as <c>createSession 400.5_out_of_range_port [$.devicePorts.ports[*]]</c>.</summary>
    public string Id => Example is null ? $"{Operation} {ShortTag}" : $"{Operation} {ShortTag} [{Example}]";

    /// <summary>The tag without the <c>@quality_on_demand_createSession_</c> style prefix.</summary>
    public string ShortTag
    {
        get
        {
            var marker = "_" + Operation + "_";
            var index = Tag.IndexOf(marker, StringComparison.Ordinal);
            return index >= 0 ? Tag[(index + marker.Length)..] : Tag.TrimStart('@');
        }
    }
}

/// <summary>Parses the seven r3.2 feature files with the Gherkin parser and expands them into <see cref="ScenarioCase"/>s.</summary>
public static partial class FeatureCatalog
{
    public static readonly string[] FeatureFiles =
    [
        "quality-on-demand-createSession.feature",
        "quality-on-demand-getSession.feature",
        "quality-on-demand-deleteSession.feature",
        "quality-on-demand-extendQosSessionDuration.feature",
        "quality-on-demand-retrieveSessionsByDevice.feature",
        "qos-profiles-getQosProfile.feature",
        "qos-profiles-retrieveQoSProfiles.feature",
    ];

    private static readonly Lazy<IReadOnlyList<ScenarioCase>> LazyAll = new(() => FeatureFiles.SelectMany(Load).ToList());

    public static IReadOnlyList<ScenarioCase> All => LazyAll.Value;

    public static ScenarioCase Get(string id) =>
        All.SingleOrDefault(s => s.Id == id) ?? throw new KeyNotFoundException($"No scenario with id '{id}'.");

    public static IEnumerable<ScenarioCase> Load(string featureFile)
    {
        var path = SpecFiles.PathOf(featureFile);
        using var reader = new StreamReader(path);
        var document = new Gherkin.Parser().Parse(reader);
        var feature = document.Feature ?? throw new InvalidDataException($"{featureFile} has no Feature.");
        var (operation, api) = OperationOf(featureFile);
        var background = feature.Children.OfType<Background>().SelectMany(b => b.Steps).ToList();
        foreach (var scenario in feature.Children.OfType<Scenario>())
        {
            var tag = scenario.Tags.FirstOrDefault()?.Name ?? $"@line{scenario.Location.Line}";
            var examples = scenario.Examples.ToList();
            if (examples.Count == 0)
            {
                yield return new ScenarioCase(featureFile, feature.Name, operation, api, tag, scenario.Name, null,
                    Steps(background, scenario.Steps, null), scenario.Location.Line);
                continue;
            }

            foreach (var table in examples)
            {
                var header = table.TableHeader.Cells.Select(c => c.Value).ToList();
                foreach (var row in table.TableBody)
                {
                    var values = header.Zip(row.Cells.Select(c => c.Value)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
                    var label = string.Join(", ", row.Cells.Select(c => c.Value).Take(1));
                    yield return new ScenarioCase(featureFile, feature.Name, operation, api, tag, Fill(scenario.Name, values), label,
                        Steps(background, scenario.Steps, values), row.Location.Line);
                }
            }
        }
    }

    private static List<StepCall> Steps(IEnumerable<Step> background, IEnumerable<Step> steps, IReadOnlyDictionary<string, string>? values) =>
        background.Concat(steps)
            .Select(s => new StepCall(s.Keyword, Normalize(values is null ? s.Text : Fill(s.Text, values)), s.Location.Line))
            .ToList();

    private static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    /// <summary>Collapses runs of white space (some steps contain double spaces).</summary>
    private static string Normalize(string text) => Spaces().Replace(text.Trim(), " ");

    private static (string Operation, string Api) OperationOf(string featureFile)
    {
        var name = Path.GetFileNameWithoutExtension(featureFile);
        return name.StartsWith("quality-on-demand-", StringComparison.Ordinal)
            ? (name["quality-on-demand-".Length..], OpenApiContract.QodFile)
            : (name["qos-profiles-".Length..], OpenApiContract.ProfilesFile);
    }

    [GeneratedRegex("<([^<>]+)>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
