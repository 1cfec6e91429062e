/*
 * Keyspace commands in memory: TTLs carried by RENAME / MOVE / COPY, events,
 * deep copies of every value type, and SCAN's guarantee under concurrent
 * changes (a property test: keys present for a whole iteration are returned).
 */

import { ExpiryMode } from "@spinel/core-db";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InMemorySession, ReplyError } from "./in-memory-session.test-helper.js";

describe("RENAME, MOVE and COPY", () => {
  it("carry the deadline to the millisecond", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "1", "PX", "12345");
    s.run("RENAME", "a", "b");
    expect(s.run("PTTL", "b")).toBe(12345);
    s.run("COPY", "b", "c");
    expect(s.run("PTTL", "c")).toBe(12345);
    s.run("MOVE", "c", "3");
    s.run("SELECT", "3");
    expect(s.run("PTTL", "c")).toBe(12345);
    s.now += 12345;
    expect(s.run("EXISTS", "c")).toBe(0);
  });

  it("raise the events Redis raises, in its order", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "1");
    s.run("SET", "x", "2");
    s.clearRecords();
    s.run("RENAME", "a", "b");
    s.run("RENAME", "b", "x");
    s.run("COPY", "x", "y");
    s.run("COPY", "x", "y", "REPLACE");
    s.run("MOVE", "y", "1");
    s.run("COPY", "x", "z", "DB", "2");
    s.run("RENAMENX", "x", "x");
    s.run("DEL", "x", "nothing");
    expect(s.events).toEqual([
      "0:new:b",
      "0:rename_from:a",
      "0:rename_to:b",
      "0:new:x",
      "0:rename_from:b",
      "0:rename_to:x",
      "0:new:y",
      "0:copy_to:y",
      "0:new:y",
      "0:copy_to:y",
      "1:new:y",
      "0:move_from:y",
      "1:move_to:y",
      "2:new:z",
      "2:copy_to:z",
      "0:del:x",
    ]);
  });

  it("propagate as sent and count one change each", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "1");
    const before = s.state.keyspace.dirty;
    s.clearRecords();
    s.run("RENAME", "a", "b");
    s.run("COPY", "b", "c", "DB", "1");
    s.run("MOVE", "b", "2");
    expect(s.state.keyspace.dirty - before).toBe(3);
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual(["RENAME a b", "COPY b c DB 1", "MOVE b 2"]);
  });

  it("COPY makes independent copies of every type", () => {
    const s = new InMemorySession();
    s.run("SET", "str", "abc");
    s.run("HSET", "hash", "f", "1");
    s.run("SADD", "set", "m");
    s.run("ZADD", "zset", "1", "m");
    for (const key of ["str", "hash", "set", "zset"]) expect(s.run("COPY", key, `${key}2`)).toBe(1);
    s.run("APPEND", "str2", "def");
    s.run("HSET", "hash2", "g", "2");
    s.run("SADD", "set2", "n");
    s.run("ZADD", "zset2", "2", "n");
    expect(s.run("GET", "str")).toBe("abc");
    expect(s.run("HLEN", "hash")).toBe(1);
    expect(s.run("SCARD", "set")).toBe(1);
    expect(s.run("ZCARD", "zset")).toBe(1);
    expect(s.run("TYPE", "zset2")).toBe("zset");
  });

  it("refuse the same source and destination", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "1");
    expect(s.run("MOVE", "a", "0")).toEqual(
      new ReplyError("ERR source and destination objects are the same"),
    );
    expect(s.run("COPY", "a", "a")).toEqual(
      new ReplyError("ERR source and destination objects are the same"),
    );
    expect(s.run("COPY", "a", "a", "DB", "1")).toBe(1);
  });
});

describe("DEL, EXISTS, TYPE, TOUCH", () => {
  it("expire due keys before counting them", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "1", "PX", "10");
    s.run("SET", "b", "1");
    s.now += 10;
    s.clearRecords();
    expect(s.run("DEL", "a", "b")).toBe(1);
    expect(s.events).toEqual(["0:expired:a", "0:del:b"]);
  });

  it("on a replica, remove keys past their deadline (the primary's DEL of an expired key)", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "1", "PX", "10");
    s.state.keyspace.expiryMode = ExpiryMode.HideOnly;
    s.now += 10;
    expect(s.run("GET", "a")).toBe(null);
    expect(s.db.size).toBe(1);
    expect(s.run("DEL", "a")).toBe(1);
    expect(s.db.size).toBe(0);
  });

  it("count keyspace hits and misses like Redis, without touching the access time", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "1");
    const keyspace = s.state.keyspace;
    const [hits, misses] = [keyspace.hits, keyspace.misses];
    s.now += 5000;
    s.run("EXISTS", "a", "nope");
    s.run("TYPE", "a");
    s.run("TTL", "a");
    expect([keyspace.hits - hits, keyspace.misses - misses]).toEqual([3, 1]);
    expect(s.run("OBJECT", "IDLETIME", "a")).toBe(5);
    s.run("TOUCH", "a");
    expect(s.run("OBJECT", "IDLETIME", "a")).toBe(0);
  });
});

