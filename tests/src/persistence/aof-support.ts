/*
 * Support for the AOF tests: temp directories, a redis-server with appendonly on
 * in a given directory, reading an appendonlydir back into commands, and
 * normalising absolute deadlines so that two runs a few milliseconds apart
 * compare equal.
 */

import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReplyDecoder, RequestParser } from "@spinel/resp";
import { RawClient } from "../support/raw-client.js";
import { freePort, spawnRedisServer, waitForPing } from "../support/servers.js";

/** A fresh temp directory; remove it with removeDir(). */
export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `spinel-${prefix}-`));
}

/** Remove a temp directory made by makeTempDir(). */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A child process serving on a port. */
export interface ChildServer {
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM (or the given signal), then wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Wait for a child to exit (after a signal), at most 10 s, then SIGKILL it. */
export function waitForExit(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Start redis-server 7.0 with appendonly yes in `dir` (extra arguments appended). */
export async function startRedisAof(dir: string, extraArgs: readonly string[] = []): Promise<ChildServer> {
  const port = await freePort();
  const { child, output } = spawnRedisServer(port, ["--dir", dir, "--appendonly", "yes", ...extraArgs]);
  await waitForPing(port, child, "redis-server", output, 15_000);
  return { port, child, output, stop: (signal) => waitForExit(child, signal) };
}

/** Every command in a RESP command file (an AOF), as latin1 string arrays. */
export function parseCommands(bytes: Buffer): string[][] {
  const parser = new RequestParser({ limits: { maxBulkLength: 1 << 30, maxMultibulkLength: 1 << 30 } });
  parser.feed(bytes);
  const out: string[][] = [];
  for (;;) {
    const argv = parser.next();
    if (argv === null) break;
    out.push(argv.map((a) => a.toString("latin1")));
  }
  return out;
}

/** The commands of the incremental files of an appendonlydir, in manifest order. */
export function readIncrCommands(aofDir: string): string[][] {
  const manifestName = readdirSync(aofDir).find((name) => name.endsWith(".manifest"));
  if (manifestName === undefined) throw new Error(`no manifest in ${aofDir}`);
  const manifest = readFileSync(join(aofDir, manifestName), "latin1");
  const out: string[][] = [];
  for (const line of manifest.split("\n")) {
    const words = line.trim().split(" ");
    if (words[0] !== "file" || words[5] !== "i") continue;
    out.push(...parseCommands(readFileSync(join(aofDir, words[1]!))));
  }
  return out;
}

/**
 * Replace absolute millisecond deadlines near `base` (after PXAT, PEXPIREAT's
 * third argument) by "T+<seconds>", rounded to ten seconds, so that two servers that ran the
 * same script a few milliseconds apart compare equal. Far deadlines stay as is.
 */
export function normaliseDeadlines(commands: string[][], base: number): string[][] {
  const near = (text: string) => {
    const ms = Number(text);
    return Number.isFinite(ms) && Math.abs(ms - base) < 1e8
      ? `T+${Math.round((ms - base) / 10_000) * 10}s`
      : text;
  };
  return commands.map((argv) => {
    const out = argv.slice();
    const name = out[0]!.toLowerCase();
    if (name === "pexpireat" && out.length >= 3) out[2] = near(out[2]!);
    for (let i = 1; i + 1 < out.length; i++)
      if (out[i]!.toLowerCase() === "pxat") out[i + 1] = near(out[i + 1]!);
    return out;
  });
}

/** One key of a dataset dump: database, key, type, value (normalised), absolute deadline or -1. */
export interface DumpedKey {
  readonly db: number;
  readonly key: string;
  readonly type: string;
  readonly value: unknown;
  readonly deadline: number;
}

/**
 * A stream in a comparable form: its entries, its XINFO STREAM figures (length,
 * last / first / max deleted ID, entries added), and per group its XINFO GROUPS
 * figures and pending entries (ID, consumer, delivery count; idle times left out,
 * they move with the clock).
 */
async function dumpStream(
  call: (...argv: string[]) => Promise<unknown>,
  text: (value: unknown) => string,
  key: string,
): Promise<unknown> {
  const flatten = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(flatten) : value === null ? null : text(value);
  const entries = flatten(await call("XRANGE", key, "-", "+"));
  const info = flatten(await call("XINFO", "STREAM", key)) as string[];
  const figures: string[] = [];
  for (const name of [
    "length",
    "last-generated-id",
    "max-deleted-entry-id",
    "entries-added",
    "recorded-first-entry-id",
  ]) {
    figures.push(`${name}=${info[info.indexOf(name) + 1]}`);
  }
  const groups: unknown[] = [];
  for (const group of flatten(await call("XINFO", "GROUPS", key)) as string[][]) {
    const name = group[group.indexOf("name") + 1]!;
    const pending = (flatten(await call("XPENDING", key, name, "-", "+", "1000")) as string[][]).map(
      ([id, consumer, , deliveries]) => [id, consumer, deliveries],
    );
    const consumers = (flatten(await call("XINFO", "CONSUMERS", key, name)) as string[][]).map(
      (consumer) => consumer[consumer.indexOf("name") + 1],
    );
    groups.push({ group, pending, consumers });
  }
  return { entries, figures, groups };
}

/**
 * Every key of every database (0..databases-1) of the server on `port`, sorted,
 * with its value in a comparable form and its absolute deadline (PEXPIRETIME),
 * through one raw connection. Sets and hashes are sorted; lists and sorted sets
 * keep their order.
 */
export async function dumpDataset(port: number, databases = 16): Promise<DumpedKey[]> {
  const client = await RawClient.connect(port);
  const call = async (...argv: string[]): Promise<unknown> => {
    const frame = await client.call(...argv);
    const decoder = new ReplyDecoder();
    decoder.feed(frame);
    return decoder.next();
  };
  const text = (value: unknown): string =>
    Buffer.isBuffer(value) ? value.toString("latin1") : String(value);
  const out: DumpedKey[] = [];
  try {
    for (let db = 0; db < databases; db++) {
      await call("SELECT", String(db));
      const keys = ((await call("KEYS", "*")) as unknown[]).map(text).sort();
      for (const key of keys) {
        const type = text(await call("TYPE", key));
        let value: unknown;
        if (type === "string") value = text(await call("GET", key));
        else if (type === "list") value = ((await call("LRANGE", key, "0", "-1")) as unknown[]).map(text);
        else if (type === "set") value = ((await call("SMEMBERS", key)) as unknown[]).map(text).sort();
        else if (type === "hash") {
          const flat = ((await call("HGETALL", key)) as unknown[]).map(text);
          const pairs: string[] = [];
          for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
          value = pairs.sort();
        } else if (type === "zset") {
          value = ((await call("ZRANGE", key, "0", "-1", "WITHSCORES")) as unknown[]).map(text);
        } else if (type === "stream") {
          value = await dumpStream(call, text, key);
        } else value = `<${type}>`;
        const deadline = Number(await call("PEXPIRETIME", key));
        out.push({ db, key, type, value, deadline });
      }
    }
    await call("SELECT", "0");
  } finally {
    client.close();
  }
  return out;
}
