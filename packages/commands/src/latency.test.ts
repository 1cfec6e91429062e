/*
 * The latency histogram's bucket arithmetic, the latency monitor's sample
 * rules, the LATENCY replies over an in-memory server, and CLIENT PAUSE's
 * state changes (holding real connections is tested over TCP in
 * tests/src/server/latency-and-pause.test.ts).
 */

import { ExpiryMode } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { PauseMode } from "./client-pause.js";
import { InMemorySession, ReplyError } from "./commands/in-memory-session.test-helper.js";
import { LATENCY_HISTORY_LENGTH } from "./latency.js";
import { LatencyHistogram } from "./latency-histogram.js";

describe("LatencyHistogram", () => {
  it("reports percentiles as the top of the slot holding the ranked value (the bottom for p0)", () => {
    const histogram = new LatencyHistogram();
    histogram.recordMicroseconds(30_100);
    // 30.1 ms lies in the slot [229 * 2^17, 230 * 2^17 - 1] ns.
    expect(histogram.valueAtPercentile(50)).toBe(230 * 2 ** 17 - 1);
    expect(histogram.valueAtPercentile(0)).toBe(229 * 2 ** 17);
    expect(histogram.valueAtPercentile(100)).toBe(230 * 2 ** 17 - 1);
  });

  it("ranks values: p50 of 1..100 us is the 50th value's slot", () => {
    const histogram = new LatencyHistogram();
    for (let us = 1; us <= 100; us++) histogram.recordMicroseconds(us);
    const p50 = histogram.valueAtPercentile(50);
    expect(p50).toBeGreaterThanOrEqual(50_000);
    expect(p50).toBeLessThan(50_000 * 1.01);
    expect(histogram.valueAtPercentile(99.9)).toBeGreaterThanOrEqual(100_000);
  });

  it("gives cumulative steps at 1024 ns doubling, only where the count grew", () => {
    const histogram = new LatencyHistogram();
    histogram.recordMicroseconds(1);
    histogram.recordMicroseconds(20_000);
    histogram.recordMicroseconds(21_000);
    histogram.recordMicroseconds(50_000);
    expect(histogram.cumulativeSteps()).toEqual([
      [1, 1],
      [33816, 3],
      [67633, 4],
    ]);
  });

  it("clamps to 1 ns and 1 s", () => {
    const histogram = new LatencyHistogram();
    histogram.recordMicroseconds(0);
    histogram.recordMicroseconds(5_000_000);
    expect(histogram.total).toBe(2);
    expect(histogram.valueAtPercentile(0)).toBe(1);
    expect(histogram.valueAtPercentile(100)).toBeGreaterThanOrEqual(1_000_000_000);
    expect(histogram.valueAtPercentile(100)).toBeLessThan(1_010_000_000);
  });
});

