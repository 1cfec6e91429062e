/*
 * ServerState: everything commands share across clients: the keyspace, the command
 * table, the connected sessions, stats, and the services injected by apps/server
 * (configuration store, propagation to AOF and replicas, logger, server control).
 *
 * Lower packages declare the small interfaces they need and apps/server plugs
 * implementations in; this file declares the ones @spinel/commands needs.
 */

import {
  ActiveExpireState,
  type Database,
  type EventClass,
  EvictionPolicy,
  Keyspace,
  type KeyspaceHooks,
  type RedisValue,
} from "@spinel/core-db";
import { BlockingRegistry } from "./blocking.js";
import { ClientPause } from "./client-pause.js";
import type { ClientSession } from "./client-session.js";
import type { CommandSpec } from "./command-spec.js";
import { CommandTable } from "./command-table.js";
import { LatencyMonitor } from "./latency.js";
import { MemoryPolicy } from "./memory-policy.js";
import { expiryPropagationListener, PropagationStream } from "./propagation.js";
import { PubSubRegistry } from "./pubsub-registry.js";
import { SlowLog } from "./slowlog.js";
import { WatchRegistry } from "./watch.js";

/** What the gate needs to know about a script running past busy-reply-threshold. */
export interface BusyScript {
  /** The client whose EVAL / FCALL is running. */
  readonly caller: ClientSession;
  /** A function (FCALL) rather than an EVAL script: the BUSY text differs. */
  readonly isFunction: boolean;
}

/** Something that follows keyspace changes: any subset of the keyspace hooks. */
export type KeyspaceListener = Partial<KeyspaceHooks>;

/** Receives every write that must reach the AOF and replicas, in execution order. */
export interface Propagator {
  /** Propagate `argv`, executed against database `dbIndex`. */
  feed(dbIndex: number, argv: readonly Buffer[]): void;
}

/** Minimal structured logger (pino-compatible subset). */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/**
 * Runtime configuration as CONFIG GET / SET / RESETSTAT / REWRITE see it. apps/server
 * implements it over its validated configuration schema.
 */
export interface ConfigStore {
  /** Parameters matching any of the glob patterns, as [name, value] pairs. */
  get(patterns: readonly string[]): Array<[string, string]>;
  /**
   * Apply [name, value] pairs atomically. Returns null on success or the full
   * error reply text ("ERR Unknown option or number of arguments for CONFIG SET - 'x'").
   */
  set(pairs: ReadonlyArray<[string, string]>): string | null;
  /** CONFIG REWRITE. Returns null or an error reply text. */
  rewrite(): string | null;
}

/** Server-wide actions that only the composition root can perform. */
export interface ServerControl {
  /** SHUTDOWN: returns an error reply text if refused; otherwise the process stops. */
  shutdown(options: { save: boolean | null; now: boolean; force: boolean; abort: boolean }): string | null;
  /**
   * An INFO section the server app renders itself (memory, persistence,
   * replication ...), as its "field:value" lines without the "# Title" header,
   * or null to let @spinel/commands render its own version of the section.
   */
  infoSection(name: string): string | null;
  /** Names of the extra INFO sections, in display order after the built-in ones. */
  infoSectionNames(): readonly string[];
  /** Figures of the running process that INFO shows and only the server app knows. */
  processInfo(): ProcessInfo;
  /** CONFIG RESETSTAT: zero the application's own counters (connections, network bytes). */
  resetStats(): void;
}

/** The append-only file as commands see it (BGREWRITEAOF); apps/server implements it. */
export interface AofControl {
  /**
   * Start (or schedule) a rewrite of the AOF. Returns the status reply text
   * ("Background append only file rewriting started") or an error reply text
   * starting with "ERR ".
   */
  rewriteInBackground(): string;
  /** Propagated bytes not yet written to the AOF (INFO mem_aof_buffer); 0 with the AOF off. */
  readonly bufferedBytes: number;
}

// ---------------------------------------------------------------- replication

