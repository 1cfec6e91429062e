import { describe, expect, it } from "vitest";
import { splitInlineArguments } from "./index.js";

/** Split a latin1 line; arguments back as latin1 strings, or null. */
function split(line: string): string[] | null {
  const args = splitInlineArguments(Buffer.from(line, "latin1"));
  return args === null ? null : args.map((arg) => arg.toString("latin1"));
}

describe("splitInlineArguments (Redis' sdssplitargs)", () => {
  it("separates arguments by blanks", () => {
    expect(split("SET  key\tvalue")).toEqual(["SET", "key", "value"]);
    expect(split("  \t ")).toEqual([]);
    expect(split("")).toEqual([]);
  });

  it('double quotes: escapes \\n \\r \\t \\b \\a \\\\ \\" \\xHH, other escaped bytes stand for themselves', () => {
    expect(split('"a\\n\\r\\t\\b\\a\\\\\\"\\x41\\xfF\\q"')).toEqual(['a\n\r\t\b\x07\\"A\xffq']);
    expect(split('"\\x4g"')).toEqual(["x4g"]);
    expect(split('"\\x4"')).toEqual(["x4"]);
  });

  it("single quotes: only \\' is an escape", () => {
    expect(split("'it\\'s \\n'")).toEqual(["it's \\n"]);
  });

  it("a quote inside an argument opens a quoted part of the same argument", () => {
    expect(split('a"b c"d')).toEqual(null);
    expect(split('a"b c" d')).toEqual(["ab c", "d"]);
    expect(split("x'y z'")).toEqual(["xy z"]);
  });

  it("empty quoted arguments", () => {
    expect(split("\"\" ''")).toEqual(["", ""]);
  });

  it("a closing quote must be followed by a blank or the end", () => {
    expect(split('"a"b')).toBeNull();
    expect(split("'a'b")).toBeNull();
    expect(split('"a"\x0bb')).toEqual(["a", "b"]); // \v is a blank between arguments
  });

  it("unterminated quotes are unbalanced", () => {
    expect(split('"abc')).toBeNull();
    expect(split("'abc")).toBeNull();
    expect(split('"abc\\"')).toBeNull();
    expect(split('"abc\\')).toBeNull();
  });

  it("outside quotes, \\v and \\f belong to the argument", () => {
    expect(split("a\x0bb\x0cc d")).toEqual(["a\x0bb\x0cc", "d"]);
  });

  it("a NUL byte ends the line", () => {
    expect(split("a b\0c d")).toEqual(["a", "b"]);
    expect(split('"a\0b"')).toBeNull();
  });

  it("keeps high bytes", () => {
    expect(split("caf\xe9 \xff")).toEqual(["caf\xe9", "\xff"]);
  });
});
