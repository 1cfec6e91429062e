/*
 * Set commands run through the gate and call() on an in-memory server: replies
 * decoded with @spinel/resp's decoder, keyspace events and propagation captured
 * (SPOP's rewrite into SREM / DEL, MULTI/EXEC wrapping of several SREMs).
 */

import type { EventClass, RedisSet } from "@spinel/core-db";
import { ReplyDecoder, RespError, RespSet, type RespValue } from "@spinel/resp";
import { describe, expect, it } from "vitest";
import { ClientSession } from "../client-session.js";
import { processCommand } from "../dispatch.js";
import { ServerState } from "../server-state.js";
import { hashCommands } from "./hash.js";
import { setCommands } from "./set.js";

/** A server with the set (and hash) commands, recording events and propagation. */
function harness() {
  const events: string[] = [];
  const propagated: string[][] = [];
  const server = new ServerState({
    specs: [...setCommands, ...hashCommands],
    propagator: { feed: (_db, argv) => propagated.push(argv.map((arg) => arg.toString("latin1"))) },
  });
  server.keyspaceListeners.push({
    keyModified() {},
    databaseModified() {},
    keyspaceEvent(_class: EventClass, event: string, key: string) {
      if (event !== "keymiss") events.push(`${event} ${key}`);
    },
    keyExpired() {},
  });
  const c = new ClientSession(server, null);
  const decoder = new ReplyDecoder();
  const run = (...args: string[]): unknown => {
    processCommand(
      c,
      args.map((arg) => Buffer.from(arg, "latin1")),
    );
    for (const chunk of c.reply.drain()) decoder.feed(chunk);
    return plain(decoder.next()!);
  };
  const encoding = (key: string) => (c.db.lookupRead(key) as RedisSet).encoding;
  return { server, c, run, events, propagated, encoding };
}

/** Decoded values made easy to compare: Buffers as text, errors as "-message", RESP3 sets tagged. */
function plain(value: RespValue): unknown {
  if (Buffer.isBuffer(value)) return value.toString("latin1");
  if (value instanceof RespError) return `-${value.message}`;
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof RespSet) return { set: value.items.map(plain) };
  return value;
}

const sorted = (values: unknown) => [...(values as string[])].sort();

describe("SADD / SREM / SCARD / SISMEMBER / SMISMEMBER / SMEMBERS", () => {
  it("add and remove members, report counts, and delete the emptied key with srem then del", () => {
    const { run, events, c } = harness();
    expect(run("SADD", "s", "3", "1", "2", "1")).toBe(3);
    expect(run("SADD", "s", "1")).toBe(0);
    expect(run("SMEMBERS", "s")).toEqual(["1", "2", "3"]);
    expect(run("SCARD", "s")).toBe(3);
    expect(run("SISMEMBER", "s", "2")).toBe(1);
    expect(run("SISMEMBER", "s", "02")).toBe(0);
    expect(run("SMISMEMBER", "s", "1", "9", "3")).toEqual([1, 0, 1]);
    expect(run("SMISMEMBER", "none", "1")).toEqual([0]);
    expect(run("SREM", "s", "1", "9")).toBe(1);
    expect(run("SREM", "s", "2", "3", "4")).toBe(2);
    expect(c.db.exists("s")).toBe(false);
    expect(events).toEqual(["new s", "sadd s", "srem s", "srem s", "del s"]);
    expect(run("SREM", "none", "1")).toBe(0);
    expect(run("SCARD", "none")).toBe(0);
    expect(run("SMEMBERS", "none")).toEqual([]);
  });

  it("report encodings like redis-server 7.0: intset for integers up to 512, hashtable otherwise", () => {
    const { run, encoding } = harness();
    run("SADD", "i", "1", "-2", "9223372036854775807");
    expect(encoding("i")).toBe("intset");
    run("SADD", "j", "1", "01");
    expect(encoding("j")).toBe("hashtable");
    run("SADD", "big", ...Array.from({ length: 512 }, (_, i) => String(i)));
    expect(encoding("big")).toBe("intset");
    run("SADD", "big", "512");
    expect(encoding("big")).toBe("hashtable");
  });

  it("SMEMBERS is a set on RESP3", () => {
    const { run, c } = harness();
    run("SADD", "s", "b");
    c.resp = 3;
    expect(run("SMEMBERS", "s")).toEqual({ set: ["b"] });
    expect(run("SMEMBERS", "none")).toEqual({ set: [] });
    expect(run("SISMEMBER", "s", "b")).toBe(1);
  });
});

