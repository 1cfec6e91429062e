/*
 * Streams through the RDB and DUMP/RESTORE, against a real redis-server 7.0:
 *   - redis-server builds streams of every shape (several nodes, small and large
 *     entries, XDEL, exact and approximate trims, XSETID, empty streams, groups
 *     with consumers, pending entries, claims and acknowledgements) and SAVEs;
 *     Spinel starts on the file and XRANGE, XINFO STREAM FULL, XINFO GROUPS,
 *     XINFO CONSUMERS and XPENDING agree (idle times masked; absolute times come
 *     from the file, so they compare as they are);
 *   - Spinel builds the same streams, SAVEs, redis-check-rdb accepts the file and
 *     redis-server started on it agrees with Spinel;
 *   - DUMP payloads of streams restore in the other server, both ways, and
 *     DUMP payloads written without compression are redis-server's, byte for byte;
 *   - DEBUG RELOAD keeps streams with groups;
 *   - BGSAVE stays point-in-time while streams are written during the save.
 */

import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyspace, type RedisStream, StreamID } from "@spinel/core-db";
import { FileSource, loadRdb } from "@spinel/persistence";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectOnce } from "../support/scratch.js";
import { startRedis, startSpinel } from "../support/servers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "spinel-stream-rdb-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const STREAM_KEYS = ["s:main", "s:small", "s:empty", "s:mk", "s:setid", "s:approx"];

/** Build streams of every shape with the same commands on either server. */
async function buildStreams(client: Redis): Promise<void> {
  const p = client.pipeline();
  for (let i = 1; i <= 420; i++) {
    const id = `${1_000 + Math.floor(i / 3)}-${i}`;
    if (i % 10 === 0) p.xadd("s:main", id, "other", `o${i}`);
    else if (i % 50 === 7) p.xadd("s:main", id, "name", `n${i}`, "blob", "x".repeat(3000 + i));
    else if (i === 333) p.xadd("s:main", id, "huge", "y".repeat(9000));
    else p.xadd("s:main", id, "name", `n${i}`, "temp", String(i * 7 - 500));
  }
  for (let i = 1; i <= 420; i += 13) p.xdel("s:main", `${1_000 + Math.floor(i / 3)}-${i}`);
  for (let i = 150; i <= 260; i++) p.xdel("s:main", `${1_000 + Math.floor(i / 3)}-${i}`);
  p.call("XTRIM", "s:main", "MAXLEN", "=", "280");
  p.xadd("s:small", "7-1", "only", "entry");
  p.xadd("s:empty", "5-1", "a", "1");
  p.xdel("s:empty", "5-1");
  p.call("XGROUP", "CREATE", "s:empty", "watchers", "$");
  p.call("XGROUP", "CREATE", "s:mk", "g", "$", "MKSTREAM");
  p.xadd("s:setid", "1-1", "f", "v");
  p.call("XSETID", "s:setid", "99-0", "ENTRIESADDED", "50", "MAXDELETEDID", "10-0");
  for (let i = 1; i <= 700; i++) p.xadd("s:approx", `${i}-0`, "f", String(i));
  p.call("XTRIM", "s:approx", "MAXLEN", "~", "250");
  p.call("XGROUP", "CREATE", "s:main", "g1", "0");
  p.call("XGROUP", "CREATE", "s:main", "g2", "$");
  p.call("XGROUP", "CREATE", "s:main", "g3", "1100-0", "ENTRIESREAD", "40");
  await p.exec();
  const read = async (group: string, consumer: string, count: number, noack = false): Promise<string[]> => {
    const args = ["GROUP", group, consumer, "COUNT", String(count), ...(noack ? ["NOACK"] : [])];
    const reply = (await client.call("XREADGROUP", ...args, "STREAMS", "s:main", ">")) as
      | [string, [string, string[]][]][]
      | null;
    return reply === null ? [] : reply[0]![1].map((entry) => entry[0]);
  };
  const alice = await read("g1", "alice", 10);
  const bob = await read("g1", "bob", 5);
  await read("g1", "alice", 2, true);
  await client.call("XACK", "s:main", "g1", alice[2]!, alice[5]!);
  await client.call("XGROUP", "CREATECONSUMER", "s:main", "g1", "carol");
  await client.call("XCLAIM", "s:main", "g1", "carol", "0", bob[0]!, bob[3]!);
  await client.call("XCLAIM", "s:main", "g1", "alice", "0", alice[0]!, "RETRYCOUNT", "7");
  await read("g3", "dave", 3);
  await client.call("XGROUP", "CREATECONSUMER", "s:mk", "g", "nobody");
}

