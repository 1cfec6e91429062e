/*
 * MEMORY (Redis' object.c): USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP.
 *
 * Node does not expose per-object allocation sizes, so MEMORY USAGE is an
 * estimate built the way Redis adds up a key: the key's string, the value
 * object and its payload rounded up to jemalloc's size classes, plus the hash
 * table entry. For strings it matches Redis' figure; for collections it scales
 * with the number of elements.
 */

import type { RedisValue } from "@spinel/core-db";
import { argIs, argString, parseInt64 } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import { writeHelp } from "./client.js";

// ---------------------------------------------------------------- estimates

/** jemalloc's small size classes (bytes), up to which allocations are rounded. */
const SIZE_CLASSES = [8, 16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512];

/** The size jemalloc really reserves for an allocation of `bytes`. */
function allocationSize(bytes: number): number {
  for (const size of SIZE_CLASSES) if (bytes <= size) return size;
  if (bytes <= 4096) return Math.ceil(bytes / 128) * 128;
  return Math.ceil(bytes / 4096) * 4096;
}

/** An sds string of `length` bytes: header, payload and terminator. */
function sdsSize(length: number): number {
  const header = length < 256 ? 3 : length < 65536 ? 5 : 9;
  return allocationSize(header + length + 1);
}

const OBJECT_HEADER = 16;
const DICT_ENTRY = 24;
/** Redis keeps strings of up to 44 bytes in one allocation with their object header. */
const EMBSTR_LIMIT = 44;

/** Number of elements of a collection (1 for a string). */
function elementCount(value: RedisValue): number {
  if (value.type === "string") return 1;
  const sized = value as unknown as { length?: unknown; size?: unknown };
  if (typeof sized.length === "number") return sized.length;
  if (typeof sized.size === "number") return sized.size;
  return 0;
}

/** Estimated bytes of a value, Redis' objectComputeSize. */
function valueSize(value: RedisValue): number {
  if (value.type === "string") {
    if (value.isInteger) return OBJECT_HEADER;
    const length = value.length;
    if (length <= EMBSTR_LIMIT) return allocationSize(OBJECT_HEADER + 3 + length + 1);
    return OBJECT_HEADER + sdsSize(length);
  }
  const count = elementCount(value);
  const compact = /listpack|intset|ziplist/.test(value.encoding);
  // Compact encodings pack elements in one buffer; the others pay a node per element.
  return OBJECT_HEADER + (compact ? allocationSize(16 + count * 12) : 64 + count * 72);
}

/** MEMORY USAGE's figure for `key` holding `value`. */
export function estimateKeyUsage(key: string, value: RedisValue): number {
  return valueSize(value) + sdsSize(key.length) + DICT_ENTRY;
}

// ---------------------------------------------------------------- handlers

