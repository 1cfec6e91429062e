/*
 * Sorted set ranges (Redis' zrangeGenericCommand and friends): ZRANGE with
 * BYSCORE / BYLEX / REV / LIMIT / WITHSCORES, the legacy ZREVRANGE,
 * Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX, ZRANGESTORE, ZCOUNT, ZLEXCOUNT and
 * ZREMRANGEBYRANK / SCORE / LEX.
 *
 * Ranks are 0-based, negative ones count from the end. Score bounds take "(" for
 * exclusive and -inf / +inf; lex bounds are "[x", "(x", "-" and "+". LIMIT skips
 * `offset` elements (a negative offset gives nothing) and returns at most `count`
 * (negative: no limit), as Redis does.
 */

import {
  EventClass,
  type LexRange,
  lexGteMin,
  lexLteMax,
  RedisZSet,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
  type ZSetCursor,
} from "@spinel/core-db";
import { argIs, argString, getLongOrReply } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY, type KeyPositions } from "../command-spec.js";
import { Err } from "../errors.js";
import { parseLexRangeOrReply, parseScoreRangeOrReply } from "./zset-args.js";
import { readZSetOrReply, removedFromZSet, writeMemberWithScore, writeZSetOrReply } from "./zset-common.js";

// ---------------------------------------------------------------- ZREMRANGEBY*

/** Which kind of range a ZRANGE-family or ZREMRANGEBY* command takes. */
enum RangeKind {
  Auto = 0,
  Rank = 1,
  Score = 2,
  Lex = 3,
}

/** Keyspace events of ZREMRANGEBYRANK / SCORE / LEX. */
const REMOVE_RANGE_EVENTS = ["", "zremrangebyrank", "zremrangebyscore", "zremrangebylex"] as const;

/** The shared ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX implementation. */
function zremrangeGeneric(c: ClientSession, kind: RangeKind.Rank | RangeKind.Score | RangeKind.Lex): void {
  const argv = c.argv;
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (kind === RangeKind.Rank) {
    const parsedStart = getLongOrReply(c, argv[2]!);
    if (parsedStart === null) return;
    const parsedEnd = getLongOrReply(c, argv[3]!);
    if (parsedEnd === null) return;
    start = parsedStart;
    end = parsedEnd;
  } else if (kind === RangeKind.Score) {
    scoreRange = parseScoreRangeOrReply(c, argv[2]!, argv[3]!);
    if (scoreRange === null) return;
  } else {
    lexRange = parseLexRangeOrReply(c, argv[2]!, argv[3]!);
    if (lexRange === null) return;
  }

  const key = argString(argv[1]!);
  const zset = writeZSetOrReply(c, key);
  if (zset === null) return;
  if (zset === undefined) {
    c.reply.integer(0);
    return;
  }
  let removed = 0;
  if (kind === RangeKind.Rank) {
    const length = zset.length;
    if (start < 0) start = length + start;
    if (end < 0) end = length + end;
    if (start < 0) start = 0;
    if (start > end || start >= length) {
      c.reply.integer(0);
      return;
    }
    if (end >= length) end = length - 1;
    removed = zset.removeRankRange(start, end);
  } else if (scoreRange !== null) {
    removed = zset.removeScoreRange(scoreRange);
  } else {
    removed = zset.removeLexRange(lexRange!);
  }
  if (removed > 0) removedFromZSet(c.db, key, zset, REMOVE_RANGE_EVENTS[kind], removed);
  c.reply.integer(removed);
}

/** ZREMRANGEBYRANK key start stop */
function zremrangebyrankCommand(c: ClientSession): void {
  zremrangeGeneric(c, RangeKind.Rank);
}

/** ZREMRANGEBYSCORE key min max */
function zremrangebyscoreCommand(c: ClientSession): void {
  zremrangeGeneric(c, RangeKind.Score);
}

/** ZREMRANGEBYLEX key min max */
function zremrangebylexCommand(c: ClientSession): void {
  zremrangeGeneric(c, RangeKind.Lex);
}

// ---------------------------------------------------------------- ZCOUNT, ZLEXCOUNT

/** ZCOUNT key min max */
function zcountCommand(c: ClientSession): void {
  const range = parseScoreRangeOrReply(c, c.argv[2]!, c.argv[3]!);
  if (range === null) return;
  const zset = readZSetOrReply(c, argString(c.argv[1]!));
  if (zset === null) return;
  c.reply.integer(zset === undefined ? 0 : zset.countInScoreRange(range));
}

