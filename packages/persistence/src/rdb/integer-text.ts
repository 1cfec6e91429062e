/*
 * Recognising the canonical decimal form of a 64-bit integer inside a byte
 * range, without a Buffer view of the range: the encoders and the loader ask
 * this for every short string, field and element they pass.
 */

import { parseCanonicalInteger } from "@spinel/core-db";

/** Digits (sign excluded) read directly; longer forms go through core-db's parser. */
const DIRECT_DIGITS = 15;

/**
 * The integer whose canonical decimal form (no sign on zero, no leading zeros,
 * no spaces) is bytes[start, end), or null when it is not one or is outside the
 * signed 64-bit range. Numbers up to 15 digits are read here; longer ones are
 * handed to parseCanonicalInteger (a bigint beyond 2^53).
 */
export function canonicalIntegerInRange(
  bytes: Uint8Array,
  start: number,
  end: number,
): number | bigint | null {
  const length = end - start;
  if (length <= 0 || length > 20) return null;
  const negative = bytes[start] === 45; /* - */
  if (length - (negative ? 1 : 0) > DIRECT_DIGITS) {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset + start, length);
    return parseCanonicalInteger(view);
  }
  if (negative && length === 1) return null;
  let i = negative ? start + 1 : start;
  const first = bytes[i]!;
  if (first === 48 /* 0 */) return length === 1 ? 0 : null; // "0" only; no "-0" or "01"
  if (first < 49 || first > 57) return null;
  let value = 0;
  for (; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}
