#!/usr/bin/env node
/*
 * Memory benchmark: bytes per key in Spinel against a real redis-server, same
 * data, same run.
 *
 * Each row starts a fresh Spinel and a fresh redis-server (in memory: no RDB, no
 * AOF, free loopback ports), reads their memory, fills them with the same data
 * through pipelined commands, lets both rest without commands (BENCH_REST_MS,
 * 15 s by default: an idle Spinel scavenges its young generation back to its
 * starting size after 6-12 s of quiet, jemalloc's dirty pages decay over 10 s),
 * and reads their memory again. A reading follows MEMORY PURGE (Spinel runs with
 * --expose-gc, so that is a full collection; redis-server purges jemalloc's dirty
 * pages) and a short pause. Columns:
 *
 *   RSS/key    growth of the process' resident set (/proc/PID/status VmRSS),
 *              divided by the keys (or elements) added: what the machine pays
 *   used/key   growth of INFO used_memory per key: what each server accounts
 *              (Spinel's cost model, Redis' allocator count)
 *   heap/key   Spinel only: growth of V8 heap used + external memory after the
 *              collection (MEMORY MALLOC-STATS), the live data itself
 *   ratio      Spinel / redis-server, for RSS and for used_memory
 *
 * Spinel's RSS growth includes fixed costs of the runtime that a fill triggers
 * (compiled code, old-generation slack; the young generation too with a rest
 * shorter than the trimmer needs): MBs spread over the keys, so the RSS column is
 * only meaningful with the full key counts, not with BENCH_QUICK.
 *
 * Rows: 1M short strings (key:N -> value:N), 1M integers, 100k hashes / sets /
 * zsets of 10 small members, 100k lists of 10 elements, one list of 1M short
 * elements (per element), 1M keys with a TTL. The target: at most 1.5x
 * redis-server's RSS per key on every row.
 *
 * Spinel runs from apps/server/dist/main.js (build first), or from the TypeScript
 * sources through tsx with BENCH_SOURCE=1.
 *
 * Usage:
 *   node bench/memory.mjs [row ...]     rows by name (strings, integers, hashes,
 *                                       sets, zsets, lists, biglist, ttl); all by default
 *   BENCH_QUICK=1                       a tenth of the keys
 *   BENCH_SOURCE=1                      run Spinel from src/ with tsx
 *   BENCH_REST_MS=15000                 quiet time after a fill before the reading
 *   BENCH_TESTS=strings,ttl             rows by name, as the arguments
 *
 * Servers are stopped by PID (also on Ctrl-C).
 */

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
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
const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
/** Quiet time after a fill before the reading (BENCH_REST_MS; see reading()). */
const REST_MS = Number(process.env.BENCH_REST_MS ?? 15_000);
const fromSource = process.env.BENCH_SOURCE === "1" || process.env.BENCH_FROM_SOURCE === "1";
const scale = quick ? 10 : 1;
/** Commands per pipelined write. */
const BATCH = 1000;

// ------------------------------------------------------------------ the rows

/** Members 0..9 of a small aggregate, as short strings. */
const SMALL = Array.from({ length: 10 }, (_, j) => `member:${j}`);

/**
 * A row: `count` units (keys, or elements for the big list), and the command
 * that adds unit i. Every unit is one command so fills pipeline alike.
 */
const ROWS = [
  {
    name: "strings",
    label: "short strings (key:N -> value:N)",
    count: 1_000_000,
    command: (i) => ["SET", `key:${i}`, `value:${i}`],
  },
  {
    name: "integers",
    label: "integers (key:N -> N)",
    count: 1_000_000,
    command: (i) => ["SET", `key:${i}`, String(i)],
  },
  {
    name: "hashes",
    label: "hashes of 10 small fields",
    count: 100_000,
    command: (i) => ["HSET", `hash:${i}`, ...SMALL.flatMap((field, j) => [field, `v${i + j}`])],
  },
  {
    name: "sets",
    label: "sets of 10 small members",
    count: 100_000,
    command: (i) => ["SADD", `set:${i}`, ...SMALL],
  },
  {
    name: "zsets",
    label: "zsets of 10 small members",
    count: 100_000,
    command: (i) => ["ZADD", `zset:${i}`, ...SMALL.flatMap((member, j) => [String(j + 1), member])],
  },
  {
    name: "lists",
    label: "lists of 10 elements",
    count: 100_000,
    command: (i) => ["RPUSH", `list:${i}`, ...SMALL.map((member) => `${member}:${i}`)],
  },
  {
    name: "biglist",
    label: "one list, 1M short elements (per element)",
    count: 1_000_000,
    command: (i) => ["RPUSH", "biglist", `element:${i}`],
  },
  {
    name: "ttl",
    label: "strings with a TTL (SET .. EX)",
    count: 1_000_000,
    command: (i) => ["SET", `key:${i}`, `value:${i}`, "EX", "100000"],
  },
];

// ------------------------------------------------------------------ servers

