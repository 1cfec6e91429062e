/*
 * ReplyDecoder: RESP2 and RESP3 values from a byte stream, resumably. The client
 * side of RESP: a replica's link to its primary, tests, tools.
 *
 * HOT PATH for clients. Like the request parser, the decoder keeps its state
 * between chunks and never rescans: open aggregates live on an explicit stack
 * (kind, items, how many are filled), so a reply of a million elements split
 * over many chunks resumes at the element where it stopped; an unterminated line
 * resumes its terminator search where it stopped; a bulk string of BIG_BULK bytes
 * or more is collected in parts and joined once at the end. Numbers are built
 * with arithmetic on the bytes.
 *
 * Errors are values: `-ERR ...` decodes to a RespError. Input that is not RESP
 * raises a RespProtocolError saying what was found, and the decoder stays failed.
 * A decision never depends on chunk boundaries: a line is judged once it is
 * complete (CR LF), so the same bytes give the same values and the same error
 * however they are split.
 *
 * The RESP3 streamed forms (`$?`, `*?` ..., `;`, `.`) are not used by Redis and
 * are refused with a protocol error.
 */

import { ChunkedInput } from "./chunked-input.js";
import { RespProtocolError } from "./protocol-error.js";
import {
  RespAttributed,
  RespBigNumber,
  RespDouble,
  RespError,
  RespMap,
  RespPush,
  RespSet,
  type RespValue,
  RespVerbatim,
} from "./resp-value.js";

const CR = 13;
const LF = 10;

// Type bytes.
const BULK = 36; // $
const SIMPLE = 43; // +
const ERROR = 45; // -
const INTEGER = 58; // :
const ARRAY = 42; // *
const MAP = 37; // %
const SET = 126; // ~
const PUSH = 62; // >
const ATTRIBUTE = 124; // |
const NULL = 95; // _
const BOOLEAN = 35; // #
const DOUBLE = 44; // ,
const BIG_NUMBER = 40; // (
const BLOB_ERROR = 33; // !
const VERBATIM = 61; // =
const STREAMED_PART = 59; // ;
const STREAM_END = 46; // .

// Kinds of open aggregates on the stack. ATTRIBUTED waits for the value that
// follows a complete attribute map.
const FRAME_ARRAY = 0;
const FRAME_MAP = 1;
const FRAME_SET = 2;
const FRAME_PUSH = 3;
const FRAME_ATTRIBUTE = 4;
const FRAME_ATTRIBUTED = 5;

/** Incomplete bulks at least this long are collected in parts and joined once. */
const BIG_BULK = 32 * 1024;
/** Aggregates up to this many elements get their array allocated at full size. */
const PREALLOCATE = 1024;
/** Longest digit run the fast paths read; longer numbers take the exact path. */
const FAST_DIGITS = 15;
/** readLength() result while the header line is incomplete. */
const LENGTH_INCOMPLETE = -2;

/** Outcomes of reading one step besides a value: bytes missing, or an aggregate (or attribute) opened. */
const NEED_MORE: unique symbol = Symbol("need more bytes");
const CONTINUE: unique symbol = Symbol("no value yet, keep reading");
/** readCommonValue() could not take the value at `pos`: readStep() must. */
const SLOW: unique symbol = Symbol("not a common value");
type Step = RespValue | typeof NEED_MORE | typeof CONTINUE;

const emptyItems: RespValue[] = [];

/** Configurable decoder limits, guarding memory against a broken or hostile peer. */
export interface DecoderLimits {
  /** Largest bulk string, blob error or verbatim string (default: 512 MB, Redis' proto-max-bulk-len). */
  maxBulkLength: number;
  /** Most elements (pairs for maps and attributes) in one aggregate (default: 2^32 - 1). */
  maxAggregateLength: number;
  /** Longest line (type byte included, CRLF excluded) of simple types (default: 1 MB). */
  maxLineLength: number;
}

/** Default DecoderLimits. */
export const DEFAULT_DECODER_LIMITS: Readonly<DecoderLimits> = Object.freeze({
  maxBulkLength: 512 * 1024 * 1024,
  maxAggregateLength: 4294967295,
  maxLineLength: 1024 * 1024,
});

