/*
 * Connection: one client socket, its query buffer (a resumable RequestParser) and
 * its output buffer (a ReplyWriter).
 *
 * HOT PATH. onData() runs for every chunk a client sends.
 *
 * Input: each chunk is fed to the parser and complete requests are handed to the
 * delegate (the command session) one by one, in order. A paused connection (a
 * client blocked on BLPOP, say) keeps its further requests buffered until resumed.
 *
 * Output: the delegate writes replies into `writer`; the connection asks its event
 * loop for a flush, and the loop flushes every pending connection once per turn
 * with cork()/uncork(), so a pipeline of N requests costs one writev.
 */

import type { Socket } from "node:net";
import { ReplyWriter, RequestParser, RespProtocolError } from "@spinel/resp";
import type { EventLoop } from "./event-loop.js";

/** What a connection hands its requests to: the command-level session. */
export interface ConnectionDelegate {
  /** Run one request. May write replies, pause the connection or close it. */
  onRequest(argv: Buffer[]): void;
  /** The connection is gone (peer closed, killed, protocol error, limit). */
  onClose(): void;
}

/** Which client-output-buffer-limit class applies to a connection. */
export type OutputLimitClass = "normal" | "pubsub" | "replica";

/** A client-output-buffer-limit class: 0 disables a limit. */
export interface OutputBufferLimit {
  hardBytes: number;
  softBytes: number;
  softSeconds: number;
}

/** Above this many bytes queued in the socket we stop reading from the client. */
const BACKPRESSURE_BYTES = 4 * 1024 * 1024;

/** One client connection. Implements the ConnectionHandle interface of @spinel/commands. */
export class Connection {
  readonly id: number;
  readonly socket: Socket;
  readonly loop: EventLoop;
  readonly parser: RequestParser;
  readonly writer: ReplyWriter;
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly createdAt: number;
  lastInteraction: number;
  delegate: ConnectionDelegate | null;
  outputLimitClass: OutputLimitClass;
  /** Exempt from the idle timeout (replicas, primaries, blocked and pub/sub clients). */
  timeoutExempt: boolean;
  /** Bytes read from / written to this client. */
  bytesIn: number;
  bytesOut: number;

  private paused: boolean;
  private closing: boolean;
  private closed: boolean;
  private flushRequested: boolean;
  private readingStopped: boolean;
  /** Since when (ms) the output has been over the soft limit, or 0. */
  private softLimitSince: number;

  constructor(loop: EventLoop, id: number, socket: Socket) {
    this.id = id;
    this.loop = loop;
    this.socket = socket;
    this.parser = new RequestParser({ limits: loop.parserLimits, argumentViews: true });
    this.writer = new ReplyWriter(2);
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    this.localAddress = formatAddress(socket.localAddress, socket.localPort);
    this.createdAt = Date.now();
    this.lastInteraction = this.createdAt;
    this.delegate = null;
    this.outputLimitClass = "normal";
    this.timeoutExempt = false;
    this.bytesIn = 0;
    this.bytesOut = 0;
    this.paused = false;
    this.closing = false;
    this.closed = false;
    this.flushRequested = false;
    this.readingStopped = false;
    this.softLimitSince = 0;
  }

  /** File descriptor of the socket, or -1 when unknown. */
  get fd(): number {
    const handle = (this.socket as unknown as { _handle?: { fd?: number } })._handle;
    return handle?.fd ?? -1;
  }

  /** Bytes buffered in the query buffer (CLIENT LIST qbuf). */
  get queryBufferBytes(): number {
    return this.parser.bufferedBytes;
  }

  /** Bytes of output not yet written to the kernel (CLIENT LIST omem). */
  get outputBufferBytes(): number {
    return this.writer.pendingBytes + this.socket.writableLength;
  }

  /** True once close() was called or the socket went away. */
  get isClosing(): boolean {
    return this.closing || this.closed;
  }

  /** True while requests are held back (blocked client). */
  get isPaused(): boolean {
    return this.paused;
  }

  // ------------------------------------------------------------------ input

  /** A chunk arrived from the socket. */
  onData(chunk: Buffer): void {
    if (this.closing) return;
    this.lastInteraction = this.loop.cachedNow;
    this.bytesIn += chunk.length;
    this.loop.stats.netInputBytes += chunk.length;
    this.parser.feed(chunk);
    this.processInput();
  }

