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
 * The set-algebra commands (ZUNION, ZINTER, ZDIFF and their STORE forms,
 * ZINTERCARD) live in zset-setops.ts, argument parsing in zset-args.ts.
 */

import {
  type Database,
  EventClass,
  globMatch,
  type LexRange,
  lexGteMin,
  lexLteMax,
  RedisZSet,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
  ZAddFlag,
  ZAddOutcome,
  ZAddResult,
  ZSetEntry,
} from "@spinel/core-db";
import { formatDouble } from "@spinel/resp";
import { argIs, argString, getLongOrReply, getRangeLongOrReply, parseInt64 } from "../args.js";
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
import { matchesEverything, parseCursor, parseScanArgsOrReply } from "../scan-args.js";
import {
  numkeysKeyPositions,
  parseLexRangeOrReply,
  parseScore,
  parseScoreRangeOrReply,
} from "./zset-args.js";
import { zsetSetOperationCommands } from "./zset-setops.js";

// ---------------------------------------------------------------- shared helpers

/** "resulting score is not a number (NaN)": INCR produced NaN. */
const NAN_RESULT_ERROR = "ERR resulting score is not a number (NaN)";
/** LONG_MAX as a double (2^63 after rounding), for range arguments. */
const LONG_MAX = 2 ** 63;
/** LONG_MAX exactly, where the bound itself matters. */
const LONG_MAX_BIG = 9223372036854775807n;

/**
 * The sorted set at `key` for a read command: the value, undefined when the key
 * is missing, or null after replying WRONGTYPE.
 */
function readZSetOrReply(c: ClientSession, key: string): RedisZSet | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || value.type === "zset") return value;
  c.reply.error(Err.wrongType);
  return null;
}

/** Like readZSetOrReply, for a write command (no hit/miss accounting). */
function writeZSetOrReply(c: ClientSession, key: string): RedisZSet | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || value.type === "zset") return value;
  c.reply.error(Err.wrongType);
  return null;
}

/** Reply with one element of a WITHSCORES reply: [member, score] nested on RESP3. */
function writeMemberWithScore(c: ClientSession, member: string, score: number): void {
  const reply = c.reply;
  if (reply.protocol === 3) reply.arrayLen(2);
  reply.bulkString(member);
  reply.double(score);
}

/**
 * After removing members from the set at `key` of `db`: the write epilogue with `event`
 * and `removed` dirty units, and when the set is now empty, removal of the key
 * with Redis' "del" event.
 */
function removedFromZSet(db: Database, key: string, zset: RedisZSet, event: string, removed: number): void {
  const emptied = zset.length === 0;
  if (emptied) db.delete(key);
  db.touched(key, event, EventClass.ZSet, removed);
  if (emptied) db.notify(key, "del", EventClass.Generic);
}

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

// ---------------------------------------------------------------- ZREM, ZREMRANGEBY*

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
  while (count-- > 0 && cursor.next()) result.emit(cursor.member, cursor.score);
  result.finish();
}

/**
 * Emit the elements in a score range, skipping `offset`, at most `limit` of them
 * (negative = no limit). A negative offset gives nothing, as in Redis.
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
  const length = zset.length;
  let rank =
    offset < 0 || (offset > 0 && offset >= length)
      ? -1
      : reverse
        ? zset.lastInScoreRange(range)
        : zset.firstInScoreRange(range);
  if (rank !== -1) {
    rank = reverse ? rank - offset : rank + offset;
    const cursor = zset.cursor(rank, reverse);
    while (limit !== 0 && cursor.next()) {
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
  const length = zset.length;
  let rank =
    offset < 0 || (offset > 0 && offset >= length)
      ? -1
      : reverse
        ? zset.lastInLexRange(range)
        : zset.firstInLexRange(range);
  if (rank !== -1) {
    rank = reverse ? rank - offset : rank + offset;
    const cursor = zset.cursor(rank, reverse);
    while (limit !== 0 && cursor.next()) {
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

/** Keys of ZMPOP: numkeys at argv[1]. */
function zmpopKeys(argv: readonly Buffer[]): number[] {
  return numkeysKeyPositions(argv, 1, 0);
}

/** Keys of BZMPOP: numkeys at argv[2]. */
function bzmpopKeys(argv: readonly Buffer[]): number[] {
  return numkeysKeyPositions(argv, 2, 0);
}

const STORE_KEYS: KeyPositions = { first: 1, last: 2, step: 1 };
/** BZPOPMIN / BZPOPMAX: every argument but the last (the timeout) is a key. */
const BLOCKING_KEYS: KeyPositions = { first: 1, last: -2, step: 1 };

