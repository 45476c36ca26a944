using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>The RapidAPI gateway in front of QoD (--rapidapi-host, --unsubscribed-key, --quota, --rate-limit), over loopback.</summary>
public sealed class GatewayTests
{
    private const string Host = "network-as-code.nokia.rapidapi.com";
    private const string Profile = QosProfilesApi + "qos-profiles/QOS_E";
    private const string InvalidKeyBody = """{"message":"Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info."}""";
    private const string NotSubscribedBody = """{"message":"You are not subscribed to this API."}""";
    private const string ApiNotFoundBody = """{"message":"API doesn't exists"}""";
    private const string TooManyBody = """{"message":"Too many requests"}""";
    private const string DailyQuotaBody = """{"message":"You have exceeded the DAILY quota for Requests on your current plan, BASIC. Upgrade your plan at https://rapidapi.com/nokia-network-as-code/api/network-as-code"}""";

    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static Task<TestSimulator> StartAsync(SimulatorOptions options, ManualTimeProvider? clock = null) =>
        TestSimulator.StartAsync(options, clock is null ? null : new SimulatorHostSettings { Time = clock });

    private static HttpClient Client(TestSimulator simulator, string? key, string? host = Host)
    {
        var client = TestSimulator.CreateClient(simulator.BaseUrl, key);
        client.DefaultRequestHeaders.Remove("X-RapidAPI-Host");
        if (host is not null)
        {
            client.DefaultRequestHeaders.Add("X-RapidAPI-Host", host);
        }

        return client;
    }

    private static void AssertGatewayAnswer(ApiResponse response, int status, string body)
    {
        Assert.True(status == response.Code, $"expected {status}, got {response.Code}: {response.Body}");
        Assert.Equal(body, response.Body);
        Assert.Equal("application/json", response.ContentType);
        Assert.False(string.IsNullOrEmpty(response.Header("x-rapidapi-request-id")));
    }

    private static async Task<long> GatewayCountAsync(TestSimulator simulator, string name) =>
        (long)(await StatsAsync(simulator.Client))["gateway"]![name]!;

    [Fact]
    public async Task Off_by_default_any_host_is_accepted_no_quota_headers_and_every_answer_has_a_fresh_request_id()
    {
        await using var simulator = await StartAsync(TestSimulator.DefaultOptions);
        using var noHost = Client(simulator, "k", host: null);

        var first = await GetAsync(noHost, Profile);
        var second = await GetAsync(simulator.Client, Profile);
        var notFound = await GetAsync(simulator.Client, Qod + "no-such-path");

        Assert.Equal(200, first.Code);
        Assert.Equal(200, second.Code);
        Assert.Equal(404, notFound.Code);
        var ids = new[] { first, second, notFound }.Select(r => r.Header("x-rapidapi-request-id")).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Null(first.Header("x-ratelimit-requests-limit"));
        Assert.Null(first.Header("Retry-After"));
        var gateway = (await StatsAsync(simulator.Client))["gateway"]!.AsObject();
        Assert.All(gateway, pair => Assert.Equal(0, (long)pair.Value!));
    }

    [Fact]
    public async Task A_missing_or_wrong_host_gets_404_API_doesnt_exists_on_every_api_path_but_not_on_diagnostics()
    {
        await using var simulator = await StartAsync(TestSimulator.DefaultOptions with { RapidApiHost = Host });
        using var wrong = Client(simulator, "k", "network-as-code.p-eu.rapidapi.com");
        using var missing = Client(simulator, "k", host: null);
        using var otherCase = Client(simulator, "k", Host.ToUpperInvariant());

        AssertGatewayAnswer(await GetAsync(wrong, Profile), 404, ApiNotFoundBody);
        AssertGatewayAnswer(await PostAsync(wrong, Qod + "sessions", SessionBody()), 404, ApiNotFoundBody);
        AssertGatewayAnswer(await GetAsync(missing, Qod + "sessions/00000000-0000-4000-8000-000000000000"), 404, ApiNotFoundBody);
        AssertGatewayAnswer(await GetAsync(wrong, Qod + "no-such-path"), 404, ApiNotFoundBody);
        Assert.Equal(200, (await GetAsync(otherCase, Profile)).Code);
        Assert.Equal(200, (await GetAsync(missing, "_simulator/stats")).Code);

        Assert.Equal(4, await GatewayCountAsync(simulator, "hostRejected"));
        Assert.Equal(0, simulator.Running.Stats.SessionsCreated);
    }

