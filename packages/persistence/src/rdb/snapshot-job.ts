/*
 * Point-in-time snapshots of the keyspace as RDB files, without fork().
 *
 * startSnapshot() records, per database, the key table it holds now (the live
 * table itself: copying a million keys would stall the loop), takes a new
 * epoch, and installs the job as the keyspace's SnapshotObserver. step() then
 * writes the next unvisited entries, bounded by bytes and time, and returns
 * true when the file is complete. Between steps the server keeps running:
 *   - before an unvisited entry changes or disappears, the keyspace calls
 *     preserve(): the entry is encoded as it is into a side buffer of the
 *     database it came from, and marked visited;
 *   - entries created meanwhile carry the epoch from birth and are skipped;
 *   - FLUSHDB / FLUSHALL give the database a new table and leave the one this
 *     job holds untouched, so its keys are still written; SWAPDB moves
 *     whole tables and is followed through a database permutation.
 * The table is walked by slot from the top down, as SCAN walks it: the keyspace only
 * appends to it and fills a hole with its last entry, so an entry not yet
 * visited can only move further down (or already carries the epoch), and the
 * epoch mark keeps an entry moved twice from being written twice.
 * So the file holds exactly the dataset at the start, and only entries changed
 * during the save cost extra memory (their encoded bytes).
 *
 * SAVE runs all steps at once (saveRdb); BGSAVE spreads them over loop turns;
 * an AOF rewrite (RDB preamble) or a replica's full sync can drive the same
 * job over their own sinks.
 */

import {
  type Database,
  estimateIdleTime,
  type KeyEntry,
  type Keyspace,
  type KeyTable,
  nextSnapshotEpoch,
  type SnapshotObserver,
} from "@spinel/core-db";
import type { ByteSink } from "../io/byte-stream.js";
import { ByteWriter } from "./byte-writer.js";
import { RdbFileWriter, type RdbWriteOptions } from "./rdb-writer.js";

/** Settings of a snapshot: the file's settings and the slice bounds. */
export interface SnapshotOptions extends RdbWriteOptions {
  /** Write the LRU idle time of each key (maxmemory-policy *-lru), default false. */
  lruIdle?: boolean;
  /** A slice stops after about this many bytes (default 1 MB). */
  sliceBytes?: number;
  /** A slice stops after about this many milliseconds (default 2). */
  sliceMs?: number;
  /**
   * Install the pre-write hook (default true). Only a caller that runs every
   * step before anything else can touch the keyspace (SAVE) may leave it out;
   * such a job can run beside another snapshot.
   */
  hook?: boolean;
}

/** One database as it was at the start. */
interface DatabasePlan {
  readonly id: number;
  /** The database's live key table (see the file comment). */
  readonly table: KeyTable;
  /** Keys and keys with a TTL at the start. */
  readonly keys: number;
  readonly expires: number;
}

/**
 * How often (in keys) a slice looks at the clock. A clock read costs about as
 * much as encoding a tenth of a small key, and a slice must not run far past
 * its time: until the encoders are compiled (the first save of a process, or
 * the first key of a kind), a key can take 100 us.
 */
const CLOCK_CHECK_INTERVAL = 8;
/** Preserved records are copied into the file in pieces of this size, each slice as many as its budget allows. */
const PRESERVED_PIECE = 64 * 1024;

/** A running snapshot; see the file comment. */
export class SnapshotJob implements SnapshotObserver {
  readonly epoch: number;
  readonly keyspace: Keyspace;
  readonly writer: RdbFileWriter;
  /** Keys written by slices, and keys preserved by the hook before a change. */
  keysWritten: number;
  keysPreserved: number;
  /** Bytes of preserved records held in memory right now. */
  preservedBytes: number;
  /** The most preservedBytes has been during this job (the extra memory the save cost at its peak). */
  preservedPeak: number;
  private readonly plans: DatabasePlan[];
  /** Encoded records of preserved entries, by the database they came from. */
  private readonly preserved: (ByteWriter | null)[];
  /** origin[current db] = database whose start-time entries it now holds. */
  private readonly origin: number[];
  private readonly options: SnapshotOptions;
  private planIndex: number;
  private position: number;
  /** Bytes of the current database's preserved records already copied into the file. */
  private preservedCopied: number;
  private sectionOpen: boolean;
  private finished: boolean;
  private aborted: boolean;

