/*
 * The propagation stream: what call() propagates, after local execution, in a
 * form that replays to the same dataset, fanned out to its consumers (the AOF
 * writer today, the replication backlog and snapshot-time buffers later).
 *
 * What enters the stream is already replayable: handlers rewrite their argv
 * (c.rewritePropagation / c.propagateAlso) so that nothing depends on the clock
 * or on chance (relative TTL -> PEXPIREAT or SET ... PXAT, a deadline in the past
 * -> DEL, SPOP -> SREM, INCRBYFLOAT -> SET ... KEEPTTL, a blocking pop -> its
 * non-blocking form), call() wraps the writes of one execution unit in
 * MULTI/EXEC when there are several, and keys removed by expiry arrive here as
 * DEL (propagateExpiredKeys below).
 *
 * The stream carries the database index with each command. Each consumer keeps
 * the database its own output last selected, and the stream writes a SELECT
 * into that consumer's output when the database changes: an AOF whose new
 * incremental file must start with a SELECT, and a replica that joined late,
 * each reset their own `selectedDb` to -1 and get one.
 *
 * HOT PATH: feed() runs once per write command.
 */

import type { Database } from "@spinel/core-db";
import type { KeyspaceListener, Propagator, ServerState } from "./server-state.js";

/** Something that receives the stream: an AOF writer, a replication backlog ... */
export interface StreamConsumer {
  /**
   * The database this consumer's output has selected, or -1 when it must be told
   * (a fresh file, a new replica). The stream writes SELECT and updates it.
   */
  selectedDb: number;
  /** Append one command, in execution order. Must not throw, must not re-enter the stream. */
  append(argv: readonly Buffer[]): void;
  /**
   * False while append() drops every command (a primary with no backlog yet);
   * absent means the consumer always keeps what it is given.
   */
  readonly listening?: boolean;
}

const SELECT_ARG = Buffer.from("SELECT");
/** Pre-built SELECT commands for the usual database indexes. */
const SELECT_COMMANDS: Array<readonly Buffer[]> = [];
for (let i = 0; i < 16; i++) SELECT_COMMANDS.push([SELECT_ARG, Buffer.from(String(i), "latin1")]);

/** The SELECT command for database `dbIndex`. */
export function selectCommand(dbIndex: number): readonly Buffer[] {
  return SELECT_COMMANDS[dbIndex] ?? [SELECT_ARG, Buffer.from(String(dbIndex), "latin1")];
}

/**
 * The one propagation stream of a server. Implements the Propagator call() feeds
 * and hands each command to every consumer, preceded by a SELECT for consumers
 * whose output is on another database. Consumers are added and removed between
 * execution units (never from inside append()).
 */
export class PropagationStream implements Propagator {
  private consumers: StreamConsumer[];
  /** Commands fed since start (a measure for INFO and tests; not a replication offset). */
  fedCommands: number;

  constructor() {
    this.consumers = [];
    this.fedCommands = 0;
  }

  /** Number of consumers attached. */
  get consumerCount(): number {
    return this.consumers.length;
  }

  /** True when some consumer keeps what is fed (see StreamConsumer.listening). */
  get listening(): boolean {
    const consumers = this.consumers;
    for (let i = 0; i < consumers.length; i++) if (consumers[i]!.listening !== false) return true;
    return false;
  }

  /** Attach a consumer; its next command is preceded by SELECT when its selectedDb differs. */
  addConsumer(consumer: StreamConsumer): void {
    if (!this.consumers.includes(consumer)) this.consumers = [...this.consumers, consumer];
  }

  /** Detach a consumer (AOF turned off, replica gone). */
  removeConsumer(consumer: StreamConsumer): void {
    this.consumers = this.consumers.filter((c) => c !== consumer);
  }

  /** Propagate `argv`, executed against database `dbIndex`, to every consumer. */
  feed(dbIndex: number, argv: readonly Buffer[]): void {
    this.fedCommands++;
    const consumers = this.consumers;
    for (let i = 0; i < consumers.length; i++) {
      const consumer = consumers[i]!;
      if (consumer.selectedDb !== dbIndex) {
        consumer.append(selectCommand(dbIndex));
        consumer.selectedDb = dbIndex;
      }
      consumer.append(argv);
    }
  }
}

/**
 * Propagate a write that happened outside a handler's own argv (an expired or
 * evicted key's DEL): inside an execution unit it joins the unit's pending
 * writes (so a unit stays one MULTI/EXEC), otherwise it goes to the propagator
 * at once.
 */
export function propagateOutsideCall(server: ServerState, dbIndex: number, argv: readonly Buffer[]): void {
  if (server.callDepth > 0) server.pendingPropagation.push({ dbIndex, argv });
  else server.propagator.feed(dbIndex, argv);
}

const DEL_ARG = Buffer.from("DEL");

/**
 * Propagate the deletion of `key` from database `dbIndex` that no command asked
 * for (expiry, eviction) as a DEL, through propagateOutsideCall(). Outside an
 * execution unit, with the server's own stream as propagator and no consumer
 * listening (no AOF, no replication backlog), nothing would keep the DEL: it is
 * not built (a cache under pressure evicts about once per write).
 */
export function propagateKeyDeletion(server: ServerState, dbIndex: number, key: string): void {
  if (server.callDepth === 0 && server.propagator === server.stream && !server.stream.listening) return;
  propagateOutsideCall(server, dbIndex, [DEL_ARG, Buffer.from(key, "latin1")]);
}

/**
 * The keyspace listener that turns a key removed by expiry (lazily on lookup or
 * by the active cycle) into a DEL in the stream, as Redis' propagateDeletion
 * does, so that the AOF and replicas drop the key at the same point of the
 * command sequence. Installed once by ServerState.
 */
export function expiryPropagationListener(server: ServerState): KeyspaceListener {
  return {
    keyExpired(db: Database, key: string): void {
      propagateKeyDeletion(server, db.id, key);
    },
  };
}
