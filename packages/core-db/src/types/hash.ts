/*
 * Placeholder for the hash type; the full implementation replaces this file.
 */

/** A hash value. */
export class RedisHash {
  readonly type = "hash" as const;

  /** OBJECT ENCODING name. */
  get encoding(): string {
    return "unknown";
  }
}
