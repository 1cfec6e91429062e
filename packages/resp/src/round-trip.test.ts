/*
 * encodeValue() then ReplyDecoder gives back the same value, for every RESP2 and
 * RESP3 type, and re-encoding the decoded value gives the same bytes.
 */

import fc from "fast-check";
import { describe, it } from "vitest";
import {
  anyInteger,
  anyValue,
  bigNumber,
  blobError,
  bytes,
  double,
  sameValue,
  scalar,
  simpleError,
  simpleString,
  verbatim,
} from "../test/values.js";
import {
  encodeValue,
  ReplyDecoder,
  RespAttributed,
  RespMap,
  RespPush,
  RespSet,
  type RespValue,
} from "./index.js";

const decoder = new ReplyDecoder();

/** Encode, decode with a long-lived decoder, compare; and re-encode to the same bytes. */
function roundTrips(value: RespValue): boolean {
  const encoded = encodeValue(value);
  decoder.feed(encoded);
  const decoded = decoder.next();
  if (decoded === undefined || decoder.next() !== undefined || !decoder.isIdle) return false;
  return sameValue(decoded, value) && encodeValue(decoded).equals(encoded);
}

const runs = { numRuns: 10_000 };

/** Aggregates hold scalars mostly, and now and then a nested aggregate. */
const element = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: anyValue });
const pairs = fc.array(fc.tuple(element, element), { maxLength: 4 });

const types: Record<string, fc.Arbitrary<RespValue>> = {
  "simple string": simpleString,
  "simple error": simpleError,
  "blob error": blobError,
  integer: anyInteger,
  "bulk string": bytes,
  null: fc.constant(null),
  boolean: fc.boolean(),
  double,
  "big number": bigNumber,
  "verbatim string": verbatim,
  array: fc.array(element, { maxLength: 5 }),
  map: pairs.map((entries) => new RespMap(entries)),
  set: fc.array(element, { maxLength: 5 }).map((items) => new RespSet(items)),
  push: fc.array(element, { maxLength: 5 }).map((items) => new RespPush(items)),
  attribute: fc
    .tuple(pairs, element)
    .map(([entries, value]) => new RespAttributed(new RespMap(entries), value)),
};

describe("encode -> decode round trip, 10,000 runs per type", () => {
  for (const [name, arbitrary] of Object.entries(types)) {
    it(name, () => {
      fc.assert(fc.property(arbitrary, roundTrips), runs);
    }, 60_000);
  }
});
