/*
 * String commands (Redis' t_string.c): GET SET SETNX SETEX PSETEX MGET MSET
 * MSETNX GETSET GETDEL GETEX APPEND STRLEN INCR DECR INCRBY DECRBY INCRBYFLOAT
 * GETRANGE SETRANGE SUBSTR LCS.
 *
 * HOT PATH for GET, SET and INCR: no closures, no allocation beyond the stored
 * value on the common path, BigInt only when a number leaves the safe range.
 *
 * Stored values are copies (RedisString.fromBytes copies the argument, which
 * is a view into a socket chunk). Integers are exact over the signed 64-bit
 * range. Propagation never depends on the clock: relative TTLs become SET ...
 * PXAT / PEXPIREAT, INCRBYFLOAT becomes SET ... KEEPTTL with the result.
 */

import { EventClass, RedisString, writeCompactBulk } from "@spinel/core-db";
import { argIs, argString, parseInt64, parseLong } from "../args.js";
import { ClientFlag, type ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY } from "../command-spec.js";
import { Err } from "../errors.js";
import { incrementLongDouble, LongDoubleFailure } from "../long-double.js";
import { type Deadline, deadlinePassed, getSetExpireDeadlineOrReply, setKeyDeadline } from "./expire.js";

const SET_ARG = Buffer.from("SET");
const DEL_ARG = Buffer.from("DEL");
const PXAT_ARG = Buffer.from("PXAT");
const KEEPTTL_ARG = Buffer.from("KEEPTTL");
const PEXPIREAT_ARG = Buffer.from("PEXPIREAT");
const PERSIST_ARG = Buffer.from("PERSIST");

const STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

// ---------------------------------------------------------------- GET, MGET, STRLEN

/**
 * Reply with a string value (int-encoded strings are rendered in decimal), from
 * the form it is held in, without an intermediate Buffer.
 */
export function writeStringValue(c: ClientSession, value: RedisString): void {
  value.writeBulk(c.reply);
}

/**
 * Redis' getGenericCommand: reply with the string at argv[1] (null bulk when
 * missing). Returns false after replying WRONGTYPE, so callers stop.
 */
function getGeneric(c: ClientSession): boolean {
  const value = c.db.lookupReadStored(argString(c.argv[1]!));
  if (value === undefined) {
    c.reply.nullBulk();
    return true;
  }
  if (typeof value !== "object") {
    writeCompactBulk(value, c.reply);
    return true;
  }
  if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return false;
  }
  writeStringValue(c, value);
  return true;
}

/** GET key */
function getCommand(c: ClientSession): void {
  getGeneric(c);
}

/** MGET key [key ...]: values in order, null for missing keys and non-strings. */
function mgetCommand(c: ClientSession): void {
  const argv = c.argv;
  const db = c.db;
  c.reply.arrayLen(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const value = db.lookupReadStored(argString(argv[i]!));
    if (value === undefined) c.reply.nullBulk();
    else if (typeof value !== "object") writeCompactBulk(value, c.reply);
    else if (value.type !== "string") c.reply.nullBulk();
    else writeStringValue(c, value);
  }
}

/** STRLEN key: length in bytes, 0 for a missing key. */
function strlenCommand(c: ClientSession): void {
  const value = c.db.lookupRead(argString(c.argv[1]!));
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  }
  c.reply.integer(value.length);
}

// ---------------------------------------------------------------- SET family

enum SetFlag {
  None = 0,
  NX = 1 << 0,
  XX = 1 << 1,
  GET = 1 << 2,
  KeepTtl = 1 << 3,
  EX = 1 << 4,
  PX = 1 << 5,
  EXAT = 1 << 6,
  PXAT = 1 << 7,
  Persist = 1 << 8,
}

const EXPIRE_FLAGS = SetFlag.EX | SetFlag.PX | SetFlag.EXAT | SetFlag.PXAT;

