/*
 * DUMP and RESTORE (Redis' cluster.c), over the server's PersistenceControl,
 * which encodes and decodes the payload (RDB value, RDB version, CRC-64).
 *
 * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ freq]
 * checks its options, then BUSYKEY, then the TTL, then the payload, so a bad
 * payload changes nothing. A relative TTL is propagated as an absolute one
 * (ABSTTL); a deadline already past deletes the replaced key (propagated as
 * DEL) and stores nothing, as Redis does.
 */

import { EventClass, lfuMinutes, lruClock } from "@spinel/core-db";
import { argIs, argString, parseLong } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { FIRST_KEY } from "../command-spec.js";
import { Err } from "../errors.js";

/** DUMP key: the serialized value, or a null bulk when the key is missing. */
function dumpCommand(c: ClientSession): void {
  const value = c.db.lookupRead(argString(c.argv[1]!));
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  const persistence = c.server.persistence;
  if (persistence === null) {
    c.reply.error("ERR DUMP is not available: no persistence is configured");
    return;
  }
  c.reply.bulk(persistence.dump(value));
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restoreCommand(c: ClientSession): void {
  const argv = c.argv;
  let replace = false;
  let absTtl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const option = argv[j]!;
    const more = argv.length - j - 1;
    if (argIs(option, "replace")) replace = true;
    else if (argIs(option, "absttl")) absTtl = true;
    else if (argIs(option, "idletime") && more >= 1 && freq === -1) {
      const value = parseLong(argv[++j]!);
      if (value === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      if (value < 0) {
        c.reply.error("ERR Invalid IDLETIME value, must be >= 0");
        return;
      }
      idle = value;
    } else if (argIs(option, "freq") && more >= 1 && idle === -1) {
      const value = parseLong(argv[++j]!);
      if (value === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      if (value < 0 || value > 255) {
        c.reply.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
        return;
      }
      freq = value;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  const db = c.db;
  const key = argString(argv[1]!);
  if (!replace && db.lookupWriteEntry(key) !== undefined) {
    c.reply.error(Err.busyKey);
    return;
  }
  const ttl = parseLong(argv[2]!);
  if (ttl === null) {
    c.reply.error(Err.notInteger);
    return;
  }
  if (ttl < 0) {
    c.reply.error("ERR Invalid TTL value, must be >= 0");
    return;
  }
  const persistence = c.server.persistence;
  const value = persistence === null ? "ERR Bad data format" : persistence.restore(argv[3]!, key);
  if (typeof value === "string") {
    c.reply.error(value);
    return;
  }
  const now = c.server.keyspace.now;
  const deleted = replace ? db.delete(key) : false;
  const deadline = ttl !== 0 && !absTtl ? ttl + now : ttl;
  if (deadline !== 0 && deadline <= now) {
    if (deleted) {
      c.rewritePropagation([Buffer.from("DEL"), argv[1]!]);
      db.touched(key, "del", EventClass.Generic);
    }
    c.reply.ok();
    return;
  }
  const entry = db.add(key, value);
  if (deadline !== 0) {
    db.setEntryExpire(entry, deadline);
    if (!absTtl) {
      const rewritten = argv.slice();
      rewritten[2] = Buffer.from(String(deadline));
      rewritten.push(Buffer.from("ABSTTL"));
      c.rewritePropagation(rewritten);
    }
  }
  // IDLETIME sets the LRU clock, FREQ the LFU counter, each only under its kind of policy (as Redis' objectSetLRUOrLFU).
  const keyspace = c.server.keyspace;
  if (idle >= 0 && !keyspace.lfuMode) entry.lru = lruClock(now - idle * 1000);
  if (freq >= 0 && keyspace.lfuMode) entry.lru = (lfuMinutes(now) << 8) | freq;
  db.touched(key, "restore", EventClass.Generic);
  c.reply.ok();
}

export const dumpRestoreCommands: readonly CommandSpec[] = [
  {
    name: "dump",
    arity: 2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@keyspace"],
    group: "generic",
    summary: "Serialise a key's value",
    since: "2.6.0",
    complexity: "O(1) to find the key, then O(N*M) for N parts of average size M.",
    handler: dumpCommand,
  },
  {
    name: "restore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    acl: ["@keyspace", "@dangerous"],
    group: "generic",
    summary: "Create a key from a DUMP payload",
    since: "2.6.0",
    complexity: "O(1) to create the key, then O(N*M) for N parts of size M.",
    handler: restoreCommand,
  },
];
