using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.Configuration;

namespace NetworkAsCode.Simulator;

/// <summary>
/// Options of the simulator. <see cref="Parse"/> reads them through ASP.NET Core configuration: the environment
/// variable <see cref="ApiKeyEnvironmentVariable"/>, then the command line (<c>--name value</c> or <c>--name=value</c>)
/// through the command-line provider and its switch mappings, bound to this record and checked by its data
/// annotations. <see cref="HelpText"/> documents them (printed by <c>--help</c>).
/// </summary>
public sealed record SimulatorOptions : IValidatableObject
{
    public const string DefaultUrl = "http://127.0.0.1:5050";

    /// <summary>The environment variable holding the API key (same meaning as <c>--api-key</c>; the command line wins).</summary>
    public const string ApiKeyEnvironmentVariable = "NAC_SIMULATOR_API_KEY";

    /// <summary>The environment variable holding unsubscribed keys, comma-separated (same meaning as <c>--unsubscribed-key</c>; the command line wins).</summary>
    public const string UnsubscribedKeysEnvironmentVariable = "NAC_SIMULATOR_UNSUBSCRIBED_KEYS";

    private const string IntegerRange = "{0} must be an integer between {1} and {2}";
    private const string NumberRange = "{0} must be a number between {1} and {2}";
    private const string NotEmpty = "{0} must not be empty";

    /// <summary>Listening URLs (http only, host 127.0.0.1, localhost or [::1]; port 0 picks a free port).</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>When set, only this X-RapidAPI-Key (or Bearer token) is accepted.</summary>
    [Display(Name = "--api-key")]
    [MinLength(1, ErrorMessage = NotEmpty)]
    public string? ApiKey { get; init; }

    /// <summary>Delay added to every API response, in milliseconds.</summary>
    [Display(Name = "--latency-ms")]
    [Range(0, 600_000, ErrorMessage = IntegerRange)]
    public int LatencyMs { get; init; }

    /// <summary>Fraction (0..1) of API requests answered 503 UNAVAILABLE without doing anything.</summary>
    [Display(Name = "--fail-rate")]
    [Range(0.0, 1.0, ErrorMessage = NumberRange)]
    public double FailRate { get; init; }

    /// <summary>Every Nth API request is answered 429 TOO_MANY_REQUESTS (0 = never).</summary>
    [Display(Name = "--throttle-every")]
    [Range(0, int.MaxValue, ErrorMessage = IntegerRange)]
    public int ThrottleEvery { get; init; }

    /// <summary>Retry-After value (seconds) sent with the 429 of --throttle-every and the 503 of --fail-rate.</summary>
    [Display(Name = "--retry-after")]
    [Range(0, 86_400, ErrorMessage = IntegerRange)]
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>REQUESTED → AVAILABLE delay in milliseconds (0: the 201 already says AVAILABLE).</summary>
    [Display(Name = "--available-delay-ms")]
    [Range(0, 3_600_000, ErrorMessage = IntegerRange)]
    public int AvailableDelayMs { get; init; } = 500;

    /// <summary>How long after AVAILABLE a session of +99999990500 is terminated by the network, in milliseconds.</summary>
    [Display(Name = "--terminate-after-ms")]
    [Range(0, 86_400_000, ErrorMessage = IntegerRange)]
    public int TerminateAfterMs { get; init; } = 3000;

    /// <summary>How long an UNAVAILABLE session is kept before it is purged, in seconds.</summary>
    [Display(Name = "--retention-s")]
    [Range(0, 30 * 86_400, ErrorMessage = IntegerRange)]
    public int RetentionSeconds { get; init; } = 360;

    /// <summary>Seed of the random fault choice (--fail-rate), for reproducible runs. Null: random seed.</summary>
    [Display(Name = "--seed")]
    public int? Seed { get; init; }

    /// <summary>Timeout of one notification POST, in milliseconds.</summary>
    [Display(Name = "--notification-timeout-ms")]
    [Range(1, 600_000, ErrorMessage = IntegerRange)]
    public int NotificationTimeoutMs { get; init; } = 5000;

