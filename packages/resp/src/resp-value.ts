/*
 * Decoded RESP values: what ReplyDecoder produces and encodeValue() renders.
 *
 * The common types are plain JavaScript values; the others are small tagged
 * classes, so that every RESP2 and RESP3 type keeps its identity and a value
 * re-encodes to the same type:
 *
 *   +simple            string (latin1: one char per byte, lossless)
 *   $bulk              Buffer
 *   :integer           number when it is a safe integer, else bigint
 *   $-1, *-1, _        null
 *   *array             RespValue[]
 *   #t / #f            boolean
 *   -error, !blob      RespError
 *   %map               RespMap (ordered key/value pairs, duplicates kept)
 *   ~set               RespSet
 *   >push              RespPush
 *   ,double            RespDouble (inf, -inf and nan included)
 *   (big number        RespBigNumber
 *   =verbatim          RespVerbatim
 *   |attribute         RespAttributed (the attributes and the value they precede)
 */

/** Any decoded RESP value. */
export type RespValue =
  | null
  | string
  | Buffer
  | number
  | bigint
  | boolean
  | RespValue[]
  | RespError
  | RespMap
  | RespSet
  | RespPush
  | RespDouble
  | RespBigNumber
  | RespVerbatim
  | RespAttributed;

/**
 * An error reply, decoded as a value (never thrown): `-ERR syntax error` is
 * `new RespError("ERR syntax error")`. `blob` marks the RESP3 blob error form
 * (`!<len>`), whose text may hold any byte. The text is latin1, like simple strings.
 */
export class RespError {
  readonly message: string;
  readonly blob: boolean;

  constructor(message: string, blob = false) {
    this.message = message;
    this.blob = blob;
  }

  /** The error code: the first word of the message ("ERR", "WRONGTYPE", ...). */
  get code(): string {
    const space = this.message.indexOf(" ");
    return space === -1 ? this.message : this.message.slice(0, space);
  }
}

/**
 * A RESP3 map: its key/value pairs in wire order. Keys are any values (bulk keys
 * are Buffers), so lookups compare content: see get().
 */
export class RespMap {
  readonly entries: [RespValue, RespValue][];

  constructor(entries: [RespValue, RespValue][]) {
    this.entries = entries;
  }

  /** Number of pairs. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * The value of the first pair whose key is the simple string or the bulk string
   * `key` (compared as latin1 bytes), or undefined.
   */
  get(key: string): RespValue | undefined {
    for (const [k, v] of this.entries) {
      if (k === key) return v;
      if (Buffer.isBuffer(k) && k.length === key.length && k.toString("latin1") === key) return v;
    }
    return undefined;
  }
}

/** A RESP3 set: its members in wire order (duplicates kept as sent). */
export class RespSet {
  readonly items: RespValue[];

  constructor(items: RespValue[]) {
    this.items = items;
  }
}

/** A RESP3 push message (pub/sub, client tracking invalidation): its elements. */
export class RespPush {
  readonly items: RespValue[];

  constructor(items: RespValue[]) {
    this.items = items;
  }
}

/** A RESP3 double. `value` may be Infinity, -Infinity or NaN. */
export class RespDouble {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }
}

/** A RESP3 big number. */
export class RespBigNumber {
  readonly value: bigint;

  constructor(value: bigint) {
    this.value = value;
  }
}

/**
 * A RESP3 verbatim string: a three-byte format ("txt", "mkd") and the payload
 * bytes after the `fmt:` prefix.
 */
export class RespVerbatim {
  readonly format: string;
  readonly data: Buffer;

  constructor(format: string, data: Buffer) {
    this.format = format;
    this.data = data;
  }

  /** The payload as UTF-8 text. */
  toString(): string {
    return this.data.toString("utf8");
  }
}

/**
 * A value preceded by RESP3 attributes (`|<n>` and n key/value pairs): the
 * attributes describe `value`, which is what the reply really is.
 */
export class RespAttributed {
  readonly attributes: RespMap;
  readonly value: RespValue;

  constructor(attributes: RespMap, value: RespValue) {
    this.attributes = attributes;
    this.value = value;
  }
}
