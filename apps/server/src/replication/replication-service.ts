/*
 * The server's replication: it plugs @spinel/replication into the running
 * server and implements the ReplicationControl @spinel/commands asks for
 * (REPLCONF, PSYNC, REPLICAOF, ROLE, WAIT, FAILOVER).
 *
 * - As a primary, a ReplicationPrimary follows the propagation stream; a client
 *   that sends PSYNC becomes a replica whose connection the primary writes to
 *   directly (output limit class "replica", exempt from the idle timeout).
 * - As a replica, a ReplicaLink follows the primary; the RDB of a full sync is
 *   loaded in slices across loop turns (./full-sync-load.ts: clients get
 *   -LOADING meanwhile, as from redis-server), and each command of the stream runs through call()
 *   with a pseudo-client flagged Primary (so that it passes the read-only gate
 *   and is propagated to this server's AOF), while the primary's bytes are fed
 *   unchanged to this server's backlog and sub-replicas. Keys expire only by the
 *   primary's DELs (ExpiryMode.HideOnly).
 * - The cron sends PINGs and ACKs, drops silent replicas, keeps the
 *   min-replicas-to-write state and answers WAITs whose time is up. WAIT waits
 *   for the calling client's own last write offset (ClientSession.writeOffset).
 * - Every RDB the server writes records the replication ID, offset and stream
 *   database (rdbAuxFields); after a restart restoreFromRdb takes them up, so a
 *   replica resyncs partially and a primary's replicas too (Redis 7.0).
 * - FAILOVER's state machine is ./failover.ts; here, its hand-over: following
 *   the target with PSYNC ... FAILOVER (the replicas stay attached until the
 *   target's new replication ID arrives), and on the target's side the
 *   promotion a matching PSYNC ... FAILOVER asks for.
 */

import {
  ClientFlag,
  type ClientSession,
  type FailoverRequest,
  functionLibraryCodes,
  LoadingClient,
  type ReplicationControl,
  type ReplicationRole,
  type ReplicationStats,
  restoreFunctionLibraries,
  type ServerState,
} from "@spinel/commands";
import { ExpiryMode } from "@spinel/core-db";
import type { EventLoop } from "@spinel/eventloop";
import {
  type AttachedReplica,
  ReplicaLink,
  type ReplicaLinkHandler,
  ReplicationPrimary,
} from "@spinel/replication";
import type { Logger } from "pino";
import type { ConfigStore } from "../config/config-store.js";
import { Failover } from "./failover.js";
import { FullSyncLoad, type LoadProgressTracker } from "./full-sync-load.js";

/** Reconnection delay of the link to a failover target (Redis runs its replication cron at 10 Hz then). */
const HAND_OVER_RETRY_MS = 100;
const LINK_RETRY_MS = 1000;

/** A client blocked in WAIT. */
interface Waiter {
  readonly client: ClientSession;
  readonly offset: number;
  readonly numReplicas: number;
  /** Deadline in ms, or 0 for none. */
  readonly deadline: number;
}

/** Dependencies of the service. */
export interface ReplicationServiceOptions {
  state: ServerState;
  config: ConfigStore;
  loop: EventLoop;
  logger: Logger;
  /** The port this server listens on (REPLCONF listening-port). */
  listeningPort: () => number;
  /** Where a full sync's load shows its progress (INFO persistence). */
  loadProgress: LoadProgressTracker;
}

