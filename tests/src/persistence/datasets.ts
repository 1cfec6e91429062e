/*
 * Datasets as plain data, from a running server (over TCP, with ioredis) or from
 * an in-process keyspace, in one shape so that they compare with one toEqual:
 * [db][key] -> type, OBJECT ENCODING, contents (binary-safe latin1 text, in an
 * order that does not depend on the encoding) and absolute expiry in ms (0 for
 * none). Also the populator that gives a server every type and encoding.
 */

import type { Keyspace, RedisValue } from "@spinel/core-db";
import type { Redis } from "ioredis";
import { chooser, generator } from "../support/seeded-random.js";

/** One key as plain data. */
export interface KeyData {
  type: string;
  encoding: string;
  value: unknown;
  expireAt: number;
}

export type Dataset = Record<string, KeyData>[];

const latin1 = (b: Buffer): string => b.toString("latin1");

function scoreOf(text: string): number {
  if (text === "inf") return Number.POSITIVE_INFINITY;
  if (text === "-inf") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** A value's contents as valueOfServer() reports them. */
export function valueData(value: RedisValue): unknown {
  switch (value.type) {
    case "string":
      return value.toBinaryString();
    case "list":
      return value.toArray().map(latin1);
    case "hash": {
      const pairs: string[] = [];
      for (let i = 0; i < value.length; i++) pairs.push(`${value.fieldAt(i)}=${latin1(value.valueAt(i))}`);
      return pairs.sort();
    }
    case "set": {
      const members: string[] = [];
      for (let i = 0; i < value.length; i++) members.push(value.memberAt(i));
      return members.sort();
    }
    case "zset": {
      const pairs: Array<[string, number]> = [];
      const cursor = value.cursor(0, false);
      while (cursor.next()) pairs.push([cursor.member, cursor.score]);
      return pairs;
    }
  }
}

/** The dataset of an in-process keyspace (expired keys not yet removed included). */
export function datasetOfKeyspace(keyspace: Keyspace, databases = 16): Dataset {
  return keyspace.databases.slice(0, databases).map((db) => {
    const keys: Record<string, KeyData> = {};
    for (const entry of db.entries()) {
      keys[entry.key] = {
        type: entry.value.type,
        encoding: entry.value.encoding,
        value: valueData(entry.value),
        expireAt: entry.expireAt,
      };
    }
    return keys;
  });
}

/** The dataset of a running server (Redis or Spinel), read with `client`; leaves db 0 selected. */
export async function datasetOfServer(client: Redis, databases = 16): Promise<Dataset> {
  const out: Dataset = [];
  for (let db = 0; db < databases; db++) {
    await client.select(db);
    const keys: Record<string, KeyData> = {};
    const names = (await client.callBuffer("KEYS", "*")) as Buffer[];
    for (const name of names) {
      const type = String(await client.call("TYPE", name));
      const encoding = String(await client.call("OBJECT", "ENCODING", name));
      const expireAt = Number(await client.call("PEXPIRETIME", name));
      let value: unknown;
      if (type === "string") value = latin1((await client.callBuffer("GET", name)) as Buffer);
      else if (type === "list")
        value = ((await client.callBuffer("LRANGE", name, "0", "-1")) as Buffer[]).map(latin1);
      else if (type === "hash") {
        const flat = (await client.callBuffer("HGETALL", name)) as Buffer[];
        const pairs: string[] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push(`${latin1(flat[i]!)}=${latin1(flat[i + 1]!)}`);
        value = pairs.sort();
      } else if (type === "set")
        value = ((await client.callBuffer("SMEMBERS", name)) as Buffer[]).map(latin1).sort();
      else if (type === "zset") {
        const flat = (await client.callBuffer("ZRANGE", name, "0", "-1", "WITHSCORES")) as Buffer[];
        const pairs: Array<[string, number]> = [];
        for (let i = 0; i < flat.length; i += 2)
          pairs.push([latin1(flat[i]!), scoreOf(latin1(flat[i + 1]!))]);
        value = pairs;
      } else value = `unsupported type ${type}`;
      keys[latin1(name)] = { type, encoding, value, expireAt: expireAt > 0 ? expireAt : 0 };
    }
    out.push(keys);
  }
  await client.select(0);
  return out;
}

/** A random binary-safe string of up to `max` bytes (sometimes an integer). */
function text(pick: ReturnType<typeof chooser>, max: number): Buffer {
  const roll = pick.random();
  if (roll < 0.15) return Buffer.from(String(pick.int(-1000, 100000)));
  if (roll < 0.2)
    return Buffer.from(String(BigInt(pick.int(1, 2 ** 30)) * BigInt(pick.int(1, 2 ** 30)) * 7n));
  const length = pick.int(0, max);
  const bytes = Buffer.alloc(length);
  const binary = roll > 0.8;
  for (let i = 0; i < length; i++) bytes[i] = binary ? pick.int(0, 255) : 97 + pick.int(0, 5);
  return bytes;
}

/**
 * Give a server (redis-server or Spinel) keys of every type and encoding, small
 * and large, compressible and not, some with a TTL, in databases 0, 5 and 15.
 * Deterministic for a seed. Returns the number of keys written.
 */
export async function populate(client: Redis, seed: number): Promise<number> {
  const pick = chooser(generator(seed));
  let keys = 0;
  for (const db of [0, 5, 15]) {
    await client.select(db);
    const p = client.pipeline();
    // Strings: int-encoded (32- and 64-bit), embstr, raw, long compressible and not, binary.
    p.set("int:small", "42");
    p.set("int:neg", "-2147483648");
    p.set("int:big", "9223372036854775807");
    p.set("int:min", "-9223372036854775808");
    p.set("str:leading-zero", "0123");
    p.set("str:embstr", "hello world");
    p.set("str:raw", Buffer.alloc(100, "xyz"));
    p.set("str:compressible", Buffer.alloc(100_000, "abcdefgh"));
    p.set("str:random", text(pick, 3000));
    p.set(Buffer.from([0, 13, 10, 255]), Buffer.from([1, 0, 13, 10]));
    p.append("str:appended", "grown");
    p.set("str:float", "3.14");
    p.set("str:empty", "");
    keys += 13;
    // Lists: small, long (many nodes), with integers, with elements over 8 KB.
    p.rpush("list:small", "a", "1", "-5", "300", "70000", "-4294967296", "b");
    const long: Buffer[] = [];
    for (let i = 0; i < 5000; i++) long.push(text(pick, 40));
    p.rpush("list:long", ...long);
    p.rpush("list:huge-elements", Buffer.alloc(9000, "q"), "small", Buffer.alloc(20000, "r"));
    keys += 3;
    // Hashes: listpack, hashtable by count, hashtable by value size.
    p.hset("hash:small", "f1", "v1", "n", "12", "neg", "-7", "bin", Buffer.from([0, 1, 2]));
    const fields: Buffer[] = [];
    for (let i = 0; i < 300; i++) fields.push(Buffer.from(`field:${i}`), text(pick, 30));
    p.hset("hash:many", ...fields);
    p.hset("hash:long-value", "f", Buffer.alloc(100, "v"));
    keys += 3;
    // Sets: intset (16/32/64-bit), hashtable by members, hashtable by count.
    p.sadd("set:int16", "1", "2", "3", "-100");
    p.sadd("set:int64", "1", "9223372036854775807", "-9223372036854775808");
    p.sadd("set:strings", "a", "b", "c", Buffer.from([0, 255]));
    const ints: string[] = [];
    for (let i = 0; i < 600; i++) ints.push(String(i * 7));
    p.sadd("set:big-intset", ...ints);
    keys += 4;
    // Sorted sets: listpack (integer, fractional, infinite scores), skiplist.
    p.zadd("zset:small", "1", "a", "2.5", "b", "-3", "c", "inf", "d", "-inf", "e", "1e300", "f", "0.1", "g");
    const members: string[] = [];
    for (let i = 0; i < 300; i++) members.push(String(pick.int(-1e6, 1e6) / 7), `member:${i}`);
    p.zadd("zset:large", ...members);
    p.zadd("zset:long-member", "1", "m".repeat(100));
    keys += 3;
    // TTLs far in the future, on several types.
    const at = Date.now() + 3_600_000 + pick.int(0, 1_000_000);
    p.pexpireat("str:embstr", at);
    p.pexpireat("list:small", at + 1);
    p.pexpireat("hash:many", at + 2);
    p.pexpireat("set:int16", at + 3);
    p.pexpireat("zset:large", at + 4);
    // Random extra keys.
    for (let i = 0; i < 50; i++) {
      p.set(`random:${db}:${i}`, text(pick, 200));
      keys++;
    }
    await p.exec();
  }
  await client.select(0);
  return keys;
}