/**
 * The shared SET implementation (SET, SETNX, SETEX, PSETEX), Redis'
 * setGenericCommand. `expireArg` is the TTL argument in the unit the flags give
 * (EX / PX / EXAT / PXAT), or null. `integerReplies` makes SETNX answer 1 / 0.
 *
 * Order of checks as in Redis: the expire argument, then (GET) the old value's
 * type, then NX / XX. Raises "set" (and "expire" with a TTL). Propagates
 * SET key value PXAT <ms> for EX / PX / EXAT, and drops GET when there is no TTL.
 */
function setGeneric(
  c: ClientSession,
  flags: number,
  keyArg: Buffer,
  valueArg: Buffer,
  expireArg: Buffer | null,
  integerReplies: boolean,
): void {
  const db = c.db;
  let deadline: Deadline = 0;
  if (expireArg !== null) {
    const parsed = getSetExpireDeadlineOrReply(
      c,
      expireArg,
      (flags & (SetFlag.EX | SetFlag.EXAT)) !== 0,
      (flags & (SetFlag.EX | SetFlag.PX)) !== 0,
    );
    if (parsed === null) return;
    deadline = parsed;
  }
  const key = argString(keyArg);
  if ((flags & SetFlag.GET) !== 0 && !getGeneric(c)) return;
  const found = db.existsForWrite(key);
  if (((flags & SetFlag.NX) !== 0 && found) || ((flags & SetFlag.XX) !== 0 && !found)) {
    if ((flags & SetFlag.GET) === 0) {
      if (integerReplies) c.reply.integer(0);
      else c.reply.nullBulk();
    }
    return;
  }
  const keepTtl = (flags & SetFlag.KeepTtl) !== 0 || expireArg !== null;
  db.set(key, RedisString.storedFromBytes(valueArg), keepTtl);
  db.touched(key, "set", EventClass.String);
  if (expireArg !== null) {
    setKeyDeadline(db, db.peekEntry(key)!, deadline);
    if ((flags & SetFlag.PXAT) === 0) {
      c.rewritePropagation([SET_ARG, keyArg, valueArg, PXAT_ARG, Buffer.from(String(deadline), "latin1")]);
    }
    db.notify(key, "expire", EventClass.Generic);
  }
  if ((flags & SetFlag.GET) === 0) {
    if (integerReplies) c.reply.integer(1);
    else c.reply.ok();
  } else if (expireArg === null) {
    c.rewritePropagation(withoutGetArguments(c.argv));
  }
}

/** argv of a SET without its GET options (what a replica must execute). */
function withoutGetArguments(argv: Buffer[]): Buffer[] {
  const kept: Buffer[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (i < 3 || !argIs(argv[i]!, "get")) kept.push(argv[i]!);
  }
  return kept;
}

/**
 * Parse the options of SET (`forGetex` false: NX XX GET KEEPTTL EX PX EXAT PXAT)
 * or GETEX (`forGetex` true: EX PX EXAT PXAT PERSIST), from argv[firstOption].
 * Redis' parseExtendedStringArgumentsOrReply: conflicting or unknown options,
 * and an expire option without its value, are a syntax error; a repeated
 * expire option of the same unit is allowed and the last one wins. Returns the
 * flags, with the expire argument left in `parsedExpireArgument`, or null after
 * replying.
 */
