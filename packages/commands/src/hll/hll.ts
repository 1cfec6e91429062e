/*
 * HyperLogLog values, byte for byte as Redis 7.0 lays them out in a string.
 *
 * A HyperLogLog is a plain string value: a 16-byte header ("HYLL", one
 * encoding byte, three unused bytes, and the cached cardinality as 8 bytes
 * little-endian whose top bit marks the cache invalid), followed by 16384
 * six-bit registers (P = 14) in one of two representations:
 *
 * - dense: the registers packed least-significant-bit first, 12288 bytes, so
 *   the whole value is exactly 12304 bytes;
 * - sparse: run-length opcodes, used while they fit hll-sparse-max-bytes and
 *   no register exceeds 32:
 *     ZERO   00xxxxxx            xxxxxx + 1 registers (1..64) set to 0;
 *     XZERO  01xxxxxx yyyyyyyy   the 14-bit length + 1 (1..16384) set to 0;
 *     VAL    1vvvvvxx            xx + 1 registers (1..4) set to vvvvv + 1.
 *
 * An element's register is the low 14 bits of its MurmurHash64A (seed
 * 0xadc83b19); the value stored there is the position of the first set bit in
 * the remaining 50 bits, counting from 1 (51 when all are zero).
 *
 * The sparse edit (sparseSet) reproduces Redis' exact sequence of opcode
 * splits and merges, so the same inserts produce the same bytes as
 * redis-server, and a value written by redis-server is read here unchanged.
 * The cardinality estimate is Redis 7's (Ertl's improved estimator over the
 * register histogram), rounded the same way, so PFCOUNT answers the same
 * number.
 *
 * Functions here work on Buffers and on a small `HllBytes` interface (which
 * @spinel/core-db's RedisString satisfies) so that edits happen in place.
 */

import { hashResult, murmurHash64A } from "./murmur-hash.js";

// ---------------------------------------------------------------- layout constants

/** Number of index bits: 2^14 registers. */
export const HLL_P = 14;
/** Number of registers. */
export const HLL_REGISTERS = 1 << HLL_P;
/** Bits of the hash left to count the run of zeros in. */
const HLL_Q = 64 - HLL_P;
/** Bits per dense register. */
const HLL_BITS = 6;
/** Largest register value. */
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
/** Header size. */
export const HLL_HDR_SIZE = 16;
/** Size of a dense value, header included. */
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * HLL_BITS + 7) / 8);
/** Encoding byte of the dense representation. */
export const HLL_DENSE = 0;
/** Encoding byte of the sparse representation. */
export const HLL_SPARSE = 1;
/** The hash seed Redis uses. */
const HLL_HASH_SEED = 0xadc83b19;

const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;

/** 0.5 / ln(2): the estimator's alpha for an infinite number of registers. */
const HLL_ALPHA_INF = 0.7213475204444817;

/**
 * The storage of a HyperLogLog string, edited in place: @spinel/core-db's
 * RedisString has exactly these methods.
 */
export interface HllBytes {
  /** Current length in bytes. */
  readonly length: number;
  /** The value's bytes (a view that later edits may change). */
  toBuffer(): Buffer;
  /** Set the length (zero-padding growth); returns the storage at the new length. */
  resize(length: number): Buffer;
  /** Replace the whole value with `bytes`, owned as is. */
  replaceBytes(bytes: Buffer): void;
}

// ---------------------------------------------------------------- header

/**
 * Redis' isHLLObjectOrReply test on the bytes of a string: long enough for
 * the header, magic "HYLL", a known encoding, and a dense value of exactly
 * the dense size. (An int-encoded string fails before this is asked.)
 */
export function isValidHllHeader(bytes: Buffer): boolean {
  if (bytes.length < HLL_HDR_SIZE) return false;
  if (bytes[0] !== 72 || bytes[1] !== 89 || bytes[2] !== 76 || bytes[3] !== 76) return false; // "HYLL"
  const encoding = bytes[4]!;
  if (encoding > HLL_SPARSE) return false;
  return encoding !== HLL_DENSE || bytes.length === HLL_DENSE_SIZE;
}

/**
 * A new, empty HyperLogLog (Redis' createHLLObject): sparse, one XZERO opcode
 * covering all 16384 registers, cached cardinality 0 (valid). 18 bytes.
 */
