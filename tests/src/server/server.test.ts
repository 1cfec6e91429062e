/*
 * Server commands over TCP with real clients: INFO as ioredis and node-redis
 * parse it (and as Redis lays it out, compared with a real redis-server),
 * live figures that must move (commands, connections, errors, keyspace, ops per
 * second), CONFIG RESETSTAT, SHUTDOWN of an embedded server, DEBUG, MEMORY
 * USAGE, TIME, and COMMAND DOCS as redis-cli uses it.
 */

import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { redisCli, startRedis, startSpinel, type TestServer } from "../support/servers.js";

/** INFO text as section -> field names, in order. */
function layout(info: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of info.split("\r\n")) {
    if (line.startsWith("# ")) {
      current = [];
      sections.set(line.slice(2), current);
    } else if (line.includes(":")) {
      current.push(line.slice(0, line.indexOf(":")));
    }
  }
  return sections;
}

/** INFO fields as a name -> value map. */
function infoFields(info: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of info.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) map.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return map;
}

describe("INFO", () => {
  let spinel: TestServer;
  let redis: TestServer;

  beforeAll(async () => {
    [spinel, redis] = await Promise.all([startSpinel(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([spinel?.stop(), redis?.stop()]);
  });

  it("has Redis 7.0's sections and fields, in Redis' order", async () => {
    const texts: string[] = [];
    for (const server of [spinel, redis]) {
      const client = new Redis({ port: server.port, lazyConnect: true });
      await client.connect();
      await client.set("info:k", "v");
      await client.get("info:k");
      await client.call("NOSUCHCOMMAND").catch(() => {});
      texts.push(await client.info("everything"));
      client.disconnect();
    }
    const [ours, theirs] = texts.map(layout);
    expect([...ours!.keys()]).toEqual([...theirs!.keys()]);
    for (const section of [
      "Server",
      "Clients",
      "Memory",
      "Persistence",
      "Stats",
      "Replication",
      "CPU",
      "Cluster",
    ]) {
      const mine = ours!.get(section)!.filter((name) => name !== "spinel_version");
      expect(mine, section).toEqual(theirs!.get(section));
    }
    expect(ours!.get("Server")).toContain("spinel_version");
    expect(ours!.get("Errorstats")).toEqual(["errorstat_ERR"]);
    expect(ours!.get("Commandstats")).toEqual(
      expect.arrayContaining(["cmdstat_set", "cmdstat_get", "cmdstat_info"]),
    );
    expect(ours!.get("Keyspace")).toEqual(theirs!.get("Keyspace"));
  });

  it("reports live figures that move", async () => {
    const client = new Redis({ port: spinel.port, lazyConnect: true });
    await client.connect();
    try {
      const before = infoFields(await client.info());
      for (let i = 0; i < 50; i++) await client.set(`live:${i}`, "x");
      await client.get("live:0");
      await client.get("live:missing");
      await client.call("GET").catch(() => {});
      const after = infoFields(await client.info("all"));
      expect(after.get("redis_version")).toBe("7.0.15");
      expect(after.get("redis_mode")).toBe("standalone");
      expect(after.get("role")).toBe("master");
      expect(after.get("tcp_port")).toBe(String(spinel.port));
      expect(after.get("process_id")).toBe(String(process.pid));
      expect(Number(after.get("connected_clients"))).toBeGreaterThanOrEqual(1);
      expect(Number(after.get("total_commands_processed"))).toBeGreaterThanOrEqual(
        Number(before.get("total_commands_processed")) + 52,
      );
      expect(Number(after.get("total_net_input_bytes"))).toBeGreaterThan(
        Number(before.get("total_net_input_bytes")),
      );
      expect(Number(after.get("keyspace_hits"))).toBeGreaterThanOrEqual(1);
      expect(Number(after.get("keyspace_misses"))).toBeGreaterThanOrEqual(1);
      expect(Number(after.get("total_error_replies"))).toBeGreaterThan(
        Number(before.get("total_error_replies")),
      );
      expect(after.get("errorstat_ERR")).toMatch(/^count=\d+$/);
      expect(after.get("cmdstat_set")).toMatch(
        /^calls=\d+,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/,
      );
      expect(after.get("cmdstat_get")).toMatch(/rejected_calls=1,/);
      expect(after.get("db0")).toMatch(/^keys=\d+,expires=0,avg_ttl=0$/);
      expect(Number(after.get("used_memory"))).toBeGreaterThan(0);
      expect(after.get("blocked_clients")).toBe("0");
      expect(after.get("pubsub_channels")).toBe("0");
    } finally {
      client.disconnect();
    }
  });

  it("instantaneous_ops_per_sec follows the load", async () => {
    const client = new Redis({ port: spinel.port, lazyConnect: true });
    await client.connect();
    try {
      const deadline = Date.now() + 1200;
      while (Date.now() < deadline) {
        const pipeline = client.pipeline();
        for (let i = 0; i < 200; i++) pipeline.ping();
        await pipeline.exec();
      }
      const fields = infoFields(await client.info("stats"));
      expect(Number(fields.get("instantaneous_ops_per_sec"))).toBeGreaterThan(0);
      expect(Number(fields.get("instantaneous_input_kbps"))).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });

  it("node-redis RESP3 receives INFO as a verbatim string", async () => {
    const client = createClient({
      socket: { port: spinel.port, host: "127.0.0.1", reconnectStrategy: false },
      RESP: 3,
    });
    client.on("error", () => {});
    await client.connect();
    try {
      const info = String(await client.info("server"));
      expect(info.startsWith("# Server\r\n")).toBe(true);
      expect(info).toContain("redis_version:7.0.15");
    } finally {
      client.destroy();
    }
  });

  it("CONFIG RESETSTAT zeroes the counters", async () => {
    const client = await RawClient.connect(spinel.port);
    try {
      await client.call("GET", "reset:k");
      await client.call("NOSUCH");
      expect((await client.call("CONFIG", "RESETSTAT")).toString()).toBe("+OK\r\n");
      const fields = infoFields(
        (await client.call("INFO", "stats", "commandstats", "errorstats")).toString(),
      );
      expect(fields.get("keyspace_misses")).toBe("0");
      expect(fields.get("total_error_replies")).toBe("0");
      expect(fields.get("total_connections_received")).toBe("0");
      expect(fields.has("cmdstat_get")).toBe(false);
      expect(fields.has("errorstat_ERR")).toBe(false);
      expect(Number(fields.get("total_commands_processed"))).toBeLessThanOrEqual(1);
    } finally {
      client.close();
    }
  });
});

describe("other server commands", () => {
  let spinel: TestServer;

  beforeAll(async () => {
    spinel = await startSpinel({ "enable-debug-command": "yes" });
  });
  afterAll(async () => {
    await spinel?.stop();
  });

  it("TIME is the current time", async () => {
    const client = new Redis({ port: spinel.port, lazyConnect: true });
    await client.connect();
    const [seconds, micros] = await client.time();
    client.disconnect();
    const serverMs = Number(seconds) * 1000 + Number(micros) / 1000;
    expect(Math.abs(serverMs - Date.now())).toBeLessThan(2000);
    expect(Number(micros)).toBeLessThan(1_000_000);
  });

  it("DEBUG SLEEP blocks the server, DEBUG OBJECT describes a key", async () => {
    const sleeper = await RawClient.connect(spinel.port);
    const other = await RawClient.connect(spinel.port);
    try {
      const started = Date.now();
      const sleeping = sleeper.call("DEBUG", "SLEEP", "0.3");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await other.call("PING")).toString()).toBe("+PONG\r\n");
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect((await sleeping).toString()).toBe("+OK\r\n");
      await other.call("SET", "dbg:k", "hello");
      const object = (await other.call("DEBUG", "OBJECT", "dbg:k")).toString();
      expect(object).toMatch(
        /^\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+\r\n$/,
      );
      expect((await other.call("DEBUG", "OBJECT", "dbg:none")).toString()).toBe("-ERR no such key\r\n");
      expect((await other.call("DEBUG", "NOPE")).toString()).toBe(
        "-ERR unknown subcommand 'NOPE'. Try DEBUG HELP.\r\n",
      );
    } finally {
      sleeper.close();
      other.close();
    }
  });

  it("DEBUG SET-ACTIVE-EXPIRE 0 stops active expiry until it is turned back on", async () => {
    const client = await RawClient.connect(spinel.port);
    try {
      await client.call("FLUSHALL");
      expect((await client.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).toString()).toBe("+OK\r\n");
      await client.call("SET", "ax:k", "v", "PX", "20");
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await client.call("DBSIZE")).toString()).toBe(":1\r\n");
      await client.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
      const deadline = Date.now() + 3000;
      let size = "";
      while (Date.now() < deadline && size !== ":0\r\n") {
        await new Promise((resolve) => setTimeout(resolve, 100));
        size = (await client.call("DBSIZE")).toString();
      }
      expect(size).toBe(":0\r\n");
    } finally {
      await client.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
      client.close();
    }
  });

  it("MEMORY USAGE grows with the value", async () => {
    const client = new Redis({ port: spinel.port, lazyConnect: true });
    await client.connect();
    try {
      await client.set("mem:small", "v");
      await client.set("mem:big", "x".repeat(10_000));
      const small = Number(await client.call("MEMORY", "USAGE", "mem:small"));
      const big = Number(await client.call("MEMORY", "USAGE", "mem:big"));
      expect(small).toBeGreaterThan(0);
      expect(big).toBeGreaterThan(10_000);
      expect(await client.call("MEMORY", "USAGE", "mem:none")).toBe(null);
    } finally {
      client.disconnect();
    }
  });

  it("redis-cli gets command docs and hints from COMMAND DOCS", async () => {
    const docs = await redisCli(spinel.port, ["COMMAND", "DOCS", "get"]);
    expect(docs).toContain("Read a string");
    expect(docs).toContain("key_spec_index");
    const count = Number((await redisCli(spinel.port, ["COMMAND", "COUNT"])).trim());
    const listed = (await redisCli(spinel.port, ["COMMAND", "LIST"])).trim().split("\n");
    expect(listed.filter((name) => !name.includes("|"))).toHaveLength(count);
  });
});

describe("SHUTDOWN of an embedded server", () => {
  it("closes the server and every connection; the closed promise resolves", async () => {
    const server = await startSpinel();
    const bystander = await RawClient.connect(server.port);
    const client = await RawClient.connect(server.port);
    expect((await client.call("SHUTDOWN", "ABORT")).toString()).toBe("-ERR No shutdown in progress.\r\n");
    client.write("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n");
    await Promise.all([client.waitClosed(), bystander.waitClosed(), server.server.closed]);
    await expect(RawClient.connect(server.port)).rejects.toThrow();
  });
});
