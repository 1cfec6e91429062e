/*
 * Differential cases: editing and searching lists. LREM (count > 0, < 0, 0),
 * LTRIM (ranges that keep, clamp and empty the list), LINSERT (BEFORE / AFTER,
 * missing pivot, duplicate pivots), LPOS (RANK, COUNT, MAXLEN, their errors and
 * the 64-bit limits), on missing keys and wrong types.
 *
 * Every case uses its own keys ("@name", see scoped-keys.ts).
 */
import type { DiffCase, Step } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** RPUSH `key` a b c d e */
function five(key: string): Step {
  return ["RPUSH", key, "a", "b", "c", "d", "e"];
}

/** A list with repeated elements: a x b x c x d. */
function repeated(key: string): Step {
  return ["RPUSH", key, "a", "x", "b", "x", "c", "x", "d"];
}

/** The list LPOS cases search: a b c 1 2 3 c c. */
function searchable(key: string): Step {
  return ["RPUSH", key, "a", "b", "c", "1", "2", "3", "c", "c"];
}

const all = (key: string): Step => ["LRANGE", key, "0", "-1"];

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- LREM
  {
    name: "LREM count > 0 removes from the head",
    steps: [repeated("@l"), ["LREM", "@l", "2", "x"], all("@l")],
  },
  {
    name: "LREM count < 0 removes from the tail",
    steps: [repeated("@l"), ["LREM", "@l", "-2", "x"], all("@l")],
  },
  { name: "LREM count 0 removes every match", steps: [repeated("@l"), ["LREM", "@l", "0", "x"], all("@l")] },
  {
    name: "LREM count beyond the matches",
    steps: [repeated("@l"), ["LREM", "@l", "10", "x"], ["LREM", "@l", "-10", "a"], all("@l")],
  },
  {
    name: "LREM without a match",
    steps: [five("@l"), ["LREM", "@l", "0", "zz"], ["LREM", "@l", "1", "A"], all("@l")],
  },
  {
    name: "LREM removing everything deletes the key",
    steps: [
      ["RPUSH", "@l", "x", "x", "x"],
      ["LREM", "@l", "0", "x"],
      ["EXISTS", "@l"],
      ["LREM", "@l", "0", "x"],
    ],
  },
  {
    name: "LREM parses the count before the key",
    steps: [
      ["LREM", "@missing", "abc", "x"],
      ["LREM", "@missing", "1", "x"],
      ["SET", "@s", "v"],
      ["LREM", "@s", "1", "x"],
      ["LREM", "@s", "z", "x"],
    ],
  },
  {
    name: "LREM at the 64-bit limits",
    steps: [
      repeated("@l"),
      ["LREM", "@l", "-9223372036854775808", "x"],
      repeated("@m"),
      ["LREM", "@m", "9223372036854775807", "x"],
      all("@l"),
      all("@m"),
    ],
  },
  {
    name: "LREM binary element",
    steps: [
      ["RPUSH", "@l", Buffer.from("\0"), "a", Buffer.from("\0")],
      ["LREM", "@l", "0", Buffer.from("\0")],
      all("@l"),
    ],
  },
  {
    name: "LREM wrong arity",
    steps: [
      ["LREM", "@l", "0"],
      ["LREM", "@l", "0", "x", "y"],
    ],
  },

  // ---------------------------------------------------------------- LTRIM
  { name: "LTRIM keeps the middle", steps: [five("@l"), ["LTRIM", "@l", "1", "3"], all("@l")] },
  { name: "LTRIM with negative indexes", steps: [five("@l"), ["LTRIM", "@l", "-3", "-2"], all("@l")] },
  {
    name: "LTRIM that keeps everything",
    steps: [five("@l"), ["LTRIM", "@l", "0", "-1"], ["LTRIM", "@l", "-100", "100"], all("@l")],
  },
  {
    name: "LTRIM to an empty range deletes the key",
    steps: [
      five("@l"),
      ["LTRIM", "@l", "3", "1"],
      ["EXISTS", "@l"],
      five("@m"),
      ["LTRIM", "@m", "5", "10"],
      ["EXISTS", "@m"],
    ],
  },
  {
    name: "LTRIM with start past the negative end",
    steps: [five("@l"), ["LTRIM", "@l", "-1", "-2"], ["EXISTS", "@l"]],
  },
  {
    name: "LTRIM keeps one element",
    steps: [
      five("@l"),
      ["LTRIM", "@l", "-1", "-1"],
      all("@l"),
      five("@m"),
      ["LTRIM", "@m", "0", "0"],
      all("@m"),
    ],
  },
  {
    name: "LTRIM on a missing key and a wrong type",
    steps: [
      ["LTRIM", "@missing", "0", "1"],
      ["SET", "@s", "v"],
      ["LTRIM", "@s", "0", "1"],
      ["EXISTS", "@missing"],
    ],
  },
  {
    name: "LTRIM parses the indexes before the key",
    steps: [
      ["LTRIM", "@missing", "x", "1"],
      ["SET", "@s", "v"],
      ["LTRIM", "@s", "0", "y"],
    ],
  },
  {
    name: "LTRIM at the 64-bit limits",
    steps: [
      five("@l"),
      ["LTRIM", "@l", "-9223372036854775808", "9223372036854775807"],
      all("@l"),
      ["LTRIM", "@l", "9223372036854775807", "-9223372036854775808"],
      ["EXISTS", "@l"],
    ],
  },
  {
    name: "LTRIM wrong arity",
    steps: [
      ["LTRIM", "@l", "0"],
      ["LTRIM", "@l", "0", "1", "2"],
    ],
  },

  // ---------------------------------------------------------------- LINSERT
  {
    name: "LINSERT BEFORE and AFTER",
    steps: [
      five("@l"),
      ["LINSERT", "@l", "BEFORE", "c", "X"],
      ["LINSERT", "@l", "AFTER", "c", "Y"],
      all("@l"),
    ],
  },
  {
    name: "LINSERT at both ends",
    steps: [
      five("@l"),
      ["LINSERT", "@l", "BEFORE", "a", "first"],
      ["LINSERT", "@l", "AFTER", "e", "last"],
      all("@l"),
    ],
  },
  {
    name: "LINSERT uses the first matching pivot",
    steps: [
      repeated("@l"),
      ["LINSERT", "@l", "AFTER", "x", "P"],
      ["LINSERT", "@l", "before", "x", "Q"],
      all("@l"),
    ],
  },
  {
    name: "LINSERT without the pivot",
    steps: [five("@l"), ["LINSERT", "@l", "BEFORE", "zz", "X"], all("@l")],
  },
  {
    name: "LINSERT on a missing key",
    steps: [
      ["LINSERT", "@missing", "BEFORE", "a", "X"],
      ["EXISTS", "@missing"],
    ],
  },
  {
    name: "LINSERT syntax error comes before the key lookup",
    steps: [
      ["LINSERT", "@missing", "MIDDLE", "a", "X"],
      five("@l"),
      ["LINSERT", "@l", "BEFOREX", "a", "X"],
      ["SET", "@s", "v"],
      ["LINSERT", "@s", "AFTER", "a", "X"],
      ["LINSERT", "@s", "SIDEWAYS", "a", "X"],
    ],
  },
  {
    name: "LINSERT is case-insensitive about BEFORE and AFTER",
    steps: [
      five("@l"),
      ["LINSERT", "@l", "bEfOrE", "b", "1"],
      ["LINSERT", "@l", "After", "b", "2"],
      all("@l"),
    ],
  },
  {
    name: "LINSERT binary pivot and element",
    steps: [
      ["RPUSH", "@l", Buffer.from("p\0"), "q"],
      ["LINSERT", "@l", "AFTER", Buffer.from("p\0"), Buffer.from("\r\n")],
      all("@l"),
    ],
  },
  {
    name: "LINSERT wrong arity",
    steps: [
      ["LINSERT", "@l", "BEFORE", "a"],
      ["LINSERT", "@l", "BEFORE", "a", "b", "c"],
    ],
  },

  // ---------------------------------------------------------------- LPOS
  {
    name: "LPOS finds the first match",
    steps: [searchable("@l"), ["LPOS", "@l", "c"], ["LPOS", "@l", "a"], ["LPOS", "@l", "zz"]],
  },
  {
    name: "LPOS with RANK",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "RANK", "1"],
      ["LPOS", "@l", "c", "RANK", "2"],
      ["LPOS", "@l", "c", "RANK", "3"],
      ["LPOS", "@l", "c", "RANK", "4"],
    ],
  },
  {
    name: "LPOS with a negative RANK searches from the tail",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "RANK", "-1"],
      ["LPOS", "@l", "c", "RANK", "-3"],
      ["LPOS", "@l", "c", "RANK", "-4"],
    ],
  },
  {
    name: "LPOS with COUNT",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "COUNT", "2"],
      ["LPOS", "@l", "c", "COUNT", "0"],
      ["LPOS", "@l", "c", "COUNT", "100"],
      ["LPOS", "@l", "zz", "COUNT", "0"],
    ],
  },
  {
    name: "LPOS with COUNT and RANK",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "RANK", "2", "COUNT", "0"],
      ["LPOS", "@l", "c", "RANK", "-1", "COUNT", "2"],
      ["LPOS", "@l", "c", "COUNT", "1", "RANK", "-2"],
    ],
  },
  {
    name: "LPOS with MAXLEN",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "MAXLEN", "2"],
      ["LPOS", "@l", "c", "MAXLEN", "3"],
      ["LPOS", "@l", "c", "COUNT", "0", "MAXLEN", "7"],
      ["LPOS", "@l", "c", "RANK", "-1", "MAXLEN", "1"],
      ["LPOS", "@l", "a", "RANK", "-1", "MAXLEN", "2", "COUNT", "0"],
    ],
  },
  {
    name: "LPOS on a missing key: null, or an empty array with COUNT",
    steps: [
      ["LPOS", "@missing", "a"],
      ["LPOS", "@missing", "a", "COUNT", "1"],
      ["LPOS", "@missing", "a", "RANK", "2"],
    ],
  },
  {
    name: "LPOS on a wrong type",
    steps: [
      ["SET", "@s", "v"],
      ["LPOS", "@s", "v"],
      ["LPOS", "@s", "v", "COUNT", "0"],
    ],
  },
  {
    name: "LPOS option errors",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "RANK", "0"],
      ["LPOS", "@l", "c", "COUNT", "-1"],
      ["LPOS", "@l", "c", "MAXLEN", "-1"],
      ["LPOS", "@l", "c", "RANK", "x"],
      ["LPOS", "@l", "c", "COUNT", "x"],
      ["LPOS", "@l", "c", "MAXLEN", "1.5"],
    ],
  },
  {
    name: "LPOS syntax errors",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "RANK"],
      ["LPOS", "@l", "c", "FOO", "1"],
      ["LPOS", "@l", "c", "COUNT", "1", "MAXLEN"],
      ["LPOS", "@l"],
    ],
  },
  {
    name: "LPOS option errors come before the key lookup",
    steps: [
      ["LPOS", "@missing", "a", "RANK", "0"],
      ["SET", "@s", "v"],
      ["LPOS", "@s", "a", "COUNT", "-5"],
      ["LPOS", "@s", "a", "BAD"],
    ],
  },
  {
    name: "LPOS repeated options: the last one wins",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "RANK", "1", "RANK", "2"],
      ["LPOS", "@l", "c", "COUNT", "1", "COUNT", "0"],
      ["LPOS", "@l", "c", "MAXLEN", "1", "MAXLEN", "0"],
    ],
  },
  {
    name: "LPOS RANK at the 64-bit limits",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "RANK", "-9223372036854775808"],
      ["LPOS", "@l", "c", "RANK", "-9223372036854775808", "COUNT", "2"],
      ["LPOS", "@l", "c", "RANK", "-9223372036854775808", "COUNT", "0", "MAXLEN", "2"],
      ["LPOS", "@l", "c", "RANK", "9223372036854775807"],
      ["LPOS", "@l", "c", "RANK", "-9223372036854775807", "COUNT", "0"],
      ["LPOS", "@l", "c", "RANK", "9223372036854775808"],
    ],
  },
  {
    name: "LPOS COUNT and MAXLEN at the 64-bit limit",
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "c", "COUNT", "9223372036854775807", "MAXLEN", "9223372036854775807"],
    ],
  },
  {
    name: "LPOS options are case-insensitive",
    steps: [searchable("@l"), ["LPOS", "@l", "c", "rank", "2", "count", "1", "maxlen", "0"]],
  },
  {
    name: "RESP3 LPOS",
    resp3: true,
    steps: [
      searchable("@l"),
      ["LPOS", "@l", "zz"],
      ["LPOS", "@l", "c", "COUNT", "0"],
      ["LPOS", "@missing", "c"],
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("le", cases);
