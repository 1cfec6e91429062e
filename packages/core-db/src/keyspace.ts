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

import { EncodingLimits } from "./limits.js";
import { ARRAY_SLOT, HEAP_NUMBER, objectBytes, stringBytes } from "./memory-model.js";
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
 * What a key costs beyond its name and value (see memory-model.ts): its slot in
 * the dense array and the KeyEntry object (8 fields). The Map's table is counted
 * by capacity (TABLE_SLOT_BYTES), as V8 sizes it.
 */
const KEY_ENTRY_BYTES = ARRAY_SLOT + objectBytes(8);
/**
 * One slot of a Map's table (V8's OrderedHashMap: key, value and chain words,
 * and half a bucket word). The table doubles when full and halves when less than
 * a quarter full, so deleting keys gives back table memory only past that point.
 */
const TABLE_SLOT_BYTES = 28;
/** Smallest table a Map keeps. */
const TABLE_MIN_CAPACITY = 4;
/** What a TTL adds: a slot in the volatile array and the boxed deadline. */
const VOLATILE_BYTES = ARRAY_SLOT + HEAP_NUMBER;

/** One key of a database. Exported for persistence (snapshotting) and tests. */
export class KeyEntry {
  readonly key: string;
  /**
   * The value, or the bare number / JS string of an int or embstr string value
   * (see compactValue in types/string.ts): most keys hold short strings, and the
   * RedisString object around them would cost as much as the data.
   */
  private stored: RedisValue | CompactString;
  /** Absolute expiry in ms since the epoch, or 0 for none. */
  expireAt: number;
  /** Index in Database.slots. */
  slot: number;
  /** Index in Database.volatile, or -1. */
  volatileSlot: number;
  /**
   * Access bookkeeping on 24 bits, as Redis' robj.lru: under an LRU (or no)
   * policy the LRU clock of the last access in seconds (lruClock); under an LFU
   * policy the minutes of the last decrement << 8 | an 8-bit logarithmic counter.
   */
  lru: number;
  /** Bytes this key is accounted for in the keyspace's running total (name, entry, value). */
  accounted: number;
  /** Epoch of the snapshot that has visited (or excluded) this entry; 0 for none (see snapshot.ts). */
  snapshotEpoch: number;

  constructor(key: string, value: RedisValue, lru: number) {
    this.key = key;
    this.stored = compactValue(value);
    this.expireAt = 0;
    this.slot = -1;
    this.volatileSlot = -1;
    this.lru = lru;
    this.accounted = 0;
    this.snapshotEpoch = 0;
  }

  /**
   * The value, to read. A string held in compact form comes back in a fresh
   * RedisString: editing it in place does not change the key (lookupWrite and
   * writableValue() hand out the stored object).
   */
  get value(): RedisValue {
    const stored = this.stored;
    return typeof stored === "object" ? stored : expandCompactString(stored);
  }

  /** Store `value` (int and embstr strings in compact form). */
  set value(value: RedisValue) {
    this.stored = compactValue(value);
  }

  /**
   * The value as an object the key keeps, so that in-place edits through it
   * (INCR, APPEND, SETBIT ...) change the key. A compact string is expanded
   * into its RedisString object for good (until the next SET stores a new value).
   */
  writableValue(): RedisValue {
    const stored = this.stored;
    if (typeof stored === "object") return stored;
    const value = expandCompactString(stored);
    this.stored = value;
    return value;
  }

  /**
   * Hold an int or embstr string value in compact form again (after INCR, or a
   * lookupWrite that did not edit it). The write epilogue calls this: an object
   * lookupWrite handed out no longer edits the key afterwards.
   */
  compact(): void {
    const stored = this.stored;
    if (typeof stored === "object" && stored.type === "string") this.stored = stored.compactForm();
  }

  /** Bytes the value holds (memory-model.ts), for the compact form too. O(1). */
  valueBytes(): number {
    const stored = this.stored;
    return typeof stored === "object" ? stored.memoryUsage() : compactStringBytes(stored);
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
  }

  /** The access bookkeeping a new key starts with (see KeyEntry.lru). */
  initialLru(): number {
    const now = this.now;
    return this.lfuMode ? (lfuMinutes(now) << 8) | LFU_INIT_VAL : lruClock(now);
  }

