/*
 * Number formatting of the geo replies, as redis-server 7.0 prints them:
 * distances with C's "%.4f", coordinates with "%.17Lf" less its trailing
 * zeros (Redis' "human" long double form), and the "%f" of the invalid
 * coordinate error.
 *
 * toFixed() expands the exact binary value, like glibc, but breaks exact ties
 * away from zero where glibc rounds them to even. A tie at d decimals means
 * the value is an odd multiple of 2^-(d+1), which is detected exactly and
 * rounded to even.
 */

/**
 * `value` with `decimals` digits after the point, as printf("%.<decimals>f")
 * prints it (glibc: exact expansion, ties to even; "inf", "-inf", "nan").
 */
export function formatFixed(value: number, decimals: number): string {
  if (Number.isNaN(value)) return value < 0 ? "-nan" : "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  const magnitude = Math.abs(value);
  const negative = value < 0 || Object.is(value, -0);
  let digits: string;
  if (magnitude >= 1e21) {
    // toFixed switches to exponent form here; the value is an integer.
    digits = BigInt(magnitude).toString() + (decimals > 0 ? `.${"0".repeat(decimals)}` : "");
  } else {
    digits = magnitude.toFixed(decimals);
    const half = 2 ** (decimals + 1);
    const scaled = magnitude * half; // exact: a power of two
    if (Number.isInteger(scaled) && !Number.isInteger(magnitude * 2 ** decimals) && isOddLastDigit(digits)) {
      digits = decrementLastDigit(digits);
    }
  }
  return negative ? `-${digits}` : digits;
}

function isOddLastDigit(digits: string): boolean {
  return (digits.charCodeAt(digits.length - 1) - 48) % 2 === 1;
}

/** Subtract one unit of the last place from a non-negative fixed-point text (its last digit is odd, so no borrow). */
function decrementLastDigit(digits: string): string {
  const last = digits.charCodeAt(digits.length - 1) - 48;
  return digits.slice(0, -1) + String(last - 1);
}

/**
 * Redis' human long double form of a double (addReplyHumanLongDouble):
 * "%.17Lf" with trailing zeros, and a then trailing point, removed; "-0"
 * becomes "0".
 */
export function formatHumanDouble(value: number): string {
  let text = formatFixed(value, 17);
  if (text.indexOf(".") !== -1) {
    let end = text.length;
    while (text.charCodeAt(end - 1) === 48) end--;
    if (text.charCodeAt(end - 1) === 46) end--;
    text = text.slice(0, end);
  }
  return text === "-0" ? "0" : text;
}
