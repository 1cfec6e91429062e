/*
 * Consumer groups of a stream (Redis' streamCG, streamConsumer, streamNACK).
 *
 * A group remembers the last ID it delivered, how many entries it has read
 * (entries-read, Redis 7.0's logical counter, -1 when unknown), its pending
 * entries list (PEL: delivered, not yet acknowledged) and its consumers, each
 * with its own PEL (the subset of the group's PEL it owns) and the time it was
 * last seen. Redis 7.0 keeps no "active time" per consumer (7.2 added it).
 *
 * PELs are sorted slot arrays with binary search (PendingList): deliveries
 * append at the end (IDs grow), acknowledgements empty their slot.
 */

import { compareStreamIds, type StreamID } from "./stream-id.js";

/** One delivered, unacknowledged entry (Redis' streamNACK). */
export class PendingEntry {
  readonly id: StreamID;
  consumer: StreamConsumer;
  /** Last delivery time, ms since the epoch. */
  deliveryTime: number;
  deliveryCount: number;

  constructor(id: StreamID, consumer: StreamConsumer, deliveryTime: number, deliveryCount: number) {
    this.id = id;
    this.consumer = consumer;
    this.deliveryTime = deliveryTime;
    this.deliveryCount = deliveryCount;
  }
}

/**
 * Pending entries ordered by ID: a sorted array of slots with binary search.
 * Deliveries append at the end (IDs grow); an acknowledgement empties its slot
 * (O(log n), no shifting) and the emptied slots are squeezed out when they
 * outnumber the live ones (at the next insertion or seek), so every operation
 * is O(log n) amortised. Leading and trailing empty slots are dropped at once.
 *
 * Slot indexes (lowerBound, at, nextLive) stay valid while entries are only
 * removed: a caller may walk the slots and remove the entries it visits.
 */
export class PendingList {
  private keys: StreamID[];
  private items: (PendingEntry | null)[];
  /** First slot that may hold an entry. */
  private head: number;
  /** Number of entries. */
  private live: number;

  constructor() {
    this.keys = [];
    this.items = [];
    this.head = 0;
    this.live = 0;
  }

  /** Number of pending entries. */
  get length(): number {
    return this.live;
  }

  /** One past the last slot. */
  get slotCount(): number {
    return this.items.length;
  }

  /** The entry in slot `i`, or null for an emptied slot. */
  at(i: number): PendingEntry | null {
    return this.items[i] ?? null;
  }

  /** The first slot at or after `i` that holds an entry (slotCount when none). */
  nextLive(i: number): number {
    const items = this.items;
    let slot = i < this.head ? this.head : i;
    while (slot < items.length && items[slot] === null) slot++;
    return slot;
  }

  /** The entry with the smallest ID, or undefined. */
  first(): PendingEntry | undefined {
    return this.live === 0 ? undefined : this.items[this.nextLive(this.head)]!;
  }

  /** The entry with the largest ID, or undefined. */
  last(): PendingEntry | undefined {
    return this.live === 0 ? undefined : this.items[this.items.length - 1]!;
  }

  /** The entries in ID order (a copy). */
  toArray(): PendingEntry[] {
    const out: PendingEntry[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (item !== null) out.push(item);
    }
    return out;
  }

  /** First slot whose ID is >= `id` (emptied slots included). Compacts first when due. */
  lowerBound(id: StreamID): number {
    this.compactIfDue();
    return this.search(id);
  }

