using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Completers;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// A session that cleans up after itself: creates it, waits until AVAILABLE, runs the script block with
    /// the session as $_, keeps the session alive while the block runs (up to -MaxDuration), and always
    /// deletes it at the end: after success, an error in the block, exit, or Ctrl+C.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(object))]
    public sealed class InvokeNacQodSessionCommand : NacSessionRequestCmdlet
    {
        /// <summary>How long the final delete may take after Ctrl+C or a failure, before a warning names the session instead.</summary>
        private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(3);

        /// <summary>What to run while the session is AVAILABLE; the session is $_ in it.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public ScriptBlock ScriptBlock { get; set; } = null!;

        /// <summary>
        /// The longest the session may last in all, in seconds from when it became AVAILABLE (at least
        /// -Duration). While the block runs, the session is extended before it expires, up to this. Default: -Duration (no extension).
        /// </summary>
        [Parameter]
        [ValidateRange(1, 864000)]
        public int? MaxDuration { get; set; }

        /// <summary>After the block's output, emit the session as it was just before it was deleted.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            QodSessionRequest request;
            try
            {
                if (MaxDuration.HasValue && MaxDuration.Value < Duration)
                    throw new NacValidationException("MaxDuration", $"MaxDuration {MaxDuration.Value} is shorter than Duration {Duration}: it is the longest the session may last in all, so at least Duration.");
                request = NewRequest();
                request.Validate();
            }
            catch (NacValidationException e)
            {
                WriteNacError(e, Device);
                return;
            }
            if (!ConfirmAction(Device.ToString(), $"Create QoD session ({Profile}, {Duration} s), run the script block, then remove the session")) return;

            var flows = new QodSessionFlows(Client);
            QodSession? session = null;
            bool creating = false;
            using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(CancelToken);
            Task<string?>? keeper = null;
            try
            {
                try
                {
                    // The create and the wait for AVAILABLE are one operation with one deadline (-TimeoutSec);
                    // the session is known between them, so that it is removed whatever happens next.
                    var deadline = new NacDeadline(Client.RetryPolicy.Timeout);
                    creating = true;
                    session = Run(cancel => flows.CreateAsync(request, new SessionCreateOptions(), deadline, cancel));
                    creating = false;
                    var created = session;
                    session = Run(cancel => flows.WaitUntilAvailableAsync(created, deadline, cancel));
                }
                catch (NacSessionUnavailableException e)
                {
                    session = e.Session;
                    WriteNacError(e, Device);
                    return;
                }
                catch (NacSessionWaitTimeoutException e)
                {
                    session = e.Session;
                    WriteNacError(e, Device);
                    return;
                }
                catch (NacException e)
                {
                    if (e.StopsCommand) ThrowNacError(e, Device);
                    WriteNacError(e, Device);
                    return;
                }

                var started = session.StartedAt ?? DateTimeOffset.UtcNow;
                var limit = started.AddSeconds(MaxDuration ?? Duration);
                WriteVerbose($"QoD session {session.SessionId} is AVAILABLE until {When(session.ExpiresAt)}; running the script block (kept alive until {When(limit)} at the latest).");
                var available = session;
                keeper = Task.Run(() => KeepAliveAsync(available, limit, keepAlive.Token));

                var output = ScriptBlock.InvokeWithContext(null,
                    new List<PSVariable> { new PSVariable("_", session), new PSVariable("PSItem", session) }, session);
                keepAlive.Cancel();
                FlushTrace();
                string? note = Finished(keeper);
                if (note != null) WriteWarning(note);
                foreach (var item in output) WriteObject(item);
            }
            finally
            {
                keepAlive.Cancel();
                if (keeper != null) Finished(keeper);
                if (session != null) Remove(session);
                else if (creating && Stopping)
                    WarnEvenWhenStopping($"Stopped while creating a QoD session for {Device}: it may exist. Get-NacQodSession -Device lists the device's sessions.");
            }
        }

        /// <summary>Waits briefly for the keep-alive task to end (it was cancelled) and returns what it has to say.</summary>
        private static string? Finished(Task<string?> keeper)
        {
            try
            {
                return keeper.Wait(TimeSpan.FromMilliseconds(500)) ? keeper.Result : null;
            }
            catch (AggregateException)
            {
                return null;
            }
        }

        /// <summary>
        /// Extends the session shortly before each expiry, by -Duration (less near the limit), until the
        /// limit or cancellation. Returns a note for the user when it could not keep the session alive.
        /// </summary>
        private async Task<string?> KeepAliveAsync(QodSession session, DateTimeOffset limit, CancellationToken cancel)
        {
            var lead = TimeSpan.FromSeconds(Math.Min(60, Math.Max(1, Duration / 3.0)));
            var current = session;
            try
            {
                while (current.ExpiresAt.HasValue)
                {
                    var expires = current.ExpiresAt.Value;
                    if (expires >= limit)
                    {
                        await Task.Delay(Until(expires), cancel).ConfigureAwait(false);
                        return $"The script block ran longer than -MaxDuration allows: QoD session {current.SessionId} expired at {When(expires)}.";
                    }
                    await Task.Delay(Until(expires - lead), cancel).ConfigureAwait(false);
                    int by = (int)Math.Min(Duration, Math.Ceiling((limit - expires).TotalSeconds));
                    by = Math.Max(1, Math.Min(by, NacValidation.MaxExtension));
                    current = await Client.ExtendSessionAsync(current.SessionId, by, cancel, current).ConfigureAwait(false);
                    Client.TraceVerbose($"Extended QoD session {current.SessionId} by {by} s while the script block runs: it now expires at {When(current.ExpiresAt)}.");
                }
                return null;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return null;
            }
            catch (NacException e)
            {
                return $"QoD session {current.SessionId} could not be kept alive while the script block ran: {e.Message}";
            }
        }

        /// <summary>Deletes the session with a deadline of its own (the command's may be cancelled already); -PassThru emits its last state.</summary>
        private void Remove(QodSession session)
        {
            using var cleanup = new CancellationTokenSource(Stopping ? CleanupLimit : Client.RetryPolicy.Timeout);
            QodSession? last = null;
            try
            {
                if (PassThru && !Stopping)
                {
                    last = Client.GetSessionAsync(session.SessionId, cleanup.Token).GetAwaiter().GetResult();
                    last.Device = session.Device;
                }
                Client.DeleteSessionAsync(session.SessionId, cleanup.Token).GetAwaiter().GetResult();
                State.ForgetSession(session.SessionId);
                if (Stopping) return;
                FlushTrace();
                WriteVerbose($"Removed QoD session {session.SessionId}.");
                if (last != null) WriteObject(last);
            }
            catch (NacApiException e) when (e.StatusCode == 404)
            {
                State.ForgetSession(session.SessionId);
            }
            catch (Exception e) when (e is NacException || e is OperationCanceledException)
            {
                WarnEvenWhenStopping($"QoD session {session.SessionId} of {session.Device} could not be removed: {e.Message} " +
                                     $"Remove it with Remove-NacQodSession -SessionId {session.SessionId}.");
            }
        }

        private static TimeSpan Until(DateTimeOffset when)
        {
            var wait = when - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        private static string When(DateTimeOffset? t) => t.HasValue ? t.Value.ToString("o", CultureInfo.InvariantCulture) : "not yet known";
    }
}
