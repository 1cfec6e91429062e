/*
 * SORT and SORT_RO through real client libraries (ioredis, node-redis v5 on
 * RESP2 and RESP3) over TCP, and the keyspace notifications of SORT ... STORE.
 * Each scenario runs against Spinel and against a real redis-server 7 and the
 * decoded results must be equal; the results are also spelled out, so a
 * scenario cannot pass by both sides failing the same way.
 */

import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectIoredis, connectNodeRedis, settle, useServerPair } from "../support/client-comparison.js";
import { keyspaceEventsOf } from "../support/keyspace-events.js";

const servers = useServerPair();
const onBoth = servers.onBoth;

describe("ioredis", () => {
  it("a leaderboard: SORT BY hash fields with GET, LIMIT and STORE", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      await c.rpush("players", "7", "3", "9", "1");
      await c.hset("player:7", "name", "ann", "score", "120");
      await c.hset("player:3", "name", "bob", "score", "95.5");
      await c.hset("player:9", "name", "cid", "score", "300");
      await c.hset("player:1", "name", "dee");
      return [
        await c.sort("players"),
        await c.sort("players", "BY", "player:*->score", "DESC", "GET", "player:*->name"),
        await c.sort("players", "BY", "player:*->score", "LIMIT", 0, 2, "GET", "#", "GET", "player:*->score"),
        await c.sort("players", "BY", "player:*->name", "ALPHA", "DESC", "STORE", "by-name"),
        await c.lrange("by-name", 0, -1),
        await c.sort_ro("players", "BY", "nosort", "DESC"),
        await settle(c.sort("players", "BY", "player:*->name")),
        await settle(c.sort("player:7")),
      ];
    });
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual([
      ["1", "3", "7", "9"],
      ["cid", "ann", "bob", "dee"],
      ["1", null, "3", "95.5"],
      4,
      ["1", "9", "3", "7"],
      ["1", "9", "3", "7"],
      "error: ERR One or more scores can't be converted into double",
      "error: WRONGTYPE Operation against a key holding the wrong kind of value",
    ]);
  });

  it("sets and sorted sets, and a constant BY with STORE", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      await c.sadd("tags", "pear", "apple", "fig");
      await c.zadd("ranked", 3, "30", 1, "10", 2, "20");
      return [
        await c.sort("tags", "ALPHA"),
        await c.sort("tags", "BY", "nosort", "STORE", "tags:sorted"),
        await c.lrange("tags:sorted", 0, -1),
        await c.sort("ranked", "DESC"),
        await c.sort("ranked", "BY", "nosort", "LIMIT", 1, 5),
        await c.object("ENCODING", "ranked"),
      ];
    });
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual([
      ["apple", "fig", "pear"],
      3,
      ["apple", "fig", "pear"],
      ["30", "20", "10"],
      ["20", "30"],
      "skiplist",
    ]);
  });
});

describe("node-redis", () => {
  for (const resp of [2, 3] as const) {
    it(`RESP${resp}: SORT, SORT_RO and SORT ... STORE`, async () => {
      const { spinel, redis } = await onBoth(connectNodeRedis(resp), async (c) => {
        await c.rPush("ids", ["2", "10", "1"]);
        await c.mSet({ "w:1": "5", "w:2": "1", "w:10": "3", "name:1": "one", "name:10": "ten" });
        return [
          await c.sort("ids"),
          await c.sort("ids", { DIRECTION: "DESC", LIMIT: { offset: 0, count: 2 } }),
          await c.sort("ids", { BY: "w:*", GET: ["#", "name:*"] }),
          await c.sortRo("ids", { ALPHA: true }),
          await c.sortStore("ids", "ids:sorted", { BY: "w:*" }),
          await c.lRange("ids:sorted", 0, -1),
          await c.sortStore("missing", "ids:sorted"),
          await c.exists("ids:sorted"),
        ];
      });
      expect(spinel).toEqual(redis);
      expect(spinel).toEqual([
        ["1", "2", "10"],
        ["10", "2"],
        ["2", null, "10", "ten", "1", "one"],
        ["1", "10", "2"],
        3,
        ["2", "10", "1"],
        0,
        0,
      ]);
    });
  }
});

// ---------------------------------------------------------------- keyspace notifications

/** Run `steps` on `port` with notifications "KEAnm"; return the messages, in order. */
function eventsOf(port: number, steps: readonly (readonly string[])[]): Promise<string[]> {
  return keyspaceEventsOf(port, "KEAnm", steps);
}

describe("SORT keyspace notifications, compared with redis-server", () => {
  it("sortstore on STORE, del for an empty result, keymiss for missing pattern keys", async () => {
    const steps = [
      ["RPUSH", "ev:l", "2", "1"],
      ["SORT", "ev:l", "STORE", "ev:d"],
      ["SORT", "ev:l", "DESC", "STORE", "ev:d"],
      ["SORT", "ev:l", "BY", "ev:w_*", "GET", "ev:n_*"],
      ["SORT", "ev:missing", "STORE", "ev:d"],
      ["SORT", "ev:missing", "STORE", "ev:d"],
      ["SORT_RO", "ev:l"],
    ];
    const [fromRedis, fromSpinel] = await Promise.all([
      eventsOf(servers.redis.port, steps),
      eventsOf(servers.spinel.port, steps),
    ]);
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel.filter((message) => message.includes("__keyevent@0__:sortstore")).length).toBe(2);
    expect(fromSpinel.some((message) => message.includes("__keyevent@0__:keymiss"))).toBe(true);
  });
});
