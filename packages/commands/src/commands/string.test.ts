/*
 * String commands in memory: what a client cannot see through replies alone
 * (propagation rewrites, keyspace events, dirty counting, copies of argument
 * buffers) plus exactness at the 64-bit limits. Replies themselves are compared
 * with a real redis-server in tests/src/differential/corpus/strings.corpus.ts.
 */

import { describe, expect, it } from "vitest";
import { ClientFlag } from "../client-session.js";
import { InMemorySession, ReplyError } from "./in-memory-session.test-helper.js";

function session(): InMemorySession {
  return new InMemorySession();
}

describe("SET family", () => {
  it("propagates EX, PX and EXAT as an absolute PXAT", () => {
    const s = session();
    expect(s.run("SET", "k", "v", "EX", "100")).toBe("OK");
    expect(s.run("SET", "k", "v", "PX", "2500", "NX")).toBe(null);
    expect(s.run("SET", "k", "v", "XX", "PX", "2500")).toBe("OK");
    expect(s.run("SET", "k", "v", "EXAT", "1800000000")).toBe("OK");
    expect(s.run("SETEX", "k", "10", "w")).toBe("OK");
    expect(s.run("PSETEX", "k", "10", "w")).toBe("OK");
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual([
      `SET k v PXAT ${s.now + 100_000}`,
      `SET k v PXAT ${s.now + 2500}`,
      "SET k v PXAT 1800000000000",
      `SET k w PXAT ${s.now + 10_000}`,
      `SET k w PXAT ${s.now + 10}`,
    ]);
  });

  it("propagates PXAT as given, and GET without its GET arguments", () => {
    const s = session();
    s.run("SET", "k", "v", "PXAT", "1800000000000");
    s.run("SET", "k", "w", "GET", "get");
    s.run("SET", "k", "x", "KEEPTTL", "GET");
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual([
      "SET k v PXAT 1800000000000",
      "SET k w",
      "SET k x KEEPTTL",
    ]);
  });

  it("propagates nothing when NX or XX refuses, or on errors", () => {
    const s = session();
    s.run("SET", "k", "v");
    s.clearRecords();
    expect(s.run("SET", "k", "w", "NX")).toBe(null);
    expect(s.run("SET", "missing", "w", "XX")).toBe(null);
    expect(s.run("SETNX", "k", "w")).toBe(0);
    expect(s.run("SET", "k", "w", "EX", "0")).toEqual(
      new ReplyError("ERR invalid expire time in 'set' command"),
    );
    expect(s.run("SETEX", "k", "0", "w")).toEqual(
      new ReplyError("ERR invalid expire time in 'setex' command"),
    );
    expect(s.propagated).toEqual([]);
    expect(s.events).toEqual([]);
  });

  it("raises new, set and expire in Redis' order", () => {
    const s = session();
    s.run("SET", "k", "v", "EX", "10");
    s.run("SET", "k", "w");
    s.run("MSET", "a", "1", "k", "2");
    expect(s.events).toEqual([
      "0:new:k",
      "0:set:k",
      "0:expire:k",
      "0:set:k",
      "0:new:a",
      "0:set:a",
      "0:set:k",
    ]);
  });

  it("stores a copy of the argument bytes", () => {
    const s = session();
    const value = Buffer.from("original");
    s.run("SET", "k", value);
    s.run("APPEND", "fresh", value);
    s.run("MSET", "m", value);
    value.write("CHANGED!");
    expect(s.run("MGET", "k", "fresh", "m")).toEqual(["original", "original", "original"]);
  });

  it("counts one dirty change per key written", () => {
    const s = session();
    const before = s.state.keyspace.dirty;
    s.run("MSET", "a", "1", "b", "2", "c", "3");
    expect(s.state.keyspace.dirty - before).toBe(3);
    s.run("GET", "a");
    s.run("SET", "a", "1", "NX");
    expect(s.state.keyspace.dirty - before).toBe(3);
  });
});

