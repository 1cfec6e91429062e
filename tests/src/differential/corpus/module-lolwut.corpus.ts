/*
 * Differential cases: MODULE on a server without modules (an empty LIST; LOAD,
 * LOADEX and UNLOAD refused by the default enable-module-command, with Redis'
 * words; arity and unknown subcommands), and LOLWUT, whose art and version line
 * differ by nature (compared by type) but whose errors do not.
 */
import { type DiffCase, sameType } from "../corpus-types.js";

export const corpus: readonly DiffCase[] = [
  {
    name: "MODULE without modules",
    steps: [
      ["MODULE", "LIST"],
      ["MODULE", "LOAD", "/nonexistent/module.so"],
      ["MODULE", "LOAD", "/nonexistent/module.so", "arg1", "arg2"],
      ["MODULE", "LOADEX", "/nonexistent/module.so", "CONFIG", "a", "b", "ARGS", "c"],
      ["MODULE", "UNLOAD", "nosuch"],
      ["module", "list"],
      sameType("MODULE", "HELP"),
    ],
  },
  {
    name: "MODULE arity and unknown subcommands",
    steps: [["MODULE"], ["MODULE", "FOO"], ["MODULE", "LOAD"], ["MODULE", "UNLOAD"], ["MODULE", "LIST", "x"]],
  },
  {
    name: "MODULE LIST in RESP3",
    resp3: true,
    steps: [["MODULE", "LIST"]],
  },
  {
    name: "LOLWUT forms",
    steps: [
      sameType("LOLWUT"),
      sameType("LOLWUT", "VERSION", "1"),
      sameType("LOLWUT", "VERSION", "99"),
      sameType("LOLWUT", "VERSION", "-1"),
      sameType("LOLWUT", "VERSION"),
      sameType("LOLWUT", "foo"),
      ["LOLWUT", "VERSION", "abc"],
      ["LOLWUT", "VERSION", "1.5"],
    ],
  },
  {
    name: "LOLWUT is verbatim text in RESP3",
    resp3: true,
    steps: [sameType("LOLWUT", "VERSION", "99")],
  },
];
