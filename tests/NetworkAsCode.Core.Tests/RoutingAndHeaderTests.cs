using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>Methods, paths and headers (reference §1.4, §2.1).</summary>
    public class RoutingAndHeaderTests
    {
        private static QodSessionRequest Request() =>
            new QodSessionRequest(Device.Create(phoneNumber: Fixtures.Phone), "QOS_L", 3600) { ServiceIpv4 = Fixtures.PublicIpv4 };

        /// <summary>Runs all five operations once against one harness, answering each sensibly.</summary>
        private static async Task RunAll(Harness h)
        {
            h.Reply(req =>
            {
                string path = req.RequestUri!.AbsolutePath;
                if (path.EndsWith("/retrieve-sessions", StringComparison.Ordinal)) return Harness.Build(HttpStatusCode.OK, "[" + Bodies.AvailableSession + "]");
                if (req.Method == HttpMethod.Delete) return Harness.Build(HttpStatusCode.NoContent, null);
                return Harness.Build(req.Method == HttpMethod.Post && !path.EndsWith("/extend", StringComparison.Ordinal) ? HttpStatusCode.Created : HttpStatusCode.OK, Bodies.AvailableSession);
            });
            await h.Client.CreateSessionAsync(Request(), CancellationToken.None);
            await h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None);
            await h.Client.ExtendSessionAsync(Bodies.SessionId, 300, CancellationToken.None);
            await h.Client.GetSessionsAsync(Device.Create(phoneNumber: Fixtures.Phone), CancellationToken.None);
            await h.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None);
        }

        [Fact]
        public async Task Each_operation_uses_its_method_and_path()
        {
            using var h = new Harness();
            await RunAll(h);
            var seen = h.Requests.Select(r => r.Method.Method + " " + r.Uri.AbsoluteUri).ToArray();
            Assert.Equal(new[]
            {
                "POST " + Harness.QodRoot + "/sessions",
                "GET " + Harness.QodRoot + "/sessions/" + Bodies.SessionId,
                "POST " + Harness.QodRoot + "/sessions/" + Bodies.SessionId + "/extend",
                "POST " + Harness.QodRoot + "/retrieve-sessions",
                "DELETE " + Harness.QodRoot + "/sessions/" + Bodies.SessionId,
            }, seen);
        }

        [Fact]
        public async Task Every_request_carries_the_rapidapi_headers_and_its_own_correlator()
        {
            using var h = new Harness();
            await RunAll(h);
            Assert.Equal(5, h.Requests.Count);
            foreach (var r in h.Requests)
            {
                Assert.Equal(Harness.ApiToken, r.Header("X-RapidAPI-Key"));
                Assert.Equal(Harness.RapidApiHost, r.Header("X-RapidAPI-Host"));
                Assert.False(string.IsNullOrWhiteSpace(r.Header("x-correlator")));
                Assert.False(r.Headers.ContainsKey("Authorization"), "no Authorization header is sent to NaC");
            }
            var correlators = h.Requests.Select(r => r.Header("x-correlator")).ToArray();
            Assert.Equal(correlators.Length, correlators.Distinct().Count());
        }

        [Fact]
        public async Task Requests_with_a_body_declare_json()
        {
            using var h = new Harness();
            await RunAll(h);
            var withBody = h.Requests.Where(r => !string.IsNullOrEmpty(r.Body)).ToArray();
            Assert.Equal(3, withBody.Length); // create, extend, retrieve-sessions
            Assert.All(withBody, r => Assert.Equal("application/json", r.ContentType));
        }

        [Theory]
        [InlineData("https://host.example/prefix")]
        [InlineData("https://host.example/prefix/")]
        public async Task A_base_url_with_a_path_prefix_keeps_the_prefix(string baseUrl)
        {
            using var h = new Harness(baseUrl);
            h.Reply(HttpStatusCode.OK, Bodies.AvailableSession);
            await h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None);
            Assert.Equal("https://host.example/prefix/quality-on-demand/v1/sessions/" + Bodies.SessionId, h.Single().Uri.AbsoluteUri);
        }

        [Fact]
        public async Task A_loopback_http_base_url_with_a_port_is_used_as_given()
        {
            using var h = new Harness("http://127.0.0.1:5080");
            h.Reply(HttpStatusCode.OK, "[]");
            await h.Client.GetSessionsAsync(Device.Create(phoneNumber: Fixtures.Phone), CancellationToken.None);
            Assert.Equal("http://127.0.0.1:5080/quality-on-demand/v1/retrieve-sessions", h.Single().Uri.AbsoluteUri);
        }

        /// <summary>
        /// A session id that could leave the /sessions/{id} resource must be refused before sending, or
        /// reach the server as exactly one escaped path segment under /sessions/.
        /// </summary>
        [Theory]
        [InlineData("a/b")]
        [InlineData("../../other")]
        [InlineData("a?b=1")]
        [InlineData("a#b")]
        [InlineData("a b")]
        [InlineData("a%2Fb")]
        [InlineData("..")]
        [InlineData(".")]
        [InlineData("")]
        public async Task An_odd_session_id_is_refused_or_stays_one_segment(string id)
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, Bodies.AvailableSession);
            foreach (var operation in new Func<Task>[]
            {
                () => h.Client.GetSessionAsync(id, CancellationToken.None),
                () => h.Client.DeleteSessionAsync(id, CancellationToken.None),
                () => h.Client.ExtendSessionAsync(id, 60, CancellationToken.None),
            })
            {
                int before = h.Requests.Count;
                try
                {
                    await operation();
                }
                catch (NacValidationException e)
                {
                    Assert.Equal("SessionId", e.ParamName);
                    Assert.Contains("SessionId", e.Message);
                    Assert.Equal(before, h.Requests.Count);
                    continue;
                }
                var sent = h.Requests[before];
                string path = sent.Uri.AbsolutePath;
                const string prefix = "/quality-on-demand/v1/sessions/";
                Assert.True(path.StartsWith(prefix, StringComparison.Ordinal), $"session id '{id}' was sent to {sent.Method} {sent.Uri.AbsoluteUri}");
                string rest = path.Substring(prefix.Length);
                if (rest.EndsWith("/extend", StringComparison.Ordinal)) rest = rest.Substring(0, rest.Length - "/extend".Length);
                Assert.Equal(id, Uri.UnescapeDataString(rest));
                Assert.DoesNotContain("/", rest);
                Assert.True(string.IsNullOrEmpty(sent.Uri.Query), "the id leaked into the query: " + sent.Uri.AbsoluteUri);
            }
        }

        [Fact]
        public async Task A_session_id_of_129_characters_is_refused_before_sending()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, Bodies.AvailableSession);
            var e = await Assert.ThrowsAsync<NacValidationException>(() => h.Client.GetSessionAsync(new string('a', 129), CancellationToken.None));
            Assert.Contains("SessionId", e.Message);
            Assert.Empty(h.Requests);
        }

        [Fact]
        public async Task An_invalid_create_request_is_refused_before_sending()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.Created, Bodies.RequestedSession);
            var request = new QodSessionRequest(Device.Create(phoneNumber: Fixtures.Phone), "QOS_L", 0) { ServiceIpv4 = Fixtures.PublicIpv4 };
            var e = await Assert.ThrowsAsync<NacValidationException>(() => h.Client.CreateSessionAsync(request, CancellationToken.None));
            Assert.Equal("Duration", e.ParamName);
            Assert.Empty(h.Requests);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(86400)]
        [InlineData(-5)]
        public async Task An_extension_out_of_range_is_refused_before_sending(int seconds)
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, Bodies.AvailableSession);
            var e = await Assert.ThrowsAsync<NacValidationException>(() => h.Client.ExtendSessionAsync(Bodies.SessionId, seconds, CancellationToken.None));
            Assert.Equal("ExtendBy", e.ParamName);
            Assert.Contains("ExtendBy", e.Message);
            Assert.Empty(h.Requests);
        }

        [Fact]
        public void The_client_exposes_its_settings_and_a_30_second_default_timeout()
        {
            using var h = new Harness();
            Assert.Equal(TimeSpan.FromSeconds(30), h.Client.Timeout);
            Assert.Equal(Harness.RapidApiHost, h.Client.Settings.RapidApiHost);
            Assert.Equal(NacEnvironment.Prod, h.Client.Settings.Environment);
        }
    }
}