  constructor(keyspace: Keyspace, sink: ByteSink, options: SnapshotOptions = {}) {
    const hook = options.hook ?? true;
    if (hook && keyspace.snapshot !== null) throw new Error("a snapshot is already running");
    this.epoch = nextSnapshotEpoch();
    this.keyspace = keyspace;
    this.options = options;
    this.writer = new RdbFileWriter(sink, { limits: keyspace.limits, ...options });
    this.keysWritten = 0;
    this.keysPreserved = 0;
    this.preservedBytes = 0;
    this.preservedPeak = 0;
    this.plans = [];
    this.preserved = [];
    this.origin = [];
    for (const db of keyspace.databases) {
      this.origin.push(db.id);
      this.preserved.push(null);
      if (db.size > 0)
        this.plans.push({ id: db.id, table: db.keyTable, keys: db.size, expires: db.volatileCount });
    }
    this.planIndex = 0;
    this.position = this.plans.length > 0 ? this.plans[0]!.keys - 1 : 0;
    this.preservedCopied = 0;
    this.sectionOpen = false;
    this.finished = false;
    this.aborted = false;
    this.writer.header();
    if (hook) keyspace.snapshot = this;
  }

  /** True once the whole file has been written (or the job was aborted). */
  get done(): boolean {
    return this.finished || this.aborted;
  }

