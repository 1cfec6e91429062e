import { Crc64, crc64, lzfCompress, lzfDecompress, parseCanonicalInteger } from "@spinel/core-db";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteWriter } from "./byte-writer.js";
import { canonicalIntegerInRange } from "./integer-text.js";
import { decodeIntsetBlob, writeIntsetBlob } from "./intset-blob.js";
import { decodeListpack, entryLatin1, ListpackBuilder } from "./listpack.js";
import { decodeZiplist } from "./ziplist.js";
import { decodeZipmap } from "./zipmap.js";

describe("crc64", () => {
  it("gives Redis' check value for 123456789", () => {
    expect(crc64(Buffer.from("123456789"))).toBe(0xe9c6d914c4b8d9can);
  });

  it("matches the trailer of a DUMP payload made by redis-server 7.0 (ZADD z 1 a 2.5 b)", () => {
    const payload = Buffer.from(
      "11141400000004008161020101816202833" + "22e3504ff0a00d44c6ea4f644d9d7",
      "hex",
    );
    const crc = new Crc64();
    crc.update(payload, 0, payload.length - 8);
    expect(crc.matches(payload, payload.length - 8)).toBe(true);
    expect(crc.toBytes()).toEqual(payload.subarray(payload.length - 8));
  });

  it("is the same fed in pieces or whole", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        const pieces = new Crc64();
        pieces.update(bytes, 0, at);
        pieces.update(bytes, at);
        expect(pieces.toBigInt()).toBe(crc64(bytes));
      }),
    );
  });
});

describe("lzf", () => {
  it("round-trips any bytes it manages to compress", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          fc.array(fc.constantFrom(97, 98, 99), { maxLength: 20000 }).map((a) => Uint8Array.from(a)),
        ),
        (bytes) => {
          const compressed = lzfCompress(bytes, bytes.length + 64);
          if (compressed === null) return;
          expect(Buffer.compare(lzfDecompress(compressed, bytes.length), Buffer.from(bytes))).toBe(0);
        },
      ),
    );
  });

  it("compresses repetitive data well and refuses output budgets it cannot meet", () => {
    const data = Buffer.alloc(10000, "abcabcabc");
    const compressed = lzfCompress(data, data.length - 4);
    expect(compressed).not.toBeNull();
    expect(compressed!.length).toBeLessThan(300);
    expect(lzfCompress(Buffer.from("abcdefghijklmnopqrstuvwxyz"), 10)).toBeNull();
  });

  it("refuses malformed streams with a reason", () => {
    expect(() => lzfDecompress(Buffer.from([0x20, 0x05]), 10)).toThrow(/before the output start/);
    expect(() => lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toThrow(/past the input end/);
    expect(() => lzfDecompress(Buffer.from([0x00, 0x61]), 3)).toThrow(/decompresses to 1 bytes/);
  });
});

describe("listpack", () => {
  const entryArbitrary = fc.oneof(
    fc.string({ maxLength: 5000, unit: "binary-ascii" }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
    fc.integer({ min: -70000, max: 70000 }).map(String),
    fc.constantFrom("-0", "01", "+1", "", " 1", "9223372036854775808"),
  );

  it("round-trips strings and integers, storing canonical integers as integers", () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 40 }), (texts) => {
        const out = new ByteWriter(16);
        const builder = new ListpackBuilder();
        builder.begin(out);
        for (const text of texts) builder.addLatin1(text);
        const size = builder.end();
        expect(size).toBe(out.length);
        const decoded = decodeListpack(Buffer.from(out.view()));
        expect(decoded.map(entryLatin1)).toEqual(texts);
      }),
    );
  });

  it("decodes a listpack written by redis-server 7.0 (HSET h f v n 5)", () => {
    const blob = Buffer.from("1200000004008166028176028" + "16e020501ff", "hex");
    expect(decodeListpack(blob).map(entryLatin1)).toEqual(["f", "v", "n", "5"]);
  });

  it("refuses a wrong total size, count, backlen or terminator", () => {
    const good = Buffer.from("1200000004008166028176028" + "16e020501ff", "hex");
    const badSize = Buffer.from(good);
    badSize[0] = 0x13;
    expect(() => decodeListpack(badSize)).toThrow(/header says/);
    const badCount = Buffer.from(good);
    badCount[4] = 3;
    expect(() => decodeListpack(badCount)).toThrow(/counts 3/);
    const badBacklen = Buffer.from(good);
    badBacklen[8] = 3;
    expect(() => decodeListpack(badBacklen)).toThrow(/backlen/);
    const badEnd = Buffer.from(good);
    badEnd[good.length - 1] = 0;
    expect(() => decodeListpack(badEnd)).toThrow();
  });
});

