/*
 * List commands (Redis' t_list.c): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN
 * LRANGE LINDEX LSET LREM LTRIM LINSERT LPOS LMOVE RPOPLPUSH LMPOP, and the
 * blocking BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP on top of the blocking registry.
 *
 * HOT PATH for LPUSH, RPUSH, LPOP and RPOP: no closures, no allocation beyond
 * the stored copies of the pushed elements.
 *
 * Replies, errors and the order of checks follow Redis 7.0 (options are parsed
 * before the key is looked up where Redis does so, and the other way round where
 * it does not). Every change ends with the write epilogue (lpush, rpush, lpop,
 * rpop, lset, lrem, ltrim, linsert events), a list left empty is deleted with a
 * "del" event, and the blocking forms propagate their non-blocking equivalent
 * (BLPOP -> LPOP key, BLMPOP -> LPOP key count, BLMOVE -> LMOVE, BRPOPLPUSH ->
 * RPOPLPUSH), whether they are served at once or after blocking.
 */

import { type Database, EventClass, ListEnd, RedisList } from "@spinel/core-db";
import { argIs, argString, parseInt64, parseLong } from "../args.js";
import {
  type BlockedClient,
  type BlockingFamily,
  getBlockingTimeoutOrReply,
  propagateServed,
  ServeOutcome,
} from "../blocking.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY, type KeyPositions, NO_KEYS } from "../command-spec.js";
import { Err, wrongArity } from "../errors.js";

const LPOP_ARG = Buffer.from("LPOP");
const RPOP_ARG = Buffer.from("RPOP");
const LMOVE_ARG = Buffer.from("LMOVE");
const RPOPLPUSH_ARG = Buffer.from("RPOPLPUSH");
/** A served BLMOVE propagates its directions in lowercase, as Redis' shared.left / shared.right. */
const LEFT_ARG = Buffer.from("left");
const RIGHT_ARG = Buffer.from("right");

/** LONG_MIN, which LPOS treats specially because negating it overflows. */
const LONG_MIN = -9223372036854775808n;

// ---------------------------------------------------------------- shared helpers

/** "lpush" / "rpush" */
function pushEvent(end: ListEnd): string {
  return end === ListEnd.Head ? "lpush" : "rpush";
}

/** "lpop" / "rpop" */
function popEvent(end: ListEnd): string {
  return end === ListEnd.Head ? "lpop" : "rpop";
}

/** LEFT | RIGHT as a list end, or -1. */
function parseListEnd(arg: Buffer): ListEnd | -1 {
  if (argIs(arg, "left")) return ListEnd.Head;
  if (argIs(arg, "right")) return ListEnd.Tail;
  return -1;
}

/** Redis' getListPositionFromObjectOrReply: LEFT | RIGHT, or reply a syntax error and return -1. */
function getListEndOrReply(c: ClientSession, arg: Buffer): ListEnd | -1 {
  const end = parseListEnd(arg);
  if (end === -1) c.reply.error(Err.syntax);
  return end;
}

/** An integer argument (index, count), or reply "value is not an integer or out of range". */
function getIntegerOrReply(c: ClientSession, arg: Buffer): number | null {
  const value = parseLong(arg);
  if (value === null) c.reply.error(Err.notInteger);
  return value;
}

/**
 * Redis' listElementsRemoved: `count` elements were popped from `end` of the
 * list at `key`. Emits lpop/rpop, deletes the key (with a "del" event) when the
 * list is now empty.
 */
function listElementsRemoved(db: Database, key: string, list: RedisList, end: ListEnd, count: number): void {
  db.touched(key, popEvent(end), EventClass.List, count);
  if (list.length === 0) {
    db.delete(key);
    db.notify(key, "del", EventClass.Generic);
  }
}

/** Delete `key` with a "del" event when its list is empty (after LREM, LTRIM). */
function deleteIfEmpty(db: Database, key: string, list: RedisList): void {
  if (list.length === 0) {
    db.delete(key);
    db.notify(key, "del", EventClass.Generic);
  }
}

/** Pop one element from `end` and reply [key, element] (BLPOP, BRPOP). */
function popAndReplyWithKey(
  c: ClientSession,
  db: Database,
  key: string,
  list: RedisList,
  end: ListEnd,
): void {
  const element = list.pop(end)!;
  c.reply.arrayLen(2);
  c.reply.bulkString(key);
  c.reply.bulk(element);
  listElementsRemoved(db, key, list, end, 1);
}

