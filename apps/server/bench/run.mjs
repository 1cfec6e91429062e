#!/usr/bin/env node
/*
 * pnpm bench: Spinel against a real redis-server, measured with redis-benchmark.
 *
 * Both servers run in this process' care for the whole run: Spinel from
 * apps/server/dist/main.js (turbo builds it first: bench dependsOn build) and
 * redis-server 7, both in-memory on free loopback ports. Every measurement runs
 * interleaved, Spinel then Redis then Spinel then Redis ..., so that noise from a
 * shared machine hits both alike; the best of the rounds counts for each side
 * (noise only ever slows a run down). The table shows both figures and the ratio
 * Spinel / Redis, checked against the targets (see targetFor), and, without
 * pipelining, both servers' p99 latency as redis-benchmark reports it (target:
 * Spinel's at most 1.2x Redis').
 *
 * Usage:
 *   node bench/run.mjs [test ...]          e.g. `node bench/run.mjs get set zrank_1m`
 *   BENCH_TESTS=get,set pnpm bench          the same filter through turbo
 *   BENCH_QUICK=1                           fewer requests, one round
 *   BENCH_ROUNDS=3                          rounds per measurement (default 2)
 *   BENCH_PIPELINES=16                      only these pipeline depths (default 1,16)
 *   BENCH_CLIENTS=50                        parallel connections (default 50)
 *   BENCH_KEYSPACE=100000                   random keys for the built-in tests (redis-benchmark -r);
 *                                           default: redis-benchmark's single key per test
 *   BENCH_PRELOAD=1000000                   before measuring, fill both servers with this many string
 *                                           keys named as redis-benchmark names them (key:<12 digits>),
 *                                           so that the tests run against a full keyspace; pair it with
 *                                           BENCH_KEYSPACE of the same size
 *   BENCH_STRICT=1                          exit 1 when a ratio misses its target
 *   BENCH_BASELINE=/other/apps/server/dist/main.js
 *                                           a second Spinel build (say, before a change), measured
 *                                           in the same interleaving; the table adds its figures and
 *                                           the speed-up of this build over it
 *
 * A test whose command Spinel answers with an error (while Redis does not) is
 * reported as unsupported instead of measured: redis-benchmark counts error
 * replies as answered requests. Both servers are stopped by PID at the end, also
 * on Ctrl-C.
 */

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const serverMain = resolve(here, "../dist/main.js");

// ------------------------------------------------------------------ settings

const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 2));
const clients = Number(process.env.BENCH_CLIENTS ?? 50);
const pipelines = (process.env.BENCH_PIPELINES ?? "1,16").split(",").map(Number);
const strict = process.env.BENCH_STRICT === "1";
const builtInKeyspace = Number(process.env.BENCH_KEYSPACE ?? 0);
const baselineMain = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : null;
/** Requests per measurement, by pipeline depth. */
const requestsFor = (pipeline) => {
  if (pipeline === 1) return quick ? 20_000 : 100_000;
  return quick ? 100_000 : 500_000;
};
const preloadKeys = Number(process.env.BENCH_PRELOAD ?? 0);
/**
 * The throughput targets: the core commands at least even with redis-server
 * without pipelining and at least 0.75x at 16-deep pipelining; MSET (ten keys a
 * request) 0.6x there; the range reads, which are mostly reply bytes, 0.95x.
 * Every other test keeps the general floor of 0.8x / 0.6x.
 */
const CORE_TESTS = new Set(["GET", "SET", "INCR", "LPUSH", "RPOP", "HSET", "SADD", "ZADD", "SPOP", "MSET"]);
const RANGE_TESTS = new Set(["LRANGE_100", "ZRANGE_100"]);
/** Minimum ratio Spinel / Redis for a test at a pipeline depth. */
const targetFor = (name, pipeline) => {
  if (RANGE_TESTS.has(name)) return 0.95;
  if (CORE_TESTS.has(name)) {
    if (pipeline === 1) return 1.0;
    return name === "MSET" ? 0.6 : 0.75;
  }
  return pipeline === 1 ? 0.8 : 0.6;
};
/** Largest p99 latency ratio Spinel / Redis without pipelining. */
const P99_TARGET = 1.2;
const BIG_ZSET_MEMBERS = 1_000_000;
/** Requests of the unmeasured warm-up run before each measurement. */
const WARMUP_REQUESTS = 20_000;

