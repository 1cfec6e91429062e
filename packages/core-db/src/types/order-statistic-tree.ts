/*
 * The ordered index behind large sorted sets: a counted B+tree (an order-statistic
 * B+tree). It plays the part of Redis' zskiplist, with the same costs (O(log n)
 * insert, delete, rank, element at rank, score and lex range seeks) but a layout
 * that suits a garbage-collected heap:
 *
 *   - a leaf holds up to `leafCapacity` elements in two parallel arrays, the scores
 *     in a Float64Array (unboxed, contiguous: a binary search over them touches a
 *     cache line or two) and the members in a string[];
 *   - a branch holds its children, the number of elements under each child (an
 *     Int32Array: rank and element-at-rank add these up on the way down) and, for
 *     every child but the first, a separator: a (score, member) lower bound of the
 *     child's elements that is above every element of the child before it;
 *   - leaves are linked both ways, for ascending and descending walks.
 *
 * A million elements live in a few thousand leaves instead of a million skiplist
 * nodes (each with a boxed score and a link array), so a lookup costs ~4 node
 * visits instead of ~30 scattered ones, and the collector has few objects to mark.
 *
 * Order: by score, then by member bytes. Members are latin1 JS strings (one char
 * = one byte), so `<` on them is memcmp order, like Redis' sdscmp. Scores are
 * never NaN; -0 and 0 compare equal (a Float64Array keeps the sign of the zero
 * that was stored). Members are unique by contract: the owner checks its member
 * index before inserting. Ranks in this API are 0-based.
 *
 * Separators are lower bounds, not exact minima: deleting the first element of a
 * leaf leaves its separator valid, so only splits, merges and borrows between
 * siblings rewrite separators. Descents pick the last child whose separator is
 * not above the key.
 */

import {
  type LexRange,
  lexGteMin,
  lexLteMax,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
} from "./score-range.js";

/**
 * Elements per leaf unless the constructor is told otherwise. 64 rather than 128:
 * a score update or insertion at a random place shifts half a leaf of scores and
 * members, and halving that was measured to save more (ZADD on a 100k-member set)
 * than the extra leaves cost.
 */
export const DEFAULT_LEAF_CAPACITY = 64;
/** Children per branch unless the constructor is told otherwise. */
export const DEFAULT_BRANCH_CAPACITY = 64;
/** Deepest tree the scratch path can hold (branch levels); far beyond 2^31 elements. */
const MAX_HEIGHT = 40;

// ---------------------------------------------------------------- nodes

/**
 * A leaf: up to `capacity` elements sorted by (score, member), in `scores[0..size)`
 * and `members[0..size)`. Unused member slots hold "" (so no string is kept alive
 * after its element leaves).
 */
export class ZTreeLeaf {
  size: number;
  readonly scores: Float64Array;
  readonly members: string[];
  /** The leaf before this one in ascending order, or null for the first leaf. */
  prev: ZTreeLeaf | null;
  /** The leaf after this one in ascending order, or null for the last leaf. */
  next: ZTreeLeaf | null;

  constructor(capacity: number) {
    this.size = 0;
    this.scores = new Float64Array(capacity);
    this.members = new Array<string>(capacity).fill("");
    this.prev = null;
    this.next = null;
  }
}

/**
 * A branch: `size` children (all branches, or all leaves, depending on the level),
 * the number of elements under each, and the separators: for i >= 1, every element
 * under child i is >= (sepScores[i], sepMembers[i]) and every element under child
 * i - 1 is below it. Separator 0 is not used.
 */
class ZTreeBranch {
  size: number;
  readonly children: Array<ZTreeBranch | ZTreeLeaf>;
  readonly counts: Int32Array;
  readonly sepScores: Float64Array;
  readonly sepMembers: string[];

  constructor(capacity: number) {
    this.size = 0;
    this.children = new Array<ZTreeBranch | ZTreeLeaf>(capacity);
    this.counts = new Int32Array(capacity);
    this.sepScores = new Float64Array(capacity);
    this.sepMembers = new Array<string>(capacity).fill("");
  }
}

/**
 * A place in the tree: element `index` of `leaf` (leaf null: no element). The
 * owner's cursors implement it; the tree's seek methods fill it in.
 */
export interface ZTreePosition {
  leaf: ZTreeLeaf | null;
  index: number;
}

/** Receives the members a range deletion removes (the owner drops them from its index). */
export interface RemovedMemberSink {
  memberRemoved(member: string): void;
}

/** Statistics of the tree's shape (tests and benchmarks). */
export interface ZTreeShape {
  /** Branch levels above the leaves (0: the root is a leaf). */
  readonly height: number;
  readonly leaves: number;
  readonly branches: number;
}

