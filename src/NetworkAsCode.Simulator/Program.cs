using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace NetworkAsCode.Simulator;

/// <summary>
/// Entry point: <c>dotnet run --project src/NetworkAsCode.Simulator -- --urls http://127.0.0.1:5050 [switches]</c>.
/// Prints the standard <c>Now listening on:</c> line with the real port (also for port 0). Exit codes: 0 normal
/// stop, 1 could not start (e.g. port in use), 2 bad command line.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        SimulatorOptions? options;
        try
        {
            (options, var help) = SimulatorOptions.Parse(args);
            if (help)
            {
                Console.WriteLine(SimulatorOptions.HelpText);
                return 0;
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }

        Console.WriteLine($"NetworkAsCode QoD simulator ({options!.Describe()})");
        RunningSimulator simulator;
        try
        {
            simulator = await SimulatorHost.StartAsync(options, new SimulatorHostSettings { ConsoleLogging = true });
        }
        catch (Exception ex) when (FindAddressInUse(ex) is not null)
        {
            var url = options.Urls.FirstOrDefault(u => SimulatorOptions.ToEndpoint(u).Port != 0) ?? options.Urls[0];
            var (address, port) = SimulatorOptions.ToEndpoint(url);
            Console.Error.WriteLine(
                $"error: port {port} on {address} is in use (another program listens there): choose another port, or 0 for a free one.");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: the simulator could not start: {ex.Message}");
            return 1;
        }

        await using (simulator)
        {
            if (options.ParentProcessId is int parent) StopWhenParentExits(simulator, parent);
            await simulator.App.WaitForShutdownAsync();
        }

        return 0;
    }

    /// <summary>Polls the parent process once a second and stops the simulator when it is gone.</summary>
    private static void StopWhenParentExits(RunningSimulator simulator, int parentId)
    {
        var lifetime = simulator.App.Services.GetRequiredService<IHostApplicationLifetime>();
        _ = Task.Run(async () =>
        {
            while (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                if (!IsRunning(parentId))
                {
                    Console.WriteLine($"The parent process {parentId} has exited: stopping.");
                    lifetime.StopApplication();
                    return;
                }
                try { await Task.Delay(TimeSpan.FromSeconds(1), lifetime.ApplicationStopping); }
                catch (OperationCanceledException) { return; }
            }
        });
    }

    /// <summary>Kestrel's "address already in use", however deep it is wrapped.</summary>
    private static Exception? FindAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is Microsoft.AspNetCore.Connections.AddressInUseException
                || ex is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
            {
                return ex;
            }
        }

        return null;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
