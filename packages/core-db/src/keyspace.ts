/*
 * The keyspace: N databases of binary-safe keys, each key holding one typed value
 * and optionally an absolute expiry time in milliseconds.
 *
 * HOT PATH. lookupRead/lookupWrite run for nearly every command.
 *
 * Keys are JS strings decoded as latin1 (one byte = one char, lossless), so any
 * byte sequence is a key. Each database keeps:
 *   - `entries`: Map key -> KeyEntry (O(1) lookup),
 *   - `slots`:   a dense array of the same entries (O(1) random pick, and the SCAN
 *                cursor space; removal swaps the last entry into the hole),
 *   - `volatile`: a dense array of the entries that have a TTL (sampled by the
 *                active expiry cycle, like Redis' db->expires).
 *
 * SCAN walks `slots` from the top down. With swap-removal this guarantees what
 * Redis guarantees: every key present for the whole iteration is returned at least
 * once (an entry moved from the top into a hole below the cursor is seen again, an
 * entry moved above the cursor had already been seen), while keys added during the
 * iteration may or may not be returned.
 *
 * Every mutation ends in one write epilogue, `Database.touched()`, which bumps the
 * dirty counter and tells the hooks (WATCH, keyspace notifications). Expiry and
 * deletion report through the same hooks, so no command can forget them.
 */

import { hashKey, KeyTable, type StoredValue } from "./key-table.js";
import { EncodingLimits } from "./limits.js";
import { stringBytes } from "./memory-model.js";
import type { SnapshotObserver } from "./snapshot.js";
import { type CompactString, compactStringBytes, compactValue, expandCompactString } from "./types/string.js";
import type { RedisValue } from "./value.js";

/** Classes of keyspace events, as the letters of notify-keyspace-events. */
export enum EventClass {
  Generic = 1 << 2, // g
  String = 1 << 3, // $
  List = 1 << 4, // l
  Set = 1 << 5, // s
  Hash = 1 << 6, // h
  ZSet = 1 << 7, // z
  Expired = 1 << 8, // x
  Evicted = 1 << 9, // e
  Stream = 1 << 10, // t
  KeyMiss = 1 << 11, // m
  Module = 1 << 12, // d
  New = 1 << 13, // n
}

/**
 * What the rest of the server learns about keyspace changes. apps/server and
 * @spinel/commands plug implementations in; core-db only calls them.
 */
export interface KeyspaceHooks {
  /** A key was written, deleted, expired or flushed: WATCH invalidation. */
  keyModified(db: Database, key: string): void;
  /** A whole database changed at once (FLUSHDB, FLUSHALL, SWAPDB). */
  databaseModified(db: Database): void;
  /** A keyspace event happened (notify-keyspace-events filtering is the listener's job). */
  keyspaceEvent(eventClass: EventClass, event: string, key: string, dbId: number): void;
  /**
   * A key was removed because its TTL passed (lazily or actively). The server
   * propagates a DEL to the AOF and replicas, as Redis does.
   */
  keyExpired(db: Database, key: string): void;
}

const noHooks: KeyspaceHooks = {
  keyModified() {},
  databaseModified() {},
  keyspaceEvent() {},
  keyExpired() {},
};

/** Source of the current time in milliseconds (injectable for tests). */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** How often (ms) wallClockAt() re-reads the wall clock to follow its adjustments. */
const WALL_CLOCK_RESYNC_MS = 1000;
/** Wall clock minus monotonic clock (ms), as last measured, and when (monotonic ms). */
let wallClockOffset = Date.now() - performance.now();
let wallClockSyncedAt = performance.now();

/**
 * The wall-clock time (integer ms since the epoch, like Date.now()) at monotonic
 * time `monotonicMs` (a performance.now() reading). One clock reading per command
 * instead of two: the offset between the clocks is re-measured at most once per
 * WALL_CLOCK_RESYNC_MS, so a step of the system clock is followed within a second.
 */
function wallClockAt(monotonicMs: number): number {
  if (monotonicMs - wallClockSyncedAt >= WALL_CLOCK_RESYNC_MS || monotonicMs < wallClockSyncedAt) {
    wallClockOffset = Date.now() - performance.now();
    wallClockSyncedAt = monotonicMs;
  }
  return Math.floor(monotonicMs + wallClockOffset);
}

/** How expired keys are treated on lookup. */
export enum ExpiryMode {
  /** Primary: an expired key is deleted when touched (and by the active cycle). */
  Delete = 0,
  /** Replica: an expired key reads as missing but is only deleted by the primary's DEL. */
  HideOnly = 1,
  /** Loading a data file: no key expires. */
  Never = 2,
}

// ------------------------------------------------------------------ access clock (LRU / LFU)

/** The LRU clock has 24 bits of seconds, as Redis' robj.lru. */
export const LRU_CLOCK_MAX = 0xffffff;
/** The counter a key starts with under an LFU policy (Redis' LFU_INIT_VAL). */
export const LFU_INIT_VAL = 5;

/** Redis' LRU_CLOCK(): the time `nowMs` in seconds, on 24 bits. */
export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / 1000) & LRU_CLOCK_MAX;
}

