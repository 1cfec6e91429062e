/*
 * Hash commands through real client libraries (ioredis, node-redis v5 on RESP2
 * and RESP3) over TCP. Each scenario runs against Spinel and against a real
 * redis-server 7 and the decoded results must be equal; the results are also
 * spelled out, so a scenario cannot pass by both sides failing the same way.
 * Where Redis defines no order (a hashtable), results are sorted before comparing.
 */

import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectIoredis, connectNodeRedis, settle, useServerPair } from "../support/client-comparison.js";

const servers = useServerPair();
const onBoth = servers.onBoth;

describe("ioredis", () => {
  it("HSET, HGETALL, HMGET, HDEL, HLEN and friends", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.hset("user:1", { name: "Ada", lang: "en", visits: "3" }),
      await c.hset("user:1", "lang", "fr"),
      await c.hgetall("user:1"),
      await c.hmget("user:1", "name", "missing", "lang"),
      await c.hkeys("user:1"),
      await c.hvals("user:1"),
      await c.hlen("user:1"),
      await c.hexists("user:1", "name"),
      await c.hstrlen("user:1", "name"),
      await c.hsetnx("user:1", "name", "Grace"),
      await c.hdel("user:1", "visits", "nope"),
      await c.hgetall("missing"),
      await settle(c.hget("user:1", "name")),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel[2]).toEqual({ name: "Ada", lang: "fr", visits: "3" });
    expect(spinel[3]).toEqual(["Ada", null, "fr"]);
    expect(spinel[12]).toBe("Ada");
  });

  it("HINCRBY and HINCRBYFLOAT, with their errors", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.hincrby("counters", "hits", 5),
      await c.hincrby("counters", "hits", -2),
      await c.hincrbyfloat("counters", "ratio", "10.1"),
      await c.hincrbyfloat("counters", "ratio", "0.2"),
      await c.hset("counters", "text", "abc"),
      await settle(c.hincrby("counters", "text", 1)),
      await settle(c.hincrbyfloat("counters", "text", "1")),
      await settle(c.hincrby("counters", "hits", "9223372036854775807")),
      await c.set("plain", "x"),
      await settle(c.hincrby("plain", "f", 1)),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel.slice(0, 4)).toEqual([5, 3, "10.1", "10.3"]);
    expect(spinel[5]).toBe("error: ERR hash value is not an integer");
    expect(spinel[9]).toBe("error: WRONGTYPE Operation against a key holding the wrong kind of value");
  });

  it("HRANDFIELD: shapes and sizes (values are random)", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      await c.hset("h", { a: "1", b: "2", c: "3" });
      const one = (await c.hrandfield("h")) as string;
      const two = (await c.hrandfield("h", 2)) as string[];
      const repeated = (await c.hrandfield("h", -7)) as string[];
      const all = (await c.hrandfield("h", 10, "WITHVALUES")) as string[];
      return [
        ["a", "b", "c"].includes(one),
        new Set(two).size,
        repeated.length,
        all,
        await c.hrandfield("none"),
      ];
    });
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual([true, 2, 7, ["a", "1", "b", "2", "c", "3"], null]);
  });

  it("HSCAN with a stream visits every field of a big hash exactly as Redis has them", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i < 1000; i++) fields[`field:${i}`] = String(i);
      await c.hset("big", fields);
      const seen = new Map<string, string>();
      const stream = c.hscanStream("big", { count: 50, match: "field:1*" });
      for await (const batch of stream as AsyncIterable<string[]>) {
        for (let i = 0; i < batch.length; i += 2) seen.set(batch[i]!, batch[i + 1]!);
      }
      return [await c.object("ENCODING", "big"), [...seen].sort()];
    });
    expect(spinel).toEqual(redis);
    expect(spinel[0]).toBe("hashtable");
    expect((spinel[1] as unknown[]).length).toBe(111);
  });

  it("a pipeline of hash commands", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) =>
      c.pipeline().hset("p", "a", "1").hincrby("p", "a", 41).hget("p", "a").hdel("p", "a").exists("p").exec(),
    );
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual([
      [null, 1],
      [null, 42],
      [null, "42"],
      [null, 1],
      [null, 0],
    ]);
  });
});

describe("node-redis", () => {
  it("RESP2: hSet, hGetAll, hmGet, hRandField with values", async () => {
    const { spinel, redis } = await onBoth(connectNodeRedis(2), async (c) => [
      await c.hSet("h", { x: "1", y: "2" }),
      { ...(await c.hGetAll("h")) },
      await c.hmGet("h", ["x", "nope"]),
      await c.hRandFieldCountWithValues("h", 5),
      await c.hRandFieldCount("h", -3).then((fields) => fields.length),
      await c.hIncrByFloat("h", "x", 1.5),
      await c.hLen("h"),
      { ...(await c.hGetAll("missing")) },
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel[1]).toEqual({ x: "1", y: "2" });
    expect(spinel[3]).toEqual([
      { field: "x", value: "1" },
      { field: "y", value: "2" },
    ]);
    expect(spinel[5]).toBe("2.5");
  });

  it("RESP3: maps and nested pairs", async () => {
    const { spinel, redis } = await onBoth(connectNodeRedis(3), async (c) => [
      await c.hSet("h", ["a", "1", "b", "2"]),
      { ...(await c.hGetAll("h")) },
      await c
        .hRandFieldCountWithValues("h", 2)
        .then((pairs) => pairs.map((pair) => `${pair.field}=${pair.value}`).sort()),
      await c.hRandFieldCountWithValues("h", -3).then((pairs) => pairs.length),
      await c.hGet("h", "missing"),
      await c.hExists("h", "a"),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel[1]).toEqual({ a: "1", b: "2" });
    expect(spinel[2]).toEqual(["a=1", "b=2"]);
    expect(spinel[4]).toBeNull();
  });

  it("hScanIterator collects a hash that grows while it is scanned", async () => {
    const { spinel, redis } = await onBoth(connectNodeRedis(2), async (c) => {
      const initial: Record<string, string> = {};
      for (let i = 0; i < 600; i++) initial[`k${i}`] = "v";
      await c.hSet("grow", initial);
      const seen = new Set<string>();
      let batches = 0;
      for await (const entries of c.hScanIterator("grow", { COUNT: 40 })) {
        for (const entry of entries) seen.add(entry.field);
        await c.hSet("grow", `added${batches++}`, "v");
      }
      const original = Object.keys(initial).filter((field) => !seen.has(field));
      return { missingOriginals: original.length, sawAtLeast: seen.size >= 600 };
    });
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual({ missingOriginals: 0, sawAtLeast: true });
  });
});
