using System.Management.Automation;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>Extends sessions by a number of seconds.</summary>
    [Cmdlet(VerbsData.Update, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class UpdateNacQodSessionCommand : NacSessionCmdlet
    {
        /// <summary>Seconds to add, 1 to 86399.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNac(NacRule.Extension, "ExtendBy")]
        public int ExtendBy { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var (id, known) in Targets())
            {
                if (!ConfirmAction(id, $"Extend QoD session by {ExtendBy} s")) continue;
                try
                {
                    // A piped session is what the extension is checked against if its outcome is unknown.
                    WriteSession(Run(cancel => Client.ExtendSessionAsync(id, ExtendBy, cancel, known)));
                }
                catch (NacException e)
                {
                    WriteNacError(e, (object?)known ?? id);
                }
            }
        }
    }
}
