/*
 * The memory policy of a server: what "used memory" is, its peak, and eviction
 * under maxmemory (the gate calls evictOrFail() before commands run).
 *
 * used_memory is made of three measured parts, none of them a heap reading taken
 * on the request path:
 *   - start-up memory: the process' heap + external memory sampled once when the
 *     server starts (recordStartup), before any client is served: the server's
 *     own structures, code and empty tables (Redis' used_memory_startup);
 *   - the keyspace's running total (Keyspace.usedMemory, kept up to date by every
 *     write, deletion, expiry and flush from each type's cost model), less what
 *     the empty keyspace held at start-up (already in the sample);
 *   - client buffers (query and output buffers), summed by the cron and whenever
 *     INFO or MEMORY asks.
 * Nothing is "not counted for eviction" yet: there is no replication backlog and
 * no AOF buffer in this server.
 */

import { performance } from "node:perf_hooks";
import {
  type EvictionOptions,
  EvictionPolicy,
  EvictionResult,
  EvictionState,
  performEvictions,
} from "@spinel/core-db";
import { ClientFlag } from "./client-session.js";
import { propagateKeyDeletion } from "./propagation.js";
import type { ServerState } from "./server-state.js";

/** Memory figures and eviction state of one server. */
export class MemoryPolicy {
  private readonly server: ServerState;
  /** The pool of eviction candidates and the evicted-key counter. */
  readonly eviction: EvictionState;
  /** Heap + external bytes sampled at start-up (0 until recordStartup). */
  startupMemory: number;
  /** Keyspace.usedMemory at start-up (the empty databases, part of the sample). */
  private keyspaceAtStartup: number;
  /** Bytes in client query and output buffers (replicas included), as last summed. */
  clientsMemory: number;
  /** The part of clientsMemory held by replicas' connections (INFO mem_clients_slaves). */
  replicaClientsMemory: number;
  /**
   * The replicas' output buffers: left out of the eviction check, as in Redis
   * (evicting would add DELs to those very buffers). INFO mem_not_counted_for_evict.
   */
  replicaOutputMemory: number;
  /** Highest used memory seen (updated by the gate's checks, the cron, INFO and MEMORY). */
  peakMemory: number;
  /** Result of the last eviction attempt (for MEMORY DOCTOR and tests). */
  lastResult: EvictionResult;
  /**
   * Called when an eviction round stopped on its time budget with memory still
   * above the limit: the server schedules evictUntilDone() soon after, as Redis
   * keeps evicting from a timer between commands.
   */
  onEvictionRunning: (() => void) | null;
  /** When (performance.now()) used memory went above maxmemory and stayed, or 0. */
  private exceededSince: number;
  /** Milliseconds above maxmemory in finished episodes. */
  private exceededTotalMs: number;
  /** The options handed to performEvictions(), one object refreshed per call. */
  private readonly options: EvictionOptions;

  constructor(server: ServerState) {
    this.server = server;
    this.eviction = new EvictionState();
    this.startupMemory = 0;
    this.keyspaceAtStartup = server.keyspace.usedMemory;
    this.clientsMemory = 0;
    this.replicaClientsMemory = 0;
    this.replicaOutputMemory = 0;
    this.peakMemory = 0;
    this.lastResult = EvictionResult.Ok;
    this.exceededSince = 0;
    this.exceededTotalMs = 0;
    this.onEvictionRunning = null;
    this.options = {
      policy: EvictionPolicy.NoEviction,
      maxmemory: 0,
      overhead: 0,
      samples: 5,
      tenacity: 10,
      onEvicted: (dbIndex, key) => this.evicted(dbIndex, key),
    };
  }

  /**
   * Record the start-up sample: `bytes` of heap + external memory the process
   * holds once the server is built and before it serves anyone.
   */
  recordStartup(bytes: number): void {
    this.startupMemory = bytes;
    this.keyspaceAtStartup = this.server.keyspace.usedMemory;
    if (this.usedMemory > this.peakMemory) this.peakMemory = this.usedMemory;
  }

  /** Keyspace.usedMemory at start-up: the empty tables, part of the start-up sample. */
  get keyspaceAtStartupBytes(): number {
    return this.keyspaceAtStartup;
  }

  /** Bytes the keys hold beyond the empty keyspace (Redis' dataset plus the key tables). */
  get keyspaceMemory(): number {
    return this.server.keyspace.usedMemory - this.keyspaceAtStartup;
  }

