#!/usr/bin/env node
/*
 * spinel-check-rdb FILE: check an RDB file the way redis-check-rdb does. Every
 * record is decoded and validated (lengths, encodings, the checksum) without
 * touching any server. Prints what it read and either "RDB looks OK" (exit 0)
 * or the first bad offset and why (exit 1).
 */

import { Keyspace } from "@spinel/core-db";
import { FileSource, RdbError, RdbLoader } from "@spinel/persistence";

/** Check `path`; returns the report lines and whether the file is sound. */
export function checkRdbFile(path: string, databases = 16): { ok: boolean; lines: string[] } {
  const lines = [`[offset 0] Checking RDB file ${path}`];
  let source: FileSource;
  try {
    source = new FileSource(path);
  } catch (error) {
    lines.push(`Cannot open RDB file ${path}: ${(error as Error).message}`);
    return { ok: false, lines };
  }
  let loader: RdbLoader | null = null;
  try {
    loader = new RdbLoader(source, new Keyspace({ databases }), { dryRun: true, skipExpired: false });
    while (!loader.step(10_000)) {
      // keep decoding
    }
    const result = loader.result;
    for (const [name, value] of result.aux)
      lines.push(`[offset ${result.bytes}] AUX FIELD ${name} = '${value}'`);
    lines.push(
      result.checksumVerified
        ? `[offset ${result.bytes}] Checksum OK`
        : `[offset ${result.bytes}] RDB file was saved with checksum disabled: no check performed.`,
    );
    lines.push(`[offset ${result.bytes}] \\o/ RDB looks OK! \\o/`);
    lines.push(`[info] ${result.keysRead} keys read`);
    lines.push(`[info] ${result.expiresRead} expires`);
    lines.push(`[info] ${result.alreadyExpired} already expired`);
    return { ok: true, lines };
  } catch (error) {
    lines.push("--- RDB ERROR DETECTED ---");
    if (error instanceof RdbError) lines.push(`[offset ${error.offset}] ${error.reason}`);
    else lines.push(`[offset ${source.position}] ${(error as Error).message}`);
    if (loader !== null) lines.push(`[info] ${loader.result.keysRead} keys read before the error`);
    return { ok: false, lines };
  } finally {
    source.close();
  }
}

const invokedDirectly = process.argv[1] !== undefined && /check-rdb(\.[jt]s)?$/.test(process.argv[1]);
if (invokedDirectly) {
  const file = process.argv[2];
  if (file === undefined || process.argv.length > 3) {
    process.stderr.write("Usage: spinel-check-rdb <rdb-file-name>\n");
    process.exit(1);
  }
  const { ok, lines } = checkRdbFile(file);
  process.stdout.write(`${lines.join("\n")}\n`);
  process.exit(ok ? 0 : 1);
}