/** Options of a ReplyDecoder. */
export interface ReplyDecoderOptions {
  /** Limits; missing fields use DEFAULT_DECODER_LIMITS. */
  limits?: Partial<DecoderLimits>;
  /**
   * When true, bulk strings (and verbatim payloads) that arrive whole in one chunk
   * are views into that chunk instead of copies. Faster, but a kept view pins the
   * whole chunk: copy what you keep.
   */
  bulkViews?: boolean;
}

/**
 * Resumable RESP2/RESP3 decoder for one stream. Call feed() with each chunk, then
 * next() until it returns undefined (more bytes needed). `null` is a value (the
 * null reply), never the end marker.
 */
export class ReplyDecoder extends ChunkedInput {
  private readonly bulkViews: boolean;
  private readonly maxBulkLength: number;
  private readonly maxAggregateLength: number;
  private readonly maxLineLength: number;

  // The stack of open aggregates, as parallel arrays indexed by depth.
  private depth: number;
  private readonly frameKind: number[];
  private readonly frameItems: RespValue[][];
  private readonly frameFilled: number[];
  private readonly frameLength: number[];
  private readonly frameAttributes: (RespMap | null)[];

  // A big bulk being collected: its type byte, payload length and parts so far.
  private bigType: number;
  private bigLength: number;
  private bigParts: Buffer[] | null;
  private bigCollected: number;

  /** Where the payload starts, after the header line last read by readLength(). */
  private payloadStart: number;
  /** Where the scalar last read by readCommonScalar() ends. */
  private scalarEnd: number;
  /** The error this decoder failed with, thrown again by next(). */
  private failure: RespProtocolError | null;

  constructor(options: ReplyDecoderOptions = {}) {
    super();
    const limits = { ...DEFAULT_DECODER_LIMITS, ...options.limits };
    this.bulkViews = options.bulkViews ?? false;
    this.maxBulkLength = limits.maxBulkLength;
    this.maxAggregateLength = limits.maxAggregateLength;
    this.maxLineLength = limits.maxLineLength;
    this.depth = 0;
    this.frameKind = [];
    this.frameItems = [];
    this.frameFilled = [];
    this.frameLength = [];
    this.frameAttributes = [];
    this.bigType = 0;
    this.bigLength = 0;
    this.bigParts = null;
    this.bigCollected = 0;
    this.payloadStart = 0;
    this.scalarEnd = 0;
    this.failure = null;
  }

  /** Bytes received and not yet returned as part of a value. */
  get bufferedBytes(): number {
    return this.unreadBytes + this.bigCollected;
  }

  /** True when no partial value is held. */
  get isIdle(): boolean {
    return this.depth === 0 && this.bigParts === null && this.unreadBytes === 0;
  }

  /**
   * The next complete top-level value, or undefined when more bytes are needed.
   * Throws RespProtocolError on input that is not RESP.
   */
  next(): RespValue | undefined {
    if (this.failure !== null) throw this.failure;
    for (;;) {
      let step: Step | typeof SLOW =
        this.lineScanned === 0 && this.bigParts === null ? this.readCommonValue() : SLOW;
      if (step === SLOW) {
        step = this.bigParts !== null ? this.continueBigBulk() : this.readStep();
        if (step === NEED_MORE) {
          if (this.spill === null) return undefined;
          this.takeSpill();
          continue;
        }
        this.lineScanned = 0;
      }
      if (step === CONTINUE) continue;
      const depth = this.depth;
      if (depth === 0) return step;
      // The common case of attach(), inline: the innermost aggregate wants more.
      const top = depth - 1;
      const filled = this.frameFilled[top]!;
      if (filled + 1 < this.frameLength[top]!) {
        this.frameItems[top]![filled] = step;
        this.frameFilled[top] = filled + 1;
        continue;
      }
      const completed = this.attach(step);
      if (completed !== CONTINUE) return completed;
    }
  }

