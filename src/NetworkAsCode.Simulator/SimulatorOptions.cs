using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetworkAsCode.Simulator;

/// <summary>
/// Command-line options of the simulator. <see cref="Parse"/> reads <c>--name value</c> or <c>--name=value</c>;
/// <see cref="HelpText"/> documents them (printed by <c>--help</c>).
/// </summary>
public sealed record SimulatorOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5050";

    /// <summary>Listening URLs (http only, host 127.0.0.1, localhost or [::1]; port 0 picks a free port).</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>When set, only this X-RapidAPI-Key (or Bearer token) is accepted.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Delay added to every API response, in milliseconds.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Fraction (0..1) of API requests answered 503 UNAVAILABLE without doing anything.</summary>
    public double FailRate { get; init; }

    /// <summary>Every Nth API request is answered 429 TOO_MANY_REQUESTS (0 = never).</summary>
    public int ThrottleEvery { get; init; }

    /// <summary>Retry-After value (seconds) sent with 429 and 503 answers.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>REQUESTED → AVAILABLE delay in milliseconds (0: the 201 already says AVAILABLE).</summary>
    public int AvailableDelayMs { get; init; } = 500;

    /// <summary>How long after AVAILABLE a session of +99999990500 is terminated by the network, in milliseconds.</summary>
    public int TerminateAfterMs { get; init; } = 3000;

    /// <summary>How long an UNAVAILABLE session is kept before it is purged, in seconds.</summary>
    public int RetentionSeconds { get; init; } = 360;

    /// <summary>Seed of the random fault choice (--fail-rate), for reproducible runs. Null: random seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Timeout of one notification POST, in milliseconds.</summary>
    public int NotificationTimeoutMs { get; init; } = 5000;

    /// <summary>Stop when this process exits (Start-NacSimulator passes its own pwsh), so no simulator outlives its owner.</summary>
    public int? ParentProcessId { get; init; }

    public static string HelpText => """
        NetworkAsCode.Simulator: a local simulator of the Nokia Network as Code Quality-on-Demand API
        (CAMARA QoD v1.1 at /quality-on-demand/v1, QoS profiles at /qos-profiles/v1). Binds to loopback only.

        Usage: dotnet run --project src/NetworkAsCode.Simulator -- [options]

        Options:
          --urls URL[;URL]          Listening URLs, http only, host 127.0.0.1, localhost or [::1]
                                    (default http://127.0.0.1:5050; port 0 picks a free port, printed
                                    in the "Now listening on:" line). localhost binds 127.0.0.1.
          --api-key KEY             Accept only this X-RapidAPI-Key (or Authorization: Bearer KEY).
                                    Without it any non-empty key is accepted.
          --latency-ms N            Delay every API response by N ms (default 0).
          --fail-rate F             Answer a fraction F (0..1) of API requests with 503 UNAVAILABLE,
                                    before doing anything (default 0).
          --throttle-every N        Answer every Nth API request with 429 TOO_MANY_REQUESTS (default 0 = off).
          --retry-after S           Retry-After seconds sent with 429 and 503 (default 1).
          --seed N                  Seed for the random choice of --fail-rate (reproducible runs).
          --available-delay-ms N    REQUESTED -> AVAILABLE delay in ms (default 500; 0 = the 201 says AVAILABLE).
          --terminate-after-ms N    +99999990500: network terminates the session N ms after AVAILABLE (default 3000).
          --retention-s N           Keep UNAVAILABLE sessions N seconds before purging them (default 360).
          --notification-timeout-ms N  Timeout of one notification POST (default 5000).
          --parent-pid PID           Stop when process PID exits (used by Start-NacSimulator).
          -h, --help                Show this help.

        Simulator phone numbers: +99999990404 -> 404 IDENTIFIER_NOT_FOUND; +99999990422 -> 422
        SERVICE_NOT_APPLICABLE; +99999990500 -> AVAILABLE, then UNAVAILABLE / NETWORK_TERMINATED;
        +99999990204 -> no QoS profiles (retrieve-qos-profiles 200 [], sessions 422 SERVICE_NOT_APPLICABLE).
        Diagnostics (no key needed): GET /_simulator/stats, POST /_simulator/reset.
        """;

    /// <summary>Parses the command line. Returns null options with <c>Help = true</c> for --help.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the message says which.</exception>
    public static (SimulatorOptions? Options, bool Help) Parse(IReadOnlyList<string> args)
    {
        var options = new SimulatorOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?" or "/?")
            {
                return (null, true);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{arg}'. Use --help for the options.");
            }

            string name;
            string value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[2..equals];
                value = arg[(equals + 1)..];
            }
            else
            {
                name = arg[2..];
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"Option --{name} needs a value.");
                }

                value = args[++i];
            }

            options = name.ToLowerInvariant() switch
            {
                "urls" => options with { Urls = ParseUrls(value) },
                "api-key" => options with { ApiKey = value.Length == 0 ? throw new ArgumentException("--api-key must not be empty.") : value },
                "latency-ms" => options with { LatencyMs = Int(name, value, 0, 600_000) },
                "fail-rate" => options with { FailRate = Fraction(name, value) },
                "throttle-every" => options with { ThrottleEvery = Int(name, value, 0, int.MaxValue) },
                "retry-after" => options with { RetryAfterSeconds = Int(name, value, 0, 86_400) },
                "seed" => options with { Seed = Int(name, value, int.MinValue, int.MaxValue) },
                "available-delay-ms" => options with { AvailableDelayMs = Int(name, value, 0, 3_600_000) },
                "terminate-after-ms" => options with { TerminateAfterMs = Int(name, value, 0, 86_400_000) },
                "retention-s" => options with { RetentionSeconds = Int(name, value, 0, 30 * 86_400) },
                "notification-timeout-ms" => options with { NotificationTimeoutMs = Int(name, value, 1, 600_000) },
                "parent-pid" => options with { ParentProcessId = Int(name, value, 1, int.MaxValue) },
                _ => throw new ArgumentException($"Unknown option --{name}. Use --help for the options."),
            };
        }

        return (options, false);
    }

    /// <summary>Checks that every URL is http on a loopback host; returns them normalised.</summary>
    public static IReadOnlyList<string> ParseUrls(string value)
    {
        var urls = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            throw new ArgumentException("--urls needs at least one URL.");
        }

        foreach (var url in urls)
        {
            ToEndpoint(url);
        }

        return urls;
    }

    /// <summary>The loopback address and port of a listening URL, or an error naming the URL.</summary>
    public static (System.Net.IPAddress Address, int Port) ToEndpoint(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException(
                $"--urls: '{url}' is not an http URL like http://127.0.0.1:5050 (https is not supported by the simulator).");
        }

        var address = uri.Host.ToLowerInvariant() switch
        {
            "127.0.0.1" or "localhost" => System.Net.IPAddress.Loopback,
            "[::1]" => System.Net.IPAddress.IPv6Loopback,
            _ => throw new ArgumentException(
                $"--urls: host '{uri.Host}' is not allowed. The simulator binds to loopback only: use 127.0.0.1, localhost or [::1]."),
        };
        if (uri.AbsolutePath is not ("/" or "") || !string.IsNullOrEmpty(uri.Query))
        {
            throw new ArgumentException($"--urls: '{url}' must not have a path or query.");
        }

        return (address, uri.Port);
    }

    private static int Int(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) || result < min || result > max)
        {
            throw new ArgumentException($"--{name} must be an integer between {min} and {max}, not '{value}'.");
        }

        return result;
    }

    private static double Fraction(string name, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var result) || !(result >= 0 && result <= 1))
        {
            throw new ArgumentException($"--{name} must be a number between 0 and 1, not '{value}'.");
        }

        return result;
    }

    /// <summary>One line describing the active switches, printed at startup.</summary>
    public string Describe()
    {
        var parts = new List<string>
        {
            $"available-delay-ms={AvailableDelayMs}",
            $"terminate-after-ms={TerminateAfterMs}",
            $"retention-s={RetentionSeconds}",
            $"api-key={(ApiKey is null ? "any" : "set")}",
        };
        if (LatencyMs > 0)
        {
            parts.Add($"latency-ms={LatencyMs}");
        }

        if (FailRate > 0)
        {
            parts.Add($"fail-rate={FailRate.ToString(CultureInfo.InvariantCulture)}");
        }

        if (ThrottleEvery > 0)
        {
            parts.Add($"throttle-every={ThrottleEvery}");
        }

        if (FailRate > 0 || ThrottleEvery > 0)
        {
            parts.Add($"retry-after={RetryAfterSeconds}");
        }

        if (Seed is not null)
        {
            parts.Add($"seed={Seed}");
        }

        return string.Join(", ", parts.Select(p => p));
    }
}
