/*
 * Differential cases: hashes. HSET HSETNX HMSET HGET HMGET HGETALL HKEYS HVALS
 * HDEL HLEN HEXISTS HSTRLEN HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN: replies and
 * error texts, listpack -> hashtable conversions at the thresholds (OBJECT
 * ENCODING before and after), wrong types, missing keys, arity, binary data,
 * RESP3 shapes.
 *
 * Comparison modes: a small hash is a listpack whose order (insertion order)
 * Redis defines, so its replies compare exactly. A hashtable has no defined
 * order, so its HGETALL / HKEYS / HVALS compare as multisets ("unordered").
 * Random replies (HRANDFIELD on several fields with a count below the size)
 * compare by reply type only, except where chance has no say (one field, or a
 * count covering the whole listpack).
 *
 * Keys are scoped per case ("@k" -> "hash<N>:k"). Cases that change encoding
 * limits with CONFIG SET restore the defaults before they end.
 */
import { type DiffCase, sameType, unordered } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** field/value arguments f0 v0 f1 v1 ... for `count` fields. */
function pairs(count: number, prefix = "f"): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`${prefix}${i}`, `v${i}`);
  return out;
}

const binaryField = Buffer.from([0x00, 0xff, 0x0d, 0x0a]);
const binaryValue = Buffer.from([0x80, 0x00, 0x0d, 0x0a, 0x7f]);
const x64 = "x".repeat(64);
const x65 = "x".repeat(65);

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- HSET family
  {
    name: "HSET creates a hash and counts new fields",
    steps: [
      ["HSET", "@h", "a", "1", "b", "2"],
      ["TYPE", "@h"],
    ],
  },
  {
    name: "HSET on existing fields counts only the new ones",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HSET", "@h", "a", "2", "b", "3"],
      ["HGET", "@h", "a"],
    ],
  },
  {
    name: "HSET with the same field twice in one call",
    steps: [
      ["HSET", "@h", "a", "1", "a", "2"],
      ["HGETALL", "@h"],
    ],
  },
  {
    name: "HSET with an odd number of arguments",
    steps: [
      ["HSET", "@h", "a", "1", "b"],
      ["EXISTS", "@h"],
    ],
  },
  { name: "HSET with a field and no value", steps: [["HSET", "@h", "a"]] },
  { name: "HSET with only a key", steps: [["HSET", "@h"]] },
  {
    name: "HMSET replies OK",
    steps: [
      ["HMSET", "@h", "a", "1", "b", "2"],
      ["HGETALL", "@h"],
    ],
  },
  { name: "HMSET with an odd number of arguments", steps: [["HMSET", "@h", "a", "1", "b"]] },
  {
    name: "HSETNX sets a missing field only",
    steps: [
      ["HSETNX", "@h", "a", "1"],
      ["HSETNX", "@h", "a", "2"],
      ["HGET", "@h", "a"],
    ],
  },
  {
    name: "HSETNX arity",
    steps: [
      ["HSETNX", "@h", "a"],
      ["HSETNX", "@h", "a", "1", "2"],
    ],
  },
  {
    name: "HSET with empty field and value",
    steps: [
      ["HSET", "@h", "", ""],
      ["HGETALL", "@h"],
      ["HSTRLEN", "@h", ""],
    ],
  },
  {
    name: "HSET with binary fields and values",
    steps: [
      ["HSET", "@h", binaryField, binaryValue],
      ["HGET", "@h", binaryField],
      ["HGETALL", "@h"],
    ],
  },
  {
    name: "HSET keeps the TTL of the key",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["EXPIRE", "@h", "100"],
      ["HSET", "@h", "b", "2"],
      ["TTL", "@h"],
    ],
  },

  // ---------------------------------------------------------------- reads
  {
    name: "HGET of a missing key and a missing field",
    steps: [
      ["HGET", "@none", "a"],
      ["HSET", "@h", "a", "1"],
      ["HGET", "@h", "b"],
    ],
  },
  {
    name: "HGET arity",
    steps: [
      ["HGET", "@h"],
      ["HGET", "@h", "a", "b"],
    ],
  },
  {
    name: "HMGET with present and missing fields",
    steps: [
      ["HSET", "@h", "a", "1", "c", "3"],
      ["HMGET", "@h", "a", "b", "c", "a"],
    ],
  },
  { name: "HMGET of a missing key", steps: [["HMGET", "@none", "a", "b"]] },
  { name: "HMGET arity", steps: [["HMGET", "@h"]] },
  {
    name: "HLEN",
    steps: [
      ["HLEN", "@none"],
      ["HSET", "@h", ...pairs(5)],
      ["HLEN", "@h"],
    ],
  },
  {
    name: "HSTRLEN",
    steps: [
      ["HSET", "@h", "a", "hello", "n", "12345", "e", ""],
      ["HSTRLEN", "@h", "a"],
      ["HSTRLEN", "@h", "n"],
      ["HSTRLEN", "@h", "e"],
      ["HSTRLEN", "@h", "zz"],
      ["HSTRLEN", "@none", "a"],
    ],
  },
  {
    name: "HEXISTS",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HEXISTS", "@h", "a"],
      ["HEXISTS", "@h", "b"],
      ["HEXISTS", "@none", "a"],
    ],
  },
  {
    name: "HGETALL, HKEYS and HVALS of a listpack keep insertion order",
    steps: [
      ["HSET", "@h", "z", "1", "a", "2", "m", "3"],
      ["HGETALL", "@h"],
      ["HKEYS", "@h"],
      ["HVALS", "@h"],
    ],
  },
  {
    name: "listpack order after updates and deletions",
    steps: [
      ["HSET", "@h", "a", "1", "b", "2", "c", "3", "d", "4"],
      ["HSET", "@h", "b", "20"],
      ["HDEL", "@h", "a"],
      ["HSET", "@h", "a", "10"],
      ["HDEL", "@h", "c"],
      ["HGETALL", "@h"],
    ],
  },
  {
    name: "HGETALL, HKEYS and HVALS of a missing key",
    steps: [
      ["HGETALL", "@none"],
      ["HKEYS", "@none"],
      ["HVALS", "@none"],
    ],
  },
  { name: "HGETALL arity", steps: [["HGETALL"], ["HGETALL", "@a", "@b"], ["HKEYS"], ["HVALS", "@a", "@b"]] },
  {
    name: "HGETALL of a hashtable (no defined order: compared as a multiset)",
    steps: [
      ["HSET", "@h", ...pairs(200)],
      unordered("HGETALL", "@h"),
      unordered("HKEYS", "@h"),
      unordered("HVALS", "@h"),
    ],
  },

  // ---------------------------------------------------------------- HDEL
  {
    name: "HDEL counts each deleted field once",
    steps: [
      ["HSET", "@h", "a", "1", "b", "2", "c", "3"],
      ["HDEL", "@h", "a", "a", "zz"],
      ["HLEN", "@h"],
    ],
  },
  {
    name: "HDEL of the last field deletes the key",
    steps: [
      ["HSET", "@h", "a", "1", "b", "2"],
      ["HDEL", "@h", "a", "b", "c"],
      ["EXISTS", "@h"],
      ["TYPE", "@h"],
    ],
  },
  { name: "HDEL of a missing key", steps: [["HDEL", "@none", "a"]] },
  { name: "HDEL arity", steps: [["HDEL", "@h"]] },
  {
    name: "HDEL emptying a hashtable deletes the key",
    steps: [
      ["HSET", "@h", ...pairs(130)],
      ["OBJECT", "ENCODING", "@h"],
      ["HDEL", "@h", ...pairs(130).filter((_, i) => i % 2 === 0)],
      ["EXISTS", "@h"],
    ],
  },

  // ---------------------------------------------------------------- HINCRBY
  {
    name: "HINCRBY creates the key and the field",
    steps: [
      ["HINCRBY", "@h", "n", "5"],
      ["HINCRBY", "@h", "n", "-7"],
      ["HGET", "@h", "n"],
    ],
  },
  {
    name: "HINCRBY at the 64-bit edges",
    steps: [
      ["HINCRBY", "@h", "max", "9223372036854775807"],
      ["HINCRBY", "@h", "max", "1"],
      ["HINCRBY", "@h", "min", "-9223372036854775808"],
      ["HINCRBY", "@h", "min", "-1"],
      ["HINCRBY", "@h", "max", "-9223372036854775808"],
      ["HGET", "@h", "max"],
    ],
  },
  {
    name: "HINCRBY with increments that are not integers",
    steps: [
      ["HINCRBY", "@h", "n", "1.5"],
      ["HINCRBY", "@h", "n", " 1"],
      ["HINCRBY", "@h", "n", "+1"],
      ["HINCRBY", "@h", "n", "01"],
      ["HINCRBY", "@h", "n", ""],
      ["HINCRBY", "@h", "n", "9223372036854775808"],
      ["EXISTS", "@h"],
    ],
  },
  {
    name: "HINCRBY on values that are not integers",
    steps: [
      ["HSET", "@h", "s", "abc", "f", "1.0", "sp", " 1", "z", "00", "nz", "-0", "e", ""],
      ["HINCRBY", "@h", "s", "1"],
      ["HINCRBY", "@h", "f", "1"],
      ["HINCRBY", "@h", "sp", "1"],
      ["HINCRBY", "@h", "z", "1"],
      ["HINCRBY", "@h", "nz", "1"],
      ["HINCRBY", "@h", "e", "1"],
    ],
  },
  {
    name: "HINCRBY arity",
    steps: [
      ["HINCRBY", "@h", "n"],
      ["HINCRBY", "@h", "n", "1", "2"],
    ],
  },

  // ---------------------------------------------------------------- HINCRBYFLOAT
  {
    name: "HINCRBYFLOAT with extended precision sums",
    steps: [
      ["HINCRBYFLOAT", "@h", "f", "10.1"],
      ["HINCRBYFLOAT", "@h", "f", "0.2"],
      ["HINCRBYFLOAT", "@h", "g", "0.1"],
      ["HINCRBYFLOAT", "@h", "g", "0.2"],
      ["HINCRBYFLOAT", "@h", "k", "1.23456789012345678901"],
    ],
  },
  {
    name: "HINCRBYFLOAT trims trailing zeros and negative zero",
    steps: [
      ["HINCRBYFLOAT", "@h", "a", "5.0e3"],
      ["HINCRBYFLOAT", "@h", "b", "-0"],
      ["HINCRBYFLOAT", "@h", "c", "3.0"],
      ["HINCRBYFLOAT", "@h", "c", "-3"],
      ["HGETALL", "@h"],
    ],
  },
  {
    name: "HINCRBYFLOAT prints big results in full and converts the hash",
    steps: [
      ["HSET", "@h", "big", "1e300"],
      ["OBJECT", "ENCODING", "@h"],
      ["HINCRBYFLOAT", "@h", "big", "1"],
      ["OBJECT", "ENCODING", "@h"],
      ["HINCRBYFLOAT", "@h", "huge", "1e400"],
    ],
  },
  {
    name: "HINCRBYFLOAT on integer and hexadecimal input",
    steps: [
      ["HSET", "@h", "n", "10"],
      ["HINCRBYFLOAT", "@h", "n", "1"],
      ["HINCRBYFLOAT", "@h", "x", "0x10"],
      ["HINCRBYFLOAT", "@h", "z", "00"],
    ],
  },
  {
    name: "HINCRBYFLOAT with increments that are not valid floats",
    steps: [
      ["HINCRBYFLOAT", "@h", "f", "abc"],
      ["HINCRBYFLOAT", "@h", "f", ""],
      ["HINCRBYFLOAT", "@h", "f", " 1"],
      ["HINCRBYFLOAT", "@h", "f", "nan"],
      ["HINCRBYFLOAT", "@h", "f", "1e99999"],
      ["EXISTS", "@h"],
    ],
  },
  {
    name: "HINCRBYFLOAT with infinite increments",
    steps: [
      ["HINCRBYFLOAT", "@h", "f", "inf"],
      ["HINCRBYFLOAT", "@h", "f", "-inf"],
      ["HINCRBYFLOAT", "@h", "f", "+Infinity"],
      ["EXISTS", "@h"],
    ],
  },
  {
    name: "HINCRBYFLOAT on values that are not floats",
    steps: [
      ["HSET", "@h", "s", "abc", "sp", " 1", "e", "", "n", "nan"],
      ["HINCRBYFLOAT", "@h", "s", "1"],
      ["HINCRBYFLOAT", "@h", "sp", "1"],
      ["HINCRBYFLOAT", "@h", "e", "1"],
      ["HINCRBYFLOAT", "@h", "n", "1"],
    ],
  },
  {
    name: "HINCRBYFLOAT overflowing the long double range",
    steps: [
      ["HSET", "@h", "huge", "1.1e4932"],
      ["HINCRBYFLOAT", "@h", "huge", "1.1e4932"],
      ["HGET", "@h", "huge"],
    ],
  },
  { name: "HINCRBYFLOAT arity", steps: [["HINCRBYFLOAT", "@h", "f"]] },

  // ---------------------------------------------------------------- HRANDFIELD
  {
    name: "HRANDFIELD of a missing key",
    steps: [
      ["HRANDFIELD", "@none"],
      ["HRANDFIELD", "@none", "3"],
      ["HRANDFIELD", "@none", "-3", "WITHVALUES"],
    ],
  },
  {
    name: "HRANDFIELD of a one-field hash",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HRANDFIELD", "@h"],
      ["HRANDFIELD", "@h", "1"],
      ["HRANDFIELD", "@h", "1", "WITHVALUES"],
    ],
  },
  {
    name: "HRANDFIELD with a negative count repeats fields",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HRANDFIELD", "@h", "-3"],
      ["HRANDFIELD", "@h", "-2", "WITHVALUES"],
      ["HRANDFIELD", "@h", "-1"],
    ],
  },
  {
    name: "HRANDFIELD with a count covering a listpack returns it in order",
    steps: [
      ["HSET", "@h", "c", "1", "a", "2", "b", "3"],
      ["HRANDFIELD", "@h", "3"],
      ["HRANDFIELD", "@h", "10", "withvalues"],
    ],
  },
  {
    name: "HRANDFIELD with a count below the size (random: type only)",
    steps: [
      ["HSET", "@h", ...pairs(10)],
      sameType("HRANDFIELD", "@h"),
      sameType("HRANDFIELD", "@h", "3"),
      sameType("HRANDFIELD", "@h", "-20", "WITHVALUES"),
    ],
  },
  {
    name: "HRANDFIELD with a count covering a hashtable (no defined order)",
    steps: [
      ["HSET", "@h", ...pairs(150)],
      unordered("HRANDFIELD", "@h", "150"),
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "HRANDFIELD with count 0",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HRANDFIELD", "@h", "0"],
      ["HRANDFIELD", "@h", "0", "WITHVALUES"],
    ],
  },
  {
    name: "HRANDFIELD count that is not an integer, checked before the key",
    steps: [
      ["HRANDFIELD", "@none", "x"],
      ["HRANDFIELD", "@none", "1.5"],
      ["HRANDFIELD", "@none", ""],
    ],
  },
  {
    name: "HRANDFIELD syntax errors after a valid count",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HRANDFIELD", "@h", "1", "WITHVALUE"],
      ["HRANDFIELD", "@h", "1", "WITHVALUES", "x"],
      ["HRANDFIELD", "@h", "x", "WITHVALUE"],
    ],
  },
  {
    name: "HRANDFIELD count at the 64-bit edges",
    steps: [
      ["HRANDFIELD", "@none", "-9223372036854775808"],
      ["HRANDFIELD", "@none", "9223372036854775807"],
      ["HRANDFIELD", "@none", "9223372036854775808"],
      ["HRANDFIELD", "@none", "4611686018427387903", "WITHVALUES"],
      ["HRANDFIELD", "@none", "4611686018427387904", "WITHVALUES"],
      ["HRANDFIELD", "@none", "-4611686018427387904", "WITHVALUES"],
    ],
  },
  { name: "HRANDFIELD arity", steps: [["HRANDFIELD"]] },

  // ---------------------------------------------------------------- HSCAN
  {
    name: "HSCAN of a listpack returns everything with cursor 0",
    steps: [
      ["HSET", "@h", "b", "1", "a", "2", "c", "3"],
      ["HSCAN", "@h", "0"],
      ["HSCAN", "@h", "0", "COUNT", "1"],
      ["HSCAN", "@h", "123"],
    ],
  },
  {
    name: "HSCAN MATCH filters on fields",
    steps: [
      ["HSET", "@h", "apple", "1", "banana", "2", "avocado", "3"],
      ["HSCAN", "@h", "0", "MATCH", "a*"],
      ["HSCAN", "@h", "0", "MATCH", "*an*", "COUNT", "100"],
      ["HSCAN", "@h", "0", "MATCH", "zz*"],
    ],
  },
  {
    name: "HSCAN of a missing key",
    steps: [
      ["HSCAN", "@none", "0"],
      ["HSCAN", "@none", "0", "COUNT", "0"],
      ["HSCAN", "@none", "0", "BOGUS"],
    ],
  },
  {
    name: "HSCAN cursor parsing",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HSCAN", "@h", "x"],
      ["HSCAN", "@h", "-1"],
      ["HSCAN", "@h", "+0"],
      ["HSCAN", "@h", ""],
      ["HSCAN", "@h", " 1"],
      ["HSCAN", "@h", "18446744073709551616"],
      ["HSCAN", "@none", "1.5"],
    ],
  },
  {
    name: "HSCAN option errors",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HSCAN", "@h", "0", "COUNT", "0"],
      ["HSCAN", "@h", "0", "COUNT", "x"],
      ["HSCAN", "@h", "0", "COUNT"],
      ["HSCAN", "@h", "0", "MATCH"],
      ["HSCAN", "@h", "0", "TYPE", "hash"],
      ["HSCAN", "@h", "0", "NOVALUES"],
    ],
  },
  {
    name: "HSCAN of a hashtable (cursor values differ by design: type only)",
    steps: [
      ["HSET", "@h", ...pairs(300)],
      sameType("HSCAN", "@h", "0"),
      sameType("HSCAN", "@h", "0", "COUNT", "1000", "MATCH", "f1*"),
    ],
  },
  { name: "HSCAN arity", steps: [["HSCAN", "@h"]] },

  // ---------------------------------------------------------------- encodings
  {
    name: "128 fields stay a listpack, the 129th converts",
    steps: [
      ["HSET", "@h", ...pairs(128)],
      ["OBJECT", "ENCODING", "@h"],
      ["HSET", "@h", "f128", "x"],
      ["OBJECT", "ENCODING", "@h"],
      ["HLEN", "@h"],
    ],
  },
  {
    name: "129 fields in one HSET convert",
    steps: [
      ["HSET", "@h", ...pairs(129)],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "updating the 128th field keeps the listpack",
    steps: [
      ["HSET", "@h", ...pairs(128)],
      ["HSET", "@h", "f0", "new"],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "a 64-byte value stays a listpack, 65 bytes converts",
    steps: [
      ["HSET", "@h", "f", x64],
      ["OBJECT", "ENCODING", "@h"],
      ["HSET", "@h", "f", x65],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "a 64-byte field stays a listpack, 65 bytes converts",
    steps: [
      ["HSET", "@h", x64, "1"],
      ["OBJECT", "ENCODING", "@h"],
      ["HSET", "@h", x65, "1"],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "HSETNX with a long value on an existing field changes nothing",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HSETNX", "@h", "a", x65],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "HSETNX with a long value converts",
    steps: [
      ["HSETNX", "@h", "a", x65],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "HINCRBY on a long field converts",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HINCRBY", "@h", x65, "1"],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "HINCRBYFLOAT on a long field converts",
    steps: [
      ["HINCRBYFLOAT", "@h", x65, "1.5"],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "conversion is one-way: deleting fields keeps the hashtable",
    steps: [
      ["HSET", "@h", ...pairs(129)],
      ["HDEL", "@h", ...pairs(128).filter((_, i) => i % 2 === 0)],
      ["HLEN", "@h"],
      ["OBJECT", "ENCODING", "@h"],
      ["HGETALL", "@h"],
    ],
  },
  {
    name: "CONFIG SET hash-max-listpack-entries changes the threshold",
    steps: [
      ["CONFIG", "SET", "hash-max-listpack-entries", "2"],
      ["HSET", "@h", "a", "1", "b", "2"],
      ["OBJECT", "ENCODING", "@h"],
      ["HSET", "@h", "c", "3"],
      ["OBJECT", "ENCODING", "@h"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "128"],
      ["HDEL", "@h", "c"],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "CONFIG SET hash-max-listpack-value changes the threshold",
    steps: [
      ["CONFIG", "SET", "hash-max-listpack-value", "3"],
      ["HSET", "@h", "a", "123"],
      ["OBJECT", "ENCODING", "@h"],
      ["HSET", "@h", "b", "1234"],
      ["OBJECT", "ENCODING", "@h"],
      ["CONFIG", "SET", "hash-max-listpack-value", "64"],
    ],
  },
  {
    name: "a zero entry limit makes every new hash a hashtable",
    steps: [
      ["CONFIG", "SET", "hash-max-listpack-entries", "0"],
      ["HSET", "@h", "a", "1"],
      ["OBJECT", "ENCODING", "@h"],
      ["HINCRBY", "@g", "a", "1"],
      ["OBJECT", "ENCODING", "@g"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "128"],
    ],
  },
  {
    name: "a zero value limit keeps empty strings in a listpack",
    steps: [
      ["CONFIG", "SET", "hash-max-listpack-value", "0"],
      ["HSET", "@h", "", ""],
      ["OBJECT", "ENCODING", "@h"],
      ["HSET", "@h", "a", ""],
      ["OBJECT", "ENCODING", "@h"],
      ["CONFIG", "SET", "hash-max-listpack-value", "64"],
    ],
  },
  {
    name: "COPY of a listpack and of a hashtable",
    steps: [
      ["HSET", "@small", "b", "1", "a", "2"],
      ["COPY", "@small", "@small2"],
      ["OBJECT", "ENCODING", "@small2"],
      ["HGETALL", "@small2"],
      ["HSET", "@big", ...pairs(200)],
      ["COPY", "@big", "@big2"],
      ["OBJECT", "ENCODING", "@big2"],
      ["HSET", "@big", "f0", "changed"],
      ["HGET", "@big2", "f0"],
    ],
  },

  // ---------------------------------------------------------------- wrong types
  {
    name: "hash commands on a string key",
    steps: [
      ["SET", "@s", "v"],
      ["HSET", "@s", "a", "1"],
      ["HSETNX", "@s", "a", "1"],
      ["HMSET", "@s", "a", "1"],
      ["HGET", "@s", "a"],
      ["HMGET", "@s", "a"],
      ["HGETALL", "@s"],
      ["HKEYS", "@s"],
      ["HVALS", "@s"],
      ["HDEL", "@s", "a"],
      ["HLEN", "@s"],
      ["HEXISTS", "@s", "a"],
      ["HSTRLEN", "@s", "a"],
      ["GET", "@s"],
    ],
  },
  {
    name: "counting hash commands on a string key",
    steps: [
      ["SET", "@s", "v"],
      ["HINCRBY", "@s", "a", "1"],
      ["HINCRBYFLOAT", "@s", "a", "1"],
      ["HRANDFIELD", "@s"],
      ["HRANDFIELD", "@s", "2"],
      ["HSCAN", "@s", "0"],
    ],
  },
  {
    name: "argument errors come before the type check",
    steps: [
      ["SET", "@s", "v"],
      ["HINCRBY", "@s", "a", "x"],
      ["HINCRBYFLOAT", "@s", "a", "x"],
      ["HRANDFIELD", "@s", "x"],
      ["HSCAN", "@s", "x"],
      ["HSET", "@s", "a"],
    ],
  },
  {
    name: "string commands on a hash",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["GET", "@h"],
      ["INCR", "@h"],
      ["APPEND", "@h", "x"],
      ["TYPE", "@h"],
    ],
  },
  {
    name: "SET replaces a hash",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["SET", "@h", "v"],
      ["HGET", "@h", "a"],
      ["GET", "@h"],
    ],
  },

  // ---------------------------------------------------------------- RESP3
  {
    name: "RESP3: HGETALL is a map, missing things are nulls",
    resp3: true,
    steps: [
      ["HSET", "@h", "a", "1", "b", "2"],
      ["HGETALL", "@h"],
      ["HGETALL", "@none"],
      ["HGET", "@h", "zz"],
      ["HMGET", "@h", "a", "zz"],
      ["HMGET", "@none", "a"],
    ],
  },
  {
    name: "RESP3: HRANDFIELD WITHVALUES nests pairs",
    resp3: true,
    steps: [
      ["HSET", "@h", "a", "1", "b", "2"],
      ["HRANDFIELD", "@h", "5", "WITHVALUES"],
      ["HRANDFIELD", "@h", "5"],
      ["HRANDFIELD", "@none"],
      ["HRANDFIELD", "@none", "2", "WITHVALUES"],
    ],
  },
  {
    name: "RESP3: HRANDFIELD with a negative count on one field",
    resp3: true,
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HRANDFIELD", "@h", "-2", "WITHVALUES"],
      ["HRANDFIELD", "@h", "-2"],
    ],
  },
  {
    name: "RESP3: HSCAN, HKEYS, HVALS, HINCRBYFLOAT, HEXISTS",
    resp3: true,
    steps: [
      ["HSET", "@h", "a", "1"],
      ["HSCAN", "@h", "0"],
      ["HKEYS", "@h"],
      ["HVALS", "@h"],
      ["HINCRBYFLOAT", "@h", "a", "1.5"],
      ["HEXISTS", "@h", "a"],
      ["HSCAN", "@none", "0"],
    ],
  },
  {
    name: "RESP3: HGETALL of a hashtable (no defined order)",
    resp3: true,
    steps: [["HSET", "@h", ...pairs(140)], unordered("HGETALL", "@h")],
  },

  // ---------------------------------------------------------------- transactions and expiry
  {
    name: "hash commands inside MULTI/EXEC",
    steps: [["MULTI"], ["HSET", "@h", "a", "1"], ["HINCRBY", "@h", "a", "2"], ["HGETALL", "@h"], ["EXEC"]],
  },
  {
    name: "an expired hash reads as missing",
    steps: [
      ["HSET", "@h", "a", "1"],
      ["PEXPIRE", "@h", "20"],
      { sleep: 60 },
      ["HGET", "@h", "a"],
      ["HLEN", "@h"],
      ["HSET", "@h", "b", "2"],
      ["HGETALL", "@h"],
      ["TTL", "@h"],
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("hash", cases);
