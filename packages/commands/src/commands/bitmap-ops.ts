/*
 * Bit arithmetic over string bytes, as Redis' bitops.c does it: population
 * counts, the search for the first set or clear bit, and the integer fields of
 * BITFIELD with their overflow rules.
 *
 * Bits are numbered from the most significant bit of the first byte: bit 0 is
 * 0x80 of byte 0, bit 7 is 0x01 of byte 0, bit 8 is 0x80 of byte 1. Bytes past
 * the end of a string read as zero.
 *
 * BITFIELD values are 64-bit integers, so they are BigInts here, and the
 * overflow checks reproduce Redis' C arithmetic exactly, including the places
 * where an intermediate int64 wraps around (see checkSignedOverflow).
 */

// ---------------------------------------------------------------- population count

/** Set bits of each byte value. */
const BITS_IN_BYTE = new Uint8Array(256);
for (let i = 1; i < 256; i++) BITS_IN_BYTE[i] = (i & 1) + BITS_IN_BYTE[i >> 1]!;

/** Set bits of a 32-bit word (SWAR: pairs, nibbles, bytes, then one multiply). */
function wordPopcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Number of set bits in bytes[start, end) (Redis' redisPopcount). Whole 32-bit
 * words are counted at once through an Int32Array view (int32 elements stay
 * small integers for the JIT, where uint32 ones above 2^31 would not); the
 * ragged edges go through a byte table. Byte order does not matter to a count.
 */
export function popcount(bytes: Buffer, start: number, end: number): number {
  let count = 0;
  let i = start;
  // Bytes up to the first 4-byte aligned address.
  while (i < end && (bytes.byteOffset + i) % 4 !== 0) count += BITS_IN_BYTE[bytes[i++]!]!;
  const words = Math.floor((end - i) / 4);
  if (words > 0) {
    const view = new Int32Array(bytes.buffer, bytes.byteOffset + i, words);
    let w = 0;
    for (; w + 4 <= words; w += 4) {
      count +=
        wordPopcount(view[w]!) +
        wordPopcount(view[w + 1]!) +
        wordPopcount(view[w + 2]!) +
        wordPopcount(view[w + 3]!);
    }
    for (; w < words; w++) count += wordPopcount(view[w]!);
    i += words * 4;
  }
  while (i < end) count += BITS_IN_BYTE[bytes[i++]!]!;
  return count;
}

/**
 * Number of set bits between bit positions firstBit and lastBit inclusive
 * (0 <= firstBit <= lastBit < 8 * bytes.length).
 */
export function countBitsInRange(bytes: Buffer, firstBit: number, lastBit: number): number {
  const firstByte = Math.floor(firstBit / 8);
  const lastByte = Math.floor(lastBit / 8);
  let count = popcount(bytes, firstByte, lastByte + 1);
  // Take away the bits of the edge bytes that lie outside the range.
  const headBits = firstBit % 8; // leading bits of firstByte not in range
  if (headBits !== 0) count -= BITS_IN_BYTE[bytes[firstByte]! & (0xff << (8 - headBits)) & 0xff]!;
  const tailBits = 7 - (lastBit % 8); // trailing bits of lastByte not in range
  if (tailBits !== 0) count -= BITS_IN_BYTE[bytes[lastByte]! & ((1 << tailBits) - 1)]!;
  return count;
}

// ---------------------------------------------------------------- bit search

/**
 * Position of the first bit equal to `bit` (0 or 1) between bit positions
 * firstBit and lastBit inclusive, or -1 when there is none. Partial bytes at
 * the edges are looked at bit by bit; the whole bytes between them are
 * skipped a 32-bit word at a time while they hold no wanted bit.
 */
export function findBitInRange(bytes: Buffer, firstBit: number, lastBit: number, bit: number): number {
  const firstByte = Math.floor(firstBit / 8);
  const lastByte = Math.floor(lastBit / 8);
  let index = firstByte;
  if (firstBit % 8 !== 0 || firstByte === lastByte) {
    const to = firstByte === lastByte ? lastBit % 8 : 7;
    const found = bitInByte(bytes[firstByte]!, firstBit % 8, to, bit);
    if (found !== -1) return firstByte * 8 + found;
    if (firstByte === lastByte) return -1;
    index++;
  }
  const wholeEnd = lastBit % 8 === 7 ? lastByte + 1 : lastByte;
  index = skipBytes(bytes, index, wholeEnd, bit === 1 ? 0 : 0xff);
  if (index < wholeEnd) return index * 8 + bitInByte(bytes[index]!, 0, 7, bit);
  if (wholeEnd === lastByte) {
    const found = bitInByte(bytes[lastByte]!, 0, lastBit % 8, bit);
    if (found !== -1) return lastByte * 8 + found;
  }
  return -1;
}

/** First bit index in from..to (0 = most significant) of `byte` equal to `bit`, or -1. */
function bitInByte(byte: number, from: number, to: number, bit: number): number {
  const wanted = bit === 1 ? byte : ~byte & 0xff;
  for (let b = from; b <= to; b++) if ((wanted & (0x80 >> b)) !== 0) return b;
  return -1;
}

/** Long runs of 0x00 / 0xff are skipped by comparing chunks of this size with a constant run. */
const SKIP_CHUNK = 4096;
const ZERO_RUN = Buffer.alloc(SKIP_CHUNK, 0x00);
const ONE_RUN = Buffer.alloc(SKIP_CHUNK, 0xff);

/**
 * Index of the first byte in [start, end) that is not `skip` (0x00 or 0xff),
 * or `end`. Whole chunks are compared natively (Buffer.compare is a memcmp),
 * the chunk that differs a 32-bit word at a time, the rest byte by byte.
 */
function skipBytes(bytes: Buffer, start: number, end: number, skip: number): number {
  let i = start;
  const run = skip === 0 ? ZERO_RUN : ONE_RUN;
  while (end - i >= SKIP_CHUNK && bytes.compare(run, 0, SKIP_CHUNK, i, i + SKIP_CHUNK) === 0) i += SKIP_CHUNK;
  while (i < end && (bytes.byteOffset + i) % 4 !== 0) {
    if (bytes[i] !== skip) return i;
    i++;
  }
  const words = Math.floor((end - i) / 4);
  if (words > 0) {
    const view = new Int32Array(bytes.buffer, bytes.byteOffset + i, words);
    const skipWord = skip === 0 ? 0 : -1;
    let w = 0;
    while (w < words && view[w] === skipWord) w++;
    i += w * 4;
  }
  while (i < end && bytes[i] === skip) i++;
  return i;
}

// ---------------------------------------------------------------- BITFIELD integers

const U64_MASK = (1n << 64n) - 1n;

/**
 * The unsigned integer stored in `bits` bits (1..64) from bit `offset`, most
 * significant bit first (Redis' getUnsignedBitfield). Bytes past the end are 0.
 */
export function readUnsignedField(bytes: Buffer, offset: number, bits: number): bigint {
  const firstByte = Math.floor(offset / 8);
  const lastByte = Math.floor((offset + bits - 1) / 8);
  let window = 0n;
  for (let index = firstByte; index <= lastByte; index++) {
    const byte = index < bytes.length ? bytes[index]! : 0;
    window = (window << 8n) | BigInt(byte);
  }
  const trailing = BigInt((lastByte + 1) * 8 - (offset + bits));
  return (window >> trailing) & ((1n << BigInt(bits)) - 1n);
}

/** The two's complement integer stored in `bits` bits from bit `offset` (getSignedBitfield). */
export function readSignedField(bytes: Buffer, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, readUnsignedField(bytes, offset, bits));
}

