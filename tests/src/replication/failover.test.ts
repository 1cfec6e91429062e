/*
 * FAILOVER with real processes: Spinel to Spinel (roles swap, data written
 * before is on both, a write sent while waiting for sync is held then refused
 * with -READONLY, the new primary takes writes and the old one follows it by a
 * partial resync), Spinel to a redis-server replica and a redis-server primary
 * to a Spinel replica (PSYNC ... FAILOVER both ways), the roll-backs (ABORT
 * while waiting for sync and while handing over, TIMEOUT without FORCE, a
 * refused PSYNC FAILOVER) in which held writes are served, and the errors,
 * compared reply for reply with a redis-server set up the same way.
 *
 * A replica is kept from catching up by stopping its process (SIGSTOP): it
 * then sends no ACK, so the primary stays in waiting-for-sync.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Dataset, datasetOfServer } from "../persistence/datasets.js";
import {
  haveRedisServer,
  spawnSpinel,
  startRedis,
  startSpinel,
  type TestServer,
} from "../support/servers.js";
import { connect, infoFields, waitCaughtUp, waitUntil } from "./support.js";

const started: TestServer[] = [];
const clients: Redis[] = [];
const stopped: number[] = [];
const dirs: string[] = [];

/** A temporary directory of its own for each redis-server (it keeps the RDB it receives there). */
function inDir(): string[] {
  const dir = mkdtempSync(join(tmpdir(), "spinel-failover-"));
  dirs.push(dir);
  return ["--dir", dir];
}

