/*
 * Bytes to a binary (latin1) JS string, one char per byte: how keys, members and
 * embstr values are held.
 *
 * HOT PATH. Every command with a key converts it. Node's Buffer#latin1Slice (what
 * toString("latin1") ends in) is a call into C++ that costs 100-150 ns whatever the
 * length, several times the copy of a key of a few dozen bytes. String.fromCharCode
 * with the bytes as separate arguments is a builtin the JIT calls directly and
 * makes a flat one-byte string in one allocation, two to four times faster for
 * short inputs (measured on Node 20). Longer inputs keep the native call, whose
 * fixed cost no longer matters there.
 */

/** Node's Buffer carries latin1Slice (undocumented): the native call toString("latin1") ends in. */
interface Latin1Decoder {
  latin1Slice(start: number, end: number): string;
}

/** Whether the runtime's Buffer has latin1Slice; without it (another runtime) toString is used. */
const HAS_LATIN1_SLICE =
  typeof (Buffer.prototype as unknown as Partial<Latin1Decoder>).latin1Slice === "function";

/** Inputs up to this many bytes are decoded by String.fromCharCode. */
export const SHORT_LATIN1_MAX = 16;

const fromCodes = String.fromCharCode;

/**
 * bytes[start, end) as a flat latin1 string, one char per byte. The caller
 * guarantees 0 <= start <= end <= bytes.length. The result never shares memory
 * with `bytes` (keys may come from views of a socket chunk).
 */
export function latin1String(bytes: Uint8Array, start: number, end: number): string {
  const b = bytes;
  const s = start;
  // biome-ignore format: one line per length is easier to check than one line per byte
  switch (end - start) {
    case 0: return "";
    case 1: return fromCodes(b[s]!);
    case 2: return fromCodes(b[s]!, b[s + 1]!);
    case 3: return fromCodes(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4: return fromCodes(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5: return fromCodes(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6: return fromCodes(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7: return fromCodes(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8: return fromCodes(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9: return fromCodes(
      b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!,
      b[s + 8]!);
    case 10: return fromCodes(
      b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!,
      b[s + 8]!, b[s + 9]!);
    case 11: return fromCodes(
      b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!,
      b[s + 8]!, b[s + 9]!, b[s + 10]!);
    case 12: return fromCodes(
      b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!,
      b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!);
    case 13: return fromCodes(
      b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!,
      b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!);
    case 14: return fromCodes(
      b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!,
      b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!);
    case 15: return fromCodes(
      b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!,
      b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!);
    case 16: return fromCodes(
      b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!,
      b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!);
  }
  const buffer = b as Buffer;
  return HAS_LATIN1_SLICE
    ? (buffer as unknown as Latin1Decoder).latin1Slice(start, end)
    : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.length).toString("latin1", start, end);
}

/** The whole of `bytes` as a latin1 string (latin1String over its full range). */
export function latin1Of(bytes: Uint8Array): string {
  return latin1String(bytes, 0, bytes.length);
}
