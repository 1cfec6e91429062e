/*
 * Stream values (Redis' t_stream.c, type side).
 *
 * A stream is an append-only log of entries, each a list of field/value pairs
 * under a unique, increasing 128-bit ID (stream-id.ts). Entries live in packed
 * blocks (stream-block.ts) kept in an array ordered by ID, the role Redis gives
 * to listpacks in a rax:
 *   - append is O(1) (amortised): into the last block, or a new block when the
 *     last one reached stream-node-max-entries entries (deleted ones count) or
 *     stream-node-max-bytes listpack bytes, as Redis decides;
 *   - seeking an ID is O(log n): binary search over the blocks' first IDs, then
 *     inside the block;
 *   - XDEL marks an entry deleted; a block whose entries are all deleted goes;
 *   - trimming removes whole blocks from the front (an index `head` makes that
 *     O(1) per block; the array is compacted when half of it is dead) and, for
 *     exact trimming, marks entries deleted inside the first remaining block,
 *     exactly as Redis' streamTrim does, so `~` trims the same entries.
 *
 * Besides the entries a stream keeps the metadata Redis 7.0 keeps: the last
 * generated ID, the first entry's ID, the largest deleted ID, the count of
 * entries ever added, and its consumer groups (stream-group.ts).
 *
 * TYPE reports "stream" and OBJECT ENCODING "stream", as in Redis.
 */

import type { EncodingLimits } from "../limits.js";
import {
  arrayBytes,
  mapBytes,
  STREAM_BASE,
  STREAM_BLOCK_OBJECTS,
  STREAM_CONSUMER_BYTES,
  STREAM_GROUP_BYTES,
  STREAM_PENDING_BYTES,
} from "../memory-model.js";
import { STREAM_LISTPACK_MAX_SIZE, StreamBlock } from "./stream-block.js";
import { byName, StreamGroup } from "./stream-group.js";
import { compareStreamIds, StreamID, UINT64_MAX } from "./stream-id.js";

export { StreamBlock } from "./stream-block.js";
export { byName, PendingEntry, PendingList, StreamConsumer, StreamGroup } from "./stream-group.js";
export { compareIdParts, compareStreamIds, StreamID, UINT64_MAX } from "./stream-id.js";

/** How a trim chooses what goes (Redis' TRIM_STRATEGY_*). */
export enum TrimStrategy {
  None = 0,
  MaxLen = 1,
  MinId = 2,
}

/** The stream type (TYPE "stream", OBJECT ENCODING "stream"). */
export class RedisStream {
  readonly type = "stream" as const;
  /** Blocks in ID order; those before `head` are dead (trimmed). */
  private blocks: StreamBlock[];
  private head: number;
  /** Live entries. */
  length: number;
  /** Last ID generated or added (never goes back, even when entries are deleted). */
  lastId: StreamID;
  /** ID of the first live entry, 0-0 when empty (XINFO recorded-first-entry-id). */
  firstId: StreamID;
  /** Largest ID removed by XDEL (or set by XSETID), 0-0 when none. */
  maxDeletedId: StreamID;
  /** Entries ever added (XINFO entries-added). */
  entriesAdded: bigint;
  /** Consumer groups by name; null until the first is created. */
  groups: Map<string, StreamGroup> | null;
  /**
   * allocatedBytes of every live block but the last (memoryUsage in O(1)): only
   * the last block grows, so the sum changes when a block is sealed or removed.
   */
  private sealedBytes: number;

  constructor() {
    this.blocks = [];
    this.head = 0;
    this.length = 0;
    this.lastId = StreamID.MIN;
    this.firstId = StreamID.MIN;
    this.maxDeletedId = StreamID.MIN;
    this.entriesAdded = 0n;
    this.groups = null;
    this.sealedBytes = 0;
  }

