using System.Management.Automation;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// Extends sessions by a number of seconds; a session still REQUESTED is first waited for (within
    /// -TimeoutSec) until AVAILABLE. Piped sessions are extended several at a time.
    /// </summary>
    [Cmdlet(VerbsData.Update, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class UpdateNacQodSessionCommand : NacSessionCmdlet
    {
        /// <summary>Seconds to add, 1 to 86399.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNac(NacRule.Extension, "ExtendBy")]
        public int ExtendBy { get; set; }

        /// <summary>How many extensions may run at once for piped sessions. With more than 1, sessions are emitted as they complete.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        private BoundedWork<(string id, QodSession? known), QodSession>? _work;
        private Progress? _progress;
        private int _started;
        private int _finished;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var flows = new QodSessionFlows(Client);
            // A session still REQUESTED is waited for at most as long as one operation may take.
            var waitLimit = Client.RetryPolicy.Timeout;
            _progress = new Progress(this, 0x4E4147, "Extending QoD sessions");
            _work = new BoundedWork<(string id, QodSession? known), QodSession>(this, ThrottleLimit,
                // A piped session is what the extension is checked against if its outcome is unknown.
                (target, cancel) => flows.ExtendWhenAvailableAsync(target.id, ExtendBy, waitLimit, cancel, target.known),
                (_, session) => { WriteSession(session); Finished(); },
                (target, error) =>
                {
                    if (error is NacException) WriteNacError(error, (object?)target.known ?? target.id);
                    else throw error;
                    Finished();
                });
        }

        protected override void ProcessRecord()
        {
            foreach (var target in Targets())
            {
                if (!ConfirmAction(target.id, $"Extend QoD session by {ExtendBy} s")) continue;
                _started++;
                _work!.Start(target);
            }
        }

        protected override void EndProcessing()
        {
            try
            {
                _work?.Finish();
            }
            finally
            {
                _progress?.Complete();
            }
        }

        private void Finished()
        {
            _finished++;
            if (_started > 1) _progress?.Update(_finished, 0, $"{_finished} of {_started} sessions extended or failed");
        }
    }
}
