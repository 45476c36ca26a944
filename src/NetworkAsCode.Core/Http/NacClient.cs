using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// Typed QoD v1 operations over one HttpClient. The API key is read from its SecureString only when a
    /// request's headers are set, and is never traced.
    /// <para>
    /// Retries never duplicate: get, retrieve and delete are repeated on 502, 503, 504 and transient
    /// connection failures. Create and extend are repeated only when the server surely did nothing (a
    /// refused connection). When their outcome is unknown (timeout, 5xx, dropped connection, a success whose
    /// answer cannot be read) the client first looks at the platform's state: an existing session with the
    /// same profile, server and ports is the one the lost attempt created; an extension that already moved
    /// the expiry is done.
    /// </para>
    /// <para>
    /// A rate-limit 429 means nothing was done: every operation goes back through the <see cref="NacPacer"/>
    /// shared by all clients of the endpoint and key, which slows everyone down, and is sent again until the
    /// operation's time runs out. A quota 429 stops at once and blocks the key until the quota resets. The
    /// policy's timeout bounds each operation as the caller sees it, and answers are read up to
    /// <see cref="MaxAnswerBytes"/> only.
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
            // Decoded once per client (not per request); kept only in this object, never written anywhere.
            _key = new NetworkCredential("", settings.Token).Password;
            AddSecret(_key);
            if (!KeyFingerprints.TryGetValue(settings.Token, out string? fingerprint))
            {
                fingerprint = NacPacer.Fingerprint(_key);
                try { KeyFingerprints.Add(settings.Token, fingerprint); } catch (ArgumentException) { /* another client added it */ }
            }
            _pacer = NacPacer.For(_root, settings.RapidApiHost, fingerprint!);
        }

        /// <summary>Each token's fingerprint, computed once per token object (Connect-Nac's lives as long as the context), never holding the key.</summary>
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<System.Security.SecureString, string> KeyFingerprints =
            new System.Runtime.CompilerServices.ConditionalWeakTable<System.Security.SecureString, string>();

        private readonly string _key;

        private NacPacer _pacer;

        /// <summary>The pacer this client's requests go through: by default the one shared by every client of the same endpoint, host and key.</summary>
        internal NacPacer Pacer
        {
            get => _pacer;
            set => _pacer = value ?? throw new ArgumentNullException(nameof(value));
        }

        /// <summary>Retry count, waits and the timeout of each operation.</summary>
        public NacRetryPolicy RetryPolicy
        {
            get => _policy;
            set
            {
                _policy = value ?? throw new ArgumentNullException(nameof(value));
            }
        }

        /// <summary>
        /// How long one operation may take, as the caller sees it: every attempt, pacer wait, back-off and
        /// check of the platform's state included. Default 30 s.
        /// </summary>
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
            using var op = Begin(cancel);
            int retriesLeft = _policy.MaxRetries;
            for (int round = 0; ; round++)
            {
                byte[] body = QodWire.CreateSessionBody(request, DateTimeOffset.UtcNow);
                var attempt = await SendAsync(HttpMethod.Post, QodPath + "/sessions", body, Repeat.OnlyIfNotSent, op, retriesLeft).ConfigureAwait(false);
                retriesLeft -= attempt.Retried;
                if (attempt.Succeeded) return await ReadCreatedAsync(attempt, request, op).ConfigureAwait(false);
                if (!attempt.OutcomeUnknown) throw Failure(attempt);
                if (retriesLeft <= 0 || attempt.DeadlineReached)
                    throw Unresolved(attempt, "it was not sent again, since the operation's time or retries are spent: list the device's sessions (Get-NacQodSession -Device, or Get-NacQodSession with no parameter for all) before creating it again", null);

                Verbose($"The outcome of {attempt.Request} is unknown ({attempt.Describe()}): checking the device's sessions before creating again.");
                IReadOnlyList<QodSession> existing;
                try
                {
                    existing = await GetSessionsAsync(request.Device, op).ConfigureAwait(false);
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
                await DelayWithin(op, WaitBefore(attempt, round), attempt).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// A create that succeeded, but whose answer cannot be read (HTML, too large, not a session): the
        /// session exists. Finds it among the device's sessions; if that fails, says so and how to find it.
        /// </summary>
        private async Task<QodSession> ReadCreatedAsync(Attempt attempt, QodSessionRequest request, Operation op)
        {
            NacException unreadable;
            if (attempt.Readable)
            {
                try
                {
                    return ReadSession(attempt, request.Device);
                }
                catch (NacProtocolException e)
                {
                    unreadable = e;
                }
            }
            else unreadable = Failure(attempt);
            Verbose($"{attempt.Request} succeeded (HTTP {attempt.Status}) but its answer cannot be read: looking for the session among the device's sessions.");
            const string find = "The session was most likely created: find it with Get-NacQodSession -Device, or Get-NacQodSession with no parameter for every session of the key, before creating it again.";
            try
            {
                var existing = await GetSessionsAsync(request.Device, op).ConfigureAwait(false);
                var created = existing.Where(s => s.Status != "UNAVAILABLE" && SameFlow(request, s)).ToList();
                if (created.Count == 1) return created[0];
            }
            catch (NacException e)
            {
                throw new NacProtocolException($"{unreadable.Message.TrimEnd('.')}; the device's sessions could not be listed ({e.Message.TrimEnd('.')}). {find}",
                    attempt.Request, attempt.Correlator, unreadable, NacProtocolFault.Unreadable, attempt.Status, attempt.ContentType, null, attempt.RequestId);
            }
            throw new NacProtocolException($"{unreadable.Message.TrimEnd('.')}. {find}",
                attempt.Request, attempt.Correlator, unreadable, NacProtocolFault.Unreadable, attempt.Status, attempt.ContentType, null, attempt.RequestId);
        }

        /// <summary>Waits before sending again; when the deadline comes first, the attempt's failure is the answer.</summary>
        private async Task DelayWithin(Operation op, TimeSpan wait, Attempt failed)
        {
            if (wait >= op.Remaining)
                throw Unresolved(failed, $"the {NacDeadline.Tenths(op.Timeout)} s the operation may take do not allow another attempt; check before sending it again", null);
            try
            {
                await Task.Delay(wait, op.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (op.Expired)
            {
                throw Unresolved(failed, $"the {NacDeadline.Tenths(op.Timeout)} s the operation may take ran out; check before sending it again", null);
            }
        }

        public async Task<QodSession> GetSessionAsync(string sessionId, CancellationToken cancel)
        {
            using var op = Begin(cancel);
            return await GetSessionAsync(sessionId, op).ConfigureAwait(false);
        }

        private async Task<QodSession> GetSessionAsync(string sessionId, Operation op)
        {
            var attempt = await SendAsync(HttpMethod.Get, SessionPath(sessionId), null, Repeat.Safe, op).ConfigureAwait(false);
            if (!attempt.Readable) throw Failure(attempt);
            return ReadSession(attempt, null);
        }

        /// <summary>All sessions of a device. A 404 (the older gateway's "no sessions") is an empty list.</summary>
        public async Task<IReadOnlyList<QodSession>> GetSessionsAsync(Device device, CancellationToken cancel)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            using var op = Begin(cancel);
            return await GetSessionsAsync(device, op).ConfigureAwait(false);
        }

        private async Task<IReadOnlyList<QodSession>> GetSessionsAsync(Device device, Operation op)
        {
            byte[] body = QodWire.RetrieveSessionsBody(device);
            var attempt = await SendAsync(HttpMethod.Post, QodPath + "/retrieve-sessions", body, Repeat.Safe, op).ConfigureAwait(false);
            if (attempt.Status == 404 && !attempt.NotJson && attempt.GatewayFault == null && attempt.ErrorCode != "IDENTIFIER_NOT_FOUND") return Array.Empty<QodSession>();
            if (!attempt.Readable) throw Failure(attempt);
            return ReadAnswer(attempt, "The list of sessions", root => ReadArray(root, item => QodWire.ReadSession(item, device)));
        }

        /// <summary>
        /// Every session of the application (the API key), whatever its device: NaC's non-CAMARA
        /// <c>GET /quality-on-demand/v1/sessions</c>. The way to find sessions nobody remembers.
        /// </summary>
        public async Task<IReadOnlyList<QodSession>> ListSessionsAsync(CancellationToken cancel)
        {
            using var op = Begin(cancel);
            var attempt = await SendAsync(HttpMethod.Get, QodPath + "/sessions", null, Repeat.Safe, op).ConfigureAwait(false);
            if (!attempt.Readable) throw Failure(attempt);
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
            using var op = Begin(cancel);
            int retriesLeft = _policy.MaxRetries;
            for (int round = 0; ; round++)
            {
                var attempt = await SendAsync(HttpMethod.Post, path, QodWire.ExtendBody(additionalSeconds), Repeat.OnlyIfNotSent, op, retriesLeft).ConfigureAwait(false);
                retriesLeft -= attempt.Retried;
                if (attempt.Succeeded) return await ReadExtendedAsync(attempt, sessionId, before, op).ConfigureAwait(false);
                if (!attempt.OutcomeUnknown) throw Failure(attempt);
                if (retriesLeft <= 0 || attempt.DeadlineReached)
                    throw Unresolved(attempt, "it was not sent again, since the operation's time or retries are spent: check the session (Get-NacQodSession) before extending it again", null);
                if (before?.ExpiresAt == null)
                    throw Unresolved(attempt, "it was not sent again, so that the session is never extended twice; check it with Get-NacQodSession", null);

                Verbose($"The outcome of {attempt.Request} is unknown ({attempt.Describe()}): checking the session before extending again.");
                QodSession now;
                try
                {
                    now = await GetSessionAsync(sessionId, op).ConfigureAwait(false);
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
                await DelayWithin(op, WaitBefore(attempt, round), attempt).ConfigureAwait(false);
            }
        }

        /// <summary>An extension that succeeded but whose answer cannot be read: it happened; the session is read back.</summary>
        private async Task<QodSession> ReadExtendedAsync(Attempt attempt, string sessionId, QodSession? before, Operation op)
        {
            NacException unreadable;
            if (attempt.Readable)
            {
                try
                {
                    return ReadSession(attempt, before?.Device);
                }
                catch (NacProtocolException e)
                {
                    unreadable = e;
                }
            }
            else unreadable = Failure(attempt);
            Verbose($"{attempt.Request} succeeded (HTTP {attempt.Status}) but its answer cannot be read: reading the session back.");
            try
            {
                var now = await GetSessionAsync(sessionId, op).ConfigureAwait(false);
                if (now.Device == null && before != null) now.Device = before.Device;
                return now;
            }
            catch (NacException e)
            {
                throw new NacProtocolException($"{unreadable.Message.TrimEnd('.')}; the session could not be read back ({e.Message.TrimEnd('.')}). " +
                    "The extension was accepted: check the session's expiry with Get-NacQodSession before extending it again.",
                    attempt.Request, attempt.Correlator, unreadable, NacProtocolFault.Unreadable, attempt.Status, attempt.ContentType, null, attempt.RequestId);
            }
        }

        public async Task DeleteSessionAsync(string sessionId, CancellationToken cancel)
        {
            using var op = Begin(cancel);
            var attempt = await SendAsync(HttpMethod.Delete, SessionPath(sessionId), null, Repeat.Safe, op).ConfigureAwait(false);
            if (attempt.Succeeded && !attempt.NotJson && !attempt.TooLarge) return;
            // A retry that finds the session gone means an earlier attempt deleted it.
            if (attempt.Status == 404 && attempt.Number > 1 && !attempt.NotJson && attempt.GatewayFault == null) return;
            throw Failure(attempt);
        }

        /// <summary>The platform's QoS profiles (qos-profiles v1, retrieve-qos-profiles with no filter).</summary>
        public async Task<IReadOnlyList<QosProfile>> GetQosProfilesAsync(CancellationToken cancel)
        {
            using var op = Begin(cancel);
            var attempt = await SendAsync(HttpMethod.Post, QosProfilesPath + "/retrieve-qos-profiles", new byte[] { (byte)'{', (byte)'}' }, Repeat.Safe, op).ConfigureAwait(false);
            if (!attempt.Readable) throw Failure(attempt);
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
            Failure(attempt, $"The outcome is unknown, and {what}" + (inner == null ? "." : $": {inner.Message.TrimEnd('.')}."));

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
                throw new NacProtocolException($"{what} could not be read: {e.Message.TrimEnd('.')}.", attempt.Request, attempt.Correlator, e,
                    NacProtocolFault.Unreadable, attempt.Status, null, null, attempt.RequestId);
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

        /// <summary>
        /// One operation as the caller sees it: the deadline (the policy's timeout, or the
        /// <see cref="NacDeadline"/> of the flow the call is part of) covers every attempt, wait and back-off
        /// of it, and the check of the platform's state after an unknown outcome.
        /// </summary>
        private sealed class Operation : IDisposable
        {
            private CancellationTokenSource _deadline;
            private readonly long _started = Stopwatch.GetTimestamp();
            private readonly long _ends;

            /// <param name="cancel">The caller's token (Ctrl+C).</param>
            /// <param name="timeout">The whole operation's time: the policy's, or the flow's limit.</param>
            /// <param name="ends">When a flow's deadline ends (a Stopwatch timestamp); 0 for <paramref name="timeout"/> from now.</param>
            public Operation(CancellationToken cancel, TimeSpan timeout, long ends = 0)
            {
                User = cancel;
                Timeout = timeout;
                _ends = ends != 0 ? ends : _started + NacDeadline.StopwatchTicks(timeout);
                _deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                _deadline.CancelAfter(ends != 0 ? NonNegative(Remaining) : timeout);
            }

            private static TimeSpan NonNegative(TimeSpan span) => span > TimeSpan.Zero ? span : TimeSpan.Zero;

            /// <summary>The caller's token (Ctrl+C).</summary>
            public CancellationToken User { get; }

            /// <summary>Cancelled by the caller, by the deadline, or by the limit of the attempt in flight.</summary>
            public CancellationToken Token => _deadline.Token;

            public TimeSpan Timeout { get; }

            /// <summary>Requests sent so far, for every step of the operation.</summary>
            public int Attempts;

            /// <summary>The time this call has taken (a flow's earlier steps not included).</summary>
            public TimeSpan Elapsed => NacDeadline.FromStopwatchTicks(Stopwatch.GetTimestamp() - _started);

            public TimeSpan Remaining => NacDeadline.FromStopwatchTicks(_ends - Stopwatch.GetTimestamp());

            /// <summary>The attempt in flight has a limit of its own, shorter than the deadline.</summary>
            private bool _attemptLimited;

            /// <summary>
            /// The deadline, not the caller, ended the operation: its time is spent, or the token fired while no
            /// attempt limit was set (a timer may fire a little before the clock agrees).
            /// </summary>
            public bool Expired => !User.IsCancellationRequested &&
                (Remaining <= TimeSpan.FromMilliseconds(1) || (_deadline.IsCancellationRequested && !_attemptLimited));

            /// <summary>Ends the next wait sooner than the deadline: the attempt about to be sent may take only <paramref name="limit"/>.</summary>
            public void LimitAttempt(TimeSpan limit)
            {
                _attemptLimited = true;
                _deadline.CancelAfter(limit);
            }

            /// <summary>After a limited attempt: waits are bounded by the deadline again; a token spent by the attempt's limit is replaced.</summary>
            public void EndAttempt()
            {
                _attemptLimited = false;
                if (_deadline.IsCancellationRequested)
                {
                    if (User.IsCancellationRequested || Remaining <= TimeSpan.FromMilliseconds(1)) return;
                    _deadline.Dispose();
                    _deadline = CancellationTokenSource.CreateLinkedTokenSource(User);
                }
                var left = Remaining;
                _deadline.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }

            public void Dispose() => _deadline.Dispose();
        }

        /// <summary>
        /// What an attempt that may be followed by another keeps back of the operation's time for the retry or
        /// the check of the platform's state after it: a quarter, at most 5 s.
        /// </summary>
        private static TimeSpan Reserve(TimeSpan timeout) => TimeSpan.FromTicks(Math.Min(timeout.Ticks / 4, TimeSpan.FromSeconds(5).Ticks));

        /// <summary>A call's operation: bounded by the deadline of the flow it runs in (<see cref="NacDeadline.Enter"/>), else by the policy's timeout.</summary>
        private Operation Begin(CancellationToken cancel)
        {
            var flow = NacDeadline.Current;
            return flow == null ? new Operation(cancel, _policy.Timeout) : new Operation(cancel, flow.Limit, flow.Ends);
        }

        /// <summary>
        /// Sends until an answer is final, the retries run out or the deadline allows no more. Rate-limit 429s
        /// go back through the shared pacer and do not use up retries (they cost time, never items); other
        /// failures are retried with back-off as <paramref name="repeat"/> allows, at most
        /// <paramref name="retries"/> times.
        /// </summary>
        private async Task<Attempt> SendAsync(HttpMethod method, string path, byte[]? body, Repeat repeat, Operation op, int? retries = null)
        {
            string url = _root + path;
            var policy = _policy;
            int budget = Math.Min(retries ?? policy.MaxRetries, policy.MaxRetries);
            int retried = 0, rateRetries = 0;
            Attempt? last = null;
            for (int number = 1; ; number++)
            {
                var quota = _pacer.Blocking;
                if (quota != null)
                    throw new NacQuotaExceededException(quota.Quota, quota.ResetsAt, null, method.Method + " " + url, null, null, sent: false);

                NacPacer.Admission admission;
                try
                {
                    admission = await _pacer.EnterAsync(op.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (op.Expired)
                {
                    return Final(last ?? new Attempt(method.Method + " " + url, "", 0) { TimedOut = true }, op, retried, deadline: true);
                }
                // An attempt that may be followed by another (a retry, or a check after a create or extend
                // whose outcome is unknown) leaves time for it.
                bool limited = false;
                if (budget > retried)
                {
                    var remaining = op.Remaining;
                    var reserve = Reserve(op.Timeout);
                    if (remaining > reserve + reserve)
                    {
                        op.LimitAttempt(remaining - reserve);
                        limited = true;
                    }
                }
                Attempt attempt;
                try
                {
                    op.Attempts++;
                    attempt = await SendOnceAsync(method, url, body, number, op).ConfigureAwait(false);
                }
                catch
                {
                    _pacer.Leave(admission, NacPacer.Outcome.Failed);
                    throw;
                }
                finally
                {
                    if (limited) op.EndAttempt();
                }
                _pacer.Leave(admission, attempt.Succeeded ? NacPacer.Outcome.Succeeded : attempt.IsRateLimit ? NacPacer.Outcome.RateLimited : NacPacer.Outcome.Failed, attempt.RetryAfter);
                last = attempt;
                if (attempt.Succeeded) return Final(attempt, op, retried, deadline: false);
                if (attempt.TimedOut && op.Expired) return Final(attempt, op, retried, deadline: true);
                if (attempt.IsQuota)
                {
                    _pacer.RecordQuota(attempt.QuotaName, attempt.QuotaResetsAt);
                    return Final(attempt, op, retried, deadline: false);
                }
                // MaxRetries 0 turns every retry off, rate limits included.
                if (!attempt.ShouldRetry(repeat, policy.MaxDelay) || policy.MaxRetries <= 0) return Final(attempt, op, retried, deadline: false);

                TimeSpan wait;
                if (attempt.IsRateLimit)
                {
                    // The pacer's shared pause does the waiting; the server's Retry-After holds this item back longer.
                    wait = attempt.RetryAfter ?? TimeSpan.Zero;
                    rateRetries++;
                    if (Trace != null)
                        Verbose($"{attempt.Request}: {attempt.Describe()} (rate limit); retry {rateRetries} in {NacDeadline.Tenths(wait)} s, after the shared pause " +
                            "(rate-limit retries are bounded by the time limit, not by -MaxRetry).");
                }
                else
                {
                    if (retried >= budget) return Final(attempt, op, retried, deadline: false);
                    retried++;
                    // After a timed-out attempt the time is already spent: the retry goes at once.
                    wait = attempt.RetryAfter ?? (attempt.TimedOut ? TimeSpan.Zero : Backoff(retried - 1));
                    if (Trace != null)
                        Verbose($"{attempt.Request}: {attempt.Describe()}; retry {retried} of {policy.MaxRetries} in {NacDeadline.Tenths(wait)} s.");
                }
                if (wait >= op.Remaining) return Final(attempt, op, retried, deadline: true);
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, op.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (op.Expired)
                    {
                        return Final(attempt, op, retried, deadline: true);
                    }
                }
            }
        }

        private static Attempt Final(Attempt attempt, Operation op, int retried, bool deadline)
        {
            attempt.Retried = retried;
            attempt.TotalAttempts = op.Attempts;
            attempt.Elapsed = op.Elapsed;
            attempt.Deadline = op.Timeout;
            attempt.DeadlineReached = deadline;
            return attempt;
        }


        /// <summary>The most an answer may hold, after decompression: 32 MiB (about 80,000 sessions in one list).</summary>
        public const long DefaultMaxAnswerBytes = 32L * 1024 * 1024;

        /// <summary>The most an answer may hold, after decompression; a larger one fails without being read further.</summary>
        public long MaxAnswerBytes { get; set; } = DefaultMaxAnswerBytes;

        /// <summary>One request, one answer (or the reason there was none). Never throws for HTTP or transport failures.</summary>
        private async Task<Attempt> SendOnceAsync(HttpMethod method, string url, byte[]? body, int number, Operation op)
        {
            string label = method.Method + " " + url;
            string correlator = NewCorrelator();
            using var message = new HttpRequestMessage(method, url);
            message.Headers.TryAddWithoutValidation("X-RapidAPI-Key", _key);
            message.Headers.TryAddWithoutValidation("X-RapidAPI-Host", _settings.RapidApiHost);
            message.Headers.TryAddWithoutValidation("x-correlator", correlator);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body != null)
            {
                message.Content = new ByteArrayContent(body);
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (TracingBodies) Debug($"{label} x-correlator={correlator} body: {QodWire.Redact(body)}");
            }

            long started = Stopwatch.GetTimestamp();
            try
            {
                using var response = _inline && SendInline != null
                    ? SendInline(_http, message, HttpCompletionOption.ResponseHeadersRead, op.Token)
                    : await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, op.Token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                string echoed = HeaderValue(response, "x-correlator") ?? correlator;
                var attempt = new Attempt(label, echoed, number) { Status = status, Reason = response.ReasonPhrase };
                if (status >= 300)
                {
                    attempt.RetryAfter = RetryAfter(response);
                    attempt.RequestId = HeaderValue(response, "x-rapidapi-request-id");
                    attempt.QuotaResetSeconds = HeaderValue(response, "x-ratelimit-requests-reset");
                    if (status < 400) attempt.Location = response.Headers.Location?.OriginalString;
                }
                try
                {
                    // Also after a synchronous send: a body already received completes synchronously here, and one
                    // still on its way is awaited with the token, which a synchronous read would not watch.
                    attempt.Body = await ReadBoundedAsync(response.Content, op.Token).ConfigureAwait(false);
                }
                catch (AnswerTooLargeException)
                {
                    attempt.TooLarge = true;
                }
                if (attempt.TooLarge || attempt.NotJson)
                {
                    attempt.ContentType = response.Content.Headers.ContentType?.ToString();
                    attempt.RequestId ??= HeaderValue(response, "x-rapidapi-request-id");
                }
                if (Trace != null) Verbose($"{label} -> {status} {response.ReasonPhrase} ({ElapsedMs(started)} ms, x-correlator {echoed})");
                if (attempt.Body.Length > 0 && TracingBodies) Debug($"{label} answer: {QodWire.Redact(attempt.Body)}");
                return attempt;
            }
            catch (OperationCanceledException) when (!op.User.IsCancellationRequested)
            {
                string waited = NacDeadline.Tenths(TimeSpan.FromMilliseconds(ElapsedMs(started)));
                string seconds = NacDeadline.Seconds(op.Timeout);
                Verbose($"{label} timed out after {waited} s (x-correlator {correlator})");
                return new Attempt(label, correlator, number)
                {
                    TimedOut = true,
                    Failure = op.Expired ? $"no answer within the {seconds} s the operation may take" : $"no answer within {waited} s",
                };
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException)
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

        [ThreadStatic] private static Random? _correlatorRandom;

        /// <summary>
        /// A GUID-shaped x-correlator. It only has to be unique enough to find one request in logs, not
        /// unguessable, so it comes from a per-thread generator rather than a system call per request.
        /// </summary>
        private static string NewCorrelator()
        {
            var random = _correlatorRandom ??= new Random(Guid.NewGuid().GetHashCode());
            var bytes = new byte[16];
            random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
            return new Guid(bytes).ToString();
        }

        private static long ElapsedMs(long started) => (long)((Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency);

        private sealed class AnswerTooLargeException : Exception
        {
        }

        /// <summary>
        /// Reads an answer's body, decompressed, never holding more than <see cref="MaxAnswerBytes"/>: a
        /// declared length over the cap is refused before reading; otherwise the bytes are counted as they come.
        /// </summary>
        private async Task<byte[]> ReadBoundedAsync(HttpContent? content, CancellationToken cancel)
        {
            if (content == null) return Array.Empty<byte>();
            long cap = MaxAnswerBytes;
            long? declared = content.Headers.ContentLength;
            if (declared > cap) throw new AnswerTooLargeException();
            if (declared == 0) return Array.Empty<byte>();
            using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
            if (declared.HasValue)
            {
                var exact = new byte[declared.Value];
                int filled = 0;
                while (filled < exact.Length)
                {
                    int n = await stream.ReadAsync(exact, filled, exact.Length - filled, cancel).ConfigureAwait(false);
                    if (n == 0) throw new IOException("The response ended prematurely: the answer is shorter than its Content-Length.");
                    filled += n;
                }
                return exact;
            }
            var chunk = new byte[16 * 1024];
            using var collected = new MemoryStream();
            while (true)
            {
                int n = await stream.ReadAsync(chunk, 0, chunk.Length, cancel).ConfigureAwait(false);
                if (n == 0) break;
                if (collected.Length + n > cap) throw new AnswerTooLargeException();
                collected.Write(chunk, 0, n);
            }
            return collected.ToArray();
        }

        /// <summary>
        /// HttpClient.Send, the synchronous send of .NET 5 and later (netstandard2.0 cannot name it); null on
        /// .NET Framework. A request sent with it runs on the calling thread from start to answer: no thread-pool
        /// hop and no wake-up of the waiting pipeline thread, which is most of a request's client-side cost.
        /// </summary>
        private static readonly Func<HttpClient, HttpRequestMessage, HttpCompletionOption, CancellationToken, HttpResponseMessage>? SendInline =
            FindSendInline();

        private static Func<HttpClient, HttpRequestMessage, HttpCompletionOption, CancellationToken, HttpResponseMessage>? FindSendInline()
        {
            var send = typeof(HttpClient).GetMethod("Send", new[] { typeof(HttpRequestMessage), typeof(HttpCompletionOption), typeof(CancellationToken) });
            return send == null ? null :
                (Func<HttpClient, HttpRequestMessage, HttpCompletionOption, CancellationToken, HttpResponseMessage>)Delegate.CreateDelegate(
                    typeof(Func<HttpClient, HttpRequestMessage, HttpCompletionOption, CancellationToken, HttpResponseMessage>), send);
        }

        [ThreadStatic] private static bool _inline;

        /// <summary>
        /// Starts an operation with its requests sent synchronously on this thread (where the platform can),
        /// for a caller that would only block waiting for it anyway: a cmdlet doing one thing at a time on the
        /// pipeline thread. Never use it on thread-pool threads running many operations: each would hold a
        /// thread for the length of its request. After a wait (a back-off, a pacer pause, a poll) the
        /// operation goes on asynchronously, as usual. Cancellation and deadlines hold either way. Only for
        /// clients from <see cref="NacHttp.CreateClient"/>, whose handler has a synchronous path (HTTP/1.1).
        /// </summary>
        internal static Task<T> StartInline<T>(Func<Task<T>> start)
        {
            _inline = true;
            try
            {
                return start();
            }
            finally
            {
                _inline = false;
            }
        }

        /// <summary>Built on the first 429, not with the client's other statics on the first call of every process.</summary>
        private static class QuotaPattern
        {
            internal static readonly System.Text.RegularExpressions.Regex Message = new System.Text.RegularExpressions.Regex(
                @"exceeded the (\w+) quota", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
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

            /// <summary>This request's number among those of one send (1 for the first).</summary>
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
            public string? RequestId { get; set; }
            public string? Location { get; set; }
            public string? ContentType { get; set; }
            public bool TooLarge { get; set; }

            // Set when the send is over.
            public int Retried { get; set; }
            public int TotalAttempts { get; set; }
            public TimeSpan Elapsed { get; set; }
            public TimeSpan Deadline { get; set; }
            public bool DeadlineReached { get; set; }

            public bool Succeeded => Status >= 200 && Status < 300;
            private bool NoAnswer => Status == 0;

            /// <summary>A success whose body can be used: not HTML, not over the cap.</summary>
            public bool Readable => Succeeded && !TooLarge && !NotJson;

            /// <summary>A body that is not JSON (an HTML page from a proxy or captive portal, plain text).</summary>
            public bool NotJson
            {
                get
                {
                    foreach (byte b in Body)
                    {
                        if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
                        return b != '{' && b != '[' && b != 0xEF;   // 0xEF: a UTF-8 byte order mark before the JSON
                    }
                    return false;
                }
            }

            /// <summary>The server may or may not have acted: a timeout, a dropped connection, a 5xx.</summary>
            public bool OutcomeUnknown => (NoAnswer && !NotSent && !Permanent) || Status >= 500;

            private (string? code, string? message)? _error;

            /// <summary>The error body's code and message (CAMARA, FastAPI or the gateway's), read once.</summary>
            public (string? code, string? message) Error => _error ??= Succeeded || NoAnswer || NotJson || TooLarge ? (null, null) : QodWire.ReadError(Body);

            public string? ErrorCode => Error.code;

            /// <summary>The gateway's quota 429: "You have exceeded the DAILY quota ...".</summary>
            public bool IsQuota => Status == 429 && Error.message != null && QuotaPattern.Message.IsMatch(Error.message);

            /// <summary>A 429 that is not a quota: too many requests for the plan's rate.</summary>
            public bool IsRateLimit => Status == 429 && !IsQuota;

            public string QuotaName => Error.message == null ? "request" : QuotaPattern.Message.Match(Error.message).Groups[1].Value.ToUpperInvariant();

            /// <summary>When the quota resets: x-ratelimit-requests-reset (seconds until then) read when the answer came.</summary>
            public DateTimeOffset? QuotaResetsAt { get; private set; }

            public string? QuotaResetSeconds
            {
                set => QuotaResetsAt = long.TryParse(value?.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long seconds) && seconds >= 0
                    ? DateTimeOffset.UtcNow.AddSeconds(seconds) : (DateTimeOffset?)null;
            }

            public NacGatewayFault? GatewayFault
            {
                get
                {
                    string? text = Error.message;
                    if (text == null || Error.code != null) return null;
                    if (Status == 404 && text.IndexOf("API doesn't exist", StringComparison.OrdinalIgnoreCase) >= 0) return NacGatewayFault.WrongRapidApiHost;
                    if (Status == 403 && text.IndexOf("not subscribed", StringComparison.OrdinalIgnoreCase) >= 0) return NacGatewayFault.NotSubscribed;
                    if (Status == 403 && text.IndexOf("Invalid API key", StringComparison.OrdinalIgnoreCase) >= 0) return NacGatewayFault.InvalidApiKey;
                    return null;
                }
            }

            public bool ShouldRetry(Repeat repeat, TimeSpan maxDelay)
            {
                if (TooLarge || IsQuota) return false;
                if (RetryAfter.HasValue && RetryAfter.Value > maxDelay) return false;
                if (Status == 429 || NotSent) return true;
                if (repeat != Repeat.Safe) return false;
                return Status == 502 || Status == 503 || Status == 504 || (NoAnswer && !Permanent);
            }

            public string Describe() => NoAnswer ? Failure ?? "no answer" : $"HTTP {Status} {Reason}".TrimEnd();
        }

        /// <summary>The exception for a failed attempt, with what to do; server text is scrubbed of secrets.</summary>
        private NacException Failure(Attempt a, string? note = null)
        {
            string tail = note == null ? "" : " " + note;
            string spent = $"{a.TotalAttempts} attempt{(a.TotalAttempts == 1 ? "" : "s")} in {NacDeadline.Tenths(a.Elapsed)} s";
            if (a.TimedOut)
            {
                string seconds = NacDeadline.Seconds(a.Deadline);
                string what = a.TotalAttempts == 0
                    ? $"nothing was sent: the rate-limit pacer's waits used up the {seconds} s the operation may take"
                    : $"{a.Failure ?? "no answer"}; gave up after {spent}";
                return new NacConnectionException(Scrub($"The request timed out: {what}. Request: {a.Request}.") +
                    (a.Correlator.Length > 0 ? $" x-correlator: {a.Correlator}." : "") +
                    $" Raise -TimeoutSec or NAC_TIMEOUT_SEC to wait longer.{tail}",
                    a.Request, a.Correlator, true, null, a.TotalAttempts, a.Elapsed);
            }
            if (a.Status == 0)
                return new NacConnectionException(Scrub($"Could not connect to {a.Authority}: {a.Failure}. Request: {a.Request}.{tail}"), a.Request, a.Correlator, false, a.Inner, a.TotalAttempts);
            string status = $"HTTP {a.Status}" + (string.IsNullOrEmpty(a.Reason) ? "" : " " + a.Reason);
            if (a.TooLarge)
                return new NacProtocolException(Scrub($"{status}: the answer is larger than {MaxAnswerBytes} bytes (after decompression), the most this client reads; it was not read.{tail}"),
                    a.Request, a.Correlator, null, NacProtocolFault.TooLarge, a.Status, a.ContentType, null, a.RequestId);
            if (a.Status >= 300 && a.Status < 400)
                return new NacProtocolException(Scrub($"{status}: the server redirects to '{a.Location ?? "(no Location header)"}'. Redirects are not followed, so that the API key " +
                    $"never goes to another address. If that address is the API's, connect to it with Connect-Nac -BaseUrl; otherwise a proxy or a wrong base URL answered.{tail}"),
                    a.Request, a.Correlator, null, NacProtocolFault.Redirect, a.Status, a.ContentType, a.Location == null ? null : Scrub(a.Location), a.RequestId);
            if (a.NotJson)
                return new NacProtocolException(Scrub($"{status}: the answer is not JSON but '{a.ContentType ?? "no Content-Type"}' " +
                    $"(\"{Excerpt(a.Body)}\"): a proxy, a captive portal or another server answered instead of the QoD API. Check the base URL (Get-NacContext) and the proxy.{tail}"),
                    a.Request, a.Correlator, null, NacProtocolFault.NotJson, a.Status, a.ContentType, null, a.RequestId);
            var (code, text) = a.Error;
            if (text != null) text = Scrub(text);
            if (a.IsQuota)
                return new NacQuotaExceededException(a.QuotaName, a.QuotaResetsAt, text == null ? null : Scrub(text), a.Request, a.Correlator, a.RequestId);
            var fault = a.GatewayFault;
            if (fault != null)
                return new NacGatewayException(fault.Value, GatewayMessage(fault.Value, status, text), a.Status, text, a.Request, a.Correlator, a.RequestId);
            if (a.IsRateLimit && a.DeadlineReached)
                tail = $" Rate-limited on every one of {spent}: the {NacDeadline.Tenths(a.Deadline)} s the operation may take ran out. Raise -TimeoutSec, or lower -ThrottleLimit.{tail}";
            else if (a.DeadlineReached)
                tail = $" Gave up after {spent}: the next wait would pass the {NacDeadline.Tenths(a.Deadline)} s the operation may take.{tail}";
            return new NacApiException(a.Status, a.Reason, code, text == null ? null : Scrub(text), a.Request, a.Correlator, a.RetryAfter, tail.Length == 0 ? null : tail.TrimStart(), a.RequestId);
        }

        private string GatewayMessage(NacGatewayFault fault, string status, string? text)
        {
            string said = text == null ? "" : $" (\"{Scrub(text)}\")";
            switch (fault)
            {
                case NacGatewayFault.WrongRapidApiHost:
                    return $"{status}{said}: the RapidAPI gateway knows no API under the X-RapidAPI-Host '{_settings.RapidApiHost}' for this key. " +
                        "The host comes from Connect-Nac -RapidApiHost, or from -Environment (NAC_ENV) when not given; the right value is the " +
                        "X-RapidAPI-Host of the code snippet on the Network as Code API's page of the RapidAPI / NaC developer dashboard.";
                case NacGatewayFault.NotSubscribed:
                    return $"{status}{said}: the API key is valid but not subscribed to the Network as Code API at '{_settings.RapidApiHost}'. " +
                        "Subscribe the key's application to the API (a plan on the RapidAPI / NaC dashboard), or use a key that is subscribed.";
                default:
                    return $"{status}{said}: the gateway does not know this API key. Copy the key again from the RapidAPI / NaC dashboard " +
                        "(Connect-Nac -Token, or NAC_TOKEN in a job).";
            }
        }

        private static string Excerpt(byte[] body)
        {
            string text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
            text = System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
            return body.Length > 200 ? text + "..." : text;
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
