using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using RichardSzalay.MockHttp;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>One request as the mock handler saw it, copied while the message was still alive.</summary>
    internal sealed class CapturedRequest
    {
        public CapturedRequest(HttpMethod method, Uri uri, Dictionary<string, string> headers, string? contentType, string? body)
        {
            Method = method;
            Uri = uri;
            Headers = headers;
            ContentType = contentType;
            Body = body;
        }

        public HttpMethod Method { get; }
        public Uri Uri { get; }
        public Dictionary<string, string> Headers { get; }
        public string? ContentType { get; }
        public string? Body { get; }

        public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"header {name} was not sent");
    }

    /// <summary>Collects trace lines, as a cmdlet's queue would.</summary>
    internal sealed class RecordingTrace : INacTrace
    {
        public ConcurrentQueue<string> VerboseLines { get; } = new ConcurrentQueue<string>();
        public ConcurrentQueue<string> DebugLines { get; } = new ConcurrentQueue<string>();
        public IEnumerable<string> All => VerboseLines.Concat(DebugLines);

        public void Verbose(string message) => VerboseLines.Enqueue(message);
        public void Debug(string message) => DebugLines.Enqueue(message);
    }

    /// <summary>A NacClient over RichardSzalay.MockHttp, built exactly as the cmdlets build it, recording every request.</summary>
    internal sealed class Harness : IDisposable
    {
        public const string BaseUrl = "https://network-as-code.p-eu.rapidapi.com";
        public const string RapidApiHost = "network-as-code.nokia.rapidapi.com";
        public const string ApiToken = "nac-api-key-5f0c2b7e91d44a6b";
        public const string QodRoot = BaseUrl + "/quality-on-demand/v1";

        private readonly List<CapturedRequest> _requests = new List<CapturedRequest>();

        public Harness(string baseUrl = BaseUrl)
        {
            Mock = new MockHttpMessageHandler();
            Http = Mock.ToHttpClient();
            Client = new NacClient(Http, new NacConnectionSettings(new Uri(baseUrl), RapidApiHost, Secure(ApiToken), NacEnvironment.Prod))
            {
                Trace = Trace,
            };
            // These tests look at one request and its one answer: retries are switched off here and pinned
            // by RetryTests and ReconcileTests.
            Client.RetryPolicy = new NacRetryPolicy(0, Client.Timeout);
            // A pacer of its own: no test's rate limits or quota slow or block another's.
            Client.Pacer = new NacPacer();
        }

        public MockHttpMessageHandler Mock { get; }
        public HttpClient Http { get; }
        public NacClient Client { get; }
        public RecordingTrace Trace { get; } = new RecordingTrace();

        public IReadOnlyList<CapturedRequest> Requests
        {
            get { lock (_requests) return _requests.ToArray(); }
        }

        public CapturedRequest Single()
        {
            var all = Requests;
            Assert.Single(all);
            return all[0];
        }

        /// <summary>Every request gets this answer (body null: no content).</summary>
        public void Reply(HttpStatusCode status, string? body, string mediaType = "application/json", Action<HttpResponseMessage>? configure = null)
        {
            Mock.Fallback.Respond(async request =>
            {
                await Capture(request).ConfigureAwait(false);
                return Build(status, body, mediaType, configure);
            });
        }

        /// <summary>Answers computed from the request (for per-call bodies).</summary>
        public void Reply(Func<HttpRequestMessage, HttpResponseMessage> answer)
        {
            Mock.Fallback.Respond(async request =>
            {
                await Capture(request).ConfigureAwait(false);
                return answer(request);
            });
        }

        public static HttpResponseMessage Build(HttpStatusCode status, string? body, string mediaType = "application/json", Action<HttpResponseMessage>? configure = null)
        {
            var response = new HttpResponseMessage(status);
            if (body != null) response.Content = new StringContent(body, Encoding.UTF8, mediaType);
            configure?.Invoke(response);
            return response;
        }

        private async Task Capture(HttpRequestMessage request)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var h in request.Headers) headers[h.Key] = string.Join(",", h.Value);
            string? body = null;
            string? contentType = null;
            if (request.Content != null)
            {
                body = await request.Content.ReadAsStringAsync().ConfigureAwait(false);
                contentType = request.Content.Headers.ContentType?.MediaType;
                foreach (var h in request.Content.Headers) headers[h.Key] = string.Join(",", h.Value);
            }
            lock (_requests) _requests.Add(new CapturedRequest(request.Method, request.RequestUri!, headers, contentType, body));
        }

        public void Dispose()
        {
            Http.Dispose();
            Mock.Dispose();
        }

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }

    internal static class Json
    {
        /// <summary>Structural comparison, property order ignored; the failure shows both sides.</summary>
        public static void Equal(string expected, string? actual)
        {
            Assert.NotNull(actual);
            JsonNode? e = JsonNode.Parse(expected);
            JsonNode? a;
            try
            {
                a = JsonNode.Parse(actual!);
            }
            catch (JsonException ex)
            {
                throw new Xunit.Sdk.XunitException($"The body is not JSON ({ex.Message}): {actual}");
            }
            if (!JsonNode.DeepEquals(e, a))
                throw new Xunit.Sdk.XunitException($"JSON differs.\nExpected: {Canonical(e)}\nActual:   {Canonical(a)}");
        }

        /// <summary>Sorted-keys serialisation, for readable diffs.</summary>
        public static string Canonical(JsonNode? node)
        {
            switch (node)
            {
                case null: return "null";
                case JsonObject o:
                    return "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal)
                        .Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}";
                case JsonArray a:
                    return "[" + string.Join(",", a.Select(Canonical)) + "]";
                default:
                    return node.ToJsonString();
            }
        }

        public static JsonObject Object(string? text)
        {
            Assert.NotNull(text);
            var node = JsonNode.Parse(text!);
            return Assert.IsType<JsonObject>(node);
        }
    }

    /// <summary>SessionInfo bodies as the platform sends them.</summary>
    internal static class Bodies
    {
        public const string SessionId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

        public const string AvailableSession = @"{
  ""sessionId"": ""3fa85f64-5717-4562-b3fc-2c963f66afa6"",
  ""qosProfile"": ""DOWNLINK_L_UPLINK_L"",
  ""qosStatus"": ""AVAILABLE"",
  ""duration"": 3600,
  ""startedAt"": ""2024-06-18T08:48:12.300312Z"",
  ""expiresAt"": ""2024-06-18T09:48:12.300312Z"",
  ""device"": { ""phoneNumber"": ""+36721601234567"" },
  ""applicationServer"": { ""ipv4Address"": ""233.252.0.2"", ""ipv6Address"": ""2001:db8:1234:5678:9abc:def0:fedc:ba98"" }
}";

        public const string RequestedSession = @"{
  ""sessionId"": ""3fa85f64-5717-4562-b3fc-2c963f66afa6"",
  ""qosProfile"": ""DOWNLINK_L_UPLINK_L"",
  ""qosStatus"": ""REQUESTED"",
  ""duration"": 3600,
  ""device"": { ""phoneNumber"": ""+36721601234567"" },
  ""applicationServer"": { ""ipv4Address"": ""233.252.0.2"" }
}";

        public static string Session(string extraProperties, string status = "AVAILABLE", string id = SessionId) =>
            "{\"sessionId\":\"" + id + "\",\"qosProfile\":\"QOS_L\",\"qosStatus\":\"" + status + "\"" +
            (extraProperties.Length > 0 ? "," + extraProperties : "") + "}";
    }

    internal static class Fixtures
    {
        public const string Phone = "+36721601234567";
        public const string PublicIpv4 = "233.252.0.2";
        public const string PrivateIpv4 = "192.0.2.25";
        public const string DeviceIpv6 = "2001:db8:1234:5678:9abc:def0:fedc:ba98";

        /// <summary>The README's seed device: every identifier but the NAI.</summary>
        public static Device SeedDevice() => Device.Create(
            phoneNumber: Phone, ipv4PublicAddress: PublicIpv4, ipv4PrivateAddress: PrivateIpv4, ipv4PublicPort: 80, ipv6Address: DeviceIpv6);

        public const string SeedDeviceJson = @"{
  ""phoneNumber"": ""+36721601234567"",
  ""ipv4Address"": { ""publicAddress"": ""233.252.0.2"", ""privateAddress"": ""192.0.2.25"", ""publicPort"": 80 },
  ""ipv6Address"": ""2001:db8:1234:5678:9abc:def0:fedc:ba98""
}";
    }
}