  /**
   * Record an access to `entry` (Redis' lookupKey side effect): the LRU clock, or
   * the decayed-then-incremented LFU counter. Skipped in no-touch mode.
   */
  recordAccess(entry: KeyEntry): void {
    if (this.noTouch) return;
    const now = this.now;
    if (this.lfuMode) {
      const counter = lfuLogIncrement(
        lfuDecayedCounter(entry.lru, now, this.lfuDecayTime),
        this.lfuLogFactor,
      );
      entry.lru = (lfuMinutes(now) << 8) | counter;
    } else {
      entry.lru = lruClock(now);
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
 * expiry), all mutations end in touched() or a delete.
 */
export class Database {
  readonly keyspace: Keyspace;
  readonly id: number;
  private entries: Map<string, KeyEntry>;
  private slots: KeyEntry[];
  private volatile: KeyEntry[];
  /** Cursor of the active expiry cycle into `volatile`. */
  activeExpireCursor: number;
  /** Bytes this database's keys are accounted for (its share of keyspace.usedMemory). */
  usedMemory: number;
  /** Modelled capacity of the `entries` Map's table (see TABLE_SLOT_BYTES). */
  private tableCapacity: number;
  /** The entry found or stored last: the write epilogue usually concerns it. */
  private lastEntry: KeyEntry | null;

  constructor(keyspace: Keyspace, id: number) {
    this.keyspace = keyspace;
    this.id = id;
    this.entries = new Map();
    this.slots = [];
    this.volatile = [];
    this.activeExpireCursor = 0;
    this.usedMemory = 0;
    this.lastEntry = null;
    this.tableCapacity = 0;
    this.resizeTable(TABLE_MIN_CAPACITY);
  }

  /** Account the Map's table at `capacity` slots. */
  private resizeTable(capacity: number): void {
    const delta = (capacity - this.tableCapacity) * TABLE_SLOT_BYTES;
    this.tableCapacity = capacity;
    this.usedMemory += delta;
    this.keyspace.usedMemory += delta;
  }

  /** Number of keys (including expired keys not yet removed, like Redis' DBSIZE). */
  get size(): number {
    return this.slots.length;
  }

  /** Number of keys with a TTL. */
  get volatileCount(): number {
    return this.volatile.length;
  }

  /** Bytes of the key table's own structures (entries and Map table, no names or values): MEMORY STATS. */
  get mainTableBytes(): number {
    return this.slots.length * KEY_ENTRY_BYTES + this.tableCapacity * TABLE_SLOT_BYTES;
  }

  /** Bytes the TTL bookkeeping takes (MEMORY STATS overhead.hashtable.expires). */
  get expiresTableBytes(): number {
    return this.volatile.length * VOLATILE_BYTES;
  }

  // ------------------------------------------------------------------ lookup

  /**
   * The live entry of `key` or undefined, applying lazy expiry: a key whose
   * deadline has passed is removed (on a primary) and reported as missing.
   */
  private liveEntry(key: string): KeyEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expireAt !== 0 && entry.expireAt <= this.keyspace.now) {
      const mode = this.keyspace.expiryMode;
      if (mode === ExpiryMode.Never) return entry;
      if (mode === ExpiryMode.Delete) this.expireEntry(entry);
      return undefined;
    }
    this.lastEntry = entry;
    return entry;
  }

  /**
   * Value of `key` for a read command, or undefined. Counts a hit or a miss and
   * refreshes the access time.
   */
  lookupRead(key: string): RedisValue | undefined {
    const entry = this.liveEntry(key);
    if (entry === undefined) {
      this.keyspace.misses++;
      this.keyspace.hooks.keyspaceEvent(EventClass.KeyMiss, "keymiss", key, this.id);
      return undefined;
    }
    this.keyspace.hits++;
    this.keyspace.recordAccess(entry);
    return entry.value;
  }

  /**
   * Value of `key` for a write command, or undefined. No hit/miss accounting.
   * The value is the object the key keeps: in-place edits through it change the key.
   */
  lookupWrite(key: string): RedisValue | undefined {
    const entry = this.lookupWriteEntry(key);
    return entry === undefined ? undefined : entry.writableValue();
  }

