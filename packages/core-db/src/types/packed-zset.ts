/*
 * The listpack encoding's bytes: a small sorted set's entries, in order, in one
 * byte string (see byte-string.ts). Each entry is
 *
 *   member length (LEB128: 7 bits a byte, low bits first, high bit = more)
 *   member bytes
 *   score: one tag byte, then its payload
 *     0x00..0x7f  the integer 0..127 itself, no payload
 *     0x80        a 16-bit signed integer (2 bytes, little-endian)
 *     0x81        a 32-bit signed integer (4 bytes, little-endian)
 *     0x82        a double that a float32 holds exactly (4 bytes)
 *     0x83        any other double (8 bytes)
 *
 * Like Redis' listpack, which stores integral scores as integers and others as
 * text, small integral scores take a byte or three and any score reads back
 * exactly, except that integral -0 reads back as 0 (the caller stores -0 as 0, as
 * a listpack's text form does). Entries are variable-sized, so lookups walk from
 * the start, as Redis walks its listpack.
 *
 * The walk helpers leave what they decoded in module state (the `entry*`
 * variables) so a walk allocates nothing; members are copied out only when asked.
 */

import { hasRepeatedRange } from "./byte-ranges.js";
import {
  latin1Of,
  readFloat32,
  readFloat64,
  readInt16,
  readInt32,
  withRoom,
  writeChars,
  writeFloat32,
  writeFloat64,
} from "./byte-string.js";

const TAG_INT16 = 0x80;
const TAG_INT32 = 0x81;
const TAG_FLOAT32 = 0x82;
const TAG_FLOAT64 = 0x83;

/** Start of the member bytes of the entry readEntry last decoded. */
export let entryMemberStart = 0;
/** End (exclusive) of its member bytes. */
export let entryMemberEnd = 0;
/** Its score. */
export let entryScore = 0;
/** Offset of the entry after it (bytes.length after the last). */
export let entryNext = 0;

/** Decode the entry at `offset` of `bytes` into the entry* variables. */
export function readEntry(bytes: string, offset: number): void {
  offset = readMemberBounds(bytes, offset);
  const tag = bytes.charCodeAt(offset);
  if (tag < 0x80) {
    entryScore = tag;
    entryNext = offset + 1;
  } else if (tag === TAG_INT16) {
    entryScore = readInt16(bytes, offset + 1);
    entryNext = offset + 3;
  } else if (tag === TAG_INT32) {
    entryScore = readInt32(bytes, offset + 1);
    entryNext = offset + 5;
  } else if (tag === TAG_FLOAT32) {
    entryScore = readFloat32(bytes, offset + 1);
    entryNext = offset + 5;
  } else {
    entryScore = readFloat64(bytes, offset + 1);
    entryNext = offset + 9;
  }
}

/**
 * Decode only the member bounds of the entry at `offset` (entryMemberStart,
 * entryMemberEnd) and where the next entry starts (entryNext), leaving the score
 * undecoded: what a member lookup needs.
 */
export function readEntryMember(bytes: string, offset: number): void {
  offset = readMemberBounds(bytes, offset);
  const tag = bytes.charCodeAt(offset);
  entryNext = offset + (tag < 0x80 ? 1 : tag === TAG_INT16 ? 3 : tag === TAG_FLOAT64 ? 9 : 5);
}

/** Decode the member length at `offset` into entryMemberStart / End; returns the score's offset. */
function readMemberBounds(bytes: string, offset: number): number {
  let length = bytes.charCodeAt(offset++);
  if (length >= 0x80) {
    // A long member: more length bytes, 7 bits each, low bits first.
    length &= 0x7f;
    let scale = 0x80;
    let byte: number;
    do {
      byte = bytes.charCodeAt(offset++);
      length += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte >= 0x80);
  }
  entryMemberStart = offset;
  entryMemberEnd = offset + length;
  return offset + length;
}

/** Bytes the encoding of `score` takes (tag included). */
function scoreSize(score: number): number {
  if (Number.isInteger(score)) {
    if (score >= 0 && score < 0x80) return 1;
    if (score >= -32768 && score <= 32767) return 3;
    if (score >= -2147483648 && score <= 2147483647) return 5;
  }
  return Math.fround(score) === score ? 5 : 9;
}

/** Bytes of the LEB128 form of `length`. */
function lengthSize(length: number): number {
  let size = 1;
  while (length >= 0x80) {
    length = Math.floor(length / 0x80);
    size++;
  }
  return size;
}

/** Bytes of the entry (member, score). */
export function entrySize(member: string, score: number): number {
  return lengthSize(member.length) + member.length + scoreSize(score);
}

/** Write the entry (member, score) at `offset` of `buffer`; returns the offset after it. */
export function writeEntry(buffer: Buffer, offset: number, member: string, score: number): number {
  let length = member.length;
  while (length >= 0x80) {
    buffer[offset++] = (length & 0x7f) | 0x80;
    length = Math.floor(length / 0x80);
  }
  buffer[offset++] = length;
  return writeScore(buffer, writeChars(buffer, offset, member), score);
}

