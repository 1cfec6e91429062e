/*
 * A small list's elements packed into ONE latin1 JS string, one char per byte,
 * laid out as a listpack (the format of Redis' listpack.c, as the quicklist-2
 * records of an RDB file carry it):
 *
 *   total bytes      4 bytes, little-endian (the string's length)
 *   element count    2 bytes, little-endian
 *   entries          head to tail, each:
 *                      encoding   1, 2 or 5 bytes: 10LLLLLL (length < 64),
 *                                 1110LLLL LLLLLLLL (length < 4096), or
 *                                 0xF0 and a 32-bit little-endian length
 *                      the element's bytes
 *                      back-length  the size of encoding + bytes, 7 bits a byte,
 *                                 most significant first, read from its last
 *                                 byte backwards (bit 0x80: more bytes before)
 *   terminator       0xFF
 *
 * Only the string encodings are written, so an element's bytes are always
 * verbatim in the string (no integer to format on the way out) and the whole
 * string is a valid listpack an RDB writer can copy as it is.
 *
 * Why a string: a flat one-byte string costs a 16-byte header and its chars,
 * where a Buffer costs about 100 bytes of objects before holding a byte (see
 * byte-string.ts). A list of ten short elements packs into ~180 bytes in all.
 *
 * A string cannot change: every edit builds the next one through byte-string's
 * scratch (editBytes / sealBytes), which is the memmove Redis does on a listpack:
 * O(size) per edit. RedisList (list.ts) keeps a list in this form only while it
 * is small (PACKED_LIST_MAX_BYTES), so that cost stays bounded.
 *
 * The walk helpers leave what they decoded in module state (the `entry*`
 * variables), so walking a list allocates nothing.
 */

import { decimalLength, writeDecimal } from "../decimal.js";
import {
  editBytes,
  freshBytes,
  latin1Of,
  sealBytes,
  withRoom,
  writeChars,
  writeInt32,
} from "./byte-string.js";
import type { ListElementSink } from "./list-types.js";

/** Bytes before the first entry: total length and element count. */
export const LISTPACK_HEADER = 6;
/** The byte that ends a listpack. */
const TERMINATOR = 0xff;
/** The packing of an empty list. */
export const EMPTY_PACKED_LIST = "\x07\x00\x00\x00\x00\x00\xff";
/** The largest count the 16-bit header holds exactly. */
export const PACKED_LIST_MAX_COUNT = 0xffff;

/** Elements up to this many bytes are copied by a byte loop (cheaper than a native call). */
const SMALL_COPY = 16;

/** Start of the bytes of the entry readListEntry last decoded. */
export let entryStart = 0;
/** End (exclusive) of its bytes. */
export let entryEnd = 0;
/** Offset of the entry after it (the terminator's offset after the last). */
export let entryNext = 0;
/** How many elements the last packedRemoveMatching removed. */
export let removedCount = 0;

