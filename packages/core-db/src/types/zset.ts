/*
 * Sorted set values (Redis' t_zset.c, type side).
 *
 * A sorted set maps unique members (binary, held as latin1 JS strings) to scores
 * (doubles, never NaN) and keeps them ordered by (score, member bytes).
 *
 * Two encodings, as Redis 7.0 reports them in OBJECT ENCODING:
 *   - "listpack": the (member, score) entries sorted by (score, member), packed in
 *     one byte string as Redis packs them in one listpack (packed-zset.ts). Lookups
 *     walk the entries and updates copy the bytes: O(n), which is what Redis'
 *     listpack costs too, and cheap for the small sets it holds. A listpack keeps
 *     scores as text where integral values lose the sign of zero, so a -0 stored
 *     in a listpack reads back as 0, exactly as in Redis.
 *   - "skiplist" (Redis' name for the encoding of large sets, kept for OBJECT
 *     ENCODING): here an order-statistic B+tree (ZOrderStatisticTree: O(log n)
 *     insert, delete, rank, select by rank and range seeks, with few, compact
 *     nodes), a member -> slot map and two dense slot arrays, members and their
 *     scores (O(1) ZSCORE and random picks; the ZSCAN cursor space, walked like
 *     the keyspace's).
 *
 * A new set starts as a listpack and becomes a skiplist when an insertion would
 * exceed zset-max-listpack-entries or a member is longer than
 * zset-max-listpack-value bytes. The conversion is one-way, as in Redis 7.0.
 * Thresholds are read from the EncodingLimits passed to each insertion (the
 * keyspace's live instance, which CONFIG SET changes in place).
 *
 * Positions in this API are 0-based ranks in ascending order; walking in reverse
 * is a property of a cursor, not of the rank.
 */

import type { EncodingLimits } from "../limits.js";
import { ARRAY_BASE, ARRAY_SLOT, mapBytes, objectBytes, stringBytes } from "../memory-model.js";
import { copyChars, editBytes, freshBytes, sealBytes } from "./byte-string.js";
import {
  DEFAULT_LEAF_CAPACITY,
  type RemovedMemberSink,
  ZOrderStatisticTree,
  type ZTreeLeaf,
  type ZTreePosition,
} from "./order-statistic-tree.js";
import {
  compareEntryMember,
  entryMemberEnd,
  entryMemberIs,
  entryMemberStart,
  entryNext,
  entryScore,
  entrySize,
  type PackedZSetBuilder,
  readEntry,
  readEntryMember,
  writeEntry,
} from "./packed-zset.js";

export { PackedZSetBuilder } from "./packed-zset.js";

import {
  isEmptyLexRange,
  isEmptyScoreRange,
  type LexRange,
  lexGteMin,
  lexLteMax,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
} from "./score-range.js";

export {
  isEmptyLexRange,
  isEmptyScoreRange,
  LexBoundKind,
  type LexRange,
  lexGteMin,
  lexLteMax,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
} from "./score-range.js";

/** Encodings OBJECT ENCODING reports for sorted sets. */
export type ZSetEncodingName = "listpack" | "skiplist";

/** Input flags of RedisZSet.add (ZADD's options). */
export enum ZAddFlag {
  None = 0,
  /** Add the score to the current one (ZADD INCR, ZINCRBY). */
  Incr = 1 << 0,
  /** Only add new members. */
  NX = 1 << 1,
  /** Only update existing members. */
  XX = 1 << 2,
  /** Only update when the new score is greater. */
  GT = 1 << 3,
  /** Only update when the new score is less. */
  LT = 1 << 4,
}

/** What RedisZSet.add did (bits of ZAddOutcome.result). */
export enum ZAddResult {
  /** Nothing changed (the conditions did not allow it, or the score was the same). */
  None = 0,
  /** A new member was added. */
  Added = 1 << 0,
  /** An existing member got a different score. */
  Updated = 1 << 1,
  /** The operation was skipped by NX / XX / GT / LT. */
  Nop = 1 << 2,
  /** INCR would produce NaN: nothing changed. */
  NaN = 1 << 3,
}

/**
 * Out-parameter of RedisZSet.add: what happened and the member's resulting score
 * (what ZADD INCR replies). One instance serves all members of a command.
 */
export class ZAddOutcome {
  result: ZAddResult = ZAddResult.None;
  score = 0;
}

/** One (member, score) pair, filled by RedisZSet.randomEntry. */
export class ZSetEntry {
  member = "";
  score = 0;
}

/** Formats a non-integral (or huge) score as text, e.g. @spinel/resp's formatDouble. */
export type ScoreFormatter = (score: number) => string;

/** Largest magnitude a listpack stores as an integer (Redis' double2ll bound: LLONG_MAX / 2 = 2^62). */
const LISTPACK_INTEGER_LIMIT = 2 ** 62;
/** Initial capacity of the slot score array of a tree-encoded set. */
const INITIAL_SLOT_CAPACITY = 256;
/** The RedisZSet object (3 fields; the type is on the prototype). */
const ZSET_OBJECT = objectBytes(3);
/**
 * The tree encoding's fixed part: its parts object (5 fields), the tree object
 * with its first leaf (a score and a member slot per element of capacity) and
 * the member array.
 */
