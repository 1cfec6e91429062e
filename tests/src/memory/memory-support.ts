/*
 * Shared steps of the memory tests: INFO as a map, and filling a server then
 * lowering maxmemory to a fraction of what the keys take on that server (each
 * server's own bytes per key, so Spinel and redis-server keep about the same
 * share of the keys and their choices compare).
 */

import type { Redis } from "ioredis";

/** INFO fields as a name -> value map. */
export async function infoOf(client: Redis, section = "everything"): Promise<Map<string, string>> {
  const text = await client.info(section);
  const map = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) map.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return map;
}

/** One numeric INFO field. */
export async function infoNumber(client: Redis, field: string): Promise<number> {
  const value = (await infoOf(client)).get(field);
  if (value === undefined) throw new Error(`INFO has no ${field}`);
  return Number(value);
}

/** What a fill-and-limit run measured. */
export interface LimitRun {
  /** used_memory before the fill and after it. */
  before: number;
  after: number;
  /** The maxmemory set (lifted again before the survivors are read). */
  maxmemory: number;
  /** Keys left once eviction settled. */
  survivors: Set<string>;
  /** evicted_keys moved by this much. */
  evicted: number;
}

/**
 * On a flushed server: set `policy` (and `samples`), run `fill` (which writes
 * `keyCount` keys and may read some), then set maxmemory so that about `keep`
 * of the fill fits, let eviction settle, and report what is left.
 */
export async function fillAndLimit(
  client: Redis,
  options: { policy: string; keyCount: number; keep: number; samples?: number },
  fill: (client: Redis) => Promise<void>,
): Promise<LimitRun> {
  await client.config("SET", "maxmemory", "0");
  await client.flushall();
  await client.config("SET", "maxmemory-policy", options.policy);
  await client.config("SET", "maxmemory-samples", String(options.samples ?? 5));
  const evictedBefore = await infoNumber(client, "evicted_keys");
  const before = await infoNumber(client, "used_memory");
  await fill(client);
  const after = await infoNumber(client, "used_memory");
  const maxmemory = Math.floor(before + (after - before) * options.keep);
  await client.config("SET", "maxmemory", String(maxmemory));
  // Any command runs eviction first; give a time-limited round a few more turns.
  for (let i = 0; i < 50; i++) {
    await client.ping();
    if ((await infoNumber(client, "used_memory")) <= maxmemory) break;
  }
  // Lift the limit before reading: a big reply counts as used memory and would evict more.
  await client.config("SET", "maxmemory", "0");
  const evicted = (await infoNumber(client, "evicted_keys")) - evictedBefore;
  const survivors = new Set(await client.keys("*"));
  return { before, after, maxmemory, survivors, evicted };
}

/** Write `count` keys named `${prefix}${i}` with `size`-byte values in one pipeline, each with `ttl` seconds if given. */
export async function writeKeys(
  client: Redis,
  prefix: string,
  count: number,
  size: number,
  ttl?: (i: number) => number,
): Promise<void> {
  const pipeline = client.pipeline();
  for (let i = 0; i < count; i++) {
    const value = `${prefix}${i}:`.padEnd(size, "x");
    if (ttl === undefined) pipeline.set(`${prefix}${i}`, value);
    else pipeline.set(`${prefix}${i}`, value, "EX", ttl(i));
  }
  await pipeline.exec();
}

/** Count the members of `keys` with the prefix. */
export function countPrefix(keys: Set<string>, prefix: string): number {
  let count = 0;
  for (const key of keys) if (key.startsWith(prefix)) count++;
  return count;
}
