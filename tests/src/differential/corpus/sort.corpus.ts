/*
 * Differential cases: SORT and SORT_RO over lists, sets and sorted sets:
 * numeric and ALPHA order, ties, BY patterns (string keys, hash fields,
 * constants that disable sorting), GET patterns (including "#"), LIMIT
 * windows at and beyond the edges, ASC/DESC, STORE (overwriting, TTLs,
 * deleting on an empty result), errors and their order, encodings, RESP3,
 * COMMAND GETKEYS.
 *
 * Comparison: sorting defines the order, so replies compare exactly, except
 * BY nosort over a hashtable set (its iteration order is not defined; compared
 * as a multiset). ALPHA without STORE orders with the server's strcoll(); the
 * cases use lowercase ASCII there, ordered alike in every common locale, and
 * put other bytes only under STORE (plain byte order).
 *
 * No case here feeds SORT a weight that makes strtod() set ERANGE: Redis 7.0
 * does not clear errno before testing it, so such a case would make the same
 * server refuse valid weights in later cases. Those weights are covered by
 * tests/src/sort/sort-random.test.ts, which clears errno between probes. For
 * the same reason every case starts with a ZADD (not compared), whose score
 * parser clears errno, in case an earlier corpus left it set.
 */
import { type DiffCase, quiet, unordered } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** Exact bytes written as a latin1 string ("\xff" is the byte 0xff, not its UTF-8 form). */
const raw = (text: string): Buffer => Buffer.from(text, "latin1");

