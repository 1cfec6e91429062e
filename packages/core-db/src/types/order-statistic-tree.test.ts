import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type RemovedMemberSink,
  ZOrderStatisticTree,
  type ZTreeLeaf,
  type ZTreePosition,
} from "./order-statistic-tree.js";
import {
  LexBoundKind,
  type LexRange,
  lexGteMin,
  lexLteMax,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
} from "./score-range.js";

type Element = [score: number, member: string];

/** A place in the tree, as the owner's cursors hold one. */
class Position implements ZTreePosition {
  leaf: ZTreeLeaf | null = null;
  index = -1;
}

/** Collects what a range deletion reports. */
class Collector implements RemovedMemberSink {
  readonly removed: string[] = [];
  memberRemoved(member: string): void {
    this.removed.push(member);
  }
}

const precedes = (a: Element, b: Element): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The reference: a plain array kept sorted by (score, member). */
class SortedArrayModel {
  readonly items: Element[] = [];

  indexOf(member: string): number {
    return this.items.findIndex(([, m]) => m === member);
  }

  insert(score: number, member: string): void {
    let at = 0;
    while (at < this.items.length && precedes(this.items[at]!, [score, member])) at++;
    this.items.splice(at, 0, [score, member]);
  }
}

/** Every element, ascending, by walking the leaf chain from the head. */
function forward(tree: ZOrderStatisticTree): Element[] {
  const out: Element[] = [];
  for (let leaf: ZTreeLeaf | null = tree.head; leaf !== null; leaf = leaf.next) {
    for (let i = 0; i < leaf.size; i++) out.push([leaf.scores[i]!, leaf.members[i]!]);
  }
  return out;
}

/** Every element, descending, by walking the leaf chain back from the tail. */
function backward(tree: ZOrderStatisticTree): Element[] {
  const out: Element[] = [];
  for (let leaf: ZTreeLeaf | null = tree.tail; leaf !== null; leaf = leaf.prev) {
    for (let i = leaf.size - 1; i >= 0; i--) out.push([leaf.scores[i]!, leaf.members[i]!]);
  }
  return out;
}

/** The element a position points at, or null. */
function at(position: Position): Element | null {
  const leaf = position.leaf;
  return leaf === null ? null : [leaf.scores[position.index]!, leaf.members[position.index]!];
}

const scoreRange = (min: number, max: number, minExclusive = false, maxExclusive = false): ScoreRange => ({
  min,
  max,
  minExclusive,
  maxExclusive,
});

