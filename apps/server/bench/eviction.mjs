#!/usr/bin/env node
/*
 * Cache under eviction: hit ratio and throughput of Spinel against a real
 * redis-server 7 when maxmemory is well below the key set.
 *
 * Workload: a cache-aside loop over a Zipf-distributed key space (GET; on a miss,
 * SET the value), from several connections, each pipelining a batch of GETs and
 * then the SETs of the batch's misses. The key sequence is seeded, so both
 * servers see the same requests.
 *
 * The limit: each server gets room for the same share of the key set in its own
 * bytes (its bytes per key measured on a sample first, then maxmemory = start-up
 * use + that share), so the hit ratios compare the policies, not the memory
 * efficiency of the two servers. Runs alternate Spinel / Redis per policy
 * (allkeys-lru, allkeys-lfu); the first part of each run warms the cache and is
 * not counted.
 *
 * Targets: hit ratio within 2 percentage points of Redis', throughput under
 * eviction at least 0.6x Redis'.
 *
 * Usage: node bench/eviction.mjs
 *   BENCH_QUICK=1     fewer requests, one round
 *   BENCH_ROUNDS=3    interleaved rounds per policy (default 3): throughput is
 *                     each server's best round, hit ratio the mean
 *   BENCH_SOURCE=1    run Spinel from its TypeScript sources (no build needed)
 *   BENCH_STRICT=1    exit 1 when a target is missed
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitForPong } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const distMain = resolve(here, "../dist/main.js");
const sourceMain = resolve(here, "../src/main.ts");

const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
const strict = process.env.BENCH_STRICT === "1";
const fromSource = process.env.BENCH_SOURCE === "1" || !existsSync(distMain);

const KEYS = quick ? 100_000 : 300_000;
const VALUE_BYTES = 100;
const ZIPF_S = 0.99;
/** Share of the key set the cache has room for. */
const CACHE_SHARE = 0.2;
const CONNECTIONS = 20;
const BATCH = 16;
/** GETs per run: the first WARMUP share only warms the cache. */
const REQUESTS = quick ? 400_000 : 1_500_000;
/** Interleaved rounds per policy (BENCH_ROUNDS): a single round's throughput varied 1.6x between runs. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
const WARMUP = 0.3;
/** Keys written to measure a server's bytes per key. */
const SAMPLE_KEYS = 20_000;

// ------------------------------------------------------------------ servers

async function startServers() {
  const [spinelPort, redisPort] = await Promise.all([freePort(), freePort()]);
  const spinelArgs = fromSource ? ["--conditions=@spinel/source", "--import", "tsx", sourceMain] : [distMain];
  const spinel = spawn(
    process.execPath,
    [...spinelArgs, "--port", String(spinelPort), "--bind", "127.0.0.1", "--save", ""],
    {
      stdio: "ignore",
      cwd: resolve(here, ".."),
    },
  );
  const redis = spawn(
    "redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const stop = () => {
    for (const child of [spinel, redis]) if (child.exitCode === null) child.kill("SIGTERM");
  };
  process.on("SIGINT", () => {
    stop();
    process.exit(130);
  });
  await Promise.all([
    waitForPong(spinelPort, spinel, "spinel"),
    waitForPong(redisPort, redis, "redis-server"),
  ]);
  return {
    servers: [
      { name: "spinel", port: spinelPort },
      { name: "redis", port: redisPort },
    ],
    stop,
  };
}

// ------------------------------------------------------------------ a small pipelining RESP client