  /**
   * Hand buffered requests to the delegate until the buffer has no complete
   * request, the connection pauses, or it is closing.
   */
  processInput(): void {
    const delegate = this.delegate;
    if (delegate === null) return;
    const parser = this.parser;
    while (!this.paused && !this.closing) {
      let argv: Buffer[] | null;
      try {
        argv = parser.next();
      } catch (error) {
        if (!(error instanceof RespProtocolError)) throw error;
        this.loop.logger.debug(
          { client: this.id, addr: this.remoteAddress, reason: error.message },
          "protocol error",
        );
        this.writer.error(error.replyText);
        this.close(true);
        break;
      }
      if (argv === null) break;
      delegate.onRequest(argv);
    }
    if (!this.closing && parser.bufferedBytes > this.loop.queryBufferLimit) {
      this.loop.logger.warn(
        { client: this.id, addr: this.remoteAddress, qbuf: parser.bufferedBytes },
        "closing client that reached max query buffer length",
      );
      this.close(false);
      return;
    }
    if (!this.writer.isEmpty) this.requestFlush();
  }

  /** Stop handing requests to the delegate (the client is blocked). */
  pause(): void {
    this.paused = true;
  }

  /**
   * Continue with buffered requests. The actual processing happens in the loop's
   * before-sleep phase, never inside another client's command.
   */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.loop.scheduleResume(this);
  }

  // ------------------------------------------------------------------ output

  /** Ask for this connection's output to be written at the end of the loop turn. */
  requestFlush(): void {
    if (this.flushRequested || this.closed) return;
    this.flushRequested = true;
    this.loop.enqueueFlush(this);
  }

  /**
   * Write pending output to the socket (called by the loop once per turn). Applies
   * backpressure and the client-output-buffer-limit of this connection's class.
   */
  flush(): void {
    this.flushRequested = false;
    if (this.closed) return;
    const chunks = this.writer.drain();
    if (chunks.length > 0) {
      const socket = this.socket;
      let written = 0;
      if (chunks.length === 1) {
        written = chunks[0]!.length;
        socket.write(chunks[0]!);
      } else {
        socket.cork();
        for (const chunk of chunks) {
          written += chunk.length;
          socket.write(chunk);
        }
        socket.uncork();
      }
      this.bytesOut += written;
      this.loop.stats.netOutputBytes += written;
    }
    if (this.closing) {
      this.socket.end();
      return;
    }
    if (this.checkOutputLimits()) return;
    if (!this.readingStopped && this.socket.writableLength > BACKPRESSURE_BYTES) {
      // The client does not read its replies: stop reading its requests.
      this.readingStopped = true;
      this.socket.pause();
      this.socket.once("drain", () => {
        this.readingStopped = false;
        if (!this.closed) this.socket.resume();
      });
    }
  }

  /**
   * Close the connection when its output exceeds the limits of its class: at once
   * over the hard limit, or when over the soft limit for longer than its seconds.
   * Returns true when the connection was closed.
   */
  checkOutputLimits(): boolean {
    const limit = this.loop.outputLimits[this.outputLimitClass];
    if (limit.hardBytes === 0 && limit.softBytes === 0) return false;
    const used = this.outputBufferBytes;
    let exceeded = limit.hardBytes !== 0 && used >= limit.hardBytes;
    if (!exceeded && limit.softBytes !== 0 && used >= limit.softBytes) {
      const now = this.loop.cachedNow;
      if (this.softLimitSince === 0) this.softLimitSince = now;
      else if (now - this.softLimitSince >= limit.softSeconds * 1000) exceeded = true;
    } else if (!exceeded) {
      this.softLimitSince = 0;
    }
    if (!exceeded) return false;
    this.loop.logger.warn(
      { client: this.id, addr: this.remoteAddress, class: this.outputLimitClass, omem: used },
      "client scheduled to be closed ASAP for overcoming of output buffer limits",
    );
    this.writer.discard();
    this.close(false);
    return true;
  }

  // ------------------------------------------------------------------ closing

  /**
   * Close the connection: after pending replies are written when `afterReply`,
   * otherwise at once (pending output is dropped). Idempotent.
   */
  close(afterReply: boolean): void {
    if (this.closed) return;
    if (afterReply) {
      if (this.closing) return;
      this.closing = true;
      this.requestFlush();
      return;
    }
    this.closing = true;
    this.writer.discard();
    this.socket.destroy();
  }

  /** Socket closed: tell the delegate once and leave the loop's registry. */
  onSocketClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    const delegate = this.delegate;
    this.delegate = null;
    this.loop.forget(this);
    delegate?.onClose();
  }
}

/** "ip:port", or "[ipv6]:port", as Redis' anetFormatAddr prints addresses. */
export function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return "?:0";
  const ip = address.startsWith("::ffff:") ? address.slice(7) : address;
  return ip.includes(":") ? `[${ip}]:${port ?? 0}` : `${ip}:${port ?? 0}`;
}
