using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// Typed QoD v1 operations over one HttpClient. Stateless apart from its settings: the API key is read
    /// from the SecureString when each request's headers are set and is never traced.
    /// </summary>
    public sealed class NacClient
    {
        public const string QodPath = "/quality-on-demand/v1";
        private static readonly MediaTypeHeaderValue JsonType = new MediaTypeHeaderValue("application/json");

        private readonly HttpClient _http;
        private readonly NacConnectionSettings _settings;
        private readonly string _root;

        public NacClient(HttpClient http, NacConnectionSettings settings)
        {
            _http = http ?? throw new ArgumentNullException(nameof(http));
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _root = settings.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        /// <summary>How long one request may take before it fails as timed out. Default 30 s.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Where trace lines go; null for none.</summary>
        public INacTrace? Trace { get; set; }

        public NacConnectionSettings Settings => _settings;

        public async Task<QodSession> CreateSessionAsync(QodSessionRequest request, CancellationToken cancel)
        {
            request.Validate();
            byte[] body = QodWire.CreateSessionBody(request, DateTimeOffset.UtcNow);
            var response = await SendAsync(HttpMethod.Post, QodPath + "/sessions", body, cancel).ConfigureAwait(false);
            return ReadSession(response, request.Device);
        }

        public async Task<QodSession> GetSessionAsync(string sessionId, CancellationToken cancel)
        {
            var response = await SendAsync(HttpMethod.Get, SessionPath(sessionId), null, cancel).ConfigureAwait(false);
            return ReadSession(response, null);
        }

        /// <summary>All sessions of a device. A 404 (the older gateway's "no sessions") is an empty list.</summary>
        public async Task<IReadOnlyList<QodSession>> GetSessionsAsync(Device device, CancellationToken cancel)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            byte[] body = QodWire.RetrieveSessionsBody(device);
            Response response;
            try
            {
                response = await SendAsync(HttpMethod.Post, QodPath + "/retrieve-sessions", body, cancel).ConfigureAwait(false);
            }
            catch (NacApiException e) when (e.StatusCode == 404 && e.Code != "IDENTIFIER_NOT_FOUND")
            {
                return Array.Empty<QodSession>();
            }
            try
            {
                using var doc = QodWire.Parse(response.Body);
                if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException("the answer is not a JSON array");
                var sessions = new List<QodSession>();
                foreach (var item in doc.RootElement.EnumerateArray()) sessions.Add(QodWire.ReadSession(item, device));
                return sessions;
            }
            catch (Exception e) when (e is JsonException || e is FormatException)
            {
                throw new NacProtocolException($"The list of sessions could not be read: {e.Message}.", response.Request, response.Correlator, e);
            }
        }

        public async Task<QodSession> ExtendSessionAsync(string sessionId, int additionalSeconds, CancellationToken cancel)
        {
            Validation.NacValidation.Require("ExtendBy", Validation.NacValidation.CheckExtension("ExtendBy", additionalSeconds));
            var response = await SendAsync(HttpMethod.Post, SessionPath(sessionId) + "/extend", QodWire.ExtendBody(additionalSeconds), cancel).ConfigureAwait(false);
            return ReadSession(response, null);
        }

        public async Task DeleteSessionAsync(string sessionId, CancellationToken cancel)
        {
            await SendAsync(HttpMethod.Delete, SessionPath(sessionId), null, cancel).ConfigureAwait(false);
        }

        private static string SessionPath(string sessionId)
        {
            Validation.NacValidation.Require("SessionId", Validation.NacValidation.CheckSessionId("SessionId", sessionId));
            return QodPath + "/sessions/" + Uri.EscapeDataString(sessionId);
        }

        private static QodSession ReadSession(Response response, Device? callerDevice)
        {
            try
            {
                using var doc = QodWire.Parse(response.Body);
                return QodWire.ReadSession(doc.RootElement, callerDevice);
            }
            catch (Exception e) when (e is JsonException || e is FormatException)
            {
                throw new NacProtocolException($"The session in the answer could not be read: {e.Message}.", response.Request, response.Correlator, e);
            }
        }

        private sealed class Response
        {
            public Response(byte[] body, string request, string correlator)
            {
                Body = body;
                Request = request;
                Correlator = correlator;
            }

            public byte[] Body { get; }
            public string Request { get; }
            public string Correlator { get; }
        }

        /// <summary>Sends one request; returns the body of a 2xx answer, throws a <see cref="NacException"/> otherwise.</summary>
        private async Task<Response> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancel)
        {
            string url = _root + path;
            string label = method.Method + " " + url;
            string correlator = Guid.NewGuid().ToString();
            using var message = new HttpRequestMessage(method, url);
            message.Headers.TryAddWithoutValidation("X-RapidAPI-Key", new NetworkCredential("", _settings.Token).Password);
            message.Headers.TryAddWithoutValidation("X-RapidAPI-Host", _settings.RapidApiHost);
            message.Headers.TryAddWithoutValidation("x-correlator", correlator);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body != null)
            {
                message.Content = new ByteArrayContent(body);
                message.Content.Headers.ContentType = JsonType;
                Trace?.Debug($"{label} x-correlator={correlator} body: {QodWire.Redact(body)}");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(Timeout);
            var clock = Stopwatch.StartNew();
            HttpResponseMessage response;
            byte[] answer;
            try
            {
                response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                Trace?.Verbose($"{label} timed out after {Timeout.TotalSeconds:0.#} s (x-correlator {correlator})");
                throw new NacConnectionException(
                    $"The request timed out after {Timeout.TotalSeconds:0.#} s with no answer from {url}. Request: {label}. x-correlator: {correlator}.",
                    label, correlator, isTimeout: true, inner: null);
            }
            catch (HttpRequestException e)
            {
                string why = Innermost(e).Message;
                Trace?.Verbose($"{label} failed: {why}");
                throw new NacConnectionException(
                    $"Could not connect to {_settings.BaseUrl.GetLeftPart(UriPartial.Authority)}: {why.TrimEnd('.')}. Request: {label}.",
                    label, correlator, isTimeout: false, inner: e);
            }

            using (response)
            {
                int status = (int)response.StatusCode;
                string echoed = HeaderValue(response, "x-correlator") ?? correlator;
                Trace?.Verbose($"{label} -> {status} {response.ReasonPhrase} ({clock.ElapsedMilliseconds} ms, x-correlator {echoed})");
                if (answer.Length > 0) Trace?.Debug($"{label} answer: {QodWire.Redact(answer)}");
                if (status >= 200 && status < 300) return new Response(answer, label, echoed);

                var (code, text) = QodWire.ReadError(answer);
                throw new NacApiException(status, response.ReasonPhrase, code, text, label, echoed, RetryAfter(response));
            }
        }

        private static string? HeaderValue(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

        private static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            if (header.Delta.HasValue) return header.Delta;
            if (header.Date.HasValue)
            {
                var wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            return null;
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }
    }
}
