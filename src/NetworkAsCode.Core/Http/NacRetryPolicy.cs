using System;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// How hard to try: retries of operations that are safe to repeat (get, retrieve, delete) on 502, 503,
    /// 504 and transient connection failures; for create and extend only the checks that never duplicate
    /// (see <see cref="NacClient"/>). Rate-limit 429s are retried for every operation through the shared
    /// <see cref="NacPacer"/> and do not count here. Bounded in count, in each wait, and by the time one
    /// operation may take.
    /// </summary>
    public sealed class NacRetryPolicy
    {
        public const string MaxRetriesVariable = "NAC_MAX_RETRIES";
        public const string TimeoutVariable = "NAC_TIMEOUT_SEC";
        public const int DefaultMaxRetries = 3;
        public const int DefaultTimeoutSec = 30;

        public NacRetryPolicy(int maxRetries, TimeSpan timeout)
        {
            if (maxRetries < 0 || maxRetries > 10) throw new ArgumentOutOfRangeException(nameof(maxRetries), "MaxRetry is 0 to 10.");
            if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout must be positive.");
            MaxRetries = maxRetries;
            Timeout = timeout;
        }

        public static NacRetryPolicy Default { get; } = new NacRetryPolicy(DefaultMaxRetries, TimeSpan.FromSeconds(DefaultTimeoutSec));

        /// <summary>Retries after the first attempt for failures other than rate limits; 0 turns every retry off, rate limits included.</summary>
        public int MaxRetries { get; }

        /// <summary>How long one operation may take, every attempt, wait and back-off included, before it fails as timed out.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>The first back-off wait; doubled each retry, with jitter.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>The longest single wait. A Retry-After longer than this (or than the time left) is not waited for: the error is reported instead.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// The policy for a call: explicit values first, then NAC_MAX_RETRIES and NAC_TIMEOUT_SEC, then the defaults.
        /// </summary>
        /// <exception cref="NacConfigurationException">An environment variable holds a value out of range.</exception>
        public static NacRetryPolicy Resolve(int? maxRetries, int? timeoutSec, Func<string, string?>? readEnvironment = null)
        {
            readEnvironment ??= System.Environment.GetEnvironmentVariable;
            int retries = maxRetries ?? ReadInt(readEnvironment, MaxRetriesVariable, 0, 10) ?? DefaultMaxRetries;
            int timeout = timeoutSec ?? ReadInt(readEnvironment, TimeoutVariable, 1, 86400) ?? DefaultTimeoutSec;
            return new NacRetryPolicy(retries, TimeSpan.FromSeconds(timeout));
        }

        private static int? ReadInt(Func<string, string?> readEnvironment, string name, int min, int max)
        {
            string? text = readEnvironment(name);
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (int.TryParse(text!.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) &&
                value >= min && value <= max) return value;
            throw new NacConfigurationException(name, $"The environment variable {name} is '{text}': use a whole number from {min} to {max}, or remove it.");
        }
    }
}
