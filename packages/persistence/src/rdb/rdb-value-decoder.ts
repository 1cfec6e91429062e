/*
 * Decoding of RDB values (rdbLoadObject) from a ByteSource, with validation as
 * redis-server's sanitize-dump-payload does it: every length is checked against
 * the bytes left before anything is allocated, blobs are validated whole, and
 * duplicates, NaN scores and unknown encodings are refused. Values are built
 * through core-db's type APIs, which pick the encodings redis-server 7.0 would
 * (a small hash read from a hashtable record becomes a listpack, and so on).
 *
 * Every failure is an RdbError with the offset where the bad item starts.
 */

import {
  type CompactString,
  decimalLength,
  type EncodingLimits,
  ListEnd,
  PACKED_LIST_MAX_BYTES,
  PackedListBuilder,
  PackedPairsBuilder,
  PackedZSetBuilder,
  RedisHash,
  RedisList,
  RedisSet,
  RedisString,
  type RedisValue,
  RedisZSet,
  type StoredValue,
  writeDecimal,
} from "@spinel/core-db";
import { canonicalIntegerInRange } from "./integer-text.js";
import { checkIntsetBlob, decodeIntsetBlob } from "./intset-blob.js";
import { entryBytes, entryLatin1, ListpackCursor, type ListpackEntry } from "./listpack.js";
import { RdbError } from "./rdb-error.js";
import { QUICKLIST_NODE_PACKED, QUICKLIST_NODE_PLAIN, RdbType, rdbTypeName } from "./rdb-format.js";
import { latin1Range, type RdbInput } from "./rdb-input.js";
import { readStreamValue } from "./stream-decoder.js";
import { decodeZiplist } from "./ziplist.js";
import { decodeZipmap } from "./zipmap.js";

/** Longest string value held as "embstr" (a JS string): RedisString.fromOwnedBytes' threshold. */
const EMBSTR_MAX_BYTES = 44;

/** Outcome of decoding one value. */
export type DecodedValue = RedisValue | null;

/** Up to this many members, duplicates are found by scanning the members so far (no Set per value). */
const SCAN_FOR_DUPLICATES_UP_TO = 16;
/** One cursor walks every listpack of a load (readValue is not re-entered). */
const listpackCursor = new ListpackCursor();

/**
 * Decode one value of type `type` for `key` (the key is only used in messages).
 * Returns the value, or null for an empty aggregate (which Redis skips).
 * Types Spinel lacks (modules, RDB 11's set listpacks) are refused naming the key and type.
 * Streams are decoded by stream-decoder.ts (empty ones are kept, as Redis keeps them).
 */
export function readValue(
  input: RdbInput,
  type: number,
  key: string,
  limits: EncodingLimits,
  typeOffset = input.offset,
): DecodedValue {
  const start = input.offset;
  switch (type) {
    case RdbType.String:
      return readString(input);
    case RdbType.List: {
      const count = input.count("list length");
      const list = RedisList.create();
      for (let i = 0; i < count; i++) list.push(input.string("list element"), ListEnd.Tail);
      return count === 0 ? null : list;
    }
    case RdbType.Set: {
      const count = input.count("set size");
      const set = new RedisSet();
      for (let i = 0; i < count; i++) {
        const at = input.offset;
        if (!set.add(input.sharedLatin1("set member"), limits))
          throw input.error(`duplicate set member in key '${key}'`, at);
      }
      return count === 0 ? null : set;
    }
    case RdbType.ZSet:
    case RdbType.ZSet2:
      return readZSetRecord(input, type, key, limits);
    case RdbType.Hash: {
      const count = input.count("hash size", 2);
      const hash = new RedisHash();
      for (let i = 0; i < count; i++) {
        const at = input.offset;
        const field = input.sharedLatin1("hash field");
        const value = input.string("hash value");
        if (!hash.set(field, value, limits)) throw input.error(`duplicate hash field in key '${key}'`, at);
      }
      return count === 0 ? null : hash;
    }
    case RdbType.HashZipmap:
      return hashFromPairs(input, blob(input, "zipmap", decodeZipmap), key, limits, start);
    case RdbType.HashZiplist:
      return hashFromPairs(input, blob(input, "ziplist", decodeZiplist), key, limits, start);
    case RdbType.HashListpack:
      return hashFromListpack(input, key, limits);
    case RdbType.ZSetZiplist:
      return zsetFromPairs(input, blob(input, "ziplist", decodeZiplist), key, limits, start);
    case RdbType.ZSetListpack:
      return zsetFromListpack(input, key, limits);
    case RdbType.SetIntset:
      return readIntsetRecord(input, limits);
    case RdbType.ListZiplist: {
      const list = RedisList.create();
      for (const entry of blob(input, "ziplist", decodeZiplist)) list.push(entryBytes(entry), ListEnd.Tail);
      return list.length === 0 ? null : list;
    }
    case RdbType.ListQuicklist:
    case RdbType.ListQuicklist2:
      return readQuicklist(input, type, key);
    case RdbType.StreamListpacks:
    case RdbType.StreamListpacks2:
    case RdbType.StreamListpacks3:
      return readStreamValue(input, type, key);
    default:
      throw input.error(
        `key '${key}' holds a value of ${rdbTypeName(type)}, which Spinel does not support`,
        typeOffset,
      );
  }
}

