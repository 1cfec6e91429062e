import { Keyspace, ListEnd, RedisHash, RedisString } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { MemorySink, MemorySource } from "../io/memory-stream.js";
import { datasetOf, fillRandom, randomText, seededRandom } from "./dataset.test-helper.js";
import { loadRdb } from "./rdb-loader.js";
import { startSnapshot } from "./snapshot-job.js";

/** Load an RDB image into a fresh keyspace (expired keys kept, to compare exactly). */
function loaded(bytes: Buffer, databases = 16): Keyspace {
  const keyspace = new Keyspace({ databases });
  loadRdb(new MemorySource(bytes), keyspace, { skipExpired: false });
  return keyspace;
}

describe("point-in-time snapshots", () => {
  it("equal the dataset at their start under writes, deletes, expiries, renames, flushes and swaps", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const random = seededRandom(seed);
      const keyspace = new Keyspace();
      fillRandom(keyspace, random, 150, [0, 1, 2]);
      const atStart = datasetOf(keyspace);
      const sink = new MemorySink();
      const job = startSnapshot(keyspace, sink, { sliceBytes: 2000, sliceMs: 1000 });
      let steps = 0;
      while (!job.step()) {
        steps++;
        // Between slices, the server keeps changing things.
        for (let n = 0; n < 8; n++) {
          const db = keyspace.db(Math.floor(random() * 3));
          const entries = db.entries();
          const roll = random();
          const entry = entries.length > 0 ? entries[Math.floor(random() * entries.length)]! : undefined;
          if (roll < 0.15 || entry === undefined) {
            db.set(`new-${randomText(random, 4)}`, RedisString.fromBytes(Buffer.from("fresh")));
          } else if (roll < 0.3) {
            db.set(entry.key, RedisString.fromBytes(Buffer.from("overwritten")));
          } else if (roll < 0.45) {
            const value = db.lookupWrite(entry.key)!;
            if (value.type === "list") value.push(Buffer.from("pushed"), ListEnd.Head);
            else if (value.type === "hash") value.set("added", Buffer.from("x"), keyspace.limits);
            else if (value.type === "set") value.add("added", keyspace.limits);
            else if (value.type === "string") value.append(Buffer.from("!"));
          } else if (roll < 0.6) {
            db.delete(entry.key);
          } else if (roll < 0.7) {
            db.setEntryExpire(entry, Date.now() + 5000);
          } else if (roll < 0.75) {
            db.persist(entry.key);
          } else if (roll < 0.82) {
            // RENAME: the source goes, the target is (over)written.
            const value = entry.value;
            db.delete(entry.key);
            db.set(`renamed-${entry.key}`, value);
          } else if (roll < 0.86) {
            db.setEntryExpire(entry, 1); // expires on the next access
            db.exists(entry.key);
          } else if (roll < 0.9) {
            keyspace.swap(Math.floor(random() * 3), Math.floor(random() * 3));
          } else if (roll < 0.93) {
            db.flush();
          } else if (roll < 0.95) {
            for (const d of keyspace.databases) d.flush();
          } else {
            const hash = new RedisHash();
            hash.set("f", Buffer.from("v"), keyspace.limits);
            db.set(entry.key, hash);
          }
        }
      }
      expect(steps).toBeGreaterThan(3);
      expect(keyspace.snapshot).toBeNull();
      expect(datasetOf(loaded(Buffer.from(sink.contents())))).toEqual(atStart);
    }
  }, 60_000);

  it("keeps its start-time dataset when a load replaces the keyspace mid-save", () => {
    const keyspace = new Keyspace();
    fillRandom(keyspace, seededRandom(8), 200);
    const atStart = datasetOf(keyspace);
    const other = new Keyspace();
    fillRandom(other, seededRandom(9), 100);
    const otherFile = new MemorySink();
    startSnapshot(other, otherFile).runToEnd();
    const sink = new MemorySink();
    const job = startSnapshot(keyspace, sink, { sliceBytes: 500 });
    job.step();
    loadRdb(new MemorySource(Buffer.from(otherFile.contents())), keyspace);
    for (const entry of keyspace.db(0).entries()) keyspace.db(0).delete(entry.key);
    job.runToEnd();
    expect(datasetOf(loaded(Buffer.from(sink.contents())))).toEqual(atStart);
  });

  it("copies the records preserved for changed keys into the file a bounded piece per slice", () => {
    const keyspace = new Keyspace();
    const db = keyspace.db(0);
    for (let i = 0; i < 4000; i++)
      db.set(`key:${i}`, RedisString.fromBytes(Buffer.from(`${i}:${"v".repeat(100)}`)));
    const atStart = datasetOf(keyspace);
    const sink = new MemorySink();
    const sliceBytes = 16 * 1024;
    const job = startSnapshot(keyspace, sink, { sliceBytes, sliceMs: 60_000, compression: false });
    job.step();
    // Every key still unvisited is overwritten: its old value is preserved (about 400 KB).
    for (let i = 0; i < 4000; i++) db.set(`key:${i}`, RedisString.fromBytes(Buffer.from("new")));
    expect(job.preservedBytes).toBeGreaterThan(300 * 1024);
    let largestStep = 0;
    let before = job.bytesWritten;
    for (let steps = 0; !job.step(); steps++) {
      expect(steps).toBeLessThan(1000);
      largestStep = Math.max(largestStep, job.bytesWritten - before);
      before = job.bytesWritten;
    }
    largestStep = Math.max(largestStep, job.bytesWritten - before);
    // A slice stops at its byte budget, past it by at most one 64 KB piece.
    expect(largestStep).toBeLessThanOrEqual(sliceBytes + 64 * 1024);
    expect(datasetOf(loaded(Buffer.from(sink.contents())))).toEqual(atStart);
  });

  it("leaves nothing armed after an abort, and refuses a second snapshot while one runs", () => {
    const keyspace = new Keyspace();
    fillRandom(keyspace, seededRandom(4), 50);
    const job = startSnapshot(keyspace, new MemorySink(), { sliceBytes: 100 });
    expect(() => startSnapshot(keyspace, new MemorySink())).toThrow(/already running/);
    job.step();
    job.abort();
    expect(keyspace.snapshot).toBeNull();
    expect(job.done).toBe(true);
  });

  it("aborts and rethrows when the sink fails", () => {
    const keyspace = new Keyspace();
    fillRandom(keyspace, seededRandom(6), 200);
    const failing = new MemorySink();
    failing.write = () => {
      throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
    };
    const job = startSnapshot(keyspace, failing, { sliceBytes: 10 });
    expect(() => {
      while (!job.step()) {
        // until the first drain fails
      }
    }).toThrow(/ENOSPC/);
    expect(keyspace.snapshot).toBeNull();
  });
});
