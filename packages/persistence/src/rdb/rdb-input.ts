/*
 * The reader of RDB primitives (lengths, integers, strings) over a ByteSource,
 * with a running CRC-64 of every byte consumed.
 *
 * HOT PATH: a load decodes millions of these. The reader keeps a window of the
 * source's bytes (a view the source handed out, or its own scratch buffer when
 * a read straddles two source chunks) and decodes lengths, integers and short
 * strings straight from it by index: no Buffer view per read. A string is
 * first located (locateString: where its bytes are, or its integer value) and
 * then turned into whatever the caller keeps (a latin1 key, an owned copy, a
 * listpack walk), so no intermediate object is made on the way.
 *
 * Every length is checked against the bytes really left before anything is
 * read or allocated for it; a shortfall is an RdbError naming what was cut
 * short, at the offset where the reader stood.
 */

import { Crc64, latin1String, lzfDecompress, lzfDecompressInto } from "@spinel/core-db";
import type { ByteSource } from "../io/byte-stream.js";
import { RdbError } from "./rdb-error.js";
import { RDB_ENC_INT8, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_LZF } from "./rdb-format.js";

/** Bytes asked of the source per refill of the window. */
const WINDOW_BYTES = 256 * 1024;
/** A scratch buffer grown past this for one huge item is not kept for the next refill. */
const SCRATCH_KEEP_LIMIT = 4 * WINDOW_BYTES;
/** The largest LZF plain length accepted (Redis' proto-max-bulk-len ceiling, 4 GB). */
const LZF_MAX_PLAIN = 512 * 1024 * 1024 * 8;
/** LZF strings up to this plain length are decompressed into a reused buffer, longer ones into their own. */
const LZF_SCRATCH_LIMIT = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * bytes[start, end) as a latin1 string (one char per byte), without a view:
 * core-db's latin1String, which makes short strings (most keys) in the engine's
 * own code instead of a native call per string.
 */
export function latin1Range(bytes: Buffer, start: number, end: number): string {
  return latin1String(bytes, start, end);
}

/** Strings of up to this many bytes are shared by sharedLatin1Range(). */
const SHARED_MAX_LENGTH = 8;
const SHARED_SLOTS = 4096;
/** The last short string made for each hash slot (a direct-mapped cache). */
const sharedStrings: (string | undefined)[] = new Array(SHARED_SLOTS).fill(undefined);

/**
 * latin1Range() for short strings that repeat across values (hash fields, set
 * and sorted set members): equal bytes give the same JS string from a small
 * direct-mapped cache, so a load does not make (and keep) one copy of "name"
 * per hash. Strings are immutable, so sharing them is invisible to callers.
 */
export function sharedLatin1Range(bytes: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length === 0 || length > SHARED_MAX_LENGTH) return latin1Range(bytes, start, end);
  let hash = length;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
  const slot = (hash ^ (hash >>> 12)) & (SHARED_SLOTS - 1);
  const cached = sharedStrings[slot];
  if (cached !== undefined && cached.length === length) {
    let i = 0;
    while (i < length && cached.charCodeAt(i) === bytes[start + i]) i++;
    if (i === length) return cached;
  }
  const text = latin1Range(bytes, start, end);
  sharedStrings[slot] = text;
  return text;
}

/** Reads RDB primitives from a source, keeping a running checksum; see the file comment. */
export class RdbInput {
  readonly source: ByteSource;
  readonly crc: Crc64;
  /** Offset of source position 0 in the file or payload (for messages). */
  readonly base: number;

  /**
   * The string found by the last locateString(): when `locatedIsInteger`, its
   * value is `locatedInteger` (an int-encoded string, at most 32 bits);
   * otherwise its bytes are located[locatedStart, locatedEnd), valid until the
   * next read. `locatedOwned`: `located` is a fresh Buffer holding exactly the
   * string (a long LZF string's output), which the caller may keep.
   */
  located: Buffer;
  locatedOwned: boolean;
  locatedStart: number;
  locatedEnd: number;
  locatedIsInteger: boolean;
  locatedInteger: number;

