/*
 * Consumer groups (Redis' t_stream.c): XGROUP CREATE / SETID / DESTROY /
 * CREATECONSUMER / DELCONSUMER / HELP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.
 *
 * XCLAIM and XAUTOCLAIM are not propagated as typed: like Redis 7.0, each
 * claimed (or dropped) pending entry propagates as an idempotent XCLAIM with
 * TIME, RETRYCOUNT, FORCE, JUSTID and LASTID, and a LASTID that moved the
 * group without any claim as XGROUP SETID.
 */

import {
  EventClass,
  type PendingEntry,
  PendingEntry as PendingEntryClass,
  type RedisStream,
  RedisStream as RedisStreamClass,
  type StreamConsumer,
  type StreamGroup,
  type StreamID,
} from "@spinel/core-db";
import { argIs, argString, parseInt64 } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY, NO_KEYS } from "../command-spec.js";
import { Err } from "../errors.js";
import { writeHelp } from "./client.js";
import {
  groupChanged,
  noGroupForKey,
  noKeyOrGroup,
  parseRangeBoundOrReply,
  parseStreamId,
  parseStreamIdOrReply,
  readStreamOrReply,
  StreamErr,
  setIdArgv,
  subcommandSyntaxError,
  writeId,
  writeSingleEntry,
  writeStreamOrReply,
  xclaimArgv,
} from "./stream-common.js";

const INT64_MAX = 9223372036854775807n;

/** A 64-bit integer argument as a number (clamped to the safe range), or null after `message`. */
function getInt64OrReply(c: ClientSession, arg: Buffer, message: string = Err.notInteger): number | null {
  const value = parseInt64(arg);
  if (value === null) {
    c.reply.error(message);
    return null;
  }
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  return value > limit ? Number.MAX_SAFE_INTEGER : value < -limit ? -Number.MAX_SAFE_INTEGER : Number(value);
}

// ---------------------------------------------------------------- XGROUP

/** What the XGROUP subcommands share after Redis' common checks. */
class GroupTarget {
  stream: RedisStream | undefined = undefined;
  group: StreamGroup | undefined = undefined;
  mkstream = false;
  entriesRead = -1n;
}

/**
 * The checks Redis' xgroupCommand makes before dispatching: options of CREATE
 * and SETID, the key's type and existence (unless MKSTREAM), the group's
 * existence for SETID / CREATECONSUMER / DELCONSUMER. Null after replying.
 */
function groupTargetOrReply(
  c: ClientSession,
  sub: "create" | "setid" | "other",
  needsGroup: boolean,
): GroupTarget | null {
  const argv = c.argv;
  const target = new GroupTarget();
  if (sub !== "other") {
    let i = 5;
    while (i < argv.length) {
      if (sub === "create" && argIs(argv[i]!, "mkstream")) {
        target.mkstream = true;
        i++;
      } else if (argIs(argv[i]!, "entriesread") && i + 1 < argv.length) {
        const value = parseInt64(argv[i + 1]!);
        if (value === null) {
          c.reply.error(Err.notInteger);
          return null;
        }
        if (value < 0n && value !== -1n) {
          c.reply.error("ERR value for ENTRIESREAD must be positive or -1");
          return null;
        }
        target.entriesRead = value;
        i += 2;
      } else {
        subcommandSyntaxError(c);
        return null;
      }
    }
  }
  const key = argString(argv[2]!);
  const stream = writeStreamOrReply(c, key);
  if (stream === null) return null;
  target.stream = stream;
  const groupName = argString(argv[3]!);
  if (!target.mkstream && stream === undefined) {
    c.reply.error(
      "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
    );
    return null;
  }
  target.group = stream?.group(groupName);
  if (needsGroup && target.group === undefined) {
    c.reply.error(noGroupForKey(key, groupName));
    return null;
  }
  return target;
}

/** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read] */
function xgroupCreateCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length > 8) {
    subcommandSyntaxError(c);
    return;
  }
  const target = groupTargetOrReply(c, "create", false);
  if (target === null) return;
  const idArg = argv[4]!;
  let id: StreamID | null;
  if (idArg.length === 1 && idArg[0] === 0x24 /* $ */) {
    id = target.stream === undefined ? null : target.stream.lastId;
  } else {
    id = parseStreamIdOrReply(c, idArg, 0n, true);
    if (id === null) return;
  }
  const key = argString(argv[2]!);
  let stream = target.stream;
  if (stream === undefined) {
    stream = new RedisStreamClass();
    c.db.add(key, stream);
    c.db.touched(key, "", EventClass.Stream, 0);
  }
  const created = stream.createGroup(argString(argv[3]!), id ?? stream.lastId, target.entriesRead);
  if (created === null) {
    c.reply.error(StreamErr.busyGroup);
    return;
  }
  c.reply.ok();
  groupChanged(c.db, key, "xgroup-create");
}

/** XGROUP SETID key group id|$ [ENTRIESREAD entries-read] */
function xgroupSetidCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length !== 5 && argv.length !== 7) {
    subcommandSyntaxError(c);
    return;
  }
  const target = groupTargetOrReply(c, "setid", true);
  if (target === null) return;
  const idArg = argv[4]!;
  let id: StreamID | null;
  if (idArg.length === 1 && idArg[0] === 0x24 /* $ */) {
    id = target.stream!.lastId;
  } else {
    id = parseStreamIdOrReply(c, idArg, 0n, false);
    if (id === null) return;
  }
  const group = target.group!;
  group.lastId = id;
  group.entriesRead = target.entriesRead;
  c.reply.ok();
  groupChanged(c.db, argString(argv[2]!), "xgroup-setid");
}

/** XGROUP DESTROY key group */
function xgroupDestroyCommand(c: ClientSession): void {
  const target = groupTargetOrReply(c, "other", false);
  if (target === null) return;
  if (target.group === undefined) {
    c.reply.integer(0);
    return;
  }
  target.stream!.destroyGroup(target.group.name);
  c.reply.integer(1);
  const key = argString(c.argv[2]!);
  groupChanged(c.db, key, "xgroup-destroy");
  // XREADGROUP clients blocked on the group wake up to -NOGROUP.
  c.server.blocking.signalReady(c.db, key);
}

/** XGROUP CREATECONSUMER key group consumer */
function xgroupCreateConsumerCommand(c: ClientSession): void {
  const target = groupTargetOrReply(c, "other", true);
  if (target === null) return;
  const group = target.group!;
  const name = argString(c.argv[4]!);
  if (group.consumer(name) !== undefined) {
    c.reply.integer(0);
    return;
  }
  group.createConsumer(name, c.server.keyspace.now);
  c.reply.integer(1);
  groupChanged(c.db, argString(c.argv[2]!), "xgroup-createconsumer");
}

/** XGROUP DELCONSUMER key group consumer: replies how many pending entries it had. */
function xgroupDelConsumerCommand(c: ClientSession): void {
  const target = groupTargetOrReply(c, "other", true);
  if (target === null) return;
  const pending = target.group!.deleteConsumer(argString(c.argv[4]!));
  if (pending === -1) {
    c.reply.integer(0);
    return;
  }
  c.reply.integer(pending);
  groupChanged(c.db, argString(c.argv[2]!), "xgroup-delconsumer");
}

const XGROUP_HELP = [
  "XGROUP <subcommand> [<arg> ...], where <subcommand> is one of:",
  "CREATE <key> <group> <id|$> [MKSTREAM] [ENTRIESREAD <n>]",
  "    Add a consumer group that reads after <id>; MKSTREAM makes an empty stream",
  "    when the key is missing, ENTRIESREAD seeds the group's read counter.",
  "CREATECONSUMER <key> <group> <consumer>",
  "    Add a consumer to the group.",
  "DELCONSUMER <key> <group> <consumer>",
  "    Drop a consumer and its pending entries.",
  "DESTROY <key> <group>",
  "    Drop the whole group.",
  "SETID <key> <group> <id|$> [ENTRIESREAD <n>]",
  "    Move the group's last delivered ID (and its read counter).",
  "HELP",
  "    This list.",
];

/** XGROUP HELP */
function xgroupHelpCommand(c: ClientSession): void {
  writeHelp(c, XGROUP_HELP);
}

