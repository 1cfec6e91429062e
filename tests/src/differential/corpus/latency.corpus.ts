/*
 * Differential cases: LATENCY's replies without spikes (the harness servers run
 * with latency-monitor-threshold 0, and DEBUG SLEEP is refused there), its
 * errors, the latency parameters of CONFIG, INFO latencystats' presence, and
 * CLIENT PAUSE / UNPAUSE's argument checks. Spikes, histograms and held clients
 * are compared in src/server/latency-and-pause.test.ts. Cases that change the
 * configuration put it back before they end.
 */
import { type DiffCase, helpLines, sameType } from "../corpus-types.js";

export const corpus: readonly DiffCase[] = [
  {
    name: "LATENCY with nothing recorded",
    steps: [
      ["LATENCY", "RESET"],
      ["LATENCY", "LATEST"],
      ["LATENCY", "HISTORY", "command"],
      ["LATENCY", "HISTORY", "nosuch"],
      ["LATENCY", "GRAPH", "command"],
      ["LATENCY", "GRAPH", "nosuch"],
      ["LATENCY", "RESET"],
      ["LATENCY", "RESET", "command", "nosuch"],
      ["LATENCY", "HISTOGRAM", "nosuch", "other"],
      sameType("LATENCY", "DOCTOR"),
    ],
  },
  {
    name: "LATENCY errors and HELP",
    steps: [
      ["LATENCY"],
      ["LATENCY", "nope"],
      ["LATENCY", "LATEST", "x"],
      ["LATENCY", "HISTORY"],
      ["LATENCY", "HISTORY", "a", "b"],
      ["LATENCY", "GRAPH"],
      ["LATENCY", "DOCTOR", "x"],
      ["LATENCY", "HELP", "x"],
      helpLines("LATENCY", "HELP"),
      helpLines("latency", "help"),
    ],
  },
  {
    name: "LATENCY DOCTOR and GRAPH in RESP3",
    resp3: true,
    steps: [sameType("LATENCY", "DOCTOR"), ["LATENCY", "GRAPH", "nosuch"], ["LATENCY", "LATEST"]],
  },
  {
    name: "latency parameters of CONFIG",
    steps: [
      ["CONFIG", "GET", "latency-monitor-threshold"],
      ["CONFIG", "GET", "latency-tracking"],
      ["CONFIG", "GET", "latency-tracking-info-percentiles"],
      ["CONFIG", "SET", "latency-monitor-threshold", "-1"],
      ["CONFIG", "SET", "latency-monitor-threshold", "abc"],
      ["CONFIG", "SET", "latency-tracking", "maybe"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "abc"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "101"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "-1"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.9 100 0"],
      ["CONFIG", "GET", "latency-tracking-info-percentiles"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", ""],
      ["CONFIG", "GET", "latency-tracking-info-percentiles"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9"],
      ["CONFIG", "SET", "latency-tracking", "no"],
      ["CONFIG", "GET", "latency-tracking"],
      ["CONFIG", "SET", "latency-tracking", "yes"],
      ["CONFIG", "SET", "latency-monitor-threshold", "100"],
      ["CONFIG", "GET", "latency-monitor-threshold"],
      ["CONFIG", "SET", "latency-monitor-threshold", "0"],
    ],
  },
  {
    name: "INFO latencystats is its own section, outside the default set",
    steps: [sameType("INFO", "latencystats"), sameType("INFO", "all")],
  },
  {
    name: "CLIENT PAUSE and UNPAUSE argument checks",
    steps: [
      ["CLIENT", "PAUSE"],
      ["CLIENT", "PAUSE", "abc"],
      ["CLIENT", "PAUSE", "1.5"],
      ["CLIENT", "PAUSE", "-1"],
      ["CLIENT", "PAUSE", "10", "foo"],
      ["CLIENT", "PAUSE", "abc", "foo"],
      ["CLIENT", "PAUSE", "-1", "foo"],
      ["CLIENT", "PAUSE", "10", "write", "extra"],
      ["CLIENT", "PAUSE", "99999999999999999999"],
      ["CLIENT", "UNPAUSE", "x"],
      ["CLIENT", "UNPAUSE"],
      ["CLIENT", "PAUSE", "0", "WRITE"],
      ["CLIENT", "UNPAUSE"],
      ["CLIENT", "UNPAUSE"],
      ["GET", "after-unpause"],
    ],
  },
];
