/*
 * HyperLogLog commands (Redis' hyperloglog.c, command side): PFADD PFCOUNT
 * PFMERGE PFDEBUG PFSELFTEST.
 *
 * A HyperLogLog is a string value (TYPE string, OBJECT ENCODING raw) holding
 * Redis' exact bytes; the representation lives in ../hll/hll.ts and is edited
 * in place through RedisString.resize() / replaceBytes(). A string that is not
 * a valid HLL (too short, no "HYLL" magic, unknown encoding, a dense value of
 * the wrong size, or an int-encoded string) answers
 * "WRONGTYPE Key is not a valid HyperLogLog string value."; opcodes that do
 * not add up to 16384 registers are found while reading and answer
 * "INVALIDOBJ Corrupted HLL object detected".
 *
 * As in Redis 7.0: PFADD and PFMERGE raise "pfadd"; PFCOUNT of one key that
 * recomputes a stale cached cardinality writes it back into the header, which
 * counts as a change (WATCH sees it, the command is propagated) but raises no
 * event; PFDEBUG's conversions to dense count as a change without touching
 * WATCH. Every command that opens an HLL for writing (PFADD, PFCOUNT of one
 * key, PFMERGE's target, PFDEBUG) leaves the string "raw", as
 * dbUnshareStringValue does.
 */

import {
  type Database,
  EventClass,
  type RedisString,
  type RedisValue,
  RedisString as Str,
} from "@spinel/core-db";
import { argString } from "../args.js";
import type { ClientSession } from "../client-session.js";
import { type CommandSpec, FIRST_KEY } from "../command-spec.js";
import { Err } from "../errors.js";
import {
  cardinalityReply,
  countRegisters,
  createHll,
  decodeSparse,
  denseGet,
  denseSet,
  HLL_DENSE,
  HLL_HDR_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  hasValidCache,
  hllAdd,
  hllCount,
  invalidateCache,
  isValidHllHeader,
  mergeInto,
  readCachedCardinality,
  sparseSet,
  sparseToDense,
  writeCachedCardinality,
} from "../hll/hll.js";
import { runHllSelfTest } from "../hll/hll-self-test.js";

const INVALID_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
const CORRUPTED_HLL = "INVALIDOBJ Corrupted HLL object detected";

/** The union registers of PFCOUNT (several keys) and PFMERGE (one scratch: commands run one at a time). */
const unionRegisters = new Uint8Array(HLL_REGISTERS);

// ---------------------------------------------------------------- lookup

/**
 * Redis' isHLLObjectOrReply: `value` as a HyperLogLog string, or null after
 * replying WRONGTYPE (another type, or a string that is not a valid HLL).
 */
function hllOrReply(c: ClientSession, value: RedisValue): RedisString | null {
  if (value.type !== "string") {
    c.reply.error(Err.wrongType);
    return null;
  }
  if (value.isInteger || !isValidHllHeader(value.toBuffer())) {
    c.reply.error(INVALID_HLL);
    return null;
  }
  return value;
}

/** Make the string raw and privately owned before an in-place edit (Redis' dbUnshareStringValue). */
function unshare(hll: RedisString): void {
  if (hll.encoding !== "raw") hll.resize(hll.length);
}

// ---------------------------------------------------------------- PFADD

/**
 * PFADD key [element ...]: add the elements, creating an empty sparse HLL
 * when the key is missing. Replies 1 when a register changed (or the key was
 * created), else 0.
 */
function pfaddCommand(c: ClientSession): void {
  const argv = c.argv;
  const db = c.db;
  const key = argString(argv[1]!);
  const existing = db.lookupWrite(key);
  let hll: RedisString;
  let updated = 0;
  if (existing === undefined) {
    hll = Str.fromOwnedBytes(createHll(), true);
    db.add(key, hll);
    updated++;
  } else {
    const checked = hllOrReply(c, existing);
    if (checked === null) return;
    hll = checked;
    unshare(hll);
  }
  const sparseMaxBytes = c.server.settings.hllSparseMaxBytes;
  for (let j = 2; j < argv.length; j++) {
    const result = hllAdd(hll, argv[j]!, sparseMaxBytes);
    if (result === 1) updated++;
    else if (result === -1) {
      c.reply.error(CORRUPTED_HLL);
      return;
    }
  }
  if (updated > 0) {
    invalidateCache(hll.toBuffer());
    db.touched(key, "pfadd", EventClass.String, updated);
  }
  c.reply.integer(updated > 0 ? 1 : 0);
}

