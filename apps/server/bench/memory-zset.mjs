#!/usr/bin/env node
/*
 * Bytes per key of small sorted sets and sets: Spinel against a real
 * redis-server 7 in the same run, measured from outside as the growth of each
 * process' resident set size (VmRSS in /proc/PID/status) while a workload fills
 * a fresh server.
 *
 * Workloads (each on fresh servers, keys filled with pipelined commands):
 *   - string:   100k SET key 1, for reference: what a key costs with the smallest value
 *   - zset:     100k sorted sets of 10 members (ZADD with 10 pairs): listpack in both
 *   - set-int:  100k sets of 10 small integers (SADD): intset in both
 *   - set-str:  100k sets of 10 short non-integer members: hashtable in both
 *     (redis-server 7.0 has no listpack sets)
 * Before each reading both servers get MEMORY PURGE: Redis purges its allocator's
 * dirty pages, Spinel (started with --expose-gc) runs a full collection, so the
 * growth is live data rather than garbage from reading the requests.
 *
 * Then ZADD / SADD throughput with redis-benchmark -P 16 against both: the
 * built-in zadd / sadd tests (one growing key each) and the same commands over
 * 100k random keys (small values, the encodings measured above), with each
 * server's own CPU time per request (from /proc/PID/stat), which a loaded machine
 * disturbs less than the request rate.
 *
 * Target (Spinel issue 10): bytes per key of zset and set-int at most 1.5x Redis'.
 *
 * Usage: node bench/memory-zset.mjs
 *   BENCH_KEYS=n      keys per workload (100000)
 *   BENCH_ONLY=a,b    only these workloads (string, zset, set-int, set-str)
 *   BENCH_SKIP_THROUGHPUT=1   memory only
 *   BENCH_STRICT=1    exit 1 when a target is missed
 */

import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort, waitForPong } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const sourceMain = resolve(here, "../src/main.ts");
const execFileAsync = promisify(execFile);

const KEYS = Number(process.env.BENCH_KEYS ?? 100_000);
const MEMBERS = 10;
const BATCH = 500;
const TARGET_RATIO = 1.5;
const strict = process.env.BENCH_STRICT === "1";
const skipThroughput = process.env.BENCH_SKIP_THROUGHPUT === "1";

// ------------------------------------------------------------------ servers

/** Start Spinel (from its sources, with --expose-gc) and redis-server on free loopback ports. */
async function startServers() {
  const [spinelPort, redisPort] = await Promise.all([freePort(), freePort()]);
  const spinel = spawn(
    process.execPath,
    [
      "--expose-gc",
      "--conditions=@spinel/source",
      "--import",
      "tsx",
      sourceMain,
      "--port",
      String(spinelPort),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
    ],
    { stdio: "ignore", cwd: resolve(here, "..") },
  );
  const redis = spawn(
    "redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const children = [spinel, redis];
  const stop = () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  };
  await Promise.all([
    waitForPong(spinelPort, spinel, "spinel"),
    waitForPong(redisPort, redis, "redis-server"),
  ]);
  return {
    servers: [
      { name: "spinel", port: spinelPort, pid: spinel.pid },
      { name: "redis", port: redisPort, pid: redis.pid },
    ],
    stop,
  };
}

/** CPU time (user + system) process `pid` has used, in ms (clock ticks of 10 ms). */
function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident set size of process `pid` in bytes. */
function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

// ------------------------------------------------------------------ a pipelining client

/** One connection sending batches of commands; resolves when every reply has arrived. */
class Connection {
  constructor(socket) {
    this.socket = socket;
    this.pending = 0;
    this.carry = "";
    this.done = null;
    this.errors = [];
    socket.setNoDelay(true);
    socket.setEncoding("latin1");
    socket.on("data", (text) => this.onData(text));
  }

  static open(port) {
    return new Promise((res, rej) => {
      const socket = net.connect(port, "127.0.0.1", () => res(new Connection(socket)));
      socket.on("error", rej);
    });
  }

  /** Send commands (arrays of strings) whose replies are one line each (integers, +OK, errors). */
  batch(commands) {
    let text = "";
    for (const argv of commands) {
      text += `*${argv.length}\r\n`;
      for (const arg of argv) text += `$${arg.length}\r\n${arg}\r\n`;
    }
    this.pending = commands.length;
    return new Promise((res) => {
      this.done = res;
      this.socket.write(text, "latin1");
    });
  }

  onData(text) {
    const lines = (this.carry + text).split("\r\n");
    this.carry = lines.pop();
    for (const line of lines) {
      if (line.startsWith("-")) this.errors.push(line);
      this.pending--;
    }
    if (this.pending === 0 && this.done !== null) {
      const done = this.done;
      this.done = null;
      done();
    }
  }

  close() {
    this.socket.destroy();
  }
}

// ------------------------------------------------------------------ workloads

/** The command that fills key number `i` of each workload. */
const WORKLOADS = {
  /** Reference: the cost of a key with the smallest value (an integer string). */
  string: (i) => ["SET", `string:${i}`, "1"],
  zset: (i) => {
    const argv = ["ZADD", `zset:${i}`];
    for (let m = 0; m < MEMBERS; m++) argv.push(String(((i + m * 7) % 1000) * 1.5), `member:${m}`);
    return argv;
  },
  "set-int": (i) => {
    const argv = ["SADD", `set:${i}`];
    for (let m = 0; m < MEMBERS; m++) argv.push(String((i * 31 + m * 1009) % 30000));
    return argv;
  },
  "set-str": (i) => {
    const argv = ["SADD", `set:${i}`];
    for (let m = 0; m < MEMBERS; m++) argv.push(`item:${(i + m * 13) % 5000}`);
    return argv;
  },
};

