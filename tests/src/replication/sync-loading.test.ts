/*
 * A Spinel replica loading a big full-sync RDB (a million keys, from a
 * redis-server primary and from a Spinel primary), with real processes: the
 * load runs in slices, so a client pinging the replica in a loop meanwhile is
 * answered promptly, with -LOADING as redis-server 7.0 answers while it loads
 * (INFO is answered, with loading:1 and the loading_* fields), the primary
 * keeps the replica attached even with a short repl-timeout (the replica's
 * keep-alive newlines), and the datasets end equal key by key.
 */

import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { haveRedisServer, spawnSpinel, startRedis, type TestServer } from "../support/servers.js";
import { connect, infoFields, waitCaughtUp } from "./support.js";

/** Spawned servers start through tsx: give them time on a busy machine. */
const SPAWN_READY_MS = 30_000;
/** String keys in database 0: enough for a load that lasts well over a second. */
const STRING_KEYS = 1_000_000;
/** Keys of the other types (with TTLs on some) in database 3. */
const MIXED_KEYS = 2_000;
/**
 * While the replica loads, nine PINGs in ten must be answered within
 * TYPICAL_REPLY_MS, and every one within MAX_REPLY_MS: on a shared machine a
 * garbage collection of the growing heap, or of this test's own process after
 * the fill, may hold one back; a load that did not yield would hold them all
 * for its whole length (5 to 10 s for these keys).
 */
const TYPICAL_REPLY_MS = 100;
const MAX_REPLY_MS = 2000;
const LOADING = "-LOADING Redis is loading the dataset in memory\r\n";

const started: TestServer[] = [];
const clients: Redis[] = [];
const rawClients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const c of rawClients.splice(0)) c.close();
  for (const server of started.splice(0).reverse()) await server.stop();
});

function client(port: number): Redis {
  const c = connect(port);
  clients.push(c);
  return c;
}

const stringKey = (i: number) => `key:${i}`;
const stringValue = (i: number) => `value:${i}:${"x".repeat(i % 13)}`;

/** The dataset: STRING_KEYS strings in database 0, MIXED_KEYS hashes, lists, sets, zsets in database 3. */
async function fill(c: Redis): Promise<void> {
  await c.select(0);
  const perMset = 500;
  for (let start = 0; start < STRING_KEYS; start += perMset * 40) {
    const p = c.pipeline();
    for (let m = start; m < Math.min(STRING_KEYS, start + perMset * 40); m += perMset) {
      const args: string[] = [];
      for (let i = m; i < Math.min(STRING_KEYS, m + perMset); i++) args.push(stringKey(i), stringValue(i));
      p.mset(...args);
    }
    await p.exec();
  }
  await c.select(3);
  const p = c.pipeline();
  for (let i = 0; i < MIXED_KEYS; i++) {
    switch (i % 4) {
      case 0:
        p.hset(`h:${i}`, "a", String(i), "b", "two");
        break;
      case 1:
        p.rpush(`l:${i}`, "x", String(i), "z");
        break;
      case 2:
        p.sadd(`s:${i}`, "m", String(i));
        break;
      default:
        p.zadd(`z:${i}`, String(i), "m", "1.5", "n");
    }
    if (i % 10 === 0) p.expire([`h:${i}`, `l:${i}`, `s:${i}`, `z:${i}`][i % 4]!, 100_000);
  }
  await p.exec();
  await c.select(0);
}

/** Every key of `c` compared with the primary's: strings by MGET in batches, the others by DUMP-free reads. */
async function expectSameData(primary: Redis, replica: Redis): Promise<void> {
  for (const c of [primary, replica]) await c.select(0);
  expect(await replica.dbsize()).toBe(await primary.dbsize());
  const batch = 10_000;
  for (let start = 0; start < STRING_KEYS; start += batch) {
    const keys: string[] = [];
    for (let i = start; i < Math.min(STRING_KEYS, start + batch); i++) keys.push(stringKey(i));
    const [want, got] = await Promise.all([primary.mget(...keys), replica.mget(...keys)]);
    expect(got).toEqual(want);
  }
  for (const c of [primary, replica]) await c.select(3);
  expect(await replica.dbsize()).toBe(await primary.dbsize());
  const read = async (c: Redis) => {
    const out: unknown[] = [];
    for (let i = 0; i < MIXED_KEYS; i++) {
      const key = [`h:${i}`, `l:${i}`, `s:${i}`, `z:${i}`][i % 4]!;
      const value =
        i % 4 === 0
          ? await c.hgetall(key)
          : i % 4 === 1
            ? await c.lrange(key, 0, -1)
            : i % 4 === 2
              ? (await c.smembers(key)).sort()
              : await c.zrange(key, 0, -1, "WITHSCORES");
      out.push([key, value, (await c.pexpiretime(key)) > 0]);
    }
    return out;
  };
  expect(await read(replica)).toEqual(await read(primary));
}

