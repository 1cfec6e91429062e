/*
 * Decoding of RDB values (rdbLoadObject) from a ByteSource, with validation as
 * redis-server's sanitize-dump-payload does it: every length is checked against
 * the bytes left before anything is allocated, blobs are validated whole, and
 * duplicates, NaN scores and unknown encodings are refused. Values are built
 * through core-db's type APIs, which pick the encodings redis-server 7.0 would
 * (a small hash read from a hashtable record becomes a listpack, and so on).
 *
 * Every failure is an RdbError with the offset where the bad item starts.
 */

import {
  Crc64,
  type EncodingLimits,
  ListEnd,
  lzfDecompress,
  parseCanonicalInteger,
  RedisHash,
  RedisList,
  RedisSet,
  RedisString,
  type RedisValue,
  RedisZSet,
} from "@spinel/core-db";
import type { ByteSource } from "../io/byte-stream.js";
import { decodeIntsetBlob } from "./intset-blob.js";
import { decodeListpack, entryBytes, entryLatin1, type ListpackEntry } from "./listpack.js";
import { RdbError } from "./rdb-error.js";
import {
  QUICKLIST_NODE_PACKED,
  QUICKLIST_NODE_PLAIN,
  RDB_ENC_INT8,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_LZF,
  RdbType,
  rdbTypeName,
} from "./rdb-format.js";
import { readStreamValue } from "./stream-decoder.js";
import { decodeZiplist } from "./ziplist.js";
import { decodeZipmap } from "./zipmap.js";

/** Reads RDB primitives from a source, keeping a running checksum. */
export class RdbInput {
  readonly source: ByteSource;
  readonly crc: Crc64;
  /** Offset of source position 0 in the file or payload (for messages). */
  readonly base: number;

  constructor(source: ByteSource, base = 0) {
    this.source = source;
    this.crc = new Crc64();
    this.base = base;
    const crc = this.crc;
    source.tap = (bytes) => crc.update(bytes);
  }

  /** The checksum of every byte read so far. */
  checksum(): Crc64 {
    this.source.flushTap();
    return this.crc;
  }

  /** Offset of the next byte, from the start of the file or payload. */
  get offset(): number {
    return this.base + this.source.position;
  }

  /** Bytes left. */
  get remaining(): number {
    return this.source.remaining;
  }

  /** An RdbError at `offset` (default: here). */
  error(reason: string, offset = this.offset): RdbError {
    return new RdbError(offset, reason);
  }

  /** `length` bytes (a view valid until the next read), or an error naming what was cut short. */
  take(length: number, what: string): Buffer {
    if (length > this.source.remaining) {
      throw this.error(`${what} of ${length} bytes runs past the end (${this.source.remaining} bytes left)`);
    }
    return this.source.readExactly(length);
  }

  byte(what: string): number {
    return this.take(1, what)[0]!;
  }

  /**
   * An RDB length. Returns the length, or for the special string encodings
   * (11xxxxxx) -(encoding + 1).
   */
  lengthOrEncoding(what: string): number {
    const first = this.byte(what);
    const kind = first >>> 6;
    if (kind === 0) return first & 0x3f;
    if (kind === 1) return ((first & 0x3f) << 8) | this.byte(what);
    if (kind === 3) return -((first & 0x3f) + 1);
    if (first === 0x80) return this.take(4, what).readUInt32BE(0);
    if (first === 0x81) {
      const big = this.take(8, what).readBigUInt64BE(0);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error(`${what} ${big} is out of range`);
      return Number(big);
    }
    throw this.error(`unknown length encoding 0x${first.toString(16)} in ${what}`, this.offset - 1);
  }

  /** A plain length (a special encoding here is corruption). */
  length(what: string): number {
    const start = this.offset;
    const length = this.lengthOrEncoding(what);
    if (length < 0) throw this.error(`unexpected string encoding in ${what}`, start);
    return length;
  }

  /** A count of items that each take at least `minBytes`: refused when more than the bytes left. */
  count(what: string, minBytes = 1): number {
    const start = this.offset;
    const count = this.length(what);
    if (count * minBytes > this.source.remaining) {
      throw this.error(`${what} ${count} exceeds the ${this.source.remaining} bytes left`, start);
    }
    return count;
  }