/** The XGROUP container never runs itself: the gate dispatches to a subcommand. */
function xgroupContainerCommand(c: ClientSession): void {
  c.reply.error(Err.syntax);
}

// ---------------------------------------------------------------- XACK

/** XACK key group id [id ...]: every ID is validated before any is acknowledged. */
function xackCommand(c: ClientSession): void {
  const argv = c.argv;
  const stream = readStreamOrReply(c, argString(argv[1]!));
  if (stream === null) return;
  const group = stream?.group(argString(argv[2]!));
  if (group === undefined) {
    c.reply.integer(0);
    return;
  }
  const ids: StreamID[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = parseStreamIdOrReply(c, argv[j]!, 0n, true);
    if (id === null) return;
    ids.push(id);
  }
  let acknowledged = 0;
  for (const id of ids) {
    const pending = group.pel.remove(id);
    if (pending === undefined) continue;
    pending.consumer.pel.remove(id);
    acknowledged++;
  }
  if (acknowledged > 0) groupChanged(c.db, argString(argv[1]!), "", acknowledged);
  c.reply.integer(acknowledged);
}

// ---------------------------------------------------------------- XPENDING

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpendingCommand(c: ClientSession): void {
  const argv = c.argv;
  const summary = argv.length === 3;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) {
    c.reply.error(Err.syntax);
    return;
  }
  let minIdle = 0;
  let count = 0;
  let start: StreamID | null = null;
  let end: StreamID | null = null;
  let consumerName: string | null = null;
  if (argv.length >= 6) {
    let startIndex = 3;
    if (argIs(argv[3]!, "idle")) {
      const idle = getInt64OrReply(c, argv[4]!);
      if (idle === null) return;
      minIdle = idle;
      if (argv.length < 8) {
        c.reply.error(Err.syntax);
        return;
      }
      startIndex += 2;
    }
    const parsedCount = getInt64OrReply(c, argv[startIndex + 2]!);
    if (parsedCount === null) return;
    count = parsedCount < 0 ? 0 : parsedCount;
    start = parseRangeBoundOrReply(c, argv[startIndex]!, false);
    if (start === null) return;
    end = parseRangeBoundOrReply(c, argv[startIndex + 1]!, true);
    if (end === null) return;
    if (startIndex + 3 < argv.length) consumerName = argString(argv[startIndex + 3]!);
  }
  const key = argString(argv[1]!);
  const groupName = argString(argv[2]!);
  const stream = readStreamOrReply(c, key);
  if (stream === null) return;
  const group = stream?.group(groupName);
  if (group === undefined) {
    c.reply.error(noKeyOrGroup(key, groupName));
    return;
  }
  const reply = c.reply;
  if (summary) {
    reply.arrayLen(4);
    reply.integer(group.pel.length);
    const first = group.pel.first();
    const last = group.pel.last();
    if (first === undefined || last === undefined) {
      reply.nullBulk();
      reply.nullBulk();
      reply.nullArray();
      return;
    }
    writeId(c, first.id);
    writeId(c, last.id);
    const owners = group.sortedConsumers().filter((consumer) => consumer.pel.length > 0);
    reply.arrayLen(owners.length);
    for (const consumer of owners) {
      reply.arrayLen(2);
      reply.bulkString(consumer.name);
      reply.bulkString(String(consumer.pel.length));
    }
    return;
  }
  let pel = group.pel;
  if (consumerName !== null) {
    const consumer = group.consumer(consumerName);
    if (consumer === undefined) {
      reply.arrayLen(0);
      return;
    }
    pel = consumer.pel;
  }
  const now = c.server.keyspace.now;
  const token = reply.beginDeferredLength();
  let written = 0;
  const slots = pel.slotCount;
  for (let i = pel.nextLive(pel.lowerBound(start!)); count > 0 && i < slots; i = pel.nextLive(i + 1)) {
    const pending = pel.at(i)!;
    if (compareId(pending.id, end!) > 0) break;
    if (minIdle !== 0 && now - pending.deliveryTime < minIdle) continue;
    written++;
    count--;
    reply.arrayLen(4);
    writeId(c, pending.id);
    reply.bulkString(pending.consumer.name);
    const elapsed = now - pending.deliveryTime;
    reply.integer(elapsed < 0 ? 0 : elapsed);
    reply.integer(pending.deliveryCount);
  }
  reply.setDeferredLength(token, written);
}

