/*
 * Function libraries outlive the process and travel with the data, as in
 * redis-server 7.0: RDB files (SAVE / SHUTDOWN and restart, DEBUG RELOAD),
 * the AOF (RDB-preamble base, AOF-format base, incremental FUNCTION commands),
 * full syncs to a replica and the stream after them, and files exchanged with
 * a real redis-server both ways. FLUSHALL leaves them alone. Every server is
 * stopped by PID; every file lives in a temp dir removed at the end.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { waitUntil } from "../replication/support.js";
import { connectOnce, useScratchDirectories } from "../support/scratch.js";
import { spawnSpinel, startRedis, startSpinel, type TestServer } from "../support/servers.js";

const freshDir = useScratchDirectories("spinel-function-persistence-");

/** A library with a read-only and a writing function (long enough for LZF to apply). */
const COUNTER_LIBRARY = `#!lua name=counters
-- counters: increments a key by the first argument and reads it back
local function bump(keys, args)
  return redis.call('INCRBY', keys[1], args[1])
end
local function peek(keys, args)
  return redis.call('GET', keys[1])
end
redis.register_function('bump', bump)
redis.register_function{function_name='peek', callback=peek, flags={'no-writes'}, description='reads a counter'}
`;

const ECHO_LIBRARY =
  "#!lua name=echoes\nredis.register_function('echo_first', function(keys, args) return args[1] end)";

/**
 * FUNCTION LIST WITHCODE as comparable data: libraries and their functions
 * sorted by name (redis-server lists them in hash-table order).
 */
async function functionList(client: Redis): Promise<unknown> {
  const libraries = (await client.call("FUNCTION", "LIST", "WITHCODE")) as unknown[][];
  const byName = (a: unknown[], b: unknown[]) => String(a[1]).localeCompare(String(b[1]));
  return libraries
    .map((library) => library.map((item, i) => (i === 5 ? [...(item as unknown[][])].sort(byName) : item)))
    .sort(byName);
}

/** The libraries work: FCALL through both functions of COUNTER_LIBRARY. */
async function expectCountersWork(client: Redis, key: string): Promise<void> {
  const before = Number((await client.call("FCALL", "peek", "1", key)) ?? 0);
  expect(await client.call("FCALL", "bump", "1", key, "5")).toBe(before + 5);
  expect(await client.call("FCALL_RO", "peek", "1", key)).toBe(String(before + 5));
}

describe("functions in RDB files", () => {
  it("SHUTDOWN SAVE and a restart bring the libraries back, with their flags and descriptions", async () => {
    const dir = freshDir();
    const first = await spawnSpinel(["--dir", dir]);
    const client = await connectOnce(first.port);
    expect(await client.call("FUNCTION", "LOAD", COUNTER_LIBRARY)).toBe("counters");
    expect(await client.call("FUNCTION", "LOAD", ECHO_LIBRARY)).toBe("echoes");
    await client.set("hits", "10");
    const listed = await functionList(client);
    await client.call("SHUTDOWN", "SAVE").catch(() => {});
    client.disconnect();
    await first.stop();

    const second = await spawnSpinel(["--dir", dir]);
    const again = await connectOnce(second.port);
    expect(await functionList(again)).toEqual(listed);
    await expectCountersWork(again, "hits");
    expect(await again.call("FCALL", "echo_first", "0", "hello")).toBe("hello");
    again.disconnect();
    await second.stop();
  });

  it("redis-server's file loads in Spinel, and Spinel's in redis-server: same FUNCTION LIST, FCALL works", async () => {
    const dir = freshDir();
    const redis = await startRedis(["--dir", dir]);
    const redisClient = await connectOnce(redis.port);
    await redisClient.call("FUNCTION", "LOAD", COUNTER_LIBRARY);
    await redisClient.set("hits", "1");
    await redisClient.call("SAVE");
    const redisList = await functionList(redisClient);
    redisClient.disconnect();
    await redis.stop();

    const spinel = await spawnSpinel(["--dir", dir]);
    const spinelClient = await connectOnce(spinel.port);
    expect(await functionList(spinelClient)).toEqual(redisList);
    await expectCountersWork(spinelClient, "hits");
    await spinelClient.call("FUNCTION", "LOAD", ECHO_LIBRARY);
    await spinelClient.call("SAVE");
    const spinelList = await functionList(spinelClient);
    spinelClient.disconnect();
    await spinel.stop();

    const redis2 = await startRedis(["--dir", dir]);
    const redisClient2 = await connectOnce(redis2.port);
    expect(await functionList(redisClient2)).toEqual(spinelList);
    await expectCountersWork(redisClient2, "hits");
    expect(await redisClient2.call("FCALL", "echo_first", "0", "back")).toBe("back");
    redisClient2.disconnect();
    await redis2.stop();
  });

  it("DEBUG RELOAD keeps the libraries and FLUSHALL leaves them, as on redis-server", async () => {
    const dir = freshDir();
    const spinel = await startSpinel({ dir, "enable-debug-command": "yes" });
    const redis = await startRedis(["--dir", freshDir(), "--enable-debug-command", "yes"]);
    const clients = [await connectOnce(spinel.port), await connectOnce(redis.port)];
    const outcomes: unknown[] = [];
    for (const client of clients) {
      await client.call("FUNCTION", "LOAD", COUNTER_LIBRARY);
      await client.set("k", "v");
      const listed = await functionList(client);
      expect(await client.call("DEBUG", "RELOAD")).toBe("OK");
      expect(await functionList(client)).toEqual(listed);
      expect(await client.get("k")).toBe("v");
      expect(await client.call("FLUSHALL")).toBe("OK");
      expect(await functionList(client)).toEqual(listed);
      expect(await client.dbsize()).toBe(0);
      // A file without libraries replaces them with none.
      await client.call("FUNCTION", "FLUSH");
      await client.call("SAVE");
      await client.call("FUNCTION", "LOAD", ECHO_LIBRARY);
      expect(await client.call("DEBUG", "RELOAD", "NOSAVE")).toBe("OK");
      outcomes.push(await functionList(client));
      client.disconnect();
    }
    expect(outcomes[0]).toEqual([]);
    expect(outcomes[0]).toEqual(outcomes[1]);
    await redis.stop();
    await spinel.stop();
  });
});

