/*
 * FAILOVER on the primary's side (redis-server 7.0's coordinated failover):
 *
 *   no-failover -> waiting-for-sync -> failover-in-progress -> no-failover
 *
 * - FAILOVER checks the state and the target, holds writes (the failover
 *   reason of ClientPause) and waits for sync.
 * - waiting-for-sync: once the target (or, without TO, the first replica) has
 *   acknowledged the whole stream (ACK offset = master_repl_offset), this server
 *   becomes a replica of it and its PSYNC carries FAILOVER (failover-in-progress).
 *   With TIMEOUT, when the time is up first: with FORCE it hands over anyway,
 *   else it rolls back. The replicas' periodic ACKs (one a second) carry the
 *   news: no GETACK is sent while writes are held, as in Redis, since it would
 *   lengthen the very stream the replica has to catch up with.
 * - failover-in-progress: the target answers the PSYNC. Accepted (+CONTINUE or
 *   +FULLRESYNC): done, the held commands run against a replica (writes get
 *   -READONLY). Refused: roll back. It retries while the target is unreachable.
 * - FAILOVER ABORT, a timeout without FORCE, or a refusal roll back: a server
 *   that already follows the target becomes a primary again (with a new
 *   replication ID, so its replicas resync partially), and the held commands run.
 */

import type { ClientPause, FailoverRequest, Logger } from "@spinel/commands";
import type { AttachedReplica, ReplicationPrimary } from "@spinel/replication";

/** INFO replication master_failover_state. */
export type FailoverState = "no-failover" | "waiting-for-sync" | "failover-in-progress";

/** What the failover asks of the replication service. */
export interface FailoverHooks {
  /** True while this server follows a primary. */
  isReplica(): boolean;
  /** Become a replica of host:port, asking it to take the primary role (PSYNC ... FAILOVER). */
  handOver(host: string, port: number): void;
  /** The hand-over ended (accepted or rolled back): PSYNC no longer carries FAILOVER. */
  handOverEnded(): void;
  /** Stop following the target and be a primary again. */
  rollBack(reason: string): void;
}

/** One server's FAILOVER state; see the file comment. */
export class Failover {
  state: FailoverState;
  private targetHost: string | null;
  private targetPort: number;
  private force: boolean;
  /** When (ms) waiting for sync ends, or 0 for never. */
  private endTime: number;
  private readonly primary: ReplicationPrimary;
  private readonly pause: ClientPause;
  private readonly logger: Logger;
  private readonly hooks: FailoverHooks;

  constructor(primary: ReplicationPrimary, pause: ClientPause, logger: Logger, hooks: FailoverHooks) {
    this.state = "no-failover";
    this.targetHost = null;
    this.targetPort = 0;
    this.force = false;
    this.endTime = 0;
    this.primary = primary;
    this.pause = pause;
    this.logger = logger;
    this.hooks = hooks;
  }

  /** True while a failover runs (REPLICAOF and PSYNC from replicas are refused). */
  get inProgress(): boolean {
    return this.state !== "no-failover";
  }

  /**
   * True while waiting for sync with a deadline: the primary then sends no
   * PINGs into the stream (Redis' rule: the stream must stand still for the
   * replica to catch up before the time is up).
   */
  get holdsPings(): boolean {
    return this.state === "waiting-for-sync" && this.endTime !== 0;
  }

