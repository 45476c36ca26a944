using System;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// A cmdlet that acts on many piped sessions, a bounded number at a time (Remove-, Update-NacQodSession):
    /// confirmation per session, a progress bar for long pipelines, per-item errors, and the shared rules of
    /// <see cref="NacCmdlet.BoundedWork{TItem, TResult}"/> (Ctrl+C within a second; a failure that stops the
    /// command stops it).
    /// </summary>
    public abstract class NacBulkSessionCmdlet<TResult> : NacSessionCmdlet
    {
        private BoundedWork<(string id, QodSession? known), TResult>? _work;

        /// <summary>Sets up the work; the derived cmdlet calls it from BeginProcessing, after the base's.</summary>
        protected void StartBulk(int limit, int activityId, string activity, string done,
            Func<(string id, QodSession? known), CancellationToken, Task<TResult>> operation,
            Action<(string id, QodSession? known), TResult> succeeded)
        {
            // One session given as a parameter: nothing to overlap, so it runs on the pipeline thread like a single call.
            if (!MyInvocation.ExpectingInput && (ParameterSetName == ByObject || SessionId?.Length == 1)) limit = 1;
            _work = new BoundedWork<(string id, QodSession? known), TResult>(this, limit, operation,
                succeeded,
                (target, error) =>
                {
                    if (error is NacException) WriteNacError(error, (object?)target.known ?? target.id);
                    else throw error;
                });
            _work.ShowProgress(new Progress(this, activityId, activity), (finished, started) => $"{finished} of {started} sessions {done} or failed");
        }

        /// <summary>Starts the action on every session this record names, each once confirmed.</summary>
        protected void Submit(string action)
        {
            foreach (var target in Targets())
            {
                if (!ConfirmAction(target.id, action)) continue;
                _work!.Start(target);
            }
        }

        protected override void EndProcessing() => _work?.Finish();
    }
}
