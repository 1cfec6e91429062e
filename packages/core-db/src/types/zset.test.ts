import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EncodingLimits } from "../limits.js";
import {
  compareEntries,
  LexBoundKind,
  type LexRange,
  lexGteMin,
  lexLteMax,
  RedisZSet,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
  ZAddFlag,
  ZAddOutcome,
  ZAddResult,
  ZSetEntry,
} from "./zset.js";

type Pair = [member: string, score: number];

/** Everything in the set, ascending, through a cursor. */
function contents(zset: RedisZSet): Pair[] {
  const out: Pair[] = [];
  const cursor = zset.cursor(0, false);
  while (cursor.next()) out.push([cursor.member, cursor.score]);
  return out;
}

/** Everything in the set, descending, through a reverse cursor. */
function reverseContents(zset: RedisZSet): Pair[] {
  const out: Pair[] = [];
  const cursor = zset.cursor(zset.length - 1, true);
  while (cursor.next()) out.push([cursor.member, cursor.score]);
  return out;
}

function limits(entries = 128, value = 64): EncodingLimits {
  const result = new EncodingLimits();
  result.zsetMaxListpackEntries = entries;
  result.zsetMaxListpackValue = value;
  return result;
}

function add(zset: RedisZSet, member: string, score: number, flags = 0, at = limits()): ZAddOutcome {
  const outcome = new ZAddOutcome();
  zset.add(member, score, flags, at, outcome);
  return outcome;
}

const scoreRange = (min: number, max: number, minExclusive = false, maxExclusive = false): ScoreRange => ({
  min,
  max,
  minExclusive,
  maxExclusive,
});

