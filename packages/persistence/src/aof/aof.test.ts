import {
  EncodingLimits,
  Keyspace,
  RedisHash,
  RedisList,
  RedisSet,
  RedisString,
  RedisZSet,
  ZAddOutcome,
} from "@spinel/core-db";
import { encodeCommand, RequestParser } from "@spinel/resp";
import { describe, expect, it } from "vitest";
import { type AppendHandle, MemoryBackend } from "../io/storage-backend.js";
import { AofLoadError, type AofReplayTarget, loadAof, readManifest, replayAofBytes } from "./aof-loader.js";
import { AppendOnlyFile } from "./append-only-file.js";
import { formatScore, writeAofBase } from "./base-writer.js";
import { checkAofBytes } from "./check-aof.js";
import { CommandBuffer } from "./command-buffer.js";
import { AofManifestError, formatManifest, parseManifest } from "./manifest.js";
import { rdbPreambleLoader } from "./rdb-base.js";

/** A replay target that records commands as text and keeps MULTI/EXEC like a client. */
class Recorder implements AofReplayTarget {
  readonly applied: string[] = [];
  private queue: string[] | null = null;
  execute(argv: Buffer[]): string | null {
    const text = argv.map((a) => a.toString("latin1")).join(" ");
    const name = argv[0]!.toString("latin1").toLowerCase();
    if (name === "nosuch") return "Unknown command 'nosuch'";
    if (name === "multi") this.queue = [];
    else if (name === "exec") {
      this.applied.push(...(this.queue ?? []));
      this.queue = null;
    } else if (this.queue !== null) this.queue.push(text);
    else this.applied.push(text);
    return null;
  }
  discardTransaction(): void {
    this.queue = null;
  }
}

const cmd = (...words: string[]) => encodeCommand(words);

function commandsOf(bytes: Buffer): string[] {
  const parser = new RequestParser();
  parser.feed(bytes);
  const out: string[] = [];
  for (let argv = parser.next(); argv !== null; argv = parser.next()) {
    out.push(argv.map((a) => a.toString("latin1")).join(" "));
  }
  return out;
}

describe("manifest", () => {
  it("formats and parses Redis' lines", () => {
    const manifest = {
      base: { name: "appendonly.aof.2.base.aof", seq: 2, type: "b" as const },
      history: [{ name: "appendonly.aof.1.base.rdb", seq: 1, type: "h" as const }],
      incr: [
        { name: "appendonly.aof.3.incr.aof", seq: 3, type: "i" as const },
        { name: "appendonly.aof.4.incr.aof", seq: 4, type: "i" as const },
      ],
    };
    const text = formatManifest(manifest);
    expect(text).toBe(
      "file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.base.rdb seq 1 type h\n" +
        "file appendonly.aof.3.incr.aof seq 3 type i\nfile appendonly.aof.4.incr.aof seq 4 type i\n",
    );
    expect(parseManifest(`# comment\n${text}`, "m")).toEqual(manifest);
    const quoted = { base: { name: "my file.aof", seq: 1, type: "b" as const }, history: [], incr: [] };
    expect(parseManifest(formatManifest(quoted), "m")).toEqual(quoted);
  });

  it.each([
    ["", "Found an empty AOF manifest"],
    ["file a seq 1\n", "Invalid AOF manifest file format"],
    ["file a seq x type b\n", "Invalid AOF manifest file format"],
    ["file a seq 1 type b\nfile b seq 2 type b\n", "Found duplicate base file information"],
    ["file a seq 2 type i\nfile b seq 2 type i\n", "Found a non-monotonic sequence number"],
    ["file ../a seq 1 type b\n", "File can't be a path, just a filename: ../a"],
    ["file a seq 1 type z\n", "Unknown AOF file type: z"],
    ["file a seq 1 type b", "The AOF manifest file is invalid format (no final newline)"],
  ])("refuses %j", (text, reason) => {
    expect(() => parseManifest(text, "appendonly.aof.manifest")).toThrow(
      new AofManifestError("appendonly.aof.manifest", reason),
    );
  });
});

