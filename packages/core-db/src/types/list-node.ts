/*
 * One node of a packed list (the role of a quicklist node and its listpack in
 * Redis' quicklist.c / listpack.c).
 *
 * A node keeps up to NODE_MAX_ENTRIES elements back to back in one Buffer
 * (`bytes`), with their boundaries in an Int32Array (`bounds`): element i of the
 * node spans bytes [bounds[first + i], bounds[first + i + 1]). Both the bytes and
 * the boundary slots have free room at both ends, so a push at either end writes
 * into that room without moving anything (O(1)); when one end runs out of room
 * the node grows (doubling, up to NODE_MAX_BYTES / NODE_MAX_ENTRIES) or re-centres
 * its content, and a node that cannot take the element any more tells the list,
 * which starts a new node. An element bigger than NODE_MAX_BYTES gets a node of
 * its own, sized to it.
 *
 * Why: a list of a million elements is then about a thousand Buffers and typed
 * arrays instead of a million small Buffers, which the garbage collector would
 * otherwise copy out of the young generation and mark on every major collection.
 *
 * The bytes never leave the node: readers copy elements out (copyOut) or hand
 * byte ranges to a reply writer that copies them (ReplyWriter.bulkSlice). That
 * is what allows editing a node in place (LSET, LINSERT, LREM compaction,
 * re-centring) and reusing room freed by pops.
 *
 * Middle edits (insertAt, removeAt, removeMatching) move at most one node's
 * bytes, a bounded cost; the list above splits, drops and merges nodes, and
 * asks a node that lost elements to give memory back (shrinkIfSparse).
 */

import type { ListElementSink } from "./list-types.js";

/** Largest number of element bytes a node holds (an element bigger than this gets a node of its own). */
export const NODE_MAX_BYTES = 8192;
/** Largest number of elements a node holds. */
export const NODE_MAX_ENTRIES = 1024;
/** Byte capacity of the first node of a list (grows by doubling). */
const INITIAL_BYTES = 32;
/** Element capacity of the first node of a list (grows by doubling). */
const INITIAL_ENTRIES = 4;
/** Re-centring a full-size node is worth a move only when this many bytes/slots come free. */
const MIN_RECENTRE_BYTES = NODE_MAX_BYTES >>> 2;
const MIN_RECENTRE_ENTRIES = NODE_MAX_ENTRIES >>> 2;
/** Elements up to this many bytes are copied by a byte loop (cheaper than a native copy call). */
const SMALL_COPY = 16;

/** Boundary arrays of up to this many slots are carved out of a shared slab. */
const POOLED_SLOTS = 64;
const BOUNDS_SLAB_BYTES = 8192;
let boundsSlab = new ArrayBuffer(BOUNDS_SLAB_BYTES);
let boundsSlabUsed = 0;

/**
 * A zeroed Int32Array of `slots` slots. Small ones are views of a shared 8 KB
 * slab (like Node's Buffer pool): a typed array with an ArrayBuffer of its own
 * costs about 200 bytes of bookkeeping, more than a short list's content. A
 * slab stays alive while any of its views does.
 */
function allocateBounds(slots: number): Int32Array {
  if (slots > POOLED_SLOTS) return new Int32Array(slots);
  if (boundsSlabUsed + slots * 4 > BOUNDS_SLAB_BYTES) {
    boundsSlab = new ArrayBuffer(BOUNDS_SLAB_BYTES);
    boundsSlabUsed = 0;
  }
  const bounds = new Int32Array(boundsSlab, boundsSlabUsed, slots);
  boundsSlabUsed += slots * 4;
  return bounds;
}

/** Smallest power of two >= n (n >= 1). */
function powerOfTwoAtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Copy all of `source` into `target` at `offset`. */
function copyElement(source: Buffer, target: Buffer, offset: number): void {
  const length = source.length;
  if (length <= SMALL_COPY) {
    for (let i = 0; i < length; i++) target[offset + i] = source[i]!;
  } else {
    source.copy(target, offset);
  }
}

/**
 * Room one dimension of a node (bytes, or boundary slots) needs after a layout
 * change: its new capacity and how much of the free room goes to the head end.
 * Filled by planRoom(); one shared scratch object, the hot path allocates nothing.
 */
class RoomPlan {
  capacity = 0;
  headFree = 0;
}
const bytePlan = new RoomPlan();
const slotPlan = new RoomPlan();

