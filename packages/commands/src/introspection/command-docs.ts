/*
 * What COMMAND, COMMAND INFO, COMMAND DOCS, COMMAND GETKEYS[ANDFLAGS] and
 * COMMAND LIST reply, in Redis 7.0's exact shapes.
 *
 * Declared vs documented: the name, arity, flags, key positions, ACL categories,
 * group, summary, since and complexity come from Spinel's own specs (through the
 * command table). The remaining metadata (request/response tips, key
 * specifications, argument trees, history, deprecation) comes from
 * redis-command-data.ts: facts generated from a real redis-server, with Spinel's
 * own notes from command-summaries.ts, for the commands Redis has; commands Redis
 * 7.0 lacks are documented from their spec alone.
 */

import type { ReplyWriter } from "@spinel/resp";
import type { CommandFlag } from "../command-spec.js";
import type { Command, CommandTable } from "../command-table.js";
import { redisCommandData } from "./redis-command-data.js";
import type { RedisArgument, RedisCommandData, RedisKeySpec } from "./redis-command-types.js";

// ---------------------------------------------------------------- data lookup

const dataByName = new Map<string, RedisCommandData>();
for (const command of redisCommandData) {
  dataByName.set(command.name, command);
  for (const sub of command.subcommands ?? []) dataByName.set(sub.name, sub);
}

/** Redis' metadata of a command ("get") or subcommand ("config|get"), if Redis has it. */
export function redisDataFor(fullName: string): RedisCommandData | undefined {
  return dataByName.get(fullName);
}

/** Every command Redis 7.0 has, by full name (for the command-table test). */
export function allRedisCommandData(): ReadonlyMap<string, RedisCommandData> {
  return dataByName;
}

/** Flags as COMMAND INFO shows them, in Redis' order. Redis hides may_replicate and sentinel. */
const DISPLAYED_FLAG_ORDER: readonly CommandFlag[] = [
  "write",
  "readonly",
  "denyoom",
  "admin",
  "pubsub",
  "noscript",
  "blocking",
  "loading",
  "stale",
  "skip_monitor",
  "skip_slowlog",
  "fast",
  "no_auth",
  "no_mandatory_keys",
  "no_async_loading",
  "no_multi",
  "movablekeys",
  "allow_busy",
];

/** The flags COMMAND INFO lists for `command` (movablekeys derived from getKeys). */
export function displayedFlags(command: Command): CommandFlag[] {
  return DISPLAYED_FLAG_ORDER.filter((flag) =>
    flag === "movablekeys" ? command.movableKeys || command.hasFlag(flag) : command.hasFlag(flag),
  );
}

