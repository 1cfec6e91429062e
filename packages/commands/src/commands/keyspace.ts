/*
 * Keyspace commands (Redis' db.c and object.c): DEL UNLINK EXISTS TYPE RENAME
 * RENAMENX COPY MOVE KEYS SCAN RANDOMKEY TOUCH OBJECT.
 *
 * Commands that move a value (RENAME, MOVE) move the object itself with its TTL;
 * COPY stores a deep copy (value.clone()) with the same TTL. Each ends in the
 * write epilogue with the events Redis raises (rename_from / rename_to,
 * move_from / move_to, copy_to, del).
 */

import {
  type Database,
  EventClass,
  estimateIdleTime,
  globMatch,
  type KeyEntry,
  lfuDecayedCounter,
  type RedisValue,
} from "@spinel/core-db";
import { argIs, argString, parseLong } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY, NO_KEYS } from "../command-spec.js";
import { Err } from "../errors.js";
import { lookupReadNoTouch } from "../key-lookup.js";
import { matchesEverything, parseScanArgsOrReply } from "../scan-args.js";
import { keyDeadline, setKeyDeadline } from "./expire.js";

// ---------------------------------------------------------------- DEL, UNLINK, EXISTS, TYPE, TOUCH

/**
 * DEL / UNLINK key [key ...]: remove the keys that exist, raising "del" for
 * each; replies the number removed. A key past its deadline is expired first
 * (so a primary does not count it), but on a replica, which never expires keys
 * itself, the key is still there and is removed and counted: that is how a
 * primary's DEL for an expired key takes effect. UNLINK frees in the background
 * in Redis; here freeing is the garbage collector's job either way.
 */
function delGeneric(c: ClientSession): void {
  const db = c.db;
  const argv = c.argv;
  let removed = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argString(argv[i]!);
    db.peekEntry(key);
    if (!db.delete(key)) continue;
    db.touched(key, "del", EventClass.Generic);
    removed++;
  }
  c.reply.integer(removed);
}

/** EXISTS key [key ...]: how many of the keys exist (a key named twice counts twice). */
function existsCommand(c: ClientSession): void {
  const db = c.db;
  const argv = c.argv;
  let count = 0;
  for (let i = 1; i < argv.length; i++) {
    if (lookupReadNoTouch(db, argString(argv[i]!)) !== undefined) count++;
  }
  c.reply.integer(count);
}

/** TYPE key: the type name as a simple string, "none" for a missing key. */
function typeCommand(c: ClientSession): void {
  const value = lookupReadNoTouch(c.db, argString(c.argv[1]!));
  c.reply.simple(value === undefined ? "none" : value.type);
}

/** TOUCH key [key ...]: refresh the access time of the keys; replies how many exist. */
function touchCommand(c: ClientSession): void {
  const db = c.db;
  const argv = c.argv;
  let count = 0;
  for (let i = 1; i < argv.length; i++) {
    if (db.lookupRead(argString(argv[i]!)) !== undefined) count++;
  }
  c.reply.integer(count);
}

// ---------------------------------------------------------------- RENAME, RENAMENX

/**
 * The shared implementation of RENAME and RENAMENX: move the value and its TTL
 * from the source key to the destination, replacing the destination (RENAME)
 * or refusing with 0 when it exists (RENAMENX). A missing source is
 * "ERR no such key", even when both names are the same.
 */
function renameGeneric(c: ClientSession, nx: boolean): void {
  const db = c.db;
  const source = argString(c.argv[1]!);
  const destination = argString(c.argv[2]!);
  const value = db.lookupWrite(source);
  if (value === undefined) {
    c.reply.error(Err.noSuchKey);
    return;
  }
  if (source === destination) {
    if (nx) c.reply.integer(0);
    else c.reply.ok();
    return;
  }
  const deadline = keyDeadline(db.peekEntry(source)!);
  if (db.lookupWriteEntry(destination) !== undefined) {
    if (nx) {
      c.reply.integer(0);
      return;
    }
    db.delete(destination);
  }
  const entry = db.add(destination, value);
  if (deadline !== 0) setKeyDeadline(db, entry, deadline);
  db.delete(source);
  db.touched(source, "rename_from", EventClass.Generic);
  db.touched(destination, "rename_to", EventClass.Generic, 0);
  if (nx) c.reply.integer(1);
  else c.reply.ok();
}

/** RENAME key newkey */
function renameCommand(c: ClientSession): void {
  renameGeneric(c, false);
}

/** RENAMENX key newkey */
function renamenxCommand(c: ClientSession): void {
  renameGeneric(c, true);
}

// ---------------------------------------------------------------- MOVE, COPY

