/*
 * Differential cases: GET / SET family basics.
 */
import type { DiffCase } from "../corpus-types.js";

export const corpus: readonly DiffCase[] = [
  { name: "GET of a missing key", steps: [["GET", "missing"]] },
  {
    name: "SET then GET",
    steps: [
      ["SET", "k", "v"],
      ["GET", "k"],
    ],
  },
  {
    name: "SET with binary value",
    steps: [
      ["SET", "k", Buffer.from("a\0b\r\nc")],
      ["GET", "k"],
    ],
  },
  {
    name: "SET NX on existing key",
    steps: [
      ["SET", "k", "1"],
      ["SET", "k", "2", "NX"],
      ["GET", "k"],
    ],
  },
  {
    name: "SET XX on missing key",
    steps: [
      ["SET", "k", "1", "XX"],
      ["GET", "k"],
    ],
  },
  { name: "SET NX XX is a syntax error", steps: [["SET", "k", "1", "NX", "XX"]] },
  { name: "SET EX 0 is invalid", steps: [["SET", "k", "1", "EX", "0"]] },
  { name: "SET EX not a number", steps: [["SET", "k", "1", "EX", "abc"]] },
  {
    name: "SET GET returns the old value",
    steps: [
      ["SET", "k", "old"],
      ["SET", "k", "new", "GET"],
      ["GET", "k"],
    ],
  },
  { name: "GET wrong arity", steps: [["GET"], ["GET", "a", "b"]] },
  { name: "unknown command", steps: [["NOSUCHCOMMAND", "a", "b"]] },
  {
    name: "SETNX and SETEX",
    steps: [
      ["SETNX", "k", "1"],
      ["SETNX", "k", "2"],
      ["SETEX", "e", "100", "v"],
      ["GET", "e"],
    ],
  },
  {
    name: "integer-looking values",
    steps: [
      ["SET", "n", "00123"],
      ["GET", "n"],
      ["SET", "m", "-0"],
      ["GET", "m"],
    ],
  },
];
