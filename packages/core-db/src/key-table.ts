/*
 * The storage of one database's keys: parallel columns indexed by a dense slot
 * number, and an open-addressing hash index from key to slot.
 *
 * HOT PATH. Every key lookup probes the index.
 *
 * Why columns: a key costs its name, its value and a few numbers (access clock,
 * accounted bytes, snapshot mark, TTL link). Held in one object per key they
 * cost a 24-byte header and an 8-byte word per field on top, plus a JS Map's
 * table; held in typed arrays they cost 2 to 4 bytes each, in two JS arrays (names
 * and values) 8 bytes each.
 *
 * Slots are dense (0 .. size-1): a new key takes slot `size`, a removal moves
 * the last key into the hole (swap-removal). SCAN, random sampling, the
 * snapshot walk and active expiry rely on that (see keyspace.ts).
 *
 * The index is an Int32Array of power-of-two capacity, at most
 * INDEX_MAX_LOAD_TENTHS / 10 full, probed linearly from the key's hash (its low
 * bits). A bucket holds slot+1 in its low bits (below the capacity, so 0 means
 * empty) and the hash's high bits above them as a tag: a probe compares the
 * tag before it reads the key string, so buckets of other keys cost no memory
 * access beyond the index's cache line. Removal shifts the following entries
 * of the run back (no tombstones), so a probe always ends at the first empty
 * bucket. Each key's 32-bit hash is also kept in a column, so that removal
 * finds home buckets and growing the index never re-reads the names.
 *
 * Keys with a TTL are listed in a second dense array (`volatileSlots`, with
 * their deadlines beside them in `deadlines`); `volatileIndex[slot]` links a key
 * to its place there, or is -1. Keys without a TTL pay 4 bytes for that link.
 */

import { type CompactString, expandCompactString } from "./types/string.js";
import type { RedisValue } from "./value.js";

/** What a key's value column holds: the value, or an int / embstr string in compact form. */
export type StoredValue = RedisValue | CompactString;

/** Typed columns start with this many slots (and never shrink below). */
const MIN_CAPACITY = 8;
/** The index starts with this many buckets (and never shrinks below). */
const MIN_INDEX_CAPACITY = 16;
/** The index grows past this share of used buckets (as tenths). */
const INDEX_MAX_LOAD_TENTHS = 7;
/** indexPending() orders keys by the region of the index their home bucket is in: at most this many regions. */
const INDEX_REGIONS = 16384;
/** The index halves when its load falls under its maximum load divided by this. */
const INDEX_SHRINK_DIVISOR = 4;

/**
 * Bytes per slot of the typed key columns: hash, access clock and TTL link (4
 * each) and accounted bytes (2: larger sizes live in a side map).
 */
export const KEY_COLUMN_BYTES = 14;
/** Bytes per slot of the snapshot mark column, once a snapshot has used it. */
const MARK_COLUMN_BYTES = 4;
/** Bytes per element of the JS arrays of names and values (8-byte pointers). */
const ARRAY_ELEMENT_BYTES = 8;
/** A JS array object with its backing store's header. */
const ARRAY_OBJECTS = 48;
/** The JS arrays are copied to a tight store when less than this share (as a divisor) of it is used. */
const ARRAY_TRIM_DIVISOR = 3;
/**
 * What one key adds to the table's structures once they are full: its slots in
 * the arrays of names and values, its typed columns and one index bucket
 * (MEMORY USAGE's per-key share; the running total counts real capacities).
 */
export const KEY_SLOT_BYTES = 2 * 8 + KEY_COLUMN_BYTES + 4;
/** Bytes per slot of the TTL list: the key's slot (4) and its deadline (8). */
export const VOLATILE_COLUMN_BYTES = 12;
/** Bytes per bucket of the index. */
export const INDEX_BUCKET_BYTES = 4;
/** A typed array's own objects (JSTypedArray + JSArrayBuffer) beyond its bytes. */
export const TYPED_ARRAY_OBJECTS = 216;
/** Number of typed arrays a table holds (four key columns, two TTL columns, the index). */
const TYPED_ARRAYS = 7;

/**
 * The accounted column holds sizes below this; a key of this size or more (a
 * value of 64 KB and up, whose own size dwarfs a map entry) is marked with it
 * and its size kept in a side map.
 */
const ACCOUNTED_OVERFLOW = 0xffff;

