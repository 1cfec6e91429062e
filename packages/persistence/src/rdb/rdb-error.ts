/*
 * The error every RDB and DUMP decoding failure raises: where (byte offset from
 * the start of the file or payload) and why, so that start-up, check tools and
 * RESTORE can say what is wrong.
 */

/** A decoding failure at a known offset. */
export class RdbError extends Error {
  readonly offset: number;
  readonly reason: string;

  constructor(offset: number, reason: string) {
    super(`RDB error at offset ${offset}: ${reason}`);
    this.name = "RdbError";
    this.offset = offset;
    this.reason = reason;
  }
}
