/*
 * The shape of differential test corpora: scripts of commands run against a real
 * redis-server and against Spinel, whose replies must be identical.
 */

/** One argument: text (sent as UTF-8) or exact bytes. */
export type Arg = string | Buffer;

/**
 * How a step's reply is compared:
 * - "exact": byte for byte (the default);
 * - "unordered": a top-level aggregate compared as a multiset of its raw elements
 *   (map pairs stay together), for replies whose order Redis does not define
 *   (SMEMBERS, HGETALL of a hashtable, KEYS ...);
 * - "type": only the first byte (reply type) must match: for values that differ
 *   by nature (random members, run ids, timestamps);
 * - "ignore": not compared (set-up steps whose replies are checked elsewhere);
 * - "help": a HELP reply: an array of status lines on both sides (Spinel
 *   describes its subcommands in its own words, so the lines themselves differ);
 *   any other reply (an error) compared exactly;
 * - "docs": COMMAND DOCS / COMMAND INFO compared in full except for prose: the
 *   values of "summary", "complexity" and "notes" fields and the notes of
 *   history entries are masked, everything else (names, arity, flags, key specs,
 *   argument trees, since, group, history versions) byte for byte.
 */
export type CompareMode = "exact" | "unordered" | "type" | "ignore" | "help" | "docs";

/** A command to send, or a pause (to let TTLs pass). */
export type Step =
  | readonly Arg[]
  | { readonly cmd: readonly Arg[]; readonly compare: CompareMode; readonly mask?: readonly RegExp[] }
  | { readonly sleep: number };

/** One case: a script run on a fresh, empty keyspace (FLUSHALL, SELECT 0, RESP2 first). */
export interface DiffCase {
  readonly name: string;
  readonly steps: readonly Step[];
  /** Speak RESP3 (HELLO 3) for this case. */
  readonly resp3?: boolean;
}

/** Shorthand for a step compared as a multiset. */
export function unordered(...cmd: Arg[]): Step {
  return { cmd, compare: "unordered" };
}

/** Shorthand for a step whose reply is only type-checked. */
export function sameType(...cmd: Arg[]): Step {
  return { cmd, compare: "type" };
}

/** Shorthand for a HELP step: compared as an array of status lines. */
export function helpLines(...cmd: Arg[]): Step {
  return { cmd, compare: "help" };
}

/** Shorthand for a COMMAND DOCS / INFO step: compared with its prose masked. */
export function docsShape(...cmd: Arg[]): Step {
  return { cmd, compare: "docs" };
}

/** Shorthand for a step whose reply is not compared. */
export function quiet(...cmd: Arg[]): Step {
  return { cmd, compare: "ignore" };
}

/**
 * Shorthand for a step compared exactly except for the integers that follow the
 * named fields of a map reply (times that depend on the clock: XINFO's idle,
 * seen-time ...). Each masked value reads as "#" on both sides.
 */
export function maskFields(cmd: readonly Arg[], ...fields: string[]): Step {
  const mask = fields.map(
    (field) => new RegExp(`(\\$${field.length}\\\\r\\\\n${field}\\\\r\\\\n):-?\\d+`, "g"),
  );
  return { cmd, compare: "exact", mask };
}
