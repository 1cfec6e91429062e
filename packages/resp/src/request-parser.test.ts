import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutAt, parseRequests } from "../test/chunking.js";
import { DEFAULT_PARSER_LIMITS, encodeCommand, RequestParser, RespProtocolError } from "./index.js";

const b = (text: string) => Buffer.from(text, "latin1");

/** Frames of a stream fed in one chunk, arguments as latin1 strings. */
function frames(text: string | Buffer, options = {}) {
  const outcome = parseRequests([typeof text === "string" ? b(text) : text], options);
  if (outcome.error !== null) throw new RespProtocolError(outcome.error);
  return outcome.frames;
}

/** The protocol error message a stream produces. */
function errorOf(text: string | Buffer, options = {}): string | null {
  return parseRequests([typeof text === "string" ? b(text) : text], options).error;
}

describe("RequestParser: multibulk requests", () => {
  it("parses pipelined requests into argv frames", () => {
    expect(frames("*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n")).toEqual([
      ["PING"],
      ["SET", "k", "value"],
    ]);
  });

  it("keeps arguments binary-safe (CR, LF, NUL, high bytes)", () => {
    const value = Buffer.from([0, 13, 10, 255, 36, 42, 13]);
    const parser = new RequestParser();
    parser.feed(encodeCommand(["SET", "k", value]));
    const argv = parser.next()!;
    expect(argv[2]!.equals(value)).toBe(true);
  });

  it("accepts empty bulk arguments", () => {
    expect(frames("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")).toEqual([["ECHO", ""]]);
  });

  it("skips *0 and negative counts, as Redis does", () => {
    expect(frames("*0\r\n*-1\r\n*-9223372036854775808\r\n*1\r\n$4\r\nPING\r\n")).toEqual([["PING"]]);
  });

  it("skips the byte after a header's CR unchecked, as Redis does", () => {
    expect(frames("*1\rx$4\ryPING\r\n")).toEqual([["PING"]]);
  });

  it("returns null until a request is complete, then resumes without losing state", () => {
    const parser = new RequestParser();
    const bytes = b("*2\r\n$4\r\nECHO\r\n$11\r\nhello world\r\n");
    for (let i = 0; i < bytes.length - 1; i++) {
      parser.feed(bytes.subarray(i, i + 1));
      expect(parser.next()).toBeNull();
      expect(parser.isIdle).toBe(false);
    }
    parser.feed(bytes.subarray(bytes.length - 1));
    expect(parser.next()!.map(String)).toEqual(["ECHO", "hello world"]);
    expect(parser.next()).toBeNull();
    expect(parser.isIdle).toBe(true);
    expect(parser.bufferedBytes).toBe(0);
  });

  it("copies arguments by default, so the chunk may be reused", () => {
    const chunk = b("*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n");
    const parser = new RequestParser();
    parser.feed(chunk);
    const argv = parser.next()!;
    chunk.fill(0);
    expect(argv.map(String)).toEqual(["ECHO", "abc"]);
  });

  it("returns views into the chunk with argumentViews", () => {
    const chunk = b("*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n");
    const parser = new RequestParser({ argumentViews: true });
    parser.feed(chunk);
    const argv = parser.next()!;
    expect(argv[1]!.buffer).toBe(chunk.buffer);
    chunk.write("xyz", 18, "latin1");
    expect(argv[1]!.toString()).toBe("xyz");
  });

  it("shares the command name between requests naming the same command, never the chunk", () => {
    const parser = new RequestParser({ argumentViews: true });
    const names: Buffer[] = [];
    for (const name of ["GET", "SET", "GET", "get", "HSET", "LPUSH", "INCR", "GET"]) {
      const chunk = b(`*2\r\n$${name.length}\r\n${name}\r\n$1\r\nk\r\n`);
      parser.feed(chunk);
      const argv = parser.next()!;
      expect(argv[0]!.toString("latin1")).toBe(name);
      // A shared name is a copy: overwriting the chunk does not change it.
      chunk.fill(0);
      expect(argv[0]!.toString("latin1")).toBe(name);
      names.push(argv[0]!);
    }
    expect(names[2]).toBe(names[0]); // GET again: the same Buffer
    expect(names[3]).not.toBe(names[0]); // other bytes, another name
    // Four names are kept, most recent first: after get, HSET, LPUSH and INCR, GET was dropped.
    expect(names[7]).not.toBe(names[0]);
    expect(names[7]!.equals(names[0]!)).toBe(true);
  });

  it("hands out views that are Buffers to every reader", () => {
    const chunk = b("*3\r\n$3\r\nSET\r\n$5\r\nkey:1\r\n$4\r\n\x00\xff12\r\n");
    const parser = new RequestParser({ argumentViews: true });
    parser.feed(chunk);
    const argv = parser.next()!;
    for (const arg of argv) {
      expect(Buffer.isBuffer(arg)).toBe(true);
      expect(arg instanceof Buffer).toBe(true);
    }
    expect(argv[1]!.toString("latin1")).toBe("key:1");
    expect(argv[1]!.equals(Buffer.from("key:1"))).toBe(true);
    expect(argv[2]!.readUInt16BE(0)).toBe(0x00ff);
    expect(argv[2]!.subarray(2).toString()).toBe("12");
    expect(Buffer.compare(argv[2]!, b("\x00\xff12"))).toBe(0);
    expect(Buffer.concat(argv).length).toBe(12);
  });

  it("never overwrites bytes it handed out as views while joining chunks", () => {
    const parser = new RequestParser({ argumentViews: true });
    const stream = Buffer.concat(
      Array.from({ length: 200 }, (_, i) => encodeCommand(["SET", `key:${i}`, "v".repeat(i % 50)])),
    );
    const seen: { view: Buffer; copy: Buffer }[] = [];
    for (let at = 0; at < stream.length; at += 7) {
      parser.feed(Buffer.from(stream.subarray(at, at + 7)));
      for (let argv = parser.next(); argv !== null; argv = parser.next()) {
        for (const view of argv) seen.push({ view, copy: Buffer.from(view) });
      }
    }
    expect(seen).toHaveLength(600);
    for (const { view, copy } of seen) expect(view.equals(copy)).toBe(true);
  });

  it("joins only the request that straddles two chunks and parses the rest of a big chunk in place", () => {
    const stream = Buffer.concat([
      encodeCommand(["SET", "a", "x".repeat(100)]),
      ...Array.from({ length: 1000 }, (_, i) => encodeCommand(["GET", `k${i}`])),
    ]);
    const first = Buffer.from(stream.subarray(0, 50));
    const second = Buffer.from(stream.subarray(50));
    const parser = new RequestParser({ argumentViews: true });
    parser.feed(first);
    expect(parser.next()).toBeNull();
    parser.feed(second);
    const argvs: Buffer[][] = [];
    for (let argv = parser.next(); argv !== null; argv = parser.next()) argvs.push(argv);
    expect(argvs).toHaveLength(1001);
    expect(argvs[0]![2]!.toString()).toBe("x".repeat(100));
    expect(argvs[0]![2]!.buffer).not.toBe(second.buffer); // joined copy
    expect(argvs[1000]![1]!.toString()).toBe("k999");
    expect(argvs[1000]![1]!.buffer).toBe(second.buffer); // in place
    expect(parser.isIdle).toBe(true);
  });

  it("assembles a big argument into one buffer allocated when its header arrives", () => {
    const big = Buffer.alloc(200_000, 0x61);
    big[0] = 13;
    big[big.length - 1] = 10;
    const stream = encodeCommand(["SET", "big", big]);
    const parser = new RequestParser({ argumentViews: true });
    let argv: Buffer[] | null = null;
    for (let at = 0; at < stream.length; at += 16 * 1024) {
      parser.feed(stream.subarray(at, at + 16 * 1024));
      if (at + 16 * 1024 < stream.length) {
        expect(parser.next()).toBeNull();
        expect(parser.bufferedBytes).toBe(Math.min(stream.length, at + 16 * 1024) - 31);
      } else {
        argv = parser.next();
      }
    }
    expect(argv).not.toBeNull();
    expect(argv![2]!.equals(big)).toBe(true);
    expect(parser.isIdle).toBe(true);
  });

  it("counts pending bytes for client-query-buffer-limit", () => {
    const parser = new RequestParser();
    parser.feed(b("*2\r\n$4\r\nECHO\r\n$10\r\nabc"));
    expect(parser.next()).toBeNull();
    expect(parser.bufferedBytes).toBe(3); // "abc": ECHO and the "$10" header are parsed already
  });

  it("reset() forgets a partial request and a failure", () => {
    const parser = new RequestParser();
    parser.feed(b("*2\r\n$4\r\nECHO\r\n"));
    expect(parser.next()).toBeNull();
    parser.reset();
    expect(parser.isIdle).toBe(true);
    parser.feed(b("*x\r\n"));
    expect(() => parser.next()).toThrow("invalid multibulk length");
    expect(() => parser.next()).toThrow("invalid multibulk length");
    parser.reset();
    parser.feed(b("PING\r\n"));
    expect(parser.next()!.map(String)).toEqual(["PING"]);
  });
});

