using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>Command-line parsing, the loopback-only rule, and the real executable.</summary>
public sealed class OptionsAndProcessTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5050")]
    [InlineData("http://+:5050")]
    [InlineData("http://*:5050")]
    [InlineData("http://192.168.1.10:5050")]
    [InlineData("http://example.com:5050")]
    [InlineData("http://[::]:5050")]
    [InlineData("https://127.0.0.1:5050")]
    [InlineData("http://127.0.0.1:5050;http://0.0.0.0:5051")]
    [InlineData("127.0.0.1:5050")]
    public void Non_loopback_or_non_http_urls_are_rejected(string urls)
    {
        var error = Assert.Throws<ArgumentException>(() => SimulatorOptions.Parse(["--urls", urls]));

        Assert.Contains("--urls", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5050")]
    [InlineData("http://localhost:0")]
    [InlineData("http://[::1]:5051")]
    [InlineData("http://127.0.0.1:0;http://[::1]:0")]
    public void Loopback_urls_are_accepted(string urls)
    {
        var (options, help) = SimulatorOptions.Parse([$"--urls={urls}"]);

        Assert.False(help);
        Assert.NotEmpty(options!.Urls);
    }

    [Fact]
    public void All_switches_parse()
    {
        var (options, _) = SimulatorOptions.Parse(
        [
            "--api-key", "K", "--latency-ms", "10", "--fail-rate", "0.25", "--throttle-every", "5", "--retry-after", "3",
            "--available-delay-ms", "0", "--terminate-after-ms", "100", "--retention-s", "7", "--seed", "9", "--notification-timeout-ms", "50",
        ], _ => null);

        Assert.Equal(
            new SimulatorOptions
            {
                ApiKey = "K", LatencyMs = 10, FailRate = 0.25, ThrottleEvery = 5, RetryAfterSeconds = 3, AvailableDelayMs = 0,
                TerminateAfterMs = 100, RetentionSeconds = 7, Seed = 9, NotificationTimeoutMs = 50, Urls = options!.Urls,
            },
            options);
    }

    [Theory]
    [InlineData("--fail-rate", "1.5")]
    [InlineData("--fail-rate", "x")]
    [InlineData("--latency-ms", "-1")]
    [InlineData("--no-such-switch", "1")]
    [InlineData("--api-key", "")]
    public void Bad_switches_are_rejected(string name, string value)
    {
        Assert.Throws<ArgumentException>(() => SimulatorOptions.Parse([name, value]));
    }

    [Fact]
    public void Help_is_recognised_and_documents_every_switch()
    {
        Assert.True(SimulatorOptions.Parse(["--help"]).Help);
        foreach (var name in new[] { "--urls", "--api-key", "--latency-ms", "--fail-rate", "--throttle-every", "--retry-after", "--seed",
                     "--available-delay-ms", "--terminate-after-ms", "--retention-s" })
        {
            Assert.Contains(name, SimulatorOptions.HelpText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Executable_refuses_a_non_loopback_url_with_exit_code_2()
    {
        var (exitCode, _, stderr) = await RunToEndAsync("--urls", "http://0.0.0.0:5050");

        Assert.Equal(2, exitCode);
        Assert.Contains("loopback", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Executable_prints_the_real_port_for_port_zero_and_serves_requests()
    {
        using var process = Start("--urls", "http://127.0.0.1:0", "--available-delay-ms", "0");
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            string? baseUrl = null;
            while (baseUrl is null && DateTime.UtcNow < deadline)
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
                Assert.NotNull(line);
                var match = Regex.Match(line, @"Now listening on: (http://127\.0\.0\.1:(\d+))");
                if (match.Success)
                {
                    Assert.NotEqual("0", match.Groups[2].Value);
                    baseUrl = match.Groups[1].Value;
                }
            }

            Assert.NotNull(baseUrl);
            using var client = TestSimulator.CreateClient(new Uri(baseUrl + "/"), "k");
            var response = await client.GetAsync("qos-profiles/v1/qos-profiles/QOS_E");
            Assert.Equal(200, (int)response.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static Process Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "NetworkAsCode.Simulator.dll");
        Assert.True(File.Exists(dll), dll);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunToEndAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return (process.ExitCode, await stdout, await stderr);
    }
}
