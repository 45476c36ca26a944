using System;
using System.Collections.Concurrent;

namespace NetworkAsCode.Simulator.Gateway;

/// <summary>What the gateway's quota and rate checks decided for one request.</summary>
public enum GatewayVerdict
{
    /// <summary>Passed: one token and one unit of quota were taken.</summary>
    Admitted,

    /// <summary>The key's quota for the period is spent (429 quota body, no Retry-After).</summary>
    QuotaExceeded,

    /// <summary>The key's token bucket is empty (429 "Too many requests").</summary>
    RateLimited,
}

/// <summary>The quota as the <c>x-ratelimit-requests-*</c> headers report it.</summary>
/// <param name="Limit">Requests per period.</param>
/// <param name="Remaining">Requests left in this period, after this one.</param>
/// <param name="ResetSeconds">Whole seconds (rounded up) until the period ends.</param>
public readonly record struct QuotaStatus(int Limit, int Remaining, long ResetSeconds);

/// <summary>The decision for one request and, with a quota, the quota after it.</summary>
public readonly record struct GatewayDecision(GatewayVerdict Verdict, QuotaStatus? Quota);

/// <summary>
/// The gateway's per-key quota (fixed window starting at the key's first request, <c>--quota</c> requests per
/// <c>--quota-period-s</c>) and token bucket (<c>--rate-limit</c> tokens per second, <c>--rate-burst</c> at most,
/// full at the key's first request). Each key's check-and-take is atomic, so concurrent requests never take more
/// than the bucket and quota hold. Only admitted requests spend quota and tokens: a refused one costs nothing.
/// </summary>
public sealed class GatewayLimits(SimulatorOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, KeyLimits> _keys = new(StringComparer.Ordinal);

    /// <summary>True when a quota or a rate limit is configured.</summary>
    public bool Enabled => options.Quota > 0 || options.RateLimit > 0;

    /// <summary>Checks the quota, then the rate, and takes one of each when both allow.</summary>
    public GatewayDecision Admit(string key)
    {
        var limits = _keys.GetOrAdd(key, _ => new KeyLimits(time.GetUtcNow(), options.EffectiveRateBurst));
        lock (limits)
        {
            var now = time.GetUtcNow();
            var period = TimeSpan.FromSeconds(options.QuotaPeriodSeconds);
            if (now >= limits.QuotaStart + period)
            {
                limits.QuotaStart = now;
                limits.QuotaUsed = 0;
            }

            if (options.RateLimit > 0)
            {
                var elapsed = Math.Max(0, (now - limits.LastRefill).TotalSeconds);
                limits.Tokens = Math.Min(options.EffectiveRateBurst, limits.Tokens + (elapsed * options.RateLimit));
                limits.LastRefill = now;
            }

            GatewayVerdict verdict;
            if (options.Quota > 0 && limits.QuotaUsed >= options.Quota)
            {
                verdict = GatewayVerdict.QuotaExceeded;
            }
            else if (options.RateLimit > 0 && limits.Tokens < 1)
            {
                verdict = GatewayVerdict.RateLimited;
            }
            else
            {
                verdict = GatewayVerdict.Admitted;
                limits.Tokens -= 1;
                limits.QuotaUsed++;
            }

            return new GatewayDecision(verdict, QuotaOf(limits, now, period));
        }
    }

    /// <summary>Forgets every key's quota and bucket (POST /_simulator/reset).</summary>
    public void Reset() => _keys.Clear();

    private QuotaStatus? QuotaOf(KeyLimits limits, DateTimeOffset now, TimeSpan period)
    {
        if (options.Quota <= 0)
        {
            return null;
        }

        var reset = (long)Math.Ceiling(Math.Max(0, (limits.QuotaStart + period - now).TotalSeconds));
        return new QuotaStatus(options.Quota, Math.Max(0, options.Quota - limits.QuotaUsed), reset);
    }

    /// <summary>One key's state; guarded by locking the instance.</summary>
    private sealed class KeyLimits(DateTimeOffset start, int burst)
    {
        public DateTimeOffset QuotaStart { get; set; } = start;

        public int QuotaUsed { get; set; }

        public double Tokens { get; set; } = burst;

        public DateTimeOffset LastRefill { get; set; } = start;
    }
}