/**
 * A string value: int-encoded when the file says so or when its bytes are the
 * canonical form of an integer (as Redis' tryObjectEncoding makes it), else an
 * owned copy of its bytes.
 */
function readString(input: RdbInput): RedisString {
  const stored = readStoredString(input);
  return typeof stored === "object" ? stored : RedisString.fromCompact(stored);
}

/**
 * readString() in the form a key table keeps a string (compactValue's): the
 * bare number or latin1 text of an int or embstr value, the RedisString of a
 * raw one. A loader storing it as it is makes no RedisString per short value.
 */
function readStoredString(input: RdbInput): RedisString | CompactString {
  input.locateString("string value");
  if (input.locatedIsInteger) return input.locatedInteger;
  const bytes = input.located;
  const start = input.locatedStart;
  const end = input.locatedEnd;
  const length = end - start;
  if (length > 0 && length <= 20) {
    const first = bytes[start]!;
    // Only a digit or a minus sign can start an integer: skip the parse otherwise.
    if ((first >= 48 && first <= 57) || first === 45) {
      const integer = canonicalIntegerInRange(bytes, start, end);
      if (integer !== null) return RedisString.fromInteger(integer).compactForm();
    }
  }
  // An embstr value is its latin1 text: made straight from the bytes, no Buffer in between.
  if (length <= EMBSTR_MAX_BYTES) return latin1Range(bytes, start, end);
  return RedisString.fromOwnedBytes(input.locatedCopy(), false);
}

/**
 * readValue() in the form a key table keeps a value (see readStoredString):
 * for loaders that add keys straight into a table (Database.addLoaded).
 */
export function readStoredValue(
  input: RdbInput,
  type: number,
  key: string,
  limits: EncodingLimits,
  typeOffset = input.offset,
): StoredValue | null {
  if (type === RdbType.String) return readStoredString(input);
  return readValue(input, type, key, limits, typeOffset);
}

/**
 * An intset record. Checked, then taken as it is when the set adding its
 * members one by one would hold the same bytes (RedisSet.fromIntset); else
 * (too many members, a wider width than needed) decoded member by member.
 */
function readIntsetRecord(input: RdbInput, limits: EncodingLimits): RedisSet | null {
  const start = input.offset;
  input.locateString("intset");
  if (input.locatedIsInteger) throw input.error("invalid intset: an integer where a blob belongs", start);
  const bytes = input.located;
  const blobStart = input.locatedStart;
  const blobEnd = input.locatedEnd;
  let members: string[];
  try {
    const width = checkIntsetBlob(bytes, blobStart, blobEnd);
    const adopted = RedisSet.fromIntset(bytes, blobStart + 8, blobEnd, width, limits);
    if (adopted !== undefined) return adopted;
    members = decodeIntsetBlob(bytes.subarray(blobStart, blobEnd));
  } catch (error) {
    throw invalidBlob(input, "intset", error, start);
  }
  const set = new RedisSet();
  for (const member of members) set.add(member, limits);
  return members.length === 0 ? null : set;
}

