/*
 * What the stream command files share (Redis' t_stream.c helpers): stream ID
 * parsing with Redis' exact rules, key lookups that reply WRONGTYPE, entry
 * replies, and the commands propagated in place of XREADGROUP / XCLAIM.
 */

import {
  type Database,
  EventClass,
  type RedisStream,
  type StreamGroup,
  StreamID,
  type StreamIterator,
  UINT64_MAX,
} from "@spinel/core-db";
import type { ClientSession } from "../client-session.js";
import { Err } from "../errors.js";

// ---------------------------------------------------------------- errors

/** Stream error texts, as Redis 7.0 words them. */
export const StreamErr = {
  invalidId: "ERR Invalid stream ID specified as stream command argument",
  invalidStart: "ERR invalid start ID for the interval",
  invalidEnd: "ERR invalid end ID for the interval",
  noSuchKey: "ERR no such key",
  busyGroup: "BUSYGROUP Consumer Group name already exists",
} as const;

/** `NOGROUP No such key '<key>' or consumer group '<group>'` (XPENDING, XCLAIM, XAUTOCLAIM). */
export function noKeyOrGroup(key: string, group: string): string {
  return `NOGROUP No such key '${cString(key)}' or consumer group '${cString(group)}'`;
}

/** `NOGROUP No such consumer group '<group>' for key name '<key>'` (XGROUP, XINFO). */
export function noGroupForKey(key: string, group: string): string {
  return `NOGROUP No such consumer group '${cString(group)}' for key name '${cString(key)}'`;
}

