/*
 * Set commands (Redis' t_set.c, command side).
 *
 * Handlers reach sets only through RedisSet's API: the type decides its encoding
 * (intset / hashtable) and converts itself at the thresholds in
 * db.keyspace.limits. Every mutation ends in the one write epilogue
 * db.touched(key, event, EventClass.Set); a set emptied by SREM, SPOP or SMOVE is
 * deleted with the "del" event, as Redis does.
 *
 * Results of SINTER / SUNION / SDIFF and their STORE forms are built like Redis
 * builds them (a new set that starts as an intset), so a result of integers
 * replies in ascending order and is stored as an intset, exactly as Redis.
 *
 * SPOP is random and is propagated as what it did: SREM of the popped members,
 * or DEL when it emptied the set, so replicas and the AOF replay it exactly.
 */

import { EventClass, globMatch, RedisSet } from "@spinel/core-db";
import { argIs, argString, parseLong } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY, NO_KEYS } from "../command-spec.js";
import { Err } from "../errors.js";
import { distinctRandomPositions, getRandomCountOrReply } from "../random-sample.js";
import { matchesEverything, parseCursor, parseScanArgsOrReply } from "../scan-args.js";

// ---------------------------------------------------------------- lookups

/**
 * The set at `key` for a read command: the set, undefined when the key is
 * missing, or null after replying WRONGTYPE.
 */
function readSetOrReply(c: ClientSession, key: string): RedisSet | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined) return undefined;
  if (value.type !== "set") {
    c.reply.error(Err.wrongType);
    return null;
  }
  return value;
}

/** Like readSetOrReply, with a write lookup (no hit/miss accounting). */
function writeSetOrReply(c: ClientSession, key: string): RedisSet | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined) return undefined;
  if (value.type !== "set") {
    c.reply.error(Err.wrongType);
    return null;
  }
  return value;
}

/**
 * Delete `key` when its set became empty, with the "del" event. Call after the
 * command's own epilogue, so events come in Redis' order ("srem", then "del").
 */
function deleteIfEmptied(c: ClientSession, key: string, set: RedisSet): void {
  if (set.length !== 0) return;
  c.db.delete(key);
  c.db.notify(key, "del", EventClass.Generic);
}

// ---------------------------------------------------------------- SADD / SREM

/** SADD key member [member ...] */
function saddCommand(c: ClientSession): void {
  const argv = c.argv;
  const key = argString(argv[1]!);
  let set = writeSetOrReply(c, key);
  if (set === null) return;
  if (set === undefined) {
    set = new RedisSet();
    c.db.add(key, set);
  }
  const limits = c.db.keyspace.limits;
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (set.add(argString(argv[i]!), limits)) added++;
  if (added > 0) c.db.touched(key, "sadd", EventClass.Set, added);
  c.reply.integer(added);
}

/** SREM key member [member ...]: deletes the key when its last member goes. */
function sremCommand(c: ClientSession): void {
  const argv = c.argv;
  const key = argString(argv[1]!);
  const set = writeSetOrReply(c, key);
  if (set === null) return;
  if (set === undefined) {
    c.reply.integer(0);
    return;
  }
  let removed = 0;
  for (let i = 2; i < argv.length; i++) {
    if (set.remove(argString(argv[i]!))) {
      removed++;
      if (set.length === 0) break;
    }
  }
  if (removed > 0) {
    c.db.touched(key, "srem", EventClass.Set, removed);
    deleteIfEmptied(c, key, set);
  }
  c.reply.integer(removed);
}

// ---------------------------------------------------------------- SMOVE

/**
 * SMOVE source destination member. Both keys are type-checked before anything
 * moves (a missing source answers 0 first); moving within one set only tells
 * whether the member is there.
 */
