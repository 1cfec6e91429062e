/*
 * Expiry on a running server: a key never answers once its deadline has passed
 * (lazy expiry on access), and keys nobody reads are still removed by the
 * active expiry cycle, which INFO's expired_keys counts.
 */

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSpinel, type TestServer } from "../support/servers.js";

let server: TestServer;
let client: Redis;

beforeAll(async () => {
  server = await startSpinel();
  client = new Redis({
    port: server.port,
    host: server.host,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
  });
});

afterAll(async () => {
  client?.disconnect();
  await server?.stop();
});

/** expired_keys from INFO stats. */
async function expiredKeys(): Promise<number> {
  const info = await client.info("stats");
  const match = /^expired_keys:(\d+)/m.exec(info);
  if (match === null) throw new Error(`no expired_keys in INFO stats:\n${info}`);
  return Number(match[1]);
}

describe("expiry on a running server", () => {
  it("never answers a key once its deadline has passed", async () => {
    await client.flushall();
    const ttl = 300;
    // The server's deadline is at most `ttl` ms after the SET reply arrives here,
    // so any GET sent later than that must miss.
    await client.set("short", "v", "PX", ttl);
    const deadline = performance.now() + ttl;
    let answeredBefore = 0;
    let missedAfter = 0;
    while (performance.now() < deadline + 100) {
      const sentAt = performance.now();
      const value = await client.get("short");
      if (sentAt > deadline) {
        expect(value).toBeNull();
        missedAfter++;
      } else if (value !== null) {
        answeredBefore++;
      }
    }
    expect(answeredBefore).toBeGreaterThan(0);
    expect(missedAfter).toBeGreaterThan(0);
    expect(await client.exists("short")).toBe(0);
    expect(await client.ttl("short")).toBe(-2);
  });

  it("removes keys nobody reads, counting them in expired_keys", async () => {
    await client.flushall();
    const before = await expiredKeys();
    // One absolute deadline for all of them, far enough away to count them first.
    const deadline = Date.now() + 1000;
    const pipeline = client.pipeline();
    for (let i = 0; i < 500; i++) pipeline.set(`volatile:${i}`, "v", "PXAT", deadline);
    for (let i = 0; i < 20; i++) pipeline.set(`kept:${i}`, "v");
    await pipeline.exec();
    expect(await client.dbsize()).toBe(520);
    // DBSIZE counts keys that expired but were not removed yet, so it only drops
    // when the active cycle deletes them; no command here reads those keys.
    const giveUp = Date.now() + 10_000;
    while ((await client.dbsize()) > 20 && Date.now() < giveUp) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await client.dbsize()).toBe(20);
    expect((await expiredKeys()) - before).toBe(500);
    expect((await client.keys("kept:*")).length).toBe(20);
  });
});
