/*
 * RDB persistence of a running server: the PersistenceControl that SAVE,
 * BGSAVE, DEBUG RELOAD, DUMP and RESTORE use, the start-up load, the save
 * points checked by the cron, the save at shutdown, INFO persistence's RDB
 * figures and stop-writes-on-bgsave-error.
 *
 * Every file is written to a temp name, made durable (fsync) and renamed over
 * dbfilename, so a crash at any moment leaves the previous file intact.
 * BGSAVE has no fork: it is a point-in-time snapshot job (@spinel/persistence)
 * written in slices across event-loop turns; the server keeps serving.
 *
 * Where files live is the storage backend's business: a FileBackend on `dir`
 * (the default) or a MemoryBackend (embedding, tests), chosen at start-up.
 */

import { resolve } from "node:path";
import {
  functionLibraryCodes,
  type PersistenceControl,
  type RdbInfo,
  restoreFunctionLibraries,
  type ServerState,
} from "@spinel/commands";
import type { RedisValue } from "@spinel/core-db";
import {
  type ByteSink,
  createDumpPayload,
  decodeDumpPayload,
  FileBackend,
  FileSink,
  RdbError,
  RdbLoader,
  type RdbLoadResult,
  type SnapshotJob,
  type StorageBackend,
  saveRdb,
  startSnapshot,
  verifyDumpPayload,
} from "@spinel/persistence";
import type { Logger } from "pino";
import type { ConfigStore } from "../config/config-store.js";

/** Redis' CONFIG_BGSAVE_RETRY_DELAY: wait this long after a failed save before a save point retries. */
const BGSAVE_RETRY_DELAY_MS = 5000;
/** Keys decoded per loop turn while loading at start-up (clients get -LOADING between turns). */
const LOAD_KEYS_PER_TURN = 20_000;

/** A failure to load the data file at start-up: the server must not start. */
export class DataLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataLoadError";
  }
}

/** Where the server keeps its files, and what it needs from the rest of the server. */
export interface RdbPersistenceOptions {
  state: ServerState;
  config: ConfigStore;
  logger: Logger;
  backend: StorageBackend;
}

/** One server's RDB persistence; see the file comment. */
export class RdbPersistence implements PersistenceControl {
  backend: StorageBackend;
  private readonly state: ServerState;
  private readonly config: ConfigStore;
  private readonly logger: Logger;
  /** Unix time (seconds) of the last successful save (the start time before one). */
  lastSaveTime: number;
  private lastBgsaveOk: boolean;
  private lastBgsaveTry: number;
  private lastBgsaveSeconds: number;
  /** The peak of preserved bytes of the last background save that finished (rdb_last_cow_size). */
  private lastCowSize: number;
  private saves: number;
  private job: SnapshotJob | null;
  private jobSink: ByteSink | null;
  private jobStarted: number;
  private jobDirtyAtStart: number;
  private scheduled: boolean;
  private lastLoad: RdbLoadResult | null;
  private loadingState: { startTime: number; totalBytes: number; loader: RdbLoader | null } | null;
  /**
   * Aux fields every RDB this server writes carries after used-mem (the
   * replication ID and offset), asked for when a save starts; none when null.
   */
  extraAuxSource: (() => ReadonlyArray<readonly [string, string]>) | null;

  constructor(options: RdbPersistenceOptions) {
    this.state = options.state;
    this.config = options.config;
    this.logger = options.logger;
    this.backend = options.backend;
    this.lastSaveTime = Math.floor(Date.now() / 1000);
    this.lastBgsaveOk = true;
    this.lastBgsaveTry = 0;
    this.lastBgsaveSeconds = -1;
    this.lastCowSize = 0;
    this.saves = 0;
    this.job = null;
    this.jobSink = null;
    this.jobStarted = 0;
    this.jobDirtyAtStart = 0;
    this.scheduled = false;
    this.lastLoad = null;
    this.loadingState = null;
    this.extraAuxSource = null;
  }

