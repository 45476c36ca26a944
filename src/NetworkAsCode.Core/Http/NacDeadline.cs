using System;
using System.Diagnostics;
using System.Threading;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// The end of one operation as the user sees it (-TimeoutSec, NAC_TIMEOUT_SEC): a composed flow such as
    /// create, wait until AVAILABLE, extend, gets one deadline, and every request, retry, pacer wait and poll
    /// inside it gets at most what is left of it. Starts when it is made.
    /// <para>
    /// <see cref="NacClient"/>'s calls honour the deadline of the scope they run in (see <see cref="Enter"/>);
    /// outside any scope each call has the policy's timeout of its own, as before, and pays nothing for this.
    /// </para>
    /// </summary>
    public sealed class NacDeadline
    {
        private static readonly AsyncLocal<NacDeadline?> Ambient = new AsyncLocal<NacDeadline?>();

        /// <summary>Scopes open anywhere in the process: while none is, a call does not even read the AsyncLocal.</summary>
        private static int _openScopes;

        private readonly long _ends;

        /// <summary>A deadline <paramref name="limit"/> from now.</summary>
        public NacDeadline(TimeSpan limit)
        {
            if (limit <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(limit), "The time an operation may take must be positive.");
            Limit = limit;
            Started = Stopwatch.GetTimestamp();
            _ends = Started + StopwatchTicks(limit);
        }

        /// <summary>How long the whole operation may take.</summary>
        public TimeSpan Limit { get; }

        /// <summary>The time since the operation started.</summary>
        public TimeSpan Elapsed => FromStopwatchTicks(Stopwatch.GetTimestamp() - Started);

        /// <summary>What is left; zero or less once spent.</summary>
        public TimeSpan Remaining => FromStopwatchTicks(_ends - Stopwatch.GetTimestamp());

        public bool Expired => Stopwatch.GetTimestamp() >= _ends;

        /// <summary>When it started and when it ends, as <see cref="Stopwatch.GetTimestamp"/> values.</summary>
        internal long Started { get; }
        internal long Ends => _ends;

        /// <summary>The deadline of the flow this code runs in, or null outside any.</summary>
        internal static NacDeadline? Current => Volatile.Read(ref _openScopes) == 0 ? null : Ambient.Value;

        /// <summary>
        /// Makes this the deadline of every <see cref="NacClient"/> call in the current async flow until the
        /// scope is disposed. Meant for the start of an async method: what it sets does not leak to the caller.
        /// </summary>
        internal Scope Enter()
        {
            Interlocked.Increment(ref _openScopes);
            var previous = Ambient.Value;
            Ambient.Value = this;
            return new Scope(previous);
        }

        internal readonly struct Scope : IDisposable
        {
            private readonly NacDeadline? _previous;

            public Scope(NacDeadline? previous) => _previous = previous;

            public void Dispose()
            {
                Ambient.Value = _previous;
                Interlocked.Decrement(ref _openScopes);
            }
        }

        /// <summary>Seconds with one decimal, for times measured ("after 4.2 s").</summary>
        internal static string Tenths(TimeSpan span) => span.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Seconds without a needless decimal, for limits ("the 30 s the operation may take").</summary>
        internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

        internal static long StopwatchTicks(TimeSpan span) => (long)(span.Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);

        internal static TimeSpan FromStopwatchTicks(long ticks) => TimeSpan.FromTicks((long)(ticks * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
    }
}
