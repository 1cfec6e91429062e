/*
 * The shape of Redis' command metadata (redis-command-data.ts), as COMMAND INFO
 * and COMMAND DOCS report it. Field names of argument and key-search maps are
 * kept exactly as Redis spells them, in Redis' order, so they can be replayed.
 */

/** A key specification: where a command's keys are and how it uses them. */
export interface RedisKeySpec {
  readonly notes?: string;
  /** RO, RW, OW, RM, access, update, insert, delete, ... */
  readonly flags: readonly string[];
  /** How to find the first key: "index" {index}, "keyword" {keyword, startfrom}, "unknown" {}. */
  readonly beginSearch: RedisKeySearch;
  /** How to find the rest: "range" {lastkey, keystep, limit}, "keynum" {keynumidx, firstkey, keystep}, "unknown" {}. */
  readonly findKeys: RedisKeySearch;
}

/** One step of a key specification, with Redis' field names. */
export interface RedisKeySearch {
  readonly type: string;
  readonly spec: Readonly<Record<string, string | number>>;
}

/** One argument of COMMAND DOCS, fields named and ordered as Redis sends them. */
export interface RedisArgument {
  readonly name: string;
  readonly type: string;
  readonly display_text?: string;
  readonly key_spec_index?: number;
  readonly token?: string;
  readonly summary?: string;
  readonly since?: string;
  readonly deprecated_since?: string;
  readonly flags?: readonly string[];
  readonly value?: string;
  readonly arguments?: readonly RedisArgument[];
}

/** A command or subcommand, from COMMAND INFO plus COMMAND DOCS. */
export interface RedisCommandData {
  /** Lowercase name; "container|sub" for subcommands. */
  readonly name: string;
  readonly arity: number;
  /** Flags as COMMAND INFO shows them (Redis hides may_replicate, sentinel, protected). */
  readonly flags: readonly string[];
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  readonly aclCategories: readonly string[];
  readonly tips: readonly string[];
  readonly keySpecs: readonly RedisKeySpec[];
  readonly summary: string;
  readonly since: string;
  readonly group: string;
  readonly complexity?: string;
  readonly docFlags?: readonly string[];
  readonly deprecatedSince?: string;
  readonly replacedBy?: string;
  readonly history?: ReadonlyArray<readonly [string, string]>;
  readonly arguments?: readonly RedisArgument[];
  /** Sorted by name (Redis' own order changes from one process to the next). */
  readonly subcommands?: readonly RedisCommandData[];
}
