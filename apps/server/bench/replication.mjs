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
 *               replica has everything.
 * Target (issue 11): the primary's throughput with one replica at least 0.6x of
 * redis-server's with one replica.
 *
 * Usage: node bench/replication.mjs
 *   BENCH_QUICK=1     200k keys and a shorter load
 *   BENCH_SOURCE=1    run Spinel from its TypeScript sources (no build needed)
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
const fromSource = process.env.BENCH_SOURCE === "1" || !existsSync(distMain);
const KEYS = quick ? 200_000 : 1_000_000;
const LOAD_REQUESTS = quick ? 500_000 : 2_000_000;
const THROUGHPUT_TARGET = 0.6;

const children = new Set();

/** Start one server (spinel or redis) on a free port; resolves with { port, child }. */
async function startServer(kind) {
  const port = await freePort();
  // Diskless sync without its default 5 s wait for more replicas: the transfer itself is measured.
  const common = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"].concat([
    "--repl-diskless-sync",
    "yes",
    "--repl-diskless-sync-delay",
    "0",
  ]);
  let child;
  if (kind === "redis") {
    child = spawn("redis-server", common, { stdio: "ignore" });
  } else {
    const entry = fromSource ? ["--conditions=@spinel/source", "--import", "tsx", sourceMain] : [distMain];
    child = spawn(process.execPath, [...entry, ...common, "--loglevel", "warning"], { stdio: "ignore" });
  }
  children.add(child);
  await waitForPong(port, child, kind);
  return { port, child };
}

/** A minimal RESP connection: send one command, read one reply (as text). */
class Connection {
  constructor(socket) {
    this.socket = socket;
    this.buffer = "";
    this.waiting = null;
    socket.on("data", (chunk) => {
      this.buffer += chunk.toString("latin1");
      this.drain();
    });
  }

  static open(port) {
    return new Promise((resolveOpen, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => resolveOpen(new Connection(socket)));
      socket.once("error", reject);
    });
  }

  /** Resolve the pending command once its whole reply is buffered. */
  drain() {
    if (this.waiting === null) return;
    const end = replyEnd(this.buffer, 0);
    if (end === -1) return;
    const reply = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end);
    const waiting = this.waiting;
    this.waiting = null;
    waiting(reply);
  }

  command(...argv) {
    return new Promise((resolveCommand) => {
      this.waiting = resolveCommand;
      this.socket.write(
        `*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`,
      );
    });
  }

  close() {
    this.socket.destroy();
  }
}

/** End offset of the RESP2 reply at `pos` in `text`, or -1 when incomplete. */
function replyEnd(text, pos) {
  const lineEnd = text.indexOf("\r\n", pos);
  if (lineEnd === -1) return -1;
  const type = text[pos];
  if (type === "+" || type === "-" || type === ":") return lineEnd + 2;
  const n = Number(text.slice(pos + 1, lineEnd));
  if (type === "$") {
    if (n < 0) return lineEnd + 2;
    return lineEnd + 2 + n + 2 <= text.length ? lineEnd + 2 + n + 2 : -1;
  }
  let at = lineEnd + 2;
  for (let i = 0; i < n; i++) {
    at = replyEnd(text, at);
    if (at === -1) return -1;
  }
  return at;
}

/** INFO replication of `connection` as a field map. */
async function replicationInfo(connection) {
  const reply = await connection.command("INFO", "replication");
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

/** Fill `connection` with KEYS string keys key:<12 digits> by pipelined MSETs. */
async function fill(port) {
  const socket = net.connect({ port, host: "127.0.0.1" });
  await new Promise((r) => socket.once("connect", r));
  let pending = 0;
  let waiting = null;
  let received = "";
  socket.on("data", (chunk) => {
    received += chunk.toString("latin1");
    let at = received.indexOf("\r\n");
    while (at !== -1) {
      pending--;
      received = received.slice(at + 2);
      at = received.indexOf("\r\n");
    }
    if (pending === 0 && waiting !== null) waiting();
  });
  const perCommand = 100;
  for (let start = 0; start < KEYS; start += perCommand * 100) {
    const parts = [];
    for (let c = start; c < Math.min(KEYS, start + perCommand * 100); c += perCommand) {
      const end = Math.min(KEYS, c + perCommand);
      parts.push(`*${1 + 2 * (end - c)}\r\n$4\r\nMSET\r\n`);
      for (let i = c; i < end; i++) {
        const key = `key:${String(i).padStart(12, "0")}`;
        parts.push(`$${key.length}\r\n${key}\r\n$8\r\nvalue:${String(i % 100).padStart(2, "0")}\r\n`);
      }
      pending++;
    }
    await new Promise((r) => {
      waiting = r;
      socket.write(parts.join(""));
    });
  }
  socket.destroy();
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

/** Measure one primary/replica pair of `kind`. */
async function measurePair(kind) {
  const primary = await startServer(kind);
  const replica = await startServer(kind);
  await fill(primary.port);
  const onPrimary = await Connection.open(primary.port);
  const onReplica = await Connection.open(replica.port);
  const primaryOffset = async () => Number((await replicationInfo(onPrimary)).get("master_repl_offset"));

  await onReplica.command("REPLICAOF", "127.0.0.1", String(primary.port));
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
  const replicaKeys = Number((await onReplica.command("DBSIZE")).slice(1));

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
  const rps = await setLoad(primary.port);
  sampling = false;
  await sampler;
  const target = await primaryOffset();
  const catchUpMs = await until(
    async () => Number((await replicationInfo(onReplica)).get("slave_repl_offset")) >= target,
    5,
    60_000,
  );
  onPrimary.close();
  onReplica.close();
  for (const server of [primary, replica]) {
    server.child.kill("SIGKILL");
    children.delete(server.child);
  }
  return { fullSyncMs, replicaKeys, rps, largestLag, catchUpMs };
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
  console.log(row("largest replica lag sampled", spinel.largestLag, redis.largestLag, "bytes"));
  console.log(row("catch-up after the load", spinel.catchUpMs, redis.catchUpMs, "ms", 1));
  console.log(`replica keys after the full sync: spinel ${spinel.replicaKeys}, redis ${redis.replicaKeys}`);
  const ratio = spinel.rps / redis.rps;
  console.log(
    `\nprimary throughput with one replica: ${ratio.toFixed(2)}x of redis-server ` +
      `(target >= ${THROUGHPUT_TARGET}x${ratio >= THROUGHPUT_TARGET ? "" : ", MISSED"})`,
  );
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  });
