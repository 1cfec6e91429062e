import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ListEnd, RedisList } from "./list.js";

const b = (text: string): Buffer => Buffer.from(text, "latin1");
const texts = (list: RedisList): string[] => list.toArray().map((element) => element.toString("latin1"));

/** Collects what writeRange hands out. */
class Collector {
  readonly seen: string[] = [];
  bulk(element: Buffer): void {
    this.seen.push(element.toString("latin1"));
  }
}

describe("RedisList basics", () => {
  it("pushes and pops at both ends", () => {
    const list = RedisList.create();
    list.push(b("b"), ListEnd.Head);
    list.push(b("c"), ListEnd.Tail);
    list.push(b("a"), ListEnd.Head);
    expect(texts(list)).toEqual(["a", "b", "c"]);
    expect(list.length).toBe(3);
    expect(list.pop(ListEnd.Tail)?.toString()).toBe("c");
    expect(list.pop(ListEnd.Head)?.toString()).toBe("a");
    expect(list.pop(ListEnd.Head)?.toString()).toBe("b");
    expect(list.pop(ListEnd.Head)).toBeUndefined();
    expect(list.pop(ListEnd.Tail)).toBeUndefined();
    expect(list.length).toBe(0);
  });

  it("copies pushed and set elements, so the caller's buffer may change", () => {
    const source = b("abc");
    const list = RedisList.create();
    list.push(source, ListEnd.Tail);
    list.push(b("x"), ListEnd.Tail);
    list.set(1, source);
    source.write("zzz");
    expect(texts(list)).toEqual(["abc", "abc"]);
  });

  it("pushOwned keeps the very buffer", () => {
    const element = b("owned");
    const list = RedisList.create();
    list.pushOwned(element, ListEnd.Tail);
    expect(list.at(0)).toBe(element);
  });

  it("reports the quicklist encoding whatever its size, as Redis 7.0 does", () => {
    const list = RedisList.create();
    list.push(b("a"), ListEnd.Tail);
    expect(list.encoding).toBe("quicklist");
    for (let i = 0; i < 1000; i++) list.push(Buffer.alloc(100, 120), ListEnd.Tail);
    expect(list.encoding).toBe("quicklist");
    list.trim(0, list.length - 1);
    expect(list.encoding).toBe("quicklist");
  });

  it("indexes from both ends and rejects out of range", () => {
    const list = RedisList.fromOwned(["a", "b", "c"].map(b));
    expect(list.at(0)?.toString()).toBe("a");
    expect(list.at(-1)?.toString()).toBe("c");
    expect(list.at(-3)?.toString()).toBe("a");
    expect(list.at(3)).toBeUndefined();
    expect(list.at(-4)).toBeUndefined();
    expect(list.set(-1, b("z"))).toBe(true);
    expect(list.set(5, b("q"))).toBe(false);
    expect(texts(list)).toEqual(["a", "b", "z"]);
  });

  it("inserts before and after the first pivot, or reports -1", () => {
    const list = RedisList.fromOwned(["a", "p", "b", "p"].map(b));
    expect(list.insert(b("p"), b("x"), false)).toBe(5);
    expect(list.insert(b("p"), b("y"), true)).toBe(6);
    expect(list.insert(b("nope"), b("z"), true)).toBe(-1);
    expect(texts(list)).toEqual(["a", "x", "p", "y", "b", "p"]);
  });

  it("removes by value from the head, from the tail, or all", () => {
    const make = () => RedisList.fromOwned(["a", "x", "b", "x", "c", "x"].map(b));
    let list = make();
    expect(list.remove(b("x"), 2)).toBe(2);
    expect(texts(list)).toEqual(["a", "b", "c", "x"]);
    list = make();
    expect(list.remove(b("x"), -2)).toBe(2);
    expect(texts(list)).toEqual(["a", "x", "b", "c"]);
    list = make();
    expect(list.remove(b("x"), 0)).toBe(3);
    expect(texts(list)).toEqual(["a", "b", "c"]);
    expect(list.remove(b("nothing"), 0)).toBe(0);
  });

  it("trims both ends", () => {
    const list = RedisList.fromOwned(["a", "b", "c", "d", "e"].map(b));
    list.trim(1, 2);
    expect(texts(list)).toEqual(["b", "c"]);
    list.trim(5, 5);
    expect(list.length).toBe(0);
  });

  it("finds positions with rank, count and maxlen", () => {
    const list = RedisList.fromOwned(["a", "b", "c", "1", "2", "3", "c", "c"].map(b));
    expect(list.positions(b("c"), 1, 1, 0)).toEqual([2]);
    expect(list.positions(b("c"), 2, 1, 0)).toEqual([6]);
    expect(list.positions(b("c"), -1, 1, 0)).toEqual([7]);
    expect(list.positions(b("c"), 1, 0, 0)).toEqual([2, 6, 7]);
    expect(list.positions(b("c"), -2, 0, 0)).toEqual([6, 2]);
    expect(list.positions(b("c"), 1, 0, 3)).toEqual([2]);
    expect(list.positions(b("c"), 1, 2, 0)).toEqual([2, 6]);
    expect(list.positions(b("zz"), 1, 0, 0)).toEqual([]);
  });

  it("writes a range to a sink and clones independently", () => {
    const list = RedisList.fromOwned(["a", "b", "c", "d"].map(b));
    const sink = new Collector();
    list.writeRange(1, 2, sink);
    expect(sink.seen).toEqual(["b", "c"]);
    const copy = list.clone();
    copy.pop(ListEnd.Head);
    expect(texts(list)).toEqual(["a", "b", "c", "d"]);
    expect(texts(copy)).toEqual(["b", "c", "d"]);
    expect([...list.values()].map((v) => v.toString())).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps the ring consistent across growth, wrap-around and shrinking", () => {
    const list = RedisList.create();
    const model: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 3 === 0) {
        list.push(b(`h${i}`), ListEnd.Head);
        model.unshift(`h${i}`);
      } else {
        list.push(b(`t${i}`), ListEnd.Tail);
        model.push(`t${i}`);
      }
    }
    for (let i = 0; i < 4990; i++) {
      if (i % 2 === 0) expect(list.pop(ListEnd.Head)?.toString()).toBe(model.shift());
      else expect(list.pop(ListEnd.Tail)?.toString()).toBe(model.pop());
    }
    expect(texts(list)).toEqual(model);
  });
});

