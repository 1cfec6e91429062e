import { EncodingLimits, PendingEntry, RedisStream, StreamID } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../io/memory-stream.js";
import { ByteWriter } from "./byte-writer.js";
import { seededRandom } from "./dataset.test-helper.js";
import { createDumpPayload, decodeDumpPayload } from "./dump-payload.js";
import { RdbError } from "./rdb-error.js";
import { RdbType } from "./rdb-format.js";
import { RdbInput } from "./rdb-input.js";
import { readValue } from "./rdb-value-decoder.js";
import { RdbValueEncoder } from "./rdb-value-encoder.js";
import { writeNodeListpack } from "./stream-encoder.js";

const limits = new EncodingLimits();

function id(text: string): StreamID {
  const [ms, seq] = text.split("-");
  return new StreamID(BigInt(ms!), BigInt(seq!));
}

function add(stream: RedisStream, at: string, ...items: string[]): void {
  const pairs = items.map((item) => Buffer.from(item, "latin1"));
  stream.append(id(at), pairs, 0, pairs.length, limits);
}

/** Everything a stream holds, node by node, tombstones included. */
function streamData(stream: RedisStream): unknown {
  const blocks = [];
  for (let b = 0; b < stream.blockCount; b++) {
    const block = stream.blockAt(b);
    const entries = [];
    for (let i = 0; i < block.count; i++) {
      entries.push(`${block.msAt(i)}-${block.seqAt(i)}${block.deleted[i] === 1 ? " deleted" : ""}`);
    }
    blocks.push({ entries, listpackBytes: block.listpackBytes });
  }
  const live: string[][] = [];
  const walk = stream.iterate(StreamID.MIN, StreamID.MAX, false);
  while (walk.next()) {
    const row = [walk.idText()];
    for (let p = 0; p < walk.pairCount; p++)
      row.push(walk.field(p).toString("latin1"), walk.value(p).toString("latin1"));
    live.push(row);
  }
  return {
    blocks,
    live,
    length: stream.length,
    lastId: String(stream.lastId),
    firstId: String(stream.firstId),
    maxDeletedId: String(stream.maxDeletedId),
    entriesAdded: stream.entriesAdded,
    radixNodes: stream.radixTreeNodes(),
    groups: stream.sortedGroups().map((group) => ({
      name: group.name,
      lastId: String(group.lastId),
      entriesRead: group.entriesRead,
      pel: group.pel.toArray().map((e) => [String(e.id), e.consumer.name, e.deliveryTime, e.deliveryCount]),
      consumers: group.sortedConsumers().map((c) => ({
        name: c.name,
        seenTime: c.seenTime,
        pel: c.pel.toArray().map((e) => String(e.id)),
      })),
    })),
  };
}

/** Deliver `ids` to `consumer` of `group` (creating it), as XREADGROUP does. */
function deliver(
  stream: RedisStream,
  groupName: string,
  consumerName: string,
  ids: string[],
  time: number,
): void {
  const group = stream.group(groupName)!;
  const consumer = group.consumer(consumerName) ?? group.createConsumer(consumerName, time);
  for (const text of ids) {
    const entry = new PendingEntry(id(text), consumer, time, 1 + (ids.indexOf(text) % 3));
    group.pel.insert(entry);
    consumer.pel.insert(entry);
    stream.advanceGroup(group, id(text));
  }
}

function roundTrip(stream: RedisStream, compression = true): RedisStream {
  const value = decodeDumpPayload(createDumpPayload(stream, { compression }), "s", limits);
  expect(value.type).toBe("stream");
  return value as RedisStream;
}

/** A stream with several nodes, deletions, an exact trim, groups, consumers and pending entries. */
function richStream(seed: number): RedisStream {
  const random = seededRandom(seed);
  const stream = new RedisStream();
  let ms = 1_700_000_000_000;
  for (let i = 0; i < 450; i++) {
    ms += Math.floor(random() * 3);
    const seq = i % 7;
    const fields = random() < 0.8 ? ["name", "temperature"] : ["other", "x", "y"];
    const items: string[] = [];
    for (const field of fields) {
      const size = random() < 0.05 ? 300 + Math.floor(random() * 5000) : Math.floor(random() * 12);
      items.push(field, random() < 0.4 ? String(Math.floor(random() * 1e12) - 5e11) : "v".repeat(size));
    }
    add(stream, `${ms}-${i * 7 + seq}`, ...items);
  }
  // Deletions here and there (a whole early node too), an exact trim.
  const ids: StreamID[] = [];
  const walk = stream.iterate(StreamID.MIN, StreamID.MAX, false);
  while (walk.next()) ids.push(walk.id);
  stream.deleteEntries(ids.filter((_, i) => i % 11 === 3 || (i >= 100 && i < 200)));
  stream.trim(1, 380, StreamID.MIN, false, 0);
  stream.createGroup("workers", StreamID.MIN, 0n);
  stream.createGroup("audit", ids[300]!, -1n);
  stream.createGroup("empty", stream.lastId, stream.entriesAdded);
  deliver(
    stream,
    "workers",
    "alice",
    [String(ids[210]), String(ids[211]), String(ids[215])],
    1_700_000_100_000,
  );
  deliver(stream, "workers", "bob", [String(ids[220]), String(ids[230])], 1_700_000_200_000);
  stream.group("workers")!.createConsumer("idle", 1_700_000_300_000);
  deliver(stream, "audit", "carol", [String(ids[301]), String(ids[440])], 1_700_000_400_000);
  return stream;
}