// ------------------------------------------------------------------ the tests

/** Lua scripts of the EVALSHA tests: a small read, and a write (INCR + EXPIRE). */
const READ_SCRIPT = "return redis.call('GET', KEYS[1])";
const WRITE_SCRIPT = "local v = redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], 600) return v";
const sha1 = (text) => createHash("sha1").update(text).digest("hex");

/** 12-digit zero-padded number, as redis-benchmark expands __rand_int__. */
const randInt = (n) => String(n).padStart(12, "0");

/**
 * Each test: its name (as filtered and printed), the redis-benchmark arguments,
 * the keyspace size for __rand_int__, a probe (one command run on both servers
 * before measuring, to detect an unsupported command), and an optional setup.
 */
const tests = [
  { name: "PING", args: ["-t", "ping_mbulk"], probe: ["PING"] },
  { name: "SET", args: ["-t", "set"], probe: ["SET", "key:probe", "xxx"] },
  { name: "GET", args: ["-t", "get"], probe: ["GET", "key:probe"] },
  { name: "INCR", args: ["-t", "incr"], probe: ["INCR", "counter:probe"] },
  { name: "LPUSH", args: ["-t", "lpush"], probe: ["LPUSH", "list:probe", "xxx"] },
  { name: "RPOP", args: ["-t", "rpop"], probe: ["RPOP", "list:probe"] },
  { name: "LRANGE_100", args: ["-t", "lrange_100"], probe: ["LRANGE", "list:probe", "0", "99"] },
  { name: "HSET", args: ["-t", "hset"], probe: ["HSET", "hash:probe", "f", "xxx"] },
  { name: "MSET", args: ["-t", "mset"], probe: ["MSET", "key:probe", "xxx", "key:probe2", "xxx"] },
  { name: "SADD", args: ["-t", "sadd"], probe: ["SADD", "set:probe", "xxx"] },
  { name: "SPOP", args: ["-t", "spop"], probe: ["SPOP", "set:probe"] },
  { name: "ZADD", args: ["-t", "zadd"], probe: ["ZADD", "zset:probe", "1", "xxx"] },
  // EVALSHA: the probe's EVAL loads the script into both servers' caches.
  {
    name: "EVALSHA_READ",
    args: ["EVALSHA", sha1(READ_SCRIPT), "1", "bench:lua:read"],
    probe: ["EVAL", READ_SCRIPT, "1", "bench:lua:read"],
  },
  {
    name: "EVALSHA_WRITE",
    args: ["EVALSHA", sha1(WRITE_SCRIPT), "1", "bench:lua:write"],
    probe: ["EVAL", WRITE_SCRIPT, "1", "bench:lua:write"],
  },
  {
    name: "ZRANGE_100",
    args: ["ZRANGE", "bench:z100", "0", "99"],
    probe: ["ZRANGE", "bench:z100", "0", "99"],
    setup: fillSmallZset,
  },
  {
    name: "ZRANGE_100_BYSCORE",
    args: ["ZRANGE", "bench:z100", "-inf", "+inf", "BYSCORE"],
    probe: ["ZRANGE", "bench:z100", "-inf", "+inf", "BYSCORE"],
    setup: fillSmallZset,
  },
  {
    name: "ZINCRBY",
    args: ["ZINCRBY", "bench:zincr", "1", "member:__rand_int__"],
    keyspace: 1000,
    probe: ["ZINCRBY", "bench:zincr", "1", "member:probe"],
  },
  {
    name: "ZADD_1M",
    args: ["ZADD", "bench:z1m", "__rand_int__", "m:__rand_int__"],
    keyspace: BIG_ZSET_MEMBERS,
    probe: ["ZADD", "bench:z1m", "1", randInt(1)],
    setup: fillBigZset,
  },
  {
    name: "ZRANK_1M",
    args: ["ZRANK", "bench:z1m", "m:__rand_int__"],
    keyspace: BIG_ZSET_MEMBERS,
    probe: ["ZRANK", "bench:z1m", `m:${randInt(42)}`],
    setup: fillBigZset,
  },
  {
    name: "ZRANGE_1M_RANK",
    args: ["ZRANGE", "bench:z1m", "500000", "500009"],
    probe: ["ZRANGE", "bench:z1m", "500000", "500009"],
    setup: fillBigZset,
  },
  {
    name: "ZRANGE_1M_BYSCORE",
    args: ["ZRANGE", "bench:z1m", "__rand_int__", "+inf", "BYSCORE", "LIMIT", "0", "10"],
    keyspace: BIG_ZSET_MEMBERS,
    probe: ["ZRANGE", "bench:z1m", randInt(1000), "+inf", "BYSCORE", "LIMIT", "0", "10"],
    setup: fillBigZset,
  },
  {
    name: "PFADD",
    args: ["PFADD", "bench:hll", "element:__rand_int__"],
    keyspace: 1_000_000,
    probe: ["PFADD", "bench:hll:probe", "xxx"],
  },
  {
    name: "PFCOUNT",
    args: ["PFCOUNT", "bench:hll:100k"],
    probe: ["PFCOUNT", "bench:hll:100k"],
    setup: fillHll,
  },
  {
    name: "GEOADD",
    args: ["GEOADD", "bench:geo:add", "13.361389", "38.115556", "member:__rand_int__"],
    keyspace: 100_000,
    probe: ["GEOADD", "bench:geo:probe", "13.361389", "38.115556", "xxx"],
  },
  {
    name: "GEOSEARCH",
    args: [
      "GEOSEARCH",
      "bench:geo",
      "FROMLONLAT",
      "14.2",
      "37.8",
      "BYRADIUS",
      "5",
      "km",
      "ASC",
      "COUNT",
      "10",
    ],
    probe: [
      "GEOSEARCH",
      "bench:geo",
      "FROMLONLAT",
      "14.2",
      "37.8",
      "BYRADIUS",
      "5",
      "km",
      "ASC",
      "COUNT",
      "10",
    ],
    setup: fillGeo,
  },
  {
    name: "XADD",
    args: ["XADD", "bench:xadd", "*", "field", "value"],
    probe: ["XADD", "bench:xadd", "*", "field", "probe"],
  },
  {
    name: "XRANGE_100",
    args: ["XRANGE", "bench:x100", "-", "+"],
    probe: ["XRANGE", "bench:x100", "-", "+"],
    setup: fillSmallStream,
  },
  {
    name: "XREADGROUP",
    args: ["XREADGROUP", "GROUP", "bench", "consumer", "COUNT", "1", "STREAMS", "bench:xgroup", ">"],
    probe: ["XREADGROUP", "GROUP", "bench", "consumer", "COUNT", "1", "STREAMS", "bench:xgroup", ">"],
    setup: fillGroupStream,
  },
  {
    name: "XACK",
    args: ["XACK", "bench:xgroup", "bench", "__rand_int__-1"],
    keyspace: 100_000,
    probe: ["XACK", "bench:xgroup", "bench", "1-1"],
    setup: fillGroupStream,
  },
];

