/*
 * Bitmap commands in memory: what a client cannot see through replies alone
 * (keyspace events, propagation, dirty counting, WATCH, in-place edits that
 * must not leak into replies or other values, the proto-max-bulk-len limit
 * and the clients exempt from it). Replies are compared with a real
 * redis-server in tests/src/differential/corpus/bitmap.corpus.ts.
 */

import type { RedisString } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { ClientFlag, ClientSession } from "../client-session.js";
import { processCommand } from "../dispatch.js";
import { InMemorySession, ReplyError } from "./in-memory-session.test-helper.js";

const propagatedLines = (s: InMemorySession) => s.propagated.map((p) => p.argv.join(" "));

describe("SETBIT", () => {
  it("raises new and setbit, and propagates, only when it changes something", () => {
    const s = new InMemorySession();
    expect(s.run("SETBIT", "b", "3", "1")).toBe(0);
    expect(s.run("SETBIT", "b", "3", "1")).toBe(1);
    expect(s.run("SETBIT", "b", "4", "0")).toBe(0);
    expect(s.run("SETBIT", "b", "20", "0")).toBe(0); // grows the string: a change
    expect(s.run("SETBIT", "b", "3", "0")).toBe(1);
    expect(s.events).toEqual(["0:new:b", "0:setbit:b", "0:setbit:b", "0:setbit:b"]);
    expect(propagatedLines(s)).toEqual(["SETBIT b 3 1", "SETBIT b 20 0", "SETBIT b 3 0"]);
    expect(s.run("GET", "b")).toBe("\x00\x00\x00");
  });

  it("counts one dirty change per effective write", () => {
    const s = new InMemorySession();
    const keyspace = s.state.keyspace;
    const before = keyspace.dirty;
    s.run("SETBIT", "b", "0", "1");
    s.run("SETBIT", "b", "0", "1");
    s.run("SETBIT", "b", "1", "1");
    expect(keyspace.dirty - before).toBe(2);
  });

  it("edits the stored bytes in place without changing earlier replies or copies", () => {
    const s = new InMemorySession();
    s.run("SET", "b", "abc");
    const before = s.run("GET", "b");
    s.run("COPY", "b", "copy");
    s.run("SETBIT", "b", "7", "0");
    s.run("SETBIT", "b", "100", "1");
    expect(before).toBe("abc");
    expect(s.run("GET", "copy")).toBe("abc");
    expect(s.run("GET", "b")).toBe("`bc\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08");
    expect((s.db.lookupRead("b") as RedisString).encoding).toBe("raw");
  });

  it("makes a watched key dirty, so EXEC fails", () => {
    const s = new InMemorySession();
    s.run("SET", "b", "a");
    const other = new ClientSession(s.state, null);
    s.run("WATCH", "b");
    processCommand(other, [Buffer.from("SETBIT"), Buffer.from("b"), Buffer.from("0"), Buffer.from("1")]);
    other.reply.drain();
    s.run("MULTI");
    s.run("GET", "b");
    expect(s.run("EXEC")).toBe(null);
  });

  it("does not invalidate WATCH when nothing changes", () => {
    const s = new InMemorySession();
    s.run("SET", "b", "a");
    const other = new ClientSession(s.state, null);
    s.run("WATCH", "b");
    processCommand(other, [Buffer.from("SETBIT"), Buffer.from("b"), Buffer.from("1"), Buffer.from("1")]);
    other.reply.drain();
    s.run("MULTI");
    s.run("GET", "b");
    expect(s.run("EXEC")).toEqual(["a"]);
  });

  it("limits offsets by proto-max-bulk-len, except for the primary and data-file replay", () => {
    const s = new InMemorySession();
    s.state.settings.protoMaxBulkLen = 1024;
    const refused = new ReplyError("ERR bit offset is not an integer or out of range");
    expect(s.run("SETBIT", "b", "8192", "1")).toEqual(refused);
    expect(s.run("BITFIELD", "b", "SET", "u8", "#1024", "1")).toEqual(refused);
    expect(s.run("SETBIT", "b", "8191", "1")).toBe(0);
    expect(s.run("STRLEN", "b")).toBe(1024);
    s.client.flags |= ClientFlag.Primary;
    expect(s.run("SETBIT", "b", "16383", "1")).toBe(0);
    s.client.flags = ClientFlag.Loading;
    expect(s.run("BITFIELD", "b", "SET", "u8", "#2048", "7")).toEqual([0]);
    s.client.flags = 0;
    expect(s.run("STRLEN", "b")).toBe(2049);
    expect(s.run("GETBIT", "b", "16383")).toEqual(refused);
  });
});

