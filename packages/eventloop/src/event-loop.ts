/*
 * EventLoop: listening sockets, the set of connections, and the turn structure
 * Redis gets from ae.c, mapped onto Node's loop:
 *
 *   poll phase    sockets become readable -> Connection.onData -> requests run
 *   check phase   beforeSleep(): resumed (unblocked) clients run their buffered
 *                 requests, the before-sleep hooks run (fast expiry, AOF flush ...),
 *                 then every connection with output is flushed once (cork/uncork)
 *   timers        the cron (hz times a second): active expiry, idle timeouts, stats
 *
 * One setImmediate per turn at most, armed by the first connection that needs it.
 *
 * Limits, with Redis' defaults and behaviour: maxclients (10000; a connection over
 * it gets `-ERR max number of clients reached` and is closed), the idle timeout
 * (0 = never), client-query-buffer-limit (1 GB), client-output-buffer-limit per
 * class (normal / replica / pubsub) and output backpressure (a client whose
 * replies pile up in its socket is not read from until they drain).
 */

import net from "node:net";
import { DEFAULT_PARSER_LIMITS, type ParserLimits } from "@spinel/resp";
import {
  Connection,
  type ConnectionDelegate,
  type OutputBufferLimit,
  type OutputLimitClass,
} from "./connection.js";
import { canListenNow, listenNow } from "./listen-now.js";

/** Minimal logger the loop reports to (pino-compatible subset). */
export interface LoopLogger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** Network counters (INFO stats). */
export class LoopStats {
  totalConnectionsReceived = 0;
  rejectedConnections = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  /** Socket reads that delivered data (INFO total_reads_processed). */
  totalReadsProcessed = 0;
  /** Socket writes of pending output, one per flush (INFO total_writes_processed). */
  totalWritesProcessed = 0;
}

/** Options of an EventLoop; defaults are Redis'. */
export interface EventLoopOptions {
  /**
   * Addresses to listen on (Redis: bind). Default ["127.0.0.1", "::1"]. "*" means
   * every IPv4 address, "::*" every IPv6 address.
   */
  bind?: readonly string[];
  /** TCP port; 0 picks a free one. Default 6379. */
  port?: number;
  /** Unix socket path to listen on as well, or undefined. */
  unixSocket?: string;
  /** maxclients, default 10000. */
  maxClients?: number;
  /** Idle timeout in seconds, 0 = never (default). */
  timeoutSeconds?: number;
  /** client-query-buffer-limit in bytes, default 1 GB. */
  queryBufferLimit?: number;
  /** Request parser limits (proto-max-bulk-len ...). */
  parserLimits?: Partial<ParserLimits>;
  /** client-output-buffer-limit per class. */
  outputLimits?: Partial<Record<OutputLimitClass, OutputBufferLimit>>;
  /**
   * Stop reading a client once this many reply bytes wait in its socket (it does
   * not read them); resume when they drain. Default 4 MB.
   */
  outputBackpressureBytes?: number;
  /** Cron frequency (Redis: hz), default 10. */
  hz?: number;
  /** TCP backlog, default 511. */
  backlog?: number;
  logger?: LoopLogger;
  /** Called for every accepted connection; returns who handles its requests. */
  onConnection(connection: Connection): ConnectionDelegate;
}

const silentLogger: LoopLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Redis' default client-output-buffer-limit: normal 0 0 0, replica 256mb 64mb 60, pubsub 32mb 8mb 60. */
export const DEFAULT_OUTPUT_LIMITS: Readonly<Record<OutputLimitClass, OutputBufferLimit>> = Object.freeze({
  normal: { hardBytes: 0, softBytes: 0, softSeconds: 0 },
  replica: { hardBytes: 256 * 1024 * 1024, softBytes: 64 * 1024 * 1024, softSeconds: 60 },
  pubsub: { hardBytes: 32 * 1024 * 1024, softBytes: 8 * 1024 * 1024, softSeconds: 60 },
});

/** Default of EventLoopOptions.outputBackpressureBytes. */
export const DEFAULT_OUTPUT_BACKPRESSURE_BYTES = 4 * 1024 * 1024;

/** The reply Redis sends to a connection over maxclients, before closing it. */
const MAX_CLIENTS_REPLY = "-ERR max number of clients reached\r\n";

/** Idle time after which a client's query buffer gives back its free room (Redis: 2 s). */
const QUERY_BUFFER_IDLE_MS = 2000;
/** Window of the reply buffer peak (CLIENT LIST rbp), as Redis' 5 s. */
const REPLY_PEAK_WINDOW_MS = 5000;

/** Attempts at finding one free port for every bind address when the port is 0. */
const PORT_ZERO_ATTEMPTS = 5;

