/*
 * Hash commands run through the gate and call() on an in-memory server: replies
 * decoded with @spinel/resp's decoder, keyspace events and propagation captured.
 * (Byte-for-byte agreement with redis-server is the differential corpus' job.)
 */

import { type EventClass, RedisHash, RedisSet } from "@spinel/core-db";
import { ReplyDecoder, RespError, RespMap, type RespValue } from "@spinel/resp";
import { describe, expect, it } from "vitest";
import { ClientSession } from "../client-session.js";
import { processCommand } from "../dispatch.js";
import { ServerState } from "../server-state.js";
import { hashCommands } from "./hash.js";

/** A server with the hash commands, recording events and propagated commands. */
function harness() {
  const events: string[] = [];
  const propagated: string[][] = [];
  const server = new ServerState({
    specs: hashCommands,
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
  /** Run one command and return its decoded reply (bulk strings as latin1 text). */
  const run = (...args: (string | Buffer)[]): unknown => {
    processCommand(
      c,
      args.map((arg) => (typeof arg === "string" ? Buffer.from(arg, "latin1") : arg)),
    );
    for (const chunk of c.reply.drain()) decoder.feed(chunk);
    return plain(decoder.next()!);
  };
  return { server, c, run, events, propagated };
}

/** Decoded values made easy to compare: Buffers as text, errors as "-message". */
function plain(value: RespValue): unknown {
  if (Buffer.isBuffer(value)) return value.toString("latin1");
  if (value instanceof RespError) return `-${value.message}`;
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof RespMap) return value.entries.map(([k, v]) => [plain(k), plain(v)]);
  return value;
}

const WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value";

describe("HSET / HMSET / HSETNX", () => {
  it("count new fields, keep listpack order and raise one hset event per call", () => {
    const { run, events, c } = harness();
    expect(run("HSET", "h", "a", "1", "b", "2")).toBe(2);
    expect(run("HSET", "h", "a", "9", "c", "3")).toBe(1);
    expect(run("HMSET", "h", "d", "4")).toBe("OK");
    expect(run("HGETALL", "h")).toEqual(["a", "9", "b", "2", "c", "3", "d", "4"]);
    expect(events).toEqual(["new h", "hset h", "hset h", "hset h"]);
    expect((c.db.lookupRead("h") as RedisHash).encoding).toBe("listpack");
  });

  it("refuse an odd number of arguments with the command's own name", () => {
    const { run } = harness();
    expect(run("HSET", "h", "a", "1", "b")).toBe("-ERR wrong number of arguments for 'hset' command");
    expect(run("hmset", "h", "a", "1", "b")).toBe("-ERR wrong number of arguments for 'hmset' command");
  });

  it("HSETNX sets only a missing field", () => {
    const { run, events } = harness();
    expect(run("HSETNX", "h", "a", "1")).toBe(1);
    expect(run("HSETNX", "h", "a", "2")).toBe(0);
    expect(run("HGET", "h", "a")).toBe("1");
    expect(events).toEqual(["new h", "hset h"]);
  });

  it("convert to a hashtable past the configured limits", () => {
    const { run, c, server } = harness();
    server.keyspace.limits.hashMaxListpackEntries = 2;
    run("HSET", "h", "a", "1", "b", "2");
    expect((c.db.lookupRead("h") as RedisHash).encoding).toBe("listpack");
    run("HSET", "h", "c", "3");
    expect((c.db.lookupRead("h") as RedisHash).encoding).toBe("hashtable");
    run("HSET", "long", "f", "x".repeat(65));
    expect((c.db.lookupRead("long") as RedisHash).encoding).toBe("hashtable");
  });
});

describe("reads", () => {
  it("HGET, HMGET, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS on present and missing keys", () => {
    const { run } = harness();
    run("HSET", "h", "a", "1", "b", "22", "\x00bin", "\r\n");
    expect(run("HGET", "h", "b")).toBe("22");
    expect(run("HGET", "h", "zz")).toBeNull();
    expect(run("HGET", "none", "a")).toBeNull();
    expect(run("HMGET", "h", "a", "zz", "\x00bin")).toEqual(["1", null, "\r\n"]);
    expect(run("HMGET", "none", "a", "b")).toEqual([null, null]);
    expect(run("HLEN", "h")).toBe(3);
    expect(run("HLEN", "none")).toBe(0);
    expect(run("HSTRLEN", "h", "b")).toBe(2);
    expect(run("HSTRLEN", "h", "zz")).toBe(0);
    expect(run("HEXISTS", "h", "a")).toBe(1);
    expect(run("HEXISTS", "h", "zz")).toBe(0);
    expect(run("HKEYS", "h")).toEqual(["a", "b", "\x00bin"]);
    expect(run("HVALS", "h")).toEqual(["1", "22", "\r\n"]);
    expect(run("HKEYS", "none")).toEqual([]);
    expect(run("HGETALL", "none")).toEqual([]);
  });

  it("HGETALL is a map on RESP3", () => {
    const { run, c } = harness();
    run("HSET", "h", "a", "1");
    c.resp = 3;
    expect(run("HGETALL", "h")).toEqual([["a", "1"]]);
    expect(run("HGETALL", "none")).toEqual([]);
    expect(run("HGET", "none", "a")).toBeNull();
  });
});

describe("HDEL", () => {
  it("counts deleted fields and deletes the emptied key with hdel then del", () => {
    const { run, events, c } = harness();
    run("HSET", "h", "a", "1", "b", "2");
    events.length = 0;
    expect(run("HDEL", "h", "a", "zz", "a")).toBe(1);
    expect(run("HDEL", "h", "zz")).toBe(0);
    expect(run("HDEL", "h", "b", "a")).toBe(1);
    expect(c.db.exists("h")).toBe(false);
    expect(events).toEqual(["hdel h", "hdel h", "del h"]);
    expect(run("HDEL", "none", "a")).toBe(0);
  });
});

describe("HINCRBY / HINCRBYFLOAT", () => {
  it("HINCRBY adds exactly over the 64-bit range and refuses overflow and non-integers", () => {
    const { run } = harness();
    expect(run("HINCRBY", "h", "n", "5")).toBe(5);
    expect(run("HINCRBY", "h", "n", "-7")).toBe(-2);
    expect(run("HINCRBY", "h", "big", "9223372036854775806")).toBe(9223372036854775806n);
    expect(run("HINCRBY", "h", "big", "1")).toBe(9223372036854775807n);
    expect(run("HINCRBY", "h", "big", "1")).toBe("-ERR increment or decrement would overflow");
    expect(run("HGET", "h", "big")).toBe("9223372036854775807");
    expect(run("HINCRBY", "h", "n", "1.5")).toBe("-ERR value is not an integer or out of range");
    run("HSET", "h", "text", "abc", "padded", " 1", "zero", "00");
    expect(run("HINCRBY", "h", "text", "1")).toBe("-ERR hash value is not an integer");
    expect(run("HINCRBY", "h", "padded", "1")).toBe("-ERR hash value is not an integer");
    expect(run("HINCRBY", "h", "zero", "1")).toBe("-ERR hash value is not an integer");
  });

  it("HINCRBYFLOAT computes in extended precision and propagates an HSET of the result", () => {
    const { run, propagated, events } = harness();
    expect(run("HINCRBYFLOAT", "h", "f", "10.1")).toBe("10.1");
    expect(run("HINCRBYFLOAT", "h", "f", "0.2")).toBe("10.3");
    expect(run("HINCRBYFLOAT", "h", "g", "5.0e3")).toBe("5000");
    expect(propagated).toEqual([
      ["HSET", "h", "f", "10.1"],
      ["HSET", "h", "f", "10.3"],
      ["HSET", "h", "g", "5000"],
    ]);
    expect(events).toEqual(["new h", "hincrbyfloat h", "hincrbyfloat h", "hincrbyfloat h"]);
  });

  it("HINCRBYFLOAT refuses bad increments, infinite increments and non-float values", () => {
    const { run, c } = harness();
    expect(run("HINCRBYFLOAT", "h", "f", "abc")).toBe("-ERR value is not a valid float");
    expect(run("HINCRBYFLOAT", "h", "f", "inf")).toBe("-ERR value is NaN or Infinity");
    expect(c.db.exists("h")).toBe(false);
    run("HSET", "h", "s", "x", "huge", "1.1e4932");
    expect(run("HINCRBYFLOAT", "h", "s", "1")).toBe("-ERR hash value is not a float");
    expect(run("HINCRBYFLOAT", "h", "huge", "1.1e4932")).toBe("-ERR increment would produce NaN or Infinity");
  });
});

describe("HRANDFIELD", () => {
  it("returns one field, or nil for a missing key", () => {
    const { run } = harness();
    run("HSET", "h", "a", "1", "b", "2");
    expect(["a", "b"]).toContain(run("HRANDFIELD", "h"));
    expect(run("HRANDFIELD", "none")).toBeNull();
  });

  it("returns distinct fields for a positive count and the whole hash in order when asking for more", () => {
    const { run } = harness();
    const args: string[] = [];
    for (let i = 0; i < 20; i++) args.push(`f${i}`, `v${i}`);
    run("HSET", "h", ...args);
    for (const count of [1, 5, 7, 19]) {
      const fields = run("HRANDFIELD", "h", String(count)) as string[];
      expect(fields.length).toBe(count);
      expect(new Set(fields).size).toBe(count);
    }
    expect(run("HRANDFIELD", "h", "100")).toEqual(args.filter((_, i) => i % 2 === 0));
    expect(run("HRANDFIELD", "h", "25", "WITHVALUES")).toEqual(args);
  });

  it("repeats fields for a negative count and pairs values on RESP2 (flat) and RESP3 (nested)", () => {
    const { run, c } = harness();
    run("HSET", "h", "a", "1");
    expect(run("HRANDFIELD", "h", "-3")).toEqual(["a", "a", "a"]);
    expect(run("HRANDFIELD", "h", "-2", "withvalues")).toEqual(["a", "1", "a", "1"]);
    c.resp = 3;
    expect(run("HRANDFIELD", "h", "-2", "withvalues")).toEqual([
      ["a", "1"],
      ["a", "1"],
    ]);
    expect(run("HRANDFIELD", "h", "5", "withvalues")).toEqual([["a", "1"]]);
    expect(run("HRANDFIELD", "none", "5")).toEqual([]);
  });

  it("pairs each repeated field with its own value, below and beyond the size, in both encodings", () => {
    const { run } = harness();
    // 5 fields stay a listpack, 200 make a hashtable.
    for (const size of [5, 200]) {
      const args: string[] = [];
      for (let i = 0; i < size; i++) args.push(`f${i}`, `v${i}`);
      run("HSET", `h${size}`, ...args);
      for (const count of [3, size * 40]) {
        const reply = run("HRANDFIELD", `h${size}`, String(-count), "WITHVALUES") as string[];
        expect(reply.length).toBe(count * 2);
        const seen = new Set<string>();
        for (let i = 0; i < reply.length; i += 2) {
          expect(reply[i + 1]).toBe(`v${reply[i]!.slice(1)}`);
          seen.add(reply[i]!);
        }
        // 40 picks per field: every field shows up (a miss has odds below 1e-15).
        if (count > size) expect(seen.size).toBe(size);
      }
    }
  });

  it("validates the count first, then the syntax, then the key", () => {
    const { run } = harness();
    expect(run("HRANDFIELD", "none", "x")).toBe("-ERR value is not an integer or out of range");
    expect(run("HRANDFIELD", "none", "1", "withvalues", "x")).toBe("-ERR syntax error");
    expect(run("HRANDFIELD", "none", "x", "bogus")).toBe("-ERR value is not an integer or out of range");
    expect(run("HRANDFIELD", "none", "-9223372036854775808")).toBe(
      "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    );
    expect(run("HRANDFIELD", "none", "4611686018427387904", "withvalues")).toBe("-ERR value is out of range");
    expect(run("HRANDFIELD", "none", "-4611686018427387904", "withvalues")).toBe(
      "-ERR value is out of range",
    );
    expect(run("HRANDFIELD", "none", "4611686018427387903", "withvalues")).toEqual([]);
    expect(run("HRANDFIELD", "none", "0")).toEqual([]);
  });
});

describe("HSCAN", () => {
  it("returns a listpack whole, filters with MATCH and checks cursor then key then options", () => {
    const { run } = harness();
    run("HSET", "h", "a", "1", "b", "2", "ab", "3");
    expect(run("HSCAN", "h", "0")).toEqual(["0", ["a", "1", "b", "2", "ab", "3"]]);
    expect(run("HSCAN", "h", "0", "MATCH", "a*", "COUNT", "1")).toEqual(["0", ["a", "1", "ab", "3"]]);
    expect(run("HSCAN", "none", "x")).toBe("-ERR invalid cursor");
    expect(run("HSCAN", "none", "0", "COUNT", "0")).toEqual(["0", []]);
    expect(run("HSCAN", "h", "0", "COUNT", "0")).toBe("-ERR syntax error");
    expect(run("HSCAN", "h", "0", "TYPE", "hash")).toBe("-ERR syntax error");
  });

  it("visits every field of a hashtable that stays for the whole iteration while others come and go", () => {
    const { run } = harness();
    const args: string[] = [];
    for (let i = 0; i < 400; i++) args.push(`f${i}`, String(i));
    run("HSET", "h", ...args);
    const seen = new Set<string>();
    let cursor = "0";
    let step = 0;
    do {
      const [next, pairs] = run("HSCAN", "h", cursor, "COUNT", "25") as [string, string[]];
      for (let i = 0; i < pairs.length; i += 2) seen.add(pairs[i]!);
      cursor = next;
      // Odd fields are deleted and new ones added between calls.
      run("HDEL", "h", `f${(step * 2 + 1) % 400}`, `f${(step * 6 + 3) % 400}`);
      run("HSET", "h", `new${step}`, "x");
      step++;
    } while (cursor !== "0");
    for (let i = 0; i < 400; i += 2) expect(seen.has(`f${i}`)).toBe(true);
  });
});

describe("type checks", () => {
  it("every hash command answers WRONGTYPE on a key of another type", () => {
    const { run, c } = harness();
    const set = new RedisSet();
    set.add("m", c.db.keyspace.limits);
    c.db.add("other", set);
    for (const command of [
      ["HSET", "other", "a", "1"],
      ["HSETNX", "other", "a", "1"],
      ["HMSET", "other", "a", "1"],
      ["HGET", "other", "a"],
      ["HMGET", "other", "a"],
      ["HGETALL", "other"],
      ["HKEYS", "other"],
      ["HVALS", "other"],
      ["HDEL", "other", "a"],
      ["HLEN", "other"],
      ["HEXISTS", "other", "a"],
      ["HSTRLEN", "other", "a"],
      ["HINCRBY", "other", "a", "1"],
      ["HINCRBYFLOAT", "other", "a", "1"],
      ["HRANDFIELD", "other"],
      ["HRANDFIELD", "other", "2"],
      ["HSCAN", "other", "0"],
    ]) {
      expect(run(...command)).toBe(WRONGTYPE);
    }
  });

  it("the hash a write command creates is a RedisHash", () => {
    const { run, c } = harness();
    run("HSET", "h", "a", "1");
    expect(c.db.lookupRead("h")).toBeInstanceOf(RedisHash);
  });
});
