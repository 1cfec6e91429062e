/*
 * Connection: one client socket, its query buffer (a resumable RequestParser) and
 * its output buffer (a ReplyWriter).
 *
 * HOT PATH. onData() runs for every chunk a client sends; flush() once per loop
 * turn for every client with output.
 *
 * Input: each chunk is fed to the parser and complete requests are handed to the
 * delegate (the command session) one by one, in order. A paused connection (a
 * client blocked on BLPOP, say) keeps its further requests buffered until resumed.
 * A malformed request gets Redis' `-ERR Protocol error: ...` reply, after the
 * replies of the requests before it, and the connection closes once that is
 * written. More unprocessed bytes than client-query-buffer-limit close it at once.
 *
 * Output: the delegate writes replies into `writer`; the connection asks its event
 * loop for a flush, and the loop flushes every pending connection once per turn
 * with cork()/uncork(), so a pipeline of N requests costs one writev. A client
 * whose replies pile up in the socket (it does not read them) is not read from
 * until they drain; past the client-output-buffer-limit of its class it is closed.
 *
 * Lifecycle: open -> (closing: no more input is processed; pending output is
 * written when the close was "after reply") -> closed (socket gone, delegate told
 * once through onClose, loop registry forgets the connection).
 */

import type { Socket } from "node:net";
import { ReplyWriter, RequestParser, RespProtocolError } from "@spinel/resp";
import type { EventLoop } from "./event-loop.js";

/** What a connection hands its requests to: the command-level session. */
export interface ConnectionDelegate {
  /** Run one request. May write replies, pause the connection or close it. */
  onRequest(argv: Buffer[]): void;
  /**
   * Optional: the requests of one processing pass (one socket read, or a resume)
   * start to be handed over. Always followed by onBatchEnd(), even when a request
   * throws; no batch opens inside another.
   */
  onBatchStart?(): void;
  /** Optional: the processing pass that onBatchStart() announced is over. */
  onBatchEnd?(): void;
  /** The connection is gone (peer closed, killed, protocol error, limit). Called once. */
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

/** Why a connection closed (for logs, tests and CLIENT KILL bookkeeping). */
export type CloseReason =
  | "peer"
  | "requested"
  | "protocol-error"
  | "query-buffer-limit"
  | "output-buffer-limit"
  | "idle-timeout"
  | "internal-error"
  | "shutdown";

/**
 * How long a connection closed "after reply" waits for the peer to close its side
 * before the socket is destroyed (a peer that never reads must not hold it forever).
 */
const CLOSE_GRACE_MS = 5000;

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
  /** Time (ms) of the last request read or reply written (CLIENT LIST idle, idle timeout). */
  lastInteraction: number;
  delegate: ConnectionDelegate | null;
  outputLimitClass: OutputLimitClass;
  /** Exempt from the idle timeout (replicas, primaries, blocked and pub/sub clients). */
  timeoutExempt: boolean;
  /** Bytes read from / written to this client. */
  bytesIn: number;
  bytesOut: number;
  /** Why the connection is closing or closed; null while open. */
  closeReason: CloseReason | null;

