/*
 * The event loop over real sockets on loopback: listening, requests to the
 * delegate, per-turn flushing, pipelining, client lifecycle, before-sleep hooks
 * and the cron. Limits have their own file (limits.test.ts).
 */

import { afterEach, describe, expect, it } from "vitest";
import {
  encode,
  eventually,
  ipv6Available,
  type LoopHarness,
  SocketClient,
  sleep,
  startLoop,
  unblock,
} from "../test/loop-harness.js";
import { EventLoop } from "./event-loop.js";

let harness: LoopHarness | null = null;
const clients: SocketClient[] = [];

async function start(options: Parameters<typeof startLoop>[0] = {}): Promise<LoopHarness> {
  harness = await startLoop(options);
  return harness;
}

async function connect(port = harness!.port, host = "127.0.0.1"): Promise<SocketClient> {
  const client = await SocketClient.connect(port, host);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await harness?.close();
  harness = null;
});

describe("rebinding at runtime", () => {
  it("moves to another port within the call; clients stay, the old port stops accepting", async () => {
    const { loop, port } = await start();
    const before = await connect(port);
    const other = await startLoop(); // only holds a port
    const busy = other.port;
    try {
      expect(loop.rebind(["127.0.0.1"], busy)).toBe(false);
      expect(loop.addresses).toEqual([{ host: "127.0.0.1", port }]);
      const still = await connect(port);
      still.write(encode("PING"));
      await still.expectText("+PONG\r\n");
    } finally {
      await other.close();
    }
    expect(loop.rebind(["127.0.0.1"], 0)).toBe(true);
    const moved = loop.addresses[0]!.port;
    expect(moved).not.toBe(port);
    const after = await connect(moved);
    after.write(encode("ECHO", "moved"));
    await after.expectText("$5\r\nmoved\r\n");
    before.write(encode("PING"));
    await before.expectText("+PONG\r\n");
    await expect(SocketClient.connect(port, "127.0.0.1")).rejects.toThrow();
  });

  it("keeps a listener asked for again, skips an optional address it cannot bind, refuses a required one", async () => {
    const { loop, port } = await start();
    expect(loop.rebind(["127.0.0.1", "-192.0.2.1"], port)).toBe(true);
    expect(loop.addresses).toEqual([{ host: "127.0.0.1", port }]);
    expect(loop.rebind(["127.0.0.1", "192.0.2.1"], port)).toBe(false);
    const client = await connect(port);
    client.write(encode("PING"));
    await client.expectText("+PONG\r\n");
  });
});

