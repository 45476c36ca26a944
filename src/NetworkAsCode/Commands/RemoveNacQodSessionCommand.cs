using System.Management.Automation;
using NetworkAsCode.Http;

namespace NetworkAsCode.Commands
{
    /// <summary>Deletes sessions, ending their prioritised connectivity; piped sessions several at a time.</summary>
    [Cmdlet(VerbsCommon.Remove, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class RemoveNacQodSessionCommand : NacSessionCmdlet
    {
        /// <summary>Emit each removed session (as last known; an id-only input gives an object with the SessionId).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many deletes may run at once for piped sessions. With more than 1, -PassThru emits in completion order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        private BoundedWork<(string id, QodSession? known), bool>? _work;
        private Progress? _progress;
        private int _started;
        private int _finished;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _progress = new Progress(this, 0x4E4146, "Removing QoD sessions");
            _work = new BoundedWork<(string id, QodSession? known), bool>(this, ThrottleLimit,
                async (target, cancel) => { await Client.DeleteSessionAsync(target.id, cancel).ConfigureAwait(false); return true; },
                (target, _) =>
                {
                    State.ForgetSession(target.id);
                    if (PassThru) WriteObject(target.known ?? new QodSession(target.id, "", "DELETED"));
                    Finished();
                },
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
                if (!ConfirmAction(target.id, "Remove QoD session")) continue;
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
            if (_started > 1) _progress?.Update(_finished, 0, $"{_finished} of {_started} sessions removed or failed");
        }
    }
}