describe("RedisZSet", () => {
  it("starts as an empty listpack", () => {
    const zset = new RedisZSet();
    expect(zset.type).toBe("zset");
    expect(zset.encoding).toBe("listpack");
    expect(zset.length).toBe(0);
    expect(zset.score("a")).toBeUndefined();
    expect(zset.rank("a")).toBe(-1);
    expect(contents(zset)).toEqual([]);
  });

  it("orders by score, then by member bytes", () => {
    for (const encodingLimits of [limits(), limits(0)]) {
      const zset = new RedisZSet();
      for (const [member, score] of [
        ["b", 1],
        ["a", 1],
        ["\u00ff", 1],
        ["a\u0000", 1],
        ["z", 0],
        ["inf", Infinity],
        ["minf", -Infinity],
      ] as Pair[]) {
        add(zset, member, score, 0, encodingLimits);
      }
      expect(contents(zset)).toEqual([
        ["minf", -Infinity],
        ["z", 0],
        ["a", 1],
        ["a\u0000", 1],
        ["b", 1],
        ["\u00ff", 1],
        ["inf", Infinity],
      ]);
      expect(reverseContents(zset)).toEqual(contents(zset).reverse());
    }
  });

  it("reports added, updated, unchanged and skipped members like zsetAdd", () => {
    const zset = new RedisZSet();
    expect(add(zset, "a", 1).result).toBe(ZAddResult.Added);
    expect(add(zset, "a", 1).result).toBe(ZAddResult.None);
    expect(add(zset, "a", 2).result).toBe(ZAddResult.Updated);
    expect(add(zset, "a", 5, ZAddFlag.NX).result).toBe(ZAddResult.Nop);
    expect(add(zset, "b", 5, ZAddFlag.XX).result).toBe(ZAddResult.Nop);
    expect(zset.has("b")).toBe(false);
    expect(add(zset, "a", 1, ZAddFlag.GT).result).toBe(ZAddResult.Nop);
    expect(add(zset, "a", 2, ZAddFlag.GT).result).toBe(ZAddResult.Nop);
    expect(add(zset, "a", 3, ZAddFlag.GT).result).toBe(ZAddResult.Updated);
    expect(add(zset, "a", 4, ZAddFlag.LT).result).toBe(ZAddResult.Nop);
    // GT / LT never prevent adding a new member.
    expect(add(zset, "c", 7, ZAddFlag.LT).result).toBe(ZAddResult.Added);
    const incremented = add(zset, "a", 2.5, ZAddFlag.Incr);
    expect(incremented.result).toBe(ZAddResult.Updated);
    expect(incremented.score).toBe(5.5);
    expect(add(zset, "n", 4, ZAddFlag.Incr).score).toBe(4);
    expect(contents(zset)).toEqual([
      ["n", 4],
      ["a", 5.5],
      ["c", 7],
    ]);
  });

  it("refuses an increment that produces NaN and keeps the old score", () => {
    const zset = new RedisZSet();
    add(zset, "a", Infinity);
    const outcome = add(zset, "a", -Infinity, ZAddFlag.Incr);
    expect(outcome.result).toBe(ZAddResult.NaN);
    expect(zset.score("a")).toBe(Infinity);
  });

  it("keeps -0 in a skiplist but stores it as 0 in a listpack, as Redis does", () => {
    const small = new RedisZSet();
    const outcome = add(small, "a", -0);
    expect(Object.is(outcome.score, -0)).toBe(true); // ZADD INCR would reply -0
    expect(Object.is(small.score("a"), 0)).toBe(true);
    const large = new RedisZSet();
    add(large, "a", -0, 0, limits(0));
    expect(large.encoding).toBe("skiplist");
    expect(Object.is(large.score("a"), -0)).toBe(true);
    // -0 and 0 are the same score: no update.
    expect(add(large, "a", 0).result).toBe(ZAddResult.None);
  });

  it("converts to a skiplist past zset-max-listpack-entries, one way", () => {
    const at = limits(3, 64);
    const zset = new RedisZSet();
    for (const member of ["a", "b", "c"]) add(zset, member, 1, 0, at);
    expect(zset.encoding).toBe("listpack");
    add(zset, "a", 2, 0, at); // updating never converts
    expect(zset.encoding).toBe("listpack");
    add(zset, "d", 1, ZAddFlag.XX, at); // skipped insertions never convert
    expect(zset.encoding).toBe("listpack");
    add(zset, "d", 1, 0, at);
    expect(zset.encoding).toBe("skiplist");
    expect(contents(zset)).toEqual([
      ["b", 1],
      ["c", 1],
      ["d", 1],
      ["a", 2],
    ]);
    zset.remove("a");
    zset.remove("b");
    expect(zset.encoding).toBe("skiplist");
  });

  it("converts to a skiplist for a member longer than zset-max-listpack-value", () => {
    const at = limits(128, 4);
    const zset = new RedisZSet();
    add(zset, "abcd", 1, 0, at);
    expect(zset.encoding).toBe("listpack");
    add(zset, "abcde", 1, 0, at);
    expect(zset.encoding).toBe("skiplist");
    expect(zset.rank("abcde")).toBe(1);
  });

  it("builds stored results in the encoding Redis picks", () => {
    const at = limits(2, 3);
    expect(RedisZSet.fromEntries(["b", "a"], [2, 1], at).encoding).toBe("listpack");
    expect(RedisZSet.fromEntries(["b", "a", "c"], [2, 1, 0], at).encoding).toBe("skiplist");
    expect(RedisZSet.fromEntries(["long"], [2], at).encoding).toBe("skiplist");
    const built = RedisZSet.fromEntries(["b", "a", "c"], [2, 1, 0], at);
    expect(contents(built)).toEqual([
      ["c", 0],
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("removes rank ranges in both encodings, clamping to the set", () => {
    for (const at of [limits(), limits(0)]) {
      const zset = new RedisZSet();
      for (let i = 0; i < 10; i++) add(zset, `m${i}`, i, 0, at);
      expect(zset.removeRankRange(-5, 1)).toBe(2);
      expect(zset.removeRankRange(6, 100)).toBe(2);
      expect(zset.removeRankRange(3, 2)).toBe(0);
      expect(contents(zset).map(([member]) => member)).toEqual(["m2", "m3", "m4", "m5", "m6", "m7"]);
      expect(zset.score("m0")).toBeUndefined();
      expect(zset.rank("m7")).toBe(5);
    }
  });

  it("removes score and lex ranges as Redis walks each encoding", () => {
    for (const at of [limits(), limits(0)]) {
      const zset = new RedisZSet();
      for (let i = 1; i <= 6; i++) add(zset, `m${i}`, i, 0, at);
      expect(zset.removeScoreRange(scoreRange(2, 4, true, false))).toBe(2);
      expect(zset.removeScoreRange(scoreRange(10, 20))).toBe(0);
      expect(contents(zset).map(([member]) => member)).toEqual(["m1", "m2", "m5", "m6"]);
    }
    // Members out of lex order (mixed scores): a listpack checks both ends first
    // and removes nothing here. (A skiplist walks from the first member its
    // traversal finds not below the minimum; which one that is depends on the
    // random node levels, in Redis too, so it is not pinned down here.)
    const lex: LexRange = {
      minKind: LexBoundKind.Value,
      min: "c",
      minExclusive: false,
      maxKind: LexBoundKind.Value,
      max: "c",
      maxExclusive: false,
    };
    const small = new RedisZSet();
    for (const [member, score] of [
      ["a", 0],
      ["c", 1],
      ["b", 2],
    ] as Pair[]) {
      add(small, member, score);
    }
    expect(small.removeLexRange(lex)).toBe(0);
    // In lex order, both encodings remove the same run.
    for (const at of [limits(), limits(0)]) {
      const flat = new RedisZSet();
      for (const member of ["a", "b", "c", "d"]) add(flat, member, 0, 0, at);
      expect(flat.removeLexRange({ ...lex, min: "b", max: "c" })).toBe(2);
      expect(contents(flat).map(([member]) => member)).toEqual(["a", "d"]);
    }
  });

  it("answers score and lex range questions", () => {
    for (const at of [limits(), limits(0)]) {
      const zset = new RedisZSet();
      for (let i = 1; i <= 5; i++) add(zset, `m${i}`, i, 0, at);
      expect(zset.firstInScoreRange(scoreRange(2, 4))).toBe(1);
      expect(zset.lastInScoreRange(scoreRange(2, 4))).toBe(3);
      expect(zset.countInScoreRange(scoreRange(2, 4, true, false))).toBe(2);
      expect(zset.countInScoreRange(scoreRange(-Infinity, Infinity))).toBe(5);
      expect(zset.countInScoreRange(scoreRange(6, Infinity))).toBe(0);
      expect(zset.firstInScoreRange(scoreRange(3, 3, true, false))).toBe(-1);
      const walk = (cursor: ReturnType<RedisZSet["scoreRangeCursor"]>) => {
        const out: string[] = [];
        while (cursor.next()) out.push(cursor.member);
        return out;
      };
      // Range cursors start at the first (last) element in range and walk to the end.
      expect(walk(zset.scoreRangeCursor(scoreRange(2, 4, true, false), false))).toEqual(["m3", "m4", "m5"]);
      expect(walk(zset.scoreRangeCursor(scoreRange(2, 4), true))).toEqual(["m4", "m3", "m2", "m1"]);
      expect(walk(zset.scoreRangeCursor(scoreRange(6, 9), false))).toEqual([]);

      const flat = new RedisZSet();
      for (const member of ["a", "b", "c", "d"]) add(flat, member, 0, 0, at);
      const lex: LexRange = {
        minKind: LexBoundKind.Value,
        min: "b",
        minExclusive: false,
        maxKind: LexBoundKind.PositiveInfinity,
        max: "",
        maxExclusive: true,
      };
      expect(flat.firstInLexRange(lex)).toBe(1);
      expect(flat.lastInLexRange(lex)).toBe(3);
      expect(flat.countInLexRange(lex)).toBe(3);
      const members: string[] = [];
      const cursor = flat.lexRangeCursor(lex, true);
      while (cursor.next()) members.push(cursor.member);
      expect(members).toEqual(["d", "c", "b", "a"]);
    }
  });

  it("scans a listpack in one step with its stored score texts", () => {
    const zset = new RedisZSet();
    add(zset, "a", 1.5);
    add(zset, "b", 2 ** 62);
    add(zset, "c", 2 ** 62 + 1024);
    add(zset, "d", 1e17);
    const members: string[] = [];
    const texts: string[] = [];
    expect(zset.scan(0, 10, (score) => `g${score}`, members, texts)).toBe(0);
    expect(members).toEqual(["a", "d", "b", "c"]);
    expect(texts).toEqual(["g1.5", "100000000000000000", "4611686018427387904", `g${2 ** 62 + 1024}`]);
  });

  it("scans a skiplist with a cursor that returns every member", () => {
    const zset = new RedisZSet();
    for (let i = 0; i < 100; i++) add(zset, `m${i}`, i, 0, limits(0));
    const seen = new Set<string>();
    let cursor = 0;
    let steps = 0;
    do {
      const members: string[] = [];
      const texts: string[] = [];
      cursor = zset.scan(cursor, 7, String, members, texts);
      members.forEach((member, i) => {
        expect(texts[i]).toBe(String(zset.score(member)));
        seen.add(member);
      });
      // Removing members already returned must not hide the others.
      if (members.length > 0) zset.remove(members[0]!);
      steps++;
    } while (cursor !== 0);
    expect(steps).toBeGreaterThan(10);
    expect(seen.size).toBe(100);
  });

  it("picks random entries that are members", () => {
    for (const at of [limits(), limits(0)]) {
      const zset = new RedisZSet();
      for (let i = 0; i < 20; i++) add(zset, `m${i}`, i, 0, at);
      const entry = new ZSetEntry();
      for (let i = 0; i < 50; i++) {
        zset.randomEntry(entry);
        expect(zset.score(entry.member)).toBe(entry.score);
      }
    }
  });

  it("clones into an independent set with the same encoding", () => {
    for (const at of [limits(), limits(0)]) {
      const zset = new RedisZSet();
      for (let i = 0; i < 5; i++) add(zset, `m${i}`, i, 0, at);
      const copy = zset.clone();
      expect(copy.encoding).toBe(zset.encoding);
      expect(contents(copy)).toEqual(contents(zset));
      add(copy, "extra", 9, 0, at);
      copy.remove("m0");
      expect(zset.length).toBe(5);
      expect(zset.has("m0")).toBe(true);
      expect(zset.has("extra")).toBe(false);
    }
  });
});

// ---------------------------------------------------------------- model-based property test

/** The model: a plain array kept sorted by (score, member). */
class SortedArrayModel {
  items: Pair[] = [];

  sort(): void {
    this.items.sort((a, b) => compareEntries(a[1], a[0], b[1], b[0]));
  }

  index(member: string): number {
    return this.items.findIndex(([m]) => m === member);
  }
}

type Operation =
  | { kind: "add"; member: string; score: number; flags: number }
  | { kind: "remove"; member: string }
  | { kind: "removeRange"; start: number; end: number };

const memberArb = fc.oneof(
  fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h", "\u0000", "\u00ff", "a\u0000"),
  fc.string({
    unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)),
    maxLength: 8,
  }),
);
const scoreArb = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(Infinity, -Infinity, 0.5, 1e17),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
);
const flagsArb = fc.constantFrom(
  ZAddFlag.None,
  ZAddFlag.NX,
  ZAddFlag.XX,
  ZAddFlag.GT,
  ZAddFlag.LT,
  ZAddFlag.Incr,
  ZAddFlag.Incr | ZAddFlag.XX,
  ZAddFlag.GT | ZAddFlag.XX,
);
const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      member: memberArb,
      score: scoreArb,
      flags: flagsArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), member: memberArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("removeRange" as const),
      start: fc.integer({ min: -2, max: 12 }),
      end: fc.integer({ min: -2, max: 12 }),
    }),
  },
);

