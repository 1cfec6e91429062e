/*
 * Blocking list commands through the clients applications use: ioredis and
 * node-redis (`redis`), against Spinel. Several clients block, others push; the
 * results are what Redis documents (and what blocking.differential.test.ts
 * checks byte for byte against redis-server).
 */

import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSpinel, type TestServer } from "../support/servers.js";

let server: TestServer;
const opened: Redis[] = [];

/** A fresh ioredis connection, closed after each test. */
async function ioredis(): Promise<Redis> {
  const client = new Redis({
    port: server.port,
    host: "127.0.0.1",
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
  });
  await client.connect();
  opened.push(client);
  return client;
}

/** INFO blocked_clients, polled until it reaches `count`. */
async function waitBlocked(control: Redis, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const info = await control.info("clients");
    const blocked = Number(/blocked_clients:(\d+)/.exec(info)?.[1]);
    if (blocked === count) return;
    if (Date.now() > deadline) throw new Error(`expected ${count} blocked clients, got ${blocked}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  server = await startSpinel();
});

afterEach(() => {
  for (const client of opened.splice(0)) client.disconnect();
});

afterAll(async () => {
  await server?.stop();
});

describe("blocking commands with ioredis", () => {
  it("three ioredis clients are served in the order they blocked", async () => {
    const control = await ioredis();
    const [first, second, third] = [await ioredis(), await ioredis(), await ioredis()];
    const firstReply = first.blpop("io:fair", 0);
    await waitBlocked(control, 1);
    const secondReply = second.blpop("io:fair", 0);
    await waitBlocked(control, 2);
    const thirdReply = third.brpop("io:fair", 0);
    await waitBlocked(control, 3);
    expect(await control.rpush("io:fair", "1", "2", "3")).toBe(3);
    expect(await firstReply).toEqual(["io:fair", "1"]);
    expect(await secondReply).toEqual(["io:fair", "2"]);
    expect(await thirdReply).toEqual(["io:fair", "3"]);
    expect(await control.exists("io:fair")).toBe(0);
  });

  it("a decimal timeout resolves with null, not before it passed", async () => {
    const client = await ioredis();
    const started = Date.now();
    expect(await client.blpop("io:none", 0.15)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await client.ping()).toBe("PONG");
  });

  it("BLMOVE through ioredis", async () => {
    const control = await ioredis();
    const mover = await ioredis();
    const moved = mover.blmove("io:src", "io:dst", "LEFT", "RIGHT", 0);
    await waitBlocked(control, 1);
    await control.rpush("io:dst", "old");
    await control.rpush("io:src", "new", "later");
    expect(await moved).toBe("new");
    expect(await control.lrange("io:dst", 0, -1)).toEqual(["old", "new"]);
    expect(await control.lrange("io:src", 0, -1)).toEqual(["later"]);
  });

  it("BLMPOP through ioredis", async () => {
    const control = await ioredis();
    const popper = await ioredis();
    const popped = popper.blmpop(0, 2, "io:m1", "io:m2", "RIGHT", "COUNT", 2);
    await waitBlocked(control, 1);
    await control.rpush("io:m1", "a", "b", "c");
    expect(await popped).toEqual(["io:m1", ["c", "b"]]);
    expect(await control.lrange("io:m1", 0, -1)).toEqual(["a"]);
  });

  it("a disconnected waiter does not swallow the next push", async () => {
    const control = await ioredis();
    const leaving = await ioredis();
    leaving.blpop("io:left", 0).catch(() => {});
    await waitBlocked(control, 1);
    leaving.disconnect();
    await waitBlocked(control, 0);
    expect(await control.lpush("io:left", "stays")).toBe(1);
    expect(await control.lrange("io:left", 0, -1)).toEqual(["stays"]);
  });

  it("a push inside MULTI/EXEC reaches the waiter after EXEC", async () => {
    const control = await ioredis();
    const waiter = await ioredis();
    const served = waiter.blpop("io:tx", 0);
    await waitBlocked(control, 1);
    const results = await control.multi().rpush("io:tx", "a").llen("io:tx").exec();
    expect(results).toEqual([
      [null, 1],
      [null, 1],
    ]);
    expect(await served).toEqual(["io:tx", "a"]);
    expect(await control.exists("io:tx")).toBe(0);
  });
});

describe("blocking commands with node-redis", () => {
  it("isolated blocking connections are woken in order", async () => {
    const client = createClient({ socket: { port: server.port, host: "127.0.0.1" } });
    await client.connect();
    try {
      const control = await ioredis();
      const first = client.duplicate();
      const second = client.duplicate();
      await Promise.all([first.connect(), second.connect()]);
      const firstReply = first.blPop("nr:q", 0);
      await waitBlocked(control, 1);
      const secondReply = second.brPop("nr:q", 0);
      await waitBlocked(control, 2);
      await client.rPush("nr:q", ["x", "y"]);
      expect(await firstReply).toEqual({ key: "nr:q", element: "x" });
      expect(await secondReply).toEqual({ key: "nr:q", element: "y" });
      expect(await client.blPop("nr:empty", 0.05)).toBeNull();
      first.destroy();
      second.destroy();
    } finally {
      client.destroy();
    }
  });
});
