/*
 * String values, held in the most compact form that keeps OBJECT ENCODING
 * truthful:
 *   - "int":    a number (a bigint beyond 2^53) for a string that is the
 *               canonical decimal form of a 64-bit signed integer;
 *   - "embstr": a binary (latin1) JS string, one char per byte, for values of up
 *               to 44 bytes not edited in place: about 32 bytes for a short value
 *               where a Buffer costs about 128;
 *   - "raw":    a Buffer, for longer values and for values edited in place.
 * The form follows from the type of one field, so the object has three fields
 * and `type` lives on the prototype.
 *
 * In-place edits (APPEND, SETRANGE, SETBIT, BITFIELD) turn the value into a
 * storage Buffer with spare capacity, grown by doubling, so repeated appends cost
 * amortised O(1) as with Redis' sds. Replies copy what they send, so editing in
 * place is safe.
 */

import { latin1Of } from "../latin1.js";
import { bufferBytes, HEAP_NUMBER, isPooled, objectBytes, stringBytes } from "../memory-model.js";
import type { RedisValue } from "../value.js";

/** Node's Buffer pool serves Buffer.from() copies below this size (Buffer.poolSize >>> 1). */
const BUFFER_POOL_LIMIT = 4096;

/** True when a copy made by Buffer.from() of `length` bytes comes from Node's shared pool. */
function copyIsPooled(length: number): boolean {
  return length > 0 && length < BUFFER_POOL_LIMIT;
}

const EMBSTR_SIZE_LIMIT = 44;
/** The RedisString object: data, byteLength, pooled (`type` is on the prototype). */
const STRING_OBJECT = objectBytes(3);
const MAX_INT_STRING = 20;

/** Encodings OBJECT ENCODING reports for strings. */
export type StringEncodingName = "int" | "embstr" | "raw";

/** A string value. */
export class RedisString {
  /** The type tag, shared on the prototype (see below) rather than a field per value. */
  declare readonly type: "string";
  /**
   * The value: a number or bigint ("int"), a latin1 JS string ("embstr"), or a
   * storage Buffer ("raw") that may be longer than the value after in-place edits.
   */
  private data: number | bigint | string | Buffer;
  /** Length of the value in the storage Buffer; 0 for the other forms. */
  private byteLength: number;
  /** True when the storage Buffer is a view into Node's shared Buffer pool (for memoryUsage). */
  private pooled: boolean;

  private constructor(data: number | bigint | string | Buffer, pooled: boolean) {
    this.data = data;
    this.byteLength = typeof data === "object" ? data.length : 0;
    this.pooled = pooled;
  }

  /**
   * A string holding a copy of `bytes` (argument buffers may be views into a socket
   * chunk and must not be kept). Integer-looking values become int-encoded, short
   * ones embstr (a JS string), longer ones raw (a Buffer).
   */
  static fromBytes(bytes: Buffer): RedisString {
    const length = bytes.length;
    if (length <= MAX_INT_STRING && length > 0) {
      const parsed = parseCanonicalInteger(bytes);
      if (parsed !== null) return new RedisString(parsed, false);
    }
    if (length <= EMBSTR_SIZE_LIMIT) return new RedisString(latin1Of(bytes), false);
    return new RedisString(Buffer.from(bytes), copyIsPooled(length));
  }

  /**
   * What a key holds for a copy of `bytes`: the same as
   * compactValue(RedisString.fromBytes(bytes)), without building the RedisString
   * object an int or embstr value drops when stored (SET, MSET: one object less
   * per write). Database.set() takes the result.
   */
  static storedFromBytes(bytes: Buffer): RedisString | CompactString {
    const length = bytes.length;
    if (length <= MAX_INT_STRING && length > 0) {
      const parsed = parseCanonicalInteger(bytes);
      if (parsed !== null) return parsed;
    }
    if (length <= EMBSTR_SIZE_LIMIT) return latin1Of(bytes);
    return new RedisString(Buffer.from(bytes), copyIsPooled(length));
  }

