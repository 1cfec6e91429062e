/*
 * A growable output buffer the encoders write into: bytes, little-endian
 * integers and latin1 text at the end, and patching of bytes already written
 * (listpack and intset headers carry their total size). take() hands out the
 * bytes and starts over, keeping the storage.
 */

/** Copies up to this many bytes go byte by byte: cheaper than a native call, and no view is made. */
const SHORT_COPY = 48;
/** Texts up to this many chars are copied char by char (see latin1()). */
const SHORT_TEXT = 64;

/** An append-only byte buffer that grows by doubling. */
export class ByteWriter {
  buffer: Buffer;
  length: number;

  constructor(initialCapacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialCapacity);
    this.length = 0;
  }

  /** Make room for `extra` more bytes. */
  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  /**
   * Bytes [start, end) of `source`. A short range is copied byte by byte and a
   * whole source in one set(): neither makes a view (the encoders call this
   * for every key, field and element, so a view each would be most of a
   * save's garbage).
   */
  bytes(source: Uint8Array, start = 0, end = source.length): void {
    const count = end - start;
    this.ensure(count);
    const buffer = this.buffer;
    let at = this.length;
    if (count <= SHORT_COPY) {
      for (let i = start; i < end; i++) buffer[at++] = source[i]!;
    } else {
      buffer.set(start === 0 && end === source.length ? source : source.subarray(start, end), at);
      at += count;
    }
    this.length = at;
  }

  /**
   * The characters of a latin1 string (one byte each). A short string is copied
   * char by char: Buffer#write's encoding lookup and native call cost more than
   * the copy for the keys, fields and members the encoders pass.
   */
  latin1(text: string): void {
    this.latin1Range(text, 0, text.length);
  }

  /** Characters [start, end) of a latin1 string (packed values are read out this way, with no substring). */
  latin1Range(text: string, start: number, end: number): void {
    const count = end - start;
    this.ensure(count);
    const buffer = this.buffer;
    let at = this.length;
    if (count <= SHORT_TEXT) {
      for (let i = start; i < end; i++) buffer[at++] = text.charCodeAt(i);
    } else {
      buffer.write(
        start === 0 && end === text.length ? text : text.substring(start, end),
        at,
        count,
        "latin1",
      );
      at += count;
    }
    this.length = at;
  }

  uint16LE(value: number): void {
    this.ensure(2);
    this.buffer.writeUInt16LE(value, this.length);
    this.length += 2;
  }

  uint32LE(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }

  uint32BE(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32BE(value, this.length);
    this.length += 4;
  }

  /**
   * A signed 64-bit integer, little-endian. A safe-integer number is split into
   * two 32-bit halves (no BigInt made: expiry times are written per key).
   */
  int64LE(value: number | bigint): void {
    this.ensure(8);
    if (typeof value === "number" && Number.isSafeInteger(value)) {
      const high = Math.floor(value / 4294967296);
      this.buffer.writeUInt32LE(value - high * 4294967296, this.length);
      this.buffer.writeInt32LE(high, this.length + 4);
    } else {
      this.buffer.writeBigInt64LE(BigInt(value), this.length);
    }
    this.length += 8;
  }

  /** An unsigned 64-bit integer, big-endian (RDB 64-bit lengths). */
  uint64BE(value: number): void {
    this.ensure(8);
    if (Number.isSafeInteger(value) && value >= 0) {
      const high = Math.floor(value / 4294967296);
      this.buffer.writeUInt32BE(high, this.length);
      this.buffer.writeUInt32BE(value - high * 4294967296, this.length + 4);
    } else {
      this.buffer.writeBigUInt64BE(BigInt(value), this.length);
    }
    this.length += 8;
  }

  doubleLE(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  /** A view of the bytes written so far (valid until the next write or reset). */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** Forget the contents (keeps the storage). */
  reset(): void {
    this.length = 0;
  }
}
