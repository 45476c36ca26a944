using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;

namespace NetworkAsCode.Simulator.Tests.Stress;

/// <summary>
/// What the load clients observed, to be compared with <c>/_simulator/stats</c> and retrieve-sessions at the end:
/// every request and answer, every session id created (so a duplicate id is caught at once) and deleted, and every
/// deviation from the expected answer as a "problem" line (asserted empty at the end, so one run reports them all).
/// </summary>
internal sealed class LoadLedger
{
    private long _requests;
    private long _created;
    private long _deleted;
    private long _conflicts;
    private long _throttled;
    private long _failed;
    private long _dropped;

    public ConcurrentDictionary<string, string> CreatedIds { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> DeletedIds { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Problems { get; } = new();

    public ConcurrentDictionary<int, long> StatusCounts { get; } = new();

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>201 answers to create.</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>204 answers to delete.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>409 CONFLICT answers to create.</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Injected 429 TOO_MANY_REQUESTS answers.</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Injected 503 UNAVAILABLE answers.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Requests that got no HTTP answer at all (connection dropped, timeout).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Problem(string text) => Problems.Enqueue(text);

    public void CountCreated() => Interlocked.Increment(ref _created);

    public void CountDeleted() => Interlocked.Increment(ref _deleted);

    public void CountConflict() => Interlocked.Increment(ref _conflicts);

    public void CountRequest(int status)
    {
        Interlocked.Increment(ref _requests);
        StatusCounts.AddOrUpdate(status, 1, (_, n) => n + 1);
    }

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void CountThrottled() => Interlocked.Increment(ref _throttled);

    public void CountFailed() => Interlocked.Increment(ref _failed);

    public string Summary() =>
        $"requests={Requests} created(201)={Created} deleted(204)={Deleted} conflicts(409)={Conflicts} " +
        $"injected 429={Throttled} injected 503={Failed} dropped={Dropped} statuses=[" +
        string.Join(", ", StatusCounts.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value}")) + "]";
}

/// <summary>
/// One load client: its own HttpClient, a ledger to report to, and a "step" that re-sends an operation after an
/// injected fault (429/503 decided before the request does anything) so the flow continues, bounded in attempts.
/// </summary>
internal sealed class LoadClient(string name, HttpClient client, LoadLedger ledger, bool faultsExpected) : IDisposable
{
    public const int MaxAttemptsPerStep = 40;

    public string Name { get; } = name;

    public LoadLedger Ledger { get; } = ledger;

    /// <summary>Sends once; records the answer. Null when no HTTP answer came back (recorded as a problem).</summary>
    public async Task<ApiResponse?> SendOnceAsync(HttpMethod method, string path, JsonNode? body)
    {
        ApiResponse response;
        try
        {
            response = await Api.SendAsync(client, method, path, body?.ToJsonString(), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.IO.IOException)
        {
            Ledger.CountDropped();
            Ledger.Problem($"{Name}: {method} {path}: no HTTP answer ({ex.GetType().Name}: {ex.Message})");
            return null;
        }

        Ledger.CountRequest(response.Code);
        if (IsInjectedFault(response, out var faultProblem))
        {
            if (response.Code == 429)
            {
                Ledger.CountThrottled();
            }
            else
            {
                Ledger.CountFailed();
            }

            if (!faultsExpected)
            {
                Ledger.Problem($"{Name}: {method} {path}: fault answer {response.Code} without fault switches: {response.Body}");
            }
            else if (faultProblem is not null)
            {
                Ledger.Problem($"{Name}: {method} {path}: {faultProblem}");
            }
        }
        else if (response.Code >= 500)
        {
            Ledger.Problem($"{Name}: {method} {path}: {response.Code} {response.Body}");
        }

        return response;
    }

    /// <summary>
    /// Sends until the answer is not an injected fault (bounded). A fault changes nothing, so re-sending is what a
    /// careful client would do, and the answer to the re-send shows whether the fault secretly did something.
    /// </summary>
    public async Task<ApiResponse?> StepAsync(HttpMethod method, string path, JsonNode? body)
    {
        for (var attempt = 0; attempt < MaxAttemptsPerStep; attempt++)
        {
            var response = await SendOnceAsync(method, path, body);
            if (response is null)
            {
                return null;
            }

            if (!IsInjectedFault(response, out _))
            {
                return response;
            }
        }

        Ledger.Problem($"{Name}: {method} {path}: still faulted after {MaxAttemptsPerStep} attempts");
        return null;
    }

    public Task<ApiResponse?> CreateAsync(JsonObject body) => StepAsync(HttpMethod.Post, Api.Qod + "sessions", body);

    public Task<ApiResponse?> GetAsync(string id) => StepAsync(HttpMethod.Get, Api.Qod + "sessions/" + id, null);

    public Task<ApiResponse?> ExtendAsync(string id, int seconds) =>
        StepAsync(HttpMethod.Post, Api.Qod + "sessions/" + id + "/extend", new JsonObject { ["requestedAdditionalDuration"] = seconds });

    public Task<ApiResponse?> DeleteAsync(string id) => StepAsync(HttpMethod.Delete, Api.Qod + "sessions/" + id, null);

    public Task<ApiResponse?> RetrieveAsync(string phone) =>
        StepAsync(HttpMethod.Post, Api.Qod + "retrieve-sessions", new JsonObject { ["device"] = new JsonObject { ["phoneNumber"] = phone } });

    /// <summary>Checks the status; on a mismatch records a problem naming the operation and returns false.</summary>
    public bool Expect(ApiResponse? response, int status, string what)
    {
        if (response is null)
        {
            return false;
        }

        if (response.Code != status)
        {
            Ledger.Problem($"{Name}: {what}: expected {status}, got {response.Code} {Truncate(response.Body)}");
            return false;
        }

        return true;
    }

    /// <summary>The ids in a retrieve-sessions answer, or null (problem recorded).</summary>
    public async Task<HashSet<string>?> RetrieveIdsAsync(string phone) => Ids(await RetrieveAsync(phone), $"retrieve-sessions {phone}");

    /// <summary>The ids in a list-all (<c>GET /sessions</c>) answer for this client's key, or null (problem recorded).</summary>
    public async Task<HashSet<string>?> ListIdsAsync() => Ids(await StepAsync(HttpMethod.Get, Api.Qod + "sessions", null), "GET sessions");

    private HashSet<string>? Ids(ApiResponse? response, string what)
    {
        if (!Expect(response, 200, what))
        {
            return null;
        }

        var ids = response!.Json.AsArray().Select(s => (string)s!["sessionId"]!).ToList();
        var set = new HashSet<string>(ids, StringComparer.Ordinal);
        if (set.Count != ids.Count)
        {
            Ledger.Problem($"{Name}: {what} lists a session twice: {string.Join(",", ids)}");
        }

        return set;
    }

    public void Dispose() => client.Dispose();

    public static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private static bool IsInjectedFault(ApiResponse response, out string? problem)
    {
        problem = null;
        if (response.Code is not (429 or 503))
        {
            return false;
        }

        var expectedCode = response.Code == 429 ? "TOO_MANY_REQUESTS" : "UNAVAILABLE";
        try
        {
            var json = response.Json.AsObject();
            if ((int?)json["status"] != response.Code || (string?)json["code"] != expectedCode)
            {
                problem = $"fault answer with an unexpected body: {response.Body}";
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            problem = $"fault answer without a JSON body: {Truncate(response.Body)}";
        }

        if (response.Header("Retry-After") is null)
        {
            problem = (problem is null ? string.Empty : problem + "; ") + "no Retry-After header";
        }

        return true;
    }
}