/** A ZSET or ZSET_2 record: a count, then member and score pairs (text or binary scores). */
function readZSetRecord(
  input: RdbInput,
  type: number,
  key: string,
  limits: EncodingLimits,
): RedisZSet | null {
  const binary = type === RdbType.ZSet2;
  const count = input.count("sorted set size", binary ? 9 : 2);
  const members = new Array<string>(count);
  const scores = new Array<number>(count);
  const seen = count > SCAN_FOR_DUPLICATES_UP_TO ? new Set<string>() : null;
  for (let i = 0; i < count; i++) {
    const at = input.offset;
    const member = input.sharedLatin1("sorted set member");
    const score = binary ? input.binaryDouble("score") : input.textDouble("score");
    if (Number.isNaN(score)) throw input.error(`NaN score in key '${key}'`, at);
    if (seen === null ? members.lastIndexOf(member, i - 1) !== -1 : seen.has(member)) {
      throw input.error(`duplicate sorted set member in key '${key}'`, at);
    }
    seen?.add(member);
    members[i] = member;
    scores[i] = score;
  }
  return count === 0 ? null : RedisZSet.fromEntries(members, scores, limits);
}

/** A quicklist (ziplist nodes) or quicklist 2 (listpack or plain nodes) list. */
function readQuicklist(input: RdbInput, type: number, key: string): RedisList | null {
  const nodes = input.count("quicklist node count");
  const list = RedisList.create();
  for (let i = 0; i < nodes; i++) {
    let container = QUICKLIST_NODE_PACKED;
    if (type === RdbType.ListQuicklist2) {
      const at = input.offset;
      container = input.length("quicklist container");
      if (container !== QUICKLIST_NODE_PACKED && container !== QUICKLIST_NODE_PLAIN) {
        throw input.error(`unknown quicklist container ${container} in key '${key}'`, at);
      }
    }
    if (container === QUICKLIST_NODE_PLAIN) {
      list.push(input.string("quicklist plain node"), ListEnd.Tail);
      continue;
    }
    if (type === RdbType.ListQuicklist) {
      for (const entry of blob(input, "ziplist", decodeZiplist)) list.push(entryBytes(entry), ListEnd.Tail);
      continue;
    }
    const start = input.offset;
    const cursor = locateListpack(input, start);
    if (nodes === 1) {
      // A one-node list is packed straight from the blob's bytes (integer
      // entries as their digits) when it fits the small form.
      const packed = packListpack(input, cursor, start);
      if (packed !== undefined) return packed.length === 0 ? null : packed;
      cursor.reset(input.located, input.locatedStart, input.locatedEnd);
    }
    try {
      while (cursor.next()) {
        const element = cursor.isInteger
          ? integerBytes(cursor.integer)
          : stagedBytes(cursor.bytes, cursor.stringStart, cursor.stringEnd);
        list.push(element, ListEnd.Tail);
      }
    } catch (error) {
      throw invalidBlob(input, "listpack", error, start);
    }
  }
  return list.length === 0 ? null : list;
}

/** One builder packs every one-node list of a load (readValue is not re-entered). */
const listBuilder = new PackedListBuilder();

/**
 * The list of the listpack `cursor` stands at the start of, packed as it is
 * walked; undefined when it is too large for the small form (the cursor is
 * then spent).
 */
function packListpack(input: RdbInput, cursor: ListpackCursor, start: number): RedisList | undefined {
  const builder = listBuilder;
  builder.reset();
  try {
    while (cursor.next()) {
      if (cursor.isInteger) builder.addInteger(cursor.integer);
      else builder.addBytes(cursor.bytes, cursor.stringStart, cursor.stringEnd);
      // Too large already: no need to pack the rest.
      if (builder.packedLength > PACKED_LIST_MAX_BYTES) return undefined;
    }
  } catch (error) {
    throw invalidBlob(input, "listpack", error, start);
  }
  return RedisList.fromPacked(builder);
}