  /**
   * A string: raw, int-encoded or LZF-compressed. Returns its bytes, which are a
   * view valid until the next read unless `copy`. Int-encoded strings come back
   * as their decimal text.
   */
  string(what: string, copy = false): Buffer {
    const start = this.offset;
    const length = this.lengthOrEncoding(what);
    if (length >= 0) {
      const bytes = this.take(length, what);
      return copy ? Buffer.from(bytes) : bytes;
    }
    const encoding = -length - 1;
    switch (encoding) {
      case RDB_ENC_INT8:
        return Buffer.from(String(this.take(1, what).readInt8(0)), "latin1");
      case RDB_ENC_INT16:
        return Buffer.from(String(this.take(2, what).readInt16LE(0)), "latin1");
      case RDB_ENC_INT32:
        return Buffer.from(String(this.take(4, what).readInt32LE(0)), "latin1");
      case RDB_ENC_LZF: {
        const compressedLength = this.length(what);
        const plainLength = this.length(what);
        if (plainLength > 512 * 1024 * 1024 * 8)
          throw this.error(`${what}: LZF length ${plainLength} is too large`, start);
        const compressed = this.take(compressedLength, what);
        try {
          return lzfDecompress(compressed, plainLength);
        } catch (error) {
          throw this.error(`${what}: ${(error as Error).message}`, start);
        }
      }
      default:
        throw this.error(`unknown string encoding ${encoding} in ${what}`, start);
    }
  }

  /** A string as latin1 text (keys, members, fields). */
  latin1(what: string): string {
    return this.string(what).toString("latin1");
  }

  /** An 8-byte little-endian double (ZSET_2). */
  binaryDouble(what: string): number {
    return this.take(8, what).readDoubleLE(0);
  }

  /** A double as text with a length byte (old ZSET): 253 nan, 254 +inf, 255 -inf. */
  textDouble(what: string): number {
    const length = this.byte(what);
    if (length === 253) return Number.NaN;
    if (length === 254) return Number.POSITIVE_INFINITY;
    if (length === 255) return Number.NEGATIVE_INFINITY;
    const text = this.take(length, what).toString("latin1");
    const value = Number(text);
    if (text.trim() !== text || text === "" || Number.isNaN(value))
      throw this.error(`${what} "${text}" is not a number`);
    return value;
  }
}

/** Outcome of decoding one value. */
export type DecodedValue = RedisValue | null;

/**
 * Decode one value of type `type` for `key` (the key is only used in messages).
 * Returns the value, or null for an empty aggregate (which Redis skips).
 * Types Spinel lacks (modules, RDB 11's set listpacks) are refused naming the key and type.
 * Streams are decoded by stream-decoder.ts (empty ones are kept, as Redis keeps them).
 */
export function readValue(
  input: RdbInput,
  type: number,
  key: string,
  limits: EncodingLimits,
  typeOffset = input.offset,
): DecodedValue {
  const start = input.offset;
  switch (type) {
    case RdbType.String: {
      const bytes = input.string("string value");
      const integer = bytes.length <= 20 ? parseCanonicalInteger(bytes) : null;
      return integer !== null
        ? RedisString.fromInteger(integer)
        : RedisString.fromOwnedBytes(Buffer.from(bytes), false);
    }
    case RdbType.List: {
      const count = input.count("list length");
      const list = RedisList.create();
      for (let i = 0; i < count; i++) list.push(input.string("list element"), ListEnd.Tail);
      return count === 0 ? null : list;
    }
    case RdbType.Set: {
      const count = input.count("set size");
      const set = new RedisSet();
      for (let i = 0; i < count; i++) {
        const at = input.offset;
        if (!set.add(input.latin1("set member"), limits))
          throw input.error(`duplicate set member in key '${key}'`, at);
      }
      return count === 0 ? null : set;
    }
    case RdbType.ZSet:
    case RdbType.ZSet2: {
      const count = input.count("sorted set size", type === RdbType.ZSet2 ? 9 : 2);
      const members = new Array<string>(count);
      const scores = new Array<number>(count);
      const seen = new Set<string>();
      for (let i = 0; i < count; i++) {
        const at = input.offset;
        const member = input.latin1("sorted set member");
        const score = type === RdbType.ZSet2 ? input.binaryDouble("score") : input.textDouble("score");
        if (Number.isNaN(score)) throw input.error(`NaN score in key '${key}'`, at);
        if (seen.has(member)) throw input.error(`duplicate sorted set member in key '${key}'`, at);
        seen.add(member);
        members[i] = member;
        scores[i] = score;
      }
      return count === 0 ? null : RedisZSet.fromEntries(members, scores, limits);
    }
    case RdbType.Hash: {
      const count = input.count("hash size", 2);
      const hash = new RedisHash();
      for (let i = 0; i < count; i++) {
        const at = input.offset;
        const field = input.latin1("hash field");
        const value = input.string("hash value");
        if (!hash.set(field, value, limits)) throw input.error(`duplicate hash field in key '${key}'`, at);
      }
      return count === 0 ? null : hash;
    }
    case RdbType.HashZipmap:
      return hashFromPairs(input, blob(input, "zipmap", decodeZipmap), key, limits, start);
    case RdbType.HashZiplist:
      return hashFromPairs(input, blob(input, "ziplist", decodeZiplist), key, limits, start);
    case RdbType.HashListpack:
      return hashFromPairs(input, blob(input, "listpack", decodeListpack), key, limits, start);
    case RdbType.ZSetZiplist:
      return zsetFromPairs(input, blob(input, "ziplist", decodeZiplist), key, limits, start);
    case RdbType.ZSetListpack:
      return zsetFromPairs(input, blob(input, "listpack", decodeListpack), key, limits, start);
    case RdbType.SetIntset: {
      const members = blob(input, "intset", decodeIntsetBlob);
      const set = new RedisSet();
      for (const member of members) set.add(member, limits);
      return members.length === 0 ? null : set;
    }
    case RdbType.ListZiplist: {
      const list = RedisList.create();
      for (const entry of blob(input, "ziplist", decodeZiplist)) list.push(entryBytes(entry), ListEnd.Tail);
      return list.length === 0 ? null : list;
    }
    case RdbType.ListQuicklist:
    case RdbType.ListQuicklist2: {
      const nodes = input.count("quicklist node count");
      const list = RedisList.create();
      for (let i = 0; i < nodes; i++) {
        let container = QUICKLIST_NODE_PACKED;
        if (type === RdbType.ListQuicklist2) {
          const at = input.offset;
          container = input.length("quicklist container");
          if (container !== QUICKLIST_NODE_PACKED && container !== QUICKLIST_NODE_PLAIN) {
            throw input.error(`unknown quicklist container ${container} in key '${key}'`, at);
          }
        }
        if (container === QUICKLIST_NODE_PLAIN) {
          list.push(input.string("quicklist plain node"), ListEnd.Tail);
          continue;
        }
        const entries =
          type === RdbType.ListQuicklist2
            ? blob(input, "listpack", decodeListpack)
            : blob(input, "ziplist", decodeZiplist);
        for (const entry of entries) list.push(entryBytes(entry), ListEnd.Tail);
      }
      return list.length === 0 ? null : list;
    }
    case RdbType.StreamListpacks:
    case RdbType.StreamListpacks2:
    case RdbType.StreamListpacks3:
      return readStreamValue(input, type, key);
    default:
      throw input.error(
        `key '${key}' holds a value of ${rdbTypeName(type)}, which Spinel does not support`,
        typeOffset,
      );
  }
}

