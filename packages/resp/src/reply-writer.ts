/*
 * ReplyWriter: Redis' reply vocabulary over a reusable output slab.
 *
 * HOT PATH. Every reply of every command is written through this class, so it is
 * kept monomorphic (all fields set in the constructor), allocation-free for small
 * replies, and fully typed.
 *
 * How the output is kept: replies are appended to a slab (a Buffer of SLAB_SIZE
 * bytes). The bytes between `segmentStart` and `pos` are the current, not yet
 * handed-out segment. `drain()` returns the pending segments as Buffers (views of the
 * slab) and keeps writing *after* them in the same slab: a byte that was handed to
 * the socket is never written again, because Node keeps a reference to what
 * socket.write() received. When the slab is full a new one is allocated.
 *
 * Payloads are always copied into the slab (a big payload gets a slab of its own),
 * so the keyspace may edit its stored bytes in place (APPEND, SETRANGE, SETBIT)
 * right after a reply was written from them. Only raw() queues big pre-encoded
 * constants by reference: those must never change.
 *
 * RESP2 vs RESP3 is decided here and nowhere else: handlers call mapLen(), null(),
 * bool(), double() ... and the writer renders the form the client negotiated.
 */

import { formatDouble } from "./double-format.js";

const SLAB_SIZE = 64 * 1024;
/** raw() queues pre-encoded constants at least this big by reference instead of copying. */
const LARGE_BULK = 16 * 1024;
/** Texts up to this length are copied by a JS loop (see writeLatin1). */
const SMALL_TEXT = 16;
const CR = 13;
const LF = 10;

/** Protocol version a client speaks: 2 (default) or 3 (after HELLO 3). */
export type RespVersion = 2 | 3;

/** Pre-encoded constant replies shared by every writer. */
export const SharedReplies = {
  ok: Buffer.from("+OK\r\n"),
  pong: Buffer.from("+PONG\r\n"),
  queued: Buffer.from("+QUEUED\r\n"),
  emptyArray: Buffer.from("*0\r\n"),
  nullBulk2: Buffer.from("$-1\r\n"),
  nullArray2: Buffer.from("*-1\r\n"),
  null3: Buffer.from("_\r\n"),
  true3: Buffer.from("#t\r\n"),
  false3: Buffer.from("#f\r\n"),
  emptyBulk: Buffer.from("$0\r\n\r\n"),
  crlf: Buffer.from("\r\n"),
} as const;

const SMALL_INT_COUNT = 1024;
/** ":<n>\r\n" for -1 .. SMALL_INT_COUNT-1 */
const integerReplies: Buffer[] = [];
for (let i = -1; i < SMALL_INT_COUNT; i++) integerReplies.push(Buffer.from(`:${i}\r\n`));

/** Small aggregate and bulk headers, pre-encoded per type byte. */
function headerTable(prefix: string): Buffer[] {
  const table: Buffer[] = [];
  for (let i = 0; i < SMALL_INT_COUNT; i++) table.push(Buffer.from(`${prefix}${i}\r\n`));
  return table;
}
const arrayHeaders = headerTable("*");
const bulkHeaders = headerTable("$");
const mapHeaders = headerTable("%");
const setHeaders = headerTable("~");
const pushHeaders = headerTable(">");

/** Which aggregate a deferred length stands for (see beginDeferredLength). */
export type DeferredKind = "array" | "map" | "set";

/**
 * Accumulates RESP replies for one client.
 *
 * Owned by a connection; handlers only ever call the reply methods, the connection
 * calls drain() once per event-loop turn and writes the result with cork/uncork.
 */
export class ReplyWriter {
  /** Protocol the peer negotiated; changes take effect at the next reply. */
  protocol: RespVersion;
  /** Error code ("ERR", "WRONGTYPE", ...) of the last error written, or null. call() reads and clears it. */
  lastErrorCode: string | null;
  /** Number of error replies written since creation (for stats). */
  errorCount: number;
  /**
   * Most bytes pending at one drain() since the owner last reset it (CLIENT LIST
   * rbp: the reply buffer's recent peak). The owner resets it periodically.
   */
  peakPendingBytes: number;

