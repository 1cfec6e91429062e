/*
 * ClientSession: the command-level state of one client (Redis' `client` struct
 * minus the socket): selected database, protocol version, name, MULTI queue,
 * watched keys, subscriptions, blocking state. Handlers receive it as `c`.
 *
 * The connection (socket, query and output buffers) lives in @spinel/eventloop and
 * is reached only through the small ConnectionHandle interface below, so handlers
 * never write to sockets: they write replies into `c.reply`.
 *
 * Pseudo-clients (AOF loading, the replication link, tests) have no connection.
 */

import type { Database } from "@spinel/core-db";
import { ReplyWriter, type RespVersion } from "@spinel/resp";
import type { Command } from "./command-table.js";
import type { ServerState } from "./server-state.js";

/** What a session needs from its connection. @spinel/eventloop implements it. */
export interface ConnectionHandle {
  readonly id: number;
  /** "ip:port" of the peer (CLIENT LIST addr). */
  readonly remoteAddress: string;
  /** "ip:port" of the local side (CLIENT LIST laddr). */
  readonly localAddress: string;
  /** File descriptor, or -1 (CLIENT LIST fd). */
  readonly fd: number;
  /** Creation time in ms. */
  readonly createdAt: number;
  /** Time of the last interaction in ms (CLIENT LIST idle). */
  readonly lastInteraction: number;
  /** Bytes held in the query buffer (CLIENT LIST qbuf). */
  readonly queryBufferBytes: number;
  /** Bytes of replies not yet written to the socket (output-buffer limits). */
  readonly outputBufferBytes: number;
  /**
   * The other CLIENT LIST figures of the connection's buffers, when it measures
   * them: qbuf-free, the arguments of an incomplete request (argv-mem), the reply
   * buffer's size, recent peak and pending bytes (rbs, rbp, obl), the reply
   * blocks beyond it and their bytes (oll, omem), and the events waited for.
   */
  readonly queryBufferFree?: number;
  readonly partialArgumentBytes?: number;
  readonly replyBufferSize?: number;
  readonly replyBufferPeak?: number;
  readonly replyBufferBytes?: number;
  readonly replyListLength?: number;
  readonly replyListBytes?: number;
  readonly events?: string;
  /** Output writer of this connection. */
  readonly writer: ReplyWriter;
  /** Ask for this connection's output to be flushed at the end of the loop turn. */
  requestFlush(): void;
  /** Stop handing requests to the session (blocked client) until resume(). */
  pause(): void;
  /** Continue with requests buffered while paused. */
  resume(): void;
  /** Close: after pending replies are written when `afterReply`, else at once. */
  close(afterReply: boolean): void;
  /** True once the connection is closing: nothing more will reach the peer. */
  readonly isClosing: boolean;
  /** Which client-output-buffer-limit class applies (subscribers use "pubsub"). */
  outputLimitClass: "normal" | "pubsub" | "replica";
  /** Exempt from the idle timeout (subscribers, monitors, blocked clients, replicas). */
  timeoutExempt: boolean;
  /**
   * Apply the output-buffer limits of the class now (out-of-band output such as
   * pub/sub messages checks after each write). True when it closed the connection.
   */
  checkOutputLimits(): boolean;
  /**
   * True while the client has not authenticated on a server with a password: the
   * request parser then applies Redis' stricter limits (at most 10 arguments of at
   * most 16 KB each), so an anonymous peer cannot make the server buffer much.
   */
  unauthenticatedInput?: boolean;
}

/** Client flags, as letters in CLIENT LIST. */
export enum ClientFlag {
  Multi = 1 << 0, // x
  DirtyCas = 1 << 1, // d: a watched key changed, EXEC will fail
  DirtyExec = 1 << 2, // queued command had an error: EXECABORT
  Blocked = 1 << 3, // b
  Pubsub = 1 << 4, // P
  Monitor = 1 << 5, // O
  Replica = 1 << 6, // S
  Primary = 1 << 7, // M
  CloseAfterReply = 1 << 8, // c
  Unblocked = 1 << 9, // u
  ReadOnlyCluster = 1 << 10, // r
  NoEvict = 1 << 11, // e
  NoTouch = 1 << 12, // T
  Loading = 1 << 13, // pseudo-client replaying a data file
}