describe("BITFIELD", () => {
  it("counts each changed field and raises one setbit event", () => {
    const s = new InMemorySession();
    s.run("SET", "f", "\x00\x00");
    s.clearRecords();
    const before = s.state.keyspace.dirty;
    expect(
      s.run("BITFIELD", "f", "SET", "u8", "0", "1", "SET", "u8", "8", "0", "INCRBY", "u4", "12", "2"),
    ).toEqual([0, 0, 2]);
    expect(s.state.keyspace.dirty - before).toBe(2);
    expect(s.events).toEqual(["0:setbit:f"]);
    expect(propagatedLines(s)).toEqual(["BITFIELD f SET u8 0 1 SET u8 8 0 INCRBY u4 12 2"]);
  });

  it("creates the key even when OVERFLOW FAIL refuses every write, without propagating", () => {
    const s = new InMemorySession();
    expect(s.run("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "10")).toEqual([null]);
    expect(s.events).toEqual(["0:new:f"]);
    expect(s.propagated).toEqual([]);
    expect(s.run("GET", "f")).toBe("\x00");
  });

  it("counts growth of the string as a change even when the value is the same", () => {
    const s = new InMemorySession();
    s.run("SET", "f", "a");
    s.clearRecords();
    expect(s.run("BITFIELD", "f", "SET", "u8", "8", "0")).toEqual([0]);
    expect(s.events).toEqual(["0:setbit:f"]);
    expect(s.run("BITFIELD", "f", "SET", "u8", "8", "0")).toEqual([0]);
    expect(s.events).toEqual(["0:setbit:f"]);
  });

  it("reads without writing: GET only, and BITFIELD_RO, are not propagated", () => {
    const s = new InMemorySession();
    s.run("SET", "f", "\xff");
    s.clearRecords();
    expect(s.run("BITFIELD", "f", "GET", "i8", "0", "GET", "u4", "4")).toEqual([-1, 15]);
    expect(s.run("BITFIELD_RO", "f", "GET", "u8", "0")).toEqual([255]);
    expect(s.run("BITFIELD_RO", "missing", "GET", "u8", "0")).toEqual([0]);
    expect(s.run("EXISTS", "missing")).toBe(0);
    expect(s.propagated).toEqual([]);
    expect(s.events).toEqual([]);
  });

  it("replies 64-bit values exactly", () => {
    const s = new InMemorySession();
    expect(s.run("BITFIELD", "f", "SET", "i64", "0", "-9223372036854775808", "GET", "u63", "0")).toEqual([
      0,
      4611686018427387904n,
    ]);
    expect(s.run("BITFIELD", "f", "INCRBY", "i64", "0", "-1", "GET", "i64", "0")).toEqual([
      9223372036854775807n,
      9223372036854775807n,
    ]);
  });
});

describe("BITOP", () => {
  it("stores with new and set events, and deletes an emptied destination with del", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "ab");
    s.clearRecords();
    expect(s.run("BITOP", "NOT", "d", "a")).toBe(2);
    expect(s.run("BITOP", "OR", "d", "a", "missing")).toBe(2);
    expect(s.run("BITOP", "AND", "d", "missing")).toBe(0);
    expect(s.run("BITOP", "AND", "d", "missing")).toBe(0);
    expect(s.events).toEqual(["0:new:d", "0:set:d", "0:set:d", "0:del:d"]);
    expect(propagatedLines(s)).toEqual(["BITOP NOT d a", "BITOP OR d a missing", "BITOP AND d missing"]);
  });

  it("stores a value of its own: editing a source afterwards leaves the result alone", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "xyz");
    s.run("BITOP", "OR", "d", "a");
    s.run("SETBIT", "a", "0", "1");
    expect(s.run("GET", "d")).toBe("xyz");
    expect(s.run("OBJECT", "ENCODING", "d")).toBe("raw");
  });

  it("counts keyspace hits and misses for its sources", () => {
    const s = new InMemorySession();
    s.run("SET", "a", "x");
    const keyspace = s.state.keyspace;
    const [hits, misses] = [keyspace.hits, keyspace.misses];
    s.run("BITOP", "AND", "d", "a", "missing", "a");
    expect([keyspace.hits - hits, keyspace.misses - misses]).toEqual([2, 1]);
  });
});
