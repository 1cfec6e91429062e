/*
 * Server commands (Redis' server.c, db.c, config.c, slowlog.c parts): DBSIZE,
 * FLUSHDB, FLUSHALL, SWAPDB, TIME, LASTSAVE, SHUTDOWN, INFO, CONFIG, SLOWLOG.
 * COMMAND lives in command.ts, DEBUG in debug.ts, MEMORY in memory.ts, INFO's
 * sections in info.ts.
 */

import { argIs, argString, parseInt64 } from "../args.js";
import { ClientFlag, type ClientSession } from "../client-session.js";
import { type CommandSpec, NO_KEYS } from "../command-spec.js";
import { Err } from "../errors.js";
import { writeHelp } from "./client.js";
import { commandCommand } from "./command.js";
import { debugCommand } from "./debug.js";
import { infoCommand, resetServerStats } from "./info.js";
import { memoryCommand } from "./memory.js";

// ---------------------------------------------------------------- DBSIZE FLUSHDB FLUSHALL SWAPDB

/** DBSIZE */
function dbsizeCommand(c: ClientSession): void {
  c.reply.integer(c.db.size);
}

/** Parse FLUSHDB / FLUSHALL's optional ASYNC|SYNC (both flush at once in Spinel). */
function flushOptionOrReply(c: ClientSession): boolean {
  const argv = c.argv;
  if (argv.length === 1) return true;
  if (argv.length === 2 && (argIs(argv[1]!, "sync") || argIs(argv[1]!, "async"))) return true;
  c.reply.error(Err.syntax);
  return false;
}

/**
 * Empty one database: watchers of keys that existed lose their transaction
 * first. Returns the number of keys removed.
 */
function emptyDatabase(c: ClientSession, index: number): number {
  const db = c.server.keyspace.db(index);
  c.server.watch.touchDatabase(db, null);
  return db.flush();
}

/** Count `removed` changes, or force propagation when nothing was removed, as Redis does. */
function countFlush(c: ClientSession, removed: number): void {
  if (removed > 0) c.server.keyspace.dirty += removed;
  else c.propagateAlso(c.argv);
}

/** FLUSHDB [ASYNC|SYNC] */
function flushdbCommand(c: ClientSession): void {
  if (!flushOptionOrReply(c)) return;
  countFlush(c, emptyDatabase(c, c.db.id));
  c.reply.ok();
}

/** FLUSHALL [ASYNC|SYNC] */
function flushallCommand(c: ClientSession): void {
  if (!flushOptionOrReply(c)) return;
  let removed = 0;
  for (let i = 0; i < c.server.keyspace.databases.length; i++) removed += emptyDatabase(c, i);
  countFlush(c, removed);
  c.reply.ok();
}

/** SWAPDB index1 index2 */
function swapdbCommand(c: ClientSession): void {
  const first = parseInt64(c.argv[1]!);
  if (first === null || first > 2147483647n || first < -2147483648n) {
    c.reply.error("ERR invalid first DB index");
    return;
  }
  const second = parseInt64(c.argv[2]!);
  if (second === null || second > 2147483647n || second < -2147483648n) {
    c.reply.error("ERR invalid second DB index");
    return;
  }
  const keyspace = c.server.keyspace;
  const count = BigInt(keyspace.databases.length);
  if (first < 0n || first >= count || second < 0n || second >= count) {
    c.reply.error(Err.dbIndexOutOfRange);
    return;
  }
  const a = Number(first);
  const b = Number(second);
  if (a !== b) {
    c.server.watch.touchDatabase(keyspace.db(a), keyspace.db(b));
    c.server.watch.touchDatabase(keyspace.db(b), keyspace.db(a));
    keyspace.swap(a, b);
  }
  keyspace.dirty++;
  c.reply.ok();
}

// ---------------------------------------------------------------- TIME LASTSAVE SHUTDOWN

/** TIME: [unix seconds, microseconds] as bulk strings. */
function timeCommand(c: ClientSession): void {
  const micros = BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1000));
  c.reply.arrayLen(2);
  c.reply.bulkString(String(micros / 1000000n));
  c.reply.bulkString(String(micros % 1000000n));
}

/** LASTSAVE: unix time of the last successful save (the start time until one happens). */
function lastsaveCommand(c: ClientSession): void {
  const control = c.server.control;
  c.reply.integer(
    control !== null ? control.processInfo().lastSaveTime : Math.floor(c.server.stats.startTime / 1000),
  );
}

/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. On success there is no reply: the
 * server application closes every connection and stops.
 */
