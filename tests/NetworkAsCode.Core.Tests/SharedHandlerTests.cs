using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>
    /// The clients NacHttp gives out (one per cmdlet call) share one handler, so a loop of cmdlets reuses one
    /// pooled connection instead of opening one per call; disposing a client leaves the shared handler usable.
    /// </summary>
    public class SharedHandlerTests
    {
        /// <summary>A keep-alive HTTP/1.1 server on 127.0.0.1 answering every request with an empty list; counts connections.</summary>
        private sealed class KeepAliveServer : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private int _connections;

            public KeepAliveServer()
            {
                _listener.Start();
                _ = Task.Run(async () =>
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        TcpClient client;
                        try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                        catch (Exception) { return; }
                        Interlocked.Increment(ref _connections);
                        _ = Task.Run(() => Serve(client));
                    }
                });
            }

            public int Connections => Volatile.Read(ref _connections);
            public string Url => "http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;

            private async Task Serve(TcpClient client)
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var answer = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]");
                    var seen = new StringBuilder();
                    var one = new byte[1];
                    try
                    {
                        while (!_stop.IsCancellationRequested)
                        {
                            if (await stream.ReadAsync(one, 0, 1, _stop.Token).ConfigureAwait(false) == 0) return;
                            seen.Append((char)one[0]);
                            if (seen.Length >= 4 && seen.ToString(seen.Length - 4, 4) == "\r\n\r\n")
                            {
                                seen.Clear();
                                await stream.WriteAsync(answer, 0, answer.Length, _stop.Token).ConfigureAwait(false);
                            }
                        }
                    }
                    catch (Exception)
                    {
                        // the client went away
                    }
                }
            }

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
            }
        }

        [Fact]
        public async Task Clients_of_successive_calls_share_one_connection()
        {
            using var server = new KeepAliveServer();
            var settings = new NacConnectionSettings(new Uri(server.Url), Harness.RapidApiHost, Harness.Secure(Harness.ApiToken), NacEnvironment.Prod);
            for (int call = 0; call < 5; call++)
            {
                // As a cmdlet does: a new client per call, disposed at the end of it.
                using var http = NacHttp.CreateClient();
                var client = new NacClient(http, settings) { Pacer = new NacPacer() };
                Assert.Empty(await client.ListSessionsAsync(CancellationToken.None));
            }
            Assert.Equal(1, server.Connections);
        }

        [Fact]
        public void Clients_have_no_client_wide_timeout()
        {
            using var http = NacHttp.CreateClient();
            Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
        }
    }
}