/** Apply an operation to the model; returns the expected ZAdd result for adds. */
function applyToModel(model: SortedArrayModel, op: Operation): number | boolean {
  if (op.kind === "remove") {
    const at = model.index(op.member);
    if (at !== -1) model.items.splice(at, 1);
    return at !== -1;
  }
  if (op.kind === "removeRange") {
    const start = Math.max(0, op.start);
    const end = Math.min(model.items.length - 1, op.end);
    if (start > end) return 0;
    model.items.splice(start, end - start + 1);
    return end - start + 1;
  }
  const at = model.index(op.member);
  if (at === -1) {
    if ((op.flags & ZAddFlag.XX) !== 0) return ZAddResult.Nop;
    model.items.push([op.member, op.score]);
    model.sort();
    return ZAddResult.Added;
  }
  if ((op.flags & ZAddFlag.NX) !== 0) return ZAddResult.Nop;
  const current = model.items[at]![1];
  const next = (op.flags & ZAddFlag.Incr) !== 0 ? current + op.score : op.score;
  if (Number.isNaN(next)) return ZAddResult.NaN;
  if (
    ((op.flags & ZAddFlag.GT) !== 0 && next <= current) ||
    ((op.flags & ZAddFlag.LT) !== 0 && next >= current)
  ) {
    return ZAddResult.Nop;
  }
  if (next === current) return ZAddResult.None;
  model.items[at]![1] = next;
  model.sort();
  return ZAddResult.Updated;
}

