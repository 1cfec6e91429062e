#!/usr/bin/env node
/*
 * Persistence benchmark: Spinel against a real redis-server, same data, same run.
 *
 *   SAVE          time of a synchronous SAVE of N mixed keys (strings, hashes,
 *                 lists, sets, sorted sets), and the file size
 *   LOAD          time of DEBUG RELOAD NOSAVE (drop the dataset, load the file)
 *   BGSAVE stall  while a BGSAVE of the dataset runs, one client sends GET after
 *                 GET (existing keys): the longest round trip (the longest
 *                 event-loop stall it saw) and the 99th percentile; for
 *                 redis-server the longest is the fork, also shown as
 *                 latest_fork_usec
 *   BGSAVE memory while a BGSAVE runs under a write-heavy load (one client
 *                 overwriting random existing string keys, pipelined), the
 *                 extra memory the save holds, as a share of the dataset
 *                 (used_memory_dataset before the save): the copy-on-write
 *                 figure both servers report (rdb_last_cow_size: for Spinel
 *                 the encoded copies of keys written before the save reached
 *                 them, for redis-server the fork's copied pages), and for
 *                 Spinel also the growth of RSS and of the V8 heap
 *                 (allocator_allocated) at their peak during the save over
 *                 their peak under the same load without a save
 *
 * SAVE and LOAD also show the server process' CPU time (user + system, all its
 * threads, from /proc): on a shared machine a process waits for a core, and
 * CPU time shows the work itself.
 *
 * Each measurement runs on Spinel then Redis, round after round; the best round
 * counts (noise only slows a run down). Ratios are Spinel / Redis (lower is
 * better for times); the targets are SAVE and LOAD at most 2x, stall under 10 ms,
 * extra memory during a BGSAVE under writes under 20% of the dataset.
 *
 * Spinel runs from apps/server/dist/main.js (build first), or from the TypeScript
 * sources through tsx with BENCH_FROM_SOURCE=1.
 *
 * Usage:
 *   node bench/persistence.mjs
 *   BENCH_KEYS=1000000      keys (default 1,000,000; 200,000 with BENCH_QUICK=1)
 *   BENCH_ROUNDS=3          rounds per measurement (default 3, 1 with BENCH_QUICK=1)
 *   BENCH_QUICK=1           fewer keys, one round
 *   BENCH_FROM_SOURCE=1     run Spinel from src/ with tsx
 *
 * Both servers run in temp directories removed at the end, and are stopped by PID
 * (also on Ctrl-C).
 */

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  cleanUp,
  freePort,
  RespClient,
  scratchDirectory,
  stopServer,
  trackProcess,
  waitForPong,
} from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const distMain = resolve(here, "../dist/main.js");
const sourceMain = resolve(here, "../src/main.ts");
const quick = process.env.BENCH_QUICK === "1";
const fromSource = process.env.BENCH_FROM_SOURCE === "1";
const KEYS = Number(process.env.BENCH_KEYS ?? (quick ? 200_000 : 1_000_000));
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));

// ------------------------------------------------------------------ servers

