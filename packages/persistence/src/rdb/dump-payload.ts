/*
 * DUMP / RESTORE payloads as redis-server 7.0 makes them: the value-type byte
 * and the value encoded as in an RDB file, then the RDB version as 2 bytes
 * little-endian, then the CRC-64 of everything before it (8 bytes LE).
 */

import type { EncodingLimits, RedisValue } from "@spinel/core-db";
import { Crc64 } from "@spinel/core-db";
import { MemorySource } from "../io/memory-stream.js";
import { ByteWriter } from "./byte-writer.js";
import { RdbError } from "./rdb-error.js";
import { RDB_VERSION } from "./rdb-format.js";
import { RdbInput } from "./rdb-input.js";
import { readValue } from "./rdb-value-decoder.js";
import { RdbValueEncoder } from "./rdb-value-encoder.js";

/** Settings of DUMP (rdbcompression and the list node size). */
export interface DumpOptions {
  compression?: boolean;
  limits?: EncodingLimits;
}

/** The DUMP payload of `value`. */
export function createDumpPayload(value: RedisValue, options: DumpOptions = {}): Buffer {
  const encoder = new RdbValueEncoder(options.compression ?? true, options.limits ?? null);
  const out = new ByteWriter(256);
  out.byte(RdbValueEncoder.typeOf(value));
  encoder.writeValue(out, value);
  out.uint16LE(RDB_VERSION);
  const crc = new Crc64();
  crc.update(out.buffer, 0, out.length);
  out.bytes(crc.toBytes());
  return Buffer.from(out.view());
}

/**
 * True when `payload` has a footer Spinel accepts: a version it can read and a
 * matching CRC-64 (Redis' verifyDumpPayload).
 */
export function verifyDumpPayload(payload: Buffer): boolean {
  if (payload.length < 10) return false;
  const footer = payload.length - 10;
  const version = payload.readUInt16LE(footer);
  if (version > RDB_VERSION) return false;
  const crc = new Crc64();
  crc.update(payload, 0, payload.length - 8);
  return crc.matches(payload, payload.length - 8);
}

/**
 * Decode the value of a verified payload. Throws an RdbError when the value is
 * malformed, of a type Spinel lacks, or empty. As redis-server 7.0 does (with
 * sanitize-dump-payload off, its default), the value is read from the whole
 * payload, footer included, and bytes left after it are ignored: RESTORE
 * accepts exactly the payloads redis-server accepts.
 */
export function decodeDumpPayload(payload: Buffer, key: string, limits: EncodingLimits): RedisValue {
  const input = new RdbInput(new MemorySource(payload));
  const type = input.byte("value type");
  const value = readValue(input, type, key, limits);
  if (value === null) throw new RdbError(0, "empty value");
  return value;
}