export const zsetCommands: readonly CommandSpec[] = [
  {
    name: "zadd",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Add one or more members to a sorted set, or update its score if it already exists",
    since: "1.2.0",
    complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    handler: zaddCommand,
  },
  {
    name: "zincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Increment the score of a member in a sorted set",
    since: "1.2.0",
    complexity: "O(log(N)) where N is the number of elements in the sorted set.",
    handler: zincrbyCommand,
  },
  {
    name: "zrem",
    arity: -3,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove one or more members from a sorted set",
    since: "1.2.0",
    complexity:
      "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
    handler: zremCommand,
  },
  {
    name: "zremrangebyrank",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove all members in a sorted set within the given indexes",
    since: "2.0.0",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    handler: zremrangebyrankCommand,
  },
  {
    name: "zremrangebyscore",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove all members in a sorted set within the given scores",
    since: "1.2.0",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    handler: zremrangebyscoreCommand,
  },
  {
    name: "zremrangebylex",
    arity: 4,
    flags: ["write"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove all members in a sorted set between the given lexicographical range",
    since: "2.8.9",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    handler: zremrangebylexCommand,
  },
  {
    name: "zcard",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Get the number of members in a sorted set",
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
    summary: "Get the score associated with the given member in a sorted set",
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
    summary: "Get the score associated with the given members in a sorted set",
    since: "6.2.0",
    complexity: "O(N) where N is the number of members being requested.",
    handler: zmscoreCommand,
  },
  {
    name: "zrank",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Determine the index of a member in a sorted set",
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
    summary: "Determine the index of a member in a sorted set, with scores ordered from high to low",
    since: "2.0.0",
    complexity: "O(log(N))",
    handler: zrevrankCommand,
  },
  {
    name: "zcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Count the members in a sorted set with scores within the given values",
    since: "2.0.0",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    handler: zcountCommand,
  },
  {
    name: "zlexcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Count the number of members in a sorted set between a given lexicographical range",
    since: "2.8.9",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    handler: zlexcountCommand,
  },
  {
    name: "zrange",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Return a range of members in a sorted set",
    since: "1.2.0",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    handler: zrangeCommand,
  },
  {
    name: "zrangestore",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: STORE_KEYS,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Store a range of members from sorted set into another key",
    since: "6.2.0",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
    handler: zrangestoreCommand,
  },
  {
    name: "zrevrange",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Return a range of members in a sorted set, by index, with scores ordered from high to low",
    since: "1.2.0",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    handler: zrevrangeCommand,
  },
  {
    name: "zrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Return a range of members in a sorted set, by score",
    since: "1.0.5",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    handler: zrangebyscoreCommand,
  },
  {
    name: "zrevrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Return a range of members in a sorted set, by score, with scores ordered from high to low",
    since: "2.2.0",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    handler: zrevrangebyscoreCommand,
  },
  {
    name: "zrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Return a range of members in a sorted set, by lexicographical range",
    since: "2.8.9",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    handler: zrangebylexCommand,
  },
  {
    name: "zrevrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary:
      "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
    since: "2.8.9",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    handler: zrevrangebylexCommand,
  },
  {
    name: "zpopmin",
    arity: -2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove and return members with the lowest scores in a sorted set",
    since: "5.0.0",
    complexity:
      "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    handler: zpopminCommand,
  },
  {
    name: "zpopmax",
    arity: -2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Remove and return members with the highest scores in a sorted set",
    since: "5.0.0",
    complexity:
      "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
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
    summary: "Remove and return members with scores in a sorted set",
    since: "7.0.0",
    complexity:
      "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    handler: zmpopCommand,
  },
  {
    name: "bzpopmin",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: BLOCKING_KEYS,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary:
      "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
    since: "5.0.0",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    handler: bzpopminCommand,
  },
  {
    name: "bzpopmax",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: BLOCKING_KEYS,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary:
      "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
    since: "5.0.0",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
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
    summary: "Remove and return members with scores in a sorted set or block until one is available",
    since: "7.0.0",
    complexity:
      "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    handler: bzmpopCommand,
  },
  {
    name: "zrandmember",
    arity: -2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Get one or multiple random elements from a sorted set",
    since: "6.2.0",
    complexity: "O(N) where N is the number of elements returned",
    handler: zrandmemberCommand,
  },
  {
    name: "zscan",
    arity: -3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Incrementally iterate sorted sets elements and associated scores",
    since: "2.8.0",
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    handler: zscanCommand,
  },
  ...zsetSetOperationCommands,
];
