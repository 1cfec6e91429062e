/*
 * AppendOnlyFile: a multi-part AOF in the making, as redis-server 7.0 keeps one.
 *
 * It is a consumer of the propagation stream (the `selectedDb` / `append(argv)`
 * pair of @spinel/commands' StreamConsumer): every propagated command is encoded
 * into an in-memory buffer, and flush() (run once per event-loop turn, before
 * replies are written, like Redis' beforeSleep) writes the buffer to the current
 * incremental file. appendfsync decides durability:
 *   always   - flush() fsyncs before returning, so a reply never leaves before
 *              its write is on disk; a failed write or fsync is fatal;
 *   everysec - an fsync runs in the background at most once per second;
 *   no       - the operating system decides.
 * A failed write (disk full, I/O error) follows redis-server's rules: a partial
 * write is cut back, the buffer is kept and retried on each flush and each cron
 * tick, `aof_last_write_status` is err and writeError names the cause (the
 * server refuses writes with MISCONF meanwhile); with appendfsync always the
 * server cannot keep its promise and must stop (onFatal).
 *
 * A rewrite replaces the base with the dataset as it is at the rewrite's start,
 * Redis 7 multi-part style, in an order that leaves a loadable AOF after a crash
 * at any point: a new empty incremental file is opened and the writer switches
 * to it at once (the manifest names it next to the old files); the new base is
 * written under a temp name, synced and renamed; the new manifest (new base, new
 * incremental file) is written under a temp name, synced and renamed over the old
 * one (the switch); only then are the old files deleted. startRewrite() +
 * stepRewrite() write an RDB base as a point-in-time snapshot in slices across
 * loop turns (the server keeps serving, writes go to the new incremental file);
 * rewrite() runs every step at once.
 */

import type { Keyspace } from "@spinel/core-db";
import type { AppendHandle, StorageBackend } from "../io/storage-backend.js";
import { type SnapshotJob, type SnapshotOptions, startSnapshot } from "../rdb/snapshot-job.js";
import { type AofBaseWriter, writeAofBase } from "./base-writer.js";
import { CommandBuffer } from "./command-buffer.js";
import {
  type AofFileInfo,
  type AofManifest,
  baseFileName,
  formatManifest,
  incrFileName,
  manifestFileName,
  tempBaseFileName,
  tempManifestFileName,
} from "./manifest.js";
import { CallbackSink } from "./rdb-base.js";

/** appendfsync. */
export type AppendFsync = "always" | "everysec" | "no";

/** Where the AOF reports what it does (the server's logger). */
export interface AofLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options of an AppendOnlyFile. */
export interface AppendOnlyFileOptions {
  readonly storage: StorageBackend;
  /** appendfilename: the prefix of every file name. */
  readonly prefix: string;
  fsync: AppendFsync;
  /**
   * Writes the base of a rewrite (default: the RDB writer when rdbPreamble is
   * on, else the AOF-format writer).
   */
  readonly baseWriter?: AofBaseWriter;
  /** aof-use-rdb-preamble: the base is an RDB file `<prefix>.<seq>.base.rdb` (default false). */
  readonly rdbPreamble?: boolean;
  /** RDB settings of an RDB base (rdbcompression, rdbchecksum, encoding limits). */
  readonly rdbOptions?: SnapshotOptions;
  /**
   * The code of every function library now (FUNCTION LOAD text); a rewrite
   * writes them at the start of its base, read when the base's point in time
   * is taken. None when absent.
   */
  readonly functionLibraries?: () => readonly Uint8Array[];
  readonly log?: AofLog;
  /** Wall clock in ms (tests may inject one). */
  readonly now?: () => number;
  /**
   * Called when the AOF cannot keep its durability promise (a failed write or
   * fsync with appendfsync always): the server must stop, as redis-server does.
   */
  readonly onFatal?: (message: string) => void;
}

/** A rewrite between startRewrite() and its end. */
interface RewriteState {
  readonly startedAt: number;
  readonly base: AofFileInfo;
  readonly incr: AofFileInfo;
  readonly history: AofFileInfo[];
  readonly tempBase: string;
  readonly baseHandle: AppendHandle;
  /** The snapshot writing an RDB base in slices, or null when the base is already written. */
  readonly job: SnapshotJob | null;
}

