/*
 * COMMAND and its subcommands (Redis' server.c): introspection of the command
 * table for redis-cli and client libraries. The reply shapes are in
 * ../introspection/command-docs.ts.
 */

import { globMatch } from "@spinel/core-db";
import { argIs, argString } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import type { Command } from "../command-table.js";
import { Err } from "../errors.js";
import {
  commandHasKeys,
  findCommandByFullName,
  findKeys,
  writeCommandDocs,
  writeCommandInfo,
} from "../introspection/command-docs.js";
import { writeHelp } from "./client.js";

/** COMMAND: the info of every command. */
function commandAllCommand(c: ClientSession): void {
  const commands = [...c.server.table.all()];
  c.reply.arrayLen(commands.length);
  for (const command of commands) writeCommandInfo(c.reply, command);
}

/** COMMAND COUNT */
function commandCountCommand(c: ClientSession): void {
  c.reply.integer(c.server.table.size);
}

/** COMMAND INFO [name ...]: one entry per name (null for unknown ones), or all. */
function commandInfoCommand(c: ClientSession): void {
  if (c.argv.length === 2) {
    commandAllCommand(c);
    return;
  }
  c.reply.arrayLen(c.argv.length - 2);
  for (let i = 2; i < c.argv.length; i++) {
    const command = findCommandByFullName(c.server.table, argString(c.argv[i]!));
    if (command === undefined) c.reply.nullBulk();
    else writeCommandInfo(c.reply, command);
  }
}

/** COMMAND DOCS [name ...]: a map of name -> documentation; unknown names are left out. */
function commandDocsCommand(c: ClientSession): void {
  const commands: Command[] = [];
  if (c.argv.length === 2) {
    commands.push(...c.server.table.all());
  } else {
    for (let i = 2; i < c.argv.length; i++) {
      const command = findCommandByFullName(c.server.table, argString(c.argv[i]!));
      if (command !== undefined) commands.push(command);
    }
  }
  c.reply.mapLen(commands.length);
  for (const command of commands) {
    c.reply.bulkString(command.fullName);
    writeCommandDocs(c.reply, command);
  }
}

/** Every command and subcommand, containers first. */
function everyCommand(c: ClientSession): Command[] {
  const result: Command[] = [];
  for (const command of c.server.table.all()) {
    result.push(command);
    if (command.subcommands !== null) result.push(...command.subcommands.values());
  }
  return result;
}

/** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] */
function commandListCommand(c: ClientSession): void {
  const argv = c.argv;
  let keep: (command: Command) => boolean = () => true;
  if (argv.length === 5 && argIs(argv[2]!, "filterby")) {
    const value = argString(argv[4]!);
    if (argIs(argv[3]!, "module")) {
      keep = () => false;
    } else if (argIs(argv[3]!, "aclcat")) {
      const category = `@${value.toLowerCase()}`;
      keep = (command) => command.aclCategories.includes(category as never);
    } else if (argIs(argv[3]!, "pattern")) {
      keep = (command) => globMatch(value, command.fullName, true);
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  } else if (argv.length !== 2) {
    c.reply.error(Err.syntax);
    return;
  }
  const names = everyCommand(c)
    .filter((command) => keep(command))
    .map((command) => command.fullName);
  c.reply.arrayLen(names.length);
  for (const name of names) c.reply.bulkString(name);
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS command [arg ...] */
function getKeysGeneric(c: ClientSession, withFlags: boolean): void {
  const argv = c.argv.slice(2);
  let command = c.server.table.lookup(argv[0]!);
  if (command !== undefined && command.subcommands !== null && argv.length >= 2) {
    command = command.subcommands.get(argString(argv[1]!).toLowerCase());
  }
  if (command === undefined) {
    c.reply.error("ERR Invalid command specified");
    return;
  }
  if (!commandHasKeys(command)) {
    c.reply.error("ERR The command has no key arguments");
    return;
  }
  if ((command.arity > 0 && command.arity !== argv.length) || argv.length < -command.arity) {
    c.reply.error("ERR Invalid number of arguments specified for command");
    return;
  }
  const keys = findKeys(command, argv);
  if (keys.length === 0) {
    if (command.hasFlag("no_mandatory_keys")) c.reply.arrayLen(0);
    else c.reply.error("ERR Invalid arguments specified for command");
    return;
  }
  c.reply.arrayLen(keys.length);
  for (const key of keys) {
    if (!withFlags) {
      c.reply.bulk(argv[key.index]!);
      continue;
    }
    c.reply.arrayLen(2);
    c.reply.bulk(argv[key.index]!);
    const flags = key.flags.filter((flag) => flag !== "variable_flags");
    c.reply.setLen(flags.length);
    for (const flag of flags) c.reply.simple(flag);
  }
}

const COMMAND_HELP = [
  "COMMAND <subcommand> [<arg> ...], where <subcommand> is one of:",
  "(no subcommand)",
  "    Describe every command of this server.",
  "COUNT",
  "    How many commands this server has.",
  "LIST",
  "    The names of all commands.",
  "INFO [<command-name> ...]",
  "    Describe the named commands; with no name, every command.",
  "DOCS [<command-name> ...]",
  "    Documentation maps of the named commands; with no name, every command.",
  "GETKEYS <full-command>",
  "    The keys a full command line would touch.",
  "GETKEYSANDFLAGS <full-command>",
  "    The keys a full command line would touch, with how each is used.",
  "HELP",
  "    This list.",
];

const INTROSPECTION_FLAGS = ["loading", "stale"] as const;

function commandSubcommand(
  name: string,
  arity: number,
  summary: string,
  since: string,
  complexity: string,
  handler: CommandSpec["handler"],
): CommandSpec {
  return {
    name,
    arity,
    flags: INTROSPECTION_FLAGS,
    acl: ["@connection"],
    group: "server",
    summary,
    since,
    complexity,
    handler,
  };
}

/** COMMAND: the container and its subcommands. */
export const commandCommand: CommandSpec = {
  name: "command",
  arity: -1,
  flags: INTROSPECTION_FLAGS,
  acl: ["@connection"],
  group: "server",
  summary: "Describe every command of this server",
  since: "2.8.13",
  complexity: "O(N), N = commands.",
  handler: commandAllCommand,
  subcommands: [
    commandSubcommand("count", 2, "How many commands this server has", "2.8.13", "O(1)", commandCountCommand),
    commandSubcommand(
      "info",
      -2,
      "Describe some commands, or all of them",
      "2.8.13",
      "O(N), N = commands asked for.",
      commandInfoCommand,
    ),
    commandSubcommand(
      "docs",
      -2,
      "Documentation maps of commands",
      "7.0.0",
      "O(N), N = commands asked for.",
      commandDocsCommand,
    ),
    commandSubcommand(
      "list",
      -2,
      "Name the commands, optionally filtered",
      "7.0.0",
      "O(N), N = commands.",
      commandListCommand,
    ),
    commandSubcommand(
      "getkeys",
      -4,
      "Pick the keys out of a command line",
      "2.8.13",
      "O(N), N = arguments.",
      (c) => getKeysGeneric(c, false),
    ),
    commandSubcommand(
      "getkeysandflags",
      -4,
      "Pick the keys out of a command line, with how each is used",
      "7.0.0",
      "O(N), N = arguments.",
      (c) => getKeysGeneric(c, true),
    ),
    commandSubcommand("help", 2, "List the subcommands with one line on each", "5.0.0", "O(1)", (c) =>
      writeHelp(c, COMMAND_HELP),
    ),
  ],
};
