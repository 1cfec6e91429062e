/*
 * LATENCY with real spikes and histograms, and CLIENT PAUSE holding real
 * clients, on Spinel and on redis-server 7.0 side by side: each scenario runs on
 * both servers and what it observes must agree. DEBUG SLEEP makes the spikes
 * (both servers start with enable-debug-command yes). Timings are bounded: a
 * held client is expected to stay silent for a short window and to get its
 * replies once the pause ends, well before generous deadlines.
 */

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

let spinel: TestServer;
let redis: TestServer;

beforeAll(async () => {
  [spinel, redis] = await Promise.all([
    startSpinel({ "enable-debug-command": "yes" }),
    startRedis(["--enable-debug-command", "yes"]),
  ]);
});

afterAll(async () => {
  await Promise.all([spinel?.stop(), redis?.stop()]);
});

/** Run `scenario` with an ioredis client on each server, Spinel first. */
async function onBoth<T>(scenario: (client: Redis) => Promise<T>): Promise<{ spinel: T; redis: T }> {
  const results: T[] = [];
  for (const server of [spinel, redis]) {
    const client = new Redis({
      port: server.port,
      host: server.host,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    await client.connect();
    try {
      await client.flushall();
      results.push(await scenario(client));
    } finally {
      client.disconnect();
    }
  }
  return { spinel: results[0]!, redis: results[1]! };
}

/** Run `scenario` with fresh raw connections factory on each server, Spinel first. */
async function onBothRaw<T>(
  scenario: (connect: () => Promise<RawClient>) => Promise<T>,
): Promise<{ spinel: T; redis: T }> {
  const results: T[] = [];
  for (const server of [spinel, redis]) {
    const opened: RawClient[] = [];
    const connect = async () => {
      const client = await RawClient.connect(server.port);
      opened.push(client);
      return client;
    };
    try {
      const setup = await connect();
      await setup.call("FLUSHALL");
      results.push(await scenario(connect));
    } finally {
      for (const client of opened) client.close();
    }
  }
  return { spinel: results[0]!, redis: results[1]! };
}

/** "silent" when no reply arrives within `ms`, else the reply. */
async function replyWithin(client: RawClient, ms: number): Promise<string> {
  try {
    return (await client.read(ms)).toString("latin1");
  } catch {
    return "silent";
  }
}

/**
 * The figures of one LATENCY HISTOGRAM entry that do not depend on the machine's load:
 * the call count, the cumulative total, and whether the lowest bucket can hold 20 ms.
 */
function debugFigures(entry: unknown[]): {
  calls: unknown;
  total: unknown;
  lowestBucketHoldsTwentyMs: boolean;
} {
  const steps = entry[3] as number[];
  return { calls: entry[1], total: steps[steps.length - 1], lowestBucketHoldsTwentyMs: steps[0]! >= 20_000 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- LATENCY

describe("latency monitor", () => {
  it("records a DEBUG SLEEP spike as a 'command' event in LATEST, HISTORY, GRAPH and DOCTOR", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBoth(async (client) => {
      await client.config("SET", "latency-monitor-threshold", "10");
      await client.call("LATENCY", "RESET");
      await client.call("DEBUG", "SLEEP", "0.03");
      await client.call("DEBUG", "SLEEP", "0.001"); // under the threshold: no sample
      // Only the command event: a loaded machine may add an expire-cycle spike of its own.
      const commandOnly = (events: unknown) => (events as unknown[][]).filter((e) => e[0] === "command");
      const latest = commandOnly(await client.call("LATENCY", "LATEST"));
      const history = (await client.call("LATENCY", "HISTORY", "command")) as number[][];
      const graph = await client.call("LATENCY", "GRAPH", "command");
      const doctor = await client.call("LATENCY", "DOCTOR");
      const reset = await client.call("LATENCY", "RESET", "command", "nosuch");
      const after = commandOnly(await client.call("LATENCY", "LATEST"));
      await client.config("SET", "latency-monitor-threshold", "0");
      const now = Math.floor(Date.now() / 1000);
      const [event, time, latency, max] = latest[0] as [string, number, number, number];
      return {
        events: latest.length,
        event,
        recent: Math.abs(now - time) <= 5,
        latencyInRange: latency >= 30 && latency < 1000,
        maxIsLatest: max === latency,
        historyShape: history.map((sample) => [sample.length, sample[0] === time, sample[1] === latency]),
        graphIsText: typeof graph === "string" && graph.length > 0,
        doctorIsText: typeof doctor === "string" && doctor.length > 0,
        reset,
        after,
      };
    });
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel.event).toBe("command");
    expect(fromSpinel.reset).toBe(1);
  });

  it("keeps one sample per second: the larger of two spikes in the same second", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBoth(async (client) => {
      await client.config("SET", "latency-monitor-threshold", "5");
      await client.call("LATENCY", "RESET");
      // Align to the start of a second so both sleeps land in the same one.
      await sleep(1000 - (Date.now() % 1000) + 5);
      await client.call("DEBUG", "SLEEP", "0.04");
      await client.call("DEBUG", "SLEEP", "0.01");
      const history = (await client.call("LATENCY", "HISTORY", "command")) as number[][];
      await client.config("SET", "latency-monitor-threshold", "0");
      await client.call("LATENCY", "RESET");
      return { samples: history.length, largest: history[0]![1]! >= 40 };
    });
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel).toEqual({ samples: 1, largest: true });
  });

  it("LATENCY DOCTOR and GRAPH answer in Spinel's own words", async () => {
    const client = await RawClient.connect(spinel.port);
    try {
      const off = (await client.call("LATENCY", "DOCTOR")).toString();
      expect(off).toContain("latency monitor is off");
      await client.call("CONFIG", "SET", "latency-monitor-threshold", "10");
      await client.call("DEBUG", "SLEEP", "0.02");
      const report = (await client.call("LATENCY", "DOCTOR")).toString();
      expect(report).toMatch(/1\. command: 1 spikes, average \d+ ms/);
      expect(report).toContain("SLOWLOG GET");
      const graph = (await client.call("LATENCY", "GRAPH", "command")).toString();
      expect(graph).toMatch(/command: 1 spikes, highest \d+ ms/);
      expect(graph).toContain("#");
      await client.call("LATENCY", "RESET");
      await client.call("CONFIG", "SET", "latency-monitor-threshold", "0");
    } finally {
      client.close();
    }
  });

  it("feeds 'expire-cycle' from the active expiry of many keys", async () => {
    const client = new Redis({ port: spinel.port, host: spinel.host });
    try {
      await client.flushall();
      await client.config("SET", "latency-monitor-threshold", "1");
      await client.call("LATENCY", "RESET");
      const pipeline = client.pipeline();
      for (let i = 0; i < 30_000; i++) pipeline.set(`exp:${i}`, "v", "PX", 50);
      await pipeline.exec();
      let events: string[] = [];
      for (let attempt = 0; attempt < 40 && !events.includes("expire-cycle"); attempt++) {
        await sleep(50);
        events = ((await client.call("LATENCY", "LATEST")) as unknown[][]).map((entry) => entry[0] as string);
      }
      expect(events).toContain("expire-cycle");
      expect(await client.dbsize()).toBeLessThan(30_000);
    } finally {
      await client.config("SET", "latency-monitor-threshold", "0");
      await client.call("LATENCY", "RESET");
      client.disconnect();
    }
  });
});

