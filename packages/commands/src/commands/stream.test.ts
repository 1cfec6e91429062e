/*
 * Stream commands run through the gate and call() on an in-memory server with a
 * manual clock: auto IDs from the frozen command time, what each command
 * notifies, dirties and propagates (the write epilogue), and the replies that
 * depend on the clock (idle times, delivery times), which the differential
 * corpora against redis-server must mask. Byte-level agreement with Redis is
 * the job of tests/src/differential/corpus/stream-*.corpus.ts.
 */

import { describe, expect, it } from "vitest";
import { InMemorySession, ReplyError } from "./in-memory-session.test-helper.js";

describe("XADD", () => {
  it("generates IDs from the command time and propagates them", () => {
    const s = new InMemorySession();
    s.now = 5000;
    expect(s.run("XADD", "s", "*", "f", "v")).toBe("5000-0");
    expect(s.run("XADD", "s", "*", "f", "v")).toBe("5000-1");
    s.now = 4000; // the clock went back: the sequence keeps growing
    expect(s.run("XADD", "s", "*", "f", "v")).toBe("5000-2");
    s.now = 6000;
    expect(s.run("XADD", "s", "6000-*", "f", "v")).toBe("6000-0");
    expect(s.run("XADD", "s", "6000-*", "f", "v")).toBe("6000-1");
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual([
      "XADD s 5000-0 f v",
      "XADD s 5000-1 f v",
      "XADD s 5000-2 f v",
      "XADD s 6000-0 f v",
      "XADD s 6000-1 f v",
    ]);
    expect(s.events).toEqual(["0:new:s", "0:xadd:s", "0:xadd:s", "0:xadd:s", "0:xadd:s", "0:xadd:s"]);
  });

  it("trims after appending, with xadd then xtrim events and one dirty unit per removed entry", () => {
    const s = new InMemorySession();
    for (let i = 1; i <= 5; i++) s.run("XADD", "s", `${i}-0`, "f", "v");
    s.clearRecords();
    const dirty = s.state.keyspace.dirty;
    expect(s.run("XADD", "s", "MAXLEN", "2", "6-0", "f", "v")).toBe("6-0");
    expect(s.run("XLEN", "s")).toBe(2);
    expect(s.events).toEqual(["0:xadd:s", "0:xtrim:s"]);
    expect(s.state.keyspace.dirty - dirty).toBe(1);
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual(["XADD s MAXLEN 2 6-0 f v"]);
  });

  it("NOMKSTREAM on a missing key replies null and changes nothing", () => {
    const s = new InMemorySession();
    expect(s.run("XADD", "s", "NOMKSTREAM", "*", "f", "v")).toBeNull();
    expect(s.run("EXISTS", "s")).toBe(0);
    expect(s.propagated).toEqual([]);
    expect(s.events).toEqual([]);
  });
});

describe("consumer groups", () => {
  it("XREADGROUP records delivery times and counts from the clock; XPENDING reports idle times", () => {
    const s = new InMemorySession();
    s.run("XADD", "s", "1-1", "f", "v");
    s.run("XADD", "s", "2-1", "f", "v");
    s.run("XGROUP", "CREATE", "s", "g", "0");
    s.now += 10;
    const delivered = s.now;
    s.run("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
    s.now += 250;
    expect(s.run("XPENDING", "s", "g", "-", "+", "10")).toEqual([
      ["1-1", "alice", 250, 1],
      ["2-1", "alice", 250, 1],
    ]);
    expect(s.run("XPENDING", "s", "g", "IDLE", "300", "-", "+", "10")).toEqual([]);
    expect(s.run("XINFO", "CONSUMERS", "s", "g")).toEqual([["name", "alice", "pending", 2, "idle", 250]]);
    const full = s.run("XINFO", "STREAM", "s", "FULL") as unknown[];
    const groups = full[full.indexOf("groups") + 1] as unknown[][];
    const pending = groups[0]![groups[0]!.indexOf("pending") + 1] as unknown[][];
    expect(pending[0]).toEqual(["1-1", "alice", delivered, 1]);
    // Reading the history again counts a second delivery at the new time.
    s.run("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0");
    expect(s.run("XPENDING", "s", "g", "-", "+", "1")).toEqual([["1-1", "alice", 0, 2]]);
  });

  it("group changes notify and dirty without touching WATCH; XACK notifies nothing", () => {
    const s = new InMemorySession();
    s.run("XADD", "s", "1-1", "f", "v");
    s.clearRecords();
    s.run("XGROUP", "CREATE", "s", "g", "0");
    s.run("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
    s.run("XACK", "s", "g", "1-1");
    s.run("XGROUP", "DELCONSUMER", "s", "g", "c");
    s.run("XGROUP", "DESTROY", "s", "g");
    expect(s.events).toEqual([
      "0:xgroup-create:s",
      "0:xgroup-createconsumer:s",
      "0:xgroup-delconsumer:s",
      "0:xgroup-destroy:s",
    ]);
    expect(
      s.propagated.map((p) => (p.argv[0] === "XCLAIM" ? p.argv.slice(0, 6).join(" ") : p.argv.join(" "))),
    ).toEqual([
      "XGROUP CREATE s g 0",
      "MULTI",
      "XGROUP CREATECONSUMER s g c",
      "XCLAIM s g c 0 1-1",
      "XGROUP SETID s g 1-1 ENTRIESREAD 1",
      "EXEC",
      "XACK s g 1-1",
      "XGROUP DELCONSUMER s g c",
      "XGROUP DESTROY s g",
    ]);
  });

  it("XCLAIM with IDLE sets the delivery time back from the command time", () => {
    const s = new InMemorySession();
    s.run("XADD", "s", "1-1", "f", "v");
    s.run("XGROUP", "CREATE", "s", "g", "0");
    s.run("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">");
    s.now += 100;
    expect(s.run("XCLAIM", "s", "g", "b", "50", "1-1", "IDLE", "30", "JUSTID")).toEqual(["1-1"]);
    expect(s.run("XPENDING", "s", "g", "-", "+", "10")).toEqual([["1-1", "b", 30, 1]]);
    expect(s.run("XCLAIM", "s", "g", "c", "50", "1-1")).toEqual([]);
    expect(s.run("XCLAIM", "s", "g", "c", "bad", "1-1")).toEqual(
      new ReplyError("ERR Invalid min-idle-time argument for XCLAIM"),
    );
  });
});
