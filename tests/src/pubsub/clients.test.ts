/*
 * Pub/sub with real clients over TCP: ioredis in subscriber mode (RESP2), the
 * node-redis v5 RESP3 subscriber, redis-cli, and a raw RESP client for what the
 * libraries hide (exact errors, frame layout, RESET, idle timeout).
 */

import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { startSpinel, type TestServer } from "../support/servers.js";

let server: TestServer;
const opened: Array<{ disconnect(): void }> = [];

beforeAll(async () => {
  server = await startSpinel();
});

afterAll(async () => {
  for (const client of opened) client.disconnect();
  await server?.stop();
});

function ioredis(): Redis {
  const client = new Redis({
    port: server.port,
    host: "127.0.0.1",
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
  });
  opened.push(client);
  return client;
}

async function raw(): Promise<RawClient> {
  const client = await RawClient.connect(server.port);
  opened.push({ disconnect: () => client.close() });
  return client;
}

/** Resolve with the first `count` events a listener registration receives. */
function collect<T extends unknown[]>(
  register: (listener: (...args: T) => void) => void,
  count: number,
  timeoutMs = 5000,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const events: T[] = [];
    const timer = setTimeout(
      () => reject(new Error(`got ${events.length} of ${count} events: ${JSON.stringify(events)}`)),
      timeoutMs,
    );
    register((...args: T) => {
      events.push(args);
      if (events.length === count) {
        clearTimeout(timer);
        resolve(events);
      }
    });
  });
}

describe("ioredis subscriber (RESP2)", () => {
  it("receives channel and pattern messages; PUBLISH counts every receiving subscription", async () => {
    const subscriber = ioredis();
    const publisher = ioredis();
    expect(await subscriber.subscribe("io:news", "io:sport")).toBe(2);
    expect(await subscriber.psubscribe("io:*")).toBe(3);
    const messages = collect<[string, string]>((l) => subscriber.on("message", l), 2);
    const pmessages = collect<[string, string, string]>((l) => subscriber.on("pmessage", l), 3);
    expect(await publisher.publish("io:news", "headline")).toBe(2);
    expect(await publisher.publish("io:sport", "score")).toBe(2);
    expect(await publisher.publish("io:other", "x")).toBe(1);
    expect(await messages).toEqual([
      ["io:news", "headline"],
      ["io:sport", "score"],
    ]);
    expect(await pmessages).toEqual([
      ["io:*", "io:news", "headline"],
      ["io:*", "io:sport", "score"],
      ["io:*", "io:other", "x"],
    ]);
    expect(await publisher.pubsub("NUMSUB", "io:news", "io:none")).toEqual(["io:news", 1, "io:none", 0]);
    expect(await publisher.pubsub("NUMPAT")).toBeGreaterThanOrEqual(1);
  });

  it("delivers binary payloads unchanged", async () => {
    const subscriber = ioredis();
    const publisher = ioredis();
    await subscriber.subscribe("bin:chan");
    const received = collect<[Buffer, Buffer]>((l) => subscriber.on("messageBuffer", l), 1);
    const payload = Buffer.from([0, 1, 2, 13, 10, 255, 254, 0]);
    expect(await publisher.publish("bin:chan", payload)).toBe(1);
    const [channel, message] = (await received)[0]!;
    expect(channel.toString()).toBe("bin:chan");
    expect(Buffer.compare(message, payload)).toBe(0);
  });

  it("leaves subscribed mode after unsubscribing from everything", async () => {
    const subscriber = ioredis();
    expect(await subscriber.subscribe("mode:a", "mode:b")).toBe(2);
    expect(await subscriber.psubscribe("mode:p*")).toBe(3);
    expect(await subscriber.unsubscribe("mode:a", "mode:b")).toBe(1);
    expect(await subscriber.punsubscribe("mode:p*")).toBe(0);
    expect(await subscriber.set("mode:after", "1")).toBe("OK");
    expect(await subscriber.get("mode:after")).toBe("1");
  });

  it("receives shard channel messages (SSUBSCRIBE / SPUBLISH)", async () => {
    const subscriber = ioredis();
    const publisher = ioredis();
    expect(await subscriber.ssubscribe("shard:chan")).toBe(1);
    const received = collect<[string, string]>((l) => subscriber.on("smessage", l), 1);
    expect(await publisher.spublish("shard:chan", "sharded")).toBe(1);
    expect(await publisher.publish("shard:chan", "not sharded")).toBe(0);
    expect(await received).toEqual([["shard:chan", "sharded"]]);
    expect(await publisher.pubsub("SHARDNUMSUB", "shard:chan")).toEqual(["shard:chan", 1]);
  });
});