  /** The bare data of an int or embstr value, or this object for a raw one (see compactValue()). */
  compactForm(): RedisString | CompactString {
    const data = this.data;
    return typeof data === "object" ? this : data;
  }

  /** The RedisString of a compact form (int or embstr), see compactValue(). */
  static fromCompact(data: CompactString): RedisString {
    return new RedisString(data, false);
  }

  /** An int-encoded string. `value` must be within the signed 64-bit range. */
  static fromInteger(value: number | bigint): RedisString {
    return new RedisString(narrowInteger(value), false);
  }

  /**
   * A string owning `bytes` as is (no copy), never int-encoded: "embstr" or "raw"
   * by length, or "raw" when `edited` (the bytes are then kept as storage to edit
   * in place). For values Redis creates with createStringObject() rather than from
   * an argument, such as the result of INCRBYFLOAT, which stays "embstr" even when
   * it reads like an integer.
   */
  static fromOwnedBytes(bytes: Buffer, edited: boolean): RedisString {
    if (!edited && bytes.length <= EMBSTR_SIZE_LIMIT) return new RedisString(latin1Of(bytes), false);
    return new RedisString(bytes, isPooled(bytes));
  }

  /**
   * An empty "raw" string, the start of a value built by in-place edits
   * (SETRANGE or SETBIT on a missing key).
   */
  static emptyRaw(): RedisString {
    return new RedisString(Buffer.alloc(0), false);
  }

  /** OBJECT ENCODING name. */
  get encoding(): StringEncodingName {
    const data = this.data;
    if (typeof data === "string") return "embstr";
    return typeof data === "object" ? "raw" : "int";
  }

  /**
   * Bytes this value holds (see memory-model.ts): the object, plus the JS string
   * of an embstr value, the storage buffer's capacity of a raw one (spare room
   * from in-place growth included), or the boxed integer when it is not a small
   * integer. O(1).
   */
  memoryUsage(): number {
    const data = this.data;
    if (typeof data === "object") return STRING_OBJECT + bufferBytes(data.length, this.pooled);
    return STRING_OBJECT + compactStringBytes(data);
  }

  /** True when the value is held as an integer. */
  get isInteger(): boolean {
    const data = this.data;
    return typeof data === "number" || typeof data === "bigint";
  }

  /** The integer value; only meaningful when isInteger. */
  get integerValue(): number | bigint {
    const data = this.data;
    return typeof data === "number" || typeof data === "bigint" ? data : 0;
  }

  /** Length in bytes (STRLEN). */
  get length(): number {
    const data = this.data;
    if (typeof data === "string") return data.length;
    return typeof data === "object" ? this.byteLength : String(data).length;
  }

  /**
   * The value as bytes. For int and embstr values this allocates a copy; for raw
   * ones it is a view of the storage that later in-place edits may change: copy
   * it to keep it, and edit only through writableBytes() / resize().
   */
  toBuffer(): Buffer {
    const data = this.data;
    if (typeof data === "object") {
      return this.byteLength === data.length ? data : data.subarray(0, this.byteLength);
    }
    return Buffer.from(typeof data === "string" ? data : String(data), "latin1");
  }

  /**
   * The value as a signed 64-bit integer when its text is one in canonical form
   * (Redis' string2ll: no blanks, no '+', no leading zeros), else null. A number
   * when it is a safe integer, a bigint beyond. INCR and friends read it.
   */
  toInteger(): number | bigint | null {
    const data = this.data;
    if (typeof data === "number" || typeof data === "bigint") return data;
    return this.length > MAX_INT_STRING ? null : parseCanonicalInteger(this.toBuffer());
  }