/** Read a string holding a listpack and start the shared cursor on it (header checked). */
function locateListpack(input: RdbInput, start: number): ListpackCursor {
  input.locateString("listpack");
  if (input.locatedIsInteger) throw input.error("invalid listpack: an integer where a blob belongs", start);
  try {
    return listpackCursor.reset(input.located, input.locatedStart, input.locatedEnd);
  } catch (error) {
    throw invalidBlob(input, "listpack", error, start);
  }
}

/** An error met while walking a blob, as an RdbError at the blob's start (RdbErrors pass through). */
function invalidBlob(input: RdbInput, what: string, error: unknown, start: number): RdbError {
  if (error instanceof RdbError) return error;
  return input.error(`invalid ${what}: ${(error as Error).message}`, start);
}

/** One builder packs every hash listpack of a load (readValue is not re-entered). */
const pairsBuilder = new PackedPairsBuilder();

/**
 * A hash listpack: field and value pairs. A hash that stays a listpack (the
 * common case) is packed straight from the blob's bytes, with no string or
 * Buffer per element; a larger one goes through fromPairs.
 */
function hashFromListpack(input: RdbInput, key: string, limits: EncodingLimits): RedisHash | null {
  const start = input.offset;
  const cursor = locateListpack(input, start);
  const builder = pairsBuilder;
  builder.reset();
  let packable = true;
  try {
    while (cursor.next()) {
      if (cursor.isInteger) builder.addInteger(cursor.integer);
      else builder.addBytes(cursor.bytes, cursor.stringStart, cursor.stringEnd);
      // Beyond the listpack limits already: fromPairs makes the hashtable.
      if (
        builder.items > 2 * limits.hashMaxListpackEntries ||
        builder.longest > limits.hashMaxListpackValue
      ) {
        packable = false;
        break;
      }
    }
  } catch (error) {
    throw invalidBlob(input, "listpack", error, start);
  }
  if (packable) {
    if (builder.items % 2 !== 0)
      throw input.error(`hash blob of key '${key}' has an odd number of elements`, start);
    if (builder.items === 0) return null;
    const packed = RedisHash.fromPacked(builder, limits);
    if (packed === null) throw input.error(`duplicate hash field in key '${key}'`, start);
    if (packed !== undefined) return packed;
  }
  // Too large for a listpack: walk the blob again into fields and values.
  cursor.reset(input.located, input.locatedStart, input.locatedEnd);
  // Reused from hash to hash (fromPairs keeps neither array).
  const fields = hashFields;
  fields.length = 0;
  // Views into the blob (valid until the next read) or integers' digits: fromPairs copies them.
  const values = hashValues;
  values.length = 0;
  integerArenaUsed = 0;
  try {
    while (cursor.next()) {
      fields.push(cursor.sharedLatin1());
      if (!cursor.next()) throw input.error(`hash blob of key '${key}' has an odd number of elements`, start);
      values.push(
        cursor.isInteger
          ? arenaIntegerBytes(cursor.integer)
          : cursor.bytes.subarray(cursor.stringStart, cursor.stringEnd),
      );
    }
  } catch (error) {
    throw invalidBlob(input, "listpack", error, start);
  }
  if (fields.length === 0) return null;
  const hash = RedisHash.fromPairs(fields, values, limits);
  fields.length = 0;
  values.length = 0;
  if (hash === null) throw input.error(`duplicate hash field in key '${key}'`, start);
  return hash;
}

/** One builder packs every sorted set listpack of a load (readValue is not re-entered). */
const zsetBuilder = new PackedZSetBuilder();

/**
 * A sorted set listpack: member and score pairs. One that stays a listpack,
 * in order (as Redis writes them), is packed straight from the blob's bytes
 * with no string per member; any other goes through fromEntries.
 */
