/*
 * The large form of a list (Redis' quicklist): a sequence of packed nodes.
 *
 * RedisList (list.ts) keeps a small list as one packed string and switches to
 * this form when the list outgrows it. The elements live back to back in nodes
 * (ListNode, list-node.ts: one Buffer of up to 8 KB and an Int32Array of
 * boundaries each), and the nodes in a power-of-two ring `nodes`; the logical
 * node k is nodes[(nodeHead + k) & nodeMask]. This gives
 *   - O(1) amortised push and pop at both ends (a node has room at both ends; a
 *     full end node gets a new neighbour, an emptied one is dropped),
 *   - access by index in O(nodes) with small constants, walking from the nearer
 *     end as Redis does, and O(1) for the next or previous element of the last
 *     one found (a cursor cache: SORT and LRANGE read in order),
 *   - insertion and removal in the middle that move at most one node's bytes
 *     (a node that cannot take an insertion is split), within Redis' O(N),
 *   - memory that follows the content: nodes grow by doubling, give memory back
 *     when an eighth full, are dropped when empty, and LREM merges small
 *     neighbours.
 * A million-element list is about a thousand Buffers and typed arrays instead of
 * a million small Buffers, so the garbage collector has little to copy or mark.
 *
 * The elements are copies: push, set and insert copy what they are given, and
 * readers get copies (pop, at, values, toArray) or byte ranges handed to a sink
 * that copies them (writeRange). Index conventions are RedisList's (list.ts).
 */

import { ARRAY_BASE, objectBytes } from "../memory-model.js";
import { ListNode, type ListNodeOwner, NODE_MAX_BYTES, NODE_MAX_ENTRIES } from "./list-node.js";
import { type ListElementSink, ListEnd } from "./list-types.js";

/** The Quicklist object (7 fields) and its node ring array. */
const QUICKLIST_BASE = objectBytes(7) + ARRAY_BASE;
/** One node beyond its storage: the ListNode object (6 fields) and its ring slot. */
const LIST_NODE = objectBytes(6) + 8;

/** Smallest node ring (a short list has one node). */
const MIN_RING = 1;

/** Smallest power of two that is >= n and >= MIN_RING. */
function ringCapacityFor(n: number): number {
  let capacity = MIN_RING;
  while (capacity < n) capacity *= 2;
  return capacity;
}

/*
 * Quicklist.locate()'s answer: the logical node index and the element's index
 * inside that node. Module scratch rather than fields (a list does not need to
 * carry them), read right after the synchronous locate() call.
 */
let foundNode = 0;
let foundEntry = 0;

/** A list in its large form (see the file header). */
export class Quicklist implements ListNodeOwner {
  /** Ring of nodes; slots outside the live range hold undefined (nothing is pinned). */
  private nodes: (ListNode | undefined)[];
  /** Physical slot of the first node. */
  private nodeHead: number;
  /** Number of nodes (none is empty). */
  private nodeCount: number;
  /** nodes.length - 1 (nodes.length is a power of two). */
  private nodeMask: number;
  /** Number of elements. */
  private count: number;
  /** Cursor cache: logical index of the node last located, or -1 when unknown. */
  private cachedNode: number;
  /** Position (from the head) of the first element of `cachedNode`. */
  private cachedStart: number;
  /** Sum of the nodes' storageBytes (ListNodeOwner: the nodes keep it up to date). */
  nodeStorageBytes: number;

  private constructor() {
    this.nodes = new Array<ListNode | undefined>(MIN_RING).fill(undefined);
    this.nodeHead = 0;
    this.nodeCount = 0;
    this.nodeMask = MIN_RING - 1;
    this.count = 0;
    this.cachedNode = -1;
    this.cachedStart = 0;
    this.nodeStorageBytes = 0;
  }

  /** An empty list (the caller stores it only once it holds an element). */
  static create(): Quicklist {
    return new Quicklist();
  }

  /** Number of elements (LLEN). */
  get length(): number {
    return this.count;
  }

  /** Number of nodes the elements are packed into (Redis' quicklist "ql_nodes"; for tests and figures). */
  get nodeTotal(): number {
    return this.nodeCount;
  }

  /** Bytes the elements take in the nodes, O(nodes). */
  get usedBytes(): number {
    let bytes = 0;
    for (let k = 0; k < this.nodeCount; k++) bytes += this.nodeAt(k).usedBytes;
    return bytes;
  }

