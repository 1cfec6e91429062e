/*
 * HyperLogLog commands through ioredis over TCP, and their keyspace
 * notifications and WATCH behaviour. Each scenario runs against Spinel and
 * against a real redis-server 7 and the decoded results must be equal; the
 * results are also spelled out, so a scenario cannot pass by both sides
 * failing the same way.
 */

import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectIoredis, settle, useServerPair } from "../support/client-comparison.js";
import { keyspaceEventsOf } from "../support/keyspace-events.js";

const servers = useServerPair();
const onBoth = servers.onBoth;

/** `count` distinct element names. */
const names = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}:${i}`);

describe("ioredis", () => {
  it("counts unique visitors with PFADD / PFCOUNT / PFMERGE", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.pfadd("visitors:mon", ...names("user", 1000)),
      await c.pfadd("visitors:tue", ...names("user", 1500).slice(500)),
      await c.pfadd("visitors:mon", "user:1"),
      await c.pfcount("visitors:mon"),
      await c.pfcount("visitors:tue"),
      await c.pfcount("visitors:mon", "visitors:tue"),
      await c.pfmerge("visitors:week", "visitors:mon", "visitors:tue"),
      await c.pfcount("visitors:week"),
      await c.type("visitors:week"),
      await c.strlen("visitors:mon"),
      await settle(c.pfcount("visitors:mon", "nothing")),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel.slice(0, 3)).toEqual([1, 1, 0]);
    expect(spinel[6]).toBe("OK");
    expect(spinel[8]).toBe("string");
    const union = spinel[5] as number;
    expect(Math.abs(union - 1500) / 1500).toBeLessThan(0.02);
  });

  it("reads back the exact bytes and accepts an HLL written with SET", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      await c.pfadd("src", ...names("x", 200));
      const bytes = (await c.getBuffer("src"))!;
      await c.set("copy", bytes);
      return [
        bytes.toString("hex"),
        await c.pfcount("copy"),
        await c.pfadd("copy", "x:0"),
        await settle(c.set("bad", "HYLL-not-really").then(() => c.pfcount("bad"))),
        await settle(c.lpush("list", "a").then(() => c.pfadd("list", "a"))),
      ];
    });
    expect(spinel).toEqual(redis);
    expect((spinel[0] as string).startsWith(Buffer.from("HYLL").toString("hex"))).toBe(true);
    expect(spinel[2]).toBe(0);
    expect(spinel[3]).toBe("error: WRONGTYPE Key is not a valid HyperLogLog string value.");
    expect(spinel[4]).toBe("error: WRONGTYPE Operation against a key holding the wrong kind of value");
  });

  it("a PFCOUNT that refreshes the cache aborts a WATCHing transaction", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      await c.pfadd("h", "a", "b");
      await c.watch("h");
      await c.pfcount("h"); // stale cache: recomputed and written back
      const first = await c.multi().get("other").exec();
      await c.watch("h");
      await c.pfcount("h"); // valid cache: nothing written
      const second = await c.multi().get("other").exec();
      return [first, second];
    });
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual([null, [[null, null]]]);
  });
});

describe("HyperLogLog values moved between redis-server and Spinel", () => {
  /** Run `work` with one ioredis client on each server, closing both after. */
  async function withBoth(work: (redis: Redis, spinel: Redis) => Promise<void>): Promise<void> {
    const [redisSide, spinelSide] = await Promise.all([
      connectIoredis(servers.redis),
      connectIoredis(servers.spinel),
    ]);
    try {
      await work(redisSide.client, spinelSide.client);
    } finally {
      await Promise.all([redisSide.close(), spinelSide.close()]);
    }
  }

  it("reads sparse and dense HLLs written by redis-server, and keeps editing them identically", async () => {
    await withBoth(async (redis, spinel) => {
      for (const size of [10, 300, 5000]) {
        const key = `moved:${size}`;
        await redis.pfadd(key, ...names(`m${size}`, size));
        const bytes = (await redis.getBuffer(key))!;
        await spinel.set(key, bytes);
        expect(await spinel.pfcount(key)).toBe(await redis.pfcount(key));
        const more = names(`extra${size}`, 200);
        expect(await spinel.pfadd(key, ...more)).toBe(await redis.pfadd(key, ...more));
        expect((await spinel.getBuffer(key))!.equals((await redis.getBuffer(key))!)).toBe(true);
        expect(await spinel.pfcount(key)).toBe(await redis.pfcount(key));
      }
    });
  });

  it("writes HLLs that redis-server reads back unchanged", async () => {
    await withBoth(async (redis, spinel) => {
      await spinel.pfadd("back", ...names("b", 2500));
      await spinel.pfcount("back");
      const bytes = (await spinel.getBuffer("back"))!;
      await redis.set("back", bytes);
      expect(await redis.pfcount("back")).toBe(await spinel.pfcount("back"));
      expect((await redis.getBuffer("back"))!.equals(bytes)).toBe(true);
      await redis.pfadd("both", "x");
      await redis.pfmerge("both", "back");
      await spinel.pfadd("both", "x");
      await spinel.pfmerge("both", "back");
      expect((await spinel.getBuffer("both"))!.equals((await redis.getBuffer("both"))!)).toBe(true);
    });
  });
});

describe("HyperLogLog keyspace notifications, compared with redis-server", () => {
  it("pfadd for PFADD and PFMERGE, nothing for PFCOUNT or no-op adds", async () => {
    const steps = [
      ["PFADD", "ev:h", "a"],
      ["PFADD", "ev:h", "a"],
      ["PFCOUNT", "ev:h"],
      ["PFMERGE", "ev:d", "ev:h"],
      ["PFDEBUG", "TODENSE", "ev:d"],
      ["PFADD", "ev:d", "z"],
    ];
    const [fromRedis, fromSpinel] = await Promise.all([
      keyspaceEventsOf(servers.redis.port, "KEA", steps),
      keyspaceEventsOf(servers.spinel.port, "KEA", steps),
    ]);
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel.filter((m) => m.includes("pfadd")).length).toBe(6);
  });
});
