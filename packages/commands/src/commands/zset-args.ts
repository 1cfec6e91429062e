/*
 * Argument parsing for the sorted set commands, with Redis 7.0's exact rules:
 *
 *   - scores, increments and weights go through string2d(): the whole argument
 *     must be a number for strtod (decimal, hexadecimal, inf/infinity), with no
 *     leading blank, not NaN, and not out of double range ("1e400" is refused);
 *   - score range bounds go through zslParseRange(): an optional "(" for an
 *     exclusive bound, then strtod over the C string, which is more lenient
 *     (leading blanks, an empty bound meaning 0, "1e400" meaning inf) but
 *     refuses NaN;
 *   - lex range bounds go through zslParseLexRangeItem(): "[" inclusive, "("
 *     exclusive, "-" and "+" for the infinities.
 */

import { LexBoundKind, type LexRange, type ScoreRange } from "@spinel/core-db";
import { parseLong } from "../args.js";
import type { ClientSession } from "../client-session.js";

/** Error of zslParseRange failures. */
export const SCORE_RANGE_ERROR = "ERR min or max is not a float";
/** Error of zslParseLexRange failures. */
export const LEX_RANGE_ERROR = "ERR min or max not valid string range item";

const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEXADECIMAL = /^0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?$/;
const NOT_A_NUMBER = /^nan(?:\([0-9A-Za-z_]*\))?$/i;

/** C's isspace() in the "C" locale. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Value of a hexadecimal strtod literal without sign ("0x1.8p3"). */
function parseHexLiteral(text: string): number {
  let mantissa = 0;
  let exponent = 0;
  let i = 2;
  let afterPoint = false;
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 46 /* . */) {
      afterPoint = true;
      continue;
    }
    if (ch === 112 || ch === 80 /* p P */) break;
    mantissa = mantissa * 16 + Number.parseInt(text[i]!, 16);
    if (afterPoint) exponent -= 4;
  }
  if (i < text.length) exponent += Number(text.slice(i + 1));
  return mantissa * 2 ** exponent;
}

/** True when the digits of a numeric literal (before any exponent) are not all zero. */
function hasNonZeroDigit(literal: string, hex: boolean): boolean {
  for (let i = hex ? 2 : 0; i < literal.length; i++) {
    const ch = literal[i]!;
    if (hex ? ch === "p" || ch === "P" : ch === "e" || ch === "E") return false;
    if (ch !== "0" && ch !== ".") return true;
  }
  return false;
}

/**
 * strtod() over all of `text`: the number, or null when strtod would stop before
 * the end. `strict` adds string2d's rules: no leading blank, not empty, not NaN,
 * no overflow to infinity and no underflow to zero. Without `strict`, a NaN
 * result is returned as NaN for the caller to refuse.
 */
function strtodWhole(text: string, strict: boolean): number | null {
  const length = text.length;
  if (length === 0) return strict ? null : 0; // strtod converts nothing and stops at the terminator
  let i = 0;
  if (isSpace(text.charCodeAt(0))) {
    if (strict) return null;
    while (i < length && isSpace(text.charCodeAt(i))) i++;
  }
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    negative = sign === 45;
    i++;
  }
  const body = text.slice(i);
  const lower = body.toLowerCase();
  let value: number;
  if (lower === "inf" || lower === "infinity") {
    value = Number.POSITIVE_INFINITY;
  } else if (NOT_A_NUMBER.test(body)) {
    return strict ? null : Number.NaN;
  } else if (DECIMAL.test(body)) {
    value = Number(body);
    if (strict && (value === Number.POSITIVE_INFINITY || (value === 0 && hasNonZeroDigit(body, false)))) {
      return null;
    }
  } else if (HEXADECIMAL.test(body)) {
    value = parseHexLiteral(body);
    if (strict && (value === Number.POSITIVE_INFINITY || (value === 0 && hasNonZeroDigit(body, true)))) {
      return null;
    }
  } else {
    return null;
  }
  return negative ? -value : value;
}

/** Arguments up to this long that are plain integers are read without the general parser. */
const MAX_EXACT_DIGITS = 15;

/**
 * A score, increment or weight argument (Redis' getDoubleFromObject / string2d),
 * or null when it is not a valid float. Binary-safe: an embedded NUL byte makes
 * the argument invalid, as strtod stops there.
 */
