/*
 * List values (Redis' t_list.c, type side).
 *
 * A list is a sequence of binary elements. The list owns copies of them: push,
 * set and insert copy what they are given (so a view into a socket chunk is
 * never kept), and readers get copies (pop, at, values, toArray) or byte ranges
 * handed to a sink that copies them (writeRange).
 *
 * Two forms, as Redis 7.2 has (listpack, then quicklist):
 *   - small: every element packed into one latin1 string laid out as a listpack
 *     (packed-list.ts). A list of ten short elements is one object and one
 *     string. Every edit builds the next string, O(size), which is why the form
 *     is kept for lists of at most PACKED_LIST_MAX_BYTES bytes.
 *   - large: a quicklist of packed nodes (quicklist.ts), O(1) amortised pushes
 *     and pops at both ends and bounded middle edits.
 * A list grows into the large form when its packing would pass
 * PACKED_LIST_MAX_BYTES (or when one element alone would), and shrinks back
 * when it is one node holding at most half of that, as Redis 7.2 converts at
 * half its limit so that a list around the limit does not flip at every push.
 *
 * Encoding: Redis 7.0, which Spinel follows on the wire, stores every list as a
 * quicklist (a quicklist of one node for a small list), so OBJECT ENCODING says
 * "quicklist" for both forms. This was checked against redis-server 7.0.15 with
 * count-based and size-based settings (1, 2, 4, 128, -1, -2, -5) around every
 * threshold. The node sizes list-max-listpack-size shapes are not observable
 * through the commands Spinel serves (the RDB writer cuts nodes by it), so the
 * forms here have fixed limits.
 *
 * Indexes: methods named with "index" accept Redis-style indexes (negative counts
 * from the tail: -1 is the last element) unless they say "position", which is a
 * 0-based offset from the head within [0, length).
 */

import { objectBytes, stringBytes } from "../memory-model.js";
import { type ListElementSink, ListEnd } from "./list-types.js";
import {
  EMPTY_PACKED_LIST,
  entryEnd,
  entryNext,
  entryStart,
  LISTPACK_HEADER,
  PACKED_LIST_MAX_COUNT,
  type PackedListBuilder,
  packElements,
  packedBytes,
  packedEntrySize,
  packedEquals,
  packedInsert,
  packedInsertOne,
  packedListCopy,
  packedListCount,
  packedListOffset,
  packedRemove,
  packedRemoveMatching,
  packedReplace,
  packedSlice,
  packedWriteRange,
  previousListEntry,
  readListEntry,
  removedCount,
} from "./packed-list.js";
import { Quicklist } from "./quicklist.js";

export { type ListElementSink, ListEnd } from "./list-types.js";
export { PackedListBuilder } from "./packed-list.js";

/** The RedisList object: its one field, body (`type` is on the prototype). */
const LIST_BASE = objectBytes(1);

/**
 * Largest packed string of the small form (the size limit of a quicklist node at
 * Redis' default list-max-listpack-size, -2). Beyond, the list takes the large form.
 */
export const PACKED_LIST_MAX_BYTES = 8192;
/** A large list of one node packs back into the small form when its packing takes at most this. */
const PACK_BACK_BYTES = PACKED_LIST_MAX_BYTES >>> 1;
/** An upper bound of what packing adds per element (encoding and back-length, elements below 4 KB). */
const PACKED_ENTRY_OVERHEAD = 4;

/** Encodings OBJECT ENCODING reports for lists (Redis 7.0 has only one). */
export type ListEncodingName = "quicklist";

/** A list value. */
export class RedisList {
  /** The type tag, shared on the prototype (see the end of the file) rather than a field per list. */
  declare readonly type: "list";
  /** The small form's packed string, or the large form. */
  private body: string | Quicklist;

  private constructor(body: string | Quicklist) {
    this.body = body;
  }

  /** An empty list (the caller stores it only once it holds an element). */
  static create(): RedisList {
    return new RedisList(EMPTY_PACKED_LIST);
  }

  /**
   * A list holding copies of `elements` in order: for loaders, SORT ... STORE
   * and tests. The caller keeps its Buffers. O(n).
   */
  static fromOwned(elements: readonly Buffer[]): RedisList {
    const list = new RedisList(EMPTY_PACKED_LIST);
    list.pushAll(elements, 0, elements.length, ListEnd.Tail);
    return list;
  }