    [Fact]
    public async Task Unsubscribed_keys_get_403_not_subscribed_and_other_wrong_keys_403_invalid_key()
    {
        var options = TestSimulator.DefaultOptions with { ApiKey = "right", UnsubscribedKeys = ["lapsed", "trial"] };
        await using var simulator = await StartAsync(options);
        using var lapsed = Client(simulator, "lapsed");
        using var trial = Client(simulator, "trial");
        using var wrong = Client(simulator, "wrong");
        using var right = Client(simulator, "right");
        using var none = Client(simulator, null);

        AssertGatewayAnswer(await PostAsync(lapsed, Qod + "sessions", SessionBody()), 403, NotSubscribedBody);
        AssertGatewayAnswer(await GetAsync(trial, Profile), 403, NotSubscribedBody);
        AssertGatewayAnswer(await GetAsync(wrong, Profile), 403, InvalidKeyBody);
        var unauthenticated = (await GetAsync(none, Profile)).AssertError(401, "UNAUTHENTICATED");
        Assert.False(string.IsNullOrEmpty(unauthenticated.Header("x-rapidapi-request-id")));
        Assert.Equal(200, (await GetAsync(right, Profile)).Code);

        var gateway = (await StatsAsync(simulator.Client))["gateway"]!;
        Assert.Equal(2, (long)gateway["notSubscribed"]!);
        Assert.Equal(1, (long)gateway["invalidKey"]!);
        Assert.Equal(1, (long)gateway["unauthenticated"]!);
        Assert.Equal(0, simulator.Running.Stats.SessionsCreated);
    }

    [Fact]
    public async Task Checks_run_in_the_contract_order_host_then_key_then_quota_then_rate()
    {
        var clock = new ManualTimeProvider(Start);
        var options = TestSimulator.DefaultOptions with
        {
            RapidApiHost = Host, ApiKey = "right", UnsubscribedKeys = ["lapsed"], Quota = 2, RateLimit = 1, RateBurst = 1,
        };
        await using var simulator = await StartAsync(options, clock);
        using var right = Client(simulator, "right");

        // Host before key: a wrong host with no key, a wrong key or an unsubscribed key is a 404.
        AssertGatewayAnswer(await GetAsync(Client(simulator, null, "wrong.host"), Profile), 404, ApiNotFoundBody);
        AssertGatewayAnswer(await GetAsync(Client(simulator, "wrong", "wrong.host"), Profile), 404, ApiNotFoundBody);
        AssertGatewayAnswer(await GetAsync(Client(simulator, "lapsed", "wrong.host"), Profile), 404, ApiNotFoundBody);

        // Rate: the bucket holds one request.
        Assert.Equal(200, (await GetAsync(right, Profile)).Code);
        AssertGatewayAnswer(await GetAsync(right, Profile), 429, TooManyBody);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(200, (await GetAsync(right, Profile)).Code);

        // Quota spent (2 of 2) and the bucket empty: the quota answers, not the rate.
        AssertGatewayAnswer(await GetAsync(right, Profile), 429, DailyQuotaBody);
        clock.Advance(TimeSpan.FromSeconds(5));
        AssertGatewayAnswer(await GetAsync(right, Profile), 429, DailyQuotaBody);

        // Key before quota: wrong and unsubscribed keys still get their 403 when the quota is spent.
        AssertGatewayAnswer(await GetAsync(Client(simulator, "wrong"), Profile), 403, InvalidKeyBody);
        AssertGatewayAnswer(await GetAsync(Client(simulator, "lapsed"), Profile), 403, NotSubscribedBody);

        var gateway = (await StatsAsync(simulator.Client))["gateway"]!;
        Assert.Equal(3, (long)gateway["hostRejected"]!);
        Assert.Equal(1, (long)gateway["rateLimited"]!);
        Assert.Equal(2, (long)gateway["quotaExceeded"]!);
    }