  /** Keys the snapshot holds (all databases, at its start). */
  get keysTotal(): number {
    let total = 0;
    for (const plan of this.plans) total += plan.keys;
    return total;
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  // ---------------------------------------------------------------- the hook

  /** Before an unvisited entry changes: encode it as it is now (see SnapshotObserver). */
  preserve(db: Database, entry: KeyEntry): void {
    entry.snapshotEpoch = this.epoch;
    const origin = this.origin[db.id]!;
    let buffer = this.preserved[origin]!;
    if (buffer === null) {
      buffer = new ByteWriter(4096);
      this.preserved[origin] = buffer;
    }
    const before = buffer.length;
    RdbFileWriter.encodeRecord(
      this.writer.encoder,
      buffer,
      entry.key,
      entry.value,
      entry.expireAt,
      this.idleOf(entry.lru),
    );
    this.preservedBytes += buffer.length - before;
    if (this.preservedBytes > this.preservedPeak) this.preservedPeak = this.preservedBytes;
    this.keysPreserved++;
  }

  /** SWAPDB: the two databases exchange the entries they hold. */
  databasesSwapped(a: number, b: number): void {
    const origin = this.origin;
    const swap = origin[a]!;
    origin[a] = origin[b]!;
    origin[b] = swap;
  }

  // ---------------------------------------------------------------- slices

  /**
   * Write the next unvisited entries until the slice's byte or time budget is
   * spent. Returns true when the file is complete: EOF and checksum written,
   * the sink flushed (not synced or closed: the caller decides), the hook
   * removed. On an error (a failed write) the job aborts and rethrows.
   */
  step(): boolean {
    if (this.done) return true;
    try {
      return this.slice();
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Run every remaining step now (SAVE). */
  runToEnd(): void {
    while (!this.step()) {
      // each step writes a bounded slice
    }
  }

  /** Stop: remove the hook and drop preserved records. The sink is left to the caller. */
  abort(): void {
    if (this.done) return;
    this.aborted = true;
    this.release();
  }

  private slice(): boolean {
    const sliceBytes = this.options.sliceBytes ?? 1024 * 1024;
    const sliceMs = this.options.sliceMs ?? 2;
    const writer = this.writer;
    const startBytes = writer.bytesWritten;
    const startTime = performance.now();
    let sinceClock = 0;
    const epoch = this.epoch;
    while (this.planIndex < this.plans.length) {
      const plan = this.plans[this.planIndex]!;
      if (!this.sectionOpen) {
        writer.selectDb(plan.id, plan.keys, plan.expires);
        this.sectionOpen = true;
      }
      const table = plan.table;
      // Deletions since the last slice may have shortened the table.
      if (this.position >= table.size) this.position = table.size - 1;
      while (this.position >= 0) {
        const slot = this.position--;
        if (table.snapshotMark(slot) === epoch) continue;
        table.setSnapshotMark(slot, epoch);
        // The stored form: an int or embstr string is written without a RedisString made for it.
        writer.key(
          table.keys[slot]!,
          table.values[slot]!,
          table.deadlineOf(slot),
          this.idleOf(table.lru[slot]!),
        );
        this.keysWritten++;
        if (writer.bytesWritten - startBytes >= sliceBytes) return false;
        if (++sinceClock === CLOCK_CHECK_INTERVAL) {
          sinceClock = 0;
          if (performance.now() - startTime >= sliceMs) return false;
        }
      }
      // Every entry of the table is visited: add the entries preserved from this
      // database, piece by piece (a save under heavy writes can hold many MB here).
      const preserved = this.preserved[plan.id];
      if (preserved !== null && preserved !== undefined) {
        while (this.preservedCopied < preserved.length) {
          const end = Math.min(preserved.length, this.preservedCopied + PRESERVED_PIECE);
          writer.raw(preserved.buffer.subarray(this.preservedCopied, end));
          this.preservedCopied = end;
          if (writer.bytesWritten - startBytes >= sliceBytes) return false;
          if (performance.now() - startTime >= sliceMs) return false;
        }
        this.preservedBytes -= preserved.length;
        this.preserved[plan.id] = null;
        this.preservedCopied = 0;
      }
      this.planIndex++;
      this.position = this.planIndex < this.plans.length ? this.plans[this.planIndex]!.keys - 1 : 0;
      this.sectionOpen = false;
    }
    writer.finish();
    this.finished = true;
    this.release();
    return true;
  }

  private idleOf(lru: number): number {
    if (!this.options.lruIdle) return -1;
    const idle = Math.floor(estimateIdleTime(lru, Date.now()) / 1000);
    return idle > 0 ? idle : 0;
  }

  private release(): void {
    if (this.keyspace.snapshot === this) this.keyspace.snapshot = null;
    for (let i = 0; i < this.preserved.length; i++) this.preserved[i] = null;
    this.preservedBytes = 0;
  }
}

/**
 * Start a point-in-time snapshot of `keyspace` into `sink`: returns the job,
 * which the caller drives with step() (one bounded slice per call) until it
 * returns true. Throws when another snapshot is running on this keyspace.
 */
export function startSnapshot(
  keyspace: Keyspace,
  sink: ByteSink,
  options: SnapshotOptions = {},
): SnapshotJob {
  return new SnapshotJob(keyspace, sink, options);
}

/**
 * Write the whole keyspace to `sink` as an RDB file, synchronously (SAVE, DEBUG
 * RELOAD, tests), without the pre-write hook (nothing runs in between), so it
 * works while a background snapshot runs. Flushes the sink; syncing and
 * closing it are the caller's.
 * Returns the job (for its figures).
 */
export function saveRdb(keyspace: Keyspace, sink: ByteSink, options: SnapshotOptions = {}): SnapshotJob {
  const job = new SnapshotJob(keyspace, sink, {
    ...options,
    sliceBytes: Number.POSITIVE_INFINITY,
    sliceMs: Number.POSITIVE_INFINITY,
    hook: false,
  });
  job.runToEnd();
  return job;
}
