using System;
using System.Management.Automation;
using System.Security;
using NetworkAsCode.Completers;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>Creates a QoD session for each device piped in.</summary>
    [Cmdlet(VerbsCommon.New, "NacQodSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(QodSession))]
    public sealed class NewNacQodSessionCommand : NacApiCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Device Device { get; set; } = null!;

        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(QosProfileCompleter))]
        [ValidateNac(NacRule.Profile, "Profile")]
        public string Profile { get; set; } = "";

        /// <summary>Seconds, 1 to 86400.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNac(NacRule.Duration, "Duration")]
        public int Duration { get; set; }

        [Parameter]
        [ValidateNac(NacRule.ServiceIpv4, "ServiceIpv4")]
        public string? ServiceIpv4 { get; set; }

        [Parameter]
        [ValidateNac(NacRule.ServiceIpv6, "ServiceIpv6")]
        public string? ServiceIpv6 { get; set; }

        [Parameter]
        [ValidateNac(NacRule.Port, "ServicePort")]
        public int[]? ServicePort { get; set; }

        [Parameter]
        public PortRange[]? ServicePortRange { get; set; }

        [Parameter]
        [ValidateNac(NacRule.Port, "DevicePort")]
        public int[]? DevicePort { get; set; }

        [Parameter]
        public PortRange[]? DevicePortRange { get; set; }

        [Parameter]
        [ValidateNac(NacRule.NotificationUrl, "NotificationUrl")]
        public string? NotificationUrl { get; set; }

        [Parameter]
        [SecureStringTransformation]
        public SecureString? NotificationAuthToken { get; set; }

        [Parameter]
        public DateTimeOffset? NotificationAuthTokenExpiresAt { get; set; }

        protected override void ProcessRecord()
        {
            QodSessionRequest request;
            try
            {
                request = new QodSessionRequest(Device, Profile, Duration)
                {
                    ServiceIpv4 = NullIfEmpty(ServiceIpv4),
                    ServiceIpv6 = NullIfEmpty(ServiceIpv6),
                    ServicePorts = PortsSpec.From("ServicePort", ServicePort, ServicePortRange),
                    DevicePorts = PortsSpec.From("DevicePort", DevicePort, DevicePortRange),
                    NotificationUrl = NullIfEmpty(NotificationUrl),
                    NotificationAuthToken = NotificationAuthToken,
                    NotificationAuthTokenExpiresAt = NotificationAuthTokenExpiresAt,
                };
                request.Validate();
            }
            catch (Validation.NacValidationException e)
            {
                WriteNacError(e, Device);
                return;
            }

            if (!ConfirmAction(Device.ToString(), $"Create QoD session ({Profile}, {Duration} s)")) return;
            try
            {
                WriteSession(Run(cancel => Client.CreateSessionAsync(request, cancel)));
            }
            catch (NacException e)
            {
                WriteNacError(e, Device);
            }
            catch (Validation.NacValidationException e)
            {
                WriteNacError(e, Device);
            }
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
