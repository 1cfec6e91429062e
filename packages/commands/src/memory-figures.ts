/*
 * The memory figures INFO memory and MEMORY STATS / DOCTOR report, computed in
 * one place so that they always agree. Every figure comes from the memory policy
 * (start-up sample, the keyspace's running total, client buffers, the peak) or
 * from one reading of the process (RSS, V8 heap); see memory-policy.ts.
 */

import v8 from "node:v8";
import { EvictionPolicy } from "@spinel/core-db";
import type { ServerState } from "./server-state.js";

/** One consistent set of memory figures. */
export interface MemoryFigures {
  /** used_memory: start-up + keyspace + client buffers. */
  used: number;
  peak: number;
  startup: number;
  /** Query and output buffers of normal clients (mem_clients_normal). */
  clients: number;
  /** Query and output buffers of replicas' connections (mem_clients_slaves). */
  replicaClients: number;
  /** Per database with keys: [id, main table bytes, expires bytes]. */
  databases: Array<[id: number, main: number, expires: number]>;
  /** used_memory_overhead: start-up, clients and the key tables' own structures. */
  overhead: number;
  /** used_memory_dataset: used - overhead (key names and values). */
  dataset: number;
  /** dataset * 100 / (used - startup). */
  datasetPercentage: number;
  /** used * 100 / peak. */
  peakPercentage: number;
  keys: number;
  /** (used - startup) / keys. */
  bytesPerKey: number;
  /**
   * The allocator's view (V8 here), each with external (Buffer) memory: bytes in
   * use, bytes reserved by the heap, and bytes of the heap physically resident.
   */
  heapUsed: number;
  heapTotal: number;
  heapResident: number;
  rss: number;
  /** heapTotal / heapUsed (allocator_frag_ratio). */
  allocatorFragmentation: number;
  /** heapResident / heapTotal (allocator_rss_ratio). */
  allocatorRss: number;
  /** rss / heapResident: what the process holds beyond the heap (code, stacks, native). */
  rssOverhead: number;
  /** rss / used (mem_fragmentation_ratio). */
  fragmentation: number;
  /** Memory left out of the eviction check: the replicas' output buffers. */
  notCountedForEvict: number;
}

/** Compute the figures now (O(databases + clients)). Refreshes the client sum and the peak. */
export function memoryFigures(server: ServerState): MemoryFigures {
  const memory = server.memory;
  memory.refresh();
  const usage = process.memoryUsage();
  const used = memory.usedMemory;
  const startup = memory.startupMemory;
  const databases: Array<[number, number, number]> = [];
  let tables = 0;
  let keys = 0;
  for (const db of server.keyspace.databases) {
    keys += db.size;
    const main = db.mainTableBytes;
    const expires = db.expiresTableBytes;
    tables += main + expires;
    if (db.size > 0) databases.push([db.id, main, expires]);
  }
  // The empty tables are part of the start-up sample already.
  const keyTables = Math.max(0, tables - memory.keyspaceAtStartupBytes);
  const overhead = startup + memory.clientsMemory + keyTables;
  const dataset = Math.max(0, used - overhead);
  const net = used - startup;
  const heapUsed = usage.heapUsed + usage.external;
  const heapTotal = usage.heapTotal + usage.external;
  const heapResident = v8.getHeapStatistics().total_physical_size + usage.external;
  return {
    used,
    peak: memory.peakMemory,
    startup,
    clients: memory.clientsMemory - memory.replicaClientsMemory,
    replicaClients: memory.replicaClientsMemory,
    databases,
    overhead,
    dataset,
    datasetPercentage: net > 0 ? (dataset * 100) / net : 0,
    peakPercentage: memory.peakMemory > 0 ? (used * 100) / memory.peakMemory : 0,
    keys,
    bytesPerKey: keys > 0 ? Math.floor(net / keys) : 0,
    heapUsed,
    heapTotal,
    heapResident,
    rss: usage.rss,
    allocatorFragmentation: heapUsed > 0 ? heapTotal / heapUsed : 0,
    allocatorRss: heapTotal > 0 ? heapResident / heapTotal : 0,
    rssOverhead: heapResident > 0 ? usage.rss / heapResident : 0,
    fragmentation: used > 0 ? usage.rss / used : 0,
    notCountedForEvict: memory.replicaOutputMemory,
  };
}

const POLICY_NAMES: Record<EvictionPolicy, string> = {
  [EvictionPolicy.NoEviction]: "noeviction",
  [EvictionPolicy.AllKeysLru]: "allkeys-lru",
  [EvictionPolicy.VolatileLru]: "volatile-lru",
  [EvictionPolicy.AllKeysLfu]: "allkeys-lfu",
  [EvictionPolicy.VolatileLfu]: "volatile-lfu",
  [EvictionPolicy.AllKeysRandom]: "allkeys-random",
  [EvictionPolicy.VolatileRandom]: "volatile-random",
  [EvictionPolicy.VolatileTtl]: "volatile-ttl",
};

/** The maxmemory-policy name of `policy`. */
export function evictionPolicyName(policy: EvictionPolicy): string {
  return POLICY_NAMES[policy];
}