/**
 * Parse a database index argument as MOVE and COPY do (getIntFromObjectOrReply,
 * then selectDb): not an integer is "value is not an integer or out of range",
 * one beyond 32 bits "value is out of range, value must between ...", an index
 * with no database "DB index is out of range".
 * Writes the error and returns null on failure.
 */
function getDatabaseOrReply(c: ClientSession, arg: Buffer): Database | null {
  const index = parseLong(arg);
  if (index === null) {
    c.reply.error(Err.notInteger);
    return null;
  }
  if (index < -2147483648 || index > 2147483647) {
    c.reply.error("ERR value is out of range, value must between -2147483648 and 2147483647");
    return null;
  }
  const databases = c.server.keyspace.databases;
  if (index < 0 || index >= databases.length) {
    c.reply.error(Err.dbIndexOutOfRange);
    return null;
  }
  return databases[index]!;
}

/**
 * MOVE key db: move the key with its TTL to another database. 1 when moved; 0
 * when the key is missing or the target database has the key already.
 */
function moveCommand(c: ClientSession): void {
  const source = c.db;
  const target = getDatabaseOrReply(c, c.argv[2]!);
  if (target === null) return;
  if (target === source) {
    c.reply.error(Err.sameObject);
    return;
  }
  const key = argString(c.argv[1]!);
  const value = source.lookupWrite(key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  const deadline = keyDeadline(source.peekEntry(key)!);
  if (target.lookupWriteEntry(key) !== undefined) {
    c.reply.integer(0);
    return;
  }
  const entry = target.add(key, value);
  if (deadline !== 0) setKeyDeadline(target, entry, deadline);
  source.delete(key);
  source.touched(key, "move_from", EventClass.Generic);
  target.touched(key, "move_to", EventClass.Generic, 0);
  c.reply.integer(1);
}

/** A deep copy of any value: each type implements clone(). */
function cloneValue(value: RedisValue): RedisValue {
  return (value as { clone(): RedisValue }).clone();
}

/**
 * COPY source destination [DB destination-db] [REPLACE]: store a deep copy of
 * the source value (with its TTL) under the destination. 1 when copied; 0 when
 * the source is missing or the destination exists without REPLACE.
 */
function copyCommand(c: ClientSession): void {
  const argv = c.argv;
  const sourceDb = c.db;
  let targetDb = c.db;
  let replace = false;
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i]!;
    if (argIs(option, "replace")) {
      replace = true;
    } else if (argIs(option, "db") && i + 1 < argv.length) {
      const selected = getDatabaseOrReply(c, argv[i + 1]!);
      if (selected === null) return;
      targetDb = selected;
      i++;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  const source = argString(argv[1]!);
  const destination = argString(argv[2]!);
  if (sourceDb === targetDb && source === destination) {
    c.reply.error(Err.sameObject);
    return;
  }
  const value = sourceDb.lookupRead(source);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  const deadline = keyDeadline(sourceDb.peekEntry(source)!);
  if (targetDb.lookupWriteEntry(destination) !== undefined) {
    if (!replace) {
      c.reply.integer(0);
      return;
    }
    targetDb.delete(destination);
  }
  const entry = targetDb.add(destination, cloneValue(value));
  if (deadline !== 0) setKeyDeadline(targetDb, entry, deadline);
  targetDb.touched(destination, "copy_to", EventClass.Generic);
  c.reply.integer(1);
}

// ---------------------------------------------------------------- KEYS, SCAN, RANDOMKEY

/**
 * KEYS pattern: every live key matching the glob pattern. Keys past their
 * deadline are skipped but not removed here (as in Redis).
 */
function keysCommand(c: ClientSession): void {
  const db = c.db;
  const pattern = argString(c.argv[1]!);
  const everything = pattern === "*";
  const table = db.keyTable;
  const matched: string[] = [];
  for (let slot = 0; slot < table.size; slot++) {
    if (db.isSlotExpired(slot)) continue;
    const key = table.keys[slot]!;
    if (everything || globMatch(pattern, key)) matched.push(key);
  }
  c.reply.arrayLen(matched.length);
  for (let i = 0; i < matched.length; i++) c.reply.bulkString(matched[i]!);
}

/** Entries visited by the current SCAN step (reused; commands run one at a time). */
const scanBatch: KeyEntry[] = [];

function collectScanEntry(entry: KeyEntry): void {
  scanBatch.push(entry);
}

/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: one step of a cursor
 * iteration (see Database.scan for the guarantee: every key present for the
 * whole iteration is returned at least once). Replies [next cursor, keys].
 */
function scanCommand(c: ClientSession): void {
  const options = parseScanArgsOrReply(c, 1, true);
  if (options === null) return;
  const db = c.db;
  scanBatch.length = 0;
  const next = db.scan(options.cursor, options.count, collectScanEntry);
  const pattern = matchesEverything(options.match) ? null : options.match;
  const type = options.type;
  let kept = 0;
  for (let i = 0; i < scanBatch.length; i++) {
    const entry = scanBatch[i]!;
    if (pattern !== null && !globMatch(pattern, entry.key)) continue;
    if (type !== null && entry.value.type !== type) continue;
    scanBatch[kept++] = entry;
  }
  c.reply.arrayLen(2);
  c.reply.bulkString(String(next));
  c.reply.arrayLen(kept);
  for (let i = 0; i < kept; i++) c.reply.bulkString(scanBatch[i]!.key);
  scanBatch.length = 0;
}

/** RANDOMKEY: a random live key, or null when the database is empty. */
function randomkeyCommand(c: ClientSession): void {
  const key = c.db.randomKey();
  if (key === undefined) c.reply.nullBulk();
  else c.reply.bulkString(key);
}

// ---------------------------------------------------------------- OBJECT

/** Redis' OBJ_SHARED_REFCOUNT: the refcount reported for shared integers. */
const SHARED_REFCOUNT = 2147483647;
/** Integers 0 .. OBJ_SHARED_INTEGERS-1 are shared objects in Redis. */
const SHARED_INTEGERS = 10000;

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> ...], where <subcommand> is one of:",
  "ENCODING <key>",
  "    The internal representation of <key>'s value.",
  "FREQ <key>",
  "    <key>'s access-frequency counter (logarithmic, LFU policies).",
  "IDLETIME <key>",
  "    Seconds since <key> was last read or written (LRU policies).",
  "REFCOUNT <key>",
  "    How many references <key>'s value has.",
  "HELP",
  "    This list.",
];

