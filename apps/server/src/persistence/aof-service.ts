/*
 * The append-only file in the running server: the glue between the
 * configuration (appendonly, appendfsync, appenddirname, appendfilename,
 * aof-load-truncated, auto-aof-rewrite-*), the propagation stream, the event
 * loop and @spinel/persistence's AppendOnlyFile.
 *
 *   start-up    appendonly yes: load the AOF through a LoadingClient, in slices
 *               across loop turns (clients get -LOADING meanwhile), then append
 *               to it; without an AOF, create one (base + incremental file).
 *   each turn   flush the buffer before replies are written (beforeSleep), so
 *               with appendfsync always a reply never precedes its fsync.
 *   cron        retry failed writes, run the everysec fsync, start an automatic
 *               rewrite when the AOF grew by auto-aof-rewrite-percentage.
 *   CONFIG SET  appendonly yes writes a base from the current dataset and
 *               starts appending; no closes the AOF; appendfsync applies at once.
 *   BGREWRITEAOF  starts a rewrite at once (scheduled while a BGSAVE holds the
 *               snapshot or inside MULTI/EXEC, started by the cron later).
 *
 * The rewrite has no fork: the AOF writer switches to a new incremental file at
 * its start, and the new base (an RDB file with aof-use-rdb-preamble yes) is a
 * point-in-time snapshot (the same job BGSAVE runs) written a slice per loop
 * turn while clients are served; then the manifest switches atomically. An
 * AOF-format base (aof-use-rdb-preamble no) is written in one go at the start.
 */

import {
  functionLibraryCodes,
  LoadingClient,
  restoreFunctionLibraries,
  type ServerState,
} from "@spinel/commands";
import {
  AofLoader,
  AofManifestError,
  type AppendFsync,
  AppendOnlyFile,
  type AppendOnlyFileOptions,
  FileBackend,
  rdbPreambleLoader,
  readManifest,
  removeAofTempFiles,
  type StorageBackend,
} from "@spinel/persistence";
import type { Logger } from "pino";
import type { ConfigStore } from "../config/config-store.js";
import { upgradeOldStyleAof } from "./aof-upgrade.js";

/** Commands replayed per loading step before the step checks its time budget. */
const LOAD_STEP_COMMANDS = 1000;
/** Milliseconds of loading per loop turn, so LOADING replies and INFO still get through. */
const LOAD_TURN_MS = 20;
/** After a failed automatic rewrite, wait this long before trying again (ms). */
const REWRITE_RETRY_MS = 5000;

/** What the AOF needs from the server. */
export interface AofServiceDeps {
  readonly state: ServerState;
  readonly config: ConfigStore;
  readonly logger: Logger;
  /** Stop the process: the AOF cannot keep its promise (appendfsync always and a failed write). */
  readonly fatal: (message: string) => void;
  /**
   * The server's storage backend as it is now (it follows CONFIG SET dir): the
   * AOF lives in its subdirectory appenddirname.
   */
  readonly backend: () => StorageBackend;
}

/** The loading figures INFO shows while an AOF loads. */
interface LoadingProgress {
  readonly startedAt: number;
  readonly loader: AofLoader;
}

/** The append-only file of one server. */
export class AofService {
  /** The AOF being appended to, or null when appendonly is off. */
  aof: AppendOnlyFile | null;
  /** A rewrite was asked for and runs on the next loop turn (aof_rewrite_scheduled). */
  rewriteScheduled: boolean;
  /** A rewrite is running (aof_rewrite_in_progress). */
  rewriteInProgress: boolean;
  /** When the running rewrite started (ms since the epoch). */
  private rewriteStartedAt: number;
  /** Rewrites that failed in a row (aof_rewrites_consecutive_failures). */
  consecutiveFailures: number;
  private readonly deps: AofServiceDeps;
  private loading: LoadingProgress | null;
  /** Outcome and duration of the last rewrite, kept across AppendOnlyFile instances. */
  private lastRewriteStatus: "ok" | "err";
  private lastRewriteMs: number;
  private rewrites: number;
  private lastFailureAt: number;

