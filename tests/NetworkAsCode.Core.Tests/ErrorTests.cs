using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using RichardSzalay.MockHttp;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>Error answers and transport failures (reference §2.6, §4).</summary>
    public class ErrorTests
    {
        private static QodSessionRequest Request() =>
            new QodSessionRequest(Device.Create(phoneNumber: Fixtures.Phone), "QOS_L", 3600) { ServiceIpv4 = Fixtures.PublicIpv4 };

        private const string CreateLabel = "POST " + Harness.QodRoot + "/sessions";

        private static async Task<(NacApiException error, CapturedRequest sent)> CreateFailing(
            HttpStatusCode status, string? body, string mediaType = "application/json", Action<HttpResponseMessage>? configure = null)
        {
            using var h = new Harness();
            h.Reply(status, body, mediaType, configure);
            var e = await Assert.ThrowsAnyAsync<NacApiException>(() => h.Client.CreateSessionAsync(Request(), CancellationToken.None));
            return (e, h.Single());
        }

        private static void AssertCommon(NacApiException e, CapturedRequest sent, int status)
        {
            Assert.Equal(status, e.StatusCode);
            Assert.Equal(CreateLabel, e.Request);
            Assert.Contains(CreateLabel, e.Message);
            string correlator = sent.Header("x-correlator");
            Assert.Equal(correlator, e.Correlator);
            Assert.Contains(correlator, e.Message);
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        }

        [Fact]
        public async Task A_camara_error_body_gives_code_and_message()
        {
            var (e, sent) = await CreateFailing(HttpStatusCode.Conflict,
                "{\"status\":409,\"code\":\"CONFLICT\",\"message\":\"Another session is created for the same device\"}");
            AssertCommon(e, sent, 409);
            Assert.Equal("CONFLICT", e.Code);
            Assert.Equal("Another session is created for the same device", e.ServerMessage);
            Assert.Contains("CONFLICT", e.Message);
            Assert.Contains("Another session is created for the same device", e.Message);
            Assert.Null(e.RetryAfter);
        }

        [Fact]
        public async Task A_dotted_camara_code_is_kept_whole()
        {
            var (e, sent) = await CreateFailing(HttpStatusCode.BadRequest,
                "{\"status\":400,\"code\":\"QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE\",\"message\":\"The requested duration is out of the allowed range for the specific QoS profile\"}");
            AssertCommon(e, sent, 400);
            Assert.Equal("QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE", e.Code);
            Assert.Contains("QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE", e.Message);
            Assert.Contains("out of the allowed range", e.Message);
        }

        [Fact]
        public async Task A_fastapi_string_detail_is_the_message()
        {
            var (e, sent) = await CreateFailing(HttpStatusCode.NotFound, "{\"detail\":\"QoS subscription not found\"}");
            AssertCommon(e, sent, 404);
            Assert.Null(e.Code);
            Assert.Equal("QoS subscription not found", e.ServerMessage);
            Assert.Contains("QoS subscription not found", e.Message);
        }

        [Fact]
        public async Task A_fastapi_validation_list_names_each_location_and_message()
        {
            var (e, sent) = await CreateFailing((HttpStatusCode)422,
                "{\"detail\":[{\"loc\":[\"body\",\"duration\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}," +
                "{\"loc\":[\"body\",\"device\",\"phoneNumber\"],\"msg\":\"string does not match regex\",\"type\":\"value_error.str.regex\"}]}");
            AssertCommon(e, sent, 422);
            Assert.NotNull(e.ServerMessage);
            Assert.Contains("field required", e.ServerMessage);
            Assert.Contains("duration", e.ServerMessage);
            Assert.Contains("string does not match regex", e.ServerMessage);
            Assert.Contains("phoneNumber", e.ServerMessage);
            Assert.Contains("field required", e.Message);
            Assert.Contains("string does not match regex", e.Message);
        }

        [Fact]
        public async Task The_gateway_message_body_is_the_message()
        {
            var (e, sent) = await CreateFailing((HttpStatusCode)429, "{\"message\":\"You have exceeded the rate limit per second for your plan, BASIC, by the API provider\"}");
            AssertCommon(e, sent, 429);
            Assert.Null(e.Code);
            Assert.Equal("You have exceeded the rate limit per second for your plan, BASIC, by the API provider", e.ServerMessage);
            Assert.Contains("exceeded the rate limit per second", e.Message);
        }

        // A body that is not JSON is not the API speaking: the error says so (GatewayErrorTests has the rest).
        private static async Task<(NacProtocolException error, CapturedRequest sent)> CreateAnsweredWithText(HttpStatusCode status, string body, string mediaType)
        {
            using var h = new Harness();
            h.Reply(status, body, mediaType);
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.CreateSessionAsync(Request(), CancellationToken.None));
            return (e, h.Single());
        }

        [Fact]
        public async Task A_plain_text_body_is_quoted_in_the_message()
        {
            var (e, sent) = await CreateAnsweredWithText(HttpStatusCode.BadGateway, "upstream connect error", "text/plain");
            Assert.Equal(NacProtocolFault.NotJson, e.Fault);
            Assert.Equal(502, e.StatusCode);
            Assert.Contains("upstream connect error", e.Message);
            Assert.Contains("text/plain", e.Message);
            Assert.Contains(sent.Header("x-correlator"), e.Message);
        }

        [Fact]
        public async Task A_long_html_body_is_shortened()
        {
            string html = "<html>" + new string('x', 5000) + "</html>";
            var (e, _) = await CreateAnsweredWithText(HttpStatusCode.ServiceUnavailable, html, "text/html");
            Assert.Equal(503, e.StatusCode);
            Assert.True(e.Message.Length < 1000, "message of " + e.Message.Length + " characters");
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        public async Task An_empty_body_still_gives_status_and_request(string? body)
        {
            var (e, sent) = await CreateFailing(HttpStatusCode.InternalServerError, body);
            AssertCommon(e, sent, 500);
            Assert.Null(e.Code);
            Assert.Null(e.ServerMessage);
            Assert.StartsWith("HTTP 500", e.Message);
        }

        [Fact]
        public async Task The_correlator_echoed_by_the_server_is_reported()
        {
            using var h = new Harness();
            h.Reply(req =>
            {
                var r = Harness.Build(HttpStatusCode.InternalServerError, "{\"status\":500,\"code\":\"INTERNAL\",\"message\":\"boom\"}");
                r.Headers.TryAddWithoutValidation("x-correlator", "server-side-7");
                return r;
            });
            var e = await Assert.ThrowsAsync<NacApiException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal("server-side-7", e.Correlator);
            Assert.Contains("server-side-7", e.Message);
        }

        [Fact]
        public async Task Retry_after_in_seconds_is_read()
        {
            var (e, _) = await CreateFailing((HttpStatusCode)429,
                "{\"status\":429,\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"Rate limit reached\"}",
                configure: r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));
            Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
            Assert.Equal("TOO_MANY_REQUESTS", e.Code);
        }

        [Fact]
        public async Task Retry_after_as_an_http_date_is_read()
        {
            var at = DateTimeOffset.UtcNow.AddSeconds(120);
            var (e, _) = await CreateFailing(HttpStatusCode.ServiceUnavailable, null,
                configure: r => r.Headers.TryAddWithoutValidation("Retry-After", at.ToString("r", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.NotNull(e.RetryAfter);
            Assert.InRange(e.RetryAfter!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(121));
        }

        [Fact]
        public async Task Retry_after_in_the_past_is_zero()
        {
            var (e, _) = await CreateFailing(HttpStatusCode.ServiceUnavailable, null,
                configure: r => r.Headers.TryAddWithoutValidation("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"));
            Assert.Equal(TimeSpan.Zero, e.RetryAfter);
        }

        [Theory]
        [InlineData("{\"detail\":\"QoS subscription not found\"}")]
        [InlineData("{\"status\":404,\"code\":\"NOT_FOUND\",\"message\":\"No sessions\"}")]
        [InlineData("")]
        public async Task Retrieve_sessions_404_is_an_empty_list(string body)
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.NotFound, body);
            var list = await h.Client.GetSessionsAsync(Device.Create(phoneNumber: Fixtures.Phone), CancellationToken.None);
            Assert.Empty(list);
            Assert.Single(h.Requests);
        }

        [Fact]
        public async Task Retrieve_sessions_404_identifier_not_found_is_an_error()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.NotFound, "{\"status\":404,\"code\":\"IDENTIFIER_NOT_FOUND\",\"message\":\"Device identifier not found.\"}");
            var e = await Assert.ThrowsAsync<NacApiException>(() => h.Client.GetSessionsAsync(Device.Create(phoneNumber: "+99999990404"), CancellationToken.None));
            Assert.Equal(404, e.StatusCode);
            Assert.Equal("IDENTIFIER_NOT_FOUND", e.Code);
            Assert.Contains("Device identifier not found", e.Message);
        }

        [Theory]
        [InlineData(403, "{\"message\":\"Invalid API key.\"}")]
        [InlineData(422, "{\"detail\":[{\"loc\":[],\"msg\":\"\",\"type\":\"\"}]}")]
        [InlineData(500, "")]
        public async Task Retrieve_sessions_other_errors_are_errors(int status, string body)
        {
            using var h = new Harness();
            h.Reply((HttpStatusCode)status, body);
            var e = await Assert.ThrowsAnyAsync<NacException>(() => h.Client.GetSessionsAsync(Device.Create(phoneNumber: Fixtures.Phone), CancellationToken.None));
            Assert.Equal(status, e is NacGatewayException gateway ? gateway.StatusCode : Assert.IsAssignableFrom<NacApiException>(e).StatusCode);
        }

        [Fact]
        public async Task Retrieve_sessions_200_empty_array_is_an_empty_list()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, "[]");
            Assert.Empty(await h.Client.GetSessionsAsync(Device.Create(phoneNumber: Fixtures.Phone), CancellationToken.None));
        }

        [Fact]
        public async Task Get_404_is_an_error()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.NotFound, "{\"status\":404,\"code\":\"NOT_FOUND\",\"message\":\"Session Id does not exist\"}");
            var e = await Assert.ThrowsAsync<NacApiException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal("NOT_FOUND", e.Code);
            Assert.Contains("GET " + Harness.QodRoot + "/sessions/" + Bodies.SessionId, e.Message);
        }

        [Fact]
        public async Task A_redirect_is_not_success()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.Found, null, configure: r => r.Headers.Location = new Uri("https://elsewhere.example/"));
            var e = await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(NacProtocolFault.Redirect, e.Fault);
            Assert.Equal(302, e.StatusCode);
            Assert.Equal("https://elsewhere.example/", e.Location);
            Assert.Contains("https://elsewhere.example/", e.Message);
        }

        [Fact]
        public async Task A_connection_failure_names_the_url()
        {
            using var h = new Harness();
            h.Mock.Fallback.Throw(new HttpRequestException("Connection refused (network-as-code.p-eu.rapidapi.com:443)"));
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.False(e.IsTimeout);
            Assert.Equal("GET " + Harness.QodRoot + "/sessions/" + Bodies.SessionId, e.Request);
            Assert.Contains(Harness.QodRoot + "/sessions/" + Bodies.SessionId, e.Message);
            Assert.Contains("Connection refused", e.Message);
            Assert.IsType<HttpRequestException>(e.InnerException);
            Assert.False(string.IsNullOrEmpty(e.Correlator));
        }

        [Fact]
        public async Task A_connection_failure_reports_the_innermost_reason()
        {
            using var h = new Harness();
            h.Mock.Fallback.Throw(new HttpRequestException("An error occurred while sending the request.",
                new System.IO.IOException("Name or service not known")));
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => h.Client.GetSessionsAsync(Device.Create(phoneNumber: Fixtures.Phone), CancellationToken.None));
            Assert.Contains("Name or service not known", e.Message);
            Assert.Contains("POST " + Harness.QodRoot + "/retrieve-sessions", e.Message);
        }

        [Fact]
        public async Task A_slow_answer_is_a_timeout()
        {
            using var h = new Harness();
            h.Mock.Fallback.Respond(async () =>
            {
                await Task.Delay(5000);
                return Harness.Build(HttpStatusCode.OK, Bodies.AvailableSession);
            });
            h.Client.Timeout = TimeSpan.FromMilliseconds(200);
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => h.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            clock.Stop();
            Assert.True(e.IsTimeout);
            Assert.Contains("timed out", e.Message);
            Assert.Contains(Harness.QodRoot + "/sessions/" + Bodies.SessionId, e.Message);
            Assert.False(string.IsNullOrEmpty(e.Correlator));
            Assert.Contains(e.Correlator!, e.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "the timeout took " + clock.Elapsed);
        }

        [Fact]
        public async Task A_caller_cancellation_is_not_a_timeout()
        {
            using var h = new Harness();
            h.Mock.Fallback.Respond(async () =>
            {
                await Task.Delay(5000);
                return Harness.Build(HttpStatusCode.OK, Bodies.AvailableSession);
            });
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Client.GetSessionAsync(Bodies.SessionId, cts.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "the cancellation took " + clock.Elapsed);
            Assert.True(cts.IsCancellationRequested);
        }

        [Fact]
        public async Task An_already_cancelled_token_throws_cancelled()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, "[]");
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Client.GetSessionsAsync(Device.Create(phoneNumber: Fixtures.Phone), cts.Token));
        }

        [Fact]
        public async Task Every_failure_is_a_NacException_with_the_request()
        {
            using var h = new Harness();
            h.Reply(HttpStatusCode.OK, "garbage");
            NacException e = await Assert.ThrowsAsync<NacProtocolException>(() => h.Client.ExtendSessionAsync(Bodies.SessionId, 60, CancellationToken.None));
            Assert.Equal("POST " + Harness.QodRoot + "/sessions/" + Bodies.SessionId + "/extend", e.Request);
        }
    }
}
