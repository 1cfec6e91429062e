/*
 * CRC-64 as Redis computes it for RDB files and DUMP payloads: the "Jones"
 * polynomial 0xad93d23594c935a9, reflected input and output, initial value 0,
 * no final xor. crc64("123456789") = 0xe9c6d914c4b8d9ca.
 *
 * The 64-bit register is kept as two unsigned 32-bit halves (no BigInt in the
 * loop). Long runs are folded 8 bytes per step with eight 256-entry tables
 * ("slicing by 8": table k gives the effect of a byte followed by k zero
 * bytes), the rest one byte per step with the first table.
 */

/** The polynomial, bit-reflected (the table is built for right-shifting). */
const POLY_REFLECTED_HI = 0x95ac9329;
const POLY_REFLECTED_LO = 0xac4bc9b5;

// Int32Array, not Uint32Array: entries stay small integers in the loop (no heap numbers).
// Table k (k = 0..7) is at [k * 256, k * 256 + 256) of each array.
const TABLE_HI = new Int32Array(8 * 256);
const TABLE_LO = new Int32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      hi = (hi ^ POLY_REFLECTED_HI) >>> 0;
      lo = (lo ^ POLY_REFLECTED_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi | 0;
  TABLE_LO[n] = lo | 0;
}
for (let k = 1; k < 8; k++) {
  for (let n = 0; n < 256; n++) {
    // One more zero byte after table k-1's: shift the register right by 8 and fold its low byte.
    const hi = TABLE_HI[(k - 1) * 256 + n]!;
    const lo = TABLE_LO[(k - 1) * 256 + n]!;
    const index = lo & 0xff;
    TABLE_LO[k * 256 + n] = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[index]!;
    TABLE_HI[k * 256 + n] = (hi >>> 8) ^ TABLE_HI[index]!;
  }
}

/** A running CRC-64: feed bytes with update(), read the result with the getters. */
export class Crc64 {
  /**
   * The register's halves [hi, lo] as int32: a typed array, so that values
   * beyond the small-integer range never box or change a field's shape.
   */
  private readonly state = new Int32Array(2);

  /** High 32 bits of the checksum (unsigned). */
  get hi(): number {
    return this.state[0]! >>> 0;
  }

  /** Low 32 bits of the checksum (unsigned). */
  get lo(): number {
    return this.state[1]! >>> 0;
  }

  /** Fold bytes [start, end) of `bytes` into the checksum. */
  update(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const state = this.state;
    let hi = state[0]!;
    let lo = state[1]!;
    const tableLo = TABLE_LO;
    const tableHi = TABLE_HI;
    let i = start;
    for (const last8 = end - 8; i <= last8; i += 8) {
      const a = lo ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
      const b = hi ^ (bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24));
      const i7 = 7 * 256 + (a & 0xff);
      const i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff);
      const i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff);
      const i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      lo =
        tableLo[i7]! ^
        tableLo[i6]! ^
        tableLo[i5]! ^
        tableLo[i4]! ^
        tableLo[i3]! ^
        tableLo[i2]! ^
        tableLo[i1]! ^
        tableLo[i0]!;
      hi =
        tableHi[i7]! ^
        tableHi[i6]! ^
        tableHi[i5]! ^
        tableHi[i4]! ^
        tableHi[i3]! ^
        tableHi[i2]! ^
        tableHi[i1]! ^
        tableHi[i0]!;
    }
    for (; i < end; i++) {
      const index = (lo ^ bytes[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ tableLo[index]!;
      hi = (hi >>> 8) ^ tableHi[index]!;
    }
    state[0] = hi;
    state[1] = lo;
  }

  /** The checksum as 8 little-endian bytes (how RDB files and DUMP payloads store it). */
  toBytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32LE(this.lo, 0);
    out.writeUInt32LE(this.hi, 4);
    return out;
  }

  /** The checksum as a bigint (tests, messages). */
  toBigInt(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** True when the 8 bytes at `offset` of `bytes` (little-endian) equal the checksum. */
  matches(bytes: Uint8Array, offset: number): boolean {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return view.readUInt32LE(offset) === this.lo && view.readUInt32LE(offset + 4) === this.hi;
  }
}

/** CRC-64 of `bytes` as a bigint. */
export function crc64(bytes: Uint8Array): bigint {
  const crc = new Crc64();
  crc.update(bytes);
  return crc.toBigInt();
}
