using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>Writes <c>conformance-summary.txt</c>: per feature passed / failed / not applicable, each N/A with its reason, and the choices.</summary>
public static class ConformanceSummary
{
    public const string FileName = "conformance-summary.txt";
    public const string EnvironmentVariable = "NAC_CONFORMANCE_SUMMARY";

    /// <summary>Contradictions between the suite and the spec, and how they are decided (contract notes §11).</summary>
    public static readonly string[] Choices =
    [
        "Invalid duration (createSession 400.9, §11.1): the simulator answers the OAS code 400 QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE; the suite's INVALID_ARGUMENT is accepted as well.",
        "Event type (createSession 02_2, deleteSession 02, §11.2): the simulator sends the OAS value org.camaraproject.quality-on-demand.v1.qos-status-changed (the event schema requires it); the suite's org.camaraproject.qod.v1.qos-status-changed is accepted as well.",
        "Device without profiles vs not-applicable device (retrieveQoSProfiles 06 vs C01.07, §11.6): +99999990204 has no profiles (200 []); +99999990422 is not eligible (422 SERVICE_NOT_APPLICABLE).",
        "Unknown qosProfile (§11.3): 400 INVALID_ARGUMENT. Non-UUID sessionId (§11.4): 400 INVALID_ARGUMENT.",
        "DELETE 204 carries Content-Type: application/json with an empty body, as deleteSession 01 asserts (§11.8).",
        "Loopback http sinks (DESIGN.md 'Sinks'): accepted and echoed as given although the OAS sink pattern is ^https://; the schema check reads the test's own loopback sink as https.",
        "getQosProfile 01 says 'each item of the response array'; the operation returns one QosProfile object, which is validated itself.",
        "'has the same value as in the request body' on extend/get responses compares with the createSession request body (the extend body has no applicationServer).",
    ];

    public static string Render(IReadOnlyCollection<ScenarioResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"CAMARA QoD r3.2 (quality-on-demand / qos-profiles v1.1.0) conformance of the NetworkAsCode simulator");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Spec files: {SpecFiles.Directory}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"Feature",-52} {"Passed",6} {"Failed",6} {"N/A",4} {"NotRun",6}");
        var totals = new int[4];
        foreach (var feature in FeatureCatalog.FeatureFiles)
        {
            var all = FeatureCatalog.All.Where(s => s.FeatureFile == feature).ToList();
            var mine = results.Where(r => r.Scenario.FeatureFile == feature).ToList();
            var counts = new[]
            {
                mine.Count(r => r.Outcome == Outcome.Passed),
                mine.Count(r => r.Outcome == Outcome.Failed),
                all.Count(s => StepLibrary.NotApplicableReason(s) is not null),
                0,
            };
            counts[3] = all.Count - counts[0] - counts[1] - counts[2];
            for (var i = 0; i < 4; i++)
            {
                totals[i] += counts[i];
            }

            sb.AppendLine(CultureInfo.InvariantCulture, $"{feature,-52} {counts[0],6} {counts[1],6} {counts[2],4} {counts[3],6}");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"{"Total",-52} {totals[0],6} {totals[1],6} {totals[2],4} {totals[3],6}");
        sb.AppendLine();

        var failed = results.Where(r => r.Outcome == Outcome.Failed).ToList();
        if (failed.Count > 0)
        {
            sb.AppendLine("Failed:");
            foreach (var r in failed)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {r.Scenario.Id}: {r.Reason}");
            }

            sb.AppendLine();
        }

        sb.AppendLine("Not applicable to the platform (not run):");
        foreach (var s in FeatureCatalog.All)
        {
            if (StepLibrary.NotApplicableReason(s) is { } reason)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {s.Id}: {reason}");
            }
        }

        sb.AppendLine();
        sb.AppendLine("Documented choices where the suite and the spec disagree:");
        foreach (var choice in Choices)
        {
            sb.AppendLine("  - " + choice);
        }

        return sb.ToString();
    }

    /// <summary>Writes the summary to <c>NAC_CONFORMANCE_SUMMARY</c> if set, else next to the test assembly; returns the path.</summary>
    public static string Write(IReadOnlyCollection<ScenarioResult> results)
    {
        var path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, FileName);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, Render(results));
        return path;
    }
}
