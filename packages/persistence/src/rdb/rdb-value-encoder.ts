/*
 * Encoding of keys and values as redis-server 7.0 writes them (rdbSaveObject):
 * the value-type byte and the value's bytes, into a ByteWriter. Shared by the
 * RDB file writer, snapshots and DUMP.
 *
 *   string             RDB_TYPE_STRING: int-encoded when it is a 32-bit integer,
 *                      LZF-compressed when longer than 20 bytes and compression
 *                      is on and saves at least 4 bytes, else raw
 *   list               RDB_TYPE_LIST_QUICKLIST_2: listpack nodes (packed)
 *   hash  listpack     RDB_TYPE_HASH_LISTPACK (field, value, ...)
 *         hashtable    RDB_TYPE_HASH
 *   set   intset       RDB_TYPE_SET_INTSET
 *         hashtable    RDB_TYPE_SET
 *   zset  listpack     RDB_TYPE_ZSET_LISTPACK (member, score, ...)
 *         skiplist     RDB_TYPE_ZSET_2 (binary doubles, greatest first)
 *   stream             RDB_TYPE_STREAM_LISTPACKS_2 (stream-encoder.ts)
 * Blobs (listpacks, intsets) are strings and may be compressed like any string.
 */

import type {
  CompactString,
  EncodingLimits,
  PackedPairSink,
  PackedZSetEntrySink,
  RedisHash,
  RedisList,
  RedisSet,
  RedisString,
  RedisValue,
  RedisZSet,
} from "@spinel/core-db";
import { lzfCompressAt, lzfCompressInto } from "@spinel/core-db";
import { formatDouble } from "@spinel/resp";
import { ByteWriter } from "./byte-writer.js";
import { canonicalIntegerInRange } from "./integer-text.js";
import { writeIntsetBlob } from "./intset-blob.js";
import { ListpackBuilder } from "./listpack.js";
import {
  QUICKLIST_NODE_PACKED,
  RDB_ENC_INT8,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_LZF,
  RdbType,
} from "./rdb-format.js";
import { type StreamEncoderContext, writeStreamValue } from "./stream-encoder.js";

/** Byte limits of a list node for negative list-max-listpack-size values -1..-5. */
const NODE_SIZE_LIMITS = [4096, 8192, 16384, 32768, 65536];
/** Size cap of a count-limited node (Redis' SIZE_SAFETY_LIMIT). */
const SIZE_SAFETY_LIMIT = 8192;
/** Texts up to this many chars are copied char by char (see writeLatin1). */
const SHORT_TEXT = 64;
/** Redis' estimate of an element's overhead in a listpack when deciding to start a node. */
const SIZE_ESTIMATE_OVERHEAD = 8;

/** Encodes values; one instance per writer (it keeps scratch buffers). */
export class RdbValueEncoder implements StreamEncoderContext {
  readonly compression: boolean;
  private readonly limits: EncodingLimits | null;
  /** Scratch for one blob (a listpack or intset) before it is written as a string. */
  readonly scratch: ByteWriter;
  /** The quicklist nodes of the list being written. */
  readonly nodes: ByteWriter;
  /** The listpack builder blobs are built with. */
  readonly builder: ListpackBuilder;
  /** Output of LZF compression, reused (grown when a longer string comes). */
  private compressed: Buffer;
  /** Latin1 text as bytes on its way to writeString, reused. */
  private text: Buffer;
  /** Where a list's elements go on their way into quicklist nodes (reused). */
  private readonly listNodes: QuicklistNodeWriter;
  /** Where a listpack hash's pairs go on their way into the builder (reused). */
  private readonly hashPairs: PackedPairSink;
  /** Where a listpack sorted set's entries go on their way into the builder (reused). */
  private readonly zsetEntries: PackedZSetEntrySink;

