using System;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using NetworkAsCode.Simulator.Http;

namespace NetworkAsCode.Simulator.Faults;

/// <summary>
/// The fault switches' shared state: the throttle counter and the seeded random source of <c>--fail-rate</c>.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly SimulatorOptions _options;
    private Random _random;
    private long _count;

    public FaultInjector(SimulatorOptions options)
    {
        _options = options;
        _random = NewRandom();
    }

    /// <summary>The fault for the next API request: 429, 503 or none (0). Throttling is decided first.</summary>
    public int Next()
    {
        lock (_gate)
        {
            _count++;
            if (_options.ThrottleEvery > 0 && _count % _options.ThrottleEvery == 0)
            {
                return StatusCodes.Status429TooManyRequests;
            }

            if (_options.FailRate > 0 && _random.NextDouble() < _options.FailRate)
            {
                return StatusCodes.Status503ServiceUnavailable;
            }

            return 0;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _count = 0;
            _random = NewRandom();
        }
    }

    private Random NewRandom() => _options.Seed is { } seed ? new Random(seed) : new Random();
}

/// <summary>
/// <c>--latency-ms</c>: delays every API request (before authentication). Also counts API requests for the stats.
/// </summary>
internal sealed class LatencyMiddleware(RequestDelegate next, SimulatorOptions options, SimulatorStats stats)
{
    public async Task InvokeAsync(HttpContext context)
    {
        stats.Request();
        if (options.LatencyMs > 0)
        {
            await Task.Delay(options.LatencyMs, context.RequestAborted);
        }

        await next(context);
    }
}

/// <summary>
/// <c>--throttle-every N</c> (every Nth authenticated API request → 429 TOO_MANY_REQUESTS) and <c>--fail-rate F</c>
/// (a seeded random fraction → 503 UNAVAILABLE), both with <c>Retry-After</c>, decided after authentication and
/// before the request does anything (no state changes).
/// </summary>
internal sealed class FaultInjectionMiddleware(RequestDelegate next, SimulatorOptions options, FaultInjector faults, SimulatorStats stats)
{
    public Task InvokeAsync(HttpContext context)
    {
        var fault = faults.Next();
        if (fault == 0)
        {
            return next(context);
        }

        context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (fault == StatusCodes.Status429TooManyRequests)
        {
            stats.Throttle();
            return JsonResponses.WriteErrorAsync(context, ApiError.TooManyRequests("Rate limit reached (simulated by --throttle-every)."));
        }

        stats.Fail();
        return JsonResponses.WriteErrorAsync(context, ApiError.Unavailable("Service Unavailable (simulated by --fail-rate)."));
    }
}
