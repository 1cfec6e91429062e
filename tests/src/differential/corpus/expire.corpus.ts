/*
 * Differential cases: expire commands (EXPIRE PEXPIRE EXPIREAT PEXPIREAT with
 * NX / XX / GT / LT, TTL PTTL EXPIRETIME PEXPIRETIME PERSIST) and keys expiring
 * under other commands. Small TTLs and { sleep } steps exercise real expiry;
 * millisecond TTLs that depend on timing are only type-checked. Keys are
 * written "@name" and scoped per case (see scoped-keys.ts).
 */
import { type DiffCase, sameType } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** A deadline far in the future (year 3021), in seconds and in milliseconds. */
const FUTURE_S = "33177600000";
const FUTURE_MS = "33177600000123";

const cases: DiffCase[] = [
  // ------------------------------------------------------------ EXPIRE and TTL
  {
    name: "EXPIRE and TTL",
    steps: [["SET", "@k", "v"], ["EXPIRE", "@k", "100"], ["TTL", "@k"], sameType("PTTL", "@k")],
  },
  {
    name: "EXPIRE a missing key",
    steps: [
      ["EXPIRE", "@k", "100"],
      ["PEXPIRE", "@k", "100"],
      ["EXPIREAT", "@k", FUTURE_S],
    ],
  },
  {
    name: "TTL of a key without TTL",
    steps: [
      ["SET", "@k", "v"],
      ["TTL", "@k"],
      ["PTTL", "@k"],
      ["EXPIRETIME", "@k"],
      ["PEXPIRETIME", "@k"],
    ],
  },
  {
    name: "TTL of a missing key",
    steps: [
      ["TTL", "@k"],
      ["PTTL", "@k"],
      ["EXPIRETIME", "@k"],
      ["PEXPIRETIME", "@k"],
    ],
  },
  {
    name: "PEXPIRE and PTTL rounding to seconds",
    steps: [
      ["SET", "@k", "v"],
      ["PEXPIRE", "@k", "100400"],
      ["TTL", "@k"],
      ["PEXPIRE", "@k", "1600"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "EXPIREAT and PEXPIREAT",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIREAT", "@k", FUTURE_S],
      ["EXPIRETIME", "@k"],
      ["PEXPIRETIME", "@k"],
      ["PEXPIREAT", "@k", FUTURE_MS],
      ["PEXPIRETIME", "@k"],
      ["EXPIRETIME", "@k"],
    ],
  },
  {
    name: "EXPIRETIME rounds to the nearest second",
    steps: [
      ["SET", "@k", "v"],
      ["PEXPIREAT", "@k", "33177600000499"],
      ["EXPIRETIME", "@k"],
      ["PEXPIREAT", "@k", "33177600000500"],
      ["EXPIRETIME", "@k"],
    ],
  },
  // ------------------------------------------------------------ past deadlines delete
  {
    name: "EXPIRE with a negative time deletes",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "-1"],
      ["EXISTS", "@k"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "EXPIRE 0 deletes",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "0"],
      ["GET", "@k"],
    ],
  },
  {
    name: "PEXPIREAT in the past deletes",
    steps: [
      ["SET", "@k", "v"],
      ["PEXPIREAT", "@k", "1"],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "EXPIREAT 0 deletes",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIREAT", "@k", "0"],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "PEXPIRE with the minimum integer deletes",
    steps: [
      ["SET", "@k", "v"],
      ["PEXPIRE", "@k", "-9223372036854775808"],
      ["EXISTS", "@k"],
    ],
  },
  // ------------------------------------------------------------ limits and errors
  {
    name: "EXPIRE overflow",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "9223372036854776"],
      ["EXPIRE", "@k", "-9223372036854776"],
      ["EXPIREAT", "@k", "9223372036854776"],
      ["PEXPIRE", "@k", "9223372036854775807"],
      ["PEXPIRE", "@k", "9223372036854775000"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "EXPIREAT at the largest second",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIREAT", "@k", "9223372036854775"],
      ["EXPIRETIME", "@k"],
      ["PEXPIRETIME", "@k"],
    ],
  },
  {
    name: "PEXPIREAT at the largest millisecond",
    steps: [
      ["SET", "@k", "v"],
      ["PEXPIREAT", "@k", "9223372036854775807"],
      ["PEXPIRETIME", "@k"],
      ["EXPIRETIME", "@k"],
      ["PERSIST", "@k"],
    ],
  },
  {
    name: "deadlines beyond 2^53 stay exact",
    steps: [
      ["SET", "@k", "v"],
      ["PEXPIREAT", "@k", "9007199254740993"],
      ["PEXPIRETIME", "@k"],
      ["PEXPIREAT", "@k", "9223372036854775806", "GT"],
      ["PEXPIRETIME", "@k"],
      ["PEXPIREAT", "@k", "9223372036854775807", "LT"],
      ["PEXPIREAT", "@k", "9223372036854775805", "LT"],
      ["PEXPIRETIME", "@k"],
    ],
  },
  {
    name: "EXPIRE bad arguments",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "abc"],
      ["EXPIRE", "@k", "1.5"],
      ["EXPIRE", "@k", ""],
      ["EXPIRE", "@k", "9223372036854775808"],
      ["EXPIRE", "@k"],
      ["EXPIRE"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "EXPIRE unknown option",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "10", "FOO"],
      ["EXPIRE", "@k", "10", "NX", "bar"],
      ["EXPIRE", "@k", "abc", "FOO"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "EXPIRE incompatible options",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "10", "NX", "XX"],
      ["EXPIRE", "@k", "10", "NX", "GT"],
      ["EXPIRE", "@k", "10", "LT", "NX"],
      ["EXPIRE", "@k", "10", "GT", "LT"],
      ["EXPIRE", "@k", "abc", "GT", "LT"],
      ["PEXPIRE", "@k", "10", "xx", "nx"],
      ["TTL", "@k"],
    ],
  },
  // ------------------------------------------------------------ NX / XX / GT / LT
  {
    name: "EXPIRE NX",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "100", "NX"],
      ["EXPIRE", "@k", "200", "NX"],
      ["TTL", "@k"],
      ["EXPIRE", "@missing", "10", "NX"],
    ],
  },
  {
    name: "EXPIRE XX",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "100", "XX"],
      ["TTL", "@k"],
      ["EXPIRE", "@k", "100"],
      ["EXPIRE", "@k", "200", "XX"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "EXPIRE GT",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "100", "GT"],
      ["TTL", "@k"],
      ["EXPIRE", "@k", "100"],
      ["EXPIRE", "@k", "50", "GT"],
      ["EXPIRE", "@k", "200", "GT"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "EXPIRE LT",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "100", "LT"],
      ["TTL", "@k"],
      ["EXPIRE", "@k", "200", "LT"],
      ["EXPIRE", "@k", "50", "LT"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "EXPIRE XX GT and XX LT",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "100", "XX", "GT"],
      ["EXPIRE", "@k", "100"],
      ["EXPIRE", "@k", "200", "XX", "GT"],
      ["EXPIRE", "@k", "50", "LT", "XX"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "EXPIRE LT with a past time deletes",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "100"],
      ["EXPIRE", "@k", "-5", "LT"],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "EXPIRE GT with a past time on a key without TTL",
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "-5", "GT"],
      ["EXISTS", "@k"],
      ["EXPIRE", "@k", "-5", "LT"],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "PEXPIREAT options compare absolute deadlines",
    steps: [
      ["SET", "@k", "v"],
      ["PEXPIREAT", "@k", FUTURE_MS],
      ["PEXPIREAT", "@k", FUTURE_MS, "GT"],
      ["PEXPIREAT", "@k", FUTURE_MS, "LT"],
      ["PEXPIREAT", "@k", "33177600000124", "GT"],
      ["PEXPIRETIME", "@k"],
    ],
  },
  // ------------------------------------------------------------ PERSIST
  {
    name: "PERSIST",
    steps: [
      ["SETEX", "@k", "100", "v"],
      ["PERSIST", "@k"],
      ["TTL", "@k"],
      ["PERSIST", "@k"],
      ["PERSIST", "@missing"],
      ["PERSIST"],
    ],
  },
  // ------------------------------------------------------------ real expiry
  {
    name: "a key with a short TTL disappears",
    steps: [
      ["SET", "@k", "v", "PX", "30"],
      ["GET", "@k"],
      { sleep: 80 },
      ["GET", "@k"],
      ["TTL", "@k"],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "PEXPIRE then the key is gone for every command",
    steps: [
      ["SET", "@k", "5"],
      ["PEXPIRE", "@k", "20"],
      { sleep: 60 },
      ["STRLEN", "@k"],
      ["INCR", "@k"],
      ["TTL", "@k"],
      ["GET", "@k"],
    ],
  },
  {
    name: "PSETEX expiry then SETNX succeeds",
    steps: [
      ["PSETEX", "@k", "20", "old"],
      { sleep: 60 },
      ["SETNX", "@k", "new"],
      ["GET", "@k"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "expired keys are not renamed, copied or moved",
    steps: [
      ["SET", "@a", "1", "PX", "20"],
      ["SET", "@b", "2", "PX", "20"],
      ["SET", "@c", "3", "PX", "20"],
      { sleep: 60 },
      ["RENAME", "@a", "@x"],
      ["COPY", "@b", "@y"],
      ["MOVE", "@c", "1"],
      ["EXISTS", "@x", "@y"],
    ],
  },
  {
    name: "EXPIRE on an expired key",
    steps: [
      ["SET", "@k", "v", "PX", "20"],
      { sleep: 60 },
      ["EXPIRE", "@k", "100"],
      ["PERSIST", "@k"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "GETEX PX keeps the key until its deadline",
    steps: [["SET", "@k", "v"], ["GETEX", "@k", "PX", "30"], ["GET", "@k"], { sleep: 80 }, ["GET", "@k"]],
  },
  {
    name: "SET KEEPTTL keeps a short TTL",
    steps: [["SET", "@k", "v", "PX", "30"], ["SET", "@k", "w", "KEEPTTL"], { sleep: 80 }, ["GET", "@k"]],
  },
  {
    name: "PERSIST saves a key from expiring",
    steps: [["SET", "@k", "v", "PX", "40"], ["PERSIST", "@k"], { sleep: 80 }, ["GET", "@k"], ["TTL", "@k"]],
  },
  {
    name: "EXPIRE GT extends a short TTL",
    steps: [
      ["SET", "@k", "v", "PX", "30"],
      ["PEXPIRE", "@k", "100000", "GT"],
      { sleep: 80 },
      ["GET", "@k"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "expiring keys in MGET and EXISTS",
    steps: [
      ["MSET", "@a", "1", "@b", "2"],
      ["PEXPIRE", "@a", "20"],
      { sleep: 60 },
      ["MGET", "@a", "@b"],
      ["EXISTS", "@a", "@b"],
    ],
  },
  {
    name: "TTL family arity",
    steps: [
      ["TTL"],
      ["PTTL", "@a", "@b"],
      ["EXPIRETIME"],
      ["PEXPIRETIME", "@a", "@b"],
      ["PEXPIREAT", "@a"],
      ["EXPIREAT"],
    ],
  },
  {
    name: "expire replies in RESP3",
    resp3: true,
    steps: [
      ["SET", "@k", "v"],
      ["EXPIRE", "@k", "100"],
      ["TTL", "@k"],
      ["PERSIST", "@k"],
      ["TTL", "@missing"],
      ["GETEX", "@missing"],
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("exp", cases);