/** PFADD bench:hll:100k with 100,000 distinct elements (a dense HLL), then PFCOUNT once to cache. */
async function fillHll(server) {
  const batch = [];
  for (let start = 0; start < 100_000; start += 1000) {
    const argv = ["PFADD", "bench:hll:100k"];
    for (let i = start; i < start + 1000; i++) argv.push(`element:${i}`);
    batch.push(argv);
  }
  batch.push(["PFCOUNT", "bench:hll:100k"]);
  await server.client.pipeline(batch);
}

/** GEOADD bench:geo with 100,000 points spread over two degrees around Sicily (deterministic). */
async function fillGeo(server) {
  const batch = [];
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let start = 0; start < 100_000; start += 1000) {
    const argv = ["GEOADD", "bench:geo"];
    for (let i = start; i < start + 1000; i++) {
      argv.push((13.2 + next() * 2).toFixed(6), (36.8 + next() * 2).toFixed(6), `place:${i}`);
    }
    batch.push(argv);
  }
  await server.client.pipeline(batch);
}

/** XADD bench:x100 with 100 entries of two fields. */
async function fillSmallStream(server) {
  const batch = [];
  for (let i = 1; i <= 100; i++)
    batch.push(["XADD", "bench:x100", `${i}-1`, "field", `value:${i}`, "n", String(i)]);
  await server.client.pipeline(batch);
}

/**
 * A stream bench:xgroup with enough entries (1-1, 2-1 ...) for every XREADGROUP
 * of the run to get a new one (warm-ups and rounds at each pipeline depth),
 * and the group "bench" at its start. XACK then acknowledges random entries
 * among those read.
 */
