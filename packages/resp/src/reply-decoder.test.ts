import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutAt, decodeReplies } from "../test/chunking.js";
import { anyValue, sameValue } from "../test/values.js";
import {
  encodeValue,
  ReplyDecoder,
  RespAttributed,
  RespBigNumber,
  RespDouble,
  RespError,
  RespMap,
  RespProtocolError,
  RespPush,
  RespSet,
  type RespValue,
  RespVerbatim,
} from "./index.js";

const b = (text: string) => Buffer.from(text, "latin1");

/** Values of a stream fed in one chunk; throws the decoder's error. */
function decode(text: string | Buffer, options = {}): RespValue[] {
  const decoder = new ReplyDecoder(options);
  decoder.feed(typeof text === "string" ? b(text) : text);
  const values: RespValue[] = [];
  for (let value = decoder.next(); value !== undefined; value = decoder.next()) values.push(value);
  return values;
}

/** The one value a complete stream holds. */
function one(text: string): RespValue {
  const values = decode(text);
  expect(values).toHaveLength(1);
  return values[0]!;
}

function errorOf(text: string, options = {}): string | null {
  return decodeReplies([b(text)], options).error;
}

describe("ReplyDecoder: RESP2 types", () => {
  it("simple strings are latin1 strings", () => {
    expect(one("+OK\r\n")).toBe("OK");
    expect(one("+\r\n")).toBe("");
    expect(one("+caf\xe9\r\n")).toBe("caf\xe9");
  });

  it("errors are values, not exceptions", () => {
    const error = one("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    expect(error).toBeInstanceOf(RespError);
    expect((error as RespError).code).toBe("WRONGTYPE");
    expect((error as RespError).message).toBe(
      "WRONGTYPE Operation against a key holding the wrong kind of value",
    );
    expect((error as RespError).blob).toBe(false);
  });

  it("integers are numbers when safe, bigints beyond", () => {
    expect(one(":0\r\n")).toBe(0);
    expect(one(":-1\r\n")).toBe(-1);
    expect(one(":+7\r\n")).toBe(7);
    expect(Object.is(one(":-0\r\n"), 0)).toBe(true);
    expect(one(":9007199254740991\r\n")).toBe(9007199254740991);
    expect(one(":9007199254740992\r\n")).toBe(9007199254740992n);
    expect(one(":9223372036854775807\r\n")).toBe(9223372036854775807n);
    expect(one(":-9223372036854775808\r\n")).toBe(-9223372036854775808n);
  });

  it("bulk strings are Buffers, binary-safe", () => {
    const value = one("$6\r\n\0\r\n\xff\r\n\r\n") as Buffer;
    expect(Buffer.isBuffer(value)).toBe(true);
    expect([...value]).toEqual([0, 13, 10, 255, 13, 10]);
    expect(one("$0\r\n\r\n")).toEqual(Buffer.alloc(0));
  });

  it("null bulk and null array are null", () => {
    expect(decode("$-1\r\n*-1\r\n")).toEqual([null, null]);
  });

  it("arrays nest", () => {
    const value = one("*3\r\n:1\r\n*2\r\n+a\r\n$1\r\nb\r\n*0\r\n");
    expect(value).toEqual([1, ["a", b("b")], []]);
  });

  it("copies bulks by default and returns views with bulkViews", () => {
    const chunk = b("$3\r\nabc\r\n");
    const copied = decode(chunk)[0] as Buffer;
    const viewed = decode(chunk, { bulkViews: true })[0] as Buffer;
    chunk.write("xyz", 4, "latin1");
    expect(copied.toString()).toBe("abc");
    expect(viewed.toString()).toBe("xyz");
  });
});

describe("ReplyDecoder: RESP3 types", () => {
  it("null, booleans", () => {
    expect(decode("_\r\n#t\r\n#f\r\n")).toEqual([null, true, false]);
  });

  it("doubles, with inf, -inf and nan", () => {
    const values = decode(
      ",1.5\r\n,-0\r\n,1e+20\r\n,inf\r\n,-inf\r\n,nan\r\n,1.1000000000000001\r\n,.5\r\n,3\r\n",
    );
    expect(values.every((value) => value instanceof RespDouble)).toBe(true);
    const numbers = values.map((value) => (value as RespDouble).value);
    expect(numbers).toEqual([1.5, -0, 1e20, Infinity, -Infinity, Number.NaN, 1.1, 0.5, 3]);
    expect(Object.is(numbers[1], -0)).toBe(true);
  });

  it("big numbers", () => {
    expect(one("(3492890328409238509324850943850943825024385\r\n")).toEqual(
      new RespBigNumber(3492890328409238509324850943850943825024385n),
    );
    expect(one("(-5\r\n")).toEqual(new RespBigNumber(-5n));
  });

  it("blob errors", () => {
    expect(one("!22\r\nSYNTAX invalid\r\nsyntax\r\n")).toEqual(
      new RespError("SYNTAX invalid\r\nsyntax", true),
    );
  });

  it("verbatim strings", () => {
    const value = one("=15\r\ntxt:Some string\r\n") as RespVerbatim;
    expect(value).toBeInstanceOf(RespVerbatim);
    expect(value.format).toBe("txt");
    expect(value.toString()).toBe("Some string");
  });

  it("maps keep pairs in order, duplicates included, and look keys up by content", () => {
    const map = one("%3\r\n+first\r\n:1\r\n$6\r\nsecond\r\n:2\r\n+first\r\n:3\r\n") as RespMap;
    expect(map).toBeInstanceOf(RespMap);
    expect(map.entries).toEqual([
      ["first", 1],
      [b("second"), 2],
      ["first", 3],
    ]);
    expect(map.size).toBe(3);
    expect(map.get("second")).toBe(2);
    expect(map.get("first")).toBe(1);
    expect(map.get("third")).toBeUndefined();
  });

  it("sets and pushes", () => {
    expect(one("~2\r\n+a\r\n:1\r\n")).toEqual(new RespSet(["a", 1]));
    expect(one(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n")).toEqual(
      new RespPush([b("message"), b("ch"), b("hi")]),
    );
    expect(decode("%0\r\n~0\r\n>0\r\n")).toEqual([new RespMap([]), new RespSet([]), new RespPush([])]);
  });

  it("attributes attach to the value that follows, at top level and inside aggregates", () => {
    const top = one("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2039123\r\n:9543892\r\n");
    expect(top).toEqual(
      new RespAttributed(
        new RespMap([["key-popularity", new RespMap([[b("a"), new RespDouble(0.19)]])]]),
        [2039123, 9543892],
      ),
    );
    const inner = one("*2\r\n|1\r\n+ttl\r\n:3600\r\n+v\r\n:1\r\n");
    expect(inner).toEqual([new RespAttributed(new RespMap([["ttl", 3600]]), "v"), 1]);
    expect(one("|0\r\n+x\r\n")).toEqual(new RespAttributed(new RespMap([]), "x"));
  });

  it("decodes a reply stream value by value, keeping `null` distinct from 'more bytes needed'", () => {
    const decoder = new ReplyDecoder();
    decoder.feed(b("_\r\n$-1\r\n*2\r\n:1\r\n"));
    expect(decoder.next()).toBeNull();
    expect(decoder.next()).toBeNull();
    expect(decoder.next()).toBeUndefined();
    expect(decoder.isIdle).toBe(false);
    decoder.feed(b(":2\r\n"));
    expect(decoder.next()).toEqual([1, 2]);
    expect(decoder.next()).toBeUndefined();
    expect(decoder.isIdle).toBe(true);
  });

  it("collects a big bulk in parts and joins it once", () => {
    const payload = Buffer.alloc(100_000, 0x62);
    payload[50_000] = 13;
    const stream = Buffer.concat([b(`*2\r\n$${payload.length}\r\n`), payload, b("\r\n:1\r\n")]);
    const decoder = new ReplyDecoder({ bulkViews: true });
    for (let at = 0; at < stream.length; at += 8192) {
      decoder.feed(stream.subarray(at, at + 8192));
      if (at + 8192 < stream.length) {
        expect(decoder.next()).toBeUndefined();
        expect(decoder.bufferedBytes).toBe(at + 8192 - 13); // after "*2\r\n$100000\r\n"
      }
    }
    const value = decoder.next() as RespValue[];
    expect((value[0] as Buffer).equals(payload)).toBe(true);
    expect(value[1]).toBe(1);
  });

  it("resumes a 300,000-element array where it stopped", () => {
    const count = 300_000;
    const parts = [b(`*${count}\r\n`)];
    for (let i = 0; i < count; i++) parts.push(b(":7\r\n"));
    const stream = Buffer.concat(parts);
    const decoder = new ReplyDecoder();
    let value: RespValue | undefined;
    for (let at = 0; at < stream.length; at += 1000) {
      decoder.feed(stream.subarray(at, at + 1000));
      value = decoder.next();
    }
    expect((value as number[]).length).toBe(count);
    expect((value as number[])[count - 1]).toBe(7);
  });
});

describe("ReplyDecoder: malformed input", () => {
  it("rejects what is not RESP, with a message saying what was found", () => {
    const cases: [string, string][] = [
      ["?\r\n", "unknown RESP type byte '?'"],
      ["\0", "unknown RESP type byte 0x00"],
      ["$x\r\n", 'invalid bulk string length "x"'],
      ["$-2\r\n", 'invalid bulk string length "-2"'],
      ["$\r\n", 'invalid bulk string length ""'],
      ["*1x\r\n", 'invalid array length "1x"'],
      ["%-1\r\n", 'invalid map length "-1"'],
      ["~-1\r\n", 'invalid set length "-1"'],
      [">-1\r\n", 'invalid push length "-1"'],
      ["|-1\r\n", 'invalid attribute length "-1"'],
      ["!-1\r\n", 'invalid blob error length "-1"'],
      ["=-1\r\n", 'invalid verbatim string length "-1"'],
      ["$3\r\nabcd\r\n", "bulk string not followed by CRLF"],
      ["=3\r\ntxt\r\n", "verbatim string without a three-byte format and ':'"],
      ["=5\r\ntxt-x\r\n", "verbatim string without a three-byte format and ':'"],
      [":12a\r\n", 'invalid integer "12a"'],
      [":\r\n", 'invalid integer ""'],
      [":9223372036854775808\r\n", 'integer "9223372036854775808" out of the 64-bit range'],
      ["#x\r\n", 'invalid boolean "x"'],
      ["_x\r\n", 'invalid null "x"'],
      [",1.2.3\r\n", 'invalid double "1.2.3"'],
      [",Infinity\r\n", 'invalid double "Infinity"'],
      ["(12x\r\n", 'invalid big number "12x"'],
      ["+OK\rX", "CR not followed by LF"],
      ["$?\r\n", "streamed RESP3 strings and aggregates are not supported"],
      ["*?\r\n", "streamed RESP3 strings and aggregates are not supported"],
      [";4\r\n", "streamed RESP3 strings and aggregates are not supported"],
    ];
    for (const [input, message] of cases) expect(errorOf(input), JSON.stringify(input)).toBe(message);
  });

  it("applies its limits", () => {
    const limits = { maxBulkLength: 10, maxAggregateLength: 3, maxLineLength: 8 };
    expect(errorOf("$11\r\n", { limits })).toBe("bulk string length 11 above the limit of 10");
    expect(errorOf("$10\r\n", { limits })).toBeNull();
    expect(errorOf("*4\r\n", { limits })).toBe("array length 4 above the limit of 3");
    expect(errorOf("%4\r\n", { limits })).toBe("map length 4 above the limit of 3");
    expect(errorOf("+1234567", { limits })).toBeNull();
    expect(errorOf("+12345678", { limits })).toBe("line longer than 8 bytes");
    expect(errorOf("+12345678\r\n", { limits })).toBe("line longer than 8 bytes");
  });

  it("stays failed until reset()", () => {
    const decoder = new ReplyDecoder();
    decoder.feed(b("?"));
    expect(() => decoder.next()).toThrow(RespProtocolError);
    decoder.feed(b("+OK\r\n"));
    expect(() => decoder.next()).toThrow("unknown RESP type byte '?'");
    decoder.reset();
    decoder.feed(b("+OK\r\n"));
    expect(decoder.next()).toBe("OK");
  });
});

// ------------------------------------------------------------------ properties

const replyAlphabet = b("$*:+-%~>|_#,(!=0123456789-.\r\nxt:");

/** Streams of encoded values, sometimes with garbage after them, sometimes truncated. */
const replyStream = fc
  .tuple(
    fc.array(anyValue, { maxLength: 3 }),
    fc.array(fc.constantFrom(...replyAlphabet), { maxLength: 16 }),
    fc.nat(),
  )
  .map(([values, garbage, cut]) => {
    const whole = Buffer.concat([...values.map((value) => encodeValue(value)), Buffer.from(garbage)]);
    return cut % 4 === 0 ? whole.subarray(0, cut % (whole.length + 1)) : whole;
  });

/** Outcomes compared with sameValue (NaN, -0, classes and bytes exact). */
function sameOutcome(a: ReturnType<typeof decodeReplies>, b: ReturnType<typeof decodeReplies>): boolean {
  return (
    a.error === b.error &&
    a.idle === b.idle &&
    a.values.length === b.values.length &&
    a.values.every((value, i) => sameValue(value, b.values[i]!))
  );
}

describe("ReplyDecoder: chunking never changes the outcome", () => {
  it("decodes the same values and error at every split point", () => {
    fc.assert(
      fc.property(replyStream, fc.boolean(), (stream, bulkViews) => {
        const whole = decodeReplies([stream], { bulkViews });
        for (let at = 0; at <= stream.length; at++) {
          const split = decodeReplies(cutAt(stream, [at]), { bulkViews });
          if (!sameOutcome(split, whole)) {
            expect({ at, ...split }).toEqual({ at, ...whole });
            return false;
          }
        }
        return sameOutcome(decodeReplies(cutAt(stream, [...stream.keys()]), { bulkViews }), whole);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it("decodes the same values and error at random chunkings", () => {
    fc.assert(
      fc.property(replyStream, fc.array(fc.nat({ max: 600 }), { maxLength: 12 }), (stream, cuts) =>
        sameOutcome(decodeReplies(cutAt(stream, cuts)), decodeReplies([stream])),
      ),
      { numRuns: 2000 },
    );
  }, 60_000);

  it("decodes long streams the same when big chunks split small values anywhere", () => {
    const longStream = fc
      .array(fc.tuple(fc.nat({ max: 6000 }), fc.nat({ max: 3 })), { minLength: 30, maxLength: 120 })
      .map((values) =>
        Buffer.concat(
          values.map(([length, kind], i) => {
            if (kind === 0) return b(`$${length}\r\n${"v".repeat(length)}\r\n`);
            if (kind === 1) return b(`*3\r\n:${i}\r\n+${"s".repeat(length % 300)}\r\n$-1\r\n`);
            if (kind === 2) return b(`%1\r\n+k${i}\r\n,${length / 7}\r\n`);
            return b(`:${length * 1_000_000_007}\r\n`);
          }),
        ),
      );
    fc.assert(
      fc.property(longStream, fc.array(fc.nat({ max: 400_000 }), { maxLength: 30 }), (stream, cuts) => {
        const chunks = cutAt(
          stream,
          cuts.map((cut) => cut % (stream.length + 1)),
        );
        const whole = decodeReplies([stream]);
        return whole.error === null && sameOutcome(decodeReplies(chunks), whole);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it("decodes big bulks the same at random chunkings", () => {
    const bigStream = fc
      .tuple(fc.integer({ min: 32 * 1024 - 8, max: 70_000 }), fc.constantFrom(36, 33, 61))
      .map(([length, type]) => {
        const header = `${String.fromCharCode(type)}${length}\r\n${type === 61 ? "txt:" : ""}`;
        const body = Buffer.alloc(type === 61 ? length - 4 : length, 0x7a);
        return Buffer.concat([b(header), body, b("\r\n:1\r\n")]);
      });
    fc.assert(
      fc.property(bigStream, fc.array(fc.nat({ max: 71_000 }), { maxLength: 8 }), (stream, cuts) => {
        const expected = decodeReplies([stream]);
        return expected.values.length === 2 && sameOutcome(decodeReplies(cutAt(stream, cuts)), expected);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
