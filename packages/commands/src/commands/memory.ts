/*
 * MEMORY (Redis' object.c): USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP.
 *
 * MEMORY USAGE reports what the keyspace accounts for a key by Spinel's cost
 * model (@spinel/core-db memory-model.ts, checked against the process' memory);
 * MEMORY STATS and DOCTOR use the same figures as INFO memory (memory-figures.ts).
 *
 * estimateKeyUsage() is Redis' own way of adding up a key (jemalloc size
 * classes): DEBUG OBJECT's serializedlength uses it as a stand-in.
 */

import v8 from "node:v8";
import { KEY_SLOT_BYTES, type RedisValue, VOLATILE_COLUMN_BYTES } from "@spinel/core-db";
import { argIs, argString, parseInt64 } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { Err } from "../errors.js";
import { memoryFigures } from "../memory-figures.js";
import { scriptingFigures } from "../scripting/scripting-figures.js";
import { writeHelp } from "./client.js";
import { bytesToHuman } from "./info.js";

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

/**
 * MEMORY USAGE key [SAMPLES count]: the bytes the key holds by Spinel's cost
 * model (its name, its table entry and its value, see @spinel/core-db's
 * memory-model.ts), as the keyspace accounts it. The figure is computed from
 * counters each value keeps, not sampled, so SAMPLES is validated and needs no
 * effect.
 */
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
  c.reply.integer(entry.accounted + KEY_SLOT_BYTES + (entry.volatileSlot !== -1 ? VOLATILE_COLUMN_BYTES : 0));
}

/** MEMORY STATS: Redis' map of memory figures, the same figures INFO memory shows. */
function memoryStatsCommand(c: ClientSession): void {
  const figures = memoryFigures(c.server);
  const reply = c.reply;
  reply.mapLen(27 + figures.databases.length);
  const integer = (name: string, value: number) => {
    reply.bulkString(name);
    reply.integer(Math.round(value));
  };
  const ratio = (name: string, value: number) => {
    reply.bulkString(name);
    reply.double(value);
  };
  integer("peak.allocated", figures.peak);
  integer("total.allocated", figures.used);
  integer("startup.allocated", figures.startup);
  integer("replication.backlog", c.server.replication?.stats().backlogBytes ?? 0);
  integer("clients.slaves", figures.replicaClients);
  integer("clients.normal", figures.clients);
  integer("cluster.links", 0);
  integer("aof.buffer", c.server.aofControl?.bufferedBytes ?? 0);
  const scripting = scriptingFigures(c.server);
  integer("lua.caches", scripting.scriptsEvalBytes);
  integer("functions.caches", scripting.functionsBytes);
  for (const [id, main, expires] of figures.databases) {
    reply.bulkString(`db.${id}`);
    reply.mapLen(3);
    integer("overhead.hashtable.main", main);
    integer("overhead.hashtable.expires", expires);
    integer("overhead.hashtable.slot-to-keys", 0);
  }
  integer("overhead.total", figures.overhead);
  integer("keys.count", figures.keys);
  integer("keys.bytes-per-key", figures.bytesPerKey);
  integer("dataset.bytes", figures.dataset);
  ratio("dataset.percentage", figures.datasetPercentage);
  ratio("peak.percentage", figures.peakPercentage);
  integer("allocator.allocated", figures.heapUsed);
  integer("allocator.active", figures.heapTotal);
  integer("allocator.resident", figures.heapResident);
  ratio("allocator-fragmentation.ratio", figures.allocatorFragmentation);
  integer("allocator-fragmentation.bytes", figures.heapTotal - figures.heapUsed);
  ratio("allocator-rss.ratio", figures.allocatorRss);
  integer("allocator-rss.bytes", figures.heapResident - figures.heapTotal);
  ratio("rss-overhead.ratio", figures.rssOverhead);
  integer("rss-overhead.bytes", figures.rss - figures.heapResident);
  ratio("fragmentation", figures.fragmentation);
  integer("fragmentation.bytes", figures.rss - figures.used);
}

/** Below this much memory beyond start-up, the doctor has too little to judge. */
const DOCTOR_MIN_BYTES = 5 * 1024 * 1024;
/** Average client buffer size (bytes) the doctor calls big. */
const DOCTOR_BIG_CLIENT_BUFFER = 200 * 1024;

