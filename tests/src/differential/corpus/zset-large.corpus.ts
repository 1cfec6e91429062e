/*
 * Differential cases: large sorted sets, big enough that Spinel's index of them
 * (an order-statistic B+tree) has several levels of nodes, and Redis' skiplist
 * many levels. Ranks, ranges by index / score / lex, range removals, score
 * updates that move members across the set, pops and stores, each checked on
 * the whole set afterwards.
 *
 * Scores repeat (ties ordered by member bytes); members are inserted in a
 * scrambled order. Every case uses its own key names.
 */
import { type DiffCase, quiet, type Step, sameType } from "../corpus-types.js";

/** Members in one large set. */
const SIZE = 12_000;
/** Pairs per ZADD. */
const BATCH = 1_000;

/** Member `i`: zero-padded, so byte order and number order agree. */
function member(i: number): string {
  return `m${String(i).padStart(6, "0")}`;
}

/**
 * ZADDs filling `key` with SIZE members, in a scrambled order, scored by
 * `scoreOf` (quiet: the replies are the counts, checked by ZCARD after).
 */
function fill(key: string, scoreOf: (i: number) => string): Step[] {
  const steps: Step[] = [];
  for (let start = 0; start < SIZE; start += BATCH) {
    const argv = ["ZADD", key];
    for (let k = start; k < start + BATCH; k++) {
      const i = (k * 7919) % SIZE; // 7919 is prime, so this visits every i once
      argv.push(scoreOf(i), member(i));
    }
    steps.push(quiet(...argv));
  }
  return steps;
}

/** 500 distinct scores, each shared by ~24 members, some of them fractional. */
const tiedScore = (i: number): string => String(((i * 37) % 500) / (i % 3 === 0 ? 4 : 1));

export const corpus: readonly DiffCase[] = [
  {
    name: "large set: ranks, scores and encoding",
    steps: [
      ...fill("big1", tiedScore),
      ["ZCARD", "big1"],
      ["OBJECT", "ENCODING", "big1"],
      ...[0, 1, 57, 999, 5000, 8191, 11_998, 11_999].flatMap((i): Step[] => [
        ["ZRANK", "big1", member(i)],
        ["ZREVRANK", "big1", member(i)],
        ["ZSCORE", "big1", member(i)],
      ]),
      ["ZRANK", "big1", "absent"],
      ["ZMSCORE", "big1", member(3), "absent", member(4)],
    ],
  },
  {
    name: "large set: ranges by index, both directions",
    steps: [
      ...fill("big2", tiedScore),
      ["ZRANGE", "big2", "0", "9", "WITHSCORES"],
      ["ZRANGE", "big2", "5990", "6010", "WITHSCORES"],
      ["ZRANGE", "big2", "-12", "-1"],
      ["ZRANGE", "big2", "100", "140", "REV", "WITHSCORES"],
      ["ZREVRANGE", "big2", "11990", "20000"],
      ["ZRANGE", "big2", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "large set: ranges by score with LIMIT, counts",
    steps: [
      ...fill("big3", tiedScore),
      ["ZRANGEBYSCORE", "big3", "100", "101", "WITHSCORES"],
      ["ZRANGEBYSCORE", "big3", "(100", "(101"],
      ["ZRANGEBYSCORE", "big3", "-inf", "+inf", "LIMIT", "5000", "15"],
      ["ZRANGE", "big3", "250", "+inf", "BYSCORE", "LIMIT", "0", "10"],
      ["ZREVRANGEBYSCORE", "big3", "(300", "299", "WITHSCORES"],
      ["ZREVRANGEBYSCORE", "big3", "+inf", "-inf", "LIMIT", "11990", "20"],
      ["ZRANGEBYSCORE", "big3", "499", "+inf"],
      ["ZRANGEBYSCORE", "big3", "600", "+inf"],
      ["ZRANGEBYSCORE", "big3", "-inf", "(0"],
      ["ZCOUNT", "big3", "-inf", "+inf"],
      ["ZCOUNT", "big3", "(12.25", "400"],
      ["ZCOUNT", "big3", "123.75", "123.75"],
      ["ZCOUNT", "big3", "(5", "(5"],
    ],
  },
  {
    name: "large set of equal scores: lex ranges, counts and removal",
    steps: [
      ...fill("big4", () => "0"),
      ["ZRANGEBYLEX", "big4", "[m001000", "(m001020"],
      ["ZREVRANGEBYLEX", "big4", "+", "(m011990"],
      ["ZRANGEBYLEX", "big4", "-", "+", "LIMIT", "7000", "12"],
      ["ZRANGE", "big4", "[m005000", "[m005003", "BYLEX"],
      ["ZLEXCOUNT", "big4", "-", "+"],
      ["ZLEXCOUNT", "big4", "(m000100", "[m009999"],
      ["ZLEXCOUNT", "big4", "[n", "+"],
      ["ZREMRANGEBYLEX", "big4", "[m002000", "(m010000"],
      ["ZCARD", "big4"],
      ["ZRANK", "big4", member(10_000)],
      ["ZRANGE", "big4", "1995", "2005"],
      ["ZREMRANGEBYLEX", "big4", "-", "(m000500"],
      ["ZRANGE", "big4", "0", "-1"],
    ],
  },
  {
    name: "large set: range removals by rank and score",
    steps: [
      ...fill("big5", tiedScore),
      ["ZREMRANGEBYRANK", "big5", "1000", "5999"],
      ["ZCARD", "big5"],
      ["ZRANGE", "big5", "995", "1005", "WITHSCORES"],
      ["ZREMRANGEBYSCORE", "big5", "(100", "300"],
      ["ZREMRANGEBYRANK", "big5", "-50", "-1"],
      ["ZREMRANGEBYSCORE", "big5", "-inf", "10"],
      ["ZCARD", "big5"],
      ["ZRANGE", "big5", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "large set: score updates move members across the set",
    steps: [
      ...fill("big6", tiedScore),
      ...Array.from({ length: 300 }, (_, k): Step => {
        const i = (k * 811) % SIZE;
        const by = k % 3 === 0 ? "0.5" : k % 3 === 1 ? "-250" : "1000";
        return ["ZINCRBY", "big6", by, member(i)];
      }),
      ["ZADD", "big6", "XX", "GT", "CH", "450", member(1), "1", member(2), "2000", member(3)],
      ["ZADD", "big6", "LT", "CH", "-1", member(11_999), "9999", member(11_998)],
      ["ZREM", "big6", member(0), member(5), member(6000), member(11_997), "absent"],
      ["ZRANK", "big6", member(811)],
      ["ZRANGE", "big6", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "large set: pops, stores and set operations",
    steps: [
      ...fill("big7", tiedScore),
      ...fill("big8", (i) => String(i % 7)),
      ["ZPOPMIN", "big7", "5"],
      ["ZPOPMAX", "big7", "5"],
      ["ZRANGESTORE", "slice7", "big7", "100", "299"],
      ["OBJECT", "ENCODING", "slice7"],
      ["ZRANGE", "slice7", "0", "-1", "WITHSCORES"],
      ["ZINTERSTORE", "inter78", "2", "big7", "big8", "WEIGHTS", "1", "100"],
      ["ZRANGE", "inter78", "0", "20", "WITHSCORES"],
      ["ZRANGE", "inter78", "-20", "-1", "WITHSCORES"],
      ["ZCARD", "inter78"],
      ["ZDIFF", "2", "big8", "slice7", "WITHSCORES"],
      sameType("ZRANDMEMBER", "big7", "3", "WITHSCORES"),
      sameType("ZSCAN", "big7", "0"),
    ],
  },
];