/** Replication of one server; see the file comment. */
export class ReplicationService implements ReplicationControl {
  readonly primary: ReplicationPrimary;
  /** The link to this server's primary, or null while it is a primary. */
  link: ReplicaLink | null;
  private readonly state: ServerState;
  private readonly config: ConfigStore;
  private readonly loop: EventLoop;
  private readonly logger: Logger;
  private readonly listeningPort: () => number;
  private readonly loadProgress: LoadProgressTracker;
  /** Replicas by client id, from their first REPLCONF on. */
  private readonly candidates: Map<number, AttachedReplica>;
  private waiters: Waiter[];
  /** Bytes received by links that were replaced (total_net_repl_input_bytes). */
  private bytesFromPrimaries: number;
  private primaryClient: LoadingClient | null;
  private lastPing: number;
  private lastSecond: number;
  /** The stream offset where the primary's open MULTI began (meaningful while one is open). */
  private transactionStartOffset: number;
  /** The primary's stream database recorded in the RDB loaded at start-up, for the first link; or -1. */
  private restoredStreamDb: number;
  /** The replication ID and offset of a full sync whose RDB is not loaded yet, or null. */
  private pendingHistory: { replid: string; offset: number } | null;
  /** A WAIT asked the replicas for an ACK this turn. */
  private acksWanted: boolean;
  /** The RDB of a full sync being loaded, or null. */
  private fullSyncLoad: FullSyncLoad | null;
  /** Each replica's input byte count at the last cron check (see noteReplicaInput). */
  private readonly replicaInputSeen: Map<number, number>;
  /** FAILOVER's state (INFO master_failover_state). */
  readonly coordinatedFailover: Failover;

  constructor(options: ReplicationServiceOptions) {
    this.state = options.state;
    this.config = options.config;
    this.loop = options.loop;
    this.logger = options.logger;
    this.listeningPort = options.listeningPort;
    this.loadProgress = options.loadProgress;
    this.candidates = new Map();
    this.waiters = [];
    this.bytesFromPrimaries = 0;
    this.primaryClient = null;
    this.link = null;
    this.lastPing = Date.now();
    this.lastSecond = 0;
    this.transactionStartOffset = 0;
    this.restoredStreamDb = -1;
    this.pendingHistory = null;
    this.acksWanted = false;
    this.fullSyncLoad = null;
    this.replicaInputSeen = new Map();
    const config = this.config;
    this.primary = new ReplicationPrimary({
      keyspace: this.state.keyspace,
      settings: {
        backlogSize: config.get("repl-backlog-size"),
        disklessSync: config.get("repl-diskless-sync"),
        disklessSyncDelay: config.get("repl-diskless-sync-delay"),
      },
      log: (message) => this.logger.info(message),
      functionLibraries: () => functionLibraryCodes(this.state),
      streamStaged: () => this.loop.scheduleTurnEnd(),
    });
    this.coordinatedFailover = new Failover(this.primary, this.state.clientPause, this.logger, {
      isReplica: () => this.isReplica,
      handOver: (host, port) => this.follow(host, port, true),
      handOverEnded: () => {
        if (this.link === null) return;
        this.link.failover = false;
        this.link.retryMs = LINK_RETRY_MS;
      },
      rollBack: (reason) => this.unfollow(`failover aborted: ${reason}`),
    });
    this.state.stream.addConsumer(this.primary);
    this.state.replication = this;
    this.state.sessionCloseHooks.push((c) => this.sessionClosed(c));
    config.onChange("repl-backlog-size", (size) => this.primary.resizeBacklog(size));
    config.onChange("repl-diskless-sync", () => this.refreshSettings());
    config.onChange("repl-diskless-sync-delay", () => this.refreshSettings());
    config.onChange("replica-read-only", () => this.refreshSettings());
    config.onChange("replica-serve-stale-data", () => this.refreshSettings());
    config.onChange("repl-timeout", () => this.refreshSettings());
    config.onChange("min-replicas-to-write", () => this.refreshGoodReplicas(Date.now()));
    config.onChange("min-replicas-max-lag", () => this.refreshGoodReplicas(Date.now()));
    this.loop.addCronJob((now) => this.cron(now));
    this.loop.addBeforeSleep(() => {
      // ACKs that arrived this turn may complete a failover's wait for sync.
      this.coordinatedFailover.update(Date.now());
      // As in Redis, no GETACK while clients are paused: it would lengthen the stream; it goes out after.
      if (this.acksWanted && !this.state.clientPause.active) {
        this.acksWanted = false;
        this.primary.requestAcks();
      }
      // This turn's stream, to the backlog and to each replica as one write.
      this.primary.flushStream();
    });
    // With min-replicas-to-write set, writes are refused from the start until replicas attach.
    this.refreshGoodReplicas(Date.now());
  }

