/*
 * Sorted set commands run through the gate and call() on an in-memory server:
 * replies decoded with @spinel/resp's decoder; keyspace events, dirty counts and
 * propagation captured. Byte-level agreement with redis-server is the job of the
 * differential corpora (tests/src/differential/corpus/zset-*.corpus.ts); this
 * file pins down the write epilogue of every mutating command: which events, in
 * which order, when the emptied key goes, and what reaches the AOF / replicas.
 */

import type { EventClass, RedisZSet } from "@spinel/core-db";
import { ReplyDecoder, RespDouble, RespError, type RespValue } from "@spinel/resp";
import { describe, expect, it } from "vitest";
import { ClientSession } from "../client-session.js";
import { processCommand } from "../dispatch.js";
import { ServerState } from "../server-state.js";
import { setCommands } from "./set.js";
import { stringCommands } from "./string.js";
import { transactionCommands } from "./transaction.js";
import { zsetCommands } from "./zset.js";

/** A server with the sorted set commands, recording events and propagation. */
function harness() {
  const events: string[] = [];
  const propagated: string[][] = [];
  const server = new ServerState({
    specs: [...zsetCommands, ...setCommands, ...stringCommands, ...transactionCommands],
    propagator: { feed: (_db, argv) => propagated.push(argv.map((arg) => arg.toString("latin1"))) },
  });
  server.keyspaceListeners.push({
    keyModified() {},
    databaseModified() {},
    keyspaceEvent(_class: EventClass, event: string, key: string) {
      if (event !== "keymiss") events.push(`${event} ${key}`);
    },
    keyExpired() {},
  });
  const c = new ClientSession(server, null);
  const decoder = new ReplyDecoder();
  const run = (...args: string[]): unknown => {
    processCommand(
      c,
      args.map((arg) => Buffer.from(arg, "latin1")),
    );
    for (const chunk of c.reply.drain()) decoder.feed(chunk);
    return plain(decoder.next()!);
  };
  const zset = (key: string) => c.db.lookupRead(key) as RedisZSet | undefined;
  /** Forget what was recorded so far. */
  const reset = () => {
    events.length = 0;
    propagated.length = 0;
  };
  return { server, c, run, events, propagated, zset, reset };
}