describe("functions in the AOF", () => {
  for (const preamble of ["yes", "no"]) {
    it(`restart with appendonly (aof-use-rdb-preamble ${preamble}): base and incremental FUNCTION commands replay`, async () => {
      const dir = freshDir();
      const config = { dir, appendonly: "yes", "aof-use-rdb-preamble": preamble };
      const first = await startSpinel(config);
      const client = await connectOnce(first.port);
      await client.call("FUNCTION", "LOAD", ECHO_LIBRARY);
      await client.call("FUNCTION", "LOAD", COUNTER_LIBRARY);
      await client.call("FCALL", "bump", "1", "hits", "3");
      // The rewrite writes both libraries into the base ...
      expect(await client.call("BGREWRITEAOF")).toMatch(/rewriting/);
      await waitUntil(
        "the rewrite to end",
        async () => /aof_rewrite_in_progress:0/.test(await client.info("persistence")),
        10_000,
      );
      // ... and what follows lands in the incremental file.
      expect(await client.call("FUNCTION", "DELETE", "echoes")).toBe("OK");
      expect(await client.call("FUNCTION", "LOAD", "REPLACE", COUNTER_LIBRARY)).toBe("counters");
      const listed = await functionList(client);
      client.disconnect();
      await first.stop();

      const files = readdirSync(join(dir, "appendonlydir"));
      const base = files.find((f) => f.includes(".base."))!;
      expect(base.endsWith(preamble === "yes" ? ".rdb" : ".aof")).toBe(true);
      const baseBytes = readFileSync(join(dir, "appendonlydir", base));
      if (preamble === "no") {
        // redis-server 7.0's form: the libraries first, as FUNCTION LOAD commands.
        const load = `*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n$${ECHO_LIBRARY.length}\r\n${ECHO_LIBRARY}\r\n`;
        expect(baseBytes.subarray(0, load.length).toString("latin1")).toBe(load);
      } else {
        expect(baseBytes.includes(Buffer.from([0xf5]))).toBe(true);
      }
      const incr = readFileSync(
        join(dir, "appendonlydir", files.find((f) => f.includes(".incr."))!),
        "latin1",
      );
      expect(incr).toContain("FUNCTION\r\n$6\r\nDELETE\r\n$6\r\nechoes");

      const second = await startSpinel(config);
      const again = await connectOnce(second.port);
      expect(await functionList(again)).toEqual(listed);
      expect(await again.get("hits")).toBe("3");
      await expectCountersWork(again, "hits");
      again.disconnect();
      await second.stop();

      // redis-server 7.0 loads the same directory to the same libraries.
      const redis = await startRedis(["--dir", dir, "--appendonly", "yes"]);
      const redisClient = await connectOnce(redis.port);
      expect(await functionList(redisClient)).toEqual(listed);
      expect(await redisClient.get("hits")).toBe("8");
      redisClient.disconnect();
      await redis.stop();
    });
  }

  it("Spinel loads redis-server's appendonlydir with functions (both base forms)", async () => {
    for (const preamble of ["yes", "no"]) {
      const dir = freshDir();
      const redis = await startRedis([
        "--dir",
        dir,
        "--appendonly",
        "yes",
        "--aof-use-rdb-preamble",
        preamble,
      ]);
      const redisClient = await connectOnce(redis.port);
      await redisClient.call("FUNCTION", "LOAD", ECHO_LIBRARY);
      await redisClient.call("BGREWRITEAOF");
      await waitUntil(
        "the rewrite to end",
        async () => /aof_rewrite_in_progress:0/.test(await redisClient.info("persistence")),
        10_000,
      );
      await redisClient.call("FUNCTION", "LOAD", COUNTER_LIBRARY);
      const listed = await functionList(redisClient);
      redisClient.disconnect();
      await redis.stop();

      const spinel = await startSpinel({ dir, appendonly: "yes" });
      const client = await connectOnce(spinel.port);
      expect(await functionList(client)).toEqual(listed);
      await expectCountersWork(client, "hits");
      client.disconnect();
      await spinel.stop();
    }
  });
});

