import { EncodingLimits, Keyspace, ListEnd, RedisHash, RedisList, RedisString } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import type { ByteSource } from "../io/byte-stream.js";
import { MemorySink, MemorySource } from "../io/memory-stream.js";
import { datasetOf, fillRandom, seededRandom } from "./dataset.test-helper.js";
import { RdbError } from "./rdb-error.js";
import { loadRdb } from "./rdb-loader.js";
import { saveRdb } from "./snapshot-job.js";

function save(keyspace: Keyspace, compression = true, checksum = true): Buffer {
  const sink = new MemorySink();
  saveRdb(keyspace, sink, { compression, checksum });
  return Buffer.from(sink.contents());
}

/**
 * A source that hands out at most `piece` bytes per read, copied into a buffer
 * it then overwrites: every record straddles reads, and a reader that kept a
 * view past its next read would see other bytes.
 */
class TrickleSource implements ByteSource {
  private readonly inner: MemorySource;
  private readonly piece: number;
  private readonly scratch: Buffer;
  private handedOut: number;

  constructor(bytes: Buffer, piece: number) {
    this.inner = new MemorySource(bytes);
    this.piece = piece;
    this.scratch = Buffer.alloc(bytes.length);
    this.handedOut = 0;
  }

  readExactly(length: number): Buffer {
    const bytes = this.inner.readExactly(length);
    this.scratch.fill(0xa5, 0, this.handedOut);
    bytes.copy(this.scratch);
    this.handedOut = length;
    return this.scratch.subarray(0, length);
  }

  read(length: number): Buffer {
    return this.readExactly(Math.min(length, this.piece, this.remaining));
  }

  get position(): number {
    return this.inner.position;
  }

  get remaining(): number {
    return this.inner.remaining;
  }

  close(): void {}
}