/**
 * Plan room for `needed` more units at one end of a dimension with `capacity`
 * units, `used` of them in use, `headFree` / `tailFree` free at the ends.
 * Grows (doubling) below `maxCapacity`; at full size re-centres only when at
 * least `minRecentre` units are free. Returns false when the dimension cannot
 * make the room (the node is full).
 */
function planRoom(
  plan: RoomPlan,
  atHead: boolean,
  needed: number,
  capacity: number,
  used: number,
  headFree: number,
  tailFree: number,
  maxCapacity: number,
  minRecentre: number,
): boolean {
  if ((atHead ? headFree : tailFree) >= needed) {
    plan.capacity = capacity;
    plan.headFree = headFree;
    return true;
  }
  let newCapacity = capacity;
  if (capacity < maxCapacity) {
    newCapacity = Math.min(maxCapacity, Math.max(capacity * 2, powerOfTwoAtLeast(used + needed)));
    if (newCapacity - used < needed) return false;
  } else if (capacity - used < needed || capacity - used < minRecentre) {
    return false;
  }
  const free = newCapacity - used;
  // The other end keeps what it had, up to half of the free room; this end gets the rest.
  const otherFree = Math.min(atHead ? tailFree : headFree, free >>> 1, free - needed);
  plan.capacity = newCapacity;
  plan.headFree = atHead ? free - otherFree : otherFree;
  return true;
}

/** Node's Buffer pool serves allocUnsafe() below this size (Buffer.poolSize >>> 1). */
const BUFFER_POOL_LIMIT = 4096;
/** A typed array object over a shared slab, and the extra bookkeeping of one with a store of its own. */
const TYPED_ARRAY_OBJECT = 96;
const OWN_STORE = 120;

/**
 * Bytes of one storage array of `size` bytes (memory model, see memory-model.ts):
 * a view into a shared slab (Node's Buffer pool, the boundary slab) counts twice
 * its size, for the smaller arrays a node outgrew by doubling, which stay behind
 * in the slab; an array with a store of its own counts its store and bookkeeping.
 */
function storageCost(size: number, shared: boolean): number {
  return shared ? TYPED_ARRAY_OBJECT + 2 * size : TYPED_ARRAY_OBJECT + OWN_STORE + size;
}

/** Bytes of a node's two storage arrays, from their sizes (where they were allocated follows from those). */
function nodeStorageCost(bytes: Buffer, bounds: Int32Array): number {
  const byteSize = bytes.length;
  return (
    storageCost(byteSize, byteSize > 0 && byteSize < BUFFER_POOL_LIMIT) +
    storageCost(bounds.byteLength, bounds.length <= POOLED_SLOTS)
  );
}

/** The list a node belongs to, which keeps the sum of its nodes' storage bytes. */
export interface ListNodeOwner {
  nodeStorageBytes: number;
}

/** A node of a packed list: elements back to back in one Buffer (see the file header). */
export class ListNode {
  /** Element bytes; only [bounds[first], bounds[first + count]) is meaningful. */
  bytes: Buffer;
  /** Element boundaries: element i spans [bounds[first + i], bounds[first + i + 1]). */
  bounds: Int32Array;
  /** Slot in `bounds` of the first element's start. */
  first: number;
  /** Number of elements in the node. */
  count: number;
  /** The list holding this node (it adds storageBytes to its total), or null. */
  owner: ListNodeOwner | null;
  /** Bytes of `bytes` and `bounds` by the memory model, kept up to date when they are reallocated. */
  storageBytes: number;

  private constructor(byteCapacity: number, entryCapacity: number, byteStart: number, slotStart: number) {
    this.bytes = Buffer.allocUnsafe(byteCapacity);
    this.bounds = allocateBounds(entryCapacity + 1);
    this.first = slotStart;
    this.bounds[slotStart] = byteStart;
    this.count = 0;
    this.owner = null;
    this.storageBytes = nodeStorageCost(this.bytes, this.bounds);
  }

