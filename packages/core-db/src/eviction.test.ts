import { describe, expect, it } from "vitest";
import {
  EventClass,
  EvictionPolicy,
  EvictionResult,
  EvictionState,
  evictionPolicyByName,
  evictionTimeLimitMs,
  Keyspace,
  type KeyspaceHooks,
  performEvictions,
  RedisString,
} from "./index.js";

/** A keyspace on a manual clock with `count` 100-byte string keys per prefix. */
function filled(prefixes: string[], count: number, events: string[] = []) {
  let now = 1_700_000_000_000;
  const hooks: KeyspaceHooks = {
    keyModified() {},
    databaseModified() {},
    keyspaceEvent(_cls, event, key) {
      if (event === "evicted") events.push(key);
    },
    keyExpired() {},
  };
  const keyspace = new Keyspace({ databases: 4, clock: { now: () => now }, hooks });
  const db = keyspace.db(0);
  for (const prefix of prefixes) {
    for (let i = 0; i < count; i++) {
      const key = `${prefix}${i}`;
      db.set(key, RedisString.fromBytes(Buffer.alloc(100, 1)));
      db.touched(key, "set", EventClass.String);
    }
  }
  return {
    keyspace,
    db,
    advance(ms: number) {
      now += ms;
    },
  };
}

function evictTo(keyspace: Keyspace, policy: EvictionPolicy, maxmemory: number, evicted: string[] = []) {
  return performEvictions(keyspace, new EvictionState(), {
    policy,
    maxmemory,
    overhead: 0,
    samples: 10,
    tenacity: 100,
    onEvicted: (_db, key) => evicted.push(key),
  });
}

function countPrefix(keys: readonly { key: string }[], prefix: string): number {
  return keys.filter((entry) => entry.key.startsWith(prefix)).length;
}

describe("performEvictions", () => {
  it("does nothing under the limit or without one; noeviction fails over it", () => {
    const { keyspace, db } = filled(["k:"], 100);
    expect(evictTo(keyspace, EvictionPolicy.AllKeysLru, 0)).toBe(EvictionResult.Ok);
    expect(evictTo(keyspace, EvictionPolicy.AllKeysLru, keyspace.usedMemory)).toBe(EvictionResult.Ok);
    expect(evictTo(keyspace, EvictionPolicy.NoEviction, keyspace.usedMemory - 1)).toBe(EvictionResult.Fail);
    expect(db.size).toBe(100);
  });

  it("allkeys-lru evicts the keys idle longest, reports each and fires `evicted`", () => {
    const events: string[] = [];
    const { keyspace, db, advance } = filled(["old:", "new:"], 200, events);
    advance(5_000);
    for (let i = 0; i < 200; i++) db.lookupRead(`new:${i}`);
    const evicted: string[] = [];
    // What 40% of the keys hold (the table's columns keep their capacity).
    const keyBytes = db.entries().reduce((sum, entry) => sum + entry.accounted, 0);
    const target = keyspace.usedMemory - keyBytes * 0.4;
    expect(evictTo(keyspace, EvictionPolicy.AllKeysLru, target, evicted)).toBe(EvictionResult.Ok);
    expect(keyspace.usedMemory).toBeLessThanOrEqual(target);
    expect(evicted.length).toBeGreaterThan(150);
    expect(events).toEqual(evicted);
    expect(countPrefix(db.entries(), "new:")).toBe(200);
  });

  it("allkeys-lfu keeps the keys read often", () => {
    const { keyspace, db } = filled(["cold:", "hot:"], 200);
    keyspace.lfuMode = true;
    for (const entry of db.entries()) entry.lru = keyspace.initialLru();
    for (let round = 0; round < 20; round++) for (let i = 0; i < 200; i++) db.lookupRead(`hot:${i}`);
    // Evict what 45% of the keys hold (the table's columns keep their capacity).
    const keyBytes = db.entries().reduce((sum, entry) => sum + entry.accounted, 0);
    evictTo(keyspace, EvictionPolicy.AllKeysLfu, keyspace.usedMemory - keyBytes * 0.45);
    // Sampled, as in Redis: near the end a sample may hold no cold key at all.
    expect(countPrefix(db.entries(), "hot:")).toBeGreaterThanOrEqual(190);
    expect(countPrefix(db.entries(), "cold:")).toBeLessThan(40);
  });

  it("volatile-ttl evicts the nearest deadlines first and never a key without a TTL", () => {
    const { keyspace, db } = filled(["keep:", "ttl:"], 200);
    for (let i = 0; i < 200; i++) db.setExpire(`ttl:${i}`, keyspace.now + 1_000_000 + i * 1000);
    const empty = new Keyspace({ databases: 4 }).usedMemory;
    const result = evictTo(
      keyspace,
      EvictionPolicy.VolatileTtl,
      empty + (keyspace.usedMemory - empty) * 0.75,
    );
    expect(result).toBe(EvictionResult.Ok);
    expect(countPrefix(db.entries(), "keep:")).toBe(200);
    const left = db
      .entries()
      .filter((entry) => entry.key.startsWith("ttl:"))
      .map((entry) => Number(entry.key.slice(4)));
    expect(left.length).toBeGreaterThan(50);
    expect(left.length).toBeLessThan(150);
    // With 10 samples and a pool of 16, the survivors are the later deadlines.
    expect(Math.min(...left)).toBeGreaterThan(40);
  });

  it("volatile-* fails when no key has a TTL; random policies evict across databases", () => {
    const { keyspace } = filled(["k:"], 100);
    keyspace.db(2).set("other", RedisString.fromBytes(Buffer.alloc(1000)));
    for (const policy of [
      EvictionPolicy.VolatileLru,
      EvictionPolicy.VolatileLfu,
      EvictionPolicy.VolatileRandom,
    ]) {
      expect(evictTo(keyspace, policy, keyspace.usedMemory - 1)).toBe(EvictionResult.Fail);
    }
    const evicted: string[] = [];
    expect(evictTo(keyspace, EvictionPolicy.AllKeysRandom, 1, evicted)).toBe(EvictionResult.Fail);
    expect(evicted).toContain("other");
    expect(keyspace.totalKeys).toBe(0);
  });

  it("a call stops on its time budget with Running", () => {
    const { keyspace } = filled(["k:"], 20_000);
    const result = performEvictions(keyspace, new EvictionState(), {
      policy: EvictionPolicy.AllKeysLru,
      maxmemory: 1,
      overhead: 0,
      samples: 5,
      tenacity: 0,
      onEvicted() {},
    });
    expect(result).toBe(EvictionResult.Running);
    expect(keyspace.totalKeys).toBeGreaterThan(0);
  });

  it("names and time limits follow Redis", () => {
    expect(evictionPolicyByName("volatile-ttl")).toBe(EvictionPolicy.VolatileTtl);
    expect(evictionPolicyByName("allkeys-lfu")).toBe(EvictionPolicy.AllKeysLfu);
    expect(evictionTimeLimitMs(10)).toBeCloseTo(0.5);
    expect(evictionTimeLimitMs(11)).toBeCloseTo(0.575);
    expect(evictionTimeLimitMs(100)).toBe(Number.POSITIVE_INFINITY);
  });
});
