/*
 * Pub/sub commands (Redis' pubsub.c): SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE,
 * PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH and the PUBSUB
 * introspection container. The subscription state and the fan-out live in the
 * PubSubRegistry (c.server.pubsub); these handlers parse, delegate and reply.
 *
 * On a single node the shard variants behave as Redis 7 does outside cluster
 * mode: shard channels are a separate namespace, without patterns.
 */

import { argString } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, NO_KEYS } from "../command-spec.js";
import { SubscriptionKind } from "../pubsub-registry.js";

/** Key positions of SSUBSCRIBE / SUNSUBSCRIBE: every argument is a shard channel. */
const ALL_ARGS_ARE_CHANNELS = { first: 1, last: -1, step: 1 } as const;

/**
 * True when `c` runs inside a transaction (or any other nested execution), where
 * Redis refuses the commands that expect to keep producing replies ("DENY
 * BLOCKING" clients). EXEC runs its commands through a nested call().
 */
function insideNestedExecution(c: ClientSession): boolean {
  return c.server.callDepth > 1;
}

// ---------------------------------------------------------------- subscribe family

/** SUBSCRIBE channel [channel ...] */
function subscribeCommand(c: ClientSession): void {
  const registry = c.server.pubsub;
  const argv = c.argv;
  for (let i = 1; i < argv.length; i++) registry.subscribe(c, SubscriptionKind.Channel, argString(argv[i]!));
}

/** PSUBSCRIBE pattern [pattern ...] */
function psubscribeCommand(c: ClientSession): void {
  const registry = c.server.pubsub;
  const argv = c.argv;
  for (let i = 1; i < argv.length; i++) registry.subscribe(c, SubscriptionKind.Pattern, argString(argv[i]!));
}

/**
 * SSUBSCRIBE shardchannel [shardchannel ...]. Unlike SUBSCRIBE, Redis refuses it
 * inside MULTI/EXEC.
 */
