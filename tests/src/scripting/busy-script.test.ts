/*
 * Long scripts and busy-reply-threshold, on Spinel and on redis-server 7.0 with
 * the same threshold (100 ms): while a script runs past it, other clients'
 * commands (PING included) are answered at once with -BUSY, SCRIPT KILL stops a
 * read-only script (its caller gets Redis' "killed" error), a script that wrote
 * is -UNKILLABLE, FUNCTION KILL stops a function, and the server serves
 * normally afterwards. The caller's reply and every other reply must be the
 * same on both servers. SHUTDOWN NOSAVE stops a server whose busy script wrote,
 * and clients blocked on keys are served only after the script (as one unit).
 */

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settle } from "../support/client-comparison.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

let spinel: TestServer | undefined;
let redis: TestServer | undefined;

beforeAll(async () => {
  [spinel, redis] = await Promise.all([
    startSpinel({ "busy-reply-threshold": 100 }),
    startRedis(["--busy-reply-threshold", "100"]),
  ]);
});

afterAll(async () => {
  await Promise.all([spinel?.stop(), redis?.stop()]);
});

function connect(server: TestServer): Redis {
  const client = new Redis({
    port: server.port,
    host: server.host,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
    retryStrategy: () => null,
  });
  client.on("error", () => {}); // a server stopped by SHUTDOWN refuses reconnections
  return client;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll until `check` holds (bounded). */
async function until(check: () => Promise<boolean>, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error("condition not reached");
}

const SPIN = "local i = 0 while true do i = i + 1 end";

/** Run the read-only-script scenario on one server; returns what every client saw. */
async function killReadOnlyScript(server: TestServer) {
  const runner = connect(server);
  const other = connect(server);
  try {
    await runner.flushall();
    await runner.set("k", "v");
    const started = Date.now();
    const scriptReply = settle(runner.eval(SPIN, 0));
    await until(async () => String(await settle(other.ping())).includes("BUSY"));
    const busyAfterMs = Date.now() - started;
    const ping = await settle(other.ping());
    const get = await settle(other.get("k"));
    const functionKill = await settle(other.function("KILL"));
    const kill = await settle(other.script("KILL"));
    const killed = await scriptReply;
    const afterwards = await other.get("k");
    return { busyAfterMs, ping, get, functionKill, kill, killed, afterwards };
  } finally {
    runner.disconnect();
    other.disconnect();
  }
}

/** A script that wrote cannot be killed: SCRIPT KILL says so, and the script runs to its end. */
async function unkillableScript(server: TestServer) {
  const runner = connect(server);
  const other = connect(server);
  try {
    await runner.flushall();
    const scriptReply = settle(
      runner.eval(
        "redis.call('set', KEYS[1], '1') local i = 0 while i < 2e7 do i = i + 1 end return i",
        1,
        "w",
      ),
    );
    await until(async () => String(await settle(other.ping())).includes("BUSY"));
    const kill = await settle(other.script("KILL"));
    return { kill, reply: await scriptReply };
  } finally {
    other.disconnect();
    runner.disconnect();
  }
}

describe("busy-reply-threshold", () => {
  it("answers -BUSY during a long read-only script and SCRIPT KILL ends it", async () => {
    const onSpinel = await killReadOnlyScript(spinel!);
    const onRedis = await killReadOnlyScript(redis!);
    expect(onSpinel.busyAfterMs).toBeGreaterThanOrEqual(90);
    const comparable = ({ busyAfterMs: _, ...rest }: typeof onSpinel) => rest;
    expect(comparable(onSpinel)).toEqual(comparable(onRedis));
    expect(onSpinel.ping).toBe(
      "error: BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
    );
    expect(onSpinel.kill).toBe("OK");
    expect(String(onSpinel.killed)).toMatch(
      /^error: ERR Script killed by user with SCRIPT KILL\.\.\. script: /,
    );
    expect(onSpinel.afterwards).toBe("v");
  }, 30_000);

  it("refuses to kill a script that wrote (UNKILLABLE) and the script finishes", async () => {
    const { kill, reply } = await unkillableScript(spinel!);
    expect(kill).toBe(
      "error: UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
    );
    // The script runs to its end and its caller gets the result.
    expect(reply).toBe(20000000);
    const client = connect(spinel!);
    try {
      expect(await client.get("w")).toBe("1");
    } finally {
      client.disconnect();
    }
  }, 120_000);

  it("FUNCTION KILL stops a long read-only function", async () => {
    const results = [];
    for (const server of [spinel!, redis!]) {
      const runner = connect(server);
      const other = connect(server);
      try {
        await runner.function("FLUSH");
        await runner.function(
          "LOAD",
          "#!lua name=busy\nredis.register_function{function_name='spin', callback=function() local i = 0 while true do i = i + 1 end end, flags={'no-writes'}}",
        );
        const reply = settle(runner.fcall("spin", 0));
        await until(async () => String(await settle(other.ping())).includes("BUSY"));
        const ping = await settle(other.ping());
        const scriptKill = await settle(other.script("KILL"));
        const kill = await settle(other.function("KILL"));
        results.push({ ping, scriptKill, kill, reply: await reply });
        await other.function("FLUSH");
      } finally {
        runner.disconnect();
        other.disconnect();
      }
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.kill).toBe("OK");
  }, 30_000);

  it("SHUTDOWN NOSAVE stops a server whose busy script already wrote", async () => {
    const own = await startSpinel({ "busy-reply-threshold": 100 });
    const runner = connect(own);
    const other = connect(own);
    try {
      const reply = settle(runner.eval("redis.call('set', KEYS[1], '1') while true do end", 1, "w"));
      await until(async () => String(await settle(other.ping())).includes("BUSY"));
      expect(await settle(other.script("KILL"))).toMatch(/^error: UNKILLABLE /);
      await settle(other.shutdown("NOSAVE"));
      // The server is gone: the script's caller never gets a reply, new connections are refused.
      expect(String(await reply)).toMatch(/^error: /);
      const probe = new Redis({
        port: own.port,
        host: own.host,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on("error", () => {});
      await expect(probe.connect()).rejects.toThrow();
      probe.disconnect();
    } finally {
      runner.disconnect();
      other.disconnect();
      await own.stop();
    }
  }, 30_000);

  it("clients blocked on keys see a busy script's writes only when it ends", async () => {
    const results = [];
    for (const server of [spinel!, redis!]) {
      const runner = connect(server);
      const blocked = connect(server);
      const other = connect(server);
      try {
        await runner.flushall();
        const popped = settle(blocked.blpop("bl", 1));
        await until(async () => String(await other.client("LIST")).includes("cmd=blpop"));
        const reply = await runner.eval(
          "redis.call('rpush', KEYS[1], 'a') local i = 0 while i < 1e7 do i = i + 1 end redis.call('del', KEYS[1]) return i",
          1,
          "bl",
        );
        results.push({ reply, popped: await popped, exists: await other.exists("bl") });
      } finally {
        runner.disconnect();
        blocked.disconnect();
        other.disconnect();
      }
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.popped).toBeNull();
  }, 60_000);
});
