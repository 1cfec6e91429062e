/*
 * Differential cases: HyperLogLog. PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST
 * on redis-server 7.0 and Spinel: replies, error texts, and the exact bytes
 * of the values (GET after every kind of edit: sparse opcode splits and
 * merges, the cached cardinality in the header, promotion to dense at 32 and
 * at hll-sparse-max-bytes), values written with SET and then read as HLLs,
 * and corrupted or foreign values.
 *
 * Every reply is compared exactly. Cases that change hll-sparse-max-bytes
 * restore the default before they end.
 */
import type { Arg, DiffCase, Step } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** `count` distinct elements "<prefix>0", "<prefix>1" ... */
const elements = (prefix: string, count: number, from = 0): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);

/** PFADD of many elements in one command. */
const pfadd = (key: string, values: string[]): Step => ["PFADD", key, ...values];

/** An HLL header: "HYLL", encoding, three unused bytes, cached cardinality (little-endian). */
function header(encoding: number, card = 0, stale = false): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.write("HYLL", 0, "latin1");
  bytes[4] = encoding;
  bytes.writeUInt32LE(card, 8);
  if (stale) bytes[15] = 0x80;
  return bytes;
}

/** A sparse value from opcode bytes. */
const sparse = (opcodes: number[], card = 0, stale = true): Buffer =>
  Buffer.concat([header(1, card, stale), Buffer.from(opcodes)]);

/** XZERO opcode bytes for a run of `length` zero registers (1..16384). */
const xzero = (length: number): number[] => [0x40 | ((length - 1) >> 8), (length - 1) & 0xff];
/** ZERO opcode for 1..64 registers. */
const zero = (length: number): number => length - 1;
/** VAL opcode: `length` (1..4) registers of `value` (1..32). */
const val = (value: number, length: number): number => 0x80 | ((value - 1) << 2) | (length - 1);

/** A dense value whose registers are all `value`. */
function dense(value: number, stale = true): Buffer {
  const registers = Buffer.alloc(12288);
  for (let i = 0; i < 16384; i++) {
    const bit = i * 6;
    for (let b = 0; b < 6; b++) {
      if ((value >> b) & 1) registers[(bit + b) >> 3] = registers[(bit + b) >> 3]! | (1 << ((bit + b) & 7));
    }
  }
  return Buffer.concat([header(0, 0, stale), registers]);
}

