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
    /// <para>
    /// A 429 that carries Retry-After holds its item back that long; with few requests in flight that stalls the
    /// whole run, and each stall lets the gateway's token bucket refill only up to its burst. So such 429s also
    /// start <em>rate pacing</em>: request starts are spaced at a rate learned from the answers. The rate begins
    /// low and doubles with every <see cref="ProbeDoubling"/> of busy time until 429s bound it; from then on the
    /// starts go just below the rate that a token bucket would need to explain every answer since the first 429
    /// (see <see cref="RateModel"/>). The rate is kept when the pacer steps aside, so the next engagement starts
    /// from it.
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

        /// <summary>While the rate is still being learned, how much busy time doubles it.</summary>
        public TimeSpan ProbeDoubling { get; set; } = TimeSpan.FromMilliseconds(250);

        private const double MaxWindow = 1024;
        private const double MinRate = 0.1;                 // request starts per second
        private const double PaceBelow = 0.97;              // of the learned rate: the bucket keeps a little slack
        private const double QuietGrowthPerSecond = 0.05;   // of a learned rate, with requests in flight
        private static readonly TimeSpan QuietGrowthAfter = TimeSpan.FromSeconds(2);
        private static readonly long LullTicks = NacDeadline.StopwatchTicks(TimeSpan.FromSeconds(1));   // ends a stretch of successes

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

        // Rate pacing after 429s with Retry-After (under _gate, except the stretch counters of the fast path).
        private readonly RateModel _model = new RateModel();
        private bool _rateMode;
        private double _rate;               // request starts per second; 0 = starts are not paced
        private bool _probing;              // no estimate yet: the rate doubles until 429s bound it
        private bool _concurrent;           // the first 429 came with other requests in flight
        private double _learned;            // the rate paced when the pacer last stepped aside (0: none yet)
        private long _rateGrown;            // Stopwatch timestamp of the last growth
        private double _credit;             // the starts the gateway's bucket should allow now (below 0: reserved ahead)
        private double _creditMax;          // the starts that may go at once: LearnedBurst, or less while probing
        private long _creditAt;             // Stopwatch timestamp _credit was last brought up to date
        private bool _burstRefined;         // the burst estimate has been corrected for the refill during the first burst
        private int _stretch;               // successes since the last lull (the first of them emptied the bucket's burst)
        private long _stretchStart;         // Stopwatch timestamp of the first of them
        private int _stretchCount;          // the successes of the stretch that ended with the first 429
        private long _stretchFirstLimited;  // how long that stretch lasted, up to the 429 (ticks)
        private long _lastSuccess;          // Stopwatch timestamp

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
            public Admission(bool paced, int generation, long started = 0)
            {
                Paced = paced;
                Generation = generation;
                Started = started;
            }

            /// <summary>Admitted by the engaged pacer (holds one of the window's slots).</summary>
            public bool Paced { get; }
            public int Generation { get; }

            /// <summary>When a rate-paced request was let go (Stopwatch timestamp; 0 when not rate-paced).</summary>
            public long Started { get; }
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

        /// <summary>The request starts per second the pacer allows (0 while starts are not paced).</summary>
        public double Rate
        {
            get { lock (_gate) return _engaged ? _rate : 0; }
        }

        /// <summary>Whether the rate is still being probed (no 429 has bounded it yet).</summary>
        public bool Probing
        {
            get { lock (_gate) return _engaged && _probing; }
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
                TimeSpan pause = TimeSpan.Zero, pace = TimeSpan.Zero;
                Admission held = default;
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
                    if (now - _last429 > NacDeadline.StopwatchTicks(QuietPeriod))
                    {
                        // Long enough without a 429: step aside until the next one.
                        _engaged = false;
                        _window = MaxWindow;
                        _escalation = 0;
                        if (_rateMode && !_probing) _learned = _rate;
                        _rateMode = false;
                        _rate = 0;
                        _model.Clear();
                        ReleaseAllWaiters();
                        Interlocked.Increment(ref _inFlight);
                        return default;
                    }
                    if (now < _pauseUntil)
                        pause = NacDeadline.FromStopwatchTicks(_pauseUntil - now);
                    else if (Volatile.Read(ref _inFlight) < Math.Max(1, (int)_window))
                    {
                        Interlocked.Increment(ref _inFlight);
                        if (_rate <= 0) return new Admission(true, _generation);
                        // Rate-paced: a start from a bucket that mirrors the gateway's (at a little less than its rate and
                        // burst), reserved ahead when empty, so that waiters go in turn.
                        Refill(now);
                        Probe(now);
                        _credit -= 1;
                        long wait = _credit >= 0 ? 0 : NacDeadline.StopwatchTicks(TimeSpan.FromSeconds(-_credit / _rate));
                        held = new Admission(true, _generation, now + wait);
                        if (wait <= 0) return held;
                        pace = NacDeadline.FromStopwatchTicks(wait);
                    }
                    else
                    {
                        slot = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                        node = _waiters.AddLast(slot);
                    }
                }
                if (pace > TimeSpan.Zero)
                {
                    // Holds its slot while it waits for its start; a cancelled wait hands the slot back.
                    try
                    {
                        await Task.Delay(pace, cancel).ConfigureAwait(false);
                    }
                    catch
                    {
                        Leave(held, Outcome.Failed);
                        throw;
                    }
                    return held;
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

        /// <summary>Hands the slot back and learns from the answer (and from its Retry-After, if a 429 had one).</summary>
        internal void Leave(Admission admission, Outcome outcome, TimeSpan? retryAfter = null)
        {
            if (outcome != Outcome.RateLimited && !_engaged)
            {
                Interlocked.Decrement(ref _inFlight);
                if (outcome == Outcome.Succeeded) CountStretch();
                return;
            }
            lock (_gate)
            {
                Interlocked.Decrement(ref _inFlight);
                // A slot is free: let the next waiter look (it waits out a pause if one has just begun).
                WakeOne();
                if (outcome == Outcome.Failed) return;
                long now = Stopwatch.GetTimestamp();
                if (outcome == Outcome.Succeeded)
                {
                    _successSincePause = true;
                    if (_window < MaxWindow) _window += 1.0 / Math.Max(1.0, _window);
                    if (_rateMode && admission.Started != 0) _model.Add(admission.Started, now, limited: false);
                    return;
                }
                Interlocked.Increment(ref _rateLimited);
                _last429 = now;
                bool costly = retryAfter.HasValue && retryAfter.Value > TimeSpan.Zero;
                if (!_engaged)
                {
                    _engaged = true;
                    // Half of what was in flight when the limit was hit (this request included).
                    _window = Math.Max(1, (Volatile.Read(ref _inFlight) + 1) / 2);
                    if (costly) StartRatePacing(now, retryAfter!.Value, concurrent: Volatile.Read(ref _inFlight) > 0);
                    StartPause(now, escalate: false);
                    return;
                }
                if (costly && !_rateMode) StartRatePacing(now, retryAfter!.Value, concurrent: _window > 1 || Volatile.Read(ref _inFlight) > 0);
                else if (_rateMode && admission.Started != 0)
                {
                    _model.Add(admission.Started, now, limited: true);
                    Learn(now);
                }
                if (admission.Paced && admission.Generation != _generation) return;   // same burst as the last pause
                if (now < _pauseUntil) return;
                _window = Math.Max(1, _window / 2);
                StartPause(now, escalate: !_successSincePause);
            }
        }

        /// <summary>Successes since the last lull of a second or more: at the first 429, the bucket's burst.</summary>
        private void CountStretch()
        {
            long now = Stopwatch.GetTimestamp();
            if (now - Volatile.Read(ref _lastSuccess) > LullTicks)
            {
                Volatile.Write(ref _stretch, 0);
                Volatile.Write(ref _stretchStart, now);
            }
            Interlocked.Increment(ref _stretch);
            Volatile.Write(ref _lastSuccess, now);
        }

        /// <summary>
        /// The first 429 with Retry-After: starts are paced from now on. With no rate learned before, the pacing
        /// begins at the burst spent before this 429 per Retry-After (the bucket refilled at least that fast) and
        /// doubles until 429s bound it.
        /// </summary>
        private void StartRatePacing(long now, TimeSpan retryAfter, bool concurrent)
        {
            _rateMode = true;
            _concurrent = concurrent;
            int stretch = _stretchCount = Math.Max(1, Volatile.Read(ref _stretch));
            _stretchFirstLimited = now - Volatile.Read(ref _stretchStart);
            _burstRefined = false;
            _model.Anchor(now, stretch);
            double seconds = Math.Min(60, Math.Max(0.1, retryAfter.TotalSeconds));
            _probing = _learned <= 0;
            _rate = _probing ? Math.Max(MinRate, stretch / seconds) : _learned;
            _rateGrown = now;
            // While probing, a little less than the burst goes at once (the bucket refilled while the item waited
            // out its Retry-After); then the rate climbs from a bucket that is nearly empty, not full, so the
            // refill is not lost.
            _creditMax = _probing ? Math.Max(1, Math.Floor(0.8 * stretch) - 1) : LearnedBurst;
            _credit = 0;
            _creditAt = now;
        }

        /// <summary>
        /// The successes before the first 429 were the burst plus what the bucket refilled meanwhile (less what
        /// was left, under a token): with a rate known, the burst is the whole number of tokens nearest. Each
        /// better burst gives a better rate; a burst the answers since the first 429 do not bear out is not taken.
        /// </summary>
        private void RefineBurst(ref double low, ref double high)
        {
            double seconds = NacDeadline.FromStopwatchTicks(_stretchFirstLimited).TotalSeconds;
            for (int round = 0; round < 3; round++)
            {
                // The 429 left half a token on average; the first success is timed a little late (its answer, not
                // its pass through the gateway): about a third of a token all told.
                double burst = Math.Max(1, Math.Round(_stretchCount - (Math.Sqrt(low * high) * seconds) + 0.3));
                double before = _model.Burst;
                if (burst >= before) return;
                _model.Burst = burst;
                if (!_model.Estimate(MinRate, out double low2, out double high2) || high2 > low2 * 1.25)
                {
                    _model.Burst = before;
                    return;
                }
                low = low2;
                high = high2;
            }
        }

        /// <summary>A 429 while rate pacing: what rate explains every answer since the first 429?</summary>
        private void Learn(long now)
        {
            bool ok = _model.Estimate(MinRate, out double low, out double high);
            // The burst is an estimate: answers that no bucket of that size explains may come from one a little
            // larger or smaller (tried nearest first, larger first).
            double guessed = _model.Burst;
            for (int step = 1; !ok && step <= 6; step++)
            {
                double burst = guessed + ((step % 2 == 1 ? 1 : -1) * ((step + 1) / 2));
                if (burst < 1) continue;
                _model.Burst = burst;
                ok = _model.Estimate(MinRate, out low, out high);
            }
            if (!ok)
            {
                _model.Burst = guessed;
                // No token bucket explains these answers (the limit changed, or another client shares the key):
                // start over from this 429, a step below what was paced, and probe again.
                _model.Anchor(now, _model.Burst);
                _rate = Math.Max(MinRate, _rate * 0.9);
                _probing = true;
                _creditMax = 1;
            }
            else if (high <= low * 1.25)
            {
                if (!_burstRefined)
                {
                    _burstRefined = true;
                    RefineBurst(ref low, ref high);
                }
                _creditMax = LearnedBurst;
                // Just below the middle of the bounds, and never below what the successes proved.
                _rate = Math.Max(MinRate, Math.Max(low, Math.Sqrt(low * high) * PaceBelow));
                _probing = false;
            }
            else if (_probing)
            {
                // Still loose: the probe goes on, within what the answers allow.
                _rate = Math.Max(low, Math.Min(_rate, high * PaceBelow));
            }
            else
            {
                // A 429 at a learned rate that the answers no longer pin down: step back a little.
                _rate = Math.Max(MinRate, _rate * 0.95);
            }
            _rateGrown = now;
            // The gateway's bucket is empty now: no credit left, only reservations already made.
            Refill(now);
            _credit = Math.Min(_credit, 0);
        }

        /// <summary>The starts a learned rate lets go at once: the bucket's burst, less two for safety.</summary>
        private double LearnedBurst => Math.Max(1, _model.Burst - 2);

        private void Refill(long now)
        {
            if (now > _creditAt)
            {
                _credit = Math.Min(_creditMax, _credit + (_rate * NacDeadline.FromStopwatchTicks(now - _creditAt).TotalSeconds));
                _creditAt = now;
            }
        }

        /// <summary>
        /// While probing, the rate doubles with every <see cref="ProbeDoubling"/> that requests wait for their starts.
        /// A learned rate stays put one request at a time (if the limit rises, the pacer finds out when it steps
        /// aside after <see cref="QuietPeriod"/>), and creeps up with several in flight.
        /// </summary>
        private void Probe(long now)
        {
            double seconds = NacDeadline.FromStopwatchTicks(now - _rateGrown).TotalSeconds;
            _rateGrown = now;
            if (!_probing)
            {
                // With other requests in flight a 429 holds back only its own item, while a rate learned too low
                // (from a burst guessed too large) would hold back every one: after a few seconds without a 429
                // the rate creeps up until one shows where the limit is. One at a time, each 429 stalls the run:
                // the learned rate stays.
                if (_concurrent && now - _last429 > NacDeadline.StopwatchTicks(QuietGrowthAfter) && seconds > 0)
                    _rate *= 1 + (QuietGrowthPerSecond * Math.Min(seconds, 2 / _rate));
                return;
            }
            // Time nobody waited for a start (idle, or held by something else) teaches nothing: two intervals at most count.
            seconds = Math.Min(seconds, 2 / _rate);
            if (seconds > 0) _rate *= Math.Pow(2, seconds / ProbeDoubling.TotalSeconds);
        }

        private void StartPause(long now, bool escalate)
        {
            if (escalate) _escalation = Math.Min(_escalation + 1, 16);
            else if (_escalation > 0) _escalation--;
            double ms = BasePause.TotalMilliseconds * Math.Pow(2, _escalation);
            ms = Math.Min(ms, MaxPause.TotalMilliseconds) * (0.5 + NextJitter());
            _pauseUntil = now + NacDeadline.StopwatchTicks(TimeSpan.FromMilliseconds(ms));
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

        private static readonly Random Jitter = new Random();

        private static double NextJitter()
        {
            lock (Jitter) return Jitter.NextDouble();
        }
    }
}
