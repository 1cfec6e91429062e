/*
 * The side effects of stream commands: keyspace notifications (compared with
 * a real redis-server 7), WATCH invalidation, and what Spinel propagates to the
 * AOF and replicas (XADD with the ID it used, approximate trims rewritten to
 * exact ones, XREADGROUP / XCLAIM / XAUTOCLAIM as idempotent XCLAIMs plus
 * XGROUP SETID, as Redis 7.0 propagates them).
 */

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyspaceEventsOf } from "../support/keyspace-events.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

type RecordedSpinel = Awaited<ReturnType<typeof startSpinel>>;

let redisServer: TestServer;
let spinelServer: RecordedSpinel;
/** What Spinel propagated, as text argv with the name uppercased. */
const propagated: string[][] = [];

beforeAll(async () => {
  [redisServer, spinelServer] = await Promise.all([startRedis(), startSpinel()]);
  spinelServer.server.state.propagator = {
    feed: (_db, argv) =>
      propagated.push(
        argv.map((arg, i) => (i === 0 ? arg.toString("latin1").toUpperCase() : arg.toString("latin1"))),
      ),
  };
});

afterAll(async () => {
  await Promise.all([redisServer?.stop(), spinelServer?.stop()]);
});

function ioredis(port: number): Redis {
  return new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 0, enableReadyCheck: false });
}

/** Keyspace events of `steps` on both servers; they must be equal. Returns Spinel's. */
async function eventsOnBoth(steps: readonly (readonly string[])[]): Promise<string[]> {
  const [fromRedis, fromSpinel] = await Promise.all([
    keyspaceEventsOf(redisServer.port, "KEA", steps),
    keyspaceEventsOf(spinelServer.port, "KEA", steps),
  ]);
  expect(fromSpinel).toEqual(fromRedis);
  return fromSpinel;
}

