/*
 * Byte strings: packed binary data held in a one-byte (latin1) JS string, one
 * char per byte, as the compact encodings (intset, listpack sorted sets) keep
 * their elements.
 *
 * Why a string and not a typed array or a Buffer: on Node 20 (64-bit, no pointer
 * compression) a flat one-byte string costs a 16-byte header plus its bytes,
 * where a small typed array costs about 200 bytes of objects before its data and
 * a pooled Buffer about 100 (measured with --expose-gc: heap + external growth
 * per object). For values of a few dozen bytes the header is what matters.
 *
 * A string is immutable, so an edit builds the next one: the old bytes are copied
 * into a shared scratch Buffer with a gap opened (or closed) at the edit point,
 * the caller writes the new bytes into the gap, and sealBytes makes a new flat
 * string of the result. That is the memmove Redis does on a listpack or intset,
 * O(n) in the value's size, plus one allocation. The result is always a flat
 * sequential string (Buffer#toString copies), never a cons or sliced string that
 * would keep other strings alive.
 *
 * Reads go through charCodeAt, which the JIT inlines for flat strings. What a byte
 * string costs is memory-model.ts' stringBytes.
 */

/** The shared buffer every edit is assembled in; grown on demand, never shrunk below its start size. */
let scratch = Buffer.allocUnsafeSlow(4096);

/**
 * Node's Buffer carries latin1Write / latin1Slice (undocumented): the native calls
 * write(…, "latin1") and toString("latin1") end in, without their encoding lookup
 * and wrapper calls, which cost about as much as the copy for a small value.
 */
interface Latin1Codec {
  latin1Write(text: string, offset: number, length: number): number;
  latin1Slice(start: number, end: number): string;
}
const HAS_LATIN1_CODEC =
  typeof (Buffer.prototype as unknown as Partial<Latin1Codec>).latin1Write === "function" &&
  typeof (Buffer.prototype as unknown as Partial<Latin1Codec>).latin1Slice === "function";

/** Write `text` (latin1) at `offset` of `buffer`. */
function writeLatin1(buffer: Buffer, text: string, offset: number): void {
  if (HAS_LATIN1_CODEC) (buffer as unknown as Latin1Codec).latin1Write(text, offset, text.length);
  else buffer.write(text, offset, text.length, "latin1");
}

/** A new flat string of `buffer`'s bytes start..end. */
function readLatin1(buffer: Buffer, start: number, end: number): string {
  return HAS_LATIN1_CODEC
    ? (buffer as unknown as Latin1Codec).latin1Slice(start, end)
    : buffer.toString("latin1", start, end);
}

/** A new flat string of `buffer`'s bytes start..end (one char per byte), without Buffer#toString's wrappers. */
export function latin1Of(buffer: Buffer, start: number, end: number): string {
  return readLatin1(buffer, start, end);
}

/** Write `text` (latin1, one char per byte) at `offset` of `buffer`; returns the offset after it. */
export function writeChars(buffer: Buffer, offset: number, text: string): number {
  const length = text.length;
  // Short texts byte by byte: cheaper than the native call's own cost.
  if (length <= 32) {
    for (let i = 0; i < length; i++) buffer[offset + i] = text.charCodeAt(i);
  } else {
    writeLatin1(buffer, text, offset);
  }
  return offset + length;
}

/** The scratch buffer, with room for at least `bytes` bytes. */
function scratchFor(bytes: number): Buffer {
  if (scratch.length < bytes) {
    let size = scratch.length;
    while (size < bytes) size *= 2;
    scratch = Buffer.allocUnsafeSlow(size);
  }
  return scratch;
}

/**
 * Copy `source` into the scratch buffer, replacing its bytes start..start+removed
 * with a gap of `inserted` bytes (uninitialised), and return the buffer. The
 * caller fills the gap and calls sealBytes(source.length - removed + inserted).
 * Nothing else may use the scratch buffer in between.
 */
export function editBytes(source: string, start: number, removed: number, inserted: number): Buffer {
  const length = source.length;
  const buffer = scratchFor(Math.max(length, length - removed + inserted));
  if (length <= 48) {
    // Small values byte by byte, the bytes after the edit point straight to their new place.
    for (let i = 0; i < start; i++) buffer[i] = source.charCodeAt(i);
    const shift = inserted - removed;
    for (let i = start + removed; i < length; i++) buffer[i + shift] = source.charCodeAt(i);
    return buffer;
  }
  writeLatin1(buffer, source, 0);
  if (removed !== inserted && start + removed < length) {
    buffer.copyWithin(start + inserted, start + removed, length);
  }
  return buffer;
}

