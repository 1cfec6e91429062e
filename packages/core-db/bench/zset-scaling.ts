/*
 * How the cost of sorted set operations grows with the size of the set.
 *
 * For sets of 10^3 and 10^6 members (both in the "skiplist" encoding, which is an
 * order-statistic B+tree here: see order-statistic-tree.ts), measures the
 * per-operation cost of:
 *   - ZADD of a new member (RedisZSet.add; the members added in a batch are
 *     removed again, untimed, so the set keeps its size),
 *   - ZADD changing an existing member's score (the member moves in the order),
 *   - ZRANK (RedisZSet.rank),
 *   - ZRANGE by index: open a cursor at a random rank and read 10 members, as
 *     ZRANGE key i i+9 does.
 * Members and scores are random (a fixed-seed generator, so runs are alike) and
 * made before timing starts. Each measurement is the median of several rounds,
 * in CPU time; the rounds alternate between the two sizes.
 *
 * What to look for: log2(n) grows 2x from 10^3 to 10^6. The O(log n) operations
 * grow by far less than the O(n) reference row (a linear scan, ~1000x), but by
 * more than 2x: a set of 10^3 members fits in the CPU caches, one of 10^6 does
 * not, so each tree level a lookup descends (and the member map) costs cache
 * misses. The last lines count what does not depend on the machine: the tree
 * levels a ZRANK descends and the keys it compares on the way (binary searches
 * over each node), both growing like log(n).
 *
 * Run: pnpm --filter @spinel/core-db bench
 *   (node --conditions=@spinel/source --import tsx bench/zset-scaling.ts)
 * BENCH_QUICK=1 runs fewer rounds.
 */

import { EncodingLimits } from "../src/limits.js";
import { ZOrderStatisticTree } from "../src/types/order-statistic-tree.js";
import { RedisZSet, ZAddFlag, ZAddOutcome } from "../src/types/zset.js";

const ROUNDS = process.env.BENCH_QUICK ? 3 : 5;
const OPERATIONS_PER_ROUND = process.env.BENCH_QUICK ? 20_000 : 50_000;
const SIZES = [1_000, 1_000_000] as const;

/** A deterministic pseudo-random generator (xorshift32). */
function randomGenerator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/** Median of a list of numbers. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * CPU time this process has used, in nanoseconds (user + system). CPU time rather
 * than wall time: on a shared machine a long round is descheduled more often than
 * a short one, which would inflate the large set's figures.
 */
function now(): bigint {
  const usage = process.cpuUsage();
  return BigInt(usage.user + usage.system) * 1000n;
}

/** A set of `size` members and the inputs of the measured operations, made before timing. */
class Fixture {
  readonly size: number;
  readonly zset: RedisZSet;
  readonly limits: EncodingLimits;
  readonly outcome: ZAddOutcome;
  /** Existing members to look up or move. */
  readonly probes: string[];
  /** Ranks to start ZRANGE walks at. */
  readonly ranks: number[];
  readonly scores: number[];
  /** Every member in insertion order (for the linear-scan reference). */
  readonly members: string[];
  /** New members, added and removed again in batches. */
  readonly fresh: string[];
  /** Rounds of score updates so far: each round moves every probe to a new score. */
  updateRounds: number;

  constructor(size: number) {
    const random = randomGenerator(size);
    this.size = size;
    this.limits = new EncodingLimits();
    this.outcome = new ZAddOutcome();
    this.zset = new RedisZSet();
    const members: string[] = [];
    for (let i = 0; i < size; i++) {
      const member = `member:${i}:${Math.floor(random() * 1e9)}`;
      members.push(member);
      this.zset.add(member, Math.floor(random() * 1e6), ZAddFlag.None, this.limits, this.outcome);
    }
    if (this.zset.encoding !== "skiplist" || this.zset.length !== size) throw new Error("unexpected set");
    this.members = members;
    this.probes = Array.from({ length: OPERATIONS_PER_ROUND }, () => members[Math.floor(random() * size)]!);
    this.ranks = Array.from({ length: OPERATIONS_PER_ROUND }, () => Math.floor(random() * (size - 10)));
    this.scores = Array.from({ length: OPERATIONS_PER_ROUND }, () => Math.floor(random() * 1e6));
    this.fresh = Array.from(
      { length: Math.max(1, Math.min(1000, Math.floor(size / 10))) },
      (_, i) => `fresh:${i}`,
    );
    this.updateRounds = 0;
  }
}

/** A sink the measured loops write into, so the work cannot be optimised away. */
let sink = 0;

/**
 * ZADD of new members: batches of inserts (timed), each followed by removing them
 * again (untimed), so the set keeps its size. Returns ns per insert.
 */
function addNew(f: Fixture): number {
  const { zset, fresh, scores, limits, outcome } = f;
  const batch = fresh.length;
  let elapsed = 0n;
  let done = 0;
  for (; done + batch <= OPERATIONS_PER_ROUND; done += batch) {
    const started = now();
    for (let i = 0; i < batch; i++) zset.add(fresh[i]!, scores[done + i]!, ZAddFlag.None, limits, outcome);
    elapsed += now() - started;
    for (let i = 0; i < batch; i++) zset.remove(fresh[i]!);
  }
  return Number(elapsed) / done;
}

/**
 * ZADD moving existing members to new scores (a different score every round, so
 * no update is a no-op). Returns ns per update.
 */
function updateScore(f: Fixture): number {
  const { zset, probes, scores, limits, outcome } = f;
  const shift = 0.5 + f.updateRounds++;
  const started = now();
  for (let i = 0; i < OPERATIONS_PER_ROUND; i++) {
    zset.add(probes[i]!, scores[i]! + shift, ZAddFlag.None, limits, outcome);
  }
  return Number(now() - started) / OPERATIONS_PER_ROUND;
}