  /**
   * The list `builder` has packed (its elements in order), when it fits the
   * small form; undefined otherwise (the caller then pushes the elements one
   * by one). The builder is left to be reset.
   */
  static fromPacked(builder: PackedListBuilder): RedisList | undefined {
    if (builder.packedLength > PACKED_LIST_MAX_BYTES || builder.count >= PACKED_LIST_MAX_COUNT)
      return undefined;
    return new RedisList(builder.finish());
  }

  /** OBJECT ENCODING name: always "quicklist", as in Redis 7.0 (see the file header). */
  get encoding(): ListEncodingName {
    return "quicklist";
  }

  /** True while the list is in its small form (one packed string); for tests and figures. */
  get isPacked(): boolean {
    return typeof this.body === "string";
  }

  /**
   * The small form's listpack (a latin1 string, one char per byte), or undefined
   * in the large form: for writers that copy it as it is, and for tests.
   */
  get packedListpack(): string | undefined {
    const body = this.body;
    return typeof body === "string" ? body : undefined;
  }

  /** Number of elements (LLEN). */
  get length(): number {
    const body = this.body;
    return typeof body === "string" ? packedListCount(body) : body.length;
  }

  /** Number of nodes the elements are packed into (Redis' quicklist "ql_nodes"; for tests and figures). */
  get nodeTotal(): number {
    const body = this.body;
    if (typeof body !== "string") return body.nodeTotal;
    return packedListCount(body) === 0 ? 0 : 1;
  }

  /** Bytes of the packed string, or of the nodes' buffers and boundary arrays (for tests and figures). */
  get allocatedBytes(): number {
    const body = this.body;
    return typeof body === "string" ? body.length : body.allocatedBytes;
  }

  /**
   * Bytes this list holds (see memory-model.ts): its object and either the
   * packed string or the large form's ring, nodes and storage. O(1).
   */
  memoryUsage(): number {
    const body = this.body;
    return LIST_BASE + (typeof body === "string" ? stringBytes(body.length) : body.memoryUsage());
  }

  // ---------------------------------------------------------------- ends

  /** Push a copy of `element` at `end` (the argument may be a view into a socket chunk). */
  push(element: Buffer, end: ListEnd): void {
    const body = this.body;
    if (typeof body === "string") {
      if (body.length + packedEntrySize(element.length) <= PACKED_LIST_MAX_BYTES) {
        this.body = packedInsertOne(body, end === ListEnd.Head ? LISTPACK_HEADER : body.length - 1, element);
        return;
      }
      this.unpack().push(element, end);
      return;
    }
    body.push(element, end);
  }

  /**
   * Push copies of elements[from, to) at `end`, one after the other (LPUSH a b c
   * leaves c at the head): what a push command with many elements does, in one
   * edit of the small form.
   */
  pushAll(elements: readonly Buffer[], from: number, to: number, end: ListEnd): void {
    const body = this.body;
    if (typeof body === "string") {
      let size = body.length;
      for (let i = from; i < to && size <= PACKED_LIST_MAX_BYTES; i++)
        size += packedEntrySize(elements[i]!.length);
      if (size <= PACKED_LIST_MAX_BYTES) {
        const atHead = end === ListEnd.Head;
        this.body = packedInsert(
          body,
          atHead ? LISTPACK_HEADER : body.length - 1,
          elements,
          from,
          to,
          atHead,
        );
        return;
      }
    }
    for (let i = from; i < to; i++) this.push(elements[i]!, end);
  }

  /**
   * Push `element` at `end`: for elements that already belong to the keyspace
   * (LMOVE moves an element from one list to another). The bytes are copied
   * into the list's storage like push() does; the caller keeps its Buffer.
   */
  pushOwned(element: Buffer, end: ListEnd): void {
    this.push(element, end);
  }

  /** Remove the element at `end` and return it (a fresh Buffer), or undefined when the list is empty. */
  pop(end: ListEnd): Buffer | undefined {
    const body = this.body;
    if (typeof body !== "string") {
      const element = body.pop(end);
      this.packIfSmall(body);
      return element;
    }
    if (packedListCount(body) === 0) return undefined;
    const at = end === ListEnd.Head ? LISTPACK_HEADER : previousListEntry(body, body.length - 1);
    readListEntry(body, at);
    const element = packedBytes(body, entryStart, entryEnd);
    this.body = packedRemove(body, at, entryNext, 1);
    return element;
  }