describe("SPOP", () => {
  it("pops one member, propagates SREM of it and deletes the emptied key", () => {
    const { run, propagated, events, c } = harness();
    run("SADD", "s", "a", "b");
    propagated.length = 0;
    events.length = 0;
    const first = run("SPOP", "s") as string;
    const second = run("SPOP", "s") as string;
    expect(sorted([first, second])).toEqual(["a", "b"]);
    expect(propagated).toEqual([
      ["SREM", "s", first],
      ["SREM", "s", second],
    ]);
    expect(events).toEqual(["spop s", "spop s", "del s"]);
    expect(c.db.exists("s")).toBe(false);
    expect(run("SPOP", "s")).toBeNull();
    expect(run("SPOP", "s", "1", "2")).toBe("-ERR syntax error");
    expect(propagated.length).toBe(2);
  });

  it("pops a count as separate SREMs wrapped in MULTI/EXEC, never as SPOP", () => {
    const { run, propagated, c } = harness();
    run("SADD", "s", ...Array.from({ length: 20 }, (_, i) => `m${i}`));
    propagated.length = 0;
    const popped = run("SPOP", "s", "3") as string[];
    expect(new Set(popped).size).toBe(3);
    expect(propagated).toEqual([["MULTI"], ...popped.map((member) => ["SREM", "s", member]), ["EXEC"]]);
    expect(run("SCARD", "s")).toBe(17);
    c.resp = 3;
    expect(run("SPOP", "s", "1")).toEqual({ set: [expect.any(String)] });
    expect(propagated.at(-1)?.[0]).toBe("SREM");
  });

  it("pops the whole set when count >= size: DEL propagated, spop then del events", () => {
    const { run, propagated, events, c } = harness();
    run("SADD", "s", "3", "1", "2");
    propagated.length = 0;
    events.length = 0;
    expect(run("SPOP", "s", "10")).toEqual(["1", "2", "3"]);
    expect(propagated).toEqual([["DEL", "s"]]);
    expect(events).toEqual(["spop s", "del s"]);
    expect(c.db.exists("s")).toBe(false);
  });

  it("answers an empty set for count 0 or a missing key, and checks the count first", () => {
    const { run, propagated, c } = harness();
    run("SADD", "s", "1");
    propagated.length = 0;
    expect(run("SPOP", "s", "0")).toEqual([]);
    expect(run("SPOP", "none", "2")).toEqual([]);
    expect(run("SPOP", "none", "-1")).toBe("-ERR value is out of range, must be positive");
    expect(run("SPOP", "none", "x")).toBe("-ERR value is out of range, must be positive");
    expect(propagated).toEqual([]);
    c.resp = 3;
    expect(run("SPOP", "none", "2")).toEqual({ set: [] });
    expect(run("SPOP", "none")).toBeNull();
  });

  it("leaves an intset when the integers that survive a large pop fit one", () => {
    const { run, encoding } = harness();
    run("SADD", "s", ...Array.from({ length: 1000 }, (_, i) => String(i)));
    expect(encoding("s")).toBe("hashtable");
    run("SPOP", "s", "900");
    expect(encoding("s")).toBe("intset");
    expect(run("SCARD", "s")).toBe(100);
  });
});

