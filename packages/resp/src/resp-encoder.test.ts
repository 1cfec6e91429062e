import { describe, expect, it } from "vitest";
import {
  encodeCommand,
  encodeValue,
  RequestParser,
  RespAttributed,
  RespBigNumber,
  RespDouble,
  RespError,
  RespMap,
  RespPush,
  RespSet,
  type RespValue,
  RespVerbatim,
} from "./index.js";

const text = (value: RespValue, protocol: 2 | 3 = 3) => encodeValue(value, protocol).toString("latin1");
const b = (s: string) => Buffer.from(s, "latin1");

describe("encodeValue", () => {
  const sample: RespValue = [
    "OK",
    new RespError("ERR syntax error"),
    42,
    -9223372036854775808n,
    b("a\r\nb"),
    null,
    true,
    new RespDouble(1.1),
    new RespDouble(Number.POSITIVE_INFINITY),
    new RespBigNumber(123456789012345678901234567890n),
    new RespVerbatim("txt", b("hello")),
    new RespMap([[b("k"), 1]]),
    new RespSet(["m"]),
    new RespPush(["message"]),
    new RespAttributed(new RespMap([["ttl", 10]]), "v"),
    new RespError("ERR bad\r\nthing", true),
  ];

  it("renders every type as RESP3", () => {
    expect(text(sample)).toBe(
      [
        "*16",
        "+OK",
        "-ERR syntax error",
        ":42",
        ":-9223372036854775808",
        "$4\r\na\r\nb",
        "_",
        "#t",
        ",1.1000000000000001",
        ",inf",
        "(123456789012345678901234567890",
        "=9\r\ntxt:hello",
        "%1\r\n$1\r\nk\r\n:1",
        "~1\r\n+m",
        ">1\r\n+message",
        "|1\r\n+ttl\r\n:10\r\n+v",
        "!14\r\nERR bad\r\nthing",
        "",
      ].join("\r\n"),
    );
  });

  it("renders as Redis renders for a RESP2 client", () => {
    expect(text(sample, 2)).toBe(
      [
        "*16",
        "+OK",
        "-ERR syntax error",
        ":42",
        ":-9223372036854775808",
        "$4\r\na\r\nb",
        "$-1",
        ":1",
        "$18\r\n1.1000000000000001",
        "$3\r\ninf",
        "$30\r\n123456789012345678901234567890",
        "$5\r\nhello",
        "*2\r\n$1\r\nk\r\n:1",
        "*1\r\n+m",
        "*1\r\n+message",
        "+v",
        "-ERR bad  thing",
        "",
      ].join("\r\n"),
    );
  });

  it("refuses what RESP cannot carry", () => {
    expect(() => encodeValue("a\r\nb")).toThrow(TypeError);
    expect(() => encodeValue("\u2713")).toThrow(TypeError);
    expect(() => encodeValue(new RespError("ERR a\nb"))).toThrow(TypeError);
    expect(() => encodeValue(1.5)).toThrow(TypeError);
    expect(() => encodeValue(2n ** 63n)).toThrow(TypeError);
    expect(() => encodeValue(new RespVerbatim("text", b("x")))).toThrow(TypeError);
    expect(() => encodeValue({} as RespValue)).toThrow(TypeError);
  });
});

describe("encodeCommand", () => {
  it("renders a multibulk request, strings as UTF-8, numbers in decimal", () => {
    expect(encodeCommand(["SET", "clé", b("\0\r\n"), 12, -3n, 1.5]).toString("latin1")).toBe(
      "*6\r\n$3\r\nSET\r\n$4\r\ncl\xc3\xa9\r\n$3\r\n\0\r\n\r\n$2\r\n12\r\n$2\r\n-3\r\n$3\r\n1.5\r\n",
    );
    expect(encodeCommand([]).toString()).toBe("*0\r\n");
  });

  it("is what RequestParser reads back", () => {
    const argv = [b("ZADD"), b("key"), b("1"), Buffer.from([0, 255, 13, 10])];
    const parser = new RequestParser();
    parser.feed(encodeCommand(argv));
    expect(parser.next()).toEqual(argv);
  });

  it("refuses numbers that are not finite", () => {
    expect(() => encodeCommand(["INCRBYFLOAT", "k", Number.NaN])).toThrow(TypeError);
  });
});
