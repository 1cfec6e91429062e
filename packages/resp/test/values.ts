/*
 * Test support: exact equality of decoded values (types, classes, bytes, and
 * Object.is for numbers so that NaN equals NaN and -0 differs from 0), and
 * fast-check arbitraries for every RESP type in its canonical decoded form.
 */

import fc from "fast-check";
import {
  RespAttributed,
  RespBigNumber,
  RespDouble,
  RespError,
  RespMap,
  RespPush,
  RespSet,
  type RespValue,
  RespVerbatim,
} from "../src/index.js";

/** True when two decoded values are the same value of the same type. */
export function sameValue(a: RespValue, b: RespValue): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== "object" || typeof b !== "object") return typeof a === typeof b && Object.is(a, b);
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b))
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && sameList(a, b);
  }
  if (a.constructor !== b.constructor) return false;
  if (a instanceof RespError) {
    const other = b as RespError;
    return a.message === other.message && a.blob === other.blob;
  }
  if (a instanceof RespMap) return samePairs(a, b as RespMap);
  if (a instanceof RespSet || a instanceof RespPush)
    return sameList(a.items, (b as RespSet | RespPush).items);
  if (a instanceof RespDouble) return Object.is(a.value, (b as RespDouble).value);
  if (a instanceof RespBigNumber) return a.value === (b as RespBigNumber).value;
  if (a instanceof RespVerbatim) {
    const other = b as RespVerbatim;
    return a.format === other.format && a.data.equals(other.data);
  }
  if (a instanceof RespAttributed) {
    const other = b as RespAttributed;
    return samePairs(a.attributes, other.attributes) && sameValue(a.value, other.value);
  }
  return false;
}

function sameList(a: readonly RespValue[], b: readonly RespValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i]!, b[i]!)) return false;
  return true;
}

function samePairs(a: RespMap, b: RespMap): boolean {
  if (a.size !== b.size) return false;
  for (let i = 0; i < a.size; i++) {
    const [ka, va] = a.entries[i]!;
    const [kb, vb] = b.entries[i]!;
    if (!sameValue(ka, kb) || !sameValue(va, vb)) return false;
  }
  return true;
}

// ------------------------------------------------------------------ arbitraries

/** Latin1 text: any byte but CR and LF. */
export const lineText = fc
  .array(
    fc.integer({ min: 0, max: 255 }).filter((b) => b !== 13 && b !== 10),
    { maxLength: 40 },
  )
  .map((codes) => String.fromCharCode(...codes));

/** Any latin1 text (CR and LF included). */
export const anyText = fc
  .array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 })
  .map((codes) => String.fromCharCode(...codes));

export const bytes = fc.uint8Array({ maxLength: 64 }).map((array) => Buffer.from(array));

/** Signed 64-bit integers in canonical decoded form: number when safe, else bigint. */
export const integer = fc
  .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
  .map((big) =>
    big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big,
  );

/** Small and boundary integers too, where the fast paths live. */
export const anyInteger = fc.oneof(
  integer,
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(
    0,
    -1,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    2n ** 63n - 1n,
    -(2n ** 63n),
    BigInt(Number.MAX_SAFE_INTEGER) + 1n,
  ),
);

export const simpleString = lineText;
export const simpleError = lineText.map((text) => new RespError(text, false));
export const blobError = anyText.map((text) => new RespError(text, true));
export const double = fc
  .oneof(
    fc.double(),
    fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, -0, 1.1, 1e20),
  )
  .map((value) => new RespDouble(value));
export const bigNumber = fc
  .bigInt({ min: -(10n ** 60n), max: 10n ** 60n })
  .map((value) => new RespBigNumber(value));
export const verbatim = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 3 }), bytes)
  .map(([format, data]) => new RespVerbatim(String.fromCharCode(...format), data));

/** A scalar of any type. */
export const scalar: fc.Arbitrary<RespValue> = fc.oneof(
  simpleString,
  bytes,
  anyInteger,
  fc.constant(null),
  fc.boolean(),
  simpleError,
  blobError,
  double,
  bigNumber,
  verbatim,
);

/** Any value, aggregates nested a few levels deep. */
export const { value: anyValue } = fc.letrec<{ value: RespValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 3 }).map((pairs) => new RespMap(pairs)),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => new RespSet(items)),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => new RespPush(items)),
    fc
      .tuple(fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 2 }), tie("value"))
      .map(([pairs, value]) => new RespAttributed(new RespMap(pairs), value)),
  ),
}));