  /**
   * Bytes this stream holds by the memory model (memory-model.ts): the object, the
   * blocks' arrays and each block's typed-array objects, and a fixed cost per
   * group, consumer and pending entry. O(groups).
   */
  memoryUsage(): number {
    const blocks = this.blocks;
    const live = blocks.length - this.head;
    let bytes = STREAM_BASE + arrayBytes(blocks.length) + live * STREAM_BLOCK_OBJECTS + this.sealedBytes;
    if (live > 0) bytes += blocks[blocks.length - 1]!.allocatedBytes;
    if (this.groups !== null) {
      bytes += mapBytes(this.groups.size);
      for (const group of this.groups.values()) {
        bytes +=
          STREAM_GROUP_BYTES + mapBytes(group.consumers.size) + group.consumers.size * STREAM_CONSUMER_BYTES;
        bytes += group.pel.length * STREAM_PENDING_BYTES;
      }
    }
    return bytes;
  }

  /** Encoding name OBJECT ENCODING reports. */
  get encoding(): "stream" {
    return "stream";
  }

  /** Number of packed blocks (XINFO radix-tree-keys: Redis' listpack count). */
  get blockCount(): number {
    return this.blocks.length - this.head;
  }

  /** Block `i` (0-based among live blocks), for persistence and tests. */
  blockAt(i: number): StreamBlock {
    return this.blocks[this.head + i]!;
  }

  /** Bytes held by the blocks' arrays (for memory figures). */
  get allocatedBytes(): number {
    let bytes = 0;
    for (let i = this.head; i < this.blocks.length; i++) bytes += this.blocks[i]!.allocatedBytes;
    return bytes;
  }

  // ---------------------------------------------------------------- IDs

  /**
   * The ID an auto-generated XADD would get at time `nowMs` (Redis'
   * streamNextID): `nowMs-0` when the clock is past the last ID's time, else
   * the last ID with seq + 1. Null when the last ID is the largest possible.
   */
  nextAutoId(nowMs: number): StreamID | null {
    const last = this.lastId;
    const ms = BigInt(nowMs);
    if (ms > last.ms) return new StreamID(ms, 0n);
    return this.nextIdAfter(last);
  }

  /** The ID following `last`: seq + 1, carrying into ms; null after the largest ID. */
  private nextIdAfter(last: StreamID): StreamID | null {
    return last.next();
  }

  /**
   * The ID of an XADD `ms-*` (seq chosen by the stream): `ms-0` after an older
   * time, last seq + 1 at the same time. Null when the time is older than the
   * last ID's or its sequence is exhausted (the caller replies the error).
   */
  idForMs(ms: bigint): StreamID | null {
    const last = this.lastId;
    if (ms > last.ms) return new StreamID(ms, 0n);
    if (ms === last.ms && last.seq !== UINT64_MAX) return new StreamID(ms, last.seq + 1n);
    return null;
  }

  /** True when `id` sorts after the last ID (an XADD with it may append). */
  isAfterLast(id: StreamID): boolean {
    return compareStreamIds(id, this.lastId) > 0;
  }

  /**
   * ID of the first entry, deleted ones included (Redis' streamGetEdgeID
   * without skipping tombstones), or the largest ID when there is none.
   */
  firstIdWithTombstones(): StreamID {
    if (this.head >= this.blocks.length) return StreamID.MAX;
    const block = this.blocks[this.head]!;
    return new StreamID(block.ids[0]!, block.ids[1]!);
  }

  /**
   * Number of nodes of the radix tree Redis would hold for this stream's
   * blocks (XINFO radix-tree-nodes): the blocks are keyed by the 128-bit
   * big-endian ID of their first entry in a compressed trie whose branching
   * points, compressed chains and leaves are each one node.
   */
  radixTreeNodes(): number {
    const count = this.blocks.length - this.head;
    if (count === 0) return 1;
    const keys: Buffer[] = [];
    for (let i = this.head; i < this.blocks.length; i++) {
      const block = this.blocks[i]!;
      const key = Buffer.alloc(16);
      key.writeBigUInt64BE(block.ids[0]!, 0);
      key.writeBigUInt64BE(block.ids[1]!, 8);
      keys.push(key);
    }
    return trieNodes(keys, 0, keys.length, 0);
  }

  // ---------------------------------------------------------------- append

