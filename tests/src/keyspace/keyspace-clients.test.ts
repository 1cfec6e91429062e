/*
 * Keyspace and expire commands through real client libraries (ioredis,
 * node-redis v5) over TCP, compared with a real redis-server 7: RENAME / COPY /
 * MOVE with TTLs, EXPIRE options, KEYS and SCAN iteration (compared as sets,
 * Redis gives no order), OBJECT under LFU and LRU policies, and the keyspace
 * events a subscriber receives.
 */

import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

let spinelServer: TestServer;
let redisServer: TestServer;

beforeAll(async () => {
  [spinelServer, redisServer] = await Promise.all([startSpinel(), startRedis()]);
});

afterAll(async () => {
  await Promise.all([spinelServer?.stop(), redisServer?.stop()]);
});

function ioredisClient(server: TestServer): Redis {
  return new Redis({
    port: server.port,
    host: server.host,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
  });
}

/** Run `scenario` with a fresh ioredis client on a flushed server, on both servers. */
async function onBoth<T>(scenario: (client: Redis) => Promise<T>): Promise<{ spinel: T; redis: T }> {
  const results: T[] = [];
  for (const server of [spinelServer, redisServer]) {
    const client = ioredisClient(server);
    try {
      await client.flushall();
      results.push(await scenario(client));
    } finally {
      client.disconnect();
    }
  }
  return { spinel: results[0]!, redis: results[1]! };
}

