/*
 * Hash values (Redis' t_hash.c, type side).
 *
 * A hash maps binary fields (latin1 JS strings, one char = one byte) to binary
 * values. Two encodings, as Redis 7.0 reports them in OBJECT ENCODING:
 *   - "listpack" while the hash has at most hash-max-listpack-entries fields and
 *     no field or value longer than hash-max-listpack-value bytes. Every field
 *     and value is packed into one latin1 string (packed-pairs.ts), in insertion
 *     order: a new field goes to the end, an update keeps its place, a deletion
 *     closes the gap. Lookups scan the pairs, as Redis scans a listpack.
 *   - "hashtable" beyond (hash-table.ts): a Map and a slot array, O(1) per
 *     field, arbitrary order.
 * Converting is one-way, as in Redis: raising a limit later never turns a
 * hashtable back into a listpack.
 *
 * Values given to the hash are copied (a view into a socket chunk is never
 * kept). Values read as Buffers are made for the caller, except a hashtable's
 * long values (hash-table.ts keeps those as Buffers): callers must not change
 * them in either case. Replies go through writeValue / writeValueAt, which
 * write the stored text without a Buffer.
 *
 * HSCAN returns a listpack whole in one call with cursor 0, as Redis does; a
 * hashtable is walked with a cursor (see hash-table.ts for the guarantee).
 */

import type { EncodingLimits } from "../limits.js";
import { objectBytes, stringBytes } from "../memory-model.js";
import { HashTable } from "./hash-table.js";
import {
  EMPTY_PACKED,
  PACKED_MAX_COUNT,
  PACKED_MAX_LENGTH,
  type PackedPairSink,
  type PackedPairsBuilder,
  packedAppend,
  packedCopy,
  packedCount,
  packedDelete,
  packedEntries,
  packedFieldAt,
  packedFind,
  packedForEachPair,
  packedFromPairs,
  packedGet,
  packedGetText,
  packedHas,
  packedPairSize,
  packedReplace,
  packedValueAt,
  packedValueLength,
  packedValueTextAt,
} from "./packed-pairs.js";

export type { PackedPairSink } from "./packed-pairs.js";
export { PackedPairsBuilder } from "./packed-pairs.js";

/** The RedisHash object: its one field, body (`type` is on the prototype). */
const HASH_BASE = objectBytes(1);

/**
 * Where RedisHash writes values for a reply (the bulk-string part of a reply
 * writer): from a listpack as latin1 text, from a hashtable as the stored Buffer.
 */
export interface HashValueSink {
  /** A bulk string from bytes (copied). */
  bulk(payload: Buffer): void;
  /** A bulk string from a binary (latin1) JS string. */
  bulkString(text: string): void;
}

/** Encodings OBJECT ENCODING reports for hashes. */
export type HashEncodingName = "listpack" | "hashtable";

/** A hash value. */
export class RedisHash {
  /** The type tag, shared on the prototype (see the end of the file) rather than a field per hash. */
  declare readonly type: "hash";
  /** The packed pairs while listpack-encoded, the table after the conversion. */
  private body: string | HashTable;

  constructor() {
    this.body = EMPTY_PACKED;
  }

  /**
   * A hash holding fields[i] -> copies of values[i], in that order and in the
   * encoding the same set() calls would reach, or null when a field repeats
   * (loaders report that as corrupt input). For loading a whole hash at once
   * (RDB blobs): O(n) into a listpack, where n set() calls would cost O(n^2).
   */
  static fromPairs(
    fields: readonly string[],
    values: readonly Buffer[],
    limits: EncodingLimits,
  ): RedisHash | null {
    const count = fields.length;
    const hash = new RedisHash();
    const maxValue = limits.hashMaxListpackValue;
    let fits = count <= limits.hashMaxListpackEntries && count <= PACKED_MAX_COUNT;
    let total = 0;
    for (let i = 0; fits && i < count; i++) {
      const field = fields[i]!;
      const length = values[i]!.length;
      total += packedPairSize(field, length);
      fits = field.length <= maxValue && length <= maxValue && total <= PACKED_MAX_LENGTH;
    }
    if (!fits) {
      // set() would convert on the way: build the table directly (same contents, same order).
      const table = new HashTable();
      for (let i = 0; i < count; i++) if (!table.set(fields[i]!, values[i]!)) return null;
      hash.body = table;
      return hash;
    }
    if (!allDistinct(fields)) return null;
    hash.body = packedFromPairs(fields, values);
    return hash;
  }