interface PingLog {
  /** How long each -LOADING reply took (ms). */
  loadingReplyMs: number[];
  /** INFO persistence sampled while -LOADING was being answered. */
  infoWhileLoading: Map<string, string> | null;
  /** The replies to GET, REPLICAOF and ROLE while loading. */
  getWhileLoading: string | null;
  replicaofWhileLoading: string | null;
  roleWhileLoading: string | null;
}

/**
 * PING the replica in a loop until `stop()`, timing each reply; while the
 * replies are -LOADING, also sample INFO persistence, GET, REPLICAOF and ROLE once.
 */
async function pingWhile(port: number, primaryPort: number): Promise<{ stop: () => Promise<PingLog> }> {
  const raw = await RawClient.connect(port);
  rawClients.push(raw);
  const log: PingLog = {
    loadingReplyMs: [],
    infoWhileLoading: null,
    getWhileLoading: null,
    replicaofWhileLoading: null,
    roleWhileLoading: null,
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      const sent = performance.now();
      const reply = (await raw.call("PING")).toString("latin1");
      const took = performance.now() - sent;
      if (reply === LOADING) log.loadingReplyMs.push(took);
      if (reply !== LOADING) {
        expect(reply).toBe("+PONG\r\n");
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      if (log.getWhileLoading === null) {
        log.getWhileLoading = (await raw.call("GET", "old")).toString();
        log.replicaofWhileLoading = (
          await raw.call("REPLICAOF", "127.0.0.1", String(primaryPort))
        ).toString();
        log.roleWhileLoading = (await raw.call("ROLE")).toString("latin1");
      }
      if (log.infoWhileLoading === null) {
        const text = (await raw.call("INFO", "persistence")).toString("latin1");
        const fields = new Map<string, string>();
        for (const line of text.split("\r\n")) {
          const at = line.indexOf(":");
          if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1));
        }
        log.infoWhileLoading = fields;
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return log;
    },
  };
}

/** Follow `primaryPort` from a fresh spawned Spinel replica while pinging it; check what the pings saw. */
async function syncWhilePinging(primary: Redis, primaryPort: number): Promise<void> {
  const spinel = await spawnSpinel(
    ["--save", "", "--appendonly", "no", "--repl-timeout", "3", "--loglevel", "warning"],
    SPAWN_READY_MS,
  );
  started.push(spinel);
  const replica = client(spinel.port);
  await replica.set("old", "before the sync");
  const pinger = await pingWhile(spinel.port, primaryPort);
  await replica.replicaof("127.0.0.1", String(primaryPort));
  await waitCaughtUp(primary, replica, 180_000);
  const log = await pinger.stop();

  // The load took a while and the loop kept turning: many prompt -LOADING replies.
  const times = [...log.loadingReplyMs].sort((a, b) => a - b);
  expect(times.length).toBeGreaterThan(20);
  expect(times[Math.floor(times.length * 0.9)]).toBeLessThan(TYPICAL_REPLY_MS);
  expect(times[times.length - 1]).toBeLessThan(MAX_REPLY_MS);
  // As redis-server 7.0: commands without the loading flag (GET, REPLICAOF) are refused, ROLE answers.
  expect(log.getWhileLoading).toBe(LOADING);
  expect(log.replicaofWhileLoading).toBe(LOADING);
  expect(log.roleWhileLoading).toContain("slave");
  expect(log.roleWhileLoading).toContain("sync");
  const info = log.infoWhileLoading!;
  expect(info.get("loading")).toBe("1");
  expect(Number(info.get("loading_total_bytes"))).toBeGreaterThan(1_000_000);
  expect(Number(info.get("loading_loaded_bytes"))).toBeGreaterThanOrEqual(0);
  expect(info.has("loading_loaded_perc")).toBe(true);
  expect(info.has("loading_eta_seconds")).toBe(true);

  // One full sync: the primary never dropped the replica while it loaded (repl-timeout 3 s).
  const onPrimary = await infoFields(primary, "stats");
  expect(onPrimary.get("sync_full")).toBe("1");
  expect((await infoFields(primary)).get("connected_slaves")).toBe("1");
  expect((await infoFields(replica, "persistence")).get("loading")).toBe("0");
  expect(await replica.exists("old")).toBe(0);
  await expectSameData(primary, replica);
}

describe("a Spinel replica loading a big full sync", () => {
  it.skipIf(!haveRedisServer())(
    "from redis-server: answers -LOADING promptly while it loads, then holds the same data",
    async () => {
      const redis = await startRedis(["--repl-diskless-sync-delay", "0", "--repl-timeout", "3"]);
      started.push(redis);
      const primary = client(redis.port);
      await fill(primary);
      await syncWhilePinging(primary, redis.port);
    },
    600_000,
  );

  it("from Spinel: answers -LOADING promptly while it loads, then holds the same data", async () => {
    // A process of its own: its work must not delay the test's pings.
    const spinel = await spawnSpinel(
      ["--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0", "--repl-timeout", "3"],
      SPAWN_READY_MS,
    );
    started.push(spinel);
    const primary = client(spinel.port);
    await fill(primary);
    await syncWhilePinging(primary, spinel.port);
  }, 600_000);
});