  /**
   * Fast paths for what replies are mostly made of, whole in the buffer: bulk
   * strings, null bulks, integers and simple strings in their plain forms, and
   * arrays of those, read in one loop. Returns the value, CONTINUE when an array
   * was opened but not finished (its frame holds the elements read so far), or
   * SLOW for anything else (partial, unusual, malformed), which readStep() then
   * judges exactly.
   */
  private readCommonValue(): RespValue | typeof CONTINUE | typeof SLOW {
    const buffer = this.buffer;
    const pos = this.pos;
    const end = buffer.length;
    if (pos + 3 >= end) return SLOW;
    if (buffer[pos] !== ARRAY) {
      const value = this.readCommonScalar(buffer, pos, end);
      if (value !== SLOW) this.pos = this.scalarEnd;
      return value;
    }
    // "*<1 to 15 digits>\r\n", then as many elements as are common scalars.
    let i = pos + 1;
    let length = buffer[i]! - 48;
    if (!(length >= 1 && length <= 9)) return SLOW;
    i++;
    const digitsEnd = end < pos + 1 + FAST_DIGITS ? end : pos + 1 + FAST_DIGITS;
    while (i < digitsEnd) {
      const digit = buffer[i]! - 48;
      if (digit < 0 || digit > 9) break;
      length = length * 10 + digit;
      i++;
    }
    if (i + 1 >= end || buffer[i] !== CR || buffer[i + 1] !== LF || length > this.maxAggregateLength)
      return SLOW;
    const items: RespValue[] = length <= PREALLOCATE ? new Array<RespValue>(length) : [];
    let next = i + 2;
    let filled = 0;
    while (filled < length) {
      const value = this.readCommonScalar(buffer, next, end);
      if (value === SLOW) break;
      items[filled++] = value;
      next = this.scalarEnd;
    }
    this.pos = next;
    if (filled === length) return items;
    this.openFrame(FRAME_ARRAY, items, filled, length, null);
    return CONTINUE;
  }

  /**
   * A common scalar whole at buffer[pos]: a bulk string, "$-1", an integer of up
   * to 15 digits or a simple string. Sets `scalarEnd` past it; SLOW for anything
   * else.
   */
  private readCommonScalar(buffer: Buffer, pos: number, end: number): RespValue | typeof SLOW {
    if (pos + 3 >= end) return SLOW;
    const type = buffer[pos]!;
    if (type === BULK) {
      let i = pos + 1;
      let length = buffer[i]! - 48;
      if (!(length >= 0 && length <= 9)) {
        if (length !== -3 || buffer[i + 1] !== 49 || buffer[i + 2] !== CR || buffer[i + 3] !== LF)
          return SLOW;
        this.scalarEnd = pos + 5;
        return null;
      }
      i++;
      const digitsEnd = end < pos + 1 + FAST_DIGITS ? end : pos + 1 + FAST_DIGITS;
      while (i < digitsEnd) {
        const digit = buffer[i]! - 48;
        if (digit < 0 || digit > 9) break;
        length = length * 10 + digit;
        i++;
      }
      if (i + 1 >= end || buffer[i] !== CR || buffer[i + 1] !== LF) return SLOW;
      const start = i + 2;
      const stop = start + length;
      if (stop + 2 > end || length > this.maxBulkLength) return SLOW;
      if (buffer[stop] !== CR || buffer[stop + 1] !== LF) return SLOW;
      this.scalarEnd = stop + 2;
      return this.bulkViews ? buffer.subarray(start, stop) : Buffer.from(buffer.subarray(start, stop));
    }
    if (type === INTEGER) {
      let i = pos + 1;
      const negative = buffer[i] === 45; /* - */
      if (negative) i++;
      const digitsStart = i;
      const digitsEnd = end < i + FAST_DIGITS ? end : i + FAST_DIGITS;
      let value = 0;
      while (i < digitsEnd) {
        const digit = buffer[i]! - 48;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
        i++;
      }
      if (i === digitsStart || i + 1 >= end || buffer[i] !== CR || buffer[i + 1] !== LF) return SLOW;
      this.scalarEnd = i + 2;
      return negative ? 0 - value : value;
    }
    if (type === SIMPLE) {
      let cr = pos + 1;
      while (cr < end && buffer[cr] !== CR) cr++;
      if (cr + 1 >= end || buffer[cr + 1] !== LF || cr - pos > this.maxLineLength) return SLOW;
      this.scalarEnd = cr + 2;
      return latin1Text(buffer, pos + 1, cr);
    }
    return SLOW;
  }

