/*
 * List values (Redis' t_list.c, type side).
 *
 * A list is a sequence of binary elements (Buffers owned by the list: push and
 * set copy what they are given, so a view into a socket chunk is never kept, and
 * an element is never edited in place, so replies and other lists may share it).
 *
 * Representation: a ring-buffer deque. The elements live in a power-of-two array
 * `items`; the logical element i is at items[(head + i) & mask]. This gives
 *   - O(1) amortised push and pop at both ends (the array doubles when full and
 *     halves when a quarter full, so a drained list gives its memory back),
 *   - O(1) access by index (LINDEX, LSET, LRANGE's walk),
 *   - O(min(i, n - i)) insertion and removal at index i (the shorter side moves),
 *     which stays within Redis' O(N) for LINSERT and LREM.
 *
 * Encoding: Redis 7.0 stores every list as a quicklist (the "listpack" encoding
 * of small lists arrived with Redis 7.2), so OBJECT ENCODING always says
 * "quicklist", whatever list-max-listpack-size says and however small or large
 * the list is. This was checked against redis-server 7.0.15 with count-based and
 * size-based settings (1, 2, 4, 128, -1, -2, -5) around every threshold. The
 * node layout that list-max-listpack-size shapes is not observable through the
 * commands Spinel serves, so the deque does not model it.
 *
 * Indexes: methods named with "index" accept Redis-style indexes (negative counts
 * from the tail: -1 is the last element) unless they say "position", which is a
 * 0-based offset from the head within [0, length).
 */

/** Encodings OBJECT ENCODING reports for lists (Redis 7.0 has only one). */
export type ListEncodingName = "quicklist";

/** An end of a list: LEFT is the head, RIGHT the tail. */
export enum ListEnd {
  Head = 0,
  Tail = 1,
}

/** Something that receives elements in order (a ReplyWriter fits: it has bulk()). */
export interface ListElementSink {
  bulk(element: Buffer): void;
}

const MIN_CAPACITY = 4;

/** Smallest power of two that is >= n and >= MIN_CAPACITY. */
function capacityFor(n: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity < n) capacity *= 2;
  return capacity;
}

/** A list value. */
export class RedisList {
  readonly type = "list" as const;
  /** Ring buffer; slots outside the live range hold undefined (nothing is pinned). */
  private items: (Buffer | undefined)[];
  /** Physical slot of the first element. */
  private head: number;
  /** Number of elements. */
  private count: number;
  /** items.length - 1 (items.length is a power of two). */
  private mask: number;

  private constructor(capacity: number) {
    this.items = new Array<Buffer | undefined>(capacity).fill(undefined);
    this.head = 0;
    this.count = 0;
    this.mask = capacity - 1;
  }

  /** An empty list (the caller stores it only once it holds an element). */
  static create(): RedisList {
    return new RedisList(MIN_CAPACITY);
  }

  /**
   * A list holding `elements` in order, taking ownership of the Buffers (no
   * copy): for loaders and tests that built the Buffers themselves.
   */
  static fromOwned(elements: readonly Buffer[]): RedisList {
    const list = new RedisList(capacityFor(elements.length));
    for (let i = 0; i < elements.length; i++) list.items[i] = elements[i];
    list.count = elements.length;
    return list;
  }

  /** OBJECT ENCODING name: always "quicklist", as in Redis 7.0 (see the file header). */
  get encoding(): ListEncodingName {
    return "quicklist";
  }

  /** Number of elements (LLEN). */
  get length(): number {
    return this.count;
  }

  // ---------------------------------------------------------------- ends

  /** Push a copy of `element` at `end` (the argument may be a view into a socket chunk). */
  push(element: Buffer, end: ListEnd): void {
    this.pushOwned(Buffer.from(element), end);
  }

