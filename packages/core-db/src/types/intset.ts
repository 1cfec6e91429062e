/*
 * The integer rules of Redis' intset encoding, over members held as strings.
 *
 * A set member can live in an intset when it is the canonical decimal form of a
 * signed 64-bit integer, exactly as Redis' string2ll() decides: an optional '-',
 * no '+', no leading zeros ("0" itself excepted, "-0" refused), no blanks,
 * within [-2^63, 2^63 - 1]. Canonical strings compare numerically by sign, then
 * length, then bytes, so an intset is kept as a sorted array of strings with no
 * BigInt anywhere.
 */

const INT64_MAX_DIGITS = "9223372036854775807";
const INT64_MIN_DIGITS = "9223372036854775808";

/** True when `member` (latin1) is the canonical form of a signed 64-bit integer. */
export function isIntsetMember(member: string): boolean {
  const length = member.length;
  if (length === 0 || length > 20) return false;
  let start = 0;
  const negative = member.charCodeAt(0) === 45; /* - */
  if (negative) {
    if (length === 1) return false;
    start = 1;
  }
  const first = member.charCodeAt(start);
  if (first === 48 /* 0 */) return length === 1; // "0" only: no "-0", no "01"
  if (first < 49 || first > 57) return false;
  for (let i = start + 1; i < length; i++) {
    const code = member.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  const digits = length - start;
  if (digits < 19) return true;
  if (digits > 19) return false;
  const bound = negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS;
  return (negative ? member.slice(1) : member) <= bound;
}

/**
 * Numeric order of two canonical integer strings (see isIntsetMember):
 * negative, zero or positive as a < b, a == b, a > b.
 */
export function compareIntegerStrings(a: string, b: string): number {
  if (a === b) return 0;
  const aNegative = a.charCodeAt(0) === 45;
  const bNegative = b.charCodeAt(0) === 45;
  if (aNegative !== bNegative) return aNegative ? -1 : 1;
  // Same sign: for positives the shorter (then the bytewise smaller) is smaller;
  // for negatives the order is reversed.
  const smaller = a.length !== b.length ? a.length < b.length : a < b;
  return smaller !== aNegative ? -1 : 1;
}

/**
 * Binary search of `member` in `sorted` (canonical integers in ascending order).
 * Returns its index, or -(insertion point) - 1 when absent.
 */
export function searchIntegerStrings(sorted: readonly string[], member: string): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const order = compareIntegerStrings(sorted[mid]!, member);
    if (order < 0) low = mid + 1;
    else if (order > 0) high = mid - 1;
    else return mid;
  }
  return -low - 1;
}
