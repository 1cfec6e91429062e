/*
 * Differential cases: sorted set encodings. OBJECT ENCODING before and after the
 * listpack -> skiplist conversion at zset-max-listpack-entries and
 * zset-max-listpack-value (both at the exact threshold and one past it), the
 * one-way rule, the encodings Redis picks for stored results, and the commands
 * re-run on skiplist-encoded sets (forced with zset-max-listpack-entries 0).
 *
 * Cases that change a threshold restore it in a last step (CONFIG SET outlives
 * the FLUSHALL between cases). Every case uses its own key names.
 */
import { type DiffCase, quiet, type Step } from "../corpus-types.js";

const DEFAULT_ENTRIES = "128";
const DEFAULT_VALUE = "64";

/** ZADD `key` with members m0..m{count-1} scored 0..count-1. */
function zaddMany(key: string, count: number, from = 0): string[] {
  const argv = ["ZADD", key];
  for (let i = from; i < from + count; i++) argv.push(String(i), `m${i}`);
  return argv;
}

/** Run `steps` with zset-max-listpack-entries set to `entries`, restoring the default after. */
function withEntries(entries: string, steps: Step[]): Step[] {
  return [
    quiet("CONFIG", "SET", "zset-max-listpack-entries", entries),
    ...steps,
    quiet("CONFIG", "SET", "zset-max-listpack-entries", DEFAULT_ENTRIES),
  ];
}

/** Run `steps` with zset-max-listpack-value set to `value`, restoring the default after. */
function withValue(value: string, steps: Step[]): Step[] {
  return [
    quiet("CONFIG", "SET", "zset-max-listpack-value", value),
    ...steps,
    quiet("CONFIG", "SET", "zset-max-listpack-value", DEFAULT_VALUE),
  ];
}

/**
 * The same script on a listpack and on a skiplist: two cases. Keys get a suffix
 * per encoding so the two never share keys.
 */
function bothEncodings(name: string, build: (suffix: string) => Step[]): DiffCase[] {
  return [
    { name: `${name} (listpack)`, steps: build("lp") },
    { name: `${name} (skiplist)`, steps: withEntries("0", build("sl")) },
  ];
}

/** A script on a listpack only (one case), with the same naming as bothEncodings. */
function listpackOnly(name: string, build: (suffix: string) => Step[]): DiffCase[] {
  return [{ name: `${name} (listpack)`, steps: build("lp") }];
}

