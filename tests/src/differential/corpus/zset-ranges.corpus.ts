/*
 * Differential cases: sorted set ranges. ZRANGE with BYSCORE / BYLEX / REV /
 * LIMIT / WITHSCORES and the legacy ZREVRANGE, Z[REV]RANGEBYSCORE and
 * Z[REV]RANGEBYLEX; ZCOUNT, ZLEXCOUNT; ZREMRANGEBYRANK / SCORE / LEX; ZRANGESTORE.
 * Range bounds: negative and out-of-range indexes, "(" exclusive scores,
 * -inf / +inf, strtod's leniency for range bounds, "[" "(" "-" "+" lex items,
 * LIMIT edge cases (negative offset, negative count, offset past the end).
 *
 * Every case uses its own key names.
 */
import type { DiffCase } from "../corpus-types.js";

/** Ten members m0..m9 with scores 0..9 at `key`. */
function ten(key: string): string[] {
  const argv = ["ZADD", key];
  for (let i = 0; i < 10; i++) argv.push(String(i), `m${i}`);
  return argv;
}

/** Members a..g, all with score 0 (for lex ranges), at `key`. */
function letters(key: string): string[] {
  const argv = ["ZADD", key];
  for (const member of ["a", "b", "c", "d", "e", "f", "g"]) argv.push("0", member);
  return argv;
}

