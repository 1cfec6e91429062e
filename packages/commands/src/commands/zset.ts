/*
 * Sorted set commands (Redis' t_zset.c, command side).
 *
 * Handlers parse their arguments completely before touching the keyspace (a
 * command either runs fully or not at all), use RedisZSet's encoding-agnostic API,
 * and end every mutation with the write epilogue: `db.touched(key, event, ZSet)`,
 * plus a "del" event when a set became empty and its key was removed.
 *
 * Replies follow Redis 7.0 byte for byte: scores are doubles (`%.17g`, `,` frames
 * on RESP3); WITHSCORES replies are flat [member, score, ...] arrays on RESP2 and
 * arrays of [member, score] pairs on RESP3.
 *
 * This file has the writes and point queries (ZADD, ZINCRBY, ZREM, ZCARD,
 * ZSCORE, ZMSCORE, ZRANK, ZREVRANK), ZRANDMEMBER and ZSCAN, and registers the
 * others: ranges in zset-ranges.ts, pops (blocking too) in zset-pops.ts, set
 * algebra in zset-setops.ts; shared helpers in zset-common.ts, argument parsing
 * in zset-args.ts.
 */

import {
  EventClass,
  globMatch,
  RedisZSet,
  ZAddFlag,
  ZAddOutcome,
  ZAddResult,
  ZSetEntry,
} from "@spinel/core-db";
import { formatDouble } from "@spinel/resp";
import { argIs, argString, parseInt64 } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY } from "../command-spec.js";
import { Err } from "../errors.js";
import { matchesEverything, parseCursor, parseScanArgsOrReply } from "../scan-args.js";
import { parseScore } from "./zset-args.js";
import { readZSetOrReply, removedFromZSet, writeMemberWithScore, writeZSetOrReply } from "./zset-common.js";
import { zsetPopCommands } from "./zset-pops.js";
import { zsetRangeCommands } from "./zset-ranges.js";
import { zsetSetOperationCommands } from "./zset-setops.js";

// ---------------------------------------------------------------- shared constants

/** "resulting score is not a number (NaN)": INCR produced NaN. */
const NAN_RESULT_ERROR = "ERR resulting score is not a number (NaN)";
/** LONG_MAX exactly, where the bound itself matters. */
const LONG_MAX_BIG = 9223372036854775807n;

// ---------------------------------------------------------------- ZADD, ZINCRBY

/** One outcome record serves every ZADD (handlers run one at a time). */
const addOutcome = new ZAddOutcome();

/**
 * The shared ZADD / ZINCRBY implementation (Redis' zaddGenericCommand). Options
 * are read from argv[2] on; `initialFlags` carries ZINCRBY's implicit INCR.
 */