/** ROLE's view of this server (Redis' ROLE reply, as data). */
export type ReplicationRole =
  | {
      readonly role: "master";
      readonly offset: number;
      /** [ip, listening port, acknowledged offset] of each online replica. */
      readonly replicas: ReadonlyArray<readonly [string, number, number]>;
    }
  | {
      readonly role: "slave";
      readonly host: string;
      readonly port: number;
      /** connect, connecting, sync, connected */
      readonly state: string;
      /** The processed offset, or -1 before the first sync. */
      readonly offset: number;
    };

/** FAILOVER's options, parsed and checked for syntax by the command. */
export interface FailoverRequest {
  /** TO host port: the replica to hand over to, or null for the first one in step. */
  readonly host: string | null;
  readonly port: number;
  /** FORCE: at the timeout, hand over to the target anyway instead of rolling back. */
  readonly force: boolean;
  /** TIMEOUT in ms, or 0 for none. */
  readonly timeoutMs: number;
}

/**
 * Replication as commands see it (REPLCONF, PSYNC, SYNC, REPLICAOF, ROLE, WAIT, FAILOVER).
 * apps/server implements it over @spinel/replication; commands never import
 * replication themselves.
 */
export interface ReplicationControl {
  /**
   * REPLCONF <option> <value> ... from client `c`. Returns "ok" (reply +OK),
   * "none" (no reply: ACK, GETACK) or an error reply text.
   */
  replconf(c: ClientSession, args: readonly Buffer[]): "ok" | "none" | string;
  /**
   * PSYNC <replid> <offset> (SYNC: "?" and -1): `c` becomes a replica. The
   * control writes +FULLRESYNC / +CONTINUE and the data to the connection
   * itself. Returns null, or an error reply text when refused. With `failover`
   * (PSYNC <replid> <offset> FAILOVER, from a primary handing its role over)
   * this replica first promotes itself when `replid` is its replication ID.
   */
  psync(c: ClientSession, replid: string, offset: number, failover?: boolean): string | null;
  /**
   * REPLICAOF host port, or NO ONE when `host` is null. Returns the status reply
   * text ("OK", "OK Already connected to specified master") or an error reply text.
   */
  replicaOf(host: string | null, port: number): { status: string } | { error: string };
  /** ROLE. */
  role(): ReplicationRole;
  /** True while this server follows a primary. */
  readonly isReplica: boolean;
  /**
   * FAILOVER [TO host port [FORCE]] [TIMEOUT ms]: start handing the primary role
   * to a replica (writes are held meanwhile). Returns null when it started (+OK),
   * else the error reply text.
   */
  failover(request: FailoverRequest): string | null;
  /** FAILOVER ABORT: roll the failover in progress back. Null (+OK), or the error reply text. */
  abortFailover(): string | null;
  /**
   * WAIT numreplicas timeout(ms, 0 = forever) for client `c`: the number of
   * replicas that acknowledged every write so far, or null when `c` must wait;
   * the control then writes that number to `c` and resumes it itself.
   */
  wait(c: ClientSession, numReplicas: number, timeoutMs: number): number | null;
  /**
   * CLIENT KILL TYPE master: drop the link to this server's primary (it
   * reconnects and resyncs partially). Returns the number of links dropped (0 or 1).
   */
  killPrimaryLink(): number;
  /** The measured figures INFO stats and memory show. */
  stats(): ReplicationStats;
  /**
   * The offset of the last byte of the replication stream (master_repl_offset).
   * call() compares it around each execution unit to set the client's writeOffset.
   */
  readonly streamOffset: number;
}

/** Replication figures of INFO (Redis' field names in the comments). */
export interface ReplicationStats {
  /** sync_full, sync_partial_ok, sync_partial_err */
  readonly fullSyncs: number;
  readonly partialSyncsOk: number;
  readonly partialSyncsErr: number;
  /** mem_replication_backlog: bytes allocated for the backlog */
  readonly backlogBytes: number;
  /** Bytes queued for replicas and not yet written to their sockets (part of mem_total_replication_buffers). */
  readonly replicaOutputBytes: number;
  /** total_net_repl_input_bytes / total_net_repl_output_bytes */
  readonly netInputBytes: number;
  readonly netOutputBytes: number;
}

