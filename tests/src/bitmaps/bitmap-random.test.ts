/*
 * Randomised differential tests of the bitmap commands: seeded random strings,
 * ranges, units, field types, offsets, values and overflow modes are sent to a
 * real redis-server 7 and to Spinel, and every raw reply must be identical,
 * along with the resulting string (GET) after each write.
 *
 * The generators lean on the edges: strings of 0x00 and 0xff bytes (where
 * BITPOS has nothing to find), indexes just inside and outside the string,
 * negative indexes, both units, fields straddling byte boundaries, values at
 * and beyond the limits of each width. Seeds are fixed, so a failure replays.
 */

import { describe, expect, it } from "vitest";
import { useRawClientPair } from "../support/client-comparison.js";
import { showReply } from "../support/resp-frames.js";
import { chooser, generator } from "../support/seeded-random.js";

const clients = useRawClientPair();

/** A random string biased towards runs of 0x00 and 0xff. */
function randomBytes(choose: ReturnType<typeof chooser>): Buffer {
  const length = choose.pick([0, 1, 1, 2, 3, 4, 5, 8, 9, 13]);
  const style = choose.int(0, 3);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    if (style === 0) bytes[i] = 0;
    else if (style === 1) bytes[i] = 0xff;
    else if (style === 2) bytes[i] = choose.pick([0, 0xff, 1, 0x80, 0x7f, 0xfe]);
    else bytes[i] = choose.int(0, 255);
  }
  // A single stray bit in an otherwise uniform string.
  if (length > 0 && style < 2 && choose.random() < 0.5) {
    const index = choose.int(0, length - 1);
    bytes[index] = bytes[index]! ^ (1 << choose.int(0, 7));
  }
  return bytes;
}

/** A random range index: small, around the string's edges, negative, or huge. */
function randomIndex(choose: ReturnType<typeof chooser>, length: number): string {
  const r = choose.random();
  if (r < 0.05)
    return choose.pick(["9223372036854775807", "-9223372036854775808", "4294967296", "-4294967296"]);
  if (r < 0.5) return String(choose.int(-length - 2, length + 2));
  return String(choose.int(-8 * length - 10, 8 * length + 10));
}

/** Send the same command to both servers; record a mismatch. */
async function compare(argv: Array<string | Buffer>, mismatches: string[]): Promise<void> {
  const [fromRedis, fromSpinel] = await Promise.all([
    clients.redis.call(...argv),
    clients.spinel.call(...argv),
  ]);
  if (!fromRedis.equals(fromSpinel)) {
    const shown = argv.map((arg) => (typeof arg === "string" ? arg : `<${arg.toString("hex")}>`)).join(" ");
    mismatches.push(`${shown}: redis ${showReply(fromRedis)} spinel ${showReply(fromSpinel)}`);
  }
}

describe("BITCOUNT and BITPOS over random strings and ranges", () => {
  it("agree with redis-server on 3000 random calls", async () => {
    const choose = chooser(generator(0xb17c0de));
    const mismatches: string[] = [];
    let calls = 0;
    for (let round = 0; round < 150; round++) {
      const bytes = randomBytes(choose);
      await Promise.all([
        clients.redis.call("SET", "bits", bytes),
        clients.spinel.call("SET", "bits", bytes),
      ]);
      for (let k = 0; k < 20; k++) {
        const start = randomIndex(choose, bytes.length);
        const end = randomIndex(choose, bytes.length);
        const unit = choose.pick([[], [], ["BYTE"], ["BIT"], ["bit"]]);
        if (choose.random() < 0.5) {
          await compare(
            choose.random() < 0.1 ? ["BITCOUNT", "bits"] : ["BITCOUNT", "bits", start, end, ...unit],
            mismatches,
          );
        } else {
          const bit = choose.pick(["0", "1"]);
          const shape = choose.int(0, 3);
          const argv =
            shape === 0
              ? ["BITPOS", "bits", bit]
              : shape === 1
                ? ["BITPOS", "bits", bit, start]
                : ["BITPOS", "bits", bit, start, end, ...unit];
          await compare(argv, mismatches);
        }
        calls++;
      }
    }
    expect(calls).toBe(3000);
    expect(mismatches).toEqual([]);
  });
});

