/*
 * Eviction per maxmemory-policy, on Spinel and on a real redis-server 7.0 with
 * the same script: fill with a known access pattern, lower maxmemory to about
 * 60% of what the keys take on that server (CONFIG SET evicts at once), and
 * check which keys survive. LRU and LFU are sampled approximations on both
 * servers, so the checks are the shares of keys that survive, held to the
 * same bounds for both; the volatile-* rules (keys without a TTL are never
 * evicted) are exact.
 */

import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectIoredis, useServerPair } from "../support/client-comparison.js";
import { countPrefix, fillAndLimit, type LimitRun, writeKeys } from "./memory-support.js";

const KEYS = 2000;
const VALUE = 100;
const KEEP = 0.6;

const pair = useServerPair();

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Run `fill` under `policy` on both servers; return both runs. */
function onBoth(policy: string, fill: (client: Redis) => Promise<void>) {
  return pair.onBoth(connectIoredis, async (client) => {
    try {
      return await fillAndLimit(client, { policy, keyCount: KEYS, keep: KEEP, samples: 10 }, fill);
    } finally {
      await client.config("SET", "maxmemory", "0");
      await client.config("SET", "maxmemory-policy", "noeviction");
    }
  });
}

/** What every evicting run shares: keys went, memory is within the limit, evicted_keys counts them. */
function expectEvictedDown(run: LimitRun, label: string): void {
  expect(run.evicted, label).toBeGreaterThan(KEYS * 0.2);
  expect(run.survivors.size, label).toBe(KEYS - run.evicted);
}

describe("eviction policies, compared with redis-server", () => {
  it("allkeys-lru keeps the keys read since the fill", { timeout: 60_000 }, async () => {
    const runs = await onBoth("allkeys-lru", async (client) => {
      await writeKeys(client, "cold:", KEYS / 2, VALUE);
      await writeKeys(client, "hot:", KEYS / 2, VALUE);
      await sleep(2100); // The LRU clock counts seconds.
      const pipeline = client.pipeline();
      for (let i = 0; i < KEYS / 2; i++) pipeline.get(`hot:${i}`);
      await pipeline.exec();
    });
    for (const [label, run] of Object.entries(runs)) {
      expectEvictedDown(run, label);
      expect(countPrefix(run.survivors, "hot:"), label).toBeGreaterThan((KEYS / 2) * 0.95);
      expect(countPrefix(run.survivors, "cold:"), label).toBeLessThan((KEYS / 2) * 0.4);
    }
  });

  it("allkeys-lfu keeps the keys read often", { timeout: 60_000 }, async () => {
    const runs = await onBoth("allkeys-lfu", async (client) => {
      await writeKeys(client, "cold:", KEYS / 2, VALUE);
      await writeKeys(client, "hot:", KEYS / 2, VALUE);
      const pipeline = client.pipeline();
      for (let round = 0; round < 10; round++) for (let i = 0; i < KEYS / 2; i++) pipeline.get(`hot:${i}`);
      await pipeline.exec();
    });
    for (const [label, run] of Object.entries(runs)) {
      expectEvictedDown(run, label);
      expect(countPrefix(run.survivors, "hot:"), label).toBeGreaterThan((KEYS / 2) * 0.95);
      expect(countPrefix(run.survivors, "cold:"), label).toBeLessThan((KEYS / 2) * 0.4);
    }
  });

  for (const policy of ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"]) {
    it(`${policy} evicts only keys with a TTL`, { timeout: 60_000 }, async () => {
      const runs = await onBoth(policy, async (client) => {
        await writeKeys(client, "keep:", KEYS / 2, VALUE);
        await writeKeys(client, "ttl:", KEYS / 2, VALUE, (i) => 10_000 + i * 10);
      });
      for (const [label, run] of Object.entries(runs)) {
        expectEvictedDown(run, label);
        expect(countPrefix(run.survivors, "keep:"), label).toBe(KEYS / 2);
        expect(countPrefix(run.survivors, "ttl:"), label).toBe(KEYS / 2 - run.evicted);
      }
      if (policy === "volatile-ttl") {
        // The nearest deadlines go first: the survivors are the keys with the later TTLs.
        for (const [label, run] of Object.entries(runs)) {
          const indexes = [...run.survivors]
            .filter((k) => k.startsWith("ttl:"))
            .map((k) => Number(k.slice(4)));
          const mean = indexes.reduce((a, b) => a + b, 0) / Math.max(1, indexes.length);
          expect(mean, label).toBeGreaterThan((KEYS / 2) * 0.7);
        }
      }
    });
  }

  it("volatile-* with no key holding a TTL evicts nothing and refuses writes", {
    timeout: 60_000,
  }, async () => {
    const results = await pair.onBoth(connectIoredis, async (client) => {
      try {
        const run = await fillAndLimit(client, { policy: "volatile-lru", keyCount: KEYS, keep: KEEP }, (c) =>
          writeKeys(c, "keep:", KEYS, VALUE),
        );
        await client.config("SET", "maxmemory", String(run.maxmemory));
        const refused = await client.set("one:more", "x").catch((error: Error) => error.message);
        return { evicted: run.evicted, survivors: run.survivors.size, refused };
      } finally {
        await client.config("SET", "maxmemory", "0");
        await client.config("SET", "maxmemory-policy", "noeviction");
      }
    });
    expect(results.spinel).toEqual({
      evicted: 0,
      survivors: KEYS,
      refused: "OOM command not allowed when used memory > 'maxmemory'.",
    });
    expect(results.spinel).toEqual(results.redis);
  });

  it("allkeys-random evicts down to maxmemory", { timeout: 60_000 }, async () => {
    const runs = await onBoth("allkeys-random", (client) => writeKeys(client, "k:", KEYS, VALUE));
    for (const [label, run] of Object.entries(runs)) {
      expectEvictedDown(run, label);
      // About 40% go (each server's own bytes per key): allow the sampling noise of both.
      expect(run.survivors.size, label).toBeGreaterThan(KEYS * 0.45);
      expect(run.survivors.size, label).toBeLessThan(KEYS * 0.7);
    }
  });

  it("noeviction refuses writes and keeps every key", { timeout: 60_000 }, async () => {
    const results = await pair.onBoth(connectIoredis, async (client) => {
      try {
        const run = await fillAndLimit(client, { policy: "noeviction", keyCount: KEYS, keep: KEEP }, (c) =>
          writeKeys(c, "k:", KEYS, VALUE),
        );
        await client.config("SET", "maxmemory", String(run.maxmemory));
        const refused = await client.set("k:new", "x").catch((error: Error) => error.message);
        const read = await client.get("k:0");
        const deleted = await client.del("k:1");
        return {
          evicted: run.evicted,
          survivors: run.survivors.size,
          refused,
          read: read?.slice(0, 4),
          deleted,
        };
      } finally {
        await client.config("SET", "maxmemory", "0");
      }
    });
    expect(results.spinel).toEqual({
      evicted: 0,
      survivors: KEYS,
      refused: "OOM command not allowed when used memory > 'maxmemory'.",
      read: "k:0:",
      deleted: 1,
    });
    expect(results.spinel).toEqual(results.redis);
  });
});
