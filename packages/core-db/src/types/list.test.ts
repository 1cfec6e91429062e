import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { modelInsert, modelPop, modelPush, modelRemove, modelSet, modelTrim } from "../../test/list-model.js";
import { ListEnd, RedisList } from "./list.js";

const b = (text: string): Buffer => Buffer.from(text, "latin1");
const texts = (list: RedisList): string[] => list.toArray().map((element) => element.toString("latin1"));

/** Collects what writeRange hands out. */
class Collector {
  readonly seen: string[] = [];
  bulk(element: Buffer): void {
    this.seen.push(element.toString("latin1"));
  }
  bulkSlice(source: Buffer, start: number, end: number): void {
    this.seen.push(source.toString("latin1", start, end));
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

  it("popTo hands the same elements as pop, from both forms and both ends", () => {
    const withChars = new Collector() as Collector & {
      bulkChars(source: string, start: number, end: number): void;
    };
    withChars.bulkChars = (source, start, end) => withChars.seen.push(source.slice(start, end));
    for (const size of [5, 3000]) {
      for (const sink of [new Collector(), withChars]) {
        sink.seen.length = 0;
        const viaPop = RedisList.create();
        const viaPopTo = RedisList.create();
        for (let i = 0; i < size; i++) {
          viaPop.push(b(`e${i}`), ListEnd.Tail);
          viaPopTo.push(b(`e${i}`), ListEnd.Tail);
        }
        const popped: string[] = [];
        for (let i = 0; i < size; i++) {
          const end = i % 3 === 0 ? ListEnd.Head : ListEnd.Tail;
          popped.push(viaPop.pop(end)!.toString("latin1"));
          expect(viaPopTo.popTo(end, sink)).toBe(true);
          expect(viaPopTo.length).toBe(viaPop.length);
          expect(viaPopTo.encoding).toBe(viaPop.encoding);
        }
        expect(sink.seen).toEqual(popped);
        expect(viaPopTo.popTo(ListEnd.Head, sink)).toBe(false);
        expect(viaPopTo.memoryUsage()).toBe(viaPop.memoryUsage());
      }
    }
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

  it("pushOwned copies the bytes too, and readers get copies", () => {
    const element = b("owned");
    const list = RedisList.create();
    list.pushOwned(element, ListEnd.Tail);
    element.write("OWNED");
    const read = list.at(0)!;
    expect(read.toString()).toBe("owned");
    read.write("xxxxx");
    expect(list.at(0)?.toString()).toBe("owned");
    expect(list.pop(ListEnd.Head)?.toString()).toBe("owned");
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

// ---------------------------------------------------------------- packed storage

/** A deterministic element of `size` bytes, with \0, \r and \n in it, tagged by `seed`. */
function bytesOf(size: number, seed: number): string {
  let text = "";
  for (let i = 0; i < size; i++) text += String.fromCharCode((seed * 31 + i * 7) % 256);
  return text;
}

describe("RedisList packed storage", () => {
  it("packs small elements into few nodes, from either end", () => {
    const list = RedisList.create();
    const heads: string[] = [];
    const tails: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const text = `e${i}`;
      if (i % 2 === 0) {
        list.push(b(text), ListEnd.Head);
        heads.push(text);
      } else {
        list.push(b(text), ListEnd.Tail);
        tails.push(text);
      }
    }
    const model = heads.reverse().concat(tails);
    expect(list.length).toBe(100_000);
    // At most NODE_MAX_ENTRIES (1024) per node, and the nodes are well filled.
    expect(list.nodeTotal).toBeGreaterThanOrEqual(98);
    expect(list.nodeTotal).toBeLessThan(250);
    expect(texts(list)).toEqual(model);
    for (const index of [0, 1, 1023, 1024, 1025, 49_999, 50_000, 77_777, 99_999, -1, -1024, -1025]) {
      expect(list.at(index)?.toString("latin1")).toBe(model[index < 0 ? model.length + index : index]);
    }
    // One comparison at the end: 100,000 expect() calls would dominate the test's time.
    const popped: string[] = [];
    while (list.length > 0) popped.push(list.pop(ListEnd.Tail)?.toString("latin1") ?? "<missing>");
    expect(popped).toEqual(model.reverse());
    expect(list.nodeTotal).toBe(0);
  });

  it("gives an element bigger than a node a node of its own, between packed neighbours", () => {
    const big = bytesOf(20_000, 3);
    const list = RedisList.fromOwned([b("a"), b("b")]);
    list.push(b(big), ListEnd.Tail);
    list.push(b("c"), ListEnd.Tail);
    list.push(b(big), ListEnd.Head);
    expect(list.nodeTotal).toBe(4);
    expect(texts(list)).toEqual([big, "a", "b", big, "c"]);
    expect(list.insert(b(big), b("x"), true)).toBe(6);
    expect(list.set(3, b("y"))).toBe(true);
    expect(texts(list)).toEqual([big, "x", "a", "y", big, "c"]);
    expect(list.remove(b(big), 0)).toBe(2);
    expect(texts(list)).toEqual(["x", "a", "y", "c"]);
    expect(list.nodeTotal).toBe(1);
  });

  it("splits a full node for an insertion in its middle, and merges nodes emptied by LREM", () => {
    const list = RedisList.create();
    const model: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const text = i % 10 === 0 ? "x" : bytesOf(1 + (i % 40), i);
      list.push(b(text), ListEnd.Tail);
      model.push(text);
    }
    for (let i = 0; i < 300; i++) {
      const at = (i * 997) % model.length;
      const pivot = model[at]!;
      const element = bytesOf(i % 50, i + 7);
      const found = model.indexOf(pivot);
      model.splice(found, 0, element);
      expect(list.insert(b(pivot), b(element), false)).toBe(model.length);
    }
    expect(texts(list)).toEqual(model);
    const before = list.nodeTotal;
    const survivors = model.filter((text) => text === "x");
    const removed = model.length - survivors.length;
    // Remove everything but the "x" elements, one distinct value at a time is too slow: use LTRIM-free LREM on "x" inverse.
    for (const text of new Set(model)) if (text !== "x") list.remove(b(text), 0);
    expect(list.length).toBe(survivors.length);
    expect(model.length - list.length).toBe(removed);
    expect(texts(list)).toEqual(survivors);
    expect(list.nodeTotal).toBeLessThan(before);
    expect(list.nodeTotal).toBe(1);
  });

  it("gives memory back as it empties: pops, LTRIM and LREM shrink the nodes", () => {
    const list = RedisList.create();
    const small = () => list.allocatedBytes;
    for (let i = 0; i < 5000; i++) list.push(b(`element:${i}`), i % 2 === 0 ? ListEnd.Head : ListEnd.Tail);
    const full = small();
    expect(full).toBeGreaterThan(5000 * 12);
    while (list.length > 3) list.pop(ListEnd.Tail);
    expect(list.nodeTotal).toBe(1);
    expect(small()).toBeLessThanOrEqual(256);
    for (let i = 0; i < 3000; i++) list.push(b(`again:${i}`), ListEnd.Tail);
    list.trim(2998, 3);
    expect(texts(list)).toEqual(["again:2995", "again:2996"]);
    expect(small()).toBeLessThanOrEqual(256);
    for (let i = 0; i < 3000; i++) list.push(b(i % 1000 === 0 ? "keep" : "drop"), ListEnd.Head);
    list.remove(b("drop"), 0);
    expect(list.length).toBe(5);
    expect(list.nodeTotal).toBe(1);
    expect(small()).toBeLessThanOrEqual(256);
  });

  it("hands writeRange's sink byte ranges, across node boundaries", () => {
    const list = RedisList.create();
    const model: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const text = bytesOf(i % 7, i);
      list.push(b(text), ListEnd.Head);
      model.unshift(text);
    }
    for (const [start, end] of [
      [0, 99],
      [0, 2999],
      [1000, 1030],
      [2990, 2999],
      [1500, 1500],
    ] as const) {
      const sink = new Collector();
      list.writeRange(start, end, sink);
      expect(sink.seen).toEqual(model.slice(start, end + 1));
    }
  });

  it("clones into compact, independent nodes", () => {
    const list = RedisList.create();
    for (let i = 0; i < 4000; i++)
      list.push(b(bytesOf(i % 13, i)), i % 3 === 0 ? ListEnd.Head : ListEnd.Tail);
    const copy = list.clone();
    expect(texts(copy)).toEqual(texts(list));
    copy.set(5, b("changed"));
    copy.push(b("more"), ListEnd.Head);
    copy.push(b("more"), ListEnd.Tail);
    expect(list.at(5)?.toString("latin1")).not.toBe("changed");
    expect(copy.length).toBe(list.length + 2);
    expect(texts(copy).slice(1, -1)).toEqual(texts(list).map((text, i) => (i === 5 ? "changed" : text)));
  });
});

// ---------------------------------------------------------------- property test: random sizes, many nodes

/** Element sizes that matter to the packing: empty, 1 byte, small, medium, bigger than a node. */
const sizedValue = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom("", "a", "\0", "\r\n", "a\0b\r\n") },
  { weight: 4, arbitrary: fc.string({ unit: "binary-ascii", minLength: 0, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: 13, max: 3000 }).map((size) => bytesOf(size, size)) },
  { weight: 1, arbitrary: fc.integer({ min: 8000, max: 20_000 }).map((size) => bytesOf(size, size)) },
);

type PackedOp =
  | { kind: "push"; end: ListEnd; pick: number }
  | { kind: "pushMany"; end: ListEnd; n: number; pick: number }
  | { kind: "pop"; end: ListEnd }
  | { kind: "set"; where: number; pick: number }
  | { kind: "insert"; pivot: number; pick: number; after: boolean }
  | { kind: "insertDeep"; where: number; pick: number; after: boolean }
  | { kind: "remove"; pick: number; count: number }
  | { kind: "trim"; head: number; tail: number }
  | { kind: "at"; where: number }
  | { kind: "range"; where: number; span: number };

const pick = fc.nat({ max: 7 });
/** A place in the list as a fraction of its length (negative: Redis-style from the tail; |x| > 1: out of range). */
const where = fc.double({ min: -1.1, max: 1.1, noNaN: true });
/** The Redis-style index `fraction` stands for in a list of `length` elements. */
const indexAt = (fraction: number, length: number) => Math.trunc(fraction * length) - (fraction < 0 ? 1 : 0);
const packedOp: fc.Arbitrary<PackedOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("push" as const), end, pick }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("pushMany" as const),
      end,
      n: fc.integer({ min: 1, max: 1500 }),
      pick,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("pop" as const), end }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("set" as const), where, pick }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("insert" as const), pivot: pick, pick, after: fc.boolean() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("insertDeep" as const), where, pick, after: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("remove" as const),
      pick,
      count: fc.integer({ min: -400, max: 400 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("trim" as const),
      head: fc.integer({ min: 0, max: 1200 }),
      tail: fc.integer({ min: 0, max: 1200 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("at" as const), where }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("range" as const),
      where,
      span: fc.integer({ min: 0, max: 1200 }),
    }),
  },
);

