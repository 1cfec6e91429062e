/*
 * The memory and eviction figures are measured, and each one moves when what it
 * measures happens: used_memory with the data (incrementally, down again after
 * deletions), used_memory_startup fixed at start-up, MEMORY STATS agreeing with
 * INFO, evicted_keys with the `evicted` events and the DELs propagated, socket
 * reads and writes, the active expiry cycle's figures, OBJECT FREQ / IDLETIME
 * with TOUCH and CLIENT NO-TOUCH, MEMORY DOCTOR's findings, and no eviction
 * while loading.
 */

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { startRedis, startSpinel } from "../support/servers.js";
import { infoNumber, infoOf, writeKeys } from "./memory-support.js";

type Spinel = Awaited<ReturnType<typeof startSpinel>>;

let spinel: Spinel;
let client: Redis;

beforeAll(async () => {
  spinel = await startSpinel();
  client = new Redis({ port: spinel.port, lazyConnect: true });
  await client.connect();
});
afterAll(async () => {
  client.disconnect();
  await spinel.stop();
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** MEMORY STATS as a flat name -> value map (db.N entries left out). */
async function memoryStats(): Promise<Map<string, number>> {
  const reply = (await client.call("MEMORY", "STATS")) as unknown[];
  const map = new Map<string, number>();
  for (let i = 0; i < reply.length; i += 2) {
    const value = reply[i + 1];
    if (typeof value === "number" || typeof value === "string") map.set(String(reply[i]), Number(value));
  }
  return map;
}

describe("used memory", () => {
  it("follows the data both ways; the start-up figure stays; MEMORY STATS agrees with INFO", async () => {
    await client.flushall();
    const empty = await infoOf(client);
    const startup = Number(empty.get("used_memory_startup"));
    expect(startup).toBeGreaterThan(0);
    const before = Number(empty.get("used_memory"));

    await writeKeys(client, "mem:", 2000, 1000);
    const filled = await infoOf(client);
    const used = Number(filled.get("used_memory"));
    expect(used - before).toBeGreaterThan(2000 * 1000);
    expect(used - before).toBeLessThan(2000 * 1600);
    expect(Number(filled.get("used_memory_dataset"))).toBeGreaterThan(2000 * 1000);
    expect(Number(filled.get("used_memory_peak"))).toBeGreaterThanOrEqual(used);
    expect(Number(filled.get("used_memory_startup"))).toBe(startup);

    const stats = await memoryStats();
    expect(stats.get("startup.allocated")).toBe(startup);
    expect(stats.get("keys.count")).toBe(2000);
    expect(Math.abs(stats.get("total.allocated")! - used)).toBeLessThan(64 * 1024);
    expect(Math.abs(stats.get("dataset.bytes")! - Number(filled.get("used_memory_dataset")))).toBeLessThan(
      64 * 1024,
    );
    expect(stats.get("peak.allocated")).toBeGreaterThanOrEqual(used);

    const usage = Number(await client.call("MEMORY", "USAGE", "mem:0"));
    expect(usage).toBeGreaterThan(1000);
    expect(usage).toBeLessThan(1600);

    const pipeline = client.pipeline();
    for (let i = 0; i < 2000; i++) pipeline.del(`mem:${i}`);
    await pipeline.exec();
    const emptied = await infoOf(client);
    expect(Math.abs(Number(emptied.get("used_memory")) - before)).toBeLessThan(64 * 1024);
    expect(Number(emptied.get("used_memory_peak"))).toBeGreaterThanOrEqual(used);
    expect(Number(emptied.get("used_memory_startup"))).toBe(startup);
  });
});

describe("eviction figures", () => {
  it("evicted_keys, the evicted events and the propagated DELs move together; CONFIG SET evicts at once", async () => {
    await client.flushall();
    await writeKeys(client, "ev:", 1000, 200);
    const state = spinel.server.state;
    const propagated: string[] = [];
    const original = state.propagator;
    state.propagator = {
      feed(dbIndex, argv) {
        propagated.push(`${dbIndex} ${argv.map((b) => b.toString("latin1")).join(" ")}`);
        original.feed(dbIndex, argv);
      },
    };
    const subscriber = await RawClient.connect(spinel.port);
    try {
      await client.config("SET", "notify-keyspace-events", "Ee");
      await subscriber.call("SUBSCRIBE", "__keyevent@0__:evicted");
      const evictedBefore = await infoNumber(client, "evicted_keys");
      const used = await infoNumber(client, "used_memory");
      const startup = await infoNumber(client, "used_memory_startup");
      await client.config("SET", "maxmemory-policy", "allkeys-random");
      await client.config("SET", "maxmemory", String(Math.floor(startup + (used - startup) / 2)));
      // Evicted while CONFIG SET ran, before any other command.
      const evictedNow = state.stats.evictedKeys;
      expect(evictedNow - evictedBefore).toBeGreaterThan(300);
      await client.config("SET", "maxmemory", "0");
      const evicted = (await infoNumber(client, "evicted_keys")) - evictedBefore;
      expect(evicted).toBe(evictedNow - evictedBefore);
      expect(await client.dbsize()).toBe(1000 - evicted);
      const dels = propagated.filter((line) => line.startsWith("0 DEL ev:"));
      expect(dels.length).toBe(evicted);
      const events: string[] = [];
      for (let i = 0; i < evicted; i++) events.push((await subscriber.read()).toString("latin1"));
      expect(events.every((message) => message.includes("__keyevent@0__:evicted"))).toBe(true);
      // The DELs name exactly the keys that are gone.
      for (const line of dels.slice(0, 20)) expect(await client.exists(line.slice(6))).toBe(0);
    } finally {
      state.propagator = original;
      subscriber.close();
      await client.config("SET", "maxmemory", "0");
      await client.config("SET", "notify-keyspace-events", "");
      await client.config("SET", "maxmemory-policy", "noeviction");
    }
  });

  it("nothing is evicted while loading", async () => {
    await client.flushall();
    await writeKeys(client, "load:", 200, 200);
    const state = spinel.server.state;
    await client.config("SET", "maxmemory-policy", "allkeys-lru");
    const before = state.stats.evictedKeys;
    state.settings.loading = true;
    try {
      await client.config("SET", "maxmemory", "1");
      expect(state.stats.evictedKeys).toBe(before);
      expect(state.keyspace.db(0).size).toBe(200);
    } finally {
      state.settings.loading = false;
    }
    try {
      // The gate evicts once loading is over (rounds that run out of time go on right after).
      for (let i = 0; i < 50 && state.keyspace.db(0).size > 0; i++) {
        await client.ping();
        await sleep(10);
      }
      expect(state.stats.evictedKeys - before).toBe(200);
    } finally {
      await client.config("SET", "maxmemory", "0");
      await client.config("SET", "maxmemory-policy", "noeviction");
    }
  });
});

describe("network and expiry figures", () => {
  it("total_reads_processed and total_writes_processed count socket reads and writes, not commands", async () => {
    const before = await infoOf(client);
    const pipeline = client.pipeline();
    for (let i = 0; i < 500; i++) pipeline.ping();
    await pipeline.exec();
    for (let i = 0; i < 10; i++) await client.ping();
    const after = await infoOf(client);
    const delta = (field: string) => Number(after.get(field)) - Number(before.get(field));
    expect(delta("total_commands_processed")).toBeGreaterThanOrEqual(511);
    expect(delta("total_reads_processed")).toBeGreaterThanOrEqual(11);
    expect(delta("total_reads_processed")).toBeLessThan(200);
    expect(delta("total_writes_processed")).toBeGreaterThanOrEqual(11);
    expect(delta("total_writes_processed")).toBeLessThan(200);
  });

  it("expired_stale_perc, expired_time_cap_reached_count and expire_cycle_cpu_milliseconds come from the cycle", async () => {
    await client.flushall();
    await client.config("SET", "hz", "500"); // A 0.5 ms budget per slow cycle.
    try {
      const before = await infoOf(client);
      for (let batch = 0; batch < 5; batch++) {
        const pipeline = client.pipeline();
        for (let i = 0; i < 20_000; i++) pipeline.set(`exp:${batch}:${i}`, "v", "PX", 50);
        await pipeline.exec();
      }
      await sleep(300);
      const after = await infoOf(client);
      expect(Number(after.get("expired_keys"))).toBeGreaterThan(Number(before.get("expired_keys")));
      expect(Number(after.get("expired_stale_perc"))).toBeGreaterThan(0);
      expect(Number(after.get("expired_time_cap_reached_count"))).toBeGreaterThan(
        Number(before.get("expired_time_cap_reached_count")),
      );
      expect(Number(after.get("expire_cycle_cpu_milliseconds"))).toBeGreaterThan(
        Number(before.get("expire_cycle_cpu_milliseconds")),
      );
    } finally {
      await client.config("SET", "hz", "10");
      await client.flushall();
    }
  });
});

describe("OBJECT FREQ and IDLETIME", () => {
  it("OBJECT FREQ is a real LFU counter (hot keys climb), refused without an LFU policy as in Redis", async () => {
    await client.flushall();
    await client.config("SET", "maxmemory-policy", "allkeys-lfu");
    try {
      await client.set("hot", "v");
      await client.set("cold", "v");
      expect(await client.call("OBJECT", "FREQ", "cold")).toBe(5);
      const pipeline = client.pipeline();
      for (let i = 0; i < 300; i++) pipeline.get("hot");
      await pipeline.exec();
      expect(Number(await client.call("OBJECT", "FREQ", "hot"))).toBeGreaterThan(8);
      expect(await client.call("OBJECT", "FREQ", "cold")).toBe(5);
      expect(await client.call("OBJECT", "IDLETIME", "hot").catch((error: Error) => error.message)).toMatch(
        /^ERR An LFU maxmemory policy is selected, idle time not tracked/,
      );
    } finally {
      await client.config("SET", "maxmemory-policy", "noeviction");
    }
    const redis = await startRedis();
    try {
      const errors: string[] = [];
      for (const port of [spinel.port, redis.port]) {
        const raw = await RawClient.connect(port);
        await raw.call("SET", "k", "v");
        errors.push((await raw.call("OBJECT", "FREQ", "k")).toString("latin1"));
        raw.close();
      }
      expect(errors[0]).toBe(errors[1]);
      expect(errors[0]).toMatch(/^-ERR An LFU maxmemory policy is not selected/);
    } finally {
      await redis.stop();
    }
  });

  it("IDLETIME counts seconds since the last access; TOUCH refreshes, TYPE/EXISTS/OBJECT do not, CLIENT NO-TOUCH leaves it", async () => {
    await client.flushall();
    await client.set("idle", "v");
    await sleep(2100);
    expect(Number(await client.call("OBJECT", "IDLETIME", "idle"))).toBeGreaterThanOrEqual(2);
    await client.type("idle");
    await client.exists("idle");
    expect(Number(await client.call("OBJECT", "IDLETIME", "idle"))).toBeGreaterThanOrEqual(2);
    await client.call("TOUCH", "idle");
    expect(Number(await client.call("OBJECT", "IDLETIME", "idle"))).toBe(0);

    const noTouch = new Redis({ port: spinel.port, lazyConnect: true });
    await noTouch.connect();
    try {
      await noTouch.call("CLIENT", "NO-TOUCH", "ON");
      await sleep(1100);
      await noTouch.get("idle");
      expect(Number(await client.call("OBJECT", "IDLETIME", "idle"))).toBeGreaterThanOrEqual(1);
      await noTouch.call("TOUCH", "idle");
      expect(Number(await client.call("OBJECT", "IDLETIME", "idle"))).toBe(0);
    } finally {
      noTouch.disconnect();
    }
  });
});

describe("MEMORY DOCTOR", () => {
  it("decides from the figures: too little data, then out of memory, then healthy", async () => {
    await client.flushall();
    const small = String(await client.call("MEMORY", "DOCTOR"));
    expect(small).toMatch(/too small/);
    await writeKeys(client, "doc:", 6000, 1000);
    await client.config("SET", "maxmemory", "1");
    try {
      expect(await client.set("doc:new", "v").catch((error: Error) => error.message)).toMatch(/^OOM/);
      expect(String(await client.call("MEMORY", "DOCTOR"))).toMatch(/Out of memory/);
    } finally {
      await client.config("SET", "maxmemory", "0");
    }
    await client.ping();
    expect(String(await client.call("MEMORY", "DOCTOR"))).not.toMatch(/Out of memory/);
    expect(await client.call("MEMORY", "PURGE")).toBe("OK");
    expect(String(await client.call("MEMORY", "MALLOC-STATS"))).toMatch(/used_heap_size/);
    await client.flushall();
  });
});
