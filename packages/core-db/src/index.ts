/**
 * @spinel/core-db: typed in-memory objects, the keyspace, expiry and the hooks
 * through which the server learns about changes.
 */
export { ActiveExpireState, activeExpireCycle, type ExpireCycleResult } from "./active-expire.js";
export { globMatch } from "./glob.js";
export {
  type Clock,
  Database,
  EventClass,
  ExpiryMode,
  KeyEntry,
  Keyspace,
  type KeyspaceHooks,
  type KeyspaceOptions,
  systemClock,
} from "./keyspace.js";
export { EncodingLimits } from "./limits.js";
export * from "./types/hash.js";
export * from "./types/list.js";
export * from "./types/set.js";
export * from "./types/stream.js";
export * from "./types/string.js";
export * from "./types/zset.js";
export type { RedisValue, ValueType } from "./value.js";
