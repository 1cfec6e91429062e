/*
 * CLIENT PAUSE: holding clients' commands for a while.
 *
 * While a pause is in effect, the gate hands the commands it would run to
 * hold() instead (every command with ALL; with WRITE only those that write or
 * may replicate, which includes PUBLISH and scripts, and an EXEC whose queue
 * holds such a command). A held client's connection stops reading requests, so
 * the commands it pipelined behind wait too and its replies keep their order.
 * When the pause ends (its deadline, CLIENT UNPAUSE), the held commands go
 * through the gate again, client by client in the order they were held, and
 * each connection carries on with its buffered requests.
 *
 * The dataset stands still during a pause: keys past their deadline read as
 * missing but are not deleted (no DEL is propagated), the server's active
 * expiry asks `active` and skips its cycle, and so must eviction.
 *
 * Replicas' connections and pseudo-clients (no connection) are never held.
 *
 * Two reasons to hold commands coexist, as Redis' pause purposes do: CLIENT
 * PAUSE (with its deadline) and a FAILOVER (writes held until it ends, without
 * a deadline). The pause in effect is the most restrictive of the two; CLIENT
 * UNPAUSE ends only the first.
 */

import { ExpiryMode } from "@spinel/core-db";
import { ClientFlag, type ClientSession } from "./client-session.js";
import { type Command, FlagBit } from "./command-table.js";
import { processCommand } from "./dispatch.js";
import type { ServerState } from "./server-state.js";

/** What a pause holds back. Ordered: a larger mode is more restrictive. */
export enum PauseMode {
  None = 0,
  /** Commands that write or may replicate. */
  Write = 1,
  /** Every command. */
  All = 2,
}

/** The longest a Node timer can wait; longer pauses re-arm it. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** A command waiting for the pause to end. */
interface HeldCommand {
  readonly client: ClientSession;
  readonly argv: Buffer[];
  /** The connection's idle-timeout exemption before it was held (held clients are exempt). */
  readonly timeoutExempt: boolean;
}

/** The CLIENT PAUSE state of one server. */
export class ClientPause {
  /** True while a pause is in effect (the gate's only test on its hot path). */
  active: boolean;
  /** The mode in effect: the stricter of CLIENT PAUSE's and the failover's. */
  mode: PauseMode;
  /** When the CLIENT PAUSE ends (ms since the epoch), 0 without one. */
  endTime: number;
  /** CLIENT PAUSE's own mode (None when there is none). */
  private clientMode: PauseMode;
  /** A FAILOVER holds writes (PauseMode.Write) until it ends. */
  private failoverHold: boolean;
  private readonly server: ServerState;
  private held: HeldCommand[];
  private readonly heldClients: Set<ClientSession>;
  private timer: ReturnType<typeof setTimeout> | null;
  private releaseScheduled: boolean;
  /** True when the pause switched lazy expiry to "hide only" and must switch it back. */
  private expiryChanged: boolean;

  constructor(server: ServerState) {
    this.server = server;
    this.active = false;
    this.mode = PauseMode.None;
    this.endTime = 0;
    this.clientMode = PauseMode.None;
    this.failoverHold = false;
    this.held = [];
    this.heldClients = new Set();
    this.timer = null;
    this.releaseScheduled = false;
    this.expiryChanged = false;
    server.sessionCloseHooks.push((c) => this.forget(c));
  }

  /** Number of clients waiting. */
  get heldCount(): number {
    return this.heldClients.size;
  }

  /** True when `c` has a command waiting for the pause to end. */
  isHeld(c: ClientSession): boolean {
    return this.heldClients.has(c);
  }

  /**
   * CLIENT PAUSE: start a pause, or extend the current one: the later deadline
   * and the more restrictive mode win, as in Redis.
   */
  pause(mode: PauseMode, endTime: number): void {
    if (this.clientMode === PauseMode.None || endTime > this.endTime) this.endTime = endTime;
    if (mode > this.clientMode) this.clientMode = mode;
    this.refresh();
    this.armTimer();
  }

  /**
   * End the CLIENT PAUSE now (CLIENT UNPAUSE, or its deadline); held commands
   * run right after the current one (those a failover still holds wait again).
   */
  unpause(): void {
    if (this.clientMode === PauseMode.None) return;
    this.clientMode = PauseMode.None;
    this.endTime = 0;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.refresh();
  }