async function settle<T>(promise: Promise<T>): Promise<T | string> {
  try {
    return await promise;
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

describe("keyspace commands over ioredis", () => {
  it("RENAME, COPY and MOVE carry values and TTLs", async () => {
    const { spinel, redis } = await onBoth(async (c) => [
      await c.set("a", "1", "EX", 100),
      await c.rename("a", "b"),
      await c.ttl("b"),
      await c.copy("b", "c"),
      await c.ttl("c"),
      await c.copy("b", "c"),
      await c.copy("b", "c", "REPLACE"),
      await c.copy("b", "c", "DB", 1),
      await c.move("c", 2),
      await c.renamenx("b", "c"),
      await settle(c.rename("missing", "x")),
      await c.exists("a", "b", "c", "b"),
      await c.type("b"),
      await c.type("nothing"),
      await c.rpush("list", "x", "y"),
      await c.type("list"),
      await c.copy("list", "list2"),
      await c.rpush("list2", "z"),
      await c.lrange("list", 0, -1),
      await c.del("list", "list2", "nothing"),
      await c.unlink("c"),
      await c.touch("b", "nothing"),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel[2]).toBe(100);
  });

  it("EXPIRE options, TTL family and PERSIST", async () => {
    const { spinel, redis } = await onBoth(async (c) => [
      await c.set("k", "v"),
      await c.expire("k", 100, "NX"),
      await c.expire("k", 200, "NX"),
      await c.expire("k", 50, "GT"),
      await c.expire("k", 300, "GT"),
      await c.expire("k", 10, "LT"),
      await c.ttl("k"),
      await c.pexpireat("k", 33177600000123),
      await c.pexpiretime("k"),
      await c.expiretime("k"),
      await c.persist("k"),
      await c.ttl("k"),
      await c.expire("k", -1),
      await c.exists("k"),
      await settle(c.call("EXPIRE", "k", "10", "NX", "XX")),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel[8]).toBe(33177600000123);
  });

  it("KEYS and a full SCAN iteration return the same keys", async () => {
    const { spinel, redis } = await onBoth(async (c) => {
      const pipeline = c.pipeline();
      for (let i = 0; i < 300; i++) pipeline.set(`user:${i}`, String(i));
      for (let i = 0; i < 50; i++) pipeline.sadd(`group:${i}`, "member");
      await pipeline.exec();
      const scanned = new Set<string>();
      for await (const keys of c.scanStream({ match: "user:1*", count: 7 })) {
        for (const key of keys as string[]) scanned.add(key);
      }
      const typed = new Set<string>();
      for await (const keys of c.scanStream({ type: "set", count: 13 })) {
        for (const key of keys as string[]) typed.add(key);
      }
      return {
        keys: (await c.keys("user:2?")).sort(),
        scanned: [...scanned].sort(),
        typed: typed.size,
        dbsize: await c.dbsize(),
      };
    });
    expect(spinel).toEqual(redis);
    expect(spinel.scanned).toHaveLength(111);
    expect(spinel.typed).toBe(50);
  });

  it("OBJECT reports what Redis reports under each eviction policy", async () => {
    const { spinel, redis } = await onBoth(async (c) => {
      await c.set("n", "123");
      await c.set("s", "x".repeat(50));
      const results: unknown[] = [
        await c.object("ENCODING", "n"),
        await c.object("ENCODING", "s"),
        await c.object("REFCOUNT", "n"),
        // 0 or 1 on either server, depending on when its clock's second turns.
        Number(await c.object("IDLETIME", "s")) <= 1,
        await settle(c.object("FREQ", "s")),
      ];
      await c.config("SET", "maxmemory-policy", "allkeys-lfu");
      // A key written under LFU starts with the counter at 5 (LFU_INIT_VAL).
      await c.set("lfu", "v");
      results.push(await settle(c.object("IDLETIME", "lfu")), await c.object("FREQ", "lfu"));
      await c.config("SET", "maxmemory-policy", "noeviction");
      return results;
    });
    expect(spinel).toEqual(redis);
    expect(spinel.slice(0, 3)).toEqual(["int", "raw", 2147483647]);
  });
});

describe("keyspace events over node-redis", () => {
  /**
   * Subscribe to every keyevent channel on `server`, run `commands` (["sleep", ms]
   * pauses), return the events seen.
   */
  async function eventsFrom(server: TestServer, commands: string[][]): Promise<string[]> {
    const admin = ioredisClient(server);
    await admin.flushall();
    await admin.config("SET", "notify-keyspace-events", "KEA");
    const subscriber = createClient({
      socket: { port: server.port, host: server.host, reconnectStrategy: false },
    });
    subscriber.on("error", () => {});
    await subscriber.connect();
    const events: string[] = [];
    await subscriber.pSubscribe("__keyevent@*__:*", (key, channel) => {
      events.push(`${channel.replace(/^__keyevent@(\d+)__:/, "$1:")} ${key}`);
    });
    for (const command of commands) {
      if (command[0] === "sleep") await new Promise((resolve) => setTimeout(resolve, Number(command[1])));
      else await admin.call(command[0]!, ...command.slice(1));
    }
    await admin.call("PING"); // events of the commands above are delivered before this reply
    await new Promise((resolve) => setTimeout(resolve, 50));
    await admin.config("SET", "notify-keyspace-events", "");
    await subscriber.close();
    admin.disconnect();
    return events;
  }

  it("are the events Redis sends, in the same order", async () => {
    const commands = [
      ["SET", "k", "v", "EX", "100"],
      ["APPEND", "k", "w"],
      ["SETRANGE", "k", "0", "x"],
      ["INCRBY", "n", "5"],
      ["INCRBYFLOAT", "n", "0.5"],
      ["GETEX", "k", "PERSIST"],
      ["EXPIRE", "k", "100"],
      ["RENAME", "k", "r"],
      ["COPY", "r", "c", "DB", "1"],
      ["MOVE", "r", "2"],
      ["MSET", "a", "1", "b", "2"],
      ["GETDEL", "a"],
      ["EXPIRE", "b", "-1"],
      ["PSETEX", "short", "1", "v"],
      ["sleep", "20"],
      // Expired by now: either active expiry or this lookup raises "expired", once.
      ["GET", "short"],
    ];
    const [spinelEvents, redisEvents] = [
      await eventsFrom(spinelServer, commands),
      await eventsFrom(redisServer, commands),
    ];
    expect(spinelEvents).toEqual(redisEvents);
    expect(spinelEvents.slice(0, 3)).toEqual(["0:set k", "0:expire k", "0:append k"]);
  });
});
