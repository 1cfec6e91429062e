/*
 * The column table behind each database (key-table.ts) through the Database
 * API: a property test against a plain Map model, handles that outlive a
 * removal of another key, SCAN and a snapshot-style walk while keys are
 * deleted and written, and the spread of the hash.
 */

import { describe, expect, it } from "vitest";
import { EventClass, Keyspace, RedisString, type SnapshotObserver } from "./index.js";
import { hashKey, KeyTable } from "./key-table.js";

const text = (value: string) => RedisString.fromBytes(Buffer.from(value, "latin1"));
const read = (value: unknown) => (value as RedisString).toBinaryString();

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every key of `db` by a full SCAN iteration. */
function scanAll(db: ReturnType<Keyspace["db"]>, count = 7): Set<string> {
  const seen = new Set<string>();
  let cursor = 0;
  for (let steps = 0; steps < 1_000_000; steps++) {
    cursor = db.scan(cursor, count, (entry) => seen.add(entry.key));
    if (cursor === 0) break;
  }
  return seen;
}

describe("KeyTable through Database: property test against a Map model", () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`random set / delete / expire / persist / rename / flush, seed ${seed}`, { timeout: 60_000 }, () => {
      let now = 1_000_000;
      const keyspace = new Keyspace({ databases: 1, clock: { now: () => now } });
      const db = keyspace.db(0);
      const random = generator(seed);
      const model = new Map<string, { value: string; expireAt: number }>();
      const keyName = () => `k:${Math.floor(random() * 600)}`;
      const live = (key: string) => {
        const item = model.get(key);
        if (item !== undefined && item.expireAt !== 0 && item.expireAt <= now) {
          model.delete(key);
          return undefined;
        }
        return item;
      };

      for (let step = 0; step < 8_000; step++) {
        const roll = random();
        const key = keyName();
        if (roll < 0.4) {
          const value = `v${step}`;
          db.set(key, text(value));
          db.touched(key, "set", EventClass.String);
          model.set(key, { value, expireAt: 0 });
        } else if (roll < 0.6) {
          live(key);
          expect(db.delete(key)).toBe(model.delete(key));
        } else if (roll < 0.7) {
          const item = live(key);
          const entry = db.lookupWriteEntry(key);
          expect(entry !== undefined).toBe(item !== undefined);
          if (entry !== undefined && item !== undefined) {
            item.expireAt = now + 1 + Math.floor(random() * 50);
            db.setEntryExpire(entry, item.expireAt);
          }
        } else if (roll < 0.75) {
          const item = live(key);
          expect(db.persist(key)).toBe(item !== undefined && item.expireAt !== 0);
          if (item !== undefined) item.expireAt = 0;
        } else if (roll < 0.85) {
          // RENAME key other: delete the destination, add it, delete the source.
          const other = keyName();
          const item = live(key);
          live(other);
          const value = db.lookupWrite(key);
          expect(value === undefined).toBe(item === undefined);
          if (value !== undefined && item !== undefined && other !== key) {
            const source = db.peekEntry(key)!;
            const deadline = source.expireAt;
            db.delete(other);
            const added = db.add(other, value);
            if (deadline !== 0) db.setEntryExpire(added, deadline);
            db.delete(key);
            // The source handle's key is gone: it must not read another key's data.
            expect(source.slot).toBe(-1);
            expect(() => source.value).toThrow();
            db.touched(other, "rename_to", EventClass.Generic);
            model.delete(key);
            model.set(other, { value: item.value, expireAt: deadline });
          }
        } else if (roll < 0.97) {
          const item = live(key);
          const value = db.lookupRead(key);
          expect(value === undefined ? undefined : read(value)).toBe(item?.value);
          if (item !== undefined) expect(db.getExpire(key)).toBe(item.expireAt);
        } else if (roll < 0.995) {
          now += Math.floor(random() * 20);
          keyspace.freezeTime();
          db.activeExpireStep(20, now);
          keyspace.unfreezeTime();
          for (const [name, item] of model)
            if (item.expireAt !== 0 && item.expireAt <= now) model.delete(name);
          // Active expiry may leave some expired keys for later: sync the model by lookup.
          for (const name of model.keys()) if (!db.exists(name)) expect.fail(`${name} lost`);
        } else {
          db.flush();
          model.clear();
        }
        if (step % 500 === 499) {
          for (const name of [...model.keys()]) live(name);
          const inDb = new Set(db.entries().map((entry) => entry.key));
          for (const name of model.keys()) expect(inDb.has(name)).toBe(true);
          // Keys the model dropped as expired may still sit in the table until touched.
          for (const name of inDb) if (!model.has(name)) expect(db.exists(name)).toBe(false);
          expect(db.size).toBe(model.size);
          let volatile = 0;
          for (const item of model.values()) if (item.expireAt !== 0) volatile++;
          expect(db.volatileCount).toBe(volatile);
          expect(scanAll(db)).toEqual(new Set(model.keys()));
          const before = keyspace.usedMemory;
          for (const entry of db.entries()) db.account(entry);
          expect(keyspace.usedMemory).toBe(before);
        }
      }
    });
  }
});