describe("KEYS and RANDOMKEY", () => {
  it("skip keys past their deadline", () => {
    const s = new InMemorySession();
    s.run("SET", "gone", "1", "PX", "5");
    s.run("SET", "kept", "1");
    s.now += 5;
    expect(s.run("KEYS", "*")).toEqual(["kept"]);
    expect(s.run("RANDOMKEY")).toBe("kept");
  });

  it("RANDOMKEY picks among all keys", () => {
    const s = new InMemorySession();
    for (let i = 0; i < 5; i++) s.run("SET", `k${i}`, "v");
    const seen = new Set<unknown>();
    for (let i = 0; i < 200; i++) seen.add(s.run("RANDOMKEY"));
    expect([...seen].sort()).toEqual(["k0", "k1", "k2", "k3", "k4"]);
  });
});

describe("SCAN", () => {
  it("filters by MATCH and TYPE", () => {
    const s = new InMemorySession();
    s.run("MSET", "user:1", "a", "user:2", "b", "item:1", "c");
    s.run("HSET", "user:h", "f", "v");
    const [cursor, keys] = s.run("SCAN", "0", "MATCH", "user:*", "TYPE", "string", "COUNT", "100") as [
      string,
      string[],
    ];
    expect(cursor).toBe("0");
    expect(keys.sort()).toEqual(["user:1", "user:2"]);
  });

  it("returns every key present for the whole iteration, whatever changes in between", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(
          fc.record({
            count: fc.integer({ min: 1, max: 12 }),
            adds: fc.integer({ min: 0, max: 6 }),
            deletes: fc.integer({ min: 0, max: 6 }),
            expireSome: fc.boolean(),
          }),
          { minLength: 1, maxLength: 200 },
        ),
        fc.integer({ min: 0, max: 1_000_000 }),
        (stableCount, steps, seed) => {
          const s = new InMemorySession();
          const stable = new Set<string>();
          for (let i = 0; i < stableCount; i++) {
            s.run("SET", `stable:${i}`, "v");
            stable.add(`stable:${i}`);
          }
          let transient: string[] = [];
          let created = 0;
          let random = seed;
          const next = () => {
            random = (random * 1103515245 + 12345) % 2147483648;
            return random;
          };
          const everSeen = new Set<string>(stable);
          const returned = new Set<string>();
          let cursor = "0";
          let calls = 0;
          do {
            const step = steps[calls % steps.length]!;
            const [nextCursor, keys] = s.run("SCAN", cursor, "COUNT", String(step.count)) as [
              string,
              string[],
            ];
            for (const key of keys) returned.add(key);
            cursor = nextCursor;
            calls++;
            // Mutate between calls: new keys, deletions, keys expiring.
            for (let i = 0; i < step.adds; i++) {
              const key = `t:${created++}`;
              s.run("SET", key, "v", ...(step.expireSome && i % 2 === 0 ? ["PX", "1"] : []));
              transient.push(key);
              everSeen.add(key);
            }
            for (let i = 0; i < step.deletes && transient.length > 0; i++) {
              const index = next() % transient.length;
              s.run("DEL", transient[index]!);
              transient.splice(index, 1);
            }
            if (step.expireSome) {
              s.now += 1;
              transient = transient.filter((key) => s.run("EXISTS", key) === 1);
            }
          } while (cursor !== "0" && calls < 10_000);
          expect(cursor).toBe("0");
          for (const key of stable) expect(returned.has(key)).toBe(true);
          for (const key of returned) expect(everSeen.has(key)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe("OBJECT", () => {
  it("reports encodings and shared integers", () => {
    const s = new InMemorySession();
    s.run("MSET", "i", "42", "big", "10000", "e", "hello", "r", "x".repeat(45));
    expect(s.run("OBJECT", "ENCODING", "i")).toBe("int");
    expect(s.run("OBJECT", "ENCODING", "e")).toBe("embstr");
    expect(s.run("OBJECT", "ENCODING", "r")).toBe("raw");
    expect(s.run("OBJECT", "REFCOUNT", "i")).toBe(2147483647);
    expect(s.run("OBJECT", "REFCOUNT", "big")).toBe(1);
    expect(s.run("OBJECT", "ENCODING", "missing")).toBe(null);
    expect(s.run("OBJECT", "NOPE", "i")).toEqual(
      new ReplyError("ERR unknown subcommand 'NOPE'. Try OBJECT HELP."),
    );
  });
});
