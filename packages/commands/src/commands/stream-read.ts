/*
 * Reading streams (Redis' xreadCommand): XREAD and XREADGROUP, served at once
 * or blocked on the blocking registry (blocking.ts) until an XADD brings an
 * entry newer than the one asked for.
 *
 * XREADGROUP with `>` delivers entries after the group's last ID, moves the
 * group forward (last ID, entries-read) and, unless NOACK, adds each entry to
 * the group's and the consumer's pending entries lists. With another ID it
 * re-reads the consumer's own pending entries (its history). It is never
 * propagated itself: as in Redis 7.0, each delivery propagates as an
 * idempotent XCLAIM and the group's progress as XGROUP SETID ... ENTRIESREAD.
 *
 * Replies: RESP2 an array of [key, entries] pairs, RESP3 a map key -> entries;
 * nothing to return (or a timeout) is a null array (RESP3 null).
 */

import {
  compareStreamIds,
  type Database,
  PendingEntry,
  type RedisStream,
  type StreamConsumer,
  type StreamGroup,
  StreamID,
  UINT64_MAX,
} from "@spinel/core-db";
import { argIs, argString, parseInt64 } from "../args.js";
import { type BlockedClient, type BlockingFamily, propagateServed, ServeOutcome } from "../blocking.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import {
  createConsumerArgv,
  groupChanged,
  parseStreamIdOrReply,
  setIdArgv,
  writeId,
  writeIteratorEntry,
  writeSingleEntry,
  xclaimArgv,
} from "./stream-common.js";

/** Count used by a blocked XREAD without COUNT (Redis' XREAD_BLOCKED_DEFAULT_COUNT). */
const BLOCKED_DEFAULT_COUNT = 1000;
const INT64_LIMIT = 1n << 63n;

/** Where the propagation of a delivery goes: the command's own, or a served blocked client's. */
interface PropagationSink {
  push(argv: Buffer[]): void;
}

/** Propagates through the running command (c.propagateAlso). */
class CommandSink implements PropagationSink {
  c: ClientSession | null = null;
  push(argv: Buffer[]): void {
    this.c!.propagateAlso(argv);
  }
}

/** Propagates on behalf of a served blocked client. */
class ServedSink implements PropagationSink {
  blocked: BlockedClient<unknown> | null = null;
  push(argv: Buffer[]): void {
    propagateServed(this.blocked!, argv);
  }
}

const commandSink = new CommandSink();
const servedSink = new ServedSink();

// ---------------------------------------------------------------- delivery

/**
 * Reply the entries of `stream` after `after` (at most `count`, 0 = all) as an
 * array, for XREAD (no group) or XREADGROUP `>` (group and consumer): the group
 * moves forward and, unless `noack`, each entry enters the PELs (taken from
 * another consumer if XGROUP SETID made it pending twice). Deliveries are
 * propagated as XCLAIM, the group's progress as XGROUP SETID (Redis'
 * streamReplyWithRange). Returns how many entries were written.
 */
function deliverNew(
  c: ClientSession,
  db: Database,
  stream: RedisStream,
  keyArg: Buffer,
  after: StreamID,
  count: number,
  group: StreamGroup | null,
  consumer: StreamConsumer | null,
  noack: boolean,
  sink: PropagationSink,
): number {
  const reply = c.reply;
  const start = after.next();
  const token = reply.beginDeferredLength();
  let written = 0;
  if (start !== null) {
    const it = stream.iterate(start, StreamID.MAX, false);
    let advanced = false;
    const now = db.keyspace.now;
    while (it.next()) {
      const id = it.id;
      if (group !== null && compareStreamIds(id, group.lastId) > 0) {
        stream.advanceGroup(group, id);
        advanced = true;
      }
      writeIteratorEntry(c, it);
      if (group !== null && consumer !== null && !noack) {
        let pending = group.pel.find(id);
        if (pending === undefined) {
          pending = new PendingEntry(id, consumer, now, 1);
          group.pel.insert(pending);
          consumer.pel.insert(pending);
        } else {
          pending.consumer.pel.remove(id);
          pending.consumer = consumer;
          pending.deliveryTime = now;
          pending.deliveryCount = 1;
          consumer.pel.insert(pending);
        }
        sink.push(xclaimArgv(keyArg, group, consumer.name, id, pending.deliveryTime, pending.deliveryCount));
      }
      written++;
      if (count !== 0 && written === count) break;
    }
    if (group !== null && advanced) sink.push(setIdArgv(keyArg, group));
  }
  reply.setDeferredLength(token, written);
  return written;
}

