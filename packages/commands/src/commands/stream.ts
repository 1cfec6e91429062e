/*
 * Stream commands (Redis' t_stream.c): XADD, XRANGE, XREVRANGE, XLEN, XDEL,
 * XTRIM and XSETID here; XREAD / XREADGROUP in stream-read.ts, consumer
 * groups in stream-groups.ts, XINFO in stream-info.ts. This file also
 * collects the specs of the whole group.
 *
 * Propagation follows Redis 7.0: XADD carries the ID it really used (an `*` or
 * `ms-*` is replaced), and an approximate trim (`~`, maybe with LIMIT) is
 * rewritten as an exact one to the length or first ID it left, so a replica
 * or the AOF trims exactly the same entries.
 */

import { EventClass, RedisStream, type StreamID, TrimStrategy } from "@spinel/core-db";
import { argIs, argString, parseInt64 } from "../args.js";
import { ClientFlag, type ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY } from "../command-spec.js";
import { Err, wrongArity } from "../errors.js";
import {
  idArg,
  lastSeqGiven,
  parseRangeBoundOrReply,
  parseStreamId,
  parseStreamIdOrReply,
  readStreamOrReply,
  StreamErr,
  writeRange,
  writeStreamOrReply,
} from "./stream-common.js";
import { streamGroupCommands } from "./stream-groups.js";
import { streamInfoCommands } from "./stream-info.js";
import { streamReadCommands } from "./stream-read.js";

// ---------------------------------------------------------------- trim arguments

/** Parsed XADD / XTRIM options (Redis' streamAddTrimArgs). */
class AddTrimArgs {
  strategy: TrimStrategy = TrimStrategy.None;
  maxLen = 0;
  minId: StreamID | null = null;
  approx = false;
  limit = 0;
  /** argv index of the MAXLEN / MINID value. */
  strategyArgIndex = 0;
  noMkStream = false;
  /** The ID given to XADD, or null for `*`. */
  id: StreamID | null = null;
  seqGiven = true;
  /** argv index of the ID (XADD), or of the first field. */
  idIndex = 0;

  /** Back to "no options" (the parser reuses one instance: commands never nest here). */
  reset(): void {
    this.strategy = TrimStrategy.None;
    this.maxLen = 0;
    this.minId = null;
    this.approx = false;
    this.limit = 0;
    this.strategyArgIndex = 0;
    this.noMkStream = false;
    this.id = null;
    this.seqGiven = true;
    this.idIndex = 0;
  }
}

/** The parsed options of the running XADD / XTRIM (one at a time: handlers do not nest). */
const scratchArgs = new AddTrimArgs();

const TILDE = 0x7e;
const EQUALS = 0x3d;
const INT64_MAX = 9223372036854775807n;

/**
 * Parse XADD's (`xadd`) or XTRIM's options from argv[2] as Redis'
 * streamParseAddOrTrimArgsOrReply. Returns the parsed options with idIndex
 * at the ID (XADD), or null after replying the error.
 */
