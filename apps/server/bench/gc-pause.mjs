#!/usr/bin/env node
/*
 * Garbage-collection pauses of Spinel with a million keys loaded.
 *
 * Node's collector stops the event loop: a young-generation scavenge briefly, a
 * full mark-compact for its final atomic pause. Every client waits while it runs,
 * so the longest pause is a latency floor no command can beat. This bench starts
 * Spinel with V8's --trace-gc, fills it with 1M string keys (key:<12 digits> ->
 * a 3-byte value, the names redis-benchmark uses), then drives a write-heavy and
 * a read-heavy load over the whole keyspace with redis-benchmark (SET and GET,
 * -r 1000000, 16-deep pipelines, 50 clients) and reads every pause V8 reports
 * during the loads.
 *
 * Target: no full-GC (mark-compact) pause above 20 ms. redis-server has no
 * collector; its longest stall under the same load is not comparable here, so
 * only Spinel's pauses are shown.
 *
 * Usage: node bench/gc-pause.mjs
 *   BENCH_QUICK=1     300k keys and shorter loads
 *   BENCH_SOURCE=1    run Spinel from its TypeScript sources (no build needed)
 *   BENCH_STRICT=1    exit 1 when the target is missed
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, RespClient, waitForPong } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const distMain = resolve(here, "../dist/main.js");
const sourceMain = resolve(here, "../src/main.ts");

const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
const strict = process.env.BENCH_STRICT === "1";
const fromSource = process.env.BENCH_SOURCE === "1" || !existsSync(distMain);

const KEYS = quick ? 300_000 : 1_000_000;
const LOAD_REQUESTS = quick ? 1_000_000 : 4_000_000;
const FULL_GC_TARGET_MS = 20;

/**
 * One line of --trace-gc output, e.g.
 * `[pid:0x...]  12439 ms: Scavenge 79.3 (146.2) -> 70.9 (146.2) MB, 39.83 / 0.00 ms ...`:
 * the kind and the main-thread pause (the first figure after "MB,").
 */
const TRACE_LINE = /\d+ ms: (Scavenge|Mark-Compact|Minor Mark-Compact)\b.*?MB, ([0-9.]+) \/ /;

/** Fill the server on `port` with KEYS string keys by pipelined MSETs over one connection. */
async function preload(port) {
  const client = await RespClient.connect(port);
  const perCommand = 100;
  for (let start = 0; start < KEYS; start += perCommand * 100) {
    const batch = [];
    for (let c = start; c < Math.min(KEYS, start + perCommand * 100); c += perCommand) {
      const argv = ["MSET"];
      for (let i = c; i < Math.min(KEYS, c + perCommand); i++)
        argv.push(`key:${String(i).padStart(12, "0")}`, "xxx");
      batch.push(argv);
    }
    for (const reply of await client.pipeline(batch)) if (reply instanceof Error) throw reply;
  }
  client.close();
}

/**
 * Run redis-benchmark `test` against `port` over the whole keyspace; resolves
 * with requests per second. Asynchronous, so that the server's trace lines are
 * read while the load runs.
 */
function load(port, test) {
  const args = ["-h", "127.0.0.1", "-p", String(port), "-c", "50", "-n", String(LOAD_REQUESTS), "-P", "16"];
  const child = spawn("redis-benchmark", [...args, "-r", String(KEYS), "-t", test, "--csv"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let errors = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (errors += chunk));
  return new Promise((resolveLoad, reject) => {
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`redis-benchmark failed: ${errors}`));
      else resolveLoad(Number(output.trim().split("\n").pop().split('","')[1]));
    });
  });
}

async function main() {
  const port = await freePort();
  const serverArgs = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const nodeArgs = fromSource
    ? ["--trace-gc", "--conditions=@spinel/source", "--import", "tsx", sourceMain]
    : ["--trace-gc", distMain];
  // V8 prints its trace through C stdio, block-buffered on a pipe: stdbuf makes it
  // line-buffered so that each pause is read while its phase runs.
  const child = spawn(
    "stdbuf",
    ["-oL", process.execPath, ...nodeArgs, ...serverArgs, "--loglevel", "warning"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  /** Pauses reported while `phase` is not null. */
  let phase = null;
  const pauses = [];
  let partial = "";
  child.stdout.on("data", (chunk) => {
    partial += chunk.toString("latin1");
    const lines = partial.split("\n");
    partial = lines.pop();
    for (const line of lines) {
      const match = TRACE_LINE.exec(line);
      if (match !== null && phase !== null) pauses.push({ phase, kind: match[1], ms: Number(match[2]) });
    }
  });
  const stop = () => {
    if (child.exitCode === null) process.kill(child.pid, "SIGKILL");
  };
  process.on("SIGINT", () => {
    stop();
    process.exit(130);
  });
  try {
    await waitForPong(port, child, "spinel");
    const fillStarted = Date.now();
    phase = "fill";
    await preload(port);
    console.log(`spinel pid ${child.pid}: ${KEYS} keys loaded in ${Date.now() - fillStarted} ms`);
    for (const test of ["set", "get"]) {
      phase = test.toUpperCase();
      const rps = await load(port, test);
      console.log(`${phase} -P 16 -r ${KEYS}: ${(rps / 1000).toFixed(1)}k requests/s`);
    }
    phase = null;
    // Let the last trace lines arrive.
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    stop();
  }

  console.log("\n| phase | scavenges | longest scavenge ms | full GCs | longest full GC ms |");
  console.log("|-------|-----------|---------------------|----------|--------------------|");
  let longestFull = 0;
  for (const name of ["fill", "SET", "GET"]) {
    const inPhase = pauses.filter((p) => p.phase === name);
    const scavenges = inPhase.filter((p) => p.kind !== "Mark-Compact");
    const full = inPhase.filter((p) => p.kind === "Mark-Compact");
    const longest = (list) => (list.length === 0 ? 0 : Math.max(...list.map((p) => p.ms)));
    if (name !== "fill") longestFull = Math.max(longestFull, longest(full));
    console.log(
      `| ${name} | ${scavenges.length} | ${longest(scavenges).toFixed(1)} | ${full.length} | ${longest(full).toFixed(1)} |`,
    );
  }
  const ok = longestFull <= FULL_GC_TARGET_MS;
  console.log(
    `\nlongest full-GC pause under load with ${KEYS} keys: ${longestFull.toFixed(1)} ms ` +
      `(target <= ${FULL_GC_TARGET_MS} ms${ok ? "" : ", MISSED"})`,
  );
  if (strict && !ok) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
