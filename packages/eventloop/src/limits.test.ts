/*
 * The event loop's limits, with Redis' defaults and errors: maxclients, the idle
 * timeout, client-query-buffer-limit, output backpressure and the
 * client-output-buffer-limit classes.
 */

import { DEFAULT_PARSER_LIMITS } from "@spinel/resp";
import { afterEach, describe, expect, it } from "vitest";
import {
  encode,
  eventually,
  type LoopHarness,
  SocketClient,
  sleep,
  startLoop,
} from "../test/loop-harness.js";
import { DEFAULT_OUTPUT_BACKPRESSURE_BYTES, DEFAULT_OUTPUT_LIMITS, EventLoop } from "./event-loop.js";

let harness: LoopHarness | null = null;
const clients: SocketClient[] = [];

async function start(options: Parameters<typeof startLoop>[0] = {}): Promise<LoopHarness> {
  harness = await startLoop(options);
  return harness;
}

async function connect(): Promise<SocketClient> {
  const client = await SocketClient.connect(harness!.port);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await harness?.close();
  harness = null;
});

describe("defaults", () => {
  it("are Redis' defaults", () => {
    const loop = new EventLoop({ onConnection: () => ({ onRequest() {}, onClose() {} }) });
    expect(loop.maxClients).toBe(10000);
    expect(loop.timeoutSeconds).toBe(0);
    expect(loop.queryBufferLimit).toBe(1024 * 1024 * 1024);
    // Request limits are the parser's defaults (proto-max-bulk-len 512 MB, inline 64 KB).
    expect(loop.parserLimits).toEqual(DEFAULT_PARSER_LIMITS);
    expect(loop.parserLimits.maxBulkLength).toBe(512 * 1024 * 1024);
    expect(loop.parserLimits.maxInlineLength).toBe(64 * 1024);
    expect(loop.outputLimits).toEqual({
      normal: { hardBytes: 0, softBytes: 0, softSeconds: 0 },
      replica: { hardBytes: 256 * 1024 * 1024, softBytes: 64 * 1024 * 1024, softSeconds: 60 },
      pubsub: { hardBytes: 32 * 1024 * 1024, softBytes: 8 * 1024 * 1024, softSeconds: 60 },
    });
    expect(loop.outputLimits).toEqual(DEFAULT_OUTPUT_LIMITS);
    expect(loop.outputBackpressureBytes).toBe(DEFAULT_OUTPUT_BACKPRESSURE_BYTES);
  });

  it("merge a partial output limit over the default of its class", () => {
    const loop = new EventLoop({
      outputLimits: { pubsub: { hardBytes: 1024, softBytes: 0, softSeconds: 0 } },
      onConnection: () => ({ onRequest() {}, onClose() {} }),
    });
    expect(loop.outputLimits.pubsub).toEqual({ hardBytes: 1024, softBytes: 0, softSeconds: 0 });
    expect(loop.outputLimits.replica).toEqual(DEFAULT_OUTPUT_LIMITS.replica);
  });
});

describe("maxclients", () => {
  it("refuses a connection over the limit with Redis' error, and accepts again below it", async () => {
    const { loop } = await start({ maxClients: 2 });
    const first = await connect();
    const second = await connect();
    await eventually(() => loop.clientCount === 2, "two clients");
    const third = await connect();
    await third.waitClosed();
    expect(third.text).toBe("-ERR max number of clients reached\r\n");
    expect(loop.stats.rejectedConnections).toBe(1);
    expect(loop.stats.totalConnectionsReceived).toBe(2);

    first.close();
    await eventually(() => loop.clientCount === 1, "a free slot");
    const fourth = await connect();
    fourth.write(encode("PING"));
    await fourth.expectText("+PONG\r\n");
    second.write(encode("PING"));
    await second.expectText("+PONG\r\n");
  });

  it("follows a change of the limit at runtime", async () => {
    const { loop } = await start({ maxClients: 1 });
    await connect();
    await eventually(() => loop.clientCount === 1, "one client");
    loop.maxClients = 2;
    const second = await connect();
    second.write(encode("PING"));
    await second.expectText("+PONG\r\n");
  });
});

describe("idle timeout", () => {
  it("closes idle clients after the timeout, and spares active and exempt ones", async () => {
    const { loop } = await start({ timeoutSeconds: 1, hz: 20 });
    const idle = await connect();
    const active = await connect();
    const exempt = await connect();
    exempt.write(encode("EXEMPT"));
    await exempt.expectText("+OK\r\n");
    const started = Date.now();
    const keepAlive = setInterval(() => active.write(encode("PING")), 200);
    try {
      await idle.waitClosed(4000);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(10_000);
      await sleep(600);
      expect(active.closed).toBe(false);
      expect(exempt.closed).toBe(false);
    } finally {
      clearInterval(keepAlive);
    }
    const closedIdle = harness!.seen.find((s) => s.connection.closeReason === "idle-timeout");
    expect(closedIdle).toBeDefined();
    expect(loop.clientCount).toBe(2);
  });

  it("never closes idle clients with timeout 0 (the default)", async () => {
    await start({ hz: 50 });
    const client = await connect();
    await sleep(1200);
    expect(client.closed).toBe(false);
  });
});