  /** Start following the configured `replicaof`, if any (after listen()). */
  start(): void {
    const target = this.config.get("replicaof");
    if (target !== "") {
      const [host, port] = target.split(" ");
      this.follow(host!, Number(port));
    }
  }

  /**
   * The aux fields an RDB written now carries (Redis' repl-stream-db, repl-id,
   * repl-offset), so that after a restart this server can continue the same
   * replication history; none when it has no history worth keeping (a primary
   * without a backlog, a replica that never synced). The offset is that of the
   * dataset being saved: on a replica inside the primary's MULTI, the offset
   * where the MULTI began (the queued commands are not in the dataset yet).
   */
  rdbAuxFields(): Array<[string, string]> {
    const primary = this.primary;
    if (primary.backlog === null) return [];
    let streamDb: number;
    let offset = primary.offset;
    if (this.link === null) {
      streamDb = primary.selectedDb === -1 ? 0 : primary.selectedDb;
    } else {
      const client = this.primaryClient;
      if (client === null) return [];
      streamDb = client.dbIndex;
      if (client.inTransaction) offset = this.transactionStartOffset;
    }
    return [
      ["repl-stream-db", String(streamDb)],
      ["repl-id", primary.replid],
      ["repl-offset", String(offset)],
    ];
  }

  /**
   * After the start-up load: take up the replication history the RDB recorded
   * (see rdbAuxFields), as redis-server 7.0 does. A replica (replicaof set)
   * offers PSYNC <repl-id> <repl-offset + 1> to its primary; a primary keeps the
   * ID as replid2 so its former replicas continue partially. Fields that are
   * missing or malformed are ignored (a full sync follows).
   */
  restoreFromRdb(aux: ReadonlyMap<string, string>): void {
    const replid = aux.get("repl-id");
    const offset = Number(aux.get("repl-offset"));
    const streamDb = Number(aux.get("repl-stream-db"));
    if (
      replid === undefined ||
      !/^[0-9a-f]{40}$/i.test(replid) ||
      !Number.isSafeInteger(offset) ||
      offset < 0 ||
      !Number.isInteger(streamDb) ||
      streamDb < 0 ||
      streamDb >= this.state.keyspace.databases.length
    ) {
      return;
    }
    const asReplica = this.config.get("replicaof") !== "";
    this.primary.restoreHistory(replid, offset, asReplica);
    if (asReplica) this.restoredStreamDb = streamDb;
    this.logger.info(
      { replid, offset },
      asReplica
        ? "Replication ID and offset restored from the RDB: a partial resynchronization will be tried"
        : "Replication ID of the RDB kept as the secondary ID: replicas may resynchronize partially",
    );
  }

  /** Stop the link (server shutdown). */
  stop(): void {
    this.link?.stop();
    this.link = null;
  }

  /** True while this server follows a primary. */
  get isReplica(): boolean {
    return this.link !== null;
  }

  private refreshSettings(): void {
    const config = this.config;
    const settings = this.primary.settings;
    settings.disklessSync = config.get("repl-diskless-sync");
    settings.disklessSyncDelay = config.get("repl-diskless-sync-delay");
    if (this.link !== null) this.link.timeoutMs = config.get("repl-timeout") * 1000;
    this.state.settings.readOnlyReplica = this.isReplica && config.get("replica-read-only");
    this.refreshStale();
  }

  private refreshStale(): void {
    this.state.settings.refuseStaleData =
      this.link !== null && !this.link.up && !this.config.get("replica-serve-stale-data");
  }

  // ---------------------------------------------------------------- primary side

