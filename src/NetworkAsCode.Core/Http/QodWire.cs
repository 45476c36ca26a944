using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// The QoD v1 JSON, written and read by hand: request bodies exactly as Nokia's SDKs send them (absent
    /// fields omitted, ranges as from/to, sink + sinkCredential), responses read leniently.
    /// </summary>
    internal static class QodWire
    {
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Indented = false };
        private static readonly JsonDocumentOptions ReaderOptions = new JsonDocumentOptions { MaxDepth = 32 };

        public static byte[] CreateSessionBody(QodSessionRequest request, DateTimeOffset now)
        {
            return Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("qosProfile", request.Profile);
                w.WritePropertyName("device");
                WriteDevice(w, request.Device);
                w.WritePropertyName("applicationServer");
                w.WriteStartObject();
                if (!string.IsNullOrEmpty(request.ServiceIpv4)) w.WriteString("ipv4Address", request.ServiceIpv4);
                if (!string.IsNullOrEmpty(request.ServiceIpv6)) w.WriteString("ipv6Address", request.ServiceIpv6);
                w.WriteEndObject();
                w.WriteNumber("duration", request.Duration);
                WritePorts(w, "devicePorts", request.DevicePorts);
                WritePorts(w, "applicationServerPorts", request.ServicePorts);
                if (!string.IsNullOrEmpty(request.NotificationUrl))
                {
                    w.WriteString("sink", request.NotificationUrl);
                    if (request.NotificationAuthToken != null)
                    {
                        DateTimeOffset expires = request.NotificationAuthTokenExpiresAt ?? now.AddSeconds(request.Duration);
                        w.WritePropertyName("sinkCredential");
                        w.WriteStartObject();
                        w.WriteString("credentialType", "ACCESSTOKEN");
                        w.WriteString("accessToken", new NetworkCredential("", request.NotificationAuthToken).Password);
                        w.WriteString("accessTokenType", "bearer");
                        w.WriteString("accessTokenExpiresUtc", FormatTimestamp(expires));
                        w.WriteEndObject();
                    }
                }
                w.WriteEndObject();
            });
        }

        public static byte[] RetrieveSessionsBody(Device device) => Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("device");
            WriteDevice(w, device);
            w.WriteEndObject();
        });

        public static byte[] ExtendBody(int additionalSeconds) => Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("requestedAdditionalDuration", additionalSeconds);
            w.WriteEndObject();
        });

        internal static void WriteDevice(Utf8JsonWriter w, Device device)
        {
            w.WriteStartObject();
            if (device.PhoneNumber != null) w.WriteString("phoneNumber", device.PhoneNumber);
            if (device.NetworkAccessIdentifier != null) w.WriteString("networkAccessIdentifier", device.NetworkAccessIdentifier);
            if (device.Ipv4Address != null)
            {
                w.WritePropertyName("ipv4Address");
                w.WriteStartObject();
                if (device.Ipv4Address.PublicAddress != null) w.WriteString("publicAddress", device.Ipv4Address.PublicAddress);
                if (device.Ipv4Address.PrivateAddress != null) w.WriteString("privateAddress", device.Ipv4Address.PrivateAddress);
                if (device.Ipv4Address.PublicPort.HasValue) w.WriteNumber("publicPort", device.Ipv4Address.PublicPort.Value);
                w.WriteEndObject();
            }
            if (device.Ipv6Address != null) w.WriteString("ipv6Address", device.Ipv6Address);
            w.WriteEndObject();
        }

        private static void WritePorts(Utf8JsonWriter w, string name, PortsSpec? ports)
        {
            if (ports == null || ports.IsEmpty) return;
            w.WritePropertyName(name);
            w.WriteStartObject();
            if (ports.Ranges.Length > 0)
            {
                w.WritePropertyName("ranges");
                w.WriteStartArray();
                foreach (var range in ports.Ranges)
                {
                    w.WriteStartObject();
                    w.WriteNumber("from", range.From);
                    w.WriteNumber("to", range.To);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (ports.Ports.Length > 0)
            {
                w.WritePropertyName("ports");
                w.WriteStartArray();
                foreach (int port in ports.Ports) w.WriteNumberValue(port);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }

        private static byte[] Write(Action<Utf8JsonWriter> body)
        {
            using var stream = new MemoryStream(256);
            using (var writer = new Utf8JsonWriter(stream, WriterOptions)) body(writer);
            return stream.ToArray();
        }

        internal static string FormatTimestamp(DateTimeOffset value) =>
            value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        // ---- reading ----

        public static JsonDocument Parse(byte[] body) => JsonDocument.Parse(body, ReaderOptions);

        /// <summary>Reads a SessionInfo. <paramref name="callerDevice"/>, when given, stands in for the echoed device.</summary>
        public static QodSession ReadSession(JsonElement e, Device? callerDevice)
        {
            if (e.ValueKind != JsonValueKind.Object) throw new FormatException("a session is a JSON object");
            string? id = GetString(e, "sessionId") ?? GetString(e, "id");
            if (string.IsNullOrEmpty(id)) throw new FormatException("the session has no sessionId");
            var session = new QodSession(id!, GetString(e, "qosProfile") ?? "", GetString(e, "qosStatus") ?? "")
            {
                StatusInfo = GetString(e, "statusInfo"),
                StartedAt = GetTimestamp(e, "startedAt"),
                ExpiresAt = GetTimestamp(e, "expiresAt"),
                Duration = GetInt(e, "duration"),
                DevicePorts = ReadPorts(e, "devicePorts"),
                ServicePorts = ReadPorts(e, "applicationServerPorts"),
                NotificationUrl = GetString(e, "sink"),
            };
            if (session.NotificationUrl == null && e.TryGetProperty("webhook", out var webhook) && webhook.ValueKind == JsonValueKind.Object)
                session.NotificationUrl = GetString(webhook, "notificationUrl");
            if (e.TryGetProperty("applicationServer", out var server) && server.ValueKind == JsonValueKind.Object)
            {
                session.ServiceIpv4 = GetString(server, "ipv4Address");
                session.ServiceIpv6 = GetString(server, "ipv6Address");
            }
            session.Device = callerDevice ?? ReadDevice(e);
            return session;
        }

        /// <summary>Reads a CAMARA QosProfile; rates and durations become "value unit" text.</summary>
        public static QosProfile ReadProfile(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object) throw new FormatException("a QoS profile is a JSON object");
            string? name = GetString(e, "name");
            if (string.IsNullOrEmpty(name)) throw new FormatException("the QoS profile has no name");
            return new QosProfile(name!, GetString(e, "description"), "Server")
            {
                Status = GetString(e, "status"),
                TargetMinDownstreamRate = ValueWithUnit(e, "targetMinDownstreamRate"),
                MaxDownstreamRate = ValueWithUnit(e, "maxDownstreamRate"),
                MaxDownstreamBurstRate = ValueWithUnit(e, "maxDownstreamBurstRate"),
                TargetMinUpstreamRate = ValueWithUnit(e, "targetMinUpstreamRate"),
                MaxUpstreamRate = ValueWithUnit(e, "maxUpstreamRate"),
                MaxUpstreamBurstRate = ValueWithUnit(e, "maxUpstreamBurstRate"),
                MinDuration = ValueWithUnit(e, "minDuration"),
                MaxDuration = ValueWithUnit(e, "maxDuration"),
                PacketDelayBudget = ValueWithUnit(e, "packetDelayBudget"),
                Jitter = ValueWithUnit(e, "jitter"),
                Priority = GetInt(e, "priority"),
                PacketErrorLossRate = GetInt(e, "packetErrorLossRate"),
                L4sQueueType = GetString(e, "l4sQueueType"),
                ServiceClass = GetString(e, "serviceClass"),
            };
        }

        private static string? ValueWithUnit(JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Object) return null;
            int? value = GetInt(v, "value");
            string? unit = GetString(v, "unit");
            return value.HasValue ? (unit == null ? value.Value.ToString(CultureInfo.InvariantCulture) : $"{value.Value.ToString(CultureInfo.InvariantCulture)} {unit}") : null;
        }

        private static Device? ReadDevice(JsonElement session)
        {
            if (!session.TryGetProperty("device", out var d) || d.ValueKind != JsonValueKind.Object) return null;
            DeviceIpv4Address? ipv4 = null;
            if (d.TryGetProperty("ipv4Address", out var v4) && v4.ValueKind == JsonValueKind.Object)
                ipv4 = new DeviceIpv4Address(GetString(v4, "publicAddress"), GetString(v4, "privateAddress"), GetInt(v4, "publicPort"));
            var device = Device.FromServer(GetString(d, "phoneNumber"), GetString(d, "networkAccessIdentifier"), ipv4, GetString(d, "ipv6Address"));
            return device.IsEmpty ? null : device;
        }

        private static PortsSpec? ReadPorts(JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var spec) || spec.ValueKind != JsonValueKind.Object) return null;
            var ports = new List<int>();
            var ranges = new List<PortRange>();
            if (spec.TryGetProperty("ports", out var list) && list.ValueKind == JsonValueKind.Array)
                foreach (var item in list.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int port)) ports.Add(port);
            if (spec.TryGetProperty("ranges", out var rangeList) && rangeList.ValueKind == JsonValueKind.Array)
                foreach (var item in rangeList.EnumerateArray())
                {
                    int? from = GetInt(item, "from"), to = GetInt(item, "to");
                    if (from.HasValue && to.HasValue && from.Value <= to.Value &&
                        from.Value >= 0 && to.Value <= 65535) ranges.Add(new PortRange(from.Value, to.Value));
                }
            return new PortsSpec(ports, ranges);
        }

        private static string? GetString(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static int? GetInt(JsonElement e, string name)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n)) return n;
            if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) return n;
            return null;
        }

        /// <summary>RFC 3339 strings or epoch numbers (seconds; milliseconds when implausibly large). Null, "" and 0 mean absent.</summary>
        internal static DateTimeOffset? GetTimestamp(JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var v)) return null;
            switch (v.ValueKind)
            {
                case JsonValueKind.String:
                    string? text = v.GetString();
                    if (string.IsNullOrWhiteSpace(text)) return null;
                    if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)) return parsed;
                    if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long fromText)) return FromEpoch(fromText);
                    return null;
                case JsonValueKind.Number:
                    if (v.TryGetInt64(out long epoch)) return FromEpoch(epoch);
                    if (v.TryGetDouble(out double real)) return FromEpoch((long)real);
                    return null;
                default:
                    return null;
            }
        }

        private static DateTimeOffset? FromEpoch(long value)
        {
            // Seconds; a value too large for seconds in this era is milliseconds; beyond year 9999 it is no time at all.
            if (value <= 0 || value > 253_402_300_799_999L) return null;
            return value > 100_000_000_000L ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
        }

        /// <summary>
        /// The error's CAMARA code and message from any of the three body shapes: CAMARA
        /// <c>{status, code, message}</c>, FastAPI <c>{"detail": "..." | [{loc, msg, type}]}</c> or the gateway's
        /// <c>{"message": "..."}</c>. Other bodies give their text, shortened.
        /// </summary>
        public static (string? code, string? message) ReadError(byte[] body)
        {
            if (body.Length == 0) return (null, null);
            try
            {
                using var doc = Parse(body);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    string? code = GetString(root, "code");
                    string? message = GetString(root, "message");
                    if (root.TryGetProperty("detail", out var detail)) message ??= ReadDetail(detail);
                    if (code != null || message != null) return (code, message);
                }
            }
            catch (JsonException)
            {
                // not JSON: fall through to the text
            }
            string text = Encoding.UTF8.GetString(body).Trim();
            if (text.Length > 300) text = text.Substring(0, 300) + "...";
            return (null, text.Length == 0 ? null : text);
        }

        private static string? ReadDetail(JsonElement detail)
        {
            if (detail.ValueKind == JsonValueKind.String) return detail.GetString();
            if (detail.ValueKind != JsonValueKind.Array) return detail.ToString();
            var parts = new List<string>();
            foreach (var item in detail.EnumerateArray())
            {
                string? msg = GetString(item, "msg");
                string location = "";
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array)
                {
                    var names = new List<string>();
                    foreach (var part in loc.EnumerateArray()) names.Add(part.ToString());
                    location = string.Join(".", names);
                }
                if (msg != null) parts.Add(location.Length > 0 ? $"{location}: {msg}" : msg);
            }
            return parts.Count > 0 ? string.Join("; ", parts) : null;
        }

        /// <summary>Built when a body is first traced (-Debug), not with the wire code's other statics on every first call.</summary>
        private static class SecretPattern
        {
            internal static readonly Regex Value = new Regex(
                "(\"(?:accessToken|token|secret|password|apiKey|notificationAuthToken)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        /// <summary>A body as text for -Debug, with secret values masked (before it is shortened, so no part of one survives).</summary>
        public static string Redact(byte[] body)
        {
            string text = SecretPattern.Value.Replace(Encoding.UTF8.GetString(body), "$1\"***\"");
            return text.Length > 4096 ? text.Substring(0, 4096) + "..." : text;
        }
    }
}
