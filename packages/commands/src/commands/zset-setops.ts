/*
 * Set algebra over sorted sets (Redis' zunionInterDiffGenericCommand): ZUNION,
 * ZINTER, ZDIFF, their STORE forms, and ZINTERCARD.
 *
 * Inputs may be sorted sets or plain sets (every member of a plain set has score
 * 1). Scores are multiplied by the input's WEIGHT (a NaN product counts as 0) and
 * combined with AGGREGATE SUM (default; +inf + -inf counts as 0), MIN or MAX.
 * Results are ordered by (score, member), like every sorted set. A STORE result
 * is encoded as Redis encodes it (listpack when small enough, whatever the
 * inputs), and an empty result deletes the destination.
 */

import { EventClass, type RedisSet, RedisZSet } from "@spinel/core-db";
import { argIs, argString, getLongOrReply, getRangeLongOrReply } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import { numkeysKeyPositions, parseScore } from "./zset-args.js";

/** The operation of a set-algebra command. */
enum SetOperation {
  Union = 0,
  Inter = 1,
  Diff = 2,
}

/** How scores of a member found in several inputs combine. */
enum Aggregate {
  Sum = 0,
  Min = 1,
  Max = 2,
}

const STORE_EVENTS = ["zunionstore", "zinterstore", "zdiffstore"] as const;

