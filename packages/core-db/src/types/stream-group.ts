/*
 * Consumer groups of a stream (Redis' streamCG, streamConsumer, streamNACK).
 *
 * A group remembers the last ID it delivered, how many entries it has read
 * (entries-read, Redis 7.0's logical counter, -1 when unknown), its pending
 * entries list (PEL: delivered, not yet acknowledged) and its consumers, each
 * with its own PEL (the subset of the group's PEL it owns) and the time it was
 * last seen. Redis 7.0 keeps no "active time" per consumer (7.2 added it).
 *
 * PELs are kept as arrays sorted by ID with binary search: deliveries append at
 * the end (IDs grow) and acknowledgements mostly remove near the front.
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

/** Pending entries ordered by ID. */
export class PendingList {
  readonly entries: PendingEntry[];

  constructor() {
    this.entries = [];
  }

  get length(): number {
    return this.entries.length;
  }

  /** Index of the first entry with ID >= `id`. */
  lowerBound(id: StreamID): number {
    const entries = this.entries;
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareStreamIds(entries[middle]!.id, id) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The entry with ID `id`, or undefined. */
  find(id: StreamID): PendingEntry | undefined {
    const index = this.lowerBound(id);
    const entry = this.entries[index];
    return entry !== undefined && compareStreamIds(entry.id, id) === 0 ? entry : undefined;
  }

  /** Insert `entry` (its ID must not be present). */
  insert(entry: PendingEntry): void {
    const entries = this.entries;
    const last = entries[entries.length - 1];
    if (last === undefined || compareStreamIds(last.id, entry.id) < 0) {
      entries.push(entry);
      return;
    }
    entries.splice(this.lowerBound(entry.id), 0, entry);
  }

  /** Remove the entry with ID `id`. Returns it, or undefined when absent. */
  remove(id: StreamID): PendingEntry | undefined {
    const index = this.lowerBound(id);
    const entry = this.entries[index];
    if (entry === undefined || compareStreamIds(entry.id, id) !== 0) return undefined;
    if (index === 0) this.entries.shift();
    else this.entries.splice(index, 1);
    return entry;
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
    for (const entry of consumer.pel.entries) this.pel.remove(entry.id);
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
    for (const entry of this.pel.entries) {
      const owner = copy.consumers.get(entry.consumer.name)!;
      const pending = new PendingEntry(entry.id, owner, entry.deliveryTime, entry.deliveryCount);
      copy.pel.entries.push(pending);
      owner.pel.entries.push(pending);
    }
    for (const consumer of copy.consumers.values()) {
      consumer.pel.entries.sort((a, b) => compareStreamIds(a.id, b.id));
    }
    return copy;
  }
}

/** Order of names by their bytes (latin1 strings compare bytewise). */
export function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
