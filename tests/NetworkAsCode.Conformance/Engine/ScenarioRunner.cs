using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace NetworkAsCode.Conformance.Engine;

public enum Outcome
{
    Passed,
    Failed,
    NotApplicable,
}

public sealed record ScenarioResult(ScenarioCase Scenario, Outcome Outcome, string? Reason, IReadOnlyList<string> Log, IReadOnlyList<string> Choices);

/// <summary>Runs one scenario: Background and scenario steps in order; any failing or unknown step fails it.</summary>
public static class ScenarioRunner
{
    public static async Task<ScenarioResult> RunAsync(ConformanceEnvironment environment, ScenarioCase scenario)
    {
        var reason = StepLibrary.NotApplicableReason(scenario);
        if (reason is not null)
        {
            return new ScenarioResult(scenario, Outcome.NotApplicable, reason, [], []);
        }

        await environment.ResetAsync();
        var context = new ScenarioContext(environment, scenario);
        context.Note($"{scenario.Id}: {scenario.Name} ({scenario.FeatureFile}:{scenario.Line})");
        foreach (var step in scenario.Steps)
        {
            context.Note($"{step.Keyword.Trim()} {step.Text}");
            var definition = StepLibrary.Find(step.Text);
            if (definition is null)
            {
                return Failed(context, $"unknown step phrase (line {step.Line}): {step.Text}");
            }

            try
            {
                await definition.Run(context, definition.Pattern.Match(step.Text));
            }
            catch (StepFailed ex)
            {
                return Failed(context, $"step '{step.Text}' (line {step.Line}) failed: {ex.Message}");
            }
            catch (ContractViolation ex)
            {
                return Failed(context, $"contract violation during '{step.Text}' (line {step.Line}): {ex.Message}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return Failed(context, $"step '{step.Text}' (line {step.Line}) threw {ex.GetType().Name}: {ex.Message}");
            }
        }

        context.Note($"validated {context.ResponsesValidated} response(s) against the OpenAPI schemas");
        return new ScenarioResult(scenario, Outcome.Passed, null, context.Log, context.Choices);
    }

    private static ScenarioResult Failed(ScenarioContext context, string reason)
    {
        context.Note("FAILED: " + reason);
        return new ScenarioResult(context.Scenario, Outcome.Failed, reason, context.Log, context.Choices);
    }
}
