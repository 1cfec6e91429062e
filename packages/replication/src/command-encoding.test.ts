import { describe, expect, it } from "vitest";
import { encodeCommand, StreamCommandParser } from "./command-encoding.js";

const b = (s: string) => Buffer.from(s, "latin1");

describe("the replication stream's encoding", () => {
  it("encodes commands as RESP arrays of bulk strings", () => {
    expect(encodeCommand([b("SET"), b("k"), b("")]).toString("latin1")).toBe(
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n",
    );
  });

  it("splits a stream fed byte by byte into commands with their exact bytes", () => {
    const stream = Buffer.concat([
      encodeCommand([b("SELECT"), b("1")]),
      b("\n"),
      encodeCommand([b("SET"), b("a\r\nb"), Buffer.from([0, 255])]),
      encodeCommand([b("PING")]),
    ]);
    const parser = new StreamCommandParser();
    const seen: string[] = [];
    let bytes = 0;
    for (let i = 0; i < stream.length; i++) {
      parser.push(stream.subarray(i, i + 1));
      for (let command = parser.next(); command !== null; command = parser.next()) {
        seen.push(command.argv.map((arg) => arg.toString("latin1")).join(" "));
        bytes += command.bytes.length;
      }
    }
    expect(seen).toEqual(["SELECT 1", "", "SET a\r\nb \u0000\u00ff", "PING"]);
    expect(bytes).toBe(stream.length);
    expect(parser.pending).toBe(0);
  });

  it("refuses bytes that are not a command", () => {
    const parser = new StreamCommandParser();
    parser.push(b("*1\r\n+OK\r\n"));
    expect(() => parser.next()).toThrow("expected '$'");
  });
});
