#!/usr/bin/env node
/*
 * spinel-check-aof [--fix] PATH
 *
 * Checks an append-only file (PATH is a manifest of a multi-part AOF, or one AOF
 * file), prints what it found in redis-check-aof's words, and exits 0 when the
 * AOF is valid (or was fixed), 1 otherwise. --fix truncates a last file whose
 * tail is incomplete back to its last complete command.
 */

import { checkAofPath } from "./check-aof.js";

const args = process.argv.slice(2);
const fix = args[0] === "--fix";
const path = fix ? args[1] : args[0];
if (path === undefined || args.length > (fix ? 2 : 1)) {
  process.stderr.write("Usage: spinel-check-aof [--fix] <AOF manifest or file>\n");
  process.exit(1);
}
try {
  const outcome = checkAofPath(path, fix);
  process.stdout.write(`${outcome.lines.join("\n")}\n`);
  process.exit(outcome.status);
} catch (error) {
  process.stderr.write(`spinel-check-aof: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
