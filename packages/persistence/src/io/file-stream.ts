/*
 * File byte sink and source over synchronous file descriptors. The sink buffers
 * writes in 64 KB and hands full buffers to the kernel; sync() is fsync. The
 * source reads ahead in chunks and knows the file's size from fstat, so a decoder
 * can refuse a length longer than what is left before allocating for it.
 */

import { closeSync, fstatSync, fsync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import type { ByteSink, ByteSource } from "./byte-stream.js";

const WRITE_BUFFER = 64 * 1024;
const READ_CHUNK = 256 * 1024;

/** A sink writing to a file (created or truncated at `path`). */
export class FileSink implements ByteSink {
  readonly path: string;
  private fd: number;
  private readonly pending: Buffer;
  private pendingLength: number;
  private written: number;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, "w", 0o644);
    this.pending = Buffer.allocUnsafe(WRITE_BUFFER);
    this.pendingLength = 0;
    this.written = 0;
  }

  /** Append `chunk` (copied into the write buffer, or written through when large). */
  write(chunk: Uint8Array): void {
    if (this.fd < 0) throw new Error(`write to closed file ${this.path}`);
    if (chunk.length > WRITE_BUFFER - this.pendingLength) {
      this.flush();
      if (chunk.length >= WRITE_BUFFER) {
        writeFully(this.fd, chunk);
        this.written += chunk.length;
        return;
      }
    }
    this.pending.set(chunk, this.pendingLength);
    this.pendingLength += chunk.length;
    this.written += chunk.length;
  }

  /** Write the buffered bytes to the file. */
  flush(): void {
    if (this.pendingLength === 0 || this.fd < 0) return;
    writeFully(this.fd, this.pending.subarray(0, this.pendingLength));
    this.pendingLength = 0;
  }

  /** flush() and fsync: the bytes are on disk when this returns. */
  sync(): void {
    this.flush();
    if (this.fd >= 0) fsyncSync(this.fd);
  }

  /**
   * flush() then fsync on the thread pool, calling `done` (with an error, if
   * any) when the bytes are on disk: the event loop keeps running meanwhile.
   */
  syncInBackground(done: (error: Error | null) => void): void {
    try {
      this.flush();
    } catch (error) {
      done(error as Error);
      return;
    }
    fsync(this.fd, (error) => done(error));
  }

  /** flush() and close the descriptor (idempotent). */
  close(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  get position(): number {
    return this.written;
  }
}

/** write(2) until every byte is taken (short writes happen on full disks and pipes). */
function writeFully(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** A source reading a whole file from its start. */
export class FileSource implements ByteSource {
  readonly path: string;
  private fd: number;
  private readonly size: number;
  /** Bytes read from the file into `chunk`. */
  private chunk: Buffer;
  private chunkStart: number;
  private chunkEnd: number;
  /** File offset of chunk[0]. */
  private chunkFileOffset: number;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, "r");
    this.size = fstatSync(this.fd).size;
    this.chunk = Buffer.allocUnsafe(READ_CHUNK);
    this.chunkStart = 0;
    this.chunkEnd = 0;
    this.chunkFileOffset = 0;
  }

  /** The next `length` bytes (a view valid until the next call). */
  readExactly(length: number): Buffer {
    if (length > this.remaining) {
      throw new RangeError(`unexpected end of file: ${length} bytes wanted, ${this.remaining} left`);
    }
    if (this.chunkEnd - this.chunkStart < length) this.fill(length);
    const start = this.chunkStart;
    this.chunkStart += length;
    return this.chunk.subarray(start, start + length);
  }

  /** Up to `length` next bytes. */
  read(length: number): Buffer {
    return this.readExactly(Math.min(length, this.remaining));
  }

  /** Make at least `length` bytes available from chunkStart. */
  private fill(length: number): void {
    const left = this.chunkEnd - this.chunkStart;
    const capacity = Math.max(READ_CHUNK, length);
    const next = capacity > this.chunk.length ? Buffer.allocUnsafe(capacity) : this.chunk;
    this.chunk.copy(next, 0, this.chunkStart, this.chunkEnd);
    this.chunkFileOffset += this.chunkStart;
    this.chunk = next;
    this.chunkStart = 0;
    this.chunkEnd = left;
    while (this.chunkEnd < length) {
      const got = readSync(
        this.fd,
        this.chunk,
        this.chunkEnd,
        this.chunk.length - this.chunkEnd,
        this.chunkFileOffset + this.chunkEnd,
      );
      if (got === 0) throw new RangeError(`unexpected end of file ${this.path}`);
      this.chunkEnd += got;
    }
  }

  get position(): number {
    return this.chunkFileOffset + this.chunkStart;
  }

  get remaining(): number {
    return this.size - this.position;
  }

  /** Close the descriptor (idempotent). */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
