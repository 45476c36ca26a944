using System;
using System.Management.Automation;
using System.Security;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>Sets this runspace's connection: token, environment, base URL. Nothing is sent.</summary>
    [Cmdlet(VerbsCommunications.Connect, "Nac")]
    [OutputType(typeof(NacContextInfo))]
    public sealed class ConnectNacCommand : NacCmdlet
    {
        /// <summary>The API key (RapidAPI key). A plain string is accepted and converted at once.</summary>
        [Parameter(Position = 0)]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? Token { get; set; }

        [Parameter]
        [ConvertOrExplain(typeof(NacEnvironment), "Environment")]
        public NacEnvironment Environment { get; set; }

        /// <summary>The root URL; /quality-on-demand/v1/... is appended. Plain http only to loopback.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BaseUrl { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RapidApiHost { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var options = new NacContextOptions { Token = Token, RapidApiHost = RapidApiHost };
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Environment))) options.Environment = Environment;
            if (BaseUrl != null)
            {
                string? error = NacConnectionSettings.CheckBaseUrl("BaseUrl", BaseUrl, out var url);
                if (error != null) ThrowNacError(new NacValidationException("BaseUrl", error), NacConnectionSettings.WithoutCredentials(BaseUrl));
                options.BaseUrl = url;
            }

            NacConnectionSettings settings;
            try
            {
                // Resolve now so a missing token or a bad NAC_ENV fails here rather than at the first call.
                settings = NacSettingsResolver.Resolve(options);
            }
            catch (NacConfigurationException e)
            {
                ThrowNacError(e, null);
                return;
            }
            NacRunspaceState.Current.Context = options;
            WriteVerbose($"Connected to {settings.BaseUrl} ({settings.Environment}, host {settings.RapidApiHost}).");
            if (PassThru) WriteObject(NacContextInfo.From(options));
        }
    }

    /// <summary>Forgets this runspace's connection; later calls use NAC_TOKEN and friends, if set.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Nac")]
    public sealed class DisconnectNacCommand : NacCmdlet
    {
        protected override void EndProcessing() => NacRunspaceState.Current.Context = null;
    }

    /// <summary>Shows the connection that calls would use now. The token is never shown.</summary>
    [Cmdlet(VerbsCommon.Get, "NacContext")]
    [OutputType(typeof(NacContextInfo))]
    public sealed class GetNacContextCommand : NacCmdlet
    {
        protected override void EndProcessing() => WriteObject(NacContextInfo.From(NacRunspaceState.Current.Context));
    }

    /// <summary>The effective connection, as shown to users: where, which environment, where the token came from; never the token.</summary>
    public sealed class NacContextInfo
    {
        private NacContextInfo() { }

        public NacEnvironment Environment { get; private set; }
        public Uri? BaseUrl { get; private set; }
        public string? RapidApiHost { get; private set; }

        /// <summary>Connect-Nac, NAC_TOKEN, or None.</summary>
        public string TokenSource { get; private set; } = "None";

        /// <summary>Always masked.</summary>
        public string Token => TokenSource == "None" ? "" : "********";

        public string? Error { get; private set; }

        internal static NacContextInfo From(NacContextOptions? options)
        {
            var info = new NacContextInfo
            {
                TokenSource = options?.Token != null ? "Connect-Nac" : NacSettingsResolver.HasTokenInEnvironment() ? NacSettingsResolver.TokenVariable : "None",
            };
            try
            {
                (info.Environment, info.BaseUrl, info.RapidApiHost) = NacSettingsResolver.ResolveEndpoint(options);
            }
            catch (NacConfigurationException e)
            {
                info.Error = e.Message;
            }
            return info;
        }
    }
}