  /**
   * FAILOVER: hold writes (as CLIENT PAUSE WRITE, without a deadline) until
   * endFailoverHold(). CLIENT UNPAUSE does not end it.
   */
  holdWritesForFailover(): void {
    this.failoverHold = true;
    this.refresh();
  }

  /** The failover ended (done or rolled back): its held commands go through the gate again. */
  endFailoverHold(): void {
    if (!this.failoverHold) return;
    this.failoverHold = false;
    this.refresh();
  }

  /**
   * Recompute the pause in effect from its two reasons. Starting one freezes
   * lazy expiry; ending it (or easing ALL to WRITE) lets the held commands
   * through the gate again.
   */
  private refresh(): void {
    const before = this.mode;
    const failoverMode = this.failoverHold ? PauseMode.Write : PauseMode.None;
    this.mode = this.clientMode > failoverMode ? this.clientMode : failoverMode;
    const wasActive = this.active;
    this.active = this.mode !== PauseMode.None;
    const keyspace = this.server.keyspace;
    if (this.active && !wasActive && keyspace.expiryMode === ExpiryMode.Delete) {
      keyspace.expiryMode = ExpiryMode.HideOnly;
      this.expiryChanged = true;
    } else if (!this.active && wasActive && this.expiryChanged) {
      this.expiryChanged = false;
      // A server that became a replica meanwhile (FAILOVER, REPLICAOF) keeps expiring by its primary's DELs.
      const replica = this.server.replication?.isReplica ?? false;
      if (keyspace.expiryMode === ExpiryMode.HideOnly && !replica) keyspace.expiryMode = ExpiryMode.Delete;
    }
    if (this.mode < before) this.scheduleRelease();
  }

  /**
   * Whether the gate must hold `command` (flag bits `flags`, its container's
   * included) for client `c`. Only called while `active`.
   */
  mustHold(c: ClientSession, command: Command, flags: number): boolean {
    if (c.connection === null || (c.flags & (ClientFlag.Replica | ClientFlag.Loading)) !== 0) return false;
    if (this.mode === PauseMode.All) return true;
    if ((flags & (FlagBit.Write | FlagBit.MayReplicate)) !== 0) return true;
    if (command.fullName === "exec" && c.multiQueue !== null) {
      for (const queued of c.multiQueue) {
        const queuedFlags = queued.command.flagBits | (queued.command.parent?.flagBits ?? 0);
        if ((queuedFlags & (FlagBit.Write | FlagBit.MayReplicate)) !== 0) return true;
      }
    }
    return false;
  }

  /**
   * Hold `argv` of client `c` until the pause ends: its connection stops
   * handing over requests. The arguments are copied (they may be views of
   * the socket's input).
   */
  hold(c: ClientSession, argv: readonly Buffer[]): void {
    const connection = c.connection!;
    const copy = argv.map((arg) => Buffer.from(arg));
    this.held.push({ client: c, argv: copy, timeoutExempt: connection.timeoutExempt });
    this.heldClients.add(c);
    // Waiting on a pause is not idleness: the timeout parameter spares it, as it spares blocked clients.
    connection.timeoutExempt = true;
    connection.pause();
  }

  /** A client went away: drop what it had waiting. */
  private forget(c: ClientSession): void {
    if (!this.heldClients.delete(c)) return;
    this.held = this.held.filter((entry) => entry.client !== c);
  }

  private armTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    const delay = this.endTime - Date.now();
    const wait = delay < 0 ? 0 : delay > MAX_TIMER_DELAY ? MAX_TIMER_DELAY : delay;
    this.timer = setTimeout(this.onTimer, wait);
    this.timer.unref();
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    if (this.clientMode === PauseMode.None) return;
    if (Date.now() >= this.endTime) this.unpause();
    else this.armTimer();
  };

  private scheduleRelease(): void {
    if (this.releaseScheduled || this.held.length === 0) return;
    this.releaseScheduled = true;
    setImmediate(this.release);
  }

  /**
   * Run the held commands through the gate again, in the order they were held
   * (a new pause may hold some again), then let each connection continue.
   */
  private readonly release = (): void => {
    this.releaseScheduled = false;
    const held = this.held;
    this.held = [];
    for (const { client } of held) this.heldClients.delete(client);
    for (const { client, argv, timeoutExempt } of held) {
      const connection = client.connection;
      if (connection !== null) connection.timeoutExempt = timeoutExempt;
      processCommand(client, argv);
      if (connection === null || this.heldClients.has(client)) continue;
      connection.requestFlush();
      if ((client.flags & ClientFlag.Blocked) === 0) connection.resume();
    }
  };
}
