/*
 * INFO persistence, assembled in redis-server 7.0's field order from the parts
 * that own the figures: the loading lines and the AOF blocks (AofService), and
 * the RDB block, passed in by whoever runs RDB snapshots. Until RDB snapshots
 * exist, rdbStandInLines() renders that block from what is true without them
 * (no save has run, nothing forks).
 */

import type { ServerState } from "@spinel/commands";
import type { AofService } from "./aof-service.js";

/**
 * The whole persistence section ("field:value\r\n" lines): loading, the RDB
 * block (`rdbLines`), the AOF block, the module-fork lines, then the AOF sizes
 * and the loading progress when they apply.
 */
export function persistenceInfoSection(aof: AofService, rdbLines: string): string {
  return (
    aof.loadingInfoLines() +
    rdbLines +
    aof.aofInfoLines() +
    "module_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n" +
    aof.tailInfoLines()
  );
}

/**
 * The RDB block while Spinel writes no RDB: no fork (copy-on-write figures 0),
 * no save ever ran (rdb_saves:0, last save time = start), the changes since
 * start, nothing loaded from an RDB.
 */
export function rdbStandInLines(state: ServerState, lastSaveTime: number): string {
  return (
    "current_cow_peak:0\r\ncurrent_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\n" +
    "current_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\n" +
    `rdb_changes_since_last_save:${state.keyspace.dirty}\r\n` +
    "rdb_bgsave_in_progress:0\r\n" +
    `rdb_last_save_time:${lastSaveTime}\r\n` +
    "rdb_last_bgsave_status:ok\r\nrdb_last_bgsave_time_sec:-1\r\nrdb_current_bgsave_time_sec:-1\r\n" +
    "rdb_saves:0\r\nrdb_last_cow_size:0\r\nrdb_last_load_keys_expired:0\r\nrdb_last_load_keys_loaded:0\r\n"
  );
}
