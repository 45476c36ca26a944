// Benchmark clients in Node for bench/Invoke-Benchmark.ps1: create -> get -> delete rounds against the
// NetworkAsCode simulator, through Nokia's TypeScript SDK (npm network-as-code 10.0.0) or through bare
// fetch with the same headers. Prints one JSON object on stdout.
//
//   node bench.mjs --client sdk|fetch --base-url http://127.0.0.1:PORT [--warmup 50] [--warmup-block 500]
//                  [--samples 5] [--rounds 300] [--phone-base 36710000000]
//   node bench.mjs --mode bulk --base-url http://127.0.0.1:PORT [--count 1000] [--concurrency 16]
//                  (the SDK: --count creates, then --count deletes, at most --concurrency in flight)
//
// Each round uses its own phone number (sessions of one device must not overlap), is awaited in full,
// and deletes what it created, so the simulator's store stays empty. One sample = `rounds` rounds;
// per operation = sample time / (3 x rounds).

import { readFileSync } from "node:fs";
import { NetworkAsCodeApiClient } from "network-as-code";

const RAPIDAPI_HOST = "network-as-code.nokia.rapidapi.com";
const API_KEY = "bench-key";

function parseArgs(argv) {
  const args = { client: "sdk", mode: "ops", baseUrl: "", warmup: 50, warmupBlock: 500, samples: 5, rounds: 300, phoneBase: 36710000000, count: 1000, concurrency: 16 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, "");
    const value = argv[i + 1];
    switch (name) {
      case "client": args.client = value; break;
      case "base-url": args.baseUrl = value.replace(/\/+$/, ""); break;
      case "mode": args.mode = value; break;
      case "warmup": args.warmup = Number(value); break;
      case "warmup-block": args.warmupBlock = Number(value); break;
      case "count": args.count = Number(value); break;
      case "concurrency": args.concurrency = Number(value); break;
      case "samples": args.samples = Number(value); break;
      case "rounds": args.rounds = Number(value); break;
      case "phone-base": args.phoneBase = Number(value); break;
      default: throw new Error(`unknown option --${name}`);
    }
  }
  if (!args.baseUrl) throw new Error("--base-url is required");
  if (!["sdk", "fetch"].includes(args.client)) throw new Error("--client is sdk or fetch");
  if (!["ops", "bulk"].includes(args.mode)) throw new Error("--mode is ops or bulk");
  return args;
}

function requestFor(phoneNumber) {
  return {
    qosProfile: "QOS_L",
    device: { phoneNumber },
    applicationServer: { ipv4Address: "233.252.0.2" },
    duration: 600,
  };
}

function sdkRound(baseUrl) {
  const client = new NetworkAsCodeApiClient({ apiKey: API_KEY, baseUrl, rapidapiHost: RAPIDAPI_HOST, maxRetries: 0 });
  return async (phone) => {
    const created = await client.qod.createSessionV1(requestFor(phone));
    const got = await client.qod.getSessionV1({ sessionId: created.sessionId });
    if (got.sessionId !== created.sessionId) throw new Error("get returned another session");
    await client.qod.deleteSessionV1({ sessionId: created.sessionId });
  };
}

function fetchRound(baseUrl) {
  const root = `${baseUrl}/quality-on-demand/v1/sessions`;
  const headers = { "X-RapidAPI-Key": API_KEY, "X-RapidAPI-Host": RAPIDAPI_HOST, Accept: "application/json" };
  const jsonHeaders = { ...headers, "Content-Type": "application/json" };
  async function check(response, expected) {
    if (response.status !== expected) throw new Error(`${response.url}: HTTP ${response.status} ${await response.text()}`);
    return response;
  }
  return async (phone) => {
    const created = await (await check(await fetch(root, { method: "POST", headers: jsonHeaders, body: JSON.stringify(requestFor(phone)) }), 201)).json();
    const got = await (await check(await fetch(`${root}/${created.sessionId}`, { headers }), 200)).json();
    if (got.sessionId !== created.sessionId) throw new Error("get returned another session");
    const deleted = await check(await fetch(`${root}/${created.sessionId}`, { method: "DELETE", headers }), 204);
    await deleted.arrayBuffer();
  };
}

// Linux: resident set now and its peak over the life of this process, in KiB (VmRSS, VmHWM).
function rssKiB(field) {
  const m = readFileSync("/proc/self/status", "utf8").match(new RegExp(`^${field}:\\s+(\\d+)`, "m"));
  return m ? Number(m[1]) : null;
}

// Runs work(item) over items with at most `concurrency` in flight: a pool of workers taking the next item.
async function pool(items, concurrency, work) {
  const results = new Array(items.length);
  const errors = [];
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      try { results[i] = await work(items[i]); } catch (e) { errors.push(String(e?.message ?? e)); }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { results, errors };
}

// Bulk: --count creates then --count deletes through the SDK, a bounded Promise.all of --concurrency.
async function bulk(args) {
  const client = new NetworkAsCodeApiClient({ apiKey: API_KEY, baseUrl: args.baseUrl, rapidapiHost: RAPIDAPI_HOST, maxRetries: 0 });
  const phones = Array.from({ length: args.count }, (_, i) => `+${args.phoneBase + i}`);
  const rssBeforeKiB = rssKiB("VmRSS");
  let start = process.hrtime.bigint();
  const created = await pool(phones, args.concurrency, (phone) => client.qod.createSessionV1(requestFor(phone)));
  const createMs = Number(process.hrtime.bigint() - start) / 1e6;
  const ids = created.results.filter((s) => s && s.sessionId).map((s) => s.sessionId);
  start = process.hrtime.bigint();
  const removed = await pool(ids, args.concurrency, (id) => client.qod.deleteSessionV1({ sessionId: id }));
  const removeMs = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    client: "sdk", throttleLimit: args.concurrency, count: args.count, rssBeforeKiB, createMs, removeMs,
    created: ids.length, distinct: new Set(ids).size, createErrors: created.errors.length, removeErrors: removed.errors.length,
    firstError: [...created.errors, ...removed.errors].slice(0, 1), vmHwmKiB: rssKiB("VmHWM"), node: process.version,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.mode === "bulk") {
    process.stdout.write(JSON.stringify(await bulk(args)) + "\n");
    return;
  }
  const round = args.client === "sdk" ? sdkRound(args.baseUrl) : fetchRound(args.baseUrl);
  let n = 0;
  const phone = () => `+${args.phoneBase + (n++ % 900000)}`;

  // Warm-up in timed blocks (so the harness can show that the per-round time stopped falling), then the samples.
  const warmupBlocks = [];
  for (let left = args.warmup; left > 0; left -= args.warmupBlock) {
    const size = Math.min(args.warmupBlock, left);
    const start = process.hrtime.bigint();
    for (let i = 0; i < size; i++) await round(phone());
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    warmupBlocks.push({ totalMs: ms, rounds: size, perOpMs: ms / (3 * size) });
  }
  const samples = [];
  for (let s = 0; s < args.samples; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < args.rounds; i++) await round(phone());
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    samples.push({ totalMs: ms, rounds: args.rounds, perOpMs: ms / (3 * args.rounds) });
  }
  const memory = process.memoryUsage();
  process.stdout.write(JSON.stringify({
    client: args.client, node: process.version, warmup: args.warmup, warmupBlocks, samples, rssBytes: memory.rss,
  }) + "\n");
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(1);
});
