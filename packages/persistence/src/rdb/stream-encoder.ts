/*
 * Stream values in RDB_TYPE_STREAM_LISTPACKS_2 (type 19), as redis-server 7.0
 * writes them:
 *
 *   node count, then per node: the master ID (16 bytes: ms and seq, big-endian)
 *     as a string, and the node's listpack as a string;
 *   length, last ID (ms, seq), first ID, max deleted ID, entries added;
 *   group count, then per group (by name): name, last ID, entries read
 *     (-1 as 2^64-1), its PEL (count, then ID as 16 bytes, delivery time as
 *     8-byte little-endian ms, delivery count), then its consumers (by name):
 *     name, seen time (8-byte little-endian ms), their PEL IDs (count, 16 bytes each).
 *
 * A node's listpack: the master entry (live count, deleted count, the first
 * entry's field count and fields, a 0 terminator), then each entry: flags
 * (1 deleted, 2 same fields as the master), ms and seq as differences from the
 * master ID (signed 64-bit), the field count and field/value pairs or, with
 * same fields, the values only, and the entry's element count (lp-count).
 *
 * Each Spinel block is one node: blocks are cut where redis-server cuts its
 * listpacks, and deleted entries stay in place, so a reload keeps the node
 * boundaries.
 */

import type { RedisStream, StreamBlock, StreamID } from "@spinel/core-db";
import type { ByteWriter } from "./byte-writer.js";
import type { ListpackBuilder } from "./listpack.js";

/** Entry flags of a stream listpack (Redis' STREAM_ITEM_FLAG_*). */
export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;

const TWO_POW_32 = 0x1_0000_0000n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** The hooks of the value encoder a stream needs (strings, lengths, the listpack scratch). */
export interface StreamEncoderContext {
  readonly builder: ListpackBuilder;
  readonly scratch: ByteWriter;
  /** Write `bytes[start..end)` as an RDB string (compressed when enabled). */
  writeString(out: ByteWriter, bytes: Buffer, start?: number, end?: number): void;
  /** Write a latin1 string as an RDB string. */
  writeLatin1(out: ByteWriter, text: string): void;
  /** Write an RDB length below 2^53. */
  writeLength(out: ByteWriter, length: number): void;
}

/** An RDB length holding an unsigned 64-bit value (IDs, counters). */
export function writeLength64(ctx: StreamEncoderContext, out: ByteWriter, value: bigint): void {
  if (value < TWO_POW_32) {
    ctx.writeLength(out, Number(value));
    return;
  }
  out.byte(0x81);
  out.ensure(8);
  out.buffer.writeBigUInt64BE(BigInt.asUintN(64, value), out.length);
  out.length += 8;
}

/** A stream ID as 16 raw bytes (ms, seq big-endian), the rax key form. */
function writeRawId(out: ByteWriter, id: StreamID): void {
  out.ensure(16);
  out.buffer.writeBigUInt64BE(id.ms, out.length);
  out.buffer.writeBigUInt64BE(id.seq, out.length + 8);
  out.length += 16;
}

/** A millisecond time as 8 bytes little-endian (rdbSaveMillisecondTime). */
function writeMillisecondTime(out: ByteWriter, ms: number): void {
  out.int64LE(BigInt(Math.trunc(ms)));
}

/** A signed 64-bit difference as the smallest form the listpack builder takes. */
function int64(value: bigint): number | bigint {
  const signed = BigInt.asIntN(64, value);
  return signed <= MAX_SAFE && signed >= MIN_SAFE ? Number(signed) : signed;
}

/**
 * Write the stream's bytes (without the type byte) as type 19. Uses the
 * context's scratch and listpack builder; side effect only on `out`.
 */