export function createHll(): Buffer {
  const opcodes = Math.ceil(HLL_REGISTERS / SPARSE_XZERO_MAX_LEN);
  const bytes = Buffer.alloc(HLL_HDR_SIZE + opcodes * 2);
  bytes.write("HYLL", 0, "latin1");
  bytes[4] = HLL_SPARSE;
  let at = HLL_HDR_SIZE;
  let remaining = HLL_REGISTERS;
  while (remaining > 0) {
    const run = Math.min(remaining, SPARSE_XZERO_MAX_LEN);
    bytes[at] = 0x40 | ((run - 1) >> 8);
    bytes[at + 1] = (run - 1) & 0xff;
    at += 2;
    remaining -= run;
  }
  return bytes;
}

/** True when the header's cached cardinality may be used (top bit of its last byte clear). */
export function hasValidCache(bytes: Buffer): boolean {
  return (bytes[15]! & 0x80) === 0;
}

/** Mark the cached cardinality stale (after any register changed). */
export function invalidateCache(bytes: Buffer): void {
  bytes[15] = bytes[15]! | 0x80;
}

/**
 * The cached cardinality as PFCOUNT replies it: the 8 header bytes read as a
 * signed 64-bit integer (a number while safe, else a bigint).
 */
export function readCachedCardinality(bytes: Buffer): number | bigint {
  const high = bytes.readInt32LE(12);
  const low = bytes.readUInt32LE(8);
  if (high >= -0x200000 && high < 0x200000) return high * 4294967296 + low;
  return (BigInt(high) << 32n) | BigInt(low);
}

/**
 * Store `cardinality` (an estimate, possibly Redis' overflow value -2^63) in
 * the header as 64-bit two's complement. -2^63 sets the top bit, which is the
 * stale mark: such a value is recomputed every time, as in Redis.
 */
export function writeCachedCardinality(bytes: Buffer, cardinality: number): void {
  if (cardinality < 0) {
    bytes.writeUInt32LE(0, 8);
    bytes.writeUInt32LE(0x80000000, 12);
    return;
  }
  bytes.writeUInt32LE(cardinality % 4294967296, 8);
  bytes.writeUInt32LE(Math.floor(cardinality / 4294967296), 12);
}

/** An estimate as a reply integer: a number while safe, else the exact bigint. */
export function cardinalityReply(cardinality: number): number | bigint {
  return Number.isSafeInteger(cardinality) ? cardinality : BigInt(cardinality);
}

// ---------------------------------------------------------------- hashing

/** Register index of the last hashElement() call. */
let elementIndex = 0;

/**
 * Redis' hllPatLen: hash `element`, leave its register index in `elementIndex`
 * (read with lastElementIndex) and return the register value it proposes
 * (1 + the number of trailing zeros of the remaining 50 bits, at most 51).
 */
export function hashElement(element: Uint8Array): number {
  murmurHash64A(element, 0, element.length, HLL_HASH_SEED);
  const lo = hashResult.lo;
  const hi = hashResult.hi;
  elementIndex = lo & (HLL_REGISTERS - 1);
  const low = lo >>> HLL_P; // 18 bits of the remaining 50
  if (low !== 0) return 31 - Math.clz32(low & -low) + 1;
  if (hi !== 0) return 32 - HLL_P + (31 - Math.clz32(hi & -hi)) + 1;
  return HLL_Q + 1;
}

/** The register index of the element last passed to hashElement(). */
export function lastElementIndex(): number {
  return elementIndex;
}

// ---------------------------------------------------------------- dense registers

/** Register `index` of the dense registers starting at `offset` of `bytes`. */
export function denseGet(bytes: Uint8Array, offset: number, index: number): number {
  const bit = index * HLL_BITS;
  const byte = offset + (bit >> 3);
  const shift = bit & 7;
  const next = index === HLL_REGISTERS - 1 ? 0 : bytes[byte + 1]!;
  return ((bytes[byte]! >> shift) | (next << (8 - shift))) & HLL_REGISTER_MAX;
}