describe("RequestParser: inline requests", () => {
  it("splits inline requests with Redis' quoting rules", () => {
    expect(frames("SET k \"a b\\x41\\n\" 'it\\'s'\r\nPING\n")).toEqual([
      ["SET", "k", "a bA\n", "it's"],
      ["PING"],
    ]);
  });

  it("skips blank lines", () => {
    expect(frames("\r\n\n   \r\nPING\r\n")).toEqual([["PING"]]);
  });

  it("ends the line at LF and drops one CR before it", () => {
    expect(frames("ECHO a\r\r\n")).toEqual([["ECHO", "a"]]);
  });

  it("never completes a line with a NUL before its LF (Redis' strchr stops there)", () => {
    const outcome = parseRequests([b("PING\0\nPING\n")]);
    expect(outcome).toEqual({ frames: [], error: null, idle: false, bufferedBytes: 11 });
  });

  it("reports unbalanced quotes", () => {
    expect(errorOf('ECHO "abc\r\n')).toBe("unbalanced quotes in request");
    expect(errorOf("ECHO 'abc\r\n")).toBe("unbalanced quotes in request");
    expect(errorOf('ECHO "a"b\r\n')).toBe("unbalanced quotes in request");
  });
});

describe("RequestParser: limits and errors, with Redis 7.0's texts", () => {
  it("uses redis-server 7.0's defaults", () => {
    expect(DEFAULT_PARSER_LIMITS).toEqual({
      maxMultibulkLength: 2147483647,
      maxBulkLength: 512 * 1024 * 1024,
      maxInlineLength: 64 * 1024,
      maxUnauthenticatedMultibulkLength: 10,
      maxUnauthenticatedBulkLength: 16 * 1024,
    });
  });

  it("invalid multibulk length: not a string2ll() number, or above the limit", () => {
    for (const header of [
      "*x",
      "*",
      "*01",
      "*-0",
      "*+1",
      "* 1",
      "*1 ",
      "*2147483648",
      "*9223372036854775808",
    ]) {
      expect(errorOf(`${header}\r\n`), header).toBe("invalid multibulk length");
    }
    expect(errorOf("*2147483647\r\n")).toBeNull();
    expect(errorOf("*-9223372036854775809\r\n")).toBe("invalid multibulk length");
    expect(errorOf("*4\r\n", { limits: { maxMultibulkLength: 3 } })).toBe("invalid multibulk length");
    expect(errorOf("*3\r\n", { limits: { maxMultibulkLength: 3 } })).toBeNull();
  });

  it("invalid bulk length: negative, not a number, or above proto-max-bulk-len", () => {
    for (const header of ["$-1", "$", "$04", "$+4", "$4 ", "$x", "$99999999999999999999"]) {
      expect(errorOf(`*1\r\n${header}\r\n`), header).toBe("invalid bulk length");
    }
    expect(errorOf("*1\r\n$536870913\r\n")).toBe("invalid bulk length");
    expect(errorOf("*1\r\n$536870912\r\n")).toBeNull();
    expect(errorOf("*1\r\n$11\r\n", { limits: { maxBulkLength: 10 } })).toBe("invalid bulk length");
  });

  it("reads limits live from the object it was given", () => {
    const limits = { ...DEFAULT_PARSER_LIMITS };
    const parser = new RequestParser({ limits });
    parser.feed(b("*1\r\n$5\r\nhello\r\n"));
    expect(parser.next()).not.toBeNull();
    limits.maxBulkLength = 4;
    parser.feed(b("*1\r\n$5\r\nhello\r\n"));
    expect(() => parser.next()).toThrow("invalid bulk length");
  });

  it("expected '$', got 'x': judged once the line is complete", () => {
    expect(errorOf("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n")).toBe("expected '$', got 'f'");
    expect(errorOf("*1\r\n*1\r\n")).toBe("expected '$', got '*'");
    expect(errorOf("*1\r\n\r\n")).toBe("expected '$', got '\r'");
    expect(errorOf("*1\r\nx")).toBeNull();
  });

  it("too big mbulk count string / too big bulk count string / too big inline request", () => {
    const limits = { maxInlineLength: 16 };
    expect(errorOf(`*${"1".repeat(16)}`, { limits })).toBe("too big mbulk count string");
    expect(errorOf(`*${"1".repeat(15)}`, { limits })).toBeNull();
    expect(errorOf(`*1\r\n$${"1".repeat(16)}`, { limits })).toBe("too big bulk count string");
    expect(errorOf(`*1\r\nx${"1".repeat(16)}`, { limits })).toBe("too big bulk count string");
    expect(errorOf("a".repeat(17), { limits })).toBe("too big inline request");
    expect(errorOf("a".repeat(16), { limits })).toBeNull();
    // With the default limit of 64 KB, a NUL keeps the line open until the limit.
    expect(errorOf(`PING\0${"a".repeat(70000)}`)).toBe("too big inline request");
    expect(errorOf(`*1\0${"1".repeat(70000)}`)).toBe("too big mbulk count string");
    expect(errorOf(`*1\r\n$4\0${"1".repeat(70000)}`)).toBe("too big bulk count string");
  });

  it("judges a line by where its terminator lies, not by how it was chunked", () => {
    const limits = { maxInlineLength: 16 };
    // 16 bytes before LF: fine; 17 (16 + CR) before LF: too big, even in one chunk.
    expect(parseRequests([b(`${"a".repeat(16)}\n`)], { limits }).frames).toEqual([["a".repeat(16)]]);
    expect(errorOf(`${"a".repeat(16)}\r\n`, { limits })).toBe("too big inline request");
    expect(errorOf(`*${"1".repeat(16)}\r\n`, { limits })).toBe("too big mbulk count string");
    expect(errorOf(`*${"1".repeat(15)}\r\n`, { limits })).toBe("invalid multibulk length");
  });

  it("unauthenticated multibulk length / unauthenticated bulk length", () => {
    const parser = new RequestParser();
    parser.unauthenticated = true;
    parser.feed(b("*10\r\n"));
    expect(parser.next()).toBeNull();
    parser.reset();
    parser.feed(b("*11\r\n"));
    expect(() => parser.next()).toThrow("unauthenticated multibulk length");
    parser.reset();
    parser.feed(b("*1\r\n$16384\r\n"));
    expect(parser.next()).toBeNull();
    parser.reset();
    parser.feed(b("*1\r\n$16385\r\n"));
    expect(() => parser.next()).toThrow("unauthenticated bulk length");
    parser.reset();
    parser.feed(b("*2147483648\r\n"));
    expect(() => parser.next()).toThrow("invalid multibulk length");
  });

  it("skips the two bytes after a bulk unchecked, as Redis does", () => {
    expect(frames("*1\r\n$4\r\nPINGPONG\r\n")).toEqual([["PING"], ["NG"]]);
    expect(frames("*2\r\n$1\r\na\r\n$1\r\nbxy")).toEqual([["a", "b"]]);
    const big = `*1\r\n$40000\r\n${"a".repeat(40000)}\n\n`;
    const parsed = parseRequests(cutAt(b(big), [20, 30000]), {});
    expect(parsed.error).toBeNull();
    expect(parsed.frames.map((argv) => argv[0]!.length)).toEqual([40000]);
  });

  it("refuses a bulk length the runtime cannot allocate with a protocol error", () => {
    const limits = { maxBulkLength: 8 * 1024 * 1024 * 1024 };
    expect(errorOf("*1\r\n$5000000000\r\nabc", { limits })).toBe(
      "bulk length exceeds what this server can allocate",
    );
  });

  it("gives the full reply text Redis sends", () => {
    const parser = new RequestParser();
    parser.feed(b("*1\r\n$-1\r\n"));
    try {
      parser.next();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RespProtocolError);
      expect((error as RespProtocolError).replyText).toBe("ERR Protocol error: invalid bulk length");
    }
  });
});

