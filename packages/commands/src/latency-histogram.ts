/*
 * LatencyHistogram: the per-command distribution of execution times behind
 * LATENCY HISTOGRAM and INFO latencystats.
 *
 * Values are recorded in nanoseconds, clamped to [1 ns, 1 s], into log-linear
 * buckets that keep two significant decimal digits: each power of two is split
 * into 128 equal slots (256 for values below 256), so a recorded value is known
 * to within 1/128 of itself. This is the bucketing of an HDR histogram with
 * two significant figures and a lowest value of 1, which is what redis-server
 * reports from: the "equivalent value" ranges, the percentile rule and the
 * power-of-two CDF steps below give the same figures as its replies.
 *
 * Memory: 3072 counters (12 KB) per command that was called, allocated on the
 * first call.
 */

/** Slots per power of two (two significant digits need at least 100). */
const SUB_BUCKET_HALF = 128;
/** Values below this are counted one slot per nanosecond. */
const SUB_BUCKET_COUNT = 256;
const SUB_BUCKET_HALF_BITS = 7;
/** The largest value recorded (1 s in nanoseconds); longer runs count as 1 s. */
export const HISTOGRAM_MAX_NANOSECONDS = 1_000_000_000;
/** Enough slots for every value up to HISTOGRAM_MAX_NANOSECONDS. */
const SLOT_COUNT = (bucketOf(HISTOGRAM_MAX_NANOSECONDS) + 2) * SUB_BUCKET_HALF;
/** The first CDF step of LATENCY HISTOGRAM, in nanoseconds; each next step doubles. */
const FIRST_CDF_STEP = 1024;

/** Index of the power-of-two bucket of `value` (0 for values below 256). */
function bucketOf(value: number): number {
  const log2 = 31 - Math.clz32(value);
  return log2 < 8 ? 0 : log2 - SUB_BUCKET_HALF_BITS;
}

/** The slot counting `value` (a positive integer below 2^31). */
function slotOf(value: number): number {
  const bucket = bucketOf(value);
  const sub = value >>> bucket;
  return bucket === 0 ? sub : (bucket + 1) * SUB_BUCKET_HALF + (sub - SUB_BUCKET_HALF);
}

/** The smallest value counted in `slot`. */
function lowestInSlot(slot: number): number {
  if (slot < SUB_BUCKET_COUNT) return slot;
  const bucket = Math.floor(slot / SUB_BUCKET_HALF) - 1;
  const sub = (slot % SUB_BUCKET_HALF) + SUB_BUCKET_HALF;
  return sub * 2 ** bucket;
}

/** The largest value counted in `slot`. */
function highestInSlot(slot: number): number {
  if (slot < SUB_BUCKET_COUNT) return slot;
  const bucket = Math.floor(slot / SUB_BUCKET_HALF) - 1;
  return lowestInSlot(slot) + 2 ** bucket - 1;
}

/** A distribution of durations (one command's executions). */
export class LatencyHistogram {
  private readonly counts: Uint32Array;
  /** Number of values recorded. */
  total: number;
  private highestSlot: number;

  constructor() {
    this.counts = new Uint32Array(SLOT_COUNT);
    this.total = 0;
    this.highestSlot = 0;
  }

  /** Count one duration given in microseconds (clamped to [1 ns, 1 s]). */
  recordMicroseconds(microseconds: number): void {
    let nanoseconds = Math.floor(microseconds * 1000);
    if (nanoseconds < 1) nanoseconds = 1;
    else if (nanoseconds > HISTOGRAM_MAX_NANOSECONDS) nanoseconds = HISTOGRAM_MAX_NANOSECONDS;
    const slot = slotOf(nanoseconds);
    this.counts[slot]!++;
    this.total++;
    if (slot > this.highestSlot) this.highestSlot = slot;
  }

  /**
   * The value (ns) at `percentile` (0-100): the top of the slot holding the
   * value ranked at that share of the total (at least the first value), or the
   * bottom of the first occupied slot for percentile 0. 0 when empty.
   */
  valueAtPercentile(percentile: number): number {
    if (this.total === 0) return 0;
    const share = percentile < 100 ? percentile : 100;
    let rank = Math.floor((share / 100) * this.total + 0.5);
    if (rank < 1) rank = 1;
    let seen = 0;
    for (let slot = 0; slot <= this.highestSlot; slot++) {
      seen += this.counts[slot]!;
      if (seen >= rank) return percentile === 0 ? lowestInSlot(slot) : highestInSlot(slot);
    }
    return highestInSlot(this.highestSlot);
  }

  /**
   * The cumulative distribution as LATENCY HISTOGRAM shows it: at steps of
   * 1024 ns doubling each time, [step's top in whole microseconds, values up
   * to it], only for the steps that added values, up to the step that covers
   * every value.
   */
  cumulativeSteps(): Array<[number, number]> {
    const steps: Array<[number, number]> = [];
    let step = FIRST_CDF_STEP;
    let slot = 0;
    let seen = 0;
    let previous = 0;
    while (previous < this.total) {
      const lastSlot = slotOf(step);
      for (; slot <= lastSlot && slot < this.counts.length; slot++) seen += this.counts[slot]!;
      if (seen > previous) steps.push([Math.floor(highestInSlot(lastSlot) / 1000), seen]);
      previous = seen;
      step *= 2;
    }
    return steps;
  }
}