  /** Bytes of the nodes' buffers and boundary arrays, O(nodes) (for tests and memory figures). */
  get allocatedBytes(): number {
    let bytes = 0;
    for (let k = 0; k < this.nodeCount; k++) bytes += this.nodeAt(k).allocatedBytes;
    return bytes;
  }

  /**
   * Bytes this list holds (see memory-model.ts): the ring, a fixed cost per node,
   * and the nodes' buffers and boundary arrays by capacity (a running sum the
   * nodes keep up to date as they grow and shrink). O(1).
   */
  memoryUsage(): number {
    return QUICKLIST_BASE + this.nodes.length * 8 + this.nodeCount * LIST_NODE + this.nodeStorageBytes;
  }

  // ---------------------------------------------------------------- ends

  /** Push a copy of `element` at `end` (the argument may be a view into a socket chunk). */
  push(element: Buffer, end: ListEnd): void {
    if (end === ListEnd.Head) {
      const node = this.nodeCount === 0 ? undefined : this.nodes[this.nodeHead]!;
      if (node === undefined || !node.pushHead(element)) {
        const fresh = ListNode.forElement(element.length, true, node);
        fresh.pushHead(element);
        this.insertNode(0, fresh);
        node?.compact();
      }
    } else {
      const node = this.nodeCount === 0 ? undefined : this.nodeAt(this.nodeCount - 1);
      if (node === undefined || !node.pushTail(element)) {
        const fresh = ListNode.forElement(element.length, false, node);
        fresh.pushTail(element);
        this.insertNode(this.nodeCount, fresh);
        node?.compact();
      }
    }
    this.count++;
    this.cachedNode = -1;
  }

  /** Remove the element at `end` and return it (a fresh Buffer), or undefined when the list is empty. */
  pop(end: ListEnd): Buffer | undefined {
    if (this.count === 0) return undefined;
    let element: Buffer;
    if (end === ListEnd.Head) {
      const node = this.nodes[this.nodeHead]!;
      element = node.popHead();
      if (node.count === 0) this.removeNode(0);
      else node.shrinkIfSparse();
    } else {
      const last = this.nodeCount - 1;
      const node = this.nodeAt(last);
      element = node.popTail();
      if (node.count === 0) this.removeNode(last);
      else node.shrinkIfSparse();
    }
    this.count--;
    this.cachedNode = -1;
    return element;
  }

  /**
   * pop() that hands the element to `sink.bulkSlice` (which copies it) instead
   * of returning a copy: a pop replied at once needs no Buffer of its own.
   * Returns false when the list is empty.
   */
  popTo(end: ListEnd, sink: ListElementSink): boolean {
    if (this.count === 0) return false;
    if (end === ListEnd.Head) {
      const node = this.nodes[this.nodeHead]!;
      node.writeElement(0, sink);
      node.dropHead(1);
      if (node.count === 0) this.removeNode(0);
      else node.shrinkIfSparse();
    } else {
      const last = this.nodeCount - 1;
      const node = this.nodeAt(last);
      node.writeElement(node.count - 1, sink);
      node.dropTail(1);
      if (node.count === 0) this.removeNode(last);
      else node.shrinkIfSparse();
    }
    this.count--;
    this.cachedNode = -1;
    return true;
  }

  // ---------------------------------------------------------------- access by index

  /** Position (0-based from the head) of a Redis-style index, or -1 when out of range. */
  positionOf(index: number): number {
    const position = index < 0 ? this.count + index : index;
    return position >= 0 && position < this.count ? position : -1;
  }

  /** A copy of the element at a Redis-style `index` (LINDEX), or undefined when out of range. */
  at(index: number): Buffer | undefined {
    const position = this.positionOf(index);
    if (position === -1) return undefined;
    this.locate(position);
    return this.nodeAt(foundNode).copyOut(foundEntry);
  }

  /**
   * Replace the element at a Redis-style `index` with a copy of `element` (LSET).
   * Returns false (and changes nothing) when the index is out of range.
   */
  set(index: number, element: Buffer): boolean {
    const position = this.positionOf(index);
    if (position === -1) return false;
    this.locate(position);
    const node = this.nodeAt(foundNode);
    if (node.lengthAt(foundEntry) === element.length) {
      node.overwriteAt(foundEntry, element);
      return true;
    }
    this.removeEntry(foundNode, foundEntry);
    this.insertAtPosition(position, element);
    return true;
  }