function zaddGeneric(c: ClientSession, initialFlags: number): void {
  const argv = c.argv;
  let flags = initialFlags;
  let changed = false;
  let scoreIndex = 2;
  for (; scoreIndex < argv.length; scoreIndex++) {
    const option = argv[scoreIndex]!;
    if (argIs(option, "nx")) flags |= ZAddFlag.NX;
    else if (argIs(option, "xx")) flags |= ZAddFlag.XX;
    else if (argIs(option, "ch")) changed = true;
    else if (argIs(option, "incr")) flags |= ZAddFlag.Incr;
    else if (argIs(option, "gt")) flags |= ZAddFlag.GT;
    else if (argIs(option, "lt")) flags |= ZAddFlag.LT;
    else break;
  }
  const incr = (flags & ZAddFlag.Incr) !== 0;
  const nx = (flags & ZAddFlag.NX) !== 0;
  const gt = (flags & ZAddFlag.GT) !== 0;
  const lt = (flags & ZAddFlag.LT) !== 0;
  const remaining = argv.length - scoreIndex;
  if (remaining === 0 || remaining % 2 !== 0) {
    c.reply.error(Err.syntax);
    return;
  }
  const pairs = remaining / 2;
  if (nx && (flags & ZAddFlag.XX) !== 0) {
    c.reply.error("ERR XX and NX options at the same time are not compatible");
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.reply.error("ERR GT, LT, and/or NX options at the same time are not compatible");
    return;
  }
  if (incr && pairs > 1) {
    c.reply.error("ERR INCR option supports a single increment-element pair");
    return;
  }
  // Parse every score first: the command runs fully or not at all.
  const scores = new Array<number>(pairs);
  for (let i = 0; i < pairs; i++) {
    const score = parseScore(argv[scoreIndex + i * 2]!);
    if (score === null) {
      c.reply.error(Err.notFloat);
      return;
    }
    scores[i] = score;
  }

  const db = c.db;
  const key = argString(argv[1]!);
  let zset = writeZSetOrReply(c, key);
  if (zset === null) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let lastScore = 0;
  if (zset === undefined) {
    if ((flags & ZAddFlag.XX) !== 0) {
      replyZAdd(c, incr, changed, 0, 0, 0, 0);
      return;
    }
    zset = new RedisZSet();
    db.add(key, zset);
  }
  const limits = db.keyspace.limits;
  const outcome = addOutcome;
  for (let i = 0; i < pairs; i++) {
    zset.add(argString(argv[scoreIndex + i * 2 + 1]!), scores[i]!, flags, limits, outcome);
    const result = outcome.result;
    if (result === ZAddResult.NaN) {
      c.reply.error(NAN_RESULT_ERROR);
      if (added + updated > 0) db.touched(key, incr ? "zincr" : "zadd", EventClass.ZSet, added + updated);
      return;
    }
    if (result === ZAddResult.Added) added++;
    else if (result === ZAddResult.Updated) updated++;
    if (result !== ZAddResult.Nop) processed++;
    lastScore = outcome.score;
  }
  replyZAdd(c, incr, changed, added, updated, processed, lastScore);
  if (added + updated > 0) db.touched(key, incr ? "zincr" : "zadd", EventClass.ZSet, added + updated);
}

/** ZADD's reply: the new score for INCR (null when skipped), else the count. */
function replyZAdd(
  c: ClientSession,
  incr: boolean,
  changed: boolean,
  added: number,
  updated: number,
  processed: number,
  score: number,
): void {
  if (incr) {
    if (processed > 0) c.reply.double(score);
    else c.reply.nullBulk();
  } else {
    c.reply.integer(changed ? added + updated : added);
  }
}

/** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...] */
function zaddCommand(c: ClientSession): void {
  zaddGeneric(c, ZAddFlag.None);
}

/** ZINCRBY key increment member */
function zincrbyCommand(c: ClientSession): void {
  zaddGeneric(c, ZAddFlag.Incr);
}

// ---------------------------------------------------------------- ZREM

/** ZREM key member [member ...] */
function zremCommand(c: ClientSession): void {
  const argv = c.argv;
  const key = argString(argv[1]!);
  const zset = writeZSetOrReply(c, key);
  if (zset === null) return;
  if (zset === undefined) {
    c.reply.integer(0);
    return;
  }
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (zset.remove(argString(argv[i]!))) deleted++;
    if (zset.length === 0) break;
  }
  if (deleted > 0) removedFromZSet(c.db, key, zset, "zrem", deleted);
  c.reply.integer(deleted);
}

// ---------------------------------------------------------------- point queries

/** ZCARD key */
function zcardCommand(c: ClientSession): void {
  const zset = readZSetOrReply(c, argString(c.argv[1]!));
  if (zset === null) return;
  c.reply.integer(zset === undefined ? 0 : zset.length);
}

/** ZSCORE key member */
function zscoreCommand(c: ClientSession): void {
  const zset = readZSetOrReply(c, argString(c.argv[1]!));
  if (zset === null) return;
  const score = zset === undefined ? undefined : zset.score(argString(c.argv[2]!));
  if (score === undefined) c.reply.nullBulk();
  else c.reply.double(score);
}

/** ZMSCORE key member [member ...] */
function zmscoreCommand(c: ClientSession): void {
  const argv = c.argv;
  const zset = readZSetOrReply(c, argString(argv[1]!));
  if (zset === null) return;
  c.reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = zset === undefined ? undefined : zset.score(argString(argv[i]!));
    if (score === undefined) c.reply.nullBulk();
    else c.reply.double(score);
  }
}