/** Set register `index` of the dense registers starting at `offset` to `value`. */
function denseWrite(bytes: Uint8Array, offset: number, index: number, value: number): void {
  const bit = index * HLL_BITS;
  const byte = offset + (bit >> 3);
  const shift = bit & 7;
  bytes[byte] = (bytes[byte]! & ~(HLL_REGISTER_MAX << shift)) | ((value << shift) & 0xff);
  if (index !== HLL_REGISTERS - 1) {
    // (The last register ends inside its byte: Redis' write past it changes nothing.)
    const high = 8 - shift;
    bytes[byte + 1] = (bytes[byte + 1]! & ~(HLL_REGISTER_MAX >> high)) | (value >> high);
  }
}

/**
 * Redis' hllDenseSet: raise register `index` of a dense value to `count` when
 * it is lower. Returns 1 when the register changed, 0 otherwise.
 */
export function denseSet(bytes: Buffer, index: number, count: number): number {
  if (count <= denseGet(bytes, HLL_HDR_SIZE, index)) return 0;
  denseWrite(bytes, HLL_HDR_SIZE, index, count);
  return 1;
}

// ---------------------------------------------------------------- sparse opcodes

function isZero(op: number): boolean {
  return (op & 0xc0) === 0;
}
function isXZero(op: number): boolean {
  return (op & 0xc0) === 0x40;
}
function zeroLength(op: number): number {
  return (op & 0x3f) + 1;
}
function xzeroLength(op: number, next: number): number {
  return (((op & 0x3f) << 8) | next) + 1;
}
function valValue(op: number): number {
  return ((op >> 2) & 0x1f) + 1;
}
function valLength(op: number): number {
  return (op & 0x3) + 1;
}
function valOpcode(value: number, length: number): number {
  return 0x80 | ((value - 1) << 2) | (length - 1);
}

/** Scratch for the up to five opcode bytes that replace one opcode. */
const sequence = new Uint8Array(5);

/** Append a ZERO or XZERO run of `length` to `sequence` at `at`; returns the new end. */
function writeZeroRun(at: number, length: number): number {
  if (length > SPARSE_ZERO_MAX_LEN) {
    sequence[at] = 0x40 | ((length - 1) >> 8);
    sequence[at + 1] = (length - 1) & 0xff;
    return at + 2;
  }
  sequence[at] = length - 1;
  return at + 1;
}

// ---------------------------------------------------------------- sparse -> dense

/**
 * Registers of a sparse value decoded into `target` (one byte per register),
 * taking the maximum with what `target` holds when `max` is set, else writing
 * into a zeroed target. Returns false when the opcodes do not cover exactly
 * 16384 registers (a corrupted value), as Redis 7.0's hllMerge /
 * hllSparseToDense detect it: a VAL run that would pass the end fails at once.
 */
export function sparseRegisters(bytes: Buffer, target: Uint8Array): boolean {
  const end = bytes.length;
  let p = HLL_HDR_SIZE;
  let index = 0;
  while (p < end) {
    const op = bytes[p]!;
    if (isZero(op)) {
      index += zeroLength(op);
      p++;
    } else if (isXZero(op)) {
      index += xzeroLength(op, p + 1 < end ? bytes[p + 1]! : 0);
      p += 2;
    } else {
      let run = valLength(op);
      const value = valValue(op);
      if (run + index > HLL_REGISTERS) return false;
      while (run-- > 0) {
        if (value > target[index]!) target[index] = value;
        index++;
      }
      p++;
    }
  }
  return index === HLL_REGISTERS;
}

/** Scratch registers of the sparse -> dense conversion. */
const scratchRegisters = new Uint8Array(HLL_REGISTERS);

/**
 * Redis' hllSparseToDense: turn the sparse value held by `store` into a dense
 * one (header copied, cached cardinality included). A dense value is left
 * alone. Returns false (value unchanged) when the sparse opcodes are corrupted.
 */
export function sparseToDense(store: HllBytes): boolean {
  const bytes = store.toBuffer();
  if (bytes[4] === HLL_DENSE) return true;
  scratchRegisters.fill(0);
  if (!sparseRegisters(bytes, scratchRegisters)) return false;
  const dense = Buffer.alloc(HLL_DENSE_SIZE);
  bytes.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const value = scratchRegisters[i]!;
    if (value !== 0) denseWrite(dense, HLL_HDR_SIZE, i, value);
  }
  store.replaceBytes(dense);
  return true;
}

// ---------------------------------------------------------------- sparse edit

