/*
 * SpinelServer: the composition root. It builds the configuration, the logger,
 * the shared command state (keyspace, command table), the event loop, and wires
 * them together: connections get command sessions, the cron runs active expiry,
 * configuration changes reach the components that depend on them, and the
 * ServerControl @spinel/commands asks for (SHUTDOWN, INFO figures, RESETSTAT) is
 * implemented here.
 *
 * Only this package depends on pino and zod; libraries receive a logger and plain
 * values.
 */

import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import {
  allCommandSpecs,
  beginRequestBatch,
  type ClientSession,
  type ConfigStore as CommandConfigStore,
  closeScriptEngine,
  endRequestBatch,
  type ProcessInfo,
  processCommand,
  type ServerControl,
  ServerState,
  ClientSession as Session,
  sessionClosed,
} from "@spinel/commands";
import {
  activeExpireCycle,
  EvictionResult,
  ExpiryMode,
  evictionPolicyByName,
  isLfuPolicy,
} from "@spinel/core-db";
import { EventLoop, type ListeningAddress, type OutputBufferLimit } from "@spinel/eventloop";
import type { Logger } from "pino";
import { pino } from "pino";
import type { Directive } from "./config/config-file.js";
import { ConfigStore } from "./config/config-store.js";
import type { ConfigName } from "./config/parameters.js";
import { checkWorkingDirectory } from "./config/working-directory.js";
import { createLogger, setLogLevel } from "./logger.js";
import { InstantaneousMetrics } from "./metrics.js";
import { persistenceInfoSection } from "./persistence/aof-info.js";
import { AofService } from "./persistence/aof-service.js";
// RDB persistence
import { RdbPersistence } from "./persistence/rdb-persistence.js";
import { createStorageBackend, type StorageChoice } from "./persistence/storage.js";
// Replication
import { ReplicationService } from "./replication/replication-service.js";
import {
  garbageCollector,
  promoteLoadedData,
  YoungGenerationTrimmer,
  youngGenerationBytes,
} from "./young-generation.js";

/** Spinel's version, from this package's package.json. */
export const SPINEL_VERSION: string = (
  createRequire(import.meta.url)("../package.json") as { version: string }
).version;

/** A configuration value given programmatically (redis.conf names as keys). */
export type ConfigInput = string | number | boolean | readonly string[];

/** Options of startServer / new SpinelServer. */
export interface SpinelServerOptions {
  /**
   * Settings by redis.conf name, e.g. `{ port: 0, maxmemory: "100mb" }`. Booleans
   * become yes/no, arrays become space-separated words.
   */
  config?: Readonly<Record<string, ConfigInput>>;
  /** Parsed config-file and command-line directives (the CLI passes these). */
  directives?: readonly Directive[];
  /** A logger to use; false for none (the default for embedded servers). */
  logger?: Logger | false;
  /** Path of the config file the server was started with (CONFIG REWRITE, INFO). */
  configFile?: string | null;
  /**
   * Where persistence files live: "file" (the default: the RDB file in `dir`,
   * the AOF in `<dir>/<appenddirname>`), "memory" (nothing touches the disk:
   * embedding, tests), or a StorageBackend of one's own (the AOF uses its
   * subdirectory(appenddirname)).
   */
  storage?: StorageChoice;
  /**
   * Scavenge V8's young generation when the server has been quiet, so that the
   * up to 32 MB a write burst grew it to go back to the system
   * (young-generation.ts). The standalone server turns this on; an embedded
   * server leaves its host's heap alone by default.
   */
  trimYoungGeneration?: boolean;
}

/** What SHUTDOWN asked for (Redis' SHUTDOWN flags). */
export interface ShutdownRequest {
  /** true: SAVE, false: NOSAVE, null: save if save points are configured. */
  readonly save: boolean | null;
  readonly now: boolean;
  readonly force: boolean;
}

