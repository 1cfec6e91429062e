/*
 * The load paths that build compact values straight from a file's blobs
 * (hash, sorted set and list listpacks, intsets) against what building the
 * same values element by element gives, on hand-made records that the
 * writer never produces: integer entries, sorted sets out of order, intsets
 * wider than their members need, and repeated fields or members.
 */

import { EncodingLimits, Keyspace, RedisHash, RedisSet, RedisZSet } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../io/memory-stream.js";
import { RdbError } from "./rdb-error.js";
import { RdbType } from "./rdb-format.js";
import { loadRdb } from "./rdb-loader.js";

type Entry = string | number;

/** A listpack of short strings (< 64 bytes) and 7-bit unsigned integers. */
function listpack(entries: readonly Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (typeof entry === "number") {
      parts.push(Buffer.from([entry, 1]));
    } else {
      const bytes = Buffer.from(entry, "latin1");
      parts.push(Buffer.concat([Buffer.from([0x80 | bytes.length]), bytes, Buffer.from([bytes.length + 1])]));
    }
  }
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(6);
  header.writeUInt32LE(6 + body.length + 1, 0);
  header.writeUInt16LE(entries.length, 4);
  return Buffer.concat([header, body, Buffer.from([0xff])]);
}

/** An intset blob of `width`-byte members. */
function intset(width: 2 | 4 | 8, members: readonly number[]): Buffer {
  const blob = Buffer.alloc(8 + members.length * width);
  blob.writeUInt32LE(width, 0);
  blob.writeUInt32LE(members.length, 4);
  members.forEach((member, i) => {
    if (width === 2) blob.writeInt16LE(member, 8 + i * 2);
    else if (width === 4) blob.writeInt32LE(member, 8 + i * 4);
    else blob.writeBigInt64LE(BigInt(member), 8 + i * 8);
  });
  return blob;
}

/** An RDB string (length-prefixed; lengths below 16384). */
function rdbString(bytes: Buffer): Buffer {
  const length = bytes.length;
  const prefix = length < 64 ? Buffer.from([length]) : Buffer.from([0x40 | (length >> 8), length & 0xff]);
  return Buffer.concat([prefix, bytes]);
}

/** A version 10 file of database 0 holding `records` ([type, key, blob]), no checksum. */
function file(records: readonly [number, string, Buffer][]): Buffer {
  const parts: Buffer[] = [Buffer.from("REDIS0010", "latin1"), Buffer.from([0xfe, 0])];
  for (const [type, key, blob] of records) {
    parts.push(Buffer.from([type]), rdbString(Buffer.from(key, "latin1")), rdbString(blob));
  }
  parts.push(Buffer.from([0xff]), Buffer.alloc(8));
  return Buffer.concat(parts);
}

function load(bytes: Buffer, limits = new EncodingLimits()): Keyspace {
  const keyspace = new Keyspace();
  Object.assign(keyspace.limits, limits);
  loadRdb(new MemorySource(bytes), keyspace);
  return keyspace;
}

function loadError(bytes: Buffer): RdbError {
  try {
    load(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(RdbError);
    return error as RdbError;
  }
  throw new Error("the load did not fail");
}

describe("values packed straight from the file's blobs", () => {
  it("a hash listpack with integer values and many fields equals the hash built pair by pair", () => {
    const fields = Array.from({ length: 40 }, (_, i) => `field-${i}`);
    const entries = fields.flatMap((field, i) => [field, i % 2 === 0 ? i : `text-${i}`]);
    const loaded = load(file([[RdbType.HashListpack, "h", listpack(entries)]]))
      .db(0)
      .lookupRead("h") as RedisHash;
    const built = RedisHash.fromPairs(
      fields,
      entries.filter((_, i) => i % 2 === 1).map((value) => Buffer.from(String(value), "latin1")),
      new EncodingLimits(),
    )!;
    expect(loaded.encoding).toBe("listpack");
    expect(loaded.memoryUsage()).toBe(built.memoryUsage());
    for (const field of fields) expect(loaded.get(field)).toEqual(built.get(field));
  });

  it("a hash listpack beyond the listpack limits becomes a hashtable; a field twice is refused", () => {
    const entries = Array.from({ length: 10 }, (_, i) => [`f${i}`, `v${i}`]).flat();
    const limits = new EncodingLimits();
    limits.hashMaxListpackEntries = 4;
    const hash = load(file([[RdbType.HashListpack, "h", listpack(entries)]]), limits)
      .db(0)
      .lookupRead("h");
    expect((hash as RedisHash).encoding).toBe("hashtable");
    expect((hash as RedisHash).length).toBe(10);
    const many = Array.from({ length: 40 }, (_, i) => [`f${i}`, `v${i}`]).flat();
    many.push("f7", "again");
    expect(loadError(file([[RdbType.HashListpack, "h", listpack(many)]])).reason).toBe(
      "duplicate hash field in key 'h'",
    );
  });

  it("a sorted set listpack out of order is sorted; one in order is taken as it is; a member twice is refused", () => {
    const pairs: [string, number][] = [
      ["c", 3],
      ["a", 1],
      ["b", 1],
      ["7", 2],
    ];
    const built = RedisZSet.fromEntries(
      pairs.map(([member]) => member),
      pairs.map(([, score]) => score),
      new EncodingLimits(),
    );
    const unordered = listpack(pairs.flat());
    const ordered = listpack(["a", 1, "b", 1, 7, 2, "c", 3]);
    for (const blob of [unordered, ordered]) {
      const zset = load(file([[RdbType.ZSetListpack, "z", blob]]))
        .db(0)
        .lookupRead("z") as RedisZSet;
      expect(zset.encoding).toBe("listpack");
      expect(zset.memoryUsage()).toBe(built.memoryUsage());
      expect(["a", "b", "7", "c"].map((member) => [zset.rank(member), zset.score(member)])).toEqual([
        [0, 1],
        [1, 1],
        [2, 2],
        [3, 3],
      ]);
    }
    expect(loadError(file([[RdbType.ZSetListpack, "z", listpack(["a", 1, "b", 2, "a", 3])]])).reason).toBe(
      "duplicate sorted set member in key 'z'",
    );
  });

  it("an intset wider than its members need loads as adding them one by one would", () => {
    const members = [-5, 3, 200];
    const wide = load(file([[RdbType.SetIntset, "s", intset(8, members)]]))
      .db(0)
      .lookupRead("s") as RedisSet;
    const exact = load(file([[RdbType.SetIntset, "s", intset(2, members)]]))
      .db(0)
      .lookupRead("s") as RedisSet;
    const added = new RedisSet();
    for (const member of members) added.add(String(member), new EncodingLimits());
    for (const set of [wide, exact]) {
      expect(set.encoding).toBe("intset");
      expect(set.memoryUsage()).toBe(added.memoryUsage());
      expect([0, 1, 2].map((position) => set.memberAt(position))).toEqual(["-5", "3", "200"]);
    }
    const big = [-70000, 1, 3_000_000_000];
    const wider = load(file([[RdbType.SetIntset, "s", intset(8, big)]]))
      .db(0)
      .lookupRead("s") as RedisSet;
    expect(wider.has("3000000000") && wider.has("-70000")).toBe(true);
    const limits = new EncodingLimits();
    limits.setMaxIntsetEntries = 2;
    const converted = load(file([[RdbType.SetIntset, "s", intset(2, members)]]), limits)
      .db(0)
      .lookupRead("s");
    expect((converted as RedisSet).encoding).toBe("hashtable");
    expect(loadError(file([[RdbType.SetIntset, "s", intset(2, [3, 3])]])).reason).toMatch(/ascending/);
  });
});
