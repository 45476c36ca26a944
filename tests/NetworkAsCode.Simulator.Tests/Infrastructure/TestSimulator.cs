using System;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace NetworkAsCode.Simulator.Tests.Infrastructure;

/// <summary>Starts a real simulator on http://127.0.0.1:0 and a plain HttpClient pointed at it.</summary>
public sealed class TestSimulator : IAsyncDisposable
{
    public const string Key = "test-key";

    private TestSimulator(RunningSimulator running, HttpClient client)
    {
        Running = running;
        Client = client;
    }

    public RunningSimulator Running { get; }

    /// <summary>Sends X-RapidAPI-Key and X-RapidAPI-Host on every request, like the SDKs.</summary>
    public HttpClient Client { get; }

    public Uri BaseUrl => Running.BaseUrl;

    /// <summary>Fast defaults for tests: AVAILABLE after 150 ms, network termination after 800 ms.</summary>
    public static SimulatorOptions DefaultOptions => new()
    {
        Urls = ["http://127.0.0.1:0"],
        AvailableDelayMs = 150,
        TerminateAfterMs = 800,
        RetentionSeconds = 360,
    };

    public static async Task<TestSimulator> StartAsync(SimulatorOptions? options = null, SimulatorHostSettings? settings = null)
    {
        var running = await SimulatorHost.StartAsync(options ?? DefaultOptions, settings);
        Assert.StartsWith("http://127.0.0.1:", running.BaseUrl.ToString(), StringComparison.Ordinal);
        return new TestSimulator(running, CreateClient(running.BaseUrl, Key));
    }

    public static HttpClient CreateClient(Uri baseUrl, string? key)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(20) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-RapidAPI-Key", key);
        }

        client.DefaultRequestHeaders.Add("X-RapidAPI-Host", "network-as-code.nokia.rapidapi.com");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Running.DisposeAsync();
    }
}

/// <summary>One simulator shared by the tests of a class (default options). Tests use unique devices.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private TestSimulator? _simulator;

    public TestSimulator Simulator => _simulator ?? throw new InvalidOperationException("not started");

    public HttpClient Client => Simulator.Client;

    public async Task InitializeAsync() => _simulator = await TestSimulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }
}
