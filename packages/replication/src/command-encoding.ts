/*
 * The replication stream's wire form: commands as RESP multibulk arrays, and a
 * resumable parser that splits a received stream back into commands while
 * counting the exact bytes of each (a replica's offset advances by them).
 */

/**
 * Encode one command as a RESP array of bulk strings, the form the backlog and
 * the replica links carry.
 */
export function encodeCommand(argv: readonly Buffer[]): Buffer {
  let size = 16;
  for (let i = 0; i < argv.length; i++) size += argv[i]!.length + 16;
  const out = Buffer.allocUnsafe(size);
  let at = out.write(`*${argv.length}\r\n`, 0, "latin1");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    at += out.write(`$${arg.length}\r\n`, at, "latin1");
    at += arg.copy(out, at);
    out[at++] = 13;
    out[at++] = 10;
  }
  return out.subarray(0, at);
}

/** One command read from a stream, with its exact encoded bytes. */
export interface StreamCommand {
  readonly argv: Buffer[];
  readonly bytes: Buffer;
}

/**
 * Splits a primary's command stream into commands. Bytes are pushed as they
 * arrive; next() returns the next complete command or null. A lone newline
 * (a keep-alive) is returned as a command with no arguments, so its byte is
 * still counted. Throws on bytes that are not a multibulk command.
 *
 * HOT PATH on a replica: a pushed chunk is kept as it is (no copy) and read from
 * a moving start; only an incomplete command at its end is joined with the next
 * chunk. A command's `bytes` and its arguments are views of the chunk, under the
 * contract a server's request arguments follow: whoever keeps one copies it
 * (a stored view would pin the whole chunk).
 */
export class StreamCommandParser {
  private buffer: Buffer;
  /** Where the next command starts in `buffer`. */
  private start: number;

  constructor() {
    this.buffer = Buffer.alloc(0);
    this.start = 0;
  }

  /** Append received bytes (the parser keeps a reference: the caller must not reuse `chunk`). */
  push(chunk: Buffer): void {
    if (this.start >= this.buffer.length) {
      this.buffer = chunk;
    } else {
      this.buffer = Buffer.concat([this.buffer.subarray(this.start), chunk]);
    }
    this.start = 0;
  }

  /** Bytes not yet returned as commands. */
  get pending(): number {
    return this.buffer.length - this.start;
  }

  /** The next complete command, or null when more bytes are needed. */
  next(): StreamCommand | null {
    const buf = this.buffer;
    const start = this.start;
    if (start >= buf.length) return null;
    if (buf[start] === 10) return this.take(start + 1, []);
    if (buf[start] !== 42) {
      // An inline command (rare on a replication link): up to the newline.
      const nl = buf.indexOf(10, start);
      if (nl < 0) return null;
      const line = buf.subarray(start, nl).toString("latin1").trim();
      const argv = line === "" ? [] : line.split(/\s+/).map((word) => Buffer.from(word, "latin1"));
      return this.take(nl + 1, argv);
    }
    const count = readNumberLine(buf, start + 1);
    if (count < 0) return null;
    if (count > 1 << 20) throw new Error("invalid multibulk length in the stream");
    let at = lineEnd;
    const argv: Buffer[] = new Array(count);
    for (let i = 0; i < count; i++) {
      if (at >= buf.length) return null;
      if (buf[at] !== 36) throw new Error("expected '$' in the stream");
      const length = readNumberLine(buf, at + 1);
      if (length < 0) return null;
      const end = lineEnd + length;
      if (end + 2 > buf.length) return null;
      argv[i] = new ChunkView(
        buf.buffer as ArrayBuffer,
        buf.byteOffset + lineEnd,
        length,
      ) as unknown as Buffer;
      at = end + 2;
    }
    return this.take(at, argv);
  }

  private take(end: number, argv: Buffer[]): StreamCommand {
    const buffer = this.buffer;
    const bytes = new ChunkView(
      buffer.buffer as ArrayBuffer,
      buffer.byteOffset + this.start,
      end - this.start,
    );
    this.start = end;
    return { argv, bytes: bytes as unknown as Buffer };
  }
}

/**
 * A Buffer view made without Buffer#subarray()'s argument checks (the parser
 * knows its offsets are in range): a Uint8Array whose prototype chain goes
 * through Buffer.prototype, so it is a Buffer to every reader.
 */
class ChunkView extends Uint8Array {
  constructor(memory: ArrayBuffer, byteOffset: number, length: number) {
    super(memory, byteOffset, length);
  }
}
Object.setPrototypeOf(ChunkView.prototype, Buffer.prototype);

/** Where the number line read last by readNumberLine ends (the byte after its CRLF). */
let lineEnd = 0;

/**
 * Parse "<digits>\r\n" at `from`: the value (lineEnd is set past the line), or
 * -1 when the line is not complete yet. Throws on anything but digits.
 */
function readNumberLine(buf: Buffer, from: number): number {
  let value = 0;
  let at = from;
  const length = buf.length;
  while (at < length) {
    const byte = buf[at]!;
    if (byte === 13) {
      if (at + 1 >= length) return -1;
      if (at === from || buf[at + 1] !== 10) throw new Error("invalid length line in the stream");
      lineEnd = at + 2;
      return value;
    }
    if (byte < 48 || byte > 57 || at - from > 15) throw new Error("invalid length line in the stream");
    value = value * 10 + (byte - 48);
    at++;
  }
  return -1;
}
