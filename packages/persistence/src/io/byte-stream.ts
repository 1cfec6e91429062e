/*
 * Byte sinks and sources: the only thing the RDB encoder and decoder see of
 * storage (the role Redis' rio plays). A sink takes bytes in order and can be
 * flushed, made durable and closed; a source hands bytes out in order and knows
 * how many remain, so a decoder can check every announced length against what
 * is really there before it allocates anything.
 */

/** Where encoded bytes go. Writes are synchronous; nothing is lost before close(). */
export interface ByteSink {
  /** Append `chunk`. The sink copies or consumes it before returning: the caller may reuse it. */
  write(chunk: Uint8Array): void;
  /** Hand buffered bytes to the backing store (for a file: the kernel). */
  flush(): void;
  /** flush(), then make the bytes durable (for a file: fsync). */
  sync(): void;
  /** flush() and release the backing store. Further writes throw. */
  close(): void;
  /** Number of bytes written so far. */
  readonly position: number;
}

/** Where encoded bytes come from, in order. */
export interface ByteSource {
  /**
   * The next `length` bytes, or throws a RangeError when fewer remain. The result
   * may be a view into the source's own storage, valid until the next call:
   * copy what must outlive it.
   */
  readExactly(length: number): Buffer;
  /** Up to `length` next bytes (fewer only at the end; empty at the end). Same validity as readExactly. */
  read(length: number): Buffer;
  /** Number of bytes consumed so far. */
  readonly position: number;
  /** Number of bytes left to read. */
  readonly remaining: number;
  /** Release the backing store. */
  close(): void;
}
