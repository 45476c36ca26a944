using System.Linq;
using System.Threading.Tasks;
using NetworkAsCode.Conformance.Engine;
using Xunit;
using Xunit.Abstractions;

namespace NetworkAsCode.Conformance;

/// <summary>
/// The CAMARA QoD r3.2 Gherkin suite against the simulator: one test per applicable scenario (or Scenario Outline row).
/// Scenarios that cannot apply to the platform are not test cases; they are listed, with their reasons, by
/// <see cref="Not_applicable_scenarios_are_listed_with_their_reasons"/> and in conformance-summary.txt.
/// </summary>
public sealed class CamaraConformanceTests(ConformanceFixture fixture, ITestOutputHelper output) : IClassFixture<ConformanceFixture>
{
    /// <summary>Reviewed list size: a change here means a scenario became (in)applicable; update the README's N/A list.</summary>
    private const int ExpectedNotApplicable = 24;

    public static TheoryData<string> ApplicableScenarios()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in FeatureCatalog.All.Where(s => StepLibrary.NotApplicableReason(s) is null))
        {
            data.Add(scenario.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ApplicableScenarios))]
    public async Task Scenario(string id)
    {
        var result = await ScenarioRunner.RunAsync(fixture.Environment, FeatureCatalog.Get(id));
        fixture.Record(result);
        foreach (var line in result.Log)
        {
            output.WriteLine(line);
        }

        Assert.True(result.Outcome == Outcome.Passed, $"{id}: {result.Reason}");
    }

    [Fact]
    public void Not_applicable_scenarios_are_listed_with_their_reasons()
    {
        var notApplicable = FeatureCatalog.All
            .Select(s => (s.Id, Reason: StepLibrary.NotApplicableReason(s)))
            .Where(s => s.Reason is not null)
            .ToList();
        foreach (var (id, reason) in notApplicable)
        {
            output.WriteLine($"N/A: {id}: {reason}");
        }

        Assert.All(notApplicable, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
        Assert.Equal(ExpectedNotApplicable, notApplicable.Count);
    }

    [Fact]
    public void Every_step_phrase_of_the_suite_is_implemented()
    {
        var unknown = FeatureCatalog.All
            .SelectMany(s => s.Steps.Select(step => (s.Id, step)))
            .Where(x => StepLibrary.Find(x.step.Text) is null)
            .Select(x => $"{x.Id} line {x.step.Line}: {x.step.Text}")
            .Distinct()
            .ToList();
        Assert.True(unknown.Count == 0, "unknown step phrases:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void All_seven_feature_files_are_parsed()
    {
        var byFeature = FeatureCatalog.All.GroupBy(s => s.FeatureFile).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (feature, count) in byFeature)
        {
            output.WriteLine($"{feature}: {count} scenario(s)");
        }

        Assert.Equal(FeatureCatalog.FeatureFiles.OrderBy(f => f), byFeature.Keys.OrderBy(f => f));
        Assert.Equal(FeatureCatalog.All.Count, FeatureCatalog.All.Select(s => s.Id).Distinct().Count());
    }
}