  /**
   * `compression`: LZF for strings and blobs over 20 bytes (rdbcompression).
   * `limits`: the list node size (list-max-listpack-size); Redis' default when null.
   */
  constructor(compression: boolean, limits: EncodingLimits | null = null) {
    this.compression = compression;
    this.limits = limits;
    this.scratch = new ByteWriter(16 * 1024);
    this.nodes = new ByteWriter(16 * 1024);
    this.builder = new ListpackBuilder();
    this.compressed = Buffer.allocUnsafe(4096);
    this.text = Buffer.allocUnsafe(4096);
    this.listNodes = new QuicklistNodeWriter(this);
    const builder = this.builder;
    // Fields, values and members are copied from the packed strings the values hold: no substring each.
    this.hashPairs = {
      pair(packed: string, fieldStart: number, fieldEnd: number, valueStart: number, valueEnd: number): void {
        builder.addLatin1Range(packed, fieldStart, fieldEnd);
        builder.addLatin1Range(packed, valueStart, valueEnd);
      },
    };
    this.zsetEntries = {
      entry(packed: string, memberStart: number, memberEnd: number, score: number): void {
        builder.addLatin1Range(packed, memberStart, memberEnd);
        // An integral score's text is an integer, which the listpack stores as one.
        if (Number.isSafeInteger(score)) builder.addInteger(score === 0 ? 0 : score);
        else builder.addLatin1(listpackScoreText(score));
      },
    };
  }

  // ---------------------------------------------------------------- primitives

  /** An RDB length (1, 2, 5 or 9 bytes). */
  static writeLength(out: ByteWriter, length: number): void {
    if (length < 64) {
      out.byte(length);
    } else if (length < 16384) {
      out.byte(0x40 | (length >>> 8));
      out.byte(length & 0xff);
    } else if (length <= 0xffffffff) {
      out.byte(0x80);
      out.uint32BE(length);
    } else {
      out.byte(0x81);
      out.uint64BE(length);
    }
  }

  /** An RDB length (the static writeLength, for the stream encoder's context). */
  writeLength(out: ByteWriter, length: number): void {
    RdbValueEncoder.writeLength(out, length);
  }

  /** A 32-bit integer in the special integer string encodings (the caller checked the range). */
  static writeIntegerString(out: ByteWriter, value: number): void {
    if (value >= -128 && value <= 127) {
      out.byte(0xc0 | RDB_ENC_INT8);
      out.byte(value & 0xff);
    } else if (value >= -32768 && value <= 32767) {
      out.byte(0xc0 | RDB_ENC_INT16);
      out.ensure(2);
      out.buffer.writeInt16LE(value, out.length);
      out.length += 2;
    } else {
      out.byte(0xc0 | RDB_ENC_INT32);
      out.ensure(4);
      out.buffer.writeInt32LE(value, out.length);
      out.length += 4;
    }
  }

  /** A string from bytes [start, end) of `bytes` (rdbSaveRawString). */
  writeString(out: ByteWriter, bytes: Buffer, start = 0, end = bytes.length): void {
    const length = end - start;
    if (length <= 11 && length > 0) {
      const first = bytes[start]!;
      // Only a digit or a minus sign can start an integer: no parse (and no view) otherwise.
      if ((first >= 48 && first <= 57) || first === 45) {
        const integer = canonicalIntegerInRange(bytes, start, end);
        if (typeof integer === "number" && integer >= -2147483648 && integer <= 2147483647) {
          RdbValueEncoder.writeIntegerString(out, integer);
          return;
        }
      }
    }
    if (this.compression && length > 20) {
      const limit = length - 4;
      if (length < 64) {
        // Both lengths take one byte: compress straight into `out` behind a 3-byte header.
        out.ensure(3 + limit + 3);
        const at = out.length;
        const buffer = out.buffer;
        const compressedLength = lzfCompressAt(bytes, start, end, buffer, at + 3, limit);
        if (compressedLength !== 0) {
          buffer[at] = 0xc0 | RDB_ENC_LZF;
          buffer[at + 1] = compressedLength;
          buffer[at + 2] = length;
          out.length = at + 3 + compressedLength;
          return;
        }
        RdbValueEncoder.writeLength(out, length);
        out.bytes(bytes, start, end);
        return;
      }
      if (this.compressed.length < limit + 3)
        this.compressed = Buffer.allocUnsafe(Math.max(limit + 3, 2 * this.compressed.length));
      const compressedLength = lzfCompressInto(bytes, start, end, this.compressed, limit);
      if (compressedLength !== 0) {
        out.byte(0xc0 | RDB_ENC_LZF);
        RdbValueEncoder.writeLength(out, compressedLength);
        RdbValueEncoder.writeLength(out, length);
        out.bytes(this.compressed, 0, compressedLength);
        return;
      }
    }
    RdbValueEncoder.writeLength(out, length);
    out.bytes(bytes, start, end);
  }

