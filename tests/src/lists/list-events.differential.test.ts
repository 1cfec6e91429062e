/*
 * Keyspace notifications of the list commands, compared with a real
 * redis-server 7: a subscriber listens to every keyspace and keyevent channel
 * (notify-keyspace-events KEA) while another connection runs list commands,
 * including blocked clients being served; the messages received, in order,
 * must be the same on both servers (lpush, rpush, lpop, rpop, lset, lrem,
 * ltrim, linsert, "new" on creation, "del" when a list is emptied).
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEventsUntilMarker } from "../support/keyspace-events.js";
import { RawClient } from "../support/raw-client.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

let redisServer: TestServer;
let spinelServer: TestServer;

beforeAll(async () => {
  [redisServer, spinelServer] = await Promise.all([startRedis(), startSpinel()]);
});

afterAll(async () => {
  await Promise.all([redisServer?.stop(), spinelServer?.stop()]);
});

/** One command (or a pause to let a blocked client be served). */
type EventStep = readonly string[] | { readonly block: readonly string[] };

/**
 * Run `steps` on `port` with a subscriber on every key channel and return the
 * messages it received, readable, in order. `{ block }` steps are sent on a
 * second connection that blocks; its reply is read after the next command.
 */
async function eventsOf(port: number, steps: readonly EventStep[]): Promise<string[]> {
  const [subscriber, writer, blocker] = await Promise.all([
    RawClient.connect(port),
    RawClient.connect(port),
    RawClient.connect(port),
  ]);
  try {
    await writer.call("FLUSHALL");
    await writer.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
    await subscriber.call("PSUBSCRIBE", "__key*__:*");
    let blocked = false;
    for (const step of steps) {
      if ("block" in step) {
        blocker.write(encode(step.block));
        await waitBlocked(writer, 1);
        blocked = true;
        continue;
      }
      await writer.call(...step);
      if (blocked) {
        await blocker.read();
        blocked = false;
      }
    }
    return await readEventsUntilMarker(writer, subscriber);
  } finally {
    subscriber.close();
    writer.close();
    blocker.close();
  }
}

function encode(argv: readonly string[]): Buffer {
  return Buffer.from(
    `*${argv.length}\r\n${argv.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`,
  );
}

async function waitBlocked(control: RawClient, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const info = (await control.call("INFO", "clients")).toString("latin1");
    if (Number(/blocked_clients:(\d+)/.exec(info)?.[1]) === count) return;
    if (Date.now() > deadline) throw new Error(`expected ${count} blocked clients`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function compareEvents(steps: readonly EventStep[]): Promise<string[]> {
  const [fromRedis, fromSpinel] = await Promise.all([
    eventsOf(redisServer.port, steps),
    eventsOf(spinelServer.port, steps),
  ]);
  expect(fromSpinel).toEqual(fromRedis);
  return fromSpinel;
}

describe("list keyspace notifications, compared with redis-server", () => {
  it("push, pop, and the del of an emptied list", async () => {
    const events = await compareEvents([
      ["RPUSH", "ev:l", "a", "b"],
      ["LPUSH", "ev:l", "z"],
      ["LPUSHX", "ev:l", "y"],
      ["RPUSHX", "ev:missing", "x"],
      ["LPOP", "ev:l"],
      ["RPOP", "ev:l", "2"],
      ["LPOP", "ev:l", "5"],
      ["LPOP", "ev:l"],
    ]);
    expect(events.some((message) => message.includes(":del"))).toBe(true);
  });

  it("LSET, LREM, LTRIM, LINSERT", async () => {
    await compareEvents([
      ["RPUSH", "ev:e", "a", "x", "b", "x", "c"],
      ["LSET", "ev:e", "0", "A"],
      ["LSET", "ev:e", "99", "A"],
      ["LREM", "ev:e", "0", "x"],
      ["LREM", "ev:e", "0", "nothing"],
      ["LINSERT", "ev:e", "BEFORE", "b", "B"],
      ["LINSERT", "ev:e", "BEFORE", "nothing", "B"],
      ["LTRIM", "ev:e", "0", "-1"],
      ["LTRIM", "ev:e", "1", "2"],
      ["LTRIM", "ev:e", "5", "1"],
      ["LTRIM", "ev:missing", "0", "1"],
    ]);
  });

  it("LMOVE, RPOPLPUSH and LMPOP", async () => {
    await compareEvents([
      ["RPUSH", "ev:s", "a", "b", "c"],
      ["LMOVE", "ev:s", "ev:d", "LEFT", "RIGHT"],
      ["LMOVE", "ev:s", "ev:s", "LEFT", "RIGHT"],
      ["RPOPLPUSH", "ev:s", "ev:d"],
      ["RPOPLPUSH", "ev:s", "ev:d"],
      ["LMPOP", "2", "ev:s", "ev:d", "LEFT", "COUNT", "5"],
    ]);
  });

  it("blocked clients being served", async () => {
    const events = await compareEvents([
      { block: ["BLPOP", "ev:b", "0"] },
      ["RPUSH", "ev:b", "one"],
      { block: ["BLMOVE", "ev:bs", "ev:bd", "RIGHT", "LEFT", "0"] },
      ["RPUSH", "ev:bs", "1", "2"],
      { block: ["BLMPOP", "0", "1", "ev:bm", "LEFT", "COUNT", "3"] },
      ["RPUSH", "ev:bm", "x", "y"],
      ["BLPOP", "ev:bs", "0"],
    ]);
    const served = events.filter((message) => /:(lpop|rpop|del)\\r\\n/.test(message));
    expect(served.length).toBeGreaterThanOrEqual(4);
    expect(events.join("\n")).toContain("ev:bd");
  });
});
