import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDouble, formatG } from "./index.js";

/**
 * An independent %.<precision>g: the exact decimal expansion of the double,
 * computed with BigInt, rounded half to even as glibc's printf does.
 */
function referenceG(value: number, precision: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent2 = biased === 0 ? -1074 : biased - 1075;
  // value = digits * 10^scale exactly
  let digits: string;
  let scale: number;
  if (exponent2 >= 0) {
    digits = (mantissa << BigInt(exponent2)).toString();
    scale = 0;
  } else {
    digits = (mantissa * 5n ** BigInt(-exponent2)).toString();
    scale = exponent2;
  }
  // Round to `precision` significant digits, half to even.
  let kept = digits.slice(0, precision);
  const rest = digits.slice(precision);
  let decimalExponent = digits.length - 1 + scale;
  if (rest.length > 0) {
    const first = rest.charCodeAt(0) - 48;
    const tail = /[1-9]/.test(rest.slice(1));
    const last = kept.charCodeAt(kept.length - 1) - 48;
    if (first > 5 || (first === 5 && (tail || last % 2 === 1))) {
      const rounded = (BigInt(kept) + 1n).toString();
      if (rounded.length > kept.length) decimalExponent++;
      kept = rounded.slice(0, precision);
    }
  }
  kept = kept.padEnd(precision, "0");
  const sign = negative ? "-" : "";
  const strip = (s: string) => s.replace(/0+$/, "");
  if (decimalExponent < -4 || decimalExponent >= precision) {
    const fractionDigits = strip(kept.slice(1));
    const e = Math.abs(decimalExponent);
    return `${sign}${kept[0]}${fractionDigits ? `.${fractionDigits}` : ""}e${decimalExponent < 0 ? "-" : "+"}${e < 10 ? `0${e}` : e}`;
  }
  if (decimalExponent < 0) return `${sign}0.${"0".repeat(-decimalExponent - 1)}${strip(kept)}`;
  const integerPart = kept.slice(0, decimalExponent + 1);
  const fractionDigits = strip(kept.slice(decimalExponent + 1));
  return `${sign}${integerPart}${fractionDigits ? `.${fractionDigits}` : ""}`;
}

describe("formatDouble", () => {
  it("prints what redis-server 7.0 prints for ZSCORE", () => {
    // Each pair was read back from redis-server 7.0.15 (ZADD then ZSCORE).
    const table: [number, string][] = [
      [1.1, "1.1000000000000001"],
      [0.1, "0.10000000000000001"],
      [1e20, "1e+20"],
      [2 ** -25, "2.9802322387695312e-08"],
      [3 * 2 ** -25, "8.9406967163085938e-08"],
      [5e-324, "4.9406564584124654e-324"],
      [1.7976931348623157e308, "1.7976931348623157e+308"],
      [-0.000025, "-2.5000000000000001e-05"],
      [0.0001, "0.0001"],
      [0.00001, "1.0000000000000001e-05"],
      [123456789012345680, "1.2345678901234568e+17"],
      [1e17, "1e+17"],
      [10000000000000002, "10000000000000002"],
      [0.5, "0.5"],
      [-0.1, "-0.10000000000000001"],
      [1 / 3, "0.33333333333333331"],
      [2 / 3, "0.66666666666666663"],
      [100, "100"],
      [1e21, "1e+21"],
      [12345.678, "12345.678"],
      [6.02214076e23, "6.0221407599999999e+23"],
      [1.5e-323, "1.4821969375237396e-323"],
      [9007199254740992, "9007199254740992"],
      [0.30000000000000004, "0.30000000000000004"],
      [4.35, "4.3499999999999996"],
      [1.5e-7, "1.4999999999999999e-07"],
      [0.000123, "0.00012300000000000001"],
      [2 ** -30, "9.3132257461547852e-10"],
      [0.00000476837158203125, "4.76837158203125e-06"],
      [35743429453594950, "35743429453594952"],
    ];
    for (const [value, text] of table) expect(formatDouble(value), String(value)).toBe(text);
  });

  it("spells out the special values", () => {
    expect(formatDouble(Number.POSITIVE_INFINITY)).toBe("inf");
    expect(formatDouble(Number.NEGATIVE_INFINITY)).toBe("-inf");
    expect(formatDouble(Number.NaN)).toBe("nan");
    expect(formatDouble(0)).toBe("0");
    expect(formatDouble(-0)).toBe("-0");
  });

  it("matches an exact %.17g for any double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        if (value === 0) return;
        expect(formatDouble(value)).toBe(referenceG(value, 17));
      }),
      { numRuns: 20_000 },
    );
  });

  it("matches an exact %.17g on dyadic values, where exact ties happen", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 0, max: 70 }), (n, shift) => {
        const value = n * 2 ** -shift;
        expect(formatDouble(value)).toBe(referenceG(value, 17));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("formatG", () => {
  it("rounds exact ties to even at any precision, as printf does", () => {
    expect(formatG(125, 2)).toBe("1.2e+02");
    expect(formatG(135, 2)).toBe("1.4e+02");
    expect(formatG(0.125, 2)).toBe("0.12");
    expect(formatG(2.5, 1)).toBe("2");
    expect(formatG(3.5, 1)).toBe("4");
  });

  it("matches an exact %.<p>g for precisions 1 to 20", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => v !== 0),
          fc
            .tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 20 }))
            .map(([n, s]) => n * 2 ** -s),
        ),
        fc.integer({ min: 1, max: 20 }),
        (value, precision) => {
          expect(formatG(value, precision)).toBe(referenceG(value, precision));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
