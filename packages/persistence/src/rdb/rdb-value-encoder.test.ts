/*
 * The value encoder writes listpack hashes, listpack sorted sets and intsets
 * straight from the packed strings core-db holds them in, and int / embstr
 * strings from a key table's compact form. These tests hold those paths to the
 * bytes the element-by-element construction gives (the one the RDB format
 * describes: each field, member and score added to a listpack in turn, an
 * intset in its narrowest width), with compression on and off.
 */

import { EncodingLimits, RedisHash, RedisSet, RedisString, RedisZSet, ZAddOutcome } from "@spinel/core-db";
import { formatDouble } from "@spinel/resp";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteWriter } from "./byte-writer.js";
import { writeIntsetBlob } from "./intset-blob.js";
import { ListpackBuilder } from "./listpack.js";
import { RdbValueEncoder } from "./rdb-value-encoder.js";

const limits = new EncodingLimits();

/** The bytes `write` puts into a fresh ByteWriter, as hex. */
function encoded(write: (out: ByteWriter) => void): string {
  const out = new ByteWriter(16);
  write(out);
  return out.view().toString("hex");
}

/** `blob` written as an RDB string by `encoder` (compressed when it pays, as every blob is). */
function blobString(encoder: RdbValueEncoder, blob: Buffer): string {
  return encoded((out) => encoder.writeString(out, blob));
}

/** A listpack built one element at a time by `add`. */
function listpackOf(add: (builder: ListpackBuilder) => void): Buffer {
  const out = new ByteWriter(16);
  const builder = new ListpackBuilder();
  builder.begin(out);
  add(builder);
  builder.end();
  return Buffer.from(out.view());
}

/** A score's listpack element as Redis' d2string gives it: integers as integers, the rest as %.17g text. */
function addScore(builder: ListpackBuilder, score: number): void {
  if (Number.isSafeInteger(score)) builder.addInteger(score === 0 ? 0 : score);
  else if (Number.isInteger(score) && Math.abs(score) <= 2 ** 62) builder.addLatin1(BigInt(score).toString());
  else builder.addLatin1(formatDouble(score));
}

/** Texts that exercise the listpack's integer forms and plain strings. */
const textArbitrary = fc.oneof(
  fc.string({ maxLength: 30 }).map((text) => Buffer.from(text, "utf8").toString("latin1")),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
  fc.constantFrom("0", "-0", "01", "-", "", "x".repeat(25), "ab".repeat(40)),
);

/** Scores of every kind a listpack holds: small and large integers, short decimals, long ones, infinities. */
const scoreArbitrary = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((n) => n / 1024),
  fc.integer({ min: -(2 ** 52), max: 2 ** 52 }).map((n) => n / 1024),
  fc.double({ noNaN: true }),
  // 44039591631.23828 is a multiple of 2^-10 whose shortest form is shorter than its "%.17g".
  fc.constantFrom(
    2 ** 62,
    -(2 ** 62),
    2 ** 63,
    1e20,
    0.1,
    2.5,
    -0.0009765625,
    99999.9990234375,
    44039591631.23828,
  ),
);

describe.each([true, false])("value encoder from packed values (compression %s)", (compression) => {
  it("writes a listpack hash as the listpack of its fields and values in order", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(textArbitrary, textArbitrary), { selector: ([f]) => f, maxLength: 40 }),
        (pairs) => {
          const hash = new RedisHash();
          for (const [field, value] of pairs) hash.set(field, Buffer.from(value, "latin1"), limits);
          fc.pre(hash.encoding === "listpack" && hash.length > 0);
          const encoder = new RdbValueEncoder(compression);
          const expected = listpackOf((builder) => {
            for (let i = 0; i < hash.length; i++) {
              builder.addLatin1(hash.fieldAt(i));
              builder.addBytes(hash.valueAt(i));
            }
          });
          expect(encoded((out) => encoder.writeValue(out, hash))).toBe(blobString(encoder, expected));
        },
      ),
    );
  });

  it("writes a listpack sorted set as the listpack of its members and d2string scores, ascending", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(textArbitrary, scoreArbitrary), { selector: ([m]) => m, maxLength: 40 }),
        (entries) => {
          const zset = new RedisZSet();
          for (const [member, score] of entries) zset.add(member, score, 0, limits, new ZAddOutcome());
          fc.pre(zset.encoding === "listpack" && zset.length > 0);
          const encoder = new RdbValueEncoder(compression);
          const expected = listpackOf((builder) => {
            const cursor = zset.cursor(0, false);
            while (cursor.next()) {
              builder.addLatin1(cursor.member);
              addScore(builder, cursor.score);
            }
          });
          expect(encoded((out) => encoder.writeValue(out, zset))).toBe(blobString(encoder, expected));
        },
      ),
    );
  });

  it("writes an intset in the narrowest width of its members, also after removals left it wider", () => {
    const member = fc.oneof(
      fc.integer({ min: -40000, max: 40000 }).map(String),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(member, { minLength: 1, maxLength: 60 }),
        fc.nat(60),
        (members, removals) => {
          const set = new RedisSet();
          for (const m of members) set.add(m, limits);
          // Removing from the ends takes out the members that made the set wide.
          const sorted = Array.from({ length: set.length }, (_, i) => set.memberAt(i));
          for (let i = 0; i < Math.min(removals, sorted.length - 1); i++)
            set.remove(i % 2 === 0 ? sorted[i >> 1]! : sorted[sorted.length - 1 - (i >> 1)]!);
          expect(set.encoding).toBe("intset");
          const encoder = new RdbValueEncoder(compression);
          const reference = new ByteWriter(16);
          writeIntsetBlob(
            reference,
            Array.from({ length: set.length }, (_, i) => set.memberAt(i)),
          );
          expect(encoded((out) => encoder.writeValue(out, set))).toBe(
            blobString(encoder, Buffer.from(reference.view())),
          );
        },
      ),
    );
  });

  it("writes a compact int or embstr string as the RedisString holding it", () => {
    const compact = fc.oneof(
      fc.integer(),
      fc
        .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
        .map((n) => (Number.isSafeInteger(Number(n)) ? Number(n) : n)),
      textArbitrary,
    );
    fc.assert(
      fc.property(textArbitrary, compact, (key, data) => {
        const encoder = new RdbValueEncoder(compression);
        expect(encoded((out) => encoder.writeKeyValue(out, key, data))).toBe(
          encoded((out) => encoder.writeKeyValue(out, key, RedisString.fromCompact(data))),
        );
      }),
    );
  });
});
