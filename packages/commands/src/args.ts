/*
 * Argument parsing helpers, with Redis' exact rules and errors.
 *
 * Naming: `parseX` returns a value or null and writes nothing; `getXOrReply`
 * writes the error reply itself and returns null, so a handler just returns.
 */

import { latin1Of } from "@spinel/core-db";
import type { ClientSession } from "./client-session.js";
import { Err } from "./errors.js";

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Parse a signed 64-bit integer as Redis' string2ll does: optional '-', digits,
 * no '+', no blanks, no leading zeros (except "0"), within range. Exact.
 */
export function parseInt64(arg: Buffer): bigint | null {
  const length = arg.length;
  if (length === 0 || length > 20) return null;
  let i = 0;
  if (arg[0] === 45 /* - */) {
    if (length === 1) return null;
    i = 1;
  }
  const first = arg[i]!;
  if (first === 48) return length === 1 ? 0n : null;
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < length; j++) {
    const b = arg[j]!;
    if (b < 48 || b > 57) return null;
  }
  const value = BigInt(arg.toString("latin1"));
  return value > INT64_MAX || value < INT64_MIN ? null : value;
}

/**
 * Parse a signed 64-bit integer into a JS number. Values beyond 2^53 are rounded,
 * which is fine for indexes, counts and timeouts; use parseInt64 for arithmetic.
 */
export function parseLong(arg: Buffer): number | null {
  const length = arg.length;
  if (length === 0 || length > 20) return null;
  if (length < 16) {
    // Fast path: fits a safe integer, no BigInt needed.
    let i = 0;
    let negative = false;
    if (arg[0] === 45) {
      if (length === 1) return null;
      negative = true;
      i = 1;
    }
    const first = arg[i]!;
    if (first === 48) return length === 1 ? 0 : null;
    if (first < 49 || first > 57) return null;
    let value = 0;
    for (; i < length; i++) {
      const digit = arg[i]! - 48;
      if (digit < 0 || digit > 9) return null;
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }
  const big = parseInt64(arg);
  return big === null ? null : Number(big);
}

/**
 * Parse a double as Redis' string2d / strtod does for arguments: the whole
 * argument must be a number ("inf", "+inf", "-inf" accepted, "nan" and blanks not).
 */
export function parseDouble(arg: Buffer): number | null {
  const length = arg.length;
  if (length === 0 || length > 5000) return null;
  const first = arg[0]!;
  const last = arg[length - 1]!;
  if (first === 32 || first === 9 || last === 32 || last === 9 || last === 10 || last === 13) return null;
  const text = arg.toString("latin1");
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "+inf" || lower === "infinity" || lower === "+infinity") {
    return Number.POSITIVE_INFINITY;
  }
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  if (!DOUBLE_PATTERN.test(text)) return null;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

/** strtod's decimal and hexadecimal forms (no nan, no inf: handled above). */
const DOUBLE_PATTERN = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+)$/;

/** Integer argument or reply `message` (default "value is not an integer or out of range"). */
export function getLongOrReply(
  c: ClientSession,
  arg: Buffer,
  message: string = Err.notInteger,
): number | null {
  const value = parseLong(arg);
  if (value === null) c.reply.error(message);
  return value;
}

/** Integer argument within [min, max], or reply `message`. */
export function getRangeLongOrReply(
  c: ClientSession,
  arg: Buffer,
  min: number,
  max: number,
  message: string,
): number | null {
  const value = parseLong(arg);
  if (value === null || value < min || value > max) {
    c.reply.error(message);
    return null;
  }
  return value;
}

/** Non-negative integer argument, or reply `message`. */
export function getPositiveLongOrReply(c: ClientSession, arg: Buffer, message: string): number | null {
  return getRangeLongOrReply(c, arg, 0, Number.MAX_SAFE_INTEGER * 1024, message);
}

/** Double argument or reply "value is not a valid float". */
export function getDoubleOrReply(
  c: ClientSession,
  arg: Buffer,
  message: string = Err.notFloat,
): number | null {
  const value = parseDouble(arg);
  if (value === null) c.reply.error(message);
  return value;
}

/**
 * The argument as a binary (latin1) JS string: how keys and members are held.
 * Short arguments are decoded without a native call (see @spinel/core-db's latin1String).
 */
export function argString(arg: Buffer): string {
  return latin1Of(arg);
}

/**
 * Case-insensitive comparison of an argument with a lowercase ASCII word, without
 * allocating (option parsing: NX, XX, EX, WITHSCORES ...).
 */
export function argIs(arg: Buffer, lowercaseWord: string): boolean {
  const length = lowercaseWord.length;
  if (arg.length !== length) return false;
  for (let i = 0; i < length; i++) {
    let b = arg[i]!;
    if (b >= 65 && b <= 90) b += 32;
    if (b !== lowercaseWord.charCodeAt(i)) return false;
  }
  return true;
}