/** The current maxmemory-policy ("noeviction" when no configuration store is plugged in). */
function maxmemoryPolicy(c: ClientSession): string {
  const pairs = c.server.config?.get(["maxmemory-policy"]) ?? [];
  return pairs.length > 0 ? pairs[0]![1] : "noeviction";
}

/**
 * The entry OBJECT reports on (argv[2]), or null after replying a null bulk.
 * Counts a hit or miss, raises no event and leaves the access time alone.
 */
function objectLookupOrReply(c: ClientSession): KeyEntry | null {
  const key = argString(c.argv[2]!);
  if (lookupReadNoTouch(c.db, key, false) === undefined) {
    c.reply.nullBulk();
    return null;
  }
  return c.db.peekEntry(key)!;
}

/** OBJECT ENCODING key */
function objectEncodingCommand(c: ClientSession): void {
  const entry = objectLookupOrReply(c);
  if (entry !== null) c.reply.bulkString(entry.value.encoding);
}

/**
 * OBJECT REFCOUNT key: Redis shares the objects of small integers (0..9999)
 * unless maxmemory is set with an LRU/LFU policy, and reports those with
 * INT_MAX; every other value has one reference.
 */
function objectRefcountCommand(c: ClientSession): void {
  const entry = objectLookupOrReply(c);
  if (entry === null) return;
  const value = entry.value;
  let refcount = 1;
  if (value.type === "string" && value.isInteger) {
    const integer = value.integerValue;
    const shared = typeof integer === "number" && integer >= 0 && integer < SHARED_INTEGERS;
    if (shared && (c.server.settings.maxmemory === 0 || !/lru|lfu/.test(maxmemoryPolicy(c)))) {
      refcount = SHARED_REFCOUNT;
    }
  }
  c.reply.integer(refcount);
}

/**
 * OBJECT IDLETIME key: seconds since the key was last accessed, from its 24-bit
 * LRU clock as Redis estimates it (refused under an LFU policy).
 */
