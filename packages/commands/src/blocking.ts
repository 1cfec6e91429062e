/*
 * Clients blocked on keys (Redis' blocked.c): BLPOP, BRPOP, BLMOVE, BRPOPLPUSH,
 * BLMPOP, and any other family that waits for a key to hold data (BZPOPMIN,
 * BZPOPMAX, BZMPOP ...).
 *
 * How a blocking command uses this registry
 * -----------------------------------------
 * 1. Parse the timeout with getBlockingTimeoutOrReply(c, arg): it replies the
 *    Redis errors itself and returns the absolute deadline in ms (0 = forever).
 * 2. Try to serve at once, exactly like the non-blocking form. If that is not
 *    possible and registry.canBlock(c) is false (inside MULTI/EXEC, a pseudo
 *    client without a connection, AOF replay, the primary link), reply the
 *    family's timeout reply at once: a blocking command inside a transaction
 *    behaves as its non-blocking form.
 * 3. Otherwise call registry.block(c, keys, deadline, family, request) and
 *    return without a reply. The registry pauses the client's connection (its
 *    pipelined requests wait), marks it blocked (CLIENT LIST flag b) and arms
 *    the timeout.
 *
 * A family is one object implementing BlockingFamily<Request> (no closures per
 * call): `serve(blocked, key)` is called when `key` may have become ready and
 * either serves the client (writes its reply, changes the keyspace with the
 * usual epilogue, queues what to propagate with propagateServed) and returns
 * Served, or returns NotServed (this client cannot be served from this key, a
 * later waiter might: e.g. the key holds another family's type) or Exhausted
 * (nobody else can be served from this key now: it is missing or empty).
 * `replyTimeout(blocked)` writes the reply of a timeout (also CLIENT UNBLOCK
 * ... TIMEOUT). `request` is whatever the family needs to remember (pop end,
 * destination, count ...).
 *
 * Readiness and order
 * -------------------
 * A keyspace listener notes every modified key that has waiters (and, for
 * SWAPDB, every waited-on key of the swapped databases). After each outermost
 * execution unit (a command, or a whole MULTI/EXEC) an after-execution hook
 * serves the noted keys in the order they were modified, and each key's waiters
 * in the order they blocked (FIFO), as Redis 7.0's handleClientsBlockedOnKeys
 * does. Serving may make more keys ready (BLMOVE pushes to its destination);
 * they are served in the same pass. Pushes inside a transaction therefore wake
 * waiters only after EXEC.
 *
 * Each served client is its own execution unit: the time is frozen while it is
 * served and what it propagated (LPOP key for BLPOP, LMOVE ... for BLMOVE) is
 * flushed to the AOF and replicas right after it, as Redis propagates the
 * non-blocking equivalent of what the woken client did.
 *
 * Leaving the blocked state: served, timed out (a timer per blocked client,
 * passed its record as argument), CLIENT UNBLOCK (unblock()), or disconnected
 * (a session close hook forgets it without a reply). In the first three cases
 * the reply is flushed and the connection resumed, so requests that arrived
 * while it was blocked run next.
 */

import type { Database } from "@spinel/core-db";
import { ClientFlag, type ClientSession } from "./client-session.js";
import { flushPropagation } from "./dispatch.js";
import { Err } from "./errors.js";
import { type LongDouble, parseLongDouble } from "./long-double.js";
import type { KeyspaceListener, ServerState } from "./server-state.js";

// ---------------------------------------------------------------- family interface

/** What a family's serve() achieved for one waiter on one key. */
export enum ServeOutcome {
  /** The client got its reply; the registry unblocks it. */
  Served = 0,
  /** This client stays blocked; try the next waiter on the key. */
  NotServed = 1,
  /** This client stays blocked and no later waiter can be served from the key now. */
  Exhausted = 2,
}

/**
 * A kind of blocking command (lists, sorted sets ...): how its clients are
 * served when a key is ready and what a timeout replies. Implemented once per
 * family as a plain object.
 */
export interface BlockingFamily<Request> {
  /**
   * `key` (in blocked.db) may be ready: serve `blocked` from it if possible.
   * On success write the reply into blocked.client.reply, apply the change with
   * the usual write epilogue and queue the propagation (propagateServed).
   */
  serve(blocked: BlockedClient<Request>, key: string): ServeOutcome;
  /** Write the reply of a timeout (or of CLIENT UNBLOCK ... TIMEOUT). */
  replyTimeout(blocked: BlockedClient<Request>): void;
}

