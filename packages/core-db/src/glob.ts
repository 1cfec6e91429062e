/*
 * Glob matching with the semantics of Redis' stringmatchlen(): `*`, `?`,
 * `[abc]`, `[^a]`, `[a-z]` (reversed ranges allowed), `\` escapes; binary safe
 * over latin1 strings (one char = one byte). Used by KEYS, SCAN MATCH, pub/sub
 * patterns and CONFIG GET.
 *
 * Two of Redis' quirks are kept on purpose, since clients see them:
 *   - an empty subject matches only the empty pattern (stringmatchlen never
 *     enters its loop for an empty string, so even "*" does not match it;
 *     KEYS and SCAN special-case the pattern "*" before calling it);
 *   - range bounds in a class compare as C's signed char, so bytes 0x80..0xFF
 *     sort below ASCII: "[a-\xe9]" is the range \xe9..a.
 */

/**
 * True when `subject` matches `pattern`. With `noCase`, ASCII letters compare
 * case-insensitively. Runs in bounded time: the `*` handling is iterative with
 * backtracking to the last star only, so no pattern can blow up exponentially.
 */
export function globMatch(pattern: string, subject: string, noCase = false): boolean {
  if (subject.length === 0) return pattern.length === 0;
  return matchFrom(pattern, 0, subject, 0, noCase);
}

/** A byte as C's (signed) char sees it: 0x80..0xFF become -128..-1. */
function signedChar(code: number): number {
  return code >= 128 ? code - 256 : code;
}

function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

function matchFrom(pattern: string, p: number, subject: string, s: number, noCase: boolean): boolean {
  const plen = pattern.length;
  const slen = subject.length;
  // Position to resume from after the last '*': pattern index and subject index.
  let starP = -1;
  let starS = 0;
  for (;;) {
    if (p < plen) {
      const pc = pattern.charCodeAt(p);
      if (pc === 42 /* * */) {
        while (p + 1 < plen && pattern.charCodeAt(p + 1) === 42) p++;
        if (p + 1 === plen) return true; // trailing star matches the rest
        starP = p;
        starS = s;
        p++;
        continue;
      }
      if (s < slen) {
        const consumed = matchOne(pattern, p, subject.charCodeAt(s), noCase);
        if (consumed > 0) {
          p += consumed;
          s++;
          continue;
        }
      }
    } else if (s === slen) {
      return true;
    }
    // Mismatch: let the last star swallow one more character, if there was one.
    if (starP === -1 || starS >= slen) return false;
    starS++;
    s = starS;
    p = starP + 1;
  }
}

/**
 * Match one pattern element at `p` against the character `c`. Returns how many
 * pattern characters the element spans, or 0 when it does not match.
 */
function matchOne(pattern: string, p: number, c: number, noCase: boolean): number {
  const plen = pattern.length;
  const pc = pattern.charCodeAt(p);
  if (pc === 63 /* ? */) return 1;
  if (pc === 91 /* [ */) {
    let i = p + 1;
    const negate = i < plen && pattern.charCodeAt(i) === 94; /* ^ */
    if (negate) i++;
    let matched = false;
    for (;;) {
      if (i >= plen) {
        // Unterminated class: Redis treats the end of pattern as closing it.
        i--;
        break;
      }
      const cc = pattern.charCodeAt(i);
      if (cc === 93 /* ] */) break;
      if (cc === 92 /* \ */ && i + 1 < plen) {
        i++;
        if (pattern.charCodeAt(i) === c) matched = true;
      } else if (i + 2 < plen && pattern.charCodeAt(i + 1) === 45 /* - */) {
        let start = signedChar(cc);
        let end = signedChar(pattern.charCodeAt(i + 2));
        let ch = signedChar(c);
        if (start > end) [start, end] = [end, start];
        if (noCase) {
          start = lower(start);
          end = lower(end);
          ch = lower(ch);
        }
        if (ch >= start && ch <= end) matched = true;
        i += 2;
      } else if (noCase ? lower(cc) === lower(c) : cc === c) {
        matched = true;
      }
      i++;
    }
    if (negate) matched = !matched;
    return matched ? i - p + 1 : 0;
  }
  if (pc === 92 /* \ */ && p + 1 < plen) {
    const escaped = pattern.charCodeAt(p + 1);
    return (noCase ? lower(escaped) === lower(c) : escaped === c) ? 2 : 0;
  }
  return (noCase ? lower(pc) === lower(c) : pc === c) ? 1 : 0;
}
