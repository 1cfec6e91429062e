/*
 * Set values (Redis' t_set.c, type side).
 *
 * A set holds unique binary members (latin1 JS strings, one char = one byte).
 *
 * Two encodings, as redis-server 7.0 reports them in OBJECT ENCODING (7.0 has no
 * listpack sets: a set goes from intset straight to hashtable):
 *   - "intset" while every member is a canonical 64-bit integer (see intset.ts)
 *     and the set has at most set-max-intset-entries members. Kept as Redis
 *     keeps it: one sorted array of 16-, 32- or 64-bit integers, packed in a
 *     byte string (packed-intset.ts). O(log n) lookups, O(n) insertions and
 *     deletions (a copy of the bytes, Redis' memmove), iteration in ascending
 *     numeric order; members are turned back into decimal text as they are read.
 *   - "hashtable" beyond: a Map member -> slot plus a dense array of the members
 *     (`slots`). O(1) add, remove, lookup and random pick; a deletion moves the
 *     last member into the hole, so the order is arbitrary, as a dict's is.
 *
 * A new set starts as an intset (Redis creates an intset for an integer first
 * member and a hashtable otherwise, which comes to the same). Conversion to a
 * hashtable happens when a non-integer member is added or the intset outgrows its
 * limit, and is one-way, except where Redis itself builds a new set: SPOP with a
 * count close to the size keeps the survivors in a fresh set, which may be an
 * intset again (popRandomMembers).
 *
 * SSCAN over a hashtable walks `slots` from the top down, like the keyspace's
 * SCAN (see Database.scan): a member present for the whole iteration is returned
 * at least once however the set grows or shrinks between calls. An intset is
 * returned whole in one call with cursor 0, as Redis does.
 */

import type { EncodingLimits } from "../limits.js";
import { ARRAY_SLOT, arrayBytes, mapBytes, objectBytes, stringBytes } from "../memory-model.js";
import { latin1Of } from "./byte-string.js";
import { isIntsetMember } from "./intset.js";
import {
  type IntsetWidth,
  intsetAdd,
  intsetCount,
  intsetIndexOf,
  intsetMemberAt,
  intsetNeededWidth,
  intsetRemoveAt,
  packIntset,
} from "./packed-intset.js";

/** The RedisSet object (type, ints, intWidth, index, slots, memberBytes). */
const SET_BASE = objectBytes(6);
/** One hashtable member beyond its Map slot: its array slot and its string header. */
const HASHTABLE_MEMBER = ARRAY_SLOT + 20;

/** Encodings OBJECT ENCODING reports for sets. */
export type SetEncodingName = "intset" | "hashtable";

/**
 * SPOP with a count switches to rebuilding the set when the members left would
 * be fewer than count / SPOP_MOVE_STRATEGY_MUL (Redis' constant).
 */
const SPOP_MOVE_STRATEGY_MUL = 5;

/** A set value. */
export class RedisSet {
  readonly type = "set" as const;
  /** Intset encoding: the packed members in ascending order (packed-intset.ts); null once a hashtable. */
  private ints: string | null;
  /** Intset encoding: bytes per member in `ints`. */
  private intWidth: IntsetWidth;
  /** Hashtable encoding: member -> index in `slots`; null while an intset. */
  private index: Map<string, number> | null;
  /** Hashtable encoding: the members, densely; null while an intset. */
  private slots: string[] | null;
  /** Hashtable encoding: bytes of all members (for memoryUsage, kept up to date by every change). */
  private memberBytes: number;

  constructor() {
    this.ints = "";
    this.intWidth = 2;
    this.index = null;
    this.slots = null;
    this.memberBytes = 0;
  }

  /**
   * The intset whose members are bytes[start, end): little-endian integers of
   * `width` bytes in strictly ascending order (the caller checked), the layout
   * of an RDB intset blob after its header. The bytes become the set's as they
   * are, when the set adding the members one by one would reach: at most
   * set-max-intset-entries members, at the smallest width that holds them.
   * Undefined otherwise (the caller then adds the members one by one). O(n)
   * for the copy.
   */
  static fromIntset(
    bytes: Buffer,
    start: number,
    end: number,
    width: IntsetWidth,
    limits: EncodingLimits,
  ): RedisSet | undefined {
    const count = (end - start) / width;
    if (count === 0 || count > limits.setMaxIntsetEntries) return undefined;
    // The lowest and the highest member (the set is sorted) decide the width.
    const needed = Math.max(
      intsetNeededWidth(bytes, start, width),
      intsetNeededWidth(bytes, end - width, width),
    );
    if (needed !== width) return undefined;
    const set = new RedisSet();
    set.ints = latin1Of(bytes, start, end);
    set.intWidth = width;
    return set;
  }

