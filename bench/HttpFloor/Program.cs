// Floor 1 of the benchmark: the cheapest way .NET does the module's three calls. One HttpClient over one
// SocketsHttpHandler (one pooled keep-alive connection), headers set once, the body formatted per round,
// the session id read with JsonDocument. Prints one JSON object on stdout.
//
//   dotnet bench/HttpFloor/bin/Release/net10.0/HttpFloor.dll --base-url http://127.0.0.1:PORT
//          [--warmup 50] [--warmup-block 500] [--samples 5] [--rounds 300] [--phone-base 36720000000]
//   dotnet bench/HttpFloor/bin/Release/net10.0/HttpFloor.dll --base-url http://127.0.0.1:PORT --first-call 1
//          the first create of the process and the second, timed apart (what any .NET client's first request
//          costs: the HTTP stack and JSON are compiled and loaded then); both sessions deleted after.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

string baseUrl = "";
int warmup = 50, warmupBlock = 500, samples = 5, rounds = 300;
long phoneBase = 36720000000;
bool firstCall = false;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    string value = args[i + 1];
    switch (args[i])
    {
        case "--base-url": baseUrl = value.TrimEnd('/'); break;
        case "--warmup": warmup = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--warmup-block": warmupBlock = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--samples": samples = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--phone-base": phoneBase = long.Parse(value, CultureInfo.InvariantCulture); break;
        case "--first-call": firstCall = value == "1"; break;
        default: throw new ArgumentException($"unknown option {args[i]}");
    }
}
if (baseUrl.Length == 0) throw new ArgumentException("--base-url is required");

using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
http.DefaultRequestHeaders.TryAddWithoutValidation("X-RapidAPI-Key", "bench-key");
http.DefaultRequestHeaders.TryAddWithoutValidation("X-RapidAPI-Host", "network-as-code.nokia.rapidapi.com");
http.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "application/json");
string root = baseUrl + "/quality-on-demand/v1/sessions";
long n = 0;

async Task<string> Create()
{
    string phone = "+" + (phoneBase + n++ % 900000).ToString(CultureInfo.InvariantCulture);
    string body = "{\"qosProfile\":\"QOS_L\",\"device\":{\"phoneNumber\":\"" + phone +
                  "\"},\"applicationServer\":{\"ipv4Address\":\"233.252.0.2\"},\"duration\":600}";
    using var content = new StringContent(body, Encoding.UTF8, "application/json");
    using var created = await http.PostAsync(root, content);
    if ((int)created.StatusCode != 201) throw new InvalidOperationException($"create: HTTP {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    using var doc = JsonDocument.Parse(await created.Content.ReadAsByteArrayAsync());
    return doc.RootElement.GetProperty("sessionId").GetString()!;
}

async Task Delete(string id)
{
    using var deleted = await http.DeleteAsync(root + "/" + id);
    if ((int)deleted.StatusCode != 204) throw new InvalidOperationException($"delete: HTTP {(int)deleted.StatusCode}");
}

if (firstCall)
{
    long t0 = Stopwatch.GetTimestamp();
    string first = await Create();
    double firstMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    t0 = Stopwatch.GetTimestamp();
    string second = await Create();
    double secondMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    await Delete(first);
    await Delete(second);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"client\":\"httpclient\",\"firstCallMs\":{firstMs},\"secondCallMs\":{secondMs}}}"));
    return;
}

async Task Round()
{
    string id = await Create();
    using (var got = await http.GetAsync(root + "/" + id))
    {
        if ((int)got.StatusCode != 200) throw new InvalidOperationException($"get: HTTP {(int)got.StatusCode}");
        using var doc = JsonDocument.Parse(await got.Content.ReadAsByteArrayAsync());
        if (doc.RootElement.GetProperty("sessionId").GetString() != id) throw new InvalidOperationException("get returned another session");
    }
    await Delete(id);
}

// Warm-up in timed blocks (so the harness can show that the per-round time stopped falling), then the samples.
var warmupBlocks = new List<(double totalMs, int rounds)>();
for (int left = warmup; left > 0; left -= warmupBlock)
{
    int size = Math.Min(warmupBlock, left);
    long blockStart = Stopwatch.GetTimestamp();
    for (int i = 0; i < size; i++) await Round();
    warmupBlocks.Add((Stopwatch.GetElapsedTime(blockStart).TotalMilliseconds, size));
}
var results = new List<(double totalMs, double perOpMs)>();
for (int s = 0; s < samples; s++)
{
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < rounds; i++) await Round();
    double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    results.Add((ms, ms / (3.0 * rounds)));
}

using var stdout = Console.OpenStandardOutput();
using (var json = new Utf8JsonWriter(stdout))
{
    json.WriteStartObject();
    json.WriteString("client", "httpclient");
    json.WriteString("runtime", Environment.Version.ToString());
    json.WriteNumber("warmup", warmup);
    json.WriteStartArray("warmupBlocks");
    foreach (var (totalMs, size) in warmupBlocks)
    {
        json.WriteStartObject();
        json.WriteNumber("totalMs", totalMs);
        json.WriteNumber("rounds", size);
        json.WriteNumber("perOpMs", totalMs / (3.0 * size));
        json.WriteEndObject();
    }
    json.WriteEndArray();
    json.WriteStartArray("samples");
    foreach (var (totalMs, perOpMs) in results)
    {
        json.WriteStartObject();
        json.WriteNumber("totalMs", totalMs);
        json.WriteNumber("rounds", rounds);
        json.WriteNumber("perOpMs", perOpMs);
        json.WriteEndObject();
    }
    json.WriteEndArray();
    json.WriteNumber("workingSetBytes", Environment.WorkingSet);
    json.WriteEndObject();
}
stdout.Write("\n"u8);