  /**
   * An empty node about to receive an element of `length` bytes at `atHead`'s
   * end (the room is on that side). `neighbour` is the node it will sit next to
   * (undefined for a list's first node): a new node next to a full one starts at
   * the neighbour's size, so a growing list does not go through every doubling
   * again; the first node starts small, so a short list stays small. An element
   * bigger than NODE_MAX_BYTES gets a node of exactly its size.
   */
  static forElement(length: number, atHead: boolean, neighbour: ListNode | undefined): ListNode {
    let byteCapacity: number;
    let entryCapacity: number;
    if (length > NODE_MAX_BYTES) {
      byteCapacity = length;
      entryCapacity = 1;
    } else if (neighbour === undefined || neighbour.bytes.length > NODE_MAX_BYTES) {
      byteCapacity = Math.min(NODE_MAX_BYTES, Math.max(INITIAL_BYTES, powerOfTwoAtLeast(length * 2)));
      entryCapacity = INITIAL_ENTRIES;
    } else {
      byteCapacity = Math.min(
        NODE_MAX_BYTES,
        Math.max(INITIAL_BYTES, powerOfTwoAtLeast(neighbour.usedBytes + length)),
      );
      entryCapacity = Math.max(INITIAL_ENTRIES, neighbour.bounds.length - 1);
    }
    return atHead
      ? new ListNode(byteCapacity, entryCapacity, byteCapacity, entryCapacity)
      : new ListNode(byteCapacity, entryCapacity, 0, 0);
  }

  /** Bytes of this node's buffer and boundary array. */
  get allocatedBytes(): number {
    return this.bytes.length + this.bounds.byteLength;
  }

  /** Bytes held by the elements. */
  get usedBytes(): number {
    return this.bounds[this.first + this.count]! - this.bounds[this.first]!;
  }

  /** Length in bytes of element `i` (0 <= i < count). */
  lengthAt(i: number): number {
    return this.bounds[this.first + i + 1]! - this.bounds[this.first + i]!;
  }

  /** True when element `i` has exactly the bytes of `element`. */
  equalsAt(i: number, element: Buffer): boolean {
    const start = this.bounds[this.first + i]!;
    const end = this.bounds[this.first + i + 1]!;
    const length = element.length;
    if (end - start !== length) return false;
    if (length <= SMALL_COPY) {
      const bytes = this.bytes;
      for (let j = 0; j < length; j++) if (bytes[start + j] !== element[j]) return false;
      return true;
    }
    return element.compare(this.bytes, start, end) === 0;
  }

  /** Hand element `i` to `sink.bulkSlice` as a byte range of the node (the sink copies it). */
  writeElement(i: number, sink: ListElementSink): void {
    sink.bulkSlice(this.bytes, this.bounds[this.first + i]!, this.bounds[this.first + i + 1]!);
  }

  /** A fresh Buffer holding a copy of element `i`. */
  copyOut(i: number): Buffer {
    const start = this.bounds[this.first + i]!;
    const end = this.bounds[this.first + i + 1]!;
    const out = Buffer.allocUnsafe(end - start);
    if (end - start <= SMALL_COPY) {
      const bytes = this.bytes;
      for (let j = start; j < end; j++) out[j - start] = bytes[j]!;
    } else {
      this.bytes.copy(out, 0, start, end);
    }
    return out;
  }

  // ---------------------------------------------------------------- ends

  /**
   * Copy `element` in front of the first element. Returns false (and changes
   * nothing) when the node is full: the list then starts a new node.
   */
  pushHead(element: Buffer): boolean {
    const length = element.length;
    let first = this.first;
    if (first === 0 || this.bounds[first]! < length) {
      if (!this.makeRoom(true, length)) return false;
      first = this.first;
    }
    const start = this.bounds[first]! - length;
    copyElement(element, this.bytes, start);
    this.bounds[first - 1] = start;
    this.first = first - 1;
    this.count++;
    return true;
  }

  /**
   * Copy `element` after the last element. Returns false (and changes nothing)
   * when the node is full: the list then starts a new node.
   */
  pushTail(element: Buffer): boolean {
    const length = element.length;
    let last = this.first + this.count;
    if (last + 1 === this.bounds.length || this.bounds[last]! + length > this.bytes.length) {
      if (!this.makeRoom(false, length)) return false;
      last = this.first + this.count;
    }
    const start = this.bounds[last]!;
    copyElement(element, this.bytes, start);
    this.bounds[last + 1] = start + length;
    this.count++;
    return true;
  }

  /** Remove the first element and return a copy of it (the node must not be empty). */
  popHead(): Buffer {
    const element = this.copyOut(0);
    this.first++;
    this.count--;
    return element;
  }

