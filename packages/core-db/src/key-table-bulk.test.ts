/*
 * Bulk loading into a database (Database.appendLoaded / indexLoaded, over
 * KeyTable.appendUnindexed / indexPending): keys appended unindexed are found
 * once indexed, alongside keys that were there before, with their values,
 * deadlines and memory accounting; a name appended twice is reported.
 */

import { describe, expect, it } from "vitest";
import { Keyspace, RedisString } from "./index.js";

const read = (value: unknown) => (value as RedisString).toBinaryString();

describe("bulk loading a database", () => {
  it("finds every appended key once indexed, next to the keys added before, with deadlines", () => {
    const keyspace = new Keyspace();
    const db = keyspace.db(0);
    for (let i = 0; i < 50; i++) db.add(`before:${i}`, RedisString.fromBytes(Buffer.from(`b${i}`)));
    db.reserve(20_000);
    for (let i = 0; i < 20_000; i++)
      db.appendLoaded(`loaded:${i}`, `v${i}`, i % 7 === 0 ? 4_000_000_000_000 + i : 0);
    expect(db.indexLoaded()).toBeNull();
    expect(db.size).toBe(20_050);
    for (let i = 0; i < 50; i++) expect(read(db.lookupRead(`before:${i}`))).toBe(`b${i}`);
    for (let i = 0; i < 20_000; i++) {
      expect(read(db.lookupRead(`loaded:${i}`))).toBe(`v${i}`);
      expect(db.getExpire(`loaded:${i}`)).toBe(i % 7 === 0 ? 4_000_000_000_000 + i : 0);
    }
    expect(db.exists("loaded:20000")).toBe(false);
    expect(db.volatileCount).toBe(Math.ceil(20_000 / 7));
  });

  it("a second RESIZEDB in the middle of a load grows the index without placing the pending keys twice", () => {
    const db = new Keyspace().db(0);
    db.reserve(10);
    for (let i = 0; i < 1000; i++) db.appendLoaded(`first:${i}`, `v${i}`, 0);
    db.reserve(50_000);
    for (let i = 0; i < 1000; i++) db.appendLoaded(`second:${i}`, `w${i}`, 0);
    // No key is there twice: a pending key placed early would be reported as a duplicate of itself.
    expect(db.indexLoaded()).toBeNull();
    expect(db.size).toBe(2000);
    for (let i = 0; i < 1000; i++) {
      expect(read(db.lookupRead(`first:${i}`))).toBe(`v${i}`);
      expect(read(db.lookupRead(`second:${i}`))).toBe(`w${i}`);
    }
  });

  it("accounts the loaded keys as adding them one by one does", () => {
    const bulk = new Keyspace().db(0);
    const single = new Keyspace().db(0);
    for (let i = 0; i < 5000; i++) {
      bulk.appendLoaded(`key:${i}`, i % 2 === 0 ? i : `text-${i}`, 0);
      single.add(
        `key:${i}`,
        i % 2 === 0 ? RedisString.fromInteger(i) : RedisString.fromBytes(Buffer.from(`text-${i}`)),
      );
    }
    expect(bulk.indexLoaded()).toBeNull();
    expect(bulk.usedMemory).toBe(single.usedMemory);
  });

  it("reports a name appended twice, or appended when it was there before", () => {
    const twice = new Keyspace().db(0);
    for (let i = 0; i < 3000; i++) twice.appendLoaded(`key:${i}`, "v", 0);
    twice.appendLoaded("key:1234", "again", 0);
    expect(twice.indexLoaded()).toBe("key:1234");

    const before = new Keyspace().db(0);
    before.add("old", RedisString.fromBytes(Buffer.from("x")));
    for (let i = 0; i < 100; i++) before.appendLoaded(`key:${i}`, "v", 0);
    before.appendLoaded("old", "again", 0);
    expect(before.indexLoaded()).toBe("old");
  });
});
