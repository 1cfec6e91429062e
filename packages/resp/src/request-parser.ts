/*
 * RequestParser: the server side of RESP. Turns the byte stream of one client into
 * argv frames (arrays of binary-safe Buffers), resumably, as Redis 7.0's
 * processMultibulkBuffer() and processInlineBuffer() do.
 *
 * HOT PATH. The parser keeps its state (position, arguments still expected, the
 * length of the bulk being read, how far an unterminated line was scanned) between
 * chunks, scans bytes and builds numbers with arithmetic; it never converts the
 * stream to a string. Data is never rescanned: a partial frame resumes where it
 * stopped. When a chunk ends inside a small argument, the unread tail is joined
 * with the next chunk (see ChunkedInput); a big argument gets its final buffer
 * allocated once, when its header arrives, and is filled as chunks come.
 *
 * Two request forms are accepted, as Redis accepts them:
 *   multibulk  `*<n>\r\n$<len>\r\n<bytes>\r\n...`  (what every client library sends)
 *   inline     `SET key "a value"\n`              (telnet, redis-cli in some modes)
 *
 * What Redis accepts, this parser accepts, and its errors carry Redis' texts; the
 * server replies `-ERR Protocol error: <message>` and closes the connection.
 * Numbers follow string2ll(): "0" or an optional '-' and a digit 1-9 followed by
 * digits, within 64 bits ("01", "+1", "-0", " 1" are invalid). As in Redis, the
 * byte after a header's CR is skipped unchecked, and a NUL byte before a line's
 * terminator keeps the line from ever completing (Redis finds terminators with
 * strchr()), until the "too big" limit closes the connection. Where Redis depends
 * on how its reads happen to split the stream, this parser follows what Redis does
 * when bytes trickle in, so that the result never depends on chunk boundaries: a
 * line whose terminator lies more than the inline limit away is "too big", even
 * when it arrived whole (Redis reads 16 KB at a time and only judges a line that
 * is still unterminated after a read, so a line of 64 to 80 KB sent in one write
 * may pass there). As in Redis, the two bytes after a bulk argument are skipped
 * unchecked: `*1\r\n$4\r\nPINGPONG\r\n` is PING followed by an inline request
 * `NG`. A bulk length the runtime cannot allocate (over buffer.constants.MAX_LENGTH,
 * reachable when proto-max-bulk-len is raised past 4 GB) is the error "bulk length
 * exceeds what this server can allocate" rather than a failure of the server.
 */

import { constants as bufferConstants } from "node:buffer";
import { ChunkedInput } from "./chunked-input.js";
import { splitInlineArguments } from "./inline.js";
import { RespProtocolError } from "./protocol-error.js";

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
/** Arguments at least this long get a dedicated buffer instead of joined chunks (PROTO_MBULK_BIG_ARG). */
const BIG_ARGUMENT = 32 * 1024;
/** Requests of up to this many arguments get their argv allocated at full size. */
const PREALLOCATE = 1024;
/** Longest digit run the allocation-free fast path reads; longer runs take the exact path. */
const FAST_DIGITS = 15;
/** Longest command name the parser shares between requests (see RequestParser.sharedName). */
const SHARED_NAME_MAX = 24;
/** How many distinct command names one parser shares at a time. */
const SHARED_NAME_SLOTS = 4;

/** Configurable request limits; defaults are redis-server 7.0's. */
export interface ParserLimits {
  /** Most arguments in one multibulk request (Redis 7.0: INT_MAX). */
  maxMultibulkLength: number;
  /** Largest bulk argument, proto-max-bulk-len (Redis: 512 MB). */
  maxBulkLength: number;
  /** Largest inline request, and largest length header line (Redis: 64 KB, PROTO_INLINE_MAX_SIZE). */
  maxInlineLength: number;
  /** Most arguments in one request while `unauthenticated` is set (Redis: 10). */
  maxUnauthenticatedMultibulkLength: number;
  /** Largest bulk argument while `unauthenticated` is set (Redis: 16 KB). */
  maxUnauthenticatedBulkLength: number;
}

