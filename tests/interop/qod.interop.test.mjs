// Interop tests: Nokia's official TypeScript SDK (npm `network-as-code`, exactly 10.0.0) driving the
// NetworkAsCode QoD simulator, plus cross-client checks against the PowerShell module.
//
// Run: cd tests/interop && npm ci && npm test   (needs `dotnet pwsh ./build.ps1 Build` first)
//
// About the SDK: 10.0.0 is a Fern-generated client. Its public entry point is
// `new NetworkAsCodeApiClient({ apiKey, baseUrl, rapidapiHost, ... })`; `baseUrl` is a documented
// client option (BaseClientOptions: "Specify a custom URL to connect the client to"), so pointing it at
// the simulator needs no internal classes and no patching. QoD v1 is `client.qod.createSessionV1`,
// `getSessionV1`, `retrieveSessionsV1`, `extendSessionV1`, `deleteSessionV1`. (The unsuffixed
// `createSession`, `getSession`, ... call QoD v0 under /qod/v0 and are not used here.) Errors are
// `NetworkAsCodeApiError` subclasses per status and per endpoint (`NetworkAsCodeApi.NotFoundError`,
// `ConflictError`, `BadRequestError`, `ForbiddenError`, ...) carrying `statusCode` and the parsed body.
// The device-level helpers of older SDKs (device.createQodSession, sessions(), clearSessions()) no
// longer exist in 10.0.0; "clear" is done here the way those helpers did it: retrieve, then delete each.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as delay } from "node:timers/promises";

import { NetworkAsCodeApi, NetworkAsCodeApiClient, NetworkAsCodeApiError } from "network-as-code";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, "../..");
const SIMULATOR_DLL = path.resolve(HERE, "../../out/NetworkAsCode/simulator/NetworkAsCode.Simulator.dll");
const MODULE_DIR = path.resolve(REPO_ROOT, "out/NetworkAsCode");

const STARTUP_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 20_000;
const PWSH_TIMEOUT_MS = 30_000;
const RAPIDAPI_HOST = "network-as-code.nokia.rapidapi.com";
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------------
// Simulator process management

/** Starts the simulator on a free loopback port and resolves once it prints its listening line. */
function startSimulator(extraArgs = []) {
  if (!existsSync(SIMULATOR_DLL)) {
    throw new Error(
      `Simulator not built: ${SIMULATOR_DLL} does not exist. ` +
        "Run `dotnet tool restore && dotnet pwsh ./build.ps1 Build` in the repository root first.",
    );
  }
  const args = [SIMULATOR_DLL, "--urls", "http://127.0.0.1:0", "--available-delay-ms", "100", ...extraArgs];
  const proc = spawn("dotnet", args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const sim = { proc, baseUrl: undefined, output: "", exited: false };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      fail(new Error(`Simulator did not print "Now listening on:" within ${STARTUP_TIMEOUT_MS} ms.\n${tail(sim.output)}`));
    }, STARTUP_TIMEOUT_MS);
    let settled = false;
    function fail(err) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proc.kill("SIGKILL");
      reject(err);
    }
    function onData(chunk) {
      // Keep draining both streams for the whole life of the process; keep only the last few KB.
      sim.output = (sim.output + chunk.toString()).slice(-16_384);
      const m = /Now listening on:\s*(http:\/\/127\.0\.0\.1:\d+)/.exec(sim.output);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        sim.baseUrl = m[1];
        resolve(sim);
      }
    }
    proc.stdout.on("data", onData);
    proc.stderr.on("data", onData);
    proc.on("error", (err) => fail(new Error(`Could not start dotnet: ${err.message}`)));
    proc.on("exit", (code, signal) => {
      sim.exited = true;
      fail(new Error(`Simulator exited before listening (code ${code}, signal ${signal}).\n${tail(sim.output)}`));
    });
  });
}

async function stopSimulator(sim) {
  if (!sim || sim.exited) return;
  const exited = new Promise((resolve) => sim.proc.once("exit", resolve));
  sim.proc.kill("SIGTERM");
  const winner = await Promise.race([exited.then(() => "exited"), delay(5_000).then(() => "timeout")]);
  if (winner === "timeout") {
    sim.proc.kill("SIGKILL");
    await Promise.race([exited, delay(2_000)]);
  }
}

