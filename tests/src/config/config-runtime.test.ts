/*
 * CONFIG SET at runtime against a real redis-server 7: port and bind rebind
 * within the command (a port in use is refused and the old listener keeps
 * serving), value checks fail with Redis' words, a failing parameter undoes the
 * whole CONFIG SET, and the hidden debugging configs answer by exact name only.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { freePort, startRedis, startSpinel, type TestServer } from "../support/servers.js";

let redis: TestServer;
let spinel: TestServer;
/** A port taken by another process for the whole file. */
let busy: TestServer;

beforeAll(async () => {
  [redis, spinel, busy] = await Promise.all([startRedis(), startSpinel(), startRedis()]);
});
afterAll(async () => {
  await Promise.all([redis?.stop(), spinel?.stop(), busy?.stop()]);
});

/** Run `argv` on a fresh connection to `port`; the raw reply as text. */
async function once(port: number, ...argv: string[]): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    return (await client.call(...argv)).toString("latin1");
  } finally {
    client.close();
  }
}

/** "connected" when something accepts a connection on `port`, else "refused". */
async function connectOutcome(port: number): Promise<string> {
  try {
    (await RawClient.connect(port)).close();
    return "connected";
  } catch {
    return "refused";
  }
}

/** The same commands on both servers, one connection each; both transcripts. */
async function onBoth(commands: string[][]): Promise<{ redis: string[]; spinel: string[] }> {
  const result = { redis: [] as string[], spinel: [] as string[] };
  for (const [name, server] of [
    ["redis", redis],
    ["spinel", spinel],
  ] as const) {
    const client = await RawClient.connect(server.port);
    try {
      for (const argv of commands) result[name].push((await client.call(...argv)).toString("latin1"));
    } finally {
      client.close();
    }
  }
  return result;
}

describe("value checks and rollback, as redis-server words them", () => {
  it("maxmemory-clients takes a memory size or a percentage up to 100%", async () => {
    const values = ["101%", "50%", "100%", "0%", "-1", "-5%", "1.5%", "%", "abc%", "1mb", "0"];
    const commands = values.flatMap((value) => [
      ["CONFIG", "SET", "maxmemory-clients", value],
      ["CONFIG", "GET", "maxmemory-clients"],
    ]);
    const { redis: expected, spinel: actual } = await onBoth(commands);
    expect(actual).toEqual(expected);
    expect(expected[0]).toContain("percentage argument must be less or equal to 100");
  });

  it("one failing parameter undoes the whole CONFIG SET", async () => {
    const { redis: expected, spinel: actual } = await onBoth([
      ["CONFIG", "SET", "maxmemory", "10mb", "maxmemory-clients", "101%"],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "maxmemory-clients", "10%", "hz", "abc"],
      ["CONFIG", "GET", "maxmemory-clients"],
    ]);
    expect(actual).toEqual(expected);
    expect(expected[1]).toBe("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
  });
});

describe("every parameter's value checks", () => {
  /** Parameters whose change would disturb the servers under test (or the machine). */
  const UNTOUCHED = new Set([
    "port",
    "bind",
    "dir",
    "dbfilename",
    "logfile",
    "save",
    "appendonly",
    "requirepass",
    "masterauth",
    "replicaof",
    "slaveof",
    "maxmemory",
    "maxclients",
    "unixsocket",
    "timeout",
  ]);
  /**
   * Known differences: redis-server saturates these two unsigned parameters at
   * 2^64-1 and accepts it; an empty client-output-buffer-limit changes nothing
   * there, and is a syntax error here.
   */
  const KNOWN: Record<string, readonly string[]> = {
    "cluster-link-sendbuf-limit": ["99999999999999999999"],
    "maxmemory-clients": ["99999999999999999999"],
    "client-output-buffer-limit": [""],
  };
  const values = ["abc", "-1", "-0", "99999999999999999999", "", "1.5", "yes", "0", "1k", "100%"];

  it("CONFIG SET of odd values answers as redis-server does, parameter by parameter", async () => {
    const redisClient = await RawClient.connect(redis.port);
    const spinelClient = await RawClient.connect(spinel.port);
    const differences: string[] = [];
    try {
      const listing = (await redisClient.call("CONFIG", "GET", "*")).toString("latin1").split("\r\n");
      const names: string[] = [];
      for (let i = 2; i < listing.length; i += 4) if (listing[i]) names.push(listing[i]!);
      expect(names.length).toBeGreaterThan(150);
      for (const name of names) {
        if (UNTOUCHED.has(name)) continue;
        const original = (await redisClient.call("CONFIG", "GET", name)).toString("latin1").split("\r\n")[4]!;
        for (const value of values) {
          if (KNOWN[name]?.includes(value)) continue;
          const expected = (await redisClient.call("CONFIG", "SET", name, value)).toString("latin1");
          const actual = (await spinelClient.call("CONFIG", "SET", name, value)).toString("latin1");
          if (actual !== expected)
            differences.push(`${name} ${JSON.stringify(value)}: ${expected.trim()} | ${actual.trim()}`);
          await redisClient.call("CONFIG", "SET", name, original);
          await spinelClient.call("CONFIG", "SET", name, original);
        }
      }
    } finally {
      redisClient.close();
      spinelClient.close();
    }
    expect(differences).toEqual([]);
  }, 60_000);
});