afterEach(async () => {
  for (const pid of stopped.splice(0)) resume(pid);
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

function suspend(pid: number): void {
  process.kill(pid, "SIGSTOP");
  stopped.push(pid);
}

function resume(pid: number): void {
  try {
    process.kill(pid, "SIGCONT");
  } catch {
    // already gone
  }
}

async function field(c: Redis, name: string, section = "replication"): Promise<string | undefined> {
  return (await infoFields(c, section)).get(name);
}

async function failoverState(c: Redis): Promise<string | undefined> {
  return field(c, "master_failover_state");
}

/** The reply of a command, or its error text (so that errors compare as values). */
async function outcome(c: Redis, ...args: Array<string | number>): Promise<unknown> {
  try {
    return await c.call(String(args[0]), ...args.slice(1).map(String));
  } catch (error) {
    return (error as Error).message;
  }
}

/** The dataset without encodings (a replica may pick other encodings after a load). */
async function contents(c: Redis): Promise<Dataset> {
  const data = await datasetOfServer(c, 4);
  for (const db of data) for (const key of Object.values(db)) key.encoding = "";
  return data;
}

/** A few keys of several types in databases 0 and 3. */
async function writeData(c: Redis, tag: string): Promise<void> {
  const p = c.pipeline();
  p.select(3);
  p.set(`s:${tag}`, tag);
  p.rpush(`l:${tag}`, "a", "b", "c");
  p.hset(`h:${tag}`, "f", tag);
  p.select(0);
  p.sadd(`set:${tag}`, "x", "y");
  p.zadd(`z:${tag}`, 1, "one", 2, "two");
  p.set(`ttl:${tag}`, "v", "EX", 5000);
  await p.exec();
}

/** Make `replica` follow `primary` and wait until it is in step. */
async function follow(replica: Redis, primary: Redis, primaryPort: number): Promise<void> {
  expect(await replica.replicaof("127.0.0.1", primaryPort)).toBe("OK");
  await waitCaughtUp(primary, replica);
}

/** Wait until the failover on `c` has ended (master_failover_state back to no-failover). */
async function failoverEnded(c: Redis): Promise<void> {
  await waitUntil("the failover to end", async () => (await failoverState(c)) === "no-failover");
}

/** The roles after a completed failover: `newPrimary` leads, `oldPrimary` follows it in step. */
async function expectSwapped(oldPrimary: Redis, newPrimary: Redis, newPrimaryPort: number): Promise<void> {
  const oldRole = (await oldPrimary.call("ROLE")) as unknown[];
  expect(oldRole[0]).toBe("slave");
  expect(oldRole[2]).toBe(newPrimaryPort);
  expect(((await newPrimary.call("ROLE")) as unknown[])[0]).toBe("master");
  await waitCaughtUp(newPrimary, oldPrimary);
}

/** What a client blocked in BLPOP or WAIT gets when its server becomes a replica (then it is disconnected). */
const UNBLOCKED =
  "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)";

/** A client blocked in BLPOP and one in WAIT on the server at `port` (both waiting once this returns). */
async function blockedClients(port: number): Promise<{ pop: Promise<unknown>; wait: Promise<unknown> }> {
  const observer = client(port);
  const before = Number(await field(observer, "blocked_clients", "clients"));
  const wait = outcome(client(port), "WAIT", 5, 0);
  const pop = outcome(client(port), "BLPOP", "never-pushed", 0);
  await waitUntil(
    "BLPOP to block",
    async () => Number(await field(observer, "blocked_clients", "clients")) > before,
  );
  // WAIT went out before BLPOP: give it the time to be read as well.
  await new Promise((r) => setTimeout(r, 100));
  return { pop, wait };
}

const spinelPrimaryConfig = { "repl-diskless-sync-delay": 0 };
/** A redis-server primary starts a full sync at once (its default waits 5 s for more replicas). */
const redisPrimaryArgs = ["--repl-diskless-sync-delay", "0"];

/**
 * After a failover from `oldPrimary` to `target`: the target kept the old
 * replication ID as replid2 and the old primary resynchronized partially (no
 * full sync); writes on the new primary reach the old one, and both hold the
 * same data, including the key "last" written before the failover.
 */
async function expectPartialHandOver(
  oldPrimary: Redis,
  target: Redis,
  replidBefore: string | undefined,
): Promise<void> {
  expect(await field(target, "master_replid2")).toBe(replidBefore);
  expect(await field(target, "sync_partial_ok", "stats")).toBe("1");
  expect(await field(target, "sync_full", "stats")).toBe("0");
  await writeData(target, "after");
  await waitCaughtUp(target, oldPrimary);
  const expected = await contents(target);
  expect(Object.keys(expected[0]!)).toContain("last");
  expect(await contents(oldPrimary)).toEqual(expected);
}

describe.skipIf(!haveRedisServer())("FAILOVER", () => {
  it("Spinel to Spinel: a write held while waiting for sync gets -READONLY; the old primary follows partially", async () => {
    const first = await spawnSpinel(["--repl-diskless-sync-delay", "0"]);
    started.push(first);
    const second = await spawnSpinel(["--repl-diskless-sync-delay", "0"]);
    started.push(second);
    const oldPrimary = client(first.port);
    const target = client(second.port);
    await writeData(oldPrimary, "before");
    await follow(target, oldPrimary, first.port);
    const replidBefore = await field(oldPrimary, "master_replid");

    // A transaction queued while this server is the primary, executed once it no longer is.
    const transaction = client(first.port);
    expect(await transaction.call("MULTI")).toBe("OK");
    expect(await transaction.call("SET", "queued", "1")).toBe("QUEUED");

    // The target stopped: it cannot acknowledge the last write, so the primary waits for sync.
    suspend(second.child.pid!);
    const admin = oldPrimary.pipeline();
    admin.set("last", "before-failover");
    admin.call("FAILOVER", "TO", "127.0.0.1", String(second.port));
    admin.info("replication");
    const [, failover, info] = (await admin.exec())!;
    expect(failover![1]).toBe("OK");
    expect(info![1] as string).toContain("master_failover_state:waiting-for-sync");

    // A write is held; reads are served meanwhile; the failover cannot be started twice.
    const writer = client(first.port);
    const heldWrite = outcome(writer, "SET", "held", "1");
    const heldExec = outcome(transaction, "EXEC");
    let settled = false;
    void Promise.race([heldWrite, heldExec]).then(() => (settled = true));
    expect(await oldPrimary.get("last")).toBe("before-failover");
    expect(await outcome(oldPrimary, "FAILOVER")).toBe("ERR FAILOVER already in progress.");
    expect(await outcome(oldPrimary, "REPLICAOF", "NO", "ONE")).toBe(
      "ERR REPLICAOF not allowed while failing over.",
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    expect(await failoverState(oldPrimary)).toBe("waiting-for-sync");
    expect(((await oldPrimary.call("ROLE")) as unknown[])[0]).toBe("master");

    resume(second.child.pid!);
    await failoverEnded(oldPrimary);
    // The held write ran after the role change: this server is a read-only replica now.
    expect(await heldWrite).toBe("READONLY You can't write against a read only replica.");
    expect(await heldExec).toBe(
      "EXECABORT Transaction discarded because of: READONLY You can't write against a read only replica.",
    );
    await expectSwapped(oldPrimary, target, second.port);
    expect(await oldPrimary.get("held")).toBeNull();
    expect(await oldPrimary.get("queued")).toBeNull();

    // The target continued the old history (replid2) and took the old primary back partially.
    const targetInfo = await infoFields(target);
    expect(targetInfo.get("master_replid2")).toBe(replidBefore);
    expect(await field(target, "sync_partial_ok", "stats")).toBe("1");
    expect(await field(target, "sync_full", "stats")).toBe("0");
    expect(await field(oldPrimary, "master_replid")).toBe(targetInfo.get("master_replid"));

    // The new primary takes writes and the old one follows.
    await writeData(target, "after");
    await target.set("last", "after-failover");
    await waitCaughtUp(target, oldPrimary);
    const expected = await contents(target);
    expect(Object.keys(expected[3]!)).toContain("s:before");
    expect(Object.keys(expected[3]!)).toContain("s:after");
    expect(await contents(oldPrimary)).toEqual(expected);
    expect(await outcome(oldPrimary, "SET", "x", "1")).toBe(
      "READONLY You can't write against a read only replica.",
    );
  });

  it("Spinel primary to a redis-server replica, without TO (the first replica in step)", async () => {
    const spinel = await startSpinel(spinelPrimaryConfig);
    started.push(spinel);
    const redis = await startRedis(inDir());
    started.push(redis);
    const oldPrimary = client(spinel.port);
    const target = client(redis.port);
    await writeData(oldPrimary, "before");
    await follow(target, oldPrimary, spinel.port);
    const replidBefore = await field(oldPrimary, "master_replid");
    await oldPrimary.set("last", "spinel");
    const blocked = await blockedClients(spinel.port);

    expect(await oldPrimary.call("FAILOVER")).toBe("OK");
    await failoverEnded(oldPrimary);
    await expectSwapped(oldPrimary, target, redis.port);
    expect(await blocked.pop).toBe(UNBLOCKED);
    expect(await blocked.wait).toBe(UNBLOCKED);
    await expectPartialHandOver(oldPrimary, target, replidBefore);
  });

  it("redis-server primary to a Spinel replica: Spinel promotes itself on PSYNC ... FAILOVER", async () => {
    const redis = await startRedis([...inDir(), ...redisPrimaryArgs]);
    started.push(redis);
    const spinel = await startSpinel(spinelPrimaryConfig);
    started.push(spinel);
    const oldPrimary = client(redis.port);
    const target = client(spinel.port);
    await writeData(oldPrimary, "before");
    await follow(target, oldPrimary, redis.port);
    const replidBefore = await field(oldPrimary, "master_replid");
    await oldPrimary.set("last", "redis");
    const blocked = await blockedClients(redis.port);

    expect(
      await oldPrimary.call("FAILOVER", "TO", "127.0.0.1", String(spinel.port), "TIMEOUT", "10000"),
    ).toBe("OK");
    await failoverEnded(oldPrimary);
    await expectSwapped(oldPrimary, target, spinel.port);
    // The same as Spinel answers its own blocked clients (see the test above).
    expect(await blocked.pop).toBe(UNBLOCKED);
    expect(await blocked.wait).toBe(UNBLOCKED);
    await expectPartialHandOver(oldPrimary, target, replidBefore);
  });

  it("roll-backs: ABORT and TIMEOUT while waiting for sync, ABORT while handing over; held writes are served", async () => {
    const spinel = await startSpinel(spinelPrimaryConfig);
    started.push(spinel);
    const redis = await startRedis(inDir());
    started.push(redis);
    const primary = client(spinel.port);
    const replica = client(redis.port);
    await writeData(primary, "before");
    await follow(replica, primary, spinel.port);
    const target = ["TO", "127.0.0.1", String(redis.port)];

    // ABORT while waiting for sync.
    suspend(redis.pid);
    await primary.set("case", "1");
    expect(await primary.call("FAILOVER", ...target, "TIMEOUT", "60000")).toBe("OK");
    expect(await failoverState(primary)).toBe("waiting-for-sync");
    const writer = client(spinel.port);
    const held = outcome(writer, "SET", "held", "1");
    expect(await primary.get("case")).toBe("1");
    expect(await primary.call("FAILOVER", "ABORT")).toBe("OK");
    expect(await held).toBe("OK");
    expect(await failoverState(primary)).toBe("no-failover");
    expect(await outcome(primary, "FAILOVER", "ABORT")).toBe("ERR No failover in progress.");

    // TIMEOUT without FORCE: back to a primary by itself.
    expect(await primary.call("FAILOVER", ...target, "TIMEOUT", "300")).toBe("OK");
    const heldAgain = outcome(writer, "INCR", "counter");
    await failoverEnded(primary);
    expect(await heldAgain).toBe(1);
    expect(((await primary.call("ROLE")) as unknown[])[0]).toBe("master");

    // TIMEOUT with FORCE: hands over to the stopped target anyway; ABORT then rolls back.
    const replidBefore = await field(primary, "master_replid");
    expect(await primary.call("FAILOVER", ...target, "TIMEOUT", "500", "FORCE")).toBe("OK");
    const heldThird = outcome(writer, "SET", "third", "x");
    await waitUntil(
      "the forced hand-over",
      async () => (await failoverState(primary)) === "failover-in-progress",
    );
    expect(((await primary.call("ROLE")) as unknown[])[0]).toBe("slave");
    // Handing over, this server is a replica already: a new write is refused at once.
    expect(await outcome(primary, "SET", "refused", "1")).toBe(
      "READONLY You can't write against a read only replica.",
    );
    expect(await primary.call("FAILOVER", "ABORT")).toBe("OK");
    expect(await heldThird).toBe("OK");
    expect(((await primary.call("ROLE")) as unknown[])[0]).toBe("master");
    // A primary again under a new ID; the old one is kept for its replicas' partial resync.
    expect(await field(primary, "master_replid")).not.toBe(replidBefore);
    expect(await field(primary, "master_replid2")).toBe(replidBefore);

    resume(redis.pid);
    await waitCaughtUp(primary, replica);
    expect(await contents(replica)).toEqual(await contents(primary));
    expect(await replica.get("third")).toBe("x");
    expect(await field(primary, "sync_full", "stats")).toBe("1");
  });

  it("TIMEOUT with FORCE hands over to a target that never caught up; it completes once the target answers", async () => {
    const spinel = await startSpinel(spinelPrimaryConfig);
    started.push(spinel);
    const redis = await startRedis(inDir());
    started.push(redis);
    const oldPrimary = client(spinel.port);
    const target = client(redis.port);
    await writeData(oldPrimary, "before");
    await follow(target, oldPrimary, spinel.port);
    suspend(redis.pid);
    // The stopped target never acknowledges this write.
    await oldPrimary.set("unacknowledged", "1");
    expect(
      await oldPrimary.call("FAILOVER", "TO", "127.0.0.1", String(redis.port), "TIMEOUT", "100", "FORCE"),
    ).toBe("OK");
    await waitUntil(
      "the forced hand-over",
      async () => (await failoverState(oldPrimary)) === "failover-in-progress",
    );
    // Never two primaries: the old one is a replica before the target takes over.
    expect(((await oldPrimary.call("ROLE")) as unknown[])[0]).toBe("slave");
    resume(redis.pid);
    await failoverEnded(oldPrimary);
    await expectSwapped(oldPrimary, target, redis.port);
    await writeData(target, "after");
    await waitCaughtUp(target, oldPrimary);
    expect(await contents(oldPrimary)).toEqual(await contents(target));
  });

  it("a refused PSYNC FAILOVER rolls back: the held write is served, the replica resyncs partially", async () => {
    const spinel = await startSpinel(spinelPrimaryConfig);
    started.push(spinel);
    const redis = await startRedis(inDir());
    started.push(redis);
    const primary = client(spinel.port);
    const replica = client(redis.port);
    await writeData(primary, "before");
    await follow(replica, primary, spinel.port);
    // The target refuses PSYNC (as in Redis' own test of this case: an ACL without it).
    await replica.call("ACL", "SETUSER", "default", "-psync");
    suspend(redis.pid);
    await primary.set("case", "refused");
    expect(await primary.call("FAILOVER", "TO", "127.0.0.1", String(redis.port))).toBe("OK");
    const held = outcome(client(spinel.port), "SET", "held", "1");
    resume(redis.pid);
    await failoverEnded(primary);
    expect(await held).toBe("OK");
    expect(((await primary.call("ROLE")) as unknown[])[0]).toBe("master");
    await replica.call("ACL", "SETUSER", "default", "+psync");
    await waitCaughtUp(primary, replica);
    expect(await replica.get("held")).toBe("1");
    expect(await field(primary, "sync_full", "stats")).toBe("1");
    expect(await field(primary, "sync_partial_ok", "stats")).toBe("1");
    expect(await contents(replica)).toEqual(await contents(primary));
  });

  it("errors: the same replies as redis-server, in the same situations", async () => {
    const redisPrimary = await startRedis([...inDir(), ...redisPrimaryArgs]);
    started.push(redisPrimary);
    const spinelPrimary = await startSpinel(spinelPrimaryConfig);
    started.push(spinelPrimary);
    const fromRedis = await errorScript(redisPrimary.port, async () => {
      const server = await startRedis(inDir());
      started.push(server);
      return server.port;
    });
    const fromSpinel = await errorScript(spinelPrimary.port, async () => {
      const server = await startSpinel(spinelPrimaryConfig);
      started.push(server);
      return server.port;
    });
    expect(fromSpinel).toEqual(fromRedis);
    // Spot checks, so that two servers answering alike wrongly cannot pass.
    expect(fromRedis).toContain("ERR FAILOVER requires connected replicas.");
    expect(fromRedis).toContain("ERR FAILOVER target HOST and PORT is not a replica.");
    expect(fromRedis).toContain("ERR FAILOVER target replica is not online.");
    expect(fromRedis).toContain("ERR FAILOVER already in progress.");
    expect(fromRedis).toContain("ERR PSYNC FAILOVER replid must match my replid.");
  });
});

/**
 * FAILOVER, PSYNC ... FAILOVER and REPLICAOF in every erroneous situation, in
 * order, against a primary on `primaryPort`; `newReplica` starts a server of
 * the primary's kind. The replies (error texts) as a list.
 */
async function errorScript(primaryPort: number, newReplica: () => Promise<number>): Promise<unknown[]> {
  const primary = client(primaryPort);
  const replies: unknown[] = [];
  const run = async (c: Redis, ...args: Array<string | number>) => replies.push(await outcome(c, ...args));
  const zeros = "0".repeat(40);
  // Alone: syntax first, then the state checks.
  await run(primary, "FAILOVER");
  await run(primary, "FAILOVER", "ABORT");
  await run(primary, "FAILOVER", "TIMEOUT", 0);
  await run(primary, "FAILOVER", "TIMEOUT", -5);
  await run(primary, "FAILOVER", "TIMEOUT", "abc");
  await run(primary, "FAILOVER", "TO", "127.0.0.1", "abc");
  await run(primary, "FAILOVER", "TO", "127.0.0.1");
  await run(primary, "FAILOVER", "TIMEOUT", 5, "TIMEOUT", 6);
  await run(primary, "FAILOVER", "FORCE", "FORCE");
  await run(primary, "FAILOVER", "ABORT", "FORCE");
  await run(primary, "FAILOVER", "BOGUS");
  await run(primary, "FAILOVER", "FORCE");
  await run(primary, "PSYNC", zeros, 1, "FAILOVER");

  // With a replica of the primary's kind (in step) and a redis-server one that will be stopped.
  const inStepPort = await newReplica();
  const inStep = client(inStepPort);
  await follow(inStep, primary, primaryPort);
  const lagging = await startRedis(inDir());
  started.push(lagging);
  await follow(client(lagging.port), primary, primaryPort);
  await run(primary, "FAILOVER", "FORCE");
  await run(primary, "FAILOVER", "TO", "127.0.0.1", inStepPort, "FORCE");
  await run(primary, "FAILOVER", "TIMEOUT", 100, "FORCE");
  await run(primary, "FAILOVER", "TO", "127.0.0.1", 1);
  await run(primary, "FAILOVER", "TO", "localhost", inStepPort);
  await run(inStep, "FAILOVER");
  await run(inStep, "FAILOVER", "ABORT");
  await run(inStep, "PSYNC", zeros, 1, "FAILOVER");

  // A replica still waiting for its snapshot is not online.
  await primary.call("CONFIG", "SET", "repl-diskless-sync", "yes");
  await primary.call("CONFIG", "SET", "repl-diskless-sync-delay", "5");
  const waiting = await startRedis(inDir());
  started.push(waiting);
  await client(waiting.port).replicaof("127.0.0.1", primaryPort);
  await waitUntil(
    "the third replica to attach",
    async () => (await field(primary, "connected_slaves")) === "3",
  );
  await run(primary, "FAILOVER", "TO", "127.0.0.1", waiting.port);

  // A failover in progress (its target stopped, so that it waits for sync).
  suspend(lagging.pid);
  await primary.set("k", "v");
  await run(primary, "FAILOVER", "TO", "127.0.0.1", lagging.port, "TIMEOUT", 60_000);
  replies.push(await failoverState(primary));
  await run(primary, "FAILOVER");
  await run(primary, "FAILOVER", "TO", "127.0.0.1", 1);
  await run(primary, "FAILOVER", "TIMEOUT", 0);
  await run(primary, "REPLICAOF", "NO", "ONE");
  await run(primary, "REPLICAOF", "127.0.0.1", 1);
  await run(client(primaryPort), "PSYNC", "?", -1);
  await run(primary, "FAILOVER", "ABORT");
  replies.push(await failoverState(primary));
  resume(lagging.pid);
  return replies;
}
