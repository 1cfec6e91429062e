/*
 * RDB files exchanged with a real redis-server 7.0, both ways, for every type
 * and encoding, small and large values, compression on and off:
 *   - redis-server writes (SAVE), @spinel/persistence loads: equal key by key
 *     (type, OBJECT ENCODING, contents, expiry in ms);
 *   - Spinel writes, a redis-server started on the file serves the same data;
 *   - DUMP payloads of compact values are byte for byte redis-server's (which
 *     also checks the CRC-64 and the listpack and intset encoders).
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyspace } from "@spinel/core-db";
import { createDumpPayload, FileSink, FileSource, loadRdb, saveRdb } from "@spinel/persistence";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis } from "../support/servers.js";
import { datasetOfKeyspace, datasetOfServer, populate } from "./datasets.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "spinel-rdb-interop-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Start redis-server in `dir` on `dbfilename`, connected. */
async function redisOn(dbfilename: string) {
  // This redis-server build defaults hash-max-listpack-entries to 512; Redis 7.0's
  // (and Spinel's) default is 128.
  const server = await startRedis([
    "--dir",
    dir,
    "--dbfilename",
    dbfilename,
    "--hash-max-listpack-entries",
    "128",
  ]);
  const client = new Redis({ port: server.port, lazyConnect: true });
  await client.connect();
  return {
    client,
    stop: async () => {
      client.disconnect();
      await server.stop();
    },
  };
}

for (const compression of ["yes", "no"]) {
  describe(`RDB interop with redis-server 7.0 (rdbcompression ${compression})`, () => {
    const file = `redis-${compression}.rdb`;
    let redisData: Awaited<ReturnType<typeof datasetOfServer>>;
    const keyspace = new Keyspace();

    beforeAll(async () => {
      const redis = await redisOn(file);
      try {
        await populate(redis.client, compression === "yes" ? 1 : 2);
        await redis.client.config("SET", "rdbcompression", compression);
        await redis.client.call("SAVE");
        redisData = await datasetOfServer(redis.client);
        // Keep DUMP payloads of compact values to compare byte for byte.
        await redis.client.select(0);
        // With compression on, only values too short to compress are compared:
        // liblzf's output depends on its (uninitialised) hash table, so only its
        // decoding is a contract, and the loads above and below cover that.
        const compared =
          compression === "yes"
            ? ["int:small", "int:big", "str:embstr", "set:int16"]
            : [
                "int:small",
                "int:big",
                "str:embstr",
                "str:raw",
                "str:compressible",
                "list:small",
                "list:long",
                "hash:small",
                "set:int16",
                "set:int64",
                "zset:small",
              ];
        for (const key of compared) {
          dumps.set(key, (await redis.client.callBuffer("DUMP", key)) as Buffer);
        }
      } finally {
        await redis.stop();
      }
    }, 60_000);
    const dumps = new Map<string, Buffer>();

    it("Spinel loads redis-server's file: the same keys, types, encodings, contents and expiries", () => {
      const source = new FileSource(join(dir, file));
      const result = loadRdb(source, keyspace);
      source.close();
      expect(result.version).toBe(10);
      expect(result.checksumVerified).toBe(true);
      expect(result.aux.get("redis-ver")).toBe("7.0.15");
      expect(datasetOfKeyspace(keyspace)).toEqual(redisData);
      expect(result.keysLoaded).toBeGreaterThan(200);
    });

    it("Spinel's DUMP payloads of compact values are redis-server's, byte for byte", () => {
      for (const [key, payload] of dumps) {
        const value = keyspace.db(0).lookupRead(key)!;
        const mine = createDumpPayload(value, { compression: compression === "yes" });
        const at = mine.findIndex((b, i) => b !== payload[i]);
        expect(
          mine.toString("hex"),
          `${key} differs at byte ${at}: ${mine.subarray(at - 8, at + 8).toString("hex")} vs ${payload.subarray(at - 8, at + 8).toString("hex")}`,
        ).toBe(payload.toString("hex"));
      }
    });

    it("redis-server loads Spinel's file and serves the same data", async () => {
      const spinelFile = `spinel-${compression}.rdb`;
      const sink = new FileSink(join(dir, spinelFile));
      saveRdb(keyspace, sink, { compression: compression === "yes" });
      sink.sync();
      sink.close();
      const bytes = readFileSync(join(dir, spinelFile));
      expect(bytes.subarray(0, 9).toString()).toBe("REDIS0010");
      const redis = await redisOn(spinelFile);
      try {
        expect(await datasetOfServer(redis.client)).toEqual(datasetOfKeyspace(keyspace));
        expect(await redis.client.dbsize()).toBe(keyspace.db(0).size);
      } finally {
        await redis.stop();
      }
    }, 60_000);
  });
}
