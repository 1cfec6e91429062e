/*
 * XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS, XINFO HELP
 * (Redis' xinfoCommand), with Redis 7.0's fields: entries-added,
 * max-deleted-entry-id, recorded-first-entry-id, a group's entries-read and
 * lag, a consumer's idle time (7.0 has no "inactive" field yet).
 *
 * radix-tree-keys is the number of packed blocks, which are cut where Redis
 * cuts its listpacks; radix-tree-nodes is the node count of the radix tree
 * Redis builds over those blocks' first IDs (RedisStream.radixTreeNodes).
 */

import { type RedisStream, type StreamGroup, StreamID } from "@spinel/core-db";
import { argIs, argString, parseInt64 } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, NO_KEYS } from "../command-spec.js";
import { Err } from "../errors.js";
import { writeHelp } from "./client.js";
import {
  noGroupForKey,
  readStreamOrReply,
  StreamErr,
  subcommandSyntaxError,
  writeId,
  writeRange,
} from "./stream-common.js";

/** The stream at argv[2] or null after replying (missing key: "ERR no such key"). */
function infoStreamOrReply(c: ClientSession): RedisStream | null {
  const stream = readStreamOrReply(c, argString(c.argv[2]!));
  if (stream === null) return null;
  if (stream === undefined) {
    c.reply.error(StreamErr.noSuchKey);
    return null;
  }
  return stream;
}

/** A group's lag, or null when it cannot be known. */
function writeLag(c: ClientSession, stream: RedisStream, group: StreamGroup): void {
  const lag = stream.groupLag(group);
  if (lag === null) c.reply.nullBulk();
  else c.reply.integer(lag);
}

/** entries-read, null when unknown. */
function writeEntriesRead(c: ClientSession, group: StreamGroup): void {
  if (group.entriesRead === -1n) c.reply.nullBulk();
  else c.reply.integer(group.entriesRead);
}