/** redis-server 7.0's defaults for ParserLimits. */
export const DEFAULT_PARSER_LIMITS: Readonly<ParserLimits> = Object.freeze({
  maxMultibulkLength: 2147483647,
  maxBulkLength: 512 * 1024 * 1024,
  maxInlineLength: 64 * 1024,
  maxUnauthenticatedMultibulkLength: 10,
  maxUnauthenticatedBulkLength: 16 * 1024,
});

/** Options of a RequestParser. */
export interface RequestParserOptions {
  /**
   * Limits; missing fields use DEFAULT_PARSER_LIMITS. The parser keeps a reference
   * to this object and reads it at every check, so a later change of a field
   * (CONFIG SET proto-max-bulk-len) applies to the next request header.
   */
  limits?: Partial<ParserLimits>;
  /**
   * When true, arguments that arrive whole in one chunk are views into that chunk
   * (no copy). The caller promises that such arguments die with the command, or are
   * copied before being kept: a stored view would pin the whole socket chunk.
   */
  argumentViews?: boolean;
}

/**
 * A Buffer view into a chunk, made cheaply. Node's Buffer#subarray() validates
 * and normalises its arguments in JavaScript before constructing the view, which
 * costs about three times the construction itself; the parser, which knows its
 * offsets are in range, constructs the view directly. The class is a Uint8Array
 * whose prototype chain goes through Buffer.prototype, so its instances are
 * Buffers to every reader (Buffer.isBuffer, instanceof Buffer, every Buffer
 * method), only their constructor differs.
 */
class ArgumentView extends Uint8Array {
  // The explicit three-argument constructor is the fast construction path (no rest/spread of arguments).
  constructor(memory: ArrayBuffer, byteOffset: number, length: number) {
    super(memory, byteOffset, length);
  }
}
Object.setPrototypeOf(ArgumentView.prototype, Buffer.prototype);

/** A view of source[start, end) (see ArgumentView); the caller guarantees the range. */
function argumentView(source: Buffer, start: number, end: number): Buffer {
  return new ArgumentView(
    source.buffer as ArrayBuffer,
    source.byteOffset + start,
    end - start,
  ) as unknown as Buffer;
}

/**
 * Resumable request parser for one connection. Call feed() with each chunk read
 * from the socket, then next() until it returns null. A RespProtocolError thrown by
 * next() is final: the connection must be closed (next() throws it again).
 */
export class RequestParser extends ChunkedInput {
  /**
   * True while the client still has to authenticate (requirepass set, no AUTH yet):
   * the stricter unauthenticated limits apply, as in Redis. Set by the connection.
   */
  unauthenticated: boolean;

  private readonly limits: Partial<ParserLimits>;
  private readonly argumentViews: boolean;
  /** Arguments of the multibulk request being read. */
  private argv: Buffer[];
  /** Arguments still expected in the current multibulk request; 0 between requests. */
  private argumentsLeft: number;
  /** Length of the bulk being read, or -1 while expecting a `$` header. */
  private bulkLength: number;
  /** Preallocated target of a big bulk (payload plus CRLF), or null. */
  private bigArgument: Buffer | null;
  private bigArgumentFilled: number;
  /** Value of the last header line read by readHeaderLine(). */
  private headerValue: number;
  /** The error this parser failed with, thrown again by next(). */
  private failure: RespProtocolError | null;
  /**
   * Copies of the command names (first arguments) this client sent last, most
   * recent first: a request naming one of them gets that copy as argv[0] instead
   * of a new Buffer. A client mostly repeats a few commands, so most requests save
   * one Buffer object (a tenth of the garbage a small request makes).
   */
  private readonly sharedNames: Buffer[];

  constructor(options: RequestParserOptions = {}) {
    super();
    this.unauthenticated = false;
    this.limits = options.limits ?? DEFAULT_PARSER_LIMITS;
    this.argumentViews = options.argumentViews ?? false;
    this.argv = [];
    this.argumentsLeft = 0;
    this.bulkLength = -1;
    this.bigArgument = null;
    this.bigArgumentFilled = 0;
    this.headerValue = 0;
    this.failure = null;
    this.sharedNames = [];
  }

