/*
 * Blocking stream reads with several real connections, each scenario run
 * against a real redis-server 7 and against Spinel: the transcripts (every
 * reply each connection saw, byte for byte) must be identical and say what
 * the test expects. Covers XREAD BLOCK woken by XADD (`$` and explicit IDs,
 * several waiters, several keys, COUNT), XREADGROUP BLOCK woken by XADD (the
 * group moves, the PEL fills, NOACK), a destroyed group (-NOGROUP), timeouts,
 * XADD inside MULTI waking readers only at EXEC, CLIENT UNBLOCK, RESP3.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BlockingScenario, runBlockingScenario } from "../blocking/blocking-world.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

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

const bulk = (value: string) => `$${value.length}\\r\\n${value}\\r\\n`;
/** One entry [id, [f, v]] as RESP. */
const entry = (id: string, field: string, value: string) =>
  `*2\\r\\n${bulk(id)}*2\\r\\n${bulk(field)}${bulk(value)}`;
/** An XREAD reply with one stream and its entries (RESP2). */
const read1 = (key: string, ...entries: string[]) =>
  `*1\\r\\n*2\\r\\n${bulk(key)}*${entries.length}\\r\\n${entries.join("")}`;

describe("blocking stream reads, compared with redis-server", () => {
  it("XREAD BLOCK on $ is served by the next XADD", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("writer", "XADD", "s", "1-1", "f", "old");
      await w.send("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      await w.waitBlocked(1);
      await w.record("writer", "XADD", "s", "2-1", "f", "new");
      await w.recordReply("reader");
    });
    expect(transcript).toEqual([
      `writer: ${bulk("1-1")}`,
      `writer: ${bulk("2-1")}`,
      `reader: ${read1("s", entry("2-1", "f", "new"))}`,
    ]);
  });

  it("every reader blocked on a stream gets the new entry, in the order they blocked", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("r1", "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      await w.waitBlocked(1);
      await w.send("r2", "XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "0");
      await w.waitBlocked(2);
      await w.record("writer", "XADD", "s", "5-1", "f", "x");
      await w.recordReply("r1");
      await w.recordReply("r2");
      await w.waitBlocked(0);
    });
    expect(transcript).toEqual([
      `writer: ${bulk("5-1")}`,
      `r1: ${read1("s", entry("5-1", "f", "x"))}`,
      `r2: ${read1("s", entry("5-1", "f", "x"))}`,
    ]);
  });

  it("a reader waiting after an ID newer than the entry keeps waiting", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("r1", "XREAD", "BLOCK", "0", "STREAMS", "s", "10-0");
      await w.waitBlocked(1);
      await w.record("writer", "XADD", "s", "5-1", "f", "x");
      w.transcript.push(`r1 silent: ${await w.silentFor("r1", 100)}`);
      await w.record("writer", "XADD", "s", "10-1", "f", "y");
      await w.recordReply("r1");
    });
    expect(transcript).toEqual([
      `writer: ${bulk("5-1")}`,
      "r1 silent: true",
      `writer: ${bulk("10-1")}`,
      `r1: ${read1("s", entry("10-1", "f", "y"))}`,
    ]);
  });

  it("XREAD BLOCK with COUNT, woken by a MULTI of several XADDs only at EXEC", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("reader", "XREAD", "COUNT", "2", "BLOCK", "0", "STREAMS", "s", "$");
      await w.waitBlocked(1);
      await w.record("writer", "MULTI");
      await w.record("writer", "XADD", "s", "1-1", "f", "a");
      w.transcript.push(`reader silent: ${await w.silentFor("reader", 50)}`);
      await w.record("writer", "XADD", "s", "2-1", "f", "b");
      await w.record("writer", "XADD", "s", "3-1", "f", "c");
      await w.record("writer", "EXEC");
      await w.recordReply("reader");
    });
    expect(transcript.at(-1)).toBe(`reader: ${read1("s", entry("1-1", "f", "a"), entry("2-1", "f", "b"))}`);
  });

  it("XREAD BLOCK times out with a null array and CLIENT UNBLOCK ends it", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("reader", "XREAD", "BLOCK", "50", "STREAMS", "s", "$");
      await w.recordReply("reader");
      await w.record("reader", "CLIENT", "SETNAME", "waiter");
      const id = (await w.call("reader", "CLIENT", "ID")).replace(/[^0-9]/g, "");
      await w.send("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      await w.waitBlocked(1);
      await w.record("admin", "CLIENT", "UNBLOCK", id);
      await w.recordReply("reader");
      await w.send("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      await w.waitBlocked(1);
      await w.record("admin", "CLIENT", "UNBLOCK", id, "ERROR");
      await w.recordReply("reader");
    });
    expect(transcript).toEqual([
      "reader: *-1\\r\\n",
      "reader: +OK\\r\\n",
      "admin: :1\\r\\n",
      "reader: *-1\\r\\n",
      "admin: :1\\r\\n",
      "reader: -UNBLOCKED client unblocked via CLIENT UNBLOCK\\r\\n",
    ]);
  });

  it("XREADGROUP BLOCK is served by XADD, moves the group and fills the PEL", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("writer", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      await w.send("c1", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
      await w.waitBlocked(1);
      await w.send("c2", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">");
      await w.waitBlocked(2);
      await w.record("writer", "XADD", "s", "1-1", "f", "one");
      await w.recordReply("c1");
      await w.waitBlocked(1);
      w.transcript.push(`c2 silent: ${await w.silentFor("c2", 100)}`);
      await w.record("writer", "XADD", "s", "2-1", "f", "two");
      await w.recordReply("c2");
      await w.record("writer", "XPENDING", "s", "g");
      await w.record("writer", "XINFO", "GROUPS", "s");
    });
    expect(transcript.slice(0, 6)).toEqual([
      "writer: +OK\\r\\n",
      `writer: ${bulk("1-1")}`,
      `c1: ${read1("s", entry("1-1", "f", "one"))}`,
      "c2 silent: true",
      `writer: ${bulk("2-1")}`,
      `c2: ${read1("s", entry("2-1", "f", "two"))}`,
    ]);
  });

  it("XREADGROUP BLOCK NOACK leaves the PEL empty", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("writer", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      await w.send("c1", "XREADGROUP", "GROUP", "g", "alice", "NOACK", "BLOCK", "0", "STREAMS", "s", ">");
      await w.waitBlocked(1);
      await w.record("writer", "XADD", "s", "1-1", "f", "one");
      await w.recordReply("c1");
      await w.record("writer", "XPENDING", "s", "g");
    });
    expect(transcript.at(-1)).toBe("writer: *4\\r\\n:0\\r\\n$-1\\r\\n$-1\\r\\n*-1\\r\\n");
  });

  it("XGROUP DESTROY ends XREADGROUP BLOCK at once with -NOGROUP", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("writer", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      await w.send("c1", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
      await w.waitBlocked(1);
      await w.record("writer", "XGROUP", "DESTROY", "s", "g");
      await w.recordReply("c1");
      await w.record("writer", "XADD", "s", "1-1", "f", "one");
    });
    expect(transcript[2]).toBe(
      "c1: -NOGROUP the consumer group this client was blocked on no longer exists\\r\\n",
    );
  });

  it("XREADGROUP BLOCK times out with a null array", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("writer", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      await w.send("c1", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "30", "STREAMS", "s", ">");
      await w.recordReply("c1");
      await w.record("writer", "XINFO", "GROUPS", "s");
    });
    expect(transcript[1]).toBe("c1: *-1\\r\\n");
  });

  it("blocked readers on RESP3 get a map", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("reader", "HELLO", "3").catch(() => undefined);
      w.transcript.length = 0;
      await w.send("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      await w.waitBlocked(1);
      await w.record("writer", "XADD", "s", "1-1", "f", "v");
      await w.recordReply("reader");
      await w.send("reader", "XREAD", "BLOCK", "20", "STREAMS", "s", "$");
      await w.recordReply("reader");
    });
    expect(transcript).toEqual([
      `writer: ${bulk("1-1")}`,
      `reader: %1\\r\\n${bulk("s")}*1\\r\\n${entry("1-1", "f", "v")}`,
      "reader: _\\r\\n",
    ]);
  });

  it("XSETID, XDEL and XTRIM do not serve blocked readers; the next XADD does", async () => {
    const transcript = await onBoth(async (w) => {
      await w.record("writer", "XADD", "s", "1-1", "f", "a");
      await w.send("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      await w.waitBlocked(1);
      await w.record("writer", "XSETID", "s", "5-0");
      await w.record("writer", "XDEL", "s", "1-1");
      await w.record("writer", "XTRIM", "s", "MAXLEN", "0");
      w.transcript.push(`reader silent: ${await w.silentFor("reader", 100)}`);
      await w.record("writer", "XADD", "s", "6-1", "f", "b");
      await w.recordReply("reader");
    });
    expect(transcript.slice(-3)).toEqual([
      "reader silent: true",
      `writer: ${bulk("6-1")}`,
      `reader: ${read1("s", entry("6-1", "f", "b"))}`,
    ]);
  });

  it("a key replaced by a list does not serve a blocked XREAD", async () => {
    const transcript = await onBoth(async (w) => {
      await w.send("reader", "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      await w.waitBlocked(1);
      await w.record("writer", "RPUSH", "s", "x");
      w.transcript.push(`reader silent: ${await w.silentFor("reader", 100)}`);
      await w.record("writer", "DEL", "s");
      await w.record("writer", "XADD", "s", "1-1", "f", "v");
      await w.recordReply("reader");
    });
    expect(transcript).toEqual([
      "writer: :1\\r\\n",
      "reader silent: true",
      "writer: :1\\r\\n",
      `writer: ${bulk("1-1")}`,
      `reader: ${read1("s", entry("1-1", "f", "v"))}`,
    ]);
  });
});
