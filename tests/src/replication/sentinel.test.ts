/*
 * High availability under the real Redis Sentinel: three redis-sentinel
 * processes monitor a Spinel primary with two Spinel replicas (all separate
 * processes). The primary is killed with SIGKILL; a replica is promoted, the
 * other follows it, and an ioredis client with sentinel support keeps writing
 * to the new primary. Everything runs on loopback; what is started is stopped
 * by PID and the sentinels' temp dir is removed.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, spawnSpinel, type TestServer } from "../support/servers.js";
import { connect, infoFields, waitUntil } from "./support.js";

const haveSentinel = ["/usr/bin/redis-sentinel", "/usr/local/bin/redis-sentinel"].some((p) => existsSync(p));
const dir = mkdtempSync(join(tmpdir(), "spinel-sentinel-"));
const children: ChildProcess[] = [];
const servers: TestServer[] = [];
const clients: Redis[] = [];

afterAll(async () => {
  for (const client of clients) client.disconnect();
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  for (const server of servers) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Start one sentinel monitoring `primaryPort` as "mymaster" with quorum 2. */
async function startSentinel(index: number, primaryPort: number): Promise<number> {
  const port = await freePort();
  const conf = join(dir, `sentinel-${index}.conf`);
  writeFileSync(
    conf,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${primaryPort} 2`,
      "sentinel down-after-milliseconds mymaster 1000",
      "sentinel failover-timeout mymaster 5000",
      "",
    ].join("\n"),
  );
  const child = spawn("redis-sentinel", [conf], { stdio: "ignore" });
  children.push(child);
  return port;
}

describe.skipIf(!haveSentinel)("Redis Sentinel with Spinel", () => {
  it("promotes a replica when the primary is killed; the other replica and the clients follow", async () => {
    const primary = await spawnSpinel(["--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "1"]);
    servers.push(primary);
    const replicas = [
      await spawnSpinel(["--replicaof", "127.0.0.1", String(primary.port)]),
      await spawnSpinel(["--replicaof", "127.0.0.1", String(primary.port)]),
    ];
    servers.push(...replicas);
    const sentinelPorts: number[] = [];
    for (let i = 0; i < 3; i++) sentinelPorts.push(await startSentinel(i, primary.port));
    const sentinel = connect(sentinelPorts[0]!);
    clients.push(sentinel);
    await waitUntil("the sentinels to see the replicas and each other", async () => {
      try {
        const seenReplicas = (await sentinel.call("SENTINEL", "REPLICAS", "mymaster")) as unknown[];
        const peers = (await sentinel.call("SENTINEL", "SENTINELS", "mymaster")) as unknown[];
        return seenReplicas.length === 2 && peers.length === 2;
      } catch {
        return false;
      }
    });

    const app = new Redis({
      sentinels: sentinelPorts.map((port) => ({ host: "127.0.0.1", port })),
      name: "mymaster",
      maxRetriesPerRequest: 50,
    });
    clients.push(app);
    // The killed primary refuses connections until the sentinels answer with the new one.
    app.on("error", () => {});
    for (let i = 0; i < 20; i++) await app.set(`before:${i}`, String(i));
    expect(await app.call("WAIT", "2", "5000")).toBe(2);

    (primary as unknown as { child: ChildProcess }).child.kill("SIGKILL");
    await waitUntil(
      "the sentinels to fail over",
      async () => {
        const address = (await sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")) as string[];
        return address[1] !== String(primary.port);
      },
      30_000,
    );
    const address = (await sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")) as string[];
    const promoted = replicas.find((r) => r.port === Number(address[1]))!;
    const other = replicas.find((r) => r !== promoted)!;
    expect(promoted).toBeDefined();

    // The client keeps writing, now to the promoted replica.
    for (let i = 0; i < 20; i++) await app.set(`after:${i}`, String(i));
    const promotedClient = connect(promoted.port);
    const otherClient = connect(other.port);
    clients.push(promotedClient, otherClient);
    expect((await infoFields(promotedClient)).get("role")).toBe("master");
    await waitUntil("the other replica to follow the promoted one", async () => {
      const info = await infoFields(otherClient);
      return (
        info.get("master_port") === String(promoted.port) && (await otherClient.get("after:19")) === "19"
      );
    });
    for (let i = 0; i < 20; i++) {
      expect(await promotedClient.get(`before:${i}`)).toBe(String(i));
      expect(await otherClient.get(`before:${i}`)).toBe(String(i));
    }
  });
});