  /**
   * The hash `builder` has packed (its pairs in order), when the listpack
   * encoding holds it under `limits`; undefined when it does not (the caller
   * then builds it with fromPairs, which makes a hashtable), null when a field
   * repeats (loaders report that as corrupt input). O(n) for the common small
   * hash; the builder is left to be reset.
   */
  static fromPacked(builder: PackedPairsBuilder, limits: EncodingLimits): RedisHash | null | undefined {
    const count = builder.items >>> 1;
    if (
      count > limits.hashMaxListpackEntries ||
      count > PACKED_MAX_COUNT ||
      builder.longest > limits.hashMaxListpackValue ||
      builder.pairsLength > PACKED_MAX_LENGTH
    ) {
      return undefined;
    }
    if (builder.hasRepeatedField()) return null;
    const hash = new RedisHash();
    hash.body = builder.finish();
    return hash;
  }

  /**
   * Bytes this hash holds (see memory-model.ts). O(1). A listpack is its object
   * and one string; a hashtable costs a fixed amount per field plus the field and
   * value bytes.
   */
  memoryUsage(): number {
    const body = this.body;
    if (typeof body === "string") return HASH_BASE + stringBytes(body.length);
    return HASH_BASE + body.memoryUsage();
  }

  /** OBJECT ENCODING name. */
  get encoding(): HashEncodingName {
    return typeof this.body === "string" ? "listpack" : "hashtable";
  }

  /** Number of fields (HLEN). O(1). */
  get length(): number {
    const body = this.body;
    return typeof body === "string" ? packedCount(body) : body.length;
  }

  /**
   * The value of `field`, or undefined. Read-only for the caller: usually a
   * copy made for this call, a hashtable's stored Buffer for a long value.
   */
  get(field: string): Buffer | undefined {
    const body = this.body;
    return typeof body === "string" ? packedGet(body, field) : body.get(field);
  }

  /**
   * Write the value of `field` to `out` as one bulk string and return true, or
   * return false (writing nothing) when the field is missing. HGET and HMGET
   * reply through this, without a Buffer made for the call.
   */
  writeValue(field: string, out: HashValueSink): boolean {
    const body = this.body;
    if (typeof body === "string") {
      const text = packedGetText(body, field);
      if (text === undefined) return false;
      out.bulkString(text);
      return true;
    }
    return body.writeValue(field, out);
  }

  /** Byte length of the value of `field`, or -1 when it is missing (HSTRLEN, without a copy). */
  valueLength(field: string): number {
    const body = this.body;
    return typeof body === "string" ? packedValueLength(body, field) : body.valueLength(field);
  }

  /** True when `field` exists (HEXISTS). */
  has(field: string): boolean {
    const body = this.body;
    return typeof body === "string" ? packedHas(body, field) : body.has(field);
  }

  /**
   * Set `field` to a copy of `value` (HSET, HSETNX, HMSET). Returns true when the
   * field is new, false when an existing value was replaced. Converts to a
   * hashtable first when the field or the value is longer than
   * hash-max-listpack-value, and when a new field would make the hash longer than
   * hash-max-listpack-entries, as Redis' hashTypeSet does.
   */
  set(field: string, value: Buffer, limits: EncodingLimits): boolean {
    const body = this.body;
    if (typeof body !== "string") return body.set(field, value);
    return this.setPacked(body, field, value, limits);
  }

  /**
   * Set `field` to the bytes of `text` (latin1), for values the server computes
   * itself (HINCRBY, HINCRBYFLOAT). Same return value and conversions as set().
   */
  setText(field: string, text: string, limits: EncodingLimits): boolean {
    const body = this.body;
    if (typeof body !== "string") return body.setText(field, text);
    return this.setPacked(body, field, Buffer.from(text, "latin1"), limits);
  }

