/*
 * Differential cases: XREAD on one connection (served at once, `$`, COUNT,
 * several streams, BLOCK timing out, BLOCK inside MULTI, errors in Redis'
 * order, RESP3 maps), plus one-purpose cases: every stream command's arity
 * error, ID forms accepted or refused by XADD / XRANGE / XDEL, and keys of
 * other types. Waking blocked readers from another connection is covered by
 * tests/src/streams (it needs two clients).
 */
import type { DiffCase, Step } from "../corpus-types.js";

const MAX = "18446744073709551615";

export const corpus: DiffCase[] = [
  {
    name: "XREAD serves entries after the given IDs",
    steps: [
      ["XADD", "r1", "1-1", "f", "v1"],
      ["XADD", "r1", "2-1", "f", "v2"],
      ["XADD", "r1", "3-1", "f", "v3"],
      ["XREAD", "STREAMS", "r1", "0"],
      ["XREAD", "STREAMS", "r1", "1-1"],
      ["XREAD", "COUNT", "1", "STREAMS", "r1", "1"],
      ["XREAD", "STREAMS", "r1", "3-1"],
      ["XREAD", "STREAMS", "r1", "$"],
      ["XREAD", "COUNT", "0", "STREAMS", "r1", "0-0"],
      ["XREAD", "COUNT", "-3", "STREAMS", "r1", "0-0"],
    ],
  },
  {
    name: "XREAD over several streams",
    steps: [
      ["XADD", "r2a", "1-1", "f", "a"],
      ["XADD", "r2b", "5-1", "f", "b"],
      ["XREAD", "STREAMS", "r2a", "r2b", "r2c", "0", "0", "0"],
      ["XREAD", "STREAMS", "r2a", "r2b", "1-1", "0"],
      ["XREAD", "STREAMS", "r2a", "r2a", "0", "0"],
      ["XREAD", "COUNT", "1", "STREAMS", "r2c", "r2b", "0", "5-0"],
    ],
  },
  {
    name: "XREAD on RESP3 replies a map",
    resp3: true,
    steps: [
      ["XADD", "r3a", "1-1", "f", "a"],
      ["XADD", "r3b", "1-1", "f", "b"],
      ["XREAD", "STREAMS", "r3a", "r3b", "0", "0"],
      ["XREAD", "STREAMS", "r3a", "$"],
      ["XREAD", "BLOCK", "10", "STREAMS", "r3a", "$"],
    ],
  },
  {
    name: "XREAD BLOCK times out with a null array",
    steps: [
      ["XADD", "r4", "1-1", "f", "v"],
      ["XREAD", "BLOCK", "10", "STREAMS", "r4", "$"],
      ["XREAD", "BLOCK", "10", "STREAMS", "missing4", "$"],
      ["XREAD", "BLOCK", "10", "COUNT", "5", "STREAMS", "r4", "missing4", "1-1", "0"],
      ["XREAD", "BLOCK", "10", "STREAMS", "r4", "0"],
    ],
  },
  {
    name: "XREAD BLOCK inside MULTI does not block",
    steps: [
      ["MULTI"],
      ["XREAD", "BLOCK", "0", "STREAMS", "r5", "$"],
      ["XADD", "r5", "1-1", "f", "v"],
      ["XREAD", "BLOCK", "0", "STREAMS", "r5", "0"],
      ["EXEC"],
    ],
  },
  {
    name: "XREAD argument errors",
    steps: [
      ["XADD", "r6", "1-1", "f", "v"],
      ["XREAD", "STREAMS", "r6"],
      ["XREAD", "STREAMS", "r6", "r7", "0"],
      ["XREAD", "COUNT", "x", "STREAMS", "r6", "0"],
      ["XREAD", "BLOCK", "x", "STREAMS", "r6", "0"],
      ["XREAD", "BLOCK", "-1", "STREAMS", "r6", "0"],
      ["XREAD", "BLOCK", "1.5", "STREAMS", "r6", "0"],
      ["XREAD", "FOO", "STREAMS", "r6", "0"],
      ["XREAD", "GROUP", "g", "c", "STREAMS", "r6", "0"],
      ["XREAD", "NOACK", "STREAMS", "r6", "0"],
      ["XREAD", "STREAMS", "r6", ">"],
      ["XREAD", "STREAMS", "r6", "+"],
      ["XREAD", "STREAMS", "r6", "-"],
      ["XREAD", "STREAMS", "r6", "bad"],
      ["XREAD", "COUNT", "1", "BLOCK", "1"],
      ["XREAD", "COUNT", "1", "COUNT"],
      ["SET", "r6str", "x"],
      ["XREAD", "STREAMS", "r6str", "0"],
      ["XREAD", "STREAMS", "r6", "r6str", "0", "bad"],
      ["XREAD", "STREAMS", "r6str", "r6", "bad", "0"],
    ],
  },
  {
    name: "XREAD after deletions and at the largest ID",
    steps: [
      ["XADD", "r8", "1-1", "f", "v"],
      ["XADD", "r8", "2-1", "f", "v"],
      ["XDEL", "r8", "2-1"],
      ["XREAD", "STREAMS", "r8", "1-1"],
      ["XREAD", "STREAMS", "r8", "0"],
      ["XADD", "r8", `${MAX}-${MAX}`, "f", "v"],
      ["XREAD", "STREAMS", "r8", "1-1"],
      ["XREAD", "STREAMS", "r8", `${MAX}-${MAX}`],
      ["XREAD", "STREAMS", "r8", "$"],
    ],
  },
];