  /** The aux fields of the file loaded at start-up (empty when none was loaded). */
  get loadedAux(): ReadonlyMap<string, string> {
    return this.lastLoad?.aux ?? new Map();
  }

  private get fileName(): string {
    return this.config.get("dbfilename");
  }

  private get savePoints(): Array<[seconds: number, changes: number]> {
    const words = this.config.get("save").split(" ").filter(Boolean).map(Number);
    const points: Array<[number, number]> = [];
    for (let i = 0; i + 1 < words.length; i += 2) points.push([words[i]!, words[i + 1]!]);
    return points;
  }

  /** CONFIG SET dir (with enable-protected-configs): later files go to the new directory. */
  changeDir(dir: string): void {
    if (this.backend instanceof FileBackend) this.backend = new FileBackend(resolve(dir));
  }

  /** MISCONF: refuse writes while the last background save failed (see stop-writes-on-bgsave-error). */
  updateWriteRefusal(): void {
    this.state.settings.refuseWritesOnDiskError =
      !this.lastBgsaveOk && this.config.get("stop-writes-on-bgsave-error") && this.savePoints.length > 0;
  }

  private writeOptions() {
    return {
      compression: this.config.get("rdbcompression"),
      checksum: this.config.get("rdbchecksum"),
      usedMemory: process.memoryUsage().heapUsed,
      lruIdle: this.config.get("maxmemory-policy").endsWith("-lru"),
      extraAux: this.extraAuxSource?.() ?? [],
      // Read now: the file's point in time for keys and functions alike.
      functionLibraries: functionLibraryCodes(this.state),
    };
  }

  /** Loading a file replaces the function libraries with the file's. */
  private loadOptions() {
    return { restoreFunctions: (codes: readonly Buffer[]) => restoreFunctionLibraries(this.state, codes) };
  }

  // ---------------------------------------------------------------- start-up

