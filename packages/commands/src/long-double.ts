/*
 * x87 80-bit "long double" arithmetic, exactly as redis-server on x86-64 does it
 * for INCRBYFLOAT and HINCRBYFLOAT.
 *
 * Redis parses both operands with strtold(), adds them in 80-bit extended
 * precision (64-bit significand, 15-bit exponent, subnormals), and prints the sum
 * with "%.17Lf" before stripping trailing zeros. A JS double cannot reproduce
 * that: 10.1 + 0.2 or 1e20 + 10.3 come out differently. So values here are exact
 * binary numbers held in BigInts, significand * 2^exponent, and every step is
 * done exactly and rounded once, the way the hardware and glibc do:
 *
 *   - parsing rounds the exact decimal (or hexadecimal) value to nearest-even at
 *     64 significant bits, with the extended exponent range (overflow to
 *     infinity, gradual underflow through subnormals down to 2^-16445);
 *   - addition computes the exact sum and rounds it the same way;
 *   - printing expands the exact binary value to 17 decimals, rounding ties to
 *     even as glibc's printf does.
 *
 * This is the slow path by nature (a few BigInt operations per call); nothing
 * on the GET/SET path uses it.
 */

// ---------------------------------------------------------------- the value type

/** Significand bits of the x87 extended format (explicit integer bit included). */
const SIGNIFICAND_BITS = 64;
/** Exponent of the least significant bit of the smallest subnormal: 2^-16445. */
const MIN_EXPONENT = -16445;
/** Values of 2^16384 and above overflow to infinity. */
const MAX_BIT_LENGTH_PLUS_EXPONENT = 16384;
/** Redis' MAX_LONG_DOUBLE_CHARS: longer inputs are refused before parsing. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
/** Digits after the point in "%.17Lf". */
const PRINT_DECIMALS = 17;
const PRINT_SCALE = 10n ** BigInt(PRINT_DECIMALS);

/**
 * An x87 extended-precision value: finite (significand * 2^exponent, the
 * significand below 2^64) or infinite. NaN is never represented: operations
 * that would produce it return null.
 */
export class LongDouble {
  readonly negative: boolean;
  /** Unsigned significand, below 2^64 (0n for zero). */
  readonly significand: bigint;
  /** Power of two of the significand's least significant bit. */
  readonly exponent: number;
  readonly infinite: boolean;

  constructor(negative: boolean, significand: bigint, exponent: number, infinite: boolean) {
    this.negative = negative;
    this.significand = significand;
    this.exponent = exponent;
    this.infinite = infinite;
  }

  /** True for ±0. */
  get isZero(): boolean {
    return !this.infinite && this.significand === 0n;
  }
}

const POSITIVE_INFINITY = new LongDouble(false, 0n, 0, true);
const NEGATIVE_INFINITY = new LongDouble(true, 0n, 0, true);
const POSITIVE_ZERO = new LongDouble(false, 0n, 0, false);
const NEGATIVE_ZERO = new LongDouble(true, 0n, 0, false);

/** Number of significant bits of a positive bigint. */
function bitLength(n: bigint): number {
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0]!, 16)));
}

/**
 * Round the exact value (-1)^negative * n * 2^exponent (+ a sliver below the
 * last bit of `n` when `sticky`) to the extended format, nearest-even, the way
 * an x87 operation does. `n` must be positive; with `sticky` it must carry at
 * least two bits more than the result keeps, so the sliver never decides alone.
 */