function objectIdletimeCommand(c: ClientSession): void {
  const entry = objectLookupOrReply(c);
  if (entry === null) return;
  if (c.db.keyspace.lfuMode) {
    c.reply.error(
      "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
    return;
  }
  c.reply.integer(Math.floor(estimateIdleTime(entry.lru, c.db.keyspace.now) / 1000));
}

/**
 * OBJECT FREQ key: the key's logarithmic access counter, decayed by the minutes
 * since its last access (Redis' LFUDecrAndReturn), only under an LFU policy.
 */
function objectFreqCommand(c: ClientSession): void {
  const entry = objectLookupOrReply(c);
  if (entry === null) return;
  const keyspace = c.db.keyspace;
  if (!keyspace.lfuMode) {
    c.reply.error(
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
    return;
  }
  c.reply.integer(lfuDecayedCounter(entry.lru, keyspace.now, keyspace.lfuDecayTime));
}

/** OBJECT HELP */
function objectHelpCommand(c: ClientSession): void {
  c.reply.arrayLen(OBJECT_HELP.length);
  for (const line of OBJECT_HELP) c.reply.simple(line);
}

/** The OBJECT container never runs itself: the gate dispatches to a subcommand. */
function objectContainerCommand(c: ClientSession): void {
  c.reply.error(Err.syntax);
}

// ---------------------------------------------------------------- specs

const ALL_KEYS = { first: 1, last: -1, step: 1 } as const;
const TWO_KEYS = { first: 1, last: 2, step: 1 } as const;
const OBJECT_KEY = { first: 2, last: 2, step: 1 } as const;

function objectKeySubcommand(
  name: string,
  summary: string,
  handler: (c: ClientSession) => void,
): CommandSpec {
  return {
    name,
    arity: 3,
    flags: ["readonly"],
    keys: OBJECT_KEY,
    acl: ["@keyspace"],
    group: "generic",
    summary,
    since: name === "freq" ? "4.0.0" : "2.2.3",
    complexity: "O(1)",
    handler,
  };
}

export const keyspaceCommands: readonly CommandSpec[] = [
  {
    name: "del",
    arity: -2,
    flags: ["write"],
    keys: ALL_KEYS,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Remove keys",
    since: "1.0.0",
    complexity: "O(N) for N keys, plus the size of each aggregate removed.",
    handler: delGeneric,
  },
  {
    name: "unlink",
    arity: -2,
    flags: ["write", "fast"],
    keys: ALL_KEYS,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Remove keys, reclaiming their memory later",
    since: "4.0.0",
    complexity: "O(1) per key now; the rest deferred.",
    handler: delGeneric,
  },
  {
    name: "exists",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: ALL_KEYS,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Count how many of the given keys exist",
    since: "1.0.0",
    complexity: "O(N), N = keys.",
    handler: existsCommand,
  },
  {
    name: "type",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: FIRST_KEY,
    acl: ["@keyspace"],
    group: "generic",
    summary: "The type of a key's value",
    since: "1.0.0",
    complexity: "O(1)",
    handler: typeCommand,
  },
  {
    name: "touch",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: ALL_KEYS,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Mark keys as accessed and count those that exist",
    since: "3.2.1",
    complexity: "O(N), N = keys.",
    handler: touchCommand,
  },
  {
    name: "rename",
    arity: 3,
    flags: ["write"],
    keys: TWO_KEYS,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Give a key a new name",
    since: "1.0.0",
    complexity: "O(1)",
    handler: renameCommand,
  },
  {
    name: "renamenx",
    arity: 3,
    flags: ["write", "fast"],
    keys: TWO_KEYS,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Give a key a new name unless that name is taken",
    since: "1.0.0",
    complexity: "O(1)",
    handler: renamenxCommand,
  },
  {
    name: "copy",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: TWO_KEYS,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Duplicate a key's value under another name",
    since: "6.2.0",
    complexity: "O(1) for strings, O(N) for N nested items.",
    handler: copyCommand,
  },
  {
    name: "move",
    arity: 3,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Send a key to another database",
    since: "1.0.0",
    complexity: "O(1)",
    handler: moveCommand,
  },
  {
    name: "keys",
    arity: 2,
    flags: ["readonly"],
    keys: NO_KEYS,
    acl: ["@keyspace", "@dangerous"],
    group: "generic",
    summary: "Key names matching a glob pattern",
    since: "1.0.0",
    complexity: "O(N), N = keys in the database.",
    handler: keysCommand,
  },
  {
    name: "scan",
    arity: -2,
    flags: ["readonly"],
    keys: NO_KEYS,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Walk the key names with a cursor",
    since: "2.8.0",
    complexity: "O(1) a call; O(N) over a whole iteration of N elements.",
    handler: scanCommand,
  },
  {
    name: "randomkey",
    arity: 1,
    flags: ["readonly"],
    keys: NO_KEYS,
    acl: ["@keyspace"],
    group: "generic",
    summary: "A random key name",
    since: "1.0.0",
    complexity: "O(1)",
    handler: randomkeyCommand,
  },
  {
    name: "object",
    arity: -2,
    flags: [],
    keys: NO_KEYS,
    group: "generic",
    summary: "Look inside a key's value",
    since: "2.2.3",
    complexity: "Per subcommand.",
    handler: objectContainerCommand,
    subcommands: [
      objectKeySubcommand("encoding", "The internal representation of a key's value", objectEncodingCommand),
      objectKeySubcommand("freq", "A key's access-frequency counter (LFU)", objectFreqCommand),
      objectKeySubcommand("idletime", "Seconds since a key was last touched", objectIdletimeCommand),
      objectKeySubcommand("refcount", "How many references a key's value has", objectRefcountCommand),
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        keys: NO_KEYS,
        acl: ["@keyspace"],
        group: "generic",
        summary: "List the subcommands with one line on each",
        since: "6.2.0",
        complexity: "O(1)",
        handler: objectHelpCommand,
      },
    ],
  },
];
