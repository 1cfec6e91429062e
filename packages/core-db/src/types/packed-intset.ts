/*
 * The intset encoding's bytes: a set's integer members as one array of
 * little-endian two's-complement integers of one width (2, 4 or 8 bytes), sorted
 * ascending, held in a byte string (see byte-string.ts). As in Redis, the width
 * is the smallest that holds every member; adding a member that needs more
 * rewrites the whole array at the new width (and such a member is always the new
 * smallest or largest, so it goes to one end). Removals never narrow it.
 *
 * Members come in and go out as their canonical decimal text (isIntsetMember in
 * intset.ts). A 64-bit member is handled as two 32-bit halves (high signed, low
 * unsigned), so no BigInt is involved unless a member is beyond 2^53.
 */

import {
  editBytes,
  freshBytes,
  readInt16,
  readInt32,
  sealBytes,
  writeInt16,
  writeInt32,
} from "./byte-string.js";
import { compareIntegerStrings } from "./intset.js";

/** Bytes per member of an intset. */
export type IntsetWidth = 2 | 4 | 8;

const TWO_POW_32 = 4294967296;

/**
 * The member last given to parseMember, as 64-bit halves: `parsedHigh` signed,
 * `parsedLow` unsigned; `parsedWidth` the smallest width that holds it.
 * Module state so that a lookup allocates nothing.
 */
let parsedHigh = 0;
let parsedLow = 0;
let parsedWidth: IntsetWidth = 2;

/** Parse a canonical 64-bit integer text (isIntsetMember holds) into the parsed* state. */
function parseMember(member: string): void {
  if (member.length <= 15) {
    // At most 15 chars: |value| < 10^15 < 2^53, exact as a double.
    const value = Number(member);
    const high = Math.floor(value / TWO_POW_32);
    parsedHigh = high;
    parsedLow = value - high * TWO_POW_32;
  } else {
    const value = BigInt(member);
    parsedHigh = Number(BigInt.asIntN(32, value >> 32n));
    parsedLow = Number(BigInt.asUintN(32, value));
  }
  if ((parsedHigh === 0 && parsedLow <= 0x7fffffff) || (parsedHigh === -1 && parsedLow >= 0x80000000)) {
    const small = parsedLow | 0;
    parsedWidth = small >= -32768 && small <= 32767 ? 2 : 4;
  } else {
    parsedWidth = 8;
  }
}

/** Decimal text of the 64-bit integer with halves `high` (signed) and `low` (unsigned). */
function int64Text(high: number, low: number): string {
  // |value| < 2^53 when the high half is within +-2^21: exact as a double.
  if (high >= -2097152 && high < 2097152) return String(high * TWO_POW_32 + low);
  return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low)).toString();
}

/** Number of members in `bytes` at `width`. */
export function intsetCount(bytes: string, width: IntsetWidth): number {
  return bytes.length / width;
}

/** Decimal text of the member at `index` (0 <= index < count). */
export function intsetMemberAt(bytes: string, width: IntsetWidth, index: number): string {
  const offset = index * width;
  if (width === 2) return String(readInt16(bytes, offset));
  if (width === 4) return String(readInt32(bytes, offset));
  return int64Text(readInt32(bytes, offset + 4), readInt32(bytes, offset) >>> 0);
}

/**
 * Binary search of the parsed member in an intset of `width` >= parsedWidth.
 * Its index, or -(insertion point) - 1 when absent.
 */
function searchParsed(bytes: string, width: IntsetWidth): number {
  let low = 0;
  let high = bytes.length / width - 1;
  if (width === 8) {
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const offset = mid * 8;
      const midHigh = readInt32(bytes, offset + 4);
      let order = midHigh - parsedHigh;
      if (order === 0) order = (readInt32(bytes, offset) >>> 0) - parsedLow;
      if (order < 0) low = mid + 1;
      else if (order > 0) high = mid - 1;
      else return mid;
    }
    return -low - 1;
  }
  const target = parsedLow | 0;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = width === 2 ? readInt16(bytes, mid * 2) : readInt32(bytes, mid * 4);
    if (value < target) low = mid + 1;
    else if (value > target) high = mid - 1;
    else return mid;
  }
  return -low - 1;
}

