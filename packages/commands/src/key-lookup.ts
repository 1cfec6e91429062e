/*
 * Lookups Redis performs with LOOKUP_NOTOUCH: commands that inspect a key
 * (TTL, TYPE, EXISTS, OBJECT) count a keyspace hit or miss, and a miss raises
 * the "keymiss" event, but the key's access time is left alone, so asking
 * about a key does not make it look recently used.
 */

import { type Database, EventClass, type RedisValue } from "@spinel/core-db";

/**
 * The live value of `key` (lazy expiry applies), counting a hit or a miss like
 * Database.lookupRead(), but without refreshing the access time. With
 * `notifyMiss` false the "keymiss" event is not raised (OBJECT's lookup).
 */
export function lookupReadNoTouch(db: Database, key: string, notifyMiss = true): RedisValue | undefined {
  const entry = db.peekEntry(key);
  const keyspace = db.keyspace;
  if (entry === undefined) {
    keyspace.misses++;
    if (notifyMiss) db.notify(key, "keymiss", EventClass.KeyMiss);
    return undefined;
  }
  keyspace.hits++;
  return entry.value;
}
