using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// Base of every cmdlet: owns cancellation (Ctrl+C cancels the request in flight), runs async work
    /// synchronously on the pipeline thread, and writes the trace lines that HTTP code queued, on that
    /// thread, as verbose and debug records.
    /// </summary>
    public abstract class NacCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly TraceQueue _trace = new TraceQueue();

        protected CancellationToken CancelToken => _cancel.Token;

        internal INacTrace Trace => _trace;

        protected override void StopProcessing() => _cancel.Cancel();

        /// <summary>Runs <paramref name="operation"/> to completion; Ctrl+C stops it at once.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> operation)
        {
            try
            {
                return operation(_cancel.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                FlushTrace();
            }
        }

        protected void Run(Func<CancellationToken, Task> operation) =>
            Run<bool>(async cancel => { await operation(cancel).ConfigureAwait(false); return true; });

        /// <summary>
        /// ShouldProcess that cannot hang or crash a job: where PowerShell cannot prompt (pwsh
        /// -NonInteractive), a needed confirmation stops the cmdlet with a message that says how to proceed.
        /// </summary>
        protected bool ConfirmAction(string target, string action)
        {
            try
            {
                return ShouldProcess(target, action);
            }
            catch (PSInvalidOperationException e)
            {
                string how = MyInvocation.MyCommand.Parameters.ContainsKey("Force") ? "-Force or -Confirm:$false" : "-Confirm:$false";
                var error = new PSInvalidOperationException(
                    $"{MyInvocation.MyCommand.Name} needs confirmation to \"{action}\" on \"{target}\", but this PowerShell cannot prompt " +
                    $"(it is non-interactive). Add {how} to proceed, or -WhatIf to see what would be done.", e);
                ThrowTerminatingError(new ErrorRecord(error, "NacConfirmationRequired", ErrorCategory.InvalidOperation, target));
                return false;
            }
        }

        /// <summary>Writes a non-terminating error for one item and goes on with the next.</summary>
        protected void WriteNacError(Exception exception, object? target) => WriteError(NacErrors.From(exception, target));

        /// <summary>Stops the cmdlet: for failures after which no item can succeed (no token, bad configuration).</summary>
        protected void ThrowNacError(Exception exception, object? target) => ThrowTerminatingError(NacErrors.From(exception, target));

        protected void FlushTrace()
        {
            while (_trace.Lines.TryDequeue(out var line))
            {
                if (line.debug) WriteDebug(line.text);
                else WriteVerbose(line.text);
            }
        }

        public void Dispose()
        {
            _cancel.Dispose();
            GC.SuppressFinalize(this);
        }

        private sealed class TraceQueue : INacTrace
        {
            public readonly ConcurrentQueue<(bool debug, string text)> Lines = new ConcurrentQueue<(bool, string)>();
            public void Verbose(string message) => Lines.Enqueue((false, message));
            public void Debug(string message) => Lines.Enqueue((true, message));
        }
    }

    /// <summary>A cmdlet that calls the API: resolves the connection once, in BeginProcessing, and owns the client.</summary>
    public abstract class NacApiCmdlet : NacCmdlet
    {
        private NacClient? _client;

        /// <summary>Retries of a failed request (0 turns them off). Default: NAC_MAX_RETRIES, else 3.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int? MaxRetry { get; set; }

        /// <summary>Seconds one request may take. Default: NAC_TIMEOUT_SEC, else 30.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int? TimeoutSec { get; set; }

        internal NacClient Client => _client ?? throw new InvalidOperationException("BeginProcessing has not run.");

        internal NacRunspaceState State { get; private set; } = null!;

        protected override void BeginProcessing()
        {
            State = NacRunspaceState.Current;
            NacConnectionSettings settings;
            NacRetryPolicy policy;
            try
            {
                settings = NacSettingsResolver.Resolve(State.Context);
                policy = NacRetryPolicy.Resolve(MaxRetry, TimeoutSec);
            }
            catch (NacConfigurationException e)
            {
                ThrowNacError(e, null);
                return;
            }
            _client = new NacClient(NacHttp.CreateClient(), settings) { Trace = Trace, RetryPolicy = policy };
        }

        /// <summary>Emits a session and remembers its id for Tab completion.</summary>
        protected void WriteSession(QodSession session)
        {
            State.RememberSession(session.SessionId);
            WriteObject(session);
        }
    }
}
