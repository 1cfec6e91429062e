/*
 * WAIT counts the replicas that acknowledged the calling client's own last
 * write (Redis' per-client write offset), not the server's latest offset; and
 * INFO memory's replica figures (mem_clients_slaves, mem_total_replication_buffers,
 * mem_not_counted_for_evict) follow the bytes really queued for a replica that
 * stopped reading.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { haveRedisServer, startRedis, startSpinel, type TestServer } from "../support/servers.js";
import { connect, infoFields, waitCaughtUp, waitUntil } from "./support.js";

const started: TestServer[] = [];
const clients: Redis[] = [];
const frozen: number[] = [];
const dir = mkdtempSync(join(tmpdir(), "spinel-repl-wait-"));

afterEach(async () => {
  for (const pid of frozen.splice(0)) process.kill(pid, "SIGCONT");
  for (const c of clients.splice(0)) c.disconnect();
  for (const server of started.splice(0).reverse()) await server.stop();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function client(port: number): Redis {
  const c = connect(port);
  clients.push(c);
  return c;
}

/** A Spinel primary with one redis-server replica, caught up. */
async function primaryWithReplica(): Promise<{ port: number; replicaPid: number; replica: Redis }> {
  const spinel = await startSpinel({ "repl-diskless-sync-delay": 0, "repl-ping-replica-period": 1 });
  started.push(spinel);
  const admin = client(spinel.port);
  await admin.set("seed", "1");
  const redis = await startRedis(["--dir", dir, "--replicaof", "127.0.0.1", String(spinel.port)]);
  started.push(redis);
  const replica = client(redis.port);
  await waitCaughtUp(admin, replica);
  return { port: spinel.port, replicaPid: redis.pid, replica };
}

/** The CLIENT LIST line of the replica connection, as field -> value. */
async function replicaClientLine(c: Redis): Promise<Map<string, string>> {
  const list = (await c.call("CLIENT", "LIST", "TYPE", "replica")) as string;
  const line = list.split("\n").find((l) => l.includes("flags=S"));
  if (line === undefined) throw new Error(`no replica in CLIENT LIST: ${list}`);
  return new Map(line.split(" ").map((word) => word.split("=", 2) as [string, string]));
}

describe.skipIf(!haveRedisServer())("WAIT and the replica memory figures", () => {
  it("WAIT waits for the caller's own last write, not for other clients' later writes", async () => {
    const { port, replicaPid } = await primaryWithReplica();
    const writer = client(port);
    const other = client(port);
    const idle = client(port);
    await writer.set("mine", "1");
    expect(await writer.call("WAIT", "1", "5000")).toBe(1);

    // The replica stops acknowledging; another client writes after that.
    process.kill(replicaPid, "SIGSTOP");
    frozen.push(replicaPid);
    await other.set("theirs", "2");

    // The first client's write is acknowledged already: no wait.
    const before = Date.now();
    expect(await writer.call("WAIT", "1", "2000")).toBe(1);
    expect(Date.now() - before).toBeLessThan(1000);
    // A client that never wrote has nothing to wait for either.
    expect(await idle.call("WAIT", "1", "2000")).toBe(1);
    // The other client's write is not acknowledged: WAIT times out with 0.
    const waited = Date.now();
    expect(await other.call("WAIT", "1", "300")).toBe(0);
    expect(Date.now() - waited).toBeGreaterThanOrEqual(250);

    // Once the replica runs again, it acknowledges the other write too.
    process.kill(replicaPid, "SIGCONT");
    frozen.splice(frozen.indexOf(replicaPid), 1);
    expect(await other.call("WAIT", "1", "5000")).toBe(1);
  });

  it("under concurrent writers, a write acknowledged by WAIT 2 is on both replicas when WAIT returns", async () => {
    const { port, replica } = await primaryWithReplica();
    const spinelReplica = await startSpinel({ replicaof: `127.0.0.1 ${port}` });
    started.push(spinelReplica);
    const second = client(spinelReplica.port);
    await waitUntil(
      "two replicas",
      async () => (await infoFields(client(port))).get("connected_slaves") === "2",
    );
    const writers = Array.from({ length: 8 }, () => client(port));
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < 40; i++) {
          const key = `w${w}`;
          const value = `${i}`;
          // Another writer's pipeline keeps the stream busy meanwhile.
          writer.incr(`noise:${w}`);
          await writer.set(key, value);
          expect(await writer.call("WAIT", "2", "10000")).toBe(2);
          const [onRedis, onSpinel] = await Promise.all([replica.get(key), second.get(key)]);
          expect([onRedis, onSpinel]).toEqual([value, value]);
        }
      }),
    );
  }, 90_000);

  it("mem_clients_slaves and mem_total_replication_buffers measure what waits for a stalled replica", async () => {
    const { port, replicaPid, replica } = await primaryWithReplica();
    const primary = client(port);
    const idle = await infoFields(primary, "memory");
    const backlog = Number(idle.get("mem_replication_backlog"));
    expect(backlog).toBe(1024 * 1024);
    expect(Number(idle.get("mem_total_replication_buffers"))).toBeGreaterThanOrEqual(backlog);
    expect(Number(idle.get("mem_total_replication_buffers"))).toBeLessThan(backlog + 64 * 1024);

    process.kill(replicaPid, "SIGSTOP");
    frozen.push(replicaPid);
    // 24 MB of stream: more than the kernel's socket buffers take, less than the replica limits.
    const value = "v".repeat(100_000);
    for (let batch = 0; batch < 8; batch++) {
      const p = primary.pipeline();
      for (let i = 0; i < 30; i++) p.set(`big:${batch}:${i}`, value);
      await p.exec();
    }
    const line = await replicaClientLine(primary);
    const omem = Number(line.get("omem"));
    expect(omem).toBeGreaterThan(4 * 1024 * 1024);
    const stalled = await infoFields(primary, "memory");
    const replicaMemory = Number(stalled.get("mem_clients_slaves"));
    const total = Number(stalled.get("mem_total_replication_buffers"));
    // The same bytes seen three ways (a PING may have joined between the readings).
    expect(Math.abs(replicaMemory - omem)).toBeLessThan(64 * 1024);
    expect(Math.abs(total - backlog - omem)).toBeLessThan(64 * 1024);
    expect(Number(stalled.get("mem_clients_normal"))).toBeLessThan(1024 * 1024);
    // Replica output is left out of the eviction check, as in Redis.
    expect(Math.abs(Number(stalled.get("mem_not_counted_for_evict")) - omem)).toBeLessThan(64 * 1024);
    const stats = (await primary.call("MEMORY", "STATS")) as unknown[];
    const slaves = stats[stats.indexOf("clients.slaves") + 1] as number;
    expect(Math.abs(slaves - omem)).toBeLessThan(64 * 1024);

    process.kill(replicaPid, "SIGCONT");
    frozen.splice(frozen.indexOf(replicaPid), 1);
    await waitCaughtUp(primary, replica, 60_000);
    await waitUntil(
      "the replica's output to drain",
      async () => Number((await infoFields(primary, "memory")).get("mem_clients_slaves")) < 64 * 1024,
    );
  }, 90_000);
});
