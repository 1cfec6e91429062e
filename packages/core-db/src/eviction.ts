/*
 * Eviction under maxmemory, in the manner of Redis' evict.c.
 *
 * When the memory in use is above maxmemory, keys are removed by the configured
 * policy until it is not, or until nothing more can be removed, or until the
 * time budget set by maxmemory-eviction-tenacity is spent (the cron then goes on).
 *
 * LRU, LFU and TTL policies are approximated as Redis approximates them: each
 * round samples maxmemory-samples keys from every database (all keys, or the keys
 * with a TTL for volatile-*), scores them (idle time, 255 minus the decayed LFU
 * counter, or how near the deadline is) and merges them into a small pool of the
 * best candidates seen so far, across databases and across calls; the best
 * candidate that still exists is evicted. Random policies take a random key,
 * visiting the databases in turn.
 *
 * Nothing here allocates per key: the pool is fixed arrays and a count, and keys
 * are sampled, scored and removed by slot (each pooled candidate keeps the slot
 * it was sampled from, so the winner is usually found again without hashing).
 */

import { estimateIdleTime, type Keyspace, lfuDecayedCounter } from "./keyspace.js";

/** The eight maxmemory-policy values. */
export enum EvictionPolicy {
  NoEviction = 0,
  AllKeysLru = 1,
  VolatileLru = 2,
  AllKeysLfu = 3,
  VolatileLfu = 4,
  AllKeysRandom = 5,
  VolatileRandom = 6,
  VolatileTtl = 7,
}

const POLICY_NAMES: Record<string, EvictionPolicy> = {
  noeviction: EvictionPolicy.NoEviction,
  "allkeys-lru": EvictionPolicy.AllKeysLru,
  "volatile-lru": EvictionPolicy.VolatileLru,
  "allkeys-lfu": EvictionPolicy.AllKeysLfu,
  "volatile-lfu": EvictionPolicy.VolatileLfu,
  "allkeys-random": EvictionPolicy.AllKeysRandom,
  "volatile-random": EvictionPolicy.VolatileRandom,
  "volatile-ttl": EvictionPolicy.VolatileTtl,
};

/** The policy named `name` (maxmemory-policy's values), or NoEviction for an unknown name. */
export function evictionPolicyByName(name: string): EvictionPolicy {
  return POLICY_NAMES[name] ?? EvictionPolicy.NoEviction;
}

/** True for the two LFU policies (accesses then feed the LFU counter). */
export function isLfuPolicy(policy: EvictionPolicy): boolean {
  return policy === EvictionPolicy.AllKeysLfu || policy === EvictionPolicy.VolatileLfu;
}

/** What performEvictions() concluded (Redis' EVICT_OK / EVICT_RUNNING / EVICT_FAIL). */
export enum EvictionResult {
  /** Memory is within the limit (or no limit, or eviction is not allowed now). */
  Ok = 0,
  /** Keys were evicted but the time budget ran out first: not out of memory yet. */
  Running = 1,
  /** Over the limit and nothing more can be evicted: deny commands that add data. */
  Fail = 2,
}

/** Size of the eviction pool (Redis' EVPOOL_SIZE). */
const POOL_SIZE = 16;

/** State carried between evictions: the candidate pool, the random policies' next database, counters. */
export class EvictionState {
  /** Pool of candidates, ascending by score: the best candidate is at the highest index. */
  readonly poolScores: Float64Array;
  readonly poolKeys: string[];
  readonly poolDbs: Int32Array;
  /** The slot each candidate was sampled from (a hint: removals move keys). */
  readonly poolSlots: Int32Array;
  /** Number of candidates in the pool. */
  poolSize: number;
  /** Next database the random policies visit. */
  nextDb: number;
  /** Keys evicted since start (INFO evicted_keys is the server's copy, reset by RESETSTAT). */
  evictedKeys: number;
  /** Calls that stopped on their time budget (Redis retries them from a timer). */
  timeLimitReached: number;

  constructor() {
    this.poolScores = new Float64Array(POOL_SIZE);
    this.poolKeys = new Array<string>(POOL_SIZE).fill("");
    this.poolDbs = new Int32Array(POOL_SIZE);
    this.poolSlots = new Int32Array(POOL_SIZE);
    this.poolSize = 0;
    this.nextDb = 0;
    this.evictedKeys = 0;
    this.timeLimitReached = 0;
  }
}

/** What one call of performEvictions() needs. */
export interface EvictionOptions {
  policy: EvictionPolicy;
  /** maxmemory in bytes (0: no limit). */
  maxmemory: number;
  /** Bytes in use besides the keyspace's own figure (start-up memory, client buffers). */
  overhead: number;
  /** maxmemory-samples. */
  samples: number;
  /** maxmemory-eviction-tenacity (0..100). */
  tenacity: number;
  /** Called for each evicted key, after it is gone (counting, propagating a DEL). */
  onEvicted: (dbIndex: number, key: string) => void;
}

/**
 * Time budget (ms) of one call for a tenacity (Redis' evictionTimeLimitUs): 50 us
 * per step up to 10, then growing 15% per step, unlimited at 100.
 */
export function evictionTimeLimitMs(tenacity: number): number {
  if (tenacity <= 10) return (50 * tenacity) / 1000;
  if (tenacity < 100) return (500 * 1.15 ** (tenacity - 10)) / 1000;
  return Number.POSITIVE_INFINITY;
}

/**
 * Evict keys until the keyspace's memory plus `overhead` is within `maxmemory`.
 * Returns Ok when it is (or when there is no limit), Running when the time budget
 * ran out while keys were still being evicted, Fail when nothing more can go.
 * The caller decides when eviction is allowed (not while loading, not on a replica).
 */