/** Start a fresh server `name` ("spinel" or "redis") in memory on a free port. */
async function startServer(name) {
  const port = await freePort();
  const dir = scratchDirectory(`spinel-membench-${name}-`);
  const common = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    "no",
  ];
  let child;
  if (name === "redis") {
    child = spawn("redis-server", common, { stdio: ["ignore", "ignore", "inherit"] });
  } else {
    if (!fromSource && !existsSync(distMain)) {
      throw new Error("apps/server/dist is missing: run `pnpm build` first, or set BENCH_SOURCE=1");
    }
    const script = fromSource ? ["--conditions=@spinel/source", "--import", "tsx", sourceMain] : [distMain];
    // BENCH_NODE_FLAGS: extra node flags for Spinel, e.g. "--max-semi-space-size=4" to see
    // the figures without the young generation V8 keeps committed after a fill.
    const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
    child = spawn(
      process.execPath,
      [...nodeFlags, "--expose-gc", ...script, ...common, "--loglevel", "warning"],
      {
        stdio: ["ignore", "ignore", "inherit"],
        cwd: resolve(here, ".."),
      },
    );
  }
  trackProcess(child);
  await waitForPong(port, child, name, 60_000);
  return { name, child, client: await RespClient.connect(port) };
}

// ------------------------------------------------------------------ measurements

/** Resident set size of process `pid` in bytes. */
function residentBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (kilobytes === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kilobytes[1]) * 1024;
}

function field(text, name) {
  const match = new RegExp(`^${name}:\\s*(\\d+)\\r?$`, "m").exec(text);
  return match === null ? Number.NaN : Number(match[1]);
}

/**
 * The server's memory now: after `restMs` without commands (the time an idle
 * server takes to give memory back: Spinel scavenges its young generation back to
 * size after about 6-12 s of quiet, jemalloc's dirty pages decay over 10 s), then
 * MEMORY PURGE and a short pause.
 */
async function reading(server, restMs) {
  await new Promise((r) => setTimeout(r, restMs));
  const purged = await server.client.call("MEMORY", "PURGE");
  if (purged instanceof Error) throw purged;
  await new Promise((r) => setTimeout(r, 300));
  const info = await server.client.call("INFO", "memory");
  let heap = Number.NaN;
  if (server.name === "spinel") {
    const stats = await server.client.call("MEMORY", "MALLOC-STATS");
    heap = field(stats, "used_heap_size") + field(stats, "external");
  }
  return { rss: residentBytes(server.child.pid), used: field(info, "used_memory"), heap };
}

/** Run `row`'s commands on `server`, BATCH per write; fail on any error reply. */
async function fill(server, row, count) {
  for (let start = 0; start < count; start += BATCH) {
    const commands = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) commands.push(row.command(i));
    const replies = await server.client.pipeline(commands);
    for (const reply of replies)
      if (reply instanceof Error) throw new Error(`${server.name}: ${reply.message}`);
  }
}

/** Bytes per unit of `row` on a fresh server `name`. */
async function measure(name, row, count) {
  const server = await startServer(name);
  try {
    const before = await reading(server, 0);
    await fill(server, row, count);
    const after = await reading(server, REST_MS);
    return {
      rss: (after.rss - before.rss) / count,
      used: (after.used - before.used) / count,
      heap: (after.heap - before.heap) / count,
    };
  } finally {
    await stopServer(server);
  }
}

const bytes = (value) => (Number.isNaN(value) ? "-" : value.toFixed(0));
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

async function main() {
  const filter = [...process.argv.slice(2), ...(process.env.BENCH_TESTS ?? "").split(",")].filter(Boolean);
  const rows = filter.length === 0 ? ROWS : ROWS.filter((row) => filter.includes(row.name));
  if (rows.length === 0) throw new Error(`no row named ${filter.join(", ")}`);
  console.log(
    `Memory benchmark: bytes per key (per element for biglist), Spinel${fromSource ? " (sources)" : ""} vs redis-server${quick ? ", quick: a tenth of the keys" : ""}`,
  );
  const header = [
    "row".padEnd(44),
    "count".padStart(9),
    "spinel RSS".padStart(11),
    "redis RSS".padStart(10),
    "ratio".padStart(7),
    "spinel used".padStart(12),
    "redis used".padStart(11),
    "ratio".padStart(7),
    "spinel heap".padStart(12),
  ];
  console.log(header.join(""));
  for (const row of rows) {
    const count = Math.floor(row.count / scale);
    const spinel = await measure("spinel", row, count);
    const redis = await measure("redis", row, count);
    console.log(
      [
        row.label.padEnd(44),
        count.toLocaleString("en-US").padStart(9),
        bytes(spinel.rss).padStart(11),
        bytes(redis.rss).padStart(10),
        ratio(spinel.rss, redis.rss).padStart(7),
        bytes(spinel.used).padStart(12),
        bytes(redis.used).padStart(11),
        ratio(spinel.used, redis.used).padStart(7),
        bytes(spinel.heap).padStart(12),
      ].join(""),
    );
  }
}

main()
  .then(() => cleanUp())
  .catch((error) => {
    console.error(error);
    cleanUp();
    process.exit(1);
  });