  /**
   * Bytes received and not yet returned as frames: the query buffer size that
   * client-query-buffer-limit applies to.
   */
  get bufferedBytes(): number {
    return this.unreadBytes + this.bigArgumentFilled;
  }

  /**
   * Bytes held in the query buffer (CLIENT LIST qbuf): the current input buffer,
   * its already parsed requests included (they are let go when the parser next
   * runs out of input), plus a big argument being filled.
   */
  get heldQueryBytes(): number {
    return this.heldBytes + this.bigArgumentFilled;
  }

  /** Room left in the query buffer before it must grow (CLIENT LIST qbuf-free). */
  get freeQueryBytes(): number {
    const big = this.bigArgument;
    return big !== null ? big.length - this.bigArgumentFilled : this.freeBytes;
  }

  /** Bytes of the arguments read so far of an incomplete request (part of CLIENT LIST argv-mem). */
  get partialArgumentBytes(): number {
    if (this.argumentsLeft === 0) return 0;
    let total = 0;
    for (const argument of this.argv) total += argument.length;
    return total;
  }

  /** True when no partial request is held. */
  get isIdle(): boolean {
    return this.argumentsLeft === 0 && this.unreadBytes === 0;
  }

  /**
   * The next complete request, or null when more bytes are needed. Empty requests
   * (`*0`, negative counts, blank inline lines) are skipped, as Redis skips them.
   * Throws RespProtocolError on bad input.
   */
  next(): Buffer[] | null {
    if (this.argumentsLeft === 0 && this.lineScanned === 0 && this.failure === null) {
      const argv = this.readWholeRequest();
      if (argv !== null) return argv;
    }
    for (;;) {
      const argv = this.parseNext();
      if (argv !== null || this.spill === null) return argv;
      this.takeSpill();
    }
  }