const silentLog: AofLog = { info() {}, warn() {}, error() {} };

/** Texts of the errno codes a write can fail with, as strerror() words them. */
const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: "No space left on device",
  EIO: "Input/output error",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EROFS: "Read-only file system",
  EDQUOT: "Disk quota exceeded",
  EBADF: "Bad file descriptor",
  EFBIG: "File too large",
  ENOENT: "No such file or directory",
};

/** strerror()-style text of a failed file operation. */
export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && ERRNO_TEXT[code] !== undefined) return ERRNO_TEXT[code]!;
  return error instanceof Error ? error.message : String(error);
}

/** A multi-part AOF open for appending. */
export class AppendOnlyFile {
  /** Database the output last selected (-1: the next command needs a SELECT). */
  selectedDb: number;
  fsync: AppendFsync;
  readonly storage: StorageBackend;
  readonly prefix: string;
  /** "ok" or "err": whether the last write reached the file (aof_last_write_status). */
  lastWriteStatus: "ok" | "err";
  /** Why writes fail, strerror-style, while lastWriteStatus is err. */
  writeError: string | null;
  /** "ok" or "err": how the last rewrite ended (aof_last_bgrewrite_status). */
  lastRewriteStatus: "ok" | "err";
  /** Duration of the last rewrite in ms, or -1 (aof_last_rewrite_time_sec). */
  lastRewriteMs: number;
  /** Size of the AOF right after the last rewrite or load (aof_base_size; auto-rewrite measures growth from it). */
  rewriteBaseSize: number;
  /** Rewrites done since start. */
  rewrites: number;
  /** Why the last rewrite failed, or null. */
  rewriteError: string | null;
  /** Number of background fsyncs that had not finished when another was due (aof_delayed_fsync). */
  delayedFsyncs: number;
  private manifest: AofManifest;
  private handle: AppendHandle | null;
  private readonly buffer: CommandBuffer;
  /** aof-use-rdb-preamble, read by the next rewrite (CONFIG SET applies from then on). */
  useRdbPreamble: boolean;
  /** RDB settings of an RDB base, read by the next rewrite. */
  rdbOptions: SnapshotOptions;
  private readonly baseWriter: AofBaseWriter | null;
  private readonly functionLibraries: () => readonly Uint8Array[];
  /** The running rewrite, or null. */
  private rewriteState: RewriteState | null;
  private readonly log: AofLog;
  private readonly now: () => number;
  private readonly onFatal: (message: string) => void;
  /** Bytes of the base file. */
  private baseBytes: number;
  /** Bytes of incremental files other than the current one. */
  private olderIncrBytes: number;
  private fsyncInProgress: boolean;
  /** Data commands still to leave out (see skipNextCommands). */
  private skipCommands: number;
  private lastFsyncAt: number;
  /** Bytes written since the last fsync started. */
  private unsyncedBytes: number;
  private closed: boolean;

  private constructor(options: AppendOnlyFileOptions, manifest: AofManifest) {
    this.storage = options.storage;
    this.prefix = options.prefix;
    this.fsync = options.fsync;
    this.baseWriter = options.baseWriter ?? null;
    this.functionLibraries = options.functionLibraries ?? (() => []);
    this.useRdbPreamble = options.rdbPreamble ?? false;
    this.rdbOptions = options.rdbOptions ?? {};
    this.log = options.log ?? silentLog;
    this.now = options.now ?? Date.now;
    this.onFatal =
      options.onFatal ??
      ((message) => {
        throw new Error(message);
      });
    this.selectedDb = -1;
    this.lastWriteStatus = "ok";
    this.writeError = null;
    this.lastRewriteStatus = "ok";
    this.rewriteError = null;
    this.lastRewriteMs = -1;
    this.rewriteBaseSize = 0;
    this.rewrites = 0;
    this.rewriteState = null;
    this.delayedFsyncs = 0;
    this.manifest = manifest;
    this.handle = null;
    this.buffer = new CommandBuffer();
    this.baseBytes = 0;
    this.olderIncrBytes = 0;
    this.fsyncInProgress = false;
    this.skipCommands = 0;
    this.lastFsyncAt = this.now();
    this.unsyncedBytes = 0;
    this.closed = false;
  }