// ---------------------------------------------------------------- helpers

/** First index in `leaf` whose element is not below (score, member). */
function leafLowerBound(leaf: ZTreeLeaf, score: number, member: string): number {
  const scores = leaf.scores;
  let low = 0;
  let high = leaf.size;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const s = scores[mid]!;
    if (s < score || (s === score && leaf.members[mid]! < member)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The child of `branch` whose subtree holds the place of (score, member). */
function childFor(branch: ZTreeBranch, score: number, member: string): number {
  const scores = branch.sepScores;
  let low = 1;
  let high = branch.size;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const s = scores[mid]!;
    if (s < score || (s === score && branch.sepMembers[mid]! <= member)) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** Sum of counts[0..end). */
function countBefore(branch: ZTreeBranch, end: number): number {
  const counts = branch.counts;
  let total = 0;
  for (let i = 0; i < end; i++) total += counts[i]!;
  return total;
}

/** Move leaf elements [from, from + count) to start at `to` (overlap allowed). */
function moveLeafEntries(
  source: ZTreeLeaf,
  from: number,
  target: ZTreeLeaf,
  to: number,
  count: number,
): void {
  if (count <= 0) return;
  if (source === target && to > from) {
    for (let i = count - 1; i >= 0; i--) {
      target.scores[to + i] = source.scores[from + i]!;
      target.members[to + i] = source.members[from + i]!;
    }
  } else {
    for (let i = 0; i < count; i++) {
      target.scores[to + i] = source.scores[from + i]!;
      target.members[to + i] = source.members[from + i]!;
    }
  }
}

/** Move branch entries [from, from + count) to start at `to` (overlap allowed). */
function moveBranchEntries(
  source: ZTreeBranch,
  from: number,
  target: ZTreeBranch,
  to: number,
  count: number,
): void {
  if (count <= 0) return;
  if (source === target && to > from) {
    for (let i = count - 1; i >= 0; i--) copyBranchEntry(source, from + i, target, to + i);
  } else {
    for (let i = 0; i < count; i++) copyBranchEntry(source, from + i, target, to + i);
  }
}

function copyBranchEntry(source: ZTreeBranch, from: number, target: ZTreeBranch, to: number): void {
  target.children[to] = source.children[from]!;
  target.counts[to] = source.counts[from]!;
  target.sepScores[to] = source.sepScores[from]!;
  target.sepMembers[to] = source.sepMembers[from]!;
}

/** Forget leaf slots [from, to) (so the strings they held can be collected). */
function clearLeafEntries(leaf: ZTreeLeaf, from: number, to: number): void {
  for (let i = from; i < to; i++) leaf.members[i] = "";
}

/** Forget branch slots [from, to). */
function clearBranchEntries(branch: ZTreeBranch, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    branch.children[i] = undefined as unknown as ZTreeLeaf;
    branch.sepMembers[i] = "";
  }
}

/** Sum of all counts of a branch (the number of elements under it). */
function branchTotal(branch: ZTreeBranch): number {
  return countBefore(branch, branch.size);
}

// ---------------------------------------------------------------- the tree

/**
 * An ordered set of (score, member) elements with O(log n) insert, delete, score
 * update, rank, element at rank and range seeks, and O(1) steps between
 * neighbours. Not safe to modify while a ZTreePosition points into it.
 */
export class ZOrderStatisticTree {
  /** Number of elements. */
  length: number;
  /** Branch levels above the leaves: 0 while the root is a leaf. */
  height: number;
  private root: ZTreeBranch | ZTreeLeaf;
  /** First and last leaves (the same leaf while the root is a leaf). */
  head: ZTreeLeaf;
  tail: ZTreeLeaf;
  private readonly leafCapacity: number;
  private readonly branchCapacity: number;
  private readonly minLeaf: number;
  private readonly minBranch: number;
  /** The branches of the last descent, root first, and the child taken in each. */
  private readonly pathBranches: ZTreeBranch[];
  private readonly pathSlots: Int32Array;
  /** Index within the leaf found by the last descendToRank. */
  private rankScratch: number;

  /**
   * An empty tree. The capacities (at least 4) are for tests that want many
   * levels from few elements; the defaults suit sets of any size.
   */
  constructor(leafCapacity = DEFAULT_LEAF_CAPACITY, branchCapacity = DEFAULT_BRANCH_CAPACITY) {
    if (leafCapacity < 4 || branchCapacity < 4)
      throw new RangeError("tree node capacities must be at least 4");
    this.length = 0;
    this.height = 0;
    const leaf = new ZTreeLeaf(leafCapacity);
    this.root = leaf;
    this.head = leaf;
    this.tail = leaf;
    this.leafCapacity = leafCapacity;
    this.branchCapacity = branchCapacity;
    // A quarter rather than half full: fewer merges and splits when inserts and
    // deletes alternate at a boundary, at little cost in memory.
    this.minLeaf = leafCapacity >> 2;
    this.minBranch = Math.max(2, branchCapacity >> 2);
    this.pathBranches = new Array<ZTreeBranch>(MAX_HEIGHT);
    this.pathSlots = new Int32Array(MAX_HEIGHT);
    this.rankScratch = 0;
  }

  // ---------------------------------------------------------------- descents

  /**
   * Descend towards (score, member), recording the path; returns the leaf. The
   * element, if present, is in that leaf.
   */
  private descend(score: number, member: string): ZTreeLeaf {
    let node = this.root;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as ZTreeBranch;
      const slot = childFor(branch, score, member);
      this.pathBranches[depth] = branch;
      this.pathSlots[depth] = slot;
      node = branch.children[slot]!;
    }
    return node as ZTreeLeaf;
  }

  /** Add `delta` to the counts along the recorded path. */
  private adjustPathCounts(delta: number): void {
    for (let depth = 0; depth < this.height; depth++) {
      this.pathBranches[depth]!.counts[this.pathSlots[depth]!]! += delta;
    }
  }

  // ---------------------------------------------------------------- insert

  /** Insert (score, member). The member must not be present. */
  insert(score: number, member: string): void {
    const leaf = this.descend(score, member);
    this.adjustPathCounts(1);
    this.length++;
    const at = leafLowerBound(leaf, score, member);
    if (leaf.size < this.leafCapacity) {
      moveLeafEntries(leaf, at, leaf, at + 1, leaf.size - at);
      leaf.scores[at] = score;
      leaf.members[at] = member;
      leaf.size++;
      return;
    }
    this.splitLeafAndInsert(leaf, at, score, member);
  }

  /**
   * Split a full leaf and put (score, member) at `at`. Appending past the end of
   * the last leaf starts a new leaf instead of halving this one, so sets filled in
   * ascending order end up with full leaves.
   */
  private splitLeafAndInsert(leaf: ZTreeLeaf, at: number, score: number, member: string): void {
    const right = new ZTreeLeaf(this.leafCapacity);
    const appending = at === leaf.size && leaf.next === null;
    const keep = appending ? leaf.size : (leaf.size + 1) >> 1;
    moveLeafEntries(leaf, keep, right, 0, leaf.size - keep);
    right.size = leaf.size - keep;
    clearLeafEntries(leaf, keep, leaf.size);
    leaf.size = keep;
    const target = at <= keep && !appending ? leaf : right;
    const targetAt = target === leaf ? at : at - keep;
    moveLeafEntries(target, targetAt, target, targetAt + 1, target.size - targetAt);
    target.scores[targetAt] = score;
    target.members[targetAt] = member;
    target.size++;
    right.next = leaf.next;
    right.prev = leaf;
    if (leaf.next !== null) leaf.next.prev = right;
    else this.tail = right;
    leaf.next = right;
    this.insertChild(
      this.height - 1,
      leaf,
      leaf.size,
      right,
      right.size,
      right.scores[0]!,
      right.members[0]!,
    );
  }

  /**
   * After `left` (at path depth `depth + 1`) split off `right`, enter `right` into
   * the branch at `depth` just after `left` (a new root when depth is -1), with
   * the element counts of both and `right`'s separator; splits full branches.
   */
  private insertChild(
    depth: number,
    left: ZTreeBranch | ZTreeLeaf,
    leftCount: number,
    right: ZTreeBranch | ZTreeLeaf,
    rightCount: number,
    sepScore: number,
    sepMember: string,
  ): void {
    if (depth < 0) {
      const root = new ZTreeBranch(this.branchCapacity);
      root.children[0] = left;
      root.counts[0] = leftCount;
      root.children[1] = right;
      root.counts[1] = rightCount;
      root.sepScores[1] = sepScore;
      root.sepMembers[1] = sepMember;
      root.size = 2;
      this.root = root;
      this.height++;
      return;
    }
    const branch = this.pathBranches[depth]!;
    const slot = this.pathSlots[depth]!;
    branch.counts[slot] = leftCount;
    const at = slot + 1;
    if (branch.size < this.branchCapacity) {
      moveBranchEntries(branch, at, branch, at + 1, branch.size - at);
      setBranchEntry(branch, at, right, rightCount, sepScore, sepMember);
      branch.size++;
      return;
    }
    // Split the full branch; an append at the right edge of the tree starts a new
    // branch with the last child and the new one instead of halving this one (see
    // splitLeafAndInsert; two children, so every branch below the root has siblings
    // to merge with or borrow from).
    const sibling = new ZTreeBranch(this.branchCapacity);
    const appending = at === branch.size && this.isRightEdge(depth);
    const keep = appending ? branch.size - 1 : (branch.size + 1) >> 1;
    moveBranchEntries(branch, keep, sibling, 0, branch.size - keep);
    sibling.size = branch.size - keep;
    clearBranchEntries(branch, keep, branch.size);
    branch.size = keep;
    const target = at <= keep ? branch : sibling;
    const targetAt = target === branch ? at : at - keep;
    moveBranchEntries(target, targetAt, target, targetAt + 1, target.size - targetAt);
    setBranchEntry(target, targetAt, right, rightCount, sepScore, sepMember);
    target.size++;
    this.insertChild(
      depth - 1,
      branch,
      branchTotal(branch),
      sibling,
      branchTotal(sibling),
      sibling.sepScores[0]!,
      sibling.sepMembers[0]!,
    );
  }

  /** True when the recorded path down to `depth` always took the last child. */
  private isRightEdge(depth: number): boolean {
    for (let d = 0; d < depth; d++) {
      if (this.pathSlots[d] !== this.pathBranches[d]!.size - 1) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- delete

  /** Remove (score, member). Returns false when it is not present. */
  delete(score: number, member: string): boolean {
    const leaf = this.descend(score, member);
    const at = leafLowerBound(leaf, score, member);
    if (at >= leaf.size || leaf.members[at] !== member || leaf.scores[at] !== score) return false;
    this.removeAt(leaf, at);
    return true;
  }

  /** Remove element `at` of `leaf`, the leaf at the end of the recorded path. */
  private removeAt(leaf: ZTreeLeaf, at: number): void {
    this.adjustPathCounts(-1);
    this.length--;
    moveLeafEntries(leaf, at + 1, leaf, at, leaf.size - at - 1);
    leaf.size--;
    leaf.members[leaf.size] = "";
    this.rebalanceLeaf(leaf);
  }

  /**
   * Give the present element (oldScore, member) the score `newScore`. When its
   * new place is still in the same leaf (between the separators around the leaf),
   * it moves within the leaf, with no count or separator changes: Redis'
   * zslUpdateScore fast path, widened to a leaf, which is what ZINCRBY by small
   * steps mostly hits. Otherwise it is removed (from the same descent) and
   * inserted again.
   */
  updateScore(oldScore: number, member: string, newScore: number): void {
    const leaf = this.descend(oldScore, member);
    const at = leafLowerBound(leaf, oldScore, member);
    if (at >= leaf.size || leaf.members[at] !== member || leaf.scores[at] !== oldScore) {
      throw new Error("order-statistic tree: member to update is not present");
    }
    if (!this.staysInPathLeaf(newScore, member)) {
      this.removeAt(leaf, at);
      this.insert(newScore, member);
      return;
    }
    const scores = leaf.scores;
    const members = leaf.members;
    // First index whose key is not below the new key, the element still in place.
    const before = leafLowerBound(leaf, newScore, member);
    if (before > at) {
      const to = before - 1;
      moveLeafEntries(leaf, at + 1, leaf, at, to - at);
      scores[to] = newScore;
      members[to] = member;
    } else {
      moveLeafEntries(leaf, before, leaf, before + 1, at - before);
      scores[before] = newScore;
      members[before] = member;
    }
  }

  /**
   * True when (score, member) belongs in the leaf at the end of the recorded path:
   * not below the nearest separator on its left, below the nearest one on its right.
   */
  private staysInPathLeaf(score: number, member: string): boolean {
    for (let depth = this.height - 1; depth >= 0; depth--) {
      const slot = this.pathSlots[depth]!;
      if (slot > 0) {
        const branch = this.pathBranches[depth]!;
        const s = branch.sepScores[slot]!;
        if (score < s || (score === s && member < branch.sepMembers[slot]!)) return false;
        break;
      }
    }
    for (let depth = this.height - 1; depth >= 0; depth--) {
      const branch = this.pathBranches[depth]!;
      const slot = this.pathSlots[depth]!;
      if (slot < branch.size - 1) {
        const s = branch.sepScores[slot + 1]!;
        return score < s || (score === s && member < branch.sepMembers[slot + 1]!);
      }
    }
    return true;
  }

  /**
   * Remove `count` elements from rank `start` on (all valid ranks), reporting each
   * member to `sink`, a leaf's worth at a time. Returns `count`. O(log n + m).
   */
  deleteRankRange(start: number, count: number, sink: RemovedMemberSink): number {
    let remaining = count;
    while (remaining > 0) {
      const leaf = this.descendToRank(start);
      const at = this.rankScratch;
      const take = Math.min(remaining, leaf.size - at);
      const members = leaf.members;
      for (let i = at; i < at + take; i++) sink.memberRemoved(members[i]!);
      moveLeafEntries(leaf, at + take, leaf, at, leaf.size - at - take);
      clearLeafEntries(leaf, leaf.size - take, leaf.size);
      leaf.size -= take;
      this.adjustPathCounts(-take);
      this.length -= take;
      remaining -= take;
      this.rebalanceLeaf(leaf);
    }
    return count;
  }

  /** Descend to the leaf holding rank `rank` (valid), recording the path; index in rankScratch. */
  private descendToRank(rank: number): ZTreeLeaf {
    let node = this.root;
    let remaining = rank;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as ZTreeBranch;
      const counts = branch.counts;
      const last = branch.size - 1;
      let slot = 0;
      while (slot < last && remaining >= counts[slot]!) {
        remaining -= counts[slot]!;
        slot++;
      }
      this.pathBranches[depth] = branch;
      this.pathSlots[depth] = slot;
      node = branch.children[slot]!;
    }
    this.rankScratch = remaining;
    return node as ZTreeLeaf;
  }

  // ---------------------------------------------------------------- rebalancing

  /** Restore the fill rules after `leaf` (at the end of the recorded path) shrank. */
  private rebalanceLeaf(leaf: ZTreeLeaf): void {
    if (this.height === 0 || leaf.size >= this.minLeaf) return;
    const depth = this.height - 1;
    const parent = this.pathBranches[depth]!;
    const slot = this.pathSlots[depth]!;
    if (slot > 0) {
      const left = parent.children[slot - 1] as ZTreeLeaf;
      if (left.size + leaf.size <= this.leafCapacity) {
        this.mergeLeaves(left, leaf);
        parent.counts[slot - 1]! += parent.counts[slot]!;
        this.removeSlot(depth, slot);
        return;
      }
      // Borrow from the left: its last elements move to the front of `leaf`.
      const take = (left.size - leaf.size) >> 1;
      moveLeafEntries(leaf, 0, leaf, take, leaf.size);
      moveLeafEntries(left, left.size - take, leaf, 0, take);
      clearLeafEntries(left, left.size - take, left.size);
      left.size -= take;
      leaf.size += take;
      parent.counts[slot - 1]! -= take;
      parent.counts[slot]! += take;
      parent.sepScores[slot] = leaf.scores[0]!;
      parent.sepMembers[slot] = leaf.members[0]!;
      return;
    }
    const right = parent.children[slot + 1] as ZTreeLeaf;
    if (leaf.size + right.size <= this.leafCapacity) {
      this.mergeLeaves(leaf, right);
      parent.counts[slot]! += parent.counts[slot + 1]!;
      this.removeSlot(depth, slot + 1);
      return;
    }
    // Borrow from the right: its first elements move to the end of `leaf`.
    const take = (right.size - leaf.size) >> 1;
    moveLeafEntries(right, 0, leaf, leaf.size, take);
    moveLeafEntries(right, take, right, 0, right.size - take);
    clearLeafEntries(right, right.size - take, right.size);
    right.size -= take;
    leaf.size += take;
    parent.counts[slot]! += take;
    parent.counts[slot + 1]! -= take;
    parent.sepScores[slot + 1] = right.scores[0]!;
    parent.sepMembers[slot + 1] = right.members[0]!;
  }

  /** Append `right`'s elements to `left` and unlink `right` from the leaf chain. */
  private mergeLeaves(left: ZTreeLeaf, right: ZTreeLeaf): void {
    moveLeafEntries(right, 0, left, left.size, right.size);
    left.size += right.size;
    clearLeafEntries(right, 0, right.size);
    right.size = 0;
    left.next = right.next;
    if (right.next !== null) right.next.prev = left;
    else this.tail = left;
  }

  /** Restore the fill rules of the branch at path depth `depth` after it lost a child. */
  private rebalanceBranch(depth: number): void {
    const branch = this.pathBranches[depth]!;
    if (depth === 0) {
      if (branch.size === 1) {
        this.root = branch.children[0]!;
        this.height--;
      }
      return;
    }
    if (branch.size >= this.minBranch) return;
    const parent = this.pathBranches[depth - 1]!;
    const slot = this.pathSlots[depth - 1]!;
    if (slot > 0) {
      const left = parent.children[slot - 1] as ZTreeBranch;
      if (left.size + branch.size <= this.branchCapacity) {
        this.mergeBranches(parent, slot - 1, left, branch);
        parent.counts[slot - 1]! += parent.counts[slot]!;
        this.removeSlot(depth - 1, slot);
        return;
      }
      // Borrow from the left: its last children move to the front of `branch`.
      const take = (left.size - branch.size) >> 1;
      moveBranchEntries(branch, 0, branch, take, branch.size);
      branch.sepScores[take] = parent.sepScores[slot]!;
      branch.sepMembers[take] = parent.sepMembers[slot]!;
      moveBranchEntries(left, left.size - take, branch, 0, take);
      let moved = 0;
      for (let i = 0; i < take; i++) moved += branch.counts[i]!;
      clearBranchEntries(left, left.size - take, left.size);
      left.size -= take;
      branch.size += take;
      parent.counts[slot - 1]! -= moved;
      parent.counts[slot]! += moved;
      parent.sepScores[slot] = branch.sepScores[0]!;
      parent.sepMembers[slot] = branch.sepMembers[0]!;
      return;
    }
    const right = parent.children[slot + 1] as ZTreeBranch;
    if (branch.size + right.size <= this.branchCapacity) {
      this.mergeBranches(parent, slot, branch, right);
      parent.counts[slot]! += parent.counts[slot + 1]!;
      this.removeSlot(depth - 1, slot + 1);
      return;
    }
    // Borrow from the right: its first children move to the end of `branch`.
    const take = (right.size - branch.size) >> 1;
    right.sepScores[0] = parent.sepScores[slot + 1]!;
    right.sepMembers[0] = parent.sepMembers[slot + 1]!;
    moveBranchEntries(right, 0, branch, branch.size, take);
    let moved = 0;
    for (let i = 0; i < take; i++) moved += right.counts[i]!;
    moveBranchEntries(right, take, right, 0, right.size - take);
    clearBranchEntries(right, right.size - take, right.size);
    right.size -= take;
    branch.size += take;
    parent.counts[slot]! += moved;
    parent.counts[slot + 1]! -= moved;
    parent.sepScores[slot + 1] = right.sepScores[0]!;
    parent.sepMembers[slot + 1] = right.sepMembers[0]!;
  }

  /**
   * Append `right`'s children to `left` (siblings: `right` is child `leftSlot + 1`
   * of `parent`); the parent's separator for `right` becomes the separator of
   * `right`'s first child.
   */
  private mergeBranches(parent: ZTreeBranch, leftSlot: number, left: ZTreeBranch, right: ZTreeBranch): void {
    right.sepScores[0] = parent.sepScores[leftSlot + 1]!;
    right.sepMembers[0] = parent.sepMembers[leftSlot + 1]!;
    moveBranchEntries(right, 0, left, left.size, right.size);
    left.size += right.size;
    clearBranchEntries(right, 0, right.size);
    right.size = 0;
  }

  /** Remove entry `slot` of the branch at `depth` (merged away) and rebalance upwards. */
  private removeSlot(depth: number, slot: number): void {
    const branch = this.pathBranches[depth]!;
    moveBranchEntries(branch, slot + 1, branch, slot, branch.size - slot - 1);
    branch.size--;
    clearBranchEntries(branch, branch.size, branch.size + 1);
    this.rebalanceBranch(depth);
  }

  // ---------------------------------------------------------------- rank queries

  /** 0-based rank of (score, member), or -1 when absent. */
  rank(score: number, member: string): number {
    let node = this.root;
    let rank = 0;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as ZTreeBranch;
      const slot = childFor(branch, score, member);
      rank += countBefore(branch, slot);
      node = branch.children[slot]!;
    }
    const leaf = node as ZTreeLeaf;
    const at = leafLowerBound(leaf, score, member);
    if (at >= leaf.size || leaf.members[at] !== member || leaf.scores[at] !== score) return -1;
    return rank + at;
  }

  /** Point `out` at the element of 0-based rank `rank` (leaf null when out of range). */
  seekRank(rank: number, out: ZTreePosition): void {
    if (rank < 0 || rank >= this.length) {
      out.leaf = null;
      out.index = -1;
      return;
    }
    let node = this.root;
    let remaining = rank;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as ZTreeBranch;
      const counts = branch.counts;
      const last = branch.size - 1;
      let slot = 0;
      while (slot < last && remaining >= counts[slot]!) {
        remaining -= counts[slot]!;
        slot++;
      }
      node = branch.children[slot]!;
    }
    out.leaf = node as ZTreeLeaf;
    out.index = remaining;
  }

  // ---------------------------------------------------------------- range seeks

  /**
   * Point `out` at the first element whose score is in `range` and return its
   * rank; -1 (and leaf null) when no element is in the range.
   */
  seekFirstInScoreRange(range: ScoreRange, out: ZTreePosition): number {
    const rank = this.partitionPoint(SEEK_SCORE_MIN, range, null, out);
    if (!stepToElementAtOrAfter(out) || !scoreLteMax(out.leaf!.scores[out.index]!, range)) {
      return noPosition(out);
    }
    return rank;
  }

  /**
   * Point `out` at the last element whose score is in `range` and return its
   * rank; -1 (and leaf null) when no element is in the range.
   */
  seekLastInScoreRange(range: ScoreRange, out: ZTreePosition): number {
    const rank = this.partitionPoint(SEEK_SCORE_MAX, range, null, out) - 1;
    if (!stepToElementBefore(out) || !scoreGteMin(out.leaf!.scores[out.index]!, range)) {
      return noPosition(out);
    }
    return rank;
  }

  /**
   * Point `out` at the first element whose member is not below the lex range's
   * minimum (as a descent that compares members only finds it) and return its
   * rank; -1 when there is none. The caller checks the maximum. Meaningful when
   * all elements share one score (what ZRANGEBYLEX requires); otherwise the
   * answer is as arbitrary as Redis' skiplist walk.
   */
  seekLexMin(range: LexRange, out: ZTreePosition): number {
    const rank = this.partitionPoint(SEEK_LEX_MIN, null, range, out);
    return stepToElementAtOrAfter(out) ? rank : noPosition(out);
  }

  /**
   * Point `out` at the last element whose member is not above the lex range's
   * maximum and return its rank; -1 when there is none (see seekLexMin).
   */
  seekLexMax(range: LexRange, out: ZTreePosition): number {
    const rank = this.partitionPoint(SEEK_LEX_MAX, null, range, out) - 1;
    return stepToElementBefore(out) ? rank : noPosition(out);
  }

  /**
   * The partition point of a range seek: the first element that does not lie
   * before `target` (see isBeforeTarget; the elements before it form a prefix of
   * the order). Sets `out` to its leaf and index, where the index may be the
   * leaf's size (the point lies just past that leaf), and returns the number of
   * elements before it. One descent: a binary search per level over the
   * separators, then over the leaf.
   */
  private partitionPoint(
    target: number,
    scoreRange: ScoreRange | null,
    lexRange: LexRange | null,
    out: ZTreePosition,
  ): number {
    let node = this.root;
    let rank = 0;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as ZTreeBranch;
      // The last child whose separator lies before the target: all children before it do too.
      let low = 1;
      let high = branch.size;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (isBeforeTarget(target, branch.sepScores[mid]!, branch.sepMembers[mid]!, scoreRange, lexRange)) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      rank += countBefore(branch, low - 1);
      node = branch.children[low - 1]!;
    }
    const leaf = node as ZTreeLeaf;
    let low = 0;
    let high = leaf.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (isBeforeTarget(target, leaf.scores[mid]!, leaf.members[mid]!, scoreRange, lexRange)) low = mid + 1;
      else high = mid;
    }
    out.leaf = leaf;
    out.index = low;
    return rank + low;
  }

  // ---------------------------------------------------------------- inspection

  /** Count of leaves and branches and the height (tests, benchmarks). */
  shape(): ZTreeShape {
    let leaves = 0;
    let branches = 0;
    const visit = (node: ZTreeBranch | ZTreeLeaf, depth: number): void => {
      if (depth === this.height) {
        leaves++;
        return;
      }
      branches++;
      const branch = node as ZTreeBranch;
      for (let i = 0; i < branch.size; i++) visit(branch.children[i]!, depth + 1);
    };
    visit(this.root, 0);
    return { height: this.height, leaves, branches };
  }

  /**
   * Check every structural rule (order, separators, counts, fill, leaf links) and
   * throw on the first violation. For tests: O(n).
   */
  checkInvariants(): void {
    const fail = (what: string): never => {
      throw new Error(`order-statistic tree: ${what}`);
    };
    let previousLeaf: ZTreeLeaf | null = null;
    let previousScore = Number.NEGATIVE_INFINITY;
    let previousMember: string | null = null;
    const visit = (
      node: ZTreeBranch | ZTreeLeaf,
      depth: number,
      lowScore: number,
      lowMember: string | null,
      isRoot: boolean,
      rightEdge: boolean,
    ): number => {
      if (depth === this.height) {
        const leaf = node as ZTreeLeaf;
        if (!(leaf instanceof ZTreeLeaf)) fail("a branch at leaf depth");
        // Appends at the right edge start nearly empty nodes there (see splitLeafAndInsert).
        const minimum = isRoot ? 0 : rightEdge ? 1 : this.minLeaf;
        if (leaf.size < minimum) fail("leaf below its minimum fill");
        if (leaf.size > this.leafCapacity) fail("leaf over capacity");
        if (leaf.prev !== previousLeaf) fail("broken prev link");
        if (previousLeaf !== null && previousLeaf.next !== leaf) fail("broken next link");
        for (let i = 0; i < leaf.size; i++) {
          const score = leaf.scores[i]!;
          const member = leaf.members[i]!;
          if (Number.isNaN(score)) fail("NaN score");
          if (
            previousMember !== null &&
            !(previousScore < score || (previousScore === score && previousMember < member))
          ) {
            fail("elements out of order");
          }
          if (lowMember !== null && (score < lowScore || (score === lowScore && member < lowMember))) {
            fail("element below its separator");
          }
          previousScore = score;
          previousMember = member;
        }
        for (let i = leaf.size; i < this.leafCapacity; i++)
          if (leaf.members[i] !== "") fail("stale member slot");
        previousLeaf = leaf;
        return leaf.size;
      }
      const branch = node as ZTreeBranch;
      if (!(branch instanceof ZTreeBranch)) fail("a leaf at branch depth");
      if (branch.size < (isRoot || rightEdge ? 2 : this.minBranch)) fail("branch below its minimum fill");
      if (branch.size > this.branchCapacity) fail("branch over capacity");
      let total = 0;
      for (let i = 0; i < branch.size; i++) {
        const beforeScore = previousScore;
        const beforeMember = previousMember;
        if (i > 0 && beforeMember !== null) {
          const s = branch.sepScores[i]!;
          const m = branch.sepMembers[i]!;
          if (!(beforeScore < s || (beforeScore === s && beforeMember < m)))
            fail("separator not above the previous child");
        }
        const lastChild = rightEdge && i === branch.size - 1;
        const below =
          i === 0
            ? visit(branch.children[i]!, depth + 1, lowScore, lowMember, false, lastChild)
            : visit(
                branch.children[i]!,
                depth + 1,
                branch.sepScores[i]!,
                branch.sepMembers[i]!,
                false,
                lastChild,
              );
        if (below !== branch.counts[i]) fail("child count does not match its elements");
        total += below;
      }
      return total;
    };
    const total = visit(this.root, 0, Number.NEGATIVE_INFINITY, null, true, true);
    if (total !== this.length) fail("length does not match the elements");
    if (previousLeaf !== this.tail) fail("tail is not the last leaf");
    if (this.head.prev !== null) fail("head has a prev link");
    if (this.tail.next !== null) fail("tail has a next link");
  }
}