  /**
   * Replace the value with an integer, int-encoded (INCR, DECR, INCRBY ...).
   * `value` must be within the signed 64-bit range; bigints that are safe
   * integers are stored as numbers. Drops any byte storage.
   */
  setInteger(value: number | bigint): void {
    this.data = narrowInteger(value);
    this.byteLength = 0;
    this.pooled = false;
  }

  /** The value as a binary (latin1) JS string. */
  toBinaryString(): string {
    const data = this.data;
    if (typeof data === "string") return data;
    return typeof data === "object" ? data.toString("latin1", 0, this.byteLength) : String(data);
  }

  /**
   * Write the value as a bulk reply through `out`: an integer as its decimal
   * form, an embstr value from its JS string, a raw one from its bytes. Nothing is
   * allocated for int and embstr values (GET and friends).
   */
  writeBulk(out: BulkStringSink): void {
    const data = this.data;
    if (typeof data === "string") out.bulkString(data);
    else if (typeof data === "object") out.bulkSlice(data, 0, this.byteLength);
    else out.bulkInteger(data);
  }

  /** An independent copy (COPY, MOVE within a server, snapshots). */
  clone(): RedisString {
    const data = this.data;
    if (typeof data !== "object") return new RedisString(data, false); // numbers and JS strings are immutable
    return new RedisString(Buffer.from(this.toBuffer()), copyIsPooled(this.byteLength));
  }

  // ---------------------------------------------------------------- in-place edits

  /**
   * Make the value raw bytes of at least `minLength` bytes (zero-padded) with
   * storage that may be written in place, and return that storage, limited to
   * the value's length. Used by SETRANGE, SETBIT, BITFIELD. Marks the string raw.
   */
  writableBytes(minLength: number): Buffer {
    const storage = this.reserve(minLength);
    if (minLength > this.byteLength) {
      storage.fill(0, this.byteLength, minLength);
      this.byteLength = minLength;
    }
    return storage.subarray(0, this.byteLength);
  }

  /**
   * Set the value's length to `length` bytes, keeping its leading bytes: growth
   * zero-pads (into spare capacity, grown by doubling), shrinking keeps the
   * storage. Returns the storage limited to the new length, to be edited in
   * place. Marks the string raw. HyperLogLog's sparse form grows and shrinks
   * this way, a few bytes at a time.
   */
  resize(length: number): Buffer {
    if (length >= this.length) return this.writableBytes(length);
    const storage = this.materialize();
    this.byteLength = length;
    return storage.subarray(0, length);
  }

  /**
   * Replace the value with `bytes`, owned as is (no copy), as raw bytes. For a
   * value rebuilt whole into a buffer of the exact size (a HyperLogLog turned
   * dense), where growing the old storage would double it for nothing.
   */
  replaceBytes(bytes: Buffer): void {
    this.data = bytes;
    this.byteLength = bytes.length;
    this.pooled = isPooled(bytes);
  }

  /** APPEND: add `data` at the end; returns the new length. Marks the string raw. */
  append(data: Buffer): number {
    const storage = this.reserve(this.length + data.length);
    data.copy(storage, this.byteLength);
    this.byteLength += data.length;
    return this.byteLength;
  }

  /** SETRANGE: write `data` at `offset`, zero-padding any gap; returns the new length. */
  setRange(offset: number, data: Buffer): number {
    const target = this.writableBytes(Math.max(this.length, offset + data.length));
    data.copy(target, offset);
    return this.byteLength;
  }

  /** Turn an int or embstr value into a storage Buffer of its bytes ("raw"), and return the storage. */
  private materialize(): Buffer {
    const data = this.data;
    if (typeof data === "object") return data;
    const text = Buffer.from(typeof data === "string" ? data : String(data), "latin1");
    this.data = text;
    this.byteLength = text.length;
    this.pooled = copyIsPooled(text.length);
    return text;
  }