/** ZRANK of existing members. Returns ns per lookup. */
function rank(f: Fixture): number {
  const { zset, probes } = f;
  let total = 0;
  const started = now();
  for (let i = 0; i < OPERATIONS_PER_ROUND; i++) total += zset.rank(probes[i]!);
  const elapsed = Number(now() - started);
  sink += total;
  return elapsed / OPERATIONS_PER_ROUND;
}

/** ZRANGE key i i+9: a cursor at a random rank, ten members read. Returns ns per range. */
function rangeByIndex(f: Fixture): number {
  const { zset, ranks } = f;
  let total = 0;
  const started = now();
  for (let i = 0; i < OPERATIONS_PER_ROUND; i++) {
    const cursor = zset.cursor(ranks[i]!, false);
    for (let read = 0; read < 10 && cursor.next(); read++) total += cursor.member.length;
  }
  const elapsed = Number(now() - started);
  sink += total;
  return elapsed / OPERATIONS_PER_ROUND;
}

/** Scans per round of the O(n) reference (a scan of 10^6 members is slow). */
const REFERENCE_SCANS = 200;

/**
 * The O(n) reference: find a member's position by scanning all members (what a
 * rank without spans, or a sorted array insert, would cost). Returns ns per scan.
 */
function linearScan(f: Fixture): number {
  const { members, probes } = f;
  let total = 0;
  const started = now();
  for (let i = 0; i < REFERENCE_SCANS; i++) total += members.indexOf(probes[i]!);
  const elapsed = Number(now() - started);
  sink += total;
  return elapsed / REFERENCE_SCANS;
}

const OPERATIONS: Array<[label: string, run: (f: Fixture) => number]> = [
  ["ZADD new member", addNew],
  ["ZADD score update", updateScore],
  ["ZRANK", rank],
  ["ZRANGE by index (10)", rangeByIndex],
  ["O(n) reference: scan", linearScan],
];

function format(ns: number): string {
  return `${ns.toFixed(0).padStart(9)} ns`;
}

/** Binary-search steps to find a place among `size` sorted keys. */
function searchSteps(size: number): number {
  return size <= 1 ? 0 : Math.ceil(Math.log2(size));
}

/**
 * The shape a ZRANK walks on a tree of `size` members with random scores (built
 * on a tree of its own, filled in random order like the fixtures): the levels it
 * descends (branches plus the leaf), and the keys it compares on the way, from the
 * average fill of the nodes (a binary search over each branch's separators, then
 * over the leaf).
 */
function descentCost(size: number): { levels: number; comparisons: number } {
  const random = randomGenerator(size + 1);
  const tree = new ZOrderStatisticTree();
  for (let i = 0; i < size; i++) tree.insert(random() * 1e9, `m${i}`);
  const shape = tree.shape();
  const levels = shape.height + 1;
  const leafFill = size / shape.leaves;
  // Children per branch on average: every node but the root is some branch's child.
  const branchFill = shape.branches === 0 ? 0 : (shape.leaves + shape.branches - 1) / shape.branches;
  const comparisons = shape.height * searchSteps(Math.round(branchFill)) + searchSteps(Math.round(leafFill));
  return { levels, comparisons };
}

const fixtures = SIZES.map((size) => new Fixture(size));
// samples[operation][size] = ns per op of each round. Rounds alternate between the
// sizes, so load from other processes on the machine hits both alike.
const samples = OPERATIONS.map(() => SIZES.map((): number[] => []));
for (let round = 0; round < ROUNDS; round++) {
  for (let op = 0; op < OPERATIONS.length; op++) {
    const run = OPERATIONS[op]![1];
    for (let size = 0; size < fixtures.length; size++) samples[op]![size]!.push(run(fixtures[size]!));
  }
}

const [small, large] = SIZES;
const logRatio = Math.log2(large) / Math.log2(small);
console.log(
  `sorted set scaling (order-statistic tree encoding), median of ${ROUNDS} rounds of ${OPERATIONS_PER_ROUND} ops`,
);
console.log("");
console.log(
  `${"operation".padEnd(24)}${"n = 10^3".padStart(12)}${"n = 10^6".padStart(13)}${"ratio".padStart(9)}`,
);
OPERATIONS.forEach(([label], op) => {
  const atSmall = median(samples[op]![0]!);
  const atLarge = median(samples[op]![1]!);
  console.log(
    `${label.padEnd(24)}${format(atSmall)}  ${format(atLarge)}${(atLarge / atSmall).toFixed(1).padStart(8)}x`,
  );
});
const [costSmall, costLarge] = SIZES.map(descentCost) as [
  ReturnType<typeof descentCost>,
  ReturnType<typeof descentCost>,
];
console.log(
  `${"tree levels per ZRANK".padEnd(24)}${costSmall.levels.toFixed(1).padStart(12)}  ${costLarge.levels.toFixed(1).padStart(12)}${(costLarge.levels / costSmall.levels).toFixed(1).padStart(8)}x`,
);
console.log(
  `${"key compares per ZRANK".padEnd(24)}${costSmall.comparisons.toFixed(1).padStart(12)}  ${costLarge.comparisons.toFixed(1).padStart(12)}${(costLarge.comparisons / costSmall.comparisons).toFixed(1).padStart(8)}x`,
);
console.log("");
console.log(
  `n grows ${large / small}x, log2(n) grows ${logRatio.toFixed(1)}x. The O(n) reference grows about ${large / small}x;`,
);
console.log(
  "the tree operations grow by log(n) times the cost of cache misses on a set that no longer fits in cache.",
);
if (sink === -1) console.log(sink);