describe("hidden debugging configs", () => {
  const hidden = [
    "key-load-delay",
    "rdb-key-save-delay",
    "loading-process-events-interval-bytes",
    "lua-enable-deprecated-api",
    "use-exit-on-panic",
    "watchdog-period",
  ];

  it("answer CONFIG GET by exact name, never through a pattern", async () => {
    const { redis: expected, spinel: actual } = await onBoth([
      ...hidden.map((name) => ["CONFIG", "GET", name]),
      ["CONFIG", "GET", "key-load-*"],
      ["CONFIG", "GET", "*-key-save-delay"],
      ["CONFIG", "GET", "watchdog-*"],
    ]);
    expect(actual).toEqual(expected);
    expect(expected[0]).toBe("*2\r\n$14\r\nkey-load-delay\r\n$1\r\n0\r\n");
  });

  it("validate CONFIG SET as redis-server does", async () => {
    const commands = [
      ["CONFIG", "SET", "key-load-delay", "-5"],
      ["CONFIG", "GET", "key-load-delay"],
      ["CONFIG", "SET", "key-load-delay", "abc"],
      ["CONFIG", "SET", "rdb-key-save-delay", "3000000000"],
      ["CONFIG", "SET", "loading-process-events-interval-bytes", "100"],
      ["CONFIG", "SET", "loading-process-events-interval-bytes", "4096"],
      ["CONFIG", "GET", "loading-process-events-interval-bytes"],
      ["CONFIG", "SET", "lua-enable-deprecated-api", "yes"],
      ["CONFIG", "SET", "watchdog-period", "-1"],
      ["CONFIG", "SET", "use-exit-on-panic", "maybe"],
      ["CONFIG", "SET", "key-load-delay", "0", "loading-process-events-interval-bytes", "2097152"],
    ];
    const { redis: expected, spinel: actual } = await onBoth(commands);
    expect(actual).toEqual(expected);
  });
});

describe("CONFIG SET port and bind rebind at runtime", () => {
  it("a port in use is refused with redis-server's error, and the old listener keeps serving", async () => {
    const { redis: expected, spinel: actual } = await onBoth([
      ["CONFIG", "SET", "port", String(busy.port)],
      ["CONFIG", "SET", "maxmemory", "5mb", "port", String(busy.port)],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "SET", "bind", "192.0.2.1"],
    ]);
    expect(actual).toEqual(expected);
    expect(expected[0]).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
    );
    for (const server of [redis, spinel]) {
      expect(await once(server.port, "PING")).toBe("+PONG\r\n");
      expect(await once(server.port, "CONFIG", "GET", "port")).toBe(
        `*2\r\n$4\r\nport\r\n$${String(server.port).length}\r\n${server.port}\r\n`,
      );
    }
  });

  it("a free port: the server answers there at once, existing connections stay, the old port closes", async () => {
    const outcomes: string[][] = [];
    for (const server of [redis, spinel]) {
      const oldPort = server.port;
      const newPort = await freePort();
      const client = await RawClient.connect(oldPort);
      try {
        const seen: string[] = [];
        seen.push((await client.call("CONFIG", "SET", "port", String(newPort))).toString());
        seen.push(await once(newPort, "PING"));
        seen.push((await client.call("PING")).toString());
        seen.push(await connectOutcome(oldPort));
        seen.push((await client.call("CONFIG", "GET", "port")).toString().replace(String(newPort), "<new>"));
        // Back to the old port, through bind and port in one CONFIG SET.
        seen.push(
          (await client.call("CONFIG", "SET", "bind", "127.0.0.1", "port", String(oldPort))).toString(),
        );
        seen.push(await once(oldPort, "PING"));
        outcomes.push(seen);
      } finally {
        client.close();
      }
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[0]).toEqual([
      "+OK\r\n",
      "+PONG\r\n",
      "+PONG\r\n",
      "refused",
      "*2\r\n$4\r\nport\r\n$5\r\n<new>\r\n",
      "+OK\r\n",
      "+PONG\r\n",
    ]);
  });
});
