using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using NetworkAsCode.Simulator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static NetworkAsCode.Simulator.Tests.Infrastructure.Api;

namespace NetworkAsCode.Simulator.Tests.Stress;

/// <summary>
/// Hostile input over real loopback HTTP: a seeded corpus of bad requests for every endpoint (malformed JSON, wrong
/// types, huge numbers, deep nesting, oversized bodies, bad encodings, odd headers, paths and methods). Every answer
/// must be a 4xx with a CAMARA body whose status equals the HTTP status (the gateway's 403 body excepted), never a
/// 5xx or a dropped connection; no bad request may change any state; the simulator keeps answering normal requests.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 7_300_511;
    private const int RandomCases = 1200;
    private const int Workers = 4;
    private static readonly TimeSpan TimeCap = TimeSpan.FromSeconds(30);

    /// <summary>The 4xx codes of the CAMARA QoD v1.1 catalogue (and the diagnostics' loopback rule), by status.</summary>
    private static readonly Dictionary<int, string[]> CodesByStatus = new()
    {
        [400] = ["INVALID_ARGUMENT", "OUT_OF_RANGE", "QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE", "INVALID_CREDENTIAL", "INVALID_TOKEN", "INVALID_SINK"],
        [401] = ["UNAUTHENTICATED"],
        [403] = ["PERMISSION_DENIED"],
        [404] = ["NOT_FOUND", "IDENTIFIER_NOT_FOUND"],
        [405] = ["METHOD_NOT_ALLOWED"],
        [409] = ["CONFLICT", "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED"],
        [415] = ["UNSUPPORTED_MEDIA_TYPE"],
        [422] = ["SERVICE_NOT_APPLICABLE", "MISSING_IDENTIFIER", "UNSUPPORTED_IDENTIFIER", "QUALITY_ON_DEMAND.QOS_PROFILE_NOT_APPLICABLE"],
    };

    [Fact]
    public async Task Every_bad_request_gets_a_camara_4xx_and_changes_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync(
            TestSimulator.DefaultOptions with { ApiKey = FuzzCorpus.Key, AvailableDelayMs = 0 });

        // Real sessions for the corpus to aim at (extend, get, delete with a defect must leave them as they are).
        var phone = NewPhone();
        var existing = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            existing.Add((string)(await CreateAsync(simulator.Client, SessionBody(phone, $"198.51.100.{200 + i}")))["sessionId"]!);
        }

        var corpus = FuzzCorpus.Build(Seed, RandomCases, NewPhone(), existing);
        var queue = new ConcurrentQueue<FuzzCase>(corpus);
        var failures = new ConcurrentQueue<(FuzzCase Case, string Problem)>();
        var statuses = new ConcurrentDictionary<int, int>();
        var byCategory = new ConcurrentDictionary<string, int>();
        var sent = 0;
        var sanityChecks = 0;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            using var client = NewFuzzClient(simulator.BaseUrl);
            var mine = 0;
            FuzzCase? previous = null;
            while (clock.Elapsed < TimeCap && queue.TryDequeue(out var fuzz))
            {
                var (status, problem) = await SendAndCheckAsync(client, simulator.BaseUrl, fuzz);
                if (status == 0 && previous is not null)
                {
                    problem += $" [the previous request of this client was {previous}]";
                }

                previous = fuzz;
                Interlocked.Increment(ref sent);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                byCategory.AddOrUpdate(fuzz.Category, 1, (_, n) => n + 1);
                if (problem is not null)
                {
                    failures.Enqueue((fuzz, problem));
                }

                // Now and then a normal request on the same client: the server (and the connection pool) still works.
                if (++mine % 100 == 0)
                {
                    Interlocked.Increment(ref sanityChecks);
                    var (saneStatus, saneProblem) = await SanityAsync(client);
                    if (saneProblem is not null)
                    {
                        failures.Enqueue((new FuzzCase("sanity", "normal request between fuzz cases", "GET", "qos-profiles/QOS_E"), $"{saneStatus}: {saneProblem}"));
                    }
                }
            }
        })));
        var elapsed = clock.Elapsed;

        // No bad request changed anything: nothing created or deleted, the target sessions untouched.
        var stats = await StatsAsync(simulator.Client);
        var stateProblems = new List<string>();
        if ((long)stats["sessionsCreated"]! != existing.Count || (long)stats["sessionsDeleted"]! != 0 || (long)stats["sessionsLive"]! != existing.Count)
        {
            stateProblems.Add($"bad requests changed the session counters: {stats.ToJsonString()}");
        }

        foreach (var id in existing)
        {
            var session = await GetAsync(simulator.Client, Qod + "sessions/" + id);
            if (session.Code != 200 || (int?)session.Json["duration"] != 60 || (string?)session.Json["qosStatus"] != "AVAILABLE")
            {
                stateProblems.Add($"target session {id} changed: {session.Code} {session.Body}");
            }
        }

        // And a normal flow still works end to end.
        var created = await CreateAsync(simulator.Client, SessionBody());
        var newId = (string)created["sessionId"]!;
        var extended = await PostAsync(simulator.Client, Qod + $"sessions/{newId}/extend", new JsonObject { ["requestedAdditionalDuration"] = 10 });
        Assert.Equal(200, extended.Code);
        Assert.Equal(204, (await DeleteAsync(simulator.Client, Qod + "sessions/" + newId)).Code);

        output.WriteLine(
            $"fuzz: {corpus.Count} cases generated (seed {Seed}), {sent} sent by {Workers} workers in {elapsed.TotalSeconds:F1} s, " +
            $"{sanityChecks} sanity requests in between, {failures.Count} failures.\n" +
            $"statuses: {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value}"))}\n" +
            $"categories: {string.Join(", ", byCategory.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}"))}");

        var report = new StringBuilder();
        if (sent != corpus.Count)
        {
            report.AppendLine($"only {sent} of {corpus.Count} cases were sent within {TimeCap.TotalSeconds} s");
        }

        foreach (var problem in stateProblems)
        {
            report.AppendLine(problem);
        }

        if (!failures.IsEmpty)
        {
            report.AppendLine($"{failures.Count} of {sent} bad requests were not answered with a CAMARA 4xx. By problem: "
                + string.Join("; ", failures.GroupBy(f => Summarize(f.Problem)).Select(g => $"{g.Key} x{g.Count()}")));
            report.AppendLine("First ones (at most 3 per problem):");
            foreach (var group in failures.GroupBy(f => Summarize(f.Problem)))
            {
                foreach (var (fuzz, problem) in group.Take(3))
                {
                    report.AppendLine($"  {fuzz} -> {problem}");
                }
            }
        }

        Assert.True(report.Length == 0, report.ToString());
    }

    /// <summary>
    /// The bug the fuzzer found, pinned: a JSON string that is not valid Unicode (raw invalid UTF-8 bytes, or an
    /// escaped lone surrogate) in a field the validator reads makes <c>JsonElement.GetString()</c> throw
    /// InvalidOperationException in <c>JsonFields.String</c>, which escapes as 500 INTERNAL.
    /// </summary>
    [Theory]
    [InlineData("create qosProfile, raw FF", "quality-on-demand/v1/sessions", "{\"qosProfile\":\"QOS\u00FF\",\"device\":{\"phoneNumber\":\"+36701234567\"},\"applicationServer\":{\"ipv4Address\":\"198.51.100.1\"},\"duration\":60}", true)]
    [InlineData("create qosProfile, lone surrogate", "quality-on-demand/v1/sessions", "{\"qosProfile\":\"QOS\\uD800\",\"device\":{\"phoneNumber\":\"+36701234567\"},\"applicationServer\":{\"ipv4Address\":\"198.51.100.1\"},\"duration\":60}", false)]
    [InlineData("create sink, lone surrogate", "quality-on-demand/v1/sessions", "{\"qosProfile\":\"QOS_E\",\"device\":{\"phoneNumber\":\"+36701234567\"},\"applicationServer\":{\"ipv4Address\":\"198.51.100.1\"},\"duration\":60,\"sink\":\"https://x\\uDC00.example/\"}", false)]
    [InlineData("retrieve-sessions phoneNumber, raw FF", "quality-on-demand/v1/retrieve-sessions", "{\"device\":{\"phoneNumber\":\"+3670\u00FF\"}}", true)]
    [InlineData("retrieve-qos-profiles name, lone surrogate", "qos-profiles/v1/retrieve-qos-profiles", "{\"name\":\"QOS\\uDBFF\"}", false)]
    public async Task A_string_that_is_not_valid_unicode_is_a_400_not_a_500(string name, string path, string json, bool rawFF)
    {
        await using var simulator = await TestSimulator.StartAsync();
        // \u00FF stands for a raw 0xFF byte (invalid anywhere in UTF-8).
        var bytes = rawFF
            ? json.Split('\u00FF').Select(Encoding.UTF8.GetBytes).Aggregate((a, b) => [.. a, 0xFF, .. b])
            : Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await simulator.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 400, $"{name}: expected 400 INVALID_ARGUMENT, got {(int)response.StatusCode} {body}");
        new ApiResponse(response.StatusCode, response, body).AssertError(400, "INVALID_ARGUMENT");
    }

    /// <summary>
    /// Pinned bug: <c>RequestValidator.SessionId</c> uses <c>Guid.TryParseExact(value, "D")</c>, which ignores leading
    /// and trailing white space, so a path id like <c>%20{uuid}</c> is taken for the session: GET returns it and
    /// DELETE deletes it, though the id is not a UUID (a bad request that changes state).
    /// </summary>
    [Theory]
    [InlineData("GET", "%20", "")]
    [InlineData("GET", "", "%09")]
    [InlineData("DELETE", "%C2%A0", "")]
    [InlineData("DELETE", "", "%20%20")]
    [InlineData("POST", "%20", "")]
    public async Task A_session_id_padded_with_white_space_is_a_400_and_touches_nothing(string method, string before, string after)
    {
        await using var simulator = await TestSimulator.StartAsync(TestSimulator.DefaultOptions with { AvailableDelayMs = 0 });
        var id = (string)(await CreateAsync(simulator.Client, SessionBody()))["sessionId"]!;
        var path = Qod + "sessions/" + before + id + after + (method == "POST" ? "/extend" : string.Empty);
        var response = await SendAsync(simulator.Client, new HttpMethod(method), path,
            method == "POST" ? "{\"requestedAdditionalDuration\":30}" : null, null);

        var session = await GetSessionAsync(simulator.Client, id);
        Assert.True(response.Code == 400,
            $"{method} /sessions/{before}{{id}}{after}: expected 400 INVALID_ARGUMENT (not a UUID), got {response.Code} {response.Body}; " +
            $"the session is now {session.ToJsonString()}");
        response.AssertError(400, "INVALID_ARGUMENT");
        Assert.Equal(60, (int)session["duration"]!);
    }

    /// <summary>
    /// Pinned bug: a body larger than Kestrel's MaxRequestBodySize (1 MiB) is answered 400 after reading only 64 KiB;
    /// Kestrel then fails to drain the rest and aborts the connection, usually without having sent
    /// <c>Connection: close</c>. The client loses the next request on that keep-alive connection ("The response ended
    /// prematurely"), or with a Content-Length upload sometimes the answer itself ("Broken pipe"). Bounded: 30 rounds.
    /// (Bodies up to 1 MiB are drained and harmless; only the part beyond Kestrel's limit breaks the connection.)
    /// </summary>
    [Theory]
    [InlineData("quality-on-demand/v1/sessions", 1024 * 1024 + 1, true)]
    [InlineData("quality-on-demand/v1/retrieve-sessions", 3 * 1024 * 1024, true)]
    [InlineData("quality-on-demand/v1/sessions", 3 * 1024 * 1024, false)]
    public async Task A_rejected_oversized_body_never_costs_a_dropped_connection(string path, int size, bool chunked)
    {
        const int Rounds = 30;
        await using var simulator = await TestSimulator.StartAsync();
        var body = new byte[size];
        body.AsSpan().Fill((byte)'p');
        body[0] = (byte)'{';
        var problems = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path)
                {
                    Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
                };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                request.Headers.TransferEncodingChunked = chunked ? true : null;
                using var response = await simulator.Client.SendAsync(request);
                if ((int)response.StatusCode != 400)
                {
                    problems.Add($"round {round}: oversized body answered {(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException ex)
            {
                problems.Add($"round {round}: the oversized request itself got no answer: {ex.Message} {ex.InnerException?.Message}");
            }

            try
            {
                // A POST: HttpClient silently re-sends an idempotent GET on a dead pooled connection, but not a POST.
                var next = await PostAsync(simulator.Client, QosProfilesApi + "retrieve-qos-profiles", new JsonObject { ["name"] = "QOS_E" });
                if (next.Code != 200)
                {
                    problems.Add($"round {round}: the next request got {next.Code}");
                }
            }
            catch (HttpRequestException ex)
            {
                problems.Add($"round {round}: the next (normal) request got no answer: {ex.Message}");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} dropped exchanges in {Rounds} rounds of {size} bytes{(chunked ? " chunked" : string.Empty)}:\n" + string.Join("\n", problems));
    }

    private static HttpClient NewFuzzClient(Uri baseUrl) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            // Lets the corpus send non-ASCII header values (as UTF-8) instead of HttpClient refusing them.
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(15),
        };

    private static async Task<(int Status, string? Problem)> SendAndCheckAsync(HttpClient client, Uri baseUrl, FuzzCase fuzz)
    {
        var uri = new Uri(baseUrl.ToString().TrimEnd('/') + fuzz.Path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), uri);
        if (fuzz.ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-RapidAPI-Key", fuzz.ApiKey);
        }

        foreach (var (name, value) in fuzz.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                return (0, $"the test could not add header {name}");
            }
        }

        if (fuzz.Body is not null)
        {
            request.Content = fuzz.Chunked ? new StreamContent(new MemoryStream(fuzz.Body)) : new ByteArrayContent(fuzz.Body);
            if (fuzz.Chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }

            if (fuzz.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
        }

        HttpResponseMessage response;
        string body;
        try
        {
            response = await client.SendAsync(request);
            body = await response.Content.ReadAsStringAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (0, $"no HTTP answer (dropped connection or timeout): {ex.GetType().Name}: {ex.Message} {ex.InnerException?.Message}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            return (status, Check(fuzz, response, status, body));
        }
    }

    private static string? Check(FuzzCase fuzz, HttpResponseMessage response, int status, string body)
    {
        if (status >= 500)
        {
            return $"{status} (server error) {Trim(body)}";
        }

        if (status < 400)
        {
            return $"{status}: the bad request was accepted: {Trim(body)}";
        }

        if (fuzz.Method == "HEAD")
        {
            return body.Length == 0 ? null : "a HEAD answer with a body";
        }

        if (fuzz.ProtocolLevel && body.Length == 0)
        {
            return null; // Kestrel's own rejection, before the simulator's middleware (see the report)
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return $"{status} with Content-Type '{response.Content.Headers.ContentType}' and body '{Trim(body)}'";
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(body)?.AsObject() ?? throw new JsonException("null");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return $"{status} with a body that is not a JSON object: '{Trim(body)}'";
        }

        if (status == 403 && json.Count == 1 && (string?)json["message"] == "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.")
        {
            return fuzz.Category is "auth" or "random-key" ? null : "the gateway 403 for a request with the right key";
        }

        if (json["status"] is not JsonValue statusValue || !statusValue.TryGetValue<int>(out var bodyStatus) || bodyStatus != status)
        {
            return $"{status} but body status {json["status"]?.ToJsonString() ?? "missing"}: {Trim(body)}";
        }

        var code = json["code"] is JsonValue codeValue && codeValue.TryGetValue<string>(out var c) ? c : null;
        if (code is null || !CodesByStatus.TryGetValue(status, out var codes) || !codes.Contains(code))
        {
            return $"{status} with code {code ?? "missing"}, not a CAMARA code for that status: {Trim(body)}";
        }

        if (json["message"] is not JsonValue messageValue || !messageValue.TryGetValue<string>(out var message) || string.IsNullOrWhiteSpace(message))
        {
            return $"{status} {code} without a message: {Trim(body)}";
        }

        if (!response.Headers.Contains("x-correlator"))
        {
            return $"{status} {code} without an x-correlator header";
        }

        return null;
    }

    private static async Task<(int Status, string? Problem)> SanityAsync(HttpClient client)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, QosProfilesApi + "qos-profiles/QOS_E");
            request.Headers.Add("X-RapidAPI-Key", FuzzCorpus.Key);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == System.Net.HttpStatusCode.OK && body.Contains("\"QOS_E\"", StringComparison.Ordinal)
                ? (200, null)
                : ((int)response.StatusCode, Trim(body));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (0, $"no answer: {ex.Message}");
        }
    }

    private static string Summarize(string problem)
    {
        var cut = problem.IndexOfAny([':', '{']);
        return cut > 0 ? problem[..cut].Trim() : problem;
    }

    private static string Trim(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
