using System;

namespace NetworkAsCode
{
    /// <summary>Base of every failure the HTTP core reports. Messages never contain the API key.</summary>
    public abstract class NacException : Exception
    {
        protected NacException(string message, Exception? inner = null) : base(message, inner) { }

        /// <summary>The request that failed, as "METHOD URL".</summary>
        public string Request { get; protected set; } = "";

        /// <summary>The x-correlator sent with the request; quote it to support.</summary>
        public string? Correlator { get; protected set; }

        /// <summary>The gateway's x-rapidapi-request-id of the answer, when there was one; quote it to RapidAPI support.</summary>
        public string? RapidApiRequestId { get; protected set; }

        /// <summary>
        /// True when no further item of the command can succeed (an exhausted quota, a wrong gateway host):
        /// the cmdlet stops with one terminating error instead of failing every item.
        /// </summary>
        public virtual bool StopsCommand => false;

        /// <summary>" x-correlator: c. x-rapidapi-request-id: r." for the ids that are known.</summary>
        protected static string Ids(string? correlator, string? requestId) =>
            (string.IsNullOrEmpty(correlator) ? "" : $" x-correlator: {correlator}.") +
            (string.IsNullOrEmpty(requestId) ? "" : $" x-rapidapi-request-id: {requestId}.");
    }

    /// <summary>
    /// The platform answered with an error status. The body may be CAMARA <c>{status, code, message}</c>,
    /// FastAPI <c>{"detail": ...}</c> or the gateway's <c>{"message": ...}</c>: all three end up here.
    /// </summary>
    public class NacApiException : NacException
    {
        public NacApiException(int statusCode, string? reason, string? code, string? serverMessage, string request, string? correlator, TimeSpan? retryAfter, string? note = null, string? rapidApiRequestId = null)
            : this(Compose(statusCode, reason, code, serverMessage, request, correlator) + Ids(null, rapidApiRequestId) + (note == null ? "" : " " + note),
                statusCode, code, serverMessage, request, correlator, retryAfter, rapidApiRequestId)
        {
        }

        /// <summary>For the gateway's answers, whose message says what to do rather than only what came back.</summary>
        protected NacApiException(string message, int statusCode, string? code, string? serverMessage, string request, string? correlator, TimeSpan? retryAfter, string? rapidApiRequestId)
            : base(message)
        {
            StatusCode = statusCode;
            Code = code;
            ServerMessage = serverMessage;
            Request = request;
            Correlator = correlator;
            RetryAfter = retryAfter;
            RapidApiRequestId = rapidApiRequestId;
        }

        public int StatusCode { get; }

        /// <summary>The CAMARA error code (e.g. CONFLICT, QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE) when the server gave one.</summary>
        public string? Code { get; }

        public string? ServerMessage { get; }

        /// <summary>How long the server asked us to wait (429/503 Retry-After), when it said.</summary>
        public TimeSpan? RetryAfter { get; }

        private static string Compose(int status, string? reason, string? code, string? message, string request, string? correlator)
        {
            string head = $"HTTP {status}" + (string.IsNullOrEmpty(reason) ? "" : " " + reason);
            if (!string.IsNullOrEmpty(code)) head += $" ({code})";
            string text = string.IsNullOrEmpty(message) ? head + "." : $"{head}: {message!.TrimEnd('.')}.";
            text += $" Request: {request}.";
            if (!string.IsNullOrEmpty(correlator)) text += $" x-correlator: {correlator}.";
            return text;
        }
    }

    /// <summary>What the RapidAPI gateway in front of the API refused, before the API saw the request.</summary>
    public enum NacGatewayFault
    {
        /// <summary>404 "API doesn't exists": the X-RapidAPI-Host header names no API this key can reach.</summary>
        WrongRapidApiHost,
        /// <summary>403 "You are not subscribed to this API.": a valid key without a subscription to Network as Code.</summary>
        NotSubscribed,
        /// <summary>403 "Invalid API key.": the key is not a RapidAPI key.</summary>
        InvalidApiKey,
    }

    /// <summary>
    /// The RapidAPI gateway refused the request because of the configuration (host or key): no request with
    /// these settings can succeed, so the command stops. Not a <see cref="NacApiException"/>: the API never
    /// saw the request, so its 404 is never a missing session and its 403 never a QoD permission.
    /// </summary>
    public sealed class NacGatewayException : NacException
    {
        public NacGatewayException(NacGatewayFault fault, string message, int statusCode, string? serverMessage, string request, string? correlator, string? rapidApiRequestId)
            : base(message + $" Request: {request}." + Ids(correlator, rapidApiRequestId))
        {
            Fault = fault;
            StatusCode = statusCode;
            ServerMessage = serverMessage;
            Request = request;
            Correlator = correlator;
            RapidApiRequestId = rapidApiRequestId;
        }