describe("ZOrderStatisticTree", () => {
  it("keeps (score, member) order with members compared byte-wise and -0 equal to 0", () => {
    const tree = new ZOrderStatisticTree(4, 4);
    const input: Element[] = [
      [1, "b"],
      [1, "a"],
      [1, "ab"],
      [0, "z"],
      [-0, "y"],
      [-Infinity, "low"],
      [Infinity, "high"],
      [1, "\xff"],
      [1, "\x00"],
    ];
    for (const [score, member] of input) tree.insert(score, member);
    tree.checkInvariants();
    expect(forward(tree).map(([, m]) => m)).toEqual([
      "low",
      "y",
      "z",
      "\x00",
      "a",
      "ab",
      "b",
      "\xff",
      "high",
    ]);
    expect(tree.rank(0, "y")).toBe(1);
    expect(tree.rank(-0, "z")).toBe(2);
    expect(tree.rank(1, "missing")).toBe(-1);
    expect(tree.rank(2, "a")).toBe(-1);
    // The stored zero keeps its sign.
    const position = new Position();
    tree.seekRank(1, position);
    expect(Object.is(at(position)![0], -0)).toBe(true);
  });

  it("grows and shrinks through several levels", () => {
    const tree = new ZOrderStatisticTree(4, 4);
    const count = 2000;
    for (let i = 0; i < count; i++) tree.insert((i * 7919) % count, `m${i}`);
    tree.checkInvariants();
    expect(tree.height).toBeGreaterThanOrEqual(4);
    expect(tree.length).toBe(count);
    for (let i = 0; i < count; i += 2) expect(tree.delete((i * 7919) % count, `m${i}`)).toBe(true);
    tree.checkInvariants();
    expect(tree.delete(0, "m0")).toBe(false);
    for (let i = 1; i < count; i += 2) expect(tree.delete((i * 7919) % count, `m${i}`)).toBe(true);
    tree.checkInvariants();
    expect(tree.length).toBe(0);
    expect(tree.height).toBe(0);
    expect(forward(tree)).toEqual([]);
  });

  it("fills leaves completely when elements arrive in ascending order", () => {
    const tree = new ZOrderStatisticTree(8, 8);
    for (let i = 0; i < 8 * 8 * 8; i++) tree.insert(i, `m${i}`);
    tree.checkInvariants();
    // Full leaves; branches split at the edge keep all but one child.
    expect(tree.shape().leaves).toBe(64);
    expect(tree.shape().height).toBe(3);
  });

  it("removes rank ranges a leaf at a time, reporting each member", () => {
    const tree = new ZOrderStatisticTree(4, 4);
    for (let i = 0; i < 300; i++) tree.insert(i, `m${i}`);
    const sink = new Collector();
    expect(tree.deleteRankRange(10, 250, sink)).toBe(250);
    tree.checkInvariants();
    expect(sink.removed).toEqual(Array.from({ length: 250 }, (_, i) => `m${i + 10}`));
    expect(forward(tree).map(([, m]) => m)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `m${i}`),
      ...Array.from({ length: 40 }, (_, i) => `m${i + 260}`),
    ]);
  });

  it("moves a member within its leaf or across the tree on a score update", () => {
    const tree = new ZOrderStatisticTree(8, 4);
    for (let i = 0; i < 100; i++) tree.insert(i, `m${i}`);
    tree.updateScore(50, "m50", 50.5); // stays in place
    tree.updateScore(51, "m51", 49.5); // moves within its leaf
    tree.updateScore(10, "m10", 1000); // moves to the end
    tree.updateScore(99, "m99", -1); // moves to the front
    tree.checkInvariants();
    const members = forward(tree).map(([, m]) => m);
    expect(members[0]).toBe("m99");
    expect(members[members.length - 1]).toBe("m10");
    expect(tree.rank(49.5, "m51")).toBe(members.indexOf("m51"));
    expect(members.slice(members.indexOf("m49"), members.indexOf("m49") + 4)).toEqual([
      "m49",
      "m51",
      "m50",
      "m52",
    ]);
    expect(() => tree.updateScore(3, "missing", 4)).toThrow();
  });

  it("keeps a score update at a leaf's edge within the separators around the leaf", () => {
    const tree = new ZOrderStatisticTree(4, 4);
    for (let i = 0; i < 40; i++) tree.insert(i, `m${i}`); // full leaves: [0..3] [4..7] ...
    const leaves = tree.shape().leaves;
    tree.updateScore(7, "m7", 7.5); // last of its leaf, still below the next separator (8)
    tree.updateScore(4, "m4", 4.25); // first of its leaf, still above its separator (4)
    expect(tree.shape().leaves).toBe(leaves);
    tree.updateScore(8, "m8", 3.5); // below its leaf's separator: moves to a full leaf, which splits
    tree.updateScore(11, "m11", 12); // ties the next separator (12, "m12") by score, below it by member: stays
    tree.checkInvariants();
    expect(tree.shape().leaves).toBe(leaves + 1);
    expect(forward(tree).slice(2, 14)).toEqual([
      [2, "m2"],
      [3, "m3"],
      [3.5, "m8"],
      [4.25, "m4"],
      [5, "m5"],
      [6, "m6"],
      [7.5, "m7"],
      [9, "m9"],
      [10, "m10"],
      [12, "m11"],
      [12, "m12"],
      [13, "m13"],
    ]);
  });

  it("finds the ends of score ranges", () => {
    const tree = new ZOrderStatisticTree(4, 4);
    for (let i = 1; i <= 10; i++) tree.insert(i, `m${i}`);
    const position = new Position();
    expect(tree.seekFirstInScoreRange(scoreRange(3, 5), position)).toBe(2);
    expect(at(position)).toEqual([3, "m3"]);
    expect(tree.seekLastInScoreRange(scoreRange(3, 5), position)).toBe(4);
    expect(at(position)).toEqual([5, "m5"]);
    expect(tree.seekFirstInScoreRange(scoreRange(3, 5, true, true), position)).toBe(3);
    expect(tree.seekLastInScoreRange(scoreRange(3, 5, true, true), position)).toBe(3);
    expect(tree.seekFirstInScoreRange(scoreRange(4, 4, true, false), position)).toBe(-1);
    expect(position.leaf).toBeNull();
    expect(tree.seekFirstInScoreRange(scoreRange(11, Infinity), position)).toBe(-1);
    expect(tree.seekLastInScoreRange(scoreRange(-Infinity, 0.5), position)).toBe(-1);
    expect(tree.seekFirstInScoreRange(scoreRange(-Infinity, Infinity), position)).toBe(0);
    expect(tree.seekLastInScoreRange(scoreRange(-Infinity, Infinity), position)).toBe(9);
    expect(at(position)).toEqual([10, "m10"]);
  });

  it("finds the ends of lex ranges on a set of equal scores", () => {
    const tree = new ZOrderStatisticTree(4, 4);
    for (const member of ["a", "b", "c", "d", "e", "f", "g", "h", "i"]) tree.insert(0, member);
    const V = LexBoundKind.Value;
    const lex = (min: string, minExclusive: boolean, max: string, maxExclusive: boolean): LexRange => ({
      minKind: V,
      min,
      minExclusive,
      maxKind: V,
      max,
      maxExclusive,
    });
    const position = new Position();
    expect(tree.seekLexMin(lex("b", false, "d", false), position)).toBe(1);
    expect(tree.seekLexMax(lex("b", false, "d", true), position)).toBe(2);
    expect(at(position)).toEqual([0, "c"]);
    expect(tree.seekLexMin(lex("b", true, "d", false), position)).toBe(2);
    expect(tree.seekLexMin(lex("i", true, "z", false), position)).toBe(-1);
    expect(tree.seekLexMax(lex("", false, "a", true), position)).toBe(-1);
    const all: LexRange = {
      minKind: LexBoundKind.NegativeInfinity,
      min: "",
      minExclusive: true,
      maxKind: LexBoundKind.PositiveInfinity,
      max: "",
      maxExclusive: true,
    };
    expect(tree.seekLexMin(all, position)).toBe(0);
    expect(tree.seekLexMax(all, position)).toBe(8);
  });

  it("rejects node capacities below 4", () => {
    expect(() => new ZOrderStatisticTree(3, 8)).toThrow(RangeError);
    expect(() => new ZOrderStatisticTree(8, 2)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- property test

type Operation =
  | { kind: "insert"; score: number; member: string }
  | { kind: "delete"; member: string }
  | { kind: "deleteMissing"; score: number; member: string }
  | { kind: "update"; member: string; score: number }
  | { kind: "deleteRange"; start: number; count: number }
  | { kind: "rank"; member: string }
  | { kind: "seekRank"; rank: number }
  | { kind: "scoreRange"; a: number; b: number; minExclusive: boolean; maxExclusive: boolean }
  | { kind: "lexRange"; a: string; b: string; minExclusive: boolean; maxExclusive: boolean };

// Few distinct scores and short members over a small alphabet: many ties, so the
// member order matters as much as the score order.
const scoreArb = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(-0, 0.5, -Infinity, Infinity, 1e300, -1e-300),
);
const memberArb = fc.string({ unit: fc.constantFrom("a", "b", "c", "\x00", "\xff"), maxLength: 4 });
const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({ kind: fc.constant("insert" as const), score: scoreArb, member: memberArb }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("delete" as const), member: memberArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("deleteMissing" as const), score: scoreArb, member: memberArb }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("update" as const), member: memberArb, score: scoreArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("deleteRange" as const),
      start: fc.nat({ max: 400 }),
      count: fc.nat({ max: 60 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rank" as const), member: memberArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("seekRank" as const), rank: fc.integer({ min: -2, max: 400 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("scoreRange" as const),
      a: scoreArb,
      b: scoreArb,
      minExclusive: fc.boolean(),
      maxExclusive: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("lexRange" as const),
      a: memberArb,
      b: memberArb,
      minExclusive: fc.boolean(),
      maxExclusive: fc.boolean(),
    }),
  },
);

