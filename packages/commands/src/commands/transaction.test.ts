/*
 * Transactions on an in-memory server, through the gate and call(): what EXEC
 * propagates (one write as is, several wrapped in MULTI/EXEC, EXEC itself never),
 * and the WATCH registry's rules: writes, expiry (with a controlled clock),
 * FLUSHDB / FLUSHALL / SWAPDB, keys already expired when watched, cleanup.
 */

import { ReplyDecoder, RespError, type RespValue } from "@spinel/resp";
import { describe, expect, it } from "vitest";
import { ClientSession } from "../client-session.js";
import { processCommand, sessionClosed } from "../dispatch.js";
import { allCommandSpecs } from "../index.js";
import { ServerState } from "../server-state.js";

/** A server with every command, a settable clock and recorded propagation. */
function harness() {
  const propagated: string[][] = [];
  const server = new ServerState({
    specs: allCommandSpecs,
    propagator: { feed: (_db, argv) => propagated.push(argv.map((arg) => arg.toString("latin1"))) },
  });
  let now = 1_700_000_000_000;
  server.keyspace.clock = { now: () => now };
  const clients: ClientSession[] = [];
  const client = () => {
    const c = new ClientSession(server, null);
    server.clients.set(c.id, c);
    clients.push(c);
    const decoder = new ReplyDecoder();
    return (...args: string[]): unknown => {
      processCommand(
        c,
        args.map((arg) => Buffer.from(arg, "latin1")),
      );
      for (const chunk of c.reply.drain()) decoder.feed(chunk);
      const value = decoder.next();
      return value === undefined ? undefined : plain(value);
    };
  };
  const advance = (ms: number) => {
    now += ms;
  };
  return { server, client, clients, propagated, advance };
}

