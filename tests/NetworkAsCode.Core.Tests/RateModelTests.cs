using System;
using System.Collections.Generic;
using System.Diagnostics;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>
    /// The rate model against a token bucket played in simulated time: the bounds it finds hold the bucket's true
    /// rate, they narrow as the answers show more, and answers no single bucket explains are reported as such.
    /// </summary>
    public class RateModelTests
    {
        private static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

        /// <summary>A gateway's token bucket in simulated time.</summary>
        private sealed class Bucket
        {
            private readonly double _rate, _burst;
            private double _tokens, _at;

            public double Rate => _rate;

            public Bucket(double rate, double burst, double at)
            {
                _rate = rate;
                _burst = burst;
                _tokens = burst;
                _at = at;
            }

            public bool Take(double at)
            {
                _tokens = Math.Min(_burst, _tokens + ((at - _at) * _rate));
                _at = at;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }

        /// <summary>
        /// One client, one request at a time, 2 ms each (faster in the burst when the bucket refills a token in 2 ms
        /// or less, or it would never run dry): a burst until the first 429, a Retry-After of one second,
        /// then starts at <paramref name="sendRate"/> per second for <paramref name="seconds"/>; a 429 holds the
        /// client back a second again. Returns the model anchored at the first 429.
        /// </summary>
        private static RateModel Play(Bucket bucket, double burstGuess, double sendRate, double seconds, out int limited)
        {
            var model = new RateModel();
            double t = 100, latency = 0.002;
            limited = 0;
            double burstStep = Math.Min(latency, 0.5 / bucket.Rate);
            while (bucket.Take(t + (burstStep / 2))) t += burstStep;
            t += burstStep;
            model.Anchor(Ticks(t), burstGuess);
            limited++;
            double end = t + seconds;
            t += 1;
            while (t < end)
            {
                bool ok = bucket.Take(t + (latency / 2));
                model.Add(Ticks(t), Ticks(t + latency), limited: !ok);
                if (ok) t += 1 / sendRate;
                else
                {
                    limited++;
                    t += 1 + latency;
                }
            }
            return model;
        }

        [Theory]
        [InlineData(40, 10, 45)]
        [InlineData(40, 10, 80)]
        [InlineData(5, 3, 6)]
        [InlineData(500, 50, 700)]
        public void The_bounds_hold_the_true_rate_when_the_burst_is_known(double rate, double burst, double sendRate)
        {
            var model = Play(new Bucket(rate, burst, 0), burst, sendRate, 6, out int limited);
            Assert.True(limited >= 2, "the client meant to meet the limit more than once");
            Assert.True(model.Estimate(0.1, out double low, out double high), $"no rate explains the answers ({low:F2}..{high:F2})");
            Assert.InRange(rate, low, high);
            Assert.True(high <= low * 1.25, $"the bounds are loose: {low:F2}..{high:F2}");
        }

        [Fact]
        public void Successes_alone_give_a_lower_bound_only()
        {
            // Starts well under the limit after the first 429: no second 429, so nothing bounds the rate from above.
            var model = Play(new Bucket(40, 10, 0), 10, 20, 3, out int limited);
            Assert.Equal(1, limited);
            Assert.True(model.Estimate(0.1, out double low, out double high));
            Assert.InRange(low, 0.1, 40);
            Assert.True(high > 1000, $"an upper bound came from nowhere: {high:F2}");
        }

        [Fact]
        public void Answers_that_no_single_bucket_explains_are_reported()
        {
            // The limit drops from 40 to 10 per second halfway: no one rate explains both halves.
            var model = new RateModel();
            model.Anchor(Ticks(1), 5);
            var answers = new List<(double At, bool Limited)>();
            for (double t = 1.05; t < 3; t += 0.025) answers.Add((t, false));   // 40/s all passed
            answers.Add((3.001, true));
            answers.Add((3.002, true));
            for (double t = 3.1; t < 5; t += 0.05) answers.Add((t, true));      // 20/s all refused
            foreach (var (at, limited) in answers) model.Add(Ticks(at), Ticks(at), limited);
            Assert.False(model.Estimate(0.1, out _, out _));
        }

        [Fact]
        public void Requests_started_before_the_anchor_do_not_count()
        {
            // They may have passed the gateway before the 429 that anchors the model (it found the bucket empty).
            var model = new RateModel();
            model.Anchor(Ticks(10), 5);
            model.Add(Ticks(9.999), Ticks(10.001), limited: false);
            Assert.Equal(0, model.Count);
            model.Add(Ticks(10.5), Ticks(10.501), limited: false);
            Assert.Equal(1, model.Count);
        }
    }
}