/** Numbers the unique markers insertDeep places. */
let markers = 0;

/**
 * Run one operation on the list and on the array model; returns both answers.
 * `pool` holds the run's values (so that pivots, LREM values and duplicates
 * collide); pushMany pushes n copies of pool values, mixed with numbered ones.
 */
function applyPacked(
  list: RedisList,
  model: string[],
  pool: readonly string[],
  operation: PackedOp,
): [unknown, unknown] {
  const poolValue = (i: number) => pool[i % pool.length]!;
  switch (operation.kind) {
    case "push": {
      const text = poolValue(operation.pick);
      list.push(b(text), operation.end);
      modelPush(model, text, operation.end);
      return [list.length, model.length];
    }
    case "pushMany": {
      for (let i = 0; i < operation.n; i++) {
        const text = i % 3 === 0 ? poolValue(operation.pick + i) : `n${i}`;
        list.push(b(text), operation.end);
        modelPush(model, text, operation.end);
      }
      return [list.length, model.length];
    }
    case "pop":
      return [list.pop(operation.end)?.toString("latin1"), modelPop(model, operation.end)];
    case "set": {
      const text = poolValue(operation.pick);
      const index = indexAt(operation.where, model.length);
      return [list.set(index, b(text)), modelSet(model, index, text)];
    }
    case "insert": {
      const pivot = poolValue(operation.pivot);
      const text = poolValue(operation.pick);
      return [
        list.insert(b(pivot), b(text), operation.after),
        modelInsert(model, pivot, text, operation.after),
      ];
    }
    case "insertDeep": {
      // LSET a unique marker somewhere, then LINSERT next to it: insertions deep inside nodes.
      const index = indexAt(operation.where, model.length);
      const position = index < 0 ? model.length + index : index;
      if (position < 0 || position >= model.length) return [list.set(index, b("marker")), false];
      const marker = `marker${++markers}`;
      expect(list.set(index, b(marker))).toBe(true);
      model[position] = marker;
      const text = poolValue(operation.pick);
      model.splice(operation.after ? position + 1 : position, 0, text);
      return [list.insert(b(marker), b(text), operation.after), model.length];
    }
    case "remove": {
      const text = poolValue(operation.pick);
      return [list.remove(b(text), operation.count), modelRemove(model, text, operation.count)];
    }
    case "trim": {
      list.trim(operation.head, operation.tail);
      modelTrim(model, operation.head, operation.tail);
      return [list.length, model.length];
    }
    case "at": {
      const index = indexAt(operation.where, model.length);
      const position = index < 0 ? model.length + index : index;
      return [list.at(index)?.toString("latin1"), model[position]];
    }
    case "range": {
      const start = Math.abs(indexAt(operation.where, model.length));
      if (start >= model.length) return [[], []];
      const last = Math.min(model.length - 1, start + operation.span);
      const sink = new Collector();
      list.writeRange(start, last, sink);
      return [sink.seen, model.slice(start, last + 1)];
    }
  }
}

