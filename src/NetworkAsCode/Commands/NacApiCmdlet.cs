using System;
using System.Management.Automation;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>A cmdlet that calls the API: resolves the connection once, in BeginProcessing, and owns the client.</summary>
    public abstract class NacApiCmdlet : NacCmdlet
    {
        private NacClient? _client;

        /// <summary>Retries of a failed request (0 turns them off). Default: NAC_MAX_RETRIES, else 3.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int? MaxRetry { get; set; }

        /// <summary>Seconds one request may take; null for NAC_TIMEOUT_SEC, else 30.</summary>
        protected virtual int? RequestTimeoutSec => null;

        internal NacClient Client => _client ?? throw new InvalidOperationException("BeginProcessing has not run.");

        internal NacRunspaceState State { get; private set; } = null!;

        /// <summary>False for a cmdlet that can do without the API (it then runs with no client when none is configured).</summary>
        protected virtual bool RequiresConnection => true;

        internal bool HasClient => _client != null;

        /// <summary>Why there is no client, when <see cref="RequiresConnection"/> is false and none could be configured.</summary>
        internal string? NoClientReason { get; private set; }

        protected override void BeginProcessing()
        {
            State = NacRunspaceState.Current;
            NacConnectionSettings settings;
            NacRetryPolicy policy;
            try
            {
                settings = NacSettingsResolver.Resolve(State.Context);
                policy = NacRetryPolicy.Resolve(MaxRetry, RequestTimeoutSec);
            }
            catch (NacConfigurationException e)
            {
                if (!RequiresConnection)
                {
                    NoClientReason = e.Message;
                    return;
                }
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

    /// <summary>An API cmdlet whose -TimeoutSec bounds each request (Wait-NacQodSession's bounds the whole wait instead).</summary>
    public abstract class NacRequestCmdlet : NacApiCmdlet
    {
        /// <summary>Seconds one request may take. Default: NAC_TIMEOUT_SEC, else 30.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int? TimeoutSec { get; set; }

        protected override int? RequestTimeoutSec => TimeoutSec;
    }
}