/**
 * Redis' listPopRangeAndReplyWithKey: pop up to `count` elements from `end` and
 * reply [key, [elements in pop order]] (LMPOP, BLMPOP). Returns how many.
 */
function popRangeAndReplyWithKey(
  c: ClientSession,
  db: Database,
  key: string,
  list: RedisList,
  end: ListEnd,
  count: number,
): number {
  const popped = count < list.length ? count : list.length;
  const reply = c.reply;
  reply.arrayLen(2);
  reply.bulkString(key);
  reply.arrayLen(popped);
  for (let i = 0; i < popped; i++) list.popTo(end, reply);
  listElementsRemoved(db, key, list, end, popped);
  return popped;
}

/**
 * The move of LMOVE / RPOPLPUSH / BLMOVE: pop from `from` of `source` (at
 * `sourceKey`) and push to `to` of the list at `destinationKey` (`destination`
 * is its current list, or undefined to create it; it may be `source` itself),
 * then reply the element. Events as Redis: the destination's push first, then
 * the source's pop, then "del" when the source is left empty.
 */
function moveElement(
  c: ClientSession,
  db: Database,
  sourceKey: string,
  source: RedisList,
  destinationKey: string,
  destination: RedisList | undefined,
  from: ListEnd,
  to: ListEnd,
): void {
  const element = source.pop(from)!;
  let target = destination;
  if (target === undefined) {
    target = RedisList.create();
    db.add(destinationKey, target);
  }
  target.pushOwned(element, to);
  c.reply.bulk(element);
  db.touched(destinationKey, pushEvent(to), EventClass.List);
  db.touched(sourceKey, popEvent(from), EventClass.List, 0);
  deleteIfEmpty(db, sourceKey, source);
}

/** Argv positions of the keys of LMPOP / BLMPOP: numkeys at `numkeysIndex`, keys after it. */
function numkeysKeys(argv: readonly Buffer[], numkeysIndex: number): number[] {
  const keys: number[] = [];
  const count = numkeysIndex < argv.length ? parseLong(argv[numkeysIndex]!) : null;
  if (count === null || count < 1) return keys;
  for (let i = numkeysIndex + 1; i <= numkeysIndex + count && i < argv.length; i++) keys.push(i);
  return keys;
}

// ---------------------------------------------------------------- push

/**
 * Redis' pushGenericCommand (LPUSH, RPUSH, LPUSHX, RPUSHX): push every element
 * in argument order at `end`. With `onlyIfExists` a missing key is left alone
 * and 0 is replied. Replies the new length.
 */
function pushGeneric(c: ClientSession, end: ListEnd, onlyIfExists: boolean): void {
  const argv = c.argv;
  const db = c.db;
  const key = argString(argv[1]!);
  const value = db.lookupWrite(key);
  let list: RedisList;
  if (value === undefined) {
    if (onlyIfExists) {
      c.reply.integer(0);
      return;
    }
    list = RedisList.create();
    db.add(key, list);
  } else if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  } else {
    list = value;
  }
  list.pushAll(argv, 2, argv.length, end);
  c.reply.integer(list.length);
  db.touched(key, pushEvent(end), EventClass.List, argv.length - 2);
}

/** LPUSH key element [element ...] */
function lpushCommand(c: ClientSession): void {
  pushGeneric(c, ListEnd.Head, false);
}

/** RPUSH key element [element ...] */
function rpushCommand(c: ClientSession): void {
  pushGeneric(c, ListEnd.Tail, false);
}

/** LPUSHX key element [element ...] */
function lpushxCommand(c: ClientSession): void {
  pushGeneric(c, ListEnd.Head, true);
}

/** RPUSHX key element [element ...] */
function rpushxCommand(c: ClientSession): void {
  pushGeneric(c, ListEnd.Tail, true);
}

// ---------------------------------------------------------------- pop

/**
 * Redis' popGenericCommand (LPOP, RPOP): without a count, one element as a
 * bulk (null bulk for a missing key); with a count, an array of up to count
 * elements in pop order (null array for a missing key, empty array for 0).
 */
