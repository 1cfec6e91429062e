/*
 * Sorted set values (Redis' t_zset.c, type side).
 *
 * A sorted set maps unique members (binary, held as latin1 JS strings) to scores
 * (doubles, never NaN) and keeps them ordered by (score, member bytes).
 *
 * Two encodings, as Redis 7.0 reports them in OBJECT ENCODING:
 *   - "listpack": two parallel arrays sorted by (score, member). O(n) updates, which
 *     is what Redis' listpack costs too, and cheap for the small sets it holds.
 *     A listpack keeps scores as text where integral values lose the sign of zero,
 *     so a -0 stored in a listpack reads back as 0, exactly as in Redis.
 *   - "skiplist": a ZSkipList with spans (O(log n) insert, delete, rank, select by
 *     rank), a member -> node map (O(1) ZSCORE) and a dense slot array of the nodes
 *     (O(1) random picks; the ZSCAN cursor space, walked like the keyspace's).
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
import {
  isEmptyLexRange,
  isEmptyScoreRange,
  type LexRange,
  lexGteMin,
  lexLteMax,
  type RemovedNodeSink,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
  ZSkipList,
  type ZSkipListNode,
} from "./skiplist.js";

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
} from "./skiplist.js";

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

// ---------------------------------------------------------------- cursor

/**
 * Walks a sorted set from a rank, ascending or descending. Call next() before
 * reading `member` / `score`; it returns false past the end. The set must not be
 * modified while a cursor is in use.
 */
export class ZSetCursor {
  member: string;
  score: number;
  private readonly members: string[] | null;
  private readonly scores: number[] | null;
  private index: number;
  private node: ZSkipListNode | null;
  private readonly reverse: boolean;

  constructor(
    members: string[] | null,
    scores: number[] | null,
    index: number,
    node: ZSkipListNode | null,
    reverse: boolean,
  ) {
    this.member = "";
    this.score = 0;
    this.members = members;
    this.scores = scores;
    this.index = index;
    this.node = node;
    this.reverse = reverse;
  }

  /** Move to the next element in the cursor's direction; false when there is none. */
  next(): boolean {
    const members = this.members;
    if (members !== null) {
      const index = this.index;
      if (index < 0 || index >= members.length) return false;
      this.member = members[index]!;
      this.score = this.scores![index]!;
      this.index = this.reverse ? index - 1 : index + 1;
      return true;
    }
    const node = this.node;
    if (node === null) return false;
    this.member = node.member;
    this.score = node.score;
    this.node = this.reverse ? node.backward : node.next;
    return true;
  }
}

// ---------------------------------------------------------------- the type

/** A sorted set value. */
export class RedisZSet implements RemovedNodeSink {
  readonly type = "zset" as const;
  /** Listpack encoding: members and scores sorted by (score, member); null once a skiplist. */
  private lpMembers: string[] | null;
  private lpScores: number[] | null;
  /** Skiplist encoding: the ordered list, member -> node, and the dense slot array. */
  private list: ZSkipList | null;
  private index: Map<string, ZSkipListNode> | null;
  private slots: ZSkipListNode[] | null;