describe("stream values in the RDB (types 15, 19 and 21)", () => {
  it("round-trip node by node: entries, tombstones, metadata, groups, consumers and PELs", () => {
    for (const seed of [1, 2, 3]) {
      const stream = richStream(seed);
      expect(stream.blockCount).toBeGreaterThan(3);
      for (const compression of [true, false]) {
        expect(streamData(roundTrip(stream, compression))).toEqual(streamData(stream));
      }
    }
  });

  it("a reloaded stream keeps growing as the original does (the last node is the same)", () => {
    const stream = richStream(4);
    const copy = roundTrip(stream);
    for (let i = 0; i < 150; i++) {
      add(stream, `1800000000000-${i}`, "name", `n${i}`, "temperature", String(i));
      add(copy, `1800000000000-${i}`, "name", `n${i}`, "temperature", String(i));
    }
    expect(streamData(copy)).toEqual(streamData(stream));
  });

  it("empty streams, streams with groups only, and IDs and counters at the top of the range", () => {
    const empty = new RedisStream();
    empty.createGroup("g", StreamID.MIN, -1n);
    expect(streamData(roundTrip(empty))).toEqual(streamData(empty));

    const big = new RedisStream();
    add(big, "0-1", "a", "1");
    add(big, "18446744073709551614-18446744073709551615", "a", "2", "b", "3");
    add(big, "18446744073709551615-18446744073709551615", "a", "-9223372036854775808");
    big.deleteEntries([id("0-1")]);
    big.entriesAdded = 18446744073709551615n;
    big.createGroup("g", StreamID.MAX, 9223372036854775807n);
    expect(streamData(roundTrip(big))).toEqual(streamData(big));
  });

  it("writes the node listpack as Redis lays it out (master entry, same-fields flags, lp-count)", () => {
    const stream = new RedisStream();
    add(stream, "5-0", "f", "1");
    add(stream, "5-3", "f", "hello");
    add(stream, "7-0", "g", "x", "h", "y");
    stream.deleteEntries([id("5-3")]);
    const out = new ByteWriter(256);
    const encoder = new RdbValueEncoder(false);
    writeNodeListpack(encoder.builder, out, stream.blockAt(0));
    const lp = out.view();
    expect(lp.readUInt32LE(0)).toBe(lp.length);
    // Elements: 2 live, 1 deleted, 1 master field "f", terminator 0;
    // 5-0: flags 2, 0, 0, "1", lp-count 4; 5-3: flags 3, 0, 3, "hello", 4;
    // 7-0: flags 0, 2, 0, 2 fields g x h y, lp-count 8.
    expect(lp.readUInt16LE(4)).toBe(5 + 5 + 5 + 9);
    expect([...lp.subarray(6, 6 + 8)]).toEqual([2, 1, 1, 1, 1, 1, 0x81, 0x66]);
  });

  it("a consumer pending entry missing from its group's PEL, or a group entry without owner, is refused", () => {
    const orphan = richStream(5);
    const group = orphan.group("workers")!;
    const alice = group.consumer("alice")!;
    alice.pel.insert(new PendingEntry(id("1-1"), alice, 1, 1));
    expect(() => roundTrip(orphan)).toThrow(/not in the group's PEL/);

    const ownerless = richStream(5);
    const g2 = ownerless.group("workers")!;
    g2.pel.insert(new PendingEntry(id("1-1"), g2.consumer("bob")!, 1, 1));
    expect(() => roundTrip(ownerless)).toThrow(/belongs to no consumer/);
  });

  it("every truncation and many flipped bytes give an RdbError, never another failure", () => {
    const stream = richStream(6);
    const encoder = new RdbValueEncoder(false);
    const out = new ByteWriter();
    encoder.writeValue(out, stream);
    const bytes = Buffer.from(out.view());
    const decode = (buffer: Buffer) =>
      readValue(new RdbInput(new MemorySource(buffer)), RdbType.StreamListpacks2, "s", limits);
    expect(streamData(decode(bytes) as RedisStream)).toEqual(streamData(stream));
    for (let cut = 0; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 400))) {
      expect(() => decode(bytes.subarray(0, cut))).toThrow(RdbError);
    }
    const random = seededRandom(9);
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const damaged = Buffer.from(bytes);
      const at = Math.floor(random() * damaged.length);
      damaged[at] = damaged[at]! ^ (1 + Math.floor(random() * 255));
      try {
        decode(damaged);
      } catch (error) {
        expect(error).toBeInstanceOf(RdbError);
        refused++;
      }
    }
    // Most flips land in field or value bytes, which only the file's checksum can catch.
    expect(refused).toBeGreaterThan(10);
  });

  it("reads type 15 (redis-server 6.x): entries-added, first ID and entries-read derived as 7.0 does", () => {
    const stream = new RedisStream();
    for (let i = 1; i <= 5; i++) add(stream, `10-${i}`, "k", String(i));
    const encoder = new RdbValueEncoder(false);
    const out = new ByteWriter(1024);
    RdbValueEncoder.writeLength(out, 1);
    const key = Buffer.alloc(16);
    key.writeBigUInt64BE(10n, 0);
    key.writeBigUInt64BE(1n, 8);
    encoder.writeString(out, key);
    encoder.scratch.reset();
    writeNodeListpack(encoder.builder, encoder.scratch, stream.blockAt(0));
    encoder.writeString(out, encoder.scratch.buffer, 0, encoder.scratch.length);
    for (const n of [5, 10, 5, 1]) RdbValueEncoder.writeLength(out, n); // length, last ID 10-5, 1 group
    encoder.writeLatin1(out, "g");
    for (const n of [10, 3, 0, 0]) RdbValueEncoder.writeLength(out, n); // last ID 10-3, empty PEL, no consumers
    const decoded = readValue(
      new RdbInput(new MemorySource(Buffer.from(out.view()))),
      RdbType.StreamListpacks,
      "s",
      limits,
    ) as RedisStream;
    expect(decoded.length).toBe(5);
    expect(decoded.entriesAdded).toBe(5n);
    expect(String(decoded.firstId)).toBe("10-1");
    expect(String(decoded.maxDeletedId)).toBe("0-0");
    expect(decoded.group("g")!.entriesRead).toBe(-1n);
    expect(decoded.groupLag(decoded.group("g")!)).toBe(null);
  });

  it("reads type 21 (redis-server 7.2): the consumers' active time is read and dropped", () => {
    const encoder = new RdbValueEncoder(false);
    const out = new ByteWriter(256);
    // No nodes, length 0, last ID 5-5, first ID 0-0, max deleted 0-0, 9 added, 1 group.
    for (const n of [0, 0, 5, 5, 0, 0, 0, 0, 9, 1]) RdbValueEncoder.writeLength(out, n);
    encoder.writeLatin1(out, "g");
    for (const n of [5, 5, 9, 1]) RdbValueEncoder.writeLength(out, n); // last ID, entries read, PEL size
    const raw = Buffer.alloc(16);
    raw.writeBigUInt64BE(5n, 0);
    raw.writeBigUInt64BE(4n, 8);
    out.bytes(raw);
    out.int64LE(1_700_000_000_123n); // delivery time
    RdbValueEncoder.writeLength(out, 3); // delivery count
    RdbValueEncoder.writeLength(out, 1); // one consumer
    encoder.writeLatin1(out, "c");
    out.int64LE(1_700_000_000_456n); // seen time
    out.int64LE(1_700_000_000_789n); // active time (7.2)
    RdbValueEncoder.writeLength(out, 1);
    out.bytes(raw);
    const bytes = Buffer.from(out.view());
    const decode = (type: RdbType) =>
      readValue(new RdbInput(new MemorySource(bytes)), type, "s", limits) as RedisStream;
    const decoded = decode(RdbType.StreamListpacks3);
    expect(streamData(decoded)).toMatchObject({
      length: 0,
      lastId: "5-5",
      entriesAdded: 9n,
      groups: [
        {
          name: "g",
          entriesRead: 9n,
          pel: [["5-4", "c", 1_700_000_000_123, 3]],
          consumers: [{ name: "c", seenTime: 1_700_000_000_456, pel: ["5-4"] }],
        },
      ],
    });
    // Read as type 19, the active time is taken for the consumer's PEL size: refused.
    expect(() => decode(RdbType.StreamListpacks2)).toThrow(RdbError);
  });
});
