/*
 * LATENCY: LATEST, HISTORY, RESET, GRAPH, DOCTOR, HISTOGRAM, HELP, over the
 * server's LatencyMonitor (../latency.ts). Reply shapes and error texts are
 * redis-server 7.0's; the texts of GRAPH and DOCTOR are Spinel's own.
 */

import { argString } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import type { Command } from "../command-table.js";
import { findCommandByFullName } from "../introspection/command-docs.js";
import type { LatencyEvent } from "../latency.js";
import { writeHelp } from "./client.js";

// ---------------------------------------------------------------- LATEST, HISTORY, RESET

/** LATENCY LATEST: [event, time of the newest spike, its latency, largest ever] per event. */
function latencyLatestCommand(c: ClientSession): void {
  const events = c.server.latency.allEvents();
  c.reply.arrayLen(events.length);
  for (const event of events) {
    const newest = event.newest;
    c.reply.arrayLen(4);
    c.reply.bulkString(event.name);
    c.reply.integer(event.times[newest]!);
    c.reply.integer(event.latencies[newest]!);
    c.reply.integer(event.max);
  }
}

/** LATENCY HISTORY event: [time, latency] per recorded spike, oldest first. */
function latencyHistoryCommand(c: ClientSession): void {
  const event = c.server.latency.event(argString(c.argv[2]!));
  const samples = event?.samples() ?? [];
  c.reply.arrayLen(samples.length);
  for (const [time, latency] of samples) {
    c.reply.arrayLen(2);
    c.reply.integer(time);
    c.reply.integer(latency);
  }
}

/** LATENCY RESET [event ...]: how many events were forgotten. */
function latencyResetCommand(c: ClientSession): void {
  const names = c.argv.slice(2).map((arg) => argString(arg));
  c.reply.integer(c.server.latency.reset(names));
}

// ---------------------------------------------------------------- GRAPH

/** Rows of the chart's bars. */
const GRAPH_ROWS = 8;
/** Columns (newest samples) the chart shows. */
const GRAPH_COLUMNS = 80;

/** An ASCII bar chart of an event's samples, one column per sample, oldest on the left. */
export function latencyGraph(event: LatencyEvent, nowSeconds: number): string {
  const samples = event.samples().slice(-GRAPH_COLUMNS);
  const values = samples.map(([, latency]) => latency);
  const high = Math.max(...values);
  const low = Math.min(...values);
  const heights = values.map((value) =>
    high === low ? GRAPH_ROWS : 1 + Math.round(((value - low) / (high - low)) * (GRAPH_ROWS - 1)),
  );
  let text = `${event.name}: ${samples.length} spikes, highest ${high} ms, lowest ${low} ms, highest ever ${event.max} ms\n`;
  for (let row = GRAPH_ROWS; row >= 1; row--) {
    text += `${heights
      .map((height) => (height >= row ? "#" : " "))
      .join("")
      .trimEnd()}\n`;
  }
  text += `${"=".repeat(samples.length)}\n`;
  const oldest = samples[0]![0];
  const newest = samples[samples.length - 1]![0];
  text += `oldest ${nowSeconds - oldest} s ago, newest ${nowSeconds - newest} s ago\n`;
  return text;
}

/** LATENCY GRAPH event */
function latencyGraphCommand(c: ClientSession): void {
  const name = argString(c.argv[2]!);
  const event = c.server.latency.event(name);
  if (event === undefined) {
    c.reply.error(`ERR No samples available for event '${name}'`);
    return;
  }
  c.reply.verbatim(latencyGraph(event, Math.floor(Date.now() / 1000)));
}

// ---------------------------------------------------------------- DOCTOR

/** What to look at when an event spikes, by event name. */
function adviceFor(event: string): string {
  if (event === "command" || event === "fast-command") {
    return "SLOWLOG GET names the commands that ran long; commands over large values (KEYS, SMEMBERS, LRANGE 0 -1, SORT, DEL of big keys) cost in proportion to them.";
  }
  if (event.startsWith("expire")) {
    return "Many keys reach their deadline together: spread their expiry times, or split very large keys that expire.";
  }
  if (event.startsWith("eviction")) {
    return "Eviction works hard to stay under maxmemory: give the server more memory or lower the write rate.";
  }
  return "This event comes from the server's own work (persistence or housekeeping): see the log around the times LATENCY HISTORY gives.";
}

/**
 * The LATENCY DOCTOR report: per event the number of spikes, their average and
 * mean deviation, how often they came and the largest ever, then what to
 * check for each kind of event.
 */