async function startServer(name) {
  const port = await freePort();
  const dir = scratchDirectory(`spinel-bench-${name}-`);
  const common = ["--port", String(port), "--dir", dir, "--save", "", "--enable-debug-command", "yes"];
  let child;
  if (name === "redis") {
    child = spawn("redis-server", [...common, "--appendonly", "no", "--bind", "127.0.0.1"], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  } else {
    if (!fromSource && !existsSync(distMain)) {
      throw new Error("apps/server/dist is missing: run `pnpm build` first, or set BENCH_FROM_SOURCE=1");
    }
    const args = fromSource ? ["--conditions=@spinel/source", "--import", "tsx", sourceMain] : [distMain];
    child = spawn(process.execPath, [...args, ...common, "--bind", "127.0.0.1", "--loglevel", "warning"], {
      stdio: ["ignore", "ignore", "inherit"],
      cwd: resolve(here, ".."),
    });
  }
  trackProcess(child);
  await waitForPong(port, child, name, 120_000); // a start-up that loads a big RDB file takes a while
  return { name, port, dir, child, client: await RespClient.connect(port) };
}

// ------------------------------------------------------------------ the dataset

/** The commands that build key i of the mixed dataset (70% strings, 30% aggregates). */
function commandsFor(i) {
  const kind = i % 10;
  if (kind < 7) return [["SET", `string:${i}`, `value-${i}-${"x".repeat(i % 40)}`]];
  if (kind === 7) return [["HSET", `hash:${i}`, "name", `n${i}`, "count", String(i), "flag", "1"]];
  if (kind === 8) return [["RPUSH", `list:${i}`, "a", "b", String(i), "d"]];
  return i % 20 === 9
    ? [["SADD", `set:${i}`, "1", "2", String(i)]]
    : [["ZADD", `zset:${i}`, "1", "a", "2.5", "b", String(i), "c"]];
}

async function fill(client) {
  const batch = 5000;
  for (let start = 0; start < KEYS; start += batch) {
    const commands = [];
    for (let i = start; i < Math.min(KEYS, start + batch); i++) commands.push(...commandsFor(i));
    await client.pipeline(commands);
  }
  const size = await client.call("DBSIZE");
  if (size !== KEYS) throw new Error(`expected ${KEYS} keys, found ${size}`);
}

// ------------------------------------------------------------------ measurements

/** Clock ticks per second of /proc/<pid>/stat's times (usually 100). */
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/** CPU time (user + system, ms) `pid` has used so far, or NaN where /proc is missing. */
function cpuMs(pid) {
  try {
    // The fields after the command name (which may hold spaces) start at ") ".
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Run one command on `server`: its round-trip time and the CPU time the server used meanwhile (ms). */
async function timed(server, ...argv) {
  const cpuBefore = cpuMs(server.child.pid);
  const started = performance.now();
  const reply = await server.client.call(...argv);
  if (reply instanceof Error) throw reply;
  return { ms: performance.now() - started, cpu: cpuMs(server.child.pid) - cpuBefore };
}

function infoField(info, name) {
  return new RegExp(`^${name}:(.*)\\r?$`, "m").exec(info)?.[1];
}

/** BGSAVE with a GET probe: longest and p99 round trip while it runs. */
async function bgsaveStall(server) {
  const probe = await RespClient.connect(server.port);
  const watcher = await RespClient.connect(server.port);
  const latencies = [];
  let running = true;
  const probing = (async () => {
    while (running) {
      const started = performance.now();
      await probe.call("GET", `string:${((latencies.length * 7919) % Math.ceil(KEYS / 10)) * 10}`);
      latencies.push(performance.now() - started);
    }
  })();
  const started = performance.now();
  const reply = await server.client.call("BGSAVE");
  if (reply instanceof Error) throw reply;
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    if (infoField(await watcher.call("INFO", "persistence"), "rdb_bgsave_in_progress") === "0") break;
  }
  const total = performance.now() - started;
  running = false;
  await probing;
  const stats = await watcher.call("INFO", "stats");
  probe.close();
  watcher.close();
  latencies.sort((a, b) => a - b);
  return {
    total,
    max: latencies.at(-1) ?? 0,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    pings: latencies.length,
    forkUsec: Number(infoField(stats, "latest_fork_usec") ?? Number.NaN),
  };
}

/** The INFO fields `names` as numbers, from one INFO call of `sections`. */
async function infoNumbers(client, sections, names) {
  const info = await client.call("INFO", ...sections);
  return Object.fromEntries(names.map((name) => [name, Number(infoField(info, name) ?? Number.NaN)]));
}

/**
 * Overwrite random existing string keys (same value sizes, so the dataset stays
 * the same) in pipelined batches until stop() is called; resolves with the
 * number of writes.
 */
function writeLoad(client) {
  let running = true;
  let writes = 0;
  const done = (async () => {
    while (running) {
      const commands = [];
      for (let j = 0; j < 100; j++) {
        const i = Math.floor(Math.random() * (KEYS / 10)) * 10; // kind 0: a string key
        commands.push(["SET", `string:${i}`, `value-${i}-${"y".repeat(i % 40)}`]);
      }
      await client.pipeline(commands);
      writes += commands.length;
    }
    return writes;
  })();
  return {
    stop: () => {
      running = false;
      return done;
    },
  };
}

/** Peaks of RSS and V8 heap (Spinel's allocator_allocated) sampled every 20 ms while `until` is pending. */
async function samplePeaks(watcher, until) {
  const peak = { rss: 0, heap: 0 };
  let pending = true;
  until.finally(() => {
    pending = false;
  });
  while (pending) {
    const now = await infoNumbers(watcher, ["memory"], ["used_memory_rss", "allocator_allocated"]);
    peak.rss = Math.max(peak.rss, now.used_memory_rss);
    peak.heap = Math.max(peak.heap, now.allocator_allocated || 0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return peak;
}

/**
 * The extra memory of a BGSAVE under a write-heavy load: baseline peaks under
 * the load for as long as a save takes, then the peaks and the copy-on-write
 * figure during a save under the same load.
 */
async function bgsaveMemory(server, saveMs) {
  const writer = await RespClient.connect(server.port);
  const watcher = await RespClient.connect(server.port);
  const before = await infoNumbers(watcher, ["memory"], ["used_memory", "used_memory_dataset"]);
  const baselineLoad = writeLoad(writer);
  const baseline = await samplePeaks(watcher, new Promise((r) => setTimeout(r, Math.max(1000, saveMs))));
  await baselineLoad.stop();
  const load = writeLoad(writer);
  const reply = await server.client.call("BGSAVE");
  if (reply instanceof Error) throw reply;
  const saving = (async () => {
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      const info = await server.client.call("INFO", "persistence");
      if (infoField(info, "rdb_bgsave_in_progress") === "0") return;
    }
  })();
  const during = await samplePeaks(watcher, saving);
  const writes = await load.stop();
  const after = await infoNumbers(watcher, ["persistence"], ["rdb_last_cow_size", "rdb_last_bgsave_status"]);
  writer.close();
  watcher.close();
  return {
    dataset: before.used_memory_dataset,
    used: before.used_memory,
    cow: after.rdb_last_cow_size,
    rssGrowth: during.rss - baseline.rss,
    heapGrowth: during.heap - baseline.heap,
    writes,
  };
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const pct = (part, whole) => `${((part / whole) * 100).toFixed(1)}%`;

async function main() {
  console.log(`Persistence benchmark: ${KEYS.toLocaleString("en-US")} mixed keys, ${rounds} round(s)`);
  const servers = [await startServer("spinel"), await startServer("redis")];
  try {
    for (const server of servers) await fill(server.client);
    const best = { spinel: {}, redis: {} };
    const keep = (name, field, value, better = Math.min) => {
      best[name][field] = best[name][field] === undefined ? value : better(best[name][field], value);
    };
    for (let round = 0; round < rounds; round++) {
      for (const server of servers) {
        // BGSAVE first: the garbage a reload leaves behind would be collected during it.
        await new Promise((r) => setTimeout(r, 500));
        const stall = await bgsaveStall(server);
        keep(server.name, "stallMax", stall.max);
        keep(server.name, "stallP99", stall.p99);
        keep(server.name, "bgsave", stall.total);
        if (!Number.isNaN(stall.forkUsec)) keep(server.name, "fork", stall.forkUsec / 1000);
        keep(server.name, "bytes", statSync(join(server.dir, "dump.rdb")).size, Math.max);
        const save = await timed(server, "SAVE");
        keep(server.name, "save", save.ms);
        keep(server.name, "saveCpu", save.cpu);
        const load = await timed(server, "DEBUG", "RELOAD", "NOSAVE");
        keep(server.name, "load", load.ms);
        keep(server.name, "loadCpu", load.cpu);
      }
    }
    // The write load changes the data: measured once per server, after the timings.
    const memory = {};
    for (const server of servers) {
      await new Promise((r) => setTimeout(r, 500));
      memory[server.name] = await bgsaveMemory(server, best[server.name].bgsave);
    }
    const rows = [
      ["SAVE", "save"],
      ["SAVE, server CPU time", "saveCpu"],
      ["LOAD (DEBUG RELOAD NOSAVE)", "load"],
      ["LOAD, server CPU time", "loadCpu"],
      ["BGSAVE total", "bgsave"],
      ["BGSAVE longest GET round trip", "stallMax"],
      ["BGSAVE p99 GET round trip", "stallP99"],
    ];
    console.log(
      `${"measure".padEnd(32)}${"spinel".padStart(14)}${"redis".padStart(14)}${"ratio".padStart(9)}`,
    );
    for (const [label, field] of rows) {
      const s = best.spinel[field];
      const r = best.redis[field];
      console.log(
        `${label.padEnd(32)}${fmt(s).padStart(14)}${fmt(r).padStart(14)}${`${(s / r).toFixed(2)}x`.padStart(9)}`,
      );
    }
    if (best.redis.fork !== undefined)
      console.log(`redis-server fork (latest_fork_usec): ${fmt(best.redis.fork)}`);
    console.log(`file size: spinel ${best.spinel.bytes} bytes, redis ${best.redis.bytes} bytes`);
    const s = memory.spinel;
    const r = memory.redis;
    console.log("BGSAVE under writes (extra memory as a share of used_memory_dataset):");
    console.log(
      `  spinel: dataset ${s.dataset} bytes; copy-on-write (preserved) peak ${s.cow} bytes = ${pct(s.cow, s.dataset)}; ` +
        `RSS peak growth ${s.rssGrowth} bytes = ${pct(s.rssGrowth, s.dataset)}; V8 heap peak growth ${s.heapGrowth} bytes = ${pct(s.heapGrowth, s.dataset)}; ${s.writes} writes`,
    );
    console.log(
      `  redis:  dataset ${r.dataset} bytes; copy-on-write (rdb_last_cow_size) ${r.cow} bytes = ${pct(r.cow, r.dataset)}; ${r.writes} writes`,
    );
  } finally {
    await Promise.all(servers.map(stopServer));
    cleanUp();
  }
}

main().catch((error) => {
  console.error(error);
  cleanUp();
  process.exit(1);
});
