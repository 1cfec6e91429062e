/*
 * String values. A string that is the canonical decimal form of a 64-bit signed
 * integer is stored as a number (OBJECT ENCODING "int"); other strings keep their
 * bytes ("embstr" up to 44 bytes, "raw" beyond, or after in-place edits such as
 * APPEND and SETRANGE, as Redis reports them).
 *
 * Stored bytes are never mutated in place: a reply may still reference them.
 */

const EMBSTR_SIZE_LIMIT = 44;
const MAX_INT_STRING = 20;

/** Encodings OBJECT ENCODING reports for strings. */
export type StringEncodingName = "int" | "embstr" | "raw";

/** A string value. */
export class RedisString {
  readonly type = "string" as const;
  /** Bytes of the value, or null while the value is held as an integer. */
  private bytes: Buffer | null;
  /** Integer value when int-encoded (a safe integer or a bigint beyond 2^53). */
  private integer: number | bigint;
  /** True once the bytes were edited in place (APPEND, SETRANGE): "raw". */
  private edited: boolean;

  private constructor(bytes: Buffer | null, integer: number | bigint, edited: boolean) {
    this.bytes = bytes;
    this.integer = integer;
    this.edited = edited;
  }

  /**
   * A string holding a copy of `bytes` (argument buffers may be views into a socket
   * chunk and must not be kept). Integer-looking values become int-encoded.
   */
  static fromBytes(bytes: Buffer): RedisString {
    if (bytes.length <= MAX_INT_STRING && bytes.length > 0) {
      const parsed = parseCanonicalInteger(bytes);
      if (parsed !== null) return new RedisString(null, parsed, false);
    }
    return new RedisString(Buffer.from(bytes), 0, false);
  }

  /** An int-encoded string. `value` must be within the signed 64-bit range. */
  static fromInteger(value: number | bigint): RedisString {
    if (typeof value === "bigint" && value >= -9007199254740991n && value <= 9007199254740991n) {
      return new RedisString(null, Number(value), false);
    }
    return new RedisString(null, value, false);
  }

  /** A string owning `bytes` as is (no copy), marked raw: for results of APPEND/SETRANGE. */
  static fromOwnedBytes(bytes: Buffer, edited: boolean): RedisString {
    return new RedisString(bytes, 0, edited);
  }

  /** OBJECT ENCODING name. */
  get encoding(): StringEncodingName {
    if (this.bytes === null) return "int";
    return this.edited || this.bytes.length > EMBSTR_SIZE_LIMIT ? "raw" : "embstr";
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
    return this.bytes === null ? String(this.integer).length : this.bytes.length;
  }

  /** The value as bytes. For int-encoded strings this allocates the decimal form. */
  toBuffer(): Buffer {
    return this.bytes ?? Buffer.from(String(this.integer), "latin1");
  }

  /** The value as a binary (latin1) JS string. */
  toBinaryString(): string {
    return this.bytes === null ? String(this.integer) : this.bytes.toString("latin1");
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