  /** An empty sorted set in the listpack encoding. */
  constructor() {
    this.lpMembers = [];
    this.lpScores = [];
    this.list = null;
    this.index = null;
    this.slots = null;
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
      const lpMembers = zset.lpMembers!;
      const lpScores = zset.lpScores!;
      for (const i of order) {
        lpMembers.push(members[i]!);
        lpScores.push(listpackScore(scores[i]!));
      }
      return zset;
    }
    zset.toSkiplist();
    for (const i of order) zset.skiplistInsert(members[i]!, scores[i]!);
    return zset;
  }

  /** OBJECT ENCODING name. */
  get encoding(): ZSetEncodingName {
    return this.lpMembers !== null ? "listpack" : "skiplist";
  }

  /** Number of members (ZCARD). */
  get length(): number {
    return this.lpMembers !== null ? this.lpMembers.length : this.list!.length;
  }

  /** Score of `member`, or undefined when it is not in the set. */
  score(member: string): number | undefined {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      const at = lpMembers.indexOf(member);
      return at === -1 ? undefined : this.lpScores![at]!;
    }
    return this.index!.get(member)?.score;
  }

  /** True when `member` is in the set. */
  has(member: string): boolean {
    return this.lpMembers !== null ? this.lpMembers.indexOf(member) !== -1 : this.index!.has(member);
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
    const current = this.score(member);
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
        this.updateScore(member, next);
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

  /** Insert a member known to be absent, converting to a skiplist when it would not fit. */
  private insertNew(member: string, score: number, limits: EncodingLimits): void {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      if (
        lpMembers.length + 1 > limits.zsetMaxListpackEntries ||
        member.length > limits.zsetMaxListpackValue
      ) {
        this.toSkiplist();
      } else {
        this.listpackInsert(member, score);
        return;
      }
    }
    this.skiplistInsert(member, score);
  }

  /** Give an existing member a new score, keeping the order. */
  private updateScore(member: string, score: number): void {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      const at = lpMembers.indexOf(member);
      lpMembers.splice(at, 1);
      this.lpScores!.splice(at, 1);
      this.listpackInsert(member, score);
      return;
    }
    this.list!.updateScore(this.index!.get(member)!, score);
  }

  /** Remove `member`. Returns true when it was present. */
  remove(member: string): boolean {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      const at = lpMembers.indexOf(member);
      if (at === -1) return false;
      lpMembers.splice(at, 1);
      this.lpScores!.splice(at, 1);
      return true;
    }
    const node = this.index!.get(member);
    if (node === undefined) return false;
    this.list!.delete(node.score, member);
    this.nodeRemoved(node);
    return true;
  }

  /**
   * Remove the members with ranks start..end (0-based, inclusive, clamped to the
   * set). Returns how many were removed. O(log n + m) on a skiplist.
   */
  removeRankRange(start: number, end: number): number {
    const length = this.length;
    if (start < 0) start = 0;
    if (end >= length) end = length - 1;
    if (start > end) return 0;
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      lpMembers.splice(start, end - start + 1);
      this.lpScores!.splice(start, end - start + 1);
      return end - start + 1;
    }
    return this.list!.deleteRankRange(start + 1, end + 1, this);
  }

  /**
   * Remove the members in a lex range (ZREMRANGEBYLEX), walking as Redis does for
   * each encoding: from the first member in the range while members stay below
   * the maximum. Returns how many were removed.
   */
  removeLexRange(range: LexRange): number {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      const start = this.firstInLexRange(range);
      if (start === -1) return 0;
      let end = start;
      while (end < lpMembers.length && lexLteMax(lpMembers[end]!, range)) end++;
      return this.removeRankRange(start, end - 1);
    }
    return this.list!.deleteLexRange(range, this);
  }

  /** Remove the members whose score is in `range` (ZREMRANGEBYSCORE). Returns how many. */
  removeScoreRange(range: ScoreRange): number {
    const start = this.firstInScoreRange(range);
    if (start === -1) return 0;
    return this.removeRankRange(start, this.lastInScoreRange(range));
  }

  /** Forget a node the skiplist unlinked (RemovedNodeSink; not for outside use). */
  nodeRemoved(node: ZSkipListNode): void {
    this.index!.delete(node.member);
    const slots = this.slots!;
    const last = slots.pop()!;
    if (last !== node) {
      slots[node.slot] = last;
      last.slot = node.slot;
    }
    node.slot = -1;
  }

  // ---------------------------------------------------------------- ranks and ranges

  /** 0-based ascending rank of `member`, or -1 when absent. O(log n) on a skiplist. */
  rank(member: string): number {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) return lpMembers.indexOf(member);
    const node = this.index!.get(member);
    if (node === undefined) return -1;
    return this.list!.rank(node.score, member) - 1;
  }

  /**
   * A cursor whose first next() yields the element at ascending rank `rank`, then
   * walks up (or down when `reverse`). A rank outside the set gives an empty walk.
   */
  cursor(rank: number, reverse: boolean): ZSetCursor {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      const start = rank < 0 || rank >= lpMembers.length ? -1 : rank;
      return new ZSetCursor(lpMembers, this.lpScores, start, null, reverse);
    }
    return new ZSetCursor(null, null, -1, this.list!.nodeAtRank(rank + 1), reverse);
  }

  /** Rank of the first element whose score is in `range`, or -1. */
  firstInScoreRange(range: ScoreRange): number {
    const lpScores = this.lpScores;
    if (lpScores !== null) {
      if (isEmptyScoreRange(range)) return -1;
      for (let i = 0; i < lpScores.length; i++) {
        const score = lpScores[i]!;
        if (scoreGteMin(score, range)) return scoreLteMax(score, range) ? i : -1;
      }
      return -1;
    }
    const node = this.list!.firstInScoreRange(range);
    return node === null ? -1 : this.list!.rank(node.score, node.member) - 1;
  }

  /** Rank of the last element whose score is in `range`, or -1. */
  lastInScoreRange(range: ScoreRange): number {
    const lpScores = this.lpScores;
    if (lpScores !== null) {
      if (isEmptyScoreRange(range)) return -1;
      for (let i = lpScores.length - 1; i >= 0; i--) {
        const score = lpScores[i]!;
        if (scoreLteMax(score, range)) return scoreGteMin(score, range) ? i : -1;
      }
      return -1;
    }
    const node = this.list!.lastInScoreRange(range);
    return node === null ? -1 : this.list!.rank(node.score, node.member) - 1;
  }

  /**
   * A cursor at the first element whose score is in `range` (the last one when
   * `reverse`), walking away from it; an empty walk when no element is in the
   * range. One descent of the skiplist: ZRANGEBYSCORE starts here, skips its
   * offset and stops at the first element out of range, as Redis does.
   */
  scoreRangeCursor(range: ScoreRange, reverse: boolean): ZSetCursor {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      const rank = reverse ? this.lastInScoreRange(range) : this.firstInScoreRange(range);
      return new ZSetCursor(lpMembers, this.lpScores, rank, null, reverse);
    }
    const node = reverse ? this.list!.lastInScoreRange(range) : this.list!.firstInScoreRange(range);
    return new ZSetCursor(null, null, -1, node, reverse);
  }

  /** Like scoreRangeCursor, for a lex range (ZRANGEBYLEX). */
  lexRangeCursor(range: LexRange, reverse: boolean): ZSetCursor {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      const rank = reverse ? this.lastInLexRange(range) : this.firstInLexRange(range);
      return new ZSetCursor(lpMembers, this.lpScores, rank, null, reverse);
    }
    const node = reverse ? this.list!.lastInLexRange(range) : this.list!.firstInLexRange(range);
    return new ZSetCursor(null, null, -1, node, reverse);
  }

  /** Number of elements whose score is in `range` (ZCOUNT). O(log n) on a skiplist. */
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
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      if (!this.listpackOverlapsLexRange(range)) return -1;
      for (let i = 0; i < lpMembers.length; i++) {
        const member = lpMembers[i]!;
        if (lexGteMin(member, range)) return lexLteMax(member, range) ? i : -1;
      }
      return -1;
    }
    const node = this.list!.firstInLexRange(range);
    return node === null ? -1 : this.list!.rank(node.score, node.member) - 1;
  }

  /** Rank of the last element whose member is in `range`, or -1 (see firstInLexRange). */
  lastInLexRange(range: LexRange): number {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      if (!this.listpackOverlapsLexRange(range)) return -1;
      for (let i = lpMembers.length - 1; i >= 0; i--) {
        const member = lpMembers[i]!;
        if (lexLteMax(member, range)) return lexGteMin(member, range) ? i : -1;
      }
      return -1;
    }
    const node = this.list!.lastInLexRange(range);
    return node === null ? -1 : this.list!.rank(node.score, node.member) - 1;
  }

  /**
   * Redis' zzlIsInLexRange: false when the range is empty, the last member is
   * below it or the first member above it (the early exit of both walks).
   */
  private listpackOverlapsLexRange(range: LexRange): boolean {
    const lpMembers = this.lpMembers!;
    if (isEmptyLexRange(range) || lpMembers.length === 0) return false;
    return lexGteMin(lpMembers[lpMembers.length - 1]!, range) && lexLteMax(lpMembers[0]!, range);
  }

  /**
   * Number of elements whose member is in `range` (ZLEXCOUNT): on a listpack the
   * run from the first match while members stay below the maximum (Redis' walk),
   * on a skiplist the rank difference of the first and last match.
   */
  countInLexRange(range: LexRange): number {
    const first = this.firstInLexRange(range);
    if (first === -1) return 0;
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      let end = first;
      while (end < lpMembers.length && lexLteMax(lpMembers[end]!, range)) end++;
      return end - first;
    }
    return this.lastInLexRange(range) - first + 1;
  }

  // ---------------------------------------------------------------- random and scan

  /** Fill `out` with a uniformly random element. The set must not be empty. */
  randomEntry(out: ZSetEntry): void {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      const at = Math.floor(Math.random() * lpMembers.length);
      out.member = lpMembers[at]!;
      out.score = this.lpScores![at]!;
      return;
    }
    const slots = this.slots!;
    const node = slots[Math.floor(Math.random() * slots.length)]!;
    out.member = node.member;
    out.score = node.score;
  }

  /**
   * One ZSCAN step: append up to about `count` members and the text of their
   * scores to `members` / `scoreTexts`, and return the next cursor (0 when done).
   *
   * A listpack is returned whole in one step (cursor 0), its scores as the
   * listpack stores them: integral values within +-2^62 as integers, others
   * through `format`. A skiplist is walked through its slot array from the top
   * down, like the keyspace's SCAN, with Redis' guarantee: a member present for the
   * whole iteration is returned at least once. Its scores all go through `format`.
   */
  scan(
    cursor: number,
    count: number,
    format: ScoreFormatter,
    members: string[],
    scoreTexts: string[],
  ): number {
    const lpMembers = this.lpMembers;
    if (lpMembers !== null) {
      const lpScores = this.lpScores!;
      for (let i = 0; i < lpMembers.length; i++) {
        members.push(lpMembers[i]!);
        scoreTexts.push(listpackScoreText(lpScores[i]!, format));
      }
      return 0;
    }
    const slots = this.slots!;
    let position = cursor === 0 || cursor > slots.length ? slots.length : cursor;
    const stop = position - count > 0 ? position - count : 0;
    while (position > stop) {
      position--;
      const node = slots[position]!;
      members.push(node.member);
      scoreTexts.push(format(node.score));
    }
    return position;
  }

  /**
   * Switch a listpack to the skiplist encoding (one-way; nothing else changes).
   * SORT and SORT_RO do this to the sorted set they read, as Redis 7.0 does.
   */
  convertToSkiplist(): void {
    if (this.lpMembers !== null) this.toSkiplist();
  }

  /** An independent copy in the same encoding (COPY). */
  clone(): RedisZSet {
    const copy = new RedisZSet();
    if (this.lpMembers !== null) {
      copy.lpMembers = this.lpMembers.slice();
      copy.lpScores = this.lpScores!.slice();
      return copy;
    }
    copy.toSkiplist();
    for (let node = this.list!.first; node !== null; node = node.next) {
      copy.skiplistInsert(node.member, node.score);
    }
    return copy;
  }

  // ---------------------------------------------------------------- encodings

  /** Insert into the listpack arrays at the position of (score, member). */
  private listpackInsert(member: string, score: number): void {
    const lpMembers = this.lpMembers!;
    const lpScores = this.lpScores!;
    const stored = listpackScore(score);
    let low = 0;
    let high = lpMembers.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareEntries(lpScores[mid]!, lpMembers[mid]!, stored, member) < 0) low = mid + 1;
      else high = mid;
    }
    lpMembers.splice(low, 0, member);
    lpScores.splice(low, 0, stored);
  }

  /** Insert into the skiplist encoding (member known to be absent). */
  private skiplistInsert(member: string, score: number): void {
    const node = this.list!.insert(score, member);
    this.index!.set(member, node);
    const slots = this.slots!;
    node.slot = slots.length;
    slots.push(node);
  }

  /** Convert to the skiplist encoding (one-way). */
  private toSkiplist(): void {
    const lpMembers = this.lpMembers!;
    const lpScores = this.lpScores!;
    this.list = new ZSkipList();
    this.index = new Map();
    this.slots = [];
    this.lpMembers = null;
    this.lpScores = null;
    for (let i = 0; i < lpMembers.length; i++) this.skiplistInsert(lpMembers[i]!, lpScores[i]!);
  }
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