/** Replace idle times (relative to now) in an XPENDING / XINFO CONSUMERS reply. */
function maskIdle(reply: unknown): unknown {
  if (!Array.isArray(reply)) return reply;
  const out: unknown[] = [];
  for (let i = 0; i < reply.length; i++) {
    if (reply[i] === "idle" && typeof reply[i + 1] === "number") {
      out.push("idle", "masked");
      i++;
    } else out.push(maskIdle(reply[i]));
  }
  return out;
}

/** What a server reports about one stream. */
async function streamState(client: Redis, key: string): Promise<unknown> {
  const state: Record<string, unknown> = {
    type: await client.type(key),
    range: await client.call("XRANGE", key, "-", "+"),
    full: await client.call("XINFO", "STREAM", key, "FULL", "COUNT", "0"),
    groups: await client.call("XINFO", "GROUPS", key),
  };
  for (const row of state.groups as unknown[][]) {
    const name = String(row[1]);
    state[`pending:${name}`] = await client.call("XPENDING", key, name);
    const extended = (await client.call("XPENDING", key, name, "-", "+", "1000")) as unknown[][];
    state[`pending-extended:${name}`] = extended.map((e) => [e[0], e[1], "idle", e[3]]);
    state[`consumers:${name}`] = maskIdle(await client.call("XINFO", "CONSUMERS", key, name));
  }
  return state;
}

async function allStreams(client: Redis, prefix = ""): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of STREAM_KEYS) out[key] = await streamState(client, prefix + key);
  return out;
}

/** Absolute times (seen-time, delivery-time) masked, for servers that built the streams apart. */
function maskTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskTimes);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskTimes(v)]));
  if (typeof value === "number" && value > 1_600_000_000_000) return "time";
  return value;
}