  /**
   * Give a value to the innermost open aggregate and close the aggregates it
   * completes. Returns the top-level value when one is complete, else CONTINUE.
   */
  private attach(value: RespValue): RespValue | typeof CONTINUE {
    let step: RespValue | typeof CONTINUE = value;
    for (;;) {
      const depth = this.depth;
      if (depth === 0) return step;
      const top = depth - 1;
      const items = this.frameItems[top]!;
      const filled = this.frameFilled[top]!;
      items[filled] = step;
      if (filled + 1 < this.frameLength[top]!) {
        this.frameFilled[top] = filled + 1;
        return CONTINUE;
      }
      this.depth = top;
      this.frameItems[top] = emptyItems;
      step = this.closeFrame(top, items);
      if (step === CONTINUE) return CONTINUE;
    }
  }

  /** Forget any partial value and any failure. */
  reset(): void {
    this.clearInput();
    this.depth = 0;
    this.frameItems.fill(emptyItems);
    this.frameAttributes.fill(null);
    this.bigParts = null;
    this.bigCollected = 0;
    this.failure = null;
  }

  // ------------------------------------------------------------------ one step

  /** Read one value or aggregate header at `pos`. */
  private readStep(): Step {
    const buffer = this.buffer;
    const pos = this.pos;
    if (pos >= buffer.length) {
      this.releaseIfConsumed();
      return NEED_MORE;
    }
    const type = buffer[pos]!;
    switch (type) {
      case BULK:
      case BLOB_ERROR:
      case VERBATIM:
        return this.readBlob(type);
      case INTEGER:
        return this.readInteger();
      case SIMPLE: {
        const cr = this.findLine();
        if (cr === -1) return NEED_MORE;
        this.pos = cr + 2;
        return latin1Text(buffer, pos + 1, cr);
      }
      case ERROR: {
        const cr = this.findLine();
        if (cr === -1) return NEED_MORE;
        this.pos = cr + 2;
        return new RespError(buffer.toString("latin1", pos + 1, cr), false);
      }
      case ARRAY:
        return this.readAggregate(FRAME_ARRAY);
      case MAP:
        return this.readAggregate(FRAME_MAP);
      case SET:
        return this.readAggregate(FRAME_SET);
      case PUSH:
        return this.readAggregate(FRAME_PUSH);
      case ATTRIBUTE:
        return this.readAggregate(FRAME_ATTRIBUTE);
      case NULL:
      case BOOLEAN:
      case DOUBLE:
      case BIG_NUMBER:
        return this.readScalar(type);
      case STREAMED_PART:
      case STREAM_END:
        return this.fail("streamed RESP3 strings and aggregates are not supported");
      default:
        return this.fail(`unknown RESP type byte ${describeByte(type)}`);
    }
  }

  /** `$`, `!` and `=`: a length line, the payload, CRLF. */
  private readBlob(type: number): Step {
    const length = this.readLength();
    if (length === LENGTH_INCOMPLETE) return NEED_MORE;
    if (length === -1) {
      if (type !== BULK) this.failLength(type, "-1");
      this.pos = this.payloadStart;
      return null;
    }
    if (length > this.maxBulkLength) {
      this.fail(`${typeName(type)} length ${length} above the limit of ${this.maxBulkLength}`);
    }
    const buffer = this.buffer;
    const start = this.payloadStart;
    const end = start + length;
    if (buffer.length >= end + 2) {
      if (buffer[end] !== CR || buffer[end + 1] !== LF) this.fail(`${typeName(type)} not followed by CRLF`);
      this.pos = end + 2;
      return this.blobValue(type, buffer, start, end, false);
    }
    if (length >= BIG_BULK) {
      // Collect the payload (and its CRLF) in parts; join once when complete.
      this.bigType = type;
      this.bigLength = length;
      this.bigParts = [buffer.subarray(start)];
      this.bigCollected = buffer.length - start;
      this.pos = buffer.length;
      this.lineScanned = 0;
      this.releaseIfConsumed();
    }
    return NEED_MORE;
  }