/** What INFO (server, clients, stats) needs from the process and the network side. */
export interface ProcessInfo {
  /** Spinel's own version (INFO spinel_version). */
  readonly spinelVersion: string;
  readonly tcpPort: number;
  /** Absolute path of the config file, or "". */
  readonly configFile: string;
  readonly executable: string;
  /** Configured and effective cron frequency. */
  readonly hz: number;
  readonly maxClients: number;
  readonly totalConnectionsReceived: number;
  readonly rejectedConnections: number;
  readonly netInputBytes: number;
  readonly netOutputBytes: number;
  /** Socket reads and writes performed (INFO total_reads_processed / total_writes_processed). */
  readonly totalReadsProcessed: number;
  readonly totalWritesProcessed: number;
  /** Sampled rates (Redis' instantaneous_* metrics). */
  readonly instantaneousOpsPerSec: number;
  readonly instantaneousInputKbps: number;
  readonly instantaneousOutputKbps: number;
  /** Unix time (seconds) of the last successful save, or of the start (LASTSAVE). */
  readonly lastSaveTime: number;
}

/**
 * RDB persistence as commands see it (SAVE, BGSAVE, DEBUG RELOAD, DUMP,
 * RESTORE). apps/server implements it over @spinel/persistence; commands never
 * import persistence themselves.
 */
export interface PersistenceControl {
  /** SAVE: write the dataset now. Null on success, or the error reply text. */
  save(): string | null;
  /**
   * BGSAVE [SCHEDULE]: start a background save. Returns the status reply text
   * ("Background saving started" ...) or an error reply text starting with "ERR".
   */
  bgsave(schedule: boolean, inTransaction: boolean): { status: string } | { error: string };
  /** DEBUG RELOAD: save (unless `noSave`) and load the file back. Null or an error reply text. */
  reload(noSave: boolean): string | null;
  /** DUMP: the serialized form of `value` (RDB value, RDB version, CRC-64). */
  dump(value: RedisValue): Buffer;
  /**
   * RESTORE: the value in `payload` for `key`, or an error reply text (a bad
   * version or checksum, a malformed value).
   */
  restore(payload: Buffer, key: string): RedisValue | string;
  /** The RDB figures of INFO persistence, as measured. */
  info(): RdbInfo;
}

/** INFO persistence's RDB figures (Redis' field names in the comments). */
export interface RdbInfo {
  /** rdb_bgsave_in_progress */
  readonly bgsaveInProgress: boolean;
  /** rdb_last_bgsave_status: false after a failed background save, until one succeeds */
  readonly lastBgsaveOk: boolean;
  /** rdb_last_bgsave_time_sec (-1 before the first) */
  readonly lastBgsaveSeconds: number;
  /** rdb_current_bgsave_time_sec (-1 when none runs) */
  readonly currentBgsaveSeconds: number;
  /** rdb_saves: successful saves since start */
  readonly saves: number;
  /**
   * current_cow_size / current_cow_peak: what the running background save holds
   * beyond the dataset (the encoded copies of keys changed before it wrote
   * them: Spinel's counterpart of fork's copy-on-write pages), now and at its
   * peak; 0 when none runs.
   */
  readonly cowSize: number;
  readonly cowPeak: number;
  /** rdb_last_cow_size: current_cow_peak of the last background save when it finished. */
  readonly lastCowSize: number;
  /** current_save_keys_processed / current_save_keys_total of the running save */
  readonly currentSaveKeysProcessed: number;
  readonly currentSaveKeysTotal: number;
  /** rdb_last_load_keys_expired / rdb_last_load_keys_loaded */
  readonly lastLoadKeysExpired: number;
  readonly lastLoadKeysLoaded: number;
  /** While a file loads: loading_* fields, or null. */
  readonly loading: {
    readonly startTime: number;
    readonly totalBytes: number;
    readonly rdbUsedMemory: number;
    readonly loadedBytes: number;
    readonly etaSeconds: number;
  } | null;
}

