using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests;

/// <summary>--fail-rate, --throttle-every, --retry-after, --latency-ms and --seed.</summary>
public sealed class FaultInjectionTests
{
    private static async Task<List<int>> StatusSequenceAsync(HttpClient client, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add((await GetAsync(client, QosProfilesApi + "qos-profiles/QOS_E")).Code);
        }

        return statuses;
    }

    [Fact]
    public async Task Fail_rate_answers_a_seeded_reproducible_fraction_with_503()
    {
        var options = TestSimulator.DefaultOptions with { FailRate = 0.5, Seed = 42 };
        List<int> first;
        await using (var simulator = await TestSimulator.StartAsync(options))
        {
            first = await StatusSequenceAsync(simulator.Client, 40);
            var failed = first.Count(s => s == 503);
            Assert.InRange(failed, 8, 32);
            Assert.Equal(40 - failed, first.Count(s => s == 200));
            var stats = await StatsAsync(simulator.Client);
            Assert.Equal(failed, (int)stats["failed"]!);
            Assert.Equal(failed, (int)stats["faultsInjected"]!);
            Assert.Equal(40, (int)stats["requests"]!);

            var unavailable = await GetAsync(simulator.Client, QosProfilesApi + "qos-profiles/QOS_E");
            while (unavailable.Code != 503)
            {
                unavailable = await GetAsync(simulator.Client, QosProfilesApi + "qos-profiles/QOS_E");
            }

            unavailable.AssertError(503, "UNAVAILABLE");
            Assert.Equal("1", unavailable.Header("Retry-After"));
        }

        await using var again = await TestSimulator.StartAsync(options);
        Assert.Equal(first, await StatusSequenceAsync(again.Client, 40));

        // /_simulator/reset re-seeds, so the sequence starts over.
        Assert.Equal(204, (await SendAsync(again.Client, HttpMethod.Post, "_simulator/reset", null, null)).Code);
        Assert.Equal(first, await StatusSequenceAsync(again.Client, 40));
    }

    [Fact]
    public async Task Fail_rate_one_changes_no_state()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { FailRate = 1 });

        for (var i = 0; i < 5; i++)
        {
            (await PostAsync(simulator.Client, Qod + "sessions", SessionBody())).AssertError(503, "UNAVAILABLE");
        }

        var stats = await StatsAsync(simulator.Client);
        Assert.Equal(0, (int)stats["sessionsCreated"]!);
        Assert.Equal(0, (int)stats["sessionsLive"]!);
        Assert.Equal(5, (int)stats["failed"]!);
    }

    [Fact]
    public async Task Throttle_every_answers_every_nth_request_with_429_and_retry_after()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { ThrottleEvery = 3, RetryAfterSeconds = 7 });

        var statuses = new List<int>();
        for (var i = 0; i < 9; i++)
        {
            var response = await GetAsync(simulator.Client, QosProfilesApi + "qos-profiles/QOS_S");
            statuses.Add(response.Code);
            if (response.Code == 429)
            {
                response.AssertError(429, "TOO_MANY_REQUESTS");
                Assert.Equal("7", response.Header("Retry-After"));
                Assert.NotNull(response.Header("x-correlator"));
            }
        }

        Assert.Equal([200, 200, 429, 200, 200, 429, 200, 200, 429], statuses);
        var stats = await StatsAsync(simulator.Client); // diagnostics are never throttled
        Assert.Equal(3, (int)stats["throttled"]!);
    }

    [Fact]
    public async Task Latency_delays_api_responses_but_not_diagnostics()
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { LatencyMs = 300 });
        await GetAsync(simulator.Client, QosProfilesApi + "qos-profiles/QOS_S"); // warm up the connection

        var watch = Stopwatch.StartNew();
        Assert.Equal(200, (await GetAsync(simulator.Client, QosProfilesApi + "qos-profiles/QOS_S")).Code);
        Assert.True(watch.ElapsedMilliseconds >= 290, $"took {watch.ElapsedMilliseconds} ms");

        watch.Restart();
        await StatsAsync(simulator.Client);
        Assert.True(watch.ElapsedMilliseconds < 250, $"stats took {watch.ElapsedMilliseconds} ms");
    }
}
