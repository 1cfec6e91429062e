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
import type { StorageBackend } from "../io/storage-backend.js";
import {
  type AofFileInfo,
  type AofManifest,
  AofManifestError,
  manifestFileName,
  parseManifest,
} from "./manifest.js";

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
const HASH = 35;
const LF = 10;
const NO_LIMIT = { maxBulkLength: 2 ** 31 - 1, maxMultibulkLength: 2 ** 31 - 1, maxInlineLength: 64 * 1024 };
const RDB_MAGIC = Buffer.from("REDIS");

/**
 * The replay of one AOF file's bytes, resumable: step() executes a bounded
 * number of commands, so a big file loads across event-loop turns (clients get
 * -LOADING meanwhile). Throws AofLoadError on garbage, on a command the target
 * refuses, and on a cut tail that may not be dropped.
 */
export class AofFileReplayer {
  readonly file: string;
  /** Commands executed so far. */
  commands: number;
  /** Offset of the next command. */
  offset: number;
  private readonly bytes: Buffer;
  private readonly target: AofReplayTarget;
  private readonly options: AofLoadOptions & { readonly last: boolean };
  private parser: RequestParser;
  /** Offset of the MULTI of an open transaction, or -1. */
  private multiStart: number;
  private outcome: AofFileReplay | null;

  constructor(
    bytes: Buffer,
    file: string,
    target: AofReplayTarget,
    options: AofLoadOptions & { readonly last: boolean; readonly start?: number },
  ) {
    this.file = file;
    this.bytes = bytes;
    this.target = target;
    this.options = options;
    this.commands = 0;
    this.offset = options.start ?? 0;
    this.multiStart = -1;
    this.outcome = null;
    this.parser = new RequestParser({ limits: NO_LIMIT, argumentViews: true });
    if (this.offset < bytes.length) this.parser.feed(this.offset === 0 ? bytes : bytes.subarray(this.offset));
  }

  /** The result once done() (null before). */
  get result(): AofFileReplay | null {
    return this.outcome;
  }

  /** Execute up to `maxCommands` commands; true when the file is done. */
  step(maxCommands: number): boolean {
    if (this.outcome !== null) return true;
    const bytes = this.bytes;
    const file = this.file;
    for (let n = 0; n < maxCommands; n++) {
      const offset = this.offset;
      if (offset >= bytes.length) return this.finish(-1, "");
      if (bytes[offset] === HASH) {
        // An annotation line (aof-timestamp-enabled writes "#TS:<unix time>"): skipped, as Redis does.
        const lineEnd = bytes.indexOf(LF, offset);
        if (lineEnd === -1) return this.finish(offset, "Unexpected end of file reading the append only file");
        this.offset = lineEnd + 1;
        this.parser = new RequestParser({ limits: NO_LIMIT, argumentViews: true });
        if (this.offset < bytes.length) this.parser.feed(bytes.subarray(this.offset));
        n--;
        continue;
      }
      if (bytes[offset] !== STAR) {
        throw new AofLoadError(file, offset, "Bad file format reading the append only file");
      }
      let argv: Buffer[] | null;
      try {
        argv = this.parser.next();
      } catch (error) {
        if (error instanceof RespProtocolError) throw new AofLoadError(file, offset, error.message);
        throw error;
      }
      if (argv === null) return this.finish(offset, "Unexpected end of file reading the append only file");
      const end = bytes.length - this.parser.bufferedBytes;
      const name = argv[0]!.toString("latin1").toLowerCase();
      if (name === "multi") this.multiStart = offset;
      const failure = this.target.execute(argv);
      if (failure !== null) throw new AofLoadError(file, offset, `${failure} reading the append only file`);
      if (name === "exec" || name === "discard") this.multiStart = -1;
      this.commands++;
      this.offset = end;
    }
    if (this.offset >= bytes.length) return this.finish(-1, "");
    return false;
  }

  /** The end of the bytes: check what was left open or cut, and record the outcome. */
  private finish(cutAtStart: number, cutReasonStart: string): boolean {
    let cutAt = cutAtStart;
    let cutReason = cutReasonStart;
    const bytes = this.bytes;
    const options = this.options;
    if (this.multiStart !== -1) {
      // The file ends inside a transaction: it was never applied, drop it whole.
      this.target.discardTransaction();
      cutAt = this.multiStart;
      cutReason = "Revert incomplete MULTI/EXEC transaction in AOF file";
    }
    if (cutAt !== -1) {
      if (!options.last || !options.loadTruncated) {
        throw new AofLoadError(
          this.file,
          cutAt,
          `${cutReason}${options.last ? " (aof-load-truncated is no: fix it with spinel-check-aof --fix)" : " (not the last file of the AOF)"}`,
        );
      }
      options.warn?.(
        `!!! Warning: short read while loading the AOF file ${this.file}!!! ${cutReason}: loaded up to offset ${cutAt} of ${bytes.length} (aof-load-truncated is enabled)`,
      );
      this.outcome = {
        file: this.file,
        commands: this.commands,
        size: bytes.length,
        validBytes: cutAt,
        truncated: true,
      };
    } else {
      this.outcome = {
        file: this.file,
        commands: this.commands,
        size: bytes.length,
        validBytes: bytes.length,
        truncated: false,
      };
    }
    return true;
  }
}