    /// <summary>Stop when this process exits (Start-NacSimulator passes its own pwsh), so no simulator outlives its owner.</summary>
    [Display(Name = "--parent-pid")]
    [Range(1, int.MaxValue, ErrorMessage = IntegerRange)]
    public int? ParentProcessId { get; init; }

    /// <summary>Gateway: requests per second and key (token bucket); 0 = no rate limit.</summary>
    [Display(Name = "--rate-limit")]
    [Range(0.0, 1_000_000.0, ErrorMessage = NumberRange)]
    public double RateLimit { get; init; }

    /// <summary>Gateway: the bucket size; null = max(1, ceiling of <see cref="RateLimit"/>).</summary>
    [Display(Name = "--rate-burst")]
    [Range(1, 1_000_000, ErrorMessage = IntegerRange)]
    public int? RateBurst { get; init; }

    /// <summary>Gateway: Retry-After seconds on the rate-limit 429; null = no Retry-After (the real gateway sends none).</summary>
    [Display(Name = "--rate-retry-after")]
    [Range(0, 86_400, ErrorMessage = IntegerRange)]
    public int? RateLimitRetryAfterSeconds { get; init; }

    /// <summary>Gateway: send that Retry-After as an HTTP date (now + seconds) instead of seconds.</summary>
    [Display(Name = "--rate-retry-after-date")]
    public bool RateLimitRetryAfterAsDate { get; init; }

    /// <summary>Gateway: requests per quota period and key; 0 = no quota.</summary>
    [Display(Name = "--quota")]
    [Range(0, int.MaxValue, ErrorMessage = IntegerRange)]
    public int Quota { get; init; }

    /// <summary>Gateway: the quota period in seconds (default one day; 28 days or more is a MONTHLY quota).</summary>
    [Display(Name = "--quota-period-s")]
    [Range(1, 366 * 86_400, ErrorMessage = IntegerRange)]
    public int QuotaPeriodSeconds { get; init; } = 86_400;

    /// <summary>Gateway: the X-RapidAPI-Host every API request must send (case-insensitive); null = not checked.</summary>
    [Display(Name = "--rapidapi-host")]
    [MinLength(1, ErrorMessage = NotEmpty)]
    public string? RapidApiHost { get; init; }

    /// <summary>Gateway: keys that are valid but not subscribed to the API (answered 403).</summary>
    [Display(Name = "--unsubscribed-key")]
    public IReadOnlyList<string> UnsubscribedKeys { get; init; } = [];

    /// <summary>The rate limiter's bucket size.</summary>
    public int EffectiveRateBurst => RateBurst ?? (int)Math.Max(1, Math.Ceiling(RateLimit));

