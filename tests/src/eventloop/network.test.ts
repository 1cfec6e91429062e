/*
 * The server's network side end to end: real clients (ioredis, raw sockets,
 * redis-cli) against Spinel over TCP, and a real redis-server where the exact
 * bytes on the wire matter (protocol errors, inline commands, limits).
 */

import { execFile } from "node:child_process";
import net from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { encodeCommand } from "../support/resp-frames.js";
import { redisCli, startRedis, startSpinel, type TestServer } from "../support/servers.js";

/** What a raw connection saw: every byte received, and whether the server closed it. */
interface Exchange {
  reply: string;
  closed: boolean;
}

/**
 * Send `bytes` on a fresh connection. Without `marker`, wait until the server
 * closes the connection; with it, append `ECHO marker` and wait for its reply.
 */
function exchange(
  port: number,
  bytes: Buffer | string,
  marker?: string,
  host = "127.0.0.1",
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host, noDelay: true });
    const chunks: Buffer[] = [];
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no ${marker ? "marker" : "close"} within 5 s: ${Buffer.concat(chunks).toString("latin1")}`,
        ),
      );
    }, 5000);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks).toString("latin1"), closed });
    };
    const markerReply = marker === undefined ? null : `$${marker.length}\r\n${marker}\r\n`;
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (markerReply !== null && Buffer.concat(chunks).toString("latin1").endsWith(markerReply)) finish();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      closed = true;
      finish();
    });
    socket.on("connect", () => {
      socket.write(bytes);
      if (marker !== undefined) socket.write(encodeCommand(["ECHO", marker]));
    });
  });
}

function ioredis(port: number, host = "127.0.0.1"): Redis {
  return new Redis({ port, host, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ------------------------------------------------------------------ one shared pair of servers

let spinel: TestServer;
let redis: TestServer;

beforeAll(async () => {
  [spinel, redis] = await Promise.all([startSpinel(), startRedis()]);
});

afterAll(async () => {
  await Promise.all([spinel?.stop(), redis?.stop()]);
});

describe("pipelining", () => {
  it("answers a 10,000-command ioredis pipeline in order", async () => {
    const client = ioredis(spinel.port);
    await client.connect();
    try {
      const pipeline = client.pipeline();
      for (let i = 0; i < 5000; i++) {
        pipeline.set(`pipe:${i}`, `value-${i}`);
        pipeline.get(`pipe:${i}`);
      }
      const results = await pipeline.exec();
      expect(results).toHaveLength(10_000);
      for (let i = 0; i < 5000; i++) {
        expect(results![2 * i]).toEqual([null, "OK"]);
        expect(results![2 * i + 1]).toEqual([null, `value-${i}`]);
      }
    } finally {
      client.disconnect();
    }
  });

  it("answers 10,000 commands written at once on a raw socket in order, byte for byte like Redis", async () => {
    const requests: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) requests.push(encodeCommand(["ECHO", `message ${i}`]));
    const bytes = Buffer.concat(requests);
    const [fromSpinel, fromRedis] = await Promise.all([
      exchange(spinel.port, bytes, "end-of-pipeline"),
      exchange(redis.port, bytes, "end-of-pipeline"),
    ]);
    expect(fromSpinel.closed).toBe(false);
    expect(fromSpinel.reply.length).toBe(fromRedis.reply.length);
    expect(fromSpinel.reply).toBe(fromRedis.reply);
    expect(fromSpinel.reply.startsWith("$9\r\nmessage 0\r\n$9\r\nmessage 1\r\n")).toBe(true);
  });
});

describe("many clients", () => {
  it("serves 200 concurrent clients", async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, () => RawClient.connect(spinel.port)));
    try {
      const replies = await Promise.all(
        clients.map(async (client, i) => {
          const set = await client.call("SET", `client:${i}`, `v${i}`);
          const get = await client.call("GET", `client:${i}`);
          return [set.toString(), get.toString()];
        }),
      );
      replies.forEach(([set, get], i) => {
        expect(set).toBe("+OK\r\n");
        expect(get).toBe(`$${`v${i}`.length}\r\nv${i}\r\n`);
      });
    } finally {
      for (const client of clients) client.close();
    }
  });

  it("serves 200 concurrent ioredis clients pipelining at the same time", async () => {
    const clients = Array.from({ length: 200 }, () => ioredis(spinel.port));
    await Promise.all(clients.map((client) => client.connect()));
    try {
      const results = await Promise.all(
        clients.map((client, i) => {
          const pipeline = client.pipeline();
          for (let j = 0; j < 20; j++) pipeline.echo(`${i}:${j}`);
          return pipeline.exec();
        }),
      );
      results.forEach((result, i) => {
        expect(result!.map(([, value]) => value)).toEqual(Array.from({ length: 20 }, (_, j) => `${i}:${j}`));
      });
    } finally {
      for (const client of clients) client.disconnect();
    }
  });
});

describe("slow writers", () => {
  it("answers a client that writes one byte at a time", async () => {
    const socket = net.connect({ port: spinel.port, host: "127.0.0.1", noDelay: true });
    await new Promise((resolve) => socket.once("connect", resolve));
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    const bytes = Buffer.concat([
      encodeCommand(["SET", "bytewise", "a b\r\nc"]),
      encodeCommand(["GET", "bytewise"]),
      Buffer.from("ECHO inline\r\n"),
    ]);
    try {
      for (const byte of bytes) {
        socket.write(Buffer.from([byte]));
        await sleep(1);
      }
      const expected = "+OK\r\n$6\r\na b\r\nc\r\n$6\r\ninline\r\n";
      const deadline = Date.now() + 5000;
      while (received.length < expected.length && Date.now() < deadline) await sleep(10);
      expect(received).toBe(expected);
    } finally {
      socket.destroy();
    }
  });
});

describe("protocol errors", () => {
  // Each case: bytes that make Redis reply a protocol error and close the connection.
  const closingCases: Array<[string, string]> = [
    ["invalid bulk length", "*1\r\n$x\r\n"],
    ["bulk length too big", "*1\r\n$999999999999\r\n"],
    ["negative bulk length", "*1\r\n$-1\r\n"],
    ["invalid multibulk length", "*x\r\n"],
    ["expected '$'", "*1\r\n+PING\r\n"],
    ["unbalanced quotes", 'SET a "b\r\n'],
    ["after a valid command", "*1\r\n$4\r\nPING\r\n*1\r\n$y\r\n"],
    ["too big mbulk count string", `*${"1".repeat(70_000)}`],
    ["too big inline request", "x".repeat(70_000)],
  ];

  for (const [name, bytes] of closingCases) {
    it(`${name}: the same error reply as Redis, then only that client is closed`, async () => {
      const bystander = await RawClient.connect(spinel.port);
      try {
        const [fromSpinel, fromRedis] = await Promise.all([
          exchange(spinel.port, bytes),
          exchange(redis.port, bytes),
        ]);
        expect(fromRedis.closed).toBe(true);
        expect(fromRedis.reply).toMatch(/-ERR Protocol error: [^\r\n]+\r\n$/);
        expect(fromSpinel).toEqual(fromRedis);
        expect((await bystander.call("PING")).toString()).toBe("+PONG\r\n");
      } finally {
        bystander.close();
      }
    });
  }

  it("skips the two bytes after a bulk argument unchecked, as Redis does", async () => {
    for (const bytes of [
      "*1\r\n$4\r\nPINGPONG\r\n",
      "*2\r\n$4\r\nECHO\r\n$2\r\nabXY*1\r\n$4\r\nPING\r\n",
      `*2\r\n$4\r\nECHO\r\n$40000\r\n${"v".repeat(40000)}!!PING\r\n`,
      "*1\r\n$3\r\nab\0cd\r\n",
    ]) {
      const [fromSpinel, fromRedis] = await Promise.all([
        exchange(spinel.port, bytes, "still-open"),
        exchange(redis.port, bytes, "still-open"),
      ]);
      expect(fromSpinel).toEqual(fromRedis);
      expect(fromSpinel.closed).toBe(false);
    }
  });

  it("a bulk length the runtime cannot allocate gets a clear protocol error, not an internal error", async () => {
    const admin = await RawClient.connect(spinel.port);
    try {
      expect((await admin.call("CONFIG", "SET", "proto-max-bulk-len", "8gb")).toString()).toBe("+OK\r\n");
      const outcome = await exchange(spinel.port, "*2\r\n$3\r\nSET\r\n$5000000000\r\nabc");
      expect(outcome).toEqual({
        reply: "-ERR Protocol error: bulk length exceeds what this server can allocate\r\n",
        closed: true,
      });
      expect((await admin.call("PING")).toString()).toBe("+PONG\r\n");
    } finally {
      await admin.call("CONFIG", "SET", "proto-max-bulk-len", "512mb");
      admin.close();
    }
  });

  it("ignores empty requests, as Redis does", async () => {
    const bytes = "*0\r\n*-1\r\n\r\n\n";
    const [fromSpinel, fromRedis] = await Promise.all([
      exchange(spinel.port, bytes, "still-open"),
      exchange(redis.port, bytes, "still-open"),
    ]);
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel.closed).toBe(false);
  });
});

describe("inline commands", () => {
  it("runs inline commands from a raw socket as Redis does", async () => {
    const bytes = "SET inline:k \"a b\"\r\nGET inline:k\r\nECHO 'x\\ny'\nPING\r\nDEL inline:k\r\n";
    const [fromSpinel, fromRedis] = await Promise.all([
      exchange(spinel.port, bytes, "inline-done"),
      exchange(redis.port, bytes, "inline-done"),
    ]);
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel.reply).toContain("$3\r\na b\r\n");
  });

  it("runs inline commands sent through redis-cli --pipe", async () => {
    const input = "SET cli:inline hello\r\nGET cli:inline\r\nPING\r\n";
    const output = await runRedisCliPipe(spinel.port, input);
    expect(output).toContain("errors: 0, replies: 3");
    expect((await redisCli(spinel.port, ["GET", "cli:inline"])).trim()).toBe("hello");
  });

  it("answers redis-cli commands", async () => {
    expect((await redisCli(spinel.port, ["PING"])).trim()).toBe("PONG");
    expect((await redisCli(spinel.port, ["ECHO", "hello world"])).trim()).toBe("hello world");
  });
});

/** Feed `input` to `redis-cli --pipe` (raw protocol, here inline commands); resolves with its output. */
function runRedisCliPipe(port: number, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "redis-cli",
      ["-p", String(port), "--pipe"],
      { timeout: 10_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`));
        else resolve(stdout + stderr);
      },
    );
    child.stdin?.end(input);
  });
}