function roundToExtended(negative: boolean, n: bigint, exponent: number, sticky: boolean): LongDouble {
  const bits = bitLength(n);
  // Below half the smallest subnormal: rounds to zero (and saves a huge shift).
  if (bits + exponent <= MIN_EXPONENT - 1) return negative ? NEGATIVE_ZERO : POSITIVE_ZERO;
  let shift = bits - SIGNIFICAND_BITS;
  if (exponent + shift < MIN_EXPONENT) shift = MIN_EXPONENT - exponent;
  let significand = n;
  if (shift > 0) {
    const bigShift = BigInt(shift);
    significand = n >> bigShift;
    const remainder = n - (significand << bigShift);
    const half = 1n << (bigShift - 1n);
    if (remainder > half || (remainder === half && (sticky || (significand & 1n) === 1n))) {
      significand += 1n;
      if (significand === 1n << 64n) {
        significand = 1n << 63n;
        shift++;
      }
    }
    exponent += shift;
  }
  if (significand === 0n) return negative ? NEGATIVE_ZERO : POSITIVE_ZERO;
  if (bitLength(significand) + exponent > MAX_BIT_LENGTH_PLUS_EXPONENT) {
    return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
  }
  return new LongDouble(negative, significand, exponent, false);
}

/**
 * Round the exact rational (-1)^negative * numerator / denominator (both
 * positive) to the extended format.
 */
function roundRational(negative: boolean, numerator: bigint, denominator: bigint): LongDouble {
  // Scale so the integer quotient has SIGNIFICAND_BITS + 2 bits or more: enough
  // for the rounding bit, with the remainder as the sticky bit.
  const scale = SIGNIFICAND_BITS + 2 + bitLength(denominator) - bitLength(numerator);
  let quotient: bigint;
  let remainder: bigint;
  if (scale >= 0) {
    const scaled = numerator << BigInt(scale);
    quotient = scaled / denominator;
    remainder = scaled - quotient * denominator;
  } else {
    const scaledDenominator = denominator << BigInt(-scale);
    quotient = numerator / scaledDenominator;
    remainder = numerator - quotient * scaledDenominator;
  }
  return roundToExtended(negative, quotient, -scale, remainder !== 0n);
}

// ---------------------------------------------------------------- parsing (strtold)

/** Exponent magnitudes beyond this saturate (the value is 0 or infinite anyway). */
const EXPONENT_SATURATION = 100_000_000;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function hexDigitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** Parse "[+-]digits" of an exponent from `start`; returns [value, end] or null when no digit. */
function parseExponent(text: string, start: number): [number, number] | null {
  let i = start;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    negative = sign === 45;
    i++;
  }
  if (!isDigit(text.charCodeAt(i))) return null;
  let value = 0;
  while (isDigit(text.charCodeAt(i))) {
    if (value < EXPONENT_SATURATION) value = value * 10 + (text.charCodeAt(i) - 48);
    i++;
  }
  return [negative ? -value : value, i];
}

/** Decimal form: digits [. digits] [e exp], at least one digit. Whole rest of `text` or null. */
function parseDecimal(text: string, start: number, negative: boolean): LongDouble | null {
  let i = start;
  let digits = "";
  let fractionDigits = 0;
  let sawDigit = false;
  while (isDigit(text.charCodeAt(i))) {
    digits += text[i];
    sawDigit = true;
    i++;
  }
  if (text.charCodeAt(i) === 46 /* . */) {
    i++;
    while (isDigit(text.charCodeAt(i))) {
      digits += text[i];
      fractionDigits++;
      sawDigit = true;
      i++;
    }
  }
  if (!sawDigit) return null;
  let exponent = 0;
  const e = text.charCodeAt(i);
  if (e === 101 /* e */ || e === 69 /* E */) {
    const parsed = parseExponent(text, i + 1);
    if (parsed === null) return null; // strtold would stop before the 'e'
    [exponent, i] = parsed;
  }
  if (i !== text.length) return null;

  const significant = digits.replace(/^0+/, "");
  if (significant === "") return negative ? NEGATIVE_ZERO : POSITIVE_ZERO;
  const powerOfTen = exponent - fractionDigits;
  // value lies in [10^(n-1+p), 10^(n+p)): decide clear overflow and underflow
  // without building enormous numbers (max is ~1.19e4932, min subnormal ~3.6e-4951).
  const magnitude = significant.length + powerOfTen;
  if (magnitude - 1 > 4933) return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
  if (magnitude < -4952) return negative ? NEGATIVE_ZERO : POSITIVE_ZERO;
  const mantissa = BigInt(significant);
  if (powerOfTen >= 0) return roundToExtended(negative, mantissa * 10n ** BigInt(powerOfTen), 0, false);
  return roundRational(negative, mantissa, 10n ** BigInt(-powerOfTen));
}

