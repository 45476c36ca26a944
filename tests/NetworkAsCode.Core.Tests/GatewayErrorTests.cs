using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>
    /// A raw HTTP/1.1 server on 127.0.0.1 for what a mock handler cannot show: a server that accepts and
    /// never answers, one that trickles, compressed bodies decompressed by the real handler.
    /// </summary>
    internal sealed class LoopbackServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public LoopbackServer(Func<NetworkStream, CancellationToken, Task> answer)
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        return;
                    }
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            var stream = client.GetStream();
                            try
                            {
                                await ReadHeaders(stream, _stop.Token).ConfigureAwait(false);
                                await answer(stream, _stop.Token).ConfigureAwait(false);
                            }
                            catch (Exception)
                            {
                                // the client went away
                            }
                        }
                    });
                }
            });
        }

        public string Url => "http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;

        private static async Task ReadHeaders(NetworkStream stream, CancellationToken cancel)
        {
            var seen = new StringBuilder();
            var one = new byte[1];
            while (!seen.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, 0, 1, cancel).ConfigureAwait(false) == 0) return;
                seen.Append((char)one[0]);
            }
            string head = seen.ToString();
            int at = head.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
            if (at < 0) return;
            int end = head.IndexOf("\r\n", at, StringComparison.Ordinal);
            int length = int.Parse(head.Substring(at + 15, end - at - 15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var body = new byte[length];
            int read = 0;
            while (read < length) read += await stream.ReadAsync(body, read, length - read, cancel).ConfigureAwait(false);
        }

        public static Task Write(NetworkStream stream, string text, CancellationToken cancel)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            return stream.WriteAsync(bytes, 0, bytes.Length, cancel);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }

    /// <summary>
    /// The gateway's own answers, redirects, answers that are not JSON, answers too large, servers that never
    /// answer: each a specific exception that names the fix, with the correlator and the gateway's request id,
    /// and never the key.
    /// </summary>
    public class GatewayErrorTests
    {
        private static Harness WithAnswer(HttpStatusCode status, string? body, string mediaType = "application/json", Action<HttpResponseMessage>? configure = null)
        {
            var h = new Harness();
            h.Reply(status, body, mediaType, r =>
            {
                r.Headers.TryAddWithoutValidation("x-rapidapi-request-id", "rapid-req-42");
                configure?.Invoke(r);
            });
            return h;
        }

        private static void AssertIds(NacException e, CapturedRequest sent)
        {
            Assert.Equal(sent.Header("x-correlator"), e.Correlator);
            Assert.Contains("x-correlator: " + sent.Header("x-correlator"), e.Message);
            Assert.Equal("rapid-req-42", e.RapidApiRequestId);
            Assert.Contains("x-rapidapi-request-id: rapid-req-42", e.Message);
            Assert.DoesNotContain(Harness.ApiToken, e.Message);
        }

        [Fact]
        public async Task A_wrong_rapidapi_host_names_the_host_the_setting_and_where_the_right_value_is()
        {
            using var h = WithAnswer(HttpStatusCode.NotFound, "{\"message\":\"API doesn't exists\"}");
            var e = await Assert.ThrowsAsync<NacGatewayException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(NacGatewayFault.WrongRapidApiHost, e.Fault);
            Assert.True(e.StopsCommand);
            Assert.Equal(404, e.StatusCode);
            Assert.Contains(Harness.RapidApiHost, e.Message);
            Assert.Contains("Connect-Nac -RapidApiHost", e.Message);
            Assert.Contains("-Environment", e.Message);
            Assert.Contains("code snippet", e.Message);
            Assert.Contains("API doesn't exists", e.Message);
            AssertIds(e, h.Single());
        }

        [Fact]
        public async Task A_wrong_rapidapi_host_on_retrieve_sessions_is_not_an_empty_list()
        {
            using var h = WithAnswer(HttpStatusCode.NotFound, "{\"message\":\"API doesn't exists\"}");
            var e = await Assert.ThrowsAsync<NacGatewayException>(() => h.Client.GetSessionsAsync(Rig.Phone, CancellationToken.None));
            Assert.Equal(NacGatewayFault.WrongRapidApiHost, e.Fault);
        }

        [Fact]
        public async Task A_wrong_rapidapi_host_on_a_delete_retry_is_not_taken_for_a_done_delete()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Delete, Answer.Status(503), Answer.Status(404, "{\"message\":\"API doesn't exists\"}"));
            await Assert.ThrowsAsync<NacGatewayException>(() => rig.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None));
        }

        [Fact]
        public async Task A_key_that_is_not_subscribed_says_to_subscribe()
        {
            using var h = WithAnswer(HttpStatusCode.Forbidden, "{\"message\":\"You are not subscribed to this API.\"}");
            var e = await Assert.ThrowsAsync<NacGatewayException>(() => h.Client.ListSessionsAsync(CancellationToken.None));
            Assert.Equal(NacGatewayFault.NotSubscribed, e.Fault);
            Assert.True(e.StopsCommand);
            Assert.Contains("not subscribed", e.Message);
            Assert.Contains("Subscribe", e.Message);
            AssertIds(e, h.Single());
        }

        [Fact]
        public async Task An_invalid_key_says_to_copy_it_again()
        {
            using var h = WithAnswer(HttpStatusCode.Forbidden, "{\"message\":\"Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.\"}");
            var e = await Assert.ThrowsAsync<NacGatewayException>(() => h.Client.CreateSessionAsync(new QodSessionRequest(Rig.Phone, "QOS_L", 60) { ServiceIpv4 = Fixtures.PublicIpv4 }, CancellationToken.None));
            Assert.Equal(NacGatewayFault.InvalidApiKey, e.Fault);
            Assert.True(e.StopsCommand);
            Assert.Contains("Connect-Nac -Token", e.Message);
            AssertIds(e, h.Single());
        }

        [Fact]
        public async Task A_camara_403_is_not_taken_for_the_gateway()
        {
            using var h = WithAnswer(HttpStatusCode.Forbidden, "{\"status\":403,\"code\":\"PERMISSION_DENIED\",\"message\":\"not subscribed to this scope\"}");
            var e = await Assert.ThrowsAsync<NacApiException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal("PERMISSION_DENIED", e.Code);
            Assert.False(e.StopsCommand);
        }

        [Fact]
        public async Task A_401_carries_the_gateway_request_id()
        {
            using var h = WithAnswer(HttpStatusCode.Unauthorized, "{\"status\":401,\"code\":\"UNAUTHENTICATED\",\"message\":\"Request not authenticated due to missing, invalid, or expired credentials.\"}");
            var e = await Assert.ThrowsAsync<NacApiException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(401, e.StatusCode);
            AssertIds(e, h.Single());
        }

        [Theory]
        [InlineData(HttpStatusCode.MovedPermanently)]
        [InlineData(HttpStatusCode.Found)]
        [InlineData(HttpStatusCode.TemporaryRedirect)]
        [InlineData(HttpStatusCode.PermanentRedirect)]
        public async Task A_redirect_is_not_followed_and_its_location_is_quoted(HttpStatusCode status)
        {
            using var h = WithAnswer(status, null, configure: r => r.Headers.Location = new Uri("https://login.example.net/portal?next=api"));
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(NacProtocolFault.Redirect, e.Fault);
            Assert.Equal((int)status, e.StatusCode);
            Assert.Equal("https://login.example.net/portal?next=api", e.Location);
            Assert.Contains("'https://login.example.net/portal?next=api'", e.Message);
            Assert.Contains("not followed", e.Message);
            AssertIds(e, h.Single());
        }

        [Fact]
        public async Task An_html_page_with_200_is_not_json_and_says_so()
        {
            using var h = WithAnswer(HttpStatusCode.OK, "<!DOCTYPE html><html><head><title>Sign in to the hotel Wi-Fi</title></head><body>...</body></html>", "text/html");
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(NacProtocolFault.NotJson, e.Fault);
            Assert.Equal(200, e.StatusCode);
            Assert.StartsWith("text/html", e.ContentType);
            Assert.Contains("HTTP 200", e.Message);
            Assert.Contains("text/html", e.Message);
            Assert.Contains("not JSON", e.Message);
            Assert.Contains("captive portal", e.Message);
            Assert.DoesNotContain("invalid start of a value", e.Message);
            AssertIds(e, h.Single());
        }

        [Fact]
        public async Task An_html_page_answering_a_delete_is_not_a_done_delete()
        {
            using var h = WithAnswer(HttpStatusCode.OK, "<html>proxy</html>", "text/html");
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(NacProtocolFault.NotJson, e.Fault);
        }

        [Fact]
        public async Task The_key_echoed_by_a_server_never_appears_in_an_error()
        {
            foreach (var (status, body, type) in new[]
            {
                (HttpStatusCode.OK, "<html>key " + Harness.ApiToken + "</html>", "text/html"),
                (HttpStatusCode.NotFound, "{\"message\":\"API doesn't exists for " + Harness.ApiToken + "\"}", "application/json"),
                (HttpStatusCode.Forbidden, "{\"message\":\"You are not subscribed to this API. key=" + Harness.ApiToken + "\"}", "application/json"),
                ((HttpStatusCode)429, "{\"message\":\"You have exceeded the DAILY quota for Requests on your current plan, BASIC. " + Harness.ApiToken + "\"}", "application/json"),
                (HttpStatusCode.Found, null, "application/json"),
            })
            {
                using var h = WithAnswer(status, body, type, r => { if (status == HttpStatusCode.Found) r.Headers.Location = new Uri("https://x.example/?k=" + Harness.ApiToken); });
                var e = await Assert.ThrowsAnyAsync<NacException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
                Assert.DoesNotContain(Harness.ApiToken, e.Message);
                Assert.DoesNotContain(Harness.ApiToken, e.ToString());
                if (e is NacProtocolException p) Assert.DoesNotContain(Harness.ApiToken, p.Location ?? "");
                if (e is NacApiException a) Assert.DoesNotContain(Harness.ApiToken, a.ServerMessage ?? "");
            }
        }

        // ---- a create or extend whose success cannot be read ----

        private static readonly QodSessionRequest Create = new QodSessionRequest(Rig.Phone, "QOS_L", 3600) { ServiceIpv4 = Fixtures.PublicIpv4 };

        [Fact]
        public async Task A_created_session_whose_answer_is_html_is_found_among_the_device_sessions()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Sessions, _ => Task.FromResult(Harness.Build(HttpStatusCode.Created, "<html>proxy page</html>", "text/html")));
            rig.Server.On(ScriptedServer.Retrieve, Answer.Ok("[" + Bodies.Session("\"applicationServer\":{\"ipv4Address\":\"" + Fixtures.PublicIpv4 + "\"}", "REQUESTED") + "]"));
            var session = await rig.Client.CreateSessionAsync(Create, CancellationToken.None);
            Assert.Equal(Bodies.SessionId, session.SessionId);
            Assert.Equal(new[] { ScriptedServer.Sessions, ScriptedServer.Retrieve }, rig.Server.Order);
        }

        [Fact]
        public async Task A_created_session_that_cannot_be_read_or_found_says_it_may_exist_and_how_to_find_it()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Sessions, Answer.Created("{\"unexpected\":true}"));
            rig.Server.On(ScriptedServer.Retrieve, Answer.Ok("[]"));
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => rig.Client.CreateSessionAsync(Create, CancellationToken.None));
            Assert.Contains("most likely created", e.Message);
            Assert.Contains("Get-NacQodSession with no parameter", e.Message);
            Assert.Equal(1, rig.Server.Count(ScriptedServer.Sessions));
        }

        [Fact]
        public async Task An_extension_whose_answer_cannot_be_read_reads_the_session_back()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Extend, _ => Task.FromResult(Harness.Build(HttpStatusCode.OK, "<html>oops</html>", "text/html")));
            rig.Server.On(ScriptedServer.Get, Answer.Ok(Bodies.AvailableSession));
            var session = await rig.Client.ExtendSessionAsync(Bodies.SessionId, 600, CancellationToken.None);
            Assert.Equal(Bodies.SessionId, session.SessionId);
            Assert.Equal(new[] { ScriptedServer.Extend, ScriptedServer.Get }, rig.Server.Order);
        }

        // ---- bounded answers ----

        [Fact]
        public async Task An_answer_declared_larger_than_the_cap_is_not_read()
        {
            using var h = WithAnswer(HttpStatusCode.OK, "[" + string.Join(",", Enumerable.Repeat(Bodies.AvailableSession, 200)) + "]");
            h.Client.MaxAnswerBytes = 10_000;
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.ListSessionsAsync(CancellationToken.None));
            Assert.Equal(NacProtocolFault.TooLarge, e.Fault);
            Assert.Contains("10000 bytes", e.Message);
        }

        [Fact]
        public void The_default_cap_is_32_MiB()
        {
            Assert.Equal(32L * 1024 * 1024, NacClient.DefaultMaxAnswerBytes);
            using var h = new Harness();
            Assert.Equal(NacClient.DefaultMaxAnswerBytes, h.Client.MaxAnswerBytes);
        }

        [Fact]
        public async Task A_gzip_bomb_fails_at_the_cap_without_inflating_it_all()
        {
            // 32 MiB of zeros, gzipped to about 32 KiB, against a cap of 1 MiB.
            byte[] bomb;
            using (var packed = new MemoryStream())
            {
                using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
                {
                    var zeros = new byte[1024 * 1024];
                    zeros[0] = (byte)'[';
                    gzip.Write(zeros, 0, zeros.Length);
                    zeros[0] = 0;
                    for (int i = 1; i < 32; i++) gzip.Write(zeros, 0, zeros.Length);
                }
                bomb = packed.ToArray();
            }
            using var server = new LoopbackServer(async (stream, cancel) =>
            {
                await LoopbackServer.Write(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n" +
                    $"Content-Length: {bomb.Length}\r\nConnection: close\r\n\r\n", cancel);
                await stream.WriteAsync(bomb, 0, bomb.Length, cancel);
            });
            var client = new NacClient(NacHttp.CreateClient(), new NacConnectionSettings(new Uri(server.Url), Harness.RapidApiHost, Harness.Secure(Harness.ApiToken), NacEnvironment.Prod))
            {
                MaxAnswerBytes = 1024 * 1024,
                RetryPolicy = new NacRetryPolicy(0, TimeSpan.FromSeconds(20)),
                Pacer = new NacPacer(),
            };
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => client.ListSessionsAsync(CancellationToken.None));
            Assert.Equal(NacProtocolFault.TooLarge, e.Fault);
            Assert.Contains("after decompression", e.Message);
        }

        // ---- servers that never answer, or trickle ----

        private static NacClient LoopbackClient(LoopbackServer server, int timeoutSec, int maxRetries = 3) =>
            new NacClient(NacHttp.CreateClient(), new NacConnectionSettings(new Uri(server.Url), Harness.RapidApiHost, Harness.Secure(Harness.ApiToken), NacEnvironment.Prod))
            {
                RetryPolicy = new NacRetryPolicy(maxRetries, TimeSpan.FromSeconds(timeoutSec)),
                Pacer = new NacPacer(),
            };

        public static readonly TheoryData<string> Operations = new TheoryData<string> { "get", "create", "list" };

        private static Task Run(NacClient client, string operation) =>
            operation == "get" ? client.GetSessionAsync(Bodies.SessionId, CancellationToken.None)
            : operation == "create" ? client.CreateSessionAsync(Create, CancellationToken.None)
            : (Task)client.ListSessionsAsync(CancellationToken.None);

        [Theory]
        [MemberData(nameof(Operations))]
        public async Task A_server_that_never_answers_fails_within_the_timeout_plus_a_second(string operation)
        {
            using var server = new LoopbackServer((stream, cancel) => Task.Delay(Timeout.Infinite, cancel));
            var client = LoopbackClient(server, 2);
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => Run(client, operation));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "gave up after " + clock.Elapsed);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), "gave up after " + clock.Elapsed);
            Assert.True(e.IsTimeout);
            Assert.InRange(e.Attempts, 1, 4);
            Assert.Contains($"{e.Attempts} attempt", e.Message);
            Assert.Contains(" s", e.Message);
            Assert.Contains("-TimeoutSec", e.Message);
        }

        [Fact]
        public async Task A_server_that_trickles_its_answer_fails_within_the_timeout_plus_a_second()
        {
            using var server = new LoopbackServer(async (stream, cancel) =>
            {
                await LoopbackServer.Write(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[", cancel);
                while (true)
                {
                    await Task.Delay(200, cancel);
                    await LoopbackServer.Write(stream, " ", cancel);
                }
            });
            var client = LoopbackClient(server, 2);
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => client.ListSessionsAsync(CancellationToken.None));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "gave up after " + clock.Elapsed);
            Assert.True(e.IsTimeout);
            Assert.Contains("attempt", e.Message);
        }

        [Fact]
        public async Task Cancelling_a_call_to_a_server_that_never_answers_ends_it_at_once()
        {
            using var server = new LoopbackServer((stream, cancel) => Task.Delay(Timeout.Infinite, cancel));
            var client = LoopbackClient(server, 60);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetSessionAsync(Bodies.SessionId, cts.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "the cancellation took " + clock.Elapsed);
        }
    }
}
