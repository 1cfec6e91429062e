/*
 * Out of memory with nothing to evict (maxmemory-policy noeviction, maxmemory
 * far below the data), compared byte for byte with redis-server 7.0: every
 * denyoom command family gets the OOM error and changes nothing, reads and
 * deletions still work, and MULTI/EXEC aborts the way Redis does.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

type Argv = readonly string[];

/** A keyspace with every type, the setup of each comparison. */
const SEED: Argv[] = [
  ["SET", "s", "hello"],
  ["SET", "n", "10"],
  ["RPUSH", "l", "a", "b", "c"],
  ["HSET", "h", "f1", "v1", "f2", "v2"],
  ["SADD", "set", "x", "y"],
  ["SADD", "set2", "y", "z"],
  ["ZADD", "z", "1", "a", "2", "b"],
  ["ZADD", "z2", "3", "c"],
  ["SET", "bits", "\x0f"],
];

/** Commands that add data (denyoom in Redis 7.0), per family. */
const DENYOOM: Argv[] = [
  ["SET", "s", "other"],
  ["SET", "new", "v"],
  ["SETNX", "new", "v"],
  ["SETEX", "new", "100", "v"],
  ["PSETEX", "new", "100000", "v"],
  ["MSET", "new", "v", "s", "w"],
  ["MSETNX", "new", "v"],
  ["APPEND", "s", "more"],
  ["SETRANGE", "s", "2", "XY"],
  ["INCR", "n"],
  ["INCRBY", "n", "5"],
  ["DECR", "n"],
  ["DECRBY", "n", "5"],
  ["INCRBYFLOAT", "n", "1.5"],
  ["GETSET", "s", "v"],
  ["LPUSH", "l", "z"],
  ["RPUSH", "new", "z"],
  ["LPUSHX", "l", "z"],
  ["RPUSHX", "l", "z"],
  ["LINSERT", "l", "BEFORE", "b", "q"],
  ["LSET", "l", "0", "q"],
  ["LMOVE", "l", "l2", "LEFT", "RIGHT"],
  ["RPOPLPUSH", "l", "l2"],
  ["HSET", "h", "f3", "v3"],
  ["HSETNX", "h", "f3", "v3"],
  ["HMSET", "h", "f1", "x"],
  ["HINCRBY", "h", "c", "1"],
  ["HINCRBYFLOAT", "h", "c", "1.5"],
  ["SADD", "set", "w"],
  ["SUNIONSTORE", "dst", "set", "set2"],
  ["SINTERSTORE", "dst", "set", "set2"],
  ["SDIFFSTORE", "dst", "set", "set2"],
  ["ZADD", "z", "3", "c"],
  ["ZINCRBY", "z", "1", "a"],
  ["ZUNIONSTORE", "dst", "2", "z", "z2"],
  ["ZINTERSTORE", "dst", "2", "z", "z2"],
  ["ZDIFFSTORE", "dst", "2", "z", "z2"],
  ["ZRANGESTORE", "dst", "z", "0", "-1"],
  ["SETBIT", "bits", "100", "1"],
  ["BITOP", "OR", "dst", "bits", "s"],
  ["BITFIELD", "bits", "SET", "u8", "0", "255"],
  ["SORT", "l", "ALPHA", "STORE", "dst"],
  ["COPY", "s", "copy"],
];

/** Commands that take nothing or read: they still run under OOM. */
const ALLOWED: Argv[] = [
  ["GET", "s"],
  ["LRANGE", "l", "0", "-1"],
  ["HGETALL", "h"],
  ["SMISMEMBER", "set", "x", "y"],
  ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
  ["GETBIT", "bits", "4"],
  ["EXISTS", "s", "nope"],
  ["TTL", "s"],
  ["EXPIRE", "s", "1000"],
  ["PERSIST", "s"],
  ["LPOP", "l"],
  ["HDEL", "h", "f2"],
  ["SREM", "set", "x"],
  ["ZREM", "z", "b"],
  ["DEL", "n"],
  ["GETDEL", "set2"],
  ["UNLINK", "z2"],
  ["DBSIZE"],
];

/** What the keyspace holds, read with commands that allocate nothing in it. */
const SNAPSHOT: Argv[] = [
  ["DBSIZE"],
  ["GET", "s"],
  ["GET", "n"],
  ["LRANGE", "l", "0", "-1"],
  ["HGETALL", "h"],
  ["SMISMEMBER", "set", "w", "x", "y", "z"],
  ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
  ["GET", "bits"],
  ["EXISTS", "new", "dst", "copy", "l2"],
];

