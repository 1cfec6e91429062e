/*
 * SORT and SORT_RO (Redis' sort.c): sort the elements of a list, set or sorted
 * set, numerically (default) or lexicographically (ALPHA), by the elements
 * themselves or by weights looked up through a BY pattern, optionally
 * returning other keys' values (GET patterns), a LIMIT window, and for SORT a
 * STORE destination that receives the result as a list.
 *
 * Patterns: the first '*' of a pattern is replaced by the element to form a
 * key name; "key*->field" reads a hash field instead of a string; "#" (GET
 * only) is the element itself. A BY pattern without '*' means "do not sort":
 * lists and sorted sets keep their order, sets their iteration order (ASC /
 * DESC then only apply to lists and sorted sets). Redis reads patterns as C
 * strings, so a zero byte ends the search for '*' and "->"; that is kept.
 *
 * Ordering is Redis': numeric weights (see sort-weight.ts) with ties broken
 * by comparing the elements' bytes; ALPHA compares bytes up to the first zero
 * byte (strcoll() in the C.UTF-8 locale), or the full bytes when the result
 * is stored; elements whose BY value is missing weigh 0, or sort first with
 * ALPHA. The sort is stable, as glibc's qsort() (a merge sort) is, so equal
 * ALPHA weights keep the input order. Without sorting, a set being stored is
 * sorted with ALPHA instead, so a replica storing the same result gets the
 * same list.
 *
 * A sorted set is converted to the skiplist encoding when SORT reads it, as
 * Redis 7.0 does. The STORE result is a new list (previous value and TTL
 * replaced, "sortstore" event), or no key at all when the result is empty
 * ("del" event when a key was deleted).
 */

import { type Database, EventClass, RedisList, type RedisValue } from "@spinel/core-db";
import { argIs, argString, parseLong } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import { parseSortWeight, parseSortWeightBytes } from "./sort-weight.js";

const WEIGHT_ERROR = "ERR One or more scores can't be converted into double";

// ---------------------------------------------------------------- patterns

/**
 * A BY or GET pattern, split once per command: the key is
 * prefix + element + suffix, and `field` (when not null) names a hash field.
 */
class SortPattern {
  /** The pattern is "#": the element itself. */
  readonly selfReference: boolean;
  /** The pattern has a '*' (before any zero byte); without one nothing is looked up. */
  readonly hasStar: boolean;
  readonly prefix: string;
  readonly suffix: string;
  readonly field: string | null;

  constructor(pattern: string) {
    this.selfReference =
      pattern.length > 0 && pattern[0] === "#" && (pattern.length === 1 || pattern[1] === "\0");
    const zero = pattern.indexOf("\0");
    const cLength = zero === -1 ? pattern.length : zero;
    const star = pattern.indexOf("*");
    this.hasStar = star !== -1 && star < cLength;
    let field: string | null = null;
    let suffixEnd = pattern.length;
    if (this.hasStar) {
      const arrow = pattern.indexOf("->", star + 1);
      if (arrow !== -1 && arrow + 1 < cLength && arrow + 2 < pattern.length && pattern[arrow + 2] !== "\0") {
        field = pattern.slice(arrow + 2);
        suffixEnd = arrow;
      }
    }
    this.prefix = this.hasStar ? pattern.slice(0, star) : "";
    this.suffix = this.hasStar ? pattern.slice(star + 1, suffixEnd) : "";
    this.field = field;
  }
}

/**
 * Redis' lookupKeyByPattern: the value `pattern` designates for `element`, as
 * a binary string, or null when there is none (no '*', missing key, a key of
 * another type than the pattern reads, a missing hash field). Looks keys up
 * for reading (hits, misses and "keymiss" events count, as in Redis).
 */
function lookupByPattern(db: Database, pattern: SortPattern, element: string): string | null {
  if (pattern.selfReference) return element;
  if (!pattern.hasStar) return null;
  const value: RedisValue | undefined = db.lookupRead(pattern.prefix + element + pattern.suffix);
  if (value === undefined) return null;
  if (pattern.field !== null) {
    if (value.type !== "hash") return null;
    const fieldValue = value.get(pattern.field);
    return fieldValue === undefined ? null : fieldValue.toString("latin1");
  }
  return value.type === "string" ? value.toBinaryString() : null;
}