/** Run one operation on both, comparing every answer. */
function step(
  tree: ZOrderStatisticTree,
  flat: ZOrderStatisticTree,
  model: SortedArrayModel,
  op: Operation,
): void {
  const items = model.items;
  const position = new Position();
  switch (op.kind) {
    case "insert": {
      if (model.indexOf(op.member) !== -1) return; // members are unique by contract
      tree.insert(op.score, op.member);
      flat.insert(0, op.member);
      model.insert(op.score, op.member);
      return;
    }
    case "delete": {
      const index = model.indexOf(op.member);
      if (index === -1) return;
      const [score] = items[index]!;
      items.splice(index, 1);
      expect(tree.delete(score, op.member)).toBe(true);
      expect(flat.delete(0, op.member)).toBe(true);
      return;
    }
    case "deleteMissing": {
      const index = model.indexOf(op.member);
      if (index !== -1 && items[index]![0] === op.score) return;
      expect(tree.delete(op.score, op.member)).toBe(false);
      return;
    }
    case "update": {
      const index = model.indexOf(op.member);
      if (index === -1) return;
      const [score] = items[index]!;
      items.splice(index, 1);
      model.insert(op.score, op.member);
      tree.updateScore(score, op.member, op.score);
      return;
    }
    case "deleteRange": {
      const start = Math.min(op.start, items.length);
      const count = Math.min(op.count, items.length - start);
      const expected = items.splice(start, count).map(([, m]) => m);
      const sink = new Collector();
      expect(tree.deleteRankRange(start, count, sink)).toBe(count);
      expect(sink.removed).toEqual(expected);
      for (const member of expected) expect(flat.delete(0, member)).toBe(true);
      return;
    }
    case "rank": {
      const index = model.indexOf(op.member);
      const score = index === -1 ? 0 : items[index]![0];
      expect(tree.rank(score, op.member)).toBe(index);
      return;
    }
    case "seekRank": {
      tree.seekRank(op.rank, position);
      expect(at(position)).toEqual(op.rank >= 0 && op.rank < items.length ? items[op.rank] : null);
      return;
    }
    case "scoreRange": {
      const range = scoreRange(op.a, op.b, op.minExclusive, op.maxExclusive);
      let first = -1;
      let last = -1;
      items.forEach(([score], rank) => {
        if (scoreGteMin(score, range) && scoreLteMax(score, range)) {
          if (first === -1) first = rank;
          last = rank;
        }
      });
      expect(tree.seekFirstInScoreRange(range, position)).toBe(first);
      expect(at(position)).toEqual(first === -1 ? null : items[first]);
      expect(tree.seekLastInScoreRange(range, position)).toBe(last);
      expect(at(position)).toEqual(last === -1 ? null : items[last]);
      return;
    }
    case "lexRange": {
      // On the all-zero-score twin, members are in lex order.
      const range: LexRange = {
        minKind: LexBoundKind.Value,
        min: op.a,
        minExclusive: op.minExclusive,
        maxKind: LexBoundKind.Value,
        max: op.b,
        maxExclusive: op.maxExclusive,
      };
      const members = items.map(([, m]) => m).sort();
      const firstGte = members.findIndex((m) => lexGteMin(m, range));
      let lastLte = -1;
      members.forEach((m, rank) => {
        if (lexLteMax(m, range)) lastLte = rank;
      });
      expect(flat.seekLexMin(range, position)).toBe(firstGte);
      expect(at(position)?.[1] ?? null).toBe(firstGte === -1 ? null : members[firstGte]);
      expect(flat.seekLexMax(range, position)).toBe(lastLte);
      expect(at(position)?.[1] ?? null).toBe(lastLte === -1 ? null : members[lastLte]);
      return;
    }
  }
}