/** ZLEXCOUNT key min max */
function zlexcountCommand(c: ClientSession): void {
  const range = parseLexRangeOrReply(c, c.argv[2]!, c.argv[3]!);
  if (range === null) return;
  const zset = readZSetOrReply(c, argString(c.argv[1]!));
  if (zset === null) return;
  c.reply.integer(zset === undefined ? 0 : zset.countInLexRange(range));
}

// ---------------------------------------------------------------- ZRANGE family

/**
 * Where a range goes (Redis' zrange_result_handler): to the client, or collected
 * for ZRANGESTORE. One instance per command.
 */
class RangeResult {
  private readonly c: ClientSession;
  /** Destination key bytes for ZRANGESTORE, else null. */
  private readonly destination: Buffer | null;
  private readonly withScores: boolean;
  private readonly members: string[];
  private readonly scores: number[];
  private count: number;
  /** Deferred reply length token, or -1 when the length was given up front. */
  private deferred: number;

  constructor(c: ClientSession, destination: Buffer | null, withScores: boolean) {
    this.c = c;
    this.destination = destination;
    this.withScores = withScores;
    this.members = [];
    this.scores = [];
    this.count = 0;
    this.deferred = -1;
  }

  /** Start the result; `length` is the exact count, or -1 when not known yet. */
  begin(length: number): void {
    if (this.destination !== null) return;
    const reply = this.c.reply;
    if (length > 0) reply.arrayLen(this.withScores && reply.protocol === 2 ? length * 2 : length);
    else this.deferred = reply.beginDeferredLength();
  }

  /** Add one element. */
  emit(member: string, score: number): void {
    this.count++;
    if (this.destination !== null) {
      this.members.push(member);
      this.scores.push(score);
      return;
    }
    if (this.withScores) writeMemberWithScore(this.c, member, score);
    else this.c.reply.bulkString(member);
  }

  /** emit() of the cursor's current element; a plain reply writes the member without a string made for it. */
  emitFrom(cursor: ZSetCursor): void {
    if (this.destination === null && !this.withScores) {
      this.count++;
      cursor.writeMember(this.c.reply);
    } else {
      this.emit(cursor.member, cursor.score);
    }
  }

  /**
   * Finish: fix the deferred length, or store the collected range (an empty one
   * deletes the destination) and reply with its size.
   */
  finish(): void {
    const c = this.c;
    if (this.destination === null) {
      if (this.deferred !== -1) {
        const count = this.withScores && c.reply.protocol === 2 ? this.count * 2 : this.count;
        c.reply.setDeferredLength(this.deferred, count);
      }
      return;
    }
    const db = c.db;
    const key = argString(this.destination);
    if (this.count > 0) {
      db.set(key, RedisZSet.fromEntries(this.members, this.scores, db.keyspace.limits));
      db.touched(key, "zrangestore", EventClass.ZSet);
      c.reply.integer(this.count);
    } else {
      c.reply.integer(0);
      if (db.delete(key)) db.touched(key, "del", EventClass.Generic);
    }
  }
}

/**
 * The shared ZRANGE implementation (Redis' zrangeGenericCommand): ZRANGE with its
 * BYSCORE / BYLEX / REV / LIMIT / WITHSCORES options, the legacy ZRANGEBYSCORE,
 * ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX and ZREVRANGE, and ZRANGESTORE
 * (`destination` set). `keyIndex` is the source key's position in argv; `kind`
 * and `reverse` are fixed by the legacy commands, left open (Auto / null) by
 * ZRANGE and ZRANGESTORE.
 */
