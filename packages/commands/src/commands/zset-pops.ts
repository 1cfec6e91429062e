/*
 * Taking members out of sorted sets: ZPOPMIN / ZPOPMAX, ZMPOP, and the blocking
 * BZPOPMIN / BZPOPMAX / BZMPOP on the blocking registry (blocking.ts).
 *
 * Reply shapes follow Redis' genericZpopCommand: a flat [member, score, ...]
 * array (ZPOPMIN; pairs nested on RESP3 when a count was given), [key, member,
 * score] (BZPOPMIN), [key, [[member, score], ...]] (ZMPOP, BZMPOP). Multi-key and
 * blocking pops propagate as ZPOPMIN / ZPOPMAX key [count], as Redis does.
 */

import type { Database, RedisZSet } from "@spinel/core-db";
import { argIs, argString, getRangeLongOrReply } from "../args.js";
import {
  type BlockedClient,
  type BlockingFamily,
  getBlockingTimeoutOrReply,
  propagateServed,
  ServeOutcome,
} from "../blocking.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY, type KeyPositions } from "../command-spec.js";
import { Err } from "../errors.js";
import { numkeysKeyPositions } from "./zset-args.js";
import { LONG_MAX, removedFromZSet, writeZSetOrReply } from "./zset-common.js";

// ---------------------------------------------------------------- pops

const ZPOPMIN_ARG = Buffer.from("ZPOPMIN");
const ZPOPMAX_ARG = Buffer.from("ZPOPMAX");

/** How a pop reply is shaped (Redis' emitkey / use_nested_array / reply_nil_when_empty). */
interface PopShape {
  /** Prefix the reply with the key (BZPOPMIN, ZMPOP). */
  readonly emitKey: boolean;
  /** [member, score] pairs nested in their own arrays. */
  readonly nested: boolean;
  /** Null array instead of an empty array when no key has members. */
  readonly nilWhenEmpty: boolean;
}

/**
 * Pop up to `count` members (-1: one member, the plain form) from the lowest
 * (`max` false) or highest end of `zset` at `key` of `db`, writing the reply
 * into `c.reply` in `shape`, with the zpopmin / zpopmax event and the key's
 * removal when emptied. Returns how many members were popped. Shared by
 * ZPOPMIN/ZPOPMAX, ZMPOP, and the BZ* pops (served at once or when woken).
 */
function popFromZSet(
  c: ClientSession,
  db: Database,
  key: string,
  zset: RedisZSet,
  max: boolean,
  count: number,
  shape: PopShape,
): number {
  const reply = c.reply;
  const length = zset.length;
  const wanted = count === -1 ? 1 : count;
  const popped = wanted > length ? length : wanted;
  if (!shape.emitKey) {
    reply.arrayLen(shape.nested ? popped : popped * 2);
  } else if (!shape.nested) {
    reply.arrayLen(popped * 2 + 1);
    reply.bulkString(key);
  } else {
    reply.arrayLen(2);
    reply.bulkString(key);
    reply.arrayLen(popped);
  }
  const cursor = max ? zset.cursor(length - 1, true) : zset.cursor(0, false);
  for (let i = 0; i < popped && cursor.next(); i++) {
    if (shape.nested) reply.arrayLen(2);
    reply.bulkString(cursor.member);
    reply.double(cursor.score);
  }
  if (max) zset.removeRankRange(length - popped, length - 1);
  else zset.removeRankRange(0, popped - 1);
  removedFromZSet(db, key, zset, max ? "zpopmax" : "zpopmin", popped);
  return popped;
}

/**
 * Redis' genericZpopCommand over the keys argv[first .. first+keyCount-1]: pops
 * from the first key holding a sorted set, after checking the types of the keys
 * before it. Returns the index of the popped key in argv, or -1.
 */
function zpopGeneric(
  c: ClientSession,
  first: number,
  keyCount: number,
  max: boolean,
  count: number,
  shape: PopShape,
): number {
  const argv = c.argv;
  for (let i = first; i < first + keyCount; i++) {
    const zset = writeZSetOrReply(c, argString(argv[i]!));
    if (zset === null) return -1;
    if (zset === undefined) continue;
    if (count === 0) {
      c.reply.arrayLen(0);
      return -1;
    }
    popFromZSet(c, c.db, argString(argv[i]!), zset, max, count, shape);
    return i;
  }
  if (shape.nilWhenEmpty) c.reply.nullArray();
  else c.reply.arrayLen(0);
  return -1;
}

const FLAT_POP: PopShape = { emitKey: false, nested: false, nilWhenEmpty: false };
const NESTED_POP: PopShape = { emitKey: false, nested: true, nilWhenEmpty: false };
/** ZMPOP / BZMPOP: [key, [[member, score], ...]] or a null array. */
const MULTI_POP: PopShape = { emitKey: true, nested: true, nilWhenEmpty: true };
/** BZPOPMIN / BZPOPMAX: [key, member, score]. */
const BLOCKING_POP: PopShape = { emitKey: true, nested: false, nilWhenEmpty: true };

