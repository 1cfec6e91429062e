/*
 * SORT weights as redis-server 7.0's strtod() reads them. The examples were
 * taken from redis-server 7.0.15 (a one-element list sorted on a fresh
 * connection: a weight or "One or more scores can't be converted into
 * double"); the properties check round trips of every double through its
 * decimal and hexadecimal forms.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSortWeight } from "./sort-weight.js";

describe("parseSortWeight", () => {
  it("accepts what redis-server accepts", () => {
    const accepted: Array<[string, number]> = [
      ["3", 3],
      [" 1", 1],
      ["\t5", 5],
      ["  -.5e1", -5],
      ["+7", 7],
      ["2.5", 2.5],
      ["5.", 5],
      [".5", 0.5],
      ["00012", 12],
      ["1.5e+3", 1500],
      ["1e2", 100],
      ["0x10", 16],
      ["0X1P-2", 0.25],
      ["0x1p3", 8],
      ["0x.8", 0.5],
      ["0x1.8p-1070", 1.5 * 2 ** -1070],
      ["0x1p-1074", 2 ** -1074],
      ["0x1p-1022", 2 ** -1022],
      ["inf", Infinity],
      ["-INF", -Infinity],
      ["INFINITY", Infinity],
      ["1e308", 1e308],
      ["1.7976931348623157e308", 1.7976931348623157e308],
      ["2.2250738585072014e-308", 2.2250738585072014e-308],
      ["1e-300", 1e-300],
      ["0e500", 0],
      ["0.000e-999", 0],
      ["", 0],
      ["\0abc", 0],
      ["1\0abc", 1],
      ["-0", -0],
    ];
    for (const [text, value] of accepted) expect([text, parseSortWeight(text)]).toEqual([text, value]);
  });

  it("refuses what redis-server refuses", () => {
    const refused = [
      "abc",
      "5\t",
      "1 ",
      "  ",
      "0x",
      "0xp1",
      "1e",
      "1e+",
      ".",
      "-",
      "+.e1",
      "NaN",
      "-nan",
      "nan(123)",
      "infinit",
      "1_0",
      // ERANGE: overflow, underflow to zero, inexact subnormals
      "1e400",
      "1.7976931348623159e308",
      "0x1p1024",
      "1e-400",
      "1e-310",
      "4.9406564584124654e-324",
      "2.2250738585072011e-308",
    ];
    for (const text of refused) expect([text, parseSortWeight(text)]).toEqual([text, null]);
  });

  it("reads back every normal double from its shortest decimal form", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        if (value !== 0 && Math.abs(value) < 2.2250738585072014e-308) return;
        // String(-0) is "0".
        expect(parseSortWeight(String(value))).toBe(value === 0 ? 0 : value);
      }),
    );
  });

  it("reads back every finite double, subnormals included, from an exact hexadecimal form", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(parseSortWeight(hexadecimal(value))).toBe(value);
      }),
    );
  });
});

/** An exact "%a"-like form of a double: [-]0x<integer significand>p<exponent>. */
function hexadecimal(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0x0p0" : "0x0p0";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const significand = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return `${negative ? "-" : ""}0x${significand.toString(16)}p${exponent}`;
}
