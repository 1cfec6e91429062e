/*
 * Blocking list commands with several real connections, each scenario run
 * against a real redis-server 7 and against Spinel: the transcripts (every reply
 * each connection saw, byte for byte) must be identical, and must say what the
 * test expects. Covers wake-up order (fairness), pushes inside MULTI/EXEC,
 * disconnects while blocked, BLMOVE chains and wrong-type destinations, BLMPOP,
 * CLIENT UNBLOCK, pipelined requests behind a blocked command, RESP3.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";
import { type BlockingScenario, runBlockingScenario } from "./blocking-world.js";

let redisServer: TestServer;
let spinelServer: TestServer;

beforeAll(async () => {
  [redisServer, spinelServer] = await Promise.all([startRedis(), startSpinel()]);
});

afterAll(async () => {
  await Promise.all([redisServer?.stop(), spinelServer?.stop()]);
});

/** Run on both servers; the transcripts must agree. Returns Spinel's. */
async function onBoth(scenario: BlockingScenario): Promise<string[]> {
  const [fromRedis, fromSpinel] = await Promise.all([
    runBlockingScenario(redisServer.port, scenario),
    runBlockingScenario(spinelServer.port, scenario),
  ]);
  expect(fromSpinel).toEqual(fromRedis);
  return fromSpinel;
}

/** The raw form of a RESP2 [key, value] array. */
const pair = (key: string, value: string) =>
  `*2\\r\\n$${key.length}\\r\\n${key}\\r\\n$${value.length}\\r\\n${value}\\r\\n`;
const bulk = (value: string) => `$${value.length}\\r\\n${value}\\r\\n`;
const int = (n: number) => `:${n}\\r\\n`;

