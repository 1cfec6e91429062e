/*
 * CommandBuffer: commands encoded as RESP multibulk requests (what an AOF holds)
 * into one growing byte buffer.
 *
 * HOT PATH: the AOF writer appends every propagated write here. Headers are
 * written with arithmetic into the buffer, arguments copied once; the buffer
 * doubles when full, so appending is amortised linear, and take() hands the
 * bytes out without copying them again.
 */

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const MIN_CAPACITY = 16 * 1024;
/** Largest buffer clear() and take() keep for the next commands. */
const KEPT_CAPACITY = 1 << 20;
/** Arguments up to this long are copied byte by byte (cheaper than a native set() for a few bytes). */
const SHORT_ARG = 32;

/** An append-only buffer of RESP-encoded commands. */
export class CommandBuffer {
  private bytes: Buffer;
  private used: number;

  constructor(capacity = MIN_CAPACITY) {
    this.bytes = Buffer.allocUnsafe(Math.max(capacity, 64));
    this.used = 0;
  }

  /** Bytes held. */
  get length(): number {
    return this.used;
  }

  /** Append `argv` as `*<n>\r\n` followed by one `$<len>\r\n<bytes>\r\n` per argument. */
  append(argv: readonly Uint8Array[]): void {
    let size = 13;
    for (let i = 0; i < argv.length; i++) size += argv[i]!.length + 15;
    this.reserve(size);
    let pos = this.writeHeader(STAR, argv.length, this.used);
    const bytes = this.bytes;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      const length = arg.length;
      pos = this.writeHeader(DOLLAR, length, pos);
      if (length <= SHORT_ARG) {
        for (let j = 0; j < length; j++) bytes[pos + j] = arg[j]!;
      } else {
        bytes.set(arg, pos);
      }
      pos += length;
      bytes[pos++] = CR;
      bytes[pos++] = LF;
    }
    this.used = pos;
  }

  /**
   * Start a command of `argc` arguments, to be followed by exactly `argc` calls
   * of bulk() / bulkLatin1() (the base writer encodes keys and values in place,
   * without a Buffer per argument).
   */
  beginCommand(argc: number): void {
    this.reserve(24);
    this.used = this.writeHeader(STAR, argc, this.used);
  }

  /** One argument of the command begun with beginCommand(). */
  bulk(arg: Uint8Array): void {
    this.reserve(arg.length + 24);
    let pos = this.writeHeader(DOLLAR, arg.length, this.used);
    this.bytes.set(arg, pos);
    pos += arg.length;
    this.bytes[pos++] = CR;
    this.bytes[pos++] = LF;
    this.used = pos;
  }

  /** One argument given as a binary (latin1) string: one byte per character. */
  bulkLatin1(text: string): void {
    const length = text.length;
    this.reserve(length + 24);
    let pos = this.writeHeader(DOLLAR, length, this.used);
    pos += this.bytes.write(text, pos, length, "latin1");
    this.bytes[pos++] = CR;
    this.bytes[pos++] = LF;
    this.used = pos;
  }

  /** Append bytes as they are (already-encoded commands). */
  appendRaw(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.bytes.set(chunk, this.used);
    this.used += chunk.length;
  }

  /**
   * Hand out everything held and start empty. The returned Buffer is not written
   * again by this object (a fresh buffer takes the next commands).
   */
  take(): Buffer {
    const out = this.bytes.subarray(0, this.used);
    this.bytes = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, Math.min(this.bytes.length, KEPT_CAPACITY)));
    this.used = 0;
    return out;
  }

  /**
   * The bytes held, as a view valid until the next append, clear() or
   * dropFront(): for a synchronous write, after which clear() reuses the memory.
   */
  view(): Buffer {
    return this.bytes.subarray(0, this.used);
  }

  /**
   * Forget everything held. The memory is reused, unless one burst grew it past
   * KEPT_CAPACITY: that is given back, so a rare huge write does not stay resident.
   */
  clear(): void {
    this.used = 0;
    if (this.bytes.length > KEPT_CAPACITY) this.bytes = Buffer.allocUnsafe(MIN_CAPACITY);
  }

  /** Forget the first `count` bytes (written already), keeping the rest. */
  dropFront(count: number): void {
    const n = Math.min(count, this.used);
    this.bytes.copyWithin(0, n, this.used);
    this.used -= n;
  }

  private reserve(extra: number): void {
    const needed = this.used + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }

  /** Write `<prefix><n>\r\n` at `pos`; returns the position after it. */
  private writeHeader(prefix: number, n: number, pos: number): number {
    const bytes = this.bytes;
    bytes[pos++] = prefix;
    if (n < 10) {
      bytes[pos++] = 48 + n;
    } else {
      let digits = 0;
      for (let v = n; v > 0; v = Math.floor(v / 10)) digits++;
      let end = pos + digits;
      for (let v = n; v > 0; v = Math.floor(v / 10)) bytes[--end] = 48 + (v % 10);
      pos += digits;
    }
    bytes[pos++] = CR;
    bytes[pos++] = LF;
    return pos;
  }
}