function zrangeGeneric(
  c: ClientSession,
  keyIndex: number,
  destination: Buffer | null,
  kind: RangeKind,
  reverse: boolean | null,
): void {
  const argv = c.argv;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  let hasLimit = false;
  for (let j = keyIndex + 3; j < argv.length; j++) {
    const option = argv[j]!;
    const left = argv.length - j - 1;
    if (destination === null && argIs(option, "withscores")) {
      withScores = true;
    } else if (argIs(option, "limit") && left >= 2) {
      const parsedOffset = getLongOrReply(c, argv[j + 1]!);
      if (parsedOffset === null) return;
      const parsedLimit = getLongOrReply(c, argv[j + 2]!);
      if (parsedLimit === null) return;
      offset = parsedOffset;
      limit = parsedLimit;
      hasLimit = limit !== -1;
      j += 2;
    } else if (reverse === null && argIs(option, "rev")) {
      reverse = true;
    } else if (kind === RangeKind.Auto && argIs(option, "bylex")) {
      kind = RangeKind.Lex;
    } else if (kind === RangeKind.Auto && argIs(option, "byscore")) {
      kind = RangeKind.Score;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  if (reverse === null) reverse = false;
  if (kind === RangeKind.Auto) kind = RangeKind.Rank;
  if (hasLimit && kind === RangeKind.Rank) {
    c.reply.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    return;
  }
  if (withScores && kind === RangeKind.Lex) {
    c.reply.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return;
  }
  // Score and lex ranges of reverse forms are given as max, min.
  let minArg = argv[keyIndex + 1]!;
  let maxArg = argv[keyIndex + 2]!;
  if (reverse && kind !== RangeKind.Rank) {
    const swap = minArg;
    minArg = maxArg;
    maxArg = swap;
  }
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (kind === RangeKind.Rank) {
    const parsedStart = getLongOrReply(c, minArg);
    if (parsedStart === null) return;
    const parsedEnd = getLongOrReply(c, maxArg);
    if (parsedEnd === null) return;
    start = parsedStart;
    end = parsedEnd;
  } else if (kind === RangeKind.Score) {
    scoreRange = parseScoreRangeOrReply(c, minArg, maxArg);
    if (scoreRange === null) return;
  } else {
    lexRange = parseLexRangeOrReply(c, minArg, maxArg);
    if (lexRange === null) return;
  }

  const result = new RangeResult(c, destination, withScores);
  const zset = readZSetOrReply(c, argString(argv[keyIndex]!));
  if (zset === null) return;
  if (zset === undefined) {
    if (destination !== null) {
      result.begin(-1);
      result.finish();
    } else {
      c.reply.arrayLen(0);
    }
    return;
  }
  if (kind === RangeKind.Rank) rangeByRank(zset, result, start, end, reverse);
  else if (scoreRange !== null) rangeByScore(zset, result, scoreRange, offset, limit, reverse);
  else rangeByLex(zset, result, lexRange!, offset, limit, reverse);
}

/** Emit ranks start..end (negative = from the end), in either direction. */
function rangeByRank(
  zset: RedisZSet,
  result: RangeResult,
  start: number,
  end: number,
  reverse: boolean,
): void {
  const length = zset.length;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) {
    result.begin(0);
    result.finish();
    return;
  }
  if (end >= length) end = length - 1;
  let count = end - start + 1;
  result.begin(count);
  const cursor = reverse ? zset.cursor(length - 1 - start, true) : zset.cursor(start, false);
  while (count-- > 0 && cursor.next()) result.emitFrom(cursor);
  result.finish();
}

/**
 * Emit the elements in a score range, skipping `offset`, at most `limit` of them
 * (negative = no limit), walking from the first (last, when `reverse`) element
 * in range as Redis does. A negative offset gives nothing, as in Redis.
 */
function rangeByScore(
  zset: RedisZSet,
  result: RangeResult,
  range: ScoreRange,
  offset: number,
  limit: number,
  reverse: boolean,
): void {
  result.begin(-1);
  if (offset >= 0 && !(offset > 0 && offset >= zset.length)) {
    const cursor = zset.scoreRangeCursor(range, reverse);
    let inRange = true;
    for (let skipped = 0; skipped < offset && inRange; skipped++) inRange = cursor.next();
    while (inRange && limit !== 0 && cursor.next()) {
      if (reverse ? !scoreGteMin(cursor.score, range) : !scoreLteMax(cursor.score, range)) break;
      result.emit(cursor.member, cursor.score);
      limit--;
    }
  }
  result.finish();
}

/** Emit the elements in a lex range, with ZRANGEBYSCORE's offset and limit rules. */
function rangeByLex(
  zset: RedisZSet,
  result: RangeResult,
  range: LexRange,
  offset: number,
  limit: number,
  reverse: boolean,
): void {
  result.begin(-1);
  if (offset >= 0 && !(offset > 0 && offset >= zset.length)) {
    const cursor = zset.lexRangeCursor(range, reverse);
    let inRange = true;
    for (let skipped = 0; skipped < offset && inRange; skipped++) inRange = cursor.next();
    while (inRange && limit !== 0 && cursor.next()) {
      if (reverse ? !lexGteMin(cursor.member, range) : !lexLteMax(cursor.member, range)) break;
      result.emit(cursor.member, cursor.score);
      limit--;
    }
  }
  result.finish();
}

/** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
function zrangeCommand(c: ClientSession): void {
  zrangeGeneric(c, 1, null, RangeKind.Auto, null);
}

/** ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count] */
function zrangestoreCommand(c: ClientSession): void {
  zrangeGeneric(c, 2, c.argv[1]!, RangeKind.Auto, null);
}

/** ZREVRANGE key start stop [WITHSCORES] */
function zrevrangeCommand(c: ClientSession): void {
  zrangeGeneric(c, 1, null, RangeKind.Rank, true);
}

/** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
function zrangebyscoreCommand(c: ClientSession): void {
  zrangeGeneric(c, 1, null, RangeKind.Score, false);
}

/** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
function zrevrangebyscoreCommand(c: ClientSession): void {
  zrangeGeneric(c, 1, null, RangeKind.Score, true);
}

/** ZRANGEBYLEX key min max [LIMIT offset count] */
function zrangebylexCommand(c: ClientSession): void {
  zrangeGeneric(c, 1, null, RangeKind.Lex, false);
}

/** ZREVRANGEBYLEX key max min [LIMIT offset count] */
function zrevrangebylexCommand(c: ClientSession): void {
  zrangeGeneric(c, 1, null, RangeKind.Lex, true);
}

// ---------------------------------------------------------------- specs

/** ZRANGESTORE: destination and source. */
const STORE_KEYS: KeyPositions = { first: 1, last: 2, step: 1 };

/** Specs of the range commands (registered by zset.ts). */
export const zsetRangeCommands: readonly CommandSpec[] = [
  {
    name: "zremrangebyrank",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove members within a rank range",
    since: "2.0.0",
    complexity: "O(log(N)+M): N members, M removed.",
    handler: zremrangebyrankCommand,
  },
  {
    name: "zremrangebyscore",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove members within a score range",
    since: "1.2.0",
    complexity: "O(log(N)+M): N members, M removed.",
    handler: zremrangebyscoreCommand,
  },
  {
    name: "zremrangebylex",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove members within a lexicographic range",
    since: "2.8.9",
    complexity: "O(log(N)+M): N members, M removed.",
    handler: zremrangebylexCommand,
  },
  {
    name: "zcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Count members within a score range",
    since: "2.0.0",
    complexity: "O(log(N))",
    handler: zcountCommand,
  },
  {
    name: "zlexcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Count members within a lexicographic range",
    since: "2.8.9",
    complexity: "O(log(N))",
    handler: zlexcountCommand,
  },
  {
    name: "zrange",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Members by rank, score or lexicographic range",
    since: "1.2.0",
    complexity: "O(log(N)+M): N members, M returned.",
    handler: zrangeCommand,
  },
  {
    name: "zrangestore",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: STORE_KEYS,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Store a range of a sorted set in a key",
    since: "6.2.0",
    complexity: "O(log(N)+M): N members, M stored.",
    handler: zrangestoreCommand,
  },
  {
    name: "zrevrange",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Members by rank, highest score first",
    since: "1.2.0",
    complexity: "O(log(N)+M): N members, M returned.",
    handler: zrevrangeCommand,
  },
  {
    name: "zrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Members within a score range",
    since: "1.0.5",
    complexity: "O(log(N)+M): N members, M returned.",
    handler: zrangebyscoreCommand,
  },
  {
    name: "zrevrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Members within a score range, highest first",
    since: "2.2.0",
    complexity: "O(log(N)+M): N members, M returned.",
    handler: zrevrangebyscoreCommand,
  },
  {
    name: "zrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Members within a lexicographic range",
    since: "2.8.9",
    complexity: "O(log(N)+M): N members, M returned.",
    handler: zrangebylexCommand,
  },
  {
    name: "zrevrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Members within a lexicographic range, last first",
    since: "2.8.9",
    complexity: "O(log(N)+M): N members, M returned.",
    handler: zrevrangebylexCommand,
  },
];