    [Fact]
    public async Task Quota_headers_count_down_the_429_has_no_Retry_After_and_the_quota_resets_after_the_period()
    {
        var clock = new ManualTimeProvider(Start);
        await using var simulator = await StartAsync(TestSimulator.DefaultOptions with { Quota = 3, QuotaPeriodSeconds = 60 }, clock);
        var client = simulator.Client;

        var answers = new ApiResponse[4];
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] = await GetAsync(client, Profile);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal([200, 200, 200, 429], answers.Select(a => a.Code));
        Assert.All(answers, a => Assert.Equal("3", a.Header("x-ratelimit-requests-limit")));
        Assert.Equal(["2", "1", "0", "0"], answers.Select(a => a.Header("x-ratelimit-requests-remaining")));
        Assert.Equal(["60", "50", "40", "30"], answers.Select(a => a.Header("x-ratelimit-requests-reset")));
        AssertGatewayAnswer(answers[3], 429, DailyQuotaBody);
        Assert.Null(answers[3].Header("Retry-After"));

        // A created session's answer carries the headers too; a refused create creates nothing.
        var refusedCreate = await PostAsync(client, Qod + "sessions", SessionBody());
        AssertGatewayAnswer(refusedCreate, 429, DailyQuotaBody);
        Assert.Equal(0, simulator.Running.Stats.SessionsCreated);

