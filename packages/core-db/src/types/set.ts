/*
 * Placeholder for the set type; the full implementation replaces this file.
 */

/** A set value. */
export class RedisSet {
  readonly type = "set" as const;

  /** OBJECT ENCODING name. */
  get encoding(): string {
    return "unknown";
  }
}