function smoveCommand(c: ClientSession): void {
  const argv = c.argv;
  const db = c.db;
  const sourceKey = argString(argv[1]!);
  const destinationKey = argString(argv[2]!);
  const source = db.lookupWrite(sourceKey);
  const destination = db.lookupWrite(destinationKey);
  const member = argString(argv[3]!);
  if (source === undefined) {
    c.reply.integer(0);
    return;
  }
  if (source.type !== "set" || (destination !== undefined && destination.type !== "set")) {
    c.reply.error(Err.wrongType);
    return;
  }
  if (source === destination) {
    c.reply.integer(source.has(member) ? 1 : 0);
    return;
  }
  if (!source.remove(member)) {
    c.reply.integer(0);
    return;
  }
  db.touched(sourceKey, "srem", EventClass.Set);
  deleteIfEmptied(c, sourceKey, source);
  let target = destination;
  if (target === undefined) {
    target = new RedisSet();
    db.add(destinationKey, target);
  }
  if (target.add(member, db.keyspace.limits)) db.touched(destinationKey, "sadd", EventClass.Set);
  c.reply.integer(1);
}

// ---------------------------------------------------------------- reads

/** SISMEMBER key member */
function sismemberCommand(c: ClientSession): void {
  const set = readSetOrReply(c, argString(c.argv[1]!));
  if (set === null) return;
  c.reply.integer(set?.has(argString(c.argv[2]!)) ? 1 : 0);
}

/** SMISMEMBER key member [member ...]: a missing key reads as an empty set. */
function smismemberCommand(c: ClientSession): void {
  const argv = c.argv;
  const set = readSetOrReply(c, argString(argv[1]!));
  if (set === null) return;
  c.reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.integer(set?.has(argString(argv[i]!)) ? 1 : 0);
  }
}

/** SCARD key */
function scardCommand(c: ClientSession): void {
  const set = readSetOrReply(c, argString(c.argv[1]!));
  if (set === null) return;
  c.reply.integer(set === undefined ? 0 : set.length);
}

/** SMEMBERS key: the members in the set's order (ascending for an intset); a set on RESP3. */
function smembersCommand(c: ClientSession): void {
  const set = readSetOrReply(c, argString(c.argv[1]!));
  if (set === null) return;
  writeWholeSet(c, set);
}

/** Reply with every member of `set` (an empty set when undefined) as a RESP3 set. */
function writeWholeSet(c: ClientSession, set: RedisSet | undefined): void {
  const length = set === undefined ? 0 : set.length;
  c.reply.setLen(length);
  for (let i = 0; i < length; i++) c.reply.bulkString(set!.memberAt(i));
}

// ---------------------------------------------------------------- SPOP

const SREM_ARG = Buffer.from("SREM");
const DEL_ARG = Buffer.from("DEL");

/** SPOP key [count] */
function spopCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length === 3) {
    spopWithCount(c);
    return;
  }
  if (argv.length > 3) {
    c.reply.error(Err.syntax);
    return;
  }
  const key = argString(argv[1]!);
  const set = writeSetOrReply(c, key);
  if (set === null) return;
  if (set === undefined) {
    c.reply.nullBulk();
    return;
  }
  const member = set.popRandom();
  c.db.touched(key, "spop", EventClass.Set);
  // Replay must not depend on chance: propagate the member that was popped.
  c.rewritePropagation([SREM_ARG, argv[1]!, Buffer.from(member, "latin1")]);
  c.reply.bulkString(member);
  deleteIfEmptied(c, key, set);
}

/**
 * SPOP key count: a RESP3 set of `count` distinct random members. Popping the
 * whole set deletes the key and propagates DEL; otherwise each popped member is
 * propagated as its own SREM (call() wraps them in MULTI/EXEC), as Redis 7.0.
 */
function spopWithCount(c: ClientSession): void {
  const argv = c.argv;
  // Redis' getPositiveLongFromObjectOrReply: one message for any bad count.
  const count = parseLong(argv[2]!);
  if (count === null || count < 0) {
    c.reply.error(Err.countNotPositive);
    return;
  }
  const key = argString(argv[1]!);
  const set = writeSetOrReply(c, key);
  if (set === null) return;
  if (set === undefined || count === 0) {
    c.reply.setLen(0);
    return;
  }
  const size = set.length;
  if (count >= size) {
    // The whole set, in the order Redis replies it (through a union of one set).
    c.db.touched(key, "spop", EventClass.Set, size);
    writeWholeSet(c, unionOf(c, [set]));
    c.db.delete(key);
    c.db.notify(key, "del", EventClass.Generic);
    c.rewritePropagation([DEL_ARG, argv[1]!]);
    return;
  }
  const popped: string[] = [];
  set.popRandomMembers(count, c.db.keyspace.limits, popped);
  c.db.touched(key, "spop", EventClass.Set, count);
  c.rewritePropagation([]);
  c.reply.setLen(count);
  for (let i = 0; i < popped.length; i++) {
    c.reply.bulkString(popped[i]!);
    c.propagateAlso([SREM_ARG, argv[1]!, Buffer.from(popped[i]!, "latin1")]);
  }
}

