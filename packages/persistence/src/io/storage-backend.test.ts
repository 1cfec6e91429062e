import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FileBackend } from "./storage-backend.js";

/**
 * The asynchronous closes the backend starts, held back until the test lets
 * them run: what the file system looks like between rename() returning and the
 * thread pool's close can then be checked without a race.
 */
const pendingCloses = vi.hoisted(() => [] as Array<{ fd: number; run: () => void }>);

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const close = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    pendingCloses.push({ fd, run: () => fs.close(fd, callback) });
  };
  return { ...fs, default: { ...fs, close }, close };
});

/** What descriptor `fd` of this process refers to ("<path> (deleted)" once its file is gone). */
function target(fd: number): string {
  return readlinkSync(`/proc/self/fd/${fd}`);
}

/** Let the held-back closes run, and wait for them. */
async function runCloses(): Promise<void> {
  const closes = pendingCloses.splice(0);
  for (const close of closes) close.run();
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const hasProcFd = existsSync("/proc/self/fd");

describe("FileBackend", () => {
  let dir: string;
  let backend: FileBackend;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "spinel-backend-"));
    backend = new FileBackend(dir);
  });

  afterEach(async () => {
    await runCloses();
    rmSync(dir, { recursive: true, force: true });
  });

  // Freeing a large file's blocks takes milliseconds (about 9 ms for 30 MB on
  // ext4): rename() and remove() leave that to a close on the thread pool, so
  // the old file is still held open, unlinked, when they return.
  it.skipIf(!hasProcFd)(
    "rename() over a file leaves freeing the replaced file to the thread pool",
    async () => {
      writeFileSync(join(dir, "dump.rdb"), Buffer.alloc(1 << 20, 1));
      writeFileSync(join(dir, "temp.rdb"), "new contents");
      backend.rename("temp.rdb", "dump.rdb");
      expect(readFileSync(join(dir, "dump.rdb"), "latin1")).toBe("new contents");
      expect(existsSync(join(dir, "temp.rdb"))).toBe(false);
      expect(pendingCloses.map((close) => target(close.fd))).toEqual([`${join(dir, "dump.rdb")} (deleted)`]);
      const fd = pendingCloses[0]!.fd;
      await runCloses();
      expect(() => target(fd)).toThrow(/ENOENT/);
    },
  );

  it.skipIf(!hasProcFd)("remove() leaves freeing the file to the thread pool", async () => {
    writeFileSync(join(dir, "old.aof"), Buffer.alloc(1 << 20, 1));
    backend.remove("old.aof");
    expect(existsSync(join(dir, "old.aof"))).toBe(false);
    expect(pendingCloses.map((close) => target(close.fd))).toEqual([`${join(dir, "old.aof")} (deleted)`]);
  });

  it("rename() to a new name and remove() of a missing file hold nothing; a failed rename changes nothing", () => {
    writeFileSync(join(dir, "temp.rdb"), "contents");
    backend.rename("temp.rdb", "dump.rdb");
    backend.remove("missing.rdb");
    expect(pendingCloses).toEqual([]);
    expect(readFileSync(join(dir, "dump.rdb"), "latin1")).toBe("contents");
    expect(() => backend.rename("missing.rdb", "dump.rdb")).toThrow(/ENOENT/);
    expect(readFileSync(join(dir, "dump.rdb"), "latin1")).toBe("contents");
  });
});