function zsetFromListpack(input: RdbInput, key: string, limits: EncodingLimits): RedisZSet | null {
  const start = input.offset;
  const cursor = locateListpack(input, start);
  const builder = zsetBuilder;
  builder.reset();
  let packable = true;
  try {
    while (cursor.next()) {
      const memberIsInteger = cursor.isInteger;
      const memberInteger = cursor.integer;
      const memberStart = cursor.stringStart;
      const memberEnd = cursor.stringEnd;
      if (!cursor.next()) {
        throw input.error(`sorted set blob of key '${key}' has an odd number of elements`, start);
      }
      const score = cursor.isInteger
        ? Number(cursor.integer)
        : parseScore(latin1Range(cursor.bytes, cursor.stringStart, cursor.stringEnd));
      if (Number.isNaN(score)) throw input.error(`invalid score in sorted set blob of key '${key}'`, start);
      if (memberIsInteger) builder.addInteger(memberInteger, score);
      else builder.addBytes(cursor.bytes, memberStart, memberEnd, score);
      // Out of order or beyond the listpack limits: fromEntries sorts or makes a skiplist.
      if (
        !builder.ordered ||
        builder.count > limits.zsetMaxListpackEntries ||
        builder.longest > limits.zsetMaxListpackValue
      ) {
        packable = false;
        break;
      }
    }
  } catch (error) {
    throw invalidBlob(input, "listpack", error, start);
  }
  if (packable) {
    if (builder.count === 0) return null;
    const packed = RedisZSet.fromPacked(builder, limits);
    if (packed === null) throw input.error(`duplicate sorted set member in key '${key}'`, start);
    if (packed !== undefined) return packed;
  }
  cursor.reset(input.located, input.locatedStart, input.locatedEnd);
  // Reused from sorted set to sorted set (fromEntries keeps neither array).
  const members = zsetMembers;
  const scores = zsetScores;
  members.length = 0;
  scores.length = 0;
  try {
    while (cursor.next()) {
      const member = cursor.sharedLatin1();
      if (!cursor.next()) {
        throw input.error(`sorted set blob of key '${key}' has an odd number of elements`, start);
      }
      const score = cursor.isInteger
        ? Number(cursor.integer)
        : parseScore(latin1Range(cursor.bytes, cursor.stringStart, cursor.stringEnd));
      if (Number.isNaN(score)) throw input.error(`invalid score in sorted set blob of key '${key}'`, start);
      members.push(member);
      scores.push(score);
    }
  } catch (error) {
    throw invalidBlob(input, "listpack", error, start);
  }
  if (hasDuplicate(members)) throw input.error(`duplicate sorted set member in key '${key}'`, start);
  const zset = members.length === 0 ? null : RedisZSet.fromEntries(members, scores, limits);
  members.length = 0;
  scores.length = 0;
  return zset;
}

/** The members and scores of the sorted set listpack being decoded (reused: readValue is not re-entered). */
const zsetMembers: string[] = [];
const zsetScores: number[] = [];

/** True when a string occurs twice in `items`: a scan for a few items, a Set for more. */
function hasDuplicate(items: readonly string[]): boolean {
  const count = items.length;
  if (count <= SCAN_FOR_DUPLICATES_UP_TO) {
    for (let i = 1; i < count; i++) if (items.lastIndexOf(items[i]!, i - 1) !== -1) return true;
    return false;
  }
  return new Set(items).size !== count;
}

/** Elements up to this long are staged (copied into STAGE) rather than viewed. */
const STAGE_MAX = 64;
/** Where stagedBytes() copies short elements, and one view of it per length. */
const STAGE = Buffer.alloc(STAGE_MAX);
const STAGE_VIEWS = Array.from({ length: STAGE_MAX + 1 }, (_, length) => STAGE.subarray(0, length));

/**
 * bytes[start, end) as a Buffer valid until the next call, for containers that
 * copy what they are given at once (list pushes): a short element is copied
 * into a shared buffer and handed out through a view made once per length,
 * so a list element costs no Buffer object; a long one is a view of `bytes`.
 */
function stagedBytes(bytes: Buffer, start: number, end: number): Buffer {
  const length = end - start;
  if (length > STAGE_MAX) return bytes.subarray(start, end);
  for (let i = 0; i < length; i++) STAGE[i] = bytes[start + i]!;
  return STAGE_VIEWS[length]!;
}