describe("client-query-buffer-limit", () => {
  it("closes a client whose unprocessed input exceeds the limit", async () => {
    const { loop } = await start({ queryBufferLimit: 64 * 1024 });
    const client = await connect();
    const other = await connect();
    // A bulk announced at 1 MB, of which 100 KB arrive: the request cannot complete yet.
    client.write(
      Buffer.concat([Buffer.from("*2\r\n$4\r\nECHO\r\n$1000000\r\n"), Buffer.alloc(100 * 1024, "a")]),
    );
    await client.waitClosed();
    expect(client.text).toBe("");
    expect(harness!.seen[0]!.connection.closeReason).toBe("query-buffer-limit");
    other.write(encode("PING"));
    await other.expectText("+PONG\r\n");
    expect(loop.clientCount).toBe(1);
  });

  it("does not count input that was already processed", async () => {
    await start({ queryBufferLimit: 64 * 1024 });
    const client = await connect();
    const value = "v".repeat(1000);
    const pipeline = Buffer.concat(Array.from({ length: 300 }, () => encode("ECHO", value)));
    expect(pipeline.length).toBeGreaterThan(4 * 64 * 1024);
    client.write(pipeline);
    await client.waitForBytes(300 * (value.length + 9), 10_000);
    expect(client.closed).toBe(false);
  });
});

describe("output backpressure", () => {
  it("stops reading a client that does not read its replies, and resumes when it does", async () => {
    await start({ outputBackpressureBytes: 256 * 1024 });
    const client = await connect();
    client.socket.pause();
    const seen = () => harness!.seen[0]!;
    // Requests arrive in separate chunks, each asking for 1 MB the client does not read.
    let sent = 0;
    while (!seen().connection.isReadingStopped && sent < 64) {
      client.write(encode("BIG", String(1024 * 1024)));
      sent++;
      await sleep(20);
    }
    expect(seen().connection.isReadingStopped).toBe(true);
    for (let i = 0; i < 8; i++) client.write(encode("BIG", String(1024 * 1024)));
    sent += 8;
    await sleep(200);
    const handled = seen().requests.length;
    expect(handled).toBeLessThan(sent);
    await sleep(200);
    // Still stopped: nothing more was read while the replies pile up.
    expect(seen().requests.length).toBe(handled);

    client.socket.resume();
    const replyBytes = sent * (1024 * 1024 + `$${1024 * 1024}\r\n`.length + 2);
    await client.waitForBytes(replyBytes, 30_000);
    expect(seen().requests.length).toBe(sent);
    expect(seen().connection.isReadingStopped).toBe(false);
    expect(client.closed).toBe(false);
  }, 40_000);
});

describe("client-output-buffer-limit", () => {
  it("closes a client of a limited class at once over the hard limit", async () => {
    await start({ outputLimits: { pubsub: { hardBytes: 512 * 1024, softBytes: 0, softSeconds: 0 } } });
    const client = await connect();
    client.write(encode("PUBSUB"));
    await client.expectText("+OK\r\n");
    client.socket.pause();
    client.write(Buffer.concat(Array.from({ length: 32 }, () => encode("BIG", String(1024 * 1024)))));
    await eventually(() => harness!.seen[0]!.closed, "the connection to close", 10_000);
    expect(harness!.seen[0]!.connection.closeReason).toBe("output-buffer-limit");
  });

  it("closes a client over the soft limit only after the soft seconds", async () => {
    await start({
      hz: 20,
      outputLimits: { pubsub: { hardBytes: 0, softBytes: 256 * 1024, softSeconds: 1 } },
    });
    const client = await connect();
    client.write(encode("PUBSUB"));
    await client.expectText("+OK\r\n");
    client.socket.pause();
    // One burst that stays queued (the client does not read): over the soft limit, then time passes.
    client.write(Buffer.concat(Array.from({ length: 8 }, () => encode("BIG", String(1024 * 1024)))));
    const connection = () => harness!.seen[0]!.connection;
    await eventually(() => connection().outputBufferBytes >= 256 * 1024, "output over the soft limit");
    const over = Date.now();
    await eventually(() => harness!.seen[0]!.closed, "the connection to close", 5000);
    expect(Date.now() - over).toBeGreaterThanOrEqual(800);
    expect(connection().closeReason).toBe("output-buffer-limit");
  });

  it("leaves the normal class unlimited by default", async () => {
    await start({ outputBackpressureBytes: 64 * 1024 * 1024 });
    const client = await connect();
    client.socket.pause();
    client.write(Buffer.concat(Array.from({ length: 16 }, () => encode("BIG", String(1024 * 1024)))));
    await eventually(() => harness!.seen[0]!.requests.length === 16, "every request");
    await sleep(200);
    expect(harness!.seen[0]!.closed).toBe(false);
    client.socket.resume();
    await client.waitForBytes(16 * (1024 * 1024 + `$${1024 * 1024}\r\n`.length + 2), 20_000);
  }, 30_000);
});