  constructor(deps: AofServiceDeps) {
    this.deps = deps;
    this.aof = null;
    this.rewriteScheduled = false;
    this.rewriteInProgress = false;
    this.rewriteStartedAt = 0;
    this.consecutiveFailures = 0;
    this.loading = null;
    this.lastRewriteStatus = "ok";
    this.lastRewriteMs = -1;
    this.rewrites = 0;
    this.lastFailureAt = 0;
    const service = this;
    deps.state.aofControl = {
      rewriteInBackground: () => service.rewriteCommand(),
      get bufferedBytes() {
        return service.aof?.pendingBytes ?? 0;
      },
    };
  }

  // ------------------------------------------------------------------ configuration

  private storage(): StorageBackend {
    return this.deps.backend().subdirectory(this.deps.config.get("appenddirname"));
  }

  private options(storage: StorageBackend): AppendOnlyFileOptions {
    const logger = this.deps.logger;
    return {
      storage,
      prefix: this.deps.config.get("appendfilename"),
      fsync: this.deps.config.get("appendfsync") as AppendFsync,
      rdbPreamble: this.deps.config.get("aof-use-rdb-preamble"),
      rdbOptions: this.rdbOptions(),
      functionLibraries: () => functionLibraryCodes(this.deps.state),
      log: {
        info: (message) => logger.info(message),
        warn: (message) => logger.warn(message),
        error: (message) => logger.error(message),
      },
      onFatal: (message) => this.deps.fatal(message),
    };
  }

  /** The RDB settings of an RDB base, as the configuration says now. */
  private rdbOptions() {
    const config = this.deps.config;
    return {
      compression: config.get("rdbcompression"),
      checksum: config.get("rdbchecksum"),
      limits: this.deps.state.keyspace.limits,
      lruIdle: config.get("maxmemory-policy").endsWith("-lru"),
    };
  }

  /** aof-use-rdb-preamble and the RDB settings apply from the next rewrite on. */
  private refreshRewriteSettings(aof: AppendOnlyFile): void {
    aof.useRdbPreamble = this.deps.config.get("aof-use-rdb-preamble");
    aof.rdbOptions = this.rdbOptions();
  }

  /** appendfsync changed. */
  setFsync(policy: AppendFsync): void {
    if (this.aof !== null) this.aof.fsync = policy;
  }

  // ------------------------------------------------------------------ start-up

  /**
   * Start-up with appendonly yes: load the AOF (resolves when loaded; rejects
   * with AofManifestError / AofLoadError naming the file, offset and reason),
   * or create one when there is none. Does nothing with appendonly no.
   */
  async startup(): Promise<void> {
    if (!this.deps.config.get("appendonly")) return;
    const { state, logger } = this.deps;
    const storage = this.storage();
    if (
      storage instanceof FileBackend &&
      upgradeOldStyleAof(this.deps.config.get("dir"), storage, this.deps.config.get("appendfilename"))
    ) {
      logger.info({ dir: storage.location }, "Successfully migrated an old-style AOF into the AOF directory");
    }
    const client = new LoadingClient(state);
    const options = this.options(storage);
    // A kill in the middle of a rewrite leaves its temp files behind: nothing reads them.
    const leftovers = removeAofTempFiles(storage, options.prefix);
    if (leftovers.length > 0)
      logger.info({ dir: storage.location, files: leftovers }, "Removed temporary AOF files");
    const loader = AofLoader.open(storage, options.prefix, client, {
      loadTruncated: this.deps.config.get("aof-load-truncated"),
      warn: (message) => logger.warn(message),
      loadRdbPreamble: rdbPreambleLoader(state.keyspace, {
        restoreFunctions: (codes) => restoreFunctionLibraries(state, codes),
      }),
    });
    if (loader === null) {
      this.aof = AppendOnlyFile.create(options, state.keyspace, null);
      this.attach();
      logger.info(
        { dir: storage.location, files: this.aof.currentManifest },
        "Creating AOF base and incremental files on server start",
      );
      return;
    }
    const started = performance.now();
    this.loading = { startedAt: Date.now(), loader };
    state.settings.loading = true;
    client.begin();
    try {
      await new Promise<void>((resolveLoad, rejectLoad) => {
        const step = () => {
          try {
            const turnStart = performance.now();
            while (!loader.step(LOAD_STEP_COMMANDS)) {
              if (performance.now() - turnStart >= LOAD_TURN_MS) {
                setImmediate(step);
                return;
              }
            }
            resolveLoad();
          } catch (error) {
            rejectLoad(error);
          }
        };
        step();
      });
    } finally {
      client.end();
      state.settings.loading = false;
      this.loading = null;
    }
    state.datasetLoaded();
    const result = loader.result;
    logger.info(
      {
        files: result.files.map((file) => ({
          file: file.file,
          commands: file.commands,
          truncated: file.truncated,
        })),
        commands: result.commands,
        keys: state.keyspace.totalKeys,
        seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
      },
      "DB loaded from append only file",
    );
    this.aof = AppendOnlyFile.resume(options, result.manifest);
    this.attach();
  }