/** XINFO STREAM key [FULL [COUNT count]] */
function xinfoStreamCommand(c: ClientSession): void {
  const argv = c.argv;
  const stream = infoStreamOrReply(c);
  if (stream === null) return;
  let full = true;
  let count = 10;
  const extra = argv.length - 3;
  if (extra === 0) {
    full = false;
  } else if (extra === 1 || extra === 3) {
    if (!argIs(argv[3]!, "full")) {
      subcommandSyntaxError(c);
      return;
    }
    if (extra === 3) {
      if (!argIs(argv[4]!, "count")) {
        subcommandSyntaxError(c);
        return;
      }
      const value = parseInt64(argv[5]!);
      if (value === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      count =
        value < 0n ? 10 : value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
    }
  } else {
    subcommandSyntaxError(c);
    return;
  }
  const reply = c.reply;
  reply.mapLen(full ? 9 : 10);
  reply.bulkString("length");
  reply.integer(stream.length);
  reply.bulkString("radix-tree-keys");
  reply.integer(stream.blockCount);
  reply.bulkString("radix-tree-nodes");
  reply.integer(stream.radixTreeNodes());
  reply.bulkString("last-generated-id");
  writeId(c, stream.lastId);
  reply.bulkString("max-deleted-entry-id");
  writeId(c, stream.maxDeletedId);
  reply.bulkString("entries-added");
  reply.integer(stream.entriesAdded);
  reply.bulkString("recorded-first-entry-id");
  writeId(c, stream.firstId);
  if (!full) {
    reply.bulkString("groups");
    reply.integer(stream.groupCount);
    reply.bulkString("first-entry");
    writeEdgeEntry(c, stream, false);
    reply.bulkString("last-entry");
    writeEdgeEntry(c, stream, true);
    return;
  }
  reply.bulkString("entries");
  writeRange(c, stream, StreamID.MIN, StreamID.MAX, count, false);
  reply.bulkString("groups");
  const groups = stream.sortedGroups();
  reply.arrayLen(groups.length);
  for (const group of groups) {
    reply.mapLen(7);
    reply.bulkString("name");
    reply.bulkString(group.name);
    reply.bulkString("last-delivered-id");
    writeId(c, group.lastId);
    reply.bulkString("entries-read");
    writeEntriesRead(c, group);
    reply.bulkString("lag");
    writeLag(c, stream, group);
    reply.bulkString("pel-count");
    reply.integer(group.pel.length);
    reply.bulkString("pending");
    const pel = group.pel.toArray();
    const shown = count === 0 ? pel.length : Math.min(count, pel.length);
    reply.arrayLen(shown);
    for (let i = 0; i < shown; i++) {
      const pending = pel[i]!;
      reply.arrayLen(4);
      writeId(c, pending.id);
      reply.bulkString(pending.consumer.name);
      reply.integer(pending.deliveryTime);
      reply.integer(pending.deliveryCount);
    }
    reply.bulkString("consumers");
    const consumers = group.sortedConsumers();
    reply.arrayLen(consumers.length);
    for (const consumer of consumers) {
      reply.mapLen(4);
      reply.bulkString("name");
      reply.bulkString(consumer.name);
      reply.bulkString("seen-time");
      reply.integer(consumer.seenTime);
      reply.bulkString("pel-count");
      reply.integer(consumer.pel.length);
      reply.bulkString("pending");
      const own = consumer.pel.toArray();
      const ownShown = count === 0 ? own.length : Math.min(count, own.length);
      reply.arrayLen(ownShown);
      for (let i = 0; i < ownShown; i++) {
        const pending = own[i]!;
        reply.arrayLen(3);
        writeId(c, pending.id);
        reply.integer(pending.deliveryTime);
        reply.integer(pending.deliveryCount);
      }
    }
  }
}

/** The first or last entry as [id, [fields]], or a null when the stream is empty. */
function writeEdgeEntry(c: ClientSession, stream: RedisStream, last: boolean): void {
  const it = stream.iterate(StreamID.MIN, StreamID.MAX, last);
  if (!it.next()) {
    c.reply.nullBulk();
    return;
  }
  const reply = c.reply;
  reply.arrayLen(2);
  reply.bulkString(it.idText());
  const items = it.pairCount * 2;
  reply.arrayLen(items);
  for (let k = 0; k < items; k++) reply.bulkSlice(it.buffer, it.itemStart(k), it.itemEnd(k));
}

/** XINFO GROUPS key */
function xinfoGroupsCommand(c: ClientSession): void {
  const stream = infoStreamOrReply(c);
  if (stream === null) return;
  const reply = c.reply;
  const groups = stream.sortedGroups();
  reply.arrayLen(groups.length);
  for (const group of groups) {
    reply.mapLen(6);
    reply.bulkString("name");
    reply.bulkString(group.name);
    reply.bulkString("consumers");
    reply.integer(group.consumers.size);
    reply.bulkString("pending");
    reply.integer(group.pel.length);
    reply.bulkString("last-delivered-id");
    writeId(c, group.lastId);
    reply.bulkString("entries-read");
    writeEntriesRead(c, group);
    reply.bulkString("lag");
    writeLag(c, stream, group);
  }
}

/** XINFO CONSUMERS key group */
function xinfoConsumersCommand(c: ClientSession): void {
  const stream = infoStreamOrReply(c);
  if (stream === null) return;
  const groupName = argString(c.argv[3]!);
  const group = stream.group(groupName);
  if (group === undefined) {
    c.reply.error(noGroupForKey(argString(c.argv[2]!), groupName));
    return;
  }
  const reply = c.reply;
  const consumers = group.sortedConsumers();
  const now = c.server.keyspace.now;
  reply.arrayLen(consumers.length);
  for (const consumer of consumers) {
    reply.mapLen(3);
    reply.bulkString("name");
    reply.bulkString(consumer.name);
    reply.bulkString("pending");
    reply.integer(consumer.pel.length);
    reply.bulkString("idle");
    const idle = now - consumer.seenTime;
    reply.integer(idle < 0 ? 0 : idle);
  }
}

const XINFO_HELP = [
  "XINFO <subcommand> [<arg> ...], where <subcommand> is one of:",
  "CONSUMERS <key> <group>",
  "    The consumers of <group>, with their pending counts and idle times.",
  "GROUPS <key>",
  "    The consumer groups of the stream.",
  "STREAM <key> [FULL [COUNT <count>]]",
  "    The stream's figures; FULL adds its entries, groups and pending lists.",
  "HELP",
  "    This list.",
];

/** XINFO HELP */
function xinfoHelpCommand(c: ClientSession): void {
  writeHelp(c, XINFO_HELP);
}

/** The XINFO container never runs itself: the gate dispatches to a subcommand. */
function xinfoContainerCommand(c: ClientSession): void {
  c.reply.error(Err.syntax);
}

const INFO_KEY = { first: 2, last: 2, step: 1 } as const;

/** Specs of XINFO (registered by stream.ts). */
export const streamInfoCommands: readonly CommandSpec[] = [
  {
    name: "xinfo",
    arity: -2,
    flags: [],
    keys: NO_KEYS,
    group: "stream",
    summary: "Describe streams, groups and consumers",
    since: "5.0.0",
    complexity: "Per subcommand.",
    handler: xinfoContainerCommand,
    subcommands: [
      {
        name: "consumers",
        arity: 4,
        flags: ["readonly"],
        keys: INFO_KEY,
        acl: ["@stream"],
        group: "stream",
        summary: "The consumers of a group",
        since: "5.0.0",
        complexity: "O(1)",
        handler: xinfoConsumersCommand,
      },
      {
        name: "groups",
        arity: 3,
        flags: ["readonly"],
        keys: INFO_KEY,
        acl: ["@stream"],
        group: "stream",
        summary: "The consumer groups of a stream",
        since: "5.0.0",
        complexity: "O(1)",
        handler: xinfoGroupsCommand,
      },
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
        handler: xinfoHelpCommand,
      },
      {
        name: "stream",
        arity: -3,
        flags: ["readonly"],
        keys: INFO_KEY,
        acl: ["@stream"],
        group: "stream",
        summary: "Describe a stream",
        since: "5.0.0",
        complexity: "O(1)",
        handler: xinfoStreamCommand,
      },
    ],
  },
];