/** A connection that sends a batch of commands and resolves with their replies' kinds. */
class Connection {
  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.pending = 0;
    this.replies = [];
    this.done = null;
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.onData(chunk));
  }

  static open(port) {
    return new Promise((res, rej) => {
      const socket = net.connect(port, "127.0.0.1", () => res(new Connection(socket)));
      socket.on("error", rej);
    });
  }

  /** Send commands (arrays of strings); resolves with one kind per reply: "nil", "bulk", "ok", "error", "int". */
  batch(commands) {
    let text = "";
    for (const argv of commands) {
      text += `*${argv.length}\r\n`;
      for (const arg of argv) text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
    }
    this.pending = commands.length;
    this.replies = [];
    return new Promise((res) => {
      this.done = res;
      this.socket.write(text);
    });
  }

  onData(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    const buffer = this.buffer;
    while (this.pending > 0 && offset < buffer.length) {
      const lineEnd = buffer.indexOf("\r\n", offset);
      if (lineEnd === -1) break;
      const type = buffer[offset];
      if (type === 36 /* $ */) {
        const length = Number(buffer.toString("latin1", offset + 1, lineEnd));
        if (length === -1) {
          this.replies.push("nil");
          offset = lineEnd + 2;
        } else {
          if (lineEnd + 2 + length + 2 > buffer.length) break;
          this.replies.push("bulk");
          offset = lineEnd + 2 + length + 2;
        }
      } else {
        this.replies.push(type === 43 ? "ok" : type === 45 ? "error" : "int");
        offset = lineEnd + 2;
      }
      this.pending--;
    }
    this.buffer = buffer.subarray(offset);
    if (this.pending === 0 && this.done !== null) {
      const done = this.done;
      this.done = null;
      done(this.replies);
    }
  }

  close() {
    this.socket.destroy();
  }
}

// ------------------------------------------------------------------ workload

/** A seeded PRNG (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cumulative Zipf distribution over KEYS ranks. */
const zipfCdf = (() => {
  const cdf = new Float64Array(KEYS);
  let sum = 0;
  for (let i = 0; i < KEYS; i++) {
    sum += 1 / (i + 1) ** ZIPF_S;
    cdf[i] = sum;
  }
  for (let i = 0; i < KEYS; i++) cdf[i] /= sum;
  return cdf;
})();

