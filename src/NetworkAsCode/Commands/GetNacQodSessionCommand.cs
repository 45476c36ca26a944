using System.Management.Automation;
using NetworkAsCode.Completers;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>Gets sessions by id, every session of a device, or (no parameter) every session of the API key.</summary>
    [Cmdlet(VerbsCommon.Get, "NacQodSession", DefaultParameterSetName = All)]
    [OutputType(typeof(QodSession))]
    public sealed class GetNacQodSessionCommand : NacApiCmdlet
    {
        private const string ById = "ById";
        private const string ByDevice = "ByDevice";
        private const string All = "All";

        [Parameter(Mandatory = true, ParameterSetName = ById, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(SessionIdCompleter))]
        [ValidateNac(NacRule.SessionId, "SessionId")]
        public string[] SessionId { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = ByDevice, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Device Device { get; set; } = null!;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == All)
            {
                // Every session of the application: the way to find sessions whose device nobody remembers.
                try
                {
                    foreach (var session in Run(cancel => Client.ListSessionsAsync(cancel))) WriteSession(session);
                }
                catch (NacException e)
                {
                    if (e.StopsCommand) ThrowNacError(e, null);
                    WriteNacError(e, null);
                }
                return;
            }
            if (ParameterSetName == ByDevice)
            {
                try
                {
                    foreach (var session in Run(cancel => Client.GetSessionsAsync(Device, cancel))) WriteSession(session);
                }
                catch (NacException e)
                {
                    if (e.StopsCommand) ThrowNacError(e, Device);
                    WriteNacError(e, Device);
                }
                return;
            }

            foreach (string id in SessionId)
            {
                try
                {
                    WriteSession(Run(cancel => Client.GetSessionAsync(id, cancel)));
                }
                catch (NacException e)
                {
                    // No later id can succeed (an exhausted quota, a wrong gateway host): one error, nothing more sent.
                    if (e.StopsCommand) ThrowNacError(e, id);
                    WriteNacError(e, id);
                }
            }
        }
    }
}
