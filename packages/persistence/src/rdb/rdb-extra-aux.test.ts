import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyspace, RedisString } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { MemorySink, MemorySource } from "../io/memory-stream.js";
import { loadRdb } from "./rdb-loader.js";
import { saveRdb } from "./snapshot-job.js";

const replicationAux: Array<[string, string]> = [
  ["repl-stream-db", "3"],
  ["repl-id", "0123456789abcdef0123456789abcdef01234567"],
  ["repl-offset", "123456789"],
];

function saveWithAux(): Buffer {
  const keyspace = new Keyspace();
  keyspace.db(0).add("k", RedisString.fromBytes(Buffer.from("v")));
  const sink = new MemorySink();
  saveRdb(keyspace, sink, { extraAux: replicationAux, usedMemory: 1000 });
  return Buffer.from(sink.contents());
}

describe("caller-supplied aux fields", () => {
  it("are written after used-mem, before aof-base, and read back by the loader", () => {
    const rdb = saveWithAux();
    const text = rdb.toString("latin1");
    const order = ["used-mem", "repl-stream-db", "repl-id", "repl-offset", "aof-base"].map((name) =>
      text.indexOf(name),
    );
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    const result = loadRdb(new MemorySource(rdb), new Keyspace());
    for (const [name, value] of replicationAux) expect(result.aux.get(name)).toBe(value);
    expect(result.keysLoaded).toBe(1);
  });

  it.skipIf(!existsSync("/usr/bin/redis-check-rdb"))("are what redis-check-rdb 7.0 reads", () => {
    const dir = mkdtempSync(join(tmpdir(), "spinel-aux-"));
    try {
      const path = join(dir, "aux.rdb");
      writeFileSync(path, saveWithAux());
      const report = execFileSync("redis-check-rdb", [path], { encoding: "utf8" });
      expect(report).toContain("AUX FIELD repl-stream-db = '3'");
      expect(report).toContain("AUX FIELD repl-id = '0123456789abcdef0123456789abcdef01234567'");
      expect(report).toContain("AUX FIELD repl-offset = '123456789'");
      expect(report).toContain("RDB looks OK!");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