/** ZRANK / ZREVRANK key member (Redis 7.0: no WITHSCORE). */
function zrankGeneric(c: ClientSession, reverse: boolean): void {
  const zset = readZSetOrReply(c, argString(c.argv[1]!));
  if (zset === null) return;
  const rank = zset === undefined ? -1 : zset.rank(argString(c.argv[2]!));
  if (rank === -1) c.reply.nullBulk();
  else c.reply.integer(reverse ? zset!.length - 1 - rank : rank);
}

/** ZRANK key member */
function zrankCommand(c: ClientSession): void {
  zrankGeneric(c, false);
}

/** ZREVRANK key member */
function zrevrankCommand(c: ClientSession): void {
  zrankGeneric(c, true);
}

// ---------------------------------------------------------------- ZRANDMEMBER

/** Above this ratio of count to size, ZRANDMEMBER copies the set and removes instead of picking. */
const RANDOM_SUBSTRATEGY_FACTOR = 3;

/** ZRANDMEMBER key [count [WITHSCORES]] */
function zrandmemberCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length >= 3) {
    // Exact 64-bit checks: the bounds are not representable as doubles.
    const parsed = parseInt64(argv[2]!);
    if (parsed === null) {
      c.reply.error(Err.notInteger);
      return;
    }
    if (parsed < -LONG_MAX_BIG) {
      c.reply.error(
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
      );
      return;
    }
    if (argv.length > 4 || (argv.length === 4 && !argIs(argv[3]!, "withscores"))) {
      c.reply.error(Err.syntax);
      return;
    }
    const withScores = argv.length === 4;
    if (withScores && (parsed < -LONG_MAX_BIG / 2n || parsed > LONG_MAX_BIG / 2n)) {
      c.reply.error("ERR value is out of range");
      return;
    }
    zrandmemberWithCount(c, Number(parsed), withScores);
    return;
  }
  const zset = readZSetOrReply(c, argString(argv[1]!));
  if (zset === null) return;
  if (zset === undefined) {
    c.reply.nullBulk();
    return;
  }
  const entry = new ZSetEntry();
  zset.randomEntry(entry);
  c.reply.bulkString(entry.member);
}

/** ZRANDMEMBER with a count: distinct members for a positive count, repeats allowed for a negative one. */
function zrandmemberWithCount(c: ClientSession, requested: number, withScores: boolean): void {
  const zset = readZSetOrReply(c, argString(c.argv[1]!));
  if (zset === null) return;
  if (zset === undefined || requested === 0) {
    c.reply.arrayLen(0);
    return;
  }
  const reply = c.reply;
  const flat = withScores && reply.protocol === 2;
  const size = zset.length;
  const unique = requested > 0;
  const count = unique ? requested : -requested;
  const entry = new ZSetEntry();

  // Repeats allowed (or a single member): independent uniform picks.
  if (!unique || count === 1) {
    reply.arrayLen(flat ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      zset.randomEntry(entry);
      writeRandomEntry(c, entry.member, entry.score, withScores);
    }
    return;
  }
  const replySize = count < size ? count : size;
  reply.arrayLen(flat ? replySize * 2 : replySize);

  // Asking for at least the whole set: the whole set, from the highest score down
  // (the order Redis' set-operation iterator walks a sorted set in).
  if (count >= size) {
    const cursor = zset.cursor(size - 1, true);
    while (cursor.next()) writeRandomEntry(c, cursor.member, cursor.score, withScores);
    return;
  }

  // Close to the whole set: copy it and drop random members until `count` remain.
  if (count * RANDOM_SUBSTRATEGY_FACTOR > size) {
    const members: string[] = [];
    const scores: number[] = [];
    const cursor = zset.cursor(0, false);
    while (cursor.next()) {
      members.push(cursor.member);
      scores.push(cursor.score);
    }
    for (let remaining = size; remaining > count; remaining--) {
      const victim = Math.floor(Math.random() * remaining);
      members[victim] = members[remaining - 1]!;
      scores[victim] = scores[remaining - 1]!;
    }
    for (let i = 0; i < count; i++) writeRandomEntry(c, members[i]!, scores[i]!, withScores);
    return;
  }

  // Far from the whole set: pick at random until `count` distinct members.
  const picked = new Set<string>();
  while (picked.size < count) {
    zset.randomEntry(entry);
    if (picked.has(entry.member)) continue;
    picked.add(entry.member);
    writeRandomEntry(c, entry.member, entry.score, withScores);
  }
}