        clock.Advance(TimeSpan.FromSeconds(20)); // 60 s after the first request: a new period.
        var afterReset = await GetAsync(client, Profile);
        Assert.Equal(200, afterReset.Code);
        Assert.Equal("2", afterReset.Header("x-ratelimit-requests-remaining"));
        Assert.Equal("60", afterReset.Header("x-ratelimit-requests-reset"));
    }

    [Fact]
    public async Task The_quota_is_per_key_and_a_period_of_28_days_or_more_is_MONTHLY()
    {
        var clock = new ManualTimeProvider(Start);
        await using var simulator = await StartAsync(TestSimulator.DefaultOptions with { Quota = 1, QuotaPeriodSeconds = 28 * 86_400 }, clock);
        using var first = Client(simulator, "first");
        using var second = Client(simulator, "second");

        Assert.Equal(200, (await GetAsync(first, Profile)).Code);
        var spent = await GetAsync(first, Profile);
        Assert.Equal(200, (await GetAsync(second, Profile)).Code);

        Assert.Equal(429, spent.Code);
        Assert.Contains("exceeded the MONTHLY quota for Requests", (string?)spent.Json["message"], StringComparison.Ordinal);
        Assert.Equal((28 * 86_400).ToString(CultureInfo.InvariantCulture), spent.Header("x-ratelimit-requests-reset"));
    }

    [Fact]
    public async Task The_quota_resets_on_the_real_clock_after_a_short_period()
    {
        await using var simulator = await StartAsync(TestSimulator.DefaultOptions with { Quota = 1, QuotaPeriodSeconds = 1 });

        Assert.Equal(200, (await GetAsync(simulator.Client, Profile)).Code);
        var spent = await GetAsync(simulator.Client, Profile);
        Assert.Equal(429, spent.Code);
        Assert.Equal("1", spent.Header("x-ratelimit-requests-reset"));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        ApiResponse again;
        do
        {
            await Task.Delay(100);
            again = await GetAsync(simulator.Client, Profile);
        }
        while (again.Code == 429 && DateTime.UtcNow < deadline);

        Assert.Equal(200, again.Code);
        Assert.Equal("0", again.Header("x-ratelimit-requests-remaining"));
    }

    [Fact]
    public async Task The_bucket_admits_exactly_its_burst_under_concurrency_then_the_steady_rate_never_more_than_the_burst()
    {
        var clock = new ManualTimeProvider(Start);
        await using var simulator = await StartAsync(TestSimulator.DefaultOptions with { RateLimit = 10, RateBurst = 5 }, clock);

        async Task<(int Ok, int Limited)> BurstAsync(HttpClient client, int count)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => GetAsync(client, Profile)));
            Assert.All(answers, a => Assert.True(a.Code is 200 or 429, $"{a.Code} {a.Body}"));
            Assert.All(answers.Where(a => a.Code == 429), a => Assert.Equal(TooManyBody, a.Body));
            return (answers.Count(a => a.Code == 200), answers.Count(a => a.Code == 429));
        }

        Assert.Equal((5, 35), await BurstAsync(simulator.Client, 40));
        clock.Advance(TimeSpan.FromMilliseconds(300)); // 10/s for 0.3 s: 3 tokens
        Assert.Equal((3, 17), await BurstAsync(simulator.Client, 20));
        clock.Advance(TimeSpan.FromSeconds(30)); // refills up to the burst only
        Assert.Equal((5, 15), await BurstAsync(simulator.Client, 20));

        // Steady: one request per 100 ms of clock is always admitted.
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Equal(200, (await GetAsync(simulator.Client, Profile)).Code);
        }

        // Each key has its own bucket.
        using var other = Client(simulator, "another-key");
        Assert.Equal((5, 5), await BurstAsync(other, 10));
        Assert.Equal(35 + 17 + 15 + 5, await GatewayCountAsync(simulator, "rateLimited"));
    }

    [Fact]
    public async Task The_bucket_holds_on_the_real_clock_too_and_refused_creates_create_nothing()
    {
        await using var simulator = await StartAsync(TestSimulator.DefaultOptions with { RateLimit = 0.5, RateBurst = 3 });

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => PostAsync(simulator.Client, Qod + "sessions", SessionBody())));

        // 3 from the burst, plus at most one token per 2 s of the run (a few seconds at most on a loaded machine).
        var created = answers.Count(a => a.Code == 201);
        Assert.InRange(created, 3, 5);
        Assert.Equal(30 - created, answers.Count(a => a.Code == 429));
        Assert.Equal(created, simulator.Running.Stats.SessionsCreated);
        Assert.Equal(30 - created, await GatewayCountAsync(simulator, "rateLimited"));
    }

    [Fact]
    public async Task Retry_After_is_absent_by_default_seconds_with_rate_retry_after_and_an_HTTP_date_with_the_date_switch()
    {
        var clock = new ManualTimeProvider(Start);
        var limited = TestSimulator.DefaultOptions with { RateLimit = 1 };

        await using (var simulator = await StartAsync(limited, clock))
        {
            await GetAsync(simulator.Client, Profile);
            var answer = await GetAsync(simulator.Client, Profile);
            Assert.Equal(429, answer.Code);
            Assert.Null(answer.Header("Retry-After"));
        }

        await using (var simulator = await StartAsync(limited with { RateLimitRetryAfterSeconds = 2 }, clock))
        {
            await GetAsync(simulator.Client, Profile);
            var answer = await GetAsync(simulator.Client, Profile);
            Assert.Equal(429, answer.Code);
            Assert.Equal(TimeSpan.FromSeconds(2), answer.Message.Headers.RetryAfter?.Delta);
        }

        await using (var simulator = await StartAsync(limited with { RateLimitRetryAfterSeconds = 2, RateLimitRetryAfterAsDate = true }, clock))
        {
            await GetAsync(simulator.Client, Profile);
            var answer = await GetAsync(simulator.Client, Profile);
            Assert.Equal(429, answer.Code);
            Assert.Equal("Sun, 29 Nov 2026 12:00:02 GMT", answer.Header("Retry-After"));
            Assert.Equal(Start.AddSeconds(2), answer.Message.Headers.RetryAfter?.Date);
        }
    }

    [Fact]
    public async Task Reset_forgets_the_quota_and_the_buckets()
    {
        var clock = new ManualTimeProvider(Start);
        await using var simulator = await StartAsync(TestSimulator.DefaultOptions with { Quota = 1, RateLimit = 1 }, clock);

        Assert.Equal(200, (await GetAsync(simulator.Client, Profile)).Code);
        Assert.Equal(429, (await GetAsync(simulator.Client, Profile)).Code);
        Assert.Equal(204, (await PostAsync(simulator.Client, "_simulator/reset", null)).Code);

        Assert.Equal(200, (await GetAsync(simulator.Client, Profile)).Code);
    }
}
