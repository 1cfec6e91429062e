/*
 * Expire commands (Redis' expire.c): EXPIRE PEXPIRE EXPIREAT PEXPIREAT with
 * NX / XX / GT / LT, TTL PTTL EXPIRETIME PEXPIRETIME, PERSIST; plus the deadline
 * helpers the string and keyspace commands share (SET EX, GETEX, RENAME, COPY ...).
 *
 * Deadlines are absolute Unix times in milliseconds. Propagation never depends on
 * the clock: every relative form is rewritten to its absolute one (PEXPIREAT,
 * SET ... PXAT), and an expire time already in the past deletes the key and
 * propagates DEL, as Redis 7 does.
 *
 * Exactness at the 64-bit limits: the keyspace keeps a deadline as a JS number,
 * exact up to 2^53 ms (285,000 years away). Redis accepts deadlines up to
 * 2^63-1 and reports them back to the millisecond, so deadlines beyond 2^53 are
 * also remembered exactly, as bigints, beside the entry (see setKeyDeadline /
 * keyDeadline). Comparisons with "now" are unaffected by the rounding.
 */

import { type Database, EventClass, ExpiryMode, type KeyEntry } from "@spinel/core-db";
import { argIs, argString, parseInt64, parseLong } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY } from "../command-spec.js";
import { Err } from "../errors.js";
import { lookupReadNoTouch } from "../key-lookup.js";

// ---------------------------------------------------------------- exact deadlines

/** An absolute deadline in ms: a number when it is a safe integer, else a bigint. */
export type Deadline = number | bigint;

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/** A bigint as a Deadline: a number when it is a safe integer. */
function toDeadline(value: bigint): Deadline {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/**
 * Give `entry` (a key of `db`) the absolute deadline `deadline`. Deadlines beyond
 * 2^53 are remembered exactly for TTL / PEXPIRETIME / propagation.
 */
export function setKeyDeadline(db: Database, entry: KeyEntry, deadline: Deadline): void {
  if (typeof deadline === "number") {
    db.setEntryExpire(entry, deadline);
    return;
  }
  db.setEntryExpire(entry, Number(deadline));
  entry.exactDeadline = deadline;
}

/** The exact deadline of `entry`, or 0 when it has none. */
export function keyDeadline(entry: KeyEntry): Deadline {
  const rounded = entry.expireAt;
  if (rounded <= Number.MAX_SAFE_INTEGER && rounded >= -Number.MAX_SAFE_INTEGER) return rounded;
  const exact = entry.exactDeadline;
  // A stale exact value (the deadline was changed elsewhere) no longer rounds to it.
  if (exact !== undefined && Number(exact) === rounded) return exact;
  return BigInt(rounded);
}

/**
 * Redis' checkAlreadyExpired(): true when `deadline` has passed and this server
 * deletes keys itself (not while loading a data file, not on a replica, which
 * waits for its primary's DEL).
 */
export function deadlinePassed(db: Database, deadline: Deadline): boolean {
  return deadline <= db.keyspace.now && db.keyspace.expiryMode === ExpiryMode.Delete;
}

/** `ERR invalid expire time in '<command>' command` for the running command. */
export function invalidExpireTime(c: ClientSession): string {
  return `ERR invalid expire time in '${c.command?.fullName ?? "set"}' command`;
}

/** Parse a signed 64-bit argument exactly: a number when safe, else a bigint. */
function parseInt64Exact(arg: Buffer): Deadline | null {
  // Up to 15 characters parseLong is exact and needs no BigInt (the same rules as parseInt64).
  if (arg.length < 16) return parseLong(arg);
  const value = parseInt64(arg);
  return value === null ? null : toDeadline(value);
}

/**
 * The deadline given by a SET / GETEX expire argument (Redis'
 * getExpireMillisecondsOrReply): `seconds` for EX / EXAT, `relative` for EX / PX.
 * Zero, negative and overflowing values are refused with "invalid expire time".
 * Writes the error and returns null when the argument is refused.
 */
export function getSetExpireDeadlineOrReply(
  c: ClientSession,
  arg: Buffer,
  seconds: boolean,
  relative: boolean,
): Deadline | null {
  const amount = parseInt64Exact(arg);
  if (amount === null) {
    c.reply.error(Err.notInteger);
    return null;
  }
  const now = c.db.keyspace.now;
  // Fast path: small enough that every step below stays a safe integer.
  if (typeof amount === "number" && amount > 0 && amount < 4_000_000_000_000) {
    return (seconds ? amount * 1000 : amount) + (relative ? now : 0);
  }
  let ms = BigInt(amount);
  if (ms <= 0n || (seconds && ms > LLONG_MAX / 1000n)) {
    c.reply.error(invalidExpireTime(c));
    return null;
  }
  if (seconds) ms *= 1000n;
  if (relative) ms += BigInt(now);
  if (ms > LLONG_MAX) {
    c.reply.error(invalidExpireTime(c));
    return null;
  }
  return toDeadline(ms);
}

// ---------------------------------------------------------------- EXPIRE family

enum ExpireFlag {
  None = 0,
  NX = 1 << 0,
  XX = 1 << 1,
  GT = 1 << 2,
  LT = 1 << 3,
}

const PEXPIREAT_ARG = Buffer.from("PEXPIREAT");
const DEL_ARG = Buffer.from("DEL");

/**
 * Parse NX / XX / GT / LT from argv[3...]. Writes Redis' error and returns null
 * on an unknown option or an incompatible combination.
 */
function parseExpireFlagsOrReply(c: ClientSession): number | null {
  const argv = c.argv;
  let flags = ExpireFlag.None;
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i]!;
    if (argIs(option, "nx")) flags |= ExpireFlag.NX;
    else if (argIs(option, "xx")) flags |= ExpireFlag.XX;
    else if (argIs(option, "gt")) flags |= ExpireFlag.GT;
    else if (argIs(option, "lt")) flags |= ExpireFlag.LT;
    else {
      c.reply.error(`ERR Unsupported option ${cString(option)}`);
      return null;
    }
  }
  if ((flags & ExpireFlag.NX) !== 0 && (flags & (ExpireFlag.XX | ExpireFlag.GT | ExpireFlag.LT)) !== 0) {
    c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return null;
  }
  if ((flags & ExpireFlag.GT) !== 0 && (flags & ExpireFlag.LT) !== 0) {
    c.reply.error("ERR GT and LT options at the same time are not compatible");
    return null;
  }
  return flags;
}