async function fillGroupStream(server) {
  let entries = 1000;
  for (const pipeline of pipelines) entries += WARMUP_REQUESTS + rounds * requestsFor(pipeline);
  const batch = [];
  for (let i = 1; i <= entries; i++) {
    batch.push(["XADD", "bench:xgroup", `${i}-1`, "field", "value"]);
    if (batch.length === 1000) await server.client.pipeline(batch.splice(0));
  }
  if (batch.length > 0) await server.client.pipeline(batch);
  await server.client.pipeline([["XGROUP", "CREATE", "bench:xgroup", "bench", "0"]]);
}

/**
 * BENCH_PRELOAD: `count` string keys key:<12 digits> (the names redis-benchmark's
 * built-in tests use with -r) holding a 3-byte value, by pipelined MSETs.
 */
async function preloadStrings(server, count) {
  const perCommand = 100;
  const batch = [];
  for (let start = 0; start < count; start += perCommand) {
    const argv = ["MSET"];
    for (let i = start; i < Math.min(count, start + perCommand); i++) argv.push(`key:${randInt(i)}`, "xxx");
    batch.push(argv);
    if (batch.length === 100) await server.client.pipeline(batch.splice(0));
  }
  if (batch.length > 0) await server.client.pipeline(batch);
}

/** ZADD bench:z100 with members m0..m99 scored 0..99. */
async function fillSmallZset(server) {
  const argv = ["ZADD", "bench:z100"];
  for (let i = 0; i < 100; i++) argv.push(String(i), `m${i}`);
  await server.client.pipeline([argv]);
}

/** ZADD bench:z1m with BIG_ZSET_MEMBERS members m:<12 digits> scored by their number. */
async function fillBigZset(server) {
  const perCommand = 1000;
  const batch = [];
  for (let start = 0; start < BIG_ZSET_MEMBERS; start += perCommand) {
    const argv = ["ZADD", "bench:z1m"];
    for (let i = start; i < start + perCommand; i++) argv.push(String(i), `m:${randInt(i)}`);
    batch.push(argv);
    if (batch.length === 50) await server.client.pipeline(batch.splice(0));
  }
  if (batch.length > 0) await server.client.pipeline(batch);
}

// ------------------------------------------------------------------ a tiny RESP client

/** Encode one command as a RESP multibulk request. */
function encode(argv) {
  const parts = [`*${argv.length}\r\n`];
  for (const arg of argv) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(""));
}

/**
 * End offset of the RESP reply starting at `pos`, or -1 when incomplete. Handles
 * the RESP2 reply types the probes and setups receive.
 */
function replyEnd(buffer, pos) {
  const lineEnd = buffer.indexOf("\r\n", pos);
  if (lineEnd === -1) return -1;
  const type = String.fromCharCode(buffer[pos]);
  const header = buffer.toString("latin1", pos + 1, lineEnd);
  if (type === "+" || type === "-" || type === ":") return lineEnd + 2;
  const n = Number(header);
  if (type === "$") {
    if (n < 0) return lineEnd + 2;
    const end = lineEnd + 2 + n + 2;
    return end <= buffer.length ? end : -1;
  }
  if (type === "*") {
    let at = lineEnd + 2;
    for (let i = 0; i < n; i++) {
      at = replyEnd(buffer, at);
      if (at === -1) return -1;
    }
    return at;
  }
  throw new Error(`unexpected reply type ${type}`);
}

/** A connection that sends pipelines and resolves with their raw replies. */
class BenchClient {
  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.waiting = null;
    socket.on("data", (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    socket.on("error", (error) => this.waiting?.reject(error));
    socket.on("close", () => this.waiting?.reject(new Error("connection closed")));
  }

  static connect(port) {
    return new Promise((resolveConnect, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => resolveConnect(new BenchClient(socket)));
      socket.once("error", reject);
    });
  }

  drain() {
    const waiting = this.waiting;
    if (waiting === null) return;
    for (;;) {
      if (waiting.replies.length === waiting.expected) break;
      const end = this.buffer.length === 0 ? -1 : replyEnd(this.buffer, 0);
      if (end === -1) break;
      waiting.replies.push(this.buffer.toString("latin1", 0, end));
      this.buffer = this.buffer.subarray(end);
    }
    if (waiting.replies.length === waiting.expected) {
      this.waiting = null;
      waiting.resolve(waiting.replies);
    }
  }

