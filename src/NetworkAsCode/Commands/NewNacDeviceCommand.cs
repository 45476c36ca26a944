using System.Management.Automation;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>Builds a device object from its identifiers. Local only: nothing is sent.</summary>
    [Cmdlet(VerbsCommon.New, "NacDevice")]
    [OutputType(typeof(Device))]
    public sealed class NewNacDeviceCommand : NacCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        [ValidateNac(NacRule.PhoneNumber, "PhoneNumber")]
        public string? PhoneNumber { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public string? NetworkAccessIdentifier { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        [ValidateNac(NacRule.Ipv4, "Ipv4PublicAddress")]
        public string? Ipv4PublicAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        [ValidateNac(NacRule.Ipv4, "Ipv4PrivateAddress")]
        public string? Ipv4PrivateAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        [ValidateNac(NacRule.Port, "Ipv4PublicPort")]
        public int? Ipv4PublicPort { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        [ValidateNac(NacRule.Ipv6, "Ipv6Address")]
        public string? Ipv6Address { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                WriteObject(Device.Create(PhoneNumber, NetworkAccessIdentifier, Ipv4PublicAddress, Ipv4PrivateAddress, Ipv4PublicPort, Ipv6Address));
            }
            catch (NacValidationException e)
            {
                WriteNacError(e, PhoneNumber ?? NetworkAccessIdentifier ?? Ipv4PublicAddress ?? Ipv6Address);
            }
        }
    }
}
