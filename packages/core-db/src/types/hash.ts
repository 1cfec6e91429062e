/*
 * Hash values (Redis' t_hash.c, type side).
 *
 * A hash maps binary fields (latin1 JS strings, one char = one byte) to binary
 * values (Buffers owned by the hash: the API copies what it is given, so a view
 * into a socket chunk is never kept).
 *
 * Two encodings, as Redis 7.0 reports them in OBJECT ENCODING:
 *   - "listpack" while the hash has at most hash-max-listpack-entries fields and
 *     no field or value longer than hash-max-listpack-value bytes. Like a
 *     listpack it keeps insertion order: a new field goes to the end, an update
 *     keeps its place, a deletion closes the gap (O(n), as a listpack's memmove).
 *   - "hashtable" beyond. A deletion moves the last entry into the hole (O(1)),
 *     so the order is arbitrary, as a dict's is.
 *
 * Both encodings share one representation: a Map field -> entry for O(1)
 * lookups, and a dense array of the entries (`slots`) giving the iteration
 * order, O(1) random picks (HRANDFIELD) and, for the hashtable, the HSCAN cursor
 * space. The encoding only decides how a deletion closes its gap and what
 * OBJECT ENCODING says; converting is flipping it, which is one-way, as in Redis
 * (raising a limit later never turns a hashtable back into a listpack).
 *
 * HSCAN over a hashtable walks `slots` from the top down, like the keyspace's
 * SCAN (see Database.scan): with swap-removal, an entry present for the whole
 * iteration is returned at least once however the hash grows or shrinks between
 * calls. A listpack is returned whole in one call with cursor 0, as Redis does.
 */

import type { EncodingLimits } from "../limits.js";
import { arrayBytes, bufferBytes, mapBytes, objectBytes } from "../memory-model.js";

/** The RedisHash object (type, entries, slots, compact, payloadBytes). */
const HASH_BASE = objectBytes(5);
/**
 * One field beyond its Map and array slots: its HashEntry object (3 fields),
 * the field string's header with average alignment, and the value's Buffer object
 * (see memory-model.ts; the bytes themselves are counted in payloadBytes).
 */
const HASH_FIELD = objectBytes(3) + 20 + bufferBytes(0, true) + 4;

/** Encodings OBJECT ENCODING reports for hashes. */
export type HashEncodingName = "listpack" | "hashtable";

/** One field of a hash and its position in the hash's slot array. */
class HashEntry {
  readonly field: string;
  value: Buffer;
  slot: number;

  constructor(field: string, value: Buffer, slot: number) {
    this.field = field;
    this.value = value;
    this.slot = slot;
  }
}

/** A hash value. */
export class RedisHash {
  readonly type = "hash" as const;
  private readonly entries: Map<string, HashEntry>;
  /** The entries in iteration order (listpack: insertion order). */
  private readonly slots: HashEntry[];
  /** True while the hash is listpack-encoded. */
  private compact: boolean;
  /** Field and value bytes held (for memoryUsage, kept up to date by every change). */
  private payloadBytes: number;

  constructor() {
    this.entries = new Map();
    this.slots = [];
    this.compact = true;
    this.payloadBytes = 0;
  }

  /**
   * Bytes this hash holds (see memory-model.ts): a fixed cost per field plus the
   * field and value bytes. O(1). Values of 4 KB or more are Buffers of their own
   * and cost their bookkeeping on top.
   */
  memoryUsage(): number {
    const length = this.slots.length;
    return HASH_BASE + arrayBytes(length) + mapBytes(length) + length * HASH_FIELD + this.payloadBytes;
  }

  /** OBJECT ENCODING name. */
  get encoding(): HashEncodingName {
    return this.compact ? "listpack" : "hashtable";
  }

  /** Number of fields (HLEN). */
  get length(): number {
    return this.slots.length;
  }

  /** The value of `field`, or undefined. The Buffer belongs to the hash: do not change it. */
  get(field: string): Buffer | undefined {
    const entry = this.entries.get(field);
    return entry === undefined ? undefined : entry.value;
  }

  /** True when `field` exists (HEXISTS). */
  has(field: string): boolean {
    return this.entries.has(field);
  }