function popGeneric(c: ClientSession, end: ListEnd): void {
  const argv = c.argv;
  if (argv.length > 3) {
    c.reply.error(wrongArity(c.command!.fullName));
    return;
  }
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const parsed = parseLong(argv[2]!);
    if (parsed === null || parsed < 0) {
      c.reply.error(Err.countNotPositive);
      return;
    }
    count = parsed;
  }
  const db = c.db;
  const key = argString(argv[1]!);
  const value = db.lookupWrite(key);
  if (value === undefined) {
    if (hasCount) c.reply.nullArray();
    else c.reply.nullBulk();
    return;
  }
  if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  if (!hasCount) {
    value.popTo(end, c.reply);
    listElementsRemoved(db, key, value, end, 1);
    return;
  }
  if (count === 0) {
    c.reply.arrayLen(0);
    return;
  }
  const popped = count < value.length ? count : value.length;
  c.reply.arrayLen(popped);
  for (let i = 0; i < popped; i++) value.popTo(end, c.reply);
  listElementsRemoved(db, key, value, end, popped);
}

/** LPOP key [count] */
function lpopCommand(c: ClientSession): void {
  popGeneric(c, ListEnd.Head);
}

/** RPOP key [count] */
function rpopCommand(c: ClientSession): void {
  popGeneric(c, ListEnd.Tail);
}

// ---------------------------------------------------------------- read commands

/** LLEN key */
function llenCommand(c: ClientSession): void {
  const value = c.db.lookupRead(argString(c.argv[1]!));
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  c.reply.integer(value.length);
}

/** LINDEX key index: the key is checked before the index is parsed, as in Redis. */
function lindexCommand(c: ClientSession): void {
  const value = c.db.lookupRead(argString(c.argv[1]!));
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  const index = getIntegerOrReply(c, c.argv[2]!);
  if (index === null) return;
  const element = value.at(index);
  if (element === undefined) c.reply.nullBulk();
  else c.reply.bulk(element);
}

/**
 * Redis' addListRangeReply: reply the elements between the Redis-style indexes
 * `start` and `end` (inclusive, negative from the tail, clamped), or an empty
 * array when the range is empty.
 */
function writeListRange(c: ClientSession, list: RedisList, start: number, end: number): void {
  const length = list.length;
  let first = start < 0 ? length + start : start;
  let last = end < 0 ? length + end : end;
  if (first < 0) first = 0;
  if (first > last || first >= length) {
    c.reply.arrayLen(0);
    return;
  }
  if (last >= length) last = length - 1;
  c.reply.arrayLen(last - first + 1);
  list.writeRange(first, last, c.reply);
}

/** LRANGE key start stop: the indexes are parsed before the key is looked up. */
function lrangeCommand(c: ClientSession): void {
  const start = getIntegerOrReply(c, c.argv[2]!);
  if (start === null) return;
  const end = getIntegerOrReply(c, c.argv[3]!);
  if (end === null) return;
  const value = c.db.lookupRead(argString(c.argv[1]!));
  if (value === undefined) {
    c.reply.arrayLen(0);
    return;
  }
  if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  writeListRange(c, value, start, end);
}

/**
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: the index of
 * the rank-th match (null when none), or with COUNT an array of up to
 * num-matches indexes (0: all). Options are parsed before the key is looked up.
 */