function compareId(a: StreamID, b: StreamID): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

// ---------------------------------------------------------------- XCLAIM / XAUTOCLAIM

/** The claiming consumer, created on first use (with its event and a dirty unit). */
function claimer(c: ClientSession, key: string, group: StreamGroup, name: string): StreamConsumer {
  const now = c.server.keyspace.now;
  let consumer = group.consumer(name);
  if (consumer === undefined) {
    consumer = group.createConsumer(name, now);
    groupChanged(c.db, key, "xgroup-createconsumer");
  }
  consumer.seenTime = now;
  return consumer;
}

/** Move `pending` to `consumer`'s PEL (from its previous owner's, if any). */
function reassign(pending: PendingEntry, consumer: StreamConsumer, hadOwner: boolean): void {
  if (pending.consumer === consumer && hadOwner) return;
  if (hadOwner) pending.consumer.pel.remove(pending.id);
  pending.consumer = consumer;
  consumer.pel.insert(pending);
}

/** Drop a pending entry whose stream entry is gone (propagated as XCLAIM, as Redis does). */
function dropDeleted(c: ClientSession, keyArg: Buffer, group: StreamGroup, pending: PendingEntry): void {
  c.propagateAlso(
    xclaimArgv(keyArg, group, pending.consumer.name, pending.id, pending.deliveryTime, pending.deliveryCount),
  );
  group.pel.remove(pending.id);
  pending.consumer.pel.remove(pending.id);
  c.server.keyspace.dirty++;
}