function ssubscribeCommand(c: ClientSession): void {
  if (insideNestedExecution(c)) {
    c.reply.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  const registry = c.server.pubsub;
  const argv = c.argv;
  for (let i = 1; i < argv.length; i++) registry.subscribe(c, SubscriptionKind.Shard, argString(argv[i]!));
}

/** The shared UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE: the given names, or all of that kind. */
function unsubscribeGeneric(c: ClientSession, kind: SubscriptionKind): void {
  const registry = c.server.pubsub;
  const argv = c.argv;
  if (argv.length === 1) {
    registry.unsubscribeAllOfKind(c, kind, true);
    return;
  }
  for (let i = 1; i < argv.length; i++) registry.unsubscribe(c, kind, argString(argv[i]!), true);
}

/** UNSUBSCRIBE [channel ...] */
function unsubscribeCommand(c: ClientSession): void {
  unsubscribeGeneric(c, SubscriptionKind.Channel);
}

/** PUNSUBSCRIBE [pattern ...] */
function punsubscribeCommand(c: ClientSession): void {
  unsubscribeGeneric(c, SubscriptionKind.Pattern);
}

/** SUNSUBSCRIBE [shardchannel ...] */
function sunsubscribeCommand(c: ClientSession): void {
  unsubscribeGeneric(c, SubscriptionKind.Shard);
}

// ---------------------------------------------------------------- publish

/** PUBLISH channel message: the number of receivers (channel plus pattern subscriptions). */
function publishCommand(c: ClientSession): void {
  const channel = c.argv[1]!;
  c.reply.integer(c.server.pubsub.publish(argString(channel), c.argv[2]!, channel));
}

/** SPUBLISH shardchannel message: the number of shard-channel subscribers reached. */
function spublishCommand(c: ClientSession): void {
  const channel = c.argv[1]!;
  c.reply.integer(c.server.pubsub.publishShard(argString(channel), c.argv[2]!, channel));
}

// ---------------------------------------------------------------- PUBSUB introspection

/**
 * Redis' addReplySubcommandSyntaxError: the container name as the client typed it,
 * uppercased, and the subcommand as typed.
 */
function subcommandSyntaxError(c: ClientSession): void {
  const container = argString(c.argv[0]!).toUpperCase();
  const sub = argString(c.argv[1]!).slice(0, 128);
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${container} HELP.`);
}

/** Reply with channel names (PUBSUB CHANNELS / SHARDCHANNELS [pattern]). */
function channelListGeneric(c: ClientSession, kind: SubscriptionKind.Channel | SubscriptionKind.Shard): void {
  if (c.argv.length > 3) {
    subcommandSyntaxError(c);
    return;
  }
  const pattern = c.argv.length === 3 ? argString(c.argv[2]!) : null;
  const names = c.server.pubsub.channelNames(kind, pattern);
  c.reply.arrayLen(names.length);
  for (const name of names) c.reply.bulkString(name);
}

/** Reply with [channel, count, ...] pairs as a flat array (PUBSUB NUMSUB / SHARDNUMSUB). */
function numsubGeneric(c: ClientSession, kind: SubscriptionKind.Channel | SubscriptionKind.Shard): void {
  const registry = c.server.pubsub;
  const argv = c.argv;
  c.reply.arrayLen((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.bulk(argv[i]!);
    c.reply.integer(registry.subscriberCount(kind, argString(argv[i]!)));
  }
}

/** PUBSUB CHANNELS [pattern] */
function pubsubChannelsCommand(c: ClientSession): void {
  channelListGeneric(c, SubscriptionKind.Channel);
}

/** PUBSUB SHARDCHANNELS [pattern] */
function pubsubShardChannelsCommand(c: ClientSession): void {
  channelListGeneric(c, SubscriptionKind.Shard);
}

/** PUBSUB NUMSUB [channel ...] */
function pubsubNumsubCommand(c: ClientSession): void {
  numsubGeneric(c, SubscriptionKind.Channel);
}

/** PUBSUB SHARDNUMSUB [shardchannel ...] */
function pubsubShardNumsubCommand(c: ClientSession): void {
  numsubGeneric(c, SubscriptionKind.Shard);
}

/** PUBSUB NUMPAT: the number of distinct patterns with subscribers. */
function pubsubNumpatCommand(c: ClientSession): void {
  c.reply.integer(c.server.pubsub.patternCount);
}

const PUBSUB_HELP: readonly string[] = [
  "PUBSUB <subcommand> [<arg> ...], where <subcommand> is one of:",
  "CHANNELS [<pattern>]",
  "    Channels with subscribers, matching <pattern> (default '*').",
  "NUMPAT",
  "    How many patterns have subscribers.",
  "NUMSUB [<channel> ...]",
  "    Subscriber count of each <channel>, pattern subscriptions not counted.",
  "SHARDCHANNELS [<pattern>]",
  "    Shard channels with subscribers, matching <pattern> (default '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Subscriber count of each shard channel.",
  "HELP",
  "    This list.",
];

/** PUBSUB HELP */
function pubsubHelpCommand(c: ClientSession): void {
  c.reply.arrayLen(PUBSUB_HELP.length);
  for (const line of PUBSUB_HELP) c.reply.simple(line);
}

/** The PUBSUB container itself never runs: the gate dispatches to a subcommand. */
function pubsubContainerCommand(c: ClientSession): void {
  subcommandSyntaxError(c);
}

// ---------------------------------------------------------------- specs

export const pubsubCommands: readonly CommandSpec[] = [
  {
    name: "subscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: NO_KEYS,
    group: "pubsub",
    summary: "Receive messages of channels",
    since: "2.0.0",
    complexity: "O(N), N = channels.",
    handler: subscribeCommand,
  },
  {
    name: "unsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: NO_KEYS,
    group: "pubsub",
    summary: "Stop receiving messages of channels",
    since: "2.0.0",
    complexity: "O(N), N = channels.",
    handler: unsubscribeCommand,
  },
  {
    name: "psubscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: NO_KEYS,
    group: "pubsub",
    summary: "Receive messages of channels matching patterns",
    since: "2.0.0",
    complexity: "O(N), N = patterns.",
    handler: psubscribeCommand,
  },
  {
    name: "punsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: NO_KEYS,
    group: "pubsub",
    summary: "Stop receiving messages for patterns",
    since: "2.0.0",
    complexity: "O(N+M): N patterns, M patterns in the server.",
    handler: punsubscribeCommand,
  },
  {
    name: "ssubscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: ALL_ARGS_ARE_CHANNELS,
    group: "pubsub",
    summary: "Receive messages of shard channels",
    since: "7.0.0",
    complexity: "O(N), N = shard channels.",
    handler: ssubscribeCommand,
  },
  {
    name: "sunsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: ALL_ARGS_ARE_CHANNELS,
    group: "pubsub",
    summary: "Stop receiving messages of shard channels",
    since: "7.0.0",
    complexity: "O(N), N = shard channels.",
    handler: sunsubscribeCommand,
  },
  {
    name: "publish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast", "may_replicate"],
    keys: NO_KEYS,
    group: "pubsub",
    summary: "Send a message to a channel",
    since: "2.0.0",
    complexity: "O(N+M): N channel subscribers, M patterns.",
    handler: publishCommand,
  },
  {
    name: "spublish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast", "may_replicate"],
    keys: { first: 1, last: 1, step: 1 },
    group: "pubsub",
    summary: "Send a message to a shard channel",
    since: "7.0.0",
    complexity: "O(N), N = subscribers.",
    handler: spublishCommand,
  },
  {
    name: "pubsub",
    arity: -2,
    flags: [],
    group: "pubsub",
    summary: "Channels and subscribers",
    since: "2.8.0",
    complexity: "Per subcommand.",
    handler: pubsubContainerCommand,
    subcommands: [
      {
        name: "channels",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "Channels with subscribers, optionally matching a pattern",
        since: "2.8.0",
        complexity: "O(N), N = active channels.",
        handler: pubsubChannelsCommand,
      },
      {
        name: "numpat",
        arity: 2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "How many patterns have subscribers",
        since: "2.8.0",
        complexity: "O(1)",
        handler: pubsubNumpatCommand,
      },
      {
        name: "numsub",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "Subscriber counts of channels",
        since: "2.8.0",
        complexity: "O(N), N = channels asked for.",
        handler: pubsubNumsubCommand,
      },
      {
        name: "shardchannels",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "Shard channels with subscribers, optionally matching a pattern",
        since: "7.0.0",
        complexity: "O(N), N = active shard channels.",
        handler: pubsubShardChannelsCommand,
      },
      {
        name: "shardnumsub",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "Subscriber counts of shard channels",
        since: "7.0.0",
        complexity: "O(N), N = shard channels asked for.",
        handler: pubsubShardNumsubCommand,
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "pubsub",
        summary: "List the subcommands with one line on each",
        since: "6.2.0",
        complexity: "O(1)",
        handler: pubsubHelpCommand,
      },
    ],
  },
];