/**
 * Store the low `bits` bits of `value` (two's complement for negatives) at bit
 * `offset`, most significant first (setUnsignedBitfield). The bytes must
 * already cover the field.
 */
export function writeField(bytes: Buffer, offset: number, bits: number, value: bigint): void {
  const firstByte = Math.floor(offset / 8);
  const lastByte = Math.floor((offset + bits - 1) / 8);
  let window = 0n;
  for (let index = firstByte; index <= lastByte; index++) window = (window << 8n) | BigInt(bytes[index]!);
  const trailing = BigInt((lastByte + 1) * 8 - (offset + bits));
  const fieldMask = ((1n << BigInt(bits)) - 1n) << trailing;
  window = (window & ~fieldMask) | ((BigInt.asUintN(64, value) << trailing) & fieldMask);
  for (let index = lastByte; index >= firstByte; index--) {
    bytes[index] = Number(window & 0xffn);
    window >>= 8n;
  }
}

/** BITFIELD's OVERFLOW behaviours. */
export enum OverflowMode {
  Wrap = 0,
  Sat = 1,
  Fail = 2,
}

/**
 * The outcome of an overflow check: `direction` is 1 (overflow), -1
 * (underflow) or 0 (fits); for WRAP and SAT, `limit` (BigInt checks) or
 * `smallLimit` (checkSmallOverflow) is the value to store instead. One
 * instance is reused by the caller.
 */
export class OverflowCheck {
  direction = 0;
  limit = 0n;
  smallLimit = 0;
}

/** C's `(int64_t)x` of an exact integer. */
const toInt64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/**
 * Redis' checkUnsignedBitfieldOverflow for a `bits`-bit unsigned field
 * (bits <= 63): would `value + increment` leave [0, 2^bits - 1]? `value` is
 * the uint64 being stored (a SET of a negative number arrives as a huge
 * uint64, so SAT clamps it to the maximum, as Redis does).
 */
export function checkUnsignedOverflow(
  value: bigint,
  increment: bigint,
  bits: number,
  mode: OverflowMode,
  out: OverflowCheck,
): void {
  const max = bits === 64 ? U64_MASK : (1n << BigInt(bits)) - 1n;
  const maxIncrement = toInt64(max - value);
  const minIncrement = toInt64(-value);
  if (value > max || (increment > 0n && increment > maxIncrement)) {
    out.direction = 1;
    out.limit = mode === OverflowMode.Sat ? max : wrapUnsigned(value, increment, bits);
  } else if (increment < 0n && increment < minIncrement) {
    out.direction = -1;
    out.limit = mode === OverflowMode.Sat ? 0n : wrapUnsigned(value, increment, bits);
  } else {
    out.direction = 0;
  }
}