// ---------------------------------------------------------------- ordering

/**
 * One element to sort, with the weight it sorts by. List elements keep their
 * bytes, which replies and STORE use as they are; their text form is made
 * only when something needs it (patterns, ALPHA, ties).
 */
class SortItem {
  /** The element's bytes (list elements), or null (set and sorted set members). */
  readonly bytes: Buffer | null;
  private text: string | null;
  /** Numeric weight (0 when the BY value is missing). */
  score: number;
  /** ALPHA weight from a BY pattern, or null when missing (sorts first). */
  compareBy: string | null;

  constructor(bytes: Buffer | null, text: string | null) {
    this.bytes = bytes;
    this.text = text;
    this.score = 0;
    this.compareBy = null;
  }

  /** The element as a binary (latin1) string. */
  get element(): string {
    if (this.text === null) this.text = this.bytes!.toString("latin1");
    return this.text;
  }
}

/** How compareSortItems orders (set before each sort, like Redis' server.sort_* fields). */
let sortDescending = false;
let sortAlpha = false;
let sortByPattern = false;
let sortForStore = false;

/** Redis' sortCompare, reading the module's sort settings. */
function compareSortItems(a: SortItem, b: SortItem): number {
  let order: number;
  if (!sortAlpha) {
    if (a.score > b.score) order = 1;
    else if (a.score < b.score) order = -1;
    else order = compareBytes(a.element, b.element);
  } else if (sortByPattern) {
    const left = a.compareBy;
    const right = b.compareBy;
    if (left === null || right === null) order = left === right ? 0 : left === null ? -1 : 1;
    else order = sortForStore ? compareBytes(left, right) : compareCollated(left, right);
  } else {
    order = sortForStore ? compareBytes(a.element, b.element) : compareCollated(a.element, b.element);
  }
  return sortDescending ? -order : order;
}

/** Byte order of two binary strings (memcmp, then the shorter first). */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * strcoll() in the C.UTF-8 locale: byte order of the two strings up to their
 * first zero byte (what follows a zero byte is not compared).
 */
function compareCollated(a: string, b: string): number {
  const shared = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < shared; i++) {
    const left = a.charCodeAt(i);
    const right = b.charCodeAt(i);
    if (left !== right) return left < right ? -1 : 1;
    if (left === 0) return 0;
  }
  const nextLeft = shared < a.length ? a.charCodeAt(shared) : 0;
  const nextRight = shared < b.length ? b.charCodeAt(shared) : 0;
  return nextLeft === nextRight ? 0 : nextLeft < nextRight ? -1 : 1;
}

// ---------------------------------------------------------------- loading the elements

/**
 * The elements of `value` (a list, set or sorted set; undefined is an empty
 * list) to sort or output, for the window [start, end] when not sorting
 * (`windowOnly`): Redis loads only that window for lists and sorted sets,
 * walking from the far end for DESC. Sets are always loaded whole, in their
 * iteration order.
 */
function loadItems(
  value: RedisValue | undefined,
  windowOnly: boolean,
  start: number,
  count: number,
  descending: boolean,
): SortItem[] {
  const items: SortItem[] = [];
  if (value === undefined) return items;
  if (value.type === "list") {
    const length = value.length;
    if (windowOnly) {
      let position = descending ? length - start - 1 : start;
      const step = descending ? -1 : 1;
      for (let taken = 0; taken < count && position >= 0 && position < length; taken++) {
        items.push(new SortItem(value.at(position)!, null));
        position += step;
      }
    } else {
      for (let position = 0; position < length; position++)
        items.push(new SortItem(value.at(position)!, null));
    }
  } else if (value.type === "set") {
    const length = value.length;
    for (let position = 0; position < length; position++)
      items.push(new SortItem(null, value.memberAt(position)));
  } else if (value.type === "zset") {
    const length = value.length;
    const cursor = windowOnly
      ? value.cursor(descending ? length - 1 - start : start, descending)
      : value.cursor(0, false);
    const limit = windowOnly ? count : length;
    for (let taken = 0; taken < limit && cursor.next(); taken++)
      items.push(new SortItem(null, cursor.member));
  }
  return items;
}