describe("latency monitor", () => {
  it("keeps the larger of two samples in the same second, and the largest ever", () => {
    const s = new InMemorySession();
    const latency = s.state.latency;
    latency.addSample("command", 20, 1000);
    latency.addSample("command", 50, 1000);
    latency.addSample("command", 30, 1001);
    expect(s.run("LATENCY", "HISTORY", "command")).toEqual([
      [1000, 50],
      [1001, 30],
    ]);
    expect(s.run("LATENCY", "LATEST")).toEqual([["command", 1001, 30, 50]]);
  });

  it("keeps the last 160 samples", () => {
    const s = new InMemorySession();
    for (let second = 1; second <= LATENCY_HISTORY_LENGTH + 5; second++) {
      s.state.latency.addSample("expire-cycle", second, second);
    }
    const history = s.run("LATENCY", "HISTORY", "expire-cycle") as number[][];
    expect(history).toHaveLength(LATENCY_HISTORY_LENGTH);
    expect(history[0]).toEqual([6, 6]);
    expect(history[LATENCY_HISTORY_LENGTH - 1]).toEqual([165, 165]);
  });

  it("records only at or above latency-monitor-threshold, and nothing when it is 0", () => {
    const s = new InMemorySession();
    s.state.latency.addSampleIfNeeded("eviction-cycle", 500);
    expect(s.run("LATENCY", "LATEST")).toEqual([]);
    s.state.settings.latencyMonitorThreshold = 10;
    s.state.latency.addSampleIfNeeded("eviction-cycle", 9);
    expect(s.run("LATENCY", "LATEST")).toEqual([]);
    s.state.latency.addSampleIfNeeded("eviction-cycle", 10);
    expect((s.run("LATENCY", "LATEST") as unknown[][]).map((entry) => entry[0])).toEqual(["eviction-cycle"]);
  });

  it("LATENCY RESET counts the events it forgot", () => {
    const s = new InMemorySession();
    s.state.latency.addSample("command", 10);
    s.state.latency.addSample("fast-command", 10);
    s.state.latency.addSample("expire-cycle", 10);
    expect(s.run("LATENCY", "RESET", "command", "nosuch", "command")).toBe(1);
    expect(s.run("LATENCY", "RESET")).toBe(2);
    expect(s.run("LATENCY", "RESET")).toBe(0);
  });

  it("LATENCY GRAPH needs samples; HELP is an array of lines", () => {
    const s = new InMemorySession();
    expect(s.run("LATENCY", "GRAPH", "command")).toEqual(
      new ReplyError("ERR No samples available for event 'command'"),
    );
    s.state.latency.addSample("command", 12);
    expect(s.run("LATENCY", "GRAPH", "command")).toMatch(/^command: 1 spikes, highest 12 ms, lowest 12 ms/);
    const help = s.run("LATENCY", "HELP") as string[];
    expect(help[0]).toMatch(/^LATENCY <subcommand>/);
    expect(help).toContain("HISTOGRAM [COMMAND ...]");
  });

  it("tracks each executed command's latency, and CONFIG RESETSTAT forgets it", () => {
    const s = new InMemorySession();
    s.run("SET", "k", "v");
    s.run("GET", "k");
    s.run("GET", "k");
    expect(s.run("LATENCY", "HISTOGRAM", "get", "set", "nosuch")).toEqual([
      "get",
      ["calls", 2, "histogram_usec", expect.any(Array)],
      "set",
      ["calls", 1, "histogram_usec", expect.any(Array)],
    ]);
    s.state.settings.latencyTracking = false;
    s.run("GET", "k");
    expect((s.run("LATENCY", "HISTOGRAM", "get") as unknown[])[1]).toEqual([
      "calls",
      2,
      "histogram_usec",
      expect.any(Array),
    ]);
    s.run("CONFIG", "RESETSTAT");
    expect(s.run("LATENCY", "HISTOGRAM")).toEqual([]);
  });
});

describe("CLIENT PAUSE state", () => {
  it("checks the mode before the timeout, with Redis' errors", () => {
    const s = new InMemorySession();
    expect(s.run("CLIENT", "PAUSE", "abc", "foo")).toEqual(
      new ReplyError("ERR CLIENT PAUSE mode must be WRITE or ALL"),
    );
    expect(s.run("CLIENT", "PAUSE", "abc")).toEqual(
      new ReplyError("ERR timeout is not an integer or out of range"),
    );
    expect(s.run("CLIENT", "PAUSE", "-5", "write")).toEqual(new ReplyError("ERR timeout is negative"));
    expect(s.state.clientPause.active).toBe(false);
  });

  it("keeps the later deadline and the stricter mode; UNPAUSE ends it and lazy expiry resumes", () => {
    const s = new InMemorySession();
    const pause = s.state.clientPause;
    expect(s.run("CLIENT", "PAUSE", "60000", "WRITE")).toBe("OK");
    const firstEnd = pause.endTime;
    expect(pause.mode).toBe(PauseMode.Write);
    expect(s.state.keyspace.expiryMode).toBe(ExpiryMode.HideOnly);
    expect(s.run("CLIENT", "PAUSE", "10", "ALL")).toBe("OK");
    expect(pause.mode).toBe(PauseMode.All);
    expect(pause.endTime).toBe(firstEnd);
    // A pseudo-client (no connection) is never held.
    expect(s.run("SET", "k", "v")).toBe("OK");
    expect(s.run("CLIENT", "UNPAUSE")).toBe("OK");
    expect(pause.active).toBe(false);
    expect(pause.mode).toBe(PauseMode.None);
    expect(s.state.keyspace.expiryMode).toBe(ExpiryMode.Delete);
  });
});