describe("limits", () => {
  it("refuses connections over maxclients with Redis' error", async () => {
    const [small, smallRedis] = await Promise.all([
      startSpinel({ maxclients: 3 }),
      startRedis(["--maxclients", "3"]),
    ]);
    try {
      for (const server of [small, smallRedis]) {
        const held = await Promise.all([1, 2, 3].map(() => RawClient.connect(server.port)));
        try {
          // Make sure the server registered all three before the next one arrives.
          for (const client of held) expect((await client.call("PING")).toString()).toBe("+PONG\r\n");
          const refused = await exchange(server.port, "");
          expect(refused).toEqual({ reply: "-ERR max number of clients reached\r\n", closed: true });
        } finally {
          for (const client of held) client.close();
        }
      }
      // Below the limit again: accepted.
      await sleep(100);
      const again = await RawClient.connect(small.port);
      expect((await again.call("PING")).toString()).toBe("+PONG\r\n");
      again.close();
    } finally {
      await Promise.all([small.stop(), smallRedis.stop()]);
    }
  });

  it("closes idle clients after the timeout", async () => {
    const server = await startSpinel({ timeout: 1 });
    try {
      const idle = await RawClient.connect(server.port);
      const active = await RawClient.connect(server.port);
      const started = Date.now();
      const keepAlive = setInterval(() => void active.call("PING").catch(() => {}), 250);
      try {
        await idle.waitClosed(5000);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect((await active.call("PING")).toString()).toBe("+PONG\r\n");
      } finally {
        clearInterval(keepAlive);
        active.close();
      }
    } finally {
      await server.stop();
    }
  });

  it("closes a client over client-query-buffer-limit, as Redis does", async () => {
    const [small, smallRedis] = await Promise.all([
      startSpinel({ "client-query-buffer-limit": "1mb" }),
      startRedis(["--client-query-buffer-limit", "1mb"]),
    ]);
    try {
      // A 2 MB argument announced, 1.5 MB of it sent: the query buffer is over 1 MB.
      const bytes = Buffer.concat([
        Buffer.from("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n"),
        Buffer.alloc(1_500_000, "a"),
      ]);
      const [fromSpinel, fromRedis] = await Promise.all([
        exchange(small.port, bytes),
        exchange(smallRedis.port, bytes),
      ]);
      expect(fromRedis).toEqual({ reply: "", closed: true });
      expect(fromSpinel).toEqual(fromRedis);
      // Other clients carry on.
      const other = await RawClient.connect(small.port);
      expect((await other.call("PING")).toString()).toBe("+PONG\r\n");
      other.close();
    } finally {
      await Promise.all([small.stop(), smallRedis.stop()]);
    }
  });
});

describe("IPv6", () => {
  it("accepts a client on ::1 when the host has IPv6", async (context) => {
    const available = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(0, "::1", () => probe.close(() => resolve(true)));
    });
    if (!available) context.skip();
    const server = await startSpinel({ bind: "127.0.0.1 ::1" });
    try {
      const client = await RawClient.connect(server.port, "::1");
      expect((await client.call("PING")).toString()).toBe("+PONG\r\n");
      expect((await client.call("ECHO", "over ipv6")).toString()).toBe("$9\r\nover ipv6\r\n");
      client.close();
      const v4 = await RawClient.connect(server.port, "127.0.0.1");
      expect((await v4.call("PING")).toString()).toBe("+PONG\r\n");
      v4.close();
    } finally {
      await server.stop();
    }
  });
});