/** Redis' LFUGetTimeInMinutes(): the time `nowMs` in minutes, on 16 bits. */
export function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & 0xffff;
}

/**
 * Milliseconds since a key was last accessed, from its 24-bit LRU clock `lru`
 * (Redis' estimateObjectIdleTime: one wrap-around of the clock is handled).
 */
export function estimateIdleTime(lru: number, nowMs: number): number {
  const clock = lruClock(nowMs);
  if (clock >= lru) return (clock - lru) * 1000;
  return (clock + (LRU_CLOCK_MAX - lru)) * 1000;
}

/**
 * The LFU counter packed in `lru` (16 bits of minutes << 8 | 8-bit counter),
 * decayed by one per `decayTime` minutes since the last access (Redis'
 * LFUDecrAndReturn). Does not store the decayed value.
 */
export function lfuDecayedCounter(lru: number, nowMs: number, decayTime: number): number {
  const lastMinutes = lru >>> 8;
  const counter = lru & 255;
  if (decayTime === 0) return counter;
  const now = lfuMinutes(nowMs);
  const elapsed = now >= lastMinutes ? now - lastMinutes : 65535 - lastMinutes + now;
  const periods = Math.floor(elapsed / decayTime);
  return periods > counter ? 0 : counter - periods;
}

/**
 * Increment an 8-bit logarithmic counter (Redis' LFULogIncr): the higher the
 * counter, the less likely an access raises it; `logFactor` sets how fast it
 * saturates (with 10, a million accesses reach 255).
 */
export function lfuLogIncrement(counter: number, logFactor: number): number {
  if (counter === 255) return 255;
  const base = counter - LFU_INIT_VAL > 0 ? counter - LFU_INIT_VAL : 0;
  const probability = 1 / (base * logFactor + 1);
  return Math.random() < probability ? counter + 1 : counter;
}

// ------------------------------------------------------------------ memory model of a key

/**
 * The value in `slot` as an object the key keeps, so that in-place edits through
 * it (INCR, APPEND, SETBIT ...) change the key: a compact string is expanded into
 * its RedisString for good (until the write epilogue compacts it again).
 */
function writableValue(table: KeyTable, slot: number): RedisValue {
  const stored = table.values[slot]!;
  if (typeof stored === "object") return stored;
  const value = expandCompactString(stored);
  table.values[slot] = value;
  return value;
}

/** Bytes the value in `slot` holds (memory-model.ts), for the compact form too. O(1). */
function valueBytes(table: KeyTable, slot: number): number {
  const stored = table.values[slot]!;
  return typeof stored === "object" ? stored.memoryUsage() : compactStringBytes(stored);
}

/**
 * One key of a database, as a short-lived handle on the table's columns
 * (KeyTable): lookups that hand out "the entry" (peekEntry, lookupWriteEntry,
 * scan ...) create one on demand. Reading or writing through it
 * reads or writes the columns of the key it names: when the key has moved to
 * another slot since (a removal of another key swapped it), the handle finds it
 * again by name, so it never reads a different key's data. Reading a handle
 * whose key was removed throws; check `slot !== -1` first when that can happen.
 * Exported for persistence (snapshotting) and tests.
 */
export class KeyEntry {
  readonly key: string;
  /** The table the key was found in (FLUSHDB / SWAPDB do not move it). */
  readonly table: KeyTable;
  private slotHint: number;

  constructor(table: KeyTable, slot: number) {
    this.table = table;
    this.slotHint = slot;
    this.key = table.keys[slot]!;
  }

  /** The key's slot in its table now, or -1 when it has been removed. */
  get slot(): number {
    const table = this.table;
    const hint = this.slotHint;
    if (hint < table.size && table.keys[hint] === this.key) return hint;
    const slot = table.find(this.key);
    this.slotHint = slot;
    return slot;
  }

  /** The current slot; throws when the key is gone (a stale handle is a bug, never a wrong read). */
  private liveSlot(): number {
    const slot = this.slot;
    if (slot === -1) throw new Error(`key '${this.key}' no longer exists`);
    return slot;
  }

  /**
   * The value, to read. A string held in compact form comes back in a fresh
   * RedisString: editing it in place does not change the key (lookupWrite and
   * writableValue() hand out the stored object).
   */
  get value(): RedisValue {
    return this.table.valueAt(this.liveSlot());
  }

  /** Store `value` (int and embstr strings in compact form); no accounting (touched() does it). */
  set value(value: RedisValue) {
    this.table.values[this.liveSlot()] = compactValue(value);
  }

  /** The value as an object the key keeps (see writableValue() above). */
  writableValue(): RedisValue {
    return writableValue(this.table, this.liveSlot());
  }

  /** Bytes the value holds (memory-model.ts), for the compact form too. O(1). */
  valueBytes(): number {
    return valueBytes(this.table, this.liveSlot());
  }

  /** Absolute expiry in ms since the epoch, or 0 for none. */
  get expireAt(): number {
    return this.table.deadlineOf(this.liveSlot());
  }

  /** Index in the database's list of keys with a TTL, or -1. */
  get volatileSlot(): number {
    return this.table.volatileIndex[this.liveSlot()]!;
  }

