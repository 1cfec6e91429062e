import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReplyDecoder, ReplyWriter, type RespVersion, SharedReplies } from "./index.js";

const b = (text: string) => Buffer.from(text, "latin1");

/** Everything pending in the writer, as latin1 text. */
function output(writer: ReplyWriter): string {
  return Buffer.concat(writer.drain()).toString("latin1");
}

/** Render with a fresh writer of each protocol. */
function both(write: (writer: ReplyWriter) => void): { resp2: string; resp3: string } {
  const rendered = (protocol: RespVersion) => {
    const writer = new ReplyWriter(protocol);
    write(writer);
    return output(writer);
  };
  return { resp2: rendered(2), resp3: rendered(3) };
}

describe("ReplyWriter: RESP2 vs RESP3 renderings", () => {
  it("maps are flat arrays on RESP2", () => {
    const rendered = both((w) => {
      w.mapLen(2);
      w.bulkString("a");
      w.integer(1);
      w.bulkString("b");
      w.integer(2);
    });
    expect(rendered.resp2).toBe("*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n");
    expect(rendered.resp3).toBe("%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n");
  });

  it("sets and pushes are arrays on RESP2", () => {
    expect(both((w) => w.setLen(3))).toEqual({ resp2: "*3\r\n", resp3: "~3\r\n" });
    expect(both((w) => w.pushLen(3))).toEqual({ resp2: "*3\r\n", resp3: ">3\r\n" });
    expect(both((w) => w.setLen(5000))).toEqual({ resp2: "*5000\r\n", resp3: "~5000\r\n" });
    expect(both((w) => w.mapLen(5000))).toEqual({ resp2: "*10000\r\n", resp3: "%5000\r\n" });
  });

  it("null forms", () => {
    expect(both((w) => w.nullBulk())).toEqual({ resp2: "$-1\r\n", resp3: "_\r\n" });
    expect(both((w) => w.nullArray())).toEqual({ resp2: "*-1\r\n", resp3: "_\r\n" });
  });

  it("booleans are integers on RESP2", () => {
    expect(both((w) => w.bool(true))).toEqual({ resp2: ":1\r\n", resp3: "#t\r\n" });
    expect(both((w) => w.bool(false))).toEqual({ resp2: ":0\r\n", resp3: "#f\r\n" });
  });

  it("doubles are %.17g bulk strings on RESP2 and , frames on RESP3", () => {
    expect(both((w) => w.double(1.1))).toEqual({
      resp2: "$18\r\n1.1000000000000001\r\n",
      resp3: ",1.1000000000000001\r\n",
    });
    expect(both((w) => w.double(1e20))).toEqual({ resp2: "$5\r\n1e+20\r\n", resp3: ",1e+20\r\n" });
    expect(both((w) => w.double(3))).toEqual({ resp2: "$1\r\n3\r\n", resp3: ",3\r\n" });
    expect(both((w) => w.double(Number.POSITIVE_INFINITY))).toEqual({
      resp2: "$3\r\ninf\r\n",
      resp3: ",inf\r\n",
    });
    expect(both((w) => w.double(Number.NEGATIVE_INFINITY))).toEqual({
      resp2: "$4\r\n-inf\r\n",
      resp3: ",-inf\r\n",
    });
    expect(both((w) => w.double(Number.NaN))).toEqual({ resp2: "$3\r\nnan\r\n", resp3: ",nan\r\n" });
    expect(both((w) => w.doubleText("2.5"))).toEqual({ resp2: "$3\r\n2.5\r\n", resp3: ",2.5\r\n" });
  });

  it("big numbers and verbatim strings are bulk strings on RESP2", () => {
    expect(both((w) => w.bigNumber("12345678901234567890"))).toEqual({
      resp2: "$20\r\n12345678901234567890\r\n",
      resp3: "(12345678901234567890\r\n",
    });
    expect(both((w) => w.verbatim("Some string"))).toEqual({
      resp2: "$11\r\nSome string\r\n",
      resp3: "=15\r\ntxt:Some string\r\n",
    });
    expect(both((w) => w.verbatim("# x", "mkd")).resp3).toBe("=7\r\nmkd:# x\r\n");
  });

  it("the same on both protocols: simple, integer, bulk, error, array", () => {
    const rendered = both((w) => {
      w.arrayLen(9);
      w.ok();
      w.simple("PONG");
      w.integer(-1);
      w.integer(1023);
      w.integer(1024);
      w.integer(-9223372036854775808n);
      w.bulk(b("a\r\nb"));
      w.bulkString("\xff\0");
      w.bulkInteger(-42);
    });
    const expected =
      "*9\r\n+OK\r\n+PONG\r\n:-1\r\n:1023\r\n:1024\r\n:-9223372036854775808\r\n$4\r\na\r\nb\r\n$2\r\n\xff\0\r\n$3\r\n-42\r\n";
    expect(rendered).toEqual({ resp2: expected, resp3: expected });
  });

  it("writes any integer as its decimal text, as :n and as a bulk string", () => {
    const edges = [
      0,
      -0,
      9,
      10,
      -10,
      99,
      100,
      999999,
      1e15,
      -1e15,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ];
    const check = (n: number | bigint) => {
      const writer = new ReplyWriter();
      writer.integer(n);
      writer.bulkInteger(n);
      const text = String(n);
      expect(output(writer)).toBe(`:${text}\r\n$${text.length}\r\n${text}\r\n`);
    };
    for (const n of edges) check(n);
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
        check,
      ),
    );
  });

  it("writes integers across a slab boundary", () => {
    const writer = new ReplyWriter();
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const n = (i % 2 === 0 ? 1 : -1) * i * 1_000_003;
      writer.integer(n);
      writer.bulkInteger(n);
      expected.push(`:${n}\r\n$${String(n).length}\r\n${n}\r\n`);
    }
    expect(output(writer)).toBe(expected.join(""));
  });

  it("errors: CR and LF become spaces; the code and count are kept", () => {
    const writer = new ReplyWriter();
    writer.error("ERR bad\r\nthing");
    writer.error("WRONGTYPE Operation against a key holding the wrong kind of value");
    expect(output(writer)).toBe(
      "-ERR bad  thing\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    expect(writer.lastErrorCode).toBe("WRONGTYPE");
    expect(writer.errorCount).toBe(2);
  });

  it("switching protocol takes effect at the next reply", () => {
    const writer = new ReplyWriter(2);
    writer.nullBulk();
    writer.protocol = 3;
    writer.nullBulk();
    expect(output(writer)).toBe("$-1\r\n_\r\n");
  });
});