    public static string HelpText => """
        NetworkAsCode.Simulator: a local simulator of the Nokia Network as Code Quality-on-Demand API
        (CAMARA QoD v1.1 at /quality-on-demand/v1, QoS profiles at /qos-profiles/v1). Binds to loopback only.

        Usage: dotnet run --project src/NetworkAsCode.Simulator -- [options]

        Options:
          --urls URL[;URL]          Listening URLs, http only, host 127.0.0.1, localhost or [::1]
                                    (default http://127.0.0.1:5050; port 0 picks a free port, printed
                                    in the "Now listening on:" line). localhost binds 127.0.0.1.
          --api-key KEY             Accept only this X-RapidAPI-Key (or Authorization: Bearer KEY).
                                    Without it any non-empty key is accepted. The environment variable
                                    NAC_SIMULATOR_API_KEY sets it too, without showing it on the command line.
          --latency-ms N            Delay every API response by N ms (default 0).
          --fail-rate F             Answer a fraction F (0..1) of API requests with 503 UNAVAILABLE,
                                    before doing anything (default 0).
          --throttle-every N        Answer every Nth API request with 429 TOO_MANY_REQUESTS (default 0 = off).
          --retry-after S           Retry-After seconds sent with those 429 and 503 (default 1).
          --seed N                  Seed for the random choice of --fail-rate (reproducible runs).
          --available-delay-ms N    REQUESTED -> AVAILABLE delay in ms (default 500; 0 = the 201 says AVAILABLE).
          --terminate-after-ms N    +99999990500: network terminates the session N ms after AVAILABLE (default 3000).
          --retention-s N           Keep UNAVAILABLE sessions N seconds before purging them (default 360).
          --notification-timeout-ms N  Timeout of one notification POST (default 5000).
          --parent-pid PID          Stop when process PID exits (used by Start-NacSimulator).
          -h, --help                Show this help.

        The RapidAPI gateway in front of the API (all off by default; checked in this order, per key):
          --rapidapi-host H         X-RapidAPI-Host must be H (case-insensitive); else 404 "API doesn't exists".
          --unsubscribed-key K      A valid key not subscribed to the API: 403 (repeat for several keys;
                                    or NAC_SIMULATOR_UNSUBSCRIBED_KEYS, comma-separated).
          --quota N                 N requests per period and key, then 429 with the RapidAPI quota body
                                    until the period ends (no Retry-After).
          --quota-period-s S        The quota period (default 86400; 28 days or more: a MONTHLY quota).
          --rate-limit N            Token bucket of N requests/s per key; over it: 429 "Too many requests".
          --rate-burst N            The bucket size (default max(1, N)).
          --rate-retry-after S      Add Retry-After: S to the rate-limit 429 (default: no Retry-After).
          --rate-retry-after-date   Send that Retry-After as an HTTP date (now + S) instead.
          Every API answer carries x-rapidapi-request-id; with --quota also x-ratelimit-requests-limit,
          -remaining and -reset (seconds until the quota period resets).

        Simulator phone numbers: +99999990404 -> 404 IDENTIFIER_NOT_FOUND; +99999990422 -> 422
        SERVICE_NOT_APPLICABLE; +99999990500 -> AVAILABLE, then UNAVAILABLE / NETWORK_TERMINATED;
        +99999990204 -> no QoS profiles (retrieve-qos-profiles 200 [], sessions 422 SERVICE_NOT_APPLICABLE).
        Diagnostics (no key needed): GET /_simulator/stats, POST /_simulator/reset.
        """;

    /// <summary>How a switch is written on the command line.</summary>
    private enum SwitchKind
    {
        /// <summary><c>--name value</c> or <c>--name=value</c>.</summary>
        Value,

        /// <summary><c>--name</c> alone (or <c>--name=true|false</c>).</summary>
        Flag,

        /// <summary>A value switch that may be given several times (bound to a list).</summary>
        Repeatable,
    }

    /// <summary>Every switch, the configuration key (= property) it sets, and how it is written.</summary>
    private static readonly (string Switch, string Key, SwitchKind Kind)[] Switches =
    [
        ("--urls", nameof(Urls), SwitchKind.Value),
        ("--api-key", nameof(ApiKey), SwitchKind.Value),
        ("--latency-ms", nameof(LatencyMs), SwitchKind.Value),
        ("--fail-rate", nameof(FailRate), SwitchKind.Value),
        ("--throttle-every", nameof(ThrottleEvery), SwitchKind.Value),
        ("--retry-after", nameof(RetryAfterSeconds), SwitchKind.Value),
        ("--seed", nameof(Seed), SwitchKind.Value),
        ("--available-delay-ms", nameof(AvailableDelayMs), SwitchKind.Value),
        ("--terminate-after-ms", nameof(TerminateAfterMs), SwitchKind.Value),
        ("--retention-s", nameof(RetentionSeconds), SwitchKind.Value),
        ("--notification-timeout-ms", nameof(NotificationTimeoutMs), SwitchKind.Value),
        ("--parent-pid", nameof(ParentProcessId), SwitchKind.Value),
        ("--rate-limit", nameof(RateLimit), SwitchKind.Value),
        ("--rate-burst", nameof(RateBurst), SwitchKind.Value),
        ("--rate-retry-after", nameof(RateLimitRetryAfterSeconds), SwitchKind.Value),
        ("--rate-retry-after-date", nameof(RateLimitRetryAfterAsDate), SwitchKind.Flag),
        ("--quota", nameof(Quota), SwitchKind.Value),
        ("--quota-period-s", nameof(QuotaPeriodSeconds), SwitchKind.Value),
        ("--rapidapi-host", nameof(RapidApiHost), SwitchKind.Value),
        ("--unsubscribed-key", nameof(UnsubscribedKeys), SwitchKind.Repeatable),
    ];