/** Redis' zunionInterAggregate: combine `value` into `target`. */
function aggregateScores(target: number, value: number, aggregate: Aggregate): number {
  if (aggregate === Aggregate.Sum) {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (aggregate === Aggregate.Min) return value < target ? value : target;
  return value > target ? value : target;
}

// ---------------------------------------------------------------- inputs

/**
 * One input of a set-algebra command: a sorted set, a plain set (scores of 1),
 * or a missing key (empty). Reads go through the types' APIs only.
 */
class SetOpSource {
  readonly zset: RedisZSet | null;
  readonly set: RedisSet | null;
  weight: number;

  constructor(value: RedisZSet | RedisSet | undefined) {
    this.zset = value !== undefined && value.type === "zset" ? value : null;
    this.set = value !== undefined && value.type === "set" ? value : null;
    this.weight = 1;
  }

  /** True when both sources read the same key's value. */
  sameValueAs(other: SetOpSource): boolean {
    return (this.zset !== null && this.zset === other.zset) || (this.set !== null && this.set === other.set);
  }

  /** Number of members. */
  get length(): number {
    if (this.zset !== null) return this.zset.length;
    return this.set !== null ? this.set.length : 0;
  }

  /** Append every member and its (unweighted) score to the arrays. */
  collect(members: string[], scores: number[]): void {
    const zset = this.zset;
    if (zset !== null) {
      const cursor = zset.cursor(0, false);
      while (cursor.next()) {
        members.push(cursor.member);
        scores.push(cursor.score);
      }
      return;
    }
    const set = this.set;
    if (set === null) return;
    const length = set.length;
    for (let i = 0; i < length; i++) {
      members.push(set.memberAt(i));
      scores.push(1);
    }
  }

  /** Score of `member` in this input (1 for a plain set member), or undefined. */
  scoreOf(member: string): number | undefined {
    if (this.zset !== null) return this.zset.score(member);
    return this.set?.has(member) ? 1 : undefined;
  }
}

// ---------------------------------------------------------------- the generic command

/**
 * The shared implementation. `numkeysIndex` is the position of numkeys in argv;
 * `destination` is the STORE key (or null to reply with the result);
 * `cardinalityOnly` makes it ZINTERCARD.
 */
function setOperationGeneric(
  c: ClientSession,
  destination: Buffer | null,
  numkeysIndex: number,
  operation: SetOperation,
  cardinalityOnly: boolean,
): void {
  const argv = c.argv;
  const db = c.db;
  const sourceCount = getLongOrReply(c, argv[numkeysIndex]!);
  if (sourceCount === null) return;
  if (sourceCount < 1) {
    c.reply.error(`ERR at least 1 input key is needed for '${c.command!.fullName}' command`);
    return;
  }
  if (sourceCount > argv.length - (numkeysIndex + 1)) {
    c.reply.error(Err.syntax);
    return;
  }
  // Inputs are looked up (and type-checked) before the options are parsed, as in Redis.
  const sources: SetOpSource[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < sourceCount; i++, j++) {
    const value = db.lookupRead(argString(argv[j]!));
    if (value !== undefined && value.type !== "zset" && value.type !== "set") {
      c.reply.error(Err.wrongType);
      return;
    }
    sources.push(new SetOpSource(value));
  }

  let aggregate = Aggregate.Sum;
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const option = argv[j]!;
    if (
      operation !== SetOperation.Diff &&
      !cardinalityOnly &&
      remaining >= sourceCount + 1 &&
      argIs(option, "weights")
    ) {
      j++;
      remaining--;
      for (let i = 0; i < sourceCount; i++, j++, remaining--) {
        const weight = parseScore(argv[j]!);
        if (weight === null) {
          c.reply.error("ERR weight value is not a float");
          return;
        }
        sources[i]!.weight = weight;
      }
    } else if (
      operation !== SetOperation.Diff &&
      !cardinalityOnly &&
      remaining >= 2 &&
      argIs(option, "aggregate")
    ) {
      const name = argv[j + 1]!;
      if (argIs(name, "sum")) aggregate = Aggregate.Sum;
      else if (argIs(name, "min")) aggregate = Aggregate.Min;
      else if (argIs(name, "max")) aggregate = Aggregate.Max;
      else {
        c.reply.error(Err.syntax);
        return;
      }
      j += 2;
      remaining -= 2;
    } else if (destination === null && !cardinalityOnly && argIs(option, "withscores")) {
      withScores = true;
      j++;
      remaining--;
    } else if (cardinalityOnly && remaining >= 2 && argIs(option, "limit")) {
      const parsed = getRangeLongOrReply(c, argv[j + 1]!, 0, 2 ** 63, "ERR LIMIT can't be negative");
      if (parsed === null) return;
      limit = parsed;
      j += 2;
      remaining -= 2;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }

  // Union and intersection walk the inputs from the smallest (ZDIFF keeps the first first).
  if (operation !== SetOperation.Diff) sources.sort((a, b) => a.length - b.length);

  const members: string[] = [];
  const scores: number[] = [];
  if (operation === SetOperation.Inter) {
    const cardinality = intersect(sources, aggregate, cardinalityOnly, limit, members, scores);
    if (cardinalityOnly) {
      c.reply.integer(cardinality);
      return;
    }
  } else if (operation === SetOperation.Union) {
    unite(sources, aggregate, members, scores);
  } else {
    subtract(sources, members, scores);
  }

  if (destination !== null) {
    storeResult(c, destination, operation, members, scores);
    return;
  }
  replyResult(c, members, scores, withScores);
}

/**
 * Members of every input: iterate the smallest, look each member up in the
 * others. Fills members/scores (unless counting only) and returns the count,
 * stopping at `limit` when counting (0 = no limit).
 */
function intersect(
  sources: SetOpSource[],
  aggregate: Aggregate,
  cardinalityOnly: boolean,
  limit: number,
  members: string[],
  scores: number[],
): number {
  const first = sources[0]!;
  if (first.length === 0) return 0;
  const candidates: string[] = [];
  const candidateScores: number[] = [];
  first.collect(candidates, candidateScores);
  let cardinality = 0;
  for (let k = 0; k < candidates.length; k++) {
    const member = candidates[k]!;
    const rawScore = candidateScores[k]!;
    let score = first.weight * rawScore;
    if (Number.isNaN(score)) score = 0;
    let inAll = true;
    for (let i = 1; i < sources.length; i++) {
      const source = sources[i]!;
      // The same key given twice: its own score, without a lookup.
      const found = source.sameValueAs(first) ? rawScore : source.scoreOf(member);
      if (found === undefined) {
        inAll = false;
        break;
      }
      score = aggregateScores(score, found * source.weight, aggregate);
    }
    if (!inAll) continue;
    cardinality++;
    if (cardinalityOnly) {
      if (limit > 0 && cardinality >= limit) break;
      continue;
    }
    members.push(member);
    scores.push(score);
  }
  return cardinality;
}

/** Members of any input, their weighted scores aggregated. */
function unite(sources: SetOpSource[], aggregate: Aggregate, members: string[], scores: number[]): void {
  const accumulator = new Map<string, number>();
  const inputMembers: string[] = [];
  const inputScores: number[] = [];
  for (const source of sources) {
    if (source.length === 0) continue;
    inputMembers.length = 0;
    inputScores.length = 0;
    source.collect(inputMembers, inputScores);
    for (let k = 0; k < inputMembers.length; k++) {
      let score = source.weight * inputScores[k]!;
      if (Number.isNaN(score)) score = 0;
      const member = inputMembers[k]!;
      const existing = accumulator.get(member);
      accumulator.set(member, existing === undefined ? score : aggregateScores(existing, score, aggregate));
    }
  }
  for (const [member, score] of accumulator) {
    members.push(member);
    scores.push(score);
  }
}

/** Members of the first input found in no other input, with their first-input scores. */
function subtract(sources: SetOpSource[], members: string[], scores: number[]): void {
  const first = sources[0]!;
  if (first.length === 0) return;
  const candidates: string[] = [];
  const candidateScores: number[] = [];
  first.collect(candidates, candidateScores);
  for (let k = 0; k < candidates.length; k++) {
    const member = candidates[k]!;
    let elsewhere = false;
    for (let i = 1; i < sources.length && !elsewhere; i++)
      elsewhere = sources[i]!.scoreOf(member) !== undefined;
    if (!elsewhere) {
      members.push(member);
      scores.push(candidateScores[k]!);
    }
  }
}

/** *STORE: replace the destination with the result (an empty result deletes it). */
function storeResult(
  c: ClientSession,
  destination: Buffer,
  operation: SetOperation,
  members: string[],
  scores: number[],
): void {
  const db = c.db;
  const key = argString(destination);
  if (members.length > 0) {
    const result = RedisZSet.fromEntries(members, scores, db.keyspace.limits);
    db.set(key, result);
    db.touched(key, STORE_EVENTS[operation], EventClass.ZSet);
    c.reply.integer(result.length);
    return;
  }
  c.reply.integer(0);
  if (db.delete(key)) db.touched(key, "del", EventClass.Generic);
}

/** ZUNION / ZINTER / ZDIFF: the result in (score, member) order. */
function replyResult(c: ClientSession, members: string[], scores: number[], withScores: boolean): void {
  const order = new Array<number>(members.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    if (sa !== sb) return sa < sb ? -1 : 1;
    const ma = members[a]!;
    const mb = members[b]!;
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });
  const reply = c.reply;
  reply.arrayLen(withScores && reply.protocol === 2 ? order.length * 2 : order.length);
  for (const i of order) {
    if (withScores && reply.protocol === 3) reply.arrayLen(2);
    reply.bulkString(members[i]!);
    if (withScores) reply.double(scores[i]!);
  }
}