/** Hexadecimal form after "0x": hexdigits [. hexdigits] [p exp]. Whole rest of `text` or null. */
function parseHexadecimal(text: string, start: number, negative: boolean): LongDouble | null {
  let i = start;
  let mantissa = 0n;
  let fractionDigits = 0;
  let sawDigit = false;
  let digit = hexDigitValue(text.charCodeAt(i));
  while (digit !== -1) {
    mantissa = mantissa * 16n + BigInt(digit);
    sawDigit = true;
    digit = hexDigitValue(text.charCodeAt(++i));
  }
  if (text.charCodeAt(i) === 46 /* . */) {
    digit = hexDigitValue(text.charCodeAt(++i));
    while (digit !== -1) {
      mantissa = mantissa * 16n + BigInt(digit);
      fractionDigits++;
      sawDigit = true;
      digit = hexDigitValue(text.charCodeAt(++i));
    }
  }
  if (!sawDigit) return null;
  let exponent = 0;
  const p = text.charCodeAt(i);
  if (p === 112 /* p */ || p === 80 /* P */) {
    const parsed = parseExponent(text, i + 1);
    if (parsed === null) return null;
    [exponent, i] = parsed;
  }
  if (i !== text.length) return null;
  if (mantissa === 0n) return negative ? NEGATIVE_ZERO : POSITIVE_ZERO;
  return roundToExtended(negative, mantissa, exponent - 4 * fractionDigits, false);
}

/** True for the bytes C's isspace() accepts: space, \t, \n, \v, \f, \r. */
function isCSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * Parse a whole argument the way Redis' string2ld() does, which is strtold()
 * with extra checks: refused when empty, 5120 bytes or longer, starting with a
 * blank, not consumed to the last byte (so an embedded NUL is refused too), NaN,
 * overflowing (strtold's ERANGE with HUGE_VAL) or underflowing to zero. Accepts
 * a sign, decimals with an exponent, hexadecimal floats ("0x1.8p3"), and "inf" /
 * "infinity" in any case (INCRBYFLOAT then fails on the infinite sum).
 * Returns null when Redis would answer "value is not a valid float".
 */
export function parseLongDouble(input: Buffer | string): LongDouble | null {
  const text = typeof input === "string" ? input : input.toString("latin1");
  const length = text.length;
  if (length === 0 || length >= MAX_LONG_DOUBLE_CHARS) return null;
  if (isCSpace(text.charCodeAt(0))) return null;
  let i = 0;
  let negative = false;
  const sign = text.charCodeAt(0);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    negative = sign === 45;
    i = 1;
  }
  const rest = text.slice(i).toLowerCase();
  if (rest === "inf" || rest === "infinity") return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
  if (rest.startsWith("nan")) return null; // NaN, with or without a payload, is refused
  let value: LongDouble | null;
  if (rest.startsWith("0x") && rest.length > 2) {
    value = parseHexadecimal(text, i + 2, negative);
  } else {
    value = parseDecimal(text, i, negative);
  }
  if (value === null || value.infinite) return null; // a written-out overflow is ERANGE
  if (value.isZero && !isZeroLiteral(rest)) return null; // underflow to zero is ERANGE too
  return value;
}

/** True when the digits of a numeric literal are all zeros (an exact zero, not an underflow). */
function isZeroLiteral(literal: string): boolean {
  const body = literal.startsWith("0x") ? literal.slice(2).replace(/p.*$/, "") : literal.replace(/e.*$/, "");
  return !/[1-9a-f]/.test(body);
}

/** The exact extended value of a 64-bit integer (an int-encoded string). */
export function longDoubleFromInteger(value: number | bigint): LongDouble {
  const big = BigInt(value);
  if (big === 0n) return POSITIVE_ZERO;
  return roundToExtended(big < 0n, big < 0n ? -big : big, 0, false);
}

// ---------------------------------------------------------------- arithmetic