  /**
   * Access bookkeeping on 24 bits, as Redis' robj.lru: under an LRU (or no)
   * policy the LRU clock of the last access in seconds (lruClock); under an LFU
   * policy the minutes of the last decrement << 8 | an 8-bit logarithmic counter.
   */
  get lru(): number {
    return this.table.lru[this.liveSlot()]!;
  }

  set lru(lru: number) {
    this.table.lru[this.liveSlot()] = lru;
  }

  /** Bytes this key is accounted for in the keyspace's running total (name and value). */
  get accounted(): number {
    return this.table.accountedOf(this.liveSlot());
  }

  /** Epoch of the snapshot that has visited (or excluded) this key; 0 for none (see snapshot.ts). */
  get snapshotEpoch(): number {
    return this.table.snapshotMark(this.liveSlot());
  }

  set snapshotEpoch(epoch: number) {
    this.table.setSnapshotMark(this.liveSlot(), epoch);
  }

  /**
   * The exact deadline recorded for a deadline beyond 2^53 ms (expireAt holds it
   * rounded), or undefined. Any later change of the TTL forgets it.
   */
  get exactDeadline(): bigint | undefined {
    return this.table.exactDeadline(this.liveSlot());
  }

  set exactDeadline(exact: bigint) {
    this.table.setExactDeadline(this.liveSlot(), exact);
  }
}

/** Options of Keyspace. */
export interface KeyspaceOptions {
  /** Number of databases (Redis: 16). */
  databases?: number;
  clock?: Clock;
  hooks?: KeyspaceHooks;
}

/**
 * All databases of one server, the frozen command time, the dirty counter and the
 * hooks. One instance per server.
 */
export class Keyspace {
  readonly databases: Database[];
  /** Thresholds of the compact encodings (CONFIG SET changes them in place). */
  readonly limits: EncodingLimits;
  hooks: KeyspaceHooks;
  clock: Clock;
  expiryMode: ExpiryMode;
  /** Number of changes since the last save (Redis' server.dirty). */
  dirty: number;
  /** Keys removed by expiry since start (INFO expired_keys). */
  expiredKeys: number;
  /** Lookups that found / missed a key (INFO keyspace_hits / keyspace_misses). */
  hits: number;
  misses: number;
  /**
   * Bytes the keys of all databases hold by the memory model (memory-model.ts):
   * names, entries, TTLs and values, kept up to date by every write epilogue,
   * deletion, expiry and flush. Never a scan, never a heap reading.
   */
  usedMemory: number;
  /** True under an LFU maxmemory policy: accesses feed the LFU counter instead of the LRU clock. */
  lfuMode: boolean;
  /** lfu-log-factor and lfu-decay-time. */
  lfuLogFactor: number;
  lfuDecayTime: number;
  /**
   * True while the running command must not refresh access bookkeeping (a client
   * in CLIENT NO-TOUCH mode, except for TOUCH itself). call() sets it.
   */
  noTouch: boolean;
  /** The running point-in-time snapshot, or null (see snapshot.ts). */
  snapshot: SnapshotObserver | null;
  private frozenNow: number;
  /** initialLru()'s last answer, and the time and mode it was for. */
  private initialLruValue: number;
  private initialLruNow: number;
  private initialLruLfu: boolean;

  constructor(options: KeyspaceOptions = {}) {
    const count = options.databases ?? 16;
    // Set before the databases exist: each adds its empty table to it.
    this.usedMemory = 0;
    this.databases = [];
    for (let i = 0; i < count; i++) this.databases.push(new Database(this, i));
    this.limits = new EncodingLimits();
    this.hooks = options.hooks ?? noHooks;
    this.clock = options.clock ?? systemClock;
    this.expiryMode = ExpiryMode.Delete;
    this.dirty = 0;
    this.expiredKeys = 0;
    this.hits = 0;
    this.misses = 0;
    this.lfuMode = false;
    this.lfuLogFactor = 10;
    this.lfuDecayTime = 1;
    this.noTouch = false;
    this.snapshot = null;
    this.frozenNow = 0;
    this.initialLruValue = 0;
    this.initialLruNow = Number.NaN;
    this.initialLruLfu = false;
  }

  /**
   * The access bookkeeping a new key starts with (see KeyEntry.lru). The last
   * answer is kept for its time and mode: a load adds a million keys at one
   * frozen time.
   */
  initialLru(): number {
    const now = this.now;
    const lfu = this.lfuMode;
    if (now !== this.initialLruNow || lfu !== this.initialLruLfu) {
      this.initialLruValue = lfu ? (lfuMinutes(now) << 8) | LFU_INIT_VAL : lruClock(now);
      this.initialLruNow = now;
      this.initialLruLfu = lfu;
    }
    return this.initialLruValue;
  }

  /**
   * Record an access to the key in `slot` of `table` (Redis' lookupKey side effect): the LRU clock, or
   * the decayed-then-incremented LFU counter. Skipped in no-touch mode.
   */
  recordAccess(table: KeyTable, slot: number): void {
    if (this.noTouch) return;
    const now = this.now;
    if (this.lfuMode) {
      const counter = lfuLogIncrement(
        lfuDecayedCounter(table.lru[slot]!, now, this.lfuDecayTime),
        this.lfuLogFactor,
      );
      table.lru[slot] = (lfuMinutes(now) << 8) | counter;
    } else {
      table.lru[slot] = lruClock(now);
    }
  }