  replconf(c: ClientSession, args: readonly Buffer[]): "ok" | "none" | string {
    for (let i = 0; i + 1 < args.length; i += 2) {
      const option = args[i]!.toString("latin1").toLowerCase();
      const value = args[i + 1]!.toString("latin1");
      switch (option) {
        case "listening-port": {
          const port = Number(value);
          if (!Number.isInteger(port)) return "ERR value is not an integer or out of range";
          this.candidate(c).listeningPort = port;
          break;
        }
        case "ip-address":
          this.candidate(c).ip = value;
          break;
        case "capa":
          if (value.toLowerCase() === "eof") this.candidate(c).capaEof = true;
          else if (value.toLowerCase() === "psync2") this.candidate(c).capaPsync2 = true;
          break;
        case "ack": {
          const replica = this.primary.replicas.get(c.id);
          const offset = Number(value);
          if (replica !== undefined && Number.isInteger(offset)) {
            this.primary.acknowledge(replica, offset);
            const now = Date.now();
            if (this.state.settings.tooFewReplicas) this.refreshGoodReplicas(now);
            this.serveWaiters(now);
          }
          return "none";
        }
        case "getack":
          if (this.link !== null && c.hasFlag(ClientFlag.Primary)) this.link.tick(Date.now());
          return "none";
        case "rdb-only":
        case "rdb-filter-only":
          break;
        default:
          return `ERR Unrecognized REPLCONF option: ${args[i]!.toString("latin1")}`;
      }
    }
    return "ok";
  }

  /** The replica record of client `c`, created at its first REPLCONF. */
  private candidate(c: ClientSession): AttachedReplica {
    let replica = this.candidates.get(c.id);
    if (replica === undefined) {
      const connection = c.connection!;
      const channel = {
        write: (bytes: Buffer) => {
          if (connection.isClosing) return;
          connection.writer.raw(bytes);
          connection.requestFlush();
        },
        writeSnapshot: (bytes: Buffer) => {
          if (connection.isClosing) return;
          // The socket's connection: the RDB does not count against the output limit.
          const socketConnection = this.loop.connections.get(c.id);
          if (socketConnection !== undefined) socketConnection.writeOutsideLimits(bytes);
          else connection.writer.raw(bytes);
          connection.requestFlush();
        },
        holdPending: (bytes: number) => {
          // Counted against the output limit like the connection's own buffers.
          const socketConnection = this.loop.connections.get(c.id);
          if (socketConnection === undefined) return;
          socketConnection.heldOutputBytes = bytes;
          if (bytes > 0) socketConnection.checkOutputLimits();
        },
        close: () => connection.close(false),
      };
      const address = connection.remoteAddress;
      const ip = address.slice(0, address.lastIndexOf(":"));
      replica = this.primary.attach(c.id, channel, ip);
      this.candidates.set(c.id, replica);
    }
    return replica;
  }

  psync(c: ClientSession, replid: string, offset: number, failover = false): string | null {
    if (c.connection === null) return "ERR PSYNC needs a connection";
    if (failover) {
      // The primary hands its role to this replica: promote first, then answer as a primary.
      this.logger.warn(`Failover request received for replid ${replid}.`);
      if (this.link === null) return "ERR PSYNC FAILOVER can't be sent to a master.";
      if (replid.toLowerCase() !== this.primary.replid.toLowerCase()) {
        return "ERR PSYNC FAILOVER replid must match my replid.";
      }
      this.unfollow(`failover request from '${c.connection.remoteAddress}'`);
    }
    if (this.coordinatedFailover.inProgress) return "NOMASTERLINK Can't SYNC while failing over";
    if (this.link !== null && !this.link.up)
      return "NOMASTERLINK Can't SYNC while not connected with my master";
    const replica = this.candidate(c);
    c.flags |= ClientFlag.Replica;
    const connection = this.loop.connections.get(c.id);
    if (connection !== undefined) {
      connection.outputLimitClass = "replica";
      connection.timeoutExempt = true;
    }
    const outcome = this.primary.psync(replica, replid, offset);
    this.logger.info(
      { replica: `${replica.ip}:${replica.listeningPort}`, outcome },
      outcome === "full"
        ? "Starting full resynchronization with replica"
        : "Partial resynchronization accepted",
    );
    return null;
  }

  private sessionClosed(c: ClientSession): void {
    this.candidates.delete(c.id);
    this.primary.detach(c.id);
    if (this.waiters.length > 0) this.waiters = this.waiters.filter((w) => w.client !== c);
  }

  /** master_repl_offset (ReplicationControl.streamOffset). */
  get streamOffset(): number {
    return this.primary.offset;
  }