  /**
   * Start a new AOF from the dataset in `keyspace` (start-up without an AOF,
   * CONFIG SET appendonly yes): a base of the current dataset, an empty
   * incremental file, a manifest naming them. Older files of an AOF under the
   * same prefix are replaced, as a rewrite replaces them.
   */
  static create(
    options: AppendOnlyFileOptions,
    keyspace: Keyspace,
    previous: AofManifest | null,
  ): AppendOnlyFile {
    options.storage.ensureDirectory();
    const aof = new AppendOnlyFile(options, previous ?? { base: null, incr: [], history: [] });
    aof.rewrite(keyspace);
    if (aof.lastRewriteStatus !== "ok") throw new Error(`Creating the AOF failed: ${aof.rewriteError}`);
    return aof;
  }

  /**
   * Continue an AOF that was just loaded from `manifest`: open its last
   * incremental file for appending (creating one, and naming it in the
   * manifest, when it has none).
   */
  static resume(options: AppendOnlyFileOptions, manifest: AofManifest): AppendOnlyFile {
    const aof = new AppendOnlyFile(options, manifest);
    const storage = aof.storage;
    const last = manifest.incr[manifest.incr.length - 1];
    if (last === undefined) {
      const info: AofFileInfo = { name: incrFileName(aof.prefix, 1), seq: 1, type: "i" };
      aof.handle = storage.open(info.name, true);
      aof.manifest = { ...manifest, incr: [info] };
      aof.persistManifest(aof.manifest);
    } else {
      aof.handle = storage.open(last.name, false);
    }
    aof.baseBytes = manifest.base !== null ? storage.size(manifest.base.name) : 0;
    aof.olderIncrBytes = 0;
    for (let i = 0; i < manifest.incr.length - 1; i++)
      aof.olderIncrBytes += storage.size(manifest.incr[i]!.name);
    aof.rewriteBaseSize = aof.currentSize;
    return aof;
  }

  // ------------------------------------------------------------------ the stream consumer

  /** Append one propagated command (StreamConsumer). Written by the next flush(). */
  append(argv: readonly Buffer[]): void {
    if (this.closed) return;
    if (this.skipCommands > 0 && this.skipped(argv)) return;
    this.buffer.append(argv);
  }

  /**
   * Leave out the next `count` data commands (not SELECT, MULTI or EXEC): the
   * writes of an execution unit that ran before the AOF was created inside that
   * same unit (CONFIG SET appendonly yes inside MULTI), which the base already holds.
   */
  skipNextCommands(count: number): void {
    this.skipCommands = count;
  }

  private skipped(argv: readonly Buffer[]): boolean {
    const name = argv[0]!.toString("latin1").toLowerCase();
    if (name === "select" || name === "multi" || name === "exec") return false;
    this.skipCommands--;
    return true;
  }

  /** Bytes waiting for the next flush (aof_buffer_length). */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  // ------------------------------------------------------------------ writing

  /**
   * Write what was appended to the current incremental file and apply the fsync
   * policy. Called once per event-loop turn before replies go out, and by the
   * cron (which retries failed writes and runs the everysec fsync).
   */
  flush(): void {
    const handle = this.handle;
    if (handle === null || this.closed) return;
    if (this.buffer.length > 0) {
      const before = handle.size;
      const bytes = this.buffer.view();
      try {
        handle.write(bytes);
      } catch (error) {
        this.writeFailed(handle, before, error);
        return;
      }
      // Written synchronously: the buffer's memory serves the next turn.
      this.buffer.clear();
      this.unsyncedBytes += bytes.length;
      if (this.lastWriteStatus === "err") {
        this.lastWriteStatus = "ok";
        this.writeError = null;
        this.log.warn("AOF write error looks solved, Spinel can write again.");
      }
    }
    if (this.unsyncedBytes === 0) return;
    if (this.fsync === "always") {
      try {
        handle.sync();
      } catch (error) {
        this.onFatal(
          `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${describeIoError(error)}. Exiting...`,
        );
        return;
      }
      this.unsyncedBytes = 0;
      this.lastFsyncAt = this.now();
    } else if (this.fsync === "everysec") {
      const now = this.now();
      if (now - this.lastFsyncAt < 1000) return;
      if (this.fsyncInProgress) {
        this.delayedFsyncs++;
        return;
      }
      this.fsyncInProgress = true;
      this.lastFsyncAt = now;
      this.unsyncedBytes = 0;
      handle.syncInBackground((error) => {
        this.fsyncInProgress = false;
        if (error !== null) {
          this.log.warn(`Error in the AOF background fsync: ${describeIoError(error)}`);
          this.unsyncedBytes++;
        }
      });
    }
  }