describe("ReplyWriter: deferred lengths", () => {
  it("fills lengths in after the elements, per kind and protocol", () => {
    for (const protocol of [2, 3] as const) {
      const writer = new ReplyWriter(protocol);
      const outer = writer.beginDeferredLength();
      const map = writer.beginDeferredLength();
      writer.bulkString("f");
      writer.integer(1);
      writer.setDeferredLength(map, 1, "map");
      const set = writer.beginDeferredLength();
      writer.bulkString("m");
      writer.setDeferredLength(set, 1, "set");
      writer.setDeferredLength(outer, 2);
      const expected =
        protocol === 3
          ? "*2\r\n%1\r\n$1\r\nf\r\n:1\r\n~1\r\n$1\r\nm\r\n"
          : "*2\r\n*2\r\n$1\r\nf\r\n:1\r\n*1\r\n$1\r\nm\r\n";
      expect(writer.pendingBytes).toBe(expected.length);
      expect(output(writer)).toBe(expected);
    }
  });

  it("handles many deferred lengths between drains", () => {
    const writer = new ReplyWriter(3);
    let expected = "";
    for (let i = 0; i < 2000; i++) {
      const token = writer.beginDeferredLength();
      for (let j = 0; j < i % 3; j++) writer.integer(j);
      writer.setDeferredLength(token, i % 3);
      expected += `*${i % 3}\r\n${[":0\r\n", ":1\r\n"].slice(0, i % 3).join("")}`;
    }
    expect(output(writer)).toBe(expected);
  });
});

describe("ReplyWriter: buffers", () => {
  it("writes large payloads whole, and copies them", () => {
    const payload = Buffer.alloc(300_000, 0x61);
    payload[0] = 13;
    const writer = new ReplyWriter();
    writer.arrayLen(2);
    writer.bulk(payload);
    writer.bulk(payload.subarray(0, 70_000));
    payload.fill(0x7a);
    const decoder = new ReplyDecoder();
    for (const chunk of writer.drain()) decoder.feed(chunk);
    const value = decoder.next() as Buffer[];
    expect(value[0]!.length).toBe(300_000);
    expect(value[0]![0]).toBe(13);
    expect(value[0]!.subarray(1).every((byte) => byte === 0x61)).toBe(true);
    expect(value[1]!.length).toBe(70_000);
    expect(decoder.isIdle).toBe(true);
  });

  it("queues big pre-encoded constants by reference with raw()", () => {
    const constant = Buffer.from(`$20000\r\n${"c".repeat(20000)}\r\n`);
    const writer = new ReplyWriter();
    writer.ok();
    writer.raw(constant);
    writer.ok();
    const chunks = writer.drain();
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(constant);
    expect(Buffer.concat(chunks).toString()).toBe(`+OK\r\n${constant.toString()}+OK\r\n`);
  });

  it("copies small payloads: editing the source after the reply changes nothing", () => {
    const value = b("hello");
    const writer = new ReplyWriter();
    writer.bulk(value);
    value.write("HELLO");
    expect(output(writer)).toBe("$5\r\nhello\r\n");
  });

  it("never rewrites bytes it handed out", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 30 }), {
          minLength: 1,
          maxLength: 30,
        }),
        (rounds) => {
          const writer = new ReplyWriter();
          const handedOut: { chunk: Buffer; snapshot: Buffer }[] = [];
          let expected = "";
          for (const round of rounds) {
            for (const payload of round) {
              writer.bulk(Buffer.from(payload));
              expected += `$${payload.length}\r\n${Buffer.from(payload).toString("latin1")}\r\n`;
            }
            for (const chunk of writer.drain()) handedOut.push({ chunk, snapshot: Buffer.from(chunk) });
          }
          for (const { chunk, snapshot } of handedOut) expect(chunk.equals(snapshot)).toBe(true);
          expect(Buffer.concat(handedOut.map((h) => h.chunk)).toString("latin1")).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("tracks pending bytes, emptiness and discard()", () => {
    const writer = new ReplyWriter();
    expect(writer.isEmpty).toBe(true);
    writer.raw(SharedReplies.pong);
    writer.bulk(b("abc"));
    expect(writer.pendingBytes).toBe(7 + 9);
    expect(writer.isEmpty).toBe(false);
    writer.discard();
    expect(writer.isEmpty).toBe(true);
    expect(writer.pendingBytes).toBe(0);
    writer.ok();
    expect(output(writer)).toBe("+OK\r\n");
    expect(writer.drain()).toEqual([]);
  });

  it("reads pending output in place, and rewind() reuses the slab from its start", () => {
    const writer = new ReplyWriter();
    const inPlace = () => {
      const slab = writer.pendingSlab;
      expect(slab).not.toBeNull();
      return slab!.toString("latin1", writer.pendingStart, writer.pendingEnd);
    };
    writer.integer(42);
    writer.bulk(b("abc"));
    expect(inPlace()).toBe(":42\r\n$3\r\nabc\r\n");
    const slab = writer.pendingSlab;
    writer.rewind();
    expect(writer.isEmpty).toBe(true);
    writer.simple("next");
    expect(writer.pendingSlab).toBe(slab);
    expect(writer.pendingStart).toBe(0);
    expect(inPlace()).toBe("+next\r\n");
    // Output that spans several chunks is not contiguous: drain() it, then rewind.
    writer.bulk(Buffer.alloc(70 * 1024, 120));
    expect(writer.pendingSlab).toBeNull();
    const drained = Buffer.concat(writer.drain());
    expect(drained.length).toBe("+next\r\n".length + `$${70 * 1024}\r\n`.length + 70 * 1024 + 2);
    writer.rewind();
    writer.integer(7);
    expect(inPlace()).toBe(":7\r\n");
  });
});

