/*
 * Listpacks, the compact container of Redis 7 (hashes, sorted sets and list
 * nodes are stored as one listpack blob each in an RDB file).
 *
 * Layout: total bytes (uint32 LE), element count (uint16 LE, 65535 = unknown),
 * the entries, and a terminator 0xFF. An entry is an encoding byte (and its
 * data) followed by a "backlen": the entry's size, written so that it can be
 * read from its last byte backwards (7 bits per byte, high bit = more bytes).
 * Integers:   0xxxxxxx (0..127), 110xxxxx + 1 byte (13-bit signed),
 *             0xF1/0xF2/0xF3/0xF4 + 2/3/4/8 bytes LE (signed).
 * Strings:    10xxxxxx (length < 64), 1110xxxx + 1 byte (length < 4096),
 *             0xF0 + 4 bytes LE length.
 * A string that is the canonical form of a 64-bit integer is stored as that
 * integer, as Redis does.
 */

import { parseCanonicalInteger } from "@spinel/core-db";
import type { ByteWriter } from "./byte-writer.js";
import { canonicalIntegerInRange } from "./integer-text.js";
import { latin1Range, sharedLatin1Range } from "./rdb-input.js";

/** One decoded listpack element: the bytes of a string or an integer. */
export type ListpackEntry = Buffer | number | bigint;

const HEADER_SIZE = 6;
const EOF_BYTE = 0xff;
const UNKNOWN_COUNT = 65535;

// ---------------------------------------------------------------- encoding

/**
 * Builds one listpack in a ByteWriter: begin(), then add* per element, then
 * end() patches the header. Reuse one builder for many listpacks.
 */
export class ListpackBuilder {
  private out: ByteWriter | null = null;
  private start = 0;
  private count = 0;

  /** Start a listpack at the end of `out`. */
  begin(out: ByteWriter): void {
    this.out = out;
    this.start = out.length;
    this.count = 0;
    out.ensure(HEADER_SIZE);
    out.length += HEADER_SIZE;
  }

  /** Finish the listpack; returns its size in bytes. */
  end(): number {
    const out = this.out!;
    out.byte(EOF_BYTE);
    const size = out.length - this.start;
    out.buffer.writeUInt32LE(size, this.start);
    out.buffer.writeUInt16LE(this.count < UNKNOWN_COUNT ? this.count : UNKNOWN_COUNT, this.start + 4);
    this.out = null;
    return size;
  }

  /** Size the listpack would have if it ended now (header, entries, terminator). */
  get size(): number {
    return this.out!.length - this.start + 1;
  }

  /** Elements added since begin(). */
  get elements(): number {
    return this.count;
  }

  /** Add the bytes [start, end) of `bytes`, as an integer when they are one. */
  addBytes(bytes: Buffer, start = 0, end = bytes.length): void {
    const length = end - start;
    if (length > 0 && length <= 20) {
      const first = bytes[start]!;
      // Only a digit or a minus sign can start an integer: no parse (and no view) otherwise.
      if ((first >= 48 && first <= 57) || first === 45) {
        const integer = canonicalIntegerInRange(bytes, start, end);
        if (integer !== null) {
          this.addInteger(integer);
          return;
        }
      }
    }
    const out = this.out!;
    const headerSize = writeStringHeader(out, length);
    out.bytes(bytes, start, end);
    writeBacklen(out, headerSize + length);
    this.count++;
  }

  /** Add a latin1 string (members and fields are held that way), as an integer when it is one. */
  addLatin1(text: string): void {
    this.addLatin1Range(text, 0, text.length);
  }

