using System;
using System.Security;

namespace NetworkAsCode
{
    /// <summary>
    /// A Quality-on-Demand session as the platform last described it. Property names mirror the Python
    /// SDK's (id, profile, status, started_at, expires_at, service_ipv4, ...) so scripts port easily.
    /// </summary>
    public sealed class QodSession
    {
        public QodSession(string sessionId, string profile, string status)
        {
            SessionId = sessionId;
            Profile = profile;
            Status = status;
        }

        public string SessionId { get; }

        /// <summary>The same as <see cref="SessionId"/>: binds to -Id and reads like the SDKs' <c>id</c>.</summary>
        public string Id => SessionId;

        public string Profile { get; }

        /// <summary>REQUESTED, AVAILABLE or UNAVAILABLE; an unknown value from the server is kept as sent.</summary>
        public string Status { get; }

        /// <summary>Why a session is UNAVAILABLE: DURATION_EXPIRED, NETWORK_TERMINATED or DELETE_REQUESTED.</summary>
        public string? StatusInfo { get; internal set; }

        /// <summary>When the session became AVAILABLE; null while REQUESTED.</summary>
        public DateTimeOffset? StartedAt { get; internal set; }

        /// <summary>When it ends (or ended); null while REQUESTED.</summary>
        public DateTimeOffset? ExpiresAt { get; internal set; }

        /// <summary>Seconds: requested while REQUESTED, overall since StartedAt (extensions included) once AVAILABLE.</summary>
        public int? Duration { get; internal set; }

        public string? ServiceIpv4 { get; internal set; }
        public string? ServiceIpv6 { get; internal set; }
        public PortsSpec? ServicePorts { get; internal set; }
        public PortsSpec? DevicePorts { get; internal set; }

        /// <summary>The device: the caller's own object after create and list; as the server echoed it after a get by id.</summary>
        public Device? Device { get; internal set; }

        public string? NotificationUrl { get; internal set; }

        public override string ToString() => SessionId;
    }

    /// <summary>What to ask for when creating a session. Validated by <see cref="Validate"/> before anything is sent.</summary>
    public sealed class QodSessionRequest
    {
        public QodSessionRequest(Device device, string profile, int duration)
        {
            Device = device ?? throw new ArgumentNullException(nameof(device));
            Profile = profile;
            Duration = duration;
        }

        public Device Device { get; }
        public string Profile { get; }
        public int Duration { get; }
        public string? ServiceIpv4 { get; set; }
        public string? ServiceIpv6 { get; set; }
        public PortsSpec? ServicePorts { get; set; }
        public PortsSpec? DevicePorts { get; set; }
        public string? NotificationUrl { get; set; }

        /// <summary>The bearer token the platform sends with each notification. Never echoed or traced.</summary>
        public SecureString? NotificationAuthToken { get; set; }

        /// <summary>When the notification token expires; defaults to the session's expected end.</summary>
        public DateTimeOffset? NotificationAuthTokenExpiresAt { get; set; }

        /// <exception cref="NacValidationException">The first rule the request breaks.</exception>
        public void Validate()
        {
            NacValidation.Require("Profile", NacValidation.CheckProfile("Profile", Profile));
            NacValidation.Require("Duration", NacValidation.CheckDuration("Duration", Duration));
            if (string.IsNullOrEmpty(ServiceIpv4) && string.IsNullOrEmpty(ServiceIpv6))
                throw new NacValidationException("ServiceIpv4",
                    "A session needs the application server's address: give ServiceIpv4, ServiceIpv6 or both.");
            NacValidation.Require("ServiceIpv4", NacValidation.CheckServiceIpv4("ServiceIpv4", ServiceIpv4));
            NacValidation.Require("ServiceIpv6", NacValidation.CheckServiceIpv6("ServiceIpv6", ServiceIpv6));
            CheckPorts("ServicePort", ServicePorts);
            CheckPorts("DevicePort", DevicePorts);
            NacValidation.Require("NotificationUrl", NacValidation.CheckNotificationUrl("NotificationUrl", NotificationUrl));
            NacValidation.Require("NotificationAuthTokenExpiresAt",
                NacValidation.CheckFutureTime("NotificationAuthTokenExpiresAt", NotificationAuthTokenExpiresAt, DateTimeOffset.UtcNow));
            if (NotificationAuthToken != null && NotificationUrl == null)
                throw new NacValidationException("NotificationAuthToken",
                    "NotificationAuthToken needs NotificationUrl: the token is sent with notifications to that URL.");
        }

        private static void CheckPorts(string parameter, PortsSpec? ports)
        {
            if (ports == null) return;
            foreach (int port in ports.Ports) NacValidation.Require(parameter, NacValidation.CheckPort(parameter, port));
        }
    }
}
