/*
 * The pre-write hook of point-in-time snapshots (BGSAVE without fork).
 *
 * A snapshot producer (in @spinel/persistence) records the keys to visit when it
 * starts, takes a fresh epoch, and installs itself as `keyspace.snapshot`. From
 * then on the keyspace calls `preserve(db, entry)` before the first change to
 * any entry whose `snapshotEpoch` is not the snapshot's epoch: an overwrite, an
 * in-place edit through lookupWrite, a TTL change, a deletion or an expiry. The
 * producer serialises (or keeps aside) the entry's current value and marks it
 * with its epoch, so later changes to the key cost nothing more. Entries added
 * while the snapshot runs are marked at creation: they are not part of it.
 *
 * FLUSHDB / FLUSHALL replace a database's containers without touching the
 * entries, and the producer holds its own list of them, so a flush needs no
 * call: the snapshot keeps what the databases held at its start. SWAPDB moves
 * whole containers between databases; the producer is told, so that a later
 * preserve() on database b is filed under the database the entry came from.
 *
 * With no snapshot running, each hook point costs one null check.
 */

import type { Database, KeyEntry } from "./keyspace.js";

/** The producer side of a running snapshot, as the keyspace sees it. */
export interface SnapshotObserver {
  /** The epoch this snapshot marks entries with (never 0). */
  readonly epoch: number;
  /**
   * `entry` of `db` is about to change or disappear and has not been visited:
   * keep its current state for the snapshot and set entry.snapshotEpoch = epoch.
   */
  preserve(db: Database, entry: KeyEntry): void;
  /** SWAPDB a b is about to exchange the two databases' contents. */
  databasesSwapped(a: number, b: number): void;
}

let lastEpoch = 0;

/** A new snapshot epoch, distinct from every earlier one in this process. */
export function nextSnapshotEpoch(): number {
  lastEpoch++;
  return lastEpoch;
}
