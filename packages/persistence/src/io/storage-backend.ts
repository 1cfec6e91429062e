/*
 * Storage backends: where named files (dump.rdb, its temp file) live. The server
 * picks one by configuration; the RDB code sees only the sinks and sources a
 * backend opens. Two ship:
 *   - FileBackend: real files in a directory (`dir`), the default. Durable:
 *     a sink's sync() is fsync and rename() is rename(2), so writing to a temp
 *     name, syncing and renaming replaces a file atomically.
 *   - MemoryBackend: named buffers in a Map, for tests and embedding. A sink's
 *     bytes become visible under its name when it is closed.
 */

import { accessSync, constants, existsSync, renameSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { ByteSink, ByteSource } from "./byte-stream.js";
import { FileSink, FileSource } from "./file-stream.js";
import { MemorySink, MemorySource } from "./memory-stream.js";

/**
 * A place holding named byte files. All operations are synchronous and throw on
 * failure (errors carry the system's reason, e.g. ENOSPC or EACCES).
 */
export interface StorageBackend {
  /** What the backend is, for logs ("dir /var/lib/spinel", "memory"). */
  readonly description: string;
  /** Create (or truncate) `name` and return a sink writing to it. */
  openSink(name: string): ByteSink;
  /** A source reading `name` from its start; throws when it does not exist. */
  openSource(name: string): ByteSource;
  /** True when `name` exists. */
  exists(name: string): boolean;
  /** Replace `to` with `from` atomically (`from` disappears). */
  rename(from: string, to: string): void;
  /** Remove `name` if it exists. */
  remove(name: string): void;
  /** Throws when the backend cannot store anything (missing or read-only directory). */
  checkWritable(): void;
}

/** Files in one directory. */
export class FileBackend implements StorageBackend {
  readonly dir: string;
  readonly description: string;

  constructor(dir: string) {
    this.dir = dir;
    this.description = `dir ${dir}`;
  }

  /** Absolute (or dir-relative) path of `name`. */
  pathOf(name: string): string {
    return join(this.dir, name);
  }

  openSink(name: string): FileSink {
    return new FileSink(this.pathOf(name));
  }

  openSource(name: string): FileSource {
    return new FileSource(this.pathOf(name));
  }

  exists(name: string): boolean {
    return existsSync(this.pathOf(name));
  }

  rename(from: string, to: string): void {
    renameSync(this.pathOf(from), this.pathOf(to));
  }

  remove(name: string): void {
    try {
      unlinkSync(this.pathOf(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  /** The directory exists, is a directory, and this process may create files in it. */
  checkWritable(): void {
    if (!statSync(this.dir).isDirectory()) {
      const error = new Error(`Not a directory: ${this.dir}`) as NodeJS.ErrnoException;
      error.code = "ENOTDIR";
      throw error;
    }
    accessSync(this.dir, constants.W_OK | constants.X_OK);
  }
}

/** A sink whose bytes are published under a name when it closes. */
class PublishingMemorySink extends MemorySink {
  private readonly publish: (bytes: Buffer) => void;

  constructor(publish: (bytes: Buffer) => void) {
    super();
    this.publish = publish;
  }

  override close(): void {
    super.close();
    this.publish(Buffer.from(this.contents()));
  }
}

/** Named buffers in memory. */
export class MemoryBackend implements StorageBackend {
  readonly description = "memory";
  private readonly files = new Map<string, Buffer>();

  openSink(name: string): ByteSink {
    this.files.set(name, Buffer.alloc(0));
    return new PublishingMemorySink((bytes) => this.files.set(name, bytes));
  }

  openSource(name: string): ByteSource {
    const bytes = this.files.get(name);
    if (bytes === undefined) {
      const error = new Error(`No such file: ${name}`) as NodeJS.ErrnoException;
      error.code = "ENOENT";
      throw error;
    }
    return new MemorySource(bytes);
  }

  exists(name: string): boolean {
    return this.files.has(name);
  }

  rename(from: string, to: string): void {
    const bytes = this.files.get(from);
    if (bytes === undefined) throw new Error(`No such file: ${from}`);
    this.files.delete(from);
    this.files.set(to, bytes);
  }

  remove(name: string): void {
    this.files.delete(name);
  }

  checkWritable(): void {}

  /** The bytes stored under `name` (tests, embedding), or undefined. */
  get(name: string): Buffer | undefined {
    return this.files.get(name);
  }

  /** Store `bytes` under `name` (tests, embedding). */
  put(name: string, bytes: Buffer): void {
    this.files.set(name, bytes);
  }
}
