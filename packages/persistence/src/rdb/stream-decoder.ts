/*
 * Stream values from an RDB (the layout is described in stream-encoder.ts):
 * type 15 (redis-server 6.x: no first ID, max deleted ID, entries added or
 * entries read), 19 (7.0) and 21 (7.2: each consumer also has an active time,
 * which Spinel does not keep).
 *
 * Validated while decoding: node keys are 16 bytes, each listpack is whole
 * (listpack.ts) and well formed as a stream node (master entry, flags, field
 * counts, lp-count, live and deleted counts), entry IDs ascend across the
 * stream and none is above the last ID, the length matches the live entries,
 * group and consumer names are unique, PEL IDs are unique, and every ID in a
 * consumer's PEL is in its group's PEL, owned by one consumer only, with no
 * group PEL entry left without a consumer. Any failure is an RdbError with the
 * offset of the bad item; the stream is built aside and handed over only whole.
 */

import {
  compareStreamIds,
  PendingEntry,
  RedisStream,
  StreamBlock,
  type StreamConsumer,
  StreamID,
} from "@spinel/core-db";
import { decodeListpack, entryBytes, type ListpackEntry } from "./listpack.js";
import type { RdbError } from "./rdb-error.js";
import { RdbType } from "./rdb-format.js";
import type { RdbInput } from "./rdb-input.js";
import { STREAM_ITEM_FLAG_DELETED, STREAM_ITEM_FLAG_SAMEFIELDS } from "./stream-encoder.js";

const TWO_POW_64 = 1n << 64n;

// ---------------------------------------------------------------- primitives

/** An RDB length read as an unsigned 64-bit BigInt (IDs and counters may use the whole range). */
function length64(input: RdbInput, what: string): bigint {
  const start = input.offset;
  const first = input.byte(what);
  const kind = first >>> 6;
  if (kind === 0) return BigInt(first & 0x3f);
  if (kind === 1) return BigInt(((first & 0x3f) << 8) | input.byte(what));
  if (first === 0x80) return BigInt(input.take(4, what).readUInt32BE(0));
  if (first === 0x81) return input.take(8, what).readBigUInt64BE(0);
  throw input.error(`unexpected encoding 0x${first.toString(16)} in ${what}`, start);
}

function readId(input: RdbInput, what: string): StreamID {
  const ms = length64(input, `${what} (ms)`);
  const seq = length64(input, `${what} (seq)`);
  return new StreamID(ms, seq);
}

/** A 16-byte raw ID (ms, seq big-endian). */
function rawId(input: RdbInput, what: string): StreamID {
  const bytes = input.take(16, what);
  return new StreamID(bytes.readBigUInt64BE(0), bytes.readBigUInt64BE(8));
}

/** An 8-byte little-endian millisecond time (rdbLoadMillisecondTime). */
function millisecondTime(input: RdbInput, what: string): number {
  return Number(input.take(8, what).readBigInt64LE(0));
}

function idKey(id: StreamID): string {
  return `${id.ms}-${id.seq}`;
}

// ---------------------------------------------------------------- nodes

/** Walks the elements of one node's listpack, raising errors that name the node. */
class NodeReader {
  private position = 0;

  constructor(
    private readonly entries: readonly ListpackEntry[],
    private readonly fail: (reason: string) => RdbError,
  ) {}

  get done(): boolean {
    return this.position >= this.entries.length;
  }

  /** The next element, which must exist. */
  next(what: string): ListpackEntry {
    if (this.position >= this.entries.length) throw this.fail(`listpack ends before the ${what}`);
    return this.entries[this.position++]!;
  }

  /** The next element as an integer. */
  integer(what: string): bigint {
    const entry = this.next(what);
    if (typeof entry === "object") throw this.fail(`the ${what} is not an integer`);
    return BigInt(entry);
  }

  /** The next element as a small integer (flags, counts), as a number. */
  small(what: string): number {
    const entry = this.next(what);
    if (typeof entry !== "number") throw this.fail(`the ${what} is not a small integer`);
    return entry;
  }

  /** The next element as a non-negative count that fits the elements left (each `per` elements). */
  count(what: string, per: number): number {
    const value = this.small(what);
    if (value < 0 || value * per > this.entries.length - this.position) {
      throw this.fail(`${what} ${value} does not fit the listpack`);
    }
    return value;
  }
}

/** `base` plus a signed 64-bit listpack difference, modulo 2^64 (as Redis' unsigned arithmetic). */
function offsetId(base: bigint, difference: ListpackEntry, fail: (reason: string) => RdbError): bigint {
  if (typeof difference === "object") throw fail("an ID difference is not an integer");
  if (difference === 0) return base;
  return (base + BigInt.asUintN(64, BigInt(difference))) % TWO_POW_64;
}

