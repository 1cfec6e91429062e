#!/usr/bin/env node
/*
 * Pub/sub benchmark: Spinel against a real redis-server, interleaved.
 *
 *   PUBLISH_NOSUB -P1 / -P16   PUBLISH to a channel nobody listens to, measured by
 *                              redis-benchmark (50 clients): requests per second.
 *   FANOUT_1 / _10 / _100      one publisher (redis-benchmark, 4 connections, 16-deep
 *                              pipelines) fanning out to 1, 10 or 100 subscribers
 *                              held by this process: messages delivered per second,
 *                              from the first message any subscriber receives to the
 *                              last byte every subscriber expects.
 *
 * Both servers run for the whole run, in-memory on free loopback ports. Each
 * measurement runs Spinel then Redis, round after round; the best round counts for
 * each side (noise only slows a run down). The ratio is Spinel / Redis; the target
 * is >= 0.6x. The server's CPU time per request or delivered message is shown too
 * (from /proc): a busy machine disturbs it less than the rates. Subscribers only count the bytes they receive (every message frame
 * has the same, known size), so the harness stays cheap next to the servers.
 *
 * Spinel runs from apps/server/dist/main.js (build first), or from the TypeScript
 * sources through tsx with BENCH_FROM_SOURCE=1.
 *
 * Usage:
 *   node bench/pubsub.mjs [test ...]     e.g. `node bench/pubsub.mjs fanout_100`
 *   BENCH_ROUNDS=3                       rounds per measurement (default 3)
 *   BENCH_QUICK=1                        fewer messages, one round
 *   BENCH_FROM_SOURCE=1                  run Spinel from src/ with tsx
 *   BENCH_STRICT=1                       exit 1 when a ratio misses the target
 *
 * Both servers are stopped by PID at the end, also on Ctrl-C.
 */

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitForPong } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const distMain = resolve(here, "../dist/main.js");
const sourceMain = resolve(here, "../src/main.ts");

const quick = process.env.BENCH_QUICK === "1";
const fromSource = process.env.BENCH_FROM_SOURCE === "1";
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
const strict = process.env.BENCH_STRICT === "1";
const TARGET = 0.6;
/** Messages each subscriber receives per measurement (kept under the 8 MB pubsub soft limit). */
const MESSAGES_PER_SUBSCRIBER = quick ? 30_000 : 150_000;
/** PUBLISH_NOSUB requests per measurement, by pipeline depth. */
const nosubRequests = (pipeline) => (pipeline === 1 ? 1 : 5) * (quick ? 40_000 : 200_000);
const PAYLOAD = "x".repeat(16);
const CHANNEL = "bench:fanout";

const tests = [
  { name: "PUBLISH_NOSUB", kind: "nosub", pipeline: 1 },
  { name: "PUBLISH_NOSUB", kind: "nosub", pipeline: 16 },
  { name: "FANOUT_1", kind: "fanout", subscribers: 1 },
  { name: "FANOUT_10", kind: "fanout", subscribers: 10 },
  { name: "FANOUT_100", kind: "fanout", subscribers: 100 },
];

// ------------------------------------------------------------------ servers

const children = new Set();

async function startServer(name, command, args, port, options = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"], ...options });
  children.add(child);
  await waitForPong(port, child, name);
  return { name, port, child };
}

function stopServer(server) {
  const child = server.child;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => process.kill(child.pid, "SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      children.delete(child);
      resolveStop();
    });
    process.kill(child.pid, "SIGTERM");
  });
}

function killChildrenAndExit(code) {
  for (const child of children) if (child.exitCode === null) process.kill(child.pid, "SIGKILL");
  process.exit(code);
}
process.on("SIGINT", () => killChildrenAndExit(130));
process.on("SIGTERM", () => killChildrenAndExit(143));

// ------------------------------------------------------------------ measurements

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ). */
const clockTicks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/**
 * CPU seconds (user + system) a process has used so far, or NaN without /proc.
 * CPU per message is less sensitive to a busy machine than messages per second:
 * other processes delay a server but do not make it work more.
 */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return Number.NaN;
  }
}

