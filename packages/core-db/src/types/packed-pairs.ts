/*
 * Packed field/value pairs: the bytes of a small hash (its "listpack" encoding)
 * in ONE immutable latin1 JS string, one char per byte.
 *
 * Why a string: a flat one-byte JS string costs a 16-byte header and its
 * characters, nothing else, and lives on the V8 heap where the garbage collector
 * compacts it. A Buffer per hash would cost ~100 bytes of object and pin a
 * share of an 8 KB pool slab (or ~200 bytes unpooled) before holding a byte; a
 * hash of ten short fields packs into ~200 bytes in all.
 *
 * Layout:
 *   count                      3 chars, little-endian (at most 2^24 - 1 pairs)
 *   then per pair, in insertion order:
 *     fieldLength  field bytes  valueLength  value bytes
 * Lengths are varints: 7 bits per char, least significant group first, the
 * high bit (0x80) set on every char but the last (below 128: one char).
 *
 * A string cannot change, so every change builds the next string: the current
 * one is written into a scratch Buffer, edited there (a gap opened or closed
 * with copyWithin, as a listpack's memmove) and read back as one new flat
 * string. Lookups are linear scans, as Redis' are below
 * hash-max-listpack-entries. Positional reads (HGETALL, HSCAN, the RDB writer)
 * go through a one-entry cache of the last position reached in the last string
 * read, so reading positions 0, 1, 2 ... in order costs O(1) each.
 */

import { decimalLength, writeDecimal } from "../decimal.js";
import { hasRepeatedRange } from "./byte-ranges.js";
import { withRoom } from "./byte-string.js";

/** The count header's length in chars. */
const HEADER = 3;
/** The largest pair count the header holds. */
export const PACKED_MAX_COUNT = 0xffffff;
/**
 * The longest packed string built: beyond, the hash converts to a hashtable
 * (Redis does the same with a listpack near its 1 GB safety limit; V8 strings
 * stop at 2^29 chars).
 */
export const PACKED_MAX_LENGTH = 1 << 27;

/** The packed form of an empty hash. */
export const EMPTY_PACKED = "\x00\x00\x00";

/**
 * Scratch space for building strings; buffers beyond SCRATCH_KEEP are not kept.
 * 256 KB covers the largest listpack of the default limits (512 pairs of 64-byte
 * fields and values, the server's defaults as redis-server 7.0's) twice over.
 */
const SCRATCH_KEEP = 256 * 1024;
let scratch = Buffer.allocUnsafeSlow(1024);

/** Node's own latin1 codec on Buffer.prototype (undocumented, present since Node 0.x). */
interface Latin1Codec {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length?: number): number;
}

/** A scratch Buffer of at least `size` bytes (contents undefined). */
function scratchOf(size: number): Buffer {
  if (scratch.length >= size) return scratch;
  let capacity = scratch.length;
  while (capacity < size) capacity *= 2;
  const grown = Buffer.allocUnsafeSlow(capacity);
  if (capacity <= SCRATCH_KEEP) scratch = grown;
  return grown;
}

/** `packed` written into a scratch buffer of at least `size` bytes. */
function unpackInto(packed: string, size: number): Buffer {
  const target = scratchOf(size);
  (target as unknown as Latin1Codec).latin1Write(packed, 0, packed.length);
  return target;
}

/** The bytes target[start, end) as a new flat string. */
function textOf(target: Buffer, start: number, end: number): string {
  return (target as unknown as Latin1Codec).latin1Slice(start, end);
}

/** Chars the varint of `n` takes. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** Write the varint of `n` at target[at]; returns the offset after it. */
function writeVarint(target: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    target[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 0x80);
  }
  target[at++] = n;
  return at;
}

/** Write the count header into target[0, 3). */
function writeCount(target: Buffer, count: number): void {
  target[0] = count & 0xff;
  target[1] = (count >>> 8) & 0xff;
  target[2] = count >>> 16;
}

/** Copy source's bytes to target[at]; returns the offset after them. */
function copyBytes(source: Buffer, target: Buffer, at: number): number {
  const length = source.length;
  if (length <= 16) {
    for (let i = 0; i < length; i++) target[at + i] = source[i]!;
    return at + length;
  }
  return at + source.copy(target, at);
}

/** Write the latin1 string `text` at target[at]; returns the offset after it. */
function writeText(text: string, target: Buffer, at: number): number {
  const length = text.length;
  if (length <= 16) {
    for (let i = 0; i < length; i++) target[at + i] = text.charCodeAt(i);
    return at + length;
  }
  return at + (target as unknown as Latin1Codec).latin1Write(text, at, length);
}

// ------------------------------------------------------------------ reading

