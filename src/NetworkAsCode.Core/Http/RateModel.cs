using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// What a gateway's token bucket must be, to explain the answers it gave. The bucket holds at most
    /// <see cref="Burst"/> tokens, refills at an unknown rate, and each request takes a token or gets a 429.
    /// Starting from a 429 (the anchor: the bucket was empty then), a rate is too low if some later success would
    /// have found less than a token, and too high if some later 429 would have found one. <see cref="Estimate"/>
    /// finds both bounds by bisection. Only requests started after the anchor count: those in flight at a 429
    /// may have passed the gateway before it.
    /// <para>Each answer counts at the midpoint of its request (when the gateway saw it, as near as the client can
    /// tell). Not thread-safe: the pacer calls it under its lock.</para>
    /// </summary>
    internal sealed class RateModel
    {
        private const int MaxEvents = 4096;
        private const double MaxRate = 1_000_000;
        private const int Steps = 40;
        private const double Slack = 0.25;   // of a token: answers that pass each other on the way back

        private readonly struct Answer
        {
            public Answer(long at, bool limited)
            {
                At = at;
                Limited = limited;
            }

            public long At { get; }
            public bool Limited { get; }
        }

        private readonly List<Answer> _answers = new List<Answer>();
        private long _anchor;                // Stopwatch timestamp of the 429 the model starts from; 0 = none
        private bool _sorted = true;

        /// <summary>The bucket's size: the successes in a row before the first 429.</summary>
        public double Burst { get; set; } = 1;

        public int Count => _answers.Count;

        public void Clear()
        {
            _answers.Clear();
            _anchor = 0;
            _sorted = true;
        }

        /// <summary>Starts over from a 429 received at <paramref name="at"/>.</summary>
        public void Anchor(long at, double burst)
        {
            Clear();
            _anchor = at;
            Burst = Math.Max(1, burst);
        }

        /// <summary>An answer to a request started at <paramref name="started"/> and answered at <paramref name="ended"/>.</summary>
        public void Add(long started, long ended, bool limited)
        {
            if (_anchor == 0)
            {
                if (limited) Anchor(ended, Burst);
                return;
            }
            if (started < _anchor) return;
            if (_answers.Count >= MaxEvents) Rebase();
            long at = started + ((ended - started) / 2);
            if (_answers.Count > 0 && at < _answers[_answers.Count - 1].At) _sorted = false;
            _answers.Add(new Answer(at, limited));
        }

        /// <summary>Keeps the newer half, from its first 429 on (or nothing, until the next 429).</summary>
        private void Rebase()
        {
            Sort();
            for (int i = _answers.Count / 2; i < _answers.Count; i++)
            {
                if (!_answers[i].Limited) continue;
                _anchor = _answers[i].At;
                _answers.RemoveRange(0, i + 1);
                return;
            }
            Clear();
        }

        private void Sort()
        {
            if (_sorted) return;
            _answers.Sort((a, b) => a.At.CompareTo(b.At));
            _sorted = true;
        }

        /// <summary>
        /// The rates (requests per second) that explain every answer since the anchor: at least
        /// <paramref name="low"/> (or the successes could not have passed), at most <paramref name="high"/> (or the
        /// 429s would not have come). False when no rate explains them all (<paramref name="high"/> is then the
        /// rate the 429s allow).
        /// </summary>
        public bool Estimate(double minRate, out double low, out double high)
        {
            Sort();
            low = Bisect(minRate, true);
            high = Bisect(minRate, false);
            return _anchor != 0 && low <= high;
        }

        private double Bisect(double minRate, bool successes)
        {
            // Successes: the least rate with no success short of a token (more rate only helps).
            // 429s: the greatest rate with no 429 that found a token (more rate only hurts).
            if (successes ? !Violates(minRate, true) : Violates(minRate, false)) return minRate;
            if (successes ? Violates(MaxRate, true) : !Violates(MaxRate, false)) return MaxRate;
            double lo = Math.Log(minRate), hi = Math.Log(MaxRate);
            for (int i = 0; i < Steps; i++)
            {
                double mid = (lo + hi) / 2;
                bool bad = Violates(Math.Exp(mid), successes);
                if (successes == bad) lo = mid; else hi = mid;
            }
            return Math.Exp(successes ? hi : lo);
        }

        /// <summary>Plays the answers through a bucket refilling at <paramref name="rate"/>, empty at the anchor.</summary>
        private bool Violates(double rate, bool successes)
        {
            double level = 0, perTick = rate / Stopwatch.Frequency;
            long previous = _anchor;
            foreach (var answer in _answers)
            {
                if (answer.At > previous)
                {
                    level = Math.Min(Burst, level + ((answer.At - previous) * perTick));
                    previous = answer.At;
                }
                if (answer.Limited)
                {
                    if (!successes && level >= 1 + Slack) return true;
                }
                else
                {
                    if (successes && level < 1 - Slack) return true;
                    level -= 1;
                }
            }
            return false;
        }
    }
}