describe("BITCOUNT and BITPOS over long runs", () => {
  it("agree with redis-server on strings of kilobytes of 0x00 or 0xff with a few stray bits", async () => {
    const choose = chooser(generator(0x10b17));
    const mismatches: string[] = [];
    for (let round = 0; round < 40; round++) {
      const length = choose.int(1000, 20000);
      const bytes = Buffer.alloc(length, choose.pick([0x00, 0xff]));
      for (let flips = choose.int(0, 3); flips > 0; flips--) {
        const index = choose.int(0, length - 1);
        bytes[index] = bytes[index]! ^ (1 << choose.int(0, 7));
      }
      await Promise.all([
        clients.redis.call("SET", "long", bytes),
        clients.spinel.call("SET", "long", bytes),
      ]);
      for (let k = 0; k < 10; k++) {
        const start = String(choose.int(-length * 8, length * 8));
        const end = String(choose.int(-length * 8, length * 8));
        const unit = choose.pick([[], ["BYTE"], ["BIT"]]);
        const bit = choose.pick(["0", "1"]);
        await compare(["BITPOS", "long", bit], mismatches);
        await compare(["BITPOS", "long", bit, start, end, ...unit], mismatches);
        await compare(["BITCOUNT", "long", start, end, ...unit], mismatches);
      }
      await compare(["BITCOUNT", "long"], mismatches);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("BITFIELD over random fields", () => {
  /** A type with its width: signed up to 64 bits, unsigned up to 63. */
  function randomType(choose: ReturnType<typeof chooser>): [string, number] {
    const signed = choose.random() < 0.5;
    const bits = choose.pick([
      1,
      2,
      3,
      5,
      7,
      8,
      9,
      15,
      16,
      17,
      31,
      32,
      33,
      48,
      53,
      54,
      62,
      63,
      signed ? 64 : 63,
    ]);
    return [`${signed ? "i" : "u"}${bits}`, bits];
  }

  /** A value near the interesting limits of a width, or anywhere in 64 bits. */
  function randomValue(choose: ReturnType<typeof chooser>, bits: number): string {
    const r = choose.random();
    const limit = 1n << BigInt(bits);
    const near = choose.pick([0n, 1n, limit / 2n, limit - 1n, limit, -limit / 2n, -limit]);
    if (r < 0.6) return String(near + BigInt(choose.int(-2, 2)));
    if (r < 0.7) return choose.pick(["9223372036854775807", "-9223372036854775808", "-9223372036854775700"]);
    return String(BigInt(choose.int(-1000000, 1000000)) * BigInt(choose.int(1, 1 << 30)));
  }

  it("agree with redis-server, replies and stored bytes, on 800 random commands", async () => {
    const choose = chooser(generator(0xf1e1d));
    const mismatches: string[] = [];
    for (let round = 0; round < 100; round++) {
      const bytes = randomBytes(choose);
      if (bytes.length === 0 && choose.random() < 0.5) {
        await Promise.all([clients.redis.call("DEL", "field"), clients.spinel.call("DEL", "field")]);
      } else {
        await Promise.all([
          clients.redis.call("SET", "field", bytes),
          clients.spinel.call("SET", "field", bytes),
        ]);
      }
      for (let k = 0; k < 8; k++) {
        const argv: string[] = ["BITFIELD", "field"];
        const operations = choose.int(1, 4);
        for (let o = 0; o < operations; o++) {
          if (choose.random() < 0.3) argv.push("OVERFLOW", choose.pick(["WRAP", "SAT", "FAIL"]));
          const [type, bits] = randomType(choose);
          const offset =
            choose.random() < 0.2
              ? `#${choose.int(0, 12)}`
              : String(choose.int(0, Math.max(8, bytes.length * 8 + 8)));
          const opcode = choose.pick(["GET", "SET", "INCRBY"]);
          argv.push(opcode, type, offset);
          if (opcode !== "GET") argv.push(randomValue(choose, bits));
        }
        await compare(argv, mismatches);
        await compare(["GET", "field"], mismatches);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