export function performEvictions(
  keyspace: Keyspace,
  state: EvictionState,
  options: EvictionOptions,
): EvictionResult {
  const maxmemory = options.maxmemory;
  if (maxmemory === 0 || keyspace.usedMemory + options.overhead <= maxmemory) return EvictionResult.Ok;
  const policy = options.policy;
  if (policy === EvictionPolicy.NoEviction) return EvictionResult.Fail;
  const limitMs = evictionTimeLimitMs(options.tenacity);
  const started = performance.now();
  let evicted = 0;
  while (keyspace.usedMemory + options.overhead > maxmemory) {
    const slot = pickVictim(keyspace, state, policy, options.samples);
    if (slot === -1) return EvictionResult.Fail;
    const db = keyspace.databases[pickedDb]!;
    const key = db.evictSlot(slot);
    state.evictedKeys++;
    evicted++;
    options.onEvicted(db.id, key);
    if ((evicted & 15) === 0 && performance.now() - started > limitMs) {
      if (keyspace.usedMemory + options.overhead <= maxmemory) break;
      state.timeLimitReached++;
      return EvictionResult.Running;
    }
  }
  return EvictionResult.Ok;
}

/** Database of the victim pickVictim() returned last (module scratch, read right after). */
let pickedDb = 0;

/** The slot of the next key to evict under `policy`, or -1 when no key qualifies. Sets pickedDb. */
function pickVictim(
  keyspace: Keyspace,
  state: EvictionState,
  policy: EvictionPolicy,
  samples: number,
): number {
  const databases = keyspace.databases;
  const volatileOnly =
    policy === EvictionPolicy.VolatileLru ||
    policy === EvictionPolicy.VolatileLfu ||
    policy === EvictionPolicy.VolatileRandom ||
    policy === EvictionPolicy.VolatileTtl;

  if (policy === EvictionPolicy.AllKeysRandom || policy === EvictionPolicy.VolatileRandom) {
    for (let visited = 0; visited < databases.length; visited++) {
      const index = state.nextDb;
      state.nextDb = (state.nextDb + 1) % databases.length;
      const slot = databases[index]!.sampleSlot(volatileOnly);
      if (slot !== -1) {
        pickedDb = index;
        return slot;
      }
    }
    return -1;
  }

  for (;;) {
    let candidates = 0;
    for (let index = 0; index < databases.length; index++) {
      const db = databases[index]!;
      const size = volatileOnly ? db.volatileCount : db.size;
      if (size === 0) continue;
      candidates += size;
      populatePool(keyspace, state, policy, index, volatileOnly, samples);
    }
    if (candidates === 0) return -1;
    // The best candidate still present (in the table the policy draws from) wins.
    while (state.poolSize > 0) {
      const at = --state.poolSize;
      const key = state.poolKeys[at]!;
      const dbIndex = state.poolDbs[at]!;
      state.poolKeys[at] = "";
      const db = databases[dbIndex]!;
      const slot = db.evictionSlotOf(key, state.poolSlots[at]!);
      if (slot !== -1 && (!volatileOnly || db.slotDeadline(slot) !== 0)) {
        pickedDb = dbIndex;
        return slot;
      }
    }
  }
}

/**
 * Sample `samples` keys of database `dbIndex` and merge them into the pool by
 * score (Redis' evictionPoolPopulate): a sample better than the worst pooled
 * candidate, or any sample while the pool has room, takes its place in order.
 * The samples are drawn independently: neighbouring slots hold keys written
 * about the same time (slots are in insertion order until removals shuffle
 * them), so a run of neighbours would be a correlated sample.
 */
function populatePool(
  keyspace: Keyspace,
  state: EvictionState,
  policy: EvictionPolicy,
  dbIndex: number,
  volatileOnly: boolean,
  samples: number,
): void {
  const db = keyspace.databases[dbIndex]!;
  const now = keyspace.now;
  const lfu = isLfuPolicy(policy);
  const scores = state.poolScores;
  const keys = state.poolKeys;
  const dbs = state.poolDbs;
  const slots = state.poolSlots;
  for (let i = 0; i < samples; i++) {
    const slot = db.sampleSlot(volatileOnly);
    if (slot === -1) return;
    let score: number;
    if (policy === EvictionPolicy.VolatileTtl) score = Number.MAX_SAFE_INTEGER - db.slotDeadline(slot);
    else if (lfu) score = 255 - lfuDecayedCounter(db.slotLru(slot), now, keyspace.lfuDecayTime);
    else score = estimateIdleTime(db.slotLru(slot), now);

    // Find the first slot whose score is not lower (the pool is ascending).
    let position = 0;
    const size = state.poolSize;
    while (position < size && scores[position]! < score) position++;
    if (position === 0 && size === POOL_SIZE) continue; // Worse than everything in a full pool.
    if (size < POOL_SIZE) {
      // Room at the end: shift the better ones right.
      for (let j = size; j > position; j--) {
        scores[j] = scores[j - 1]!;
        keys[j] = keys[j - 1]!;
        dbs[j] = dbs[j - 1]!;
        slots[j] = slots[j - 1]!;
      }
      state.poolSize = size + 1;
    } else {
      // Full: drop the worst (index 0) and shift the worse ones left.
      position--;
      for (let j = 0; j < position; j++) {
        scores[j] = scores[j + 1]!;
        keys[j] = keys[j + 1]!;
        dbs[j] = dbs[j + 1]!;
        slots[j] = slots[j + 1]!;
      }
    }
    scores[position] = score;
    keys[position] = db.slotKey(slot);
    dbs[position] = dbIndex;
    slots[position] = slot;
  }
}
