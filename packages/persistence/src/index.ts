/**
 * @spinel/persistence: RDB snapshots and the append-only file, written to and read
 * from storage backends that can be swapped (files by default, memory for tests).
 *
 * It may import @spinel/resp and @spinel/core-db, nothing above them: commands
 * are replayed through an injected target (AofReplayTarget), and the AOF follows
 * the propagation stream through the structural StreamConsumer shape
 * (`selectedDb`, `append(argv)`).
 */

// ------------------------------------------------------------------ AOF
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
  type AofFileHandle,
  type AofStorage,
  FileAofStorage,
  MemoryAofStorage,
} from "./aof/aof-storage.js";
export {
  type AofLog,
  type AppendFsync,
  AppendOnlyFile,
  type AppendOnlyFileOptions,
  describeIoError,
  persistManifest,
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
  tempManifestFileName,
} from "./aof/manifest.js";