// ---------------------------------------------------------------- property test against an array model

type Op =
  | { kind: "push"; end: ListEnd; value: string }
  | { kind: "pop"; end: ListEnd }
  | { kind: "set"; index: number; value: string }
  | { kind: "insert"; pivot: string; value: string; after: boolean }
  | { kind: "remove"; value: string; count: number }
  | { kind: "trim"; head: number; tail: number }
  | { kind: "positions"; value: string; rank: number; maxMatches: number; maxScan: number };

const value = fc.constantFrom("a", "b", "c", "", "a\0b", "\r\n");
const end = fc.constantFrom(ListEnd.Head, ListEnd.Tail);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("push" as const), end, value }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("pop" as const), end }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      index: fc.integer({ min: -12, max: 12 }),
      value,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("insert" as const), pivot: value, value, after: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("remove" as const),
      value,
      count: fc.integer({ min: -3, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("trim" as const),
      head: fc.integer({ min: 0, max: 4 }),
      tail: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("positions" as const),
      value,
      rank: fc.integer({ min: -3, max: 3 }).filter((r) => r !== 0),
      maxMatches: fc.integer({ min: 0, max: 3 }),
      maxScan: fc.integer({ min: 0, max: 8 }),
    }),
  },
);

/** What each operation must do, written the obvious way on a JS array. */
function applyToModel(model: string[], operation: Op): unknown {
  switch (operation.kind) {
    case "push":
      if (operation.end === ListEnd.Head) model.unshift(operation.value);
      else model.push(operation.value);
      return undefined;
    case "pop":
      return operation.end === ListEnd.Head ? model.shift() : model.pop();
    case "set": {
      const position = operation.index < 0 ? model.length + operation.index : operation.index;
      if (position < 0 || position >= model.length) return false;
      model[position] = operation.value;
      return true;
    }
    case "insert": {
      const at = model.indexOf(operation.pivot);
      if (at === -1) return -1;
      model.splice(operation.after ? at + 1 : at, 0, operation.value);
      return model.length;
    }
    case "remove": {
      const limit = operation.count === 0 ? Number.POSITIVE_INFINITY : Math.abs(operation.count);
      let removed = 0;
      if (operation.count >= 0) {
        for (let i = 0; i < model.length && removed < limit; ) {
          if (model[i] === operation.value) {
            model.splice(i, 1);
            removed++;
          } else i++;
        }
      } else {
        for (let i = model.length - 1; i >= 0 && removed < limit; i--) {
          if (model[i] === operation.value) {
            model.splice(i, 1);
            removed++;
          }
        }
      }
      return removed;
    }
    case "trim": {
      const head = Math.min(operation.head, model.length);
      model.splice(0, head);
      const tail = Math.min(operation.tail, model.length);
      model.splice(model.length - tail, tail);
      return undefined;
    }
    case "positions": {
      const found: number[] = [];
      const indexes = model.map((_, i) => i);
      if (operation.rank < 0) indexes.reverse();
      const scan = operation.maxScan === 0 ? indexes : indexes.slice(0, operation.maxScan);
      let matches = 0;
      for (const i of scan) {
        if (model[i] !== operation.value) continue;
        matches++;
        if (matches < Math.abs(operation.rank)) continue;
        found.push(i);
        if (operation.maxMatches !== 0 && found.length >= operation.maxMatches) break;
      }
      return found;
    }
  }
}

function applyToList(list: RedisList, operation: Op): unknown {
  switch (operation.kind) {
    case "push":
      list.push(b(operation.value), operation.end);
      return undefined;
    case "pop":
      return list.pop(operation.end)?.toString("latin1");
    case "set":
      return list.set(operation.index, b(operation.value));
    case "insert":
      return list.insert(b(operation.pivot), b(operation.value), operation.after);
    case "remove":
      return list.remove(b(operation.value), operation.count);
    case "trim":
      list.trim(operation.head, operation.tail);
      return undefined;
    case "positions":
      return list.positions(b(operation.value), operation.rank, operation.maxMatches, operation.maxScan);
  }
}

describe("RedisList property: behaves like an array", () => {
  it("matches the model after every operation", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (operations) => {
        const list = RedisList.create();
        const model: string[] = [];
        for (const operation of operations) {
          expect(applyToList(list, operation)).toEqual(applyToModel(model, operation));
          expect(list.length).toBe(model.length);
        }
        expect(texts(list)).toEqual(model);
        for (let i = -model.length - 1; i <= model.length; i++) {
          const position = i < 0 ? model.length + i : i;
          expect(list.at(i)?.toString("latin1")).toBe(model[position]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
