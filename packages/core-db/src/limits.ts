/*
 * Thresholds of the compact encodings, as redis.conf names them. One mutable
 * instance lives on the Keyspace; CONFIG SET changes it in place and every type
 * reads it when deciding whether to convert (conversion is one-way, as in Redis:
 * raising a limit never turns a hashtable back into a listpack).
 */

/** Encoding thresholds (Redis 7 defaults). */
export class EncodingLimits {
  hashMaxListpackEntries = 128;
  hashMaxListpackValue = 64;
  /** Positive: max entries per list node; negative -1..-5: max node size 4..64 KB. */
  listMaxListpackSize = -2;
  listCompressDepth = 0;
  setMaxIntsetEntries = 512;
  setMaxListpackEntries = 128;
  setMaxListpackValue = 64;
  zsetMaxListpackEntries = 128;
  zsetMaxListpackValue = 64;
  /** Listpack bytes at which a stream starts a new node (0: no limit but 1 GB). */
  streamNodeMaxBytes = 4096;
  /** Entries (deleted ones included) at which a stream starts a new node (0: no limit). */
  streamNodeMaxEntries = 100;
}
