/*
 * Loading a multi-part AOF: read the manifest, then replay the base and the
 * incremental files in order, each command parsed by @spinel/resp's
 * RequestParser and handed to an injected replay target (the server's loading
 * pseudo-client, which runs it through call()).
 *
 * The rules are redis-server 7.0's:
 *   - every command starts with `*` (an AOF holds multibulk requests only);
 *     anything else, or a request the parser rejects, is garbage: loading stops
 *     with an AofLoadError naming the file, the offset and the reason;
 *   - the last file may end in the middle of a command (a crash during a
 *     write): with aof-load-truncated it is loaded up to the last complete
 *     command, cut back to that length, and a warning is given; without it,
 *     loading stops; a short read in any earlier file always stops loading;
 *   - a file that ends inside MULTI without EXEC is treated as cut there: the
 *     transaction is dropped (never half-applied) under the same rule;
 *   - a missing manifest while AOF files exist, a manifest that does not parse,
 *     or a listed file that is missing, refuses the load before anything runs.
 */

import { RequestParser, RespProtocolError } from "@spinel/resp";
import type { AofStorage } from "./aof-storage.js";
import { type AofManifest, AofManifestError, manifestFileName, parseManifest } from "./manifest.js";

/** Who executes replayed commands: @spinel/commands' LoadingClient fits as is. */
export interface AofReplayTarget {
  /** Run one command; null when it ran, else why it cannot be replayed (stops the load). */
  execute(argv: Buffer[]): string | null;
  /** Drop a transaction the file left open (MULTI without EXEC). */
  discardTransaction(): void;
}

/** An AOF that cannot be loaded: the file, the byte offset and why. */
export class AofLoadError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`Bad AOF file ${file} at offset ${offset}: ${reason}`);
    this.name = "AofLoadError";
  }
}

/** What replaying one file did. */
export interface AofFileReplay {
  readonly file: string;
  /** Commands executed. */
  readonly commands: number;
  /** Size of the file as read. */
  readonly size: number;
  /** Bytes of complete commands (less than size when the tail was cut). */
  readonly validBytes: number;
  /** True when the tail (an incomplete command or transaction) was dropped. */
  readonly truncated: boolean;
}

/** Options of the AOF load. */
export interface AofLoadOptions {
  /** aof-load-truncated: load a last file that ends mid-command up to its last complete command. */
  readonly loadTruncated: boolean;
  /** Told about a dropped tail (the server logs it as a warning). */
  readonly warn?: (message: string) => void;
  /**
   * Loads an RDB preamble at the start of a base file (a base written with
   * aof-use-rdb-preamble) and returns the number of bytes it used. Without it, such
   * a base is refused with a clear error.
   */
  readonly loadRdbPreamble?: (bytes: Buffer, file: string) => number;
}

const STAR = 42;
const NO_LIMIT = { maxBulkLength: 2 ** 31 - 1, maxMultibulkLength: 2 ** 31 - 1, maxInlineLength: 64 * 1024 };
const RDB_MAGIC = Buffer.from("REDIS");

/**
 * Replay the commands of one AOF file's `bytes` into `target`. `last` tells
 * whether this is the last file of the AOF (the only one whose tail may be cut).
 * Throws AofLoadError on garbage, on an unknown command, and on a cut tail that
 * may not be dropped.
 */