/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-ms]
 * [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
 */
function xclaimCommand(c: ClientSession): void {
  const argv = c.argv;
  c.rewritePropagation([]);
  const key = argString(argv[1]!);
  const groupName = argString(argv[2]!);
  const stream = readStreamOrReply(c, key);
  if (stream === null) return;
  const group = stream?.group(groupName);
  if (stream === undefined || group === undefined) {
    c.reply.error(noKeyOrGroup(key, groupName));
    return;
  }
  let minIdle = getInt64OrReply(c, argv[4]!, "ERR Invalid min-idle-time argument for XCLAIM");
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  const ids: StreamID[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const id = parseStreamId(argv[j]!, 0n, true);
    if (id === null) break;
    ids.push(id);
  }
  const now = c.server.keyspace.now;
  let deliveryTime = -1;
  let retryCount = -1;
  let force = false;
  let justId = false;
  let lastId: StreamID | null = null;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (argIs(opt, "force")) force = true;
    else if (argIs(opt, "justid")) justId = true;
    else if (argIs(opt, "idle") && more > 0) {
      j++;
      const idle = getInt64OrReply(c, argv[j]!, "ERR Invalid IDLE option argument for XCLAIM");
      if (idle === null) return;
      deliveryTime = now - idle;
    } else if (argIs(opt, "time") && more > 0) {
      j++;
      const time = getInt64OrReply(c, argv[j]!, "ERR Invalid TIME option argument for XCLAIM");
      if (time === null) return;
      deliveryTime = time;
    } else if (argIs(opt, "retrycount") && more > 0) {
      j++;
      const retries = getInt64OrReply(c, argv[j]!, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
      if (retries === null) return;
      retryCount = retries;
    } else if (argIs(opt, "lastid") && more > 0) {
      j++;
      const parsed = parseStreamIdOrReply(c, argv[j]!, 0n, true);
      if (parsed === null) return;
      lastId = parsed;
    } else {
      c.reply.error(`ERR Unrecognized XCLAIM option '${opt.toString("latin1")}'`);
      return;
    }
  }
  let propagateLastId = false;
  if (lastId !== null && compareId(lastId, group.lastId) > 0) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else {
    deliveryTime = now;
  }
  const keyArg = argv[1]!;
  const reply = c.reply;
  const token = reply.beginDeferredLength();
  let written = 0;
  let consumer: StreamConsumer | null = null;
  for (const id of ids) {
    let pending = group.pel.find(id);
    if (!stream.has(id)) {
      if (pending !== undefined) {
        dropDeleted(c, keyArg, group, pending);
        propagateLastId = false;
      }
      continue;
    }
    let hadOwner = true;
    if (force && pending === undefined) {
      consumer ??= claimer(c, key, group, argString(argv[3]!));
      pending = new PendingEntryClass(id, consumer, now, 1);
      group.pel.insert(pending);
      hadOwner = false;
    }
    if (pending === undefined) continue;
    if (hadOwner && minIdle !== 0 && now - pending.deliveryTime < minIdle) continue;
    consumer ??= claimer(c, key, group, argString(argv[3]!));
    reassign(pending, consumer, hadOwner);
    pending.deliveryTime = deliveryTime;
    if (retryCount >= 0) pending.deliveryCount = retryCount;
    else if (!justId) pending.deliveryCount++;
    if (justId) writeId(c, id);
    else if (!writeSingleEntry(c, stream, id)) reply.nullBulk();
    written++;
    c.propagateAlso(
      xclaimArgv(keyArg, group, consumer.name, id, pending.deliveryTime, pending.deliveryCount),
    );
    propagateLastId = false;
    c.server.keyspace.dirty++;
  }
  if (propagateLastId) {
    c.propagateAlso(setIdArgv(keyArg, group));
    c.server.keyspace.dirty++;
  }
  reply.setDeferredLength(token, written);
}

/** Redis' cap on XAUTOCLAIM's COUNT: LONG_MAX / max(sizeof(streamID), attempts factor). */
const AUTOCLAIM_MAX_COUNT = INT64_MAX / 16n;
/**
 * Redis allocates COUNT IDs up front for the deleted ones and fails when the
 * allocation cannot be had; beyond 2^32 IDs (64 GB) it cannot on any machine
 * this runs on, so such counts get the same error.
 */
const AUTOCLAIM_ALLOCATABLE_COUNT = 1n << 32n;
const ATTEMPTS_FACTOR = 10;

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaimCommand(c: ClientSession): void {
  const argv = c.argv;
  c.rewritePropagation([]);
  let minIdle = getInt64OrReply(c, argv[4]!, "ERR Invalid min-idle-time argument for XAUTOCLAIM");
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  const start = parseRangeBoundOrReply(c, argv[5]!, false);
  if (start === null) return;
  let count = 100;
  let tooMany = false;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (argIs(argv[j]!, "count") && more > 0) {
      const value = parseInt64(argv[j + 1]!);
      if (value === null || value < 1n || value > AUTOCLAIM_MAX_COUNT) {
        c.reply.error("ERR COUNT must be > 0");
        return;
      }
      tooMany = value > AUTOCLAIM_ALLOCATABLE_COUNT;
      count = Number(value);
      j++;
    } else if (argIs(argv[j]!, "justid")) {
      justId = true;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  const key = argString(argv[1]!);
  const groupName = argString(argv[2]!);
  const stream = readStreamOrReply(c, key);
  if (stream === null) return;
  const group = stream?.group(groupName);
  if (stream === undefined || group === undefined) {
    c.reply.error(noKeyOrGroup(key, groupName));
    return;
  }
  if (tooMany) {
    c.reply.error("ERR Insufficient memory, failed allocating transient memory, COUNT too high.");
    return;
  }
  const keyArg = argv[1]!;
  const reply = c.reply;
  const now = c.server.keyspace.now;
  let attempts = count * ATTEMPTS_FACTOR;
  const pel = group.pel;
  let position = pel.nextLive(pel.lowerBound(start));
  let consumer: StreamConsumer | null = null;
  const deleted: StreamID[] = [];
  const claimed: PendingEntry[] = [];
  while (attempts-- > 0 && count > 0 && position < pel.slotCount) {
    const pending = pel.at(position)!;
    if (!stream.has(pending.id)) {
      dropDeleted(c, keyArg, group, pending);
      deleted.push(pending.id);
      count--;
      position = pel.nextLive(position + 1);
      continue;
    }
    position = pel.nextLive(position + 1);
    if (minIdle !== 0 && now - pending.deliveryTime < minIdle) continue;
    consumer ??= claimer(c, key, group, argString(argv[3]!));
    reassign(pending, consumer, true);
    pending.deliveryTime = now;
    if (!justId) pending.deliveryCount++;
    claimed.push(pending);
    count--;
    c.propagateAlso(
      xclaimArgv(keyArg, group, consumer.name, pending.id, pending.deliveryTime, pending.deliveryCount),
    );
    c.server.keyspace.dirty++;
  }
  reply.arrayLen(3);
  const next = position < pel.slotCount ? pel.at(position) : null;
  if (next === null) reply.bulkString("0-0");
  else writeId(c, next.id);
  reply.arrayLen(claimed.length);
  for (const pending of claimed) {
    if (justId) writeId(c, pending.id);
    else if (!writeSingleEntry(c, stream, pending.id)) reply.nullBulk();
  }
  reply.arrayLen(deleted.length);
  for (const id of deleted) writeId(c, id);
}

// ---------------------------------------------------------------- specs

const GROUP_KEY = { first: 2, last: 2, step: 1 } as const;

function xgroupSubcommand(
  name: string,
  arity: number,
  flags: CommandSpec["flags"],
  summary: string,
  since: string,
  complexity: string,
  handler: (c: ClientSession) => void,
): CommandSpec {
  return {
    name,
    arity,
    flags,
    keys: GROUP_KEY,
    acl: ["@stream"],
    group: "stream",
    summary,
    since,
    complexity,
    handler,
  };
}

/** Specs of XGROUP, XACK, XPENDING, XCLAIM and XAUTOCLAIM (registered by stream.ts). */
export const streamGroupCommands: readonly CommandSpec[] = [
  {
    name: "xgroup",
    arity: -2,
    flags: [],
    keys: NO_KEYS,
    group: "stream",
    summary: "Manage consumer groups",
    since: "5.0.0",
    complexity: "Per subcommand.",
    handler: xgroupContainerCommand,
    subcommands: [
      xgroupSubcommand(
        "create",
        -5,
        ["write", "denyoom"],
        "Create a consumer group",
        "5.0.0",
        "O(1)",
        xgroupCreateCommand,
      ),
      xgroupSubcommand(
        "createconsumer",
        5,
        ["write", "denyoom"],
        "Add a consumer to a group",
        "6.2.0",
        "O(1)",
        xgroupCreateConsumerCommand,
      ),
      xgroupSubcommand(
        "delconsumer",
        5,
        ["write"],
        "Remove a consumer from a group",
        "5.0.0",
        "O(1)",
        xgroupDelConsumerCommand,
      ),
      xgroupSubcommand(
        "destroy",
        4,
        ["write"],
        "Delete a consumer group",
        "5.0.0",
        "O(N), N = pending entries of the group.",
        xgroupDestroyCommand,
      ),
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        keys: NO_KEYS,
        acl: ["@stream"],
        group: "stream",
        summary: "List the subcommands with one line on each",
        since: "5.0.0",
        complexity: "O(1)",
        handler: xgroupHelpCommand,
      },
      xgroupSubcommand(
        "setid",
        -5,
        ["write"],
        "Move a group's last-delivered id",
        "5.0.0",
        "O(1)",
        xgroupSetidCommand,
      ),
    ],
  },
  {
    name: "xack",
    arity: -4,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@stream"],
    group: "stream",
    summary: "Mark stream entries as processed by a group",
    since: "5.0.0",
    complexity: "O(1) per id.",
    handler: xackCommand,
  },
  {
    name: "xpending",
    arity: -3,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@stream"],
    group: "stream",
    summary: "Pending entries of a consumer group",
    since: "5.0.0",
    complexity: "O(N), N = entries returned.",
    handler: xpendingCommand,
  },
  {
    name: "xclaim",
    arity: -6,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@stream"],
    group: "stream",
    summary: "Take over pending entries by id",
    since: "5.0.0",
    complexity: "O(log(N)), N = pending entries of the group.",
    handler: xclaimCommand,
  },
  {
    name: "xautoclaim",
    arity: -6,
    flags: ["write", "fast"],
    keys: FIRST_KEY,
    acl: ["@stream"],
    group: "stream",
    summary: "Take over idle pending entries, scanning from an id",
    since: "6.2.0",
    complexity: "O(1) for a small COUNT.",
    handler: xautoclaimCommand,
  },
];