describe("keyspace notifications of stream commands, compared with redis-server", () => {
  it("XADD, trimming, XDEL, XTRIM, XSETID", async () => {
    const events = await eventsOnBoth([
      ["XADD", "s", "1-1", "f", "v"],
      ["XADD", "s", "2-1", "f", "v"],
      ["XADD", "s", "MAXLEN", "1", "3-1", "f", "v"],
      ["XADD", "s", "NOMKSTREAM", "MAXLEN", "5", "4-1", "f", "v"],
      ["XADD", "missing", "NOMKSTREAM", "1-1", "f", "v"],
      ["XDEL", "s", "4-1", "9-9"],
      ["XDEL", "s", "9-9"],
      ["XTRIM", "s", "MAXLEN", "0"],
      ["XTRIM", "s", "MAXLEN", "0"],
      ["XSETID", "s", "10-0"],
      ["XADD", "s", "1-1", "f", "v"],
    ]);
    expect(events.some((e) => e.includes("xadd"))).toBe(true);
    expect(events.some((e) => e.includes("xtrim"))).toBe(true);
    expect(events.some((e) => e.includes("xdel"))).toBe(true);
    expect(events.some((e) => e.includes("xsetid"))).toBe(true);
  });

  it("consumer groups: create, consumers, reads, claims, setid, destroy", async () => {
    const events = await eventsOnBoth([
      ["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
      ["XGROUP", "CREATE", "s", "g", "$"],
      ["XADD", "s", "1-1", "f", "v"],
      ["XADD", "s", "2-1", "f", "v"],
      ["XGROUP", "CREATECONSUMER", "s", "g", "alice"],
      ["XGROUP", "CREATECONSUMER", "s", "g", "alice"],
      ["XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"],
      ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"],
      ["XACK", "s", "g", "1-1"],
      ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"],
      ["XCLAIM", "s", "g", "carol", "0", "2-1"],
      ["XAUTOCLAIM", "s", "g", "dave", "0", "0"],
      ["XGROUP", "SETID", "s", "g", "0"],
      ["XGROUP", "DELCONSUMER", "s", "g", "alice"],
      ["XGROUP", "DELCONSUMER", "s", "g", "nobody"],
      ["XGROUP", "DESTROY", "s", "g"],
      ["XGROUP", "DESTROY", "s", "g"],
    ]);
    expect(events.some((e) => e.includes("xgroup-create"))).toBe(true);
    expect(events.some((e) => e.includes("xgroup-createconsumer"))).toBe(true);
    expect(events.some((e) => e.includes("xgroup-destroy"))).toBe(true);
  });
});

describe("WATCH and streams, compared with redis-server", () => {
  for (const [name, port] of [
    ["redis-server", () => redisServer.port],
    ["spinel", () => spinelServer.port],
  ] as const) {
    it(`${name}: XADD by another client aborts a transaction, group changes do not`, async () => {
      const watcher = ioredis(port());
      const other = ioredis(port());
      try {
        await watcher.flushall();
        const results: unknown[] = [];
        for (const write of [
          () => other.xadd("w", "1-1", "f", "v"),
          () => other.xgroup("CREATE", "w", "g", "0"),
          () => other.xreadgroup("GROUP", "g", "c", "STREAMS", "w", ">"),
          () => other.xack("w", "g", "1-1"),
        ]) {
          await watcher.watch("w");
          await write();
          results.push(await watcher.multi().xlen("w").exec());
        }
        // XLEN is read-only: it leaves a watched stream untouched.
        await watcher.watch("w");
        await other.xlen("w");
        results.push(await watcher.multi().xlen("w").exec());
        // Only XADD invalidates: Redis 7.0 changes groups without signalModifiedKey.
        expect(results).toEqual([null, [[null, 1]], [[null, 1]], [[null, 1]], [[null, 1]]]);
      } finally {
        watcher.disconnect();
        other.disconnect();
      }
    });
  }
});

describe("what Spinel propagates for streams", () => {
  it("XADD with the ID it used; approximate trims as exact ones", async () => {
    const client = ioredis(spinelServer.port);
    try {
      for (let i = 1; i <= 250; i++) await client.xadd("p:s", `${i}-1`, "f", "v");
      propagated.length = 0;
      const auto = await client.xadd("p:s", "*", "f", "v");
      const partial = await client.xadd("p:s", `${auto!.split("-")[0]}-*`, "f", "v");
      await client.xadd("p:s", "MAXLEN", "~", "100", "99999999999999-1", "f", "v");
      await client.xtrim("p:s", "MAXLEN", "~", "10");
      await client.xadd("p:s", "MINID", "~", "99999999999999", "LIMIT", "1000", "99999999999999-2", "f", "v");
      await client.xadd("p:s", "MAXLEN", "1000", "99999999999999-3", "f", "v");
      expect(propagated).toEqual([
        ["XADD", "p:s", auto, "f", "v"],
        ["XADD", "p:s", partial, "f", "v"],
        ["XADD", "p:s", "MAXLEN", "=", "153", "99999999999999-1", "f", "v"],
        ["XTRIM", "p:s", "MAXLEN", "=", "53"],
        ["XADD", "p:s", "MINID", "=", "201-1", "LIMIT", "1000", "99999999999999-2", "f", "v"],
        ["XADD", "p:s", "MAXLEN", "1000", "99999999999999-3", "f", "v"],
      ]);
      // A replayed LIMIT after "=" is accepted from the AOF / the primary only.
      expect(
        await client.xtrim("p:s", "MAXLEN", "=", "5", "LIMIT", "10").catch((e: Error) => e.message),
      ).toBe("ERR syntax error, LIMIT cannot be used without the special ~ option");
    } finally {
      client.disconnect();
    }
  });

  it("XREADGROUP as XCLAIM ... plus XGROUP SETID; XCLAIM and XAUTOCLAIM as XCLAIMs", async () => {
    const client = ioredis(spinelServer.port);
    try {
      await client.xadd("p:g", "1-1", "f", "a");
      await client.xadd("p:g", "2-1", "f", "b");
      await client.xgroup("CREATE", "p:g", "grp", "0");
      propagated.length = 0;
      await client.xreadgroup("GROUP", "grp", "alice", "STREAMS", "p:g", ">");
      const pending = (await client.xpending("p:g", "grp", "-", "+", 10)) as unknown[][];
      expect(pending.length).toBe(2);
      const time = (argv: string[] | undefined) => argv?.[7] ?? "";
      const unit = propagated.splice(0);
      const t1 = time(unit[2]);
      expect(unit).toEqual([
        ["MULTI"],
        ["XGROUP", "CREATECONSUMER", "p:g", "grp", "alice"],
        [
          "XCLAIM",
          "p:g",
          "grp",
          "alice",
          "0",
          "1-1",
          "TIME",
          t1,
          "RETRYCOUNT",
          "1",
          "FORCE",
          "JUSTID",
          "LASTID",
          "1-1",
        ],
        [
          "XCLAIM",
          "p:g",
          "grp",
          "alice",
          "0",
          "2-1",
          "TIME",
          t1,
          "RETRYCOUNT",
          "1",
          "FORCE",
          "JUSTID",
          "LASTID",
          "2-1",
        ],
        ["XGROUP", "SETID", "p:g", "grp", "2-1", "ENTRIESREAD", "2"],
        ["EXEC"],
      ]);
      expect(Math.abs(Number(t1) - Date.now())).toBeLessThan(60_000);
      // Re-reading the history changes delivery counts but propagates nothing, as in Redis.
      await client.xreadgroup("GROUP", "grp", "alice", "STREAMS", "p:g", "0");
      expect(propagated).toEqual([]);
      await client.xclaim("p:g", "grp", "bob", 0, "1-1", "TIME", 1000, "RETRYCOUNT", 7);
      await client.xautoclaim("p:g", "grp", "carol", 0, "2-0", "COUNT", 1);
      await client.xdel("p:g", "1-1");
      await client.xautoclaim("p:g", "grp", "carol", 0, "0", "JUSTID");
      const t2 = time(propagated[1]);
      const t3 = time(propagated[5]);
      // XCLAIM creates its consumer when replayed: no separate XGROUP CREATECONSUMER.
      expect(propagated).toEqual([
        [
          "XCLAIM",
          "p:g",
          "grp",
          "bob",
          "0",
          "1-1",
          "TIME",
          "1000",
          "RETRYCOUNT",
          "7",
          "FORCE",
          "JUSTID",
          "LASTID",
          "2-1",
        ],
        [
          "XCLAIM",
          "p:g",
          "grp",
          "carol",
          "0",
          "2-1",
          "TIME",
          t2,
          "RETRYCOUNT",
          "3",
          "FORCE",
          "JUSTID",
          "LASTID",
          "2-1",
        ],
        ["XDEL", "p:g", "1-1"],
        ["MULTI"],
        [
          "XCLAIM",
          "p:g",
          "grp",
          "bob",
          "0",
          "1-1",
          "TIME",
          "1000",
          "RETRYCOUNT",
          "7",
          "FORCE",
          "JUSTID",
          "LASTID",
          "2-1",
        ],
        [
          "XCLAIM",
          "p:g",
          "grp",
          "carol",
          "0",
          "2-1",
          "TIME",
          t3,
          "RETRYCOUNT",
          "3",
          "FORCE",
          "JUSTID",
          "LASTID",
          "2-1",
        ],
        ["EXEC"],
      ]);
      expect(Number(t3)).toBeGreaterThanOrEqual(Number(t2));
    } finally {
      client.disconnect();
    }
  });
});