/**
 * Work to do before the server stops on SHUTDOWN (a final save ...). Returns
 * null when done, or why the shutdown must not happen (ignored with FORCE).
 */
export type ShutdownHook = (request: ShutdownRequest) => string | null;

/** Turn programmatic settings into directives, after any given ones. */
function toDirectives(options: SpinelServerOptions): Directive[] {
  const directives: Directive[] = [...(options.directives ?? [])];
  for (const [name, value] of Object.entries(options.config ?? {})) {
    let text: string;
    if (typeof value === "boolean") text = value ? "yes" : "no";
    else if (Array.isArray(value)) text = value.join(" ");
    else text = String(value);
    const args = Array.isArray(value) ? [...value] : [text];
    directives.push({ name: name.toLowerCase(), args, line: 0, text: `${name} ${text}` });
  }
  return directives;
}

/** Parse "normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60" into limits. */
function parseOutputLimits(
  text: string,
): Partial<Record<"normal" | "replica" | "pubsub", OutputBufferLimit>> {
  const words = text.split(/\s+/).filter(Boolean);
  const limits: Partial<Record<"normal" | "replica" | "pubsub", OutputBufferLimit>> = {};
  for (let i = 0; i + 3 < words.length; i += 4) {
    const name = words[i]!.toLowerCase();
    const cls = name === "slave" || name === "replica" ? "replica" : name === "pubsub" ? "pubsub" : "normal";
    limits[cls] = {
      hardBytes: parseSize(words[i + 1]!),
      softBytes: parseSize(words[i + 2]!),
      softSeconds: Number(words[i + 3]!),
    };
  }
  return limits;
}

function parseSize(text: string): number {
  const match = /^(\d+)([a-z]*)$/i.exec(text);
  if (!match) return 0;
  const units: Record<string, number> = {
    "": 1,
    b: 1,
    k: 1e3,
    kb: 1024,
    m: 1e6,
    mb: 1 << 20,
    g: 1e9,
    gb: 1 << 30,
  };
  return Number(match[1]) * (units[match[2]!.toLowerCase()] ?? 1);
}

/** A running (or ready to run) Spinel server. */
export class SpinelServer {
  readonly config: ConfigStore;
  readonly logger: Logger;
  readonly state: ServerState;
  readonly loop: EventLoop;
  readonly configFile: string | null;
  /** The append-only file (appendonly, BGREWRITEAOF, INFO persistence's AOF fields). */
  readonly aof: AofService;
  /** Run in order when a client sends SHUTDOWN, before the server closes. */
  readonly shutdownHooks: ShutdownHook[];
  /** RDB persistence: SAVE, BGSAVE, save points, start-up load, DUMP/RESTORE. */
  readonly persistence: RdbPersistence;
  /** Replication: the primary side, and the link to a primary when this server is a replica. */
  readonly replication: ReplicationService;
  /** Resolves once the server has closed, by close() or by SHUTDOWN. */
  readonly closed: Promise<void>;
  private readonly metrics: InstantaneousMetrics;
  private closing: Promise<void> | null;
  private resolveClosed: () => void;

