/*
 * ChunkedInput: the unread bytes of a stream that arrives in chunks, shared by the
 * request parser and the reply decoder.
 *
 * HOT PATH. Unread input is always one contiguous Buffer, `buffer[pos, length)`.
 * A chunk fed while nothing is pending is used as it is (no copy). When a partial
 * frame is pending, its tail and the new chunk are joined in an owned storage
 * buffer that grows geometrically, so a peer sending one byte at a time costs
 * linear work. Bytes of the storage that were already handed out (zero-copy views)
 * are never written again: appends go after them, growth moves to a fresh storage.
 *
 * Subclasses remember how far they scanned an unterminated line (`lineScanned`,
 * relative to `pos`), so no byte is scanned twice while a long line trickles in.
 */

/** Smallest storage allocated to accumulate a partial frame. */
const MIN_STORAGE = 16 * 1024;

const emptyBuffer = Buffer.alloc(0);

/**
 * Base class of the stream readers: owns the unread bytes and feed(). Subclasses
 * consume from `buffer` starting at `pos` and call releaseIfConsumed() when they
 * stop at the end of the input.
 */
export abstract class ChunkedInput {
  /** Unread input is buffer[pos, buffer.length). */
  protected buffer: Buffer;
  protected pos: number;
  /** Owned storage behind `buffer` while a partial frame is accumulated, else null. */
  protected storage: Buffer | null;
  /** Bytes after `pos` already known to hold no line terminator. */
  protected lineScanned: number;

  constructor() {
    this.buffer = emptyBuffer;
    this.pos = 0;
    this.storage = null;
    this.lineScanned = 0;
  }

  /**
   * Append a chunk received from the peer. The chunk is never written to; it may
   * be kept by reference until its bytes are consumed.
   */
  feed(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.pos >= this.buffer.length) {
      this.buffer = chunk;
      this.pos = 0;
      this.storage = null;
      return;
    }
    const used = this.buffer.length;
    const storage = this.storage;
    if (storage !== null && storage.length - used >= chunk.length) {
      chunk.copy(storage, used);
      this.buffer = storage.subarray(0, used + chunk.length);
      return;
    }
    const remaining = used - this.pos;
    const needed = remaining + chunk.length;
    const fresh = Buffer.allocUnsafe(needed * 2 > MIN_STORAGE ? needed * 2 : MIN_STORAGE);
    this.buffer.copy(fresh, 0, this.pos, used);
    chunk.copy(fresh, remaining);
    this.storage = fresh;
    this.buffer = fresh.subarray(0, needed);
    this.pos = 0;
  }

  /** Forget every unread byte. */
  protected clearInput(): void {
    this.buffer = emptyBuffer;
    this.pos = 0;
    this.storage = null;
    this.lineScanned = 0;
  }

  /** Drop the reference to a fully consumed chunk, so it can be collected. */
  protected releaseIfConsumed(): void {
    if (this.pos >= this.buffer.length && this.buffer.length > 0) {
      this.buffer = emptyBuffer;
      this.pos = 0;
      this.storage = null;
    }
  }

  /**
   * Index of the first `terminator` byte at or after `pos`, or -1. Resumes where
   * the previous call for the same line stopped. When `nulBlocks` is set, a NUL
   * byte before the terminator makes the line unterminated for good, as C's
   * strchr() stops there in Redis: the result stays -1 however many bytes arrive.
   */
  protected findTerminator(terminator: number, nulBlocks: boolean): number {
    const buffer = this.buffer;
    const start = this.pos;
    const end = buffer.length;
    if (this.lineScanned < 0) return -1; // blocked by a NUL
    for (let i = start + this.lineScanned; i < end; i++) {
      const byte = buffer[i]!;
      if (byte === terminator) {
        this.lineScanned = i - start;
        return i;
      }
      if (byte === 0 && nulBlocks) {
        this.lineScanned = -1;
        return -1;
      }
    }
    this.lineScanned = end - start;
    return -1;
  }
}
