using System;
using System.Collections.Generic;
using Xunit;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>The options through configuration: environment variable, gateway switches, one-line errors.</summary>
public sealed class OptionsConfigurationTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static SimulatorOptions Parse(params string[] args) => SimulatorOptions.Parse(args, NoEnvironment).Options!;

    private static string Error(params string[] args) =>
        Assert.Throws<ArgumentException>(() => SimulatorOptions.Parse(args, NoEnvironment)).Message;

    [Fact]
    public void The_api_key_is_read_from_NAC_SIMULATOR_API_KEY()
    {
        var environment = new Dictionary<string, string?> { [SimulatorOptions.ApiKeyEnvironmentVariable] = "from-env" };

        var (options, _) = SimulatorOptions.Parse([], name => environment.GetValueOrDefault(name));

        Assert.Equal("from-env", options!.ApiKey);
    }

    [Fact]
    public void Unsubscribed_keys_are_read_from_NAC_SIMULATOR_UNSUBSCRIBED_KEYS_unless_the_command_line_names_some()
    {
        var environment = new Dictionary<string, string?> { [SimulatorOptions.UnsubscribedKeysEnvironmentVariable] = "lapsed, trial" };

        Assert.Equal(["lapsed", "trial"], SimulatorOptions.Parse([], name => environment.GetValueOrDefault(name)).Options!.UnsubscribedKeys);
        Assert.Equal(["cli"], SimulatorOptions.Parse(["--unsubscribed-key", "cli"], name => environment.GetValueOrDefault(name)).Options!.UnsubscribedKeys);
    }

    [Fact]
    public void The_command_line_api_key_wins_over_the_environment_and_an_empty_variable_is_unset()
    {
        Assert.Equal("from-cli", SimulatorOptions.Parse(["--api-key", "from-cli"], _ => "from-env").Options!.ApiKey);
        Assert.Null(SimulatorOptions.Parse([], _ => "").Options!.ApiKey);
    }

    [Fact]
    public void Gateway_switches_parse_and_are_off_by_default()
    {
        var defaults = Parse();
        Assert.Equal(0, defaults.RateLimit);
        Assert.Equal(0, defaults.Quota);
        Assert.Null(defaults.RapidApiHost);
        Assert.Empty(defaults.UnsubscribedKeys);
        Assert.Null(defaults.RateLimitRetryAfterSeconds);

        var options = Parse(
            "--rate-limit", "40", "--rate-burst", "10", "--rate-retry-after", "2", "--rate-retry-after-date",
            "--quota", "50", "--quota-period-s", "3", "--rapidapi-host", "h.example", "--unsubscribed-key", "u1", "--UNSUBSCRIBED-KEY=u2");

        Assert.Equal(40, options.RateLimit);
        Assert.Equal(10, options.EffectiveRateBurst);
        Assert.Equal(2, options.RateLimitRetryAfterSeconds);
        Assert.True(options.RateLimitRetryAfterAsDate);
        Assert.Equal(50, options.Quota);
        Assert.Equal(3, options.QuotaPeriodSeconds);
        Assert.Equal("h.example", options.RapidApiHost);
        Assert.Equal(["u1", "u2"], options.UnsubscribedKeys);
    }

    [Theory]
    [InlineData("0.5", 1)]
    [InlineData("40", 40)]
    [InlineData("2.5", 3)]
    public void The_burst_defaults_to_the_rate_rounded_up_and_at_least_one(string rate, int burst)
    {
        Assert.Equal(burst, Parse("--rate-limit", rate).EffectiveRateBurst);
    }

    [Theory]
    [InlineData("--latency-ms must be an integer between 0 and 600000, not '-1'.", "--latency-ms", "-1")]
    [InlineData("--latency-ms must be an integer, not 'soon'.", "--latency-ms", "soon")]
    [InlineData("--fail-rate must be a number between 0 and 1, not '1.5'.", "--fail-rate", "1.5")]
    [InlineData("--fail-rate must be a number, not 'x'.", "--fail-rate", "x")]
    [InlineData("Unknown option --no-such-switch. Use --help for the options.", "--no-such-switch", "1")]
    [InlineData("Unexpected argument 'stray'. Use --help for the options.", "stray")]
    [InlineData("Unexpected argument '-x'. Use --help for the options.", "-x", "1")]
    [InlineData("Option --seed needs a value.", "--seed")]
    [InlineData("--api-key must not be empty.", "--api-key", "")]
    [InlineData("--rapidapi-host must not be empty.", "--rapidapi-host", "")]
    [InlineData("--unsubscribed-key must not be empty.", "--unsubscribed-key", "")]
    [InlineData("--quota-period-s must be an integer between 1 and 31622400, not '0'.", "--quota-period-s", "0")]
    [InlineData("--rate-burst and --rate-retry-after need --rate-limit N (N > 0).", "--rate-burst", "5")]
    [InlineData("--rate-retry-after-date needs --rate-retry-after S (the seconds to add to now).", "--rate-limit", "1", "--rate-retry-after-date")]
    [InlineData("--rate-retry-after-date takes no value (or true/false), not 'yes'.", "--rate-retry-after-date=yes")]
    public void Bad_command_lines_fail_with_one_line_naming_the_switch(string message, params string[] args)
    {
        Assert.Equal(message, Error(args));
    }

    [Fact]
    public void Help_documents_the_gateway_switches_and_the_environment_variable()
    {
        foreach (var name in new[] { "--rate-limit", "--rate-burst", "--rate-retry-after", "--rate-retry-after-date", "--quota",
                     "--quota-period-s", "--rapidapi-host", "--unsubscribed-key", "--notification-timeout-ms", "--parent-pid",
                     SimulatorOptions.ApiKeyEnvironmentVariable })
        {
            Assert.Contains(name, SimulatorOptions.HelpText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_built_in_process_are_validated_when_the_host_is_built()
    {
        var error = Assert.Throws<ArgumentException>(() => SimulatorHost.Build(new SimulatorOptions { Urls = ["http://127.0.0.1:0"], LatencyMs = -5 }));

        Assert.Equal("--latency-ms must be an integer between 0 and 600000.", error.Message);
    }
}
