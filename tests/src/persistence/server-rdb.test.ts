/*
 * RDB persistence of the running server, with real processes: SAVE and restart,
 * files exchanged with redis-server over TCP, kill -9, SIGTERM and SHUTDOWN
 * saves, -LOADING during a big load, a damaged file or a missing dir refusing
 * start-up, MISCONF after a failed background save, DEBUG RELOAD, INFO
 * persistence. Every process is stopped by PID; every file lives in a temp dir
 * removed at the end.
 */

import type { ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Keyspace, RedisString } from "@spinel/core-db";
import { FileSink, FileSource, loadRdb, saveRdb } from "@spinel/persistence";
import { describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { connectOnce, useScratchDirectories } from "../support/scratch.js";
import { freePort, spawnSpinel, spawnSpinelProcess, startRedis } from "../support/servers.js";
import { datasetOfKeyspace, datasetOfServer, populate } from "./datasets.js";

const freshDir = useScratchDirectories("spinel-rdb-server-");

/** Exit code (or signal) of a child once it exits. */
function exitOf(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
}

/** Up to 10 "db/key" names whose data differ between two datasets (cheaper than a deep diff of 150,000 keys). */
function differingKeys(
  a: ReturnType<typeof datasetOfKeyspace>,
  b: ReturnType<typeof datasetOfKeyspace>,
): string[] {
  const out: string[] = [];
  for (let db = 0; db < Math.max(a.length, b.length) && out.length < 10; db++) {
    const left = a[db] ?? {};
    const right = b[db] ?? {};
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      if (JSON.stringify(left[key]) !== JSON.stringify(right[key])) out.push(`${db}/${key}`);
      if (out.length >= 10) break;
    }
  }
  return out;
}

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)\\r?$`, "m").exec(info)?.[1];
}

describe("SAVE, restart and the files of redis-server", () => {
  it("SAVE then a restart gives back every key with its TTL; INFO and LASTSAVE follow", async () => {
    const dir = freshDir();
    const first = await spawnSpinel(["--dir", dir]);
    const client = await connectOnce(first.port);
    await populate(client, 7);
    const before = await datasetOfServer(client);
    const info = await client.info("persistence");
    expect(Number(infoField(info, "rdb_changes_since_last_save"))).toBeGreaterThan(100);
    const lastBefore = Number(await client.lastsave());
    await new Promise((r) => setTimeout(r, 1100));
    expect(await client.call("SAVE")).toBe("OK");
    const after = await client.info("persistence");
    expect(infoField(after, "rdb_changes_since_last_save")).toBe("0");
    expect(infoField(after, "rdb_saves")).toBe("1");
    expect(Number(await client.lastsave())).toBeGreaterThan(lastBefore);
    client.disconnect();
    await first.stop();

    const second = await spawnSpinel(["--dir", dir]);
    const again = await connectOnce(second.port);
    expect(await datasetOfServer(again)).toEqual(before);
    expect(Number(infoField(await again.info("persistence"), "rdb_last_load_keys_loaded"))).toBe(
      before.reduce((n, db) => n + Object.keys(db).length, 0),
    );
    again.disconnect();
    await second.stop();
  });

  it("loads the file redis-server saved, and redis-server loads the file Spinel saved (compared over TCP)", async () => {
    const dir = freshDir();
    const redis = await startRedis(["--dir", dir, "--hash-max-listpack-entries", "128"]);
    const redisClient = await connectOnce(redis.port);
    await populate(redisClient, 8);
    await redisClient.call("SAVE");
    const redisData = await datasetOfServer(redisClient);
    redisClient.disconnect();
    await redis.stop();

    // Both with Redis 7.0's own hash-max-listpack-entries (this redis-server build defaults to 512).
    const spinel = await spawnSpinel([
      "--dir",
      dir,
      "--dbfilename",
      "dump.rdb",
      "--hash-max-listpack-entries",
      "128",
    ]);
    const spinelClient = await connectOnce(spinel.port);
    expect(await datasetOfServer(spinelClient)).toEqual(redisData);
    await spinelClient.set("added-by-spinel", "yes");
    await spinelClient.call("SAVE");
    const spinelData = await datasetOfServer(spinelClient);
    spinelClient.disconnect();
    await spinel.stop();

    const redis2 = await startRedis(["--dir", dir, "--hash-max-listpack-entries", "128"]);
    const redisClient2 = await connectOnce(redis2.port);
    expect(await datasetOfServer(redisClient2)).toEqual(spinelData);
    redisClient2.disconnect();
    await redis2.stop();
  });

  it("kill -9 after SAVE: the saved data comes back, later writes are gone", async () => {
    const dir = freshDir();
    const first = await spawnSpinel(["--dir", dir]);
    const client = await connectOnce(first.port);
    await client.set("saved", "1");
    await client.call("SAVE");
    await client.set("unsaved", "2");
    client.disconnect();
    first.child.kill("SIGKILL");
    expect(await exitOf(first.child)).toBe("SIGKILL");
    const second = await spawnSpinel(["--dir", dir]);
    const again = await connectOnce(second.port);
    expect(await again.get("saved")).toBe("1");
    expect(await again.exists("unsaved")).toBe(0);
    again.disconnect();
    await second.stop();
  });
});

describe("saves at shutdown", () => {
  it("SIGTERM with save points saves; SHUTDOWN NOSAVE does not; SHUTDOWN SAVE does without save points", async () => {
    const dir = freshDir();
    const a = await spawnSpinel(["--dir", dir, "--save", "3600 1"]);
    let client = await connectOnce(a.port);
    await client.set("k", "from-sigterm");
    client.disconnect();
    a.child.kill("SIGTERM");
    expect(await exitOf(a.child)).toBe(0);

    const b = await spawnSpinel(["--dir", dir, "--save", "3600 1"]);
    client = await connectOnce(b.port);
    expect(await client.get("k")).toBe("from-sigterm");
    await client.set("k", "not-saved");
    await client.call("SHUTDOWN", "NOSAVE").catch(() => {});
    client.disconnect();
    expect(await exitOf(b.child)).toBe(0);

    const c = await spawnSpinel(["--dir", dir]);
    client = await connectOnce(c.port);
    expect(await client.get("k")).toBe("from-sigterm");
    await client.set("k", "shutdown-save");
    await client.call("SHUTDOWN", "SAVE").catch(() => {});
    client.disconnect();
    expect(await exitOf(c.child)).toBe(0);

    const d = await spawnSpinel(["--dir", dir]);
    client = await connectOnce(d.port);
    expect(await client.get("k")).toBe("shutdown-save");
    client.disconnect();
    await d.stop();
  });
});

describe("start-up checks", () => {
  it("a missing dir stops start-up with redis-server's fatal report and exit 1", async () => {
    const child = spawnSpinelProcess([
      "--port",
      String(await freePort()),
      "--dir",
      join(freshDir(), "no-such-dir"),
    ]);
    let output = "";
    child.stderr?.on("data", (d) => (output += d));
    expect(await exitOf(child)).toBe(1);
    expect(output).toContain("*** FATAL CONFIG FILE ERROR");
    expect(output).toContain("No such file or directory");
  });

  it("a damaged file stops start-up naming the file, the offset and the reason, exit 1", async () => {
    const dir = freshDir();
    const keyspace = new Keyspace();
    for (let i = 0; i < 100; i++)
      keyspace.db(0).add(`key:${i}`, RedisString.fromBytes(Buffer.from(`value:${i}`)));
    const sink = new FileSink(join(dir, "dump.rdb"));
    saveRdb(keyspace, sink);
    sink.close();
    const bytes = readFileSync(join(dir, "dump.rdb"));
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff; // inside the checksum
    writeFileSync(join(dir, "dump.rdb"), bytes);
    const child = spawnSpinelProcess(["--port", String(await freePort()), "--dir", dir]);
    let output = "";
    child.stderr?.on("data", (d) => (output += d));
    child.stdout?.on("data", (d) => (output += d));
    expect(await exitOf(child)).toBe(1);
    expect(output).toContain(join(dir, "dump.rdb"));
    expect(output).toMatch(/RDB error at offset \d+: wrong RDB checksum/);
  });

  it("clients get -LOADING while a big file loads, then the data", async () => {
    const dir = freshDir();
    const keyspace = new Keyspace();
    const db = keyspace.db(0);
    for (let i = 0; i < 400_000; i++)
      db.add(`key:${i}`, RedisString.fromBytes(Buffer.from(`value-${i}-padding-padding`)));
    const sink = new FileSink(join(dir, "dump.rdb"));
    saveRdb(keyspace, sink);
    sink.close();
    const port = await freePort();
    const child = spawnSpinelProcess(["--port", String(port), "--dir", dir]);
    try {
      const replies: string[] = [];
      let loadingInfo = "";
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        let client: RawClient;
        try {
          client = await RawClient.connect(port);
        } catch {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        const reply = (await client.call("DBSIZE")).toString();
        if (reply.startsWith("-LOADING") && loadingInfo === "") {
          loadingInfo = (await client.call("INFO", "persistence")).toString();
        }
        client.close();
        replies.push(reply);
        if (reply.startsWith(":")) break;
      }
      expect(replies.at(-1)).toBe(":400000\r\n");
      expect(replies[0]).toBe("-LOADING Redis is loading the dataset in memory\r\n");
      // INFO (allowed while loading) shows the progress.
      expect(loadingInfo).toContain("loading:1");
      expect(loadingInfo).toMatch(/loading_total_bytes:[1-9]\d*/);
      expect(loadingInfo).toMatch(/loading_loaded_perc:\d+\.\d\d/);
    } finally {
      child.kill("SIGKILL");
      await exitOf(child);
    }
  }, 120_000);
});

describe("background saves", () => {
  it("BGSAVE under concurrent writes, deletes, expiries and FLUSHALL equals the dataset at its start", async () => {
    const dir = freshDir();
    const server = await spawnSpinel(["--dir", dir]);
    const client = await connectOnce(server.port);
    try {
      const p = client.pipeline();
      for (let i = 0; i < 150_000; i++) p.set(`k:${i}`, `v:${i}`);
      for (let i = 0; i < 2000; i++) p.rpush(`list:${i % 50}`, `e${i}`);
      for (let i = 0; i < 2000; i++) p.hset(`hash:${i % 40}`, `f${i}`, `v${i}`);
      for (let i = 0; i < 500; i++) p.expire(`k:${i}`, 3600 + i);
      await p.exec();
      await client.call("SAVE");
      copyFileSync(join(dir, "dump.rdb"), join(dir, "at-start.rdb"));
      // In one pipeline: BGSAVE, then changes while it runs.
      const q = client.pipeline();
      q.call("BGSAVE");
      q.info("persistence");
      for (let i = 0; i < 3000; i++) q.set(`k:${i * 37}`, "changed");
      for (let i = 0; i < 3000; i++) q.del(`k:${i * 41 + 1}`);
      for (let i = 0; i < 50; i++) q.rpush(`list:${i}`, "more");
      for (let i = 0; i < 2000; i++) q.pexpire(`k:${i * 43 + 2}`, 1); // expire while the save runs
      for (let i = 0; i < 200; i++) q.persist(`k:${i}`);
      for (let i = 0; i < 40; i++) q.hdel(`hash:${i}`, `f${i}`);
      q.set("created:during", "x");
      q.swapdb(0, 1);
      q.flushall();
      q.set("after-flush", "y");
      q.info("persistence");
      const results = (await q.exec())!;
      expect(results[0]![1]).toBe("Background saving started");
      const started = String(results[1]![1]);
      expect(infoField(started, "rdb_bgsave_in_progress")).toBe("1");
      expect(infoField(started, "current_save_keys_total")).toBe(String(150_000 + 50 + 40));
      expect(infoField(started, "current_cow_size")).toBe("0");
      // The copy-on-write figures are the encoded copies of keys changed before the save reached them.
      const changed = String(results.at(-1)![1]);
      expect(infoField(changed, "rdb_bgsave_in_progress")).toBe("1");
      const cowSize = Number(infoField(changed, "current_cow_size"));
      const cowPeak = Number(infoField(changed, "current_cow_peak"));
      // At least the 3000 overwritten keys, each a record of 6 bytes or more (type, "k:N", "v:N").
      expect(cowSize).toBeGreaterThanOrEqual(3000 * 6);
      expect(cowPeak).toBeGreaterThanOrEqual(cowSize);
      expect(Number(infoField(changed, "current_fork_perc"))).toBeLessThan(100);
      for (let i = 0; i < 600; i++) {
        if (infoField(await client.info("persistence"), "rdb_bgsave_in_progress") === "0") break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const info = await client.info("persistence");
      expect(infoField(info, "rdb_bgsave_in_progress")).toBe("0");
      expect(infoField(info, "rdb_last_bgsave_status")).toBe("ok");
      expect(Number(infoField(info, "rdb_last_cow_size"))).toBeGreaterThanOrEqual(cowPeak);
      expect(infoField(info, "current_cow_size")).toBe("0");
      expect(infoField(info, "current_fork_perc")).toBe("0.00");
      const load = (file: string) => {
        const keyspace = new Keyspace();
        const source = new FileSource(join(dir, file));
        loadRdb(source, keyspace, { skipExpired: false });
        source.close();
        return datasetOfKeyspace(keyspace);
      };
      const atStart = load("at-start.rdb");
      expect(Object.keys(atStart[0]!).length).toBe(150_000 + 50 + 40);
      expect(differingKeys(load("dump.rdb"), atStart)).toEqual([]);
    } finally {
      client.disconnect();
      await server.stop();
    }
  }, 120_000);

  it("kill -9 during BGSAVE leaves the previous file loadable", async () => {
    const dir = freshDir();
    const server = await spawnSpinel(["--dir", dir]);
    const client = await connectOnce(server.port);
    const p = client.pipeline();
    for (let i = 0; i < 200_000; i++) p.set(`k:${i}`, `value-${i}`);
    await p.exec();
    await client.call("SAVE");
    await client.set("newer", "1");
    expect(await client.call("BGSAVE")).toBe("Background saving started");
    server.child.kill("SIGKILL");
    await exitOf(server.child);
    client.disconnect();
    const again = await spawnSpinel(["--dir", dir]);
    const client2 = await connectOnce(again.port);
    const size = await client2.dbsize();
    // The previous file (200,000 keys), or the new one if it completed first.
    expect([200_000, 200_001]).toContain(size);
    client2.disconnect();
    await again.stop();
  }, 120_000);

  it("a failed background save with save points gives MISCONF to writes and PING until a save succeeds", async () => {
    const dir = freshDir();
    const server = await spawnSpinel(["--dir", dir, "--save", "3600 1"]);
    const client = await RawClient.connect(server.port);
    try {
      expect((await client.call("SET", "a", "1")).toString()).toBe("+OK\r\n");
      rmSync(dir, { recursive: true }); // the next save cannot create its file
      expect((await client.call("BGSAVE")).toString()).toBe("-ERR\r\n");
      const info = (await client.call("INFO", "persistence")).toString();
      expect(info).toContain("rdb_last_bgsave_status:err");
      const misconf =
        "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n";
      expect((await client.call("SET", "b", "2")).toString()).toBe(misconf);
      expect((await client.call("PING")).toString()).toBe(misconf);
      expect((await client.call("GET", "a")).toString()).toBe("$1\r\n1\r\n");
      mkdirSync(dir);
      expect((await client.call("BGSAVE")).toString()).toBe("+Background saving started\r\n");
      for (let i = 0; i < 100; i++) {
        if ((await client.call("INFO", "persistence")).toString().includes("rdb_bgsave_in_progress:0")) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await client.call("SET", "b", "2")).toString()).toBe("+OK\r\n");
      expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
    } finally {
      client.close();
      await server.stop();
    }
  });

  it("BGSAVE while one runs is refused; SAVE too; BGSAVE SCHEDULE inside MULTI is scheduled", async () => {
    const dir = freshDir();
    const server = await spawnSpinel(["--dir", dir]);
    const client = await connectOnce(server.port);
    try {
      const p = client.pipeline();
      for (let i = 0; i < 100_000; i++) p.set(`k:${i}`, "v");
      await p.exec();
      const q = client.pipeline();
      q.call("BGSAVE");
      q.call("BGSAVE");
      q.call("SAVE");
      const replies = (await q.exec())!;
      expect(replies[0]![1]).toBe("Background saving started");
      expect(String(replies[1]![0])).toContain("Background save already in progress");
      expect(String(replies[2]![0])).toContain("Background save already in progress");
      for (let i = 0; i < 600; i++) {
        if (infoField(await client.info("persistence"), "rdb_bgsave_in_progress") === "0") break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const m = client.multi();
      m.call("BGSAVE");
      expect((await m.exec())![0]![1]).toBe("Background saving scheduled");
    } finally {
      client.disconnect();
      await server.stop();
    }
  }, 60_000);

  it("DEBUG RELOAD saves and loads back in place", async () => {
    const dir = freshDir();
    const server = await spawnSpinel(["--dir", dir, "--enable-debug-command", "yes"]);
    const client = await connectOnce(server.port);
    try {
      await populate(client, 9);
      const before = await datasetOfServer(client);
      expect(await client.call("DEBUG", "RELOAD")).toBe("OK");
      expect(await datasetOfServer(client)).toEqual(before);
      expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
    } finally {
      client.disconnect();
      await server.stop();
    }
  });
});
