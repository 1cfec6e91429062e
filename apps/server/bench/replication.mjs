#!/usr/bin/env node
/*
 * Replication: full sync time and replica lag, Spinel -> Spinel beside
 * redis-server -> redis-server, in the same run.
 *
 * For each pair (a primary and a replica, in memory, on free loopback ports):
 *   full sync   the primary holds KEYS string keys (pipelined MSETs); REPLICAOF
 *               is sent to the replica and the time until its link is up and its
 *               offset equals the primary's is measured;
 *   streaming   redis-benchmark SET -P 16 from 50 clients over 100k random keys on
 *               the primary, with the replica attached: the primary's requests
 *               per second, the largest offset difference sampled every 50 ms
 *               (primary master_repl_offset minus the replica's acknowledged
 *               offset, in bytes) and, once the load stops, the time until the
 *               replica has everything; the CPU time the primary and the replica
 *               used per request (from /proc, user + system; the machine may be
 *               shared, so the ratio of CPU per request is the steadier figure).
 * Target (issue 11): the primary's throughput with one replica at least 0.6x of
 * redis-server's with one replica.
 *
 * Usage: node bench/replication.mjs
 *   BENCH_QUICK=1     200k keys and a shorter load
 *   BENCH_SOURCE=1    run Spinel from its TypeScript sources (no build needed)
 */

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanUp, freePort, RespClient, scratchDirectory, trackProcess, waitForPong } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const distMain = resolve(here, "../dist/main.js");
const sourceMain = resolve(here, "../src/main.ts");

const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
const fromSource = process.env.BENCH_SOURCE === "1" || !existsSync(distMain);
const KEYS = quick ? 200_000 : 1_000_000;
const LOAD_REQUESTS = quick ? 500_000 : 2_000_000;
const THROUGHPUT_TARGET = 0.6;

/** Start one server (spinel or redis) on a free port; resolves with { port, child }. */
async function startServer(kind) {
  const port = await freePort();
  // Its own directory: a replica writes the RDB it receives, and nothing must be
  // loaded from an earlier run.
  const dir = scratchDirectory(`spinel-bench-repl-${kind}-`);
  // Diskless sync without its default 5 s wait for more replicas: the transfer itself is measured.
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
  ].concat(["--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"]);
  let child;
  if (kind === "redis") {
    child = spawn("redis-server", common, { stdio: "ignore" });
  } else {
    const entry = fromSource ? ["--conditions=@spinel/source", "--import", "tsx", sourceMain] : [distMain];
    child = spawn(process.execPath, [...entry, ...common, "--loglevel", "warning"], { stdio: "ignore" });
  }
  trackProcess(child);
  await waitForPong(port, child, kind);
  return { port, child };
}

/** INFO replication of `connection` as a field map. */
async function replicationInfo(connection) {
  const reply = await connection.call("INFO", "replication");
  const fields = new Map();
  for (const line of reply.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** The offset the primary's first replica acknowledged (slave0: ...,offset=N,...), or -1. */
function replicaOffset(primaryInfo) {
  const slave = primaryInfo.get("slave0");
  if (slave === undefined) return -1;
  const match = /offset=(\d+)/.exec(slave);
  return match === null ? -1 : Number(match[1]);
}

/** Fill the server behind `client` with KEYS string keys key:<12 digits> by pipelined MSETs. */
async function fill(client) {
  const perCommand = 100;
  for (let start = 0; start < KEYS; start += perCommand * 100) {
    const batch = [];
    for (let c = start; c < Math.min(KEYS, start + perCommand * 100); c += perCommand) {
      const argv = ["MSET"];
      for (let i = c; i < Math.min(KEYS, c + perCommand); i++) {
        argv.push(`key:${String(i).padStart(12, "0")}`, `value:${String(i % 100).padStart(2, "0")}`);
      }
      batch.push(argv);
    }
    for (const reply of await client.pipeline(batch)) if (reply instanceof Error) throw reply;
  }
}

/** Poll until `check` resolves true, every `everyMs`; resolves with the elapsed ms. */
async function until(check, everyMs, timeoutMs) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`not reached within ${timeoutMs} ms`);
}

