/*
 * Structured logging with pino. Redis' loglevel names map onto pino levels; logs go
 * to stdout (pretty-printed when stdout is a terminal) or to `logfile` as JSON lines.
 */

import { destination, type LevelWithSilent, type Logger, pino } from "pino";
import pretty from "pino-pretty";

const LEVELS: Record<string, LevelWithSilent> = {
  debug: "debug",
  verbose: "debug",
  notice: "info",
  warning: "warn",
  nothing: "silent",
};

/** Options of createLogger. */
export interface LoggerOptions {
  /** Redis loglevel: debug, verbose, notice, warning, nothing. */
  level: string;
  /** File to append JSON lines to; "" means stdout. */
  file: string;
  /** Force pretty (true), JSON (false), or decide by whether stdout is a TTY (undefined). */
  pretty?: boolean;
}

/** A pino logger configured as redis.conf asks. */
export function createLogger(options: LoggerOptions): Logger {
  const level = LEVELS[options.level] ?? "info";
  const base = { level, base: { pid: process.pid }, name: "spinel" };
  if (options.file !== "") {
    return pino(base, destination({ dest: options.file, append: true, mkdir: true, sync: false }));
  }
  const usePretty = options.pretty ?? Boolean(process.stdout.isTTY);
  if (usePretty) {
    return pino(
      base,
      pretty({ colorize: true, translateTime: "SYS:dd mmm yyyy HH:MM:ss.l", ignore: "name" }),
    );
  }
  return pino(base);
}

/** Change the level of a running logger (CONFIG SET loglevel). */
export function setLogLevel(logger: Logger, redisLevel: string): void {
  logger.level = LEVELS[redisLevel] ?? "info";
}
