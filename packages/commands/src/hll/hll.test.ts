/*
 * The HyperLogLog representation on its own: the hash against a plain BigInt
 * rendering of MurmurHash64A, sparse and dense forms agreeing register for
 * register, and the estimator's accuracy at a million distinct elements.
 * Byte equality with redis-server is checked in
 * tests/src/differential/corpus/hyperloglog.corpus.ts.
 */

import { describe, expect, it } from "vitest";
import {
  countRegisters,
  createHll,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  type HllBytes,
  hashElement,
  hllAdd,
  hllCount,
  isValidHllHeader,
  lastElementIndex,
  mergeInto,
  sparseToDense,
} from "./hll.js";
import { runHllSelfTest } from "./hll-self-test.js";
import { hashResult, murmurHash64A } from "./murmur-hash.js";

/** MurmurHash64A written the obvious way with BigInt, as the reference. */
function referenceMurmur(data: Uint8Array, seed: bigint): bigint {
  const mask = (1n << 64n) - 1n;
  const m = 0xc6a4a7935bd1e995n;
  const length = BigInt(data.length);
  let h = (seed ^ (length * m)) & mask;
  const blocks = data.length - (data.length & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let b = 7; b >= 0; b--) k = (k << 8n) | BigInt(data[i + b]!);
    k = (k * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h ^= k;
    h = (h * m) & mask;
  }
  const rest = data.length & 7;
  if (rest > 0) {
    for (let b = rest - 1; b >= 0; b--) h ^= BigInt(data[blocks + b]!) << BigInt(8 * b);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  h ^= h >> 47n;
  return h;
}

/** A byte store for values outside the keyspace. */
class Store implements HllBytes {
  constructor(private bytes: Buffer) {}
  get length(): number {
    return this.bytes.length;
  }
  toBuffer(): Buffer {
    return this.bytes;
  }
  resize(length: number): Buffer {
    const next = Buffer.alloc(length);
    this.bytes.copy(next, 0, 0, Math.min(length, this.bytes.length));
    this.bytes = next;
    return next;
  }
  replaceBytes(bytes: Buffer): void {
    this.bytes = bytes;
  }
}

describe("MurmurHash64A", () => {
  it("matches a BigInt rendering for every length from 0 to 40 and random bytes", () => {
    let state = 12345;
    for (let length = 0; length <= 40; length++) {
      for (let round = 0; round < 20; round++) {
        const data = new Uint8Array(length);
        for (let i = 0; i < length; i++) {
          state = (state * 1103515245 + 12345) >>> 0;
          data[i] = state >>> 24;
        }
        murmurHash64A(data, 0, length, 0xadc83b19);
        const ours = (BigInt(hashResult.hi) << 32n) | BigInt(hashResult.lo);
        expect(ours).toBe(referenceMurmur(data, 0xadc83b19n));
      }
    }
  });

  it("gives register indexes in range and counts from 1 to 51", () => {
    for (let i = 0; i < 5000; i++) {
      const count = hashElement(Buffer.from(`element:${i}`));
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThanOrEqual(51);
      expect(lastElementIndex()).toBeGreaterThanOrEqual(0);
      expect(lastElementIndex()).toBeLessThan(HLL_REGISTERS);
    }
  });
});

describe("representations", () => {
  it("creates an 18-byte sparse value with a valid header", () => {
    const empty = createHll();
    expect(empty.length).toBe(18);
    expect(isValidHllHeader(empty)).toBe(true);
    expect(empty[4]).toBe(HLL_SPARSE);
    expect(hllCount(empty)).toBe(0);
  });

  it("keeps sparse and dense forms register-identical, and promotes at the size limit", () => {
    const sparse = new Store(createHll());
    const dense = new Store(createHll());
    expect(sparseToDense(dense)).toBe(true);
    expect(dense.length).toBe(HLL_DENSE_SIZE);
    for (let i = 0; i < 3000; i++) {
      const element = Buffer.from(`e${i}`);
      expect(hllAdd(sparse, element, 3000)).toBe(hllAdd(dense, element, 3000));
      expect(sparse.length <= 3000 || sparse.toBuffer()[4] === HLL_DENSE).toBe(true);
    }
    const a = new Uint8Array(HLL_REGISTERS);
    const b = new Uint8Array(HLL_REGISTERS);
    expect(mergeInto(a, sparse.toBuffer())).toBe(true);
    expect(mergeInto(b, dense.toBuffer())).toBe(true);
    expect(a).toEqual(b);
    expect(hllCount(sparse.toBuffer())).toBe(hllCount(dense.toBuffer()));
  });

  it("passes its own self test", () => {
    expect(runHllSelfTest()).toBeNull();
  });
});

describe("estimation error", () => {
  it("stays under 2% at 10^6 distinct elements (and at the sizes on the way)", () => {
    const hll = new Store(createHll());
    const element = Buffer.alloc(12);
    element.write("item", 0, "latin1");
    for (let n = 1; n <= 1_000_000; n++) {
      element.writeUInt32LE(n, 4);
      element.writeUInt32LE(Math.imul(n, 2654435761) >>> 0, 8);
      hllAdd(hll, element, 3000);
      if (n === 1000 || n === 10_000 || n === 100_000 || n === 1_000_000) {
        const estimate = hllCount(hll.toBuffer())!;
        expect(Math.abs(estimate - n) / n).toBeLessThan(0.02);
      }
    }
    const registers = new Uint8Array(HLL_REGISTERS);
    mergeInto(registers, hll.toBuffer());
    expect(countRegisters(registers)).toBe(hllCount(hll.toBuffer()));
  });
});
