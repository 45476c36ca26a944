using System.Management.Automation;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// Extends sessions by a number of seconds; a session still REQUESTED is first waited for until
    /// AVAILABLE, the whole extension of each session within -TimeoutSec. Piped sessions are extended several at a time.
    /// </summary>
    [Cmdlet(VerbsData.Update, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
    [OutputType(typeof(QodSession))]
    public sealed class UpdateNacQodSessionCommand : NacBulkSessionCmdlet<QodSession>
    {
        /// <summary>Seconds to add, 1 to 86399.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNac(NacRule.Extension, "ExtendBy")]
        public int ExtendBy { get; set; }

        /// <summary>How many extensions may run at once for piped sessions. Default 1, which keeps the input order; with more, sessions are emitted as they complete.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var flows = new QodSessionFlows(Client);
            // Each extension is one operation with one deadline (-TimeoutSec) from when it starts: a session
            // still REQUESTED is read, waited for and extended within it.
            var limit = Client.RetryPolicy.Timeout;
            StartBulk(ThrottleLimit, 0x4E4147, "Extending QoD sessions", "extended",
                // A piped session is what the extension is checked against if its outcome is unknown.
                (target, cancel) => flows.ExtendWhenAvailableAsync(target.id, ExtendBy, limit, cancel, target.known),
                (_, session) => WriteSession(session));
        }

        protected override void ProcessRecord() => Submit($"Extend QoD session by {ExtendBy} s");
    }
}
