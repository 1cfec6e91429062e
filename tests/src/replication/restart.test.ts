/*
 * Restarts that keep the replication history (Redis 7.0's repl-id, repl-offset
 * and repl-stream-db RDB aux fields): a replica stopped with SHUTDOWN SAVE and
 * started again offers PSYNC <id> <offset + 1> and continues (+CONTINUE)
 * instead of a full sync, with a redis-server primary and with a Spinel
 * primary; a restarted primary keeps its old ID as replid2 so that its replica
 * continues; and an RDB written by a redis-server replica, given to a Spinel
 * replica, continues too. Every case ends with the datasets compared key by key.
 */

import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { datasetOfServer, populate } from "../persistence/datasets.js";
import {
  haveRedisServer,
  spawnSpinel,
  startRedis,
  startSpinel,
  type TestServer,
} from "../support/servers.js";
import { connect, infoFields, streamWrites, waitCaughtUp, waitUntil } from "./support.js";

/** Spawned servers start through tsx: give them time on a busy machine. */
const SPAWN_READY_MS = 30_000;

const started: TestServer[] = [];
const clients: Redis[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const server of started.splice(0).reverse()) await server.stop();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "spinel-repl-restart-"));
  dirs.push(dir);
  return dir;
}

function client(port: number): Redis {
  const c = connect(port);
  clients.push(c);
  return c;
}

async function contents(c: Redis) {
  const data = await datasetOfServer(c);
  for (const db of data) for (const key of Object.values(db)) key.encoding = "";
  return data;
}

async function expectSameData(primary: Redis, replica: Redis): Promise<void> {
  await waitCaughtUp(primary, replica);
  const expected = await contents(primary);
  expect(Object.keys(expected[0]!).length).toBeGreaterThan(0);
  expect(await contents(replica)).toEqual(expected);
}

/** SHUTDOWN SAVE through `c`, then wait for the process to exit. */
async function shutdownSaving(c: Redis, child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  await c.call("SHUTDOWN", "SAVE").catch(() => {});
  await exited;
}

/** A spawned Spinel replica of 127.0.0.1:primaryPort keeping its RDB in `dir`. */
function spinelReplicaArgs(dir: string, primaryPort: number, port?: number): string[] {
  const args = ["--dir", dir, "--save", "", "--replicaof", "127.0.0.1", String(primaryPort)];
  return port === undefined ? args : [...args, "--port", String(port)];
}