  /**
   * The time commands see. Inside a command (between freezeTime and unfreezeTime)
   * it does not move, so a key cannot expire halfway through a command or a
   * MULTI/EXEC unit, as in Redis.
   */
  get now(): number {
    return this.frozenNow !== 0 ? this.frozenNow : this.clock.now();
  }

  /** Freeze `now` for one execution unit (call() does this). Returns the frozen time. */
  freezeTime(): number {
    this.frozenNow = this.clock.now();
    return this.frozenNow;
  }

  /**
   * freezeTime() for a caller that has just read the monotonic clock (call() times
   * every command): with the system clock, the frozen time is derived from that
   * reading instead of reading the wall clock again. An injected clock is read as is.
   */
  freezeTimeAt(monotonicMs: number): number {
    this.frozenNow = this.clock === systemClock ? wallClockAt(monotonicMs) : this.clock.now();
    return this.frozenNow;
  }

  /** Let `now` follow the clock again. */
  unfreezeTime(): void {
    this.frozenNow = 0;
  }

  /** Database by index; the caller has validated the index. */
  db(index: number): Database {
    return this.databases[index]!;
  }

  /** Exchange the contents of two databases (SWAPDB). */
  swap(a: number, b: number): void {
    const first = this.databases[a]!;
    const second = this.databases[b]!;
    if (this.snapshot !== null) this.snapshot.databasesSwapped(a, b);
    first.swapContents(second);
    this.hooks.databaseModified(first);
    this.hooks.databaseModified(second);
  }

  /** Total number of keys in all databases. */
  get totalKeys(): number {
    let total = 0;
    for (const db of this.databases) total += db.size;
    return total;
  }
}

/**
 * One numbered database. All key access goes through lookupRead/lookupWrite (lazy
 * expiry), all mutations end in touched() or a delete. The keys live in a
 * KeyTable (key-table.ts); this class applies the rules: expiry, access
 * bookkeeping, the snapshot hook, memory accounting and the hooks.
 */
export class Database {
  readonly keyspace: Keyspace;
  readonly id: number;
  private table: KeyTable;
  /** Cursor of the active expiry cycle into the table's list of keys with a TTL. */
  activeExpireCursor: number;
  /** Bytes this database's keys are accounted for (its share of keyspace.usedMemory). */
  usedMemory: number;
  /** The table's structure bytes (KeyTable.structureBytes) as included in usedMemory. */
  private tableBytes: number;
  /** Slot found or stored last: the write epilogue usually concerns it (a hint, checked by name). */
  private lastSlot: number;

  constructor(keyspace: Keyspace, id: number) {
    this.keyspace = keyspace;
    this.id = id;
    this.table = new KeyTable();
    this.activeExpireCursor = 0;
    this.usedMemory = 0;
    this.tableBytes = 0;
    this.lastSlot = -1;
    this.syncTableBytes();
  }

  /** Bring the accounted structure bytes up to date after the table may have resized. */
  private syncTableBytes(): void {
    const bytes = this.table.structureBytes;
    const delta = bytes - this.tableBytes;
    if (delta === 0) return;
    this.tableBytes = bytes;
    this.usedMemory += delta;
    this.keyspace.usedMemory += delta;
  }

  /** Number of keys (including expired keys not yet removed, like Redis' DBSIZE). */
  get size(): number {
    return this.table.size;
  }

  /** Number of keys with a TTL. */
  get volatileCount(): number {
    return this.table.volatileCount;
  }

  /**
   * Bytes of the key table's own structures (the arrays of names and values,
   * the typed columns and the index, no names or values): MEMORY STATS.
   */
  get mainTableBytes(): number {
    return this.table.keyColumnBytes;
  }

  /** Bytes the TTL bookkeeping takes (MEMORY STATS overhead.hashtable.expires). */
  get expiresTableBytes(): number {
    return this.table.volatileColumnBytes;
  }

  /**
   * The table holding this database's keys now, for callers that walk every key
   * by slot (snapshots, AOF rewrite, KEYS). FLUSHDB and SWAPDB replace it; a
   * walker that keeps the old one keeps the keys of the moment it took it
   * (expired ones included: callers filter with isSlotExpired).
   */
  get keyTable(): KeyTable {
    return this.table;
  }

  // ------------------------------------------------------------------ lookup

  /**
   * The slot of `key` if it is live, else -1, applying lazy expiry: a key whose
   * deadline has passed is removed (on a primary) and reported as missing.
   */
  private liveSlot(key: string): number {
    const table = this.table;
    const slot = table.find(key);
    if (slot === -1) return -1;
    // Without keys with a TTL the TTL column is not read (one cache miss less per lookup).
    const at = table.volatileCount === 0 ? -1 : table.volatileIndex[slot]!;
    if (at !== -1 && table.deadlines[at]! <= this.keyspace.now) {
      const mode = this.keyspace.expiryMode;
      if (mode === ExpiryMode.Never) return slot;
      if (mode === ExpiryMode.Delete) this.expireSlot(slot);
      return -1;
    }
    this.lastSlot = slot;
    return slot;
  }

