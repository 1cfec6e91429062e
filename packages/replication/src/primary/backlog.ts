/*
 * The replication backlog: a ring buffer holding the last repl-backlog-size
 * bytes of the replication stream, so that a replica that lost its link can be
 * sent what it missed (PSYNC ... +CONTINUE) instead of a whole new snapshot.
 */

/** A fixed-size ring of the most recent stream bytes, addressed by stream offset. */
export class ReplicationBacklog {
  private ring: Buffer;
  /** Where the next byte goes in the ring. */
  private writeIndex: number;
  /** Bytes held (at most the ring's size): Redis' repl_backlog_histlen. */
  historyLength: number;
  /** Stream offset of the last byte appended (Redis' master_repl_offset). */
  offset: number;

  /** A backlog of `size` bytes whose next byte will have offset `offset + 1`. */
  constructor(size: number, offset: number) {
    this.ring = Buffer.alloc(Math.max(1, size));
    this.writeIndex = 0;
    this.historyLength = 0;
    this.offset = offset;
  }

  /** Size of the ring in bytes. */
  get size(): number {
    return this.ring.length;
  }

  /** Offset of the oldest byte held (repl_backlog_first_byte_offset). */
  get firstByteOffset(): number {
    return this.offset - this.historyLength + 1;
  }

  /** Append stream bytes; the oldest bytes fall out when the ring is full. */
  append(bytes: Buffer): void {
    this.offset += bytes.length;
    const ring = this.ring;
    let data = bytes;
    if (data.length >= ring.length) {
      data = data.subarray(data.length - ring.length);
      data.copy(ring, 0);
      this.writeIndex = 0;
      this.historyLength = ring.length;
      return;
    }
    const first = Math.min(data.length, ring.length - this.writeIndex);
    data.copy(ring, this.writeIndex, 0, first);
    if (first < data.length) data.copy(ring, 0, first);
    this.writeIndex = (this.writeIndex + data.length) % ring.length;
    this.historyLength = Math.min(ring.length, this.historyLength + data.length);
  }

  /**
   * The bytes from stream offset `from` (the first byte the replica lacks) to the
   * end, or null when the backlog no longer (or not yet) holds that offset.
   */
  readFrom(from: number): Buffer | null {
    if (from < this.firstByteOffset || from > this.offset + 1) return null;
    const length = this.offset + 1 - from;
    if (length === 0) return Buffer.alloc(0);
    const ring = this.ring;
    const start = (this.writeIndex - length + ring.length) % ring.length;
    if (start + length <= ring.length) return Buffer.from(ring.subarray(start, start + length));
    return Buffer.concat([ring.subarray(start), ring.subarray(0, length - (ring.length - start))]);
  }

  /** Change the size, keeping as much recent history as fits. */
  resize(size: number): void {
    if (size === this.ring.length) return;
    const kept = this.readFrom(this.firstByteOffset) ?? Buffer.alloc(0);
    const offset = this.offset;
    this.ring = Buffer.alloc(Math.max(1, size));
    this.writeIndex = 0;
    this.historyLength = 0;
    this.offset = offset - kept.length;
    this.append(kept);
  }
}