  /**
   * Hand the elements at positions [start, end] (0-based, inclusive, already
   * clamped to the list: 0 <= start <= end < length) to `sink.bulkSlice`, head
   * to tail, straight from the nodes' bytes.
   */
  writeRange(start: number, end: number, sink: ListElementSink): void {
    this.locate(start);
    let k = foundNode;
    let entry = foundEntry;
    let remaining = end - start + 1;
    while (remaining > 0) {
      const node = this.nodeAt(k);
      const bytes = node.bytes;
      const bounds = node.bounds;
      const first = node.first;
      const stop = Math.min(node.count, entry + remaining);
      for (let i = entry; i < stop; i++) sink.bulkSlice(bytes, bounds[first + i]!, bounds[first + i + 1]!);
      remaining -= stop - entry;
      entry = 0;
      k++;
    }
  }

  /** Copies of every element, head to tail (snapshots, DUMP; not for the hot path). */
  *values(): IterableIterator<Buffer> {
    for (let k = 0; k < this.nodeCount; k++) {
      const node = this.nodeAt(k);
      for (let i = 0; i < node.count; i++) yield node.copyOut(i);
    }
  }

  /** Copies of the elements as a new array, head to tail. */
  toArray(): Buffer[] {
    const out = new Array<Buffer>(this.count);
    let position = 0;
    for (let k = 0; k < this.nodeCount; k++) {
      const node = this.nodeAt(k);
      for (let i = 0; i < node.count; i++) out[position++] = node.copyOut(i);
    }
    return out;
  }

  // ---------------------------------------------------------------- search and edit

  /**
   * LINSERT: insert a copy of `element` right before (or after, with `after`)
   * the first element equal to `pivot`, searching from the head. Returns the new
   * length, or -1 when no element equals the pivot (the list is unchanged).
   */
  insert(pivot: Buffer, element: Buffer, after: boolean): number {
    let position = 0;
    for (let k = 0; k < this.nodeCount; k++) {
      const node = this.nodeAt(k);
      for (let i = 0; i < node.count; i++, position++) {
        if (node.equalsAt(i, pivot)) {
          this.insertAtPosition(after ? position + 1 : position, element);
          return this.count;
        }
      }
    }
    return -1;
  }

  /**
   * LREM: remove elements equal to `element`. `count` > 0 removes up to `count`
   * of them searching from the head, < 0 up to -count from the tail, 0 all of
   * them. Returns how many were removed. One pass over the nodes, O(n); emptied
   * nodes are dropped and small neighbours merged.
   */
  remove(element: Buffer, count: number): number {
    const limit = count === 0 ? Number.POSITIVE_INFINITY : Math.abs(count);
    let removed = 0;
    if (count >= 0) {
      for (let k = 0; k < this.nodeCount && removed < limit; k++) {
        removed += this.nodeAt(k).removeMatching(element, limit - removed, false);
      }
    } else {
      for (let k = this.nodeCount - 1; k >= 0 && removed < limit; k--) {
        removed += this.nodeAt(k).removeMatching(element, limit - removed, true);
      }
    }
    if (removed > 0) {
      this.count -= removed;
      this.cachedNode = -1;
      this.compactNodes();
    }
    return removed;
  }

  /** LTRIM's work: drop `fromHead` elements at the head and `fromTail` at the tail. */
  trim(fromHead: number, fromTail: number): void {
    let dropHead = Math.min(Math.max(fromHead, 0), this.count);
    let dropTail = Math.min(Math.max(fromTail, 0), this.count - dropHead);
    this.count -= dropHead + dropTail;
    this.cachedNode = -1;
    while (dropHead > 0) {
      const node = this.nodes[this.nodeHead]!;
      if (node.count <= dropHead) {
        dropHead -= node.count;
        this.removeNode(0);
      } else {
        node.dropHead(dropHead);
        node.shrinkIfSparse();
        dropHead = 0;
      }
    }
    while (dropTail > 0) {
      const last = this.nodeCount - 1;
      const node = this.nodeAt(last);
      if (node.count <= dropTail) {
        dropTail -= node.count;
        this.removeNode(last);
      } else {
        node.dropTail(dropTail);
        node.shrinkIfSparse();
        dropTail = 0;
      }
    }
  }