  /** A handle on the key in `slot` of the current table. */
  private entryAt(slot: number): KeyEntry {
    return new KeyEntry(this.table, slot);
  }

  /**
   * The slot of the key `entry` names in this database's table now, or -1 when
   * it is not there (removed, or the handle is from a table since flushed).
   */
  private slotOf(entry: KeyEntry): number {
    return entry.table === this.table ? entry.slot : this.table.find(entry.key);
  }

  /** Call the snapshot hook before the key in `slot` changes, if a snapshot has not visited it. */
  private preserve(slot: number): void {
    const snapshot = this.keyspace.snapshot;
    if (snapshot !== null && this.table.snapshotMark(slot) !== snapshot.epoch)
      snapshot.preserve(this, this.entryAt(slot));
  }

  /**
   * Value of `key` for a read command, or undefined. Counts a hit or a miss and
   * refreshes the access time.
   */
  lookupRead(key: string): RedisValue | undefined {
    const slot = this.readSlot(key);
    return slot === -1 ? undefined : this.table.valueAt(slot);
  }

  /**
   * lookupRead() returning what the key holds as it is: a string in compact form
   * (number, bigint or latin1 string) comes back bare instead of in a new
   * RedisString, so a read-only reply (GET, MGET) allocates nothing. The result
   * must not be kept or edited.
   */
  lookupReadStored(key: string): StoredValue | undefined {
    const slot = this.readSlot(key);
    return slot === -1 ? undefined : this.table.values[slot];
  }

  /** The slot of live `key` for a read (-1 when absent), counting the hit or miss and refreshing the access time. */
  private readSlot(key: string): number {
    const slot = this.liveSlot(key);
    if (slot === -1) {
      this.keyspace.misses++;
      this.keyspace.hooks.keyspaceEvent(EventClass.KeyMiss, "keymiss", key, this.id);
      return -1;
    }
    this.keyspace.hits++;
    this.keyspace.recordAccess(this.table, slot);
    return slot;
  }

  /**
   * Value of `key` for a write command, or undefined. No hit/miss accounting.
   * The value is the object the key keeps: in-place edits through it change the key.
   */
  lookupWrite(key: string): RedisValue | undefined {
    const slot = this.lookupWriteSlot(key);
    return slot === -1 ? undefined : writableValue(this.table, slot);
  }

  /**
   * lookupWrite() returning what the key holds as it is: a string in compact
   * form comes back bare (no RedisString is made and stored). To change it, pass
   * the new value to replaceValue(); the caller ends with touched().
   */
  lookupWriteStored(key: string): StoredValue | undefined {
    const slot = this.lookupWriteSlot(key);
    return slot === -1 ? undefined : this.table.values[slot];
  }

  /**
   * Give the existing `key`, just looked up for write, the value `value` as an
   * in-place edit would (INCR on a compact integer): the TTL and the access clock
   * stay. Accounting is left to touched(), which the caller ends with.
   */
  replaceValue(key: string, value: RedisValue | CompactString): void {
    const table = this.table;
    const slot = this.recentSlot(key);
    if (slot === -1) throw new Error(`replaceValue: key '${key}' does not exist`);
    table.values[slot] = compactValue(value);
  }

  /**
   * The slot of `key`, or -1: lastSlot first (a write's lookup, store and
   * epilogue concern the same key, so the hash table is probed once, not three
   * times), checked by name, then the table.
   */
  private recentSlot(key: string): number {
    return this.slotWithHint(key, this.lastSlot);
  }

  /** The slot of `key`, or -1: `hint` (a slot it was seen in, or -1) if it still holds it, else the table's answer. */
  private slotWithHint(key: string, hint: number): number {
    const table = this.table;
    return hint !== -1 && hint < table.size && table.keys[hint] === key ? hint : table.find(key);
  }

  /** What lookupWrite does (lazy expiry, snapshot hook, access bookkeeping) up to the slot, or -1. */
  private lookupWriteSlot(key: string): number {
    const slot = this.liveSlot(key);
    if (slot === -1) return -1;
    this.preserve(slot);
    this.keyspace.recordAccess(this.table, slot);
    return slot;
  }

  /**
   * Entry of `key` for a write command that changes the key but not its value in
   * place (EXPIRE, PERSIST) or only needs to know the key exists (RENAME's
   * destination), or undefined: what lookupWrite does (lazy expiry, snapshot
   * hook, access bookkeeping), leaving a compact string compact.
   */
  lookupWriteEntry(key: string): KeyEntry | undefined {
    const slot = this.lookupWriteSlot(key);
    return slot === -1 ? undefined : this.entryAt(slot);
  }

  /** lookupWriteEntry(key) !== undefined without creating the handle (SET NX / XX). */
  existsForWrite(key: string): boolean {
    return this.lookupWriteSlot(key) !== -1;
  }

  /** Entry of `key` with lazy expiry, without touching stats (TTL, OBJECT, persistence). */
  peekEntry(key: string): KeyEntry | undefined {
    const slot = this.liveSlot(key);
    return slot === -1 ? undefined : this.entryAt(slot);
  }

