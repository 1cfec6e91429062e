/*
 * Bitmap commands through real client libraries (ioredis, node-redis v5 on
 * RESP2 and RESP3) over TCP, and their keyspace notifications. Each scenario
 * runs against Spinel and against a real redis-server 7 and the decoded
 * results must be equal; the results are also spelled out, so a scenario
 * cannot pass by both sides failing the same way.
 */

import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectIoredis, connectNodeRedis, settle, useServerPair } from "../support/client-comparison.js";
import { keyspaceEventsOf } from "../support/keyspace-events.js";

const servers = useServerPair();
const onBoth = servers.onBoth;

describe("ioredis", () => {
  it("SETBIT, GETBIT, BITCOUNT, BITPOS on a growing bitmap", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.setbit("visits", 7, 1),
      await c.setbit("visits", 100, 1),
      await c.setbit("visits", 7, 0),
      await c.getbit("visits", 100),
      await c.strlen("visits"),
      await c.bitcount("visits"),
      await c.bitcount("visits", 0, 11),
      await c.bitcount("visits", 96, 103, "BIT"),
      await c.bitpos("visits", 1),
      await c.bitpos("visits", 0),
      await c.bitpos("visits", 1, 13, -1),
      await settle(c.setbit("visits", 4294967296, 1)),
      await settle(c.setbit("visits", 1, 2)),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual([
      0,
      0,
      1,
      1,
      13,
      1,
      0,
      1,
      100,
      0,
      -1,
      "error: ERR bit offset is not an integer or out of range",
      "error: ERR bit is not an integer or out of range",
    ]);
  });

  it("BITOP over binary buffers", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      await c.set("a", Buffer.from([0xff, 0x0f, 0x00]));
      await c.set("b", Buffer.from([0x0f]));
      return [
        await c.bitop("AND", "and", "a", "b"),
        (await c.getBuffer("and"))!.toString("hex"),
        await c.bitop("OR", "or", "a", "b"),
        (await c.getBuffer("or"))!.toString("hex"),
        await c.bitop("XOR", "xor", "a", "b"),
        (await c.getBuffer("xor"))!.toString("hex"),
        await c.bitop("NOT", "not", "a"),
        (await c.getBuffer("not"))!.toString("hex"),
        await c.bitop("AND", "and", "missing"),
        await c.exists("and"),
        await settle(c.bitop("NOT", "not", "a", "b")),
      ];
    });
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual([
      3,
      "0f0000",
      3,
      "ff0f00",
      3,
      "f00f00",
      3,
      "00f0ff",
      0,
      0,
      "error: ERR BITOP NOT must be called with a single source key.",
    ]);
  });

  it("BITFIELD counters with overflow control, and BITFIELD_RO", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.call("BITFIELD", "counters", "INCRBY", "u8", "#0", "200", "INCRBY", "u8", "#0", "100"),
      await c.call(
        "BITFIELD",
        "counters",
        "OVERFLOW",
        "SAT",
        "INCRBY",
        "u8",
        "#1",
        "300",
        "INCRBY",
        "i8",
        "#2",
        "-300",
      ),
      await c.call(
        "BITFIELD",
        "counters",
        "OVERFLOW",
        "FAIL",
        "INCRBY",
        "u8",
        "#0",
        "250",
        "GET",
        "u8",
        "#0",
      ),
      await c.call(
        "BITFIELD",
        "counters",
        "SET",
        "i16",
        "32",
        "-32768",
        "GET",
        "i16",
        "32",
        "GET",
        "u16",
        "32",
      ),
      await c.call("BITFIELD_RO", "counters", "GET", "u8", "#1", "GET", "i8", "#2"),
      await settle(c.call("BITFIELD_RO", "counters", "SET", "u8", "0", "1")),
      await settle(c.call("BITFIELD", "counters", "GET", "u64", "0")),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel).toEqual([
      [200, 44],
      [255, -128],
      [null, 44],
      [0, -32768, 32768],
      [255, -128],
      "error: ERR BITFIELD_RO only supports the GET subcommand",
      "error: ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
    ]);
  });
});

