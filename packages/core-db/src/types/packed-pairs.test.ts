/*
 * The packed pair layout on its own: varint lengths at their boundaries, every
 * byte value in fields and values, in-place replacement and deletion keeping the
 * other pairs, the count header, and the positional cache across strings.
 */

import { describe, expect, it } from "vitest";
import {
  EMPTY_PACKED,
  packedAppend,
  packedCopy,
  packedCount,
  packedDelete,
  packedEntries,
  packedFieldAt,
  packedFind,
  packedGet,
  packedHas,
  packedPairSize,
  packedReplace,
  packedValueAt,
  packedValueLength,
} from "./packed-pairs.js";

/** Packed pairs built by appending [field, value] in order. */
function build(pairs: [string, Buffer][]): string {
  let packed = EMPTY_PACKED;
  for (const [field, value] of pairs) packed = packedAppend(packed, field, value);
  return packed;
}

/** Every pair read back by position. */
function readAll(packed: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < packedCount(packed); i++) {
    out.push([packedFieldAt(packed, i), packedValueAt(packed, i).toString("latin1")]);
  }
  return out;
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const ALL_CHARS = ALL_BYTES.toString("latin1");

describe("packed pairs layout", () => {
  it("an empty packing has no pairs and finds nothing", () => {
    expect(packedCount(EMPTY_PACKED)).toBe(0);
    expect(packedHas(EMPTY_PACKED, "")).toBe(false);
    expect(packedGet(EMPTY_PACKED, "a")).toBeUndefined();
    expect(packedValueLength(EMPTY_PACKED, "a")).toBe(-1);
  });

  it("takes one length char below 128 bytes, two up to 16383, three beyond", () => {
    expect(packedPairSize("f", 0)).toBe(1 + 1 + 1);
    expect(packedPairSize("f", 127)).toBe(1 + 1 + 1 + 127);
    expect(packedPairSize("f", 128)).toBe(1 + 1 + 2 + 128);
    expect(packedPairSize("f", 16383)).toBe(1 + 1 + 2 + 16383);
    expect(packedPairSize("f", 16384)).toBe(1 + 1 + 3 + 16384);
    const packed = build([["f", Buffer.alloc(200, 7)]]);
    expect(packed.length).toBe(3 + packedPairSize("f", 200));
  });

  it("round-trips lengths at every varint boundary, for fields and values", () => {
    const lengths = [0, 1, 127, 128, 129, 255, 256, 16383, 16384, 70_000];
    const pairs: [string, Buffer][] = lengths.map((length, i) => [
      String.fromCharCode(65 + i).repeat(length === 0 ? 1 : Math.min(length, 300)) + "x".repeat(i),
      Buffer.alloc(length, 97 + i),
    ]);
    pairs.push(["", Buffer.alloc(128, 1)]);
    const packed = build(pairs);
    expect(packedCount(packed)).toBe(pairs.length);
    for (const [field, value] of pairs) {
      expect(packedGet(packed, field)!.equals(value)).toBe(true);
      expect(packedValueLength(packed, field)).toBe(value.length);
    }
    expect(readAll(packed)).toEqual(pairs.map(([field, value]) => [field, value.toString("latin1")]));
  });

  it("keeps every byte value 0..255 in fields and values", () => {
    const packed = build([
      [ALL_CHARS, ALL_BYTES],
      ["\x80\xff\x00", Buffer.from([0x80, 0xff, 0x00])],
      ["plain", Buffer.from(ALL_BYTES).reverse()],
    ]);
    expect(packedGet(packed, ALL_CHARS)!.equals(ALL_BYTES)).toBe(true);
    expect([...packedGet(packed, "\x80\xff\x00")!]).toEqual([0x80, 0xff, 0x00]);
    expect(packedFieldAt(packed, 0)).toBe(ALL_CHARS);
    expect(packedValueAt(packed, 2)[0]).toBe(255);
    // A field that is a prefix or an extension of a stored one is not a match.
    expect(packedHas(packed, ALL_CHARS.slice(0, 255))).toBe(false);
    expect(packedHas(packed, `${ALL_CHARS}\x00`)).toBe(false);
    expect(packedHas(packed, "\x80\xff")).toBe(false);
  });

  it("replaces a value in place (same position) whether it grows, shrinks or keeps its length", () => {
    let packed = build([
      ["a", Buffer.from("1")],
      ["b", Buffer.from("22")],
      ["c", Buffer.from("333")],
    ]);
    for (const value of ["x".repeat(200), "", "yy", "z".repeat(20_000), "22"]) {
      packed = packedReplace(packed, packedFind(packed, "b"), Buffer.from(value));
      expect(readAll(packed)).toEqual([
        ["a", "1"],
        ["b", value],
        ["c", "333"],
      ]);
    }
  });

  it("returns the same string when the new value holds the same bytes, a new one when one byte differs", () => {
    const packed = build([
      ["a", Buffer.from("1")],
      ["b", Buffer.from("22\xff", "latin1")],
    ]);
    expect(packedReplace(packed, packedFind(packed, "b"), Buffer.from("22\xff", "latin1"))).toBe(packed);
    const changed = packedReplace(packed, packedFind(packed, "b"), Buffer.from("22\xfe", "latin1"));
    expect(readAll(changed)).toEqual([
      ["a", "1"],
      ["b", "22\xfe"],
    ]);
  });

  it("deletes the first, a middle and the last pair, closing the gap", () => {
    const pairs: [string, Buffer][] = ["a", "b", "c", "d", "e"].map((f) => [f, Buffer.from(f.repeat(150))]);
    let packed = build(pairs);
    expect(packedDelete(packed, "zz")).toBeNull();
    packed = packedDelete(packed, "a")!;
    packed = packedDelete(packed, "c")!;
    packed = packedDelete(packed, "e")!;
    expect(readAll(packed)).toEqual([
      ["b", "b".repeat(150)],
      ["d", "d".repeat(150)],
    ]);
    packed = packedDelete(packedDelete(packed, "b")!, "d")!;
    expect(packed).toBe(EMPTY_PACKED);
  });

  it("counts beyond one header byte", () => {
    let packed = EMPTY_PACKED;
    for (let i = 0; i < 300; i++) packed = packedAppend(packed, `f${i}`, Buffer.from(`${i}`));
    expect(packedCount(packed)).toBe(300);
    packed = packedDelete(packed, "f17")!;
    expect(packedCount(packed)).toBe(299);
    expect(packedGet(packed, "f299")?.toString()).toBe("299");
    // The header is three little-endian bytes.
    expect(packedCount("\x45\x23\x01")).toBe(0x012345);
  });

  it("reads positions right in any order, across strings read alternately", () => {
    const first = build(
      Array.from({ length: 40 }, (_, i): [string, Buffer] => [`a${i}`, Buffer.from(`${i}`)]),
    );
    const second = build(
      Array.from({ length: 40 }, (_, i): [string, Buffer] => [`b${i}`, Buffer.from(`${-i}`)]),
    );
    const order = [0, 1, 2, 39, 5, 5, 6, 0, 38, 39, 12, 11, 10, 13];
    for (const position of order) {
      expect(packedFieldAt(first, position)).toBe(`a${position}`);
      expect(packedFieldAt(second, position)).toBe(`b${position}`);
      expect(packedValueAt(first, position).toString()).toBe(`${position}`);
      expect(packedValueAt(second, position).toString()).toBe(`${-position}`);
    }
  });

  it("hands out values and fields that do not share storage with the packing", () => {
    const packed = build([["field-long-enough-to-slice", Buffer.from("value-long-enough-to-slice")]]);
    const value = packedGet(packed, "field-long-enough-to-slice")!;
    value.fill(0);
    expect(packedGet(packed, "field-long-enough-to-slice")?.toString()).toBe("value-long-enough-to-slice");
    const fields: string[] = [];
    const values: Buffer[] = [];
    packedEntries(packed, fields, values);
    values[0]!.fill(1);
    expect(fields).toEqual(["field-long-enough-to-slice"]);
    expect(packedValueAt(packed, 0).toString()).toBe("value-long-enough-to-slice");
    const copy = packedCopy(packed);
    expect(copy).toBe(packed); // equal contents
  });

  it("works after a packing larger than the kept scratch space", () => {
    const big = build([
      ["big", Buffer.alloc(400_000, 0x62)],
      ["small", Buffer.from("s")],
    ]);
    expect(packedGet(big, "big")!.length).toBe(400_000);
    const small = build([["x", Buffer.from("y")]]);
    expect(readAll(small)).toEqual([["x", "y"]]);
    expect(
      packedGet(packedReplace(big, packedFind(big, "small"), Buffer.from("t")), "small")?.toString(),
    ).toBe("t");
  });
});