  /**
   * FAILOVER [TO host port [FORCE]] [TIMEOUT ms]: the state checks in Redis'
   * order and with its errors; on success writes are held and waiting for
   * sync begins. Returns null (+OK) or the error reply text.
   */
  start(request: FailoverRequest, now: number): string | null {
    if (this.state !== "no-failover") return "ERR FAILOVER already in progress.";
    if (this.hooks.isReplica()) return "ERR FAILOVER is not valid when server is a replica.";
    if (this.primary.replicas.size === 0) return "ERR FAILOVER requires connected replicas.";
    if (request.force && (request.timeoutMs === 0 || request.host === null)) {
      return "ERR FAILOVER with force option requires both a timeout and target HOST and IP.";
    }
    if (request.host !== null) {
      const replica = this.findReplica(request.host, request.port);
      if (replica === null) return "ERR FAILOVER target HOST and PORT is not a replica.";
      if (replica.state !== "online") return "ERR FAILOVER target replica is not online.";
      this.targetHost = request.host;
      this.targetPort = request.port;
      this.logger.info(`FAILOVER requested to ${request.host}:${request.port}.`);
    } else {
      this.logger.info("FAILOVER requested to any replica.");
    }
    this.endTime = request.timeoutMs === 0 ? 0 : now + request.timeoutMs;
    this.force = request.force;
    this.state = "waiting-for-sync";
    this.pause.holdWritesForFailover();
    return null;
  }

  /** FAILOVER ABORT: roll back. Returns null (+OK) or the error reply text. */
  abortByRequest(): string | null {
    if (this.state === "no-failover") return "ERR No failover in progress.";
    this.abort("Failover manually aborted");
    return null;
  }

  /**
   * Called at the end of every loop turn and by the cron: while waiting for
   * sync, hand over once the target is in step, or act on the timeout.
   */
  update(now: number): void {
    if (this.state !== "waiting-for-sync") return;
    if (this.endTime !== 0 && this.endTime <= now) {
      if (this.force && this.targetHost !== null) {
        this.logger.info(
          `FAILOVER to ${this.targetHost}:${this.targetPort} time out exceeded, failing over.`,
        );
        this.beginHandOver();
      } else {
        this.abort("Replica never caught up before timeout");
      }
      return;
    }
    const offset = this.primary.offset;
    let replica: AttachedReplica | null = null;
    if (this.targetHost !== null) {
      replica = this.findReplica(this.targetHost, this.targetPort);
    } else {
      for (const candidate of this.primary.replicas.values()) {
        if (candidate.ackOffset === offset) {
          replica = candidate;
          this.targetHost = candidate.ip;
          this.targetPort = candidate.listeningPort;
          break;
        }
      }
    }
    if (replica !== null && replica.ackOffset === offset) {
      this.logger.info(`Failover target ${this.targetHost}:${this.targetPort} is synced, failing over.`);
      this.beginHandOver();
    }
  }

  /** The target answered PSYNC ... FAILOVER: done when accepted, rolled back when refused. */
  psyncAnswered(accepted: boolean, reply: string): void {
    if (this.state !== "failover-in-progress") return;
    if (accepted) {
      this.logger.info(`FAILOVER to ${this.targetHost}:${this.targetPort} completed.`);
      this.clear();
    } else {
      this.logger.warn(`Failover target refused PSYNC FAILOVER: ${reply}`);
      this.abort("Failover target rejected psync request");
    }
  }

  private beginHandOver(): void {
    this.state = "failover-in-progress";
    this.hooks.handOver(this.targetHost!, this.targetPort);
  }

  /** Roll back (a server already following the target becomes a primary again), then clear. */
  private abort(reason: string): void {
    if (this.state === "no-failover") return;
    const target = this.targetHost === null ? "any replica" : `${this.targetHost}:${this.targetPort}`;
    this.logger.info(`FAILOVER to ${target} aborted: ${reason}`);
    if (this.state === "failover-in-progress") this.hooks.rollBack(reason);
    this.clear();
  }

  /** Back to no-failover: the held commands go through the gate again. */
  private clear(): void {
    const handingOver = this.state === "failover-in-progress";
    this.state = "no-failover";
    this.targetHost = null;
    this.targetPort = 0;
    this.force = false;
    this.endTime = 0;
    if (handingOver) this.hooks.handOverEnded();
    this.pause.endFailoverHold();
  }

  /** The replica announced as host:port (REPLCONF ip-address, else its address; listening-port). */
  private findReplica(host: string, port: number): AttachedReplica | null {
    const wanted = host.toLowerCase();
    for (const replica of this.primary.replicas.values()) {
      if (replica.ip.toLowerCase() === wanted && replica.listeningPort === port) return replica;
    }
    return null;
  }
}
