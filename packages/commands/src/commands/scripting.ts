/*
 * Scripting commands (Redis' eval.c and functions.c): EVAL, EVALSHA, EVAL_RO,
 * EVALSHA_RO, SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP, FCALL, FCALL_RO and FUNCTION
 * LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/STATS/KILL/HELP.
 *
 * The Lua engine, conversion rules and long-script handling live in
 * ../scripting/; these handlers parse arguments, find the script or function,
 * check its flags, and hand it to the engine. EVAL / FCALL themselves are never
 * propagated: the commands a script ran propagate themselves (wrapped in
 * MULTI/EXEC when there are several), so replicas and the AOF replay effects,
 * not scripts.
 */

import { globMatch } from "@spinel/core-db";
import { argString, parseLong } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import { functionRegistryOf } from "../scripting/functions.js";
import { SCRIPT_FLAG_NAMES, ScriptFlag, ScriptRun, scriptEngineOf } from "../scripting/script-engine.js";
import { writeHelp } from "./client.js";

const NO_PROPAGATION: Buffer[] = [];

// ------------------------------------------------------------------ numkeys

/**
 * Parse numkeys at argv[2] (keys follow at argv[3], then args), or reply the
 * error Redis gives and return -1.
 */
function numkeysOrReply(c: ClientSession): number {
  const argv = c.argv;
  const numkeys = parseLong(argv[2]!);
  if (numkeys === null) {
    c.reply.error(Err.notInteger);
    return -1;
  }
  if (numkeys < 0) {
    c.reply.error("ERR Number of keys can't be negative");
    return -1;
  }
  if (numkeys > argv.length - 3) {
    c.reply.error(Err.numkeysTooMany);
    return -1;
  }
  return numkeys;
}

/** Key positions of EVAL-like commands: argv[3 .. 3 + numkeys). */
function numkeysKeys(argv: readonly Buffer[]): number[] {
  const numkeys = argv.length > 2 ? parseLong(argv[2]!) : null;
  if (numkeys === null || numkeys < 0 || numkeys > argv.length - 3) return [];
  const keys: number[] = [];
  for (let i = 0; i < numkeys; i++) keys.push(3 + i);
  return keys;
}

// ------------------------------------------------------------------ EVAL family

/** EVAL / EVALSHA / EVAL_RO / EVALSHA_RO script numkeys [key ...] [arg ...] */
function evalGeneric(c: ClientSession, bySha: boolean, readOnly: boolean): void {
  const engine = scriptEngineOf(c.server);
  const argv = c.argv;
  const numkeys = numkeysOrReply(c);
  if (numkeys < 0) return;
  let script: { sha: string; ref: number; flags: number };
  if (bySha) {
    const cached = engine.scriptByDigest(argv[1]!);
    if (cached === undefined) {
      c.reply.error("NOSCRIPT No matching script. Please use EVAL.");
      return;
    }
    script = cached;
  } else {
    const found = engine.scriptFor(argv[1]!);
    if (typeof found === "string") {
      c.reply.error(found);
      return;
    }
    script = found.script;
  }
  if (
    readOnly &&
    (script.flags & ScriptFlag.EvalCompat) === 0 &&
    (script.flags & ScriptFlag.NoWrites) === 0
  ) {
    c.reply.error("ERR Can not execute a script with write flag using *_ro command.");
    return;
  }
  const refusal = engine.preflight(c, script.flags, false);
  if (refusal !== null) {
    c.reply.error(refusal);
    return;
  }
  const run = new ScriptRun(c, script.sha, false, script.flags, readOnly);
  engine.execute(c, run, script.ref, argv, 3, numkeys);
  c.rewritePropagation(NO_PROPAGATION);
  c.alsoPropagate = null;
}

