/*
 * What the snapshot pre-write hook costs the write path.
 *
 * The same loop of lookupWrite + set (the calls every write command makes) over
 * KEYS existing keys, measured two ways, interleaved round after round (the
 * best round counts, since noise only slows a run down):
 *   - no snapshot: the state of the server nearly always (one null check per
 *     hook point),
 *   - a snapshot running whose epoch every key already carries: the check taken,
 *     nothing preserved (the cost for keys a running snapshot has visited).
 * The two should be within noise of each other.
 *
 * Run: node --conditions=@spinel/source --import tsx bench/snapshot-hook.ts
 * BENCH_QUICK=1 uses fewer keys and rounds.
 */

import { type Database, type KeyEntry, Keyspace } from "../src/keyspace.js";
import { nextSnapshotEpoch, type SnapshotObserver } from "../src/snapshot.js";
import { RedisString } from "../src/types/string.js";

const KEYS = process.env.BENCH_QUICK ? 50_000 : 200_000;
const ROUNDS = process.env.BENCH_QUICK ? 3 : 9;
const PASSES = 10;

function build(): { keyspace: Keyspace; db: Database; keys: string[] } {
  const keyspace = new Keyspace();
  const db = keyspace.db(0);
  const keys: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    keys.push(`key:${i}`);
    db.add(keys[i]!, RedisString.fromInteger(i));
  }
  return { keyspace, db, keys };
}

/** Nanoseconds per lookupWrite + set pair. */
function writeLoop(db: Database, keys: readonly string[]): number {
  const value = RedisString.fromInteger(7);
  const started = performance.now();
  for (let pass = 0; pass < PASSES; pass++) {
    for (let i = 0; i < keys.length; i++) {
      db.lookupWrite(keys[i]!);
      db.set(keys[i]!, value, true);
    }
  }
  return ((performance.now() - started) * 1e6) / (keys.length * PASSES);
}

const idle = build();
const armed = build();
const epoch = nextSnapshotEpoch();
let preserved = 0;
const observer: SnapshotObserver = {
  epoch,
  preserve(_db: Database, entry: KeyEntry) {
    entry.snapshotEpoch = epoch;
    preserved++;
  },
  databasesSwapped() {},
};
for (const entry of armed.db.entries()) entry.snapshotEpoch = epoch;
armed.keyspace.snapshot = observer;

const best = { idle: Number.POSITIVE_INFINITY, armed: Number.POSITIVE_INFINITY };
for (let round = 0; round < ROUNDS; round++) {
  best.idle = Math.min(best.idle, writeLoop(idle.db, idle.keys));
  best.armed = Math.min(best.armed, writeLoop(armed.db, armed.keys));
}
console.log(
  `snapshot hook, lookupWrite + set over ${KEYS.toLocaleString("en-US")} keys (best of ${ROUNDS}):`,
);
console.log(`  no snapshot running:            ${best.idle.toFixed(1)} ns per pair`);
console.log(
  `  snapshot running, key visited:  ${best.armed.toFixed(1)} ns per pair (preserved ${preserved})`,
);