  /** Follow the propagation stream from now on. */
  private attach(): void {
    const aof = this.aof;
    if (aof === null) return;
    aof.selectedDb = -1;
    this.deps.state.stream.addConsumer(aof);
  }

  // ------------------------------------------------------------------ CONFIG SET appendonly

  /**
   * appendonly changed at runtime. yes: write a base from the current dataset
   * (replacing any older AOF under the same name) and start appending; no:
   * flush, fsync and close the AOF.
   */
  setEnabled(enabled: boolean): void {
    const { state, logger } = this.deps;
    if (enabled && this.aof === null) {
      const storage = this.storage();
      const options = this.options(storage);
      let previous = null;
      try {
        previous = readManifest(storage, options.prefix);
      } catch (error) {
        if (!(error instanceof AofManifestError)) throw error;
        logger.warn({ err: error }, "Replacing an AOF whose manifest cannot be read");
      }
      const started = performance.now();
      try {
        this.aof = AppendOnlyFile.create(options, state.keyspace, previous);
      } catch (error) {
        logger.error({ err: error }, "Failed to start the AOF");
        this.lastRewriteStatus = "err";
        this.consecutiveFailures++;
        return;
      }
      this.recordRewrite(true, performance.now() - started);
      // Inside EXEC, the writes queued before this command are in the base already.
      if (state.callDepth > 0) this.aof.skipNextCommands(state.pendingPropagation.length);
      this.attach();
      logger.info("AOF enabled: base written from the current dataset");
    } else if (!enabled && this.aof !== null) {
      const aof = this.aof;
      state.stream.removeConsumer(aof);
      aof.close();
      this.aof = null;
      this.rewriteInProgress = false;
      state.settings.persistenceError = null;
      logger.info("AOF disabled");
    }
  }

  // ------------------------------------------------------------------ rewrite

  /**
   * BGREWRITEAOF's reply text, as redis-server 7.0 words it: an error while a
   * rewrite runs; "scheduled" while a BGSAVE holds the snapshot or inside
   * MULTI/EXEC (the cron starts it when the way is clear); else the rewrite
   * starts now and runs in slices across loop turns.
   */
  private rewriteCommand(): string {
    if (this.rewriteInProgress) return "ERR Background append only file rewriting already in progress";
    const state = this.deps.state;
    if (state.keyspace.snapshot !== null || state.callDepth > 1) {
      this.rewriteScheduled = true;
      this.consecutiveFailures = 0;
      return "Background append only file rewriting scheduled";
    }
    if (!this.startRewrite()) {
      return "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.";
    }
    return "Background append only file rewriting started";
  }