  /**
   * Load dbfilename if it exists (appendonly off), a slice per loop turn, with
   * the server answering -LOADING meanwhile. Throws a DataLoadError naming the
   * file, the offset and the reason when the file is damaged: nothing is loaded.
   */
  async loadAtStartup(): Promise<void> {
    if (this.config.get("appendonly")) return;
    const name = this.fileName;
    if (!this.backend.exists(name)) return;
    const started = performance.now();
    const settings = this.state.settings;
    settings.loading = true;
    const source = this.backend.openSource(name);
    this.loadingState = {
      startTime: Math.floor(Date.now() / 1000),
      totalBytes: source.remaining,
      loader: null,
    };
    try {
      // A replica keeps keys past their deadline: its primary's DELs remove them (as in Redis).
      const skipExpired = this.config.get("replicaof") === "";
      const loader = new RdbLoader(source, this.state.keyspace, { ...this.loadOptions(), skipExpired });
      this.loadingState.loader = loader;
      while (!loader.step(LOAD_KEYS_PER_TURN)) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      const result = loader.result;
      this.lastLoad = result;
      this.state.keyspace.dirty = 0;
      this.state.datasetLoaded();
      this.logger.info(
        {
          file: name,
          keysLoaded: result.keysLoaded,
          keysExpired: result.expiredSkipped,
          bytes: result.bytes,
        },
        `Done loading RDB, keys loaded: ${result.keysLoaded}, keys expired: ${result.expiredSkipped}.`,
      );
      this.logger.info(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
    } catch (error) {
      const where = `${this.describe(name)}`;
      if (error instanceof RdbError) {
        throw new DataLoadError(`Bad file format reading ${where}: ${error.message}`);
      }
      throw new DataLoadError(`Error loading ${where}: ${(error as Error).message}`);
    } finally {
      source.close();
      settings.loading = false;
      this.loadingState = null;
    }
  }

  /**
   * A load that runs elsewhere (a replica's full sync) shows in INFO's
   * loading_* fields while `loader` decodes `totalBytes` (LoadProgressTracker).
   */
  loadStarted(loader: RdbLoader, totalBytes: number): void {
    this.loadingState = { startTime: Math.floor(Date.now() / 1000), totalBytes, loader };
  }

  /** That load ended; when it completed, its result is the last load's (rdb_last_load_keys_*). */
  loadEnded(result: RdbLoadResult | null): void {
    this.loadingState = null;
    if (result !== null) this.lastLoad = result;
  }

  private describe(name: string): string {
    return this.backend instanceof FileBackend
      ? this.backend.pathOf(name)
      : `${name} (${this.backend.description})`;
  }

  // ---------------------------------------------------------------- SAVE

  /** Write the whole dataset to a temp file, sync it and rename it over dbfilename. */
  private saveNow(): void {
    const temp = `temp-${process.pid}.rdb`;
    let sink: ByteSink | null = null;
    try {
      sink = this.backend.openSink(temp);
      saveRdb(this.state.keyspace, sink, this.writeOptions());
      sink.sync();
      sink.close();
      sink = null;
      this.backend.rename(temp, this.fileName);
    } catch (error) {
      try {
        sink?.close();
      } catch {
        // the write error is the one to report
      }
      this.backend.remove(temp);
      throw error;
    }
  }

  save(): string | null {
    if (this.job !== null) return "ERR Background save already in progress";
    try {
      this.saveNow();
    } catch (error) {
      this.logger.warn({ err: error }, `Failed saving the DB: ${(error as Error).message}`);
      return "ERR";
    }
    this.state.keyspace.dirty = 0;
    this.lastSaveTime = Math.floor(Date.now() / 1000);
    this.lastBgsaveOk = true;
    this.saves++;
    this.updateWriteRefusal();
    this.logger.info("DB saved on disk");
    return null;
  }

  // ---------------------------------------------------------------- BGSAVE

  bgsave(schedule: boolean, inTransaction: boolean): { status: string } | { error: string } {
    if (this.job !== null) return { error: "ERR Background save already in progress" };
    if (this.state.keyspace.snapshot !== null || inTransaction) {
      if (schedule || inTransaction) {
        this.scheduled = true;
        return { status: "Background saving scheduled" };
      }
      return {
        error:
          "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
      };
    }
    const error = this.startBackgroundSave();
    return error === null ? { status: "Background saving started" } : { error: "ERR" };
  }

  /** Start the snapshot job; null when it runs, or the reason it could not start. */
  private startBackgroundSave(): string | null {
    const temp = `temp-bg-${process.pid}.rdb`;
    // The directory the save started in, even if CONFIG SET dir changes it meanwhile.
    const backend = this.backend;
    const fileName = this.fileName;
    this.lastBgsaveTry = Date.now();
    let sink: ByteSink;
    try {
      sink = backend.openSink(temp);
    } catch (error) {
      this.logger.warn({ err: error }, `Can't save in background: ${(error as Error).message}`);
      this.lastBgsaveOk = false;
      this.updateWriteRefusal();
      return (error as Error).message;
    }
    const job = startSnapshot(this.state.keyspace, sink, {
      ...this.writeOptions(),
      // A request that arrives during a slice waits for the rest of it (I/O is served
      // between slices), and on a busy machine the thread can also lose its core
      // mid-slice: 1 ms slices kept the longest GET round trip of the persistence
      // bench at 4.8-6.2 ms and its p99 at 3 ms (2 ms slices: 6.8-7.2 ms, p99 5 ms).
      sliceMs: 1,
      sliceBytes: 1 << 20,
    });
    this.job = job;
    this.jobSink = sink;
    this.jobStarted = performance.now();
    this.jobDirtyAtStart = this.state.keyspace.dirty;
    this.logger.info("Background saving started");
    const finish = (error: Error | null) => {
      // Stopped while its fsync ran (DEBUG RELOAD, shutdown): killBackgroundSave removed
      // the temp file, and the job state may already belong to a newer save.
      if (this.job !== job) return;
      try {
        if (error !== null) throw error;
        sink.close();
        backend.rename(temp, fileName);
      } catch (failure) {
        job.abort();
        try {
          sink.close();
        } catch {
          // the first error is the one to report
        }
        backend.remove(temp);
        this.job = null;
        this.lastBgsaveOk = false;
        this.lastBgsaveSeconds = Math.round((performance.now() - this.jobStarted) / 1000);
        this.updateWriteRefusal();
        this.logger.warn({ err: failure }, `Background saving error: ${(failure as Error).message}`);
        return;
      }
      this.job = null;
      this.lastCowSize = job.preservedPeak;
      const keyspace = this.state.keyspace;
      keyspace.dirty = Math.max(0, keyspace.dirty - this.jobDirtyAtStart);
      this.lastSaveTime = Math.floor(Date.now() / 1000);
      this.lastBgsaveOk = true;
      this.lastBgsaveSeconds = Math.round((performance.now() - this.jobStarted) / 1000);
      this.saves++;
      this.updateWriteRefusal();
      this.logger.info("Background saving terminated with success");
    };
    const slice = () => {
      if (job.done && this.job !== job) return; // aborted (DEBUG RELOAD, shutdown)
      let complete: boolean;
      try {
        complete = job.step();
      } catch (error) {
        finish(error as Error);
        return;
      }
      if (!complete) {
        setImmediate(nextSlice);
        return;
      }
      if (sink instanceof FileSink) sink.syncInBackground(finish);
      else {
        try {
          sink.sync();
          finish(null);
        } catch (error) {
          finish(error as Error);
        }
      }
    };
    // The next slice waits one more loop turn: requests read in the poll phase after
    // a slice get their replies flushed (the event loop's turn-end immediate) before
    // it runs, so a client waits for at most one slice, not two.
    const nextSlice = () => setImmediate(slice);
    setImmediate(slice);
    return null;
  }

  /** The server is closing: stop a background save (its temp file is removed). */
  stop(): void {
    this.killBackgroundSave();
  }

  /** Stop a running background save, removing its temp file (shutdown, DEBUG RELOAD). */
  private killBackgroundSave(): void {
    const job = this.job;
    if (job === null) return;
    job.abort();
    this.job = null;
    try {
      this.jobSink?.close();
    } catch {
      // the file is removed next
    }
    this.jobSink = null;
    this.backend.remove(`temp-bg-${process.pid}.rdb`);
    this.logger.info("Background saving stopped");
  }

  /**
   * Cron: a scheduled BGSAVE whose obstacle is gone, or a save point reached
   * ("<seconds> <changes>": at least that many changes and that many seconds
   * since the last save; after a failure, not before the retry delay).
   */
  cron(): void {
    if (this.job !== null || this.state.keyspace.snapshot !== null || this.state.settings.loading) return;
    if (this.scheduled) {
      this.scheduled = false;
      this.startBackgroundSave();
      return;
    }
    const dirty = this.state.keyspace.dirty;
    const nowMs = Date.now();
    const now = Math.floor(nowMs / 1000);
    for (const [seconds, changes] of this.savePoints) {
      if (
        dirty >= changes &&
        now - this.lastSaveTime > seconds &&
        (this.lastBgsaveOk || nowMs - this.lastBgsaveTry > BGSAVE_RETRY_DELAY_MS)
      ) {
        this.logger.info(`${changes} changes in ${seconds} seconds. Saving...`);
        this.startBackgroundSave();
        return;
      }
    }
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Before the server stops: save when asked (SHUTDOWN SAVE) or when save points
   * are configured and not refused (SHUTDOWN NOSAVE). Returns null, or why the
   * shutdown must not happen.
   */
  beforeShutdown(save: boolean | null): string | null {
    this.killBackgroundSave();
    const wanted = save === true || (save === null && this.savePoints.length > 0);
    if (!wanted) return null;
    this.logger.info("Saving the final RDB snapshot before exiting.");
    try {
      this.saveNow();
    } catch (error) {
      this.logger.warn({ err: error }, "Error trying to save the DB, can't exit.");
      return `Error trying to save the DB: ${(error as Error).message}`;
    }
    this.logger.info("DB saved on disk");
    return null;
  }

  // ---------------------------------------------------------------- DEBUG RELOAD

  reload(noSave: boolean): string | null {
    this.killBackgroundSave();
    if (!noSave) {
      try {
        this.saveNow();
      } catch (error) {
        this.logger.warn({ err: error }, "DEBUG RELOAD: saving failed");
        return "ERR Error trying to save the DB";
      }
    }
    try {
      const source = this.backend.openSource(this.fileName);
      try {
        const loader = new RdbLoader(source, this.state.keyspace, this.loadOptions());
        while (!loader.step(1 << 30)) {
          // a single step loads the whole file
        }
        this.lastLoad = loader.result;
      } finally {
        source.close();
      }
      this.state.datasetLoaded();
    } catch (error) {
      this.logger.warn({ err: error }, `DEBUG RELOAD: loading failed: ${(error as Error).message}`);
      return "ERR Error trying to load the RDB dump, check server logs.";
    }
    this.logger.warn("DB reloaded by DEBUG RELOAD");
    return null;
  }

  // ---------------------------------------------------------------- DUMP / RESTORE

  dump(value: RedisValue): Buffer {
    return createDumpPayload(value, {
      compression: this.config.get("rdbcompression"),
      limits: this.state.keyspace.limits,
    });
  }

  restore(payload: Buffer, key: string): RedisValue | string {
    if (!verifyDumpPayload(payload)) return "ERR DUMP payload version or checksum are wrong";
    try {
      return decodeDumpPayload(payload, key, this.state.keyspace.limits);
    } catch (error) {
      this.logger.debug({ err: error }, "RESTORE: bad payload");
      return "ERR Bad data format";
    }
  }

  // ---------------------------------------------------------------- INFO

  info(): RdbInfo {
    const job = this.job;
    const loading = this.loadingState;
    return {
      bgsaveInProgress: job !== null,
      lastBgsaveOk: this.lastBgsaveOk,
      lastBgsaveSeconds: this.lastBgsaveSeconds,
      currentBgsaveSeconds: job === null ? -1 : Math.floor((performance.now() - this.jobStarted) / 1000),
      cowSize: job?.preservedBytes ?? 0,
      cowPeak: job?.preservedPeak ?? 0,
      lastCowSize: this.lastCowSize,
      saves: this.saves,
      currentSaveKeysProcessed: job === null ? 0 : job.keysWritten + job.keysPreserved,
      currentSaveKeysTotal: job === null ? 0 : job.keysTotal,
      lastLoadKeysExpired: this.lastLoad?.expiredSkipped ?? 0,
      lastLoadKeysLoaded: this.lastLoad?.keysLoaded ?? 0,
      loading:
        loading === null
          ? null
          : {
              startTime: loading.startTime,
              totalBytes: loading.totalBytes,
              rdbUsedMemory: Number(loading.loader?.result.aux.get("used-mem") ?? 0),
              loadedBytes: loading.loader?.position ?? 0,
              etaSeconds: this.loadingEta(loading),
            },
    };
  }

  private loadingEta(loading: { startTime: number; totalBytes: number; loader: RdbLoader | null }): number {
    const loaded = loading.loader?.position ?? 0;
    const elapsed = Date.now() / 1000 - loading.startTime;
    if (loaded === 0 || elapsed <= 0) return 1;
    return Math.round(((loading.totalBytes - loaded) / loaded) * elapsed);
  }
}
