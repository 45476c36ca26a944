// Benchmark clients in Node for bench/Invoke-Benchmark.ps1: create -> get -> delete rounds against the
// NetworkAsCode simulator, through Nokia's TypeScript SDK (npm network-as-code 10.0.0) or through bare
// fetch with the same headers. Prints one JSON object on stdout.
//
//   node bench.mjs --client sdk|fetch --base-url http://127.0.0.1:PORT [--warmup 50] [--samples 5] [--rounds 300]
//                  [--phone-base 36710000000]
//
// Each round uses its own phone number (sessions of one device must not overlap), is awaited in full,
// and deletes what it created, so the simulator's store stays empty. One sample = `rounds` rounds;
// per operation = sample time / (3 x rounds).

import { NetworkAsCodeApiClient } from "network-as-code";

const RAPIDAPI_HOST = "network-as-code.nokia.rapidapi.com";
const API_KEY = "bench-key";

function parseArgs(argv) {
  const args = { client: "sdk", baseUrl: "", warmup: 50, samples: 5, rounds: 300, phoneBase: 36710000000 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, "");
    const value = argv[i + 1];
    switch (name) {
      case "client": args.client = value; break;
      case "base-url": args.baseUrl = value.replace(/\/+$/, ""); break;
      case "warmup": args.warmup = Number(value); break;
      case "samples": args.samples = Number(value); break;
      case "rounds": args.rounds = Number(value); break;
      case "phone-base": args.phoneBase = Number(value); break;
      default: throw new Error(`unknown option --${name}`);
    }
  }
  if (!args.baseUrl) throw new Error("--base-url is required");
  if (!["sdk", "fetch"].includes(args.client)) throw new Error("--client is sdk or fetch");
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

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const round = args.client === "sdk" ? sdkRound(args.baseUrl) : fetchRound(args.baseUrl);
  let n = 0;
  const phone = () => `+${args.phoneBase + (n++ % 900000)}`;

  for (let i = 0; i < args.warmup; i++) await round(phone());
  const samples = [];
  for (let s = 0; s < args.samples; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < args.rounds; i++) await round(phone());
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    samples.push({ totalMs: ms, rounds: args.rounds, perOpMs: ms / (3 * args.rounds) });
  }
  const memory = process.memoryUsage();
  process.stdout.write(JSON.stringify({
    client: args.client, node: process.version, warmup: args.warmup, samples, rssBytes: memory.rss,
  }) + "\n");
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(1);
});