  /** Remove the last element and return a copy of it (the node must not be empty). */
  popTail(): Buffer {
    const element = this.copyOut(this.count - 1);
    this.count--;
    return element;
  }

  /** Forget the first `n` elements (0 <= n <= count); their room is reused by later pushes. */
  dropHead(n: number): void {
    this.first += n;
    this.count -= n;
  }

  /** Forget the last `n` elements (0 <= n <= count). */
  dropTail(n: number): void {
    this.count -= n;
  }

  // ---------------------------------------------------------------- middle edits

  /** Overwrite element `i` with `element`, which has the same length. */
  overwriteAt(i: number, element: Buffer): void {
    copyElement(element, this.bytes, this.bounds[this.first + i]!);
  }

  /**
   * Insert a copy of `element` so that it becomes element `i` (0 <= i <= count),
   * moving the shorter side of the node. Returns false (and changes nothing)
   * when the node cannot hold it: the list then splits the node.
   */
  insertAt(i: number, element: Buffer): boolean {
    const length = element.length;
    const count = this.count;
    if (count >= NODE_MAX_ENTRIES || this.usedBytes + length > NODE_MAX_BYTES) return false;
    const towardHead = i < count - i;
    if (towardHead) {
      if (this.first === 0 || this.bounds[this.first]! < length) {
        if (!this.makeRoom(true, length)) return false;
      }
      // Elements 0..i-1 move `length` bytes and one slot toward the head.
      const bounds = this.bounds;
      const first = this.first;
      const headStart = bounds[first]!;
      const at = bounds[first + i]!;
      this.bytes.copyWithin(headStart - length, headStart, at);
      for (let slot = first; slot <= first + i; slot++) bounds[slot - 1] = bounds[slot]! - length;
      this.first = first - 1;
      copyElement(element, this.bytes, at - length);
    } else {
      const last = this.first + count;
      if (last + 1 === this.bounds.length || this.bounds[last]! + length > this.bytes.length) {
        if (!this.makeRoom(false, length)) return false;
      }
      // Elements i..count-1 move `length` bytes and one slot toward the tail.
      const bounds = this.bounds;
      const first = this.first;
      const at = bounds[first + i]!;
      const tailEnd = bounds[first + count]!;
      this.bytes.copyWithin(at + length, at, tailEnd);
      for (let slot = first + count; slot >= first + i; slot--) bounds[slot + 1] = bounds[slot]! + length;
      copyElement(element, this.bytes, at);
    }
    this.count = count + 1;
    return true;
  }

  /** Remove element `i` (0 <= i < count), closing the gap from the shorter side. */
  removeAt(i: number): void {
    const bounds = this.bounds;
    const first = this.first;
    const count = this.count;
    const start = bounds[first + i]!;
    const end = bounds[first + i + 1]!;
    const length = end - start;
    if (i < count - 1 - i) {
      // Elements 0..i-1 move toward the tail over the gap.
      const headStart = bounds[first]!;
      this.bytes.copyWithin(headStart + length, headStart, start);
      for (let slot = first + i; slot >= first; slot--) bounds[slot + 1] = bounds[slot]! + length;
      this.first = first + 1;
    } else {
      // Elements i+1.. move toward the head over the gap.
      const tailEnd = bounds[first + count]!;
      this.bytes.copyWithin(start, end, tailEnd);
      for (let slot = first + i + 1; slot <= first + count; slot++) bounds[slot - 1] = bounds[slot]! - length;
    }
    this.count = count - 1;
  }

  /**
   * Remove up to `limit` elements equal to `element`, scanning from the tail
   * when `fromTail`, else from the head, in one compacting pass over the node.
   * Returns how many were removed.
   */
  removeMatching(element: Buffer, limit: number, fromTail: boolean): number {
    const bounds = this.bounds;
    const bytes = this.bytes;
    const first = this.first;
    const count = this.count;
    let removed = 0;
    if (!fromTail) {
      // Survivors slide toward the head; `write` is where the next survivor goes.
      let write = bounds[first]!;
      let writeSlot = first;
      let start = write;
      for (let i = 0; i < count; i++) {
        const end = bounds[first + i + 1]!;
        if (removed < limit && this.rangeEquals(start, end, element)) {
          removed++;
        } else {
          if (write !== start) bytes.copyWithin(write, start, end);
          write += end - start;
          bounds[++writeSlot] = write;
        }
        start = end;
      }
    } else {
      // Survivors slide toward the tail; the head moves up by the removed slots.
      let write = bounds[first + count]!;
      let writeSlot = first + count;
      let end = write;
      for (let i = count - 1; i >= 0; i--) {
        const start = bounds[first + i]!;
        if (removed < limit && this.rangeEquals(start, end, element)) {
          removed++;
        } else {
          if (write !== end) bytes.copyWithin(write - (end - start), start, end);
          write -= end - start;
          bounds[--writeSlot] = write;
        }
        end = start;
      }
      this.first = writeSlot;
    }
    this.count = count - removed;
    return removed;
  }

