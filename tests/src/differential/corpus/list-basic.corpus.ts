/*
 * Differential cases: list basics. LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP (with and
 * without a count, the count 0 and negative rules, RESP3 null forms) LLEN LINDEX
 * LRANGE LSET, on missing keys, wrong types, binary and integer-looking elements,
 * negative and out-of-range indexes.
 *
 * Every case uses its own keys ("@name", see scoped-keys.ts).
 */
import type { DiffCase, Step } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** RPUSH `key` a b c d e */
function five(key: string): Step {
  return ["RPUSH", key, "a", "b", "c", "d", "e"];
}

/** LRANGE of `key` for each [start, stop] pair. */
function ranges(key: string, pairs: ReadonlyArray<readonly [string, string]>): Step[] {
  return pairs.map(([start, stop]) => ["LRANGE", key, start, stop]);
}

/** 300 numbered elements, enough to span several quicklist nodes. */
const many = Array.from({ length: 300 }, (_, i) => `element-${i}`);

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- push
  {
    name: "LPUSH prepends each element in turn",
    steps: [
      ["LPUSH", "@l", "a", "b", "c"],
      ["LRANGE", "@l", "0", "-1"],
      ["LLEN", "@l"],
      ["TYPE", "@l"],
    ],
  },
  {
    name: "RPUSH appends in order and replies the new length",
    steps: [
      ["RPUSH", "@l", "a"],
      ["RPUSH", "@l", "b", "c"],
      ["LRANGE", "@l", "0", "-1"],
    ],
  },
  {
    name: "LPUSH and RPUSH mixed",
    steps: [
      ["RPUSH", "@l", "m"],
      ["LPUSH", "@l", "l"],
      ["RPUSH", "@l", "n"],
      ["LRANGE", "@l", "0", "-1"],
    ],
  },
  {
    name: "LPUSHX and RPUSHX on a missing key do nothing",
    steps: [
      ["LPUSHX", "@l", "a"],
      ["RPUSHX", "@l", "a", "b"],
      ["EXISTS", "@l"],
      ["LLEN", "@l"],
    ],
  },
  {
    name: "LPUSHX and RPUSHX on an existing list",
    steps: [
      ["RPUSH", "@l", "m"],
      ["LPUSHX", "@l", "a", "b"],
      ["RPUSHX", "@l", "y", "z"],
      ["LRANGE", "@l", "0", "-1"],
    ],
  },
  {
    name: "push commands on a wrong type",
    steps: [
      ["SET", "@s", "x"],
      ["LPUSH", "@s", "a"],
      ["RPUSH", "@s", "a"],
      ["LPUSHX", "@s", "a"],
      ["RPUSHX", "@s", "a"],
      ["GET", "@s"],
    ],
  },
  {
    name: "push wrong arity",
    steps: [["LPUSH", "@l"], ["RPUSH"], ["LPUSHX", "@l"], ["RPUSHX"]],
  },
  {
    name: "binary elements survive",
    steps: [
      ["RPUSH", "@l", Buffer.from("a\0b"), Buffer.from("\r\n"), "", Buffer.from([0xff, 0xfe])],
      ["LRANGE", "@l", "0", "-1"],
      ["LINDEX", "@l", "2"],
      ["LPOP", "@l"],
      ["RPOP", "@l"],
    ],
  },
  {
    name: "integer-looking elements keep their exact bytes",
    steps: [
      [
        "RPUSH",
        "@l",
        "01",
        "-0",
        "123",
        "9223372036854775807",
        "9223372036854775808",
        " 1",
        "1.50",
        "-9223372036854775808",
      ],
      ["LRANGE", "@l", "0", "-1"],
      ["LINDEX", "@l", "3"],
    ],
  },
  {
    name: "binary key names",
    steps: [
      ["RPUSH", Buffer.from("k\0ey\r\n"), "v"],
      ["LRANGE", Buffer.from("k\0ey\r\n"), "0", "-1"],
      ["LLEN", Buffer.from("k\0ey\r\n")],
    ],
  },

  // ---------------------------------------------------------------- pop
  {
    name: "LPOP and RPOP one element",
    steps: [five("@l"), ["LPOP", "@l"], ["RPOP", "@l"], ["LRANGE", "@l", "0", "-1"]],
  },
  {
    name: "popping the last element deletes the key",
    steps: [
      ["RPUSH", "@l", "only"],
      ["LPOP", "@l"],
      ["EXISTS", "@l"],
      ["TYPE", "@l"],
      ["LPOP", "@l"],
    ],
  },
  {
    name: "LPOP and RPOP of a missing key",
    steps: [
      ["LPOP", "@l"],
      ["RPOP", "@l"],
      ["LPOP", "@l", "1"],
      ["RPOP", "@l", "5"],
    ],
  },
  {
    name: "LPOP with a count returns head first",
    steps: [five("@l"), ["LPOP", "@l", "2"], ["LRANGE", "@l", "0", "-1"]],
  },
  {
    name: "RPOP with a count returns tail first",
    steps: [five("@l"), ["RPOP", "@l", "2"], ["LRANGE", "@l", "0", "-1"]],
  },
  {
    name: "a count above the length pops everything and deletes the key",
    steps: [five("@l"), ["LPOP", "@l", "10"], ["EXISTS", "@l"], ["RPOP", "@l", "10"]],
  },
  {
    name: "count 1 still replies an array",
    steps: [five("@l"), ["LPOP", "@l", "1"], ["RPOP", "@l", "1"]],
  },
  {
    name: "count 0 replies an empty array, or a null array for a missing key",
    steps: [five("@l"), ["LPOP", "@l", "0"], ["RPOP", "@l", "0"], ["LLEN", "@l"], ["LPOP", "@missing", "0"]],
  },
  {
    name: "count errors come before the key lookup",
    steps: [
      five("@l"),
      ["LPOP", "@l", "-1"],
      ["LPOP", "@l", "abc"],
      ["RPOP", "@l", "1.5"],
      ["LPOP", "@missing", "-1"],
      ["LPOP", "@l", "9223372036854775808"],
      ["LPOP", "@l", "-9223372036854775808"],
    ],
  },
  {
    name: "LPOP with too many arguments",
    steps: [five("@l"), ["LPOP", "@l", "1", "2"], ["RPOP", "@l", "1", "2", "3"], ["LPOP"], ["LLEN", "@l"]],
  },
  {
    name: "LPOP and RPOP on a wrong type",
    steps: [
      ["SET", "@s", "x"],
      ["LPOP", "@s"],
      ["RPOP", "@s", "2"],
      ["LPOP", "@s", "0"],
    ],
  },
  {
    name: "a huge count pops everything",
    steps: [five("@l"), ["RPOP", "@l", "9223372036854775807"], ["EXISTS", "@l"]],
  },
  {
    name: "RESP3 null forms of LPOP and RPOP",
    resp3: true,
    steps: [
      ["LPOP", "@missing"],
      ["RPOP", "@missing", "2"],
      ["LPOP", "@missing", "0"],
      five("@l"),
      ["LPOP", "@l", "0"],
      ["RPOP", "@l", "2"],
      ["LPOP", "@l"],
    ],
  },

  // ---------------------------------------------------------------- LLEN and LINDEX
  {
    name: "LLEN of a list, a missing key and a wrong type",
    steps: [five("@l"), ["LLEN", "@l"], ["LLEN", "@missing"], ["SET", "@s", "x"], ["LLEN", "@s"], ["LLEN"]],
  },
  {
    name: "LINDEX with positive and negative indexes",
    steps: [
      five("@l"),
      ["LINDEX", "@l", "0"],
      ["LINDEX", "@l", "4"],
      ["LINDEX", "@l", "-1"],
      ["LINDEX", "@l", "-5"],
      ["LINDEX", "@l", "2"],
    ],
  },
  {
    name: "LINDEX out of range is null",
    steps: [five("@l"), ["LINDEX", "@l", "5"], ["LINDEX", "@l", "-6"], ["LINDEX", "@l", "1000"]],
  },
  {
    name: "LINDEX checks the key before the index",
    steps: [
      ["LINDEX", "@missing", "abc"],
      ["SET", "@s", "x"],
      ["LINDEX", "@s", "abc"],
      five("@l"),
      ["LINDEX", "@l", "abc"],
      ["LINDEX", "@l", "1.0"],
    ],
  },
  {
    name: "LINDEX at the 64-bit limits",
    steps: [
      five("@l"),
      ["LINDEX", "@l", "9223372036854775807"],
      ["LINDEX", "@l", "-9223372036854775808"],
      ["LINDEX", "@l", "9223372036854775808"],
      ["LINDEX", "@l", "-9223372036854775809"],
    ],
  },
  {
    name: "LINDEX wrong arity",
    steps: [
      ["LINDEX", "@l"],
      ["LINDEX", "@l", "0", "1"],
    ],
  },
  {
    name: "RESP3 LINDEX null",
    resp3: true,
    steps: [five("@l"), ["LINDEX", "@l", "9"], ["LINDEX", "@missing", "0"], ["LINDEX", "@l", "0"]],
  },

  // ---------------------------------------------------------------- LRANGE
  {
    name: "LRANGE inside the list",
    steps: [
      five("@l"),
      ...ranges("@l", [
        ["0", "-1"],
        ["1", "3"],
        ["0", "0"],
        ["4", "4"],
        ["-2", "-1"],
        ["-5", "-5"],
      ]),
    ],
  },
  {
    name: "LRANGE clamps and empties",
    steps: [
      five("@l"),
      ...ranges("@l", [
        ["-100", "100"],
        ["3", "1"],
        ["5", "10"],
        ["-1", "-2"],
        ["-6", "-6"],
        ["2", "-100"],
        ["-100", "-5"],
        ["-100", "-6"],
      ]),
    ],
  },
  {
    name: "LRANGE at the 64-bit limits",
    steps: [
      five("@l"),
      ...ranges("@l", [
        ["-9223372036854775808", "9223372036854775807"],
        ["9223372036854775807", "-9223372036854775808"],
        ["0", "9223372036854775807"],
      ]),
    ],
  },
  {
    name: "LRANGE parses the indexes before the key",
    steps: [
      ["LRANGE", "@missing", "a", "1"],
      ["LRANGE", "@missing", "0", "b"],
      ["SET", "@s", "x"],
      ["LRANGE", "@s", "0", "-1"],
      ["LRANGE", "@s", "x", "-1"],
      ["LRANGE", "@missing", "0", "-1"],
    ],
  },
  {
    name: "LRANGE wrong arity",
    steps: [
      ["LRANGE", "@l", "0"],
      ["LRANGE", "@l", "0", "1", "2"],
    ],
  },
  {
    name: "LRANGE of a long list",
    steps: [
      ["RPUSH", "@l", ...many],
      ...ranges("@l", [
        ["0", "9"],
        ["-10", "-1"],
        ["140", "160"],
        ["295", "400"],
        ["0", "-1"],
      ]),
      ["LINDEX", "@l", "150"],
      ["LINDEX", "@l", "-150"],
    ],
  },
  {
    name: "RESP3 LRANGE",
    resp3: true,
    steps: [
      five("@l"),
      ["LRANGE", "@l", "0", "-1"],
      ["LRANGE", "@missing", "0", "-1"],
      ["LRANGE", "@l", "3", "1"],
    ],
  },

  // ---------------------------------------------------------------- LSET
  {
    name: "LSET replaces elements by positive and negative index",
    steps: [
      five("@l"),
      ["LSET", "@l", "0", "A"],
      ["LSET", "@l", "-1", "E"],
      ["LSET", "@l", "2", ""],
      ["LRANGE", "@l", "0", "-1"],
    ],
  },
  {
    name: "LSET out of range",
    steps: [five("@l"), ["LSET", "@l", "5", "x"], ["LSET", "@l", "-6", "x"], ["LRANGE", "@l", "0", "-1"]],
  },
  {
    name: "LSET on a missing key and a wrong type",
    steps: [
      ["LSET", "@missing", "0", "x"],
      ["SET", "@s", "x"],
      ["LSET", "@s", "0", "y"],
      ["EXISTS", "@missing"],
    ],
  },
  {
    name: "LSET checks the key before the index",
    steps: [
      ["LSET", "@missing", "abc", "x"],
      five("@l"),
      ["LSET", "@l", "abc", "x"],
      ["LSET", "@l", "1e2", "x"],
    ],
  },
  {
    name: "LSET with binary data",
    steps: [five("@l"), ["LSET", "@l", "1", Buffer.from("\0\r\n\xff")], ["LINDEX", "@l", "1"]],
  },
  {
    name: "LSET wrong arity",
    steps: [
      ["LSET", "@l", "0"],
      ["LSET", "@l", "0", "a", "b"],
    ],
  },
  {
    name: "LSET on a long list",
    steps: [
      ["RPUSH", "@l", ...many],
      ["LSET", "@l", "150", "middle"],
      ["LSET", "@l", "-1", "last"],
      ["LRANGE", "@l", "148", "152"],
      ["LINDEX", "@l", "299"],
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("lb", cases);