/** FCALL / FCALL_RO function numkeys [key ...] [arg ...] */
function fcallGeneric(c: ClientSession, readOnly: boolean): void {
  const engine = scriptEngineOf(c.server);
  const registry = functionRegistryOf(engine);
  const fn = registry.functions.get(argString(c.argv[1]!));
  if (fn === undefined) {
    c.reply.error("ERR Function not found");
    return;
  }
  const numkeys = numkeysOrReply(c);
  if (numkeys < 0) return;
  if (readOnly && (fn.flags & ScriptFlag.NoWrites) === 0) {
    c.reply.error("ERR Can not execute a script with write flag using *_ro command.");
    return;
  }
  const refusal = engine.preflight(c, fn.flags, false);
  if (refusal !== null) {
    c.reply.error(refusal);
    return;
  }
  const run = new ScriptRun(c, fn.name, true, fn.flags, readOnly);
  engine.execute(c, run, fn.ref, c.argv, 3, numkeys);
  c.rewritePropagation(NO_PROPAGATION);
  c.alsoPropagate = null;
}

// ------------------------------------------------------------------ SCRIPT

/** SCRIPT LOAD script */
function scriptLoadCommand(c: ClientSession): void {
  const found = scriptEngineOf(c.server).scriptFor(c.argv[2]!);
  if (typeof found === "string") c.reply.error(found);
  else c.reply.bulkString(found.sha);
}

/** SCRIPT EXISTS sha1 [sha1 ...] */
function scriptExistsCommand(c: ClientSession): void {
  const scripts = scriptEngineOf(c.server).scripts;
  const argv = c.argv;
  c.reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.integer(scripts.has(argv[i]!.toString("latin1").toLowerCase()) ? 1 : 0);
  }
}

/** Parse the optional ASYNC|SYNC of SCRIPT FLUSH / FUNCTION FLUSH; false after replying an error. */
function flushModeOrReply(c: ClientSession, message: string): boolean {
  const argv = c.argv;
  if (argv.length === 2) return true;
  if (argv.length === 3) {
    const mode = argv[2]!.toString("latin1").toLowerCase();
    if (mode === "async" || mode === "sync") return true;
  }
  c.reply.error(message);
  return false;
}

/** SCRIPT FLUSH [ASYNC|SYNC] */
function scriptFlushCommand(c: ClientSession): void {
  if (!flushModeOrReply(c, "ERR SCRIPT FLUSH only support SYNC|ASYNC option")) return;
  scriptEngineOf(c.server).flush();
  c.reply.ok();
}

/**
 * SCRIPT DEBUG YES|SYNC|NO. Spinel has no Lua debugger: NO (the default mode)
 * is accepted, YES and SYNC are refused with a clear error.
 */
function scriptDebugCommand(c: ClientSession): void {
  const mode = c.argv[2]!.toString("latin1").toLowerCase();
  if (mode === "no") c.reply.ok();
  else if (mode === "yes" || mode === "sync")
    c.reply.error("ERR The Lua debugger is not available in this server");
  else c.reply.error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
}

/** SCRIPT KILL / FUNCTION KILL */
function killGeneric(c: ClientSession, isFunction: boolean): void {
  const refusal = scriptEngineOf(c.server).kill(isFunction);
  if (refusal !== null) c.reply.error(refusal);
  else c.reply.ok();
}

const SCRIPT_HELP = [
  "SCRIPT <subcommand> [<arg> ...], where <subcommand> is one of:",
  "DEBUG (YES|SYNC|NO)",
  "    The script debugger mode; only NO is available in Spinel.",
  "EXISTS <sha1> [<sha1> ...]",
  "    1 or 0 for each SHA1: whether that script is in the cache.",
  "FLUSH [ASYNC|SYNC]",
  "    Empty the script cache (both modes empty it at once).",
  "KILL",
  "    Stop the script that is running, if it has not written anything.",
  "LOAD <script>",
  "    Cache a script without running it; replies with its SHA1.",
  "HELP",
  "    This list.",
];

// ------------------------------------------------------------------ FUNCTION

/** FUNCTION LOAD [REPLACE] code */
function functionLoadCommand(c: ClientSession): void {
  const argv = c.argv;
  let replace = false;
  let i = 2;
  for (; i < argv.length - 1; i++) {
    if (argv[i]!.toString("latin1").toLowerCase() === "replace") replace = true;
    else {
      c.reply.error(`ERR Unknown option given: ${argString(argv[i]!)}`);
      return;
    }
  }
  if (i !== argv.length - 1) {
    c.reply.error("ERR Function code is missing");
    return;
  }
  const registry = functionRegistryOf(scriptEngineOf(c.server));
  const result = registry.load(argv[i]!, replace);
  if ("error" in result) {
    c.reply.error(result.error);
    return;
  }
  c.server.keyspace.dirty++;
  c.reply.bulkString(result.name);
}