function plain(value: RespValue): unknown {
  if (Buffer.isBuffer(value)) return value.toString("latin1");
  if (value instanceof RespError) return `-${value.message}`;
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

describe("EXEC and propagation", () => {
  it("wraps several writes in MULTI/EXEC and does not propagate EXEC itself", () => {
    const { client, propagated } = harness();
    const a = client();
    expect(a("MULTI")).toBe("OK");
    expect(a("SET", "k1", "1")).toBe("QUEUED");
    expect(a("GET", "k1")).toBe("QUEUED");
    expect(a("SET", "k2", "2")).toBe("QUEUED");
    expect(a("EXEC")).toEqual(["OK", "1", "OK"]);
    expect(propagated).toEqual([["MULTI"], ["SET", "k1", "1"], ["SET", "k2", "2"], ["EXEC"]]);
  });

  it("propagates a single write of a transaction as is", () => {
    const { client, propagated } = harness();
    const a = client();
    a("MULTI");
    a("GET", "k");
    a("SET", "k", "v");
    expect(a("EXEC")).toEqual([null, "OK"]);
    expect(propagated).toEqual([["SET", "k", "v"]]);
  });

  it("propagates nothing for a read-only or aborted transaction", () => {
    const { client, propagated } = harness();
    const a = client();
    a("MULTI");
    a("GET", "k");
    expect(a("EXEC")).toEqual([null]);
    a("MULTI");
    a("SET", "k", "v");
    a("NOSUCH");
    expect(a("EXEC")).toBe("-EXECABORT Transaction discarded because of previous errors.");
    expect(a("GET", "k")).toBe(null);
    expect(propagated).toEqual([]);
  });

  it("keeps running after a run-time error and counts it", () => {
    const { client, server } = harness();
    const a = client();
    a("SET", "text", "abc");
    a("MULTI");
    a("LPUSH", "text", "x");
    a("SET", "after", "1");
    const reply = a("EXEC") as unknown[];
    expect(reply[0]).toMatch(/^-WRONGTYPE/);
    expect(reply[1]).toBe("OK");
    expect(server.stats.errorCounts.get("WRONGTYPE")).toBe(1);
  });

  it("leaves the MULTI flag set while queued commands run, and clears it after", () => {
    const { client, clients } = harness();
    const a = client();
    a("MULTI");
    a("CLIENT", "LIST");
    const [list] = a("EXEC") as string[];
    expect(list).toMatch(/flags=x /);
    expect(list).toMatch(/multi=-1 /);
    expect(clients[0]!.flags & 1).toBe(0);
  });
});

describe("WATCH", () => {
  it("fails EXEC after a write by another client, and only for that key", () => {
    const { client, server } = harness();
    const a = client();
    const b = client();
    a("WATCH", "k", "other");
    b("SET", "unrelated", "1");
    a("MULTI");
    a("PING");
    expect(a("EXEC")).toEqual(["PONG"]);
    a("WATCH", "k");
    b("SET", "k", "1");
    a("MULTI");
    a("PING");
    expect(a("EXEC")).toBe(null);
    expect(server.watch.watchedKeyCount).toBe(0);
  });

  it("fails EXEC when a watched key expires after WATCH", () => {
    const { client, advance } = harness();
    const a = client();
    a("SET", "k", "v", "PX", "100");
    a("WATCH", "k");
    advance(200);
    a("MULTI");
    a("PING");
    expect(a("EXEC")).toBe(null);
  });

  it("keeps EXEC when the key was already expired at WATCH time and is then deleted", () => {
    const { client, advance } = harness();
    const a = client();
    const b = client();
    a("SET", "k", "v", "PX", "10");
    advance(20);
    a("WATCH", "k");
    expect(b("GET", "k")).toBe(null);
    a("MULTI");
    a("PING");
    expect(a("EXEC")).toEqual(["PONG"]);
  });

  it("fails EXEC when a key already expired at WATCH time is written again", () => {
    const { client, advance } = harness();
    const a = client();
    const b = client();
    a("SET", "k", "v", "PX", "10");
    advance(20);
    a("WATCH", "k");
    b("SET", "k", "new");
    a("MULTI");
    a("PING");
    expect(a("EXEC")).toBe(null);
  });

  it("FLUSHDB dirties watchers of existing keys only", () => {
    const { client } = harness();
    const a = client();
    const b = client();
    const c = client();
    a("SET", "present", "1");
    a("WATCH", "present");
    b("WATCH", "absent");
    c("FLUSHDB");
    a("MULTI");
    b("MULTI");
    expect(a("EXEC")).toBe(null);
    expect(b("EXEC")).toEqual([]);
  });

  it("FLUSHALL reaches watchers of every database", () => {
    const { client } = harness();
    const a = client();
    const b = client();
    a("SELECT", "5");
    a("SET", "k", "1");
    a("WATCH", "k");
    b("FLUSHALL");
    a("MULTI");
    expect(a("EXEC")).toBe(null);
  });

  it("SWAPDB dirties a watcher when its key appears or disappears", () => {
    const { client } = harness();
    const a = client();
    const b = client();
    const c = client();
    c("SELECT", "1");
    c("SET", "incoming", "1");
    a("WATCH", "incoming");
    b("WATCH", "nowhere");
    c("SWAPDB", "0", "1");
    a("MULTI");
    b("MULTI");
    expect(a("EXEC")).toBe(null);
    expect(b("EXEC")).toEqual([]);
  });

  it("forgets a client's watches when it disconnects or resets", () => {
    const { client, clients, server } = harness();
    const a = client();
    const b = client();
    a("WATCH", "x", "y");
    b("WATCH", "x");
    expect(server.watch.watchedKeyCount).toBe(2);
    expect(server.watch.watchingClientCount).toBe(2);
    sessionClosed(clients[0]!);
    expect(server.watch.watchedKeyCount).toBe(1);
    b("RESET");
    expect(server.watch.watchedKeyCount).toBe(0);
  });

  it("UNWATCH clears a pending failure", () => {
    const { client } = harness();
    const a = client();
    a("WATCH", "k");
    a("SET", "k", "1");
    expect(a("UNWATCH")).toBe("OK");
    a("MULTI");
    expect(a("EXEC")).toEqual([]);
  });
});
