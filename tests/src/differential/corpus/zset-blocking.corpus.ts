/*
 * Differential cases: BZPOPMIN, BZPOPMAX and BZMPOP on one connection: served at
 * once when a key has members, short timeouts when none has, argument errors
 * (timeout, numkeys, COUNT) in Redis' order, wrong types, the non-blocking
 * behaviour inside MULTI, RESP3 shapes. Waking blocked clients from another
 * connection is covered by tests/src/zsets (it needs two clients).
 *
 * Every case uses its own key names.
 */
import type { DiffCase } from "../corpus-types.js";

export const corpus: readonly DiffCase[] = [
  {
    name: "BZPOPMIN serves at once",
    steps: [
      ["ZADD", "k1", "1", "a", "2", "b"],
      ["BZPOPMIN", "k1", "0"],
      ["ZRANGE", "k1", "0", "-1"],
    ],
  },
  {
    name: "BZPOPMAX serves at once and deletes the emptied key",
    steps: [
      ["ZADD", "k2", "1", "a"],
      ["BZPOPMAX", "k2", "1"],
      ["EXISTS", "k2"],
    ],
  },
  {
    name: "BZPOPMIN takes the first key with members",
    steps: [
      ["ZADD", "k3b", "5", "x"],
      ["ZADD", "k3c", "1", "y"],
      ["BZPOPMIN", "k3a", "k3b", "k3c", "0"],
    ],
  },
  {
    name: "BZPOPMIN times out with a null array",
    steps: [
      ["BZPOPMIN", "k4", "0.01"],
      ["BZPOPMAX", "k4", "k4b", "0.01"],
    ],
  },
  {
    name: "BZPOPMIN timeout errors",
    steps: [
      ["BZPOPMIN", "k5", "-1"],
      ["BZPOPMIN", "k5", "abc"],
      ["BZPOPMIN", "k5", "nan"],
      ["BZPOPMIN", "k5", "-inf"],
      ["BZPOPMIN", "k5", "inf"],
    ],
  },
  {
    name: "BZPOPMIN timeout errors beat a wrong type",
    steps: [
      ["SET", "k6", "x"],
      ["BZPOPMIN", "k6", "abc"],
      ["BZPOPMIN", "k6", "0"],
    ],
  },
  {
    name: "BZPOPMIN stops at a wrong-type key",
    steps: [
      ["SET", "k7s", "x"],
      ["ZADD", "k7", "1", "a"],
      ["BZPOPMIN", "k7x", "k7s", "k7", "0"],
      ["BZPOPMIN", "k7", "k7s", "0"],
    ],
  },
  {
    name: "BZPOPMIN with a tiny negative timeout waits forever (served at once here)",
    steps: [
      ["ZADD", "k8", "1", "a"],
      ["BZPOPMIN", "k8", "-0.0001"],
    ],
  },
  { name: "BZPOPMIN arity", steps: [["BZPOPMIN", "k9"], ["BZPOPMAX"]] },
  {
    name: "BZMPOP serves at once",
    steps: [
      ["ZADD", "k10", "1", "a", "2", "b", "3", "c"],
      ["BZMPOP", "0", "1", "k10", "MIN"],
      ["BZMPOP", "1", "2", "k10x", "k10", "MAX", "COUNT", "5"],
      ["EXISTS", "k10"],
    ],
  },
  {
    name: "BZMPOP times out",
    steps: [
      ["BZMPOP", "0.01", "2", "k11a", "k11b", "MIN"],
      ["BZMPOP", "0.01", "1", "k11a", "MAX", "COUNT", "3"],
    ],
  },
  {
    name: "BZMPOP argument errors come before the timeout",
    steps: [
      ["BZMPOP", "x", "0", "k12", "MIN"],
      ["BZMPOP", "x", "1", "k12", "MIDDLE"],
      ["BZMPOP", "x", "1", "k12", "MIN", "COUNT", "0"],
      ["BZMPOP", "x", "1", "k12", "MIN"],
      ["BZMPOP", "-1", "1", "k12", "MIN"],
    ],
  },
  {
    name: "BZMPOP numkeys and syntax errors",
    steps: [
      ["BZMPOP", "0", "3", "k13", "MIN"],
      ["BZMPOP", "0", "1", "k13", "MIN", "COUNT"],
      ["BZMPOP", "0", "1", "k13", "MIN", "EXTRA"],
      ["BZMPOP", "0", "1", "k13"],
    ],
  },
  {
    name: "BZMPOP on a wrong type",
    steps: [
      ["SET", "k14", "x"],
      ["BZMPOP", "0", "1", "k14", "MIN"],
    ],
  },
  {
    name: "blocking pops inside MULTI do not block",
    steps: [
      ["MULTI"],
      ["BZPOPMIN", "k15", "0"],
      ["BZMPOP", "0", "1", "k15", "MAX"],
      ["ZADD", "k15", "1", "a"],
      ["BZPOPMAX", "k15", "0"],
      ["EXEC"],
    ],
  },
  {
    name: "RESP3: BZPOPMIN reply and timeout",
    resp3: true,
    steps: [
      ["ZADD", "k16", "1.5", "a"],
      ["BZPOPMIN", "k16", "0"],
      ["BZPOPMIN", "k16", "0.01"],
    ],
  },
  {
    name: "RESP3: BZMPOP reply and timeout",
    resp3: true,
    steps: [
      ["ZADD", "k17", "1", "a", "2", "b"],
      ["BZMPOP", "0", "1", "k17", "MAX", "COUNT", "1"],
      ["BZMPOP", "0.01", "1", "k17x", "MIN"],
    ],
  },
];