function parseStringOptionsOrReply(c: ClientSession, firstOption: number, forGetex: boolean): number | null {
  const argv = c.argv;
  let flags = SetFlag.None;
  parsedExpireArgument = null;
  for (let i = firstOption; i < argv.length; i++) {
    const option = argv[i]!;
    const hasNext = i + 1 < argv.length;
    let add = SetFlag.None;
    if (!forGetex && argIs(option, "nx") && (flags & SetFlag.XX) === 0) add = SetFlag.NX;
    else if (!forGetex && argIs(option, "xx") && (flags & SetFlag.NX) === 0) add = SetFlag.XX;
    else if (!forGetex && argIs(option, "get")) add = SetFlag.GET;
    else if (!forGetex && argIs(option, "keepttl") && (flags & (EXPIRE_FLAGS | SetFlag.Persist)) === 0)
      add = SetFlag.KeepTtl;
    else if (forGetex && argIs(option, "persist") && (flags & (EXPIRE_FLAGS | SetFlag.KeepTtl)) === 0)
      add = SetFlag.Persist;
    else if (hasNext && (flags & (SetFlag.KeepTtl | SetFlag.Persist)) === 0) {
      const unit = expireOption(option);
      const others = EXPIRE_FLAGS & ~unit;
      if (unit !== SetFlag.None && (flags & others) === 0) {
        add = unit;
        parsedExpireArgument = argv[++i]!;
      }
    }
    if (add === SetFlag.None) {
      c.reply.error(Err.syntax);
      return null;
    }
    flags |= add;
  }
  return flags;
}

/** The expire option an argument names (EX, PX, EXAT, PXAT), or None. */
function expireOption(option: Buffer): SetFlag {
  if (argIs(option, "ex")) return SetFlag.EX;
  if (argIs(option, "px")) return SetFlag.PX;
  if (argIs(option, "exat")) return SetFlag.EXAT;
  if (argIs(option, "pxat")) return SetFlag.PXAT;
  return SetFlag.None;
}

/**
 * The expire argument found by the last parseStringOptionsOrReply() call (a
 * module slot rather than a returned object: commands run one at a time and
 * this keeps SET allocation-free).
 */
let parsedExpireArgument: Buffer | null = null;

/** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL] */
function setCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length === 3) {
    setGeneric(c, SetFlag.None, argv[1]!, argv[2]!, null, false);
    return;
  }
  const flags = parseStringOptionsOrReply(c, 3, false);
  if (flags === null) return;
  setGeneric(c, flags, argv[1]!, argv[2]!, parsedExpireArgument, false);
}

/** SETNX key value */
function setnxCommand(c: ClientSession): void {
  setGeneric(c, SetFlag.NX, c.argv[1]!, c.argv[2]!, null, true);
}

/** SETEX key seconds value */
function setexCommand(c: ClientSession): void {
  setGeneric(c, SetFlag.EX, c.argv[1]!, c.argv[3]!, c.argv[2]!, false);
}

/** PSETEX key milliseconds value */
function psetexCommand(c: ClientSession): void {
  setGeneric(c, SetFlag.PX, c.argv[1]!, c.argv[3]!, c.argv[2]!, false);
}

/**
 * MSET / MSETNX key value [key value ...]: set every pair (removing TTLs).
 * MSETNX sets nothing and replies 0 when any key exists. An odd number of
 * arguments is an arity error, as Redis words it.
 */
function msetGeneric(c: ClientSession, nx: boolean): void {
  const argv = c.argv;
  const db = c.db;
  if (argv.length % 2 === 0) {
    c.reply.error(`ERR wrong number of arguments for '${nx ? "msetnx" : "mset"}' command`);
    return;
  }
  if (nx) {
    for (let i = 1; i < argv.length; i += 2) {
      if (db.lookupWrite(argString(argv[i]!)) !== undefined) {
        c.reply.integer(0);
        return;
      }
    }
  }
  for (let i = 1; i < argv.length; i += 2) {
    const key = argString(argv[i]!);
    db.set(key, RedisString.storedFromBytes(argv[i + 1]!));
    db.touched(key, "set", EventClass.String);
  }
  if (nx) c.reply.integer(1);
  else c.reply.ok();
}

/** MSET key value [key value ...] */
function msetCommand(c: ClientSession): void {
  msetGeneric(c, false);
}

/** MSETNX key value [key value ...] */
function msetnxCommand(c: ClientSession): void {
  msetGeneric(c, true);
}

// ---------------------------------------------------------------- GETSET, GETDEL, GETEX

