/*
 * Crash tests on a real spinel-server process: kill -9 while clients write, then
 * restart on the same appendonlydir.
 *   - appendfsync always: every acknowledged write is there after the restart;
 *   - appendfsync everysec: what is missing was acknowledged in the last two
 *     seconds before the kill (a kill -9 keeps what reached the OS, so in
 *     practice nothing is missing; a power loss is what the policy is about);
 *   - a kill during BGREWRITEAOF leaves files that load to the whole dataset;
 *   - the temp files such a kill leaves are removed at the next start.
 */

import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { encodeCommand } from "../support/resp-frames.js";
import { spawnSpinel } from "../support/servers.js";
import { makeTempDir, removeDir } from "./aof-support.js";

/** kill -9 and wait for the exit. */
function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/**
 * Write SET w:<i> <i> in pipelined batches until `killAfterMs`, then kill -9 the
 * server while a batch is in flight. Returns when each acknowledged key was
 * acknowledged (ms since the epoch) and when the kill happened.
 */
async function writeUntilKilled(
  port: number,
  child: ChildProcess,
  killAfterMs: number,
): Promise<{ acked: Map<number, number>; killedAt: number }> {
  const client = await RawClient.connect(port);
  const acked = new Map<number, number>();
  const started = Date.now();
  let next = 0;
  let killedAt = 0;
  try {
    for (;;) {
      const batch: number[] = [];
      for (let i = 0; i < 20; i++) batch.push(next++);
      client.write(Buffer.concat(batch.map((i) => encodeCommand(["SET", `w:${i}`, String(i)]))));
      if (Date.now() - started >= killAfterMs) {
        killedAt = Date.now();
        await killHard(child);
      }
      for (const i of batch) {
        const reply = await client.read(5000);
        if (reply.toString() !== "+OK\r\n") throw new Error(`unexpected reply ${reply}`);
        acked.set(i, Date.now());
      }
      if (killedAt !== 0) break;
    }
  } catch {
    // The connection died with the server: the batch in flight is not acknowledged.
  } finally {
    client.close();
  }
  return { acked, killedAt };
}

/** The values of w:<i> for the given indexes on a server (MGET in chunks). */
async function readBack(port: number, indexes: number[]): Promise<Set<number>> {
  const client = await RawClient.connect(port);
  const present = new Set<number>();
  try {
    for (let start = 0; start < indexes.length; start += 500) {
      const chunk = indexes.slice(start, start + 500);
      const reply = (await client.call("MGET", ...chunk.map((i) => `w:${i}`))).toString("latin1");
      const values = reply.split("\r\n").filter((line, n) => n > 0 && !line.startsWith("$") && line !== "");
      for (const value of values) present.add(Number(value));
    }
  } finally {
    client.close();
  }
  return present;
}

