/*
 * MurmurHash64A (Austin Appleby's 64-bit hash for 64-bit platforms), the hash
 * HyperLogLog feeds its elements through. Redis seeds it with 0xadc83b19 and
 * reads the 8-byte blocks little-endian on every platform, so the register an
 * element lands in, and therefore the bytes of the HLL, are the same everywhere.
 *
 * JavaScript has no 64-bit integer arithmetic short of BigInt, which allocates;
 * the hash is computed on (high, low) pairs of unsigned 32-bit words instead,
 * with the 64 x 64 -> 64 multiplication assembled from 16-bit limbs so that no
 * intermediate product leaves the exactly representable range of a double.
 * This module is on the PFADD hot path: no allocation, results in module slots.
 */

/** The multiplier m = 0xc6a4a7935bd1e995, as two words. */
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const TWO_32 = 4294967296;

/** Result of mul64 (module slots: calls never overlap). */
let productHi = 0;
let productLo = 0;

/** (aHi:aLo) * (bHi:bLo) mod 2^64 into productHi / productLo, all words unsigned. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const middle = a0 * b1 + a1 * b0; // < 2^33
  const low = a0 * b0 + (middle % 65536) * 65536; // < 2^33
  const carry = Math.floor(low / TWO_32);
  const high = a1 * b1 + Math.floor(middle / 65536) + carry + Math.imul(aHi, bLo) + Math.imul(aLo, bHi);
  productLo = low >>> 0;
  productHi = high >>> 0;
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
  mul64(0, length >>> 0, M_HI, M_LO);
  let hHi = productHi;
  let hLo = (productLo ^ seed) >>> 0;
  const blocksEnd = start + (length - (length & 7));
  let i = start;
  for (; i < blocksEnd; i += 8) {
    let kLo = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    let kHi = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    mul64(kHi, kLo, M_HI, M_LO);
    kHi = productHi;
    kLo = productLo;
    kLo = (kLo ^ (kHi >>> 15)) >>> 0; // k ^= k >> 47
    mul64(kHi, kLo, M_HI, M_LO);
    hHi = (hHi ^ productHi) >>> 0;
    hLo = (hLo ^ productLo) >>> 0;
    mul64(hHi, hLo, M_HI, M_LO);
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
    mul64(hHi >>> 0, hLo >>> 0, M_HI, M_LO);
    hHi = productHi;
    hLo = productLo;
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  mul64(hHi, hLo, M_HI, M_LO);
  hHi = productHi;
  hLo = (productLo ^ (productHi >>> 15)) >>> 0;
  hashResult.hi = hHi;
  hashResult.lo = hLo;
}
