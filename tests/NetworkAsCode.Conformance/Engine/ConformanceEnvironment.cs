using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using NetworkAsCode.Simulator;
using NetworkAsCode.Simulator.Profiles;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>
/// The system under test and its surroundings: an in-process simulator on http://127.0.0.1:0 (with an API key, so that
/// invalid credentials can be tested), a loopback notification sink and a plain HttpClient.
/// </summary>
public sealed class ConformanceEnvironment : IAsyncDisposable
{
    public const string ApiKey = "conformance-api-key";

    /// <summary>Profiles the implementation supplies as testing assets besides the 13 built-in ACTIVE ones.</summary>
    public const string InactiveProfile = "CONFORMANCE_INACTIVE";

    public const string DeprecatedProfile = "CONFORMANCE_DEPRECATED";

    private ConformanceEnvironment(RunningSimulator simulator, NotificationSink sink, HttpClient http)
    {
        Simulator = simulator;
        Sink = sink;
        Http = http;
    }

    public RunningSimulator Simulator { get; }

    public NotificationSink Sink { get; }

    public HttpClient Http { get; }

    public Uri BaseUrl => Simulator.BaseUrl;

    public static SimulatorOptions Options => new()
    {
        Urls = ["http://127.0.0.1:0"],
        ApiKey = ApiKey,
        AvailableDelayMs = 100,
        TerminateAfterMs = 300,
        RetentionSeconds = 360,
    };

    /// <summary>The built-in catalogue plus one INACTIVE and one DEPRECATED profile (testing assets for 422.1 and the status filter).</summary>
    public static ProfileCatalog Profiles()
    {
        var builtIn = ProfileCatalog.CreateDefault().All;
        var template = builtIn.First(p => p.Name == "QOS_E");
        return new ProfileCatalog(builtIn
            .Append(template with { Name = InactiveProfile, Description = "A profile that is not deployable now.", Status = "INACTIVE" })
            .Append(template with { Name = DeprecatedProfile, Description = "A profile that takes no new sessions.", Status = "DEPRECATED" }));
    }

    public static async Task<ConformanceEnvironment> StartAsync()
    {
        var sink = await NotificationSink.StartAsync();
        RunningSimulator? simulator = null;
        try
        {
            simulator = await SimulatorHost.StartAsync(Options, new SimulatorHostSettings { Profiles = Profiles() });
            if (!simulator.BaseUrl.IsLoopback)
            {
                throw new InvalidOperationException($"The simulator is not on loopback: {simulator.BaseUrl}");
            }

            var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
            {
                BaseAddress = simulator.BaseUrl,
                Timeout = TimeSpan.FromSeconds(20),
            };
            return new ConformanceEnvironment(simulator, sink, http);
        }
        catch
        {
            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }

            await sink.DisposeAsync();
            throw;
        }
    }

    /// <summary>Forgets all sessions (between scenarios) through the simulator's diagnostics endpoint.</summary>
    public async Task ResetAsync()
    {
        using var response = await Http.PostAsync("_simulator/reset", null);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
