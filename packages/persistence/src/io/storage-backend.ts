/*
 * Storage backends: where the named files of persistence live, for the RDB
 * (dump.rdb and its temp file) and the AOF (the manifest, base and incremental
 * files, in a subdirectory). The server picks one by configuration; the RDB
 * and AOF code see only this interface and the sinks, sources and append
 * handles it opens. Two ship:
 *   - FileBackend: real files in a directory (`dir`), the default. Durable:
 *     sync() is fsync, rename() is rename(2) and syncDirectory() fsyncs the
 *     directory, so writing to a temp name, syncing and renaming replaces a
 *     file atomically.
 *   - MemoryBackend: named buffers in a Map, for tests, experiments and
 *     embedding. A sink's bytes become visible under its name when it is
 *     closed; an append handle writes into the map at once.
 * Every operation is synchronous (the AOF writer runs at the end of a loop
 * turn and must be done before replies leave) and throws Node's errors on
 * failure (with `code`: ENOSPC, EACCES ...), which the callers handle by
 * redis-server's rules. One part of the work is left to the thread pool:
 * freeing the blocks of a file that rename() replaces or remove() deletes
 * (about 9 ms for a 30 MB file on ext4, which the caller has no reason to wait
 * for), see releaseLater().
 */

import {
  accessSync,
  close,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { ByteSink, ByteSource } from "./byte-stream.js";
import { FileSink, FileSource } from "./file-stream.js";
import { MemorySink, MemorySource } from "./memory-stream.js";

/** A file open for appending (the AOF's incremental and base files). */
export interface AppendHandle {
  /** Bytes in the file. */
  readonly size: number;
  /** Append all of `bytes`; throws on failure (a partial write leaves `size` where the bytes stopped). */
  write(bytes: Uint8Array): void;
  /** Make what was written durable before returning. */
  sync(): void;
  /** Start making what was written durable; `done` runs when it is (with an error or null). */
  syncInBackground(done: (error: Error | null) => void): void;
  /** Cut the file back to `size` bytes (undo a partial write, drop a cut tail). */
  truncate(size: number): void;
  close(): void;
}

/** A flat place holding named byte files, with named subdirectories. */
export interface StorageBackend {
  /** Where the files are, for messages (a directory path, or "memory"). */
  readonly location: string;
  /** What the backend is, for logs ("dir /var/lib/spinel", "memory"). */
  readonly description: string;
  /** Create (or truncate) `name` and return a sink writing to it. */
  openSink(name: string): ByteSink;
  /** A source reading `name` from its start; throws when it does not exist. */
  openSource(name: string): ByteSource;
  /** Open `name` for appending, creating it empty when missing (or emptying it when `truncate`). */
  open(name: string, truncate: boolean): AppendHandle;
  /** The whole of `name`; throws when it does not exist. */
  read(name: string): Buffer;
  /** Size of `name` in bytes, 0 when missing. */
  size(name: string): number;
  /** Names of the files present (empty when the directory does not exist). */
  list(): string[];
  /** True when `name` exists. */
  exists(name: string): boolean;
  /** Replace `to` with `from` atomically (`from` disappears). */
  rename(from: string, to: string): void;
  /** Remove `name` if it exists. */
  remove(name: string): void;
  /** Throws when the backend cannot store anything (missing or read-only directory). */
  checkWritable(): void;
  /** Create the directory itself when missing (not its parents: a missing `dir` stays an error). */
  ensureDirectory(): void;
  /** Make renames and creations in the directory durable. */
  syncDirectory(): void;
  /** The backend of subdirectory `name` (appenddirname for the AOF); the same one each time for memory. */
  subdirectory(name: string): StorageBackend;
}

// ------------------------------------------------------------------ files

/** A file of a directory, open for appending. */
class FileAppendHandle implements AppendHandle {
  private fd: number;
  size: number;

  constructor(path: string, truncate: boolean) {
    this.fd = openSync(path, truncate ? "w" : "a");
    this.size = fstatSync(this.fd).size;
  }

  write(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      const written = writeSync(this.fd, bytes, offset, bytes.length - offset);
      offset += written;
      this.size += written;
    }
  }

  sync(): void {
    fsyncSync(this.fd);
  }

  syncInBackground(done: (error: Error | null) => void): void {
    fsync(this.fd, (error) => done(error ?? null));
  }

  truncate(size: number): void {
    ftruncateSync(this.fd, size);
    this.size = size;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Files in one directory. */
export class FileBackend implements StorageBackend {
  readonly dir: string;
  readonly location: string;
  readonly description: string;

  constructor(dir: string) {
    this.dir = dir;
    this.location = dir;
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

  open(name: string, truncate: boolean): AppendHandle {
    return new FileAppendHandle(this.pathOf(name), truncate);
  }

  read(name: string): Buffer {
    return readFileSync(this.pathOf(name));
  }

  size(name: string): number {
    try {
      return statSync(this.pathOf(name)).size;
    } catch {
      return 0;
    }
  }

  list(): string[] {
    return existsSync(this.dir) ? readdirSync(this.dir) : [];
  }

  exists(name: string): boolean {
    return existsSync(this.pathOf(name));
  }

  /** rename(2); the file `to` held before is freed on the thread pool (see releaseLater()). */
  rename(from: string, to: string): void {
    const replaced = holdOpen(this.pathOf(to));
    try {
      renameSync(this.pathOf(from), this.pathOf(to));
    } finally {
      releaseLater(replaced);
    }
  }

  /** unlink(2), ignoring a missing file; the blocks are freed on the thread pool (see releaseLater()). */
  remove(name: string): void {
    const path = this.pathOf(name);
    const removed = holdOpen(path);
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    } finally {
      releaseLater(removed);
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

  ensureDirectory(): void {
    try {
      mkdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }

  syncDirectory(): void {
    const fd = openSync(this.dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  subdirectory(name: string): FileBackend {
    return new FileBackend(join(this.dir, name));
  }
}

/**
 * A read-only descriptor of the file at `path`, or -1 when there is none (or
 * it cannot be opened: the caller then unlinks or replaces it the ordinary
 * way). Non-blocking, so a FIFO put in a file's place does not hang the open.
 */
function holdOpen(path: string): number {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return -1;
  }
}

/**
 * Close `fd` (from holdOpen(), -1 for none) on the thread pool. When the file
 * was unlinked or renamed over meanwhile, this close drops its last reference
 * and the kernel frees its blocks there, not in the rename(2) or unlink(2) on
 * the event loop. A crash before the close loses nothing: the kernel closes the
 * descriptor and frees the file then.
 */
function releaseLater(fd: number): void {
  if (fd < 0) return;
  close(fd, () => {
    // nothing waits for it, and closing a read-only descriptor has nothing to report
  });
}

// ------------------------------------------------------------------ memory

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

/** A named buffer of a MemoryBackend, open for appending. */
class MemoryAppendHandle implements AppendHandle {
  constructor(
    private readonly files: Map<string, Buffer>,
    private readonly name: string,
  ) {}

  get size(): number {
    return this.files.get(this.name)?.length ?? 0;
  }

  write(bytes: Uint8Array): void {
    const current = this.files.get(this.name) ?? Buffer.alloc(0);
    this.files.set(this.name, Buffer.concat([current, bytes]));
  }

  sync(): void {}

  syncInBackground(done: (error: Error | null) => void): void {
    queueMicrotask(() => done(null));
  }

  truncate(size: number): void {
    const current = this.files.get(this.name) ?? Buffer.alloc(0);
    this.files.set(this.name, Buffer.from(current.subarray(0, size)));
  }

  close(): void {}
}

/** Named buffers in memory. */
export class MemoryBackend implements StorageBackend {
  readonly location: string = "memory";
  readonly description: string = "memory";
  /** The files, by name (tests may read and damage them). */
  readonly files = new Map<string, Buffer>();
  private readonly children = new Map<string, MemoryBackend>();

  openSink(name: string): ByteSink {
    this.files.set(name, Buffer.alloc(0));
    return new PublishingMemorySink((bytes) => this.files.set(name, bytes));
  }

  openSource(name: string): ByteSource {
    return new MemorySource(this.read(name));
  }

  open(name: string, truncate: boolean): AppendHandle {
    if (truncate || !this.files.has(name)) this.files.set(name, Buffer.alloc(0));
    return new MemoryAppendHandle(this.files, name);
  }

  read(name: string): Buffer {
    const bytes = this.files.get(name);
    if (bytes === undefined) {
      const error = new Error(`ENOENT: no such file '${name}'`) as NodeJS.ErrnoException;
      error.code = "ENOENT";
      throw error;
    }
    return bytes;
  }

  size(name: string): number {
    return this.files.get(name)?.length ?? 0;
  }

  list(): string[] {
    return [...this.files.keys()];
  }

  exists(name: string): boolean {
    return this.files.has(name);
  }

  rename(from: string, to: string): void {
    const bytes = this.read(from);
    this.files.delete(from);
    this.files.set(to, bytes);
  }

  remove(name: string): void {
    this.files.delete(name);
  }

  checkWritable(): void {}

  ensureDirectory(): void {}

  syncDirectory(): void {}

  subdirectory(name: string): MemoryBackend {
    let child = this.children.get(name);
    if (child === undefined) {
      child = new MemoryBackend();
      this.children.set(name, child);
    }
    return child;
  }

  /** The bytes stored under `name` (tests, embedding), or undefined. */
  get(name: string): Buffer | undefined {
    return this.files.get(name);
  }

  /** Store `bytes` under `name` (tests, embedding). */
  put(name: string, bytes: Buffer): void {
    this.files.set(name, bytes);
  }
}