  /** The bytes being decoded: window[cursor, limit) are read from the source but not consumed. */
  private window: Buffer;
  private cursor: number;
  private limit: number;
  /** Source position of window[0]. */
  private windowPosition: number;
  /** window[0, checked) are already folded into the checksum. */
  private checked: number;
  /** Where straddling reads are assembled (reused from one refill to the next). */
  private scratch: Buffer | null;
  /** Where short LZF strings are decompressed (reused; grown up to LZF_SCRATCH_LIMIT). */
  private plainScratch: Buffer;

  constructor(source: ByteSource, base = 0) {
    this.source = source;
    this.crc = new Crc64();
    this.base = base;
    this.located = EMPTY;
    this.locatedOwned = false;
    this.locatedStart = 0;
    this.locatedEnd = 0;
    this.locatedIsInteger = false;
    this.locatedInteger = 0;
    this.window = EMPTY;
    this.cursor = 0;
    this.limit = 0;
    this.windowPosition = source.position;
    this.checked = 0;
    this.scratch = null;
    this.plainScratch = EMPTY;
  }

  /** The checksum of every byte consumed so far. */
  checksum(): Crc64 {
    this.crc.update(this.window, this.checked, this.cursor);
    this.checked = this.cursor;
    return this.crc;
  }

  /** Offset of the next byte, from the start of the file or payload. */
  get offset(): number {
    return this.base + this.windowPosition + this.cursor;
  }

  /** Bytes left. */
  get remaining(): number {
    return this.source.remaining + (this.limit - this.cursor);
  }

  /** An RdbError at `offset` (default: here). */
  error(reason: string, offset = this.offset): RdbError {
    return new RdbError(offset, reason);
  }

  /** Make `length` bytes readable at window[cursor], or throw an error naming what was cut short. */
  need(length: number, what: string): void {
    if (this.limit - this.cursor < length) this.refill(length, what);
  }

  /**
   * Refill the window so that it holds at least `length` unconsumed bytes: the
   * consumed ones go into the checksum, the unconsumed ones move to the front
   * of the scratch buffer and the source's next bytes follow them.
   */
  private refill(length: number, what: string): void {
    const remaining = this.remaining;
    if (length > remaining) {
      throw this.error(`${what} of ${length} bytes runs past the end (${remaining} bytes left)`);
    }
    const window = this.window;
    const cursor = this.cursor;
    const leftover = this.limit - cursor;
    this.crc.update(window, this.checked, cursor);
    this.windowPosition += cursor;
    const size = Math.min(Math.max(length, WINDOW_BYTES), remaining);
    if (leftover === 0) {
      // Nothing to carry over: the source's own bytes serve as the window.
      this.window = this.source.readExactly(size);
    } else {
      let target = this.scratch;
      if (
        target === null ||
        target.length < size ||
        (target.length > SCRATCH_KEEP_LIMIT && size <= WINDOW_BYTES)
      ) {
        target = Buffer.allocUnsafe(Math.max(size, WINDOW_BYTES));
        this.scratch = target;
      }
      if (target === window) target.copyWithin(0, cursor, cursor + leftover);
      else window.copy(target, 0, cursor, cursor + leftover);
      let filled = leftover;
      while (filled < size) {
        const bytes = this.source.read(size - filled);
        target.set(bytes, filled);
        filled += bytes.length;
      }
      this.window = target;
    }
    this.cursor = 0;
    this.limit = size;
    this.checked = 0;
  }

  /** `length` bytes (a view valid until the next read), or an error naming what was cut short. */
  take(length: number, what: string): Buffer {
    if (this.limit - this.cursor < length) this.refill(length, what);
    const start = this.cursor;
    this.cursor = start + length;
    return this.window.subarray(start, start + length);
  }

  /** Skip `length` bytes. */
  skip(length: number, what: string): void {
    if (this.limit - this.cursor < length) this.refill(length, what);
    this.cursor += length;
  }

  /** One byte. */
  byte(what: string): number {
    if (this.cursor >= this.limit) this.refill(1, what);
    return this.window[this.cursor++]!;
  }

