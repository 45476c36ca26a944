using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>The real executable: the key from the environment, and a port in use reported in one line.</summary>
public sealed class SimulatorProcessTests
{
    [Fact]
    public async Task The_executable_takes_its_key_from_NAC_SIMULATOR_API_KEY()
    {
        using var process = Start(new Dictionary<string, string> { [SimulatorOptions.ApiKeyEnvironmentVariable] = "env-key-123" },
            "--urls", "http://127.0.0.1:0");
        try
        {
            var baseUrl = await ReadBaseUrlAsync(process);
            using var right = TestSimulator.CreateClient(baseUrl, "env-key-123");
            using var wrong = TestSimulator.CreateClient(baseUrl, "other-key");

            Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("qos-profiles/v1/qos-profiles/QOS_E")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await wrong.GetAsync("qos-profiles/v1/qos-profiles/QOS_E")).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_port_in_use_exits_with_code_1_and_one_line_naming_the_port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        using var process = Start(new Dictionary<string, string>(), "--urls", $"http://127.0.0.1:{port}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, process.ExitCode);
        Assert.Equal(
            $"error: port {port} on 127.0.0.1 is in use (another program listens there): choose another port, or 0 for a free one.",
            (await stderr).Trim());
        Assert.DoesNotContain("   at ", await stdout, StringComparison.Ordinal);
    }

    private static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "NetworkAsCode.Simulator.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove(SimulatorOptions.ApiKeyEnvironmentVariable);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }

    private static async Task<Uri> ReadBaseUrlAsync(Process process)
    {
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(line);
            var match = Regex.Match(line, @"Now listening on: (http://127\.0\.0\.1:\d+)");
            if (match.Success)
            {
                return new Uri(match.Groups[1].Value + "/");
            }
        }
    }
}