// ---------------------------------------------------------------- PFCOUNT

/**
 * PFCOUNT key [key ...]: the estimated cardinality of one HLL (served from
 * its cached value when valid, else computed and cached), or of the union of
 * several (missing keys count as empty; nothing is cached).
 */
function pfcountCommand(c: ClientSession): void {
  const argv = c.argv;
  const db = c.db;
  if (argv.length > 2) {
    const max = unionRegisters;
    max.fill(0);
    for (let j = 1; j < argv.length; j++) {
      const value = db.lookupRead(argString(argv[j]!));
      if (value === undefined) continue;
      const hll = hllOrReply(c, value);
      if (hll === null) return;
      if (!mergeInto(max, hll.toBuffer())) {
        c.reply.error(CORRUPTED_HLL);
        return;
      }
    }
    c.reply.integer(cardinalityReply(countRegisters(max)));
    return;
  }
  const key = argString(argv[1]!);
  const value = db.lookupWrite(key);
  if (value === undefined) {
    c.reply.integer(0);
    return;
  }
  const hll = hllOrReply(c, value);
  if (hll === null) return;
  unshare(hll);
  const bytes = hll.toBuffer();
  if (hasValidCache(bytes)) {
    c.reply.integer(readCachedCardinality(bytes));
    return;
  }
  const cardinality = hllCount(bytes);
  if (cardinality === null) {
    c.reply.error(CORRUPTED_HLL);
    return;
  }
  writeCachedCardinality(bytes, cardinality);
  // The cache lives in the value's bytes: a change for WATCH and replication, but no event.
  db.touched(key, "", EventClass.String);
  c.reply.integer(cardinalityReply(cardinality));
}

// ---------------------------------------------------------------- PFMERGE

/**
 * PFMERGE destkey [sourcekey ...]: store in destkey the union of all the
 * HLLs named (destkey included). The target turns dense when any input is
 * dense; otherwise the registers are set one by one through the sparse edit,
 * which promotes it when it outgrows hll-sparse-max-bytes. Raises "pfadd".
 */
function pfmergeCommand(c: ClientSession): void {
  const argv = c.argv;
  const db = c.db;
  const max = unionRegisters;
  max.fill(0);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const value = db.lookupRead(argString(argv[j]!));
    if (value === undefined) continue;
    const hll = hllOrReply(c, value);
    if (hll === null) return;
    const bytes = hll.toBuffer();
    if (bytes[4] === HLL_DENSE) useDense = true;
    if (!mergeInto(max, bytes)) {
      c.reply.error(CORRUPTED_HLL);
      return;
    }
  }
  const key = argString(argv[1]!);
  let target = db.lookupWrite(key) as RedisString | undefined;
  if (target === undefined) {
    target = Str.fromOwnedBytes(createHll(), true);
    db.add(key, target);
  } else {
    unshare(target);
  }
  if (useDense && !sparseToDense(target)) {
    c.reply.error(CORRUPTED_HLL);
    return;
  }
  const sparseMaxBytes = c.server.settings.hllSparseMaxBytes;
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const value = max[j]!;
    if (value === 0) continue;
    if (target.toBuffer()[4] === HLL_DENSE) denseSet(target.toBuffer(), j, value);
    else sparseSet(target, j, value, sparseMaxBytes);
  }
  invalidateCache(target.toBuffer());
  db.touched(key, "pfadd", EventClass.String);
  c.reply.ok();
}

// ---------------------------------------------------------------- PFDEBUG, PFSELFTEST

/**
 * PFDEBUG <GETREG | DECODE | ENCODING | TODENSE> key: the registers (turning
 * a sparse value dense), the sparse opcodes as text, the encoding name, or a
 * conversion to dense (1 when it converted). Conversions count as a change.
 */
