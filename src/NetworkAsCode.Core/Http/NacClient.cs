using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// Typed QoD v1 operations over one HttpClient. The API key is read from its SecureString only when a
    /// request's headers are set, and is never traced.
    /// <para>
    /// Retries never duplicate: get, retrieve and delete are repeated on 429, 502, 503, 504 and transient
    /// connection failures. Create and extend are repeated only when the server surely did nothing (429, a
    /// refused connection). When their outcome is unknown (timeout, 5xx, dropped connection) the client
    /// first looks at the platform's state: an existing session with the same profile, server and ports is
    /// the one the lost attempt created; an extension that already moved the expiry is done.
    /// </para>
    /// </summary>
    public sealed partial class NacClient
    {
        public const string QodPath = "/quality-on-demand/v1";
        public const string QosProfilesPath = "/qos-profiles/v1";

        private readonly HttpClient _http;
        private readonly NacConnectionSettings _settings;
        private readonly string _root;
        private NacRetryPolicy _policy = NacRetryPolicy.Default;

        public NacClient(HttpClient http, NacConnectionSettings settings)
        {
            _http = http ?? throw new ArgumentNullException(nameof(http));
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _root = settings.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
            AddSecret(new NetworkCredential("", settings.Token).Password);
        }

        /// <summary>Retry count, waits and the per-attempt timeout.</summary>
        public NacRetryPolicy RetryPolicy
        {
            get => _policy;
            set
            {
                _policy = value ?? throw new ArgumentNullException(nameof(value));
            }
        }

        /// <summary>How long one attempt may take before it fails as timed out. Default 30 s.</summary>
        public TimeSpan Timeout
        {
            get => _policy.Timeout;
            set => RetryPolicy = new NacRetryPolicy(_policy.MaxRetries, value) { BaseDelay = _policy.BaseDelay, MaxDelay = _policy.MaxDelay };
        }

        /// <summary>Where trace lines go; null for none. Every line is scrubbed of the secrets this client knows.</summary>
        public INacTrace? Trace { get; set; }

        private readonly List<string> _secrets = new List<string>();

        /// <summary>Remembers a secret so that no trace line or error message ever shows it, whatever the server echoes.</summary>
        private void AddSecret(string? secret)
        {
            if (string.IsNullOrEmpty(secret) || secret!.Length < 4) return;
            lock (_secrets)
                if (!_secrets.Contains(secret)) _secrets.Add(secret);
        }

        internal string Scrub(string text)
        {
            lock (_secrets)
                foreach (string secret in _secrets)
                    if (text.IndexOf(secret, StringComparison.Ordinal) >= 0) text = text.Replace(secret, "***");
            return text;
        }

        /// <summary>Whether request and answer bodies are traced (at -Debug); redacting them costs time, so only when someone listens.</summary>
        public bool TraceBodies { get; set; } = true;

        private void Verbose(string line) => Trace?.Verbose(Scrub(line));
        private void Debug(string line) => Trace?.Debug(Scrub(line));
        private bool TracingBodies => Trace != null && TraceBodies;

        public NacConnectionSettings Settings => _settings;

        public async Task<QodSession> CreateSessionAsync(QodSessionRequest request, CancellationToken cancel)
        {
            request.Validate();
            if (request.NotificationAuthToken != null) AddSecret(new NetworkCredential("", request.NotificationAuthToken).Password);
            int retriesLeft = _policy.MaxRetries;
            for (int round = 0; ; round++)
            {
                byte[] body = QodWire.CreateSessionBody(request, DateTimeOffset.UtcNow);
                var attempt = await SendAsync(HttpMethod.Post, QodPath + "/sessions", body, Repeat.OnlyIfNotSent, cancel, retriesLeft).ConfigureAwait(false);
                retriesLeft -= attempt.Number - 1;
                if (attempt.Succeeded) return ReadSession(attempt, request.Device);
                if (!attempt.OutcomeUnknown) throw attempt.ToException(Scrub);
                if (retriesLeft <= 0)
                    throw Unresolved(attempt, "no retry is left: list the device's sessions (Get-NacQodSession -Device) before creating it again", null);

                Verbose($"The outcome of {attempt.Request} is unknown ({attempt.Describe()}): checking the device's sessions before creating again.");
                IReadOnlyList<QodSession> existing;
                try
                {
                    existing = await GetSessionsAsync(request.Device, cancel).ConfigureAwait(false);
                }
                catch (NacException e)
                {
                    throw Unresolved(attempt, "the device's sessions could not be listed to check whether it was created", e);
                }
                var created = existing.FirstOrDefault(s => s.Status != "UNAVAILABLE" && SameFlow(request, s));
                if (created != null)
                {
                    Verbose($"Session {created.SessionId} has the same profile, server and ports: the earlier attempt created it; not creating again.");
                    return created;
                }
                if (attempt.RetryAfter > _policy.MaxDelay)
                    throw Unresolved(attempt, "no session was found; it was not sent again because the server asked to wait longer than MaxDelay", null);
                Verbose($"No session was created by the earlier attempt: sending the create again (retry {_policy.MaxRetries - retriesLeft + 1} of {_policy.MaxRetries}).");
                retriesLeft--;
                await Task.Delay(WaitBefore(attempt, round), cancel).ConfigureAwait(false);
            }
        }

        public async Task<QodSession> GetSessionAsync(string sessionId, CancellationToken cancel)
        {
            var attempt = await SendAsync(HttpMethod.Get, SessionPath(sessionId), null, Repeat.Safe, cancel).ConfigureAwait(false);
            if (!attempt.Succeeded) throw attempt.ToException(Scrub);
            return ReadSession(attempt, null);
        }

        /// <summary>All sessions of a device. A 404 (the older gateway's "no sessions") is an empty list.</summary>
        public async Task<IReadOnlyList<QodSession>> GetSessionsAsync(Device device, CancellationToken cancel)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            byte[] body = QodWire.RetrieveSessionsBody(device);
            var attempt = await SendAsync(HttpMethod.Post, QodPath + "/retrieve-sessions", body, Repeat.Safe, cancel).ConfigureAwait(false);
            if (attempt.Status == 404 && attempt.ErrorCode != "IDENTIFIER_NOT_FOUND") return Array.Empty<QodSession>();
            if (!attempt.Succeeded) throw attempt.ToException(Scrub);
            return ReadAnswer(attempt, "The list of sessions", root => ReadArray(root, item => QodWire.ReadSession(item, device)));
        }

        /// <summary>
        /// Every session of the application (the API key), whatever its device: NaC's non-CAMARA
        /// <c>GET /quality-on-demand/v1/sessions</c>. The way to find sessions nobody remembers.
        /// </summary>
        public async Task<IReadOnlyList<QodSession>> ListSessionsAsync(CancellationToken cancel)
        {
            var attempt = await SendAsync(HttpMethod.Get, QodPath + "/sessions", null, Repeat.Safe, cancel).ConfigureAwait(false);
            if (!attempt.Succeeded) throw attempt.ToException(Scrub);
            return ReadAnswer(attempt, "The list of sessions", root => ReadArray(root, item => QodWire.ReadSession(item, null)));
        }

        /// <summary>
        /// Extends a session. <paramref name="before"/>, the session as last known, lets an extension whose
        /// outcome is unknown be checked and, if it did not happen, sent again; without it such an
        /// extension is reported as unknown and never repeated.
        /// </summary>
        public async Task<QodSession> ExtendSessionAsync(string sessionId, int additionalSeconds, CancellationToken cancel, QodSession? before = null)
        {
            NacValidation.Require("ExtendBy", NacValidation.CheckExtension("ExtendBy", additionalSeconds));
            string path = SessionPath(sessionId) + "/extend";
            int retriesLeft = _policy.MaxRetries;
            for (int round = 0; ; round++)
            {
                var attempt = await SendAsync(HttpMethod.Post, path, QodWire.ExtendBody(additionalSeconds), Repeat.OnlyIfNotSent, cancel, retriesLeft).ConfigureAwait(false);
                retriesLeft -= attempt.Number - 1;
                if (attempt.Succeeded) return ReadSession(attempt, before?.Device);
                if (!attempt.OutcomeUnknown) throw attempt.ToException(Scrub);
                if (retriesLeft <= 0)
                    throw Unresolved(attempt, "no retry is left: check the session (Get-NacQodSession) before extending it again", null);
                if (before?.ExpiresAt == null)
                    throw Unresolved(attempt, "it was not sent again, so that the session is never extended twice; check it with Get-NacQodSession", null);

                Verbose($"The outcome of {attempt.Request} is unknown ({attempt.Describe()}): checking the session before extending again.");
                QodSession now;
                try
                {
                    now = await GetSessionAsync(sessionId, cancel).ConfigureAwait(false);
                }
                catch (NacException e)
                {
                    throw Unresolved(attempt, "the session could not be read to check whether it was extended", e);
                }
                if (now.ExpiresAt > before.ExpiresAt)
                {
                    Verbose($"Session {sessionId} now expires at {now.ExpiresAt:o}, later than before: the earlier attempt extended it; not extending again.");
                    if (now.Device == null) now.Device = before.Device;
                    return now;
                }
                if (attempt.RetryAfter > _policy.MaxDelay)
                    throw Unresolved(attempt, "it was not extended; it was not sent again because the server asked to wait longer than MaxDelay", null);
                retriesLeft--;
                await Task.Delay(WaitBefore(attempt, round), cancel).ConfigureAwait(false);
            }
        }

        public async Task DeleteSessionAsync(string sessionId, CancellationToken cancel)
        {
            var attempt = await SendAsync(HttpMethod.Delete, SessionPath(sessionId), null, Repeat.Safe, cancel).ConfigureAwait(false);
            if (attempt.Succeeded) return;
            // A retry that finds the session gone means an earlier attempt deleted it.
            if (attempt.Status == 404 && attempt.Number > 1) return;
            throw attempt.ToException(Scrub);
        }

        /// <summary>The platform's QoS profiles (qos-profiles v1, retrieve-qos-profiles with no filter).</summary>
        public async Task<IReadOnlyList<QosProfile>> GetQosProfilesAsync(CancellationToken cancel)
        {
            var attempt = await SendAsync(HttpMethod.Post, QosProfilesPath + "/retrieve-qos-profiles", new byte[] { (byte)'{', (byte)'}' }, Repeat.Safe, cancel).ConfigureAwait(false);
            if (!attempt.Succeeded) throw attempt.ToException(Scrub);
            return ReadAnswer(attempt, "The list of QoS profiles", root => ReadArray(root, QodWire.ReadProfile));
        }

        private static bool SameFlow(QodSessionRequest request, QodSession session) =>
            string.Equals(session.Profile, request.Profile, StringComparison.Ordinal) &&
            SameAddress(session.ServiceIpv4, request.ServiceIpv4) &&
            SameAddress(session.ServiceIpv6, request.ServiceIpv6) &&
            SamePorts(session.ServicePorts, request.ServicePorts) &&
            SamePorts(session.DevicePorts, request.DevicePorts);

        private static bool SameText(string? a, string? b) =>
            string.Equals(string.IsNullOrEmpty(a) ? null : a, string.IsNullOrEmpty(b) ? null : b, StringComparison.OrdinalIgnoreCase);

        /// <summary>Addresses or prefixes compared as such: 2001:db8:0::1 is 2001:DB8::1, and a.b.c.d is a.b.c.d/32.</summary>
        private static bool SameAddress(string? a, string? b)
        {
            if (SameText(a, b)) return true;
            return TryParsePrefix(a, out var ipA, out int widthA) && TryParsePrefix(b, out var ipB, out int widthB) &&
                   ipA.Equals(ipB) && widthA == widthB;
        }

        private static bool TryParsePrefix(string? text, out IPAddress address, out int width)
        {
            address = IPAddress.None;
            width = 0;
            if (string.IsNullOrEmpty(text)) return false;
            int slash = text!.IndexOf('/');
            if (!IPAddress.TryParse(slash < 0 ? text : text.Substring(0, slash), out var parsed)) return false;
            address = parsed;
            int full = parsed.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
            if (slash < 0) { width = full; return true; }
            return int.TryParse(text.Substring(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out width) && width <= full;
        }

        private static bool SamePorts(PortsSpec? a, PortsSpec? b)
        {
            bool aEmpty = a == null || a.IsEmpty, bEmpty = b == null || b.IsEmpty;
            if (aEmpty || bEmpty) return aEmpty && bEmpty;
            return a!.Ports.OrderBy(p => p).SequenceEqual(b!.Ports.OrderBy(p => p)) &&
                   a.Ranges.OrderBy(r => r.From).ThenBy(r => r.To).SequenceEqual(b.Ranges.OrderBy(r => r.From).ThenBy(r => r.To));
        }

        /// <summary>The failure of an attempt whose outcome stays unknown, said so, with the attempt's own category.</summary>
        private NacException Unresolved(Attempt attempt, string what, NacException? inner) =>
            attempt.ToException(Scrub, $"The outcome is unknown, and {what}" + (inner == null ? "." : $": {inner.Message.TrimEnd('.')}."));

        /// <summary>The server's Retry-After when it gave one (capped), else exponential back-off with jitter.</summary>
        private TimeSpan WaitBefore(Attempt failed, int round)
        {
            if (failed.RetryAfter.HasValue)
                return failed.RetryAfter.Value < _policy.MaxDelay ? failed.RetryAfter.Value : _policy.MaxDelay;
            return Backoff(round);
        }

        private TimeSpan Backoff(int round)
        {
            double ms = _policy.BaseDelay.TotalMilliseconds * Math.Pow(2, round);
            ms = Math.Min(ms, _policy.MaxDelay.TotalMilliseconds);
            double jitter;
            lock (Jitter) jitter = Jitter.NextDouble();
            return TimeSpan.FromMilliseconds(ms * (0.8 + 0.4 * jitter));
        }

        private static readonly Random Jitter = new Random();

        private static string SessionPath(string sessionId)
        {
            NacValidation.Require("SessionId", NacValidation.CheckSessionId("SessionId", sessionId));
            return QodPath + "/sessions/" + Uri.EscapeDataString(sessionId);
        }

        private static QodSession ReadSession(Attempt attempt, Device? callerDevice) =>
            ReadAnswer(attempt, "The session in the answer", root => QodWire.ReadSession(root, callerDevice));

        /// <summary>Reads a success answer's JSON; a body that is not what the API defines is a <see cref="NacProtocolException"/>.</summary>
        private static T ReadAnswer<T>(Attempt attempt, string what, Func<JsonElement, T> read)
        {
            try
            {
                using var doc = QodWire.Parse(attempt.Body);
                return read(doc.RootElement);
            }
            catch (Exception e) when (e is JsonException || e is FormatException)
            {
                throw new NacProtocolException($"{what} could not be read: {e.Message.TrimEnd('.')}.", attempt.Request, attempt.Correlator, e);
            }
        }

        private static IReadOnlyList<T> ReadArray<T>(JsonElement root, Func<JsonElement, T> readItem)
        {
            if (root.ValueKind != JsonValueKind.Array) throw new FormatException("the answer is not a JSON array");
            var items = new List<T>(root.GetArrayLength());
            foreach (var item in root.EnumerateArray()) items.Add(readItem(item));
            return items;
        }

        // ---- sending ----

        private enum Repeat
        {
            /// <summary>Safe to send again: 429, 502-504 and transient connection failures are retried.</summary>
            Safe,
            /// <summary>Not safe to send blindly: retried only when the server surely did nothing (429, connection refused).</summary>
            OnlyIfNotSent,
        }

        private static readonly ResiliencePropertyKey<int> RetryBudget = new ResiliencePropertyKey<int>("nac.retry-budget");
        private static readonly ResiliencePropertyKey<NacClient?> Caller = new ResiliencePropertyKey<NacClient?>("nac.client");

        /// <summary>
        /// Pipelines depend only on the policy's numbers, so they are built once per process and shared; the
        /// client a call belongs to (for its trace) travels in the call's context.
        /// </summary>
        private static readonly ConcurrentDictionary<(Repeat, int, long, long), ResiliencePipeline<Attempt>> Pipelines =
            new ConcurrentDictionary<(Repeat, int, long, long), ResiliencePipeline<Attempt>>();

        private async Task<Attempt> SendAsync(HttpMethod method, string path, byte[]? body, Repeat repeat, CancellationToken cancel, int? retries = null)
        {
            string url = _root + path;
            int budget = Math.Min(retries ?? _policy.MaxRetries, _policy.MaxRetries);
            if (budget <= 0) return await SendOnceAsync(method, url, body, 1, cancel).ConfigureAwait(false);

            var policy = _policy;
            var pipeline = Pipelines.GetOrAdd((repeat, policy.MaxRetries, policy.BaseDelay.Ticks, policy.MaxDelay.Ticks), _ => BuildPipeline(repeat, policy));
            var context = ResilienceContextPool.Shared.Get(cancel);
            context.Properties.Set(RetryBudget, budget);
            context.Properties.Set(Caller, this);
            try
            {
                int number = 0;
                return await pipeline.ExecuteAsync(
                    async (ctx, state) => await SendOnceAsync(state.method, state.url, state.body, ++number, ctx.CancellationToken).ConfigureAwait(false),
                    context, (method, url, body)).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private static ResiliencePipeline<Attempt> BuildPipeline(Repeat repeat, NacRetryPolicy policy)
        {
            return new ResiliencePipelineBuilder<Attempt>()
                .AddRetry(new RetryStrategyOptions<Attempt>
                {
                    MaxRetryAttempts = policy.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = policy.BaseDelay,
                    MaxDelay = policy.MaxDelay,
                    ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result is Attempt a && a.ShouldRetry(repeat, policy.MaxDelay) &&
                        args.AttemptNumber < args.Context.Properties.GetValue(RetryBudget, policy.MaxRetries)),
                    DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result?.RetryAfter),
                    OnRetry = args =>
                    {
                        if (args.Outcome.Result is Attempt a && args.Context.Properties.GetValue(Caller, null) is NacClient client)
                            client.Verbose($"{a.Request}: {a.Describe()}; retry {args.AttemptNumber + 1} of {policy.MaxRetries} in {args.RetryDelay.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s.");
                        return default;
                    },
                })
                .Build();
        }

        /// <summary>One request, one answer (or the reason there was none). Never throws for HTTP or transport failures.</summary>
        private async Task<Attempt> SendOnceAsync(HttpMethod method, string url, byte[]? body, int number, CancellationToken cancel)
        {
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
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (TracingBodies) Debug($"{label} x-correlator={correlator} body: {QodWire.Redact(body)}");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(_policy.Timeout);
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                byte[] answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                int status = (int)response.StatusCode;
                string echoed = HeaderValue(response, "x-correlator") ?? correlator;
                if (Trace != null) Verbose($"{label} -> {status} {response.ReasonPhrase} ({clock.ElapsedMilliseconds} ms, x-correlator {echoed})");
                if (answer.Length > 0 && TracingBodies) Debug($"{label} answer: {QodWire.Redact(answer)}");
                return new Attempt(label, echoed, number) { Status = status, Reason = response.ReasonPhrase, Body = answer, RetryAfter = RetryAfter(response) };
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                string seconds = _policy.Timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
                Verbose($"{label} timed out after {seconds} s (x-correlator {correlator})");
                return new Attempt(label, correlator, number) { TimedOut = true, Failure = $"no answer within {seconds} s" };
            }
            catch (HttpRequestException e)
            {
                var socket = Find<SocketException>(e);
                string why = Innermost(e).Message.TrimEnd('.');
                Verbose($"{label} failed: {why}");
                return new Attempt(label, correlator, number)
                {
                    Failure = why,
                    Inner = e,
                    NotSent = socket?.SocketErrorCode == SocketError.ConnectionRefused,
                    Permanent = socket?.SocketErrorCode == SocketError.HostNotFound || socket?.SocketErrorCode == SocketError.NoData,
                    Authority = new Uri(url).GetLeftPart(UriPartial.Authority),
                };
            }
        }

        /// <summary>The result of one request: an HTTP answer, or why there was none.</summary>
        private sealed class Attempt
        {
            public Attempt(string request, string correlator, int number)
            {
                Request = request;
                Correlator = correlator;
                Number = number;
            }

            public string Request { get; }
            public string Correlator { get; }
            public int Number { get; }
            public int Status { get; set; }
            public string? Reason { get; set; }
            public byte[] Body { get; set; } = Array.Empty<byte>();
            public TimeSpan? RetryAfter { get; set; }
            public bool TimedOut { get; set; }
            public string? Failure { get; set; }
            public Exception? Inner { get; set; }
            public bool NotSent { get; set; }
            public bool Permanent { get; set; }
            public string? Authority { get; set; }

            public bool Succeeded => Status >= 200 && Status < 300;
            private bool NoAnswer => Status == 0;

            /// <summary>The server may or may not have acted: a timeout, a dropped connection, a 5xx.</summary>
            public bool OutcomeUnknown => (NoAnswer && !NotSent && !Permanent) || Status >= 500;

            public string? ErrorCode => Succeeded || NoAnswer ? null : QodWire.ReadError(Body).code;

            public bool ShouldRetry(Repeat repeat, TimeSpan maxDelay)
            {
                if (RetryAfter.HasValue && RetryAfter.Value > maxDelay) return false;
                if (Status == 429 || NotSent) return true;
                if (repeat != Repeat.Safe) return false;
                return Status == 502 || Status == 503 || Status == 504 || (NoAnswer && !Permanent);
            }

            public string Describe() => NoAnswer ? Failure ?? "no answer" : $"HTTP {Status} {Reason}".TrimEnd();

            /// <summary>The exception for this failed attempt; <paramref name="scrub"/> removes secrets from server text.</summary>
            public NacException ToException(Func<string, string> scrub, string? note = null)
            {
                string tail = note == null ? "" : " " + note;
                if (TimedOut)
                    return new NacConnectionException($"The request timed out: {Failure}. Request: {Request}. x-correlator: {Correlator}.{tail}", Request, Correlator, true, null);
                if (NoAnswer)
                    return new NacConnectionException(scrub($"Could not connect to {Authority}: {Failure}. Request: {Request}.{tail}"), Request, Correlator, false, Inner);
                var (code, text) = QodWire.ReadError(Body);
                return new NacApiException(Status, Reason, code, text == null ? null : scrub(text), Request, Correlator, RetryAfter, note);
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

        private static T? Find<T>(Exception e) where T : Exception
        {
            for (Exception? x = e; x != null; x = x.InnerException)
                if (x is T found) return found;
            return null;
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }
    }
}
