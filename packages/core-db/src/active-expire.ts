/*
 * Active expiry, in the style of Redis' activeExpireCycle(): keys with a TTL that
 * nobody reads must still go away. Each database is sampled (KEYS_PER_LOOP keys
 * with a TTL at a time); while more than ACCEPTABLE_STALE_PERCENT of a sample was
 * expired, the database is sampled again. The whole cycle stops when its time
 * budget is spent, so latency stays flat however many keys expire at once.
 *
 * The slow cycle runs from the cron with a budget of 25% of a cron period; the
 * fast cycle runs before sleeping, for at most FAST_DURATION_MS, and only when the
 * previous cycle left many stale keys behind.
 */

import type { Keyspace } from "./keyspace.js";

const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE_PERCENT = 25;
const FAST_DURATION_MS = 1;
const SLOW_CPU_PERCENT = 25;

/** What a cycle did (for INFO and tests). */
export interface ExpireCycleResult {
  sampled: number;
  expired: number;
  /** True when the cycle stopped because its time budget ran out. */
  timeLimitReached: boolean;
}

/** State carried between cycles. */
export class ActiveExpireState {
  /** Next database to visit. */
  nextDb = 0;
  /** Estimated percentage of stale keys among keys with a TTL. */
  stalePercent = 0;
  /**
   * Running estimate (a fraction, 0..1) of the keys with a TTL that are already
   * expired: each cycle's expired / sampled weighs 5% (INFO expired_stale_perc).
   */
  expiredStaleFraction = 0;
  /** Milliseconds spent in cycles (INFO expire_cycle_cpu_milliseconds). */
  cycleMilliseconds = 0;
  /** Cycles that stopped on their time limit (INFO expired_time_cap_reached_count). */
  timeCapReachedCount = 0;
  /** Start time (ms) of the last fast cycle, so two fast cycles don't run back to back. */
  lastFastCycle = 0;
}

/**
 * Run one active expiry cycle. `slow` selects the cron budget (25% of 1000/hz ms)
 * or the fast one (1 ms). `effort` (1..10, active-expire-effort) scales the
 * sample size. Deletions go through the keyspace hooks like lazy expiry.
 */
export function activeExpireCycle(
  keyspace: Keyspace,
  state: ActiveExpireState,
  options: { slow: boolean; hz: number; effort?: number },
): ExpireCycleResult {
  const effort = Math.max(1, Math.min(10, options.effort ?? 1)) - 1;
  const keysPerLoop = KEYS_PER_LOOP + Math.floor((KEYS_PER_LOOP / 4) * effort);
  const acceptableStale = ACCEPTABLE_STALE_PERCENT - effort;
  const start = performance.now();
  if (!options.slow) {
    if (state.stalePercent < acceptableStale) return { sampled: 0, expired: 0, timeLimitReached: false };
    if (start - state.lastFastCycle < FAST_DURATION_MS * 2)
      return { sampled: 0, expired: 0, timeLimitReached: false };
    state.lastFastCycle = start;
  }
  const budgetMs = options.slow ? ((1000 / options.hz) * SLOW_CPU_PERCENT) / 100 : FAST_DURATION_MS;
  const databases = keyspace.databases;
  const now = keyspace.now;
  let sampled = 0;
  let expired = 0;
  let timeLimitReached = false;
  let staleSum = 0;
  let staleSamples = 0;

  for (let visited = 0; visited < databases.length && !timeLimitReached; visited++) {
    const db = databases[state.nextDb % databases.length]!;
    state.nextDb = (state.nextDb + 1) % databases.length;
    for (let iteration = 0; db.volatileCount > 0; iteration++) {
      const [stepSampled, stepExpired] = db.activeExpireStep(keysPerLoop, now);
      sampled += stepSampled;
      expired += stepExpired;
      if (stepSampled > 0) {
        staleSum += (stepExpired * 100) / stepSampled;
        staleSamples++;
      }
      if ((iteration & 15) === 15 && performance.now() - start > budgetMs) {
        timeLimitReached = true;
        break;
      }
      if (stepSampled === 0 || (stepExpired * 100) / stepSampled <= acceptableStale) break;
    }
  }
  if (timeLimitReached) state.timeCapReachedCount++;
  state.cycleMilliseconds += performance.now() - start;
  state.expiredStaleFraction =
    (sampled > 0 ? expired / sampled : 0) * 0.05 + state.expiredStaleFraction * 0.95;
  const cycleStale = staleSamples > 0 ? staleSum / staleSamples : 0;
  state.stalePercent = cycleStale * 0.05 + state.stalePercent * 0.95;
  if (timeLimitReached) state.stalePercent = Math.max(state.stalePercent, acceptableStale + 1);
  return { sampled, expired, timeLimitReached };
}