    /// <summary>The command-line provider's switch mappings (case-insensitive, as the provider compares them).</summary>
    private static readonly Dictionary<string, string> SwitchMappings =
        Switches.Where(s => s.Kind != SwitchKind.Repeatable).ToDictionary(s => s.Switch, s => s.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses the command line (and the API key variable). Returns null options with <c>Help = true</c> for --help.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the one-line message says which.</exception>
    public static (SimulatorOptions? Options, bool Help) Parse(IReadOnlyList<string> args) =>
        Parse(args, Environment.GetEnvironmentVariable);

    /// <inheritdoc cref="Parse(IReadOnlyList{string})"/>
    public static (SimulatorOptions? Options, bool Help) Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        if (args.Any(a => a is "-h" or "--help" or "-?" or "/?"))
        {
            return (null, true);
        }

        var builder = new ConfigurationBuilder();
        if (environment(ApiKeyEnvironmentVariable) is { Length: > 0 } environmentKey)
        {
            builder.AddInMemoryCollection([new KeyValuePair<string, string?>(nameof(ApiKey), environmentKey)]);
        }

        if (environment(UnsubscribedKeysEnvironmentVariable) is { Length: > 0 } environmentKeys &&
            !args.Any(a => a.StartsWith("--unsubscribed-key", StringComparison.OrdinalIgnoreCase)))
        {
            builder.AddInMemoryCollection(environmentKeys.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select((key, i) => new KeyValuePair<string, string?>($"{nameof(UnsubscribedKeys)}:{i}", key)));
        }

        var configuration = builder.AddCommandLine(CheckShape(args).ToArray(), SwitchMappings).Build();
        var urls = configuration[nameof(Urls)];
        var options = Bind(configuration) with { Urls = urls is null ? [DefaultUrl] : ParseUrls(urls) };
        options.Validate(configuration);
        return (options, false);
    }

    /// <summary>
    /// What the command-line provider leaves alone: it silently ignores an argument without dashes, an unknown
    /// single-dash switch and a last switch without a value, and takes any unknown <c>--name</c> as a key. This
    /// pass refuses those with a message naming the argument, writes flags as <c>--name=true</c> and numbers the
    /// values of a repeatable switch (<c>--UnsubscribedKeys:0=K</c>), which the provider cannot do.
    /// </summary>
    private static List<string> CheckShape(IReadOnlyList<string> args)
    {
        var normalised = new List<string>();
        var repeated = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{arg}'. Use --help for the options.");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            var known = Switches.FirstOrDefault(s => string.Equals(s.Switch, name, StringComparison.OrdinalIgnoreCase));
            if (known.Switch is null)
            {
                throw new ArgumentException($"Unknown option {name}. Use --help for the options.");
            }

            string value;
            if (equals > 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (known.Kind == SwitchKind.Flag)
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new ArgumentException($"Option {known.Switch} needs a value.");
            }

            if (known.Kind == SwitchKind.Repeatable)
            {
                var index = repeated.GetValueOrDefault(known.Key);
                repeated[known.Key] = index + 1;
                normalised.Add(FormattableString.Invariant($"--{known.Key}:{index}={value}"));
            }
            else
            {
                normalised.Add($"{known.Switch}={value}");
            }
        }

