/*
 * The packed intset against a plain model: random operation sequences on a
 * RedisSet (members around every width boundary, int64 extremes, non-integers
 * that force the hashtable, a small set-max-intset-entries) checked after every
 * step against a JS Set, with the intset's order checked against BigInt order.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EncodingLimits } from "../limits.js";
import { intsetAdd, intsetIndexOf, intsetMemberAt, packIntset } from "./packed-intset.js";
import { RedisSet } from "./set.js";

const BOUNDARIES = [
  0n,
  1n,
  -1n,
  127n,
  128n,
  255n,
  256n,
  32767n,
  32768n,
  -32768n,
  -32769n,
  65535n,
  65536n,
  2n ** 31n - 1n,
  2n ** 31n,
  -(2n ** 31n),
  -(2n ** 31n) - 1n,
  2n ** 32n - 1n,
  2n ** 32n,
  -(2n ** 32n),
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 53n + 1n,
  -(2n ** 53n) - 1n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  2n ** 63n - 2n,
  -(2n ** 63n) + 1n,
  999999999999999n,
  1000000000000000n,
  -999999999999999n,
  -1000000000000000n,
];

/** A member: mostly integers near the width boundaries, sometimes a non-integer. */
const memberArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...BOUNDARIES).map((value) => value.toString()) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...BOUNDARIES), fc.integer({ min: -3, max: 3 }))
      .map(([base, delta]) => base + BigInt(delta))
      .filter((value) => value >= -(2n ** 63n) && value < 2n ** 63n)
      .map((value) => value.toString()),
  },
  { weight: 4, arbitrary: fc.integer({ min: -40, max: 40 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("-0", "01", "+1", "9223372036854775808", "a", "1.5", "\u00ff\u0000"),
  },
);

type Operation = { kind: "add" | "remove" | "has"; member: string } | { kind: "pop" };

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 6, arbitrary: memberArb.map((member) => ({ kind: "add" as const, member })) },
  { weight: 3, arbitrary: memberArb.map((member) => ({ kind: "remove" as const, member })) },
  { weight: 2, arbitrary: memberArb.map((member) => ({ kind: "has" as const, member })) },
  { weight: 1, arbitrary: fc.constant({ kind: "pop" as const }) },
);

function numericOrder(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

describe("packed intset", () => {
  it("keeps any integer set sorted at the smallest width", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          memberArb.filter(
            (m) => /^(0|-?[1-9][0-9]*)$/.test(m) && BigInt(m) >= -(2n ** 63n) && BigInt(m) < 2n ** 63n,
          ),
        ),
        (members) => {
          const packed = packIntset(members);
          const expected = members.slice().sort(numericOrder);
          const fits = (bits: bigint) =>
            members.every((m) => BigInt(m) >= -(2n ** (bits - 1n)) && BigInt(m) < 2n ** (bits - 1n));
          expect(packed.width).toBe(fits(16n) ? 2 : fits(32n) ? 4 : 8);
          expect(packed.bytes.length).toBe(members.length * packed.width);
          for (let i = 0; i < expected.length; i++) {
            expect(intsetMemberAt(packed.bytes, packed.width, i)).toBe(expected[i]);
            expect(intsetIndexOf(packed.bytes, packed.width, expected[i]!)).toBe(i);
          }
          // Added one by one (upgrades included), the same bytes.
          let added = { bytes: "", width: 2 as 2 | 4 | 8 };
          for (const member of members) added = intsetAdd(added.bytes, added.width, member) ?? added;
          expect(added).toEqual(packed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a RedisSet behaves as a JS Set through random operations and conversions", () => {
    fc.assert(
      fc.property(
        fc.array(operationArb, { maxLength: 120 }),
        fc.integer({ min: 1, max: 24 }),
        (operations, maxIntset) => {
          const limits = new EncodingLimits();
          limits.setMaxIntsetEntries = maxIntset;
          const set = new RedisSet();
          const model = new Set<string>();
          let hashtable = false;
          for (const operation of operations) {
            switch (operation.kind) {
              case "add": {
                expect(set.add(operation.member, limits)).toBe(!model.has(operation.member));
                model.add(operation.member);
                if (!/^(0|-?[1-9][0-9]*)$/.test(operation.member) || BigInt(operation.member) >= 2n ** 63n)
                  hashtable = true;
                if (model.size > maxIntset) hashtable = true;
                break;
              }
              case "remove":
                expect(set.remove(operation.member)).toBe(model.delete(operation.member));
                break;
              case "has":
                expect(set.has(operation.member)).toBe(model.has(operation.member));
                break;
              case "pop":
                if (model.size > 0) {
                  const popped = set.popRandom();
                  expect(model.delete(popped)).toBe(true);
                }
                break;
            }
            expect(set.length).toBe(model.size);
            expect(set.encoding).toBe(hashtable ? "hashtable" : "intset");
          }
          const members: string[] = [];
          for (let i = 0; i < set.length; i++) members.push(set.memberAt(i));
          if (!hashtable) expect(members).toEqual([...model].sort(numericOrder));
          else expect(members.slice().sort()).toEqual([...model].sort());
          const scanned: string[] = [];
          let cursor = 0;
          let guard = 0;
          do cursor = set.scan(cursor, 5, scanned);
          while (cursor !== 0 && ++guard < 1000);
          expect(new Set(scanned)).toEqual(model);
          const copy = set.clone();
          expect(copy.encoding).toBe(set.encoding);
          for (const member of model) expect(copy.has(member)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("memoryUsage follows the packed width", () => {
    const limits = new EncodingLimits();
    const small = new RedisSet();
    const wide = new RedisSet();
    for (let i = 0; i < 100; i++) {
      small.add(String(i), limits);
      wide.add(String(2n ** 40n + BigInt(i)), limits);
    }
    // 100 members of 2 bytes against 100 of 8: 600 bytes apart.
    expect(wide.memoryUsage() - small.memoryUsage()).toBe(600);
  });

  it("SPOP with a count rebuilds an intset from the survivors", () => {
    const limits = new EncodingLimits();
    const set = new RedisSet();
    for (let i = 0; i < 600; i++) set.add(String(i * 1_000_003), limits);
    expect(set.encoding).toBe("hashtable");
    const popped: string[] = [];
    set.popRandomMembers(590, limits, popped);
    expect(set.encoding).toBe("intset");
    expect(set.length).toBe(10);
    const survivors: string[] = [];
    for (let i = 0; i < 10; i++) survivors.push(set.memberAt(i));
    expect(survivors).toEqual(survivors.slice().sort(numericOrder));
    expect(new Set([...popped, ...survivors]).size).toBe(600);
  });
});
