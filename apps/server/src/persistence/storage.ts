/*
 * Choosing the storage backend at start-up: files in `dir` (the default), or
 * memory (embedding, tests). `dir` must exist and be writable, as redis-server
 * requires (it chdirs there); otherwise start-up fails with redis-server's
 * fatal configuration report.
 */

import { constants } from "node:fs";
import { resolve } from "node:path";
import { FileBackend, MemoryBackend, type StorageBackend } from "@spinel/persistence";
import { ConfigError, type Directive } from "../config/config-file.js";
import { workingDirectoryError } from "../config/working-directory.js";

/** What SpinelServerOptions.storage may say: "file" (default), "memory", or a backend object. */
export type StorageChoice = "file" | "memory" | StorageBackend;

/**
 * The backend for `choice`. For files, checks that `dir` is an existing,
 * writable directory; throws a ConfigError pointing at the `dir` directive
 * (or at the default) otherwise.
 */
export function createStorageBackend(
  choice: StorageChoice | undefined,
  dir: string,
  directives: readonly Directive[],
): StorageBackend {
  if (choice === "memory") return new MemoryBackend();
  if (choice !== undefined && choice !== "file") return choice;
  const path = resolve(dir);
  const directive = [...directives].reverse().find((d) => d.name === "dir");
  const fail = (reason: string): never => {
    throw new ConfigError(directive?.line ?? 0, directive?.text ?? `dir "${dir}"`, reason);
  };
  const reason = workingDirectoryError(path, constants.W_OK | constants.X_OK);
  if (reason !== null) fail(reason);
  return new FileBackend(path);
}