/** Run redis-benchmark asynchronously (subscribers in this process must keep reading). */
function redisBenchmark(args) {
  return new Promise((resolveRun, reject) => {
    const child = spawn("redis-benchmark", args, { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let output = "";
    let errors = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (errors += d));
    child.once("exit", (code) => {
      children.delete(child);
      if (code === 0) resolveRun(output);
      else reject(new Error(`redis-benchmark failed (${code}): ${errors}`));
    });
  });
}

/** PUBLISH to a channel without subscribers: requests per second. */
async function measureNoSubscribers(server, pipeline, requests) {
  const output = await redisBenchmark([
    ...["-h", "127.0.0.1", "-p", String(server.port), "-c", "50", "-n", String(requests)],
    ...["-P", String(pipeline), "--csv", "PUBLISH", "bench:nobody", PAYLOAD],
  ]);
  const row = output
    .trim()
    .split("\n")
    .find((line) => line.startsWith('"') && !line.startsWith('"test"'));
  if (row === undefined) throw new Error(`no result from redis-benchmark: ${output}`);
  return Number(row.split('","')[1]);
}

/** Bytes of one RESP2 `message` frame for CHANNEL and PAYLOAD. */
const MESSAGE_FRAME_BYTES = Buffer.byteLength(
  `*3\r\n$7\r\nmessage\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n$${PAYLOAD.length}\r\n${PAYLOAD}\r\n`,
);

/** Open `count` subscribers of CHANNEL; each counts the bytes it receives after its confirmation. */
async function openSubscribers(port, count) {
  const subscribers = [];
  const confirmation = `*3\r\n$9\r\nsubscribe\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n:1\r\n`;
  for (let i = 0; i < count; i++) {
    const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
    await new Promise((resolveConnect, reject) => {
      socket.once("connect", resolveConnect);
      socket.once("error", reject);
    });
    const subscriber = { socket, received: -confirmation.length, firstAt: 0, onData: null };
    socket.on("data", (chunk) => {
      if (subscriber.firstAt === 0 && subscriber.received >= 0) subscriber.firstAt = performance.now();
      subscriber.received += chunk.length;
      subscriber.onData?.();
    });
    socket.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n`);
    subscribers.push(subscriber);
  }
  const deadline = Date.now() + 10_000;
  while (subscribers.some((s) => s.received < 0)) {
    if (Date.now() > deadline) throw new Error("subscribers were not confirmed");
    await new Promise((r) => setTimeout(r, 5));
  }
  return subscribers;
}

/**
 * One publisher (redis-benchmark, 4 connections, -P 16) sends `messages` PUBLISH to
 * CHANNEL with `count` subscribers: messages delivered per second.
 */
async function measureFanout(server, count, messages = MESSAGES_PER_SUBSCRIBER) {
  const subscribers = await openSubscribers(server.port, count);
  const expected = messages * MESSAGE_FRAME_BYTES;
  try {
    const allReceived = new Promise((resolveAll, reject) => {
      let lastAt = 0;
      const check = () => {
        if (subscribers.every((s) => s.received >= expected)) {
          lastAt = performance.now();
          resolveAll(lastAt);
        }
      };
      for (const subscriber of subscribers) {
        subscriber.onData = check;
        subscriber.socket.once("close", () =>
          reject(new Error(`a subscriber of ${server.name} was disconnected`)),
        );
      }
    });
    const publisher = redisBenchmark([
      ...["-h", "127.0.0.1", "-p", String(server.port), "-c", "4", "-n", String(messages)],
      ...["-P", "16", "--csv", "PUBLISH", CHANNEL, PAYLOAD],
    ]);
    const [, lastAt] = await Promise.all([publisher, allReceived]);
    const firstAt = Math.min(...subscribers.map((s) => s.firstAt));
    return (messages * count) / ((lastAt - firstAt) / 1000);
  } finally {
    for (const subscriber of subscribers) subscriber.socket.destroy();
  }
}

/**
 * One measurement: { rate, cpuMicros } where rate is requests/s (PUBLISH_NOSUB) or
 * messages delivered/s (FANOUT), and cpuMicros the server's CPU time per request
 * or per delivered message.
 */
async function measure(server, test, small = false) {
  const cpuBefore = cpuSeconds(server.child.pid);
  let rate;
  let units;
  if (test.kind === "nosub") {
    units = small ? 20_000 : nosubRequests(test.pipeline);
    rate = await measureNoSubscribers(server, test.pipeline, units);
  } else {
    const messages = small ? 20_000 : MESSAGES_PER_SUBSCRIBER;
    units = messages * test.subscribers;
    rate = await measureFanout(server, test.subscribers, messages);
  }
  return { rate, cpuMicros: ((cpuSeconds(server.child.pid) - cpuBefore) * 1e6) / units };
}

const formatMicros = (us) => (Number.isFinite(us) ? us.toFixed(3) : "?");
const formatRate = (rate) => (rate >= 1e6 ? `${(rate / 1e6).toFixed(2)}M` : `${(rate / 1e3).toFixed(1)}k`);
const label = (test) => (test.kind === "nosub" ? `${test.name} -P${test.pipeline}` : test.name);

// ------------------------------------------------------------------ main

async function main() {
  if (!fromSource && !existsSync(distMain)) {
    throw new Error(`${distMain} is missing: build first, or set BENCH_FROM_SOURCE=1`);
  }
  for (const tool of ["redis-server", "redis-benchmark"]) {
    if (spawnSync(tool, ["--version"]).status !== 0) throw new Error(`${tool} is not installed`);
  }
  const filter = process.argv.slice(2).map((name) => name.toLowerCase());
  const selected = filter.length === 0 ? tests : tests.filter((t) => filter.includes(t.name.toLowerCase()));
  if (selected.length === 0) throw new Error(`no test matches; tests: ${tests.map(label).join(", ")}`);

  const [spinelPort, redisPort] = [await freePort(), await freePort()];
  const common = ["--port", null, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const argsFor = (port) => common.map((arg) => (arg === null ? String(port) : arg));
  const spinel = fromSource
    ? await startServer(
        "spinel",
        process.execPath,
        ["--conditions=@spinel/source", "--import", "tsx", sourceMain, ...argsFor(spinelPort)],
        spinelPort,
        { cwd: resolve(here, "..") },
      )
    : await startServer("spinel", process.execPath, [distMain, ...argsFor(spinelPort)], spinelPort);
  const redis = await startServer("redis-server", "redis-server", argsFor(redisPort), redisPort);
  console.log(
    `spinel pid ${spinel.child.pid} (${fromSource ? "sources via tsx" : "dist"}), redis-server pid ${redis.child.pid}; ` +
      `${rounds} round(s), ${MESSAGES_PER_SUBSCRIBER} messages per subscriber, node ${process.version}`,
  );

  const results = [];
  try {
    for (const test of selected) {
      // Warm-up (unmeasured): lets the JIT compile Spinel's path.
      await measure(spinel, test, true);
      await measure(redis, test, true);
      let bestSpinel = 0;
      let bestRedis = 0;
      let spinelCpu = Number.POSITIVE_INFINITY;
      let redisCpu = Number.POSITIVE_INFINITY;
      for (let round = 0; round < rounds; round++) {
        const a = await measure(spinel, test);
        const b = await measure(redis, test);
        bestSpinel = Math.max(bestSpinel, a.rate);
        bestRedis = Math.max(bestRedis, b.rate);
        spinelCpu = Math.min(spinelCpu, a.cpuMicros);
        redisCpu = Math.min(redisCpu, b.cpuMicros);
      }
      const ratio = bestSpinel / bestRedis;
      results.push({ test, spinel: bestSpinel, redis: bestRedis, ratio, spinelCpu, redisCpu });
      console.log(
        `${label(test).padEnd(18)} spinel ${formatRate(bestSpinel).padStart(8)}  redis ${formatRate(bestRedis).padStart(8)}  ` +
          `${ratio.toFixed(2)}x${ratio >= TARGET ? "" : " (below target)"}  ` +
          `cpu us spinel ${formatMicros(spinelCpu)} redis ${formatMicros(redisCpu)}`,
      );
    }
  } finally {
    await Promise.all([spinel, redis].map(stopServer));
  }

  console.log("\n| test | spinel | redis-server | ratio | cpu us spinel / redis | cpu ratio |");
  console.log("|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(
      `| ${label(r.test)} | ${formatRate(r.spinel)} | ${formatRate(r.redis)} | ${r.ratio.toFixed(2)}x | ` +
        `${formatMicros(r.spinelCpu)} / ${formatMicros(r.redisCpu)} | ${(r.redisCpu / r.spinelCpu).toFixed(2)}x |`,
    );
  }
  console.log(
    `\nPUBLISH_NOSUB: requests/s; FANOUT_n: messages delivered/s; best of ${rounds} interleaved round(s); ` +
      `ratio = spinel / redis-server; target >= ${TARGET}x; cpu us = server CPU time (user + system) per ` +
      "request or delivered message; cpu ratio = redis / spinel CPU time (the share of Redis' efficiency reached)",
  );
  if (strict && results.some((r) => r.ratio < TARGET)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  killChildrenAndExit(1);
});
