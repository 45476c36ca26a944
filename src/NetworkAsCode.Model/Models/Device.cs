using System.Collections.Generic;

namespace NetworkAsCode
{
    /// <summary>A device's IPv4 identity: the public address plus the private address and/or the public port.</summary>
    public sealed class DeviceIpv4Address
    {
        public DeviceIpv4Address(string? publicAddress, string? privateAddress, int? publicPort)
        {
            PublicAddress = publicAddress;
            PrivateAddress = privateAddress;
            PublicPort = publicPort;
        }

        public string? PublicAddress { get; }
        public string? PrivateAddress { get; }
        public int? PublicPort { get; }

        public override string ToString()
        {
            string text = PublicAddress ?? "";
            if (PublicPort.HasValue) text += ":" + PublicPort.Value;
            if (PrivateAddress != null && PrivateAddress != PublicAddress) text += " (private " + PrivateAddress + ")";
            return text;
        }
    }

    /// <summary>
    /// A device known to the network by one or more identifiers. Building one is local: nothing is sent.
    /// Serialised to the wire with every absent identifier omitted.
    /// </summary>
    public sealed class Device
    {
        private Device(string? phoneNumber, string? networkAccessIdentifier, DeviceIpv4Address? ipv4Address, string? ipv6Address)
        {
            PhoneNumber = phoneNumber;
            NetworkAccessIdentifier = networkAccessIdentifier;
            Ipv4Address = ipv4Address;
            Ipv6Address = ipv6Address;
        }

        public string? PhoneNumber { get; }
        public string? NetworkAccessIdentifier { get; }
        public DeviceIpv4Address? Ipv4Address { get; }
        public string? Ipv6Address { get; }

        /// <summary>
        /// Builds a device from the identifiers given, after checking each one and the combination.
        /// Empty strings count as absent (so an empty CSV column is no identifier). A lone IPv4 public
        /// address is copied to the private address, as Nokia's SDKs do.
        /// </summary>
        /// <exception cref="NacValidationException">An identifier breaks a rule, or none is given.</exception>
        public static Device Create(
            string? phoneNumber = null,
            string? networkAccessIdentifier = null,
            string? ipv4PublicAddress = null,
            string? ipv4PrivateAddress = null,
            int? ipv4PublicPort = null,
            string? ipv6Address = null)
        {
            phoneNumber = Blank(phoneNumber);
            networkAccessIdentifier = Blank(networkAccessIdentifier);
            ipv4PublicAddress = Blank(ipv4PublicAddress);
            ipv4PrivateAddress = Blank(ipv4PrivateAddress);
            ipv6Address = Blank(ipv6Address);

            NacValidation.Require("PhoneNumber", NacValidation.CheckPhoneNumber("PhoneNumber", phoneNumber));
            NacValidation.Require("Ipv4PublicAddress", NacValidation.CheckIpv4("Ipv4PublicAddress", ipv4PublicAddress));
            NacValidation.Require("Ipv4PrivateAddress", NacValidation.CheckIpv4("Ipv4PrivateAddress", ipv4PrivateAddress));
            if (ipv4PublicPort.HasValue)
                NacValidation.Require("Ipv4PublicPort", NacValidation.CheckPort("Ipv4PublicPort", ipv4PublicPort.Value));
            NacValidation.Require("Ipv6Address", NacValidation.CheckIpv6("Ipv6Address", ipv6Address));

            DeviceIpv4Address? ipv4 = null;
            if (ipv4PublicAddress != null)
            {
                // Both SDKs: a public address alone stands for a device without NAT.
                if (ipv4PrivateAddress == null && !ipv4PublicPort.HasValue) ipv4PrivateAddress = ipv4PublicAddress;
                ipv4 = new DeviceIpv4Address(ipv4PublicAddress, ipv4PrivateAddress, ipv4PublicPort);
            }
            else if (ipv4PrivateAddress != null || ipv4PublicPort.HasValue)
            {
                string given = ipv4PrivateAddress != null ? "Ipv4PrivateAddress" : "Ipv4PublicPort";
                throw new NacValidationException("Ipv4PublicAddress",
                    $"{given} needs Ipv4PublicAddress: a device's IPv4 identity is its public address plus the private address or the public port.");
            }

            if (phoneNumber == null && networkAccessIdentifier == null && ipv4 == null && ipv6Address == null)
                throw new NacValidationException("PhoneNumber",
                    "A device needs at least one identifier: PhoneNumber, NetworkAccessIdentifier, Ipv4PublicAddress or Ipv6Address.");

            return new Device(phoneNumber, networkAccessIdentifier, ipv4, ipv6Address);
        }

        /// <summary>A device as the server described it (no client-side rules applied).</summary>
        internal static Device FromServer(string? phoneNumber, string? networkAccessIdentifier, DeviceIpv4Address? ipv4, string? ipv6Address) =>
            new Device(phoneNumber, networkAccessIdentifier, ipv4, ipv6Address);

        internal bool IsEmpty => PhoneNumber == null && NetworkAccessIdentifier == null && Ipv4Address == null && Ipv6Address == null;

        /// <summary>A short label: the identifiers present, most specific first.</summary>
        public override string ToString()
        {
            var parts = new List<string>(4);
            if (PhoneNumber != null) parts.Add(PhoneNumber);
            if (NetworkAccessIdentifier != null) parts.Add(NetworkAccessIdentifier);
            if (Ipv4Address != null) parts.Add(Ipv4Address.ToString());
            if (Ipv6Address != null) parts.Add(Ipv6Address);
            return string.Join(" ", parts);
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
