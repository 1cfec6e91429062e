/*
 * Differential cases: moving and multi-popping. LMOVE and RPOPLPUSH (every
 * direction, the same key as source and destination, wrong types on either
 * side), LMPOP (numkeys, LEFT / RIGHT, COUNT and their errors), and the blocking
 * commands where they answer at once: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP with
 * data present, timeout parsing errors, short timeouts on missing keys, and
 * inside MULTI (where they never block), in RESP2 and RESP3.
 *
 * Every case uses its own keys ("@name", see scoped-keys.ts).
 */
import type { DiffCase, Step } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** RPUSH `key` a b c d e */
function five(key: string): Step {
  return ["RPUSH", key, "a", "b", "c", "d", "e"];
}

const all = (key: string): Step => ["LRANGE", key, "0", "-1"];

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- LMOVE and RPOPLPUSH
  {
    name: "LMOVE LEFT LEFT",
    steps: [five("@s"), ["RPUSH", "@d", "x"], ["LMOVE", "@s", "@d", "LEFT", "LEFT"], all("@s"), all("@d")],
  },
  {
    name: "LMOVE LEFT RIGHT",
    steps: [five("@s"), ["RPUSH", "@d", "x"], ["LMOVE", "@s", "@d", "LEFT", "RIGHT"], all("@s"), all("@d")],
  },
  {
    name: "LMOVE RIGHT LEFT",
    steps: [five("@s"), ["RPUSH", "@d", "x"], ["LMOVE", "@s", "@d", "RIGHT", "LEFT"], all("@s"), all("@d")],
  },
  {
    name: "LMOVE RIGHT RIGHT",
    steps: [five("@s"), ["RPUSH", "@d", "x"], ["LMOVE", "@s", "@d", "right", "right"], all("@s"), all("@d")],
  },
  {
    name: "LMOVE creates the destination",
    steps: [five("@s"), ["LMOVE", "@s", "@d", "LEFT", "RIGHT"], ["TYPE", "@d"], all("@d")],
  },
  {
    name: "LMOVE of the last element deletes the source",
    steps: [["RPUSH", "@s", "only"], ["LMOVE", "@s", "@d", "LEFT", "LEFT"], ["EXISTS", "@s"], all("@d")],
  },
  {
    name: "LMOVE on the same key rotates",
    steps: [
      five("@l"),
      ["LMOVE", "@l", "@l", "LEFT", "RIGHT"],
      all("@l"),
      ["LMOVE", "@l", "@l", "RIGHT", "LEFT"],
      all("@l"),
    ],
  },
  {
    name: "LMOVE on the same key without rotation",
    steps: [
      five("@l"),
      ["LMOVE", "@l", "@l", "LEFT", "LEFT"],
      ["LMOVE", "@l", "@l", "RIGHT", "RIGHT"],
      all("@l"),
    ],
  },
  {
    name: "LMOVE of a single element onto itself keeps the key",
    steps: [
      ["RPUSH", "@l", "one"],
      ["LMOVE", "@l", "@l", "LEFT", "RIGHT"],
      ["LMOVE", "@l", "@l", "RIGHT", "LEFT"],
      all("@l"),
      ["EXISTS", "@l"],
    ],
  },
  {
    name: "LMOVE from a missing source",
    steps: [
      ["LMOVE", "@missing", "@d", "LEFT", "LEFT"],
      ["EXISTS", "@d"],
      ["SET", "@str", "v"],
      ["LMOVE", "@missing", "@str", "LEFT", "LEFT"],
    ],
  },
  {
    name: "LMOVE from a wrong type",
    steps: [
      ["SET", "@s", "v"],
      ["LMOVE", "@s", "@d", "LEFT", "LEFT"],
      ["EXISTS", "@d"],
    ],
  },
  {
    name: "LMOVE to a wrong type leaves the source alone",
    steps: [five("@s"), ["SET", "@d", "v"], ["LMOVE", "@s", "@d", "LEFT", "LEFT"], all("@s"), ["GET", "@d"]],
  },
  {
    name: "LMOVE direction syntax errors",
    steps: [
      five("@s"),
      ["LMOVE", "@s", "@d", "UP", "LEFT"],
      ["LMOVE", "@s", "@d", "LEFT", "DOWN"],
      ["LMOVE", "@missing", "@d", "LEFTX", "LEFT"],
      all("@s"),
    ],
  },
  {
    name: "LMOVE wrong arity",
    steps: [
      ["LMOVE", "@s", "@d", "LEFT"],
      ["LMOVE", "@s", "@d", "LEFT", "LEFT", "x"],
    ],
  },
  {
    name: "RPOPLPUSH between two lists",
    steps: [
      five("@s"),
      ["RPUSH", "@d", "x"],
      ["RPOPLPUSH", "@s", "@d"],
      ["RPOPLPUSH", "@s", "@d"],
      all("@s"),
      all("@d"),
    ],
  },
  { name: "RPOPLPUSH on the same key rotates", steps: [five("@l"), ["RPOPLPUSH", "@l", "@l"], all("@l")] },
  {
    name: "RPOPLPUSH missing source and wrong types",
    steps: [
      ["RPOPLPUSH", "@missing", "@d"],
      ["SET", "@str", "v"],
      ["RPOPLPUSH", "@str", "@d"],
      five("@s"),
      ["RPOPLPUSH", "@s", "@str"],
      all("@s"),
    ],
  },
  {
    name: "RESP3 LMOVE null",
    resp3: true,
    steps: [
      ["LMOVE", "@missing", "@d", "LEFT", "LEFT"],
      ["RPOPLPUSH", "@missing", "@d"],
      five("@s"),
      ["LMOVE", "@s", "@d", "LEFT", "LEFT"],
    ],
  },
  {
    name: "LMOVE binary element and keys",
    steps: [
      ["RPUSH", Buffer.from("s\0"), Buffer.from("\r\n")],
      ["LMOVE", Buffer.from("s\0"), Buffer.from("d\0"), "LEFT", "LEFT"],
      ["LRANGE", Buffer.from("d\0"), "0", "-1"],
    ],
  },

  // ---------------------------------------------------------------- LMPOP
  {
    name: "LMPOP LEFT from the first non-empty key",
    steps: [five("@b"), ["LMPOP", "3", "@a", "@b", "@c", "LEFT"], all("@b")],
  },
  {
    name: "LMPOP RIGHT with COUNT",
    steps: [five("@l"), ["LMPOP", "1", "@l", "RIGHT", "COUNT", "2"], all("@l")],
  },
  {
    name: "LMPOP COUNT above the length deletes the key",
    steps: [five("@l"), ["LMPOP", "1", "@l", "left", "count", "10"], ["EXISTS", "@l"]],
  },
  {
    name: "LMPOP with nothing to pop",
    steps: [
      ["LMPOP", "2", "@a", "@b", "LEFT"],
      ["LMPOP", "1", "@a", "RIGHT", "COUNT", "3"],
    ],
  },
  {
    name: "LMPOP numkeys errors",
    steps: [
      ["LMPOP", "0", "@a", "LEFT"],
      ["LMPOP", "-1", "@a", "LEFT"],
      ["LMPOP", "x", "@a", "LEFT"],
      ["LMPOP", "2", "@a", "LEFT"],
      ["LMPOP", "9223372036854775807", "@a", "LEFT"],
    ],
  },
  {
    name: "LMPOP direction and COUNT errors",
    steps: [
      five("@l"),
      ["LMPOP", "1", "@l", "MIDDLE"],
      ["LMPOP", "1", "@l", "LEFT", "COUNT", "0"],
      ["LMPOP", "1", "@l", "LEFT", "COUNT", "-1"],
      ["LMPOP", "1", "@l", "LEFT", "COUNT"],
      ["LMPOP", "1", "@l", "LEFT", "COUNT", "1", "COUNT", "1"],
      ["LMPOP", "1", "@l", "LEFT", "FOO"],
      ["LMPOP", "1", "@l", "LEFT", "COUNT", "x"],
      all("@l"),
    ],
  },
  {
    name: "LMPOP stops at a wrong type",
    steps: [
      five("@l"),
      ["SET", "@s", "v"],
      ["LMPOP", "2", "@s", "@l", "LEFT"],
      ["LMPOP", "2", "@l", "@s", "LEFT"],
      ["LMPOP", "2", "@missing", "@s", "LEFT"],
    ],
  },
  { name: "LMPOP wrong arity", steps: [["LMPOP", "1", "@l"], ["LMPOP", "1"], ["LMPOP"]] },
  {
    name: "RESP3 LMPOP",
    resp3: true,
    steps: [["LMPOP", "1", "@l", "LEFT"], five("@l"), ["LMPOP", "1", "@l", "RIGHT", "COUNT", "2"]],
  },

  // ---------------------------------------------------------------- blocking commands answering at once
  {
    name: "BLPOP serves the first non-empty key at once",
    steps: [five("@b"), ["BLPOP", "@a", "@b", "@c", "0"], all("@b")],
  },
  { name: "BRPOP serves from the tail", steps: [five("@b"), ["BRPOP", "@a", "@b", "1"], all("@b")] },
  {
    name: "BLPOP of the last element deletes the key",
    steps: [
      ["RPUSH", "@l", "only"],
      ["BLPOP", "@l", "0"],
      ["EXISTS", "@l"],
    ],
  },
  {
    name: "BLPOP wrong type before a list",
    steps: [
      five("@l"),
      ["SET", "@s", "v"],
      ["BLPOP", "@s", "@l", "0"],
      ["BLPOP", "@missing", "@s", "@l", "0"],
      ["BLPOP", "@l", "@s", "0"],
    ],
  },
  {
    name: "BLPOP timeout errors",
    steps: [
      five("@l"),
      ["BLPOP", "@l", "abc"],
      ["BLPOP", "@l", "-1"],
      ["BLPOP", "@l", "-0.5"],
      ["BLPOP", "@l", "nan"],
      ["BLPOP", "@l", "inf"],
      ["BLPOP", "@l", "-inf"],
      ["BLPOP", "@l", "1e20"],
      ["BLPOP", "@l", ""],
      ["BLPOP", "@l", " 1"],
      all("@l"),
    ],
  },
  {
    name: "BLPOP timeouts at the edges of the 64-bit range and of strtold",
    steps: [
      ["RPUSH", "@l", "a", "b", "c", "d", "e", "f", "g", "h"],
      ["BLPOP", "@l", "9223372036854775"],
      ["BLPOP", "@l", "9223372036854775.807"],
      ["BLPOP", "@l", "9223372036854775.808"],
      ["BLPOP", "@l", "9223372036854776"],
      ["BLPOP", "@l", "-9223372036854775.808"],
      ["BLPOP", "@l", "1e5000"],
      ["BLPOP", "@l", "1e-5000"],
      ["BLPOP", "@l", "0x1p52"],
      ["BLPOP", "@l", "-0"],
      ["BLPOP", "@l", "1e-3"],
      ["BLPOP", "@l", "5e-324"],
      all("@l"),
    ],
  },
  {
    name: "BLPOP accepts decimal, exponent and hex timeouts when data is there",
    steps: [
      five("@l"),
      ["BLPOP", "@l", "0.5"],
      ["BRPOP", "@l", "1e1"],
      ["BLPOP", "@l", "0x10"],
      ["BRPOP", "@l", "+2"],
    ],
  },
  {
    name: "BLPOP and BRPOP short timeouts on missing keys",
    steps: [
      ["BLPOP", "@a", "@b", "0.01"],
      ["BRPOP", "@a", "0.01"],
      ["EXISTS", "@a"],
    ],
  },
  { name: "BLPOP wrong arity", steps: [["BLPOP", "@a"], ["BRPOP"]] },
  {
    name: "BLMOVE moves at once when the source has data",
    steps: [
      five("@s"),
      ["BLMOVE", "@s", "@d", "RIGHT", "LEFT", "0"],
      ["BLMOVE", "@s", "@d", "LEFT", "RIGHT", "1.5"],
      all("@s"),
      all("@d"),
    ],
  },
  {
    name: "BLMOVE on the same key",
    steps: [five("@l"), ["BLMOVE", "@l", "@l", "LEFT", "RIGHT", "0"], all("@l")],
  },
  {
    name: "BLMOVE wrong types",
    steps: [
      ["SET", "@str", "v"],
      ["BLMOVE", "@str", "@d", "LEFT", "LEFT", "0"],
      five("@s"),
      ["BLMOVE", "@s", "@str", "LEFT", "LEFT", "0"],
      all("@s"),
    ],
  },
  {
    name: "BLMOVE checks directions, then the timeout",
    steps: [
      five("@s"),
      ["BLMOVE", "@s", "@d", "UP", "LEFT", "abc"],
      ["BLMOVE", "@s", "@d", "LEFT", "LEFT", "abc"],
      ["BLMOVE", "@s", "@d", "LEFT", "LEFT", "-1"],
      all("@s"),
    ],
  },
  {
    name: "BLMOVE short timeout on a missing source",
    steps: [
      ["BLMOVE", "@missing", "@d", "LEFT", "LEFT", "0.01"],
      ["EXISTS", "@d"],
    ],
  },
  {
    name: "BRPOPLPUSH at once and with errors",
    steps: [
      five("@s"),
      ["BRPOPLPUSH", "@s", "@d", "0"],
      ["BRPOPLPUSH", "@s", "@d", "x"],
      ["SET", "@str", "v"],
      ["BRPOPLPUSH", "@str", "@d", "0"],
      all("@d"),
    ],
  },
  { name: "BRPOPLPUSH short timeout", steps: [["BRPOPLPUSH", "@missing", "@d", "0.01"]] },
  {
    name: "BLMPOP at once",
    steps: [
      five("@b"),
      ["BLMPOP", "0", "2", "@a", "@b", "LEFT", "COUNT", "2"],
      ["BLMPOP", "1", "1", "@b", "RIGHT"],
      all("@b"),
    ],
  },
  {
    name: "BLMPOP errors: numkeys, direction and COUNT before the timeout",
    steps: [
      ["BLMPOP", "x", "0", "@a", "LEFT"],
      ["BLMPOP", "x", "1", "@a", "MIDDLE"],
      ["BLMPOP", "x", "1", "@a", "LEFT", "COUNT", "0"],
      ["BLMPOP", "x", "1", "@a", "LEFT"],
      ["BLMPOP", "-1", "1", "@a", "LEFT"],
      ["BLMPOP", "0", "3", "@a", "LEFT"],
    ],
  },
  {
    name: "BLMPOP wrong type and short timeout",
    steps: [
      ["SET", "@s", "v"],
      ["BLMPOP", "0", "1", "@s", "LEFT"],
      ["BLMPOP", "0.01", "2", "@a", "@b", "RIGHT", "COUNT", "3"],
    ],
  },
  {
    name: "BLMPOP wrong arity",
    steps: [
      ["BLMPOP", "0", "1", "@a"],
      ["BLMPOP", "0"],
    ],
  },
  {
    name: "RESP3 timeouts of the blocking commands",
    resp3: true,
    steps: [
      ["BLPOP", "@a", "0.01"],
      ["BLMOVE", "@a", "@b", "LEFT", "LEFT", "0.01"],
      ["BRPOPLPUSH", "@a", "@b", "0.01"],
      ["BLMPOP", "0.01", "1", "@a", "LEFT"],
      five("@l"),
      ["BLPOP", "@l", "0"],
      ["BLMPOP", "0", "1", "@l", "RIGHT", "COUNT", "2"],
    ],
  },

  // ---------------------------------------------------------------- inside MULTI
  {
    name: "blocking commands inside MULTI do not block",
    steps: [
      ["MULTI"],
      ["BLPOP", "@a", "0"],
      ["BRPOP", "@a", "@b", "0"],
      ["BLMOVE", "@a", "@b", "LEFT", "LEFT", "0"],
      ["BRPOPLPUSH", "@a", "@b", "0"],
      ["BLMPOP", "0", "1", "@a", "LEFT"],
      ["EXEC"],
    ],
  },
  {
    name: "a push earlier in the same transaction serves the blocking command",
    steps: [
      ["MULTI"],
      ["RPUSH", "@a", "x", "y", "z"],
      ["BLPOP", "@a", "0"],
      ["BLMOVE", "@a", "@b", "RIGHT", "LEFT", "0"],
      ["BLMPOP", "0", "1", "@a", "LEFT", "COUNT", "5"],
      ["BRPOPLPUSH", "@b", "@c", "0"],
      ["EXEC"],
      ["EXISTS", "@a", "@b"],
      all("@c"),
    ],
  },
  {
    name: "RESP3 blocking commands inside MULTI",
    resp3: true,
    steps: [["MULTI"], ["BLPOP", "@a", "0"], ["BLMOVE", "@a", "@b", "LEFT", "LEFT", "0"], ["EXEC"]],
  },
  {
    name: "list commands queued in MULTI",
    steps: [
      ["MULTI"],
      ["RPUSH", "@l", "a", "b"],
      ["LPOP", "@l"],
      ["LMOVE", "@l", "@m", "LEFT", "LEFT"],
      ["LLEN", "@m"],
      ["EXEC"],
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("lm", cases);
