/*
 * The RDB file writer: header, aux fields, databases and trailer, streamed to a
 * ByteSink with a running CRC-64. Records are built in a ByteWriter and handed to
 * the sink in chunks of about 64 KB.
 *
 * File layout (version 10):
 *   "REDIS0010"
 *   AUX redis-ver, redis-bits, ctime, used-mem, [extra fields], aof-base
 *   per function library: FUNCTION2 code (as redis-server 7.0 writes them)
 *   per non-empty database: SELECTDB id, RESIZEDB size expires,
 *     per key: [EXPIRETIME_MS ms] [IDLE seconds] type key value
 *   EOF, then the CRC-64 of everything before it (8 bytes LE; zeros when
 *   rdbchecksum is off).
 */

import type { CompactString, EncodingLimits, RedisValue } from "@spinel/core-db";
import { Crc64 } from "@spinel/core-db";
import type { ByteSink } from "../io/byte-stream.js";
import { ByteWriter } from "./byte-writer.js";
import { RDB_VERSION, RdbOpcode, REDIS_COMPAT_VERSION } from "./rdb-format.js";
import { RdbValueEncoder } from "./rdb-value-encoder.js";

const FLUSH_THRESHOLD = 64 * 1024;

/** Settings of one RDB file. */
export interface RdbWriteOptions {
  /** LZF-compress long strings and blobs (rdbcompression, default true). */
  compression?: boolean;
  /** Write the CRC-64 trailer (rdbchecksum, default true); zeros otherwise. */
  checksum?: boolean;
  /** Encoding limits (list node size); Redis' defaults when absent. */
  limits?: EncodingLimits;
  /** Value of the used-mem aux field (bytes); the field is left out when absent. */
  usedMemory?: number;
  /** Value of the aof-base aux field (1 when the file is an AOF base), default 0. */
  aofBase?: boolean;
  /** Creation time in ms (ctime aux field), default now. */
  now?: number;
  /**
   * More aux fields, written in this order after used-mem and before aof-base
   * (where redis-server 7.0 puts repl-stream-db, repl-id and repl-offset). The
   * caller supplies them; this package gives them no meaning.
   */
  extraAux?: ReadonlyArray<readonly [name: string, value: string]>;
  /**
   * The code of every function library (FUNCTION LOAD text) to write after the
   * aux fields, one FUNCTION2 record each; none when absent. The caller reads
   * them when the file's point in time is taken, so they match the keys.
   */
  functionLibraries?: readonly Uint8Array[];
}

/** Writes one RDB file to a sink. Call order: header(), then databases, then finish(). */
export class RdbFileWriter {
  readonly sink: ByteSink;
  readonly encoder: RdbValueEncoder;
  private readonly out: ByteWriter;
  private readonly crc: Crc64;
  private readonly checksum: boolean;
  private readonly options: RdbWriteOptions;
  /** Bytes produced so far (sink plus buffered). */
  private produced: number;

  constructor(sink: ByteSink, options: RdbWriteOptions = {}) {
    this.sink = sink;
    this.options = options;
    this.encoder = new RdbValueEncoder(options.compression ?? true, options.limits ?? null);
    this.out = new ByteWriter(FLUSH_THRESHOLD * 2);
    this.crc = new Crc64();
    this.checksum = options.checksum ?? true;
    this.produced = 0;
  }

  /** Bytes written so far (including those not yet handed to the sink). */
  get bytesWritten(): number {
    return this.produced + this.out.length;
  }

  /** The magic, the version and the aux fields redis-server 7.0 writes. */
  header(): void {
    const out = this.out;
    out.latin1(`REDIS${String(RDB_VERSION).padStart(4, "0")}`);
    this.aux("redis-ver", REDIS_COMPAT_VERSION);
    this.aux("redis-bits", "64");
    this.aux("ctime", String(Math.floor((this.options.now ?? Date.now()) / 1000)));
    if (this.options.usedMemory !== undefined) this.aux("used-mem", String(this.options.usedMemory));
    for (const [name, value] of this.options.extraAux ?? []) this.aux(name, value);
    this.aux("aof-base", this.options.aofBase ? "1" : "0");
    for (const code of this.options.functionLibraries ?? []) this.functionLibrary(code);
  }

  /** One FUNCTION2 record: the opcode and the library code as an RDB string. */
  functionLibrary(code: Uint8Array): void {
    this.out.byte(RdbOpcode.Function2);
    const bytes = Buffer.isBuffer(code) ? code : Buffer.from(code.buffer, code.byteOffset, code.length);
    this.encoder.writeString(this.out, bytes);
    if (this.out.length >= FLUSH_THRESHOLD) this.drain();
  }

  /** One AUX field (both strings go through the string encoder, so numbers are int-encoded). */
  aux(name: string, value: string): void {
    this.out.byte(RdbOpcode.Aux);
    this.encoder.writeLatin1(this.out, name);
    this.encoder.writeLatin1(this.out, value);
  }

  /** SELECTDB and RESIZEDB: the keys that follow belong to database `id`. */
  selectDb(id: number, size: number, expires: number): void {
    const out = this.out;
    out.byte(RdbOpcode.SelectDb);
    RdbValueEncoder.writeLength(out, id);
    out.byte(RdbOpcode.ResizeDb);
    RdbValueEncoder.writeLength(out, size);
    RdbValueEncoder.writeLength(out, expires);
  }

  /**
   * One key: its expiry (absolute ms, 0 for none), the LRU idle time in seconds
   * when `idleSeconds` >= 0, the type, the key and the value (or the compact
   * form a key table holds an int or embstr string in).
   */
  key(key: string, value: RedisValue | CompactString, expireAt: number, idleSeconds = -1): void {
    RdbFileWriter.encodeRecord(this.encoder, this.out, key, value, expireAt, idleSeconds);
    if (this.out.length >= FLUSH_THRESHOLD) this.drain();
  }

  /** A record as key() writes it, into any ByteWriter (snapshots keep some aside). */
  static encodeRecord(
    encoder: RdbValueEncoder,
    out: ByteWriter,
    key: string,
    value: RedisValue | CompactString,
    expireAt: number,
    idleSeconds: number,
  ): void {
    if (expireAt !== 0) {
      out.byte(RdbOpcode.ExpireTimeMs);
      out.int64LE(expireAt);
    }
    if (idleSeconds >= 0) {
      out.byte(RdbOpcode.Idle);
      RdbValueEncoder.writeLength(out, idleSeconds);
    }
    encoder.writeKeyValue(out, key, value);
  }

  /** Bytes of complete records encoded elsewhere (encodeRecord), copied as they are. */
  raw(bytes: Uint8Array): void {
    this.out.bytes(bytes);
    if (this.out.length >= FLUSH_THRESHOLD) this.drain();
  }

  /** Hand the buffered bytes to the sink (folding them into the checksum). */
  drain(): void {
    const out = this.out;
    if (out.length === 0) return;
    this.crc.update(out.buffer, 0, out.length);
    this.sink.write(out.buffer.subarray(0, out.length));
    this.produced += out.length;
    out.reset();
  }

  /** EOF, the checksum, and a flush of the sink. Does not sync or close it. */
  finish(): void {
    this.out.byte(RdbOpcode.Eof);
    this.drain();
    const trailer = this.checksum ? this.crc.toBytes() : Buffer.alloc(8);
    this.sink.write(trailer);
    this.produced += 8;
    this.sink.flush();
  }
}