/**
 * Replay the commands of one AOF file's `bytes` into `target` at once. `last`
 * tells whether this is the last file of the AOF (the only one whose tail may be
 * cut). Throws AofLoadError as AofFileReplayer does.
 */
export function replayAofBytes(
  bytes: Buffer,
  file: string,
  target: AofReplayTarget,
  options: AofLoadOptions & { readonly last: boolean; readonly start?: number },
): AofFileReplay {
  const replayer = new AofFileReplayer(bytes, file, target, options);
  while (!replayer.step(Number.MAX_SAFE_INTEGER));
  return replayer.result!;
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
export function readManifest(storage: StorageBackend, prefix: string): AofManifest | null {
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
 * Loading a whole AOF, resumably: the base, then every incremental file. A last
 * file whose tail was dropped is cut back to its valid length in storage, so
 * appending continues after the last complete command. Create it with
 * AofLoader.open() (null when there is no AOF), then call step() until it
 * returns true.
 */
export class AofLoader {
  readonly manifest: AofManifest;
  /** Bytes of all the files to load (loading_total_bytes). */
  readonly totalBytes: number;
  private readonly storage: StorageBackend;
  private readonly target: AofReplayTarget;
  private readonly options: AofLoadOptions;
  private readonly listed: AofFileInfo[];
  private index: number;
  private current: AofFileReplayer | null;
  private doneBytes: number;
  private readonly files: AofFileReplay[];
  private commands: number;

  private constructor(
    storage: StorageBackend,
    manifest: AofManifest,
    target: AofReplayTarget,
    options: AofLoadOptions,
  ) {
    this.storage = storage;
    this.manifest = manifest;
    this.target = target;
    this.options = options;
    this.listed = [...(manifest.base !== null ? [manifest.base] : []), ...manifest.incr];
    this.totalBytes = this.listed.reduce((sum, info) => sum + storage.size(info.name), 0);
    this.index = 0;
    this.current = null;
    this.doneBytes = 0;
    this.files = [];
    this.commands = 0;
  }

  /** A loader for the AOF in `storage`, or null when there is none. Throws AofManifestError. */
  static open(
    storage: StorageBackend,
    prefix: string,
    target: AofReplayTarget,
    options: AofLoadOptions,
  ): AofLoader | null {
    const manifest = readManifest(storage, prefix);
    return manifest === null ? null : new AofLoader(storage, manifest, target, options);
  }

  /** Bytes replayed so far (loading_loaded_bytes). */
  get loadedBytes(): number {
    return this.doneBytes + (this.current?.offset ?? 0);
  }

  /** Execute up to `maxCommands` commands; true when the whole AOF is loaded. */
  step(maxCommands: number): boolean {
    let budget = maxCommands;
    while (this.index < this.listed.length) {
      if (this.current === null) this.current = this.openFile(this.index);
      const before = this.current.commands;
      const done = this.current.step(budget);
      budget -= this.current.commands - before;
      if (!done) return false;
      const replay = this.current.result!;
      if (replay.truncated) this.cutBack(replay);
      this.files.push(replay);
      this.commands += replay.commands;
      this.doneBytes += replay.size;
      this.current = null;
      this.index++;
      if (budget <= 0 && this.index < this.listed.length) return false;
    }
    return true;
  }

  /** What the load did (after step() returned true). */
  get result(): AofLoadResult {
    return { manifest: this.manifest, files: this.files, commands: this.commands };
  }

  private openFile(index: number): AofFileReplayer {
    const info = this.listed[index]!;
    const bytes = this.storage.read(info.name);
    let start = 0;
    if (info.type === "b" && bytes.length >= 5 && bytes.subarray(0, 5).equals(RDB_MAGIC)) {
      if (this.options.loadRdbPreamble === undefined) {
        throw new AofLoadError(
          info.name,
          0,
          "The AOF base has an RDB preamble, which this server cannot load",
        );
      }
      start = this.options.loadRdbPreamble(bytes, info.name);
    }
    return new AofFileReplayer(bytes, info.name, this.target, {
      ...this.options,
      last: index === this.listed.length - 1,
      start,
    });
  }

  private cutBack(replay: AofFileReplay): void {
    const handle = this.storage.open(replay.file, false);
    try {
      handle.truncate(replay.validBytes);
      handle.sync();
    } finally {
      handle.close();
    }
  }
}

/** Load the whole AOF at once (see AofLoader). Returns null when there is no AOF. */
export function loadAof(
  storage: StorageBackend,
  prefix: string,
  target: AofReplayTarget,
  options: AofLoadOptions,
): AofLoadResult | null {
  const loader = AofLoader.open(storage, prefix, target, options);
  if (loader === null) return null;
  while (!loader.step(Number.MAX_SAFE_INTEGER));
  return loader.result;
}