  /**
   * LPOS's search. Scans from the head when `rank` > 0, from the tail when < 0,
   * looking at no more than `maxScan` elements (0: all). Matches before the
   * |rank|-th are skipped; from there on up to `maxMatches` positions (0: all)
   * are collected, in scan order. Positions count from the head whatever the
   * direction. `rank` must not be 0.
   */
  positions(element: Buffer, rank: number, maxMatches: number, maxScan: number): number[] {
    const found: number[] = [];
    const fromTail = rank < 0;
    const skip = (fromTail ? -rank : rank) - 1;
    let remaining = maxScan === 0 || maxScan > this.count ? this.count : maxScan;
    let matches = 0;
    if (!fromTail) {
      let position = 0;
      for (let k = 0; k < this.nodeCount && remaining > 0; k++) {
        const node = this.nodeAt(k);
        for (let i = 0; i < node.count && remaining > 0; i++, position++, remaining--) {
          if (!node.equalsAt(i, element)) continue;
          matches++;
          if (matches <= skip) continue;
          found.push(position);
          if (maxMatches !== 0 && found.length >= maxMatches) return found;
        }
      }
    } else {
      let position = this.count - 1;
      for (let k = this.nodeCount - 1; k >= 0 && remaining > 0; k--) {
        const node = this.nodeAt(k);
        for (let i = node.count - 1; i >= 0 && remaining > 0; i--, position--, remaining--) {
          if (!node.equalsAt(i, element)) continue;
          matches++;
          if (matches <= skip) continue;
          found.push(position);
          if (maxMatches !== 0 && found.length >= maxMatches) return found;
        }
      }
    }
    return found;
  }

  /** An independent list with the same elements (COPY): every node is copied, compacted. */
  clone(): Quicklist {
    const copy = new Quicklist();
    for (let k = 0; k < this.nodeCount; k++) copy.insertNode(k, this.nodeAt(k).clone());
    copy.count = this.count;
    return copy;
  }

  // ---------------------------------------------------------------- element plumbing

  /**
   * Find the element at `position` (0 <= position < length): sets foundNode and
   * foundEntry. Uses the cursor cache when the element is in the cached node or
   * a neighbour of it, else walks the nodes from the nearer end.
   */
  private locate(position: number): void {
    const cached = this.cachedNode;
    if (cached !== -1) {
      const start = this.cachedStart;
      const node = this.nodeAt(cached);
      if (position >= start) {
        const end = start + node.count;
        if (position < end) {
          foundNode = cached;
          foundEntry = position - start;
          return;
        }
        if (cached + 1 < this.nodeCount && position < end + this.nodeAt(cached + 1).count) {
          this.found(cached + 1, end, position);
          return;
        }
      } else if (cached > 0) {
        const previous = this.nodeAt(cached - 1);
        if (position >= start - previous.count) {
          this.found(cached - 1, start - previous.count, position);
          return;
        }
      }
    }
    if (position < this.count - position) {
      let start = 0;
      for (let k = 0; ; k++) {
        const size = this.nodeAt(k).count;
        if (position < start + size) {
          this.found(k, start, position);
          return;
        }
        start += size;
      }
    }
    let end = this.count;
    for (let k = this.nodeCount - 1; ; k--) {
      const start = end - this.nodeAt(k).count;
      if (position >= start) {
        this.found(k, start, position);
        return;
      }
      end = start;
    }
  }

  /** Record locate()'s answer (node `k` starting at position `start`) and cache it. */
  private found(k: number, start: number, position: number): void {
    foundNode = k;
    foundEntry = position - start;
    this.cachedNode = k;
    this.cachedStart = start;
  }

  /** Insert a copy of `element` so that it ends up at `position` (0..length). */
  private insertAtPosition(position: number, element: Buffer): void {
    if (position === 0) {
      this.push(element, ListEnd.Head);
      return;
    }
    if (position === this.count) {
      this.push(element, ListEnd.Tail);
      return;
    }
    this.locate(position);
    const k = foundNode;
    const entry = foundEntry;
    const node = this.nodeAt(k);
    if (entry === 0) {
      // Between two nodes: the end of the previous one, else the head of this one.
      if (!this.nodeAt(k - 1).pushTail(element) && !node.pushHead(element)) {
        this.insertNode(k, ListNode.forElement(element.length, false, undefined));
        this.nodeAt(k).pushTail(element);
      }
    } else if (!node.insertAt(entry, element)) {
      // The node is full: split it at the insertion point.
      const right = node.splitOff(entry);
      this.insertNode(k + 1, right);
      if (!node.pushTail(element) && !right.pushHead(element)) {
        this.insertNode(k + 1, ListNode.forElement(element.length, false, undefined));
        this.nodeAt(k + 1).pushTail(element);
      }
    }
    this.count++;
    this.cachedNode = -1;
  }

  /** Remove element `entry` of node `k`, dropping the node when it empties. */
  private removeEntry(k: number, entry: number): void {
    const node = this.nodeAt(k);
    node.removeAt(entry);
    if (node.count === 0) this.removeNode(k);
    else node.shrinkIfSparse();
    this.count--;
    this.cachedNode = -1;
  }

