/*
 * The AOF across restarts and across servers: Spinel reloads its own AOF,
 * redis-server 7.0 loads Spinel's appendonlydir, Spinel loads redis-server's,
 * BGREWRITEAOF and CONFIG SET appendonly produce files that load to the same
 * dataset, INFO persistence shows measured AOF figures, and a client that
 * connects while a big AOF loads gets -LOADING.
 */

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AppendHandle, MemoryBackend } from "@spinel/persistence";
import { SpinelServer, startServer } from "@spinel/server";
import { afterEach, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { encodeCommand } from "../support/resp-frames.js";
import { haveRedisServer, startSpinel } from "../support/servers.js";
import { type ChildServer, dumpDataset, makeTempDir, removeDir, startRedisAof } from "./aof-support.js";

/** A script touching every type, TTLs, several databases, a transaction and expiry. */
const WRITES: string[][] = [
  ["XADD", "stream", "1-1", "a", "1", "b", "2"],
  ["XADD", "stream", "2-1", "c", "3"],
  ["XGROUP", "CREATE", "stream", "group", "0"],
  ["XREADGROUP", "GROUP", "group", "alice", "COUNT", "1", "STREAMS", "stream", ">"],
  ["XGROUP", "CREATECONSUMER", "stream", "group", "idle"],
  ["XADD", "emptystream", "MAXLEN", "0", "5-5", "x", "y"],
  ["SET", "s", "hello"],
  ["SET", "int", "12345"],
  ["SET", "bin", "a\r\nb\x00c\xff"],
  ["SET", "ttl", "v", "EX", "1000"],
  ["SET", "gone", "v", "PX", "1"],
  ["APPEND", "s", " world"],
  ["INCRBYFLOAT", "float", "1.25"],
  ["RPUSH", "list", ...Array.from({ length: 150 }, (_, i) => `e${i}`)],
  ["LPOP", "list"],
  ["SADD", "intset", "1", "2", "3"],
  ["SADD", "set", ...Array.from({ length: 200 }, (_, i) => `m${i}`)],
  ["SPOP", "set", "3"],
  ["HSET", "hash", "a", "1", "b", "2"],
  ["HINCRBYFLOAT", "hash", "c", "0.5"],
  ["HSET", "bighash", ...Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i}`]).flat()],
  ["ZADD", "zset", "1", "a", "2.5", "b", "-inf", "c", "inf", "d"],
  ["ZADD", "bigzset", ...Array.from({ length: 200 }, (_, i) => [String(i / 3), `z${i}`]).flat()],
  ["ZINCRBY", "zset", "0.1", "a"],
  ["EXPIRE", "hash", "5000"],
  ["SELECT", "5"],
  ["SET", "db5", "x"],
  ["MULTI"],
  ["INCR", "counter"],
  ["INCR", "counter"],
  ["EXEC"],
  ["SELECT", "0"],
];

/** Wait until INFO says no rewrite runs or waits (bounded). */
async function waitForRewrite(client: RawClient): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = (await client.call("INFO", "persistence")).toString();
    if (info.includes("aof_rewrite_in_progress:0") && info.includes("aof_rewrite_scheduled:0")) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the AOF rewrite did not finish");
}

async function runWrites(port: number, writes: readonly string[][] = WRITES): Promise<void> {
  const client = await RawClient.connect(port);
  try {
    for (const argv of writes) await client.call(...argv);
    // Let the short TTL pass and the key expire (its DEL is propagated).
    await new Promise((r) => setTimeout(r, 20));
    await client.call("GET", "gone");
  } finally {
    client.close();
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(name: string): string {
  const dir = makeTempDir(name);
  cleanups.push(() => removeDir(dir));
  return dir;
}

describe("AOF recovery", () => {
  for (const backend of ["file", "memory"] as const) {
    it(`Spinel reloads its own AOF, after BGREWRITEAOF too (${backend} backend)`, async () => {
      const dir = tempDir("aof-self");
      const memory = backend === "memory" ? new MemoryBackend() : null;
      const startSpinel = async (config: Record<string, string>) => {
        const server = await startServer({ config, ...(memory !== null ? { storage: memory } : {}) });
        return { port: server.port, stop: () => server.close() };
      };
      const first = await startSpinel({ dir, appendonly: "yes" });
      await runWrites(first.port);
      const expected = await dumpDataset(first.port);
      expect(expected.length).toBeGreaterThan(10);
      await first.stop();

      const second = await startSpinel({ dir, appendonly: "yes" });
      expect(await dumpDataset(second.port)).toEqual(expected);
      const client = await RawClient.connect(second.port);
      expect((await client.call("BGREWRITEAOF")).toString()).toBe(
        "+Background append only file rewriting started\r\n",
      );
      await new Promise((r) => setTimeout(r, 100));
      await client.call("SET", "after-rewrite", "1");
      const info = (await client.call("INFO", "persistence")).toString();
      expect(info).toContain("aof_enabled:1");
      expect(info).toContain("aof_last_bgrewrite_status:ok");
      expect(info).toMatch(/aof_rewrites:[1-9]/);
      expect(info).toMatch(/aof_current_size:[1-9]\d*/);
      expect(info).toMatch(/aof_base_size:[1-9]\d*/);
      client.close();
      const afterRewrite = await dumpDataset(second.port);
      await second.stop();

      const third = await startSpinel({ dir, appendonly: "yes" });
      expect(await dumpDataset(third.port)).toEqual(afterRewrite);
      await third.stop();
      // The memory backend held everything: nothing reached the directory.
      if (memory !== null) {
        expect(readdirSync(dir)).toEqual([]);
        expect(memory.subdirectory("appendonlydir").list().length).toBe(3);
      }
    });
  }

  it("CONFIG SET appendonly yes writes the current dataset as the base", async () => {
    const dir = tempDir("aof-enable");
    const first = await startSpinel({ dir });
    await runWrites(first.port);
    const client = await RawClient.connect(first.port);
    expect((await client.call("CONFIG", "SET", "appendonly", "yes")).toString()).toBe("+OK\r\n");
    await client.call("SET", "later", "1");
    expect((await client.call("INFO", "persistence")).toString()).toContain("aof_enabled:1");
    client.close();
    const expected = await dumpDataset(first.port);
    await first.stop();
    const second = await startSpinel({ dir, appendonly: "yes" });
    expect(await dumpDataset(second.port)).toEqual(expected);
    await second.stop();
  });

  it("CONFIG SET appendonly yes inside MULTI: the writes before it are in the base once", async () => {
    const dir = tempDir("aof-enable-multi");
    const first = await startSpinel({ dir });
    const client = await RawClient.connect(first.port);
    for (const argv of [
      ["MULTI"],
      ["INCR", "x"],
      ["RPUSH", "l", "a"],
      ["CONFIG", "SET", "appendonly", "yes"],
    ])
      await client.call(...argv);
    await client.call("INCR", "x");
    await client.call("RPUSH", "l", "b");
    expect((await client.call("EXEC")).toString()).toBe("*5\r\n:1\r\n:1\r\n+OK\r\n:2\r\n:2\r\n");
    await client.call("INCR", "x");
    client.close();
    const expected = await dumpDataset(first.port);
    await first.stop();
    const second = await startSpinel({ dir, appendonly: "yes" });
    expect(await dumpDataset(second.port)).toEqual(expected);
    expect(expected.map((k) => `${k.key}=${k.value}`)).toEqual(["l=a,b", "x=3"]);
    await second.stop();
  });

  for (const preamble of ["yes", "no"] as const) {
    it.skipIf(!haveRedisServer())(
      `redis-server 7.0 loads Spinel's appendonlydir, and Spinel loads redis-server's (aof-use-rdb-preamble ${preamble})`,
      async () => {
        const baseSuffix = preamble === "yes" ? ".base.rdb" : ".base.aof";
        // Spinel writes (base after a rewrite + incremental file), redis-server loads.
        const dir = tempDir(`aof-interop-a-${preamble}`);
        const spinel = await startSpinel({ dir, appendonly: "yes", "aof-use-rdb-preamble": preamble });
        await runWrites(spinel.port, WRITES.slice(0, 10));
        const c = await RawClient.connect(spinel.port);
        await c.call("BGREWRITEAOF");
        await waitForRewrite(c);
        c.close();
        await runWrites(spinel.port, WRITES.slice(10));
        const spinelData = await dumpDataset(spinel.port);
        await spinel.stop();
        const spinelBase = readdirSync(join(dir, "appendonlydir")).find((name) => name.includes(".base."))!;
        expect(spinelBase.endsWith(baseSuffix)).toBe(true);
        expect(
          readFileSync(join(dir, "appendonlydir", spinelBase))
            .subarray(0, 5)
            .toString("latin1"),
        ).toBe(preamble === "yes" ? "REDIS" : "*2\r\n$");
        let redis: ChildServer = await startRedisAof(dir, ["--aof-use-rdb-preamble", preamble]);
        cleanups.push(() => redis.stop());
        expect(await dumpDataset(redis.port)).toEqual(spinelData);
        await redis.stop();

        // redis-server writes (its base after a rewrite + incremental file), Spinel loads.
        const dir2 = tempDir(`aof-interop-b-${preamble}`);
        redis = await startRedisAof(dir2, ["--aof-use-rdb-preamble", preamble]);
        await runWrites(redis.port, WRITES.slice(0, 12));
        const rc = await RawClient.connect(redis.port);
        expect((await rc.call("BGREWRITEAOF")).toString()).toContain("rewriting started");
        await waitForRewrite(rc);
        rc.close();
        await runWrites(redis.port, WRITES.slice(12));
        const redisData = await dumpDataset(redis.port);
        await redis.stop();
        const redisBase = readdirSync(join(dir2, "appendonlydir")).find((name) => name.includes(".base."))!;
        expect(redisBase.endsWith(baseSuffix)).toBe(true);
        const loaded = await startSpinel({ dir: dir2, appendonly: "yes", "aof-use-rdb-preamble": preamble });
        expect(await dumpDataset(loaded.port)).toEqual(redisData);
        await loaded.stop();
      },
    );
  }

  it.skipIf(!haveRedisServer())(
    "Spinel loads the AOF redis-server creates at start with a preamble, keys with TTLs included",
    async () => {
      // redis-server 7.0 with aof-use-rdb-preamble yes (its default) and a dataset
      // from an RDB: CONFIG SET appendonly yes writes an RDB base.
      const dir = tempDir("aof-interop-config");
      const redis = await startRedisAof(dir, ["--appendonly", "no"]);
      cleanups.push(() => redis.stop());
      await runWrites(redis.port);
      const rc = await RawClient.connect(redis.port);
      expect((await rc.call("CONFIG", "SET", "appendonly", "yes")).toString()).toBe("+OK\r\n");
      await waitForRewrite(rc);
      await rc.call("SET", "after", "1");
      rc.close();
      const expected = await dumpDataset(redis.port);
      expect(expected.some((k) => k.deadline > 0)).toBe(true);
      await redis.stop();
      const files = readdirSync(join(dir, "appendonlydir"));
      expect(files.some((name) => name.endsWith(".base.rdb"))).toBe(true);
      const spinel = await startSpinel({ dir, appendonly: "yes" });
      cleanups.push(() => spinel.stop());
      expect(await dumpDataset(spinel.port)).toEqual(expected);
    },
  );

  it("answers -LOADING while a big AOF loads, and INFO shows the progress", async () => {
    const dir = tempDir("aof-loading");
    const first = await startSpinel({ dir, appendonly: "yes", appendfsync: "no" });
    const client = await RawClient.connect(first.port);
    let batch = "";
    for (let i = 0; i < 200_000; i++) {
      const key = `key:${i}`;
      batch += `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$5\r\nvalue\r\n`;
    }
    client.write(batch);
    for (let i = 0; i < 200_000; i++) await client.read(10_000);
    client.close();
    await first.stop();

    const server = new SpinelServer({
      config: { dir, appendonly: "yes", bind: "127.0.0.1", port: 0 },
      logger: false,
    });
    const listening = server.listen();
    cleanups.push(() => server.close());
    // The port is bound before the load begins.
    let port = 0;
    for (let i = 0; i < 200 && port === 0; i++) {
      port = server.port;
      if (port === 0) await new Promise((r) => setTimeout(r, 5));
    }
    const probe = await RawClient.connect(port);
    const during = (await probe.call("GET", "key:1")).toString();
    const info = (await probe.call("INFO", "persistence")).toString();
    await listening;
    const after = (await probe.call("GET", "key:1")).toString();
    probe.close();
    expect(during).toBe("-LOADING Redis is loading the dataset in memory\r\n");
    expect(info).toContain("loading:1");
    expect(info).toMatch(/loading_total_bytes:[1-9]/);
    expect(after).toBe("$5\r\nvalue\r\n");
  });
});

/** An in-memory backend whose appends fail with ENOSPC while `failing` is set (in all its directories). */
class DiskFullStorage extends MemoryBackend {
  failing = false;
  private readonly failingChildren = new Map<string, DiskFullStorage>();
  override subdirectory(name: string): DiskFullStorage {
    let child = this.failingChildren.get(name);
    if (child === undefined) {
      child = new DiskFullStorage();
      this.failingChildren.set(name, child);
    }
    child.failing = this.failing;
    return child;
  }
  setFailing(failing: boolean): void {
    this.failing = failing;
    for (const child of this.failingChildren.values()) child.failing = failing;
  }
  override open(name: string, truncate: boolean): AppendHandle {
    const inner = super.open(name, truncate);
    const storage = this;
    return {
      get size() {
        return inner.size;
      },
      write(bytes: Uint8Array) {
        if (storage.failing) {
          const error = new Error("ENOSPC: no space left on device, write") as NodeJS.ErrnoException;
          error.code = "ENOSPC";
          throw error;
        }
        inner.write(bytes);
      },
      sync: () => inner.sync(),
      syncInBackground: (done) => inner.syncInBackground(done),
      truncate: (size) => inner.truncate(size),
      close: () => inner.close(),
    };
  }
}

describe("automatic rewrites and annotated AOFs", () => {
  it("auto-aof-rewrite-percentage / -min-size start a rewrite when the AOF grew enough", async () => {
    const dir = tempDir("aof-auto");
    const server = await startSpinel({
      dir,
      appendonly: "yes",
      "auto-aof-rewrite-percentage": 100,
      "auto-aof-rewrite-min-size": 4096,
    });
    cleanups.push(() => server.stop());
    const client = await RawClient.connect(server.port);
    const rewrites = async () =>
      Number(/aof_rewrites:(\d+)/.exec((await client.call("INFO", "persistence")).toString())![1]);
    const before = await rewrites();
    for (let i = 0; i < 200; i++) await client.call("SET", `key:${i % 10}`, "x".repeat(50));
    let after = before;
    for (let i = 0; i < 100 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await rewrites();
    }
    expect(after).toBeGreaterThan(before);
    // Once the writes stop, the next cron tick rewrites a grown AOF: it ends about
    // the size of the 10 live keys again.
    const currentSize = async () =>
      Number(/aof_current_size:(\d+)/.exec((await client.call("INFO", "persistence")).toString())![1]);
    let size = await currentSize();
    for (let i = 0; i < 100 && size >= 4096; i++) {
      await new Promise((r) => setTimeout(r, 20));
      size = await currentSize();
    }
    expect(size).toBeLessThan(4096);
    client.close();
  });

  it.skipIf(!haveRedisServer())(
    "Spinel loads an AOF redis-server wrote with aof-timestamp-enabled",
    async () => {
      const dir = tempDir("aof-annotated");
      const redis = await startRedisAof(dir, [
        "--aof-use-rdb-preamble",
        "no",
        "--aof-timestamp-enabled",
        "yes",
      ]);
      cleanups.push(() => redis.stop());
      await runWrites(redis.port, WRITES.slice(0, 4));
      // Redis annotates when the second changes.
      await new Promise((r) => setTimeout(r, 1100));
      await runWrites(redis.port, WRITES.slice(4, 8));
      await redis.stop();
      const incr = readdirSync(join(dir, "appendonlydir")).find((name) => name.endsWith(".incr.aof"))!;
      expect(readFileSync(join(dir, "appendonlydir", incr), "latin1")).toMatch(/^#TS:\d+\r\n/m);
      // What redis-server itself rebuilds from these files is the reference: a replayed
      // XREADGROUP (propagated as XCLAIM ... LASTID) leaves a group's entries-read unknown.
      const reloaded = await startRedisAof(dir, [
        "--aof-use-rdb-preamble",
        "no",
        "--aof-timestamp-enabled",
        "yes",
      ]);
      cleanups.push(() => reloaded.stop());
      const expected = await dumpDataset(reloaded.port);
      await reloaded.stop();
      const spinel = await startSpinel({ dir, appendonly: "yes" });
      cleanups.push(() => spinel.stop());
      expect(await dumpDataset(spinel.port)).toEqual(expected);
    },
  );
});

describe("an old-style AOF (Redis before 7.0)", () => {
  it.skipIf(!haveRedisServer())(
    "is moved into appendonlydir as the base, loaded, and loadable by redis-server 7.0",
    async () => {
      const dir = tempDir("aof-upgrade");
      const old = Buffer.concat([
        encodeCommand(["SELECT", "0"]),
        encodeCommand(["SET", "old", "1"]),
        encodeCommand(["RPUSH", "list", "a", "b"]),
        encodeCommand(["SELECT", "2"]),
        encodeCommand(["SADD", "set", "x"]),
      ]);
      writeFileSync(join(dir, "appendonly.aof"), old);
      const spinel = await startSpinel({ dir, appendonly: "yes" });
      const client = await RawClient.connect(spinel.port);
      await client.call("SET", "new", "2");
      client.close();
      const expected = await dumpDataset(spinel.port);
      await spinel.stop();
      expect(expected.map((k) => `${k.db}:${k.key}`)).toEqual(["0:list", "0:new", "0:old", "2:set"]);
      expect(existsSync(join(dir, "appendonly.aof"))).toBe(false);
      expect(readFileSync(join(dir, "appendonlydir", "appendonly.aof.manifest"), "latin1")).toBe(
        "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
      );
      const redis = await startRedisAof(dir);
      cleanups.push(() => redis.stop());
      expect(await dumpDataset(redis.port)).toEqual(expected);
    },
  );
});

describe("INFO persistence with appendonly yes", () => {
  it("INFO mem_aof_buffer counts what this loop turn has not written to the AOF yet", async () => {
    const dir = tempDir("aof-buffer");
    const spinel = await startSpinel({ dir, appendonly: "yes" });
    cleanups.push(() => spinel.stop());
    const client = await RawClient.connect(spinel.port);
    const figure = (info: string) => Number(/mem_aof_buffer:(\d+)/.exec(info)![1]);
    // A write and INFO in one batch: the write's bytes are still buffered when INFO runs.
    client.write(
      Buffer.concat([encodeCommand(["SET", "big", "x".repeat(10_000)]), encodeCommand(["INFO", "memory"])]),
    );
    let replies = "";
    while (!replies.includes("mem_aof_buffer:")) replies += (await client.read()).toString("latin1");
    expect(figure(replies)).toBeGreaterThan(10_000);
    // After the turn's write, nothing is left buffered.
    expect(figure((await client.call("INFO", "memory")).toString())).toBe(0);
    client.close();
  });

  it.skipIf(!haveRedisServer())("has redis-server 7.0's fields in its order", async () => {
    const names = async (port: number) => {
      const client = await RawClient.connect(port);
      await client.call("SET", "x", "1");
      const text = (await client.call("INFO", "persistence")).toString();
      client.close();
      return text
        .split("\r\n")
        .filter((line) => line.includes(":"))
        .map((line) => line.slice(0, line.indexOf(":")));
    };
    const redisDir = tempDir("aof-info-redis");
    const redis = await startRedisAof(redisDir);
    cleanups.push(() => redis.stop());
    const spinel = await startSpinel({ dir: tempDir("aof-info-spinel"), appendonly: "yes" });
    cleanups.push(() => spinel.stop());
    expect(await names(spinel.port)).toEqual(await names(redis.port));
  });
});

describe("AOF write errors", () => {
  it("refuse writes and PING with MISCONF until the AOF can be written again, and lose nothing", async () => {
    const dir = tempDir("aof-write-error");
    const storage = new DiskFullStorage();
    const server = await startServer({ config: { dir, appendonly: "yes" }, storage });
    cleanups.push(() => server.close());
    const client = await RawClient.connect(server.port);
    expect((await client.call("SET", "a", "1")).toString()).toBe("+OK\r\n");
    storage.setFailing(true);
    // Accepted in the turn the write fails (as in Redis); refused from the next one on.
    expect((await client.call("SET", "b", "2")).toString()).toBe("+OK\r\n");
    const misconf = "-MISCONF Errors writing to the AOF file: No space left on device\r\n";
    expect((await client.call("SET", "c", "3")).toString()).toBe(misconf);
    expect((await client.call("PING")).toString()).toBe(misconf);
    expect((await client.call("GET", "b")).toString()).toBe("$1\r\n2\r\n");
    expect((await client.call("INFO", "persistence")).toString()).toContain("aof_last_write_status:err");
    storage.setFailing(false);
    // The cron retries the write; then writes are accepted again.
    let reply = "";
    for (let i = 0; i < 100 && reply !== "+PONG\r\n"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      reply = (await client.call("PING")).toString();
    }
    expect(reply).toBe("+PONG\r\n");
    expect((await client.call("INFO", "persistence")).toString()).toContain("aof_last_write_status:ok");
    expect((await client.call("SET", "d", "4")).toString()).toBe("+OK\r\n");
    client.close();
    await server.close();
    const again = await startServer({ config: { dir, appendonly: "yes" }, storage });
    cleanups.push(() => again.close());
    const data = await dumpDataset(again.port, 1);
    expect(data.map((k) => `${k.key}=${k.value}`)).toEqual(["a=1", "b=2", "d=4"]);
  });
});
