/*
 * Set commands through real client libraries (ioredis, node-redis v5 on RESP2
 * and RESP3) over TCP. Each scenario runs against Spinel and against a real
 * redis-server 7 and the decoded results must be equal; the results are also
 * spelled out, so a scenario cannot pass by both sides failing the same way.
 * Where Redis defines no order (a hashtable), results are sorted before comparing;
 * intsets and results made of integers come back ascending on both.
 */

import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectIoredis, connectNodeRedis, settle, useServerPair } from "../support/client-comparison.js";

const servers = useServerPair();
const onBoth = servers.onBoth;

const sorted = (values: string[]) => [...values].sort();

describe("ioredis", () => {
  it("SADD, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SREM and encodings", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.sadd("ids", 30, 10, 20, 10),
      await c.smembers("ids"),
      await c.object("ENCODING", "ids"),
      await c.sadd("ids", "thirty"),
      await c.object("ENCODING", "ids"),
      sorted(await c.smembers("ids")),
      await c.sismember("ids", "20"),
      await c.smismember("ids", "10", "11", "thirty"),
      await c.scard("ids"),
      await c.srem("ids", "10", "20", "30", "thirty"),
      await c.exists("ids"),
      await settle(c.sadd("ids", "x").then(() => c.hget("ids", "f"))),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel.slice(0, 5)).toEqual([3, ["10", "20", "30"], "intset", 1, "hashtable"]);
    expect(spinel[11]).toBe("error: WRONGTYPE Operation against a key holding the wrong kind of value");
  });

  it("set algebra and the STORE forms", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      await c.sadd("a", 1, 2, 3, 4);
      await c.sadd("b", 3, 4, 5);
      await c.sadd("w", "x", "y", 3);
      return [
        await c.sinter("a", "b"),
        await c.sunion("a", "b"),
        await c.sdiff("a", "b"),
        sorted(await c.sunion("a", "w")),
        await c.sintercard(2, "a", "b"),
        await c.sintercard(2, "a", "b", "LIMIT", 1),
        await c.sinterstore("dst", "a", "b"),
        await c.object("ENCODING", "dst"),
        await c.sunionstore("dst2", "a", "w"),
        await c.object("ENCODING", "dst2"),
        await c.sdiffstore("dst3", "a", "a"),
        await c.exists("dst3"),
        await c.smove("a", "b", "1"),
        await c.smembers("b"),
      ];
    });
    expect(spinel).toEqual(redis);
    expect(spinel.slice(0, 3)).toEqual([
      ["3", "4"],
      ["1", "2", "3", "4", "5"],
      ["1", "2"],
    ]);
    expect(spinel.slice(6, 8)).toEqual([2, "intset"]);
  });

  it("SPOP and SRANDMEMBER: sizes, membership and what is left", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
      await c.sadd("s", ...members);
      const popped = (await c.spop("s", 5)) as string[];
      const one = (await c.spop("s")) as string;
      const random = await c.srandmember("s", 10);
      const repeated = await c.srandmember("s", -100);
      const left = await c.smembers("s");
      return [
        popped.length,
        new Set(popped).size,
        popped.every((member) => members.includes(member) && !left.includes(member)),
        left.includes(one),
        new Set(random).size,
        repeated.length,
        repeated.every((member) => left.includes(member)),
        await c.scard("s"),
        await c.spop("s", 1000).then((rest) => (rest as string[]).length),
        await c.exists("s"),
        await settle(c.spop("s", -1)),
      ];
    });
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual([
      5,
      5,
      true,
      false,
      10,
      100,
      true,
      44,
      44,
      0,
      "error: ERR value is out of range, must be positive",
    ]);
  });

  it("SSCAN with a stream visits every member of a big set", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      await c.sadd("big", ...Array.from({ length: 2000 }, (_, i) => `member:${i}`));
      const seen = new Set<string>();
      for await (const batch of c.sscanStream("big", { count: 100 }) as AsyncIterable<string[]>) {
        for (const member of batch) seen.add(member);
      }
      return [await c.object("ENCODING", "big"), seen.size];
    });
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual(["hashtable", 2000]);
  });
});

describe("node-redis", () => {
  it("RESP2: sAdd, sMembers, sInter, sInterCard, sMove, sPop count", async () => {
    const { spinel, redis } = await onBoth(connectNodeRedis(2), async (c) => [
      await c.sAdd("a", ["1", "2", "3"]),
      await c.sAdd("b", ["2", "3", "4"]),
      await c.sMembers("a"),
      await c.sInter(["a", "b"]),
      await c.sInterCard(["a", "b"], { LIMIT: 1 }),
      await c.sIsMember("a", "2"),
      await c.smIsMember("a", ["1", "9"]),
      await c.sMove("a", "b", "1"),
      await c.sUnion(["a", "b"]),
      await c.sPop("missing"),
      await c.sPopCount("missing", 3),
      await c.sRandMemberCount("a", 10),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel[3]).toEqual(["2", "3"]);
    expect(spinel[8]).toEqual(["1", "2", "3", "4"]);
  });

  it("RESP3: set replies", async () => {
    const { spinel, redis } = await onBoth(connectNodeRedis(3), async (c) => {
      await c.sAdd("a", ["3", "1", "2"]);
      await c.sAdd("w", ["x", "y"]);
      return [
        await c.sMembers("a"),
        await c.sDiff(["a", "missing"]),
        sorted(await c.sMembers("w")),
        await c.sPopCount("a", 10),
        await c.sMembers("a"),
        await c.sIsMember("w", "x"),
        await c.sCard("w"),
      ];
    });
    expect(spinel).toEqual(redis);
    expect(spinel.slice(0, 5)).toEqual([["1", "2", "3"], ["1", "2", "3"], ["x", "y"], ["1", "2", "3"], []]);
  });

  it("sScanIterator collects a set that shrinks while it is scanned", async () => {
    const { spinel, redis } = await onBoth(connectNodeRedis(2), async (c) => {
      await c.sAdd(
        "shrink",
        Array.from({ length: 1000 }, (_, i) => `m${i}`),
      );
      const seen = new Set<string>();
      let batch = 0;
      for await (const members of c.sScanIterator("shrink", { COUNT: 50 })) {
        for (const member of members) seen.add(member);
        // Remove odd members as the scan goes; even ones stay for the whole scan.
        await c.sRem("shrink", [`m${(batch * 4 + 1) % 1000}`, `m${(batch * 4 + 3) % 1000}`]);
        batch++;
      }
      let missingEven = 0;
      for (let i = 0; i < 1000; i += 2) if (!seen.has(`m${i}`)) missingEven++;
      return missingEven;
    });
    expect(spinel).toEqual(redis);
    expect(spinel).toBe(0);
  });
});
