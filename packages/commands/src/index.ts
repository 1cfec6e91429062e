/**
 * @spinel/commands: command specs, the command table, the gate (processCommand)
 * and the one execution wrapper (call), plus the command implementations.
 */
import type { CommandSpec } from "./command-spec.js";
import { aofCommands } from "./commands/aof.js";
import { bitmapCommands } from "./commands/bitmap.js";
import { connectionCommands } from "./commands/connection.js";
import { dumpRestoreCommands } from "./commands/dump-restore.js";
import { expireCommands } from "./commands/expire.js";
import { geoCommands } from "./commands/geo.js";
import { hashCommands } from "./commands/hash.js";
import { hyperloglogCommands } from "./commands/hyperloglog.js";
import { keyspaceCommands } from "./commands/keyspace.js";
import { latencyCommand } from "./commands/latency.js";
import { listCommands } from "./commands/list.js";
import { lolwutCommands } from "./commands/lolwut.js";
import { moduleCommands } from "./commands/module.js";
import { monitorCommands } from "./commands/monitor.js";
import { persistenceCommands } from "./commands/persistence.js";
import { pubsubCommands } from "./commands/pubsub.js";
import { replicationCommands } from "./commands/replication.js";
import { scriptingCommands } from "./commands/scripting.js";
import { serverCommands } from "./commands/server.js";
import { setCommands } from "./commands/set.js";
import { sortCommands } from "./commands/sort.js";
import { streamCommands } from "./commands/stream.js";
import { stringCommands } from "./commands/string.js";
import { transactionCommands } from "./commands/transaction.js";
import { zsetCommands } from "./commands/zset.js";

export {
  argIs,
  argString,
  getDoubleOrReply,
  getLongOrReply,
  parseDouble,
  parseInt64,
  parseLong,
} from "./args.js";
export {
  BlockedClient,
  type BlockingFamily,
  BlockingRegistry,
  getBlockingTimeoutOrReply,
  propagateServed,
  ServeOutcome,
} from "./blocking.js";
export { ClientPause, PauseMode } from "./client-pause.js";
export { ClientFlag, ClientSession, type ConnectionHandle, type QueuedCommand } from "./client-session.js";
export type {
  AclCategory,
  CommandFlag,
  CommandGroup,
  CommandHandler,
  CommandSpec,
  KeyPositions,
} from "./command-spec.js";
export { Command, CommandStats, CommandTable } from "./command-table.js";
export { REDIS_VERSION, rdbInfoLines, rdbLoadingInfoLines } from "./commands/info.js";
export {
  beginRequestBatch,
  call,
  endRequestBatch,
  flushPropagation,
  processCommand,
  sessionClosed,
} from "./dispatch.js";
export { Err, type ErrorCode, unknownCommand, unknownSubcommand, wrongArity } from "./errors.js";
export { LATENCY_HISTORY_LENGTH, LatencyEvent, LatencyMonitor } from "./latency.js";
export { LatencyHistogram } from "./latency-histogram.js";
export { LoadingClient } from "./loading.js";
export {
  formatNotifyKeyspaceEvents,
  INVALID_NOTIFY_FLAGS,
  parseNotifyKeyspaceEvents,
} from "./notifications.js";
export {
  expiryPropagationListener,
  PropagationStream,
  propagateOutsideCall,
  type StreamConsumer,
  selectCommand,
} from "./propagation.js";
export {
  FunctionRegistry,
  functionLibraryCodes,
  functionRegistryOf,
  restoreFunctionLibraries,
} from "./scripting/functions.js";
export { closeScriptEngine, scriptEngineOf } from "./scripting/script-engine.js";
export {
  type AofControl,
  type BusyScript,
  type ConfigStore,
  type FailoverRequest,
  type KeyspaceListener,
  type Logger,
  type PersistenceControl,
  type ProcessInfo,
  type Propagator,
  type RdbInfo,
  type ReplicationControl,
  type ReplicationRole,
  type ReplicationStats,
  RuntimeSettings,
  type ServerControl,
  ServerState,
  type ServerStateOptions,
  ServerStats,
} from "./server-state.js";

/** Every command Spinel implements, in registration order. */
export const allCommandSpecs: readonly CommandSpec[] = [
  ...connectionCommands,
  ...stringCommands,
  ...keyspaceCommands,
  ...expireCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
  ...bitmapCommands,
  ...hyperloglogCommands,
  ...geoCommands,
  ...sortCommands,
  ...persistenceCommands,
  ...replicationCommands,
  ...dumpRestoreCommands,
  ...transactionCommands,
  ...serverCommands,
  ...pubsubCommands,
  ...monitorCommands,
  latencyCommand,
  ...lolwutCommands,
  ...moduleCommands,
  ...streamCommands,
  ...aofCommands,
  ...scriptingCommands,
];