describe("listening", () => {
  it("listens on 127.0.0.1 with port 0 on a free port and reports it", async () => {
    const { loop, port } = await start();
    expect(port).toBeGreaterThan(0);
    expect(loop.addresses).toEqual([{ host: "127.0.0.1", port }]);
    const client = await connect();
    client.write(encode("PING"));
    await client.expectText("+PONG\r\n");
  });

  it("listens on IPv4 and IPv6 loopback on the same port when IPv6 is available", async (context) => {
    if (!(await ipv6Available())) context.skip();
    const { loop, port } = await start({ bind: ["127.0.0.1", "::1"] });
    expect(loop.addresses).toEqual([
      { host: "127.0.0.1", port },
      { host: "::1", port },
    ]);
    const v4 = await connect(port, "127.0.0.1");
    const v6 = await connect(port, "::1");
    v4.write(encode("ECHO", "four"));
    v6.write(encode("ECHO", "six"));
    await v4.expectText("$4\r\nfour\r\n");
    await v6.expectText("$3\r\nsix\r\n");
    const addresses = harness!.seen.map((s) => s.connection.remoteAddress).sort();
    expect(addresses[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(addresses[1]).toMatch(/^\[::1\]:\d+$/);
  });

  it('maps "*" to every IPv4 address', async () => {
    const { loop, port } = await start({ bind: ["*"] });
    expect(loop.addresses).toEqual([{ host: "0.0.0.0", port }]);
    const client = await connect(port, "127.0.0.1");
    client.write(encode("PING"));
    await client.expectText("+PONG\r\n");
  });

  it("skips an address the host does not have, as Redis does with an optional bind", async () => {
    // 192.0.2.1 (TEST-NET-1) is not assigned to any local interface.
    const { loop, port } = await start({ bind: ["127.0.0.1", "192.0.2.1"] });
    expect(loop.addresses).toEqual([{ host: "127.0.0.1", port }]);
  });

  it("rejects when the port is taken", async () => {
    const { port } = await start();
    const second = new EventLoop({
      bind: ["127.0.0.1"],
      port,
      onConnection: () => ({ onRequest() {}, onClose() {} }),
    });
    await expect(second.listen()).rejects.toMatchObject({ code: "EADDRINUSE" });
    await second.close();
  });
});

describe("requests and replies", () => {
  it("hands multibulk and inline requests to the delegate as argv frames, in order", async () => {
    await start();
    const client = await connect();
    client.write(Buffer.concat([encode("ECHO", "a\r\nb"), Buffer.from('ECHO "x y"\r\nPING\n')]));
    await client.expectText("$4\r\na\r\nb\r\n$3\r\nx y\r\n+PONG\r\n");
    expect(harness!.seen[0]!.requests).toEqual([["ECHO", "a\r\nb"], ["ECHO", "x y"], ["PING"]]);
  });

  it("keeps arguments binary-safe", async () => {
    await start();
    const client = await connect();
    const payload = Buffer.from([0, 1, 2, 13, 10, 255, 128]);
    client.write(
      Buffer.concat([
        Buffer.from(`*2\r\n$4\r\nECHO\r\n$${payload.length}\r\n`),
        payload,
        Buffer.from("\r\n"),
      ]),
    );
    await client.waitForBytes(4 + payload.length + 2);
    expect(client.received.subarray(4, 4 + payload.length)).toEqual(payload);
  });

  it("answers 10,000 pipelined commands in order", async () => {
    await start();
    const client = await connect();
    const requests: Buffer[] = [];
    let expected = "";
    for (let i = 0; i < 10_000; i++) {
      requests.push(encode("ECHO", String(i)));
      expected += `$${String(i).length}\r\n${i}\r\n`;
    }
    client.write(Buffer.concat(requests));
    await client.expectText(expected, 10_000);
    const seen = harness!.seen[0]!;
    expect(seen.requests).toHaveLength(10_000);
    // One flush per loop turn at most: never more writes than chunks received.
    expect(seen.writes).toBeGreaterThanOrEqual(1);
    expect(seen.writes).toBeLessThanOrEqual(seen.chunks);
  });

  it("writes the replies of one chunk of requests with a single socket write", async () => {
    await start();
    const client = await connect();
    const pipeline = Buffer.concat(Array.from({ length: 100 }, () => encode("PING")));
    client.write(pipeline);
    await client.expectText("+PONG\r\n".repeat(100));
    const seen = harness!.seen[0]!;
    expect(seen.chunks).toBe(1);
    expect(seen.writes).toBe(1);
  });

  it("serves a client that sends one byte at a time", async () => {
    await start();
    const client = await connect();
    const bytes = Buffer.concat([encode("ECHO", "slow"), Buffer.from("PING\r\n")]);
    for (const byte of bytes) {
      client.write(Buffer.from([byte]));
      await sleep(1);
    }
    await client.expectText("$4\r\nslow\r\n+PONG\r\n");
    expect(harness!.seen[0]!.chunks).toBeGreaterThan(10);
  });

  it("serves many concurrent clients independently", async () => {
    await start();
    const many = await Promise.all(Array.from({ length: 200 }, () => connect()));
    for (const [i, client] of many.entries()) {
      client.write(Buffer.concat([encode("ECHO", `c${i}`), encode("PING")]));
    }
    await Promise.all(many.map((client, i) => client.expectText(`$${`c${i}`.length}\r\nc${i}\r\n+PONG\r\n`)));
    expect(harness!.loop.clientCount).toBe(200);
    expect(harness!.loop.stats.totalConnectionsReceived).toBe(200);
  });

  it("holds a paused client's requests until it resumes, then answers in order", async () => {
    await start();
    const client = await connect();
    const other = await connect();
    client.write(Buffer.concat([encode("BLOCK"), encode("ECHO", "after"), encode("PING")]));
    const blocked = () => harness!.seen[0]!;
    await eventually(() => blocked().connection.isPaused, "the client to block");
    other.write(encode("PING"));
    await other.expectText("+PONG\r\n");
    await sleep(50);
    expect(client.text).toBe("");
    expect(blocked().requests).toEqual([["BLOCK"]]);
    unblock(blocked().connection);
    await client.expectText("+UNBLOCKED\r\n$5\r\nafter\r\n+PONG\r\n");
    expect(blocked().requests).toEqual([["BLOCK"], ["ECHO", "after"], ["PING"]]);
  });

  it("counts network bytes in and out", async () => {
    const { loop } = await start();
    const client = await connect();
    const request = encode("ECHO", "abc");
    client.write(request);
    await client.expectText("$3\r\nabc\r\n");
    expect(loop.stats.netInputBytes).toBe(request.length);
    expect(loop.stats.netOutputBytes).toBe(9);
    expect(harness!.seen[0]!.connection.bytesOut).toBe(9);
  });
});

describe("client lifecycle", () => {
  it("closes after the reply on request, and tells the delegate once", async () => {
    await start();
    const client = await connect();
    client.write(Buffer.concat([encode("PING"), encode("QUIT"), encode("PING")]));
    await client.waitClosed();
    expect(client.text).toBe("+PONG\r\n+OK\r\n");
    await eventually(() => harness!.seen[0]!.closed, "onClose");
    expect(harness!.seen[0]!.requests).toEqual([["PING"], ["QUIT"]]);
    expect(harness!.seen[0]!.connection.closeReason).toBe("requested");
    expect(harness!.loop.clientCount).toBe(0);
  });

  it("closes at once on kill, dropping pending output", async () => {
    await start();
    const client = await connect();
    client.write(Buffer.concat([encode("PING"), encode("KILL")]));
    await client.waitClosed();
    expect(client.text).toBe("");
  });

  it("notices a client that goes away", async () => {
    await start();
    const client = await connect();
    client.write(encode("PING"));
    await client.expectText("+PONG\r\n");
    client.close();
    await eventually(() => harness!.seen[0]!.closed, "onClose");
    expect(harness!.seen[0]!.connection.closeReason).toBe("peer");
    expect(harness!.loop.clientCount).toBe(0);
  });

  it("replies with Redis' protocol error, closes that client only, after earlier replies", async () => {
    await start();
    const bad = await connect();
    const good = await connect();
    bad.write(Buffer.from("*1\r\n$4\r\nPING\r\n*1\r\n$x\r\nPING\r\n"));
    await bad.waitClosed();
    expect(bad.text).toBe("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    expect(harness!.seen[0]!.connection.closeReason).toBe("protocol-error");
    good.write(encode("PING"));
    await good.expectText("+PONG\r\n");
  });

  it("survives a bug in the command layer: internal error to that client, others unaffected", async () => {
    await start();
    const client = await connect();
    const other = await connect();
    client.write(Buffer.concat([encode("PING"), encode("THROW"), encode("PING")]));
    await client.waitClosed();
    expect(client.text).toBe("+PONG\r\n-ERR internal error\r\n");
    other.write(encode("PING"));
    await other.expectText("+PONG\r\n");
  });

  it("closes only the client whose output cannot be written (a bug upstream)", async () => {
    await start();
    const client = await connect();
    const other = await connect();
    client.write(encode("BROKEN"));
    await client.waitClosed();
    expect(harness!.seen[0]!.connection.closeReason).toBe("internal-error");
    other.write(encode("PING"));
    await other.expectText("+PONG\r\n");
  });

  it("flushes pending replies and closes every client on shutdown", async () => {
    const { loop } = await start();
    const client = await connect();
    client.write(encode("PING"));
    await client.expectText("+PONG\r\n");
    await loop.close();
    await client.waitClosed();
    expect(harness!.seen[0]!.closed).toBe(true);
    harness = null;
  });
});

describe("before-sleep hooks and the cron", () => {
  it("runs before-sleep hooks after the turn's requests and before its flush", async () => {
    const { loop } = await start();
    const order: string[] = [];
    loop.addBeforeSleep(() => {
      for (const seen of harness!.seen) {
        if (seen.requests.length > 0 && !seen.connection.isClosing) {
          order.push(`hook sees ${seen.requests.length} request(s)`);
          seen.connection.writer.simple("HOOK");
          seen.connection.requestFlush();
          seen.requests = [];
        }
      }
    });
    const client = await connect();
    client.write(Buffer.concat([encode("PING"), encode("PING")]));
    await client.expectText("+PONG\r\n+PONG\r\n+HOOK\r\n");
    expect(order).toEqual(["hook sees 2 request(s)"]);
    expect(harness!.seen[0]!.writes).toBe(1);
  });

  it("keeps the server alive when a hook throws", async () => {
    const { loop } = await start();
    loop.addBeforeSleep(() => {
      throw new Error("hook bug");
    });
    const client = await connect();
    client.write(encode("PING"));
    await client.expectText("+PONG\r\n");
  });

  it("runs cron jobs hz times a second, and follows setHz", async () => {
    const { loop } = await start({ hz: 10 });
    const ticks: number[] = [];
    loop.addCronJob(() => ticks.push(performance.now()));
    const shortestInterval = (from: number) => {
      let shortest = Number.POSITIVE_INFINITY;
      for (let i = from + 1; i < ticks.length; i++) shortest = Math.min(shortest, ticks[i]! - ticks[i - 1]!);
      return shortest;
    };
    await eventually(() => ticks.length >= 5, "five ticks at hz 10");
    // Timers never fire early: at hz 10 ticks are (about) 100 ms apart or more.
    expect(shortestInterval(0)).toBeGreaterThanOrEqual(90);
    loop.setHz(100);
    const from = ticks.length;
    await eventually(() => ticks.length >= from + 10, "ten ticks at hz 100");
    expect(shortestInterval(from)).toBeLessThan(60);
  });
});
