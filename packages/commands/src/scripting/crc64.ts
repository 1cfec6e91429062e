/*
 * CRC-64 as Redis computes it for DUMP / RESTORE payloads and RDB files: the
 * "Jones" polynomial 0xad93d23594c935a9, reflected input and output, initial
 * value 0, no final xor (check value of "123456789": 0xe9c6d914c4b8d9ca).
 *
 * Table-driven, one byte per step, on BigInt-free 32-bit halves so it stays
 * fast in JavaScript. Self-contained on purpose: the RDB writer can reuse it.
 */

/** The reflected polynomial, split into 32-bit halves. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

/**
 * Continue the CRC-64 `crc` (0n to start) over `data`; returns the new value.
 * Feed successive chunks to checksum a stream.
 */
export function crc64(crc: bigint, data: Uint8Array): bigint {
  let hi = Number((crc >> 32n) & 0xffffffffn);
  let lo = Number(crc & 0xffffffffn);
  for (let i = 0; i < data.length; i++) {
    const index = (lo ^ data[i]!) & 0xff;
    const nextLo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
    const nextHi = hi >>> 8;
    lo = (nextLo ^ TABLE_LO[index]!) >>> 0;
    hi = (nextHi ^ TABLE_HI[index]!) >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The CRC-64 of `data` as the 8 little-endian bytes Redis appends to a payload. */
export function crc64Bytes(data: Uint8Array): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(crc64(0n, data));
  return out;
}