/** Global counters for INFO stats. */
export class ServerStats {
  startTime = Date.now();
  totalConnectionsReceived = 0;
  totalCommandsProcessed = 0;
  rejectedConnections = 0;
  totalErrorReplies = 0;
  /** errorstat_<CODE>: count */
  errorCounts = new Map<string, number>();
  totalNetInputBytes = 0;
  totalNetOutputBytes = 0;
  /** Keys evicted under maxmemory (INFO evicted_keys). */
  evictedKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  pubsubChannelsMessages = 0;
  clientRecentMaxOutputBuffer = 0;
  clientRecentMaxInputBuffer = 0;
  unexpectedErrorReplies = 0;

  /** Count an error reply with code `code`. */
  countError(code: string): void {
    this.totalErrorReplies++;
    this.errorCounts.set(code, (this.errorCounts.get(code) ?? 0) + 1);
  }
}

/** Runtime settings commands consult (kept in sync by apps/server's config store). */
export class RuntimeSettings {
  /** Bit set of EventClass values plus the K/E bits, from notify-keyspace-events. */
  notifyKeyspaceEvents = 0;
  /** Server is a read-only replica. */
  readOnlyReplica = false;
  /**
   * min-replicas-to-write is set and fewer good replicas are attached: write
   * commands get -NOREPLICAS (kept current by the replication service).
   */
  tooFewReplicas = false;
  /**
   * A replica whose link to its primary is down with replica-serve-stale-data no:
   * commands without the stale flag get -MASTERDOWN.
   */
  refuseStaleData = false;
  /** A data file is being loaded: commands without the loading flag get -LOADING. */
  loading = false;
  /**
   * The last background save failed and stop-writes-on-bgsave-error is on (with
   * save points): write commands and PING get -MISCONF until a save succeeds.
   */
  refuseWritesOnDiskError = false;
  /** maxmemory in bytes (0 = none) and whether a write must be refused right now. */
  maxmemory = 0;
  /** Set by the memory policy: true while used memory exceeds maxmemory after eviction. */
  outOfMemory = false;
  /** maxmemory-policy, maxmemory-samples and maxmemory-eviction-tenacity (see MemoryPolicy). */
  maxmemoryPolicy = EvictionPolicy.NoEviction;
  maxmemorySamples = 5;
  maxmemoryEvictionTenacity = 10;
  /** proto-max-bulk-len, for commands that build big strings (SETRANGE, APPEND). */
  protoMaxBulkLen = 512 * 1024 * 1024;
  /** requirepass: the default user's password, "" when none is required (AUTH, HELLO, RESET). */
  requirePass = "";
  /** slowlog-log-slower-than in microseconds (negative disables the slow log). */
  slowlogLogSlowerThan = 10000;
  /** slowlog-max-len. */
  slowlogMaxLen = 128;
  /** False after DEBUG SET-ACTIVE-EXPIRE 0: the cron stops expiring keys actively. */
  activeExpire = true;
  /** latency-monitor-threshold in milliseconds (0: the latency monitor is off). */
  latencyMonitorThreshold = 0;
  /** latency-tracking: per-command latency histograms (LATENCY HISTOGRAM, INFO latencystats). */
  latencyTracking = true;
  /** latency-tracking-info-percentiles: the percentiles INFO latencystats shows. */
  latencyTrackingPercentiles: readonly number[] = [50, 99, 99.9];
  /** hll-sparse-max-bytes: the size past which a sparse HyperLogLog turns dense. */
  hllSparseMaxBytes = 3000;
  /**
   * Set while the data cannot be persisted (an AOF write error): write commands
   * and PING are refused with this error reply text (MISCONF ...), as Redis does.
   */
  persistenceError: string | null = null;
  /** busy-reply-threshold (lua-time-limit) in ms: a script running longer makes other clients get -BUSY. */
  busyReplyThreshold = 5000;
}

