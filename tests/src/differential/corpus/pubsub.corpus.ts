/*
 * Differential cases: pub/sub replies that fit the request/reply harness (one
 * frame per step), errors, PUBSUB introspection, subscribed-mode rules, MULTI,
 * and the notify-keyspace-events setting. Every case ends with no subscription
 * left, so the next case starts in normal mode. Replies made of several frames
 * (SUBSCRIBE a b, UNSUBSCRIBE without arguments) and message delivery are
 * compared in tests/src/pubsub/*.differential.test.ts.
 */
import { type DiffCase, helpLines } from "../corpus-types.js";

export const corpus: readonly DiffCase[] = [
  // ------------------------------------------------------------ subscribe / unsubscribe
  {
    name: "SUBSCRIBE then UNSUBSCRIBE one channel",
    steps: [
      ["SUBSCRIBE", "ps:a"],
      ["UNSUBSCRIBE", "ps:a"],
    ],
  },
  {
    name: "subscribing twice to a channel confirms without counting it twice",
    steps: [
      ["SUBSCRIBE", "ps:twice"],
      ["SUBSCRIBE", "ps:twice"],
      ["UNSUBSCRIBE", "ps:twice"],
    ],
  },
  {
    name: "UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE with no subscription at all",
    steps: [["UNSUBSCRIBE"], ["PUNSUBSCRIBE"], ["SUNSUBSCRIBE"]],
  },
  {
    name: "UNSUBSCRIBE from a channel never subscribed",
    steps: [
      ["UNSUBSCRIBE", "ps:never"],
      ["PUNSUBSCRIBE", "ps:never*"],
      ["SUNSUBSCRIBE", "ps:never"],
    ],
  },
  {
    name: "patterns count together with channels",
    steps: [
      ["SUBSCRIBE", "ps:chan"],
      ["PSUBSCRIBE", "ps:*"],
      ["PSUBSCRIBE", "ps:?han"],
      ["PUNSUBSCRIBE", "ps:*"],
      ["UNSUBSCRIBE", "ps:chan"],
      ["PUNSUBSCRIBE"],
    ],
  },
  {
    name: "shard channels count on their own",
    steps: [
      ["SUBSCRIBE", "ps:c"],
      ["SSUBSCRIBE", "ps:s"],
      ["SSUBSCRIBE", "ps:c"],
      ["SUNSUBSCRIBE", "ps:s"],
      ["UNSUBSCRIBE", "ps:c"],
      ["SUNSUBSCRIBE"],
    ],
  },
  {
    name: "binary channel names",
    steps: [
      ["SUBSCRIBE", Buffer.from("ps:\0\r\n\xff", "latin1")],
      ["UNSUBSCRIBE", Buffer.from("ps:\0\r\n\xff", "latin1")],
    ],
  },

  // ------------------------------------------------------------ RESP2 subscribed mode
  {
    name: "RESP2 subscribed mode refuses everything but the subscribe family, PING, QUIT, RESET",
    steps: [
      ["SUBSCRIBE", "ps:mode"],
      ["GET", "x"],
      ["SET", "x", "1"],
      ["PUBLISH", "ps:mode", "m"],
      ["PUBSUB", "NUMSUB", "ps:mode"],
      ["MULTI"],
      ["CLIENT", "ID"],
      ["NOSUCHCOMMAND"],
      ["PING"],
      ["PING", "hello"],
      ["ping", "a", "b"],
      ["UNSUBSCRIBE", "ps:mode"],
      ["PING"],
    ],
  },
  {
    name: "RESP2 subscribed mode also applies to pattern and shard subscribers",
    steps: [
      ["PSUBSCRIBE", "ps:m*"],
      ["GET", "x"],
      ["PUNSUBSCRIBE", "ps:m*"],
      ["SSUBSCRIBE", "ps:shard"],
      ["ECHO", "x"],
      ["PING"],
      ["SUNSUBSCRIBE", "ps:shard"],
      ["ECHO", "x"],
    ],
  },
  {
    name: "RESET leaves subscribed mode",
    steps: [["SUBSCRIBE", "ps:reset"], ["RESET"], ["PING"], ["PUBSUB", "NUMSUB", "ps:reset"]],
  },

  // ------------------------------------------------------------ RESP3
  {
    name: "RESP3 subscriber gets push confirmations and may run any command",
    resp3: true,
    steps: [
      ["SUBSCRIBE", "ps:r3"],
      ["GET", "ps:r3:missing"],
      ["PING"],
      ["PUBSUB", "NUMSUB", "ps:r3", "ps:none"],
      ["PUBSUB", "CHANNELS", "ps:r3*"],
      ["PSUBSCRIBE", "ps:r3*"],
      ["PUBSUB", "NUMPAT"],
      ["PUBLISH", "ps:elsewhere", "m"],
      ["UNSUBSCRIBE", "ps:r3"],
      ["PUNSUBSCRIBE", "ps:r3*"],
      ["UNSUBSCRIBE"],
      ["SUNSUBSCRIBE"],
    ],
  },

  // ------------------------------------------------------------ MULTI
  {
    name: "SUBSCRIBE inside MULTI: the confirmation is part of EXEC's reply",
    steps: [
      ["MULTI"],
      ["SUBSCRIBE", "ps:multi"],
      ["PSUBSCRIBE", "ps:multi*"],
      ["EXEC"],
      ["PING"],
      ["UNSUBSCRIBE", "ps:multi"],
      ["PUNSUBSCRIBE", "ps:multi*"],
    ],
  },
  {
    name: "SSUBSCRIBE and MONITOR are refused inside MULTI",
    steps: [["MULTI"], ["SSUBSCRIBE", "ps:s"], ["MONITOR"], ["PUBLISH", "ps:nobody", "m"], ["EXEC"]],
  },

  // ------------------------------------------------------------ PUBLISH
  {
    name: "PUBLISH and SPUBLISH with no subscriber",
    steps: [
      ["PUBLISH", "ps:nobody", "message"],
      ["SPUBLISH", "ps:nobody", "message"],
      ["PUBLISH", Buffer.from("ps:\0bin", "latin1"), Buffer.from("\0\r\n", "latin1")],
      ["PUBLISH", "", ""],
    ],
  },
  {
    name: "PUBLISH, SPUBLISH and the subscribe family with wrong arity",
    steps: [
      ["PUBLISH"],
      ["PUBLISH", "ch"],
      ["PUBLISH", "ch", "a", "b"],
      ["SPUBLISH", "ch"],
      ["SUBSCRIBE"],
      ["PSUBSCRIBE"],
      ["SSUBSCRIBE"],
    ],
  },

  // ------------------------------------------------------------ PUBSUB
  {
    name: "PUBSUB introspection with nothing subscribed",
    steps: [
      ["PUBSUB", "CHANNELS"],
      ["PUBSUB", "CHANNELS", "*"],
      ["PUBSUB", "NUMSUB"],
      ["PUBSUB", "NUMSUB", "a", "b", "a"],
      ["PUBSUB", "NUMPAT"],
      ["PUBSUB", "SHARDCHANNELS"],
      ["PUBSUB", "SHARDCHANNELS", "x*"],
      ["PUBSUB", "SHARDNUMSUB"],
      ["PUBSUB", "SHARDNUMSUB", "x"],
      ["pubsub", "numsub", "lower"],
    ],
  },
  {
    name: "PUBSUB errors and HELP",
    steps: [
      ["PUBSUB"],
      ["PUBSUB", "FOO"],
      ["PUBSUB", "foo", "bar"],
      ["PUBSUB", "CHANNELS", "a", "b"],
      ["pubsub", "Shardchannels", "a", "b"],
      ["PUBSUB", "NUMPAT", "x"],
      helpLines("PUBSUB", "HELP"),
      helpLines("PUBSUB", "help"),
      ["PUBSUB", "HELP", "x"],
    ],
  },

  // ------------------------------------------------------------ notify-keyspace-events
  {
    name: "notify-keyspace-events is rendered in Redis' normal form",
    steps: [
      ["CONFIG", "SET", "notify-keyspace-events", "KEA"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", "g$lshzxetd"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", "An"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", "Elg"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", "mEK"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", ""],
      ["CONFIG", "GET", "notify-keyspace-events"],
    ],
  },
  {
    name: "notify-keyspace-events refuses unknown flag letters and keeps its value",
    steps: [
      ["CONFIG", "SET", "notify-keyspace-events", "Kx"],
      ["CONFIG", "SET", "notify-keyspace-events", "KEAq"],
      ["CONFIG", "SET", "notify-keyspace-events", "kea"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", ""],
    ],
  },
];
