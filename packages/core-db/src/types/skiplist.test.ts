import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  forwardAt,
  isEmptyLexRange,
  isEmptyScoreRange,
  LexBoundKind,
  type LexRange,
  type RemovedNodeSink,
  type ScoreRange,
  spanAt,
  ZSkipList,
  type ZSkipListNode,
} from "./skiplist.js";

/** Walk level 0 and check every invariant: order, backward links, spans, length. */
function checkInvariants(list: ZSkipList): Array<[number, string]> {
  const items: Array<[number, string]> = [];
  let previous: ZSkipListNode | null = null;
  for (let node = list.first; node !== null; node = node.next) {
    expect(node.backward).toBe(previous);
    if (previous !== null) {
      const ordered =
        previous.score < node.score || (previous.score === node.score && previous.member < node.member);
      expect(ordered).toBe(true);
    }
    items.push([node.score, node.member]);
    previous = node;
  }
  expect(list.tail).toBe(previous);
  expect(list.length).toBe(items.length);
  // Every level's spans must add up to the positions they connect.
  const positions = new Map<ZSkipListNode, number>();
  let position = 0;
  for (let node = list.first; node !== null; node = node.next) positions.set(node, ++position);
  for (let level = 0; level < list.level; level++) {
    let at = 0;
    let node: ZSkipListNode = list.header;
    for (let next = forwardAt(node, level); next !== null; next = forwardAt(node, level)) {
      at += spanAt(node, level);
      expect(at).toBe(positions.get(next));
      node = next;
    }
  }
  return items;
}

const collect: RemovedNodeSink & { removed: string[] } = {
  removed: [],
  nodeRemoved(node) {
    this.removed.push(node.member);
  },
};

