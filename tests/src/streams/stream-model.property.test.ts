/*
 * Property test of the stream type (@spinel/core-db RedisStream) against a
 * plain model: a sorted array of entries. Random programs of appends (explicit,
 * `ms-*` and automatic IDs), deletions, exact and approximate trims (MAXLEN and
 * MINID, with LIMIT), run with small node limits so entries spread over many
 * packed blocks; after every step the stream must hold exactly the model's
 * entries in ID order, ranges (forward and reverse, with COUNT) must match,
 * and the metadata (length, last ID, first ID, max deleted ID, entries added)
 * must agree. Approximate trims may keep more than an exact trim, but only a
 * prefix of the entries may go, never more than the exact trim removes.
 */

import { EncodingLimits, RedisStream, StreamID, TrimStrategy } from "@spinel/core-db";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

interface ModelEntry {
  ms: bigint;
  seq: bigint;
  value: string;
}

const cmp = (a: { ms: bigint; seq: bigint }, b: { ms: bigint; seq: bigint }): number =>
  a.ms !== b.ms ? (a.ms < b.ms ? -1 : 1) : a.seq !== b.seq ? (a.seq < b.seq ? -1 : 1) : 0;

type Op =
  | { kind: "add"; msStep: number; seqStep: number; fields: number }
  | { kind: "addPartial"; msStep: number }
  | { kind: "addAuto"; clockStep: number }
  | { kind: "del"; picks: number[] }
  | { kind: "maxlen"; keep: number; approx: boolean; limit: number }
  | { kind: "minid"; pick: number; approx: boolean; limit: number }
  | { kind: "range"; a: number; b: number; count: number; reverse: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      msStep: fc.nat(3),
      seqStep: fc.integer({ min: 1, max: 3 }),
      fields: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("addPartial" as const), msStep: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("addAuto" as const), clockStep: fc.nat(2) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("del" as const),
      picks: fc.array(fc.nat(200), { maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("maxlen" as const),
      keep: fc.nat(40),
      approx: fc.boolean(),
      limit: fc.nat(12),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("minid" as const),
      pick: fc.nat(200),
      approx: fc.boolean(),
      limit: fc.nat(12),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("range" as const),
      a: fc.nat(200),
      b: fc.nat(200),
      count: fc.nat(6),
      reverse: fc.boolean(),
    }),
  },
);

/** Every live entry of the stream, as the model spells them. */
function contents(
  stream: RedisStream,
  start = StreamID.MIN,
  end = StreamID.MAX,
  reverse = false,
  count = 0,
): ModelEntry[] {
  const out: ModelEntry[] = [];
  const it = stream.iterate(start, end, reverse);
  while ((count === 0 || out.length < count) && it.next()) {
    let value = "";
    for (let p = 0; p < it.pairCount; p++) value += `${it.field(p).toString()}=${it.value(p).toString()};`;
    out.push({ ms: it.ms, seq: it.seq, value });
  }
  return out;
}

