import { EvictionPolicy, EvictionResult, KEY_SLOT_BYTES, VOLATILE_COLUMN_BYTES } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { InMemorySession, ReplyError } from "./commands/in-memory-session.test-helper.js";

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

/** A session with `count` keys and maxmemory at `share` of what they take. */
function limited(policy: EvictionPolicy, count: number, share: number): InMemorySession {
  const session = new InMemorySession();
  for (let i = 0; i < count; i++) session.run("SET", `k:${i}`, "x".repeat(100));
  const memory = session.state.memory;
  const settings = session.state.settings;
  settings.maxmemoryPolicy = policy;
  session.state.keyspace.lfuMode =
    policy === EvictionPolicy.AllKeysLfu || policy === EvictionPolicy.VolatileLfu;
  settings.maxmemory = Math.floor(memory.usedMemory - memory.keyspaceMemory * (1 - share));
  session.clearRecords();
  return session;
}

describe("the memory policy in the gate", () => {
  it("used memory follows writes and deletions; the peak stays", () => {
    const session = new InMemorySession();
    const memory = session.state.memory;
    const empty = memory.usedMemory;
    session.run("SET", "big", "x".repeat(10_000));
    expect(memory.usedMemory - empty).toBeGreaterThan(10_000);
    session.run("APPEND", "big", "y".repeat(10_000));
    expect(memory.usedMemory - empty).toBeGreaterThan(20_000);
    session.run("DEL", "big");
    expect(memory.usedMemory).toBe(empty);
    memory.notePeak();
    expect(memory.peakMemory).toBe(empty);
  });

  it("evicts before a command runs: counts, raises `evicted`, propagates DEL before the command", () => {
    const session = limited(EvictionPolicy.AllKeysRandom, 200, 0.5);
    session.state.settings.maxmemoryEvictionTenacity = 100; // No time budget: one round evicts it all.
    expect(session.run("SET", "new", "v")).toBe("OK");
    const evicted = session.state.stats.evictedKeys;
    expect(evicted).toBeGreaterThan(80);
    expect(session.events.filter((event) => event.includes(":evicted:")).length).toBe(evicted);
    const dels = session.propagated.filter((command) => command.argv[0] === "DEL");
    expect(dels.length).toBe(evicted);
    expect(session.propagated.at(-1)!.argv).toEqual(["SET", "new", "v"]);
    for (const del of dels) expect(session.run("EXISTS", del.argv[1]!)).toBe(0);
  });

  it("noeviction: denyoom commands get OOM and change nothing; reads and DEL run", () => {
    const session = limited(EvictionPolicy.NoEviction, 50, 0.5);
    expect(session.run("SET", "k:0", "changed")).toEqual(new ReplyError(OOM));
    expect(session.run("LPUSH", "list", "a")).toEqual(new ReplyError(OOM));
    expect(session.run("GET", "k:0")).toBe("x".repeat(100));
    expect(session.run("DEL", "k:1")).toBe(1);
    expect(session.run("DBSIZE")).toBe(49);
    expect(session.state.memory.lastResult).toBe(EvictionResult.Fail);
    expect(session.propagated.map((command) => command.argv[0])).toEqual(["DEL"]);
  });

  it("MULTI under OOM: queued commands are refused and EXEC aborts; EXEC of a denyoom queue is refused", () => {
    const session = limited(EvictionPolicy.NoEviction, 50, 0.5);
    expect(session.run("MULTI")).toBe("OK");
    expect(session.run("GET", "k:0")).toEqual(new ReplyError(OOM));
    expect(session.run("EXEC")).toEqual(
      new ReplyError("EXECABORT Transaction discarded because of previous errors."),
    );
    session.state.settings.maxmemory = 0;
    expect(session.run("MULTI")).toBe("OK");
    expect(session.run("SET", "k:0", "v")).toBe("QUEUED");
    session.state.settings.maxmemory = 1;
    expect(session.run("EXEC")).toEqual(new ReplyError(`EXECABORT Transaction discarded because of: ${OOM}`));
    expect(session.run("GET", "k:0")).toBe("x".repeat(100));
    session.state.settings.maxmemory = 0;
    expect(session.run("MULTI")).toBe("OK");
    expect(session.run("GET", "k:0")).toBe("QUEUED");
    session.state.settings.maxmemory = 1;
    expect(session.run("EXEC")).toEqual(["x".repeat(100)]);
  });

  it("nothing is evicted while loading or on a read-only replica", () => {
    const session = limited(EvictionPolicy.AllKeysLru, 50, 0.5);
    session.state.settings.loading = true;
    expect(session.state.memory.evict()).toBe(EvictionResult.Ok);
    session.state.settings.loading = false;
    session.state.settings.readOnlyReplica = true;
    expect(session.state.memory.evict()).toBe(EvictionResult.Ok);
    expect(session.state.stats.evictedKeys).toBe(0);
    session.state.settings.readOnlyReplica = false;
    expect(session.state.memory.evictUntilDone()).toBe(EvictionResult.Ok);
    expect(session.state.stats.evictedKeys).toBeGreaterThan(0);
  });

  it("OBJECT FREQ reads the LFU counter; CLIENT NO-TOUCH leaves it, TOUCH still counts", () => {
    const session = new InMemorySession();
    session.state.keyspace.lfuMode = true;
    session.run("SET", "k", "v");
    expect(session.run("OBJECT", "FREQ", "k")).toBe(5);
    session.run("GET", "k");
    expect(session.run("OBJECT", "FREQ", "k")).toBe(6); // From 5 the first hit always counts.
    session.run("CLIENT", "NO-TOUCH", "ON");
    for (let i = 0; i < 200; i++) session.run("GET", "k");
    expect(session.run("OBJECT", "FREQ", "k")).toBe(6);
    for (let i = 0; i < 200; i++) session.run("TOUCH", "k");
    expect(session.run("OBJECT", "FREQ", "k")).toBeGreaterThan(6);
  });

  it("MEMORY USAGE is the key's accounted share", () => {
    const session = new InMemorySession();
    session.run("SET", "k", "x".repeat(1000));
    const entry = session.db.peekEntry("k")!;
    // The name and value, and the key's share of the table's columns (and TTL list).
    expect(session.run("MEMORY", "USAGE", "k")).toBe(entry.accounted + KEY_SLOT_BYTES);
    session.run("EXPIRE", "k", "100");
    expect(session.run("MEMORY", "USAGE", "k")).toBe(
      entry.accounted + KEY_SLOT_BYTES + VOLATILE_COLUMN_BYTES,
    );
  });
});
