/*
 * BGREWRITEAOF without blocking the loop: the base is a point-in-time snapshot
 * written in slices across loop turns while clients are served and their writes
 * go to the incremental file opened at the rewrite's start.
 *   - INFO shows aof_rewrite_in_progress:1 while it runs, and writes made
 *     meanwhile (new keys, overwrites, deletes) all survive a restart;
 *   - BGSAVE and a rewrite at the same time answer as redis-server 7.0 does;
 *   - a kill -9 in the middle of a rewrite, with writes in flight and
 *     appendfsync always, leaves files that load every acknowledged write.
 */

import type { ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { encodeCommand } from "../support/resp-frames.js";
import { spawnSpinel, startSpinel } from "../support/servers.js";
import { makeTempDir, removeDir } from "./aof-support.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(name: string): string {
  const dir = makeTempDir(name);
  cleanups.push(() => removeDir(dir));
  return dir;
}

/** SET k:<i> value-<i> for i in [0, count), pipelined in batches of 1000. */
async function fill(port: number, count: number): Promise<void> {
  const client = await RawClient.connect(port);
  try {
    for (let start = 0; start < count; start += 1000) {
      const batch: Buffer[] = [];
      for (let i = start; i < Math.min(count, start + 1000); i++)
        batch.push(encodeCommand(["SET", `k:${i}`, `value-${i}`]));
      client.write(Buffer.concat(batch));
      for (let i = start; i < Math.min(count, start + 1000); i++) await client.read(10_000);
    }
  } finally {
    client.close();
  }
}

async function info(client: RawClient): Promise<string> {
  return (await client.call("INFO", "persistence")).toString();
}

async function waitForRewriteEnd(client: RawClient): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const text = await info(client);
    if (text.includes("aof_rewrite_in_progress:0") && text.includes("aof_rewrite_scheduled:0")) return text;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the AOF rewrite did not finish");
}

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

const KEYS = 200_000;

describe("BGREWRITEAOF in slices", () => {
  it("runs across loop turns (aof_rewrite_in_progress:1) and writes made meanwhile survive a restart", async () => {
    const dir = tempDir("aof-bg-rewrite");
    const first = await startSpinel({ dir, appendonly: "yes", appendfsync: "no" });
    cleanups.push(() => first.stop());
    await fill(first.port, KEYS);
    const client = await RawClient.connect(first.port);
    expect((await client.call("BGREWRITEAOF")).toString()).toBe(
      "+Background append only file rewriting started\r\n",
    );
    expect(await info(client)).toContain("aof_rewrite_in_progress:1");
    // Writes while the base is being written: counted only while it still runs.
    let duringRewrite = 0;
    for (let i = 0; i < 2000; i++) {
      await client.call("SET", `k:${i * 7}`, `changed-${i}`);
      await client.call("SET", `new:${i}`, `n-${i}`);
      await client.call("DEL", `k:${i * 7 + 1}`);
      if (i < 50 && (await info(client)).includes("aof_rewrite_in_progress:1")) duringRewrite = i + 1;
    }
    expect(duringRewrite).toBeGreaterThan(0);
    const after = await waitForRewriteEnd(client);
    expect(after).toContain("aof_last_bgrewrite_status:ok");
    expect(after).toMatch(/aof_rewrites:[1-9]/);
    client.close();
    const files = readdirSync(join(dir, "appendonlydir")).sort();
    expect(files).toEqual([
      "appendonly.aof.2.base.rdb",
      "appendonly.aof.2.incr.aof",
      "appendonly.aof.manifest",
    ]);
    await first.stop();

    const second = await startSpinel({ dir, appendonly: "yes" });
    cleanups.push(() => second.stop());
    const check = await RawClient.connect(second.port);
    expect((await check.call("DBSIZE")).toString()).toBe(`:${KEYS}\r\n`);
    for (const i of [0, 1, 999, 1999]) {
      expect((await check.call("GET", `k:${i * 7}`)).toString()).toBe(
        `$${`changed-${i}`.length}\r\nchanged-${i}\r\n`,
      );
      expect((await check.call("GET", `new:${i}`)).toString()).toBe(`$${`n-${i}`.length}\r\nn-${i}\r\n`);
      expect((await check.call("EXISTS", `k:${i * 7 + 1}`)).toString()).toBe(":0\r\n");
    }
    expect((await check.call("GET", `k:${KEYS - 1}`)).toString()).toBe(
      `$${`value-${KEYS - 1}`.length}\r\nvalue-${KEYS - 1}\r\n`,
    );
    check.close();
  });

  it("answers BGSAVE and BGREWRITEAOF side by side as redis-server 7.0 does", async () => {
    const dir = tempDir("aof-bg-bgsave");
    const server = await startSpinel({ dir, appendonly: "yes", appendfsync: "no" });
    cleanups.push(() => server.stop());
    await fill(server.port, KEYS);
    const client = await RawClient.connect(server.port);
    // A rewrite runs: BGSAVE is refused (or scheduled), a second rewrite is refused.
    expect((await client.call("BGREWRITEAOF")).toString()).toBe(
      "+Background append only file rewriting started\r\n",
    );
    expect((await client.call("BGSAVE")).toString()).toBe(
      "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n",
    );
    expect((await client.call("BGREWRITEAOF")).toString()).toBe(
      "-ERR Background append only file rewriting already in progress\r\n",
    );
    expect((await client.call("BGSAVE", "SCHEDULE")).toString()).toBe("+Background saving scheduled\r\n");
    await waitForRewriteEnd(client);
    // The scheduled BGSAVE runs once the rewrite is over.
    let saved = false;
    for (let i = 0; i < 600 && !saved; i++) {
      const text = await info(client);
      saved = text.includes("rdb_bgsave_in_progress:0") && readdirSync(dir).includes("dump.rdb");
      if (!saved) await new Promise((r) => setTimeout(r, 10));
    }
    expect(saved).toBe(true);

    // A BGSAVE runs: BGREWRITEAOF is scheduled, and runs when the save is over.
    expect((await client.call("BGSAVE")).toString()).toBe("+Background saving started\r\n");
    expect((await client.call("BGSAVE")).toString()).toBe("-ERR Background save already in progress\r\n");
    expect((await client.call("BGREWRITEAOF")).toString()).toBe(
      "+Background append only file rewriting scheduled\r\n",
    );
    expect(await info(client)).toContain("aof_rewrite_scheduled:1");
    const done = await waitForRewriteEnd(client);
    expect(done).toMatch(/aof_rewrites:2\r\n/);
    expect(done).toContain("aof_last_bgrewrite_status:ok");
    client.close();
  });
});