describe("handles after another key's removal", () => {
  it("a handle follows its key when a removal swaps it into another slot", () => {
    const db = new Keyspace({ databases: 1 }).db(0);
    for (let i = 0; i < 10; i++) db.add(`k${i}`, text(`v${i}`));
    const last = db.peekEntry("k9")!;
    const slotBefore = last.slot;
    expect(slotBefore).toBe(9);
    db.delete("k2"); // k9 moves into slot 2
    expect(last.slot).toBe(2);
    expect(read(last.value)).toBe("v9");
    last.lru = 1234;
    expect(db.peekEntry("k9")!.lru).toBe(1234);
    // The slot it had now belongs to nobody; the one it has holds k9's data only.
    expect(db.peekEntry("k2")).toBeUndefined();
    db.setEntryExpire(last, 99_999_999_999_999);
    expect(db.getExpire("k9")).toBe(99_999_999_999_999);
    expect(db.getExpire("k3")).toBe(0);
  });

  it("a handle whose key was removed reads nothing and writes nothing", () => {
    const db = new Keyspace({ databases: 1 }).db(0);
    for (let i = 0; i < 5; i++) db.add(`k${i}`, text(`v${i}`));
    const gone = db.peekEntry("k1")!;
    db.delete("k1");
    expect(gone.slot).toBe(-1);
    expect(() => gone.value).toThrow(/no longer exists/);
    expect(() => gone.expireAt).toThrow(/no longer exists/);
    db.setEntryExpire(gone, 5);
    db.account(gone);
    expect(db.size).toBe(4);
    expect(db.volatileCount).toBe(0);
    for (let i = 0; i < 5; i++) if (i !== 1) expect(read(db.lookupRead(`k${i}`))).toBe(`v${i}`);
  });

  it("a handle from before FLUSHDB does not touch the new keys", () => {
    const db = new Keyspace({ databases: 1 }).db(0);
    db.add("a", text("old"));
    const old = db.peekEntry("a")!;
    db.flush();
    db.add("b", text("new"));
    expect(read(old.value)).toBe("old"); // the flushed table's key, as before the flush
    db.setEntryExpire(old, 5);
    expect(db.volatileCount).toBe(0);
    expect(db.size).toBe(1);
  });
});