function shutdownCommand(c: ClientSession): void {
  let noSave = false;
  let save = false;
  let now = false;
  let force = false;
  let abort = false;
  for (let i = 1; i < c.argv.length; i++) {
    const option = c.argv[i]!;
    if (argIs(option, "nosave")) noSave = true;
    else if (argIs(option, "save")) save = true;
    else if (argIs(option, "now")) now = true;
    else if (argIs(option, "force")) force = true;
    else if (argIs(option, "abort")) abort = true;
    else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  if ((abort && (noSave || save || now || force)) || (noSave && save)) {
    c.reply.error(Err.syntax);
    return;
  }
  const control = c.server.control;
  if (control === null) {
    c.reply.error(abort ? "ERR No shutdown in progress." : "ERR Errors trying to SHUTDOWN. Check logs.");
    return;
  }
  const refusal = control.shutdown({ save: noSave ? false : save ? true : null, now, force, abort });
  if (refusal !== null) c.reply.error(refusal);
  else if (abort) c.reply.ok();
  else c.flags |= ClientFlag.CloseAfterReply;
}

// ---------------------------------------------------------------- CONFIG

/** CONFIG GET parameter [parameter ...]: a map of name -> value. */
function configGetCommand(c: ClientSession): void {
  const store = c.server.config;
  const patterns: string[] = [];
  for (let i = 2; i < c.argv.length; i++) patterns.push(argString(c.argv[i]!));
  const pairs = store === null ? [] : store.get(patterns);
  c.reply.mapLen(pairs.length);
  for (const [name, value] of pairs) {
    c.reply.bulkString(name);
    c.reply.bulkString(value);
  }
}

/** CONFIG SET parameter value [parameter value ...]: all or nothing. */
function configSetCommand(c: ClientSession): void {
  const argv = c.argv;
  if ((argv.length & 1) === 1) {
    c.reply.error(Err.syntax);
    return;
  }
  const pairs: Array<[string, string]> = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argString(argv[i]!), argString(argv[i + 1]!)]);
  const store = c.server.config;
  if (store === null) {
    c.reply.error(`ERR Unknown option or number of arguments for CONFIG SET - '${pairs[0]![0]}'`);
    return;
  }
  const error = store.set(pairs);
  if (error !== null) c.reply.error(error);
  else c.reply.ok();
}

/** CONFIG RESETSTAT */
function configResetstatCommand(c: ClientSession): void {
  resetServerStats(c.server);
  c.server.control?.resetStats();
  c.reply.ok();
}

/** CONFIG REWRITE */
function configRewriteCommand(c: ClientSession): void {
  const store = c.server.config;
  const error = store === null ? "ERR The server is running without a config file" : store.rewrite();
  if (error !== null) c.reply.error(error);
  else c.reply.ok();
}

const CONFIG_HELP = [
  "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
  "HELP",
  "    Prints this help.",
];

const ADMIN = ["admin", "noscript", "loading", "stale"] as const;

const configCommand: CommandSpec = {
  name: "config",
  arity: -2,
  flags: [],
  group: "server",
  summary: "A container for server configuration commands",
  since: "2.0.0",
  complexity: "Depends on subcommand.",
  handler: () => {},
  subcommands: [
    {
      name: "get",
      arity: -3,
      flags: ADMIN,
      group: "server",
      summary: "Get the values of configuration parameters",
      since: "2.0.0",
      complexity: "O(N) when N is the number of configuration parameters provided",
      handler: configGetCommand,
    },
    {
      name: "set",
      arity: -4,
      flags: ADMIN,
      group: "server",
      summary: "Set configuration parameters to the given values",
      since: "2.0.0",
      complexity: "O(N) when N is the number of configuration parameters provided",
      handler: configSetCommand,
    },
    {
      name: "resetstat",
      arity: 2,
      flags: ADMIN,
      group: "server",
      summary: "Reset the stats returned by INFO",
      since: "2.0.0",
      complexity: "O(1)",
      handler: configResetstatCommand,
    },
    {
      name: "rewrite",
      arity: 2,
      flags: ADMIN,
      group: "server",
      summary: "Rewrite the configuration file with the in memory configuration",
      since: "2.8.0",
      complexity: "O(1)",
      handler: configRewriteCommand,
    },
    {
      name: "help",
      arity: 2,
      flags: ["loading", "stale"],
      group: "server",
      summary: "Show helpful text about the different subcommands",
      since: "5.0.0",
      complexity: "O(1)",
      handler: (c) => writeHelp(c, CONFIG_HELP),
    },
  ],
};

// ---------------------------------------------------------------- SLOWLOG