export function parseScore(arg: Buffer): number | null {
  const length = arg.length;
  // Fast path: an optionally signed decimal integer of at most 15 digits is exact
  // in a double and reads the same as strtod reads it (-0 included).
  if (length !== 0 && length <= MAX_EXACT_DIGITS) {
    const first = arg[0]!;
    const negative = first === 45; /* - */
    let i = negative || first === 43 /* + */ ? 1 : 0;
    if (i < length) {
      let value = 0;
      for (; i < length; i++) {
        const digit = arg[i]! - 48;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
      if (i === length) return negative ? -value : value;
    }
  }
  if (length === 0 || arg.indexOf(0) !== -1) return null;
  return strtodWhole(arg.toString("latin1"), true);
}

/** One bound of a score range, or null when invalid (zslParseRange semantics). */
function parseScoreBound(arg: Buffer): { value: number; exclusive: boolean } | null {
  const nul = arg.indexOf(0);
  let text = (nul === -1 ? arg : arg.subarray(0, nul)).toString("latin1");
  let exclusive = false;
  if (text.charCodeAt(0) === 40 /* ( */) {
    exclusive = true;
    text = text.slice(1);
  }
  const value = strtodWhole(text, false);
  if (value === null || Number.isNaN(value)) return null;
  return { value, exclusive };
}

/**
 * Parse `min` and `max` of ZRANGEBYSCORE and friends ("(" = exclusive, -inf / +inf),
 * or reply "min or max is not a float" and return null.
 */
export function parseScoreRangeOrReply(c: ClientSession, minArg: Buffer, maxArg: Buffer): ScoreRange | null {
  const min = parseScoreBound(minArg);
  const max = min === null ? null : parseScoreBound(maxArg);
  if (min === null || max === null) {
    c.reply.error(SCORE_RANGE_ERROR);
    return null;
  }
  return { min: min.value, max: max.value, minExclusive: min.exclusive, maxExclusive: max.exclusive };
}

/** One bound of a lex range, or null when invalid (zslParseLexRangeItem semantics). */
function parseLexBound(arg: Buffer): { kind: LexBoundKind; value: string; exclusive: boolean } | null {
  if (arg.length === 0) return null;
  const first = arg[0]!;
  // "+" and "-" must end there (the C string may end at an embedded NUL).
  if (first === 43 /* + */ || first === 45 /* - */) {
    if (arg.length > 1 && arg[1] !== 0) return null;
    const kind = first === 43 ? LexBoundKind.PositiveInfinity : LexBoundKind.NegativeInfinity;
    return { kind, value: "", exclusive: true };
  }
  if (first === 40 /* ( */ || first === 91 /* [ */) {
    return { kind: LexBoundKind.Value, value: arg.toString("latin1", 1), exclusive: first === 40 };
  }
  return null;
}

/**
 * Parse `min` and `max` of ZRANGEBYLEX and friends, or reply "min or max not valid
 * string range item" and return null.
 */
export function parseLexRangeOrReply(c: ClientSession, minArg: Buffer, maxArg: Buffer): LexRange | null {
  const min = parseLexBound(minArg);
  const max = min === null ? null : parseLexBound(maxArg);
  if (min === null || max === null) {
    c.reply.error(LEX_RANGE_ERROR);
    return null;
  }
  return {
    minKind: min.kind,
    min: min.value,
    minExclusive: min.exclusive,
    maxKind: max.kind,
    max: max.value,
    maxExclusive: max.exclusive,
  };
}

/**
 * Key positions (for spec.getKeys) of a command with `numkeys` at
 * argv[numkeysIndex] followed by that many keys, after `leading` keys at argv[1..]
 * (the destination of the STORE forms). A bad numkeys yields the leading keys only.
 */
export function numkeysKeyPositions(
  argv: readonly Buffer[],
  numkeysIndex: number,
  leading: number,
): number[] {
  const keys: number[] = [];
  for (let i = 1; i <= leading && i < argv.length; i++) keys.push(i);
  const count = numkeysIndex < argv.length ? parseLong(argv[numkeysIndex]!) : null;
  if (count === null || count < 1) return keys;
  for (let i = numkeysIndex + 1; i <= numkeysIndex + count && i < argv.length; i++) keys.push(i);
  return keys;
}