describe("RDB save and load", () => {
  it("loads the same through a source that hands out a few bytes at a time", () => {
    const original = new Keyspace();
    fillRandom(original, seededRandom(11), 150, [0, 2]);
    const bytes = save(original);
    for (const piece of [1, 7, 4093]) {
      const copy = new Keyspace();
      const result = loadRdb(new TrickleSource(bytes, piece), copy);
      expect(result.checksumVerified).toBe(true);
      expect(result.bytes).toBe(bytes.length);
      expect(datasetOf(copy)).toEqual(datasetOf(original));
    }
  });

  for (const compression of [true, false]) {
    it(`round-trips random keyspaces of every type and encoding (compression ${compression ? "on" : "off"})`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const original = new Keyspace();
        fillRandom(original, seededRandom(seed), 60, [0, 3, 15]);
        const copy = new Keyspace();
        const result = loadRdb(new MemorySource(save(original, compression)), copy);
        expect(result.keysLoaded).toBe(original.totalKeys);
        expect(result.checksumVerified).toBe(true);
        expect(datasetOf(copy)).toEqual(datasetOf(original));
      }
    });
  }

  it("covers every encoding in the random data", () => {
    const keyspace = new Keyspace();
    fillRandom(keyspace, seededRandom(7), 400);
    const seen = new Set(
      keyspace
        .db(0)
        .entries()
        .map((e) => `${e.value.type}/${e.value.encoding}`),
    );
    expect([...seen].sort()).toEqual([
      "hash/hashtable",
      "hash/listpack",
      "list/quicklist",
      "set/hashtable",
      "set/intset",
      "string/embstr",
      "string/int",
      "string/raw",
      "zset/listpack",
      "zset/skiplist",
    ]);
  });

  it("skips keys past their deadline and counts them", () => {
    const keyspace = new Keyspace();
    const db = keyspace.db(0);
    db.setEntryExpire(db.add("old", RedisString.fromBytes(Buffer.from("x"))), Date.now() - 1000);
    db.setEntryExpire(db.add("new", RedisString.fromBytes(Buffer.from("y"))), Date.now() + 100_000);
    db.add("forever", RedisString.fromBytes(Buffer.from("z")));
    const copy = new Keyspace();
    const result = loadRdb(new MemorySource(save(keyspace)), copy);
    expect(result.expiredSkipped).toBe(1);
    expect(result.keysLoaded).toBe(2);
    expect(
      copy
        .db(0)
        .entries()
        .map((e) => e.key)
        .sort(),
    ).toEqual(["forever", "new"]);
    const replica = new Keyspace();
    expect(loadRdb(new MemorySource(save(keyspace)), replica, { skipExpired: false }).keysLoaded).toBe(3);
  });

  it("splits long lists into nodes of the configured size", () => {
    const keyspace = new Keyspace();
    const list = RedisList.create();
    for (let i = 0; i < 5000; i++) list.push(Buffer.from(`element-${i}`), ListEnd.Tail);
    list.push(Buffer.alloc(20000, 7), ListEnd.Tail);
    keyspace.db(0).add("l", list);
    const copy = new Keyspace();
    loadRdb(new MemorySource(save(keyspace)), copy);
    expect(datasetOf(copy)).toEqual(datasetOf(keyspace));
  });

  it("loads one-node lists, of string entries (taken as they are) and of integer entries, into the small form", () => {
    const keyspace = new Keyspace();
    const words = RedisList.fromOwned(["alpha", "", "x".repeat(70), "beta"].map((text) => Buffer.from(text)));
    const numbers = RedisList.fromOwned(["1", "-7", "word", "12345678901"].map((text) => Buffer.from(text)));
    keyspace.db(0).add("words", words);
    keyspace.db(0).add("numbers", numbers);
    const copy = new Keyspace();
    loadRdb(new MemorySource(save(keyspace)), copy);
    expect(datasetOf(copy)).toEqual(datasetOf(keyspace));
    const loadedWords = copy.db(0).lookupRead("words") as RedisList;
    expect(loadedWords.packedListpack).toBe(words.packedListpack);
    const loadedNumbers = copy.db(0).lookupRead("numbers") as RedisList;
    expect(loadedNumbers.isPacked).toBe(true);
    expect(loadedNumbers.toArray().map(String)).toEqual(["1", "-7", "word", "12345678901"]);
    loadedNumbers.push(Buffer.from("tail"), ListEnd.Tail);
    expect(numbers.length).toBe(4);
  });

  it("builds the encodings the target's limits call for", () => {
    const keyspace = new Keyspace();
    fillRandom(keyspace, seededRandom(3), 100);
    const copy = new Keyspace();
    copy.limits.hashMaxListpackEntries = 0;
    copy.limits.zsetMaxListpackEntries = 0;
    loadRdb(new MemorySource(save(keyspace)), copy);
    for (const entry of copy.db(0).entries()) {
      if (entry.value.type === "hash") expect(entry.value.encoding).toBe("hashtable");
      if (entry.value.type === "zset") expect(entry.value.encoding).toBe("skiplist");
    }
    expect(new EncodingLimits().hashMaxListpackEntries).toBe(128);
  });

  it("accepts a file written without a checksum", () => {
    const keyspace = new Keyspace();
    fillRandom(keyspace, seededRandom(5), 20);
    const bytes = save(keyspace, true, false);
    expect(bytes.subarray(bytes.length - 8)).toEqual(Buffer.alloc(8));
    const copy = new Keyspace();
    expect(loadRdb(new MemorySource(bytes), copy).checksumVerified).toBe(false);
    expect(datasetOf(copy)).toEqual(datasetOf(keyspace));
  });
});

