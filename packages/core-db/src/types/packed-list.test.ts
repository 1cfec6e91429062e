import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { modelInsert, modelPop, modelPush, modelRemove, modelSet, modelTrim } from "../../test/list-model.js";
import { ListEnd, PACKED_LIST_MAX_BYTES, RedisList } from "./list.js";
import { EMPTY_PACKED_LIST, isPlainListpack, packedEntrySize } from "./packed-list.js";

const b = (text: string): Buffer => Buffer.from(text, "latin1");
const texts = (list: RedisList): string[] => list.toArray().map((element) => element.toString("latin1"));

/** Collects what writeRange hands out, through bulkChars too (a ReplyWriter's way). */
class CharsCollector {
  readonly seen: string[] = [];
  bulk(element: Buffer): void {
    this.seen.push(element.toString("latin1"));
  }
  bulkSlice(source: Buffer, start: number, end: number): void {
    this.seen.push(source.toString("latin1", start, end));
  }
  bulkChars(source: string, start: number, end: number): void {
    this.seen.push(source.slice(start, end));
  }
}

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

/** The small form's string is a listpack of `model`'s elements, in order. */
function expectListpackOf(list: RedisList, model: readonly string[]): void {
  const packed = list.packedListpack;
  if (packed === undefined) return;
  const bytes = b(packed);
  expect(isPlainListpack(bytes, 0, bytes.length)).toBe(true);
  expect(bytes.readUInt32LE(0)).toBe(bytes.length);
  expect(bytes.readUInt16LE(4)).toBe(model.length);
  let size = 7;
  for (const element of model) size += packedEntrySize(element.length);
  expect(bytes.length).toBe(size);
}

describe("packed list layout", () => {
  it("writes Redis' listpack string encodings and back-lengths", () => {
    const list = RedisList.fromOwned([b("ab"), Buffer.alloc(64, 0x61), Buffer.alloc(200, 0x62)]);
    const bytes = b(list.packedListpack!);
    // "ab": 6-bit length, 2 bytes, back-length 3.
    expect([...bytes.subarray(6, 10)]).toEqual([0x82, 0x61, 0x62, 3]);
    // 64 bytes: 12-bit length (0xE0 0x40), back-length 66.
    expect([...bytes.subarray(10, 12)]).toEqual([0xe0, 0x40]);
    expect(bytes[12 + 64]).toBe(66);
    // 200 bytes: entry of 202 bytes, a two-byte back-length (202 >> 7, then low bits | 0x80).
    const third = 12 + 64 + 1;
    expect([...bytes.subarray(third, third + 2)]).toEqual([0xe0, 200]);
    expect([...bytes.subarray(third + 202, third + 204)]).toEqual([1, (202 & 0x7f) | 0x80]);
    expect(bytes[bytes.length - 1]).toBe(0xff);
    expect(bytes.readUInt32LE(0)).toBe(bytes.length);
    expect(bytes.readUInt16LE(4)).toBe(3);
  });

  it("recognises a plain listpack and refuses anything else", () => {
    const source = RedisList.fromOwned(["x", "yy", ""].map(b));
    const bytes = b(source.packedListpack!);
    expect(isPlainListpack(bytes, 0, bytes.length)).toBe(true);
    // An integer entry (7-bit uint 5), a wrong count, a wrong total, a missing terminator.
    const withInteger = Buffer.from([8, 0, 0, 0, 1, 0, 0x05, 1, 0xff]);
    expect(isPlainListpack(withInteger, 0, withInteger.length)).toBe(false);
    const wrongCount = Buffer.from(bytes);
    wrongCount[4] = 7;
    expect(isPlainListpack(wrongCount, 0, wrongCount.length)).toBe(false);
    const wrongTotal = Buffer.from(bytes);
    wrongTotal[0] = 3;
    expect(isPlainListpack(wrongTotal, 0, wrongTotal.length)).toBe(false);
    expect(isPlainListpack(bytes, 0, bytes.length - 1)).toBe(false);
    const badBackLength = Buffer.from(bytes);
    badBackLength[8] = 9;
    expect(isPlainListpack(badBackLength, 0, badBackLength.length)).toBe(false);
    expect(isPlainListpack(b(EMPTY_PACKED_LIST), 0, 7)).toBe(true);
  });

  it("grows into the large form past the limit and packs back at half of it", () => {
    const list = RedisList.create();
    const element = Buffer.alloc(100, 0x78);
    let pushed = 0;
    while (list.isPacked) {
      list.push(element, ListEnd.Tail);
      pushed++;
    }
    expect(pushed * packedEntrySize(100) + 7).toBeGreaterThan(PACKED_LIST_MAX_BYTES);
    expect(list.length).toBe(pushed);
    // Popping to just above half keeps the large form; below it, the small one returns.
    while (list.length * packedEntrySize(100) + 7 > PACKED_LIST_MAX_BYTES / 2) {
      expect(list.isPacked).toBe(false);
      list.pop(ListEnd.Head);
    }
    expect(list.isPacked).toBe(true);
    expect(list.length).toBeGreaterThan(0);
    expect(texts(list).every((text) => text === element.toString("latin1"))).toBe(true);
    // One element bigger than the limit takes the large form at once, and leaves it when popped.
    list.push(Buffer.alloc(PACKED_LIST_MAX_BYTES + 1, 0x79), ListEnd.Head);
    expect(list.isPacked).toBe(false);
    expect(list.pop(ListEnd.Head)!.length).toBe(PACKED_LIST_MAX_BYTES + 1);
    expect(list.isPacked).toBe(true);
  });

  it("accounts a small list as one object and one string", () => {
    const list = RedisList.fromOwned(Array.from({ length: 10 }, (_, i) => b(`member:${i}:12345`)));
    const packed = list.packedListpack!;
    expect(list.memoryUsage()).toBe(32 + ((16 + packed.length + 7) & ~7));
  });
});

