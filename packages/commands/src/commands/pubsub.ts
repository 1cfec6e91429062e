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
  "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
  "HELP",
  "    Prints this help.",
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
    summary: "Listen for messages published to the given channels",
    since: "2.0.0",
    complexity: "O(N) where N is the number of channels to subscribe to.",
    handler: subscribeCommand,
  },
  {
    name: "unsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: NO_KEYS,
    group: "pubsub",
    summary: "Stop listening for messages posted to the given channels",
    since: "2.0.0",
    complexity: "O(N) where N is the number of clients already subscribed to a channel.",
    handler: unsubscribeCommand,
  },
  {
    name: "psubscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: NO_KEYS,
    group: "pubsub",
    summary: "Listen for messages published to channels matching the given patterns",
    since: "2.0.0",
    complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
    handler: psubscribeCommand,
  },
  {
    name: "punsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: NO_KEYS,
    group: "pubsub",
    summary: "Stop listening for messages posted to channels matching the given patterns",
    since: "2.0.0",
    complexity:
      "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
    handler: punsubscribeCommand,
  },
  {
    name: "ssubscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: ALL_ARGS_ARE_CHANNELS,
    group: "pubsub",
    summary: "Listen for messages published to the given shard channels",
    since: "7.0.0",
    complexity: "O(N) where N is the number of shard channels to subscribe to.",
    handler: ssubscribeCommand,
  },
  {
    name: "sunsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: ALL_ARGS_ARE_CHANNELS,
    group: "pubsub",
    summary: "Stop listening for messages posted to the given shard channels",
    since: "7.0.0",
    complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
    handler: sunsubscribeCommand,
  },
  {
    name: "publish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    keys: NO_KEYS,
    group: "pubsub",
    summary: "Post a message to a channel",
    since: "2.0.0",
    complexity:
      "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
    handler: publishCommand,
  },
  {
    name: "spublish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    group: "pubsub",
    summary: "Post a message to a shard channel",
    since: "7.0.0",
    complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
    handler: spublishCommand,
  },
  {
    name: "pubsub",
    arity: -2,
    flags: [],
    group: "pubsub",
    summary: "A container for Pub/Sub commands",
    since: "2.8.0",
    complexity: "Depends on subcommand.",
    handler: pubsubContainerCommand,
    subcommands: [
      {
        name: "channels",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "List active channels",
        since: "2.8.0",
        complexity:
          "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
        handler: pubsubChannelsCommand,
      },
      {
        name: "numpat",
        arity: 2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "Get the count of unique patterns pattern subscriptions",
        since: "2.8.0",
        complexity: "O(1)",
        handler: pubsubNumpatCommand,
      },
      {
        name: "numsub",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "Get the count of subscribers for channels",
        since: "2.8.0",
        complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
        handler: pubsubNumsubCommand,
      },
      {
        name: "shardchannels",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "List active shard channels",
        since: "7.0.0",
        complexity:
          "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
        handler: pubsubShardChannelsCommand,
      },
      {
        name: "shardnumsub",
        arity: -2,
        flags: ["pubsub", "loading", "stale"],
        group: "pubsub",
        summary: "Get the count of subscribers for shard channels",
        since: "7.0.0",
        complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
        handler: pubsubShardNumsubCommand,
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "pubsub",
        summary: "Show helpful text about the different subcommands",
        since: "6.2.0",
        complexity: "O(1)",
        handler: pubsubHelpCommand,
      },
    ],
  },
];