/** Bytes of the back-length of an entry whose encoding and bytes take `size` bytes. */
function backLengthSize(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

/** Bytes of the encoding of an element of `length` bytes. */
function encodingSize(length: number): number {
  return length < 64 ? 1 : length < 4096 ? 2 : 5;
}

/** Bytes a packed element of `length` bytes takes: encoding, bytes and back-length. */
export function packedEntrySize(length: number): number {
  const size = encodingSize(length) + length;
  return size + backLengthSize(size);
}

/** Number of elements of `packed`. O(1). */
export function packedListCount(packed: string): number {
  return packed.charCodeAt(4) | (packed.charCodeAt(5) << 8);
}

/** Offset of the terminator: where an element pushed at the tail goes. */
export function packedListEnd(packed: string): number {
  return packed.length - 1;
}

/** Decode the entry starting at `offset` of `packed` into entryStart, entryEnd, entryNext. */
export function readListEntry(packed: string, offset: number): void {
  const first = packed.charCodeAt(offset);
  let start: number;
  let length: number;
  if (first < 0xc0) {
    length = first & 0x3f;
    start = offset + 1;
  } else if (first < 0xf0) {
    length = ((first & 0x0f) << 8) | packed.charCodeAt(offset + 1);
    start = offset + 2;
  } else {
    length =
      (packed.charCodeAt(offset + 1) |
        (packed.charCodeAt(offset + 2) << 8) |
        (packed.charCodeAt(offset + 3) << 16) |
        (packed.charCodeAt(offset + 4) << 24)) >>>
      0;
    start = offset + 5;
  }
  entryStart = start;
  entryEnd = start + length;
  entryNext = entryEnd + backLengthSize(entryEnd - offset);
}

/**
 * Offset of the entry that ends right before `offset` (an entry's start, or the
 * terminator's offset for the last entry), read from its back-length. The
 * caller makes sure there is one (offset > LISTPACK_HEADER).
 */
export function previousListEntry(packed: string, offset: number): number {
  let at = offset - 1;
  let size = 0;
  let scale = 1;
  for (;;) {
    const c = packed.charCodeAt(at);
    size += (c & 0x7f) * scale;
    if (c < 0x80) break;
    scale *= 0x80;
    at--;
  }
  return at - size;
}

/** Offset of the entry at `position` (0 <= position <= count; count gives the terminator), walking from the nearer end. */
export function packedListOffset(packed: string, position: number): number {
  const count = packedListCount(packed);
  if (position <= count - position) {
    let at = LISTPACK_HEADER;
    for (let i = 0; i < position; i++) {
      readListEntry(packed, at);
      at = entryNext;
    }
    return at;
  }
  let at = packed.length - 1;
  for (let i = count; i > position; i--) at = previousListEntry(packed, at);
  return at;
}

/** True when the bytes packed[start, end) are `element`'s. */
export function packedEquals(packed: string, start: number, end: number, element: Buffer): boolean {
  const length = element.length;
  if (end - start !== length) return false;
  for (let i = length - 1; i >= 0; i--) if (packed.charCodeAt(start + i) !== element[i]) return false;
  return true;
}

/** A fresh Buffer holding the bytes packed[start, end). */
export function packedBytes(packed: string, start: number, end: number): Buffer {
  const length = end - start;
  const out = Buffer.allocUnsafe(length);
  if (length <= SMALL_COPY) {
    for (let i = 0; i < length; i++) out[i] = packed.charCodeAt(start + i);
  } else {
    writeChars(out, 0, packed.substring(start, end));
  }
  return out;
}

// ------------------------------------------------------------------ writing entries

/** Write the entry holding source[start, end) at target[at]; returns the offset after it. */
function writeEntry(target: Buffer, at: number, source: Buffer, start: number, end: number): number {
  const length = end - start;
  const entryAt = at;
  if (length < 64) {
    target[at++] = 0x80 | length;
  } else if (length < 4096) {
    target[at++] = 0xe0 | (length >>> 8);
    target[at++] = length & 0xff;
  } else {
    target[at++] = 0xf0;
    writeInt32(target, at, length);
    at += 4;
  }
  if (length <= SMALL_COPY) {
    for (let i = start; i < end; i++) target[at++] = source[i]!;
  } else {
    at += source.copy(target, at, start, end);
  }
  return writeBackLength(target, at, at - entryAt);
}

/** Write the back-length of an entry of `size` bytes at target[at]; returns the offset after it. */
function writeBackLength(target: Buffer, at: number, size: number): number {
  if (size <= 127) {
    target[at] = size;
    return at + 1;
  }
  const bytes = backLengthSize(size);
  // Most significant group first; every byte but the first carries 0x80.
  for (let k = bytes - 1; k >= 0; k--) {
    const group = Math.floor(size / 2 ** (7 * k)) & 0x7f;
    target[at++] = k === bytes - 1 ? group : group | 0x80;
  }
  return at;
}

/** Write the header of a listpack of `total` bytes and `count` elements into target[0, 6). */
function writeHeader(target: Buffer, total: number, count: number): void {
  writeInt32(target, 0, total);
  const stored = Math.min(count, PACKED_LIST_MAX_COUNT);
  target[4] = stored & 0xff;
  target[5] = stored >>> 8;
}

// ------------------------------------------------------------------ edits

/**
 * `packed` with elements[from, to) inserted at byte `offset` (an entry's start
 * or the terminator's offset), in that order, or in reverse order with
 * `reversed` (LPUSH a b c puts c first). The caller keeps the result within the
 * small form's limits. O(size).
 */
export function packedInsert(
  packed: string,
  offset: number,
  elements: readonly Buffer[],
  from: number,
  to: number,
  reversed: boolean,
): string {
  let inserted = 0;
  for (let i = from; i < to; i++) inserted += packedEntrySize(elements[i]!.length);
  const target = editBytes(packed, offset, 0, inserted);
  let at = offset;
  if (reversed) {
    for (let i = to - 1; i >= from; i--) {
      const element = elements[i]!;
      at = writeEntry(target, at, element, 0, element.length);
    }
  } else {
    for (let i = from; i < to; i++) {
      const element = elements[i]!;
      at = writeEntry(target, at, element, 0, element.length);
    }
  }
  const total = packed.length + inserted;
  writeHeader(target, total, packedListCount(packed) + (to - from));
  return sealBytes(total);
}

/** `packed` with `element` inserted at byte `offset` (see packedInsert). */
export function packedInsertOne(packed: string, offset: number, element: Buffer): string {
  const inserted = packedEntrySize(element.length);
  const target = editBytes(packed, offset, 0, inserted);
  writeEntry(target, offset, element, 0, element.length);
  const total = packed.length + inserted;
  writeHeader(target, total, packedListCount(packed) + 1);
  return sealBytes(total);
}

/**
 * `packed` without the bytes [start, end), which hold `removed` whole entries.
 * O(size).
 */
export function packedRemove(packed: string, start: number, end: number, removed: number): string {
  const target = editBytes(packed, start, end - start, 0);
  const total = packed.length - (end - start);
  writeHeader(target, total, packedListCount(packed) - removed);
  return sealBytes(total);
}

/** `packed` with the entry [start, end) replaced by one holding `element`. O(size). */
export function packedReplace(packed: string, start: number, end: number, element: Buffer): string {
  const inserted = packedEntrySize(element.length);
  const target = editBytes(packed, start, end - start, inserted);
  writeEntry(target, start, element, 0, element.length);
  const total = packed.length - (end - start) + inserted;
  writeHeader(target, total, packedListCount(packed));
  return sealBytes(total);
}

/**
 * `packed` without the elements equal to `element`: up to `limit` of them,
 * found from the tail when `fromTail`, else from the head. Returns the new
 * string (the same one when nothing matched) and leaves how many were removed
 * in `removedCount`. One pass, O(size).
 */
export function packedRemoveMatching(
  packed: string,
  element: Buffer,
  limit: number,
  fromTail: boolean,
): string {
  const count = packedListCount(packed);
  // Mark the matches (at most `limit`), then copy the survivors in one pass.
  let marked: number[] | null = null;
  if (!fromTail) {
    let at = LISTPACK_HEADER;
    for (let i = 0; i < count; i++) {
      readListEntry(packed, at);
      if (packedEquals(packed, entryStart, entryEnd, element)) {
        (marked ??= []).push(at);
        if (marked.length >= limit) break;
      }
      at = entryNext;
    }
  } else {
    let at = packed.length - 1;
    for (let i = 0; i < count; i++) {
      at = previousListEntry(packed, at);
      readListEntry(packed, at);
      if (packedEquals(packed, entryStart, entryEnd, element)) {
        (marked ??= []).push(at);
        if (marked.length >= limit) break;
      }
    }
    marked?.reverse();
  }
  removedCount = marked === null ? 0 : marked.length;
  if (marked === null) return packed;
  const target = editBytes(packed, 0, 0, 0);
  let write = marked[0]!;
  for (let m = 0; m < marked.length; m++) {
    readListEntry(packed, marked[m]!);
    const survivorsStart = entryNext;
    const survivorsEnd = m + 1 < marked.length ? marked[m + 1]! : packed.length;
    target.copyWithin(write, survivorsStart, survivorsEnd);
    write += survivorsEnd - survivorsStart;
  }
  writeHeader(target, write, count - marked.length);
  return sealBytes(write);
}
/**
 * `packed` keeping only the elements between byte `start` (an entry's start)
 * and byte `end` (an entry's start or the terminator), which hold `kept`
 * elements: LTRIM's work. O(size).
 */
export function packedSlice(packed: string, start: number, end: number, kept: number): string {
  const target = editBytes(packed, LISTPACK_HEADER, start - LISTPACK_HEADER, 0);
  const terminator = LISTPACK_HEADER + (end - start);
  target[terminator] = TERMINATOR;
  writeHeader(target, terminator + 1, kept);
  return sealBytes(terminator + 1);
}

/** A copy of `packed` that shares no storage with it (COPY: each copy's memory is its own). */
export function packedListCopy(packed: string): string {
  editBytes(packed, 0, 0, 0);
  return sealBytes(packed.length);
}

// ------------------------------------------------------------------ reading out

/** Buffer the packed chars are unpacked into for bulkSlice readers (its own: sinks may edit other values). */
let readScratch = Buffer.allocUnsafeSlow(1024);

/**
 * Hand the elements at positions [first, last] (0 <= first <= last < count) to
 * the sink, head to tail: to `sink.bulkChars` straight from the string when the
 * sink has it; else to `sink.bulkSlice`: the string is unpacked into a scratch Buffer
 * once (one native copy, at most PACKED_LIST_MAX_BYTES), then walked there with
 * the entries decoded inline, and the sink copies each range out of it.
 */
export function packedWriteRange(packed: string, first: number, last: number, sink: ListElementSink): void {
  let at = first === 0 ? LISTPACK_HEADER : packedListOffset(packed, first);
  if (sink.bulkChars !== undefined) {
    for (let i = first; i <= last; i++) {
      readListEntry(packed, at);
      sink.bulkChars(packed, entryStart, entryEnd);
      at = entryNext;
    }
    return;
  }
  const total = packed.length;
  if (readScratch.length < total) {
    let size = readScratch.length;
    while (size < total) size *= 2;
    readScratch = Buffer.allocUnsafeSlow(size);
  }
  const bytes = readScratch;
  writeChars(bytes, 0, packed);
  for (let i = first; i <= last; i++) {
    const encoding = bytes[at]!;
    let start: number;
    let length: number;
    if (encoding < 0xc0) {
      length = encoding & 0x3f;
      start = at + 1;
    } else if (encoding < 0xf0) {
      length = ((encoding & 0x0f) << 8) | bytes[at + 1]!;
      start = at + 2;
    } else {
      length = bytes.readUInt32LE(at + 1);
      start = at + 5;
    }
    const end = start + length;
    sink.bulkSlice(bytes, start, end);
    const size = end - at;
    at = end + (size <= 127 ? 1 : backLengthSize(size));
  }
}

/**
 * Packs elements handed over in order (a ListElementSink) into a new packed
 * string: for converting a quicklist back to the small form. Uses its own
 * growable buffer, so the source may be read through any scratch.
 */
class PackingSink implements ListElementSink {
  buffer: Buffer = Buffer.allocUnsafeSlow(1024);
  at = LISTPACK_HEADER;
  count = 0;

  bulk(element: Buffer): void {
    this.bulkSlice(element, 0, element.length);
  }

  bulkSlice(source: Buffer, start: number, end: number): void {
    this.buffer = withRoom(this.buffer, this.at, this.at + packedEntrySize(end - start) + 1);
    this.at = writeEntry(this.buffer, this.at, source, start, end);
    this.count++;
  }
}
const packingSink = new PackingSink();

/**
 * A packed string of the elements `fill` hands to the sink it is given, in
 * order. The caller keeps the result within the small form's limits.
 */
export function packElements(fill: (sink: ListElementSink) => void): string {
  const sink = packingSink;
  sink.at = LISTPACK_HEADER;
  sink.count = 0;
  fill(sink);
  const total = sink.at + 1;
  const bytes = freshBytes(total);
  sink.buffer.copy(bytes, 0, 0, sink.at);
  bytes[sink.at] = TERMINATOR;
  writeHeader(bytes, total, sink.count);
  if (sink.buffer.length > 64 * 1024) sink.buffer = Buffer.allocUnsafeSlow(1024);
  return sealBytes(total);
}

/** Where PackedListBuilder writes an integer's digits before packing them. */
const DIGITS = Buffer.alloc(24);

/**
 * Builds a packed string element by element from byte ranges and integers,
 * for a loader walking a file's listpack whose numeric elements are integer
 * entries (this form keeps only string entries): each element is written once,
 * straight into the builder's buffer, integers as their decimal text, and the
 * packing is read out as one string at the end (no Buffer or string per
 * element). Reusable: reset() starts the next packing.
 */
export class PackedListBuilder {
  private readonly sink = new PackingSink();

  /** Start a new packing. */
  reset(): void {
    this.sink.at = LISTPACK_HEADER;
    this.sink.count = 0;
    if (this.sink.buffer.length > 64 * 1024) this.sink.buffer = Buffer.allocUnsafeSlow(1024);
  }

  /** Elements added. */
  get count(): number {
    return this.sink.count;
  }

  /** Bytes the packing would take now (with its terminator). */
  get packedLength(): number {
    return this.sink.at + 1;
  }

  /** Append the element source[start, end). */
  addBytes(source: Buffer, start: number, end: number): void {
    this.sink.bulkSlice(source, start, end);
  }

  /** Append an integer element as its decimal text. */
  addInteger(value: number | bigint): void {
    if (typeof value === "bigint" || !Number.isSafeInteger(value)) {
      const text = String(value);
      const length = DIGITS.write(text, 0, "latin1");
      this.sink.bulkSlice(DIGITS, 0, length);
      return;
    }
    const length = writeDecimal(DIGITS, 0, value, decimalLength(value));
    this.sink.bulkSlice(DIGITS, 0, length);
  }

  /** The packed string of the elements added; the caller keeps it within the small form's limits. */
  finish(): string {
    const sink = this.sink;
    const total = sink.at + 1;
    if (total > sink.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(total);
      sink.buffer.copy(grown, 0, 0, sink.at);
      sink.buffer = grown;
    }
    const bytes = sink.buffer;
    bytes[sink.at] = TERMINATOR;
    writeHeader(bytes, total, sink.count);
    return latin1Of(bytes, 0, total);
  }
}

/**
 * True when bytes[start, end) is a listpack of string entries only, laid out
 * exactly as this file writes them (consistent header, lengths, back-lengths
 * and terminator). Integer entries (which Redis writes for numeric elements)
 * make it false. The tests check the small form's layout with it.
 */
export function isPlainListpack(bytes: Buffer, start: number, end: number): boolean {
  const total = end - start;
  if (total < LISTPACK_HEADER + 1 || bytes.readUInt32LE(start) !== total || bytes[end - 1] !== TERMINATOR) {
    return false;
  }
  let at = start + LISTPACK_HEADER;
  let count = 0;
  while (at < end - 1) {
    const first = bytes[at]!;
    let dataStart: number;
    let length: number;
    if (first >= 0x80 && first < 0xc0) {
      length = first & 0x3f;
      dataStart = at + 1;
    } else if (first >= 0xe0 && first < 0xf0) {
      if (at + 1 >= end) return false;
      length = ((first & 0x0f) << 8) | bytes[at + 1]!;
      dataStart = at + 2;
    } else if (first === 0xf0) {
      if (at + 5 > end) return false;
      length = bytes.readUInt32LE(at + 1);
      dataStart = at + 5;
    } else {
      return false;
    }
    if (encodingSize(length) !== dataStart - at) return false;
    const size = dataStart - at + length;
    const next = dataStart + length + backLengthSize(size);
    if (next > end - 1) return false;
    // The back-length must read back as `size` from its last byte.
    let value = 0;
    let scale = 1;
    let p = next - 1;
    for (;;) {
      const c = bytes[p]!;
      value += (c & 0x7f) * scale;
      if (c < 0x80) break;
      scale *= 0x80;
      p--;
      if (p < dataStart + length) return false;
    }
    if (value !== size || p !== dataStart + length) return false;
    at = next;
    count++;
  }
  // A count of 65535 or more is not stored exactly (the header then holds 65535): not taken.
  return count < PACKED_LIST_MAX_COUNT && bytes.readUInt16LE(start + 4) === count;
}