describe("RedisZSet against a sorted-array model (property)", () => {
  it("agrees on contents, ranks, ranges, random picks and encodings", () => {
    fc.assert(
      fc.property(
        fc.array(operationArb, { maxLength: 80 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 6 }),
        fc.tuple(scoreArb, scoreArb, fc.boolean(), fc.boolean()),
        fc.tuple(memberArb, memberArb, fc.boolean(), fc.boolean()),
        (operations, maxEntries, maxValue, scoreBounds, lexBounds) => {
          const at = limits(maxEntries, maxValue);
          const zset = new RedisZSet();
          const model = new SortedArrayModel();
          let converted = false;
          for (const op of operations) {
            const expected = applyToModel(model, op);
            if (op.kind === "add") {
              const outcome = new ZAddOutcome();
              const wasNew = !zset.has(op.member);
              const fits = zset.length + 1 <= maxEntries && op.member.length <= maxValue;
              zset.add(op.member, op.score, op.flags, at, outcome);
              expect(outcome.result).toBe(expected);
              if (expected === ZAddResult.Added && wasNew && !fits) converted = true;
            } else if (op.kind === "remove") {
              expect(zset.remove(op.member)).toBe(expected);
            } else {
              expect(zset.removeRankRange(op.start, op.end)).toBe(expected);
            }
            expect(zset.encoding).toBe(converted ? "skiplist" : "listpack");
          }
          expect(zset.length).toBe(model.items.length);
          expect(contents(zset)).toEqual(model.items);
          expect(reverseContents(zset)).toEqual([...model.items].reverse());
          model.items.forEach(([member, score], rank) => {
            expect(zset.rank(member)).toBe(rank);
            expect(zset.score(member)).toBe(score);
            const cursor = zset.cursor(rank, false);
            expect(cursor.next()).toBe(true);
            expect(cursor.member).toBe(member);
          });

          // Score range ends and counts.
          const [a, b, minExclusive, maxExclusive] = scoreBounds;
          const range = scoreRange(Math.min(a, b), Math.max(a, b), minExclusive, maxExclusive);
          const inRange = model.items
            .map(([, score], rank) => (scoreGteMin(score, range) && scoreLteMax(score, range) ? rank : -1))
            .filter((rank) => rank !== -1);
          expect(zset.firstInScoreRange(range)).toBe(inRange.length > 0 ? inRange[0] : -1);
          expect(zset.lastInScoreRange(range)).toBe(inRange.length > 0 ? inRange[inRange.length - 1] : -1);
          expect(zset.countInScoreRange(range)).toBe(inRange.length);

          // Lex ranges on a copy where every member has the same score.
          const flat = new RedisZSet();
          for (const [member] of model.items) flat.add(member, 0, 0, at, new ZAddOutcome());
          const [x, y, lexMinExclusive, lexMaxExclusive] = lexBounds;
          const lex: LexRange = {
            minKind: LexBoundKind.Value,
            min: x < y ? x : y,
            minExclusive: lexMinExclusive,
            maxKind: LexBoundKind.Value,
            max: x < y ? y : x,
            maxExclusive: lexMaxExclusive,
          };
          const sortedMembers = model.items.map(([member]) => member).sort();
          const lexRanks = sortedMembers
            .map((member, rank) => (lexGteMin(member, lex) && lexLteMax(member, lex) ? rank : -1))
            .filter((rank) => rank !== -1);
          expect(flat.firstInLexRange(lex)).toBe(lexRanks.length > 0 ? lexRanks[0] : -1);
          expect(flat.lastInLexRange(lex)).toBe(lexRanks.length > 0 ? lexRanks[lexRanks.length - 1] : -1);
          expect(flat.countInLexRange(lex)).toBe(lexRanks.length);

          // Random picks are members; clones are equal and independent.
          if (zset.length > 0) {
            const entry = new ZSetEntry();
            zset.randomEntry(entry);
            expect(zset.score(entry.member)).toBe(entry.score);
          }
          const copy = zset.clone();
          expect(contents(copy)).toEqual(model.items);
          expect(copy.encoding).toBe(zset.encoding);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------- large sets (many tree levels)

/** A deterministic pseudo-random generator (xorshift32), so failures replay. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

describe("RedisZSet with a large tree-encoded set", () => {
  it("stays in step with a sorted model through updates, removals and range removals", () => {
    const random = seededRandom(42);
    const zset = new RedisZSet();
    const scores = new Map<string, number>();
    // Few distinct scores: long runs of ties ordered by member bytes.
    for (let i = 0; i < 30_000; i++) {
      const member = `m${Math.floor(random() * 1e6)}`;
      const score = Math.floor(random() * 500);
      scores.set(member, add(zset, member, score).score);
    }
    expect(zset.encoding).toBe("skiplist");
    const members = [...scores.keys()];
    for (let i = 0; i < 20_000; i++) {
      const member = members[Math.floor(random() * members.length)]!;
      if (!scores.has(member)) continue;
      const roll = random();
      if (roll < 0.6) {
        const outcome = add(zset, member, random() < 0.5 ? 1 : -0.5, ZAddFlag.Incr);
        scores.set(member, outcome.score);
      } else {
        expect(zset.remove(member)).toBe(true);
        scores.delete(member);
      }
    }
    const model = () =>
      [...scores.entries()].sort((a, b) => compareEntries(a[1], a[0], b[1], b[0])) as Pair[];
    expect(zset.removeRankRange(1000, 4999)).toBe(4000);
    for (const [member] of model().slice(1000, 5000)) scores.delete(member);
    const range = scoreRange(100, 200, true, false);
    const inRange = model().filter(([, score]) => scoreGteMin(score, range) && scoreLteMax(score, range));
    expect(zset.countInScoreRange(range)).toBe(inRange.length);
    expect(zset.removeScoreRange(range)).toBe(inRange.length);
    for (const [member] of inRange) scores.delete(member);

    const expected = model();
    expect(zset.length).toBe(expected.length);
    expect(contents(zset)).toEqual(expected);
    expect(reverseContents(zset)).toEqual([...expected].reverse());
    for (let k = 0; k < 2000; k++) {
      const rank = Math.floor(random() * expected.length);
      const [member, score] = expected[rank]!;
      expect(zset.rank(member)).toBe(rank);
      expect(zset.score(member)).toBe(score);
      const cursor = zset.cursor(rank, true);
      expect(cursor.next() && cursor.member).toBe(member);
    }
    const copy = zset.clone();
    expect(contents(copy)).toEqual(expected);
    const entry = new ZSetEntry();
    for (let k = 0; k < 1000; k++) {
      zset.randomEntry(entry);
      expect(scores.get(entry.member)).toBe(entry.score);
    }
  });

  it("removes a lex range from a large set of equal scores", () => {
    const zset = new RedisZSet();
    const members: string[] = [];
    for (let i = 0; i < 20_000; i++) members.push(`k${String(i).padStart(6, "0")}`);
    for (const member of [...members].reverse()) add(zset, member, 7);
    const lex: LexRange = {
      minKind: LexBoundKind.Value,
      min: "k001000",
      minExclusive: true,
      maxKind: LexBoundKind.Value,
      max: "k015000",
      maxExclusive: false,
    };
    expect(zset.firstInLexRange(lex)).toBe(1001);
    expect(zset.lastInLexRange(lex)).toBe(15000);
    expect(zset.countInLexRange(lex)).toBe(14000);
    const cursor = zset.lexRangeCursor(lex, true);
    expect(cursor.next() && cursor.member).toBe("k015000");
    expect(zset.removeLexRange(lex)).toBe(14000);
    expect(contents(zset).map(([member]) => member)).toEqual([
      ...members.slice(0, 1001),
      ...members.slice(15001),
    ]);
  });

  it("returns every member present for a whole ZSCAN while the set grows and shrinks", () => {
    const random = seededRandom(7);
    const zset = new RedisZSet();
    for (let i = 0; i < 20_000; i++) add(zset, `m${i}`, random() * 100);
    const stable = new Set<string>();
    for (let i = 0; i < 20_000; i++) stable.add(`m${i}`);
    const seen = new Set<string>();
    let cursor = 0;
    let added = 0;
    do {
      const members: string[] = [];
      const texts: string[] = [];
      cursor = zset.scan(cursor, 100, String, members, texts);
      for (const member of members) seen.add(member);
      // Between steps: remove a few members (returned or not), add a few new ones.
      for (let k = 0; k < 30; k++) {
        const victim = `m${Math.floor(random() * 20_000)}`;
        if (zset.remove(victim)) stable.delete(victim);
      }
      for (let k = 0; k < 40; k++) add(zset, `new${added++}`, random() * 100);
    } while (cursor !== 0);
    expect(stable.size).toBeGreaterThan(10_000);
    for (const member of stable) expect(seen.has(member)).toBe(true);
  });
});
