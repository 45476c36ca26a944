using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>
    /// A gateway in front of a platform that creates sessions: a token bucket of <c>rate</c> requests per
    /// second and <c>burst</c> requests, answering 429 {"message":"Too many requests"} (with Retry-After when
    /// asked) once it is empty, and a quota of requests after which every answer is the quota 429.
    /// </summary>
    internal sealed class GatewayServer : HttpMessageHandler
    {
        private readonly object _gate = new object();
        private readonly double _rate;
        private readonly double _burst;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private double _tokens;
        private double _last;
        private int _created;

        public GatewayServer(double rate, double burst, string? retryAfter = null, int quota = int.MaxValue, int quotaResetSeconds = 3600)
        {
            _rate = rate;
            _burst = burst;
            _tokens = burst;
            RetryAfter = retryAfter;
            Quota = quota;
            QuotaResetSeconds = quotaResetSeconds;
        }

        public string? RetryAfter { get; }
        public int Quota { get; }
        public int QuotaResetSeconds { get; }

        public int Requests;
        public int RateLimited;
        public int QuotaRefused;
        public int Created => Volatile.Read(ref _created);

        /// <summary>The greatest number of requests that were in the server at once.</summary>
        public int MaxConcurrent;
        private int _concurrent;

        public ConcurrentBag<string> SessionIds { get; } = new ConcurrentBag<string>();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
        {
            int now = Interlocked.Increment(ref _concurrent);
            int seen;
            while ((seen = Volatile.Read(ref MaxConcurrent)) < now && Interlocked.CompareExchange(ref MaxConcurrent, now, seen) != seen) { }
            try
            {
                await Task.Yield();
                int number = Interlocked.Increment(ref Requests);
                if (number > Quota)
                {
                    Interlocked.Increment(ref QuotaRefused);
                    var quota = Harness.Build((HttpStatusCode)429,
                        "{\"message\":\"You have exceeded the DAILY quota for Requests on your current plan, BASIC. Upgrade your plan at https://rapidapi.com/nokia-network-as-code/api/network-as-code\"}");
                    quota.Headers.TryAddWithoutValidation("x-ratelimit-requests-limit", Quota.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    quota.Headers.TryAddWithoutValidation("x-ratelimit-requests-remaining", "0");
                    quota.Headers.TryAddWithoutValidation("x-ratelimit-requests-reset", QuotaResetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    quota.Headers.TryAddWithoutValidation("x-rapidapi-request-id", "req-" + number);
                    return quota;
                }
                if (!Take())
                {
                    Interlocked.Increment(ref RateLimited);
                    var limited = Harness.Build((HttpStatusCode)429, "{\"message\":\"Too many requests\"}");
                    if (RetryAfter != null) limited.Headers.TryAddWithoutValidation("Retry-After", RetryAfter);
                    return limited;
                }
                string id = Guid.NewGuid().ToString();
                SessionIds.Add(id);
                Interlocked.Increment(ref _created);
                return Harness.Build(HttpStatusCode.Created, Bodies.Session("", "REQUESTED", id));
            }
            finally
            {
                Interlocked.Decrement(ref _concurrent);
            }
        }

        private bool Take()
        {
            lock (_gate)
            {
                double t = _clock.Elapsed.TotalSeconds;
                _tokens = Math.Min(_burst, _tokens + (t - _last) * _rate);
                _last = t;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }
    }

    /// <summary>
    /// The pacer: rate limiting costs time, never items; it is shared by every client of one endpoint, host
    /// and key, and never by others; a spent quota stops sending until it resets. Asserted by counts and
    /// order, never by how long things take.
    /// </summary>
    public class PacerTests
    {
        private static NacClient Client(HttpMessageHandler server, NacPacer? pacer, TimeSpan? timeout = null, int maxRetries = 3, string key = Harness.ApiToken)
        {
            var http = new HttpClient(server, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            var client = new NacClient(http, new NacConnectionSettings(new Uri(Harness.BaseUrl), Harness.RapidApiHost, Harness.Secure(key), NacEnvironment.Prod))
            {
                RetryPolicy = new NacRetryPolicy(maxRetries, timeout ?? TimeSpan.FromSeconds(60)) { BaseDelay = TimeSpan.FromMilliseconds(1) },
            };
            if (pacer != null) client.Pacer = pacer;
            return client;
        }

        private static QodSessionRequest Request(int i) =>
            new QodSessionRequest(Device.Create(phoneNumber: "+3670" + (1000000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), "QOS_L", 3600) { ServiceIpv4 = Fixtures.PublicIpv4 };

        /// <summary>Creates <paramref name="count"/> sessions with <paramref name="workers"/> concurrent workers; returns the failures.</summary>
        private static async Task<Exception[]> CreateMany(NacClient client, int count, int workers, CancellationToken cancel = default)
        {
            int next = -1;
            var failures = new ConcurrentBag<Exception>();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    try
                    {
                        await client.CreateSessionAsync(Request(i), cancel).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!(e is OperationCanceledException))
                    {
                        failures.Add(e);
                    }
                }
            })));
            return failures.ToArray();
        }

        [Theory]
        [InlineData(1, null)]
        [InlineData(16, null)]
        [InlineData(32, null)]
        [InlineData(16, "1")]
        public async Task A_rate_limit_costs_time_never_items(int workers, string? retryAfter)
        {
            // 100 creates through 200 requests/s with a burst of 10: far more than the burst, with 429s on the way.
            var server = new GatewayServer(rate: 200, burst: 10, retryAfter: retryAfter);
            var pacer = new NacPacer();
            var client = Client(server, pacer);
            var failures = await CreateMany(client, 100, workers);
            Assert.Empty(failures.Select(f => f.Message));
            Assert.Equal(100, server.Created);
            Assert.Equal(100, server.SessionIds.Distinct().Count());
            if (workers > 1)
            {
                Assert.True(server.RateLimited > 0, "the test meant to hit the limit");
                Assert.True(pacer.Engaged, "a 429 engages the pacer");
            }
        }

        [Fact]
        public async Task After_429s_with_Retry_After_the_pacer_learns_the_rate_and_stops_meeting_the_limit()
        {
            // One worker against 100 requests/s, a burst of 5 and Retry-After: 1. Unpaced, each 429 holds the only
            // worker back a second, the bucket refills only its burst, and the next 5 creates meet the limit
            // again: one 429 per 5 creates (30 for 150). Paced, the first 429 starts a probe, the next bounds the
            // rate, and the rest go just below it.
            var server = new GatewayServer(rate: 100, burst: 5, retryAfter: "1");
            var pacer = new NacPacer();
            var client = Client(server, pacer);
            Assert.Empty((await CreateMany(client, 150, 1)).Select(f => f.Message));
            Assert.Equal(150, server.Created);
            Assert.Equal(150, server.SessionIds.Distinct().Count());
            Assert.True(server.RateLimited >= 2, $"the test meant to meet the limit ({server.RateLimited} 429s)");
            // Room for a busy machine: a third 429 when the first estimate was a little high, a fourth after that.
            Assert.True(server.RateLimited <= 6, $"{server.RateLimited} 429s for 150 creates");
            Assert.False(pacer.Probing);
            Assert.InRange(pacer.Rate, 50, 105);
        }

        [Fact]
        public async Task Without_Retry_After_a_429_does_not_pace_starts()
        {
            // A 429 without Retry-After costs only the short shared pause: the window and the pauses handle it.
            var server = new GatewayServer(rate: 200, burst: 10);
            var pacer = new NacPacer();
            Assert.Empty((await CreateMany(Client(server, pacer), 100, 16)).Select(f => f.Message));
            Assert.True(server.RateLimited > 0, "the test meant to meet the limit");
            Assert.True(pacer.Engaged);
            Assert.Equal(0, pacer.Rate);
        }

        [Fact]
        public async Task A_429_cuts_the_requests_in_flight_for_every_client_of_the_key()
        {
            // The gateway counts requests in flight; after the first 429 the pacer allows fewer at once.
            var server = new GatewayServer(rate: 50, burst: 5);
            var pacer = new NacPacer();
            var first = Client(server, pacer);
            var second = Client(server, pacer);
            var failures = await Task.WhenAll(CreateMany(first, 40, 16), CreateMany(second, 40, 16));
            Assert.Empty(failures.SelectMany(f => f).Select(f => f.Message));
            Assert.Equal(80, server.Created);
            Assert.True(pacer.Engaged);
            Assert.True(pacer.Window < 32, "window " + pacer.Window);
            Assert.True(pacer.PauseCount >= 1);
        }

        [Fact]
        public void Clients_of_one_endpoint_host_and_key_share_a_pacer_and_others_do_not()
        {
            using var http = new HttpClient();
            string host = "pacer-" + Guid.NewGuid().ToString("N") + ".example";
            NacClient Make(string baseUrl, string rapidHost, string key) =>
                new NacClient(http, new NacConnectionSettings(new Uri(baseUrl), rapidHost, Harness.Secure(key), NacEnvironment.Prod));
            var a = Make(Harness.BaseUrl, host, "key-one-1234");
            var b = Make(Harness.BaseUrl + "/", host.ToUpperInvariant(), "key-one-1234");
            Assert.Same(a.Pacer, b.Pacer);
            Assert.NotSame(a.Pacer, Make(Harness.BaseUrl, host, "key-two-1234").Pacer);
            Assert.NotSame(a.Pacer, Make("https://other.example", host, "key-one-1234").Pacer);
            Assert.NotSame(a.Pacer, Make(Harness.BaseUrl, "other-" + host, "key-one-1234").Pacer);
        }

        [Fact]
        public void The_key_fingerprint_does_not_contain_the_key()
        {
            string fingerprint = NacPacer.Fingerprint(Harness.ApiToken);
            Assert.Equal(16, fingerprint.Length);
            Assert.DoesNotContain(Harness.ApiToken, fingerprint);
            Assert.DoesNotContain(Harness.ApiToken.Substring(0, 6), fingerprint);
            Assert.NotEqual(fingerprint, NacPacer.Fingerprint(Harness.ApiToken + "x"));
        }

        [Fact]
        public async Task Without_a_429_the_pacer_stays_out_of_the_way()
        {
            var server = new GatewayServer(rate: 1e6, burst: 1e6);
            var pacer = new NacPacer();
            var failures = await CreateMany(Client(server, pacer), 50, 8);
            Assert.Empty(failures);
            Assert.False(pacer.Engaged);
            Assert.Equal(0, pacer.PauseCount);
            Assert.Equal(int.MaxValue, pacer.Window);
        }

        [Fact]
        public async Task A_persistent_rate_limit_pauses_longer_each_time_and_ends_with_the_deadline()
        {
            using var rig = new Rig(maxRetries: 3, timeout: TimeSpan.FromMilliseconds(1500));
            rig.Pacer.BasePause = TimeSpan.FromMilliseconds(20);
            rig.Server.On(ScriptedServer.Get, Answer.Status(429, "{\"message\":\"Too many requests\"}"));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal(429, e.StatusCode);
            Assert.Contains("Rate-limited", e.Message);
            Assert.Contains("1.5 s", e.Message);
            int sent = rig.Server.Count(ScriptedServer.Get);
            // Pauses of 20, 40, 80, 160, 320, 640 ms (with jitter) fit in 1.5 s: a handful of requests, not hundreds.
            Assert.InRange(sent, 3, 12);
            Assert.Equal(sent, rig.Pacer.RateLimitedCount);
            var gaps = rig.Server.Hits.Zip(rig.Server.Hits.Skip(1), (x, y) => y.At - x.At).ToArray();
            Assert.True(gaps.Last() > gaps.First(), "the pauses grow: " + string.Join(", ", gaps.Select(g => g.TotalMilliseconds)));
        }

        [Fact]
        public async Task Max_retry_zero_sends_a_rate_limited_request_once()
        {
            using var rig = new Rig(maxRetries: 0);
            rig.Server.On(ScriptedServer.Sessions, Answer.Status(429, "{\"message\":\"Too many requests\"}"), Rig.Success("create"));
            var e = await Assert.ThrowsAsync<NacApiException>(() => rig.Run("create"));
            Assert.Equal(429, e.StatusCode);
            Assert.Single(rig.Server.Hits);
        }

        [Fact]
        public async Task Cancelling_during_a_pacer_pause_ends_the_call_at_once()
        {
            using var rig = new Rig(timeout: TimeSpan.FromSeconds(60));
            rig.Pacer.BasePause = TimeSpan.FromSeconds(30);
            rig.Pacer.MaxPause = TimeSpan.FromSeconds(30);
            rig.Server.On(ScriptedServer.Get, Answer.Status(429, "{\"message\":\"Too many requests\"}"), Rig.Success("get"));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, cts.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the cancellation took " + clock.Elapsed);
            Assert.Single(rig.Server.Hits);
        }

        [Fact]
        public async Task Cancelling_while_waiting_for_a_slot_ends_the_call_and_frees_nothing_it_did_not_take()
        {
            var pacer = new NacPacer { BasePause = TimeSpan.FromMilliseconds(1) };
            // Engage the pacer with one request in flight: the window becomes 1.
            var held = await pacer.EnterAsync(CancellationToken.None);
            pacer.Leave(held, NacPacer.Outcome.RateLimited);
            await Task.Delay(20);
            var slot = await pacer.EnterAsync(CancellationToken.None);
            Assert.True(slot.Paced);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pacer.EnterAsync(cts.Token));
            pacer.Leave(slot, NacPacer.Outcome.Succeeded);
            // The slot is free again: the next one is admitted at once.
            var next = pacer.EnterAsync(CancellationToken.None);
            Assert.True(next.IsCompleted || await Task.WhenAny(next.AsTask(), Task.Delay(2000)) == next.AsTask());
        }

        // ---- quota ----

        [Fact]
        public async Task A_spent_quota_stops_at_once_and_no_request_is_sent_until_it_resets()
        {
            var server = new GatewayServer(rate: 1e6, burst: 1e6, quota: 5, quotaResetSeconds: 7200);
            var pacer = new NacPacer();
            var client = Client(server, pacer);
            for (int i = 0; i < 5; i++) await client.CreateSessionAsync(Request(i), CancellationToken.None);
            var before = DateTimeOffset.UtcNow;
            var e = await Assert.ThrowsAsync<NacQuotaExceededException>(() => client.CreateSessionAsync(Request(5), CancellationToken.None));
            Assert.True(e.StopsCommand);
            Assert.Equal("DAILY", e.Quota);
            Assert.Equal(429, e.StatusCode);
            Assert.NotNull(e.ResetsAt);
            Assert.InRange(e.ResetsAt!.Value, before.AddSeconds(7199), DateTimeOffset.UtcNow.AddSeconds(7201));
            Assert.Contains("DAILY", e.Message);
            Assert.Contains("UTC", e.Message);
            Assert.Contains(e.ResetsAt.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), e.Message);
            Assert.Equal("req-6", e.RapidApiRequestId);
            Assert.Contains("x-rapidapi-request-id: req-6", e.Message);
            Assert.Equal(6, server.Requests);

            // Another client of the same key, another operation: refused without a request.
            var other = Client(server, pacer);
            var again = await Assert.ThrowsAsync<NacQuotaExceededException>(() => other.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.True(again.StopsCommand);
            Assert.Contains("Not sent", again.Message);
            Assert.Equal(e.ResetsAt, again.ResetsAt);
            Assert.Equal(6, server.Requests);
        }

        [Fact]
        public async Task A_quota_429_is_never_retried()
        {
            using var rig = new Rig();
            rig.Server.On(ScriptedServer.Get, Answer.Status(429,
                "{\"message\":\"You have exceeded the MONTHLY quota for Requests on your current plan, BASIC. Upgrade your plan at https://rapidapi.com/nokia-network-as-code/api/network-as-code\"}"),
                Rig.Success("get"));
            var e = await Assert.ThrowsAsync<NacQuotaExceededException>(() => rig.Client.GetSessionAsync(Bodies.SessionId, CancellationToken.None));
            Assert.Equal("MONTHLY", e.Quota);
            Assert.Null(e.ResetsAt);
            Assert.Contains("did not say when it resets", e.Message);
            Assert.Single(rig.Server.Hits);
            Assert.False(rig.Pacer.Engaged, "a quota is not a rate: nobody is slowed down");
        }

        [Fact]
        public async Task A_quota_block_ends_when_the_quota_resets()
        {
            var server = new GatewayServer(rate: 1e6, burst: 1e6, quota: 1, quotaResetSeconds: 1);
            var pacer = new NacPacer();
            var client = Client(server, pacer);
            await client.CreateSessionAsync(Request(0), CancellationToken.None);
            await Assert.ThrowsAsync<NacQuotaExceededException>(() => client.CreateSessionAsync(Request(1), CancellationToken.None));
            await Assert.ThrowsAsync<NacQuotaExceededException>(() => client.CreateSessionAsync(Request(2), CancellationToken.None));
            Assert.Equal(2, server.Requests);
            await Task.Delay(1200);
            // The block is over: the next request is sent (and this server still refuses it).
            await Assert.ThrowsAsync<NacQuotaExceededException>(() => client.CreateSessionAsync(Request(3), CancellationToken.None));
            Assert.Equal(3, server.Requests);
        }
    }
}
