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

        /// <summary>
        /// True when no further item of the command can succeed (an exhausted quota, a wrong gateway host):
        /// the cmdlet stops with one terminating error instead of failing every item.
        /// </summary>
        public virtual bool StopsCommand => false;
    }

    /// <summary>
    /// The platform answered with an error status. The body may be CAMARA <c>{status, code, message}</c>,
    /// FastAPI <c>{"detail": ...}</c> or the gateway's <c>{"message": ...}</c>: all three end up here.
    /// </summary>
    public sealed class NacApiException : NacException
    {
        public NacApiException(int statusCode, string? reason, string? code, string? serverMessage, string request, string? correlator, TimeSpan? retryAfter, string? note = null)
            : base(Compose(statusCode, reason, code, serverMessage, request, correlator) + (note == null ? "" : " " + note))
        {
            StatusCode = statusCode;
            Code = code;
            ServerMessage = serverMessage;
            Request = request;
            Correlator = correlator;
            RetryAfter = retryAfter;
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

    /// <summary>No HTTP answer: connection refused, name not resolved, TLS failure, or the timeout elapsed.</summary>
    public sealed class NacConnectionException : NacException
    {
        public NacConnectionException(string message, string request, string? correlator, bool isTimeout, Exception? inner)
            : base(message, inner)
        {
            Request = request;
            Correlator = correlator;
            IsTimeout = isTimeout;
        }

        public bool IsTimeout { get; }
    }

    /// <summary>The server answered success but the body is not what the API defines.</summary>
    public sealed class NacProtocolException : NacException
    {
        public NacProtocolException(string message, string request, string? correlator, Exception? inner = null)
            : base(message + $" Request: {request}.", inner)
        {
            Request = request;
            Correlator = correlator;
        }
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