  /**
   * Entry of `key` for a write command that changes the key but not its value in
   * place (EXPIRE, PERSIST) or only needs to know the key exists (SET NX, RENAME's
   * destination), or undefined: what lookupWrite does (lazy expiry, snapshot hook,
   * access bookkeeping), leaving a compact string compact.
   */
  lookupWriteEntry(key: string): KeyEntry | undefined {
    const entry = this.liveEntry(key);
    if (entry === undefined) return undefined;
    const snapshot = this.keyspace.snapshot;
    if (snapshot !== null && entry.snapshotEpoch !== snapshot.epoch) snapshot.preserve(this, entry);
    this.keyspace.recordAccess(entry);
    return entry;
  }

  /** Entry of `key` with lazy expiry, without touching stats (TTL, OBJECT, persistence). */
  peekEntry(key: string): KeyEntry | undefined {
    return this.liveEntry(key);
  }

  /** True when `key` exists (and is not expired). */
  exists(key: string): boolean {
    return this.liveEntry(key) !== undefined;
  }

  // ------------------------------------------------------------------ mutation

  /**
   * Store `value` under `key`, replacing any old value. The TTL is removed unless
   * `keepTtl`. Does not call touched(): the caller ends with its own epilogue.
   */
  set(key: string, value: RedisValue, keepTtl = false): KeyEntry {
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      const snapshot = this.keyspace.snapshot;
      if (snapshot !== null && existing.snapshotEpoch !== snapshot.epoch) snapshot.preserve(this, existing);
      existing.value = value;
      // A new value is a new object to Redis: a fresh LRU clock, but the LFU counter carries over.
      if (!this.keyspace.lfuMode && !this.keyspace.noTouch) existing.lru = lruClock(this.keyspace.now);
      if (!keepTtl && existing.expireAt !== 0) this.clearExpire(existing);
      this.account(existing);
      this.lastEntry = existing;
      return existing;
    }
    return this.add(key, value);
  }

  /**
   * Add a key that does not exist yet (the caller checked). Raises the "new"
   * keyspace event, as Redis' dbAdd() does, before the command's own event.
   */
  add(key: string, value: RedisValue): KeyEntry {
    const entry = new KeyEntry(key, value, this.keyspace.initialLru());
    this.entries.set(key, entry);
    return this.registerAdded(entry);
  }

  /**
   * add() for a key that may exist (loaders filling a fresh database): one hash
   * lookup where exists() then add() take two. Returns the new entry, or null
   * when `key` is there already; the database is then left as it was (putting
   * the old entry back scans the keys, on a path that ends a load).
   */
  addNew(key: string, value: RedisValue): KeyEntry | null {
    const entries = this.entries;
    const sizeBefore = entries.size;
    const entry = new KeyEntry(key, value, this.keyspace.initialLru());
    entries.set(key, entry);
    if (entries.size === sizeBefore) {
      for (const existing of this.slots) if (existing.key === key) entries.set(key, existing);
      return null;
    }
    return this.registerAdded(entry);
  }

  /** The rest of adding `entry`, already in `entries`: slot, accounting, "new" event. */
  private registerAdded(entry: KeyEntry): KeyEntry {
    const snapshot = this.keyspace.snapshot;
    if (snapshot !== null) entry.snapshotEpoch = snapshot.epoch;
    entry.slot = this.slots.length;
    this.slots.push(entry);
    if (this.slots.length > this.tableCapacity) this.resizeTable(this.tableCapacity * 2);
    this.account(entry);
    this.lastEntry = entry;
    this.keyspace.hooks.keyspaceEvent(EventClass.New, "new", entry.key, this.id);
    return entry;
  }

  /**
   * Remove `key`. Returns true when it existed. Reports keyModified (WATCH); the
   * caller emits the keyspace event and counts dirty.
   */
  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.removeEntry(entry);
    this.keyspace.hooks.keyModified(this, key);
    return true;
  }

  /**
   * The write epilogue: one call after a command changed `key`. Counts `changes`
   * dirty units, invalidates WATCHers and emits the keyspace event `event` of class
   * `eventClass` (pass an empty event to skip the notification). An int or embstr
   * string value goes back to compact form (KeyEntry.compact), so the value object
   * the command got from lookupWrite must not be edited after this call.
   */
  touched(key: string, event: string, eventClass: EventClass, changes = 1): void {
    let entry = this.lastEntry;
    if (entry === null || entry.key !== key || entry.slot === -1) entry = this.entries.get(key) ?? null;
    if (entry !== null) {
      entry.compact();
      this.account(entry);
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
   * (the value reports its own footprint in O(1), see memory-model.ts).
   */
  account(entry: KeyEntry): void {
    const bytes = KEY_ENTRY_BYTES + stringBytes(entry.key.length) + entry.valueBytes();
    const delta = bytes - entry.accounted;
    if (delta === 0) return;
    entry.accounted = bytes;
    this.usedMemory += delta;
    this.keyspace.usedMemory += delta;
  }

  /** Remove every key. Returns how many were removed. */
  flush(): number {
    const removed = this.slots.length;
    this.entries = new Map();
    this.slots = [];
    this.volatile = [];
    this.activeExpireCursor = 0;
    this.lastEntry = null;
    this.keyspace.usedMemory -= this.usedMemory;
    this.usedMemory = 0;
    this.tableCapacity = 0;
    this.resizeTable(TABLE_MIN_CAPACITY);
    this.keyspace.hooks.databaseModified(this);
    return removed;
  }

  /** Exchange all keys with another database (SWAPDB). */
  swapContents(other: Database): void {
    const entries = this.entries;
    const slots = this.slots;
    const volatile = this.volatile;
    this.entries = other.entries;
    this.slots = other.slots;
    this.volatile = other.volatile;
    other.entries = entries;
    other.slots = slots;
    other.volatile = volatile;
    this.activeExpireCursor = 0;
    other.activeExpireCursor = 0;
    const memory = this.usedMemory;
    this.usedMemory = other.usedMemory;
    other.usedMemory = memory;
    const capacity = this.tableCapacity;
    this.tableCapacity = other.tableCapacity;
    other.tableCapacity = capacity;
    this.lastEntry = null;
    other.lastEntry = null;
  }

  // ------------------------------------------------------------------ expiry

  /** Absolute expiry (ms) of a live key, 0 when it has none, -2 when missing. */
  getExpire(key: string): number {
    const entry = this.liveEntry(key);
    if (entry === undefined) return -2;
    return entry.expireAt;
  }

  /** Set the absolute expiry (ms) of an existing key. */
  setExpire(key: string, expireAt: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.setEntryExpire(entry, expireAt);
  }

  /** Set the absolute expiry (ms) of an entry (0 removes it). */
  setEntryExpire(entry: KeyEntry, expireAt: number): void {
    const snapshot = this.keyspace.snapshot;
    if (snapshot !== null && entry.snapshotEpoch !== snapshot.epoch) snapshot.preserve(this, entry);
    if (expireAt === 0) {
      this.clearExpire(entry);
      return;
    }
    if (entry.volatileSlot === -1) {
      entry.volatileSlot = this.volatile.length;
      this.volatile.push(entry);
      this.usedMemory += VOLATILE_BYTES;
      this.keyspace.usedMemory += VOLATILE_BYTES;
    }
    entry.expireAt = expireAt;
  }

  /** Remove the TTL of a key. Returns true when it had one. */
  persist(key: string): boolean {
    const entry = this.liveEntry(key);
    if (entry === undefined || entry.expireAt === 0) return false;
    this.clearExpire(entry);
    return true;
  }

  private clearExpire(entry: KeyEntry): void {
    if (entry.volatileSlot === -1) return;
    const snapshot = this.keyspace.snapshot;
    if (snapshot !== null && entry.snapshotEpoch !== snapshot.epoch) snapshot.preserve(this, entry);
    const last = this.volatile.pop()!;
    if (last !== entry) {
      this.volatile[entry.volatileSlot] = last;
      last.volatileSlot = entry.volatileSlot;
    }
    entry.volatileSlot = -1;
    entry.expireAt = 0;
    this.usedMemory -= VOLATILE_BYTES;
    this.keyspace.usedMemory -= VOLATILE_BYTES;
  }

  /** Remove an entry whose TTL passed, reporting it as expired. */
  private expireEntry(entry: KeyEntry): void {
    this.removeEntry(entry);
    this.keyspace.expiredKeys++;
    const hooks = this.keyspace.hooks;
    hooks.keyModified(this, entry.key);
    hooks.keyspaceEvent(EventClass.Expired, "expired", entry.key, this.id);
    hooks.keyExpired(this, entry.key);
  }

  /**
   * One step of active expiry: test up to `samples` keys with a TTL and remove the
   * expired ones. Returns [sampled, expired]. The cursor walks `volatile`
   * round-robin, so every volatile key is visited within size/samples steps.
   */
  activeExpireStep(samples: number, now: number): [sampled: number, expired: number] {
    const volatile = this.volatile;
    let sampled = 0;
    let expired = 0;
    while (sampled < samples && volatile.length > 0) {
      if (this.activeExpireCursor >= volatile.length) this.activeExpireCursor = 0;
      const entry = volatile[this.activeExpireCursor]!;
      sampled++;
      if (entry.expireAt <= now) {
        // The last entry moves into this slot: test the same index again next.
        this.expireEntry(entry);
        expired++;
      } else {
        this.activeExpireCursor++;
      }
    }
    return [sampled, expired];
  }

  // ------------------------------------------------------------------ eviction

  /**
   * A uniformly random entry among all keys, or among the keys with a TTL when
   * `volatileOnly`; undefined when there is none. No expiry check (eviction samples
   * what the tables hold, as Redis' dictGetSomeKeys does).
   */
  sampleEntry(volatileOnly: boolean): KeyEntry | undefined {
    const table = volatileOnly ? this.volatile : this.slots;
    if (table.length === 0) return undefined;
    return table[Math.floor(Math.random() * table.length)];
  }

  /** The entry of `key` as stored (no expiry check, no stats), for eviction. */
  storedEntry(key: string): KeyEntry | undefined {
    return this.entries.get(key);
  }

  /**
   * Remove `entry` to free memory: WATCH invalidation and the `evicted` keyspace
   * event, as Redis' performEvictions() does. The caller counts it and propagates
   * the deletion.
   */
  evictEntry(entry: KeyEntry): void {
    this.removeEntry(entry);
    const hooks = this.keyspace.hooks;
    hooks.keyModified(this, entry.key);
    hooks.keyspaceEvent(EventClass.Evicted, "evicted", entry.key, this.id);
  }

  // ------------------------------------------------------------------ iteration

  /** A uniformly random live key, or undefined when the database is empty. */
  randomKey(): string | undefined {
    for (let attempts = 0; attempts < 100 && this.slots.length > 0; attempts++) {
      const entry = this.slots[Math.floor(Math.random() * this.slots.length)]!;
      if (this.liveEntry(entry.key) !== undefined) return entry.key;
    }
    return undefined;
  }

  /**
   * One SCAN step. `cursor` 0 starts an iteration; visits about `count` slots and
   * calls `visit` for each live key; returns the next cursor (0 when done).
   */
  scan(cursor: number, count: number, visit: (entry: KeyEntry) => void): number {
    let position = cursor === 0 || cursor > this.slots.length ? this.slots.length : cursor;
    const stop = position - count > 0 ? position - count : 0;
    const live: KeyEntry[] = [];
    while (position > stop) {
      position--;
      const entry = this.slots[position];
      if (entry !== undefined) live.push(entry);
    }
    // Lazy expiry may reshuffle slots, so expire only after the walk.
    for (const entry of live) {
      if (this.liveEntry(entry.key) === entry) visit(entry);
    }
    return position;
  }

  /**
   * Every entry, for snapshots and KEYS (expired ones included; callers filter).
   * The live list: new keys are appended, a removal fills its hole with the last
   * entry, and flush() / swaps replace the list (snapshots walk it relying on that).
   */
  allEntries(): readonly KeyEntry[] {
    return this.slots;
  }

  /** True when the key is past its deadline (for callers that walk allEntries()). */
  isExpired(entry: KeyEntry): boolean {
    return entry.expireAt !== 0 && entry.expireAt <= this.keyspace.now;
  }

  private removeEntry(entry: KeyEntry): void {
    const snapshot = this.keyspace.snapshot;
    if (snapshot !== null && entry.snapshotEpoch !== snapshot.epoch) snapshot.preserve(this, entry);
    this.entries.delete(entry.key);
    this.usedMemory -= entry.accounted;
    this.keyspace.usedMemory -= entry.accounted;
    entry.accounted = 0;
    if (this.lastEntry === entry) this.lastEntry = null;
    const last = this.slots.pop()!;
    if (last !== entry) {
      this.slots[entry.slot] = last;
      last.slot = entry.slot;
    }
    entry.slot = -1;
    if (entry.volatileSlot !== -1) this.clearExpire(entry);
    const capacity = this.tableCapacity;
    if (capacity > TABLE_MIN_CAPACITY && this.slots.length < capacity >>> 2) this.resizeTable(capacity >>> 1);
  }
}