/** A command queued by MULTI, executed by EXEC. */
export interface QueuedCommand {
  readonly command: Command;
  readonly argv: Buffer[];
}

let nextPseudoClientId = Number.MAX_SAFE_INTEGER;

/** Command-level state of one client. */
export class ClientSession {
  readonly id: number;
  readonly server: ServerState;
  readonly connection: ConnectionHandle | null;
  /** Where this client's replies go. */
  reply: ReplyWriter;
  /** Arguments of the command being executed. */
  argv: Buffer[];
  /** The command being executed (set by the gate). */
  command: Command | null;
  /** The last command run (CLIENT LIST cmd). */
  lastCommand: Command | null;
  /** How long the last command run took, in microseconds (the slow log reads it). */
  lastCallMicroseconds: number;
  /**
   * The replication offset right after this client's last command that fed the
   * replication stream (Redis' c->woff): WAIT waits for replicas to reach it.
   */
  writeOffset: number;
  db: Database;
  name: string;
  libName: string;
  libVersion: string;
  flags: number;
  private isAuthenticated: boolean;
  /** Commands queued since MULTI, or null outside a transaction. */
  multiQueue: QueuedCommand[] | null;
  /** Keys watched by this client, as "dbId\0key". */
  watchedKeys: Set<string>;
  /** Pub/sub subscriptions (channel names, patterns, shard channels). */
  channels: Set<string>;
  patterns: Set<string>;
  shardChannels: Set<string>;
  /** What call() propagates instead of argv when a handler rewrote it, else null. */
  propagateArgv: Buffer[] | null;
  /** Extra commands to propagate after (or instead of) this one. */
  alsoPropagate: Buffer[][] | null;
  /** Opaque state of the blocking registry while the client is blocked, else null. */
  blockState: unknown;

  constructor(server: ServerState, connection: ConnectionHandle | null) {
    this.server = server;
    this.connection = connection;
    this.id = connection ? connection.id : nextPseudoClientId--;
    this.reply = connection ? connection.writer : new ReplyWriter();
    this.argv = [];
    this.command = null;
    this.lastCommand = null;
    this.lastCallMicroseconds = 0;
    this.writeOffset = 0;
    this.db = server.keyspace.db(0);
    this.name = "";
    this.libName = "";
    this.libVersion = "";
    this.flags = 0;
    this.isAuthenticated = true;
    this.multiQueue = null;
    this.watchedKeys = new Set();
    this.channels = new Set();
    this.patterns = new Set();
    this.shardChannels = new Set();
    this.propagateArgv = null;
    this.alsoPropagate = null;
    this.blockState = null;
  }
  /** False until the client authenticates on a server with a password (AUTH, HELLO AUTH). */
  get authenticated(): boolean {
    return this.isAuthenticated;
  }

  /** Also switches the connection's parser between Redis' unauthenticated and normal limits. */
  set authenticated(value: boolean) {
    this.isAuthenticated = value;
    const connection = this.connection;
    if (connection !== null) connection.unauthenticatedInput = !value;
  }

  /** Protocol version this client speaks. */
  get resp(): RespVersion {
    return this.reply.protocol;
  }

  /** Switch protocol (HELLO). */
  set resp(version: RespVersion) {
    this.reply.protocol = version;
  }

  /** Index of the selected database. */
  get dbIndex(): number {
    return this.db.id;
  }

  /** Number of channel + pattern + shard subscriptions. */
  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  /** True when the flag is set. */
  hasFlag(flag: ClientFlag): boolean {
    return (this.flags & flag) !== 0;
  }

  /** Replace what call() propagates for the current command (relative TTL -> absolute, ...). */
  rewritePropagation(argv: Buffer[]): void {
    this.propagateArgv = argv;
  }

  /** Propagate an additional command after the current one. */
  propagateAlso(argv: Buffer[]): void {
    if (this.alsoPropagate === null) this.alsoPropagate = [];
    this.alsoPropagate.push(argv);
  }
}