// ---------------------------------------------------------------- SRANDMEMBER

/** SRANDMEMBER key [count] */
function srandmemberCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length === 3) {
    srandmemberWithCount(c);
    return;
  }
  if (argv.length > 3) {
    c.reply.error(Err.syntax);
    return;
  }
  const set = readSetOrReply(c, argString(argv[1]!));
  if (set === null) return;
  if (set === undefined) {
    c.reply.nullBulk();
    return;
  }
  c.reply.bulkString(set.randomMember());
}

/**
 * SRANDMEMBER key count: an array (not a set: a negative count repeats members,
 * exactly |count| of them). A positive count gives distinct members, the whole
 * set when it asks for as many or more.
 */
function srandmemberWithCount(c: ClientSession): void {
  const requested = getRandomCountOrReply(c, c.argv[2]!, false);
  if (requested === null) return;
  const set = readSetOrReply(c, argString(c.argv[1]!));
  if (set === null) return;
  const reply = c.reply;
  if (set === undefined || requested === 0) {
    reply.arrayLen(0);
    return;
  }
  if (requested < 0 || requested === 1) {
    const count = requested < 0 ? -requested : 1;
    reply.arrayLen(count);
    for (let i = 0; i < count; i++) reply.bulkString(set.randomMember());
    return;
  }
  const size = set.length;
  if (requested >= size) {
    reply.arrayLen(size);
    for (let i = 0; i < size; i++) reply.bulkString(set.memberAt(i));
    return;
  }
  const positions = distinctRandomPositions(size, requested);
  reply.arrayLen(requested);
  for (let i = 0; i < positions.length; i++) reply.bulkString(set.memberAt(positions[i]!));
}

// ---------------------------------------------------------------- set algebra

/**
 * The sets named by argv[first..end): undefined entries for missing keys, or
 * null after replying WRONGTYPE (every key is checked, missing ones included, as
 * Redis does before computing anything). STORE forms use write lookups.
 */
function lookupSetsOrReply(
  c: ClientSession,
  first: number,
  end: number,
  forWrite: boolean,
): (RedisSet | undefined)[] | null {
  const sets: (RedisSet | undefined)[] = [];
  const db = c.db;
  for (let i = first; i < end; i++) {
    const key = argString(c.argv[i]!);
    const value = forWrite ? db.lookupWrite(key) : db.lookupRead(key);
    if (value !== undefined && value.type !== "set") {
      c.reply.error(Err.wrongType);
      return null;
    }
    sets.push(value);
  }
  return sets;
}

/**
 * Store `result` at the destination of a STORE command and reply with its size:
 * an empty result deletes the destination instead ("del" event when it existed).
 * The old value of any type is replaced and its TTL dropped, as Redis' setKey.
 */
function storeSetResult(c: ClientSession, destinationArg: Buffer, result: RedisSet, event: string): void {
  const db = c.db;
  const key = argString(destinationArg);
  if (result.length > 0) {
    db.lookupWrite(key); // lazy expiry first, so a stale key is replaced as a new one
    db.set(key, result);
    db.touched(key, event, EventClass.Set);
    c.reply.integer(result.length);
    return;
  }
  c.reply.integer(0);
  if (db.delete(key)) db.touched(key, "del", EventClass.Generic);
}

/** Sets ordered by size, smallest first (SINTER iterates the smallest). */
function bySize(a: RedisSet, b: RedisSet): number {
  return a.length - b.length;
}

/** What sinterGeneric produces: members, a stored set, or only a count. */
enum InterMode {
  Reply = 0,
  Store = 1,
  Cardinality = 2,
}

/**
 * The shared SINTER / SINTERSTORE / SINTERCARD implementation over the keys in
 * argv[first..end): iterate the smallest set, keep members every other set has.
 * A missing key makes the intersection empty. SINTERCARD stops at `limit`
 * members when limit > 0.
 */