  /** Bytes this set holds (see memory-model.ts): a fixed cost per member by encoding plus the member bytes. O(1). */
  memoryUsage(): number {
    const ints = this.ints;
    if (ints !== null) return SET_BASE + stringBytes(ints.length);
    const length = this.slots!.length;
    return SET_BASE + arrayBytes(0) + mapBytes(length) + length * HASHTABLE_MEMBER + this.memberBytes;
  }

  /** OBJECT ENCODING name. */
  get encoding(): SetEncodingName {
    return this.ints !== null ? "intset" : "hashtable";
  }

  /**
   * Intset encoding: the packed members as the set holds them (little-endian
   * integers of intsetWidth bytes each, ascending: packed-intset.ts), for
   * serialisers that copy them as they are; null in the hashtable encoding.
   */
  intsetBytes(): string | null {
    return this.ints;
  }

  /** Intset encoding: bytes per member in intsetBytes() (2, 4 or 8). */
  get intsetWidth(): IntsetWidth {
    return this.intWidth;
  }

  /** Number of members (SCARD). */
  get length(): number {
    return this.ints !== null ? intsetCount(this.ints, this.intWidth) : this.slots!.length;
  }

  /** True when `member` is in the set (SISMEMBER). */
  has(member: string): boolean {
    const ints = this.ints;
    if (ints !== null) return isIntsetMember(member) && intsetIndexOf(ints, this.intWidth, member) >= 0;
    return this.index!.has(member);
  }

  /**
   * Add `member` (SADD). Returns true when it was not there yet. An intset
   * becomes a hashtable when the member is not an integer, or when the new
   * member takes it over set-max-intset-entries, as Redis' setTypeAdd does.
   */
  add(member: string, limits: EncodingLimits): boolean {
    const ints = this.ints;
    if (ints !== null) {
      if (isIntsetMember(member)) {
        const added = intsetAdd(ints, this.intWidth, member);
        if (added === null) return false;
        this.ints = added.bytes;
        this.intWidth = added.width;
        if (intsetCount(added.bytes, added.width) > limits.setMaxIntsetEntries) this.toHashtable();
        return true;
      }
      this.toHashtable();
    }
    const index = this.index!;
    if (index.has(member)) return false;
    index.set(member, this.slots!.length);
    this.slots!.push(member);
    this.memberBytes += member.length;
    return true;
  }

  /** Remove `member` (SREM). Returns true when it was there. */
  remove(member: string): boolean {
    const ints = this.ints;
    if (ints !== null) {
      if (!isIntsetMember(member)) return false;
      const found = intsetIndexOf(ints, this.intWidth, member);
      if (found < 0) return false;
      this.ints = intsetRemoveAt(ints, this.intWidth, found);
      return true;
    }
    const index = this.index!;
    const slot = index.get(member);
    if (slot === undefined) return false;
    this.removeSlot(slot);
    return true;
  }

  // ---------------------------------------------------------------- positional access

  /**
   * The member at `position` (0 <= position < length) in iteration order: the
   * order SMEMBERS replies in (ascending for an intset). Positions are valid
   * until the next mutation.
   */
  memberAt(position: number): string {
    return this.ints !== null ? intsetMemberAt(this.ints, this.intWidth, position) : this.slots![position]!;
  }

  /** A uniformly random member (SRANDMEMBER). The set must not be empty. */
  randomMember(): string {
    return this.memberAt(Math.floor(Math.random() * this.length));
  }

  // ---------------------------------------------------------------- popping

  /** Remove and return a uniformly random member (SPOP). The set must not be empty. */
  popRandom(): string {
    const position = Math.floor(Math.random() * this.length);
    const ints = this.ints;
    if (ints !== null) {
      const popped = intsetMemberAt(ints, this.intWidth, position);
      this.ints = intsetRemoveAt(ints, this.intWidth, position);
      return popped;
    }
    const member = this.slots![position]!;
    this.removeSlot(position);
    return member;
  }

