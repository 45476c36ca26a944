using System;
using System.Collections.Generic;
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

        /// <summary>
        /// Seconds one operation may take, its retries, rate-limit waits and back-offs included. Default:
        /// NAC_TIMEOUT_SEC, else 30. (Wait-NacQodSession: the whole wait.)
        /// </summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int? TimeoutSec { get; set; }

        /// <summary>The time limit of each operation; null for NAC_TIMEOUT_SEC, else 30.</summary>
        protected virtual int? RequestTimeoutSec => TimeoutSec;

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
            // Trace lines cost formatting and redaction on every request: only when -Verbose or -Debug will show them.
            bool verbose = CommonSwitchInEffect("Verbose", "VerbosePreference"), debug = CommonSwitchInEffect("Debug", "DebugPreference");
            _client = new NacClient(NacHttp.CreateClient(), settings)
            {
                Trace = verbose || debug ? Trace : null,
                TraceBodies = debug,
                RetryPolicy = policy,
            };
        }

        /// <summary>Emits a session and remembers its id for Tab completion.</summary>
        protected void WriteSession(QodSession session)
        {
            State.RememberSession(session.SessionId);
            WriteObject(session);
        }
    }

    /// <summary>
    /// A cmdlet that acts on sessions given by id (-SessionId, alias -Id, also strings and objects with a
    /// SessionId or Id property from the pipeline) or as session objects (-InputObject, from the pipeline).
    /// </summary>
    public abstract class NacSessionCmdlet : NacApiCmdlet
    {
        protected const string ById = "ById";
        protected const string ByObject = "ByObject";

        [Parameter(Mandatory = true, ParameterSetName = ById, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completers.SessionIdCompleter))]
        [ValidateNac(NacRule.SessionId, "SessionId")]
        public string[] SessionId { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
        [ValidateNotNull]
        public QodSession InputObject { get; set; } = null!;

        /// <summary>The sessions this record names: each id, with the piped session object when there is one.</summary>
        protected IEnumerable<(string id, QodSession? known)> Targets()
        {
            if (ParameterSetName == ByObject) yield return (InputObject.SessionId, InputObject);
            else foreach (string id in SessionId) yield return (id, null);
        }
    }
}