function runProgram(ops: readonly Op[], maxEntries: number): void {
  const limits = new EncodingLimits();
  limits.streamNodeMaxEntries = maxEntries;
  const stream = new RedisStream();
  let model: ModelEntry[] = [];
  let last = { ms: 0n, seq: 0n };
  let added = 0n;
  let maxDeleted = { ms: 0n, seq: 0n };
  let clock = 1000;
  const pickId = (n: number): StreamID =>
    model.length === 0
      ? new StreamID(BigInt(n), 0n)
      : new StreamID(model[n % model.length]!.ms, model[n % model.length]!.seq);

  for (const op of ops) {
    switch (op.kind) {
      case "add":
      case "addPartial":
      case "addAuto": {
        let id: StreamID | null;
        if (op.kind === "add") {
          id =
            op.msStep === 0
              ? new StreamID(last.ms, last.seq + BigInt(op.seqStep))
              : new StreamID(last.ms + BigInt(op.msStep), BigInt(op.seqStep - 1));
        } else if (op.kind === "addPartial") {
          id = stream.idForMs(last.ms + BigInt(op.msStep));
          const expected =
            op.msStep === 0
              ? new StreamID(last.ms, last.seq + 1n)
              : new StreamID(last.ms + BigInt(op.msStep), 0n);
          expect(id).toEqual(expected);
        } else {
          clock += op.clockStep;
          id = stream.nextAutoId(clock);
          const expected =
            BigInt(clock) > last.ms ? new StreamID(BigInt(clock), 0n) : new StreamID(last.ms, last.seq + 1n);
          expect(id).toEqual(expected);
        }
        expect(id).not.toBeNull();
        expect(stream.isAfterLast(id!)).toBe(true);
        const fields = op.kind === "add" ? op.fields : 1;
        const pairs: Buffer[] = [];
        let value = "";
        for (let p = 0; p < fields; p++) {
          pairs.push(Buffer.from(`f${p}`), Buffer.from(`${id}:${p}`));
          value += `f${p}=${id}:${p};`;
        }
        stream.append(id!, pairs, 0, pairs.length, limits);
        model.push({ ms: id!.ms, seq: id!.seq, value });
        last = { ms: id!.ms, seq: id!.seq };
        added++;
        break;
      }
      case "del": {
        const ids = op.picks.map(pickId);
        const unique = new Set<string>();
        let expected = 0;
        for (const id of ids) {
          const key = id.toString();
          if (unique.has(key)) continue;
          unique.add(key);
          if (model.some((e) => cmp(e, id) === 0)) {
            expected++;
            if (cmp(id, maxDeleted) > 0) maxDeleted = { ms: id.ms, seq: id.seq };
          }
        }
        expect(stream.deleteEntries(ids)).toBe(expected);
        model = model.filter((e) => !ids.some((id) => cmp(e, id) === 0));
        break;
      }
      case "maxlen":
      case "minid": {
        const before = model.length;
        const minId = op.kind === "minid" ? pickId(op.pick) : StreamID.MIN;
        const exact =
          op.kind === "maxlen"
            ? model.slice(Math.max(0, model.length - op.keep))
            : model.filter((e) => cmp(e, minId) >= 0);
        const removed = stream.trim(
          op.kind === "maxlen" ? TrimStrategy.MaxLen : TrimStrategy.MinId,
          op.kind === "maxlen" ? op.keep : 0,
          minId,
          op.approx,
          op.approx ? op.limit : 0,
        );
        const after = contents(stream);
        if (!op.approx) {
          expect(after).toEqual(exact);
        } else {
          // Only a prefix goes, and never more than the exact trim would remove.
          expect(after).toEqual(model.slice(model.length - after.length));
          expect(after.length).toBeGreaterThanOrEqual(exact.length);
          if (op.limit !== 0) expect(removed).toBeLessThanOrEqual(op.limit);
        }
        expect(removed).toBe(before - after.length);
        model = after;
        break;
      }
      case "range": {
        const a = pickId(op.a);
        const b = pickId(op.b);
        const [start, end] = cmp(a, b) <= 0 ? [a, b] : [b, a];
        let expected = model.filter((e) => cmp(e, start) >= 0 && cmp(e, end) <= 0);
        if (op.reverse) expected = expected.reverse();
        if (op.count !== 0) expected = expected.slice(0, op.count);
        expect(contents(stream, start, end, op.reverse, op.count)).toEqual(expected);
        break;
      }
    }
    // Invariants after every step.
    expect(contents(stream)).toEqual(model);
    expect(stream.length).toBe(model.length);
    expect(stream.lastId).toEqual(new StreamID(last.ms, last.seq));
    expect(stream.entriesAdded).toBe(added);
    expect(stream.maxDeletedId).toEqual(new StreamID(maxDeleted.ms, maxDeleted.seq));
    const first = model[0];
    expect(stream.firstId).toEqual(first === undefined ? StreamID.MIN : new StreamID(first.ms, first.seq));
    expect(stream.edgeId(true)).toEqual(
      model.length === 0 ? null : new StreamID(model.at(-1)!.ms, model.at(-1)!.seq),
    );
    for (const entry of model.slice(0, 3)) expect(stream.has(new StreamID(entry.ms, entry.seq))).toBe(true);
  }
}

describe("stream type against a sorted-array model", () => {
  it("appends, deletions, trims and ranges agree with the model (small nodes)", () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 6 }),
        (ops, maxEntries) => {
          runProgram(ops, maxEntries);
        },
      ),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it("the same with Redis' default node size", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 50, maxLength: 400 }), (ops) => {
        runProgram(ops, 100);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it("IDs at the top of the 64-bit range order and step correctly", () => {
    const max = 0xffff_ffff_ffff_ffffn;
    const limits = new EncodingLimits();
    const stream = new RedisStream();
    stream.append(new StreamID(max - 1n, max), [Buffer.from("f"), Buffer.from("v")], 0, 2, limits);
    expect(stream.nextAutoId(0)).toEqual(new StreamID(max, 0n));
    expect(stream.idForMs(max - 1n)).toBeNull();
    stream.append(new StreamID(max, max - 1n), [Buffer.from("f"), Buffer.from("v")], 0, 2, limits);
    expect(stream.idForMs(max)).toEqual(new StreamID(max, max));
    stream.append(new StreamID(max, max), [Buffer.from("f"), Buffer.from("v")], 0, 2, limits);
    expect(stream.nextAutoId(0)).toBeNull();
    expect(contents(stream).map((e) => `${e.ms}-${e.seq}`)).toEqual([
      `${max - 1n}-${max}`,
      `${max}-${max - 1n}`,
      `${max}-${max}`,
    ]);
    expect(contents(stream, new StreamID(max, 0n), StreamID.MAX, true, 1).map((e) => e.seq)).toEqual([max]);
  });
});
