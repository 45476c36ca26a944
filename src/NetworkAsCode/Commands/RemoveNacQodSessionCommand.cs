using System.Management.Automation;
using NetworkAsCode.Http;

namespace NetworkAsCode.Commands
{
    /// <summary>Deletes sessions, ending their prioritised connectivity.</summary>
    [Cmdlet(VerbsCommon.Remove, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class RemoveNacQodSessionCommand : NacSessionCmdlet
    {
        /// <summary>Emit each removed session (as last known; an id-only input gives an object with the SessionId).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var (id, known) in Targets()) Remove(id, known);
        }

        private void Remove(string id, QodSession? known)
        {
            if (!ConfirmAction(id, "Remove QoD session")) return;
            try
            {
                Run(cancel => Client.DeleteSessionAsync(id, cancel));
                State.ForgetSession(id);
                if (PassThru) WriteObject(known ?? new QodSession(id, "", "DELETED"));
            }
            catch (NacException e)
            {
                WriteNacError(e, (object?)known ?? id);
            }
        }
    }
}
