/*
 * The command table: built once at start-up from the declared specs.
 *
 * Declared vs derived: a CommandSpec holds only what its author wrote. The table
 * adds the lowercase lookup name, the full name of subcommands ("config|get"), the
 * flag bits the gate tests, the implicit ACL categories and the per-command stats.
 *
 * HOT PATH: lookup() runs for every request. It resolves argv[0] without
 * lowercasing on the common path, through a bounded cache of spellings seen.
 */

import type { AclCategory, CommandFlag, CommandSpec, KeyPositions } from "./command-spec.js";
import { NO_KEYS } from "./command-spec.js";
import type { LatencyHistogram } from "./latency-histogram.js";

/** Flag bits tested by the gate (derived from spec.flags). */
export enum FlagBit {
  Write = 1 << 0,
  Readonly = 1 << 1,
  DenyOom = 1 << 2,
  Admin = 1 << 3,
  Pubsub = 1 << 4,
  Noscript = 1 << 5,
  Blocking = 1 << 6,
  Loading = 1 << 7,
  Stale = 1 << 8,
  SkipMonitor = 1 << 9,
  Fast = 1 << 10,
  NoAuth = 1 << 11,
  NoMulti = 1 << 12,
  MayReplicate = 1 << 13,
  SkipSlowlog = 1 << 14,
  AllowBusy = 1 << 15,
}

const flagBits: Partial<Record<CommandFlag, number>> = {
  write: FlagBit.Write,
  readonly: FlagBit.Readonly,
  denyoom: FlagBit.DenyOom,
  admin: FlagBit.Admin,
  pubsub: FlagBit.Pubsub,
  noscript: FlagBit.Noscript,
  blocking: FlagBit.Blocking,
  loading: FlagBit.Loading,
  stale: FlagBit.Stale,
  skip_monitor: FlagBit.SkipMonitor,
  fast: FlagBit.Fast,
  no_auth: FlagBit.NoAuth,
  no_multi: FlagBit.NoMulti,
  may_replicate: FlagBit.MayReplicate,
  skip_slowlog: FlagBit.SkipSlowlog,
  allow_busy: FlagBit.AllowBusy,
};

/** Order in which Redis lists ACL categories (COMMAND INFO, ACL CAT). */
export const ACL_CATEGORY_ORDER: readonly AclCategory[] = [
  "@keyspace",
  "@read",
  "@write",
  "@set",
  "@sortedset",
  "@list",
  "@hash",
  "@string",
  "@bitmap",
  "@hyperloglog",
  "@geo",
  "@stream",
  "@pubsub",
  "@admin",
  "@fast",
  "@slow",
  "@blocking",
  "@dangerous",
  "@connection",
  "@transaction",
  "@scripting",
];

/** Per-command counters (INFO commandstats). */
export class CommandStats {
  calls = 0;
  microseconds = 0;
  rejectedCalls = 0;
  failedCalls = 0;
  /** Durations of the calls (latency tracking), from the first tracked call on. */
  latencyHistogram: LatencyHistogram | null = null;

  reset(): void {
    this.calls = 0;
    this.microseconds = 0;
    this.rejectedCalls = 0;
    this.failedCalls = 0;
    this.latencyHistogram = null;
  }
}

/** A command as the table knows it: the spec plus everything derived from it. */
export class Command {
  readonly spec: CommandSpec;
  /** Lowercase name ("get", or "get" for the subcommand CONFIG GET). */
  readonly name: string;
  /** "get", or "config|get" for a subcommand. */
  readonly fullName: string;
  readonly arity: number;
  readonly flagBits: number;
  readonly keys: KeyPositions;
  readonly movableKeys: boolean;
  /** Declared plus implicit ACL categories, in Redis' order. */
  readonly aclCategories: readonly AclCategory[];
  readonly parent: Command | null;
  /** Subcommands by lowercase name, or null for a plain command. */
  readonly subcommands: Map<string, Command> | null;
  readonly stats: CommandStats;