/** A per-process seed, so that nobody can prepare keys that collide here. */
const HASH_SEED = (Math.random() * 0x100000000) | 0;

/**
 * The 32-bit hash of `key` (MurmurHash3's mixing over pairs of UTF-16 code
 * units, seeded per process). Keys are latin1 strings, so a pair is 2 bytes.
 */
export function hashKey(key: string): number {
  const length = key.length;
  let h = HASH_SEED ^ length;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    let k = key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < length) {
    let k = key.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * The keys of one database as columns (see the file comment). Knows nothing of
 * expiry rules, hooks or accounting policy: Database (keyspace.ts) drives it.
 * FLUSHDB gives a database a new table; SWAPDB exchanges tables; a snapshot
 * keeps walking the table it started with.
 */
export class KeyTable {
  /** Number of keys: slots 0 .. size-1 are in use. */
  size: number;
  /** Slots the typed columns hold. */
  capacity: number;
  /** Key names, by slot. */
  keys: string[];
  /** Values (or compact strings), by slot. */
  values: StoredValue[];
  /**
   * Elements the backing stores of `keys` and `values` hold, by V8's rule for
   * a push beyond the store (new length * 1.5 + 16). A removal never shrinks
   * them, so when few are used the arrays are copied to tight stores.
   */
  private arrayCapacity: number;
  /** hashKey() of each key. */
  hashes: Int32Array;
  /** Access bookkeeping on 24 bits (Redis' robj.lru: LRU clock, or LFU minutes << 8 | counter). */
  lru: Uint32Array;
  /** Bytes each key is accounted for (ACCOUNTED_OVERFLOW: see accountedOverflow). */
  accountedColumn: Uint16Array;
  /**
   * Epoch of the snapshot that has visited (or excluded) each key, 0 for none
   * (snapshot.ts); null until a snapshot first marks a key of this table, so a
   * server that never snapshots does not pay for the column.
   */
  private snapshotMarks: Uint32Array | null;
  /** Each key's place in volatileSlots, or -1 when it has no TTL. */
  volatileIndex: Int32Array;
  /** Number of keys with a TTL. */
  volatileCount: number;
  /** Slots of the keys with a TTL (dense, swap-removal like the slots). */
  volatileSlots: Int32Array;
  /** Absolute deadline (ms) of each volatile key, beside volatileSlots. */
  deadlines: Float64Array;
  /** Hash index: per bucket the hash's bits above `mask` | slot+1, 0 for empty. */
  private index: Int32Array;
  private mask: number;
  /** Accounted sizes of ACCOUNTED_OVERFLOW bytes and more, by key. */
  private accountedOverflow: Map<string, number> | null;
  /** Exact deadlines beyond 2^53 ms, by key (see exactDeadline). */
  private exactDeadlines: Map<string, bigint> | null;
  /** Slots from here to `size` are in the columns but not yet in the index (a bulk load); -1 when none. */
  private unindexedFrom: number;
  /** The key find() hashed last, and its hash. */
  private lastHashedKey: string;
  private lastHash: number;

  constructor() {
    this.size = 0;
    this.capacity = MIN_CAPACITY;
    this.keys = [];
    this.values = [];
    this.arrayCapacity = 0;
    this.hashes = new Int32Array(MIN_CAPACITY);
    this.lru = new Uint32Array(MIN_CAPACITY);
    this.accountedColumn = new Uint16Array(MIN_CAPACITY);
    this.snapshotMarks = null;
    this.volatileIndex = new Int32Array(MIN_CAPACITY);
    this.volatileCount = 0;
    this.volatileSlots = new Int32Array(MIN_CAPACITY);
    this.deadlines = new Float64Array(MIN_CAPACITY);
    this.index = new Int32Array(MIN_INDEX_CAPACITY);
    this.mask = MIN_INDEX_CAPACITY - 1;
    this.accountedOverflow = null;
    this.exactDeadlines = null;
    this.unindexedFrom = -1;
    this.lastHashedKey = "";
    this.lastHash = hashKey("");
  }

  /**
   * Bytes of the table's own structures at their current capacities: the
   * JS arrays of names and values, the typed columns, the TTL list and the
   * index (the names and values themselves are accounted per key).
   */
  get structureBytes(): number {
    return (
      this.keyColumnBytes +
      this.volatileSlots.length * VOLATILE_COLUMN_BYTES +
      TYPED_ARRAYS * TYPED_ARRAY_OBJECTS
    );
  }

  /** Bytes of the key columns and index (MEMORY STATS' main table, without names and values). */
  get keyColumnBytes(): number {
    const marks = this.snapshotMarks === null ? 0 : TYPED_ARRAY_OBJECTS + this.capacity * MARK_COLUMN_BYTES;
    return (
      2 * (ARRAY_OBJECTS + this.arrayCapacity * ARRAY_ELEMENT_BYTES) +
      this.capacity * KEY_COLUMN_BYTES +
      marks +
      this.index.length * INDEX_BUCKET_BYTES
    );
  }

  /** Bytes of the TTL list. */
  get volatileColumnBytes(): number {
    return this.volatileSlots.length * VOLATILE_COLUMN_BYTES;
  }

  // ---------------------------------------------------------------- lookup

  /**
   * Slot of `key`, or -1. The hash of the last key looked up is kept: a write
   * command looks its key up two or three times (exists, set, epilogue).
   */
  find(key: string): number {
    return this.findHashed(key, this.hashOf(key));
  }

  /** hashKey(key), remembered for the last key asked. */
  hashOf(key: string): number {
    if (key !== this.lastHashedKey) {
      this.lastHashedKey = key;
      this.lastHash = hashKey(key);
    }
    return this.lastHash;
  }

  /** Slot of `key` whose hashKey() is `hash`, or -1. */
  findHashed(key: string, hash: number): number {
    const index = this.index;
    const mask = this.mask;
    const keys = this.keys;
    const tag = hash & ~mask;
    let bucket = hash & mask;
    for (;;) {
      const stored = index[bucket]!;
      if (stored === 0) return -1;
      if ((stored & ~mask) === tag) {
        const slot = (stored & mask) - 1;
        if (keys[slot] === key) return slot;
      }
      bucket = (bucket + 1) & mask;
    }
  }

  /**
   * The value in `slot`, to read: a compact string comes back in a fresh
   * RedisString (editing it does not change the key).
   */
  valueAt(slot: number): RedisValue {
    const stored = this.values[slot]!;
    return typeof stored === "object" ? stored : expandCompactString(stored);
  }

  /** Epoch of the snapshot that has visited (or excluded) the key in `slot`, 0 for none. */
  snapshotMark(slot: number): number {
    return this.snapshotMarks === null ? 0 : this.snapshotMarks[slot]!;
  }

  /** Mark the key in `slot` as visited (or excluded) by the snapshot of epoch `epoch`. */
  setSnapshotMark(slot: number, epoch: number): void {
    if (this.snapshotMarks === null) {
      if (epoch === 0) return;
      this.snapshotMarks = new Uint32Array(this.capacity);
    }
    this.snapshotMarks[slot] = epoch;
  }

  /** Mark every key with `epoch` (keys loaded while a snapshot runs are not part of it). */
  markAll(epoch: number): void {
    if (this.snapshotMarks === null) this.snapshotMarks = new Uint32Array(this.capacity);
    this.snapshotMarks.fill(epoch, 0, this.size);
  }

  /** Deadline (ms) of the key in `slot`, 0 when it has no TTL. */
  deadlineOf(slot: number): number {
    const at = this.volatileCount === 0 ? -1 : this.volatileIndex[slot]!;
    return at === -1 ? 0 : this.deadlines[at]!;
  }

  /** Accounted bytes of the key in `slot`. */
  accountedOf(slot: number): number {
    const bytes = this.accountedColumn[slot]!;
    return bytes !== ACCOUNTED_OVERFLOW ? bytes : this.accountedOverflow!.get(this.keys[slot]!)!;
  }

  /** Record `bytes` as the accounted size of the key in `slot`. */
  setAccounted(slot: number, bytes: number): void {
    if (bytes < ACCOUNTED_OVERFLOW) {
      if (this.accountedColumn[slot] === ACCOUNTED_OVERFLOW) this.accountedOverflow!.delete(this.keys[slot]!);
      this.accountedColumn[slot] = bytes;
      return;
    }
    this.accountedColumn[slot] = ACCOUNTED_OVERFLOW;
    if (this.accountedOverflow === null) this.accountedOverflow = new Map();
    this.accountedOverflow.set(this.keys[slot]!, bytes);
  }

  /**
   * The exact deadline of the key in `slot` when one beyond 2^53 ms was
   * recorded for its current deadline, else undefined. Any deadline change or
   * removal forgets it.
   */
  exactDeadline(slot: number): bigint | undefined {
    return this.exactDeadlines === null ? undefined : this.exactDeadlines.get(this.keys[slot]!);
  }

  /** Remember `exact` as the deadline of the key in `slot` (its rounded deadline is already set). */
  setExactDeadline(slot: number, exact: bigint): void {
    if (this.exactDeadlines === null) this.exactDeadlines = new Map();
    this.exactDeadlines.set(this.keys[slot]!, exact);
  }

  // ---------------------------------------------------------------- mutation

  /**
   * Append a key that is not in the table (the caller checked) with its value,
   * hash and access clock. Returns its slot.
   */
  append(key: string, value: StoredValue, hash: number, lru: number, epoch: number): number {
    const slot = this.appendColumns(key, value, hash, lru, epoch);
    if (this.size * 10 > this.index.length * INDEX_MAX_LOAD_TENTHS) this.rebuildIndex(this.index.length * 2);
    else this.place(hash, slot);
    return slot;
  }

  /**
   * append() without the index: for a loader filling a table nobody reads
   * until it is done. The key is in the columns but cannot be found until
   * indexPending() has run; nothing else may use the table in between.
   * Placing each key as it comes touches a random bucket of an index far
   * larger than the CPU caches; indexPending() places them all in bucket order.
   */
  appendUnindexed(key: string, value: StoredValue, hash: number, lru: number, epoch: number): number {
    if (this.unindexedFrom === -1) this.unindexedFrom = this.size;
    return this.appendColumns(key, value, hash, lru, epoch);
  }

  /** The column half of append(): the key's row in every column, at slot `size`. Returns the slot. */
  private appendColumns(key: string, value: StoredValue, hash: number, lru: number, epoch: number): number {
    const slot = this.size;
    if (slot === this.capacity) this.resizeColumns(this.capacity * 2);
    this.keys.push(key);
    this.values.push(value);
    if (slot >= this.arrayCapacity) this.arrayCapacity = slot + 1 + ((slot + 1) >>> 1) + 16;
    this.hashes[slot] = hash;
    this.lru[slot] = lru;
    this.accountedColumn[slot] = 0;
    if (this.snapshotMarks !== null) this.snapshotMarks[slot] = epoch;
    else if (epoch !== 0) this.setSnapshotMark(slot, epoch);
    this.volatileIndex[slot] = -1;
    this.size = slot + 1;
    return slot;
  }

  /**
   * Put the keys appendUnindexed() added into the index: the index takes the
   * size the count calls for, then the keys are placed grouped by the region
   * of the index their home bucket is in, so the placing sweeps the index
   * instead of jumping around it. Returns -1, or the slot of a key whose name
   * an earlier key has (a corrupt file): the table must then be thrown away.
   * O(keys).
   */
  indexPending(): number {
    const from = this.unindexedFrom;
    if (from === -1) return -1;
    const size = this.size;
    // The keys indexed before the load (none, for a fresh table) move to a larger index if needed.
    const buckets = this.bucketsFor(size);
    if (buckets > this.index.length) this.rebuildIndex(buckets);
    this.unindexedFrom = -1;
    const pending = size - from;
    const mask = this.mask;
    // A counting sort orders the slots by region (2^regionShift buckets each).
    const regionShift = Math.max(0, Math.log2(buckets) - Math.log2(INDEX_REGIONS)) | 0;
    const regions = buckets >>> regionShift;
    const starts = new Int32Array(regions + 1);
    const hashes = this.hashes;
    for (let slot = from; slot < size; slot++) starts[((hashes[slot]! & mask) >>> regionShift) + 1]!++;
    for (let r = 0; r < regions; r++) starts[r + 1]! += starts[r]!;
    // Each slot with its hash, so that the placing reads both in sequence.
    const order = new Int32Array(pending);
    const orderHashes = new Int32Array(pending);
    for (let slot = from; slot < size; slot++) {
      const hash = hashes[slot]!;
      const at = starts[(hash & mask) >>> regionShift]!++;
      order[at] = slot;
      orderHashes[at] = hash;
    }
    const index = this.index;
    const keys = this.keys;
    for (let i = 0; i < pending; i++) {
      const slot = order[i]!;
      const hash = orderHashes[i]!;
      const tag = hash & ~mask;
      let bucket = hash & mask;
      for (;;) {
        const stored = index[bucket]!;
        if (stored === 0) break;
        if ((stored & ~mask) === tag && keys[(stored & mask) - 1] === keys[slot]) return slot;
        bucket = (bucket + 1) & mask;
      }
      index[bucket] = tag | (slot + 1);
    }
    return -1;
  }

  /**
   * Make room for `keys` keys in all (a loader that read the count from the
   * file): the typed columns and the index take the size they would reach by
   * doubling, at once, so that filling them copies no column and re-places no
   * key on the way. Never shrinks anything; the JS arrays of names and values
   * still grow by pushes (a pre-sized JS array would be holey for its life).
   */
  reserve(keys: number): void {
    let capacity = this.capacity;
    while (capacity < keys) capacity *= 2;
    if (capacity > this.capacity) this.resizeColumns(capacity);
    const buckets = this.bucketsFor(keys);
    if (buckets > this.index.length) this.rebuildIndex(buckets);
  }

  /**
   * Remove the key in `slot`: its TTL, its index bucket, and its slot, which the
   * last key moves into. Side maps forget it.
   */
  remove(slot: number): void {
    if (this.volatileCount !== 0 && this.volatileIndex[slot] !== -1) this.clearDeadline(slot);
    const key = this.keys[slot]!;
    if (this.accountedColumn[slot] === ACCOUNTED_OVERFLOW) this.accountedOverflow!.delete(key);
    this.unplace(slot);
    const last = this.size - 1;
    if (slot !== last) {
      this.keys[slot] = this.keys[last]!;
      this.values[slot] = this.values[last]!;
      this.hashes[slot] = this.hashes[last]!;
      this.lru[slot] = this.lru[last]!;
      this.accountedColumn[slot] = this.accountedColumn[last]!;
      if (this.snapshotMarks !== null) this.snapshotMarks[slot] = this.snapshotMarks[last]!;
      const at = this.volatileIndex[last]!;
      this.volatileIndex[slot] = at;
      if (at !== -1) this.volatileSlots[at] = slot;
      this.rebucket(last, slot);
    }
    this.keys.pop();
    this.values.pop();
    this.size = last;
    if (last === 0) {
      this.keys = [];
      this.values = [];
      this.arrayCapacity = 0;
    } else if (this.arrayCapacity > 64 && last * ARRAY_TRIM_DIVISOR < this.arrayCapacity) {
      this.keys = this.keys.slice();
      this.values = this.values.slice();
      this.arrayCapacity = last;
    }
    const capacity = this.capacity;
    if (capacity > MIN_CAPACITY && last < capacity >>> 2) this.resizeColumns(capacity >>> 1);
    const buckets = this.index.length;
    if (buckets > MIN_INDEX_CAPACITY && last * 10 * INDEX_SHRINK_DIVISOR < buckets * INDEX_MAX_LOAD_TENTHS)
      this.rebuildIndex(buckets >>> 1);
  }

  /** Give the key in `slot` the deadline `deadline` (ms, not 0), listing it as volatile. */
  setDeadline(slot: number, deadline: number): void {
    if (this.exactDeadlines !== null) this.exactDeadlines.delete(this.keys[slot]!);
    let at = this.volatileIndex[slot]!;
    if (at === -1) {
      at = this.volatileCount;
      if (at === this.volatileSlots.length) this.resizeVolatile(at * 2);
      this.volatileSlots[at] = slot;
      this.volatileIndex[slot] = at;
      this.volatileCount = at + 1;
    }
    this.deadlines[at] = deadline;
  }

  /** Remove the TTL of the key in `slot` (it has one). */
  clearDeadline(slot: number): void {
    if (this.exactDeadlines !== null) this.exactDeadlines.delete(this.keys[slot]!);
    const at = this.volatileIndex[slot]!;
    const last = this.volatileCount - 1;
    if (at !== last) {
      const moved = this.volatileSlots[last]!;
      this.volatileSlots[at] = moved;
      this.deadlines[at] = this.deadlines[last]!;
      this.volatileIndex[moved] = at;
    }
    this.volatileIndex[slot] = -1;
    this.volatileCount = last;
    const capacity = this.volatileSlots.length;
    if (capacity > MIN_CAPACITY && last < capacity >>> 2) this.resizeVolatile(capacity >>> 1);
  }

  /**
   * The longest run of occupied buckets (a bound on probe lengths), for tests
   * and the lookup benchmark to check how evenly the hash spreads keys. O(buckets).
   */
  longestRun(): number {
    const index = this.index;
    let longest = 0;
    let run = 0;
    for (let i = 0; i < index.length * 2; i++) {
      if (index[i & this.mask] !== 0) {
        run++;
        if (run > longest) longest = run;
      } else run = 0;
    }
    return Math.min(longest, index.length);
  }

  // ---------------------------------------------------------------- internals

  /** Put `slot` into the first empty bucket of `hash`'s run. */
  private place(hash: number, slot: number): void {
    const index = this.index;
    const mask = this.mask;
    let bucket = hash & mask;
    while (index[bucket] !== 0) bucket = (bucket + 1) & mask;
    index[bucket] = (hash & ~mask) | (slot + 1);
  }

  /** The bucket holding `slot`. */
  private bucketOf(slot: number): number {
    const index = this.index;
    const mask = this.mask;
    const hash = this.hashes[slot]!;
    const wanted = (hash & ~mask) | (slot + 1);
    let bucket = hash & mask;
    while (index[bucket] !== wanted) bucket = (bucket + 1) & mask;
    return bucket;
  }

  /** The bucket of `from` now names `to` (the key moved; its hash is already in `to`). */
  private rebucket(from: number, to: number): void {
    const index = this.index;
    const mask = this.mask;
    const hash = this.hashes[to]!;
    const wanted = (hash & ~mask) | (from + 1);
    let bucket = hash & mask;
    while (index[bucket] !== wanted) bucket = (bucket + 1) & mask;
    index[bucket] = (hash & ~mask) | (to + 1);
  }

  /**
   * Empty the bucket of `slot` and shift back the entries after it in the run
   * that may move (those whose home bucket is not between the hole and them),
   * so that every key stays reachable from its home without tombstones.
   */
  private unplace(slot: number): void {
    const index = this.index;
    const mask = this.mask;
    const hashes = this.hashes;
    let hole = this.bucketOf(slot);
    let bucket = hole;
    for (;;) {
      bucket = (bucket + 1) & mask;
      const stored = index[bucket]!;
      if (stored === 0) break;
      const home = hashes[(stored & mask) - 1]! & mask;
      if (((bucket - home) & mask) >= ((bucket - hole) & mask)) {
        index[hole] = stored;
        hole = bucket;
      }
    }
    index[hole] = 0;
  }

  /** A new index of `buckets` buckets holding every slot. */
  private rebuildIndex(buckets: number): void {
    this.index = new Int32Array(buckets);
    this.mask = buckets - 1;
    const hashes = this.hashes;
    // Slots appended unindexed (a bulk load) stay out: indexPending() places them.
    const indexed = this.unindexedFrom === -1 ? this.size : this.unindexedFrom;
    for (let slot = 0; slot < indexed; slot++) this.place(hashes[slot]!, slot);
  }

  /** Buckets the index needs for `keys` keys within its load limit (a power of two, at least the current count). */
  private bucketsFor(keys: number): number {
    let buckets = this.index.length;
    while (keys * 10 > buckets * INDEX_MAX_LOAD_TENTHS) buckets *= 2;
    return buckets;
  }

  /** Move the typed key columns to `capacity` slots. */
  private resizeColumns(capacity: number): void {
    const used = this.size;
    this.hashes = resized(this.hashes, new Int32Array(capacity), used);
    this.lru = resized(this.lru, new Uint32Array(capacity), used);
    this.accountedColumn = resized(this.accountedColumn, new Uint16Array(capacity), used);
    if (this.snapshotMarks !== null)
      this.snapshotMarks = resized(this.snapshotMarks, new Uint32Array(capacity), used);
    this.volatileIndex = resized(this.volatileIndex, new Int32Array(capacity), used);
    this.capacity = capacity;
  }

  /** Move the TTL list to `capacity` slots. */
  private resizeVolatile(capacity: number): void {
    const used = this.volatileCount;
    this.volatileSlots = resized(this.volatileSlots, new Int32Array(capacity), used);
    this.deadlines = resized(this.deadlines, new Float64Array(capacity), used);
  }
}

/** `target` holding the first `used` elements of `source`. */
function resized<T extends Int32Array | Uint32Array | Uint16Array | Float64Array>(
  source: T,
  target: T,
  used: number,
): T {
  target.set(source.subarray(0, used) as never);
  return target;
}