  /**
   * Remove the element at `end` and hand it to `sink` (bulkChars from the small
   * form when the sink has it, else bulk / bulkSlice; the sink copies it), for a
   * pop replied at once without a Buffer made for it. Returns false when the
   * list is empty.
   */
  popTo(end: ListEnd, sink: ListElementSink): boolean {
    const body = this.body;
    if (typeof body !== "string") {
      if (!body.popTo(end, sink)) return false;
      this.packIfSmall(body);
      return true;
    }
    if (packedListCount(body) === 0) return false;
    const at = end === ListEnd.Head ? LISTPACK_HEADER : previousListEntry(body, body.length - 1);
    readListEntry(body, at);
    if (sink.bulkChars !== undefined) sink.bulkChars(body, entryStart, entryEnd);
    else sink.bulk(packedBytes(body, entryStart, entryEnd));
    this.body = packedRemove(body, at, entryNext, 1);
    return true;
  }

  // ---------------------------------------------------------------- access by index

  /** Position (0-based from the head) of a Redis-style index, or -1 when out of range. */
  positionOf(index: number): number {
    const count = this.length;
    const position = index < 0 ? count + index : index;
    return position >= 0 && position < count ? position : -1;
  }

  /** A copy of the element at a Redis-style `index` (LINDEX), or undefined when out of range. */
  at(index: number): Buffer | undefined {
    const body = this.body;
    if (typeof body !== "string") return body.at(index);
    const position = this.positionOf(index);
    if (position === -1) return undefined;
    readListEntry(body, packedListOffset(body, position));
    return packedBytes(body, entryStart, entryEnd);
  }

  /**
   * Replace the element at a Redis-style `index` with a copy of `element` (LSET).
   * Returns false (and changes nothing) when the index is out of range.
   */
  set(index: number, element: Buffer): boolean {
    const body = this.body;
    if (typeof body !== "string") {
      if (!body.set(index, element)) return false;
      this.packIfSmall(body);
      return true;
    }
    const position = this.positionOf(index);
    if (position === -1) return false;
    const at = packedListOffset(body, position);
    readListEntry(body, at);
    const size = body.length - (entryNext - at) + packedEntrySize(element.length);
    if (size <= PACKED_LIST_MAX_BYTES) {
      this.body = packedReplace(body, at, entryNext, element);
    } else {
      this.unpack().set(position, element);
    }
    return true;
  }

  /**
   * Hand the elements at positions [start, end] (0-based, inclusive, already
   * clamped to the list: 0 <= start <= end < length) to the sink, head to tail:
   * byte ranges of the nodes to `sink.bulkSlice`, or, from the small form, char
   * ranges of its string to `sink.bulkChars` when the sink has it.
   */
  writeRange(start: number, end: number, sink: ListElementSink): void {
    const body = this.body;
    if (typeof body === "string") packedWriteRange(body, start, end, sink);
    else body.writeRange(start, end, sink);
  }

  /** Copies of every element, head to tail (snapshots, DUMP; not for the hot path). */
  *values(): IterableIterator<Buffer> {
    const body = this.body;
    if (typeof body !== "string") {
      yield* body.values();
      return;
    }
    // The string cannot change under the walk: an edit makes a new one.
    let at = LISTPACK_HEADER;
    const count = packedListCount(body);
    for (let i = 0; i < count; i++) {
      readListEntry(body, at);
      const next = entryNext;
      yield packedBytes(body, entryStart, entryEnd);
      at = next;
    }
  }