function tail(text) {
  return text.split("\n").slice(-30).join("\n");
}

async function simulatorStats(sim) {
  const res = await fetch(`${sim.baseUrl}/_simulator/stats`, { signal: AbortSignal.timeout(5_000) });
  assert.equal(res.status, 200, "GET /_simulator/stats");
  return res.json();
}

async function simulatorReset(sim) {
  const res = await fetch(`${sim.baseUrl}/_simulator/reset`, { method: "POST", signal: AbortSignal.timeout(5_000) });
  assert.ok(res.ok, `POST /_simulator/reset answered ${res.status}`);
}

// ---------------------------------------------------------------------------------------------------
// SDK helpers

function sdkClient(baseUrl, apiKey = "interop-test-key") {
  return new NetworkAsCodeApiClient({
    apiKey,
    baseUrl,
    rapidapiHost: RAPIDAPI_HOST,
    timeoutInSeconds: 10,
    maxRetries: 0, // the simulator runs without fault injection here; a retry would only hide a problem
  });
}

let phoneCounter = 0;
/** A fresh, valid E.164 number per call, so tests never collide on the simulator's overlap rule. */
function freshPhone() {
  phoneCounter += 1;
  return `+3672160${String(process.pid % 10_000).padStart(4, "0")}${String(phoneCounter).padStart(3, "0")}`;
}

/** Polls getSessionV1 until the status is `status` (bounded). */
async function waitForStatus(client, sessionId, status, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await client.qod.getSessionV1({ sessionId });
    if (last.qosStatus === status) return last;
    await delay(50);
  }
  assert.fail(`session ${sessionId} did not reach ${status} within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

/** Polls `probe` until it returns a truthy value (bounded). */
async function waitUntil(what, probe, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await delay(50);
  }
  assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs `fn`, expects it to throw, returns the error. */
async function rejection(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  assert.fail("expected the SDK call to fail, but it succeeded");
}

// ---------------------------------------------------------------------------------------------------
// PowerShell module helper

/** Runs a script in `dotnet pwsh` with the built module imported and connected to `baseUrl`;
 *  the script must write one JSON document as its last output line. */
function runPwsh(baseUrl, script) {
  const prelude = [
    "$ErrorActionPreference = 'Stop'",
    "$ProgressPreference = 'SilentlyContinue'",
    `Import-Module '${MODULE_DIR.replaceAll("'", "''")}'`,
    `Connect-Nac -Token 'interop-test-key' -BaseUrl '${baseUrl}'`,
  ].join("\n");
  return new Promise((resolve, reject) => {
    execFile(
      "dotnet",
      ["pwsh", "-NoProfile", "-NonInteractive", "-Command", `${prelude}\n${script}`],
      { cwd: REPO_ROOT, timeout: PWSH_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`dotnet pwsh failed (${err.code ?? err.signal}): ${err.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
          return;
        }
        const lines = stdout.trim().split(/\r?\n/).filter(Boolean);
        try {
          resolve(JSON.parse(lines.at(-1)));
        } catch {
          reject(new Error(`dotnet pwsh printed no JSON last line.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      },
    );
  });
}

function assertUuid(id) {
  assert.match(id, UUID_RE, `not a UUID: ${id}`);
  return id;
}

// ---------------------------------------------------------------------------------------------------

let sim; // the main simulator (any key accepted)
let keyedSim; // a second simulator started with --api-key right
let client;

before(async () => {
  [sim, keyedSim] = await Promise.all([startSimulator(), startSimulator(["--api-key", "right"])]);
  client = sdkClient(sim.baseUrl);
}, { timeout: STARTUP_TIMEOUT_MS + 10_000 });

after(async () => {
  await Promise.all([stopSimulator(sim), stopSimulator(keyedSim)]);
}, { timeout: 15_000 });