  /** Build a server from options. Throws ConfigError on a bad setting. Does not listen yet. */
  constructor(options: SpinelServerOptions = {}) {
    const directives = toDirectives(options);
    this.config = ConfigStore.fromDirectives(directives);
    checkWorkingDirectory(directives);
    this.configFile = options.configFile ?? null;
    const config = this.config;
    if (options.logger === false) this.logger = pino({ level: "silent" });
    else
      this.logger =
        options.logger ??
        createLogger({
          level: config.get("loglevel"),
          file: config.get("logfile"),
          format: config.get("log-format"),
        });
    this.closing = null;
    this.shutdownHooks = [];
    this.resolveClosed = () => {};
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });

    this.state = new ServerState({
      specs: allCommandSpecs,
      databases: config.get("databases"),
      logger: this.logger,
      config: this.commandConfigStore(),
      control: this.serverControl(),
    });
    this.applySettings();
    this.persistence = new RdbPersistence({
      state: this.state,
      config,
      logger: this.logger,
      backend: createStorageBackend(options.storage, config.get("dir"), directives),
    });
    this.state.persistence = this.persistence;
    this.persistence.updateWriteRefusal();
    this.shutdownHooks.push((request) => this.persistence.beforeShutdown(request.save));
    this.aof = new AofService({
      state: this.state,
      config,
      logger: this.logger,
      backend: () => this.persistence.backend,
      fatal: (message) => {
        this.logger.fatal(message);
        this.logger.flush?.();
        process.exit(1);
      },
    });

    this.loop = new EventLoop({
      bind: config.get("bind").map((address) => (address.startsWith("-") ? address.slice(1) : address)),
      port: config.get("port"),
      unixSocket: config.get("unixsocket") || undefined,
      maxClients: config.get("maxclients"),
      timeoutSeconds: config.get("timeout"),
      queryBufferLimit: config.get("client-query-buffer-limit"),
      parserLimits: { maxBulkLength: config.get("proto-max-bulk-len") },
      outputLimits: parseOutputLimits(config.get("client-output-buffer-limit")),
      hz: config.get("hz"),
      backlog: config.get("tcp-backlog"),
      logger: this.logger,
      onConnection: (connection) => {
        const session = new Session(this.state, connection);
        session.authenticated = this.state.settings.requirePass === "";
        this.state.clients.set(session.id, session);
        return {
          onRequest: (argv) => processCommand(session, argv),
          onBatchStart: () => beginRequestBatch(this.state),
          onBatchEnd: () => endRequestBatch(this.state),
          onClose: () => sessionClosed(session),
        };
      },
    });
    this.replication = new ReplicationService({
      state: this.state,
      config,
      loop: this.loop,
      logger: this.logger,
      listeningPort: () => this.port,
      loadProgress: this.persistence,
    });
    // Every RDB records the replication history, so that a restart can continue it.
    this.persistence.extraAuxSource = () => this.replication.rdbAuxFields();
    this.wireConfigChanges();
    this.trackOutputBufferPeaks();
    this.metrics = new InstantaneousMetrics({
      commands: () => this.state.stats.totalCommandsProcessed,
      inputBytes: () => this.loop.stats.netInputBytes,
      outputBytes: () => this.loop.stats.netOutputBytes,
    });
    this.loop.addCronJob((now) => this.metrics.tick(now));
    this.loop.addCronJob(() => this.persistence.cron());
    this.loop.addCronJob(() => this.expireCycle(true));
    this.wireMemoryPolicy();
    this.loop.addBeforeSleep(() => this.expireCycle(false));
    // After the expire step (its DELs go in this turn's write), before replies are flushed.
    this.loop.addBeforeSleep(() => this.aof.beforeSleep());
    this.loop.addCronJob(() => this.aof.cron());
    if (options.trimYoungGeneration === true) this.wireYoungGenerationTrimmer();
  }

  /** Scavenge when quiet so the young generation shrinks back, and after a load (young-generation.ts). */
  private wireYoungGenerationTrimmer(): void {
    const collect = garbageCollector();
    if (collect === undefined) {
      this.logger.warn("V8's gc() is not available: the young generation is not trimmed when idle");
      return;
    }
    const trimmer = new YoungGenerationTrimmer(
      collect,
      () => this.state.stats.totalCommandsProcessed,
      () => this.state.keyspace.snapshot !== null || this.state.settings.loading,
      Date.now(),
    );
    this.state.datasetLoadedHooks.push(() => {
      const milliseconds = promoteLoadedData(collect);
      this.logger.debug({ milliseconds }, "loaded data moved to the old generation");
    });
    this.loop.addCronJob((now) => {
      if (trimmer.tick(now))
        this.logger.debug(
          { youngGenerationBytes: youngGenerationBytes() },
          "young generation scavenged while quiet",
        );
    });
  }

  /**
   * One active expiry cycle (slow from the cron, fast before sleeping), unless
   * DEBUG SET-ACTIVE-EXPIRE turned it off or a CLIENT PAUSE keeps the dataset
   * still. Its duration feeds the latency monitor's "expire-cycle" event.
   */
  private expireCycle(slow: boolean): void {
    const state = this.state;
    if (!state.settings.activeExpire || state.settings.loading || state.clientPause.active) return;
    // A replica's keys expire by its primary's DELs only.
    if (state.keyspace.expiryMode !== ExpiryMode.Delete) return;
    const timed = state.settings.latencyMonitorThreshold > 0;
    const started = timed ? performance.now() : 0;
    activeExpireCycle(state.keyspace, state.activeExpire, {
      slow,
      hz: this.config.get("hz"),
      effort: this.config.get("active-expire-effort"),
    });
    if (timed) state.latency.addSampleIfNeeded("expire-cycle", Math.floor(performance.now() - started));
  }

  /** Start listening. Resolves with the addresses once the server accepts clients. */
  async listen(): Promise<readonly ListeningAddress[]> {
    const addresses = await this.loop.listen();
    // used_memory_startup: what the built server holds before serving anyone.
    const startup = process.memoryUsage();
    this.state.memory.recordStartup(startup.heapUsed + startup.external);
    // Asked for any free port: CONFIG GET port and INFO show the one bound.
    if (this.config.get("port") === 0 && addresses.length > 0) this.config.override("port", this.port);
    // Clients connecting meanwhile get -LOADING: the AOF when appendonly is on, else the RDB file.
    await this.persistence.loadAtStartup();
    try {
      await this.aof.startup();
    } catch (error) {
      await this.loop.close();
      throw error;
    }
    this.replication.restoreFromRdb(this.persistence.loadedAux);
    this.replication.start();
    this.logger.info(
      { addresses: addresses.map((a) => `${a.host}:${a.port}`) },
      "Ready to accept connections",
    );
    return addresses;
  }

  /** The TCP port the server listens on (after listen()). */
  get port(): number {
    return this.loop.addresses[0]?.port ?? 0;
  }

  /** The first address listened on (after listen()). */
  get host(): string {
    return this.loop.addresses[0]?.host ?? "127.0.0.1";
  }

  /**
   * Stop: no new connections, pending replies flushed, every client closed, the
   * cron stopped. Idempotent; resolves when everything is closed.
   */
  close(): Promise<void> {
    if (this.closing === null) {
      // At warning level, as redis-server logs its shutdown: seen at `loglevel warning`.
      this.logger.warn("User requested shutdown...");
      this.persistence.stop();
      // A script running past busy-reply-threshold stops with the server; the Lua state is released.
      closeScriptEngine(this.state);
      this.replication.stop();
      this.closing = this.loop.close().then(() => {
        this.aof.close();
        this.logger.warn("Spinel is now ready to exit, bye bye...");
        this.logger.flush?.();
        this.resolveClosed();
      });
    }
    return this.closing;
  }

  // ------------------------------------------------------------------ wiring

  /** CONFIG GET/SET/REWRITE as @spinel/commands sees them. */
  private commandConfigStore(): CommandConfigStore {
    return {
      get: (patterns) => this.config.getMatching(patterns),
      set: (pairs) => this.config.setMany(pairs),
      rewrite: () =>
        this.configFile === null
          ? "ERR The server is running without a config file"
          : this.config.rewrite(this.configFile),
    };
  }

  /** What @spinel/commands may ask of the server as a whole. */
  private serverControl(): ServerControl {
    return {
      shutdown: (options) => this.shutdownCommand(options),
      infoSection: (name) =>
        name === "persistence"
          ? persistenceInfoSection(this.aof, this.state)
          : name === "replication"
            ? this.replication.infoSection()
            : null,
      infoSectionNames: () => [],
      processInfo: () => this.processInfo(),
      resetStats: () => {
        const stats = this.loop.stats;
        stats.totalConnectionsReceived = 0;
        stats.rejectedConnections = 0;
        stats.netInputBytes = 0;
        stats.netOutputBytes = 0;
        stats.totalReadsProcessed = 0;
        stats.totalWritesProcessed = 0;
      },
    };
  }

  /**
   * SHUTDOWN: run the shutdown hooks (a failing one refuses the shutdown unless
   * FORCE), then close after the current loop turn, so the replies of this turn
   * still reach their clients. Returns an error reply text when refused.
   */
  private shutdownCommand(options: {
    save: boolean | null;
    now: boolean;
    force: boolean;
    abort: boolean;
  }): string | null {
    if (options.abort) return "ERR No shutdown in progress.";
    const request: ShutdownRequest = { save: options.save, now: options.now, force: options.force };
    for (const hook of this.shutdownHooks) {
      const refusal = hook(request);
      if (refusal !== null && !options.force) {
        this.logger.warn({ reason: refusal }, "SHUTDOWN refused");
        return "ERR Errors trying to SHUTDOWN. Check logs.";
      }
    }
    setImmediate(() => void this.close());
    return null;
  }

  /**
   * SIGTERM / SIGINT: run the shutdown hooks as SHUTDOWN without arguments does
   * (a final save when save points are set) and close. Returns false, and keeps
   * running, when a hook refused (the save failed), as redis-server does.
   */
  shutdownOnSignal(): boolean {
    const request: ShutdownRequest = { save: null, now: false, force: false };
    for (const hook of this.shutdownHooks) {
      const refusal = hook(request);
      if (refusal !== null) {
        this.logger.warn(
          { reason: refusal },
          "SIGTERM received but errors trying to shut down the server, check the logs for more information",
        );
        return false;
      }
    }
    void this.close();
    return true;
  }

  /** INFO's process and network figures. */
  private processInfo(): ProcessInfo {
    const loop = this.loop;
    return {
      spinelVersion: SPINEL_VERSION,
      tcpPort: this.port,
      configFile: this.configFile ?? "",
      executable: process.argv[1] ?? process.execPath,
      hz: this.config.get("hz"),
      maxClients: loop.maxClients,
      totalConnectionsReceived: loop.stats.totalConnectionsReceived,
      rejectedConnections: loop.stats.rejectedConnections,
      netInputBytes: loop.stats.netInputBytes,
      netOutputBytes: loop.stats.netOutputBytes,
      totalReadsProcessed: loop.stats.totalReadsProcessed,
      totalWritesProcessed: loop.stats.totalWritesProcessed,
      instantaneousOpsPerSec: this.metrics.opsPerSecond,
      instantaneousInputKbps: this.metrics.inputKbps,
      instantaneousOutputKbps: this.metrics.outputKbps,
      lastSaveTime: this.persistence.lastSaveTime,
    };
  }

  /** Push configuration values into the runtime settings commands consult. */
  private applySettings(): void {
    const settings = this.state.settings;
    const config = this.config;
    const limits = this.state.keyspace.limits;
    limits.hashMaxListpackEntries = config.get("hash-max-listpack-entries");
    limits.hashMaxListpackValue = config.get("hash-max-listpack-value");
    limits.listMaxListpackSize = config.get("list-max-listpack-size");
    limits.listCompressDepth = config.get("list-compress-depth");
    limits.setMaxIntsetEntries = config.get("set-max-intset-entries");
    limits.setMaxListpackEntries = config.get("set-max-listpack-entries");
    limits.setMaxListpackValue = config.get("set-max-listpack-value");
    limits.zsetMaxListpackEntries = config.get("zset-max-listpack-entries");
    limits.zsetMaxListpackValue = config.get("zset-max-listpack-value");
    limits.streamNodeMaxBytes = config.get("stream-node-max-bytes");
    limits.streamNodeMaxEntries = config.get("stream-node-max-entries");
    settings.protoMaxBulkLen = config.get("proto-max-bulk-len");
    settings.maxmemory = config.get("maxmemory");
    settings.maxmemoryPolicy = evictionPolicyByName(config.get("maxmemory-policy"));
    settings.maxmemorySamples = config.get("maxmemory-samples");
    settings.maxmemoryEvictionTenacity = config.get("maxmemory-eviction-tenacity");
    const keyspace = this.state.keyspace;
    keyspace.lfuMode = isLfuPolicy(settings.maxmemoryPolicy);
    keyspace.lfuLogFactor = config.get("lfu-log-factor");
    keyspace.lfuDecayTime = config.get("lfu-decay-time");
    settings.notifyKeyspaceEvents = config.get("notify-keyspace-events");
    settings.requirePass = config.get("requirepass");
    settings.slowlogLogSlowerThan = config.get("slowlog-log-slower-than");
    settings.slowlogMaxLen = config.get("slowlog-max-len");
    settings.latencyMonitorThreshold = config.get("latency-monitor-threshold");
    settings.latencyTracking = config.get("latency-tracking");
    settings.latencyTrackingPercentiles = config
      .get("latency-tracking-info-percentiles")
      .split(" ")
      .filter((word) => word !== "")
      .map(Number);
    settings.hllSparseMaxBytes = config.get("hll-sparse-max-bytes");
    settings.busyReplyThreshold = config.get("busy-reply-threshold");
  }

  private wireConfigChanges(): void {
    const config = this.config;
    const reapply = () => this.applySettings();
    const names: ConfigName[] = [
      "hash-max-listpack-entries",
      "hash-max-listpack-value",
      "list-max-listpack-size",
      "set-max-intset-entries",
      "set-max-listpack-entries",
      "set-max-listpack-value",
      "zset-max-listpack-entries",
      "zset-max-listpack-value",
      "stream-node-max-bytes",
      "stream-node-max-entries",
      "list-compress-depth",
      "proto-max-bulk-len",
      "maxmemory",
      "maxmemory-policy",
      "maxmemory-samples",
      "maxmemory-eviction-tenacity",
      "lfu-log-factor",
      "lfu-decay-time",
      "notify-keyspace-events",
      "requirepass",
      "slowlog-log-slower-than",
      "slowlog-max-len",
      "latency-monitor-threshold",
      "latency-tracking",
      "latency-tracking-info-percentiles",
      "hll-sparse-max-bytes",
      "busy-reply-threshold",
    ];
    for (const name of names) config.onChange(name, reapply);
    config.onChange("loglevel", (level) => setLogLevel(this.logger, level));
    config.onChange("timeout", (seconds) => {
      this.loop.timeoutSeconds = seconds;
    });
    config.onChange("maxclients", (count) => {
      this.loop.maxClients = count;
    });
    config.onChange("hz", (hz) => this.loop.setHz(hz));
    config.onApply("port", () => this.rebindListeners("Unable to listen on this port. Check server logs."));
    config.onApply("bind", () => this.rebindListeners("Failed to bind to specified addresses."));
    config.onChange("save", () => this.persistence.updateWriteRefusal());
    config.onChange("stop-writes-on-bgsave-error", () => this.persistence.updateWriteRefusal());
    config.onChange("dir", (dir) => this.persistence.changeDir(dir));
    config.onChange("appendonly", (enabled) => this.aof.setEnabled(enabled));
    config.onChange("appendfsync", (policy) => this.aof.setFsync(policy));
    config.onChange("client-query-buffer-limit", (bytes) => {
      this.loop.queryBufferLimit = bytes;
    });
    config.onChange("proto-max-bulk-len", (bytes) => {
      this.loop.parserLimits.maxBulkLength = bytes;
    });
    config.onChange("client-output-buffer-limit", (text) => {
      Object.assign(this.loop.outputLimits, parseOutputLimits(text));
    });
  }

  /**
   * CONFIG SET port / bind: listen on the configured addresses and port instead,
   * within the command, as redis-server does. On failure the old listeners keep
   * serving and `failure` is the reason CONFIG SET reports (the configuration is
   * rolled back by the store). Before listen() there is nothing to rebind.
   */
  private rebindListeners(failure: string): string | null {
    if (this.loop.addresses.length === 0) return null;
    const binds = this.config.get("bind");
    const port = this.config.get("port");
    if (this.loop.rebind(binds, port)) {
      if (port === 0) this.config.override("port", this.port);
      this.logger.info({ addresses: this.loop.addresses.map((a) => `${a.host}:${a.port}`) }, "Listening");
      return null;
    }
    this.logger.warn(
      { bind: binds.join(" "), port },
      `Could not create server TCP listening socket: ${failure}`,
    );
    return failure;
  }

  /**
   * INFO client_recent_max_output_buffer, as Redis' clientsCron keeps it: the
   * biggest output buffer of any client seen in each of the last 8 seconds (one
   * slot per second), and the maximum over the slots.
   */
  private trackOutputBufferPeaks(): void {
    const slots = new Array<number>(8).fill(0);
    let currentSecond = 0;
    this.loop.addCronJob((now) => {
      const second = Math.floor(now / 1000);
      const slot = second % slots.length;
      if (second !== currentSecond) {
        // Seconds without a cron tick left stale peaks behind: clear those slots too.
        const elapsed = Math.min(second - currentSecond, slots.length);
        for (let i = 0; i < elapsed; i++) slots[(slot - i + slots.length) % slots.length] = 0;
        currentSecond = second;
      }
      let peak = slots[slot]!;
      for (const connection of this.loop.connections.values()) {
        const bytes = connection.outputBufferBytes;
        if (bytes > peak) peak = bytes;
      }
      slots[slot] = peak;
      this.state.stats.clientRecentMaxOutputBuffer = Math.max(...slots);
    });
  }

  /**
   * The memory policy's periodic work: sum client buffers (part of used_memory)
   * and keep evicting when a call ran out of its time budget (Redis' eviction
   * time proc); CONFIG SET maxmemory below the current use evicts at once.
   */
  private wireMemoryPolicy(): void {
    const memory = this.state.memory;
    this.loop.addCronJob(() => {
      memory.refresh();
      if (this.state.settings.maxmemory !== 0) memory.evict();
    });
    // A round that ran out of time goes on right after the current loop turn.
    let scheduled = false;
    const continueEviction = () => {
      scheduled = false;
      memory.evict();
      this.loop.scheduleTurnEnd();
    };
    memory.onEvictionRunning = () => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(continueEviction);
    };
    this.config.onChange("maxmemory", () => {
      const used = memory.usedMemory;
      const maxmemory = this.state.settings.maxmemory;
      if (maxmemory !== 0 && used > maxmemory) {
        this.logger.warn(
          { maxmemory, used },
          "The new maxmemory is below the current memory use: keys are evicted, or writes refused, per maxmemory-policy",
        );
      }
      if (memory.evictUntilDone() === EvictionResult.Fail) {
        this.logger.debug("maxmemory reached, nothing more to evict");
      }
    });
  }
}

/**
 * Start a server and resolve once it listens. For test suites:
 * `const server = await startServer({ config: { port: 0 } })`, then connect to
 * `server.port`, and `await server.close()` at the end.
 */
export async function startServer(options: SpinelServerOptions = {}): Promise<SpinelServer> {
  const config = { bind: "127.0.0.1", port: 0, ...options.config };
  const server = new SpinelServer({ ...options, config, logger: options.logger ?? false });
  await server.listen();
  return server;
}

export type { ClientSession };
