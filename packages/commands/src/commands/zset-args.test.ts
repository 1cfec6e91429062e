/*
 * Sorted set argument parsing: string2d for scores (strict), strtod for range
 * bounds (lenient), lex range items. Expected values are what redis-server 7.0.15
 * answers for the same arguments (checked with ZADD / ZCOUNT / ZLEXCOUNT).
 */

import { LexBoundKind } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { ClientSession } from "../client-session.js";
import { ServerState } from "../server-state.js";
import {
  numkeysKeyPositions,
  parseLexRangeOrReply,
  parseScore,
  parseScoreRangeOrReply,
} from "./zset-args.js";

const b = (text: string) => Buffer.from(text, "latin1");

function session(): ClientSession {
  return new ClientSession(new ServerState({ specs: [] }), null);
}

/** The error a parse wrote, or null. */
function errorOf(c: ClientSession): string | null {
  const bytes = Buffer.concat(c.reply.drain()).toString("latin1");
  return bytes.startsWith("-") ? bytes.slice(1, -2) : null;
}

describe("parseScore (string2d)", () => {
  it("accepts decimal, hexadecimal and infinite forms", () => {
    expect(parseScore(b("1.5"))).toBe(1.5);
    expect(parseScore(b("-.5e1"))).toBe(-5);
    expect(parseScore(b("5."))).toBe(5);
    expect(parseScore(b("+7"))).toBe(7);
    expect(parseScore(b("0x10"))).toBe(16);
    expect(parseScore(b("-0x1p3"))).toBe(-8);
    expect(parseScore(b("0x.8"))).toBe(0.5);
    expect(parseScore(b("inf"))).toBe(Number.POSITIVE_INFINITY);
    expect(parseScore(b("-Infinity"))).toBe(Number.NEGATIVE_INFINITY);
    expect(parseScore(b("5e-324"))).toBe(5e-324);
    expect(Object.is(parseScore(b("-0")), -0)).toBe(true);
    // No length limit: strtod reads long literals whole.
    expect(parseScore(b(`0.${"0".repeat(6000)}1e6000`))).toBe(0.1);
  });

  it("refuses what Redis refuses", () => {
    for (const text of [
      "",
      " 1",
      "1 ",
      "nan",
      "-nan",
      "abc",
      "1e",
      "0x",
      "1e400",
      "-1e400",
      "1e-400",
      "infinit",
      "1\u00002",
      "-",
      "+",
      "+-1",
      "12a",
    ]) {
      expect(parseScore(b(text)), JSON.stringify(text)).toBeNull();
    }
  });

  it("reads plain integers on either side of the 15-digit fast path as strtod does", () => {
    for (const text of [
      "0",
      "007",
      "-12",
      "+0",
      "999999999999999",
      "-99999999999999",
      "9007199254740993",
      "12345678901234567890",
    ]) {
      expect(Object.is(parseScore(b(text)), Number(text)), text).toBe(true);
    }
    expect(Object.is(parseScore(b("-0")), -0)).toBe(true);
  });
});

describe("parseScoreRangeOrReply (zslParseRange)", () => {
  it("reads exclusive bounds and strtod's lenient forms", () => {
    const c = session();
    expect(parseScoreRangeOrReply(c, b("(1"), b("+inf"))).toEqual({
      min: 1,
      max: Number.POSITIVE_INFINITY,
      minExclusive: true,
      maxExclusive: false,
    });
    expect(parseScoreRangeOrReply(c, b(""), b("("))).toEqual({
      min: 0,
      max: 0,
      minExclusive: false,
      maxExclusive: true,
    });
    expect(parseScoreRangeOrReply(c, b(" \t2"), b("1e400"))).toMatchObject({
      min: 2,
      max: Number.POSITIVE_INFINITY,
    });
    expect(parseScoreRangeOrReply(c, b("1\u0000junk"), b("0x2"))).toMatchObject({ min: 1, max: 2 });
    expect(errorOf(c)).toBeNull();
  });

  it("replies 'min or max is not a float'", () => {
    for (const [min, max] of [
      ["nan", "1"],
      ["1", "((2"],
      ["  ", "1"],
      ["1 ", "2"],
      ["x", "1"],
    ] as const) {
      const c = session();
      expect(parseScoreRangeOrReply(c, b(min), b(max))).toBeNull();
      expect(errorOf(c)).toBe("ERR min or max is not a float");
    }
  });
});

describe("parseLexRangeOrReply (zslParseLexRangeItem)", () => {
  it("reads [ ( - + items, binary-safe", () => {
    const c = session();
    expect(parseLexRangeOrReply(c, b("[a\u0000b"), b("+"))).toEqual({
      minKind: LexBoundKind.Value,
      min: "a\u0000b",
      minExclusive: false,
      maxKind: LexBoundKind.PositiveInfinity,
      max: "",
      maxExclusive: true,
    });
    expect(parseLexRangeOrReply(c, b("-"), b("("))).toMatchObject({
      minKind: LexBoundKind.NegativeInfinity,
      maxKind: LexBoundKind.Value,
      max: "",
      maxExclusive: true,
    });
    // The C string of "+\0x" ends right after the "+".
    expect(parseLexRangeOrReply(c, b("+\u0000x"), b("-"))).toMatchObject({
      minKind: LexBoundKind.PositiveInfinity,
    });
    expect(errorOf(c)).toBeNull();
  });

  it("replies 'min or max not valid string range item'", () => {
    for (const [min, max] of [
      ["a", "+"],
      ["", "+"],
      ["--", "+"],
      ["-", "+x"],
    ] as const) {
      const c = session();
      expect(parseLexRangeOrReply(c, b(min), b(max))).toBeNull();
      expect(errorOf(c)).toBe("ERR min or max not valid string range item");
    }
  });
});

describe("numkeysKeyPositions", () => {
  it("finds the keys after numkeys, and leading destinations", () => {
    const argv = ["ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2"].map(b);
    expect(numkeysKeyPositions(argv, 2, 1)).toEqual([1, 3, 4]);
    expect(numkeysKeyPositions(["ZMPOP", "2", "a", "b", "MIN"].map(b), 1, 0)).toEqual([2, 3]);
    expect(numkeysKeyPositions(["ZMPOP", "x", "a"].map(b), 1, 0)).toEqual([]);
    expect(numkeysKeyPositions(["ZMPOP", "9", "a"].map(b), 1, 0)).toEqual([2]);
  });
});