/** Write the encoding of `score` (tag and payload) at `offset` of `buffer`; returns the offset after it. */
function writeScore(buffer: Buffer, offset: number, score: number): number {
  if (Number.isInteger(score) && score >= -2147483648 && score <= 2147483647) {
    if (score >= 0 && score < 0x80) {
      buffer[offset] = score;
      return offset + 1;
    }
    if (score >= -32768 && score <= 32767) {
      buffer[offset] = TAG_INT16;
      buffer[offset + 1] = score & 0xff;
      buffer[offset + 2] = (score >> 8) & 0xff;
      return offset + 3;
    }
    buffer[offset] = TAG_INT32;
    buffer[offset + 1] = score & 0xff;
    buffer[offset + 2] = (score >> 8) & 0xff;
    buffer[offset + 3] = (score >> 16) & 0xff;
    buffer[offset + 4] = (score >>> 24) & 0xff;
    return offset + 5;
  }
  if (Math.fround(score) === score) {
    buffer[offset] = TAG_FLOAT32;
    writeFloat32(buffer, offset + 1, score);
    return offset + 5;
  }
  buffer[offset] = TAG_FLOAT64;
  writeFloat64(buffer, offset + 1, score);
  return offset + 9;
}

/**
 * True when the member of the entry readEntry last decoded (in `bytes`) is
 * `member`. No allocation.
 */
export function entryMemberIs(bytes: string, member: string): boolean {
  const start = entryMemberStart;
  const length = member.length;
  if (entryMemberEnd - start !== length) return false;
  if (length === 0) return true;
  // Members often share a prefix (user:1, user:2): the last byte tells most apart at once.
  const last = length - 1;
  if (bytes.charCodeAt(start + last) !== member.charCodeAt(last)) return false;
  for (let i = 0; i < last; i++) if (bytes.charCodeAt(start + i) !== member.charCodeAt(i)) return false;
  return true;
}

/**
 * Byte order of the member of the entry readEntry last decoded (in `bytes`)
 * against `member`: negative, zero or positive. No allocation.
 */
export function compareEntryMember(bytes: string, member: string): number {
  const start = entryMemberStart;
  const length = entryMemberEnd - start;
  const common = length < member.length ? length : member.length;
  for (let i = 0; i < common; i++) {
    const difference = bytes.charCodeAt(start + i) - member.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return length - member.length;
}

/** Where PackedZSetBuilder writes an integer member's digits before packing them. */
const DIGITS = Buffer.alloc(24);
/**
 * Builds a packing entry by entry from byte ranges and scores, for a loader
 * walking a file's listpack: each member is written once, straight into the
 * builder's buffer, and the packing is read out as one string at the end (no
 * string per member). Notes whether the entries came in this form's order
 * (ascending score, then member bytes). Reusable: reset() starts the next one.
 */
export class PackedZSetBuilder {
  /** Entries added. */
  count = 0;
  /** The longest member added, in bytes. */
  longest = 0;
  /** False once an entry did not sort after the one before it. */
  ordered = true;
  private buffer: Buffer = Buffer.allocUnsafeSlow(1024);
  private at = 0;
  private previousScore = Number.NEGATIVE_INFINITY;
  /** Where each member's bytes start and end (2 entries a member). */
  private memberBounds = new Int32Array(64);

  /** Start a new packing. */
  reset(): void {
    this.count = 0;
    this.longest = 0;
    this.ordered = true;
    this.at = 0;
    this.previousScore = Number.NEGATIVE_INFINITY;
  }

  /** Append the entry (member source[start, end), score); a -0 score is kept as 0. */
  addBytes(source: Uint8Array, start: number, end: number, score: number): void {
    const length = end - start;
    this.buffer = withRoom(this.buffer, this.at, this.at + length + 5 + 9);
    const buffer = this.buffer;
    let at = this.at;
    let rest = length;
    while (rest >= 0x80) {
      buffer[at++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    buffer[at++] = rest;
    const memberStart = at;
    if (length <= 16) for (let i = start; i < end; i++) buffer[at++] = source[i]!;
    else {
      buffer.set(source.subarray(start, end), at);
      at += length;
    }
    const kept = score === 0 ? 0 : score;
    this.noteEntry(memberStart, length, kept);
    this.at = writeScore(buffer, at, kept);
  }

  /** Append the entry (member: the decimal text of `value`, score). */
  addInteger(value: number | bigint, score: number): void {
    const length = DIGITS.write(String(value), 0, "latin1");
    this.addBytes(DIGITS, 0, length, score);
  }

  /** True when a member occurs twice among the entries added. */
  hasRepeatedMember(): boolean {
    return hasRepeatedRange(this.buffer, this.memberBounds, this.count);
  }

  /** The packing of the entries added, in the order they came. */
  finish(): string {
    return latin1Of(this.buffer, 0, this.at);
  }

  /** Count the entry whose member is buffer[start, start + length), checking its order. */
  private noteEntry(start: number, length: number, score: number): void {
    if (length > this.longest) this.longest = length;
    const count = this.count;
    let bounds = this.memberBounds;
    if (2 * count + 2 > bounds.length) {
      bounds = new Int32Array(bounds.length * 2);
      bounds.set(this.memberBounds);
      this.memberBounds = bounds;
    }
    bounds[2 * count] = start;
    bounds[2 * count + 1] = start + length;
    if (count > 0 && this.ordered) {
      if (score < this.previousScore) this.ordered = false;
      else if (score === this.previousScore) {
        // Equal scores: the member bytes must ascend.
        const buffer = this.buffer;
        const previous = bounds[2 * count - 2]!;
        const previousLength = bounds[2 * count - 1]! - previous;
        const common = Math.min(length, previousLength);
        let k = 0;
        while (k < common && buffer[start + k] === buffer[previous + k]) k++;
        const order = k < common ? buffer[start + k]! - buffer[previous + k]! : length - previousLength;
        if (order <= 0) this.ordered = false;
      }
    }
    this.previousScore = score;
    this.count = count + 1;
  }
}
