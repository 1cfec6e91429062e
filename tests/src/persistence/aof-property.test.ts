/*
 * Property: for random command sequences (every type, TTLs that pass during the
 * run or stay far away, several databases, transactions, random pops), the
 * dataset is the same after an AOF replay, and again after BGREWRITEAOF and a
 * replay of the rewritten AOF. Seeds are fixed so a failure can be replayed.
 */

import { MemoryBackend } from "@spinel/persistence";
import { startServer } from "@spinel/server";
import { describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { chooser, generator } from "../support/seeded-random.js";
import { startSpinel } from "../support/servers.js";
import { dumpDataset, makeTempDir, removeDir } from "./aof-support.js";

/** A random command over a small key space. */
function randomCommand(pick: ReturnType<typeof chooser>): string[] {
  const { int } = pick;
  const key = `k${int(0, 9)}`;
  const other = `k${int(0, 9)}`;
  const member = `m${int(0, 20)}`;
  const number = String(int(-50, 50));
  const ttl = pick.random() < 0.5 ? String(int(1, 5)) : String(int(500_000, 900_000));
  const templates: Array<() => string[]> = [
    () => ["SET", key, `v${int(0, 999)}`],
    () => ["SET", key, `v${int(0, 999)}`, "PX", ttl],
    () => ["SET", key, "x", "KEEPTTL", "GET"],
    () => ["SETEX", key, "1000", "w"],
    () => ["INCRBY", key, number],
    () => ["INCRBYFLOAT", key, `${number}.25`],
    () => ["APPEND", key, "ab"],
    () => ["SETRANGE", key, String(int(0, 5)), "zz"],
    () => ["GETEX", key, "PX", ttl],
    () => ["GETDEL", key],
    () => ["DEL", key, other],
    () => ["PEXPIRE", key, ttl],
    () => ["EXPIRE", key, "-1"],
    () => ["PERSIST", key],
    () => ["RENAME", key, other],
    () => ["COPY", key, other, "REPLACE"],
    () => ["RPUSH", key, member, `${member}x`],
    () => ["LPUSH", key, member],
    () => ["LPOP", key],
    () => ["LMOVE", key, other, "LEFT", "RIGHT"],
    () => ["BLPOP", key, "0.01"],
    () => ["LREM", key, "0", member],
    () => ["SADD", key, member, `${int(0, 600)}`],
    () => ["SREM", key, member],
    () => ["SPOP", key],
    () => ["SPOP", key, String(int(1, 3))],
    () => ["SMOVE", key, other, member],
    () => ["SUNIONSTORE", other, key, other],
    () => ["HSET", key, member, number],
    () => ["HDEL", key, member],
    () => ["HINCRBY", key, member, number],
    () => ["HINCRBYFLOAT", key, member, "0.5"],
    () => ["ZADD", key, `${number}.5`, member],
    () => ["ZINCRBY", key, "1.5", member],
    () => ["ZPOPMIN", key],
    () => ["BZPOPMAX", key, "0.01"],
    () => ["ZREM", key, member],
    () => ["ZUNIONSTORE", other, "2", key, other],
    () => ["SELECT", String(int(0, 2))],
    () => ["SWAPDB", String(int(0, 2)), String(int(0, 2))],
    () => ["MOVE", key, String(int(0, 2))],
  ];
  return pick.pick(templates)();
}

async function runRandom(port: number, seed: number, count: number): Promise<void> {
  const pick = chooser(generator(seed));
  const client = await RawClient.connect(port);
  try {
    for (let i = 0; i < count; i++) {
      if (pick.random() < 0.05) {
        await client.call("MULTI");
        for (let j = pick.int(1, 4); j > 0; j--) await client.call(...randomCommand(pick));
        await client.call("EXEC");
      } else {
        await client.call(...randomCommand(pick));
      }
      if (pick.random() < 0.01) await client.call("FLUSHDB");
    }
    await client.call("SELECT", "0");
  } finally {
    client.close();
  }
  // Short TTLs pass: every such key is gone before the dataset is compared.
  await new Promise((r) => setTimeout(r, 50));
}

/** A server with the AOF on, on files in `dir` or on the given in-memory storage. */
async function boot(
  dir: string,
  memory: MemoryBackend | null,
): Promise<{ port: number; stop(): Promise<void> }> {
  if (memory === null) return startSpinel({ dir, appendonly: "yes" });
  const server = await startServer({ config: { dir, appendonly: "yes" }, storage: memory });
  return { port: server.port, stop: () => server.close() };
}

describe("AOF replay and rewrite give back the same dataset", () => {
  for (const backend of ["file", "memory"] as const) {
    for (const seed of [1, 2, 3, 4]) {
      it(`random sequence, seed ${seed}, ${backend} backend`, async () => {
        const dir = makeTempDir(`aof-property-${seed}`);
        const memory = backend === "memory" ? new MemoryBackend() : null;
        try {
          const first = await boot(dir, memory);
          await runRandom(first.port, seed, 600);
          const expected = await dumpDataset(first.port, 3);
          expect(new Set(expected.map((k) => k.type)).size).toBeGreaterThan(2);
          await first.stop();

          const replayed = await boot(dir, memory);
          expect(await dumpDataset(replayed.port, 3)).toEqual(expected);
          const client = await RawClient.connect(replayed.port);
          await client.call("BGREWRITEAOF");
          await new Promise((r) => setTimeout(r, 50));
          client.close();
          await replayed.stop();

          const rewritten = await boot(dir, memory);
          expect(await dumpDataset(rewritten.port, 3)).toEqual(expected);
          await rewritten.stop();
          // The memory backend really held the AOF: nothing went to the directory.
          if (memory !== null)
            expect(memory.subdirectory("appendonlydir").list().sort()).toEqual([
              "appendonly.aof.2.base.rdb",
              "appendonly.aof.2.incr.aof",
              "appendonly.aof.manifest",
            ]);
        } finally {
          removeDir(dir);
        }
      });
    }
  }
});
