using System.Management.Automation;
using NetworkAsCode.Completers;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>Deletes sessions, ending their prioritised connectivity.</summary>
    [Cmdlet(VerbsCommon.Remove, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class RemoveNacQodSessionCommand : NacRequestCmdlet
    {
        private const string ById = "ById";
        private const string ByObject = "ByObject";

        [Parameter(Mandatory = true, ParameterSetName = ById, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(SessionIdCompleter))]
        [ValidateNac(NacRule.SessionId, "SessionId")]
        public string[] SessionId { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
        [ValidateNotNull]
        public QodSession InputObject { get; set; } = null!;

        /// <summary>Emit each removed session (as last known; an id-only input gives an object with the SessionId).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByObject)
            {
                Remove(InputObject.SessionId, InputObject);
                return;
            }
            foreach (string id in SessionId) Remove(id, null);
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