/** One node of a key's FIFO of waiters. */
class WaitNode {
  readonly blocked: BlockedClient<unknown>;
  readonly queue: WaitQueue;
  prev: WaitNode | null;
  next: WaitNode | null;

  constructor(blocked: BlockedClient<unknown>, queue: WaitQueue) {
    this.blocked = blocked;
    this.queue = queue;
    this.prev = null;
    this.next = null;
  }
}

/** The clients blocked on one key of one database, in the order they blocked. */
class WaitQueue {
  readonly db: Database;
  readonly key: string;
  first: WaitNode | null;
  last: WaitNode | null;
  size: number;

  constructor(db: Database, key: string) {
    this.db = db;
    this.key = key;
    this.first = null;
    this.last = null;
    this.size = 0;
  }

  append(blocked: BlockedClient<unknown>): WaitNode {
    const node = new WaitNode(blocked, this);
    node.prev = this.last;
    if (this.last === null) this.first = node;
    else this.last.next = node;
    this.last = node;
    this.size++;
    return node;
  }

  remove(node: WaitNode): void {
    if (node.prev === null) this.first = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.last = node.prev;
    else node.next.prev = node.prev;
    node.prev = null;
    node.next = null;
    this.size--;
  }
}

/** A client blocked by a family's command: what it waits for and until when. */
export class BlockedClient<Request> {
  readonly client: ClientSession;
  /** The database the keys belong to (the client's selected one when it blocked). */
  readonly db: Database;
  /** The keys waited on, without duplicates, in argument order. */
  readonly keys: readonly string[];
  readonly family: BlockingFamily<Request>;
  /** The family's own description of the request (pop end, destination ...). */
  readonly request: Request;
  /** Absolute deadline in ms, or 0 for no timeout. */
  readonly deadline: number;
  /** Its place in each key's FIFO. */
  nodes: WaitNode[];
  timer: NodeJS.Timeout | null;
  /** False once served, timed out, unblocked or disconnected. */
  active: boolean;
  /** The connection's idle-timeout exemption before blocking (restored after). */
  savedTimeoutExempt: boolean;

  constructor(
    client: ClientSession,
    db: Database,
    keys: readonly string[],
    family: BlockingFamily<Request>,
    request: Request,
    deadline: number,
  ) {
    this.client = client;
    this.db = db;
    this.keys = keys;
    this.family = family;
    this.request = request;
    this.deadline = deadline;
    this.nodes = [];
    this.timer = null;
    this.active = true;
    this.savedTimeoutExempt = false;
  }
}

// ---------------------------------------------------------------- timeouts

/** 2^63: (long long) casts of values at or beyond it overflow to LLONG_MIN. */
const LLONG_LIMIT = 1n << 63n;
/** Longest delay setTimeout accepts; longer timeouts re-arm. */
const MAX_TIMER_DELAY = 2_147_483_647;

/**
 * Parse a blocking command's timeout in seconds (decimals allowed) as Redis 7.0's
 * getTimeoutFromObjectOrReply does, and return the absolute deadline in ms
 * (0 = wait forever), or reply the error and return null:
 *   - not a number as strtold() reads it (nan, overflow, trailing bytes):
 *     "ERR timeout is not a float or out of range";
 *   - negative: "ERR timeout is negative". The seconds are multiplied by 1000 in
 *     x87 extended precision and rounded up to whole milliseconds (ceill), so
 *     0.0001 waits 1 ms while -0.0001 is 0 (forever); a result beyond the
 *     64-bit range (inf included) becomes LLONG_MIN in the (long long) cast,
 *     which is negative.
 * A deadline past the 64-bit range wraps in Redis and never fires: forever.
 */
export function getBlockingTimeoutOrReply(c: ClientSession, arg: Buffer): number | null {
  const seconds = parseLongDouble(arg);
  if (seconds === null) {
    c.reply.error(Err.timeoutNotFloat);
    return null;
  }
  const milliseconds = ceilingMilliseconds(seconds);
  if (milliseconds === null || milliseconds < 0n) {
    c.reply.error(Err.timeoutNegative);
    return null;
  }
  if (milliseconds === 0n) return 0;
  const deadline = milliseconds + BigInt(c.server.keyspace.now);
  return deadline >= LLONG_LIMIT ? 0 : Number(deadline);
}