function parseAddTrimArgsOrReply(c: ClientSession, xadd: boolean): AddTrimArgs | null {
  const argv = c.argv;
  const args = scratchArgs;
  args.reset();
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt.length === 1 && opt[0] === 0x2a /* * */) {
      break;
    } else if ((argIs(opt, "maxlen") || argIs(opt, "minid")) && more > 0) {
      const maxlen = argIs(opt, "maxlen");
      if (args.strategy !== TrimStrategy.None) {
        c.reply.error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        return null;
      }
      args.approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next.length === 1 && next[0] === TILDE) {
        args.approx = true;
        i++;
      } else if (more >= 2 && next.length === 1 && next[0] === EQUALS) {
        i++;
      }
      if (maxlen) {
        const value = parseInt64(argv[i + 1]!);
        if (value === null) {
          c.reply.error(Err.notInteger);
          return null;
        }
        if (value < 0n) {
          c.reply.error("ERR The MAXLEN argument must be >= 0.");
          return null;
        }
        args.maxLen = value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
        args.strategy = TrimStrategy.MaxLen;
      } else {
        const id = parseStreamIdOrReply(c, argv[i + 1]!, 0n, true);
        if (id === null) return null;
        args.minId = id;
        args.strategy = TrimStrategy.MinId;
      }
      i++;
      args.strategyArgIndex = i;
    } else if (argIs(opt, "limit") && more > 0) {
      const value = parseInt64(argv[i + 1]!);
      if (value === null) {
        c.reply.error(Err.notInteger);
        return null;
      }
      if (value < 0n) {
        c.reply.error("ERR The LIMIT argument must be >= 0.");
        return null;
      }
      args.limit = value > INT64_MAX ? Number.MAX_SAFE_INTEGER : Number(value);
      limitGiven = true;
      i++;
    } else if (xadd && argIs(opt, "nomkstream")) {
      args.noMkStream = true;
    } else if (xadd) {
      const id = parseStreamId(opt, 0n, true, true);
      if (id === null) {
        c.reply.error(StreamErr.invalidId);
        return null;
      }
      args.id = id;
      args.seqGiven = lastSeqGiven;
      break;
    } else {
      c.reply.error(Err.syntax);
      return null;
    }
  }
  args.idIndex = i;
  if (args.limit !== 0 && args.strategy === TrimStrategy.None) {
    c.reply.error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return null;
  }
  if (!xadd && args.strategy === TrimStrategy.None) {
    c.reply.error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return null;
  }
  if ((c.flags & (ClientFlag.Loading | ClientFlag.Primary)) !== 0) {
    // Replayed commands were rewritten to exact trims: never limit them.
    args.limit = 0;
  } else if (limitGiven) {
    if (!args.approx) {
      c.reply.error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return null;
    }
  } else if (args.approx) {
    const limit = 100 * c.server.keyspace.limits.streamNodeMaxEntries;
    args.limit = limit <= 0 || limit > 1_000_000 ? 10_000 : limit;
  } else {
    args.limit = 0;
  }
  return args;
}

const EQUALS_ARG = Buffer.from("=");

/**
 * After an approximate trim: rewrite `~` into `=` and the MAXLEN / MINID value
 * into what the trim left (the length, or the first entry's ID counting
 * deleted ones), so replaying trims exactly the same entries (Redis'
 * streamRewriteApproxSpecifier + streamRewriteTrimArgument).
 */
function rewriteApproxTrim(c: ClientSession, stream: RedisStream, args: AddTrimArgs, argv: Buffer[]): void {
  argv[args.strategyArgIndex - 1] = EQUALS_ARG;
  if (args.strategy === TrimStrategy.MaxLen) {
    argv[args.strategyArgIndex] = Buffer.from(String(stream.length));
  } else {
    argv[args.strategyArgIndex] = idArg(stream.firstIdWithTombstones());
  }
  c.rewritePropagation(argv);
}

function trimStream(stream: RedisStream, args: AddTrimArgs): number {
  return stream.trim(args.strategy, args.maxLen, args.minId ?? stream.firstId, args.approx, args.limit);
}

// ---------------------------------------------------------------- XADD

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
function xaddCommand(c: ClientSession): void {
  const args = parseAddTrimArgsOrReply(c, true);
  if (args === null) return;
  const argv = c.argv;
  const fieldStart = args.idIndex + 1;
  const pairItems = argv.length - fieldStart;
  if (pairItems < 2 || pairItems % 2 === 1) {
    c.reply.error(wrongArity("xadd"));
    return;
  }
  const given = args.id;
  if (given !== null && args.seqGiven && given.isZero()) {
    c.reply.error("ERR The ID specified in XADD must be greater than 0-0");
    return;
  }
  const key = argString(argv[1]!);
  const db = c.db;
  let stream = writeStreamOrReply(c, key);
  if (stream === null) return;
  if (stream === undefined) {
    if (args.noMkStream) {
      c.reply.nullBulk();
      return;
    }
    stream = new RedisStream();
    db.add(key, stream);
  }
  const last = stream.lastId;
  if (last.ms === StreamIdMax.ms && last.seq === StreamIdMax.seq) {
    c.reply.error("ERR The stream has exhausted the last possible ID, unable to add more items");
    return;
  }
  let id: StreamID | null;
  if (given === null) id = stream.nextAutoId(c.server.keyspace.now);
  else if (args.seqGiven) id = given;
  else {
    id = stream.idForMs(given.ms);
    if (id === null && given.ms === last.ms) {
      // The sequence of that millisecond is exhausted.
      c.reply.error("ERR Elements are too large to be stored");
      return;
    }
  }
  if (id === null || !stream.isAfterLast(id)) {
    c.reply.error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    return;
  }
  stream.append(id, argv, fieldStart, argv.length, c.server.keyspace.limits);
  const idText = `${id.ms}-${id.seq}`;
  c.reply.bulkString(idText);
  db.touched(key, "xadd", EventClass.Stream);
  let propagated: Buffer[] | null = null;
  if (args.strategy !== TrimStrategy.None) {
    if (trimStream(stream, args) > 0) db.notify(key, "xtrim", EventClass.Stream);
    if (args.approx) {
      propagated = argv.slice();
      rewriteApproxTrim(c, stream, args, propagated);
    }
  }
  if (given === null || !args.seqGiven) {
    if (propagated === null) propagated = argv.slice();
    propagated[args.idIndex] = Buffer.from(idText, "latin1");
    c.rewritePropagation(propagated);
  }
}