export function writeStreamValue(ctx: StreamEncoderContext, out: ByteWriter, stream: RedisStream): void {
  const blocks = stream.blockCount;
  ctx.writeLength(out, blocks);
  const key = Buffer.allocUnsafe(16);
  for (let b = 0; b < blocks; b++) {
    const block = stream.blockAt(b);
    key.writeBigUInt64BE(block.msAt(0), 0);
    key.writeBigUInt64BE(block.seqAt(0), 8);
    ctx.writeString(out, key);
    ctx.scratch.reset();
    writeNodeListpack(ctx.builder, ctx.scratch, block);
    ctx.writeString(out, ctx.scratch.buffer, 0, ctx.scratch.length);
    ctx.scratch.reset();
  }
  ctx.writeLength(out, stream.length);
  writeLength64(ctx, out, stream.lastId.ms);
  writeLength64(ctx, out, stream.lastId.seq);
  writeLength64(ctx, out, stream.firstId.ms);
  writeLength64(ctx, out, stream.firstId.seq);
  writeLength64(ctx, out, stream.maxDeletedId.ms);
  writeLength64(ctx, out, stream.maxDeletedId.seq);
  writeLength64(ctx, out, stream.entriesAdded);
  const groups = stream.sortedGroups();
  ctx.writeLength(out, groups.length);
  for (const group of groups) {
    ctx.writeLatin1(out, group.name);
    writeLength64(ctx, out, group.lastId.ms);
    writeLength64(ctx, out, group.lastId.seq);
    writeLength64(ctx, out, BigInt.asUintN(64, group.entriesRead));
    const pending = group.pel.toArray();
    ctx.writeLength(out, pending.length);
    for (const entry of pending) {
      writeRawId(out, entry.id);
      writeMillisecondTime(out, entry.deliveryTime);
      ctx.writeLength(out, entry.deliveryCount);
    }
    const consumers = group.sortedConsumers();
    ctx.writeLength(out, consumers.length);
    for (const consumer of consumers) {
      ctx.writeLatin1(out, consumer.name);
      writeMillisecondTime(out, consumer.seenTime);
      const owned = consumer.pel.toArray();
      ctx.writeLength(out, owned.length);
      for (const entry of owned) writeRawId(out, entry.id);
    }
  }
}

/**
 * One block as a Redis stream listpack at the end of `out`: the master entry
 * from the block's first entry (deleted or not), then every entry with its
 * flags, in ID order.
 */
export function writeNodeListpack(builder: ListpackBuilder, out: ByteWriter, block: StreamBlock): void {
  const data = block.data;
  const offsets = block.offsets;
  const masterMs = block.msAt(0);
  const masterSeq = block.seqAt(0);
  const masterStart = offsets[0]!;
  const masterFields = data.readUInt32LE(masterStart);
  builder.begin(out);
  builder.addInteger(block.live);
  builder.addInteger(block.count - block.live);
  builder.addInteger(masterFields);
  let at = masterStart + 4;
  for (let p = 0; p < masterFields; p++) {
    const length = data.readUInt32LE(at);
    builder.addBytes(data, at + 4, at + 4 + length);
    at += 4 + length;
    at += 4 + data.readUInt32LE(at);
  }
  builder.addInteger(0);
  for (let i = 0; i < block.count; i++) {
    const start = offsets[i]!;
    const pairs = data.readUInt32LE(start);
    const same = i === 0 || sameFieldsAsMaster(data, start, masterStart, masterFields);
    let flags = same ? STREAM_ITEM_FLAG_SAMEFIELDS : 0;
    if (block.deleted[i] === 1) flags |= STREAM_ITEM_FLAG_DELETED;
    builder.addInteger(flags);
    builder.addInteger(int64(block.msAt(i) - masterMs));
    builder.addInteger(int64(block.seqAt(i) - masterSeq));
    if (!same) builder.addInteger(pairs);
    let item = start + 4;
    for (let p = 0; p < pairs; p++) {
      const fieldLength = data.readUInt32LE(item);
      if (!same) builder.addBytes(data, item + 4, item + 4 + fieldLength);
      item += 4 + fieldLength;
      const valueLength = data.readUInt32LE(item);
      builder.addBytes(data, item + 4, item + 4 + valueLength);
      item += 4 + valueLength;
    }
    builder.addInteger(same ? pairs + 3 : pairs * 2 + 4);
  }
  builder.end();
}

/** True when the entry at `start` has exactly the master entry's field names, in order. */
function sameFieldsAsMaster(data: Buffer, start: number, masterStart: number, masterFields: number): boolean {
  if (data.readUInt32LE(start) !== masterFields) return false;
  let a = start + 4;
  let b = masterStart + 4;
  for (let p = 0; p < masterFields; p++) {
    const length = data.readUInt32LE(a);
    if (length !== data.readUInt32LE(b)) return false;
    if (data.compare(data, b + 4, b + 4 + length, a + 4, a + 4 + length) !== 0) return false;
    a += 4 + length;
    a += 4 + data.readUInt32LE(a);
    b += 4 + length;
    b += 4 + data.readUInt32LE(b);
  }
  return true;
}
