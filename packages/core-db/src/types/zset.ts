/*
 * Placeholder for the zset type; the full implementation replaces this file.
 */

/** A zset value. */
export class RedisZSet {
  readonly type = "zset" as const;

  /** OBJECT ENCODING name. */
  get encoding(): string {
    return "unknown";
  }
}