/**
 * MEMORY DOCTOR: a plain-language report from the real figures: the peak against
 * the current use, RSS against used memory (fragmentation), the clients' buffers,
 * and whether maxmemory is refusing writes right now.
 */
function memoryDoctorCommand(c: ClientSession): void {
  const server = c.server;
  const figures = memoryFigures(server);
  if (figures.used - figures.startup < DOCTOR_MIN_BYTES) {
    c.reply.verbatim(
      "Spinel memory report: the data set is still small (under 5 MB beyond start-up), too small for these checks to say anything useful. Run MEMORY DOCTOR again once the server holds real data.\n",
    );
    return;
  }
  const findings: string[] = [];
  if (figures.peak > figures.used * 1.5) {
    findings.push(
      `* Peak: the server once used ${bytesToHuman(figures.peak)}, ${(figures.peak / figures.used).toFixed(2)} times what it uses now (${bytesToHuman(figures.used)}). The process may keep much of that from the system; RSS and the fragmentation figures below are then higher than the data needs.`,
    );
  }
  if (figures.fragmentation > 1.4 && figures.rss - figures.used > 10 * 1024 * 1024) {
    findings.push(
      `* Fragmentation: the process holds ${bytesToHuman(figures.rss)} of RSS for ${bytesToHuman(figures.used)} of used memory (ratio ${figures.fragmentation.toFixed(2)}). Deleted or shrunk values leave room the JavaScript heap and the buffer pools keep; it is reused as new data arrives, or returned after a restart.`,
    );
  }
  let clients = 0;
  for (const session of server.clients.values()) if (session.connection !== null) clients++;
  if (clients > 0 && figures.clients / clients > DOCTOR_BIG_CLIENT_BUFFER) {
    findings.push(
      `* Client buffers: ${clients} clients hold ${bytesToHuman(figures.clients)} of query and output buffers, ${bytesToHuman(Math.floor(figures.clients / clients))} each on average. Look for slow readers, big pipelines or large replies (CLIENT LIST shows qbuf and omem), and for client-output-buffer-limit.`,
    );
  }
  if (server.settings.outOfMemory) {
    findings.push(
      `* Out of memory: used memory is above maxmemory (${bytesToHuman(server.settings.maxmemory)}) and the maxmemory-policy cannot evict anything more, so commands that add data are refused. Raise maxmemory, choose an evicting policy, or give keys a TTL under a volatile-* policy.`,
    );
  }
  if (findings.length === 0) {
    c.reply.verbatim(
      `Spinel memory report: no problem found. Used memory ${bytesToHuman(figures.used)} (peak ${bytesToHuman(figures.peak)}), RSS ${bytesToHuman(figures.rss)}, client buffers ${bytesToHuman(figures.clients)}.\n`,
    );
    return;
  }
  c.reply.verbatim(`Spinel memory report: ${findings.length} finding(s).\n\n${findings.join("\n\n")}\n`);
}

/**
 * MEMORY MALLOC-STATS: Spinel allocates through V8, so this reports V8's heap
 * statistics and each heap space, the closest thing to an allocator report.
 */
function memoryMallocStatsCommand(c: ClientSession): void {
  const heap = v8.getHeapStatistics();
  let text = "___ Begin V8 heap statistics ___\n";
  for (const [name, value] of Object.entries(heap)) text += `${name}: ${value}\n`;
  for (const space of v8.getHeapSpaceStatistics()) {
    text += `space ${space.space_name}: size ${space.space_size} used ${space.space_used_size} available ${space.space_available_size} physical ${space.physical_space_size}\n`;
  }
  const usage = process.memoryUsage();
  text += `rss: ${usage.rss}\nexternal: ${usage.external}\narrayBuffers: ${usage.arrayBuffers}\n`;
  text += "--- End V8 heap statistics ---\n";
  c.reply.verbatim(text);
}

/**
 * MEMORY PURGE: there are no allocator pages to purge by hand; V8 gives memory
 * back on its own collections. Runs a collection when the process allows it
 * (node --expose-gc), then replies OK as Redis does.
 */
function memoryPurgeCommand(c: ClientSession): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
  c.reply.ok();
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
      handler: memoryPurgeCommand,
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