  /**
   * Push `element` itself at `end`, without copying: for elements that already
   * belong to the keyspace (LMOVE moves an element from one list to another).
   */
  pushOwned(element: Buffer, end: ListEnd): void {
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    if (end === ListEnd.Head) {
      this.head = (this.head - 1) & this.mask;
      this.items[this.head] = element;
    } else {
      this.items[(this.head + this.count) & this.mask] = element;
    }
    this.count++;
  }

  /** Remove and return the element at `end`, or undefined when the list is empty. */
  pop(end: ListEnd): Buffer | undefined {
    if (this.count === 0) return undefined;
    let slot: number;
    if (end === ListEnd.Head) {
      slot = this.head;
      this.head = (this.head + 1) & this.mask;
    } else {
      slot = (this.head + this.count - 1) & this.mask;
    }
    const element = this.items[slot];
    this.items[slot] = undefined;
    this.count--;
    this.maybeShrink();
    return element;
  }

  // ---------------------------------------------------------------- access by index

  /** Position (0-based from the head) of a Redis-style index, or -1 when out of range. */
  positionOf(index: number): number {
    const position = index < 0 ? this.count + index : index;
    return position >= 0 && position < this.count ? position : -1;
  }

  /** Element at a Redis-style `index` (LINDEX), or undefined when out of range. */
  at(index: number): Buffer | undefined {
    const position = this.positionOf(index);
    return position === -1 ? undefined : this.items[(this.head + position) & this.mask];
  }

  /**
   * Replace the element at a Redis-style `index` with a copy of `element` (LSET).
   * Returns false (and changes nothing) when the index is out of range.
   */
  set(index: number, element: Buffer): boolean {
    const position = this.positionOf(index);
    if (position === -1) return false;
    this.items[(this.head + position) & this.mask] = Buffer.from(element);
    return true;
  }

  /**
   * Hand the elements at positions [start, end] (0-based, inclusive, already
   * clamped to the list: 0 <= start <= end < length) to `sink`, head to tail.
   */
  writeRange(start: number, end: number, sink: ListElementSink): void {
    const items = this.items;
    const mask = this.mask;
    for (let position = start; position <= end; position++) {
      sink.bulk(items[(this.head + position) & mask]!);
    }
  }

  /** Every element, head to tail (snapshots, DUMP, SORT; not for the hot path). */
  *values(): IterableIterator<Buffer> {
    for (let position = 0; position < this.count; position++) {
      yield this.items[(this.head + position) & this.mask]!;
    }
  }