  /** next() within the bytes of `buffer`. */
  private parseNext(): Buffer[] | null {
    if (this.failure !== null) throw this.failure;
    for (;;) {
      if (this.argumentsLeft === 0) {
        // Between requests: the next byte starts a multibulk or an inline request.
        if (this.pos >= this.buffer.length) {
          this.releaseIfConsumed();
          return null;
        }
        if (this.buffer[this.pos] === STAR) {
          if (!this.readMultibulkHeader()) return null;
          continue;
        }
        const inline = this.readInline();
        if (inline === null) return null;
        if (inline.length > 0) return inline;
        continue;
      }

      // Inside a multibulk request: read arguments until none is left. The fast
      // path takes every argument that lies whole in the buffer; the general
      // loop below handles the rest (partial data, big arguments, errors).
      if (this.bulkLength < 0 && this.bigArgument === null && this.lineScanned === 0) {
        const argv = this.argv;
        const argc = argv.length;
        this.argumentsLeft -= this.takeWholeArguments(argv, argc, argc + this.argumentsLeft) - argc;
      }
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
        const end = start + length;
        // The two bytes after the payload are skipped unchecked, as Redis does.
        this.argv.push(
          this.argumentViews ? argumentView(buffer, start, end) : Buffer.from(buffer.subarray(start, end)),
        );
        this.pos = end + 2;
        this.bulkLength = -1;
        this.argumentsLeft--;
      }
      const argv = this.argv;
      this.argv = [];
      return argv;
    }
  }

  /** Forget any partial request and any failure (RESET of a connection, or reuse). */
  reset(): void {
    this.clearInput();
    this.argv = [];
    this.argumentsLeft = 0;
    this.bulkLength = -1;
    this.bigArgument = null;
    this.bigArgumentFilled = 0;
    this.failure = null;
  }

  // ------------------------------------------------------------------ arguments

  /**
   * Fast path of next(): a whole multibulk request at `pos`, its header `*` and 1
   * to 15 digits without a leading zero, within every limit. Returns its argv, or
   * null when the request is anything else, leaving the state as it was or, once
   * the header is read, as the general path expects it mid-request.
   */
  private readWholeRequest(): Buffer[] | null {
    const buffer = this.buffer;
    const start = this.pos;
    const end = buffer.length;
    if (start + 4 > end || buffer[start] !== STAR) return null;
    let i = start + 1;
    let count = buffer[i]! - 48;
    if (!(count >= 1 && count <= 9)) return null;
    i++;
    const digitsEnd = end < start + 1 + FAST_DIGITS ? end : start + 1 + FAST_DIGITS;
    while (i < digitsEnd) {
      const digit = buffer[i]! - 48;
      if (digit < 0 || digit > 9) break;
      count = count * 10 + digit;
      i++;
    }
    if (i + 1 >= end || buffer[i] !== CR) return null;
    const limits = this.limits;
    if (
      count > (limits.maxMultibulkLength ?? DEFAULT_PARSER_LIMITS.maxMultibulkLength) ||
      i - start > (limits.maxInlineLength ?? DEFAULT_PARSER_LIMITS.maxInlineLength) ||
      this.unauthenticated
    ) {
      return null;
    }
    this.pos = i + 2;
    // Like Redis, trust the announced count for at most PREALLOCATE slots.
    const argv: Buffer[] = count <= PREALLOCATE ? new Array(count) : [];
    const argc = this.takeWholeArguments(argv, 0, count);
    if (argc === count) return argv;
    // Partial: the general path continues this request from here.
    argv.length = argc;
    this.argv = argv;
    this.argumentsLeft = count - argc;
    this.bulkLength = -1;
    return null;
  }

  /**
   * Fast path for arguments: store in argv[argc...] the arguments that lie whole
   * in the buffer from `pos`, each a `$` header of 1 to 15 digits without a leading
   * zero and within the limits, its payload and CRLF, until `count` are there.
   * Stops at the first argument that does not qualify (the general loop then reads
   * it, or reports the error, exactly). Moves `pos` past what it took; returns the
   * new argc.
   */
  private takeWholeArguments(argv: Buffer[], argc: number, count: number): number {
    const buffer = this.buffer;
    const end = buffer.length;
    const limits = this.limits;
    let maxLength = limits.maxBulkLength ?? DEFAULT_PARSER_LIMITS.maxBulkLength;
    if (this.unauthenticated) {
      const unauthenticated =
        limits.maxUnauthenticatedBulkLength ?? DEFAULT_PARSER_LIMITS.maxUnauthenticatedBulkLength;
      if (unauthenticated < maxLength) maxLength = unauthenticated;
    }
    const maxLine = limits.maxInlineLength ?? DEFAULT_PARSER_LIMITS.maxInlineLength;
    const views = this.argumentViews;
    let pos = this.pos;
    while (argc < count) {
      if (pos + 4 > end || buffer[pos] !== DOLLAR) break;
      let i = pos + 1;
      let length = buffer[i]! - 48;
      if (length < 1 || length > 9) {
        if (length !== 0 || buffer[i + 1] !== CR) break; // "$0" is the only length starting with 0
      }
      i++;
      const digitsEnd = end < pos + 1 + FAST_DIGITS ? end : pos + 1 + FAST_DIGITS;
      while (i < digitsEnd) {
        const digit = buffer[i]! - 48;
        if (digit < 0 || digit > 9) break;
        length = length * 10 + digit;
        i++;
      }
      if (buffer[i] !== CR || length > maxLength || i - pos > maxLine) break;
      const start = i + 2;
      const stop = start + length;
      if (stop + 2 > end || buffer[stop] !== CR || buffer[stop + 1] !== LF) break;
      if (argc === 0 && length <= SHARED_NAME_MAX) argv[argc++] = this.sharedName(buffer, start, length);
      else
        argv[argc++] = views ? argumentView(buffer, start, stop) : Buffer.from(buffer.subarray(start, stop));
      pos = stop + 2;
    }
    this.pos = pos;
    return argc;
  }

  /**
   * The first argument of a request, `length` bytes of `buffer` from `start`, as a
   * Buffer shared with earlier requests of this client that sent the same bytes
   * (a fresh copy joins the shared names otherwise). Arguments are read-only to
   * their consumers, so sharing is invisible; the copy never pins a socket chunk.
   */
  private sharedName(buffer: Buffer, start: number, length: number): Buffer {
    const names = this.sharedNames;
    for (let slot = 0; slot < names.length; slot++) {
      const name = names[slot]!;
      if (name.length !== length) continue;
      let i = 0;
      while (i < length && name[i] === buffer[start + i]) i++;
      if (i !== length) continue;
      if (slot !== 0) {
        names[slot] = names[0]!;
        names[0] = name;
      }
      return name;
    }
    const name = Buffer.from(buffer.subarray(start, start + length));
    if (names.length === SHARED_NAME_SLOTS) names.pop();
    names.unshift(name);
    return name;
  }

  // ------------------------------------------------------------------ headers

  /** Parse `*<n>\r\n`. Returns false when the line is incomplete. */
  private readMultibulkHeader(): boolean {
    if (!this.readHeaderLine(STAR, "too big mbulk count string")) return false;
    const count = this.headerValue;
    const limits = this.limits;
    if (
      Number.isNaN(count) ||
      count > (limits.maxMultibulkLength ?? DEFAULT_PARSER_LIMITS.maxMultibulkLength)
    ) {
      this.fail("invalid multibulk length");
    }
    if (
      this.unauthenticated &&
      count >
        (limits.maxUnauthenticatedMultibulkLength ?? DEFAULT_PARSER_LIMITS.maxUnauthenticatedMultibulkLength)
    ) {
      this.fail("unauthenticated multibulk length");
    }
    if (count > 0) {
      this.argumentsLeft = count;
      this.bulkLength = -1;
    }
    return true;
  }

  /** Parse `$<len>\r\n`. Returns false when the line is incomplete. */
  private readBulkHeader(): boolean {
    if (!this.readHeaderLine(DOLLAR, "too big bulk count string")) return false;
    const length = this.headerValue;
    const limits = this.limits;
    if (
      Number.isNaN(length) ||
      length < 0 ||
      length > (limits.maxBulkLength ?? DEFAULT_PARSER_LIMITS.maxBulkLength)
    ) {
      this.fail("invalid bulk length");
    }
    if (
      this.unauthenticated &&
      length > (limits.maxUnauthenticatedBulkLength ?? DEFAULT_PARSER_LIMITS.maxUnauthenticatedBulkLength)
    ) {
      this.fail("unauthenticated bulk length");
    }
    this.bulkLength = length;
    if (length >= BIG_ARGUMENT && this.buffer.length - this.pos < length + 2) {
      // Allocate the final buffer once and fill it as chunks arrive.
      this.bigArgument = this.allocateBigArgument(length + 2);
      this.bigArgumentFilled = 0;
    }
    return true;
  }

  /**
   * Read the header line at `pos`: `*<n>` or `$<n>`, whose type byte must be
   * `expected` (checked once the line is complete, as Redis does; the caller of a
   * `*` line already saw the star). On success stores the number (NaN when
   * string2ll() would refuse it) in `headerValue`, moves past the line and returns
   * true; returns false while the line is incomplete. `tooBig` is the error for a
   * line longer than the inline limit.
   */
  private readHeaderLine(expected: number, tooBig: string): boolean {
    const buffer = this.buffer;
    const start = this.pos;
    const end = buffer.length;
    const maxLine = this.limits.maxInlineLength ?? DEFAULT_PARSER_LIMITS.maxInlineLength;

    // Fast path: a type byte, 1 to 15 digits without a leading zero, CR, one more byte.
    const type = buffer[start]!;
    let i = start + 1;
    if (type === expected) {
      const digitsEnd = end < start + 1 + FAST_DIGITS ? end : start + 1 + FAST_DIGITS;
      let value = 0;
      while (i < digitsEnd) {
        const digit = buffer[i]! - 48;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
        i++;
      }
      const digits = i - start - 1;
      if (
        i + 1 < end &&
        buffer[i] === CR &&
        digits > 0 &&
        (digits === 1 || buffer[start + 1] !== 48) &&
        i - start <= maxLine
      ) {
        this.headerValue = value;
        this.pos = i + 2;
        this.lineScanned = 0;
        return true;
      }
    }

    // Exact path: find the CR (a NUL before it blocks the line), apply the limit.
    const cr = this.findTerminator(CR, true);
    if (cr === -1) {
      if (end - start > maxLine) this.fail(tooBig);
      return false;
    }
    if (cr - start > maxLine) this.fail(tooBig);
    if (cr + 1 >= end) return false; // Redis waits for the byte after CR
    if (type !== expected) {
      this.fail(`expected '$', got '${String.fromCharCode(type)}'`);
    }
    this.headerValue = parseRedisInteger(buffer, start + 1, cr);
    this.pos = cr + 2;
    this.lineScanned = 0;
    return true;
  }

  // ------------------------------------------------------------------ bodies

  /** Copy available bytes into the big argument; true when it is complete. */
  private fillBigArgument(): boolean {
    const target = this.bigArgument!;
    const wanted = target.length - this.bigArgumentFilled;
    const available = this.buffer.length - this.pos;
    const take = available < wanted ? available : wanted;
    this.buffer.copy(target, this.bigArgumentFilled, this.pos, this.pos + take);
    this.bigArgumentFilled += take;
    this.pos += take;
    this.releaseIfConsumed();
    if (this.bigArgumentFilled < target.length) return false;
    const length = target.length - 2;
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
    const start = this.pos;
    const maxLine = this.limits.maxInlineLength ?? DEFAULT_PARSER_LIMITS.maxInlineLength;
    const lf = this.findTerminator(LF, true);
    if (lf === -1) {
      if (buffer.length - start > maxLine) this.fail("too big inline request");
      return null;
    }
    if (lf - start > maxLine) this.fail("too big inline request");
    let end = lf;
    if (end > start && buffer[end - 1] === CR) end--;
    const argv = splitInlineArguments(buffer.subarray(start, end));
    if (argv === null) this.fail("unbalanced quotes in request");
    this.pos = lf + 1;
    this.lineScanned = 0;
    return argv;
  }

  /**
   * The target buffer of a big bulk argument, or a protocol error when the runtime
   * cannot allocate that many bytes (past buffer.constants.MAX_LENGTH, or refused
   * by the allocator): the client gets a clear error and its connection closes,
   * the server keeps serving.
   */
  private allocateBigArgument(size: number): Buffer {
    if (size > bufferConstants.MAX_LENGTH) this.fail("bulk length exceeds what this server can allocate");
    try {
      return Buffer.allocUnsafe(size);
    } catch {
      return this.fail("bulk length exceeds what this server can allocate");
    }
  }

  /** Remember and throw a protocol error. */
  private fail(message: string): never {
    const error = new RespProtocolError(message);
    this.failure = error;
    throw error;
  }
}