// ------------------------------------------------------------------ properties

/** Bytes seen in requests and in broken requests: the alphabet of the random streams. */
const requestAlphabet = b("*$0123456789-+\r\n\0 \t\"'\\xAaPING");

const wellFormedRequest = fc.oneof(
  fc
    .array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 5 })
    .map((args) => encodeCommand(args.map((arg) => Buffer.from(arg)))),
  fc
    .array(fc.constantFrom(...requestAlphabet), { maxLength: 30 })
    .map((codes) => Buffer.concat([Buffer.from(codes), b("\r\n")])),
);

/** Streams of requests, sometimes followed by garbage, sometimes truncated. */
const requestStream = fc
  .tuple(
    fc.array(wellFormedRequest, { maxLength: 6 }),
    fc.array(fc.constantFrom(...requestAlphabet), { maxLength: 24 }),
    fc.nat(),
  )
  .map(([requests, garbage, cut]) => {
    const whole = Buffer.concat([...requests, Buffer.from(garbage)]);
    return cut % 4 === 0 ? whole.subarray(0, cut % (whole.length + 1)) : whole;
  });

describe("RequestParser: chunking never changes the outcome", () => {
  const options = [{}, { argumentViews: true }, { limits: { maxInlineLength: 12 } }];

  it("parses the same frames, error and state at every split point", () => {
    fc.assert(
      fc.property(requestStream, fc.constantFrom(...options), (stream, option) => {
        const whole = parseRequests([stream], option);
        for (let at = 0; at <= stream.length; at++) {
          expect(parseRequests(cutAt(stream, [at]), option)).toEqual(whole);
        }
        expect(parseRequests(cutAt(stream, [...stream.keys()]), option)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it("parses the same frames, error and state at random chunkings", () => {
    fc.assert(
      fc.property(
        requestStream,
        fc.array(fc.nat({ max: 400 }), { maxLength: 12 }),
        fc.constantFrom(...options),
        (stream, cuts, option) => {
          expect(parseRequests(cutAt(stream, cuts), option)).toEqual(parseRequests([stream], option));
        },
      ),
      { numRuns: 2000 },
    );
  }, 60_000);

  it("parses long streams the same when big chunks split small requests anywhere", () => {
    const longStream = fc
      .array(fc.tuple(fc.nat({ max: 6000 }), fc.boolean()), { minLength: 30, maxLength: 120 })
      .map((requests) =>
        Buffer.concat(
          requests.map(([length, inline], i) =>
            inline
              ? b(`ECHO "${"q".repeat(length % 200)}\\x4${i % 10}"\r\n`)
              : encodeCommand(["SET", `key:${i}`, Buffer.alloc(length, 97 + (i % 26))]),
          ),
        ),
      );
    fc.assert(
      fc.property(
        longStream,
        fc.array(fc.nat({ max: 400_000 }), { maxLength: 30 }),
        fc.boolean(),
        (stream, cuts, argumentViews) => {
          const chunks = cutAt(
            stream,
            cuts.map((cut) => cut % (stream.length + 1)),
          );
          expect(parseRequests(chunks, { argumentViews })).toEqual(
            parseRequests([stream], { argumentViews }),
          );
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it("assembles big arguments the same at random chunkings", () => {
    const bigStream = fc
      .tuple(fc.integer({ min: 32 * 1024 - 8, max: 70_000 }), fc.integer({ min: 0, max: 255 }))
      .map(([length, byte]) =>
        Buffer.concat([encodeCommand(["SET", "k", Buffer.alloc(length, byte)]), encodeCommand(["PING"])]),
      );
    fc.assert(
      fc.property(
        bigStream,
        fc.array(fc.nat({ max: 71_000 }), { maxLength: 8 }),
        fc.boolean(),
        (stream, cuts, argumentViews) => {
          const expected = parseRequests([stream], { argumentViews });
          expect(expected.frames).toHaveLength(2);
          expect(parseRequests(cutAt(stream, cuts), { argumentViews })).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);
});
