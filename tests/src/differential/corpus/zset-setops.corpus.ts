/*
 * Differential cases: set algebra over sorted sets. ZUNION, ZINTER, ZDIFF, their
 * STORE forms and ZINTERCARD: WEIGHTS (inf, zero, negative, NaN products),
 * AGGREGATE SUM / MIN / MAX, WITHSCORES, plain sets as inputs (score 1), missing
 * and repeated keys, wrong types (checked before the options), numkeys errors,
 * destinations that are overwritten or deleted, RESP3 shapes.
 *
 * Every case uses its own key names.
 */
import type { DiffCase } from "../corpus-types.js";

/** Two overlapping sorted sets at `a` and `b`. */
function pair(a: string, b: string): string[][] {
  return [
    ["ZADD", a, "1", "x", "2", "y", "3", "z"],
    ["ZADD", b, "10", "y", "20", "z", "30", "w"],
  ];
}

export const corpus: readonly DiffCase[] = [
  // ---------------------------------------------------------------- ZUNION
  {
    name: "ZUNION sums scores",
    steps: [
      ...pair("s1a", "s1b"),
      ["ZUNION", "2", "s1a", "s1b"],
      ["ZUNION", "2", "s1a", "s1b", "WITHSCORES"],
    ],
  },
  {
    name: "ZUNION WEIGHTS",
    steps: [
      ...pair("s2a", "s2b"),
      ["ZUNION", "2", "s2a", "s2b", "WEIGHTS", "2", "0.5", "WITHSCORES"],
      ["ZUNION", "2", "s2a", "s2b", "WEIGHTS", "-1", "1", "WITHSCORES"],
    ],
  },
  {
    name: "ZUNION AGGREGATE MIN and MAX",
    steps: [
      ...pair("s3a", "s3b"),
      ["ZUNION", "2", "s3a", "s3b", "AGGREGATE", "MIN", "WITHSCORES"],
      ["ZUNION", "2", "s3a", "s3b", "aggregate", "max", "WITHSCORES"],
    ],
  },
  {
    name: "ZUNION with infinite weights",
    steps: [
      ...pair("s4a", "s4b"),
      ["ZUNION", "2", "s4a", "s4b", "WEIGHTS", "inf", "-inf", "WITHSCORES"],
      ["ZUNION", "2", "s4a", "s4b", "WEIGHTS", "0", "inf", "WITHSCORES"],
    ],
  },
  {
    name: "ZUNION inf + -inf sums to 0",
    steps: [
      ["ZADD", "s5a", "inf", "m"],
      ["ZADD", "s5b", "-inf", "m"],
      ["ZUNION", "2", "s5a", "s5b", "WITHSCORES"],
      ["ZUNION", "2", "s5a", "s5b", "AGGREGATE", "MAX", "WITHSCORES"],
    ],
  },
  {
    name: "ZUNION with missing keys",
    steps: [
      ["ZADD", "s6a", "1", "x"],
      ["ZUNION", "3", "s6x", "s6a", "s6y", "WITHSCORES"],
      ["ZUNION", "1", "s6x"],
    ],
  },
  {
    name: "ZUNION of the same key twice",
    steps: [
      ["ZADD", "s7", "1", "x", "2", "y"],
      ["ZUNION", "2", "s7", "s7", "WITHSCORES"],
      ["ZUNION", "2", "s7", "s7", "WEIGHTS", "1", "3", "AGGREGATE", "MIN", "WITHSCORES"],
    ],
  },
  {
    name: "ZUNION orders equal results by member",
    steps: [
      ["ZADD", "s8a", "1", "c", "1", "a"],
      ["ZADD", "s8b", "1", "b"],
      ["ZUNION", "2", "s8a", "s8b", "WITHSCORES"],
    ],
  },
  {
    name: "ZUNION with a plain set",
    steps: [
      ["ZADD", "s9a", "5", "x", "2", "y"],
      ["SADD", "s9b", "x", "q"],
      ["ZUNION", "2", "s9a", "s9b", "WITHSCORES"],
      ["ZUNION", "2", "s9a", "s9b", "WEIGHTS", "1", "10", "WITHSCORES"],
    ],
  },
  {
    name: "ZUNION with an intset",
    steps: [
      ["SADD", "s10a", "3", "1", "2"],
      ["ZADD", "s10b", "0.5", "1"],
      ["ZUNION", "2", "s10a", "s10b", "WITHSCORES"],
    ],
  },

  // ---------------------------------------------------------------- ZINTER
  {
    name: "ZINTER sums scores of common members",
    steps: [
      ...pair("s11a", "s11b"),
      ["ZINTER", "2", "s11a", "s11b"],
      ["ZINTER", "2", "s11a", "s11b", "WITHSCORES"],
    ],
  },
  {
    name: "ZINTER WEIGHTS and AGGREGATE",
    steps: [
      ...pair("s12a", "s12b"),
      ["ZINTER", "2", "s12a", "s12b", "WEIGHTS", "3", "1", "AGGREGATE", "MIN", "WITHSCORES"],
      ["ZINTER", "2", "s12a", "s12b", "AGGREGATE", "MAX", "WITHSCORES"],
    ],
  },
  {
    name: "ZINTER with a missing key is empty",
    steps: [
      ...pair("s13a", "s13b"),
      ["ZINTER", "3", "s13a", "s13b", "s13x"],
      ["ZINTER", "1", "s13x", "WITHSCORES"],
    ],
  },
  {
    name: "ZINTER of the same key twice",
    steps: [
      ["ZADD", "s14", "1", "x", "2", "y"],
      ["ZINTER", "2", "s14", "s14", "WEIGHTS", "2", "3", "WITHSCORES"],
    ],
  },
  {
    name: "ZINTER NaN products count as 0",
    steps: [
      ["ZADD", "s15a", "inf", "x"],
      ["ZADD", "s15b", "1", "x"],
      ["ZINTER", "2", "s15a", "s15b", "WEIGHTS", "0", "1", "WITHSCORES"],
      ["ZINTER", "2", "s15a", "s15b", "WEIGHTS", "0", "1", "AGGREGATE", "MAX", "WITHSCORES"],
    ],
  },
  {
    name: "ZINTER with a plain set",
    steps: [
      ["ZADD", "s16a", "5", "x", "2", "y"],
      ["SADD", "s16b", "x", "q"],
      ["ZINTER", "2", "s16a", "s16b", "WITHSCORES"],
      ["ZINTER", "2", "s16b", "s16a", "AGGREGATE", "MIN", "WITHSCORES"],
    ],
  },
  {
    name: "ZINTER of plain sets only",
    steps: [
      ["SADD", "s17a", "a", "b", "c"],
      ["SADD", "s17b", "b", "c", "d"],
      ["ZINTER", "2", "s17a", "s17b", "WITHSCORES"],
    ],
  },

  // ---------------------------------------------------------------- ZDIFF
  {
    name: "ZDIFF keeps first-set scores",
    steps: [
      ...pair("s18a", "s18b"),
      ["ZDIFF", "2", "s18a", "s18b", "WITHSCORES"],
      ["ZDIFF", "2", "s18b", "s18a", "WITHSCORES"],
    ],
  },
  {
    name: "ZDIFF of one key and of a missing first key",
    steps: [
      ["ZADD", "s19", "2", "b", "1", "a"],
      ["ZDIFF", "1", "s19", "WITHSCORES"],
      ["ZDIFF", "2", "s19x", "s19"],
    ],
  },
  {
    name: "ZDIFF with a plain set",
    steps: [
      ["ZADD", "s20a", "1", "x", "2", "y"],
      ["SADD", "s20b", "y"],
      ["ZDIFF", "2", "s20a", "s20b", "WITHSCORES"],
      ["ZDIFF", "2", "s20b", "s20a", "WITHSCORES"],
    ],
  },
  {
    name: "ZDIFF does not take WEIGHTS or AGGREGATE",
    steps: [
      ...pair("s21a", "s21b"),
      ["ZDIFF", "2", "s21a", "s21b", "WEIGHTS", "1", "1"],
      ["ZDIFF", "2", "s21a", "s21b", "AGGREGATE", "SUM"],
    ],
  },

  // ---------------------------------------------------------------- STORE forms
  {
    name: "ZUNIONSTORE",
    steps: [
      ...pair("s22a", "s22b"),
      ["ZUNIONSTORE", "s22d", "2", "s22a", "s22b", "WEIGHTS", "1", "2"],
      ["ZRANGE", "s22d", "0", "-1", "WITHSCORES"],
      ["OBJECT", "ENCODING", "s22d"],
    ],
  },
  {
    name: "ZINTERSTORE",
    steps: [
      ...pair("s23a", "s23b"),
      ["ZINTERSTORE", "s23d", "2", "s23a", "s23b", "AGGREGATE", "MAX"],
      ["ZRANGE", "s23d", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZDIFFSTORE",
    steps: [
      ...pair("s24a", "s24b"),
      ["ZDIFFSTORE", "s24d", "2", "s24a", "s24b"],
      ["ZRANGE", "s24d", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "a STORE with an empty result deletes the destination",
    steps: [
      ...pair("s25a", "s25b"),
      ["SET", "s25d", "x"],
      ["ZINTERSTORE", "s25d", "2", "s25a", "s25x"],
      ["EXISTS", "s25d"],
      ["ZDIFFSTORE", "s25d", "2", "s25a", "s25a"],
      ["EXISTS", "s25d"],
    ],
  },
  {
    name: "a STORE overwrites any type and drops the TTL",
    steps: [
      ["ZADD", "s26a", "1", "x"],
      ["SET", "s26d", "v", "EX", "100"],
      ["ZUNIONSTORE", "s26d", "1", "s26a"],
      ["TYPE", "s26d"],
      ["TTL", "s26d"],
    ],
  },
  {
    name: "a STORE into one of its sources",
    steps: [
      ...pair("s27a", "s27b"),
      ["ZUNIONSTORE", "s27a", "2", "s27a", "s27b"],
      ["ZRANGE", "s27a", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "STORE forms do not take WITHSCORES",
    steps: [
      ...pair("s28a", "s28b"),
      ["ZUNIONSTORE", "s28d", "2", "s28a", "s28b", "WITHSCORES"],
      ["ZINTERSTORE", "s28d", "1", "s28a", "WITHSCORES"],
      ["EXISTS", "s28d"],
    ],
  },
  {
    name: "ZUNIONSTORE with a plain set",
    steps: [
      ["SADD", "s29a", "m", "n"],
      ["ZADD", "s29b", "3", "m"],
      ["ZUNIONSTORE", "s29d", "2", "s29a", "s29b"],
      ["ZRANGE", "s29d", "0", "-1", "WITHSCORES"],
    ],
  },

  // ---------------------------------------------------------------- ZINTERCARD
  {
    name: "ZINTERCARD",
    steps: [
      ...pair("s30a", "s30b"),
      ["ZINTERCARD", "2", "s30a", "s30b"],
      ["ZINTERCARD", "1", "s30a"],
      ["ZINTERCARD", "2", "s30a", "s30x"],
    ],
  },
  {
    name: "ZINTERCARD LIMIT",
    steps: [
      ...pair("s31a", "s31b"),
      ["ZINTERCARD", "2", "s31a", "s31b", "LIMIT", "1"],
      ["ZINTERCARD", "2", "s31a", "s31b", "LIMIT", "0"],
      ["ZINTERCARD", "2", "s31a", "s31b", "LIMIT", "100"],
    ],
  },
  {
    name: "ZINTERCARD errors",
    steps: [
      ...pair("s32a", "s32b"),
      ["ZINTERCARD", "2", "s32a", "s32b", "LIMIT", "-1"],
      ["ZINTERCARD", "2", "s32a", "s32b", "LIMIT", "x"],
      ["ZINTERCARD", "2", "s32a", "s32b", "WITHSCORES"],
      ["ZINTERCARD", "2", "s32a", "s32b", "WEIGHTS", "1", "1"],
      ["ZINTERCARD", "0", "s32a"],
    ],
  },
  {
    name: "ZINTERCARD with plain sets",
    steps: [
      ["SADD", "s33a", "1", "2", "3"],
      ["ZADD", "s33b", "0", "2", "0", "3", "0", "4"],
      ["ZINTERCARD", "2", "s33a", "s33b"],
    ],
  },

  // ---------------------------------------------------------------- errors
  {
    name: "numkeys must be at least 1",
    steps: [
      ["ZUNION", "0", "k"],
      ["ZINTER", "0", "k"],
      ["ZDIFF", "0", "k"],
      ["ZUNIONSTORE", "d", "0", "k"],
      ["ZINTERSTORE", "d", "-1", "k"],
      ["ZDIFFSTORE", "d", "0", "k"],
    ],
  },
  {
    name: "numkeys that is not an integer",
    steps: [
      ["ZUNION", "x", "k"],
      ["ZINTERSTORE", "d", "1.5", "k"],
      ["ZINTERCARD", "x", "k"],
    ],
  },
  {
    name: "numkeys larger than the keys given",
    steps: [
      ["ZUNION", "3", "a", "b"],
      ["ZINTERSTORE", "d", "2", "a"],
      ["ZINTERCARD", "2", "a"],
    ],
  },
  {
    name: "wrong type inputs are refused before options",
    steps: [
      ["ZADD", "s34a", "1", "x"],
      ["SET", "s34s", "v"],
      ["ZUNION", "2", "s34a", "s34s"],
      ["ZUNION", "2", "s34a", "s34s", "BADOPTION"],
      ["ZINTERCARD", "2", "s34s", "s34a"],
      ["ZDIFFSTORE", "s34d", "2", "s34a", "s34s"],
      ["EXISTS", "s34d"],
    ],
  },
  {
    name: "a destination of another type is not a problem",
    steps: [
      ["ZADD", "s35a", "1", "x"],
      ["SET", "s35d", "v"],
      ["ZINTERSTORE", "s35d", "1", "s35a"],
      ["TYPE", "s35d"],
    ],
  },
  {
    name: "WEIGHTS errors",
    steps: [
      ...pair("s36a", "s36b"),
      ["ZUNION", "2", "s36a", "s36b", "WEIGHTS", "1"],
      ["ZUNION", "2", "s36a", "s36b", "WEIGHTS", "1", "x"],
      ["ZUNION", "2", "s36a", "s36b", "WEIGHTS", "1", "nan"],
      ["ZUNIONSTORE", "s36d", "2", "s36a", "s36b", "WEIGHTS", "1", "2", "3"],
    ],
  },
  {
    name: "AGGREGATE errors",
    steps: [
      ...pair("s37a", "s37b"),
      ["ZUNION", "2", "s37a", "s37b", "AGGREGATE"],
      ["ZUNION", "2", "s37a", "s37b", "AGGREGATE", "AVG"],
      ["ZINTER", "2", "s37a", "s37b", "AGGREGATE", "SUM", "WEIGHTS", "1", "1", "WITHSCORES"],
    ],
  },
  {
    name: "set-algebra arity",
    steps: [["ZUNION", "1"], ["ZINTERSTORE", "d", "1"], ["ZDIFF"], ["ZINTERCARD", "1"]],
  },

  // ---------------------------------------------------------------- key positions
  {
    name: "COMMAND GETKEYS finds the keys of numkeys commands",
    steps: [
      ["COMMAND", "GETKEYS", "ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2"],
      ["COMMAND", "GETKEYS", "ZINTER", "3", "a", "b", "c", "AGGREGATE", "MAX"],
      ["COMMAND", "GETKEYS", "ZDIFFSTORE", "dst", "1", "a"],
      ["COMMAND", "GETKEYS", "ZINTERCARD", "2", "a", "b", "LIMIT", "1"],
      ["COMMAND", "GETKEYS", "ZMPOP", "2", "a", "b", "MIN"],
      ["COMMAND", "GETKEYS", "BZMPOP", "0", "2", "a", "b", "MAX", "COUNT", "2"],
      ["COMMAND", "GETKEYS", "BZPOPMIN", "a", "b", "c", "0"],
      ["COMMAND", "GETKEYS", "ZRANGESTORE", "dst", "src", "0", "-1"],
    ],
  },

  // ---------------------------------------------------------------- RESP3
  {
    name: "RESP3: ZUNION WITHSCORES nests pairs",
    resp3: true,
    steps: [
      ...pair("s38a", "s38b"),
      ["ZUNION", "2", "s38a", "s38b", "WITHSCORES"],
      ["ZUNION", "2", "s38a", "s38b"],
    ],
  },
  {
    name: "RESP3: ZINTER and ZDIFF WITHSCORES",
    resp3: true,
    steps: [
      ...pair("s39a", "s39b"),
      ["ZINTER", "2", "s39a", "s39b", "WITHSCORES"],
      ["ZDIFF", "2", "s39a", "s39b", "WITHSCORES"],
      ["ZDIFF", "1", "s39x", "WITHSCORES"],
    ],
  },
  {
    name: "RESP3: STORE replies and ZINTERCARD",
    resp3: true,
    steps: [
      ...pair("s40a", "s40b"),
      ["ZUNIONSTORE", "s40d", "2", "s40a", "s40b"],
      ["ZINTERCARD", "2", "s40a", "s40b"],
    ],
  },
];