/** An argument as C sees it in a format string: up to the first NUL byte. */
function cString(arg: Buffer): string {
  const nul = arg.indexOf(0);
  return arg.toString("latin1", 0, nul === -1 ? arg.length : nul);
}

/**
 * The absolute deadline of an EXPIRE-family argument (Redis' expireGenericCommand
 * arithmetic): `seconds` scales by 1000, `relative` adds now. Negative values are
 * allowed (they are in the past); only overflow is refused.
 */
function expireDeadlineOrReply(c: ClientSession, seconds: boolean, relative: boolean): Deadline | null {
  const amount = parseInt64Exact(c.argv[2]!);
  if (amount === null) {
    c.reply.error(Err.notInteger);
    return null;
  }
  const now = c.db.keyspace.now;
  if (typeof amount === "number" && amount > -4_000_000_000_000 && amount < 4_000_000_000_000) {
    return (seconds ? amount * 1000 : amount) + (relative ? now : 0);
  }
  let when = BigInt(amount);
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) {
      c.reply.error(invalidExpireTime(c));
      return null;
    }
    when *= 1000n;
  }
  const base = relative ? BigInt(now) : 0n;
  if (when > LLONG_MAX - base) {
    c.reply.error(invalidExpireTime(c));
    return null;
  }
  return toDeadline(when + base);
}

/**
 * The shared implementation of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT.
 *
 * Replies 1 when the deadline was set (or the key deleted because the deadline
 * already passed), 0 when the key is missing or NX / XX / GT / LT refused.
 * A key without a TTL counts as an infinite TTL for GT and LT. Propagates
 * PEXPIREAT with the absolute time (options kept), or DEL for a past deadline.
 */
function expireGeneric(c: ClientSession, seconds: boolean, relative: boolean): void {
  const flags = parseExpireFlagsOrReply(c);
  if (flags === null) return;
  const when = expireDeadlineOrReply(c, seconds, relative);
  if (when === null) return;
  const db = c.db;
  const keyArg = c.argv[1]!;
  const key = argString(keyArg);
  const entry = db.lookupWriteEntry(key);
  if (entry === undefined) {
    c.reply.integer(0);
    return;
  }
  if (flags !== ExpireFlag.None) {
    const current = entry.expireAt === 0 ? -1 : keyDeadline(entry);
    if (
      ((flags & ExpireFlag.NX) !== 0 && current !== -1) ||
      ((flags & ExpireFlag.XX) !== 0 && current === -1) ||
      ((flags & ExpireFlag.GT) !== 0 && (current === -1 || when <= current)) ||
      ((flags & ExpireFlag.LT) !== 0 && current !== -1 && when >= current)
    ) {
      c.reply.integer(0);
      return;
    }
  }
  if (deadlinePassed(db, when)) {
    db.delete(key);
    db.touched(key, "del", EventClass.Generic);
    c.rewritePropagation([DEL_ARG, keyArg]);
    c.reply.integer(1);
    return;
  }
  setKeyDeadline(db, entry, when);
  c.reply.integer(1);
  const argv = c.argv.slice();
  // PEXPIREAT propagates as sent (its name keeps the client's spelling, as in Redis).
  if (!(seconds === false && relative === false)) argv[0] = PEXPIREAT_ARG;
  argv[2] = Buffer.from(String(when), "latin1");
  c.rewritePropagation(argv);
  db.touched(key, "expire", EventClass.Generic);
}

