/*
 * List commands run through the gate and call() on an in-memory server: replies
 * decoded with @spinel/resp's decoder, keyspace events, the dirty counter and
 * propagation captured. (Byte-for-byte agreement with redis-server is the job of
 * tests/src/differential/corpus/list-*.corpus.ts.)
 */

import { type EventClass, ListEnd, RedisList } from "@spinel/core-db";
import { ReplyDecoder, RespError, type RespValue } from "@spinel/resp";
import { describe, expect, it } from "vitest";
import { ClientFlag, ClientSession } from "../client-session.js";
import { processCommand } from "../dispatch.js";
import { ServerState } from "../server-state.js";
import { connectionCommands } from "./connection.js";
import { listCommands } from "./list.js";
import { stringCommands } from "./string.js";
import { transactionCommands } from "./transaction.js";

/** A server with the list commands (plus SET and MULTI/EXEC), recording events and propagation. */
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
  const c = new ClientSession(server, null);
  const decoder = new ReplyDecoder();
  const run = (...args: (string | Buffer)[]): unknown => {
    processCommand(
      c,
      args.map((arg) => (typeof arg === "string" ? Buffer.from(arg, "latin1") : arg)),
    );
    for (const chunk of c.reply.drain()) decoder.feed(chunk);
    const reply = decoder.next();
    if (reply === undefined) throw new Error("no reply");
    return plain(reply);
  };
  return { server, c, run, events, propagated };
}