describe("kill -9 with the AOF", () => {
  it("appendfsync always loses no acknowledged write", async () => {
    const dir = makeTempDir("aof-always");
    try {
      const server = await spawnSpinel(["--dir", dir, "--appendonly", "yes", "--appendfsync", "always"]);
      const { acked } = await writeUntilKilled(server.port, server.child, 1500);
      expect(acked.size).toBeGreaterThan(100);
      const restarted = await spawnSpinel(["--dir", dir, "--appendonly", "yes"]);
      try {
        const present = await readBack(restarted.port, [...acked.keys()]);
        const missing = [...acked.keys()].filter((i) => !present.has(i));
        expect(missing).toEqual([]);
      } finally {
        await restarted.stop();
      }
    } finally {
      removeDir(dir);
    }
  });

  it("appendfsync everysec loses at most the last two seconds", async () => {
    const dir = makeTempDir("aof-everysec");
    try {
      const server = await spawnSpinel(["--dir", dir, "--appendonly", "yes", "--appendfsync", "everysec"]);
      const { acked, killedAt } = await writeUntilKilled(server.port, server.child, 3000);
      expect(acked.size).toBeGreaterThan(100);
      const restarted = await spawnSpinel(["--dir", dir, "--appendonly", "yes"]);
      try {
        const present = await readBack(restarted.port, [...acked.keys()]);
        const missingOld = [...acked.entries()].filter(([i, at]) => !present.has(i) && killedAt - at > 2000);
        expect(missingOld).toEqual([]);
      } finally {
        await restarted.stop();
      }
    } finally {
      removeDir(dir);
    }
  });

  it("a kill during BGREWRITEAOF leaves files that load the whole dataset", async () => {
    const dir = makeTempDir("aof-rewrite-kill");
    const keys = 100_000;
    try {
      let server = await spawnSpinel(["--dir", dir, "--appendonly", "yes", "--appendfsync", "no"]);
      const client = await RawClient.connect(server.port);
      for (let start = 0; start < keys; start += 1000) {
        const batch: Buffer[] = [];
        for (let i = start; i < start + 1000; i++) batch.push(encodeCommand(["SET", `k:${i}`, `value-${i}`]));
        client.write(Buffer.concat(batch));
        for (let i = 0; i < 1000; i++) await client.read(10_000);
      }
      client.close();
      for (const delay of [0, 30, 120]) {
        const c = await RawClient.connect(server.port);
        c.write(encodeCommand(["BGREWRITEAOF"]));
        await new Promise((r) => setTimeout(r, delay));
        c.close();
        await killHard(server.child);
        server = await spawnSpinel(["--dir", dir, "--appendonly", "yes", "--appendfsync", "no"]);
        const check = await RawClient.connect(server.port);
        expect((await check.call("DBSIZE")).toString()).toBe(`:${keys}\r\n`);
        expect((await check.call("GET", `k:${keys - 1}`)).toString()).toBe(
          `$${`value-${keys - 1}`.length}\r\nvalue-${keys - 1}\r\n`,
        );
        check.close();
      }
      await server.stop();
    } finally {
      removeDir(dir);
    }
  });

  it("removes the temp files a kill during BGREWRITEAOF left at the next start", async () => {
    const dir = makeTempDir("aof-rewrite-temp");
    const keys = 200_000;
    const aofDir = join(dir, "appendonlydir");
    const tempBase = join(aofDir, "temp-rewriteaof-appendonly.aof.aof");
    const tempManifest = join(aofDir, "temp-appendonly.aof.manifest");
    try {
      let server = await spawnSpinel(["--dir", dir, "--appendonly", "yes", "--appendfsync", "no"]);
      const client = await RawClient.connect(server.port);
      for (let start = 0; start < keys; start += 1000) {
        const batch: Buffer[] = [];
        for (let i = start; i < start + 1000; i++) batch.push(encodeCommand(["SET", `k:${i}`, `value-${i}`]));
        client.write(Buffer.concat(batch));
        for (let i = 0; i < 1000; i++) await client.read(10_000);
      }
      // The reply comes once the rewrite has opened its temp base; the base takes
      // many loop turns to write, so the kill lands while the temp file exists.
      expect((await client.call("BGREWRITEAOF")).toString()).toMatch(
        /^\+Background append only file rewriting/,
      );
      client.close();
      await killHard(server.child);
      expect(existsSync(tempBase)).toBe(true);
      // A manifest switch cut short leaves its temp manifest: plant one too.
      writeFileSync(tempManifest, "file appendonly.aof.9.base.rdb seq 9 type b\n");
      server = await spawnSpinel(["--dir", dir, "--appendonly", "yes", "--appendfsync", "no"]);
      try {
        expect(readdirSync(aofDir).filter((name) => name.startsWith("temp-"))).toEqual([]);
        const check = await RawClient.connect(server.port);
        expect((await check.call("DBSIZE")).toString()).toBe(`:${keys}\r\n`);
        check.close();
      } finally {
        await server.stop();
      }
    } finally {
      removeDir(dir);
    }
  });
});
