/*
 * How the cost of sorted set operations grows with the size of the set.
 *
 * For sets of 10^3 and 10^6 members (both in the skiplist encoding), measures the
 * per-operation cost of:
 *   - ZADD of a new member (RedisZSet.add; the members added in a batch are
 *     removed again, untimed, so the set keeps its size),
 *   - ZADD changing an existing member's score (the member moves in the order),
 *   - ZRANK (RedisZSet.rank),
 *   - ZRANGE by index: open a cursor at a random rank and read 10 members, as
 *     ZRANGE key i i+9 does.
 * Members and scores are random (a fixed-seed generator, so runs are alike) and
 * made before timing starts. Each measurement is the median of several rounds.
 *
 * What to look for: with O(log n) operations the cost at 10^6 is a small multiple
 * of the cost at 10^3 (log2 grows 2x; cache misses add to that on a large
 * structure), where an O(n) operation would cost about 1000x more.
 *
 * Run: pnpm --filter @spinel/core-db bench
 *   (node --conditions=@spinel/source --import tsx bench/zset-scaling.ts)
 * BENCH_QUICK=1 runs fewer rounds.
 */

import { EncodingLimits } from "../src/limits.js";
import { RedisZSet, ZAddFlag, ZAddOutcome } from "../src/types/zset.js";

const ROUNDS = process.env.BENCH_QUICK ? 3 : 7;
const OPERATIONS_PER_ROUND = process.env.BENCH_QUICK ? 20_000 : 100_000;
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

/** Nanoseconds since an arbitrary origin. */
function now(): bigint {
  return process.hrtime.bigint();
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

const OPERATIONS: Array<[label: string, run: (f: Fixture) => number]> = [
  ["ZADD new member", addNew],
  ["ZADD score update", updateScore],
  ["ZRANK", rank],
  ["ZRANGE by index (10)", rangeByIndex],
];

function format(ns: number): string {
  return `${ns.toFixed(0).padStart(9)} ns`;
}

const fixtures = SIZES.map((size) => new Fixture(size));
// samples[operation][size] = ns per op of each round. Rounds alternate between the
// sizes, so load from other processes on the machine hits both alike.
const samples = OPERATIONS.map(() => SIZES.map((): number[] => []));
for (let round = 0; round < ROUNDS; round++) {
  OPERATIONS.forEach(([, run], op) => {
    fixtures.forEach((fixture, size) => samples[op]![size]!.push(run(fixture)));
  });
}

const [small, large] = SIZES;
const logRatio = Math.log2(large) / Math.log2(small);
console.log(
  `sorted set scaling (skiplist encoding), median of ${ROUNDS} rounds of ${OPERATIONS_PER_ROUND} ops`,
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
console.log("");
console.log(
  `n grows ${large / small}x, log2(n) grows ${logRatio.toFixed(1)}x: O(log n) operations show ratios of a few x`,
);
console.log("(memory latency adds to log2 on a large structure); an O(n) operation would show about 1000x.");
if (sink === -1) console.log(sink);
