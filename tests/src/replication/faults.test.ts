/*
 * Replication faults with real processes: the link cut during a full sync (the
 * replica killed, or its connection closed by either side, while the RDB is in
 * flight), the backlog overflowing while a replica is away (a full resync
 * follows), and a replica that stops reading disconnected by the replica class
 * of client-output-buffer-limit. Each case checks that the primary recovers
 * (the replica is forgotten, no snapshot is left running), that the replica
 * comes back, and that the datasets end equal key by key.
 *
 * A transfer is kept in flight long enough to be cut by slowing one side with
 * redis-server's own debugging settings: key-load-delay on a redis-server
 * replica (it reads the RDB from the socket as it loads it), rdb-key-save-delay
 * on a redis-server primary (it streams the RDB as it writes it).
 */

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { datasetOfServer } from "../persistence/datasets.js";
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
const stopped: number[] = [];
const dirs: string[] = [];

/** A temporary directory of its own for each redis-server (it keeps the RDB it receives there). */
function inDir(): string[] {
  const dir = mkdtempSync(join(tmpdir(), "spinel-repl-faults-"));
  dirs.push(dir);
  return ["--dir", dir];
}

afterEach(async () => {
  for (const pid of stopped.splice(0)) {
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // already gone
    }
  }
  for (const c of clients.splice(0)) c.disconnect();
  for (const server of started.splice(0).reverse()) await server.stop();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

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

async function expectSameData(primary: Redis, replica: Redis, timeoutMs = 30_000): Promise<void> {
  await waitCaughtUp(primary, replica, timeoutMs);
  const expected = await contents(primary);
  expect(Object.keys(expected[0]!).length).toBeGreaterThan(0);
  expect(await contents(replica)).toEqual(expected);
}

/**
 * `count` string keys of `size` bytes of random hexadecimal text in database 0
 * (pipelined): an RDB that LZF cannot shrink, larger than the sockets' buffers.
 */
async function randomKeys(c: Redis, prefix: string, count: number, size: number): Promise<void> {
  await c.select(0);
  for (let start = 0; start < count; start += 1000) {
    const p = c.pipeline();
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      p.set(`${prefix}:${i}`, randomBytes(size / 2).toString("hex"));
    }
    await p.exec();
  }
}

/** `count` string keys of `size` bytes in database 0 (pipelined). */
async function bulkKeys(c: Redis, prefix: string, count: number, size: number): Promise<void> {
  await c.select(0);
  for (let start = 0; start < count; start += 1000) {
    const p = c.pipeline();
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      p.set(`${prefix}:${i}`, `${prefix}${i}:`.padEnd(size, String.fromCharCode(97 + (i % 26))));
    }
    await p.exec();
  }
}

/** Stop (SIGSTOP) a process; the test's cleanup continues it if the test fails first. */
function freeze(pid: number): void {
  process.kill(pid, "SIGSTOP");
  stopped.push(pid);
}

function thaw(pid: number): void {
  process.kill(pid, "SIGCONT");
  stopped.splice(stopped.indexOf(pid), 1);
}

const spinelPrimaryConfig = { "repl-diskless-sync-delay": 0, "repl-ping-replica-period": 1 };

/**
 * A Spinel primary with 8,000 keys and a redis-server replica that loads slowly
 * (key-load-delay), returned once the full sync's RDB is in flight: queued whole,
 * with more than 1 MB of it still waiting in the primary's output.
 */
async function primaryWithReplicaMidTransfer() {
  const spinel = await startSpinel(spinelPrimaryConfig);
  started.push(spinel);
  const primary = client(spinel.port);
  await randomKeys(primary, "k", 8_000, 3000);
  const replication = spinel.server.replication;
  const slow = await startRedis([
    ...inDir(),
    "--repl-diskless-load",
    "swapdb",
    "--key-load-delay",
    "300",
    "--replicaof",
    "127.0.0.1",
    String(spinel.port),
  ]);
  started.push(slow);
  await waitUntil("the transfer to be in flight", async () => {
    const replica = [...replication.primary.replicas.values()][0];
    const socket = replica === undefined ? undefined : spinel.server.loop.connections.get(replica.id);
    return replica?.onlineOnAck === true && socket !== undefined && socket.outputBufferBytes > 1_000_000;
  });
  return { spinel, primary, replication, slow };
}

