/*
 * The skiplist behind large sorted sets (Redis' zskiplist, after William Pugh's
 * "Skip Lists: A Probabilistic Alternative to Balanced Trees").
 *
 * Elements are ordered by (score, member), members compared byte-wise: members are
 * latin1 JS strings (one char = one byte), so JS string comparison is memcmp order
 * with the shorter string first on a common prefix, exactly like Redis' sdscmp.
 * Scores are never NaN; -0 and 0 compare equal, as in C.
 *
 * Every forward link carries a span (how many level-0 steps it jumps), so the rank
 * of an element and the element at a rank are found in O(log n). Level 0 is also
 * linked backwards, for reverse walks.
 *
 * Nodes carry a `slot`, an index the owning sorted set uses for its dense slot
 * array (random picks and ZSCAN cursors); the skiplist itself never reads it.
 */

/** Highest level a node can have (enough for 2^64 elements with P = 1/4). */
export const SKIPLIST_MAX_LEVEL = 32;
/** Probability that a node is promoted one more level. */
const SKIPLIST_P = 0.25;

/**
 * One element of the skiplist (or the header, which holds no element).
 *
 * Layout, chosen for memory locality: the level-0 link is a field (`next`; its
 * span is always 1), and only nodes above level 1 (a quarter of them) carry an
 * `upper` array holding, for each level i >= 1, the forward link at 2(i-1) and
 * its span at 2(i-1)+1. A step at level 0 touches one object, a step higher up
 * two, where separate forward and span arrays would cost three.
 */
export class ZSkipListNode {
  readonly member: string;
  score: number;
  /** Previous node on level 0, or null for the first element. */
  backward: ZSkipListNode | null;
  /** The next element in ascending order (the level-0 link), or null at the end. */
  next: ZSkipListNode | null;
  /** Links of levels 1 and up, [forward, span, forward, span, ...], or null for a level-1 node. */
  readonly upper: (ZSkipListNode | number | null)[] | null;
  /** Number of levels the node is linked on (1..SKIPLIST_MAX_LEVEL). */
  readonly level: number;
  /** Index in the owner's slot array (-1 when not owned). */
  slot: number;

  constructor(level: number, score: number, member: string) {
    this.member = member;
    this.score = score;
    this.backward = null;
    this.next = null;
    if (level > 1) {
      const upper = new Array<ZSkipListNode | number | null>((level - 1) * 2);
      for (let i = 0; i < upper.length; i += 2) {
        upper[i] = null;
        upper[i + 1] = 0;
      }
      this.upper = upper;
    } else {
      this.upper = null;
    }
    this.level = level;
    this.slot = -1;
  }
}

/** The forward link of `node` on `level` (level < node.level). */
export function forwardAt(node: ZSkipListNode, level: number): ZSkipListNode | null {
  return level === 0 ? node.next : (node.upper![level * 2 - 2] as ZSkipListNode | null);
}

/**
 * The span of `node`'s link on `level`: how many level-0 steps it jumps. Level-0
 * links always jump 1 (a link to nothing is never followed, so its span is moot).
 */
export function spanAt(node: ZSkipListNode, level: number): number {
  return level === 0 ? 1 : (node.upper![level * 2 - 1] as number);
}

/** Set the forward link of `node` on `level`. */
function setForward(node: ZSkipListNode, level: number, target: ZSkipListNode | null): void {
  if (level === 0) node.next = target;
  else node.upper![level * 2 - 2] = target;
}

/** Set the span of `node`'s link on `level` (level-0 spans are implicit). */
function setSpan(node: ZSkipListNode, level: number, span: number): void {
  if (level !== 0) node.upper![level * 2 - 1] = span;
}

/** A score interval; `minExclusive` / `maxExclusive` come from the "(" prefix. */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minExclusive: boolean;
  readonly maxExclusive: boolean;
}

/** Kind of a lex bound: "-" (below everything), a value, or "+" (above everything). */
export enum LexBoundKind {
  NegativeInfinity = -1,
  Value = 0,
  PositiveInfinity = 1,
}

/**
 * A lex interval, as ZRANGEBYLEX parses "[a", "(a", "-" and "+". The infinite
 * bounds count as exclusive (Redis marks them so: "- -" is an empty range).
 */