function plain(value: RespValue): unknown {
  if (Buffer.isBuffer(value)) return value.toString("latin1");
  if (value instanceof RespError) return `-${value.message}`;
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

const WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value";

describe("push and pop", () => {
  it("LPUSH / RPUSH create the list, count dirty per element and raise one event", () => {
    const { run, events, server, propagated } = harness();
    expect(run("LPUSH", "l", "a", "b")).toBe(2);
    expect(run("RPUSH", "l", "z")).toBe(3);
    expect(run("LRANGE", "l", "0", "-1")).toEqual(["b", "a", "z"]);
    expect(events).toEqual(["new l", "lpush l", "rpush l"]);
    expect(server.keyspace.dirty).toBe(3);
    expect(propagated).toEqual([
      ["LPUSH", "l", "a", "b"],
      ["RPUSH", "l", "z"],
    ]);
  });

  it("stores copies of the pushed arguments", () => {
    const { run, c } = harness();
    const argument = Buffer.from("original");
    run("RPUSH", "l", argument);
    argument.write("CHANGED!");
    const stored = c.db.lookupRead("l") as RedisList;
    expect(stored.at(0)?.toString()).toBe("original");
  });

  it("LPUSHX / RPUSHX leave a missing key alone", () => {
    const { run, events, propagated } = harness();
    expect(run("LPUSHX", "l", "a")).toBe(0);
    expect(run("RPUSHX", "l", "a")).toBe(0);
    expect(events).toEqual([]);
    expect(propagated).toEqual([]);
  });

  it("popping the last element deletes the key with lpop then del", () => {
    const { run, events, c } = harness();
    run("RPUSH", "l", "only");
    events.length = 0;
    expect(run("LPOP", "l")).toBe("only");
    expect(c.db.exists("l")).toBe(false);
    expect(events).toEqual(["lpop l", "del l"]);
  });

  it("RPOP with a count pops tail first and counts dirty per element", () => {
    const { run, server } = harness();
    run("RPUSH", "l", "a", "b", "c", "d");
    const before = server.keyspace.dirty;
    expect(run("RPOP", "l", "3")).toEqual(["d", "c", "b"]);
    expect(server.keyspace.dirty - before).toBe(3);
  });

  it("count rules: 0 gives an empty array, a missing key a null array, negative an error", () => {
    const { run, propagated } = harness();
    run("RPUSH", "l", "a");
    propagated.length = 0;
    expect(run("LPOP", "l", "0")).toEqual([]);
    expect(run("LPOP", "missing", "2")).toBeNull();
    expect(run("LPOP", "l", "-1")).toBe("-ERR value is out of range, must be positive");
    expect(run("LPOP", "l", "1", "2")).toBe("-ERR wrong number of arguments for 'lpop' command");
    expect(propagated).toEqual([]);
  });

  it("wrong types are refused", () => {
    const { run } = harness();
    run("SET", "s", "x");
    expect(run("LPUSH", "s", "a")).toBe(WRONGTYPE);
    expect(run("LPOP", "s")).toBe(WRONGTYPE);
    expect(run("LLEN", "s")).toBe(WRONGTYPE);
    expect(run("LRANGE", "s", "0", "-1")).toBe(WRONGTYPE);
  });
});

describe("edits", () => {
  it("LSET, LINSERT, LREM and LTRIM raise their events; emptied lists are deleted", () => {
    const { run, events, c } = harness();
    run("RPUSH", "l", "a", "x", "b", "x");
    events.length = 0;
    expect(run("LSET", "l", "0", "A")).toBe("OK");
    expect(run("LINSERT", "l", "AFTER", "b", "c")).toBe(5);
    expect(run("LINSERT", "l", "AFTER", "nope", "c")).toBe(-1);
    expect(run("LREM", "l", "0", "x")).toBe(2);
    expect(run("LREM", "l", "0", "x")).toBe(0);
    expect(run("LRANGE", "l", "0", "-1")).toEqual(["A", "b", "c"]);
    expect(run("LTRIM", "l", "5", "1")).toBe("OK");
    expect(c.db.exists("l")).toBe(false);
    expect(events).toEqual(["lset l", "linsert l", "lrem l", "ltrim l", "del l"]);
  });

  it("a no-op LTRIM notifies but is not propagated", () => {
    const { run, events, propagated } = harness();
    run("RPUSH", "l", "a", "b");
    events.length = 0;
    propagated.length = 0;
    expect(run("LTRIM", "l", "0", "-1")).toBe("OK");
    expect(events).toEqual(["ltrim l"]);
    expect(propagated).toEqual([]);
    expect(run("LTRIM", "l", "1", "1")).toBe("OK");
    expect(propagated).toEqual([["LTRIM", "l", "1", "1"]]);
  });

  it("LPOS with RANK, COUNT and MAXLEN", () => {
    const { run } = harness();
    run("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
    expect(run("LPOS", "l", "c")).toBe(2);
    expect(run("LPOS", "l", "c", "RANK", "-1")).toBe(7);
    expect(run("LPOS", "l", "c", "COUNT", "0")).toEqual([2, 6, 7]);
    expect(run("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7")).toEqual([2, 6]);
    expect(run("LPOS", "l", "c", "RANK", "-9223372036854775808", "COUNT", "2")).toEqual([7, 6, 2]);
    expect(run("LPOS", "l", "c", "RANK", "0")).toMatch(/^-ERR RANK can't be zero/);
  });
});

describe("moves and multi-pops", () => {
  it("LMOVE raises the destination's push before the source's pop, then del", () => {
    const { run, events, c } = harness();
    run("RPUSH", "s", "only");
    events.length = 0;
    expect(run("LMOVE", "s", "d", "LEFT", "RIGHT")).toBe("only");
    expect(events).toEqual(["new d", "rpush d", "lpop s", "del s"]);
    expect(c.db.exists("s")).toBe(false);
  });

  it("LMOVE onto the same key keeps a one-element list", () => {
    const { run, c } = harness();
    run("RPUSH", "l", "one");
    expect(run("LMOVE", "l", "l", "LEFT", "RIGHT")).toBe("one");
    expect(run("LRANGE", "l", "0", "-1")).toEqual(["one"]);
    expect(c.db.exists("l")).toBe(true);
  });

  it("LMPOP is propagated as LPOP / RPOP with the number popped", () => {
    const { run, propagated } = harness();
    run("RPUSH", "b", "1", "2", "3");
    propagated.length = 0;
    expect(run("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "5")).toEqual(["b", ["3", "2", "1"]]);
    expect(propagated).toEqual([["RPOP", "b", "3"]]);
  });

  it("LMPOP key positions come from numkeys", () => {
    const { server } = harness();
    const argv = ["LMPOP", "2", "a", "b", "LEFT"].map((arg) => Buffer.from(arg));
    expect(server.table.get("lmpop")!.keyIndexes(argv)).toEqual([2, 3]);
    const blocking = ["BLMPOP", "0", "3", "a", "b", "c", "LEFT"].map((arg) => Buffer.from(arg));
    expect(server.table.get("blmpop")!.keyIndexes(blocking)).toEqual([3, 4, 5]);
    expect(
      server.table.get("blpop")!.keyIndexes(["BLPOP", "a", "b", "0"].map((a) => Buffer.from(a))),
    ).toEqual([1, 2]);
  });
});

describe("blocking commands that answer at once", () => {
  it("BLPOP with data is propagated as LPOP of the key it served", () => {
    const { run, propagated } = harness();
    run("RPUSH", "b", "v");
    propagated.length = 0;
    expect(run("BLPOP", "a", "b", "0")).toEqual(["b", "v"]);
    expect(propagated).toEqual([["LPOP", "b"]]);
  });

  it("BLMOVE and BRPOPLPUSH with data are propagated as LMOVE and RPOPLPUSH", () => {
    const { run, propagated } = harness();
    run("RPUSH", "s", "1", "2");
    propagated.length = 0;
    expect(run("BLMOVE", "s", "d", "RIGHT", "LEFT", "5")).toBe("2");
    expect(run("BRPOPLPUSH", "s", "d", "5")).toBe("1");
    expect(propagated).toEqual([
      ["LMOVE", "s", "d", "RIGHT", "LEFT"],
      ["RPOPLPUSH", "s", "d"],
    ]);
  });

  it("BLMPOP with data is propagated as LPOP key count", () => {
    const { run, propagated } = harness();
    run("RPUSH", "k", "1", "2");
    propagated.length = 0;
    expect(run("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "10")).toEqual(["k", ["1", "2"]]);
    expect(propagated).toEqual([["LPOP", "k", "2"]]);
  });

  it("a client that may not block gets the timeout reply at once", () => {
    const { run, c } = harness();
    // No connection: an AOF or replication pseudo-client never blocks.
    expect(run("BLPOP", "missing", "0")).toBeNull();
    expect(run("BLMOVE", "missing", "d", "LEFT", "LEFT", "0")).toBeNull();
    expect(run("BLMPOP", "0", "1", "missing", "LEFT")).toBeNull();
    expect(c.hasFlag(ClientFlag.Blocked)).toBe(false);
    expect(c.server.blocking.blockedClients).toBe(0);
  });

  it("timeout errors", () => {
    const { run } = harness();
    expect(run("BLPOP", "k", "x")).toBe("-ERR timeout is not a float or out of range");
    expect(run("BLPOP", "k", "-1")).toBe("-ERR timeout is negative");
    expect(run("BLPOP", "k", "inf")).toBe("-ERR timeout is negative");
    expect(run("BRPOPLPUSH", "k", "d", "nan")).toBe("-ERR timeout is not a float or out of range");
  });
});

describe("the list type behind the commands", () => {
  it("a list built through the type API reads back through the commands", () => {
    const { run, c } = harness();
    const list = RedisList.create();
    list.push(Buffer.from("x"), ListEnd.Tail);
    list.push(Buffer.from("w"), ListEnd.Head);
    c.db.add("built", list);
    expect(run("LRANGE", "built", "0", "-1")).toEqual(["w", "x"]);
    expect(run("LINDEX", "built", "-1")).toBe("x");
  });
});