function wrapUnsigned(value: bigint, increment: bigint, bits: number): bigint {
  return BigInt.asUintN(64, value + increment) & ((1n << BigInt(bits)) - 1n);
}

/**
 * Redis' checkSignedBitfieldOverflow for a `bits`-bit signed field (bits <=
 * 64). The C code computes `max - value` and `min - value` in 64 bits, which
 * wrap for SET values far outside the field; the comparisons then follow the
 * wrapped numbers, so e.g. SAT stores 127 for `SET i8 0 -9223372036854775808`.
 * That is kept here on purpose.
 */
export function checkSignedOverflow(
  value: bigint,
  increment: bigint,
  bits: number,
  mode: OverflowMode,
  out: OverflowCheck,
): void {
  const max = bits === 64 ? 9223372036854775807n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncrement = toInt64(max - value);
  const minIncrement = toInt64(min - value);
  const full = bits === 64;
  if (
    value > max ||
    (!full && increment > maxIncrement) ||
    (value >= 0n && increment > 0n && increment > maxIncrement)
  ) {
    out.direction = 1;
    out.limit = mode === OverflowMode.Sat ? max : wrapSigned(value, increment, bits);
  } else if (
    value < min ||
    (!full && increment < minIncrement) ||
    (value < 0n && increment < 0n && increment < minIncrement)
  ) {
    out.direction = -1;
    out.limit = mode === OverflowMode.Sat ? min : wrapSigned(value, increment, bits);
  } else {
    out.direction = 0;
  }
}

/** The sum as the field keeps it: the low `bits` bits, sign-extended. */
function wrapSigned(value: bigint, increment: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, value + increment);
}

// ---------------------------------------------------------------- small fields in plain numbers

/** Widest field the number path handles: its window of up to 5 bytes stays exact in a double. */
export const SMALL_FIELD_BITS = 32;

/**
 * readUnsignedField() for fields of at most SMALL_FIELD_BITS bits, in plain
 * numbers (no BigInt): BITFIELD's common case.
 */
export function readSmallField(bytes: Buffer, offset: number, bits: number, signed: boolean): number {
  const firstByte = Math.floor(offset / 8);
  const lastByte = Math.floor((offset + bits - 1) / 8);
  let window = 0;
  for (let index = firstByte; index <= lastByte; index++) {
    window = window * 256 + (index < bytes.length ? bytes[index]! : 0);
  }
  const scale = 2 ** ((lastByte + 1) * 8 - (offset + bits));
  const range = 2 ** bits;
  const value = Math.floor(window / scale) % range;
  return signed && value >= range / 2 ? value - range : value;
}

/**
 * writeField() for fields of at most SMALL_FIELD_BITS bits: store `value`
 * (any integer; its low `bits` bits, two's complement for negatives).
 */
export function writeSmallField(bytes: Buffer, offset: number, bits: number, value: number): void {
  const firstByte = Math.floor(offset / 8);
  const lastByte = Math.floor((offset + bits - 1) / 8);
  let window = 0;
  for (let index = firstByte; index <= lastByte; index++) window = window * 256 + bytes[index]!;
  const scale = 2 ** ((lastByte + 1) * 8 - (offset + bits));
  const range = 2 ** bits;
  const old = Math.floor(window / scale) % range;
  const stored = ((value % range) + range) % range;
  window += (stored - old) * scale;
  for (let index = lastByte; index >= firstByte; index--) {
    bytes[index] = window % 256;
    window = Math.floor(window / 256);
  }
}

/**
 * Redis' overflow rules in plain numbers, for fields of at most
 * SMALL_FIELD_BITS bits and values and increments below 2^52 in magnitude
 * (BITFIELD uses it for arguments of up to 15 digits). There Redis' 64-bit
 * intermediate results never wrap, so the rules reduce to comparing value +
 * increment with the field's range, except for a negative SET value into an
 * unsigned field, which C sees as a huge uint64: an overflow upwards. Fills `out` like the BigInt checks; the limit
 * is in `smallLimit`.
 */
export function checkSmallOverflow(
  value: number,
  increment: number,
  bits: number,
  signed: boolean,
  mode: OverflowMode,
  out: OverflowCheck,
): void {
  const range = 2 ** bits;
  const max = signed ? range / 2 - 1 : range - 1;
  const min = signed ? -range / 2 : 0;
  const sum = value + increment;
  let direction = 0;
  if (!signed && value < 0) direction = 1;
  else if (sum > max) direction = 1;
  else if (sum < min) direction = -1;
  out.direction = direction;
  if (direction === 0) return;
  if (mode === OverflowMode.Sat) {
    out.smallLimit = direction > 0 ? max : min;
    return;
  }
  const low = ((sum % range) + range) % range;
  out.smallLimit = signed && low > max ? low - range : low;
}
