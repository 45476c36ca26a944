using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// Deletes every session of each device piped in (or of each piped session's device), asking once per
    /// device. Many devices are worked on at once: their lists and deletes share one -ThrottleLimit.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(QodSession))]
    public sealed class ClearNacQodSessionCommand : NacApiCmdlet
    {
        /// <summary>The devices whose sessions to remove. A piped session stands for its device.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        [DeviceArgument(AcceptSession = true)]
        public Device Device { get; set; } = null!;

        /// <summary>Do not ask for confirmation. -WhatIf still only reports.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit each removed session.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many requests (lists and deletes) may run at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>One step of the work: list a device's sessions, or delete one of them.</summary>
        private sealed class Step
        {
            public Step(Device device, QodSession? session)
            {
                Device = device;
                Session = session;
            }

            public Device Device { get; }
            public QodSession? Session { get; }
        }

        private BoundedWork<Step, IReadOnlyList<QodSession>>? _work;
        private Progress? _progress;
        private readonly HashSet<string> _devicesSeen = new HashSet<string>(StringComparer.Ordinal);
        private int _toRemove;
        private int _removed;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _progress = new Progress(this, 0x4E4143, "Removing QoD sessions");
            _work = new BoundedWork<Step, IReadOnlyList<QodSession>>(this, ThrottleLimit, RunStep, Succeeded, Failed);
        }

        protected override void ProcessRecord()
        {
            // Two sessions of one device piped in: that device is cleared once.
            if (!_devicesSeen.Add(Device.ToString())) return;
            _work!.Start(new Step(Device, null));
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

        private async Task<IReadOnlyList<QodSession>> RunStep(Step step, CancellationToken cancel)
        {
            if (step.Session == null) return await Client.GetSessionsAsync(step.Device, cancel).ConfigureAwait(false);
            await Client.DeleteSessionAsync(step.Session.SessionId, cancel).ConfigureAwait(false);
            return Array.Empty<QodSession>();
        }

        /// <summary>On the pipeline thread: a list asks (once per device) and starts the deletes; a delete is reported.</summary>
        private void Succeeded(Step step, IReadOnlyList<QodSession> sessions)
        {
            if (step.Session != null)
            {
                State.ForgetSession(step.Session.SessionId);
                WriteVerbose($"Removed QoD session {step.Session.SessionId}.");
                if (PassThru) WriteObject(step.Session);
                Advance();
                return;
            }
            if (sessions.Count == 0)
            {
                WriteVerbose($"Device {step.Device} has no QoD sessions.");
                return;
            }
            if (!ShouldClear(step.Device, sessions)) return;
            _toRemove += sessions.Count;
            foreach (var session in sessions) _work!.Start(new Step(step.Device, session));
        }

        private void Failed(Step step, Exception error)
        {
            if (step.Session == null)
            {
                if (error is NacException) WriteNacError(error, step.Device);
                else throw error;
                return;
            }
            // Gone between the list and the delete (expired or removed elsewhere): the goal is met.
            if (error is NacApiException api && api.StatusCode == 404) WriteVerbose($"QoD session {step.Session.SessionId} was already gone.");
            else if (error is NacException) WriteNacError(error, step.Session);
            else throw error;
            Advance();
        }

        private void Advance()
        {
            _removed++;
            _progress!.Update(_removed, _toRemove, $"{_removed} of {_toRemove} sessions removed or failed");
        }

        /// <summary>
        /// -WhatIf lists each session; otherwise one question per device, which -Force skips unless
        /// -Confirm is given explicitly.
        /// </summary>
        private bool ShouldClear(Device device, IReadOnlyList<QodSession> sessions)
        {
            if (CommonSwitchInEffect("WhatIf", "WhatIfPreference"))
            {
                foreach (var session in sessions) ShouldProcess(session.SessionId, "Remove QoD session");
                return false;
            }
            bool confirmBound = MyInvocation.BoundParameters.ContainsKey("Confirm");
            if (Force && !confirmBound) return true;
            return ConfirmAction(device.ToString(), $"Remove {sessions.Count} QoD session(s)");
        }
    }
}
