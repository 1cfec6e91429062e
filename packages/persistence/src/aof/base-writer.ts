/*
 * The AOF base in AOF (RESP commands) form: the dataset written as the fewest
 * commands that rebuild it, as redis-server 7.0's rewrite does with
 * aof-use-rdb-preamble off: first a FUNCTION LOAD per function library, then per database a SELECT, per key one command per 64
 * elements (SET, RPUSH, SADD, ZADD, HMSET; XADD and the group commands for a
 * stream) and a PEXPIREAT for a key with a deadline. Keys already past their deadline are left out.
 *
 * The base writer is one function behind the AofBaseWriter type so that a base
 * with an RDB preamble (written by the RDB encoder) can be plugged in instead.
 */

import { type Keyspace, type RedisStream, type RedisValue, StreamID } from "@spinel/core-db";
import { CommandBuffer } from "./command-buffer.js";

/**
 * Writes the dataset of `keyspace`, and the function libraries whose code is in
 * `functionLibraries` (none when absent), in chunks, to `write`. Returns the
 * bytes written. A chunk is valid only during the call (its memory is reused).
 */
export type AofBaseWriter = (
  keyspace: Keyspace,
  write: (chunk: Buffer) => void,
  functionLibraries?: readonly Uint8Array[],
) => number;

/** Elements per command, as Redis' AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_COMMAND = 64;
/** Chunk size handed to `write`. */
const CHUNK_BYTES = 1 << 20;

const FUNCTION = Buffer.from("FUNCTION");
const LOAD = Buffer.from("LOAD");
const SELECT = Buffer.from("SELECT");
const SET = Buffer.from("SET");
const RPUSH = Buffer.from("RPUSH");
const SADD = Buffer.from("SADD");
const ZADD = Buffer.from("ZADD");
const HMSET = Buffer.from("HMSET");
const PEXPIREAT = Buffer.from("PEXPIREAT");
const XADD = Buffer.from("XADD");
const XSETID = Buffer.from("XSETID");
const XGROUP = Buffer.from("XGROUP");
const XCLAIM = Buffer.from("XCLAIM");

/** A score as text that parses back to the same double (Redis' rewrite uses %.17g). */
export function formatScore(score: number): string {
  if (score === Number.POSITIVE_INFINITY) return "inf";
  if (score === Number.NEGATIVE_INFINITY) return "-inf";
  if (Object.is(score, -0)) return "-0";
  return String(score);
}

/**
 * The AOF-format base writer: every function library as FUNCTION LOAD (before
 * any key, as redis-server 7.0 writes them), then every live key of every
 * database as commands.
 * Runs synchronously over the keyspace as it is now (the dataset at the
 * rewrite's start), handing out chunks of about a megabyte so memory stays
 * bounded whatever the dataset size. Keys and members are encoded straight from
 * their strings into the output (no Buffer per argument).
 */
export const writeAofBase: AofBaseWriter = (keyspace, write, functionLibraries = []) => {
  const out = new CommandBuffer(CHUNK_BYTES + 64 * 1024);
  let total = 0;
  const flush = (force: boolean) => {
    if (out.length === 0 || (!force && out.length < CHUNK_BYTES)) return;
    const chunk = out.view();
    total += chunk.length;
    write(chunk);
    out.clear();
  };
  for (const code of functionLibraries) {
    out.beginCommand(3);
    out.bulk(FUNCTION);
    out.bulk(LOAD);
    out.bulk(code);
    flush(false);
  }
  for (const db of keyspace.databases) {
    if (db.size === 0) continue;
    let selected = false;
    const table = db.keyTable;
    for (let slot = 0; slot < table.size; slot++) {
      if (db.isSlotExpired(slot)) continue;
      const key = table.keys[slot]!;
      const expireAt = table.deadlineOf(slot);
      if (!selected) {
        out.beginCommand(2);
        out.bulk(SELECT);
        out.bulkLatin1(String(db.id));
        selected = true;
      }
      writeValue(out, key, table.valueAt(slot), flush);
      if (expireAt !== 0) {
        out.beginCommand(3);
        out.bulk(PEXPIREAT);
        out.bulkLatin1(key);
        out.bulkLatin1(String(expireAt));
      }
      flush(false);
    }
  }
  flush(true);
  return total;
};

