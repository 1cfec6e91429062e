/*
 * RedisHash: the type API against a Map model, the listpack -> hashtable
 * conversions at redis-server 7.0's thresholds, and the HSCAN guarantee.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EncodingLimits } from "../limits.js";
import { RedisHash } from "./hash.js";

function limits(entries = 128, value = 64): EncodingLimits {
  const result = new EncodingLimits();
  result.hashMaxListpackEntries = entries;
  result.hashMaxListpackValue = value;
  return result;
}

const defaults = limits();
const bytes = (text: string) => Buffer.from(text, "latin1");

/** Every [field, value] in iteration order (the order HGETALL replies in). */
function contents(hash: RedisHash): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < hash.length; i++) out.push([hash.fieldAt(i), hash.valueAt(i).toString("latin1")]);
  return out;
}

/** A hash holding fields f0..f(n-1) with values v0..v(n-1). */
function filled(count: number, at = defaults): RedisHash {
  const hash = new RedisHash();
  for (let i = 0; i < count; i++) hash.set(`f${i}`, bytes(`v${i}`), at);
  return hash;
}

describe("RedisHash basics", () => {
  it("starts as an empty listpack", () => {
    const hash = new RedisHash();
    expect(hash.type).toBe("hash");
    expect(hash.encoding).toBe("listpack");
    expect(hash.length).toBe(0);
    expect(hash.get("x")).toBeUndefined();
    expect(hash.has("x")).toBe(false);
  });

  it("reports new fields and replaces existing values", () => {
    const hash = new RedisHash();
    expect(hash.set("a", bytes("1"), defaults)).toBe(true);
    expect(hash.set("a", bytes("2"), defaults)).toBe(false);
    expect(hash.get("a")?.toString()).toBe("2");
    expect(hash.length).toBe(1);
    expect(hash.delete("a")).toBe(true);
    expect(hash.delete("a")).toBe(false);
    expect(hash.length).toBe(0);
  });

  it("copies the value it is given, so argument buffers can be reused", () => {
    const chunk = Buffer.from("abcdef");
    const hash = new RedisHash();
    hash.set("f", chunk.subarray(1, 4), defaults);
    chunk.fill(0x7a);
    expect(hash.get("f")?.toString()).toBe("bcd");
  });

  it("stores computed text with setText", () => {
    const hash = new RedisHash();
    expect(hash.setText("n", "-42", defaults)).toBe(true);
    expect(hash.get("n")?.toString()).toBe("-42");
    expect(hash.setText("n", "7", defaults)).toBe(false);
    expect(hash.get("n")?.toString()).toBe("7");
  });

  it("holds binary fields and values", () => {
    const hash = new RedisHash();
    const field = "\x00\r\n\xff";
    hash.set(field, Buffer.from([0, 13, 10, 255]), defaults);
    expect(hash.has(field)).toBe(true);
    expect([...hash.get(field)!]).toEqual([0, 13, 10, 255]);
  });
});

describe("RedisHash listpack order", () => {
  it("appends new fields, updates in place and closes gaps like a listpack", () => {
    const hash = new RedisHash();
    for (const field of ["a", "b", "c", "d"]) hash.set(field, bytes(field.toUpperCase()), defaults);
    hash.set("b", bytes("B2"), defaults);
    hash.delete("a");
    hash.set("a", bytes("A2"), defaults);
    hash.delete("c");
    expect(contents(hash)).toEqual([
      ["b", "B2"],
      ["d", "D"],
      ["a", "A2"],
    ]);
    expect(hash.encoding).toBe("listpack");
  });
});