/**
 * a + b in x87 extended precision (one correctly rounded addition). Returns
 * null for NaN (infinities of opposite signs).
 */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.infinite || b.infinite) {
    if (a.infinite && b.infinite && a.negative !== b.negative) return null;
    return a.infinite ? a : b;
  }
  if (a.significand === 0n) {
    if (b.significand === 0n) return a.negative && b.negative ? NEGATIVE_ZERO : POSITIVE_ZERO;
    return b;
  }
  if (b.significand === 0n) return a;
  const exponent = a.exponent < b.exponent ? a.exponent : b.exponent;
  const left = a.significand << BigInt(a.exponent - exponent);
  const right = b.significand << BigInt(b.exponent - exponent);
  const sum = (a.negative ? -left : left) + (b.negative ? -right : right);
  if (sum === 0n) return POSITIVE_ZERO;
  return roundToExtended(sum < 0n, sum < 0n ? -sum : sum, exponent, false);
}

// ---------------------------------------------------------------- printing

/**
 * Redis' ld2string(..., LD_STR_HUMAN): "%.17Lf" of the exact value (ties to
 * even, as glibc), then trailing zeros and a bare '.' removed, and "-0" turned
 * into "0". Infinities print as "inf" / "-inf".
 */
export function formatLongDouble(value: LongDouble): string {
  if (value.infinite) return value.negative ? "-inf" : "inf";
  const { significand, exponent } = value;
  if (significand === 0n) return "0";
  let text: string;
  if (exponent >= 0) {
    text = (significand << BigInt(exponent)).toString();
  } else {
    const shift = BigInt(-exponent);
    const scaled = significand * PRINT_SCALE;
    let rounded = scaled >> shift;
    const remainder = scaled - (rounded << shift);
    const half = 1n << (shift - 1n);
    if (remainder > half || (remainder === half && (rounded & 1n) === 1n)) rounded += 1n;
    const integerPart = (rounded / PRINT_SCALE).toString();
    const fraction = (rounded % PRINT_SCALE).toString().padStart(PRINT_DECIMALS, "0").replace(/0+$/, "");
    text = fraction === "" ? integerPart : `${integerPart}.${fraction}`;
  }
  if (value.negative && text !== "0") return `-${text}`;
  return text;
}

// ---------------------------------------------------------------- INCRBYFLOAT / HINCRBYFLOAT

/** Why incrementLongDouble() refused. */
export enum LongDoubleFailure {
  /** The increment is not a valid float ("value is not a valid float"). */
  IncrementNotFloat = 1,
  /**
   * The current value is not a valid float: INCRBYFLOAT says "value is not a
   * valid float", HINCRBYFLOAT "hash value is not a float".
   */
  CurrentNotFloat = 2,
  /** The sum is NaN or infinite ("increment would produce NaN or Infinity"). */
  NotFinite = 3,
}

/**
 * The new text of a value incremented by INCRBYFLOAT / HINCRBYFLOAT: parse
 * `current` (null or a missing value counts as 0) and `increment` as Redis does
 * (parseLongDouble), add them in extended precision and print the sum as Redis
 * stores it (formatLongDouble). Returns the text, or why it failed.
 *
 * Both commands reach the same answer whichever operand is checked first,
 * except for one case HINCRBYFLOAT must handle itself before touching the key:
 * an infinite increment is refused there up front with "value is NaN or
 * Infinity" (test `parseLongDouble(arg)?.infinite`), while INCRBYFLOAT lets the
 * sum fail with NotFinite.
 */
export function incrementLongDouble(
  current: Buffer | string | null,
  increment: Buffer | string,
): string | LongDoubleFailure {
  const delta = parseLongDouble(increment);
  if (delta === null) return LongDoubleFailure.IncrementNotFloat;
  let base = POSITIVE_ZERO;
  if (current !== null) {
    const parsed = parseLongDouble(current);
    if (parsed === null) return LongDoubleFailure.CurrentNotFloat;
    base = parsed;
  }
  const sum = addLongDouble(base, delta);
  if (sum === null || sum.infinite) return LongDoubleFailure.NotFinite;
  return formatLongDouble(sum);
}