/** Set an entry of a branch. */
function setBranchEntry(
  branch: ZTreeBranch,
  at: number,
  child: ZTreeBranch | ZTreeLeaf,
  count: number,
  sepScore: number,
  sepMember: string,
): void {
  branch.children[at] = child;
  branch.counts[at] = count;
  branch.sepScores[at] = sepScore;
  branch.sepMembers[at] = sepMember;
}

/** Mark `out` as pointing at nothing; returns -1 (no rank). */
function noPosition(out: ZTreePosition): number {
  out.leaf = null;
  out.index = -1;
  return -1;
}

/** Range seek targets of partitionPoint (see isBeforeTarget). */
const SEEK_SCORE_MIN = 0;
const SEEK_SCORE_MAX = 1;
const SEEK_LEX_MIN = 2;
const SEEK_LEX_MAX = 3;

/**
 * True while an element lies before a seek's target: below the score or lex
 * minimum (the *_MIN targets), or within the score or lex maximum (the *_MAX
 * targets, whose partition point is one past the last element in range).
 */
function isBeforeTarget(
  target: number,
  score: number,
  member: string,
  scoreRange: ScoreRange | null,
  lexRange: LexRange | null,
): boolean {
  switch (target) {
    case SEEK_SCORE_MIN:
      return !scoreGteMin(score, scoreRange!);
    case SEEK_SCORE_MAX:
      return scoreLteMax(score, scoreRange!);
    case SEEK_LEX_MIN:
      return !lexGteMin(member, lexRange!);
    default:
      return lexLteMax(member, lexRange!);
  }
}

/** Move `out` from a partition point to the element there (into the next leaf if needed); false when none. */
function stepToElementAtOrAfter(out: ZTreePosition): boolean {
  const leaf = out.leaf!;
  if (out.index < leaf.size) return true;
  if (leaf.next === null) return false;
  out.leaf = leaf.next;
  out.index = 0;
  return true;
}

/** Move `out` from a partition point to the element before it (into the previous leaf if needed); false when none. */
function stepToElementBefore(out: ZTreePosition): boolean {
  const leaf = out.leaf!;
  if (out.index > 0) {
    out.index--;
    return true;
  }
  if (leaf.prev === null) return false;
  out.leaf = leaf.prev;
  out.index = leaf.prev.size - 1;
  return true;
}