function pfdebugCommand(c: ClientSession): void {
  const argv = c.argv;
  const db = c.db;
  const key = argString(argv[2]!);
  const value = db.lookupWrite(key);
  if (value === undefined) {
    c.reply.error("ERR The specified key does not exist");
    return;
  }
  const hll = hllOrReply(c, value);
  if (hll === null) return;
  unshare(hll);
  const sub = argString(argv[1]!);
  switch (sub.toLowerCase()) {
    case "getreg":
      if (!convertForDebug(db, hll)) {
        c.reply.error(CORRUPTED_HLL);
        return;
      }
      writeRegisters(c, hll.toBuffer());
      return;
    case "decode": {
      const bytes = hll.toBuffer();
      if (bytes[4] !== HLL_SPARSE) {
        c.reply.error("ERR HLL encoding is not sparse");
        return;
      }
      c.reply.bulkString(decodeSparse(bytes));
      return;
    }
    case "encoding":
      c.reply.simple(hll.toBuffer()[4] === HLL_DENSE ? "dense" : "sparse");
      return;
    case "todense": {
      const wasSparse = hll.toBuffer()[4] === HLL_SPARSE;
      if (!convertForDebug(db, hll)) {
        c.reply.error(CORRUPTED_HLL);
        return;
      }
      c.reply.integer(wasSparse ? 1 : 0);
      return;
    }
    default:
      c.reply.error(`ERR Unknown PFDEBUG subcommand '${sub}'`);
  }
}

/**
 * Turn a sparse HLL dense for PFDEBUG, counting a change (so the command is
 * propagated) without notifying anyone, as Redis does. False when corrupted.
 */
function convertForDebug(db: Database, hll: RedisString): boolean {
  if (hll.toBuffer()[4] !== HLL_SPARSE) return true;
  if (!sparseToDense(hll)) return false;
  db.keyspace.dirty++;
  return true;
}

/** PFDEBUG GETREG's reply: the 16384 registers of a dense value as integers. */
function writeRegisters(c: ClientSession, bytes: Buffer): void {
  const reply = c.reply;
  reply.arrayLen(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) reply.integer(denseGet(bytes, HLL_HDR_SIZE, i));
}

/** PFSELFTEST: check the representation's invariants; +OK, or the failure. */
function pfselftestCommand(c: ClientSession): void {
  const failure = runHllSelfTest();
  if (failure === null) c.reply.ok();
  else c.reply.error(`ERR TESTFAILED ${failure}`);
}

// ---------------------------------------------------------------- specs

/** The HyperLogLog command group. */
export const hyperloglogCommands: readonly CommandSpec[] = [
  {
    name: "pfadd",
    arity: -2,
    flags: ["write", "denyoom", "fast"],
    keys: FIRST_KEY,
    acl: ["@hyperloglog"],
    group: "hyperloglog",
    summary: "Add elements to a HyperLogLog",
    since: "2.8.9",
    complexity: "O(1) per element.",
    handler: pfaddCommand,
  },
  {
    name: "pfcount",
    arity: -2,
    flags: ["readonly"],
    keys: { first: 1, last: -1, step: 1 },
    acl: ["@hyperloglog"],
    group: "hyperloglog",
    summary: "Estimated count of distinct elements of HyperLogLogs",
    since: "2.8.9",
    complexity: "O(1) for one key; O(N) merging N keys.",
    handler: pfcountCommand,
  },
  {
    name: "pfmerge",
    arity: -2,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: -1, step: 1 },
    acl: ["@hyperloglog"],
    group: "hyperloglog",
    summary: "Merge HyperLogLogs into one",
    since: "2.8.9",
    complexity: "O(N), N = sources.",
    handler: pfmergeCommand,
  },
  {
    name: "pfdebug",
    arity: 3,
    flags: ["write", "denyoom", "admin"],
    keys: { first: 2, last: 2, step: 1 },
    acl: ["@hyperloglog"],
    group: "hyperloglog",
    summary: "Inspect a HyperLogLog's internals",
    since: "2.8.9",
    complexity: "N/A",
    handler: pfdebugCommand,
  },
  {
    name: "pfselftest",
    arity: 1,
    flags: ["admin"],
    acl: ["@hyperloglog"],
    group: "hyperloglog",
    summary: "Self-test of the HyperLogLog code",
    since: "2.8.9",
    complexity: "N/A",
    handler: pfselftestCommand,
  },
];
