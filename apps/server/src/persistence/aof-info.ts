/*
 * INFO persistence, assembled in redis-server 7.0's field order from the parts
 * that own the figures: the loading lines and the AOF blocks (AofService), and
 * the RDB block and RDB loading progress (@spinel/commands' renderers over the
 * server's PersistenceControl).
 */

import { rdbInfoLines, rdbLoadingInfoLines, type ServerState } from "@spinel/commands";
import type { AofService } from "./aof-service.js";

/**
 * The whole persistence section ("field:value\r\n" lines): loading, the RDB
 * block, the AOF block, the module-fork lines, then the AOF sizes and the
 * loading progress (of the AOF or of the RDB file) when they apply.
 */
export function persistenceInfoSection(aof: AofService, state: ServerState): string {
  return (
    aof.loadingInfoLines() +
    rdbInfoLines(state) +
    aof.aofInfoLines() +
    "module_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n" +
    aof.tailInfoLines() +
    rdbLoadingInfoLines(state)
  );
}
