/*
 * Constants of the RDB format as redis-server 7.0 writes it (RDB version 10):
 * value types, opcodes, length and string encodings.
 */

/** The version this writer produces (redis-server 7.0). */
export const RDB_VERSION = 10;
/** The newest version the reader accepts. */
export const RDB_MAX_READ_VERSION = 10;
/** The Redis version written in the redis-ver aux field and DUMP payloads' peers. */
export const REDIS_COMPAT_VERSION = "7.0.15";

/** Value types (the byte before a key). */
export enum RdbType {
  String = 0,
  List = 1,
  Set = 2,
  ZSet = 3,
  Hash = 4,
  ZSet2 = 5,
  ModulePreGa = 6,
  Module2 = 7,
  HashZipmap = 9,
  ListZiplist = 10,
  SetIntset = 11,
  ZSetZiplist = 12,
  HashZiplist = 13,
  ListQuicklist = 14,
  StreamListpacks = 15,
  HashListpack = 16,
  ZSetListpack = 17,
  ListQuicklist2 = 18,
  StreamListpacks2 = 19,
  SetListpack = 20,
  StreamListpacks3 = 21,
}

/** Opcodes (in place of a value type). */
export enum RdbOpcode {
  Function2 = 245,
  FunctionPreGa = 246,
  ModuleAux = 247,
  Idle = 248,
  Freq = 249,
  Aux = 250,
  ResizeDb = 251,
  ExpireTimeMs = 252,
  ExpireTime = 253,
  SelectDb = 254,
  Eof = 255,
}

/** Special string encodings (a length byte 11xxxxxx). */
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** Quicklist node containers (RDB_TYPE_LIST_QUICKLIST_2). */
export const QUICKLIST_NODE_PLAIN = 1;
export const QUICKLIST_NODE_PACKED = 2;

/** A name for a value type in messages ("stream", "module", ...). */
export function rdbTypeName(type: number): string {
  switch (type) {
    case RdbType.StreamListpacks:
    case RdbType.StreamListpacks2:
    case RdbType.StreamListpacks3:
      return "stream";
    case RdbType.ModulePreGa:
    case RdbType.Module2:
      return "module";
    case RdbType.SetListpack:
      return "set (listpack, RDB 11)";
    default:
      return `type ${type}`;
  }
}