  /** Take more parts of a big bulk; its value once complete. */
  private continueBigBulk(): Step {
    const buffer = this.buffer;
    const pos = this.pos;
    const total = this.bigLength + 2;
    const wanted = total - this.bigCollected;
    const available = buffer.length - pos;
    if (available === 0) return NEED_MORE;
    const take = available < wanted ? available : wanted;
    this.bigParts!.push(buffer.subarray(pos, pos + take));
    this.bigCollected += take;
    this.pos = pos + take;
    this.releaseIfConsumed();
    if (this.bigCollected < total) return NEED_MORE;
    const whole = Buffer.concat(this.bigParts!, total);
    this.bigParts = null;
    this.bigCollected = 0;
    const length = this.bigLength;
    if (whole[length] !== CR || whole[length + 1] !== LF) {
      this.fail(`${typeName(this.bigType)} not followed by CRLF`);
    }
    return this.blobValue(this.bigType, whole, 0, length, true);
  }

  /**
   * The value of a complete blob payload buffer[start, end). `owned` says the
   * buffer belongs to the decoder already, so views need no copy.
   */
  private blobValue(type: number, buffer: Buffer, start: number, end: number, owned: boolean): RespValue {
    if (type === BULK) {
      return owned || this.bulkViews ? buffer.subarray(start, end) : Buffer.from(buffer.subarray(start, end));
    }
    if (type === BLOB_ERROR) return new RespError(buffer.toString("latin1", start, end), true);
    // Verbatim: "fmt:" then the payload.
    if (end - start < 4 || buffer[start + 3] !== 58 /* : */) {
      this.fail("verbatim string without a three-byte format and ':'");
    }
    const data = buffer.subarray(start + 4, end);
    return new RespVerbatim(
      buffer.toString("latin1", start, start + 3),
      owned || this.bulkViews ? data : Buffer.from(data),
    );
  }

  /** `:<integer>`: a number when safe, else a bigint. */
  private readInteger(): Step {
    const buffer = this.buffer;
    const start = this.pos;
    const end = buffer.length;

    // Fast path: optional '-', 1 to 15 digits, CRLF.
    let i = start + 1;
    const negative = i < end && buffer[i] === 45; /* - */
    if (negative) i++;
    const digitsStart = i;
    const digitsEnd = end < i + FAST_DIGITS ? end : i + FAST_DIGITS;
    let value = 0;
    while (i < digitsEnd) {
      const digit = buffer[i]! - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      i++;
    }
    if (i > digitsStart && i + 1 < end && buffer[i] === CR && buffer[i + 1] === LF) {
      this.pos = i + 2;
      return negative ? 0 - value : value;
    }

    // Exact path: any length, a leading '+', 64-bit range.
    const cr = this.findLine();
    if (cr === -1) return NEED_MORE;
    const text = buffer.toString("latin1", start + 1, cr);
    if (!isDecimal(text)) this.fail(`invalid integer ${quote(text)}`);
    const big = BigInt(text);
    if (big > 9223372036854775807n || big < -9223372036854775808n) {
      this.fail(`integer ${quote(text)} out of the 64-bit range`);
    }
    this.pos = cr + 2;
    return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
  }

