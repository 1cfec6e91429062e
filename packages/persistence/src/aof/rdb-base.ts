/*
 * The AOF base as an RDB (aof-use-rdb-preamble yes, redis-server 7.0's
 * default): the base file `<prefix>.<seq>.base.rdb` is an RDB file written by
 * the RDB writer with the aof-base aux field set, and loading such a base goes
 * through the RDB loader. Both directions are plain adapters: the AOF code sees
 * an AofBaseWriter and a loadRdbPreamble callback, the RDB code sees a ByteSink
 * and a ByteSource.
 */

import type { Keyspace } from "@spinel/core-db";
import type { ByteSink } from "../io/byte-stream.js";
import { MemorySource } from "../io/memory-stream.js";
import { RdbError } from "../rdb/rdb-error.js";
import { RdbLoader, type RdbLoadOptions } from "../rdb/rdb-loader.js";
import { type SnapshotOptions, saveRdb } from "../rdb/snapshot-job.js";
import { AofLoadError } from "./aof-loader.js";
import type { AofBaseWriter } from "./base-writer.js";

/** A ByteSink that hands every chunk to a callback (the AOF base file's write). */
export class CallbackSink implements ByteSink {
  private written: number;
  private readonly write_: (chunk: Buffer) => void;

  constructor(write: (chunk: Buffer) => void) {
    this.write_ = write;
    this.written = 0;
  }

  /** Hand `chunk` on; the receiver writes it before returning, so it may be reused. */
  write(chunk: Uint8Array): void {
    this.written += chunk.length;
    this.write_(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
  }

  /** Nothing buffered here. */
  flush(): void {}

  /** The receiver owns durability (the rewrite syncs the base file). */
  sync(): void {}

  /** Nothing to release. */
  close(): void {}

  get position(): number {
    return this.written;
  }
}

/**
 * An AofBaseWriter that writes the dataset as an RDB file (aof-base aux field
 * 1), with the RDB settings in `options` (compression, checksum, limits).
 * Synchronous, like saveRdb: the file is the dataset at the call.
 */
export function rdbBaseWriter(options: SnapshotOptions = {}): AofBaseWriter {
  return (keyspace, write, functionLibraries = []) => {
    const sink = new CallbackSink(write);
    saveRdb(keyspace, sink, { ...options, functionLibraries, aofBase: true });
    sink.flush();
    return sink.position;
  };
}

/**
 * The AOF loader's loadRdbPreamble for `keyspace`: decodes the RDB at the start
 * of a base file into the keyspace (replacing its contents: the base comes
 * first) and returns the bytes it used, so the AOF tail after it (an old-style
 * preamble AOF) is replayed as commands. A damaged RDB throws an AofLoadError
 * naming the base file, the offset and the reason. `options.restoreFunctions`
 * receives the base's function libraries (see RdbLoadOptions).
 */
export function rdbPreambleLoader(
  keyspace: Keyspace,
  options: RdbLoadOptions = {},
): (bytes: Buffer, file: string) => number {
  return (bytes, file) => {
    try {
      const loader = new RdbLoader(new MemorySource(bytes), keyspace, options);
      while (!loader.step(1 << 30)) {
        // one step decodes the whole preamble
      }
      return loader.result.bytes;
    } catch (error) {
      if (error instanceof RdbError) {
        throw new AofLoadError(file, error.offset, `${error.reason} (RDB preamble of the AOF base)`);
      }
      throw error;
    }
  };
}