describe("streams in RDB files and DUMP payloads, with redis-server 7.0", () => {
  let redisBuilt: Record<string, unknown>;

  it("Spinel loads redis-server's file: XRANGE, XINFO STREAM FULL, XINFO GROUPS/CONSUMERS and XPENDING agree", async () => {
    const redis = await startRedis(["--dir", dir, "--dbfilename", "redis.rdb"]);
    const rc = await connectOnce(redis.port);
    try {
      await buildStreams(rc);
      expect(await rc.call("SAVE")).toBe("OK");
      redisBuilt = await allStreams(rc);
      expect(
        (redisBuilt["s:main"] as { full: unknown[] }).full[
          (redisBuilt["s:main"] as { full: unknown[] }).full.indexOf("radix-tree-keys") + 1
        ] as number,
      ).toBeGreaterThan(3);
    } finally {
      rc.disconnect();
      await redis.stop();
    }
    const spinel = await startSpinel({ dir, dbfilename: "redis.rdb" });
    const sc = await connectOnce(spinel.port);
    try {
      expect(await allStreams(sc)).toEqual(redisBuilt);
    } finally {
      sc.disconnect();
      await spinel.stop();
    }
  }, 60_000);

  it("redis-server loads Spinel's file (redis-check-rdb accepts it) and agrees; the streams match redis-server's", async () => {
    const spinel = await startSpinel({ dir, dbfilename: "spinel.rdb" });
    const sc = await connectOnce(spinel.port);
    let spinelBuilt: Record<string, unknown>;
    try {
      await buildStreams(sc);
      spinelBuilt = await allStreams(sc);
      expect(await sc.call("SAVE")).toBe("OK");
    } finally {
      sc.disconnect();
      await spinel.stop();
    }
    // Built apart, the two servers hold the same streams, node for node (times aside).
    expect(maskTimes(spinelBuilt)).toEqual(maskTimes(redisBuilt));
    const check = execFileSync("redis-check-rdb", [join(dir, "spinel.rdb")]).toString();
    expect(check).toContain("RDB looks OK");
    const redis = await startRedis(["--dir", dir, "--dbfilename", "spinel.rdb"]);
    const rc = await connectOnce(redis.port);
    try {
      expect(await allStreams(rc)).toEqual(spinelBuilt);
    } finally {
      rc.disconnect();
      await redis.stop();
    }
  }, 60_000);

  it("DUMP payloads restore in the other server both ways; uncompressed payloads are byte for byte redis-server's", async () => {
    const redis = await startRedis(["--dir", dir, "--dbfilename", "redis.rdb"]);
    const spinel = await startSpinel({ dir, dbfilename: "redis.rdb" });
    const rc = await connectOnce(redis.port);
    const sc = await connectOnce(spinel.port);
    try {
      for (const key of STREAM_KEYS) {
        const fromRedis = (await rc.callBuffer("DUMP", key)) as Buffer;
        expect(await sc.call("RESTORE", `r:${key}`, "0", fromRedis)).toBe("OK");
        const fromSpinel = (await sc.callBuffer("DUMP", key)) as Buffer;
        expect(await rc.call("RESTORE", `r:${key}`, "0", fromSpinel)).toBe("OK");
      }
      const original = await allStreams(rc);
      expect(await allStreams(sc, "r:")).toEqual(original);
      expect(await allStreams(rc, "r:")).toEqual(original);
      await rc.config("SET", "rdbcompression", "no");
      await sc.config("SET", "rdbcompression", "no");
      for (const key of STREAM_KEYS) {
        const a = (await rc.callBuffer("DUMP", key)) as Buffer;
        const b = (await sc.callBuffer("DUMP", key)) as Buffer;
        expect(b.toString("hex"), key).toBe(a.toString("hex"));
      }
    } finally {
      rc.disconnect();
      sc.disconnect();
      await redis.stop();
      await spinel.stop();
    }
  }, 60_000);

  it("DEBUG RELOAD keeps streams with their groups, consumers and pending entries", async () => {
    const spinel = await startSpinel({ dir, dbfilename: "reload.rdb", "enable-debug-command": "yes" });
    const sc = await connectOnce(spinel.port);
    try {
      await buildStreams(sc);
      const before = await allStreams(sc);
      expect(await sc.call("DEBUG", "RELOAD")).toBe("OK");
      expect(await allStreams(sc)).toEqual(before);
      // The reloaded stream keeps growing into the same last node.
      await sc.xadd("s:main", "5000-1", "name", "after", "temp", "1");
      await sc.call("XREADGROUP", "GROUP", "g2", "erin", "STREAMS", "s:main", ">");
      expect(await sc.call("DEBUG", "RELOAD")).toBe("OK");
      const after = (await sc.call("XPENDING", "s:main", "g2")) as unknown[];
      expect(after[0]).toBe(1);
    } finally {
      sc.disconnect();
      await spinel.stop();
    }
  }, 60_000);
});

