/*
 * Checking an AOF without loading it, like redis-check-aof: a single AOF file,
 * or a multi-part AOF through its manifest. Each file is parsed command by
 * command with the loader's rules (multibulk only, MULTI closed by EXEC); the
 * first bad offset and the reason are reported. --fix cuts the last file back to
 * its last complete command (the only repair redis-check-aof makes).
 */

import { basename, dirname } from "node:path";
import { Keyspace } from "@spinel/core-db";
import { MemorySource } from "../io/memory-stream.js";
import { FileBackend } from "../io/storage-backend.js";
import { RdbError } from "../rdb/rdb-error.js";
import { RdbLoader } from "../rdb/rdb-loader.js";
import { AofLoadError, type AofReplayTarget, replayAofBytes } from "./aof-loader.js";
import { type AofManifest, AofManifestError, parseManifest } from "./manifest.js";

/** What checking one file found. */
export interface AofFileCheck {
  readonly file: string;
  readonly size: number;
  /** Bytes of complete, well-formed commands from the start (ok_up_to). */
  readonly okUpTo: number;
  /** redis-check-aof's ok_up_to_line: 1 + the lines read whole before the problem. */
  readonly okUpToLine: number;
  /** null when the file is valid, else why it stops at okUpTo. */
  readonly problem: string | null;
  /** True when the problem is garbage (not just a cut tail). */
  readonly formatError: boolean;
}

const countingTarget: AofReplayTarget = {
  execute: () => null,
  discardTransaction: () => {},
};

/** Check the commands in `bytes` (one AOF file named `file`). */
export function checkAofBytes(bytes: Buffer, file: string): AofFileCheck {
  let okUpTo = bytes.length;
  let problem: string | null = null;
  let formatError = false;
  try {
    const replay = replayAofBytes(bytes, file, countingTarget, { last: true, loadTruncated: true });
    if (replay.truncated) {
      okUpTo = replay.validBytes;
      problem = "Unexpected end of file (an incomplete command or a MULTI without EXEC)";
    }
  } catch (error) {
    if (!(error instanceof AofLoadError)) throw error;
    okUpTo = error.offset;
    problem = error.reason;
    formatError = true;
  }
  // Counted as redis-check-aof does: from 1, every line read whole, including those
  // of a command cut by the end of the file (but not a line that is garbage).
  const counted = formatError ? okUpTo : bytes.length;
  let lines = 1;
  for (let i = 0; i < counted; i++) if (bytes[i] === 10) lines++;
  return { file, size: bytes.length, okUpTo, okUpToLine: lines, problem, formatError };
}

/** One line of the report, in redis-check-aof's words. */
export function analysedLine(check: AofFileCheck): string {
  return `AOF analyzed: filename=${check.file}, size=${check.size}, ok_up_to=${check.okUpTo}, ok_up_to_line=${check.okUpToLine}, diff=${check.size - check.okUpTo}`;
}

/** Outcome of the spinel-check-aof program. */
export interface CheckAofOutcome {
  /** Lines to print. */
  readonly lines: string[];
  /** Exit status: 0 valid (or fixed), 1 not valid. */
  readonly status: number;
}

/**
 * spinel-check-aof [--fix] PATH: PATH is a manifest (multi-part AOF) or one AOF
 * file. Reports each file and the first bad offset; with `fix`, truncates the
 * last file to its valid length when only its tail is bad.
 */
