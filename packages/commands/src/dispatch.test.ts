/*
 * The gate and call() beyond what command tests see: command names resolved in
 * any spelling through the name cache (and never confused when the bytes of a
 * name change or several servers share the process), the frozen command time,
 * per-command stats, and how writes reach the propagator.
 */

import { describe, expect, it } from "vitest";
import { InMemorySession, ReplyError } from "./commands/in-memory-session.test-helper.js";
import { beginRequestBatch, endRequestBatch } from "./dispatch.js";

/** Spin for `milliseconds` of real time (what lies between two requests in these tests). */
function spin(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until) {
    // busy wait
  }
}

describe("command names", () => {
  it("resolves every spelling of a name, however often and in whatever order", () => {
    const s = new InMemorySession();
    const spellings = ["SET", "set", "Set", "sEt"];
    for (let round = 0; round < 50; round++) {
      const name = spellings[round % spellings.length]!;
      expect(s.run(name, `k${round % 7}`, `v${round}`)).toBe("OK");
      expect(s.run(round % 2 === 0 ? "GET" : "get", `k${round % 7}`)).toBe(`v${round}`);
      expect(s.run(round % 3 === 0 ? "PING" : "ping")).toBe("PONG");
      expect(s.run("EXISTS", `k${round % 7}`)).toBe(1);
    }
  });

  it("does not remember unknown names, and answers them as Redis does every time", () => {
    const s = new InMemorySession();
    for (let i = 0; i < 3; i++) {
      expect(s.run("NOSUCHCOMMAND", "a")).toEqual(
        new ReplyError("ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' "),
      );
    }
    const long = "X".repeat(100);
    expect(s.run(long)).toEqual(new ReplyError(`ERR unknown command '${long}', with args beginning with: `));
    expect(s.run("PING")).toBe("PONG");
  });

  it("resolves a name whose request buffer is later reused for another name", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v");
    const name = Buffer.from("GET");
    expect(s.run(name, "k")).toBe("v");
    // The request buffer is reused for something else (argv are views into socket chunks).
    name.write("DEL");
    expect(s.run(Buffer.from("GET"), "k")).toBe("v");
    expect(s.run(name, "k")).toBe(1);
    expect(s.run(Buffer.from("GET"), "k")).toBe(null);
  });

  it("resolves names against each server's own table when several share the process", () => {
    const first = new InMemorySession();
    const second = new InMemorySession();
    for (let i = 0; i < 10; i++) {
      first.run("SET", "k", "first");
      second.run("SET", "k", "second");
    }
    expect(first.state.table.get("set")!.stats.calls).toBe(10);
    expect(second.state.table.get("set")!.stats.calls).toBe(10);
    expect(first.run("GET", "k")).toBe("first");
    expect(second.run("GET", "k")).toBe("second");
  });

  it("checks arity after resolving any spelling", () => {
    const s = new InMemorySession();
    expect(s.run("get")).toEqual(new ReplyError("ERR wrong number of arguments for 'get' command"));
    expect(s.run("GET")).toEqual(new ReplyError("ERR wrong number of arguments for 'get' command"));
  });
});

describe("call()", () => {
  it("freezes the keyspace time of the command at the injected clock", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v", "PX", "100");
    expect(s.run("PTTL", "k")).toBe(100);
    s.now += 40;
    expect(s.run("PTTL", "k")).toBe(60);
    s.now += 60;
    expect(s.run("GET", "k")).toBe(null);
    expect(s.state.keyspace.now).toBe(s.now);
  });

  it("counts calls, failed calls and time per command", () => {
    const s = new InMemorySession();
    s.run("SET", "n", "abc");
    s.run("INCR", "n");
    s.run("INCR", "m");
    const incr = s.state.table.get("incr")!.stats;
    expect(incr.calls).toBe(2);
    expect(incr.failedCalls).toBe(1);
    expect(incr.microseconds).toBeGreaterThan(0);
    expect(s.state.stats.totalCommandsProcessed).toBe(3);
  });

  it("hands a lone write to the propagator once, and nothing for reads or refused writes", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v");
    s.run("GET", "k");
    s.run("SET", "k", "w", "NX");
    s.run("INCR", "k");
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual(["SET k v"]);
  });

  it("inside a request batch starts each command from the reading that ended the one before", () => {
    const s = new InMemorySession();
    beginRequestBatch(s.state);
    s.run("SET", "k", "v");
    spin(5);
    s.run("PING");
    // The 5 ms between the two requests count to PING: no second clock reading was taken.
    expect(s.client.lastCallMicroseconds).toBeGreaterThanOrEqual(5000);
    endRequestBatch(s.state);
    expect(s.state.batchClockReading).toBe(-1);
    spin(5);
    s.run("PING");
    expect(s.client.lastCallMicroseconds).toBeLessThan(5000);
  });

  it("times the commands of a transaction with their own readings inside a batch", () => {
    const s = new InMemorySession();
    beginRequestBatch(s.state);
    s.run("MULTI");
    s.run("SET", "a", "1");
    spin(5);
    s.run("EXEC");
    endRequestBatch(s.state);
    const set = s.state.table.get("set")!.stats;
    expect(set.calls).toBe(1);
    expect(set.microseconds).toBeLessThan(5000);
  });

  it("wraps the writes of one transaction in MULTI/EXEC", () => {
    const s = new InMemorySession();
    s.run("MULTI");
    s.run("SET", "a", "1");
    s.run("GET", "a");
    s.run("SET", "b", "2");
    s.run("EXEC");
    expect(s.propagated.map((p) => p.argv.join(" "))).toEqual(["MULTI", "SET a 1", "SET b 2", "EXEC"]);
  });
});
