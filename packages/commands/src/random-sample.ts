/*
 * Random samples for the commands that return random elements (HRANDFIELD,
 * SRANDMEMBER): parsing their count argument, and drawing distinct positions.
 *
 * For distinct elements, like Redis, the strategy depends on how much of the
 * collection is asked for: close to all of it, shuffling is cheapest (Redis
 * copies the collection and removes random elements); for a small part of it,
 * drawing with rejection of repeats costs O(count) instead of O(size).
 */

import { parseInt64, parseLong } from "./args.js";
import type { ClientSession } from "./client-session.js";
import { Err } from "./errors.js";

/** Above this share of the collection (count * 3 > size), shuffle instead of drawing. */
const SHUFFLE_STRATEGY_MUL = 3;

/**
 * `count` distinct positions in [0, size), uniformly chosen, in random order.
 * Requires 0 < count < size.
 */
export function distinctRandomPositions(size: number, count: number): number[] {
  if (count * SHUFFLE_STRATEGY_MUL > size) {
    // Partial Fisher-Yates shuffle: the first `count` slots end up a uniform sample.
    const positions = new Array<number>(size);
    for (let i = 0; i < size; i++) positions[i] = i;
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const swap = positions[i]!;
      positions[i] = positions[j]!;
      positions[j] = swap;
    }
    positions.length = count;
    return positions;
  }
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(Math.random() * size));
  return Array.from(chosen);
}

// ---------------------------------------------------------------- counts

/** LONG_MAX: counts of HRANDFIELD / SRANDMEMBER lie within [-LONG_MAX, LONG_MAX]. */
const LONG_MAX = 9223372036854775807n;
/** With WITHVALUES the reply has two entries per field: |count| must stay within LONG_MAX / 2. */
const HALF_LONG_MAX = 4611686018427387903n;

/**
 * Parse a random-element count as Redis' getRangeLongFromObjectOrReply(-LONG_MAX,
 * LONG_MAX) does, exactly at the 64-bit edges; with `paired`, also refuse counts
 * whose doubled reply length would overflow. Replies and returns null on error.
 */
export function getRandomCountOrReply(c: ClientSession, arg: Buffer, paired: boolean): number | null {
  const value = parseLong(arg);
  if (value === null) {
    c.reply.error(Err.notInteger);
    return null;
  }
  if (value > -(2 ** 52) && value < 2 ** 52) return value;
  const exact = parseInt64(arg)!;
  if (exact < -LONG_MAX) {
    c.reply.error(Err.countOutOfLongRange);
    return null;
  }
  if (paired && (exact > HALF_LONG_MAX || exact < -HALF_LONG_MAX)) {
    c.reply.error(Err.valueOutOfRange);
    return null;
  }
  return value;
}
