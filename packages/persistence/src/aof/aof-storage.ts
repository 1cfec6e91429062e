/*
 * Where the files of a multi-part AOF live: the storage backend of the AOF.
 *
 * The AOF sees only this small interface (a flat directory of named files that
 * can be appended to, synced, truncated, renamed and removed), so the backend is
 * a choice of configuration: FileAofStorage keeps the files in
 * `<dir>/<appenddirname>` (the default, what redis-server reads), MemoryAofStorage
 * keeps them in memory (tests, experiments). Every method is synchronous: the
 * writer runs at the end of a loop turn and must be done before replies leave.
 * Errors are thrown as Node's errors (with `code`, e.g. ENOSPC) and handled by
 * the AOF according to redis-server's rules.
 */

import {
  closeSync,
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

/** An open file of the AOF, written at its end. */
export interface AofFileHandle {
  /** Bytes in the file. */
  readonly size: number;
  /** Append all of `bytes`; throws on failure (a partial write leaves `size` where the bytes stopped). */
  write(bytes: Uint8Array): void;
  /** Make what was written durable before returning. */
  sync(): void;
  /** Start making what was written durable; `done` runs when it is (with an error or null). */
  syncInBackground(done: (error: Error | null) => void): void;
  /** Cut the file back to `size` bytes (undo a partial write). */
  truncate(size: number): void;
  close(): void;
}

/** A flat directory of AOF files. */
export interface AofStorage {
  /** Where the files are, for messages ("appendonlydir", "memory"). */
  readonly location: string;
  /** Create the directory when it does not exist. */
  ensureDirectory(): void;
  /** Names of the files present (empty when the directory does not exist). */
  list(): string[];
  exists(name: string): boolean;
  /** The whole file. */
  read(name: string): Buffer;
  /** Size in bytes, 0 when missing. */
  size(name: string): number;
  /** Open for appending, creating it empty when missing (or emptying it when `truncate`). */
  open(name: string, truncate: boolean): AofFileHandle;
  /** Replace `to` by `from` atomically. */
  rename(from: string, to: string): void;
  /** Remove a file (missing is fine). */
  remove(name: string): void;
  /** Make renames and creations in the directory durable. */
  syncDirectory(): void;
}

// ------------------------------------------------------------------ files

class FileHandle implements AofFileHandle {
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

/** AOF files in a directory of the file system (the default backend). */
export class FileAofStorage implements AofStorage {
  readonly location: string;

  constructor(readonly directory: string) {
    this.location = directory;
  }

  /** Creates the AOF directory itself, not its parent: a missing `dir` is an error, as in Redis. */
  ensureDirectory(): void {
    try {
      mkdirSync(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }

  list(): string[] {
    return existsSync(this.directory) ? readdirSync(this.directory) : [];
  }

  exists(name: string): boolean {
    return existsSync(join(this.directory, name));
  }

  read(name: string): Buffer {
    return readFileSync(join(this.directory, name));
  }

  size(name: string): number {
    try {
      return statSync(join(this.directory, name)).size;
    } catch {
      return 0;
    }
  }

  open(name: string, truncate: boolean): AofFileHandle {
    return new FileHandle(join(this.directory, name), truncate);
  }

  rename(from: string, to: string): void {
    renameSync(join(this.directory, from), join(this.directory, to));
  }

  remove(name: string): void {
    try {
      unlinkSync(join(this.directory, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  syncDirectory(): void {
    const fd = openSync(this.directory, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

// ------------------------------------------------------------------ memory

class MemoryHandle implements AofFileHandle {
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

/** AOF files held in memory (tests, experiments): same contract, nothing on disk. */
export class MemoryAofStorage implements AofStorage {
  readonly location = "memory";
  /** The files, by name (tests may read and damage them). */
  readonly files = new Map<string, Buffer>();

  ensureDirectory(): void {}

  list(): string[] {
    return [...this.files.keys()];
  }

  exists(name: string): boolean {
    return this.files.has(name);
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

  open(name: string, truncate: boolean): AofFileHandle {
    if (truncate || !this.files.has(name)) this.files.set(name, Buffer.alloc(0));
    return new MemoryHandle(this.files, name);
  }

  rename(from: string, to: string): void {
    const bytes = this.read(from);
    this.files.delete(from);
    this.files.set(to, bytes);
  }

  remove(name: string): void {
    this.files.delete(name);
  }

  syncDirectory(): void {}
}
