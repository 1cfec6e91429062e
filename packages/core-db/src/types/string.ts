/*
 * String values. A string that is the canonical decimal form of a 64-bit signed
 * integer is stored as a number (OBJECT ENCODING "int"); other strings keep their
 * bytes ("embstr" up to 44 bytes, "raw" beyond, or after in-place edits such as
 * APPEND and SETRANGE, as Redis reports them).
 *
 * In-place edits (APPEND, SETRANGE, SETBIT, BITFIELD) write into a storage buffer
 * with spare capacity, grown by doubling, so repeated appends cost amortised O(1)
 * as with Redis' sds. Replies copy what they send, so editing in place is safe.
 */

import { bufferBytes, HEAP_NUMBER, isPooled, objectBytes } from "../memory-model.js";

/** Node's Buffer pool serves Buffer.from() copies below this size (Buffer.poolSize >>> 1). */
const BUFFER_POOL_LIMIT = 4096;

/** True when a copy made by Buffer.from() of `length` bytes comes from Node's shared pool. */
function copyIsPooled(length: number): boolean {
  return length > 0 && length < BUFFER_POOL_LIMIT;
}

const EMBSTR_SIZE_LIMIT = 44;
/** The RedisString object: type, bytes, byteLength, integer, edited, pooled. */
const STRING_OBJECT = objectBytes(6);
const MAX_INT_STRING = 20;

/** Encodings OBJECT ENCODING reports for strings. */
export type StringEncodingName = "int" | "embstr" | "raw";

/** A string value. */
export class RedisString {
  readonly type = "string" as const;
  /** Storage of the value (may be longer than the value), or null while int-encoded. */
  private bytes: Buffer | null;
  /** Length of the value in `bytes`. */
  private byteLength: number;
  /** Integer value when int-encoded (a safe integer or a bigint beyond 2^53). */
  private integer: number | bigint;
  /** True once the bytes were edited in place (APPEND, SETRANGE): "raw". */
  private edited: boolean;
  /** True when `bytes` is a view into Node's shared Buffer pool (for memoryUsage, known from where it came). */
  private pooled: boolean;

  private constructor(bytes: Buffer | null, integer: number | bigint, edited: boolean, pooled: boolean) {
    this.bytes = bytes;
    this.byteLength = bytes === null ? 0 : bytes.length;
    this.integer = integer;
    this.edited = edited;
    this.pooled = pooled;
  }

  /**
   * A string holding a copy of `bytes` (argument buffers may be views into a socket
   * chunk and must not be kept). Integer-looking values become int-encoded.
   */
  static fromBytes(bytes: Buffer): RedisString {
    if (bytes.length <= MAX_INT_STRING && bytes.length > 0) {
      const parsed = parseCanonicalInteger(bytes);
      if (parsed !== null) return new RedisString(null, parsed, false, false);
    }
    return new RedisString(Buffer.from(bytes), 0, false, copyIsPooled(bytes.length));
  }

  /** An int-encoded string. `value` must be within the signed 64-bit range. */
  static fromInteger(value: number | bigint): RedisString {
    if (typeof value === "bigint" && value >= -9007199254740991n && value <= 9007199254740991n) {
      return new RedisString(null, Number(value), false, false);
    }
    return new RedisString(null, value, false, false);
  }

  /**
   * A string owning `bytes` as is (no copy), never int-encoded: "embstr" or "raw"
   * by length, or "raw" when `edited`. For values Redis creates with
   * createStringObject() rather than from an argument, such as the result of
   * INCRBYFLOAT, which stays "embstr" even when it reads like an integer.
   */
  static fromOwnedBytes(bytes: Buffer, edited: boolean): RedisString {
    return new RedisString(bytes, 0, edited, isPooled(bytes));
  }

  /**
   * An empty "raw" string, the start of a value built by in-place edits
   * (SETRANGE or SETBIT on a missing key).
   */
  static emptyRaw(): RedisString {
    return new RedisString(Buffer.alloc(0), 0, true, false);
  }

  /** OBJECT ENCODING name. */
  get encoding(): StringEncodingName {
    if (this.bytes === null) return "int";
    return this.edited || this.byteLength > EMBSTR_SIZE_LIMIT ? "raw" : "embstr";
  }

  /**
   * Bytes this value holds (see memory-model.ts): the object, plus the storage
   * buffer's capacity (spare room from in-place growth included), or the boxed
   * integer when it is not a small integer. O(1).
   */
  memoryUsage(): number {
    const bytes = this.bytes;
    if (bytes === null) {
      const integer = this.integer;
      if (typeof integer === "bigint") return STRING_OBJECT + 32;
      return integer >= -1073741824 && integer <= 1073741823 ? STRING_OBJECT : STRING_OBJECT + HEAP_NUMBER;
    }
    return STRING_OBJECT + bufferBytes(bytes.length, this.pooled);
  }