  /** True while processInput() hands requests to the delegate. */
  private processingInput: boolean;
  /** socket.write() calls whose data Node has not handed to the kernel yet (CLIENT LIST oll). */
  private writesInFlight: number;
  /** Called by Node when one write completed (one function per connection, not per write). */
  private readonly onWriteDone: () => void;
  private paused: boolean;
  private closing: boolean;
  private closed: boolean;
  private flushRequested: boolean;
  private readingStopped: boolean;
  /** Since when (ms) the output has been over the soft limit, or 0. */
  private softLimitSince: number;
  /** Output position (bytes queued since the connection opened) up to which output escapes the limits. */
  private limitExemptUntil: number;
  /**
   * Output held for this connection outside its buffers, counted against the
   * limits (a replica's stream waiting for its RDB to be sent).
   */
  heldOutputBytes: number;

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
    this.closeReason = null;
    this.processingInput = false;
    this.writesInFlight = 0;
    this.onWriteDone = () => {
      this.writesInFlight--;
    };
    this.paused = false;
    this.closing = false;
    this.closed = false;
    this.flushRequested = false;
    this.readingStopped = false;
    this.softLimitSince = 0;
    this.limitExemptUntil = 0;
    this.heldOutputBytes = 0;
  }

  /** File descriptor of the socket, or -1 when unknown. */
  get fd(): number {
    const handle = (this.socket as unknown as { _handle?: { fd?: number } })._handle;
    return handle?.fd ?? -1;
  }

  /**
   * Bytes in the query buffer (CLIENT LIST qbuf). While its requests run, the
   * whole input buffer they came from, as in Redis (which trims the parsed part
   * once the buffer is processed); otherwise the bytes not parsed yet.
   */
  get queryBufferBytes(): number {
    return this.processingInput ? this.parser.heldQueryBytes : this.parser.bufferedBytes;
  }

  /** Room left in the query buffer before it must grow (CLIENT LIST qbuf-free). */
  get queryBufferFree(): number {
    return this.parser.freeQueryBytes;
  }

  /** Bytes of the arguments read so far of an incomplete request (CLIENT LIST argv-mem). */
  get partialArgumentBytes(): number {
    return this.parser.partialArgumentBytes;
  }

  /** Size of the reply buffer (CLIENT LIST rbs). */
  get replyBufferSize(): number {
    return this.writer.slabSize;
  }

  /** Most reply bytes pending at one flush in the last few seconds (CLIENT LIST rbp). */
  get replyBufferPeak(): number {
    const writer = this.writer;
    return Math.max(writer.peakPendingBytes, writer.pendingBytes);
  }

  /** Reply bytes in the reply buffer not written yet (CLIENT LIST obl). */
  get replyBufferBytes(): number {
    return this.writer.slabPendingBytes;
  }

  /**
   * Reply blocks waiting beyond the reply buffer: sealed chunks of the writer and
   * writes Node has not handed to the kernel (CLIENT LIST oll).
   */
  get replyListLength(): number {
    return this.writer.sealedChunkCount + this.writesInFlight;
  }

  /** Bytes of those blocks (CLIENT LIST omem). */
  get replyListBytes(): number {
    return this.writer.sealedBytes + this.socket.writableLength;
  }

  /** Which events the connection waits for (CLIENT LIST events): r = reads, w = writes pending. */
  get events(): string {
    const reading = this.readingStopped || this.closing ? "" : "r";
    return this.socket.writableLength > 0 ? `${reading}w` : reading;
  }

  /**
   * Housekeeping of an idle connection (Redis' clientsCron): give back the free
   * room of its query buffer. Called by the loop's cron.
   */
  shrinkIdleBuffers(): void {
    this.parser.shrinkToFit();
  }

  /** Bytes of output not yet written to the kernel (CLIENT LIST omem). */
  get outputBufferBytes(): number {
    return this.writer.pendingBytes + this.socket.writableLength;
  }

  /**
   * Queue bytes that do not count against the client-output-buffer-limit: the
   * RDB of a replica's full sync, which redis-server sends outside the output
   * buffer (otherwise a dataset larger than the replica class's hard limit
   * could never be transferred). Output queued after them counts as usual.
   */
  writeOutsideLimits(bytes: Buffer): void {
    this.writer.raw(bytes);
    this.limitExemptUntil = this.bytesOut + this.writer.pendingBytes;
  }

  /**
   * Output that counts against the limits: pending output past the exempt part,
   * plus the output held elsewhere (heldOutputBytes).
   */
  get limitedOutputBytes(): number {
    const used = this.outputBufferBytes + this.heldOutputBytes;
    if (this.limitExemptUntil === 0) return used;
    const drained = this.bytesOut - this.socket.writableLength;
    return Math.max(0, used - Math.max(0, this.limitExemptUntil - drained));
  }

  /** True while the parser applies Redis' limits for unauthenticated clients. */
  get unauthenticatedInput(): boolean {
    return this.parser.unauthenticated;
  }

  set unauthenticatedInput(value: boolean) {
    this.parser.unauthenticated = value;
  }

  /** True once close() was called or the socket went away. */
  get isClosing(): boolean {
    return this.closing || this.closed;
  }

  /** True once the socket is gone and the delegate was told. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** True while requests are held back (blocked client). */
  get isPaused(): boolean {
    return this.paused;
  }

  /** True while the socket is not read because the client's replies pile up. */
  get isReadingStopped(): boolean {
    return this.readingStopped;
  }

  // ------------------------------------------------------------------ input

  /** A chunk arrived from the socket. */
  onData(chunk: Buffer): void {
    if (this.closing) return;
    this.lastInteraction = this.loop.cachedNow;
    this.bytesIn += chunk.length;
    this.loop.stats.netInputBytes += chunk.length;
    this.loop.stats.totalReadsProcessed++;
    this.parser.feed(chunk);
    this.processInput();
  }

  /**
   * Hand buffered requests to the delegate until the buffer has no complete
   * request, the connection pauses, or it is closing. Then enforce the query
   * buffer limit on what is left and ask for this turn's flush.
   */
  processInput(): void {
    const delegate = this.delegate;
    if (delegate === null) return;
    const parser = this.parser;
    this.processingInput = true;
    if (delegate.onBatchStart !== undefined) delegate.onBatchStart();
    while (!this.paused && !this.closing) {
      let argv: Buffer[] | null;
      try {
        argv = parser.next();
      } catch (error) {
        this.onProtocolError(error);
        break;
      }
      if (argv === null) break;
      try {
        delegate.onRequest(argv);
      } catch (error) {
        this.onDelegateFailure(error);
        break;
      }
    }
    if (delegate.onBatchEnd !== undefined) delegate.onBatchEnd();
    this.processingInput = false;
    if (!this.closing && parser.bufferedBytes > this.loop.queryBufferLimit) {
      this.loop.logger.warn(
        { client: this.id, addr: this.remoteAddress, qbuf: parser.bufferedBytes },
        "Closing client that reached max query buffer length",
      );
      this.close(false, "query-buffer-limit");
      return;
    }
    if (!this.writer.isEmpty) this.requestFlush();
  }

  /** The parser refused the input: reply Redis' protocol error and close after it. */
  private onProtocolError(error: unknown): void {
    if (!(error instanceof RespProtocolError)) {
      this.onDelegateFailure(error);
      return;
    }
    this.loop.logger.debug(
      { client: this.id, addr: this.remoteAddress, reason: error.message },
      "Protocol error from client",
    );
    this.writer.error(error.replyText);
    this.close(true, "protocol-error");
  }

  /**
   * A request escaped the command layer's own error handling: a bug. The server
   * stays up; this client gets `-ERR internal error` and is closed after it, since
   * its session may be in any state.
   */
  private onDelegateFailure(error: unknown): void {
    this.loop.logger.error({ err: error, client: this.id }, "request processing failed");
    this.writer.error("ERR internal error");
    this.close(true, "internal-error");
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
   * the client-output-buffer-limit of this connection's class and backpressure.
   */
  flush(): void {
    this.flushRequested = false;
    if (this.closed) return;
    const socket = this.socket;
    if (!this.writer.isEmpty) {
      const chunks = this.writer.drain();
      let written = 0;
      const onWriteDone = this.onWriteDone;
      this.writesInFlight += chunks.length;
      if (chunks.length === 1) {
        written = chunks[0]!.length;
        socket.write(chunks[0]!, onWriteDone);
      } else {
        socket.cork();
        for (let i = 0; i < chunks.length; i++) {
          const chunk = chunks[i]!;
          written += chunk.length;
          socket.write(chunk, onWriteDone);
        }
        socket.uncork();
      }
      this.bytesOut += written;
      this.loop.stats.netOutputBytes += written;
      this.loop.stats.totalWritesProcessed++;
      this.lastInteraction = this.loop.cachedNow;
    }
    if (this.closing) {
      this.finishClose();
      return;
    }
    if (this.checkOutputLimits()) return;
    if (!this.readingStopped && socket.writableLength > this.loop.outputBackpressureBytes) {
      this.stopReading();
    }
  }

  /**
   * The client does not read its replies: stop reading its requests (they would
   * only add replies) until the socket drains.
   */
  private stopReading(): void {
    this.readingStopped = true;
    this.socket.pause();
    this.socket.once("drain", () => {
      this.readingStopped = false;
      if (!this.closing && !this.closed) this.socket.resume();
    });
  }

  /**
   * Close the connection when its output exceeds the limits of its class: at once
   * over the hard limit, or when over the soft limit for longer than its seconds.
   * Returns true when the connection was closed.
   */
  checkOutputLimits(): boolean {
    if (this.closing || this.closed) return false;
    const limit = this.loop.outputLimits[this.outputLimitClass];
    if (limit.hardBytes === 0 && limit.softBytes === 0) return false;
    const used = this.limitedOutputBytes;
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
      "Client scheduled to be closed ASAP for overcoming of output buffer limits.",
    );
    this.close(false, "output-buffer-limit");
    return true;
  }

  // ------------------------------------------------------------------ closing

  /**
   * Close the connection: after pending replies are written when `afterReply`,
   * otherwise at once (pending output is dropped). Idempotent; the first reason
   * given is kept.
   */
  close(afterReply: boolean, reason: CloseReason = "requested"): void {
    if (this.closed) return;
    if (this.closeReason === null) this.closeReason = reason;
    if (afterReply) {
      if (this.closing) return;
      this.closing = true;
      if (this.writer.isEmpty) this.finishClose();
      else this.requestFlush();
      return;
    }
    this.closing = true;
    this.writer.discard();
    this.socket.destroy();
  }

  /**
   * Pending output is written: half-close (FIN after the data, so the peer reads
   * every reply) and destroy the socket if the peer has not closed its side in
   * CLOSE_GRACE_MS.
   */
  private finishClose(): void {
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return;
    socket.end();
    setTimeout(destroySocket, CLOSE_GRACE_MS, socket).unref();
  }

  /** Socket closed: tell the delegate once and leave the loop's registry. */
  onSocketClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    if (this.closeReason === null) this.closeReason = "peer";
    const delegate = this.delegate;
    this.delegate = null;
    this.loop.forget(this);
    delegate?.onClose();
  }
}

function destroySocket(socket: Socket): void {
  socket.destroy();
}

/** "ip:port", or "[ipv6]:port", as Redis' anetFormatAddr prints addresses. */
export function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return "?:0";
  const ip = address.startsWith("::ffff:") ? address.slice(7) : address;
  return ip.includes(":") ? `[${ip}]:${port ?? 0}` : `${ip}:${port ?? 0}`;
}