describe("walks while keys change", () => {
  it("SCAN returns every key present for the whole iteration while others are deleted and added", () => {
    const db = new Keyspace({ databases: 1 }).db(0);
    const random = generator(42);
    for (let i = 0; i < 5000; i++) db.add(`k${i}`, text(`${i}`));
    const stable = new Set<string>();
    for (let i = 0; i < 5000; i++) if (i % 3 === 0) stable.add(`k${i}`);
    const seen = new Set<string>();
    let cursor = 0;
    let added = 0;
    for (let steps = 0; steps < 100_000; steps++) {
      cursor = db.scan(cursor, 10, (entry) => seen.add(entry.key));
      if (cursor === 0) break;
      for (let j = 0; j < 5; j++) {
        const victim = Math.floor(random() * 5000);
        if (victim % 3 !== 0) db.delete(`k${victim}`);
      }
      db.add(`new${added++}`, text("x"));
    }
    for (const key of stable) expect(seen.has(key), key).toBe(true);
  });

  it("a snapshot-style walk plus preserved keys is exactly the dataset at the start", () => {
    const keyspace = new Keyspace({ databases: 1 });
    const db = keyspace.db(0);
    const random = generator(7);
    const start = new Map<string, string>();
    for (let i = 0; i < 3000; i++) {
      db.add(`k${i}`, text(`v${i}`));
      start.set(`k${i}`, `v${i}`);
    }
    const epoch = 99;
    const written = new Map<string, string>();
    const record = (key: string, value: string) => {
      expect(written.has(key), `${key} written twice`).toBe(false);
      written.set(key, value);
    };
    const observer: SnapshotObserver = {
      epoch,
      preserve(_db, entry) {
        entry.snapshotEpoch = epoch;
        record(entry.key, read(entry.value));
      },
      databasesSwapped() {},
    };
    keyspace.snapshot = observer;
    const table = db.keyTable;
    let position = table.size - 1;
    let next = 3000;
    while (position >= 0) {
      // One slice: up to 50 slots from the top down, as the snapshot job walks.
      for (let n = 0; n < 50 && position >= 0; n++) {
        if (position >= table.size) position = table.size - 1;
        if (position < 0) break;
        const slot = position--;
        if (table.snapshotMark(slot) === epoch) continue;
        table.setSnapshotMark(slot, epoch);
        record(table.keys[slot]!, read(table.valueAt(slot)));
      }
      // Between slices: overwrites, in-place edits, deletions, new keys, TTLs.
      for (let j = 0; j < 20; j++) {
        const key = `k${Math.floor(random() * 3000)}`;
        const roll = random();
        if (roll < 0.3) db.delete(key);
        else if (roll < 0.5) {
          db.set(key, text("changed"));
          db.touched(key, "set", EventClass.String);
        } else if (roll < 0.7) {
          const value = db.lookupWrite(key) as RedisString | undefined;
          if (value !== undefined) {
            value.append(Buffer.from("+"));
            db.touched(key, "append", EventClass.String);
          }
        } else if (roll < 0.8) db.setExpire(key, Date.now() + 100_000);
        else db.add(`new${next++}`, text("new"));
      }
    }
    keyspace.snapshot = null;
    expect(written).toEqual(start);
  });
});

describe("the hash", () => {
  it("spreads sequential and random-looking keys without long probe runs", { timeout: 30_000 }, () => {
    for (const make of [(i: number) => `key:${i}`, (i: number) => `key:${String(i).padStart(12, "0")}`]) {
      const table = new KeyTable();
      for (let i = 0; i < 200_000; i++) {
        const key = make(i);
        table.append(key, 0, hashKey(key), 0, 0);
      }
      // Linear probing at load <= 0.7 over 2^19 buckets: runs stay short when the hash is uniform.
      expect(table.longestRun()).toBeLessThan(120);
      expect(table.find(make(123_456))).toBe(123_456);
      expect(table.find("missing")).toBe(-1);
    }
  });

  it("differs for keys that differ in one byte anywhere", () => {
    const base = "x".repeat(33);
    const hashes = new Set<number>([hashKey(base)]);
    for (let i = 0; i < base.length; i++) hashes.add(hashKey(`${base.slice(0, i)}y${base.slice(i + 1)}`));
    expect(hashes.size).toBe(base.length + 1);
  });
});