/** Every stream of db 0 of an RDB file, as plain data (entries, metadata, groups, PELs). */
function streamsOfFile(file: string): Record<string, unknown> {
  const keyspace = new Keyspace();
  const source = new FileSource(file);
  loadRdb(source, keyspace, { skipExpired: false });
  source.close();
  const out: Record<string, unknown> = {};
  for (const entry of keyspace.db(0).entries()) {
    if (entry.value.type !== "stream") continue;
    const stream = entry.value as RedisStream;
    const entries: string[] = [];
    const walk = stream.iterate(StreamID.MIN, StreamID.MAX, false);
    while (walk.next()) {
      const row = [walk.idText()];
      for (let p = 0; p < walk.pairCount; p++) row.push(walk.field(p).toString(), walk.value(p).toString());
      entries.push(row.join(" "));
    }
    out[entry.key] = {
      entries,
      blocks: stream.blockCount,
      meta: [stream.length, stream.lastId, stream.firstId, stream.maxDeletedId, stream.entriesAdded].map(
        String,
      ),
      groups: stream.sortedGroups().map((g) => ({
        name: g.name,
        lastId: String(g.lastId),
        entriesRead: String(g.entriesRead),
        pel: g.pel.toArray().map((e) => `${e.id} ${e.consumer.name} ${e.deliveryTime} ${e.deliveryCount}`),
        consumers: g.sortedConsumers().map((c) => `${c.name} ${c.seenTime} ${c.pel.length}`),
      })),
    };
  }
  return out;
}

describe("BGSAVE with streams written during the save", () => {
  it("the file holds the streams as they were when BGSAVE began", async () => {
    const spinel = await startSpinel({ dir, dbfilename: "bg.rdb" });
    const sc = await connectOnce(spinel.port);
    try {
      // Enough keys that the save spans many slices.
      const p = sc.pipeline();
      for (let i = 0; i < 120_000; i++) p.set(`k:${i}`, `v:${i}`);
      await p.exec();
      await buildStreams(sc);
      for (let s = 0; s < 20; s++) {
        const q = sc.pipeline();
        for (let i = 1; i <= 50; i++) q.xadd(`many:${s}`, `${i}-0`, "f", String(i));
        q.call("XGROUP", "CREATE", `many:${s}`, "g", "0");
        q.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "5", "STREAMS", `many:${s}`, ">");
        await q.exec();
      }
      expect(await sc.call("SAVE")).toBe("OK");
      copyFileSync(join(dir, "bg.rdb"), join(dir, "bg-at-start.rdb"));
      const q = sc.pipeline();
      q.call("BGSAVE");
      q.info("persistence");
      for (let s = 0; s < 20; s++) {
        q.xadd(`many:${s}`, "100-0", "f", "new");
        q.xdel(`many:${s}`, "3-0");
        q.call("XREADGROUP", "GROUP", "g", "c2", "COUNT", "2", "STREAMS", `many:${s}`, ">");
        q.call("XACK", `many:${s}`, "g", "1-0");
        if (s % 4 === 0) q.del(`many:${s}`);
        if (s % 4 === 1) q.call("XTRIM", `many:${s}`, "MAXLEN", "10");
        if (s % 4 === 2) q.call("XGROUP", "DESTROY", `many:${s}`, "g");
      }
      q.xadd("s:main", "9000-0", "late", "entry");
      q.call("XGROUP", "SETID", "s:main", "g1", "$");
      q.xadd("created:during", "1-1", "x", "y");
      q.info("persistence");
      const results = (await q.exec())!;
      expect(results[0]![1]).toBe("Background saving started");
      expect(String(results[1]![1])).toContain("rdb_bgsave_in_progress:1");
      // Every change above reached the server while the save was still running.
      expect(String(results[results.length - 1]![1])).toContain("rdb_bgsave_in_progress:1");
      for (let i = 0; i < 600; i++) {
        if ((await sc.info("persistence")).includes("rdb_bgsave_in_progress:0")) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const info = await sc.info("persistence");
      expect(info).toContain("rdb_bgsave_in_progress:0");
      expect(info).toContain("rdb_last_bgsave_status:ok");
      const atStart = streamsOfFile(join(dir, "bg-at-start.rdb"));
      expect(Object.keys(atStart).length).toBe(STREAM_KEYS.length + 20);
      expect(streamsOfFile(join(dir, "bg.rdb"))).toEqual(atStart);
    } finally {
      sc.disconnect();
      await spinel.stop();
    }
  }, 120_000);
});