  /** The elements as a new array, head to tail. */
  toArray(): Buffer[] {
    const out = new Array<Buffer>(this.count);
    for (let position = 0; position < this.count; position++) {
      out[position] = this.items[(this.head + position) & this.mask]!;
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
    const items = this.items;
    const mask = this.mask;
    for (let position = 0; position < this.count; position++) {
      if (items[(this.head + position) & mask]!.equals(pivot)) {
        this.insertAt(after ? position + 1 : position, Buffer.from(element));
        return this.count;
      }
    }
    return -1;
  }

  /**
   * LREM: remove elements equal to `element`. `count` > 0 removes up to `count`
   * of them searching from the head, < 0 up to -count from the tail, 0 all of
   * them. Returns how many were removed. One pass over the list, O(n).
   */
  remove(element: Buffer, count: number): number {
    const limit = count === 0 ? Number.POSITIVE_INFINITY : Math.abs(count);
    const items = this.items;
    const mask = this.mask;
    const head = this.head;
    const length = this.count;
    let removed = 0;
    if (count >= 0) {
      // Compact toward the head: survivors slide left over the removed ones.
      let write = 0;
      for (let read = 0; read < length; read++) {
        const value = items[(head + read) & mask]!;
        if (removed < limit && value.equals(element)) {
          removed++;
          continue;
        }
        if (write !== read) items[(head + write) & mask] = value;
        write++;
      }
      for (let position = write; position < length; position++) items[(head + position) & mask] = undefined;
    } else {
      // Compact toward the tail: survivors slide right, the head moves up.
      let write = length - 1;
      for (let read = length - 1; read >= 0; read--) {
        const value = items[(head + read) & mask]!;
        if (removed < limit && value.equals(element)) {
          removed++;
          continue;
        }
        if (write !== read) items[(head + write) & mask] = value;
        write--;
      }
      for (let position = 0; position <= write; position++) items[(head + position) & mask] = undefined;
      this.head = (head + removed) & mask;
    }
    this.count = length - removed;
    this.maybeShrink();
    return removed;
  }

  /** LTRIM's work: drop `fromHead` elements at the head and `fromTail` at the tail. */
  trim(fromHead: number, fromTail: number): void {
    const dropHead = Math.min(Math.max(fromHead, 0), this.count);
    const dropTail = Math.min(Math.max(fromTail, 0), this.count - dropHead);
    const kept = this.count - dropHead - dropTail;
    if (kept < dropHead + dropTail) {
      // Cheaper to copy the survivors into a fresh ring than to clear the rest.
      const items = new Array<Buffer | undefined>(capacityFor(kept)).fill(undefined);
      for (let position = 0; position < kept; position++) {
        items[position] = this.items[(this.head + dropHead + position) & this.mask];
      }
      this.items = items;
      this.mask = items.length - 1;
      this.head = 0;
      this.count = kept;
      return;
    }
    for (let i = 0; i < dropHead; i++) this.items[(this.head + i) & this.mask] = undefined;
    this.head = (this.head + dropHead) & this.mask;
    for (let i = kept; i < kept + dropTail; i++) this.items[(this.head + i) & this.mask] = undefined;
    this.count = kept;
    this.maybeShrink();
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
    const scanLimit = maxScan === 0 || maxScan > this.count ? this.count : maxScan;
    const items = this.items;
    const mask = this.mask;
    let matches = 0;
    for (let scanned = 0; scanned < scanLimit; scanned++) {
      const position = fromTail ? this.count - 1 - scanned : scanned;
      if (!items[(this.head + position) & mask]!.equals(element)) continue;
      matches++;
      if (matches <= skip) continue;
      found.push(position);
      if (maxMatches !== 0 && found.length >= maxMatches) break;
    }
    return found;
  }

  /** An independent list with the same elements (COPY). Elements are immutable, so they are shared. */
  clone(): RedisList {
    return RedisList.fromOwned(this.toArray());
  }

  // ---------------------------------------------------------------- ring plumbing

  /** Insert `element` (already owned) so that it ends up at `position` (0..length). */
  private insertAt(position: number, element: Buffer): void {
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    const items = this.items;
    const mask = this.mask;
    if (position < this.count - position) {
      // Move the elements before the position one slot toward the head.
      this.head = (this.head - 1) & mask;
      for (let i = 0; i < position; i++) {
        items[(this.head + i) & mask] = items[(this.head + i + 1) & mask];
      }
    } else {
      // Move the elements from the position on one slot toward the tail.
      for (let i = this.count; i > position; i--) {
        items[(this.head + i) & mask] = items[(this.head + i - 1) & mask];
      }
    }
    items[(this.head + position) & mask] = element;
    this.count++;
  }

  /** Halve the ring when it is at most a quarter full (amortised O(1)). */
  private maybeShrink(): void {
    const capacity = this.items.length;
    if (capacity > MIN_CAPACITY && this.count <= capacity >>> 2) this.resize(capacity >>> 1);
  }

  /** Move the elements into a fresh ring of `capacity` slots, head at slot 0. */
  private resize(capacity: number): void {
    const items = new Array<Buffer | undefined>(capacity).fill(undefined);
    for (let position = 0; position < this.count; position++) {
      items[position] = this.items[(this.head + position) & this.mask];
    }
    this.items = items;
    this.head = 0;
    this.mask = capacity - 1;
  }
}
