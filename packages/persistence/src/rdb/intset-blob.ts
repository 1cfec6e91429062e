/*
 * Intsets as RDB files store them (RDB_TYPE_SET_INTSET): the element width in
 * bytes (uint32 LE: 2, 4 or 8), the count (uint32 LE), then the integers in
 * ascending order, little-endian, each of that width.
 */

import type { ByteWriter } from "./byte-writer.js";

/**
 * Write the intset blob of `members` (canonical integer strings in ascending
 * order, as RedisSet keeps them), in the narrowest width that holds them all.
 * Returns the blob's size.
 */
export function writeIntsetBlob(out: ByteWriter, members: readonly string[]): number {
  let width = 2;
  const values = new Array<bigint | number>(members.length);
  for (let i = 0; i < members.length; i++) {
    const text = members[i]!;
    const n = Number(text);
    const value = Number.isSafeInteger(n) ? n : BigInt(text);
    values[i] = value;
    if (width < 8 && (value < -2147483648 || value > 2147483647)) width = 8;
    else if (width < 4 && (value < -32768 || value > 32767)) width = 4;
  }
  const size = 8 + width * values.length;
  out.ensure(size);
  const buffer = out.buffer;
  let p = out.length;
  buffer.writeUInt32LE(width, p);
  buffer.writeUInt32LE(values.length, p + 4);
  p += 8;
  for (const value of values) {
    if (width === 2) buffer.writeInt16LE(value as number, p);
    else if (width === 4) buffer.writeInt32LE(value as number, p);
    else buffer.writeBigInt64LE(BigInt(value), p);
    p += width;
  }
  out.length = p;
  return size;
}

/**
 * Decode and validate an intset blob: a known width, a size that matches the
 * count, and strictly ascending elements. Returns the members as decimal
 * strings. Throws an Error naming the problem.
 */
export function decodeIntsetBlob(blob: Buffer): string[] {
  if (blob.length < 8) throw new Error("intset shorter than its header");
  const width = blob.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) throw new Error(`intset has invalid element width ${width}`);
  const count = blob.readUInt32LE(4);
  if (8 + count * width !== blob.length)
    throw new Error(`intset of ${count} elements of ${width} bytes cannot be ${blob.length} bytes`);
  const members = new Array<string>(count);
  if (width === 8) {
    let previous: bigint | null = null;
    for (let i = 0; i < count; i++) {
      const value = blob.readBigInt64LE(8 + i * 8);
      if (previous !== null && value <= previous)
        throw new Error("intset elements are not in strictly ascending order");
      previous = value;
      members[i] = value.toString();
    }
    return members;
  }
  // 16 and 32-bit elements are exact as numbers: no BigInt per element.
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const p = 8 + i * width;
    const value = width === 2 ? blob.readInt16LE(p) : blob.readInt32LE(p);
    if (value <= previous) throw new Error("intset elements are not in strictly ascending order");
    previous = value;
    members[i] = String(value);
  }
  return members;
}

/**
 * Validate the intset blob bytes[start, end) as decodeIntsetBlob does (a known
 * width, a size that matches the count, strictly ascending elements) without
 * decoding its members. Returns the width; throws an Error naming the problem.
 */
export function checkIntsetBlob(bytes: Buffer, start: number, end: number): 2 | 4 | 8 {
  if (end - start < 8) throw new Error("intset shorter than its header");
  const width = bytes.readUInt32LE(start);
  if (width !== 2 && width !== 4 && width !== 8) throw new Error(`intset has invalid element width ${width}`);
  const count = bytes.readUInt32LE(start + 4);
  if (8 + count * width !== end - start)
    throw new Error(`intset of ${count} elements of ${width} bytes cannot be ${end - start} bytes`);
  const first = start + 8;
  for (let i = 1; i < count; i++) {
    const p = first + i * width;
    let ascending: boolean;
    if (width === 2) ascending = bytes.readInt16LE(p - 2) < bytes.readInt16LE(p);
    else if (width === 4) ascending = bytes.readInt32LE(p - 4) < bytes.readInt32LE(p);
    else {
      // Signed high halves first, then unsigned low halves.
      const previousHigh = bytes.readInt32LE(p - 4);
      const high = bytes.readInt32LE(p + 4);
      ascending =
        previousHigh < high || (previousHigh === high && bytes.readUInt32LE(p - 8) < bytes.readUInt32LE(p));
    }
    if (!ascending) throw new Error("intset elements are not in strictly ascending order");
  }
  return width;
}