/**
 * (long long) ceill(seconds * 1000.0): the product rounded to the 64-bit
 * significand of the x87 format (nearest-even), then rounded up to an integer.
 * Null when the cast overflows (Redis then sees LLONG_MIN).
 */
function ceilingMilliseconds(seconds: LongDouble): bigint | null {
  if (seconds.infinite) return null;
  let significand = seconds.significand * 1000n;
  let exponent = seconds.exponent;
  const excess = significand.toString(2).length - 64;
  if (excess > 0) {
    const shift = BigInt(excess);
    const kept = significand >> shift;
    const remainder = significand - (kept << shift);
    const half = 1n << (shift - 1n);
    significand = remainder > half || (remainder === half && (kept & 1n) === 1n) ? kept + 1n : kept;
    exponent += excess;
  }
  let whole: bigint;
  if (exponent >= 0) {
    whole = significand << BigInt(exponent);
  } else {
    // Toward +infinity: a positive fraction rounds the magnitude up, a negative one down.
    const shift = BigInt(-exponent);
    whole = significand >> shift;
    if (!seconds.negative && whole << shift !== significand) whole += 1n;
  }
  if (whole >= LLONG_LIMIT) return null;
  return seconds.negative ? -whole : whole;
}

/** setTimeout callback: the record travels as the argument, so no closure is made per block. */
function onBlockTimer(blocked: BlockedClient<unknown>): void {
  blocked.client.server.blocking.timerFired(blocked);
}

/**
 * Queue `argv` for propagation on behalf of a client being served (the
 * non-blocking equivalent of what it did). Flushed when its serving ends.
 */
export function propagateServed(blocked: BlockedClient<unknown>, argv: readonly Buffer[]): void {
  blocked.client.server.pendingPropagation.push({ dbIndex: blocked.db.id, argv });
}

// ---------------------------------------------------------------- the registry

/** Registry of blocked clients: who waits on which key, wake-ups, timeouts, CLIENT UNBLOCK. */
export class BlockingRegistry {
  readonly server: ServerState;
  /** Per database index: key -> FIFO of its waiters. */
  private readonly queues: Map<string, WaitQueue>[];
  /** Keys with waiters modified since the last serving pass, in modification order. */
  private ready: Set<WaitQueue>;
  private blockedCount: number;
  private timedCount: number;
  private queueCount: number;
  private serving: boolean;

  constructor(server: ServerState) {
    this.server = server;
    this.queues = [];
    for (let i = 0; i < server.keyspace.databases.length; i++) this.queues.push(new Map());
    this.ready = new Set();
    this.blockedCount = 0;
    this.timedCount = 0;
    this.queueCount = 0;
    this.serving = false;
    server.keyspaceListeners.push(this.readinessListener);
    server.afterExecutionHooks.push(this.serveReadyKeys);
    server.sessionCloseHooks.push(this.forgetClient);
  }

  /** Number of clients blocked on keys (INFO blocked_clients). */
  get blockedClients(): number {
    return this.blockedCount;
  }

  /** Number of blocked clients with a timeout (INFO clients_in_timeout_table). */
  get clientsWithTimeout(): number {
    return this.timedCount;
  }

  /** Number of distinct keys clients are blocked on. */
  get blockedKeys(): number {
    return this.queueCount;
  }

  /** True while `c` waits on keys. */
  isBlocked(c: ClientSession): boolean {
    return c.blockState !== null;
  }

  /**
   * Whether `c` may block now. Not inside MULTI/EXEC (the MULTI flag is set while
   * a transaction queues and runs) or any nested execution, and never for
   * pseudo-clients (AOF replay, the primary link, tests without a connection):
   * Redis' CLIENT_DENY_BLOCKING. Such clients get the timeout reply at once.
   */
  canBlock(c: ClientSession): boolean {
    return (
      c.connection !== null &&
      this.server.callDepth <= 1 &&
      (c.flags & (ClientFlag.Multi | ClientFlag.Loading | ClientFlag.Primary)) === 0
    );
  }