/**
 * `buffer` when it holds `needed` bytes, otherwise a new buffer of the next
 * doubling of its size that does, with its first `used` bytes copied over: for
 * builders that append into a growable buffer of their own.
 */
export function withRoom(buffer: Buffer, used: number, needed: number): Buffer {
  if (needed <= buffer.length) return buffer;
  let capacity = buffer.length * 2;
  while (capacity < needed) capacity *= 2;
  const grown = Buffer.allocUnsafeSlow(capacity);
  buffer.copy(grown, 0, 0, used);
  return grown;
}

/** The scratch buffer with room for `bytes` bytes, to assemble a byte string from nothing. */
export function freshBytes(bytes: number): Buffer {
  return scratchFor(bytes);
}

/** A new flat byte string of the first `length` bytes of the scratch buffer. */
export function sealBytes(length: number): string {
  return length === 0 ? "" : readLatin1(scratch, 0, length);
}

/**
 * A standalone copy of `source`'s chars start..end. V8 copies substrings shorter
 * than 13 chars; a longer substring would be a view that keeps all of `source`
 * alive, so it is copied through the scratch buffer instead. Members read out of
 * a packed value may end up stored elsewhere (ZUNIONSTORE, a conversion to the
 * large encoding): they must not pin the packed string they came from.
 */
export function copyChars(source: string, start: number, end: number): string {
  if (end - start < 13) return source.substring(start, end);
  const buffer = scratchFor(end - start);
  writeLatin1(buffer, source.substring(start, end), 0);
  return readLatin1(buffer, 0, end - start);
}

/**
 * A new flat string of `bytes`' bytes start..end (latin1: one char per byte), for
 * values a structure keeps as text rather than as a Buffer of their own.
 */
export function charsOf(bytes: Buffer, start: number, end: number): string {
  return end === start ? "" : readLatin1(bytes, start, end);
}

// ------------------------------------------------------------------ numbers in bytes

const numberBytes = new Uint8Array(8);
const float64View = new Float64Array(numberBytes.buffer);
const float32View = new Float32Array(numberBytes.buffer, 0, 1);

/** The little-endian signed 16-bit integer at `offset` of `bytes`. */
export function readInt16(bytes: string, offset: number): number {
  return ((bytes.charCodeAt(offset) | (bytes.charCodeAt(offset + 1) << 8)) << 16) >> 16;
}

/** The little-endian signed 32-bit integer at `offset` of `bytes`. */
export function readInt32(bytes: string, offset: number): number {
  return (
    bytes.charCodeAt(offset) |
    (bytes.charCodeAt(offset + 1) << 8) |
    (bytes.charCodeAt(offset + 2) << 16) |
    (bytes.charCodeAt(offset + 3) << 24)
  );
}

/** Write `value`'s low 16 bits little-endian at `offset` of `buffer`. */
export function writeInt16(buffer: Buffer, offset: number, value: number): void {
  buffer[offset] = value & 0xff;
  buffer[offset + 1] = (value >> 8) & 0xff;
}

/** Write `value`'s low 32 bits little-endian at `offset` of `buffer`. */
export function writeInt32(buffer: Buffer, offset: number, value: number): void {
  buffer[offset] = value & 0xff;
  buffer[offset + 1] = (value >> 8) & 0xff;
  buffer[offset + 2] = (value >> 16) & 0xff;
  buffer[offset + 3] = (value >>> 24) & 0xff;
}

/** The float64 at `offset` of `bytes` (machine byte order: the bytes never leave the process). */
export function readFloat64(bytes: string, offset: number): number {
  for (let i = 0; i < 8; i++) numberBytes[i] = bytes.charCodeAt(offset + i);
  return float64View[0]!;
}

/** The float32 at `offset` of `bytes`, widened to a double. */
export function readFloat32(bytes: string, offset: number): number {
  for (let i = 0; i < 4; i++) numberBytes[i] = bytes.charCodeAt(offset + i);
  return float32View[0]!;
}

/** Write `value` as a float64 at `offset` of `buffer`. */
export function writeFloat64(buffer: Buffer, offset: number, value: number): void {
  float64View[0] = value;
  for (let i = 0; i < 8; i++) buffer[offset + i] = numberBytes[i]!;
}

/** Write `value` (exactly representable as a float32) as a float32 at `offset` of `buffer`. */
export function writeFloat32(buffer: Buffer, offset: number, value: number): void {
  float32View[0] = value;
  for (let i = 0; i < 4; i++) buffer[offset + i] = numberBytes[i]!;
}
