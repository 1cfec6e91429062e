/*
 * Inline request splitting, with the quoting rules of Redis' sdssplitargs():
 * blanks (C isspace: space, \t \n \v \f \r) separate arguments; "double quotes"
 * allow \n \r \t \b \a \\ \" and \xHH escapes (any other escaped byte stands for
 * itself); 'single quotes' allow only \'; a closing quote must be followed by a
 * blank or the end of the line. Outside quotes an argument ends at a space, \t,
 * \n, \r or NUL only (so \v and \f belong to it), and a quote in the middle of an
 * argument opens a quoted part of the same argument. A NUL byte ends the line, as
 * it ends a C string.
 */

const NUL = 0;
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;

/** C's isspace() in the "C" locale. */
function isBlank(byte: number): boolean {
  return byte === SPACE || (byte >= TAB && byte <= CR);
}

/** Value of a hex digit, or -1. */
function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 97 && byte <= 102) return byte - 87;
  if (byte >= 65 && byte <= 70) return byte - 55;
  return -1;
}

/** The byte after a backslash in double quotes: \n \r \t \b \a, or the byte itself. */
function escapedByte(byte: number): number {
  switch (byte) {
    case 110 /* n */:
      return LF;
    case 114 /* r */:
      return CR;
    case 116 /* t */:
      return TAB;
    case 98 /* b */:
      return 8;
    case 97 /* a */:
      return 7;
    default:
      return byte;
  }
}

/**
 * Split one inline request line into arguments (each a fresh Buffer). Returns
 * null when quotes are unbalanced (or a closing quote is followed by a non-blank),
 * which the caller reports as "unbalanced quotes in request". An empty or blank
 * line gives []. Also used for redis.conf lines, which Redis splits the same way.
 */
export function splitInlineArguments(line: Buffer): Buffer[] | null {
  const args: Buffer[] = [];
  // The first NUL ends the line (C string semantics).
  let length = line.indexOf(NUL);
  if (length === -1) length = line.length;
  // Unescaped arguments are never longer than the line: one scratch area serves all.
  const scratch = Buffer.allocUnsafe(length);
  let p = 0;
  for (;;) {
    while (p < length && isBlank(line[p]!)) p++;
    if (p >= length) return args;

    let written = 0;
    let inDoubleQuotes = false;
    let inSingleQuotes = false;
    for (;;) {
      // Past the end reads as NUL, as in C.
      const c = p < length ? line[p]! : NUL;
      if (inDoubleQuotes) {
        const c1 = p + 1 < length ? line[p + 1]! : NUL;
        if (
          c === BACKSLASH &&
          c1 === 120 /* x */ &&
          p + 3 < length &&
          hexValue(line[p + 2]!) >= 0 &&
          hexValue(line[p + 3]!) >= 0
        ) {
          scratch[written++] = hexValue(line[p + 2]!) * 16 + hexValue(line[p + 3]!);
          p += 4;
        } else if (c === BACKSLASH && c1 !== NUL) {
          scratch[written++] = escapedByte(c1);
          p += 2;
        } else if (c === DOUBLE_QUOTE) {
          if (c1 !== NUL && !isBlank(c1)) return null;
          p++;
          break;
        } else if (c === NUL) {
          return null;
        } else {
          scratch[written++] = c;
          p++;
        }
      } else if (inSingleQuotes) {
        const c1 = p + 1 < length ? line[p + 1]! : NUL;
        if (c === BACKSLASH && c1 === SINGLE_QUOTE) {
          scratch[written++] = SINGLE_QUOTE;
          p += 2;
        } else if (c === SINGLE_QUOTE) {
          if (c1 !== NUL && !isBlank(c1)) return null;
          p++;
          break;
        } else if (c === NUL) {
          return null;
        } else {
          scratch[written++] = c;
          p++;
        }
      } else if (c === SPACE || c === LF || c === CR || c === TAB || c === NUL) {
        if (c !== NUL) p++;
        break;
      } else if (c === DOUBLE_QUOTE) {
        inDoubleQuotes = true;
        p++;
      } else if (c === SINGLE_QUOTE) {
        inSingleQuotes = true;
        p++;
      } else {
        scratch[written++] = c;
        p++;
      }
    }
    args.push(Buffer.from(scratch.subarray(0, written)));
  }
}