const TREE_BASE = objectBytes(5) + DEFAULT_LEAF_CAPACITY * 16 + ARRAY_BASE;
/**
 * One tree member beyond its Map slot: its leaf slots (member and score, leaves
 * mostly full) and share of the branches, its member slot, the member string's
 * header (the score array is counted by capacity).
 */
const TREE_MEMBER = 18 + 2 + ARRAY_SLOT + 20;

// ---------------------------------------------------------------- cursor

/**
 * Walks a sorted set from a rank, ascending or descending. Call next() before
 * reading `member` / `score`; it returns false past the end. The set must not be
 * modified while a cursor is in use.
 *
 * On a listpack the cursor holds the packed bytes, the rank of the next entry and
 * its byte offset (walking down, the offsets of the entries up to the start, found
 * once); on the tree it is a ZTreePosition (a leaf and an index in it) that
 * follows the leaf links.
 */
export class ZSetCursor implements ZTreePosition {
  score: number;
  /** Tree encoding: the leaf of the next element (null past the end). */
  leaf: ZTreeLeaf | null;
  /** Index of the next element: its rank in a listpack, its index in `leaf` on the tree. */
  index: number;
  /** Listpack encoding: the packed entries (null on the tree). */
  private readonly packed: string | null;
  /** Listpack encoding: number of entries. */
  private readonly count: number;
  /** Listpack encoding, ascending: byte offset of the next entry. */
  private offset: number;
  /** Listpack encoding, descending: byte offsets of the entries of rank 0..start. */
  private readonly offsets: number[] | null;
  private readonly reverse: boolean;
  /**
   * The current member once known: the tree's string, or a listpack member once
   * read through `member`; null while it is only the char range
   * packed[memberStart, memberEnd) (writeMember needs no string of its own).
   */
  private memberText: string | null;
  private memberStart: number;
  private memberEnd: number;

  constructor(packed: string | null, count: number, rank: number, reverse: boolean) {
    this.memberText = "";
    this.memberStart = 0;
    this.memberEnd = 0;
    this.score = 0;
    this.leaf = null;
    this.index = rank;
    this.packed = packed;
    this.count = count;
    this.offset = 0;
    this.offsets = null;
    this.reverse = reverse;
    if (packed === null || rank < 0 || rank >= count) return;
    if (reverse) {
      const offsets = new Array<number>(rank + 1);
      let offset = 0;
      for (let i = 0; i <= rank; i++) {
        offsets[i] = offset;
        readEntryMember(packed, offset);
        offset = entryNext;
      }
      this.offsets = offsets;
    } else {
      this.offset = packedOffsetOfRank(packed, rank);
    }
  }

  /** Move to the next element in the cursor's direction; false when there is none. */
  next(): boolean {
    const packed = this.packed;
    if (packed !== null) {
      const index = this.index;
      if (index < 0 || index >= this.count) return false;
      if (this.reverse) {
        readEntry(packed, this.offsets![index]!);
        this.index = index - 1;
      } else {
        readEntry(packed, this.offset);
        this.offset = entryNext;
        this.index = index + 1;
      }
      this.score = entryScore;
      this.memberText = null;
      this.memberStart = entryMemberStart;
      this.memberEnd = entryMemberEnd;
      return true;
    }
    const leaf = this.leaf;
    if (leaf === null) return false;
    const index = this.index;
    this.memberText = leaf.members[index]!;
    this.score = leaf.scores[index]!;
    if (this.reverse) {
      if (index > 0) {
        this.index = index - 1;
      } else {
        const previous = leaf.prev;
        this.leaf = previous;
        this.index = previous === null ? -1 : previous.size - 1;
      }
    } else if (index + 1 < leaf.size) {
      this.index = index + 1;
    } else {
      this.leaf = leaf.next;
      this.index = 0;
    }
    return true;
  }

  /** The member of the current element (after a next() that returned true). */
  get member(): string {
    let text = this.memberText;
    if (text === null) {
      text = copyChars(this.packed!, this.memberStart, this.memberEnd);
      this.memberText = text;
    }
    return text;
  }

  /**
   * Write the current member to `out` as one bulk string: from a listpack
   * straight from the packed chars, without a string made for it.
   */
  writeMember(out: MemberSink): void {
    const text = this.memberText;
    if (text !== null) out.bulkString(text);
    else out.bulkChars(this.packed!, this.memberStart, this.memberEnd);
  }
}

/** Where a cursor writes a member for a reply (the bulk-string part of a reply writer). */
export interface MemberSink {
  /** A bulk string from a binary (latin1) JS string. */
  bulkString(text: string): void;
  /** A bulk string of the chars source[start, end) of a latin1 string (copied). */
  bulkChars(source: string, start: number, end: number): void;
}