describe("GETSET, GETDEL and GETEX", () => {
  it("propagate as SET, DEL, PEXPIREAT and PERSIST", () => {
    const s = session();
    s.run("GETSET", "k", "v");
    s.run("GETEX", "k", "EX", "5");
    s.run("GETEX", "k", "PERSIST");
    s.run("GETEX", "k", "PXAT", "1800000000000");
    s.run("GETEX", "k", "EXAT", "1");
    s.run("SET", "d", "x");
    s.run("GETDEL", "d");
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual([
      "SET k v",
      `PEXPIREAT k ${s.now + 5000}`,
      "PERSIST k",
      "PEXPIREAT k 1800000000000",
      "DEL k",
      "SET d x",
      "DEL d",
    ]);
    expect(s.events).toEqual([
      "0:new:k",
      "0:set:k",
      "0:expire:k",
      "0:persist:k",
      "0:expire:k",
      "0:del:k",
      "0:new:d",
      "0:set:d",
      "0:del:d",
    ]);
  });

  it("propagate nothing when nothing changes", () => {
    const s = session();
    s.run("SET", "k", "v");
    s.clearRecords();
    expect(s.run("GETEX", "k")).toBe("v");
    expect(s.run("GETEX", "k", "PERSIST")).toBe("v");
    expect(s.run("GETDEL", "missing")).toBe(null);
    expect(s.run("GETEX", "missing", "EX", "10")).toBe(null);
    expect(s.propagated).toEqual([]);
  });
});

describe("INCR family", () => {
  it("is exact across the whole signed 64-bit range", () => {
    const s = session();
    expect(s.run("SET", "k", "9007199254740991")).toBe("OK");
    expect(s.run("INCR", "k")).toBe(9007199254740992n);
    expect(s.run("INCR", "k")).toBe(9007199254740993n);
    expect(s.run("INCRBY", "k", "9223372036854775807")).toEqual(
      new ReplyError("ERR increment or decrement would overflow"),
    );
    expect(s.run("INCRBY", "k", "9214364837600034814")).toBe(9223372036854775807n);
    expect(s.run("INCR", "k")).toEqual(new ReplyError("ERR increment or decrement would overflow"));
    expect(s.run("DECRBY", "k", "18446744073709551615")).toEqual(
      new ReplyError("ERR value is not an integer or out of range"),
    );
    expect(s.run("DECRBY", "k", "9223372036854775807")).toBe(0);
    expect(s.run("DECRBY", "k", "-9223372036854775808")).toEqual(
      new ReplyError("ERR decrement would overflow"),
    );
    expect(s.run("DECRBY", "k", "9223372036854775807")).toBe(-9223372036854775807n);
    expect(s.run("DECR", "k")).toBe(-9223372036854775808n);
    expect(s.run("DECR", "k")).toEqual(new ReplyError("ERR increment or decrement would overflow"));
    expect(s.run("GET", "k")).toBe("-9223372036854775808");
    expect(s.run("OBJECT", "ENCODING", "k")).toBe("int");
  });

  it("propagates as sent, raises incrby, keeps the TTL", () => {
    const s = session();
    s.run("SET", "k", "1", "EX", "100");
    s.clearRecords();
    s.run("INCRBY", "k", "5");
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual(["INCRBY k 5"]);
    expect(s.events).toEqual(["0:incrby:k"]);
    expect(s.run("TTL", "k")).toBe(100);
  });

  it("refuses values that are not canonical integers", () => {
    const s = session();
    for (const text of ["01", " 1", "1 ", "+1", "-0", "1.0", "", "9223372036854775808"]) {
      s.run("SET", "k", text);
      expect(s.run("INCR", "k")).toEqual(new ReplyError("ERR value is not an integer or out of range"));
    }
  });
});