  /** True when `key` exists (and is not expired). */
  exists(key: string): boolean {
    return this.liveSlot(key) !== -1;
  }

  // ------------------------------------------------------------------ mutation

  /**
   * Store `value` under `key`, replacing any old value. The TTL is removed unless
   * `keepTtl`. Does not call touched(): the caller ends with its own epilogue.
   * `value` may be a string's compact form (RedisString.storedFromBytes).
   */
  set(key: string, value: RedisValue | CompactString, keepTtl = false): void {
    const table = this.table;
    const slot = this.recentSlot(key);
    if (slot === -1) {
      this.addSlot(key, value, table.hashOf(key));
      return;
    }
    this.preserve(slot);
    table.values[slot] = compactValue(value);
    // A new value is a new object to Redis: a fresh LRU clock, but the LFU counter carries over.
    if (!this.keyspace.lfuMode && !this.keyspace.noTouch) table.lru[slot] = lruClock(this.keyspace.now);
    if (!keepTtl && table.volatileCount !== 0 && table.volatileIndex[slot] !== -1) this.clearExpireSlot(slot);
    this.accountSlot(slot);
    this.lastSlot = slot;
  }

  /**
   * Add a key that does not exist yet (the caller checked). Raises the "new"
   * keyspace event, as Redis' dbAdd() does, before the command's own event.
   */
  add(key: string, value: RedisValue): KeyEntry {
    return this.entryAt(this.addSlot(key, value, this.table.hashOf(key)));
  }

  /**
   * add() for a key that may exist (loaders filling a fresh database): one hash
   * computation where exists() then add() take two. Returns the new entry, or
   * null when `key` is there already; the database is then left as it was.
   */
  addNew(key: string, value: RedisValue): KeyEntry | null {
    const hash = this.table.hashOf(key);
    if (this.table.findHashed(key, hash) !== -1) return null;
    return this.entryAt(this.addSlot(key, value, hash));
  }

  /**
   * Make room for `keys` more keys (a loader that read the count from the
   * file's RESIZEDB record; the caller bounds it by what the file can hold):
   * the table takes its final size at once instead of growing by doublings.
   * Memory accounting follows the larger capacities.
   */
  reserve(keys: number): void {
    this.table.reserve(this.table.size + keys);
    this.syncTableBytes();
  }

  /**
   * Add a key read from a file, for a loader filling a database nobody reads
   * until it is done: `stored` is the value in the form the table keeps
   * (compactValue's), `expireAt` its deadline in ms (0 for none). The key is
   * accounted at once (the table's structures at indexLoaded()) but can be
   * found only after indexLoaded(), which also finds a name added twice;
   * nothing else may use the database in between.
   * See KeyTable.appendUnindexed for why.
   */
  appendLoaded(key: string, stored: StoredValue, expireAt: number): void {
    const table = this.table;
    const snapshot = this.keyspace.snapshot;
    const slot = table.appendUnindexed(
      key,
      stored,
      hashKey(key),
      this.keyspace.initialLru(),
      snapshot !== null ? snapshot.epoch : 0,
    );
    if (expireAt !== 0) table.setDeadline(slot, expireAt);
    // The table's own structures are accounted once, by indexLoaded().
    this.accountSlot(slot);
    this.keyspace.hooks.keyspaceEvent(EventClass.New, "new", key, this.id);
  }

  /**
   * Make the keys appendLoaded() added findable. Returns null, or the name of
   * a key added twice (a corrupt file): the database must then be thrown away.
   */
  indexLoaded(): string | null {
    const duplicate = this.table.indexPending();
    this.syncTableBytes();
    return duplicate === -1 ? null : this.table.keys[duplicate]!;
  }

  /** Append `key` (absent, hashing to `hash`): slot, accounting, "new" event. Returns the slot. */
  private addSlot(key: string, value: RedisValue | CompactString, hash: number): number {
    const snapshot = this.keyspace.snapshot;
    const slot = this.table.append(
      key,
      compactValue(value),
      hash,
      this.keyspace.initialLru(),
      snapshot !== null ? snapshot.epoch : 0,
    );
    this.syncTableBytes();
    this.accountSlot(slot);
    this.lastSlot = slot;
    this.keyspace.hooks.keyspaceEvent(EventClass.New, "new", key, this.id);
    return slot;
  }

  /**
   * Remove `key`. Returns true when it existed. Reports keyModified (WATCH); the
   * caller emits the keyspace event and counts dirty.
   */
  delete(key: string): boolean {
    const slot = this.table.find(key);
    if (slot === -1) return false;
    this.removeSlot(slot);
    this.keyspace.hooks.keyModified(this, key);
    return true;
  }