/** MEMORY PURGE on a server, then its RSS after a short settle. */
async function settledRss(connection, pid) {
  await connection.batch([["MEMORY", "PURGE"]]);
  await new Promise((r) => setTimeout(r, 300));
  return rssOf(pid);
}

/** Fill fresh servers with `KEYS` keys of `workload`; bytes per key of each. */
async function measureWorkload(workload) {
  const { servers, stop } = await startServers();
  try {
    const result = {};
    for (const server of servers) {
      const connection = await Connection.open(server.port);
      const before = await settledRss(connection, server.pid);
      const make = WORKLOADS[workload];
      for (let start = 0; start < KEYS; start += BATCH) {
        const commands = [];
        for (let i = start; i < Math.min(KEYS, start + BATCH); i++) commands.push(make(i));
        await connection.batch(commands);
      }
      if (connection.errors.length > 0) throw new Error(`${server.name}: ${connection.errors[0]}`);
      const after = await settledRss(connection, server.pid);
      connection.close();
      result[server.name] = (after - before) / KEYS;
    }
    return result;
  } finally {
    stop();
  }
}

// ------------------------------------------------------------------ throughput

/** Requests per second of redis-benchmark -P 16 running `args` against `port`. */
async function benchmark(port, args) {
  const { stdout } = await execFileAsync(
    "redis-benchmark",
    ["-h", "127.0.0.1", "-p", String(port), "-P", "16", "-c", "20", "-q", ...args],
    { maxBuffer: 1 << 20 },
  );
  const match = /([\d.]+) requests per second/.exec(stdout.replace(/\r/g, "\n"));
  if (match === null) throw new Error(`unexpected redis-benchmark output: ${stdout}`);
  return Number(match[1]);
}

const THROUGHPUT_TESTS = [
  { name: "ZADD one key (built-in)", args: ["-n", "300000", "-r", "100000", "-t", "zadd"] },
  { name: "SADD one key (built-in)", args: ["-n", "300000", "-r", "100000", "-t", "sadd"] },
  {
    name: "ZADD 100k small zsets",
    args: ["-n", "300000", "-r", "100000", "ZADD", "z:__rand_int__", "__rand_int__", "m:__rand_int__"],
  },
  {
    name: "SADD 100k small intsets",
    args: ["-n", "300000", "-r", "100000", "SADD", "s:__rand_int__", "__rand_int__"],
  },
];

async function measureThroughput() {
  const { servers, stop } = await startServers();
  try {
    const rows = [];
    for (const test of THROUGHPUT_TESTS) {
      // Interleaved: Spinel, Redis, Spinel, Redis; best of two each. The server's
      // own CPU time per request is the steadier figure on a shared machine.
      const best = { spinel: 0, redis: 0 };
      const cpu = { spinel: Infinity, redis: Infinity };
      const requests = Number(test.args[test.args.indexOf("-n") + 1]);
      for (let round = 0; round < 2; round++) {
        for (const server of servers) {
          const before = cpuMsOf(server.pid);
          const rate = await benchmark(server.port, test.args);
          const microsPerRequest = ((cpuMsOf(server.pid) - before) * 1000) / requests;
          if (rate > best[server.name]) best[server.name] = rate;
          if (microsPerRequest < cpu[server.name]) cpu[server.name] = microsPerRequest;
        }
      }
      rows.push({ test: test.name, ...best, cpu });
    }
    return rows;
  } finally {
    stop();
  }
}

// ------------------------------------------------------------------ main

let missed = false;
console.log(`bytes per key (RSS growth / ${KEYS} keys of ${MEMBERS} members)`);
const only = process.env.BENCH_ONLY?.split(",");
for (const workload of Object.keys(WORKLOADS)) {
  if (only !== undefined && !only.includes(workload)) continue;
  const { spinel, redis } = await measureWorkload(workload);
  const ratio = spinel / redis;
  const targeted = workload === "zset" || workload === "set-int";
  if (targeted && ratio > TARGET_RATIO) missed = true;
  console.log(
    `  ${workload.padEnd(8)} spinel ${spinel.toFixed(0).padStart(5)}  redis ${redis.toFixed(0).padStart(5)}  ` +
      `ratio ${ratio.toFixed(2)}${targeted ? ` (target <= ${TARGET_RATIO})` : ""}`,
  );
}
if (!skipThroughput) {
  console.log(
    "throughput (redis-benchmark -P 16 -c 20, requests/s and server CPU us per request, best of 2 interleaved)",
  );
  for (const row of await measureThroughput()) {
    console.log(
      `  ${row.test.padEnd(26)} spinel ${row.spinel.toFixed(0).padStart(8)}/s ${row.cpu.spinel.toFixed(2)}us  ` +
        `redis ${row.redis.toFixed(0).padStart(8)}/s ${row.cpu.redis.toFixed(2)}us  ratio ${(row.spinel / row.redis).toFixed(2)}`,
    );
  }
}
if (strict && missed) process.exit(1);