describe("CommandBuffer", () => {
  it("encodes exactly what the RESP encoder does, across growth", () => {
    const buffer = new CommandBuffer(64);
    const expected: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const argv = [Buffer.from("SET"), Buffer.from(`key:${i}`), Buffer.alloc(i * 7, 120)];
      buffer.append(argv);
      expected.push(encodeCommand(argv));
    }
    expect(buffer.take().equals(Buffer.concat(expected))).toBe(true);
    expect(buffer.length).toBe(0);
  });
});

describe("replayAofBytes", () => {
  const file = Buffer.concat([
    cmd("SELECT", "0"),
    cmd("SET", "a", "1"),
    cmd("MULTI"),
    cmd("SET", "b", "2"),
    cmd("SET", "c", "3"),
    cmd("EXEC"),
    cmd("SET", "d", "4"),
  ]);

  it("loads a cut last file up to its last complete command, at every offset", () => {
    const ends: number[] = [];
    let pos = 0;
    for (const part of [
      cmd("SELECT", "0"),
      cmd("SET", "a", "1"),
      cmd("MULTI"),
      cmd("SET", "b", "2"),
      cmd("SET", "c", "3"),
      cmd("EXEC"),
      cmd("SET", "d", "4"),
    ]) {
      pos += part.length;
      ends.push(pos);
    }
    const multiStart = ends[1]!;
    for (let cut = 0; cut < file.length; cut++) {
      const target = new Recorder();
      const warnings: string[] = [];
      const replay = replayAofBytes(file.subarray(0, cut), "f.aof", target, {
        last: true,
        loadTruncated: true,
        warn: (m) => warnings.push(m),
      });
      const complete = ends.filter((end) => end <= cut).length;
      // Inside the transaction (MULTI read, EXEC not), everything back to MULTI is dropped.
      const inMulti = cut > multiStart && cut < ends[5]!;
      const valid = inMulti ? multiStart : complete === 0 ? 0 : ends[complete - 1]!;
      expect(replay.validBytes).toBe(valid);
      expect(replay.truncated).toBe(cut !== valid);
      expect(warnings.length).toBe(cut !== valid ? 1 : 0);
      expect(target.applied).not.toContain("SET b 2 ");
      if (inMulti) expect(target.applied).toEqual(["SELECT 0", "SET a 1"]);
      // Without aof-load-truncated, or in an earlier file, the same cut is an error naming the offset.
      if (cut !== valid) {
        expect(() =>
          replayAofBytes(file.subarray(0, cut), "f.aof", new Recorder(), {
            last: true,
            loadTruncated: false,
          }),
        ).toThrow(AofLoadError);
        try {
          replayAofBytes(file.subarray(0, cut), "f.aof", new Recorder(), {
            last: false,
            loadTruncated: true,
          });
        } catch (error) {
          expect((error as AofLoadError).offset).toBe(valid);
        }
      }
    }
  });

  it("stops at garbage in the middle with the file, the offset and the reason", () => {
    const bad = Buffer.concat([cmd("SET", "a", "1"), Buffer.from("xx"), cmd("SET", "b", "2")]);
    try {
      replayAofBytes(bad, "x.aof", new Recorder(), { last: true, loadTruncated: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AofLoadError);
      expect((error as AofLoadError).file).toBe("x.aof");
      expect((error as AofLoadError).offset).toBe(cmd("SET", "a", "1").length);
      expect((error as AofLoadError).message).toContain("Bad file format");
    }
    const badLength = Buffer.concat([cmd("SET", "a", "1"), Buffer.from("*2\r\n$x\r\n")]);
    expect(() =>
      replayAofBytes(badLength, "y.aof", new Recorder(), { last: true, loadTruncated: true }),
    ).toThrow(/y\.aof at offset 27: invalid bulk length/);
    expect(() =>
      replayAofBytes(cmd("NOSUCH", "1"), "z.aof", new Recorder(), { last: true, loadTruncated: true }),
    ).toThrow("Bad AOF file z.aof at offset 0: Unknown command 'nosuch' reading the append only file");
  });

  it("skips annotation lines (#TS:...), as redis-server 7.0 does", () => {
    const annotated = Buffer.concat([
      Buffer.from("#TS:1700000000\r\n"),
      cmd("SET", "a", "1"),
      Buffer.from("#TS:1700000001\r\n"),
      cmd("SET", "b", "2"),
    ]);
    const target = new Recorder();
    const replay = replayAofBytes(annotated, "t.aof", target, { last: true, loadTruncated: false });
    expect(target.applied).toEqual(["SET a 1", "SET b 2"]);
    expect(replay.commands).toBe(2);
    expect(replay.truncated).toBe(false);
  });

  it("flipped bytes are either refused or loaded whole, never half a command", () => {
    for (let i = 0; i < file.length; i++) {
      const damaged = Buffer.from(file);
      damaged[i] = damaged[i]! ^ 0x5a;
      const check = checkAofBytes(damaged, "f.aof");
      expect(check.okUpTo).toBeLessThan(damaged.length + 1);
      // Accepted only when the structure survived (the flip hit a payload byte).
      if (check.problem === null) expect(commandsOf(damaged)).toHaveLength(7);
      else expect(check.okUpTo).toBeLessThanOrEqual(i + 1);
    }
  });
});

/** A storage whose writes fail while `failing` is set (disk full). */
class FailingStorage extends MemoryBackend {
  failing = false;
  truncateFails = false;
  override open(name: string, truncate: boolean): AppendHandle {
    const inner = super.open(name, truncate);
    const self = this;
    return {
      get size() {
        return inner.size;
      },
      write(bytes: Uint8Array) {
        if (self.failing) {
          inner.write(bytes.subarray(0, 3));
          const error = new Error("ENOSPC: no space left on device, write") as NodeJS.ErrnoException;
          error.code = "ENOSPC";
          throw error;
        }
        inner.write(bytes);
      },
      sync: () => inner.sync(),
      syncInBackground: (done) => inner.syncInBackground(done),
      truncate: (size) => {
        if (self.truncateFails) throw new Error("EIO: i/o error, ftruncate");
        inner.truncate(size);
      },
      close: () => inner.close(),
    };
  }
}

function sampleKeyspace(): Keyspace {
  const keyspace = new Keyspace({ databases: 4, clock: { now: () => 1_000_000 } });
  const limits = new EncodingLimits();
  const db0 = keyspace.db(0);
  db0.set("s", RedisString.fromBytes(Buffer.from("v\r\nbinary\x00", "latin1")));
  db0.set("n", RedisString.fromInteger(42));
  db0.setExpire("n", 5_000_000);
  db0.set("gone", RedisString.fromInteger(1));
  db0.setExpire("gone", 10);
  const list = RedisList.create();
  for (let i = 0; i < 130; i++) list.push(Buffer.from(`e${i}`), 1);
  db0.set("l", list);
  const db2 = keyspace.db(2);
  const hash = new RedisHash();
  for (let i = 0; i < 70; i++) hash.set(`f${i}`, Buffer.from(`v${i}`), limits);
  db2.set("h", hash);
  const set = new RedisSet();
  for (let i = 0; i < 3; i++) set.add(`m${i}`, limits);
  db2.set("set", set);
  const zset = new RedisZSet();
  const outcome = new ZAddOutcome();
  zset.add("a", 1.5, 0, limits, outcome);
  zset.add("b", Number.POSITIVE_INFINITY, 0, limits, outcome);
  zset.add("c", -0.1, 0, limits, outcome);
  db2.set("z", zset);
  return keyspace;
}

describe("writeAofBase", () => {
  it("writes each live key as Redis' rewrite does (64 items per command, PEXPIREAT after)", () => {
    const chunks: Buffer[] = [];
    const total = writeAofBase(sampleKeyspace(), (chunk) => chunks.push(Buffer.from(chunk)));
    const bytes = Buffer.concat(chunks);
    expect(total).toBe(bytes.length);
    const commands = commandsOf(bytes);
    expect(commands[0]).toBe("SELECT 0");
    expect(commands).toContain("SET s v\r\nbinary\x00");
    expect(commands).toContain("SET n 42");
    expect(commands).toContain("PEXPIREAT n 5000000");
    expect(commands.some((c) => c.includes("gone"))).toBe(false);
    const rpush = commands.filter((c) => c.startsWith("RPUSH l "));
    expect(rpush.map((c) => c.split(" ").length - 2)).toEqual([64, 64, 2]);
    expect(commands).toContain("SELECT 2");
    expect(commands.filter((c) => c.startsWith("HMSET h ")).length).toBe(2);
    expect(commands).toContain("SADD set m0 m1 m2");
    expect(commands).toContain("ZADD z -0.1 c 1.5 a inf b");
    expect(formatScore(-0)).toBe("-0");
  });

  it("writes the function libraries first, one FUNCTION LOAD each, as redis-server 7.0 does", () => {
    const code = Buffer.from("#!lua name=lib\nredis.register_function('f', function() return 1 end)");
    const chunks: Buffer[] = [];
    writeAofBase(sampleKeyspace(), (chunk) => chunks.push(Buffer.from(chunk)), [code]);
    const bytes = Buffer.concat(chunks);
    const load = Buffer.concat([
      Buffer.from(`*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n$${code.length}\r\n`),
      code,
      Buffer.from("\r\n*2\r\n$6\r\nSELECT\r\n"),
    ]);
    expect(bytes.subarray(0, load.length).toString("latin1")).toBe(load.toString("latin1"));
  });
});

describe("AppendOnlyFile", () => {
  it("creates, appends with SELECT per file, rewrites, and loads back", () => {
    const storage = new MemoryBackend();
    const keyspace = sampleKeyspace();
    const aof = AppendOnlyFile.create({ storage, prefix: "appendonly.aof", fsync: "always" }, keyspace, null);
    expect(storage.read("appendonly.aof.manifest").toString()).toBe(
      "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
    );
    aof.selectedDb = 0;
    aof.append([Buffer.from("SET"), Buffer.from("x"), Buffer.from("1")]);
    expect(aof.pendingBytes).toBeGreaterThan(0);
    aof.flush();
    expect(aof.pendingBytes).toBe(0);
    expect(commandsOf(storage.read("appendonly.aof.1.incr.aof"))).toEqual(["SET x 1"]);
    expect(aof.currentSize).toBe(
      storage.size("appendonly.aof.1.base.aof") + storage.size("appendonly.aof.1.incr.aof"),
    );
    expect(aof.baseSize).toBe(storage.size("appendonly.aof.1.base.aof"));

    expect(aof.rewrite(keyspace)).toBe(true);
    expect(aof.selectedDb).toBe(-1);
    expect(storage.list().sort()).toEqual([
      "appendonly.aof.2.base.aof",
      "appendonly.aof.2.incr.aof",
      "appendonly.aof.manifest",
    ]);
    aof.append([Buffer.from("SELECT"), Buffer.from("1")]);
    aof.append([Buffer.from("SET"), Buffer.from("y"), Buffer.from("2")]);
    aof.close();

    const target = new Recorder();
    const result = loadAof(storage, "appendonly.aof", target, { loadTruncated: true });
    expect(result?.files.map((f) => f.file)).toEqual([
      "appendonly.aof.2.base.aof",
      "appendonly.aof.2.incr.aof",
    ]);
    expect(target.applied.slice(-2)).toEqual(["SELECT 1", "SET y 2"]);
    expect(target.applied).toContain("SET n 42");

    const resumed = AppendOnlyFile.resume(
      { storage, prefix: "appendonly.aof", fsync: "no" },
      readManifest(storage, "appendonly.aof")!,
    );
    expect(resumed.currentSize).toBe(aof.currentSize);
    resumed.append([Buffer.from("DEL"), Buffer.from("y")]);
    resumed.flush();
    expect(commandsOf(storage.read("appendonly.aof.2.incr.aof")).slice(-1)).toEqual(["DEL y"]);
  });

  it("refuses a missing manifest when AOF files are there, and a manifest naming a missing file", () => {
    const storage = new MemoryBackend();
    expect(readManifest(storage, "appendonly.aof")).toBeNull();
    storage.files.set("appendonly.aof.1.incr.aof", cmd("SET", "a", "1"));
    expect(() => readManifest(storage, "appendonly.aof")).toThrow(/manifest file is missing/);
    storage.files.set(
      "appendonly.aof.manifest",
      Buffer.from("file appendonly.aof.2.incr.aof seq 2 type i\n"),
    );
    expect(() => readManifest(storage, "appendonly.aof")).toThrow(
      "Bad AOF manifest appendonly.aof.manifest: The AOF file appendonly.aof.2.incr.aof doesn't exist",
    );
  });

  it("cuts a truncated last file back so appends continue cleanly", () => {
    const storage = new MemoryBackend();
    storage.files.set(
      "appendonly.aof.manifest",
      Buffer.from("file appendonly.aof.1.incr.aof seq 1 type i\n"),
    );
    storage.files.set(
      "appendonly.aof.1.incr.aof",
      Buffer.concat([cmd("SET", "a", "1"), cmd("SET", "b", "2").subarray(0, 9)]),
    );
    const target = new Recorder();
    loadAof(storage, "appendonly.aof", target, { loadTruncated: true });
    expect(storage.size("appendonly.aof.1.incr.aof")).toBe(cmd("SET", "a", "1").length);
  });

  it("keeps failed writes, reports them, and recovers when the disk has room again", () => {
    const storage = new FailingStorage();
    const warnings: string[] = [];
    const log = { info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const aof = AppendOnlyFile.create({ storage, prefix: "p", fsync: "everysec", log }, new Keyspace(), null);
    storage.failing = true;
    aof.append([Buffer.from("SET"), Buffer.from("a"), Buffer.from("1")]);
    aof.flush();
    expect(aof.lastWriteStatus).toBe("err");
    expect(aof.writeError).toBe("No space left on device");
    expect(storage.size("p.1.incr.aof")).toBe(0);
    aof.append([Buffer.from("SET"), Buffer.from("b"), Buffer.from("2")]);
    storage.failing = false;
    aof.flush();
    expect(aof.lastWriteStatus).toBe("ok");
    expect(commandsOf(storage.read("p.1.incr.aof"))).toEqual(["SET a 1", "SET b 2"]);
    expect(warnings).toEqual([
      "Error writing to the AOF file: No space left on device",
      "AOF write error looks solved, Spinel can write again.",
    ]);
  });

  it("keeps only the unwritten rest when a partial write cannot be undone", () => {
    const storage = new FailingStorage();
    const aof = AppendOnlyFile.create({ storage, prefix: "p", fsync: "no" }, new Keyspace(), null);
    storage.failing = true;
    storage.truncateFails = true;
    aof.append([Buffer.from("SET"), Buffer.from("a"), Buffer.from("1")]);
    aof.flush();
    expect(storage.size("p.1.incr.aof")).toBe(3);
    storage.failing = false;
    aof.append([Buffer.from("SET"), Buffer.from("b"), Buffer.from("2")]);
    aof.flush();
    expect(commandsOf(storage.read("p.1.incr.aof"))).toEqual(["SET a 1", "SET b 2"]);
  });

  it("stops the server on a write error with appendfsync always", () => {
    const storage = new FailingStorage();
    const fatal: string[] = [];
    const aof = AppendOnlyFile.create(
      { storage, prefix: "p", fsync: "always", onFatal: (m) => fatal.push(m) },
      new Keyspace(),
      null,
    );
    storage.failing = true;
    aof.append([Buffer.from("PING")]);
    aof.flush();
    expect(fatal[0]).toContain("Can't recover from AOF write error when the AOF fsync policy is 'always'");
  });

  it("auto-rewrite is due when the AOF grew by the percentage over the minimum size", () => {
    const storage = new MemoryBackend();
    const aof = AppendOnlyFile.create({ storage, prefix: "p", fsync: "no" }, sampleKeyspace(), null);
    const base = aof.rewriteBaseSize;
    expect(base).toBeGreaterThan(0);
    expect(aof.shouldAutoRewrite(100, 0)).toBe(false);
    while (aof.currentSize < base * 2) {
      aof.append([Buffer.from("SET"), Buffer.from("k"), Buffer.alloc(100, 97)]);
      aof.flush();
    }
    expect(aof.shouldAutoRewrite(100, 0)).toBe(true);
    expect(aof.shouldAutoRewrite(100, aof.currentSize + 1)).toBe(false);
    expect(aof.shouldAutoRewrite(0, 0)).toBe(false);
  });
});

describe("an RDB base (aof-use-rdb-preamble yes)", () => {
  it("is written as <prefix>.<seq>.base.rdb by the RDB writer and loaded through the RDB loader", () => {
    const storage = new MemoryBackend();
    const keyspace = sampleKeyspace();
    const aof = AppendOnlyFile.create(
      { storage, prefix: "appendonly.aof", fsync: "always", rdbPreamble: true },
      keyspace,
      null,
    );
    expect(storage.read("appendonly.aof.manifest").toString()).toBe(
      "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
    );
    const base = storage.read("appendonly.aof.1.base.rdb");
    expect(base.subarray(0, 9).toString("latin1")).toBe("REDIS0010");
    expect(base.includes(Buffer.from("aof-base"))).toBe(true);
    aof.selectedDb = 0;
    aof.append([Buffer.from("SET"), Buffer.from("x"), Buffer.from("1")]);
    aof.close();

    // Without an RDB loader the base is refused, naming the file.
    expect(() => loadAof(storage, "appendonly.aof", new Recorder(), { loadTruncated: true })).toThrow(
      /appendonly\.aof\.1\.base\.rdb at offset 0: The AOF base has an RDB preamble/,
    );

    const loaded = new Keyspace({ databases: 4, clock: { now: () => 1_000_000 } });
    const target = new Recorder();
    const result = loadAof(storage, "appendonly.aof", target, {
      loadTruncated: true,
      loadRdbPreamble: rdbPreambleLoader(loaded, { now: 1_000_000 }),
    });
    expect(result?.files.map((f) => [f.file, f.commands])).toEqual([
      ["appendonly.aof.1.base.rdb", 0],
      ["appendonly.aof.1.incr.aof", 1],
    ]);
    expect(target.applied).toEqual(["SET x 1"]);
    expect([...loaded.db(0).entries()].map((e) => e.key).sort()).toEqual(["l", "n", "s"]);
    expect(loaded.db(0).peekEntry("n")?.expireAt).toBe(5_000_000);
    expect([...loaded.db(2).entries()].map((e) => e.key).sort()).toEqual(["h", "set", "z"]);
  });

  it("a damaged RDB base stops the load with the file, the offset and the reason", () => {
    const storage = new MemoryBackend();
    AppendOnlyFile.create(
      { storage, prefix: "appendonly.aof", fsync: "no", rdbPreamble: true },
      sampleKeyspace(),
      null,
    ).close();
    const base = Buffer.from(storage.read("appendonly.aof.1.base.rdb"));
    base[base.length - 3] = base[base.length - 3]! ^ 0xff;
    const handle = storage.open("appendonly.aof.1.base.rdb", true);
    handle.write(base);
    handle.close();
    const loaded = new Keyspace({ databases: 4 });
    let error: unknown = null;
    try {
      loadAof(storage, "appendonly.aof", new Recorder(), {
        loadTruncated: true,
        loadRdbPreamble: rdbPreambleLoader(loaded, { now: 1_000_000 }),
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AofLoadError);
    expect((error as AofLoadError).file).toBe("appendonly.aof.1.base.rdb");
    expect((error as AofLoadError).reason).toMatch(/wrong RDB checksum/);
    expect(loaded.totalKeys).toBe(0);
  });
});

describe("a rewrite in slices (startRewrite / stepRewrite)", () => {
  it("switches to a new incremental file first, writes a point-in-time base, then switches the manifest", () => {
    const storage = new MemoryBackend();
    const keyspace = sampleKeyspace();
    for (let i = 0; i < 5000; i++) keyspace.db(1).set(`k${i}`, RedisString.fromInteger(i));
    const aof = AppendOnlyFile.create(
      { storage, prefix: "appendonly.aof", fsync: "no", rdbPreamble: true, rdbOptions: { sliceBytes: 4096 } },
      keyspace,
      null,
    );
    expect(aof.startRewrite(keyspace, true)).toBe(true);
    expect(aof.rewriteInProgress).toBe(true);
    expect(keyspace.snapshot).not.toBeNull();
    // A crash now loads the old base, the old incremental file and the new one.
    expect(storage.read("appendonly.aof.manifest").toString()).toBe(
      "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" +
        "file appendonly.aof.2.incr.aof seq 2 type i\n",
    );
    // Writes during the rewrite: the keyspace changes (the hook keeps the old
    // value for the base) and the command goes to the new incremental file.
    keyspace.db(1).set("k1", RedisString.fromInteger(-1));
    // The writer switched files: the stream (not driven here) would send a SELECT first.
    expect(aof.selectedDb).toBe(-1);
    aof.append([Buffer.from("SELECT"), Buffer.from("1")]);
    aof.append([Buffer.from("SET"), Buffer.from("k1"), Buffer.from("-1")]);
    aof.flush();
    let steps = 1;
    while (!aof.stepRewrite()) steps++;
    expect(steps).toBeGreaterThan(1);
    expect(aof.lastRewriteStatus).toBe("ok");
    expect(keyspace.snapshot).toBeNull();
    expect(storage.list().sort()).toEqual([
      "appendonly.aof.2.base.rdb",
      "appendonly.aof.2.incr.aof",
      "appendonly.aof.manifest",
    ]);
    expect(commandsOf(storage.read("appendonly.aof.2.incr.aof"))).toEqual(["SELECT 1", "SET k1 -1"]);
    aof.close();
    // The base holds k1 as it was at the start; the incremental file brings the change.
    const fromBase = new Keyspace({ databases: 4 });
    loadAof(storage, "appendonly.aof", new Recorder(), {
      loadTruncated: true,
      loadRdbPreamble: rdbPreambleLoader(fromBase, { now: 1_000_000 }),
    });
    expect(fromBase.db(1).size).toBe(5000);
    const k1 = fromBase.db(1).peekEntry("k1")!.value;
    expect(k1.type === "string" && k1.integerValue).toBe(1);
  });

  it("abortRewrite() keeps the AOF loadable with the new incremental file and removes the temp base", () => {
    const storage = new MemoryBackend();
    const keyspace = sampleKeyspace();
    const aof = AppendOnlyFile.create(
      { storage, prefix: "appendonly.aof", fsync: "no", rdbPreamble: true },
      keyspace,
      null,
    );
    expect(aof.startRewrite(keyspace, true)).toBe(true);
    aof.abortRewrite();
    expect(aof.rewriteInProgress).toBe(false);
    expect(keyspace.snapshot).toBeNull();
    expect(storage.list().sort()).toEqual([
      "appendonly.aof.1.base.rdb",
      "appendonly.aof.1.incr.aof",
      "appendonly.aof.2.incr.aof",
      "appendonly.aof.manifest",
    ]);
    aof.close();
    const manifest = readManifest(storage, "appendonly.aof")!;
    expect(manifest.incr.map((info) => info.name)).toEqual([
      "appendonly.aof.1.incr.aof",
      "appendonly.aof.2.incr.aof",
    ]);
  });
});
