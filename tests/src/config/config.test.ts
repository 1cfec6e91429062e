/*
 * Configuration as clients see it, compared with a real redis-server 7.0:
 * CONFIG GET * lists every parameter Redis has, with Redis' defaults and
 * renderings; CONFIG SET validates like Redis and changes Spinel's behaviour.
 */

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

/** CONFIG GET * as a name -> value map. */
async function allParameters(port: number): Promise<Map<string, string>> {
  const client = new Redis({ port, lazyConnect: true });
  await client.connect();
  try {
    const flat = (await client.config("GET", "*")) as string[];
    const map = new Map<string, string>();
    for (let i = 0; i < flat.length; i += 2) map.set(flat[i]!, flat[i + 1]!);
    return map;
  } finally {
    client.disconnect();
  }
}

/** Where Spinel differs on purpose: its own port and working directory. */
const DIFFERENT_BY_DESIGN = new Set(["port", "dir"]);
/**
 * Redis 7.2 parameters Spinel accepts so that 7.2-era config files load. Sets
 * follow 7.0 (intset, then hashtable), so these two only validate and render.
 */
const SPINEL_ONLY = new Set(["set-max-listpack-entries", "set-max-listpack-value"]);

describe("CONFIG GET * against redis-server 7.0", () => {
  let redis: TestServer;
  let spinel: TestServer;
  let fromRedis: Map<string, string>;
  let fromSpinel: Map<string, string>;

  beforeAll(async () => {
    [redis, spinel] = await Promise.all([startRedis(), startSpinel()]);
    [fromRedis, fromSpinel] = await Promise.all([allParameters(redis.port), allParameters(spinel.port)]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), spinel?.stop()]);
  });

  it("lists every parameter Redis lists, aliases included", () => {
    const missing = [...fromRedis.keys()].filter((name) => !fromSpinel.has(name));
    expect(missing).toEqual([]);
    const extra = [...fromSpinel.keys()].filter((name) => !fromRedis.has(name) && !SPINEL_ONLY.has(name));
    expect(extra).toEqual([]);
    expect(fromRedis.size).toBeGreaterThan(150);
  });

  it("shows Redis' defaults in Redis' renderings", () => {
    const differences = [...fromRedis]
      .filter(([name, value]) => !DIFFERENT_BY_DESIGN.has(name) && fromSpinel.get(name) !== value)
      .map(
        ([name, value]) =>
          `${name}: redis=${JSON.stringify(value)} spinel=${JSON.stringify(fromSpinel.get(name))}`,
      );
    expect(differences).toEqual([]);
  });

  it("shows its own port and an absolute working directory", () => {
    expect(fromSpinel.get("port")).toBe(String(spinel.port));
    expect(fromSpinel.get("dir")).toMatch(/^\//);
  });
});

describe("CONFIG SET effects", () => {
  let spinel: TestServer;

  beforeAll(async () => {
    spinel = await startSpinel();
  });
  afterAll(async () => {
    await spinel?.stop();
  });

  it("maxclients refuses connections beyond the limit", async () => {
    const admin = await RawClient.connect(spinel.port);
    const other = await RawClient.connect(spinel.port);
    try {
      expect((await admin.call("CONFIG", "SET", "maxclients", "2")).toString()).toBe("+OK\r\n");
      const refused = await RawClient.connect(spinel.port);
      expect((await refused.read()).toString()).toBe("-ERR max number of clients reached\r\n");
      await refused.waitClosed();
      const info = (await admin.call("INFO", "stats")).toString();
      expect(info).toMatch(/rejected_connections:1\r\n/);
    } finally {
      await admin.call("CONFIG", "SET", "maxclients", "10000");
      admin.close();
      other.close();
    }
  });

  it("timeout closes idle clients", async () => {
    const idle = await RawClient.connect(spinel.port);
    try {
      expect((await idle.call("CONFIG", "SET", "timeout", "1")).toString()).toBe("+OK\r\n");
      await idle.waitClosed(5000);
    } finally {
      // The idle client is gone: put the setting back from a new connection.
      const admin = await RawClient.connect(spinel.port);
      await admin.call("CONFIG", "SET", "timeout", "0");
      admin.close();
      idle.close();
    }
  });

  it("requirepass applies to new connections, not to existing ones", async () => {
    const admin = await RawClient.connect(spinel.port);
    try {
      await admin.call("CONFIG", "SET", "requirepass", "s3cret");
      expect((await admin.call("PING")).toString()).toBe("+PONG\r\n");
      const newcomer = await RawClient.connect(spinel.port);
      expect((await newcomer.call("PING")).toString()).toBe("-NOAUTH Authentication required.\r\n");
      expect((await newcomer.call("AUTH", "wrong")).toString()).toBe(
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
      );
      expect((await newcomer.call("AUTH", "s3cret")).toString()).toBe("+OK\r\n");
      expect((await newcomer.call("PING")).toString()).toBe("+PONG\r\n");
      newcomer.close();
    } finally {
      await admin.call("CONFIG", "SET", "requirepass", "");
      admin.close();
    }
  });

  it("slowlog-log-slower-than 0 logs every command, with its arguments and client", async () => {
    const client = await RawClient.connect(spinel.port);
    try {
      await client.call("CLIENT", "SETNAME", "slow-one");
      await client.call("SLOWLOG", "RESET");
      await client.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
      await client.call("SET", "slow:key", "x".repeat(200));
      await client.call("AUTH", "default", "secret-password");
      const entries = (await client.call("SLOWLOG", "GET", "-1")).toString();
      expect(entries).toContain("slow:key");
      expect(entries).toContain("... (72 more bytes)");
      expect(entries).toContain("slow-one");
      expect(entries).not.toContain("secret-password");
      expect(entries).toContain("(redacted)");
      await client.call("CONFIG", "SET", "slowlog-max-len", "1");
      await client.call("PING");
      expect((await client.call("SLOWLOG", "LEN")).toString()).toBe(":1\r\n");
    } finally {
      await client.call("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128");
      client.close();
    }
  });

  it("an atomic CONFIG SET leaves nothing changed when one value is bad", async () => {
    const client = await RawClient.connect(spinel.port);
    try {
      const reply = (
        await client.call("CONFIG", "SET", "maxmemory", "1mb", "maxmemory-policy", "nope")
      ).toString();
      expect(reply).toMatch(/^-ERR CONFIG SET failed \(possibly related to argument 'maxmemory-policy'\)/);
      expect((await client.call("CONFIG", "GET", "maxmemory")).toString()).toBe(
        "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n",
      );
    } finally {
      client.close();
    }
  });
});
