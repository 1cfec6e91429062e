/*
 * LZF and CRC-64: round trips over random and repetitive inputs, the known
 * CRC-64 check value, and liblzf's refusal when compression does not pay.
 * (Byte equality with redis-server's compressor is checked by the FUNCTION DUMP
 * cases of the differential corpus.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc64, crc64Bytes } from "./crc64.js";
import { lzfCompress, lzfDecompress } from "./lzf.js";

describe("lzf", () => {
  it("round-trips whatever it compresses", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 2, maxLength: 3000 }),
        fc.integer({ min: 1, max: 8 }),
        (bytes, repeat) => {
          const input = Buffer.concat(Array.from({ length: repeat }, () => Buffer.from(bytes)));
          const compressed = lzfCompress(input, input.length - 4 > 0 ? input.length - 4 : 1);
          if (compressed === null) return;
          expect(compressed.length).toBeLessThanOrEqual(input.length - 4);
          expect(lzfDecompress(compressed, input.length)).toEqual(input);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("compresses repetition and refuses incompressible data", () => {
    const repetitive = Buffer.from("abcdefgh".repeat(100));
    const compressed = lzfCompress(repetitive, repetitive.length - 4);
    expect(compressed).not.toBeNull();
    expect(compressed!.length).toBeLessThan(40);
    const noise = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff));
    expect(lzfCompress(noise, noise.length - 4)).toBeNull();
  });

  it("rejects malformed input", () => {
    expect(lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toBeNull();
    expect(lzfDecompress(Buffer.from([0x20, 0x05]), 3)).toBeNull();
  });
});

describe("crc64", () => {
  it("has Redis' check value and chains over chunks", () => {
    expect(crc64(0n, Buffer.from("123456789"))).toBe(0xe9c6d914c4b8d9can);
    const whole = crc64(0n, Buffer.from("hello world"));
    expect(crc64(crc64(0n, Buffer.from("hello ")), Buffer.from("world"))).toBe(whole);
    expect(crc64Bytes(Buffer.from("123456789"))).toEqual(Buffer.from("cad9b8c414d9c6e9", "hex"));
  });
});