describe("blocking list commands, compared with redis-server", () => {
  it("serves three clients blocked on one key in the order they blocked", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("c1", "BLPOP", "fair", "0");
      await w.waitBlocked(1);
      await w.send("c2", "BLPOP", "fair", "0");
      await w.waitBlocked(2);
      await w.send("c3", "BRPOP", "fair", "0");
      await w.waitBlocked(3);
      await w.record("pusher", "RPUSH", "fair", "a", "b", "c");
      await w.recordReply("c1");
      await w.recordReply("c2");
      await w.recordReply("c3");
      await w.record("pusher", "EXISTS", "fair");
    });
    expect(transcript).toEqual([
      `pusher: ${int(3)}`,
      `c1: ${pair("fair", "a")}`,
      `c2: ${pair("fair", "b")}`,
      `c3: ${pair("fair", "c")}`,
      `pusher: ${int(0)}`,
    ]);
  });

  it("one push serves only the first waiter; the others keep waiting", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("c1", "BLPOP", "one", "0");
      await w.waitBlocked(1);
      await w.send("c2", "BLPOP", "one", "0");
      await w.waitBlocked(2);
      await w.record("pusher", "LPUSH", "one", "x");
      await w.recordReply("c1");
      await w.waitBlocked(1);
      w.transcript.push(`c2 silent: ${await w.silentFor("c2", 100)}`);
      await w.record("pusher", "LPUSH", "one", "y");
      await w.recordReply("c2");
    });
    expect(transcript).toEqual([
      `pusher: ${int(1)}`,
      `c1: ${pair("one", "x")}`,
      "c2 silent: true",
      `pusher: ${int(1)}`,
      `c2: ${pair("one", "y")}`,
    ]);
  });

  it("a push inside MULTI/EXEC wakes the waiter only after EXEC", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("waiter", "BLPOP", "tx", "0");
      await w.waitBlocked(1);
      await w.record("writer", "MULTI");
      await w.record("writer", "RPUSH", "tx", "a", "b");
      await w.record("writer", "LLEN", "tx");
      await w.record("writer", "LRANGE", "tx", "0", "-1");
      w.transcript.push(`waiter silent before EXEC: ${await w.silentFor("waiter", 100)}`);
      await w.record("writer", "EXEC");
      await w.recordReply("waiter");
      await w.record("writer", "LRANGE", "tx", "0", "-1");
    });
    expect(transcript[5]).toBe("writer: *3\\r\\n:2\\r\\n:2\\r\\n*2\\r\\n$1\\r\\na\\r\\n$1\\r\\nb\\r\\n");
    expect(transcript[6]).toBe(`waiter: ${pair("tx", "a")}`);
    expect(transcript[4]).toBe("waiter silent before EXEC: true");
  });

  it("the key made ready first serves a client blocked on several keys", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("waiter", "BLPOP", "k1", "k2", "0");
      await w.waitBlocked(1);
      await w.record("writer", "MULTI");
      await w.record("writer", "RPUSH", "k2", "from-k2");
      await w.record("writer", "RPUSH", "k1", "from-k1");
      await w.record("writer", "EXEC");
      await w.recordReply("waiter");
      await w.record("writer", "LRANGE", "k1", "0", "-1");
    });
    expect(transcript).toContain(`waiter: ${pair("k2", "from-k2")}`);
  });

  it("a client that disconnects while blocked leaves no trace; the value stays", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("gone", "BLPOP", "dc", "0");
      await w.waitBlocked(1);
      w.drop("gone");
      await w.waitBlocked(0);
      await w.record("writer", "RPUSH", "dc", "kept");
      await w.record("writer", "LRANGE", "dc", "0", "-1");
    });
    expect(transcript).toEqual([`writer: ${int(1)}`, "writer: *1\\r\\n$4\\r\\nkept\\r\\n"]);
  });

  it("BLMOVE waits, then moves the pushed element", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("mover", "BLMOVE", "src", "dst", "RIGHT", "LEFT", "0");
      await w.waitBlocked(1);
      await w.record("writer", "RPUSH", "src", "a", "b");
      await w.recordReply("mover");
      await w.record("writer", "LRANGE", "src", "0", "-1");
      await w.record("writer", "LRANGE", "dst", "0", "-1");
    });
    expect(transcript).toEqual([
      `writer: ${int(2)}`,
      `mover: ${bulk("b")}`,
      "writer: *1\\r\\n$1\\r\\na\\r\\n",
      "writer: *1\\r\\n$1\\r\\nb\\r\\n",
    ]);
  });

  it("BLMOVE feeds a client blocked on its destination in the same pass", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("mover", "BLMOVE", "chain-a", "chain-b", "LEFT", "LEFT", "0");
      await w.waitBlocked(1);
      await w.send("popper", "BLPOP", "chain-b", "0");
      await w.waitBlocked(2);
      await w.record("writer", "RPUSH", "chain-a", "x");
      await w.recordReply("mover");
      await w.recordReply("popper");
      await w.record("writer", "EXISTS", "chain-a", "chain-b");
    });
    expect(transcript).toEqual([
      `writer: ${int(1)}`,
      `mover: ${bulk("x")}`,
      `popper: ${pair("chain-b", "x")}`,
      `writer: ${int(0)}`,
    ]);
  });

  it("BLMOVE on the same key rotates once served", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("mover", "BLMOVE", "ring", "ring", "LEFT", "RIGHT", "0");
      await w.waitBlocked(1);
      await w.record("writer", "RPUSH", "ring", "only");
      await w.recordReply("mover");
      await w.record("writer", "LRANGE", "ring", "0", "-1");
    });
    expect(transcript[1]).toBe(`mover: ${bulk("only")}`);
    expect(transcript[2]).toBe("writer: *1\\r\\n$4\\r\\nonly\\r\\n");
  });

  it("BLMOVE whose destination became another type gets WRONGTYPE; the source keeps its element", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("mover", "BLMOVE", "wt-src", "wt-dst", "LEFT", "LEFT", "0");
      await w.waitBlocked(1);
      await w.record("writer", "SET", "wt-dst", "string");
      await w.record("writer", "RPUSH", "wt-src", "v");
      await w.recordReply("mover");
      await w.waitBlocked(0);
      await w.record("writer", "LRANGE", "wt-src", "0", "-1");
      await w.record("mover", "PING");
    });
    expect(transcript[2]).toBe(
      "mover: -WRONGTYPE Operation against a key holding the wrong kind of value\\r\\n",
    );
  });

  it("BRPOPLPUSH waits and moves tail to head", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("writer", "RPUSH", "bp-dst", "old");
      await w.send("mover", "BRPOPLPUSH", "bp-src", "bp-dst", "0");
      await w.waitBlocked(1);
      await w.record("writer", "RPUSH", "bp-src", "a", "b");
      await w.recordReply("mover");
      await w.record("writer", "LRANGE", "bp-dst", "0", "-1");
    });
    expect(transcript[2]).toBe(`mover: ${bulk("b")}`);
  });

  it("BLMPOP waits on several keys and pops COUNT elements from the first ready one", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("popper", "BLMPOP", "0", "2", "m1", "m2", "LEFT", "COUNT", "2");
      await w.waitBlocked(1);
      await w.record("writer", "RPUSH", "m2", "a", "b", "c");
      await w.recordReply("popper");
      await w.record("writer", "LRANGE", "m2", "0", "-1");
    });
    expect(transcript[1]).toBe("popper: *2\\r\\n$2\\r\\nm2\\r\\n*2\\r\\n$1\\r\\na\\r\\n$1\\r\\nb\\r\\n");
  });

  it("timeouts with decimals reply a null array, in RESP2 and RESP3", async () => {
    const transcript = await onBoth(async (w) => {
      const started = Date.now();
      await w.record("c2", "BLPOP", "nothing", "0.2");
      w.transcript.push(`waited at least 190 ms: ${Date.now() - started >= 190}`);
      await w.record("c2", "BLMOVE", "nothing", "dst", "LEFT", "LEFT", "0.05");
      await w.record("c3", "HELLO", "3").then(() => w.transcript.pop());
      await w.record("c3", "BRPOP", "nothing", "0.05");
      await w.record("c3", "BLMPOP", "0.05", "1", "nothing", "RIGHT");
      await w.waitBlocked(0);
    });
    expect(transcript).toEqual([
      "c2: *-1\\r\\n",
      "waited at least 190 ms: true",
      "c2: *-1\\r\\n",
      "c3: _\\r\\n",
      "c3: _\\r\\n",
    ]);
  });

  it("sub-millisecond timeouts round up to 1 ms; tiny negative ones round to 0 and wait forever", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("c1", "BLPOP", "tiny", "0.0001");
      await w.send("c2", "BLPOP", "tiny", "-0.0009");
      await w.waitBlocked(1);
      w.transcript.push(`still blocked: ${await w.silentFor("c2", 150)}`);
      await w.record("writer", "RPUSH", "tiny", "v");
      await w.recordReply("c2");
    });
    expect(transcript).toEqual([
      "c1: *-1\\r\\n",
      "still blocked: true",
      `writer: ${int(1)}`,
      `c2: ${pair("tiny", "v")}`,
    ]);
  });

  it("requests pipelined behind a blocked command wait for it", async () => {
    const transcript = await onBoth(async (w) => {
      const client = await w.client("piped");
      client.write(
        "*3\r\n$5\r\nBLPOP\r\n$4\r\npipe\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nLLEN\r\n$4\r\npipe\r\n",
      );
      await w.waitBlocked(1);
      w.transcript.push(`silent while blocked: ${await w.silentFor("piped", 100)}`);
      await w.record("writer", "RPUSH", "pipe", "v");
      await w.recordReply("piped");
      await w.recordReply("piped");
      await w.recordReply("piped");
    });
    expect(transcript).toEqual([
      "silent while blocked: true",
      `writer: ${int(1)}`,
      `piped: ${pair("pipe", "v")}`,
      "piped: +PONG\\r\\n",
      `piped: ${int(0)}`,
    ]);
  });

  it("CLIENT UNBLOCK with TIMEOUT and with ERROR", async () => {
    const transcript = await onBoth(async (w) => {
      const id = (await w.call("waiter", "CLIENT", "ID")).slice(1, -4);
      await w.send("waiter", "BLPOP", "ub", "0");
      await w.waitBlocked(1);
      await w.record("admin", "CLIENT", "UNBLOCK", id, "TIMEOUT");
      await w.recordReply("waiter");
      await w.send("waiter", "BLMOVE", "ub", "ub2", "LEFT", "LEFT", "0");
      await w.waitBlocked(1);
      await w.record("admin", "CLIENT", "UNBLOCK", id, "ERROR");
      await w.recordReply("waiter");
      await w.record("admin", "CLIENT", "UNBLOCK", id);
      await w.send("waiter", "BLMPOP", "0", "1", "ub", "LEFT");
      await w.waitBlocked(1);
      await w.record("admin", "CLIENT", "UNBLOCK", id);
      await w.recordReply("waiter");
      await w.record("waiter", "PING");
    });
    expect(transcript).toEqual([
      `admin: ${int(1)}`,
      "waiter: *-1\\r\\n",
      `admin: ${int(1)}`,
      "waiter: -UNBLOCKED client unblocked via CLIENT UNBLOCK\\r\\n",
      `admin: ${int(0)}`,
      `admin: ${int(1)}`,
      "waiter: *-1\\r\\n",
      "waiter: +PONG\\r\\n",
    ]);
  });

  it("a key created by LMOVE or RPOPLPUSH serves waiters too", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("waiter", "BRPOP", "made", "0");
      await w.waitBlocked(1);
      await w.record("writer", "RPUSH", "origin", "1", "2");
      await w.record("writer", "RPOPLPUSH", "origin", "made");
      await w.recordReply("waiter");
      await w.record("writer", "EXISTS", "made");
    });
    expect(transcript[2]).toBe(`waiter: ${pair("made", "2")}`);
  });

  it("a waiter on a key that became a string stays blocked until it is a list again", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("waiter", "BLPOP", "shape", "0");
      await w.waitBlocked(1);
      await w.record("writer", "SET", "shape", "text");
      w.transcript.push(`still blocked: ${await w.silentFor("waiter", 100)}`);
      await w.record("writer", "DEL", "shape");
      await w.record("writer", "LPUSH", "shape", "item");
      await w.recordReply("waiter");
    });
    expect(transcript[1]).toBe("still blocked: true");
    expect(transcript[4]).toBe(`waiter: ${pair("shape", "item")}`);
  });

  it("waiters in different databases are served from their own database", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("db1", "SELECT", "1");
      await w.send("db1", "BLPOP", "same", "0");
      await w.waitBlocked(1);
      await w.send("db0", "BLPOP", "same", "0");
      await w.waitBlocked(2);
      await w.record("writer", "RPUSH", "same", "zero");
      await w.recordReply("db0");
      await w.record("writer", "SELECT", "1");
      await w.record("writer", "RPUSH", "same", "one");
      await w.recordReply("db1");
    });
    expect(transcript[2]).toBe(`db0: ${pair("same", "zero")}`);
    expect(transcript[5]).toBe(`db1: ${pair("same", "one")}`);
  });

  it("SWAPDB brings a list under a waited-on key and serves the waiter", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("waiter", "BLPOP", "swapped", "0");
      await w.waitBlocked(1);
      await w.record("writer", "SELECT", "1");
      await w.record("writer", "RPUSH", "swapped", "from-db1", "second");
      await w.record("writer", "SWAPDB", "0", "1");
      await w.recordReply("waiter");
      await w.record("writer", "LRANGE", "swapped", "0", "-1");
      await w.record("writer", "SELECT", "0");
      await w.record("writer", "LRANGE", "swapped", "0", "-1");
    });
    expect(transcript[3]).toBe(`waiter: ${pair("swapped", "from-db1")}`);
  });

  it("FLUSHALL leaves waiters blocked", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("waiter", "BLPOP", "flushed", "0");
      await w.waitBlocked(1);
      await w.record("writer", "FLUSHALL");
      w.transcript.push(`still blocked: ${await w.silentFor("waiter", 100)}`);
      await w.record("writer", "RPUSH", "flushed", "v");
      await w.recordReply("waiter");
    });
    expect(transcript[1]).toBe("still blocked: true");
  });

  it("RESP3 clients get the pair as an array", async () => {
    const transcript = await onBoth(async (w) => {
      await w.call("r3", "HELLO", "3");
      await w.send("r3", "BLPOP", "three", "0");
      await w.waitBlocked(1);
      await w.record("writer", "RPUSH", "three", "v");
      await w.recordReply("r3");
    });
    expect(transcript[1]).toBe(`r3: ${pair("three", "v")}`);
  });
});