  /** A string held as latin1 text (keys, members, fields). */
  writeLatin1(out: ByteWriter, text: string): void {
    const length = text.length;
    if (length > 11 && !(this.compression && length > 20)) {
      RdbValueEncoder.writeLength(out, length);
      out.latin1(text);
      return;
    }
    if (this.text.length < length) this.text = Buffer.allocUnsafe(Math.max(length, 2 * this.text.length));
    const bytes = this.text;
    // Short texts char by char: cheaper than Buffer#write's native call.
    if (length <= SHORT_TEXT) for (let i = 0; i < length; i++) bytes[i] = text.charCodeAt(i);
    else bytes.write(text, 0, length, "latin1");
    this.writeString(out, bytes, 0, length);
  }

  /** An int-encoded string value (rdbSaveLongLongAsStringObject). */
  private writeIntegerValue(out: ByteWriter, value: number | bigint): void {
    if (typeof value === "number" && value >= -2147483648 && value <= 2147483647) {
      RdbValueEncoder.writeIntegerString(out, value);
      return;
    }
    const text = String(value);
    RdbValueEncoder.writeLength(out, text.length);
    out.latin1(text);
  }

  // ---------------------------------------------------------------- values

  /** The value-type byte `value` is written with. */
  static typeOf(value: RedisValue): RdbType {
    switch (value.type) {
      case "string":
        return RdbType.String;
      case "list":
        return RdbType.ListQuicklist2;
      case "hash":
        return value.encoding === "listpack" ? RdbType.HashListpack : RdbType.Hash;
      case "set":
        return value.encoding === "intset" ? RdbType.SetIntset : RdbType.Set;
      case "zset":
        return value.encoding === "listpack" ? RdbType.ZSetListpack : RdbType.ZSet2;
      case "stream":
        return RdbType.StreamListpacks2;
    }
  }

  /**
   * Write the value-type byte, then `key`, then the value (one record of a
   * database). `value` may be the compact form a key table holds an int or
   * embstr string in (StoredValue): it is written from that form, without the
   * RedisString a read through the table would allocate.
   */
  writeKeyValue(out: ByteWriter, key: string, value: RedisValue | CompactString): void {
    if (typeof value === "object") {
      out.byte(RdbValueEncoder.typeOf(value));
      this.writeLatin1(out, key);
      this.writeValue(out, value);
      return;
    }
    out.byte(RdbType.String);
    this.writeLatin1(out, key);
    if (typeof value === "string") this.writeLatin1(out, value);
    else this.writeIntegerValue(out, value);
  }

  /** Write the value's bytes (without the type byte). */
  writeValue(out: ByteWriter, value: RedisValue): void {
    switch (value.type) {
      case "string":
        this.writeStringValue(out, value);
        return;
      case "list":
        this.writeList(out, value);
        return;
      case "hash":
        this.writeHash(out, value);
        return;
      case "set":
        this.writeSet(out, value);
        return;
      case "zset":
        this.writeZSet(out, value);
        return;
      case "stream":
        writeStreamValue(this, out, value);
        return;
    }
  }

  private writeStringValue(out: ByteWriter, value: RedisString): void {
    if (value.isInteger) this.writeIntegerValue(out, value.integerValue);
    else if (value.encoding === "embstr")
      this.writeLatin1(out, value.toBinaryString()); // held as a JS string
    else this.writeString(out, value.toBuffer());
  }

  /** Write the blob built in `scratch` as a string, then clear `scratch`. */
  writeScratchBlob(out: ByteWriter): void {
    this.writeString(out, this.scratch.buffer, 0, this.scratch.length);
    this.scratch.reset();
  }

  /**
   * A list as quicklist nodes, cut where redis-server 7.0 cuts a list built by
   * pushes at the tail (_quicklistNodeAllowInsert): an element joins the node
   * when the node's size plus the element's length plus 8 bytes of estimated
   * overhead stays within the size limit (or, for a count limit, within the
   * 8 KB safety limit and the count).
   */
  private writeList(out: ByteWriter, list: RedisList): void {
    const fill = this.limits?.listMaxListpackSize ?? -2;
    const sizeLimit = fill < 0 ? NODE_SIZE_LIMITS[Math.min(-fill, 5) - 1]! : SIZE_SAFETY_LIMIT;
    const nodes = this.listNodes;
    nodes.begin(fill, sizeLimit);
    if (list.length > 0) list.writeRange(0, list.length - 1, nodes);
    nodes.finish();
    RdbValueEncoder.writeLength(out, nodes.nodeCount);
    out.bytes(this.nodes.buffer, 0, this.nodes.length);
  }

