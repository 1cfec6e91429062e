/*
 * Logging with pino. Redis' loglevel names map onto pino levels. Two formats:
 *
 *   readable  redis-server's line shape, `pid:role date level message`, e.g.
 *             `12345:M 07 Dec 2026 12:00:00.123 * Ready to accept connections`
 *             (level marks as Redis': `.` debug, `*` notice, `#` warning and worse),
 *             with any extra fields appended as `key=value`;
 *   json      pino's JSON lines, one `pid` field each.
 *
 * `log-format auto` (the default) is readable when the log goes to a terminal
 * (stdout is a TTY, no logfile) or to a plain file (`logfile`, a regular file or
 * one about to be created), and JSON otherwise (stdout piped to a collector).
 * Log lines are written synchronously: the server logs a handful of lines, never
 * one per command, and the last lines before an exit must not be lost.
 */

import { statSync } from "node:fs";
import { type DestinationStream, destination, type LevelWithSilent, type Logger, pino } from "pino";

const LEVELS: Record<string, LevelWithSilent> = {
  debug: "debug",
  verbose: "debug",
  notice: "info",
  warning: "warn",
  nothing: "silent",
};

/** How log lines are written (the `log-format` parameter). */
export type LogFormat = "auto" | "readable" | "json";

/** Options of createLogger. */
export interface LoggerOptions {
  /** Redis loglevel: debug, verbose, notice, warning, nothing. */
  level: string;
  /** File to append lines to; "" means stdout. */
  file: string;
  /** Line format; "auto" when absent (see the file header). */
  format?: LogFormat;
  /** Older switch: true is "readable", false is "json"; `format` wins. */
  pretty?: boolean;
}

/** A pino logger configured as redis.conf asks. */
export function createLogger(options: LoggerOptions): Logger {
  const level = LEVELS[options.level] ?? "info";
  const settings = { level, base: { pid: process.pid } };
  const sink =
    options.file !== ""
      ? destination({ dest: options.file, append: true, mkdir: true, sync: true })
      : destination({ dest: 1, sync: true });
  const format =
    options.format ?? (options.pretty === undefined ? "auto" : options.pretty ? "readable" : "json");
  if (!wantsReadable(format, options.file)) return pino(settings, sink);
  const readable: DestinationStream & { flush(done?: () => void): void } = {
    write(line: string) {
      sink.write(readableLine(line));
    },
    flush(done?: () => void) {
      done?.(); // the sink writes synchronously
    },
  };
  return pino(settings, readable);
}

/** Change the level of a running logger (CONFIG SET loglevel). */
export function setLogLevel(logger: Logger, redisLevel: string): void {
  logger.level = LEVELS[redisLevel] ?? "info";
}

/** Whether `format` means readable lines for a log written to `file` ("" for stdout). */
export function wantsReadable(format: LogFormat, file: string): boolean {
  if (format !== "auto") return format === "readable";
  if (file === "") return Boolean(process.stdout.isTTY);
  try {
    return statSync(file).isFile();
  } catch {
    return true; // not there yet: it will be created as a plain file
  }
}

// ---------------------------------------------------------------- readable lines

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** Fields every pino line carries; the rest are shown as key=value. */
const STANDARD_FIELDS = new Set(["level", "time", "pid", "hostname", "name", "msg"]);

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** Redis' level marks: `.` debug, `-` verbose, `*` notice, `#` warning. */
function levelMark(level: number): string {
  if (level <= 20) return ".";
  if (level <= 30) return "*";
  return "#";
}

/** One extra field as `key=value` (strings bare, errors by their message, the rest as JSON). */
function showField(key: string, value: unknown): string {
  if (typeof value === "string") return `${key}=${value}`;
  if (value !== null && typeof value === "object" && "message" in value) {
    return `${key}=${String((value as { message: unknown }).message)}`;
  }
  return `${key}=${JSON.stringify(value)}`;
}

/**
 * Turn one pino JSON line into redis-server's shape, in local time as Redis
 * prints it: `pid:M dd Mon yyyy hh:mm:ss.mmm <mark> message key=value ...`.
 * A line that is not JSON is passed through.
 */
export function readableLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const date = new Date(typeof entry.time === "number" ? entry.time : Date.now());
  const stamp =
    `${pad(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
  let line = `${entry.pid ?? process.pid}:M ${stamp} ${levelMark(Number(entry.level ?? 30))} ${String(entry.msg ?? "")}`;
  for (const [key, value] of Object.entries(entry)) {
    if (!STANDARD_FIELDS.has(key)) line += ` ${showField(key, value)}`;
  }
  return `${line}\n`;
}
