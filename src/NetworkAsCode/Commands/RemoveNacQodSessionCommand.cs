using System.Management.Automation;
using NetworkAsCode.Http;

namespace NetworkAsCode.Commands
{
    /// <summary>Deletes sessions, ending their prioritised connectivity; piped sessions several at a time.</summary>
    [Cmdlet(VerbsCommon.Remove, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class RemoveNacQodSessionCommand : NacBulkSessionCmdlet<bool>
    {
        /// <summary>Emit each removed session (as last known; an id-only input gives an object with the SessionId).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many deletes may run at once for piped sessions. With more than 1, -PassThru emits in completion order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            StartBulk(ThrottleLimit, 0x4E4146, "Removing QoD sessions", "removed",
                async (target, cancel) => { await Client.DeleteSessionAsync(target.id, cancel).ConfigureAwait(false); return true; },
                (target, _) =>
                {
                    State.ForgetSession(target.id);
                    if (PassThru) WriteObject(target.known ?? new QodSession(target.id, "", "DELETED"));
                });
        }

        protected override void ProcessRecord() => Submit("Remove QoD session");
    }
}
