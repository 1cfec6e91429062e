/*
 * RedisString: the encodings OBJECT ENCODING reports (int / embstr / raw, as
 * redis-server 7.0 reports them), exact 64-bit integers, in-place edits with
 * amortised growth, and copies that never share bytes.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCanonicalInteger, RedisString } from "./string.js";

const text = (value: RedisString) => value.toBuffer().toString("latin1");

describe("encodings", () => {
  it("int for canonical 64-bit integers, embstr up to 44 bytes, raw beyond", () => {
    expect(RedisString.fromBytes(Buffer.from("12345")).encoding).toBe("int");
    expect(RedisString.fromBytes(Buffer.from("-9223372036854775808")).encoding).toBe("int");
    expect(RedisString.fromBytes(Buffer.from("9223372036854775807")).encoding).toBe("int");
    expect(RedisString.fromBytes(Buffer.from("9223372036854775808")).encoding).toBe("embstr");
    for (const notCanonical of ["007", "-0", "+1", " 1", "1 ", "1.0", "", "-"]) {
      expect(RedisString.fromBytes(Buffer.from(notCanonical)).encoding).toBe("embstr");
    }
    expect(RedisString.fromBytes(Buffer.alloc(44, 97)).encoding).toBe("embstr");
    expect(RedisString.fromBytes(Buffer.alloc(45, 97)).encoding).toBe("raw");
  });

  it("values built as text stay text, even when they read like integers", () => {
    const value = RedisString.fromOwnedBytes(Buffer.from("42"), false);
    expect(value.encoding).toBe("embstr");
    expect(value.isInteger).toBe(false);
    expect(value.toInteger()).toBe(42);
    expect(RedisString.emptyRaw().encoding).toBe("raw");
  });

  it("any in-place edit makes the value raw; setInteger makes it int again", () => {
    const value = RedisString.fromBytes(Buffer.from("12"));
    value.append(Buffer.alloc(0));
    expect(value.encoding).toBe("raw");
    expect(text(value)).toBe("12");
    value.setInteger(13);
    expect(value.encoding).toBe("int");
    value.setRange(0, Buffer.from("9"));
    expect(value.encoding).toBe("raw");
    expect(text(value)).toBe("93");
  });
});

describe("compact forms", () => {
  /** A reply writer's bulk-string part that records what it was given. */
  function recordingSink() {
    const calls: string[] = [];
    return {
      calls,
      bulkString: (value: string) => calls.push(`string:${value}`),
      bulkSlice: (source: Buffer, start: number, end: number) =>
        calls.push(`slice:${source.toString("latin1", start, end)}`),
      bulkInteger: (n: number | bigint) => calls.push(`integer:${n}`),
    };
  }

  it("embstr values hold any byte (latin1) and read back byte for byte", () => {
    const all = Buffer.alloc(44);
    for (let i = 0; i < 44; i++) all[i] = (i * 37 + 200) & 255;
    const value = RedisString.fromBytes(all);
    expect(value.encoding).toBe("embstr");
    expect(value.length).toBe(44);
    expect(value.toBuffer().equals(all)).toBe(true);
    expect(value.toBinaryString()).toBe(all.toString("latin1"));
  });

  it("writeBulk replies from the form the value is held in, without a copy for int and embstr", () => {
    const sink = recordingSink();
    RedisString.fromBytes(Buffer.from("-17")).writeBulk(sink);
    RedisString.fromBytes(Buffer.from("value:1")).writeBulk(sink);
    const raw = RedisString.fromBytes(Buffer.from("ab"));
    raw.append(Buffer.from("cd"));
    raw.writeBulk(sink);
    RedisString.fromBytes(Buffer.alloc(50, 120)).writeBulk(sink);
    expect(sink.calls).toEqual(["integer:-17", "string:value:1", "slice:abcd", `slice:${"x".repeat(50)}`]);
  });

  it("an embstr value edited in place turns raw and keeps its bytes; its clones are unaffected", () => {
    const value = RedisString.fromBytes(Buffer.from("hello"));
    const copy = value.clone();
    expect(copy.encoding).toBe("embstr");
    value.setRange(1, Buffer.from("E"));
    expect(value.encoding).toBe("raw");
    expect(text(value)).toBe("hEllo");
    expect(text(copy)).toBe("hello");
    const resized = RedisString.fromBytes(Buffer.from("abcdef"));
    expect(resized.resize(3).toString()).toBe("abc");
    expect(resized.encoding).toBe("raw");
  });

  it("memoryUsage counts a short embstr value far below a Buffer", () => {
    const embstr = RedisString.fromBytes(Buffer.from("value:123456"));
    const raw = RedisString.fromOwnedBytes(Buffer.from("value:123456"), true);
    expect(embstr.memoryUsage()).toBeLessThan(raw.memoryUsage() - 64);
  });
});