  // ---------------------------------------------------------------- node ring plumbing

  /** Node at logical index `k` (0 <= k < nodeCount). */
  private nodeAt(k: number): ListNode {
    return this.nodes[(this.nodeHead + k) & this.nodeMask]!;
  }

  /** Insert `node` so that it becomes logical node `k` (0..nodeCount), moving the shorter side. */
  private insertNode(k: number, node: ListNode): void {
    if (this.nodeCount === this.nodes.length) this.resizeRing(this.nodes.length * 2);
    const nodes = this.nodes;
    const mask = this.nodeMask;
    if (k < this.nodeCount - k) {
      this.nodeHead = (this.nodeHead - 1) & mask;
      for (let i = 0; i < k; i++) nodes[(this.nodeHead + i) & mask] = nodes[(this.nodeHead + i + 1) & mask];
    } else {
      for (let i = this.nodeCount; i > k; i--)
        nodes[(this.nodeHead + i) & mask] = nodes[(this.nodeHead + i - 1) & mask];
    }
    nodes[(this.nodeHead + k) & mask] = node;
    this.nodeCount++;
    node.owner = this;
    this.nodeStorageBytes += node.storageBytes;
  }

  /** Remove logical node `k`, moving the shorter side; the ring halves when a quarter full. */
  private removeNode(k: number): void {
    const nodes = this.nodes;
    const mask = this.nodeMask;
    const removed = this.nodeAt(k);
    removed.owner = null;
    this.nodeStorageBytes -= removed.storageBytes;
    const last = this.nodeCount - 1;
    if (k < last - k) {
      for (let i = k; i > 0; i--) nodes[(this.nodeHead + i) & mask] = nodes[(this.nodeHead + i - 1) & mask];
      nodes[this.nodeHead] = undefined;
      this.nodeHead = (this.nodeHead + 1) & mask;
    } else {
      for (let i = k; i < last; i++)
        nodes[(this.nodeHead + i) & mask] = nodes[(this.nodeHead + i + 1) & mask];
      nodes[(this.nodeHead + last) & mask] = undefined;
    }
    this.nodeCount = last;
    const capacity = nodes.length;
    if (capacity > MIN_RING && last <= capacity >>> 2) this.resizeRing(capacity >>> 1);
  }

  /**
   * After LREM: drop emptied nodes and merge a node into its predecessor when
   * both together fill at most half a node, in one pass over the ring.
   */
  private compactNodes(): void {
    const kept: ListNode[] = [];
    for (let k = 0; k < this.nodeCount; k++) {
      const node = this.nodeAt(k);
      if (node.count === 0) continue;
      const previous = kept.length === 0 ? undefined : kept[kept.length - 1]!;
      if (
        previous !== undefined &&
        previous.usedBytes + node.usedBytes <= NODE_MAX_BYTES >>> 1 &&
        previous.count + node.count <= NODE_MAX_ENTRIES >>> 1 &&
        this.appendAll(previous, node)
      ) {
        continue;
      }
      node.shrinkIfSparse();
      kept.push(node);
    }
    const nodes = new Array<ListNode | undefined>(ringCapacityFor(kept.length)).fill(undefined);
    let storage = 0;
    for (let k = 0; k < kept.length; k++) {
      nodes[k] = kept[k];
      storage += kept[k]!.storageBytes;
    }
    // Nodes emptied or merged away go with the old ring: the sum counts the kept ones.
    this.nodeStorageBytes = storage;
    this.nodes = nodes;
    this.nodeHead = 0;
    this.nodeCount = kept.length;
    this.nodeMask = nodes.length - 1;
  }

  /** Append every element of `source` to `target`; false (with `target` unchanged) if one does not fit. */
  private appendAll(target: ListNode, source: ListNode): boolean {
    const before = target.count;
    for (let i = 0; i < source.count; i++) {
      if (!target.pushTail(source.copyOut(i))) {
        target.dropTail(target.count - before);
        return false;
      }
    }
    return true;
  }

  /** Move the nodes into a fresh ring of `capacity` slots, first node at slot 0. */
  private resizeRing(capacity: number): void {
    const nodes = new Array<ListNode | undefined>(capacity).fill(undefined);
    for (let k = 0; k < this.nodeCount; k++) nodes[k] = this.nodes[(this.nodeHead + k) & this.nodeMask];
    this.nodes = nodes;
    this.nodeHead = 0;
    this.nodeMask = capacity - 1;
  }
}