  /**
   * Block `c` on `keys` (of its selected database) until one is ready for
   * `family`, the `deadline` (absolute ms, 0 = never) passes, CLIENT UNBLOCK, or
   * it disconnects. The caller checked canBlock() and writes no reply now.
   */
  block<Request>(
    c: ClientSession,
    keys: readonly string[],
    deadline: number,
    family: BlockingFamily<Request>,
    request: Request,
  ): void {
    const unique = keys.length === 1 ? keys : [...new Set(keys)];
    const blocked = new BlockedClient(c, c.db, unique, family, request, deadline);
    const byKey = this.queues[c.db.id]!;
    for (const key of unique) {
      let queue = byKey.get(key);
      if (queue === undefined) {
        queue = new WaitQueue(c.db, key);
        byKey.set(key, queue);
        this.queueCount++;
      }
      blocked.nodes.push(queue.append(blocked as BlockedClient<unknown>));
    }
    c.blockState = blocked;
    c.flags |= ClientFlag.Blocked;
    this.blockedCount++;
    const connection = c.connection;
    if (connection !== null) {
      connection.pause();
      blocked.savedTimeoutExempt = connection.timeoutExempt;
      connection.timeoutExempt = true;
    }
    if (deadline !== 0) {
      this.timedCount++;
      this.armTimer(blocked as BlockedClient<unknown>, deadline - Date.now());
    }
  }

  /**
   * CLIENT UNBLOCK: end `client`'s block as if it timed out (the family's
   * timeout reply) or, with `withError`, with "-UNBLOCKED client unblocked via
   * CLIENT UNBLOCK". Returns false when the client was not blocked.
   */
  unblock(client: ClientSession, withError: boolean): boolean {
    const blocked = client.blockState as BlockedClient<unknown> | null;
    if (blocked === null || !blocked.active) return false;
    if (withError) client.reply.error(Err.unblocked);
    else blocked.family.replyTimeout(blocked);
    this.release(blocked);
    this.wake(blocked);
    return true;
  }

  /**
   * A primary became a replica (REPLICAOF host port, a FAILOVER's hand-over):
   * every blocked client gets the error `message` and its connection closes
   * once the reply is written, as in Redis (what it waits for would now come
   * from another server's stream, if ever). Returns how many were unblocked.
   */
  unblockAllWithError(message: string): number {
    const all = new Set<BlockedClient<unknown>>();
    for (const byKey of this.queues) {
      for (const queue of byKey.values()) {
        for (let node = queue.first; node !== null; node = node.next) all.add(node.blocked);
      }
    }
    for (const blocked of all) {
      const c = blocked.client;
      c.reply.error(message);
      this.release(blocked);
      const code = c.reply.lastErrorCode;
      if (code !== null) {
        c.reply.lastErrorCode = null;
        this.server.stats.countError(code);
      }
      c.connection?.close(true);
    }
    return all.size;
  }

  /** The timer of `blocked` fired: reply the timeout, or re-arm when the deadline is still ahead. */
  timerFired(blocked: BlockedClient<unknown>): void {
    blocked.timer = null;
    if (!blocked.active) return;
    const remaining = blocked.deadline - Date.now();
    if (remaining > 0) {
      this.armTimer(blocked, remaining);
      return;
    }
    blocked.family.replyTimeout(blocked);
    this.release(blocked);
    this.wake(blocked);
  }

  // ---------------------------------------------------------------- readiness and serving

  /**
   * Note `key` of `db` as possibly ready for its waiters although it was not
   * modified (Redis' signalKeyAsReady without signalModifiedKey): XGROUP
   * DESTROY wakes XREADGROUP clients so they get -NOGROUP. Served after the
   * current execution unit, like modified keys.
   */
  signalReady(db: Database, key: string): void {
    if (this.blockedCount === 0) return;
    const queue = this.queues[db.id]?.get(key);
    if (queue !== undefined) this.ready.add(queue);
  }

