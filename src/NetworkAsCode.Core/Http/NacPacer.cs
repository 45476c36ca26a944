using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// Paces every request to one gateway endpoint with one API key, for the whole process (every runspace,
    /// cmdlet and worker shares it), so that a rate limit slows everyone down instead of failing items.
    /// <para>
    /// Until the first rate-limit 429 it only counts requests in flight (no wait, no allocation). A 429
    /// engages it: the number of requests allowed in flight is cut in half (once per burst of 429s) and grows
    /// back by about one per window of successes (AIMD); everyone waits out a shared pause with jitter that
    /// doubles while 429s continue without a success in between. After <see cref="QuietPeriod"/> without a 429
    /// it steps aside again. A spent quota is remembered until it resets: no request is sent before that.
    /// </para>
    /// </summary>
    public sealed class NacPacer
    {
        private static readonly ConcurrentDictionary<string, NacPacer> Shared = new ConcurrentDictionary<string, NacPacer>(StringComparer.Ordinal);

        /// <summary>The pacer of an endpoint root, RapidAPI host and key fingerprint (never the key itself).</summary>
        public static NacPacer For(string root, string rapidApiHost, string keyFingerprint) =>
            Shared.GetOrAdd(root + "\n" + rapidApiHost.ToLowerInvariant() + "\n" + keyFingerprint, _ => new NacPacer());

        /// <summary>A short, one-way fingerprint of an API key: enough to tell keys apart, useless to recover one.</summary>
        public static string Fingerprint(string key)
        {
            using var sha = SHA256.Create();
            byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(key ?? ""));
            var text = new StringBuilder(16);
            for (int i = 0; i < 8; i++) text.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return text.ToString();
        }

        /// <summary>The first shared pause after a 429 without Retry-After; doubled while 429s continue.</summary>
        public TimeSpan BasePause { get; set; } = TimeSpan.FromMilliseconds(50);

        /// <summary>The longest shared pause.</summary>
        public TimeSpan MaxPause { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>How long without a 429 before the pacer steps aside again.</summary>
        public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long a spent quota blocks requests when the gateway did not say when it resets.</summary>
        public TimeSpan UnknownQuotaReset { get; set; } = TimeSpan.FromSeconds(60);

        private const double MaxWindow = 1024;

        private readonly object _gate = new object();
        private readonly LinkedList<TaskCompletionSource<bool>> _waiters = new LinkedList<TaskCompletionSource<bool>>();
        private volatile bool _engaged;
        private int _inFlight;
        private double _window = MaxWindow;
        private long _pauseUntil;           // Stopwatch timestamp
        private long _last429;              // Stopwatch timestamp
        private int _generation;            // bumped at each new pause: 429s of requests sent before it are the same burst
        private int _escalation;
        private bool _successSincePause = true;
        private long _rateLimited, _paused;

        // A spent quota: written rarely, read on every request.
        private volatile QuotaBlock? _quota;

        internal sealed class QuotaBlock
        {
            public QuotaBlock(string quota, DateTimeOffset? resetsAt, DateTimeOffset blockedUntil)
            {
                Quota = quota;
                ResetsAt = resetsAt;
                BlockedUntil = blockedUntil;
            }

            public string Quota { get; }
            public DateTimeOffset? ResetsAt { get; }
            public DateTimeOffset BlockedUntil { get; }
        }

        /// <summary>A permission to send, handed back through <see cref="Leave"/>.</summary>
        internal readonly struct Admission
        {
            public Admission(bool paced, int generation)
            {
                Paced = paced;
                Generation = generation;
            }

            /// <summary>Admitted by the engaged pacer (holds one of the window's slots).</summary>
            public bool Paced { get; }
            public int Generation { get; }
        }

        internal enum Outcome
        {
            /// <summary>A success: the window grows.</summary>
            Succeeded,
            /// <summary>Neither a success nor a rate limit (an error, a timeout, a cancellation): the slot is freed, nothing learned.</summary>
            Failed,
            /// <summary>A rate-limit 429: the window shrinks and everyone pauses.</summary>
            RateLimited,
        }

        /// <summary>Whether a 429 has engaged pacing (for tests and traces).</summary>
        public bool Engaged => _engaged;

        /// <summary>The number of requests allowed in flight while engaged.</summary>
        public int Window
        {
            get { lock (_gate) return _engaged ? Math.Max(1, (int)_window) : int.MaxValue; }
        }

        /// <summary>Rate-limit 429s seen, and shared pauses started, since the process began.</summary>
        public long RateLimitedCount => Interlocked.Read(ref _rateLimited);
        public long PauseCount => Interlocked.Read(ref _paused);

        /// <summary>The spent quota that blocks requests now, if any.</summary>
        internal QuotaBlock? Blocking
        {
            get
            {
                var quota = _quota;
                if (quota == null) return null;
                if (DateTimeOffset.UtcNow < quota.BlockedUntil) return quota;
                _quota = null;
                return null;
            }
        }

        internal void RecordQuota(string quota, DateTimeOffset? resetsAt)
        {
            var until = resetsAt ?? DateTimeOffset.UtcNow + UnknownQuotaReset;
            _quota = new QuotaBlock(quota, resetsAt, until);
        }

        /// <summary>Waits for the shared pause and a free slot. Cancellable at once through <paramref name="cancel"/>.</summary>
        internal ValueTask<Admission> EnterAsync(CancellationToken cancel)
        {
            if (!_engaged)
            {
                Interlocked.Increment(ref _inFlight);
                return new ValueTask<Admission>(default(Admission));
            }
            return new ValueTask<Admission>(EnterPacedAsync(cancel));
        }

        private async Task<Admission> EnterPacedAsync(CancellationToken cancel)
        {
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                TimeSpan pause = TimeSpan.Zero;
                TaskCompletionSource<bool>? slot = null;
                LinkedListNode<TaskCompletionSource<bool>>? node = null;
                lock (_gate)
                {
                    if (!_engaged)
                    {
                        Interlocked.Increment(ref _inFlight);
                        return default;
                    }
                    long now = Stopwatch.GetTimestamp();
                    if (now - _last429 > Ticks(QuietPeriod))
                    {
                        // Long enough without a 429: step aside until the next one.
                        _engaged = false;
                        _window = MaxWindow;
                        _escalation = 0;
                        ReleaseAllWaiters();
                        Interlocked.Increment(ref _inFlight);
                        return default;
                    }
                    if (now < _pauseUntil)
                        pause = TimeSpan.FromTicks((long)((_pauseUntil - now) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                    else if (Volatile.Read(ref _inFlight) < Math.Max(1, (int)_window))
                    {
                        Interlocked.Increment(ref _inFlight);
                        return new Admission(true, _generation);
                    }
                    else
                    {
                        slot = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                        node = _waiters.AddLast(slot);
                    }
                }
                if (slot == null)
                {
                    await Task.Delay(pause < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : pause, cancel).ConfigureAwait(false);
                    continue;
                }
                using (cancel.Register(() =>
                {
                    lock (_gate)
                        if (node!.List != null) _waiters.Remove(node);
                    slot.TrySetCanceled();
                }))
                {
                    await slot.Task.ConfigureAwait(false);
                }
            }
        }

        /// <summary>Hands the slot back and learns from the answer.</summary>
        internal void Leave(Admission admission, Outcome outcome)
        {
            if (outcome != Outcome.RateLimited && !_engaged)
            {
                Interlocked.Decrement(ref _inFlight);
                return;
            }
            lock (_gate)
            {
                Interlocked.Decrement(ref _inFlight);
                // A slot is free: let the next waiter look (it waits out a pause if one has just begun).
                WakeOne();
                if (outcome == Outcome.Failed) return;
                if (outcome == Outcome.Succeeded)
                {
                    _successSincePause = true;
                    if (_window < MaxWindow) _window += 1.0 / Math.Max(1.0, _window);
                    return;
                }
                Interlocked.Increment(ref _rateLimited);
                long now = Stopwatch.GetTimestamp();
                _last429 = now;
                if (!_engaged)
                {
                    _engaged = true;
                    // Half of what was in flight when the limit was hit (this request included).
                    _window = Math.Max(1, (Volatile.Read(ref _inFlight) + 1) / 2);
                    StartPause(now, escalate: false);
                    return;
                }
                if (admission.Paced && admission.Generation != _generation) return;   // same burst as the last pause
                if (now < _pauseUntil) return;
                _window = Math.Max(1, _window / 2);
                StartPause(now, escalate: !_successSincePause);
            }
        }

        private void StartPause(long now, bool escalate)
        {
            if (escalate) _escalation = Math.Min(_escalation + 1, 16);
            else if (_escalation > 0) _escalation--;
            double ms = BasePause.TotalMilliseconds * Math.Pow(2, _escalation);
            ms = Math.Min(ms, MaxPause.TotalMilliseconds) * (0.5 + NextJitter());
            _pauseUntil = now + Ticks(TimeSpan.FromMilliseconds(ms));
            _generation++;
            _successSincePause = false;
            Interlocked.Increment(ref _paused);
        }

        private void WakeOne()
        {
            var first = _waiters.First;
            if (first == null) return;
            _waiters.RemoveFirst();
            first.Value.TrySetResult(true);
        }

        private void ReleaseAllWaiters()
        {
            while (_waiters.First != null) WakeOne();
        }

        private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

        private static readonly Random Jitter = new Random();

        private static double NextJitter()
        {
            lock (Jitter) return Jitter.NextDouble();
        }
    }
}