describe.skipIf(!haveRedisServer())("replication faults", () => {
  it("a redis-server replica killed during its full sync: the primary recovers, a new replica ends equal", async () => {
    const { spinel, primary, replication, slow } = await primaryWithReplicaMidTransfer();
    process.kill(slow.pid, "SIGKILL");
    await waitUntil("the primary to forget the replica", async () => replication.primary.replicas.size === 0);
    expect(spinel.server.state.keyspace.snapshot).toBeNull();
    expect((await infoFields(primary)).get("connected_slaves")).toBe("0");
    await streamWrites(primary, 31);

    const replacement = await startRedis([...inDir(), "--replicaof", "127.0.0.1", String(spinel.port)]);
    started.push(replacement);
    await expectSameData(primary, client(replacement.port));
    expect((await infoFields(primary, "stats")).get("sync_full")).toBe("2");
  }, 90_000);

  it("the primary closes a redis-server replica's link during its full sync: the replica retries and ends equal", async () => {
    const { primary, replication, slow } = await primaryWithReplicaMidTransfer();
    expect(await primary.call("CLIENT", "KILL", "TYPE", "replica")).toBe(1);
    expect(replication.primary.replicas.size).toBe(0);
    await streamWrites(primary, 32);
    // The replica notices, retries with a new full sync and catches up.
    await waitUntil("a second full sync", async () => replication.primary.fullSyncs === 2, 30_000);
    await expectSameData(primary, client(slow.port));
  }, 90_000);

  it("a Spinel replica whose full sync is cut by the redis-server primary retries and ends equal", async () => {
    const redis = await startRedis([
      ...inDir(),
      "--repl-diskless-sync",
      "yes",
      "--repl-diskless-sync-delay",
      "0",
      "--rdb-key-save-delay",
      "100",
    ]);
    started.push(redis);
    const primary = client(redis.port);
    await bulkKeys(primary, "k", 10_000, 100);
    const spinel = await startSpinel({ replicaof: `127.0.0.1 ${redis.port}` });
    started.push(spinel);
    const replica = client(spinel.port);
    await waitUntil("the transfer to be in flight", async () => {
      const info = await infoFields(replica);
      return info.get("master_sync_in_progress") === "1" && Number(info.get("master_sync_read_bytes")) > 0;
    });
    expect(await primary.call("CLIENT", "KILL", "TYPE", "replica")).toBe(1);
    // Nothing of the cut transfer is loaded: the replica still holds its (empty) dataset.
    expect(await replica.dbsize()).toBe(0);
    await primary.config("SET", "rdb-key-save-delay", "0");
    await streamWrites(primary, 33);
    await expectSameData(primary, replica);
    expect((await infoFields(primary, "stats")).get("sync_full")).toBe("2");
  }, 90_000);

  it("writes beyond repl-backlog-size while a redis-server replica is away force a full resync", async () => {
    const spinel = await startSpinel({ ...spinelPrimaryConfig, "repl-backlog-size": 16_384 });
    started.push(spinel);
    const primary = client(spinel.port);
    await streamWrites(primary, 34);
    const redis = await startRedis([...inDir(), "--replicaof", "127.0.0.1", String(spinel.port)]);
    started.push(redis);
    const replica = client(redis.port);
    await expectSameData(primary, replica);

    // The replica cannot reconnect while stopped; the primary drops its link meanwhile.
    freeze(redis.pid);
    expect(await primary.call("CLIENT", "KILL", "TYPE", "replica")).toBe(1);
    await bulkKeys(primary, "overflow", 400, 200); // ~100 KB of stream, far past the 16 KB backlog
    const info = await infoFields(primary);
    expect(Number(info.get("repl_backlog_first_byte_offset"))).toBeGreaterThan(1);
    thaw(redis.pid);

    await expectSameData(primary, replica);
    const stats = await infoFields(primary, "stats");
    expect(stats.get("sync_full")).toBe("2");
    expect(stats.get("sync_partial_err")).toBe("1");
    expect(stats.get("sync_partial_ok")).toBe("0");
  }, 90_000);

  it("a Spinel replica away while a redis-server primary's backlog overflows gets a full resync", async () => {
    const redis = await startRedis([
      ...inDir(),
      "--repl-diskless-sync-delay",
      "0",
      "--repl-backlog-size",
      "16384",
    ]);
    started.push(redis);
    const primary = client(redis.port);
    await streamWrites(primary, 35);
    const spinel = await spawnSpinel(["--replicaof", "127.0.0.1", String(redis.port)], SPAWN_READY_MS);
    started.push(spinel);
    const replica = client(spinel.port);
    await expectSameData(primary, replica);

    freeze(spinel.child.pid!);
    expect(await primary.call("CLIENT", "KILL", "TYPE", "replica")).toBe(1);
    await bulkKeys(primary, "overflow", 400, 200);
    thaw(spinel.child.pid!);

    await expectSameData(primary, replica);
    const stats = await infoFields(primary, "stats");
    expect(stats.get("sync_full")).toBe("2");
    expect(stats.get("sync_partial_err")).toBe("1");
  }, 90_000);

  it("the stream held during a full sync counts against client-output-buffer-limit replica", async () => {
    const spinel = await startSpinel({
      ...spinelPrimaryConfig,
      "client-output-buffer-limit": "replica 4mb 2mb 60",
    });
    started.push(spinel);
    const primary = client(spinel.port);
    await randomKeys(primary, "k", 2_000, 4000);
    const replication = spinel.server.replication;
    const slow = await startRedis([
      ...inDir(),
      "--repl-diskless-load",
      "swapdb",
      "--key-load-delay",
      "1000",
      "--replicaof",
      "127.0.0.1",
      String(spinel.port),
    ]);
    started.push(slow);
    await waitUntil("the replica to load its RDB", async () => {
      const replica = [...replication.primary.replicas.values()][0];
      return replica?.onlineOnAck === true;
    });
    // While it loads, the stream waits for it in the primary: past the hard limit it is dropped.
    let written = 0;
    while (replication.primary.replicas.size > 0 && written < 32 * 1024 * 1024) {
      await bulkKeys(primary, `flood${written}`, 50, 10_000);
      written += 50 * 10_000;
    }
    expect(replication.primary.replicas.size).toBe(0);
    expect(written).toBeLessThan(16 * 1024 * 1024);
    // Without the flood the next attempt succeeds.
    await expectSameData(primary, client(slow.port), 60_000);
    expect(replication.primary.fullSyncs).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it("client-output-buffer-limit replica disconnects a replica that stops reading; it resyncs and ends equal", async () => {
    const spinel = await startSpinel({
      ...spinelPrimaryConfig,
      "client-output-buffer-limit": "replica 2mb 1mb 60",
      "repl-backlog-size": 65_536,
    });
    started.push(spinel);
    const primary = client(spinel.port);
    // A first RDB larger than the hard limit: the transfer itself is not limited, as in redis-server.
    await randomKeys(primary, "big", 800, 10_000);
    const redis = await startRedis([...inDir(), "--replicaof", "127.0.0.1", String(spinel.port)]);
    started.push(redis);
    const replica = client(redis.port);
    await expectSameData(primary, replica);
    expect((await infoFields(primary, "stats")).get("sync_full")).toBe("1");

    // The replica stops reading: the stream piles up in the primary past the 2 MB hard limit.
    freeze(redis.pid);
    const replication = spinel.server.replication;
    let written = 0;
    while (replication.primary.replicas.size > 0 && written < 64 * 1024 * 1024) {
      await bulkKeys(primary, `flood${written}`, 100, 10_000);
      written += 100 * 10_000;
    }
    expect(replication.primary.replicas.size).toBe(0);
    expect((await infoFields(primary)).get("connected_slaves")).toBe("0");
    thaw(redis.pid);

    await expectSameData(primary, replica, 60_000);
    const stats = await infoFields(primary, "stats");
    expect(stats.get("sync_full")).toBe("2");
  }, 90_000);
});
