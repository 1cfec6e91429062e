/*
 * Double formatting as Redis 7.0 prints doubles in replies: C's `%.17g`, with
 * `inf`, `-inf` and `nan` spelled out. ZSCORE 1.1 is "1.1000000000000001" and
 * 1e20 is "1e+20", exactly as redis-server 7.0 answers.
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
  if (Number.isInteger(value) && value > -1e17 && value < 1e17) return String(value);
  return formatG(value, 17);
}

/**
 * `printf("%.<precision>g")` for a finite, non-zero double. Shared with callers
 * that need other precisions.
 */
export function formatG(value: number, precision: number): string {
  const exponential = value.toExponential(precision - 1); // "-d.ddddde+X"
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

function stripZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return digits.slice(0, end);
}