export const corpus: readonly DiffCase[] = [
  // ---------------------------------------------------------------- thresholds
  {
    name: "a new small sorted set is a listpack",
    steps: [
      ["ZADD", "e1", "1", "a"],
      ["OBJECT", "ENCODING", "e1"],
    ],
  },
  {
    name: "128 members stay a listpack, 129 convert",
    steps: [
      zaddMany("e2", 128),
      ["OBJECT", "ENCODING", "e2"],
      ["ZADD", "e2", "500", "extra"],
      ["OBJECT", "ENCODING", "e2"],
      ["ZCARD", "e2"],
    ],
  },
  {
    name: "one ZADD of 129 members converts",
    steps: [zaddMany("e3", 129), ["OBJECT", "ENCODING", "e3"], ["ZRANGE", "e3", "126", "128", "WITHSCORES"]],
  },
  {
    name: "a 64-byte member stays a listpack, 65 bytes convert",
    steps: [
      ["ZADD", "e4", "1", "x".repeat(64)],
      ["OBJECT", "ENCODING", "e4"],
      ["ZADD", "e4", "2", "y".repeat(65)],
      ["OBJECT", "ENCODING", "e4"],
    ],
  },
  {
    name: "a long first member creates a skiplist",
    steps: [
      ["ZADD", "e5", "1", "z".repeat(65)],
      ["OBJECT", "ENCODING", "e5"],
    ],
  },
  {
    name: "conversion is one-way",
    steps: [
      zaddMany("e6", 129),
      ["ZREMRANGEBYRANK", "e6", "0", "-3"],
      ["ZCARD", "e6"],
      ["OBJECT", "ENCODING", "e6"],
    ],
  },
  {
    name: "updating scores never converts",
    steps: withEntries("2", [
      ["ZADD", "e7", "1", "a", "2", "b"],
      ["ZADD", "e7", "5", "a", "6", "b"],
      ["ZINCRBY", "e7", "1", "a"],
      ["OBJECT", "ENCODING", "e7"],
    ]),
  },
  {
    name: "XX never converts",
    steps: withEntries("1", [
      ["ZADD", "e8", "1", "a"],
      ["ZADD", "e8", "XX", "1", "b"],
      ["OBJECT", "ENCODING", "e8"],
    ]),
  },
  {
    name: "lowered entries threshold applies to the next insertion",
    steps: [
      zaddMany("e9", 10),
      ["OBJECT", "ENCODING", "e9"],
      ...withEntries("5", [
        ["OBJECT", "ENCODING", "e9"],
        ["ZADD", "e9", "1", "m1"],
        ["OBJECT", "ENCODING", "e9"],
        ["ZADD", "e9", "99", "new"],
        ["OBJECT", "ENCODING", "e9"],
      ]),
    ],
  },
  {
    name: "lowered value threshold",
    steps: withValue("3", [
      ["ZADD", "e10", "1", "abc"],
      ["OBJECT", "ENCODING", "e10"],
      ["ZADD", "e10", "2", "abcd"],
      ["OBJECT", "ENCODING", "e10"],
    ]),
  },
  {
    name: "entries threshold 0 means always a skiplist",
    steps: withEntries("0", [
      ["ZADD", "e11", "1", "a"],
      ["OBJECT", "ENCODING", "e11"],
      ["ZINCRBY", "e11b", "1", "a"],
      ["OBJECT", "ENCODING", "e11b"],
    ]),
  },
  {
    name: "raising the threshold does not convert back",
    steps: withEntries("0", [
      ["ZADD", "e12", "1", "a"],
      quiet("CONFIG", "SET", "zset-max-listpack-entries", "128"),
      ["ZADD", "e12", "2", "b"],
      ["OBJECT", "ENCODING", "e12"],
    ]),
  },

  // ---------------------------------------------------------------- stored results
  {
    name: "ZUNIONSTORE of skiplists gives a listpack when small",
    steps: [
      ...withEntries("0", [
        ["ZADD", "e13a", "1", "a"],
        ["ZADD", "e13b", "2", "b"],
      ]),
      ["OBJECT", "ENCODING", "e13a"],
      ["ZUNIONSTORE", "e13d", "2", "e13a", "e13b"],
      ["OBJECT", "ENCODING", "e13d"],
    ],
  },
  {
    name: "ZUNIONSTORE of 129 members gives a skiplist",
    steps: [
      zaddMany("e14a", 100),
      zaddMany("e14b", 29, 100),
      ["ZUNIONSTORE", "e14d", "2", "e14a", "e14b"],
      ["OBJECT", "ENCODING", "e14d"],
      ["ZUNIONSTORE", "e14e", "1", "e14a"],
      ["OBJECT", "ENCODING", "e14e"],
    ],
  },
  {
    name: "ZINTERSTORE with a long member gives a skiplist",
    steps: [
      ["ZADD", "e15a", "1", "q".repeat(70), "2", "b"],
      ["ZADD", "e15b", "1", "q".repeat(70)],
      ["ZINTERSTORE", "e15d", "2", "e15a", "e15b"],
      ["OBJECT", "ENCODING", "e15d"],
    ],
  },
  {
    name: "ZRANGESTORE picks the encoding by the stored range",
    steps: [
      zaddMany("e16", 200),
      ["OBJECT", "ENCODING", "e16"],
      ["ZRANGESTORE", "e16d", "e16", "0", "127"],
      ["OBJECT", "ENCODING", "e16d"],
      ["ZRANGESTORE", "e16e", "e16", "0", "128"],
      ["OBJECT", "ENCODING", "e16e"],
      ["ZRANGESTORE", "e16f", "e16", "0", "(150", "BYSCORE"],
      ["OBJECT", "ENCODING", "e16f"],
    ],
  },
  {
    name: "-0 survives in a skiplist, not in a listpack",
    steps: withEntries("0", [
      ["ZADD", "e17", "-0", "a"],
      ["ZSCORE", "e17", "a"],
      ["ZRANGESTORE", "e17d", "e17", "0", "-1"],
      quiet("CONFIG", "SET", "zset-max-listpack-entries", "128"),
      ["ZRANGESTORE", "e17e", "e17", "0", "-1"],
      ["OBJECT", "ENCODING", "e17e"],
      ["ZSCORE", "e17e", "a"],
    ]),
  },

  // ---------------------------------------------------------------- the commands on both encodings
  ...bothEncodings("ZADD, ZSCORE, ZRANK on", (s) => [
    ["ZADD", `e18${s}`, "3", "c", "1", "a", "2", "b", "2", "bb"],
    ["OBJECT", "ENCODING", `e18${s}`],
    ["ZSCORE", `e18${s}`, "bb"],
    ["ZRANK", `e18${s}`, "bb"],
    ["ZREVRANK", `e18${s}`, "a"],
    ["ZMSCORE", `e18${s}`, "a", "zz", "c"],
    ["ZRANGE", `e18${s}`, "0", "-1", "WITHSCORES"],
  ]),
  ...bothEncodings("score updates move members on", (s) => [
    zaddMany(`e19${s}`, 20),
    ["ZADD", `e19${s}`, "100", "m0", "-1", "m19", "5.5", "m10"],
    ["ZINCRBY", `e19${s}`, "-200", "m5"],
    ["ZRANGE", `e19${s}`, "0", "-1", "WITHSCORES"],
    ["ZRANK", `e19${s}`, "m10"],
  ]),
  ...bothEncodings("rank ranges on", (s) => [
    zaddMany(`e20${s}`, 30),
    ["ZRANGE", `e20${s}`, "5", "9"],
    ["ZRANGE", `e20${s}`, "-5", "-1", "WITHSCORES"],
    ["ZREVRANGE", `e20${s}`, "0", "4", "WITHSCORES"],
    ["ZRANGE", `e20${s}`, "25", "100", "REV"],
  ]),
  ...bothEncodings("score ranges on", (s) => [
    zaddMany(`e21${s}`, 30),
    ["ZRANGEBYSCORE", `e21${s}`, "(5", "10", "WITHSCORES"],
    ["ZREVRANGEBYSCORE", `e21${s}`, "20", "(15"],
    ["ZRANGEBYSCORE", `e21${s}`, "-inf", "+inf", "LIMIT", "25", "10"],
    ["ZREVRANGEBYSCORE", `e21${s}`, "+inf", "-inf", "LIMIT", "3", "2", "WITHSCORES"],
    ["ZCOUNT", `e21${s}`, "(3", "7"],
    ["ZCOUNT", `e21${s}`, "100", "200"],
  ]),
  ...bothEncodings("lex ranges on", (s) => [
    ["ZADD", `e22${s}`, "0", "alpha", "0", "beta", "0", "delta", "0", "gamma", "0", "omega", "0", "pi"],
    ["ZRANGEBYLEX", `e22${s}`, "[beta", "(omega"],
    ["ZREVRANGEBYLEX", `e22${s}`, "+", "(delta", "LIMIT", "1", "2"],
    ["ZLEXCOUNT", `e22${s}`, "-", "[gamma"],
    ["ZLEXCOUNT", `e22${s}`, "(pi", "+"],
    ["ZREMRANGEBYLEX", `e22${s}`, "[delta", "[omega"],
    ["ZRANGE", `e22${s}`, "0", "-1"],
  ]),
  // Lex ranges over members out of lex order (mixed scores) are compared on a
  // listpack only: Redis walks a listpack linearly, but the answer on a skiplist
  // depends on its random node levels, in Redis as in Spinel.
  ...listpackOnly("lex ranges over mixed scores walk as Redis does on", (s) => [
    ["ZADD", `e30${s}`, "0", "b", "1", "a", "2", "d", "3", "c", "4", "e"],
    ["ZRANGEBYLEX", `e30${s}`, "[a", "[c"],
    ["ZRANGEBYLEX", `e30${s}`, "[b", "+"],
    ["ZREVRANGEBYLEX", `e30${s}`, "[d", "-"],
    ["ZREVRANGEBYLEX", `e30${s}`, "+", "[b", "LIMIT", "1", "2"],
    ["ZLEXCOUNT", `e30${s}`, "[a", "[d"],
    ["ZLEXCOUNT", `e30${s}`, "-", "(b"],
    ["ZREMRANGEBYLEX", `e30${s}`, "(a", "[c"],
    ["ZRANGE", `e30${s}`, "0", "-1"],
    ["ZREMRANGEBYLEX", `e30${s}`, "[a", "[a"],
    ["ZRANGE", `e30${s}`, "0", "-1"],
  ]),
  ...listpackOnly("ZREMRANGEBYLEX over members out of lex order removes what Redis removes on", (s) => [
    ["ZADD", `e31${s}`, "0", "a", "1", "c", "2", "b"],
    ["ZREMRANGEBYLEX", `e31${s}`, "[c", "[c"],
    ["ZRANGE", `e31${s}`, "0", "-1"],
    ["ZADD", `e31${s}x`, "0", "a", "1", "c", "2", "b", "3", "d"],
    ["ZREMRANGEBYLEX", `e31${s}x`, "(a", "[b"],
    ["ZRANGE", `e31${s}x`, "0", "-1"],
  ]),
  ...bothEncodings("removals on", (s) => [
    zaddMany(`e23${s}`, 30),
    ["ZREM", `e23${s}`, "m0", "m29", "nope"],
    ["ZREMRANGEBYRANK", `e23${s}`, "0", "4"],
    ["ZREMRANGEBYSCORE", `e23${s}`, "(20", "+inf"],
    ["ZRANGE", `e23${s}`, "0", "-1"],
    ["ZREMRANGEBYRANK", `e23${s}`, "0", "-1"],
    ["EXISTS", `e23${s}`],
  ]),
  ...bothEncodings("pops on", (s) => [
    zaddMany(`e24${s}`, 10),
    ["ZPOPMIN", `e24${s}`, "3"],
    ["ZPOPMAX", `e24${s}`],
    ["ZMPOP", "1", `e24${s}`, "MAX", "COUNT", "2"],
    ["ZRANGE", `e24${s}`, "0", "-1", "WITHSCORES"],
    ["ZPOPMIN", `e24${s}`, "100"],
    ["EXISTS", `e24${s}`],
  ]),
  ...bothEncodings("ZRANDMEMBER of the whole set on", (s) => [
    zaddMany(`e25${s}`, 6),
    ["ZRANDMEMBER", `e25${s}`, "6"],
    ["ZRANDMEMBER", `e25${s}`, "10", "WITHSCORES"],
  ]),
  ...bothEncodings("set algebra on", (s) => [
    zaddMany(`e26${s}a`, 8),
    zaddMany(`e26${s}b`, 8, 4),
    ["ZUNION", "2", `e26${s}a`, `e26${s}b`, "WITHSCORES"],
    ["ZINTER", "2", `e26${s}a`, `e26${s}b`, "WEIGHTS", "2", "3", "WITHSCORES"],
    ["ZDIFF", "2", `e26${s}a`, `e26${s}b`, "WITHSCORES"],
    ["ZINTERCARD", "2", `e26${s}a`, `e26${s}b`, "LIMIT", "2"],
  ]),
  ...bothEncodings("scores and -0 on", (s) => [
    ["ZADD", `e27${s}`, "-0", "z", "1.1", "a", "1e17", "b", "-inf", "c", "5e-324", "d"],
    ["ZRANGE", `e27${s}`, "0", "-1", "WITHSCORES"],
    ["ZSCORE", `e27${s}`, "z"],
  ]),
  ...bothEncodings("binary members on", (s) => [
    ["ZADD", `e28${s}`, "1", Buffer.from([0xff, 0x00]), "1", Buffer.from([0x00]), "1", Buffer.from("\r\n")],
    ["ZRANGE", `e28${s}`, "0", "-1"],
    ["ZRANK", `e28${s}`, Buffer.from([0xff, 0x00])],
    ["ZREM", `e28${s}`, Buffer.from([0x00])],
    ["ZRANGE", `e28${s}`, "0", "-1", "WITHSCORES"],
  ]),
  ...bothEncodings("COPY gives an independent sorted set on", (s) => [
    zaddMany(`e32${s}`, 5),
    ["COPY", `e32${s}`, `e32${s}c`],
    ["OBJECT", "ENCODING", `e32${s}c`],
    ["ZADD", `e32${s}c`, "9", "new"],
    ["ZREM", `e32${s}`, "m0"],
    ["ZRANGE", `e32${s}`, "0", "-1", "WITHSCORES"],
    ["ZRANGE", `e32${s}c`, "0", "-1", "WITHSCORES"],
    ["ZRANK", `e32${s}c`, "new"],
  ]),
  ...bothEncodings("writes keep the TTL, RENAME and MOVE carry the set, on", (s) => [
    zaddMany(`e33${s}`, 3),
    ["EXPIRE", `e33${s}`, "100"],
    ["ZADD", `e33${s}`, "5", "x"],
    ["ZINCRBY", `e33${s}`, "1", "x"],
    ["ZREM", `e33${s}`, "m0"],
    ["TTL", `e33${s}`],
    ["RENAME", `e33${s}`, `e33${s}r`],
    ["ZRANGE", `e33${s}r`, "0", "-1"],
    ["MOVE", `e33${s}r`, "1"],
    ["EXISTS", `e33${s}r`],
    quiet("SELECT", "1"),
    ["ZCARD", `e33${s}r`],
    ["OBJECT", "ENCODING", `e33${s}r`],
    quiet("DEL", `e33${s}r`),
    quiet("SELECT", "0"),
  ]),
  ...bothEncodings("RESP3 replies on", (s) => [
    quiet("HELLO", "3"),
    zaddMany(`e29${s}`, 5),
    ["ZRANGE", `e29${s}`, "0", "1", "WITHSCORES"],
    ["ZPOPMAX", `e29${s}`, "1"],
    ["ZSCORE", `e29${s}`, "m1"],
  ]),
];