// ---------------------------------------------------------------- property

type Op =
  | { kind: "push"; end: ListEnd; picks: number[] }
  | { kind: "pop"; end: ListEnd }
  | { kind: "set"; where: number; pick: number }
  | { kind: "insert"; pivot: number; pick: number; after: boolean }
  | { kind: "remove"; pick: number; count: number }
  | { kind: "trim"; head: number; tail: number }
  | { kind: "positions"; pick: number; rank: number; maxMatches: number; maxScan: number }
  | { kind: "range"; where: number; span: number }
  | { kind: "copy" };

const end = fc.constantFrom(ListEnd.Head, ListEnd.Tail);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("push" as const),
      end,
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("pop" as const), end }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("set" as const), where: fc.integer(), pick: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("insert" as const),
      pivot: fc.nat(),
      pick: fc.nat(),
      after: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("remove" as const),
      pick: fc.nat(),
      count: fc.integer({ min: -3, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("trim" as const),
      head: fc.integer({ min: 0, max: 5 }),
      tail: fc.integer({ min: 0, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("positions" as const),
      pick: fc.nat(),
      rank: fc.integer({ min: -3, max: 3 }).filter((rank) => rank !== 0),
      maxMatches: fc.integer({ min: 0, max: 3 }),
      maxScan: fc.integer({ min: 0, max: 20 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("range" as const), where: fc.nat(), span: fc.nat({ max: 30 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "copy" as const }) },
);

/** Elements of sizes that cross every encoding: empty, 6-bit, 12-bit, 32-bit lengths. */
const sizedElement = fc
  .tuple(fc.constantFrom(0, 1, 5, 63, 64, 127, 200, 1000, 4095, 4096, 5000), fc.nat({ max: 255 }))
  .map(([size, seed]) => {
    let text = "";
    for (let i = 0; i < size; i++) text += String.fromCharCode((seed * 31 + i * 7) % 256);
    return text;
  });

function modelPositions(
  model: string[],
  text: string,
  rank: number,
  maxMatches: number,
  maxScan: number,
): number[] {
  const found: number[] = [];
  const scan = maxScan === 0 ? model.length : Math.min(maxScan, model.length);
  let matches = 0;
  for (let n = 0; n < scan; n++) {
    const position = rank > 0 ? n : model.length - 1 - n;
    if (model[position] !== text) continue;
    if (++matches < Math.abs(rank)) continue;
    found.push(position);
    if (maxMatches !== 0 && found.length >= maxMatches) break;
  }
  return found;
}

/** Apply `operation` to the list and the model; returns [list's answer, model's answer]. */
function apply(list: RedisList, model: string[], pool: string[], operation: Op): [unknown, unknown] {
  const value = (pick: number): string => pool[pick % pool.length]!;
  switch (operation.kind) {
    case "push": {
      const elements = operation.picks.map((pick) => b(value(pick)));
      if (operation.picks.length === 1) list.push(elements[0]!, operation.end);
      else list.pushAll(elements, 0, elements.length, operation.end);
      for (const pick of operation.picks) modelPush(model, value(pick), operation.end);
      return [list.length, model.length];
    }
    case "pop":
      return [list.pop(operation.end)?.toString("latin1"), modelPop(model, operation.end)];
    case "set": {
      const index = model.length === 0 ? operation.where % 3 : operation.where % (model.length + 2);
      const text = value(operation.pick);
      return [list.set(index, b(text)), modelSet(model, index, text)];
    }
    case "insert": {
      const pivot = value(operation.pivot);
      const text = value(operation.pick);
      return [
        list.insert(b(pivot), b(text), operation.after),
        modelInsert(model, pivot, text, operation.after),
      ];
    }
    case "remove": {
      const text = value(operation.pick);
      return [list.remove(b(text), operation.count), modelRemove(model, text, operation.count)];
    }
    case "trim": {
      list.trim(operation.head, operation.tail);
      modelTrim(model, operation.head, operation.tail);
      return [list.length, model.length];
    }
    case "positions": {
      const text = value(operation.pick);
      return [
        list.positions(b(text), operation.rank, operation.maxMatches, operation.maxScan),
        modelPositions(model, text, operation.rank, operation.maxMatches, operation.maxScan),
      ];
    }
    case "range": {
      if (model.length === 0) return [[], []];
      const start = operation.where % model.length;
      const last = Math.min(model.length - 1, start + operation.span);
      const sink = new Collector();
      list.writeRange(start, last, sink);
      const chars = new CharsCollector();
      list.writeRange(start, last, chars);
      return [
        [sink.seen, chars.seen],
        [model.slice(start, last + 1), model.slice(start, last + 1)],
      ];
    }
    case "copy": {
      const copy = list.clone();
      return [texts(copy), [...model]];
    }
  }
}

describe("RedisList property: the packed form and its conversions behave like an array", () => {
  it("matches the model through random operations, in both forms and across conversions", () => {
    const seen = { packed: 0, large: 0, packedBack: 0, grown: 0 };
    fc.assert(
      fc.property(
        fc.array(sizedElement, { minLength: 1, maxLength: 6 }),
        fc.array(op, { maxLength: 150, size: "max" }),
        (pool, operations) => {
          const list = RedisList.create();
          const model: string[] = [];
          for (const operation of operations) {
            const wasPacked = list.isPacked;
            const [actual, expected] = apply(list, model, pool, operation);
            expect(actual).toEqual(expected);
            expect(list.length).toBe(model.length);
            expectListpackOf(list, model);
            if (list.isPacked) seen.packed++;
            else seen.large++;
            if (wasPacked && !list.isPacked) seen.grown++;
            if (!wasPacked && list.isPacked) seen.packedBack++;
          }
          expect(texts(list)).toEqual(model);
          expect([...list.values()].map((element) => element.toString("latin1"))).toEqual(model);
          for (let i = 0; i < model.length; i++) {
            expect(list.at(i)?.toString("latin1")).toBe(model[i]);
            expect(list.at(i - model.length)?.toString("latin1")).toBe(model[i]);
          }
          expect(list.at(model.length)).toBeUndefined();
          expect(list.at(-model.length - 1)).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
    // The runs went through both forms and both conversions.
    expect(seen.packed).toBeGreaterThan(0);
    expect(seen.large).toBeGreaterThan(0);
    expect(seen.grown).toBeGreaterThan(0);
    expect(seen.packedBack).toBeGreaterThan(0);
  }, 120_000);
});