  /** Copies of the elements as a new array, head to tail. */
  toArray(): Buffer[] {
    const body = this.body;
    if (typeof body !== "string") return body.toArray();
    const count = packedListCount(body);
    const out = new Array<Buffer>(count);
    let at = LISTPACK_HEADER;
    for (let i = 0; i < count; i++) {
      readListEntry(body, at);
      out[i] = packedBytes(body, entryStart, entryEnd);
      at = entryNext;
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
    const body = this.body;
    if (typeof body !== "string") return body.insert(pivot, element, after);
    const count = packedListCount(body);
    let at = LISTPACK_HEADER;
    for (let i = 0; i < count; i++) {
      readListEntry(body, at);
      if (packedEquals(body, entryStart, entryEnd, pivot)) {
        if (body.length + packedEntrySize(element.length) <= PACKED_LIST_MAX_BYTES) {
          this.body = packedInsertOne(body, after ? entryNext : at, element);
          return count + 1;
        }
        return this.unpack().insert(pivot, element, after);
      }
      at = entryNext;
    }
    return -1;
  }

  /**
   * LREM: remove elements equal to `element`. `count` > 0 removes up to `count`
   * of them searching from the head, < 0 up to -count from the tail, 0 all of
   * them. Returns how many were removed. One pass, O(n).
   */
  remove(element: Buffer, count: number): number {
    const body = this.body;
    if (typeof body !== "string") {
      const removed = body.remove(element, count);
      if (removed > 0) this.packIfSmall(body);
      return removed;
    }
    const limit = count === 0 ? Number.POSITIVE_INFINITY : Math.abs(count);
    this.body = packedRemoveMatching(body, element, limit, count < 0);
    return removedCount;
  }

  /** LTRIM's work: drop `fromHead` elements at the head and `fromTail` at the tail. */
  trim(fromHead: number, fromTail: number): void {
    const body = this.body;
    if (typeof body !== "string") {
      body.trim(fromHead, fromTail);
      this.packIfSmall(body);
      return;
    }
    const count = packedListCount(body);
    const dropHead = Math.min(Math.max(fromHead, 0), count);
    const dropTail = Math.min(Math.max(fromTail, 0), count - dropHead);
    if (dropHead === 0 && dropTail === 0) return;
    const start = packedListOffset(body, dropHead);
    const end = packedListOffset(body, count - dropTail);
    this.body = packedSlice(body, start, end, count - dropHead - dropTail);
  }

  /**
   * LPOS's search. Scans from the head when `rank` > 0, from the tail when < 0,
   * looking at no more than `maxScan` elements (0: all). Matches before the
   * |rank|-th are skipped; from there on up to `maxMatches` positions (0: all)
   * are collected, in scan order. Positions count from the head whatever the
   * direction. `rank` must not be 0.
   */
  positions(element: Buffer, rank: number, maxMatches: number, maxScan: number): number[] {
    const body = this.body;
    if (typeof body !== "string") return body.positions(element, rank, maxMatches, maxScan);
    const found: number[] = [];
    const count = packedListCount(body);
    const fromTail = rank < 0;
    const skip = (fromTail ? -rank : rank) - 1;
    const scan = maxScan === 0 || maxScan > count ? count : maxScan;
    let matches = 0;
    let at = fromTail ? body.length - 1 : LISTPACK_HEADER;
    for (let n = 0; n < scan; n++) {
      if (fromTail) at = previousListEntry(body, at);
      readListEntry(body, at);
      const next = entryNext;
      if (packedEquals(body, entryStart, entryEnd, element) && ++matches > skip) {
        found.push(fromTail ? count - 1 - n : n);
        if (maxMatches !== 0 && found.length >= maxMatches) break;
      }
      if (!fromTail) at = next;
    }
    return found;
  }

  /** An independent list with the same elements (COPY): nothing is shared. */
  clone(): RedisList {
    const body = this.body;
    return new RedisList(typeof body === "string" ? packedListCopy(body) : body.clone());
  }

  // ---------------------------------------------------------------- conversions

  /** Move the small form's elements into a large form, which becomes the body and is returned. */
  private unpack(): Quicklist {
    const packed = this.body as string;
    const large = Quicklist.create();
    const count = packedListCount(packed);
    if (count > 0) {
      // Through a sink: the elements arrive as ranges of one unpacked copy.
      packedWriteRange(packed, 0, count - 1, {
        bulk: (element) => large.push(element, ListEnd.Tail),
        bulkSlice: (source, start, end) => large.push(source.subarray(start, end), ListEnd.Tail),
      });
    }
    this.body = large;
    return large;
  }

  /**
   * After the large form lost elements: take the small form again when what is
   * left is one node that packs into at most PACK_BACK_BYTES.
   */
  private packIfSmall(large: Quicklist): void {
    const count = large.length;
    if (count * 2 + LISTPACK_HEADER + 1 > PACK_BACK_BYTES || large.nodeTotal > 1) return;
    if (large.usedBytes + count * PACKED_ENTRY_OVERHEAD + LISTPACK_HEADER + 1 > PACK_BACK_BYTES) return;
    this.body =
      count === 0 ? EMPTY_PACKED_LIST : packElements((sink) => large.writeRange(0, count - 1, sink));
  }
}

// The type tag every list shares (declared on the class, defined once here).
Object.defineProperty(RedisList.prototype, "type", { value: "list" });
