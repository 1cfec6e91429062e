/*
 * Expire commands in memory, on a manual clock: deadlines to the millisecond,
 * propagation that never depends on the clock, the "expire in the past" path,
 * replicas and data-file replay (which never delete on their own), and exact
 * deadlines beyond 2^53 ms.
 */

import { ExpiryMode } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { InMemorySession, ReplyError } from "./in-memory-session.test-helper.js";

describe("EXPIRE family", () => {
  it("propagates every form as PEXPIREAT with the absolute time, options kept", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v");
    s.clearRecords();
    expect(s.run("EXPIRE", "k", "100")).toBe(1);
    expect(s.run("PEXPIRE", "k", "5000", "LT")).toBe(1);
    expect(s.run("EXPIREAT", "k", "1800000000", "GT")).toBe(1);
    expect(s.run("PEXPIREAT", "k", "1800000000123")).toBe(1);
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual([
      `PEXPIREAT k ${s.now + 100_000}`,
      `PEXPIREAT k ${s.now + 5000} LT`,
      "PEXPIREAT k 1800000000000 GT",
      "PEXPIREAT k 1800000000123",
    ]);
    expect(s.events).toEqual(["0:expire:k", "0:expire:k", "0:expire:k", "0:expire:k"]);
  });

  it("deletes the key and propagates DEL when the time is already past", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "v");
    s.run("SET", "b", "v");
    s.run("SET", "c", "v");
    s.clearRecords();
    expect(s.run("EXPIRE", "a", "-10")).toBe(1);
    expect(s.run("PEXPIRE", "b", "0")).toBe(1);
    expect(s.run("PEXPIREAT", "c", String(s.now))).toBe(1);
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual(["DEL a", "DEL b", "DEL c"]);
    expect(s.events).toEqual(["0:del:a", "0:del:b", "0:del:c"]);
    expect(s.run("EXISTS", "a", "b", "c")).toBe(0);
    expect(s.state.keyspace.expiredKeys).toBe(0);
  });

  it("keeps the key on a replica or while loading: only the primary's DEL removes it", () => {
    for (const mode of [ExpiryMode.HideOnly, ExpiryMode.Never]) {
      const s = new InMemorySession();
      s.run("SET", "k", "v");
      s.state.keyspace.expiryMode = mode;
      expect(s.run("PEXPIREAT", "k", "1")).toBe(1);
      expect(s.db.size).toBe(1);
      expect(s.propagated.at(-1)?.argv.join(" ")).toBe("PEXPIREAT k 1");
    }
  });

  it("answers until the deadline and not at it", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v");
    s.run("PEXPIRE", "k", "1000");
    s.now += 999;
    expect(s.run("GET", "k")).toBe("v");
    expect(s.run("PTTL", "k")).toBe(1);
    s.now += 1;
    expect(s.run("GET", "k")).toBe(null);
    expect(s.run("TTL", "k")).toBe(-2);
    expect(s.state.keyspace.expiredKeys).toBe(1);
    expect(s.events.slice(-1)).toEqual(["0:expired:k"]);
  });

  it("rounds TTL and EXPIRETIME to the nearest second", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v");
    s.run("PEXPIRE", "k", "1499");
    expect(s.run("TTL", "k")).toBe(1);
    s.run("PEXPIRE", "k", "1500");
    expect(s.run("TTL", "k")).toBe(2);
    s.run("PEXPIREAT", "k", "1800000000499");
    expect(s.run("EXPIRETIME", "k")).toBe(1800000000);
    s.run("PEXPIREAT", "k", "1800000000500");
    expect(s.run("EXPIRETIME", "k")).toBe(1800000001);
  });

  it("treats a key without TTL as an infinite TTL for GT and LT", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v");
    expect(s.run("EXPIRE", "k", "100", "GT")).toBe(0);
    expect(s.run("EXPIRE", "k", "100", "XX")).toBe(0);
    expect(s.run("EXPIRE", "k", "100", "LT")).toBe(1);
    expect(s.run("EXPIRE", "k", "100", "GT")).toBe(0); // equal is not greater
    expect(s.run("EXPIRE", "k", "100", "LT")).toBe(0); // nor less
    expect(s.run("EXPIRE", "k", "101", "GT")).toBe(1);
    expect(s.run("EXPIRE", "k", "50", "NX")).toBe(0);
    expect(s.run("TTL", "k")).toBe(101);
  });

  it("keeps deadlines beyond 2^53 ms exact", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v");
    expect(s.run("PEXPIREAT", "k", "9223372036854775807")).toBe(1);
    expect(s.run("PEXPIRETIME", "k")).toBe(9223372036854775807n);
    expect(s.run("PTTL", "k")).toBe(9223372036854775807n - BigInt(s.now));
    expect(s.run("PEXPIREAT", "k", "9223372036854775806", "LT")).toBe(1);
    expect(s.run("PEXPIREAT", "k", "9223372036854775806", "LT")).toBe(0);
    expect(s.run("PEXPIRETIME", "k")).toBe(9223372036854775806n);
    expect(s.run("EXPIREAT", "k", "9223372036854775")).toBe(1);
    expect(s.run("PEXPIRETIME", "k")).toBe(9223372036854775000n);
    expect(s.run("RENAME", "k", "r")).toBe("OK");
    expect(s.run("PEXPIRETIME", "r")).toBe(9223372036854775000n);
    expect(s.propagated.at(-2)?.argv.join(" ")).toBe("PEXPIREAT k 9223372036854775000");
  });

  it("refuses overflowing times with the command's name", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v");
    expect(s.run("EXPIRE", "k", "9223372036854776")).toEqual(
      new ReplyError("ERR invalid expire time in 'expire' command"),
    );
    expect(s.run("PEXPIRE", "k", "9223372036854775807")).toEqual(
      new ReplyError("ERR invalid expire time in 'pexpire' command"),
    );
    expect(s.run("GETEX", "k", "EX", "0")).toEqual(
      new ReplyError("ERR invalid expire time in 'getex' command"),
    );
    expect(s.run("TTL", "k")).toBe(-1);
  });
});

describe("PERSIST", () => {
  it("removes the TTL once, raising persist", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v", "EX", "10");
    s.clearRecords();
    expect(s.run("PERSIST", "k")).toBe(1);
    expect(s.run("PERSIST", "k")).toBe(0);
    expect(s.run("PERSIST", "missing")).toBe(0);
    expect(s.events).toEqual(["0:persist:k"]);
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual(["PERSIST k"]);
    s.now += 20_000;
    expect(s.run("GET", "k")).toBe("v");
  });
});