/** ZPOPMIN / ZPOPMAX key [count] */
function zpopGenericCommand(c: ClientSession, max: boolean): void {
  const argv = c.argv;
  if (argv.length > 3) {
    c.reply.error(Err.syntax);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const parsed = getRangeLongOrReply(c, argv[2]!, 0, LONG_MAX, Err.countNotPositive);
    if (parsed === null) return;
    count = parsed;
  }
  // RESP3 nests the pairs whenever a count was given.
  const shape = c.resp === 3 && count !== -1 ? NESTED_POP : FLAT_POP;
  zpopGeneric(c, 1, 1, max, count, shape);
}

/** ZPOPMIN key [count] */
function zpopminCommand(c: ClientSession): void {
  zpopGenericCommand(c, false);
}

/** ZPOPMAX key [count] */
function zpopmaxCommand(c: ClientSession): void {
  zpopGenericCommand(c, true);
}

/** Parsed arguments of ZMPOP / BZMPOP. */
interface MultiPopArgs {
  /** argv index of the first key. */
  readonly firstKey: number;
  readonly keyCount: number;
  readonly max: boolean;
  readonly count: number;
}

/**
 * Parse `numkeys key [key ...] MIN | MAX [COUNT count]` with numkeys at argv
 * index `numkeysIndex` (Redis' zmpopGenericCommand), or reply the error and
 * return null.
 */
function parseMultiPopArgsOrReply(c: ClientSession, numkeysIndex: number): MultiPopArgs | null {
  const argv = c.argv;
  const keyCount = getRangeLongOrReply(
    c,
    argv[numkeysIndex]!,
    1,
    LONG_MAX,
    "ERR numkeys should be greater than 0",
  );
  if (keyCount === null) return null;
  const whereIndex = numkeysIndex + keyCount + 1;
  if (whereIndex >= argv.length) {
    c.reply.error(Err.syntax);
    return null;
  }
  let max: boolean;
  if (argIs(argv[whereIndex]!, "min")) max = false;
  else if (argIs(argv[whereIndex]!, "max")) max = true;
  else {
    c.reply.error(Err.syntax);
    return null;
  }
  let count = -1;
  for (let j = whereIndex + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && argIs(argv[j]!, "count") && more > 0) {
      j++;
      const parsed = getRangeLongOrReply(c, argv[j]!, 1, LONG_MAX, "ERR count should be greater than 0");
      if (parsed === null) return null;
      count = parsed;
    } else {
      c.reply.error(Err.syntax);
      return null;
    }
  }
  return { firstKey: numkeysIndex + 1, keyCount, max, count: count === -1 ? 1 : count };
}

/**
 * Propagate a served multi-key or blocking pop as ZPOPMIN / ZPOPMAX key [count],
 * as Redis does (`count` -1: the single-member form without COUNT).
 */
function propagateAsZPop(c: ClientSession, keyArg: Buffer, max: boolean, count: number): void {
  const name = max ? ZPOPMAX_ARG : ZPOPMIN_ARG;
  if (count === -1) c.rewritePropagation([name, keyArg]);
  else c.rewritePropagation([name, keyArg, Buffer.from(String(count))]);
}

/** ZMPOP numkeys key [key ...] MIN | MAX [COUNT count] */
function zmpopCommand(c: ClientSession): void {
  const args = parseMultiPopArgsOrReply(c, 1);
  if (args === null) return;
  const popped = zpopGeneric(c, args.firstKey, args.keyCount, args.max, args.count, MULTI_POP);
  if (popped !== -1) propagateAsZPop(c, c.argv[popped]!, args.max, args.count);
}

// ---------------------------------------------------------------- blocking pops

/** What a client blocked by BZPOPMIN / BZPOPMAX / BZMPOP waits for. */
class ZPopRequest {
  readonly max: boolean;
  /** -1 for BZPOPMIN / BZPOPMAX (one member, flat reply), else BZMPOP's COUNT. */
  readonly count: number;

  constructor(max: boolean, count: number) {
    this.max = max;
    this.count = count;
  }
}

/**
 * The sorted set blocking family: a woken client pops from the key that became
 * ready, exactly as if its command had run then, and the pop is propagated as
 * ZPOPMIN / ZPOPMAX key [count] (count capped at the set's size, as Redis does).
 */
const zsetBlockingFamily: BlockingFamily<ZPopRequest> = {
  serve(blocked: BlockedClient<ZPopRequest>, key: string): ServeOutcome {
    const db = blocked.db;
    const value = db.lookupWrite(key);
    if (value === undefined) return ServeOutcome.Exhausted;
    // Another family's key (a list pushed under the same name): its waiters may be served.
    if (value.type !== "zset") return ServeOutcome.NotServed;
    const request = blocked.request;
    const shape = request.count === -1 ? BLOCKING_POP : MULTI_POP;
    const popped = popFromZSet(blocked.client, db, key, value, request.max, request.count, shape);
    const name = request.max ? ZPOPMAX_ARG : ZPOPMIN_ARG;
    const keyArg = Buffer.from(key, "latin1");
    propagateServed(
      blocked as BlockedClient<unknown>,
      request.count === -1 ? [name, keyArg] : [name, keyArg, Buffer.from(String(popped))],
    );
    return ServeOutcome.Served;
  },
  replyTimeout(blocked: BlockedClient<ZPopRequest>): void {
    blocked.client.reply.nullArray();
  },
};

