/*
 * DUMP and RESTORE against a real redis-server 7.0: payloads cross both ways
 * for every type and encoding, and every error (damaged payload, BUSYKEY, bad
 * TTL, IDLETIME, FREQ, syntax) is byte for byte redis-server's and changes
 * nothing.
 */

import { Crc64 } from "@spinel/core-db";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";
import { datasetOfServer, populate } from "./datasets.js";

const servers: { redis?: TestServer; spinel?: TestServer } = {};
const pair = {} as { redis: RawClient; spinel: RawClient };
beforeAll(async () => {
  [servers.redis, servers.spinel] = await Promise.all([startRedis(), startSpinel()]);
  [pair.redis, pair.spinel] = await Promise.all([
    RawClient.connect(servers.redis.port),
    RawClient.connect(servers.spinel.port),
  ]);
});
afterAll(async () => {
  pair.redis?.close();
  pair.spinel?.close();
  await Promise.all([servers.redis?.stop(), servers.spinel?.stop()]);
});

/** Send the same command to both servers; return both raw replies as text. */
async function both(...argv: Array<string | Buffer>): Promise<{ redis: string; spinel: string }> {
  const [redis, spinel] = await Promise.all([pair.redis.call(...argv), pair.spinel.call(...argv)]);
  return { redis: redis.toString("latin1"), spinel: spinel.toString("latin1") };
}

/** The bulk payload of a raw DUMP reply. */
function bulkOf(reply: Buffer): Buffer {
  const header = reply.indexOf("\r\n");
  const length = Number(reply.subarray(1, header).toString());
  return reply.subarray(header + 2, header + 2 + length);
}

/** A payload with a valid footer around `body` (type byte and value). */
function withFooter(body: Buffer): Buffer {
  const head = Buffer.concat([body, Buffer.from([10, 0])]);
  const crc = new Crc64();
  crc.update(head);
  return Buffer.concat([head, crc.toBytes()]);
}

beforeEach(async () => {
  await both("FLUSHALL");
});

describe("DUMP / RESTORE across servers", () => {
  for (const [from, to] of [
    ["redis", "spinel"],
    ["spinel", "redis"],
  ] as const) {
    it(`a DUMP from ${from} restores in ${to} for every type and encoding`, async () => {
      const source = new Redis({ port: servers[from]!.port, lazyConnect: true });
      const target = new Redis({ port: servers[to]!.port, lazyConnect: true });
      await Promise.all([source.connect(), target.connect()]);
      try {
        await populate(source, 21);
        for (const db of [0, 5, 15]) {
          await source.select(db);
          await target.select(db);
          for (const key of (await source.callBuffer("KEYS", "*")) as Buffer[]) {
            const payload = (await source.callBuffer("DUMP", key)) as Buffer;
            const ttl = Number(await source.call("PEXPIRETIME", key));
            expect(await target.call("RESTORE", key, String(ttl > 0 ? ttl : 0), payload, "ABSTTL")).toBe(
              "OK",
            );
          }
        }
        expect(await datasetOfServer(target)).toEqual(await datasetOfServer(source));
      } finally {
        source.disconnect();
        target.disconnect();
      }
    }, 60_000);
  }
});

describe("RESTORE errors, as redis-server 7.0 answers them", () => {
  it("a damaged payload: version or checksum wrong, or a bad value, and nothing changes", async () => {
    await both("RPUSH", "src", "a", "b", "1");
    await both("SET", "kept", "old");
    const payload = bulkOf(await pair.redis.call("DUMP", "src"));
    for (let i = 0; i < payload.length; i++) {
      const damaged = Buffer.from(payload);
      damaged[i] = damaged[i]! ^ 0x21;
      const replies = await both("RESTORE", "kept", "0", damaged, "REPLACE");
      expect(replies.spinel, `byte ${i}`).toBe(replies.redis);
      expect(replies.spinel).toMatch(
        /^-ERR (DUMP payload version or checksum are wrong|Bad data format)\r\n$/,
      );
    }
    expect(await both("RESTORE", "k", "0", payload.subarray(0, 5))).toEqual({
      redis: "-ERR DUMP payload version or checksum are wrong\r\n",
      spinel: "-ERR DUMP payload version or checksum are wrong\r\n",
    });
    // A valid footer around a value of an unknown type, or longer than the payload.
    for (const body of [
      Buffer.from([99, 1, 97]),
      Buffer.from([0, 0x7f, 0xff, 97]),
      Buffer.from([2, 0x80, 0, 1, 0, 0, 97]),
    ]) {
      const replies = await both("RESTORE", "kept", "0", withFooter(body), "REPLACE");
      expect(replies.spinel).toBe(replies.redis);
      expect(replies.spinel).toBe("-ERR Bad data format\r\n");
    }
    // Like redis-server (sanitize-dump-payload no), a value may run into the footer.
    const intoFooter = await both("RESTORE", "lenient", "0", withFooter(Buffer.from([0, 5, 97, 98])));
    expect(intoFooter.spinel).toBe(intoFooter.redis);
    const restored = await both("GET", "lenient");
    expect(restored.spinel).toBe(restored.redis);
    expect(await both("GET", "kept")).toEqual({ redis: "$3\r\nold\r\n", spinel: "$3\r\nold\r\n" });
  });

  it("BUSYKEY, REPLACE, TTLs, ABSTTL, IDLETIME, FREQ and syntax errors", async () => {
    await both("SET", "src", "value");
    await both("SET", "busy", "x");
    const payload = bulkOf(await pair.redis.call("DUMP", "src"));
    const past = String(Date.now() - 10_000);
    const cases: Array<Array<string | Buffer>> = [
      ["RESTORE", "busy", "0", payload],
      ["RESTORE", "busy", "0", payload, "REPLACE"],
      ["GET", "busy"],
      ["RESTORE", "new", "-1", payload],
      ["RESTORE", "new", "abc", payload],
      ["RESTORE", "new", "0", payload, "IDLETIME", "-1"],
      ["RESTORE", "new", "0", payload, "FREQ", "256"],
      ["RESTORE", "new", "0", payload, "FREQ", "x"],
      ["RESTORE", "new", "0", payload, "IDLETIME", "10", "FREQ", "5"],
      ["RESTORE", "new", "0", payload, "BOGUS"],
      ["RESTORE", "new", "0", payload, "IDLETIME"],
      ["RESTORE", "new", "0"],
      ["RESTORE", "new", "100000", payload],
      ["PTTL", "new"],
      ["RESTORE", "abs", String(Date.now() + 100_000), payload, "ABSTTL"],
      ["EXISTS", "abs"],
      ["RESTORE", "busy", past, payload, "ABSTTL", "REPLACE"],
      ["EXISTS", "busy"],
      ["RESTORE", "idle", "0", payload, "IDLETIME", "1000"],
      ["OBJECT", "IDLETIME", "idle"],
      ["DUMP", "missing"],
      ["RESTORE", "new", "0", payload],
    ];
    for (const argv of cases) {
      const replies = await both(...argv);
      if (argv[0] === "PTTL") {
        expect(Number(replies.spinel.slice(1))).toBeGreaterThan(99_000);
        continue;
      }
      if (argv[0] === "OBJECT") {
        expect(Number(replies.spinel.slice(1))).toBeGreaterThanOrEqual(1000);
        continue;
      }
      expect(replies.spinel, argv.map(String).join(" ").slice(0, 80)).toBe(replies.redis);
    }
  });
});
