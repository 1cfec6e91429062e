/*
 * Safe integers as decimal ASCII, written straight into a byte buffer: how the
 * packed encodings store integer entries and how the RDB reader hands integer
 * list elements to a container, without a JS string per number.
 */

/** Bytes of the decimal form of the safe integer `value`, sign included. */
export function decimalLength(value: number): number {
  let digits = 1;
  for (let rest = value < 0 ? -value : value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return value < 0 ? digits + 1 : digits;
}

/**
 * Write the decimal form of the safe integer `value` into buffer[offset,
 * offset + length), where `length` is decimalLength(value) (the caller sized
 * the room with it). Returns offset + length.
 */
export function writeDecimal(buffer: Uint8Array, offset: number, value: number, length: number): number {
  let rest = value < 0 ? -value : value;
  let p = offset + length;
  do {
    buffer[--p] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  } while (rest > 0);
  if (value < 0) buffer[offset] = 45; /* - */
  return offset + length;
}