/** Byte offset of the entry of rank `rank` in `packed` (its length when rank is the count). */
function packedOffsetOfRank(packed: string, rank: number): number {
  let offset = 0;
  for (let i = 0; i < rank; i++) {
    readEntryMember(packed, offset);
    offset = entryNext;
  }
  return offset;
}

/**
 * A position the rank-only queries (firstInScoreRange and friends) seek into; its
 * leaf is cleared after each use so that it keeps no set alive. A ZSetCursor, so
 * the tree's seeks only ever see one kind of position object.
 */
const scratchPosition = new ZSetCursor(null, 0, -1, false);

// ---------------------------------------------------------------- the type

/** Receives the entries of a listpack-encoded sorted set (see RedisZSet.forEachPackedEntry). */
export interface PackedZSetEntrySink {
  entry(packed: string, memberStart: number, memberEnd: number, score: number): void;
}

/** A sorted set value. */
/**
 * The tree encoding's parts. They live in an object of their own so that a
 * sorted set in the listpack encoding (most of them) carries one null field for
 * them instead of five.
 */
class ZSetTreeParts {
  /** The ordered index of (score, member) elements. */
  readonly tree = new ZOrderStatisticTree();
  /** member -> its slot in slotMembers / slotScores. */
  readonly slotOf = new Map<string, number>();
  /**
   * Every member and its score, densely packed in slots 0..length-1 (a removal
   * moves the last slot into the hole). O(1) random picks, and ZSCAN's cursor
   * space. The scores are kept unboxed; slotScores may be longer than
   * slotMembers (spare capacity).
   */
  readonly slotMembers: string[] = [];
  slotScores = new Float64Array(INITIAL_SLOT_CAPACITY);
  /** Bytes of all members (for memoryUsage, kept up to date by every change). */
  memberBytes = 0;
}

export class RedisZSet implements RemovedMemberSink {
  /** The type tag, shared on the prototype (see the end of the file) rather than a field per sorted set. */
  declare readonly type: "zset";
  /** Listpack encoding: the entries sorted by (score, member), packed (packed-zset.ts); null once a tree. */
  private packed: string | null;
  /** Listpack encoding: number of entries in `packed`. */
  private packedCount: number;
  /** Tree encoding ("skiplist"): its parts, in an object of their own; null while a listpack. */
  private large: ZSetTreeParts | null;

  /** An empty sorted set in the listpack encoding. */
  constructor() {
    this.packed = "";
    this.packedCount = 0;
    this.large = null;
  }

  /**
   * Bytes this sorted set holds (see memory-model.ts): a fixed cost per member by
   * encoding, the member bytes, and the tree encoding's score array. O(1).
   */
  memoryUsage(): number {
    const packed = this.packed;
    if (packed !== null) return ZSET_OBJECT + stringBytes(packed.length);
    return (
      ZSET_OBJECT +
      TREE_BASE +
      mapBytes(this.large!.slotMembers.length) +
      this.large!.slotMembers.length * TREE_MEMBER +
      this.large!.slotScores.length * 8 +
      this.large!.memberBytes
    );
  }