  /**
   * Append an entry `id` (greater than lastId: the caller checked) with the
   * field/value pairs pairs[start..end). Copies the bytes. Updates length,
   * lastId, entriesAdded and, for the first entry, firstId.
   */
  append(id: StreamID, pairs: readonly Buffer[], start: number, end: number, limits: EncodingLimits): void {
    let block = this.blocks.length > this.head ? this.blocks[this.blocks.length - 1]! : null;
    if (block !== null) {
      let maxBytes = limits.streamNodeMaxBytes;
      if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
      let payload = 0;
      for (let i = start; i < end; i++) payload += pairs[i]!.length;
      const maxEntries = limits.streamNodeMaxEntries;
      if (block.listpackBytes + payload >= maxBytes || (maxEntries !== 0 && block.count >= maxEntries)) {
        block = null;
      }
    }
    if (block === null) {
      // After a full block, the next one is allocated at that size at once.
      const previous = this.blocks.length > this.head ? this.blocks[this.blocks.length - 1]! : null;
      block = previous === null ? new StreamBlock() : new StreamBlock(previous.count, previous.used + 64);
      if (previous !== null) this.sealedBytes += previous.allocatedBytes;
      this.blocks.push(block);
    }
    block.append(id.ms, id.seq, pairs, start, end);
    if (this.length === 0) this.firstId = id;
    this.length++;
    this.lastId = id;
    this.entriesAdded++;
  }

  // ---------------------------------------------------------------- seek