  /**
   * set() on a listpack: in place in the packed pairs, or through the
   * conversion when a limit is crossed (the table copies `value`).
   */
  private setPacked(packed: string, field: string, value: Buffer, limits: EncodingLimits): boolean {
    const maxValue = limits.hashMaxListpackValue;
    const tooLong =
      field.length > maxValue ||
      value.length > maxValue ||
      packed.length + packedPairSize(field, value.length) > PACKED_MAX_LENGTH;
    if (!tooLong) {
      const offset = packedFind(packed, field);
      if (offset !== -1) {
        this.body = packedReplace(packed, offset, value);
        return false;
      }
      const count = packedCount(packed) + 1;
      if (count <= limits.hashMaxListpackEntries && count <= PACKED_MAX_COUNT) {
        this.body = packedAppend(packed, field, value);
        return true;
      }
    }
    return this.convert(packed).set(field, value);
  }

  /** Turn the listpack `packed` into a hashtable, keeping the order; returns the table. */
  private convert(packed: string): HashTable {
    const fields: string[] = [];
    const values: Buffer[] = [];
    packedEntries(packed, fields, values);
    const table = new HashTable();
    for (let i = 0; i < fields.length; i++) table.set(fields[i]!, values[i]!);
    this.body = table;
    return table;
  }

  /** Remove `field` (HDEL). Returns true when it existed. */
  delete(field: string): boolean {
    const body = this.body;
    if (typeof body !== "string") return body.delete(field);
    const next = packedDelete(body, field);
    if (next === null) return false;
    this.body = next;
    return true;
  }

  // ---------------------------------------------------------------- positional access

  /**
   * The field at `position` (0 <= position < length) in iteration order: the
   * order HGETALL, HKEYS and HVALS reply in. Positions are valid until the next
   * mutation. On a listpack, reading positions in increasing order costs O(1)
   * each, any other position O(n).
   */
  fieldAt(position: number): string {
    const body = this.body;
    return typeof body === "string" ? packedFieldAt(body, position) : body.fieldAt(position);
  }

  /** The value at `position` (see fieldAt). Read-only for the caller, as get()'s. */
  valueAt(position: number): Buffer {
    const body = this.body;
    return typeof body === "string" ? packedValueAt(body, position) : body.valueAt(position);
  }

  /** Write the value at `position` (see fieldAt) to `out` as one bulk string. */
  writeValueAt(position: number, out: HashValueSink): void {
    const body = this.body;
    if (typeof body === "string") out.bulkString(packedValueTextAt(body, position));
    else body.writeValueAt(position, out);
  }

  /**
   * Listpack encoding: hand every pair, in iteration order, to `sink` as char
   * ranges of the packed string the hash holds (nothing is copied; the ranges
   * are valid until the next change). Returns false, calling nothing, in the
   * hashtable encoding. For serialisers (the RDB writer) that copy the bytes out.
   */
  forEachPackedPair(sink: PackedPairSink): boolean {
    const body = this.body;
    if (typeof body !== "string") return false;
    packedForEachPair(body, sink);
    return true;
  }

  /** A uniformly random position (HRANDFIELD). The hash must not be empty. */
  randomPosition(): number {
    return Math.floor(Math.random() * this.length);
  }

  // ---------------------------------------------------------------- scan and copy

  /**
   * One HSCAN step: push about `count` fields and their values onto `fields` /
   * `values` and return the next cursor (0 when the iteration is complete).
   * A listpack is returned whole with cursor 0; a hashtable is walked from the
   * top of its slot array down (see hash-table.ts for the guarantee).
   */
  scan(cursor: number, count: number, fields: string[], values: Buffer[]): number {
    const body = this.body;
    if (typeof body === "string") {
      packedEntries(body, fields, values);
      return 0;
    }
    return body.scan(cursor, count, fields, values);
  }

  /** An independent copy in the same encoding and order (COPY). */
  clone(): RedisHash {
    const copy = new RedisHash();
    const body = this.body;
    copy.body = typeof body === "string" ? packedCopy(body) : body.clone();
    return copy;
  }
}

/** Below this many fields, distinctness is checked pairwise rather than with a Set. */
const PAIRWISE_LIMIT = 16;

/** True when no string occurs twice in `fields`. */
function allDistinct(fields: readonly string[]): boolean {
  const count = fields.length;
  if (count <= PAIRWISE_LIMIT) {
    for (let i = 1; i < count; i++) {
      for (let j = 0; j < i; j++) if (fields[i] === fields[j]) return false;
    }
    return true;
  }
  return new Set(fields).size === count;
}

// The type tag every hash shares (declared on the class, defined once here).
Object.defineProperty(RedisHash.prototype, "type", { value: "hash" });
