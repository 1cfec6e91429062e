/*
 * The latency monitor and latency tracking.
 *
 * Latency monitor (LATENCY LATEST / HISTORY / RESET / GRAPH / DOCTOR): named
 * events ("command", "fast-command", "expire-cycle", and whatever eviction or
 * persistence report through addSampleIfNeeded()) keep the spikes that reached
 * latency-monitor-threshold milliseconds: the last 160 samples, one per second
 * (two spikes in the same second keep the larger), and the largest ever.
 *
 * Latency tracking (LATENCY HISTOGRAM, INFO latencystats): with
 * latency-tracking on, every executed command adds its duration to its own
 * LatencyHistogram (kept on the command's stats, so CONFIG RESETSTAT clears it).
 *
 * Both are fed by a command observer (call() reports every executed command,
 * EXEC's inner commands included); a command that blocked the client is not
 * counted, as in Redis.
 */

import { ClientFlag, type ClientSession } from "./client-session.js";
import { type Command, FlagBit } from "./command-table.js";
import { LatencyHistogram } from "./latency-histogram.js";
import type { ServerState } from "./server-state.js";

/** Samples kept per event. */
export const LATENCY_HISTORY_LENGTH = 160;

/** The spikes of one event: a ring of (unix seconds, milliseconds) samples. */
export class LatencyEvent {
  readonly name: string;
  readonly times: Float64Array;
  readonly latencies: Float64Array;
  /** Next slot of the ring. */
  next: number;
  /** Largest latency ever recorded for the event (ms). */
  max: number;

  constructor(name: string) {
    this.name = name;
    this.times = new Float64Array(LATENCY_HISTORY_LENGTH);
    this.latencies = new Float64Array(LATENCY_HISTORY_LENGTH);
    this.next = 0;
    this.max = 0;
  }

  /** Index of the newest sample. */
  get newest(): number {
    return (this.next + LATENCY_HISTORY_LENGTH - 1) % LATENCY_HISTORY_LENGTH;
  }

  /** The recorded samples, oldest first, as [unix seconds, milliseconds]. */
  samples(): Array<[number, number]> {
    const result: Array<[number, number]> = [];
    for (let i = 0; i < LATENCY_HISTORY_LENGTH; i++) {
      const slot = (this.next + i) % LATENCY_HISTORY_LENGTH;
      if (this.times[slot] !== 0) result.push([this.times[slot]!, this.latencies[slot]!]);
    }
    return result;
  }
}

/** The latency monitor of one server. */
export class LatencyMonitor {
  private readonly server: ServerState;
  /** Events in the order they first spiked. */
  private readonly events: Map<string, LatencyEvent>;

  constructor(server: ServerState) {
    this.server = server;
    this.events = new Map();
    server.commandObservers.push(this.commandExecuted);
  }

  /**
   * Record `milliseconds` for `event` when the monitor is on and the value
   * reaches latency-monitor-threshold. The entry point for every source of
   * latency (commands, the expire cycle, eviction, persistence).
   */
  addSampleIfNeeded(event: string, milliseconds: number): void {
    const threshold = this.server.settings.latencyMonitorThreshold;
    if (threshold > 0 && milliseconds >= threshold) this.addSample(event, milliseconds);
  }

  /**
   * Record a sample unconditionally, at `unixSeconds` (now by default). A
   * second sample in the same second as the previous one only raises it.
   */
  addSample(event: string, milliseconds: number, unixSeconds = Math.floor(Date.now() / 1000)): void {
    let series = this.events.get(event);
    if (series === undefined) {
      series = new LatencyEvent(event);
      this.events.set(event, series);
    }
    if (milliseconds > series.max) series.max = milliseconds;
    const newest = series.newest;
    if (series.times[newest] === unixSeconds) {
      if (milliseconds > series.latencies[newest]!) series.latencies[newest] = milliseconds;
      return;
    }
    series.times[series.next] = unixSeconds;
    series.latencies[series.next] = milliseconds;
    series.next = (series.next + 1) % LATENCY_HISTORY_LENGTH;
  }

  /** Every event with samples, in the order they first spiked. */
  allEvents(): LatencyEvent[] {
    return [...this.events.values()];
  }

  /** The samples of `event`, or undefined when it never spiked. */
  event(name: string): LatencyEvent | undefined {
    return this.events.get(name);
  }

  /**
   * Forget the samples of the named events (all events when `names` is empty).
   * Returns how many events had samples and were forgotten.
   */
  reset(names: readonly string[]): number {
    if (names.length === 0) {
      const count = this.events.size;
      this.events.clear();
      return count;
    }
    let count = 0;
    for (const name of names) if (this.events.delete(name)) count++;
    return count;
  }

  /** One executed command: its histogram and, past the threshold, a latency sample. */
  private readonly commandExecuted = (c: ClientSession): void => {
    const command = c.lastCommand;
    if (command === null || (c.flags & ClientFlag.Blocked) !== 0) return;
    const microseconds = c.lastCallMicroseconds;
    const settings = this.server.settings;
    if (settings.latencyTracking) {
      let histogram = command.stats.latencyHistogram;
      if (histogram === null) histogram = command.stats.latencyHistogram = new LatencyHistogram();
      histogram.recordMicroseconds(microseconds);
    }
    const threshold = settings.latencyMonitorThreshold;
    if (threshold > 0) {
      const milliseconds = Math.floor(microseconds / 1000);
      if (milliseconds >= threshold) {
        this.addSample((command.flagBits & FlagBit.Fast) !== 0 ? "fast-command" : "command", milliseconds);
      }
    }
  };
}

// ---------------------------------------------------------------- INFO latencystats

/** A percentile as INFO names it: 50 -> "50", 99.9 -> "99.9". */
function percentileLabel(percentile: number): string {
  return String(Number(percentile.toFixed(6)));
}

/**
 * The lines of INFO latencystats: for every command with a histogram,
 * `latency_percentiles_usec_<name>:p50=...,p99=...` with the percentiles of
 * latency-tracking-info-percentiles, in microseconds with three decimals.
 */
export function latencyStatsSection(server: ServerState): string {
  const percentiles = server.settings.latencyTrackingPercentiles;
  let text = "";
  const visit = (command: Command) => {
    const histogram = command.stats.latencyHistogram;
    if (histogram !== null && histogram.total > 0) {
      const figures = percentiles.map(
        (p) => `p${percentileLabel(p)}=${(histogram.valueAtPercentile(p) / 1000).toFixed(3)}`,
      );
      text += `latency_percentiles_usec_${command.fullName}:${figures.join(",")}\r\n`;
    }
    if (command.subcommands !== null) for (const sub of command.subcommands.values()) visit(sub);
  };
  for (const command of server.table.all()) visit(command);
  return text;
}