  /**
   * Index (absolute, in `blocks`) of the block that would hold ms-seq: the last
   * block whose first entry is <= ms-seq, or `head` when ms-seq is before all.
   */
  private blockFor(ms: bigint, seq: bigint): number {
    const blocks = this.blocks;
    let low = this.head;
    let high = blocks.length - 1;
    if (high < low) return low;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      const block = blocks[middle]!;
      const m = block.ids[0]!;
      if (m < ms || (m === ms && block.ids[1]! <= seq)) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The live entry `id` as [block, index], or null. */
  private locate(id: StreamID): StreamBlock | null {
    if (this.length === 0) return null;
    const block = this.blocks[this.blockFor(id.ms, id.seq)]!;
    const index = block.lowerBound(id.ms, id.seq);
    if (index >= block.count || block.ids[index * 2] !== id.ms || block.ids[index * 2 + 1] !== id.seq)
      return null;
    if (block.deleted[index] === 1) return null;
    this.located = index;
    return block;
  }

  private located = 0;

  /** True when a live entry has ID `id`. */
  has(id: StreamID): boolean {
    return this.locate(id) !== null;
  }

  /** ID of the first live entry (or the last with `last`), or null when empty. */
  edgeId(last: boolean): StreamID | null {
    if (this.length === 0) return null;
    const blocks = this.blocks;
    if (!last) {
      for (let b = this.head; b < blocks.length; b++) {
        const block = blocks[b]!;
        for (let i = 0; i < block.count; i++) {
          if (block.deleted[i] === 0) return new StreamID(block.ids[i * 2]!, block.ids[i * 2 + 1]!);
        }
      }
    } else {
      for (let b = blocks.length - 1; b >= this.head; b--) {
        const block = blocks[b]!;
        for (let i = block.count - 1; i >= 0; i--) {
          if (block.deleted[i] === 0) return new StreamID(block.ids[i * 2]!, block.ids[i * 2 + 1]!);
        }
      }
    }
    return null;
  }

  /** A new iterator over entries with start <= ID <= end, ascending or (`reverse`) descending. */
  iterate(start: StreamID, end: StreamID, reverse: boolean): StreamIterator {
    const iterator = new StreamIterator();
    iterator.reset(this, start, end, reverse);
    return iterator;
  }

  /** Internal for StreamIterator: the blocks array, head, and blockFor. */
  blocksView(): readonly StreamBlock[] {
    return this.blocks;
  }

  /** Internal for StreamIterator. */
  get headIndex(): number {
    return this.head;
  }

  /** Internal for StreamIterator. */
  seekBlock(ms: bigint, seq: bigint): number {
    return this.blockFor(ms, seq);
  }

  // ---------------------------------------------------------------- removal

  /**
   * XDEL one entry: mark it deleted (dropping its block when it was the last
   * live one there). Returns false when no live entry has that ID. Does not
   * touch maxDeletedId or firstId: the caller (deleteEntries) does.
   */
  private deleteOne(id: StreamID): boolean {
    const block = this.locate(id);
    if (block === null) return false;
    block.markDeleted(this.located);
    this.length--;
    if (block.live === 0) this.removeBlock(block);
    return true;
  }

  /**
   * XDEL: delete the entries `ids`, updating max-deleted-entry-id and the
   * first ID as Redis 7.0 does. Returns how many existed.
   */
  deleteEntries(ids: readonly StreamID[]): number {
    let deleted = 0;
    for (const id of ids) {
      if (this.deleteOne(id)) {
        if (compareStreamIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
        deleted++;
      }
    }
    if (deleted > 0) this.refreshFirstId();
    return deleted;
  }

  private removeBlock(block: StreamBlock): void {
    const blocks = this.blocks;
    if (blocks[this.head] === block) {
      this.dropHead();
      return;
    }
    const index = blocks.indexOf(block, this.head);
    if (index >= 0) {
      this.forgetBlockBytes(index);
      blocks.splice(index, 1);
    }
  }

  /** Keep sealedBytes right when the live block at absolute `index` is about to go. */
  private forgetBlockBytes(index: number): void {
    const blocks = this.blocks;
    if (index === blocks.length - 1) {
      // The one before becomes the last block: it leaves the sealed sum.
      if (index - 1 >= this.head) this.sealedBytes -= blocks[index - 1]!.allocatedBytes;
    } else {
      this.sealedBytes -= blocks[index]!.allocatedBytes;
    }
  }

  /** Drop the first live block; compact the array when half of it is dead. */
  private dropHead(): void {
    const blocks = this.blocks;
    this.forgetBlockBytes(this.head);
    blocks[this.head] = undefined as unknown as StreamBlock;
    this.head++;
    if (this.head === blocks.length) {
      this.blocks = [];
      this.head = 0;
    } else if (this.head >= 32 && this.head * 2 >= blocks.length) {
      this.blocks = blocks.slice(this.head);
      this.head = 0;
    }
  }

  private refreshFirstId(): void {
    this.firstId = this.length === 0 ? StreamID.MIN : this.edgeId(false)!;
  }

  /**
   * Trim the stream as Redis 7.0's streamTrim: by MAXLEN (keep at most
   * `maxLen` entries) or MINID (drop entries below `minId`). Whole blocks go
   * first; with `approx` nothing else, otherwise entries of the first block
   * left are marked deleted. `limit` (0 = none) caps the entries removed
   * through whole blocks. Returns how many entries were removed.
   */
  trim(strategy: TrimStrategy, maxLen: number, minId: StreamID, approx: boolean, limit: number): number {
    if (strategy === TrimStrategy.None) return 0;
    let deleted = 0;
    while (this.head < this.blocks.length) {
      if (strategy === TrimStrategy.MaxLen && this.length <= maxLen) break;
      const block = this.blocks[this.head]!;
      const entries = block.live;
      if (limit !== 0 && deleted + entries > limit) break;
      let removeBlock: boolean;
      if (strategy === TrimStrategy.MaxLen) {
        removeBlock = this.length - entries >= maxLen;
      } else {
        const last = block.count - 1;
        const lastMs = block.ids[last * 2]!;
        const lastSeq = block.ids[last * 2 + 1]!;
        removeBlock = lastMs < minId.ms || (lastMs === minId.ms && lastSeq < minId.seq);
      }
      if (removeBlock) {
        this.dropHead();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      for (let i = 0; i < block.count; i++) {
        let stop: boolean;
        if (strategy === TrimStrategy.MaxLen) {
          stop = this.length <= maxLen;
        } else {
          const ms = block.ids[i * 2]!;
          const seq = block.ids[i * 2 + 1]!;
          stop = ms > minId.ms || (ms === minId.ms && seq >= minId.seq);
        }
        if (stop) break;
        if (block.markDeleted(i)) {
          this.length--;
          deleted++;
        }
      }
      break;
    }
    this.refreshFirstId();
    return deleted;
  }

  // ---------------------------------------------------------------- lag (Redis 7.0)

  /**
   * True when an entry between `start` and `end` (null: unbounded) may have
   * been deleted (Redis' streamRangeHasTombstones, from max-deleted-entry-id).
   */
  rangeHasTombstones(start: StreamID | null, end: StreamID | null): boolean {
    const maxDeleted = this.maxDeletedId;
    if (this.length === 0 || maxDeleted.isZero()) return false;
    if (compareStreamIds(this.firstId, maxDeleted) > 0) return false;
    const from = start ?? StreamID.MIN;
    const to = end ?? StreamID.MAX;
    return compareStreamIds(from, maxDeleted) <= 0 && compareStreamIds(maxDeleted, to) <= 0;
  }

  /**
   * The logical read counter of `id` (how many entries were added up to it),
   * or -1n when it cannot be known (Redis'
   * streamEstimateDistanceFromFirstEverEntry).
   */
  estimateDistanceFromFirstEverEntry(id: StreamID): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.length === 0 && compareStreamIds(id, this.lastId) < 1) return this.entriesAdded;
    const cmpLast = compareStreamIds(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return -1n;
    const cmpFirst = compareStreamIds(id, this.firstId);
    const maxDeleted = this.maxDeletedId;
    if (maxDeleted.isZero() || compareStreamIds(maxDeleted, this.firstId) < 0) {
      if (cmpFirst < 0) return this.entriesAdded - BigInt(this.length);
      if (cmpFirst === 0) return this.entriesAdded - BigInt(this.length) + 1n;
    }
    return -1n;
  }

  /** The lag of `group` (entries not yet delivered), or null when unknown (Redis' streamReplyWithCGLag). */
  groupLag(group: StreamGroup): bigint | null {
    if (this.entriesAdded === 0n) return 0n;
    if (group.entriesRead !== -1n && !this.rangeHasTombstones(group.lastId, null)) {
      return this.entriesAdded - group.entriesRead;
    }
    const entriesRead = this.estimateDistanceFromFirstEverEntry(group.lastId);
    return entriesRead === -1n ? null : this.entriesAdded - entriesRead;
  }

  /**
   * A group delivered entry `id` (greater than its last ID): advance its
   * last ID and entries-read counter as Redis 7.0 does.
   */
  advanceGroup(group: StreamGroup, id: StreamID): void {
    if (group.entriesRead !== -1n && !this.rangeHasTombstones(id, null)) {
      group.entriesRead++;
    } else if (this.entriesAdded !== 0n) {
      group.entriesRead = this.estimateDistanceFromFirstEverEntry(id);
    }
    group.lastId = id;
  }

  // ---------------------------------------------------------------- groups

  /** Group `name`, or undefined. */
  group(name: string): StreamGroup | undefined {
    return this.groups === null ? undefined : this.groups.get(name);
  }

  /** Create group `name` (null when it exists). */
  createGroup(name: string, lastId: StreamID, entriesRead: bigint): StreamGroup | null {
    if (this.groups === null) this.groups = new Map();
    if (this.groups.has(name)) return null;
    const group = new StreamGroup(name, lastId, entriesRead);
    this.groups.set(name, group);
    return group;
  }

  /** Destroy group `name`. Returns false when absent. */
  destroyGroup(name: string): boolean {
    return this.groups?.delete(name) === true;
  }

  /** Number of groups. */
  get groupCount(): number {
    return this.groups === null ? 0 : this.groups.size;
  }

  /** Groups sorted by name bytes, as Redis lists them. */
  sortedGroups(): StreamGroup[] {
    return this.groups === null ? [] : [...this.groups.values()].sort(byName);
  }

  // ---------------------------------------------------------------- copy

  /** A deep copy (entries, metadata, groups), for COPY. */
  clone(): RedisStream {
    const copy = new RedisStream();
    for (let i = this.head; i < this.blocks.length; i++) copy.blocks.push(this.blocks[i]!.clone());
    for (let i = 0; i < copy.blocks.length - 1; i++) copy.sealedBytes += copy.blocks[i]!.allocatedBytes;
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.firstId = this.firstId;
    copy.maxDeletedId = this.maxDeletedId;
    copy.entriesAdded = this.entriesAdded;
    if (this.groups !== null) {
      copy.groups = new Map();
      for (const group of this.groups.values()) copy.groups.set(group.name, group.clone());
    }
    return copy;
  }

  /**
   * Rebuild helper for loaders (RDB): append a whole block as decoded
   * (entries with their deleted flags), keeping ID order. Entries deleted in
   * the source stay deleted. Metadata (lastId, entriesAdded ...) is set by the
   * loader afterwards.
   */
  loadEntry(id: StreamID, pairs: readonly Buffer[], limits: EncodingLimits): void {
    this.append(id, pairs, 0, pairs.length, limits);
  }

  /**
   * Rebuild helper for loaders (RDB): add `block`, built with StreamBlock.append
   * and markDeleted as one node of the source (a listpack of redis-server's
   * rax), as the last block, so node boundaries and the radix-tree figures
   * survive a reload. The caller checked that its IDs follow every entry held
   * and that it has a live entry. Adds its live entries to `length`; the caller
   * sets lastId, firstId, maxDeletedId and entriesAdded afterwards.
   */
  loadBlock(block: StreamBlock): void {
    const blocks = this.blocks;
    if (blocks.length > this.head) this.sealedBytes += blocks[blocks.length - 1]!.allocatedBytes;
    blocks.push(block);
    this.length += block.live;
  }
}

/**
 * Nodes of a compressed trie over the sorted 16-byte keys[from..to) that share
 * their first `depth` bytes: a leaf for a key's end, one compressed node for a
 * run of bytes without branching, one node per branching point.
 */
function trieNodes(keys: readonly Buffer[], from: number, to: number, depth: number): number {
  if (to - from === 1) return depth === 16 ? 1 : 2;
  const first = keys[from]!;
  const last = keys[to - 1]!;
  let common = depth;
  while (common < 16 && first[common] === last[common]) common++;
  let nodes = (common > depth ? 1 : 0) + 1;
  let start = from;
  while (start < to) {
    const byte = keys[start]![common];
    let end = start + 1;
    while (end < to && keys[end]![common] === byte) end++;
    nodes += trieNodes(keys, start, end, common + 1);
    start = end;
  }
  return nodes;
}

// ---------------------------------------------------------------- iteration

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Walks the live entries of a stream between two IDs (inclusive), ascending
 * or descending. After next() returns true, `ms`/`seq` are the entry's ID and
 * `pairCount`, field(i) and value(i) its content (Buffer views into the block:
 * valid until the stream changes). One object per walk; reset() reuses it.
 */
export class StreamIterator {
  ms: bigint;
  seq: bigint;
  pairCount: number;
  private stream: RedisStream | null;
  private startMs: bigint;
  private startSeq: bigint;
  private endMs: bigint;
  private endSeq: bigint;
  private reverse: boolean;
  private blockIndex: number;
  private entryIndex: number;
  private block: StreamBlock | null;
  /** Offsets of the current entry's items (length words), filled lazily. */
  private itemOffsets: number[];
  private done: boolean;
  /** The millisecond part whose text msText holds (-1n: none yet). */
  private textMs: bigint;
  private msText: string;

  constructor() {
    this.ms = 0n;
    this.seq = 0n;
    this.pairCount = 0;
    this.stream = null;
    this.startMs = 0n;
    this.startSeq = 0n;
    this.endMs = 0n;
    this.endSeq = 0n;
    this.reverse = false;
    this.blockIndex = 0;
    this.entryIndex = 0;
    this.block = null;
    this.itemOffsets = [];
    this.done = true;
    this.textMs = -1n;
    this.msText = "";
  }

  /** Start a walk of `stream` over [start, end]. */
  reset(stream: RedisStream, start: StreamID, end: StreamID, reverse: boolean): void {
    this.stream = stream;
    this.startMs = start.ms;
    this.startSeq = start.seq;
    this.endMs = end.ms;
    this.endSeq = end.seq;
    this.reverse = reverse;
    this.done = stream.length === 0 || compareStreamIds(start, end) > 0;
    if (this.done) return;
    const blocks = stream.blocksView();
    if (!reverse) {
      this.blockIndex = stream.seekBlock(start.ms, start.seq);
      const block = blocks[this.blockIndex]!;
      this.block = block;
      this.entryIndex = block.lowerBound(start.ms, start.seq) - 1;
    } else {
      this.blockIndex = stream.seekBlock(end.ms, end.seq);
      const block = blocks[this.blockIndex]!;
      this.block = block;
      // Entries <= end: the lower bound of end, plus end itself when present.
      let index = block.lowerBound(end.ms, end.seq);
      if (index < block.count && block.ids[index * 2] === end.ms && block.ids[index * 2 + 1] === end.seq)
        index++;
      this.entryIndex = index;
    }
  }

  /** The current entry's ID as a StreamID. */
  get id(): StreamID {
    return new StreamID(this.ms, this.seq);
  }

  /**
   * The current entry's ID as text, `ms-seq`. Entries of one block mostly share
   * their millisecond, so its text is kept from the previous entry; halves that
   * fit a double are printed as numbers (cheaper than BigInt's toString).
   */
  idText(): string {
    const ms = this.ms;
    if (ms !== this.textMs) {
      this.textMs = ms;
      this.msText = ms <= MAX_SAFE_BIG ? String(Number(ms)) : String(ms);
    }
    const seq = this.seq;
    return `${this.msText}-${seq <= MAX_SAFE_BIG ? String(Number(seq)) : String(seq)}`;
  }

  /** Advance to the next entry in range. False when the walk is over. */
  next(): boolean {
    if (this.done) return false;
    const stream = this.stream!;
    const blocks = stream.blocksView();
    let block = this.block!;
    for (;;) {
      if (!this.reverse) {
        this.entryIndex++;
        if (this.entryIndex >= block.count) {
          this.blockIndex++;
          if (this.blockIndex >= blocks.length) return this.finish();
          block = blocks[this.blockIndex]!;
          this.block = block;
          this.entryIndex = 0;
        }
      } else {
        this.entryIndex--;
        if (this.entryIndex < 0) {
          this.blockIndex--;
          if (this.blockIndex < stream.headIndex) return this.finish();
          block = blocks[this.blockIndex]!;
          this.block = block;
          this.entryIndex = block.count - 1;
        }
      }
      const i = this.entryIndex;
      const ms = block.ids[i * 2]!;
      const seq = block.ids[i * 2 + 1]!;
      if (!this.reverse) {
        if (ms > this.endMs || (ms === this.endMs && seq > this.endSeq)) return this.finish();
      } else if (ms < this.startMs || (ms === this.startMs && seq < this.startSeq)) {
        return this.finish();
      }
      if (block.deleted[i] === 1) continue;
      this.ms = ms;
      this.seq = seq;
      this.loadItems(block, i);
      return true;
    }
  }

  private finish(): boolean {
    this.done = true;
    return false;
  }

  private loadItems(block: StreamBlock, i: number): void {
    const data = block.data;
    let position = block.offsets[i]!;
    const pairs = data.readUInt32LE(position);
    position += 4;
    const offsets = this.itemOffsets;
    offsets.length = 0;
    for (let k = 0; k < pairs * 2; k++) {
      offsets.push(position);
      position += 4 + data.readUInt32LE(position);
    }
    this.pairCount = pairs;
  }

  /** Field `pair` of the current entry (a view). */
  field(pair: number): Buffer {
    return this.item(pair * 2);
  }

  /** Value `pair` of the current entry (a view). */
  value(pair: number): Buffer {
    return this.item(pair * 2 + 1);
  }

  private item(k: number): Buffer {
    const data = this.block!.data;
    const at = this.itemOffsets[k]!;
    const length = data.readUInt32LE(at);
    return data.subarray(at + 4, at + 4 + length);
  }

  /** The data buffer of the current entry, with item bounds, for zero-copy replies. */
  itemBounds(k: number): [buffer: Buffer, start: number, end: number] {
    const data = this.block!.data;
    const at = this.itemOffsets[k]!;
    return [data, at + 4, at + 4 + data.readUInt32LE(at)];
  }

  /** Source buffer of the current entry (for bulkSlice). */
  get buffer(): Buffer {
    return this.block!.data;
  }

  /** Start offset of item k (field 2p, value 2p+1) in `buffer`. */
  itemStart(k: number): number {
    return this.itemOffsets[k]! + 4;
  }

  /** End offset of item k in `buffer`. */
  itemEnd(k: number): number {
    const at = this.itemOffsets[k]!;
    return at + 4 + this.block!.data.readUInt32LE(at);
  }
}
