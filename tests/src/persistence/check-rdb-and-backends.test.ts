/*
 * spinel-check-rdb on files written by redis-server (good, truncated, flipped),
 * compared with redis-check-rdb; and the server's in-memory storage backend
 * running the same save / reload cycle as the file backend.
 */

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MemoryBackend } from "@spinel/persistence";
import { startServer } from "@spinel/server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis } from "../support/servers.js";
import { datasetOfServer, populate } from "./datasets.js";

const checker = resolve(import.meta.dirname, "../../../apps/server/src/check-rdb.ts");

/** Run a program; resolves with its exit code and output. */
function run(program: string, args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(program, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      done({ code, output: stdout + stderr });
    });
  });
}

const spinelCheck = (file: string) =>
  run(process.execPath, ["--conditions=@spinel/source", "--import", "tsx", checker, file]);

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "spinel-check-rdb-"));
  const redis = await startRedis(["--dir", dir]);
  const client = new Redis({ port: redis.port, lazyConnect: true });
  await client.connect();
  await populate(client, 31);
  await client.call("SAVE");
  client.disconnect();
  await redis.stop();
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("spinel-check-rdb", () => {
  it("accepts redis-server's file and counts what redis-check-rdb counts", async () => {
    const file = join(dir, "dump.rdb");
    const ours = await spinelCheck(file);
    const theirs = await run("redis-check-rdb", [file]);
    expect(ours.code).toBe(0);
    expect(theirs.code).toBe(0);
    expect(ours.output).toContain("\\o/ RDB looks OK! \\o/");
    expect(ours.output).toContain("Checksum OK");
    for (const line of ["keys read", "expires", "already expired"]) {
      const count = (text: string) => new RegExp(`\\[info\\] (\\d+) ${line}`).exec(text)?.[1];
      expect(count(ours.output), line).toBe(count(theirs.output));
    }
  });

  it("reports the first bad offset and why for truncated and flipped files, exit 1", async () => {
    const good = readFileSync(join(dir, "dump.rdb"));
    const truncated = join(dir, "truncated.rdb");
    writeFileSync(truncated, good.subarray(0, Math.floor(good.length / 2)));
    const cut = await spinelCheck(truncated);
    expect(cut.code).toBe(1);
    expect(cut.output).toContain("--- RDB ERROR DETECTED ---");
    expect(cut.output).toMatch(/\[offset \d+\] .*runs past the end/);
    const flipped = join(dir, "flipped.rdb");
    const bytes = Buffer.from(good);
    bytes[good.length - 100] = bytes[good.length - 100]! ^ 0x40;
    writeFileSync(flipped, bytes);
    const bad = await spinelCheck(flipped);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/\[offset \d+\] /);
    expect((await run("redis-check-rdb", [flipped])).code).not.toBe(0);
  });
});

describe("storage backends", () => {
  it("the memory backend keeps SAVE, BGSAVE and DEBUG RELOAD off the disk", async () => {
    const backend = new MemoryBackend();
    const server = await startServer({ storage: backend, config: { "enable-debug-command": "yes" } });
    const client = new Redis({ port: server.port, lazyConnect: true });
    await client.connect();
    try {
      await populate(client, 32);
      const before = await datasetOfServer(client);
      expect(await client.call("SAVE")).toBe("OK");
      expect(backend.get("dump.rdb")?.subarray(0, 9).toString()).toBe("REDIS0010");
      await client.set("later", "x");
      expect(await client.call("DEBUG", "RELOAD", "NOSAVE")).toBe("OK");
      expect(await datasetOfServer(client)).toEqual(before);
      expect(await client.call("BGSAVE")).toBe("Background saving started");
      for (
        let i = 0;
        i < 100 && (await client.info("persistence")).includes("rdb_bgsave_in_progress:1");
        i++
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await client.info("persistence")).toContain("rdb_saves:2");
    } finally {
      client.disconnect();
      await server.close();
    }
  });
});
