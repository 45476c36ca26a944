using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests.Stress;

/// <summary>
/// Load over real loopback HTTP: many concurrent clients run create → get → extend → get → delete, each client on
/// its own device, plus clients that share a device with disjoint flows (never a 409) and clients that race on
/// the same device and flow (exactly one holder at a time, the rest 409). Every client has its own API key, so the
/// sessions of a device belong to several keys. Every loop is bounded by an iteration count and a wall-clock cap. At
/// the end the clients' own ledger must agree with <c>/_simulator/stats</c>, with retrieve-sessions for every key and
/// device, and with list-all for every key: no session lost, none duplicated, none shown to another key, no 5xx, no
/// dropped connection.
/// </summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    /// <summary>Sessions of every iteration whose index matches are kept (not deleted), so retrieve has something to check.</summary>
    private const int KeepEvery = 5;

    private const int BaseDuration = 60;
    private const int Extension = 30;

    private sealed record LoadPlan(
        int OwnDeviceClients,
        int Iterations,
        int SharedDeviceClients,
        int RaceGroups,
        int RacersPerGroup,
        int RaceAttempts,
        TimeSpan WallClockCap);

    [Fact]
    public async Task Many_concurrent_clients_lose_or_duplicate_no_session_and_stats_agree()
    {
        var plan = new LoadPlan(
            OwnDeviceClients: 32, Iterations: 25, SharedDeviceClients: 4, RaceGroups: 3, RacersPerGroup: 4, RaceAttempts: 30,
            WallClockCap: TimeSpan.FromSeconds(20));
        await RunAsync(TestSimulator.DefaultOptions with { AvailableDelayMs = 0 }, plan, faults: false);
    }

    [Fact]
    public async Task Injected_503_and_429_change_no_state_under_load()
    {
        var plan = new LoadPlan(
            OwnDeviceClients: 32, Iterations: 10, SharedDeviceClients: 4, RaceGroups: 2, RacersPerGroup: 4, RaceAttempts: 15,
            WallClockCap: TimeSpan.FromSeconds(15));
        var options = TestSimulator.DefaultOptions with { AvailableDelayMs = 0, FailRate = 0.2, ThrottleEvery = 7, Seed = 20_240_607 };
        var ledger = await RunAsync(options, plan, faults: true);
        Assert.True(ledger.Throttled > 0 && ledger.Failed > 0, $"the fault switches injected nothing: {ledger.Summary()}");
    }

    private async Task<LoadLedger> RunAsync(SimulatorOptions options, LoadPlan plan, bool faults)
    {
        await using var simulator = await TestSimulator.StartAsync(options);
        var ledger = new LoadLedger();
        var clock = Stopwatch.StartNew();
        var deadline = clock.Elapsed + plan.WallClockCap;
        bool TimeUp() => clock.Elapsed >= deadline;

        // Which sessions each key should still have for each device at the end (the clients' own view).
        var expectedByKeyAndPhone = new ConcurrentDictionary<(string Key, string Phone), ConcurrentDictionary<string, byte>>();
        ConcurrentDictionary<string, byte> Held(string name, string phone) =>
            expectedByKeyAndPhone.GetOrAdd((KeyOf(name), phone), _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));

        LoadClient NewClient(string name) => new(name, TestSimulator.CreateClient(simulator.BaseUrl, KeyOf(name)), ledger, faults);

        var tasks = new List<Task>();

        // 1. Own-device clients: one device each, a new application server per iteration (so kept sessions never overlap).
        for (var c = 0; c < plan.OwnDeviceClients; c++)
        {
            var name = "own" + c;
            var phone = NewPhone();
            var held = Held(name, phone);
            tasks.Add(Task.Run(async () =>
            {
                using var client = NewClient(name);
                await FlowLoopAsync(client, phone, devicePort: null, plan.Iterations, TimeUp, held);
            }));
        }

        // 2. Clients sharing one device with disjoint device ports: the overlap check runs under contention, never 409.
        var sharedPhone = NewPhone();
        for (var c = 0; c < plan.SharedDeviceClients; c++)
        {
            var name = "shared" + c;
            var port = 20_000 + c;
            var held = Held(name, sharedPhone);
            tasks.Add(Task.Run(async () =>
            {
                using var client = NewClient(name);
                await FlowLoopAsync(client, sharedPhone, port, plan.Iterations, TimeUp, held);
            }));
        }

        // 3. Racers: the same device AND the same flow; at most one may hold a session at a time, the others get 409.
        var racePhones = Enumerable.Range(0, plan.RaceGroups).Select(_ => NewPhone()).ToArray();
        var holders = new int[plan.RaceGroups];
        var raceWins = new long[plan.RaceGroups];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var g = 0; g < plan.RaceGroups; g++)
        {
            var group = g;
            for (var r = 0; r < plan.RacersPerGroup; r++)
            {
                var name = $"race{group}.{r}";
                Held(name, racePhones[group]); // racers delete what they win: nothing may be left
                tasks.Add(Task.Run(async () =>
                {
                    using var client = NewClient(name);
                    await start.Task; // all racers of all groups fire their first create together
                    await RaceLoopAsync(client, racePhones[group], plan.RaceAttempts, TimeUp, () => Interlocked.Increment(ref holders[group]),
                        () => Interlocked.Decrement(ref holders[group]), () => Interlocked.Increment(ref raceWins[group]));
                }));
            }
        }

        start.SetResult();
        await Task.WhenAll(tasks);
        var loadTime = clock.Elapsed;

        // Every key and device: retrieve-sessions lists exactly the sessions that key still holds for it, and list-all
        // exactly those of the key over all devices (none lost, none extra, none of another key).
        var clientsByKey = new ConcurrentDictionary<string, LoadClient>(StringComparer.Ordinal);
        LoadClient ClientOf(string name) => clientsByKey.GetOrAdd(KeyOf(name), _ => NewClient(name));
        var lost = 0;
        var extra = 0;
        void Compare(string what, IEnumerable<string> held, HashSet<string> listed)
        {
            var missing = held.Where(id => !listed.Contains(id)).ToList();
            var unexpected = listed.Where(id => !held.Contains(id)).ToList();
            lost += missing.Count;
            extra += unexpected.Count;
            if (missing.Count > 0 || unexpected.Count > 0)
            {
                ledger.Problem($"{what}: missing [{string.Join(",", missing)}], unexpected [{string.Join(",", unexpected)}]");
            }
        }

        foreach (var byKey in expectedByKeyAndPhone.GroupBy(e => e.Key.Key))
        {
            var client = ClientOf(byKey.Key[KeyPrefix.Length..]);
            foreach (var ((_, phone), held) in byKey)
            {
                if (await client.RetrieveIdsAsync(phone) is { } listed)
                {
                    Compare($"{client.Name}: retrieve-sessions {phone}", held.Keys, listed);
                }
            }

            if (await client.ListIdsAsync() is { } all)
            {
                Compare($"{client.Name}: GET sessions", byKey.SelectMany(e => e.Value.Keys), all);
            }
        }

        var stranger = ClientOf("checker"); // a key that created nothing sees nothing
        if (await stranger.ListIdsAsync() is { } strangers)
        {
            Compare("checker: GET sessions", [], strangers);
        }

        if (await stranger.RetrieveIdsAsync(sharedPhone) is { } strangersShared)
        {
            Compare($"checker: retrieve-sessions {sharedPhone}", [], strangersShared);
        }

        // The simulator's counters agree with what the clients saw (diagnostics are never faulted nor counted).
        var stats = await StatsAsync(simulator.Client);
        var heldTotal = expectedByKeyAndPhone.Values.Sum(h => h.Count);
        void Agree(string counter, long expected)
        {
            var actual = (long)stats[counter]!;
            if (actual != expected)
            {
                ledger.Problem($"stats.{counter} = {actual}, the clients observed {expected}");
            }
        }

        Agree("sessionsCreated", ledger.Created);
        Agree("sessionsDeleted", ledger.Deleted);
        Agree("sessionsExpired", 0);
        Agree("sessionsNetworkTerminated", 0);
        Agree("sessionsPurged", 0);
        Agree("sessionsLive", ledger.Created - ledger.Deleted - (long)stats["sessionsExpired"]! - (long)stats["sessionsPurged"]!);
        Agree("sessionsLive", heldTotal);
        Agree("sessionsAvailable", heldTotal);
        Agree("sessionsRequested", 0);
        Agree("requests", ledger.Requests);
        Agree("throttled", ledger.Throttled);
        Agree("failed", ledger.Failed);
        Agree("faultsInjected", ledger.Throttled + ledger.Failed);
        if (ledger.CreatedIds.Count != ledger.Created)
        {
            ledger.Problem($"{ledger.Created} creates answered 201 but only {ledger.CreatedIds.Count} distinct session ids");
        }

        var atStats = ledger.Summary();

        // Every id created and then deleted is gone; every kept one is still AVAILABLE with the extended duration to
        // its own key, and 403 PERMISSION_DENIED to another.
        var sweeper = ClientOf("sweeper");
        var heldIds = expectedByKeyAndPhone.Values.SelectMany(h => h.Keys).ToHashSet(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ledger.DeletedIds.Keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
        {
            var gone = await sweeper.GetAsync(id);
            if (sweeper.Expect(gone, 404, $"GET deleted session {id}"))
            {
                ExpectCode(ledger, gone!, "NOT_FOUND", $"GET deleted session {id}");
            }
        });
        await Parallel.ForEachAsync(heldIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
        {
            var owner = ClientOf(ledger.CreatedIds[id]);
            var kept = await owner.GetAsync(id);
            if (owner.Expect(kept, 200, $"GET kept session {id}")
                && ((string?)kept!.Json["qosStatus"] != "AVAILABLE" || (int?)kept.Json["duration"] != BaseDuration + Extension))
            {
                ledger.Problem($"kept session {id} changed: {kept.Body}");
            }

            var foreign = await sweeper.GetAsync(id);
            if (sweeper.Expect(foreign, 403, $"GET kept session {id} with another key"))
            {
                ExpectCode(ledger, foreign!, "PERMISSION_DENIED", $"GET kept session {id} with another key");
            }
        });

        foreach (var client in clientsByKey.Values)
        {
            client.Dispose();
        }

        var racesWon = raceWins.Sum();
        output.WriteLine(
            $"{(faults ? "with faults" : "no faults")}: at the stats check {atStats}; with the final sweep {ledger.Requests} requests; load phase {loadTime.TotalSeconds:F1} s; " +
            $"race wins {string.Join("/", raceWins)}; sessions held at end {heldTotal}; distinct ids {ledger.CreatedIds.Count}; " +
            $"lost {lost}; duplicated/unexpected {extra}; stats {stats.ToJsonString()}");

        Assert.True(ledger.Problems.IsEmpty,
            $"{ledger.Problems.Count} problem(s) under load ({ledger.Summary()}):\n" + string.Join("\n", ledger.Problems.Take(40)));
        Assert.Equal(0, lost);
        Assert.Equal(0, extra);
        Assert.True(ledger.Conflicts > 0, "the racers provoked no 409 CONFLICT");
        Assert.True(racesWon > 0, "no racer ever won a create");
        Assert.True(ledger.Created > plan.OwnDeviceClients, $"too little load got through: {ledger.Summary()}");
        return ledger;
    }

    private const string KeyPrefix = "load-";

    /// <summary>The API key of the client named <paramref name="name"/>.</summary>
    private static string KeyOf(string name) => KeyPrefix + name;

    /// <summary>Bounded create → get → extend → get → (delete → get 404 | keep) on one device.</summary>
    private static async Task FlowLoopAsync(
        LoadClient client, string phone, int? devicePort, int iterations, Func<bool> timeUp, ConcurrentDictionary<string, byte> held)
    {
        for (var i = 0; i < iterations && !timeUp(); i++)
        {
            var body = SessionBody(phone, $"203.0.113.{i + 1}", BaseDuration);
            if (devicePort is { } port)
            {
                body["devicePorts"] = new JsonObject { ["ports"] = new JsonArray(port) };
            }

            var create = await client.CreateAsync(body);
            if (!client.Expect(create, 201, $"create #{i} on {phone} (a 409 here means an earlier answer lied)"))
            {
                continue;
            }

            var id = RecordCreate(client, create!);
            if (id is null || (string?)create!.Json["qosStatus"] != "AVAILABLE")
            {
                client.Ledger.Problem($"{client.Name}: create #{i}: not AVAILABLE at once with --available-delay-ms 0: {create!.Body}");
            }

            if (id is null)
            {
                continue;
            }

            held[id] = 0;
            await ExpectSessionAsync(client, id, BaseDuration, "get after create");
            var extend = await client.ExtendAsync(id, Extension);
            if (client.Expect(extend, 200, $"extend {id}") && (int?)extend!.Json["duration"] != BaseDuration + Extension)
            {
                client.Ledger.Problem($"{client.Name}: extend {id} once gave duration {extend.Json["duration"]} (a faulted extend applied?)");
            }

            await ExpectSessionAsync(client, id, BaseDuration + Extension, "get after extend");
            if (i % KeepEvery == KeepEvery - 1)
            {
                continue; // kept: retrieve-sessions must list it at the end
            }

            await DeleteAsync(client, id, () => held.TryRemove(id, out _));
            var gone = await client.GetAsync(id);
            if (client.Expect(gone, 404, $"get after delete {id}"))
            {
                ExpectCode(client.Ledger, gone!, "NOT_FOUND", $"{client.Name}: get after delete {id}");
            }
        }
    }

    /// <summary>Bounded races on one flow: a 201 makes this client the holder until it deletes; a 409 means someone else holds it.</summary>
    private static async Task RaceLoopAsync(
        LoadClient client, string phone, int attempts, Func<bool> timeUp, Func<int> enter, Func<int> leave, Action won)
    {
        var random = new Random(phone.GetHashCode(StringComparison.Ordinal) ^ client.Name.GetHashCode(StringComparison.Ordinal));
        for (var attempt = 0; attempt < attempts && !timeUp(); attempt++)
        {
            var create = await client.CreateAsync(SessionBody(phone, "198.51.100.77", BaseDuration));
            if (create is null)
            {
                continue;
            }

            if (create.Code == 409)
            {
                client.Ledger.CountConflict();
                ExpectCode(client.Ledger, create, "CONFLICT", $"{client.Name}: racing create");
                await Task.Delay(random.Next(0, 3));
                continue;
            }

            if (!client.Expect(create, 201, "racing create (201 or 409)"))
            {
                continue;
            }

            var id = RecordCreate(client, create);
            if (id is null)
            {
                continue;
            }

            won();
            if (enter() != 1)
            {
                client.Ledger.Problem($"{client.Name}: created {id} while another racer held a session of the same device and flow");
            }

            await ExpectSessionAsync(client, id, BaseDuration, "racer get after create");
            var extend = await client.ExtendAsync(id, Extension);
            client.Expect(extend, 200, $"racer extend {id}");
            await ExpectSessionAsync(client, id, BaseDuration + Extension, "racer get after extend");
            await Task.Delay(random.Next(0, 3)); // hold it a moment, so the others see it
            leave(); // before the delete is sent: once the simulator forgets it, another racer may win at once
            await DeleteAsync(client, id, () => true);
        }
    }

    /// <summary>Records a 201: counts it and checks the id was never seen before.</summary>
    private static string? RecordCreate(LoadClient client, ApiResponse create)
    {
        client.Ledger.CountCreated();
        var id = (string?)create.Json["sessionId"];
        if (id is null || !Guid.TryParseExact(id, "D", out _))
        {
            client.Ledger.Problem($"{client.Name}: 201 without a UUID sessionId: {create.Body}");
            return null;
        }

        if (!client.Ledger.CreatedIds.TryAdd(id, client.Name))
        {
            client.Ledger.Problem($"{client.Name}: session id {id} was returned by two creates (also to {client.Ledger.CreatedIds[id]})");
        }

        return id;
    }

    private static async Task DeleteAsync(LoadClient client, string id, Func<bool> forget)
    {
        var delete = await client.DeleteAsync(id);
        if (client.Expect(delete, 204, $"delete {id} (a 404 here means a faulted delete deleted)"))
        {
            client.Ledger.CountDeleted();
            forget();
            if (!client.Ledger.DeletedIds.TryAdd(id, client.Name))
            {
                client.Ledger.Problem($"{client.Name}: session {id} deleted (204) twice");
            }
        }
    }

    private static async Task ExpectSessionAsync(LoadClient client, string id, int duration, string what)
    {
        var get = await client.GetAsync(id);
        if (!client.Expect(get, 200, $"{what} {id}"))
        {
            return;
        }

        var json = get!.Json;
        if ((string?)json["sessionId"] != id || (string?)json["qosStatus"] != "AVAILABLE" || (int?)json["duration"] != duration)
        {
            client.Ledger.Problem($"{client.Name}: {what} {id}: expected AVAILABLE with duration {duration}, got {get.Body}");
        }
    }

    private static void ExpectCode(LoadLedger ledger, ApiResponse response, string code, string what)
    {
        if ((string?)response.Json["code"] != code || (int?)response.Json["status"] != response.Code)
        {
            ledger.Problem($"{what}: expected {response.Code} {code}, got {response.Body}");
        }
    }
}
