/*
 * LOLWUT and MODULE as client libraries call them: LOLWUT draws Spinel's own
 * crystal (sized by the argument after VERSION 1) above its version line, and
 * shows the version line alone for versions without art, as redis-server does;
 * MODULE LIST is empty and MODULE LOAD fails as on a redis-server with its
 * default enable-module-command, through ioredis.
 */

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisCli, startRedis, startSpinel, type TestServer } from "../support/servers.js";

let spinel: TestServer;
let redis: TestServer;
beforeAll(async () => {
  [spinel, redis] = await Promise.all([startSpinel(), startRedis()]);
});
afterAll(async () => {
  await Promise.all([spinel?.stop(), redis?.stop()]);
});

describe("LOLWUT", () => {
  it("draws Spinel's crystal above the version line", async () => {
    const text = await redisCli(spinel.port, ["LOLWUT"]);
    const lines = text.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^Spinel ver\. \d+\.\d+\.\d+/);
    expect(lines[0]).toBe("     /\\");
    expect(lines).toContain("/\\/\\/\\/\\/\\/\\");
    expect(lines).toContain("\\/\\/\\/\\/\\/\\/");
  });

  it("honours VERSION: the crystal's size after VERSION 1, the version line alone for other versions", async () => {
    const small = await redisCli(spinel.port, ["LOLWUT", "VERSION", "1", "2"]);
    expect(small).toMatch(/^ \/\\\n\/\\\/\\\n\\\/\\\/\n \\\/\n\nSpinel ver\. /);
    const bare = await redisCli(spinel.port, ["LOLWUT", "VERSION", "99"]);
    expect(bare).toMatch(/^Spinel ver\. [^\n]+\n$/);
    // redis-server likewise shows only its version line for a version without art.
    expect(await redisCli(redis.port, ["LOLWUT", "VERSION", "99"])).toMatch(/^Redis ver\. [^\n]+\n$/);
  });
});

describe("MODULE through ioredis", () => {
  it("lists no modules and refuses LOAD / UNLOAD with redis-server's errors", async () => {
    const outcomes: string[][] = [];
    for (const server of [redis, spinel]) {
      const client = new Redis({ port: server.port, lazyConnect: true, maxRetriesPerRequest: 0 });
      await client.connect();
      try {
        const seen: string[] = [JSON.stringify(await client.call("MODULE", "LIST"))];
        for (const argv of [
          ["LOAD", "/nonexistent/m.so"],
          ["UNLOAD", "m"],
        ]) {
          seen.push(await client.call("MODULE", ...argv).then(String, (error: Error) => error.message));
        }
        outcomes.push(seen);
      } finally {
        client.disconnect();
      }
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[0]![0]).toBe("[]");
    expect(outcomes[0]![1]).toMatch(/^ERR MODULE command not allowed/);
  });
});