const StreamIdMax = { ms: 0xffff_ffff_ffff_ffffn, seq: 0xffff_ffff_ffff_ffffn };

// ---------------------------------------------------------------- XRANGE / XREVRANGE

/** XRANGE key start end [COUNT count], XREVRANGE key end start [COUNT count] */
function xrangeGeneric(c: ClientSession, reverse: boolean): void {
  const argv = c.argv;
  const startArg = reverse ? argv[3]! : argv[2]!;
  const endArg = reverse ? argv[2]! : argv[3]!;
  const start = parseRangeBoundOrReply(c, startArg, false);
  if (start === null) return;
  const end = parseRangeBoundOrReply(c, endArg, true);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (argIs(argv[j]!, "count") && additional >= 1) {
      const value = parseInt64(argv[j + 1]!);
      if (value === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      count =
        value < 0n ? 0 : value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
      j++;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  const stream = readStreamOrReply(c, argString(argv[1]!));
  if (stream === null) return;
  if (stream === undefined) {
    c.reply.arrayLen(0);
    return;
  }
  if (count === 0) {
    c.reply.nullArray();
    return;
  }
  writeRange(c, stream, start, end, count === -1 ? 0 : count, reverse);
}

/** XRANGE key start end [COUNT count] */
function xrangeCommand(c: ClientSession): void {
  xrangeGeneric(c, false);
}

/** XREVRANGE key end start [COUNT count] */
function xrevrangeCommand(c: ClientSession): void {
  xrangeGeneric(c, true);
}

// ---------------------------------------------------------------- XLEN, XDEL, XTRIM

/** XLEN key */
function xlenCommand(c: ClientSession): void {
  const stream = readStreamOrReply(c, argString(c.argv[1]!));
  if (stream === null) return;
  c.reply.integer(stream === undefined ? 0 : stream.length);
}

/** XDEL key id [id ...]: the key is looked up first, then every ID is validated before any goes. */
function xdelCommand(c: ClientSession): void {
  const argv = c.argv;
  const key = argString(argv[1]!);
  const stream = writeStreamOrReply(c, key);
  if (stream === null) return;
  if (stream === undefined) {
    c.reply.integer(0);
    return;
  }
  const ids: StreamID[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = parseStreamIdOrReply(c, argv[j]!, 0n, true);
    if (id === null) return;
    ids.push(id);
  }
  const deleted = stream.deleteEntries(ids);
  if (deleted > 0) c.db.touched(key, "xdel", EventClass.Stream, deleted);
  c.reply.integer(deleted);
}

/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
function xtrimCommand(c: ClientSession): void {
  const args = parseAddTrimArgsOrReply(c, false);
  if (args === null) return;
  const key = argString(c.argv[1]!);
  const stream = writeStreamOrReply(c, key);
  if (stream === null) return;
  if (stream === undefined) {
    c.reply.integer(0);
    return;
  }
  const deleted = trimStream(stream, args);
  if (deleted > 0) {
    c.db.touched(key, "xtrim", EventClass.Stream, deleted);
    if (args.approx) rewriteApproxTrim(c, stream, args, c.argv.slice());
  }
  c.reply.integer(deleted);
}

// ---------------------------------------------------------------- XSETID

/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
function xsetidCommand(c: ClientSession): void {
  const argv = c.argv;
  const id = parseStreamIdOrReply(c, argv[2]!, 0n, true);
  if (id === null) return;
  let entriesAdded = -1n;
  let maxDeleted: StreamID | null = null;
  for (let i = 3; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (argIs(argv[i]!, "entriesadded") && more > 0) {
      const value = parseInt64(argv[i + 1]!);
      if (value === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      if (value < 0n) {
        c.reply.error("ERR entries_added must be positive");
        return;
      }
      entriesAdded = value;
      i++;
    } else if (argIs(argv[i]!, "maxdeletedid") && more > 0) {
      const parsed = parseStreamIdOrReply(c, argv[i + 1]!, 0n, true);
      if (parsed === null) return;
      if (compareIds(id, parsed) < 0) {
        c.reply.error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        return;
      }
      maxDeleted = parsed;
      i++;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  const key = argString(argv[1]!);
  const stream = writeStreamOrReply(c, key);
  if (stream === null) return;
  if (stream === undefined) {
    c.reply.error(StreamErr.noSuchKey);
    return;
  }
  if (stream.length > 0) {
    const top = stream.edgeId(true)!;
    if (compareIds(id, top) < 0) {
      c.reply.error("ERR The ID specified in XSETID is smaller than the target stream top item");
      return;
    }
    if (entriesAdded !== -1n && BigInt(stream.length) > entriesAdded) {
      c.reply.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
      return;
    }
  }
  stream.lastId = id;
  if (entriesAdded !== -1n) stream.entriesAdded = entriesAdded;
  if (maxDeleted !== null && !maxDeleted.isZero()) stream.maxDeletedId = maxDeleted;
  c.reply.ok();
  c.db.touched(key, "xsetid", EventClass.Stream);
}

function compareIds(a: StreamID, b: StreamID): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

// ---------------------------------------------------------------- specs

const STREAM_ACL = ["@stream"] as const;

/** Every stream command: these, XREAD / XREADGROUP, the consumer groups and XINFO. */
export const streamCommands: readonly CommandSpec[] = [
  {
    name: "xadd",
    arity: -5,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: STREAM_ACL,
    group: "stream",
    summary: "Append an entry to a stream",
    since: "5.0.0",
    complexity: "O(1), plus O(N) for N entries trimmed.",
    handler: xaddCommand,
  },
  {
    name: "xrange",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: STREAM_ACL,
    group: "stream",
    summary: "Stream entries between two ids",
    since: "5.0.0",
    complexity: "O(N), N = entries returned.",
    handler: xrangeCommand,
  },
  {
    name: "xrevrange",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: STREAM_ACL,
    group: "stream",
    summary: "Stream entries between two ids, newest first",
    since: "5.0.0",
    complexity: "O(N), N = entries returned.",
    handler: xrevrangeCommand,
  },
  {
    name: "xlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: STREAM_ACL,
    group: "stream",
    summary: "How many entries a stream has",
    since: "5.0.0",
    complexity: "O(1)",
    handler: xlenCommand,
  },
  {
    name: "xdel",
    arity: -3,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: STREAM_ACL,
    group: "stream",
    summary: "Delete stream entries by id",
    since: "5.0.0",
    complexity: "O(1) per id.",
    handler: xdelCommand,
  },
  {
    name: "xtrim",
    arity: -4,
    flags: ["write"],
    keys: FIRST_KEY,
    acl: STREAM_ACL,
    group: "stream",
    summary: "Shorten a stream by length or by id",
    since: "5.0.0",
    complexity: "O(N), N = entries removed.",
    handler: xtrimCommand,
  },
  {
    name: "xsetid",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: STREAM_ACL,
    group: "stream",
    summary: "Set a stream's last id (replication)",
    since: "5.0.0",
    complexity: "O(1)",
    handler: xsetidCommand,
  },
  ...streamReadCommands,
  ...streamGroupCommands,
  ...streamInfoCommands,
];