export interface LexRange {
  readonly minKind: LexBoundKind;
  readonly min: string;
  readonly minExclusive: boolean;
  readonly maxKind: LexBoundKind;
  readonly max: string;
  readonly maxExclusive: boolean;
}

/** Receives the nodes a range deletion unlinks (the owner drops them from its index). */
export interface RemovedNodeSink {
  nodeRemoved(node: ZSkipListNode): void;
}

// ---------------------------------------------------------------- range predicates

/** True when `score` is not below the range's lower bound. */
export function scoreGteMin(score: number, range: ScoreRange): boolean {
  return range.minExclusive ? score > range.min : score >= range.min;
}

/** True when `score` is not above the range's upper bound. */
export function scoreLteMax(score: number, range: ScoreRange): boolean {
  return range.maxExclusive ? score < range.max : score <= range.max;
}

/** True when no score can ever be inside `range` (min > max, or an open single point). */
export function isEmptyScoreRange(range: ScoreRange): boolean {
  return range.min > range.max || (range.min === range.max && (range.minExclusive || range.maxExclusive));
}

/** Compare two lex bounds the way Redis' sdscmplex does (infinities included). */
function compareLexBounds(aKind: LexBoundKind, a: string, bKind: LexBoundKind, b: string): number {
  if (aKind === bKind && aKind !== LexBoundKind.Value) return 0;
  if (aKind === LexBoundKind.NegativeInfinity || bKind === LexBoundKind.PositiveInfinity) return -1;
  if (aKind === LexBoundKind.PositiveInfinity || bKind === LexBoundKind.NegativeInfinity) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `member` is not below the range's lower bound. */
export function lexGteMin(member: string, range: LexRange): boolean {
  if (range.minKind === LexBoundKind.NegativeInfinity) return true;
  if (range.minKind === LexBoundKind.PositiveInfinity) return false;
  return range.minExclusive ? member > range.min : member >= range.min;
}

/** True when `member` is not above the range's upper bound. */
export function lexLteMax(member: string, range: LexRange): boolean {
  if (range.maxKind === LexBoundKind.PositiveInfinity) return true;
  if (range.maxKind === LexBoundKind.NegativeInfinity) return false;
  return range.maxExclusive ? member < range.max : member <= range.max;
}

/** True when no member can ever be inside `range`. */
export function isEmptyLexRange(range: LexRange): boolean {
  const cmp = compareLexBounds(range.minKind, range.min, range.maxKind, range.max);
  return cmp > 0 || (cmp === 0 && (range.minExclusive || range.maxExclusive));
}

/** True when (scoreA, memberA) sorts before (scoreB, memberB). */
function precedes(scoreA: number, memberA: string, scoreB: number, memberB: string): boolean {
  return scoreA < scoreB || (scoreA === scoreB && memberA < memberB);
}

// ---------------------------------------------------------------- the skiplist

/** Random level with a power law: level k+1 is 4 times less likely than level k. */
function randomLevel(): number {
  let level = 1;
  while (level < SKIPLIST_MAX_LEVEL && Math.random() < SKIPLIST_P) level++;
  return level;
}

/**
 * An ordered multiset of (score, member) nodes with O(log n) insert, delete, rank
 * and select-by-rank. Members are unique by contract: the owner checks its member
 * index before inserting. Ranks in this API are 1-based, as in Redis' zsl*.
 */
export class ZSkipList {
  readonly header: ZSkipListNode;
  /** Last element, or null when empty. */
  tail: ZSkipListNode | null;
  length: number;
  /** Highest level in use (at least 1). */
  level: number;
  /** Scratch arrays for insert/delete (reused: no allocation per operation). */
  private readonly update: ZSkipListNode[];
  private readonly rankScratch: number[];

  constructor() {
    this.header = new ZSkipListNode(SKIPLIST_MAX_LEVEL, 0, "");
    this.tail = null;
    this.length = 0;
    this.level = 1;
    this.update = new Array<ZSkipListNode>(SKIPLIST_MAX_LEVEL).fill(this.header);
    this.rankScratch = new Array<number>(SKIPLIST_MAX_LEVEL).fill(0);
  }

  /** First element, or null when empty. */
  get first(): ZSkipListNode | null {
    return this.header.next;
  }

  /** Insert a new element and return its node. The member must not be present. */
  insert(score: number, member: string): ZSkipListNode {
    const node = new ZSkipListNode(randomLevel(), score, member);
    this.insertNode(node);
    return node;
  }

  /** Link `node` (not currently linked) at the position of its score and member. */
  private insertNode(node: ZSkipListNode): void {
    const update = this.update;
    const rank = this.rankScratch;
    const score = node.score;
    const member = node.member;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      let next = forwardAt(x, i);
      while (next !== null && precedes(next.score, next.member, score, member)) {
        rank[i]! += spanAt(x, i);
        x = next;
        next = forwardAt(x, i);
      }
      update[i] = x;
    }
    const level = node.level;
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        setSpan(this.header, i, this.length);
      }
      this.level = level;
    }
    for (let i = 0; i < level; i++) {
      const before = update[i]!;
      setForward(node, i, forwardAt(before, i));
      setForward(before, i, node);
      if (i > 0) {
        setSpan(node, i, spanAt(before, i) - (rank[0]! - rank[i]!));
        setSpan(before, i, rank[0]! - rank[i]! + 1);
      }
    }
    for (let i = level; i < this.level; i++) {
      const before = update[i]!;
      setSpan(before, i, spanAt(before, i) + 1);
    }
    node.backward = update[0] === this.header ? null : update[0]!;
    const after = node.next;
    if (after !== null) after.backward = node;
    else this.tail = node;
    this.length++;
  }

  /** Unlink `node`, given the predecessors on every level in `update`. */
  private unlink(node: ZSkipListNode, update: ZSkipListNode[]): void {
    for (let i = 0; i < this.level; i++) {
      const before = update[i]!;
      if (forwardAt(before, i) === node) {
        if (i > 0) setSpan(before, i, spanAt(before, i) + spanAt(node, i) - 1);
        setForward(before, i, forwardAt(node, i));
      } else if (i > 0) {
        setSpan(before, i, spanAt(before, i) - 1);
      }
    }
    const after = node.next;
    if (after !== null) after.backward = node.backward;
    else this.tail = node.backward;
    while (this.level > 1 && forwardAt(this.header, this.level - 1) === null) this.level--;
    this.length--;
  }

  /** Fill `update` with the last node before (score, member) on every level. */
  private findPredecessors(score: number, member: string): ZSkipListNode {
    const update = this.update;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forwardAt(x, i);
      while (next !== null && precedes(next.score, next.member, score, member)) {
        x = next;
        next = forwardAt(x, i);
      }
      update[i] = x;
    }
    return x;
  }

  /** Remove the element (score, member). Returns its node, or null when absent. */
  delete(score: number, member: string): ZSkipListNode | null {
    const before = this.findPredecessors(score, member);
    const node = before.next;
    if (node === null || node.score !== score || node.member !== member) return null;
    this.unlink(node, this.update);
    return node;
  }

  /**
   * Change the score of a linked node. When the node stays between its neighbours
   * it is updated in place (Redis' zslUpdateScore fast path); otherwise it is
   * unlinked and linked again at its new position. The node object is kept.
   */
  updateScore(node: ZSkipListNode, newScore: number): void {
    const before = this.findPredecessors(node.score, node.member);
    if (before.next !== node) throw new Error("skiplist: node to update is not linked");
    const previous = node.backward;
    const next = node.next;
    if (
      (previous === null || precedes(previous.score, previous.member, newScore, node.member)) &&
      (next === null || precedes(newScore, node.member, next.score, next.member))
    ) {
      node.score = newScore;
      return;
    }
    this.unlink(node, this.update);
    node.score = newScore;
    node.backward = null;
    this.insertNode(node);
  }

  /** 1-based rank of (score, member), or 0 when absent. */
  rank(score: number, member: string): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forwardAt(x, i);
      while (next !== null && (next.score < score || (next.score === score && next.member <= member))) {
        rank += spanAt(x, i);
        x = next;
        next = forwardAt(x, i);
      }
      if (x !== this.header && x.member === member) return rank;
    }
    return 0;
  }

  /** Node at 1-based `rank`, or null when out of range. */
  nodeAtRank(rank: number): ZSkipListNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forwardAt(x, i);
      while (next !== null && traversed + spanAt(x, i) <= rank) {
        traversed += spanAt(x, i);
        x = next;
        next = forwardAt(x, i);
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  // ---------------------------------------------------------------- score ranges

  /** True when some element may be in `range` (cheap test of the two ends). */
  private overlapsScoreRange(range: ScoreRange): boolean {
    if (isEmptyScoreRange(range)) return false;
    const last = this.tail;
    if (last === null || !scoreGteMin(last.score, range)) return false;
    const first = this.header.next;
    return first !== null && scoreLteMax(first.score, range);
  }

  /** First node whose score is in `range`, or null. */
  firstInScoreRange(range: ScoreRange): ZSkipListNode | null {
    if (!this.overlapsScoreRange(range)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forwardAt(x, i);
      while (next !== null && !scoreGteMin(next.score, range)) {
        x = next;
        next = forwardAt(x, i);
      }
    }
    const found = x.next;
    return found !== null && scoreLteMax(found.score, range) ? found : null;
  }

  /** Last node whose score is in `range`, or null. */
  lastInScoreRange(range: ScoreRange): ZSkipListNode | null {
    if (!this.overlapsScoreRange(range)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forwardAt(x, i);
      while (next !== null && scoreLteMax(next.score, range)) {
        x = next;
        next = forwardAt(x, i);
      }
    }
    return x !== this.header && scoreGteMin(x.score, range) ? x : null;
  }

  // ---------------------------------------------------------------- lex ranges

  /** True when some element may be in `range` (cheap test of the two ends). */
  private overlapsLexRange(range: LexRange): boolean {
    if (isEmptyLexRange(range)) return false;
    const last = this.tail;
    if (last === null || !lexGteMin(last.member, range)) return false;
    const first = this.header.next;
    return first !== null && lexLteMax(first.member, range);
  }

  /**
   * First node whose member is in `range`, or null. Meaningful when all elements
   * share one score (what ZRANGEBYLEX requires); otherwise as arbitrary as Redis'.
   */
  firstInLexRange(range: LexRange): ZSkipListNode | null {
    if (!this.overlapsLexRange(range)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forwardAt(x, i);
      while (next !== null && !lexGteMin(next.member, range)) {
        x = next;
        next = forwardAt(x, i);
      }
    }
    const found = x.next;
    return found !== null && lexLteMax(found.member, range) ? found : null;
  }

  /** Last node whose member is in `range`, or null (same caveat as firstInLexRange). */
  lastInLexRange(range: LexRange): ZSkipListNode | null {
    if (!this.overlapsLexRange(range)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forwardAt(x, i);
      while (next !== null && lexLteMax(next.member, range)) {
        x = next;
        next = forwardAt(x, i);
      }
    }
    return x !== this.header && lexGteMin(x.member, range) ? x : null;
  }

  // ---------------------------------------------------------------- range deletion

  /**
   * Redis' zslDeleteRangeByLex: from the first element not below the range's
   * minimum, remove elements while they are not above its maximum, reporting each
   * to `sink`. Returns how many were removed. Unlike firstInLexRange there is no
   * check of the list's ends first: on a set whose members are not in lex order
   * (mixed scores) this removes what Redis removes.
   */
  deleteLexRange(range: LexRange, sink: RemovedNodeSink): number {
    const update = this.update;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forwardAt(x, i);
      while (next !== null && !lexGteMin(next.member, range)) {
        x = next;
        next = forwardAt(x, i);
      }
      update[i] = x;
    }
    let node = x.next;
    let removed = 0;
    while (node !== null && lexLteMax(node.member, range)) {
      const next: ZSkipListNode | null = node.next;
      this.unlink(node, update);
      sink.nodeRemoved(node);
      removed++;
      node = next;
    }
    return removed;
  }

  /**
   * Remove the elements with 1-based ranks start..end (inclusive, valid ranks),
   * reporting each to `sink`. Returns how many were removed. O(log n + m).
   */
  deleteRankRange(start: number, end: number, sink: RemovedNodeSink): number {
    const update = this.update;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = forwardAt(x, i);
      while (next !== null && traversed + spanAt(x, i) < start) {
        traversed += spanAt(x, i);
        x = next;
        next = forwardAt(x, i);
      }
      update[i] = x;
    }
    traversed++;
    let node = x.next;
    let removed = 0;
    while (node !== null && traversed <= end) {
      const next: ZSkipListNode | null = node.next;
      this.unlink(node, update);
      sink.nodeRemoved(node);
      removed++;
      traversed++;
      node = next;
    }
    return removed;
  }
}