/** FUNCTION DELETE library-name */
function functionDeleteCommand(c: ClientSession): void {
  const registry = functionRegistryOf(scriptEngineOf(c.server));
  const library = registry.libraries.get(argString(c.argv[2]!));
  if (library === undefined) {
    c.reply.error("ERR Library not found");
    return;
  }
  registry.remove(library);
  c.server.keyspace.dirty++;
  c.reply.ok();
}

/** FUNCTION FLUSH [ASYNC|SYNC] */
function functionFlushCommand(c: ClientSession): void {
  if (!flushModeOrReply(c, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option")) return;
  functionRegistryOf(scriptEngineOf(c.server)).flush();
  c.server.keyspace.dirty++;
  c.reply.ok();
}

/** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] */
function functionListCommand(c: ClientSession): void {
  const argv = c.argv;
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const option = argv[i]!.toString("latin1").toLowerCase();
    if (option === "withcode") {
      if (withCode) {
        c.reply.error("ERR Unknown argument withcode");
        return;
      }
      withCode = true;
    } else if (option === "libraryname" && i + 1 < argv.length && pattern === null) {
      pattern = argString(argv[++i]!);
    } else if (option === "libraryname" && pattern !== null) {
      c.reply.error("ERR library name argument was already given");
      return;
    } else {
      c.reply.error(`ERR Unknown argument ${argString(argv[i]!)}`);
      return;
    }
  }
  const registry = functionRegistryOf(scriptEngineOf(c.server));
  const libraries = [...registry.libraries.values()].filter(
    (l) => pattern === null || globMatch(pattern, l.name),
  );
  const out = c.reply;
  out.arrayLen(libraries.length);
  for (const library of libraries) {
    out.mapLen(withCode ? 4 : 3);
    out.bulkString("library_name");
    out.bulkString(library.name);
    out.bulkString("engine");
    out.bulkString("LUA");
    out.bulkString("functions");
    out.arrayLen(library.functions.size);
    for (const fn of library.functions.values()) {
      out.mapLen(3);
      out.bulkString("name");
      out.bulkString(fn.name);
      out.bulkString("description");
      if (fn.description === null) out.nullBulk();
      else out.bulkString(fn.description);
      out.bulkString("flags");
      const names = SCRIPT_FLAG_NAMES.filter(([, bit]) => (fn.flags & bit) !== 0);
      out.setLen(names.length);
      for (const [name] of names) out.simple(name);
    }
    if (withCode) {
      out.bulkString("library_code");
      out.bulk(library.code);
    }
  }
}

/** FUNCTION DUMP */
function functionDumpCommand(c: ClientSession): void {
  c.reply.bulk(functionRegistryOf(scriptEngineOf(c.server)).dump());
}

/** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] */
function functionRestoreCommand(c: ClientSession): void {
  const argv = c.argv;
  if (argv.length > 4) {
    c.reply.error(Err.syntax);
    return;
  }
  let policy: "flush" | "append" | "replace" = "append";
  if (argv.length === 4) {
    const option = argv[3]!.toString("latin1").toLowerCase();
    if (option === "flush" || option === "append" || option === "replace") policy = option;
    else {
      c.reply.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
      return;
    }
  }
  const error = functionRegistryOf(scriptEngineOf(c.server)).restore(argv[2]!, policy);
  if (error !== null) {
    c.reply.error(error);
    return;
  }
  c.server.keyspace.dirty++;
  c.reply.ok();
}

/** FUNCTION STATS */
function functionStatsCommand(c: ClientSession): void {
  const engine = scriptEngineOf(c.server);
  const registry = functionRegistryOf(engine);
  const run = engine.run;
  if (run?.background && !run.isFunction) {
    // As in Redis 7.0: while an EVAL script is busy, FUNCTION STATS gets the script's BUSY error.
    c.reply.error(Err.busyScript);
    return;
  }
  const out = c.reply;
  out.mapLen(2);
  out.bulkString("running_script");
  if (run === null || !run.background || !run.isFunction) {
    out.nullBulk();
  } else {
    out.mapLen(3);
    out.bulkString("name");
    out.bulkString(run.name);
    out.bulkString("command");
    const argv = run.caller.argv;
    out.arrayLen(argv.length);
    for (const arg of argv) out.bulk(arg);
    out.bulkString("duration_ms");
    out.integer(Math.floor(performance.now() - run.startedAt));
  }
  out.bulkString("engines");
  out.mapLen(1);
  out.bulkString("LUA");
  out.mapLen(2);
  out.bulkString("libraries_count");
  out.integer(registry.libraries.size);
  out.bulkString("functions_count");
  out.integer(registry.functions.size);
}

const FUNCTION_HELP = [
  "FUNCTION <subcommand> [<arg> ...], where <subcommand> is one of:",
  "LOAD [REPLACE] <code>",
  "    Register the library the code declares (its #!lua name=... line names it);",
  "    REPLACE lets it take the place of a library with the same name.",
  "DELETE <library>",
  "    Remove a library and its functions.",
  "LIST [LIBRARYNAME <pattern>] [WITHCODE]",
  "    Each library: its name, engine and functions (with flags), and its code",
  "    with WITHCODE; LIBRARYNAME keeps the libraries whose name matches.",
  "STATS",
  "    The function running now (name, command, milliseconds so far) or nil,",
  "    and the engines with their library and function counts.",
  "KILL",
  "    Stop the function that is running, if it has not written anything.",
  "FLUSH [ASYNC|SYNC]",
  "    Remove every library (both modes remove them at once).",
  "DUMP",
  "    Every library as one payload for FUNCTION RESTORE.",
  "RESTORE <payload> [FLUSH|APPEND|REPLACE]",
  "    Register the libraries of a DUMP payload: FLUSH removes the current ones",
  "    first, APPEND (the default) fails on a name already taken, REPLACE lets",
  "    the restored library win.",
  "HELP",
  "    This list.",
];

// ------------------------------------------------------------------ specs

const EVAL_FLAGS = ["noscript", "skip_monitor", "no_mandatory_keys", "stale"] as const;
const EVAL_RO_FLAGS = ["noscript", "skip_monitor", "no_mandatory_keys", "stale", "readonly"] as const;
const RUN_SCRIPT = "As costly as the code it runs.";
const RUN_FUNCTION = "As costly as the code it runs.";

/** A spec of the EVAL / FCALL family: numkeys at argv[2], keys after it. */
function scriptingSpec(
  name: string,
  flags: CommandSpec["flags"],
  summary: string,
  since: string,
  complexity: string,
  handler: (c: ClientSession) => void,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags,
    getKeys: numkeysKeys,
    acl: ["@scripting"],
    group: "scripting",
    summary,
    since,
    complexity,
    handler,
  };
}