// ------------------------------------------------------------------ numbers

/** The text of INT64_MAX, and of the magnitude of INT64_MIN, for the 19-digit range check. */
const INT64_MAX_DIGITS = "9223372036854775807";
const INT64_MIN_DIGITS = "9223372036854775808";

/**
 * Parse buffer[start, end) as Redis' string2ll() does: "0", or an optional '-'
 * and a digit 1-9 followed by digits, within the signed 64-bit range. Returns NaN
 * when Redis would refuse it. Values beyond 2^53 come back rounded, which is
 * harmless: they are only compared with limits far below.
 */
export function parseRedisInteger(buffer: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length <= 0 || length > 20) return Number.NaN;
  if (length === 1 && buffer[start] === 48) return 0;
  let i = start;
  const negative = buffer[i] === 45; /* - */
  if (negative) i++;
  if (i >= end) return Number.NaN;
  const first = buffer[i]!;
  if (first < 49 || first > 57) return Number.NaN;
  let value = 0;
  for (let j = i; j < end; j++) {
    const digit = buffer[j]! - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  if (end - i === 19) {
    const digits = buffer.toString("latin1", i, end);
    if (digits > (negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS)) return Number.NaN;
  } else if (end - i > 19) {
    return Number.NaN;
  }
  return negative ? -value : value;
}