  /** A signed 32-bit little-endian integer. */
  int32LE(what: string): number {
    if (this.limit - this.cursor < 4) this.refill(4, what);
    const value = this.window.readInt32LE(this.cursor);
    this.cursor += 4;
    return value;
  }

  /** A signed 64-bit little-endian integer as a number (rounded beyond 2^53, as the format's times never are). */
  int64LE(what: string): number {
    if (this.limit - this.cursor < 8) this.refill(8, what);
    const window = this.window;
    const low = window.readUInt32LE(this.cursor);
    const high = window.readInt32LE(this.cursor + 4);
    this.cursor += 8;
    return high * 4294967296 + low;
  }

  /**
   * An RDB length. Returns the length, or for the special string encodings
   * (11xxxxxx) -(encoding + 1).
   */
  lengthOrEncoding(what: string): number {
    if (this.cursor >= this.limit) this.refill(1, what);
    const first = this.window[this.cursor++]!;
    const kind = first >>> 6;
    if (kind === 0) return first & 0x3f;
    if (kind === 1) return ((first & 0x3f) << 8) | this.byte(what);
    if (kind === 3) return -((first & 0x3f) + 1);
    if (first === 0x80) {
      if (this.limit - this.cursor < 4) this.refill(4, what);
      const value = this.window.readUInt32BE(this.cursor);
      this.cursor += 4;
      return value;
    }
    if (first === 0x81) {
      if (this.limit - this.cursor < 8) this.refill(8, what);
      const window = this.window;
      const high = window.readUInt32BE(this.cursor);
      const low = window.readUInt32BE(this.cursor + 4);
      if (high >= 0x200000) {
        const big = (BigInt(high) << 32n) | BigInt(low);
        throw this.error(`${what} ${big} is out of range`);
      }
      this.cursor += 8;
      return high * 4294967296 + low;
    }
    throw this.error(`unknown length encoding 0x${first.toString(16)} in ${what}`, this.offset - 1);
  }

  /** A plain length (a special encoding here is corruption). */
  length(what: string): number {
    const start = this.offset;
    const length = this.lengthOrEncoding(what);
    if (length < 0) throw this.error(`unexpected string encoding in ${what}`, start);
    return length;
  }

  /** A count of items that each take at least `minBytes`: refused when more than the bytes left. */
  count(what: string, minBytes = 1): number {
    const start = this.offset;
    const count = this.length(what);
    const remaining = this.remaining;
    if (count * minBytes > remaining) {
      throw this.error(`${what} ${count} exceeds the ${remaining} bytes left`, start);
    }
    return count;
  }

  /**
   * Find the next string (raw, int-encoded or LZF-compressed) and consume it:
   * sets located* (see there). An LZF string is decompressed into a fresh
   * Buffer that `located` then is whole.
   */
  locateString(what: string): void {
    const start = this.offset;
    const length = this.lengthOrEncoding(what);
    if (length >= 0) {
      if (this.limit - this.cursor < length) this.refill(length, what);
      const at = this.cursor;
      this.cursor = at + length;
      this.located = this.window;
      this.locatedOwned = false;
      this.locatedStart = at;
      this.locatedEnd = at + length;
      this.locatedIsInteger = false;
      return;
    }
    const encoding = -length - 1;
    let integer: number;
    switch (encoding) {
      case RDB_ENC_INT8: {
        if (this.cursor >= this.limit) this.refill(1, what);
        integer = this.window.readInt8(this.cursor);
        this.cursor += 1;
        break;
      }
      case RDB_ENC_INT16: {
        if (this.limit - this.cursor < 2) this.refill(2, what);
        integer = this.window.readInt16LE(this.cursor);
        this.cursor += 2;
        break;
      }
      case RDB_ENC_INT32:
        integer = this.int32LE(what);
        break;
      case RDB_ENC_LZF: {
        const compressedLength = this.length(what);
        const plainLength = this.length(what);
        if (plainLength > LZF_MAX_PLAIN)
          throw this.error(`${what}: LZF length ${plainLength} is too large`, start);
        if (this.limit - this.cursor < compressedLength) this.refill(compressedLength, what);
        const at = this.cursor;
        this.cursor = at + compressedLength;
        // Most compressed strings become a JS string or are copied into a value at
        // once: those are decompressed into the reused buffer, not a Buffer each.
        const owned = plainLength > LZF_SCRATCH_LIMIT;
        let plain: Buffer;
        try {
          if (owned) {
            plain = lzfDecompress(this.window, plainLength, at, at + compressedLength);
          } else {
            if (this.plainScratch.length < plainLength) {
              this.plainScratch = Buffer.allocUnsafe(
                Math.min(LZF_SCRATCH_LIMIT, Math.max(plainLength, 1024)),
              );
            }
            plain = this.plainScratch;
            lzfDecompressInto(this.window, at, at + compressedLength, plain, plainLength);
          }
        } catch (error) {
          throw this.error(`${what}: ${(error as Error).message}`, start);
        }
        this.located = plain;
        this.locatedOwned = owned;
        this.locatedStart = 0;
        this.locatedEnd = plainLength;
        this.locatedIsInteger = false;
        return;
      }
      default:
        throw this.error(`unknown string encoding ${encoding} in ${what}`, start);
    }
    this.locatedIsInteger = true;
    this.locatedInteger = integer;
  }