  /** Send every command at once; resolves with the raw replies, in order. */
  pipeline(commands) {
    return new Promise((resolvePipeline, reject) => {
      this.waiting = { expected: commands.length, replies: [], resolve: resolvePipeline, reject };
      this.socket.write(Buffer.concat(commands.map(encode)));
    });
  }

  close() {
    this.socket.destroy();
  }
}

// ------------------------------------------------------------------ servers

const children = new Set();

/** Start a server process and wait until it answers PING; returns { name, port, child, client }. */
async function startServer(name, command, args, port) {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  children.add(child);
  let errors = "";
  child.stderr.on("data", (data) => (errors += data));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${errors}`);
    try {
      const client = await BenchClient.connect(port);
      const [reply] = await client.pipeline([["PING"]]);
      if (reply === "+PONG\r\n") return { name, port, child, client };
      client.close();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not answer PING on port ${port}: ${errors}`);
}

/** Stop a server by its PID and wait for it to exit. */
function stopServer(server) {
  const child = server.child;
  server.client?.close();
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
  for (const child of children) {
    if (child.exitCode === null) process.kill(child.pid, "SIGKILL");
  }
  process.exit(code);
}
process.on("SIGINT", () => killChildrenAndExit(130));
process.on("SIGTERM", () => killChildrenAndExit(143));

// ------------------------------------------------------------------ measuring

/**
 * redis-benchmark's -r for a test: custom tests name their own keyspace; the
 * built-in tests use BENCH_KEYSPACE when set (random keys, as in production), else
 * redis-benchmark's default of one key per test (comparable with published figures).
 */
function keyspaceArgs(test) {
  const size = test.keyspace ?? builtInKeyspace;
  return size === 0 ? [] : ["-r", String(size)];
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ). */
const clockTicks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/**
 * CPU seconds (user + system) a process has used so far, or NaN where /proc is
 * not available. CPU per request is less sensitive to a busy machine than
 * requests per second: other processes delay a server but do not make it work more.
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

/**
 * Run redis-benchmark once against `server`; returns requests per second and the
 * server's CPU microseconds per request.
 */
