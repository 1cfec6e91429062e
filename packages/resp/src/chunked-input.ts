/*
 * ChunkedInput: the unread bytes of a stream that arrives in chunks, shared by the
 * request parser and the reply decoder.
 *
 * HOT PATH. The reader parses one contiguous Buffer, `buffer[pos, length)`. A chunk
 * fed while nothing is pending is used as it is (no copy). When a chunk ends in the
 * middle of a token (a header line, a bulk payload), the token must become
 * contiguous, but the rest of the next chunk need not be copied:
 *
 * - A big chunk is "spilled": the unread tail and only the first JOIN_PREFIX bytes
 *   of the chunk are copied into a small joined buffer, and the chunk itself is
 *   kept aside. The reader parses the joined buffer; when it runs out of bytes
 *   (takeSpill(), called by the reader before it reports that it needs more), it
 *   continues in the chunk itself if the straddling token is behind it, which is
 *   the common case, and only otherwise joins the rest too.
 * - A small chunk is appended to an owned storage buffer that grows
 *   geometrically, so a peer sending one byte at a time costs linear work.
 *
 * Bytes handed out as zero-copy views are never written again: appends go after
 * them, growth and joins always allocate fresh memory.
 *
 * Subclasses remember how far they scanned an unterminated line (`lineScanned`,
 * relative to `pos`), so no byte is scanned twice while a long line trickles in.
 */

/** Smallest storage allocated to accumulate a partial token. */
const MIN_STORAGE = 16 * 1024;
/** Bytes of a big chunk joined with the unread tail; the rest is parsed in place. */
const JOIN_PREFIX = 4 * 1024;
/** Chunks at least this big are spilled rather than copied. */
const SPILL_THRESHOLD = 4 * JOIN_PREFIX;

const emptyBuffer = Buffer.alloc(0);

/**
 * Base class of the stream readers: owns the unread bytes and feed(). Subclasses
 * consume from `buffer` starting at `pos`, call releaseIfConsumed() when they stop
 * at the end of the input, and call takeSpill() while `spill` is set before they
 * report that more bytes are needed.
 */
export abstract class ChunkedInput {
  /** Unread input is buffer[pos, buffer.length), then spill[spillFrom, spill.length). */
  protected buffer: Buffer;
  protected pos: number;
  /** Owned storage behind `buffer` while small chunks are accumulated, else null. */
  protected storage: Buffer | null;
  /** Bytes after `pos` already known to hold no line terminator (-1: blocked by a NUL). */
  protected lineScanned: number;
  /** A chunk whose first `spillFrom` bytes were copied to the end of `buffer`, or null. */
  protected spill: Buffer | null;
  private spillFrom: number;
  /** Index in `buffer` where the copied prefix of `spill` starts. */
  private spillBase: number;

  constructor() {
    this.buffer = emptyBuffer;
    this.pos = 0;
    this.storage = null;
    this.lineScanned = 0;
    this.spill = null;
    this.spillFrom = 0;
    this.spillBase = 0;
  }

  /**
   * Append a chunk received from the peer. The chunk is never written to; it may
   * be kept by reference until its bytes are consumed.
   */
  feed(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.spill !== null) this.joinSpill(); // fed twice without reading in between
    if (this.pos >= this.buffer.length) {
      this.buffer = chunk;
      this.pos = 0;
      this.storage = null;
      return;
    }
    const used = this.buffer.length;
    const remaining = used - this.pos;
    if (chunk.length >= SPILL_THRESHOLD) {
      const joined = Buffer.allocUnsafe(remaining + JOIN_PREFIX);
      this.buffer.copy(joined, 0, this.pos, used);
      chunk.copy(joined, remaining, 0, JOIN_PREFIX);
      this.buffer = joined;
      this.pos = 0;
      this.storage = null;
      this.spill = chunk;
      this.spillFrom = JOIN_PREFIX;
      this.spillBase = remaining;
      return;
    }
    const storage = this.storage;
    if (storage !== null && storage.length - used >= chunk.length) {
      chunk.copy(storage, used);
      this.buffer = storage.subarray(0, used + chunk.length);
      return;
    }
    this.joinInto(this.buffer.subarray(this.pos), chunk);
  }

  /** Bytes received and not yet consumed. */
  protected get unreadBytes(): number {
    const spilled = this.spill === null ? 0 : this.spill.length - this.spillFrom;
    return this.buffer.length - this.pos + spilled;
  }

  /**
   * The reader ran out of bytes in `buffer` while `spill` holds more: continue in
   * the spilled chunk itself when the unread bytes all lie in its copied prefix
   * (offsets relative to `pos`, like `lineScanned`, stay valid), else join the
   * unread bytes with the rest of the chunk.
   */
  protected takeSpill(): void {
    const spill = this.spill!;
    if (this.pos >= this.spillBase) {
      this.pos -= this.spillBase;
      this.buffer = spill;
      this.storage = null;
      this.spill = null;
      return;
    }
    this.joinSpill();
  }

  /** Join the unread bytes of `buffer` with the unread rest of `spill`. */
  private joinSpill(): void {
    const spill = this.spill!;
    this.spill = null;
    this.joinInto(this.buffer.subarray(this.pos), spill.subarray(this.spillFrom));
  }

  /** Make `head` + `tail` the unread input, in a fresh storage with room to grow. */
  private joinInto(head: Buffer, tail: Buffer): void {
    const needed = head.length + tail.length;
    const fresh = Buffer.allocUnsafe(needed * 2 > MIN_STORAGE ? needed * 2 : MIN_STORAGE);
    head.copy(fresh, 0);
    tail.copy(fresh, head.length);
    this.storage = fresh;
    this.buffer = fresh.subarray(0, needed);
    this.pos = 0;
  }

  /**
   * Give back the free room of the owned storage when it wastes more than
   * `minWaste` bytes: the unread bytes move to a buffer of exactly their size
   * (Redis trims an idle client's query buffer the same way). Returns the bytes
   * given back.
   */
  shrinkToFit(minWaste = 4096): number {
    const storage = this.storage;
    if (storage === null || this.spill !== null) return 0;
    const free = storage.length - this.buffer.length + this.pos;
    if (free <= minWaste) return 0;
    const unread = Buffer.from(this.buffer.subarray(this.pos));
    this.storage = unread;
    this.buffer = unread;
    this.pos = 0;
    return free;
  }

  /** Bytes held in the input buffer, the ones already read in it included. */
  protected get heldBytes(): number {
    const spilled = this.spill === null ? 0 : this.spill.length - this.spillFrom;
    return this.buffer.length + spilled;
  }

  /** Bytes that can still be appended without allocating (free room of the owned storage). */
  protected get freeBytes(): number {
    return this.storage === null ? 0 : this.storage.length - this.buffer.length;
  }

  /** Forget every unread byte. */
  protected clearInput(): void {
    this.buffer = emptyBuffer;
    this.pos = 0;
    this.storage = null;
    this.lineScanned = 0;
    this.spill = null;
  }

  /** Drop the reference to a fully consumed chunk, so it can be collected. */
  protected releaseIfConsumed(): void {
    if (this.pos >= this.buffer.length && this.buffer.length > 0 && this.spill === null) {
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