  private slab: Buffer;
  private segmentStart: number;
  private pos: number;
  /** Sealed pending output, in order; a `null` slot is a deferred length not yet set. */
  private chunks: (Buffer | null)[];
  private chunkBytes: number;

  constructor(protocol: RespVersion = 2) {
    this.protocol = protocol;
    this.lastErrorCode = null;
    this.errorCount = 0;
    this.peakPendingBytes = 0;
    this.slab = Buffer.allocUnsafe(SLAB_SIZE);
    this.segmentStart = 0;
    this.pos = 0;
    this.chunks = [];
    this.chunkBytes = 0;
  }

  // ---------------------------------------------------------------- buffer plumbing

  /** Bytes written and not yet drained (for output-buffer limits and INFO). */
  get pendingBytes(): number {
    return this.chunkBytes + (this.pos - this.segmentStart);
  }

  /** Size of the slab replies are written into now (CLIENT LIST rbs). */
  get slabSize(): number {
    return this.slab.length;
  }

  /** Pending bytes still in the current slab, not yet sealed (CLIENT LIST obl). */
  get slabPendingBytes(): number {
    return this.pos - this.segmentStart;
  }

  /** Pending sealed chunks (earlier slabs, big payloads) and their bytes (part of oll / omem). */
  get sealedChunkCount(): number {
    return this.chunks.length;
  }

  get sealedBytes(): number {
    return this.chunkBytes;
  }

  /** True when nothing is waiting to be written. */
  get isEmpty(): boolean {
    return this.chunks.length === 0 && this.pos === this.segmentStart;
  }

  /** Seal the current segment into the chunk list. */
  private seal(): void {
    if (this.pos > this.segmentStart) {
      this.chunks.push(this.slab.subarray(this.segmentStart, this.pos));
      this.chunkBytes += this.pos - this.segmentStart;
      this.segmentStart = this.pos;
    }
  }

  /** Make room for `bytes` contiguous bytes at `pos`. */
  private reserve(bytes: number): void {
    if (this.slab.length - this.pos >= bytes) return;
    this.seal();
    this.slab = Buffer.allocUnsafe(bytes > SLAB_SIZE ? bytes : SLAB_SIZE);
    this.segmentStart = 0;
    this.pos = 0;
  }

  /**
   * Write pre-encoded bytes (a constant reply or any complete RESP fragment).
   * Fragments of LARGE_BULK bytes or more are queued by reference: pass only
   * buffers that never change afterwards.
   */
  raw(bytes: Buffer): void {
    const length = bytes.length;
    if (length >= LARGE_BULK) {
      this.seal();
      this.chunks.push(bytes);
      this.chunkBytes += length;
      return;
    }
    this.reserve(length);
    if (length <= 16) {
      const slab = this.slab;
      let p = this.pos;
      for (let i = 0; i < length; i++) slab[p++] = bytes[i]!;
      this.pos = p;
    } else {
      this.pos += bytes.copy(this.slab, this.pos);
    }
  }

  /**
   * Copy latin1 `text` to `pos` (room must be reserved). Short texts (member names,
   * numbers, field names: most of them) are copied by a JS loop, several times
   * faster than a call into Buffer's native write for a handful of bytes.
   */
  private writeLatin1(text: string): void {
    const length = text.length;
    if (length <= SMALL_TEXT) {
      const slab = this.slab;
      let p = this.pos;
      for (let i = 0; i < length; i++) slab[p++] = text.charCodeAt(i);
      this.pos = p;
    } else {
      this.pos += this.slab.write(text, this.pos, "latin1");
    }
  }

  /** Write ASCII/latin1 text followed by CRLF, with a one-byte type prefix. */
  private line(prefix: number, text: string): void {
    this.reserve(text.length + 3);
    this.slab[this.pos++] = prefix;
    this.writeLatin1(text);
    const slab = this.slab;
    slab[this.pos++] = CR;
    slab[this.pos++] = LF;
  }

  /** Write `<prefix><n>\r\n` for a non-negative safe integer without allocating. */
  private header(prefix: number, n: number): void {
    this.reserve(24);
    this.slab[this.pos++] = prefix;
    this.writeDigits(n);
    const slab = this.slab;
    slab[this.pos++] = CR;
    slab[this.pos++] = LF;
  }