describe("TypeScript SDK 10.0.0 against the simulator: session life cycle", { timeout: 60_000 }, () => {
  const phone = freshPhone();
  const device = {
    phoneNumber: phone,
    ipv4Address: { publicAddress: "233.252.0.2", privateAddress: "192.0.2.25" },
    ipv6Address: "2001:db8:1234:5678::1",
  };
  const request = {
    device,
    qosProfile: "DOWNLINK_L_UPLINK_L",
    applicationServer: { ipv4Address: "198.51.100.7", ipv6Address: "2001:db8:85a3::8a2e:370:7334" },
    duration: 3600,
  };
  let sessionId;

  test("createSessionV1 returns 201 with the requested fields", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { data, rawResponse } = await client.qod.createSessionV1(request).withRawResponse();
    assert.equal(rawResponse.status, 201);
    sessionId = assertUuid(data.sessionId);
    assert.equal(data.qosProfile, "DOWNLINK_L_UPLINK_L");
    assert.equal(data.duration, 3600);
    assert.deepEqual(data.applicationServer, request.applicationServer);
    assert.ok(["REQUESTED", "AVAILABLE"].includes(data.qosStatus), `qosStatus ${data.qosStatus}`);
    if (data.qosStatus === "REQUESTED") {
      assert.equal(data.startedAt, undefined, "startedAt must be absent while REQUESTED");
      assert.equal(data.expiresAt, undefined, "expiresAt must be absent while REQUESTED");
    }
    // The response device carries exactly one identifier (the first present: phoneNumber).
    assert.deepEqual(data.device, { phoneNumber: phone });
  });

  test("getSessionV1 returns the same session", { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(sessionId, "needs the session of the create test");
    const got = await client.qod.getSessionV1({ sessionId });
    assert.equal(got.sessionId, sessionId);
    assert.equal(got.qosProfile, "DOWNLINK_L_UPLINK_L");
    assert.equal(got.duration, 3600);
    assert.deepEqual(got.applicationServer, request.applicationServer);
    assert.deepEqual(got.device, { phoneNumber: phone });
  });

  test("retrieveSessionsV1 lists the device's sessions (by its chosen identifier, the phone number)", { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(sessionId, "needs the session of the create test");
    const byFullDevice = await client.qod.retrieveSessionsV1({ device });
    assert.deepEqual(byFullDevice.map((s) => s.sessionId), [sessionId]);
    const byPhone = await client.qod.retrieveSessionsV1({ device: { phoneNumber: phone } });
    assert.deepEqual(byPhone.map((s) => s.sessionId), [sessionId]);
    // CAMARA Commonalities r3.3+: one identifier by precedence, no matching; the ipv6Address alone is another device.
    const byIpv6 = await client.qod.retrieveSessionsV1({ device: { ipv6Address: device.ipv6Address } });
    assert.deepEqual(byIpv6, []);
    const none = await client.qod.retrieveSessionsV1({ device: { phoneNumber: freshPhone() } });
    assert.deepEqual(none, []);
  });

  test("the session becomes AVAILABLE with RFC 3339 times; extendSessionV1 adds the duration", { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(sessionId, "needs the session of the create test");
    const available = await waitForStatus(client, sessionId, "AVAILABLE");
    assert.equal(typeof available.startedAt, "string");
    assert.equal(typeof available.expiresAt, "string");
    const started = Date.parse(available.startedAt);
    const expires = Date.parse(available.expiresAt);
    assert.ok(!Number.isNaN(started) && !Number.isNaN(expires), `unparseable times ${available.startedAt} / ${available.expiresAt}`);
    assert.equal(expires - started, 3600 * 1000, "expiresAt - startedAt must equal the duration");

    const extended = await client.qod.extendSessionV1({ sessionId, requestedAdditionalDuration: 300 });
    assert.equal(extended.sessionId, sessionId);
    assert.equal(extended.duration, 3900);
    assert.equal(extended.qosStatus, "AVAILABLE");
    assert.equal(Date.parse(extended.expiresAt) - expires, 300 * 1000, "expiresAt must move by the extension");
    assert.equal(extended.startedAt, available.startedAt);

    const reread = await client.qod.getSessionV1({ sessionId });
    assert.equal(reread.duration, 3900);
    assert.equal(reread.expiresAt, extended.expiresAt);
  });

  test("deleteSessionV1 answers 204; getSessionV1 then throws the SDK's NotFoundError", { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(sessionId, "needs the session of the create test");
    const { rawResponse } = await client.qod.deleteSessionV1({ sessionId }).withRawResponse();
    assert.equal(rawResponse.status, 204);

    const err = await rejection(() => client.qod.getSessionV1({ sessionId }));
    assert.ok(err instanceof NetworkAsCodeApi.NotFoundError, `expected NotFoundError, got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.statusCode, 404);
    assert.equal(err.body?.code, "NOT_FOUND");

    const again = await rejection(() => client.qod.deleteSessionV1({ sessionId }));
    assert.ok(again instanceof NetworkAsCodeApi.NotFoundError, `second delete: ${again?.constructor?.name}`);
    assert.deepEqual(await client.qod.retrieveSessionsV1({ device: { phoneNumber: phone } }), []);
  });
});

describe("TypeScript SDK 10.0.0 against the simulator: client options, ports, clearing", { timeout: 60_000 }, () => {
  test("a client built with only apiKey and baseUrl works (10.0.0 then sends no x-rapidapi-host)", { timeout: TEST_TIMEOUT_MS }, async () => {
    const plain = new NetworkAsCodeApiClient({ apiKey: "plain-key", baseUrl: sim.baseUrl });
    const created = await plain.qod.createSessionV1({
      device: { phoneNumber: freshPhone() },
      qosProfile: "QOS_S",
      applicationServer: { ipv6Address: "2001:db8:85a3::/64" },
      duration: 60,
    });
    assertUuid(created.sessionId);
    assert.deepEqual(created.applicationServer, { ipv6Address: "2001:db8:85a3::/64" });
    assert.equal((await plain.qod.getSessionV1({ sessionId: created.sessionId })).duration, 60);
    await plain.qod.deleteSessionV1({ sessionId: created.sessionId });
  });

  test("ports given as ranges and lists round-trip through create, get and retrieve", { timeout: TEST_TIMEOUT_MS }, async () => {
    const phone = freshPhone();
    const applicationServerPorts = { ranges: [{ from: 80, to: 443 }, { from: 8000, to: 8010 }], ports: [8080, 8443] };
    const devicePorts = { ranges: [{ from: 5000, to: 5010 }], ports: [6000] };
    const created = await client.qod.createSessionV1({
      device: { phoneNumber: phone },
      qosProfile: "QOS_L",
      applicationServer: { ipv4Address: "198.51.100.0/24" },
      applicationServerPorts,
      devicePorts,
      duration: 120,
    });
    try {
      assert.deepEqual(created.applicationServerPorts, applicationServerPorts);
      assert.deepEqual(created.devicePorts, devicePorts);
      const got = await client.qod.getSessionV1({ sessionId: created.sessionId });
      assert.deepEqual(got.applicationServerPorts, applicationServerPorts);
      assert.deepEqual(got.devicePorts, devicePorts);
      const [listed] = await client.qod.retrieveSessionsV1({ device: { phoneNumber: phone } });
      assert.deepEqual(listed.applicationServerPorts, applicationServerPorts);
      assert.deepEqual(listed.devicePorts, devicePorts);

      // A list-only session on other ports of the same device and server does not overlap.
      const listOnly = await client.qod.createSessionV1({
        device: { phoneNumber: phone },
        qosProfile: "QOS_L",
        applicationServer: { ipv4Address: "198.51.100.9" },
        applicationServerPorts: { ports: [9000] },
        devicePorts: { ports: [7000, 7001] },
        duration: 120,
      });
      assert.deepEqual(listOnly.applicationServerPorts, { ports: [9000] });
      assert.deepEqual(listOnly.devicePorts, { ports: [7000, 7001] });
      await client.qod.deleteSessionV1({ sessionId: listOnly.sessionId });
    } finally {
      await client.qod.deleteSessionV1({ sessionId: created.sessionId }).catch(() => {});
    }
  });

  test("clearing a device's sessions (retrieve, then delete each) removes them all", { timeout: TEST_TIMEOUT_MS }, async () => {
    await simulatorReset(sim);
    const phone = freshPhone();
    const ids = [];
    for (const server of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
      const s = await client.qod.createSessionV1({
        device: { phoneNumber: phone },
        qosProfile: "DOWNLINK_S_UPLINK_S",
        applicationServer: { ipv4Address: server },
        duration: 600,
      });
      ids.push(s.sessionId);
    }
    assert.equal((await simulatorStats(sim)).sessionsLive, 3);

    // What the older SDKs' device.clearSessions() did: list the device's sessions and delete each,
    // concurrently and without waiting for each delete in turn.
    const listed = await client.qod.retrieveSessionsV1({ device: { phoneNumber: phone } });
    assert.deepEqual(listed.map((s) => s.sessionId).sort(), [...ids].sort());
    const deletes = listed.map((s) => client.qod.deleteSessionV1({ sessionId: s.sessionId }));

    await waitUntil("the simulator to report no live sessions", async () => {
      const stats = await simulatorStats(sim);
      return stats.sessionsLive === 0 && stats.sessionsDeleted === 3;
    });
    await Promise.all(deletes); // none of them may have failed
    assert.deepEqual(await client.qod.retrieveSessionsV1({ device: { phoneNumber: phone } }), []);
    for (const sessionId of ids) {
      const err = await rejection(() => client.qod.getSessionV1({ sessionId }));
      assert.ok(err instanceof NetworkAsCodeApi.NotFoundError, `${sessionId}: ${err?.constructor?.name}`);
    }
  });
});

describe("TypeScript SDK 10.0.0 against the simulator: errors", { timeout: 60_000 }, () => {
  test("+99999990404: create fails with 404 IDENTIFIER_NOT_FOUND", { timeout: TEST_TIMEOUT_MS }, async () => {
    const err = await rejection(() =>
      client.qod.createSessionV1({
        device: { phoneNumber: "+99999990404" },
        qosProfile: "QOS_E",
        applicationServer: { ipv4Address: "233.252.0.2" },
        duration: 60,
      }),
    );
    // createSessionV1 in 10.0.0 has no dedicated 404 class (its spec lists 400/401/403/409/500/501/503),
    // so a 404 arrives as the SDK's base NetworkAsCodeApiError with statusCode 404.
    assert.ok(err instanceof NetworkAsCodeApiError, `expected NetworkAsCodeApiError, got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.statusCode, 404);
    assert.equal(err.body?.status, 404);
    assert.equal(err.body?.code, "IDENTIFIER_NOT_FOUND");
  });

  test("+99999990422: create fails with 422 SERVICE_NOT_APPLICABLE", { timeout: TEST_TIMEOUT_MS }, async () => {
    const err = await rejection(() =>
      client.qod.createSessionV1({
        device: { phoneNumber: "+99999990422" },
        qosProfile: "QOS_E",
        applicationServer: { ipv4Address: "233.252.0.2" },
        duration: 60,
      }),
    );
    assert.ok(err instanceof NetworkAsCodeApiError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.statusCode, 422);
    assert.equal(err.body?.code, "SERVICE_NOT_APPLICABLE");
  });

  test("an overlapping session of the same device fails with the SDK's ConflictError (409)", { timeout: TEST_TIMEOUT_MS }, async () => {
    const phone = freshPhone();
    const first = await client.qod.createSessionV1({
      device: { phoneNumber: phone },
      qosProfile: "QOS_M",
      applicationServer: { ipv4Address: "198.51.100.0/24" },
      applicationServerPorts: { ranges: [{ from: 80, to: 443 }] },
      duration: 300,
    });
    try {
      const err = await rejection(() =>
        client.qod.createSessionV1({
          device: { phoneNumber: phone },
          qosProfile: "QOS_S",
          applicationServer: { ipv4Address: "198.51.100.7" }, // inside the /24 above
          applicationServerPorts: { ports: [443] }, // inside 80-443
          duration: 300,
        }),
      );
      assert.ok(err instanceof NetworkAsCodeApi.ConflictError, `expected ConflictError, got ${err?.constructor?.name}: ${err}`);
      assert.ok(err instanceof NetworkAsCodeApiError);
      assert.equal(err.statusCode, 409);
      assert.equal(err.body?.code, "CONFLICT");
      // Only the first session exists.
      const listed = await client.qod.retrieveSessionsV1({ device: { phoneNumber: phone } });
      assert.deepEqual(listed.map((s) => s.sessionId), [first.sessionId]);
    } finally {
      await client.qod.deleteSessionV1({ sessionId: first.sessionId }).catch(() => {});
    }
  });

  test("an unknown QoS profile fails with the SDK's BadRequestError (400 INVALID_ARGUMENT)", { timeout: TEST_TIMEOUT_MS }, async () => {
    const err = await rejection(() =>
      client.qod.createSessionV1({
        device: { phoneNumber: freshPhone() },
        qosProfile: "NO_SUCH_PROFILE",
        applicationServer: { ipv4Address: "233.252.0.2" },
        duration: 60,
      }),
    );
    assert.ok(err instanceof NetworkAsCodeApi.BadRequestError, `expected BadRequestError, got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.statusCode, 400);
    assert.equal(err.body?.code, "INVALID_ARGUMENT");
    assert.match(err.body?.message ?? "", /NO_SUCH_PROFILE/);
  });

  test("extendSessionV1 / deleteSessionV1 of an unknown id throw the SDK's NotFoundError", { timeout: TEST_TIMEOUT_MS }, async () => {
    const sessionId = "00000000-0000-4000-8000-000000000000";
    const ext = await rejection(() => client.qod.extendSessionV1({ sessionId, requestedAdditionalDuration: 60 }));
    assert.ok(ext instanceof NetworkAsCodeApi.NotFoundError, `extend: ${ext?.constructor?.name}: ${ext}`);
    const del = await rejection(() => client.qod.deleteSessionV1({ sessionId }));
    assert.ok(del instanceof NetworkAsCodeApi.NotFoundError, `delete: ${del?.constructor?.name}: ${del}`);
  });

  test("a wrong API key (simulator started with --api-key right) throws the SDK's ForbiddenError (403)", { timeout: TEST_TIMEOUT_MS }, async () => {
    const wrong = sdkClient(keyedSim.baseUrl, "wrong");
    const err = await rejection(() =>
      wrong.qod.createSessionV1({
        device: { phoneNumber: freshPhone() },
        qosProfile: "QOS_L",
        applicationServer: { ipv4Address: "233.252.0.2" },
        duration: 60,
      }),
    );
    assert.ok(err instanceof NetworkAsCodeApi.ForbiddenError, `expected ForbiddenError, got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.statusCode, 403);
    assert.deepEqual(err.body, { message: "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info." });

    const getErr = await rejection(() => wrong.qod.getSessionV1({ sessionId: "00000000-0000-4000-8000-000000000000" }));
    assert.ok(getErr instanceof NetworkAsCodeApi.ForbiddenError, `get: ${getErr?.constructor?.name}`);

    // The right key is accepted by the same simulator.
    const right = sdkClient(keyedSim.baseUrl, "right");
    assert.deepEqual(await right.qod.retrieveSessionsV1({ device: { phoneNumber: freshPhone() } }), []);
  });
});

