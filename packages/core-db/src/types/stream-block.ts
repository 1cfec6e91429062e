/*
 * One node of a stream: a packed block of consecutive entries (Redis keeps the
 * same unit as a listpack in a rax node).
 *
 * Layout of a block holding `count` entries (deleted ones included, as Redis
 * keeps them flagged until the whole node goes):
 *   - ids:     BigUint64Array, [ms, seq] per entry, ascending;
 *   - deleted: Uint8Array, 1 for an entry removed by XDEL or XTRIM;
 *   - offsets: Uint32Array, where entry i starts in `data` (offsets[count] = used);
 *   - data:    one Buffer with every entry packed as
 *              u32 pair-count, then per field and value: u32 length, bytes.
 *
 * Appends fill the typed arrays and the buffer in place (doubling when full),
 * so one entry costs no object of its own. A block also tracks the size the
 * same node would have as a Redis listpack (`listpackBytes`), because Redis
 * decides when to start a new node from that size and from the entry count,
 * and approximate trimming (`~`) removes whole nodes only: with the same node
 * boundaries, `~` removes exactly what redis-server removes.
 */

import { UINT64_MAX } from "./stream-id.js";

/** Redis' STREAM_LISTPACK_MAX_SIZE: the node size limit when stream-node-max-bytes is 0. */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;

const INITIAL_ENTRIES = 8;
const INITIAL_BYTES = 256;

// ---------------------------------------------------------------- listpack sizes

