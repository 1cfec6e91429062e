/*
 * Checks over byte ranges of one buffer, shared by the builders that pack a
 * file's listpack straight from its bytes (PackedPairsBuilder, PackedZSetBuilder):
 * before the packing becomes a value, a repeated field or member must be found,
 * as Redis refuses such a listpack.
 */

/** Up to this many ranges, repeats are found by comparing ranges pairwise; beyond, through a Set. */
const PAIRWISE_LIMIT = 32;

/**
 * Whether two of the `count` ranges buffer[bounds[2i], bounds[2i + 1]) hold the
 * same bytes. Pairwise byte comparison for a few ranges (no strings made), a Set
 * of latin1 strings for more (linear instead of quadratic). Reads only.
 */
export function hasRepeatedRange(buffer: Buffer, bounds: Int32Array, count: number): boolean {
  if (count > PAIRWISE_LIMIT) {
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) seen.add(buffer.toString("latin1", bounds[2 * i]!, bounds[2 * i + 1]!));
    return seen.size !== count;
  }
  for (let i = 1; i < count; i++) {
    const start = bounds[2 * i]!;
    const length = bounds[2 * i + 1]! - start;
    for (let j = 0; j < i; j++) {
      const other = bounds[2 * j]!;
      if (bounds[2 * j + 1]! - other !== length) continue;
      let k = 0;
      while (k < length && buffer[start + k] === buffer[other + k]) k++;
      if (k === length) return true;
    }
  }
  return false;
}
