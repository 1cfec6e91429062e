/*
 * Differential cases: keyspace commands (DEL UNLINK EXISTS TYPE RENAME RENAMENX
 * COPY MOVE KEYS SCAN RANDOMKEY TOUCH OBJECT). Keys are written "@name" and
 * scoped per case (see scoped-keys.ts). KEYS replies are compared as sets
 * (Redis gives no order); SCAN cases use a COUNT large enough to finish in one
 * call, since cursor values are an implementation detail.
 */
import { type DiffCase, helpLines, sameType, unordered } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

const ALL = "1000000";

const cases: DiffCase[] = [
  // ------------------------------------------------------------ DEL / UNLINK / EXISTS
  {
    name: "DEL counts the keys removed",
    steps: [
      ["MSET", "@a", "1", "@b", "2"],
      ["DEL", "@a", "@b", "@c"],
      ["DEL", "@a"],
      ["EXISTS", "@a", "@b"],
    ],
  },
  {
    name: "DEL the same key twice",
    steps: [
      ["SET", "@a", "1"],
      ["DEL", "@a", "@a"],
    ],
  },
  {
    name: "UNLINK",
    steps: [
      ["MSET", "@a", "1", "@b", "2"],
      ["UNLINK", "@a", "@b", "@c"],
      ["UNLINK", "@a"],
    ],
  },
  { name: "DEL and UNLINK arity", steps: [["DEL"], ["UNLINK"]] },
  {
    name: "EXISTS counts repeated keys",
    steps: [["SET", "@a", "1"], ["EXISTS", "@a", "@a", "@a", "@b"], ["EXISTS", "@b"], ["EXISTS"]],
  },
  {
    name: "DEL an expired key",
    steps: [["SET", "@a", "1", "PX", "1"], { sleep: 20 }, ["DEL", "@a"], ["EXISTS", "@a"]],
  },
  // ------------------------------------------------------------ TYPE
  {
    name: "TYPE of strings and missing keys",
    steps: [
      ["SET", "@s", "x"],
      ["SET", "@i", "1"],
      ["TYPE", "@s"],
      ["TYPE", "@i"],
      ["TYPE", "@missing"],
      ["TYPE"],
    ],
  },
  // ------------------------------------------------------------ RENAME / RENAMENX
  {
    name: "RENAME",
    steps: [
      ["SET", "@a", "1"],
      ["RENAME", "@a", "@b"],
      ["GET", "@a"],
      ["GET", "@b"],
    ],
  },
  {
    name: "RENAME a missing key",
    steps: [
      ["RENAME", "@a", "@b"],
      ["RENAMENX", "@a", "@b"],
    ],
  },
  {
    name: "RENAME to itself",
    steps: [
      ["SET", "@a", "1"],
      ["RENAME", "@a", "@a"],
      ["RENAMENX", "@a", "@a"],
      ["GET", "@a"],
      ["RENAME", "@m", "@m"],
    ],
  },
  {
    name: "RENAME overwrites the destination and its TTL",
    steps: [
      ["SET", "@a", "1"],
      ["SETEX", "@b", "100", "2"],
      ["RENAME", "@a", "@b"],
      ["GET", "@b"],
      ["TTL", "@b"],
    ],
  },
  {
    name: "RENAME carries the TTL",
    steps: [
      ["SETEX", "@a", "100", "1"],
      ["RENAME", "@a", "@b"],
      ["TTL", "@b"],
      ["TTL", "@a"],
    ],
  },
  {
    name: "RENAME carries an absolute deadline exactly",
    steps: [
      ["SET", "@a", "1", "PXAT", "33177600000123"],
      ["RENAME", "@a", "@b"],
      ["PEXPIRETIME", "@b"],
    ],
  },
  {
    name: "RENAMENX",
    steps: [
      ["MSET", "@a", "1", "@b", "2"],
      ["RENAMENX", "@a", "@b"],
      ["RENAMENX", "@a", "@c"],
      ["MGET", "@a", "@b", "@c"],
    ],
  },
  {
    name: "RENAME keeps the encoding",
    steps: [
      ["SET", "@a", "123"],
      ["APPEND", "@a", "4"],
      ["RENAME", "@a", "@b"],
      ["OBJECT", "ENCODING", "@b"],
    ],
  },
  {
    name: "RENAME arity",
    steps: [
      ["RENAME", "@a"],
      ["RENAMENX", "@a", "@b", "@c"],
    ],
  },
  {
    name: "RENAME binary key names",
    steps: [
      ["SET", Buffer.from("ks-bin\0a"), "1"],
      ["RENAME", Buffer.from("ks-bin\0a"), Buffer.from("ks-bin\r\nb")],
      ["GET", Buffer.from("ks-bin\r\nb")],
      ["EXISTS", Buffer.from("ks-bin\0a")],
      ["DEL", Buffer.from("ks-bin\r\nb")],
    ],
  },
  // ------------------------------------------------------------ COPY
  {
    name: "COPY",
    steps: [
      ["SET", "@a", "1"],
      ["COPY", "@a", "@b"],
      ["MGET", "@a", "@b"],
      ["COPY", "@missing", "@c"],
    ],
  },
  {
    name: "COPY to an existing key",
    steps: [
      ["MSET", "@a", "1", "@b", "2"],
      ["COPY", "@a", "@b"],
      ["GET", "@b"],
      ["COPY", "@a", "@b", "REPLACE"],
      ["GET", "@b"],
    ],
  },
  {
    name: "COPY to itself",
    steps: [
      ["SET", "@a", "1"],
      ["COPY", "@a", "@a"],
      ["COPY", "@a", "@a", "REPLACE"],
      ["COPY", "@m", "@m"],
    ],
  },
  {
    name: "COPY to another database",
    steps: [
      ["SET", "@a", "1"],
      ["COPY", "@a", "@a", "DB", "1"],
      ["COPY", "@a", "@a", "DB", "1"],
      ["COPY", "@a", "@a", "DB", "0"],
      ["SELECT", "1"],
      ["GET", "@a"],
      ["SELECT", "0"],
    ],
  },
  {
    name: "COPY option errors",
    steps: [
      ["SET", "@a", "1"],
      ["COPY", "@a", "@b", "DB"],
      ["COPY", "@a", "@b", "DB", "x"],
      ["COPY", "@a", "@b", "DB", "16"],
      ["COPY", "@a", "@b", "DB", "-1"],
      ["COPY", "@a", "@b", "DB", "4294967296"],
      ["COPY", "@a", "@b", "FOO"],
      ["COPY", "@a"],
      ["EXISTS", "@b"],
    ],
  },
  {
    name: "COPY carries the TTL and the encoding",
    steps: [
      ["SETEX", "@a", "100", "abc"],
      ["APPEND", "@a", "d"],
      ["COPY", "@a", "@b"],
      ["TTL", "@b"],
      ["OBJECT", "ENCODING", "@b"],
      ["SET", "@i", "42"],
      ["COPY", "@i", "@j"],
      ["OBJECT", "ENCODING", "@j"],
    ],
  },
  {
    name: "COPY is a deep copy",
    steps: [
      ["SET", "@a", "abc"],
      ["COPY", "@a", "@b"],
      ["APPEND", "@a", "def"],
      ["SETRANGE", "@b", "0", "X"],
      ["MGET", "@a", "@b"],
    ],
  },
  // ------------------------------------------------------------ MOVE
  {
    name: "MOVE",
    steps: [
      ["SET", "@a", "1"],
      ["MOVE", "@a", "1"],
      ["EXISTS", "@a"],
      ["SELECT", "1"],
      ["GET", "@a"],
      ["MOVE", "@a", "0"],
      ["SELECT", "0"],
      ["GET", "@a"],
    ],
  },
  {
    name: "MOVE when the target has the key",
    steps: [
      ["SET", "@a", "1"],
      ["SELECT", "1"],
      ["SET", "@a", "2"],
      ["SELECT", "0"],
      ["MOVE", "@a", "1"],
      ["GET", "@a"],
    ],
  },
  {
    name: "MOVE errors",
    steps: [
      ["SET", "@a", "1"],
      ["MOVE", "@a", "0"],
      ["MOVE", "@a", "16"],
      ["MOVE", "@a", "-1"],
      ["MOVE", "@a", "x"],
      ["MOVE", "@a", "99999999999"],
      ["MOVE", "@missing", "1"],
      ["MOVE", "@missing", "0"],
      ["MOVE", "@a"],
    ],
  },
  {
    name: "MOVE carries the TTL",
    steps: [
      ["SETEX", "@a", "100", "1"],
      ["MOVE", "@a", "2"],
      ["SELECT", "2"],
      ["TTL", "@a"],
      ["SELECT", "0"],
    ],
  },
  // ------------------------------------------------------------ KEYS
  {
    name: "KEYS patterns",
    steps: [
      ["MSET", "@hello", "1", "@hallo", "2", "@hxllo", "3", "@hllo", "4", "@heeeello", "5"],
      unordered("KEYS", "@h?llo"),
      unordered("KEYS", "@h*llo"),
      unordered("KEYS", "@h[ae]llo"),
      unordered("KEYS", "@h[^e]llo"),
      unordered("KEYS", "@h[a-b]llo"),
      unordered("KEYS", "@*"),
      unordered("KEYS", "@nomatch*"),
    ],
  },
  {
    name: "KEYS escapes and odd classes",
    steps: [
      ["MSET", "@a*b", "1", "@a?b", "2", "@a[b", "3", "@a]b", "4", "@a-b", "5", "@a\\b", "6"],
      unordered("KEYS", "@a\\*b"),
      unordered("KEYS", "@a\\?b"),
      unordered("KEYS", "@a[[]b"),
      unordered("KEYS", "@a[\\]]b"),
      unordered("KEYS", "@a[a-]b"),
      unordered("KEYS", "@a\\\\b"),
      unordered("KEYS", "@a[-]b"),
      unordered("KEYS", "@a[b"),
    ],
  },
  { name: "KEYS arity", steps: [["KEYS"], ["KEYS", "a", "b"]] },
  {
    name: "KEYS skips expired keys",
    steps: [["SET", "@a", "1", "PX", "1"], ["SET", "@b", "2"], { sleep: 20 }, unordered("KEYS", "@*")],
  },
  { name: "KEYS * on an empty database", steps: [["KEYS", "*"]] },
  {
    name: "KEYS * matches the empty key name, other patterns do not",
    steps: [
      ["SET", "", "1"],
      ["KEYS", "*"],
      ["KEYS", "**"],
      ["KEYS", "?"],
      ["DEL", ""],
    ],
  },
  // ------------------------------------------------------------ SCAN
  {
    name: "SCAN a whole database in one call",
    steps: [
      ["MSET", "@a", "1", "@b", "2", "@c", "3"],
      ["SCAN", "0", "COUNT", ALL, "MATCH", "@a"],
      ["SCAN", "0", "MATCH", "@zz*", "COUNT", ALL],
    ],
  },
  {
    name: "SCAN TYPE",
    steps: [
      ["MSET", "@a", "1", "@b", "x"],
      ["SCAN", "0", "COUNT", ALL, "TYPE", "string", "MATCH", "@b"],
      ["SCAN", "0", "COUNT", ALL, "TYPE", "list"],
      ["SCAN", "0", "COUNT", ALL, "TYPE", "STRING", "MATCH", "@a"],
      ["SCAN", "0", "COUNT", ALL, "TYPE", "nosuchtype"],
    ],
  },
  {
    name: "SCAN argument errors",
    steps: [
      ["SCAN", "abc"],
      ["SCAN", "-1"],
      ["SCAN", "18446744073709551616"],
      ["SCAN", "0", "COUNT", "0"],
      ["SCAN", "0", "COUNT", "-1"],
      ["SCAN", "0", "COUNT", "x"],
      ["SCAN", "0", "COUNT"],
      ["SCAN", "0", "MATCH"],
      ["SCAN", "0", "FOO", "bar"],
      ["SCAN"],
    ],
  },
  {
    name: "SCAN of an empty database",
    steps: [
      ["SCAN", "0"],
      ["SCAN", "0", "COUNT", "1"],
    ],
  },
  {
    name: "SCAN skips expired keys",
    steps: [
      ["SET", "@a", "1", "PX", "1"],
      { sleep: 20 },
      ["SCAN", "0", "COUNT", ALL, "MATCH", "@*"],
      ["EXISTS", "@a"],
    ],
  },
  { name: "SCAN with a large cursor", steps: [["SET", "@a", "1"], sameType("SCAN", "18446744073709551615")] },
  // ------------------------------------------------------------ RANDOMKEY / TOUCH
  { name: "RANDOMKEY of an empty database", steps: [["RANDOMKEY"]] },
  { name: "RANDOMKEY of a single key", steps: [["SET", "@only", "1"], ["RANDOMKEY"], ["RANDOMKEY", "x"]] },
  { name: "RANDOMKEY of several keys", steps: [["MSET", "@a", "1", "@b", "2"], sameType("RANDOMKEY")] },
  {
    name: "RANDOMKEY when the only key expired",
    steps: [["SET", "@a", "1", "PX", "1"], { sleep: 20 }, ["RANDOMKEY"], ["EXISTS", "@a"]],
  },
  { name: "TOUCH", steps: [["MSET", "@a", "1", "@b", "2"], ["TOUCH", "@a", "@b", "@c", "@a"], ["TOUCH"]] },
  // ------------------------------------------------------------ OBJECT
  {
    name: "OBJECT HELP",
    steps: [helpLines("OBJECT", "HELP"), helpLines("OBJECT", "help")],
  },
  {
    name: "OBJECT errors",
    steps: [
      ["OBJECT"],
      ["OBJECT", "FOO"],
      ["OBJECT", "FOO", "bar"],
      ["OBJECT", "ENCODING"],
      ["OBJECT", "ENCODING", "@a", "@b"],
      ["OBJECT", "HELP", "x"],
      ["OBJECT", "REFCOUNT"],
    ],
  },
  {
    name: "OBJECT of a missing key",
    steps: [
      ["OBJECT", "ENCODING", "@missing"],
      ["OBJECT", "REFCOUNT", "@missing"],
      ["OBJECT", "IDLETIME", "@missing"],
      ["OBJECT", "FREQ", "@missing"],
    ],
  },
  {
    name: "OBJECT REFCOUNT",
    steps: [
      ["MSET", "@small", "100", "@zero", "0", "@edge", "9999", "@big", "10000", "@neg", "-1", "@s", "abc"],
      ["OBJECT", "REFCOUNT", "@small"],
      ["OBJECT", "REFCOUNT", "@zero"],
      ["OBJECT", "REFCOUNT", "@edge"],
      ["OBJECT", "REFCOUNT", "@big"],
      ["OBJECT", "REFCOUNT", "@neg"],
      ["OBJECT", "REFCOUNT", "@s"],
      ["INCR", "@small"],
      ["OBJECT", "REFCOUNT", "@small"],
    ],
  },
  {
    // IDLETIME of a fresh key is 0 or 1 depending on when the second turns: its
    // value is checked with that tolerance in tests/src/keyspace, not here.
    name: "OBJECT IDLETIME and FREQ under the default policy",
    steps: [
      ["SET", "@a", "1"],
      ["OBJECT", "IDLETIME", "@missing"],
      ["OBJECT", "FREQ", "@a"],
    ],
  },
  // ------------------------------------------------------------ every value type
  {
    name: "TYPE of every value type",
    steps: [
      ["SET", "@s", "v"],
      ["RPUSH", "@l", "a"],
      ["HSET", "@h", "f", "v"],
      ["SADD", "@set", "m"],
      ["ZADD", "@z", "1", "m"],
      ["TYPE", "@s"],
      ["TYPE", "@l"],
      ["TYPE", "@h"],
      ["TYPE", "@set"],
      ["TYPE", "@z"],
      ["EXISTS", "@s", "@l", "@h", "@set", "@z"],
    ],
  },
  {
    name: "COPY of every value type is independent",
    steps: [
      ["RPUSH", "@l", "a", "b"],
      ["HSET", "@h", "f", "v", "g", "w"],
      ["SADD", "@set", "1", "2", "3"],
      ["ZADD", "@z", "1", "a", "2", "b"],
      ["COPY", "@l", "@l2"],
      ["COPY", "@h", "@h2"],
      ["COPY", "@set", "@set2"],
      ["COPY", "@z", "@z2"],
      ["RPUSH", "@l2", "c"],
      ["HSET", "@h2", "x", "y"],
      ["SADD", "@set2", "4"],
      ["ZADD", "@z2", "3", "c"],
      ["LRANGE", "@l", "0", "-1"],
      ["LRANGE", "@l2", "0", "-1"],
      ["HLEN", "@h"],
      ["HLEN", "@h2"],
      ["SCARD", "@set"],
      ["SCARD", "@set2"],
      ["ZRANGE", "@z", "0", "-1", "WITHSCORES"],
      ["ZRANGE", "@z2", "0", "-1", "WITHSCORES"],
      ["OBJECT", "ENCODING", "@set2"],
    ],
  },
  {
    name: "COPY, RENAME and MOVE of collections keep TTLs",
    steps: [
      ["RPUSH", "@l", "a"],
      ["EXPIRE", "@l", "100"],
      ["COPY", "@l", "@l2", "DB", "1"],
      ["RENAME", "@l", "@l3"],
      ["TTL", "@l3"],
      ["MOVE", "@l3", "2"],
      ["SELECT", "1"],
      ["TTL", "@l2"],
      ["TYPE", "@l2"],
      ["SELECT", "2"],
      ["TTL", "@l3"],
      ["LRANGE", "@l3", "0", "-1"],
      ["SELECT", "0"],
    ],
  },
  {
    name: "RENAME over a key of another type",
    steps: [
      ["HSET", "@h", "f", "v"],
      ["SET", "@s", "x"],
      ["RENAME", "@s", "@h"],
      ["TYPE", "@h"],
      ["GET", "@h"],
    ],
  },
  {
    name: "SCAN TYPE over mixed types",
    steps: [
      ["SET", "@s", "v"],
      ["RPUSH", "@l", "a"],
      ["HSET", "@h", "f", "v"],
      ["SADD", "@set", "m"],
      ["ZADD", "@z", "1", "m"],
      ["SCAN", "0", "COUNT", ALL, "TYPE", "list", "MATCH", "@*"],
      ["SCAN", "0", "COUNT", ALL, "TYPE", "hash", "MATCH", "@*"],
      ["SCAN", "0", "COUNT", ALL, "TYPE", "set", "MATCH", "@*"],
      ["SCAN", "0", "COUNT", ALL, "TYPE", "zset", "MATCH", "@*"],
      ["SCAN", "0", "COUNT", ALL, "TYPE", "string", "MATCH", "@*"],
      unordered("KEYS", "@*"),
    ],
  },
  {
    name: "DEL, EXPIRE and TTL on collections",
    steps: [
      ["RPUSH", "@l", "a"],
      ["SADD", "@set", "m"],
      ["EXPIRE", "@set", "100"],
      ["TTL", "@set"],
      ["PERSIST", "@set"],
      ["DEL", "@l", "@set", "@missing"],
      ["EXISTS", "@l", "@set"],
    ],
  },
  // ------------------------------------------------------------ RESP3
  {
    name: "keyspace replies in RESP3",
    resp3: true,
    steps: [
      ["SET", "@a", "1"],
      ["OBJECT", "ENCODING", "@missing"],
      ["RANDOMKEY"],
      ["TYPE", "@a"],
      ["SCAN", "0", "COUNT", ALL, "MATCH", "@a"],
      helpLines("OBJECT", "HELP"),
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("ks", cases);