/** Decoded values made easy to compare: Buffers as text, errors as "-message", doubles as { double }. */
function plain(value: RespValue): unknown {
  if (Buffer.isBuffer(value)) return value.toString("latin1");
  if (value instanceof RespError) return `-${value.message}`;
  if (value instanceof RespDouble) return { double: value.value };
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

describe("ZADD / ZINCRBY", () => {
  it("creates the key with the new and zadd events, counts dirty once per change, propagates as sent", () => {
    const { run, events, propagated, server, reset } = harness();
    const dirty = server.keyspace.dirty;
    expect(run("ZADD", "z", "1", "a", "2", "b")).toBe(2);
    expect(server.keyspace.dirty - dirty).toBe(2);
    expect(events).toEqual(["new z", "zadd z"]);
    expect(propagated).toEqual([["ZADD", "z", "1", "a", "2", "b"]]);
    reset();
    expect(run("ZINCRBY", "z", "1.5", "a")).toBe("2.5");
    expect(events).toEqual(["zincr z"]);
    expect(propagated).toEqual([["ZINCRBY", "z", "1.5", "a"]]);
  });

  it("neither notifies nor propagates when nothing changed", () => {
    const { run, events, propagated, reset } = harness();
    run("ZADD", "z", "1", "a");
    reset();
    expect(run("ZADD", "z", "1", "a")).toBe(0);
    expect(run("ZADD", "z", "NX", "5", "a")).toBe(0);
    expect(run("ZADD", "z", "XX", "5", "b")).toBe(0);
    expect(run("ZADD", "z", "GT", "0", "a")).toBe(0);
    expect(run("ZADD", "missing", "XX", "1", "a")).toBe(0);
    expect(run("ZADD", "z", "XX", "INCR", "1", "b")).toBeNull();
    expect(events).toEqual([]);
    expect(propagated).toEqual([]);
  });

  it("stops at a NaN increment, keeping the score, with no event", () => {
    const { run, events, reset, zset } = harness();
    run("ZADD", "z", "inf", "a");
    reset();
    expect(run("ZINCRBY", "z", "-inf", "a")).toBe("-ERR resulting score is not a number (NaN)");
    expect(zset("z")!.score("a")).toBe(Number.POSITIVE_INFINITY);
    expect(events).toEqual([]);
  });

  it("converts the encoding at the live thresholds", () => {
    const { run, server, zset } = harness();
    server.keyspace.limits.zsetMaxListpackEntries = 2;
    run("ZADD", "z", "1", "a", "2", "b");
    expect(zset("z")!.encoding).toBe("listpack");
    run("ZADD", "z", "3", "c");
    expect(zset("z")!.encoding).toBe("skiplist");
    server.keyspace.limits.zsetMaxListpackValue = 3;
    run("ZADD", "y", "1", "abcd");
    expect(zset("y")!.encoding).toBe("skiplist");
  });
});

describe("removals", () => {
  it("ZREM emits zrem then del when the set empties, and deletes the key", () => {
    const { run, events, c, reset } = harness();
    run("ZADD", "z", "1", "a", "2", "b");
    reset();
    expect(run("ZREM", "z", "a", "x")).toBe(1);
    expect(run("ZREM", "z", "b")).toBe(1);
    expect(c.db.exists("z")).toBe(false);
    expect(events).toEqual(["zrem z", "zrem z", "del z"]);
  });

  it("ZREMRANGEBY* emit their own events", () => {
    const { run, events, reset } = harness();
    run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
    reset();
    expect(run("ZREMRANGEBYRANK", "z", "0", "0")).toBe(1);
    expect(run("ZREMRANGEBYSCORE", "z", "2", "2")).toBe(1);
    expect(run("ZREMRANGEBYLEX", "z", "-", "+")).toBe(2);
    expect(run("ZREMRANGEBYRANK", "z", "0", "-1")).toBe(0);
    expect(events).toEqual(["zremrangebyrank z", "zremrangebyscore z", "zremrangebylex z", "del z"]);
  });
});

describe("pops", () => {
  it("ZPOPMIN / ZPOPMAX emit one event per command, then del", () => {
    const { run, events, propagated, reset } = harness();
    run("ZADD", "z", "1", "a", "2", "b", "3", "c");
    reset();
    expect(run("ZPOPMIN", "z", "2")).toEqual(["a", "1", "b", "2"]);
    expect(run("ZPOPMAX", "z")).toEqual(["c", "3"]);
    expect(events).toEqual(["zpopmin z", "zpopmax z", "del z"]);
    expect(propagated).toEqual([
      ["ZPOPMIN", "z", "2"],
      ["ZPOPMAX", "z"],
    ]);
  });

  it("ZMPOP and BZMPOP propagate as ZPOPMIN / ZPOPMAX with COUNT; BZPOPMIN without", () => {
    const { run, propagated, reset } = harness();
    run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
    reset();
    expect(run("ZMPOP", "2", "none", "z", "MAX", "COUNT", "2")).toEqual([
      "z",
      [
        ["d", "4"],
        ["c", "3"],
      ],
    ]);
    expect(run("BZMPOP", "0", "1", "z", "MIN")).toEqual(["z", [["a", "1"]]]);
    expect(run("BZPOPMAX", "none", "z", "0")).toEqual(["z", "b", "2"]);
    expect(propagated).toEqual([
      ["ZPOPMAX", "z", "2"],
      ["ZPOPMIN", "z", "1"],
      ["ZPOPMAX", "z"],
    ]);
  });

  it("blocking pops of a client that cannot block reply the timeout at once", () => {
    const { run, propagated } = harness();
    expect(run("BZPOPMIN", "none", "0")).toBeNull();
    expect(run("BZMPOP", "0", "1", "none", "MAX")).toBeNull();
    expect(propagated).toEqual([]);
  });
});

describe("stores", () => {
  it("ZRANGESTORE and the set-algebra STOREs emit their events; an empty result deletes with del", () => {
    const { run, events, reset, c } = harness();
    run("ZADD", "a", "1", "x", "2", "y");
    run("ZADD", "b", "2", "y", "3", "z");
    reset();
    expect(run("ZRANGESTORE", "d1", "a", "0", "0")).toBe(1);
    expect(run("ZUNIONSTORE", "d2", "2", "a", "b")).toBe(3);
    expect(run("ZINTERSTORE", "d2", "2", "a", "b")).toBe(1);
    expect(run("ZDIFFSTORE", "d3", "2", "a", "b")).toBe(1);
    expect(run("ZDIFFSTORE", "d3", "2", "a", "a")).toBe(0);
    expect(run("ZRANGESTORE", "d1", "a", "5", "6")).toBe(0);
    expect(c.db.exists("d1") || c.db.exists("d3")).toBe(false);
    expect(events).toEqual([
      "new d1",
      "zrangestore d1",
      "new d2",
      "zunionstore d2",
      "zinterstore d2",
      "new d3",
      "zdiffstore d3",
      "del d3",
      "del d1",
    ]);
  });

  it("stored results use the encoding Redis picks, whatever the inputs", () => {
    const { run, server, zset } = harness();
    server.keyspace.limits.zsetMaxListpackEntries = 0;
    run("ZADD", "a", "-0", "x");
    expect(zset("a")!.encoding).toBe("skiplist");
    server.keyspace.limits.zsetMaxListpackEntries = 128;
    run("ZUNIONSTORE", "d", "1", "a");
    expect(zset("d")!.encoding).toBe("listpack");
    expect(Object.is(zset("d")!.score("x"), 0)).toBe(true);
    expect(Object.is(zset("a")!.score("x"), -0)).toBe(true);
  });
});

describe("RESP3 replies", () => {
  it("doubles and nested pairs", () => {
    const { run, c } = harness();
    c.resp = 3;
    run("ZADD", "z", "1.5", "a", "2", "b");
    expect(run("ZSCORE", "z", "a")).toEqual({ double: 1.5 });
    expect(run("ZRANGE", "z", "0", "-1", "WITHSCORES")).toEqual([
      ["a", { double: 1.5 }],
      ["b", { double: 2 }],
    ]);
    expect(run("ZPOPMIN", "z")).toEqual(["a", { double: 1.5 }]);
    expect(run("ZPOPMIN", "z", "1")).toEqual([["b", { double: 2 }]]);
    expect(run("ZRANK", "z", "a")).toBeNull();
  });
});

describe("transactions", () => {
  it("a blocking pop inside MULTI behaves as its non-blocking form", () => {
    const { run, propagated, reset } = harness();
    run("ZADD", "z", "1", "a");
    reset();
    run("MULTI");
    run("BZPOPMIN", "none", "0");
    run("BZPOPMIN", "z", "0");
    expect(run("EXEC")).toEqual([null, ["z", "a", "1"]]);
    expect(propagated).toEqual([["ZPOPMIN", "z"]]);
  });
});