  /** `_`, `#`, `,` and `(`: one line each. */
  private readScalar(type: number): Step {
    const cr = this.findLine();
    if (cr === -1) return NEED_MORE;
    const text = this.buffer.toString("latin1", this.pos + 1, cr);
    this.pos = cr + 2;
    if (type === NULL) {
      if (text !== "") this.fail(`invalid null ${quote(text)}`);
      return null;
    }
    if (type === BOOLEAN) {
      if (text === "t") return true;
      if (text === "f") return false;
      this.fail(`invalid boolean ${quote(text)}`);
    }
    if (type === DOUBLE) {
      const value = parseDoubleText(text);
      if (value === undefined) this.fail(`invalid double ${quote(text)}`);
      return new RespDouble(value);
    }
    if (!isDecimal(text)) this.fail(`invalid big number ${quote(text)}`);
    return new RespBigNumber(BigInt(text));
  }

  // ------------------------------------------------------------------ aggregates

  /** `*`, `%`, `~`, `>`, `|`: open a frame, or return an empty aggregate or null. */
  private readAggregate(kind: number): Step {
    const length = this.readLength();
    if (length === LENGTH_INCOMPLETE) return NEED_MORE;
    const type = this.buffer[this.pos]!;
    this.pos = this.payloadStart;
    if (length === -1) {
      if (kind !== FRAME_ARRAY) this.failLength(type, "-1");
      return null;
    }
    if (length > this.maxAggregateLength) {
      this.fail(`${typeName(type)} length ${length} above the limit of ${this.maxAggregateLength}`);
    }
    if (length === 0) {
      switch (kind) {
        case FRAME_ARRAY:
          return [];
        case FRAME_MAP:
          return new RespMap([]);
        case FRAME_SET:
          return new RespSet([]);
        case FRAME_PUSH:
          return new RespPush([]);
        default:
          this.pushFrame(FRAME_ATTRIBUTED, 1, new RespMap([]));
          return CONTINUE;
      }
    }
    this.pushFrame(kind, kind === FRAME_MAP || kind === FRAME_ATTRIBUTE ? length * 2 : length, null);
    return CONTINUE;
  }

  /** Open an aggregate expecting `length` elements. */
  private pushFrame(kind: number, length: number, attributes: RespMap | null): void {
    const items = length <= PREALLOCATE ? new Array<RespValue>(length) : [];
    this.openFrame(kind, items, 0, length, attributes);
  }

  /** Open an aggregate whose first `filled` elements are in `items` already. */
  private openFrame(
    kind: number,
    items: RespValue[],
    filled: number,
    length: number,
    attributes: RespMap | null,
  ): void {
    const depth = this.depth;
    this.frameKind[depth] = kind;
    this.frameItems[depth] = items;
    this.frameFilled[depth] = filled;
    this.frameLength[depth] = length;
    this.frameAttributes[depth] = attributes;
    this.depth = depth + 1;
  }

  /** The value of a completed frame (already popped), or CONTINUE after attributes. */
  private closeFrame(top: number, items: RespValue[]): RespValue | typeof CONTINUE {
    switch (this.frameKind[top]) {
      case FRAME_ARRAY:
        return items;
      case FRAME_MAP:
        return new RespMap(toPairs(items));
      case FRAME_SET:
        return new RespSet(items);
      case FRAME_PUSH:
        return new RespPush(items);
      case FRAME_ATTRIBUTE:
        // The attributes are complete; the value they describe comes next.
        this.pushFrame(FRAME_ATTRIBUTED, 1, new RespMap(toPairs(items)));
        return CONTINUE;
      default: {
        const attributes = this.frameAttributes[top]!;
        this.frameAttributes[top] = null;
        return new RespAttributed(attributes, items[0]!);
      }
    }
  }

  // ------------------------------------------------------------------ lines

