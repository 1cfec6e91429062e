/*
 * Keys holding int and embstr strings in compact form (the bare number or JS
 * string, no RedisString object): reads see the value and its encoding, edits
 * through lookupWrite change the key, edits through a read copy do not, and the
 * running memory total follows every form.
 */

import { describe, expect, it } from "vitest";
import { EventClass, Keyspace, RedisString, type SnapshotObserver } from "./index.js";
import { stringBytes } from "./memory-model.js";

const bytes = (text: string) => Buffer.from(text, "latin1");

function setString(keyspace: Keyspace, key: string, text: string) {
  const db = keyspace.db(0);
  db.set(key, RedisString.fromBytes(bytes(text)));
  db.touched(key, "set", EventClass.String);
  return db.peekEntry(key)!;
}

/** Recounting every key's footprint changes nothing when the running total is up to date. */
function expectUpToDate(keyspace: Keyspace): void {
  const before = keyspace.usedMemory;
  for (const db of keyspace.databases) for (const entry of db.entries()) db.account(entry);
  expect(keyspace.usedMemory).toBe(before);
}

describe("compact strings in the keyspace", () => {
  it("reads give the value and its encoding back for int, embstr and raw values", () => {
    const keyspace = new Keyspace({ databases: 1 });
    const db = keyspace.db(0);
    setString(keyspace, "int", "-42");
    setString(keyspace, "big", "9223372036854775807");
    setString(keyspace, "embstr", "value:1");
    setString(keyspace, "raw", "x".repeat(45));
    const read = (key: string) => db.lookupRead(key) as RedisString;
    expect(read("int").encoding).toBe("int");
    expect(read("int").integerValue).toBe(-42);
    expect(read("big").integerValue).toBe(9223372036854775807n);
    expect(read("embstr").encoding).toBe("embstr");
    expect(read("embstr").toBinaryString()).toBe("value:1");
    expect(read("raw").encoding).toBe("raw");
    expect(db.peekEntry("embstr")!.value.type).toBe("string");
    expectUpToDate(keyspace);
  });

  it("edits through lookupWrite change the key; edits through a read copy do not", () => {
    const keyspace = new Keyspace({ databases: 1 });
    const db = keyspace.db(0);
    setString(keyspace, "counter", "10");
    setString(keyspace, "text", "abc");

    (db.lookupRead("text") as RedisString).append(bytes("lost"));
    expect((db.lookupRead("text") as RedisString).toBinaryString()).toBe("abc");

    const counter = db.lookupWrite("counter") as RedisString;
    expect(db.lookupWrite("counter")).toBe(counter);
    counter.setInteger(11);
    expect((db.lookupRead("counter") as RedisString).integerValue).toBe(11);
    const compactBytes = setString(keyspace, "other", "11").accounted;
    db.touched("counter", "incrby", EventClass.String);
    // The write epilogue makes the counter compact again.
    expect(db.peekEntry("counter")!.accounted).toBe(compactBytes);
    expect((db.lookupRead("counter") as RedisString).integerValue).toBe(11);

    (db.lookupWrite("text") as RedisString).append(bytes("def"));
    db.touched("text", "append", EventClass.String);
    const text = db.lookupRead("text") as RedisString;
    expect(text.toBinaryString()).toBe("abcdef");
    expect(text.encoding).toBe("raw");
    expectUpToDate(keyspace);

    // A new value is compact again.
    setString(keyspace, "text", "short");
    expect((db.lookupRead("text") as RedisString).encoding).toBe("embstr");
    expectUpToDate(keyspace);
  });

  it("a compact key costs less than with its RedisString object; the write epilogue and TTLs leave it compact", () => {
    const keyspace = new Keyspace({ databases: 1 });
    const db = keyspace.db(0);
    const compact = setString(keyspace, "a", "value:123456");
    const expanded = setString(keyspace, "b", "value:123456");
    db.lookupWrite("b");
    db.account(expanded);
    const objectOnly = RedisString.fromBytes(bytes("value:123456")).memoryUsage() - stringBytes(12);
    expect(expanded.accounted - compact.accounted).toBe(objectOnly);
    db.touched("b", "", EventClass.String);
    expect(expanded.accounted).toBe(compact.accounted);

    const before = compact.accounted;
    const entry = db.lookupWriteEntry("a")!;
    db.setEntryExpire(entry, keyspace.now + 60_000);
    db.touched("a", "expire", EventClass.Generic);
    expect(compact.accounted).toBe(before);
    expectUpToDate(keyspace);
  });

  it("a snapshot sees the value a compact key held before an in-place edit", () => {
    const keyspace = new Keyspace({ databases: 1 });
    const db = keyspace.db(0);
    setString(keyspace, "k", "before");
    const kept: string[] = [];
    const observer: SnapshotObserver = {
      epoch: 7,
      preserve(_db, entry) {
        entry.snapshotEpoch = 7;
        kept.push((entry.value as RedisString).toBinaryString());
      },
      databasesSwapped() {},
    };
    keyspace.snapshot = observer;
    const value = db.lookupWrite("k") as RedisString;
    value.setRange(0, bytes("AFTER!"));
    db.touched("k", "setrange", EventClass.String);
    expect(kept).toEqual(["before"]);
    expect((db.lookupRead("k") as RedisString).toBinaryString()).toBe("AFTER!");
  });
});