  /**
   * Add chars [start, end) of a latin1 string, as an integer when they are one:
   * a field or member read straight out of a packed value, with no substring.
   */
  addLatin1Range(text: string, start: number, end: number): void {
    const length = end - start;
    if (length > 0 && length <= 20) {
      const first = text.charCodeAt(start);
      if ((first >= 48 && first <= 57) || first === 45) {
        const integer = canonicalIntegerOfText(text, start, end);
        if (integer !== null) {
          this.addInteger(integer);
          return;
        }
      }
    }
    const out = this.out!;
    const headerSize = writeStringHeader(out, length);
    out.latin1Range(text, start, end);
    writeBacklen(out, headerSize + length);
    this.count++;
  }

  /** Add a signed 64-bit integer in the smallest integer encoding. */
  addInteger(value: number | bigint): void {
    const out = this.out!;
    let size: number;
    if (typeof value === "bigint" || value < -2147483648 || value > 2147483647) {
      out.byte(0xf4);
      out.int64LE(value);
      size = 9;
    } else if (value >= 0 && value <= 127) {
      out.byte(value);
      size = 1;
    } else if (value >= -4096 && value <= 4095) {
      const v = value < 0 ? value + 8192 : value;
      out.byte(0xc0 | (v >>> 8));
      out.byte(v & 0xff);
      size = 2;
    } else if (value >= -32768 && value <= 32767) {
      out.byte(0xf1);
      out.ensure(2);
      out.buffer.writeInt16LE(value, out.length);
      out.length += 2;
      size = 3;
    } else if (value >= -8388608 && value <= 8388607) {
      out.byte(0xf2);
      out.ensure(3);
      out.buffer.writeIntLE(value, out.length, 3);
      out.length += 3;
      size = 4;
    } else {
      out.byte(0xf3);
      out.ensure(4);
      out.buffer.writeInt32LE(value, out.length);
      out.length += 4;
      size = 5;
    }
    writeBacklen(out, size);
    this.count++;
  }
}

/**
 * parseCanonicalInteger() of chars [start, end) of a latin1 string (a non-empty
 * range): its integer when it is the canonical decimal form of a signed 64-bit
 * integer, else null. Up to 15 digits are read from the string itself; longer
 * ones go through the bytes.
 */