  private writeHash(out: ByteWriter, hash: RedisHash): void {
    const length = hash.length;
    if (hash.encoding === "listpack") {
      this.scratch.reset();
      this.builder.begin(this.scratch);
      hash.forEachPackedPair(this.hashPairs);
      this.builder.end();
      this.writeScratchBlob(out);
      return;
    }
    RdbValueEncoder.writeLength(out, length);
    for (let i = 0; i < length; i++) {
      this.writeLatin1(out, hash.fieldAt(i));
      this.writeString(out, hash.valueAt(i));
    }
  }

  private writeSet(out: ByteWriter, set: RedisSet): void {
    const length = set.length;
    const packed = set.intsetBytes();
    if (packed !== null) {
      this.scratch.reset();
      const width = set.intsetWidth;
      if (narrowestIntsetWidth(packed, width) === width) {
        // The stored members are the blob's body as they are.
        writePackedIntsetBlob(this.scratch, packed, width);
      } else {
        // Removals left the set wider than its members need: the file has the narrowest width.
        const members = new Array<string>(length);
        for (let i = 0; i < length; i++) members[i] = set.memberAt(i);
        writeIntsetBlob(this.scratch, members);
      }
      this.writeScratchBlob(out);
      return;
    }
    RdbValueEncoder.writeLength(out, length);
    for (let i = 0; i < length; i++) this.writeLatin1(out, set.memberAt(i));
  }

  private writeZSet(out: ByteWriter, zset: RedisZSet): void {
    const length = zset.length;
    if (zset.encoding === "listpack") {
      this.scratch.reset();
      this.builder.begin(this.scratch);
      zset.forEachPackedEntry(this.zsetEntries);
      this.builder.end();
      this.writeScratchBlob(out);
      return;
    }
    RdbValueEncoder.writeLength(out, length);
    // Greatest first, as Redis writes them (each load then inserts at the head).
    const cursor = zset.cursor(length - 1, true);
    while (cursor.next()) {
      this.writeLatin1(out, cursor.member);
      out.doubleLE(cursor.score);
    }
  }
}

/**
 * Cuts a list's elements into quicklist nodes as they come from writeRange():
 * one per encoder, reused from list to list (no closures or sink per list).
 */
class QuicklistNodeWriter {
  private readonly encoder: RdbValueEncoder;
  private fill: number;
  private sizeLimit: number;
  private open: boolean;
  /** Nodes written into encoder.nodes since begin(). */
  nodeCount: number;

  constructor(encoder: RdbValueEncoder) {
    this.encoder = encoder;
    this.fill = -2;
    this.sizeLimit = 0;
    this.open = false;
    this.nodeCount = 0;
  }

  /** Start a list: `fill` is list-max-listpack-size, `sizeLimit` a node's byte limit. */
  begin(fill: number, sizeLimit: number): void {
    this.fill = fill;
    this.sizeLimit = sizeLimit;
    this.open = false;
    this.nodeCount = 0;
    this.encoder.nodes.reset();
  }

  bulk(element: Buffer): void {
    this.bulkSlice(element, 0, element.length);
  }

  /** One element: joins the open node, or closes it and opens the next one. */
  bulkSlice(source: Buffer, start: number, end: number): void {
    const builder = this.encoder.builder;
    if (this.open) {
      const estimate = builder.size + (end - start) + SIZE_ESTIMATE_OVERHEAD;
      if (estimate > this.sizeLimit || (this.fill >= 0 && builder.elements >= this.fill)) this.closeNode();
    }
    if (!this.open) {
      this.encoder.scratch.reset();
      builder.begin(this.encoder.scratch);
      this.open = true;
    }
    builder.addBytes(source, start, end);
  }

  /** Close the last node, if one is open. */
  finish(): void {
    if (this.open) this.closeNode();
  }

