/*
 * The blocking registry on an in-memory server: clients with a recording
 * connection handle (it notes pause, resume and flush requests; replies go to a
 * real ReplyWriter and are decoded with @spinel/resp's decoder). Covers the
 * timeout parser, serving order and propagation, wake-up after EXEC, timeouts,
 * CLIENT UNBLOCK, disconnects, and a second family to show the registry is
 * generic. Real sockets and redis-server comparisons live in tests/src/blocking.
 */

import { type EventClass, RedisString } from "@spinel/core-db";
import { ReplyDecoder, ReplyWriter, RespError, type RespValue } from "@spinel/resp";
import { afterEach, describe, expect, it } from "vitest";
import {
  type BlockedClient,
  type BlockingFamily,
  getBlockingTimeoutOrReply,
  propagateServed,
  ServeOutcome,
} from "./blocking.js";
import { ClientFlag, ClientSession, type ConnectionHandle } from "./client-session.js";
import { connectionCommands } from "./commands/connection.js";
import { listCommands } from "./commands/list.js";
import { stringCommands } from "./commands/string.js";
import { transactionCommands } from "./commands/transaction.js";
import { processCommand, sessionClosed } from "./dispatch.js";
import { ServerState } from "./server-state.js";

let nextConnectionId = 1;

/** A connection handle that records what the registry asks of it. */
class RecordingConnection implements ConnectionHandle {
  readonly id = nextConnectionId++;
  readonly remoteAddress = "127.0.0.1:1";
  readonly localAddress = "127.0.0.1:2";
  readonly fd = -1;
  readonly createdAt = Date.now();
  readonly lastInteraction = Date.now();
  readonly queryBufferBytes = 0;
  readonly outputBufferBytes = 0;
  readonly writer = new ReplyWriter(2);
  readonly isClosing = false;
  outputLimitClass: "normal" | "pubsub" | "replica" = "normal";
  timeoutExempt = false;
  paused = false;
  flushRequests = 0;
  resumes = 0;

  requestFlush(): void {
    this.flushRequests++;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.resumes++;
  }
  close(): void {}
  checkOutputLimits(): boolean {
    return false;
  }
}

/** One client of the test server: run commands, read what arrived later. */
class TestClient {
  readonly connection = new RecordingConnection();
  readonly session: ClientSession;
  private readonly decoder = new ReplyDecoder();

  constructor(server: ServerState) {
    this.session = new ClientSession(server, this.connection);
    server.clients.set(this.session.id, this.session);
  }

  /** Send a command; returns its reply, or undefined when there is none yet (blocked). */
  send(...args: string[]): unknown {
    processCommand(
      this.session,
      args.map((arg) => Buffer.from(arg, "latin1")),
    );
    return this.reply();
  }

  /** The next reply that arrived, or undefined. */
  reply(): unknown {
    for (const chunk of this.connection.writer.drain()) this.decoder.feed(chunk);
    const value = this.decoder.next();
    return value === undefined ? undefined : plain(value);
  }
}