/** An address the loop listens on. */
export interface ListeningAddress {
  host: string;
  port: number;
}

/** The server's network side: listeners, connections, per-turn flushing and cron. */
export class EventLoop {
  readonly connections: Map<number, Connection>;
  readonly stats: LoopStats;
  readonly logger: LoopLogger;
  parserLimits: ParserLimits;
  maxClients: number;
  timeoutSeconds: number;
  queryBufferLimit: number;
  outputLimits: Record<OutputLimitClass, OutputBufferLimit>;
  outputBackpressureBytes: number;
  /** Date.now() cached once per turn and per cron tick. */
  cachedNow: number;

  private readonly options: EventLoopOptions;
  private readonly servers: net.Server[];
  private readonly beforeSleepHooks: Array<() => void>;
  private readonly cronJobs: Array<(now: number) => void>;
  private pendingFlush: Connection[];
  private resumed: Connection[];
  private turnScheduled: boolean;
  private cronTimer: NodeJS.Timeout | null;
  private nextConnectionId: number;
  private hz: number;
  private listening: ListeningAddress[];
  /** The unix socket listener (also in `servers`), or null. */
  private unixServer: net.Server | null;
  /** When the clients cron last reset the reply buffer peaks. */
  private lastPeakReset: number;

  constructor(options: EventLoopOptions) {
    this.options = options;
    this.connections = new Map();
    this.stats = new LoopStats();
    this.logger = options.logger ?? silentLogger;
    this.parserLimits = { ...DEFAULT_PARSER_LIMITS, ...options.parserLimits };
    this.maxClients = options.maxClients ?? 10000;
    this.timeoutSeconds = options.timeoutSeconds ?? 0;
    this.queryBufferLimit = options.queryBufferLimit ?? 1024 * 1024 * 1024;
    this.outputLimits = {
      normal: { ...DEFAULT_OUTPUT_LIMITS.normal, ...options.outputLimits?.normal },
      replica: { ...DEFAULT_OUTPUT_LIMITS.replica, ...options.outputLimits?.replica },
      pubsub: { ...DEFAULT_OUTPUT_LIMITS.pubsub, ...options.outputLimits?.pubsub },
    };
    this.outputBackpressureBytes = options.outputBackpressureBytes ?? DEFAULT_OUTPUT_BACKPRESSURE_BYTES;
    this.cachedNow = Date.now();
    this.servers = [];
    this.beforeSleepHooks = [];
    this.cronJobs = [];
    this.pendingFlush = [];
    this.resumed = [];
    this.turnScheduled = false;
    this.cronTimer = null;
    this.nextConnectionId = 1;
    this.hz = options.hz ?? 10;
    this.listening = [];
    this.unixServer = null;
    this.lastPeakReset = Date.now();
  }

  // ------------------------------------------------------------------ listening

