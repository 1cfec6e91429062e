/*
 * What a command author declares. A spec is a `const` object that
 * `satisfies CommandSpec`; the command table (command-table.ts) derives everything
 * else from it once at start-up.
 */

import type { ClientSession } from "./client-session.js";

/** Command flags, spelled as COMMAND INFO reports them. */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "fast"
  | "no_auth"
  | "may_replicate"
  | "no_mandatory_keys"
  | "no_multi"
  | "movablekeys"
  | "allow_busy"
  | "sentinel"
  | "no_async_loading";

/** ACL categories, as COMMAND INFO reports them (with the leading '@'). */
export type AclCategory =
  | "@keyspace"
  | "@read"
  | "@write"
  | "@set"
  | "@sortedset"
  | "@list"
  | "@hash"
  | "@string"
  | "@bitmap"
  | "@hyperloglog"
  | "@geo"
  | "@stream"
  | "@pubsub"
  | "@admin"
  | "@fast"
  | "@slow"
  | "@blocking"
  | "@dangerous"
  | "@connection"
  | "@transaction"
  | "@scripting";

/** Command groups, as COMMAND DOCS reports them. */
export type CommandGroup =
  | "generic"
  | "string"
  | "list"
  | "set"
  | "sorted-set"
  | "hash"
  | "pubsub"
  | "transactions"
  | "connection"
  | "server"
  | "scripting"
  | "hyperloglog"
  | "cluster"
  | "sentinel"
  | "geo"
  | "stream"
  | "bitmap";

/** Key positions in argv, Redis' legacy (first, last, step) triple. last < 0 counts from the end. */
export interface KeyPositions {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

/** A command implementation: reads c.argv, writes its reply into c.reply. Never async. */
export type CommandHandler = (c: ClientSession) => void;

/**
 * The declaration of one command (or subcommand).
 *
 * - `arity` counts the command name (and for subcommands the container name):
 *   positive = exactly, negative = at least.
 * - `keys` gives the legacy key positions; `getKeys` overrides them for commands
 *   whose keys move (numkeys arguments), and implies the movablekeys flag.
 * - `acl` lists the categories that do not follow from the flags; @read, @write,
 *   @fast, @slow, @admin, @dangerous, @pubsub, @blocking are derived.
 */
export interface CommandSpec {
  readonly name: string;
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  readonly keys?: KeyPositions;
  readonly getKeys?: (argv: readonly Buffer[]) => number[];
  readonly acl?: readonly AclCategory[];
  readonly group: CommandGroup;
  readonly summary: string;
  readonly since: string;
  readonly complexity?: string;
  readonly subcommands?: readonly CommandSpec[];
  readonly handler: CommandHandler;
}

/** No keys. */
export const NO_KEYS: KeyPositions = { first: 0, last: 0, step: 0 };
/** The key is argv[1]. */
export const FIRST_KEY: KeyPositions = { first: 1, last: 1, step: 1 };