  /**
   * Move elements i..count-1 into a new node and drop them from this one
   * (0 < i < count). The new node gets room at both ends.
   */
  splitOff(i: number): ListNode {
    const first = this.first;
    const moved = this.count - i;
    const start = this.bounds[first + i]!;
    const end = this.bounds[first + this.count]!;
    const size = end - start;
    const byteCapacity = Math.min(NODE_MAX_BYTES, powerOfTwoAtLeast(Math.max(INITIAL_BYTES, size * 2)));
    const entryCapacity = Math.min(NODE_MAX_ENTRIES, powerOfTwoAtLeast(Math.max(INITIAL_ENTRIES, moved * 2)));
    const byteStart = (byteCapacity - size) >>> 1;
    const slotStart = (entryCapacity - moved) >>> 1;
    const right = new ListNode(byteCapacity, entryCapacity, byteStart, slotStart);
    this.bytes.copy(right.bytes, byteStart, start, end);
    const delta = byteStart - start;
    for (let k = 0; k <= moved; k++) right.bounds[slotStart + k] = this.bounds[first + i + k]! + delta;
    right.count = moved;
    this.count = i;
    return right;
  }

  /** A compact, independent copy of this node (COPY). */
  clone(): ListNode {
    const size = this.usedBytes;
    const copy = new ListNode(Math.max(size, 1), Math.max(this.count, 1), 0, 0);
    const start = this.bounds[this.first]!;
    this.bytes.copy(copy.bytes, 0, start, start + size);
    for (let k = 0; k <= this.count; k++) copy.bounds[k] = this.bounds[this.first + k]! - start;
    copy.count = this.count;
    return copy;
  }

  // ---------------------------------------------------------------- layout

  /** True when bytes [start, end) of the node equal `element`. */
  private rangeEquals(start: number, end: number, element: Buffer): boolean {
    const length = element.length;
    if (end - start !== length) return false;
    if (length <= SMALL_COPY) {
      const bytes = this.bytes;
      for (let j = 0; j < length; j++) if (bytes[start + j] !== element[j]) return false;
      return true;
    }
    return element.compare(this.bytes, start, end) === 0;
  }

  /**
   * Make room for one more element of `length` bytes at the head (`atHead`) or
   * the tail: grow the buffers or re-centre the content. Returns false (and
   * changes nothing) when the node is full.
   */
  private makeRoom(atHead: boolean, length: number): boolean {
    const count = this.count;
    const used = this.usedBytes;
    if (count >= NODE_MAX_ENTRIES || used + length > NODE_MAX_BYTES) return false;
    const bounds = this.bounds;
    const first = this.first;
    const byteStart = bounds[first]!;
    const byteEnd = bounds[first + count]!;
    const byteCapacity = this.bytes.length;
    const slotCapacity = bounds.length;
    if (
      !planRoom(
        bytePlan,
        atHead,
        length,
        byteCapacity,
        used,
        byteStart,
        byteCapacity - byteEnd,
        NODE_MAX_BYTES,
        MIN_RECENTRE_BYTES,
      ) ||
      !planRoom(
        slotPlan,
        atHead,
        1,
        slotCapacity,
        count + 1,
        first,
        slotCapacity - first - count - 1,
        NODE_MAX_ENTRIES + 1,
        MIN_RECENTRE_ENTRIES,
      )
    ) {
      return false;
    }
    this.relayout(bytePlan.capacity, bytePlan.headFree, slotPlan.capacity, slotPlan.headFree);
    return true;
  }