describe("ZSkipList", () => {
  it("keeps (score, member) order with byte-wise member comparison", () => {
    const list = new ZSkipList();
    list.insert(1, "b");
    list.insert(1, "a");
    list.insert(0, "z");
    list.insert(1, "a\u0000");
    list.insert(1, "\u00ff");
    list.insert(-Infinity, "m");
    expect(checkInvariants(list)).toEqual([
      [-Infinity, "m"],
      [0, "z"],
      [1, "a"],
      [1, "a\u0000"],
      [1, "b"],
      [1, "\u00ff"],
    ]);
  });

  it("finds ranks and elements by rank (1-based)", () => {
    const list = new ZSkipList();
    for (let i = 0; i < 1000; i++) list.insert(i % 7, `m${String(i).padStart(4, "0")}`);
    const items = checkInvariants(list);
    for (let rank = 1; rank <= items.length; rank++) {
      const [score, member] = items[rank - 1]!;
      expect(list.rank(score, member)).toBe(rank);
      expect(list.nodeAtRank(rank)!.member).toBe(member);
    }
    expect(list.rank(3, "absent")).toBe(0);
    expect(list.nodeAtRank(0)).toBeNull();
    expect(list.nodeAtRank(1001)).toBeNull();
  });

  it("finds the ends of score ranges, honouring exclusive bounds", () => {
    const list = new ZSkipList();
    for (let i = 1; i <= 10; i++) list.insert(i, `m${i}`);
    const range = (min: number, max: number, minExclusive = false, maxExclusive = false): ScoreRange => ({
      min,
      max,
      minExclusive,
      maxExclusive,
    });
    expect(list.firstInScoreRange(range(3, 5))!.member).toBe("m3");
    expect(list.lastInScoreRange(range(3, 5))!.member).toBe("m5");
    expect(list.firstInScoreRange(range(3, 5, true, true))!.member).toBe("m4");
    expect(list.lastInScoreRange(range(3, 5, true, true))!.member).toBe("m4");
    expect(list.firstInScoreRange(range(4, 4, true, false))).toBeNull();
    expect(list.firstInScoreRange(range(11, Infinity))).toBeNull();
    expect(list.lastInScoreRange(range(-Infinity, 0.5))).toBeNull();
    expect(list.firstInScoreRange(range(-Infinity, Infinity))!.member).toBe("m1");
    expect(list.lastInScoreRange(range(-Infinity, Infinity))!.member).toBe("m10");
    expect(isEmptyScoreRange(range(5, 3))).toBe(true);
    expect(isEmptyScoreRange(range(3, 3, false, true))).toBe(true);
    expect(isEmptyScoreRange(range(3, 3))).toBe(false);
  });

  it("finds the ends of lex ranges, with - and + as infinities", () => {
    const list = new ZSkipList();
    for (const member of ["a", "b", "c", "d", "e"]) list.insert(0, member);
    const lex = (
      minKind: LexBoundKind,
      min: string,
      minExclusive: boolean,
      maxKind: LexBoundKind,
      max: string,
      maxExclusive: boolean,
    ): LexRange => ({ minKind, min, minExclusive, maxKind, max, maxExclusive });
    const V = LexBoundKind.Value;
    expect(list.firstInLexRange(lex(V, "b", false, V, "d", false))!.member).toBe("b");
    expect(list.lastInLexRange(lex(V, "b", false, V, "d", true))!.member).toBe("c");
    expect(list.firstInLexRange(lex(V, "b", true, V, "d", false))!.member).toBe("c");
    const all = lex(LexBoundKind.NegativeInfinity, "", true, LexBoundKind.PositiveInfinity, "", true);
    expect(list.firstInLexRange(all)!.member).toBe("a");
    expect(list.lastInLexRange(all)!.member).toBe("e");
    expect(
      isEmptyLexRange(lex(LexBoundKind.NegativeInfinity, "", true, LexBoundKind.NegativeInfinity, "", true)),
    ).toBe(true);
    expect(isEmptyLexRange(lex(LexBoundKind.PositiveInfinity, "", true, V, "z", false))).toBe(true);
    expect(isEmptyLexRange(lex(V, "a", false, V, "a", false))).toBe(false);
    expect(isEmptyLexRange(lex(V, "a", true, V, "a", false))).toBe(true);
  });

  it("updates scores in place or by moving the node", () => {
    const list = new ZSkipList();
    const nodes = ["a", "b", "c", "d"].map((member, i) => list.insert(i, member));
    list.updateScore(nodes[1]!, 1.5); // stays between a(0) and c(2)
    list.updateScore(nodes[0]!, 10); // moves to the end
    expect(checkInvariants(list)).toEqual([
      [1.5, "b"],
      [2, "c"],
      [3, "d"],
      [10, "a"],
    ]);
    expect(list.rank(10, "a")).toBe(4);
  });

  it("deletes rank ranges and reports each removed node", () => {
    const list = new ZSkipList();
    for (let i = 0; i < 100; i++) list.insert(i, `m${i}`);
    collect.removed.length = 0;
    expect(list.deleteRankRange(10, 19, collect)).toBe(10);
    expect(collect.removed).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 9}`));
    const items = checkInvariants(list);
    expect(items.length).toBe(90);
    expect(items[8]).toEqual([8, "m8"]);
    expect(items[9]).toEqual([19, "m19"]);
  });

  it("stays consistent under random inserts, deletes and updates (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom("insert", "delete", "update"),
            fc.integer({ min: 0, max: 40 }),
            fc.integer({ min: -5, max: 5 }),
          ),
          { maxLength: 200 },
        ),
        (operations) => {
          const list = new ZSkipList();
          const model = new Map<string, ZSkipListNode>();
          for (const [kind, id, score] of operations) {
            const member = `m${id}`;
            const node = model.get(member);
            if (kind === "insert" && node === undefined) model.set(member, list.insert(score, member));
            else if (kind === "delete" && node !== undefined) {
              expect(list.delete(node.score, member)).toBe(node);
              model.delete(member);
            } else if (kind === "update" && node !== undefined) list.updateScore(node, score);
          }
          const items = checkInvariants(list);
          const expected = [...model.values()]
            .map((node): [number, string] => [node.score, node.member])
            .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
          expect(items).toEqual(expected);
          items.forEach(([score, member], i) => {
            expect(list.rank(score, member)).toBe(i + 1);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
