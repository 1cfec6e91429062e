/*
 * Extended-precision arithmetic of INCRBYFLOAT / HINCRBYFLOAT. The expected texts
 * in the tables were produced by redis-server 7.0.15 on x86-64 (SET k <current>,
 * INCRBYFLOAT k <increment>); the differential corpus checks many more live.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addLongDouble,
  formatLongDouble,
  incrementLongDouble,
  LongDoubleFailure,
  longDoubleFromInteger,
  parseLongDouble,
} from "./long-double.js";

const LONG_MAX_SUM_TEXT =
  "10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880";

describe("incrementLongDouble", () => {
  const answers: Array<[current: string | null, increment: string, expected: string]> = [
    ["10.1", "0.2", "10.3"],
    ["10.3", "1e20", "100000000000000000008"],
    ["1", "1e400", LONG_MAX_SUM_TEXT],
    [null, "0x1p3", "8"],
    [null, ".5", "0.5"],
    [null, "5.", "5"],
    [null, "+.5e1", "5"],
    [null, "1e-4950", "0"],
    [null, "0x1p-16445", "0"],
    // 2^-18 = 0.000003814697265625: a tie at the 17th decimal, rounded to even.
    [null, "3.814697265625e-06", "0.00000381469726562"],
    // 3 * 2^-18 = 0.000011444091796875: tie, rounded up to the even digit.
    [null, "0x3p-18", "0.00001144409179688"],
    // Negative values that print as zero lose their sign.
    [null, "-1e-20", "0"],
    ["5.0e3", "-0.0001", "4999.99989999999999979"],
    ["9223372036854775807", "1", "9223372036854775808"],
    ["18446744073709551615", "1", "18446744073709551616"],
    // 2^64 + 1 needs 65 bits: the tie rounds to the even significand.
    ["18446744073709551616", "1", "18446744073709551616"],
    ["18446744073709551616", "2", "18446744073709551618"],
    ["-0", "-0", "0"],
    ["3", "-3", "0"],
    ["0.1", "0.2", "0.3"],
    ["1.1", "2.2", "3.3"],
  ];
  for (const [current, increment, expected] of answers) {
    it(`${current} + ${increment} = ${expected.length > 40 ? `${expected.slice(0, 30)}...` : expected}`, () => {
      expect(incrementLongDouble(current, increment)).toBe(expected);
    });
  }

  it("reports which operand is not a float, and non-finite sums", () => {
    expect(incrementLongDouble("abc", "1")).toBe(LongDoubleFailure.CurrentNotFloat);
    expect(incrementLongDouble("1", "abc")).toBe(LongDoubleFailure.IncrementNotFloat);
    expect(incrementLongDouble("abc", "abc")).toBe(LongDoubleFailure.IncrementNotFloat);
    expect(incrementLongDouble("1", "inf")).toBe(LongDoubleFailure.NotFinite);
    expect(incrementLongDouble("inf", "-inf")).toBe(LongDoubleFailure.NotFinite);
    expect(incrementLongDouble("1e4932", "1e4932")).toBe(LongDoubleFailure.NotFinite);
    expect(incrementLongDouble(Buffer.from("2"), Buffer.from("0.5"))).toBe("2.5");
  });
});

describe("parseLongDouble", () => {
  const refused = [
    "",
    " 1",
    "\t1",
    "1 ",
    "1\n",
    "nan",
    "NaN",
    "-nan",
    "nan(1)",
    "infinit",
    "+",
    "-",
    ".",
    ".e1",
    "1e",
    "1e+",
    "0x",
    "0x.",
    "0x1p",
    "1_0",
    "1,5",
    "0b1",
    "1\0",
    "\0",
    "1e5000",
    "-1e5000",
    "1e-4951",
    "1.8e-4951",
    "0x1p-16446",
    "0x1p16384",
    "1.18973149535723176509e+4932",
    "9".repeat(5120),
  ];
  for (const text of refused) {
    it(`refuses ${JSON.stringify(text.length > 20 ? `${text.slice(0, 10)}...` : text)}`, () => {
      expect(parseLongDouble(text)).toBeNull();
    });
  }

  it("accepts infinities, exact zeros at any exponent and the extremes of the range", () => {
    expect(parseLongDouble("inf")?.infinite).toBe(true);
    expect(parseLongDouble("-Infinity")?.negative).toBe(true);
    expect(parseLongDouble("0e-99999")?.isZero).toBe(true);
    expect(parseLongDouble("0x0p99999")?.isZero).toBe(true);
    expect(parseLongDouble("1.9e-4951")?.isZero).toBe(false);
    expect(parseLongDouble("0xffffffffffffffffp16320")?.infinite).toBe(false);
    expect(parseLongDouble("1.18973149535723176502e+4932")?.infinite).toBe(false);
    expect(parseLongDouble("9".repeat(400))?.infinite).toBe(false);
  });

  it("holds every 64-bit integer exactly", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 64n) + 1n, max: 2n ** 64n - 1n }), (n) => {
        const parsed = parseLongDouble(n.toString())!;
        expect(formatLongDouble(parsed)).toBe(n.toString());
        expect(formatLongDouble(longDoubleFromInteger(n))).toBe(n.toString());
      }),
    );
  });
});

describe("addLongDouble", () => {
  it("is exact on integers below 2^64 and commutative everywhere", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        (a, b) => {
          const sum = addLongDouble(longDoubleFromInteger(a), longDoubleFromInteger(b))!;
          expect(formatLongDouble(sum)).toBe((a + b).toString());
        },
      ),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        const x = parseLongDouble(String(a));
        const y = parseLongDouble(String(b));
        if (x === null || y === null) return;
        const left = addLongDouble(x, y);
        const right = addLongDouble(y, x);
        expect(left === null ? null : formatLongDouble(left)).toBe(
          right === null ? null : formatLongDouble(right),
        );
      }),
    );
  });

  it("keeps more precision than a double (the point of emulating x87)", () => {
    // 2^53 + 1 is not a double, but an extended value holds it.
    const sum = addLongDouble(parseLongDouble("9007199254740992")!, parseLongDouble("1")!)!;
    expect(formatLongDouble(sum)).toBe("9007199254740993");
    expect(9007199254740992 + 1).toBe(9007199254740992);
  });

  it("returns null for inf + -inf", () => {
    expect(addLongDouble(parseLongDouble("inf")!, parseLongDouble("-inf")!)).toBeNull();
  });
});
