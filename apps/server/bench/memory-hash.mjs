#!/usr/bin/env node
/*
 * Memory of small hashes: bytes per key of Spinel against a real redis-server 7
 * for many hashes of a few short fields (listpack-encoded in both servers).
 *
 * Both servers start empty; the script reads each one's resident set size
 * (/proc/PID/status VmRSS) and INFO used_memory, fills KEYS hashes of FIELDS
 * fields ("hash:N" -> field:J = value:N) with pipelined HSETs, waits for the
 * process to settle, reads the figures again and reports the growth per key,
 * side by side. Spinel's used_memory is its own accounting (memoryUsage of each
 * value), so the two Spinel columns also show how truthful that accounting is.
 *
 * Then, on the same servers, redis-benchmark measures HSET (ten fields into
 * 10000 small hashes) and HGET throughput, quoted as ratios to redis-server's,
 * with each server's CPU time per request (from /proc), the steadier figure on
 * a shared machine.
 *
 * Target: Spinel's RSS growth per key at most 1.5x redis-server's.
 *
 * Usage: node bench/memory-hash.mjs
 *   BENCH_KEYS=n      number of hashes (default 100000)
 *   BENCH_FIELDS=n    fields per hash (default 10)
 *   BENCH_SOURCE=1    run Spinel from its TypeScript sources (no build needed)
 *   BENCH_THROUGHPUT=0  skip the redis-benchmark runs
 *   BENCH_REQUESTS=n  requests per redis-benchmark run (default 300000)
 *   BENCH_VERBOSE=1   print Spinel's V8 heap spaces after the fill
 *   BENCH_NODE_FLAGS="--flag ..."  extra node flags for Spinel (heap tuning trials)
 *   BENCH_STRICT=1    exit 1 when the target is missed
 */

import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitForPong } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const distMain = resolve(here, "../dist/main.js");
const sourceMain = resolve(here, "../src/main.ts");

const KEYS = Number(process.env.BENCH_KEYS ?? 100_000);
const FIELDS = Number(process.env.BENCH_FIELDS ?? 10);
const strict = process.env.BENCH_STRICT === "1";
const throughput = process.env.BENCH_THROUGHPUT !== "0";
const verbose = process.env.BENCH_VERBOSE === "1";
/** Requests per redis-benchmark run. */
const BENCHMARK_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300_000);
const fromSource = process.env.BENCH_SOURCE === "1" || !existsSync(distMain);
/** HSET commands in flight per round trip. */
const PIPELINE = 1000;
const TARGET_RATIO = 1.5;

/** Resident set size of process `pid` in bytes, from /proc. */
function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** A connection sending pipelined commands and waiting for as many replies. */
class Connection {
  constructor(socket) {
    this.socket = socket;
    this.pending = 0;
    this.tail = Buffer.alloc(0);
    this.lines = [];
    this.done = null;
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.onData(chunk));
  }

  static open(port) {
    return new Promise((resolveOpen, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => resolveOpen(new Connection(socket)));
      socket.once("error", reject);
    });
  }

  /**
   * Send `commands` (arrays of strings) at once; resolves with the first line of
   * each reply. Only for commands whose replies are one line (integers, status,
   * errors) or a bulk string (INFO, read whole before resolving).
   */
  send(commands) {
    let text = "";
    for (const argv of commands) {
      text += `*${argv.length}\r\n`;
      for (const arg of argv) text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
    }
    this.pending = commands.length;
    this.lines = [];
    return new Promise((resolveSend) => {
      this.done = resolveSend;
      this.socket.write(text);
    });
  }

  onData(chunk) {
    let buffer = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    let offset = 0;
    while (this.pending > 0) {
      const end = buffer.indexOf("\r\n", offset);
      if (end === -1) break;
      const line = buffer.toString("latin1", offset, end);
      if (line[0] === "$" && line !== "$-1") {
        const length = Number(line.slice(1));
        if (end + 2 + length + 2 > buffer.length) break;
        this.lines.push(buffer.toString("latin1", end + 2, end + 2 + length));
        offset = end + 2 + length + 2;
      } else {
        this.lines.push(line);
        offset = end + 2;
      }
      this.pending--;
    }
    buffer = buffer.subarray(offset);
    this.tail = Buffer.from(buffer);
    if (this.pending === 0 && this.done !== null) {
      const done = this.done;
      this.done = null;
      done(this.lines);
    }
  }

  close() {
    this.socket.destroy();
  }
}

/**
 * INFO memory's used_memory and allocator_allocated of the server behind
 * `connection`, after MEMORY PURGE (a full collection in Spinel, run with
 * --expose-gc; jemalloc's dirty pages returned in redis-server) and a pause.
 */
async function memoryInfo(connection) {
  const [purged] = await connection.send([["MEMORY", "PURGE"]]);
  if (purged !== "+OK") throw new Error(`MEMORY PURGE answered ${purged}`);
  await new Promise((r) => setTimeout(r, 500));
  const [info] = await connection.send([["INFO", "memory"]]);
  const used = /used_memory:(\d+)/.exec(info);
  const allocated = /allocator_allocated:(\d+)/.exec(info);
  if (used === null || allocated === null)
    throw new Error("INFO memory lacks used_memory or allocator_allocated");
  return { used: Number(used[1]), allocated: Number(allocated[1]) };
}

/** Fill KEYS hashes of FIELDS fields each, PIPELINE commands per round trip. */
async function fill(connection) {
  for (let start = 0; start < KEYS; start += PIPELINE) {
    const commands = [];
    for (let i = start; i < Math.min(KEYS, start + PIPELINE); i++) {
      const argv = ["HSET", `hash:${i}`];
      for (let j = 0; j < FIELDS; j++) argv.push(`field:${j}`, `value:${i}`);
      commands.push(argv);
    }
    const replies = await connection.send(commands);
    for (const reply of replies) {
      if (reply !== `:${FIELDS}`) throw new Error(`unexpected HSET reply ${reply}`);
    }
  }
}

