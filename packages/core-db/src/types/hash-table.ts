/*
 * The "hashtable" encoding of a hash: a Map field -> slot for O(1) lookups and
 * two dense parallel arrays, `fields` and `values`, indexed by slot, for O(1)
 * random picks (HRANDFIELD), positional reads and the HSCAN cursor space. A
 * deletion moves the last pair into the hole (O(1)), so the order is arbitrary,
 * as a dict's is.
 *
 * HSCAN walks the slots from the top down, like the keyspace's SCAN (see
 * Database.scan): with swap-removal, an entry present for the whole iteration is
 * returned at least once however the hash grows or shrinks between calls.
 *
 * Values shorter than TEXT_VALUE_LIMIT are kept as latin1 strings (one char per
 * byte): a flat string is one small heap object, where a Buffer is a typed-array
 * object with its bookkeeping plus a share of Node's pool, so a field update
 * (HSET on an existing field) allocates and later collects far less. Longer
 * values keep a Buffer with a store of its own. Either way the table owns what
 * it stores: set() copies.
 */

import { arrayBytes, bufferBytes, mapBytes, objectBytes, stringBytes } from "../memory-model.js";
import { charsOf } from "./byte-string.js";

/** The table object itself (index, fields, values, payloadBytes). */
const TABLE_BASE = objectBytes(4);
/**
 * One field beyond its Map and array slots: the field string's header with
 * average alignment (see memory-model.ts; the chars are counted in payloadBytes).
 */
const TABLE_FIELD = 20;
/**
 * Values at least this long stay Buffers (with a store of their own, as Node
 * allocates Buffers from this size on); shorter ones are kept as strings.
 */
const TEXT_VALUE_LIMIT = 4096;

/** A stored value: a latin1 string below TEXT_VALUE_LIMIT bytes, a Buffer of its own from there. */
type StoredValue = string | Buffer;

/** Where a table writes a value for a reply (see RedisHash's HashValueSink). */
export interface TableValueSink {
  bulk(payload: Buffer): void;
  bulkString(text: string): void;
}

/** A hash in the hashtable encoding. */
export class HashTable {
  /** Field -> slot in `fields` / `values`. */
  private readonly index: Map<string, number>;
  /** The fields in iteration order. */
  private readonly fields: string[];
  /** values[i] is the value of fields[i]. */
  private readonly values: StoredValue[];
  /** Field and value bytes held (for memoryUsage, kept up to date by every change). */
  private payloadBytes: number;

  constructor() {
    this.index = new Map();
    this.fields = [];
    this.values = [];
    this.payloadBytes = 0;
  }

  /** Bytes the table holds (see memory-model.ts). O(1). */
  memoryUsage(): number {
    const length = this.fields.length;
    return TABLE_BASE + 2 * arrayBytes(length) + mapBytes(length) + length * TABLE_FIELD + this.payloadBytes;
  }

  /** Number of fields. */
  get length(): number {
    return this.fields.length;
  }

  /** The value of `field` as a Buffer (made for the call when stored as text), or undefined. */
  get(field: string): Buffer | undefined {
    const slot = this.index.get(field);
    return slot === undefined ? undefined : asBuffer(this.values[slot]!);
  }

  /** Write the value of `field` to `out` as one bulk string; false (nothing written) when missing. */
  writeValue(field: string, out: TableValueSink): boolean {
    const slot = this.index.get(field);
    if (slot === undefined) return false;
    writeStored(this.values[slot]!, out);
    return true;
  }

  /** Byte length of the value of `field`, or -1 when it is missing. */
  valueLength(field: string): number {
    const slot = this.index.get(field);
    return slot === undefined ? -1 : this.values[slot]!.length;
  }

  /** True when `field` exists. */
  has(field: string): boolean {
    return this.index.has(field);
  }

  /**
   * Set `field` to a copy of `value` (the caller keeps `value`). Returns true
   * when the field is new.
   */
  set(field: string, value: Buffer): boolean {
    const length = value.length;
    return this.store(field, length < TEXT_VALUE_LIMIT ? charsOf(value, 0, length) : Buffer.from(value));
  }

  /** Set `field` to the bytes of `text` (latin1). Returns true when the field is new. */
  setText(field: string, text: string): boolean {
    return this.store(field, text.length < TEXT_VALUE_LIMIT ? text : Buffer.from(text, "latin1"));
  }

  /** Set `field` to `stored`, which the table now owns. Returns true when the field is new. */
  private store(field: string, stored: StoredValue): boolean {
    const slot = this.index.get(field);
    if (slot !== undefined) {
      const values = this.values;
      this.payloadBytes += valueCost(stored) - valueCost(values[slot]!);
      values[slot] = stored;
      return false;
    }
    this.payloadBytes += field.length + valueCost(stored);
    this.index.set(field, this.fields.length);
    this.fields.push(field);
    this.values.push(stored);
    return true;
  }

  /** Remove `field`, moving the last pair into its slot. Returns true when it existed. */
  delete(field: string): boolean {
    const index = this.index;
    const slot = index.get(field);
    if (slot === undefined) return false;
    index.delete(field);
    const fields = this.fields;
    const values = this.values;
    this.payloadBytes -= field.length + valueCost(values[slot]!);
    const lastField = fields.pop()!;
    const lastValue = values.pop()!;
    if (slot < fields.length) {
      fields[slot] = lastField;
      values[slot] = lastValue;
      index.set(lastField, slot);
    }
    return true;
  }

  /** The field at `position` (0 <= position < length). Valid until the next change. */
  fieldAt(position: number): string {
    return this.fields[position]!;
  }

  /** The value at `position` as a Buffer (made for the call when stored as text). */
  valueAt(position: number): Buffer {
    return asBuffer(this.values[position]!);
  }

  /** Write the value at `position` to `out` as one bulk string. */
  writeValueAt(position: number, out: TableValueSink): void {
    writeStored(this.values[position]!, out);
  }

  /**
   * One HSCAN step from `cursor` (0: the start): push about `count` fields and
   * values and return the next cursor, 0 when the walk is complete.
   */
  scan(cursor: number, count: number, fields: string[], values: Buffer[]): number {
    const length = this.fields.length;
    let position = cursor === 0 || cursor > length ? length : cursor;
    const stop = position - count > 0 ? position - count : 0;
    while (position > stop) {
      position--;
      fields.push(this.fields[position]!);
      values.push(asBuffer(this.values[position]!));
    }
    return position;
  }

  /**
   * An independent copy in the same order. Values are shared: strings are
   * immutable, and a stored Buffer is never changed in place (a new value
   * replaces it).
   */
  clone(): HashTable {
    const copy = new HashTable();
    copy.payloadBytes = this.payloadBytes;
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      copy.index.set(fields[i]!, i);
      copy.fields.push(fields[i]!);
      copy.values.push(this.values[i]!);
    }
    return copy;
  }
}

/** A stored value as a Buffer: the stored one, or a new one holding the text's bytes. */
function asBuffer(stored: StoredValue): Buffer {
  return typeof stored === "string" ? Buffer.from(stored, "latin1") : stored;
}

/** Write a stored value to `out` as one bulk string. */
function writeStored(stored: StoredValue, out: TableValueSink): void {
  if (typeof stored === "string") out.bulkString(stored);
  else out.bulk(stored);
}

/** Bytes of a stored value beyond its slot (memory-model.ts): a string, or a Buffer with its own store. */
function valueCost(stored: StoredValue): number {
  return typeof stored === "string" ? stringBytes(stored.length) : bufferBytes(stored.length, false);
}
