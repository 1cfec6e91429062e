import { describe, expect, it } from "vitest";
import {
  EventClass,
  estimateIdleTime,
  Keyspace,
  LFU_INIT_VAL,
  ListEnd,
  lfuDecayedCounter,
  lfuLogIncrement,
  lfuMinutes,
  lruClock,
  RedisHash,
  RedisList,
  RedisSet,
  RedisString,
  RedisZSet,
  ZAddOutcome,
} from "./index.js";

/**
 * The running total is up to date when recomputing every key's footprint from
 * its value changes nothing. Returns the total.
 */
function expectUpToDate(keyspace: Keyspace): number {
  const before = keyspace.usedMemory;
  for (const db of keyspace.databases) for (const entry of db.entries()) db.account(entry);
  expect(keyspace.usedMemory).toBe(before);
  return before;
}

describe("running memory total", () => {
  it("follows writes, in-place edits, TTLs, deletions, flushes and swaps", () => {
    let now = 1_000_000;
    const keyspace = new Keyspace({ databases: 2, clock: { now: () => now } });
    const empty = keyspace.usedMemory;
    const db = keyspace.db(0);
    const limits = keyspace.limits;

    db.set("s", RedisString.fromBytes(Buffer.from("hello")));
    db.touched("s", "set", EventClass.String);
    const afterString = keyspace.usedMemory;
    expect(afterString).toBeGreaterThan(empty);

    // APPEND in place: the epilogue picks up the grown storage.
    (db.lookupWrite("s") as RedisString).append(Buffer.alloc(10_000, 1));
    db.touched("s", "append", EventClass.String);
    expect(keyspace.usedMemory).toBeGreaterThan(afterString + 10_000);

    const hash = new RedisHash();
    db.add("h", hash);
    for (let i = 0; i < 100; i++) hash.set(`f${i}`, Buffer.alloc(100, 2), limits);
    db.touched("h", "hset", EventClass.Hash);
    const withHash = keyspace.usedMemory;
    for (let i = 0; i < 50; i++) hash.delete(`f${i}`);
    db.touched("h", "hdel", EventClass.Hash);
    expect(keyspace.usedMemory).toBeLessThan(withHash - 50 * 100);

    const set = new RedisSet();
    db.add("set", set);
    set.add("1", limits);
    set.add("x", limits);
    db.touched("set", "sadd", EventClass.Set);
    const zset = new RedisZSet();
    db.add("z", zset);
    for (let i = 0; i < 200; i++) zset.add(`m${i}`, i, 0, limits, new ZAddOutcome());
    zset.removeRankRange(0, 99);
    db.touched("z", "zadd", EventClass.ZSet);
    const list = RedisList.create();
    db.add("l", list);
    for (let i = 0; i < 3000; i++) list.push(Buffer.from(`e${i}`), ListEnd.Tail);
    db.touched("l", "rpush", EventClass.List);

    // TTLs cost their list's capacity: it grows with many and shrinks back when they go.
    for (let i = 0; i < 100; i++) db.set(`t${i}`, RedisString.fromInteger(i));
    const beforeTtl = keyspace.usedMemory;
    for (let i = 0; i < 100; i++) db.setExpire(`t${i}`, now + 1000);
    expect(keyspace.usedMemory).toBeGreaterThan(beforeTtl + 100 * 8);
    for (let i = 0; i < 100; i++) db.persist(`t${i}`);
    expect(keyspace.usedMemory).toBe(beforeTtl);
    for (let i = 0; i < 100; i++) db.delete(`t${i}`);

    keyspace.swap(0, 1);
    expect(keyspace.db(1).usedMemory).toBeGreaterThan(keyspace.db(0).usedMemory);
    expectUpToDate(keyspace);

    // Lazy expiry gives the memory back.
    keyspace.db(1).setExpire("z", now + 10);
    now += 20;
    expect(keyspace.db(1).exists("z")).toBe(false);
    expectUpToDate(keyspace);

    for (const key of ["s", "h", "set", "l"]) keyspace.db(1).delete(key);
    expect(keyspace.usedMemory).toBe(empty);
    keyspace.db(1).set("again", RedisString.fromInteger(5));
    keyspace.db(1).flush();
    expect(keyspace.usedMemory).toBe(empty);
  });

  it("MEMORY USAGE style per-key figure: entry.accounted grows with the value", () => {
    const keyspace = new Keyspace({ databases: 1 });
    const db = keyspace.db(0);
    const small = db.add("a", RedisString.fromBytes(Buffer.from("x")));
    const big = db.add("b", RedisString.fromBytes(Buffer.alloc(100_000)));
    expect(small.accounted).toBeGreaterThan(40);
    expect(small.accounted).toBeLessThan(400);
    expect(big.accounted).toBeGreaterThan(100_000);
    expect(big.accounted).toBeLessThan(101_000);
  });
});

describe("LRU clock and LFU counter (Redis' arithmetic)", () => {
  it("idle time in seconds resolution, across the 24-bit wrap", () => {
    const now = 1_700_000_000_123;
    expect(estimateIdleTime(lruClock(now - 5_000), now)).toBe(5_000);
    const wrapped = (lruClock(now) + 10) & 0xffffff; // 10 s "in the future": a wrap-around
    expect(estimateIdleTime(wrapped, now)).toBe((0xffffff - 10) * 1000);
  });

  it("the counter decays one per lfu-decay-time minutes and never below 0", () => {
    const now = 1_700_000_000_000;
    const lru = (lfuMinutes(now - 3 * 60_000) << 8) | 10;
    expect(lfuDecayedCounter(lru, now, 1)).toBe(7);
    expect(lfuDecayedCounter(lru, now, 2)).toBe(9);
    expect(lfuDecayedCounter(lru, now, 0)).toBe(10);
    expect(lfuDecayedCounter((lfuMinutes(now - 3600_000) << 8) | 10, now, 1)).toBe(0);
  });

  it("the logarithmic increment saturates: 255 stays, high counters rarely move", () => {
    expect(lfuLogIncrement(255, 10)).toBe(255);
    expect(lfuLogIncrement(LFU_INIT_VAL, 10)).toBe(LFU_INIT_VAL + 1); // base 0: probability 1
    let counter = LFU_INIT_VAL;
    for (let i = 0; i < 1000; i++) counter = lfuLogIncrement(counter, 10);
    // 1000 hits with factor 10 reach about 18 (Redis' table: 100 hits -> 10ish, 1K -> 18).
    expect(counter).toBeGreaterThan(12);
    expect(counter).toBeLessThan(30);
  });

  it("accesses refresh the LRU clock or feed the LFU counter; no-touch leaves them", () => {
    let now = 1_700_000_000_000;
    const keyspace = new Keyspace({ databases: 1, clock: { now: () => now } });
    const db = keyspace.db(0);
    const entry = db.add("k", RedisString.fromInteger(1));
    now += 7_000;
    keyspace.noTouch = true;
    db.lookupRead("k");
    expect(estimateIdleTime(entry.lru, now)).toBe(7_000);
    keyspace.noTouch = false;
    db.lookupRead("k");
    expect(estimateIdleTime(entry.lru, now)).toBe(0);

    keyspace.lfuMode = true;
    const hot = db.add("hot", RedisString.fromInteger(1));
    expect(hot.lru & 255).toBe(LFU_INIT_VAL);
    for (let i = 0; i < 200; i++) db.lookupRead("hot");
    expect(hot.lru & 255).toBeGreaterThan(LFU_INIT_VAL + 3);
  });
});