/** The decimal strings of a pseudo-random permutation of 0..count-1. */
function shuffled(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(String((i * 37 + 11) % count));
  return out;
}

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- numeric order
  {
    name: "SORT a list of integers, ascending and descending",
    steps: [
      ["RPUSH", "@l", "3", "10", "-2", "7", "0", "10"],
      ["SORT", "@l"],
      ["SORT", "@l", "ASC"],
      ["SORT", "@l", "DESC"],
      ["LRANGE", "@l", "0", "-1"],
    ],
  },
  {
    name: "SORT numbers written every way strtod reads them",
    steps: [
      ["RPUSH", "@l", "2.5", "-1e3", "0x10", "+7", " 3", "\t4", ".5", "5.", "inf", "-INF", "1E2", "0X1p3"],
      ["SORT", "@l"],
      ["SORT", "@l", "DESC"],
    ],
  },
  {
    name: "SORT breaks numeric ties by the elements' bytes",
    steps: [
      ["RPUSH", "@l", "1.0", "1", "01", "+1", " 1", "0x1", "1e0", "-0", "0", "-0.0", "0.0"],
      ["SORT", "@l"],
      ["SORT", "@l", "DESC"],
    ],
  },
  {
    name: "SORT of integers beyond 2^53 ties where their doubles do",
    steps: [
      [
        "RPUSH",
        "@l",
        "9007199254740993",
        "9007199254740992",
        "9223372036854775807",
        "-9223372036854775808",
        "1e19",
      ],
      ["SORT", "@l"],
      ["SORT", "@l", "DESC"],
    ],
  },
  {
    name: "SORT weighs the empty string and text after a zero byte as strtod does",
    steps: [
      ["RPUSH", "@l", "", "2", raw("1\x00zzz"), "-1", raw("\x00x")],
      ["SORT", "@l"],
    ],
  },
  {
    name: "SORT refuses elements that are not numbers",
    steps: [
      ["RPUSH", "@l", "1", "two", "3"],
      ["SORT", "@l"],
      ["RPUSH", "@m", "1 ", "2"],
      ["SORT", "@m"],
      ["RPUSH", "@n", "nan"],
      ["SORT", "@n"],
      ["RPUSH", "@o", "0x"],
      ["SORT", "@o", "STORE", "@dest"],
      ["EXISTS", "@dest"],
    ],
  },
  {
    name: "SORT of a list with duplicates",
    steps: [
      ["RPUSH", "@l", "5", "1", "5", "3", "1", "5"],
      ["SORT", "@l"],
      ["SORT", "@l", "DESC", "LIMIT", "1", "3"],
    ],
  },
  {
    name: "SORT of a long list",
    steps: [
      ["RPUSH", "@l", ...shuffled(300)],
      ["SORT", "@l", "LIMIT", "100", "50"],
      ["SORT", "@l", "DESC", "LIMIT", "0", "20"],
    ],
  },

  // ---------------------------------------------------------------- sets and sorted sets
  {
    name: "SORT of an intset",
    steps: [
      ["SADD", "@s", "30", "-5", "12", "7"],
      ["SORT", "@s"],
      ["SORT", "@s", "DESC"],
      ["OBJECT", "ENCODING", "@s"],
    ],
  },
  {
    name: "SORT of a hashtable set of numbers",
    steps: [
      ["SADD", "@s", "2.5", "1", "x1"],
      ["SREM", "@s", "x1"],
      ["SADD", "@s", "-3", "1e1"],
      ["OBJECT", "ENCODING", "@s"],
      ["SORT", "@s"],
      ["SORT", "@s", "DESC", "LIMIT", "1", "2"],
    ],
  },
  {
    name: "SORT of a sorted set sorts its members, not its scores",
    steps: [
      ["ZADD", "@z", "1", "30", "2", "10", "3", "20"],
      ["SORT", "@z"],
      ["SORT", "@z", "DESC"],
      ["SORT", "@z", "ALPHA"],
    ],
  },
  {
    name: "SORT converts a listpack sorted set to a skiplist",
    steps: [
      ["ZADD", "@z", "1", "a", "2", "b"],
      ["OBJECT", "ENCODING", "@z"],
      ["SORT", "@z", "BY", "nosort"],
      ["OBJECT", "ENCODING", "@z"],
      ["ZRANGE", "@z", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "SORT_RO converts it too, even when the sort fails",
    steps: [
      ["ZADD", "@z", "1", "a"],
      ["SORT_RO", "@z"],
      ["OBJECT", "ENCODING", "@z"],
      ["ZADD", "@y", "1", "1"],
      ["SORT_RO", "@y"],
      ["OBJECT", "ENCODING", "@y"],
    ],
  },
  {
    name: "SORT of a missing key",
    steps: [
      ["SORT", "@missing"],
      ["SORT", "@missing", "BY", "nosort", "DESC", "LIMIT", "0", "5", "GET", "#"],
      ["SORT_RO", "@missing", "ALPHA"],
    ],
  },

  // ---------------------------------------------------------------- ALPHA
  {
    name: "SORT ALPHA of lowercase words",
    steps: [
      ["RPUSH", "@l", "pear", "apple", "fig", "apples", "banana", "a", "fig10", "fig9"],
      ["SORT", "@l", "ALPHA"],
      ["SORT", "@l", "ALPHA", "DESC"],
      ["SORT", "@l", "ALPHA", "LIMIT", "2", "3"],
    ],
  },
  {
    name: "SORT ALPHA of sets and sorted sets of words",
    steps: [
      ["SADD", "@s", "delta", "alpha", "charlie", "bravo"],
      ["SORT", "@s", "ALPHA"],
      ["ZADD", "@z", "4", "alpha", "3", "bravo", "2", "charlie", "1", "delta"],
      ["SORT", "@z", "ALPHA", "DESC"],
      ["SORT", "@z", "BY", "nosort"],
    ],
  },
  {
    name: "SORT ALPHA STORE orders plain bytes",
    steps: [
      [
        "RPUSH",
        "@l",
        "b",
        "B",
        "a",
        "A",
        raw("\xff"),
        raw("\xc3\xa9"),
        "",
        "a b",
        "Z",
        "10",
        "9",
        raw("\x01"),
      ],
      ["SORT", "@l", "ALPHA", "STORE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
      ["SORT", "@l", "ALPHA", "DESC", "STORE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
    ],
  },
  {
    name: "SORT ALPHA compares up to a zero byte, and keeps ties in list order",
    steps: [
      ["RPUSH", "@l", raw("a\x00z"), "b", raw("a\x00b"), "a", raw("a\x00a")],
      ["SORT", "@l", "ALPHA"],
      ["SORT", "@l", "ALPHA", "STORE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
    ],
  },
  {
    name: "SORT ALPHA of binary elements",
    steps: [
      ["RPUSH", "@l", raw("x\r\ny"), raw("x\x00"), raw("\x00"), "x"],
      ["SORT", "@l", "ALPHA", "STORE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
    ],
  },

  // ---------------------------------------------------------------- LIMIT
  {
    name: "SORT LIMIT windows",
    steps: [
      ["RPUSH", "@l", "5", "3", "1", "4", "2"],
      ["SORT", "@l", "LIMIT", "0", "2"],
      ["SORT", "@l", "LIMIT", "1", "-1"],
      ["SORT", "@l", "LIMIT", "-1", "2"],
      ["SORT", "@l", "LIMIT", "3", "10"],
      ["SORT", "@l", "LIMIT", "4", "1"],
      ["SORT", "@l", "LIMIT", "5", "1"],
      ["SORT", "@l", "LIMIT", "0", "0"],
      ["SORT", "@l", "LIMIT", "2", "-5"],
    ],
  },
  {
    name: "SORT LIMIT with huge numbers",
    steps: [
      ["RPUSH", "@l", "3", "1", "2"],
      ["SORT", "@l", "LIMIT", "2", "9223372036854775807"],
      ["SORT", "@l", "LIMIT", "9223372036854775807", "1"],
      ["SORT", "@l", "LIMIT", "-9223372036854775808", "2"],
      ["SORT", "@l", "LIMIT", "1", "-9223372036854775808"],
      ["SORT", "@l", "DESC", "LIMIT", "1", "9223372036854775807"],
    ],
  },
  {
    name: "SORT LIMIT errors",
    steps: [
      ["RPUSH", "@l", "1"],
      ["SORT", "@l", "LIMIT", "x", "1"],
      ["SORT", "@l", "LIMIT", "0", "1.5"],
      ["SORT", "@l", "LIMIT", "0"],
      ["SORT", "@l", "LIMIT"],
      ["SORT", "@l", "LIMIT", "9223372036854775808", "1"],
    ],
  },
  {
    name: "SORT options are case-insensitive and the last ASC / DESC wins",
    steps: [
      ["RPUSH", "@l", "b", "c", "a"],
      ["SORT", "@l", "alpha", "desc", "limit", "0", "2"],
      ["SORT", "@l", "AlPhA", "DESC", "ASC"],
      ["SORT", "@l", "ALPHA", "ASC", "DESC", "ALPHA"],
    ],
  },

  // ---------------------------------------------------------------- BY
  {
    name: "SORT BY string keys",
    steps: [
      ["RPUSH", "@l", "1", "2", "3", "4"],
      ["MSET", "@w_1", "40", "@w_2", "10", "@w_3", "30", "@w_4", "20"],
      ["SORT", "@l", "BY", "@w_*"],
      ["SORT", "@l", "BY", "@w_*", "DESC"],
      ["SORT", "@l", "BY", "@w_*", "LIMIT", "1", "2"],
    ],
  },
  {
    name: "SORT BY with missing weights: they weigh 0, ties broken by the elements",
    steps: [
      ["RPUSH", "@l", "c", "a", "d", "b"],
      ["MSET", "@w_a", "-1", "@w_d", "5"],
      ["SORT", "@l", "BY", "@w_*"],
      ["SORT", "@l", "BY", "@w_*", "DESC"],
    ],
  },
  {
    name: "SORT BY hash fields",
    steps: [
      ["RPUSH", "@l", "1", "2", "3", "4"],
      ["HSET", "@h_1", "age", "30", "name", "ann"],
      ["HSET", "@h_2", "age", "25.5", "name", "bob"],
      ["HSET", "@h_3", "name", "cid"],
      ["SET", "@h_4", "99"],
      ["SORT", "@l", "BY", "@h_*->age"],
      ["SORT", "@l", "BY", "@h_*->age", "DESC", "GET", "@h_*->name"],
      ["SORT", "@l", "BY", "@h_*->name", "ALPHA"],
    ],
  },
  {
    name: "SORT BY a large hash (hashtable encoding)",
    steps: [
      ["RPUSH", "@l", "a", "b", "c"],
      ["HSET", "@h_a", "w", "3", "pad", "x".repeat(100)],
      ["HSET", "@h_b", "w", "1", "pad", "x".repeat(100)],
      ["HSET", "@h_c", "w", "2"],
      ["OBJECT", "ENCODING", "@h_a"],
      ["SORT", "@l", "BY", "@h_*->w"],
    ],
  },
  {
    name: "SORT BY ALPHA: missing values sort first",
    steps: [
      ["RPUSH", "@l", "1", "2", "3", "4"],
      ["MSET", "@n_1", "delta", "@n_2", "alpha", "@n_4", "charlie"],
      ["SORT", "@l", "BY", "@n_*", "ALPHA"],
      ["SORT", "@l", "BY", "@n_*", "ALPHA", "DESC"],
      ["SORT", "@l", "BY", "@n_*", "ALPHA", "LIMIT", "0", "2"],
    ],
  },
  {
    name: "SORT BY ALPHA keeps tied elements of a list in list order",
    steps: [
      ["RPUSH", "@l", "d", "b", "a", "c", "e"],
      ["MSET", "@n_a", "x", "@n_b", "x", "@n_c", "w"],
      ["SORT", "@l", "BY", "@n_*", "ALPHA"],
      ["SORT", "@l", "BY", "@n_*", "ALPHA", "STORE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
    ],
  },
  {
    name: "SORT BY weights that are not numbers",
    steps: [
      ["RPUSH", "@l", "1", "2"],
      ["MSET", "@w_1", "3", "@w_2", "heavy"],
      ["SORT", "@l", "BY", "@w_*"],
      ["SORT", "@l", "BY", "@w_*", "ALPHA"],
    ],
  },
  {
    name: "SORT BY keys of other types: treated as missing",
    steps: [
      ["RPUSH", "@l", "1", "2", "3"],
      ["RPUSH", "@w_1", "100"],
      ["SET", "@w_2", "-5"],
      ["SADD", "@w_3", "x"],
      ["SORT", "@l", "BY", "@w_*"],
      ["SET", "@h_1", "5"],
      ["SORT", "@l", "BY", "@h_*->f"],
    ],
  },
  {
    name: "SORT BY a pattern of only '*' reads the key named by the element",
    steps: [
      ["RPUSH", "@l", "k1", "k2", "k3"],
      ["MSET", "k1", "3", "k2", "1", "k3", "2"],
      ["SORT", "@l", "BY", "*"],
      ["SORT", "@l", "BY", "*", "GET", "*"],
    ],
  },
  {
    name: "SORT patterns replace only the first '*'; '->' needs a field after it",
    steps: [
      ["RPUSH", "@l", "1", "2"],
      ["MSET", "@w_1_*", "2", "@w_2_*", "1"],
      ["SORT", "@l", "BY", "@w_*_*"],
      ["MSET", "@x_1->", "2", "@x_2->", "1"],
      ["SORT", "@l", "BY", "@x_*->"],
      ["HSET", "@y_1", "f->g", "9", "f", "1"],
      ["HSET", "@y_2", "f->g", "1", "f", "2"],
      ["SORT", "@l", "BY", "@y_*->f->g"],
    ],
  },
  {
    name: "SORT BY a pattern whose '*' follows a zero byte does not sort",
    steps: [
      ["RPUSH", "@l", "2", "3", "1"],
      ["SORT", "@l", "BY", raw("w\x00*")],
      ["SORT", "@l", "GET", raw("#\x00junk")],
    ],
  },

  // ---------------------------------------------------------------- BY nosort
  {
    name: "SORT BY a constant keeps a list's order (DESC reverses, LIMIT windows)",
    steps: [
      ["RPUSH", "@l", "c", "a", "d", "b", "e"],
      ["SORT", "@l", "BY", "nosort"],
      ["SORT", "@l", "BY", "nosort", "DESC"],
      ["SORT", "@l", "BY", "nosort", "LIMIT", "1", "2"],
      ["SORT", "@l", "BY", "nosort", "DESC", "LIMIT", "1", "2"],
      ["SORT", "@l", "BY", "nosort", "LIMIT", "4", "10"],
      ["SORT", "@l", "BY", "nosort", "DESC", "LIMIT", "5", "1"],
      ["SORT", "@l", "BY", "nosort", "ALPHA", "LIMIT", "0", "0"],
    ],
  },
  {
    name: "SORT BY a constant keeps a sorted set's order",
    steps: [
      ["ZADD", "@z", "3", "c", "1", "a", "2", "b", "4", "d"],
      ["SORT", "@z", "BY", "nosort"],
      ["SORT", "@z", "BY", "nosort", "DESC"],
      ["SORT", "@z", "BY", "nosort", "LIMIT", "1", "2"],
      ["SORT", "@z", "BY", "nosort", "DESC", "LIMIT", "1", "2"],
      ["SORT", "@z", "BY", "nosort", "DESC", "LIMIT", "3", "5"],
      ["SORT", "@z", "BY", "nosort", "LIMIT", "9", "1"],
    ],
  },
  {
    name: "SORT BY a constant over an intset returns it ascending",
    steps: [
      ["SADD", "@s", "5", "-1", "3"],
      ["SORT", "@s", "BY", "nosort"],
      ["SORT", "@s", "BY", "nosort", "LIMIT", "1", "1"],
    ],
  },
  {
    name: "SORT BY a constant over a hashtable set: no defined order",
    steps: [
      ["SADD", "@s", "x", "y", "z", "w"],
      unordered("SORT", "@s", "BY", "nosort"),
      unordered("SORT", "@s", "BY", "nosort", "DESC", "GET", "#"),
    ],
  },
  {
    name: "SORT BY a constant with STORE sorts a set with ALPHA",
    steps: [
      ["SADD", "@s", "pear", "apple", "fig", "Kiwi", "10", "9"],
      ["SORT", "@s", "BY", "nosort", "STORE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
      ["SORT", "@s", "BY", "nosort", "DESC", "LIMIT", "1", "2", "STORE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
    ],
  },
  {
    name: "SORT BY a constant skips the weights, so non-numbers are fine",
    steps: [
      ["RPUSH", "@l", "x", "y"],
      ["SORT", "@l", "BY", "nosort"],
      ["SORT", "@l", "BY", "#"],
      ["SORT", "@l", "BY", "nosort", "BY", "@w_*"],
    ],
  },

  // ---------------------------------------------------------------- GET
  {
    name: "SORT GET patterns, including '#' and missing values",
    steps: [
      ["RPUSH", "@l", "2", "1", "3"],
      ["MSET", "@name_1", "one", "@name_2", "two"],
      ["HSET", "@h_3", "f", "three"],
      ["SORT", "@l", "GET", "@name_*"],
      ["SORT", "@l", "GET", "#", "GET", "@name_*", "GET", "@h_*->f"],
      ["SORT", "@l", "DESC", "GET", "@h_*->f", "GET", "#"],
      ["SORT", "@l", "GET", "constant"],
    ],
  },
  {
    name: "SORT GET of int-encoded and binary values",
    steps: [
      ["RPUSH", "@l", "a", "b"],
      ["SET", "@v_a", "12345"],
      ["SET", "@v_b", raw("\x00\r\n\xff")],
      ["SORT", "@l", "ALPHA", "GET", "@v_*"],
    ],
  },
  {
    name: "SORT GET with LIMIT and BY",
    steps: [
      ["RPUSH", "@l", "1", "2", "3", "4"],
      ["MSET", "@w_1", "4", "@w_2", "3", "@w_3", "2", "@w_4", "1"],
      ["MSET", "@o_1", "a", "@o_2", "b", "@o_3", "c", "@o_4", "d"],
      ["SORT", "@l", "BY", "@w_*", "LIMIT", "1", "2", "GET", "@o_*", "GET", "#"],
      ["SORT", "@l", "BY", "@w_*", "LIMIT", "0", "0", "GET", "@o_*"],
    ],
  },

  // ---------------------------------------------------------------- STORE
  {
    name: "SORT STORE writes a list and replies its length",
    steps: [
      ["RPUSH", "@l", "3", "1", "2"],
      ["SORT", "@l", "STORE", "@dest"],
      ["TYPE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
      ["OBJECT", "ENCODING", "@dest"],
      ["SORT", "@l", "DESC", "LIMIT", "0", "2", "STORE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
    ],
  },
  {
    name: "SORT STORE with GET: missing values become empty strings",
    steps: [
      ["RPUSH", "@l", "1", "2", "3"],
      ["SET", "@name_2", "two"],
      ["SORT", "@l", "GET", "@name_*", "GET", "#", "STORE", "@dest"],
      ["LRANGE", "@dest", "0", "-1"],
    ],
  },
  {
    name: "SORT STORE replaces any value and drops its TTL",
    steps: [
      ["RPUSH", "@l", "2", "1"],
      ["HSET", "@dest", "f", "v"],
      ["EXPIRE", "@dest", "100"],
      ["SORT", "@l", "STORE", "@dest"],
      ["TYPE", "@dest"],
      ["TTL", "@dest"],
    ],
  },
  {
    name: "SORT STORE of an empty result deletes the destination",
    steps: [
      ["SET", "@dest", "x"],
      ["SORT", "@missing", "STORE", "@dest"],
      ["EXISTS", "@dest"],
      ["RPUSH", "@l", "1"],
      ["SET", "@dest", "x"],
      ["SORT", "@l", "LIMIT", "5", "1", "STORE", "@dest"],
      ["EXISTS", "@dest"],
      ["SORT", "@l", "LIMIT", "0", "0", "STORE", "@nothing"],
      ["EXISTS", "@nothing"],
    ],
  },
  {
    name: "SORT STORE into the sorted key itself",
    steps: [
      ["RPUSH", "@l", "3", "1", "2"],
      ["SORT", "@l", "STORE", "@l"],
      ["LRANGE", "@l", "0", "-1"],
      ["SADD", "@s", "b", "a"],
      ["SORT", "@s", "ALPHA", "STORE", "@s"],
      ["TYPE", "@s"],
      ["LRANGE", "@s", "0", "-1"],
    ],
  },
  {
    name: "SORT with several STORE options stores into the last",
    steps: [
      ["RPUSH", "@l", "2", "1"],
      ["SORT", "@l", "STORE", "@first", "STORE", "@second"],
      ["EXISTS", "@first"],
      ["LRANGE", "@second", "0", "-1"],
    ],
  },
  {
    name: "SORT STORE of a sorted set and of a set",
    steps: [
      ["ZADD", "@z", "1", "10", "2", "9", "3", "8"],
      ["SORT", "@z", "STORE", "@dz"],
      ["LRANGE", "@dz", "0", "-1"],
      ["SADD", "@s", "10", "9", "8"],
      ["SORT", "@s", "DESC", "STORE", "@ds"],
      ["LRANGE", "@ds", "0", "-1"],
    ],
  },

  // ---------------------------------------------------------------- errors
  {
    name: "SORT of a key of another type",
    steps: [
      ["SET", "@str", "x"],
      ["SORT", "@str"],
      ["HSET", "@h", "f", "v"],
      ["SORT", "@h"],
      ["SORT_RO", "@h", "BY", "nosort"],
    ],
  },
  {
    name: "SORT syntax errors come before the type check",
    steps: [
      ["SET", "@str", "x"],
      ["SORT", "@str", "NOPE"],
      ["SORT", "@str", "LIMIT", "a", "b"],
      ["SORT", "@str", "BY"],
      ["SORT", "@str", "GET"],
      ["SORT", "@str", "STORE"],
      ["SORT", "@str", "LIMIT", "0", "1", "BY", "x", "GET"],
    ],
  },
  {
    name: "SORT_RO has no STORE",
    steps: [
      ["RPUSH", "@l", "2", "1"],
      ["SORT_RO", "@l"],
      ["SORT_RO", "@l", "STORE", "@dest"],
      ["EXISTS", "@dest"],
      ["SORT_RO", "@l", "BY", "@w_*", "GET", "#", "DESC", "LIMIT", "0", "1", "ALPHA"],
    ],
  },
  { name: "SORT arity", steps: [["SORT"], ["SORT_RO"]] },

  // ---------------------------------------------------------------- keys, transactions, RESP3
  {
    name: "COMMAND GETKEYS for SORT and SORT_RO",
    steps: [
      ["COMMAND", "GETKEYS", "SORT", "@l"],
      ["COMMAND", "GETKEYS", "SORT", "@l", "STORE", "@dest"],
      ["COMMAND", "GETKEYS", "SORT", "@l", "LIMIT", "0", "1", "GET", "store", "STORE", "@d1", "STORE", "@d2"],
      ["COMMAND", "GETKEYS", "SORT", "@l", "BY", "store", "STORE"],
      ["COMMAND", "GETKEYS", "SORT_RO", "@l", "STORE", "@dest"],
    ],
  },
  {
    name: "SORT inside MULTI",
    steps: [
      ["RPUSH", "@l", "2", "1"],
      ["MULTI"],
      ["SORT", "@l", "STORE", "@dest"],
      ["RPUSH", "@l", "0"],
      ["SORT", "@l"],
      ["SORT", "@l", "NOPE"],
      ["EXEC"],
      ["LRANGE", "@dest", "0", "-1"],
    ],
  },
  {
    name: "RESP3: SORT replies an array, missing GET values are nulls",
    resp3: true,
    steps: [
      ["RPUSH", "@l", "2", "1"],
      ["SET", "@v_1", "one"],
      ["SORT", "@l", "GET", "#", "GET", "@v_*"],
      ["SORT", "@l", "STORE", "@dest"],
      ["SORT_RO", "@missing"],
    ],
  },
];

/** The case preceded by a ZADD that clears redis-server's errno (see the header). */
function withClearErrno(testCase: DiffCase): DiffCase {
  return { ...testCase, steps: [quiet("ZADD", "@errno", "0", "x"), ...testCase.steps] };
}

export const corpus: readonly DiffCase[] = scopeKeys("sort", cases.map(withClearErrno));
