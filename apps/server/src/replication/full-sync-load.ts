/*
 * A replica's load of its primary's RDB after a full resynchronisation, in
 * slices across event-loop turns: each slice decodes keys for at most
 * SLICE_BUDGET_MS, then the loop serves its clients (with -LOADING, as
 * redis-server 7.0 answers while it loads the RDB of a sync, whatever
 * replica-serve-stale-data says) and timers (the link's keep-alive newlines)
 * before the next slice. The dataset is replaced only once the whole RDB
 * checked out; a load that fails or is abandoned changes nothing.
 */

import type { ServerState } from "@spinel/commands";
import { MemorySource, RdbLoader, type RdbLoadResult } from "@spinel/persistence";

/** Longest a slice decodes before the loop turns (the latency clients see while loading). */
const SLICE_BUDGET_MS = 5;
/** Keys decoded between two looks at the clock. */
const KEYS_PER_CLOCK_CHECK = 64;

/** Where a load's progress is shown (INFO persistence's loading_* and rdb_last_load_* fields). */
export interface LoadProgressTracker {
  loadStarted(loader: RdbLoader, totalBytes: number): void;
  /** The load ended: with its result when it completed, null when it failed or was abandoned. */
  loadEnded(result: RdbLoadResult | null): void;
}

/** What a FullSyncLoad needs. */
export interface FullSyncLoadOptions {
  rdb: Buffer;
  state: ServerState;
  progress: LoadProgressTracker;
  /** Replace the function libraries with the RDB's (see RdbLoadOptions.restoreFunctions). */
  restoreFunctions: (codes: readonly Buffer[]) => string | null;
  /** Called once, unless abort() came first: null when the dataset was replaced, else why not. */
  finished: (failure: Error | null) => void;
}

/** One sliced load of a full sync's RDB; see the file comment. */
export class FullSyncLoad {
  private readonly options: FullSyncLoadOptions;
  private loader: RdbLoader | null;
  private immediate: NodeJS.Immediate | null;
  private over: boolean;

  constructor(options: FullSyncLoadOptions) {
    this.options = options;
    this.loader = null;
    this.immediate = null;
    this.over = false;
  }

  /**
   * Start: the server enters the loading state (commands without the loading
   * flag get -LOADING) and the first slice runs now; the next ones run on later
   * loop turns. finished() is called once the load is over.
   */
  start(): void {
    const { rdb, state } = this.options;
    state.settings.loading = true;
    try {
      // A replica keeps keys past their deadline: its primary's DELs remove them.
      this.loader = new RdbLoader(new MemorySource(rdb), state.keyspace, {
        skipExpired: false,
        restoreFunctions: this.options.restoreFunctions,
      });
    } catch (error) {
      this.end(error as Error);
      return;
    }
    this.options.progress.loadStarted(this.loader, rdb.length);
    this.slice();
  }

  /** Abandon the load (the link to the primary went down): the dataset stays as it was. */
  abort(): void {
    if (this.over) return;
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.immediate = null;
    this.over = true;
    this.options.state.settings.loading = false;
    this.options.progress.loadEnded(null);
  }

  private readonly slice = (): void => {
    this.immediate = null;
    if (this.over) return;
    const loader = this.loader!;
    const deadline = performance.now() + SLICE_BUDGET_MS;
    try {
      while (!loader.step(KEYS_PER_CLOCK_CHECK)) {
        if (performance.now() >= deadline) {
          this.immediate = setImmediate(this.slice);
          return;
        }
      }
    } catch (error) {
      this.end(error as Error);
      return;
    }
    this.end(null);
  };

  private end(failure: Error | null): void {
    this.over = true;
    const { state, progress } = this.options;
    state.settings.loading = false;
    if (failure === null) state.datasetLoaded();
    progress.loadEnded(failure === null ? this.loader!.result : null);
    this.options.finished(failure);
  }
}