  /** A write failed: cut back a partial write, keep the bytes for a retry, or stop (always). */
  private writeFailed(handle: AppendHandle, before: number, error: unknown): void {
    const reason = describeIoError(error);
    if (this.fsync === "always") {
      this.onFatal(
        `Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting... (${reason})`,
      );
      return;
    }
    // The buffer still holds every byte; a partial write is undone, or dropped from it.
    if (handle.size !== before) {
      try {
        handle.truncate(before);
      } catch {
        // Could not undo the partial write: what reached the file stays, the rest is retried.
        this.buffer.dropFront(handle.size - before);
      }
    }
    if (this.lastWriteStatus === "ok") this.log.warn(`Error writing to the AOF file: ${reason}`);
    this.lastWriteStatus = "err";
    this.writeError = reason;
  }

  // ------------------------------------------------------------------ rewrite

  /**
   * Rewrite at once: the dataset in `keyspace` becomes the new base, a new
   * empty incremental file follows it, the old files are deleted once the new
   * manifest is in place. Returns true on success; on failure the old AOF stays
   * in use (with the new incremental file appended) and lastRewriteStatus is
   * err. Runs every slice of the base before returning and installs no pre-write
   * hook, so it works beside a running snapshot.
   */
  rewrite(keyspace: Keyspace): boolean {
    if (!this.startRewrite(keyspace, false)) return false;
    while (!this.stepRewrite()) {
      // every slice now
    }
    return this.lastRewriteStatus === "ok";
  }

  /** True while a rewrite started by startRewrite() has not finished. */
  get rewriteInProgress(): boolean {
    return this.rewriteState !== null;
  }

  /** When the running rewrite started (ms, the injected clock), or -1. */
  get rewriteStartedAt(): number {
    return this.rewriteState?.startedAt ?? -1;
  }

