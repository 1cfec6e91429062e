/*
 * The memory cost model: what one key, one value and one element cost on the V8
 * heap and in Buffer storage, as Node 20 lays them out on 64-bit (no pointer
 * compression). Each type class adds up its own footprint from these figures and
 * from counters it keeps as it changes (element counts, byte totals), so a value's
 * footprint is known in O(1) and the keyspace keeps a running total without ever
 * walking the data or reading the heap.
 *
 * The figures were measured, not guessed: the memory accounting test fills a
 * keyspace in a child process run with --expose-gc and compares the accounted
 * bytes with the growth of heap + external memory after a forced collection, per
 * type and encoding, for small and large values (see memory-accounting.test.ts).
 */

/** Bytes of a heap object header with `fields` in-object fields (map, properties, elements + fields). */
export function objectBytes(fields: number): number {
  return 24 + fields * 8;
}

/**
 * Bytes of a one-byte (latin1) JS string of `length` chars: a 16-byte header
 * (map, hash, length) and the characters, rounded up to 8.
 */
export function stringBytes(length: number): number {
  return (16 + length + 7) & ~7;
}

/** Node allocates Buffers below this size from its shared 8 KB pool (Buffer.poolSize >>> 1). */
const POOL_LIMIT = 4096;
/** A Buffer (Uint8Array) object of its own, with the typed-array bookkeeping. */
const BUFFER_OBJECT = 96;
/** An ArrayBuffer with a backing store of its own (unpooled Buffers). */
const ARRAY_BUFFER_OBJECT = 120;

/**
 * Bytes of a Buffer holding `capacity` bytes. Below POOL_LIMIT it is a view into a
 * shared pool slab (the object plus its slice of the slab, 8-aligned); beyond, an
 * ArrayBuffer and backing store of its own.
 */
export function bufferBytes(capacity: number, pooled: boolean): number {
  if (pooled) return BUFFER_OBJECT + ((capacity + 7) & ~7);
  return BUFFER_OBJECT + ARRAY_BUFFER_OBJECT + capacity;
}

/** True when `buffer` is a view into a larger shared slab (Node's Buffer pool). */
export function isPooled(buffer: Buffer): boolean {
  return buffer.byteLength < POOL_LIMIT && buffer.buffer.byteLength !== buffer.byteLength;
}

/**
 * One slot of a JS Map's table (V8's OrderedHashMap): key, value and chain words
 * and half a bucket word. The table doubles when full and halves when less than a
 * quarter full.
 */
export const MAP_SLOT = 28;

/** Bytes of a JS Map of `size` entries: its object and a table of the next power of two. */
export function mapBytes(size: number): number {
  // The smallest power of two >= size, at least 4 (without a loop: every write to a
  // large hash, set or sorted set recomputes its footprint).
  const capacity = size <= 4 ? 4 : 2 ** (32 - Math.clz32(size - 1));
  return MAP_BASE + capacity * MAP_SLOT;
}
/** One element slot of a JS array at the average slack between two growths. */
export const ARRAY_SLOT = 10;
/** A boxed double (HeapNumber). */
export const HEAP_NUMBER = 16;
/** A Map object beyond its table. */
export const MAP_BASE = 48;
/** An empty array object. */
export const ARRAY_BASE = 32;

/**
 * Bytes of a JS array of `length` elements with its backing store: V8 grows a
 * store to 1.5x + 16 slots, so a short array holds at least 17 slots and a long
 * one about a quarter more than it needs.
 */
export function arrayBytes(length: number): number {
  const slots = length < 14 ? 17 : Math.ceil(length * 1.25);
  return ARRAY_BASE + 16 + slots * 8;
}

// ------------------------------------------------------------------ streams

/** A stream object with its three ID objects (two BigInts each). */
export const STREAM_BASE = objectBytes(9) + 3 * (objectBytes(2) + 48);
/** One packed block beyond its bytes: the block object and four typed arrays with their own stores. */
export const STREAM_BLOCK_OBJECTS = objectBytes(10) + 4 * (BUFFER_OBJECT + ARRAY_BUFFER_OBJECT);
/** A consumer group beyond its maps: the object, its last ID and pending list. */
export const STREAM_GROUP_BYTES = objectBytes(6) + objectBytes(2) + 48 + objectBytes(2) + arrayBytes(0);
/** A consumer: the object and its name. */
export const STREAM_CONSUMER_BYTES = objectBytes(4) + 32;
/** A pending entry: the object, its ID and its slots in the group's and consumer's lists. */
export const STREAM_PENDING_BYTES = objectBytes(4) + objectBytes(2) + 48 + 2 * ARRAY_SLOT;