/** A SCRIPT or FUNCTION subcommand. */
function sub(
  name: string,
  arity: number,
  flags: CommandSpec["flags"],
  summary: string,
  since: string,
  complexity: string,
  handler: (c: ClientSession) => void,
): CommandSpec {
  return { name, arity, flags, acl: ["@scripting"], group: "scripting", summary, since, complexity, handler };
}

const HELP_SUMMARY = "List the subcommands with one line on each";
const FUNCTIONS_N = "O(N), N = functions.";

export const scriptingCommands: readonly CommandSpec[] = [
  scriptingSpec("eval", EVAL_FLAGS, "Run a Lua script", "2.6.0", RUN_SCRIPT, (c) =>
    evalGeneric(c, false, false),
  ),
  scriptingSpec("evalsha", EVAL_FLAGS, "Run a cached Lua script by its SHA1", "2.6.0", RUN_SCRIPT, (c) =>
    evalGeneric(c, true, false),
  ),
  scriptingSpec("eval_ro", EVAL_RO_FLAGS, "Run a Lua script that only reads", "7.0.0", RUN_SCRIPT, (c) =>
    evalGeneric(c, false, true),
  ),
  scriptingSpec(
    "evalsha_ro",
    EVAL_RO_FLAGS,
    "Run a cached read-only Lua script by its SHA1",
    "7.0.0",
    RUN_SCRIPT,
    (c) => evalGeneric(c, true, true),
  ),
  scriptingSpec("fcall", EVAL_FLAGS, "Call a library function", "7.0.0", RUN_FUNCTION, (c) =>
    fcallGeneric(c, false),
  ),
  scriptingSpec(
    "fcall_ro",
    EVAL_RO_FLAGS,
    "Call a library function that only reads",
    "7.0.0",
    RUN_FUNCTION,
    (c) => fcallGeneric(c, true),
  ),
  {
    name: "script",
    arity: -2,
    flags: [],
    group: "scripting",
    summary: "Manage the Lua script cache",
    since: "2.6.0",
    complexity: "Per subcommand.",
    handler: () => {},
    subcommands: [
      sub(
        "load",
        3,
        ["noscript", "stale"],
        "Put a script in the cache without running it",
        "2.6.0",
        "O(N) in the script's bytes.",
        scriptLoadCommand,
      ),
      sub(
        "exists",
        -3,
        ["noscript"],
        "Whether scripts are in the cache",
        "2.6.0",
        "O(N), N = SHA1s given.",
        scriptExistsCommand,
      ),
      sub(
        "flush",
        -2,
        ["noscript"],
        "Empty the script cache",
        "2.6.0",
        "O(N), N = cached scripts.",
        scriptFlushCommand,
      ),
      sub("kill", 2, ["noscript", "allow_busy"], "Stop the running script", "2.6.0", "O(1)", (c) =>
        killGeneric(c, false),
      ),
      sub(
        "debug",
        3,
        ["noscript"],
        "Choose the debugging mode of scripts",
        "3.2.0",
        "O(1)",
        scriptDebugCommand,
      ),
      sub("help", 2, ["loading", "stale"], HELP_SUMMARY, "5.0.0", "O(1)", (c) => writeHelp(c, SCRIPT_HELP)),
    ],
  },
  {
    name: "function",
    arity: -2,
    flags: [],
    group: "scripting",
    summary: "Manage function libraries",
    since: "7.0.0",
    complexity: "Per subcommand.",
    handler: () => {},
    subcommands: [
      sub(
        "load",
        -3,
        ["write", "denyoom", "noscript"],
        "Compile and register a library",
        "7.0.0",
        "O(1), not counting compilation.",
        functionLoadCommand,
      ),
      sub("delete", 3, ["write", "noscript"], "Remove a library", "7.0.0", "O(1)", functionDeleteCommand),
      sub(
        "flush",
        -2,
        ["write", "noscript"],
        "Remove every library",
        "7.0.0",
        "O(N), N = functions.",
        functionFlushCommand,
      ),
      sub(
        "list",
        -2,
        ["noscript"],
        "Describe the libraries and their functions",
        "7.0.0",
        FUNCTIONS_N,
        functionListCommand,
      ),
      sub("dump", 2, ["noscript"], "Serialise every library", "7.0.0", FUNCTIONS_N, functionDumpCommand),
      sub(
        "restore",
        -3,
        ["write", "denyoom", "noscript"],
        "Register libraries from a dump",
        "7.0.0",
        "O(N), N = functions in the dump.",
        functionRestoreCommand,
      ),
      sub(
        "stats",
        2,
        ["noscript", "allow_busy"],
        "The running function and the engines",
        "7.0.0",
        "O(1)",
        functionStatsCommand,
      ),
      sub("kill", 2, ["noscript", "allow_busy"], "Stop the running function", "7.0.0", "O(1)", (c) =>
        killGeneric(c, true),
      ),
      sub("help", 2, ["loading", "stale"], HELP_SUMMARY, "7.0.0", "O(1)", (c) => writeHelp(c, FUNCTION_HELP)),
    ],
  },
];