describe.skipIf(!haveRedisServer())("replication across restarts", () => {
  it("a restarted Spinel replica of redis-server continues with +CONTINUE", async () => {
    const redis = await startRedis(["--dir", tempDir(), "--repl-diskless-sync-delay", "0"]);
    started.push(redis);
    const primary = client(redis.port);
    await populate(primary, 21);
    const dir = tempDir();
    const first = await spawnSpinel(spinelReplicaArgs(dir, redis.port), SPAWN_READY_MS);
    started.push(first);
    const replica = client(first.port);
    await streamWrites(primary, 21);
    await expectSameData(primary, replica);
    const before = await infoFields(replica);

    await shutdownSaving(replica, first.child);
    // Writes while the replica is down: the primary's backlog holds them.
    await streamWrites(primary, 22);
    await primary.select(3);
    await primary.set("written-while-down", "yes");

    const second = await spawnSpinel(spinelReplicaArgs(dir, redis.port, first.port), SPAWN_READY_MS);
    started.push(second);
    const restarted = client(second.port);
    await expectSameData(primary, restarted);
    const stats = await infoFields(primary, "stats");
    expect(stats.get("sync_full")).toBe("1");
    expect(stats.get("sync_partial_ok")).toBe("1");
    const after = await infoFields(restarted);
    expect(after.get("master_replid")).toBe(before.get("master_replid"));
    expect(second.output()).toContain("Successful partial resynchronization with master.");
    await restarted.select(3);
    expect(await restarted.get("written-while-down")).toBe("yes");
  }, 120_000);

  it("a restarted Spinel replica of a Spinel primary continues; the RDB's stream database is kept", async () => {
    const spinel = await startSpinel({ "repl-diskless-sync-delay": 0, "repl-ping-replica-period": 1 });
    started.push(spinel);
    const primary = client(spinel.port);
    await populate(primary, 23);
    const dir = tempDir();
    const first = await spawnSpinel(spinelReplicaArgs(dir, spinel.port), SPAWN_READY_MS);
    started.push(first);
    const replica = client(first.port);
    // The stream's last SELECT is database 9: after the restart the replica must still be there.
    await primary.select(9);
    await primary.set("in-nine", "1");
    await expectSameData(primary, replica);

    await shutdownSaving(replica, first.child);
    await primary.select(9);
    await primary.set("in-nine-while-down", "2");
    await primary.incr("in-nine");

    const second = await spawnSpinel(spinelReplicaArgs(dir, spinel.port, first.port), SPAWN_READY_MS);
    started.push(second);
    const restarted = client(second.port);
    await expectSameData(primary, restarted);
    expect(spinel.server.replication.primary.fullSyncs).toBe(1);
    expect(spinel.server.replication.primary.partialSyncsOk).toBe(1);
    await restarted.select(9);
    expect(await restarted.get("in-nine")).toBe("2");
    expect(await restarted.get("in-nine-while-down")).toBe("2");
    await restarted.select(0);
    expect(await restarted.exists("in-nine")).toBe(0);
  }, 120_000);

  it("a restarted Spinel primary keeps its ID as replid2: its redis-server replica continues", async () => {
    const dir = tempDir();
    const primaryArgs = ["--dir", dir, "--save", "", "--repl-diskless-sync-delay", "0"];
    const first = await spawnSpinel(primaryArgs, SPAWN_READY_MS);
    started.push(first);
    const primary = client(first.port);
    await populate(primary, 25);
    const redis = await startRedis(["--dir", tempDir(), "--replicaof", "127.0.0.1", String(first.port)]);
    started.push(redis);
    const replica = client(redis.port);
    await streamWrites(primary, 25);
    await expectSameData(primary, replica);
    const before = await infoFields(primary);

    await shutdownSaving(primary, first.child);
    const second = await spawnSpinel([...primaryArgs, "--port", String(first.port)], SPAWN_READY_MS);
    started.push(second);
    const restarted = client(second.port);
    const after = await infoFields(restarted);
    expect(after.get("master_replid2")).toBe(before.get("master_replid"));
    expect(after.get("master_replid")).not.toBe(before.get("master_replid"));
    expect(Number(after.get("second_repl_offset"))).toBe(Number(before.get("master_repl_offset")) + 1);
    await waitUntil(
      "the replica to come back",
      async () => (await infoFields(restarted)).get("connected_slaves") === "1",
    );
    await streamWrites(restarted, 26);
    await expectSameData(restarted, replica);
    const stats = await infoFields(restarted, "stats");
    expect(stats.get("sync_full")).toBe("0");
    expect(stats.get("sync_partial_ok")).toBe("1");
    expect((await infoFields(replica)).get("master_replid")).toBe(after.get("master_replid"));
  }, 120_000);

  it("an RDB saved by a redis-server replica loads in Spinel, which continues partially", async () => {
    const redis = await startRedis(["--dir", tempDir(), "--repl-diskless-sync-delay", "0"]);
    started.push(redis);
    const primary = client(redis.port);
    await populate(primary, 27);
    const dir = tempDir();
    const redisReplica = await startRedis(["--dir", dir, "--replicaof", "127.0.0.1", String(redis.port)]);
    started.push(redisReplica);
    const replicaClient = client(redisReplica.port);
    await streamWrites(primary, 27);
    await expectSameData(primary, replicaClient);
    expect(await replicaClient.call("SAVE")).toBe("OK");
    replicaClient.disconnect();
    await redisReplica.stop();
    await streamWrites(primary, 28);

    const spinel = await spawnSpinel(spinelReplicaArgs(dir, redis.port), SPAWN_READY_MS);
    started.push(spinel);
    const spinelClient = client(spinel.port);
    await expectSameData(primary, spinelClient);
    const stats = await infoFields(primary, "stats");
    expect(stats.get("sync_full")).toBe("1");
    expect(stats.get("sync_partial_ok")).toBe("1");
  }, 120_000);
});