/**
 * Redis' hllSparseSet: raise register `index` of the sparse value in `store`
 * to `count` when it is lower, splitting the opcode that covers it into up to
 * three and merging equal neighbouring VAL opcodes, exactly as Redis does so
 * that the bytes match. Promotes the value to dense when `count` exceeds 32
 * or the edit would grow it past `sparseMaxBytes`. Returns 1 when a register
 * changed, 0 when not, -1 when the value is corrupted.
 */
export function sparseSet(store: HllBytes, index: number, count: number, sparseMaxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promoteAndSet(store, index, count);
  let bytes = store.toBuffer();
  let end = bytes.length;
  // Step 1: find the opcode covering `index`.
  let p = HLL_HDR_SIZE;
  let first = 0;
  let previous = -1;
  let span = 0;
  while (p < end) {
    const op = bytes[p]!;
    let opLength = 1;
    if (isZero(op)) span = zeroLength(op);
    else if (isXZero(op)) {
      span = xzeroLength(op, p + 1 < end ? bytes[p + 1]! : 0);
      opLength = 2;
    } else span = valLength(op);
    if (index <= first + span - 1) break;
    previous = p;
    p += opLength;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = bytes[p]!;
  const zero = isZero(op);
  const xzero = isXZero(op);
  const next = xzero ? p + 2 : p + 1;
  const hasNext = next < end;

  // Step 2: the cheap cases, edited in place.
  let inPlace = false;
  if (!zero && !xzero) {
    const old = valValue(op);
    if (old >= count) return 0;
    if (span === 1) inPlace = true;
  } else if (zero && span === 1) {
    inPlace = true;
  }
  if (inPlace) {
    bytes[p] = valOpcode(count, 1);
  } else {
    // Step 3: the general case, the opcode split into up to three.
    const last = first + span - 1;
    let n = 0;
    if (zero || xzero) {
      if (index !== first) n = writeZeroRun(n, index - first);
      sequence[n++] = valOpcode(count, 1);
      if (index !== last) n = writeZeroRun(n, last - index);
    } else {
      const current = valValue(op);
      if (index !== first) sequence[n++] = valOpcode(current, index - first);
      sequence[n++] = valOpcode(count, 1);
      if (index !== last) sequence[n++] = valOpcode(current, last - index);
    }
    const oldLength = xzero ? 2 : 1;
    const delta = n - oldLength;
    if (delta > 0 && end + delta > sparseMaxBytes) return promoteAndSet(store, index, count);
    if (delta > 0) {
      bytes = store.resize(end + delta);
      if (hasNext) bytes.copy(bytes, next + delta, next, end);
    } else if (delta < 0) {
      if (hasNext) bytes.copy(bytes, next + delta, next, end);
      bytes = store.resize(end + delta);
    }
    end += delta;
    for (let i = 0; i < n; i++) bytes[p + i] = sequence[i]!;
  }

  // Step 4: merge equal adjacent VAL opcodes, scanning up to five opcodes from the previous one.
  p = previous === -1 ? HLL_HDR_SIZE : previous;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const current = bytes[p]!;
    if (isXZero(current)) {
      p += 2;
      continue;
    }
    if (isZero(current)) {
      p++;
      continue;
    }
    if (p + 1 < end) {
      const following = bytes[p + 1]!;
      if (!isZero(following) && !isXZero(following) && valValue(current) === valValue(following)) {
        const length = valLength(current) + valLength(following);
        if (length <= SPARSE_VAL_MAX_LEN) {
          bytes[p + 1] = valOpcode(valValue(current), length);
          bytes.copy(bytes, p, p + 1, end);
          end--;
          bytes = store.resize(end);
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(bytes);
  return 1;
}

/** The promotion path of sparseSet: convert to dense, then set the register there. */
function promoteAndSet(store: HllBytes, index: number, count: number): number {
  if (!sparseToDense(store)) return -1;
  return denseSet(store.toBuffer(), index, count);
}

/**
 * Redis' hllAdd: add `element` to the HyperLogLog in `store` (dense or
 * sparse). Returns 1 when a register changed, 0 when not, -1 when the value
 * is corrupted (or of an unknown encoding).
 */
export function hllAdd(store: HllBytes, element: Uint8Array, sparseMaxBytes: number): number {
  const count = hashElement(element);
  const index = elementIndex;
  const bytes = store.toBuffer();
  const encoding = bytes[4];
  if (encoding === HLL_DENSE) return denseSet(bytes, index, count);
  if (encoding === HLL_SPARSE) return sparseSet(store, index, count, sparseMaxBytes);
  return -1;
}

// ---------------------------------------------------------------- merge

/**
 * Redis' hllMerge: raise each of the 16384 one-byte registers of `max` to the
 * matching register of the HLL `bytes` (dense or sparse, header validated).
 * Returns false when a sparse value is corrupted.
 */
export function mergeInto(max: Uint8Array, bytes: Buffer): boolean {
  if (bytes[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = denseGet(bytes, HLL_HDR_SIZE, i);
      if (value > max[i]!) max[i] = value;
    }
    return true;
  }
  return sparseRegisters(bytes, max);
}

// ---------------------------------------------------------------- counting

/** Register histogram scratch (64 slots, as Redis sizes it, so any 6-bit value fits). */
const histogram = new Int32Array(64);

/**
 * The cardinality estimate of the HLL `bytes` (Redis' hllCount), or null
 * when a sparse value's opcodes do not cover exactly 16384 registers. The
 * estimate is -2^63 when it overflows 64 bits (registers forged near 63).
 */
export function hllCount(bytes: Buffer): number | null {
  histogram.fill(0);
  if (bytes[4] === HLL_DENSE) {
    // Four 6-bit registers per three bytes.
    for (let p = HLL_HDR_SIZE; p < HLL_DENSE_SIZE; p += 3) {
      const b0 = bytes[p]!;
      const b1 = bytes[p + 1]!;
      const b2 = bytes[p + 2]!;
      histogram[b0 & 63]!++;
      histogram[((b0 >> 6) | (b1 << 2)) & 63]!++;
      histogram[((b1 >> 4) | (b2 << 4)) & 63]!++;
      histogram[b2 >> 2]!++;
    }
  } else {
    const end = bytes.length;
    let p = HLL_HDR_SIZE;
    let index = 0;
    while (p < end) {
      const op = bytes[p]!;
      if (isZero(op)) {
        const run = zeroLength(op);
        index += run;
        histogram[0]! += run;
        p++;
      } else if (isXZero(op)) {
        const run = xzeroLength(op, p + 1 < end ? bytes[p + 1]! : 0);
        index += run;
        histogram[0]! += run;
        p += 2;
      } else {
        const run = valLength(op);
        index += run;
        histogram[valValue(op)]! += run;
        p++;
      }
    }
    if (index !== HLL_REGISTERS) return null;
  }
  return estimate();
}

/** The cardinality estimate of 16384 one-byte registers (PFCOUNT of several keys). */
export function countRegisters(registers: Uint8Array): number {
  histogram.fill(0);
  for (let i = 0; i < HLL_REGISTERS; i++) histogram[registers[i]!]!++;
  return estimate();
}

/**
 * Ertl's improved estimator ("New cardinality estimation algorithms for
 * HyperLogLog sketches", 2017) over `histogram`, computed in the order Redis
 * 7 computes it so that the double arithmetic rounds identically.
 */
function estimate(): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histogram[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += histogram[j]!;
    z *= 0.5;
  }
  z += m * sigma(histogram[0]! / m);
  const rounded = Math.round((HLL_ALPHA_INF * m * m) / z);
  // llroundl of a value beyond the signed 64-bit range yields LLONG_MIN, which Redis replies as is.
  return rounded >= 2 ** 63 ? -(2 ** 63) : rounded;
}

/** The estimator's sigma function (series until it stops changing). */
function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous !== z);
  return z;
}

/** The estimator's tau function (series until it stops changing). */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (previous !== z);
  return z / 3;
}

// ---------------------------------------------------------------- inspection

/**
 * PFDEBUG DECODE's text of a sparse value: "z:<len>", "Z:<len>" and
 * "v:<value>,<len>" per opcode, separated by spaces.
 */
export function decodeSparse(bytes: Buffer): string {
  const parts: string[] = [];
  const end = bytes.length;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = bytes[p]!;
    if (isZero(op)) {
      parts.push(`z:${zeroLength(op)}`);
      p++;
    } else if (isXZero(op)) {
      parts.push(`Z:${xzeroLength(op, p + 1 < end ? bytes[p + 1]! : 0)}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLength(op)}`);
      p++;
    }
  }
  return parts.join(" ");
}