describe("raw RESP2 subscriber", () => {
  it("refuses other commands with Redis' error and answers PING with a pong multibulk", async () => {
    const client = await raw();
    expect((await client.call("SUBSCRIBE", "raw:a")).toString()).toBe(
      "*3\r\n$9\r\nsubscribe\r\n$5\r\nraw:a\r\n:1\r\n",
    );
    expect((await client.call("GET", "x")).toString()).toBe(
      "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
    );
    expect((await client.call("PING")).toString()).toBe("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    expect((await client.call("PING", "hi")).toString()).toBe("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n");
    expect((await client.call("UNSUBSCRIBE")).toString()).toBe(
      "*3\r\n$11\r\nunsubscribe\r\n$5\r\nraw:a\r\n:0\r\n",
    );
    expect((await client.call("PING")).toString()).toBe("+PONG\r\n");
  });

  it("is cleaned up by RESET: no subscription left, normal mode again", async () => {
    const client = await raw();
    const observer = await raw();
    await client.call("SUBSCRIBE", "raw:reset");
    await client.call("PSUBSCRIBE", "raw:reset*");
    expect((await client.call("RESET")).toString()).toBe("+RESET\r\n");
    expect((await observer.call("PUBSUB", "NUMSUB", "raw:reset")).toString()).toBe(
      "*2\r\n$9\r\nraw:reset\r\n:0\r\n",
    );
    expect((await observer.call("PUBLISH", "raw:reset", "x")).toString()).toBe(":0\r\n");
    expect((await client.call("PING")).toString()).toBe("+PONG\r\n");
  });

  it("forgets the subscriptions of a client that disconnects", async () => {
    const client = await raw();
    const observer = await raw();
    await client.call("SUBSCRIBE", "raw:gone");
    expect((await observer.call("PUBLISH", "raw:gone", "x")).toString()).toBe(":1\r\n");
    client.close();
    await client.waitClosed();
    const deadline = Date.now() + 2000;
    let count = "";
    while (Date.now() < deadline) {
      count = (await observer.call("PUBLISH", "raw:gone", "x")).toString();
      if (count === ":0\r\n") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(count).toBe(":0\r\n");
  });
});

describe("node-redis v5 subscriber (RESP3)", () => {
  it("receives push messages and runs other commands on the same connection", async () => {
    const client = createClient({ RESP: 3, socket: { port: server.port, host: "127.0.0.1" } });
    const publisher = createClient({ socket: { port: server.port, host: "127.0.0.1" } });
    client.on("error", () => {});
    publisher.on("error", () => {});
    await client.connect();
    await publisher.connect();
    opened.push({ disconnect: () => void client.destroy() }, { disconnect: () => void publisher.destroy() });
    const received: string[] = [];
    await client.subscribe("nr:chan", (message, channel) => received.push(`message ${channel} ${message}`));
    await client.pSubscribe("nr:p*", (message, channel) => received.push(`pmessage ${channel} ${message}`));
    await client.sSubscribe("nr:shard", (message, channel) =>
      received.push(`smessage ${channel} ${message}`),
    );
    // RESP3: ordinary commands keep working while subscribed.
    await client.set("nr:key", "value");
    expect(await client.get("nr:key")).toBe("value");
    expect(await publisher.publish("nr:chan", "one")).toBe(1);
    expect(await publisher.publish("nr:pattern", "two")).toBe(1);
    expect(await publisher.sPublish("nr:shard", "three")).toBe(1);
    const deadline = Date.now() + 5000;
    while (received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(received).toEqual(["message nr:chan one", "pmessage nr:pattern two", "smessage nr:shard three"]);
    await client.unsubscribe("nr:chan");
    expect(await publisher.publish("nr:chan", "after")).toBe(0);
    expect(await client.get("nr:key")).toBe("value");
  });
});

describe("redis-cli", () => {
  it("subscribes and prints published messages as redis-server's would", async () => {
    const child: ChildProcess = spawn("redis-cli", ["-p", String(server.port), "SUBSCRIBE", "cli:chan"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    try {
      const publisher = await raw();
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        if ((await publisher.call("PUBSUB", "NUMSUB", "cli:chan")).toString().endsWith(":1\r\n")) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await publisher.call("PUBLISH", "cli:chan", "hello from spinel")).toString()).toBe(":1\r\n");
      while (!output.includes("hello from spinel") && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(output).toBe("subscribe\ncli:chan\n1\nmessage\ncli:chan\nhello from spinel\n");
    } finally {
      child.kill("SIGTERM");
    }
  });
});

describe("INFO", () => {
  it("counts channels, patterns and shard channels with subscribers", async () => {
    const own = await startSpinel();
    try {
      const a = await RawClient.connect(own.port);
      const b = await RawClient.connect(own.port);
      const info = await RawClient.connect(own.port);
      const counts = async () => {
        const text = (await info.call("INFO", "stats")).toString();
        return ["pubsub_channels", "pubsub_patterns", "pubsubshard_channels"].map((field) =>
          Number(new RegExp(`${field}:(\\d+)`).exec(text)?.[1]),
        );
      };
      expect(await counts()).toEqual([0, 0, 0]);
      await a.call("SUBSCRIBE", "i:1");
      await a.call("SUBSCRIBE", "i:2");
      await b.call("SUBSCRIBE", "i:2");
      await a.call("PSUBSCRIBE", "i:*");
      await b.call("PSUBSCRIBE", "i:*");
      await b.call("SSUBSCRIBE", "i:s");
      expect(await counts()).toEqual([2, 1, 1]);
      await a.call("UNSUBSCRIBE", "i:2");
      expect(await counts()).toEqual([2, 1, 1]);
      b.close();
      await b.waitClosed();
      const deadline = Date.now() + 2000;
      while (Date.now() < deadline && (await counts())[2] !== 0) await new Promise((r) => setTimeout(r, 20));
      expect(await counts()).toEqual([1, 1, 0]);
      a.close();
      info.close();
    } finally {
      await own.stop();
    }
  });
});

describe("MONITOR", () => {
  it("names clients of the unix socket as Redis does", async () => {
    const path = join(tmpdir(), `spinel-monitor-${process.pid}.sock`);
    const own = await startSpinel({ unixsocket: path });
    try {
      const monitor = await RawClient.connect(own.port);
      expect((await monitor.call("MONITOR")).toString()).toBe("+OK\r\n");
      const local = net.connect(path);
      await new Promise<void>((resolve) => local.once("connect", () => resolve()));
      local.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
      const line = (await monitor.read()).toString();
      expect(line).toMatch(
        new RegExp(`^\\+\\d+\\.\\d{6} \\[0 unix:${path.replace(/[.]/g, "\\.")}\\] "SET" "k" "v"\r\n$`),
      );
      local.destroy();
      monitor.close();
    } finally {
      await own.stop();
    }
  });
});

describe("idle timeout", () => {
  it("closes idle normal clients but keeps subscribers connected", async () => {
    const timed = await startSpinel({ timeout: 1 });
    try {
      const subscriber = await RawClient.connect(timed.port);
      const idle = await RawClient.connect(timed.port);
      await subscriber.call("SUBSCRIBE", "idle:chan");
      await idle.call("PING");
      await idle.waitClosed(5000);
      const publisher = await RawClient.connect(timed.port);
      expect((await publisher.call("PUBLISH", "idle:chan", "still here")).toString()).toBe(":1\r\n");
      expect((await subscriber.read()).toString()).toBe(
        "*3\r\n$7\r\nmessage\r\n$9\r\nidle:chan\r\n$10\r\nstill here\r\n",
      );
      subscriber.close();
      publisher.close();
    } finally {
      await timed.stop();
    }
  });
});