  /**
   * Start a rewrite now. With appendonly yes: AppendOnlyFile.startRewrite in
   * background mode (the writer switches to a new incremental file at once, the
   * base is a point-in-time snapshot written a slice per loop turn). With
   * appendonly off (BGREWRITEAOF anyway): the files are written at once and
   * closed, as a one-off. Returns false when the rewrite could not start.
   */
  private startRewrite(): boolean {
    const { state, logger } = this.deps;
    const aof = this.aof;
    const started = performance.now();
    if (aof === null) {
      let ok = true;
      try {
        const storage = this.storage();
        const options = this.options(storage);
        let previous = null;
        try {
          previous = readManifest(storage, options.prefix);
        } catch {
          previous = null;
        }
        AppendOnlyFile.create(options, state.keyspace, previous).close();
      } catch (error) {
        logger.warn({ err: error }, "Background AOF rewrite failed");
        ok = false;
      }
      this.recordRewrite(ok, performance.now() - started);
      if (ok) logger.info("Background AOF rewrite finished successfully");
      return ok;
    }
    this.refreshRewriteSettings(aof);
    let ok: boolean;
    try {
      ok = aof.startRewrite(state.keyspace, true);
    } catch (error) {
      logger.warn({ err: error }, "Background AOF rewrite failed");
      ok = false;
    }
    if (!ok) {
      if (aof.rewriteError !== null)
        logger.warn({ reason: aof.rewriteError }, "Background AOF rewrite failed");
      this.recordRewrite(false, performance.now() - started);
      return false;
    }
    this.rewriteInProgress = true;
    this.rewriteStartedAt = Date.now();
    logger.info("Background append only file rewriting started");
    const slice = () => {
      // Stopped meanwhile (appendonly no, shutdown): nothing more to do.
      if (this.aof !== aof || !aof.rewriteInProgress) {
        this.rewriteInProgress = false;
        return;
      }
      let done: boolean;
      let thrown = false;
      try {
        done = aof.stepRewrite();
      } catch (error) {
        aof.abortRewrite();
        logger.warn({ err: error }, "Background AOF rewrite failed");
        done = true;
        thrown = true;
      }
      if (!done) {
        setImmediate(slice);
        return;
      }
      this.rewriteInProgress = false;
      const succeeded = !thrown && aof.lastRewriteStatus === "ok";
      this.recordRewrite(succeeded, performance.now() - started);
      if (succeeded) logger.info("Background AOF rewrite finished successfully");
      else logger.warn({ reason: aof.rewriteError }, "Background AOF rewrite failed");
    };
    setImmediate(slice);
    return true;
  }

  private recordRewrite(ok: boolean, ms: number): void {
    this.lastRewriteStatus = ok ? "ok" : "err";
    if (ok) {
      this.rewrites++;
      this.consecutiveFailures = 0;
      this.lastRewriteMs = ms;
    } else {
      this.consecutiveFailures++;
      this.lastFailureAt = Date.now();
    }
  }

  // ------------------------------------------------------------------ every turn, every tick

  /**
   * End of a loop turn, before replies are written: write the buffer (and fsync
   * with appendfsync always), and refuse writes with MISCONF while the AOF
   * cannot be written.
   */
  beforeSleep(): void {
    const aof = this.aof;
    if (aof === null) return;
    aof.flush();
    this.deps.state.settings.persistenceError =
      aof.lastWriteStatus === "err" ? `MISCONF Errors writing to the AOF file: ${aof.writeError}` : null;
  }

  /** Cron tick: retries, the everysec fsync, and the automatic rewrite. */
  cron(): void {
    const aof = this.aof;
    const blocked =
      this.rewriteInProgress ||
      this.deps.state.keyspace.snapshot !== null ||
      this.deps.state.settings.loading;
    if (this.rewriteScheduled && !blocked) {
      // BGREWRITEAOF that waited for a BGSAVE or the end of a transaction.
      this.rewriteScheduled = false;
      this.startRewrite();
    }
    if (aof === null) return;
    this.beforeSleep();
    if (blocked || this.rewriteInProgress) return;
    if (this.consecutiveFailures > 0 && Date.now() - this.lastFailureAt < REWRITE_RETRY_MS) return;
    const config = this.deps.config;
    if (
      aof.shouldAutoRewrite(
        config.get("auto-aof-rewrite-percentage"),
        config.get("auto-aof-rewrite-min-size"),
      )
    ) {
      this.deps.logger.info(
        { size: aof.currentSize, base: aof.rewriteBaseSize },
        "Starting automatic rewriting of AOF",
      );
      this.startRewrite();
    }
  }