/** SLOWLOG GET [count]: newest entries first, 10 by default, -1 for all. */
function slowlogGetCommand(c: ClientSession): void {
  let count = 10;
  if (c.argv.length === 3) {
    const requested = parseInt64(c.argv[2]!);
    if (requested === null || requested < -1n) {
      c.reply.error("ERR count should be greater than or equal to -1");
      return;
    }
    count = requested === -1n ? Number.MAX_SAFE_INTEGER : Number(requested);
  } else if (c.argv.length > 3) {
    c.reply.error(
      `ERR unknown subcommand or wrong number of arguments for '${argString(c.argv[1]!)}'. Try SLOWLOG HELP.`,
    );
    return;
  }
  const entries = c.server.slowlog.newest(count);
  const reply = c.reply;
  reply.arrayLen(entries.length);
  for (const entry of entries) {
    reply.arrayLen(6);
    reply.integer(entry.id);
    reply.integer(entry.timestamp);
    reply.integer(entry.microseconds);
    reply.arrayLen(entry.argv.length);
    for (const arg of entry.argv) reply.bulk(arg);
    reply.bulkString(entry.peer);
    reply.bulkString(entry.clientName);
  }
}

const SLOWLOG_HELP = [
  "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET [<count>]",
  "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
  "    Entries are made of:",
  "    id, timestamp, time in microseconds, arguments array, client IP and port,",
  "    client name",
  "LEN",
  "    Return the length of the slowlog.",
  "RESET",
  "    Reset the slowlog.",
  "HELP",
  "    Prints this help.",
];

const slowlogCommand: CommandSpec = {
  name: "slowlog",
  arity: -2,
  flags: [],
  group: "server",
  summary: "A container for slow log commands",
  since: "2.2.12",
  complexity: "Depends on subcommand.",
  handler: () => {},
  subcommands: [
    {
      name: "get",
      arity: -2,
      flags: ["admin", "loading", "stale"],
      group: "server",
      summary: "Get the slow log's entries",
      since: "2.2.12",
      complexity: "O(N) where N is the number of entries returned",
      handler: slowlogGetCommand,
    },
    {
      name: "len",
      arity: 2,
      flags: ["admin", "loading", "stale"],
      group: "server",
      summary: "Get the slow log's length",
      since: "2.2.12",
      complexity: "O(1)",
      handler: (c) => c.reply.integer(c.server.slowlog.length),
    },
    {
      name: "reset",
      arity: 2,
      flags: ["admin", "loading", "stale"],
      group: "server",
      summary: "Clear all entries from the slow log",
      since: "2.2.12",
      complexity: "O(N) where N is the number of entries in the slowlog",
      handler: (c) => {
        c.server.slowlog.reset();
        c.reply.ok();
      },
    },
    {
      name: "help",
      arity: 2,
      flags: ["loading", "stale"],
      group: "server",
      summary: "Show helpful text about the different subcommands",
      since: "6.2.0",
      complexity: "O(1)",
      handler: (c) => writeHelp(c, SLOWLOG_HELP),
    },
  ],
};

// ---------------------------------------------------------------- specs

export const serverCommands: readonly CommandSpec[] = [
  {
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    keys: NO_KEYS,
    acl: ["@keyspace"],
    group: "server",
    summary: "Return the number of keys in the selected database",
    since: "1.0.0",
    complexity: "O(1)",
    handler: dbsizeCommand,
  },
  {
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    acl: ["@keyspace", "@dangerous"],
    group: "server",
    summary: "Remove all keys from the current database",
    since: "1.0.0",
    complexity: "O(N) where N is the number of keys in the selected database",
    handler: flushdbCommand,
  },
  {
    name: "flushall",
    arity: -1,
    flags: ["write"],
    acl: ["@keyspace", "@dangerous"],
    group: "server",
    summary: "Remove all keys from all databases",
    since: "1.0.0",
    complexity: "O(N) where N is the total number of keys in all databases",
    handler: flushallCommand,
  },
  {
    name: "swapdb",
    arity: 3,
    flags: ["write", "fast"],
    acl: ["@keyspace", "@dangerous"],
    group: "server",
    summary: "Swaps two Redis databases",
    since: "4.0.0",
    complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
    handler: swapdbCommand,
  },
  {
    name: "time",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    group: "server",
    summary: "Return the current server time",
    since: "2.6.0",
    complexity: "O(1)",
    handler: timeCommand,
  },
  {
    name: "lastsave",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    acl: ["@admin", "@dangerous"],
    group: "server",
    summary: "Get the UNIX time stamp of the last successful save to disk",
    since: "1.0.0",
    complexity: "O(1)",
    handler: lastsaveCommand,
  },
  {
    name: "shutdown",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale", "no_multi", "sentinel", "allow_busy"],
    group: "server",
    summary: "Synchronously save the dataset to disk and then shut down the server",
    since: "1.0.0",
    complexity:
      "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
    handler: shutdownCommand,
  },
  {
    name: "info",
    arity: -1,
    flags: ["loading", "stale", "sentinel"],
    acl: ["@dangerous"],
    group: "server",
    summary: "Get information and statistics about the server",
    since: "1.0.0",
    complexity: "O(1)",
    handler: infoCommand,
  },
  configCommand,
  slowlogCommand,
  commandCommand,
  debugCommand,
  memoryCommand,
];