export function checkAofPath(path: string, fix: boolean): CheckAofOutcome {
  const lines: string[] = [];
  const storage = new FileBackend(dirname(path));
  const name = basename(path);
  if (!storage.exists(name)) return { lines: [`Cannot open file: ${path}`], status: 1 };
  if (!name.endsWith(".manifest")) {
    lines.push("Start checking Old-Style AOF");
    return finishFile(storage, name, fix, true, lines, "AOF", path);
  }
  lines.push("Start checking Multi Part AOF");
  let manifest: AofManifest;
  try {
    manifest = parseManifest(storage.read(name).toString("latin1"), name);
  } catch (error) {
    if (error instanceof AofManifestError) return { lines: [...lines, error.message], status: 1 };
    throw error;
  }
  const files = [...(manifest.base !== null ? [manifest.base] : []), ...manifest.incr];
  for (const info of files) {
    if (!storage.exists(info.name)) {
      return { lines: [...lines, `AOF ${info.name} doesn't exist (named by ${name})`], status: 1 };
    }
  }
  if (manifest.base !== null) {
    const rdbBase = storage.read(manifest.base.name).subarray(0, 5).toString("latin1") === "REDIS";
    lines.push(`Start to check BASE AOF (${rdbBase ? "RDB" : "AOF"} format).`);
    const outcome = finishFile(
      storage,
      manifest.base.name,
      fix,
      manifest.incr.length === 0,
      lines,
      "BASE AOF",
    );
    if (outcome.status !== 0) return outcome;
  }
  if (manifest.incr.length > 0) lines.push("Start to check INCR files.");
  for (let i = 0; i < manifest.incr.length; i++) {
    const outcome = finishFile(
      storage,
      manifest.incr[i]!.name,
      fix,
      i === manifest.incr.length - 1,
      lines,
      "INCR AOF",
    );
    if (outcome.status !== 0) return outcome;
  }
  lines.push("All AOF files and manifest are valid");
  return { lines, status: 0 };
}

function finishFile(
  storage: FileBackend,
  file: string,
  fix: boolean,
  last: boolean,
  lines: string[],
  kind: string,
  shownName: string = file,
): CheckAofOutcome {
  const whole = storage.read(file);
  let preamble = 0;
  if (whole.length >= 5 && whole.subarray(0, 5).toString("latin1") === "REDIS") {
    try {
      const loader = new RdbLoader(new MemorySource(whole), new Keyspace({ databases: 16 }), {
        dryRun: true,
      });
      while (!loader.step(1 << 30)) {
        // one step decodes the whole preamble
      }
      preamble = loader.result.bytes;
    } catch (error) {
      if (!(error instanceof RdbError)) throw error;
      lines.push(`0x${error.offset.toString(16).padStart(16, " ")}: RDB preamble: ${error.reason}`);
      lines.push(
        `${kind} ${shownName} is not valid: its RDB preamble is damaged (not fixable by truncation)`,
      );
      return { lines, status: 1 };
    }
    lines.push("RDB preamble is OK, proceeding with AOF tail...");
  }
  const bytes = preamble > 0 ? whole.subarray(preamble) : whole;
  const tail = checkAofBytes(bytes, shownName);
  // Offsets of the tail count from the start of the file.
  const check: AofFileCheck = {
    ...tail,
    size: whole.length,
    okUpTo: tail.okUpTo + preamble,
  };
  if (check.problem !== null)
    lines.push(`0x${check.okUpTo.toString(16).padStart(16, " ")}: ${check.problem}`);
  lines.push(analysedLine(check));
  if (check.problem === null) {
    lines.push(`${kind} ${shownName} is valid`);
    return { lines, status: 0 };
  }
  if (!fix) {
    lines.push(`${kind} ${shownName} is not valid. Use the --fix option to try fixing it.`);
    return { lines, status: 1 };
  }
  if (!last) {
    lines.push(`Failed to fix ${kind} ${file}: only the last file of an AOF can be truncated`);
    return { lines, status: 1 };
  }
  lines.push(
    `This will shrink the AOF ${shownName} from ${check.size} bytes, with ${check.size - check.okUpTo} bytes, to ${check.okUpTo} bytes`,
  );
  const handle = storage.open(file, false);
  try {
    handle.truncate(check.okUpTo);
    handle.sync();
  } finally {
    handle.close();
  }
  lines.push(`Successfully truncated AOF ${shownName}`);
  return { lines, status: 0 };
}
