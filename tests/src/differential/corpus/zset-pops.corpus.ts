/*
 * Differential cases: taking members out of sorted sets and walking them.
 * ZPOPMIN / ZPOPMAX (with and without COUNT), ZMPOP, ZRANDMEMBER (only where the
 * answer is deterministic: counts covering the whole set, one-member sets, or
 * the reply type for truly random picks), ZSCAN (a listpack comes back whole with
 * cursor 0; skiplist cursors are Redis internals, so those cases use one-member
 * results), in RESP2 and RESP3.
 *
 * Every case uses its own key names.
 */
import { type DiffCase, quiet, sameType } from "../corpus-types.js";

/** Five members a..e with scores 1..5 at `key`. */
function five(key: string): string[] {
  return ["ZADD", key, "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"];
}

export const corpus: readonly DiffCase[] = [
  // ---------------------------------------------------------------- ZPOPMIN / ZPOPMAX
  {
    name: "ZPOPMIN and ZPOPMAX one member",
    steps: [five("p1"), ["ZPOPMIN", "p1"], ["ZPOPMAX", "p1"], ["ZRANGE", "p1", "0", "-1"]],
  },
  {
    name: "ZPOPMIN and ZPOPMAX with a count",
    steps: [
      five("p2"),
      ["ZPOPMIN", "p2", "2"],
      ["ZPOPMAX", "p2", "2"],
      ["ZRANGE", "p2", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZPOPMIN with a count above the size deletes the key",
    steps: [five("p3"), ["ZPOPMIN", "p3", "10"], ["EXISTS", "p3"]],
  },
  {
    name: "ZPOPMAX of the last member deletes the key",
    steps: [
      ["ZADD", "p4", "1", "a"],
      ["ZPOPMAX", "p4"],
      ["EXISTS", "p4"],
      ["ZPOPMAX", "p4"],
    ],
  },
  {
    name: "ZPOPMIN count 0",
    steps: [five("p5"), ["ZPOPMIN", "p5", "0"], ["ZCARD", "p5"], ["ZPOPMIN", "p5x", "0"]],
  },
  {
    name: "ZPOPMIN of a missing key",
    steps: [
      ["ZPOPMIN", "p6"],
      ["ZPOPMAX", "p6", "3"],
    ],
  },
  {
    name: "ZPOPMIN count errors",
    steps: [
      five("p7"),
      ["ZPOPMIN", "p7", "-1"],
      ["ZPOPMIN", "p7", "abc"],
      ["ZPOPMIN", "p7", "1", "2"],
      ["ZPOPMIN", "p7", "1.5"],
    ],
  },
  {
    name: "ZPOPMIN on a wrong type",
    steps: [["SET", "p8", "x"], ["ZPOPMIN", "p8"], ["ZPOPMAX", "p8", "2"], ["ZPOPMIN"]],
  },
  {
    name: "ZPOPMIN pops equal scores in member order",
    steps: [
      ["ZADD", "p9", "1", "c", "1", "a", "1", "b"],
      ["ZPOPMIN", "p9"],
      ["ZPOPMAX", "p9"],
    ],
  },
  {
    name: "ZPOPMAX of inf scores",
    steps: [
      ["ZADD", "p10", "inf", "hi", "-inf", "lo", "1.5", "mid"],
      ["ZPOPMAX", "p10", "3"],
    ],
  },

  // ---------------------------------------------------------------- ZMPOP
  {
    name: "ZMPOP MIN from the first non-empty key",
    steps: [five("p11"), ["ZMPOP", "2", "p11x", "p11", "MIN"], ["ZCARD", "p11"]],
  },
  {
    name: "ZMPOP MAX COUNT",
    steps: [
      five("p12"),
      ["ZMPOP", "1", "p12", "MAX", "COUNT", "3"],
      ["ZMPOP", "1", "p12", "max", "count", "10"],
      ["EXISTS", "p12"],
    ],
  },
  {
    name: "ZMPOP with no members anywhere",
    steps: [
      ["ZMPOP", "2", "p13a", "p13b", "MIN"],
      ["ZMPOP", "1", "p13a", "MAX", "COUNT", "2"],
    ],
  },
  {
    name: "ZMPOP numkeys errors",
    steps: [
      ["ZMPOP", "0", "p14", "MIN"],
      ["ZMPOP", "-1", "p14", "MIN"],
      ["ZMPOP", "x", "p14", "MIN"],
      ["ZMPOP", "3", "p14", "MIN"],
    ],
  },
  {
    name: "ZMPOP where and COUNT errors",
    steps: [
      five("p15"),
      ["ZMPOP", "1", "p15", "MIDDLE"],
      ["ZMPOP", "1", "p15", "MIN", "COUNT", "0"],
      ["ZMPOP", "1", "p15", "MIN", "COUNT", "-2"],
      ["ZMPOP", "1", "p15", "MIN", "COUNT"],
      ["ZMPOP", "1", "p15", "MIN", "COUNT", "1", "COUNT", "1"],
      ["ZMPOP", "1", "p15", "MIN", "FOO"],
    ],
  },
  {
    name: "ZMPOP wrong type stops the walk",
    steps: [
      five("p16"),
      ["SET", "p16s", "x"],
      ["ZMPOP", "2", "p16s", "p16", "MIN"],
      ["ZMPOP", "2", "p16", "p16s", "MIN"],
    ],
  },
  { name: "ZMPOP wrong arity", steps: [["ZMPOP", "1", "p17"], ["ZMPOP"]] },

  // ---------------------------------------------------------------- ZRANDMEMBER
  {
    name: "ZRANDMEMBER of a one-member set",
    steps: [
      ["ZADD", "p18", "1.5", "only"],
      ["ZRANDMEMBER", "p18"],
      ["ZRANDMEMBER", "p18", "1"],
      ["ZRANDMEMBER", "p18", "1", "WITHSCORES"],
    ],
  },
  {
    name: "ZRANDMEMBER negative count repeats",
    steps: [
      ["ZADD", "p19", "2", "only"],
      ["ZRANDMEMBER", "p19", "-3"],
      ["ZRANDMEMBER", "p19", "-2", "WITHSCORES"],
    ],
  },
  {
    name: "ZRANDMEMBER count covering the whole set",
    steps: [five("p20"), ["ZRANDMEMBER", "p20", "5"], ["ZRANDMEMBER", "p20", "100", "WITHSCORES"]],
  },
  {
    name: "ZRANDMEMBER count 0",
    steps: [five("p21"), ["ZRANDMEMBER", "p21", "0"], ["ZRANDMEMBER", "p21", "0", "WITHSCORES"]],
  },
  {
    name: "ZRANDMEMBER of a missing key",
    steps: [
      ["ZRANDMEMBER", "p22"],
      ["ZRANDMEMBER", "p22", "3"],
      ["ZRANDMEMBER", "p22", "-3", "WITHSCORES"],
    ],
  },
  {
    name: "ZRANDMEMBER random picks (reply type only)",
    steps: [
      five("p23"),
      sameType("ZRANDMEMBER", "p23"),
      sameType("ZRANDMEMBER", "p23", "2"),
      sameType("ZRANDMEMBER", "p23", "4"),
      sameType("ZRANDMEMBER", "p23", "-7", "WITHSCORES"),
    ],
  },
  {
    name: "ZRANDMEMBER count errors",
    steps: [
      five("p24"),
      ["ZRANDMEMBER", "p24", "abc"],
      ["ZRANDMEMBER", "p24", "1", "2"],
      ["ZRANDMEMBER", "p24", "1", "WITHSCORE"],
      ["ZRANDMEMBER", "p24", "1", "WITHSCORES", "x"],
    ],
  },
  {
    name: "ZRANDMEMBER count limits",
    steps: [
      five("p25"),
      ["ZRANDMEMBER", "p25", "-9223372036854775808"],
      ["ZRANDMEMBER", "p25", "-9223372036854775807", "WITHSCORES"],
      ["ZRANDMEMBER", "p25", "4611686018427387904", "WITHSCORES"],
      ["ZRANDMEMBER", "p25", "9223372036854775808"],
    ],
  },
  {
    name: "ZRANDMEMBER errors beat a missing key",
    steps: [
      ["ZRANDMEMBER", "p26", "abc"],
      ["ZRANDMEMBER", "p26", "1", "FOO"],
    ],
  },
  {
    name: "ZRANDMEMBER on a wrong type",
    steps: [
      ["SET", "p27", "x"],
      ["ZRANDMEMBER", "p27"],
      ["ZRANDMEMBER", "p27", "2"],
    ],
  },

  // ---------------------------------------------------------------- ZSCAN
  {
    name: "ZSCAN of a listpack returns everything with cursor 0",
    steps: [
      five("p28"),
      ["ZSCAN", "p28", "0"],
      ["ZSCAN", "p28", "0", "COUNT", "1"],
      ["ZSCAN", "p28", "12345"],
    ],
  },
  {
    name: "ZSCAN MATCH",
    steps: [
      ["ZADD", "p29", "1", "apple", "2", "banana", "3", "avocado"],
      ["ZSCAN", "p29", "0", "MATCH", "a*"],
      ["ZSCAN", "p29", "0", "MATCH", "*an*", "COUNT", "100"],
      ["ZSCAN", "p29", "0", "MATCH", "zzz"],
    ],
  },
  {
    name: "ZSCAN scores as the listpack stores them",
    steps: [
      [
        "ZADD",
        "p30",
        "1.1",
        "a",
        "1e17",
        "b",
        "4611686018427387904",
        "c",
        "4611686018427388928",
        "d",
        "-0",
        "e",
        "inf",
        "f",
      ],
      ["ZSCAN", "p30", "0"],
    ],
  },
  {
    name: "ZSCAN of a missing key",
    steps: [
      ["ZSCAN", "p31", "0"],
      ["ZSCAN", "p31", "0", "COUNT", "0"],
      ["ZSCAN", "p31", "0", "FOO", "bar"],
    ],
  },
  {
    name: "ZSCAN cursor and option errors",
    steps: [
      five("p32"),
      ["ZSCAN", "p32", "abc"],
      ["ZSCAN", "p32", "-1"],
      ["ZSCAN", "p32", "0", "COUNT", "0"],
      ["ZSCAN", "p32", "0", "COUNT", "x"],
      ["ZSCAN", "p32", "0", "MATCH"],
      ["ZSCAN", "p32", "0", "TYPE", "zset"],
    ],
  },
  {
    name: "ZSCAN on a wrong type",
    steps: [
      ["SET", "p33", "x"],
      ["ZSCAN", "p33", "0"],
      ["ZSCAN", "p33", "abc"],
    ],
  },
  {
    name: "ZSCAN of a skiplist with a single match",
    steps: [
      quiet("CONFIG", "SET", "zset-max-listpack-entries", "0"),
      ["ZADD", "p34", "1", "a", "2.5", "b", "3", "c"],
      ["ZSCAN", "p34", "0", "MATCH", "b", "COUNT", "1000"],
      ["ZSCAN", "p34", "0", "MATCH", "nothing", "COUNT", "1000"],
      quiet("CONFIG", "SET", "zset-max-listpack-entries", "128"),
    ],
  },

  // ---------------------------------------------------------------- RESP3
  {
    name: "RESP3: ZPOPMIN without count is flat",
    resp3: true,
    steps: [five("p35"), ["ZPOPMIN", "p35"], ["ZPOPMAX", "p35"]],
  },
  {
    name: "RESP3: ZPOPMIN with count nests pairs",
    resp3: true,
    steps: [
      five("p36"),
      ["ZPOPMIN", "p36", "1"],
      ["ZPOPMAX", "p36", "2"],
      ["ZPOPMIN", "p36", "0"],
      ["ZPOPMIN", "p36x", "2"],
    ],
  },
  {
    name: "RESP3: ZMPOP and its null",
    resp3: true,
    steps: [five("p37"), ["ZMPOP", "1", "p37", "MIN", "COUNT", "2"], ["ZMPOP", "1", "p37x", "MAX"]],
  },
  {
    name: "RESP3: ZRANDMEMBER WITHSCORES nests pairs",
    resp3: true,
    steps: [
      five("p38"),
      ["ZRANDMEMBER", "p38", "10", "WITHSCORES"],
      ["ZRANDMEMBER", "p38x"],
      ["ZRANDMEMBER", "p38x", "2"],
    ],
  },
  {
    name: "RESP3: ZRANDMEMBER negative count of a one-member set",
    resp3: true,
    steps: [
      ["ZADD", "p39", "7", "x"],
      ["ZRANDMEMBER", "p39", "-2", "WITHSCORES"],
    ],
  },
  {
    name: "RESP3: ZSCAN scores stay bulk strings",
    resp3: true,
    steps: [five("p40"), ["ZSCAN", "p40", "0"], ["ZSCAN", "p40x", "0"]],
  },
];