/** EXPIRE key seconds [NX | XX | GT | LT] */
function expireCommand(c: ClientSession): void {
  expireGeneric(c, true, true);
}

/** PEXPIRE key milliseconds [NX | XX | GT | LT] */
function pexpireCommand(c: ClientSession): void {
  expireGeneric(c, false, true);
}

/** EXPIREAT key unix-time-seconds [NX | XX | GT | LT] */
function expireatCommand(c: ClientSession): void {
  expireGeneric(c, true, false);
}

/** PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] */
function pexpireatCommand(c: ClientSession): void {
  expireGeneric(c, false, false);
}

// ---------------------------------------------------------------- TTL family

/**
 * The shared implementation of TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a
 * missing key, -1 for a key without TTL, else the remaining time (`absolute`:
 * the deadline) in ms, or in seconds rounded to nearest (`+500 / 1000`).
 * A deadline already passed on a key not yet removed reads as 0.
 */
function ttlGeneric(c: ClientSession, milliseconds: boolean, absolute: boolean): void {
  const db = c.db;
  const key = argString(c.argv[1]!);
  if (lookupReadNoTouch(db, key) === undefined) {
    c.reply.integer(-2);
    return;
  }
  const entry = db.peekEntry(key)!;
  if (entry.expireAt === 0) {
    c.reply.integer(-1);
    return;
  }
  const deadline = keyDeadline(entry);
  if (typeof deadline === "number") {
    let ttl = absolute ? deadline : deadline - db.keyspace.now;
    if (ttl < 0) ttl = 0;
    c.reply.integer(milliseconds ? ttl : Math.floor((ttl + 500) / 1000));
    return;
  }
  let ttl = absolute ? deadline : deadline - BigInt(db.keyspace.now);
  if (ttl < 0n) ttl = 0n;
  c.reply.integer(milliseconds ? ttl : (ttl + 500n) / 1000n);
}

/** TTL key */
function ttlCommand(c: ClientSession): void {
  ttlGeneric(c, false, false);
}

/** PTTL key */
function pttlCommand(c: ClientSession): void {
  ttlGeneric(c, true, false);
}

/** EXPIRETIME key */
function expiretimeCommand(c: ClientSession): void {
  ttlGeneric(c, false, true);
}

/** PEXPIRETIME key */
function pexpiretimeCommand(c: ClientSession): void {
  ttlGeneric(c, true, true);
}

/** PERSIST key: 1 when a TTL was removed, else 0. */
function persistCommand(c: ClientSession): void {
  const db = c.db;
  const key = argString(c.argv[1]!);
  if (db.lookupWriteEntry(key) === undefined || !db.persist(key)) {
    c.reply.integer(0);
    return;
  }
  db.touched(key, "persist", EventClass.Generic);
  c.reply.integer(1);
}

// ---------------------------------------------------------------- specs

function expireSpec(name: string, summary: string, since: string, handler: (c: ClientSession) => void) {
  return {
    name,
    arity: -3,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@keyspace"],
    group: "generic",
    summary,
    since,
    complexity: "O(1)",
    handler,
  } as const satisfies CommandSpec;
}

function ttlSpec(name: string, summary: string, since: string, handler: (c: ClientSession) => void) {
  return {
    name,
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@keyspace"],
    group: "generic",
    summary,
    since,
    complexity: "O(1)",
    handler,
  } as const satisfies CommandSpec;
}

export const expireCommands: readonly CommandSpec[] = [
  expireSpec("expire", "Give a key a time to live in seconds", "1.0.0", expireCommand),
  expireSpec("pexpire", "Give a key a time to live in milliseconds", "2.6.0", pexpireCommand),
  expireSpec("expireat", "Make a key expire at a Unix time in seconds", "1.2.0", expireatCommand),
  expireSpec("pexpireat", "Make a key expire at a Unix time in milliseconds", "2.6.0", pexpireatCommand),
  ttlSpec("ttl", "Time to live of a key in seconds", "1.0.0", ttlCommand),
  ttlSpec("pttl", "Time to live of a key in milliseconds", "2.6.0", pttlCommand),
  ttlSpec("expiretime", "When a key expires, as Unix seconds", "7.0.0", expiretimeCommand),
  ttlSpec("pexpiretime", "When a key expires, as Unix milliseconds", "7.0.0", pexpiretimeCommand),
  {
    name: "persist",
    arity: 2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Remove a key's time to live",
    since: "2.2.0",
    complexity: "O(1)",
    handler: persistCommand,
  },
];