        public NacGatewayFault Fault { get; }

        /// <summary>The gateway's HTTP status: 404 for the host, 403 for the key.</summary>
        public int StatusCode { get; }

        /// <summary>The gateway's own words, e.g. "API doesn't exists".</summary>
        public string? ServerMessage { get; }

        public override bool StopsCommand => true;
    }

    /// <summary>
    /// The plan's request quota (daily or monthly) is spent: 429 "You have exceeded the DAILY quota". Waiting
    /// seconds does not help, so the command stops, and no request with this key is sent until <see cref="ResetsAt"/>.
    /// </summary>
    public sealed class NacQuotaExceededException : NacApiException
    {
        public NacQuotaExceededException(string quota, DateTimeOffset? resetsAt, string? serverMessage, string request, string? correlator, string? rapidApiRequestId, bool sent = true)
            : base(Compose(quota, resetsAt, sent) + $" Request: {request}." + Ids(correlator, rapidApiRequestId),
                429, null, serverMessage, request, correlator, null, rapidApiRequestId)
        {
            Quota = quota;
            ResetsAt = resetsAt;
        }

        /// <summary>DAILY, MONTHLY, or the word the gateway used.</summary>
        public string Quota { get; }

        /// <summary>When the quota resets, from x-ratelimit-requests-reset; null when the gateway did not say.</summary>
        public DateTimeOffset? ResetsAt { get; }

        public override bool StopsCommand => true;

        private static string Compose(string quota, DateTimeOffset? resetsAt, bool sent)
        {
            string head = sent
                ? $"HTTP 429: the {quota} request quota of the API key's plan is spent."
                : $"Not sent: the {quota} request quota of the API key's plan was spent by an earlier request.";
            if (resetsAt == null) return head + " The gateway did not say when it resets.";
            var utc = resetsAt.Value.ToUniversalTime();
            var local = resetsAt.Value.ToLocalTime();
            return head + $" It resets at {local:yyyy-MM-dd HH:mm:ss zzz} ({utc:yyyy-MM-dd HH:mm:ss} UTC).";
        }
    }

    /// <summary>No HTTP answer: connection refused, name not resolved, TLS failure, or the timeout elapsed.</summary>
    public sealed class NacConnectionException : NacException
    {
        public NacConnectionException(string message, string request, string? correlator, bool isTimeout, Exception? inner, int attempts = 1, TimeSpan? waited = null)
            : base(message, inner)
        {
            Request = request;
            Correlator = correlator;
            IsTimeout = isTimeout;
            Attempts = attempts;
            Waited = waited;
        }

        public bool IsTimeout { get; }

        /// <summary>How many requests were sent for the operation.</summary>
        public int Attempts { get; }

        /// <summary>How long the operation took before it gave up, when it timed out.</summary>
        public TimeSpan? Waited { get; }
    }

    /// <summary>Why an answer could not be used.</summary>
    public enum NacProtocolFault
    {
        /// <summary>JSON, but not what the API defines.</summary>
        Unreadable,
        /// <summary>Not JSON at all: an HTML page from a proxy, a captive portal or another server.</summary>
        NotJson,
        /// <summary>Larger than the client accepts (after decompression).</summary>
        TooLarge,
        /// <summary>A redirect (3xx): the client does not follow them, since the key would go with it.</summary>
        Redirect,
    }

    /// <summary>The server answered, but not with an answer of the API.</summary>
    public sealed class NacProtocolException : NacException
    {
        public NacProtocolException(string message, string request, string? correlator, Exception? inner = null,
            NacProtocolFault fault = NacProtocolFault.Unreadable, int statusCode = 0, string? contentType = null, string? location = null, string? rapidApiRequestId = null)
            : base(message + $" Request: {request}." + Ids(correlator, rapidApiRequestId), inner)
        {
            Request = request;
            Correlator = correlator;
            Fault = fault;
            StatusCode = statusCode;
            ContentType = contentType;
            Location = location;
            RapidApiRequestId = rapidApiRequestId;
        }

        public NacProtocolFault Fault { get; }

        /// <summary>The HTTP status of the answer (0 when unknown).</summary>
        public int StatusCode { get; }

        /// <summary>The answer's Content-Type, when it had one.</summary>
        public string? ContentType { get; }

        /// <summary>A redirect's Location header.</summary>
        public string? Location { get; }
    }

    /// <summary>The configuration is missing or wrong: nothing can be sent. Says which setting and how to fix it.</summary>
    public sealed class NacConfigurationException : NacException
    {
        public NacConfigurationException(string setting, string message) : base(message)
        {
            Setting = setting;
        }

        /// <summary>The parameter or environment variable at fault, e.g. NAC_TOKEN or BaseUrl.</summary>
        public string Setting { get; }
    }
}