describe("ReplyWriter: bulkSlice", () => {
  it("writes source[start, end) as a bulk string, like bulk() of that view", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 5000 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom<RespVersion>(2, 3),
        (bytes, a, z, version) => {
          const source = Buffer.from(bytes);
          const start = source.length === 0 ? 0 : a % (source.length + 1);
          const end = start + (source.length === 0 ? 0 : z % (source.length - start + 1));
          const sliced = new ReplyWriter(version);
          sliced.arrayLen(2);
          sliced.bulkSlice(source, start, end);
          sliced.bulkSlice(source, 0, source.length);
          const viewed = new ReplyWriter(version);
          viewed.arrayLen(2);
          viewed.bulk(source.subarray(start, end));
          viewed.bulk(source);
          expect(output(sliced)).toBe(output(viewed));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("bulkChars writes the chars source[start, end) of a latin1 string as bulkSlice writes those bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom<RespVersion>(2, 3),
        (bytes, a, z, version) => {
          const source = Buffer.from(bytes);
          const text = source.toString("latin1");
          const start = source.length === 0 ? 0 : a % (source.length + 1);
          const end = start + (source.length === 0 ? 0 : z % (source.length - start + 1));
          const chars = new ReplyWriter(version);
          chars.arrayLen(2);
          chars.bulkChars(text, start, end);
          chars.bulkChars(text, 0, text.length);
          const sliced = new ReplyWriter(version);
          sliced.arrayLen(2);
          sliced.bulkSlice(source, start, end);
          sliced.bulkSlice(source, 0, source.length);
          expect(output(chars)).toBe(output(sliced));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("copies the bytes: editing the source afterwards changes nothing, also for big slices", () => {
    const source = Buffer.alloc(100_000, 0x61);
    source.write("\r\n\0", 10, "latin1");
    const writer = new ReplyWriter();
    writer.bulkSlice(source, 10, 13);
    writer.bulkSlice(source, 0, 0);
    writer.bulkSlice(source, 1000, 91_000);
    source.fill(0x7a);
    const decoder = new ReplyDecoder();
    for (const chunk of writer.drain()) decoder.feed(chunk);
    expect(decoder.next()).toEqual(b("\r\n\0"));
    expect(decoder.next()).toEqual(b(""));
    const big = decoder.next() as Buffer;
    expect(big.length).toBe(90_000);
    expect(big.every((byte) => byte === 0x61)).toBe(true);
    expect(decoder.isIdle).toBe(true);
  });
});

describe("latin1 text", () => {
  it("bulkString and simple strings copy every byte value 0..255 exactly, short and long", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(2, 3), (bytes, version) => {
        const text = Buffer.from(bytes).toString("latin1");
        const writer = new ReplyWriter(version);
        writer.bulkString(text);
        const got = Buffer.concat(writer.drain());
        const expected = Buffer.concat([
          Buffer.from(`$${bytes.length}\r\n`, "latin1"),
          Buffer.from(bytes),
          Buffer.from("\r\n", "latin1"),
        ]);
        expect(got.equals(expected)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
