using System.Management.Automation;
using NetworkAsCode.Completers;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>Extends sessions by a number of seconds.</summary>
    [Cmdlet(VerbsData.Update, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class UpdateNacQodSessionCommand : NacRequestCmdlet
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

        /// <summary>Seconds to add, 1 to 86399.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNac(NacRule.Extension, "ExtendBy")]
        public int ExtendBy { get; set; }

        protected override void ProcessRecord()
        {
            string[] ids = ParameterSetName == ByObject ? new[] { InputObject.SessionId } : SessionId;
            foreach (string id in ids)
            {
                if (!ConfirmAction(id, $"Extend QoD session by {ExtendBy} s")) continue;
                try
                {
                    // The piped session is what the extension is checked against if its outcome is unknown.
                    QodSession? before = ParameterSetName == ByObject ? InputObject : null;
                    WriteSession(Run(cancel => Client.ExtendSessionAsync(id, ExtendBy, cancel, before)));
                }
                catch (NacException e)
                {
                    WriteNacError(e, ParameterSetName == ByObject ? (object)InputObject : id);
                }
            }
        }
    }
}