describe("SRANDMEMBER", () => {
  it("returns arrays: distinct members for a positive count, repeats for a negative one", () => {
    const { run, c } = harness();
    run("SADD", "s", "1", "2", "3", "4", "5");
    expect(["1", "2", "3", "4", "5"]).toContain(run("SRANDMEMBER", "s"));
    expect(run("SRANDMEMBER", "none")).toBeNull();
    const three = run("SRANDMEMBER", "s", "3") as string[];
    expect(new Set(three).size).toBe(3);
    expect(run("SRANDMEMBER", "s", "10")).toEqual(["1", "2", "3", "4", "5"]);
    const repeated = run("SRANDMEMBER", "s", "-12") as string[];
    expect(repeated.length).toBe(12);
    expect(repeated.every((member) => ["1", "2", "3", "4", "5"].includes(member))).toBe(true);
    expect(run("SRANDMEMBER", "s", "0")).toEqual([]);
    expect(run("SRANDMEMBER", "none", "3")).toEqual([]);
    c.resp = 3;
    expect(Array.isArray(run("SRANDMEMBER", "s", "2"))).toBe(true);
  });

  it("checks the count before the key", () => {
    const { run } = harness();
    expect(run("SRANDMEMBER", "none", "x")).toBe("-ERR value is not an integer or out of range");
    expect(run("SRANDMEMBER", "none", "-9223372036854775808")).toBe(
      "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    );
    expect(run("SRANDMEMBER", "none", "1", "2")).toBe("-ERR syntax error");
  });
});

describe("SMOVE", () => {
  it("moves a member, deleting an emptied source and creating the destination", () => {
    const { run, events, c, encoding } = harness();
    run("SADD", "src", "a");
    events.length = 0;
    expect(run("SMOVE", "src", "dst", "a")).toBe(1);
    expect(c.db.exists("src")).toBe(false);
    expect(run("SMEMBERS", "dst")).toEqual(["a"]);
    expect(encoding("dst")).toBe("hashtable");
    expect(events).toEqual(["srem src", "del src", "new dst", "sadd dst"]);
  });

  it("answers 0 for a missing source or member, checks both types, and treats src == dst as a lookup", () => {
    const { run, c } = harness();
    run("SADD", "s", "1", "2");
    run("HSET", "h", "f", "v");
    expect(run("SMOVE", "none", "h", "1")).toBe(0);
    expect(run("SMOVE", "s", "h", "1")).toBe(
      "-WRONGTYPE Operation against a key holding the wrong kind of value",
    );
    expect(run("SMOVE", "h", "s", "1")).toBe(
      "-WRONGTYPE Operation against a key holding the wrong kind of value",
    );
    expect(run("SMOVE", "s", "s", "1")).toBe(1);
    expect(run("SMOVE", "s", "s", "9")).toBe(0);
    expect(run("SMOVE", "s", "d", "9")).toBe(0);
    expect(c.db.exists("d")).toBe(false);
    run("SADD", "d", "1");
    expect(run("SMOVE", "s", "d", "1")).toBe(1);
    expect(run("SMEMBERS", "d")).toEqual(["1"]);
    expect(run("SMEMBERS", "s")).toEqual(["2"]);
  });
});

describe("SINTER / SUNION / SDIFF and STORE forms", () => {
  it("compute in Redis' order for integer results and type-check every key", () => {
    const { run } = harness();
    run("SADD", "a", "1", "2", "3", "4");
    run("SADD", "b", "3", "4", "5");
    run("SADD", "c", "4", "x");
    run("HSET", "h", "f", "v");
    expect(run("SINTER", "a", "b")).toEqual(["3", "4"]);
    expect(sorted(run("SINTER", "a", "b", "c"))).toEqual(["4"]);
    expect(run("SUNION", "a", "b")).toEqual(["1", "2", "3", "4", "5"]);
    expect(run("SDIFF", "a", "b")).toEqual(["1", "2"]);
    expect(run("SDIFF", "a", "a")).toEqual([]);
    expect(run("SDIFF", "none", "a")).toEqual([]);
    expect(run("SINTER", "a", "none")).toEqual([]);
    expect(sorted(run("SUNION", "a", "c", "none"))).toEqual(["1", "2", "3", "4", "x"]);
    expect(run("SINTER", "none", "h")).toBe(
      "-WRONGTYPE Operation against a key holding the wrong kind of value",
    );
    expect(run("SUNION", "a", "h")).toBe(
      "-WRONGTYPE Operation against a key holding the wrong kind of value",
    );
    expect(run("SDIFF", "none", "h")).toBe(
      "-WRONGTYPE Operation against a key holding the wrong kind of value",
    );
  });

  it("STORE forms replace the destination, or delete it for an empty result", () => {
    const { run, events, c, encoding } = harness();
    run("SADD", "a", "1", "2", "3");
    run("SADD", "b", "2", "3", "x");
    run("HSET", "dst", "f", "v");
    events.length = 0;
    expect(run("SINTERSTORE", "dst", "a", "b")).toBe(2);
    expect(encoding("dst")).toBe("intset");
    expect(run("SMEMBERS", "dst")).toEqual(["2", "3"]);
    expect(run("SUNIONSTORE", "u", "a", "b")).toBe(4);
    expect(encoding("u")).toBe("hashtable");
    expect(run("SDIFFSTORE", "d", "a", "b")).toBe(1);
    expect(run("SDIFFSTORE", "d", "a", "a")).toBe(0);
    expect(c.db.exists("d")).toBe(false);
    expect(run("SINTERSTORE", "never", "a", "none")).toBe(0);
    expect(events).toEqual(["sinterstore dst", "new u", "sunionstore u", "new d", "sdiffstore d", "del d"]);
  });

  it("SINTERSTORE into a source key works from the old contents", () => {
    const { run } = harness();
    run("SADD", "a", "1", "2", "3");
    run("SADD", "b", "2", "3");
    expect(run("SINTERSTORE", "a", "a", "b")).toBe(2);
    expect(run("SMEMBERS", "a")).toEqual(["2", "3"]);
  });

  it("SINTER and SUNION reply with RESP3 sets", () => {
    const { run, c } = harness();
    run("SADD", "a", "1");
    c.resp = 3;
    expect(run("SINTER", "a")).toEqual({ set: ["1"] });
    expect(run("SUNION", "none")).toEqual({ set: [] });
    expect(run("SDIFF", "a")).toEqual({ set: ["1"] });
  });
});

describe("SINTERCARD", () => {
  it("counts, stops at LIMIT and validates numkeys and options", () => {
    const { run } = harness();
    run("SADD", "a", "1", "2", "3");
    run("SADD", "b", "2", "3", "4");
    expect(run("SINTERCARD", "2", "a", "b")).toBe(2);
    expect(run("SINTERCARD", "2", "a", "b", "LIMIT", "1")).toBe(1);
    expect(run("SINTERCARD", "2", "a", "b", "limit", "0")).toBe(2);
    expect(run("SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "5")).toBe(2);
    expect(run("SINTERCARD", "2", "a", "none")).toBe(0);
    expect(run("SINTERCARD", "0", "a")).toBe("-ERR numkeys should be greater than 0");
    expect(run("SINTERCARD", "x", "a")).toBe("-ERR numkeys should be greater than 0");
    expect(run("SINTERCARD", "3", "a", "b")).toBe("-ERR Number of keys can't be greater than number of args");
    expect(run("SINTERCARD", "2", "a", "b", "LIMIT")).toBe("-ERR syntax error");
    expect(run("SINTERCARD", "2", "a", "b", "LIMIT", "-1")).toBe("-ERR LIMIT can't be negative");
    expect(run("SINTERCARD", "1", "a", "b")).toBe("-ERR syntax error");
  });

  it("declares its keys through getKeys", () => {
    const { server } = harness();
    const command = server.table.get("sintercard")!;
    const argv = ["SINTERCARD", "2", "a", "b", "LIMIT", "1"].map((arg) => Buffer.from(arg));
    expect(command.movableKeys).toBe(true);
    expect(command.keyIndexes(argv)).toEqual([2, 3]);
    expect(command.keyIndexes(["SINTERCARD", "9", "a"].map((arg) => Buffer.from(arg)))).toEqual([]);
  });
});

describe("SSCAN", () => {
  it("returns an intset whole in ascending order and filters with MATCH", () => {
    const { run } = harness();
    run("SADD", "s", "11", "2", "10", "1");
    expect(run("SSCAN", "s", "0")).toEqual(["0", ["1", "2", "10", "11"]]);
    expect(run("SSCAN", "s", "0", "MATCH", "1*")).toEqual(["0", ["1", "10", "11"]]);
    expect(run("SSCAN", "none", "0")).toEqual(["0", []]);
    expect(run("SSCAN", "s", "abc")).toBe("-ERR invalid cursor");
  });

  it("visits every member of a hashtable that stays for the whole iteration", () => {
    const { run } = harness();
    run("SADD", "s", ...Array.from({ length: 700 }, (_, i) => `m${i}`));
    const seen = new Set<string>();
    let cursor = "0";
    let step = 0;
    do {
      const [next, members] = run("SSCAN", "s", cursor, "COUNT", "30") as [string, string[]];
      for (const member of members) seen.add(member);
      cursor = next;
      run("SREM", "s", `m${(step * 2 + 1) % 700}`, `m${(step * 10 + 5) % 700}`);
      run("SADD", "s", `new${step}`, `newer${step}`);
      step++;
    } while (cursor !== "0");
    for (let i = 0; i < 700; i += 2) expect(seen.has(`m${i}`)).toBe(true);
  });
});

describe("type checks", () => {
  it("every set command answers WRONGTYPE on a hash", () => {
    const { run } = harness();
    run("HSET", "h", "f", "v");
    for (const command of [
      ["SADD", "h", "a"],
      ["SREM", "h", "a"],
      ["SMEMBERS", "h"],
      ["SISMEMBER", "h", "a"],
      ["SMISMEMBER", "h", "a"],
      ["SCARD", "h"],
      ["SPOP", "h"],
      ["SPOP", "h", "2"],
      ["SRANDMEMBER", "h"],
      ["SRANDMEMBER", "h", "2"],
      ["SINTER", "h"],
      ["SINTERCARD", "1", "h"],
      ["SUNION", "h"],
      ["SDIFF", "h"],
      ["SINTERSTORE", "d", "h"],
      ["SUNIONSTORE", "d", "h"],
      ["SDIFFSTORE", "d", "h"],
      ["SSCAN", "h", "0"],
    ]) {
      expect(run(...command)).toBe("-WRONGTYPE Operation against a key holding the wrong kind of value");
    }
  });
});
