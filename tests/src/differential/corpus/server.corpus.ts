/*
 * Differential cases: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, LASTSAVE, INFO,
 * CONFIG, COMMAND, SLOWLOG, MEMORY, DEBUG and SHUTDOWN's refusals.
 *
 * What can be compared: exact replies for errors, fixed parameters, the
 * metadata of commands both servers have, and INFO sections without live
 * figures. COMMAND COUNT, COMMAND (all) and COMMAND LIST without a filter are
 * not comparable (Spinel implements fewer commands); CONFIG GET of several
 * parameters is compared as a set (Redis answers in hash-table order). Cases
 * that change the configuration put it back before they end.
 */
import { type DiffCase, docsShape, helpLines, quiet, sameType, unordered } from "../corpus-types.js";

/** Parameters whose value is the same on both servers as the harness starts them. */
const FIXED_PARAMETERS = [
  "maxmemory",
  "maxmemory-policy",
  "maxmemory-samples",
  "hz",
  "databases",
  "timeout",
  "appendonly",
  "appendfsync",
  "save",
  "loglevel",
  "maxclients",
  "tcp-backlog",
  "tcp-keepalive",
  "proto-max-bulk-len",
  "client-query-buffer-limit",
  "client-output-buffer-limit",
  "notify-keyspace-events",
  "slowlog-log-slower-than",
  "slowlog-max-len",
  "list-max-listpack-size",
  "list-compress-depth",
  "hash-max-listpack-entries",
  "hash-max-listpack-value",
  "zset-max-listpack-entries",
  "zset-max-listpack-value",
  "set-max-intset-entries",
  "active-expire-effort",
  "lazyfree-lazy-user-flush",
  "replica-read-only",
  "requirepass",
  "enable-debug-command",
  "activerehashing",
  "io-threads",
  "stream-node-max-bytes",
  "repl-backlog-size",
];