/** CPU time (user + system) process `pid` has used so far, in seconds (/proc, 100 ticks a second). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Throughput of `command` (redis-benchmark's placeholders allowed) against the
 * server `pid` on `port`, 50 connections, 16 commands pipelined each: requests
 * per second, and the server's CPU microseconds per request, which a loaded
 * machine disturbs much less than the wall-clock rate.
 */
function benchmark(pid, port, command) {
  const cpuBefore = cpuSeconds(pid);
  const output = execFileSync(
    "redis-benchmark",
    ["-h", "127.0.0.1", "-p", String(port), "-c", "50", "-P", "16", "-n", String(BENCHMARK_REQUESTS)].concat([
      "-r",
      "10000",
      "-q",
      ...command,
    ]),
    { encoding: "utf8" },
  );
  const match = /([\d.]+) requests per second/.exec(output);
  if (match === null) throw new Error(`no figure in redis-benchmark's output: ${output}`);
  return { rate: Number(match[1]), cpuMicros: ((cpuSeconds(pid) - cpuBefore) * 1e6) / BENCHMARK_REQUESTS };
}

/** HSET of ten fields into 10000 small hashes, then HGET of one of them. */
const HSET_COMMAND = ["HSET", "hb:__rand_int__"];
for (let j = 0; j < 10; j++) HSET_COMMAND.push(`field:${j}`, `value:${j}`);
const HGET_COMMAND = ["HGET", "hb:__rand_int__", "field:7"];

/** Start one server, fill it, and return its growth per key (and its HSET/HGET throughput). */
async function measure(name, command, args) {
  const port = await freePort();
  const child = spawn(command, [...args, "--port", String(port)], {
    stdio: "ignore",
    cwd: resolve(here, ".."),
  });
  try {
    await waitForPong(port, child, name);
    const connection = await Connection.open(port);
    const before = await memoryInfo(connection);
    const rssBefore = rssBytes(child.pid);
    const started = Date.now();
    await fill(connection);
    const seconds = (Date.now() - started) / 1000;
    const [encoding] = await connection.send([["OBJECT", "ENCODING", "hash:0"]]);
    const after = await memoryInfo(connection);
    const rssAfter = rssBytes(child.pid);
    if (verbose && name === "spinel") {
      const [stats] = await connection.send([["MEMORY", "MALLOC-STATS"]]);
      console.log(
        stats
          .split("\n")
          .filter((line) => /^(space|rss)/.test(line))
          .join("\n"),
      );
    }
    connection.close();
    const hset = throughput ? benchmark(child.pid, port, HSET_COMMAND) : null;
    const hget = throughput ? benchmark(child.pid, port, HGET_COMMAND) : null;
    return {
      hset,
      hget,
      name,
      encoding,
      rssPerKey: (rssAfter - rssBefore) / KEYS,
      usedPerKey: (after.used - before.used) / KEYS,
      allocatedPerKey: (after.allocated - before.allocated) / KEYS,
      seconds,
    };
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
  }
}

const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter((flag) => flag !== "");
const spinelEntry = fromSource ? ["--conditions=@spinel/source", "--import", "tsx", sourceMain] : [distMain];
const spinel = await measure("spinel", process.execPath, [
  "--expose-gc",
  ...nodeFlags,
  ...spinelEntry,
  "--bind",
  "127.0.0.1",
  "--save",
  "",
]);
const redis = await measure("redis-server", "redis-server", [
  "--bind",
  "127.0.0.1",
  "--save",
  "",
  "--appendonly",
  "no",
]);

console.log(`${KEYS} hashes of ${FIELDS} fields (field:J -> value:N), bytes per key:`);
for (const row of [spinel, redis]) {
  console.log(
    `  ${row.name.padEnd(13)} encoding ${row.encoding.padEnd(9)} RSS ${row.rssPerKey.toFixed(0).padStart(6)}` +
      `  used_memory ${row.usedPerKey.toFixed(0).padStart(6)}` +
      `  allocator_allocated ${row.allocatedPerKey.toFixed(0).padStart(6)}  fill ${row.seconds.toFixed(1)} s`,
  );
}
const ratio = spinel.rssPerKey / redis.rssPerKey;
console.log(`  RSS ratio spinel/redis: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO})`);
console.log(
  `  used_memory ratio spinel/redis: ${(spinel.usedPerKey / redis.usedPerKey).toFixed(2)}; ` +
    `spinel accounted/RSS: ${(spinel.usedPerKey / spinel.rssPerKey).toFixed(2)}`,
);
if (throughput) {
  console.log("Throughput (redis-benchmark -c 50 -P 16, 10000 hashes of 10 fields):");
  for (const [label, key] of [
    ["HSET 10 fields", "hset"],
    ["HGET", "hget"],
  ]) {
    const [ours, theirs] = [spinel[key], redis[key]];
    console.log(
      `  ${label.padEnd(15)} requests/s spinel ${ours.rate.toFixed(0).padStart(7)} redis-server ${theirs.rate.toFixed(0).padStart(7)}` +
        ` ratio ${(ours.rate / theirs.rate).toFixed(2)};  server CPU us/request spinel ${ours.cpuMicros.toFixed(2)}` +
        ` redis-server ${theirs.cpuMicros.toFixed(2)} ratio ${(ours.cpuMicros / theirs.cpuMicros).toFixed(2)}`,
    );
  }
}
if (strict && ratio > TARGET_RATIO) process.exit(1);