function lposCommand(c: ClientSession): void {
  const argv = c.argv;
  let rank = 1;
  let rankIsLongMin = false;
  let count = -1;
  let maxlen = 0;
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i]!;
    const hasValue = i + 1 < argv.length;
    if (hasValue && argIs(option, "rank")) {
      const exact = parseInt64(argv[++i]!);
      if (exact === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      if (exact === 0n) {
        c.reply.error(Err.lposRankZero);
        return;
      }
      rankIsLongMin = exact === LONG_MIN;
      rank = Number(exact);
    } else if (hasValue && argIs(option, "count")) {
      const parsed = parseLong(argv[++i]!);
      if (parsed === null || parsed < 0) {
        c.reply.error(Err.lposCountNegative);
        return;
      }
      count = parsed;
    } else if (hasValue && argIs(option, "maxlen")) {
      const parsed = parseLong(argv[++i]!);
      if (parsed === null || parsed < 0) {
        c.reply.error(Err.lposMaxlenNegative);
        return;
      }
      maxlen = parsed;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  const value = c.db.lookupRead(argString(argv[1]!));
  if (value === undefined) {
    if (count !== -1) c.reply.arrayLen(0);
    else c.reply.nullBulk();
    return;
  }
  if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  let found: number[];
  if (rankIsLongMin) {
    // Redis negates the rank in a C long: LONG_MIN stays negative, so the search
    // runs from the tail and every match already counts as "at or past the rank";
    // with COUNT the stop test overflows too and never stops early.
    found = value.positions(argv[2]!, -1, count === -1 ? 1 : 0, maxlen);
  } else {
    found = value.positions(argv[2]!, rank, count === -1 ? 1 : count, maxlen);
  }
  if (count === -1) {
    if (found.length === 0) c.reply.nullBulk();
    else c.reply.integer(found[0]!);
    return;
  }
  c.reply.arrayLen(found.length);
  for (let i = 0; i < found.length; i++) c.reply.integer(found[i]!);
}

// ---------------------------------------------------------------- in-place edits

/** LSET key index element: "no such key" for a missing key, "index out of range" beyond the list. */
function lsetCommand(c: ClientSession): void {
  const db = c.db;
  const key = argString(c.argv[1]!);
  const value = db.lookupWrite(key);
  if (value === undefined) {
    c.reply.error(Err.noSuchKey);
    return;
  }
  if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  const index = getIntegerOrReply(c, c.argv[2]!);
  if (index === null) return;
  if (!value.set(index, c.argv[3]!)) {
    c.reply.error(Err.outOfRange);
    return;
  }
  c.reply.ok();
  db.touched(key, "lset", EventClass.List);
}

/** LREM key count element: removes matches (count > 0 from the head, < 0 from the tail, 0 all). */
function lremCommand(c: ClientSession): void {
  const count = getIntegerOrReply(c, c.argv[2]!);
  if (count === null) return;
  const db = c.db;
  const key = argString(c.argv[1]!);
  const value = db.lookupWrite(key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  const removed = value.remove(c.argv[3]!, count);
  if (removed > 0) {
    db.touched(key, "lrem", EventClass.List, removed);
    deleteIfEmpty(db, key, value);
  }
  c.reply.integer(removed);
}

/** LTRIM key start stop: keeps the range (Redis-style indexes); an empty range deletes the key. */
function ltrimCommand(c: ClientSession): void {
  const start = getIntegerOrReply(c, c.argv[2]!);
  if (start === null) return;
  const end = getIntegerOrReply(c, c.argv[3]!);
  if (end === null) return;
  const db = c.db;
  const key = argString(c.argv[1]!);
  const value = db.lookupWrite(key);
  if (value === undefined) {
    c.reply.ok();
    return;
  }
  if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  const length = value.length;
  let first = start < 0 ? length + start : start;
  let last = end < 0 ? length + end : end;
  if (first < 0) first = 0;
  let fromHead: number;
  let fromTail: number;
  if (first > last || first >= length) {
    fromHead = length;
    fromTail = 0;
  } else {
    if (last >= length) last = length - 1;
    fromHead = first;
    fromTail = length - last - 1;
  }
  value.trim(fromHead, fromTail);
  // Redis notifies (and propagates only when something was removed) even for a no-op trim.
  db.touched(key, "ltrim", EventClass.List, fromHead + fromTail);
  deleteIfEmpty(db, key, value);
  c.reply.ok();
}

/** LINSERT key BEFORE|AFTER pivot element: new length, -1 without the pivot, 0 without the key. */
function linsertCommand(c: ClientSession): void {
  const argv = c.argv;
  let after: boolean;
  if (argIs(argv[2]!, "after")) after = true;
  else if (argIs(argv[2]!, "before")) after = false;
  else {
    c.reply.error(Err.syntax);
    return;
  }
  const db = c.db;
  const key = argString(argv[1]!);
  const value = db.lookupWrite(key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  if (value.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  const length = value.insert(argv[3]!, argv[4]!, after);
  if (length === -1) {
    c.reply.integer(-1);
    return;
  }
  db.touched(key, "linsert", EventClass.List);
  c.reply.integer(length);
}

// ---------------------------------------------------------------- move

/**
 * Redis' lmoveGenericCommand (LMOVE, RPOPLPUSH, and BLMOVE / BRPOPLPUSH when the
 * source has elements): null bulk when the source is missing, WRONGTYPE when
 * either key holds something else, else the moved element. Returns true when an
 * element moved (so blocking forms can rewrite their propagation).
 */
function lmoveGeneric(c: ClientSession, from: ListEnd, to: ListEnd): boolean {
  const db = c.db;
  const sourceKey = argString(c.argv[1]!);
  const source = db.lookupWrite(sourceKey);
  if (source === undefined) {
    c.reply.nullBulk();
    return false;
  }
  if (source.type !== "list") {
    c.reply.error(Err.wrongType);
    return false;
  }
  const destinationKey = argString(c.argv[2]!);
  const destination = db.lookupWrite(destinationKey);
  if (destination !== undefined && destination.type !== "list") {
    c.reply.error(Err.wrongType);
    return false;
  }
  moveElement(c, db, sourceKey, source, destinationKey, destination, from, to);
  return true;
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
function lmoveCommand(c: ClientSession): void {
  const from = getListEndOrReply(c, c.argv[3]!);
  if (from === -1) return;
  const to = getListEndOrReply(c, c.argv[4]!);
  if (to === -1) return;
  lmoveGeneric(c, from, to);
}

/** RPOPLPUSH source destination */
function rpoplpushCommand(c: ClientSession): void {
  lmoveGeneric(c, ListEnd.Tail, ListEnd.Head);
}

// ---------------------------------------------------------------- LMPOP

/** Parsed `numkeys key [key ...] LEFT|RIGHT [COUNT count]`. */
interface MultiPopArgs {
  readonly firstKey: number;
  readonly keyCount: number;
  readonly end: ListEnd;
  readonly count: number;
}

/**
 * Parse LMPOP / BLMPOP arguments with numkeys at `numkeysIndex`, as Redis'
 * lmpopGenericCommand: numkeys, then the end, then COUNT; or reply the error.
 */
function parseMultiPopArgsOrReply(c: ClientSession, numkeysIndex: number): MultiPopArgs | null {
  const argv = c.argv;
  const keyCount = parseLong(argv[numkeysIndex]!);
  if (keyCount === null || keyCount < 1) {
    c.reply.error(Err.numkeysNotPositive);
    return null;
  }
  const endIndex = numkeysIndex + keyCount + 1;
  if (endIndex >= argv.length) {
    c.reply.error(Err.syntax);
    return null;
  }
  const end = getListEndOrReply(c, argv[endIndex]!);
  if (end === -1) return null;
  let count = -1;
  for (let i = endIndex + 1; i < argv.length; i++) {
    if (count === -1 && argIs(argv[i]!, "count") && i + 1 < argv.length) {
      const parsed = parseLong(argv[++i]!);
      if (parsed === null || parsed < 1) {
        c.reply.error(Err.countNotGreaterThanZero);
        return null;
      }
      count = parsed;
    } else {
      c.reply.error(Err.syntax);
      return null;
    }
  }
  return { firstKey: numkeysIndex + 1, keyCount, end, count: count === -1 ? 1 : count };
}

/** Propagate a multi-pop as LPOP|RPOP key count, as Redis does. */
function multiPopPropagation(key: Buffer, end: ListEnd, popped: number): Buffer[] {
  return [end === ListEnd.Head ? LPOP_ARG : RPOP_ARG, key, Buffer.from(String(popped))];
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function lmpopCommand(c: ClientSession): void {
  const args = parseMultiPopArgsOrReply(c, 1);
  if (args === null) return;
  const db = c.db;
  const argv = c.argv;
  for (let i = args.firstKey; i < args.firstKey + args.keyCount; i++) {
    const key = argString(argv[i]!);
    const value = db.lookupWrite(key);
    if (value === undefined) continue;
    if (value.type !== "list") {
      c.reply.error(Err.wrongType);
      return;
    }
    if (value.length === 0) continue;
    const popped = popRangeAndReplyWithKey(c, db, key, value, args.end, args.count);
    c.rewritePropagation(multiPopPropagation(argv[i]!, args.end, popped));
    return;
  }
  c.reply.nullArray();
}

// ---------------------------------------------------------------- blocking family

/** Which blocking command a blocked client ran (decides its reply and propagation). */
enum ListBlockKind {
  /** BLPOP / BRPOP: [key, element]. */
  Pop = 0,
  /** BLMPOP: [key, [elements]]. */
  MultiPop = 1,
  /** BLMOVE: the element, propagated as LMOVE. */
  Move = 2,
  /** BRPOPLPUSH: the element, propagated as RPOPLPUSH. */
  PopPush = 3,
}

/** What a client blocked by a list command waits to do. */
class ListBlockRequest {
  readonly kind: ListBlockKind;
  readonly from: ListEnd;
  readonly to: ListEnd;
  /** Destination key of BLMOVE / BRPOPLPUSH, else "". */
  readonly destination: string;
  /** Elements to pop for BLMPOP, else 1. */
  readonly count: number;

  constructor(kind: ListBlockKind, from: ListEnd, to: ListEnd, destination: string, count: number) {
    this.kind = kind;
    this.from = from;
    this.to = to;
    this.destination = destination;
    this.count = count;
  }
}

/**
 * Serving list waiters (Redis' serveClientBlockedOnList). A missing or empty
 * key serves nobody (Exhausted); a key of another type is left to the other
 * families' waiters (NotServed). BLMOVE whose destination holds another type
 * gets WRONGTYPE and is unblocked, with the source left untouched.
 */
const listBlocking: BlockingFamily<ListBlockRequest> = {
  serve(blocked: BlockedClient<ListBlockRequest>, key: string): ServeOutcome {
    const db = blocked.db;
    const value = db.lookupWrite(key);
    if (value === undefined) return ServeOutcome.Exhausted;
    if (value.type !== "list") return ServeOutcome.NotServed;
    if (value.length === 0) return ServeOutcome.Exhausted;
    const c = blocked.client;
    const request = blocked.request;
    const keyArg = Buffer.from(key, "latin1");
    switch (request.kind) {
      case ListBlockKind.Pop:
        propagateServed(blocked, [request.from === ListEnd.Head ? LPOP_ARG : RPOP_ARG, keyArg]);
        popAndReplyWithKey(c, db, key, value, request.from);
        return ServeOutcome.Served;
      case ListBlockKind.MultiPop: {
        const popped = popRangeAndReplyWithKey(c, db, key, value, request.from, request.count);
        propagateServed(blocked, multiPopPropagation(keyArg, request.from, popped));
        return ServeOutcome.Served;
      }
      default: {
        const destinationKey = request.destination;
        const destination = db.lookupWrite(destinationKey);
        if (destination !== undefined && destination.type !== "list") {
          c.reply.error(Err.wrongType);
          return ServeOutcome.Served;
        }
        moveElement(c, db, key, value, destinationKey, destination, request.from, request.to);
        const destinationArg = Buffer.from(destinationKey, "latin1");
        if (request.kind === ListBlockKind.PopPush) {
          propagateServed(blocked, [RPOPLPUSH_ARG, keyArg, destinationArg]);
        } else {
          propagateServed(blocked, [
            LMOVE_ARG,
            keyArg,
            destinationArg,
            request.from === ListEnd.Head ? LEFT_ARG : RIGHT_ARG,
            request.to === ListEnd.Head ? LEFT_ARG : RIGHT_ARG,
          ]);
        }
        return ServeOutcome.Served;
      }
    }
  },

  /** Redis 7.0 answers a timeout of every list blocking command with a null array. */
  replyTimeout(blocked: BlockedClient<ListBlockRequest>): void {
    blocked.client.reply.nullArray();
  },
};

// ---------------------------------------------------------------- blocking commands

/**
 * Redis' blockingPopGenericCommand (BLPOP, BRPOP, BLMPOP): the keys are
 * argv[firstKey .. firstKey+keyCount); the first non-empty list is served at
 * once (a key of another type before it is WRONGTYPE); otherwise the client
 * blocks, or inside a transaction gets a null array. `count` is -1 for the
 * single-element forms.
 */
function blockingPopGeneric(
  c: ClientSession,
  firstKey: number,
  keyCount: number,
  end: ListEnd,
  timeoutArg: Buffer,
  count: number,
): void {
  const deadline = getBlockingTimeoutOrReply(c, timeoutArg);
  if (deadline === null) return;
  const db = c.db;
  const argv = c.argv;
  for (let i = firstKey; i < firstKey + keyCount; i++) {
    const key = argString(argv[i]!);
    const value = db.lookupWrite(key);
    if (value === undefined) continue;
    if (value.type !== "list") {
      c.reply.error(Err.wrongType);
      return;
    }
    if (value.length === 0) continue;
    if (count === -1) {
      popAndReplyWithKey(c, db, key, value, end);
      c.rewritePropagation([end === ListEnd.Head ? LPOP_ARG : RPOP_ARG, argv[i]!]);
    } else {
      const popped = popRangeAndReplyWithKey(c, db, key, value, end, count);
      c.rewritePropagation(multiPopPropagation(argv[i]!, end, popped));
    }
    return;
  }
  const registry = c.server.blocking;
  if (!registry.canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  const keys: string[] = [];
  for (let i = firstKey; i < firstKey + keyCount; i++) keys.push(argString(argv[i]!));
  const kind = count === -1 ? ListBlockKind.Pop : ListBlockKind.MultiPop;
  registry.block(c, keys, deadline, listBlocking, new ListBlockRequest(kind, end, end, "", count));
}

/** BLPOP key [key ...] timeout */
function blpopCommand(c: ClientSession): void {
  blockingPopGeneric(c, 1, c.argv.length - 2, ListEnd.Head, c.argv[c.argv.length - 1]!, -1);
}

/** BRPOP key [key ...] timeout */
function brpopCommand(c: ClientSession): void {
  blockingPopGeneric(c, 1, c.argv.length - 2, ListEnd.Tail, c.argv[c.argv.length - 1]!, -1);
}

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function blmpopCommand(c: ClientSession): void {
  const args = parseMultiPopArgsOrReply(c, 2);
  if (args === null) return;
  blockingPopGeneric(c, args.firstKey, args.keyCount, args.end, c.argv[1]!, args.count);
}

/**
 * Redis' blmoveGenericCommand (BLMOVE, BRPOPLPUSH): a non-empty source moves at
 * once (propagated as LMOVE / RPOPLPUSH); a missing source blocks, or inside a
 * transaction replies a null bulk.
 */
function blmoveGeneric(
  c: ClientSession,
  from: ListEnd,
  to: ListEnd,
  deadline: number,
  kind: ListBlockKind,
): void {
  const argv = c.argv;
  const source = c.db.lookupWrite(argString(argv[1]!));
  if (source !== undefined && source.type !== "list") {
    c.reply.error(Err.wrongType);
    return;
  }
  if (source !== undefined) {
    if (lmoveGeneric(c, from, to)) {
      if (kind === ListBlockKind.PopPush) c.rewritePropagation([RPOPLPUSH_ARG, argv[1]!, argv[2]!]);
      else c.rewritePropagation([LMOVE_ARG, argv[1]!, argv[2]!, argv[3]!, argv[4]!]);
    }
    return;
  }
  const registry = c.server.blocking;
  if (!registry.canBlock(c)) {
    c.reply.nullBulk();
    return;
  }
  const request = new ListBlockRequest(kind, from, to, argString(argv[2]!), 1);
  registry.block(c, [argString(argv[1]!)], deadline, listBlocking, request);
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
function blmoveCommand(c: ClientSession): void {
  const from = getListEndOrReply(c, c.argv[3]!);
  if (from === -1) return;
  const to = getListEndOrReply(c, c.argv[4]!);
  if (to === -1) return;
  const deadline = getBlockingTimeoutOrReply(c, c.argv[5]!);
  if (deadline === null) return;
  blmoveGeneric(c, from, to, deadline, ListBlockKind.Move);
}

/** BRPOPLPUSH source destination timeout */
function brpoplpushCommand(c: ClientSession): void {
  const deadline = getBlockingTimeoutOrReply(c, c.argv[3]!);
  if (deadline === null) return;
  blmoveGeneric(c, ListEnd.Tail, ListEnd.Head, deadline, ListBlockKind.PopPush);
}

// ---------------------------------------------------------------- specs

const SOURCE_AND_DESTINATION: KeyPositions = { first: 1, last: 2, step: 1 };
const KEYS_BEFORE_TIMEOUT: KeyPositions = { first: 1, last: -2, step: 1 };

/** Keys of LMPOP: numkeys at argv[1]. */
function lmpopKeys(argv: readonly Buffer[]): number[] {
  return numkeysKeys(argv, 1);
}

/** Keys of BLMPOP: numkeys at argv[2] (after the timeout). */
function blmpopKeys(argv: readonly Buffer[]): number[] {
  return numkeysKeys(argv, 2);
}

/** The list commands of Redis 7.0, the blocking ones included. */
export const listCommands: readonly CommandSpec[] = [
  {
    name: "lpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Add elements at the head of a list",
    since: "1.0.0",
    complexity: "O(1) per element.",
    handler: lpushCommand,
  },
  {
    name: "rpush",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Add elements at the tail of a list",
    since: "1.0.0",
    complexity: "O(1) per element.",
    handler: rpushCommand,
  },
  {
    name: "lpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Add elements at the head of an existing list",
    since: "2.2.0",
    complexity: "O(1) per element.",
    handler: lpushxCommand,
  },
  {
    name: "rpushx",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Add elements at the tail of an existing list",
    since: "2.2.0",
    complexity: "O(1) per element.",
    handler: rpushxCommand,
  },
  {
    name: "lpop",
    arity: -2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Pop elements from the head of a list",
    since: "1.0.0",
    complexity: "O(N), N = elements popped.",
    handler: lpopCommand,
  },
  {
    name: "rpop",
    arity: -2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Pop elements from the tail of a list",
    since: "1.0.0",
    complexity: "O(N), N = elements popped.",
    handler: rpopCommand,
  },
  {
    name: "llen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "How many elements a list has",
    since: "1.0.0",
    complexity: "O(1)",
    handler: llenCommand,
  },
  {
    name: "lrange",
    arity: 4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Read a range of list elements",
    since: "1.0.0",
    complexity: "O(S+N): S to reach the start, N returned.",
    handler: lrangeCommand,
  },
  {
    name: "lindex",
    arity: 3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Read a list element by position",
    since: "1.0.0",
    complexity: "O(N) in the elements walked; O(1) at either end.",
    handler: lindexCommand,
  },
  {
    name: "lset",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Overwrite a list element by position",
    since: "1.0.0",
    complexity: "O(N) in the elements walked; O(1) at either end.",
    handler: lsetCommand,
  },
  {
    name: "lrem",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Remove elements equal to a value from a list",
    since: "1.0.0",
    complexity: "O(N+M): N elements walked, M removed.",
    handler: lremCommand,
  },
  {
    name: "ltrim",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Keep only a range of a list",
    since: "1.0.0",
    complexity: "O(N), N = elements removed.",
    handler: ltrimCommand,
  },
  {
    name: "linsert",
    arity: 5,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Insert an element next to another in a list",
    since: "2.2.0",
    complexity: "O(N) in the elements walked.",
    handler: linsertCommand,
  },
  {
    name: "lpos",
    arity: -3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@list"],
    group: "list",
    summary: "Positions of elements equal to a value",
    since: "6.0.6",
    complexity: "O(N) in the elements compared.",
    handler: lposCommand,
  },
  {
    name: "lmove",
    arity: 5,
    flags: ["write", "denyoom"],
    keys: SOURCE_AND_DESTINATION,
    acl: ["@list"],
    group: "list",
    summary: "Move an element from one end of a list to an end of another",
    since: "6.2.0",
    complexity: "O(1)",
    handler: lmoveCommand,
  },
  {
    name: "rpoplpush",
    arity: 3,
    flags: ["write", "denyoom"],
    keys: SOURCE_AND_DESTINATION,
    acl: ["@list"],
    group: "list",
    summary: "Move a list's tail to another list's head",
    since: "1.2.0",
    complexity: "O(1)",
    handler: rpoplpushCommand,
  },
  {
    name: "lmpop",
    arity: -4,
    flags: ["write"],
    keys: NO_KEYS,
    getKeys: lmpopKeys,
    acl: ["@list"],
    group: "list",
    summary: "Pop elements from the first non-empty list",
    since: "7.0.0",
    complexity: "O(N+M): N keys, M elements.",
    handler: lmpopCommand,
  },
  {
    name: "blpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    keys: KEYS_BEFORE_TIMEOUT,
    acl: ["@list"],
    group: "list",
    summary: "Pop the head of the first non-empty list, waiting if needed",
    since: "2.0.0",
    complexity: "O(N), N = keys.",
    handler: blpopCommand,
  },
  {
    name: "brpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    keys: KEYS_BEFORE_TIMEOUT,
    acl: ["@list"],
    group: "list",
    summary: "Pop the tail of the first non-empty list, waiting if needed",
    since: "2.0.0",
    complexity: "O(N), N = keys.",
    handler: brpopCommand,
  },
  {
    name: "blmove",
    arity: 6,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: SOURCE_AND_DESTINATION,
    acl: ["@list"],
    group: "list",
    summary: "Move an element between lists, waiting for one if needed",
    since: "6.2.0",
    complexity: "O(1)",
    handler: blmoveCommand,
  },
  {
    name: "brpoplpush",
    arity: 4,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: SOURCE_AND_DESTINATION,
    acl: ["@list"],
    group: "list",
    summary: "Move a list's tail to another list's head, waiting if needed",
    since: "2.2.0",
    complexity: "O(1)",
    handler: brpoplpushCommand,
  },
  {
    name: "blmpop",
    arity: -5,
    flags: ["write", "blocking"],
    keys: NO_KEYS,
    getKeys: blmpopKeys,
    acl: ["@list"],
    group: "list",
    summary: "Pop from the first non-empty list, waiting for one if needed",
    since: "7.0.0",
    complexity: "O(N+M): N keys, M elements.",
    handler: blmpopCommand,
  },
];
