/*
 * The intset integer rules: which members count as integers (Redis' string2ll)
 * and their numeric order, checked against BigInt.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareIntegerStrings, isIntsetMember, searchIntegerStrings } from "./intset.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

describe("isIntsetMember", () => {
  it.each([
    "0",
    "1",
    "-1",
    "42",
    "9223372036854775807",
    "-9223372036854775808",
    "1000000000000000000",
    "-999999999999999999",
  ])("accepts %j", (member) => {
    expect(isIntsetMember(member)).toBe(true);
  });

  it.each([
    "",
    "-",
    "-0",
    "00",
    "01",
    "-01",
    "+1",
    " 1",
    "1 ",
    "1a",
    "1.0",
    "1e3",
    "0x10",
    "9223372036854775808",
    "-9223372036854775809",
    "10000000000000000000",
    "99999999999999999999",
    "-99999999999999999999",
    "\x001",
  ])("refuses %j", (member) => {
    expect(isIntsetMember(member)).toBe(false);
  });

  it("accepts exactly the decimal forms of 64-bit integers", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (value) => {
        expect(isIntsetMember(value.toString())).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MAX + 1n, max: 2n ** 70n }), fc.boolean(), (value, negative) => {
        const text = negative ? `-${value + 1n}` : value.toString();
        expect(isIntsetMember(text)).toBe(false);
      }),
    );
  });
});

describe("compareIntegerStrings", () => {
  it("orders canonical integers as BigInt does", () => {
    const int64 = fc.oneof(
      fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
      fc.bigInt({ min: -1000n, max: 1000n }),
      fc.constantFrom(INT64_MIN, INT64_MAX, 0n, -1n, 1n),
    );
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        const expected = a < b ? -1 : a > b ? 1 : 0;
        expect(Math.sign(compareIntegerStrings(a.toString(), b.toString()))).toBe(expected);
      }),
    );
  });
});

describe("searchIntegerStrings", () => {
  it("finds members and insertion points in a sorted array", () => {
    const sorted = ["-100", "-5", "0", "7", "12", "9223372036854775807"];
    expect(searchIntegerStrings(sorted, "-5")).toBe(1);
    expect(searchIntegerStrings(sorted, "9223372036854775807")).toBe(5);
    expect(searchIntegerStrings(sorted, "-101")).toBe(-1);
    expect(searchIntegerStrings(sorted, "8")).toBe(-5);
    expect(searchIntegerStrings(sorted, "100")).toBe(-6);
    expect(searchIntegerStrings([], "1")).toBe(-1);
  });
});
