/*
 * SORT's numeric weights, read the way redis-server 7.0 reads them: with the C
 * library's strtod() on the value as a C string, accepted only when the
 * number ends the string, the conversion did not set ERANGE and the result is
 * not NaN. So, unlike argument parsing elsewhere:
 *
 *   - leading white space and a '+' are fine ("  -.5e1", "+7"), trailing ones
 *     are not ("5\t");
 *   - hexadecimal numbers count, with or without a binary exponent ("0x10",
 *     "0x1.8p3");
 *   - "inf" and "infinity" in any case are weights, "nan" never is;
 *   - the empty string (or one starting with a zero byte) weighs 0: strtod
 *     converts nothing and stops on the terminating zero;
 *   - a zero byte ends the number ("1\0x" weighs 1);
 *   - ERANGE (glibc): overflow to infinity, and underflow, meaning a result
 *     that is subnormal and inexact, or zero from non-zero digits.
 *
 * One difference is deliberate: redis-server 7.0 tests errno after strtod()
 * without clearing it first, so an ERANGE left by an earlier command (a SORT
 * with such a weight, a ZADD with an out-of-range score) makes it refuse
 * every later non-integer weight until some other call clears errno. That is
 * an accident of its internals; Spinel judges each weight on its own.
 */

/** Smallest positive normal double (DBL_MIN). */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * The weight of `text` (a binary latin1 string) as SORT computes it, or null
 * when Redis refuses it with "One or more scores can't be converted into double".
 */