  /**
   * Parse the length line at `pos` (`<type><n>\r\n`). Returns n, -1 for "-1",
   * or LENGTH_INCOMPLETE; sets `payloadStart`. Any other text is an error.
   */
  private readLength(): number {
    const buffer = this.buffer;
    const start = this.pos;
    const end = buffer.length;

    // Fast path: 1 to 15 digits, CRLF.
    const digitsEnd = end < start + 1 + FAST_DIGITS ? end : start + 1 + FAST_DIGITS;
    let i = start + 1;
    let value = 0;
    while (i < digitsEnd) {
      const digit = buffer[i]! - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      i++;
    }
    if (i > start + 1 && i + 1 < end && buffer[i] === CR && buffer[i + 1] === LF) {
      this.payloadStart = i + 2;
      return value;
    }

    // Exact path.
    const cr = this.findLine();
    if (cr === -1) return LENGTH_INCOMPLETE;
    this.payloadStart = cr + 2;
    const text = buffer.toString("latin1", start + 1, cr);
    if (text === "-1") return -1;
    if (text === "?") this.fail("streamed RESP3 strings and aggregates are not supported");
    let length = 0;
    for (let j = 0; j < text.length; j++) {
      const digit = text.charCodeAt(j) - 48;
      if (digit < 0 || digit > 9) this.failLength(buffer[start]!, text);
      length = length * 10 + digit;
    }
    if (text.length === 0 || text.length > FAST_DIGITS) this.failLength(buffer[start]!, text);
    return length;
  }

  /**
   * Index of the CR ending the line at `pos` once CR LF are both there, else -1.
   * Throws when CR is followed by anything but LF, or the line is too long.
   */
  private findLine(): number {
    const cr = this.findTerminator(CR, false);
    const start = this.pos;
    const end = this.buffer.length;
    const maxLine = this.maxLineLength;
    if (cr === -1) {
      if (end - start > maxLine) this.fail(`line longer than ${maxLine} bytes`);
      return -1;
    }
    if (cr - start > maxLine) this.fail(`line longer than ${maxLine} bytes`);
    if (cr + 1 >= end) return -1;
    if (this.buffer[cr + 1] !== LF) this.fail("CR not followed by LF");
    return cr;
  }

  private failLength(type: number, text: string): never {
    this.fail(`invalid ${typeName(type)} length ${quote(text)}`);
  }

  /** Remember and throw a protocol error. */
  private fail(message: string): never {
    const error = new RespProtocolError(message);
    this.failure = error;
    throw error;
  }
}

// ------------------------------------------------------------------ helpers

/** Strings up to this long are built char by char: faster than a native call. */
const SHORT_TEXT = 12;

/** buffer[start, end) as latin1 text. */
function latin1Text(buffer: Buffer, start: number, end: number): string {
  if (end - start > SHORT_TEXT) return buffer.toString("latin1", start, end);
  let text = "";
  for (let i = start; i < end; i++) text += String.fromCharCode(buffer[i]!);
  return text;
}

/** Pairs from a flat key, value, key, value ... list. */
function toPairs(items: RespValue[]): [RespValue, RespValue][] {
  const pairs = new Array<[RespValue, RespValue]>(items.length / 2);
  for (let i = 0, j = 0; i < items.length; i += 2, j++) pairs[j] = [items[i]!, items[i + 1]!];
  return pairs;
}

/** An optional sign and at least one digit. */
function isDecimal(text: string): boolean {
  let i = text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43 ? 1 : 0; /* - + */
  if (i >= text.length) return false;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

const DOUBLE_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A RESP3 double's text: decimal or exponent notation, inf, -inf, nan. */
function parseDoubleText(text: string): number | undefined {
  switch (text) {
    case "inf":
    case "+inf":
      return Number.POSITIVE_INFINITY;
    case "-inf":
      return Number.NEGATIVE_INFINITY;
    case "nan":
    case "-nan":
    case "+nan":
      return Number.NaN;
    default:
      return DOUBLE_TEXT.test(text) ? Number(text) : undefined;
  }
}

function typeName(type: number): string {
  switch (type) {
    case BULK:
      return "bulk string";
    case BLOB_ERROR:
      return "blob error";
    case VERBATIM:
      return "verbatim string";
    case ARRAY:
      return "array";
    case MAP:
      return "map";
    case SET:
      return "set";
    case PUSH:
      return "push";
    default:
      return "attribute";
  }
}

/** A byte for a message: 'x' when printable, else its hex code. */
function describeByte(byte: number): string {
  return byte > 32 && byte < 127
    ? `'${String.fromCharCode(byte)}'`
    : `0x${byte.toString(16).padStart(2, "0")}`;
}

/** A line's text for a message, shortened. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}