/** Run redis-benchmark SET against `port` asynchronously; resolves with requests/s. */
function setLoad(port) {
  const child = spawn(
    "redis-benchmark",
    ["-h", "127.0.0.1", "-p", String(port), "-c", "50", "-n", String(LOAD_REQUESTS), "-P", "16"].concat([
      "-r",
      "100000",
      "-t",
      "set",
      "--csv",
    ]),
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  return new Promise((resolveLoad) => {
    child.once("exit", () => resolveLoad(Number(output.trim().split("\n").pop().split('","')[1])));
  });
}

/** CPU time (user + system, ms) process `pid` has used so far, from /proc/<pid>/stat. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Measure one primary/replica pair of `kind`. */
async function measurePair(kind) {
  const primary = await startServer(kind);
  const replica = await startServer(kind);
  const onPrimary = await RespClient.connect(primary.port);
  const onReplica = await RespClient.connect(replica.port);
  await fill(onPrimary);
  const primaryOffset = async () => Number((await replicationInfo(onPrimary)).get("master_repl_offset"));

  await onReplica.call("REPLICAOF", "127.0.0.1", String(primary.port));
  const fullSyncMs = await until(
    async () => {
      const info = await replicationInfo(onReplica);
      if (info.get("master_link_status") !== "up" || info.get("master_sync_in_progress") !== "0")
        return false;
      return Number(info.get("slave_repl_offset")) === (await primaryOffset());
    },
    10,
    300_000,
  );
  const replicaKeys = await onReplica.call("DBSIZE");

  let largestLag = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const info = await replicationInfo(onPrimary);
      const acked = replicaOffset(info);
      if (acked >= 0) largestLag = Math.max(largestLag, Number(info.get("master_repl_offset")) - acked);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const primaryCpuBefore = cpuMs(primary.child.pid);
  const replicaCpuBefore = cpuMs(replica.child.pid);
  const rps = await setLoad(primary.port);
  const primaryCpuUs = ((cpuMs(primary.child.pid) - primaryCpuBefore) * 1000) / LOAD_REQUESTS;
  sampling = false;
  await sampler;
  const target = await primaryOffset();
  const catchUpMs = await until(
    async () => Number((await replicationInfo(onReplica)).get("slave_repl_offset")) >= target,
    5,
    60_000,
  );
  const replicaCpuUs = ((cpuMs(replica.child.pid) - replicaCpuBefore) * 1000) / LOAD_REQUESTS;
  onPrimary.close();
  onReplica.close();
  for (const server of [primary, replica]) server.child.kill("SIGKILL");
  return { fullSyncMs, replicaKeys, rps, largestLag, catchUpMs, primaryCpuUs, replicaCpuUs };
}

async function main() {
  const spinel = await measurePair("spinel");
  const redis = await measurePair("redis");
  const row = (name, a, b, unit, digits = 0) =>
    `| ${name} | ${a.toFixed(digits)} ${unit} | ${b.toFixed(digits)} ${unit} | ${(a / b).toFixed(2)}x |`;
  console.log(`\nReplication, ${KEYS} keys; primary and replica of the same kind on this machine`);
  console.log("| measure | spinel | redis-server | ratio |");
  console.log("|---|---|---|---|");
  console.log(row(`full sync of ${KEYS} keys`, spinel.fullSyncMs, redis.fullSyncMs, "ms"));
  console.log(row("SET -P 16 on the primary, one replica", spinel.rps, redis.rps, "req/s"));
  console.log(row("primary CPU per request", spinel.primaryCpuUs, redis.primaryCpuUs, "µs", 2));
  console.log(row("replica CPU per request", spinel.replicaCpuUs, redis.replicaCpuUs, "µs", 2));
  console.log(row("largest replica lag sampled", spinel.largestLag, redis.largestLag, "bytes"));
  console.log(row("catch-up after the load", spinel.catchUpMs, redis.catchUpMs, "ms", 1));
  console.log(`replica keys after the full sync: spinel ${spinel.replicaKeys}, redis ${redis.replicaKeys}`);
  const ratio = spinel.rps / redis.rps;
  console.log(
    `\nprimary throughput with one replica: ${ratio.toFixed(2)}x of redis-server ` +
      `(target >= ${THROUGHPUT_TARGET}x${ratio >= THROUGHPUT_TARGET ? "" : ", MISSED"}); ` +
      `CPU per request: primary ${(redis.primaryCpuUs / spinel.primaryCpuUs).toFixed(2)}x, ` +
      `replica ${(redis.replicaCpuUs / spinel.replicaCpuUs).toFixed(2)}x of redis-server's efficiency`,
  );
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  })
  .finally(cleanUp);
