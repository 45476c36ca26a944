using System.Management.Automation;
using NetworkAsCode.Completers;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// A cmdlet that creates sessions (New-NacQodSession, Invoke-NacQodSession): the device, profile, duration,
    /// application server and ports of a session request, with their rules, declared once.
    /// </summary>
    public abstract class NacSessionRequestCmdlet : NacApiCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        [DeviceArgument]
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
        [ConvertOrExplain(typeof(PortRange[]), "ServicePortRange")]
        public PortRange[]? ServicePortRange { get; set; }

        [Parameter]
        [ValidateNac(NacRule.Port, "DevicePort")]
        public int[]? DevicePort { get; set; }

        [Parameter]
        [ConvertOrExplain(typeof(PortRange[]), "DevicePortRange")]
        public PortRange[]? DevicePortRange { get; set; }

        /// <summary>The request these parameters describe (not yet validated as a whole).</summary>
        /// <exception cref="NacValidationException">A port rule is broken.</exception>
        protected QodSessionRequest NewRequest() => new QodSessionRequest(Device, Profile, Duration)
        {
            ServiceIpv4 = NullIfEmpty(ServiceIpv4),
            ServiceIpv6 = NullIfEmpty(ServiceIpv6),
            ServicePorts = PortsSpec.From("ServicePort", ServicePort, ServicePortRange),
            DevicePorts = PortsSpec.From("DevicePort", DevicePort, DevicePortRange),
        };

        protected static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