  /**
   * Remove `count` random distinct members (0 < count < length) and push them onto
   * `popped` (SPOP key count). Like Redis, when few members would be left
   * (left * 5 <= count) it picks the survivors instead of the popped members.
   * Redis then keeps the survivors in a fresh set, so a hashtable whose
   * survivors are all integers (and few enough) becomes an intset again, as
   * redis-server 7.0 reports it. Survivors that stay in a hashtable stay in this
   * one, with the others removed in place: an SSCAN in progress keeps its
   * guarantee, as it does in Redis (whose fresh dict hashes alike).
   */
  popRandomMembers(count: number, limits: EncodingLimits, popped: string[]): void {
    const remaining = this.length - count;
    if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
      for (let i = 0; i < count; i++) popped.push(this.popRandom());
      return;
    }
    // Few survivors (at most a sixth of the set): draw them with rejection.
    const survivors = new Set<string>();
    while (survivors.size < remaining) survivors.add(this.randomMember());
    let intset = remaining <= limits.setMaxIntsetEntries;
    if (intset) {
      for (const member of survivors) {
        if (!isIntsetMember(member)) {
          intset = false;
          break;
        }
      }
    }
    const length = this.length;
    for (let i = 0; i < length; i++) {
      const member = this.memberAt(i);
      if (!survivors.has(member)) popped.push(member);
    }
    if (intset) {
      const packed = packIntset(Array.from(survivors));
      this.ints = packed.bytes;
      this.intWidth = packed.width;
      this.index = null;
      this.slots = null;
      this.memberBytes = 0;
      return;
    }
    // An intset whose survivors outgrow a lowered limit ends up a hashtable too.
    if (this.ints !== null) this.toHashtable();
    for (let i = 0; i < popped.length; i++) this.remove(popped[i]!);
  }

  // ---------------------------------------------------------------- scan and copy

  /**
   * One SSCAN step: push about `count` members onto `members` and return the next
   * cursor (0 when the iteration is complete). An intset is returned whole with
   * cursor 0; a hashtable is walked from the top of its slot array down (see the
   * file comment for the guarantee).
   */
  scan(cursor: number, count: number, members: string[]): number {
    const ints = this.ints;
    if (ints !== null) {
      const count = intsetCount(ints, this.intWidth);
      for (let i = 0; i < count; i++) members.push(intsetMemberAt(ints, this.intWidth, i));
      return 0;
    }
    const slots = this.slots!;
    let position = cursor === 0 || cursor > slots.length ? slots.length : cursor;
    const stop = position - count > 0 ? position - count : 0;
    while (position > stop) {
      position--;
      members.push(slots[position]!);
    }
    return position;
  }

  /** An independent copy in the same encoding and order (COPY). */
  clone(): RedisSet {
    const copy = new RedisSet();
    copy.memberBytes = this.memberBytes;
    if (this.ints !== null) {
      // Strings are immutable: the copy shares the bytes until either set changes.
      copy.ints = this.ints;
      copy.intWidth = this.intWidth;
      return copy;
    }
    copy.ints = null;
    copy.index = new Map(this.index!);
    copy.slots = this.slots!.slice();
    return copy;
  }

  // ---------------------------------------------------------------- encodings

  /** Intset -> hashtable, keeping the ascending order as the slot order. */
  private toHashtable(): void {
    const ints = this.ints!;
    const count = intsetCount(ints, this.intWidth);
    const index = new Map<string, number>();
    const slots = new Array<string>(count);
    let memberBytes = 0;
    for (let i = 0; i < count; i++) {
      const member = intsetMemberAt(ints, this.intWidth, i);
      slots[i] = member;
      index.set(member, i);
      memberBytes += member.length;
    }
    this.index = index;
    this.slots = slots;
    this.memberBytes = memberBytes;
    this.ints = null;
  }

  /** Hashtable: remove the member at `slot`, moving the last member into the hole. */
  private removeSlot(slot: number): void {
    const slots = this.slots!;
    const index = this.index!;
    const member = slots[slot]!;
    this.memberBytes -= member.length;
    const last = slots.pop()!;
    index.delete(member);
    if (slot < slots.length) {
      slots[slot] = last;
      index.set(last, slot);
    }
  }
}