  /** used_memory: start-up + keyspace + client buffers. O(1). */
  get usedMemory(): number {
    return this.startupMemory + this.keyspaceMemory + this.clientsMemory;
  }

  /** Sum the client buffers now (O(clients)) and refresh the peak. */
  refresh(): void {
    let total = 0;
    let replicas = 0;
    let replicaOutput = 0;
    for (const c of this.server.clients.values()) {
      const connection = c.connection;
      if (connection === null) continue;
      const output = connection.outputBufferBytes;
      const bytes = connection.queryBufferBytes + output;
      total += bytes;
      if ((c.flags & ClientFlag.Replica) !== 0) {
        replicas += bytes;
        replicaOutput += output;
      }
    }
    this.clientsMemory = total;
    this.replicaClientsMemory = replicas;
    this.replicaOutputMemory = replicaOutput;
    this.notePeak();
  }

  /** Milliseconds used memory has been above maxmemory, in total (INFO total_eviction_exceeded_time). */
  totalExceededMs(): number {
    return this.exceededTotalMs + this.currentExceededMs();
  }

  /** Milliseconds since used memory went above maxmemory, 0 when it is not (current_eviction_exceeded_time). */
  currentExceededMs(): number {
    return this.exceededSince === 0 ? 0 : performance.now() - this.exceededSince;
  }

  /** CONFIG RESETSTAT: the exceeded-time total starts again. */
  resetStats(): void {
    this.exceededTotalMs = 0;
    if (this.exceededSince !== 0) this.exceededSince = performance.now();
  }

  /** Raise the peak to the current used memory when above it. */
  notePeak(): void {
    const used = this.usedMemory;
    if (used > this.peakMemory) this.peakMemory = used;
  }

  /**
   * Evict keys per maxmemory-policy while used memory is above maxmemory (Redis'
   * performEvictions). Returns Fail when over the limit with nothing more to
   * evict, which denies commands that add data; sets settings.outOfMemory to
   * match. Never evicts while loading or on a replica (which follows its primary).
   */
  evict(): EvictionResult {
    const server = this.server;
    const settings = server.settings;
    const maxmemory = settings.maxmemory;
    if (maxmemory === 0 || settings.loading || settings.readOnlyReplica) {
      settings.outOfMemory = false;
      this.lastResult = EvictionResult.Ok;
      if (this.exceededSince !== 0) {
        this.exceededTotalMs += performance.now() - this.exceededSince;
        this.exceededSince = 0;
      }
      return EvictionResult.Ok;
    }
    // Replicas' output buffers do not count here (see replicaOutputMemory).
    const overhead =
      this.startupMemory - this.keyspaceAtStartup + this.clientsMemory - this.replicaOutputMemory;
    const used = server.keyspace.usedMemory + overhead;
    if (used > this.peakMemory) this.peakMemory = used;
    let result = EvictionResult.Ok;
    if (used > maxmemory) {
      const options = this.options;
      options.policy = settings.maxmemoryPolicy;
      options.maxmemory = maxmemory;
      options.overhead = overhead;
      options.samples = settings.maxmemorySamples;
      options.tenacity = settings.maxmemoryEvictionTenacity;
      result = performEvictions(server.keyspace, this.eviction, options);
    }
    settings.outOfMemory = result === EvictionResult.Fail;
    this.lastResult = result;
    if (result !== EvictionResult.Ok) {
      if (this.exceededSince === 0) this.exceededSince = performance.now();
      if (result === EvictionResult.Running && this.onEvictionRunning !== null) this.onEvictionRunning();
    } else if (this.exceededSince !== 0) {
      this.exceededTotalMs += performance.now() - this.exceededSince;
      this.exceededSince = 0;
    }
    return result;
  }

  /**
   * Evict round after round until memory is within maxmemory or nothing more can
   * go (CONFIG SET maxmemory below the current use brings it down at once).
   */
  evictUntilDone(): EvictionResult {
    const onRunning = this.onEvictionRunning;
    this.onEvictionRunning = null;
    try {
      let result = this.evict();
      while (result === EvictionResult.Running) result = this.evict();
      return result;
    } finally {
      this.onEvictionRunning = onRunning;
    }
  }

  /** One key went: count it and propagate its deletion, as an expired key's is. */
  private evicted(dbIndex: number, key: string): void {
    const server = this.server;
    server.stats.evictedKeys++;
    propagateKeyDeletion(server, dbIndex, key);
  }
}