function runBenchmark(server, test, pipeline, requests = requestsFor(pipeline)) {
  const args = [
    "-h",
    "127.0.0.1",
    "-p",
    String(server.port),
    "-c",
    String(clients),
    "-n",
    String(requests),
    "-P",
    String(pipeline),
    ...keyspaceArgs(test),
    "--csv",
    ...test.args,
  ];
  const cpuBefore = cpuSeconds(server.child.pid);
  const result = spawnSync("redis-benchmark", args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  const cpuUsed = cpuSeconds(server.child.pid) - cpuBefore;
  if (result.status !== 0) throw new Error(`redis-benchmark failed: ${result.stderr}`);
  // CSV: a header line, then one line per test ("LRANGE_100" is preceded by its LPUSH fill).
  const rows = result.stdout
    .trim()
    .split("\n")
    .filter((line) => line.startsWith('"') && !line.startsWith('"test"'));
  const last = rows[rows.length - 1];
  if (last === undefined) throw new Error(`no result from redis-benchmark: ${result.stdout}`);
  const fields = last.split('","');
  // The LRANGE tests run their LPUSH fill first: CPU then covers both (2 x requests).
  const requestsServed = rows.length * requests;
  // Fields: test, rps, avg, min, p50, p95, p99, max (milliseconds).
  return { rps: Number(fields[1]), p99: Number(fields[6]), cpuMicros: (cpuUsed * 1e6) / requestsServed };
}

/** Probe a test's command on both servers: null when fine, else why it is skipped. */
async function probe(spinel, redis, test) {
  const [spinelReply] = await spinel.client.pipeline([test.probe]);
  const [redisReply] = await redis.client.pipeline([test.probe]);
  if (spinelReply.startsWith("-") && !redisReply.startsWith("-")) {
    return `unsupported: ${spinelReply.trim()}`;
  }
  return null;
}

const formatMicros = (us) => (Number.isFinite(us) ? `${us.toFixed(2)}us` : "?");
const formatRps = (rps) => (rps >= 1e6 ? `${(rps / 1e6).toFixed(2)}M` : `${(rps / 1e3).toFixed(1)}k`);

// ------------------------------------------------------------------ main

async function main() {
  if (!existsSync(serverMain)) {
    throw new Error(`${serverMain} is missing: build first (pnpm bench builds through turbo)`);
  }
  for (const tool of ["redis-server", "redis-benchmark"]) {
    if (spawnSync(tool, ["--version"]).status !== 0) {
      throw new Error(`${tool} is not installed (pnpm test:deps installs it)`);
    }
  }
  const filter = [...process.argv.slice(2), ...(process.env.BENCH_TESTS ?? "").split(",")]
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const selected = filter.length === 0 ? tests : tests.filter((t) => filter.includes(t.name.toLowerCase()));
  if (selected.length === 0) {
    throw new Error(`no test matches ${filter.join(", ")}; tests: ${tests.map((t) => t.name).join(", ")}`);
  }

  const spinelArgs = (port) => [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
  ];
  const spinelPort = await freePort();
  const spinel = await startServer(
    "spinel",
    process.execPath,
    [serverMain, ...spinelArgs(spinelPort)],
    spinelPort,
  );
  let baseline = null;
  if (baselineMain !== null) {
    const port = await freePort();
    baseline = await startServer("baseline", process.execPath, [baselineMain, ...spinelArgs(port)], port);
  }
  const redisPort = await freePort();
  const redis = await startServer(
    "redis-server",
    "redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    redisPort,
  );
  /** Measured in this order in every round. */
  const servers = baseline === null ? [spinel, redis] : [spinel, baseline, redis];
  console.log(
    `${servers.map((server) => `${server.name} pid ${server.child.pid} port ${server.port}`).join(", ")}; ` +
      `${clients} clients, ${rounds} round(s), ${quick ? "quick" : "full"} mode, ` +
      `keyspace ${builtInKeyspace === 0 ? "single key" : builtInKeyspace}, node ${process.version}` +
      (preloadKeys > 0 ? `, ${preloadKeys} keys preloaded` : "") +
      (baselineMain === null ? "" : `\nbaseline: ${baselineMain}`),
  );

  if (preloadKeys > 0) {
    for (const server of servers) await preloadStrings(server, preloadKeys);
    console.log(`preloaded ${preloadKeys} keys into each server`);
  }

  const results = [];
  const setupsDone = new Set();
  try {
    for (const test of selected) {
      if (test.setup !== undefined && !setupsDone.has(test.setup)) {
        for (const server of servers) await test.setup(server);
        setupsDone.add(test.setup);
      }
      const skipped = await probe(spinel, redis, test);
      // The baseline build runs the probe too: some probes prepare state (EVAL loads the EVALSHA scripts).
      if (baseline !== null) await baseline.client.pipeline([test.probe]);
      for (const pipeline of pipelines) {
        if (skipped !== null) {
          results.push({ test: test.name, pipeline, ratio: null, note: skipped });
          console.log(`${test.name.padEnd(20)} -P ${String(pipeline).padEnd(3)} ${skipped}`);
          continue;
        }
        // Warm-up (unmeasured): lets the JIT compile Spinel's path for this command.
        for (const server of servers) runBenchmark(server, test, pipeline, WARMUP_REQUESTS);
        const rps = new Map(servers.map((server) => [server.name, 0]));
        const cpu = new Map(servers.map((server) => [server.name, Number.POSITIVE_INFINITY]));
        const p99 = new Map(servers.map((server) => [server.name, Number.POSITIVE_INFINITY]));
        for (let round = 0; round < rounds; round++) {
          for (const server of servers) {
            const run = runBenchmark(server, test, pipeline);
            rps.set(server.name, Math.max(rps.get(server.name), run.rps));
            cpu.set(server.name, Math.min(cpu.get(server.name), run.cpuMicros));
            p99.set(server.name, Math.min(p99.get(server.name), run.p99));
          }
        }
        const result = {
          test: test.name,
          pipeline,
          spinel: rps.get("spinel"),
          redis: rps.get("redis-server"),
          spinelCpu: cpu.get("spinel"),
          redisCpu: cpu.get("redis-server"),
          spinelP99: p99.get("spinel"),
          redisP99: p99.get("redis-server"),
          baseline: rps.get("baseline") ?? null,
          baselineCpu: cpu.get("baseline") ?? null,
          ratio: rps.get("spinel") / rps.get("redis-server"),
          note: "",
        };
        const ok = result.ratio >= targetFor(test.name, pipeline);
        if (!ok) result.note = "below target";
        const p99Ok = pipeline !== 1 || result.spinelP99 <= result.redisP99 * P99_TARGET;
        results.push(result);
        console.log(
          `${test.name.padEnd(20)} -P ${String(pipeline).padEnd(3)} spinel ${formatRps(result.spinel).padStart(8)}  ` +
            `redis ${formatRps(result.redis).padStart(8)}  ${result.ratio.toFixed(2)}x${ok ? "" : " (below target)"}  ` +
            `cpu/req spinel ${formatMicros(result.spinelCpu)} redis ${formatMicros(result.redisCpu)}` +
            (pipeline === 1
              ? `  p99 spinel ${result.spinelP99}ms redis ${result.redisP99}ms${p99Ok ? "" : " (p99 above target)"}`
              : "") +
            (result.baseline === null
              ? ""
              : `  baseline ${formatRps(result.baseline)} (${(result.spinel / result.baseline).toFixed(2)}x) ` +
                `cpu/req ${formatMicros(result.baselineCpu)}`),
        );
      }
    }
  } finally {
    await Promise.all(servers.map(stopServer));
  }

  printTable(results);
  const missed = results.filter(
    (r) =>
      r.ratio !== null &&
      (r.ratio < targetFor(r.test, r.pipeline) ||
        (r.pipeline === 1 && r.spinelP99 > r.redisP99 * P99_TARGET)),
  );
  if (strict && missed.length > 0) process.exitCode = 1;
}

/** The summary: one row per test, one column group per pipeline depth. */
function printTable(results) {
  const withBaseline = results.some((r) => r.baseline !== null && r.baseline !== undefined);
  const header = ["test"];
  for (const p of pipelines) {
    header.push(`spinel -P${p}`, `redis -P${p}`, `ratio -P${p}`, `cpu us/req -P${p}`);
    if (p === 1) header.push("p99 ms -P1");
    if (withBaseline) header.push(`baseline -P${p}`, `vs baseline -P${p}`);
  }
  const rows = [header];
  for (const name of [...new Set(results.map((r) => r.test))]) {
    const row = [name];
    for (const p of pipelines) {
      const r = results.find((x) => x.test === name && x.pipeline === p);
      if (r === undefined || r.ratio === null) {
        row.push("-", "-", r?.note ? "n/a" : "-", "-");
        if (p === 1) row.push("-");
        if (withBaseline) row.push("-", "-");
        continue;
      }
      const mark = r.ratio >= targetFor(name, p) ? "" : " !";
      const cpu = `${r.spinelCpu.toFixed(2)} / ${r.redisCpu.toFixed(2)}`;
      row.push(formatRps(r.spinel), formatRps(r.redis), `${r.ratio.toFixed(2)}x${mark}`, cpu);
      if (p === 1) {
        const p99Mark = r.spinelP99 <= r.redisP99 * P99_TARGET ? "" : " !";
        row.push(`${r.spinelP99} / ${r.redisP99}${p99Mark}`);
      }
      if (withBaseline) {
        row.push(
          `${formatRps(r.baseline)} (${r.baselineCpu.toFixed(2)}us)`,
          `${(r.spinel / r.baseline).toFixed(2)}x`,
        );
      }
    }
    rows.push(row);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  console.log("");
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows.slice(1)) console.log(line(row));
  console.log(
    `\nrequests/s, best of ${rounds} interleaved round(s); ratio = spinel / redis-server; ` +
      "cpu us/req = server CPU time (user + system) per request, spinel / redis-server; " +
      (withBaseline ? "vs baseline = spinel / baseline requests/s; " : "") +
      "targets: core commands >= 1.0x at -P 1 and >= 0.75x at -P 16 (MSET 0.6x), LRANGE_100 / ZRANGE_100 >= 0.95x, " +
      `other tests >= 0.8x / 0.6x; p99 at -P 1 at most ${P99_TARGET}x redis-server's ("!" = target missed)`,
  );
  const unsupported = results.filter((r) => r.ratio === null && r.pipeline === pipelines[0]);
  for (const r of unsupported) console.log(`${r.test}: ${r.note}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  killChildrenAndExit(1);
});