// ---------------------------------------------------------------- handlers and specs

/** ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
function zunionCommand(c: ClientSession): void {
  setOperationGeneric(c, null, 1, SetOperation.Union, false);
}

/** ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
function zinterCommand(c: ClientSession): void {
  setOperationGeneric(c, null, 1, SetOperation.Inter, false);
}

/** ZDIFF numkeys key [key ...] [WITHSCORES] */
function zdiffCommand(c: ClientSession): void {
  setOperationGeneric(c, null, 1, SetOperation.Diff, false);
}

/** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...] */
function zunionstoreCommand(c: ClientSession): void {
  setOperationGeneric(c, c.argv[1]!, 2, SetOperation.Union, false);
}

/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...] */
function zinterstoreCommand(c: ClientSession): void {
  setOperationGeneric(c, c.argv[1]!, 2, SetOperation.Inter, false);
}

/** ZDIFFSTORE destination numkeys key [key ...] */
function zdiffstoreCommand(c: ClientSession): void {
  setOperationGeneric(c, c.argv[1]!, 2, SetOperation.Diff, false);
}

/** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
function zintercardCommand(c: ClientSession): void {
  setOperationGeneric(c, null, 1, SetOperation.Inter, true);
}

/** Keys of ZUNION / ZINTER / ZDIFF / ZINTERCARD (numkeys at argv[1]). */
function readKeys(argv: readonly Buffer[]): number[] {
  return numkeysKeyPositions(argv, 1, 0);
}

