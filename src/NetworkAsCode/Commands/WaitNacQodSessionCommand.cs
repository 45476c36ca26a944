using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading.Tasks;
using NetworkAsCode.Completers;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>Waits until sessions reach a status (AVAILABLE by default) and emits them.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "NacQodSession", DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class WaitNacQodSessionCommand : NacApiCmdlet
    {
        private const string ById = "ById";
        private const string ByObject = "ByObject";
        private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(250);
        private static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(5);

        [Parameter(Mandatory = true, ParameterSetName = ById, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(SessionIdCompleter))]
        [ValidateNac(NacRule.SessionId, "SessionId")]
        public string[] SessionId { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
        [ValidateNotNull]
        public QodSession InputObject { get; set; } = null!;

        /// <summary>The status to wait for.</summary>
        [Parameter]
        [ValidateSet("Available", "Unavailable", IgnoreCase = true)]
        public string Status { get; set; } = "Available";

        /// <summary>How long to wait for each session, in seconds, before failing with NacWaitTimeout.</summary>
        [Parameter]
        [ValidateRange(1, 172800)]
        public int TimeoutSec { get; set; } = 60;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByObject) Wait(InputObject.SessionId, InputObject);
            else foreach (string id in SessionId) Wait(id, null);
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
                    var left = TimeSpan.FromSeconds(TimeoutSec) - clock.Elapsed;
                    if (left <= TimeSpan.Zero)
                    {
                        Fail("NacWaitTimeout", ErrorCategory.OperationTimeout, session, new TimeoutException(
                            $"QoD session {id} is still {session.Status} after {TimeoutSec} s; it did not become {wanted}. Wait longer with -TimeoutSec, or check it with Get-NacQodSession."));
                        return;
                    }
                    progress.Update((int)clock.Elapsed.TotalSeconds, TimeoutSec, $"{session.Status} for {clock.Elapsed.TotalSeconds:0} s (timeout {TimeoutSec} s)");
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
