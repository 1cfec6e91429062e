/*
 * The AOF base in AOF (RESP commands) form: the dataset written as the fewest
 * commands that rebuild it, as redis-server 7.0's rewrite does with
 * aof-use-rdb-preamble off: per database a SELECT, per key one command per 64
 * elements (SET, RPUSH, SADD, ZADD, HMSET) and a PEXPIREAT for a key with a
 * deadline. Keys already past their deadline are left out.
 *
 * The base writer is one function behind the AofBaseWriter type so that a base
 * with an RDB preamble (written by the RDB encoder) can be plugged in instead.
 */

import type { Keyspace, RedisValue } from "@spinel/core-db";
import { CommandBuffer } from "./command-buffer.js";

/** Writes the dataset of `keyspace`, in chunks, to `write`. Returns the bytes written. */
export type AofBaseWriter = (keyspace: Keyspace, write: (chunk: Buffer) => void) => number;

/** Elements per command, as Redis' AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_COMMAND = 64;
/** Chunk size handed to `write`. */
const CHUNK_BYTES = 1 << 20;

const SELECT = Buffer.from("SELECT");
const SET = Buffer.from("SET");
const RPUSH = Buffer.from("RPUSH");
const SADD = Buffer.from("SADD");
const ZADD = Buffer.from("ZADD");
const HMSET = Buffer.from("HMSET");
const PEXPIREAT = Buffer.from("PEXPIREAT");

/** A score as text that parses back to the same double (Redis' rewrite uses %.17g). */
export function formatScore(score: number): string {
  if (score === Number.POSITIVE_INFINITY) return "inf";
  if (score === Number.NEGATIVE_INFINITY) return "-inf";
  if (Object.is(score, -0)) return "-0";
  return String(score);
}

/**
 * The AOF-format base writer: every live key of every database as commands.
 * Runs synchronously over the keyspace as it is now (the dataset at the
 * rewrite's start), handing out chunks of about a megabyte so memory stays
 * bounded whatever the dataset size.
 */
export const writeAofBase: AofBaseWriter = (keyspace, write) => {
  const out = new CommandBuffer(CHUNK_BYTES + 64 * 1024);
  let total = 0;
  const flush = (force: boolean) => {
    if (out.length === 0 || (!force && out.length < CHUNK_BYTES)) return;
    const chunk = out.take();
    total += chunk.length;
    write(chunk);
  };
  for (const db of keyspace.databases) {
    if (db.size === 0) continue;
    let selected = false;
    for (const entry of db.allEntries()) {
      if (db.isExpired(entry)) continue;
      if (!selected) {
        out.append([SELECT, Buffer.from(String(db.id), "latin1")]);
        selected = true;
      }
      const key = Buffer.from(entry.key, "latin1");
      writeValue(out, key, entry.value, flush);
      if (entry.expireAt !== 0) out.append([PEXPIREAT, key, Buffer.from(String(entry.expireAt), "latin1")]);
      flush(false);
    }
  }
  flush(true);
  return total;
};

/** The commands that rebuild one value under `key`. */
function writeValue(
  out: CommandBuffer,
  key: Buffer,
  value: RedisValue,
  flush: (force: boolean) => void,
): void {
  switch (value.type) {
    case "string":
      out.append([SET, key, value.toBuffer()]);
      return;
    case "list": {
      let argv: Buffer[] = [RPUSH, key];
      for (const element of value.values()) {
        argv.push(element);
        if (argv.length === ITEMS_PER_COMMAND + 2) {
          out.append(argv);
          flush(false);
          argv = [RPUSH, key];
        }
      }
      if (argv.length > 2) out.append(argv);
      return;
    }
    case "set": {
      const length = value.length;
      for (let start = 0; start < length; start += ITEMS_PER_COMMAND) {
        const argv: Buffer[] = [SADD, key];
        const stop = Math.min(length, start + ITEMS_PER_COMMAND);
        for (let i = start; i < stop; i++) argv.push(Buffer.from(value.memberAt(i), "latin1"));
        out.append(argv);
        flush(false);
      }
      return;
    }
    case "hash": {
      const length = value.length;
      for (let start = 0; start < length; start += ITEMS_PER_COMMAND) {
        const argv: Buffer[] = [HMSET, key];
        const stop = Math.min(length, start + ITEMS_PER_COMMAND);
        for (let i = start; i < stop; i++)
          argv.push(Buffer.from(value.fieldAt(i), "latin1"), value.valueAt(i));
        out.append(argv);
        flush(false);
      }
      return;
    }
    case "zset": {
      const cursor = value.cursor(0, false);
      let argv: Buffer[] = [ZADD, key];
      while (cursor.next()) {
        argv.push(Buffer.from(formatScore(cursor.score), "latin1"), Buffer.from(cursor.member, "latin1"));
        if (argv.length === 2 * ITEMS_PER_COMMAND + 2) {
          out.append(argv);
          flush(false);
          argv = [ZADD, key];
        }
      }
      if (argv.length > 2) out.append(argv);
      return;
    }
  }
}
