/*
 * Child-process side of the memory accounting test (memory-accounting.test.ts).
 *
 * Run with `node --expose-gc --conditions=@spinel/source --import tsx`; argv[2]
 * names a scenario. It fills a keyspace through the type APIs and the write
 * epilogue, as commands do, and prints one JSON line per phase: the growth of the
 * keyspace's accounted memory and the growth of heap + external memory measured
 * after forced collections, both from the empty keyspace.
 */

import {
  EventClass,
  Keyspace,
  ListEnd,
  PendingEntry,
  RedisHash,
  RedisList,
  RedisSet,
  RedisStream,
  RedisString,
  RedisZSet,
  StreamID,
  ZAddOutcome,
} from "@spinel/core-db";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

function measure(): number {
  for (let i = 0; i < 4; i++) gc!();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

const keyspace = new Keyspace({ databases: 1 });
const db = keyspace.db(0);
const limits = keyspace.limits;
const outcome = new ZAddOutcome();

function bytes(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** A flat (sequential) string, as the server's argument decoding produces. */
function flat(text: string): string {
  return Buffer.from(text, "latin1").toString("latin1");
}

function filler(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = 97 + ((i + seed) % 26);
  return out;
}

/** Each scenario fills `db` with keys key:0 .. key:N-1 and returns N. */
const scenarios: Record<string, () => number> = {
  "string-int": () => fill(200_000, (i) => RedisString.fromInteger(i * 7)),
  "string-embstr": () => fill(200_000, (i) => RedisString.fromBytes(bytes(`value:${i}`))),
  "string-embstr-44": () => fill(100_000, (i) => RedisString.fromBytes(filler(44, i))),
  "string-raw-200": () => fill(50_000, (i) => RedisString.fromBytes(filler(200, i))),
  "string-raw-10k": () => fill(2_000, (i) => RedisString.fromBytes(filler(10_000, i))),
  "string-raw-1m": () => fill(40, (i) => RedisString.fromBytes(filler(1_000_000, i))),
  "string-appended": () =>
    fill(20_000, (i) => {
      const value = RedisString.fromBytes(bytes("x"));
      for (let j = 0; j < 20; j++) value.append(filler(10, i + j));
      return value;
    }),
  "hash-listpack": () =>
    fill(20_000, (i) => {
      const hash = new RedisHash();
      for (let f = 0; f < 10; f++) hash.set(`field:${f}`, bytes(`value:${i}:${f}`), limits);
      return hash;
    }),
  "hash-listpack-edited": () =>
    fill(10_000, (i) => {
      // Up to the default limits (128 fields, 64 bytes), then updates and deletions.
      const hash = new RedisHash();
      const fields = 20 + (i % 100);
      for (let f = 0; f < fields; f++) hash.set(flat(`f:${f}`), filler((f * 7 + i) % 65, i + f), limits);
      for (let f = 0; f < fields; f += 3) hash.set(flat(`f:${f}`), filler((f + i) % 30, f), limits);
      for (let f = 1; f < fields; f += 4) hash.delete(`f:${f}`);
      return hash;
    }),
  "hash-hashtable": () =>
    fill(100, (i) => {
      const hash = new RedisHash();
      for (let f = 0; f < 2_000; f++) hash.set(`field:${f}`, bytes(`v${i}:${f}`), limits);
      return hash;
    }),
  "hash-big-values": () =>
    fill(200, (i) => {
      const hash = new RedisHash();
      for (let f = 0; f < 10; f++) hash.set(`field:${f}`, filler(6_000, i + f), limits);
      return hash;
    }),
  "set-intset": () =>
    fill(60_000, (i) => {
      const set = new RedisSet();
      for (let m = 0; m < 10; m++) set.add(String(i * 10 + m), limits);
      return set;
    }),
  "set-hashtable": () =>
    fill(100, (i) => {
      const set = new RedisSet();
      for (let m = 0; m < 2_000; m++) set.add(flat(`member:${i}:${m}`), limits);
      return set;
    }),
  "zset-listpack": () =>
    fill(20_000, (i) => {
      const zset = new RedisZSet();
      for (let m = 0; m < 10; m++) zset.add(`member:${m}`, i + m * 1.5, 0, limits, outcome);
      return zset;
    }),
  "zset-skiplist": () =>
    fill(50, (i) => {
      const zset = new RedisZSet();
      for (let m = 0; m < 4_000; m++) zset.add(flat(`member:${i}:${m}`), m * 0.25, 0, limits, outcome);
      return zset;
    }),
  "list-small": () =>
    fill(20_000, (i) => {
      const list = RedisList.create();
      for (let e = 0; e < 10; e++) list.push(bytes(`element:${i}:${e}`), ListEnd.Tail);
      return list;
    }),
  "list-large": () =>
    fill(1, () => {
      const list = RedisList.create();
      for (let e = 0; e < 1_000_000; e++) list.push(bytes(`e:${e}`), ListEnd.Tail);
      return list;
    }),
  "stream-small": () =>
    fill(20_000, (i) => {
      const stream = new RedisStream();
      for (let e = 1; e <= 10; e++) {
        stream.append(
          new StreamID(BigInt(1_700_000_000_000 + i), BigInt(e)),
          [bytes("field"), bytes(`v${i}:${e}`)],
          0,
          2,
          limits,
        );
      }
      return stream;
    }),
  "stream-large-group": () =>
    fill(1, () => {
      const stream = new RedisStream();
      const pairs = [bytes("event"), bytes("payload"), bytes("n"), bytes("0")];
      for (let e = 1; e <= 300_000; e++) {
        pairs[3] = bytes(String(e));
        stream.append(new StreamID(BigInt(1_700_000_000_000 + e), 0n), pairs, 0, 4, limits);
      }
      const group = stream.createGroup("workers", StreamID.MIN, 0n)!;
      const consumer = group.createConsumer("worker-1", 0);
      for (let e = 1; e <= 50_000; e++) {
        const pending = new PendingEntry(new StreamID(BigInt(1_700_000_000_000 + e), 0n), consumer, 0, 1);
        group.pel.insert(pending);
        consumer.pel.insert(pending);
      }
      return stream;
    }),
  "string-ttl": () => {
    const count = fill(200_000, (i) => RedisString.fromBytes(bytes(`value:${i}`)));
    const now = keyspace.now;
    for (let i = 0; i < count; i++) db.setExpire(`key:${i}`, now + 3_600_000 + i);
    return count;
  },
};

function fill(count: number, make: (i: number) => Parameters<typeof db.add>[1]): number {
  for (let i = 0; i < count; i++) {
    const key = `key:${i}`;
    db.add(key, make(i));
    db.touched(key, "set", EventClass.String);
  }
  return count;
}

const name = process.argv[2]!;
const scenario = scenarios[name];
if (scenario === undefined) throw new Error(`unknown scenario ${name}`);

// Warm up the keyspace code on a scratch keyspace first: code the JIT compiles
// during the fill would otherwise count as data (a fixed ~0.3 MB, visible in
// the small scenarios).
{
  const scratch = new Keyspace({ databases: 1 }).db(0);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 20_000; i++) {
      const key = `warm:${i}`;
      scratch.add(key, RedisString.fromInteger(i));
      scratch.touched(key, "set", EventClass.String);
      if (i % 3 === 0) scratch.setExpire(key, Date.now() + 1_000_000);
    }
    for (let i = 0; i < 20_000; i++) scratch.delete(`warm:${i}`);
  }
}

const accountedBefore = keyspace.usedMemory;
const measuredBefore = measure();
const count = scenario();
const filled = { accounted: keyspace.usedMemory - accountedBefore, measured: measure() - measuredBefore };
process.stdout.write(`${JSON.stringify({ phase: "filled", ...filled })}\n`);

// Delete the first half of the keys (a contiguous half: their pooled buffer slabs really go).
for (let i = 0; i < count / 2; i++) db.delete(`key:${i}`);
const halved = { accounted: keyspace.usedMemory - accountedBefore, measured: measure() - measuredBefore };
process.stdout.write(`${JSON.stringify({ phase: "halved", keys: db.size, ...halved })}\n`);