  /**
   * Start a rewrite, Redis 7 multi-part style: everything appended so far is
   * flushed to the current incremental file, a new incremental file is opened
   * and the writer switches to it at once (on a live AOF the manifest names it
   * right away, so a crash from here on loads the old base, the old incremental
   * files and the new one); then the base is written from the dataset as it is
   * now. With `background` and an RDB base, the base is a point-in-time
   * snapshot (startSnapshot, with its pre-write hook) written by stepRewrite()
   * in bounded slices across loop turns; an AOF-format base is written here in
   * one go. Returns false, with lastRewriteStatus err and rewriteError set, when
   * the rewrite cannot start (the AOF is left as it was). Throws when a rewrite
   * runs already, or (background) when another snapshot holds the keyspace.
   */
  startRewrite(keyspace: Keyspace, background: boolean): boolean {
    if (this.rewriteState !== null) throw new Error("an AOF rewrite is already running");
    if (background && keyspace.snapshot !== null) throw new Error("a snapshot is already running");
    const started = this.now();
    const storage = this.storage;
    const prefix = this.prefix;
    // Everything propagated so far belongs to the old incremental files.
    this.flush();
    if (this.lastWriteStatus === "err") {
      this.lastRewriteStatus = "err";
      this.rewriteError = `the AOF cannot be written: ${this.writeError}`;
      return false;
    }
    const old = this.manifest;
    const live = this.handle !== null;
    const rdb = this.useRdbPreamble;
    const baseSeq = (old.base?.seq ?? 0) + 1;
    const incrSeq = (old.incr[old.incr.length - 1]?.seq ?? 0) + 1;
    const base: AofFileInfo = { name: baseFileName(prefix, baseSeq, rdb), seq: baseSeq, type: "b" };
    const incr: AofFileInfo = { name: incrFileName(prefix, incrSeq), seq: incrSeq, type: "i" };
    const tempBase = tempBaseFileName(prefix);
    // What the new manifest will list as history: the files the new base replaces.
    const history = [...old.history];
    if (old.base !== null) history.push({ ...old.base, type: "h" });
    for (const info of old.incr) history.push({ ...info, type: "h" });
    // 1. The new incremental file, and the switch of the writer to it.
    let newHandle: AppendHandle | null = null;
    try {
      storage.ensureDirectory();
      newHandle = storage.open(incr.name, true);
      newHandle.sync();
      if (live) {
        const interim: AofManifest = { base: old.base, incr: [...old.incr, incr], history: old.history };
        this.persistManifest(interim);
        this.manifest = interim;
      }
    } catch (error) {
      newHandle?.close();
      if (!live) storage.remove(incr.name);
      return this.rewriteFailedToStart(error);
    }
    if (live) {
      this.olderIncrBytes += this.handle!.size;
      this.handle!.close();
    }
    this.handle = newHandle;
    this.selectedDb = -1;
    this.unsyncedBytes = 0;
    // 2. The base, under a temp name.
    let baseHandle: AppendHandle | null = null;
    let job: SnapshotJob | null = null;
    try {
      baseHandle = storage.open(tempBase, true);
      const out = baseHandle;
      const functionLibraries = this.functionLibraries();
      if (this.baseWriter === null && rdb) {
        job = startSnapshot(keyspace, new CallbackSink((chunk) => out.write(chunk)), {
          ...this.rdbOptions,
          functionLibraries,
          aofBase: true,
          hook: background,
          ...(background ? {} : { sliceBytes: Number.POSITIVE_INFINITY, sliceMs: Number.POSITIVE_INFINITY }),
        });
      } else {
        (this.baseWriter ?? writeAofBase)(keyspace, (chunk) => out.write(chunk), functionLibraries);
      }
    } catch (error) {
      baseHandle?.close();
      storage.remove(tempBase);
      if (!live) {
        this.handle.close();
        this.handle = null;
        storage.remove(incr.name);
      }
      return this.rewriteFailedToStart(error);
    }
    this.rewriteState = { startedAt: started, base, incr, history, tempBase, baseHandle, job };
    return true;
  }

  /**
   * Write the next slice of the running rewrite's base; when the base is
   * complete: sync it, rename it into place, write the new manifest (the new
   * base and the incremental file opened at the start) atomically, and delete
   * the history. Returns true when the rewrite is over (lastRewriteStatus says
   * how it ended; a failure keeps the AOF as it was at the start, new
   * incremental file included).
   */
  stepRewrite(): boolean {
    const state = this.rewriteState;
    if (state === null) return true;
    const storage = this.storage;
    try {
      if (state.job !== null && !state.job.step()) return false;
      state.baseHandle.sync();
      const baseBytes = state.baseHandle.size;
      state.baseHandle.close();
      storage.rename(state.tempBase, state.base.name);
      // The switch: from here on a restart loads the new base.
      this.persistManifest({ base: state.base, incr: [state.incr], history: state.history });
      this.rewriteState = null;
      this.baseBytes = baseBytes;
    } catch (error) {
      this.abortRewrite();
      this.lastRewriteStatus = "err";
      this.rewriteError = describeIoError(error);
      this.log.warn(`Background AOF rewrite failed: ${this.rewriteError}`);
      return true;
    }
    this.olderIncrBytes = 0;
    this.manifest = { base: state.base, incr: [state.incr], history: [] };
    this.deleteHistory();
    this.lastRewriteStatus = "ok";
    this.rewriteError = null;
    this.lastRewriteMs = this.now() - state.startedAt;
    this.rewriteBaseSize = this.currentSize;
    this.rewrites++;
    return true;
  }

  /**
   * Stop a running rewrite (shutdown, appendonly no, a failure): the snapshot
   * releases the keyspace, the temp base is removed, and the AOF goes on with
   * the files the manifest names (the new incremental file included).
   */
  abortRewrite(): void {
    const state = this.rewriteState;
    if (state === null) return;
    this.rewriteState = null;
    state.job?.abort();
    try {
      state.baseHandle.close();
    } catch {
      // the file is removed next
    }
    this.storage.remove(state.tempBase);
  }