export const corpus: readonly DiffCase[] = [
  // ---------------------------------------------------------------- DBSIZE FLUSHDB FLUSHALL SWAPDB
  {
    name: "DBSIZE counts the selected database",
    steps: [
      ["DBSIZE"],
      ["SET", "sv:a", "1"],
      ["SET", "sv:b", "2"],
      ["DBSIZE"],
      ["SELECT", "1"],
      ["DBSIZE"],
      ["DBSIZE", "x"],
    ],
  },
  {
    name: "FLUSHDB empties only the selected database",
    steps: [
      ["SET", "sv:a", "1"],
      ["SELECT", "1"],
      ["SET", "sv:b", "1"],
      ["FLUSHDB"],
      ["DBSIZE"],
      ["SELECT", "0"],
      ["DBSIZE"],
    ],
  },
  {
    name: "FLUSHDB and FLUSHALL options",
    steps: [
      ["FLUSHDB", "ASYNC"],
      ["FLUSHDB", "sync"],
      ["FLUSHDB", "now"],
      ["FLUSHDB", "async", "x"],
      ["FLUSHALL", "SYNC"],
      ["FLUSHALL", "async"],
      ["FLUSHALL", "later"],
    ],
  },
  {
    name: "FLUSHALL empties every database",
    steps: [
      ["SET", "sv:a", "1"],
      ["SELECT", "7"],
      ["SET", "sv:b", "1"],
      ["FLUSHALL"],
      ["DBSIZE"],
      ["SELECT", "0"],
      ["DBSIZE"],
    ],
  },
  {
    name: "SWAPDB exchanges two databases",
    steps: [
      ["SET", "sv:zero", "0"],
      ["SELECT", "1"],
      ["SET", "sv:one", "1"],
      ["SWAPDB", "0", "1"],
      ["GET", "sv:zero"],
      ["GET", "sv:one"],
      ["SELECT", "0"],
      ["GET", "sv:one"],
      ["DBSIZE"],
    ],
  },
  {
    name: "SWAPDB errors",
    steps: [
      ["SWAPDB", "a", "1"],
      ["SWAPDB", "0", "b"],
      ["SWAPDB", "0", "16"],
      ["SWAPDB", "-1", "0"],
      ["SWAPDB", "0", "0"],
      ["SWAPDB", "4294967296", "0"],
      ["SWAPDB", "0"],
    ],
  },
  // ---------------------------------------------------------------- TIME LASTSAVE
  {
    name: "TIME and LASTSAVE",
    steps: [sameType("TIME"), sameType("LASTSAVE"), ["TIME", "x"], ["LASTSAVE", "x"]],
  },
  // ---------------------------------------------------------------- INFO
  {
    name: "INFO default and all",
    steps: [sameType("INFO"), sameType("INFO", "all"), sameType("INFO", "everything")],
  },
  { name: "INFO of an unknown section is empty", steps: [["INFO", "nosuchsection"]] },
  {
    name: "INFO cluster and modules",
    steps: [
      ["INFO", "cluster"],
      ["INFO", "modules"],
      ["INFO", "CLUSTER", "modules"],
    ],
  },
  {
    name: "INFO keyspace",
    steps: [
      ["INFO", "keyspace"],
      ["SET", "sv:a", "1"],
      ["SELECT", "3"],
      ["SET", "sv:b", "1"],
      ["SET", "sv:c", "1"],
      ["INFO", "keyspace"],
      ["INFO", "keyspace", "cluster"],
    ],
  },
  {
    name: "INFO in RESP3 is a verbatim string",
    resp3: true,
    steps: [
      ["INFO", "cluster"],
      ["INFO", "nosuch"],
    ],
  },
  // ---------------------------------------------------------------- CONFIG
  { name: "CONFIG GET of fixed parameters", steps: FIXED_PARAMETERS.map((name) => ["CONFIG", "GET", name]) },
  { name: "CONFIG GET of several parameters", steps: [unordered("CONFIG", "GET", ...FIXED_PARAMETERS)] },
  {
    name: "CONFIG GET of several parameters in RESP3",
    resp3: true,
    steps: [unordered("CONFIG", "GET", "maxmemory", "hz", "timeout")],
  },
  {
    name: "CONFIG GET aliases, case and repeats",
    steps: [
      ["CONFIG", "GET", "hash-max-ziplist-entries"],
      ["CONFIG", "GET", "slave-read-only"],
      ["CONFIG", "GET", "MAXMEMORY"],
      ["CONFIG", "GET", "maxmemory", "maxmemory"],
      ["CONFIG", "GET", "nosuchparameter"],
      ["CONFIG", "GET"],
    ],
  },
  {
    name: "CONFIG GET with glob patterns",
    steps: [
      unordered("CONFIG", "GET", "lazyfree-*"),
      unordered("CONFIG", "GET", "*ziplist*"),
      unordered("CONFIG", "GET", "maxmemory*"),
      unordered("CONFIG", "GET", "slowlog-*", "lazyfree-lazy-e*"),
      ["CONFIG", "GET", "nosuch*"],
    ],
  },
  {
    name: "CONFIG SET changes what CONFIG GET shows",
    steps: [
      ["CONFIG", "SET", "maxmemory", "10mb", "maxmemory-policy", "allkeys-lru"],
      ["CONFIG", "GET", "maxmemory"],
      ["CONFIG", "GET", "maxmemory-policy"],
      ["CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction"],
      ["CONFIG", "SET", "slowlog-max-len", "64"],
      ["CONFIG", "GET", "slowlog-max-len"],
      ["CONFIG", "SET", "SLOWLOG-MAX-LEN", "128"],
      ["CONFIG", "SET", "hash-max-ziplist-entries", "100"],
      ["CONFIG", "GET", "hash-max-listpack-entries"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "512"],
    ],
  },
  {
    name: "CONFIG SET hz is clamped",
    steps: [
      ["CONFIG", "SET", "hz", "1000"],
      ["CONFIG", "GET", "hz"],
      ["CONFIG", "SET", "hz", "0"],
      ["CONFIG", "GET", "hz"],
      ["CONFIG", "SET", "hz", "10"],
    ],
  },
  {
    name: "CONFIG SET errors",
    steps: [
      ["CONFIG", "SET", "nosuch", "1"],
      ["CONFIG", "SET", "maxmemory", "1mb", "nosuch", "1"],
      ["CONFIG", "SET", "maxmemory", "abc"],
      ["CONFIG", "SET", "maxmemory", "-1"],
      ["CONFIG", "SET", "databases", "4"],
      ["CONFIG", "SET", "daemonize", "yes"],
      ["CONFIG", "SET", "dir", "/tmp"],
      ["CONFIG", "SET", "maxmemory", "1", "maxmemory", "2"],
      ["CONFIG", "SET", "maxmemory", "1", "hz"],
      ["CONFIG", "SET", "maxmemory"],
      ["CONFIG", "SET", "appendfsync", "sometimes"],
      ["CONFIG", "SET", "loglevel", "loud"],
      ["CONFIG", "SET", "maxmemory-policy", "random"],
      ["CONFIG", "SET", "protected-mode", "maybe"],
      ["CONFIG", "SET", "maxmemory-samples", "0"],
      ["CONFIG", "SET", "timeout", "-1"],
      ["CONFIG", "SET", "timeout", "1.5"],
      ["CONFIG", "SET", "save", "abc"],
      ["CONFIG", "SET", "save", "1 2 3"],
      ["CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"],
      ["CONFIG", "SET", "client-output-buffer-limit", "nobody 1 2 3"],
      ["CONFIG", "SET", "notify-keyspace-events", "Q"],
      ["CONFIG", "SET", "slowlog-max-len", "-1"],
      ["CONFIG", "GET", "maxmemory"],
    ],
  },
  {
    name: "CONFIG SET of special syntaxes",
    steps: [
      ["CONFIG", "SET", "save", "3600 1 300 100"],
      ["CONFIG", "GET", "save"],
      ["CONFIG", "SET", "save", ""],
      ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 64mb 16mb 30"],
      ["CONFIG", "GET", "client-output-buffer-limit"],
      ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60"],
      ["CONFIG", "SET", "notify-keyspace-events", "KEA"],
      ["CONFIG", "GET", "notify-keyspace-events"],
      ["CONFIG", "SET", "notify-keyspace-events", ""],
    ],
  },
  {
    name: "CONFIG RESETSTAT, REWRITE, HELP and unknown subcommands",
    steps: [
      ["CONFIG", "RESETSTAT"],
      ["CONFIG", "RESETSTAT", "x"],
      ["CONFIG", "REWRITE"],
      helpLines("CONFIG", "HELP"),
      ["CONFIG", "foo"],
      ["CONFIG"],
    ],
  },
  // ---------------------------------------------------------------- COMMAND
  { name: "COMMAND COUNT is an integer", steps: [sameType("COMMAND", "COUNT"), ["COMMAND", "COUNT", "x"]] },
  {
    name: "COMMAND INFO of data commands",
    steps: [
      docsShape("COMMAND", "INFO", "get"),
      docsShape("COMMAND", "INFO", "set", "mget", "del"),
      docsShape("COMMAND", "INFO", "GET", "nosuch", "SET"),
      docsShape("COMMAND", "INFO", "zadd", "rpush", "hset", "sadd", "expire"),
    ],
  },
  {
    name: "COMMAND INFO of server, connection and transaction commands",
    steps: [
      docsShape("COMMAND", "INFO", "multi", "exec", "discard", "watch", "unwatch"),
      docsShape("COMMAND", "INFO", "ping", "echo", "select", "hello", "auth", "reset", "quit"),
      [
        "COMMAND",
        "INFO",
        "dbsize",
        "flushdb",
        "flushall",
        "swapdb",
        "time",
        "lastsave",
        "info",
        "shutdown",
        "debug",
      ],
      [
        "COMMAND",
        "INFO",
        "config|get",
        "config|set",
        "client|list",
        "client|kill",
        "memory|usage",
        "slowlog|get",
      ],
    ],
  },
  {
    name: "COMMAND DOCS",
    steps: [
      docsShape("COMMAND", "DOCS", "get"),
      docsShape("COMMAND", "DOCS", "set", "multi", "watch"),
      docsShape("COMMAND", "DOCS", "hello", "client|kill", "config|set"),
      ["COMMAND", "DOCS", "nosuch"],
      docsShape("COMMAND", "DOCS", "zadd", "nosuch", "lpush"),
      // History entries and key-spec notes: versions and flags compared, notes masked.
      docsShape("COMMAND", "DOCS", "client|list", "sort", "lpop"),
      docsShape("COMMAND", "INFO", "sort", "set", "getex"),
    ],
  },
  {
    name: "COMMAND DOCS in RESP3",
    resp3: true,
    steps: [
      docsShape("COMMAND", "DOCS", "set", "exec"),
      docsShape("COMMAND", "INFO", "get", "watch", "nosuch"),
      docsShape("COMMAND", "DOCS", "client|kill", "zadd"),
    ],
  },
  {
    name: "containers are documented",
    steps: [sameType("COMMAND", "INFO", "config"), sameType("COMMAND", "DOCS", "client")],
  },
  {
    name: "COMMAND GETKEYS",
    steps: [
      ["COMMAND", "GETKEYS", "get", "k"],
      ["COMMAND", "GETKEYS", "set", "k", "v"],
      ["COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"],
      ["COMMAND", "GETKEYS", "del", "a", "b", "c"],
      ["COMMAND", "GETKEYS", "memory", "usage", "k"],
      ["COMMAND", "GETKEYS", "zunionstore", "dst", "2", "a", "b", "WEIGHTS", "1", "2"],
      ["COMMAND", "GETKEYS", "lmpop", "2", "a", "b", "LEFT"],
      ["COMMAND", "GETKEYS", "zinterstore", "dst", "3", "a", "b"],
    ],
  },
  {
    name: "COMMAND GETKEYS errors",
    steps: [
      ["COMMAND", "GETKEYS"],
      ["COMMAND", "GETKEYS", "get"],
      ["COMMAND", "GETKEYS", "nosuch", "a"],
      ["COMMAND", "GETKEYS", "ping", "x"],
      ["COMMAND", "GETKEYS", "get", "a", "b"],
      ["COMMAND", "GETKEYS", "config", "get", "x"],
    ],
  },
  {
    name: "COMMAND GETKEYSANDFLAGS",
    steps: [
      ["COMMAND", "GETKEYSANDFLAGS", "get", "k"],
      ["COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"],
      ["COMMAND", "GETKEYSANDFLAGS", "del", "a"],
      ["COMMAND", "GETKEYSANDFLAGS", "lmove", "src", "dst", "LEFT", "RIGHT"],
    ],
  },
  {
    name: "COMMAND LIST with filters both servers can answer",
    steps: [
      unordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "config*"),
      unordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "command*"),
      unordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "slowlog*"),
      unordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "memory|*"),
      unordered("COMMAND", "LIST", "FILTERBY", "ACLCAT", "transaction"),
      ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"],
      ["COMMAND", "LIST", "FILTERBY", "MODULE", "x"],
      ["COMMAND", "LIST", "FILTERBY", "PATTERN", "xyz*"],
    ],
  },
  {
    name: "COMMAND LIST errors and COMMAND HELP",
    steps: [
      ["COMMAND", "LIST", "foo"],
      ["COMMAND", "LIST", "FILTERBY"],
      ["COMMAND", "LIST", "FILTERBY", "foo", "bar"],
      helpLines("COMMAND", "HELP"),
      ["COMMAND", "NOPE"],
    ],
  },
  // ---------------------------------------------------------------- SLOWLOG MEMORY DEBUG SHUTDOWN
  {
    name: "SLOWLOG",
    steps: [
      ["SLOWLOG", "RESET"],
      sameType("SLOWLOG", "LEN"),
      sameType("SLOWLOG", "GET"),
      ["SLOWLOG", "GET", "-2"],
      ["SLOWLOG", "GET", "abc"],
      ["SLOWLOG", "GET", "1", "2"],
      ["SLOWLOG", "LEN", "x"],
      helpLines("SLOWLOG", "HELP"),
      ["SLOWLOG", "foo"],
      ["SLOWLOG"],
    ],
  },
  {
    name: "MEMORY USAGE",
    steps: [
      ["MEMORY", "USAGE", "sv:none"],
      ["SET", "sv:s", "v"],
      // The figures are each server's own memory (Spinel's cost model, Redis' allocator): same type only.
      sameType("MEMORY", "USAGE", "sv:s"),
      ["SET", "sv:long", "x".repeat(100)],
      sameType("MEMORY", "USAGE", "sv:long"),
      ["SET", "sv:n", "12345"],
      sameType("MEMORY", "USAGE", "sv:n", "SAMPLES", "0"),
      ["MEMORY", "USAGE", "sv:s", "SAMPLES"],
      ["MEMORY", "USAGE", "sv:s", "SAMPLES", "-1"],
      ["MEMORY", "USAGE", "sv:s", "SAMPLES", "x"],
      ["MEMORY", "USAGE", "sv:s", "FOO"],
      ["MEMORY", "USAGE"],
    ],
  },
  {
    name: "MEMORY HELP, PURGE, DOCTOR on an empty server",
    steps: [
      helpLines("MEMORY", "HELP"),
      ["MEMORY", "PURGE"],
      // The report is in each server's own words: a verbatim string either way.
      sameType("MEMORY", "DOCTOR"),
      ["MEMORY", "nope"],
    ],
  },
  { name: "MEMORY STATS is a map", steps: [sameType("MEMORY", "STATS")] },
  { name: "DEBUG is disabled by default", steps: [["DEBUG", "HELP"], ["DEBUG", "SLEEP", "0"], ["DEBUG"]] },
  {
    name: "SHUTDOWN refusals",
    steps: [
      ["SHUTDOWN", "foo"],
      ["SHUTDOWN", "NOSAVE", "SAVE"],
      ["SHUTDOWN", "ABORT"],
      ["SHUTDOWN", "ABORT", "NOW"],
      ["MULTI"],
      ["SHUTDOWN"],
      ["DISCARD"],
      quiet("PING"),
    ],
  },
];