  /** The located string's bytes as a Buffer the caller owns (a copy, or a long LZF string's output itself). */
  locatedCopy(): Buffer {
    if (this.locatedIsInteger) return Buffer.from(String(this.locatedInteger), "latin1");
    const bytes = this.located;
    if (this.locatedOwned) return bytes;
    const start = this.locatedStart;
    const end = this.locatedEnd;
    const length = end - start;
    const copy = Buffer.allocUnsafe(length);
    // A short copy byte by byte: Buffer.copy of a range makes a view first.
    if (length <= 64) for (let i = 0; i < length; i++) copy[i] = bytes[start + i]!;
    else bytes.copy(copy, 0, start, end);
    return copy;
  }

  /** locatedLatin1(), sharing equal short strings (see sharedLatin1Range). */
  locatedSharedLatin1(): string {
    if (this.locatedIsInteger) return String(this.locatedInteger);
    return sharedLatin1Range(this.located, this.locatedStart, this.locatedEnd);
  }

  /** The located string as latin1 text (one char per byte). */
  locatedLatin1(): string {
    if (this.locatedIsInteger) return String(this.locatedInteger);
    return latin1Range(this.located, this.locatedStart, this.locatedEnd);
  }

  /**
   * A string: raw, int-encoded or LZF-compressed. Returns its bytes, which are a
   * view valid until the next read unless `copy`. Int-encoded strings come back
   * as their decimal text.
   */
  string(what: string, copy = false): Buffer {
    this.locateString(what);
    if (copy || this.locatedIsInteger || this.locatedOwned) return this.locatedCopy();
    return this.located.subarray(this.locatedStart, this.locatedEnd);
  }

  /** A string as latin1 text (keys, members, fields). */
  latin1(what: string): string {
    this.locateString(what);
    return this.locatedLatin1();
  }

  /** A string as latin1 text, sharing equal short strings (fields and members: see sharedLatin1Range). */
  sharedLatin1(what: string): string {
    this.locateString(what);
    return this.locatedSharedLatin1();
  }

  /** An 8-byte little-endian double (ZSET_2). */
  binaryDouble(what: string): number {
    if (this.limit - this.cursor < 8) this.refill(8, what);
    const value = this.window.readDoubleLE(this.cursor);
    this.cursor += 8;
    return value;
  }

  /** A double as text with a length byte (old ZSET): 253 nan, 254 +inf, 255 -inf. */
  textDouble(what: string): number {
    const length = this.byte(what);
    if (length === 253) return Number.NaN;
    if (length === 254) return Number.POSITIVE_INFINITY;
    if (length === 255) return Number.NEGATIVE_INFINITY;
    const text = this.take(length, what).toString("latin1");
    const value = Number(text);
    if (text.trim() !== text || text === "" || Number.isNaN(value))
      throw this.error(`${what} "${text}" is not a number`);
    return value;
  }
}
