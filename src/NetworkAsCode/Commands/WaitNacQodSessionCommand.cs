using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading.Tasks;
using NetworkAsCode.Http;

namespace NetworkAsCode.Commands
{
    /// <summary>Waits until sessions reach a status (AVAILABLE by default) and emits them.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "NacQodSession", DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class WaitNacQodSessionCommand : NacSessionCmdlet
    {
        private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(250);
        private static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(5);

        /// <summary>The status to wait for.</summary>
        [Parameter]
        [ValidateSet("Available", "Unavailable", IgnoreCase = true)]
        public string Status { get; set; } = "Available";

        /// <summary>-TimeoutSec bounds the whole wait for each session here (default 60 s); each request keeps the default timeout.</summary>
        protected override int? RequestTimeoutSec => null;

        private int WaitSeconds => TimeoutSec ?? 60;

        protected override void ProcessRecord()
        {
            foreach (var (id, known) in Targets()) Wait(id, known);
        }

        private void Wait(string id, QodSession? known)
        {
            string wanted = Status.ToUpperInvariant();
            var progress = new Progress(this, 0x4E4145, $"Waiting for QoD session {id} to become {wanted}");
            var clock = Stopwatch.StartNew();
            var interval = FirstInterval;
            try
            {
                while (true)
                {
                    QodSession session;
                    try
                    {
                        session = Run(cancel => Client.GetSessionAsync(id, cancel));
                    }
                    catch (NacException e)
                    {
                        WriteNacError(e, (object?)known ?? id);
                        return;
                    }
                    if (session.Device == null && known != null) session.Device = known.Device;
                    if (string.Equals(session.Status, wanted, StringComparison.OrdinalIgnoreCase))
                    {
                        WriteSession(session);
                        return;
                    }
                    if (wanted == "AVAILABLE" && session.Status == "UNAVAILABLE")
                    {
                        Fail("NacSessionEnded", ErrorCategory.InvalidResult, session, new InvalidOperationException(
                            $"QoD session {id} became UNAVAILABLE ({session.StatusInfo ?? "no reason given"}) instead of AVAILABLE; it will not become AVAILABLE any more."));
                        return;
                    }
                    var left = TimeSpan.FromSeconds(WaitSeconds) - clock.Elapsed;
                    if (left <= TimeSpan.Zero)
                    {
                        Fail("NacWaitTimeout", ErrorCategory.OperationTimeout, session, new TimeoutException(
                            $"QoD session {id} is still {session.Status} after {WaitSeconds} s; it did not become {wanted}. Wait longer with -TimeoutSec, or check it with Get-NacQodSession."));
                        return;
                    }
                    progress.Update((int)clock.Elapsed.TotalSeconds, WaitSeconds, $"{session.Status} for {clock.Elapsed.TotalSeconds:0} s (timeout {WaitSeconds} s)");
                    var pause = interval < left ? interval : left;
                    Run(cancel => Task.Delay(pause, cancel));
                    interval = TimeSpan.FromTicks(Math.Min(LongestInterval.Ticks, (long)(interval.Ticks * 1.5)));
                }
            }
            finally
            {
                progress.Complete();
            }
        }

        private void Fail(string id, ErrorCategory category, QodSession session, Exception error) =>
            WriteError(new ErrorRecord(error, id, category, session)
            {
                ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = "Check the session with Get-NacQodSession." },
            });
    }
}