export function parseSortWeight(text: string): number | null {
  const plain = plainInteger(text);
  if (plain !== null) return plain;
  const zero = text.indexOf("\0");
  const end = zero === -1 ? text.length : zero;
  let i = 0;
  while (i < end && isCSpace(text.charCodeAt(i))) i++;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    negative = sign === 45;
    i++;
  }
  const numberStart = i;
  if (startsWithWord(text, i, end, "inf")) {
    i += startsWithWord(text, i, end, "infinity") ? 8 : 3;
    return i === end ? (negative ? -Infinity : Infinity) : null;
  }
  if (startsWithWord(text, i, end, "nan")) return null;
  if (
    text.charCodeAt(i) === 48 /* 0 */ &&
    (text.charCodeAt(i + 1) | 0x20) === 120 /* x */ &&
    i + 2 < end &&
    (isHexDigit(text.charCodeAt(i + 2)) ||
      (text.charCodeAt(i + 2) === 46 /* . */ && i + 3 < end && isHexDigit(text.charCodeAt(i + 3))))
  ) {
    return parseHexWeight(text, i + 2, end, negative);
  }
  // Decimal: digits, an optional fraction, an optional exponent.
  let digits = 0;
  while (i < end && isDigit(text.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < end && text.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < end && isDigit(text.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) {
    // Nothing converted: strtod points at the start, which must be the terminator.
    return end === 0 ? 0 : null;
  }
  const mantissaEnd = i;
  if (i < end && (text.charCodeAt(i) | 0x20) === 101 /* e */) {
    let j = i + 1;
    const exponentSign = text.charCodeAt(j);
    if (exponentSign === 43 || exponentSign === 45) j++;
    if (j < end && isDigit(text.charCodeAt(j))) {
      while (j < end && isDigit(text.charCodeAt(j))) j++;
      i = j;
    }
  }
  if (i !== end) return null;
  const magnitude = Number(text.slice(numberStart, i));
  if (!decimalInRange(text, numberStart, mantissaEnd, i, magnitude)) return null;
  return negative ? -magnitude : magnitude;
}

/** parseSortWeight() of bytes (a list element), without decoding the common plain integers. */
export function parseSortWeightBytes(bytes: Buffer): number | null {
  const length = bytes.length;
  if (length > 0 && length <= 16) {
    const start = bytes[0] === 45 /* - */ ? 1 : 0;
    if (start < length && length - start <= 15) {
      let value = 0;
      let i = start;
      for (; i < length; i++) {
        const digit = bytes[i]! - 48;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
      if (i === length) return start === 1 ? -value : value;
    }
  }
  return parseSortWeight(bytes.toString("latin1"));
}

/**
 * The common case, without the general parse: an optional '-' and up to 15
 * decimal digits (exact in a double, so strtod's result is the same), else null.
 */
function plainInteger(text: string): number | null {
  const length = text.length;
  if (length === 0 || length > 16) return null;
  const start = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (start === length || length - start > 15) return null;
  let value = 0;
  for (let i = start; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return start === 1 ? -value : value;
}

/** C's isspace() in the C locale. */
function isCSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || ((code | 0x20) >= 97 && (code | 0x20) <= 102);
}

/** True when text[at..] starts with `word` (lowercase), in any case, before `end`. */
function startsWithWord(text: string, at: number, end: number, word: string): boolean {
  if (at + word.length > end) return false;
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- ERANGE of decimal input

/**
 * False when strtod would set ERANGE for the decimal text[start, end) whose
 * correctly rounded value is `magnitude` (>= 0): overflow, a zero result from
 * non-zero digits, or an inexact subnormal result.
 */
function decimalInRange(
  text: string,
  start: number,
  mantissaEnd: number,
  end: number,
  magnitude: number,
): boolean {
  if (magnitude === Infinity) return false;
  if (magnitude >= MIN_NORMAL) return true;
  let significand = "";
  let fractionDigits = 0;
  let inFraction = false;
  for (let k = start; k < mantissaEnd; k++) {
    const code = text.charCodeAt(k);
    if (code === 46) inFraction = true;
    else {
      significand += text[k];
      if (inFraction) fractionDigits++;
    }
  }
  const digitsValue = BigInt(significand);
  if (digitsValue === 0n) return true; // a true zero
  if (magnitude === 0) return false; // underflow to zero
  // Subnormal: exact only if digits * 10^exponent == units * 2^-1074.
  const exponentText = mantissaEnd < end ? text.slice(mantissaEnd + 1, end) : "0";
  const decimalExponent = Number(exponentText) - fractionDigits;
  const units = BigInt(magnitude * 2 ** 537 * 2 ** 537);
  if (decimalExponent >= 0) return true; // unreachable: non-zero digits without a fraction weigh >= 1
  return digitsValue * 2n ** 1074n === units * 10n ** BigInt(-decimalExponent);
}

// ---------------------------------------------------------------- hexadecimal input

/**
 * strtod of the hexadecimal number whose digits start at `at` (after "0x"),
 * rounded to nearest even; null when it does not end the string or sets ERANGE.
 */
function parseHexWeight(text: string, at: number, end: number, negative: boolean): number | null {
  let i = at;
  let digits = "";
  let fractionDigits = 0;
  while (i < end && isHexDigit(text.charCodeAt(i))) digits += text[i++];
  if (i < end && text.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < end && isHexDigit(text.charCodeAt(i))) {
      digits += text[i++];
      fractionDigits++;
    }
  }
  let binaryExponent = 0;
  if (i < end && (text.charCodeAt(i) | 0x20) === 112 /* p */) {
    let j = i + 1;
    const exponentSign = text.charCodeAt(j);
    if (exponentSign === 43 || exponentSign === 45) j++;
    if (j < end && isDigit(text.charCodeAt(j))) {
      const digitsStart = j;
      while (j < end && isDigit(text.charCodeAt(j))) j++;
      // Far beyond the double range either way; keeps the BigInt work bounded.
      const exponent = Math.min(Number(text.slice(digitsStart, j)), 100000);
      binaryExponent = exponentSign === 45 ? -exponent : exponent;
      i = j;
    }
  }
  if (i !== end) return null;
  const significand = BigInt(`0x${digits}`);
  if (significand === 0n) return negative ? -0 : 0;
  const magnitude = roundBinary(significand, binaryExponent - 4 * fractionDigits);
  if (magnitude === null) return null;
  return negative ? -magnitude : magnitude;
}

/**
 * significand * 2^exponent (significand > 0) rounded to the nearest double,
 * ties to even; null when the rounding sets ERANGE (overflow, or an inexact
 * subnormal or zero result).
 */
function roundBinary(significand: bigint, exponent: number): number | null {
  const bitLength = significand.toString(2).length;
  const top = bitLength - 1 + exponent; // exponent of the leading bit
  if (top > 1023) return null;
  if (top < -1076) return null; // below half the smallest subnormal: inexact zero
  const quantum = Math.max(top - 52, -1074); // exponent of the last kept bit
  const shift = quantum - exponent;
  let units: bigint;
  let exact = true;
  if (shift <= 0) {
    units = significand << BigInt(-shift);
  } else {
    const dropped = BigInt(shift);
    units = significand >> dropped;
    const remainder = significand & ((1n << dropped) - 1n);
    const half = 1n << (dropped - 1n);
    exact = remainder === 0n;
    if (remainder > half || (remainder === half && (units & 1n) === 1n)) units++;
  }
  const value = Number(units) * 2 ** quantum;
  if (value === Infinity) return null;
  if (!exact && (value < MIN_NORMAL || value === 0)) return null;
  return value;
}
