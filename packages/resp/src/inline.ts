/*
 * Inline request splitting, with the quoting rules of Redis' sdssplitargs():
 * blanks separate arguments; "double quotes" allow \n \r \t \b \a \\ \" and \xHH
 * escapes; 'single quotes' allow only \'; a closing quote must be followed by a
 * blank or the end of the line. A NUL byte ends the line, as it ends a C string.
 */

enum Byte {
  Nul = 0,
  Tab = 9,
  Lf = 10,
  Vt = 11,
  Ff = 12,
  Cr = 13,
  Space = 32,
  DoubleQuote = 34,
  SingleQuote = 39,
  Backslash = 92,
}

function isBlank(byte: number): boolean {
  return byte === Byte.Space || (byte >= Byte.Tab && byte <= Byte.Cr);
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 97 && byte <= 102) return byte - 87;
  if (byte >= 65 && byte <= 70) return byte - 55;
  return -1;
}

/**
 * Split one inline request line into arguments. Returns null when quotes are
 * unbalanced (or a closing quote is followed by a non-blank), which the caller
 * reports as "unbalanced quotes in request". An empty or blank line gives [].
 */
export function splitInlineArguments(line: Buffer): Buffer[] | null {
  const args: Buffer[] = [];
  const length = line.length;
  // Byte at i, or NUL past the end (C string semantics).
  const at = (i: number): number => (i < length ? line[i]! : Byte.Nul);
  let p = 0;
  for (;;) {
    while (p < length && isBlank(at(p))) p++;
    if (at(p) === Byte.Nul) return args;

    const current: number[] = [];
    let inDoubleQuotes = false;
    let inSingleQuotes = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDoubleQuotes) {
        if (
          c === Byte.Backslash &&
          at(p + 1) === 120 /* x */ &&
          hexValue(at(p + 2)) >= 0 &&
          hexValue(at(p + 3)) >= 0
        ) {
          current.push(hexValue(at(p + 2)) * 16 + hexValue(at(p + 3)));
          p += 3;
        } else if (c === Byte.Backslash && at(p + 1) !== Byte.Nul) {
          p++;
          const escaped = at(p);
          if (escaped === 110 /* n */) current.push(Byte.Lf);
          else if (escaped === 114 /* r */) current.push(Byte.Cr);
          else if (escaped === 116 /* t */) current.push(Byte.Tab);
          else if (escaped === 98 /* b */) current.push(8);
          else if (escaped === 97 /* a */) current.push(7);
          else current.push(escaped);
        } else if (c === Byte.DoubleQuote) {
          if (at(p + 1) !== Byte.Nul && !isBlank(at(p + 1))) return null;
          done = true;
        } else if (c === Byte.Nul) {
          return null;
        } else {
          current.push(c);
        }
      } else if (inSingleQuotes) {
        if (c === Byte.Backslash && at(p + 1) === Byte.SingleQuote) {
          p++;
          current.push(Byte.SingleQuote);
        } else if (c === Byte.SingleQuote) {
          if (at(p + 1) !== Byte.Nul && !isBlank(at(p + 1))) return null;
          done = true;
        } else if (c === Byte.Nul) {
          return null;
        } else {
          current.push(c);
        }
      } else if (c === Byte.Space || c === Byte.Lf || c === Byte.Cr || c === Byte.Tab || c === Byte.Nul) {
        done = true;
      } else if (c === Byte.DoubleQuote) {
        inDoubleQuotes = true;
      } else if (c === Byte.SingleQuote) {
        inSingleQuotes = true;
      } else {
        current.push(c);
      }
      if (at(p) !== Byte.Nul) p++;
    }
    args.push(Buffer.from(current));
  }
}
