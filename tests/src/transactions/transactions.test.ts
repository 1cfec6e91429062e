/*
 * Transactions through real client libraries over TCP: ioredis and node-redis
 * (RESP2 and RESP3). Scenarios run against Spinel and a real redis-server 7 and
 * must give the same decoded results; the expected values are also spelled out.
 * Includes two clients racing with WATCH (optimistic locking must not lose an
 * increment) and a blocked client served after the whole EXEC.
 */

import { Redis } from "ioredis";
import { createClient, WatchError } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

let spinel: TestServer;
let redis: TestServer;

beforeAll(async () => {
  [spinel, redis] = await Promise.all([startSpinel(), startRedis()]);
});

afterAll(async () => {
  await Promise.all([spinel?.stop(), redis?.stop()]);
});

function ioredis(server: TestServer): Redis {
  return new Redis({ port: server.port, host: server.host, maxRetriesPerRequest: 0 });
}

async function nodeRedis(server: TestServer, resp: 2 | 3) {
  const client = createClient({
    socket: { port: server.port, host: server.host, reconnectStrategy: false },
    RESP: resp,
  });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Run a scenario on both servers; returns [spinel result, redis result]. */
async function onBoth<T>(scenario: (server: TestServer) => Promise<T>): Promise<[T, T]> {
  return [await scenario(spinel), await scenario(redis)];
}

describe("ioredis", () => {
  it("MULTI/EXEC returns every reply, errors in place", async () => {
    const results = await onBoth(async (server) => {
      const client = ioredis(server);
      try {
        await client.flushall();
        await client.set("tx:text", "abc");
        return await client
          .multi()
          .set("tx:a", "1")
          .get("tx:a")
          .lpush("tx:text", "x")
          .rpush("tx:list", "p", "q")
          .exec();
      } finally {
        client.disconnect();
      }
    });
    const [fromSpinel, fromRedis] = results.map((replies) =>
      replies?.map(([error, value]) => (error ? `error: ${(error as Error).message}` : value)),
    );
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel).toEqual([
      "OK",
      "1",
      "error: WRONGTYPE Operation against a key holding the wrong kind of value",
      2,
    ]);
  });

  it("EXECABORT when a queued command is refused", async () => {
    const results = await onBoth(async (server) => {
      const client = ioredis(server);
      try {
        await client.flushall();
        const error = await client
          .multi()
          .set("tx:k", "1")
          .call("NOSUCHCOMMAND")
          .exec()
          .catch((e: Error) => e.message);
        return [error, await client.get("tx:k")];
      } finally {
        client.disconnect();
      }
    });
    expect(results[0]).toEqual(results[1]);
    expect(results[0][0]).toContain("EXECABORT Transaction discarded because of previous errors.");
    expect(results[0][1]).toBe(null);
  });

  it("WATCH: a write from another client makes EXEC return null", async () => {
    const results = await onBoth(async (server) => {
      const watcher = ioredis(server);
      const other = ioredis(server);
      try {
        await watcher.flushall();
        await watcher.set("tx:balance", "100");
        await watcher.watch("tx:balance");
        await other.set("tx:balance", "50");
        const failed = await watcher.multi().set("tx:balance", "90").exec();
        await watcher.watch("tx:balance");
        const succeeded = await watcher.multi().set("tx:balance", "40").exec();
        return { failed, succeeded, final: await other.get("tx:balance") };
      } finally {
        watcher.disconnect();
        other.disconnect();
      }
    });
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toEqual({ failed: null, succeeded: [[null, "OK"]], final: "40" });
  });

  it("two clients racing with WATCH never lose an increment", async () => {
    const rounds = 40;
    const results = await onBoth(async (server) => {
      const setup = ioredis(server);
      await setup.flushall();
      await setup.set("tx:counter", "0");
      let retries = 0;
      const worker = async () => {
        const client = ioredis(server);
        try {
          for (let done = 0; done < rounds; ) {
            await client.watch("tx:counter");
            const current = Number(await client.get("tx:counter"));
            const outcome = await client
              .multi()
              .set("tx:counter", String(current + 1))
              .exec();
            if (outcome === null) retries++;
            else done++;
          }
        } finally {
          client.disconnect();
        }
      };
      await Promise.all([worker(), worker()]);
      const final = await setup.get("tx:counter");
      setup.disconnect();
      return { final, retried: retries > 0 };
    });
    expect(results[0].final).toBe(String(2 * rounds));
    expect(results[1].final).toBe(String(2 * rounds));
  });

  it("a client blocked on a list is served after the whole EXEC", async () => {
    const results = await onBoth(async (server) => {
      const writer = ioredis(server);
      const blocked = ioredis(server);
      try {
        await writer.flushall();
        const popping = blocked.blpop("tx:queue", 5);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const exec = await writer.multi().rpush("tx:queue", "first").rpush("tx:queue", "second").exec();
        const popped = await popping;
        return { exec, popped, left: await writer.lrange("tx:queue", 0, -1) };
      } finally {
        writer.disconnect();
        blocked.disconnect();
      }
    });
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toEqual({
      exec: [
        [null, 1],
        [null, 2],
      ],
      popped: ["tx:queue", "first"],
      left: ["second"],
    });
  });
});

describe("node-redis", () => {
  for (const resp of [2, 3] as const) {
    it(`RESP${resp}: multi().exec() and a WatchError`, async () => {
      const results = await onBoth(async (server) => {
        const client = await nodeRedis(server, resp);
        const other = await nodeRedis(server, resp);
        try {
          await client.flushAll();
          const replies = await client.multi().set("tx:n", "1").get("tx:n").rPush("tx:l", ["a", "b"]).exec();
          await client.watch("tx:n");
          await other.set("tx:n", "2");
          const outcome = await client
            .multi()
            .set("tx:n", "3")
            .exec()
            .then(
              () => "committed",
              (error: unknown) => (error instanceof WatchError ? "watch error" : String(error)),
            );
          return { replies, outcome, final: await client.get("tx:n") };
        } finally {
          client.destroy();
          other.destroy();
        }
      });
      expect(results[0]).toEqual(results[1]);
      expect(results[0]).toEqual({ replies: ["OK", "1", 2], outcome: "watch error", final: "2" });
    });
  }
});
