/*
 * Score and lex intervals of sorted set range commands (ZRANGEBYSCORE, ZCOUNT,
 * ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBY*), and the predicates both encodings use to
 * test elements against them (Redis' zslValueGteMin / zslValueLteMax /
 * zslLexValueGteMin / zslLexValueLteMax).
 *
 * Members are latin1 JS strings (one char = one byte), so JS string comparison is
 * memcmp order with the shorter string first on a common prefix, like sdscmp.
 */

/** A score interval; `minExclusive` / `maxExclusive` come from the "(" prefix. */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minExclusive: boolean;
  readonly maxExclusive: boolean;
}

/** Kind of a lex bound: "-" (below everything), a value, or "+" (above everything). */
export enum LexBoundKind {
  NegativeInfinity = -1,
  Value = 0,
  PositiveInfinity = 1,
}

/**
 * A lex interval, as ZRANGEBYLEX parses "[a", "(a", "-" and "+". The infinite
 * bounds count as exclusive (Redis marks them so: "- -" is an empty range).
 */
export interface LexRange {
  readonly minKind: LexBoundKind;
  readonly min: string;
  readonly minExclusive: boolean;
  readonly maxKind: LexBoundKind;
  readonly max: string;
  readonly maxExclusive: boolean;
}

// ---------------------------------------------------------------- score ranges

/** True when `score` is not below the range's lower bound. */
export function scoreGteMin(score: number, range: ScoreRange): boolean {
  return range.minExclusive ? score > range.min : score >= range.min;
}

/** True when `score` is not above the range's upper bound. */
export function scoreLteMax(score: number, range: ScoreRange): boolean {
  return range.maxExclusive ? score < range.max : score <= range.max;
}

/** True when no score can ever be inside `range` (min > max, or an open single point). */
export function isEmptyScoreRange(range: ScoreRange): boolean {
  return range.min > range.max || (range.min === range.max && (range.minExclusive || range.maxExclusive));
}

// ---------------------------------------------------------------- lex ranges

/** Compare two lex bounds the way Redis' sdscmplex does (infinities included). */
function compareLexBounds(aKind: LexBoundKind, a: string, bKind: LexBoundKind, b: string): number {
  if (aKind === bKind && aKind !== LexBoundKind.Value) return 0;
  if (aKind === LexBoundKind.NegativeInfinity || bKind === LexBoundKind.PositiveInfinity) return -1;
  if (aKind === LexBoundKind.PositiveInfinity || bKind === LexBoundKind.NegativeInfinity) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `member` is not below the range's lower bound. */
export function lexGteMin(member: string, range: LexRange): boolean {
  if (range.minKind === LexBoundKind.NegativeInfinity) return true;
  if (range.minKind === LexBoundKind.PositiveInfinity) return false;
  return range.minExclusive ? member > range.min : member >= range.min;
}

/** True when `member` is not above the range's upper bound. */
export function lexLteMax(member: string, range: LexRange): boolean {
  if (range.maxKind === LexBoundKind.PositiveInfinity) return true;
  if (range.maxKind === LexBoundKind.NegativeInfinity) return false;
  return range.maxExclusive ? member < range.max : member <= range.max;
}

/** True when no member can ever be inside `range`. */
export function isEmptyLexRange(range: LexRange): boolean {
  const cmp = compareLexBounds(range.minKind, range.min, range.maxKind, range.max);
  return cmp > 0 || (cmp === 0 && (range.minExclusive || range.maxExclusive));
}