/** Options to create a ServerState. */
export interface ServerStateOptions {
  specs: readonly CommandSpec[];
  databases?: number;
  propagator?: Propagator;
  logger?: Logger;
  config?: ConfigStore;
  control?: ServerControl;
  persistence?: PersistenceControl;
}

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Shared state of one server instance. */
export class ServerState {
  readonly keyspace: Keyspace;
  readonly table: CommandTable;
  readonly clients: Map<number, ClientSession>;
  readonly stats: ServerStats;
  readonly settings: RuntimeSettings;
  /**
   * Where call() sends what it propagates: the server's propagation stream,
   * unless a test injected another propagator.
   */
  propagator: Propagator;
  /** The propagation stream (AOF, replicas): consumers attach here. */
  readonly stream: PropagationStream;
  logger: Logger;
  config: ConfigStore | null;
  control: ServerControl | null;
  /** RDB persistence (SAVE, BGSAVE, DUMP, RESTORE ...), or null when the server has none. */
  persistence: PersistenceControl | null;
  /** The append-only file's control (BGREWRITEAOF), or null when the server has none. */
  aofControl: AofControl | null;
  /** Replication (REPLCONF, PSYNC, REPLICAOF, ROLE, WAIT), or null when the server has none. */
  replication: ReplicationControl | null;
  /**
   * Listeners of keyspace changes (WATCH, blocking, notifications, the server's
   * propagation of expiries, tests). Append-only. A listener implements only the
   * hooks it cares about: each hook calls just the listeners that have it, since
   * every write ends in keyModified and keyspaceEvent.
   */
  readonly keyspaceListeners: KeyspaceListener[];
  /**
   * Observers of every executed command (MONITOR), called by call() right after
   * the handler ran, for client commands and for each command of an EXEC alike.
   * Called with the session (c.lastCommand is the command) and the argv executed.
   */
  readonly commandObservers: Array<(c: ClientSession, argv: readonly Buffer[]) => void>;
  /**
   * Work to run after each outermost execution unit (a command, or a whole EXEC):
   * serving clients blocked on keys that became ready, flushing deferred pushes.
   */
  readonly afterExecutionHooks: Array<() => void>;
  /** Cleanup to run when a client goes away (unwatch, unsubscribe, unblock ...). */
  readonly sessionCloseHooks: Array<(c: ClientSession) => void>;
  /**
   * Work to run once a whole dataset has been loaded (the start-up load, DEBUG
   * RELOAD, a replica's full sync), before clients are served from it: see
   * datasetLoaded().
   */
  readonly datasetLoadedHooks: Array<() => void>;
  /** WATCH bookkeeping (transaction commands). */
  readonly watch: WatchRegistry;
  /** Clients blocked on keys. */
  readonly blocking: BlockingRegistry;
  /** Pub/sub subscriptions and fan-out. */
  readonly pubsub: PubSubRegistry;
  /** Commands slower than slowlog-log-slower-than (SLOWLOG). */
  readonly slowlog: SlowLog;
  /** Latency spikes by event and per-command latency histograms (LATENCY). */
  readonly latency: LatencyMonitor;
  /** CLIENT PAUSE: whether commands are held, and the held ones. */
  readonly clientPause: ClientPause;
  /** Nesting depth of call() (EXEC runs commands inside a call). */
  callDepth: number;
  /**
   * Depth of open request batches (beginRequestBatch): while above 0, the clock
   * reading that ended one command starts the next (see call()).
   */
  requestBatchDepth: number;
  /**
   * The performance.now() reading that ended the last call() of the open batch,
   * or -1 when there is none: the next call() reads the clock itself.
   */
  batchClockReading: number;
  /**
   * The client whose execution unit is running (set by the outermost call()), or
   * null between units. Out-of-band output for it waits until its reply is complete.
   */
  executingClient: ClientSession | null;
  /** Writes propagated by the current execution unit, flushed when it ends. */
  readonly pendingPropagation: Array<{ dbIndex: number; argv: readonly Buffer[] }>;
  /** Used memory, its peak, and eviction under maxmemory. */
  readonly memory: MemoryPolicy;
  /** The active expiry cycle's state and figures (the server's cron runs the cycle). */
  readonly activeExpire: ActiveExpireState;
  /**
   * A script or function running past busy-reply-threshold (suspended between
   * event-loop turns), or null: the gate answers other clients -BUSY meanwhile.
   */
  busyScript: BusyScript | null;

