/*
 * Differential cases: string commands (GET SET SETNX SETEX PSETEX MGET MSET
 * MSETNX GETSET GETDEL GETEX APPEND STRLEN INCR DECR INCRBY DECRBY INCRBYFLOAT
 * GETRANGE SETRANGE SUBSTR LCS): options, arity, bad numbers, 64-bit limits,
 * float formatting, binary data, OBJECT ENCODING transitions.
 * Keys are written "@name" and scoped per case (see scoped-keys.ts).
 */
import { type DiffCase, sameType } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

const BINARY = Buffer.from([0, 1, 2, 13, 10, 0xff, 0, 0x80, 13, 10]);
const LONG_VALUE = "x".repeat(45);
const EMBSTR_LIMIT_VALUE = "y".repeat(44);

/** One INCRBYFLOAT case: SET the start value (when given), then add each increment. */
function floatCase(name: string, start: string | null, ...increments: string[]): DiffCase {
  const steps = start === null ? [] : [["SET", "@f", start]];
  for (const increment of increments) steps.push(["INCRBYFLOAT", "@f", increment]);
  steps.push(["GET", "@f"], ["OBJECT", "ENCODING", "@f"]);
  return { name: `INCRBYFLOAT ${name}`, steps };
}

const cases: DiffCase[] = [
  // ------------------------------------------------------------ GET / SET
  { name: "GET of a missing key", steps: [["GET", "@missing"]] },
  {
    name: "SET then GET",
    steps: [
      ["SET", "@k", "v"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET overwrites",
    steps: [
      ["SET", "@k", "1"],
      ["SET", "@k", "2"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET an empty value",
    steps: [
      ["SET", "@k", ""],
      ["GET", "@k"],
      ["STRLEN", "@k"],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "SET binary value with NUL and CRLF",
    steps: [
      ["SET", "@k", BINARY],
      ["GET", "@k"],
      ["STRLEN", "@k"],
    ],
  },
  {
    name: "binary key with NUL and CRLF",
    steps: [
      ["SET", Buffer.from("str-binary-key\0\r\n\xff"), "v"],
      ["GET", Buffer.from("str-binary-key\0\r\n\xff")],
      ["GET", Buffer.from("str-binary-key\0\r\n")],
      ["DEL", Buffer.from("str-binary-key\0\r\n\xff")],
    ],
  },
  {
    name: "SET NX on a missing key",
    steps: [
      ["SET", "@k", "1", "NX"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET NX on an existing key",
    steps: [
      ["SET", "@k", "1"],
      ["SET", "@k", "2", "NX"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET XX on a missing key",
    steps: [
      ["SET", "@k", "1", "XX"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET XX on an existing key",
    steps: [
      ["SET", "@k", "1"],
      ["SET", "@k", "2", "XX"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET NX XX is a syntax error",
    steps: [
      ["SET", "@k", "1", "NX", "XX"],
      ["SET", "@k", "1", "XX", "NX"],
    ],
  },
  {
    name: "SET options are case-insensitive",
    steps: [
      ["SET", "@k", "1", "nx", "ex", "100"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "SET unknown option",
    steps: [
      ["SET", "@k", "1", "FOO"],
      ["SET", "@k", "1", "EX"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET EX and PX together is a syntax error",
    steps: [
      ["SET", "@k", "1", "EX", "10", "PX", "100"],
      ["SET", "@k", "1", "EXAT", "10", "PXAT", "100"],
      ["SET", "@k", "1", "EX", "10", "KEEPTTL"],
      ["SET", "@k", "1", "KEEPTTL", "PX", "10"],
    ],
  },
  {
    name: "SET repeated EX: the last wins",
    steps: [
      ["SET", "@k", "1", "EX", "10", "EX", "200"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "SET EX 0 and negative",
    steps: [
      ["SET", "@k", "1", "EX", "0"],
      ["SET", "@k", "1", "PX", "-5"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET EX not a number",
    steps: [
      ["SET", "@k", "1", "EX", "abc"],
      ["SET", "@k", "1", "EX", "1.5"],
      ["SET", "@k", "1", "PX", " 10"],
    ],
  },
  {
    name: "SET expire overflow limits",
    steps: [
      ["SET", "@k", "1", "EX", "9223372036854776"],
      ["SET", "@k", "1", "EX", "9223372036854775807"],
      ["SET", "@k", "1", "PX", "9223372036854775807"],
      ["SET", "@k", "1", "EX", "9223372036854775808"],
      ["SET", "@k", "1", "EXAT", "9223372036854775"],
      ["EXPIRETIME", "@k"],
      ["SET", "@k", "1", "PXAT", "9223372036854775807"],
      ["PEXPIRETIME", "@k"],
      ["EXPIRETIME", "@k"],
    ],
  },
  {
    name: "SET EX sets a TTL",
    steps: [["SET", "@k", "v", "EX", "100"], ["TTL", "@k"], sameType("PTTL", "@k")],
  },
  {
    name: "SET PX sets a TTL",
    steps: [
      ["SET", "@k", "v", "PX", "100000"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "SET EXAT and PXAT",
    steps: [
      ["SET", "@k", "v", "EXAT", "33177600000"],
      ["EXPIRETIME", "@k"],
      ["SET", "@k", "v", "PXAT", "33177600000123"],
      ["PEXPIRETIME", "@k"],
      ["EXPIRETIME", "@k"],
    ],
  },
  {
    name: "SET EXAT in the past stores a key that is already gone",
    steps: [
      ["SET", "@k", "v", "EXAT", "1"],
      ["GET", "@k"],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "SET without options drops the TTL",
    steps: [
      ["SET", "@k", "v", "EX", "100"],
      ["SET", "@k", "w"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "SET KEEPTTL keeps the TTL",
    steps: [
      ["SET", "@k", "v", "EX", "100"],
      ["SET", "@k", "w", "KEEPTTL"],
      ["TTL", "@k"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET GET returns the old value",
    steps: [
      ["SET", "@k", "old"],
      ["SET", "@k", "new", "GET"],
      ["GET", "@k"],
      ["SET", "@k2", "v", "GET"],
      ["GET", "@k2"],
    ],
  },
  {
    name: "SET GET with NX and XX",
    steps: [
      ["SET", "@k", "old"],
      ["SET", "@k", "new", "NX", "GET"],
      ["GET", "@k"],
      ["SET", "@k2", "new", "XX", "GET"],
      ["EXISTS", "@k2"],
      ["SET", "@k", "newer", "XX", "GET"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET GET repeated",
    steps: [
      ["SET", "@k", "a"],
      ["SET", "@k", "b", "GET", "GET"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET GET with EX",
    steps: [
      ["SET", "@k", "a"],
      ["SET", "@k", "b", "GET", "EX", "100"],
      ["TTL", "@k"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SET GET with a bad expire",
    steps: [
      ["SET", "@k", "a"],
      ["SET", "@k", "b", "GET", "EX", "0"],
      ["GET", "@k"],
    ],
  },
  { name: "GET and SET wrong arity", steps: [["GET"], ["GET", "@a", "@b"], ["SET", "@k"], ["SET"]] },
  { name: "unknown command", steps: [["NOSUCHCOMMAND", "a", "b"]] },
  {
    name: "integer-looking values keep their text",
    steps: [
      ["SET", "@n", "00123"],
      ["GET", "@n"],
      ["SET", "@m", "-0"],
      ["GET", "@m"],
      ["SET", "@p", "+5"],
      ["GET", "@p"],
      ["SET", "@q", "9223372036854775808"],
      ["GET", "@q"],
      ["OBJECT", "ENCODING", "@q"],
    ],
  },
  // ------------------------------------------------------------ SETNX / SETEX / PSETEX
  {
    name: "SETNX",
    steps: [
      ["SETNX", "@k", "1"],
      ["SETNX", "@k", "2"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SETNX arity",
    steps: [
      ["SETNX", "@k"],
      ["SETNX", "@k", "1", "2"],
    ],
  },
  {
    name: "SETEX sets value and TTL",
    steps: [
      ["SETEX", "@k", "100", "v"],
      ["GET", "@k"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "SETEX bad times",
    steps: [
      ["SETEX", "@k", "0", "v"],
      ["SETEX", "@k", "-1", "v"],
      ["SETEX", "@k", "abc", "v"],
      ["SETEX", "@k", "9223372036854776", "v"],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "PSETEX sets value and TTL",
    steps: [
      ["PSETEX", "@k", "100000", "v"],
      ["GET", "@k"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "PSETEX bad times",
    steps: [
      ["PSETEX", "@k", "0", "v"],
      ["PSETEX", "@k", "9223372036854775807", "v"],
      ["PSETEX", "@k", "x", "v"],
    ],
  },
  {
    name: "SETEX and PSETEX arity",
    steps: [
      ["SETEX", "@k", "10"],
      ["PSETEX", "@k"],
    ],
  },
  // ------------------------------------------------------------ MGET / MSET / MSETNX
  {
    name: "MSET then MGET",
    steps: [
      ["MSET", "@a", "1", "@b", "2", "@c", "3"],
      ["MGET", "@a", "@b", "@c", "@missing"],
      ["MGET", "@a"],
    ],
  },
  {
    name: "MSET odd number of arguments",
    steps: [
      ["MSET", "@a", "1", "@b"],
      ["MSET", "@a"],
      ["MSETNX", "@a", "1", "@b"],
    ],
  },
  {
    name: "MSET repeated key: the last wins",
    steps: [
      ["MSET", "@a", "1", "@a", "2"],
      ["GET", "@a"],
    ],
  },
  {
    name: "MSET drops TTLs",
    steps: [
      ["SETEX", "@a", "100", "1"],
      ["MSET", "@a", "2"],
      ["TTL", "@a"],
    ],
  },
  {
    name: "MSETNX all new",
    steps: [
      ["MSETNX", "@a", "1", "@b", "2"],
      ["MGET", "@a", "@b"],
      ["MSETNX", "@a", "1", "@a", "2"],
      ["GET", "@a"],
    ],
  },
  {
    name: "MSETNX with one existing key sets nothing",
    steps: [
      ["SET", "@b", "x"],
      ["MSETNX", "@a", "1", "@b", "2"],
      ["MGET", "@a", "@b"],
    ],
  },
  {
    name: "MSETNX repeated new key",
    steps: [
      ["MSETNX", "@d", "1", "@d", "2"],
      ["GET", "@d"],
    ],
  },
  { name: "MGET arity", steps: [["MGET"]] },
  // ------------------------------------------------------------ GETSET / GETDEL / GETEX
  {
    name: "GETSET",
    steps: [
      ["GETSET", "@k", "1"],
      ["GETSET", "@k", "2"],
      ["GET", "@k"],
      ["GETSET", "@k"],
      ["GETSET", "@k", "1", "2"],
    ],
  },
  {
    name: "GETSET drops the TTL",
    steps: [
      ["SETEX", "@k", "100", "v"],
      ["GETSET", "@k", "w"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "GETDEL",
    steps: [
      ["SET", "@k", "v"],
      ["GETDEL", "@k"],
      ["GETDEL", "@k"],
      ["EXISTS", "@k"],
      ["GETDEL"],
      ["GETDEL", "@a", "@b"],
    ],
  },
  {
    name: "GETEX without options",
    steps: [
      ["SETEX", "@k", "100", "v"],
      ["GETEX", "@k"],
      ["TTL", "@k"],
      ["GETEX", "@missing"],
    ],
  },
  {
    name: "GETEX EX and PX",
    steps: [
      ["SET", "@k", "v"],
      ["GETEX", "@k", "EX", "100"],
      ["TTL", "@k"],
      ["GETEX", "@k", "PX", "200000"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "GETEX EXAT and PXAT",
    steps: [
      ["SET", "@k", "v"],
      ["GETEX", "@k", "EXAT", "33177600000"],
      ["EXPIRETIME", "@k"],
      ["GETEX", "@k", "PXAT", "33177600000999"],
      ["PEXPIRETIME", "@k"],
    ],
  },
  {
    name: "GETEX PXAT in the past deletes",
    steps: [
      ["SET", "@k", "v"],
      ["GETEX", "@k", "PXAT", "1"],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "GETEX EXAT in the past deletes",
    steps: [
      ["SET", "@k", "v"],
      ["GETEX", "@k", "EXAT", "1"],
      ["GET", "@k"],
    ],
  },
  {
    name: "GETEX PERSIST",
    steps: [
      ["SETEX", "@k", "100", "v"],
      ["GETEX", "@k", "PERSIST"],
      ["TTL", "@k"],
      ["GETEX", "@k", "PERSIST"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "GETEX option conflicts",
    steps: [
      ["SET", "@k", "v"],
      ["GETEX", "@k", "EX", "10", "PX", "10"],
      ["GETEX", "@k", "PERSIST", "EX", "10"],
      ["GETEX", "@k", "EX", "10", "PERSIST"],
      ["GETEX", "@k", "KEEPTTL"],
      ["GETEX", "@k", "NX"],
      ["GETEX", "@k", "GET"],
      ["GETEX", "@k", "EX"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "GETEX bad expire values",
    steps: [
      ["SET", "@k", "v"],
      ["GETEX", "@k", "EX", "0"],
      ["GETEX", "@k", "PX", "-1"],
      ["GETEX", "@k", "EX", "abc"],
      ["GETEX", "@k", "EX", "9223372036854776"],
      ["GETEX", "@missing", "EX", "0"],
      ["GETEX", "@missing", "FOO"],
      ["TTL", "@k"],
    ],
  },
  { name: "GETEX arity", steps: [["GETEX"]] },
  // ------------------------------------------------------------ APPEND / STRLEN
  {
    name: "APPEND creates and extends",
    steps: [
      ["APPEND", "@k", "Hello"],
      ["APPEND", "@k", " World"],
      ["GET", "@k"],
      ["STRLEN", "@k"],
    ],
  },
  {
    name: "APPEND binary",
    steps: [
      ["APPEND", "@k", BINARY],
      ["APPEND", "@k", BINARY],
      ["GET", "@k"],
    ],
  },
  {
    name: "APPEND to an integer",
    steps: [
      ["SET", "@k", "12"],
      ["OBJECT", "ENCODING", "@k"],
      ["APPEND", "@k", "34"],
      ["GET", "@k"],
      ["OBJECT", "ENCODING", "@k"],
    ],
  },
  {
    name: "APPEND creates an int-encoded key",
    steps: [
      ["APPEND", "@k", "99"],
      ["OBJECT", "ENCODING", "@k"],
      ["APPEND", "@e", ""],
      ["EXISTS", "@e"],
      ["STRLEN", "@e"],
    ],
  },
  {
    name: "APPEND of nothing still makes the value raw",
    steps: [
      ["SET", "@k", "abc"],
      ["OBJECT", "ENCODING", "@k"],
      ["APPEND", "@k", ""],
      ["OBJECT", "ENCODING", "@k"],
    ],
  },
  {
    name: "APPEND keeps the TTL",
    steps: [
      ["SETEX", "@k", "100", "a"],
      ["APPEND", "@k", "b"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "STRLEN",
    steps: [
      ["STRLEN", "@missing"],
      ["SET", "@k", "12345"],
      ["STRLEN", "@k"],
      ["SET", "@k", "-123"],
      ["STRLEN", "@k"],
    ],
  },
  { name: "APPEND and STRLEN arity", steps: [["APPEND", "@k"], ["STRLEN"], ["STRLEN", "@a", "@b"]] },
  // ------------------------------------------------------------ INCR family
  {
    name: "INCR a missing key",
    steps: [
      ["INCR", "@k"],
      ["INCR", "@k"],
      ["GET", "@k"],
      ["OBJECT", "ENCODING", "@k"],
    ],
  },
  {
    name: "DECR a missing key",
    steps: [
      ["DECR", "@k"],
      ["DECR", "@k"],
      ["GET", "@k"],
    ],
  },
  {
    name: "INCRBY and DECRBY",
    steps: [
      ["INCRBY", "@k", "10"],
      ["DECRBY", "@k", "3"],
      ["INCRBY", "@k", "-20"],
      ["DECRBY", "@k", "-5"],
      ["GET", "@k"],
    ],
  },
  {
    name: "INCR at the 64-bit limit",
    steps: [
      ["SET", "@k", "9223372036854775806"],
      ["INCR", "@k"],
      ["INCR", "@k"],
      ["GET", "@k"],
    ],
  },
  {
    name: "DECR at the 64-bit limit",
    steps: [
      ["SET", "@k", "-9223372036854775807"],
      ["DECR", "@k"],
      ["DECR", "@k"],
      ["GET", "@k"],
    ],
  },
  {
    name: "INCRBY overflow",
    steps: [
      ["SET", "@k", "1"],
      ["INCRBY", "@k", "9223372036854775807"],
      ["INCRBY", "@k", "9223372036854775806"],
      ["SET", "@m", "-1"],
      ["INCRBY", "@m", "-9223372036854775808"],
      ["INCRBY", "@m", "-1"],
      ["MGET", "@k", "@m"],
    ],
  },
  {
    name: "DECRBY the minimum integer",
    steps: [
      ["DECRBY", "@k", "-9223372036854775808"],
      ["DECRBY", "@k", "9223372036854775807"],
      ["GET", "@k"],
    ],
  },
  {
    name: "INCRBY bad increments",
    steps: [
      ["INCRBY", "@k", "abc"],
      ["INCRBY", "@k", "1.5"],
      ["INCRBY", "@k", "9223372036854775808"],
      ["INCRBY", "@k", "-9223372036854775809"],
      ["INCRBY", "@k", " 1"],
      ["INCRBY", "@k", "+1"],
      ["INCRBY", "@k", "01"],
      ["INCRBY", "@k", ""],
      ["EXISTS", "@k"],
    ],
  },
  {
    name: "INCR on values that are not canonical integers",
    steps: [
      ["SET", "@a", " 1"],
      ["INCR", "@a"],
      ["SET", "@b", "01"],
      ["INCR", "@b"],
      ["SET", "@c", "1.0"],
      ["INCR", "@c"],
      ["SET", "@d", "abc"],
      ["INCR", "@d"],
      ["SET", "@e", ""],
      ["INCR", "@e"],
      ["SET", "@f", "-0"],
      ["INCR", "@f"],
      ["SET", "@g", "9223372036854775808"],
      ["INCR", "@g"],
    ],
  },
  {
    name: "INCR beyond 2^53 stays exact",
    steps: [
      ["SET", "@k", "9007199254740992"],
      ["INCR", "@k"],
      ["INCR", "@k"],
      ["INCRBY", "@k", "9007199254740993"],
      ["DECRBY", "@k", "18014398509481987"],
      ["GET", "@k"],
    ],
  },
  {
    name: "INCR turns a raw integer back into int",
    steps: [
      ["SET", "@k", "1"],
      ["APPEND", "@k", "0"],
      ["OBJECT", "ENCODING", "@k"],
      ["INCR", "@k"],
      ["OBJECT", "ENCODING", "@k"],
      ["GET", "@k"],
    ],
  },
  {
    name: "INCR keeps the TTL",
    steps: [
      ["SETEX", "@k", "100", "5"],
      ["INCR", "@k"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "INCR family arity",
    steps: [["INCR"], ["INCR", "@a", "@b"], ["INCRBY", "@k"], ["DECRBY", "@k", "1", "2"], ["DECR"]],
  },
  // ------------------------------------------------------------ INCRBYFLOAT
  floatCase("10.1 + 0.2", "10.1", "0.2"),
  floatCase("then 1e20", "10.3", "1e20"),
  floatCase("on a missing key", null, "3.0e3"),
  floatCase("0.1 + 0.2", "0.1", "0.2"),
  floatCase("1.1 + 2.2", "1.1", "2.2"),
  floatCase("5.0e3 - 0.0001", "5.0e3", "-0.0001"),
  floatCase("repeated small steps", "0", "0.1", "0.1", "0.1", "0.1", "0.1", "0.1", "0.1"),
  floatCase("integer result stays embstr", "1", "1"),
  floatCase("on an integer near 2^63", "9223372036854775807", "1"),
  floatCase("on 2^64", "18446744073709551616", "1"),
  floatCase("beyond double precision", "9007199254740992", "1"),
  floatCase("tie at the 17th decimal", null, "3.814697265625e-06"),
  floatCase("hexadecimal increment", null, "0x1p3"),
  floatCase("hexadecimal fraction", null, "0x1.8p-2"),
  floatCase("leading dot and trailing dot", null, ".5", "5."),
  floatCase("signed exponent", null, "+.5e1", "-2.5E-1"),
  floatCase("tiny negative prints as zero", null, "-1e-20"),
  floatCase("negative result", "-3.5", "-0.25"),
  floatCase("cancellation to zero", "3", "-3"),
  floatCase("subnormal range", null, "1e-4950"),
  floatCase("huge exact integer", "1", "1e400"),
  floatCase("large and small", "1e30", "1e-30"),
  floatCase("increment of 0", "7.25", "0"),
  floatCase("negative zero", "-0", "-0"),
  {
    name: "INCRBYFLOAT errors",
    steps: [
      ["SET", "@f", "1"],
      ["INCRBYFLOAT", "@f", "abc"],
      ["INCRBYFLOAT", "@f", ""],
      ["INCRBYFLOAT", "@f", " 1"],
      ["INCRBYFLOAT", "@f", "1 "],
      ["INCRBYFLOAT", "@f", "nan"],
      ["INCRBYFLOAT", "@f", "1e"],
      ["INCRBYFLOAT", "@f", "1e5000"],
      ["INCRBYFLOAT", "@f", "1e-5000"],
      ["INCRBYFLOAT", "@f", "0x"],
      ["INCRBYFLOAT", "@f", Buffer.from("1\0")],
      ["GET", "@f"],
    ],
  },
  {
    name: "INCRBYFLOAT to infinity",
    steps: [
      ["INCRBYFLOAT", "@f", "inf"],
      ["INCRBYFLOAT", "@f", "-Infinity"],
      ["SET", "@g", "1e4932"],
      ["INCRBYFLOAT", "@g", "1e4932"],
      ["INCRBYFLOAT", "@h", "1.18973149535723176502e+4932"],
      ["EXISTS", "@f", "@g"],
    ],
  },
  {
    name: "INCRBYFLOAT on a value that is not a float",
    steps: [
      ["SET", "@f", "abc"],
      ["INCRBYFLOAT", "@f", "1"],
      ["SET", "@g", "1.5.5"],
      ["INCRBYFLOAT", "@g", "1"],
      ["SET", "@h", "inf"],
      ["INCRBYFLOAT", "@h", "1"],
    ],
  },
  {
    name: "INCRBYFLOAT keeps the TTL",
    steps: [
      ["SETEX", "@f", "100", "1.5"],
      ["INCRBYFLOAT", "@f", "1"],
      ["TTL", "@f"],
    ],
  },
  {
    name: "INCRBYFLOAT arity",
    steps: [
      ["INCRBYFLOAT", "@f"],
      ["INCRBYFLOAT", "@f", "1", "2"],
    ],
  },
  // ------------------------------------------------------------ GETRANGE / SUBSTR
  {
    name: "GETRANGE positive and negative offsets",
    steps: [
      ["SET", "@k", "This is a string"],
      ["GETRANGE", "@k", "0", "3"],
      ["GETRANGE", "@k", "-3", "-1"],
      ["GETRANGE", "@k", "0", "-1"],
      ["GETRANGE", "@k", "10", "100"],
      ["GETRANGE", "@k", "5", "3"],
      ["GETRANGE", "@k", "-1", "-5"],
      ["GETRANGE", "@k", "-100", "2"],
      ["GETRANGE", "@k", "-100", "-100"],
      ["GETRANGE", "@k", "100", "200"],
    ],
  },
  {
    name: "GETRANGE huge offsets",
    steps: [
      ["SET", "@k", "hello"],
      ["GETRANGE", "@k", "0", "9223372036854775807"],
      ["GETRANGE", "@k", "-9223372036854775808", "9223372036854775807"],
      ["GETRANGE", "@k", "-9223372036854775808", "-9223372036854775808"],
      ["GETRANGE", "@k", "9223372036854775807", "0"],
    ],
  },
  {
    name: "GETRANGE errors and missing keys",
    steps: [
      ["GETRANGE", "@missing", "0", "-1"],
      ["SET", "@k", "abc"],
      ["GETRANGE", "@k", "a", "1"],
      ["GETRANGE", "@k", "0", "1.5"],
      ["GETRANGE", "@k", "0", "9223372036854775808"],
      ["GETRANGE", "@k", "0"],
    ],
  },
  {
    name: "GETRANGE of an integer",
    steps: [
      ["SET", "@k", "-12345"],
      ["GETRANGE", "@k", "1", "3"],
      ["GETRANGE", "@k", "-2", "-1"],
    ],
  },
  {
    name: "GETRANGE of an empty value",
    steps: [
      ["SET", "@k", ""],
      ["GETRANGE", "@k", "0", "-1"],
      ["GETRANGE", "@k", "0", "0"],
    ],
  },
  {
    name: "GETRANGE binary",
    steps: [
      ["SET", "@k", BINARY],
      ["GETRANGE", "@k", "2", "5"],
      ["GETRANGE", "@k", "-4", "-1"],
    ],
  },
  {
    name: "SUBSTR",
    steps: [
      ["SET", "@k", "Hello World"],
      ["SUBSTR", "@k", "0", "4"],
      ["SUBSTR", "@k", "-5", "-1"],
      ["SUBSTR", "@k", "1"],
    ],
  },
  // ------------------------------------------------------------ SETRANGE
  {
    name: "SETRANGE overwrites",
    steps: [
      ["SET", "@k", "Hello World"],
      ["SETRANGE", "@k", "6", "Redis"],
      ["GET", "@k"],
      ["OBJECT", "ENCODING", "@k"],
    ],
  },
  {
    name: "SETRANGE pads with zero bytes",
    steps: [
      ["SETRANGE", "@k", "5", "x"],
      ["GET", "@k"],
      ["STRLEN", "@k"],
      ["OBJECT", "ENCODING", "@k"],
    ],
  },
  {
    name: "SETRANGE extends",
    steps: [
      ["SET", "@k", "abc"],
      ["SETRANGE", "@k", "2", "XYZ"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SETRANGE with an empty value",
    steps: [
      ["SETRANGE", "@missing", "0", ""],
      ["SETRANGE", "@missing", "100", ""],
      ["EXISTS", "@missing"],
      ["SET", "@k", "abc"],
      ["SETRANGE", "@k", "10", ""],
      ["OBJECT", "ENCODING", "@k"],
      ["GET", "@k"],
    ],
  },
  {
    name: "SETRANGE bad offsets",
    steps: [
      ["SET", "@k", "abc"],
      ["SETRANGE", "@k", "-1", "x"],
      ["SETRANGE", "@k", "abc", "x"],
      ["SETRANGE", "@k", "9223372036854775808", "x"],
      ["SETRANGE", "@k", "536870912", "x"],
      ["SETRANGE", "@k", "536870911", "xy"],
      ["SETRANGE", "@missing", "536870912", "x"],
      ["SETRANGE", "@missing", "-1", ""],
      ["GET", "@k"],
    ],
  },
  {
    name: "SETRANGE on an integer",
    steps: [
      ["SET", "@k", "12345"],
      ["SETRANGE", "@k", "1", "0"],
      ["GET", "@k"],
      ["OBJECT", "ENCODING", "@k"],
      ["INCR", "@k"],
    ],
  },
  {
    name: "SETRANGE binary",
    steps: [
      ["SET", "@k", "0123456789"],
      ["SETRANGE", "@k", "3", BINARY],
      ["GET", "@k"],
    ],
  },
  {
    name: "SETRANGE keeps the TTL",
    steps: [
      ["SETEX", "@k", "100", "abc"],
      ["SETRANGE", "@k", "1", "x"],
      ["TTL", "@k"],
    ],
  },
  {
    name: "SETRANGE arity",
    steps: [
      ["SETRANGE", "@k", "0"],
      ["SETRANGE", "@k"],
    ],
  },
  // ------------------------------------------------------------ LCS
  {
    name: "LCS string, LEN and IDX",
    steps: [
      ["MSET", "@a", "ohmytext", "@b", "mynewtext"],
      ["LCS", "@a", "@b"],
      ["LCS", "@a", "@b", "LEN"],
      ["LCS", "@a", "@b", "IDX"],
      ["LCS", "@a", "@b", "IDX", "WITHMATCHLEN"],
      ["LCS", "@a", "@b", "IDX", "MINMATCHLEN", "4"],
      ["LCS", "@a", "@b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"],
      ["LCS", "@a", "@b", "IDX", "MINMATCHLEN", "-3"],
    ],
  },
  {
    name: "LCS with missing and empty keys",
    steps: [
      ["SET", "@a", "abc"],
      ["LCS", "@a", "@missing"],
      ["LCS", "@missing", "@missing"],
      ["LCS", "@a", "@missing", "IDX"],
      ["LCS", "@a", "@missing", "LEN"],
    ],
  },
  {
    name: "LCS of identical and disjoint strings",
    steps: [
      ["MSET", "@a", "abcdef", "@b", "abcdef", "@c", "xyz"],
      ["LCS", "@a", "@b", "IDX"],
      ["LCS", "@a", "@c"],
      ["LCS", "@a", "@c", "IDX"],
    ],
  },
  {
    name: "LCS with many ranges",
    steps: [
      ["MSET", "@a", "GTTCCTAATA_CGATACCAGT", "@b", "CGATAATTGAGA_TGACGATTCA"],
      ["LCS", "@a", "@b"],
      ["LCS", "@a", "@b", "IDX", "WITHMATCHLEN"],
      ["LCS", "@b", "@a", "IDX"],
    ],
  },
  {
    name: "LCS binary",
    steps: [
      ["MSET", "@a", BINARY, "@b", Buffer.from([1, 13, 10, 0xff, 7])],
      ["LCS", "@a", "@b"],
      ["LCS", "@a", "@b", "IDX"],
    ],
  },
  {
    name: "LCS of integers",
    steps: [
      ["MSET", "@a", "12345", "@b", "1x3y5"],
      ["LCS", "@a", "@b"],
    ],
  },
  {
    name: "LCS option errors",
    steps: [
      ["MSET", "@a", "abc", "@b", "abd"],
      ["LCS", "@a", "@b", "LEN", "IDX"],
      ["LCS", "@a", "@b", "FOO"],
      ["LCS", "@a", "@b", "MINMATCHLEN"],
      ["LCS", "@a", "@b", "MINMATCHLEN", "x"],
      ["LCS", "@a"],
    ],
  },
  // ------------------------------------------------------------ encodings
  {
    name: "OBJECT ENCODING of strings by size",
    steps: [
      ["SET", "@i", "12345"],
      ["SET", "@e", EMBSTR_LIMIT_VALUE],
      ["SET", "@r", LONG_VALUE],
      ["SET", "@neg", "-9223372036854775808"],
      ["SET", "@twenty", "12345678901234567890"],
      ["OBJECT", "ENCODING", "@i"],
      ["OBJECT", "ENCODING", "@e"],
      ["OBJECT", "ENCODING", "@r"],
      ["OBJECT", "ENCODING", "@neg"],
      ["OBJECT", "ENCODING", "@twenty"],
    ],
  },
  {
    name: "OBJECT ENCODING after SETRANGE and INCRBYFLOAT",
    steps: [
      ["SET", "@k", "abc"],
      ["SETRANGE", "@k", "0", "x"],
      ["OBJECT", "ENCODING", "@k"],
      ["SET", "@k", "5"],
      ["INCRBYFLOAT", "@k", "0.5"],
      ["OBJECT", "ENCODING", "@k"],
      ["INCRBYFLOAT", "@k", "0.5"],
      ["OBJECT", "ENCODING", "@k"],
      ["INCR", "@k"],
      ["OBJECT", "ENCODING", "@k"],
    ],
  },
  {
    name: "OBJECT ENCODING of values set by MSET, GETSET and SETNX",
    steps: [
      ["MSET", "@a", "7", "@b", "seven"],
      ["GETSET", "@c", "77"],
      ["SETNX", "@d", LONG_VALUE],
      ["OBJECT", "ENCODING", "@a"],
      ["OBJECT", "ENCODING", "@b"],
      ["OBJECT", "ENCODING", "@c"],
      ["OBJECT", "ENCODING", "@d"],
    ],
  },
  // ------------------------------------------------------------ RESP3
  {
    name: "string replies in RESP3",
    resp3: true,
    steps: [
      ["GET", "@missing"],
      ["SET", "@k", "v", "GET"],
      ["SET", "@k", "w", "NX"],
      ["MGET", "@k", "@missing"],
      ["GETEX", "@missing"],
      ["GETDEL", "@missing"],
      ["INCRBYFLOAT", "@f", "1.5"],
      ["MSET", "@a", "ohmytext", "@b", "mynewtext"],
      ["LCS", "@a", "@b", "IDX", "WITHMATCHLEN"],
      ["LCS", "@a", "@b", "IDX", "MINMATCHLEN", "10"],
      ["LCS", "@a", "@b", "LEN"],
    ],
  },
  // ------------------------------------------------------------ wrong types
  {
    name: "string reads on a list",
    steps: [
      ["RPUSH", "@l", "a", "b"],
      ["GET", "@l"],
      ["STRLEN", "@l"],
      ["GETRANGE", "@l", "0", "-1"],
      ["SUBSTR", "@l", "0", "1"],
      ["MGET", "@l", "@missing"],
      ["LCS", "@l", "@missing"],
      ["LCS", "@missing", "@l", "LEN"],
    ],
  },
  {
    name: "string writes on a hash",
    steps: [
      ["HSET", "@h", "f", "v"],
      ["APPEND", "@h", "x"],
      ["SETRANGE", "@h", "0", "x"],
      ["SETRANGE", "@h", "0", ""],
      ["INCR", "@h"],
      ["DECR", "@h"],
      ["INCRBY", "@h", "2"],
      ["DECRBY", "@h", "2"],
      ["INCRBYFLOAT", "@h", "1.5"],
      ["GETSET", "@h", "x"],
      ["GETDEL", "@h"],
      ["GETEX", "@h", "EX", "10"],
      ["SET", "@h", "x", "GET"],
      ["TYPE", "@h"],
    ],
  },
  {
    name: "argument errors come before the type check",
    steps: [
      ["SADD", "@s", "m"],
      ["INCRBY", "@s", "abc"],
      ["DECRBY", "@s", "1.5"],
      ["SETRANGE", "@s", "-1", "x"],
      ["SETRANGE", "@s", "abc", "x"],
      ["GETRANGE", "@s", "a", "b"],
      ["INCRBYFLOAT", "@s", "abc"],
      ["SET", "@s", "v", "GET", "EX", "0"],
      ["GETEX", "@s", "EX", "0"],
      ["GETEX", "@s", "BAD"],
    ],
  },
  {
    name: "SET replaces a value of any type",
    steps: [
      ["ZADD", "@z", "1", "m"],
      ["SET", "@z", "plain"],
      ["TYPE", "@z"],
      ["RPUSH", "@l", "x"],
      ["SETNX", "@l", "plain"],
      ["SET", "@l", "plain", "NX"],
      ["SET", "@l", "plain", "XX", "GET"],
      ["TYPE", "@l"],
      ["SET", "@l", "plain", "XX"],
      ["GET", "@l"],
      ["SADD", "@s", "m"],
      ["MSET", "@s", "plain"],
      ["GET", "@s"],
      ["HSET", "@h", "f", "v"],
      ["MSETNX", "@h", "x", "@other", "y"],
      ["EXISTS", "@other"],
      ["SETEX", "@h", "100", "plain"],
      ["GET", "@h"],
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("str", cases);
