/*
 * The packed listpack of small sorted sets: the entry encoding at every score tag
 * and member-length boundary, and RedisZSet against a plain sorted-array model
 * through random operation sequences that cross the conversion thresholds, with
 * binary and long members, -0, infinities and doubles no float32 holds.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EncodingLimits } from "../limits.js";
import { freshBytes, sealBytes } from "./byte-string.js";
import {
  entryMemberEnd,
  entryMemberStart,
  entryNext,
  entryScore,
  entrySize,
  readEntry,
  writeEntry,
} from "./packed-zset.js";
import { compareEntries, RedisZSet, type ScoreRange, ZAddOutcome, ZSetEntry } from "./zset.js";

const SCORES = [
  0,
  1,
  127,
  128,
  -1,
  -128,
  255,
  32767,
  32768,
  -32768,
  -32769,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 62,
  -(2 ** 62),
  2 ** 63,
  1.5,
  -2.25,
  0.1,
  1 / 3,
  1e300,
  -1e-300,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  Infinity,
  -Infinity,
];

const MEMBER_LENGTHS = [0, 1, 12, 13, 127, 128, 129, 300, 16383, 16384, 20000];

/** A member of `length` bytes covering every byte value. */
function binaryMember(length: number, seed: number): string {
  let member = "";
  for (let i = 0; i < length; i++) member += String.fromCharCode((i * 31 + seed) & 0xff);
  return member;
}

describe("packed listpack entries", () => {
  it("read back every score and member length exactly, -0 as 0", () => {
    for (const length of MEMBER_LENGTHS) {
      const entries: [string, number][] = [];
      for (const score of [...SCORES, -0]) entries.push([binaryMember(length, entries.length), score]);
      let size = 0;
      for (const [member, score] of entries) size += entrySize(member, score);
      const buffer = freshBytes(size);
      let offset = 0;
      for (const [member, score] of entries) offset = writeEntry(buffer, offset, member, score);
      expect(offset).toBe(size);
      const packed = sealBytes(size);
      offset = 0;
      for (const [member, score] of entries) {
        readEntry(packed, offset);
        expect(packed.slice(entryMemberStart, entryMemberEnd)).toBe(member);
        expect(Object.is(entryScore, score === 0 ? 0 : score)).toBe(true);
        offset = entryNext;
      }
      expect(offset).toBe(packed.length);
    }
  });

  it("take one byte for a score of 0..127 and nine for a double no float32 holds", () => {
    expect(entrySize("m", 5)).toBe(1 + 1 + 1);
    expect(entrySize("m", 1000)).toBe(1 + 1 + 3);
    expect(entrySize("m", 100000)).toBe(1 + 1 + 5);
    expect(entrySize("m", 1.5)).toBe(1 + 1 + 5);
    expect(entrySize("m", 0.1)).toBe(1 + 1 + 9);
    expect(entrySize(binaryMember(200, 0), 0)).toBe(2 + 200 + 1);
  });
});

// ---------------------------------------------------------------- against a model

type Pair = [member: string, score: number];

const memberArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom("", "a", "ab", "b", "\u0000", "\u00ff", "a\u0000", "member:1", "member:10"),
  },
  {
    weight: 3,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)),
      maxLength: 20,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...MEMBER_LENGTHS.slice(0, 8)).map((n) => binaryMember(n, n)) },
);
const scoreArb = fc.oneof(
  // Equal scores often, so that members order ties (prefixes, binary bytes).
  { weight: 3, arbitrary: fc.constantFrom(0, 1) },
  { weight: 2, arbitrary: fc.constantFrom(...SCORES, -0) },
  { weight: 2, arbitrary: fc.integer({ min: -300, max: 300 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
);

type Operation =
  | { kind: "add"; member: string; score: number }
  | { kind: "remove"; member: string }
  | { kind: "removeRanks"; start: number; end: number }
  | { kind: "removeScores"; min: number; max: number };

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant("add" as const), member: memberArb, score: scoreArb }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("remove" as const), member: memberArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("removeRanks" as const),
      start: fc.integer({ min: -1, max: 20 }),
      end: fc.integer({ min: -1, max: 20 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("removeScores" as const), min: scoreArb, max: scoreArb }),
  },
);

const range = (a: number, b: number): ScoreRange => ({
  min: Math.min(a, b),
  max: Math.max(a, b),
  minExclusive: false,
  maxExclusive: false,
});

function sortModel(model: Pair[]): void {
  model.sort((x, y) => compareEntries(x[1], x[0], y[1], y[0]));
}