/**
 * Where the last decoded pair lies, set by readPair(): offsets into the packed
 * string. One shared object, so a decode allocates nothing.
 */
class PairSpan {
  fieldStart = 0;
  fieldEnd = 0;
  valueStart = 0;
  /** The end of the value: where the next pair starts. */
  valueEnd = 0;
}
const span = new PairSpan();

/** Decode the pair starting at packed[at] into `span`. */
function readPair(packed: string, at: number): void {
  let length = packed.charCodeAt(at++);
  if (length >= 0x80) {
    length = readLongVarint(packed, at, length);
    at += varintSize(length) - 1;
  }
  span.fieldStart = at;
  at += length;
  span.fieldEnd = at;
  length = packed.charCodeAt(at++);
  if (length >= 0x80) {
    length = readLongVarint(packed, at, length);
    at += varintSize(length) - 1;
  }
  span.valueStart = at;
  span.valueEnd = at + length;
}

/** Number of pairs. O(1). */
export function packedCount(packed: string): number {
  return packed.charCodeAt(0) | (packed.charCodeAt(1) << 8) | (packed.charCodeAt(2) << 16);
}

/** The varint at packed[at] (more than one char: the caller read the first). */
function readLongVarint(packed: string, at: number, first: number): number {
  let length = first & 0x7f;
  let scale = 0x80;
  let c: number;
  do {
    c = packed.charCodeAt(at++);
    length += (c & 0x7f) * scale;
    scale *= 0x80;
  } while (c >= 0x80);
  return length;
}

