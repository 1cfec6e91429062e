/*
 * globMatch against Redis' stringmatchlen(). The table holds answers given by
 * redis-server 7.0 (KEYS <pattern> on a database holding only the subject; for
 * "*" against the empty name, PSUBSCRIBE * then PUBLISH "" reaches nobody); the
 * property test compares with a direct, exponential-time reading of the rules.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatch } from "./glob.js";

describe("globMatch", () => {
  const answers: Array<[pattern: string, subject: string, matches: boolean]> = [
    ["*", "anything", true],
    ["*", "", false], // an empty subject only matches an empty pattern
    ["**", "", false],
    ["", "", true],
    ["", "a", false],
    ["a*", "a", true],
    ["a*?", "a", false],
    ["h?llo", "hello", true],
    ["h?llo", "hllo", false],
    ["h*llo", "heeeello", true],
    ["h[ae]llo", "hallo", true],
    ["h[ae]llo", "hillo", false],
    ["h[^e]llo", "hallo", true],
    ["h[^e]llo", "hello", false],
    ["h[a-b]llo", "hbllo", true],
    ["h[b-a]llo", "hbllo", true], // reversed ranges are accepted
    ["h\\*llo", "h*llo", true],
    ["h\\*llo", "hello", false],
    ["\\", "\\", true], // a trailing backslash is literal
    ["[\\]]", "]", true], // escaped ']' inside a class
    ["[a-]", "]", true], // "a-]" is the range a..]
    ["[a-]", "-", false],
    ["[abc", "c", true], // an unterminated class ends with the pattern
    ["[abc", "ca", false],
    ["[", "[", false],
    ["a[]b", "ab", false],
    ["*[", "a", false],
    ["*a*b*c", "xaybzc", true],
    ["*a*b*c", "xaybz", false],
    ["a\0b", "a\0b", true], // binary safe
    ["?", "\0", true],
    // Range bounds compare as signed chars: 0xe9 sorts below 'a'.
    ["[a-\xe9]", "b", false],
    ["[a-\xe9]", "\xff", true],
    ["[a-\xe9]", "A", true],
    ["[\x80-\xff]", "\xe9", true],
  ];
  for (const [pattern, subject, matches] of answers) {
    it(`${JSON.stringify(pattern)} ${matches ? "matches" : "does not match"} ${JSON.stringify(subject)}`, () => {
      expect(globMatch(pattern, subject)).toBe(matches);
    });
  }

  it("folds ASCII case only when asked", () => {
    expect(globMatch("HELLO", "hello")).toBe(false);
    expect(globMatch("HELLO", "hello", true)).toBe(true);
    expect(globMatch("h[A-Z]llo", "hello", true)).toBe(true);
    expect(globMatch("h[^E]llo", "hello", true)).toBe(false);
    expect(globMatch("h\\Ello", "hello", true)).toBe(true);
  });

  it("stays fast on patterns that make naive matchers explode", () => {
    const subject = "a".repeat(5000);
    const pattern = `${"*a".repeat(40)}b`;
    const started = performance.now();
    expect(globMatch(pattern, subject)).toBe(false);
    // Generous bound: a backtracking matcher without the last-star rule takes minutes here.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("agrees with a direct reading of stringmatchlen's rules", () => {
    const alphabet = fc.constantFrom("a", "b", "A", "-", "]", "^", "[", "\\", "*", "?", "\xe9", "\0");
    const text = (maxLength: number) => fc.array(alphabet, { maxLength }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(text(7), text(5), fc.boolean(), (pattern, subject, noCase) => {
        expect(globMatch(pattern, subject, noCase)).toBe(referenceMatch(pattern, 0, subject, 0, noCase));
      }),
      { numRuns: 5000 },
    );
  }, 30_000);
});

// ---------------------------------------------------------------- reference

function fold(code: number, noCase: boolean): number {
  return noCase && code >= 65 && code <= 90 ? code + 32 : code;
}

function signed(code: number): number {
  return code >= 128 ? code - 256 : code;
}

/**
 * The rules, read literally and recursively: consume one pattern element
 * against one subject byte at a time; a star tries every split.
 */
function referenceMatch(pattern: string, p: number, subject: string, s: number, noCase: boolean): boolean {
  if (s === 0 && subject.length === 0) return pattern.length === 0;
  if (p === pattern.length) return s === subject.length;
  const pc = pattern[p]!;
  if (pc === "*") {
    for (let k = s; k <= subject.length; k++) {
      if (referenceMatch(pattern, p + 1, subject, k, noCase)) return true;
    }
    return false;
  }
  if (s === subject.length) return false;
  const c = subject.charCodeAt(s);
  if (pc === "?") return referenceMatch(pattern, p + 1, subject, s + 1, noCase);
  if (pc === "[") {
    let i = p + 1;
    const negate = pattern[i] === "^";
    if (negate) i++;
    let matched = false;
    while (i < pattern.length && pattern[i] !== "]") {
      if (pattern[i] === "\\" && i + 1 < pattern.length) {
        if (pattern.charCodeAt(i + 1) === c) matched = true;
        i += 2;
      } else if (i + 2 < pattern.length && pattern[i + 1] === "-") {
        let lo = signed(pattern.charCodeAt(i));
        let hi = signed(pattern.charCodeAt(i + 2));
        if (lo > hi) [lo, hi] = [hi, lo];
        const x = signed(c);
        if (fold(x, noCase) >= fold(lo, noCase) && fold(x, noCase) <= fold(hi, noCase)) matched = true;
        i += 3;
      } else {
        if (fold(pattern.charCodeAt(i), noCase) === fold(c, noCase)) matched = true;
        i++;
      }
    }
    if (negate) matched = !matched;
    // Past the closing ']' (or the end of an unterminated class).
    return matched && referenceMatch(pattern, Math.min(i + 1, pattern.length), subject, s + 1, noCase);
  }
  let literal = pattern.charCodeAt(p);
  let width = 1;
  if (pc === "\\" && p + 1 < pattern.length) {
    literal = pattern.charCodeAt(p + 1);
    width = 2;
  }
  return (
    fold(literal, noCase) === fold(c, noCase) && referenceMatch(pattern, p + width, subject, s + 1, noCase)
  );
}
