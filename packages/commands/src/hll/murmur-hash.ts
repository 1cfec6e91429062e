/*
 * MurmurHash64A (Austin Appleby's 64-bit hash for 64-bit platforms), the hash
 * HyperLogLog feeds its elements through. Redis seeds it with 0xadc83b19 and
 * reads the 8-byte blocks little-endian on every platform, so the register an
 * element lands in, and therefore the bytes of the HLL, are the same everywhere.
 *
 * JavaScript has no 64-bit integer arithmetic short of BigInt, which allocates;
 * the hash is computed on (high, low) pairs of unsigned 32-bit words instead,
 * with the 64-bit multiplication by the constant assembled from 16-bit limbs,
 * integer arithmetic only.
 * This module is on the PFADD hot path: no allocation, results in module slots.
 */

/** The multiplier m = 0xc6a4a7935bd1e995, as four 16-bit limbs (most significant first). */
const M48 = 0xc6a4;
const M32 = 0xa793;
const M16 = 0x5bd1;
const M00 = 0xe995;

/** Result of mulM (module slots: calls never overlap). */
let productHi = 0;
let productLo = 0;

/**
 * (hi:lo) * m mod 2^64 into productHi / productLo (unsigned words), on 16-bit
 * limbs so that every partial sum stays below 2^32 and the arithmetic is
 * integer-only.
 */
function mulM(hi: number, lo: number): void {
  const a48 = hi >>> 16;
  const a32 = hi & 0xffff;
  const a16 = lo >>> 16;
  const a00 = lo & 0xffff;
  let c00 = a00 * M00;
  let c16 = c00 >>> 16;
  c00 &= 0xffff;
  c16 += a16 * M00;
  let c32 = c16 >>> 16;
  c16 &= 0xffff;
  c16 += a00 * M16;
  c32 += c16 >>> 16;
  c16 &= 0xffff;
  c32 += a32 * M00;
  let c48 = c32 >>> 16;
  c32 &= 0xffff;
  c32 += a16 * M16;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c32 += a00 * M32;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c48 += a48 * M00 + a32 * M16 + a16 * M32 + a00 * M48;
  c48 &= 0xffff;
  productHi = ((c48 << 16) | c32) >>> 0;
  productLo = ((c16 << 16) | c00) >>> 0;
}

/** The last hash, as two unsigned 32-bit words (one record, reused: calls never overlap). */
export const hashResult = { hi: 0, lo: 0 };

/**
 * MurmurHash64A of `data[start, end)` with the 32-bit `seed`; the 64-bit
 * result is left in hashResult (unsigned words). Byte order of the
 * blocks is little-endian, as Redis reads them on every platform.
 */
export function murmurHash64A(data: Uint8Array, start: number, end: number, seed: number): void {
  const length = end - start;
  mulM(0, length >>> 0);
  let hHi = productHi;
  let hLo = (productLo ^ seed) >>> 0;
  const blocksEnd = start + (length - (length & 7));
  let i = start;
  for (; i < blocksEnd; i += 8) {
    let kLo = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    let kHi = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    mulM(kHi, kLo);
    kHi = productHi;
    kLo = productLo;
    kLo = (kLo ^ (kHi >>> 15)) >>> 0; // k ^= k >> 47
    mulM(kHi, kLo);
    hHi = (hHi ^ productHi) >>> 0;
    hLo = (hLo ^ productLo) >>> 0;
    mulM(hHi, hLo);
    hHi = productHi;
    hLo = productLo;
  }
  const rest = length & 7;
  if (rest > 0) {
    // The tail bytes are folded in from the highest down, as the reference switch falls through.
    if (rest >= 7) hHi ^= data[i + 6]! << 16;
    if (rest >= 6) hHi ^= data[i + 5]! << 8;
    if (rest >= 5) hHi ^= data[i + 4]!;
    if (rest >= 4) hLo ^= data[i + 3]! << 24;
    if (rest >= 3) hLo ^= data[i + 2]! << 16;
    if (rest >= 2) hLo ^= data[i + 1]! << 8;
    hLo ^= data[i]!;
    mulM(hHi >>> 0, hLo >>> 0);
    hHi = productHi;
    hLo = productLo;
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  mulM(hHi, hLo);
  hHi = productHi;
  hLo = (productLo ^ (productHi >>> 15)) >>> 0;
  hashResult.hi = hHi;
  hashResult.lo = hLo;
}