/** Where integerBytes() writes digits, and one view of it per length (no allocation per call). */
const DIGITS = Buffer.alloc(24);
const DIGIT_VIEWS = Array.from({ length: 22 }, (_, length) => DIGITS.subarray(0, length));

/**
 * The decimal bytes of `value`, as a view valid until the next call: for
 * containers that copy what they are given at once (list pushes).
 */
function integerBytes(value: number | bigint): Buffer {
  if (typeof value !== "number") return Buffer.from(String(value), "latin1");
  return DIGIT_VIEWS[writeDecimal(DIGITS, 0, value, decimalLength(value))]!;
}

/** The fields and values of the hash listpack being decoded (reused: readValue is not re-entered). */
const hashFields: string[] = [];
const hashValues: Buffer[] = [];
/** Where a hash's integer values are written as digits, each in its own range (reset per hash). */
const INTEGER_ARENA = Buffer.alloc(4096);
let integerArenaUsed = 0;

/**
 * The decimal bytes of `value` as a view of INTEGER_ARENA that stays valid
 * until the arena is reset (the next hash), or a Buffer of its own once the
 * arena is full.
 */
function arenaIntegerBytes(value: number | bigint): Buffer {
  const digits = integerBytes(value);
  const length = digits.length;
  const at = integerArenaUsed;
  if (at + length > INTEGER_ARENA.length) return Buffer.from(digits);
  for (let i = 0; i < length; i++) INTEGER_ARENA[at + i] = digits[i]!;
  integerArenaUsed = at + length;
  return INTEGER_ARENA.subarray(at, at + length);
}

/** Read a string holding a blob and decode it with `decode`, turning its errors into RdbErrors. */
function blob<T>(input: RdbInput, what: string, decode: (bytes: Buffer) => T): T {
  const start = input.offset;
  const bytes = input.string(what);
  try {
    return decode(bytes);
  } catch (error) {
    throw invalidBlob(input, what, error, start);
  }
}

/** A hash from a decoded zipmap or ziplist: field and value pairs. */
function hashFromPairs(
  input: RdbInput,
  entries: readonly (ListpackEntry | Buffer)[],
  key: string,
  limits: EncodingLimits,
  start: number,
): RedisHash | null {
  if (entries.length % 2 !== 0)
    throw input.error(`hash blob of key '${key}' has an odd number of elements`, start);
  if (entries.length === 0) return null;
  const fields = new Array<string>(entries.length / 2);
  const values = new Array<Buffer>(entries.length / 2);
  for (let i = 0; i < entries.length; i += 2) {
    fields[i / 2] = entryLatin1(entries[i]!);
    values[i / 2] = entryBytes(entries[i + 1]!);
  }
  const hash = RedisHash.fromPairs(fields, values, limits);
  if (hash === null) throw input.error(`duplicate hash field in key '${key}'`, start);
  return hash;
}

/** A sorted set from a decoded ziplist: member and score pairs. */
function zsetFromPairs(
  input: RdbInput,
  entries: readonly ListpackEntry[],
  key: string,
  limits: EncodingLimits,
  start: number,
): RedisZSet | null {
  if (entries.length % 2 !== 0)
    throw input.error(`sorted set blob of key '${key}' has an odd number of elements`, start);
  const members: string[] = [];
  const scores: number[] = [];
  for (let i = 0; i < entries.length; i += 2) {
    const scoreEntry = entries[i + 1]!;
    const score =
      typeof scoreEntry === "object" ? parseScore(scoreEntry.toString("latin1")) : Number(scoreEntry);
    if (Number.isNaN(score)) throw input.error(`invalid score in sorted set blob of key '${key}'`, start);
    members.push(entryLatin1(entries[i]!));
    scores.push(score);
  }
  if (hasDuplicate(members)) throw input.error(`duplicate sorted set member in key '${key}'`, start);
  return members.length === 0 ? null : RedisZSet.fromEntries(members, scores, limits);
}

/** A score as text (strtod's forms Redis writes: decimal, exponent, inf, -inf). */
function parseScore(text: string): number {
  if (text === "" || text.trim() !== text) return Number.NaN;
  const value = Number(text);
  if (!Number.isNaN(value)) return value;
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "+inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}