let servers: TestServer[] = [];
let clients: RawClient[] = [];
let admins: RawClient[] = [];

beforeAll(async () => {
  servers = await Promise.all([startRedis(), startSpinel()]);
  clients = await Promise.all(servers.map((s) => RawClient.connect(s.port)));
  admins = await Promise.all(servers.map((s) => RawClient.connect(s.port)));
});
afterAll(async () => {
  for (const c of [...clients, ...admins]) c.close();
  await Promise.all(servers.map((s) => s.stop()));
});

/** Run `argv`s in order through `client`; the raw replies as text. */
async function run(client: RawClient, steps: readonly Argv[]): Promise<string[]> {
  const replies: string[] = [];
  for (const argv of steps) replies.push((await client.call(...argv)).toString("latin1"));
  return replies;
}

/** Flush, seed, then set a limit far below the data (noeviction: nothing can go). */
async function seedThenOom(index: number): Promise<void> {
  const admin = admins[index]!;
  await admin.call("CONFIG", "SET", "maxmemory", "0");
  await admin.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
  await admin.call("FLUSHALL");
  await run(admin, SEED);
  await admin.call("CONFIG", "SET", "maxmemory", "1");
}

async function lift(index: number): Promise<void> {
  await admins[index]!.call("CONFIG", "SET", "maxmemory", "0");
}

/** The same script on redis-server (index 0) and Spinel (index 1). */
async function onBoth(
  script: (index: number) => Promise<string[]>,
): Promise<{ redis: string[]; spinel: string[] }> {
  const redis = await script(0);
  const spinel = await script(1);
  return { redis, spinel };
}

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

describe("OOM with nothing to evict", () => {
  it("every denyoom command family is refused and the keyspace is unchanged", async () => {
    const results = await onBoth(async (index) => {
      await seedThenOom(index);
      const before = await run(clients[index]!, SNAPSHOT);
      const refused = await run(clients[index]!, DENYOOM);
      const after = await run(clients[index]!, SNAPSHOT);
      await lift(index);
      expect(after).toEqual(before);
      return refused;
    });
    expect(results.spinel).toEqual(DENYOOM.map(() => OOM));
    expect(results.spinel).toEqual(results.redis);
  });

  it("reads, deletions and TTL changes still work", async () => {
    const results = await onBoth(async (index) => {
      await seedThenOom(index);
      const replies = await run(clients[index]!, [...ALLOWED, ...SNAPSHOT]);
      await lift(index);
      return replies;
    });
    expect(results.spinel.some((reply) => reply.startsWith("-OOM"))).toBe(false);
    expect(results.spinel).toEqual(results.redis);
  });

  it("MULTI under OOM: queuing is refused, EXEC aborts; DISCARD works", async () => {
    const results = await onBoth(async (index) => {
      await seedThenOom(index);
      const replies = await run(clients[index]!, [
        ["MULTI"],
        ["SET", "s", "x"],
        ["GET", "s"],
        ["EXEC"],
        ["MULTI"],
        ["GET", "s"],
        ["DISCARD"],
        ["GET", "s"],
      ]);
      await lift(index);
      return replies;
    });
    expect(results.spinel[1]).toBe(OOM);
    expect(results.spinel[3]).toMatch(/^-EXECABORT/);
    expect(results.spinel).toEqual(results.redis);
  });

  it("EXEC of a queued write is refused when memory ran out after queuing", async () => {
    const results = await onBoth(async (index) => {
      await lift(index);
      await admins[index]!.call("FLUSHALL");
      await run(admins[index]!, SEED);
      const client = clients[index]!;
      const replies = await run(client, [["MULTI"], ["SET", "s", "x"], ["INCR", "n"]]);
      await admins[index]!.call("CONFIG", "SET", "maxmemory", "1");
      replies.push(...(await run(client, [["EXEC"], ["GET", "s"], ["GET", "n"]])));
      // A transaction of reads only still runs.
      replies.push(...(await run(client, [["MULTI"], ["GET", "s"], ["DEL", "n"], ["EXEC"]])));
      await lift(index);
      return replies;
    });
    expect(results.spinel[3]).toBe(
      "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n",
    );
    expect(results.spinel).toEqual(results.redis);
  });
});
