/**
 * @spinel/persistence: RDB snapshots and the append-only file, written to and read
 * from byte sinks and sources so that storage backends can be swapped.
 */

// Byte sinks, sources and storage backends
export type { ByteSink, ByteSource } from "./io/byte-stream.js";
export { FileSink, FileSource } from "./io/file-stream.js";
export { MemorySink, MemorySource } from "./io/memory-stream.js";
export { FileBackend, MemoryBackend, type StorageBackend } from "./io/storage-backend.js";

// RDB
export { Crc64, crc64 } from "./rdb/crc64.js";
export {
  createDumpPayload,
  type DumpOptions,
  decodeDumpPayload,
  verifyDumpPayload,
} from "./rdb/dump-payload.js";
export { lzfCompress, lzfDecompress } from "./rdb/lzf.js";
export { RdbError } from "./rdb/rdb-error.js";
export { RDB_VERSION, RdbOpcode, RdbType, REDIS_COMPAT_VERSION } from "./rdb/rdb-format.js";
export { loadRdb, RdbLoader, type RdbLoadOptions, type RdbLoadResult } from "./rdb/rdb-loader.js";
export { RdbFileWriter, type RdbWriteOptions } from "./rdb/rdb-writer.js";
export { type SnapshotJob, type SnapshotOptions, saveRdb, startSnapshot } from "./rdb/snapshot-job.js";
