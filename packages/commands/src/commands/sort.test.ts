/*
 * SORT and SORT_RO in memory: what a client cannot see through replies alone
 * (keyspace events, propagation, dirty counting, independence of stored
 * values, lookups counted as hits and misses, key positions, the encoding
 * change of sorted sets). Replies are compared with a real redis-server in
 * tests/src/differential/corpus/sort.corpus.ts.
 */

import type { RedisZSet } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { CommandTable } from "../command-table.js";
import { allCommandSpecs } from "../index.js";
import { InMemorySession, ReplyError } from "./in-memory-session.test-helper.js";

const propagatedLines = (s: InMemorySession) => s.propagated.map((p) => p.argv.join(" "));

describe("SORT ... STORE", () => {
  it("raises new and sortstore, propagates the command as is, and counts one dirty per element", () => {
    const s = new InMemorySession();
    s.run("RPUSH", "l", "3", "1", "2");
    s.clearRecords();
    const before = s.state.keyspace.dirty;
    expect(s.run("SORT", "l", "STORE", "dest")).toBe(3);
    expect(s.state.keyspace.dirty - before).toBe(3);
    expect(s.run("SORT", "l", "DESC", "STORE", "dest")).toBe(3);
    expect(s.events).toEqual(["0:new:dest", "0:sortstore:dest", "0:sortstore:dest"]);
    expect(propagatedLines(s)).toEqual(["SORT l STORE dest", "SORT l DESC STORE dest"]);
  });

  it("deletes the destination of an empty result with del, and does nothing when there is none", () => {
    const s = new InMemorySession();
    s.run("SET", "dest", "x");
    s.clearRecords();
    expect(s.run("SORT", "missing", "STORE", "dest")).toBe(0);
    expect(s.run("SORT", "missing", "STORE", "dest")).toBe(0);
    expect(s.events).toEqual(["0:del:dest"]);
    expect(propagatedLines(s)).toEqual(["SORT missing STORE dest"]);
  });

  it("stores copies: editing a GET source afterwards leaves the stored list alone", () => {
    const s = new InMemorySession();
    s.run("RPUSH", "l", "1");
    s.run("SET", "v_1", "abc");
    s.run("SORT", "l", "GET", "v_*", "GET", "#", "STORE", "dest");
    s.run("SETBIT", "v_1", "7", "0");
    s.run("APPEND", "v_1", "more");
    expect(s.run("LRANGE", "dest", "0", "-1")).toEqual(["abc", "1"]);
  });

  it("is neither propagated nor an event without STORE, and SORT_RO never is", () => {
    const s = new InMemorySession();
    s.run("RPUSH", "l", "2", "1");
    s.clearRecords();
    expect(s.run("SORT", "l")).toEqual(["1", "2"]);
    expect(s.run("SORT_RO", "l", "DESC")).toEqual(["2", "1"]);
    expect(s.run("SORT_RO", "l", "STORE", "dest")).toEqual(new ReplyError("ERR syntax error"));
    expect(s.propagated).toEqual([]);
    expect(s.events).toEqual([]);
  });

  it("refuses a weight error without storing", () => {
    const s = new InMemorySession();
    s.run("RPUSH", "l", "1", "x");
    s.clearRecords();
    expect(s.run("SORT", "l", "STORE", "dest")).toEqual(
      new ReplyError("ERR One or more scores can't be converted into double"),
    );
    expect(s.run("EXISTS", "dest")).toBe(0);
    expect(s.propagated).toEqual([]);
  });
});

describe("pattern lookups", () => {
  it("read keys for reading: hits, misses and keymiss events, as Redis' lookupKeyRead", () => {
    const s = new InMemorySession();
    s.run("RPUSH", "l", "1", "2", "3");
    s.run("SET", "w_1", "5");
    const keyspace = s.state.keyspace;
    const [hits, misses] = [keyspace.hits, keyspace.misses];
    const keymisses: string[] = [];
    s.state.keyspaceListeners.push({
      keyModified() {},
      databaseModified() {},
      keyExpired() {},
      keyspaceEvent(_class, event, key) {
        if (event === "keymiss") keymisses.push(key);
      },
    });
    expect(s.run("SORT", "l", "BY", "w_*", "GET", "#")).toEqual(["2", "3", "1"]);
    // The list, then one BY lookup per element; GET # looks nothing up.
    expect([keyspace.hits - hits, keyspace.misses - misses]).toEqual([2, 2]);
    expect(keymisses).toEqual(["w_2", "w_3"]);
  });

  it("read hash fields whatever the hash's encoding", () => {
    const s = new InMemorySession();
    s.run("RPUSH", "l", "a", "b");
    s.run("HSET", "h_a", "w", "2", "long", "x".repeat(200));
    s.run("HSET", "h_b", "w", "1");
    expect(s.run("OBJECT", "ENCODING", "h_a")).toBe("hashtable");
    expect(s.run("OBJECT", "ENCODING", "h_b")).toBe("listpack");
    expect(s.run("SORT", "l", "BY", "h_*->w", "GET", "h_*->w")).toEqual(["1", "2"]);
  });
});

describe("sorted sets", () => {
  it("are converted to the skiplist encoding by SORT and SORT_RO, keeping their contents", () => {
    const s = new InMemorySession();
    s.run("ZADD", "z", "1", "b", "2", "a", "-0", "c");
    const zset = () => s.db.lookupRead("z") as RedisZSet;
    expect(zset().encoding).toBe("listpack");
    expect(s.run("SORT_RO", "z", "BY", "nosort")).toEqual(["c", "b", "a"]);
    expect(zset().encoding).toBe("skiplist");
    expect(s.run("ZRANGE", "z", "0", "-1", "WITHSCORES")).toEqual(["c", "0", "b", "1", "a", "2"]);
    expect(s.run("ZRANK", "z", "a")).toBe(2);
  });
});

describe("key positions", () => {
  const table = new CommandTable(allCommandSpecs);
  const keys = (...args: string[]) =>
    table
      .get(args[0]!)!
      .keyIndexes(args.map((arg) => Buffer.from(arg)))
      .map((index) => args[index]);

  it("SORT: the key and the last STORE destination, skipping option arguments", () => {
    expect(keys("sort", "k")).toEqual(["k"]);
    expect(keys("sort", "k", "STORE", "d")).toEqual(["k", "d"]);
    expect(keys("sort", "k", "store", "d1", "STORE", "d2")).toEqual(["k", "d2"]);
    expect(keys("sort", "k", "GET", "store", "BY", "store", "LIMIT", "store", "store")).toEqual(["k"]);
    expect(keys("sort", "k", "STORE")).toEqual(["k"]);
  });

  it("SORT_RO: the key only", () => {
    expect(keys("sort_ro", "k", "STORE", "d")).toEqual(["k"]);
  });
});
