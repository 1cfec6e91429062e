/*
 * What the sorted set command files share: key lookups that reply WRONGTYPE, the
 * write epilogue of removals (with the emptied key's deletion), and the RESP2 /
 * RESP3 shapes of [member, score] elements.
 */

import { type Database, EventClass, type RedisZSet } from "@spinel/core-db";
import type { ClientSession } from "../client-session.js";
import { Err } from "../errors.js";

/** LONG_MAX as a double (2^63 after rounding), for range arguments. */
export const LONG_MAX = 2 ** 63;

/**
 * The sorted set at `key` for a read command: the value, undefined when the key
 * is missing, or null after replying WRONGTYPE.
 */
export function readZSetOrReply(c: ClientSession, key: string): RedisZSet | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || value.type === "zset") return value;
  c.reply.error(Err.wrongType);
  return null;
}

/** Like readZSetOrReply, for a write command (no hit/miss accounting). */
export function writeZSetOrReply(c: ClientSession, key: string): RedisZSet | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || value.type === "zset") return value;
  c.reply.error(Err.wrongType);
  return null;
}

/** Reply with one element of a WITHSCORES reply: [member, score] nested on RESP3. */
export function writeMemberWithScore(c: ClientSession, member: string, score: number): void {
  const reply = c.reply;
  if (reply.protocol === 3) reply.arrayLen(2);
  reply.bulkString(member);
  reply.double(score);
}

/**
 * After removing members from the set at `key` of `db`: the write epilogue with `event`
 * and `removed` dirty units, and when the set is now empty, removal of the key
 * with Redis' "del" event.
 */
export function removedFromZSet(
  db: Database,
  key: string,
  zset: RedisZSet,
  event: string,
  removed: number,
): void {
  const emptied = zset.length === 0;
  if (emptied) db.delete(key);
  db.touched(key, event, EventClass.ZSet, removed);
  if (emptied) db.notify(key, "del", EventClass.Generic);
}
