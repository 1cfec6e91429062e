/*
 * Double formatting as Redis 7.0 prints doubles in replies: C's `%.17g`, with
 * `inf`, `-inf` and `nan` spelled out. ZSCORE 1.1 is "1.1000000000000001" and
 * 1e20 is "1e+20", exactly as redis-server 7.0 answers.
 *
 * JavaScript's toExponential() rounds the exact binary value correctly, except
 * on an exact tie (the value lies exactly halfway between two candidates), where
 * it rounds away from zero and glibc's printf rounds to even: 2^-25 is
 * 2.98023223876953125e-08, printed "2.9802322387695312e-08" by Redis. formatG()
 * detects such ties exactly and rounds them to even.
 */

/**
 * Format `value` the way `printf("%.17g")` does (17 significant digits, trailing
 * zeros removed, exponent form below 1e-4 and from 1e17 on).
 */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (Number.isSafeInteger(value)) return String(value); // exact: at most 16 digits
  return formatG(value, 17);
}

/**
 * `printf("%.<precision>g")` for a finite, non-zero double and a precision of 1
 * to 100. Shared with callers that need other precisions.
 */
export function formatG(value: number, precision: number): string {
  let exponential = value.toExponential(precision - 1); // "-d.ddddde+X"
  if (isRoundedAwayTie(value, precision)) exponential = truncatedExponential(value, precision);
  const ePos = exponential.indexOf("e");
  const exponent = Number(exponential.slice(ePos + 1));
  const negative = exponential.charCodeAt(0) === 45;
  const mantissa = exponential.slice(negative ? 1 : 0, ePos).replace(".", "");
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= precision) {
    const fraction = stripZeros(mantissa.slice(1));
    const expDigits = Math.abs(exponent) < 10 ? `0${Math.abs(exponent)}` : String(Math.abs(exponent));
    return `${sign}${mantissa[0]}${fraction ? `.${fraction}` : ""}e${exponent < 0 ? "-" : "+"}${expDigits}`;
  }
  if (exponent < 0) {
    const digits = stripZeros(mantissa);
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  const integerPart = mantissa.slice(0, exponent + 1);
  const fraction = stripZeros(mantissa.slice(exponent + 1));
  return `${sign}${integerPart}${fraction ? `.${fraction}` : ""}`;
}

/**
 * True when `value`, rounded to `precision` significant digits, is an exact tie
 * that toExponential() resolved away from zero although the digit it kept last
 * is even, so printf's round-half-even keeps the smaller magnitude.
 *
 * A tie means the exact decimal expansion has precision+1 significant digits,
 * the last one a 5. Such an expansion is the one toExponential(precision) shows
 * (no rounding happens), so its last digit must be 5, and the value must equal
 * that decimal exactly, which is checked with integer arithmetic: a dyadic value
 * equals N * 10^q (q < 0) only if value * 2^-q is an integer I with
 * I * 5^-q = N, and (q >= 0) only if value is the integer N * 10^q.
 */
function isRoundedAwayTie(value: number, precision: number): boolean {
  if (precision > 99) return false;
  // Cheap filter first: a tie needs value * 2^-q to be an integer with
  // 5^-q <= N < 10^(precision+1), so -q <= (precision+1) * log5(10); most
  // doubles have more fractional bits than that. (Values from 2^53 on are
  // integers and go to the exact check.)
  const bits = Math.ceil((precision + 1) * LOG5_OF_10);
  if (Math.abs(value) < 2 ** 53 && !Number.isInteger(value * 2 ** bits)) return false;
  const longer = value.toExponential(precision);
  const ePos = longer.indexOf("e");
  if (longer.charCodeAt(ePos - 1) !== 53 /* 5 */) return false;
  // The last kept digit must be even for the rounding to differ.
  const keptLast = longer.charCodeAt(precision === 1 ? ePos - 3 : ePos - 2) - 48;
  if (keptLast % 2 !== 0) return false;
  const negative = longer.charCodeAt(0) === 45;
  const digits = longer.slice(negative ? 1 : 0, ePos).replace(".", "");
  const q = Number(longer.slice(ePos + 1)) - precision; // value ?= digits * 10^q
  const n = BigInt(digits);
  const magnitude = Math.abs(value);
  if (q >= 0) return Number.isInteger(magnitude) && BigInt(magnitude) === n * 10n ** BigInt(q);
  if (-q > 1074) return false;
  const scaled = magnitude * 2 ** -q; // exact: a power-of-two scaling
  if (!Number.isFinite(scaled) || !Number.isInteger(scaled)) return false;
  return BigInt(scaled) * 5n ** BigInt(-q) === n;
}

const LOG5_OF_10 = Math.log(10) / Math.log(5);

/** toExponential(precision - 1) with the last digit truncated instead of rounded. */
function truncatedExponential(value: number, precision: number): string {
  const longer = value.toExponential(precision);
  const ePos = longer.indexOf("e");
  const mantissa = longer.slice(0, ePos - 1);
  return `${mantissa.endsWith(".") ? mantissa.slice(0, -1) : mantissa}${longer.slice(ePos)}`;
}

function stripZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return digits.slice(0, end);
}