  /** Write the decimal digits of the non-negative safe integer `n` (room reserved by the caller). */
  private writeDigits(n: number): void {
    const slab = this.slab;
    if (n < 10) {
      slab[this.pos++] = 48 + n;
      return;
    }
    let end = this.pos + decimalDigits(n);
    this.pos = end;
    for (let v = n; v > 0; v = Math.floor(v / 10)) slab[--end] = 48 + (v % 10);
  }

  /**
   * Hand out everything pending, as a list of Buffers to write in order, and forget it.
   * The returned Buffers are never written again by this writer.
   */
  drain(): Buffer[] {
    const pending = this.chunkBytes + (this.pos - this.segmentStart);
    if (pending > this.peakPendingBytes) this.peakPendingBytes = pending;
    this.seal();
    const out = this.chunks as Buffer[];
    this.chunks = [];
    this.chunkBytes = 0;
    if (this.slab.length - this.pos < 512) {
      // Not worth keeping a nearly full slab: the next reply starts a fresh one.
      this.slab = Buffer.allocUnsafe(SLAB_SIZE);
      this.segmentStart = 0;
      this.pos = 0;
    }
    return out;
  }

  /**
   * In-place reading, for a writer whose output is consumed as soon as it is
   * written and never kept nor sent (a script's pseudo-client, whose replies
   * become Lua values): the slab holding everything pending, between
   * pendingStart and pendingEnd, or null when the pending output spans several
   * chunks (then use drain()). Call rewind() when done with the bytes.
   */
  get pendingSlab(): Buffer | null {
    return this.chunks.length === 0 ? this.slab : null;
  }

  /** Start of the pending bytes in pendingSlab. */
  get pendingStart(): number {
    return this.segmentStart;
  }

  /** End of the pending bytes in pendingSlab. */
  get pendingEnd(): number {
    return this.pos;
  }

  /**
   * Forget everything pending and write the next reply at the start of the
   * slab again, reusing its bytes. Only for a writer read in place (see
   * pendingSlab): no Buffer that drain() handed out may still be in use, as
   * its bytes get overwritten.
   */
  rewind(): void {
    if (this.chunks.length !== 0) this.chunks = [];
    this.chunkBytes = 0;
    this.segmentStart = 0;
    this.pos = 0;
  }

  /** Drop everything pending (client is going away, or output limit hit). */
  discard(): void {
    this.chunks = [];
    this.chunkBytes = 0;
    this.segmentStart = this.pos;
  }

  // ---------------------------------------------------------------- reply vocabulary

  /** `+OK` */
  ok(): void {
    this.raw(SharedReplies.ok);
  }

  /** A simple string (`+text`). The text must not contain CR or LF. */
  simple(text: string): void {
    this.line(43 /* + */, text);
  }

  /**
   * An error reply. `message` starts with the error code: "ERR syntax error",
   * "WRONGTYPE Operation against ...". CR and LF are replaced by spaces, as Redis does.
   */
  error(message: string): void {
    let text = message;
    if (text.indexOf("\r") !== -1 || text.indexOf("\n") !== -1) text = text.replace(/[\r\n]/g, " ");
    const space = text.indexOf(" ");
    this.lastErrorCode = space === -1 ? text : text.slice(0, space);
    this.errorCount++;
    this.line(45 /* - */, text);
  }

  /** An integer reply (`:n`), for numbers that are safe integers or bigints. */
  integer(n: number | bigint): void {
    if (typeof n === "number" && n >= -1 && n < SMALL_INT_COUNT && Number.isInteger(n)) {
      this.raw(integerReplies[n + 1]!);
      return;
    }
    if (typeof n === "number" && Number.isSafeInteger(n)) {
      // Digits written straight into the slab: no String(n) per reply (INCR on a growing counter).
      this.reserve(24);
      const slab = this.slab;
      slab[this.pos++] = 58; /* : */
      if (n < 0) slab[this.pos++] = 45; /* - */
      this.writeDigits(n < 0 ? -n : n);
      slab[this.pos++] = CR;
      slab[this.pos++] = LF;
      return;
    }
    this.line(58 /* : */, String(n));
  }