describe("integers", () => {
  it("round-trip exactly through text over the whole signed 64-bit range", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const value = RedisString.fromBytes(Buffer.from(n.toString()));
        expect(value.isInteger).toBe(true);
        expect(BigInt(value.integerValue)).toBe(n);
        expect(text(value)).toBe(n.toString());
        expect(value.length).toBe(n.toString().length);
        expect(typeof value.integerValue).toBe(
          n >= -9007199254740991n && n <= 9007199254740991n ? "number" : "bigint",
        );
      }),
    );
  });

  it("parseCanonicalInteger follows string2ll", () => {
    expect(parseCanonicalInteger(Buffer.from("0"))).toBe(0);
    expect(parseCanonicalInteger(Buffer.from("-1"))).toBe(-1);
    expect(parseCanonicalInteger(Buffer.from("9007199254740993"))).toBe(9007199254740993n);
    for (const refused of ["", "-", "-0", "00", "01", "+1", "1e3", "1.5", " 1", "99999999999999999999"]) {
      expect(parseCanonicalInteger(Buffer.from(refused))).toBeNull();
    }
  });

  it("setInteger stores safe bigints as numbers", () => {
    const value = RedisString.fromInteger(1);
    value.setInteger(5n);
    expect(value.integerValue).toBe(5);
    value.setInteger(2n ** 60n);
    expect(value.integerValue).toBe(2n ** 60n);
    expect(text(value)).toBe("1152921504606846976");
  });
});

describe("in-place edits", () => {
  it("append grows the storage geometrically (amortised O(1) per append)", () => {
    const value = RedisString.fromBytes(Buffer.from("x"));
    let reallocations = 0;
    let storage = value.writableBytes(1).buffer;
    for (let i = 0; i < 10_000; i++) {
      value.append(Buffer.from("ab"));
      const current = value.writableBytes(0).buffer;
      if (current !== storage) {
        reallocations++;
        storage = current;
      }
    }
    expect(value.length).toBe(20_001);
    expect(reallocations).toBeLessThan(20);
  });

  it("setRange zero-pads gaps and writableBytes exposes exactly the value", () => {
    const value = RedisString.emptyRaw();
    expect(value.setRange(3, Buffer.from("ab"))).toBe(5);
    expect([...value.toBuffer()]).toEqual([0, 0, 0, 97, 98]);
    const bytes = value.writableBytes(8);
    expect(bytes.length).toBe(8);
    bytes[7] = 122;
    expect(text(value)).toBe("\0\0\0ab\0\0z");
  });

  it("copies never share bytes with the argument or with clones", () => {
    const argument = Buffer.from("hello");
    const value = RedisString.fromBytes(argument);
    argument.write("HELLO");
    expect(text(value)).toBe("hello");
    const copy = value.clone();
    value.append(Buffer.from("!"));
    copy.setRange(0, Buffer.from("J"));
    expect(text(value)).toBe("hello!");
    expect(text(copy)).toBe("Jello");
    expect(copy.encoding).toBe("raw");
    expect(RedisString.fromBytes(Buffer.from("abc")).clone().encoding).toBe("embstr");
    expect(RedisString.fromInteger(7).clone().encoding).toBe("int");
  });

  it("resize grows with zero bytes and shrinks in place; replaceBytes takes a buffer as is", () => {
    const value = RedisString.fromBytes(Buffer.from("abc"));
    expect(value.resize(5).length).toBe(5);
    expect(text(value)).toBe("abc\0\0");
    expect(value.encoding).toBe("raw");
    value.resize(2);
    expect(text(value)).toBe("ab");
    value.resize(4);
    expect(text(value)).toBe("ab\0\0");
    const owned = Buffer.from("whole");
    value.replaceBytes(owned);
    expect(value.toBuffer()).toBe(owned);
    expect(value.length).toBe(5);
    const number = RedisString.fromInteger(12345);
    number.resize(3);
    expect(text(number)).toBe("123");
  });
});
