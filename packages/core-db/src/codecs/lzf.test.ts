/*
 * LZF: round trips over random and repetitive inputs, liblzf's refusal when
 * compression does not pay, malformed input refused with a reason, and the
 * shared position table: a call never sees an earlier call's positions, so the
 * same input always compresses to the same bytes. (Byte equality with
 * redis-server's compressor is checked by the DUMP and FUNCTION DUMP cases
 * against a real redis-server.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Crc64 } from "./crc64.js";
import { lzfCompress, lzfCompressAt, lzfCompressInto, lzfDecompress, lzfDecompressInto } from "./lzf.js";

describe("lzf", () => {
  it("round-trips whatever it compresses", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 3, maxLength: 3000 }),
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

  it("gives the same bytes for the same input whatever was compressed before", () => {
    const first = Buffer.from("the quick brown fox jumps over the lazy dog ".repeat(20));
    const other = Buffer.from("the lazy dog sleeps under the quick brown fox ".repeat(30));
    const alone = lzfCompress(first, first.length - 4)!;
    lzfCompress(other, other.length - 4);
    expect(lzfCompress(first, first.length - 4)).toEqual(alone);
  });

  it("compresses repetition and refuses incompressible data", () => {
    const repetitive = Buffer.from("abcdefgh".repeat(100));
    const compressed = lzfCompress(repetitive, repetitive.length - 4);
    expect(compressed).not.toBeNull();
    expect(compressed!.length).toBeLessThan(40);
    const noise = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff));
    expect(lzfCompress(noise, noise.length - 4)).toBeNull();
  });

  it("compresses at an offset of the output exactly as at its start, touching nothing before it", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(40),
        (bytes, repeat, outStart) => {
          const input = Buffer.concat(Array.from({ length: repeat }, () => Buffer.from(bytes)));
          const budget = Math.max(1, input.length - 4);
          const atStart = Buffer.alloc(budget + 3);
          const length = lzfCompressInto(input, 0, input.length, atStart, budget);
          const atOffset = Buffer.alloc(outStart + budget + 3, 0xaa);
          expect(lzfCompressAt(input, 0, input.length, atOffset, outStart, budget)).toBe(length);
          expect(atOffset.subarray(0, outStart).every((b) => b === 0xaa)).toBe(true);
          expect(atOffset.subarray(outStart, outStart + length)).toEqual(atStart.subarray(0, length));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("decompresses a range into a reused buffer as lzfDecompress does into a fresh one", () => {
    const out = Buffer.alloc(4000, 0xee);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 3, maxLength: 400 }),
        fc.integer({ min: 1, max: 8 }),
        (bytes, repeat) => {
          const input = Buffer.concat(Array.from({ length: repeat }, () => Buffer.from(bytes)));
          const compressed = lzfCompress(input, input.length);
          if (compressed === null) return;
          const framed = Buffer.concat([Buffer.from([1, 2, 3]), compressed, Buffer.from([4])]);
          lzfDecompressInto(framed, 3, 3 + compressed.length, out, input.length);
          expect(out.subarray(0, input.length)).toEqual(input);
          expect(lzfDecompress(framed, input.length, 3, 3 + compressed.length)).toEqual(input);
        },
      ),
    );
    expect(() => lzfDecompressInto(Buffer.from([0x00, 0x61]), 0, 2, Buffer.alloc(0), 1)).toThrow(/too small/);
  });

  it("refuses malformed input with the reason", () => {
    expect(() => lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toThrow(/literal run past the input end/);
    expect(() => lzfDecompress(Buffer.from([0x20, 0x05]), 3)).toThrow(/before the output start/);
  });
});

describe("crc64", () => {
  it("chains over chunks and stores little-endian", () => {
    const whole = new Crc64();
    whole.update(Buffer.from("123456789"));
    const chunked = new Crc64();
    chunked.update(Buffer.from("1234"));
    chunked.update(Buffer.from("56789"));
    expect(chunked.toBigInt()).toBe(whole.toBigInt());
    expect(whole.toBytes()).toEqual(Buffer.from("cad9b8c414d9c6e9", "hex"));
  });
});