function canonicalIntegerOfText(text: string, start: number, end: number): number | bigint | null {
  const length = end - start;
  const negative = text.charCodeAt(start) === 45; /* - */
  if (length - (negative ? 1 : 0) > 15)
    return parseCanonicalInteger(Buffer.from(text.substring(start, end), "latin1"));
  if (negative && length === 1) return null;
  let i = negative ? start + 1 : start;
  const first = text.charCodeAt(i);
  if (first === 48 /* 0 */) return length === 1 ? 0 : null; // "0" only; no "-0" or "01"
  if (first < 49 || first > 57) return null;
  let value = 0;
  for (; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** Size in bytes of the encoded element holding `bytes` (for node size limits). */
export function listpackEntrySize(length: number): number {
  const header = length < 64 ? 1 : length < 4096 ? 2 : 5;
  return header + length + backlenSize(header + length);
}

function writeStringHeader(out: ByteWriter, length: number): number {
  if (length < 64) {
    out.byte(0x80 | length);
    return 1;
  }
  if (length < 4096) {
    out.byte(0xe0 | (length >>> 8));
    out.byte(length & 0xff);
    return 2;
  }
  out.byte(0xf0);
  out.uint32LE(length);
  return 5;
}

function backlenSize(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

/** The backlen of an entry of `size` bytes: the most significant 7 bits first. */
function writeBacklen(out: ByteWriter, size: number): void {
  if (size <= 127) {
    out.byte(size);
    return;
  }
  const bytes = backlenSize(size);
  for (let i = bytes - 1; i >= 0; i--) {
    const group = Math.floor(size / 2 ** (7 * i)) & 127;
    out.byte(i === 0 && bytes > 1 ? group | 128 : i === bytes - 1 ? group : group | 128);
  }
}

// ---------------------------------------------------------------- decoding

/**
 * Walks a listpack held in bytes[start, end) one element at a time, validating
 * as it goes: the header's size equals the blob's, every entry lies inside the
 * blob with a backlen that agrees with its size, the terminator is the last
 * byte and the count matches (unless unknown). Throws an Error naming the
 * problem (offsets are from the blob's start). Reusable: reset() starts over
 * on another blob, so a load walks every listpack without allocating.
 */
export class ListpackCursor {
  /** The blob's bytes (the current string element is bytes[stringStart, stringEnd)). */
  bytes: Buffer;
  /** True when the current element is an integer (then in `integer`). */
  isInteger: boolean;
  integer: number | bigint;
  stringStart: number;
  stringEnd: number;
  /** Elements walked so far. */
  count: number;
  private base: number;
  private p: number;
  /** Index of the terminator. */
  private last: number;
  private announced: number;

  constructor() {
    this.bytes = Buffer.alloc(0);
    this.isInteger = false;
    this.integer = 0;
    this.stringStart = 0;
    this.stringEnd = 0;
    this.count = 0;
    this.base = 0;
    this.p = 0;
    this.last = 0;
    this.announced = 0;
  }

  /** Start walking the listpack bytes[start, end): checks its header. */
  reset(bytes: Buffer, start = 0, end = bytes.length): this {
    const length = end - start;
    if (length < HEADER_SIZE + 1) throw new Error("listpack shorter than its header");
    const total = bytes.readUInt32LE(start);
    if (total !== length) throw new Error(`listpack header says ${total} bytes, blob has ${length}`);
    this.bytes = bytes;
    this.announced = bytes.readUInt16LE(start + 4);
    this.base = start;
    this.p = start + HEADER_SIZE;
    this.last = end - 1;
    this.count = 0;
    return this;
  }

  /** Move to the next element; false (after the final checks) when there is none. */
  next(): boolean {
    const blob = this.bytes;
    const end = this.last;
    let p = this.p;
    if (p >= end) {
      if (p !== end || blob[end] !== EOF_BYTE) throw new Error("listpack does not end with its terminator");
      if (this.announced !== UNKNOWN_COUNT && this.announced !== this.count) {
        throw new Error(`listpack header counts ${this.announced} elements, it holds ${this.count}`);
      }
      return false;
    }
    const start = p;
    const b = blob[p]!;
    let isInteger = true;
    if (b < 0x80) {
      this.integer = b;
      p += 1;
    } else if (b < 0xc0) {
      const length = b & 0x3f;
      this.need(p + 1 + length);
      isInteger = false;
      this.stringStart = p + 1;
      p += 1 + length;
    } else if (b < 0xe0) {
      this.need(p + 2);
      const v = ((b & 0x1f) << 8) | blob[p + 1]!;
      this.integer = v >= 4096 ? v - 8192 : v;
      p += 2;
    } else if (b < 0xf0) {
      this.need(p + 2);
      const length = ((b & 0x0f) << 8) | blob[p + 1]!;
      this.need(p + 2 + length);
      isInteger = false;
      this.stringStart = p + 2;
      p += 2 + length;
    } else if (b === 0xf0) {
      this.need(p + 5);
      const length = blob.readUInt32LE(p + 1);
      this.need(p + 5 + length);
      isInteger = false;
      this.stringStart = p + 5;
      p += 5 + length;
    } else if (b === 0xf1) {
      this.need(p + 3);
      this.integer = blob.readInt16LE(p + 1);
      p += 3;
    } else if (b === 0xf2) {
      this.need(p + 4);
      // 24 bits, sign-extended by the shifts (Buffer's readIntLE is a generic and slower path).
      this.integer = ((blob[p + 1]! | (blob[p + 2]! << 8) | (blob[p + 3]! << 16)) << 8) >> 8;
      p += 4;
    } else if (b === 0xf3) {
      this.need(p + 5);
      this.integer = blob.readInt32LE(p + 1);
      p += 5;
    } else if (b === 0xf4) {
      this.need(p + 9);
      const big = blob.readBigInt64LE(p + 1);
      this.integer = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
      p += 9;
    } else {
      throw new Error(`listpack entry at ${start - this.base} has invalid encoding byte 0x${b.toString(16)}`);
    }
    this.isInteger = isInteger;
    if (!isInteger) this.stringEnd = p;
    const size = p - start;
    if (size <= 127) {
      // One backlen byte, the common case: the size itself.
      this.need(p + 1);
      if (blob[p] !== size) throw this.badBacklen(start, p, 1, size);
      p += 1;
    } else {
      const backlen = backlenSize(size);
      this.need(p + backlen);
      if (readBacklen(blob, p, backlen) !== size) throw this.badBacklen(start, p, backlen, size);
      p += backlen;
    }
    this.p = p;
    this.count++;
    return true;
  }

  /** The current element as latin1 text (integers in decimal). */
  latin1(): string {
    return this.isInteger ? String(this.integer) : latin1Range(this.bytes, this.stringStart, this.stringEnd);
  }

  /**
   * latin1(), sharing one string between equal short elements (hash fields and
   * members repeat across the values of a file): see sharedLatin1Range().
   */
  sharedLatin1(): string {
    return this.isInteger
      ? String(this.integer)
      : sharedLatin1Range(this.bytes, this.stringStart, this.stringEnd);
  }

  /** The current element's bytes as a Buffer the caller owns (integers in decimal). */
  copy(): Buffer {
    if (this.isInteger) return Buffer.from(String(this.integer), "latin1");
    const copy = Buffer.allocUnsafe(this.stringEnd - this.stringStart);
    this.bytes.copy(copy, 0, this.stringStart, this.stringEnd);
    return copy;
  }

  /** The current element: a view of its bytes, or the integer. */
  entry(): ListpackEntry {
    return this.isInteger ? this.integer : this.bytes.subarray(this.stringStart, this.stringEnd);
  }

  private need(upTo: number): void {
    if (upTo > this.last) {
      throw new Error(`listpack entry runs past the end of the blob (${this.last + 1 - this.base} bytes)`);
    }
  }

  private badBacklen(start: number, p: number, backlen: number, size: number): Error {
    const where = start - this.base;
    // A backlen read from its last byte backwards must stop exactly at its first byte.
    return readBacklen(this.bytes, p, backlen) === -1
      ? new Error(`listpack entry at ${where} has a malformed backlen`)
      : new Error(`listpack entry at ${where} has a backlen that disagrees with its size (${size})`);
  }
}

/**
 * The backlen stored at bytes[p, p + width), read from its last byte backwards
 * as a reverse walk would; -1 when the continuation bits do not stop exactly at
 * its first byte.
 */
function readBacklen(bytes: Buffer, p: number, width: number): number {
  let decoded = 0;
  let q = p + width - 1;
  let shift = 0;
  for (;;) {
    const byte = bytes[q]!;
    decoded += (byte & 127) * 2 ** shift;
    shift += 7;
    if ((byte & 128) === 0) break;
    q--;
    if (q < p) return -1;
  }
  return q === p ? decoded : -1;
}

/**
 * Decode and validate a whole listpack (see ListpackCursor). Strings come back
 * as views into `blob`. Throws an Error naming the problem.
 */
export function decodeListpack(blob: Buffer): ListpackEntry[] {
  const cursor = new ListpackCursor().reset(blob);
  const entries: ListpackEntry[] = [];
  while (cursor.next()) entries.push(cursor.entry());
  return entries;
}

/** The bytes of a decoded element (integers in decimal). */
export function entryBytes(entry: ListpackEntry): Buffer {
  return typeof entry === "object" ? entry : Buffer.from(String(entry), "latin1");
}

/** A decoded element as a latin1 string. */
export function entryLatin1(entry: ListpackEntry): string {
  return typeof entry === "object" ? entry.toString("latin1") : String(entry);
}
