/*
 * String commands (Redis' t_string.c).
 */

import { EventClass, RedisString } from "@spinel/core-db";
import { argIs, argString, parseLong } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY } from "../command-spec.js";
import { Err } from "../errors.js";

// ---------------------------------------------------------------- GET

/** GET key */
function getCommand(c: ClientSession): void {
  const value = c.db.lookupRead(argString(c.argv[1]!));
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return;
  }
  writeStringValue(c, value);
}

/** Reply with a string value (int-encoded strings are rendered in decimal). */
export function writeStringValue(c: ClientSession, value: RedisString): void {
  if (value.isInteger) c.reply.bulkInteger(value.integerValue);
  else c.reply.bulk(value.toBuffer());
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
}

const EXPIRE_FLAGS = SetFlag.EX | SetFlag.PX | SetFlag.EXAT | SetFlag.PXAT;
/** LLONG_MAX as a double (2^63). */
const MAX_LONG = 2 ** 63;

/**
 * The shared SET implementation (SET, SETNX, SETEX, PSETEX). `expireArg` is the
 * TTL argument in the unit given by flags (EX/PX/EXAT/PXAT), or null.
 * Writes the reply. `okReply`/`abortReply` let SETNX answer with integers.
 */
function setGeneric(
  c: ClientSession,
  flags: number,
  keyArg: Buffer,
  valueArg: Buffer,
  expireArg: Buffer | null,
  commandName: string,
  integerReplies: boolean,
): void {
  const db = c.db;
  const key = argString(keyArg);
  let expireAt = 0;
  if (expireArg !== null) {
    let amount = parseLong(expireArg);
    if (amount === null) {
      c.reply.error(Err.notInteger);
      return;
    }
    const seconds = (flags & (SetFlag.EX | SetFlag.EXAT)) !== 0;
    if (amount <= 0 || (seconds && amount > MAX_LONG / 1000)) {
      c.reply.error(`ERR invalid expire time in '${commandName}' command`);
      return;
    }
    if (seconds) amount *= 1000;
    if ((flags & (SetFlag.EX | SetFlag.PX)) !== 0) amount += db.keyspace.now;
    if (amount > MAX_LONG) {
      c.reply.error(`ERR invalid expire time in '${commandName}' command`);
      return;
    }
    expireAt = amount;
  }

  const existing = db.lookupWrite(key);
  if ((flags & SetFlag.GET) !== 0) {
    if (existing !== undefined && existing.type !== "string") {
      c.reply.error(Err.wrongType);
      return;
    }
  }
  if (
    ((flags & SetFlag.NX) !== 0 && existing !== undefined) ||
    ((flags & SetFlag.XX) !== 0 && existing === undefined)
  ) {
    if ((flags & SetFlag.GET) !== 0) {
      if (existing === undefined) c.reply.nullBulk();
      else writeStringValue(c, existing as RedisString);
    } else if (integerReplies) c.reply.integer(0);
    else c.reply.nullBulk();
    return;
  }

  if ((flags & SetFlag.GET) !== 0) {
    if (existing === undefined) c.reply.nullBulk();
    else writeStringValue(c, existing as RedisString);
  }
  const entry = db.set(key, RedisString.fromBytes(valueArg), (flags & SetFlag.KeepTtl) !== 0);
  if (expireAt !== 0) db.setEntryExpire(entry, expireAt);
  db.touched(key, "set", EventClass.String);
  if (expireAt !== 0) {
    db.notify(key, "expire", EventClass.Generic);
    // Replay must not depend on the clock: propagate an absolute PXAT.
    c.rewritePropagation([SET_ARG, keyArg, valueArg, PXAT_ARG, Buffer.from(String(expireAt))]);
  } else if ((flags & SetFlag.GET) !== 0) {
    c.rewritePropagation(c.argv.filter((arg, index) => index < 3 || !argIs(arg, "get")));
  }
  if ((flags & SetFlag.GET) === 0) {
    if (integerReplies) c.reply.integer(1);
    else c.reply.ok();
  }
}

const SET_ARG = Buffer.from("SET");
const PXAT_ARG = Buffer.from("PXAT");

/** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL] */
function setCommand(c: ClientSession): void {
  const argv = c.argv;
  let flags = SetFlag.None;
  let expireArg: Buffer | null = null;
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i]!;
    const next = i + 1 < argv.length ? argv[i + 1]! : null;
    if (argIs(option, "nx") && (flags & SetFlag.XX) === 0) flags |= SetFlag.NX;
    else if (argIs(option, "xx") && (flags & SetFlag.NX) === 0) flags |= SetFlag.XX;
    else if (argIs(option, "get")) flags |= SetFlag.GET;
    else if (argIs(option, "keepttl") && (flags & EXPIRE_FLAGS) === 0) flags |= SetFlag.KeepTtl;
    else if (
      next !== null &&
      (flags & (EXPIRE_FLAGS | SetFlag.KeepTtl)) === 0 &&
      expireOption(option) !== 0
    ) {
      flags |= expireOption(option);
      expireArg = next;
      i++;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  setGeneric(c, flags, argv[1]!, argv[2]!, expireArg, "set", false);
}

function expireOption(option: Buffer): number {
  if (argIs(option, "ex")) return SetFlag.EX;
  if (argIs(option, "px")) return SetFlag.PX;
  if (argIs(option, "exat")) return SetFlag.EXAT;
  if (argIs(option, "pxat")) return SetFlag.PXAT;
  return 0;
}

/** SETNX key value */
function setnxCommand(c: ClientSession): void {
  setGeneric(c, SetFlag.NX, c.argv[1]!, c.argv[2]!, null, "setnx", true);
}

/** SETEX key seconds value */
function setexCommand(c: ClientSession): void {
  setGeneric(c, SetFlag.EX, c.argv[1]!, c.argv[3]!, c.argv[2]!, "setex", false);
}

/** PSETEX key milliseconds value */
function psetexCommand(c: ClientSession): void {
  setGeneric(c, SetFlag.PX, c.argv[1]!, c.argv[3]!, c.argv[2]!, "psetex", false);
}

export const stringCommands: readonly CommandSpec[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@string"],
    group: "string",
    summary: "Get the value of a key",
    since: "1.0.0",
    complexity: "O(1)",
    handler: getCommand,
  },
  {
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    acl: ["@string"],
    group: "string",
    summary: "Set the string value of a key",
    since: "1.0.0",
    complexity: "O(1)",
    handler: setCommand,
  },
  {
    name: "setnx",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@string"],
    group: "string",
    summary: "Set the value of a key, only if the key does not exist",
    since: "1.0.0",
    complexity: "O(1)",
    handler: setnxCommand,
  },
  {
    name: "setex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    acl: ["@string"],
    group: "string",
    summary: "Set the value and expiration of a key",
    since: "2.0.0",
    complexity: "O(1)",
    handler: setexCommand,
  },
  {
    name: "psetex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    acl: ["@string"],
    group: "string",
    summary: "Set the value and expiration in milliseconds of a key",
    since: "2.6.0",
    complexity: "O(1)",
    handler: psetexCommand,
  },
];