/** MEMORY USAGE key [SAMPLES count] */
function memoryUsageCommand(c: ClientSession): void {
  const argv = c.argv;
  for (let i = 3; i < argv.length; i++) {
    if (argIs(argv[i]!, "samples") && i + 1 < argv.length) {
      const samples = parseInt64(argv[i + 1]!);
      if (samples === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      if (samples < 0n) {
        c.reply.error(Err.syntax);
        return;
      }
      i++;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }
  const key = argString(argv[2]!);
  const entry = c.db.peekEntry(key);
  if (entry === undefined) {
    c.reply.nullBulk();
    return;
  }
  c.reply.integer(estimateKeyUsage(key, entry.value));
}

/** MEMORY STATS: Redis' map of memory figures, filled from the process. */
function memoryStatsCommand(c: ClientSession): void {
  const usage = process.memoryUsage();
  const used = usage.heapUsed + usage.external;
  const keyspace = c.server.keyspace;
  const databases = keyspace.databases.filter((db) => db.size > 0);
  const keys = keyspace.totalKeys;
  const clients = [...c.server.clients.values()].reduce(
    (total, client) =>
      total + (client.connection?.queryBufferBytes ?? 0) + (client.connection?.outputBufferBytes ?? 0),
    0,
  );
  const reply = c.reply;
  reply.mapLen(27 + databases.length);
  const integer = (name: string, value: number) => {
    reply.bulkString(name);
    reply.integer(Math.round(value));
  };
  const ratio = (name: string, value: number) => {
    reply.bulkString(name);
    reply.double(value);
  };
  integer("peak.allocated", used);
  integer("total.allocated", used);
  integer("startup.allocated", 0);
  integer("replication.backlog", 0);
  integer("clients.slaves", 0);
  integer("clients.normal", clients);
  integer("cluster.links", 0);
  integer("aof.buffer", 0);
  integer("lua.caches", 0);
  integer("functions.caches", 0);
  for (const db of databases) {
    reply.bulkString(`db.${db.id}`);
    reply.mapLen(3);
    integer("overhead.hashtable.main", db.size * DICT_ENTRY);
    integer("overhead.hashtable.expires", db.volatileCount * DICT_ENTRY);
    integer("overhead.hashtable.slot-to-keys", 0);
  }
  integer("overhead.total", clients);
  integer("keys.count", keys);
  integer("keys.bytes-per-key", keys > 0 ? used / keys : 0);
  integer("dataset.bytes", used);
  ratio("dataset.percentage", 100);
  ratio("peak.percentage", 100);
  integer("allocator.allocated", used);
  integer("allocator.active", usage.heapTotal + usage.external);
  integer("allocator.resident", usage.rss);
  ratio("allocator-fragmentation.ratio", 1);
  integer("allocator-fragmentation.bytes", 0);
  ratio("allocator-rss.ratio", used > 0 ? usage.rss / used : 0);
  integer("allocator-rss.bytes", usage.rss - used);
  ratio("rss-overhead.ratio", 1);
  integer("rss-overhead.bytes", 0);
  ratio("fragmentation", used > 0 ? usage.rss / used : 0);
  integer("fragmentation.bytes", usage.rss - used);
}

const EMPTY_DOCTOR_REPORT =
  "Spinel memory doctor: the dataset is empty or too small for a useful diagnosis. Add some data and ask again.\n";
const HEALTHY_DOCTOR_REPORT =
  "Spinel memory doctor: no memory problem found. Only figures this server measures were checked.\n";

/** MEMORY DOCTOR */
function memoryDoctorCommand(c: ClientSession): void {
  const empty = c.server.keyspace.totalKeys === 0;
  c.reply.verbatim(empty ? EMPTY_DOCTOR_REPORT : HEALTHY_DOCTOR_REPORT);
}

/** MEMORY MALLOC-STATS: V8's heap figures stand in for the allocator's report. */
function memoryMallocStatsCommand(c: ClientSession): void {
  const usage = process.memoryUsage();
  const lines = Object.entries(usage).map(([name, value]) => `${name}: ${value}`);
  c.reply.verbatim(`___ Begin V8 heap statistics ___\n${lines.join("\n")}\n--- End V8 heap statistics ---\n`);
}

const MEMORY_HELP = [
  "MEMORY <subcommand> [<arg> ...], where <subcommand> is one of:",
  "DOCTOR",
  "    Advice on the server's memory use.",
  "MALLOC-STATS",
  "    The memory figures of the runtime.",
  "PURGE",
  "    Give unused memory back to the system where possible.",
  "STATS",
  "    A map of where the server's memory goes.",
  "USAGE <key> [SAMPLES <count>]",
  "    Estimated bytes of <key> and its value; nested values are estimated",
  "    from <count> samples (5 by default, 0 for all).",
  "HELP",
  "    This list.",
];

/** MEMORY: the container and its subcommands. */
export const memoryCommand: CommandSpec = {
  name: "memory",
  arity: -2,
  flags: [],
  group: "server",
  summary: "Memory figures and advice",
  since: "4.0.0",
  complexity: "Per subcommand.",
  handler: () => {},
  subcommands: [
    {
      name: "usage",
      arity: -3,
      flags: ["readonly"],
      keys: { first: 2, last: 2, step: 1 },
      group: "server",
      summary: "Estimated bytes a key takes",
      since: "4.0.0",
      complexity: "O(N), N = sampled elements.",
      handler: memoryUsageCommand,
    },
    {
      name: "stats",
      arity: 2,
      flags: [],
      group: "server",
      summary: "Where the server's memory goes",
      since: "4.0.0",
      complexity: "O(1)",
      handler: memoryStatsCommand,
    },
    {
      name: "doctor",
      arity: 2,
      flags: [],
      group: "server",
      summary: "Advice on the server's memory use",
      since: "4.0.0",
      complexity: "O(1)",
      handler: memoryDoctorCommand,
    },
    {
      name: "malloc-stats",
      arity: 2,
      flags: [],
      group: "server",
      summary: "The allocator's own statistics",
      since: "4.0.0",
      complexity: "Grows with allocated memory.",
      handler: memoryMallocStatsCommand,
    },
    {
      name: "purge",
      arity: 2,
      flags: [],
      group: "server",
      summary: "Return unused memory to the system",
      since: "4.0.0",
      complexity: "Grows with allocated memory.",
      handler: (c) => c.reply.ok(),
    },
    {
      name: "help",
      arity: 2,
      flags: ["loading", "stale"],
      group: "server",
      summary: "List the subcommands with one line on each",
      since: "4.0.0",
      complexity: "O(1)",
      handler: (c) => writeHelp(c, MEMORY_HELP),
    },
  ],
};
