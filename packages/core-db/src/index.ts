/**
 * @spinel/core-db: typed in-memory objects, the keyspace, expiry and the hooks
 * through which the server learns about changes.
 */
export { ActiveExpireState, activeExpireCycle, type ExpireCycleResult } from "./active-expire.js";
export { Crc64, crc64 } from "./codecs/crc64.js";
export {
  lzfCompress,
  lzfCompressAt,
  lzfCompressInto,
  lzfDecompress,
  lzfDecompressInto,
} from "./codecs/lzf.js";
export { decimalLength, writeDecimal } from "./decimal.js";
export {
  type EvictionOptions,
  EvictionPolicy,
  EvictionResult,
  EvictionState,
  evictionPolicyByName,
  evictionTimeLimitMs,
  isLfuPolicy,
  performEvictions,
} from "./eviction.js";
export { globMatch } from "./glob.js";
export { hashKey, KEY_SLOT_BYTES, KeyTable, type StoredValue, VOLATILE_COLUMN_BYTES } from "./key-table.js";
export {
  type Clock,
  Database,
  EventClass,
  ExpiryMode,
  estimateIdleTime,
  KeyEntry,
  Keyspace,
  type KeyspaceHooks,
  type KeyspaceOptions,
  LFU_INIT_VAL,
  LRU_CLOCK_MAX,
  lfuDecayedCounter,
  lfuLogIncrement,
  lfuMinutes,
  lruClock,
  systemClock,
} from "./keyspace.js";
export { latin1Of, latin1String } from "./latin1.js";
export { EncodingLimits } from "./limits.js";
export { nextSnapshotEpoch, type SnapshotObserver } from "./snapshot.js";
export * from "./types/hash.js";
export * from "./types/list.js";
export * from "./types/set.js";
export * from "./types/stream.js";
export * from "./types/string.js";
export * from "./types/zset.js";
export type { RedisValue, ValueType } from "./value.js";
