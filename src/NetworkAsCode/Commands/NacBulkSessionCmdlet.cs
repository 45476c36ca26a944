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
        private Progress? _progress;
        private string _done = "";
        private int _started;
        private int _finished;

        /// <summary>Sets up the work; the derived cmdlet calls it from BeginProcessing, after the base's.</summary>
        protected void StartBulk(int limit, int activityId, string activity, string done,
            Func<(string id, QodSession? known), CancellationToken, Task<TResult>> operation,
            Action<(string id, QodSession? known), TResult> succeeded)
        {
            _done = done;
            // One session given as a parameter: nothing to overlap, so it runs on the pipeline thread like a single call.
            if (!MyInvocation.ExpectingInput && (ParameterSetName == ByObject || SessionId?.Length == 1)) limit = 1;
            _progress = new Progress(this, activityId, activity);
            _work = new BoundedWork<(string id, QodSession? known), TResult>(this, limit, operation,
                (target, result) => { succeeded(target, result); Finished(); },
                (target, error) =>
                {
                    if (error is NacException) WriteNacError(error, (object?)target.known ?? target.id);
                    else throw error;
                    Finished();
                });
        }

        /// <summary>Starts the action on every session this record names, each once confirmed.</summary>
        protected void Submit(string action)
        {
            foreach (var target in Targets())
            {
                if (!ConfirmAction(target.id, action)) continue;
                _started++;
                _work!.Start(target);
            }
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

        private void Finished()
        {
            _finished++;
            if (_started > 1) _progress?.Update(_finished, 0, $"{_finished} of {_started} sessions {_done} or failed");
        }
    }
}
