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
 */

import net from "node:net";
import { DEFAULT_PARSER_LIMITS, type ParserLimits } from "@spinel/resp";
import {
  Connection,
  type ConnectionDelegate,
  type OutputBufferLimit,
  type OutputLimitClass,
} from "./connection.js";

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
}

/** Options of an EventLoop; defaults are Redis'. */
export interface EventLoopOptions {
  /** Addresses to listen on (Redis: bind). Default ["127.0.0.1", "::1"]. */
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
  }

  // ------------------------------------------------------------------ listening

  /**
   * Start listening on every bind address (same port on all; with port 0 the first
   * listener picks it). An address family the host lacks (no IPv6) is skipped with
   * a warning, as Redis does; if nothing could be bound the promise rejects.
   * Starts the cron.
   */
  async listen(): Promise<ListeningAddress[]> {
    const binds = this.options.bind ?? ["127.0.0.1", "::1"];
    let port = this.options.port ?? 6379;
    const errors: Error[] = [];
    for (const host of binds) {
      try {
        const server = await this.listenOne(host, port);
        const address = server.address() as net.AddressInfo;
        port = address.port;
        this.listening.push({ host, port });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT") {
          this.logger.warn({ host, port, code }, "could not bind address; skipping it");
          continue;
        }
        errors.push(error as Error);
      }
    }
    if (this.options.unixSocket !== undefined) {
      await this.listenUnix(this.options.unixSocket);
    }
    if (errors.length > 0 || (this.listening.length === 0 && this.options.unixSocket === undefined)) {
      await this.close();
      throw errors[0] ?? new Error(`could not listen on any of ${binds.join(", ")}`);
    }
    this.startCron();
    return this.listening;
  }

  /** The addresses being listened on. */
  get addresses(): readonly ListeningAddress[] {
    return this.listening;
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
        this.servers.push(server);
        resolve();
      });
    });
  }

  /** Accept one socket: enforce maxclients, wire events, ask for a delegate. */
  private accept(socket: net.Socket): void {
    this.stats.totalConnectionsReceived++;
    socket.setNoDelay(true);
    if (this.connections.size >= this.maxClients) {
      this.stats.rejectedConnections++;
      socket.on("error", () => {});
      socket.end("-ERR max number of clients reached\r\n");
      return;
    }
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
      connection.close(false);
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
    for (let i = 0; i < pending.length; i++) pending[i]!.flush();
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
    if (this.timeoutSeconds > 0) this.closeIdleClients(now);
    for (const connection of this.connections.values()) {
      // Output can sit over a soft limit without new writes; re-check it each tick.
      if (connection.outputLimitClass !== "normal") connection.checkOutputLimits();
    }
    this.scheduleTurnEnd();
  }

  private closeIdleClients(now: number): void {
    const limit = this.timeoutSeconds * 1000;
    for (const connection of this.connections.values()) {
      if (connection.timeoutExempt) continue;
      if (now - connection.lastInteraction > limit) {
        this.logger.debug({ client: connection.id }, "closing idle client");
        connection.close(false);
      }
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

  /**
   * Stop listening, flush what is pending, close every connection and stop the cron.
   * Resolves when every socket is closed.
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
          if (connection.socket.destroyed) resolve();
          else connection.socket.once("close", () => resolve());
        }),
      );
      connection.socket.end();
      setTimeout(() => connection.socket.destroy(), 200).unref();
    }
    await Promise.all(closing);
  }
}
