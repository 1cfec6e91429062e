/*
 * Test support: a keyspace as plain data (per database, per key: type,
 * encoding, contents in a canonical order, expiry), so that two keyspaces can be
 * compared with one toEqual, and a seeded builder of keyspaces holding every
 * type and encoding.
 */

import {
  type Keyspace,
  ListEnd,
  RedisHash,
  RedisList,
  RedisSet,
  RedisString,
  type RedisValue,
  RedisZSet,
} from "@spinel/core-db";

/** One key as plain data. */
export interface KeyData {
  type: string;
  encoding: string;
  value: unknown;
  expireAt: number;
}

/** A value's contents in an order that does not depend on its encoding. */
export function valueData(value: RedisValue): unknown {
  switch (value.type) {
    case "string":
      return value.toBinaryString();
    case "list":
      return value.toArray().map((b) => b.toString("latin1"));
    case "hash": {
      const pairs: string[] = [];
      for (let i = 0; i < value.length; i++)
        pairs.push(`${value.fieldAt(i)}=${value.valueAt(i).toString("latin1")}`);
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

/** Every database's keys as plain data: [db][key]. */
export function datasetOf(keyspace: Keyspace): Record<string, KeyData>[] {
  return keyspace.databases.map((db) => {
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

/** A small deterministic generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random binary string of up to `max` bytes (sometimes an integer). */
export function randomText(random: () => number, max: number): string {
  const roll = random();
  if (roll < 0.2) return String(Math.floor(random() * 2 ** 40) - 2 ** 39);
  if (roll < 0.25) return String(Math.floor(random() * 200) - 100);
  const length = Math.floor(random() * (max + 1));
  let text = "";
  const alphabet = roll < 0.6 ? 4 : 256;
  for (let i = 0; i < length; i++)
    text += String.fromCharCode(alphabet === 4 ? 97 + Math.floor(random() * 4) : Math.floor(random() * 256));
  return text;
}

/**
 * Fill `keyspace` with `count` random keys per database in `dbs`: strings
 * (int, embstr, raw), lists, hashes, sets and sorted sets, small (compact
 * encodings) and large, some with a TTL in the future.
 */
export function fillRandom(
  keyspace: Keyspace,
  random: () => number,
  count: number,
  dbs: readonly number[] = [0],
): void {
  const limits = keyspace.limits;
  const now = Date.now();
  for (const dbIndex of dbs) {
    const db = keyspace.db(dbIndex);
    for (let i = 0; i < count; i++) {
      const key = `${randomText(random, 6)}:${i}`;
      const large = random() < 0.15;
      const size = large ? 130 + Math.floor(random() * 400) : 1 + Math.floor(random() * 12);
      const kind = Math.floor(random() * 6);
      let value: RedisValue;
      if (kind === 0) {
        value = RedisString.fromBytes(Buffer.from(randomText(random, large ? 5000 : 40), "latin1"));
      } else if (kind === 1) {
        const list = RedisList.create();
        for (let j = 0; j < size * (large ? 10 : 1); j++)
          list.push(Buffer.from(randomText(random, large ? 100 : 20), "latin1"), ListEnd.Tail);
        value = list;
      } else if (kind === 2) {
        const hash = new RedisHash();
        for (let j = 0; j < size; j++)
          hash.set(
            randomText(random, 10),
            Buffer.from(randomText(random, large && j === 0 ? 100 : 20), "latin1"),
            limits,
          );
        value = hash;
      } else if (kind === 3) {
        const set = new RedisSet();
        for (let j = 0; j < size * (large ? 2 : 1); j++)
          set.add(String(Math.floor(random() * 100000) - 50000), limits);
        value = set;
      } else if (kind === 4) {
        const set = new RedisSet();
        for (let j = 0; j < size; j++) set.add(randomText(random, 12), limits);
        value = set;
      } else {
        const members: string[] = [];
        const scores: number[] = [];
        const seen = new Set<string>();
        for (let j = 0; j < size; j++) {
          const member = randomText(random, 12);
          if (seen.has(member)) continue;
          seen.add(member);
          members.push(member);
          const r = random();
          scores.push(
            r < 0.3
              ? Math.floor(random() * 1000)
              : r < 0.35
                ? Number.POSITIVE_INFINITY
                : r < 0.4
                  ? -1e300
                  : (random() - 0.5) * 1e6,
          );
        }
        value = RedisZSet.fromEntries(members, scores, limits);
      }
      if (db.exists(key)) continue;
      const entry = db.add(key, value);
      if (random() < 0.3) db.setEntryExpire(entry, now + 1_000_000 + Math.floor(random() * 1e9));
    }
  }
}
