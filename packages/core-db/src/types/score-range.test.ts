import { describe, expect, it } from "vitest";
import {
  isEmptyLexRange,
  isEmptyScoreRange,
  LexBoundKind,
  type LexRange,
  lexGteMin,
  lexLteMax,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
} from "./score-range.js";

const range = (min: number, max: number, minExclusive = false, maxExclusive = false): ScoreRange => ({
  min,
  max,
  minExclusive,
  maxExclusive,
});

const lex = (
  minKind: LexBoundKind,
  min: string,
  minExclusive: boolean,
  maxKind: LexBoundKind,
  max: string,
  maxExclusive: boolean,
): LexRange => ({ minKind, min, minExclusive, maxKind, max, maxExclusive });

const V = LexBoundKind.Value;

describe("score ranges", () => {
  it("test both bounds, inclusive and exclusive", () => {
    expect(scoreGteMin(3, range(3, 5))).toBe(true);
    expect(scoreGteMin(3, range(3, 5, true))).toBe(false);
    expect(scoreLteMax(5, range(3, 5))).toBe(true);
    expect(scoreLteMax(5, range(3, 5, false, true))).toBe(false);
    expect(scoreGteMin(-0, range(0, 1))).toBe(true);
    expect(scoreLteMax(Infinity, range(-Infinity, Infinity))).toBe(true);
  });

  it("know the empty ones", () => {
    expect(isEmptyScoreRange(range(5, 3))).toBe(true);
    expect(isEmptyScoreRange(range(3, 3, false, true))).toBe(true);
    expect(isEmptyScoreRange(range(3, 3, true, false))).toBe(true);
    expect(isEmptyScoreRange(range(3, 3))).toBe(false);
  });
});

describe("lex ranges", () => {
  it("compare members byte-wise, with - and + as infinities", () => {
    expect(lexGteMin("b", lex(V, "b", false, V, "d", false))).toBe(true);
    expect(lexGteMin("b", lex(V, "b", true, V, "d", false))).toBe(false);
    expect(lexGteMin("\xff", lex(V, "b", true, V, "d", false))).toBe(true);
    expect(lexLteMax("d", lex(V, "b", false, V, "d", true))).toBe(false);
    expect(lexLteMax("c\x00", lex(V, "b", false, V, "d", true))).toBe(true);
    const all = lex(LexBoundKind.NegativeInfinity, "", true, LexBoundKind.PositiveInfinity, "", true);
    expect(lexGteMin("", all)).toBe(true);
    expect(lexLteMax("\xff\xff", all)).toBe(true);
    expect(lexGteMin("a", lex(LexBoundKind.PositiveInfinity, "", true, V, "z", false))).toBe(false);
    expect(lexLteMax("a", lex(V, "a", false, LexBoundKind.NegativeInfinity, "", true))).toBe(false);
  });

  it("know the empty ones", () => {
    expect(
      isEmptyLexRange(lex(LexBoundKind.NegativeInfinity, "", true, LexBoundKind.NegativeInfinity, "", true)),
    ).toBe(true);
    expect(isEmptyLexRange(lex(LexBoundKind.PositiveInfinity, "", true, V, "z", false))).toBe(true);
    expect(isEmptyLexRange(lex(V, "b", false, V, "a", false))).toBe(true);
    expect(isEmptyLexRange(lex(V, "a", false, V, "a", false))).toBe(false);
    expect(isEmptyLexRange(lex(V, "a", true, V, "a", false))).toBe(true);
  });
});
