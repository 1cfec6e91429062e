/*
 * Hash commands (Redis' t_hash.c, command side).
 *
 * Handlers reach hashes only through RedisHash's API: the type decides its
 * encoding (listpack / hashtable) and converts itself at the thresholds in
 * db.keyspace.limits. Every mutation ends in the one write epilogue
 * db.touched(key, event, EventClass.Hash); a hash emptied by HDEL is deleted
 * with the "del" event, as Redis does.
 */

import { EventClass, globMatch, parseCanonicalInteger, RedisHash } from "@spinel/core-db";
import { argIs, argString } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY } from "../command-spec.js";
import { Err, wrongArity } from "../errors.js";
import { incrementLongDouble, LongDoubleFailure, parseLongDouble } from "../long-double.js";
import { distinctRandomPositions, getRandomCountOrReply } from "../random-sample.js";
import { matchesEverything, parseCursor, parseScanArgsOrReply } from "../scan-args.js";

// ---------------------------------------------------------------- lookups

/**
 * The hash at `key` for a read command: the hash, undefined when the key is
 * missing, or null after replying WRONGTYPE.
 */
function readHashOrReply(c: ClientSession, key: string): RedisHash | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined) return undefined;
  if (value.type !== "hash") {
    c.reply.error(Err.wrongType);
    return null;
  }
  return value;
}

/**
 * The hash at `key` for a write command, created empty (and added to the
 * database, raising "new") when the key is missing, as Redis'
 * hashTypeLookupWriteOrCreate does; null after replying WRONGTYPE. Callers
 * create only when they are about to store a field, so no empty hash is left.
 */
function writableHashOrReply(c: ClientSession, key: string): RedisHash | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined) {
    const hash = new RedisHash();
    c.db.add(key, hash);
    return hash;
  }
  if (value.type !== "hash") {
    c.reply.error(Err.wrongType);
    return null;
  }
  return value;
}

// ---------------------------------------------------------------- HSET family

/**
 * The shared HSET / HMSET implementation: set every field/value pair of
 * argv[2..]. HSET replies with the number of new fields, HMSET with OK.
 */
function hsetGeneric(c: ClientSession, replyOk: boolean): void {
  const argv = c.argv;
  if (argv.length % 2 === 1) {
    c.reply.error(wrongArity(c.command!.fullName));
    return;
  }
  const key = argString(argv[1]!);
  const hash = writableHashOrReply(c, key);
  if (hash === null) return;
  const limits = c.db.keyspace.limits;
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (hash.set(argString(argv[i]!), argv[i + 1]!, limits)) created++;
  }
  c.db.touched(key, "hset", EventClass.Hash, (argv.length - 2) / 2);
  if (replyOk) c.reply.ok();
  else c.reply.integer(created);
}

/** HSET key field value [field value ...] */
function hsetCommand(c: ClientSession): void {
  hsetGeneric(c, false);
}

/** HMSET key field value [field value ...] (deprecated alias of HSET replying OK) */
function hmsetCommand(c: ClientSession): void {
  hsetGeneric(c, true);
}

/** HSETNX key field value */
function hsetnxCommand(c: ClientSession): void {
  const argv = c.argv;
  const key = argString(argv[1]!);
  const hash = writableHashOrReply(c, key);
  if (hash === null) return;
  const field = argString(argv[2]!);
  if (hash.has(field)) {
    c.reply.integer(0);
    return;
  }
  hash.set(field, argv[3]!, c.db.keyspace.limits);
  c.db.touched(key, "hset", EventClass.Hash);
  c.reply.integer(1);
}

// ---------------------------------------------------------------- reads

/** HGET key field */
function hgetCommand(c: ClientSession): void {
  const hash = readHashOrReply(c, argString(c.argv[1]!));
  if (hash === null) return;
  if (hash === undefined || !hash.writeValue(argString(c.argv[2]!), c.reply)) c.reply.nullBulk();
}

/** HMGET key field [field ...]: a missing key reads as an empty hash. */
function hmgetCommand(c: ClientSession): void {
  const argv = c.argv;
  const hash = readHashOrReply(c, argString(argv[1]!));
  if (hash === null) return;
  c.reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    if (hash === undefined || !hash.writeValue(argString(argv[i]!), c.reply)) c.reply.nullBulk();
  }
}

/** HLEN key */
function hlenCommand(c: ClientSession): void {
  const hash = readHashOrReply(c, argString(c.argv[1]!));
  if (hash === null) return;
  c.reply.integer(hash === undefined ? 0 : hash.length);
}