// ---------------------------------------------------------------- SORT, SORT_RO

/**
 * Redis' sortCommandGeneric. Options are parsed first (syntax and LIMIT
 * errors win over a wrong type), then the key is read, the window computed
 * from LIMIT, the elements loaded and weighed, sorted, and written out or
 * stored. `readOnly` (SORT_RO) makes STORE a syntax error.
 */
function sortGeneric(c: ClientSession, readOnly: boolean): void {
  const argv = c.argv;
  let descending = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontSort = false;
  let sortBy: SortPattern | null = null;
  let storeKey: string | null = null;
  const getPatterns: SortPattern[] = [];
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const option = argv[j]!;
    if (argIs(option, "asc")) descending = false;
    else if (argIs(option, "desc")) descending = true;
    else if (argIs(option, "alpha")) alpha = true;
    else if (argIs(option, "limit") && remaining >= 2) {
      const offset = parseLong(argv[j + 1]!);
      const count = offset === null ? null : parseLong(argv[j + 2]!);
      if (offset === null || count === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      limitStart = offset;
      limitCount = count;
      j += 2;
    } else if (!readOnly && argIs(option, "store") && remaining >= 1) {
      storeKey = argString(argv[++j]!);
    } else if (argIs(option, "by") && remaining >= 1) {
      sortBy = new SortPattern(argString(argv[++j]!));
      // Without a '*' there is nothing to sort by (and a later BY does not undo that).
      if (!sortBy.hasStar) dontSort = true;
    } else if (argIs(option, "get") && remaining >= 1) {
      getPatterns.push(new SortPattern(argString(argv[++j]!)));
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }

  const db = c.db;
  const value = db.lookupRead(argString(argv[1]!));
  if (value !== undefined && value.type !== "list" && value.type !== "set" && value.type !== "zset") {
    c.reply.error(Err.wrongType);
    return;
  }
  if (dontSort && value !== undefined && value.type === "set" && storeKey !== null) {
    // A set's order is an accident of its encoding: store it sorted instead.
    dontSort = false;
    alpha = true;
    sortBy = null;
  }
  if (value !== undefined && value.type === "zset") value.convertToSkiplist();

  // The LIMIT window, clamped to the elements (Redis' overflow-safe version).
  const total = value === undefined ? 0 : value.length;
  let start = Math.min(Math.max(limitStart, 0), total);
  const count = Math.min(Math.max(limitCount, -1), total);
  let end = count < 0 ? total - 1 : start + count - 1;
  if (start >= total) {
    start = total - 1;
    end = total - 2;
  }
  if (end >= total) end = total - 1;

  const windowOnly = dontSort && value !== undefined && value.type !== "set";
  const items = loadItems(value, windowOnly, start, end - start + 1, descending);
  if (windowOnly) {
    // The loaded items are exactly the window.
    end -= start;
    start = 0;
  }

  let weightError = false;
  if (!dontSort) {
    for (const item of items) {
      if (sortBy === null) {
        // The element is its own weight (ALPHA compares the elements themselves).
        if (alpha) continue;
        const score = item.bytes !== null ? parseSortWeightBytes(item.bytes) : parseSortWeight(item.element);
        if (score === null) weightError = true;
        else item.score = score;
        continue;
      }
      const weight = lookupByPattern(db, sortBy, item.element);
      if (weight === null) continue;
      if (alpha) {
        item.compareBy = weight;
      } else {
        const score = parseSortWeight(weight);
        if (score === null) weightError = true;
        else item.score = score;
      }
    }
    sortDescending = descending;
    sortAlpha = alpha;
    sortByPattern = sortBy !== null;
    sortForStore = storeKey !== null;
    items.sort(compareSortItems);
  }

  const perElement = getPatterns.length === 0 ? 1 : getPatterns.length;
  const outputLength = perElement * (end - start + 1);
  if (weightError) {
    c.reply.error(WEIGHT_ERROR);
  } else if (storeKey === null) {
    c.reply.arrayLen(outputLength);
    for (let j = start; j <= end; j++) {
      const item = items[j]!;
      if (getPatterns.length === 0) {
        if (item.bytes !== null) c.reply.bulk(item.bytes);
        else c.reply.bulkString(item.element);
        continue;
      }
      for (const pattern of getPatterns) {
        const found = lookupByPattern(db, pattern, item.element);
        if (found === null) c.reply.nullBulk();
        else c.reply.bulkString(found);
      }
    }
  } else {
    storeSorted(c, storeKey, items, start, end, getPatterns, outputLength);
  }
}

/**
 * SORT ... STORE: replace `storeKey` with a list of the window's elements (or
 * of their GET values, missing ones as empty strings), or delete it when the
 * result is empty. Replies the number of list elements.
 */
function storeSorted(
  c: ClientSession,
  storeKey: string,
  items: readonly SortItem[],
  start: number,
  end: number,
  getPatterns: readonly SortPattern[],
  outputLength: number,
): void {
  const db = c.db;
  const elements: Buffer[] = [];
  for (let j = start; j <= end; j++) {
    const item = items[j]!;
    if (getPatterns.length === 0) {
      // List elements are never edited in place, so the new list may share them.
      elements.push(item.bytes ?? Buffer.from(item.element, "latin1"));
      continue;
    }
    for (const pattern of getPatterns) {
      elements.push(Buffer.from(lookupByPattern(db, pattern, item.element) ?? "", "latin1"));
    }
  }
  if (outputLength > 0) {
    db.set(storeKey, RedisList.fromOwned(elements));
    db.touched(storeKey, "sortstore", EventClass.List, outputLength);
  } else if (db.delete(storeKey)) {
    db.touched(storeKey, "del", EventClass.Generic);
  }
  c.reply.integer(outputLength);
}

/** SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC | DESC] [ALPHA] [STORE destination] */
function sortCommand(c: ClientSession): void {
  sortGeneric(c, false);
}

/** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC | DESC] [ALPHA] */
function sortRoCommand(c: ClientSession): void {
  sortGeneric(c, true);
}

/**
 * Key positions of SORT (Redis' sortGetKeys): the sorted key, and the
 * destination of the last STORE. Options are skipped by their argument
 * counts (LIMIT 2, GET and BY 1), STORE's own argument is not skipped.
 */
function sortKeys(argv: readonly Buffer[]): number[] {
  const keys = [1];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (argIs(arg, "limit")) i += 2;
    else if (argIs(arg, "get") || argIs(arg, "by")) i += 1;
    else if (argIs(arg, "store") && i + 1 < argv.length) store = i + 1;
  }
  if (store !== -1) keys.push(store);
  return keys;
}

/** Key positions of SORT_RO: the sorted key only. */
function sortRoKeys(): number[] {
  return [1];
}

const SORT_COMPLEXITY = "O(N+M*log(M)): N elements, M returned.";

/** SORT and SORT_RO, as Redis 7.0 declares them. */
export const sortCommands: readonly CommandSpec[] = [
  {
    name: "sort",
    arity: -2,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    getKeys: sortKeys,
    acl: ["@set", "@sortedset", "@list", "@dangerous"],
    group: "generic",
    summary: "Sort a list, set or sorted set, optionally by or with other keys",
    since: "1.0.0",
    complexity: SORT_COMPLEXITY,
    handler: sortCommand,
  },
  {
    name: "sort_ro",
    arity: -2,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    getKeys: sortRoKeys,
    acl: ["@set", "@sortedset", "@list", "@dangerous"],
    group: "generic",
    summary: "Sort a list, set or sorted set (read-only)",
    since: "7.0.0",
    complexity: SORT_COMPLEXITY,
    handler: sortRoCommand,
  },
];