  /**
   * Set `field` to a copy of `value` (HSET, HSETNX, HMSET). Returns true when the
   * field is new, false when an existing value was replaced. Converts to a
   * hashtable first when the field or the value is longer than
   * hash-max-listpack-value, and after inserting when the hash has more than
   * hash-max-listpack-entries fields, as Redis' hashTypeSet does.
   */
  set(field: string, value: Buffer, limits: EncodingLimits): boolean {
    return this.store(field, Buffer.from(value), limits);
  }

  /**
   * Set `field` to the bytes of `text` (latin1), for values the server computes
   * itself (HINCRBY, HINCRBYFLOAT). Same return value and conversions as set().
   */
  setText(field: string, text: string, limits: EncodingLimits): boolean {
    return this.store(field, Buffer.from(text, "latin1"), limits);
  }

  private store(field: string, owned: Buffer, limits: EncodingLimits): boolean {
    if (
      this.compact &&
      (field.length > limits.hashMaxListpackValue || owned.length > limits.hashMaxListpackValue)
    ) {
      this.compact = false;
    }
    const existing = this.entries.get(field);
    if (existing !== undefined) {
      this.payloadBytes += valueCost(owned) - valueCost(existing.value);
      existing.value = owned;
      return false;
    }
    this.payloadBytes += field.length + valueCost(owned);
    const entry = new HashEntry(field, owned, this.slots.length);
    this.slots.push(entry);
    this.entries.set(field, entry);
    if (this.compact && this.slots.length > limits.hashMaxListpackEntries) this.compact = false;
    return true;
  }

  /** Remove `field` (HDEL). Returns true when it existed. */
  delete(field: string): boolean {
    const entry = this.entries.get(field);
    if (entry === undefined) return false;
    this.entries.delete(field);
    this.payloadBytes -= field.length + valueCost(entry.value);
    const slots = this.slots;
    if (this.compact) {
      // Close the gap, keeping the order, as a listpack deletion does.
      slots.splice(entry.slot, 1);
      for (let i = entry.slot; i < slots.length; i++) slots[i]!.slot = i;
    } else {
      const last = slots.pop()!;
      if (last !== entry) {
        slots[entry.slot] = last;
        last.slot = entry.slot;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- positional access

  /**
   * The field at `position` (0 <= position < length) in iteration order: the
   * order HGETALL, HKEYS and HVALS reply in. Positions are valid until the next
   * mutation.
   */
  fieldAt(position: number): string {
    return this.slots[position]!.field;
  }

  /** The value at `position` (see fieldAt). The Buffer belongs to the hash. */
  valueAt(position: number): Buffer {
    return this.slots[position]!.value;
  }

  /** A uniformly random position (HRANDFIELD). The hash must not be empty. */
  randomPosition(): number {
    return Math.floor(Math.random() * this.slots.length);
  }

  // ---------------------------------------------------------------- scan and copy

  /**
   * One HSCAN step: push about `count` fields and their values onto `fields` /
   * `values` and return the next cursor (0 when the iteration is complete).
   * A listpack is returned whole with cursor 0; a hashtable is walked from the
   * top of its slot array down (see the file comment for the guarantee).
   */
  scan(cursor: number, count: number, fields: string[], values: Buffer[]): number {
    const slots = this.slots;
    if (this.compact) {
      for (let i = 0; i < slots.length; i++) {
        fields.push(slots[i]!.field);
        values.push(slots[i]!.value);
      }
      return 0;
    }
    let position = cursor === 0 || cursor > slots.length ? slots.length : cursor;
    const stop = position - count > 0 ? position - count : 0;
    while (position > stop) {
      position--;
      const entry = slots[position]!;
      fields.push(entry.field);
      values.push(entry.value);
    }
    return position;
  }

  /**
   * An independent copy in the same encoding and order (COPY). Values are shared:
   * stored Buffers are never changed in place, a new value replaces the Buffer.
   */
  clone(): RedisHash {
    const copy = new RedisHash();
    copy.compact = this.compact;
    copy.payloadBytes = this.payloadBytes;
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const entry = new HashEntry(slots[i]!.field, slots[i]!.value, i);
      copy.slots.push(entry);
      copy.entries.set(entry.field, entry);
    }
    return copy;
  }
}

/** Bytes of a value Buffer beyond its object (memory-model.ts): its pooled bytes or its own store. */
function valueCost(value: Buffer): number {
  return bufferBytes(value.length, value.length < 4096) - bufferBytes(0, true);
}
