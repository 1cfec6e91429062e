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
export { RedisHash } from "./types/hash.js";
export { RedisList } from "./types/list.js";
export { RedisSet } from "./types/set.js";
export { parseCanonicalInteger, RedisString, type StringEncodingName } from "./types/string.js";
export { RedisZSet } from "./types/zset.js";
export type { RedisValue, ValueType } from "./value.js";
