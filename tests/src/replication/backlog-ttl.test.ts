/*
 * repl-backlog-ttl, Spinel beside redis-server 7.0: a primary whose last replica
 * went away frees its backlog once the ttl has passed (repl_backlog_active:0)
 * and takes a new replication ID, so the returning replica resyncs in full; a
 * server that is itself a replica keeps its backlog; 0 keeps it forever.
 */

import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { haveRedisServer, startRedis, startSpinel, type TestServer } from "../support/servers.js";
import { connect, infoFields, waitCaughtUp, waitUntil } from "./support.js";

const started: TestServer[] = [];
const clients: Redis[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const server of started.splice(0).reverse()) await server.stop();
});

function client(port: number): Redis {
  const c = connect(port);
  clients.push(c);
  return c;
}

type Kind = "spinel" | "redis";

async function start(kind: Kind): Promise<TestServer> {
  const server =
    kind === "spinel"
      ? await startSpinel({ "repl-diskless-sync-delay": 0 })
      : await startRedis(["--repl-diskless-sync-delay", "0"]);
  started.push(server);
  return server;
}

const kinds: Kind[] = haveRedisServer() ? ["spinel", "redis"] : ["spinel"];

describe.each(kinds)("repl-backlog-ttl on a %s primary", (kind) => {
  it("frees the backlog of a primary left without replicas, with a new ID; the replica keeps its own", async () => {
    const primaryServer = await start(kind);
    const replicaServer = await start("spinel");
    const primary = client(primaryServer.port);
    const replica = client(replicaServer.port);
    expect(await primary.config("SET", "repl-backlog-ttl", "1")).toBe("OK");
    expect(await primary.config("GET", "repl-backlog-ttl")).toEqual(["repl-backlog-ttl", "1"]);
    await replica.config("SET", "repl-backlog-ttl", "1");
    expect((await infoFields(primary)).get("repl_backlog_active")).toBe("0");

    await replica.replicaof("127.0.0.1", String(primaryServer.port));
    await primary.set("k", "v");
    await waitCaughtUp(primary, replica);
    const before = await infoFields(primary);
    expect(before.get("repl_backlog_active")).toBe("1");

    // The replica leaves (its link is dropped): the ttl starts.
    await replica.replicaof("NO", "ONE");
    await waitUntil("the primary to see no replica", async () => {
      return (await infoFields(primary)).get("connected_slaves") === "0";
    });
    const leftAt = Date.now();
    await waitUntil(
      "the backlog to be freed",
      async () => (await infoFields(primary)).get("repl_backlog_active") === "0",
      10_000,
    );
    // Not before the ttl (1 s); the cron checks once a second.
    expect(Date.now() - leftAt).toBeGreaterThanOrEqual(900);
    const after = await infoFields(primary);
    expect(after.get("master_replid")).not.toBe(before.get("master_replid"));
    expect(after.get("master_replid2")).toBe("0000000000000000000000000000000000000000");
    expect(after.get("repl_backlog_histlen")).toBe("0");
    expect(Number(after.get("master_repl_offset"))).toBe(Number(before.get("master_repl_offset")));

    // The history cannot be continued any more: the returning replica resyncs in full.
    const fullBefore = Number((await infoFields(primary, "stats")).get("sync_full"));
    await replica.replicaof("127.0.0.1", String(primaryServer.port));
    await waitCaughtUp(primary, replica);
    expect(Number((await infoFields(primary, "stats")).get("sync_full"))).toBe(fullBefore + 1);
    expect(await replica.get("k")).toBe("v");

    // A replica keeps its backlog however long it has no replicas of its own.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await infoFields(replica)).get("repl_backlog_active")).toBe("1");
  }, 60_000);

  it("keeps the backlog with repl-backlog-ttl 0", async () => {
    const primaryServer = await start(kind);
    const replicaServer = await start("spinel");
    const primary = client(primaryServer.port);
    const replica = client(replicaServer.port);
    await primary.config("SET", "repl-backlog-ttl", "0");
    await replica.replicaof("127.0.0.1", String(primaryServer.port));
    await waitCaughtUp(primary, replica);
    await replica.replicaof("NO", "ONE");
    await waitUntil("the primary to see no replica", async () => {
      return (await infoFields(primary)).get("connected_slaves") === "0";
    });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await infoFields(primary)).get("repl_backlog_active")).toBe("1");
  }, 60_000);
});