  private rewriteFailedToStart(error: unknown): false {
    this.lastRewriteStatus = "err";
    this.rewriteError = describeIoError(error);
    this.log.warn(`Background AOF rewrite failed: ${this.rewriteError}`);
    return false;
  }

  /** Delete the files a rewrite replaced, then record the manifest without them. */
  private deleteHistory(): void {
    const manifest = this.manifest;
    const history = this.storage.list().filter((name) => this.isHistoryFile(name, manifest));
    try {
      for (const name of history) this.storage.remove(name);
      this.persistManifest(manifest);
    } catch (error) {
      this.log.warn(`Removing AOF history files failed: ${describeIoError(error)}`);
    }
  }

  /** An AOF file of this prefix that the manifest no longer names. */
  private isHistoryFile(name: string, manifest: AofManifest): boolean {
    if (!name.startsWith(`${this.prefix}.`) || !/\.(base\.(rdb|aof)|incr\.aof)$/.test(name)) return false;
    if (manifest.base?.name === name) return false;
    return !manifest.incr.some((info) => info.name === name);
  }

  /** Write `manifest` under a temp name, sync it, and rename it into place. */
  private persistManifest(manifest: AofManifest): void {
    persistManifest(this.storage, this.prefix, manifest);
  }

  // ------------------------------------------------------------------ figures

  /** Bytes of the base file (the base part of aof_current_size). */
  get baseSize(): number {
    return this.baseBytes;
  }

  /** Bytes of the base and every incremental file (aof_current_size). */
  get currentSize(): number {
    return this.baseBytes + this.olderIncrBytes + (this.handle?.size ?? 0);
  }

  /**
   * True when auto-aof-rewrite says a rewrite is due: the AOF is at least
   * `minSize` bytes and grew by `percentage`% since the last rewrite (0 disables).
   */
  shouldAutoRewrite(percentage: number, minSize: number): boolean {
    if (percentage <= 0) return false;
    const size = this.currentSize;
    if (size < minSize) return false;
    const base = this.rewriteBaseSize > 0 ? this.rewriteBaseSize : 1;
    return ((size - base) * 100) / base >= percentage;
  }

  /** True while a background fsync (everysec) has not finished (aof_pending_bio_fsync). */
  get backgroundFsyncPending(): boolean {
    return this.fsyncInProgress;
  }

  /** The manifest in use. */
  get currentManifest(): AofManifest {
    return this.manifest;
  }

  /** Flush, fsync and close (shutdown, appendonly no). Later appends are ignored. */
  close(): void {
    if (this.closed) return;
    this.abortRewrite();
    this.flush();
    try {
      this.handle?.sync();
    } catch (error) {
      this.log.warn(`Fsync of the AOF at close failed: ${describeIoError(error)}`);
    }
    // The file keeps counting in currentSize after it is closed.
    this.olderIncrBytes += this.handle?.size ?? 0;
    this.handle?.close();
    this.handle = null;
    this.closed = true;
  }
}

/**
 * Write `manifest` as the manifest of the AOF under `prefix` in `storage`
 * atomically: under a temp name, synced, renamed into place, directory synced.
 * A crash leaves either the old manifest or the new one, never half of one.
 */
export function persistManifest(storage: StorageBackend, prefix: string, manifest: AofManifest): void {
  const temp = tempManifestFileName(prefix);
  const handle = storage.open(temp, true);
  try {
    handle.write(Buffer.from(formatManifest(manifest), "latin1"));
    handle.sync();
  } finally {
    handle.close();
  }
  storage.rename(temp, manifestFileName(prefix));
  storage.syncDirectory();
}

/**
 * Remove what a process killed in the middle of a rewrite or a manifest switch
 * left of the AOF under `prefix` in `storage`: the temp base and the temp
 * manifest, which nothing ever reads (start-up runs it before loading, as
 * redis-server drops its temp rewrite files). Returns the names removed.
 */
export function removeAofTempFiles(storage: StorageBackend, prefix: string): string[] {
  const temps = new Set([tempBaseFileName(prefix), tempManifestFileName(prefix)]);
  const found = storage.list().filter((name) => temps.has(name));
  for (const name of found) storage.remove(name);
  return found;
}