describe("ZOrderStatisticTree against a sorted-array model (property)", () => {
  for (const [leafCapacity, branchCapacity] of [
    [4, 4],
    [5, 6],
    [16, 8],
  ] as const) {
    it(`agrees on every answer with leaves of ${leafCapacity} and branches of ${branchCapacity}`, () => {
      fc.assert(
        fc.property(fc.array(operationArb, { minLength: 50, maxLength: 600 }), (operations) => {
          const tree = new ZOrderStatisticTree(leafCapacity, branchCapacity);
          const flat = new ZOrderStatisticTree(leafCapacity, branchCapacity);
          const model = new SortedArrayModel();
          for (const op of operations) {
            step(tree, flat, model, op);
            expect(tree.length).toBe(model.items.length);
          }
          tree.checkInvariants();
          flat.checkInvariants();
          expect(forward(tree)).toEqual(model.items);
          expect(backward(tree)).toEqual([...model.items].reverse());
          model.items.forEach(([score, member], rank) => {
            expect(tree.rank(score, member)).toBe(rank);
          });
        }),
        { numRuns: 150 },
      );
    });
  }

  it("stays consistent through bulk growth and shrinkage (several levels of splits and merges)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.nat({ max: 1_000_000 })), {
          minLength: 500,
          maxLength: 1500,
        }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        (inserts, rangeDeletes) => {
          const tree = new ZOrderStatisticTree(4, 4);
          const model = new SortedArrayModel();
          for (const [score, id] of inserts) {
            const member = `m${id}`;
            if (model.indexOf(member) !== -1) continue;
            tree.insert(score, member);
            model.insert(score, member);
          }
          tree.checkInvariants();
          expect(tree.height).toBeGreaterThanOrEqual(3);
          for (const seed of rangeDeletes) {
            if (model.items.length === 0) break;
            const start = seed % model.items.length;
            const count = Math.min((seed >> 3) % 97, model.items.length - start);
            const expected = model.items.splice(start, count).map(([, m]) => m);
            const sink = new Collector();
            tree.deleteRankRange(start, count, sink);
            expect(sink.removed).toEqual(expected);
            tree.checkInvariants();
          }
          expect(forward(tree)).toEqual(model.items);
          // Delete everything that is left one by one: odd ranks first, then even ones.
          const remaining = model.items.filter((_, rank) => rank % 2 === 1);
          remaining.push(...model.items.filter((_, rank) => rank % 2 === 0));
          for (const [score, member] of remaining) expect(tree.delete(score, member)).toBe(true);
          tree.checkInvariants();
          expect(tree.length).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