/** Read a string holding a blob and decode it with `decode`, turning its errors into RdbErrors. */
function blob<T>(input: RdbInput, what: string, decode: (bytes: Buffer) => T): T {
  const start = input.offset;
  const bytes = input.string(what);
  try {
    return decode(bytes);
  } catch (error) {
    if (error instanceof RdbError) throw error;
    throw input.error(`invalid ${what}: ${(error as Error).message}`, start);
  }
}

function hashFromPairs(
  input: RdbInput,
  entries: readonly (ListpackEntry | Buffer)[],
  key: string,
  limits: EncodingLimits,
  start: number,
): RedisHash | null {
  if (entries.length % 2 !== 0)
    throw input.error(`hash blob of key '${key}' has an odd number of elements`, start);
  if (entries.length === 0) return null;
  const fields = new Array<string>(entries.length / 2);
  const values = new Array<Buffer>(entries.length / 2);
  for (let i = 0; i < entries.length; i += 2) {
    fields[i / 2] = entryLatin1(entries[i]!);
    values[i / 2] = entryBytes(entries[i + 1]!);
  }
  const hash = RedisHash.fromPairs(fields, values, limits);
  if (hash === null) throw input.error(`duplicate hash field in key '${key}'`, start);
  return hash;
}

function zsetFromPairs(
  input: RdbInput,
  entries: readonly ListpackEntry[],
  key: string,
  limits: EncodingLimits,
  start: number,
): RedisZSet | null {
  if (entries.length % 2 !== 0)
    throw input.error(`sorted set blob of key '${key}' has an odd number of elements`, start);
  const members: string[] = [];
  const scores: number[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < entries.length; i += 2) {
    const member = entryLatin1(entries[i]!);
    const scoreEntry = entries[i + 1]!;
    const score =
      typeof scoreEntry === "object" ? parseScore(scoreEntry.toString("latin1")) : Number(scoreEntry);
    if (Number.isNaN(score)) throw input.error(`invalid score in sorted set blob of key '${key}'`, start);
    if (seen.has(member)) throw input.error(`duplicate sorted set member in key '${key}'`, start);
    seen.add(member);
    members.push(member);
    scores.push(score);
  }
  return members.length === 0 ? null : RedisZSet.fromEntries(members, scores, limits);
}

/** A score as text (strtod's forms Redis writes: decimal, exponent, inf, -inf). */
function parseScore(text: string): number {
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "+inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  if (text === "" || text.trim() !== text) return Number.NaN;
  return Number(text);
}