describe("intset blobs", () => {
  it("round-trips sorted integers in the narrowest width", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 50 }),
        (values) => {
          const sorted = values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
          const out = new ByteWriter(16);
          writeIntsetBlob(out, sorted);
          expect(decodeIntsetBlob(Buffer.from(out.view()))).toEqual(sorted);
        },
      ),
    );
    const out = new ByteWriter(16);
    writeIntsetBlob(out, ["1", "2", "3"]);
    expect(out.view().toString("hex")).toBe("0200000003000000010002000300");
  });

  it("refuses unordered or mis-sized blobs", () => {
    expect(() => decodeIntsetBlob(Buffer.from("0200000002000000020001000", "hex"))).toThrow();
    expect(() => decodeIntsetBlob(Buffer.from("020000000200000002000100", "hex"))).toThrow(/ascending/);
    expect(() => decodeIntsetBlob(Buffer.from("03000000000000", "hex"))).toThrow();
  });
});

describe("ziplist and zipmap", () => {
  it("decode what Redis 6 wrote", () => {
    // A ziplist of "a", 7, 300, "bc": entries prevlen+encoding+data.
    const entries = Buffer.from([
      0x00, 0x01, 0x61, 0x03, 0xf8, 0x02, 0xc0, 0x2c, 0x01, 0x04, 0x02, 0x62, 0x63,
    ]);
    const header = Buffer.alloc(10);
    const total = 10 + entries.length + 1;
    header.writeUInt32LE(total, 0);
    header.writeUInt32LE(10 + 9, 4);
    header.writeUInt16LE(4, 8);
    const blob = Buffer.concat([header, entries, Buffer.from([0xff])]);
    expect(decodeZiplist(blob).map(entryLatin1)).toEqual(["a", "7", "300", "bc"]);
    const wrongTail = Buffer.from(blob);
    wrongTail[4] = 11;
    expect(() => decodeZiplist(wrongTail)).toThrow(/tail/);
    const wrongPrev = Buffer.from(blob);
    wrongPrev[13] = 9;
    expect(() => decodeZiplist(wrongPrev)).toThrow(/previous-entry/);
  });

  it("decode a zipmap and refuse a truncated one", () => {
    const blob = Buffer.from([0x01, 0x01, 0x66, 0x02, 0x00, 0x76, 0x76, 0xff]);
    expect(decodeZipmap(blob).map((b) => b.toString())).toEqual(["f", "vv"]);
    expect(() => decodeZipmap(blob.subarray(0, 5))).toThrow();
  });
});

describe("canonicalIntegerInRange", () => {
  it("agrees with parseCanonicalInteger on a range inside a larger buffer", () => {
    const samples = [
      "0",
      "-0",
      "7",
      "-7",
      "01",
      "12",
      "-12",
      "123456789012345",
      "-123456789012345",
      "1234567890123456",
      "9007199254740993",
      "9223372036854775807",
      "-9223372036854775808",
      "9223372036854775808",
      "99999999999999999999",
      "123456789012345678901",
      "",
      "-",
      "1a",
      " 1",
      "+1",
    ];
    const texts = fc.sample(fc.oneof(fc.bigInt().map(String), fc.string({ maxLength: 22 })), 300);
    for (const text of [...samples, ...texts]) {
      const framed = Buffer.from(`xy${text}z`, "latin1");
      const expected = parseCanonicalInteger(Buffer.from(text, "latin1"));
      expect(canonicalIntegerInRange(framed, 2, 2 + Buffer.byteLength(text, "latin1")), text).toEqual(
        expected,
      );
    }
  });
});

describe("ByteWriter 64-bit integers", () => {
  it("writes what Buffer's BigInt writers write, with or without a BigInt", () => {
    const values = [
      0,
      1,
      -1,
      255,
      -256,
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 32,
      2 ** 32 + 5,
      -(2 ** 32) - 5,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      1796669142123,
    ];
    for (const value of values) {
      const out = new ByteWriter(4);
      out.int64LE(value);
      const expected = Buffer.alloc(8);
      expected.writeBigInt64LE(BigInt(value));
      expect(out.view(), String(value)).toEqual(expected);
      if (value >= 0) {
        const be = new ByteWriter(4);
        be.uint64BE(value);
        const expectedBe = Buffer.alloc(8);
        expectedBe.writeBigUInt64BE(BigInt(value));
        expect(be.view(), String(value)).toEqual(expectedBe);
      }
    }
    const big = new ByteWriter(4);
    big.int64LE(-9223372036854775808n);
    expect(big.view()).toEqual(Buffer.from("0000000000000080", "hex"));
  });

  it("copies ranges short and long into the right place", () => {
    const source = Buffer.from(Array.from({ length: 200 }, (_, i) => i));
    for (const [start, end] of [
      [0, 0],
      [3, 10],
      [5, 53],
      [5, 54],
      [0, 200],
      [100, 199],
    ] as const) {
      const out = new ByteWriter(8);
      out.byte(0xaa);
      out.bytes(source, start, end);
      out.byte(0xbb);
      expect(out.view()).toEqual(
        Buffer.concat([Buffer.from([0xaa]), source.subarray(start, end), Buffer.from([0xbb])]),
      );
    }
  });
});
