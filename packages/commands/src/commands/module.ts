/*
 * MODULE (Redis' module.c, command side) for a server without modules: LIST is
 * always empty, LOAD / LOADEX / UNLOAD answer what redis-server answers when a
 * module cannot be loaded or is not there. As in Redis, they are protected by
 * enable-module-command (default "no"), so by default they are refused with
 * Redis' words; client libraries' test suites call them and match those words.
 */

import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { writeHelp } from "./client.js";
import { protectedCommandAllowed } from "./debug.js";

const NOT_ALLOWED =
  'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';
const LOAD_FAILED = "ERR Error loading the extension. Please check the server logs.";
const NO_SUCH_MODULE = "ERR Error unloading module: no such module with that name";

/** Refuse with Redis' error when enable-module-command does not allow `c`; true when refused. */
function refusedOrReply(c: ClientSession): boolean {
  if (protectedCommandAllowed(c, "enable-module-command")) return false;
  c.reply.error(NOT_ALLOWED);
  return true;
}

/** MODULE LIST: the loaded modules, none here. */
function moduleListCommand(c: ClientSession): void {
  c.reply.arrayLen(0);
}

/** MODULE LOAD path [arg ...] and MODULE LOADEX path [CONFIG name value ...] [ARGS ...]. */
function moduleLoadCommand(c: ClientSession): void {
  if (refusedOrReply(c)) return;
  c.server.logger.warn(
    { path: c.argv[2]!.toString("latin1") },
    "Module loading is not supported: Spinel runs no native modules",
  );
  c.reply.error(LOAD_FAILED);
}

/** MODULE UNLOAD name: no module is ever loaded. */
function moduleUnloadCommand(c: ClientSession): void {
  if (refusedOrReply(c)) return;
  c.reply.error(NO_SUCH_MODULE);
}

const MODULE_HELP = [
  "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "LIST",
  "    Always empty: Spinel loads no modules.",
  "LOAD <path> [<arg> ...]",
  "    Refused: native modules cannot run in Spinel.",
  "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
  "    Refused, like LOAD.",
  "UNLOAD <name>",
  "    Fails: there is no module to unload.",
  "HELP",
  "    Show this list.",
];

/** MODULE HELP */
function moduleHelpCommand(c: ClientSession): void {
  writeHelp(c, MODULE_HELP);
}

function moduleSubcommand(
  name: string,
  arity: number,
  flags: CommandSpec["flags"],
  summary: string,
  handler: CommandSpec["handler"],
): CommandSpec {
  return { name, arity, flags, group: "server", summary, since: "4.0.0", complexity: "O(1)", handler };
}

const LOADING_FLAGS = ["admin", "noscript", "no_async_loading"] as const;

/** MODULE and its subcommands. */
export const moduleCommands: readonly CommandSpec[] = [
  {
    name: "module",
    arity: -2,
    flags: [],
    group: "server",
    summary: "Manage loadable modules",
    since: "4.0.0",
    complexity: "Per subcommand.",
    handler: () => {},
    subcommands: [
      {
        ...moduleSubcommand("list", 2, ["admin", "noscript"], "The loaded modules", moduleListCommand),
        complexity: "O(N), N = modules.",
      },
      moduleSubcommand("load", -3, LOADING_FLAGS, "Load a module from a file", moduleLoadCommand),
      {
        ...moduleSubcommand(
          "loadex",
          -3,
          LOADING_FLAGS,
          "Load a module with configuration and arguments",
          moduleLoadCommand,
        ),
        since: "7.0.0",
      },
      moduleSubcommand("unload", 3, LOADING_FLAGS, "Remove a loaded module", moduleUnloadCommand),
      {
        ...moduleSubcommand(
          "help",
          2,
          ["loading", "stale"],
          "List the subcommands with one line on each",
          moduleHelpCommand,
        ),
        since: "5.0.0",
      },
    ],
  },
];
