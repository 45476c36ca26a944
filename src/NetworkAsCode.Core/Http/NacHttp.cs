using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// Gives out the HttpClients every operation goes through. They share one handler per process, so
    /// connections are reused across cmdlets and runspaces; the system proxy and HTTPS_PROXY are honoured;
    /// redirects are not followed; gzip and deflate answers are decompressed; no client-wide timeout (each
    /// operation has its own deadline).
    /// <para>
    /// The shared handler is replaced every <see cref="HandlerLifetime"/>, so a long-running session picks up
    /// DNS changes, as IHttpClientFactory's handler rotation does. A replaced handler is never disposed under
    /// a request in flight: it closes its idle connections by itself and is collected once no client holds it.
    /// </para>
    /// <para>
    /// This used to be Microsoft.Extensions.Http's IHttpClientFactory. Building its DI container cost the first
    /// call of every process about 550 JIT-compiled methods (80 to 110 ms) and put two logging handlers on
    /// every request; a single named client with a fixed handler needs none of that (issue 13's measurement).
    /// </para>
    /// </summary>
    public static class NacHttp
    {
        /// <summary>How long one handler (and so its connections and DNS answers) is used before a fresh one replaces it.</summary>
        public static readonly TimeSpan HandlerLifetime = TimeSpan.FromMinutes(10);

        private static readonly object Gate = new object();
        private static HttpMessageHandler? _handler;
        private static long _handlerBorn;

        /// <summary>A client backed by the shared handler. Cheap; disposing it leaves the handler alone.</summary>
        public static HttpClient CreateClient() =>
            new HttpClient(SharedHandler(), disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

        private static HttpMessageHandler SharedHandler()
        {
            long now = Stopwatch.GetTimestamp();
            var handler = Volatile.Read(ref _handler);
            if (handler != null && now - Volatile.Read(ref _handlerBorn) < LifetimeTicks) return handler;
            lock (Gate)
            {
                if (_handler == null || now - _handlerBorn >= LifetimeTicks)
                {
                    _handlerBorn = now;
                    Volatile.Write(ref _handler, NewHandler());
                }
                return _handler!;
            }
        }

        private static readonly long LifetimeTicks = (long)(HandlerLifetime.TotalSeconds * Stopwatch.Frequency);

        private static HttpMessageHandler NewHandler() => new HttpClientHandler
        {
            UseProxy = true,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            DefaultProxyCredentials = CredentialCache.DefaultCredentials,
        };
    }

    /// <summary>Receives trace lines. Called on the request's thread: implementations must only queue.</summary>
    public interface INacTrace
    {
        void Verbose(string message);
        void Debug(string message);
    }
}