/** "ERR unknown subcommand or wrong number of arguments for '<sub>'. Try <CONTAINER> HELP." */
export function subcommandSyntaxError(c: ClientSession): void {
  const container = c.argv[0]!.toString("latin1").toUpperCase();
  const sub = cString(c.argv[1]!.toString("latin1")).slice(0, 128);
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${container} HELP.`);
}

/** Redis formats names into errors with %s: the text stops at the first NUL byte. */
export function cString(text: string): string {
  const nul = text.indexOf("\0");
  return nul === -1 ? text : text.slice(0, nul);
}

// ---------------------------------------------------------------- ID parsing

const UINT64_LIMIT = 1n << 64n;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const STRTOULL_FORM = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/;

/**
 * Redis' string2ull: a canonical signed 64-bit integer must not be negative;
 * anything else is read as strtoull() reads it (leading blanks, a sign, digits,
 * no overflow; a '-' negates modulo 2^64). Null when it is not a number.
 */
function parseUint64(text: string): bigint | null {
  if (/^-?[1-9][0-9]{0,18}$|^0$/.test(text)) {
    const value = BigInt(text);
    if (value >= INT64_MIN && value <= INT64_MAX) return value < 0n ? null : value;
  }
  const match = STRTOULL_FORM.exec(text);
  if (match === null) return null;
  const magnitude = BigInt(match[2]!);
  if (magnitude >= UINT64_LIMIT) return null;
  return match[1] === "-" ? (UINT64_LIMIT - magnitude) % UINT64_LIMIT : magnitude;
}

/** Whether the last parseStreamId() call saw an explicit sequence (false for `ms-*`). */
export let lastSeqGiven = true;

/**
 * Parse a stream ID argument as Redis' streamGenericParseIDOrReply: `-` (0-0)
 * and `+` (max) unless `strict`, `ms` alone (seq = `missingSeq`), `ms-seq`,
 * and with `allowSeqWildcard` (XADD) `ms-*`, which sets lastSeqGiven false.
 * Returns null on any other form (the caller replies StreamErr.invalidId).
 */
export function parseStreamId(
  arg: Buffer,
  missingSeq: bigint,
  strict: boolean,
  allowSeqWildcard = false,
): StreamID | null {
  lastSeqGiven = true;
  if (arg.length > 127) return null;
  let text = arg.toString("latin1");
  const nul = text.indexOf("\0");
  if (nul !== -1) text = text.slice(0, nul);
  if (text === "-" || text === "+") {
    if (strict) return null;
    return text === "-" ? StreamID.MIN : StreamID.MAX;
  }
  const dash = text.indexOf("-");
  const msText = dash === -1 ? text : text.slice(0, dash);
  const ms = parseUint64(msText);
  if (ms === null) return null;
  if (dash === -1) return new StreamID(ms, missingSeq);
  const seqText = text.slice(dash + 1);
  if (allowSeqWildcard && seqText === "*") {
    lastSeqGiven = false;
    return new StreamID(ms, 0n);
  }
  const seq = parseUint64(seqText);
  if (seq === null) return null;
  return new StreamID(ms, seq);
}

/** parseStreamId or reply the invalid-ID error. */
export function parseStreamIdOrReply(
  c: ClientSession,
  arg: Buffer,
  missingSeq: bigint,
  strict: boolean,
): StreamID | null {
  const id = parseStreamId(arg, missingSeq, strict);
  if (id === null) c.reply.error(StreamErr.invalidId);
  return id;
}

/**
 * Parse a range bound as Redis' streamParseIntervalIDOrReply: a leading `(`
 * (with more after it) makes it exclusive and the rest strict; then turn an
 * exclusive start into the next ID / an exclusive end into the previous one,
 * replying "invalid start/end ID for the interval" when there is none.
 * Returns null after replying.
 */
export function parseRangeBoundOrReply(c: ClientSession, arg: Buffer, isEnd: boolean): StreamID | null {
  const exclusive = arg.length > 1 && arg[0] === 0x28; /* ( */
  const missing = isEnd ? UINT64_MAX : 0n;
  const id = exclusive ? parseStreamId(arg.subarray(1), missing, true) : parseStreamId(arg, missing, false);
  if (id === null) {
    c.reply.error(StreamErr.invalidId);
    return null;
  }
  if (!exclusive) return id;
  const moved = isEnd ? id.previous() : id.next();
  if (moved === null) {
    c.reply.error(isEnd ? StreamErr.invalidEnd : StreamErr.invalidStart);
    return null;
  }
  return moved;
}

// ---------------------------------------------------------------- lookups

/** The stream at `key` for a read: the value, undefined when missing, null after WRONGTYPE. */
export function readStreamOrReply(c: ClientSession, key: string): RedisStream | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || value.type === "stream") return value;
  c.reply.error(Err.wrongType);
  return null;
}

/** Like readStreamOrReply, for a write command (no hit/miss accounting). */
export function writeStreamOrReply(c: ClientSession, key: string): RedisStream | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || value.type === "stream") return value;
  c.reply.error(Err.wrongType);
  return null;
}

// ---------------------------------------------------------------- epilogue

/**
 * The epilogue of the consumer-group changes Redis makes without
 * signalModifiedKey (XGROUP, XREADGROUP, XACK, XCLAIM ...): `dirty` units and
 * the keyspace event `event` (none when empty), but no WATCH invalidation.
 */
export function groupChanged(db: Database, key: string, event: string, dirty = 1): void {
  db.keyspace.dirty += dirty;
  if (event !== "") db.notify(key, event, EventClass.Stream);
}

// ---------------------------------------------------------------- replies

/** An ID as a bulk string. */
export function writeId(c: ClientSession, id: StreamID): void {
  c.reply.bulkString(`${id.ms}-${id.seq}`);
}

/** The iterator's current entry: [id, [field, value, ...]]. */
export function writeIteratorEntry(c: ClientSession, it: StreamIterator): void {
  const reply = c.reply;
  reply.arrayLen(2);
  reply.bulkString(it.idText());
  const items = it.pairCount * 2;
  reply.arrayLen(items);
  const buffer = it.buffer;
  for (let k = 0; k < items; k++) reply.bulkSlice(buffer, it.itemStart(k), it.itemEnd(k));
}

/**
 * Reply the entries of `stream` with start <= ID <= end (at most `count`, 0 =
 * all) as an array of entries. Returns how many were written.
 */
export function writeRange(
  c: ClientSession,
  stream: RedisStream,
  start: StreamID,
  end: StreamID,
  count: number,
  reverse: boolean,
): number {
  const token = c.reply.beginDeferredLength();
  const it = stream.iterate(start, end, reverse);
  let written = 0;
  while ((count === 0 || written < count) && it.next()) {
    writeIteratorEntry(c, it);
    written++;
  }
  c.reply.setDeferredLength(token, written);
  return written;
}

/**
 * Reply the single entry `id` as [id, [fields]] (no outer array), or nothing.
 * Returns true when the entry exists.
 */
export function writeSingleEntry(c: ClientSession, stream: RedisStream, id: StreamID): boolean {
  const it = stream.iterate(id, id, false);
  if (!it.next()) return false;
  writeIteratorEntry(c, it);
  return true;
}

// ---------------------------------------------------------------- propagation

const XCLAIM_ARG = Buffer.from("XCLAIM");
const ZERO_ARG = Buffer.from("0");
const TIME_ARG = Buffer.from("TIME");
const RETRYCOUNT_ARG = Buffer.from("RETRYCOUNT");
const FORCE_ARG = Buffer.from("FORCE");
const JUSTID_ARG = Buffer.from("JUSTID");
const LASTID_ARG = Buffer.from("LASTID");
const XGROUP_ARG = Buffer.from("XGROUP");
const SETID_ARG = Buffer.from("SETID");
const ENTRIESREAD_ARG = Buffer.from("ENTRIESREAD");
const CREATECONSUMER_ARG = Buffer.from("CREATECONSUMER");

/** An ID argument. */
export function idArg(id: StreamID): Buffer {
  return Buffer.from(`${id.ms}-${id.seq}`, "latin1");
}

/**
 * The idempotent XCLAIM Redis propagates for a delivered or claimed entry:
 * XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID last-id.
 */
export function xclaimArgv(
  key: Buffer,
  group: StreamGroup,
  consumer: string,
  id: StreamID,
  deliveryTime: number,
  deliveryCount: number,
): Buffer[] {
  return [
    XCLAIM_ARG,
    key,
    Buffer.from(group.name, "latin1"),
    Buffer.from(consumer, "latin1"),
    ZERO_ARG,
    idArg(id),
    TIME_ARG,
    Buffer.from(String(deliveryTime)),
    RETRYCOUNT_ARG,
    Buffer.from(String(deliveryCount)),
    FORCE_ARG,
    JUSTID_ARG,
    LASTID_ARG,
    idArg(group.lastId),
  ];
}

/** XGROUP SETID key group last-id ENTRIESREAD n, as Redis propagates a group's progress. */
export function setIdArgv(key: Buffer, group: StreamGroup): Buffer[] {
  return [
    XGROUP_ARG,
    SETID_ARG,
    key,
    Buffer.from(group.name, "latin1"),
    idArg(group.lastId),
    ENTRIESREAD_ARG,
    Buffer.from(String(group.entriesRead)),
  ];
}

/** XGROUP CREATECONSUMER key group consumer. */
export function createConsumerArgv(key: Buffer, group: StreamGroup, consumer: string): Buffer[] {
  return [
    XGROUP_ARG,
    CREATECONSUMER_ARG,
    key,
    Buffer.from(group.name, "latin1"),
    Buffer.from(consumer, "latin1"),
  ];
}
