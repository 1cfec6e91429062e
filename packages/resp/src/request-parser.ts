/*
 * RequestParser: the server side of RESP. Turns a byte stream from one client into
 * argv frames (arrays of binary-safe Buffers), resumably.
 *
 * HOT PATH. The parser keeps its state (position, arguments still expected, the
 * length of the bulk being read) between chunks, scans bytes and builds numbers with
 * arithmetic; it never converts the stream to a string. Data is never rescanned:
 * a partial frame resumes where it stopped. When a chunk ends inside a small
 * argument, the unread tail (at most a header plus BIG_ARGUMENT bytes) is joined with
 * the next chunk; a big argument gets its final buffer allocated once, when its
 * header arrives, and is filled as chunks come.
 *
 * Two request forms are accepted, as Redis accepts them:
 *   multibulk  `*<n>\r\n$<len>\r\n<bytes>\r\n...`  (what every client library sends)
 *   inline     `SET key "a value"\n`              (telnet, redis-cli in some modes)
 *
 * Limits and their errors match Redis; the server replies
 * `-ERR Protocol error: <message>` and closes the connection.
 */

import { splitInlineArguments } from "./inline.js";

const CR = 13;
const LF = 10;
/** Arguments at least this long get a dedicated buffer instead of joined chunks. */
const BIG_ARGUMENT = 32 * 1024;
/** Smallest storage allocated to accumulate a partial request. */
const MIN_STORAGE = 16 * 1024;

/** Configurable request limits; defaults are Redis'. */
export interface ParserLimits {
  /** Most arguments in one multibulk request (Redis: 1024*1024). */
  maxMultibulkLength: number;
  /** Largest bulk argument, proto-max-bulk-len (Redis: 512 MB). */
  maxBulkLength: number;
  /** Largest inline request, and largest length header line (Redis: 64 KB). */
  maxInlineLength: number;
}

/** Redis' defaults for ParserLimits. */
export const DEFAULT_PARSER_LIMITS: Readonly<ParserLimits> = Object.freeze({
  maxMultibulkLength: 1024 * 1024,
  maxBulkLength: 512 * 1024 * 1024,
  maxInlineLength: 64 * 1024,
});

/** Options of a RequestParser. */
export interface RequestParserOptions {
  limits?: Partial<ParserLimits>;
  /**
   * When true, arguments that arrive whole in one chunk are views into that chunk
   * (no copy). The caller promises that such arguments die with the command, or are
   * copied before being kept: a stored view would pin the whole socket chunk.
   */
  argumentViews?: boolean;
}

/**
 * A malformed request. `message` is Redis' wording without the prefix, e.g.
 * "invalid bulk length"; `replyText` is the full error line the server sends.
 */
export class RespProtocolError extends Error {
  override readonly name = "RespProtocolError";

  /** The error reply Redis sends for this problem. */
  get replyText(): string {
    return `ERR Protocol error: ${this.message}`;
  }
}

enum ParseState {
  /** Between requests: the next byte starts a multibulk or an inline request. */
  Idle = 0,
  /** Inside a multibulk request, reading `$<len>` headers and bulk bodies. */
  Multibulk = 1,
}

const emptyBuffer = Buffer.alloc(0);

/**
 * Resumable request parser for one connection. Call feed() with each chunk read
 * from the socket, then next() until it returns null. A RespProtocolError thrown by
 * next() is final: the connection must be closed.
 */
export class RequestParser {
  private readonly limits: ParserLimits;
  private readonly argumentViews: boolean;

  /** Unread input is buffer[pos, buffer.length). */
  private buffer: Buffer;
  private pos: number;
  /** Owned storage behind `buffer` while a partial request is accumulated, else null. */
  private storage: Buffer | null;
  private state: ParseState;
  /** Arguments of the multibulk request being read. */
  private argv: Buffer[];
  /** Arguments still expected in the current multibulk request. */
  private argumentsLeft: number;
  /** Length of the bulk being read, or -1 while expecting a `$` header. */
  private bulkLength: number;
  /** Preallocated target of a big bulk (payload plus CRLF), or null. */
  private bigArgument: Buffer | null;
  private bigArgumentFilled: number;

