/*
 * In-memory byte sink and source: for tests, DUMP payloads and embedding. The sink
 * grows one buffer by doubling; the source reads from one buffer without copying.
 */

import type { ByteSink, ByteSource } from "./byte-stream.js";

/** A sink that collects everything in memory; contents() returns the bytes. */
export class MemorySink implements ByteSink {
  private buffer: Buffer;
  private length: number;
  private closed: boolean;

  constructor(initialCapacity = 4096) {
    this.buffer = Buffer.allocUnsafe(initialCapacity > 0 ? initialCapacity : 16);
    this.length = 0;
    this.closed = false;
  }

  /** Append a copy of `chunk`. */
  write(chunk: Uint8Array): void {
    if (this.closed) throw new Error("write to a closed sink");
    const needed = this.length + chunk.length;
    if (needed > this.buffer.length) {
      let capacity = this.buffer.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = Buffer.allocUnsafe(capacity);
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length = needed;
  }

  /** Nothing to hand on: the bytes are already where they live. */
  flush(): void {}

  /** Memory has no durability step. */
  sync(): void {}

  /** Refuse further writes; contents() stays readable. */
  close(): void {
    this.closed = true;
  }

  get position(): number {
    return this.length;
  }

  /** The bytes written so far (a view: copy it before writing more). */
  contents(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/** A source over one buffer. */
export class MemorySource implements ByteSource {
  private readonly buffer: Buffer;
  private offset: number;

  constructor(buffer: Buffer) {
    this.buffer = buffer;
    this.offset = 0;
  }

  /** The next `length` bytes as a view of the buffer. */
  readExactly(length: number): Buffer {
    if (length > this.buffer.length - this.offset) {
      throw new RangeError(`unexpected end of data: ${length} bytes wanted, ${this.remaining} left`);
    }
    const start = this.offset;
    this.offset += length;
    return this.buffer.subarray(start, this.offset);
  }

  /** Up to `length` next bytes as a view of the buffer. */
  read(length: number): Buffer {
    return this.readExactly(Math.min(length, this.remaining));
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  close(): void {}
}