describe("node-redis", () => {
  for (const resp of [2, 3] as const) {
    it(`RESP${resp}: bitmaps and bitfields`, async () => {
      const { spinel, redis } = await onBoth(connectNodeRedis(resp), async (c) => [
        await c.setBit("b", 3, 1),
        await c.getBit("b", 3),
        await c.bitCount("b"),
        await c.bitCount("b", { start: 0, end: 7, mode: "BIT" }),
        await c.bitPos("b", 1),
        await c.bitPos("b", 0, 1, -1, "BYTE"),
        await c.bitOp("NOT", "n", "b"),
        await c.bitCount("n"),
        await c.bitField("f", [
          { operation: "SET", encoding: "u8", offset: 0, value: 250 },
          { operation: "OVERFLOW", behavior: "FAIL" },
          { operation: "INCRBY", encoding: "u8", offset: 0, increment: 10 },
          { operation: "GET", encoding: "i8", offset: 0 },
        ]),
        await c.bitFieldRo("f", [{ encoding: "u4", offset: "#1" }]),
        await settle(c.bitPos("b", 1, 0, -1, "BIT").then(() => c.sendCommand(["BITPOS", "b", "2"]))),
      ]);
      expect(spinel).toEqual(redis);
      expect(spinel.slice(0, 8)).toEqual([0, 1, 1, 1, 3, -1, 1, 7]);
      expect(spinel[8]).toEqual([0, null, -6]);
      expect(spinel[9]).toEqual([10]);
      expect(spinel[10]).toBe("error: ERR The bit argument must be 1 or 0.");
    });
  }
});

// ---------------------------------------------------------------- keyspace notifications

/** Run `steps` on `port` with notifications "KEAn"; return the messages, in order. */
function eventsOf(port: number, steps: readonly (readonly string[])[]): Promise<string[]> {
  return keyspaceEventsOf(port, "KEAn", steps);
}

describe("bitmap keyspace notifications, compared with redis-server", () => {
  it("setbit, and nothing for writes that change nothing", async () => {
    const steps = [
      ["SETBIT", "ev:b", "3", "1"],
      ["SETBIT", "ev:b", "3", "1"],
      ["SETBIT", "ev:b", "3", "0"],
      ["SETBIT", "ev:b", "40", "0"],
      ["SETBIT", "ev:b", "40", "0"],
      ["GETBIT", "ev:b", "3"],
      ["BITCOUNT", "ev:b"],
      ["SETBIT", "ev:b", "-1", "1"],
    ];
    const [fromRedis, fromSpinel] = await Promise.all([
      eventsOf(servers.redis.port, steps),
      eventsOf(servers.spinel.port, steps),
    ]);
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel.filter((message) => message.includes("__keyevent@0__:setbit")).length).toBe(3);
  });

  it("BITFIELD raises setbit once per command that changed a field; BITOP raises set or del", async () => {
    const steps = [
      ["BITFIELD", "ev:f", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"],
      ["BITFIELD", "ev:f", "SET", "u8", "0", "0"],
      ["BITFIELD", "ev:f", "SET", "u8", "0", "1", "INCRBY", "u8", "8", "1"],
      ["BITFIELD", "ev:f", "GET", "u8", "0"],
      ["BITFIELD_RO", "ev:f", "GET", "u8", "0"],
      ["BITOP", "NOT", "ev:d", "ev:f"],
      ["BITOP", "OR", "ev:d", "ev:f", "ev:missing"],
      ["BITOP", "AND", "ev:d", "ev:missing"],
      ["BITOP", "AND", "ev:d", "ev:missing"],
    ];
    const [fromRedis, fromSpinel] = await Promise.all([
      eventsOf(servers.redis.port, steps),
      eventsOf(servers.spinel.port, steps),
    ]);
    expect(fromSpinel).toEqual(fromRedis);
    expect(
      fromSpinel.some((message) => message.includes("__keyevent@0__:del") && message.includes("ev:d")),
    ).toBe(true);
  });
});