describe("RDB corruption", () => {
  const keyspace = new Keyspace();
  fillRandom(keyspace, seededRandom(11), 25, [0, 1]);
  const good = save(keyspace);

  /** Load `bytes` into a keyspace holding one sentinel key; return the error, checking nothing changed. */
  function loadDamaged(bytes: Buffer): RdbError {
    const target = new Keyspace();
    target.db(0).add("sentinel", RedisString.fromBytes(Buffer.from("kept")));
    const before = datasetOf(target);
    let caught: unknown;
    try {
      loadRdb(new MemorySource(bytes), target);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RdbError);
    expect(datasetOf(target)).toEqual(before);
    return caught as RdbError;
  }

  it("refuses every truncation with an error naming the offset, and loads nothing", () => {
    const stride = Math.max(1, Math.floor(good.length / 400));
    for (let length = 0; length < good.length; length += length < 200 ? 1 : stride) {
      const error = loadDamaged(good.subarray(0, length));
      expect(error.offset).toBeLessThanOrEqual(length);
      expect(error.message).toMatch(/^RDB error at offset \d+: /);
    }
  });

  it("refuses every flipped byte (the checksum catches what decoding does not)", () => {
    const reasons = new Set<string>();
    const stride = Math.max(1, Math.floor(good.length / 400));
    for (let offset = 0; offset < good.length; offset += offset < 300 ? 1 : stride) {
      const damaged = Buffer.from(good);
      damaged[offset] = damaged[offset]! ^ 0x5a;
      const error = loadDamaged(damaged);
      reasons.add(error.reason.replace(/\d+/g, "N").slice(0, 30));
    }
    expect([...reasons].some((r) => r.startsWith("wrong RDB checksum"))).toBe(true);
    expect(reasons.size).toBeGreaterThan(3);
  });

  it("names the wrong version and unknown types", () => {
    const version = Buffer.from(good);
    version.write("0011", 5, "latin1");
    expect(loadDamaged(version).reason).toBe("can't handle RDB format version 0011");
    const stream = Buffer.concat([
      Buffer.from("REDIS0010", "latin1"),
      Buffer.from([0xfe, 0, 15, 3]),
      Buffer.from("evt", "latin1"),
      Buffer.from([1, 3]),
      Buffer.from("abc", "latin1"),
      Buffer.alloc(20),
    ]);
    const error = loadDamaged(stream);
    expect(error.reason).toBe("stream node 0 of key 'evt' has a 3-byte key, not 16");
    expect(error.offset).toBe(17);
    const module = Buffer.concat([
      Buffer.from("REDIS0010", "latin1"),
      Buffer.from([7, 1]),
      Buffer.from("m", "latin1"),
      Buffer.alloc(20),
    ]);
    expect(loadDamaged(module).reason).toBe("key 'm' holds a value of module, which Spinel does not support");
    // Function libraries in the format of 7.0's release candidates are refused by name.
    const functions = Buffer.concat([
      Buffer.from("REDIS0010", "latin1"),
      Buffer.from([246, 1, 0x61]),
      Buffer.alloc(20),
    ]);
    expect(loadDamaged(functions).reason).toMatch(/function library in the pre-7.0 format/);
  });

  it("refuses databases beyond the configured count and duplicated keys", () => {
    const other = new Keyspace({ databases: 2 });
    fillRandom(other, seededRandom(2), 3, [1]);
    const target = new Keyspace({ databases: 1 });
    expect(() => loadRdb(new MemorySource(save(other)), target)).toThrow(
      /holds database 1 but the server is configured with 1 databases/,
    );
    const dup = Buffer.concat([
      Buffer.from("REDIS0010", "latin1"),
      Buffer.from([0xfe, 0, 0, 1, 0x61, 1, 0x62, 0, 1, 0x61, 1, 0x63, 0xff]),
      Buffer.alloc(8),
    ]);
    expect(loadDamaged(dup).reason).toBe("duplicated key 'a' in database 0");
  });

  it("refuses a hash listpack that holds a field twice, and loads it whole when fields differ", () => {
    const keyspace = new Keyspace();
    const hash = new RedisHash();
    for (const field of ["field-one", "field-two", "field-six"]) {
      hash.set(field, Buffer.from(`value of ${field}`), keyspace.limits);
    }
    keyspace.db(0).add("h", hash);
    const bytes = save(keyspace, false, false);
    const copy = new Keyspace();
    loadRdb(new MemorySource(bytes), copy);
    expect(datasetOf(copy)).toEqual(datasetOf(keyspace));
    expect(copy.db(0).lookupRead("h")?.encoding).toBe("listpack");
    // Rename field-six to field-one inside the blob: same length, so only the duplicate is wrong.
    const at = bytes.indexOf("field-six", 0, "latin1");
    bytes.write("field-one", at, "latin1");
    expect(loadDamaged(bytes).reason).toMatch(/duplicate hash field in key 'h'/);
  });
});

