/*
 * Properties of the bit arithmetic behind the bitmap commands, checked against
 * plain bit-by-bit models: population counts (aligned or not, any range),
 * the first-bit search, field reads and writes of every width at every
 * offset, and the overflow rules where they have a mathematical meaning
 * (INCRBY of a value inside its field). Redis' own quirks beyond that (SET
 * of values far outside a field) are pinned by examples taken from
 * redis-server 7.0, and by the differential tests in tests/.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkSignedOverflow,
  checkSmallOverflow,
  checkUnsignedOverflow,
  countBitsInRange,
  findBitInRange,
  OverflowCheck,
  OverflowMode,
  popcount,
  readSignedField,
  readSmallField,
  readUnsignedField,
  writeField,
  writeSmallField,
} from "./bitmap-ops.js";

/** Bit `position` of `bytes`, most significant first; 0 past the end. */
function bitAt(bytes: Buffer, position: number): number {
  const index = Math.floor(position / 8);
  return index < bytes.length ? (bytes[index]! >> (7 - (position % 8))) & 1 : 0;
}

/** Bytes with a random amount of slack before them, so views start at any alignment. */
const unalignedBytes = fc
  .tuple(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 0, max: 7 }))
  .map(([content, slack]) => {
    const backing = Buffer.alloc(content.length + slack + 8);
    backing.set(content, slack);
    return backing.subarray(slack, slack + content.length);
  });

describe("popcount and countBitsInRange", () => {
  it("match a bit-by-bit count for any alignment and range", () => {
    fc.assert(
      fc.property(unalignedBytes, fc.nat(), fc.nat(), (bytes, a, b) => {
        const bits = bytes.length * 8;
        let naive = 0;
        for (let i = 0; i < bits; i++) naive += bitAt(bytes, i);
        expect(popcount(bytes, 0, bytes.length)).toBe(naive);
        if (bits === 0) return;
        const first = Math.min(a % bits, b % bits);
        const last = Math.max(a % bits, b % bits);
        let inRange = 0;
        for (let i = first; i <= last; i++) inRange += bitAt(bytes, i);
        expect(countBitsInRange(bytes, first, last)).toBe(inRange);
      }),
    );
  });
});

describe("findBitInRange", () => {
  it("finds the first wanted bit in the range, or -1", () => {
    const biased = fc.uint8Array({ maxLength: 20 }).chain((content) =>
      fc.constantFrom(0, 1, 2).map((style) => {
        const bytes = Buffer.from(content);
        if (style === 0) bytes.fill(0, 0, Math.floor(bytes.length / 2));
        if (style === 1) bytes.fill(0xff, 0, Math.floor(bytes.length / 2));
        return bytes;
      }),
    );
    fc.assert(
      fc.property(biased, fc.nat(), fc.nat(), fc.constantFrom(0, 1), (bytes, a, b, bit) => {
        const bits = bytes.length * 8;
        if (bits === 0) return;
        const first = Math.min(a % bits, b % bits);
        const last = Math.max(a % bits, b % bits);
        let expected = -1;
        for (let i = first; i <= last && expected === -1; i++) if (bitAt(bytes, i) === bit) expected = i;
        expect(findBitInRange(bytes, first, last, bit)).toBe(expected);
      }),
    );
  });
});

describe("findBitInRange over long runs", () => {
  it("finds the one differing bit in runs of 0x00 / 0xff many kilobytes long", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20000 }),
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom(0, 1),
        fc.option(fc.nat(), { nil: null }),
        fc.nat(),
        fc.nat(),
        (length, slack, bit, flip, a, b) => {
          const backing = Buffer.alloc(length + slack, bit === 1 ? 0x00 : 0xff);
          const bytes = backing.subarray(slack);
          const bits = length * 8;
          if (flip !== null) {
            const index = Math.floor((flip % bits) / 8);
            bytes[index] = bytes[index]! ^ (0x80 >> ((flip % bits) % 8));
          }
          const first = Math.min(a % bits, b % bits);
          const last = Math.max(a % bits, b % bits);
          let expected = -1;
          if (flip !== null && flip % bits >= first && flip % bits <= last) expected = flip % bits;
          expect(findBitInRange(bytes, first, last, bit)).toBe(expected);
          expect(findBitInRange(bytes, 0, bits - 1, bit)).toBe(flip === null ? -1 : flip % bits);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("field reads and writes", () => {
  it("read what a bit-by-bit model reads, zero past the end", () => {
    fc.assert(
      fc.property(
        unalignedBytes,
        fc.nat({ max: 700 }),
        fc.integer({ min: 1, max: 64 }),
        (bytes, offset, bits) => {
          let expected = 0n;
          for (let i = 0; i < bits; i++) expected = (expected << 1n) | BigInt(bitAt(bytes, offset + i));
          expect(readUnsignedField(bytes, offset, bits)).toBe(expected);
          expect(readSignedField(bytes, offset, bits)).toBe(BigInt.asIntN(bits, expected));
        },
      ),
    );
  });

  it("write exactly the field's bits and read them back", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 9, maxLength: 24 }),
        fc.nat({ max: 100 }),
        fc.integer({ min: 1, max: 64 }),
        fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }),
        (content, rawOffset, bits, value) => {
          const bytes = Buffer.from(content);
          const offset = rawOffset % (bytes.length * 8 - bits + 1);
          const before = Buffer.from(bytes);
          writeField(bytes, offset, bits, value);
          expect(readUnsignedField(bytes, offset, bits)).toBe(BigInt.asUintN(bits, value));
          for (let i = 0; i < bytes.length * 8; i++) {
            if (i < offset || i >= offset + bits) expect(bitAt(bytes, i)).toBe(bitAt(before, i));
          }
        },
      ),
    );
  });
});

