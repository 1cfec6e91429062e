/*
 * Argument parsing shared by SCAN, SSCAN, HSCAN and ZSCAN: the cursor, then
 * MATCH pattern, COUNT n and (SCAN only) TYPE name, in any order.
 */

import { argIs, argString, parseLong } from "./args.js";
import type { ClientSession } from "./client-session.js";
import { Err } from "./errors.js";

/** Parsed SCAN-family options. */
export interface ScanOptions {
  /** The cursor the client sent (0 starts an iteration). */
  cursor: number;
  /** Glob pattern (latin1), or null for no filter. */
  match: string | null;
  /** How much work to do per call (Redis default 10). */
  count: number;
  /** TYPE filter (SCAN only), lowercase, or null. */
  type: string | null;
}

/**
 * Parse `cursor [MATCH pattern] [COUNT count] [TYPE type]` starting at argv index
 * `cursorIndex`. Writes the error Redis gives and returns null on bad input:
 * "invalid cursor", a non-integer COUNT, COUNT < 1 (syntax error), unknown
 * options or TYPE outside SCAN (syntax error).
 */
export function parseScanArgsOrReply(
  c: ClientSession,
  cursorIndex: number,
  allowType: boolean,
): ScanOptions | null {
  const argv = c.argv;
  const cursor = parseCursor(argv[cursorIndex]!);
  if (cursor === null) {
    c.reply.error("ERR invalid cursor");
    return null;
  }
  const options: ScanOptions = { cursor, match: null, count: 10, type: null };
  for (let i = cursorIndex + 1; i < argv.length; i += 2) {
    const option = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined) {
      c.reply.error(Err.syntax);
      return null;
    }
    if (argIs(option, "count")) {
      const count = parseLong(value);
      if (count === null) {
        c.reply.error(Err.notInteger);
        return null;
      }
      if (count < 1) {
        c.reply.error(Err.syntax);
        return null;
      }
      options.count = count;
    } else if (argIs(option, "match")) {
      options.match = argString(value);
    } else if (allowType && argIs(option, "type")) {
      options.type = argString(value).toLowerCase();
    } else {
      c.reply.error(Err.syntax);
      return null;
    }
  }
  return options;
}

/**
 * A cursor is read as Redis reads it, with strtoul(): an unsigned 64-bit
 * decimal with an optional sign ("-1" wraps around to 2^64-1), the empty
 * argument is 0; a leading blank, any other byte, or a magnitude beyond 2^64-1
 * is invalid. Exported for commands that validate the cursor before looking
 * their key up (ZSCAN).
 */
export function parseCursor(arg: Buffer): number | null {
  if (arg.length === 0) return 0;
  const sign = arg[0]!;
  const start = sign === 43 /* + */ || sign === 45 /* - */ ? 1 : 0;
  const digits = arg.length - start;
  if (digits === 0 || digits > 20) return null;
  for (let i = start; i < arg.length; i++) {
    const byte = arg[i]!;
    if (byte < 48 || byte > 57) return null;
  }
  const magnitude = BigInt(arg.toString("latin1", start));
  if (magnitude > 18446744073709551615n) return null;
  return Number(sign === 45 && magnitude !== 0n ? 18446744073709551616n - magnitude : magnitude);
}

/** True when a "match everything" pattern makes filtering unnecessary. */
export function matchesEverything(pattern: string | null): boolean {
  return pattern === null || pattern === "*";
}
