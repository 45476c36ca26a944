using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Security;
using NetworkAsCode.Completers;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// Creates a QoD session for each device piped in. A network-terminated session of the same flow that
    /// blocks the create is deleted first; -IfExists says what to do with an active one; -Wait returns each
    /// session once AVAILABLE. On Ctrl+C, the sessions already created are named in a warning.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(QodSession))]
    public sealed class NewNacQodSessionCommand : NacSessionRequestCmdlet
    {
        [Parameter]
        [ValidateNac(NacRule.NotificationUrl, "NotificationUrl")]
        public string? NotificationUrl { get; set; }

        [Parameter]
        [SecureStringTransformation]
        public SecureString? NotificationAuthToken { get; set; }

        [Parameter]
        [ValidateNac(NacRule.FutureTime, "NotificationAuthTokenExpiresAt")]
        public DateTimeOffset? NotificationAuthTokenExpiresAt { get; set; }

        /// <summary>How many creates may run at once for piped devices. With more than 1, sessions are emitted as they complete, not in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>Return each session only once AVAILABLE (within the -TimeoutSec of its whole create); a session that becomes UNAVAILABLE instead fails with its reason.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>When the device already has an active session with the same profile, server and ports: Fail (default), Reuse or Replace.</summary>
        [Parameter]
        public SessionConflictAction IfExists { get; set; } = SessionConflictAction.Fail;

        private BoundedWork<QodSessionRequest, QodSession>? _work;
        private readonly List<QodSession> _created = new List<QodSession>();

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var flows = new QodSessionFlows(Client);
            // Each create is one operation with one deadline (-TimeoutSec): its conflict handling and -Wait included.
            var options = new SessionCreateOptions { IfExists = IfExists, WaitUntilAvailable = Wait };
            _work = new BoundedWork<QodSessionRequest, QodSession>(this, ThrottleLimit,
                (request, cancel) => flows.CreateAsync(request, options, cancel),
                (_, session) => { _created.Add(session); WriteSession(session); },
                (request, error) =>
                {
                    if (error is NacException || error is NacValidationException) WriteNacError(error, request.Device);
                    else throw error;
                });
            _work.ShowProgress(new Progress(this, 0x4E4144, "Creating QoD sessions"), (finished, started) => $"{finished} of {started} devices done");
            _work.Stopped = (done, unknown) =>
            {
                foreach (var (_, session) in done) _created.Add(session);
                WarnCreatedBeforeStop(_created, unknown.Select(r => r.Device));
            };
        }

        /// <summary>Stopped early (Ctrl+C, quota): the sessions that exist because of this command must not be orphaned silently.</summary>
        private void WarnCreatedBeforeStop(IReadOnlyCollection<QodSession> created, IEnumerable<Device> unknown)
        {
            var text = new StringBuilder();
            if (created.Count > 0)
            {
                text.Append($"Stopped after creating {created.Count} QoD session(s) that still exist: ");
                text.Append(string.Join(", ", created.Select(s => $"{s.SessionId} ({s.Device})")));
                text.Append($". Remove them with Remove-NacQodSession -SessionId {string.Join(",", created.Select(s => s.SessionId))}.");
            }
            var pending = unknown.ToList();
            if (pending.Count > 0)
            {
                if (text.Length > 0) text.Append(' ');
                text.Append($"{pending.Count} create(s) were in flight and may have created sessions for: {string.Join(", ", pending)}; " +
                            "Get-NacQodSession lists every session of the API key.");
            }
            if (text.Length > 0) WarnEvenWhenStopping(text.ToString());
        }

        protected override void EndProcessing() => _work?.Finish();

        protected override void ProcessRecord()
        {
            QodSessionRequest request;
            try
            {
                request = NewRequest();
                request.NotificationUrl = NullIfEmpty(NotificationUrl);
                request.NotificationAuthToken = NotificationAuthToken;
                request.NotificationAuthTokenExpiresAt = NotificationAuthTokenExpiresAt;
                request.Validate();
            }
            catch (NacValidationException e)
            {
                WriteNacError(e, Device);
                return;
            }

            if (!ConfirmAction(Device.ToString(), $"Create QoD session ({Profile}, {Duration} s)")) return;
            _work!.Start(request);
        }
    }
}
