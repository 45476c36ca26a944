using System;
using System.Net;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;

namespace NetworkAsCode.Http
{
    /// <summary>
    /// Builds the HttpClient every operation goes through, with Microsoft.Extensions.Http's factory: one
    /// pooled handler per process (connections reused across cmdlets and runspaces), the system proxy and
    /// HTTPS_PROXY honoured, no client-wide timeout (each request gets its own).
    /// </summary>
    public static class NacHttp
    {
        internal const string ClientName = "NetworkAsCode";
        private static readonly Lazy<IHttpClientFactory> Factory = new Lazy<IHttpClientFactory>(BuildFactory);

        /// <summary>A client backed by the shared handler pool. Cheap; do not dispose the handler yourself.</summary>
        public static HttpClient CreateClient()
        {
            var client = Factory.Value.CreateClient(ClientName);
            client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            return client;
        }

        private static IHttpClientFactory BuildFactory()
        {
            var services = new ServiceCollection();
            services.AddHttpClient(ClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
                {
                    UseProxy = true,
                    AllowAutoRedirect = false,
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    DefaultProxyCredentials = CredentialCache.DefaultCredentials,
                })
                .SetHandlerLifetime(TimeSpan.FromMinutes(10));
            return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        }
    }

    /// <summary>Receives trace lines. Called on the request's thread: implementations must only queue.</summary>
    public interface INacTrace
    {
        void Verbose(string message);
        void Debug(string message);
    }
}