  /** Shutdown: flush, fsync and close the AOF. */
  close(): void {
    const aof = this.aof;
    if (aof === null) return;
    this.deps.state.stream.removeConsumer(aof);
    aof.close();
    this.aof = null;
    this.rewriteInProgress = false;
  }

  // ------------------------------------------------------------------ INFO

  /** INFO persistence's first lines: loading, async_loading. */
  loadingInfoLines(): string {
    return `loading:${this.deps.state.settings.loading ? 1 : 0}\r\nasync_loading:0\r\n`;
  }

  /**
   * INFO persistence's AOF block, aof_enabled .. aof_last_cow_size, in Redis'
   * order. Rewrites fork nothing here, so the copy-on-write size is 0, and no
   * rewrite runs over several loop turns: aof_rewrite_in_progress is 1 and
   * aof_current_rewrite_time_sec counts meanwhile.
   */
  aofInfoLines(): string {
    const aof = this.aof;
    return renderFields([
      ["aof_enabled", aof !== null ? 1 : 0],
      ["aof_rewrite_in_progress", this.rewriteInProgress ? 1 : 0],
      ["aof_rewrite_scheduled", this.rewriteScheduled ? 1 : 0],
      ["aof_last_rewrite_time_sec", this.lastRewriteMs < 0 ? -1 : Math.round(this.lastRewriteMs / 1000)],
      [
        "aof_current_rewrite_time_sec",
        this.rewriteInProgress ? Math.floor((Date.now() - this.rewriteStartedAt) / 1000) : -1,
      ],
      ["aof_last_bgrewrite_status", this.lastRewriteStatus],
      ["aof_rewrites", this.rewrites],
      ["aof_rewrites_consecutive_failures", this.consecutiveFailures],
      ["aof_last_write_status", aof?.lastWriteStatus ?? "ok"],
      ["aof_last_cow_size", 0],
    ]);
  }

  /**
   * INFO persistence's last lines, shown as Redis shows them: the AOF figures
   * when the AOF is on (aof_current_size ...), then the loading progress while a
   * load runs (loading_start_time ...).
   */
  tailInfoLines(): string {
    const fields: Array<[string, string | number]> = [];
    const aof = this.aof;
    if (aof !== null) {
      fields.push(["aof_current_size", aof.currentSize]);
      fields.push(["aof_base_size", aof.rewriteBaseSize]);
      fields.push(["aof_pending_rewrite", this.rewriteScheduled ? 1 : 0]);
      fields.push(["aof_buffer_length", aof.pendingBytes]);
      fields.push(["aof_pending_bio_fsync", aof.backgroundFsyncPending ? 1 : 0]);
      fields.push(["aof_delayed_fsync", aof.delayedFsyncs]);
    }
    const loading = this.loading;
    if (loading !== null) {
      const total = loading.loader.totalBytes;
      const loaded = loading.loader.loadedBytes;
      const elapsed = (Date.now() - loading.startedAt) / 1000;
      const perc = total > 0 ? (loaded * 100) / total : 0;
      const eta = loaded > 0 && elapsed > 0 ? Math.round((total - loaded) / (loaded / elapsed)) : 1;
      fields.push(["loading_start_time", Math.floor(loading.startedAt / 1000)]);
      fields.push(["loading_total_bytes", total]);
      fields.push(["loading_loaded_bytes", loaded]);
      fields.push(["loading_loaded_perc", perc.toFixed(2)]);
      fields.push(["loading_eta_seconds", eta]);
    }
    return renderFields(fields);
  }
}

/** "name:value\r\n" lines. */
function renderFields(fields: ReadonlyArray<[string, string | number]>): string {
  let text = "";
  for (const [name, value] of fields) text += `${name}:${value}\r\n`;
  return text;
}
