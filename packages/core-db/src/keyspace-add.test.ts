/*
 * Database.addNew, the loaders' insert: one Map operation per key, a duplicate
 * reported as null with the database left exactly as it was.
 */

import { describe, expect, it } from "vitest";
import { Keyspace } from "./keyspace.js";
import { RedisString } from "./types/string.js";

const text = (value: string) => RedisString.fromBytes(Buffer.from(value));

describe("Database.addNew", () => {
  it("adds missing keys like add()", () => {
    const db = new Keyspace().db(0);
    const entry = db.addNew("a", text("1"));
    expect(entry?.key).toBe("a");
    expect(db.size).toBe(1);
    expect(db.peekEntry("a")?.slot).toBe(entry?.slot);
    expect(db.usedMemory).toBeGreaterThan(0);
  });

  it("returns null for a key that exists and leaves the database unchanged", () => {
    const db = new Keyspace().db(0);
    for (let i = 0; i < 50; i++) db.add(`k${i}`, text(`v${i}`));
    const before = db.peekEntry("k17")!.value;
    const memory = db.usedMemory;
    const order = db.entries().map((entry) => entry.key);
    expect(db.addNew("k17", text("other"))).toBeNull();
    expect(db.peekEntry("k17")!.value).toEqual(before);
    expect(db.size).toBe(50);
    expect(db.usedMemory).toBe(memory);
    expect(db.entries().map((entry) => entry.key)).toEqual(order);
    expect(db.delete("k17")).toBe(true);
    expect(db.peekEntry("k17")).toBeUndefined();
    expect(db.size).toBe(49);
  });
});