/** True when packed[at, at + field.length) is `field`. */
function fieldMatches(packed: string, at: number, field: string): boolean {
  const length = field.length;
  if (length > 16) return packed.startsWith(field, at);
  for (let i = length - 1; i >= 0; i--) {
    if (packed.charCodeAt(at + i) !== field.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The offset of the pair whose field is `field`, or -1. On a hit `span`
 * describes the pair. O(n): one-char lengths are read inline, and fields are
 * compared from their last char, where fields sharing a prefix differ.
 */
function findPair(packed: string, field: string): number {
  const wanted = field.length;
  const end = packed.length;
  let at = HEADER;
  while (at < end) {
    let fieldStart = at + 1;
    let fieldLength = packed.charCodeAt(at);
    if (fieldLength >= 0x80) {
      fieldLength = readLongVarint(packed, fieldStart, fieldLength);
      fieldStart = at + varintSize(fieldLength);
    }
    const fieldEnd = fieldStart + fieldLength;
    if (fieldLength === wanted && fieldMatches(packed, fieldStart, field)) {
      readPair(packed, at);
      return at;
    }
    let valueStart = fieldEnd + 1;
    let valueLength = packed.charCodeAt(fieldEnd);
    if (valueLength >= 0x80) {
      valueLength = readLongVarint(packed, valueStart, valueLength);
      valueStart = fieldEnd + varintSize(valueLength);
    }
    at = valueStart + valueLength;
  }
  return -1;
}

/** The last positional read: the string, the position and the offset of its pair. */
let cachedPacked = EMPTY_PACKED;
let cachedPosition = 0;
let cachedOffset = HEADER;

/**
 * Decode the pair at `position` (0 <= position < count) into `span`. O(1) when
 * it is the position last read in the same string or the one after, O(n) else.
 */
function seekPair(packed: string, position: number): void {
  let at: number;
  let current: number;
  if (cachedPacked === packed && cachedPosition <= position) {
    at = cachedOffset;
    current = cachedPosition;
  } else {
    at = HEADER;
    current = 0;
  }
  readPair(packed, at);
  while (current < position) {
    at = span.valueEnd;
    current++;
    readPair(packed, at);
  }
  cachedPacked = packed;
  cachedPosition = current;
  cachedOffset = at;
}

/** The value of `field` as a new Buffer (the caller owns it), or undefined. */
export function packedGet(packed: string, field: string): Buffer | undefined {
  if (findPair(packed, field) === -1) return undefined;
  return Buffer.from(packed.substring(span.valueStart, span.valueEnd), "latin1");
}

/**
 * The value of `field` as a latin1 string, or undefined: for replies, which
 * write strings without a Buffer in between.
 */
export function packedGetText(packed: string, field: string): string | undefined {
  if (findPair(packed, field) === -1) return undefined;
  return packed.substring(span.valueStart, span.valueEnd);
}

/** The value at `position` as a latin1 string (see packedGetText). */
export function packedValueTextAt(packed: string, position: number): string {
  seekPair(packed, position);
  return packed.substring(span.valueStart, span.valueEnd);
}

/** Byte length of the value of `field`, or -1 when the field is missing. */
export function packedValueLength(packed: string, field: string): number {
  return findPair(packed, field) === -1 ? -1 : span.valueEnd - span.valueStart;
}

/** True when `field` is present. */
export function packedHas(packed: string, field: string): boolean {
  return findPair(packed, field) !== -1;
}

/** The field at `position` (see seekPair for the cost). */
export function packedFieldAt(packed: string, position: number): string {
  seekPair(packed, position);
  return packed.substring(span.fieldStart, span.fieldEnd);
}

/** The value at `position` as a new Buffer (the caller owns it). */
export function packedValueAt(packed: string, position: number): Buffer {
  seekPair(packed, position);
  return Buffer.from(packed.substring(span.valueStart, span.valueEnd), "latin1");
}

/**
 * Every pair, in order, onto `fields` and `values`: flat strings of their own
 * and Buffers of their own (nothing keeps the packed string alive). O(n).
 */
export function packedEntries(packed: string, fields: string[], values: Buffer[]): void {
  const bytes = unpackInto(packed, packed.length);
  const end = packed.length;
  let at = HEADER;
  while (at < end) {
    readPair(packed, at);
    fields.push(textOf(bytes, span.fieldStart, span.fieldEnd));
    values.push(Buffer.from(bytes.subarray(span.valueStart, span.valueEnd)));
    at = span.valueEnd;
  }
}

/** Receives pairs as ranges of the packed string (see packedForEachPair). */
export interface PackedPairSink {
  pair(packed: string, fieldStart: number, fieldEnd: number, valueStart: number, valueEnd: number): void;
}

/**
 * Every pair, in order, to `sink` as char ranges of `packed` itself: nothing is
 * copied or allocated (serialisers read the bytes with charCodeAt). O(n).
 */
export function packedForEachPair(packed: string, sink: PackedPairSink): void {
  const end = packed.length;
  let at = HEADER;
  while (at < end) {
    readPair(packed, at);
    at = span.valueEnd;
    sink.pair(packed, span.fieldStart, span.fieldEnd, span.valueStart, at);
  }
}

// ------------------------------------------------------------------ changing

/**
 * The chars the pair (field, value) takes once packed, for deciding on a
 * conversion before building a string that would be too long.
 */
export function packedPairSize(field: string, valueLength: number): number {
  return varintSize(field.length) + field.length + varintSize(valueLength) + valueLength;
}

/** True when packed[at, at + bytes.length) are the bytes of `bytes`. */
function holdsBytes(packed: string, at: number, bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (packed.charCodeAt(at + i) !== bytes[i]) return false;
  return true;
}

/**
 * The offset of the pair whose field is `field`, or -1 when it is missing. The
 * offset is valid for packedReplace on the same string. O(n).
 */
export function packedFind(packed: string, field: string): number {
  return findPair(packed, field);
}

/**
 * `packed` with the value of the pair at `offset` (from packedFind) replaced by
 * the bytes of `value`; the pair keeps its position. O(n); `packed` itself when
 * the value already holds those bytes.
 */
export function packedReplace(packed: string, offset: number, value: Buffer): string {
  readPair(packed, offset);
  const valueLength = value.length;
  // The same bytes again (a repeated HSET): the string already says so, no copy.
  if (span.valueEnd - span.valueStart === valueLength && holdsBytes(packed, span.valueStart, value)) {
    return packed;
  }
  const lengthAt = span.fieldEnd;
  const oldEnd = span.valueEnd;
  const newEnd = lengthAt + varintSize(valueLength) + valueLength;
  const total = packed.length - oldEnd + newEnd;
  const bytes = unpackInto(packed, Math.max(total, packed.length));
  if (newEnd !== oldEnd) bytes.copyWithin(newEnd, oldEnd, packed.length);
  copyBytes(value, bytes, writeVarint(bytes, lengthAt, valueLength));
  return textOf(bytes, 0, total);
}

/**
 * `packed` with the pair (field, value) added at the end. The caller makes sure
 * the field is missing and the limits hold (PACKED_MAX_COUNT, PACKED_MAX_LENGTH).
 * O(n).
 */
export function packedAppend(packed: string, field: string, value: Buffer): string {
  const valueLength = value.length;
  const total = packed.length + packedPairSize(field, valueLength);
  const bytes = unpackInto(packed, total);
  writeCount(bytes, packedCount(packed) + 1);
  let at = writeVarint(bytes, packed.length, field.length);
  at = writeText(field, bytes, at);
  copyBytes(value, bytes, writeVarint(bytes, at, valueLength));
  return textOf(bytes, 0, total);
}

/**
 * The packing of fields[i] -> values[i] in order, built in one pass (loading a
 * whole hash at once costs O(n), where n appends would cost O(n^2)). The caller
 * makes sure the fields are distinct and the limits hold.
 */
export function packedFromPairs(fields: readonly string[], values: readonly Buffer[]): string {
  const count = fields.length;
  let total = HEADER;
  for (let i = 0; i < count; i++) total += packedPairSize(fields[i]!, values[i]!.length);
  const bytes = scratchOf(total);
  writeCount(bytes, count);
  let at = HEADER;
  for (let i = 0; i < count; i++) {
    const field = fields[i]!;
    const value = values[i]!;
    at = writeText(field, bytes, writeVarint(bytes, at, field.length));
    at = copyBytes(value, bytes, writeVarint(bytes, at, value.length));
  }
  return textOf(bytes, 0, total);
}

/** `packed` without `field`, closing the gap; null when the field is missing. O(n). */
export function packedDelete(packed: string, field: string): string | null {
  const start = findPair(packed, field);
  if (start === -1) return null;
  const end = span.valueEnd;
  const bytes = unpackInto(packed, packed.length);
  bytes.copyWithin(start, end, packed.length);
  writeCount(bytes, packedCount(packed) - 1);
  return textOf(bytes, 0, packed.length - (end - start));
}

/**
 * A copy of `packed` that shares no storage with it (COPY): a string of its own,
 * so each copy's memory is its own.
 */
export function packedCopy(packed: string): string {
  return textOf(unpackInto(packed, packed.length), 0, packed.length);
}

// ------------------------------------------------------------------ building from bytes

/**
 * Builds a packing item by item from byte ranges and integers, for a loader
 * walking a file's listpack: each field and value is written once, straight
 * into the builder's buffer, and the packing is read out as one string at the
 * end (no string or Buffer per element). Items alternate field, value, field,
 * value. Reusable: reset() starts the next packing.
 */
export class PackedPairsBuilder {
  /** Items added (fields and values). */
  items = 0;
  /** The longest field or value added, in bytes. */
  longest = 0;
  private buffer: Buffer = Buffer.allocUnsafeSlow(1024);
  private at = HEADER;
  /** Where each field's bytes start and end, by pair (2 entries a pair). */
  private fieldBounds = new Int32Array(128);

  /** Start a new packing. */
  reset(): void {
    this.items = 0;
    this.longest = 0;
    this.at = HEADER;
  }

  /** Chars the pairs take so far (without the count header), as packedPairSize() counts them. */
  get pairsLength(): number {
    return this.at - HEADER;
  }

  /** Append the item source[start, end). */
  addBytes(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    const buffer = this.makeRoom(length + 5);
    let p = writeVarint(buffer, this.at, length);
    this.noteItem(p, length);
    if (length <= 16) {
      for (let i = start; i < end; i++) buffer[p++] = source[i]!;
    } else {
      buffer.set(source.subarray(start, end), p);
      p += length;
    }
    this.at = p;
  }

  /** Append an integer item as its decimal text. */
  addInteger(value: number | bigint): void {
    if (typeof value === "bigint" || !Number.isSafeInteger(value)) {
      const text = String(value);
      const buffer = this.makeRoom(text.length + 1);
      const p = writeVarint(buffer, this.at, text.length);
      this.noteItem(p, text.length);
      this.at = writeText(text, buffer, p);
      return;
    }
    const length = decimalLength(value);
    const buffer = this.makeRoom(length + 1);
    const start = this.at + 1;
    buffer[this.at] = length;
    this.noteItem(start, length);
    this.at = writeDecimal(buffer, start, value, length);
  }

  /** True when a field occurs twice among the pairs added. */
  hasRepeatedField(): boolean {
    return hasRepeatedRange(this.buffer, this.fieldBounds, this.items >>> 1);
  }

  /** The packing of the pairs added (an odd item out is the caller's error to report first). */
  finish(): string {
    writeCount(this.buffer, this.items >>> 1);
    return textOf(this.buffer, 0, this.at);
  }

  /** The buffer, with room for `bytes` more bytes after the packing so far. */
  private makeRoom(bytes: number): Buffer {
    this.buffer = withRoom(this.buffer, this.at, this.at + bytes);
    return this.buffer;
  }

  /** Count an item of `length` bytes starting at `start`; a field's bounds are kept. */
  private noteItem(start: number, length: number): void {
    if (length > this.longest) this.longest = length;
    const items = this.items;
    if ((items & 1) === 0) {
      let bounds = this.fieldBounds;
      if (items + 2 > bounds.length) {
        bounds = new Int32Array(bounds.length * 2);
        bounds.set(this.fieldBounds);
        this.fieldBounds = bounds;
      }
      bounds[items] = start;
      bounds[items + 1] = start + length;
    }
    this.items = items + 1;
  }
}
