/*
 * The time commands see: frozen for an execution unit, read from an injected
 * clock when there is one, and, with the system clock, derived from a monotonic
 * reading the caller already took (freezeTimeAt) without drifting from Date.now().
 */

import { describe, expect, it } from "vitest";
import { Keyspace } from "./keyspace.js";
import { RedisString } from "./types/string.js";

describe("command time", () => {
  it("freezeTimeAt follows the wall clock with the system clock", () => {
    const keyspace = new Keyspace();
    for (let i = 0; i < 5; i++) {
      const before = Date.now();
      const frozen = keyspace.freezeTimeAt(performance.now());
      const after = Date.now();
      expect(Number.isInteger(frozen)).toBe(true);
      // Within a millisecond of the wall clock read around it (rounding of both clocks).
      expect(frozen).toBeGreaterThanOrEqual(before - 1);
      expect(frozen).toBeLessThanOrEqual(after + 1);
      keyspace.unfreezeTime();
    }
  });

  it("stays frozen until unfrozen", async () => {
    const keyspace = new Keyspace();
    const frozen = keyspace.freezeTimeAt(performance.now());
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(keyspace.now).toBe(frozen);
    keyspace.unfreezeTime();
    expect(keyspace.now).toBeGreaterThanOrEqual(frozen + 10);
  });

  it("uses an injected clock as is", () => {
    let now = 1_700_000_000_123;
    const keyspace = new Keyspace({ clock: { now: () => now } });
    expect(keyspace.freezeTimeAt(performance.now())).toBe(1_700_000_000_123);
    now += 500;
    expect(keyspace.now).toBe(1_700_000_000_123);
    keyspace.unfreezeTime();
    expect(keyspace.now).toBe(1_700_000_000_623);
    expect(keyspace.freezeTime()).toBe(1_700_000_000_623);
  });

  it("expires keys by the frozen time", () => {
    let now = 1_000_000;
    const keyspace = new Keyspace({ clock: { now: () => now } });
    const db = keyspace.db(0);
    const entry = db.add("k", RedisString.fromBytes(Buffer.from("v")));
    db.setEntryExpire(entry, now + 100);
    keyspace.freezeTimeAt(0);
    now += 200;
    // Inside the unit the key is still alive: time does not move.
    expect(db.exists("k")).toBe(true);
    keyspace.unfreezeTime();
    expect(db.exists("k")).toBe(false);
  });
});