  /** Notes modified keys that have waiters. Installed as a keyspace listener. */
  private readonly readinessListener: KeyspaceListener = {
    keyModified: (db: Database, key: string): void => {
      if (this.blockedCount === 0) return;
      const queue = this.queues[db.id]?.get(key);
      if (queue !== undefined) this.ready.add(queue);
    },
    databaseModified: (db: Database): void => {
      // SWAPDB brings other data under the waited-on keys (FLUSHALL finds nothing to serve).
      if (this.blockedCount === 0) return;
      const byKey = this.queues[db.id];
      if (byKey === undefined) return;
      for (const queue of byKey.values()) this.ready.add(queue);
    },
  };

  /** After-execution hook: serve the waiters of every key noted as ready. */
  private readonly serveReadyKeys = (): void => {
    if (this.ready.size === 0 || this.serving) return;
    this.serving = true;
    try {
      while (this.ready.size > 0) {
        const batch = [...this.ready];
        this.ready.clear();
        for (const queue of batch) this.serveQueue(queue);
      }
    } finally {
      this.serving = false;
    }
  };

  /** Serve the waiters of one key, first blocked first, while the key can serve them. */
  private serveQueue(queue: WaitQueue): void {
    let node = queue.first;
    let remaining = queue.size;
    while (node !== null && remaining > 0) {
      remaining--;
      const next = node.next;
      const outcome = this.serveOne(node.blocked, queue.key);
      if (outcome === ServeOutcome.Exhausted) return;
      node = next;
    }
  }

  /**
   * Let the family serve one client from `key`, as its own execution unit:
   * frozen time, its propagation flushed right after, its error replies counted.
   */
  private serveOne(blocked: BlockedClient<unknown>, key: string): ServeOutcome {
    const server = this.server;
    const keyspace = server.keyspace;
    keyspace.freezeTime();
    server.callDepth++;
    let outcome: ServeOutcome;
    try {
      outcome = blocked.family.serve(blocked, key);
    } catch (error) {
      server.logger.error({ err: error, client: blocked.client.id }, "serving a blocked client failed");
      blocked.client.reply.error("ERR internal error");
      outcome = ServeOutcome.Served;
    } finally {
      server.callDepth--;
    }
    if (outcome === ServeOutcome.Served) {
      this.release(blocked);
      this.wake(blocked);
    }
    flushPropagation(server);
    keyspace.unfreezeTime();
    return outcome;
  }

  // ---------------------------------------------------------------- leaving the blocked state

  /** Session close hook: a client that goes away while blocked leaves no trace. */
  private readonly forgetClient = (c: ClientSession): void => {
    const blocked = c.blockState as BlockedClient<unknown> | null;
    if (blocked !== null) this.release(blocked);
  };

  /** Remove `blocked` from every key's FIFO, stop its timer, clear the client's blocked state. */
  private release(blocked: BlockedClient<unknown>): void {
    if (!blocked.active) return;
    blocked.active = false;
    for (const node of blocked.nodes) {
      const queue = node.queue;
      queue.remove(node);
      if (queue.size === 0) {
        this.queues[queue.db.id]!.delete(queue.key);
        this.ready.delete(queue);
        this.queueCount--;
      }
    }
    blocked.nodes = [];
    if (blocked.deadline !== 0) this.timedCount--;
    if (blocked.timer !== null) {
      clearTimeout(blocked.timer);
      blocked.timer = null;
    }
    const c = blocked.client;
    c.blockState = null;
    c.flags &= ~ClientFlag.Blocked;
    this.blockedCount--;
    const connection = c.connection;
    if (connection !== null) connection.timeoutExempt = blocked.savedTimeoutExempt;
  }

  /**
   * After a released client got its reply: count an error reply in the stats
   * (it was written outside call()), flush the reply and let the connection run
   * the requests that waited behind the blocking command.
   */
  private wake(blocked: BlockedClient<unknown>): void {
    const c = blocked.client;
    const code = c.reply.lastErrorCode;
    if (code !== null) {
      c.reply.lastErrorCode = null;
      this.server.stats.countError(code);
    }
    const connection = c.connection;
    if (connection === null) return;
    connection.requestFlush();
    connection.resume();
  }

  private armTimer(blocked: BlockedClient<unknown>, delay: number): void {
    const wait = delay < 0 ? 0 : delay > MAX_TIMER_DELAY ? MAX_TIMER_DELAY : delay;
    const timer = setTimeout(onBlockTimer, wait, blocked);
    timer.unref();
    blocked.timer = timer;
  }
}