// ---------------------------------------------------------------- arity errors

const ARITY: readonly (readonly string[])[] = [
  ["XADD", "k", "*", "f"],
  ["XADD", "k"],
  ["XRANGE", "k", "-"],
  ["XREVRANGE", "k", "+"],
  ["XLEN"],
  ["XLEN", "k", "extra"],
  ["XDEL", "k"],
  ["XTRIM", "k", "MAXLEN"],
  ["XSETID", "k"],
  ["XREAD", "STREAMS", "k"],
  ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "k"],
  ["XACK", "k", "g"],
  ["XPENDING", "k"],
  ["XCLAIM", "k", "g", "c", "0"],
  ["XAUTOCLAIM", "k", "g", "c", "0"],
  ["XGROUP", "CREATE", "k", "g"],
  ["XGROUP", "SETID", "k", "g"],
  ["XGROUP", "DESTROY", "k"],
  ["XGROUP", "CREATECONSUMER", "k", "g", "c", "x"],
  ["XGROUP", "DELCONSUMER", "k", "g"],
  ["XINFO", "STREAM"],
  ["XINFO", "GROUPS"],
  ["XINFO", "CONSUMERS", "k"],
  ["XINFO", "HELP", "x"],
];

for (const argv of ARITY) {
  corpus.push({ name: `arity error: ${argv.join(" ")}`, steps: [argv] });
}

// ---------------------------------------------------------------- ID forms

/** Forms of IDs given to XADD on a stream whose last ID is 1-1 (`*` reads the clock: see stream-basic). */
const XADD_IDS = [
  "1-1",
  "1-2",
  "2",
  "2-0",
  "2-*",
  "1-*",
  "0-5",
  "00002-3",
  "2-03",
  " 2-1",
  "2-1 ",
  "+2-1",
  "2-+1",
  "-2-1",
  "2--1",
  "2-",
  "-",
  "+",
  "**",
  "2-1-1",
  "2.5-1",
  "0x10-1",
  `${MAX}-0`,
  `${MAX}-${MAX}`,
  "18446744073709551616-1",
  "9223372036854775807-1",
  "9223372036854775808-1",
  "-9223372036854775808-1",
  "-18446744073709551615-1",
];

for (const id of XADD_IDS) {
  corpus.push({
    name: `XADD with ID '${id}'`,
    steps: [
      ["XADD", "ids", "1-1", "f", "v"],
      ["XADD", "ids", id, "g", "w"],
      ["XRANGE", "ids", "-", "+"],
    ],
  });
}

/** Bounds given to XRANGE over entries 1-1 .. 3-1. */
const RANGE_BOUNDS: readonly [string, string][] = [
  ["-", "+"],
  ["(1-1", "+"],
  ["-", "(3-1"],
  ["(1", "(3"],
  ["2", "2"],
  ["(2-0", "2-1"],
  ["(-", "+"],
  ["-", "(+"],
  ["((1-1", "+"],
  ["(", ")"],
  ["1-1", "(1-1"],
  [`(${MAX}`, "+"],
];