  private search(id: StreamID): number {
    const keys = this.keys;
    let low = this.head;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareStreamIds(keys[middle]!, id) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The entry with ID `id`, or undefined. */
  find(id: StreamID): PendingEntry | undefined {
    const slot = this.search(id);
    if (slot >= this.keys.length || compareStreamIds(this.keys[slot]!, id) !== 0) return undefined;
    return this.items[slot] ?? undefined;
  }

  /** Insert `entry` (its ID must not be pending). */
  insert(entry: PendingEntry): void {
    this.compactIfDue();
    const keys = this.keys;
    const id = entry.id;
    this.live++;
    if (keys.length === this.head || compareStreamIds(keys[keys.length - 1]!, id) < 0) {
      keys.push(id);
      this.items.push(entry);
      return;
    }
    const slot = this.search(id);
    if (slot < keys.length && compareStreamIds(keys[slot]!, id) === 0) {
      // Reuse the emptied slot of the same ID.
      this.items[slot] = entry;
      return;
    }
    if (slot === this.head && this.head > 0) {
      this.head--;
      keys[this.head] = id;
      this.items[this.head] = entry;
      return;
    }
    keys.splice(slot, 0, id);
    this.items.splice(slot, 0, entry);
  }

  /** Remove the entry with ID `id`. Returns it, or undefined when absent. */
  remove(id: StreamID): PendingEntry | undefined {
    const slot = this.search(id);
    const items = this.items;
    if (slot >= items.length || compareStreamIds(this.keys[slot]!, id) !== 0) return undefined;
    const entry = items[slot];
    if (entry === null || entry === undefined) return undefined;
    items[slot] = null;
    this.live--;
    if (this.live === 0) {
      this.keys = [];
      this.items = [];
      this.head = 0;
      return entry;
    }
    if (slot === this.head) this.head = this.nextLive(slot);
    if (slot === items.length - 1) {
      while (items.length > 0 && items[items.length - 1] === null) {
        items.pop();
        this.keys.pop();
      }
    }
    return entry;
  }

  /** Squeeze the emptied slots out when they outnumber the entries. */
  private compactIfDue(): void {
    const dead = this.items.length - this.live;
    if (dead <= 32 || dead <= this.live) return;
    const keys: StreamID[] = [];
    const items: PendingEntry[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (item === null) continue;
      keys.push(this.keys[i]!);
      items.push(item);
    }
    this.keys = keys;
    this.items = items;
    this.head = 0;
  }
}

/** A consumer of a group (Redis' streamConsumer). */
export class StreamConsumer {
  /** Binary name (latin1). */
  readonly name: string;
  /** Last time the consumer was seen (read or claimed), ms since the epoch. */
  seenTime: number;
  readonly pel: PendingList;

  constructor(name: string, seenTime: number) {
    this.name = name;
    this.seenTime = seenTime;
    this.pel = new PendingList();
  }
}

/** A consumer group (Redis' streamCG). */
export class StreamGroup {
  readonly name: string;
  /** Last ID delivered to a consumer of the group. */
  lastId: StreamID;
  /** Entries read by the group (logical counter), -1n when unknown. */
  entriesRead: bigint;
  readonly pel: PendingList;
  readonly consumers: Map<string, StreamConsumer>;

  constructor(name: string, lastId: StreamID, entriesRead: bigint) {
    this.name = name;
    this.lastId = lastId;
    this.entriesRead = entriesRead;
    this.pel = new PendingList();
    this.consumers = new Map();
  }

  /** The consumer `name`, or undefined. */
  consumer(name: string): StreamConsumer | undefined {
    return this.consumers.get(name);
  }

  /** Create consumer `name` (the caller checked it is absent). */
  createConsumer(name: string, now: number): StreamConsumer {
    const consumer = new StreamConsumer(name, now);
    this.consumers.set(name, consumer);
    return consumer;
  }

  /**
   * Delete consumer `name` and its pending entries from the group's PEL.
   * Returns how many pending entries it had, or -1 when it did not exist.
   */
  deleteConsumer(name: string): number {
    const consumer = this.consumers.get(name);
    if (consumer === undefined) return -1;
    const pending = consumer.pel.length;
    for (const entry of consumer.pel.toArray()) this.pel.remove(entry.id);
    this.consumers.delete(name);
    return pending;
  }

  /** Consumers sorted by name bytes, as Redis' rax lists them. */
  sortedConsumers(): StreamConsumer[] {
    return [...this.consumers.values()].sort(byName);
  }

  /** A deep copy (consumers, PELs), for COPY. */
  clone(): StreamGroup {
    const copy = new StreamGroup(this.name, this.lastId, this.entriesRead);
    for (const consumer of this.consumers.values()) {
      copy.consumers.set(consumer.name, new StreamConsumer(consumer.name, consumer.seenTime));
    }
    // Both PELs receive the entries in ID order: appends only.
    for (const entry of this.pel.toArray()) {
      const owner = copy.consumers.get(entry.consumer.name)!;
      const pending = new PendingEntry(entry.id, owner, entry.deliveryTime, entry.deliveryCount);
      copy.pel.insert(pending);
      owner.pel.insert(pending);
    }
    return copy;
  }
}

/** Order of names by their bytes (latin1 strings compare bytewise). */
export function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