/**
 * XREADGROUP with an explicit ID: the consumer's pending entries after
 * `after` (at most `count`), each re-delivered (delivery count + 1) or, when
 * the entry was deleted meanwhile, [id, null] (Redis'
 * streamReplyWithRangeFromConsumerPEL).
 */
function deliverHistory(
  c: ClientSession,
  stream: RedisStream,
  after: StreamID,
  count: number,
  consumer: StreamConsumer,
): void {
  const reply = c.reply;
  const start = after.next();
  const pel = consumer.pel;
  let index = start === null ? pel.slotCount : pel.nextLive(pel.lowerBound(start));
  const now = c.server.keyspace.now;
  const token = reply.beginDeferredLength();
  let written = 0;
  while (index < pel.slotCount && (count === 0 || written < count)) {
    const pending = pel.at(index)!;
    if (writeSingleEntry(c, stream, pending.id)) {
      pending.deliveryTime = now;
      pending.deliveryCount++;
    } else {
      reply.arrayLen(2);
      writeId(c, pending.id);
      reply.nullArray();
    }
    written++;
    index = pel.nextLive(index + 1);
  }
  reply.setDeferredLength(token, written);
}

/**
 * The consumer `name` of `group`, created (with the xgroup-createconsumer event,
 * a dirty unit and its propagation) when missing; its seen time refreshed.
 */
function lookupOrCreateConsumer(
  db: Database,
  key: string,
  keyArg: Buffer,
  group: StreamGroup,
  name: string,
  sink: PropagationSink,
): StreamConsumer {
  const now = db.keyspace.now;
  let consumer = group.consumer(name);
  if (consumer === undefined) {
    consumer = group.createConsumer(name, now);
    groupChanged(db, key, "xgroup-createconsumer");
    sink.push(createConsumerArgv(keyArg, group, name));
  }
  consumer.seenTime = now;
  return consumer;
}

// ---------------------------------------------------------------- parsing

/** Parsed XREAD / XREADGROUP arguments. */
class ReadArgs {
  /** Absolute deadline in ms (0 = forever), or -1 without BLOCK. */
  deadline = -1;
  count = 0;
  streamsIndex = 0;
  streamCount = 0;
  groupName: string | null = null;
  consumerName: string | null = null;
  noack = false;
  /** Per stream: the ID to read after (`>` is the max ID). */
  ids: StreamID[] = [];
  groups: (StreamGroup | null)[] = [];
}

/**
 * Parse `[GROUP g c] [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...` and
 * resolve the IDs (`$`, `>`) and groups, replying Redis' errors in its order.
 * Returns null after replying.
 */
function parseReadArgsOrReply(c: ClientSession, xreadgroup: boolean): ReadArgs | null {
  const argv = c.argv;
  const args = new ReadArgs();
  let streamsIndex = 0;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const opt = argv[i]!;
    if (argIs(opt, "block") && more > 0) {
      i++;
      const timeout = parseInt64(argv[i]!);
      if (timeout === null) {
        c.reply.error("ERR timeout is not an integer or out of range");
        return null;
      }
      if (timeout < 0n) {
        c.reply.error(Err.timeoutNegative);
        return null;
      }
      if (timeout === 0n) args.deadline = 0;
      else {
        const deadline = timeout + BigInt(c.server.keyspace.now);
        args.deadline = deadline >= INT64_LIMIT ? 0 : Number(deadline);
      }
    } else if (argIs(opt, "count") && more > 0) {
      i++;
      const count = parseInt64(argv[i]!);
      if (count === null) {
        c.reply.error(Err.notInteger);
        return null;
      }
      args.count =
        count < 0n ? 0 : count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
    } else if (argIs(opt, "streams") && more > 0) {
      streamsIndex = i + 1;
      const remaining = argv.length - streamsIndex;
      if (remaining % 2 !== 0) {
        // Redis 7.0 words it for XREAD whichever command it was.
        c.reply.error(
          "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
        );
        return null;
      }
      args.streamCount = remaining / 2;
      break;
    } else if (argIs(opt, "group") && more >= 2) {
      if (!xreadgroup) {
        c.reply.error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return null;
      }
      args.groupName = argString(argv[i + 1]!);
      args.consumerName = argString(argv[i + 2]!);
      i += 2;
    } else if (argIs(opt, "noack")) {
      if (!xreadgroup) {
        c.reply.error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return null;
      }
      args.noack = true;
    } else {
      c.reply.error(Err.syntax);
      return null;
    }
  }
  if (streamsIndex === 0) {
    c.reply.error(Err.syntax);
    return null;
  }
  if (xreadgroup && args.groupName === null) {
    c.reply.error("ERR Missing GROUP option for XREADGROUP");
    return null;
  }
  args.streamsIndex = streamsIndex;
  const db = c.db;
  for (let k = 0; k < args.streamCount; k++) {
    const keyArg = argv[streamsIndex + k]!;
    const idArg = argv[streamsIndex + args.streamCount + k]!;
    const key = argString(keyArg);
    const value = db.lookupRead(key);
    if (value !== undefined && value.type !== "stream") {
      c.reply.error(Err.wrongType);
      return null;
    }
    let group: StreamGroup | null = null;
    if (args.groupName !== null) {
      group = value === undefined ? null : (value.group(args.groupName) ?? null);
      if (group === null) {
        c.reply.error(
          `NOGROUP No such key '${key}' or consumer group '${args.groupName}' in XREADGROUP with GROUP option`,
        );
        return null;
      }
    }
    args.groups.push(group);
    if (idArg.length === 1 && idArg[0] === 0x24 /* $ */) {
      if (xreadgroup) {
        c.reply.error(
          "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
        );
        return null;
      }
      args.ids.push(value === undefined ? StreamID.MIN : value.lastId);
      continue;
    }
    if (idArg.length === 1 && idArg[0] === 0x3e /* > */) {
      if (!xreadgroup) {
        c.reply.error(
          "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
        );
        return null;
      }
      args.ids.push(StreamID.MAX);
      continue;
    }
    const id = parseStreamIdOrReply(c, idArg, 0n, true);
    if (id === null) return null;
    args.ids.push(id);
  }
  return args;
}

