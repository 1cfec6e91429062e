/*
 * Sorted sets through real clients: ioredis and node-redis (`redis` v5, RESP2 and
 * RESP3) against Spinel and against a real redis-server, with the same
 * expectations for both. Covers what byte-level corpora cannot: clients'
 * parsing of the replies, random replies checked by their properties
 * (ZRANDMEMBER), complete ZSCAN iterations of a large set under concurrent
 * deletions, and blocking pops served by writes from another connection (FIFO
 * order, timeouts, several keys), plus what Spinel propagates for them.
 */

import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

type RecordedSpinel = Awaited<ReturnType<typeof startSpinel>>;

let redisServer: TestServer;
let spinelServer: RecordedSpinel;
/** What Spinel propagated (AOF / replicas would receive it), as text argv with the name uppercased. */
const propagated: string[][] = [];

beforeAll(async () => {
  [redisServer, spinelServer] = await Promise.all([startRedis(), startSpinel()]);
  const state = spinelServer.server.state;
  state.propagator = {
    feed: (_db, argv) =>
      propagated.push(
        argv.map((arg, i) => (i === 0 ? arg.toString("latin1").toUpperCase() : arg.toString("latin1"))),
      ),
  };
});

afterAll(async () => {
  await Promise.all([redisServer?.stop(), spinelServer?.stop()]);
});

const servers = [
  ["redis-server", () => redisServer.port],
  ["spinel", () => spinelServer.port],
] as const;

/** An ioredis client that fails fast instead of retrying. */
function ioredis(port: number): Redis {
  return new Redis({
    port,
    host: "127.0.0.1",
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
    lazyConnect: false,
  });
}