/** Keys of the STORE forms: the destination, then numkeys (at argv[2]) sources. */
function storeKeys(argv: readonly Buffer[]): number[] {
  return numkeysKeyPositions(argv, 2, 1);
}

const NO_LEGACY_KEYS = { first: 0, last: 0, step: 0 };
const DESTINATION_KEY = { first: 1, last: 1, step: 1 };

/** Specs of the set-algebra commands (registered by zset.ts). */
export const zsetSetOperationCommands: readonly CommandSpec[] = [
  {
    name: "zunion",
    arity: -3,
    flags: ["readonly"],
    keys: NO_LEGACY_KEYS,
    getKeys: readKeys,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Members of any of the given sorted sets",
    since: "6.2.0",
    complexity: "O(N)+O(M*log(M)): N all members, M result.",
    handler: zunionCommand,
  },
  {
    name: "zinter",
    arity: -3,
    flags: ["readonly"],
    keys: NO_LEGACY_KEYS,
    getKeys: readKeys,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Members every given sorted set has",
    since: "6.2.0",
    complexity: "O(N*K)+O(M*log(M)): N smallest, K sets, M result.",
    handler: zinterCommand,
  },
  {
    name: "zdiff",
    arity: -3,
    flags: ["readonly"],
    keys: NO_LEGACY_KEYS,
    getKeys: readKeys,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Members of the first sorted set that no other has",
    since: "6.2.0",
    complexity: "O(L + (N-K)log(N)): L all members, N first set, K result.",
    handler: zdiffCommand,
  },
  {
    name: "zunionstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: DESTINATION_KEY,
    getKeys: storeKeys,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Store the union of sorted sets in a key",
    since: "2.0.0",
    complexity: "O(N)+O(M*log(M)): N all members, M result.",
    handler: zunionstoreCommand,
  },
  {
    name: "zinterstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: DESTINATION_KEY,
    getKeys: storeKeys,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Store the intersection of sorted sets in a key",
    since: "2.0.0",
    complexity: "O(N*K)+O(M*log(M)): N smallest, K sets, M result.",
    handler: zinterstoreCommand,
  },
  {
    name: "zdiffstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: DESTINATION_KEY,
    getKeys: storeKeys,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "Store the difference of sorted sets in a key",
    since: "6.2.0",
    complexity: "O(L + (N-K)log(N)): L all members, N first set, K result.",
    handler: zdiffstoreCommand,
  },
  {
    name: "zintercard",
    arity: -3,
    flags: ["readonly"],
    keys: NO_LEGACY_KEYS,
    getKeys: readKeys,
    acl: ["@sortedset"],
    group: "sorted-set",
    summary: "How many members every given sorted set has",
    since: "7.0.0",
    complexity: "O(N*K): N smallest, K sets.",
    handler: zintercardCommand,
  },
];
