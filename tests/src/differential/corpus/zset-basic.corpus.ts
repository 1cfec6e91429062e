/*
 * Differential cases: sorted set writes and point queries. ZADD and its options
 * (NX XX GT LT CH INCR and their conflicts), ZINCRBY, ZREM, ZSCORE, ZMSCORE,
 * ZCARD, ZRANK, ZREVRANK; score parsing (inf, hexadecimal, out of range, NaN),
 * score formatting (%.17g, -0), binary members, wrong types, arity, missing keys.
 *
 * Every case uses its own key names, so cases stay independent even where the
 * keyspace is not reset between them.
 */
import type { DiffCase } from "../corpus-types.js";

const binary = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]);

export const corpus: readonly DiffCase[] = [
  // ---------------------------------------------------------------- ZADD basics
  {
    name: "ZADD creates a key and counts added members",
    steps: [
      ["ZADD", "b1", "1", "a", "2", "b"],
      ["ZCARD", "b1"],
      ["TYPE", "b1"],
    ],
  },
  {
    name: "ZADD updating a score counts nothing without CH",
    steps: [
      ["ZADD", "b2", "1", "a"],
      ["ZADD", "b2", "5", "a", "1", "b"],
      ["ZSCORE", "b2", "a"],
    ],
  },
  {
    name: "ZADD CH counts changed scores",
    steps: [
      ["ZADD", "b3", "1", "a", "2", "b"],
      ["ZADD", "b3", "CH", "1", "a", "3", "b", "4", "c"],
    ],
  },
  {
    name: "ZADD with the same member twice keeps the last score",
    steps: [
      ["ZADD", "b4", "1", "a", "2", "a"],
      ["ZSCORE", "b4", "a"],
      ["ZCARD", "b4"],
    ],
  },
  {
    name: "ZADD NX only adds",
    steps: [
      ["ZADD", "b5", "1", "a"],
      ["ZADD", "b5", "NX", "9", "a", "2", "b"],
      ["ZRANGE", "b5", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZADD XX only updates",
    steps: [
      ["ZADD", "b6", "1", "a"],
      ["ZADD", "b6", "XX", "CH", "9", "a", "2", "b"],
      ["ZRANGE", "b6", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZADD XX on a missing key creates nothing",
    steps: [
      ["ZADD", "b7", "XX", "1", "a"],
      ["EXISTS", "b7"],
    ],
  },
  {
    name: "ZADD GT updates only to greater scores, adds new members",
    steps: [
      ["ZADD", "b8", "5", "a"],
      ["ZADD", "b8", "GT", "CH", "3", "a", "7", "b"],
      ["ZADD", "b8", "GT", "CH", "6", "a"],
      ["ZRANGE", "b8", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZADD LT updates only to smaller scores",
    steps: [
      ["ZADD", "b9", "5", "a"],
      ["ZADD", "b9", "LT", "CH", "7", "a"],
      ["ZADD", "b9", "LT", "CH", "2", "a"],
      ["ZSCORE", "b9", "a"],
    ],
  },
  {
    name: "ZADD XX GT combine",
    steps: [
      ["ZADD", "b10", "5", "a"],
      ["ZADD", "b10", "XX", "GT", "CH", "9", "a", "1", "new"],
      ["ZRANGE", "b10", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZADD options are case-insensitive",
    steps: [
      ["ZADD", "b11", "nX", "Ch", "1", "a"],
      ["ZADD", "b11", "xx", "iNcR", "2", "a"],
    ],
  },
  {
    name: "ZADD NX XX conflict",
    steps: [
      ["ZADD", "b12", "NX", "XX", "1", "a"],
      ["EXISTS", "b12"],
    ],
  },
  { name: "ZADD GT LT conflict", steps: [["ZADD", "b13", "GT", "LT", "1", "a"]] },
  { name: "ZADD GT NX conflict", steps: [["ZADD", "b14", "GT", "NX", "1", "a"]] },
  { name: "ZADD LT NX conflict", steps: [["ZADD", "b15", "NX", "LT", "1", "a"]] },
  {
    name: "ZADD INCR with two pairs",
    steps: [
      ["ZADD", "b16", "INCR", "1", "a", "2", "b"],
      ["EXISTS", "b16"],
    ],
  },
  {
    name: "ZADD with an odd number of arguments",
    steps: [
      ["ZADD", "b17", "1", "a", "2"],
      ["ZADD", "b17", "NX", "1"],
    ],
  },
  { name: "ZADD with options only", steps: [["ZADD", "b18", "NX", "CH"]] },
  { name: "ZADD wrong arity", steps: [["ZADD", "b19", "1"], ["ZADD"]] },
  { name: "ZADD unknown option is read as a score", steps: [["ZADD", "b20", "FOO", "1", "a"]] },
  {
    name: "ZADD with a bad score adds nothing",
    steps: [
      ["ZADD", "b21", "1", "a", "x", "b"],
      ["EXISTS", "b21"],
    ],
  },
  {
    name: "ZADD refuses nan",
    steps: [
      ["ZADD", "b22", "nan", "a"],
      ["ZADD", "b22", "NaN", "a"],
      ["EXISTS", "b22"],
    ],
  },
  {
    name: "ZADD refuses out of range doubles",
    steps: [
      ["ZADD", "b23", "1e400", "a"],
      ["ZADD", "b23", "-1e400", "a"],
      ["ZADD", "b23", "1e-400", "a"],
    ],
  },
  {
    name: "ZADD accepts inf spellings, hexadecimal and short forms",
    steps: [
      ["ZADD", "b24", "inf", "a", "-inf", "b", "+inf", "c", "Infinity", "d", "-INFINITY", "e"],
      ["ZADD", "b24", "0x10", "f", "-0x1p3", "g", ".5", "h", "5.", "i", "1E2", "j", "+7", "k"],
      ["ZRANGE", "b24", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZADD refuses blanks around scores",
    steps: [
      ["ZADD", "b25", " 1", "a"],
      ["ZADD", "b25", "1 ", "a"],
      ["ZADD", "b25", "", "a"],
    ],
  },
  {
    name: "ZADD refuses a score with a NUL byte",
    steps: [
      ["ZADD", "b26", Buffer.from("1\u00002"), "a"],
      ["EXISTS", "b26"],
    ],
  },
  {
    name: "ZADD keeps denormal scores",
    steps: [
      ["ZADD", "b27", "5e-324", "a", "2.2250738585072014e-308", "b"],
      ["ZRANGE", "b27", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "scores print with %.17g",
    steps: [
      [
        "ZADD",
        "b28",
        "1.1",
        "a",
        "0.1",
        "b",
        "1e17",
        "c",
        "123456789012345678",
        "d",
        "1e-5",
        "e",
        "3.0",
        "f",
        "-2.5e-10",
        "g",
      ],
      ["ZSCORE", "b28", "a"],
      ["ZSCORE", "b28", "c"],
      ["ZSCORE", "b28", "d"],
      ["ZRANGE", "b28", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZADD on a string key is WRONGTYPE",
    steps: [
      ["SET", "b29", "x"],
      ["ZADD", "b29", "1", "a"],
      ["ZADD", "b29", "XX", "1", "a"],
      ["GET", "b29"],
    ],
  },
  {
    name: "ZADD after DEL of a string key creates a sorted set",
    steps: [
      ["SET", "b30", "x"],
      ["DEL", "b30"],
      ["ZADD", "b30", "1", "a"],
      ["TYPE", "b30"],
    ],
  },
  {
    name: "ZADD bad score beats WRONGTYPE",
    steps: [
      ["SET", "b31", "x"],
      ["ZADD", "b31", "bad", "a"],
    ],
  },

  // ---------------------------------------------------------------- INCR, ZINCRBY
  {
    name: "ZADD INCR on a new member",
    steps: [
      ["ZADD", "b32", "INCR", "2.5", "a"],
      ["ZSCORE", "b32", "a"],
    ],
  },
  {
    name: "ZADD INCR on an existing member",
    steps: [
      ["ZADD", "b33", "1", "a"],
      ["ZADD", "b33", "INCR", "0.1", "a"],
      ["ZADD", "b33", "INCR", "-10", "a"],
    ],
  },
  {
    name: "ZADD NX INCR on an existing member replies null",
    steps: [
      ["ZADD", "b34", "1", "a"],
      ["ZADD", "b34", "NX", "INCR", "1", "a"],
      ["ZSCORE", "b34", "a"],
    ],
  },
  {
    name: "ZADD XX INCR on a missing member replies null",
    steps: [
      ["ZADD", "b35", "1", "a"],
      ["ZADD", "b35", "XX", "INCR", "1", "b"],
      ["ZADD", "b35x", "XX", "INCR", "1", "b"],
    ],
  },
  {
    name: "ZADD GT INCR with a negative increment replies null",
    steps: [
      ["ZADD", "b36", "1", "a"],
      ["ZADD", "b36", "GT", "INCR", "-1", "a"],
      ["ZADD", "b36", "GT", "INCR", "1", "a"],
    ],
  },
  {
    name: "ZADD INCR by zero replies the score",
    steps: [
      ["ZADD", "b37", "3", "a"],
      ["ZADD", "b37", "INCR", "0", "a"],
    ],
  },
  {
    name: "ZINCRBY creates the key and member",
    steps: [
      ["ZINCRBY", "b38", "5", "a"],
      ["ZINCRBY", "b38", "-2.25", "a"],
      ["ZRANGE", "b38", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZINCRBY to inf and back is NaN",
    steps: [
      ["ZINCRBY", "b39", "inf", "a"],
      ["ZINCRBY", "b39", "-inf", "a"],
      ["ZSCORE", "b39", "a"],
    ],
  },
  {
    name: "ZADD INCR producing NaN",
    steps: [
      ["ZADD", "b40", "-inf", "a"],
      ["ZADD", "b40", "INCR", "+inf", "a"],
      ["ZSCORE", "b40", "a"],
    ],
  },
  {
    name: "ZINCRBY with a bad increment",
    steps: [
      ["ZINCRBY", "b41", "abc", "a"],
      ["ZINCRBY", "b41", "nan", "a"],
      ["EXISTS", "b41"],
    ],
  },
  {
    name: "ZINCRBY with an option word as increment",
    steps: [
      ["ZINCRBY", "b42", "nx", "a"],
      ["ZINCRBY", "b42", "incr", "a"],
    ],
  },
  {
    name: "ZINCRBY wrong arity and wrong type",
    steps: [
      ["ZINCRBY", "b43", "1"],
      ["SET", "b43", "x"],
      ["ZINCRBY", "b43", "1", "a"],
    ],
  },
  {
    name: "ZINCRBY keeps precision",
    steps: [
      ["ZINCRBY", "b44", "0.1", "a"],
      ["ZINCRBY", "b44", "0.2", "a"],
    ],
  },

  // ---------------------------------------------------------------- -0
  {
    name: "-0 in a listpack reads back as 0",
    steps: [
      ["ZADD", "b45", "-0", "a"],
      ["ZSCORE", "b45", "a"],
      ["ZRANGE", "b45", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZADD INCR of -0 replies -0",
    steps: [
      ["ZADD", "b46", "INCR", "-0", "a"],
      ["ZSCORE", "b46", "a"],
    ],
  },
  {
    name: "0 and -0 are the same score",
    steps: [
      ["ZADD", "b47", "0", "a"],
      ["ZADD", "b47", "CH", "-0", "a"],
      ["ZADD", "b47", "GT", "CH", "-0", "a"],
    ],
  },

  // ---------------------------------------------------------------- ZSCORE, ZMSCORE, ZCARD
  {
    name: "ZSCORE of a missing key and member",
    steps: [
      ["ZSCORE", "b48", "a"],
      ["ZADD", "b48", "1", "a"],
      ["ZSCORE", "b48", "b"],
    ],
  },
  {
    name: "ZSCORE on a wrong type",
    steps: [
      ["SET", "b49", "x"],
      ["ZSCORE", "b49", "a"],
    ],
  },
  {
    name: "ZSCORE arity",
    steps: [
      ["ZSCORE", "b50"],
      ["ZSCORE", "b50", "a", "b"],
    ],
  },
  {
    name: "ZMSCORE mixes found and missing members",
    steps: [
      ["ZADD", "b51", "1", "a", "2.5", "b"],
      ["ZMSCORE", "b51", "a", "x", "b", "a"],
    ],
  },
  { name: "ZMSCORE of a missing key", steps: [["ZMSCORE", "b52", "a", "b"]] },
  {
    name: "ZMSCORE on a wrong type and arity",
    steps: [
      ["SET", "b53", "x"],
      ["ZMSCORE", "b53", "a"],
      ["ZMSCORE", "b53"],
    ],
  },
  {
    name: "ZCARD of missing, present and wrong-type keys",
    steps: [
      ["ZCARD", "b54"],
      ["ZADD", "b54", "1", "a", "1", "b"],
      ["ZCARD", "b54"],
      ["SET", "b54s", "x"],
      ["ZCARD", "b54s"],
      ["ZCARD"],
    ],
  },

  // ---------------------------------------------------------------- ZRANK, ZREVRANK
  {
    name: "ZRANK and ZREVRANK",
    steps: [
      ["ZADD", "b55", "1", "a", "2", "b", "3", "c"],
      ["ZRANK", "b55", "a"],
      ["ZRANK", "b55", "c"],
      ["ZREVRANK", "b55", "a"],
      ["ZREVRANK", "b55", "c"],
      ["ZRANK", "b55", "x"],
    ],
  },
  {
    name: "ZRANK orders equal scores by member bytes",
    steps: [
      ["ZADD", "b56", "1", "b", "1", "a", "1", "B", "1", "aa"],
      ["ZRANK", "b56", "aa"],
      ["ZRANK", "b56", "B"],
      ["ZRANGE", "b56", "0", "-1"],
    ],
  },
  {
    name: "ZRANK of a missing key",
    steps: [
      ["ZRANK", "b57", "a"],
      ["ZREVRANK", "b57", "a"],
    ],
  },
  {
    name: "ZRANK WITHSCORE is not in 7.0",
    steps: [
      ["ZADD", "b58", "1", "a"],
      ["ZRANK", "b58", "a", "WITHSCORE"],
      ["ZREVRANK", "b58", "a", "WITHSCORE"],
    ],
  },
  {
    name: "ZRANK on a wrong type",
    steps: [
      ["SET", "b59", "x"],
      ["ZRANK", "b59", "a"],
      ["ZREVRANK", "b59", "a"],
    ],
  },

  // ---------------------------------------------------------------- ZREM
  {
    name: "ZREM counts removed members",
    steps: [
      ["ZADD", "b60", "1", "a", "2", "b", "3", "c"],
      ["ZREM", "b60", "a", "x", "a"],
      ["ZRANGE", "b60", "0", "-1"],
    ],
  },
  {
    name: "ZREM of the last member deletes the key",
    steps: [
      ["ZADD", "b61", "1", "a", "2", "b"],
      ["ZREM", "b61", "a", "b", "c"],
      ["EXISTS", "b61"],
      ["TYPE", "b61"],
    ],
  },
  { name: "ZREM on a missing key", steps: [["ZREM", "b62", "a"]] },
  {
    name: "ZREM on a wrong type and arity",
    steps: [
      ["SET", "b63", "x"],
      ["ZREM", "b63", "a"],
      ["ZREM", "b63"],
    ],
  },

  // ---------------------------------------------------------------- binary members
  {
    name: "binary members round-trip",
    steps: [
      ["ZADD", "b64", "1", binary, "2", "plain"],
      ["ZSCORE", "b64", binary],
      ["ZRANK", "b64", binary],
      ["ZRANGE", "b64", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "members compare byte-wise (high bytes after ASCII, prefixes first)",
    steps: [
      [
        "ZADD",
        "b65",
        "0",
        Buffer.from([0xff]),
        "0",
        Buffer.from([0x7f]),
        "0",
        "a",
        "0",
        Buffer.from("a\u0000"),
        "0",
        "",
        "0",
        "A",
      ],
      ["ZRANGE", "b65", "0", "-1"],
    ],
  },
  {
    name: "the empty member",
    steps: [
      ["ZADD", "b66", "1", ""],
      ["ZSCORE", "b66", ""],
      ["ZREM", "b66", ""],
      ["EXISTS", "b66"],
    ],
  },
  {
    name: "binary key names",
    steps: [
      ["ZADD", binary, "1", "a"],
      ["ZCARD", binary],
      ["ZRANGE", binary, "0", "-1"],
    ],
  },
  {
    name: "UTF-8 members are bytes",
    steps: [
      ["ZADD", "b67", "1", "é", "1", "e", "1", "z"],
      ["ZRANGE", "b67", "0", "-1"],
      ["ZRANK", "b67", "é"],
    ],
  },

  // ---------------------------------------------------------------- RESP3
  {
    name: "RESP3: ZSCORE, ZINCRBY and ZADD INCR reply doubles",
    resp3: true,
    steps: [
      ["ZADD", "b68", "1.5", "a"],
      ["ZSCORE", "b68", "a"],
      ["ZINCRBY", "b68", "1", "a"],
      ["ZADD", "b68", "INCR", "inf", "a"],
      ["ZSCORE", "b68", "x"],
    ],
  },
  {
    name: "RESP3: ZADD NX INCR skipped is a null",
    resp3: true,
    steps: [
      ["ZADD", "b69", "1", "a"],
      ["ZADD", "b69", "NX", "INCR", "1", "a"],
    ],
  },
  {
    name: "RESP3: ZMSCORE with nulls",
    resp3: true,
    steps: [
      ["ZADD", "b70", "1", "a"],
      ["ZMSCORE", "b70", "a", "b"],
      ["ZMSCORE", "b70x", "a"],
    ],
  },
  {
    name: "RESP3: ZRANK of a missing member is null",
    resp3: true,
    steps: [
      ["ZADD", "b71", "1", "a"],
      ["ZRANK", "b71", "a"],
      ["ZRANK", "b71", "b"],
      ["ZREVRANK", "b71x", "b"],
    ],
  },
  {
    name: "RESP3: scores -0, inf and %.17g",
    resp3: true,
    steps: [
      ["ZADD", "b72", "INCR", "-0", "a"],
      ["ZADD", "b72", "-inf", "b", "0.1", "c"],
      ["ZSCORE", "b72", "b"],
      ["ZSCORE", "b72", "c"],
    ],
  },
];
