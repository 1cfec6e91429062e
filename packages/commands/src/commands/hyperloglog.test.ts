/*
 * HyperLogLog commands in memory: what a client cannot see through replies
 * alone (keyspace events, propagation, dirty counting, in-place edits that
 * must not leak into other values). Replies and bytes are compared with a
 * real redis-server in tests/src/differential/corpus/hyperloglog.corpus.ts.
 */

import { describe, expect, it } from "vitest";
import { InMemorySession, ReplyError } from "./in-memory-session.test-helper.js";

const propagatedLines = (s: InMemorySession) => s.propagated.map((p) => p.argv.join(" "));

describe("PFADD", () => {
  it("raises new and pfadd, and propagates only when a register changed", () => {
    const s = new InMemorySession();
    expect(s.run("PFADD", "h", "a", "b")).toBe(1);
    expect(s.run("PFADD", "h", "a")).toBe(0);
    expect(s.run("PFADD", "h", "c")).toBe(1);
    expect(s.events).toEqual(["0:new:h", "0:pfadd:h", "0:pfadd:h"]);
    expect(propagatedLines(s)).toEqual(["PFADD h a b", "PFADD h c"]);
  });

  it("counts one dirty change per changed register, plus one for the creation", () => {
    const s = new InMemorySession();
    const keyspace = s.state.keyspace;
    const before = keyspace.dirty;
    s.run("PFADD", "h", "a", "b", "c");
    expect(keyspace.dirty - before).toBe(4);
  });

  it("edits in place without changing a COPY", () => {
    const s = new InMemorySession();
    s.run("PFADD", "h", "a");
    s.run("COPY", "h", "g");
    const copied = s.run("GET", "g");
    s.run("PFADD", "h", "b", "c", "d");
    expect(s.run("GET", "g")).toBe(copied);
    expect(s.run("GET", "h")).not.toBe(copied);
  });

  it("follows the hll-sparse-max-bytes setting", () => {
    const s = new InMemorySession();
    s.state.settings.hllSparseMaxBytes = 20;
    s.run("PFADD", "h", "a", "b", "c");
    expect(s.run("PFDEBUG", "ENCODING", "h")).toBe("dense");
    expect((s.run("GET", "h") as string).length).toBe(12304);
  });
});

describe("PFCOUNT", () => {
  it("caches the count: propagated (without an event) only when it recomputes", () => {
    const s = new InMemorySession();
    s.run("PFADD", "h", "a", "b", "c");
    s.clearRecords();
    expect(s.run("PFCOUNT", "h")).toBe(3);
    expect(s.run("PFCOUNT", "h")).toBe(3);
    expect(propagatedLines(s)).toEqual(["PFCOUNT h"]);
    expect(s.events).toEqual([]);
  });

  it("does not cache for several keys", () => {
    const s = new InMemorySession();
    s.run("PFADD", "h", "a", "b", "c");
    s.run("PFADD", "g", "c", "d");
    s.clearRecords();
    expect(s.run("PFCOUNT", "h", "g")).toBe(4);
    expect(s.propagated).toEqual([]);
  });

  it("rejects strings that are not HLLs", () => {
    const s = new InMemorySession();
    s.run("SET", "x", "not an hll");
    expect(s.run("PFCOUNT", "x")).toEqual(
      new ReplyError("WRONGTYPE Key is not a valid HyperLogLog string value."),
    );
  });
});

describe("PFMERGE and PFDEBUG", () => {
  it("PFMERGE raises pfadd on the target and is propagated", () => {
    const s = new InMemorySession();
    s.run("PFADD", "a", "x");
    s.clearRecords();
    expect(s.run("PFMERGE", "d", "a")).toBe("OK");
    expect(s.events).toEqual(["0:new:d", "0:pfadd:d"]);
    expect(propagatedLines(s)).toEqual(["PFMERGE d a"]);
  });

  it("PFDEBUG TODENSE counts a change but raises no event", () => {
    const s = new InMemorySession();
    s.run("PFADD", "h", "x");
    s.clearRecords();
    expect(s.run("PFDEBUG", "TODENSE", "h")).toBe(1);
    expect(s.run("PFDEBUG", "TODENSE", "h")).toBe(0);
    expect(propagatedLines(s)).toEqual(["PFDEBUG TODENSE h"]);
    expect(s.events).toEqual([]);
  });
});