  constructor(options: ServerStateOptions) {
    this.table = new CommandTable(options.specs);
    this.clients = new Map();
    this.stats = new ServerStats();
    this.settings = new RuntimeSettings();
    this.stream = new PropagationStream();
    this.propagator = options.propagator ?? this.stream;
    this.logger = options.logger ?? silentLogger;
    this.config = options.config ?? null;
    this.control = options.control ?? null;
    this.persistence = options.persistence ?? null;
    this.aofControl = null;
    this.replication = null;
    this.keyspaceListeners = [];
    this.commandObservers = [];
    this.afterExecutionHooks = [];
    this.sessionCloseHooks = [];
    this.datasetLoadedHooks = [];
    this.callDepth = 0;
    this.requestBatchDepth = 0;
    this.batchClockReading = -1;
    this.executingClient = null;
    this.pendingPropagation = [];
    this.busyScript = null;
    const listeners = this.keyspaceListeners;
    // Per hook, the listeners that implement it; rebuilt when a listener was added.
    let sortedFor = -1;
    let onKeyModified: KeyspaceListener[] = [];
    let onDatabaseModified: KeyspaceListener[] = [];
    let onKeyspaceEvent: KeyspaceListener[] = [];
    let onKeyExpired: KeyspaceListener[] = [];
    const sortListeners = () => {
      sortedFor = listeners.length;
      onKeyModified = listeners.filter((listener) => listener.keyModified !== undefined);
      onDatabaseModified = listeners.filter((listener) => listener.databaseModified !== undefined);
      onKeyspaceEvent = listeners.filter((listener) => listener.keyspaceEvent !== undefined);
      onKeyExpired = listeners.filter((listener) => listener.keyExpired !== undefined);
    };
    const hooks: KeyspaceHooks = {
      keyModified(db: Database, key: string) {
        if (sortedFor !== listeners.length) sortListeners();
        for (let i = 0; i < onKeyModified.length; i++) onKeyModified[i]!.keyModified!(db, key);
      },
      databaseModified(db: Database) {
        if (sortedFor !== listeners.length) sortListeners();
        for (let i = 0; i < onDatabaseModified.length; i++) onDatabaseModified[i]!.databaseModified!(db);
      },
      keyspaceEvent(eventClass: EventClass, event: string, key: string, dbId: number) {
        if (sortedFor !== listeners.length) sortListeners();
        for (let i = 0; i < onKeyspaceEvent.length; i++) {
          onKeyspaceEvent[i]!.keyspaceEvent!(eventClass, event, key, dbId);
        }
      },
      keyExpired(db: Database, key: string) {
        if (sortedFor !== listeners.length) sortListeners();
        for (let i = 0; i < onKeyExpired.length; i++) onKeyExpired[i]!.keyExpired!(db, key);
      },
    };
    this.keyspace = new Keyspace({ databases: options.databases ?? 16, hooks });
    // Registries install their own keyspace listeners and hooks.
    this.watch = new WatchRegistry(this);
    this.blocking = new BlockingRegistry(this);
    this.pubsub = new PubSubRegistry(this);
    this.slowlog = new SlowLog(this);
    this.latency = new LatencyMonitor(this);
    this.clientPause = new ClientPause(this);
    this.memory = new MemoryPolicy(this);
    this.activeExpire = new ActiveExpireState();
    // Keys removed by expiry reach the AOF and replicas as DEL.
    listeners.push(expiryPropagationListener(this));
  }

  /**
   * A whole dataset has just been loaded (start-up load, DEBUG RELOAD, a
   * replica's full sync): run datasetLoadedHooks. Loaders call it once, after
   * the last key and before clients are served from the new data.
   */
  datasetLoaded(): void {
    const hooks = this.datasetLoadedHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i]!();
  }
}