  /**
   * Give memory back: when the elements fill at most an eighth of the bytes or
   * of the boundary slots, move them into buffers half as big or smaller (at
   * least twice what is used), centred. The factor between growing (when full)
   * and shrinking (when an eighth full) keeps a node that is pushed and popped
   * around one size from reallocating every time. Big single-element nodes are
   * left alone (they are dropped when emptied).
   */
  shrinkIfSparse(): void {
    const byteCapacity = this.bytes.length;
    if (byteCapacity > NODE_MAX_BYTES) return;
    const used = this.usedBytes;
    const slots = this.count + 1;
    const slotCapacity = this.bounds.length;
    let newByteCapacity = byteCapacity;
    if (byteCapacity > INITIAL_BYTES && used * 8 <= byteCapacity) {
      newByteCapacity = Math.max(INITIAL_BYTES, powerOfTwoAtLeast(used * 2));
    }
    let newSlotCapacity = slotCapacity;
    if (slotCapacity > INITIAL_ENTRIES + 1 && slots * 8 <= slotCapacity) {
      newSlotCapacity = Math.max(INITIAL_ENTRIES, powerOfTwoAtLeast(this.count * 2)) + 1;
    }
    if (newByteCapacity >= byteCapacity && newSlotCapacity >= slotCapacity) return;
    newByteCapacity = Math.min(newByteCapacity, byteCapacity);
    newSlotCapacity = Math.min(newSlotCapacity, slotCapacity);
    this.relayout(
      newByteCapacity,
      (newByteCapacity - used) >>> 1,
      newSlotCapacity,
      (newSlotCapacity - slots) >>> 1,
    );
  }

  /**
   * Give back the free room of a node that filled up and got a neighbour: the
   * list pushes into the new end node from now on, so this one keeps only what
   * it holds (a boundary array grown by doubling to 1,025 slots for ~600
   * elements would otherwise cost 7 bytes per element instead of 4). A
   * dimension is cut only when at least an eighth of it is free. A later push
   * or insertion grows it again by doubling.
   */
  compact(): void {
    const byteCapacity = this.bytes.length;
    if (byteCapacity > NODE_MAX_BYTES) return;
    const used = this.usedBytes;
    const slots = this.count + 1;
    const slotCapacity = this.bounds.length;
    const newByteCapacity = (byteCapacity - used) * 8 >= byteCapacity ? Math.max(used, 1) : byteCapacity;
    const newSlotCapacity = (slotCapacity - slots) * 8 >= slotCapacity ? slots : slotCapacity;
    if (newByteCapacity === byteCapacity && newSlotCapacity === slotCapacity) return;
    const byteHead = newByteCapacity === byteCapacity ? this.bounds[this.first]! : 0;
    const slotHead = newSlotCapacity === slotCapacity ? this.first : 0;
    this.relayout(newByteCapacity, byteHead, newSlotCapacity, slotHead);
  }

  /**
   * Move the elements so that they start at byte `byteHead` of a byte buffer of
   * `byteCapacity` and slot `slotHead` of a boundary array of `slotCapacity`,
   * allocating new buffers when a capacity changes.
   */
  private relayout(byteCapacity: number, byteHead: number, slotCapacity: number, slotHead: number): void {
    const bounds = this.bounds;
    const first = this.first;
    const count = this.count;
    const byteStart = bounds[first]!;
    const byteEnd = bounds[first + count]!;
    const delta = byteHead - byteStart;
    if (byteCapacity !== this.bytes.length) {
      const bytes = Buffer.allocUnsafe(byteCapacity);
      this.bytes.copy(bytes, byteHead, byteStart, byteEnd);
      this.bytes = bytes;
    } else if (delta !== 0) {
      this.bytes.copyWithin(byteHead, byteStart, byteEnd);
    }
    if (slotCapacity !== bounds.length) {
      const newBounds = allocateBounds(slotCapacity);
      for (let k = 0; k <= count; k++) newBounds[slotHead + k] = bounds[first + k]! + delta;
      this.bounds = newBounds;
    } else if (slotHead <= first) {
      for (let k = 0; k <= count; k++) bounds[slotHead + k] = bounds[first + k]! + delta;
    } else {
      for (let k = count; k >= 0; k--) bounds[slotHead + k] = bounds[first + k]! + delta;
    }
    this.first = slotHead;
    const storage = nodeStorageCost(this.bytes, this.bounds);
    if (storage !== this.storageBytes) {
      if (this.owner !== null) this.owner.nodeStorageBytes += storage - this.storageBytes;
      this.storageBytes = storage;
    }
  }
}
