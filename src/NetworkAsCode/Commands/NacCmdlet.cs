using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
                // This thread would only wait: let the requests run on it (see NacClient.StartInline).
                return NacClient.StartInline(() => operation(_cancel.Token)).GetAwaiter().GetResult();
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
        /// ShouldProcess that cannot hang or crash a job: where nobody can answer a prompt (pwsh -NonInteractive,
        /// or a console whose standard input is redirected: an open pipe, end of file, no terminal), a needed
        /// confirmation stops the cmdlet with NacConfirmationRequired and a message that says how to proceed.
        /// </summary>
        protected bool ConfirmAction(string target, string action)
        {
            // Cheap question first: where a prompt can be answered, whether one would come does not matter here.
            string? nobodyToAsk = WhyNobodyCanAnswer();
            if (nobodyToAsk != null && !ConfirmationWouldPrompt()) nobodyToAsk = null;
            if (nobodyToAsk != null) ThrowConfirmationRequired(target, action, nobodyToAsk, null);
            try
            {
                return ShouldProcess(target, action);
            }
            catch (PSInvalidOperationException e)
            {
                ThrowConfirmationRequired(target, action, "it is non-interactive", e);
                return false;
            }
        }

        private void ThrowConfirmationRequired(string target, string action, string why, Exception? inner)
        {
            string how = MyInvocation.MyCommand.Parameters.ContainsKey("Force") ? "-Force or -Confirm:$false" : "-Confirm:$false";
            var error = new PSInvalidOperationException(
                $"{MyInvocation.MyCommand.Name} needs confirmation to \"{action}\" on \"{target}\", but this PowerShell cannot prompt " +
                $"({why}). Add {how} to proceed, or -WhatIf to see what would be done.", inner);
            ThrowTerminatingError(new ErrorRecord(error, "NacConfirmationRequired", ErrorCategory.InvalidOperation, target));
        }

        /// <summary>
        /// Each cmdlet type's ConfirmImpact: read by reflection once, not on every call. A Hashtable (safe for
        /// concurrent reads, writes locked) rather than a generic dictionary over an enum, which would be one
        /// more set of methods to JIT-compile on the first call of every process.
        /// </summary>
        private static readonly System.Collections.Hashtable ConfirmImpacts = new System.Collections.Hashtable();

        private static ConfirmImpact ConfirmImpactOf(Type type)
        {
            if (ConfirmImpacts[type] is ConfirmImpact known) return known;
            var impact = (Attribute.GetCustomAttribute(type, typeof(CmdletAttribute)) as CmdletAttribute)?.ConfirmImpact ?? ConfirmImpact.Medium;
            lock (ConfirmImpacts) ConfirmImpacts[type] = impact;
            return impact;
        }

        /// <summary>Whether ShouldProcess would ask: -Confirm, or the cmdlet's ConfirmImpact at or above $ConfirmPreference; never under -WhatIf.</summary>
        private bool ConfirmationWouldPrompt()
        {
            if (CommonSwitchInEffect("WhatIf", "WhatIfPreference")) return false;
            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out object? confirm))
                return confirm is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(confirm);
            var impact = ConfirmImpactOf(GetType());
            if (impact == ConfirmImpact.None) return false;
            object? value = SessionState.PSVariable.GetValue("ConfirmPreference");
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is string text && Enum.TryParse(text, true, out ConfirmImpact parsed)) value = parsed;
            var preference = value is ConfirmImpact p ? p : ConfirmImpact.High;
            return preference != ConfirmImpact.None && impact >= preference;
        }

        /// <summary>
        /// Why a prompt could not be answered, or null when it can. The console host reads answers from standard
        /// input: redirected (a pipe that never sends, /dev/null, no terminal), a prompt would hang or fail.
        /// Other hosts (editors, remoting) bring their own UI and are asked as usual.
        /// </summary>
        private string? WhyNobodyCanAnswer()
        {
            if (Host?.Name != "ConsoleHost") return null;
            return Console.IsInputRedirected ? "it is non-interactive: its standard input is redirected, not a terminal" : null;
        }

        /// <summary>
        /// Whether a common switch (-WhatIf, -Verbose, -Debug) is in effect: as given on the command line,
        /// else as its preference variable says.
        /// </summary>
        protected bool CommonSwitchInEffect(string parameter, string preference)
        {
            if (MyInvocation.BoundParameters.TryGetValue(parameter, out object? bound))
                return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
            object? value = SessionState.PSVariable.GetValue(preference);
            if (value is string text && Enum.TryParse(text, true, out ActionPreference parsed)) value = parsed;
            return value is ActionPreference p
                ? p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore
                : LanguagePrimitives.IsTrue(value);
        }

        /// <summary>Writes a non-terminating error for one item and goes on with the next.</summary>
        protected void WriteNacError(Exception exception, object? target) => WriteError(ErrorRecordFor(exception, target));

        /// <summary>Stops the cmdlet: for failures after which no item can succeed (no token, bad configuration).</summary>
        protected void ThrowNacError(Exception exception, object? target) => ThrowTerminatingError(ErrorRecordFor(exception, target));

        /// <summary>
        /// The ErrorRecord of a failure: the session life-cycle outcomes (the same ErrorIds Wait-NacQodSession
        /// uses), else the module's mapping in <see cref="NacErrors"/>.
        /// </summary>
        private static ErrorRecord ErrorRecordFor(Exception exception, object? target)
        {
            switch (exception)
            {
                case NacSessionUnavailableException ended:
                    return Record(ended, "NacSessionEnded", ErrorCategory.InvalidResult, target ?? ended.Session,
                        $"Check the session with Get-NacQodSession -SessionId {ended.Session.SessionId}; a new create for the same flow deletes it first.");
                case NacSessionWaitTimeoutException late:
                    return Record(late, "NacWaitTimeout", ErrorCategory.OperationTimeout, target ?? late.Session,
                        $"Allow longer with -TimeoutSec, or check the session with Get-NacQodSession -SessionId {late.Session.SessionId}.");
                default:
                    return NacErrors.From(exception, target);
            }
        }

        private static ErrorRecord Record(Exception e, string id, ErrorCategory category, object? target, string action) =>
            new ErrorRecord(e, id, category, target) { ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = action } };

        /// <summary>Writes the queued trace lines unless the pipeline is stopping (then they are dropped).</summary>
        internal void FlushTraceIfAllowed()
        {
            try { if (!Stopping) FlushTrace(); }
            catch (PipelineStoppedException) { }
        }

        internal void FlushTrace()
        {
            while (_trace.Lines.TryDequeue(out var line))
            {
                if (line.debug) WriteDebug(line.text);
                else WriteVerbose(line.text);
            }
        }

        /// <summary>
        /// Writes a warning that must reach the user even while the pipeline stops (Ctrl+C), when
        /// PowerShell no longer accepts records from the cmdlet: then straight to the host.
        /// </summary>
        protected void WarnEvenWhenStopping(string text)
        {
            try
            {
                WriteWarning(text);
                return;
            }
            catch (PipelineStoppedException) { }
            try { Host?.UI?.WriteWarningLine(text); }
            catch (Exception e) when (e is PipelineStoppedException || e is InvalidOperationException || e is NotImplementedException) { }
        }

        /// <summary>
        /// Runs operations concurrently, at most a given number at a time, reporting each outcome
        /// on the pipeline thread (where Write* is allowed) as soon as it is known. A reporting callback may
        /// start further items. Ctrl+C cancels them all and ends the command within a second; a failure
        /// whose exception says it stops the command (<see cref="NacException.StopsCommand"/>) cancels the
        /// rest and ends the command with one terminating error. Either way <see cref="Stopped"/> hears first.
        /// </summary>
        protected sealed class BoundedWork<TItem, TResult>
        {
            /// <summary>How long Ctrl+C waits for operations in flight to report, so that the command still ends within a second.</summary>
            private static readonly TimeSpan StopGrace = TimeSpan.FromMilliseconds(400);

            private readonly NacCmdlet _cmdlet;
            private readonly int _limit;
            private readonly Func<TItem, CancellationToken, Task<TResult>> _operation;
            private readonly Action<TItem, TResult> _succeeded;
            private readonly Action<TItem, Exception> _failed;
            private readonly List<(TItem item, Task<TResult> task)> _running = new List<(TItem, Task<TResult>)>();
            private readonly Queue<TItem> _pending = new Queue<TItem>();
            private bool _draining;

            public BoundedWork(NacCmdlet cmdlet, int limit, Func<TItem, CancellationToken, Task<TResult>> operation,
                Action<TItem, TResult> succeeded, Action<TItem, Exception> failed)
            {
                _cmdlet = cmdlet;
                _limit = Math.Max(1, limit);
                _operation = operation;
                _succeeded = succeeded;
                _failed = failed;
            }

            /// <summary>
            /// Called once when the command stops early (Ctrl+C or a stop-the-command failure), on the pipeline
            /// thread: the operations that succeeded while it stopped but were not reported, and the items whose
            /// outcome stays unknown.
            /// </summary>
            public Action<IReadOnlyList<(TItem item, TResult result)>, IReadOnlyList<TItem>>? Stopped { get; set; }

            private Progress? _progress;
            private Func<int, int, string>? _status;
            private int _started, _finished;

            /// <summary>
            /// A progress bar for long pipelines, updated as items finish (succeeded or failed) once more than one was
            /// started; the total is unknown, so it counts. <paramref name="status"/> gets (finished, started).
            /// Completed by <see cref="Finish"/>.
            /// </summary>
            public void ShowProgress(Progress progress, Func<int, int, string> status)
            {
                _progress = progress;
                _status = status;
            }

            /// <summary>Starts one operation, first waiting for a free slot (when called from a callback, queues it).</summary>
            public void Start(TItem item)
            {
                _started++;
                _pending.Enqueue(item);
                Drain(all: false);
            }

            /// <summary>Waits for everything started, including what callbacks start meanwhile, then completes the progress bar.</summary>
            public void Finish()
            {
                try
                {
                    Drain(all: true);
                }
                finally
                {
                    _progress?.Complete();
                }
            }

            private void Counted()
            {
                _finished++;
                if (_started > 1 && _progress != null) _progress.Update(_finished, 0, _status!(_finished, _started));
            }

            private void Drain(bool all)
            {
                if (_draining) return; // a callback's Start: the loop below picks the item up
                _draining = true;
                try
                {
                    while (_pending.Count > 0 || (all && _running.Count > 0))
                    {
                        if (_pending.Count > 0 && _running.Count < _limit)
                        {
                            TItem item = _pending.Dequeue();
                            if (_limit == 1)
                            {
                                // One at a time means in order, and on this thread: report it before the next item.
                                _running.Add((item, NacClient.StartInline(() => _operation(item, _cmdlet.CancelToken))));
                                CompleteOne();
                            }
                            else _running.Add((item, Task.Run(() => _operation(item, _cmdlet.CancelToken))));
                        }
                        else CompleteOne();
                    }
                }
                finally
                {
                    _draining = false;
                }
            }

            private void CompleteOne()
            {
                int index;
                try
                {
                    // One at a time (and every single call) ends here with its task already complete: no wait to set up.
                    index = _running.Count == 1 && _running[0].task.IsCompleted
                        ? 0
                        : Task.WaitAny(_running.ConvertAll(r => (Task)r.task).ToArray(), _cmdlet.CancelToken);
                }
                catch (OperationCanceledException)
                {
                    StopNow();
                    throw new PipelineStoppedException();
                }
                var (item, task) = _running[index];
                _running.RemoveAt(index);
                _cmdlet.FlushTrace();
                if (task.Status == TaskStatus.RanToCompletion)
                {
                    _succeeded(item, task.Result);
                    Counted();
                    return;
                }
                if (task.IsCanceled && _cmdlet.CancelToken.IsCancellationRequested)
                {
                    _running.Add((item, task));
                    StopNow();
                    throw new PipelineStoppedException();
                }
                var error = task.Exception?.GetBaseException() ?? new OperationCanceledException();
                if (error is NacException stop && stop.StopsCommand)
                {
                    // Nothing more can succeed: cancel what is in flight and send nothing more.
                    _cmdlet._cancel.Cancel();
                    _pending.Clear();
                    _running.Add((item, task));
                    StopNow();
                    _cmdlet.ThrowNacError(error, item);
                }
                _failed(item, error);
                Counted();
            }

            /// <summary>Gives the operations in flight a moment to end (they see the cancelled token), then tells <see cref="Stopped"/>.</summary>
            private void StopNow()
            {
                var tasks = _running.ConvertAll(r => (Task)r.task).ToArray();
                try { Task.WaitAll(tasks, StopGrace); }
                catch (AggregateException) { }
                var done = new List<(TItem, TResult)>();
                var unknown = new List<TItem>();
                foreach (var (item, task) in _running)
                {
                    if (task.Status == TaskStatus.RanToCompletion) done.Add((item, task.Result));
                    else if (!task.IsFaulted) unknown.Add(item); // still running or cancelled: it may or may not have happened
                }
                _running.Clear();
                _pending.Clear();
                _cmdlet.FlushTraceIfAllowed();
                var stopped = Stopped;
                Stopped = null;
                stopped?.Invoke(done, unknown);
            }
        }

        /// <summary>A progress bar that writes at most four updates a second and always completes.</summary>
        protected sealed class Progress
        {
            private readonly NacCmdlet _cmdlet;
            private readonly ProgressRecord _record;
            private DateTime _next = DateTime.MinValue;
            private bool _shown;

            public Progress(NacCmdlet cmdlet, int activityId, string activity)
            {
                _cmdlet = cmdlet;
                _record = new ProgressRecord(activityId, activity, "Starting");
            }

            public void Update(int done, int total, string status)
            {
                if (DateTime.UtcNow < _next && (total <= 0 || done < total)) return; // total 0: unknown (a pipeline), so no last update to force
                _next = DateTime.UtcNow.AddMilliseconds(250);
                _record.StatusDescription = status;
                _record.PercentComplete = total > 0 ? Math.Min(100, done * 100 / total) : -1;
                _cmdlet.WriteProgress(_record);
                _shown = true;
            }

            public void Complete()
            {
                if (!_shown) return;
                _record.RecordType = ProgressRecordType.Completed;
                _cmdlet.WriteProgress(_record);
                _shown = false;
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
}