const binary: Arg[] = [
  Buffer.from([0x00]),
  Buffer.from([0xff, 0xfe, 0x0d, 0x0a]),
  Buffer.alloc(0),
  Buffer.from("a\x00b", "latin1"),
];

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- PFADD
  {
    name: "PFADD creates a sparse HLL string with Redis' bytes",
    steps: [
      ["PFADD", "@h", "a"],
      ["GET", "@h"],
      ["TYPE", "@h"],
      ["STRLEN", "@h"],
      ["OBJECT", "ENCODING", "@h"],
    ],
  },
  {
    name: "PFADD without elements creates an empty HLL and replies 1",
    steps: [
      ["PFADD", "@h"],
      ["GET", "@h"],
      ["PFADD", "@h"],
      ["PFCOUNT", "@h"],
      ["EXISTS", "@h"],
    ],
  },
  {
    name: "PFADD replies 0 when no register changes",
    steps: [
      ["PFADD", "@h", "a", "b", "c"],
      ["PFADD", "@h", "a"],
      ["PFADD", "@h", "b", "c"],
      ["GET", "@h"],
    ],
  },
  {
    name: "PFADD of a few elements splits XZERO runs exactly as Redis",
    steps: [
      ["PFADD", "@h", "foo"],
      ["GET", "@h"],
      ["PFADD", "@h", "bar"],
      ["GET", "@h"],
      ["PFADD", "@h", "zap", "zip", "zop"],
      ["GET", "@h"],
      ["PFDEBUG", "DECODE", "@h"],
    ],
  },
  {
    name: "PFADD of 100 elements: sparse bytes",
    steps: [pfadd("@h", elements("e", 100)), ["GET", "@h"], ["PFCOUNT", "@h"], ["PFDEBUG", "ENCODING", "@h"]],
  },
  {
    name: "PFADD of 100 elements one at a time gives the same bytes",
    steps: [
      ...elements("e", 100).map((e): Step => ["PFADD", "@h", e]),
      ["GET", "@h"],
      ["PFCOUNT", "@h"],
      ["GET", "@h"],
    ],
  },
  {
    name: "PFADD of 500 elements: VAL merges and the cache bytes",
    steps: [pfadd("@h", elements("x", 500)), ["GET", "@h"], ["PFCOUNT", "@h"], ["GET", "@h"]],
  },
  {
    name: "PFADD of 1000 elements stays sparse",
    steps: [pfadd("@h", elements("k", 1000)), ["PFDEBUG", "ENCODING", "@h"], ["STRLEN", "@h"], ["GET", "@h"]],
  },
  {
    name: "PFADD of 3000 elements promotes to dense at hll-sparse-max-bytes",
    steps: [
      pfadd("@h", elements("p", 1500)),
      ["PFDEBUG", "ENCODING", "@h"],
      ["STRLEN", "@h"],
      pfadd("@h", elements("p", 1500, 1500)),
      ["PFDEBUG", "ENCODING", "@h"],
      ["STRLEN", "@h"],
      ["GET", "@h"],
      ["PFCOUNT", "@h"],
    ],
  },
  {
    name: "PFADD of 20000 elements in batches",
    steps: [
      pfadd("@h", elements("b", 5000)),
      pfadd("@h", elements("b", 5000, 5000)),
      pfadd("@h", elements("b", 5000, 10000)),
      pfadd("@h", elements("b", 5000, 15000)),
      ["PFCOUNT", "@h"],
      ["GET", "@h"],
    ],
  },
  {
    name: "hll-sparse-max-bytes decides when the value turns dense",
    steps: [
      ["CONFIG", "SET", "hll-sparse-max-bytes", "30"],
      ["PFADD", "@h", "a", "b"],
      ["PFDEBUG", "ENCODING", "@h"],
      ["PFADD", "@h", "c", "d", "e", "f", "g"],
      ["PFDEBUG", "ENCODING", "@h"],
      ["STRLEN", "@h"],
      ["GET", "@h"],
      ["CONFIG", "SET", "hll-sparse-max-bytes", "3000"],
    ],
  },
  {
    name: "hll-sparse-max-bytes 0 turns the first add dense",
    steps: [
      ["CONFIG", "SET", "hll-sparse-max-bytes", "0"],
      ["PFADD", "@h"],
      ["PFDEBUG", "ENCODING", "@h"],
      ["PFADD", "@h", "a"],
      ["PFDEBUG", "ENCODING", "@h"],
      ["GET", "@h"],
      ["CONFIG", "SET", "hll-sparse-max-bytes", "3000"],
    ],
  },
  {
    name: "CONFIG GET hll-sparse-max-bytes",
    steps: [
      ["CONFIG", "GET", "hll-sparse-max-bytes"],
      ["CONFIG", "SET", "hll-sparse-max-bytes", "1kb"],
      ["CONFIG", "GET", "hll-sparse-max-bytes"],
      ["CONFIG", "SET", "hll-sparse-max-bytes", "-1"],
      ["CONFIG", "SET", "hll-sparse-max-bytes", "3000"],
    ],
  },
  {
    name: "PFADD of binary elements",
    steps: [
      ["PFADD", "@h", ...binary],
      ["GET", "@h"],
      ["PFCOUNT", "@h"],
    ],
  },
  {
    name: "PFADD of long elements (every tail length of the hash)",
    steps: [
      ["PFADD", "@h", ...Array.from({ length: 24 }, (_, i) => "z".repeat(i + 1))],
      ["GET", "@h"],
      ["PFCOUNT", "@h"],
    ],
  },
  {
    name: "PFADD on a key of another type",
    steps: [
      ["LPUSH", "@l", "a"],
      ["PFADD", "@l", "x"],
      ["PFCOUNT", "@l"],
      ["PFMERGE", "@l"],
    ],
  },
  {
    name: "PFADD on a plain string",
    steps: [
      ["SET", "@s", "hello world, not an HLL"],
      ["PFADD", "@s", "x"],
      ["PFCOUNT", "@s"],
      ["GET", "@s"],
    ],
  },
  {
    name: "PFADD on an integer string",
    steps: [
      ["SET", "@n", "12345"],
      ["PFADD", "@n", "x"],
      ["PFCOUNT", "@n"],
    ],
  },
  {
    name: "PFADD arity",
    steps: [["PFADD"], ["PFCOUNT"], ["PFMERGE"], ["PFDEBUG", "ENCODING"], ["PFSELFTEST", "x"]],
  },
  {
    name: "PFADD keeps the TTL",
    steps: [
      ["PFADD", "@h", "a"],
      ["EXPIRE", "@h", "100"],
      ["PFADD", "@h", "b"],
      ["TTL", "@h"],
    ],
  },
  {
    name: "PFADD leaves an embstr HLL raw",
    steps: [
      ["SET", "@h", sparse([...xzero(16384)], 0, false)],
      ["OBJECT", "ENCODING", "@h"],
      ["PFADD", "@h"],
      ["OBJECT", "ENCODING", "@h"],
      ["PFCOUNT", "@h"],
    ],
  },

  // ---------------------------------------------------------------- PFCOUNT
  {
    name: "PFCOUNT of a missing key",
    steps: [
      ["PFCOUNT", "@nokey"],
      ["EXISTS", "@nokey"],
    ],
  },
  {
    name: "PFCOUNT caches the cardinality in the header",
    steps: [
      ["PFADD", "@h", "a", "b", "c", "d"],
      ["GETRANGE", "@h", "0", "15"],
      ["PFCOUNT", "@h"],
      ["GETRANGE", "@h", "0", "15"],
      ["PFADD", "@h", "e"],
      ["GETRANGE", "@h", "0", "15"],
      ["PFCOUNT", "@h"],
      ["GETRANGE", "@h", "0", "15"],
    ],
  },
  {
    name: "PFCOUNT serves a valid cached value as is",
    steps: [
      ["SET", "@h", sparse([...xzero(16384)], 777, false)],
      ["PFCOUNT", "@h"],
      ["GET", "@h"],
    ],
  },
  {
    name: "PFCOUNT recomputes a stale cached value",
    steps: [
      ["SET", "@h", sparse([...xzero(16384)], 777, true)],
      ["PFCOUNT", "@h"],
      ["GET", "@h"],
    ],
  },
  {
    name: "PFCOUNT of several keys is the union's count",
    steps: [
      pfadd("@a", elements("u", 300)),
      pfadd("@b", elements("u", 300, 200)),
      ["PFCOUNT", "@a"],
      ["PFCOUNT", "@b"],
      ["PFCOUNT", "@a", "@b"],
      ["PFCOUNT", "@a", "@b", "@missing"],
      ["PFCOUNT", "@missing", "@other"],
      ["GET", "@a"],
    ],
  },
  {
    name: "PFCOUNT of several keys, one of another type",
    steps: [
      ["PFADD", "@a", "x"],
      ["SADD", "@s", "y"],
      ["PFCOUNT", "@a", "@s"],
      ["PFCOUNT", "@s", "@a"],
    ],
  },
  {
    name: "PFCOUNT of several keys, one not a valid HLL",
    steps: [
      ["PFADD", "@a", "x"],
      ["SET", "@s", "nope"],
      ["PFCOUNT", "@a", "@s"],
    ],
  },
  {
    name: "PFCOUNT of a dense and a sparse HLL together",
    steps: [
      pfadd("@d", elements("d", 4000)),
      pfadd("@s", elements("s", 50)),
      ["PFDEBUG", "ENCODING", "@d"],
      ["PFCOUNT", "@d", "@s"],
      ["PFCOUNT", "@s", "@d"],
    ],
  },
  {
    name: "PFCOUNT estimates at several sizes",
    steps: [
      pfadd("@h", elements("c", 10)),
      ["PFCOUNT", "@h"],
      pfadd("@h", elements("c", 90, 10)),
      ["PFCOUNT", "@h"],
      pfadd("@h", elements("c", 900, 100)),
      ["PFCOUNT", "@h"],
      pfadd("@h", elements("c", 9000, 1000)),
      ["PFCOUNT", "@h"],
    ],
  },
  {
    name: "PFCOUNT in RESP3",
    resp3: true,
    steps: [
      ["PFADD", "@h", "a", "b"],
      ["PFCOUNT", "@h"],
      ["PFCOUNT", "@h", "@x"],
      ["PFDEBUG", "ENCODING", "@h"],
    ],
  },
  {
    name: "PFCOUNT of a hand-made sparse value",
    steps: [
      ["SET", "@h", sparse([val(3, 4), ...xzero(16000), val(32, 4), zero(64), ...xzero(312)])],
      ["PFCOUNT", "@h"],
      ["PFDEBUG", "DECODE", "@h"],
      ["PFADD", "@h", "new"],
      ["GET", "@h"],
    ],
  },
  {
    name: "PFCOUNT of hand-made dense values",
    steps: [
      ["SET", "@a", dense(1)],
      ["PFCOUNT", "@a"],
      ["SET", "@b", dense(5)],
      ["PFCOUNT", "@b"],
      ["SET", "@c", dense(63)],
      ["PFCOUNT", "@c"],
      ["SET", "@z", dense(0)],
      ["PFCOUNT", "@z"],
      ["PFCOUNT", "@a", "@b", "@c"],
    ],
  },

  // ---------------------------------------------------------------- corrupted and foreign values
  {
    name: "a string too short for the header is not an HLL",
    steps: [
      ["SET", "@h", "HYLL"],
      ["PFADD", "@h", "a"],
      ["PFCOUNT", "@h"],
      ["PFDEBUG", "ENCODING", "@h"],
    ],
  },
  {
    name: "a wrong magic is not an HLL",
    steps: [
      ["SET", "@h", Buffer.concat([Buffer.from("HYLX"), sparse([...xzero(16384)]).subarray(4)])],
      ["PFADD", "@h", "a"],
      ["PFCOUNT", "@h"],
    ],
  },
  {
    name: "an unknown encoding byte is not an HLL",
    steps: [
      ["SET", "@h", Buffer.concat([header(2), Buffer.from(xzero(16384))])],
      ["PFADD", "@h", "a"],
      ["PFCOUNT", "@h"],
      ["PFMERGE", "@d", "@h"],
    ],
  },
  {
    name: "a dense value of the wrong size is not an HLL",
    steps: [
      ["SET", "@h", dense(1).subarray(0, 12303)],
      ["PFADD", "@h", "a"],
      ["PFCOUNT", "@h"],
      ["SET", "@g", Buffer.concat([dense(1), Buffer.from([0])])],
      ["PFCOUNT", "@g"],
    ],
  },
  {
    name: "sparse opcodes covering too few registers are a corrupted HLL",
    steps: [
      ["SET", "@h", sparse([...xzero(16000)])],
      ["PFCOUNT", "@h"],
      ["PFADD", "@h", "a"],
      ["PFMERGE", "@d", "@h"],
      ["EXISTS", "@d"],
      ["PFDEBUG", "GETREG", "@h"],
      ["PFDEBUG", "TODENSE", "@h"],
      ["PFDEBUG", "DECODE", "@h"],
    ],
  },
  {
    name: "sparse opcodes covering too many registers are a corrupted HLL",
    steps: [
      ["SET", "@h", sparse([...xzero(16384), val(2, 2)])],
      ["PFCOUNT", "@h"],
      ["PFCOUNT", "@h", "@h"],
      ["PFMERGE", "@d", "@h"],
      ["PFDEBUG", "TODENSE", "@h"],
    ],
  },
  {
    name: "a sparse value with a cached count is believed until it changes",
    steps: [
      ["SET", "@h", sparse([...xzero(100)], 5, false)],
      ["PFCOUNT", "@h"],
      ["PFCOUNT", "@h", "@other"],
    ],
  },
  {
    name: "a sparse header alone (no opcodes)",
    steps: [
      ["SET", "@h", header(1, 0, true)],
      ["PFCOUNT", "@h"],
      ["PFADD", "@h", "a"],
      ["PFDEBUG", "DECODE", "@h"],
    ],
  },
  {
    name: "a truncated XZERO opcode",
    steps: [
      ["SET", "@h", sparse([0x7f])],
      ["PFCOUNT", "@h"],
      ["PFADD", "@h", "a"],
    ],
  },

  // ---------------------------------------------------------------- PFMERGE
  {
    name: "PFMERGE of two sparse HLLs into a new key",
    steps: [
      pfadd("@a", elements("m", 50)),
      pfadd("@b", elements("m", 50, 25)),
      ["PFMERGE", "@d", "@a", "@b"],
      ["GET", "@d"],
      ["PFCOUNT", "@d"],
      ["PFDEBUG", "ENCODING", "@d"],
    ],
  },
  {
    name: "PFMERGE into an existing HLL includes it",
    steps: [
      pfadd("@a", elements("a", 30)),
      pfadd("@d", elements("d", 30)),
      ["PFMERGE", "@d", "@a"],
      ["GET", "@d"],
      ["PFCOUNT", "@d"],
    ],
  },
  {
    name: "PFMERGE with a dense source makes the target dense",
    steps: [
      pfadd("@a", elements("a", 4000)),
      pfadd("@b", elements("b", 10)),
      ["PFMERGE", "@d", "@b", "@a"],
      ["PFDEBUG", "ENCODING", "@d"],
      ["GET", "@d"],
      ["PFCOUNT", "@d"],
    ],
  },
  {
    name: "PFMERGE of sparse HLLs that outgrow the sparse limit",
    steps: [
      pfadd("@a", elements("a", 1200)),
      pfadd("@b", elements("b", 1200)),
      ["PFDEBUG", "ENCODING", "@a"],
      ["PFMERGE", "@d", "@a", "@b"],
      ["PFDEBUG", "ENCODING", "@d"],
      ["GET", "@d"],
    ],
  },
  {
    name: "PFMERGE of missing keys creates an empty HLL",
    steps: [
      ["PFMERGE", "@d", "@x", "@y"],
      ["GET", "@d"],
      ["PFMERGE", "@e"],
      ["GET", "@e"],
    ],
  },
  {
    name: "PFMERGE of a key with itself",
    steps: [pfadd("@a", elements("s", 20)), ["PFMERGE", "@a", "@a"], ["GET", "@a"], ["PFCOUNT", "@a"]],
  },
  {
    name: "PFMERGE with a source of another type",
    steps: [
      ["PFADD", "@a", "x"],
      ["RPUSH", "@l", "y"],
      ["PFMERGE", "@d", "@a", "@l"],
      ["EXISTS", "@d"],
    ],
  },
  {
    name: "PFMERGE into a target of another type",
    steps: [
      ["PFADD", "@a", "x"],
      ["RPUSH", "@l", "y"],
      ["PFMERGE", "@l", "@a"],
      ["TYPE", "@l"],
    ],
  },
  {
    name: "PFMERGE into an invalid string",
    steps: [
      ["PFADD", "@a", "x"],
      ["SET", "@s", "plain"],
      ["PFMERGE", "@s", "@a"],
      ["GET", "@s"],
    ],
  },
  {
    name: "PFMERGE of a hand-made sparse value with register 32",
    steps: [
      ["SET", "@a", sparse([val(32, 1), ...xzero(16383)])],
      ["PFMERGE", "@d", "@a"],
      ["GET", "@d"],
      ["PFCOUNT", "@d"],
    ],
  },
  {
    name: "PFMERGE keeps the target's TTL",
    steps: [
      ["PFADD", "@d", "x"],
      ["EXPIRE", "@d", "500"],
      ["PFADD", "@a", "y"],
      ["PFMERGE", "@d", "@a"],
      ["TTL", "@d"],
    ],
  },

  // ---------------------------------------------------------------- register values above 32
  {
    name: "a dense-only register value promotes a sparse HLL",
    steps: [
      ["SET", "@a", dense(40)],
      ["PFADD", "@b", "x"],
      ["PFMERGE", "@b", "@a"],
      ["PFDEBUG", "ENCODING", "@b"],
      ["PFCOUNT", "@b"],
      ["GET", "@b"],
    ],
  },

  // ---------------------------------------------------------------- PFDEBUG, PFSELFTEST
  {
    name: "PFDEBUG ENCODING, DECODE and GETREG of a sparse HLL",
    steps: [
      ["PFADD", "@h", "a", "b", "c"],
      ["PFDEBUG", "ENCODING", "@h"],
      ["PFDEBUG", "DECODE", "@h"],
      ["PFDEBUG", "GETREG", "@h"],
      ["PFDEBUG", "ENCODING", "@h"],
      ["GET", "@h"],
    ],
  },
  {
    name: "PFDEBUG TODENSE converts once",
    steps: [
      ["PFADD", "@h", "a", "b"],
      ["PFDEBUG", "TODENSE", "@h"],
      ["PFDEBUG", "TODENSE", "@h"],
      ["PFDEBUG", "ENCODING", "@h"],
      ["PFDEBUG", "DECODE", "@h"],
      ["STRLEN", "@h"],
      ["PFCOUNT", "@h"],
      ["GET", "@h"],
    ],
  },
  {
    name: "PFDEBUG subcommands are case-insensitive",
    steps: [
      ["PFADD", "@h", "a"],
      ["pfdebug", "encoding", "@h"],
      ["PFDEBUG", "Decode", "@h"],
    ],
  },
  {
    name: "PFDEBUG of a missing key, another type, an unknown subcommand",
    steps: [
      ["PFDEBUG", "ENCODING", "@missing"],
      ["PFDEBUG", "NOPE", "@missing"],
      ["SADD", "@s", "x"],
      ["PFDEBUG", "ENCODING", "@s"],
      ["PFADD", "@h", "x"],
      ["PFDEBUG", "NOPE", "@h"],
      ["PFDEBUG", "GETREG", "@h", "extra"],
    ],
  },
  {
    name: "PFSELFTEST",
    steps: [["PFSELFTEST"]],
  },
  {
    name: "HLL values survive COPY and RENAME",
    steps: [
      pfadd("@a", elements("r", 40)),
      ["COPY", "@a", "@b"],
      ["RENAME", "@a", "@c"],
      ["PFADD", "@b", "more"],
      ["PFCOUNT", "@b", "@c"],
      ["GET", "@c"],
    ],
  },
  {
    name: "APPEND to an HLL corrupts it the way Redis sees it",
    steps: [
      ["PFADD", "@h", "a"],
      ["APPEND", "@h", "\x80"],
      ["PFCOUNT", "@h"],
      ["PFADD", "@h", "b"],
    ],
  },
  {
    name: "SETRANGE over the magic makes it invalid",
    steps: [
      ["PFADD", "@h", "a"],
      ["SETRANGE", "@h", "0", "X"],
      ["PFADD", "@h", "b"],
      ["PFCOUNT", "@h"],
    ],
  },
  {
    name: "PFADD inside MULTI",
    steps: [["MULTI"], ["PFADD", "@h", "a"], ["PFCOUNT", "@h"], ["PFADD", "@h", "a"], ["EXEC"]],
  },
];

export const corpus: DiffCase[] = scopeKeys("hll", cases);