function plain(value: RespValue): unknown {
  if (Buffer.isBuffer(value)) return value.toString("latin1");
  if (value instanceof RespError) return `-${value.message}`;
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

const servers: ServerState[] = [];

function harness() {
  const events: string[] = [];
  const propagated: string[][] = [];
  const server = new ServerState({
    specs: [...listCommands, ...stringCommands, ...transactionCommands, ...connectionCommands],
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
  servers.push(server);
  return { server, events, propagated, client: () => new TestClient(server) };
}

afterEach(() => {
  // Leave no timers behind: disconnect whoever is still blocked.
  for (const server of servers.splice(0)) {
    for (const session of [...server.clients.values()]) sessionClosed(session);
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("getBlockingTimeoutOrReply", () => {
  const parse = (text: string) => {
    const { client } = harness();
    const c = client().session;
    c.server.keyspace.freezeTime();
    const now = c.server.keyspace.now;
    const deadline = getBlockingTimeoutOrReply(c, Buffer.from(text));
    c.server.keyspace.unfreezeTime();
    const decoder = new ReplyDecoder();
    for (const chunk of c.reply.drain()) decoder.feed(chunk);
    const error = decoder.next();
    return {
      relative: deadline === null || deadline === 0 ? deadline : deadline - now,
      error: error && plain(error),
    };
  };

  it("accepts seconds with decimals, exponents and hex, rounding up to whole ms", () => {
    expect(parse("1.5").relative).toBe(1500);
    expect(parse("0.0015").relative).toBe(2);
    expect(parse("0.0001").relative).toBe(1);
    expect(parse("1e1").relative).toBe(10000);
    expect(parse("0x10").relative).toBe(16000);
  });

  it("0, and small negatives that round up to 0 ms, mean forever", () => {
    expect(parse("0").relative).toBe(0);
    expect(parse("-0").relative).toBe(0);
    expect(parse("-0.0001").relative).toBe(0);
    expect(parse("-0.0009").relative).toBe(0);
    // 0.001 is a hair below 1/1000 in extended precision: -0.001 s rounds up to -0 ms.
    expect(parse("-0.001").relative).toBe(0);
  });

  it("rejects what Redis rejects, with its texts", () => {
    expect(parse("abc").error).toBe("-ERR timeout is not a float or out of range");
    expect(parse("nan").error).toBe("-ERR timeout is not a float or out of range");
    expect(parse("").error).toBe("-ERR timeout is not a float or out of range");
    expect(parse("-1").error).toBe("-ERR timeout is negative");
    expect(parse("inf").error).toBe("-ERR timeout is negative");
    expect(parse("1e20").error).toBe("-ERR timeout is negative");
    expect(parse("-0.002").error).toBe("-ERR timeout is negative");
    // 9223372036854775.8076171875 s is 2^63 - 0.5 ms: it rounds up past LLONG_MAX.
    expect(parse("9223372036854775.8076171875").error).toBe("-ERR timeout is negative");
    expect(parse("1e5000").error).toBe("-ERR timeout is not a float or out of range");
  });

  it("a deadline beyond the 64-bit range waits forever, as it never fires in Redis", () => {
    expect(parse("9223372036854775").relative).toBe(0);
    expect(parse("9223372036854775.8066406250").relative).toBe(0);
  });
});

describe("blocking and serving", () => {
  it("blocks without a reply, pauses the connection and serves on a push", () => {
    const { client, server, events, propagated } = harness();
    const waiter = client();
    const writer = client();
    expect(waiter.send("BLPOP", "q", "0")).toBeUndefined();
    expect(waiter.connection.paused).toBe(true);
    expect(waiter.connection.timeoutExempt).toBe(true);
    expect(waiter.session.hasFlag(ClientFlag.Blocked)).toBe(true);
    expect(server.blocking.blockedClients).toBe(1);
    expect(server.blocking.blockedKeys).toBe(1);
    expect(server.blocking.clientsWithTimeout).toBe(0);

    expect(writer.send("RPUSH", "q", "v")).toBe(1);
    expect(waiter.reply()).toEqual(["q", "v"]);
    expect(waiter.connection.paused).toBe(false);
    expect(waiter.connection.flushRequests).toBeGreaterThan(0);
    expect(waiter.connection.timeoutExempt).toBe(false);
    expect(waiter.session.hasFlag(ClientFlag.Blocked)).toBe(false);
    expect(server.blocking.blockedClients).toBe(0);
    expect(server.blocking.blockedKeys).toBe(0);
    expect(propagated).toEqual([
      ["RPUSH", "q", "v"],
      ["LPOP", "q"],
    ]);
    expect(events).toEqual(["new q", "rpush q", "lpop q", "del q"]);
  });

  it("serves waiters of one key first blocked, first served, while elements last", () => {
    const { client } = harness();
    const [a, b, c] = [client(), client(), client()];
    a.send("BLPOP", "q", "0");
    b.send("BRPOP", "q", "0");
    c.send("BLPOP", "q", "0");
    client().send("RPUSH", "q", "1", "2");
    expect(a.reply()).toEqual(["q", "1"]);
    expect(b.reply()).toEqual(["q", "2"]);
    expect(c.reply()).toBeUndefined();
    expect(c.session.hasFlag(ClientFlag.Blocked)).toBe(true);
  });

  it("a key listed twice is waited on once", () => {
    const { client, server } = harness();
    client().send("BLPOP", "k", "k", "0");
    expect(server.blocking.blockedKeys).toBe(1);
  });

  it("pushes inside MULTI/EXEC wake the waiter after EXEC, and it pops what EXEC left", () => {
    const { client, propagated } = harness();
    const waiter = client();
    const writer = client();
    waiter.send("BLPOP", "q", "0");
    writer.send("MULTI");
    writer.send("RPUSH", "q", "a", "b");
    expect(waiter.reply()).toBeUndefined();
    writer.send("LPOP", "q");
    expect(writer.send("EXEC")).toEqual([2, "a"]);
    expect(waiter.reply()).toEqual(["q", "b"]);
    expect(propagated.slice(-1)).toEqual([["LPOP", "q"]]);
  });

  it("a blocking command inside MULTI answers at once", () => {
    const { client, server } = harness();
    const c = client();
    c.send("MULTI");
    c.send("BLPOP", "q", "0");
    c.send("BLMOVE", "q", "d", "LEFT", "LEFT", "0");
    expect(c.send("EXEC")).toEqual([null, null]);
    expect(server.blocking.blockedClients).toBe(0);
  });

  it("served BLMOVE, BRPOPLPUSH and BLMPOP propagate their non-blocking forms", () => {
    const { client, propagated } = harness();
    const [mover, popPusher, multiPopper, writer] = [client(), client(), client(), client()];
    mover.send("BLMOVE", "s1", "d1", "RIGHT", "LEFT", "0");
    popPusher.send("BRPOPLPUSH", "s2", "d2", "0");
    multiPopper.send("BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "5");
    writer.send("RPUSH", "s1", "x");
    writer.send("RPUSH", "s2", "y");
    writer.send("RPUSH", "m2", "1", "2");
    expect(mover.reply()).toBe("x");
    expect(popPusher.reply()).toBe("y");
    expect(multiPopper.reply()).toEqual(["m2", ["2", "1"]]);
    expect(propagated).toEqual([
      ["RPUSH", "s1", "x"],
      ["LMOVE", "s1", "d1", "right", "left"],
      ["RPUSH", "s2", "y"],
      ["RPOPLPUSH", "s2", "d2"],
      ["RPUSH", "m2", "1", "2"],
      ["RPOP", "m2", "2"],
    ]);
  });

  it("a served BLMOVE with a wrong-type destination gets WRONGTYPE, counted as an error", () => {
    const { client, server } = harness();
    const mover = client();
    const writer = client();
    mover.send("BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
    writer.send("SET", "dst", "x");
    writer.send("RPUSH", "src", "v");
    expect(mover.reply()).toBe("-WRONGTYPE Operation against a key holding the wrong kind of value");
    expect(mover.session.reply.lastErrorCode).toBeNull();
    expect(server.stats.errorCounts.get("WRONGTYPE")).toBe(1);
    expect(writer.send("LRANGE", "src", "0", "-1")).toEqual(["v"]);
  });
});

describe("leaving the blocked state", () => {
  it("times out with a null array after the deadline", async () => {
    const { client, server } = harness();
    const waiter = client();
    const started = Date.now();
    waiter.send("BLPOP", "q", "0.05");
    expect(waiter.reply()).toBeUndefined();
    expect(server.blocking.clientsWithTimeout).toBe(1);
    while (waiter.session.hasFlag(ClientFlag.Blocked) && Date.now() - started < 2000) await sleep(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(waiter.reply()).toBeNull();
    expect(waiter.connection.paused).toBe(false);
    expect(server.blocking.blockedClients).toBe(0);
    expect(server.blocking.clientsWithTimeout).toBe(0);
  });

  it("CLIENT UNBLOCK semantics: timeout reply, or the UNBLOCKED error counted in the stats", () => {
    const { client, server } = harness();
    const waiter = client();
    expect(server.blocking.unblock(waiter.session, false)).toBe(false);
    waiter.send("BRPOP", "q", "0");
    expect(server.blocking.unblock(waiter.session, false)).toBe(true);
    expect(waiter.reply()).toBeNull();
    waiter.send("BLMOVE", "q", "d", "LEFT", "LEFT", "0");
    expect(server.blocking.unblock(waiter.session, true)).toBe(true);
    expect(waiter.reply()).toBe("-UNBLOCKED client unblocked via CLIENT UNBLOCK");
    expect(server.stats.errorCounts.get("UNBLOCKED")).toBe(1);
    expect(waiter.session.reply.lastErrorCode).toBeNull();
    expect(server.blocking.unblock(waiter.session, true)).toBe(false);
    expect(waiter.connection.resumes).toBe(2);
  });

  it("a client that disconnects while blocked leaves no trace; the next push stays", () => {
    const { client, server } = harness();
    const gone = client();
    const writer = client();
    gone.send("BLPOP", "q", "0.5");
    sessionClosed(gone.session);
    expect(server.blocking.blockedClients).toBe(0);
    expect(server.blocking.blockedKeys).toBe(0);
    expect(writer.send("RPUSH", "q", "kept")).toBe(1);
    expect(writer.send("LRANGE", "q", "0", "-1")).toEqual(["kept"]);
    expect(gone.reply()).toBeUndefined();
  });
});

// ---------------------------------------------------------------- a second family

/**
 * A family used only here: wait until the key holds a string, then reply it
 * and delete the key (like a sorted-set family would pop a member).
 */
const takeString: BlockingFamily<null> = {
  serve(blocked: BlockedClient<null>, key: string): ServeOutcome {
    const value = blocked.db.lookupWrite(key);
    if (value === undefined) return ServeOutcome.Exhausted;
    if (value.type !== "string") return ServeOutcome.NotServed;
    blocked.client.reply.bulk(value.toBuffer());
    blocked.db.delete(key);
    blocked.db.notify(key, "del", 4 as EventClass);
    propagateServed(blocked, [Buffer.from("DEL"), Buffer.from(key, "latin1")]);
    return ServeOutcome.Served;
  },
  replyTimeout(blocked: BlockedClient<null>): void {
    blocked.client.reply.nullBulk();
  },
};

describe("the registry is generic", () => {
  it("waiters of another family are skipped, not stopped at, when the key has the other type", () => {
    const { client, server, propagated } = harness();
    const listWaiter = client();
    const stringWaiter = client();
    listWaiter.send("BLPOP", "k", "0");
    server.blocking.block(stringWaiter.session, ["k"], 0, takeString, null);
    expect(server.blocking.blockedClients).toBe(2);

    client().send("SET", "k", "text");
    expect(listWaiter.reply()).toBeUndefined();
    expect(stringWaiter.reply()).toBe("text");
    expect(propagated.slice(-1)).toEqual([["DEL", "k"]]);

    client().send("RPUSH", "k", "item");
    expect(listWaiter.reply()).toEqual(["k", "item"]);
  });

  it("a family's timeout reply is used by CLIENT UNBLOCK ... TIMEOUT", () => {
    const { client, server } = harness();
    const waiter = client();
    server.blocking.block(waiter.session, ["k"], 0, takeString, null);
    server.blocking.unblock(waiter.session, false);
    expect(waiter.reply()).toBeNull();
  });

  it("an Exhausted key stops serving its later waiters", () => {
    const { client, server } = harness();
    const [first, second] = [client(), client()];
    first.send("BLPOP", "k", "0");
    second.send("BLPOP", "k", "0");
    // A write that leaves the key missing makes it "ready" without data.
    server.keyspace.db(0).set("k", RedisString.fromBytes(Buffer.from("x")));
    client().send("LPUSH", "other", "x");
    server.keyspace.db(0).delete("k");
    client().send("PING");
    expect(first.reply()).toBeUndefined();
    expect(second.reply()).toBeUndefined();
    expect(server.blocking.blockedClients).toBe(2);
  });
});
