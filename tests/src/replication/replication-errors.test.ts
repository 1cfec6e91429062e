/*
 * The replication gate and command errors, compared with redis-server 7.0
 * configured the same way: NOREPLICAS under min-replicas-to-write, MASTERDOWN on
 * a replica whose link is down with replica-serve-stale-data no, READONLY, and
 * WAIT's argument errors and its refusal on a replica.
 */

import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, haveRedisServer, startRedis, startSpinel, type TestServer } from "../support/servers.js";
import { connect, infoFields } from "./support.js";

const started: TestServer[] = [];
const clients: Redis[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  for (const server of started.splice(0).reverse()) await server.stop();
});

/** Spinel and redis-server with the same settings, and a client on each. */
async function pair(settings: Record<string, string>): Promise<[Redis, Redis]> {
  const spinel = await startSpinel(settings);
  started.push(spinel);
  const args: string[] = [];
  for (const [name, value] of Object.entries(settings)) args.push(`--${name}`, ...value.split(" "));
  const redis = await startRedis(args);
  started.push(redis);
  const a = connect(spinel.port);
  const b = connect(redis.port);
  clients.push(a, b);
  return [a, b];
}

/** The reply or error text of a command. */
async function outcome(client: Redis, ...args: string[]): Promise<unknown> {
  try {
    return await client.call(args[0]!, ...args.slice(1));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

describe.skipIf(!haveRedisServer())("replication errors as redis-server gives them", () => {
  it("min-replicas-to-write refuses writes without enough good replicas", async () => {
    const [spinel, redis] = await pair({ "min-replicas-to-write": "1" });
    for (const command of [
      ["SET", "k", "v"],
      ["GET", "k"],
      ["INCR", "n"],
    ]) {
      expect(await outcome(spinel, ...command)).toEqual(await outcome(redis, ...command));
    }
    expect(await outcome(spinel, "SET", "k", "v")).toBe(
      "error: NOREPLICAS Not enough good replicas to write.",
    );
    await spinel.call("CONFIG", "SET", "min-replicas-to-write", "0");
    expect(await spinel.set("k", "v")).toBe("OK");
  });

  it("a replica whose link is down refuses reads with replica-serve-stale-data no", async () => {
    const nobody = await freePort();
    const [spinel, redis] = await pair({ replicaof: `127.0.0.1 ${nobody}` });
    // Set once started: PING is refused too, and the start-up check waits for PONG.
    for (const client of [spinel, redis])
      await client.call("CONFIG", "SET", "replica-serve-stale-data", "no");
    for (const command of [["GET", "k"], ["SET", "k", "v"], ["PING"], ["INFO", "nosuchsection"]]) {
      expect(await outcome(spinel, ...command)).toEqual(await outcome(redis, ...command));
    }
    expect(await outcome(spinel, "GET", "k")).toBe(
      "error: MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
    );
    const info = await infoFields(spinel);
    expect(info.get("master_link_status")).toBe("down");
    expect(info.get("role")).toBe("slave");
  });

  it("a replica refuses writes and WAIT; REPLICAOF NO ONE makes it writable", async () => {
    const nobody = await freePort();
    const [spinel, redis] = await pair({ replicaof: `127.0.0.1 ${nobody}` });
    for (const command of [
      ["SET", "k", "v"],
      ["WAIT", "1", "0"],
      ["GET", "k"],
    ]) {
      expect(await outcome(spinel, ...command)).toEqual(await outcome(redis, ...command));
    }
    for (const client of [spinel, redis]) expect(await client.call("REPLICAOF", "NO", "ONE")).toBe("OK");
    for (const client of [spinel, redis]) expect(await outcome(client, "SET", "k", "v")).toBe("OK");
    expect(await outcome(spinel, "ROLE")).toEqual(await outcome(redis, "ROLE"));
  });

  it("WAIT and REPLICAOF check their arguments", async () => {
    const [spinel, redis] = await pair({});
    const commands = [
      ["WAIT", "x", "0"],
      ["WAIT", "1", "x"],
      ["WAIT", "1", "-1"],
      ["WAIT", "0", "0"],
      ["WAIT", "1", "10"],
      ["REPLICAOF", "127.0.0.1", "notaport"],
      ["REPLICAOF", "NO", "ONE"],
      ["REPLCONF", "listening-port"],
      ["ROLE"],
    ];
    for (const command of commands) {
      expect(await outcome(spinel, ...command), command.join(" ")).toEqual(await outcome(redis, ...command));
    }
  });
});