describe("RedisZSet listpack against a sorted-array model", () => {
  it("agrees through adds, updates, removals and conversions", () => {
    fc.assert(
      fc.property(
        fc.array(operationArb, { maxLength: 100 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 300 }),
        (operations, maxEntries, maxValue) => {
          const limits = new EncodingLimits();
          limits.zsetMaxListpackEntries = maxEntries;
          limits.zsetMaxListpackValue = maxValue;
          const zset = new RedisZSet();
          const outcome = new ZAddOutcome();
          let model: Pair[] = [];
          let listpack = true;
          for (const op of operations) {
            if (op.kind === "add") {
              const at = model.findIndex(([member]) => member === op.member);
              if (at === -1 && (model.length + 1 > maxEntries || op.member.length > maxValue))
                listpack = false;
              // A listpack stores -0 as 0.
              const stored = listpack && op.score === 0 ? 0 : op.score;
              if (at === -1) model.push([op.member, stored]);
              else if (op.score !== model[at]![1]) model[at]![1] = stored;
              sortModel(model);
              zset.add(op.member, op.score, 0, limits, outcome);
            } else if (op.kind === "remove") {
              const at = model.findIndex(([member]) => member === op.member);
              if (at !== -1) model.splice(at, 1);
              expect(zset.remove(op.member)).toBe(at !== -1);
            } else if (op.kind === "removeRanks") {
              const start = Math.max(0, op.start);
              const end = Math.min(model.length - 1, op.end);
              const removed = start <= end ? end - start + 1 : 0;
              model.splice(start, removed);
              expect(zset.removeRankRange(op.start, op.end)).toBe(removed);
            } else {
              const scores = range(op.min, op.max);
              const kept = model.filter(([, score]) => score < scores.min || score > scores.max);
              expect(zset.removeScoreRange(scores)).toBe(model.length - kept.length);
              model = kept;
            }
            expect(zset.encoding).toBe(listpack ? "listpack" : "skiplist");
            expect(zset.length).toBe(model.length);
          }
          // Every read path, in both directions and from every rank.
          const forward: Pair[] = [];
          for (const cursor = zset.cursor(0, false); cursor.next(); )
            forward.push([cursor.member, cursor.score]);
          expect(forward).toEqual(model);
          for (let rank = 0; rank < model.length; rank++) {
            const down = zset.cursor(rank, true);
            const seen: Pair[] = [];
            while (down.next()) seen.push([down.member, down.score]);
            expect(seen).toEqual(model.slice(0, rank + 1).reverse());
            const [member, score] = model[rank]!;
            expect(zset.rank(member)).toBe(rank);
            expect(Object.is(zset.score(member), score)).toBe(true);
            expect(zset.has(member)).toBe(true);
          }
          const members: string[] = [];
          const texts: string[] = [];
          let cursor = 0;
          let guard = 0;
          do cursor = zset.scan(cursor, 10, String, members, texts);
          while (cursor !== 0 && ++guard < 1000);
          expect(new Set(members)).toEqual(new Set(model.map(([member]) => member)));
          if (model.length > 0) {
            const entry = new ZSetEntry();
            zset.randomEntry(entry);
            expect(Object.is(zset.score(entry.member), entry.score)).toBe(true);
          }
          const copy = zset.clone();
          zset.add("\u0001fresh", 1, 0, limits, outcome);
          const copied: Pair[] = [];
          for (const c = copy.cursor(0, false); c.next(); ) copied.push([c.member, c.score]);
          expect(copied).toEqual(model);
          // Rebuilt from its pairs (ZUNIONSTORE and friends), and converted: the same contents.
          const rebuilt = RedisZSet.fromEntries(
            model.map(([member]) => member),
            model.map(([, score]) => score),
            limits,
          );
          // Small enough, it is built as a listpack, which stores -0 as 0 (a model
          // that became a skiplist earlier keeps -0).
          const rebuiltPacked = rebuilt.encoding === "listpack";
          rebuilt.convertToSkiplist();
          const after: Pair[] = [];
          for (const c = rebuilt.cursor(0, false); c.next(); ) after.push([c.member, c.score]);
          expect(after).toEqual(
            rebuiltPacked ? model.map(([member, score]): Pair => [member, score === 0 ? 0 : score]) : model,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it("keeps memoryUsage to the packed bytes", () => {
    const limits = new EncodingLimits();
    const outcome = new ZAddOutcome();
    const zset = new RedisZSet();
    const empty = zset.memoryUsage();
    // Ten entries of a 8-byte member and a one-byte score: 10 bytes each.
    for (let i = 0; i < 10; i++) zset.add(`member:${i}`, i, 0, limits, outcome);
    expect(zset.memoryUsage() - empty).toBe(104);
    zset.remove("member:0");
    expect(zset.memoryUsage() - empty).toBe(96);
  });
});
