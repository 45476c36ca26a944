using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Completers
{
    /// <summary>Completes -Profile with the documented labels, filtered by what is typed.</summary>
    public sealed class QosProfileCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            foreach (var label in QosProfileLabels.All)
                if (label.Key.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(label.Key, label.Key, CompletionResultType.ParameterValue, label.Value);
        }
    }

    /// <summary>Completes -SessionId with the ids this runspace has seen, most recent first.</summary>
    public sealed class SessionIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            foreach (string id in NacRunspaceState.Current.SeenSessionIds())
                if (id.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(id, id, CompletionResultType.ParameterValue, id);
        }
    }
}
