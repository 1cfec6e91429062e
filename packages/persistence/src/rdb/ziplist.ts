/*
 * Ziplists: the compact container of Redis up to 6.2 (RDB 9 files hold them for
 * small hashes, sorted sets and list nodes). Read-only here: Spinel writes
 * listpacks, as redis-server 7.0 does.
 *
 * Layout: total bytes (uint32 LE), offset of the last entry (uint32 LE), entry
 * count (uint16 LE, 65535 = unknown), the entries, and a terminator 0xFF. An
 * entry is the previous entry's size (1 byte below 254, else 0xFE and 4 bytes
 * LE), an encoding, and the data:
 *   00pppppp, 01pppppp qqqqqqqq (BE), 10000000 + 4 bytes BE: string lengths;
 *   0xC0 int16, 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8 (LE, signed);
 *   0xF1..0xFD: the integer 0..12 in the low 4 bits minus one.
 */

import type { ListpackEntry } from "./listpack.js";

const HEADER_SIZE = 10;

/**
 * Decode and validate a whole ziplist (sizes, tail offset, previous-entry sizes,
 * count, terminator). Strings come back as views into `blob`. Throws an Error
 * naming the problem.
 */
export function decodeZiplist(blob: Buffer): ListpackEntry[] {
  if (blob.length < HEADER_SIZE + 1) throw new Error("ziplist shorter than its header");
  const total = blob.readUInt32LE(0);
  if (total !== blob.length) throw new Error(`ziplist header says ${total} bytes, blob has ${blob.length}`);
  const tail = blob.readUInt32LE(4);
  const announced = blob.readUInt16LE(8);
  const end = blob.length - 1;
  const entries: ListpackEntry[] = [];
  let p = HEADER_SIZE;
  let previousSize = 0;
  let lastStart = HEADER_SIZE;
  while (p < end) {
    const start = p;
    let prevlen = blob[p]!;
    if (prevlen === 0xfe) {
      need(p + 5, end);
      prevlen = blob.readUInt32LE(p + 1);
      p += 5;
    } else if (prevlen === 0xff) {
      throw new Error(`ziplist entry at ${start} starts with the terminator byte`);
    } else {
      p += 1;
    }
    if (prevlen !== previousSize)
      throw new Error(`ziplist entry at ${start} has a wrong previous-entry length`);
    need(p + 1, end);
    const e = blob[p]!;
    let value: ListpackEntry;
    const kind = e >>> 6;
    if (kind === 0) {
      const length = e & 0x3f;
      need(p + 1 + length, end);
      value = blob.subarray(p + 1, p + 1 + length);
      p += 1 + length;
    } else if (kind === 1) {
      need(p + 2, end);
      const length = ((e & 0x3f) << 8) | blob[p + 1]!;
      need(p + 2 + length, end);
      value = blob.subarray(p + 2, p + 2 + length);
      p += 2 + length;
    } else if (e === 0x80) {
      need(p + 5, end);
      const length = blob.readUInt32BE(p + 1);
      need(p + 5 + length, end);
      value = blob.subarray(p + 5, p + 5 + length);
      p += 5 + length;
    } else if (e === 0xc0) {
      need(p + 3, end);
      value = blob.readInt16LE(p + 1);
      p += 3;
    } else if (e === 0xd0) {
      need(p + 5, end);
      value = blob.readInt32LE(p + 1);
      p += 5;
    } else if (e === 0xe0) {
      need(p + 9, end);
      const big = blob.readBigInt64LE(p + 1);
      value = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
      p += 9;
    } else if (e === 0xf0) {
      need(p + 4, end);
      value = blob.readIntLE(p + 1, 3);
      p += 4;
    } else if (e === 0xfe) {
      need(p + 2, end);
      value = blob.readInt8(p + 1);
      p += 2;
    } else if (e >= 0xf1 && e <= 0xfd) {
      value = (e & 0x0f) - 1;
      p += 1;
    } else {
      throw new Error(`ziplist entry at ${start} has invalid encoding byte 0x${e.toString(16)}`);
    }
    previousSize = p - start;
    lastStart = start;
    entries.push(value);
  }
  if (p !== end || blob[end] !== 0xff) throw new Error("ziplist does not end with its terminator");
  if (entries.length > 0 ? tail !== lastStart : tail !== HEADER_SIZE) {
    throw new Error("ziplist tail offset does not point at its last entry");
  }
  if (announced !== 65535 && announced !== entries.length) {
    throw new Error(`ziplist header counts ${announced} entries, it holds ${entries.length}`);
  }
  return entries;
}

function need(upTo: number, end: number): void {
  if (upTo > end) throw new Error("ziplist entry runs past the end of the blob");
}
