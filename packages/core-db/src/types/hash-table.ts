/*
 * The "hashtable" encoding of a hash: a Map field -> entry for O(1) lookups and
 * a dense array of the entries (`slots`) for O(1) random picks (HRANDFIELD),
 * positional reads and the HSCAN cursor space. A deletion moves the last entry
 * into the hole (O(1)), so the order is arbitrary, as a dict's is.
 *
 * HSCAN walks `slots` from the top down, like the keyspace's SCAN (see
 * Database.scan): with swap-removal, an entry present for the whole iteration is
 * returned at least once however the hash grows or shrinks between calls.
 *
 * Values are Buffers owned by the table: callers hand over copies.
 */

import { arrayBytes, bufferBytes, mapBytes, objectBytes } from "../memory-model.js";

/** The table object itself (entries, slots, payloadBytes). */
const TABLE_BASE = objectBytes(3);
/**
 * One field beyond its Map and array slots: its HashEntry object (3 fields),
 * the field string's header with average alignment, and the value's Buffer object
 * (see memory-model.ts; the bytes themselves are counted in payloadBytes).
 */
const TABLE_FIELD = objectBytes(3) + 20 + bufferBytes(0, true) + 4;

/** One field of a table and its position in the slot array. */
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

/** A hash in the hashtable encoding. */
export class HashTable {
  private readonly entries: Map<string, HashEntry>;
  /** The entries in iteration order. */
  private readonly slots: HashEntry[];
  /** Field and value bytes held (for memoryUsage, kept up to date by every change). */
  private payloadBytes: number;

  constructor() {
    this.entries = new Map();
    this.slots = [];
    this.payloadBytes = 0;
  }

  /** Bytes the table holds (see memory-model.ts). O(1). */
  memoryUsage(): number {
    const length = this.slots.length;
    return TABLE_BASE + arrayBytes(length) + mapBytes(length) + length * TABLE_FIELD + this.payloadBytes;
  }

  /** Number of fields. */
  get length(): number {
    return this.slots.length;
  }

  /** The value of `field`, or undefined. The Buffer belongs to the table. */
  get(field: string): Buffer | undefined {
    return this.entries.get(field)?.value;
  }

  /** True when `field` exists. */
  has(field: string): boolean {
    return this.entries.has(field);
  }

  /**
   * Set `field` to `owned`, a Buffer the table keeps (never a view the caller
   * may change). Returns true when the field is new.
   */
  set(field: string, owned: Buffer): boolean {
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
    return true;
  }

  /** Remove `field`, moving the last entry into its slot. Returns true when it existed. */
  delete(field: string): boolean {
    const entry = this.entries.get(field);
    if (entry === undefined) return false;
    this.entries.delete(field);
    this.payloadBytes -= field.length + valueCost(entry.value);
    const slots = this.slots;
    const last = slots.pop()!;
    if (last !== entry) {
      slots[entry.slot] = last;
      last.slot = entry.slot;
    }
    return true;
  }

  /** The field at `position` (0 <= position < length). Valid until the next change. */
  fieldAt(position: number): string {
    return this.slots[position]!.field;
  }

  /** The value at `position`. The Buffer belongs to the table. */
  valueAt(position: number): Buffer {
    return this.slots[position]!.value;
  }

  /**
   * One HSCAN step from `cursor` (0: the start): push about `count` fields and
   * values and return the next cursor, 0 when the walk is complete.
   */
  scan(cursor: number, count: number, fields: string[], values: Buffer[]): number {
    const slots = this.slots;
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
   * An independent copy in the same order. Values are shared: stored Buffers are
   * never changed in place, a new value replaces the Buffer.
   */
  clone(): HashTable {
    const copy = new HashTable();
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