  private closeNode(): void {
    const encoder = this.encoder;
    encoder.builder.end();
    encoder.nodes.byte(QUICKLIST_NODE_PACKED);
    encoder.writeScratchBlob(encoder.nodes);
    this.nodeCount++;
    this.open = false;
  }
}

/** The integer readPackedInteger() read last, as 32-bit halves (both signed). Module state: no allocation. */
let packedHigh = 0;
let packedLow = 0;

/** Read the little-endian `width`-byte signed integer at chars [at, at + width) of `packed` into packedHigh / packedLow. */
function readPackedInteger(packed: string, at: number, width: number): void {
  if (width === 2) {
    packedLow = ((packed.charCodeAt(at) | (packed.charCodeAt(at + 1) << 8)) << 16) >> 16;
    packedHigh = packedLow < 0 ? -1 : 0;
    return;
  }
  packedLow =
    packed.charCodeAt(at) |
    (packed.charCodeAt(at + 1) << 8) |
    (packed.charCodeAt(at + 2) << 16) |
    (packed.charCodeAt(at + 3) << 24);
  if (width === 4) {
    packedHigh = packedLow < 0 ? -1 : 0;
    return;
  }
  packedHigh =
    packed.charCodeAt(at + 4) |
    (packed.charCodeAt(at + 5) << 8) |
    (packed.charCodeAt(at + 6) << 16) |
    (packed.charCodeAt(at + 7) << 24);
}

/** The width (2, 4 or 8) of the integer readPackedInteger() read last needs. */
function widthOfPackedInteger(): number {
  // packedLow is signed: the value fits 32 bits when the high half is its sign extension.
  if (packedHigh !== (packedLow < 0 ? -1 : 0)) return 8;
  return packedLow >= -32768 && packedLow <= 32767 ? 2 : 4;
}

/**
 * The narrowest width that holds every member of the intset `packed` (members
 * of `width` bytes, ascending): the first and last members are the extremes.
 */
function narrowestIntsetWidth(packed: string, width: number): number {
  if (packed.length === 0) return 2;
  readPackedInteger(packed, 0, width);
  const first = widthOfPackedInteger();
  readPackedInteger(packed, packed.length - width, width);
  const last = widthOfPackedInteger();
  return first > last ? first : last;
}

/** The intset blob (width, count, members) of the packed members `packed`, copied as they are. */
function writePackedIntsetBlob(out: ByteWriter, packed: string, width: number): void {
  out.uint32LE(width);
  out.uint32LE(packed.length / width);
  out.latin1(packed);
}

/** Largest magnitude d2string writes as a plain integer (LLONG_MAX / 2). */
const LISTPACK_INTEGER_LIMIT = 2 ** 62;

/**
 * A score as a listpack holds it (Redis' d2string): integral values within
 * +-2^62 in plain decimal, anything else as printf("%.17g").
 */
export function listpackScoreText(score: number): string {
  if (Number.isInteger(score) && score >= -LISTPACK_INTEGER_LIMIT && score <= LISTPACK_INTEGER_LIMIT) {
    return Number.isSafeInteger(score) ? String(score === 0 ? 0 : score) : BigInt(score).toString();
  }
  // A short exact decimal (2.5, -0.125): "%.17g" prints its exact expansion, which
  // is also JavaScript's shortest form, so no 17-digit formatting is needed.
  if (isShortDyadic(score)) return String(score);
  return formatDouble(score);
}

/** Fractional bits (and so decimal places) a score may have to take the short path. */
const SHORT_DYADIC_SCALE = 1024;
/** Magnitude below which a short-path score has at most 5 integer digits. */
const SHORT_DYADIC_LIMIT = 100000;

/**
 * True when `score` is a multiple of 2^-10 below 10^5 in magnitude: its exact
 * decimal expansion then has at most 5 integer digits and 10 decimals, 15
 * significant digits in all. A decimal of at most 15 significant digits is the
 * only one of that length that reads back as its double, so JavaScript's
 * shortest round-trip form is that expansion, and it is what "%.17g" prints once
 * its trailing zeros are removed (both use plain notation from 2^-10 up).
 */
function isShortDyadic(score: number): boolean {
  return (
    score > -SHORT_DYADIC_LIMIT && score < SHORT_DYADIC_LIMIT && Number.isInteger(score * SHORT_DYADIC_SCALE)
  );
}