/** The commands that rebuild one value under `key`. */
function writeValue(
  out: CommandBuffer,
  key: string,
  value: RedisValue,
  flush: (force: boolean) => void,
): void {
  switch (value.type) {
    case "string":
      out.beginCommand(3);
      out.bulk(SET);
      out.bulkLatin1(key);
      if (value.isInteger) out.bulkLatin1(String(value.integerValue));
      else if (value.encoding === "embstr")
        out.bulkLatin1(value.toBinaryString()); // held as a JS string
      else out.bulk(value.toBuffer());
      return;
    case "list": {
      const length = value.length;
      let position = 0;
      for (const element of value.values()) {
        if (position % ITEMS_PER_COMMAND === 0) {
          out.beginCommand(2 + Math.min(ITEMS_PER_COMMAND, length - position));
          out.bulk(RPUSH);
          out.bulkLatin1(key);
        }
        out.bulk(element);
        position++;
        if (position % ITEMS_PER_COMMAND === 0) flush(false);
      }
      return;
    }
    case "set": {
      const length = value.length;
      for (let start = 0; start < length; start += ITEMS_PER_COMMAND) {
        const stop = Math.min(length, start + ITEMS_PER_COMMAND);
        out.beginCommand(2 + stop - start);
        out.bulk(SADD);
        out.bulkLatin1(key);
        for (let i = start; i < stop; i++) out.bulkLatin1(value.memberAt(i));
        flush(false);
      }
      return;
    }
    case "hash": {
      const length = value.length;
      for (let start = 0; start < length; start += ITEMS_PER_COMMAND) {
        const stop = Math.min(length, start + ITEMS_PER_COMMAND);
        out.beginCommand(2 + 2 * (stop - start));
        out.bulk(HMSET);
        out.bulkLatin1(key);
        for (let i = start; i < stop; i++) {
          out.bulkLatin1(value.fieldAt(i));
          out.bulk(value.valueAt(i));
        }
        flush(false);
      }
      return;
    }
    case "zset": {
      const length = value.length;
      const cursor = value.cursor(0, false);
      let position = 0;
      while (cursor.next()) {
        if (position % ITEMS_PER_COMMAND === 0) {
          out.beginCommand(2 + 2 * Math.min(ITEMS_PER_COMMAND, length - position));
          out.bulk(ZADD);
          out.bulkLatin1(key);
        }
        out.bulkLatin1(formatScore(cursor.score));
        out.bulkLatin1(cursor.member);
        position++;
        if (position % ITEMS_PER_COMMAND === 0) flush(false);
      }
      return;
    }
    case "stream":
      writeStream(out, key, value, flush);
      return;
  }
}

/**
 * A stream as redis-server 7.0's rewrite writes one: an XADD per entry (an empty
 * stream is made by an XADD with MAXLEN 0), XSETID with the last ID, entries
 * added and max deleted ID, then per group (by name) XGROUP CREATE with its last
 * ID and entries read, and per consumer (by name) an XCLAIM ... JUSTID FORCE for
 * each of its pending entries, or XGROUP CREATECONSUMER when it has none.
 */
function writeStream(
  out: CommandBuffer,
  key: string,
  stream: RedisStream,
  flush: (force: boolean) => void,
): void {
  if (stream.length > 0) {
    const walk = stream.iterate(StreamID.MIN, StreamID.MAX, false);
    while (walk.next()) {
      out.beginCommand(3 + 2 * walk.pairCount);
      out.bulk(XADD);
      out.bulkLatin1(key);
      out.bulkLatin1(walk.idText());
      for (let pair = 0; pair < walk.pairCount; pair++) {
        out.bulk(walk.field(pair));
        out.bulk(walk.value(pair));
      }
      flush(false);
    }
  } else {
    out.beginCommand(7);
    out.bulk(XADD);
    out.bulkLatin1(key);
    out.bulkLatin1("MAXLEN");
    out.bulkLatin1("0");
    out.bulkLatin1("0-1");
    out.bulkLatin1("x");
    out.bulkLatin1("y");
  }
  out.beginCommand(7);
  out.bulk(XSETID);
  out.bulkLatin1(key);
  out.bulkLatin1(stream.lastId.toString());
  out.bulkLatin1("ENTRIESADDED");
  out.bulkLatin1(String(stream.entriesAdded));
  out.bulkLatin1("MAXDELETEDID");
  out.bulkLatin1(stream.maxDeletedId.toString());
  for (const group of stream.sortedGroups()) {
    out.beginCommand(7);
    out.bulk(XGROUP);
    out.bulkLatin1("CREATE");
    out.bulkLatin1(key);
    out.bulkLatin1(group.name);
    out.bulkLatin1(group.lastId.toString());
    out.bulkLatin1("ENTRIESREAD");
    out.bulkLatin1(String(group.entriesRead));
    for (const consumer of group.sortedConsumers()) {
      const pending = consumer.pel.toArray();
      if (pending.length === 0) {
        out.beginCommand(5);
        out.bulk(XGROUP);
        out.bulkLatin1("CREATECONSUMER");
        out.bulkLatin1(key);
        out.bulkLatin1(group.name);
        out.bulkLatin1(consumer.name);
      }
      for (const entry of pending) {
        out.beginCommand(12);
        out.bulk(XCLAIM);
        out.bulkLatin1(key);
        out.bulkLatin1(group.name);
        out.bulkLatin1(consumer.name);
        out.bulkLatin1("0");
        out.bulkLatin1(entry.id.toString());
        out.bulkLatin1("TIME");
        out.bulkLatin1(String(entry.deliveryTime));
        out.bulkLatin1("RETRYCOUNT");
        out.bulkLatin1(String(entry.deliveryCount));
        out.bulkLatin1("JUSTID");
        out.bulkLatin1("FORCE");
      }
      flush(false);
    }
  }
}