describe("INCRBYFLOAT", () => {
  it("computes in extended precision and propagates SET ... KEEPTTL", () => {
    const s = session();
    s.run("SET", "f", "10.1", "EX", "100");
    s.clearRecords();
    expect(s.run("INCRBYFLOAT", "f", "0.2")).toBe("10.3");
    expect(s.run("INCRBYFLOAT", "f", "1e20")).toBe("100000000000000000008");
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual([
      "SET f 10.3 KEEPTTL",
      "SET f 100000000000000000008 KEEPTTL",
    ]);
    expect(s.events).toEqual(["0:incrbyfloat:f", "0:incrbyfloat:f"]);
    expect(s.run("TTL", "f")).toBe(100);
    expect(s.run("OBJECT", "ENCODING", "f")).toBe("embstr");
  });

  it("refuses bad floats and non-finite results without changing the value", () => {
    const s = session();
    s.run("SET", "f", "1.5");
    s.clearRecords();
    expect(s.run("INCRBYFLOAT", "f", "x")).toEqual(new ReplyError("ERR value is not a valid float"));
    expect(s.run("INCRBYFLOAT", "f", "inf")).toEqual(
      new ReplyError("ERR increment would produce NaN or Infinity"),
    );
    s.run("SET", "g", "not a number");
    expect(s.run("INCRBYFLOAT", "g", "1")).toEqual(new ReplyError("ERR value is not a valid float"));
    expect(s.run("GET", "f")).toBe("1.5");
    expect(s.propagated.map((p) => p.argv[0])).toEqual(["SET"]);
  });
});

describe("APPEND and SETRANGE", () => {
  it("edit in place with amortised growth and report the encoding Redis reports", () => {
    const s = session();
    expect(s.run("APPEND", "k", "123")).toBe(3);
    expect(s.run("OBJECT", "ENCODING", "k")).toBe("int");
    for (let i = 0; i < 1000; i++) s.run("APPEND", "k", "abc");
    expect(s.run("STRLEN", "k")).toBe(3003);
    expect(s.run("OBJECT", "ENCODING", "k")).toBe("raw");
    expect(s.run("GETRANGE", "k", "0", "8")).toBe("123abcabc");
    expect(s.run("SETRANGE", "k", "1", "XY")).toBe(3003);
    expect(s.run("GETRANGE", "k", "0", "4")).toBe("1XYab");
  });

  it("enforce proto-max-bulk-len except for the primary link", () => {
    const s = session();
    s.state.settings.protoMaxBulkLen = 10;
    s.run("SET", "k", "12345");
    expect(s.run("APPEND", "k", "123456")).toEqual(
      new ReplyError("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    );
    expect(s.run("SETRANGE", "k", "10", "x")).toEqual(
      new ReplyError("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    );
    expect(s.run("SETRANGE", "k", "9", "x")).toBe(10);
    s.client.flags |= ClientFlag.Primary;
    expect(s.run("APPEND", "k", "more")).toBe(14);
  });

  it("raise append and setrange; SETRANGE with nothing to write changes nothing", () => {
    const s = session();
    s.run("APPEND", "k", "a");
    s.run("SETRANGE", "k", "0", "b");
    s.run("SETRANGE", "k", "5", "");
    s.run("SETRANGE", "n", "3", "x");
    expect(s.events).toEqual(["0:new:k", "0:append:k", "0:setrange:k", "0:new:n", "0:setrange:n"]);
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual([
      "APPEND k a",
      "SETRANGE k 0 b",
      "SETRANGE n 3 x",
    ]);
    expect(s.run("GET", "n")).toBe("\0\0\0x");
  });
});

describe("LCS", () => {
  it("finds the subsequence and the ranges Redis reports", () => {
    const s = session();
    s.run("MSET", "a", "ohmytext", "b", "mynewtext");
    expect(s.run("LCS", "a", "b")).toBe("mytext");
    expect(s.run("LCS", "a", "b", "LEN")).toBe(6);
    expect(s.run("LCS", "a", "b", "IDX", "WITHMATCHLEN")).toEqual([
      "matches",
      [
        [[4, 7], [5, 8], 4],
        [[2, 3], [0, 1], 2],
      ],
      "len",
      6,
    ]);
  });

  it("refuses tables beyond proto-max-bulk-len", () => {
    const s = session();
    s.state.settings.protoMaxBulkLen = 1000;
    s.run("MSET", "a", "x".repeat(20), "b", "y".repeat(20));
    expect(s.run("LCS", "a", "b")).toEqual(
      new ReplyError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"),
    );
  });
});