for (const [start, end] of RANGE_BOUNDS) {
  corpus.push({
    name: `XRANGE ${start} ${end} and XREVRANGE ${end} ${start}`,
    steps: [
      ["XADD", "bounds", "1-1", "f", "v"],
      ["XADD", "bounds", "2-1", "f", "v"],
      ["XADD", "bounds", "3-1", "f", "v"],
      ["XRANGE", "bounds", start, end],
      ["XREVRANGE", "bounds", end, start],
    ],
  });
}

// ---------------------------------------------------------------- other types

const OTHER_TYPES: readonly [string, readonly string[]][] = [
  ["list", ["RPUSH", "other", "a"]],
  ["hash", ["HSET", "other", "f", "v"]],
  ["set", ["SADD", "other", "a"]],
  ["zset", ["ZADD", "other", "1", "a"]],
];

for (const [type, create] of OTHER_TYPES) {
  const steps: Step[] = [
    create,
    ["XADD", "other", "*", "f", "v"],
    ["XREAD", "STREAMS", "other", "0"],
    ["XGROUP", "CREATE", "other", "g", "$"],
    ["XINFO", "STREAM", "other"],
    ["XPENDING", "other", "g"],
    ["XAUTOCLAIM", "other", "g", "c", "0", "0"],
    ["XLEN", "other"],
  ];
  corpus.push({ name: `stream commands on a ${type}`, steps });
}

// ---------------------------------------------------------------- XADD options and XTRIM forms

/** XADD option lists (before the ID) on a stream of 250 entries, 1-1 .. 250-1. */
const XADD_OPTIONS: readonly (readonly string[])[] = [
  ["MAXLEN", "100"],
  ["MAXLEN", "~", "100"],
  ["MAXLEN", "=", "100"],
  ["maxlen", "~", "100", "limit", "100"],
  ["MAXLEN", "~", "100", "LIMIT", "99"],
  ["MAXLEN", "~", "0", "LIMIT", "1000"],
  ["MINID", "200"],
  ["MINID", "~", "200"],
  ["MINID", "~", "200", "LIMIT", "50"],
  ["MINID", "=", "201-0"],
  ["NOMKSTREAM", "MAXLEN", "1"],
  ["MAXLEN", "1", "NOMKSTREAM"],
  ["LIMIT", "5", "MAXLEN", "~", "1"],
  ["MAXLEN", "=", "~", "1"],
  ["MAXLEN", "~"],
  ["MINID", "~", "-1"],
  ["MAXLEN", "18446744073709551616"],
  ["MAXLEN", "9223372036854775807"],
];

for (const options of XADD_OPTIONS) {
  const steps: Step[] = [];
  for (let i = 1; i <= 250; i++) steps.push(["XADD", "opts", `${i}-1`, "f", "v"]);
  steps.push(
    ["XADD", "opts", ...options, "251-1", "f", "v"],
    ["XLEN", "opts"],
    ["XRANGE", "opts", "-", "+", "COUNT", "1"],
  );
  corpus.push({ name: `XADD ${options.join(" ")}`, steps });
}

/** XTRIM argument lists on a stream of 250 entries, 1-1 .. 250-1. */
const XTRIM_ARGS: readonly (readonly string[])[] = [
  ["MAXLEN", "250"],
  ["MAXLEN", "251"],
  ["MAXLEN", "~", "199"],
  ["MAXLEN", "~", "151"],
  ["MAXLEN", "~", "150"],
  ["MINID", "101-1"],
  ["MINID", "~", "101-1"],
  ["MINID", "~", "101-2"],
  ["MINID", "~", "300", "LIMIT", "100"],
  ["MINID", "~", "300", "LIMIT", "250"],
  ["MAXLEN", "~", "0", "LIMIT", "0"],
  ["MINID", `${MAX}-${MAX}`],
];

for (const args of XTRIM_ARGS) {
  const steps: Step[] = [];
  for (let i = 1; i <= 250; i++) steps.push(["XADD", "trims", `${i}-1`, "f", "v"]);
  steps.push(["XTRIM", "trims", ...args], ["XLEN", "trims"], ["XINFO", "STREAM", "trims"]);
  corpus.push({ name: `XTRIM ${args.join(" ")}`, steps });
}