/** One element of a ZRANDMEMBER reply. */
function writeRandomEntry(c: ClientSession, member: string, score: number, withScores: boolean): void {
  if (withScores) writeMemberWithScore(c, member, score);
  else c.reply.bulkString(member);
}

// ---------------------------------------------------------------- ZSCAN

const EMPTY_SCAN = Buffer.from("*2\r\n$1\r\n0\r\n*0\r\n");

/** ZSCAN key cursor [MATCH pattern] [COUNT count] */
function zscanCommand(c: ClientSession): void {
  const argv = c.argv;
  if (parseCursor(argv[2]!) === null) {
    c.reply.error("ERR invalid cursor");
    return;
  }
  const zset = readZSetOrReply(c, argString(argv[1]!));
  if (zset === null) return;
  if (zset === undefined) {
    c.reply.raw(EMPTY_SCAN);
    return;
  }
  const options = parseScanArgsOrReply(c, 2, false);
  if (options === null) return;
  const members: string[] = [];
  const scoreTexts: string[] = [];
  const next = zset.scan(options.cursor, options.count, formatDouble, members, scoreTexts);
  const reply = c.reply;
  reply.arrayLen(2);
  reply.bulkString(String(next));
  const pattern = options.match;
  if (matchesEverything(pattern)) {
    reply.arrayLen(members.length * 2);
    for (let i = 0; i < members.length; i++) {
      reply.bulkString(members[i]!);
      reply.bulkString(scoreTexts[i]!);
    }
    return;
  }
  let matched = 0;
  for (let i = 0; i < members.length; i++) if (globMatch(pattern!, members[i]!)) matched++;
  reply.arrayLen(matched * 2);
  for (let i = 0; i < members.length; i++) {
    if (!globMatch(pattern!, members[i]!)) continue;
    reply.bulkString(members[i]!);
    reply.bulkString(scoreTexts[i]!);
  }
}

// ---------------------------------------------------------------- specs

export const zsetCommands: readonly CommandSpec[] = [
  {
    name: "zadd",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Add members to a sorted set, or change their scores",
    since: "1.2.0",
    complexity: "O(log(N)) per member, N = members.",
    handler: zaddCommand,
  },
  {
    name: "zincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Add to a member's score",
    since: "1.2.0",
    complexity: "O(log(N))",
    handler: zincrbyCommand,
  },
  {
    name: "zrem",
    arity: -3,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove members from a sorted set",
    since: "1.2.0",
    complexity: "O(M*log(N)): M removed, N members.",
    handler: zremCommand,
  },
  {
    name: "zcard",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "How many members a sorted set has",
    since: "1.2.0",
    complexity: "O(1)",
    handler: zcardCommand,
  },
  {
    name: "zscore",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Score of a member",
    since: "1.2.0",
    complexity: "O(1)",
    handler: zscoreCommand,
  },
  {
    name: "zmscore",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Scores of several members",
    since: "6.2.0",
    complexity: "O(N), N = members asked for.",
    handler: zmscoreCommand,
  },
  {
    name: "zrank",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Position of a member, lowest score first",
    since: "2.0.0",
    complexity: "O(log(N))",
    handler: zrankCommand,
  },
  {
    name: "zrevrank",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Position of a member, highest score first",
    since: "2.0.0",
    complexity: "O(log(N))",
    handler: zrevrankCommand,
  },
  {
    name: "zrandmember",
    arity: -2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Random members of a sorted set",
    since: "6.2.0",
    complexity: "O(N), N = members returned.",
    handler: zrandmemberCommand,
  },
  {
    name: "zscan",
    arity: -3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Walk a sorted set's members and scores with a cursor",
    since: "2.8.0",
    complexity: "O(1) a call; O(N) over a whole iteration of N elements.",
    handler: zscanCommand,
  },
  ...zsetRangeCommands,
  ...zsetPopCommands,
  ...zsetSetOperationCommands,
];