describe("overflow rules", () => {
  const check = new OverflowCheck();

  it("unsigned INCRBY from a value inside the field: wrap is modular, sat clamps, fail flags", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 63 }),
        fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        (bits, rawValue, increment) => {
          const max = (1n << BigInt(bits)) - 1n;
          const value = rawValue % (max + 1n);
          const sum = value + increment;
          const direction = sum > max ? 1 : sum < 0n ? -1 : 0;
          checkUnsignedOverflow(value, increment, bits, OverflowMode.Wrap, check);
          expect(check.direction).toBe(direction);
          if (direction !== 0) expect(check.limit).toBe(BigInt.asUintN(bits, sum));
          checkUnsignedOverflow(value, increment, bits, OverflowMode.Sat, check);
          if (direction !== 0) expect(check.limit).toBe(direction > 0 ? max : 0n);
        },
      ),
    );
  });

  it("signed INCRBY from a value inside the field: the same, in two's complement", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        (bits, rawValue, increment) => {
          const value = BigInt.asIntN(bits, rawValue);
          const max = (1n << BigInt(bits - 1)) - 1n;
          const min = -max - 1n;
          const sum = value + increment;
          const direction = sum > max ? 1 : sum < min ? -1 : 0;
          checkSignedOverflow(value, increment, bits, OverflowMode.Wrap, check);
          expect(check.direction).toBe(direction);
          if (direction !== 0) expect(check.limit).toBe(BigInt.asIntN(bits, sum));
          checkSignedOverflow(value, increment, bits, OverflowMode.Sat, check);
          if (direction !== 0) expect(check.limit).toBe(direction > 0 ? max : min);
        },
      ),
    );
  });

  it("SET of values far outside a signed field saturates as redis-server 7.0 does", () => {
    // Redis computes max - value in 64 bits; it wraps for these values.
    checkSignedOverflow(-9223372036854775808n, 0n, 8, OverflowMode.Sat, check);
    expect([check.direction, check.limit]).toEqual([1, 127n]);
    checkSignedOverflow(-9223372036854775681n, 0n, 8, OverflowMode.Sat, check);
    expect([check.direction, check.limit]).toEqual([1, 127n]);
    checkSignedOverflow(-9223372036854775680n, 0n, 8, OverflowMode.Sat, check);
    expect([check.direction, check.limit]).toEqual([-1, -128n]);
    checkSignedOverflow(-9223372036854775808n, 0n, 8, OverflowMode.Wrap, check);
    expect([check.direction, check.limit]).toEqual([1, 0n]);
  });

  it("SET of a negative value into an unsigned field is a huge uint64: SAT gives the maximum", () => {
    checkUnsignedOverflow(BigInt.asUintN(64, -1n), 0n, 8, OverflowMode.Sat, check);
    expect([check.direction, check.limit]).toEqual([1, 255n]);
    checkUnsignedOverflow(BigInt.asUintN(64, -256n), 0n, 8, OverflowMode.Wrap, check);
    expect([check.direction, check.limit]).toEqual([1, 0n]);
  });
});

describe("the plain-number path for narrow fields", () => {
  const small = new OverflowCheck();
  const big = new OverflowCheck();
  const argument = fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 });

  it("reads and writes like the BigInt path", () => {
    fc.assert(
      fc.property(
        unalignedBytes.filter((bytes) => bytes.length >= 5),
        fc.nat({ max: 300 }),
        fc.integer({ min: 1, max: 32 }),
        fc.boolean(),
        argument,
        (bytes, rawOffset, bits, signed, value) => {
          const offset = rawOffset % (bytes.length * 8 - bits + 1);
          const expected = signed
            ? readSignedField(bytes, offset, bits)
            : readUnsignedField(bytes, offset, bits);
          expect(readSmallField(bytes, offset, bits, signed)).toBe(Number(expected));
          expect(readSmallField(bytes, offset + 400, bits, signed)).toBe(0);
          const copy = Buffer.from(bytes);
          writeSmallField(bytes, offset, bits, value);
          writeField(copy, offset, bits, BigInt(value));
          expect(bytes.equals(copy)).toBe(true);
        },
      ),
    );
  });

  it("applies the overflow rules like the BigInt path, for SET and INCRBY", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }),
        fc.boolean(),
        fc.constantFrom(OverflowMode.Wrap, OverflowMode.Sat, OverflowMode.Fail),
        fc.nat(),
        argument,
        fc.boolean(),
        (bits, signed, mode, rawValue, arg, isSet) => {
          const range = 2 ** bits;
          const inField = signed ? (rawValue % range) - range / 2 : rawValue % range;
          const [value, increment] = isSet ? [arg, 0] : [inField, arg];
          checkSmallOverflow(value, increment, bits, signed, mode, small);
          if (signed) checkSignedOverflow(BigInt(value), BigInt(increment), bits, mode, big);
          else checkUnsignedOverflow(BigInt.asUintN(64, BigInt(value)), BigInt(increment), bits, mode, big);
          expect(small.direction).toBe(big.direction);
          if (big.direction !== 0 && mode !== OverflowMode.Fail)
            expect(small.smallLimit).toBe(Number(big.limit));
        },
      ),
    );
  });
});