/**
 * Index of `member` (canonical integer text) in the intset, or -1. O(log n),
 * allocation-free for members within 2^53.
 */
export function intsetIndexOf(bytes: string, width: IntsetWidth, member: string): number {
  parseMember(member);
  if (parsedWidth > width) return -1;
  const found = searchParsed(bytes, width);
  return found >= 0 ? found : -1;
}

/** Write the parsed member at `offset` of `buffer` at `width`. */
function writeParsed(buffer: Buffer, offset: number, width: IntsetWidth): void {
  if (width === 2) writeInt16(buffer, offset, parsedLow);
  else if (width === 4) writeInt32(buffer, offset, parsedLow);
  else {
    writeInt32(buffer, offset, parsedLow);
    writeInt32(buffer, offset + 4, parsedHigh);
  }
}

/** Result of intsetAdd: the new bytes and width (unchanged bytes when the member was there). */
export interface IntsetBytes {
  bytes: string;
  width: IntsetWidth;
}

/**
 * Add `member` (canonical integer text) to the intset. Returns null when it is
 * already there, else the new bytes and width (wider when the member needs it).
 * O(n): the copy of the bytes with the member in place.
 */
export function intsetAdd(bytes: string, width: IntsetWidth, member: string): IntsetBytes | null {
  parseMember(member);
  if (parsedWidth > width) return upgradeAndAdd(bytes, width);
  const found = searchParsed(bytes, width);
  if (found >= 0) return null;
  const offset = (-found - 1) * width;
  const buffer = editBytes(bytes, offset, 0, width);
  writeParsed(buffer, offset, width);
  return { bytes: sealBytes(bytes.length + width), width };
}

/**
 * Rewrite the intset at the parsed member's (wider) width with the member added:
 * a member too wide for the old width is below or above every present one.
 */
function upgradeAndAdd(bytes: string, width: IntsetWidth): IntsetBytes {
  const count = bytes.length / width;
  const wider = parsedWidth;
  const buffer = freshBytes((count + 1) * wider);
  const prepend = parsedHigh < 0;
  const memberHigh = parsedHigh;
  const memberLow = parsedLow;
  let at = prepend ? wider : 0;
  for (let i = 0; i < count; i++, at += wider) {
    const value = width === 2 ? readInt16(bytes, i * 2) : readInt32(bytes, i * 4);
    parsedLow = value >>> 0;
    parsedHigh = value < 0 ? -1 : 0;
    writeParsed(buffer, at, wider);
  }
  parsedHigh = memberHigh;
  parsedLow = memberLow;
  writeParsed(buffer, prepend ? 0 : count * wider, wider);
  return { bytes: sealBytes((count + 1) * wider), width: wider };
}

/** The intset without its member at `index`. O(n). */
export function intsetRemoveAt(bytes: string, width: IntsetWidth, index: number): string {
  editBytes(bytes, index * width, width, 0);
  return sealBytes(bytes.length - width);
}

/**
 * An intset of `members` (distinct canonical integer texts, any order): sorted,
 * at the smallest width that holds them all. O(n log n).
 */
export function packIntset(members: readonly string[]): IntsetBytes {
  const sorted = members.slice().sort(compareIntegerStrings);
  let width: IntsetWidth = 2;
  for (const member of sorted) {
    parseMember(member);
    if (parsedWidth > width) width = parsedWidth;
  }
  const buffer = freshBytes(sorted.length * width);
  for (let i = 0; i < sorted.length; i++) {
    parseMember(sorted[i]!);
    writeParsed(buffer, i * width, width);
  }
  return { bytes: sealBytes(sorted.length * width), width };
}

/**
 * The smallest width that holds the little-endian integer of `width` bytes at
 * bytes[offset]: what an intset of that one member would use.
 */
export function intsetNeededWidth(bytes: Uint8Array, offset: number, width: IntsetWidth): IntsetWidth {
  if (width === 2) return 2;
  const low =
    bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24);
  if (width === 8) {
    const high =
      bytes[offset + 4]! |
      (bytes[offset + 5]! << 8) |
      (bytes[offset + 6]! << 16) |
      (bytes[offset + 7]! << 24);
    // Within 32 bits when the high half is the sign extension of the low one.
    if (high !== low >> 31) return 8;
  }
  return low >= -32768 && low <= 32767 ? 2 : 4;
}