  /**
   * Make the value raw and grow its storage (doubling, like sds) to hold at least
   * `capacity` bytes; returns the storage.
   */
  private reserve(capacity: number): Buffer {
    const bytes = this.materialize();
    if (bytes.length >= capacity) return bytes;
    const grown = Buffer.alloc(capacity < 1024 * 1024 ? capacity * 2 : capacity + 1024 * 1024);
    bytes.copy(grown, 0, 0, this.byteLength);
    this.data = grown;
    this.pooled = false;
    return grown;
  }
}

// The type tag every string value shares (declared on the class, defined once here).
Object.defineProperty(RedisString.prototype, "type", { value: "string" });

// ---------------------------------------------------------------- the keyspace's compact form

/**
 * An int or embstr string value as the keyspace may hold it without its
 * RedisString object: the bare number, bigint or latin1 JS string.
 */
export type CompactString = number | bigint | string;

/**
 * `value` as a key should hold it: the bare data of an int or embstr string (the
 * RedisString object is left to the garbage collector), or `value` itself (other
 * types, raw strings). Only for a value just stored: later in-place edits must go
 * through an object the key holds (see expandCompactString). A compact form
 * (RedisString.storedFromBytes) comes back as it is.
 */
export function compactValue(value: RedisValue | CompactString): RedisValue | CompactString {
  return typeof value === "object" && value.type === "string" ? value.compactForm() : value;
}

/** A RedisString holding the compact form `data` (int or embstr). */
export function expandCompactString(data: CompactString): RedisString {
  return RedisString.fromCompact(data);
}

/**
 * Bytes a value held in compact form costs (memory-model.ts): the JS string of
 * an embstr value, the boxed number of an integer beyond the small-integer
 * range, nothing for a small integer.
 */
export function compactStringBytes(data: CompactString): number {
  if (typeof data === "string") return stringBytes(data.length);
  if (typeof data === "bigint") return 32;
  return data >= -1073741824 && data <= 1073741823 ? 0 : HEAP_NUMBER;
}

/** Where RedisString.writeBulk() writes: the bulk-string part of a reply writer. */
export interface BulkStringSink {
  /** A bulk string from a binary (latin1) JS string. */
  bulkString(text: string): void;
  /** A bulk string from the bytes source[start, end) (copied). */
  bulkSlice(source: Buffer, start: number, end: number): void;
  /** A bulk string holding the decimal form of an integer. */
  bulkInteger(n: number | bigint): void;
}

/**
 * Reply a string held in compact form (Database.lookupReadStored) as a bulk
 * string, as RedisString.writeBulk() replies the same value.
 */
export function writeCompactBulk(data: CompactString, out: BulkStringSink): void {
  if (typeof data === "string") out.bulkString(data);
  else out.bulkInteger(data);
}

/** `value` as stored when int-encoded: bigints that are safe integers become numbers. */
function narrowInteger(value: number | bigint): number | bigint {
  return typeof value === "bigint" && value >= -9007199254740991n && value <= 9007199254740991n
    ? Number(value)
    : value;
}

/**
 * Parse `bytes` as Redis' string2ll does for int encoding: an optional '-', no
 * leading zeros (except "0" itself), no '+', within the signed 64-bit range.
 * Returns a number for safe integers, a bigint beyond, or null.
 */
export function parseCanonicalInteger(bytes: Buffer): number | bigint | null {
  const length = bytes.length;
  if (length === 0 || length > MAX_INT_STRING) return null;
  let i = 0;
  let negative = false;
  if (bytes[0] === 45 /* - */) {
    if (length === 1) return null;
    negative = true;
    i = 1;
  }
  const first = bytes[i]!;
  if (first === 48 /* 0 */) return length === 1 ? 0 : null; // "0" only; no "-0" or "01"
  if (first < 49 || first > 57) return null;
  let value = 0;
  for (; i < length; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  if (value <= Number.MAX_SAFE_INTEGER) return negative ? -value : value;
  const big = BigInt(bytes.toString("latin1"));
  if (big > 9223372036854775807n || big < -9223372036854775808n) return null;
  return big;
}