export function latencyReport(threshold: number, events: readonly LatencyEvent[]): string {
  if (threshold === 0) {
    return "Spinel latency doctor: the latency monitor is off. Turn it on with CONFIG SET latency-monitor-threshold <milliseconds>, then ask again after some load.\n";
  }
  if (events.length === 0) {
    return `Spinel latency doctor: no event took ${threshold} ms or more since the monitor started or was reset.\n`;
  }
  let text = `Spinel latency doctor: events that took ${threshold} ms or more.\n\n`;
  const advice = new Set<string>();
  events.forEach((event, index) => {
    const samples = event.samples();
    const latencies = samples.map(([, latency]) => latency);
    const average = latencies.reduce((sum, value) => sum + value, 0) / latencies.length;
    const deviation = latencies.reduce((sum, value) => sum + Math.abs(value - average), 0) / latencies.length;
    const span = samples[samples.length - 1]![0] - samples[0]![0];
    const period = samples.length > 1 ? (span / (samples.length - 1)).toFixed(2) : "n/a";
    text +=
      `${index + 1}. ${event.name}: ${samples.length} spikes, average ${Math.round(average)} ms, ` +
      `mean deviation ${Math.round(deviation)} ms, one every ${period} s; highest ever ${event.max} ms.\n`;
    advice.add(adviceFor(event.name));
  });
  text += "\nWhat to check:\n\n";
  for (const line of advice) text += `- ${line}\n`;
  return text;
}

/** LATENCY DOCTOR */
function latencyDoctorCommand(c: ClientSession): void {
  const server = c.server;
  c.reply.verbatim(latencyReport(server.settings.latencyMonitorThreshold, server.latency.allEvents()));
}

// ---------------------------------------------------------------- HISTOGRAM

/** `command` and its subcommands that have a histogram, in table order. */
function withHistograms(command: Command, into: Command[]): void {
  if (command.stats.latencyHistogram !== null) into.push(command);
  if (command.subcommands !== null) {
    for (const sub of command.subcommands.values()) if (sub.stats.latencyHistogram !== null) into.push(sub);
  }
}

/**
 * LATENCY HISTOGRAM [command ...]: per command (all of them without
 * arguments; a container stands for its subcommands; unknown names are
 * skipped) a map of its call count and the cumulative distribution of its
 * durations in microseconds.
 */
function latencyHistogramCommand(c: ClientSession): void {
  const table = c.server.table;
  const chosen: Command[] = [];
  if (c.argv.length === 2) {
    for (const command of table.all()) withHistograms(command, chosen);
  } else {
    for (let i = 2; i < c.argv.length; i++) {
      const command = findCommandByFullName(table, argString(c.argv[i]!));
      if (command !== undefined) withHistograms(command, chosen);
    }
  }
  c.reply.mapLen(chosen.length);
  for (const command of chosen) {
    const histogram = command.stats.latencyHistogram!;
    c.reply.bulkString(command.fullName);
    c.reply.mapLen(2);
    c.reply.bulkString("calls");
    c.reply.integer(histogram.total);
    c.reply.bulkString("histogram_usec");
    const steps = histogram.cumulativeSteps();
    c.reply.mapLen(steps.length);
    for (const [microseconds, count] of steps) {
      c.reply.integer(microseconds);
      c.reply.integer(count);
    }
  }
}

// ---------------------------------------------------------------- HELP and spec

const LATENCY_HELP = [
  "LATENCY <subcommand> [<arg> ...], where <subcommand> is one of:",
  "DOCTOR",
  "    A report on the recorded spikes, with what to check.",
  "GRAPH <event>",
  "    An ASCII chart of the spikes of <event>.",
  "HISTORY <event>",
  "    Time and duration of each recorded spike of <event>.",
  "LATEST",
  "    The newest spike of every event, with the largest ever.",
  "RESET [<event> ...]",
  "    Forget the spikes of the given events, or of all events.",
  "HISTOGRAM [COMMAND ...]",
  "    Call counts and duration distributions of the given commands, or of all.",
  "HELP",
  "    This list.",
];

const ADMIN = ["admin", "noscript", "loading", "stale"] as const;

function latencySubcommand(
  name: string,
  arity: number,
  summary: string,
  complexity: string,
  handler: CommandSpec["handler"],
  since = "2.8.13",
): CommandSpec {
  return { name, arity, flags: ADMIN, group: "server", summary, since, complexity, handler };
}

/** LATENCY: the container and its subcommands. */
export const latencyCommand: CommandSpec = {
  name: "latency",
  arity: -2,
  flags: [],
  group: "server",
  summary: "Latency spikes recorded by the latency monitor",
  since: "2.8.13",
  complexity: "Per subcommand.",
  handler: () => {},
  subcommands: [
    latencySubcommand(
      "doctor",
      2,
      "A readable report on the recorded latency spikes",
      "O(1)",
      latencyDoctorCommand,
    ),
    latencySubcommand(
      "graph",
      3,
      "An ASCII chart of one event's latency spikes",
      "O(1)",
      latencyGraphCommand,
    ),
    latencySubcommand(
      "history",
      3,
      "Time and latency of one event's recorded spikes",
      "O(1)",
      latencyHistoryCommand,
    ),
    latencySubcommand("latest", 2, "The latest spike of every event", "O(1)", latencyLatestCommand),
    latencySubcommand(
      "reset",
      -2,
      "Forget the recorded spikes of some or all events",
      "O(1)",
      latencyResetCommand,
    ),
    latencySubcommand(
      "histogram",
      -2,
      "Latency histograms of commands",
      "O(N), N = commands reported.",
      latencyHistogramCommand,
      "7.0.0",
    ),
    {
      name: "help",
      arity: 2,
      flags: ["loading", "stale"],
      group: "server",
      summary: "List the subcommands with one line on each",
      since: "2.8.13",
      complexity: "O(1)",
      handler: (c) => writeHelp(c, LATENCY_HELP),
    },
  ],
};
