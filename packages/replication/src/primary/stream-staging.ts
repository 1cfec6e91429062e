/*
 * The replication stream of one loop turn, before it goes to the backlog and
 * the replicas: commands are encoded straight into one growing buffer (no
 * Buffer per command), and the whole turn leaves as one block.
 */

/** Initial size of the staging buffer; it doubles as a turn needs more. */
const INITIAL_SIZE = 64 * 1024;
/** A staging buffer grown past this is given back after the turn that needed it. */
const KEPT_SIZE = 1024 * 1024;
/** Room for `*<count>\r\n` or `$<length>\r\n` with any count or length. */
const HEADER_ROOM = 24;

/** A growing buffer of RESP-encoded stream bytes; see the file comment. */
export class StreamStaging {
  private buffer: Buffer;
  /** Bytes staged. */
  length: number;

  constructor() {
    this.buffer = Buffer.allocUnsafe(INITIAL_SIZE);
    this.length = 0;
  }

  /**
   * Encode `argv` as a RESP array of bulk strings at the end (the form the
   * backlog and replica links carry). HOT PATH: once per propagated command.
   */
  encode(argv: readonly Buffer[]): void {
    let size = HEADER_ROOM;
    for (let i = 0; i < argv.length; i++) size += argv[i]!.length + HEADER_ROOM;
    this.reserve(size);
    const out = this.buffer;
    let at = this.length;
    out[at++] = 42; // '*'
    at = writeDecimalLine(out, at, argv.length);
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      out[at++] = 36; // '$'
      at = writeDecimalLine(out, at, arg.length);
      const length = arg.length;
      if (length <= 16) {
        for (let j = 0; j < length; j++) out[at + j] = arg[j]!;
        at += length;
      } else {
        at += arg.copy(out, at);
      }
      out[at++] = 13;
      out[at++] = 10;
    }
    this.length = at;
  }

  /** Append bytes that are already encoded (a primary's stream passed on). */
  copy(bytes: Buffer): void {
    this.reserve(bytes.length);
    this.length += bytes.copy(this.buffer, this.length);
  }

  /** The staged bytes, as a view valid until the next change. */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** The staged bytes as a Buffer of their own; the staging is emptied. */
  take(): Buffer {
    const bytes = Buffer.from(this.buffer.subarray(0, this.length));
    this.clear();
    return bytes;
  }

  /** Forget the staged bytes (giving back an oversized buffer). */
  clear(): void {
    this.length = 0;
    if (this.buffer.length > KEPT_SIZE) this.buffer = Buffer.allocUnsafe(INITIAL_SIZE);
  }

  private reserve(size: number): void {
    const needed = this.length + size;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** Write `value` (a non-negative integer) in decimal then CRLF at `at`; returns the end. */
function writeDecimalLine(out: Buffer, at: number, value: number): number {
  if (value < 10) {
    out[at++] = 48 + value;
  } else {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let end = at + digits;
    for (let rest = value; end > at; rest = Math.floor(rest / 10)) out[--end] = 48 + (rest % 10);
    at += digits;
  }
  out[at++] = 13;
  out[at++] = 10;
  return at;
}