describe("RedisHash conversions", () => {
  it("stays a listpack at 128 fields and converts at the 129th", () => {
    const hash = filled(128);
    expect(hash.encoding).toBe("listpack");
    hash.set("f128", bytes("x"), defaults);
    expect(hash.encoding).toBe("hashtable");
    expect(hash.length).toBe(129);
  });

  it("does not convert when an update keeps the count at the limit", () => {
    const hash = filled(128);
    hash.set("f5", bytes("again"), defaults);
    expect(hash.encoding).toBe("listpack");
  });

  it("converts when a value or a field is longer than 64 bytes, not at 64", () => {
    const value = new RedisHash();
    value.set("f", Buffer.alloc(64, 0x61), defaults);
    expect(value.encoding).toBe("listpack");
    value.set("f", Buffer.alloc(65, 0x61), defaults);
    expect(value.encoding).toBe("hashtable");

    const field = new RedisHash();
    field.set("y".repeat(64), bytes("1"), defaults);
    expect(field.encoding).toBe("listpack");
    field.setText("y".repeat(65), "1", defaults);
    expect(field.encoding).toBe("hashtable");
  });

  it("converts on an update whose new value is too long (HINCRBYFLOAT's long results)", () => {
    const hash = new RedisHash();
    hash.set("x", bytes("1e300"), defaults);
    hash.setText("x", "1".padEnd(301, "0"), defaults);
    expect(hash.encoding).toBe("hashtable");
  });

  it("follows limits changed at run time (CONFIG SET), one way only", () => {
    const live = limits(2, 64);
    const hash = filled(2, live);
    expect(hash.encoding).toBe("listpack");
    hash.set("f2", bytes("x"), live);
    expect(hash.encoding).toBe("hashtable");
    live.hashMaxListpackEntries = 128;
    hash.delete("f2");
    hash.delete("f1");
    hash.set("f9", bytes("x"), live);
    expect(hash.encoding).toBe("hashtable");
  });

  it("converts the first field when the entry limit is 0, keeps empty strings at a value limit of 0", () => {
    const none = new RedisHash();
    none.set("a", bytes("1"), limits(0, 64));
    expect(none.encoding).toBe("hashtable");
    const empty = new RedisHash();
    empty.set("", bytes(""), limits(128, 0));
    expect(empty.encoding).toBe("listpack");
    empty.set("a", bytes(""), limits(128, 0));
    expect(empty.encoding).toBe("hashtable");
  });

  it("keeps every field and value across the conversion", () => {
    const hash = filled(200);
    expect(hash.encoding).toBe("hashtable");
    for (let i = 0; i < 200; i++) expect(hash.get(`f${i}`)?.toString()).toBe(`v${i}`);
  });
});

describe("RedisHash random positions", () => {
  it("draws every position of a small hash over many draws, and only valid ones", () => {
    const hash = filled(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const position = hash.randomPosition();
      expect(position).toBeGreaterThanOrEqual(0);
      expect(position).toBeLessThan(5);
      seen.add(position);
    }
    expect(seen.size).toBe(5);
  });
});

describe("RedisHash clone", () => {
  it("copies fields, order and encoding, and the copy is independent", () => {
    for (const size of [3, 300]) {
      const hash = filled(size);
      hash.delete("f1");
      const copy = hash.clone();
      expect(copy.encoding).toBe(hash.encoding);
      expect(contents(copy)).toEqual(contents(hash));
      hash.set("f0", bytes("changed"), defaults);
      hash.delete("f2");
      copy.set("extra", bytes("1"), defaults);
      expect(copy.get("f0")?.toString()).toBe("v0");
      expect(copy.has("f2")).toBe(true);
      expect(hash.has("extra")).toBe(false);
    }
  });
});

// ---------------------------------------------------------------- model checks

type Operation = { kind: "set"; field: string; value: string } | { kind: "delete"; field: string };

const fieldArbitrary = fc.oneof(
  fc.constantFrom("a", "b", "c", "d", "e", "", "\x00", "\r\n"),
  fc.string({ maxLength: 6 }),
);
const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    field: fieldArbitrary,
    value: fc.string({ maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), field: fieldArbitrary }),
);