/**
 * Redis' blockingGenericZpopCommand: pop at once from the first of the keys
 * argv[first .. first+keyCount-1] that holds a sorted set (WRONGTYPE stops the
 * walk), or block on all of them until the timeout in `timeoutArg` passes. A
 * client that may not block (inside MULTI, replication, AOF replay) gets the
 * timeout reply at once.
 */
function blockingZpopGeneric(
  c: ClientSession,
  first: number,
  keyCount: number,
  timeoutArg: Buffer,
  max: boolean,
  count: number,
): void {
  const deadline = getBlockingTimeoutOrReply(c, timeoutArg);
  if (deadline === null) return;
  const argv = c.argv;
  const shape = count === -1 ? BLOCKING_POP : MULTI_POP;
  for (let i = first; i < first + keyCount; i++) {
    const zset = writeZSetOrReply(c, argString(argv[i]!));
    if (zset === null) return;
    if (zset === undefined || zset.length === 0) continue;
    popFromZSet(c, c.db, argString(argv[i]!), zset, max, count, shape);
    propagateAsZPop(c, argv[i]!, max, count);
    return;
  }
  const registry = c.server.blocking;
  if (!registry.canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  const keys: string[] = [];
  for (let i = first; i < first + keyCount; i++) keys.push(argString(argv[i]!));
  registry.block(c, keys, deadline, zsetBlockingFamily, new ZPopRequest(max, count));
}

/** BZPOPMIN key [key ...] timeout */
function bzpopminCommand(c: ClientSession): void {
  const argv = c.argv;
  blockingZpopGeneric(c, 1, argv.length - 2, argv[argv.length - 1]!, false, -1);
}

/** BZPOPMAX key [key ...] timeout */
function bzpopmaxCommand(c: ClientSession): void {
  const argv = c.argv;
  blockingZpopGeneric(c, 1, argv.length - 2, argv[argv.length - 1]!, true, -1);
}

/** BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count] */
function bzmpopCommand(c: ClientSession): void {
  const args = parseMultiPopArgsOrReply(c, 2);
  if (args === null) return;
  blockingZpopGeneric(c, args.firstKey, args.keyCount, c.argv[1]!, args.max, args.count);
}

// ---------------------------------------------------------------- specs

/** Keys of ZMPOP: numkeys at argv[1]. */
function zmpopKeys(argv: readonly Buffer[]): number[] {
  return numkeysKeyPositions(argv, 1, 0);
}

/** Keys of BZMPOP: numkeys at argv[2]. */
function bzmpopKeys(argv: readonly Buffer[]): number[] {
  return numkeysKeyPositions(argv, 2, 0);
}

/** BZPOPMIN / BZPOPMAX: every argument but the last (the timeout) is a key. */
const BLOCKING_KEYS: KeyPositions = { first: 1, last: -2, step: 1 };

/** Specs of the pop commands (registered by zset.ts). */
export const zsetPopCommands: readonly CommandSpec[] = [
  {
    name: "zpopmin",
    arity: -2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Pop the lowest-scored members",
    since: "5.0.0",
    complexity: "O(log(N)*M): N members, M popped.",
    handler: zpopminCommand,
  },
  {
    name: "zpopmax",
    arity: -2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Pop the top-scored members",
    since: "5.0.0",
    complexity: "O(log(N)*M): N members, M popped.",
    handler: zpopmaxCommand,
  },
  {
    name: "zmpop",
    arity: -4,
    flags: ["write"],
    keys: { first: 0, last: 0, step: 0 },
    getKeys: zmpopKeys,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Pop scored members from the first non-empty sorted set",
    since: "7.0.0",
    complexity: "O(K) + O(M*log(N)): K keys, M popped, N members.",
    handler: zmpopCommand,
  },
  {
    name: "bzpopmin",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: BLOCKING_KEYS,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Pop the lowest-scored member of the first non-empty sorted set, waiting if needed",
    since: "5.0.0",
    complexity: "O(log(N))",
    handler: bzpopminCommand,
  },
  {
    name: "bzpopmax",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: BLOCKING_KEYS,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Pop the top-scored member of the first non-empty sorted set, waiting if needed",
    since: "5.0.0",
    complexity: "O(log(N))",
    handler: bzpopmaxCommand,
  },
  {
    name: "bzmpop",
    arity: -5,
    flags: ["write", "blocking"],
    keys: { first: 0, last: 0, step: 0 },
    getKeys: bzmpopKeys,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Pop scored members from the first non-empty sorted set, waiting if needed",
    since: "7.0.0",
    complexity: "O(K) + O(M*log(N)): K keys, M popped, N members.",
    handler: bzmpopCommand,
  },
];