describe("functions and replication", () => {
  /** `replica` follows `primary` and has caught up with a full sync. */
  async function follow(replica: Redis, primary: TestServer): Promise<void> {
    await replica.call("REPLICAOF", "127.0.0.1", String(primary.port));
    await waitUntil(
      "the link",
      async () => /master_link_status:up/.test(await replica.info("replication")),
      15_000,
    );
  }

  it("a full sync carries the libraries (Spinel and redis-server primaries); FUNCTION commands follow in the stream", async () => {
    for (const primaryKind of ["spinel", "redis"]) {
      const primary =
        primaryKind === "spinel"
          ? await startSpinel({ dir: freshDir() })
          : await startRedis(["--dir", freshDir()]);
      const replicaServer = await startSpinel({ dir: freshDir() });
      const source = await connectOnce(primary.port);
      const replica = await connectOnce(replicaServer.port);
      await source.call("FUNCTION", "LOAD", COUNTER_LIBRARY);
      await source.set("hits", "7");
      // The replica's own library goes: the primary's replace it.
      await replica.call("FUNCTION", "LOAD", ECHO_LIBRARY);
      await follow(replica, primary);
      expect(await functionList(replica)).toEqual(await functionList(source));
      expect(await replica.call("FCALL_RO", "peek", "1", "hits")).toBe("7");

      await source.call("FUNCTION", "LOAD", ECHO_LIBRARY);
      await source.call("FUNCTION", "DELETE", "counters");
      const expected = await functionList(source);
      await waitUntil(
        "the libraries to follow",
        async () => JSON.stringify(await functionList(replica)) === JSON.stringify(expected),
        10_000,
      );
      const payload = (await source.callBuffer("FUNCTION", "DUMP")) as Buffer;
      await source.call("FUNCTION", "RESTORE", payload, "REPLACE");
      await source.call("FUNCTION", "FLUSH");
      await waitUntil(
        "FUNCTION FLUSH to follow",
        async () => JSON.stringify(await functionList(replica)) === "[]",
        10_000,
      );
      replica.disconnect();
      source.disconnect();
      await replicaServer.stop();
      await primary.stop();
    }
  });

  it("redis-server as a replica of Spinel receives the libraries", async () => {
    const primary = await startSpinel({ dir: freshDir() });
    const replicaServer = await startRedis(["--dir", freshDir()]);
    const source = await connectOnce(primary.port);
    const replica = await connectOnce(replicaServer.port);
    await source.call("FUNCTION", "LOAD", COUNTER_LIBRARY);
    await follow(replica, primary);
    expect(await functionList(replica)).toEqual(await functionList(source));
    await source.call("FUNCTION", "LOAD", ECHO_LIBRARY);
    await waitUntil(
      "the second library",
      async () => ((await functionList(replica)) as unknown[]).length === 2,
      10_000,
    );
    expect(await functionList(replica)).toEqual(await functionList(source));
    expect(await replica.call("FCALL_RO", "peek", "1", "nothing")).toBe(null);
    replica.disconnect();
    source.disconnect();
    await replicaServer.stop();
    await primary.stop();
  });
});