function zipfRank(u) {
  let low = 0;
  let high = KEYS - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (zipfCdf[mid] < u) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The key of rank r, scattered so that hot keys are not neighbours in any table. */
function keyOf(rank) {
  return `cache:${(rank * 2654435761) % 4294967296}`;
}

const VALUE = "v".repeat(VALUE_BYTES);

async function info(connection, field) {
  const socket = connection.socket;
  return new Promise((res) => {
    let text = "";
    const onData = (chunk) => {
      text += chunk.toString("latin1");
      const header = text.indexOf("\r\n");
      if (header !== -1 && text.length >= header + 2 + Number(text.slice(1, header)) + 2) {
        socket.off("data", onData);
        socket.on("data", (c) => connection.onData(c));
        const match = new RegExp(`^${field}:(.*)$`, "m").exec(text);
        res(match ? match[1].trim() : "");
      }
    };
    socket.removeAllListeners("data");
    socket.on("data", onData);
    socket.write("*1\r\n$4\r\nINFO\r\n");
  });
}

/** Flush, measure bytes per key on a sample, then set the policy and maxmemory. Returns maxmemory. */
async function prepare(port, policy) {
  const admin = await Connection.open(port);
  await admin.batch([
    ["CONFIG", "SET", "maxmemory", "0"],
    ["FLUSHALL"],
    // evicted_keys counts from here: each run reports its own evictions.
    ["CONFIG", "RESETSTAT"],
    ["CONFIG", "SET", "maxmemory-policy", policy],
  ]);
  const before = Number(await info(admin, "used_memory"));
  for (let i = 0; i < SAMPLE_KEYS; i += 1000) {
    const commands = [];
    for (let j = i; j < i + 1000; j++) commands.push(["SET", keyOf(KEYS + j), VALUE]);
    await admin.batch(commands);
  }
  const after = Number(await info(admin, "used_memory"));
  const perKey = (after - before) / SAMPLE_KEYS;
  await admin.batch([["FLUSHALL"]]);
  const empty = Number(await info(admin, "used_memory"));
  const maxmemory = Math.floor(empty + perKey * KEYS * CACHE_SHARE);
  await admin.batch([["CONFIG", "SET", "maxmemory", String(maxmemory)]]);
  admin.close();
  return { maxmemory, perKey };
}

/** Run the cache-aside loop; returns hits, gets, counted ops and seconds of the measured part. */
async function runWorkload(port) {
  const connections = await Promise.all(Array.from({ length: CONNECTIONS }, () => Connection.open(port)));
  const perConnection = Math.floor(REQUESTS / CONNECTIONS);
  const warmup = Math.floor(perConnection * WARMUP);
  let hits = 0;
  let gets = 0;
  let ops = 0;
  let measuredStart = 0;
  // Every connection finishes its warm-up before the measured part starts.
  let warmed = 0;
  let releaseWarmed = () => {};
  const warmedAll = new Promise((res) => {
    releaseWarmed = res;
  });
  const runOne = async (connection, index) => {
    const next = random(1000 + index);
    let done = 0;
    let counted = false;
    while (done < perConnection) {
      if (!counted && done >= warmup) {
        counted = true;
        warmed++;
        if (warmed === CONNECTIONS) {
          measuredStart = performance.now();
          releaseWarmed();
        }
        await warmedAll;
      }
      const keys = [];
      for (let i = 0; i < BATCH; i++) keys.push(keyOf(zipfRank(next())));
      const replies = await connection.batch(keys.map((key) => ["GET", key]));
      const misses = [];
      for (let i = 0; i < BATCH; i++) if (replies[i] !== "bulk") misses.push(["SET", keys[i], VALUE]);
      if (misses.length > 0) await connection.batch(misses);
      if (counted) {
        gets += BATCH;
        hits += BATCH - misses.length;
        ops += BATCH + misses.length;
      }
      done += BATCH;
    }
  };
  await Promise.all(connections.map((connection, index) => runOne(connection, index)));
  const seconds = (performance.now() - measuredStart) / 1000;
  const evictedProbe = await Connection.open(port);
  const evicted = Number(await info(evictedProbe, "evicted_keys"));
  const used = Number(await info(evictedProbe, "used_memory"));
  evictedProbe.close();
  for (const connection of connections) connection.close();
  return { hitRatio: hits / gets, opsPerSecond: ops / seconds, evicted, used };
}

// ------------------------------------------------------------------ main

const { servers, stop } = await startServers();
let failed = false;
try {
  console.log(
    `Cache-aside over ${KEYS} Zipf(${ZIPF_S}) keys, ${VALUE_BYTES}-byte values, room for ${CACHE_SHARE * 100}% of them; ` +
      `${REQUESTS} GETs from ${CONNECTIONS} connections in batches of ${BATCH} (first ${WARMUP * 100}% warm-up), ` +
      `${ROUNDS} round(s)` +
      (fromSource ? "; Spinel from sources" : ""),
  );
  for (const policy of ["allkeys-lru", "allkeys-lfu"]) {
    // Rounds alternate Spinel / Redis; throughput is each side's best round (noise
    // only slows a run down), hit ratio and evictions the mean over the rounds.
    const results = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of servers) {
        const { maxmemory, perKey } = await prepare(server.port, policy);
        const result = await runWorkload(server.port);
        const sum = results[server.name];
        results[server.name] =
          sum === undefined
            ? { ...result, maxmemory, perKey }
            : {
                hitRatio: sum.hitRatio + result.hitRatio,
                opsPerSecond: Math.max(sum.opsPerSecond, result.opsPerSecond),
                evicted: sum.evicted + result.evicted,
                used: result.used,
                maxmemory,
                perKey,
              };
      }
    }
    for (const name of Object.keys(results)) {
      results[name].hitRatio /= ROUNDS;
      results[name].evicted = Math.round(results[name].evicted / ROUNDS);
    }
    const s = results.spinel;
    const r = results.redis;
    const gap = (s.hitRatio - r.hitRatio) * 100;
    const ratio = s.opsPerSecond / r.opsPerSecond;
    const hitOk = Math.abs(gap) <= 2;
    const speedOk = ratio >= 0.6;
    if (!hitOk || !speedOk) failed = true;
    console.log(
      `${policy.padEnd(12)} hit ratio spinel ${(s.hitRatio * 100).toFixed(2)}% redis ${(r.hitRatio * 100).toFixed(2)}% ` +
        `(gap ${gap >= 0 ? "+" : ""}${gap.toFixed(2)} pp ${hitOk ? "ok" : "MISSED"}); ` +
        `ops/s spinel ${Math.round(s.opsPerSecond)} redis ${Math.round(r.opsPerSecond)} ` +
        `(${ratio.toFixed(2)}x ${speedOk ? "ok" : "MISSED"}); ` +
        `evicted spinel ${s.evicted} redis ${r.evicted}; bytes/key spinel ${Math.round(s.perKey)} redis ${Math.round(r.perKey)}`,
    );
  }
} finally {
  stop();
}
if (failed && strict) process.exit(1);
