using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace NetworkAsCode
{
    /// <summary>
    /// The client-side input rules, in one place. Each check returns null when the value is valid, or a
    /// message that names the parameter and states the rule. The cmdlets' validation attributes and the
    /// Core models call the same checks, so a rule and its wording exist once.
    /// </summary>
    public static class NacValidation
    {
        public const int MinDuration = 1;
        public const int MaxDuration = 86400;
        public const int MinExtension = 1;
        public const int MaxExtension = 86399;
        public const int MinPort = 0;
        public const int MaxPort = 65535;

        private static readonly Regex E164 = new Regex(@"^\+[1-9][0-9]{4,14}\z", RegexOptions.CultureInvariant);
        private static readonly Regex DottedQuad = new Regex(
            @"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\z",
            RegexOptions.CultureInvariant);
        private static readonly Regex ProfileName = new Regex(@"^[a-zA-Z0-9_.-]{3,256}\z", RegexOptions.CultureInvariant);
        private static readonly Regex SessionIdPattern = new Regex(@"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\z", RegexOptions.CultureInvariant);

        public static string? CheckPhoneNumber(string parameter, string? value)
        {
            if (value == null) return null;
            if (E164.IsMatch(value)) return null;
            string why;
            if (value.IndexOfAny(new[] { ' ', '(', ')', '-', '.' }) >= 0)
                why = "it must not contain spaces, parentheses, dashes or dots";
            else if (!value.StartsWith("+", StringComparison.Ordinal))
                why = "it must start with '+' and the country code";
            else
                why = "it must be '+' followed by 5 to 15 digits, the first not 0";
            return $"{parameter} '{value}' is not an E.164 phone number: {why} (for example +36721601234567).";
        }

        public static string? CheckIpv4(string parameter, string? value)
        {
            if (value == null) return null;
            return DottedQuad.IsMatch(value)
                ? null
                : $"{parameter} '{value}' is not an IPv4 address: use four dotted decimal numbers 0-255, without a mask (for example 233.252.0.2).";
        }

        public static string? CheckIpv6(string parameter, string? value)
        {
            if (value == null) return null;
            return IsIpv6(value)
                ? null
                : $"{parameter} '{value}' is not an IPv6 address: use a single address without a prefix length (for example 2001:db8::1).";
        }

        /// <summary>An application-server IPv4 address: a single address or a subnet with a mask width 0-32.</summary>
        public static string? CheckServiceIpv4(string parameter, string? value)
        {
            if (value == null) return null;
            var (address, mask) = SplitMask(value);
            if (!DottedQuad.IsMatch(address))
                return $"{parameter} '{value}' is not an IPv4 address or subnet: use a.b.c.d or a.b.c.d/nn (for example 233.252.0.2 or 198.51.100.0/24).";
            if (mask != null && !IsMaskWidth(mask, 32))
                return $"{parameter} '{value}' has an invalid mask width: an IPv4 mask width is 0 to 32.";
            return null;
        }

        /// <summary>An application-server IPv6 address: a single address or a prefix with a width 0-128.</summary>
        public static string? CheckServiceIpv6(string parameter, string? value)
        {
            if (value == null) return null;
            var (address, mask) = SplitMask(value);
            if (!IsIpv6(address))
                return $"{parameter} '{value}' is not an IPv6 address or prefix: use an address, optionally with /nn (for example 2001:db8::/32).";
            if (mask != null && !IsMaskWidth(mask, 128))
                return $"{parameter} '{value}' has an invalid prefix length: an IPv6 prefix length is 0 to 128.";
            return null;
        }

        public static string? CheckPort(string parameter, int value) =>
            value < MinPort || value > MaxPort
                ? $"{parameter} {value} is out of range: a port is {MinPort} to {MaxPort}."
                : null;

        public static string? CheckProfile(string parameter, string? value)
        {
            if (value == null) return $"{parameter} is required.";
            return ProfileName.IsMatch(value)
                ? null
                : $"{parameter} '{value}' is not a valid QoS profile name: 3 to 256 characters of letters, digits, '_', '.' or '-' (for example QOS_L or DOWNLINK_L_UPLINK_L).";
        }

        public static string? CheckDuration(string parameter, long value) =>
            value < MinDuration || value > MaxDuration
                ? $"{parameter} {value} is out of range: a session lasts {MinDuration} to {MaxDuration} seconds (24 hours)."
                : null;

        public static string? CheckExtension(string parameter, long value) =>
            value < MinExtension || value > MaxExtension
                ? $"{parameter} {value} is out of range: a session can be extended by {MinExtension} to {MaxExtension} seconds at a time."
                : null;

        public static string? CheckSessionId(string parameter, string? value)
        {
            if (string.IsNullOrEmpty(value)) return $"{parameter} must not be empty.";
            return SessionIdPattern.IsMatch(value!)
                ? null
                : $"{parameter} '{value}' is not a session id: use the id the platform returned (a letter or digit, then letters, digits, '.', '_', ':' or '-', at most 128 characters).";
        }

        /// <summary>
        /// Where the platform sends notifications: an absolute https URL; plain http only to a loopback host
        /// (localhost, 127.0.0.0/8, ::1), as the platform and the simulator accept.
        /// </summary>
        public static string? CheckNotificationUrl(string parameter, string? value)
        {
            if (value == null) return null;
            if (value.Trim() != value || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0 ||
                (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                return $"{parameter} '{value}' is not an absolute http(s) URL (for example https://example.com/notifications).";
            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
                return $"{parameter} '{value}' uses plain http to a host that is not loopback: use https (http is accepted only to localhost, 127.0.0.0/8 and ::1).";
            return null;
        }

        /// <summary>A point in time that must still be ahead, such as when a notification token expires.</summary>
        public static string? CheckFutureTime(string parameter, DateTimeOffset? value, DateTimeOffset now)
        {
            if (value == null || value.Value > now) return null;
            return $"{parameter} {value.Value.ToString("o", CultureInfo.InvariantCulture)} is in the past: give a time after now " +
                   $"({now.ToString("o", CultureInfo.InvariantCulture)}), or leave it out to use the session's expected end.";
        }

        /// <summary>Whether a URL's host is loopback: localhost, 127.0.0.0/8 or ::1.</summary>
        public static bool IsLoopback(Uri url)
        {
            if (url.IsLoopback) return true;
            string host = url.Host.Trim('[', ']');
            return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
        }

        /// <summary>Throws a <see cref="NacValidationException"/> when <paramref name="error"/> is not null.</summary>
        public static void Require(string parameter, string? error)
        {
            if (error != null) throw new NacValidationException(parameter, error);
        }

        internal static bool IsIpv6(string value) =>
            value.IndexOf(':') >= 0 && value.IndexOfAny(new[] { '%', '/', '[', ']', ' ', '\n', '\r', '\t' }) < 0 &&
            IPAddress.TryParse(value, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;

        private static (string address, string? mask) SplitMask(string value)
        {
            int slash = value.IndexOf('/');
            return slash < 0 ? (value, null) : (value.Substring(0, slash), value.Substring(slash + 1));
        }

        private static bool IsMaskWidth(string mask, int max) =>
            mask.Length > 0 && mask.Length <= 3 &&
            int.TryParse(mask, NumberStyles.None, CultureInfo.InvariantCulture, out int width) && width <= max;
    }

    /// <summary>Input that breaks a client-side rule. Raised before any request is sent.</summary>
    public sealed class NacValidationException : ArgumentException
    {
        private readonly string _message;

        public NacValidationException(string parameter, string message) : base(message, parameter)
        {
            _message = message;
        }

        /// <summary>The rule's message alone (ArgumentException would append the parameter name again).</summary>
        public override string Message => _message;
    }
}
