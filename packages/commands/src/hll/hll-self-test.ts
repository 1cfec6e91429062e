/*
 * PFSELFTEST's checks of the HyperLogLog representation: what must hold for
 * PFADD / PFCOUNT to be right whatever the data.
 *
 * 1. Every dense register reads back the value written to it, whatever its
 *    neighbours hold (the 6-bit fields straddle byte boundaries).
 * 2. The same elements added to a sparse and to a dense HLL give the same
 *    registers and the same estimate, and the sparse one turns dense exactly
 *    when its size would pass the limit.
 * 3. The estimate stays within a generous bound of the true count along the
 *    way (the standard error at 16384 registers is 0.81%; 5% is never missed).
 */

import {
  createHll,
  denseGet,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_HDR_SIZE,
  HLL_REGISTERS,
  type HllBytes,
  hllAdd,
  hllCount,
  mergeInto,
} from "./hll.js";

/** A growable byte store for HLLs outside the keyspace (the self test's own values). */
class ScratchHll implements HllBytes {
  private bytes: Buffer;
  private used: number;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
    this.used = bytes.length;
  }

  get length(): number {
    return this.used;
  }

  toBuffer(): Buffer {
    return this.bytes.subarray(0, this.used);
  }

  resize(length: number): Buffer {
    if (length > this.bytes.length) {
      const grown = Buffer.alloc(length * 2);
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    } else if (length > this.used) {
      this.bytes.fill(0, this.used, length);
    }
    this.used = length;
    return this.bytes.subarray(0, length);
  }

  replaceBytes(bytes: Buffer): void {
    this.bytes = bytes;
    this.used = bytes.length;
  }
}

/** A deterministic 32-bit generator (xorshift), so a failure can be reproduced. */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** Check 1: dense register round trips. Returns a failure message or null. */
function checkDenseRegisters(): string | null {
  const random = xorshift(0x5eed);
  const dense = new ScratchHll(Buffer.alloc(HLL_DENSE_SIZE));
  const expected = new Uint8Array(HLL_REGISTERS);
  const bytes = dense.toBuffer();
  for (let round = 0; round < 4; round++) {
    bytes.fill(0, HLL_HDR_SIZE);
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = random() & 63;
      expected[i] = value;
      const bit = i * 6;
      // Write through the packed layout directly; reading must find each value back.
      for (let b = 0; b < 6; b++) {
        if ((value >> b) & 1) {
          const at = bit + b;
          bytes[HLL_HDR_SIZE + (at >> 3)] = bytes[HLL_HDR_SIZE + (at >> 3)]! | (1 << (at & 7));
        }
      }
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      if (denseGet(bytes, HLL_HDR_SIZE, i) !== expected[i]) return `dense register ${i} reads back wrong`;
    }
  }
  return null;
}

/** Checks 2 and 3: sparse and dense agree, and the estimate is close. */
function checkSparseAgainstDense(): string | null {
  const random = xorshift(0xc0ffee);
  const sparse = new ScratchHll(createHll());
  const dense = new ScratchHll(createHll());
  const element = Buffer.alloc(8);
  const sparseMax = 3000;
  for (let n = 1; n <= 20000; n++) {
    element.writeUInt32LE(random(), 0);
    element.writeUInt32LE(random(), 4);
    if (hllAdd(sparse, element, sparseMax) < 0) return "sparse add failed";
    // A limit of 0 bytes turns the second value dense on its first add, through the promotion path.
    if (hllAdd(dense, element, 0) < 0) return "dense add failed";
    if (dense.toBuffer()[4] !== HLL_DENSE) return "value did not turn dense at the limit";
    if (sparse.length > sparseMax && sparse.toBuffer()[4] !== HLL_DENSE)
      return "sparse value grew past hll-sparse-max-bytes";
    if (n % 997 === 0 || n === 20000) {
      const a = hllCount(sparse.toBuffer());
      const b = hllCount(dense.toBuffer());
      if (a === null || b === null) return "estimate failed";
      if (a !== b) return `sparse estimate ${a} differs from dense ${b} at ${n} elements`;
      if (Math.abs(a - n) / n > 0.05) return `estimate ${a} too far from ${n}`;
      const left = new Uint8Array(HLL_REGISTERS);
      const right = new Uint8Array(HLL_REGISTERS);
      if (!mergeInto(left, sparse.toBuffer()) || !mergeInto(right, dense.toBuffer()))
        return "register decoding failed";
      for (let i = 0; i < HLL_REGISTERS; i++) {
        if (left[i] !== right[i]) return `register ${i} differs between sparse and dense`;
      }
    }
  }
  return null;
}

/**
 * Run every check; returns null when all hold, else the first failure's
 * description. Takes a few tens of milliseconds.
 */
export function runHllSelfTest(): string | null {
  return checkDenseRegisters() ?? checkSparseAgainstDense();
}