function sinterGeneric(
  c: ClientSession,
  first: number,
  end: number,
  mode: InterMode,
  destinationArg: Buffer | null,
  limit: number,
): void {
  const found = lookupSetsOrReply(c, first, end, mode === InterMode.Store);
  if (found === null) return;
  const reply = c.reply;
  const sets: RedisSet[] = [];
  for (const set of found) {
    if (set === undefined) {
      if (mode === InterMode.Store) storeSetResult(c, destinationArg!, new RedisSet(), "sinterstore");
      else if (mode === InterMode.Cardinality) reply.integer(0);
      else reply.setLen(0);
      return;
    }
    sets.push(set);
  }
  sets.sort(bySize);
  const smallest = sets[0]!;
  const members: string[] = [];
  const size = smallest.length;
  for (let i = 0; i < size; i++) {
    const member = smallest.memberAt(i);
    let inAll = true;
    for (let j = 1; j < sets.length; j++) {
      const other = sets[j]!;
      if (other !== smallest && !other.has(member)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    members.push(member);
    if (mode === InterMode.Cardinality && limit > 0 && members.length >= limit) break;
  }
  if (mode === InterMode.Cardinality) {
    reply.integer(members.length);
  } else if (mode === InterMode.Reply) {
    reply.setLen(members.length);
    for (let i = 0; i < members.length; i++) reply.bulkString(members[i]!);
  } else {
    const result = new RedisSet();
    const limits = c.db.keyspace.limits;
    for (let i = 0; i < members.length; i++) result.add(members[i]!, limits);
    storeSetResult(c, destinationArg!, result, "sinterstore");
  }
}

/** A new set holding the union of `sets` (missing keys are empty sets). */
function unionOf(c: ClientSession, sets: readonly (RedisSet | undefined)[]): RedisSet {
  const result = new RedisSet();
  const limits = c.db.keyspace.limits;
  for (const set of sets) {
    if (set === undefined) continue;
    const size = set.length;
    for (let i = 0; i < size; i++) result.add(set.memberAt(i), limits);
  }
  return result;
}

/**
 * A new set holding the members of sets[0] that no other set has. Like Redis,
 * picks between checking each member of the first set against the others
 * (about |first| * sets / 2 lookups) and copying the first set then removing the
 * others' members (about the sum of all sizes), whichever is less work.
 */
function differenceOf(c: ClientSession, sets: readonly (RedisSet | undefined)[]): RedisSet {
  const result = new RedisSet();
  const first = sets[0];
  if (first === undefined) return result;
  const limits = c.db.keyspace.limits;
  let checkEachWork = 0;
  let removeAllWork = 0;
  for (const set of sets) {
    if (set === undefined) continue;
    checkEachWork += first.length;
    removeAllWork += set.length;
  }
  if (checkEachWork / 2 <= removeAllWork) {
    const size = first.length;
    for (let i = 0; i < size; i++) {
      const member = first.memberAt(i);
      let elsewhere = false;
      for (let j = 1; j < sets.length; j++) {
        const other = sets[j];
        if (other !== undefined && (other === first || other.has(member))) {
          elsewhere = true;
          break;
        }
      }
      if (!elsewhere) result.add(member, limits);
    }
    return result;
  }
  for (let i = 0; i < first.length; i++) result.add(first.memberAt(i), limits);
  for (let j = 1; j < sets.length && result.length > 0; j++) {
    const other = sets[j];
    if (other === undefined) continue;
    const size = other.length;
    for (let i = 0; i < size; i++) result.remove(other.memberAt(i));
  }
  return result;
}

/** The shared SUNION / SDIFF implementation and their STORE forms. */
function sunionDiffGeneric(
  c: ClientSession,
  first: number,
  end: number,
  destinationArg: Buffer | null,
  union: boolean,
): void {
  const sets = lookupSetsOrReply(c, first, end, destinationArg !== null);
  if (sets === null) return;
  const result = union ? unionOf(c, sets) : differenceOf(c, sets);
  if (destinationArg === null) writeWholeSet(c, result);
  else storeSetResult(c, destinationArg, result, union ? "sunionstore" : "sdiffstore");
}

/** SINTER key [key ...] */
function sinterCommand(c: ClientSession): void {
  sinterGeneric(c, 1, c.argv.length, InterMode.Reply, null, 0);
}

/** SINTERSTORE destination key [key ...] */
function sinterstoreCommand(c: ClientSession): void {
  sinterGeneric(c, 2, c.argv.length, InterMode.Store, c.argv[1]!, 0);
}

/** SINTERCARD numkeys key [key ...] [LIMIT limit] */
function sintercardCommand(c: ClientSession): void {
  const argv = c.argv;
  const numkeys = parseLong(argv[1]!);
  if (numkeys === null || numkeys < 1) {
    c.reply.error(Err.numkeysNotPositive);
    return;
  }
  if (numkeys > argv.length - 2) {
    c.reply.error(Err.numkeysTooMany);
    return;
  }
  let limit = 0;
  for (let i = 2 + numkeys; i < argv.length; i++) {
    if (argIs(argv[i]!, "limit") && i + 1 < argv.length) {
      const value = parseLong(argv[++i]!);
      if (value === null || value < 0) {
        c.reply.error(Err.limitNegative);
        return;
      }
      limit = value;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  sinterGeneric(c, 2, 2 + numkeys, InterMode.Cardinality, null, limit);
}

/** Key positions of SINTERCARD: numkeys keys after the numkeys argument. */
function sintercardKeys(argv: readonly Buffer[]): number[] {
  const numkeys = argv.length > 1 ? parseLong(argv[1]!) : null;
  if (numkeys === null || numkeys < 1 || numkeys > argv.length - 2) return [];
  const keys: number[] = [];
  for (let i = 2; i < 2 + numkeys; i++) keys.push(i);
  return keys;
}

/** SUNION key [key ...] */
function sunionCommand(c: ClientSession): void {
  sunionDiffGeneric(c, 1, c.argv.length, null, true);
}

/** SUNIONSTORE destination key [key ...] */
function sunionstoreCommand(c: ClientSession): void {
  sunionDiffGeneric(c, 2, c.argv.length, c.argv[1]!, true);
}

/** SDIFF key [key ...] */
function sdiffCommand(c: ClientSession): void {
  sunionDiffGeneric(c, 1, c.argv.length, null, false);
}

/** SDIFFSTORE destination key [key ...] */
function sdiffstoreCommand(c: ClientSession): void {
  sunionDiffGeneric(c, 2, c.argv.length, c.argv[1]!, false);
}

// ---------------------------------------------------------------- SSCAN

/** The reply to a SCAN-family command on a missing key: cursor 0, no elements. */
const EMPTY_SCAN = Buffer.from("*2\r\n$1\r\n0\r\n*0\r\n");

/**
 * SSCAN key cursor [MATCH pattern] [COUNT count]. As in Redis, the cursor is
 * validated before the key is looked up and the options after.
 */
function sscanCommand(c: ClientSession): void {
  const argv = c.argv;
  if (parseCursor(argv[2]!) === null) {
    c.reply.error("ERR invalid cursor");
    return;
  }
  const set = readSetOrReply(c, argString(argv[1]!));
  if (set === null) return;
  if (set === undefined) {
    c.reply.raw(EMPTY_SCAN);
    return;
  }
  const options = parseScanArgsOrReply(c, 2, false);
  if (options === null) return;
  const members: string[] = [];
  const next = set.scan(options.cursor, options.count, members);
  const reply = c.reply;
  reply.arrayLen(2);
  reply.bulkString(String(next));
  const pattern = options.match;
  if (matchesEverything(pattern)) {
    reply.arrayLen(members.length);
    for (let i = 0; i < members.length; i++) reply.bulkString(members[i]!);
    return;
  }
  let matched = 0;
  for (let i = 0; i < members.length; i++) if (globMatch(pattern!, members[i]!)) matched++;
  reply.arrayLen(matched);
  for (let i = 0; i < members.length; i++) {
    if (globMatch(pattern!, members[i]!)) reply.bulkString(members[i]!);
  }
}

// ---------------------------------------------------------------- specs

/** Keys from argv[1] to the last argument (SINTER, SUNION, SDIFF and their STORE forms). */
const ALL_KEYS = { first: 1, last: -1, step: 1 } as const;

export const setCommands: readonly CommandSpec[] = [
  {
    name: "sadd",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@set"],
    group: "set",
    summary: "Add members to a set",
    since: "1.0.0",
    complexity: "O(1) per member.",
    handler: saddCommand,
  },
  {
    name: "srem",
    arity: -3,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@set"],
    group: "set",
    summary: "Remove members from a set",
    since: "1.0.0",
    complexity: "O(N), N = members given.",
    handler: sremCommand,
  },
  {
    name: "smembers",
    arity: 2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@set"],
    group: "set",
    summary: "Every member of a set",
    since: "1.0.0",
    complexity: "O(N), N = members.",
    handler: smembersCommand,
  },
  {
    name: "sismember",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@set"],
    group: "set",
    summary: "Whether a value is in a set",
    since: "1.0.0",
    complexity: "O(1)",
    handler: sismemberCommand,
  },
  {
    name: "smismember",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@set"],
    group: "set",
    summary: "Whether each of several values is in a set",
    since: "6.2.0",
    complexity: "O(N), N = values.",
    handler: smismemberCommand,
  },
  {
    name: "scard",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@set"],
    group: "set",
    summary: "How many members a set has",
    since: "1.0.0",
    complexity: "O(1)",
    handler: scardCommand,
  },
  {
    name: "spop",
    arity: -2,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@set"],
    group: "set",
    summary: "Remove and return random members of a set",
    since: "1.0.0",
    complexity: "O(1), or O(N) for a count of N.",
    handler: spopCommand,
  },
  {
    name: "srandmember",
    arity: -2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@set"],
    group: "set",
    summary: "Random members of a set",
    since: "1.0.0",
    complexity: "O(1), or O(N) for a count of N.",
    handler: srandmemberCommand,
  },
  {
    name: "smove",
    arity: 4,
    flags: ["write", "fast"],
    keys: { first: 1, last: 2, step: 1 },
    acl: ["@set"],
    group: "set",
    summary: "Transfer a member between sets",
    since: "1.0.0",
    complexity: "O(1)",
    handler: smoveCommand,
  },
  {
    name: "sinter",
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    acl: ["@set"],
    group: "set",
    summary: "Members every given set has",
    since: "1.0.0",
    complexity: "O(N*M): N smallest set, M sets.",
    handler: sinterCommand,
  },
  {
    name: "sintercard",
    arity: -3,
    flags: ["readonly"],
    keys: NO_KEYS,
    getKeys: sintercardKeys,
    acl: ["@set"],
    group: "set",
    summary: "How many members every given set has",
    since: "7.0.0",
    complexity: "O(N*M): N smallest set, M sets.",
    handler: sintercardCommand,
  },
  {
    name: "sunion",
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    acl: ["@set"],
    group: "set",
    summary: "Members of any of the given sets",
    since: "1.0.0",
    complexity: "O(N), N = members of all sets.",
    handler: sunionCommand,
  },
  {
    name: "sdiff",
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    acl: ["@set"],
    group: "set",
    summary: "Members of the first set that no other set has",
    since: "1.0.0",
    complexity: "O(N), N = members of all sets.",
    handler: sdiffCommand,
  },
  {
    name: "sinterstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: ALL_KEYS,
    acl: ["@set"],
    group: "set",
    summary: "Store the intersection of sets in a key",
    since: "1.0.0",
    complexity: "O(N*M): N smallest set, M sets.",
    handler: sinterstoreCommand,
  },
  {
    name: "sunionstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: ALL_KEYS,
    acl: ["@set"],
    group: "set",
    summary: "Store the union of sets in a key",
    since: "1.0.0",
    complexity: "O(N), N = members of all sets.",
    handler: sunionstoreCommand,
  },
  {
    name: "sdiffstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: ALL_KEYS,
    acl: ["@set"],
    group: "set",
    summary: "Store the difference of sets in a key",
    since: "1.0.0",
    complexity: "O(N), N = members of all sets.",
    handler: sdiffstoreCommand,
  },
  {
    name: "sscan",
    arity: -3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@set"],
    group: "set",
    summary: "Walk a set's members with a cursor",
    since: "2.8.0",
    complexity: "O(1) a call; O(N) over a whole iteration of N elements.",
    handler: sscanCommand,
  },
];
