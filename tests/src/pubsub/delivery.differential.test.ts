/*
 * Differential scenarios for what the request/reply corpus cannot express:
 * replies made of several frames (SUBSCRIBE a b c, UNSUBSCRIBE without
 * arguments), message delivery to other connections in both protocols, PUBLISH
 * counts with overlapping subscriptions, PUBSUB introspection with several
 * subscribers, and MONITOR output. Every connection's stream is compared with
 * a real redis-server 7's.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";
import { compareOutputs, runScenario, type StreamScenario } from "./stream-scenario.js";

const scenarios: readonly StreamScenario[] = [
  {
    name: "SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE with several names confirm each one",
    clients: ["a"],
    steps: [
      { on: "a", cmd: ["SUBSCRIBE", "d1:x", "d1:y", "d1:x", "d1:z"] },
      { on: "a", cmd: ["PSUBSCRIBE", "d1:*", "d1:?"] },
      { on: "a", cmd: ["SSUBSCRIBE", "d1:s1", "d1:s2"] },
      { on: "a", cmd: ["UNSUBSCRIBE", "d1:x", "d1:nope", "d1:y"] },
      { on: "a", cmd: ["PUNSUBSCRIBE", "d1:*", "d1:?"] },
      { on: "a", cmd: ["SUNSUBSCRIBE", "d1:s2", "d1:s1"] },
      { on: "a", cmd: ["UNSUBSCRIBE", "d1:z"] },
    ],
  },
  {
    name: "unsubscribing from everything of a kind",
    clients: ["a"],
    steps: [
      { on: "a", cmd: ["SUBSCRIBE", "d2:a", "d2:b", "d2:c"] },
      { on: "a", cmd: ["PSUBSCRIBE", "d2:p1*", "d2:p2*"] },
      { on: "a", cmd: ["SSUBSCRIBE", "d2:s1", "d2:s2"] },
      { on: "a", cmd: ["UNSUBSCRIBE"], compare: { a: "unsubscribe-all" } },
      { on: "a", cmd: ["PING"] },
      { on: "a", cmd: ["PUNSUBSCRIBE"], compare: { a: "unsubscribe-all" } },
      { on: "a", cmd: ["SUNSUBSCRIBE"], compare: { a: "unsubscribe-all" } },
      { on: "a", cmd: ["PING"] },
      { on: "a", cmd: ["UNSUBSCRIBE"] },
    ],
  },
  {
    name: "RESP3 unsubscribe-all and mixed commands",
    clients: ["a"],
    resp3: ["a"],
    steps: [
      { on: "a", cmd: ["SUBSCRIBE", "d3:a", "d3:b"] },
      { on: "a", cmd: ["ECHO", "between"] },
      { on: "a", cmd: ["UNSUBSCRIBE"], compare: { a: "unsubscribe-all" } },
      { on: "a", cmd: ["PUNSUBSCRIBE"] },
    ],
  },
  {
    name: "a message reaches channel and pattern subscribers; PUBLISH counts each subscription",
    clients: ["a", "b", "c", "p"],
    steps: [
      { on: "a", cmd: ["SUBSCRIBE", "d4:news"] },
      { on: "a", cmd: ["PSUBSCRIBE", "d4:n*"] },
      { on: "b", cmd: ["PSUBSCRIBE", "d4:n*"] },
      { on: "c", cmd: ["SUBSCRIBE", "d4:news", "d4:other"] },
      { on: "p", cmd: ["PUBLISH", "d4:news", "hello"] },
      { on: "p", cmd: ["PUBLISH", "d4:nothing", "x"] },
      { on: "p", cmd: ["PUBLISH", "d4:other", "y"] },
      { on: "p", cmd: ["PUBLISH", "d4:zzz", "z"] },
      { on: "p", cmd: ["PUBSUB", "NUMSUB", "d4:news", "d4:other", "d4:n*"] },
      { on: "p", cmd: ["PUBSUB", "NUMPAT"] },
      { on: "p", cmd: ["PUBSUB", "CHANNELS", "d4:*"], compare: { p: "unordered-elements" } },
      { on: "a", cmd: ["UNSUBSCRIBE", "d4:news"] },
      { on: "p", cmd: ["PUBLISH", "d4:news", "again"] },
      { on: "a", cmd: ["PUNSUBSCRIBE", "d4:n*"] },
      { on: "b", cmd: ["PUNSUBSCRIBE", "d4:n*"] },
      { on: "c", cmd: ["UNSUBSCRIBE", "d4:news", "d4:other"] },
      { on: "p", cmd: ["PUBSUB", "NUMPAT"] },
    ],
  },
  {
    name: "one subscriber, several matching patterns",
    clients: ["a", "p"],
    steps: [
      { on: "a", cmd: ["PSUBSCRIBE", "d5:*", "d5:?x", "*x", "d5:[a-c]x", "nomatch"] },
      { on: "p", cmd: ["PUBLISH", "d5:bx", "m"], compare: { a: "unordered" } },
      { on: "p", cmd: ["PUBLISH", "d5:zx", "m"], compare: { a: "unordered" } },
      { on: "a", cmd: ["PUNSUBSCRIBE", "d5:*", "d5:?x", "*x", "d5:[a-c]x", "nomatch"] },
    ],
  },
  {
    name: "RESP3 subscribers get push frames between their replies",
    clients: ["a", "p"],
    resp3: ["a"],
    steps: [
      { on: "a", cmd: ["SUBSCRIBE", "d6:chan"] },
      { on: "a", cmd: ["PSUBSCRIBE", "d6:*"] },
      { on: "p", cmd: ["PUBLISH", "d6:chan", "one"] },
      { on: "a", cmd: ["GET", "d6:missing"] },
      { on: "p", cmd: ["PUBLISH", "d6:other", "two"] },
      { on: "a", cmd: ["UNSUBSCRIBE", "d6:chan"] },
      { on: "a", cmd: ["PUNSUBSCRIBE", "d6:*"] },
      { on: "p", cmd: ["PUBLISH", "d6:chan", "three"] },
    ],
  },
  {
    name: "binary channels and payloads",
    clients: ["a", "p"],
    steps: [
      { on: "a", cmd: ["SUBSCRIBE", Buffer.from("d7:\0\xff\r\n", "latin1")] },
      { on: "a", cmd: ["PSUBSCRIBE", Buffer.from("d7:\0*", "latin1")] },
      {
        on: "p",
        cmd: ["PUBLISH", Buffer.from("d7:\0\xff\r\n", "latin1"), Buffer.from("\0\r\n\x01\xfe", "latin1")],
      },
      { on: "p", cmd: ["PUBLISH", "d7:empty", ""] },
      { on: "a", cmd: ["UNSUBSCRIBE", Buffer.from("d7:\0\xff\r\n", "latin1")] },
      { on: "a", cmd: ["PUNSUBSCRIBE", Buffer.from("d7:\0*", "latin1")] },
    ],
  },
  {
    name: "shard channels: SPUBLISH reaches shard subscribers only",
    clients: ["a", "b", "p"],
    resp3: ["b"],
    steps: [
      { on: "a", cmd: ["SSUBSCRIBE", "d8:s"] },
      { on: "b", cmd: ["SSUBSCRIBE", "d8:s"] },
      { on: "b", cmd: ["PSUBSCRIBE", "*"] },
      { on: "p", cmd: ["SPUBLISH", "d8:s", "sharded"] },
      { on: "p", cmd: ["PUBLISH", "d8:s", "classic"] },
      { on: "p", cmd: ["PUBSUB", "SHARDNUMSUB", "d8:s", "d8:none"] },
      { on: "p", cmd: ["PUBSUB", "SHARDCHANNELS", "d8:*"] },
      { on: "p", cmd: ["PUBSUB", "NUMSUB", "d8:s"] },
      { on: "a", cmd: ["SUNSUBSCRIBE"] },
      { on: "b", cmd: ["SUNSUBSCRIBE", "d8:s"] },
      { on: "b", cmd: ["PUNSUBSCRIBE"] },
      { on: "p", cmd: ["SPUBLISH", "d8:s", "gone"] },
    ],
  },
  {
    name: "MONITOR shows executed commands as Redis formats them",
    clients: ["m", "a"],
    steps: [
      { on: "m", cmd: ["MONITOR"] },
      { on: "a", cmd: ["SET", "d9:k", 'with "quotes" \\ and\r\nnewline\x01\xff'], compare: { m: "monitor" } },
      { on: "a", cmd: ["SELECT", "3"], compare: { m: "monitor" } },
      { on: "a", cmd: ["GET", "d9:k"], compare: { m: "monitor" } },
      {
        on: "a",
        cmds: [["MULTI"], ["SET", "d9:x", "1"], ["INCR", "d9:x"], ["SELECT", "0"], ["EXEC"]],
        compare: { m: "monitor" },
      },
      { on: "a", cmd: ["CONFIG", "GET", "maxmemory"], compare: { m: "monitor" } },
      { on: "a", cmd: ["AUTH", "secret"], compare: { m: "monitor" } },
      { on: "a", cmd: ["AUTH", "default", "secret"], compare: { m: "monitor" } },
      // The reply carries the client id, which differs between the servers.
      { on: "a", cmd: ["HELLO", "2", "AUTH", "default", "secret"], compare: { m: "monitor", a: "ignore" } },
      { on: "a", cmd: ["NOSUCHCOMMAND", "x"], compare: { m: "monitor" } },
      { on: "a", cmd: ["GET"], compare: { m: "monitor" } },
      { on: "a", cmd: ["SUBSCRIBE", "d9:chan"], compare: { m: "monitor" } },
      { on: "a", cmd: ["GET", "refused"], compare: { m: "monitor" } },
      { on: "a", cmd: ["UNSUBSCRIBE"], compare: { m: "monitor" } },
      { on: "m", cmd: ["ECHO", "monitors see their own commands"], compare: { m: "monitor" } },
      { on: "m", cmd: ["MONITOR"], compare: { m: "monitor" } },
      { on: "a", cmd: ["DEL", "d9:k", "d9:x"], compare: { m: "monitor" } },
    ],
  },
  {
    name: "MONITOR shows a blocking command once, when it is called",
    clients: ["m", "a", "b"],
    steps: [
      { on: "m", cmd: ["MONITOR"] },
      { on: "b", cmd: ["BLPOP", "d10:list", "5"], blocks: true, compare: { m: "monitor" } },
      { on: "a", cmd: ["RPUSH", "d10:list", "x"], unblocks: "b", compare: { m: "monitor" } },
      { on: "b", cmd: ["BLPOP", "d10:list", "0.05"], compare: { m: "monitor" } },
    ],
  },
];

let redis: TestServer;
let spinel: TestServer;

beforeAll(async () => {
  [redis, spinel] = await Promise.all([startRedis(), startSpinel()]);
});

afterAll(async () => {
  await Promise.all([redis?.stop(), spinel?.stop()]);
});

describe("pub/sub streams against redis-server", () => {
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const [fromRedis, fromSpinel] = await Promise.all([
        runScenario(redis.port, scenario),
        runScenario(spinel.port, scenario),
      ]);
      expect(compareOutputs(scenario, fromRedis, fromSpinel)).toEqual([]);
    });
  }
});