  /**
   * Start listening on every bind address (same port on all; with port 0 the first
   * listener picks it, and a port some other address cannot take is given up for
   * another). An address the host lacks (no IPv6) is skipped with a warning, as
   * Redis does; any other failure, or nothing bound at all, rejects. Starts the cron.
   */
  async listen(): Promise<ListeningAddress[]> {
    const binds = this.options.bind ?? ["127.0.0.1", "::1"];
    const requestedPort = this.options.port ?? 6379;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.listenAll(binds, requestedPort);
        break;
      } catch (error) {
        await this.closeListeners();
        const code = (error as NodeJS.ErrnoException).code;
        if (requestedPort !== 0 || code !== "EADDRINUSE" || attempt >= PORT_ZERO_ATTEMPTS) throw error;
      }
    }
    if (this.options.unixSocket !== undefined) {
      try {
        await this.listenUnix(this.options.unixSocket);
      } catch (error) {
        await this.closeListeners();
        throw error;
      }
    }
    this.startCron();
    return this.listening;
  }

  /** Bind every address on one port (a free one when `port` is 0). */
  private async listenAll(binds: readonly string[], port: number): Promise<void> {
    for (const bind of binds) {
      const host = bind === "*" ? "0.0.0.0" : bind === "::*" ? "::" : bind;
      try {
        const server = await this.listenOne(host, port);
        port = (server.address() as net.AddressInfo).port;
        this.listening.push({ host, port });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT") {
          this.logger.warn({ host, port, code }, "Could not bind address; skipping it");
          continue;
        }
        throw error;
      }
    }
    if (this.listening.length === 0 && this.options.unixSocket === undefined) {
      throw new Error(`Could not listen on any of ${binds.join(", ")}`);
    }
  }

  /** The addresses being listened on. */
  get addresses(): readonly ListeningAddress[] {
    return this.listening;
  }

  /** Number of connected clients. */
  get clientCount(): number {
    return this.connections.size;
  }

  private listenOne(host: string, port: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const server = net.createServer({ noDelay: true, pauseOnConnect: false }, (socket) =>
        this.accept(socket),
      );
      const onError = (error: Error) => reject(error);
      server.once("error", onError);
      server.listen(
        { host, port, backlog: this.options.backlog ?? 511, ipv6Only: host.includes(":") },
        () => {
          server.off("error", onError);
          server.on("error", (error) => this.logger.error({ err: error }, "listener error"));
          this.servers.push(server);
          resolve(server);
        },
      );
    });
  }

  private listenUnix(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.accept(socket));
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        server.on("error", (error) => this.logger.error({ err: error }, "listener error"));
        this.servers.push(server);
        this.unixServer = server;
        resolve();
      });
    });
  }

  /**
   * Listen on `port` of the addresses `binds` instead of the current TCP
   * listeners, within this call (CONFIG SET port / bind). An address written
   * with a leading "-" is optional: one that cannot be bound is skipped, as at
   * start-up. All or nothing: when a required address cannot be bound, or none
   * at all, the new listeners are closed, the current ones keep serving, and
   * false is returned. On success the old TCP listeners stop accepting (their
   * clients stay connected) and the unix socket is untouched. Port 0 picks one
   * free port for every address.
   */
  rebind(binds: readonly string[], port: number): boolean {
    if (!canListenNow()) return false;
    // A listener already on an address and port asked for again is kept as is.
    const current = new Map<string, net.Server>();
    for (const server of this.servers) {
      if (server === this.unixServer) continue;
      const bound = server.address() as net.AddressInfo | null;
      if (bound !== null) current.set(`${bound.address}|${bound.port}`, server);
    }
    const kept: net.Server[] = [];
    const opened: net.Server[] = [];
    const addresses: ListeningAddress[] = [];
    const backlog = this.options.backlog ?? 511;
    for (const bind of binds) {
      const optional = bind.startsWith("-");
      const address = optional ? bind.slice(1) : bind;
      const host = address === "*" ? "0.0.0.0" : address === "::*" ? "::" : address;
      let server = port === 0 ? undefined : current.get(`${host}|${port}`);
      if (server !== undefined) {
        kept.push(server);
      } else {
        const fresh = listenNow(host, port, backlog, (socket) => this.accept(socket));
        if (fresh === null) {
          if (optional) continue;
          for (const unused of opened) unused.close();
          return false;
        }
        fresh.on("error", (error) => this.logger.error({ err: error }, "listener error"));
        opened.push(fresh);
        server = fresh;
      }
      port = (server.address() as net.AddressInfo).port;
      addresses.push({ host, port });
    }
    if (addresses.length === 0 && binds.length > 0) {
      for (const unused of opened) unused.close();
      return false;
    }
    for (const server of this.servers.splice(0)) {
      if (server === this.unixServer || kept.includes(server)) continue;
      server.close();
    }
    this.servers.push(...kept, ...opened);
    if (this.unixServer !== null && !this.servers.includes(this.unixServer))
      this.servers.push(this.unixServer);
    this.listening = addresses;
    return true;
  }

  /**
   * Accept one socket: enforce maxclients (Redis' reply, then close), wire the
   * socket's events to a new Connection, ask for its delegate.
   */
  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    if (this.connections.size >= this.maxClients) {
      this.stats.rejectedConnections++;
      socket.on("error", ignoreError);
      socket.end(MAX_CLIENTS_REPLY);
      setTimeout(destroySocket, 1000, socket).unref();
      return;
    }
    this.stats.totalConnectionsReceived++;
    const connection = new Connection(this, this.nextConnectionId++, socket);
    this.connections.set(connection.id, connection);
    socket.on("data", (chunk: Buffer) => connection.onData(chunk));
    socket.on("error", (error) =>
      this.logger.debug({ client: connection.id, err: error }, "client socket error"),
    );
    socket.on("close", () => connection.onSocketClosed());
    try {
      connection.delegate = this.options.onConnection(connection);
    } catch (error) {
      this.logger.error({ err: error }, "connection setup failed");
      connection.close(false, "internal-error");
    }
  }

  // ------------------------------------------------------------------ the turn

  /** Register work to run once per loop turn, before output is flushed. */
  addBeforeSleep(hook: () => void): void {
    this.beforeSleepHooks.push(hook);
  }

  /** Register work to run on every cron tick (hz times a second). */
  addCronJob(job: (now: number) => void): void {
    this.cronJobs.push(job);
  }

  /** Queue a connection for this turn's flush. */
  enqueueFlush(connection: Connection): void {
    this.pendingFlush.push(connection);
    this.scheduleTurnEnd();
  }

  /** Queue a resumed connection to run its buffered requests this turn. */
  scheduleResume(connection: Connection): void {
    this.resumed.push(connection);
    this.scheduleTurnEnd();
  }

  /** Make sure beforeSleep runs at the end of this turn (e.g. after a cron tick wrote output). */
  scheduleTurnEnd(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(this.beforeSleep);
  }

  /** End of a turn: resumed clients, before-sleep hooks, then one flush per pending connection. */
  private readonly beforeSleep = (): void => {
    this.turnScheduled = false;
    this.cachedNow = Date.now();
    while (this.resumed.length > 0) {
      const resumed = this.resumed;
      this.resumed = [];
      for (const connection of resumed) {
        if (!connection.isClosing && !connection.isPaused) connection.processInput();
      }
    }
    for (const hook of this.beforeSleepHooks) {
      try {
        hook();
      } catch (error) {
        this.logger.error({ err: error }, "before-sleep hook failed");
      }
    }
    const pending = this.pendingFlush;
    this.pendingFlush = [];
    for (let i = 0; i < pending.length; i++) {
      const connection = pending[i]!;
      try {
        connection.flush();
      } catch (error) {
        // Malformed output (a bug upstream) costs this client its connection, not the server.
        this.logger.error({ err: error, client: connection.id }, "flushing client output failed");
        connection.close(false, "internal-error");
      }
    }
  };

  // ------------------------------------------------------------------ cron

  /** Change the cron frequency (CONFIG SET hz). */
  setHz(hz: number): void {
    this.hz = Math.min(500, Math.max(1, hz));
    if (this.cronTimer !== null) {
      clearInterval(this.cronTimer);
      this.cronTimer = null;
      this.startCron();
    }
  }

  private startCron(): void {
    if (this.cronTimer !== null) return;
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / this.hz));
  }

  /**
   * One cron tick: the registered jobs, then the clients cron (idle timeouts, soft
   * output limits that are reached by time rather than by a new write).
   */
  private cron(): void {
    const now = Date.now();
    this.cachedNow = now;
    for (const job of this.cronJobs) {
      try {
        job(now);
      } catch (error) {
        this.logger.error({ err: error }, "cron job failed");
      }
    }
    this.clientsCron(now);
    this.scheduleTurnEnd();
  }

  private clientsCron(now: number): void {
    const idleLimit = this.timeoutSeconds * 1000;
    const resetPeaks = now - this.lastPeakReset >= REPLY_PEAK_WINDOW_MS;
    if (resetPeaks) this.lastPeakReset = now;
    for (const connection of this.connections.values()) {
      if (connection.isClosing) continue;
      const idle = now - connection.lastInteraction;
      if (idleLimit > 0 && !connection.timeoutExempt && idle > idleLimit) {
        this.logger.debug({ client: connection.id }, "Closing idle client");
        connection.close(false, "idle-timeout");
        continue;
      }
      // As Redis' clientsCron: an idle client's query buffer gives back its free
      // room, and the reply buffer peak (rbp) covers the last few seconds.
      if (idle > QUERY_BUFFER_IDLE_MS) connection.shrinkIdleBuffers();
      if (resetPeaks) connection.writer.peakPendingBytes = connection.writer.pendingBytes;
      // Output can sit over a soft limit without new writes; re-check it each tick.
      if (connection.outputBufferBytes > 0) connection.checkOutputLimits();
    }
  }

  // ------------------------------------------------------------------ teardown

  /** A connection's socket closed. */
  forget(connection: Connection): void {
    this.connections.delete(connection.id);
  }

  /** Stop accepting new connections (first step of shutdown). Existing ones stay. */
  stopAccepting(): void {
    for (const server of this.servers.splice(0)) server.close();
  }

  /** Close every listener and wait until they are closed. */
  private async closeListeners(): Promise<void> {
    const servers = this.servers.splice(0);
    this.listening = [];
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  /**
   * Stop listening, flush what is pending, close every connection (after its
   * pending replies) and stop the cron. Resolves when every socket is closed.
   */
  async close(): Promise<void> {
    if (this.cronTimer !== null) {
      clearInterval(this.cronTimer);
      this.cronTimer = null;
    }
    this.stopAccepting();
    this.beforeSleep();
    const closing: Promise<void>[] = [];
    for (const connection of this.connections.values()) {
      closing.push(
        new Promise<void>((resolve) => {
          if (connection.isClosed || connection.socket.destroyed) resolve();
          else connection.socket.once("close", () => resolve());
        }),
      );
      if (connection.closeReason === null) connection.closeReason = "shutdown";
      connection.socket.end();
      setTimeout(destroySocket, 200, connection.socket).unref();
    }
    await Promise.all(closing);
  }
}

function ignoreError(): void {}

function destroySocket(socket: net.Socket): void {
  socket.destroy();
}
