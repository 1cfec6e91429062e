/*
 * Replication with real processes: redis-server 7.0 as a replica of a Spinel
 * primary, a Spinel replica of a redis-server primary, and Spinel to Spinel.
 * Each: a full sync, then streamed writes of every type, then a killed link
 * and a partial resynchronisation; the datasets are compared key by key with
 * their TTLs after each step. WAIT counts the replicas that acknowledged.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Dataset, datasetOfServer, populate } from "../persistence/datasets.js";
import { haveRedisServer, startRedis, startSpinel, type TestServer } from "../support/servers.js";
import { connect, infoFields, streamWrites, waitCaughtUp, waitUntil } from "./support.js";

const started: TestServer[] = [];
/** redis-server replicas keep the received RDB in their dir: a temp dir, removed at the end. */
const dir = mkdtempSync(join(tmpdir(), "spinel-replication-"));
const inDir = ["--dir", dir];

afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clients: Redis[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  for (const server of started.splice(0).reverse()) await server.stop();
});

function client(port: number): Redis {
  const c = connect(port);
  clients.push(c);
  return c;
}

/** The dataset without encodings (a replica may pick other encodings after a load). */
async function contents(c: Redis): Promise<Dataset> {
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

const spinelPrimaryConfig = { "repl-diskless-sync-delay": 0, "repl-ping-replica-period": 1 };

describe.skipIf(!haveRedisServer())("replication interoperability", () => {
  it("redis-server follows a Spinel primary: full sync, stream, partial resync after a killed link", async () => {
    const spinel = await startSpinel(spinelPrimaryConfig);
    started.push(spinel);
    const primary = client(spinel.port);
    await populate(primary, 1);
    const redis = await startRedis([...inDir, "--replicaof", "127.0.0.1", String(spinel.port)]);
    started.push(redis);
    const replica = client(redis.port);
    await expectSameData(primary, replica);
    expect(spinel.server.replication.primary.fullSyncs).toBe(1);

    await streamWrites(primary, 1);
    await populate(primary, 2);
    await expectSameData(primary, replica);
    const role = (await primary.call("ROLE")) as [string, number, Array<[string, string, string]>];
    expect(role[0]).toBe("master");
    expect(role[2]).toHaveLength(1);
    expect(role[2][0]![1]).toBe(String(redis.port));

    // Kill the link from the replica side; writes meanwhile arrive by partial resync.
    expect(await replica.call("CLIENT", "KILL", "TYPE", "master")).toBe(1);
    await streamWrites(primary, 2);
    await expectSameData(primary, replica);
    const stats = await infoFields(primary, "stats");
    expect(stats.get("sync_full")).toBe("1");
    expect(stats.get("sync_partial_ok")).toBe("1");
    expect(Number(stats.get("total_net_repl_output_bytes"))).toBeGreaterThan(0);
    expect(
      Number(await infoFields(replica, "stats").then((f) => f.get("total_net_repl_input_bytes"))),
    ).toBeGreaterThan(0);
    await primary.set("waited", "1");
    expect(await primary.call("WAIT", "1", "5000")).toBe(1);
    expect(await replica.get("waited")).toBe("1");

    // kill -9 the replica and start another in its place: a second full sync.
    process.kill(redis.pid, "SIGKILL");
    await waitUntil(
      "the primary to notice",
      async () => (await infoFields(primary)).get("connected_slaves") === "0",
    );
    await streamWrites(primary, 7);
    const again = await startRedis([...inDir, "--replicaof", "127.0.0.1", String(spinel.port)]);
    started.push(again);
    await expectSameData(primary, client(again.port));
    expect((await infoFields(primary, "stats")).get("sync_full")).toBe("2");
  });

  it("chained: a redis-server replica of a Spinel replica of a Spinel primary sees the same stream", async () => {
    const top = await startSpinel(spinelPrimaryConfig);
    started.push(top);
    const primary = client(top.port);
    await populate(primary, 8);
    const middle = await startSpinel({ ...spinelPrimaryConfig, replicaof: `127.0.0.1 ${top.port}` });
    started.push(middle);
    const middleClient = client(middle.port);
    await expectSameData(primary, middleClient);
    const bottom = await startRedis([...inDir, "--replicaof", "127.0.0.1", String(middle.port)]);
    started.push(bottom);
    const bottomClient = client(bottom.port);
    await streamWrites(primary, 8);
    await expectSameData(primary, middleClient);
    await expectSameData(middleClient, bottomClient);
    // The same history: one replication ID and offset down the chain.
    const ids = await Promise.all([primary, middleClient, bottomClient].map((c) => infoFields(c)));
    expect(new Set(ids.map((f) => f.get("master_replid"))).size).toBe(1);
    expect(ids[2]!.get("master_repl_offset")).toBe(ids[0]!.get("master_repl_offset"));
  });

  it("Spinel follows a redis-server primary: full sync, stream, partial resync after a killed link", async () => {
    const redis = await startRedis([...inDir, "--repl-diskless-sync-delay", "0"]);
    started.push(redis);
    const primary = client(redis.port);
    await populate(primary, 3);
    const spinel = await startSpinel({ replicaof: `127.0.0.1 ${redis.port}` });
    started.push(spinel);
    const replica = client(spinel.port);
    await expectSameData(primary, replica);

    await streamWrites(primary, 3);
    await populate(primary, 4);
    await expectSameData(primary, replica);
    const replicaInfo = await infoFields(replica);
    expect(replicaInfo.get("role")).toBe("slave");
    expect(replicaInfo.get("master_port")).toBe(String(redis.port));
    expect(replicaInfo.get("master_replid")).toBe((await infoFields(primary)).get("master_replid"));
    await expect(replica.set("x", "1")).rejects.toThrow(
      "READONLY You can't write against a read only replica.",
    );

    await primary.call("CLIENT", "KILL", "TYPE", "replica");
    await streamWrites(primary, 4);
    await expectSameData(primary, replica);
    const stats = await infoFields(primary, "stats");
    expect(stats.get("sync_full")).toBe("1");
    expect(stats.get("sync_partial_ok")).toBe("1");
  });

  it("Spinel follows Spinel; WAIT counts acknowledgements; promotion keeps replid2", async () => {
    const first = await startSpinel(spinelPrimaryConfig);
    started.push(first);
    const primary = client(first.port);
    await populate(primary, 5);
    const second = await startSpinel({ ...spinelPrimaryConfig, replicaof: `127.0.0.1 ${first.port}` });
    started.push(second);
    const replica = client(second.port);
    await expectSameData(primary, replica);

    await streamWrites(primary, 5);
    await primary.set("waited", "1");
    expect(await primary.call("WAIT", "1", "5000")).toBe(1);
    expect(await replica.get("waited")).toBe("1");
    const started2 = Date.now();
    expect(await primary.call("WAIT", "2", "300")).toBe(1);
    expect(Date.now() - started2).toBeGreaterThanOrEqual(250);
    await expectSameData(primary, replica);

    // A dropped link resumes with PSYNC from the backlog.
    expect(await replica.call("CLIENT", "KILL", "TYPE", "master")).toBe(1);
    await streamWrites(primary, 6);
    await expectSameData(primary, replica);
    expect(first.server.replication.primary.partialSyncsOk).toBe(1);
    expect(first.server.replication.primary.fullSyncs).toBe(1);

    // Promotion: the old ID becomes replid2, the offset where it stops is second_repl_offset.
    const before = await infoFields(replica);
    expect(await replica.call("REPLICAOF", "NO", "ONE")).toBe("OK");
    const after = await infoFields(replica);
    expect(after.get("role")).toBe("master");
    expect(after.get("master_replid2")).toBe(before.get("master_replid"));
    expect(after.get("second_repl_offset")).toBe(String(Number(after.get("master_repl_offset")) + 1));
    expect(Number(after.get("master_repl_offset"))).toBeGreaterThanOrEqual(
      Number(before.get("master_repl_offset")),
    );
    await replica.set("after-promotion", "yes");
    expect(await replica.get("after-promotion")).toBe("yes");

    // The old primary follows the promoted one and continues partially under replid2.
    expect(await primary.call("REPLICAOF", "127.0.0.1", String(second.port))).toBe("OK");
    await waitUntil(
      "the old primary to follow",
      async () => (await primary.get("after-promotion")) === "yes",
    );
    expect(second.server.replication.primary.partialSyncsOk).toBe(1);
    await expectSameData(replica, primary);
  });
});
