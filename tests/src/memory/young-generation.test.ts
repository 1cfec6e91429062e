/*
 * The standalone server gives V8's young generation back once it is quiet: a
 * bulk load grows the young generation to its maximum (32 MB), and without a
 * scavenge at a low allocation rate V8 would keep it resident forever. Under a
 * steady load the server leaves it at full size (throughput needs it).
 *
 * Both tests run spinel-server as a real process (main.ts, without --expose-gc,
 * so the run-time route to gc() is the one exercised) and read the young
 * generation's size from MEMORY MALLOC-STATS and the process' RSS from INFO.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { spawnSpinel } from "../support/servers.js";
import { infoNumber } from "./memory-support.js";

type Spawned = Awaited<ReturnType<typeof spawnSpinel>>;

const MB = 1024 * 1024;
/** The trimmer leaves a young generation of this size or less alone (young-generation.ts). */
const TRIMMED_BYTES = 4 * MB;

let spinel: Spawned | undefined;
let client: Redis | undefined;

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  await spinel?.stop();
  spinel = undefined;
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Committed size of the young generation (`size`) or the bytes its objects take (`used`), from MEMORY MALLOC-STATS. */
async function youngGenerationBytes(redis: Redis, figure: "size" | "used" = "size"): Promise<number> {
  const text = String(await redis.call("MEMORY", "MALLOC-STATS"));
  const match = /^space new_space: size (\d+) used (\d+)/m.exec(text);
  if (match === null) throw new Error(`no new_space line in MEMORY MALLOC-STATS:\n${text}`);
  return Number(figure === "size" ? match[1] : match[2]);
}

/** 100k hashes of 10 fields, pipelined: enough surviving objects to grow the young generation. */
async function bulkLoad(redis: Redis): Promise<void> {
  for (let start = 0; start < 100_000; start += 2_000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < start + 2_000; i++) {
      const fields: string[] = [];
      for (let f = 0; f < 10; f++) fields.push(`field:${f}`, `value:${i}:${f}`);
      pipeline.hset(`hash:${i}`, ...fields);
    }
    await pipeline.exec();
  }
}

async function connect(extraArgs: readonly string[] = []): Promise<Redis> {
  spinel = await spawnSpinel(["--save", "", "--appendonly", "no", ...extraArgs], 30_000);
  client = new Redis({ port: spinel.port, lazyConnect: true });
  await client.connect();
  return client;
}

describe("young generation trimming", () => {
  it("shrinks the young generation after a bulk load once the server is quiet", async () => {
    const redis = await connect();
    await bulkLoad(redis);
    const grown = await youngGenerationBytes(redis);
    expect(grown).toBeGreaterThan(TRIMMED_BYTES);
    const rssAfterLoad = await infoNumber(redis, "used_memory_rss");

    // Quiet from here on: two commands a second are far below the trimmer's threshold.
    let size = grown;
    for (let waited = 0; waited < 30_000 && size > TRIMMED_BYTES; waited += 500) {
      await sleep(500);
      size = await youngGenerationBytes(redis);
    }
    expect(size).toBeLessThanOrEqual(TRIMMED_BYTES);
    // The pages really went back: RSS fell by most of what the young generation gave up.
    const rssAfterTrim = await infoNumber(redis, "used_memory_rss");
    expect(rssAfterLoad - rssAfterTrim).toBeGreaterThan((grown - size) / 2);
    // The data is all there.
    expect(await redis.dbsize()).toBe(100_000);
    expect(await redis.hget("hash:99999", "field:9")).toBe("value:99999:9");
  }, 90_000);

  it("leaves the young generation at full size while commands keep coming", async () => {
    const redis = await connect();
    await bulkLoad(redis);
    expect(await youngGenerationBytes(redis)).toBeGreaterThan(TRIMMED_BYTES);

    // About 10k writes a second for 8 s: several trimmer intervals, none of them quiet.
    const until = Date.now() + 8_000;
    let smallest = Number.POSITIVE_INFINITY;
    let round = 0;
    while (Date.now() < until) {
      const pipeline = redis.pipeline();
      for (let i = 0; i < 100; i++) pipeline.set(`key:${round % 1000}:${i}`, `value:${round}`);
      await pipeline.exec();
      round++;
      if (round % 20 === 0) smallest = Math.min(smallest, await youngGenerationBytes(redis));
      await sleep(10);
    }
    expect(round).toBeGreaterThan(100);
    expect(smallest).toBeGreaterThan(TRIMMED_BYTES);
  }, 90_000);

  it("moves a freshly loaded dataset out of the young generation before serving it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spinel-young-"));
    try {
      const redis = await connect(["--dir", dir, "--enable-debug-command", "yes"]);
      await bulkLoad(redis);
      // SAVE, then load the file in one go: the tail of the loaded hashes ends up
      // young (4.7-12 MB of them measured without the promotion). Right after
      // each load two scavenges ran: what is young is only what the command
      // since allocated.
      for (let reload = 0; reload < 3; reload++) {
        expect(await redis.call("DEBUG", "RELOAD")).toBe("OK");
        expect(await youngGenerationBytes(redis, "used")).toBeLessThan(MB);
      }
      expect(await redis.dbsize()).toBe(100_000);
      expect(await redis.hget("hash:99999", "field:9")).toBe("value:99999:9");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