describe("kill -9 during a background rewrite", () => {
  it("leaves files that load the dataset and every acknowledged write (appendfsync always)", async () => {
    const dir = tempDir("aof-bg-kill");
    const server = await spawnSpinel(["--dir", dir, "--appendonly", "yes", "--appendfsync", "always"]);
    cleanups.push(() => killHard(server.child));
    await fill(server.port, KEYS);
    const client = await RawClient.connect(server.port);
    const acked: number[] = [];
    let sawRunning = false;
    try {
      // A few writes go in while the rewrite runs; then the kill lands in the middle
      // of it, with one more write in flight. A rewrite that ended before it was seen
      // running (a fast machine) is started again, a bounded number of times.
      for (let attempt = 0; attempt < 5 && !sawRunning; attempt++) {
        expect((await client.call("BGREWRITEAOF")).toString()).toBe(
          "+Background append only file rewriting started\r\n",
        );
        for (let n = 0; n < 3; n++) {
          const i = acked.length;
          const reply = (await client.call("SET", `w:${i}`, String(i))).toString();
          if (reply !== "+OK\r\n") throw new Error(`unexpected reply ${reply}`);
          acked.push(i);
        }
        sawRunning = (await info(client)).includes("aof_rewrite_in_progress:1");
        if (!sawRunning) await waitForRewriteEnd(client);
      }
      client.write(encodeCommand(["SET", "w:in-flight", "x"]));
      await killHard(server.child);
    } finally {
      client.close();
    }
    expect(sawRunning).toBe(true);
    const restarted = await spawnSpinel(["--dir", dir, "--appendonly", "yes"]);
    cleanups.push(() => restarted.stop());
    const check = await RawClient.connect(restarted.port);
    for (const i of acked)
      expect((await check.call("GET", `w:${i}`)).toString()).toBe(`$${String(i).length}\r\n${i}\r\n`);
    expect((await check.call("GET", `k:${KEYS - 1}`)).toString()).toBe(
      `$${`value-${KEYS - 1}`.length}\r\nvalue-${KEYS - 1}\r\n`,
    );
    const size = Number((await check.call("DBSIZE")).toString().slice(1));
    // The dataset, the acknowledged writes, and perhaps the one in flight.
    expect(size === KEYS + acked.length || size === KEYS + acked.length + 1).toBe(true);
    // The next rewrite on the restarted server completes and cleans up.
    expect((await check.call("BGREWRITEAOF")).toString()).toBe(
      "+Background append only file rewriting started\r\n",
    );
    await waitForRewriteEnd(check);
    check.close();
    expect(readdirSync(join(dir, "appendonlydir")).filter((name) => !name.startsWith("temp-")).length).toBe(
      3,
    );
  });
});
