/*
 * Differential cases: how user input is echoed in the errors of unknown commands
 * and subcommands. Redis prints the name and arguments as C strings (`%.128s`),
 * so they end at the first NUL byte and are cut at 128 bytes.
 */
import type { DiffCase } from "../corpus-types.js";

const nul = (text: string) => Buffer.from(text.replace("|", "\0"), "latin1");

export const corpus: readonly DiffCase[] = [
  {
    name: "unknown command: name and arguments end at a NUL byte",
    steps: [[nul("fo|xxx")], [nul("fo|xxx"), nul("ab|cd"), "x\ny"], ["nosuch", nul("|abc"), "next"]],
  },
  {
    name: "unknown subcommand: the subcommand ends at a NUL byte",
    steps: [
      ["CLIENT", nul("ab|cd")],
      ["CONFIG", nul("x|yz")],
    ],
  },
  {
    name: "unknown command: long names and arguments are cut at 128 bytes",
    steps: [["x".repeat(300), "y".repeat(100), "z".repeat(100), "w"]],
  },
];