/** HSTRLEN key field */
function hstrlenCommand(c: ClientSession): void {
  const hash = readHashOrReply(c, argString(c.argv[1]!));
  if (hash === null) return;
  const length = hash === undefined ? -1 : hash.valueLength(argString(c.argv[2]!));
  c.reply.integer(length === -1 ? 0 : length);
}

/** HEXISTS key field */
function hexistsCommand(c: ClientSession): void {
  const hash = readHashOrReply(c, argString(c.argv[1]!));
  if (hash === null) return;
  c.reply.integer(hash?.has(argString(c.argv[2]!)) ? 1 : 0);
}

/** What genericHgetall returns: fields, values or both. */
enum HashPart {
  Fields = 1,
  Values = 2,
  Both = 3,
}

/**
 * The shared HKEYS / HVALS / HGETALL implementation, in the hash's iteration
 * order (insertion order for a listpack). HGETALL is a map on RESP3.
 */
function hgetallGeneric(c: ClientSession, part: HashPart): void {
  const hash = readHashOrReply(c, argString(c.argv[1]!));
  if (hash === null) return;
  const reply = c.reply;
  const length = hash === undefined ? 0 : hash.length;
  if (part === HashPart.Both) reply.mapLen(length);
  else reply.arrayLen(length);
  for (let i = 0; i < length; i++) {
    if ((part & HashPart.Fields) !== 0) reply.bulkString(hash!.fieldAt(i));
    if ((part & HashPart.Values) !== 0) hash!.writeValueAt(i, reply);
  }
}

/** HKEYS key */
function hkeysCommand(c: ClientSession): void {
  hgetallGeneric(c, HashPart.Fields);
}

/** HVALS key */
function hvalsCommand(c: ClientSession): void {
  hgetallGeneric(c, HashPart.Values);
}

/** HGETALL key */
function hgetallCommand(c: ClientSession): void {
  hgetallGeneric(c, HashPart.Both);
}

// ---------------------------------------------------------------- HDEL

/** HDEL key field [field ...]: deletes the key when its last field goes. */
function hdelCommand(c: ClientSession): void {
  const argv = c.argv;
  const key = argString(argv[1]!);
  const value = c.db.lookupWrite(key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  if (value.type !== "hash") {
    c.reply.error(Err.wrongType);
    return;
  }
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (value.delete(argString(argv[i]!))) {
      deleted++;
      if (value.length === 0) break;
    }
  }
  if (deleted > 0) {
    const emptied = value.length === 0;
    if (emptied) c.db.delete(key);
    c.db.touched(key, "hdel", EventClass.Hash, deleted);
    if (emptied) c.db.notify(key, "del", EventClass.Generic);
  }
  c.reply.integer(deleted);
}

// ---------------------------------------------------------------- HINCRBY family

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** HINCRBY key field increment */
function hincrbyCommand(c: ClientSession): void {
  const argv = c.argv;
  const increment = parseCanonicalInteger(argv[3]!);
  if (increment === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  const key = argString(argv[1]!);
  const hash = writableHashOrReply(c, key);
  if (hash === null) return;
  const field = argString(argv[2]!);
  const current = hash.get(field);
  let base: number | bigint = 0;
  if (current !== undefined) {
    const parsed = parseCanonicalInteger(current);
    if (parsed === null) {
      c.reply.error(Err.hashValueNotInteger);
      return;
    }
    base = parsed;
  }
  let sum: number | bigint;
  if (typeof base === "number" && typeof increment === "number" && Number.isSafeInteger(base + increment)) {
    sum = base + increment;
  } else {
    // Slow path beyond 2^53: exact 64-bit arithmetic with Redis' overflow check.
    const exact = BigInt(base) + BigInt(increment);
    if (exact > INT64_MAX || exact < INT64_MIN) {
      c.reply.error(Err.overflow);
      return;
    }
    sum = exact;
  }
  hash.setText(field, String(sum), c.db.keyspace.limits);
  c.db.touched(key, "hincrby", EventClass.Hash);
  c.reply.integer(sum);
}

const HSET_ARG = Buffer.from("HSET");

/**
 * HINCRBYFLOAT key field increment: x87 long double arithmetic and "%.17Lf"
 * formatting, as Redis. Propagated as HSET of the resulting text, so replicas
 * and the AOF never redo the floating-point sum.
 */
function hincrbyfloatCommand(c: ClientSession): void {
  const argv = c.argv;
  const increment = parseLongDouble(argv[3]!);
  if (increment === null) {
    c.reply.error(Err.notFloat);
    return;
  }
  if (increment.infinite) {
    c.reply.error(Err.nanOrInfinity);
    return;
  }
  const key = argString(argv[1]!);
  const hash = writableHashOrReply(c, key);
  if (hash === null) return;
  const field = argString(argv[2]!);
  const result = incrementLongDouble(hash.get(field) ?? null, argv[3]!);
  if (typeof result !== "string") {
    c.reply.error(result === LongDoubleFailure.CurrentNotFloat ? Err.hashValueNotFloat : Err.incrFloatNaN);
    return;
  }
  hash.setText(field, result, c.db.keyspace.limits);
  c.db.touched(key, "hincrbyfloat", EventClass.Hash);
  c.reply.bulkString(result);
  c.rewritePropagation([HSET_ARG, argv[1]!, argv[2]!, Buffer.from(result, "latin1")]);
}

// ---------------------------------------------------------------- HRANDFIELD

/** HRANDFIELD key [count [WITHVALUES]] */
function hrandfieldCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length >= 3) {
    hrandfieldWithCount(c);
    return;
  }
  const hash = readHashOrReply(c, argString(argv[1]!));
  if (hash === null) return;
  if (hash === undefined) {
    c.reply.nullBulk();
    return;
  }
  c.reply.bulkString(hash.fieldAt(hash.randomPosition()));
}

