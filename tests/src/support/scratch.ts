/*
 * Test scaffolding shared by the files that restart servers on their own data:
 * a temporary root directory per test file (removed after the file) with fresh
 * subdirectories on demand, and an ioredis connection that fails at once instead
 * of retrying (a server that is down must show, not be waited for).
 */

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";

/**
 * Register a temporary root named after `prefix` for the calling test file
 * (created before its tests, removed with everything in it after them) and
 * return a function that makes a new, empty subdirectory of it per call.
 */
export function useScratchDirectories(prefix: string): () => string {
  let root = "";
  let count = 0;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });
  return () => {
    const dir = join(root, `d${count++}`);
    mkdirSync(dir);
    return dir;
  };
}

/** An ioredis client of 127.0.0.1:`port`, connected, with no retries and no reconnects. */
export async function connectOnce(port: number): Promise<Redis> {
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await client.connect();
  return client;
}
