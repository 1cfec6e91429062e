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
  "CONFIG <subcommand> [<arg> ...], where <subcommand> is one of:",
  "GET <pattern>",
  "    Parameters whose names match the glob <pattern>, with their values.",
  "SET <directive> <value>",
  "    Change parameters; either all of them change or none does.",
  "RESETSTAT",
  "    Zero the counters INFO reports.",
  "REWRITE",
  "    Write the running configuration back to the config file.",
  "HELP",
  "    This list.",
];

const ADMIN = ["admin", "noscript", "loading", "stale"] as const;

const configCommand: CommandSpec = {
  name: "config",
  arity: -2,
  flags: [],
  group: "server",
  summary: "Read and change the running configuration",
  since: "2.0.0",
  complexity: "Per subcommand.",
  handler: () => {},
  subcommands: [
    {
      name: "get",
      arity: -3,
      flags: ADMIN,
      group: "server",
      summary: "Read parameters matching glob patterns",
      since: "2.0.0",
      complexity: "O(N), N = patterns.",
      handler: configGetCommand,
    },
    {
      name: "set",
      arity: -4,
      flags: ADMIN,
      group: "server",
      summary: "Change parameters, all or none",
      since: "2.0.0",
      complexity: "O(N), N = parameters.",
      handler: configSetCommand,
    },
    {
      name: "resetstat",
      arity: 2,
      flags: ADMIN,
      group: "server",
      summary: "Zero the counters INFO reports",
      since: "2.0.0",
      complexity: "O(1)",
      handler: configResetstatCommand,
    },
    {
      name: "rewrite",
      arity: 2,
      flags: ADMIN,
      group: "server",
      summary: "Write the running configuration back to its file",
      since: "2.8.0",
      complexity: "O(1)",
      handler: configRewriteCommand,
    },
    {
      name: "help",
      arity: 2,
      flags: ["loading", "stale"],
      group: "server",
      summary: "List the subcommands with one line on each",
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
  "SLOWLOG <subcommand> [<arg> ...], where <subcommand> is one of:",
  "GET [<count>]",
  "    The <count> newest entries (10 by default, -1 for all). Each holds:",
  "    id, Unix time, duration in microseconds, arguments, client address,",
  "    client name",
  "LEN",
  "    How many entries the log holds.",
  "RESET",
  "    Empty the log.",
  "HELP",
  "    This list.",
];

const slowlogCommand: CommandSpec = {
  name: "slowlog",
  arity: -2,
  flags: [],
  group: "server",
  summary: "The log of slow commands",
  since: "2.2.12",
  complexity: "Per subcommand.",
  handler: () => {},
  subcommands: [
    {
      name: "get",
      arity: -2,
      flags: ["admin", "loading", "stale"],
      group: "server",
      summary: "The latest slow-log entries",
      since: "2.2.12",
      complexity: "O(N), N = entries returned.",
      handler: slowlogGetCommand,
    },
    {
      name: "len",
      arity: 2,
      flags: ["admin", "loading", "stale"],
      group: "server",
      summary: "How many entries the slow log holds",
      since: "2.2.12",
      complexity: "O(1)",
      handler: (c) => c.reply.integer(c.server.slowlog.length),
    },
    {
      name: "reset",
      arity: 2,
      flags: ["admin", "loading", "stale"],
      group: "server",
      summary: "Empty the slow log",
      since: "2.2.12",
      complexity: "O(N), N = entries.",
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
      summary: "List the subcommands with one line on each",
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
    summary: "How many keys the current database holds",
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
    summary: "Empty the current database",
    since: "1.0.0",
    complexity: "O(N), N = keys in the database.",
    handler: flushdbCommand,
  },
  {
    name: "flushall",
    arity: -1,
    flags: ["write"],
    acl: ["@keyspace", "@dangerous"],
    group: "server",
    summary: "Empty every database",
    since: "1.0.0",
    complexity: "O(N), N = keys in all databases.",
    handler: flushallCommand,
  },
  {
    name: "swapdb",
    arity: 3,
    flags: ["write", "fast"],
    acl: ["@keyspace", "@dangerous"],
    group: "server",
    summary: "Exchange the contents of two databases",
    since: "4.0.0",
    complexity: "O(N), N = clients watching or blocked on them.",
    handler: swapdbCommand,
  },
  {
    name: "time",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    group: "server",
    summary: "The server's clock",
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
    summary: "Unix time of the last successful save",
    since: "1.0.0",
    complexity: "O(1)",
    handler: lastsaveCommand,
  },
  {
    name: "shutdown",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale", "no_multi", "sentinel", "allow_busy"],
    group: "server",
    summary: "Stop the server, saving first if configured",
    since: "1.0.0",
    complexity: "O(N) when saving N keys, else O(1).",
    handler: shutdownCommand,
  },
  {
    name: "info",
    arity: -1,
    flags: ["loading", "stale", "sentinel"],
    acl: ["@dangerous"],
    group: "server",
    summary: "Server figures, section by section",
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
