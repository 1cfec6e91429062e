#!/usr/bin/env node
/*
 * SET with the append-only file on: Spinel against redis-server 7 with the same
 * settings (appendonly yes, appendfsync everysec, aof-use-rdb-preamble no), each
 * in its own temp directory, measured with redis-benchmark -t set -P 16 -c 50,
 * interleaved (Spinel, Redis, Spinel, Redis ...); the best round counts for each
 * side. Prints both figures and the ratio against the target (0.6x).
 *
 * Spinel runs from dist/main.js when it was built, otherwise from the sources
 * through tsx. Both servers are stopped by PID and the temp directories removed.
 *
 *   BENCH_QUICK=1    100k requests, one round (default 500k, three rounds)
 *   BENCH_ROUNDS=n   rounds (a single round's redis-server figure varied
 *                    344k-413k req/s, Spinel's 198k-261k, between runs)
 */

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitForPong } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
const requests = quick ? 100_000 : 500_000;
const TARGET = 0.6;

const started = [];
const dirs = [];

async function start(name) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `spinel-bench-aof-${name}-`));
  dirs.push(dir);
  const common = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
  const aof = ["--appendonly", "yes", "--appendfsync", "everysec", "--aof-use-rdb-preamble", "no"];
  let child;
  if (name === "redis") {
    child = spawn("redis-server", [...common, ...aof], { stdio: "ignore" });
  } else {
    const dist = resolve(here, "../dist/main.js");
    const args = existsSync(dist)
      ? [dist]
      : ["--conditions=@spinel/source", "--import", "tsx", resolve(here, "../src/main.ts")];
    child = spawn(process.execPath, [...args, ...common, ...aof, "--loglevel", "warning"], {
      stdio: "ignore",
      cwd: resolve(here, ".."),
    });
  }
  started.push(child);
  await waitForPong(port, child, name);
  return { name, port, child };
}

function stopAll() {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  stopAll();
  process.exit(130);
});

/** requests per second of redis-benchmark SET -P 16 against a port. */
function measure(port) {
  const run = spawnSync(
    "redis-benchmark",
    [
      "-p",
      String(port),
      "-t",
      "set",
      "-P",
      "16",
      "-c",
      "50",
      "-n",
      String(requests),
      "-r",
      "100000",
      "-q",
      "--csv",
    ],
    { encoding: "utf8", timeout: 300_000 },
  );
  const line = run.stdout.split("\n").find((l) => l.startsWith('"SET"'));
  if (line === undefined) throw new Error(`redis-benchmark failed: ${run.stdout}${run.stderr}`);
  return Number(line.split(",")[1].replaceAll('"', ""));
}

try {
  const spinel = await start("spinel");
  const redis = await start("redis");
  let best = { spinel: 0, redis: 0 };
  for (let round = 0; round < rounds; round++) {
    best.spinel = Math.max(best.spinel, measure(spinel.port));
    best.redis = Math.max(best.redis, measure(redis.port));
  }
  const ratio = best.spinel / best.redis;
  const verdict = ratio >= TARGET ? "ok" : "below target";
  process.stdout.write(
    "SET -P 16 -c 50, appendonly yes, appendfsync everysec\n" +
      `  spinel ${best.spinel.toFixed(0)} req/s   redis ${best.redis.toFixed(0)} req/s   ratio ${ratio.toFixed(2)}x (target ${TARGET}x: ${verdict})\n`,
  );
  best = null;
} finally {
  stopAll();
}
