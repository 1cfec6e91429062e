/*
 * String commands through real client libraries (ioredis, node-redis v5) over
 * TCP. Each scenario runs against Spinel and against a real redis-server 7 and
 * the decoded results must be equal; a few results are also spelled out, so a
 * scenario cannot pass by both sides failing the same way.
 */

import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectIoredis, connectNodeRedis, settle, useServerPair } from "../support/client-comparison.js";

const { onBoth } = useServerPair();
const connectNodeRedisResp2 = connectNodeRedis(2);

describe("ioredis", () => {
  it("SET options, GET, MGET, MSET and the GET family", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.set("greeting", "hello"),
      await c.set("greeting", "hi", "NX"),
      await c.set("greeting", "hey", "XX", "GET"),
      await c.set("counter", "10", "EX", 100),
      await c.ttl("counter"),
      await c.set("counter", "11", "KEEPTTL"),
      await c.ttl("counter"),
      await c.mset({ a: "1", b: "2" }),
      await c.mget("a", "b", "missing", "greeting"),
      await c.msetnx("a", "x", "c", "3"),
      await c.getset("a", "one"),
      await c.getdel("b"),
      await c.getex("a", "EX", 50),
      await c.ttl("a"),
      await c.getex("a", "PERSIST"),
      await c.ttl("a"),
      await c.setnx("fresh", "v"),
      await c.setex("temp", 30, "t"),
      await c.psetex("temp2", 30000, "t"),
      await c.pttl("temp2").then((ms) => ms > 29_000 && ms <= 30_000),
      await settle(c.set("bad", "v", "EX", 0)),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel.slice(0, 3)).toEqual(["OK", null, "hello"]);
  });

  it("counters: INCR family and INCRBYFLOAT at the limits", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.incr("n"),
      await c.incrby("n", 41),
      await c.decrby("n", 2),
      await c.decr("n"),
      await c.set("max", "9223372036854775806"),
      await c.incr("max"),
      await settle(c.incr("max")),
      await c.get("max"),
      await c.set("f", "10.1"),
      await c.incrbyfloat("f", "0.2"),
      await c.incrbyfloat("f", "1e20"),
      await c.incrbyfloat("g", "-1.5e-3"),
      await settle(c.incrbyfloat("f", "inf")),
      await settle(c.incrby("n", "1.5" as unknown as number)),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel.slice(6, 11)).toEqual([
      "error: ERR increment or decrement would overflow",
      "9223372036854775807",
      "OK",
      "10.3",
      "100000000000000000008",
    ]);
  });

  it("binary values with NUL and CRLF, APPEND, ranges and LCS", async () => {
    const bytes = Buffer.from([0, 13, 10, 255, 0, 65]);
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.set(Buffer.from("bin\0key"), bytes),
      (await c.getBuffer(Buffer.from("bin\0key")))?.toString("hex"),
      await c.append("s", "Hello"),
      await c.append("s", " World"),
      await c.strlen("s"),
      await c.getrange("s", -5, -1),
      await c.setrange("s", 6, "Redis"),
      await c.get("s"),
      await c.setrange("pad", 3, "x"),
      (await c.getBuffer("pad"))?.toString("hex"),
      await c.mset("l1", "ohmytext", "l2", "mynewtext"),
      await c.lcs("l1", "l2"),
      await c.lcs("l1", "l2", "IDX", "MINMATCHLEN", 4, "WITHMATCHLEN"),
      await c.object("ENCODING", "s"),
      await c.object("ENCODING", "l1"),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel[1]).toBe(bytes.toString("hex"));
    expect(spinel[9]).toBe("00000078");
  });
});

describe("node-redis", () => {
  it("strings, counters and TTL options", async () => {
    type NodeRedis = Awaited<ReturnType<typeof connectNodeRedisResp2>>["client"];
    const { spinel, redis } = await onBoth(connectNodeRedisResp2, async (c: NodeRedis) => [
      await c.set("k", "v", { expiration: { type: "EX", value: 100 } }),
      await c.ttl("k"),
      await c.set("k", "w", { condition: "XX", GET: true }),
      await c.set("k", "x", { expiration: "KEEPTTL" }),
      await c.ttl("k"),
      await c.get("k"),
      await c.getEx("k", { type: "PERSIST" }),
      await c.ttl("k"),
      await c.mSet({ a: "1", b: "2" }),
      await c.mGet(["a", "b", "zz"]),
      await c.incrBy("a", 9),
      await c.incrByFloat("a", 0.5),
      await c.decrBy("b", 5),
      await c.append("c", "xyz"),
      await c.getRange("c", 0, 1),
      await c.setRange("c", 1, "Y"),
      await c.get("c"),
      await c.getDel("c"),
      await c.strLen("c"),
      await c.lcs("a", "b"),
      await settle(c.set("k", "v", { expiration: { type: "PX", value: -1 } })),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel[11]).toBe("10.5");
  });
});
