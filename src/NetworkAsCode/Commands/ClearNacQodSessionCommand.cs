using System;
using System.Collections.Generic;
using System.Management.Automation;
using NetworkAsCode.Http;

namespace NetworkAsCode.Commands
{
    /// <summary>Deletes every session of each device piped in, asking once per device.</summary>
    [Cmdlet(VerbsCommon.Clear, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(QodSession))]
    public sealed class ClearNacQodSessionCommand : NacApiCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Device Device { get; set; } = null!;

        /// <summary>Do not ask for confirmation. -WhatIf still only reports.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit each removed session.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many deletes may run at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        protected override void ProcessRecord()
        {
            IReadOnlyList<QodSession> sessions;
            try
            {
                sessions = Run(cancel => Client.GetSessionsAsync(Device, cancel));
            }
            catch (NacException e)
            {
                WriteNacError(e, Device);
                return;
            }
            if (sessions.Count == 0)
            {
                WriteVerbose($"Device {Device} has no QoD sessions.");
                return;
            }
            if (!ShouldClear(sessions)) return;

            var progress = new Progress(this, 0x4E4143, $"Removing the QoD sessions of {Device}");
            int done = 0;
            void Advance() => progress.Update(++done, sessions.Count, $"{done} of {sessions.Count} removed or failed");
            var work = new BoundedWork<QodSession, bool>(this, ThrottleLimit,
                async (session, cancel) => { await Client.DeleteSessionAsync(session.SessionId, cancel).ConfigureAwait(false); return true; },
                (session, _) =>
                {
                    State.ForgetSession(session.SessionId);
                    WriteVerbose($"Removed QoD session {session.SessionId}.");
                    if (PassThru) WriteObject(session);
                    Advance();
                },
                (session, error) =>
                {
                    // Gone between the list and the delete (expired or removed elsewhere): the goal is met.
                    if (error is NacApiException api && api.StatusCode == 404) WriteVerbose($"QoD session {session.SessionId} was already gone.");
                    else if (error is NacException) WriteNacError(error, session);
                    else throw error;
                    Advance();
                });
            try
            {
                foreach (var session in sessions) work.Start(session);
                work.Finish();
            }
            finally
            {
                progress.Complete();
            }
        }

        /// <summary>
        /// -WhatIf lists each session; otherwise one question per device, which -Force skips unless
        /// -Confirm is given explicitly.
        /// </summary>
        private bool ShouldClear(IReadOnlyList<QodSession> sessions)
        {
            if (CommonSwitchInEffect("WhatIf", "WhatIfPreference"))
            {
                foreach (var session in sessions) ShouldProcess(session.SessionId, "Remove QoD session");
                return false;
            }
            bool confirmBound = MyInvocation.BoundParameters.ContainsKey("Confirm");
            if (Force && !confirmBound) return true;
            return ConfirmAction(Device.ToString(), $"Remove {sessions.Count} QoD session(s)");
        }
    }
}
