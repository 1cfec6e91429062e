/*
 * Starting on the data of an older Redis: a single append-only file
 * `<dir>/<appendfilename>` (Redis before 7.0) becomes the base of a multi-part
 * AOF, as redis-server 7.0 upgrades it. The manifest naming it as the base is
 * written first, then the file is moved into the AOF directory, so a crash in
 * between is finished by the next start (the manifest names a base that is
 * still outside the directory).
 */

import { existsSync, renameSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  type AofManifest,
  type FileBackend,
  manifestFileName,
  parseManifest,
  persistManifest,
} from "@spinel/persistence";

/**
 * Move an old-style AOF at `<dir>/<prefix>` into `storage` as the base of a new
 * manifest when redis-server 7.0 would: the AOF directory does not exist, or it
 * has no manifest, or its manifest names only that base and the file is not in
 * the directory yet. Returns true when it upgraded.
 */
export function upgradeOldStyleAof(dir: string, storage: FileBackend, prefix: string): boolean {
  const old = resolve(dir, prefix);
  if (!existsSync(old) || !statSync(old).isFile()) return false;
  const manifestName = manifestFileName(prefix);
  let manifest: AofManifest | null = null;
  if (existsSync(storage.dir) && storage.exists(manifestName)) {
    try {
      manifest = parseManifest(storage.read(manifestName).toString("latin1"), manifestName);
    } catch {
      // A bad manifest is the loader's to report.
      return false;
    }
  }
  const unfinished =
    manifest !== null &&
    manifest.base?.name === prefix &&
    manifest.incr.length === 0 &&
    !storage.exists(prefix);
  if (manifest !== null && !unfinished) return false;
  storage.ensureDirectory();
  if (manifest === null)
    persistManifest(storage, prefix, { base: { name: prefix, seq: 1, type: "b" }, incr: [], history: [] });
  renameSync(old, join(storage.dir, prefix));
  storage.syncDirectory();
  return true;
}
