using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>The client-side rules (NacValidation and the models): each check returns null or a message naming the parameter.</summary>
    public class ValidationTests
    {
        private const string Param = "TheParam";

        private static void Valid(string? error) => Assert.Null(error);

        private static void Invalid(string? error, params string[] mustContain)
        {
            Assert.NotNull(error);
            Assert.Contains(Param, error);
            foreach (string part in mustContain) Assert.Contains(part, error);
        }

        // ---- phone numbers ----

        [Theory]
        [InlineData("+36721601234567")]
        [InlineData("+12065550100")]
        [InlineData("+99999991000")]
        [InlineData("+12345")]
        [InlineData("+123456789012345")]
        public void Phone_valid(string value) => Valid(NacValidation.CheckPhoneNumber(Param, value));

        [Fact]
        public void Phone_null_means_absent() => Valid(NacValidation.CheckPhoneNumber(Param, null));

        [Theory]
        [InlineData("36721601234567", "must start with '+'")]
        [InlineData("+36 72 160 1234", "spaces")]
        [InlineData("+1 (206) 5550100", "parentheses")]
        [InlineData("+1(206)5550100", "parentheses")]
        [InlineData("+1-206-555-0100", "dashes")]
        [InlineData("+1234", "5 to 15 digits")]
        [InlineData("+1234567890123456", "5 to 15 digits")]
        [InlineData("+0123456789", "the first not 0")]
        [InlineData("+3672160123456a", "E.164")]
        [InlineData("", "E.164")]
        [InlineData("++36721601234567", "E.164")]
        public void Phone_invalid(string value, string rule) => Invalid(NacValidation.CheckPhoneNumber(Param, value), rule, "E.164");

        // ---- IPv4 (device: strict dotted quad, no mask) ----

        [Theory]
        [InlineData("233.252.0.2")]
        [InlineData("192.0.2.25")]
        [InlineData("0.0.0.0")]
        [InlineData("255.255.255.255")]
        [InlineData("10.0.0.1")]
        public void Ipv4_valid(string value) => Valid(NacValidation.CheckIpv4(Param, value));

        [Theory]
        [InlineData("1")]
        [InlineData("256.1.1.1")]
        [InlineData("1.2.3")]
        [InlineData("1.2.3.4.5")]
        [InlineData("1.2.3.4/24")]
        [InlineData("01.2.3.4")]
        [InlineData("1.2.3.256")]
        [InlineData("a.b.c.d")]
        [InlineData("1.2.3.4 ")]
        [InlineData("")]
        [InlineData("2001:db8::1")]
        public void Ipv4_invalid(string value) => Invalid(NacValidation.CheckIpv4(Param, value), "IPv4");

        // ---- IPv6 (device: a single address) ----

        [Theory]
        [InlineData("2001:db8:1234:5678:9abc:def0:fedc:ba98")]
        [InlineData("2001:db8::1")]
        [InlineData("::1")]
        [InlineData("::")]
        [InlineData("::ffff:192.0.2.1")]
        public void Ipv6_valid(string value) => Valid(NacValidation.CheckIpv6(Param, value));

        [Theory]
        [InlineData("2001:db8::/32")]
        [InlineData("2001:db8::1/128")]
        [InlineData("fe80::1%eth0")]
        [InlineData("233.252.0.2")]
        [InlineData("2001:db8::g")]
        [InlineData("2001:db8:::1")]
        [InlineData("")]
        [InlineData("[2001:db8::1]")]
        [InlineData("[2001:db8::1]:443")]
        public void Ipv6_invalid(string value) => Invalid(NacValidation.CheckIpv6(Param, value), "IPv6");

        // ---- application-server addresses: subnets allowed ----

        public static IEnumerable<object[]> Ipv4Widths() => Enumerable.Range(0, 33).Select(w => new object[] { "198.51.100.0/" + w });

        [Theory]
        [MemberData(nameof(Ipv4Widths))]
        [InlineData("233.252.0.2")]
        public void Service_ipv4_valid(string value) => Valid(NacValidation.CheckServiceIpv4(Param, value));

        [Theory]
        [InlineData("198.51.100.0/33", "0 to 32")]
        [InlineData("198.51.100.0/", "0 to 32")]
        [InlineData("198.51.100.0/-1", "0 to 32")]
        [InlineData("198.51.100.0/+8", "0 to 32")]
        [InlineData("198.51.100.0/1000", "0 to 32")]
        [InlineData("198.51.100.0/24/8", "0 to 32")]
        [InlineData("256.0.0.0/8", "IPv4")]
        [InlineData("1.2.3/8", "IPv4")]
        [InlineData("2001:db8::/32", "IPv4")]
        public void Service_ipv4_invalid(string value, string rule) => Invalid(NacValidation.CheckServiceIpv4(Param, value), rule);

        public static IEnumerable<object[]> Ipv6Widths() => new[] { 0, 1, 32, 48, 64, 127, 128 }.Select(w => new object[] { "2001:db8::/" + w });

        [Theory]
        [MemberData(nameof(Ipv6Widths))]
        [InlineData("2001:db8::1")]
        public void Service_ipv6_valid(string value) => Valid(NacValidation.CheckServiceIpv6(Param, value));

        [Theory]
        [InlineData("2001:db8::/129", "0 to 128")]
        [InlineData("2001:db8::/", "0 to 128")]
        [InlineData("2001:db8::/x", "0 to 128")]
        [InlineData("233.252.0.2", "IPv6")]
        [InlineData("2001:db8::g/64", "IPv6")]
        public void Service_ipv6_invalid(string value, string rule) => Invalid(NacValidation.CheckServiceIpv6(Param, value), rule);

        [Fact]
        public void Absent_addresses_are_valid()
        {
            Valid(NacValidation.CheckIpv4(Param, null));
            Valid(NacValidation.CheckIpv6(Param, null));
            Valid(NacValidation.CheckServiceIpv4(Param, null));
            Valid(NacValidation.CheckServiceIpv6(Param, null));
            Valid(NacValidation.CheckNotificationUrl(Param, null));
        }

        // ---- a value read from a file keeps its line end: '$' in .NET also matches before a final \n ----

        [Theory]
        [InlineData("phone", "+36721601234567\n")]
        [InlineData("ipv4", "233.252.0.2\n")]
        [InlineData("serviceIpv4", "233.252.0.2\n")]
        [InlineData("profile", "QOS_L\n")]
        [InlineData("sessionId", Bodies.SessionId + "\n")]
        public void A_trailing_newline_is_not_part_of_a_valid_value(string check, string value)
        {
            string? error = check switch
            {
                "phone" => NacValidation.CheckPhoneNumber(Param, value),
                "ipv4" => NacValidation.CheckIpv4(Param, value),
                "serviceIpv4" => NacValidation.CheckServiceIpv4(Param, value),
                "profile" => NacValidation.CheckProfile(Param, value),
                "sessionId" => NacValidation.CheckSessionId(Param, value),
                _ => throw new ArgumentOutOfRangeException(nameof(check)),
            };
            Invalid(error);
        }

        // ---- ports ----

        [Theory]
        [InlineData(0)]
        [InlineData(80)]
        [InlineData(65535)]
        public void Port_valid(int value) => Valid(NacValidation.CheckPort(Param, value));

        [Theory]
        [InlineData(-1)]
        [InlineData(65536)]
        [InlineData(int.MaxValue)]
        public void Port_invalid(int value) => Invalid(NacValidation.CheckPort(Param, value), "0 to 65535");

        [Theory]
        [InlineData("80-443", 80, 443)]
        [InlineData("80", 80, 80)]
        [InlineData(" 80 - 443 ", 80, 443)]
        [InlineData("0-65535", 0, 65535)]
        [InlineData("443-443", 443, 443)]
        public void PortRange_parses(string text, int from, int to)
        {
            var range = new PortRange(text);
            Assert.Equal(from, range.From);
            Assert.Equal(to, range.To);
            Assert.Equal(range, PortRange.Parse(text));
        }

        [Theory]
        [InlineData(80, 443, "80-443")]
        [InlineData(80, 80, "80")]
        public void PortRange_prints_as_it_parses(int from, int to, string text) => Assert.Equal(text, new PortRange(from, to).ToString());

        [Theory]
        [InlineData("443-80", "reversed")]
        [InlineData("80-", "port range")]
        [InlineData("-80", "port range")]
        [InlineData("a-b", "port range")]
        [InlineData("", "port range")]
        [InlineData("80-443-8080", "port range")]
        [InlineData("80..443", "port range")]
        [InlineData("1e3", "port range")]
        [InlineData("80-70000", "0 to 65535")]
        [InlineData("70000", "0 to 65535")]
        public void PortRange_rejects(string text, string rule)
        {
            var e = Assert.Throws<NacValidationException>(() => new PortRange(text));
            Assert.Contains(rule, e.Message);
        }

        [Theory]
        [InlineData(443, 80, "reversed")]
        [InlineData(-1, 80, "0 to 65535")]
        [InlineData(80, 65536, "0 to 65535")]
        public void PortRange_rejects_numbers(int from, int to, string rule)
        {
            var e = Assert.Throws<NacValidationException>(() => new PortRange(from, to));
            Assert.Contains(rule, e.Message);
        }

        [Fact]
        public void PortsSpec_From_checks_each_port_and_names_the_parameter()
        {
            var e = Assert.Throws<NacValidationException>(() => PortsSpec.From("DevicePort", new[] { 80, 70000 }, null));
            Assert.Equal("DevicePort", e.ParamName);
            Assert.Contains("DevicePort", e.Message);
            Assert.Contains("70000", e.Message);
            Assert.Null(PortsSpec.From("DevicePort", Array.Empty<int>(), Array.Empty<PortRange>()));
            var spec = PortsSpec.From("DevicePort", new[] { 80 }, new[] { new PortRange(1000, 2000) })!;
            Assert.Equal(new[] { 80 }, spec.Ports);
            Assert.Equal("80, 1000-2000", spec.ToString());
        }

        // ---- profile, duration, extension, notification URL, session id ----

        [Theory]
        [InlineData("QOS_L")]
        [InlineData("DOWNLINK_L_UPLINK_L")]
        [InlineData("abc")]
        [InlineData("a.b-c_d")]
        public void Profile_valid(string value) => Valid(NacValidation.CheckProfile(Param, value));

        [Fact]
        public void Profile_lengths_3_to_256()
        {
            Valid(NacValidation.CheckProfile(Param, new string('P', 256)));
            Invalid(NacValidation.CheckProfile(Param, new string('P', 257)), "3 to 256");
            Invalid(NacValidation.CheckProfile(Param, "ab"), "3 to 256");
        }

        [Theory]
        [InlineData("QOS L")]
        [InlineData("QOS/L")]
        [InlineData("QOS_L!")]
        [InlineData("")]
        public void Profile_invalid(string value) => Invalid(NacValidation.CheckProfile(Param, value), "QoS profile");

        [Fact]
        public void Profile_is_required() => Invalid(NacValidation.CheckProfile(Param, null), "required");

        [Theory]
        [InlineData(1)]
        [InlineData(3600)]
        [InlineData(86400)]
        public void Duration_valid(long value) => Valid(NacValidation.CheckDuration(Param, value));

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(86401)]
        public void Duration_invalid(long value) => Invalid(NacValidation.CheckDuration(Param, value), "1 to 86400");

        [Theory]
        [InlineData(1)]
        [InlineData(86399)]
        public void Extension_valid(long value) => Valid(NacValidation.CheckExtension(Param, value));

        [Theory]
        [InlineData(0)]
        [InlineData(-60)]
        [InlineData(86400)]
        public void Extension_invalid(long value) => Invalid(NacValidation.CheckExtension(Param, value), "1 to 86399");

        [Theory]
        [InlineData("https://example.com/notifications")]
        [InlineData("http://127.0.0.1:8080/cb")]
        [InlineData("https://example.com:8443/a/b?c=d")]
        public void NotificationUrl_valid(string value) => Valid(NacValidation.CheckNotificationUrl(Param, value));

        [Theory]
        [InlineData("ftp://example.com/notifications")]
        [InlineData("example.com/notifications")]
        [InlineData("/notifications")]
        [InlineData("not a url")]
        [InlineData("")]
        [InlineData("file:///etc/passwd")]
        public void NotificationUrl_invalid(string value) => Invalid(NacValidation.CheckNotificationUrl(Param, value), "http(s)");

        [Theory]
        [InlineData(Bodies.SessionId)]
        [InlineData("abc")]
        [InlineData("session_1.2:3")]
        public void SessionId_valid(string value) => Valid(NacValidation.CheckSessionId(Param, value));

        [Theory]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("a/b")]
        [InlineData("a b")]
        [InlineData("a?b")]
        public void SessionId_invalid(string? value) => Invalid(NacValidation.CheckSessionId(Param, value));

        [Fact]
        public void Require_throws_a_validation_exception_with_the_message_alone()
        {
            NacValidation.Require(Param, null);
            var e = Assert.Throws<NacValidationException>(() => NacValidation.Require(Param, "TheParam is wrong."));
            Assert.Equal(Param, e.ParamName);
            Assert.Equal("TheParam is wrong.", e.Message);
            Assert.IsAssignableFrom<ArgumentException>(e);
        }

        // ---- Device.Create ----

        [Fact]
        public void Device_needs_an_identifier()
        {
            var e = Assert.Throws<NacValidationException>(() => Device.Create());
            Assert.Contains("at least one identifier", e.Message);
            Assert.Contains("PhoneNumber", e.Message);
        }

        [Fact]
        public void Device_with_empty_strings_only_has_no_identifier()
        {
            var e = Assert.Throws<NacValidationException>(() => Device.Create("", " ", "", "\t", null, ""));
            Assert.Contains("at least one identifier", e.Message);
        }

        [Theory]
        [InlineData("192.0.2.25", null, "Ipv4PrivateAddress")]
        [InlineData(null, 80, "Ipv4PublicPort")]
        public void Device_private_address_or_port_needs_the_public_address(string? privateAddress, int? port, string given)
        {
            var e = Assert.Throws<NacValidationException>(() =>
                Device.Create(phoneNumber: Fixtures.Phone, ipv4PrivateAddress: privateAddress, ipv4PublicPort: port));
            Assert.Equal("Ipv4PublicAddress", e.ParamName);
            Assert.Contains(given, e.Message);
            Assert.Contains("Ipv4PublicAddress", e.Message);
        }

        [Theory]
        [InlineData("PhoneNumber", "36721601234567", null, null, null, null)]
        [InlineData("Ipv4PublicAddress", null, "1.2.3", null, null, null)]
        [InlineData("Ipv4PublicAddress", null, "233.252.0.2/32", null, null, null)]
        [InlineData("Ipv4PrivateAddress", null, "233.252.0.2", "256.0.0.1", null, null)]
        [InlineData("Ipv4PublicPort", null, "233.252.0.2", null, 65536, null)]
        [InlineData("Ipv6Address", null, null, null, null, "2001:db8::/64")]
        public void Device_rejects_a_bad_identifier_naming_it(string parameter, string? phone, string? ipv4Public, string? ipv4Private, int? port, string? ipv6)
        {
            var e = Assert.Throws<NacValidationException>(() =>
                Device.Create(phoneNumber: phone, ipv4PublicAddress: ipv4Public, ipv4PrivateAddress: ipv4Private, ipv4PublicPort: port, ipv6Address: ipv6));
            Assert.Equal(parameter, e.ParamName);
            Assert.Contains(parameter, e.Message);
        }

        [Fact]
        public void Device_trims_and_copies_a_lone_public_address()
        {
            var d = Device.Create(ipv4PublicAddress: " 233.252.0.2 ");
            Assert.Equal("233.252.0.2", d.Ipv4Address!.PublicAddress);
            Assert.Equal("233.252.0.2", d.Ipv4Address.PrivateAddress);
            Assert.Null(d.Ipv4Address.PublicPort);
            Assert.Null(d.PhoneNumber);
        }

        [Fact]
        public void Device_keeps_public_and_port_without_private()
        {
            var d = Device.Create(ipv4PublicAddress: "233.252.0.2", ipv4PublicPort: 80);
            Assert.Null(d.Ipv4Address!.PrivateAddress);
            Assert.Equal(80, d.Ipv4Address.PublicPort);
            Assert.Equal("233.252.0.2:80", d.ToString());
        }

        [Fact]
        public void Device_label_lists_its_identifiers()
        {
            Assert.Equal("+36721601234567 233.252.0.2:80 (private 192.0.2.25) 2001:db8:1234:5678:9abc:def0:fedc:ba98", Fixtures.SeedDevice().ToString());
            Assert.Equal("nai@example.com", Device.Create(networkAccessIdentifier: "nai@example.com").ToString());
        }

        // ---- QodSessionRequest.Validate ----

        private static QodSessionRequest Request(string profile = "QOS_L", int duration = 3600) =>
            new QodSessionRequest(Device.Create(phoneNumber: Fixtures.Phone), profile, duration);

        [Fact]
        public void Request_needs_a_service_address()
        {
            var e = Assert.Throws<NacValidationException>(() => Request().Validate());
            Assert.Equal("ServiceIpv4", e.ParamName);
            Assert.Contains("ServiceIpv4", e.Message);
            Assert.Contains("ServiceIpv6", e.Message);
        }

        [Fact]
        public void Request_with_either_service_address_is_valid()
        {
            var r4 = Request();
            r4.ServiceIpv4 = "198.51.100.0/24";
            r4.Validate();
            var r6 = Request();
            r6.ServiceIpv6 = "2001:db8::/48";
            r6.Validate();
        }

        [Theory]
        [InlineData("Profile", "Q", 3600, "198.51.100.1", null, null)]
        [InlineData("Duration", "QOS_L", 0, "198.51.100.1", null, null)]
        [InlineData("Duration", "QOS_L", 86401, "198.51.100.1", null, null)]
        [InlineData("ServiceIpv4", "QOS_L", 3600, "198.51.100.0/33", null, null)]
        [InlineData("ServiceIpv6", "QOS_L", 3600, null, "2001:db8::/129", null)]
        [InlineData("NotificationUrl", "QOS_L", 3600, "198.51.100.1", null, "mailto:a@example.com")]
        public void Request_names_the_first_broken_rule(string parameter, string profile, int duration, string? ipv4, string? ipv6, string? url)
        {
            var request = Request(profile, duration);
            request.ServiceIpv4 = ipv4;
            request.ServiceIpv6 = ipv6;
            request.NotificationUrl = url;
            var e = Assert.Throws<NacValidationException>(() => request.Validate());
            Assert.Equal(parameter, e.ParamName);
            Assert.Contains(parameter, e.Message);
        }

        [Fact]
        public void Request_token_needs_a_notification_url()
        {
            var request = Request();
            request.ServiceIpv4 = "198.51.100.1";
            request.NotificationAuthToken = Harness.Secure("secret-token-value");
            var e = Assert.Throws<NacValidationException>(() => request.Validate());
            Assert.Equal("NotificationAuthToken", e.ParamName);
            Assert.Contains("NotificationUrl", e.Message);
        }

        /// <summary>Ports given as a PortsSpec (its constructor is public) are checked too before anything is sent.</summary>
        [Fact]
        public void Request_checks_the_ports_of_a_PortsSpec()
        {
            var request = Request();
            request.ServiceIpv4 = "198.51.100.1";
            request.DevicePorts = new PortsSpec(new[] { 70000 }, null);
            var e = Assert.Throws<NacValidationException>(() => request.Validate());
            Assert.Contains("70000", e.Message);
            Assert.Contains("0 to 65535", e.Message);
        }

        [Fact]
        public void Request_requires_a_device()
        {
            Assert.Throws<ArgumentNullException>(() => new QodSessionRequest(null!, "QOS_L", 60));
        }

        [Fact]
        public void Profile_labels_are_the_nine_nac_and_four_camara_labels()
        {
            var names = QosProfileLabels.All.Select(p => p.Key).ToArray();
            Assert.Equal(13, names.Length);
            Assert.Contains("DOWNLINK_L_UPLINK_L", names);
            Assert.Contains("DOWNLINK_S_UPLINK_M", names);
            Assert.Contains("QOS_E", names);
            Assert.All(names, n => Assert.Null(NacValidation.CheckProfile("Profile", n)));
            Assert.All(QosProfileLabels.All, p => Assert.False(string.IsNullOrWhiteSpace(p.Value)));
        }
    }
}