export function replayAofBytes(
  bytes: Buffer,
  file: string,
  target: AofReplayTarget,
  options: AofLoadOptions & { readonly last: boolean; readonly start?: number },
): AofFileReplay {
  let offset = options.start ?? 0;
  let commands = 0;
  /** Offset of the MULTI of an open transaction, or -1. */
  let multiStart = -1;
  let cutAt = -1;
  let cutReason = "";
  if (offset < bytes.length) {
    const parser = new RequestParser({ limits: NO_LIMIT, argumentViews: true });
    parser.feed(offset === 0 ? bytes : bytes.subarray(offset));
    while (offset < bytes.length) {
      if (bytes[offset] !== STAR) {
        throw new AofLoadError(file, offset, "Bad file format reading the append only file");
      }
      let argv: Buffer[] | null;
      try {
        argv = parser.next();
      } catch (error) {
        if (error instanceof RespProtocolError) throw new AofLoadError(file, offset, error.message);
        throw error;
      }
      if (argv === null) {
        cutAt = offset;
        cutReason = "Unexpected end of file reading the append only file";
        break;
      }
      const end = bytes.length - parser.bufferedBytes;
      const name = argv[0]!.toString("latin1").toLowerCase();
      if (name === "multi") multiStart = offset;
      const failure = target.execute(argv);
      if (failure !== null) throw new AofLoadError(file, offset, `${failure} reading the append only file`);
      if (name === "exec" || name === "discard") multiStart = -1;
      commands++;
      offset = end;
    }
  }
  if (multiStart !== -1) {
    // The file ends inside a transaction: it was never applied, drop it whole.
    target.discardTransaction();
    cutAt = multiStart;
    cutReason = "Revert incomplete MULTI/EXEC transaction in AOF file";
  }
  if (cutAt !== -1) {
    if (!options.last || !options.loadTruncated) {
      throw new AofLoadError(
        file,
        cutAt,
        `${cutReason}${options.last ? " (aof-load-truncated is no: fix it with spinel-check-aof --fix)" : " (not the last file of the AOF)"}`,
      );
    }
    options.warn?.(
      `!!! Warning: short read while loading the AOF file ${file}!!! ${cutReason}: loaded up to offset ${cutAt} of ${bytes.length} (aof-load-truncated is enabled)`,
    );
    return { file, commands, size: bytes.length, validBytes: cutAt, truncated: true };
  }
  return { file, commands, size: bytes.length, validBytes: bytes.length, truncated: false };
}

/** What loading a whole AOF did. */
export interface AofLoadResult {
  readonly manifest: AofManifest;
  readonly files: readonly AofFileReplay[];
  /** Commands executed over all files. */
  readonly commands: number;
}

/**
 * Read the manifest in `storage` for the appendfilename `prefix`. Returns null
 * when there is no AOF at all (no manifest and no AOF file); throws
 * AofManifestError when the manifest is missing although AOF files are there,
 * or when it does not parse, or names a file that is missing.
 */
export function readManifest(storage: AofStorage, prefix: string): AofManifest | null {
  const name = manifestFileName(prefix);
  if (!storage.exists(name)) {
    const stray = storage
      .list()
      .filter((file) => file.startsWith(`${prefix}.`) && /\.(base\.(rdb|aof)|incr\.aof)$/.test(file));
    if (stray.length > 0) {
      throw new AofManifestError(
        name,
        `The AOF manifest file is missing in ${storage.location} but AOF files are present (${stray.join(", ")})`,
      );
    }
    return null;
  }
  const manifest = parseManifest(storage.read(name).toString("latin1"), name);
  const listed = [...(manifest.base !== null ? [manifest.base] : []), ...manifest.incr];
  for (const info of listed) {
    if (!storage.exists(info.name))
      throw new AofManifestError(name, `The AOF file ${info.name} doesn't exist`);
  }
  return manifest;
}

/**
 * Load the whole AOF: the base, then every incremental file. A last file whose
 * tail was dropped is cut back to its valid length in storage, so appending
 * continues after the last complete command. Returns null when there is no AOF.
 */
export function loadAof(
  storage: AofStorage,
  prefix: string,
  target: AofReplayTarget,
  options: AofLoadOptions,
): AofLoadResult | null {
  const manifest = readManifest(storage, prefix);
  if (manifest === null) return null;
  const listed = [...(manifest.base !== null ? [manifest.base] : []), ...manifest.incr];
  const files: AofFileReplay[] = [];
  let commands = 0;
  for (let i = 0; i < listed.length; i++) {
    const info = listed[i]!;
    const bytes = storage.read(info.name);
    let start = 0;
    if (info.type === "b" && bytes.length >= 5 && bytes.subarray(0, 5).equals(RDB_MAGIC)) {
      if (options.loadRdbPreamble === undefined) {
        throw new AofLoadError(
          info.name,
          0,
          "The AOF base has an RDB preamble, which this server cannot load",
        );
      }
      start = options.loadRdbPreamble(bytes, info.name);
    }
    const replay = replayAofBytes(bytes, info.name, target, {
      ...options,
      last: i === listed.length - 1,
      start,
    });
    if (replay.truncated) {
      const handle = storage.open(info.name, false);
      try {
        handle.truncate(replay.validBytes);
        handle.sync();
      } finally {
        handle.close();
      }
    }
    files.push(replay);
    commands += replay.commands;
  }
  return { manifest, files, commands };
}