  /** WAIT: replicas that acknowledged the client's own last write (its writeOffset, Redis' c->woff). */
  wait(c: ClientSession, numReplicas: number, timeoutMs: number): number | null {
    const offset = c.writeOffset;
    const acked = this.primary.countAcked(offset);
    if (acked >= numReplicas || timeoutMs < 0 || c.connection === null) return acked;
    this.waiters.push({
      client: c,
      offset,
      numReplicas,
      deadline: timeoutMs === 0 ? 0 : Date.now() + timeoutMs,
    });
    c.connection.pause();
    // GETACK goes out at the end of the turn (as in Redis), outside the WAIT
    // itself, so that it does not count as this client's write.
    this.acksWanted = true;
    this.loop.scheduleTurnEnd();
    return null;
  }

  /** Answer the WAITs that are satisfied, or whose time is up. */
  private serveWaiters(now: number): void {
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      const acked = this.primary.countAcked(waiter.offset);
      if (acked >= waiter.numReplicas || (waiter.deadline !== 0 && now >= waiter.deadline)) {
        const connection = waiter.client.connection!;
        waiter.client.reply.integer(acked);
        connection.requestFlush();
        connection.resume();
      } else {
        still.push(waiter);
      }
    }
    this.waiters = still;
    this.loop.scheduleTurnEnd();
  }

  /** Recount good replicas for min-replicas-to-write. */
  private refreshGoodReplicas(now: number): void {
    const needed = this.config.get("min-replicas-to-write");
    const maxLag = this.config.get("min-replicas-max-lag");
    this.state.settings.tooFewReplicas =
      needed > 0 && maxLag > 0 && !this.isReplica && this.primary.countGood(now, maxLag) < needed;
  }

  // ---------------------------------------------------------------- replica side

  replicaOf(host: string | null, port: number): { status: string } | { error: string } {
    if (this.coordinatedFailover.inProgress)
      return { error: "ERR REPLICAOF not allowed while failing over." };
    if (host === null) {
      if (this.link !== null) this.unfollow("user request from REPLICAOF NO ONE");
      return { status: "OK" };
    }
    if (
      this.link !== null &&
      this.link.host.toLowerCase() === host.toLowerCase() &&
      this.link.port === port
    ) {
      this.logger.info(
        "REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.",
      );
      return { status: "OK Already connected to specified master" };
    }
    this.follow(host, port);
    return { status: "OK" };
  }

  /**
   * FAILOVER [TO host port [FORCE]] [TIMEOUT ms] (ReplicationControl.failover).
   * Checked and started by ./failover.ts; null (+OK) or the error text.
   */
  failover(request: FailoverRequest): string | null {
    const error = this.coordinatedFailover.start(request, Date.now());
    if (error === null) this.loop.scheduleTurnEnd();
    return error;
  }

  /** FAILOVER ABORT (ReplicationControl.abortFailover). */
  abortFailover(): string | null {
    return this.coordinatedFailover.abortByRequest();
  }

  /**
   * Become a replica of host:port. Our own replicas are dropped (they must
   * resync), except in a failover's hand-over (`handOver`): they stay until the
   * target answers with its new replication ID, and the link's PSYNC carries
   * FAILOVER and retries quickly while the target is unreachable.
   */
  private follow(host: string, port: number, handOver = false): void {
    this.unblockAllClients();
    this.bytesFromPrimaries += this.link?.bytesReceived ?? 0;
    this.link?.stop();
    if (!handOver) this.primary.dropAllReplicas();
    this.primary.followsLocalStream = false;
    this.state.keyspace.expiryMode = ExpiryMode.HideOnly;
    const client = new LoadingClient(this.state);
    client.session.flags = (client.session.flags & ~ClientFlag.Loading) | ClientFlag.Primary;
    if (this.restoredStreamDb >= 0) client.session.db = this.state.keyspace.db(this.restoredStreamDb);
    this.restoredStreamDb = -1;
    this.primaryClient = client;
    this.link = new ReplicaLink({
      host,
      port,
      handler: this.linkHandler(),
      timeoutMs: this.config.get("repl-timeout") * 1000,
      failover: handOver,
      retryMs: handOver ? HAND_OVER_RETRY_MS : LINK_RETRY_MS,
    });
    this.config.override("replicaof", `${host} ${port}`);
    this.logger.info(`Connecting to MASTER ${host}:${port}`);
    this.refreshSettings();
    this.link.start();
  }

  /**
   * A role change to replica: clients blocked on keys or in WAIT get Redis'
   * -UNBLOCKED error and are disconnected after it (clients held by a pause are
   * not blocked: their commands run again through the gate).
   */
  private unblockAllClients(): void {
    const message =
      "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)";
    this.state.blocking.unblockAllWithError(message);
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      const connection = waiter.client.connection!;
      waiter.client.reply.error(message);
      const code = waiter.client.reply.lastErrorCode;
      if (code !== null) {
        waiter.client.reply.lastErrorCode = null;
        this.state.stats.countError(code);
      }
      connection.close(true);
    }
  }

  /**
   * Promotion (REPLICAOF NO ONE, PSYNC ... FAILOVER, a rolled-back failover): a
   * new replication ID; the old one stays valid as replid2. `why` goes to the log.
   */
  private unfollow(why: string): void {
    this.bytesFromPrimaries += this.link?.bytesReceived ?? 0;
    this.link?.stop();
    this.link = null;
    this.primaryClient?.discardTransaction();
    this.primaryClient = null;
    this.primary.dropAllReplicas();
    this.primary.promote();
    this.state.keyspace.expiryMode = ExpiryMode.Delete;
    this.config.override("replicaof", "");
    this.logger.info(`MASTER MODE enabled (${why})`);
    this.refreshSettings();
  }

  /** INFO's measured replication figures. */
  stats(): ReplicationStats {
    const primary = this.primary;
    return {
      fullSyncs: primary.fullSyncs,
      partialSyncsOk: primary.partialSyncsOk,
      partialSyncsErr: primary.partialSyncsErr,
      backlogBytes: primary.backlog?.size ?? 0,
      replicaOutputBytes: this.replicaOutputBytes(),
      netInputBytes: this.bytesFromPrimaries + (this.link?.bytesReceived ?? 0),
      netOutputBytes: primary.bytesSent,
    };
  }

  /** Bytes waiting in the attached replicas' output (their connections' buffers and sockets). */
  private replicaOutputBytes(): number {
    let total = 0;
    for (const replica of this.primary.replicas.values()) {
      total += this.loop.connections.get(replica.id)?.outputBufferBytes ?? 0;
    }
    return total;
  }

  /** CLIENT KILL TYPE master: drop the link (it reconnects with PSYNC). */
  killPrimaryLink(): number {
    if (this.link === null || !this.link.up) return 0;
    this.link.drop();
    return 1;
  }

  private linkHandler(): ReplicaLinkHandler {
    return {
      resumePoint: () =>
        this.primary.backlog === null ? null : { replid: this.primary.replid, offset: this.primary.offset },
      listeningPort: () => this.config.get("replica-announce-port") || this.listeningPort(),
      fullSyncStarted: (replid, offset) => {
        // The new history starts once its RDB is loaded: a transfer cut before
        // that must not leave an ID and offset the old dataset would resume from.
        this.pendingHistory = { replid, offset };
        this.primary.dropAllReplicas();
      },
      loadRdb: (rdb, done) => {
        this.loadRdb(rdb, (failure) => {
          if (failure === null) {
            const history = this.pendingHistory;
            this.pendingHistory = null;
            if (history !== null) this.primary.resetHistory(history.replid, history.offset);
          }
          done(failure);
        });
      },
      abortLoad: () => this.fullSyncLoad?.abort(),
      continued: (replid) => {
        this.pendingHistory = null;
        this.primary.ensureBacklog();
        if (replid !== null && replid !== this.primary.replid) {
          // A new ID (the primary was promoted, e.g. by a failover): our replicas must learn it, as in Redis.
          this.primary.switchId(replid);
          this.primary.dropAllReplicas();
        }
      },
      apply: (argv, bytes) => {
        const client = this.primaryClient;
        if (client !== null) {
          const keyspace = this.state.keyspace;
          // The primary's commands see keys past their deadline: only its DEL removes them.
          keyspace.expiryMode = ExpiryMode.Never;
          const inTransaction = client.inTransaction;
          const offsetBefore = this.primary.offset;
          const failure = client.execute(argv);
          if (!inTransaction && client.inTransaction) this.transactionStartOffset = offsetBefore;
          keyspace.expiryMode = ExpiryMode.HideOnly;
          if (failure !== null) this.logger.warn({ reason: failure }, "Command from the primary not applied");
        }
        this.primary.feedRaw(bytes);
      },
      passThrough: (bytes) => {
        this.primary.feedRaw(bytes);
      },
      linkChanged: (up) => {
        if (up)
          this.logger.info("MASTER <-> REPLICA sync: Master accepted a Partial or Full Resynchronization.");
        else this.logger.warn("Connection with master lost.");
        this.refreshStale();
      },
      failoverPsyncAnswered: (accepted, reply) => this.coordinatedFailover.psyncAnswered(accepted, reply),
      log: (level, message) => this.logger[level](message),
    };
  }

  /**
   * The RDB of a full sync, loaded in slices across loop turns (keys past their
   * deadline are kept: the primary's DEL removes them) while clients get
   * -LOADING and INFO shows the loading_* fields, then swapped in for the
   * dataset whole; an AOF in use is rewritten from it. `done` gets null, or why
   * the RDB could not be loaded (the dataset is then unchanged).
   */
  private loadRdb(rdb: Buffer, done: (failure: Error | null) => void): void {
    this.fullSyncLoad?.abort();
    const load = new FullSyncLoad({
      rdb,
      state: this.state,
      progress: this.loadProgress,
      // The primary's libraries replace this server's, as its keys do.
      restoreFunctions: (codes) => restoreFunctionLibraries(this.state, codes),
      finished: (failure) => {
        this.fullSyncLoad = null;
        if (failure === null) {
          this.primaryClient?.discardTransaction();
          if (this.primaryClient !== null) this.primaryClient.session.db = this.state.keyspace.db(0);
          if (this.config.get("appendonly")) this.state.aofControl?.rewriteInBackground();
        }
        done(failure);
      },
    });
    this.fullSyncLoad = load;
    load.start();
  }

  // ---------------------------------------------------------------- cron

  private cron(now: number): void {
    const second = Math.floor(now / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.link?.tick(now);
      this.noteReplicaInput(now);
      this.primary.releaseIdleBacklog(now, this.config.get("repl-backlog-ttl"));
      if (now - this.lastPing >= this.config.get("repl-ping-replica-period") * 1000) {
        this.lastPing = now;
        if (!(this.coordinatedFailover.holdsPings && this.state.clientPause.active))
          this.primary.pingReplicas();
      }
      this.primary.dropTimedOut(now, this.config.get("repl-timeout") * 1000);
      this.refreshGoodReplicas(now);
      this.refreshStale();
    }
    this.serveWaiters(now);
    this.coordinatedFailover.update(now);
  }

  /**
   * A replica that sent anything since the last check is alive: a replica
   * loading a big RDB sends newlines instead of ACKs, which must keep
   * repl-timeout from dropping it (Redis counts those newlines the same way).
   */
  private noteReplicaInput(now: number): void {
    const seen = this.replicaInputSeen;
    for (const replica of this.primary.replicas.values()) {
      const bytesIn = this.loop.connections.get(replica.id)?.bytesIn;
      if (bytesIn === undefined) continue;
      if (seen.get(replica.id) !== bytesIn) {
        if (seen.has(replica.id)) this.primary.heardFrom(replica, now);
        seen.set(replica.id, bytesIn);
      }
    }
    if (seen.size > this.primary.replicas.size) {
      for (const id of seen.keys()) if (!this.primary.replicas.has(id)) seen.delete(id);
    }
  }

  // ---------------------------------------------------------------- ROLE / INFO

  role(): ReplicationRole {
    const link = this.link;
    if (link === null) {
      const replicas: Array<readonly [string, number, number]> = [];
      for (const replica of this.primary.replicas.values()) {
        if (replica.state === "online") replicas.push([replica.ip, replica.listeningPort, replica.ackOffset]);
      }
      return { role: "master", offset: this.primary.offset, replicas };
    }
    const state =
      link.state === "connected"
        ? "connected"
        : link.state === "transfer"
          ? "sync"
          : link.state === "handshake"
            ? "handshake"
            : "connect";
    return { role: "slave", host: link.host, port: link.port, state, offset: link.up ? link.offset : -1 };
  }

  /** INFO replication, as redis-server 7.0 lays it out, from measured state. */
  infoSection(): string {
    // The backlog figures include this turn's stream.
    this.primary.flushStream();
    const lines: string[] = [];
    const now = Date.now();
    const link = this.link;
    const primary = this.primary;
    if (link === null) {
      lines.push("role:master");
    } else {
      lines.push("role:slave");
      lines.push(`master_host:${link.host}`);
      lines.push(`master_port:${link.port}`);
      lines.push(`master_link_status:${link.up ? "up" : "down"}`);
      lines.push(`master_last_io_seconds_ago:${link.up ? Math.floor((now - link.lastIoTime) / 1000) : -1}`);
      lines.push(`master_sync_in_progress:${link.state === "transfer" ? 1 : 0}`);
      lines.push(`slave_read_repl_offset:${link.readOffset}`);
      lines.push(`slave_repl_offset:${link.offset}`);
      if (link.state === "transfer") {
        const total = link.transferSize;
        lines.push(`master_sync_total_bytes:${total}`);
        lines.push(`master_sync_read_bytes:${link.transferRead}`);
        lines.push(`master_sync_left_bytes:${total < 0 ? -1 : total - link.transferRead}`);
        lines.push(
          `master_sync_perc:${total <= 0 ? "0.00" : ((link.transferRead / total) * 100).toFixed(2)}`,
        );
        lines.push(`master_sync_last_io_seconds_ago:${Math.floor((now - link.lastIoTime) / 1000)}`);
      }
      if (!link.up) lines.push(`master_link_down_since_seconds:${Math.floor((now - link.downSince) / 1000)}`);
      lines.push(`slave_priority:${this.config.get("replica-priority")}`);
      lines.push(`slave_read_only:${this.config.get("replica-read-only") ? 1 : 0}`);
      lines.push(`replica_announced:${this.config.get("replica-announced") ? 1 : 0}`);
    }
    let index = 0;
    const replicaLines: string[] = [];
    for (const replica of primary.replicas.values()) {
      const lag = Math.floor((now - replica.ackTime) / 1000);
      replicaLines.push(
        `slave${index++}:ip=${replica.ip},port=${replica.listeningPort},state=${replica.state},offset=${replica.ackOffset},lag=${lag}`,
      );
    }
    lines.push(`connected_slaves:${replicaLines.length}`);
    const needed = this.config.get("min-replicas-to-write");
    if (needed > 0 && this.config.get("min-replicas-max-lag") > 0) {
      lines.push(`min_slaves_good_slaves:${primary.countGood(now, this.config.get("min-replicas-max-lag"))}`);
    }
    lines.push(...replicaLines);
    lines.push(`master_failover_state:${this.coordinatedFailover.state}`);
    lines.push(`master_replid:${primary.replid}`);
    lines.push(`master_replid2:${primary.replid2}`);
    lines.push(`master_repl_offset:${primary.offset}`);
    lines.push(`second_repl_offset:${primary.secondReplOffset}`);
    const backlog = primary.backlog;
    lines.push(`repl_backlog_active:${backlog === null ? 0 : 1}`);
    lines.push(`repl_backlog_size:${this.config.get("repl-backlog-size")}`);
    lines.push(`repl_backlog_first_byte_offset:${backlog === null ? 0 : backlog.firstByteOffset}`);
    lines.push(`repl_backlog_histlen:${backlog === null ? 0 : backlog.historyLength}`);
    return `${lines.join("\r\n")}\r\n`;
  }
}