/**
 * HRANDFIELD with a count: a negative count allows repeats (and returns exactly
 * |count| fields), a positive one returns distinct fields, the whole hash when
 * it asks for as many or more. RESP3 replies nest each field/value pair in an
 * array of two; RESP2 flattens them.
 */
function hrandfieldWithCount(c: ClientSession): void {
  const argv = c.argv;
  const withValues = argv.length === 4 && argIs(argv[3]!, "withvalues");
  if (argv.length > 4 || (argv.length === 4 && !withValues)) {
    // The count is validated first, as Redis does.
    if (getRandomCountOrReply(c, argv[2]!, false) !== null) c.reply.error(Err.syntax);
    return;
  }
  const requested = getRandomCountOrReply(c, argv[2]!, withValues);
  if (requested === null) return;
  const hash = readHashOrReply(c, argString(argv[1]!));
  if (hash === null) return;
  const reply = c.reply;
  if (hash === undefined || requested === 0) {
    reply.arrayLen(0);
    return;
  }
  const nestPairs = withValues && reply.protocol === 3;
  const size = hash.length;
  if (requested < 0) {
    const count = -requested;
    reply.arrayLen(withValues && !nestPairs ? count * 2 : count);
    if (count > size) {
      writeRandomPicks(c, hash, count, withValues, nestPairs);
      return;
    }
    for (let i = 0; i < count; i++) writeRandomField(c, hash, hash.randomPosition(), withValues, nestPairs);
    return;
  }
  if (requested >= size) {
    reply.arrayLen(withValues && !nestPairs ? size * 2 : size);
    for (let i = 0; i < size; i++) writeRandomField(c, hash, i, withValues, nestPairs);
    return;
  }
  const positions = distinctRandomPositions(size, requested);
  reply.arrayLen(withValues && !nestPairs ? requested * 2 : requested);
  for (let i = 0; i < positions.length; i++) writeRandomField(c, hash, positions[i]!, withValues, nestPairs);
}

/**
 * `count` random fields (with repeats), more than the hash holds: the fields and
 * values are read once, in order, and picked from there, so the reply costs
 * O(size + count) whatever the encoding (a listpack's positional read at random is
 * O(size)).
 */
function writeRandomPicks(
  c: ClientSession,
  hash: RedisHash,
  count: number,
  withValues: boolean,
  nestPairs: boolean,
): void {
  const size = hash.length;
  const fields = new Array<string>(size);
  const values = withValues ? new Array<Buffer>(size) : null;
  for (let i = 0; i < size; i++) {
    fields[i] = hash.fieldAt(i);
    if (values !== null) values[i] = hash.valueAt(i);
  }
  const reply = c.reply;
  for (let i = 0; i < count; i++) {
    const position = Math.floor(Math.random() * size);
    if (nestPairs) reply.arrayLen(2);
    reply.bulkString(fields[position]!);
    if (values !== null) reply.bulk(values[position]!);
  }
}

/** One element of an HRANDFIELD reply: the field, or the field and its value. */
function writeRandomField(
  c: ClientSession,
  hash: RedisHash,
  position: number,
  withValues: boolean,
  nestPairs: boolean,
): void {
  const reply = c.reply;
  if (nestPairs) reply.arrayLen(2);
  reply.bulkString(hash.fieldAt(position));
  if (withValues) hash.writeValueAt(position, reply);
}