        return normalised;
    }

    /// <summary>Binds the configuration; a value that does not convert is reported with its switch.</summary>
    private static SimulatorOptions Bind(IConfiguration configuration)
    {
        foreach (var (name, key, kind) in Switches)
        {
            // The binder would say "Failed to convert configuration value at 'LatencyMs' to type 'System.Int32'":
            // check each value first so the message names the switch the user typed.
            if (kind == SwitchKind.Repeatable || configuration[key] is not { } raw)
            {
                continue;
            }

            var type = typeof(SimulatorOptions).GetProperty(key)!.PropertyType;
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!Converts(type, raw))
            {
                throw new ArgumentException(type == typeof(int) ? $"{name} must be an integer, not '{raw}'."
                    : type == typeof(double) ? $"{name} must be a number, not '{raw}'."
                    : type == typeof(bool) ? $"{name} takes no value (or true/false), not '{raw}'."
                    : $"{name}: '{raw}' is not a valid value.");
            }
        }

        return new SimulatorOptions().BindFrom(configuration);
    }

    private SimulatorOptions BindFrom(IConfiguration configuration)
    {
        // Urls is a ';'-separated list on the command line, not a configuration array: ParseUrls reads it.
        var withoutUrls = new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.AsEnumerable().Where(p => !string.Equals(p.Key, nameof(Urls), StringComparison.OrdinalIgnoreCase)))
            .Build();
        withoutUrls.Bind(this);
        return this;
    }

    private static bool Converts(Type type, string raw) => type switch
    {
        _ when type == typeof(int) => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(double) => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d),
        _ when type == typeof(bool) => bool.TryParse(raw, out _),
        _ => true,
    };

    /// <summary>Checks the data annotations and the rules between switches.</summary>
    /// <exception cref="ArgumentException">The first broken rule, in one line naming the switch.</exception>
    public void Validate() => Validate(null);

    private void Validate(IConfiguration? configuration)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            return;
        }

        var first = results[0];
        var member = first.MemberNames.FirstOrDefault();
        // A value out of range is quoted back ("…between 0 and 600000, not '-1'."); other rules need no quote.
        var isRange = member is not null
            && typeof(SimulatorOptions).GetProperty(member)?.GetCustomAttributes(typeof(RangeAttribute), false).Length > 0;
        var raw = isRange ? configuration?[member!] : null;
        throw new ArgumentException(raw is null ? $"{first.ErrorMessage}." : $"{first.ErrorMessage}, not '{raw}'.");
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        foreach (var url in Urls)
        {
            string? error = null;
            try
            {
                ToEndpoint(url);
            }
            catch (ArgumentException e)
            {
                error = e.Message.TrimEnd('.');
            }

            if (error is not null)
            {
                yield return new ValidationResult(error, [nameof(Urls)]);
            }
        }

        if (UnsubscribedKeys.Any(k => k.Length == 0))
        {
            yield return new ValidationResult("--unsubscribed-key must not be empty", [nameof(UnsubscribedKeys)]);
        }

        if (RateLimit == 0 && (RateBurst is not null || RateLimitRetryAfterSeconds is not null))
        {
            yield return new ValidationResult("--rate-burst and --rate-retry-after need --rate-limit N (N > 0)", [nameof(RateLimit)]);
        }

        if (RateLimitRetryAfterAsDate && RateLimitRetryAfterSeconds is null)
        {
            yield return new ValidationResult("--rate-retry-after-date needs --rate-retry-after S (the seconds to add to now)", [nameof(RateLimitRetryAfterAsDate)]);
        }
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

        if (RapidApiHost is not null)
        {
            parts.Add($"rapidapi-host={RapidApiHost}");
        }

        if (UnsubscribedKeys.Count > 0)
        {
            parts.Add($"unsubscribed-keys={UnsubscribedKeys.Count}");
        }

        if (Quota > 0)
        {
            parts.Add($"quota={Quota}/{QuotaPeriodSeconds}s");
        }

        if (RateLimit > 0)
        {
            parts.Add(FormattableString.Invariant($"rate-limit={RateLimit}/s burst {EffectiveRateBurst}"));
            if (RateLimitRetryAfterSeconds is { } retryAfter)
            {
                parts.Add($"rate-retry-after={retryAfter}{(RateLimitRetryAfterAsDate ? " as a date" : "")}");
            }
        }

        return string.Join(", ", parts);
    }
}