describe("RedisHash against a Map model", () => {
  it("agrees on every field and value, and keeps the model's order while a listpack", () => {
    fc.assert(
      fc.property(
        fc.array(operationArbitrary, { maxLength: 120 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 8 }),
        (operations, maxEntries, maxValue) => {
          const at = limits(maxEntries, maxValue);
          const hash = new RedisHash();
          // A JS Map keeps insertion order, re-appends after delete, and updates
          // in place: the same order a listpack keeps.
          const model = new Map<string, string>();
          let converted = false;
          for (const op of operations) {
            if (op.kind === "set") {
              const isNew = !model.has(op.field);
              expect(hash.set(op.field, bytes(op.value), at)).toBe(isNew);
              model.set(op.field, op.value);
              if (op.field.length > maxValue || op.value.length > maxValue || model.size > maxEntries) {
                converted = true;
              }
            } else {
              expect(hash.delete(op.field)).toBe(model.delete(op.field));
            }
            expect(hash.encoding).toBe(converted ? "hashtable" : "listpack");
          }
          expect(hash.length).toBe(model.size);
          for (const [field, value] of model) expect(hash.get(field)?.toString("latin1")).toBe(value);
          if (converted) {
            expect(new Map(contents(hash))).toEqual(model);
          } else {
            expect(contents(hash)).toEqual([...model]);
          }
        },
      ),
    );
  });
});

describe("RedisHash scan", () => {
  it("returns a listpack whole with cursor 0, whatever the cursor and count", () => {
    const hash = filled(10);
    for (const cursor of [0, 3, 12345]) {
      const fields: string[] = [];
      const values: Buffer[] = [];
      expect(hash.scan(cursor, 1, fields, values)).toBe(0);
      expect(fields).toEqual(contents(hash).map(([field]) => field));
      expect(values.map((value) => value.toString())).toEqual(contents(hash).map(([, value]) => value));
    }
  });

  it("walks a hashtable in steps of about count and ends with cursor 0", () => {
    const hash = filled(1000);
    const seen: string[] = [];
    let cursor = 0;
    let calls = 0;
    do {
      const values: Buffer[] = [];
      cursor = hash.scan(cursor, 100, seen, values);
      calls++;
    } while (cursor !== 0);
    expect(calls).toBe(10);
    expect(new Set(seen).size).toBe(1000);
    expect(seen.length).toBe(1000);
  });

  it("returns every field present for the whole iteration while the hash changes between calls", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 130, max: 400 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 60 }),
        (initial, count, changes) => {
          const hash = filled(initial);
          expect(hash.encoding).toBe("hashtable");
          // Even fields are never touched: they must all be returned. Odd ones
          // and new ones come and go, moving entries around the slot array.
          let nextField = initial;
          const seen = new Set<string>();
          let cursor = 0;
          let step = 0;
          do {
            const fields: string[] = [];
            cursor = hash.scan(cursor, count, fields, []);
            for (const field of fields) seen.add(field);
            const [grow, amount, pick] = changes[step % changes.length]!;
            step++;
            if (grow) {
              for (let i = 0; i < (amount % 40) + 1; i++) hash.set(`n${nextField++}`, bytes("x"), defaults);
            } else {
              for (let i = 0; i < (amount % 40) + 1; i++) {
                hash.delete(`f${(((pick + i) * 2) % initial) | 1}`);
                hash.delete(`n${nextField - 1 - ((pick + i) % 7)}`);
              }
            }
          } while (cursor !== 0 && step < 10_000);
          expect(cursor).toBe(0);
          for (let i = 0; i < initial; i += 2) expect(seen.has(`f${i}`)).toBe(true);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------- the packed listpack

/** Any bytes as a latin1 string (fields), with a bias towards short and repeated ones. */
const binaryField = fc.oneof(
  fc.constantFrom("", "a", "b", "\x00", "\xff", "\x80\x7f", "\r\n"),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  fc.uint8Array({ minLength: 120, maxLength: 140 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
);
const binaryValue = fc.oneof(
  fc.constantFrom("", "0", "\x00\xff"),
  fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  fc.uint8Array({ minLength: 120, maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
);

type RichOperation =
  | { kind: "set" | "setText"; field: string; value: string }
  | { kind: "delete"; field: string }
  | { kind: "clone" }
  | { kind: "read"; position: number };

const richOperation: fc.Arbitrary<RichOperation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant("set" as const), field: binaryField, value: binaryValue }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("setText" as const), field: binaryField, value: binaryValue }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("delete" as const), field: binaryField }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("clone" as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("read" as const), position: fc.nat() }) },
);