describe("TypeScript SDK 10.0.0 against the simulator: notifications", { timeout: 60_000 }, () => {
  test("the sink receives CloudEvents with the sinkCredential bearer token", { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const received = [];
    const sink = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise((resolve, reject) => {
      sink.once("error", reject);
      sink.listen(0, "127.0.0.1", resolve);
    });
    t.after(() => new Promise((resolve) => sink.close(() => resolve())));
    const sinkUrl = `http://127.0.0.1:${sink.address().port}/qod-events`;
    const token = "interop-sink-token-0123456789";

    // The SDK's type declares only credentialType; the SDK sends the request object as JSON unchanged,
    // so the CAMARA access-token fields go through as written.
    const created = await client.qod.createSessionV1({
      device: { phoneNumber: freshPhone() },
      qosProfile: "QOS_E",
      applicationServer: { ipv4Address: "233.252.0.2" },
      duration: 300,
      sink: sinkUrl,
      sinkCredential: {
        credentialType: "ACCESSTOKEN",
        accessToken: token,
        accessTokenType: "bearer",
        accessTokenExpiresUtc: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    const sessionId = created.sessionId;
    assert.equal(created.sink, sinkUrl, "the http loopback sink is echoed as given");

    const availableEvent = await waitUntil("the AVAILABLE event", () =>
      received.find((r) => JSON.parse(r.body)?.data?.qosStatus === "AVAILABLE"),
    );
    await waitForStatus(client, sessionId, "AVAILABLE");
    await client.qod.deleteSessionV1({ sessionId });
    const deletedEvent = await waitUntil("the UNAVAILABLE / DELETE_REQUESTED event", () =>
      received.find((r) => JSON.parse(r.body)?.data?.qosStatus === "UNAVAILABLE"),
    );

    for (const ev of [availableEvent, deletedEvent]) {
      assert.equal(ev.method, "POST");
      assert.equal(ev.url, "/qod-events");
      assert.equal(ev.headers.authorization, `Bearer ${token}`);
      assert.match(ev.headers["content-type"] ?? "", /^application\/cloudevents\+json/);
      const ce = JSON.parse(ev.body);
      assert.equal(ce.specversion, "1.0");
      assert.equal(ce.type, "org.camaraproject.quality-on-demand.v1.qos-status-changed");
      assert.equal(typeof ce.id, "string");
      assert.ok(ce.source, "source");
      assert.ok(!Number.isNaN(Date.parse(ce.time)), `time ${ce.time}`);
      assert.equal(ce.data.sessionId, sessionId);
    }
    assert.equal(JSON.parse(deletedEvent.body).data.statusInfo, "DELETE_REQUESTED");
  });
});

describe("cross-client: TypeScript SDK and the PowerShell module on one simulator", { timeout: 100_000 }, () => {
  test("a session created by the SDK is visible and manageable through the module", { timeout: 45_000 }, async () => {
    const phone = freshPhone();
    const created = await client.qod.createSessionV1({
      device: { phoneNumber: phone, ipv4Address: { publicAddress: "233.252.0.5", publicPort: 8080 } },
      qosProfile: "DOWNLINK_M_UPLINK_L",
      applicationServer: { ipv4Address: "198.51.100.20", ipv6Address: "2001:db8::20" },
      applicationServerPorts: { ranges: [{ from: 80, to: 443 }], ports: [8443] },
      duration: 900,
    });
    const sessionId = assertUuid(created.sessionId);
    try {
      await waitForStatus(client, sessionId, "AVAILABLE");

      const ps = await runPwsh(
        sim.baseUrl,
        `
$byId = Get-NacQodSession -SessionId '${sessionId}'
$byDevice = @(New-NacDevice -PhoneNumber '${phone}' | Get-NacQodSession)
$updated = Update-NacQodSession -SessionId '${sessionId}' -ExtendBy 120 -Confirm:$false
[pscustomobject]@{ ById = $byId; ByDevice = $byDevice; Updated = $updated } | ConvertTo-Json -Depth 8 -Compress
`,
      );
      assert.equal(ps.ById.SessionId, sessionId);
      assert.equal(ps.ById.Profile, "DOWNLINK_M_UPLINK_L");
      assert.equal(ps.ById.Status, "AVAILABLE");
      assert.equal(ps.ById.Duration, 900);
      assert.equal(ps.ById.ServiceIpv4, "198.51.100.20");
      assert.equal(ps.ById.ServiceIpv6, "2001:db8::20");
      assert.deepEqual(ps.ById.ServicePorts.Ranges, [{ From: 80, To: 443 }]);
      assert.deepEqual(ps.ById.ServicePorts.Ports, [8443]);
      assert.ok(ps.ById.StartedAt && ps.ById.ExpiresAt, "StartedAt/ExpiresAt set while AVAILABLE");
      assert.deepEqual(ps.ByDevice.map((s) => s.SessionId), [sessionId]);
      assert.equal(ps.Updated.Duration, 1020);

      // The SDK sees the module's extension.
      const afterExtend = await client.qod.getSessionV1({ sessionId });
      assert.equal(afterExtend.duration, 1020);
      assert.equal(Date.parse(afterExtend.expiresAt), Date.parse(ps.Updated.ExpiresAt));

      const removed = await runPwsh(
        sim.baseUrl,
        `
Remove-NacQodSession -SessionId '${sessionId}' -Confirm:$false
[pscustomobject]@{ Removed = $true } | ConvertTo-Json -Compress
`,
      );
      assert.equal(removed.Removed, true);
      const err = await rejection(() => client.qod.getSessionV1({ sessionId }));
      assert.ok(err instanceof NetworkAsCodeApi.NotFoundError, `after Remove-NacQodSession: ${err?.constructor?.name}: ${err}`);
    } finally {
      await client.qod.deleteSessionV1({ sessionId }).catch(() => {});
    }
  });

  test("a session created by the module is visible and manageable through the SDK", { timeout: 45_000 }, async () => {
    const phone = freshPhone();
    const ps = await runPwsh(
      sim.baseUrl,
      `
$device = New-NacDevice -PhoneNumber '${phone}' -Ipv4PublicAddress 233.252.0.6 -Ipv4PrivateAddress 192.0.2.6 -Ipv4PublicPort 80 -Ipv6Address 2001:db8:6::1
$device | New-NacQodSession -Profile DOWNLINK_L_UPLINK_L -Duration 1200 -ServiceIpv4 198.51.100.30 -ServiceIpv6 2001:db8::30 -ServicePortRange '80-443' -ServicePort 8443 -DevicePort 5060,5061 -Confirm:$false | ConvertTo-Json -Depth 8 -Compress
`,
    );
    const sessionId = assertUuid(ps.SessionId);
    try {
      assert.equal(ps.Profile, "DOWNLINK_L_UPLINK_L");
      assert.equal(ps.Duration, 1200);

      const got = await client.qod.getSessionV1({ sessionId });
      assert.equal(got.sessionId, sessionId);
      assert.equal(got.qosProfile, "DOWNLINK_L_UPLINK_L");
      assert.equal(got.duration, 1200);
      assert.deepEqual(got.applicationServer, { ipv4Address: "198.51.100.30", ipv6Address: "2001:db8::30" });
      assert.deepEqual(got.applicationServerPorts, { ranges: [{ from: 80, to: 443 }], ports: [8443] });
      assert.deepEqual(got.devicePorts, { ports: [5060, 5061] });
      assert.deepEqual(got.device, { phoneNumber: phone });

      // Listed for the device by its chosen identifier (the phone number); the ipv4Address alone is another device.
      const byPhone = await client.qod.retrieveSessionsV1({ device: { phoneNumber: phone } });
      assert.deepEqual(byPhone.map((s) => s.sessionId), [sessionId]);
      const byPhoneAndOtherIpv4 = await client.qod.retrieveSessionsV1({
        device: { phoneNumber: phone, ipv4Address: { publicAddress: "233.252.0.99", publicPort: 99 } },
      });
      assert.deepEqual(byPhoneAndOtherIpv4.map((s) => s.sessionId), [sessionId]);
      const byIpv4 = await client.qod.retrieveSessionsV1({
        device: { ipv4Address: { publicAddress: "233.252.0.6", privateAddress: "192.0.2.6", publicPort: 80 } },
      });
      assert.deepEqual(byIpv4, []);

      await waitForStatus(client, sessionId, "AVAILABLE");
      const extended = await client.qod.extendSessionV1({ sessionId, requestedAdditionalDuration: 60 });
      assert.equal(extended.duration, 1260);

      const seen = await runPwsh(
        sim.baseUrl,
        `Get-NacQodSession -SessionId '${sessionId}' | ConvertTo-Json -Depth 8 -Compress`,
      );
      assert.equal(seen.SessionId, sessionId);
      assert.equal(seen.Duration, 1260);
      assert.equal(seen.Status, "AVAILABLE");
      assert.equal(Date.parse(seen.ExpiresAt), Date.parse(extended.expiresAt));

      const { rawResponse } = await client.qod.deleteSessionV1({ sessionId }).withRawResponse();
      assert.equal(rawResponse.status, 204);

      const gone = await runPwsh(
        sim.baseUrl,
        `
$out = @(Get-NacQodSession -SessionId '${sessionId}' -ErrorAction SilentlyContinue -ErrorVariable errs)
$listed = @(New-NacDevice -PhoneNumber '${phone}' | Get-NacQodSession)
[pscustomobject]@{
  Output = $out.Count
  Listed = $listed.Count
  Errors = @($errs | ForEach-Object { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Category = [string]$_.CategoryInfo.Category; Message = $_.Exception.Message } })
} | ConvertTo-Json -Depth 5 -Compress
`,
      );
      assert.equal(gone.Output, 0, "Get-NacQodSession must return nothing for a deleted session");
      assert.equal(gone.Listed, 0, "the device has no sessions left");
      assert.equal(gone.Errors.length, 1, `expected one error record, got ${JSON.stringify(gone.Errors)}`);
      assert.equal(gone.Errors[0].Category, "ObjectNotFound");
      assert.match(gone.Errors[0].Message, /NOT_FOUND|not exist|not found/i);
    } finally {
      await client.qod.deleteSessionV1({ sessionId }).catch(() => {});
    }
  });
});