/** Bytes of a listpack element's back-length field for an element of `size` bytes. */
function backlenSize(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

/** Bytes a listpack spends on the integer `value` (encoding and back-length). */
export function listpackIntegerSize(value: number): number {
  let encoded: number;
  if (value >= 0 && value <= 127) encoded = 1;
  else if (value >= -4096 && value <= 4095) encoded = 2;
  else if (value >= -32768 && value <= 32767) encoded = 3;
  else if (value >= -8388608 && value <= 8388607) encoded = 4;
  else if (value >= -2147483648 && value <= 2147483647) encoded = 5;
  else encoded = 9;
  return encoded + backlenSize(encoded);
}

/** listpackIntegerSize for a 64-bit value held as a BigInt (read as signed). */
function listpackBigIntegerSize(value: bigint): number {
  const signed = BigInt.asIntN(64, value);
  if (signed >= -2147483648n && signed <= 2147483647n) return listpackIntegerSize(Number(signed));
  return 9 + 1;
}

/**
 * The integer a listpack would store `bytes[start..end)` as, or null when it
 * stores them as a string (Redis' lpStringToInt64: canonical decimal, at most
 * 20 characters, within the signed 64-bit range).
 */
function canonicalInteger(bytes: Buffer, start: number, end: number): bigint | null {
  const length = end - start;
  if (length === 0 || length > 20) return null;
  let i = start;
  if (bytes[i] === 0x2d) {
    i++;
    if (i === end) return null;
  }
  if (bytes[i] === 0x30) return length === 1 ? 0n : null;
  for (let j = i; j < end; j++) {
    const b = bytes[j]!;
    if (b < 0x30 || b > 0x39) return null;
  }
  const value = BigInt(bytes.toString("latin1", start, end));
  if (value > 9223372036854775807n || value < -9223372036854775808n) return null;
  return value;
}

/** listpackBigIntegerSize(value - base), in doubles when both are exact there (the usual case). */
function deltaSize(value: bigint, base: bigint): number {
  if (value <= MAX_SAFE && base <= MAX_SAFE) return listpackIntegerSize(Number(value) - Number(base));
  return listpackBigIntegerSize(value - base);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** True when data[a..a+length) equals data[b..b+length). */
function sameBytes(data: Buffer, a: number, b: number, length: number): boolean {
  if (length > 32) return data.compare(data, b, b + length, a, a + length) === 0;
  for (let i = 0; i < length; i++) if (data[a + i] !== data[b + i]) return false;
  return true;
}

/** Bytes a listpack spends on the string `bytes[start..end)`. */
function listpackStringSize(bytes: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length <= 20) {
    const asInteger = canonicalInteger(bytes, start, end);
    if (asInteger !== null) return listpackBigIntegerSize(asInteger);
  }
  const encoded = length < 64 ? 1 + length : length < 4096 ? 2 + length : 5 + length;
  return encoded + backlenSize(encoded);
}

// ---------------------------------------------------------------- the block

/** A packed node of stream entries. Exported for the stream and persistence. */
export class StreamBlock {
  ids: BigUint64Array;
  deleted: Uint8Array;
  offsets: Uint32Array;
  data: Buffer;
  /** Entries in the block, deleted ones included. */
  count: number;
  /** Entries not deleted. */
  live: number;
  /** Bytes of `data` in use. */
  used: number;
  /** Listpack bytes of the entries (without the header and master entry). */
  private entryBytes: number;
  /** Listpack bytes of the master entry's field names. */
  private masterFieldBytes: number;
  /** Number of fields of the master entry (the block's first entry). */
  private masterFieldCount: number;

  /**
   * A block with room for `entries` entries and `bytes` bytes of data before
   * it grows (a stream sizes its later blocks like the full ones before them).
   */
  constructor(entries = INITIAL_ENTRIES, bytes = INITIAL_BYTES) {
    this.ids = new BigUint64Array(entries * 2);
    this.deleted = new Uint8Array(entries);
    this.offsets = new Uint32Array(entries + 1);
    this.data = Buffer.allocUnsafeSlow(bytes);
    this.count = 0;
    this.live = 0;
    this.used = 0;
    this.entryBytes = 0;
    this.masterFieldBytes = 0;
    this.masterFieldCount = 0;
  }

  /** ms of entry `i`. */
  msAt(i: number): bigint {
    return this.ids[i * 2]!;
  }

  /** seq of entry `i`. */
  seqAt(i: number): bigint {
    return this.ids[i * 2 + 1]!;
  }

  /**
   * The size this node has as a Redis listpack: header and terminator, the
   * master entry (live count, deleted count, field count, fields, 0) and the
   * entries.
   */
  get listpackBytes(): number {
    return (
      7 +
      listpackIntegerSize(this.live) +
      listpackIntegerSize(this.count - this.live) +
      listpackIntegerSize(this.masterFieldCount) +
      this.masterFieldBytes +
      1 +
      1 +
      this.entryBytes
    );
  }

  /** Bytes held by the block's arrays (for memory figures). */
  get allocatedBytes(): number {
    return this.ids.byteLength + this.deleted.byteLength + this.offsets.byteLength + this.data.length;
  }

  /**
   * Append an entry with ID ms-seq whose field/value pairs are
   * pairs[start..end) (alternating field, value). The caller keeps IDs ascending.
   */
  append(ms: bigint, seq: bigint, pairs: readonly Buffer[], start: number, end: number): void {
    const index = this.count;
    if (index === this.deleted.length) this.growEntries();
    let size = 4;
    for (let i = start; i < end; i++) size += 4 + pairs[i]!.length;
    if (this.used + size > this.data.length) this.growData(this.used + size);
    const data = this.data;
    let position = this.used;
    data.writeUInt32LE((end - start) >>> 1, position);
    position += 4;
    for (let i = start; i < end; i++) {
      const item = pairs[i]!;
      data.writeUInt32LE(item.length, position);
      position += 4;
      item.copy(data, position);
      position += item.length;
    }
    this.ids[index * 2] = ms;
    this.ids[index * 2 + 1] = seq;
    this.deleted[index] = 0;
    this.offsets[index] = this.used;
    this.used = position;
    this.offsets[index + 1] = position;
    this.count++;
    this.live++;
    this.accountListpackEntry(index, ms, seq);
  }

  /** Add entry `index`'s listpack size to the node's (the master entry for the first). */
  private accountListpackEntry(index: number, ms: bigint, seq: bigint): void {
    const pairCount = this.pairCount(index);
    const data = this.data;
    let sameFields = index !== 0 && pairCount === this.masterFieldCount;
    if (index === 0) {
      this.masterFieldCount = pairCount;
      let bytes = 0;
      let at = this.offsets[index]! + 4;
      for (let p = 0; p < pairCount; p++) {
        const fieldLength = data.readUInt32LE(at);
        bytes += listpackStringSize(data, at + 4, at + 4 + fieldLength);
        at += 4 + fieldLength;
        at += 4 + data.readUInt32LE(at);
      }
      this.masterFieldBytes = bytes;
      sameFields = true;
    } else if (sameFields) {
      // Walk the new entry's fields and the master's side by side.
      let a = this.offsets[index]! + 4;
      let b = this.offsets[0]! + 4;
      for (let p = 0; p < pairCount && sameFields; p++) {
        const length = data.readUInt32LE(a);
        if (length !== data.readUInt32LE(b) || !sameBytes(data, a + 4, b + 4, length)) sameFields = false;
        a += 4 + length;
        a += 4 + data.readUInt32LE(a);
        b += 4 + length;
        b += 4 + data.readUInt32LE(b);
      }
    }
    // flags, ms delta, seq delta, [field count, fields], values, element count
    let bytes = 2 + deltaSize(ms, this.ids[0]!) + deltaSize(seq, this.ids[1]!);
    let elements = pairCount + 3;
    if (!sameFields) {
      bytes += listpackIntegerSize(pairCount);
      elements += pairCount + 1;
    }
    let at = this.offsets[index]! + 4;
    for (let p = 0; p < pairCount; p++) {
      const fieldLength = data.readUInt32LE(at);
      if (!sameFields) bytes += listpackStringSize(data, at + 4, at + 4 + fieldLength);
      at += 4 + fieldLength;
      const valueLength = data.readUInt32LE(at);
      bytes += listpackStringSize(data, at + 4, at + 4 + valueLength);
      at += 4 + valueLength;
    }
    bytes += listpackIntegerSize(elements);
    this.entryBytes += bytes;
  }

  /** Number of field/value pairs of entry `i`. */
  pairCount(i: number): number {
    return this.data.readUInt32LE(this.offsets[i]!);
  }

  /** Mark entry `i` deleted. Returns false when it already was. */
  markDeleted(i: number): boolean {
    if (this.deleted[i] === 1) return false;
    this.deleted[i] = 1;
    this.live--;
    return true;
  }

  /**
   * Index of the first entry with ID >= ms-seq (deleted ones included), or
   * `count` when every entry is smaller. Binary search.
   */
  lowerBound(ms: bigint, seq: bigint): number {
    const ids = this.ids;
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const m = ids[middle * 2]!;
      if (m < ms || (m === ms && ids[middle * 2 + 1]! < seq)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** A deep copy. */
  clone(): StreamBlock {
    const copy = new StreamBlock();
    copy.ids = this.ids.slice();
    copy.deleted = this.deleted.slice();
    copy.offsets = this.offsets.slice();
    copy.data = Buffer.allocUnsafeSlow(this.data.length);
    this.data.copy(copy.data, 0, 0, this.used);
    copy.count = this.count;
    copy.live = this.live;
    copy.used = this.used;
    copy.entryBytes = this.entryBytes;
    copy.masterFieldBytes = this.masterFieldBytes;
    copy.masterFieldCount = this.masterFieldCount;
    return copy;
  }

  private growEntries(): void {
    const capacity = this.deleted.length * 2;
    const ids = new BigUint64Array(capacity * 2);
    ids.set(this.ids);
    this.ids = ids;
    const deleted = new Uint8Array(capacity);
    deleted.set(this.deleted);
    this.deleted = deleted;
    const offsets = new Uint32Array(capacity + 1);
    offsets.set(this.offsets);
    this.offsets = offsets;
  }

  private growData(needed: number): void {
    let capacity = this.data.length * 2;
    while (capacity < needed) capacity *= 2;
    const data = Buffer.allocUnsafeSlow(capacity);
    this.data.copy(data, 0, 0, this.used);
    this.data = data;
  }
}

/** True when ms-seq is the largest possible ID. */
export function isMaxId(ms: bigint, seq: bigint): boolean {
  return ms === UINT64_MAX && seq === UINT64_MAX;
}