  /** A bulk string from bytes (copied: the caller may change `payload` afterwards). */
  bulk(payload: Buffer): void {
    const length = payload.length;
    if (length < SMALL_INT_COUNT) this.raw(bulkHeaders[length]!);
    else this.header(36 /* $ */, length);
    this.reserve(length + 2);
    if (length <= 16) {
      const slab = this.slab;
      let p = this.pos;
      for (let i = 0; i < length; i++) slab[p++] = payload[i]!;
      this.pos = p;
    } else {
      this.pos += payload.copy(this.slab, this.pos);
    }
    this.slab[this.pos++] = CR;
    this.slab[this.pos++] = LF;
  }

  /**
   * A bulk string from the bytes source[start, end) (copied, like bulk()). For
   * values packed back to back in one larger buffer (list nodes): the caller
   * writes each of them without creating a view per value. Requires
   * 0 <= start <= end <= source.length.
   */
  bulkSlice(source: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length < SMALL_INT_COUNT) this.raw(bulkHeaders[length]!);
    else this.header(36 /* $ */, length);
    this.reserve(length + 2);
    if (length <= 16) {
      const slab = this.slab;
      let p = this.pos;
      for (let i = start; i < end; i++) slab[p++] = source[i]!;
      this.pos = p;
    } else {
      this.pos += source.copy(this.slab, this.pos, start, end);
    }
    this.slab[this.pos++] = CR;
    this.slab[this.pos++] = LF;
  }

  /**
   * A bulk string from the chars source[start, end) of a binary (latin1) JS
   * string, one char per byte (copied). For values packed back to back in one
   * larger string (small lists): the caller writes each of them without a
   * substring or a Buffer per value. Requires 0 <= start <= end <= source.length.
   */
  bulkChars(source: string, start: number, end: number): void {
    const length = end - start;
    if (length < SMALL_INT_COUNT) this.raw(bulkHeaders[length]!);
    else this.header(36 /* $ */, length);
    this.reserve(length + 2);
    if (length <= 64) {
      const slab = this.slab;
      let p = this.pos;
      for (let i = start; i < end; i++) slab[p++] = source.charCodeAt(i);
      this.pos = p;
    } else {
      this.pos += this.slab.write(source.substring(start, end), this.pos, "latin1");
    }
    this.slab[this.pos++] = CR;
    this.slab[this.pos++] = LF;
  }

  /** A bulk string from a binary (latin1) JS string: keys, field names, numbers. */
  bulkString(text: string): void {
    const length = text.length;
    if (length < SMALL_INT_COUNT) this.raw(bulkHeaders[length]!);
    else this.header(36, length);
    this.reserve(length + 2);
    this.writeLatin1(text);
    this.slab[this.pos++] = CR;
    this.slab[this.pos++] = LF;
  }

  /** A bulk string holding the decimal form of an integer (GET of an int-encoded string). */
  bulkInteger(n: number | bigint): void {
    if (typeof n !== "number" || !Number.isSafeInteger(n)) {
      this.bulkString(String(n));
      return;
    }
    // `$<length>\r\n<digits>\r\n` without making the string of the digits.
    const magnitude = n < 0 ? -n : n;
    const length = decimalDigits(magnitude) + (n < 0 ? 1 : 0);
    this.header(36 /* $ */, length);
    this.reserve(length + 2);
    const slab = this.slab;
    if (n < 0) slab[this.pos++] = 45; /* - */
    this.writeDigits(magnitude);
    slab[this.pos++] = CR;
    slab[this.pos++] = LF;
  }

  /** Null bulk: `$-1` on RESP2, `_` on RESP3. */
  nullBulk(): void {
    this.raw(this.protocol === 3 ? SharedReplies.null3 : SharedReplies.nullBulk2);
  }

  /** Null array: `*-1` on RESP2, `_` on RESP3. */
  nullArray(): void {
    this.raw(this.protocol === 3 ? SharedReplies.null3 : SharedReplies.nullArray2);
  }

  /** Array header for `n` elements. */
  arrayLen(n: number): void {
    if (n < SMALL_INT_COUNT) this.raw(arrayHeaders[n]!);
    else this.header(42 /* * */, n);
  }

  /** Map header for `n` key/value pairs: `%n` on RESP3, `*2n` on RESP2. */
  mapLen(n: number): void {
    if (this.protocol === 3) {
      if (n < SMALL_INT_COUNT) this.raw(mapHeaders[n]!);
      else this.header(37 /* % */, n);
    } else {
      this.arrayLen(n * 2);
    }
  }

  /** Set header: `~n` on RESP3, `*n` on RESP2. */
  setLen(n: number): void {
    if (this.protocol === 3) {
      if (n < SMALL_INT_COUNT) this.raw(setHeaders[n]!);
      else this.header(126 /* ~ */, n);
    } else {
      this.arrayLen(n);
    }
  }

  /** Push header (pub/sub messages, invalidations): `>n` on RESP3, `*n` on RESP2. */
  pushLen(n: number): void {
    if (this.protocol === 3) {
      if (n < SMALL_INT_COUNT) this.raw(pushHeaders[n]!);
      else this.header(62 /* > */, n);
    } else {
      this.arrayLen(n);
    }
  }

  /** Attribute header (RESP3 only; ignored on RESP2 together with its pairs by the caller). */
  attributeLen(n: number): void {
    this.header(124 /* | */, n);
  }

  /** Boolean: `#t`/`#f` on RESP3, `:1`/`:0` on RESP2. */
  bool(value: boolean): void {
    if (this.protocol === 3) this.raw(value ? SharedReplies.true3 : SharedReplies.false3);
    else this.raw(integerReplies[value ? 2 : 1]!);
  }

  /**
   * A double, formatted as Redis 7.0 does (`%.17g`, `inf`, `-inf`, `nan`):
   * a `,` frame on RESP3, a bulk string on RESP2.
   */
  double(value: number): void {
    const text = formatDouble(value);
    if (this.protocol === 3) this.line(44 /* , */, text);
    else this.bulkString(text);
  }

  /** A double whose text the caller already formatted (kept verbatim, e.g. a stored score string). */
  doubleText(text: string): void {
    if (this.protocol === 3) this.line(44, text);
    else this.bulkString(text);
  }

  /** Big number: `(digits` on RESP3, bulk string on RESP2. */
  bigNumber(digits: string): void {
    if (this.protocol === 3) this.line(40 /* ( */, digits);
    else this.bulkString(digits);
  }

  /**
   * Verbatim string: `=len\r\ntxt:...` on RESP3, a bulk string on RESP2 (INFO,
   * CLIENT LIST, CLIENT INFO, LOLWUT). `format` is three characters.
   */
  verbatim(text: string, format = "txt"): void {
    if (this.protocol !== 3) {
      this.bulkString(text);
      return;
    }
    this.header(61 /* = */, text.length + 4);
    this.reserve(text.length + 6);
    this.pos += this.slab.write(format, this.pos, "latin1");
    this.slab[this.pos++] = 58; // ':'
    this.pos += this.slab.write(text, this.pos, "latin1");
    this.slab[this.pos++] = CR;
    this.slab[this.pos++] = LF;
  }

  // ---------------------------------------------------------------- deferred lengths

  /**
   * Start an aggregate whose length is not known yet; returns a token for
   * setDeferredLength(). Use when counting first would mean walking the data twice.
   */
  beginDeferredLength(): number {
    this.seal();
    this.chunks.push(null);
    return this.chunks.length - 1;
  }

  /** Fill in the header reserved by beginDeferredLength(). Must run before drain(). */
  setDeferredLength(token: number, n: number, kind: DeferredKind = "array"): void {
    let header: string;
    if (kind === "map") header = this.protocol === 3 ? `%${n}\r\n` : `*${n * 2}\r\n`;
    else if (kind === "set") header = this.protocol === 3 ? `~${n}\r\n` : `*${n}\r\n`;
    else header = `*${n}\r\n`;
    const bytes = Buffer.from(header, "latin1");
    this.chunks[token] = bytes;
    this.chunkBytes += bytes.length;
  }
}

/** Number of decimal digits of the non-negative safe integer `n` (1 for 0). */
function decimalDigits(n: number): number {
  let digits = 1;
  for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
  return digits;
}