/** Wait until the server reports `count` blocked clients (so the order of blocking is a fact). */
async function waitBlocked(client: Redis, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const info = await client.info("clients");
    const blocked = Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? -1);
    if (blocked === count) return;
    if (Date.now() > deadline) throw new Error(`expected ${count} blocked clients, got ${blocked}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(servers)("sorted sets over ioredis (%s)", (_name, port) => {
  let client: Redis;
  let other: Redis;
  let prefix = 0;
  /** A key name no other test of this file uses. */
  const key = (name: string) => `io:${prefix}:${name}`;

  beforeAll(() => {
    client = ioredis(port());
    other = ioredis(port());
  });
  afterAll(() => {
    client.disconnect();
    other.disconnect();
  });

  it("adds, scores, ranks and ranges", async () => {
    prefix++;
    const z = key("z");
    expect(await client.zadd(z, 1, "a", 2.5, "b", 1.1, "c")).toBe(3);
    expect(await client.zscore(z, "c")).toBe("1.1000000000000001");
    expect(await client.zincrby(z, 2, "a")).toBe("3");
    expect(await client.zrange(z, 0, -1, "WITHSCORES")).toEqual([
      "c",
      "1.1000000000000001",
      "b",
      "2.5",
      "a",
      "3",
    ]);
    expect(await client.zrank(z, "b")).toBe(1);
    expect(await client.zrevrank(z, "b")).toBe(1);
    expect(await client.zrank(z, "nope")).toBeNull();
    expect(await client.zrangebyscore(z, "(1.1", "+inf", "LIMIT", 0, 1)).toEqual(["b"]);
    expect(await client.zrange(z, "+inf", "-inf", "BYSCORE", "REV", "LIMIT", 1, 5)).toEqual(["b", "c"]);
    expect(await client.zcount(z, "-inf", "(3")).toBe(2);
    expect(await client.zmscore(z, "a", "x")).toEqual(["3", null]);
    expect(await client.zadd(z, "GT", "CH", 1, "a", 9, "b")).toBe(1);
    expect(await client.zrem(z, "a", "b", "c")).toBe(3);
    expect(await client.exists(z)).toBe(0);
  });

  it("pops, stores and combines", async () => {
    prefix++;
    const [a, b, d] = [key("a"), key("b"), key("d")];
    await client.zadd(a, 1, "x", 2, "y", 3, "z");
    await client.zadd(b, 10, "y", 20, "w");
    expect(await client.zunionstore(d, 2, a, b, "WEIGHTS", 1, 2)).toBe(4);
    expect(await client.zrange(d, 0, -1, "WITHSCORES")).toEqual(["x", "1", "z", "3", "y", "22", "w", "40"]);
    expect(await client.zinter(2, a, b, "WITHSCORES")).toEqual(["y", "12"]);
    expect(await client.zdiff(2, a, b)).toEqual(["x", "z"]);
    expect(await client.zintercard(2, a, b)).toBe(1);
    expect(await client.zrangestore(key("r"), d, 0, 1)).toBe(2);
    expect(await client.zpopmin(d)).toEqual(["x", "1"]);
    expect(await client.zpopmax(d, 2)).toEqual(["w", "40", "y", "22"]);
    expect(await client.zmpop(1, d, "MIN", "COUNT", 5)).toEqual([d, [["z", "3"]]]);
    expect(await client.exists(d)).toBe(0);
  });

  it("pipelines and MULTI/EXEC", async () => {
    prefix++;
    const z = key("z");
    const pipelined = await client
      .pipeline()
      .zadd(z, 1, "a")
      .zadd(z, 2, "b")
      .zcard(z)
      .zrange(z, 0, -1)
      .exec();
    expect(pipelined?.map(([error, value]) => [error, value])).toEqual([
      [null, 1],
      [null, 1],
      [null, 2],
      [null, ["a", "b"]],
    ]);
    const transaction = await client.multi().zincrby(z, 5, "a").zpopmax(z).bzpopmin(key("none"), 0).exec();
    expect(transaction?.map(([, value]) => value)).toEqual(["6", ["a", "6"], null]);
  });

  it("ZRANDMEMBER picks members of the set, distinct for a positive count", async () => {
    prefix++;
    for (const size of [10, 300]) {
      const z = key(`r${size}`);
      const args: (string | number)[] = [];
      for (let i = 0; i < size; i++) args.push(i, `m${i}`);
      await client.zadd(z, ...args);
      for (const count of [1, 3, Math.floor(size / 2), size - 1]) {
        const picked = await client.zrandmember(z, count);
        expect(picked.length).toBe(count);
        expect(new Set(picked).size).toBe(count);
        for (const member of picked) expect(member).toMatch(/^m\d+$/);
      }
      const repeated = await client.zrandmember(z, -(size * 3));
      expect(repeated.length).toBe(size * 3);
      const withScores = await client.zrandmember(z, -5, "WITHSCORES");
      for (let i = 0; i < withScores.length; i += 2) expect(withScores[i]).toBe(`m${withScores[i + 1]}`);
      expect(await client.zrandmember(z, size * 2)).toHaveLength(size);
    }
  });

  it("ZSCAN of a large set returns every member that stays, despite deletions between calls", async () => {
    prefix++;
    const z = key("scan");
    const args: (string | number)[] = [];
    for (let i = 0; i < 2000; i++) args.push(i, `m${i}`);
    await client.zadd(z, ...args);
    expect(await client.object("ENCODING", z)).toBe("skiplist");
    const seen = new Map<string, string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, items] = await client.zscan(z, cursor, "COUNT", 50);
      for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
      // Delete some members with an odd index between calls: they may or may not be returned.
      await client.zrem(z, `m${2 * calls + 1}`, `m${1999 - 2 * calls}`);
      cursor = next;
      calls++;
    } while (cursor !== "0");
    expect(calls).toBeGreaterThan(10);
    for (let i = 0; i < 2000; i += 2) expect(seen.get(`m${i}`)).toBe(String(i));
  });

  it("BZPOPMIN serves blocked clients in the order they blocked", async () => {
    prefix++;
    const q = key("q");
    const waiters = [ioredis(port()), ioredis(port()), ioredis(port())];
    try {
      const replies: Promise<unknown>[] = [];
      for (let i = 0; i < waiters.length; i++) {
        replies.push(waiters[i]!.bzpopmin(q, 0));
        await waitBlocked(other, i + 1);
      }
      await other.zadd(q, 3, "c", 1, "a", 2, "b");
      expect(await Promise.all(replies)).toEqual([
        [q, "a", "1"],
        [q, "b", "2"],
        [q, "c", "3"],
      ]);
      expect(await other.exists(q)).toBe(0);
      await waitBlocked(other, 0);
    } finally {
      for (const waiter of waiters) waiter.disconnect();
    }
  });

  it("BZPOPMAX waits on several keys, BZMPOP pops COUNT, timeouts reply null", async () => {
    prefix++;
    const [k1, k2] = [key("k1"), key("k2")];
    const waiter = ioredis(port());
    try {
      const served = waiter.bzpopmax(k1, k2, 0);
      await waitBlocked(other, 1);
      await other.zadd(k2, 5, "five", 7, "seven");
      expect(await served).toEqual([k2, "seven", "7"]);
      const multi = waiter.bzmpop(0, 1, k1, "MIN", "COUNT", 10);
      await waitBlocked(other, 1);
      await other.zadd(k1, 1, "one");
      expect(await multi).toEqual([k1, [["one", "1"]]]);
      expect(await waiter.bzpopmin(k1, 0.05)).toBeNull();
      expect(await waiter.bzmpop(0.05, 1, k1, "MAX")).toBeNull();
      expect(await waiter.zcard(k2)).toBe(1);
    } finally {
      waiter.disconnect();
    }
  });
});

describe.each(servers)("blocked sorted set pops and the rest of the server (%s)", (_name, port) => {
  it("CLIENT UNBLOCK ends a BZPOPMIN with the timeout reply or an UNBLOCKED error", async () => {
    const admin = ioredis(port());
    const waiter = ioredis(port());
    try {
      const id = await waiter.client("ID");
      const timedOut = waiter.bzpopmin("ub:q", 0);
      await waitBlocked(admin, 1);
      expect(await admin.client("UNBLOCK", id, "TIMEOUT")).toBe(1);
      expect(await timedOut).toBeNull();
      const failed = waiter.bzmpop(0, 1, "ub:q", "MAX").then(
        () => "served",
        (error: Error) => error.message,
      );
      await waitBlocked(admin, 1);
      expect(await admin.client("UNBLOCK", id, "ERROR")).toBe(1);
      expect(await failed).toBe("UNBLOCKED client unblocked via CLIENT UNBLOCK");
      expect(await admin.client("UNBLOCK", id)).toBe(0);
    } finally {
      admin.disconnect();
      waiter.disconnect();
    }
  });

  it("a waiter stays blocked while its key holds another type, and is served once it is a sorted set", async () => {
    const admin = ioredis(port());
    const waiter = ioredis(port());
    try {
      await admin.del("ty:q");
      const served = waiter.bzpopmax("ty:q", 0);
      await waitBlocked(admin, 1);
      await admin.set("ty:q", "string");
      await admin.del("ty:q");
      await waitBlocked(admin, 1);
      await admin.zadd("ty:q", 3, "z");
      expect(await served).toEqual(["ty:q", "z", "3"]);
    } finally {
      admin.disconnect();
      waiter.disconnect();
    }
  });

  it("requests pipelined behind a blocked BZPOPMIN wait for it", async () => {
    const admin = ioredis(port());
    const waiter = ioredis(port());
    try {
      const replies = waiter.pipeline().bzpopmin("pl:q", 0).zcard("pl:q").exec();
      await waitBlocked(admin, 1);
      await admin.zadd("pl:q", 1, "a", 2, "b");
      expect((await replies)?.map(([, value]) => value)).toEqual([["pl:q", "a", "1"], 1]);
    } finally {
      admin.disconnect();
      waiter.disconnect();
    }
  });
});

describe.each(servers)("sorted sets over node-redis (%s)", (_name, port) => {
  it("parses scores as numbers in RESP2", async () => {
    const client = createClient({ socket: { port: port(), host: "127.0.0.1" } });
    await client.connect();
    try {
      const z = "nr2:z";
      await client.del(z);
      expect(
        await client.zAdd(z, [
          { score: 1.5, value: "a" },
          { score: -2, value: "b" },
        ]),
      ).toBe(2);
      expect(await client.zScore(z, "a")).toBe(1.5);
      expect(await client.zRangeWithScores(z, 0, -1)).toEqual([
        { value: "b", score: -2 },
        { value: "a", score: 1.5 },
      ]);
      expect(await client.zIncrBy(z, 0.25, "b")).toBe(-1.75);
      expect(await client.zRank(z, "a")).toBe(1);
      expect(await client.zPopMax(z)).toEqual({ value: "a", score: 1.5 });
      expect(await client.zmPop(z, "MIN")).toEqual({ key: z, members: [{ value: "b", score: -1.75 }] });
      expect(await client.exists(z)).toBe(0);
    } finally {
      client.destroy();
    }
  });

  it("gets nested pairs and doubles in RESP3", async () => {
    const client = createClient({ socket: { port: port(), host: "127.0.0.1" }, RESP: 3 });
    await client.connect();
    try {
      const [a, b] = ["nr3:a", "nr3:b"];
      await client.del([a, b]);
      await client.zAdd(a, [
        { score: 1, value: "x" },
        { score: 2, value: "y" },
      ]);
      await client.zAdd(b, { score: 0.5, value: "y" });
      expect(await client.zRangeWithScores(a, 0, -1)).toEqual([
        { value: "x", score: 1 },
        { value: "y", score: 2 },
      ]);
      expect(await client.zUnionWithScores([a, b])).toEqual([
        { value: "x", score: 1 },
        { value: "y", score: 2.5 },
      ]);
      expect(await client.zScore(a, "y")).toBe(2);
      expect(await client.zPopMinCount(a, 1)).toEqual([{ value: "x", score: 1 }]);
      const waiter = client.duplicate();
      await waiter.connect();
      try {
        const served = waiter.bzPopMin("nr3:q", 0);
        const watcher = ioredis(port());
        await waitBlocked(watcher, 1);
        watcher.disconnect();
        await client.zAdd("nr3:q", { score: 4, value: "w" });
        expect(await served).toEqual({ key: "nr3:q", value: "w", score: 4 });
      } finally {
        waiter.destroy();
      }
    } finally {
      client.destroy();
    }
  });
});

describe("what Spinel propagates for sorted set pops", () => {
  it("ZMPOP, BZMPOP and woken BZPOPMIN clients propagate as ZPOPMIN / ZPOPMAX", async () => {
    const client = ioredis(spinelServer.port);
    const waiter = ioredis(spinelServer.port);
    try {
      await client.zadd("prop:z", 1, "a", 2, "b", 3, "c", 4, "d");
      propagated.length = 0;
      await client.zmpop(1, "prop:z", "MAX", "COUNT", 2);
      await client.bzmpop(0, 1, "prop:z", "MIN");
      await client.bzpopmin("prop:z", 0);
      expect(propagated).toEqual([
        ["ZPOPMAX", "prop:z", "2"],
        ["ZPOPMIN", "prop:z", "1"],
        ["ZPOPMIN", "prop:z"],
      ]);
      propagated.length = 0;
      const served = waiter.bzpopmax("prop:q", 0);
      await waitBlocked(client, 1);
      await client.zadd("prop:q", 1, "x", 2, "y");
      expect(await served).toEqual(["prop:q", "y", "2"]);
      const counted = waiter.bzmpop(0, 1, "prop:r", "MIN", "COUNT", 10);
      await waitBlocked(client, 1);
      await client.zadd("prop:r", 1, "x", 2, "y");
      expect(await counted).toEqual([
        "prop:r",
        [
          ["x", "1"],
          ["y", "2"],
        ],
      ]);
      expect(propagated).toEqual([
        ["ZADD", "prop:q", "1", "x", "2", "y"],
        ["ZPOPMAX", "prop:q"],
        ["ZADD", "prop:r", "1", "x", "2", "y"],
        ["ZPOPMIN", "prop:r", "2"],
      ]);
      // Nothing changed, nothing propagated.
      propagated.length = 0;
      await client.zadd("prop:q", "NX", 5, "x");
      await client.zrem("prop:q", "nope");
      await client.zpopmin("prop:none");
      expect(propagated).toEqual([]);
    } finally {
      client.disconnect();
      waiter.disconnect();
    }
  });
});
