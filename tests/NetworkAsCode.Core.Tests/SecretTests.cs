using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using RichardSzalay.MockHttp;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>The API key and the notification token never reach a message, ToString() or a trace line.</summary>
    public class SecretTests
    {
        private const string NotificationToken = "sink-token-3b1f9d27c64e8a05";

        private static QodSessionRequest RequestWithSink(string sink = "https://example.com/notifications") =>
            new QodSessionRequest(Fixtures.SeedDevice(), "DOWNLINK_L_UPLINK_L", 3600)
            {
                ServiceIpv4 = Fixtures.PublicIpv4,
                NotificationUrl = sink,
                NotificationAuthToken = Harness.Secure(NotificationToken),
            };

        /// <summary>A careless server that echoes the credential back in full.</summary>
        private static readonly string EchoingSession = Bodies.Session(
            "\"sink\":\"https://example.com/notifications\",\"sinkCredential\":{\"credentialType\":\"ACCESSTOKEN\",\"accessToken\":\"" +
            NotificationToken + "\",\"accessTokenType\":\"bearer\"},\"device\":{\"phoneNumber\":\"+36721601234567\"}");

        private static void AssertClean(string text, string where)
        {
            Assert.False(text.Contains(Harness.ApiToken, StringComparison.Ordinal), $"the API key is in {where}: {text}");
            Assert.False(text.Contains(NotificationToken, StringComparison.Ordinal), $"the notification token is in {where}: {text}");
        }

        private static void AssertTraceClean(Harness h)
        {
            foreach (string line in h.Trace.All) AssertClean(line, "a trace line");
        }

        [Fact]
        public async Task Successful_calls_trace_method_url_status_and_correlator_but_no_secret()
        {
            using var h = new Harness();
            h.Reply(req =>
            {
                string path = req.RequestUri!.AbsolutePath;
                if (path.EndsWith("/retrieve-sessions", StringComparison.Ordinal)) return Harness.Build(HttpStatusCode.OK, "[" + EchoingSession + "]");
                if (req.Method == HttpMethod.Delete) return Harness.Build(HttpStatusCode.NoContent, null);
                return Harness.Build(path.EndsWith("/sessions", StringComparison.Ordinal) ? HttpStatusCode.Created : HttpStatusCode.OK, EchoingSession);
            });
            await h.Client.CreateSessionAsync(RequestWithSink(), CancellationToken.None);
            await h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None);
            await h.Client.ExtendSessionAsync(Bodies.SessionId, 60, CancellationToken.None);
            await h.Client.GetSessionsAsync(Fixtures.SeedDevice(), CancellationToken.None);
            await h.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None);

            Assert.Equal(5, h.Requests.Count);
            Assert.NotEmpty(h.Trace.DebugLines);
            AssertTraceClean(h);

            string[] statuses = { "201", "200", "200", "200", "204" };
            for (int i = 0; i < h.Requests.Count; i++)
            {
                var r = h.Requests[i];
                string label = r.Method.Method + " " + r.Uri.AbsoluteUri;
                string correlator = r.Header("x-correlator");
                Assert.Contains(h.Trace.VerboseLines, line =>
                    line.Contains(label, StringComparison.Ordinal) &&
                    line.Contains(statuses[i], StringComparison.Ordinal) &&
                    line.Contains(correlator, StringComparison.Ordinal));
            }

            // The create body is traced at Debug level, with the credential masked rather than dropped.
            string createBody = Assert.Single(h.Trace.DebugLines, l => l.StartsWith("POST " + Harness.QodRoot + "/sessions ", StringComparison.Ordinal) && l.Contains("body", StringComparison.Ordinal));
            Assert.Contains("sinkCredential", createBody);
            Assert.Contains(h.Requests[0].Header("x-correlator"), createBody);
        }

        [Fact]
        public async Task Failures_carry_no_secret_in_message_ToString_or_trace()
        {
            var failures = new List<Exception>();
            var answers = new Action<Harness>[]
            {
                h => h.Reply(HttpStatusCode.BadRequest, "{\"status\":400,\"code\":\"INVALID_CREDENTIAL\",\"message\":\"Only Access token is supported\"}"),
                h => h.Reply((HttpStatusCode)422, "{\"detail\":[{\"loc\":[\"body\",\"sinkCredential\",\"accessToken\"],\"msg\":\"invalid\",\"type\":\"value_error\"}]}"),
                h => h.Reply(HttpStatusCode.Forbidden, "{\"message\":\"Invalid API key.\"}"),
                h => h.Reply(HttpStatusCode.OK, "not a session"),
                // (a faulted task from Respond(...) leaves MockHttp hanging; Throw is its way to fail a request)
                h => h.Mock.Fallback.Throw(new HttpRequestException("Connection refused")),
            };
            var traces = new List<string>();
            foreach (var configure in answers)
            {
                using var h = new Harness();
                configure(h);
                failures.Add(await Assert.ThrowsAnyAsync<NacException>(() => h.Client.CreateSessionAsync(RequestWithSink(), CancellationToken.None)));
                traces.AddRange(h.Trace.All);
            }
            using (var h = new Harness())
            {
                h.Mock.Fallback.Respond(async () =>
                {
                    await Task.Delay(5000);
                    return Harness.Build(HttpStatusCode.Created, EchoingSession);
                });
                h.Client.Timeout = TimeSpan.FromMilliseconds(100);
                failures.Add(await Assert.ThrowsAsync<NacConnectionException>(() => h.Client.CreateSessionAsync(RequestWithSink(), CancellationToken.None)));
                traces.AddRange(h.Trace.All);
            }
            using (var h = new Harness())
            {
                h.Reply(HttpStatusCode.Created, EchoingSession);
                var bad = RequestWithSink("ftp://example.com/notifications");
                failures.Add(await Assert.ThrowsAsync<NacValidationException>(() => h.Client.CreateSessionAsync(bad, CancellationToken.None)));
            }

            Assert.Equal(7, failures.Count);
            foreach (var e in failures)
            {
                AssertClean(e.Message, e.GetType().Name + ".Message");
                AssertClean(e.ToString(), e.GetType().Name + ".ToString()");
            }
            Assert.NotEmpty(traces);
            foreach (string line in traces) AssertClean(line, "a trace line");
        }

        [Fact]
        public async Task The_api_key_is_sent_only_as_the_rapidapi_header()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.Created, Bodies.RequestedSession);
            await h.Client.CreateSessionAsync(RequestWithSink(), CancellationToken.None);
            var sent = h.Single();
            Assert.Equal(Harness.ApiToken, sent.Header("X-RapidAPI-Key"));
            Assert.DoesNotContain(Harness.ApiToken, sent.Body);
            Assert.DoesNotContain(Harness.ApiToken, sent.Uri.AbsoluteUri);
            Assert.Equal(1, sent.Headers.Values.Count(v => v.Contains(Harness.ApiToken, StringComparison.Ordinal)));
        }

        /// <summary>
        /// FastAPI (pydantic v2) validation errors echo the offending value as "input". When the platform
        /// rejects the access token, its answer holds the token as a bare string: the -Debug trace of that
        /// answer must still not show it.
        /// </summary>
        [Fact]
        public async Task A_validation_error_echoing_the_token_is_not_traced()
        {
            using var h = new Harness();
            h.Reply((HttpStatusCode)422, "{\"detail\":[{\"type\":\"string_too_long\",\"loc\":[\"body\",\"sinkCredential\",\"accessToken\"]," +
                "\"msg\":\"String should have at most 16 characters\",\"input\":\"" + NotificationToken + "\"}]}");
            var e = await Assert.ThrowsAsync<NacApiException>(() => h.Client.CreateSessionAsync(RequestWithSink(), CancellationToken.None));
            AssertClean(e.Message, "the exception message");
            Assert.Contains("String should have at most 16 characters", e.Message);
            Assert.Contains(h.Trace.DebugLines, l => l.Contains("answer", StringComparison.Ordinal));
            AssertTraceClean(h);
        }

        /// <summary>
        /// A long (valid) notification URL pushes the credential past the 4096-character cut of the traced
        /// body. Not one character of the token may show in the trace, truncated or not.
        /// </summary>
        [Fact]
        public async Task A_long_body_traced_at_debug_does_not_leak_part_of_the_token()
        {
            // Sized so that the accessToken value straddles character 4096 of the serialised body.
            string sink = "https://example.com/notifications?q=" + new string('a', 3670);
            using var h = new Harness();
            h.Reply(HttpStatusCode.Created, Bodies.RequestedSession);
            await h.Client.CreateSessionAsync(RequestWithSink(sink), CancellationToken.None);
            string body = h.Single().Body!;
            int at = body.IndexOf(NotificationToken, StringComparison.Ordinal);
            Assert.True(at < 4096 && at + NotificationToken.Length > 4096, $"test setup: token at {at}..{at + NotificationToken.Length}, body {body.Length}");

            string tokenStart = NotificationToken.Substring(0, 8);
            foreach (string line in h.Trace.All)
                Assert.False(line.Contains(tokenStart, StringComparison.Ordinal), "the start of the notification token is in a trace line: ..." +
                    line.Substring(Math.Max(0, line.Length - 120)));
        }
    }
}
