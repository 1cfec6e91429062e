import { describe, expect, it } from "vitest";
import { decimalLength, writeDecimal } from "./decimal.js";

describe("writeDecimal", () => {
  it("writes what String() gives, at any offset, for the safe integer range's edges", () => {
    const values = [0, 1, -1, 9, 10, -10, 99, 100, 12_345, -987_654_321, 2 ** 31, -(2 ** 31) - 1];
    values.push(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
    for (let power = 1; power < 16; power++) values.push(10 ** power - 1, 10 ** power, -(10 ** power));
    const buffer = Buffer.alloc(40, 0x78);
    for (const value of values) {
      const text = String(value);
      const length = decimalLength(value);
      expect(length).toBe(text.length);
      buffer.fill(0x78);
      expect(writeDecimal(buffer, 3, value, length)).toBe(3 + length);
      expect(buffer.toString("latin1", 0, 3 + length + 1)).toBe(`xxx${text}x`);
    }
  });
});