  constructor(options: RequestParserOptions = {}) {
    this.limits = { ...DEFAULT_PARSER_LIMITS, ...options.limits };
    this.argumentViews = options.argumentViews ?? false;
    this.buffer = emptyBuffer;
    this.pos = 0;
    this.storage = null;
    this.state = ParseState.Idle;
    this.argv = [];
    this.argumentsLeft = 0;
    this.bulkLength = -1;
    this.bigArgument = null;
    this.bigArgumentFilled = 0;
  }

  /**
   * Bytes received and not yet returned as frames: the query buffer size that
   * client-query-buffer-limit applies to.
   */
  get bufferedBytes(): number {
    return this.buffer.length - this.pos + this.bigArgumentFilled;
  }

  /** True when no partial request is held. */
  get isIdle(): boolean {
    return this.state === ParseState.Idle && this.pos >= this.buffer.length;
  }

  /**
   * Append a chunk received from the client. The parser never writes into the
   * chunk. When a partial request is pending, the tail is kept in a growable
   * storage buffer (amortised appends, so a client sending one byte at a time costs
   * linear work); bytes of the storage that may back a returned argument are never
   * written again, growth always moves to a fresh storage.
   */
  feed(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.pos >= this.buffer.length) {
      this.buffer = chunk;
      this.pos = 0;
      this.storage = null;
      return;
    }
    const used = this.buffer.length;
    const storage = this.storage;
    if (storage !== null && storage.length - used >= chunk.length) {
      chunk.copy(storage, used);
      this.buffer = storage.subarray(0, used + chunk.length);
      return;
    }
    const remaining = used - this.pos;
    const needed = remaining + chunk.length;
    const fresh = Buffer.allocUnsafe(needed * 2 > MIN_STORAGE ? needed * 2 : MIN_STORAGE);
    this.buffer.copy(fresh, 0, this.pos, used);
    chunk.copy(fresh, remaining);
    this.storage = fresh;
    this.buffer = fresh.subarray(0, needed);
    this.pos = 0;
  }

  /**
   * The next complete request, or null when more bytes are needed. Empty requests
   * (`*0`, blank inline lines) are skipped. Throws RespProtocolError on bad input.
   */
  next(): Buffer[] | null {
    for (;;) {
      if (this.state === ParseState.Idle) {
        if (this.pos >= this.buffer.length) return null;
        if (this.buffer[this.pos] === 42 /* * */) {
          if (!this.readMultibulkHeader()) return null;
          continue;
        }
        const inline = this.readInline();
        if (inline === null) return null;
        if (inline.length > 0) return inline;
        continue;
      }

      // Multibulk: read arguments until none is left.
      while (this.argumentsLeft > 0) {
        if (this.bigArgument !== null) {
          if (!this.fillBigArgument()) return null;
          continue;
        }
        if (this.bulkLength < 0) {
          if (!this.readBulkHeader()) return null;
          if (this.bigArgument !== null) continue;
        }
        const length = this.bulkLength;
        const buffer = this.buffer;
        const start = this.pos;
        if (buffer.length - start < length + 2) return null;
        if (buffer[start + length] !== CR || buffer[start + length + 1] !== LF) {
          throw new RespProtocolError("bulk argument not followed by CRLF");
        }
        const end = start + length;
        this.argv.push(
          this.argumentViews ? buffer.subarray(start, end) : Buffer.from(buffer.subarray(start, end)),
        );
        this.pos = end + 2;
        this.bulkLength = -1;
        this.argumentsLeft--;
      }
      const argv = this.argv;
      this.argv = [];
      this.state = ParseState.Idle;
      if (this.pos >= this.buffer.length) {
        this.buffer = emptyBuffer;
        this.pos = 0;
      }
      return argv;
    }
  }

  /** Forget any partial request (after RESET of a connection, or before reuse). */
  reset(): void {
    this.buffer = emptyBuffer;
    this.pos = 0;
    this.storage = null;
    this.state = ParseState.Idle;
    this.argv = [];
    this.argumentsLeft = 0;
    this.bulkLength = -1;
    this.bigArgument = null;
    this.bigArgumentFilled = 0;
  }

  // ------------------------------------------------------------------ internals

  /** Parse `*<n>\r\n`. Returns false when the line is incomplete. */
  private readMultibulkHeader(): boolean {
    const buffer = this.buffer;
    const cr = buffer.indexOf(CR, this.pos);
    if (cr === -1 || cr + 1 >= buffer.length) {
      if (buffer.length - this.pos > this.limits.maxInlineLength) {
        throw new RespProtocolError("too big mbulk count string");
      }
      return false;
    }
    const count = parseLength(buffer, this.pos + 1, cr);
    if (Number.isNaN(count) || count > this.limits.maxMultibulkLength) {
      throw new RespProtocolError("invalid multibulk length");
    }
    this.pos = cr + 2;
    if (count <= 0) return true; // empty request: nothing to run
    this.state = ParseState.Multibulk;
    this.argumentsLeft = count;
    this.bulkLength = -1;
    return true;
  }

  /** Parse `$<len>\r\n`. Returns false when the line is incomplete. */
  private readBulkHeader(): boolean {
    const buffer = this.buffer;
    if (this.pos >= buffer.length) return false;
    const first = buffer[this.pos]!;
    if (first !== 36 /* $ */) {
      throw new RespProtocolError(`expected '$', got '${String.fromCharCode(first)}'`);
    }
    const cr = buffer.indexOf(CR, this.pos);
    if (cr === -1 || cr + 1 >= buffer.length) {
      if (buffer.length - this.pos > this.limits.maxInlineLength) {
        throw new RespProtocolError("too big bulk count string");
      }
      return false;
    }
    const length = parseLength(buffer, this.pos + 1, cr);
    if (Number.isNaN(length) || length < 0 || length > this.limits.maxBulkLength) {
      throw new RespProtocolError("invalid bulk length");
    }
    this.pos = cr + 2;
    this.bulkLength = length;
    if (length >= BIG_ARGUMENT && buffer.length - this.pos < length + 2) {
      // Allocate the final buffer once and fill it as chunks arrive.
      this.bigArgument = Buffer.allocUnsafe(length + 2);
      this.bigArgumentFilled = 0;
    }
    return true;
  }

  /** Copy available bytes into the big argument; true when it is complete. */
  private fillBigArgument(): boolean {
    const target = this.bigArgument!;
    const wanted = target.length - this.bigArgumentFilled;
    const available = this.buffer.length - this.pos;
    const take = available < wanted ? available : wanted;
    this.buffer.copy(target, this.bigArgumentFilled, this.pos, this.pos + take);
    this.bigArgumentFilled += take;
    this.pos += take;
    if (this.pos >= this.buffer.length) {
      this.buffer = emptyBuffer;
      this.pos = 0;
    }
    if (this.bigArgumentFilled < target.length) return false;
    const length = target.length - 2;
    if (target[length] !== CR || target[length + 1] !== LF) {
      throw new RespProtocolError("bulk argument not followed by CRLF");
    }
    this.argv.push(target.subarray(0, length));
    this.bigArgument = null;
    this.bigArgumentFilled = 0;
    this.bulkLength = -1;
    this.argumentsLeft--;
    return true;
  }

  /** Read one inline request line. Null when the line is incomplete. */
  private readInline(): Buffer[] | null {
    const buffer = this.buffer;
    const lf = buffer.indexOf(LF, this.pos);
    if (lf === -1) {
      if (buffer.length - this.pos > this.limits.maxInlineLength) {
        throw new RespProtocolError("too big inline request");
      }
      return null;
    }
    let end = lf;
    if (end > this.pos && buffer[end - 1] === CR) end--;
    if (end - this.pos > this.limits.maxInlineLength) throw new RespProtocolError("too big inline request");
    const line = buffer.subarray(this.pos, end);
    this.pos = lf + 1;
    if (this.pos >= buffer.length) {
      this.buffer = emptyBuffer;
      this.pos = 0;
    }
    const argv = splitInlineArguments(line);
    if (argv === null) throw new RespProtocolError("unbalanced quotes in request");
    return argv;
  }
}

/**
 * Parse a decimal length in buffer[start, end): an optional '-' and digits.
 * Returns NaN for anything else (empty, other characters, absurd magnitude).
 */
function parseLength(buffer: Buffer, start: number, end: number): number {
  if (start >= end || end - start > 18) return Number.NaN;
  let i = start;
  let negative = false;
  if (buffer[i] === 45 /* - */) {
    negative = true;
    i++;
    if (i >= end) return Number.NaN;
  }
  let value = 0;
  for (; i < end; i++) {
    const digit = buffer[i]! - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}