describe("function libraries in RDB files", () => {
  const codes = [
    Buffer.from("#!lua name=short\nredis.register_function('f', function() return 1 end)"),
    // Long and repetitive: written LZF-compressed.
    Buffer.from(
      `#!lua name=long\n${"-- padding line of a library\n".repeat(40)}redis.register_function('g', function() return 2 end)`,
    ),
  ];

  function saveWithFunctions(keyspace: Keyspace, compression = true): Buffer {
    const sink = new MemorySink();
    // A fixed ctime: the current time's int-encoded bytes can hold 245 or 254 and fool the search below.
    saveRdb(keyspace, sink, { compression, functionLibraries: codes, now: Date.UTC(2020, 0, 1) });
    return Buffer.from(sink.contents());
  }

  it("writes FUNCTION2 records after the aux fields and hands the codes back, in order, before the keys", () => {
    for (const compression of [true, false]) {
      const original = new Keyspace();
      original.db(0).add("k", RedisString.fromBytes(Buffer.from("v")));
      const file = saveWithFunctions(original, compression);
      // The first record after the aux fields: opcode 245, before SELECTDB (254).
      const at = file.indexOf(245);
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(file.indexOf(254));
      expect(file.includes(codes[1]!)).toBe(!compression);
      const copy = new Keyspace();
      let received: readonly Buffer[] = [];
      let keysWhenCalled = -1;
      const result = loadRdb(new MemorySource(file), copy, {
        restoreFunctions: (loaded) => {
          received = loaded;
          keysWhenCalled = copy.totalKeys;
          return null;
        },
      });
      expect(received.map((c) => c.toString())).toEqual(codes.map((c) => c.toString()));
      expect(result.functionLibraries).toEqual(codes);
      expect(keysWhenCalled).toBe(0);
      expect(copy.totalKeys).toBe(1);
    }
  });

  it("a file without libraries hands over an empty list (the server's libraries are replaced by none)", () => {
    const keyspace = new Keyspace();
    let received: readonly Buffer[] | null = null;
    loadRdb(new MemorySource(save(keyspace)), new Keyspace(), {
      restoreFunctions: (loaded) => {
        received = loaded;
        return null;
      },
    });
    expect(received).toEqual([]);
  });

  it("a refusal from restoreFunctions fails the load and leaves the keyspace as it was", () => {
    const original = new Keyspace();
    original.db(0).add("from-file", RedisString.fromBytes(Buffer.from("v")));
    const target = new Keyspace();
    target.db(0).add("already-here", RedisString.fromBytes(Buffer.from("x")));
    expect(() =>
      loadRdb(new MemorySource(saveWithFunctions(original)), target, {
        restoreFunctions: () => "ERR Error compiling function",
      }),
    ).toThrow(/function libraries: ERR Error compiling function/);
    expect(target.db(0).peekEntry("already-here")).toBeDefined();
    expect(target.db(0).peekEntry("from-file")).toBeUndefined();
  });

  it("a dry run collects the codes without calling restoreFunctions", () => {
    let called = false;
    const result = loadRdb(new MemorySource(saveWithFunctions(new Keyspace())), new Keyspace(), {
      dryRun: true,
      restoreFunctions: () => {
        called = true;
        return null;
      },
    });
    expect(called).toBe(false);
    expect(result.functionLibraries.length).toBe(2);
  });
});