  /**
   * A sorted set holding the given pairs (members unique, any order), encoded as
   * Redis encodes the result of ZUNIONSTORE / ZRANGESTORE and friends: a listpack
   * when the pairs fit zset-max-listpack-entries and -value, else a skiplist.
   */
  static fromEntries(
    members: readonly string[],
    scores: readonly number[],
    limits: EncodingLimits,
  ): RedisZSet {
    const zset = new RedisZSet();
    const count = members.length;
    let longest = 0;
    for (let i = 0; i < count; i++) if (members[i]!.length > longest) longest = members[i]!.length;
    const order = new Array<number>(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort((a, b) => compareEntries(scores[a]!, members[a]!, scores[b]!, members[b]!));
    if (count <= limits.zsetMaxListpackEntries && longest <= limits.zsetMaxListpackValue) {
      let size = 0;
      for (let i = 0; i < count; i++) size += entrySize(members[i]!, listpackScore(scores[i]!));
      const buffer = freshBytes(size);
      let offset = 0;
      for (const i of order) offset = writeEntry(buffer, offset, members[i]!, listpackScore(scores[i]!));
      zset.packed = sealBytes(size);
      zset.packedCount = count;
      return zset;
    }
    zset.toTree();
    // Ascending order: every insertion appends, which fills the tree's leaves.
    for (const i of order) zset.treeInsert(members[i]!, scores[i]!);
    return zset;
  }

  /**
   * The sorted set `builder` has packed, when its entries came in order
   * (ascending score, then member) and fit zset-max-listpack-entries and
   * -value: what fromEntries would build from them, without sorting.
   * Undefined otherwise (the caller then uses fromEntries), null when a member
   * repeats (loaders report that as corrupt input). The builder is left to be reset.
   */
  static fromPacked(builder: PackedZSetBuilder, limits: EncodingLimits): RedisZSet | null | undefined {
    const count = builder.count;
    if (
      !builder.ordered ||
      count > limits.zsetMaxListpackEntries ||
      builder.longest > limits.zsetMaxListpackValue
    )
      return undefined;
    if (builder.hasRepeatedMember()) return null;
    const zset = new RedisZSet();
    zset.packed = builder.finish();
    zset.packedCount = count;
    return zset;
  }

  /** OBJECT ENCODING name ("skiplist" is Redis' name for the large-set encoding). */
  get encoding(): ZSetEncodingName {
    return this.packed !== null ? "listpack" : "skiplist";
  }

  /** Number of members (ZCARD). */
  get length(): number {
    return this.packed !== null ? this.packedCount : this.large!.slotMembers.length;
  }

  /** Score of `member`, or undefined when it is not in the set. */
  score(member: string): number | undefined {
    const packed = this.packed;
    if (packed !== null) return packedFind(packed, member) === -1 ? undefined : entryScore;
    const slot = this.large!.slotOf.get(member);
    return slot === undefined ? undefined : this.large!.slotScores[slot]!;
  }

  /** True when `member` is in the set. */
  has(member: string): boolean {
    return this.packed !== null ? packedFind(this.packed, member) !== -1 : this.large!.slotOf.has(member);
  }

  // ---------------------------------------------------------------- add / remove

  /**
   * Redis' zsetAdd: add `member` with `score`, or update it, under ZADD's `flags`
   * (ZAddFlag bits; NX/XX and GT/LT combinations are the caller's to reject).
   * With Incr the score is added to the current one (a missing member counts as
   * 0 + score). Writes what happened and the resulting score into `outcome`.
   * May convert the set to a skiplist (new member beyond the `limits`).
   * `score` must not be NaN.
   */
  add(member: string, score: number, flags: number, limits: EncodingLimits, outcome: ZAddOutcome): void {
    const incr = (flags & ZAddFlag.Incr) !== 0;
    // One member lookup serves the whole operation: the listpack offset, or the slot.
    let at: number;
    let current: number | undefined;
    const packed = this.packed;
    if (packed !== null) {
      at = packedFind(packed, member);
      current = at === -1 ? undefined : entryScore;
    } else {
      const slot = this.large!.slotOf.get(member);
      at = slot === undefined ? -1 : slot;
      current = slot === undefined ? undefined : this.large!.slotScores[slot]!;
    }
    if (current !== undefined) {
      if ((flags & ZAddFlag.NX) !== 0) {
        outcome.result = ZAddResult.Nop;
        outcome.score = current;
        return;
      }
      let next = score;
      if (incr) {
        next = current + score;
        if (Number.isNaN(next)) {
          outcome.result = ZAddResult.NaN;
          outcome.score = current;
          return;
        }
      }
      if (
        ((flags & ZAddFlag.GT) !== 0 && next <= current) ||
        ((flags & ZAddFlag.LT) !== 0 && next >= current)
      ) {
        outcome.result = ZAddResult.Nop;
        outcome.score = current;
        return;
      }
      outcome.score = next;
      if (next !== current) {
        this.updateScore(member, at, current, next);
        outcome.result = ZAddResult.Updated;
      } else {
        outcome.result = ZAddResult.None;
      }
      return;
    }
    if ((flags & ZAddFlag.XX) !== 0) {
      outcome.result = ZAddResult.Nop;
      outcome.score = 0;
      return;
    }
    this.insertNew(member, score, limits);
    outcome.result = ZAddResult.Added;
    outcome.score = score;
  }

  /** Insert a member known to be absent, converting to a tree when it would not fit. */
  private insertNew(member: string, score: number, limits: EncodingLimits): void {
    if (this.packed !== null) {
      if (
        this.packedCount + 1 > limits.zsetMaxListpackEntries ||
        member.length > limits.zsetMaxListpackValue
      ) {
        this.toTree();
      } else {
        this.listpackInsert(member, score);
        return;
      }
    }
    this.treeInsert(member, score);
  }

  /**
   * Give an existing member a new score, keeping the order. `at` is where the
   * member is: the byte offset of its listpack entry, or its slot in the tree encoding.
   */
  private updateScore(member: string, at: number, current: number, score: number): void {
    if (this.packed !== null) {
      this.packedRemoveEntry(at);
      this.listpackInsert(member, score);
      return;
    }
    // The stored member, not the caller's equal string: the tree then finds its
    // element by identity, and keeps holding the one string the index holds.
    const large = this.large!;
    large.tree.updateScore(current, large.slotMembers[at]!, score);
    large.slotScores[at] = score;
  }

  /** Remove `member`. Returns true when it was present. */
  remove(member: string): boolean {
    const packed = this.packed;
    if (packed !== null) {
      const at = packedFind(packed, member);
      if (at === -1) return false;
      this.packedRemoveEntry(at);
      return true;
    }
    const slot = this.large!.slotOf.get(member);
    if (slot === undefined) return false;
    this.large!.tree.delete(this.large!.slotScores[slot]!, member);
    this.releaseSlot(member, slot);
    return true;
  }

  /**
   * Remove the members with ranks start..end (0-based, inclusive, clamped to the
   * set). Returns how many were removed. O(log n + m) on a tree.
   */
  removeRankRange(start: number, end: number): number {
    const length = this.length;
    if (start < 0) start = 0;
    if (end >= length) end = length - 1;
    if (start > end) return 0;
    const packed = this.packed;
    if (packed !== null) {
      const from = packedOffsetOfRank(packed, start);
      let to = from;
      for (let i = start; i <= end; i++) {
        readEntryMember(packed, to);
        to = entryNext;
      }
      editBytes(packed, from, to - from, 0);
      this.packed = sealBytes(packed.length - (to - from));
      this.packedCount -= end - start + 1;
      return end - start + 1;
    }
    return this.large!.tree.deleteRankRange(start, end - start + 1, this);
  }

  /**
   * Remove the members in a lex range (ZREMRANGEBYLEX), walking as Redis does for
   * each encoding: from the first member in the range while members stay below
   * the maximum. Returns how many were removed. On the tree, as in Redis'
   * zslDeleteRangeByLex, there is no check of the set's ends first: on a set whose
   * members are not in lex order (mixed scores) the walk is as arbitrary as Redis'.
   */
  removeLexRange(range: LexRange): number {
    if (this.packed !== null) {
      const start = this.firstInLexRange(range);
      if (start === -1) return 0;
      return this.removeRankRange(start, start + this.packedRunInLexMax(start, range) - 1);
    }
    const cursor = new ZSetCursor(null, 0, -1, false);
    const start = this.large!.tree.seekLexMin(range, cursor);
    if (start === -1) return 0;
    let count = 0;
    while (cursor.next() && lexLteMax(cursor.member, range)) count++;
    return count === 0 ? 0 : this.large!.tree.deleteRankRange(start, count, this);
  }

  /** Remove the members whose score is in `range` (ZREMRANGEBYSCORE). Returns how many. */
  removeScoreRange(range: ScoreRange): number {
    const start = this.firstInScoreRange(range);
    if (start === -1) return 0;
    return this.removeRankRange(start, this.lastInScoreRange(range));
  }

  /** Forget a member the tree removed (RemovedMemberSink; not for outside use). */
  memberRemoved(member: string): void {
    this.releaseSlot(member, this.large!.slotOf.get(member)!);
  }

  /** Drop `member` (in `slot`) from the slot map and arrays: the last slot fills the hole. */
  private releaseSlot(member: string, slot: number): void {
    const slotOf = this.large!.slotOf;
    const slotMembers = this.large!.slotMembers;
    const slotScores = this.large!.slotScores;
    slotOf.delete(member);
    this.large!.memberBytes -= member.length;
    const last = slotMembers.length - 1;
    if (slot !== last) {
      const moved = slotMembers[last]!;
      slotMembers[slot] = moved;
      slotScores[slot] = slotScores[last]!;
      slotOf.set(moved, slot);
    }
    slotMembers.pop();
    // Give memory back when the set has shrunk to a quarter of the capacity.
    if (slotScores.length > INITIAL_SLOT_CAPACITY && last < slotScores.length >> 2) {
      this.large!.slotScores = slotScores.slice(0, slotScores.length >> 1);
    }
  }

  // ---------------------------------------------------------------- ranks and ranges

  /** 0-based ascending rank of `member`, or -1 when absent. O(log n) on a tree. */
  rank(member: string): number {
    const packed = this.packed;
    if (packed !== null) return packedFind(packed, member) === -1 ? -1 : foundRank;
    const slot = this.large!.slotOf.get(member);
    if (slot === undefined) return -1;
    return this.large!.tree.rank(this.large!.slotScores[slot]!, member);
  }

  /**
   * Listpack encoding: hand every entry, in ascending order, to `sink`, its
   * member as a char range of the packed string the set holds (nothing is
   * copied; the range is valid until the next change). Returns false, calling
   * nothing, in the tree encoding. For serialisers (the RDB writer) that copy
   * the bytes out.
   */
  forEachPackedEntry(sink: PackedZSetEntrySink): boolean {
    const packed = this.packed;
    if (packed === null) return false;
    const end = packed.length;
    let offset = 0;
    while (offset < end) {
      readEntry(packed, offset);
      offset = entryNext;
      sink.entry(packed, entryMemberStart, entryMemberEnd, entryScore);
    }
    return true;
  }

  /**
   * A cursor whose first next() yields the element at ascending rank `rank`, then
   * walks up (or down when `reverse`). A rank outside the set gives an empty walk.
   */
  cursor(rank: number, reverse: boolean): ZSetCursor {
    const packed = this.packed;
    if (packed !== null) {
      const start = rank < 0 || rank >= this.packedCount ? -1 : rank;
      return new ZSetCursor(packed, this.packedCount, start, reverse);
    }
    const cursor = new ZSetCursor(null, 0, -1, reverse);
    this.large!.tree.seekRank(rank, cursor);
    return cursor;
  }

  /** Rank of the first element whose score is in `range`, or -1. */
  firstInScoreRange(range: ScoreRange): number {
    const packed = this.packed;
    if (packed !== null) {
      if (isEmptyScoreRange(range)) return -1;
      for (let offset = 0, i = 0; offset < packed.length; offset = entryNext, i++) {
        readEntry(packed, offset);
        if (scoreGteMin(entryScore, range)) return scoreLteMax(entryScore, range) ? i : -1;
      }
      return -1;
    }
    const rank = this.large!.tree.seekFirstInScoreRange(range, scratchPosition);
    scratchPosition.leaf = null;
    return rank;
  }

  /** Rank of the last element whose score is in `range`, or -1. */
  lastInScoreRange(range: ScoreRange): number {
    const packed = this.packed;
    if (packed !== null) {
      if (isEmptyScoreRange(range)) return -1;
      // Scores ascend, so the entries within the maximum are a prefix: its last one.
      let last = -1;
      let lastScore = 0;
      for (let offset = 0, i = 0; offset < packed.length; offset = entryNext, i++) {
        readEntry(packed, offset);
        if (!scoreLteMax(entryScore, range)) break;
        last = i;
        lastScore = entryScore;
      }
      return last !== -1 && scoreGteMin(lastScore, range) ? last : -1;
    }
    const rank = this.large!.tree.seekLastInScoreRange(range, scratchPosition);
    scratchPosition.leaf = null;
    return rank;
  }

  /**
   * A cursor at the first element whose score is in `range` (the last one when
   * `reverse`), walking away from it; an empty walk when no element is in the
   * range. One descent of the tree: ZRANGEBYSCORE starts here, skips its offset
   * and stops at the first element out of range, as Redis does.
   */
  scoreRangeCursor(range: ScoreRange, reverse: boolean): ZSetCursor {
    const packed = this.packed;
    if (packed !== null) {
      const rank = reverse ? this.lastInScoreRange(range) : this.firstInScoreRange(range);
      return new ZSetCursor(packed, this.packedCount, rank, reverse);
    }
    const cursor = new ZSetCursor(null, 0, -1, reverse);
    if (reverse) this.large!.tree.seekLastInScoreRange(range, cursor);
    else this.large!.tree.seekFirstInScoreRange(range, cursor);
    return cursor;
  }

  /** Like scoreRangeCursor, for a lex range (ZRANGEBYLEX). */
  lexRangeCursor(range: LexRange, reverse: boolean): ZSetCursor {
    const packed = this.packed;
    if (packed !== null) {
      const rank = reverse ? this.lastInLexRange(range) : this.firstInLexRange(range);
      return new ZSetCursor(packed, this.packedCount, rank, reverse);
    }
    const cursor = new ZSetCursor(null, 0, -1, reverse);
    if (reverse) this.treeLastInLexRange(range, cursor);
    else this.treeFirstInLexRange(range, cursor);
    return cursor;
  }

  /** Number of elements whose score is in `range` (ZCOUNT). O(log n) on a tree. */
  countInScoreRange(range: ScoreRange): number {
    const first = this.firstInScoreRange(range);
    if (first === -1) return 0;
    return this.lastInScoreRange(range) - first + 1;
  }

  /**
   * Rank of the first element whose member is in `range`, or -1. Lex ranges are
   * meant for sets whose members all share one score; otherwise the answer is as
   * arbitrary as Redis' and follows Redis' per-encoding walk.
   */
  firstInLexRange(range: LexRange): number {
    if (this.packed !== null) {
      if (!this.listpackOverlapsLexRange(range)) return -1;
      const members = this.packedMembers();
      for (let i = 0; i < members.length; i++) {
        const member = members[i]!;
        if (lexGteMin(member, range)) return lexLteMax(member, range) ? i : -1;
      }
      return -1;
    }
    const rank = this.treeFirstInLexRange(range, scratchPosition);
    scratchPosition.leaf = null;
    return rank;
  }

  /** Rank of the last element whose member is in `range`, or -1 (see firstInLexRange). */
  lastInLexRange(range: LexRange): number {
    if (this.packed !== null) {
      if (!this.listpackOverlapsLexRange(range)) return -1;
      const members = this.packedMembers();
      for (let i = members.length - 1; i >= 0; i--) {
        const member = members[i]!;
        if (lexLteMax(member, range)) return lexGteMin(member, range) ? i : -1;
      }
      return -1;
    }
    const rank = this.treeLastInLexRange(range, scratchPosition);
    scratchPosition.leaf = null;
    return rank;
  }

  /**
   * Redis' zzlIsInLexRange: false when the range is empty, the last member is
   * below it or the first member above it (the early exit of both walks).
   */
  private listpackOverlapsLexRange(range: LexRange): boolean {
    const packed = this.packed!;
    if (isEmptyLexRange(range) || this.packedCount === 0) return false;
    readEntryMember(packed, 0);
    const first = copyChars(packed, entryMemberStart, entryMemberEnd);
    readEntryMember(packed, packedOffsetOfRank(packed, this.packedCount - 1));
    const last = copyChars(packed, entryMemberStart, entryMemberEnd);
    return lexGteMin(last, range) && lexLteMax(first, range);
  }

  /** Redis' zslIsInLexRange, on the tree: the same early exit as the listpack's. */
  private treeOverlapsLexRange(range: LexRange): boolean {
    const tree = this.large!.tree;
    if (isEmptyLexRange(range) || tree.length === 0) return false;
    const tail = tree.tail;
    return lexGteMin(tail.members[tail.size - 1]!, range) && lexLteMax(tree.head.members[0]!, range);
  }

  /** Point `out` at the first element in the lex range (Redis' zslNthInLexRange walk); its rank or -1. */
  private treeFirstInLexRange(range: LexRange, out: ZTreePosition): number {
    if (!this.treeOverlapsLexRange(range)) return clearPosition(out);
    const rank = this.large!.tree.seekLexMin(range, out);
    if (rank === -1 || !lexLteMax(out.leaf!.members[out.index]!, range)) return clearPosition(out);
    return rank;
  }

  /** Point `out` at the last element in the lex range; its rank or -1. */
  private treeLastInLexRange(range: LexRange, out: ZTreePosition): number {
    if (!this.treeOverlapsLexRange(range)) return clearPosition(out);
    const rank = this.large!.tree.seekLexMax(range, out);
    if (rank === -1 || !lexGteMin(out.leaf!.members[out.index]!, range)) return clearPosition(out);
    return rank;
  }

  /**
   * Number of elements whose member is in `range` (ZLEXCOUNT): on a listpack the
   * run from the first match while members stay below the maximum (Redis' walk),
   * on a tree the rank difference of the first and last match.
   */
  countInLexRange(range: LexRange): number {
    const first = this.firstInLexRange(range);
    if (first === -1) return 0;
    if (this.packed !== null) return this.packedRunInLexMax(first, range);
    return this.lastInLexRange(range) - first + 1;
  }

  // ---------------------------------------------------------------- random and scan

  /** Fill `out` with a uniformly random element. The set must not be empty. */
  randomEntry(out: ZSetEntry): void {
    const packed = this.packed;
    if (packed !== null) {
      const rank = Math.floor(Math.random() * this.packedCount);
      readEntry(packed, packedOffsetOfRank(packed, rank));
      out.score = entryScore;
      out.member = copyChars(packed, entryMemberStart, entryMemberEnd);
      return;
    }
    const slotMembers = this.large!.slotMembers;
    const slot = Math.floor(Math.random() * slotMembers.length);
    out.member = slotMembers[slot]!;
    out.score = this.large!.slotScores[slot]!;
  }

  /**
   * One ZSCAN step: append up to about `count` members and the text of their
   * scores to `members` / `scoreTexts`, and return the next cursor (0 when done).
   *
   * A listpack is returned whole in one step (cursor 0), its scores as the
   * listpack stores them: integral values within +-2^62 as integers, others
   * through `format`. A tree-encoded set is walked through its slot arrays from
   * the top down, like the keyspace's SCAN, with Redis' guarantee: a member
   * present for the whole iteration is returned at least once (a removal moves the
   * last slot, already returned or added since, into the hole; additions go to the
   * top, above the cursor). Its scores all go through `format`.
   */
  scan(
    cursor: number,
    count: number,
    format: ScoreFormatter,
    members: string[],
    scoreTexts: string[],
  ): number {
    const packed = this.packed;
    if (packed !== null) {
      for (let offset = 0; offset < packed.length; offset = entryNext) {
        readEntry(packed, offset);
        members.push(copyChars(packed, entryMemberStart, entryMemberEnd));
        scoreTexts.push(listpackScoreText(entryScore, format));
      }
      return 0;
    }
    const slotMembers = this.large!.slotMembers;
    const slotScores = this.large!.slotScores;
    let position = cursor === 0 || cursor > slotMembers.length ? slotMembers.length : cursor;
    const stop = position - count > 0 ? position - count : 0;
    while (position > stop) {
      position--;
      members.push(slotMembers[position]!);
      scoreTexts.push(format(slotScores[position]!));
    }
    return position;
  }

  /**
   * Switch a listpack to the skiplist encoding (one-way; nothing else changes).
   * SORT and SORT_RO do this to the sorted set they read, as Redis 7.0 does.
   */
  convertToSkiplist(): void {
    if (this.packed !== null) this.toTree();
  }

  /** An independent copy in the same encoding (COPY). */
  clone(): RedisZSet {
    const copy = new RedisZSet();
    if (this.packed !== null) {
      // Strings are immutable: the copy shares the bytes until either set changes.
      copy.packed = this.packed;
      copy.packedCount = this.packedCount;
      return copy;
    }
    copy.toTree();
    // In ascending order: every insertion appends, which fills the copy's leaves.
    for (let leaf: ZTreeLeaf | null = this.large!.tree.head; leaf !== null; leaf = leaf.next) {
      for (let i = 0; i < leaf.size; i++) copy.treeInsert(leaf.members[i]!, leaf.scores[i]!);
    }
    return copy;
  }

  // ---------------------------------------------------------------- encodings

  /** Insert into the listpack at the position of (score, member); the member is known to be absent. */
  private listpackInsert(member: string, score: number): void {
    const packed = this.packed!;
    const stored = listpackScore(score);
    // The first entry above (stored, member) is where the new one goes.
    let offset = 0;
    while (offset < packed.length) {
      readEntry(packed, offset);
      if (entryScore > stored || (entryScore === stored && compareEntryMember(packed, member) > 0)) break;
      offset = entryNext;
    }
    const size = entrySize(member, stored);
    const buffer = editBytes(packed, offset, 0, size);
    writeEntry(buffer, offset, member, stored);
    this.packed = sealBytes(packed.length + size);
    this.packedCount++;
  }

  /** Remove the listpack entry at byte offset `offset`. */
  private packedRemoveEntry(offset: number): void {
    const packed = this.packed!;
    readEntryMember(packed, offset);
    const size = entryNext - offset;
    editBytes(packed, offset, size, 0);
    this.packed = sealBytes(packed.length - size);
    this.packedCount--;
  }

  /** The listpack's members in order, as standalone strings (for the lex walks). */
  private packedMembers(): string[] {
    const packed = this.packed!;
    const members = new Array<string>(this.packedCount);
    for (let offset = 0, i = 0; offset < packed.length; offset = entryNext, i++) {
      readEntryMember(packed, offset);
      members[i] = copyChars(packed, entryMemberStart, entryMemberEnd);
    }
    return members;
  }

  /** How many listpack entries from rank `start` on have members within the lex range's maximum (Redis' walk). */
  private packedRunInLexMax(start: number, range: LexRange): number {
    const members = this.packedMembers();
    let end = start;
    while (end < members.length && lexLteMax(members[end]!, range)) end++;
    return end - start;
  }

  /** Insert into the tree encoding (member known to be absent), taking the next slot. */
  private treeInsert(member: string, score: number): void {
    this.large!.tree.insert(score, member);
    const slotMembers = this.large!.slotMembers;
    const slot = slotMembers.length;
    let slotScores = this.large!.slotScores;
    if (slot === slotScores.length) {
      const grown = new Float64Array(slotScores.length * 2);
      grown.set(slotScores);
      this.large!.slotScores = slotScores = grown;
    }
    slotMembers.push(member);
    slotScores[slot] = score;
    this.large!.slotOf.set(member, slot);
    this.large!.memberBytes += member.length;
  }

  /** Convert to the tree encoding (one-way). */
  private toTree(): void {
    const packed = this.packed!;
    this.large = new ZSetTreeParts();
    this.packed = null;
    this.packedCount = 0;
    for (let offset = 0; offset < packed.length; ) {
      readEntry(packed, offset);
      offset = entryNext;
      this.treeInsert(copyChars(packed, entryMemberStart, entryMemberEnd), entryScore);
    }
  }
}

/** Rank of the entry the last successful packedFind found. */
let foundRank = -1;

/**
 * Byte offset of `member`'s entry in `packed`, or -1. On a hit the entry* state
 * (packed-zset.ts) describes the entry and foundRank is its rank.
 */
function packedFind(packed: string, member: string): number {
  for (let offset = 0, rank = 0; offset < packed.length; rank++) {
    readEntryMember(packed, offset);
    if (entryMemberIs(packed, member)) {
      readEntry(packed, offset);
      foundRank = rank;
      return offset;
    }
    offset = entryNext;
  }
  return -1;
}

/** Point `position` at nothing; returns -1 (no rank). */
function clearPosition(position: ZTreePosition): number {
  position.leaf = null;
  position.index = -1;
  return -1;
}

// ---------------------------------------------------------------- helpers

/** Order of (score, member) pairs: by score, then by member bytes. */
export function compareEntries(scoreA: number, memberA: string, scoreB: number, memberB: string): number {
  if (scoreA < scoreB) return -1;
  if (scoreA > scoreB) return 1;
  return memberA < memberB ? -1 : memberA > memberB ? 1 : 0;
}

/** The score a listpack keeps: its text form drops the sign of zero. */
function listpackScore(score: number): number {
  return score === 0 ? 0 : score;
}

/**
 * Text of a score as a listpack holds it (Redis' d2string): integral values within
 * +-2^62 in plain decimal (exact), anything else through `format` (%.17g).
 */
function listpackScoreText(score: number, format: ScoreFormatter): string {
  if (Number.isInteger(score) && score >= -LISTPACK_INTEGER_LIMIT && score <= LISTPACK_INTEGER_LIMIT) {
    return Number.isSafeInteger(score) ? String(score) : BigInt(score).toString();
  }
  return format(score);
}

// The type tag every sorted set shares (declared on the class, defined once here).
Object.defineProperty(RedisZSet.prototype, "type", { value: "zset" });
