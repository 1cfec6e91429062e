/*
 * Placeholder for the list type; the full implementation replaces this file.
 */

/** A list value. */
export class RedisList {
  readonly type = "list" as const;

  /** OBJECT ENCODING name. */
  get encoding(): string {
    return "unknown";
  }
}