// ---------------------------------------------------------------- HSCAN

/** The reply to a SCAN-family command on a missing key: cursor 0, no elements. */
const EMPTY_SCAN = Buffer.from("*2\r\n$1\r\n0\r\n*0\r\n");

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]. As in Redis, the cursor is
 * validated before the key is looked up and the options after (a missing key
 * answers an empty scan whatever the options).
 */
function hscanCommand(c: ClientSession): void {
  const argv = c.argv;
  if (parseCursor(argv[2]!) === null) {
    c.reply.error("ERR invalid cursor");
    return;
  }
  const hash = readHashOrReply(c, argString(argv[1]!));
  if (hash === null) return;
  if (hash === undefined) {
    c.reply.raw(EMPTY_SCAN);
    return;
  }
  const options = parseScanArgsOrReply(c, 2, false);
  if (options === null) return;
  const fields: string[] = [];
  const values: Buffer[] = [];
  const next = hash.scan(options.cursor, options.count, fields, values);
  const reply = c.reply;
  reply.arrayLen(2);
  reply.bulkString(String(next));
  const pattern = options.match;
  const filter = !matchesEverything(pattern);
  let matched = fields.length;
  if (filter) {
    matched = 0;
    for (let i = 0; i < fields.length; i++) if (globMatch(pattern!, fields[i]!)) matched++;
  }
  reply.arrayLen(matched * 2);
  for (let i = 0; i < fields.length; i++) {
    if (filter && !globMatch(pattern!, fields[i]!)) continue;
    reply.bulkString(fields[i]!);
    reply.bulk(values[i]!);
  }
}

// ---------------------------------------------------------------- specs

export const hashCommands: readonly CommandSpec[] = [
  {
    name: "hset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Write fields of a hash",
    since: "2.0.0",
    complexity: "O(1) per field.",
    handler: hsetCommand,
  },
  {
    name: "hsetnx",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Write a hash field unless it exists",
    since: "2.0.0",
    complexity: "O(1)",
    handler: hsetnxCommand,
  },
  {
    name: "hget",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Read one field of a hash",
    since: "2.0.0",
    complexity: "O(1)",
    handler: hgetCommand,
  },
  {
    name: "hmset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Write several fields of a hash (older form of HSET)",
    since: "2.0.0",
    complexity: "O(N), N = fields written.",
    handler: hmsetCommand,
  },
  {
    name: "hmget",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Read several fields of a hash",
    since: "2.0.0",
    complexity: "O(N), N = fields asked for.",
    handler: hmgetCommand,
  },
  {
    name: "hgetall",
    arity: 2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Every field and value of a hash",
    since: "2.0.0",
    complexity: "O(N), N = fields.",
    handler: hgetallCommand,
  },
  {
    name: "hdel",
    arity: -3,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Remove fields of a hash",
    since: "2.0.0",
    complexity: "O(N), N = fields.",
    handler: hdelCommand,
  },
  {
    name: "hlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "How many fields a hash has",
    since: "2.0.0",
    complexity: "O(1)",
    handler: hlenCommand,
  },
  {
    name: "hexists",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Whether a hash has a field",
    since: "2.0.0",
    complexity: "O(1)",
    handler: hexistsCommand,
  },
  {
    name: "hkeys",
    arity: 2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Every field name of a hash",
    since: "2.0.0",
    complexity: "O(N), N = fields.",
    handler: hkeysCommand,
  },
  {
    name: "hvals",
    arity: 2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Every value of a hash",
    since: "2.0.0",
    complexity: "O(N), N = fields.",
    handler: hvalsCommand,
  },
  {
    name: "hstrlen",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Length of a hash field's value",
    since: "3.2.0",
    complexity: "O(1)",
    handler: hstrlenCommand,
  },
  {
    name: "hincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Add an integer to a hash field",
    since: "2.0.0",
    complexity: "O(1)",
    handler: hincrbyCommand,
  },
  {
    name: "hincrbyfloat",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Add a decimal number to a hash field",
    since: "2.6.0",
    complexity: "O(1)",
    handler: hincrbyfloatCommand,
  },
  {
    name: "hrandfield",
    arity: -2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Random fields of a hash",
    since: "6.2.0",
    complexity: "O(N), N = fields returned.",
    handler: hrandfieldCommand,
  },
  {
    name: "hscan",
    arity: -3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@hash"],
    group: "hash",
    summary: "Walk a hash's fields with a cursor",
    since: "2.8.0",
    complexity: "O(1) a call; O(N) over a whole iteration of N elements.",
    handler: hscanCommand,
  },
];
