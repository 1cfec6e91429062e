/**
 * @spinel/eventloop: listening sockets, client connections with their query and
 * output buffers, once-per-turn flushing, before-sleep hooks, the cron and limits.
 */
export {
  Connection,
  type ConnectionDelegate,
  formatAddress,
  type OutputBufferLimit,
  type OutputLimitClass,
} from "./connection.js";
export {
  DEFAULT_OUTPUT_LIMITS,
  EventLoop,
  type EventLoopOptions,
  type ListeningAddress,
  type LoopLogger,
  LoopStats,
} from "./event-loop.js";
