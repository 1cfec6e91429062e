/*
 * Stream entry IDs (Redis' streamID): two unsigned 64-bit halves, the
 * millisecond time and a sequence number, ordered as one 128-bit number.
 *
 * Both halves can use the full unsigned 64-bit range (18446744073709551615),
 * beyond what a double holds exactly, so they are BigInts. IDs are immutable
 * values: a new StreamID is made whenever one changes.
 */

/** 2^64 - 1, the largest millisecond or sequence part. */
export const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

/** A stream entry ID, `ms-seq`. Immutable. */
export class StreamID {
  readonly ms: bigint;
  readonly seq: bigint;

  constructor(ms: bigint, seq: bigint) {
    this.ms = ms;
    this.seq = seq;
  }

  /** The smallest ID, 0-0 (also "no ID" for max-deleted-entry-id and first-id). */
  static readonly MIN = new StreamID(0n, 0n);
  /** The largest ID, 18446744073709551615-18446744073709551615. */
  static readonly MAX = new StreamID(UINT64_MAX, UINT64_MAX);

  /** True for 0-0. */
  isZero(): boolean {
    return this.ms === 0n && this.seq === 0n;
  }

  /** `ms-seq`, as Redis prints IDs. */
  toString(): string {
    return `${this.ms}-${this.seq}`;
  }

  /**
   * The next ID in order (seq + 1, carrying into ms), or null after the
   * largest ID. Used to turn an exclusive start into an inclusive one.
   */
  next(): StreamID | null {
    if (this.seq !== UINT64_MAX) return new StreamID(this.ms, this.seq + 1n);
    if (this.ms !== UINT64_MAX) return new StreamID(this.ms + 1n, 0n);
    return null;
  }

  /** The previous ID in order, or null before 0-0. */
  previous(): StreamID | null {
    if (this.seq !== 0n) return new StreamID(this.ms, this.seq - 1n);
    if (this.ms !== 0n) return new StreamID(this.ms - 1n, UINT64_MAX);
    return null;
  }
}

/** -1, 0 or 1 as `a` sorts before, equal to or after `b` (Redis' streamCompareID). */
export function compareStreamIds(a: StreamID, b: StreamID): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/** Compare an ID given as halves with a StreamID, without allocating. */
export function compareIdParts(ms: bigint, seq: bigint, b: StreamID): number {
  if (ms !== b.ms) return ms < b.ms ? -1 : 1;
  if (seq !== b.seq) return seq < b.seq ? -1 : 1;
  return 0;
}