/**
 * Decode one node: its key and listpack into a StreamBlock. `previous` is the
 * last ID of the stream so far (null before the first entry); returns the
 * block and its last ID.
 */
function readNode(
  input: RdbInput,
  key: string,
  node: number,
  previous: StreamID | null,
): { block: StreamBlock; last: StreamID } {
  const keyAt = input.offset;
  const master = input.string("stream node key");
  if (master.length !== 16) {
    throw input.error(`stream node ${node} of key '${key}' has a ${master.length}-byte key, not 16`, keyAt);
  }
  const masterMs = master.readBigUInt64BE(0);
  const masterSeq = master.readBigUInt64BE(8);
  const listpackAt = input.offset;
  const bytes = input.string("stream listpack");
  const fail = (reason: string): RdbError =>
    input.error(`stream node ${node} of key '${key}': ${reason}`, listpackAt);
  let entries: ListpackEntry[];
  try {
    entries = decodeListpack(bytes);
  } catch (error) {
    throw fail(`invalid listpack: ${(error as Error).message}`);
  }
  if (entries.length === 0) throw fail("empty listpack");
  const reader = new NodeReader(entries, fail);
  const liveCount = reader.integer("live entry count");
  const deletedCount = reader.integer("deleted entry count");
  const masterFieldCount = reader.count("master field count", 1);
  const masterFields: Buffer[] = new Array(masterFieldCount);
  for (let f = 0; f < masterFieldCount; f++) masterFields[f] = entryBytes(reader.next("master field"));
  if (reader.integer("master entry terminator") !== 0n) throw fail("the master entry does not end with 0");
  const block = new StreamBlock();
  const pairs: Buffer[] = [];
  let last = previous;
  while (!reader.done) {
    const flags = reader.small("entry flags");
    if (flags < 0 || flags > 3) throw fail(`entry flags ${flags} are not valid`);
    const ms = offsetId(masterMs, reader.next("entry ms difference"), fail);
    const seq = offsetId(masterSeq, reader.next("entry seq difference"), fail);
    const id = new StreamID(ms, seq);
    if (block.count === 0 && (ms !== masterMs || seq !== masterSeq)) {
      throw fail(`first entry ${id} differs from the node's master ID ${masterMs}-${masterSeq}`);
    }
    if (last !== null && (ms < last.ms || (ms === last.ms && seq <= last.seq))) {
      throw fail(`entry ID ${id} does not follow ${last}`);
    }
    pairs.length = 0;
    let elements: number;
    if ((flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0) {
      for (let f = 0; f < masterFieldCount; f++) {
        pairs.push(masterFields[f]!, entryBytes(reader.next("entry value")));
      }
      elements = masterFieldCount + 3;
    } else {
      const fieldCount = reader.count("entry field count", 2);
      for (let f = 0; f < fieldCount; f++) {
        pairs.push(entryBytes(reader.next("entry field")), entryBytes(reader.next("entry value")));
      }
      elements = fieldCount * 2 + 4;
    }
    if (reader.small("entry lp-count") !== elements) {
      throw fail(`entry ${id} has an lp-count that disagrees with its elements`);
    }
    block.append(ms, seq, pairs, 0, pairs.length);
    if ((flags & STREAM_ITEM_FLAG_DELETED) !== 0) block.markDeleted(block.count - 1);
    last = id;
  }
  if (block.count === 0) throw fail("no entries after the master entry");
  if (BigInt(block.live) !== liveCount || BigInt(block.count - block.live) !== deletedCount) {
    throw fail(
      `master entry counts ${liveCount} live and ${deletedCount} deleted entries, the node holds ${block.live} and ${block.count - block.live}`,
    );
  }
  return { block, last: last! };
}

// ---------------------------------------------------------------- the value

/**
 * Decode a stream value of RDB type `type` (15, 19 or 21) for `key` (used in
 * messages). Returns the whole stream (empty streams are kept, as Redis keeps
 * them) or throws an RdbError; nothing is shared with the keyspace before it
 * returns.
 */
export function readStreamValue(input: RdbInput, type: number, key: string): RedisStream {
  const stream = new RedisStream();
  const nodes = input.count("stream node count", 2);
  let last: StreamID | null = null;
  for (let node = 0; node < nodes; node++) {
    const decoded = readNode(input, key, node, last);
    last = decoded.last;
    // A node of tombstones only is never written by redis-server; keep no empty block.
    if (decoded.block.live > 0) stream.loadBlock(decoded.block);
  }
  const lengthAt = input.offset;
  const length = length64(input, "stream length");
  if (length !== BigInt(stream.length)) {
    throw input.error(`stream '${key}' says ${length} entries, its nodes hold ${stream.length}`, lengthAt);
  }
  const lastAt = input.offset;
  const lastId = readId(input, "stream last ID");
  if (last !== null && (last.ms > lastId.ms || (last.ms === lastId.ms && last.seq > lastId.seq))) {
    throw input.error(`stream '${key}' has entry ${last} above its last ID ${lastId}`, lastAt);
  }
  stream.lastId = lastId;
  if (type === RdbType.StreamListpacks) {
    // 6.x kept none of these: derive them as redis-server 7.0 does on load.
    stream.entriesAdded = BigInt(stream.length);
    stream.maxDeletedId = StreamID.MIN;
    stream.firstId = stream.edgeId(false) ?? StreamID.MIN;
  } else {
    stream.firstId = readId(input, "stream first ID");
    stream.maxDeletedId = readId(input, "stream max deleted ID");
    stream.entriesAdded = length64(input, "stream entries added");
  }
  const groups = input.count("stream group count", 4);
  for (let g = 0; g < groups; g++) readGroup(input, type, key, stream);
  return stream;
}

/** One consumer group with its PEL and consumers, added to `stream`. */
function readGroup(input: RdbInput, type: number, key: string, stream: RedisStream): void {
  const nameAt = input.offset;
  const name = input.latin1("consumer group name");
  const lastId = readId(input, "consumer group last ID");
  let entriesRead: bigint;
  if (type === RdbType.StreamListpacks) {
    entriesRead = stream.estimateDistanceFromFirstEverEntry(lastId);
  } else {
    entriesRead = BigInt.asIntN(64, length64(input, "consumer group entries read"));
    if (entriesRead < -1n) entriesRead = -1n;
  }
  const group = stream.createGroup(name, lastId, entriesRead);
  if (group === null) throw input.error(`duplicate consumer group '${name}' in key '${key}'`, nameAt);

  // The group's PEL, owned by consumers once those are read.
  const pelCount = input.count("consumer group PEL size", 17);
  const ids: StreamID[] = new Array(pelCount);
  const times: number[] = new Array(pelCount);
  const counts: number[] = new Array(pelCount);
  const owners: (StreamConsumer | null)[] = new Array(pelCount).fill(null);
  const slots = new Map<string, number>();
  for (let i = 0; i < pelCount; i++) {
    const at = input.offset;
    const id = rawId(input, "PEL entry ID");
    const text = idKey(id);
    if (slots.has(text))
      throw input.error(`duplicate PEL entry ${text} in group '${name}' of key '${key}'`, at);
    slots.set(text, i);
    ids[i] = id;
    times[i] = millisecondTime(input, "PEL delivery time");
    counts[i] = input.length("PEL delivery count");
  }

  const consumers = input.count("consumer count", 10);
  for (let c = 0; c < consumers; c++) {
    const consumerAt = input.offset;
    const consumerName = input.latin1("consumer name");
    const seenTime = millisecondTime(input, "consumer seen time");
    if (type === RdbType.StreamListpacks3) millisecondTime(input, "consumer active time");
    if (group.consumer(consumerName) !== undefined) {
      throw input.error(
        `duplicate consumer '${consumerName}' in group '${name}' of key '${key}'`,
        consumerAt,
      );
    }
    const consumer = group.createConsumer(consumerName, seenTime);
    const owned = input.count("consumer PEL size", 16);
    for (let i = 0; i < owned; i++) {
      const at = input.offset;
      const text = idKey(rawId(input, "consumer PEL entry ID"));
      const slot = slots.get(text);
      if (slot === undefined) {
        throw input.error(
          `consumer '${consumerName}' of group '${name}' in key '${key}' has pending entry ${text}, which is not in the group's PEL`,
          at,
        );
      }
      if (owners[slot] !== null) {
        throw input.error(`pending entry ${text} of group '${name}' in key '${key}' has two owners`, at);
      }
      owners[slot] = consumer;
    }
  }

  const order = ids.map((_, i) => i);
  order.sort((a, b) => compareStreamIds(ids[a]!, ids[b]!));
  for (const i of order) {
    const owner = owners[i];
    if (owner === null || owner === undefined) {
      throw input.error(
        `pending entry ${idKey(ids[i]!)} of group '${name}' in key '${key}' belongs to no consumer`,
        nameAt,
      );
    }
    const entry = new PendingEntry(ids[i]!, owner, times[i]!, counts[i]!);
    group.pel.insert(entry);
    owner.pel.insert(entry);
  }
}
