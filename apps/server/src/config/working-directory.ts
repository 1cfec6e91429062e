/*
 * The `dir` check at start-up: redis-server changes into `dir` while reading its
 * configuration and stops with a fatal configuration error when it cannot (the
 * directory does not exist, is not a directory, or cannot be entered). Spinel
 * does not change its process directory (an embedded server shares its process),
 * but refuses the same directories with the same words.
 */

import { accessSync, constants, statSync } from "node:fs";
import { ConfigError, type Directive } from "./config-file.js";

/**
 * Why `dir` cannot be the working directory, in the words of strerror() as
 * redis-server prints them, or null when it can. `access` is the access the
 * caller needs (entering it by default; the file backend also needs to write).
 */
export function workingDirectoryError(dir: string, access: number = constants.X_OK): string | null {
  try {
    if (!statSync(dir).isDirectory()) return "Not a directory";
    accessSync(dir, access);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "No such file or directory";
    if (code === "ENOTDIR") return "Not a directory";
    if (code === "EACCES" || code === "EPERM") return "Permission denied";
    if (code === "ELOOP") return "Too many levels of symbolic links";
    if (code === "ENAMETOOLONG") return "File name too long";
    return (error as Error).message;
  }
}

/**
 * Throw redis-server's fatal configuration error for the last `dir` directive
 * when that directory cannot be used (the last one wins, as it does for the value).
 */
export function checkWorkingDirectory(directives: readonly Directive[]): void {
  let last: Directive | undefined;
  for (const directive of directives) if (directive.name === "dir") last = directive;
  if (last === undefined || last.args.length !== 1) return;
  const reason = workingDirectoryError(last.args[0]!);
  if (reason !== null) throw new ConfigError(last.line, last.text, reason);
}