  /**
   * The write epilogue: one call after a command changed `key`. Counts `changes`
   * dirty units, invalidates WATCHers and emits the keyspace event `event` of class
   * `eventClass` (pass an empty event to skip the notification). An int or embstr
   * string value goes back to compact form, so the value object the command got
   * from lookupWrite must not be edited after this call.
   */
  touched(key: string, event: string, eventClass: EventClass, changes = 1): void {
    const table = this.table;
    const slot = this.recentSlot(key);
    if (slot !== -1) {
      const stored = table.values[slot]!;
      if (typeof stored === "object" && stored.type === "string") table.values[slot] = stored.compactForm();
      this.accountSlot(slot);
    }
    this.keyspace.dirty += changes;
    this.keyspace.hooks.keyModified(this, key);
    if (event !== "") this.keyspace.hooks.keyspaceEvent(eventClass, event, key, this.id);
  }

  /** Emit a keyspace event without the other epilogue effects (extra events of one command). */
  notify(key: string, event: string, eventClass: EventClass): void {
    this.keyspace.hooks.keyspaceEvent(eventClass, event, key, this.id);
  }

  /**
   * Bring `entry`'s share of the running memory total up to date with its value
   * (the value reports its own footprint in O(1), see memory-model.ts). No effect
   * when the key is not in this database.
   */
  account(entry: KeyEntry): void {
    const slot = this.slotOf(entry);
    if (slot !== -1) this.accountSlot(slot);
  }

  /**
   * account() for the key in `slot`: its name and value. The table's columns
   * are accounted by capacity (syncTableBytes).
   */
  private accountSlot(slot: number): void {
    const table = this.table;
    const bytes = stringBytes(table.keys[slot]!.length) + valueBytes(table, slot);
    const delta = bytes - table.accountedOf(slot);
    if (delta === 0) return;
    table.setAccounted(slot, bytes);
    this.usedMemory += delta;
    this.keyspace.usedMemory += delta;
  }

  /** Remove every key. Returns how many were removed. */
  flush(): number {
    const removed = this.table.size;
    this.table = new KeyTable();
    this.activeExpireCursor = 0;
    this.lastSlot = -1;
    this.keyspace.usedMemory -= this.usedMemory;
    this.usedMemory = 0;
    this.tableBytes = 0;
    this.syncTableBytes();
    this.keyspace.hooks.databaseModified(this);
    return removed;
  }

  /** Exchange all keys with another database (SWAPDB). */
  swapContents(other: Database): void {
    const table = this.table;
    this.table = other.table;
    other.table = table;
    this.activeExpireCursor = 0;
    other.activeExpireCursor = 0;
    const memory = this.usedMemory;
    this.usedMemory = other.usedMemory;
    other.usedMemory = memory;
    const tableBytes = this.tableBytes;
    this.tableBytes = other.tableBytes;
    other.tableBytes = tableBytes;
    this.lastSlot = -1;
    other.lastSlot = -1;
  }

  /**
   * Mark every key with the snapshot epoch `epoch` (not part of that snapshot):
   * a loader swapping freshly loaded keys in while a snapshot runs.
   */
  markSnapshotVisited(epoch: number): void {
    this.table.markAll(epoch);
  }

  // ------------------------------------------------------------------ expiry

  /** Absolute expiry (ms) of a live key, 0 when it has none, -2 when missing. */
  getExpire(key: string): number {
    const slot = this.liveSlot(key);
    return slot === -1 ? -2 : this.table.deadlineOf(slot);
  }

  /** Set the absolute expiry (ms) of an existing key. */
  setExpire(key: string, expireAt: number): void {
    const slot = this.table.find(key);
    if (slot !== -1) this.setSlotExpire(slot, expireAt);
  }

  /** Set the absolute expiry (ms) of an entry (0 removes it). No effect when the key is not here. */
  setEntryExpire(entry: KeyEntry, expireAt: number): void {
    const slot = this.slotOf(entry);
    if (slot !== -1) this.setSlotExpire(slot, expireAt);
  }

  private setSlotExpire(slot: number, expireAt: number): void {
    if (expireAt === 0) {
      this.clearExpireSlot(slot);
      return;
    }
    this.preserve(slot);
    this.table.setDeadline(slot, expireAt);
    this.syncTableBytes();
  }

  /** Remove the TTL of a key. Returns true when it had one. */
  persist(key: string): boolean {
    const slot = this.liveSlot(key);
    if (slot === -1 || this.table.volatileIndex[slot] === -1) return false;
    this.clearExpireSlot(slot);
    return true;
  }

  private clearExpireSlot(slot: number): void {
    if (this.table.volatileIndex[slot] === -1) return;
    this.preserve(slot);
    this.table.clearDeadline(slot);
    this.syncTableBytes();
  }

  /** Remove the key in `slot`, whose TTL passed, reporting it as expired. */
  private expireSlot(slot: number): void {
    const key = this.table.keys[slot]!;
    this.removeSlot(slot);
    this.keyspace.expiredKeys++;
    const hooks = this.keyspace.hooks;
    hooks.keyModified(this, key);
    hooks.keyspaceEvent(EventClass.Expired, "expired", key, this.id);
    hooks.keyExpired(this, key);
  }

