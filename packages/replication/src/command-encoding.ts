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
 */
export class StreamCommandParser {
  private buffer: Buffer;

  constructor() {
    this.buffer = Buffer.alloc(0);
  }

  /** Append received bytes. */
  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
  }

  /** Bytes not yet returned as commands. */
  get pending(): number {
    return this.buffer.length;
  }

  /** The next complete command, or null when more bytes are needed. */
  next(): StreamCommand | null {
    const buf = this.buffer;
    if (buf.length === 0) return null;
    if (buf[0] === 10) return this.take(1, []);
    if (buf[0] !== 42) {
      // An inline command (rare on a replication link): up to the newline.
      const nl = buf.indexOf(10);
      if (nl < 0) return null;
      const line = buf.subarray(0, nl).toString("latin1").trim();
      const argv = line === "" ? [] : line.split(/\s+/).map((word) => Buffer.from(word, "latin1"));
      return this.take(nl + 1, argv);
    }
    let at = 0;
    const count = readNumberLine(buf, 1);
    if (count === null) return null;
    if (count.value < 0 || count.value > 1 << 20) throw new Error("invalid multibulk length in the stream");
    at = count.next;
    const argv: Buffer[] = [];
    for (let i = 0; i < count.value; i++) {
      if (at >= buf.length) return null;
      if (buf[at] !== 36) throw new Error("expected '$' in the stream");
      const len = readNumberLine(buf, at + 1);
      if (len === null) return null;
      if (len.value < 0) throw new Error("invalid bulk length in the stream");
      const end = len.next + len.value;
      if (end + 2 > buf.length) return null;
      argv.push(Buffer.from(buf.subarray(len.next, end)));
      at = end + 2;
    }
    return this.take(at, argv);
  }

  private take(length: number, argv: Buffer[]): StreamCommand {
    const bytes = Buffer.from(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return { argv, bytes };
  }
}

/** Parse "<digits>\r\n" at `from`; null when the line is not complete. */
function readNumberLine(buf: Buffer, from: number): { value: number; next: number } | null {
  const cr = buf.indexOf(13, from);
  if (cr < 0 || cr + 1 >= buf.length) return null;
  const value = Number(buf.subarray(from, cr).toString("latin1"));
  if (!Number.isInteger(value)) throw new Error("invalid length line in the stream");
  return { value, next: cr + 2 };
}
