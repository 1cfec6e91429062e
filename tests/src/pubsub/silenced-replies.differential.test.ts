/*
 * Pub/sub for a client that silenced its replies (CLIENT REPLY OFF or SKIP), as
 * keyspace-notification consumers commonly do: redis-server treats subscribe and
 * unsubscribe confirmations and messages as pushes, which silencing does not
 * silence, in RESP2 and in RESP3. Each scenario runs on both servers; the
 * subscriber's whole stream must be identical, and each expected frame must
 * arrive (a missing confirmation would time the read out).
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { encodeCommand } from "../support/resp-frames.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

type Step =
  /** Send a command on the subscriber, expecting `frames` frames to arrive. */
  | { sub: string[]; frames: number }
  /** Run a command on a second connection (PUBLISH), then expect `frames` frames on the subscriber. */
  | { other: string[]; frames: number };

interface Scenario {
  name: string;
  resp3?: boolean;
  steps: Step[];
}

const scenarios: Scenario[] = [
  {
    name: "REPLY OFF: confirmations and messages still arrive (RESP2)",
    steps: [
      { sub: ["CLIENT", "REPLY", "OFF"], frames: 0 },
      { sub: ["SUBSCRIBE", "sr:a", "sr:b"], frames: 2 },
      { sub: ["PSUBSCRIBE", "sr:p*"], frames: 1 },
      { other: ["PUBLISH", "sr:a", "m1"], frames: 1 },
      { other: ["PUBLISH", "sr:pq", "m2"], frames: 1 },
      { sub: ["UNSUBSCRIBE", "sr:a"], frames: 1 },
      { sub: ["PUNSUBSCRIBE", "sr:p*"], frames: 1 },
      { other: ["PUBLISH", "sr:b", "m3"], frames: 1 },
      { sub: ["UNSUBSCRIBE", "sr:b"], frames: 1 },
      { sub: ["UNSUBSCRIBE"], frames: 1 },
      { sub: ["PUNSUBSCRIBE"], frames: 1 },
      { sub: ["PING"], frames: 0 },
      { sub: ["CLIENT", "REPLY", "ON"], frames: 1 },
      { sub: ["PING"], frames: 1 },
    ],
  },
  {
    name: "REPLY OFF: confirmations and messages still arrive (RESP3)",
    resp3: true,
    steps: [
      { sub: ["CLIENT", "REPLY", "OFF"], frames: 0 },
      { sub: ["SUBSCRIBE", "sr:a"], frames: 1 },
      { sub: ["PSUBSCRIBE", "sr:p*"], frames: 1 },
      { other: ["PUBLISH", "sr:a", "m1"], frames: 1 },
      { other: ["PUBLISH", "sr:pz", "m2"], frames: 1 },
      { sub: ["GET", "sr:nokey"], frames: 0 },
      { sub: ["UNSUBSCRIBE", "sr:a"], frames: 1 },
      { sub: ["PUNSUBSCRIBE"], frames: 1 },
      { sub: ["CLIENT", "REPLY", "ON"], frames: 1 },
    ],
  },
  {
    name: "HELLO 3 while replies are off: pushes in RESP3",
    steps: [
      { sub: ["CLIENT", "REPLY", "OFF"], frames: 0 },
      { sub: ["HELLO", "3"], frames: 0 },
      { sub: ["SUBSCRIBE", "sr:h"], frames: 1 },
      { other: ["PUBLISH", "sr:h", "m"], frames: 1 },
      { sub: ["UNSUBSCRIBE", "sr:h"], frames: 1 },
      { sub: ["CLIENT", "REPLY", "ON"], frames: 1 },
    ],
  },
  {
    name: "REPLY SKIP: the skipped SUBSCRIBE still confirms, later replies return",
    steps: [
      { sub: ["CLIENT", "REPLY", "SKIP"], frames: 0 },
      { sub: ["SUBSCRIBE", "sr:s"], frames: 1 },
      { other: ["PUBLISH", "sr:s", "m"], frames: 1 },
      { sub: ["PING"], frames: 1 },
      { sub: ["UNSUBSCRIBE", "sr:s"], frames: 1 },
      { sub: ["CLIENT", "REPLY", "SKIP"], frames: 0 },
      { sub: ["PSUBSCRIBE", "sr:t*"], frames: 1 },
      { sub: ["PING"], frames: 1 },
      { sub: ["CLIENT", "REPLY", "SKIP"], frames: 1 },
      { sub: ["PUNSUBSCRIBE", "sr:t*"], frames: 1 },
    ],
  },
];

/** Run a scenario; returns every frame the subscriber received, in order. */
async function run(port: number, scenario: Scenario): Promise<string[]> {
  const sub = await RawClient.connect(port);
  const other = await RawClient.connect(port);
  const received: string[] = [];
  try {
    if (scenario.resp3) await sub.call("HELLO", "3");
    for (const step of scenario.steps) {
      if ("other" in step) {
        await other.call(...step.other);
      } else {
        sub.write(encodeCommand(step.sub));
      }
      for (let i = 0; i < step.frames; i++) received.push((await sub.read(2000)).toString("latin1"));
    }
    // Nothing more may arrive: a last PING after replies are back on is the end marker.
    sub.write(encodeCommand(["CLIENT", "REPLY", "ON"]));
    received.push((await sub.read(2000)).toString("latin1"));
    expect(sub.unsolicited).toEqual([]);
  } finally {
    sub.close();
    other.close();
  }
  return received;
}

let redis: TestServer;
let spinel: TestServer;
beforeAll(async () => {
  [redis, spinel] = await Promise.all([startRedis(), startSpinel()]);
});
afterAll(async () => {
  await Promise.all([redis?.stop(), spinel?.stop()]);
});

describe("pub/sub with replies silenced, against redis-server", () => {
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const expected = await run(redis.port, scenario);
      const actual = await run(spinel.port, scenario);
      expect(actual).toEqual(expected);
      expect(expected.some((frame) => frame.includes("subscribe"))).toBe(true);
    });
  }
});