  /**
   * One step of active expiry: test up to `samples` keys with a TTL and remove the
   * expired ones. Returns [sampled, expired]. The cursor walks the TTL list
   * round-robin, so every volatile key is visited within size/samples steps.
   */
  activeExpireStep(samples: number, now: number): [sampled: number, expired: number] {
    let sampled = 0;
    let expired = 0;
    while (sampled < samples && this.table.volatileCount > 0) {
      const table = this.table;
      if (this.activeExpireCursor >= table.volatileCount) this.activeExpireCursor = 0;
      sampled++;
      if (table.deadlines[this.activeExpireCursor]! <= now) {
        // The last key with a TTL moves into this place: test the same index again next.
        this.expireSlot(table.volatileSlots[this.activeExpireCursor]!);
        expired++;
      } else {
        this.activeExpireCursor++;
      }
    }
    return [sampled, expired];
  }

  // ------------------------------------------------------------------ eviction

  // Eviction works on slots (eviction.ts): sampling a key, scoring it and
  // removing it create no handle object and hash no key name, since a cache
  // under pressure evicts about once per write.

  /**
   * The slot of a uniformly random key, or of a random key with a TTL when
   * `volatileOnly`; -1 when there is none. No expiry check (eviction samples
   * what the table holds, as Redis' dictGetSomeKeys does).
   */
  sampleSlot(volatileOnly: boolean): number {
    const table = this.table;
    if (volatileOnly) {
      if (table.volatileCount === 0) return -1;
      return table.volatileSlots[Math.floor(Math.random() * table.volatileCount)]!;
    }
    return table.size === 0 ? -1 : Math.floor(Math.random() * table.size);
  }

  /** Name of the key in `slot` (a slot sampleSlot() or evictionSlotOf() gave). */
  slotKey(slot: number): string {
    return this.table.keys[slot]!;
  }

  /** Access bookkeeping of the key in `slot`: LRU clock, or LFU minutes << 8 | counter. */
  slotLru(slot: number): number {
    return this.table.lru[slot]!;
  }

  /** Absolute deadline (ms) of the key in `slot`, 0 when it has no TTL. */
  slotDeadline(slot: number): number {
    return this.table.deadlineOf(slot);
  }

  /**
   * The slot `key` is in now, or -1 when it is gone; `hint` is the slot it was
   * sampled from, checked first, so a key no removal has moved is found without
   * hashing its name.
   */
  evictionSlotOf(key: string, hint: number): number {
    return this.slotWithHint(key, hint);
  }

  /**
   * Remove the key in `slot` to free memory, with WATCH invalidation and the
   * `evicted` keyspace event, as Redis' performEvictions() does. Returns its
   * name; the caller counts it and propagates the deletion.
   */
  evictSlot(slot: number): string {
    const key = this.table.keys[slot]!;
    this.removeSlot(slot);
    const hooks = this.keyspace.hooks;
    hooks.keyModified(this, key);
    hooks.keyspaceEvent(EventClass.Evicted, "evicted", key, this.id);
    return key;
  }

  // ------------------------------------------------------------------ iteration

  /** A uniformly random live key, or undefined when the database is empty. */
  randomKey(): string | undefined {
    for (let attempts = 0; attempts < 100 && this.table.size > 0; attempts++) {
      const key = this.table.keys[Math.floor(Math.random() * this.table.size)]!;
      if (this.liveSlot(key) !== -1) return key;
    }
    return undefined;
  }

  /**
   * One SCAN step. `cursor` 0 starts an iteration; visits about `count` slots and
   * calls `visit` for each live key; returns the next cursor (0 when done).
   */
  scan(cursor: number, count: number, visit: (entry: KeyEntry) => void): number {
    const table = this.table;
    let position = cursor === 0 || cursor > table.size ? table.size : cursor;
    const stop = position - count > 0 ? position - count : 0;
    const keys: string[] = [];
    while (position > stop) {
      position--;
      keys.push(table.keys[position]!);
    }
    // Lazy expiry may reshuffle slots, so expire only after the walk.
    for (const key of keys) {
      const slot = this.liveSlot(key);
      if (slot !== -1) visit(this.entryAt(slot));
    }
    return position;
  }

  /**
   * A handle on every key (expired ones included; callers filter with
   * isExpired), as a new array: for tests and small walks. Walks over many
   * keys read the columns of keyTable by slot instead.
   */
  entries(): KeyEntry[] {
    const entries: KeyEntry[] = [];
    for (let slot = 0; slot < this.table.size; slot++) entries.push(this.entryAt(slot));
    return entries;
  }

  /** True when the key is past its deadline (for callers that walk entries()). */
  isExpired(entry: KeyEntry): boolean {
    const expireAt = entry.expireAt;
    return expireAt !== 0 && expireAt <= this.keyspace.now;
  }

  /** True when the key in `slot` of keyTable is past its deadline (walks by slot). */
  isSlotExpired(slot: number): boolean {
    const expireAt = this.table.deadlineOf(slot);
    return expireAt !== 0 && expireAt <= this.keyspace.now;
  }

  /** Remove the key in `slot` (snapshot hook first) and give back its accounted bytes. */
  private removeSlot(slot: number): void {
    this.preserve(slot);
    const table = this.table;
    const accounted = table.accountedOf(slot);
    this.usedMemory -= accounted;
    this.keyspace.usedMemory -= accounted;
    table.remove(slot);
    this.syncTableBytes();
  }
}