describe("latency tracking", () => {
  it("LATENCY HISTOGRAM gives each command's calls and cumulative distribution", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBoth(async (client) => {
      await client.config("RESETSTAT");
      await client.call("DEBUG", "SLEEP", "0.02");
      await client.call("DEBUG", "SLEEP", "0.02");
      for (let i = 0; i < 3; i++) await client.ping();
      const reply = (await client.call("LATENCY", "HISTOGRAM", "debug", "ping", "nosuch")) as unknown[];
      const config = (await client.call("LATENCY", "HISTOGRAM", "config")) as unknown[];
      const ping = reply[3] as unknown[];
      const pingSteps = ping[3] as number[];
      const counts = pingSteps.filter((_, index) => index % 2 === 1);
      const buckets = pingSteps.filter((_, index) => index % 2 === 0);
      return {
        names: [reply[0], reply[2]],
        // Calls and total are exact; the bucket a 20 ms sleep lands in depends on the machine's load.
        debug: debugFigures(reply[1] as unknown[]),
        pingCalls: ping.slice(0, 3),
        pingCumulative: counts.every((count, index) => index === 0 || count > counts[index - 1]!),
        pingTotal: counts[counts.length - 1],
        pingBucketsGrow: buckets.every((bucket, index) => index === 0 || bucket > buckets[index - 1]!),
        // A container stands for its subcommands that were called.
        config: config.filter((_, index) => index % 2 === 0),
      };
    });
    expect(fromSpinel).toEqual(fromRedis);
    // Two sleeps of 20 ms land in the step whose top is 33816 us (2^25 ns and its equivalents).
    expect(fromSpinel.debug).toEqual({ calls: 2, total: 2, lowestBucketHoldsTwentyMs: true });
    expect(fromSpinel.config).toEqual(["config|resetstat"]);
  });

  it("LATENCY HISTOGRAM replies nested maps in RESP3", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBothRaw(async (connect) => {
      const client = await connect();
      await client.call("HELLO", "3");
      await client.call("CONFIG", "RESETSTAT");
      await client.call("DEBUG", "SLEEP", "0.02");
      return (await client.call("LATENCY", "HISTOGRAM", "debug")).toString("latin1");
    });
    expect(fromSpinel).toBe(fromRedis);
    expect(fromSpinel).toBe(
      "%1\r\n$5\r\ndebug\r\n%2\r\n$5\r\ncalls\r\n:1\r\n$14\r\nhistogram_usec\r\n%1\r\n:33816\r\n:1\r\n",
    );
  });

  it("INFO latencystats shows the configured percentiles of every called command", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBoth(async (client) => {
      await client.config("RESETSTAT");
      await client.call("DEBUG", "SLEEP", "0.02");
      await client.config("SET", "latency-tracking-info-percentiles", "50 99.9 100 0");
      const info = (await client.info("latencystats")).split("\r\n");
      await client.config("SET", "latency-tracking-info-percentiles", "50 99 99.9");
      const line = info.find((text) => text.startsWith("latency_percentiles_usec_debug:")) ?? "";
      const match =
        /^latency_percentiles_usec_debug:p50=(\d+\.\d{3}),p99\.9=(\d+\.\d{3}),p100=(\d+\.\d{3}),p0=(\d+\.\d{3})$/.exec(
          line,
        );
      const figures = match === null ? [] : match.slice(1).map(Number);
      await client.config("SET", "latency-tracking", "no");
      await client.config("RESETSTAT");
      await client.call("DEBUG", "SLEEP", "0");
      const untracked = (await client.info("latencystats")).includes("latency_percentiles_usec_debug");
      await client.config("SET", "latency-tracking", "yes");
      return {
        header: info[0],
        matched: match !== null,
        inRange: figures.every((value) => value >= 19_000 && value < 40_000),
        untracked,
        inDefault: (await client.info()).includes("# Latencystats"),
        inAll: (await client.info("all")).includes("# Latencystats"),
      };
    });
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel).toMatchObject({
      header: "# Latencystats",
      matched: true,
      inRange: true,
      untracked: false,
    });
  });
});

