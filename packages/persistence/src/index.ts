/**
 * @spinel/persistence: RDB snapshots and the append-only file, written to and read
 * from byte sinks and sources so that storage backends can be swapped (files by
 * default, memory for tests and embedding).
 *
 * It may import @spinel/resp and @spinel/core-db, nothing above them: commands
 * are replayed through an injected target (AofReplayTarget), and the AOF follows
 * the propagation stream through the structural StreamConsumer shape
 * (`selectedDb`, `append(argv)`).
 */

export {
  type AofFileReplay,
  AofFileReplayer,
  AofLoadError,
  AofLoader,
  type AofLoadOptions,
  type AofLoadResult,
  type AofReplayTarget,
  loadAof,
  readManifest,
  replayAofBytes,
} from "./aof/aof-loader.js";
export {
  type AofLog,
  type AppendFsync,
  AppendOnlyFile,
  type AppendOnlyFileOptions,
  describeIoError,
  persistManifest,
  removeAofTempFiles,
} from "./aof/append-only-file.js";
export { type AofBaseWriter, formatScore, writeAofBase } from "./aof/base-writer.js";
export {
  type AofFileCheck,
  analysedLine,
  type CheckAofOutcome,
  checkAofBytes,
  checkAofPath,
} from "./aof/check-aof.js";
export { CommandBuffer } from "./aof/command-buffer.js";
export {
  type AofFileInfo,
  type AofFileType,
  type AofManifest,
  AofManifestError,
  baseFileName,
  emptyManifest,
  formatManifest,
  incrFileName,
  manifestFileName,
  parseManifest,
  tempBaseFileName,
  tempManifestFileName,
} from "./aof/manifest.js";
export { CallbackSink, rdbBaseWriter, rdbPreambleLoader } from "./aof/rdb-base.js";
export type { ByteSink, ByteSource } from "./io/byte-stream.js";
export { FileSink, FileSource } from "./io/file-stream.js";
export { MemorySink, MemorySource } from "./io/memory-stream.js";
export { type AppendHandle, FileBackend, MemoryBackend, type StorageBackend } from "./io/storage-backend.js";
export {
  createDumpPayload,
  type DumpOptions,
  decodeDumpPayload,
  verifyDumpPayload,
} from "./rdb/dump-payload.js";
export { RdbError } from "./rdb/rdb-error.js";
export { RDB_VERSION, RdbOpcode, RdbType, REDIS_COMPAT_VERSION } from "./rdb/rdb-format.js";
export { loadRdb, RdbLoader, type RdbLoadOptions, type RdbLoadResult } from "./rdb/rdb-loader.js";
export { RdbFileWriter, type RdbWriteOptions } from "./rdb/rdb-writer.js";
export { type SnapshotJob, type SnapshotOptions, saveRdb, startSnapshot } from "./rdb/snapshot-job.js";
