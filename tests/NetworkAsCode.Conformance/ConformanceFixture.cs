using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using NetworkAsCode.Conformance.Engine;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace NetworkAsCode.Conformance;

/// <summary>
/// One simulator and one notification sink for all scenarios (they run one after another, with a simulator reset in
/// between). When the class is done, the summary is written to conformance-summary.txt and sent as a diagnostic message.
/// </summary>
public sealed class ConformanceFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, ScenarioResult> _results = new();
    private ConformanceEnvironment? _environment;

    public ConformanceEnvironment Environment => _environment ?? throw new System.InvalidOperationException("not started");

    public void Record(ScenarioResult result) => _results[result.Scenario.Id] = result;

    public async Task InitializeAsync() => _environment = await ConformanceEnvironment.StartAsync();

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }

        if (!_results.IsEmpty)
        {
            var results = _results.Values.ToList();
            var path = ConformanceSummary.Write(results);
            diagnostics.OnMessage(new DiagnosticMessage(
                "CAMARA conformance summary written to {0}{1}{2}", path, System.Environment.NewLine, ConformanceSummary.Render(results)));
        }
    }
}