// ---------------------------------------------------------------- CLIENT PAUSE

describe("CLIENT PAUSE", () => {
  it("WRITE holds writes and PUBLISH, in order, while reads run; the pause's end releases them", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBothRaw(async (connect) => {
      const [admin, writer, reader, publisher] = await Promise.all([
        connect(),
        connect(),
        connect(),
        connect(),
      ]);
      await admin.call("SET", "k", "before");
      const started = Date.now();
      const paused = (await admin.call("CLIENT", "PAUSE", "500", "WRITE")).toString();
      writer.write(
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nafter\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n",
      );
      publisher.write("*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$3\r\nmsg\r\n");
      const readMeanwhile = (await reader.call("GET", "k")).toString();
      const writerMeanwhile = await replyWithin(writer, 150);
      const publisherMeanwhile = await replyWithin(publisher, 50);
      const replies = [await writer.read(3000), await writer.read(3000), await writer.read(3000)].map(
        (frame) => frame.toString(),
      );
      const published = (await publisher.read(3000)).toString();
      return {
        paused,
        readMeanwhile,
        writerMeanwhile,
        publisherMeanwhile,
        replies,
        published,
        waited: Date.now() - started >= 400,
      };
    });
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel).toEqual({
      paused: "+OK\r\n",
      readMeanwhile: "$6\r\nbefore\r\n",
      writerMeanwhile: "silent",
      publisherMeanwhile: "silent",
      replies: ["+OK\r\n", "$5\r\nafter\r\n", ":1\r\n"],
      published: ":0\r\n",
      waited: true,
    });
  });

  it("CLIENT UNPAUSE releases held clients at once", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBothRaw(async (connect) => {
      const [admin, writer] = await Promise.all([connect(), connect()]);
      const started = Date.now();
      await admin.call("CLIENT", "PAUSE", "20000", "WRITE");
      writer.write("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n");
      const meanwhile = await replyWithin(writer, 150);
      const unpaused = (await admin.call("CLIENT", "UNPAUSE")).toString();
      const released = (await writer.read(3000)).toString();
      return { meanwhile, unpaused, released, quick: Date.now() - started < 5000 };
    });
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel).toEqual({
      meanwhile: "silent",
      unpaused: "+OK\r\n",
      released: "+OK\r\n",
      quick: true,
    });
  });

  it("ALL holds every command, but refusals (unknown command, arity) answer at once", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBothRaw(async (connect) => {
      const [admin, reader, other] = await Promise.all([connect(), connect(), connect()]);
      await admin.call("CLIENT", "PAUSE", "400", "ALL");
      reader.write("*1\r\n$4\r\nPING\r\n");
      const unknown = (await other.call("NOSUCHCOMMAND")).toString();
      const arity = (await other.call("GET")).toString();
      const readerMeanwhile = await replyWithin(reader, 150);
      const released = (await reader.read(3000)).toString();
      return { unknown, arity, readerMeanwhile, released };
    });
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel.readerMeanwhile).toBe("silent");
    expect(fromSpinel.released).toBe("+PONG\r\n");
  });

  it("holds a write queued inside MULTI, and an EXEC of queued writes", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBothRaw(async (connect) => {
      const [admin, queuedBefore, queuing] = await Promise.all([connect(), connect(), connect()]);
      await queuedBefore.call("MULTI");
      await queuedBefore.call("SET", "a", "1");
      await queuing.call("MULTI");
      await admin.call("CLIENT", "PAUSE", "400", "WRITE");
      queuing.write("*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n");
      queuedBefore.write("*1\r\n$4\r\nEXEC\r\n");
      const queuingMeanwhile = await replyWithin(queuing, 150);
      const execMeanwhile = await replyWithin(queuedBefore, 50);
      const queued = (await queuing.read(3000)).toString();
      const executed = (await queuedBefore.read(3000)).toString();
      const exec = (await queuing.call("EXEC")).toString();
      return { queuingMeanwhile, execMeanwhile, queued, executed, exec };
    });
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel).toEqual({
      queuingMeanwhile: "silent",
      execMeanwhile: "silent",
      queued: "+QUEUED\r\n",
      executed: "*1\r\n+OK\r\n",
      exec: "*1\r\n+OK\r\n",
    });
  });

  it("stops expiry while paused: expired keys read as missing but stay until the pause ends", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBothRaw(async (connect) => {
      const [admin, reader] = await Promise.all([connect(), connect()]);
      await admin.call("SET", "e", "1", "PX", "100");
      await admin.call("CLIENT", "PAUSE", "700", "WRITE");
      await sleep(350);
      const read = (await reader.call("GET", "e")).toString();
      const sizeDuring = (await reader.call("DBSIZE")).toString();
      let sizeAfter = sizeDuring;
      for (let attempt = 0; attempt < 60 && sizeAfter !== ":0\r\n"; attempt++) {
        await sleep(50);
        sizeAfter = (await reader.call("DBSIZE")).toString();
      }
      return { read, sizeDuring, sizeAfter };
    });
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel).toEqual({ read: "$-1\r\n", sizeDuring: ":1\r\n", sizeAfter: ":0\r\n" });
  });

  it("a held client is not idle: the timeout parameter does not close it", async () => {
    const { spinel: fromSpinel, redis: fromRedis } = await onBothRaw(async (connect) => {
      const [admin, writer] = await Promise.all([connect(), connect()]);
      await admin.call("CONFIG", "SET", "timeout", "1");
      try {
        await admin.call("CLIENT", "PAUSE", "2500", "WRITE");
        writer.write("*3\r\n$3\r\nSET\r\n$1\r\nt\r\n$1\r\n1\r\n");
        return (await writer.read(6000)).toString();
      } finally {
        // The admin connection itself sat idle longer than the timeout: use a fresh one.
        await (await connect()).call("CONFIG", "SET", "timeout", "0");
      }
    });
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel).toBe("+OK\r\n");
  });

  it("a held client that disconnects is forgotten; the others are still released", async () => {
    const client = await RawClient.connect(spinel.port);
    const leaver = await RawClient.connect(spinel.port);
    const stayer = await RawClient.connect(spinel.port);
    try {
      await client.call("CLIENT", "PAUSE", "300", "WRITE");
      leaver.write("*3\r\n$3\r\nSET\r\n$4\r\ngone\r\n$1\r\n1\r\n");
      stayer.write("*3\r\n$3\r\nSET\r\n$4\r\nkept\r\n$1\r\n1\r\n");
      await sleep(50);
      leaver.close();
      expect((await stayer.read(3000)).toString()).toBe("+OK\r\n");
      expect((await client.call("EXISTS", "gone", "kept")).toString()).toBe(":1\r\n");
    } finally {
      client.close();
      stayer.close();
    }
  });
});