describe("RedisList property: packed nodes behave like an array", () => {
  it("matches the model on elements of every size, across many nodes", () => {
    fc.assert(
      fc.property(
        fc.array(sizedValue, { minLength: 1, maxLength: 8 }),
        fc.array(packedOp, { maxLength: 80, size: "max" }),
        (pool, operations) => {
          const list = RedisList.create();
          const model: string[] = [];
          for (const operation of operations) {
            const [actual, expected] = applyPacked(list, model, pool, operation);
            expect(actual).toEqual(expected);
            expect(list.length).toBe(model.length);
          }
          expect(texts(list)).toEqual(model);
          expect([...list.values()].map((element) => element.toString("latin1"))).toEqual(model);
          expect(texts(list.clone())).toEqual(model);
          if (model.length > 0) {
            const sink = new Collector();
            list.writeRange(0, model.length - 1, sink);
            expect(sink.seen).toEqual(model);
          }
          const fromTail: (string | undefined)[] = [];
          for (let i = 0; i < model.length; i++) fromTail.push(list.at(i - model.length)?.toString("latin1"));
          expect(fromTail).toEqual(model);
          // SORT reads every position in order (the cursor cache path); also backwards in steps.
          const inOrder: (string | undefined)[] = [];
          for (let i = 0; i < model.length; i++) inOrder.push(list.at(i)?.toString("latin1"));
          expect(inOrder).toEqual(model);
          const backwards: [string | undefined, string | undefined][] = [];
          for (let i = model.length - 1; i >= 0; i -= 7)
            backwards.push([list.at(i)?.toString("latin1"), model[i]]);
          for (const [actual, expected] of backwards) expect(actual).toBe(expected);
          if (model.length === 0) expect(list.nodeTotal).toBe(0);
        },
      ),
      { numRuns: 120 },
    );
  }, 60_000);
});