  /** True when the value is held as an integer. */
  get isInteger(): boolean {
    return this.bytes === null;
  }

  /** The integer value; only meaningful when isInteger. */
  get integerValue(): number | bigint {
    return this.integer;
  }

  /** Length in bytes (STRLEN). */
  get length(): number {
    return this.bytes === null ? String(this.integer).length : this.byteLength;
  }

  /**
   * The value as bytes. For int-encoded strings this allocates the decimal form.
   * The result is a view that later in-place edits may change: copy it to keep it.
   */
  toBuffer(): Buffer {
    if (this.bytes === null) return Buffer.from(String(this.integer), "latin1");
    return this.byteLength === this.bytes.length ? this.bytes : this.bytes.subarray(0, this.byteLength);
  }

  /**
   * The value as a signed 64-bit integer when its text is one in canonical form
   * (Redis' string2ll: no blanks, no '+', no leading zeros), else null. A number
   * when it is a safe integer, a bigint beyond. INCR and friends read it.
   */
  toInteger(): number | bigint | null {
    if (this.bytes === null) return this.integer;
    return parseCanonicalInteger(this.toBuffer());
  }

  /**
   * Replace the value with an integer, int-encoded (INCR, DECR, INCRBY ...).
   * `value` must be within the signed 64-bit range; bigints that are safe
   * integers are stored as numbers. Drops any byte storage.
   */
  setInteger(value: number | bigint): void {
    this.integer =
      typeof value === "bigint" && value >= -9007199254740991n && value <= 9007199254740991n
        ? Number(value)
        : value;
    this.bytes = null;
    this.byteLength = 0;
    this.edited = false;
    this.pooled = false;
  }

  /** The value as a binary (latin1) JS string. */
  toBinaryString(): string {
    return this.bytes === null ? String(this.integer) : this.bytes.toString("latin1", 0, this.byteLength);
  }

  /** An independent copy (COPY, MOVE within a server, snapshots). */
  clone(): RedisString {
    if (this.bytes === null) return new RedisString(null, this.integer, false, false);
    return new RedisString(Buffer.from(this.toBuffer()), 0, this.edited, copyIsPooled(this.byteLength));
  }

  // ---------------------------------------------------------------- in-place edits

  /**
   * Make the value raw bytes of at least `minLength` bytes (zero-padded) with
   * storage that may be written in place, and return that storage, limited to
   * the value's length. Used by SETRANGE, SETBIT, BITFIELD. Marks the string raw.
   */
  writableBytes(minLength: number): Buffer {
    this.materialize();
    this.reserve(minLength);
    if (minLength > this.byteLength) {
      this.bytes!.fill(0, this.byteLength, minLength);
      this.byteLength = minLength;
    }
    this.edited = true;
    return this.bytes!.subarray(0, this.byteLength);
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
    this.materialize();
    this.byteLength = length;
    this.edited = true;
    return this.bytes!.subarray(0, length);
  }

  /**
   * Replace the value with `bytes`, owned as is (no copy), as raw bytes. For a
   * value rebuilt whole into a buffer of the exact size (a HyperLogLog turned
   * dense), where growing the old storage would double it for nothing.
   */
  replaceBytes(bytes: Buffer): void {
    this.bytes = bytes;
    this.byteLength = bytes.length;
    this.integer = 0;
    this.edited = true;
  }

  /** APPEND: add `data` at the end; returns the new length. Marks the string raw. */
  append(data: Buffer): number {
    this.materialize();
    this.reserve(this.byteLength + data.length);
    data.copy(this.bytes!, this.byteLength);
    this.byteLength += data.length;
    this.edited = true;
    return this.byteLength;
  }

  /** SETRANGE: write `data` at `offset`, zero-padding any gap; returns the new length. */
  setRange(offset: number, data: Buffer): number {
    const target = this.writableBytes(Math.max(this.length, offset + data.length));
    data.copy(target, offset);
    return this.byteLength;
  }

  /** Turn an int-encoded value into bytes. */
  private materialize(): void {
    if (this.bytes !== null) return;
    const text = Buffer.from(String(this.integer), "latin1");
    this.bytes = text;
    this.byteLength = text.length;
    this.pooled = copyIsPooled(text.length);
  }

  /** Grow the storage (doubling, like sds) to hold at least `capacity` bytes. */
  private reserve(capacity: number): void {
    const bytes = this.bytes!;
    if (bytes.length >= capacity) return;
    const grown = Buffer.alloc(capacity < 1024 * 1024 ? capacity * 2 : capacity + 1024 * 1024);
    bytes.copy(grown, 0, 0, this.byteLength);
    this.bytes = grown;
    this.pooled = false;
  }
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
