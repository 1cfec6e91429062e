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
import {
  allCommandSpecs,
  type ClientSession,
  type ConfigStore as CommandConfigStore,
  closeScriptEngine,
  type ProcessInfo,
  processCommand,
  type ServerControl,
  ServerState,
  ClientSession as Session,
  sessionClosed,
} from "@spinel/commands";
import { ActiveExpireState, activeExpireCycle } from "@spinel/core-db";
import { EventLoop, type ListeningAddress, type OutputBufferLimit } from "@spinel/eventloop";
import type { Logger } from "pino";
import { pino } from "pino";
import type { Directive } from "./config/config-file.js";
import { ConfigStore } from "./config/config-store.js";
import type { ConfigName } from "./config/parameters.js";
import { createLogger, setLogLevel } from "./logger.js";
import { InstantaneousMetrics } from "./metrics.js";

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
  /** Run in order when a client sends SHUTDOWN, before the server closes. */
  readonly shutdownHooks: ShutdownHook[];
  /** Resolves once the server has closed, by close() or by SHUTDOWN. */
  readonly closed: Promise<void>;
  private readonly expireState: ActiveExpireState;
  private readonly metrics: InstantaneousMetrics;
  private closing: Promise<void> | null;
  private resolveClosed: () => void;

  /** Build a server from options. Throws ConfigError on a bad setting. Does not listen yet. */
  constructor(options: SpinelServerOptions = {}) {
    this.config = ConfigStore.fromDirectives(toDirectives(options));
    this.configFile = options.configFile ?? null;
    const config = this.config;
    if (options.logger === false) this.logger = pino({ level: "silent" });
    else
      this.logger =
        options.logger ?? createLogger({ level: config.get("loglevel"), file: config.get("logfile") });
    this.expireState = new ActiveExpireState();
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
          onClose: () => sessionClosed(session),
        };
      },
    });
    this.wireKeyspace();
    this.wireConfigChanges();
    this.trackOutputBufferPeaks();
    this.metrics = new InstantaneousMetrics({
      commands: () => this.state.stats.totalCommandsProcessed,
      inputBytes: () => this.loop.stats.netInputBytes,
      outputBytes: () => this.loop.stats.netOutputBytes,
    });
    this.loop.addCronJob((now) => this.metrics.tick(now));
    this.loop.addCronJob(() => {
      if (!this.state.settings.activeExpire) return;
      activeExpireCycle(this.state.keyspace, this.expireState, {
        slow: true,
        hz: this.config.get("hz"),
        effort: this.config.get("active-expire-effort"),
      });
    });
    this.loop.addBeforeSleep(() => {
      if (!this.state.settings.activeExpire) return;
      activeExpireCycle(this.state.keyspace, this.expireState, {
        slow: false,
        hz: this.config.get("hz"),
        effort: this.config.get("active-expire-effort"),
      });
    });
  }

  /** Start listening. Resolves with the addresses once the server accepts clients. */
  async listen(): Promise<readonly ListeningAddress[]> {
    const addresses = await this.loop.listen();
    // Asked for any free port: CONFIG GET port and INFO show the one bound.
    if (this.config.get("port") === 0 && addresses.length > 0) this.config.override("port", this.port);
    this.logger.info(
      { addresses: addresses.map((a) => `${a.host}:${a.port}`), pid: process.pid },
      "Ready to accept connections",
    );
    this.warnIfPersistenceRequested();
    return addresses;
  }

  /**
   * RDB snapshots and the AOF are not available yet: a configuration that asks for
   * them (`save <seconds> <changes>`, `appendonly yes`, as many redis.conf files
   * do) is accepted so that those files load, but the operator is told loudly
   * that nothing is written to disk, at start-up and on CONFIG SET.
   */
  private warnIfPersistenceRequested(): void {
    const wanted: string[] = [];
    if (this.config.get("save").length > 0) wanted.push("save");
    if (this.config.get("appendonly")) wanted.push("appendonly");
    if (wanted.length === 0) return;
    this.logger.warn(
      { settings: wanted },
      "Persistence is not available in this version of Spinel: the data lives in memory only and is lost when the server stops",
    );
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
      this.logger.info("Shutting down");
      // A script running past busy-reply-threshold stops with the server; the Lua state is released.
      closeScriptEngine(this.state);
      this.closing = this.loop.close().then(() => {
        this.logger.info("Spinel is now ready to exit, bye bye...");
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
      infoSection: () => null,
      infoSectionNames: () => [],
      processInfo: () => this.processInfo(),
      resetStats: () => {
        const stats = this.loop.stats;
        stats.totalConnectionsReceived = 0;
        stats.rejectedConnections = 0;
        stats.netInputBytes = 0;
        stats.netOutputBytes = 0;
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
    this.logger.info("User requested shutdown...");
    setImmediate(() => void this.close());
    return null;
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
      instantaneousOpsPerSec: this.metrics.opsPerSecond,
      instantaneousInputKbps: this.metrics.inputKbps,
      instantaneousOutputKbps: this.metrics.outputKbps,
      lastSaveTime: Math.floor(this.state.stats.startTime / 1000),
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
    settings.protoMaxBulkLen = config.get("proto-max-bulk-len");
    settings.maxmemory = config.get("maxmemory");
    settings.notifyKeyspaceEvents = config.get("notify-keyspace-events");
    settings.requirePass = config.get("requirepass");
    settings.slowlogLogSlowerThan = config.get("slowlog-log-slower-than");
    settings.slowlogMaxLen = config.get("slowlog-max-len");
    settings.busyReplyThreshold = config.get("busy-reply-threshold");
    settings.readOnlyReplica = false;
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
      "list-compress-depth",
      "proto-max-bulk-len",
      "maxmemory",
      "notify-keyspace-events",
      "requirepass",
      "slowlog-log-slower-than",
      "slowlog-max-len",
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
    config.onChange("save", () => this.warnIfPersistenceRequested());
    config.onChange("appendonly", () => this.warnIfPersistenceRequested());
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

  /** Keyspace hooks owned by the server: propagation of expired-key deletions. */
  private wireKeyspace(): void {
    const state = this.state;
    state.keyspaceListeners.push({
      keyModified() {},
      databaseModified() {},
      keyspaceEvent() {},
      keyExpired(db, key) {
        const argv = [Buffer.from("DEL"), Buffer.from(key, "latin1")];
        if (state.callDepth > 0) state.pendingPropagation.push({ dbIndex: db.id, argv });
        else state.propagator.feed(db.id, argv);
      },
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