// ---------------------------------------------------------------- commands

/** True for the `>` marker (the max ID stands for it, as in Redis). */
function isNewMarker(id: StreamID): boolean {
  return id.ms === UINT64_MAX && id.seq === UINT64_MAX;
}

/** XREAD and XREADGROUP (Redis' xreadCommand). */
function xreadGeneric(c: ClientSession, xreadgroup: boolean): void {
  const args = parseReadArgsOrReply(c, xreadgroup);
  // XREADGROUP is propagated through its effects only; XREAD never changes data.
  if (xreadgroup) c.rewritePropagation([]);
  if (args === null) return;
  const argv = c.argv;
  const db = c.db;
  const reply = c.reply;
  commandSink.c = c;
  let served = 0;
  let token = -1;
  for (let k = 0; k < args.streamCount; k++) {
    const keyArg = argv[args.streamsIndex + k]!;
    const key = argString(keyArg);
    const value = db.lookupRead(key);
    if (value === undefined || value.type !== "stream") continue;
    const stream = value;
    let after = args.ids[k]!;
    const group = args.groups[k]!;
    let serve = false;
    let history = false;
    if (group !== null) {
      if (!isNewMarker(after)) {
        serve = true;
        history = true;
      } else if (stream.length > 0) {
        const top = stream.edgeId(true)!;
        if (compareStreamIds(top, group.lastId) > 0) {
          serve = true;
          after = group.lastId;
        }
      }
    } else if (stream.length > 0) {
      serve = compareStreamIds(stream.edgeId(true)!, after) > 0;
    }
    if (!serve) continue;
    served++;
    if (served === 1) token = reply.beginDeferredLength();
    if (reply.protocol === 2) reply.arrayLen(2);
    reply.bulk(keyArg);
    if (group !== null) {
      const consumer = lookupOrCreateConsumer(db, key, keyArg, group, args.consumerName!, commandSink);
      if (history) deliverHistory(c, stream, after, args.count, consumer);
      else deliverNew(c, db, stream, keyArg, after, args.count, group, consumer, args.noack, commandSink);
      db.keyspace.dirty++;
    } else {
      deliverNew(c, db, stream, keyArg, after, args.count, null, null, false, commandSink);
    }
  }
  commandSink.c = null;
  if (served > 0) {
    reply.setDeferredLength(token, served, reply.protocol === 2 ? "array" : "map");
    return;
  }
  if (args.deadline !== -1) {
    const registry = c.server.blocking;
    if (!registry.canBlock(c)) {
      reply.nullArray();
      return;
    }
    const keys: string[] = [];
    for (let k = 0; k < args.streamCount; k++) keys.push(argString(argv[args.streamsIndex + k]!));
    const request = new StreamReadRequest(
      keys,
      args.ids,
      args.count === 0 ? BLOCKED_DEFAULT_COUNT : args.count,
      args.groupName,
      args.consumerName,
      args.noack,
    );
    registry.block(c, keys, args.deadline, streamBlockingFamily, request);
    return;
  }
  reply.nullArray();
}

/** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
function xreadCommand(c: ClientSession): void {
  xreadGeneric(c, false);
}

/** XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
function xreadgroupCommand(c: ClientSession): void {
  xreadGeneric(c, true);
}

// ---------------------------------------------------------------- blocking

/** What a client blocked in XREAD / XREADGROUP waits for. */
class StreamReadRequest {
  readonly keys: readonly string[];
  /** Per key (same order): entries after this ID are wanted. */
  readonly ids: StreamID[];
  readonly count: number;
  readonly groupName: string | null;
  readonly consumerName: string | null;
  readonly noack: boolean;

  constructor(
    keys: readonly string[],
    ids: StreamID[],
    count: number,
    groupName: string | null,
    consumerName: string | null,
    noack: boolean,
  ) {
    this.keys = keys;
    this.ids = ids;
    this.count = count;
    this.groupName = groupName;
    this.consumerName = consumerName;
    this.noack = noack;
  }
}

/**
 * The stream blocking family (Redis' serveClientsBlockedOnStreamKey): a client
 * is served from `key` when the stream's last ID passed the one it waits
 * after (for a group: the group's last ID now). A group destroyed meanwhile
 * gets -NOGROUP.
 */
const streamBlockingFamily: BlockingFamily<StreamReadRequest> = {
  serve(blocked: BlockedClient<StreamReadRequest>, key: string): ServeOutcome {
    const db = blocked.db;
    const value = db.lookupWrite(key);
    if (value === undefined || value.type !== "stream") return ServeOutcome.NotServed;
    const request = blocked.request;
    const c = blocked.client;
    const index = request.keys.indexOf(key);
    if (index === -1) return ServeOutcome.NotServed;
    let after = request.ids[index]!;
    let group: StreamGroup | null = null;
    if (request.groupName !== null) {
      group = value.group(request.groupName) ?? null;
      if (group === null) {
        c.reply.error("NOGROUP the consumer group this client was blocked on no longer exists");
        return ServeOutcome.Served;
      }
      after = group.lastId;
    }
    // Redis wakes stream readers on XADD only, when the last ID is the new entry's:
    // here any write wakes them, so ask for a live entry after the ID instead
    // (XDEL, XTRIM or XSETID alone serve nobody, as in Redis).
    const top = value.edgeId(true);
    if (top === null || compareStreamIds(top, after) <= 0) return ServeOutcome.NotServed;
    const keyArg = Buffer.from(key, "latin1");
    servedSink.blocked = blocked as BlockedClient<unknown>;
    const reply = c.reply;
    if (reply.protocol === 2) {
      reply.arrayLen(1);
      reply.arrayLen(2);
    } else {
      reply.mapLen(1);
    }
    reply.bulk(keyArg);
    let consumer: StreamConsumer | null = null;
    if (group !== null) {
      consumer = lookupOrCreateConsumer(db, key, keyArg, group, request.consumerName!, servedSink);
    }
    deliverNew(c, db, value, keyArg, after, request.count, group, consumer, request.noack, servedSink);
    if (group !== null) db.keyspace.dirty++;
    servedSink.blocked = null;
    return ServeOutcome.Served;
  },
  replyTimeout(blocked: BlockedClient<StreamReadRequest>): void {
    blocked.client.reply.nullArray();
  },
};

// ---------------------------------------------------------------- specs

/** Keys of XREAD / XREADGROUP: the first half of the arguments after STREAMS. */
function streamsKeys(argv: readonly Buffer[]): number[] {
  for (let i = 1; i < argv.length; i++) {
    if (argIs(argv[i]!, "streams")) {
      const first = i + 1;
      const count = (argv.length - first) >> 1;
      const keys: number[] = [];
      for (let k = 0; k < count; k++) keys.push(first + k);
      return keys;
    }
  }
  return [];
}

/** Specs of XREAD and XREADGROUP (registered by stream.ts). */
export const streamReadCommands: readonly CommandSpec[] = [
  {
    name: "xread",
    arity: -4,
    flags: ["readonly", "blocking"],
    keys: { first: 0, last: 0, step: 0 },
    getKeys: streamsKeys,
    acl: ["@stream"],
    group: "stream",
    summary: "Read entries after given ids from streams, optionally waiting",
    since: "5.0.0",
    complexity: "O(N) per stream, N = entries returned.",
    handler: xreadCommand,
  },
  {
    name: "xreadgroup",
    arity: -7,
    flags: ["write", "blocking"],
    keys: { first: 0, last: 0, step: 0 },
    getKeys: streamsKeys,
    acl: ["@stream"],
    group: "stream",
    summary: "Read entries for a consumer of a group, optionally waiting",
    since: "5.0.0",
    complexity: "O(M) per stream, M = entries returned.",
    handler: xreadgroupCommand,
  },
];