export const corpus: readonly DiffCase[] = [
  // ---------------------------------------------------------------- by rank
  { name: "ZRANGE 0 -1", steps: [ten("r1"), ["ZRANGE", "r1", "0", "-1"]] },
  {
    name: "ZRANGE with negative indexes",
    steps: [
      ten("r2"),
      ["ZRANGE", "r2", "-3", "-1"],
      ["ZRANGE", "r2", "-100", "1"],
      ["ZRANGE", "r2", "-1", "-3"],
    ],
  },
  {
    name: "ZRANGE out of range indexes",
    steps: [
      ten("r3"),
      ["ZRANGE", "r3", "5", "100"],
      ["ZRANGE", "r3", "10", "20"],
      ["ZRANGE", "r3", "3", "2"],
      ["ZRANGE", "r3", "0", "-11"],
    ],
  },
  {
    name: "ZRANGE WITHSCORES",
    steps: [ten("r4"), ["ZRANGE", "r4", "2", "4", "WITHSCORES"], ["ZRANGE", "r4", "0", "0", "withscores"]],
  },
  {
    name: "ZRANGE REV by rank",
    steps: [ten("r5"), ["ZRANGE", "r5", "0", "2", "REV"], ["ZRANGE", "r5", "-2", "-1", "REV", "WITHSCORES"]],
  },
  {
    name: "ZREVRANGE",
    steps: [
      ten("r6"),
      ["ZREVRANGE", "r6", "0", "2"],
      ["ZREVRANGE", "r6", "8", "100", "WITHSCORES"],
      ["ZREVRANGE", "r6", "-1", "-1"],
    ],
  },
  {
    name: "ZRANGE by rank with LIMIT is an error",
    steps: [ten("r7"), ["ZRANGE", "r7", "0", "-1", "LIMIT", "0", "1"]],
  },
  {
    name: "ZRANGE LIMIT 0 -1 by rank is allowed",
    steps: [ten("r8"), ["ZRANGE", "r8", "0", "1", "LIMIT", "5", "-1"]],
  },
  {
    name: "ZRANGE with non-integer indexes",
    steps: [
      ten("r9"),
      ["ZRANGE", "r9", "a", "1"],
      ["ZRANGE", "r9", "0", "1.5"],
      ["ZRANGE", "r9", "0", "99999999999999999999"],
    ],
  },
  {
    name: "ZRANGE of a missing key",
    steps: [
      ["ZRANGE", "r10", "0", "-1"],
      ["ZRANGE", "r10", "0", "-1", "WITHSCORES"],
      ["ZRANGE", "r10", "0", "-1", "BYSCORE"],
    ],
  },
  {
    name: "ZRANGE on a wrong type",
    steps: [
      ["SET", "r11", "x"],
      ["ZRANGE", "r11", "0", "-1"],
      ["ZRANGEBYSCORE", "r11", "0", "1"],
      ["ZREVRANGEBYLEX", "r11", "+", "-"],
    ],
  },
  {
    name: "ZRANGE syntax errors",
    steps: [
      ten("r12"),
      ["ZRANGE", "r12", "0", "-1", "FOO"],
      ["ZRANGE", "r12", "0", "-1", "REV", "REV"],
      ["ZRANGE", "r12", "0", "-1", "BYSCORE", "BYLEX"],
      ["ZRANGE", "r12", "0", "-1", "LIMIT", "1"],
    ],
  },
  {
    name: "ZRANGE option errors come before range errors",
    steps: [
      ten("r13"),
      ["ZRANGE", "r13", "a", "b", "FOO"],
      ["ZRANGE", "r13", "a", "b", "BYSCORE", "LIMIT", "x", "1"],
    ],
  },
  {
    name: "ZRANGE wrong arity",
    steps: [
      ["ZRANGE", "r14", "0"],
      ["ZREVRANGE", "r14"],
      ["ZRANGEBYSCORE", "r14", "0"],
    ],
  },

  // ---------------------------------------------------------------- by score
  {
    name: "ZRANGEBYSCORE inclusive",
    steps: [ten("r15"), ["ZRANGEBYSCORE", "r15", "2", "4"], ["ZRANGEBYSCORE", "r15", "2", "4", "WITHSCORES"]],
  },
  {
    name: "ZRANGEBYSCORE exclusive bounds",
    steps: [
      ten("r16"),
      ["ZRANGEBYSCORE", "r16", "(2", "4"],
      ["ZRANGEBYSCORE", "r16", "2", "(4"],
      ["ZRANGEBYSCORE", "r16", "(2", "(4"],
      ["ZRANGEBYSCORE", "r16", "(4", "(4"],
      ["ZRANGEBYSCORE", "r16", "(4", "4"],
    ],
  },
  {
    name: "ZRANGEBYSCORE with infinities",
    steps: [
      ten("r17"),
      ["ZRANGEBYSCORE", "r17", "-inf", "+inf"],
      ["ZRANGEBYSCORE", "r17", "(-inf", "(+inf"],
      ["ZRANGEBYSCORE", "r17", "+inf", "-inf"],
      ["ZRANGEBYSCORE", "r17", "7", "inf"],
    ],
  },
  {
    name: "ZRANGEBYSCORE min above max is empty",
    steps: [
      ten("r18"),
      ["ZRANGEBYSCORE", "r18", "5", "3"],
      ["ZRANGEBYSCORE", "r18", "100", "200"],
      ["ZRANGEBYSCORE", "r18", "-200", "-100"],
    ],
  },
  {
    name: "ZRANGEBYSCORE LIMIT",
    steps: [
      ten("r19"),
      ["ZRANGEBYSCORE", "r19", "-inf", "+inf", "LIMIT", "2", "3"],
      ["ZRANGEBYSCORE", "r19", "-inf", "+inf", "WITHSCORES", "LIMIT", "8", "5"],
    ],
  },
  {
    name: "ZRANGEBYSCORE LIMIT with a negative count returns the rest",
    steps: [
      ten("r20"),
      ["ZRANGEBYSCORE", "r20", "3", "+inf", "LIMIT", "2", "-1"],
      ["ZRANGEBYSCORE", "r20", "3", "+inf", "LIMIT", "0", "-5"],
    ],
  },
  {
    name: "ZRANGEBYSCORE LIMIT with a negative offset is empty",
    steps: [
      ten("r21"),
      ["ZRANGEBYSCORE", "r21", "-inf", "+inf", "LIMIT", "-1", "3"],
      ["ZRANGEBYSCORE", "r21", "-inf", "+inf", "LIMIT", "-1", "-1"],
    ],
  },
  {
    name: "ZRANGEBYSCORE LIMIT past the end and count 0",
    steps: [
      ten("r22"),
      ["ZRANGEBYSCORE", "r22", "-inf", "+inf", "LIMIT", "10", "1"],
      ["ZRANGEBYSCORE", "r22", "-inf", "+inf", "LIMIT", "9", "1"],
      ["ZRANGEBYSCORE", "r22", "-inf", "+inf", "LIMIT", "0", "0"],
    ],
  },
  {
    name: "ZRANGEBYSCORE LIMIT errors",
    steps: [
      ten("r23"),
      ["ZRANGEBYSCORE", "r23", "0", "1", "LIMIT", "a", "1"],
      ["ZRANGEBYSCORE", "r23", "0", "1", "LIMIT", "0", "b"],
      ["ZRANGEBYSCORE", "r23", "0", "1", "LIMIT", "0"],
    ],
  },
  {
    name: "ZRANGEBYSCORE does not take REV or BYLEX",
    steps: [
      ten("r24"),
      ["ZRANGEBYSCORE", "r24", "0", "1", "REV"],
      ["ZRANGEBYSCORE", "r24", "0", "1", "BYLEX"],
      ["ZRANGEBYSCORE", "r24", "0", "1", "BYSCORE"],
    ],
  },
  {
    name: "ZREVRANGEBYSCORE takes max first",
    steps: [
      ten("r25"),
      ["ZREVRANGEBYSCORE", "r25", "6", "3"],
      ["ZREVRANGEBYSCORE", "r25", "(6", "(3", "WITHSCORES"],
      ["ZREVRANGEBYSCORE", "r25", "3", "6"],
    ],
  },
  {
    name: "ZREVRANGEBYSCORE LIMIT",
    steps: [
      ten("r26"),
      ["ZREVRANGEBYSCORE", "r26", "+inf", "-inf", "LIMIT", "1", "2"],
      ["ZREVRANGEBYSCORE", "r26", "5", "-inf", "LIMIT", "4", "10"],
      ["ZREVRANGEBYSCORE", "r26", "+inf", "-inf", "LIMIT", "-2", "2"],
    ],
  },
  {
    name: "ZRANGE BYSCORE REV LIMIT WITHSCORES",
    steps: [
      ten("r27"),
      ["ZRANGE", "r27", "(8", "2", "BYSCORE", "REV", "LIMIT", "1", "3", "WITHSCORES"],
      ["ZRANGE", "r27", "2", "8", "BYSCORE", "LIMIT", "0", "2"],
    ],
  },
  {
    name: "ZRANGE BYSCORE with options in any order",
    steps: [
      ten("r28"),
      ["ZRANGE", "r28", "1", "5", "WITHSCORES", "LIMIT", "1", "1", "BYSCORE"],
      ["ZRANGE", "r28", "5", "1", "REV", "byscore"],
    ],
  },
  {
    name: "score bounds that are not floats",
    steps: [
      ten("r29"),
      ["ZRANGEBYSCORE", "r29", "a", "1"],
      ["ZRANGEBYSCORE", "r29", "1", "b"],
      ["ZRANGEBYSCORE", "r29", "nan", "1"],
      ["ZRANGEBYSCORE", "r29", "((1", "2"],
      ["ZRANGEBYSCORE", "r29", "1e", "2"],
      ["ZRANGEBYSCORE", "r29", "1 ", "2"],
    ],
  },
  {
    name: "score bounds are parsed by strtod (leading blanks, empty, overflow)",
    steps: [
      ten("r30"),
      ["ZRANGEBYSCORE", "r30", " 1", "\t3"],
      ["ZRANGEBYSCORE", "r30", "", "1"],
      ["ZRANGEBYSCORE", "r30", "(", "2"],
      ["ZRANGEBYSCORE", "r30", "-1e400", "1e400"],
      ["ZRANGEBYSCORE", "r30", "0x2", "0x4"],
      ["ZRANGEBYSCORE", "r30", "  ", "1"],
      ["ZRANGEBYSCORE", "r30", Buffer.from("1\u0000junk"), "2"],
    ],
  },
  {
    name: "ZRANGEBYSCORE with equal scores orders by member",
    steps: [
      ["ZADD", "r31", "1", "c", "1", "a", "1", "b", "0", "z"],
      ["ZRANGEBYSCORE", "r31", "1", "1"],
      ["ZREVRANGEBYSCORE", "r31", "1", "1"],
    ],
  },
  {
    name: "ZRANGEBYSCORE over inf scores",
    steps: [
      ["ZADD", "r32", "-inf", "lo", "inf", "hi", "0", "mid"],
      ["ZRANGEBYSCORE", "r32", "-inf", "-inf"],
      ["ZRANGEBYSCORE", "r32", "(-inf", "+inf", "WITHSCORES"],
      ["ZRANGEBYSCORE", "r32", "inf", "inf"],
    ],
  },

  // ---------------------------------------------------------------- by lex
  { name: "ZRANGEBYLEX - +", steps: [letters("r33"), ["ZRANGEBYLEX", "r33", "-", "+"]] },
  {
    name: "ZRANGEBYLEX inclusive and exclusive",
    steps: [
      letters("r34"),
      ["ZRANGEBYLEX", "r34", "[b", "[d"],
      ["ZRANGEBYLEX", "r34", "(b", "[d"],
      ["ZRANGEBYLEX", "r34", "[b", "(d"],
      ["ZRANGEBYLEX", "r34", "(b", "(c"],
    ],
  },
  {
    name: "ZRANGEBYLEX with one infinite bound",
    steps: [
      letters("r35"),
      ["ZRANGEBYLEX", "r35", "-", "[c"],
      ["ZRANGEBYLEX", "r35", "(e", "+"],
      ["ZRANGEBYLEX", "r35", "[bb", "+"],
    ],
  },
  {
    name: "ZRANGEBYLEX empty ranges",
    steps: [
      letters("r36"),
      ["ZRANGEBYLEX", "r36", "+", "-"],
      ["ZRANGEBYLEX", "r36", "-", "-"],
      ["ZRANGEBYLEX", "r36", "+", "+"],
      ["ZRANGEBYLEX", "r36", "[d", "[b"],
      ["ZRANGEBYLEX", "r36", "(c", "[c"],
    ],
  },
  {
    name: "ZRANGEBYLEX LIMIT",
    steps: [
      letters("r37"),
      ["ZRANGEBYLEX", "r37", "-", "+", "LIMIT", "2", "3"],
      ["ZRANGEBYLEX", "r37", "-", "+", "LIMIT", "5", "-1"],
      ["ZRANGEBYLEX", "r37", "-", "+", "LIMIT", "-1", "2"],
      ["ZRANGEBYLEX", "r37", "-", "+", "LIMIT", "7", "2"],
    ],
  },
  {
    name: "ZREVRANGEBYLEX",
    steps: [
      letters("r38"),
      ["ZREVRANGEBYLEX", "r38", "+", "-"],
      ["ZREVRANGEBYLEX", "r38", "[e", "(b"],
      ["ZREVRANGEBYLEX", "r38", "+", "-", "LIMIT", "1", "2"],
      ["ZREVRANGEBYLEX", "r38", "-", "+"],
    ],
  },
  {
    name: "ZRANGE BYLEX and REV",
    steps: [
      letters("r39"),
      ["ZRANGE", "r39", "[c", "+", "BYLEX"],
      ["ZRANGE", "r39", "(f", "[b", "BYLEX", "REV", "LIMIT", "1", "2"],
    ],
  },
  {
    name: "lex items that are not valid",
    steps: [
      letters("r40"),
      ["ZRANGEBYLEX", "r40", "a", "+"],
      ["ZRANGEBYLEX", "r40", "-", "c"],
      ["ZRANGEBYLEX", "r40", "", "+"],
      ["ZRANGEBYLEX", "r40", "--", "+"],
      ["ZRANGEBYLEX", "r40", "-", "+x"],
    ],
  },
  {
    name: "lex items with binary bytes",
    steps: [
      [
        "ZADD",
        "r41",
        "0",
        Buffer.from([0x00]),
        "0",
        Buffer.from([0x7f]),
        "0",
        Buffer.from([0x80]),
        "0",
        Buffer.from([0xff]),
      ],
      ["ZRANGEBYLEX", "r41", Buffer.from([0x5b, 0x7f]), "+"],
      ["ZRANGEBYLEX", "r41", "(", Buffer.from([0x28, 0xff])],
      ["ZLEXCOUNT", "r41", "[", "+"],
    ],
  },
  {
    name: "lex bounds with an empty value",
    steps: [letters("r42"), ["ZRANGEBYLEX", "r42", "[", "[b"], ["ZRANGEBYLEX", "r42", "(", "(b"]],
  },
  {
    name: "WITHSCORES is refused with BYLEX",
    steps: [
      letters("r43"),
      ["ZRANGEBYLEX", "r43", "-", "+", "WITHSCORES"],
      ["ZRANGE", "r43", "-", "+", "BYLEX", "WITHSCORES"],
      ["ZRANGE", "r43", "bad", "+", "BYLEX", "WITHSCORES"],
    ],
  },
  {
    name: "ZRANGEBYLEX with mixed scores follows the score order",
    steps: [
      ["ZADD", "r44", "1", "a", "0", "b", "0", "c", "2", "d"],
      ["ZRANGEBYLEX", "r44", "-", "+"],
      ["ZRANGEBYLEX", "r44", "[b", "[c"],
    ],
  },

  // ---------------------------------------------------------------- counts
  {
    name: "ZCOUNT",
    steps: [
      ten("r45"),
      ["ZCOUNT", "r45", "2", "4"],
      ["ZCOUNT", "r45", "(2", "(4"],
      ["ZCOUNT", "r45", "-inf", "+inf"],
      ["ZCOUNT", "r45", "5", "1"],
      ["ZCOUNT", "r45", "(5", "5"],
    ],
  },
  {
    name: "ZCOUNT errors and missing key",
    steps: [
      ["ZCOUNT", "r46", "0", "1"],
      ["ZCOUNT", "r46", "x", "1"],
      ["SET", "r46s", "x"],
      ["ZCOUNT", "r46s", "0", "1"],
      ["ZCOUNT", "r46s", "x", "1"],
    ],
  },
  {
    name: "ZLEXCOUNT",
    steps: [
      letters("r47"),
      ["ZLEXCOUNT", "r47", "-", "+"],
      ["ZLEXCOUNT", "r47", "[b", "(e"],
      ["ZLEXCOUNT", "r47", "+", "-"],
      ["ZLEXCOUNT", "r47", "(g", "+"],
    ],
  },
  {
    name: "ZLEXCOUNT errors and missing key",
    steps: [
      ["ZLEXCOUNT", "r48", "-", "+"],
      ["ZLEXCOUNT", "r48", "a", "+"],
      ["SET", "r48s", "x"],
      ["ZLEXCOUNT", "r48s", "-", "+"],
      ["ZLEXCOUNT", "r48s", "x", "+"],
    ],
  },

  // ---------------------------------------------------------------- removals by range
  {
    name: "ZREMRANGEBYRANK",
    steps: [
      ten("r49"),
      ["ZREMRANGEBYRANK", "r49", "2", "4"],
      ["ZRANGE", "r49", "0", "-1"],
      ["ZREMRANGEBYRANK", "r49", "-2", "-1"],
      ["ZRANGE", "r49", "0", "-1"],
    ],
  },
  {
    name: "ZREMRANGEBYRANK out of range",
    steps: [
      ten("r50"),
      ["ZREMRANGEBYRANK", "r50", "10", "20"],
      ["ZREMRANGEBYRANK", "r50", "5", "2"],
      ["ZREMRANGEBYRANK", "r50", "-100", "0"],
      ["ZCARD", "r50"],
    ],
  },
  {
    name: "ZREMRANGEBYRANK removing everything deletes the key",
    steps: [ten("r51"), ["ZREMRANGEBYRANK", "r51", "0", "-1"], ["EXISTS", "r51"]],
  },
  {
    name: "ZREMRANGEBYRANK errors",
    steps: [
      ["ZREMRANGEBYRANK", "r52", "0", "1"],
      ["ZREMRANGEBYRANK", "r52", "a", "1"],
      ["SET", "r52s", "x"],
      ["ZREMRANGEBYRANK", "r52s", "0", "1"],
      ["ZREMRANGEBYRANK", "r52s", "0"],
    ],
  },
  {
    name: "ZREMRANGEBYSCORE",
    steps: [
      ten("r53"),
      ["ZREMRANGEBYSCORE", "r53", "(2", "5"],
      ["ZRANGE", "r53", "0", "-1"],
      ["ZREMRANGEBYSCORE", "r53", "-inf", "(1"],
      ["ZRANGE", "r53", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZREMRANGEBYSCORE empty and full ranges",
    steps: [
      ten("r54"),
      ["ZREMRANGEBYSCORE", "r54", "5", "4"],
      ["ZREMRANGEBYSCORE", "r54", "(3", "(4"],
      ["ZREMRANGEBYSCORE", "r54", "-inf", "+inf"],
      ["EXISTS", "r54"],
    ],
  },
  {
    name: "ZREMRANGEBYSCORE errors",
    steps: [
      ["ZREMRANGEBYSCORE", "r55", "0", "1"],
      ["ZREMRANGEBYSCORE", "r55", "a", "1"],
      ["SET", "r55s", "x"],
      ["ZREMRANGEBYSCORE", "r55s", "0", "1"],
    ],
  },
  {
    name: "ZREMRANGEBYLEX",
    steps: [
      letters("r56"),
      ["ZREMRANGEBYLEX", "r56", "[b", "(e"],
      ["ZRANGE", "r56", "0", "-1"],
      ["ZREMRANGEBYLEX", "r56", "-", "[a"],
      ["ZRANGE", "r56", "0", "-1"],
    ],
  },
  {
    name: "ZREMRANGEBYLEX everything and empty ranges",
    steps: [
      letters("r57"),
      ["ZREMRANGEBYLEX", "r57", "+", "-"],
      ["ZREMRANGEBYLEX", "r57", "-", "+"],
      ["EXISTS", "r57"],
    ],
  },
  {
    name: "ZREMRANGEBYLEX errors",
    steps: [
      ["ZREMRANGEBYLEX", "r58", "-", "+"],
      ["ZREMRANGEBYLEX", "r58", "a", "+"],
      ["SET", "r58s", "x"],
      ["ZREMRANGEBYLEX", "r58s", "-", "+"],
    ],
  },

  // ---------------------------------------------------------------- ZRANGESTORE
  {
    name: "ZRANGESTORE by rank",
    steps: [
      ten("r59"),
      ["ZRANGESTORE", "r59d", "r59", "2", "4"],
      ["ZRANGE", "r59d", "0", "-1", "WITHSCORES"],
      ["TYPE", "r59d"],
    ],
  },
  {
    name: "ZRANGESTORE BYSCORE REV LIMIT",
    steps: [
      ten("r60"),
      ["ZRANGESTORE", "r60d", "r60", "8", "(2", "BYSCORE", "REV", "LIMIT", "1", "2"],
      ["ZRANGE", "r60d", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "ZRANGESTORE BYLEX",
    steps: [
      letters("r61"),
      ["ZRANGESTORE", "r61d", "r61", "[b", "[d", "BYLEX"],
      ["ZRANGE", "r61d", "0", "-1"],
    ],
  },
  {
    name: "ZRANGESTORE overwrites any type and drops the TTL",
    steps: [
      ten("r62"),
      ["SET", "r62d", "x", "EX", "100"],
      ["ZRANGESTORE", "r62d", "r62", "0", "0"],
      ["TYPE", "r62d"],
      ["TTL", "r62d"],
    ],
  },
  {
    name: "ZRANGESTORE of an empty range deletes the destination",
    steps: [ten("r63"), ["SET", "r63d", "x"], ["ZRANGESTORE", "r63d", "r63", "20", "30"], ["EXISTS", "r63d"]],
  },
  {
    name: "ZRANGESTORE of a missing source deletes the destination",
    steps: [
      ["SET", "r64d", "x"],
      ["ZRANGESTORE", "r64d", "r64", "0", "-1"],
      ["EXISTS", "r64d"],
    ],
  },
  {
    name: "ZRANGESTORE does not take WITHSCORES",
    steps: [ten("r65"), ["ZRANGESTORE", "r65d", "r65", "0", "-1", "WITHSCORES"], ["EXISTS", "r65d"]],
  },
  {
    name: "ZRANGESTORE onto its own source",
    steps: [ten("r66"), ["ZRANGESTORE", "r66", "r66", "0", "2"], ["ZRANGE", "r66", "0", "-1"]],
  },
  {
    name: "ZRANGESTORE from a wrong type and arity",
    steps: [
      ["SET", "r67", "x"],
      ["ZRANGESTORE", "r67d", "r67", "0", "-1"],
      ["EXISTS", "r67d"],
      ["ZRANGESTORE", "r67d", "r67", "0"],
    ],
  },

  // ---------------------------------------------------------------- RESP3 shapes
  {
    name: "RESP3: ZRANGE WITHSCORES nests pairs",
    resp3: true,
    steps: [ten("r68"), ["ZRANGE", "r68", "0", "2", "WITHSCORES"], ["ZRANGE", "r68", "0", "2"]],
  },
  {
    name: "RESP3: ZRANGEBYSCORE WITHSCORES with LIMIT",
    resp3: true,
    steps: [
      ten("r69"),
      ["ZRANGEBYSCORE", "r69", "(1", "5", "WITHSCORES", "LIMIT", "1", "2"],
      ["ZREVRANGEBYSCORE", "r69", "+inf", "-inf", "WITHSCORES", "LIMIT", "0", "1"],
    ],
  },
  {
    name: "RESP3: empty ranges",
    resp3: true,
    steps: [
      ten("r70"),
      ["ZRANGE", "r70", "20", "30", "WITHSCORES"],
      ["ZRANGEBYSCORE", "r70", "100", "200", "WITHSCORES"],
      ["ZRANGE", "r70x", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "RESP3: ZREVRANGE WITHSCORES and ZRANGESTORE",
    resp3: true,
    steps: [
      ten("r71"),
      ["ZREVRANGE", "r71", "0", "1", "WITHSCORES"],
      ["ZRANGESTORE", "r71d", "r71", "0", "1"],
    ],
  },
  {
    name: "RESP3: ZRANGEBYLEX",
    resp3: true,
    steps: [letters("r72"), ["ZRANGEBYLEX", "r72", "[b", "[c"], ["ZLEXCOUNT", "r72", "-", "+"]],
  },
];
