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

import {
  readFloat32,
  readFloat64,
  readInt16,
  readInt32,
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
  offset = writeChars(buffer, offset, member);
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