/** Subcommands in a stable order: by name, as in the generated data. */
function sortedSubcommands(command: Command): Command[] {
  if (command.subcommands === null) return [];
  return [...command.subcommands.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Resolve "get" or "config|get" (any case) to a command of the table, as
 * COMMAND INFO / DOCS / GETKEYS look names up.
 */
export function findCommandByFullName(table: CommandTable, fullName: string): Command | undefined {
  const lower = fullName.toLowerCase();
  const bar = lower.indexOf("|");
  if (bar === -1) return table.get(lower);
  const container = table.get(lower.slice(0, bar));
  return container?.subcommands?.get(lower.slice(bar + 1));
}

// ---------------------------------------------------------------- COMMAND INFO

/** One COMMAND INFO entry: the 10-element array Redis 7.0 sends. */
export function writeCommandInfo(reply: ReplyWriter, command: Command): void {
  const data = redisDataFor(command.fullName);
  reply.arrayLen(10);
  reply.bulkString(command.fullName);
  reply.integer(command.arity);
  const flags = displayedFlags(command);
  reply.setLen(flags.length);
  for (const flag of flags) reply.simple(flag);
  reply.integer(command.keys.first);
  reply.integer(command.keys.last);
  reply.integer(command.keys.step);
  reply.setLen(command.aclCategories.length);
  for (const category of command.aclCategories) reply.simple(category);
  const tips = data?.tips ?? [];
  reply.setLen(tips.length);
  for (const tip of tips) reply.bulkString(tip);
  const keySpecs = data?.keySpecs ?? [];
  reply.setLen(keySpecs.length);
  for (const keySpec of keySpecs) writeKeySpec(reply, keySpec);
  const subcommands = sortedSubcommands(command);
  reply.setLen(subcommands.length);
  for (const sub of subcommands) writeCommandInfo(reply, sub);
}

function writeKeySpec(reply: ReplyWriter, keySpec: RedisKeySpec): void {
  reply.mapLen(keySpec.notes === undefined ? 3 : 4);
  if (keySpec.notes !== undefined) {
    reply.bulkString("notes");
    reply.bulkString(keySpec.notes);
  }
  reply.bulkString("flags");
  reply.setLen(keySpec.flags.length);
  for (const flag of keySpec.flags) reply.simple(flag);
  for (const [label, search] of [
    ["begin_search", keySpec.beginSearch],
    ["find_keys", keySpec.findKeys],
  ] as const) {
    reply.bulkString(label);
    reply.mapLen(2);
    reply.bulkString("type");
    reply.bulkString(search.type);
    reply.bulkString("spec");
    const entries = Object.entries(search.spec);
    reply.mapLen(entries.length);
    for (const [name, value] of entries) {
      reply.bulkString(name);
      if (typeof value === "number") reply.integer(value);
      else reply.bulkString(value);
    }
  }
}

// ---------------------------------------------------------------- COMMAND DOCS

/** The documentation map of one command (the value of a COMMAND DOCS entry). */
export function writeCommandDocs(reply: ReplyWriter, command: Command): void {
  const spec = command.spec;
  const data = redisDataFor(command.fullName);
  const subcommands = sortedSubcommands(command);
  const complexity = spec.complexity;
  let fields = 3;
  if (complexity !== undefined) fields++;
  if (data?.docFlags !== undefined) fields++;
  if (data?.deprecatedSince !== undefined) fields++;
  if (data?.replacedBy !== undefined) fields++;
  if (data?.history !== undefined) fields++;
  if (data?.arguments !== undefined) fields++;
  if (subcommands.length > 0) fields++;
  reply.mapLen(fields);
  reply.bulkString("summary");
  reply.bulkString(spec.summary);
  reply.bulkString("since");
  reply.bulkString(spec.since);
  reply.bulkString("group");
  reply.bulkString(spec.group);
  if (complexity !== undefined) {
    reply.bulkString("complexity");
    reply.bulkString(complexity);
  }
  if (data?.docFlags !== undefined) {
    reply.bulkString("doc_flags");
    reply.setLen(data.docFlags.length);
    for (const flag of data.docFlags) reply.simple(flag);
  }
  if (data?.deprecatedSince !== undefined) {
    reply.bulkString("deprecated_since");
    reply.bulkString(data.deprecatedSince);
  }
  if (data?.replacedBy !== undefined) {
    reply.bulkString("replaced_by");
    reply.bulkString(data.replacedBy);
  }
  if (data?.history !== undefined) {
    reply.bulkString("history");
    reply.setLen(data.history.length);
    for (const [version, change] of data.history) {
      reply.arrayLen(2);
      reply.bulkString(version);
      reply.bulkString(change);
    }
  }
  if (data?.arguments !== undefined) {
    reply.bulkString("arguments");
    writeArguments(reply, data.arguments);
  }
  if (subcommands.length > 0) {
    reply.bulkString("subcommands");
    reply.mapLen(subcommands.length);
    for (const sub of subcommands) {
      reply.bulkString(sub.fullName);
      writeCommandDocs(reply, sub);
    }
  }
}

function writeArguments(reply: ReplyWriter, args: readonly RedisArgument[]): void {
  reply.arrayLen(args.length);
  for (const argument of args) {
    const entries = Object.entries(argument);
    reply.mapLen(entries.length);
    for (const [name, value] of entries) {
      reply.bulkString(name);
      if (name === "flags") {
        const flags = value as readonly string[];
        reply.setLen(flags.length);
        for (const flag of flags) reply.simple(flag);
      } else if (name === "arguments") {
        writeArguments(reply, value as readonly RedisArgument[]);
      } else if (typeof value === "number") {
        reply.integer(value);
      } else {
        reply.bulkString(value as string);
      }
    }
  }
}

// ---------------------------------------------------------------- GETKEYS

/** A key found in a command line: its argv index and the key-spec flags. */
export interface FoundKey {
  readonly index: number;
  readonly flags: readonly string[];
}

/**
 * The keys of `argv` (argv[0] is the command name) for COMMAND GETKEYS, as
 * Redis' getKeysFromCommandWithSpecs finds them: with the key specifications
 * when Redis documents the command and their flags do not vary; otherwise with
 * the spec's own key positions. An empty result means "no keys in these
 * arguments".
 */
export function findKeys(command: Command, argv: readonly Buffer[]): FoundKey[] {
  const keySpecs = (redisDataFor(command.fullName)?.keySpecs ?? []).filter(
    (spec) => !spec.flags.includes("not_key"),
  );
  const variableFlags = keySpecs.some((spec) => spec.flags.includes("variable_flags"));
  const evaluable = keySpecs.every(
    (spec) => spec.beginSearch.type !== "unknown" && spec.findKeys.type !== "unknown",
  );
  if (keySpecs.length > 0 && !variableFlags && evaluable) {
    // When the specifications do not fit, Redis' own key finders (numkeys
    // parsers) reject the same arguments: no keys.
    return keysFromSpecs(keySpecs, argv) ?? [];
  }
  const flags = (keySpecs[0]?.flags ?? []).filter((flag) => flag !== "variable_flags");
  return command.keyIndexes(argv).map((index) => ({ index, flags }));
}

/** Redis' getKeysUsingKeySpecs: every spec's keys, or null when one does not fit. */
function keysFromSpecs(keySpecs: readonly RedisKeySpec[], argv: readonly Buffer[]): FoundKey[] | null {
  const argc = argv.length;
  const found: FoundKey[] = [];
  for (const keySpec of keySpecs) {
    let first = 0;
    const begin = keySpec.beginSearch.spec;
    if (keySpec.beginSearch.type === "index") {
      first = begin.index as number;
    } else if (keySpec.beginSearch.type === "keyword") {
      const keyword = String(begin.keyword).toLowerCase();
      const startFrom = begin.startfrom as number;
      const start = startFrom > 0 ? startFrom : argc + startFrom;
      const end = startFrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toString("latin1").toLowerCase() === keyword) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue;
    } else {
      return null;
    }
    const find = keySpec.findKeys.spec;
    let last: number;
    let step: number;
    if (keySpec.findKeys.type === "range") {
      const lastKey = find.lastkey as number;
      const limit = find.limit as number;
      step = find.keystep as number;
      if (lastKey >= 0) last = first + lastKey;
      else if (limit === 0) last = argc + lastKey;
      else last = first + (Math.floor((argc - first) / limit) + lastKey);
    } else if (keySpec.findKeys.type === "keynum") {
      step = find.keystep as number;
      const numIndex = first + (find.keynumidx as number);
      if (numIndex >= argc) return null;
      const text = argv[numIndex]!.toString("latin1");
      const count = /^(0|-?[1-9][0-9]*)$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(count) || count < 0) return null;
      first += find.firstkey as number;
      last = first + count - 1;
    } else {
      return null;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) found.push({ index: i, flags: keySpec.flags });
  }
  return found;
}

/** True when a command has keys at all (COMMAND GETKEYS refuses otherwise). */
export function commandHasKeys(command: Command): boolean {
  if (command.spec.getKeys !== undefined || command.keys.first !== 0) return true;
  const keySpecs = redisDataFor(command.fullName)?.keySpecs ?? [];
  return keySpecs.some((spec) => !spec.flags.includes("not_key"));
}