/** GETSET key value: the old value, then set (TTL removed). Propagates as SET. */
function getsetCommand(c: ClientSession): void {
  if (!getGeneric(c)) return;
  const db = c.db;
  const keyArg = c.argv[1]!;
  const valueArg = c.argv[2]!;
  const key = argString(keyArg);
  db.set(key, RedisString.fromBytes(valueArg));
  db.touched(key, "set", EventClass.String);
  c.rewritePropagation([SET_ARG, keyArg, valueArg]);
}

/** GETDEL key: the value, then delete the key. Propagates as DEL. */
function getdelCommand(c: ClientSession): void {
  if (!getGeneric(c)) return;
  const db = c.db;
  const keyArg = c.argv[1]!;
  const key = argString(keyArg);
  if (!db.delete(key)) return;
  db.touched(key, "del", EventClass.Generic);
  c.rewritePropagation([DEL_ARG, keyArg]);
}

/**
 * GETEX key [EX s | PX ms | EXAT ts | PXAT ms-ts | PERSIST]: the value, and
 * optionally a new TTL or none. Order as in Redis: options, the key (null when
 * missing, WRONGTYPE), then the expire value. An absolute time already past
 * deletes the key. Never propagated as is: PEXPIREAT, DEL or PERSIST instead.
 */
function getexCommand(c: ClientSession): void {
  const argv = c.argv;
  const flags = parseStringOptionsOrReply(c, 2, true);
  if (flags === null) return;
  const db = c.db;
  const keyArg = argv[1]!;
  const key = argString(keyArg);
  const value = db.lookupRead(key);
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  }
  const expireArg = parsedExpireArgument;
  let deadline: Deadline = 0;
  if (expireArg !== null) {
    const parsed = getSetExpireDeadlineOrReply(
      c,
      expireArg,
      (flags & (SetFlag.EX | SetFlag.EXAT)) !== 0,
      (flags & (SetFlag.EX | SetFlag.PX)) !== 0,
    );
    if (parsed === null) return;
    deadline = parsed;
  }
  writeStringValue(c, value);
  if ((flags & (SetFlag.EXAT | SetFlag.PXAT)) !== 0 && deadlinePassed(db, deadline)) {
    db.delete(key);
    db.touched(key, "del", EventClass.Generic);
    c.rewritePropagation([DEL_ARG, keyArg]);
  } else if (expireArg !== null) {
    setKeyDeadline(db, db.peekEntry(key)!, deadline);
    c.rewritePropagation([PEXPIREAT_ARG, keyArg, Buffer.from(String(deadline), "latin1")]);
    db.touched(key, "expire", EventClass.Generic);
  } else if ((flags & SetFlag.Persist) !== 0 && db.persist(key)) {
    c.rewritePropagation([PERSIST_ARG, keyArg]);
    db.touched(key, "persist", EventClass.Generic);
  }
}

// ---------------------------------------------------------------- INCR family

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * A signed 64-bit argument, exact: a number when it is a safe integer, else a
 * bigint; null when it is not an integer in range.
 */