  constructor(spec: CommandSpec, parent: Command | null) {
    this.spec = spec;
    this.name = spec.name.toLowerCase();
    this.fullName = parent ? `${parent.name}|${this.name}` : this.name;
    this.arity = spec.arity;
    let bits = 0;
    for (const flag of spec.flags) bits |= flagBits[flag] ?? 0;
    this.flagBits = bits;
    this.keys = spec.keys ?? NO_KEYS;
    this.movableKeys = spec.getKeys !== undefined;
    this.aclCategories = deriveAclCategories(spec);
    this.parent = parent;
    this.stats = new CommandStats();
    if (spec.subcommands && spec.subcommands.length > 0) {
      this.subcommands = new Map();
      for (const sub of spec.subcommands)
        this.subcommands.set(sub.name.toLowerCase(), new Command(sub, this));
    } else {
      this.subcommands = null;
    }
  }

  /** True when the spec carries `flag`. */
  hasFlag(flag: CommandFlag): boolean {
    return this.spec.flags.includes(flag);
  }

  /** Positions of the keys in `argv` (COMMAND GETKEYS, WATCH-like checks). */
  keyIndexes(argv: readonly Buffer[]): number[] {
    if (this.spec.getKeys) return this.spec.getKeys(argv);
    const { first, last, step } = this.keys;
    if (first === 0) return [];
    const end = last < 0 ? argv.length + last : last;
    const indexes: number[] = [];
    for (let i = first; i <= end && i < argv.length; i += step) indexes.push(i);
    return indexes;
  }
}

/** Redis' setImplicitACLCategories, plus the declared ones, in Redis' order. */
function deriveAclCategories(spec: CommandSpec): AclCategory[] {
  const categories = new Set<AclCategory>(spec.acl ?? []);
  const flags = spec.flags;
  if (flags.includes("write")) categories.add("@write");
  if (flags.includes("readonly") && !categories.has("@scripting")) categories.add("@read");
  if (flags.includes("admin")) {
    categories.add("@admin");
    categories.add("@dangerous");
  }
  if (flags.includes("pubsub")) categories.add("@pubsub");
  if (flags.includes("fast")) categories.add("@fast");
  if (flags.includes("blocking")) categories.add("@blocking");
  if (!categories.has("@fast")) categories.add("@slow");
  return ACL_CATEGORY_ORDER.filter((category) => categories.has(category));
}

const MAX_CACHED_SPELLINGS = 1024;

/** All commands by name, with a fast, allocation-light lookup. */
export class CommandTable {
  private readonly byName: Map<string, Command>;
  /** Spellings seen on the wire ("SET", "Set") -> command; bounded. */
  private readonly spellings: Map<string, Command>;

  constructor(specs: readonly CommandSpec[]) {
    this.byName = new Map();
    this.spellings = new Map();
    for (const spec of specs) {
      const command = new Command(spec, null);
      if (this.byName.has(command.name)) throw new Error(`duplicate command '${command.name}'`);
      this.byName.set(command.name, command);
    }
  }

  /** The command named by `nameBytes` (any case), or undefined. */
  lookup(nameBytes: Buffer): Command | undefined {
    if (nameBytes.length > 64) return undefined;
    const spelling = nameBytes.toString("latin1");
    const cached = this.spellings.get(spelling);
    if (cached !== undefined) return cached;
    const command = this.byName.get(spelling.toLowerCase());
    if (command !== undefined && this.spellings.size < MAX_CACHED_SPELLINGS)
      this.spellings.set(spelling, command);
    return command;
  }

  /** The command with this lowercase name, or undefined. */
  get(name: string): Command | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Every top-level command. */
  all(): IterableIterator<Command> {
    return this.byName.values();
  }

  /** Number of top-level commands (COMMAND COUNT). */
  get size(): number {
    return this.byName.size;
  }
}
