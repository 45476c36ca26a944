using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>
    /// A scripted platform: per route ("METHOD /path") a sequence of answers, the last one repeated. Every
    /// request is counted and time-stamped. Failures are thrown by the handler itself (MockHttp hangs when
    /// an async responder throws), so "refused, then 200" is one line.
    /// </summary>
    internal sealed class ScriptedServer : HttpMessageHandler
    {
        public const string Sessions = "POST /quality-on-demand/v1/sessions";
        public const string Retrieve = "POST /quality-on-demand/v1/retrieve-sessions";
        public const string Get = "GET /quality-on-demand/v1/sessions/" + Bodies.SessionId;
        public const string Extend = "POST /quality-on-demand/v1/sessions/" + Bodies.SessionId + "/extend";
        public const string Delete = "DELETE /quality-on-demand/v1/sessions/" + Bodies.SessionId;

        public delegate Task<HttpResponseMessage> Step(CancellationToken cancel);

        internal sealed class Hit
        {
            public Hit(string route, string? body, string? correlator, TimeSpan at)
            {
                Route = route;
                Body = body;
                Correlator = correlator;
                At = at;
            }

            public string Route { get; }
            public string? Body { get; }
            public string? Correlator { get; }
            public TimeSpan At { get; }
        }

        private readonly Dictionary<string, Step[]> _script = new Dictionary<string, Step[]>(StringComparer.Ordinal);
        private readonly List<Hit> _hits = new List<Hit>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public ScriptedServer On(string route, params Step[] steps)
        {
            if (steps.Length == 0) throw new ArgumentException("at least one answer", nameof(steps));
            _script[route] = steps;
            return this;
        }

        public IReadOnlyList<Hit> Hits
        {
            get { lock (_hits) return _hits.ToArray(); }
        }

        public int Count(string route) => Hits.Count(h => h.Route == route);

        /// <summary>The routes in the order they were hit.</summary>
        public string[] Order => Hits.Select(h => h.Route).ToArray();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
        {
            string route = request.Method.Method + " " + request.RequestUri!.AbsolutePath;
            string? body = request.Content == null ? null : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            string? correlator = request.Headers.TryGetValues("x-correlator", out var values) ? values.First() : null;
            int index;
            lock (_hits)
            {
                index = _hits.Count(h => h.Route == route);
                _hits.Add(new Hit(route, body, correlator, _clock.Elapsed));
            }
            if (!_script.TryGetValue(route, out var steps))
                return Harness.Build((HttpStatusCode)418, "{\"message\":\"unscripted route " + route + "\"}");
            return await steps[Math.Min(index, steps.Length - 1)](cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Answers and failures for <see cref="ScriptedServer"/>.</summary>
    internal static class Answer
    {
        public static ScriptedServer.Step Status(int status, string? body = null, string? retryAfter = null) => _ =>
        {
            var response = Harness.Build((HttpStatusCode)status, body);
            if (retryAfter != null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return Task.FromResult(response);
        };

        public static ScriptedServer.Step Ok(string body) => Status(200, body);
        public static ScriptedServer.Step Created(string body) => Status(201, body);
        public static ScriptedServer.Step NoContent => Status(204);

        public static ScriptedServer.Step Throw(Func<Exception> failure) => _ => Task.FromException<HttpResponseMessage>(failure());

        /// <summary>Nothing listens: the request surely was not processed.</summary>
        public static ScriptedServer.Step Refused => Throw(() => new HttpRequestException(
            "Connection refused (network-as-code.p-eu.rapidapi.com:443)", new SocketException((int)SocketError.ConnectionRefused)));

        /// <summary>The name does not resolve: no point in trying again.</summary>
        public static ScriptedServer.Step HostNotFound => Throw(() => new HttpRequestException(
            "Name or service not known (network-as-code.p-eu.rapidapi.com:443)", new SocketException((int)SocketError.HostNotFound)));

        /// <summary>The connection broke after the request went out: the outcome is unknown.</summary>
        public static ScriptedServer.Step Dropped => Throw(() => new HttpRequestException(
            "An error occurred while sending the request.", new IOException("The response ended prematurely.")));

        /// <summary>No answer until the client gives up (its per-attempt timeout or the caller's token).</summary>
        public static ScriptedServer.Step Hang => async cancel =>
        {
            await Task.Delay(Timeout.Infinite, cancel).ConfigureAwait(false);
            throw new InvalidOperationException("unreachable");
        };

        /// <summary>Builds one of the failures above by name, for theories.</summary>
        public static ScriptedServer.Step Named(string name)
        {
            switch (name)
            {
                case "refused": return Refused;
                case "dropped": return Dropped;
                case "timeout": return Hang;
                case "hostnotfound": return HostNotFound;
                default:
                    return Status(int.Parse(name, CultureInfo.InvariantCulture), "{\"status\":" + name + ",\"code\":\"X\",\"message\":\"scripted " + name + "\"}");
            }
        }
    }

    /// <summary>A NacClient built as the cmdlets build it, over a <see cref="ScriptedServer"/>, with fast retries.</summary>
    internal sealed class Rig : IDisposable
    {
        public Rig(int maxRetries = 3, TimeSpan? timeout = null, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
        {
            Http = new HttpClient(Server, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            Client = new NacClient(Http, new NacConnectionSettings(new Uri(Harness.BaseUrl), Harness.RapidApiHost, Harness.Secure(Harness.ApiToken), NacEnvironment.Prod))
            {
                Trace = Trace,
                RetryPolicy = new NacRetryPolicy(maxRetries, timeout ?? TimeSpan.FromSeconds(10))
                {
                    BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(1),
                    MaxDelay = maxDelay ?? TimeSpan.FromSeconds(5),
                },
            };
            // A pacer of its own: no test's rate limits or quota slow or block another's.
            Client.Pacer = Pacer;
        }

        public NacPacer Pacer { get; } = new NacPacer();

        public ScriptedServer Server { get; } = new ScriptedServer();
        public HttpClient Http { get; }
        public NacClient Client { get; }
        public RecordingTrace Trace { get; } = new RecordingTrace();

        public string Verbose => string.Join("\n", Trace.VerboseLines);

        public void Dispose() => Http.Dispose();

        public static readonly Device Phone = Device.Create(phoneNumber: Fixtures.Phone);

        /// <summary>Runs one operation by name: get, retrieve, delete, create or extend.</summary>
        public Task Run(string operation, CancellationToken cancel = default)
        {
            switch (operation)
            {
                case "get": return Client.GetSessionAsync(Bodies.SessionId, cancel);
                case "retrieve": return Client.GetSessionsAsync(Phone, cancel);
                case "delete": return Client.DeleteSessionAsync(Bodies.SessionId, cancel);
                case "create": return Client.CreateSessionAsync(new QodSessionRequest(Phone, "QOS_L", 3600) { ServiceIpv4 = Fixtures.PublicIpv4 }, cancel);
                case "extend": return Client.ExtendSessionAsync(Bodies.SessionId, 600, cancel);
                default: throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
            }
        }

        public static string Route(string operation)
        {
            switch (operation)
            {
                case "get": return ScriptedServer.Get;
                case "retrieve": return ScriptedServer.Retrieve;
                case "delete": return ScriptedServer.Delete;
                case "create": return ScriptedServer.Sessions;
                case "extend": return ScriptedServer.Extend;
                default: throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
            }
        }

        /// <summary>A success answer that the operation can read.</summary>
        public static ScriptedServer.Step Success(string operation)
        {
            switch (operation)
            {
                case "retrieve": return Answer.Ok("[" + Bodies.AvailableSession + "]");
                case "delete": return Answer.NoContent;
                case "create": return Answer.Created(Bodies.RequestedSession);
                default: return Answer.Ok(Bodies.AvailableSession);
            }
        }
    }

    /// <summary>
    /// Retries of the operations that are safe to repeat (get, retrieve-sessions, delete): which failures
    /// are retried, how many times, how long each wait is, and what the caller sees when they run out.
    /// </summary>
    public class RetryTests
    {
        public static readonly TheoryData<string> SafeOperations = new TheoryData<string> { "get", "retrieve", "delete" };

        public static TheoryData<string, int> SafeOperationsAndTransientStatuses()
        {
            var data = new TheoryData<string, int>();
            foreach (string op in new[] { "get", "retrieve", "delete" })
                foreach (int status in new[] { 429, 502, 503, 504 })
                    data.Add(op, status);
            return data;
        }

        public static TheoryData<string, int> SafeOperationsAndFinalStatuses()
        {
            var data = new TheoryData<string, int>();
            foreach (string op in new[] { "get", "retrieve", "delete" })
                foreach (int status in new[] { 400, 401, 403, 404, 409, 422, 500 })
                {
                    // A 404 from retrieve-sessions is "no sessions" (ErrorTests), not an error.
                    if (op == "retrieve" && status == 404) continue;
                    data.Add(op, status);
                }
            return data;
        }

        [Theory]
        [MemberData(nameof(SafeOperationsAndTransientStatuses))]
        public async Task A_transient_status_is_retried_and_the_retry_answer_is_used(string operation, int status)
        {
            using var rig = new Rig();
            rig.Server.On(Rig.Route(operation), Answer.Named(status.ToString(CultureInfo.InvariantCulture)), Rig.Success(operation));
            await rig.Run(operation);
            Assert.Equal(2, rig.Server.Count(Rig.Route(operation)));
            Assert.Equal(2, rig.Server.Hits.Count);
        }

        [Theory]
        [MemberData(nameof(SafeOperationsAndFinalStatuses))]
        public async Task A_final_status_is_never_retried(string operation, int status)
        {
            using var rig = new Rig();
            rig.Server.On(Rig.Route(operation), Answer.Named(status.ToString(CultureInfo.InvariantCulture)), Rig.Success(operation));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Run(operation));
            Assert.Equal(status, e.StatusCode);
            Assert.Single(rig.Server.Hits);
            Assert.DoesNotContain("retry", rig.Verbose, StringComparison.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(10)]
        public async Task A_persistent_503_is_sent_exactly_max_retries_plus_one_times(int maxRetries)
        {
            using var rig = new Rig(maxRetries);
            rig.Server.On(ScriptedServer.Get, Answer.Status(503, "{\"status\":503,\"code\":\"UNAVAILABLE\",\"message\":\"busy\"}"));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(503, e.StatusCode);
            Assert.Equal("UNAVAILABLE", e.Code);
            Assert.Equal(maxRetries + 1, rig.Server.Count(ScriptedServer.Get));
        }

        [Fact]
        public async Task Max_retries_zero_sends_exactly_one_request_whatever_the_failure()
        {
            foreach (string failure in new[] { "429", "502", "503", "504", "dropped", "refused" })
            {
                using var rig = new Rig(maxRetries: 0);
                rig.Server.On(ScriptedServer.Get, Answer.Named(failure), Rig.Success("get"));
                await Assert.ThrowsAnyAsync<NacException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
                Assert.True(rig.Server.Hits.Count == 1, $"{failure}: {rig.Server.Hits.Count} requests");
            }
        }

        [Theory]
        [MemberData(nameof(SafeOperations))]
        public async Task A_dropped_connection_is_retried(string operation)
        {
            using var rig = new Rig();
            rig.Server.On(Rig.Route(operation), Answer.Dropped, Answer.Dropped, Rig.Success(operation));
            await rig.Run(operation);
            Assert.Equal(3, rig.Server.Count(Rig.Route(operation)));
        }

        [Theory]
        [MemberData(nameof(SafeOperations))]
        public async Task A_timed_out_attempt_is_retried_within_the_operation_time(string operation)
        {
            // The first attempt may take three quarters of the operation's time; the retry has the rest. 5 s, not
            // less: on a loaded 2-core machine running the other test classes in parallel, the first attempt's
            // timer has fired 300 ms late, and once more than 750 ms late, which left a 3 s operation no retry.
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(5));
            rig.Server.On(Rig.Route(operation), Answer.Hang, Rig.Success(operation));
            await rig.Run(operation);
            Assert.Equal(2, rig.Server.Count(Rig.Route(operation)));
            Assert.Contains("timed out", rig.Verbose);
        }

        [Fact]
        public async Task Persistent_timeouts_end_in_a_timeout_error_when_the_operation_time_is_spent()
        {
            // The timeout bounds the operation, retries included: the first attempt keeps a quarter back for a retry.
            using var rig = new Rig(maxRetries: 2, timeout: TimeSpan.FromMilliseconds(400));
            rig.Server.On(ScriptedServer.Get, Answer.Hang);
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.True(e.IsTimeout);
            // Two attempts: the first gives up at 300 ms, the retry has the last 100 ms (one, on a machine too slow to retry).
            Assert.InRange(e.Attempts, 1, 2);
            Assert.Equal(e.Attempts, rig.Server.Count(ScriptedServer.Get));
            Assert.Matches($@"gave up after {e.Attempts} attempts? in \d+\.\d s", e.Message);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(380), "the operation's 400 ms ended after " + clock.Elapsed);
        }

        [Fact]
        public async Task Persistent_dropped_connections_end_in_a_connection_error()
        {
            using var rig = new Rig(maxRetries: 2);
            rig.Server.On(ScriptedServer.Retrieve, Answer.Dropped);
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => rig.Client.GetSessionsAsync(Rig.Phone, CancellationToken.None));
            Assert.False(e.IsTimeout);
            Assert.Contains("The response ended prematurely", e.Message);
            Assert.Equal(3, rig.Server.Count(ScriptedServer.Retrieve));
        }

        [Fact]
        public async Task Each_attempt_has_its_own_correlator_and_the_error_names_the_last()
        {
            using var rig = new Rig(maxRetries: 2);
            rig.Server.On(ScriptedServer.Get, Answer.Status(502));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            var correlators = rig.Server.Hits.Select(h => h.Correlator).ToArray();
            Assert.Equal(3, correlators.Distinct().Count());
            Assert.Equal(correlators.Last(), e.Correlator);
        }

        // ---- Retry-After ----

        [Fact]
        public async Task Retry_after_in_seconds_is_waited_for()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Get, Answer.Status(429, null, "1"), Rig.Success("get"));
            await rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None);
            var hits = rig.Server.Hits;
            Assert.Equal(2, hits.Count);
            var waited = hits[1].At - hits[0].At;
            Assert.True(waited >= TimeSpan.FromMilliseconds(900), "Retry-After: 1 but the retry came after " + waited);
            Assert.Contains("in 1.0 s", rig.Verbose);
        }

        [Fact]
        public async Task Retry_after_as_an_http_date_is_waited_for()
        {
            using var rig = new Rig();
            // An HTTP date has whole seconds: two seconds ahead is at least one second of wait.
            string at = DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture);
            rig.Server.On(ScriptedServer.Delete, Answer.Status(503, null, at), Answer.NoContent);
            await rig.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None);
            var hits = rig.Server.Hits;
            Assert.Equal(2, hits.Count);
            var waited = hits[1].At - hits[0].At;
            Assert.True(waited >= TimeSpan.FromMilliseconds(900), "Retry-After: " + at + " but the retry came after " + waited);
        }

        [Fact]
        public async Task Retry_after_zero_retries_at_once()
        {
            using var rig = new Rig(baseDelay: TimeSpan.FromSeconds(20), maxDelay: TimeSpan.FromSeconds(30));
            rig.Server.On(ScriptedServer.Retrieve, Answer.Status(429, null, "0"), Answer.Ok("[]"));
            var clock = Stopwatch.StartNew();
            Assert.Empty(await rig.Client.GetSessionsAsync(Rig.Phone, CancellationToken.None));
            Assert.Equal(2, rig.Server.Count(ScriptedServer.Retrieve));
            // The server's 0 stands in for the 20 s back-off.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "took " + clock.Elapsed);
        }

        [Theory]
        [InlineData(429)]
        [InlineData(503)]
        public async Task Retry_after_longer_than_max_delay_is_not_waited_for(int status)
        {
            using var rig = new Rig(maxDelay: TimeSpan.FromSeconds(5));
            rig.Server.On(ScriptedServer.Get, Answer.Status(status, "{\"message\":\"slow down\"}", "120"), Rig.Success("get"));
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(status, e.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
            Assert.Single(rig.Server.Hits);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "took " + clock.Elapsed);
        }

        [Fact]
        public async Task Retry_after_date_beyond_max_delay_is_not_waited_for()
        {
            using var rig = new Rig(maxDelay: TimeSpan.FromSeconds(5));
            string at = DateTimeOffset.UtcNow.AddMinutes(10).ToString("r", CultureInfo.InvariantCulture);
            rig.Server.On(ScriptedServer.Delete, Answer.Status(503, null, at), Answer.NoContent);
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Single(rig.Server.Hits);
            Assert.NotNull(e.RetryAfter);
            Assert.InRange(e.RetryAfter!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10.1));
        }

        // ---- connection failures ----

        public static readonly TheoryData<string> AllOperations = new TheoryData<string> { "get", "retrieve", "delete", "create", "extend" };

        [Theory]
        [MemberData(nameof(AllOperations))]
        public async Task A_refused_connection_is_retried_for_every_operation(string operation)
        {
            using var rig = new Rig();
            rig.Server.On(Rig.Route(operation), Answer.Refused, Answer.Refused, Rig.Success(operation));
            await rig.Run(operation);
            Assert.Equal(3, rig.Server.Count(Rig.Route(operation)));
            // Nothing else: a refused create or extend needs no check of the platform's state.
            Assert.Equal(3, rig.Server.Hits.Count);
        }

        [Theory]
        [MemberData(nameof(AllOperations))]
        public async Task A_persistently_refused_connection_ends_after_max_retries(string operation)
        {
            using var rig = new Rig(maxRetries: 2);
            rig.Server.On(Rig.Route(operation), Answer.Refused);
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => rig.Run(operation));
            Assert.False(e.IsTimeout);
            Assert.Contains("Connection refused", e.Message);
            Assert.Equal(3, rig.Server.Hits.Count);
            Assert.All(rig.Server.Hits, h => Assert.Equal(Rig.Route(operation), h.Route));
        }

        [Theory]
        [MemberData(nameof(AllOperations))]
        public async Task A_name_that_does_not_resolve_is_never_retried(string operation)
        {
            using var rig = new Rig();
            rig.Server.On(Rig.Route(operation), Answer.HostNotFound, Rig.Success(operation));
            var e = await Assert.ThrowsAsync<NacConnectionException>(() => rig.Run(operation));
            Assert.False(e.IsTimeout);
            Assert.Contains("network-as-code.p-eu.rapidapi.com", e.Message);
            Assert.Contains("Name or service not known", e.Message);
            Assert.IsType<HttpRequestException>(e.InnerException);
            Assert.Single(rig.Server.Hits);
            Assert.DoesNotContain("retry", rig.Verbose, StringComparison.OrdinalIgnoreCase);
        }

        // ---- delete ----

        [Theory]
        [InlineData("503")]
        [InlineData("429")]
        [InlineData("dropped")]
        [InlineData("timeout")]
        public async Task A_delete_whose_retry_finds_404_is_done(string firstFailure)
        {
            // 3 s: the "timeout" case's retry gets the last quarter, enough on a loaded machine.
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(3));
            rig.Server.On(ScriptedServer.Delete, Answer.Named(firstFailure),
                Answer.Status(404, "{\"status\":404,\"code\":\"NOT_FOUND\",\"message\":\"Session Id does not exist\"}"));
            await rig.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None);
            Assert.Equal(2, rig.Server.Count(ScriptedServer.Delete));
        }

        [Fact]
        public async Task A_delete_whose_first_attempt_finds_404_is_an_error()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Delete, Answer.Status(404, "{\"status\":404,\"code\":\"NOT_FOUND\",\"message\":\"Session Id does not exist\"}"));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.DeleteSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(404, e.StatusCode);
            Assert.Equal("NOT_FOUND", e.Code);
            Assert.Single(rig.Server.Hits);
        }

        [Fact]
        public async Task A_get_whose_retry_finds_404_is_still_an_error()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Get, Answer.Status(503), Answer.Status(404, "{\"status\":404,\"code\":\"NOT_FOUND\",\"message\":\"gone\"}"));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(404, e.StatusCode);
            Assert.Equal(2, rig.Server.Hits.Count);
        }

        // ---- cancellation ----

        [Theory]
        [MemberData(nameof(SafeOperations))]
        public async Task Cancelling_during_a_retry_after_wait_ends_the_call_promptly(string operation)
        {
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(60), maxDelay: TimeSpan.FromSeconds(60));
            rig.Server.On(Rig.Route(operation), Answer.Status(503, null, "30"), Rig.Success(operation));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Run(operation, cts.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the cancellation took " + clock.Elapsed);
            Assert.Single(rig.Server.Hits);
        }

        [Fact]
        public async Task Cancelling_during_a_back_off_wait_ends_the_call_promptly()
        {
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(60), baseDelay: TimeSpan.FromSeconds(30), maxDelay: TimeSpan.FromSeconds(60));
            rig.Server.On(ScriptedServer.Get, Answer.Dropped, Rig.Success("get"));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, cts.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the cancellation took " + clock.Elapsed);
            Assert.Single(rig.Server.Hits);
        }

        [Fact]
        public async Task Cancelling_during_a_hanging_attempt_is_not_retried_as_a_timeout()
        {
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(30));
            rig.Server.On(ScriptedServer.Get, Answer.Hang);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, cts.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the cancellation took " + clock.Elapsed);
            Assert.Single(rig.Server.Hits);
        }

        // ---- trace ----

        [Fact]
        public async Task Each_retry_writes_a_verbose_line_with_its_number()
        {
            using var rig = new Rig(maxRetries: 3);
            rig.Server.On(ScriptedServer.Get, Answer.Status(502), Answer.Status(503), Answer.Dropped, Rig.Success("get"));
            await rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None);
            var retries = rig.Trace.VerboseLines.Where(l => l.IndexOf("retry", StringComparison.OrdinalIgnoreCase) >= 0).ToArray();
            Assert.Equal(3, retries.Length);
            for (int i = 0; i < 3; i++)
            {
                Assert.Contains($"retry {i + 1} of 3", retries[i]);
                Assert.Contains("GET " + Harness.QodRoot + "/sessions/" + Bodies.SessionId, retries[i]);
            }
            Assert.Contains("502", retries[0]);
            Assert.Contains("503", retries[1]);
            Assert.Contains("ended prematurely", retries[2]);
            Assert.DoesNotContain(rig.Trace.All, l => l.Contains(Harness.ApiToken));
        }

        // ---- the policy object ----

        [Theory]
        [InlineData(-1)]
        [InlineData(11)]
        public void Max_retries_outside_0_to_10_is_refused(int maxRetries)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new NacRetryPolicy(maxRetries, TimeSpan.FromSeconds(1)));
        }

        [Fact]
        public void A_timeout_that_is_not_positive_is_refused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new NacRetryPolicy(1, TimeSpan.Zero));
            Assert.Throws<ArgumentOutOfRangeException>(() => new NacRetryPolicy(1, TimeSpan.FromSeconds(-1)));
        }

        [Fact]
        public void The_default_policy_is_three_retries_and_thirty_seconds()
        {
            Assert.Equal(3, NacRetryPolicy.Default.MaxRetries);
            Assert.Equal(TimeSpan.FromSeconds(30), NacRetryPolicy.Default.Timeout);
            using var http = new HttpClient();
            var client = new NacClient(http, new NacConnectionSettings(new Uri(Harness.BaseUrl), Harness.RapidApiHost, Harness.Secure(Harness.ApiToken), NacEnvironment.Prod));
            Assert.Equal(3, client.RetryPolicy.MaxRetries);
            Assert.Equal(TimeSpan.FromSeconds(30), client.Timeout);
        }

        [Fact]
        public void Resolve_prefers_explicit_values_then_the_environment_then_the_defaults()
        {
            var env = new Dictionary<string, string?> { [NacRetryPolicy.MaxRetriesVariable] = "7", [NacRetryPolicy.TimeoutVariable] = "12" };
            var fromEnv = NacRetryPolicy.Resolve(null, null, n => env.TryGetValue(n, out var v) ? v : null);
            Assert.Equal(7, fromEnv.MaxRetries);
            Assert.Equal(TimeSpan.FromSeconds(12), fromEnv.Timeout);

            var explicitValues = NacRetryPolicy.Resolve(0, 5, n => env.TryGetValue(n, out var v) ? v : null);
            Assert.Equal(0, explicitValues.MaxRetries);
            Assert.Equal(TimeSpan.FromSeconds(5), explicitValues.Timeout);

            var defaults = NacRetryPolicy.Resolve(null, null, _ => null);
            Assert.Equal(NacRetryPolicy.DefaultMaxRetries, defaults.MaxRetries);
            Assert.Equal(TimeSpan.FromSeconds(NacRetryPolicy.DefaultTimeoutSec), defaults.Timeout);
        }

        [Theory]
        [InlineData(NacRetryPolicy.MaxRetriesVariable, "11")]
        [InlineData(NacRetryPolicy.MaxRetriesVariable, "-1")]
        [InlineData(NacRetryPolicy.MaxRetriesVariable, "three")]
        [InlineData(NacRetryPolicy.TimeoutVariable, "0")]
        [InlineData(NacRetryPolicy.TimeoutVariable, "86401")]
        public void Resolve_refuses_an_environment_value_out_of_range(string variable, string value)
        {
            var e = Assert.Throws<NacConfigurationException>(() => NacRetryPolicy.Resolve(null, null, n => n == variable ? value : null));
            Assert.Equal(variable, e.Setting);
            Assert.Contains(variable, e.Message);
            Assert.Contains(value, e.Message);
        }

        [Fact]
        public void Setting_the_timeout_keeps_the_rest_of_the_policy()
        {
            using var rig = new Rig(maxRetries: 4, baseDelay: TimeSpan.FromMilliseconds(7), maxDelay: TimeSpan.FromSeconds(9));
            rig.Client.Timeout = TimeSpan.FromSeconds(3);
            Assert.Equal(4, rig.Client.RetryPolicy.MaxRetries);
            Assert.Equal(TimeSpan.FromSeconds(3), rig.Client.RetryPolicy.Timeout);
            Assert.Equal(TimeSpan.FromMilliseconds(7), rig.Client.RetryPolicy.BaseDelay);
            Assert.Equal(TimeSpan.FromSeconds(9), rig.Client.RetryPolicy.MaxDelay);
        }

        [Fact]
        public async Task A_new_policy_takes_effect_on_the_next_call()
        {
            using var rig = new Rig(maxRetries: 3);
            rig.Server.On(ScriptedServer.Get, Answer.Status(503));
            await Assert.ThrowsAsync<NacApiException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(4, rig.Server.Hits.Count);
            rig.Client.RetryPolicy = new NacRetryPolicy(1, TimeSpan.FromSeconds(5)) { BaseDelay = TimeSpan.FromMilliseconds(1) };
            await Assert.ThrowsAsync<NacApiException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(6, rig.Server.Hits.Count);
        }
    }
}