function parseIntegerArgument(arg: Buffer): number | bigint | null {
  if (arg.length < 16) return parseLong(arg);
  const value = parseInt64(arg);
  if (value === null) return null;
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/**
 * The shared implementation of INCR, DECR, INCRBY and DECRBY: add `increment`
 * to the integer at argv[1] (0 when missing) and reply with the result. The
 * value stays int-encoded and keeps its TTL. Refuses non-integers and results
 * beyond the signed 64-bit range, like Redis.
 */
function incrDecrGeneric(c: ClientSession, increment: number | bigint): void {
  const db = c.db;
  const key = argString(c.argv[1]!);
  // The stored form: an int-encoded value is read and replaced without a RedisString.
  const existing = db.lookupWriteStored(key);
  let current: number | bigint = 0;
  if (existing !== undefined) {
    let parsed: number | bigint | null;
    if (typeof existing === "number" || typeof existing === "bigint") parsed = existing;
    else if (typeof existing === "string") parsed = RedisString.fromCompact(existing).toInteger();
    else if (existing.type !== "string") {
      c.reply.error(Err.wrongType);
      return;
    } else parsed = existing.toInteger();
    if (parsed === null) {
      c.reply.error(Err.notInteger);
      return;
    }
    current = parsed;
  }
  let result: number | bigint;
  if (typeof current === "number" && typeof increment === "number") {
    result = current + increment;
    if (!Number.isSafeInteger(result)) result = BigInt(current) + BigInt(increment);
  } else {
    result = BigInt(current) + BigInt(increment);
  }
  if (typeof result === "bigint") {
    if (result > INT64_MAX || result < INT64_MIN) {
      c.reply.error(Err.overflow);
      return;
    }
    if (result >= -9007199254740991n && result <= 9007199254740991n) result = Number(result);
  }
  if (existing === undefined) db.add(key, RedisString.fromInteger(result));
  else if (typeof existing === "object") existing.setInteger(result);
  else db.replaceValue(key, result);
  db.touched(key, "incrby", EventClass.String);
  c.reply.integer(result);
}

/** INCR key */
function incrCommand(c: ClientSession): void {
  incrDecrGeneric(c, 1);
}

/** DECR key */
function decrCommand(c: ClientSession): void {
  incrDecrGeneric(c, -1);
}

/** INCRBY key increment */
function incrbyCommand(c: ClientSession): void {
  const increment = parseIntegerArgument(c.argv[2]!);
  if (increment === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  incrDecrGeneric(c, increment);
}

/** DECRBY key decrement (LLONG_MIN cannot be negated: "decrement would overflow"). */
function decrbyCommand(c: ClientSession): void {
  const decrement = parseIntegerArgument(c.argv[2]!);
  if (decrement === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  if (decrement === INT64_MIN) {
    c.reply.error("ERR decrement would overflow");
    return;
  }
  incrDecrGeneric(c, -decrement);
}

/**
 * INCRBYFLOAT key increment: add in x87 extended precision and store the
 * result as Redis prints it (see long-double.ts). The TTL is kept; the result
 * is an "embstr" even when it reads like an integer. Always propagated as
 * SET key result KEEPTTL, so replicas never redo float arithmetic.
 */
function incrbyfloatCommand(c: ClientSession): void {
  const db = c.db;
  const keyArg = c.argv[1]!;
  const key = argString(keyArg);
  const existing = db.lookupWrite(key);
  if (existing !== undefined && existing.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  }
  const result = incrementLongDouble(existing === undefined ? null : existing.toBuffer(), c.argv[2]!);
  if (typeof result !== "string") {
    c.reply.error(result === LongDoubleFailure.NotFinite ? Err.incrFloatNaN : Err.notFloat);
    return;
  }
  // The stored bytes may later be edited in place (SETRANGE), so the reply and
  // the propagated SET get their own copy.
  const bytes = Buffer.from(result, "latin1");
  const value = RedisString.fromOwnedBytes(Buffer.from(bytes), false);
  if (existing !== undefined) db.set(key, value, true);
  else db.add(key, value);
  db.touched(key, "incrbyfloat", EventClass.String);
  c.reply.bulk(bytes);
  c.rewritePropagation([SET_ARG, keyArg, bytes, KEEPTTL_ARG]);
}

// ---------------------------------------------------------------- APPEND, GETRANGE, SETRANGE

/**
 * True when a string of `length` bytes may be built: within proto-max-bulk-len,
 * except for the primary link and data-file replay, which are obeyed as is.
 */
function checkStringLengthOrReply(c: ClientSession, length: number): boolean {
  if (c.hasFlag(ClientFlag.Primary) || c.hasFlag(ClientFlag.Loading)) return true;
  if (length > c.server.settings.protoMaxBulkLen) {
    c.reply.error(STRING_TOO_LONG);
    return false;
  }
  return true;
}

/**
 * APPEND key value: append to the string (created when missing, with the
 * encoding SET would give); replies the new length. An existing value becomes
 * "raw", even when nothing is appended, as in Redis.
 */
function appendCommand(c: ClientSession): void {
  const db = c.db;
  const key = argString(c.argv[1]!);
  const data = c.argv[2]!;
  const existing = db.lookupWrite(key);
  let length: number;
  if (existing === undefined) {
    const created = RedisString.fromBytes(data);
    db.add(key, created);
    length = created.length;
  } else {
    if (existing.type !== "string") {
      c.reply.error(Err.wrongType);
      return;
    }
    if (!checkStringLengthOrReply(c, existing.length + data.length)) return;
    length = existing.append(data);
  }
  db.touched(key, "append", EventClass.String);
  c.reply.integer(length);
}

/**
 * GETRANGE key start end (and SUBSTR): the bytes between two inclusive offsets,
 * negative offsets counting from the end, clamped to the string; empty when
 * the range is empty or the key missing.
 */
function getrangeCommand(c: ClientSession): void {
  const argv = c.argv;
  let start = parseLong(argv[2]!);
  if (start === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  let end = parseLong(argv[3]!);
  if (end === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  const value = c.db.lookupRead(argString(argv[1]!));
  if (value === undefined) {
    c.reply.bulk(EMPTY);
    return;
  }
  if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  }
  const bytes = value.toBuffer();
  const length = bytes.length;
  if (start < 0 && end < 0 && start > end) {
    c.reply.bulk(EMPTY);
    return;
  }
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length === 0) c.reply.bulk(EMPTY);
  else c.reply.bulk(bytes.subarray(start, end + 1));
}

const EMPTY = Buffer.alloc(0);

/**
 * SETRANGE key offset value: overwrite part of the string at `offset`,
 * zero-padding when the string is shorter; replies the new length. An empty
 * value changes nothing (and creates no key). The result is "raw".
 */
function setrangeCommand(c: ClientSession): void {
  const db = c.db;
  const offset = parseLong(c.argv[2]!);
  if (offset === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  if (offset < 0) {
    c.reply.error("ERR offset is out of range");
    return;
  }
  const key = argString(c.argv[1]!);
  const data = c.argv[3]!;
  const existing = db.lookupWrite(key);
  if (existing === undefined) {
    if (data.length === 0) {
      c.reply.integer(0);
      return;
    }
    if (!checkStringLengthOrReply(c, offset + data.length)) return;
    const created = RedisString.emptyRaw();
    const length = created.setRange(offset, data);
    db.add(key, created);
    db.touched(key, "setrange", EventClass.String);
    c.reply.integer(length);
    return;
  }
  if (existing.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  }
  if (data.length === 0) {
    c.reply.integer(existing.length);
    return;
  }
  if (!checkStringLengthOrReply(c, offset + data.length)) return;
  const length = existing.setRange(offset, data);
  db.touched(key, "setrange", EventClass.String);
  c.reply.integer(length);
}

// ---------------------------------------------------------------- LCS

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest
 * common subsequence of two strings (missing keys are empty), by the classic
 * dynamic programme over a (len1+1) x (len2+1) table, as Redis computes it, so
 * ties resolve the same way. IDX lists the matching ranges from the end.
 */
function lcsCommand(c: ClientSession): void {
  const argv = c.argv;
  const db = c.db;
  const first = db.lookupRead(argString(argv[1]!));
  const second = db.lookupRead(argString(argv[2]!));
  if (
    (first !== undefined && first.type !== "string") ||
    (second !== undefined && second.type !== "string")
  ) {
    c.reply.error("ERR The specified keys must contain string values");
    return;
  }
  let getLength = false;
  let getIndexes = false;
  let withMatchLength = false;
  let minMatchLength = 0;
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i]!;
    if (argIs(option, "idx")) getIndexes = true;
    else if (argIs(option, "len")) getLength = true;
    else if (argIs(option, "withmatchlen")) withMatchLength = true;
    else if (argIs(option, "minmatchlen") && i + 1 < argv.length) {
      const parsed = parseLong(argv[i + 1]!);
      if (parsed === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      minMatchLength = parsed < 0 ? 0 : parsed;
      i++;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  if (getIndexes && getLength) {
    c.reply.error("ERR If you want both the length and indexes, please just use IDX.");
    return;
  }
  const a = first === undefined ? EMPTY : (first as RedisString).toBuffer();
  const b = second === undefined ? EMPTY : (second as RedisString).toBuffer();
  const alen = a.length;
  const blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > c.server.settings.protoMaxBulkLen) {
    c.reply.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    return;
  }
  // table[j + i * (blen + 1)] = LCS length of a[0..i) and b[0..j)
  const width = blen + 1;
  const table = new Uint32Array(cells);
  for (let i = 1; i <= alen; i++) {
    const row = i * width;
    const previousRow = row - width;
    const ai = a[i - 1];
    for (let j = 1; j <= blen; j++) {
      if (ai === b[j - 1]) table[row + j] = table[previousRow + j - 1]! + 1;
      else {
        const up = table[previousRow + j]!;
        const left = table[row + j - 1]!;
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * width + blen]!;
  if (getLength) {
    c.reply.integer(total);
    return;
  }
  const result = Buffer.allocUnsafe(total);
  let resultIndex = total;
  let arrayToken = -1;
  let ranges = 0;
  if (getIndexes) {
    c.reply.mapLen(2);
    c.reply.bulkString("matches");
    arrayToken = c.reply.beginDeferredLength();
  }
  // Walk back from the end, tracking the current contiguous range; alen marks "none".
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      result[--resultIndex] = a[i - 1]!;
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      const up = table[(i - 1) * width + j]!;
      const left = table[i * width + j - 1]!;
      if (up > left) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLength = aEnd - aStart + 1;
      if (getIndexes && (minMatchLength === 0 || matchLength >= minMatchLength)) {
        c.reply.arrayLen(withMatchLength ? 3 : 2);
        c.reply.arrayLen(2);
        c.reply.integer(aStart);
        c.reply.integer(aEnd);
        c.reply.arrayLen(2);
        c.reply.integer(bStart);
        c.reply.integer(bEnd);
        if (withMatchLength) c.reply.integer(matchLength);
        ranges++;
      }
      aStart = alen;
    }
  }
  if (getIndexes) {
    c.reply.setDeferredLength(arrayToken, ranges);
    c.reply.bulkString("len");
    c.reply.integer(total);
  } else {
    c.reply.bulk(result);
  }
}

// ---------------------------------------------------------------- specs

/** A string command on one key. */
function stringSpec(
  name: string,
  arity: number,
  flags: CommandSpec["flags"],
  summary: string,
  since: string,
  handler: (c: ClientSession) => void,
  complexity = "O(1)",
): CommandSpec {
  return {
    name,
    arity,
    flags,
    keys: FIRST_KEY,
    acl: ["@string"],
    group: "string",
    summary,
    since,
    complexity,
    handler,
  };
}

const ALL_KEYS = { first: 1, last: -1, step: 1 } as const;
const KEY_VALUE_PAIRS = { first: 1, last: -1, step: 2 } as const;

export const stringCommands: readonly CommandSpec[] = [
  stringSpec("get", 2, ["readonly", "fast"], "Read a string", "1.0.0", getCommand),
  stringSpec(
    "set",
    -3,
    ["write", "denyoom"],
    "Write a string, with options for expiry and conditions",
    "1.0.0",
    setCommand,
  ),
  stringSpec(
    "setnx",
    3,
    ["write", "denyoom", "fast"],
    "Write a string unless the key exists",
    "1.0.0",
    setnxCommand,
  ),
  stringSpec(
    "setex",
    4,
    ["write", "denyoom"],
    "Write a string with a time to live in seconds",
    "2.0.0",
    setexCommand,
  ),
  stringSpec(
    "psetex",
    4,
    ["write", "denyoom"],
    "Write a string with a time to live in milliseconds",
    "2.6.0",
    psetexCommand,
  ),
  {
    name: "mget",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: ALL_KEYS,
    acl: ["@string"],
    group: "string",
    summary: "Read several strings",
    since: "1.0.0",
    complexity: "O(N), N = keys.",
    handler: mgetCommand,
  },
  {
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: KEY_VALUE_PAIRS,
    acl: ["@string"],
    group: "string",
    summary: "Write several strings",
    since: "1.0.1",
    complexity: "O(N), N = keys.",
    handler: msetCommand,
  },
  {
    name: "msetnx",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: KEY_VALUE_PAIRS,
    acl: ["@string"],
    group: "string",
    summary: "Write several strings, only if none of the keys exists",
    since: "1.0.1",
    complexity: "O(N), N = keys.",
    handler: msetnxCommand,
  },
  stringSpec(
    "getset",
    3,
    ["write", "denyoom", "fast"],
    "Replace a string and return what it was",
    "1.0.0",
    getsetCommand,
  ),
  stringSpec("getdel", 2, ["write", "fast"], "Read a string and remove its key", "6.2.0", getdelCommand),
  stringSpec(
    "getex",
    -2,
    ["write", "fast"],
    "Read a string and change its time to live",
    "6.2.0",
    getexCommand,
  ),
  stringSpec(
    "append",
    3,
    ["write", "denyoom", "fast"],
    "Add bytes at the end of a string",
    "2.0.0",
    appendCommand,
    "O(1) amortised: the buffer grows geometrically.",
  ),
  stringSpec("strlen", 2, ["readonly", "fast"], "Length of a string in bytes", "2.2.0", strlenCommand),
  stringSpec("incr", 2, ["write", "denyoom", "fast"], "Add 1 to an integer string", "1.0.0", incrCommand),
  stringSpec(
    "decr",
    2,
    ["write", "denyoom", "fast"],
    "Subtract 1 from an integer string",
    "1.0.0",
    decrCommand,
  ),
  stringSpec(
    "incrby",
    3,
    ["write", "denyoom", "fast"],
    "Add an integer to an integer string",
    "1.0.0",
    incrbyCommand,
  ),
  stringSpec(
    "decrby",
    3,
    ["write", "denyoom", "fast"],
    "Subtract an amount from an integer string",
    "1.0.0",
    decrbyCommand,
  ),
  stringSpec(
    "incrbyfloat",
    3,
    ["write", "denyoom", "fast"],
    "Add a decimal number to a numeric string",
    "2.6.0",
    incrbyfloatCommand,
  ),
  stringSpec(
    "getrange",
    4,
    ["readonly"],
    "Read part of a string",
    "2.4.0",
    getrangeCommand,
    "O(N) in the bytes returned.",
  ),
  stringSpec(
    "substr",
    4,
    ["readonly"],
    "Read part of a string (old name of GETRANGE)",
    "1.0.0",
    getrangeCommand,
    "O(N) in the bytes returned.",
  ),
  stringSpec(
    "setrange",
    4,
    ["write", "denyoom"],
    "Overwrite part of a string at an offset",
    "2.2.0",
    setrangeCommand,
    "O(1) plus the bytes copied.",
  ),
  {
    name: "lcs",
    arity: -3,
    flags: ["readonly"],
    keys: { first: 1, last: 2, step: 1 },
    acl: ["@string"],
    group: "string",
    summary: "Longest common subsequence of two strings",
    since: "7.0.0",
    complexity: "O(N*M): the two lengths.",
    handler: lcsCommand,
  },
];