/** A hash holding `pairs` in order, built fresh with `at`. */
function rebuilt(pairs: [string, string][], at: EncodingLimits): RedisHash {
  const hash = new RedisHash();
  for (const [field, value] of pairs) hash.set(field, bytes(value), at);
  return hash;
}

describe("RedisHash packed listpack against a Map model", () => {
  it("agrees on binary fields and values, order, lengths, clones and memory, and converts at both limits", () => {
    fc.assert(
      fc.property(
        fc.array(richOperation, { maxLength: 80 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(0, 1, 12, 64, 200, 1000),
        (operations, maxEntries, maxValue) => {
          const at = limits(maxEntries, maxValue);
          let hash = new RedisHash();
          const model = new Map<string, string>();
          let converted = false;
          for (const op of operations) {
            if (op.kind === "set" || op.kind === "setText") {
              const isNew = !model.has(op.field);
              const result =
                op.kind === "set"
                  ? hash.set(op.field, bytes(op.value), at)
                  : hash.setText(op.field, op.value, at);
              expect(result).toBe(isNew);
              model.set(op.field, op.value);
              if (op.field.length > maxValue || op.value.length > maxValue || model.size > maxEntries) {
                converted = true;
              }
            } else if (op.kind === "delete") {
              expect(hash.delete(op.field)).toBe(model.delete(op.field));
            } else if (op.kind === "clone") {
              const copy = hash.clone();
              expect(copy.memoryUsage()).toBe(hash.memoryUsage());
              hash = copy;
            } else if (op.kind === "read" && model.size > 0) {
              // A read at any position, then in order from there: what HRANDFIELD and HGETALL do.
              const position = op.position % model.size;
              const expected = [...model][position]!;
              if (!converted) {
                expect([hash.fieldAt(position), hash.valueAt(position).toString("latin1")]).toEqual(expected);
              }
              expect(contents(hash).length).toBe(model.size);
            }
            expect(hash.encoding).toBe(converted ? "hashtable" : "listpack");
            expect(hash.length).toBe(model.size);
          }
          for (const [field, value] of model) {
            expect(hash.get(field)?.toString("latin1")).toBe(value);
            expect(hash.has(field)).toBe(true);
            expect(hash.valueLength(field)).toBe(value.length);
          }
          expect(hash.valueLength("\x00missing\x00")).toBe(model.has("\x00missing\x00") ? 0 : -1);
          if (converted) {
            expect(new Map(contents(hash))).toEqual(model);
            // The running figure depends only on what the hash holds, not on its history.
            if (model.size > 0)
              expect(hash.memoryUsage()).toBe(rebuilt([...model], limits(0, 0)).memoryUsage());
          } else {
            expect(contents(hash)).toEqual([...model]);
            expect(hash.memoryUsage()).toBe(rebuilt([...model], at).memoryUsage());
            const fields: string[] = [];
            const values: Buffer[] = [];
            expect(hash.scan(0, 1, fields, values)).toBe(0);
            expect(fields.map((field, i) => [field, values[i]!.toString("latin1")])).toEqual([...model]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("holds empty values and an empty field, distinct from missing ones", () => {
    const hash = new RedisHash();
    for (let i = 0; i < 20; i++) hash.set(`e${i}`, Buffer.alloc(0), defaults);
    hash.set("", Buffer.alloc(0), defaults);
    expect(hash.encoding).toBe("listpack");
    expect(hash.length).toBe(21);
    expect(hash.get("e7")?.length).toBe(0);
    expect(hash.get("")?.length).toBe(0);
    expect(hash.valueLength("")).toBe(0);
    expect(hash.get("e20")).toBeUndefined();
    expect(hash.valueLength("e20")).toBe(-1);
    expect(hash.fieldAt(20)).toBe("");
    hash.delete("e0");
    expect(hash.fieldAt(0)).toBe("e1");
  });

  it("keeps all 256 byte values across the conversion to a hashtable", () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const at = limits(3, 300);
    const hash = new RedisHash();
    hash.set(all.toString("latin1"), all, at);
    hash.set("\xff", Buffer.from([0, 255]), at);
    hash.set("\x00", Buffer.alloc(0), at);
    expect(hash.encoding).toBe("listpack");
    expect(hash.get(all.toString("latin1"))!.equals(all)).toBe(true);
    hash.set("fourth", all.subarray(128), at);
    expect(hash.encoding).toBe("hashtable");
    expect(hash.get(all.toString("latin1"))!.equals(all)).toBe(true);
    expect([...hash.get("\xff")!]).toEqual([0, 255]);
    expect(hash.get("\x00")!.length).toBe(0);
    expect(hash.get("fourth")!.equals(all.subarray(128))).toBe(true);
  });

  it("gives out copies: changing a value read from a listpack changes nothing stored", () => {
    const hash = filled(5);
    hash.get("f1")!.fill(0x7a);
    hash.valueAt(2).fill(0x7a);
    const values: Buffer[] = [];
    hash.scan(0, 10, [], values);
    values[3]!.fill(0x7a);
    expect(contents(hash).map(([, value]) => value)).toEqual(["v0", "v1", "v2", "v3", "v4"]);
  });

  it("accounts a listpack as one object and one string: a few bytes per field, not a hundred", () => {
    const hash = new RedisHash();
    const empty = hash.memoryUsage();
    for (let i = 0; i < 10; i++) hash.set(`field:${i}`, bytes(`value:${i}`), defaults);
    // Ten pairs of 7-byte fields and values: 160 bytes of pairs and lengths.
    expect(hash.memoryUsage() - empty).toBeGreaterThanOrEqual(160);
    expect(hash.memoryUsage() - empty).toBeLessThan(176);
    for (let i = 0; i < 10; i++) hash.delete(`field:${i}`);
    expect(hash.memoryUsage()).toBe(empty);
  });
});

describe("RedisHash.fromPairs", () => {
  it("builds what the same set() calls build: contents, order, encoding and memory; null on a repeated field", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(binaryField, binaryValue), { maxLength: 60 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(0, 12, 64, 200),
        (pairs, maxEntries, maxValue) => {
          const at = limits(maxEntries, maxValue);
          const sequential = new RedisHash();
          let distinct = true;
          for (const [field, value] of pairs) if (!sequential.set(field, bytes(value), at)) distinct = false;
          const values = pairs.map(([, value]) => bytes(value));
          const built = RedisHash.fromPairs(
            pairs.map(([field]) => field),
            values,
            at,
          );
          if (!distinct) {
            expect(built).toBeNull();
            return;
          }
          expect(built).not.toBeNull();
          expect(built!.encoding).toBe(sequential.encoding);
          expect(contents(built!)).toEqual(contents(sequential));
          expect(built!.memoryUsage()).toBe(sequential.memoryUsage());
          // The hash keeps copies: the caller's buffers may be reused.
          for (const value of values) value.fill(0x21);
          expect(contents(built!)).toEqual(contents(sequential));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds repeats among many fields (beyond the pairwise check) in both encodings", () => {
    const fields = Array.from({ length: 100 }, (_, i) => `f${i}`);
    const values = fields.map((field) => bytes(field));
    expect(RedisHash.fromPairs(fields, values, defaults)?.encoding).toBe("listpack");
    fields[70] = "f3";
    expect(RedisHash.fromPairs(fields, values, defaults)).toBeNull();
    expect(RedisHash.fromPairs(fields, values, limits(10, 64))).toBeNull();
  });
});
