/*
 * INFO (Redis' genRedisInfoString): the sections, their field names and order as
 * redis-server 7.0 prints them, with Spinel's real figures where it has them.
 *
 * Sections that only the server application can fill in (memory, persistence,
 * replication; any it adds) come from ServerControl.infoSection(); when the
 * application does not provide one, the version rendered here stands in, so a
 * server built without apps/server (unit tests) still answers every section.
 *
 * Spinel reports redis_version 7.0.15, the Redis whose behaviour it implements,
 * so client libraries enable the matching features; spinel_version says what it
 * really is.
 */

import { randomBytes } from "node:crypto";
import os from "node:os";
import { argString } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { Command } from "../command-table.js";
import { latencyStatsSection } from "../latency.js";
import { evictionPolicyName, memoryFigures } from "../memory-figures.js";
import { scriptingFigures } from "../scripting/scripting-figures.js";
import type { ProcessInfo, RdbInfo, ServerState } from "../server-state.js";

/** The Redis version Spinel's behaviour follows (INFO redis_version, HELLO version). */
export const REDIS_VERSION = "7.0.15";

// ---------------------------------------------------------------- section selection

/** Every built-in section, in the order Redis prints them. */
const SECTION_ORDER = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "modules",
  "commandstats",
  "errorstats",
  "latencystats",
  "cluster",
  "keyspace",
] as const;

type SectionName = (typeof SECTION_ORDER)[number];

/** INFO with no argument, or "default". */
const DEFAULT_SECTIONS: ReadonlySet<string> = new Set([
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "modules",
  "errorstats",
  "cluster",
  "keyspace",
]);

const TITLES: Record<SectionName, string> = {
  server: "Server",
  clients: "Clients",
  memory: "Memory",
  persistence: "Persistence",
  stats: "Stats",
  replication: "Replication",
  cpu: "CPU",
  modules: "Modules",
  commandstats: "Commandstats",
  errorstats: "Errorstats",
  latencystats: "Latencystats",
  cluster: "Cluster",
  keyspace: "Keyspace",
};

/** Per-server values INFO keeps between calls (run and replication ids). */
class InfoState {
  readonly runId = randomBytes(20).toString("hex");
  readonly replicationId = randomBytes(20).toString("hex");
}

const infoStates = new WeakMap<ServerState, InfoState>();

function infoState(server: ServerState): InfoState {
  let state = infoStates.get(server);
  if (state === undefined) {
    state = new InfoState();
    infoStates.set(server, state);
  }
  return state;
}

/**
 * The INFO text for the requested section names (lowercased arguments; empty
 * means the default set). "all" adds commandstats and latencystats, "everything"
 * also the application's extra sections. Unknown names are ignored; sections
 * come out in Redis' order whatever the order of the arguments.
 */
export function infoText(server: ServerState, requested: readonly string[]): string {
  const wanted = new Set<string>();
  let all = false;
  let everything = false;
  if (requested.length === 0) for (const name of DEFAULT_SECTIONS) wanted.add(name);
  for (const name of requested) {
    if (name === "default") for (const section of DEFAULT_SECTIONS) wanted.add(section);
    else if (name === "all") all = true;
    else if (name === "everything") everything = true;
    else wanted.add(name);
  }
  const control = server.control;
  const sections: string[] = [];
  for (const name of SECTION_ORDER) {
    if (!wanted.has(name) && !all && !everything) continue;
    sections.push(`# ${TITLES[name]}\r\n${sectionBody(server, name)}`);
  }
  for (const name of control?.infoSectionNames() ?? []) {
    if (!wanted.has(name.toLowerCase()) && !all && !everything) continue;
    const body = control?.infoSection(name) ?? "";
    sections.push(`# ${name[0]!.toUpperCase()}${name.slice(1)}\r\n${body}`);
  }
  return sections.join("\r\n");
}

/** A section's "field:value\r\n" lines: the application's version if it has one. */
function sectionBody(server: ServerState, name: SectionName): string {
  const provided = server.control?.infoSection(name) ?? null;
  if (provided !== null) return provided;
  switch (name) {
    case "server":
      return serverSection(server);
    case "clients":
      return clientsSection(server);
    case "memory":
      return memorySection(server);
    case "persistence":
      return persistenceSection(server);
    case "stats":
      return statsSection(server);
    case "replication":
      return replicationSection(server);
    case "cpu":
      return cpuSection();
    case "modules":
      return "";
    case "commandstats":
      return commandStatsSection(server);
    case "errorstats":
      return errorStatsSection(server);
    case "latencystats":
      return latencyStatsSection(server);
    case "cluster":
      return lines([["cluster_enabled", 0]]);
    case "keyspace":
      return keyspaceSection(server);
  }
}

type Field = readonly [string, string | number];

function lines(fields: readonly Field[]): string {
  let text = "";
  for (const [name, value] of fields) text += `${name}:${value}\r\n`;
  return text;
}

// ---------------------------------------------------------------- process figures

/** Figures from the application, or plausible stand-ins when there is none. */
function processInfo(server: ServerState): ProcessInfo {
  const provided = server.control?.processInfo();
  if (provided !== undefined) return provided;
  return {
    spinelVersion: "0.0.0",
    tcpPort: 0,
    configFile: "",
    executable: process.execPath,
    hz: 10,
    maxClients: 10000,
    totalConnectionsReceived: server.stats.totalConnectionsReceived,
    rejectedConnections: server.stats.rejectedConnections,
    netInputBytes: server.stats.totalNetInputBytes,
    netOutputBytes: server.stats.totalNetOutputBytes,
    totalReadsProcessed: 0,
    totalWritesProcessed: 0,
    instantaneousOpsPerSec: 0,
    instantaneousInputKbps: 0,
    instantaneousOutputKbps: 0,
    lastSaveTime: Math.floor(server.stats.startTime / 1000),
  };
}

/** Redis' bytesToHuman. */
export function bytesToHuman(bytes: number): string {
  const units = ["K", "M", "G", "T", "P"];
  if (bytes < 1024) return `${bytes}B`;
  let value = bytes / 1024;
  for (const unit of units) {
    if (value < 1024 || unit === "P") return `${value.toFixed(2)}${unit}`;
    value /= 1024;
  }
  return `${bytes}B`;
}

// ---------------------------------------------------------------- sections

function serverSection(server: ServerState): string {
  const info = processInfo(server);
  const now = Date.now();
  const uptime = Math.floor((now - server.stats.startTime) / 1000);
  return lines([
    ["redis_version", REDIS_VERSION],
    ["spinel_version", info.spinelVersion],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_build_id", "0"],
    ["redis_mode", "standalone"],
    ["os", `${os.type()} ${os.release()} ${os.machine()}`],
    ["arch_bits", process.arch.endsWith("64") ? 64 : 32],
    ["monotonic_clock", "POSIX clock_gettime"],
    ["multiplexing_api", process.platform === "linux" ? "epoll" : "kqueue"],
    ["atomicvar_api", "c11-builtin"],
    ["gcc_version", "0.0.0"],
    ["process_id", process.pid],
    ["process_supervised", "no"],
    ["run_id", infoState(server).runId],
    ["tcp_port", info.tcpPort],
    ["server_time_usec", now * 1000],
    ["uptime_in_seconds", uptime],
    ["uptime_in_days", Math.floor(uptime / 86400)],
    ["hz", info.hz],
    ["configured_hz", info.hz],
    ["lru_clock", Math.floor(now / 1000) & 0xffffff],
    ["executable", info.executable],
    ["config_file", info.configFile],
    ["io_threads_active", 0],
  ]);
}

function clientsSection(server: ServerState): string {
  const info = processInfo(server);
  let maxInput = 0;
  for (const c of server.clients.values()) {
    const bytes = c.connection?.queryBufferBytes ?? 0;
    if (bytes > maxInput) maxInput = bytes;
  }
  if (server.stats.clientRecentMaxInputBuffer > maxInput) maxInput = server.stats.clientRecentMaxInputBuffer;
  return lines([
    ["connected_clients", server.clients.size],
    ["cluster_connections", 0],
    ["maxclients", info.maxClients],
    ["client_recent_max_input_buffer", maxInput],
    ["client_recent_max_output_buffer", server.stats.clientRecentMaxOutputBuffer],
    ["blocked_clients", server.blocking.blockedClients],
    ["tracking_clients", 0],
    ["clients_in_timeout_table", server.blocking.clientsWithTimeout],
  ]);
}

/**
 * INFO memory, from the memory policy's figures (memory-figures.ts computes
 * them once for INFO and MEMORY STATS alike, so the two always agree).
 */
function memorySection(server: ServerState): string {
  const figures = memoryFigures(server);
  const replication = server.replication?.stats() ?? null;
  const scripting = scriptingFigures(server);
  const settings = server.settings;
  return lines([
    ["used_memory", figures.used],
    ["used_memory_human", bytesToHuman(figures.used)],
    ["used_memory_rss", figures.rss],
    ["used_memory_rss_human", bytesToHuman(figures.rss)],
    ["used_memory_peak", figures.peak],
    ["used_memory_peak_human", bytesToHuman(figures.peak)],
    ["used_memory_peak_perc", `${figures.peakPercentage.toFixed(2)}%`],
    ["used_memory_overhead", figures.overhead],
    ["used_memory_startup", figures.startup],
    ["used_memory_dataset", figures.dataset],
    ["used_memory_dataset_perc", `${figures.datasetPercentage.toFixed(2)}%`],
    ["allocator_allocated", figures.heapUsed],
    ["allocator_active", figures.heapTotal],
    ["allocator_resident", figures.heapResident],
    ["total_system_memory", os.totalmem()],
    ["total_system_memory_human", bytesToHuman(os.totalmem())],
    ["used_memory_lua", scripting.vmEvalBytes],
    ["used_memory_vm_eval", scripting.vmEvalBytes],
    ["used_memory_lua_human", bytesToHuman(scripting.vmEvalBytes)],
    ["used_memory_scripts_eval", scripting.scriptsEvalBytes],
    ["number_of_cached_scripts", scripting.cachedScripts],
    ["number_of_functions", scripting.functions],
    ["number_of_libraries", scripting.libraries],
    ["used_memory_vm_functions", scripting.vmFunctionsBytes],
    ["used_memory_vm_total", scripting.vmTotalBytes],
    ["used_memory_vm_total_human", bytesToHuman(scripting.vmTotalBytes)],
    ["used_memory_functions", scripting.functionsBytes],
    ["used_memory_scripts", scripting.scriptsEvalBytes + scripting.functionsBytes],
    ["used_memory_scripts_human", bytesToHuman(scripting.scriptsEvalBytes + scripting.functionsBytes)],
    ["maxmemory", settings.maxmemory],
    ["maxmemory_human", bytesToHuman(settings.maxmemory)],
    ["maxmemory_policy", evictionPolicyName(settings.maxmemoryPolicy)],
    ["allocator_frag_ratio", figures.allocatorFragmentation.toFixed(2)],
    ["allocator_frag_bytes", figures.heapTotal - figures.heapUsed],
    ["allocator_rss_ratio", figures.allocatorRss.toFixed(2)],
    ["allocator_rss_bytes", figures.heapResident - figures.heapTotal],
    ["rss_overhead_ratio", figures.rssOverhead.toFixed(2)],
    ["rss_overhead_bytes", figures.rss - figures.heapResident],
    ["mem_fragmentation_ratio", figures.fragmentation.toFixed(2)],
    ["mem_fragmentation_bytes", figures.rss - figures.used],
    ["mem_not_counted_for_evict", figures.notCountedForEvict],
    ["mem_replication_backlog", replication?.backlogBytes ?? 0],
    // The backlog and what waits in replicas' output (Redis shares one buffer between them).
    [
      "mem_total_replication_buffers",
      (replication?.backlogBytes ?? 0) + (replication?.replicaOutputBytes ?? 0),
    ],
    ["mem_clients_slaves", figures.replicaClients],
    ["mem_clients_normal", figures.clients],
    ["mem_cluster_links", 0],
    ["mem_aof_buffer", server.aofControl?.bufferedBytes ?? 0],
    ["mem_allocator", `v8-${process.versions.v8}`],
    ["active_defrag_running", 0],
    ["lazyfree_pending_objects", 0],
    ["lazyfreed_objects", 0],
  ]);
}

/** current_fork_perc: keys processed of the running save's total, in percent with two decimals. */
function savePercent(rdb: RdbInfo | null): string {
  if (rdb === null || rdb.currentSaveKeysTotal === 0) return "0.00";
  return ((rdb.currentSaveKeysProcessed / rdb.currentSaveKeysTotal) * 100).toFixed(2);
}

/**
 * INFO persistence's RDB block, current_cow_peak .. rdb_last_load_keys_loaded, in
 * Redis' order, from the server's PersistenceControl (zeros and -1 without one).
 * Saves fork nothing here: the copy-on-write figures are what a background
 * save holds aside for keys changed before it wrote them (RdbInfo.cowSize),
 * read live (so current_cow_size_age is 0), and current_fork_perc is the
 * save's progress in keys. Exported for the server application, which renders
 * the whole section with its AOF figures.
 */
export function rdbInfoLines(server: ServerState): string {
  const rdb = server.persistence?.info() ?? null;
  return lines([
    ["current_cow_peak", rdb?.cowPeak ?? 0],
    ["current_cow_size", rdb?.cowSize ?? 0],
    ["current_cow_size_age", 0],
    ["current_fork_perc", savePercent(rdb)],
    ["current_save_keys_processed", rdb?.currentSaveKeysProcessed ?? 0],
    ["current_save_keys_total", rdb?.currentSaveKeysTotal ?? 0],
    ["rdb_changes_since_last_save", server.keyspace.dirty],
    ["rdb_bgsave_in_progress", rdb?.bgsaveInProgress ? 1 : 0],
    ["rdb_last_save_time", processInfo(server).lastSaveTime],
    ["rdb_last_bgsave_status", rdb === null || rdb.lastBgsaveOk ? "ok" : "err"],
    ["rdb_last_bgsave_time_sec", rdb?.lastBgsaveSeconds ?? -1],
    ["rdb_current_bgsave_time_sec", rdb?.currentBgsaveSeconds ?? -1],
    ["rdb_saves", rdb?.saves ?? 0],
    ["rdb_last_cow_size", rdb?.lastCowSize ?? 0],
    ["rdb_last_load_keys_expired", rdb?.lastLoadKeysExpired ?? 0],
    ["rdb_last_load_keys_loaded", rdb?.lastLoadKeysLoaded ?? 0],
  ]);
}

/** INFO persistence's loading_* lines while an RDB file loads, or "" (exported like rdbInfoLines). */
export function rdbLoadingInfoLines(server: ServerState): string {
  const loading = server.persistence?.info().loading ?? null;
  if (loading === null) return "";
  return lines([
    ["loading_start_time", loading.startTime],
    ["loading_total_bytes", loading.totalBytes],
    ["loading_rdb_used_mem", loading.rdbUsedMemory],
    ["loading_loaded_bytes", loading.loadedBytes],
    [
      "loading_loaded_perc",
      (loading.totalBytes > 0 ? (loading.loadedBytes / loading.totalBytes) * 100 : 0).toFixed(2),
    ],
    ["loading_eta_seconds", loading.etaSeconds],
  ]);
}

/** INFO persistence of a server without an AOF service (embedded command tests). */
function persistenceSection(server: ServerState): string {
  return (
    lines([
      ["loading", server.settings.loading ? 1 : 0],
      ["async_loading", 0],
    ]) +
    rdbInfoLines(server) +
    lines([
      ["aof_enabled", 0],
      ["aof_rewrite_in_progress", 0],
      ["aof_rewrite_scheduled", 0],
      ["aof_last_rewrite_time_sec", -1],
      ["aof_current_rewrite_time_sec", -1],
      ["aof_last_bgrewrite_status", "ok"],
      ["aof_rewrites", 0],
      ["aof_rewrites_consecutive_failures", 0],
      ["aof_last_write_status", "ok"],
      ["aof_last_cow_size", 0],
      ["module_fork_in_progress", 0],
      ["module_fork_last_cow_size", 0],
    ]) +
    rdbLoadingInfoLines(server)
  );
}

function statsSection(server: ServerState): string {
  const info = processInfo(server);
  const stats = server.stats;
  const keyspace = server.keyspace;
  return lines([
    ["total_connections_received", info.totalConnectionsReceived],
    ["total_commands_processed", stats.totalCommandsProcessed],
    ["instantaneous_ops_per_sec", info.instantaneousOpsPerSec],
    ["total_net_input_bytes", info.netInputBytes],
    ["total_net_output_bytes", info.netOutputBytes],
    ["total_net_repl_input_bytes", server.replication?.stats().netInputBytes ?? 0],
    ["total_net_repl_output_bytes", server.replication?.stats().netOutputBytes ?? 0],
    ["instantaneous_input_kbps", info.instantaneousInputKbps.toFixed(2)],
    ["instantaneous_output_kbps", info.instantaneousOutputKbps.toFixed(2)],
    ["instantaneous_input_repl_kbps", "0.00"],
    ["instantaneous_output_repl_kbps", "0.00"],
    ["rejected_connections", info.rejectedConnections],
    ["sync_full", server.replication?.stats().fullSyncs ?? 0],
    ["sync_partial_ok", server.replication?.stats().partialSyncsOk ?? 0],
    ["sync_partial_err", server.replication?.stats().partialSyncsErr ?? 0],
    ["expired_keys", keyspace.expiredKeys],
    ["expired_stale_perc", (server.activeExpire.expiredStaleFraction * 100).toFixed(2)],
    ["expired_time_cap_reached_count", server.activeExpire.timeCapReachedCount],
    ["expire_cycle_cpu_milliseconds", Math.floor(server.activeExpire.cycleMilliseconds)],
    ["evicted_keys", stats.evictedKeys],
    ["evicted_clients", 0],
    ["total_eviction_exceeded_time", Math.floor(server.memory.totalExceededMs())],
    ["current_eviction_exceeded_time", Math.floor(server.memory.currentExceededMs())],
    ["keyspace_hits", keyspace.hits],
    ["keyspace_misses", keyspace.misses],
    ["pubsub_channels", server.pubsub.channelCount],
    ["pubsub_patterns", server.pubsub.patternCount],
    ["pubsubshard_channels", server.pubsub.shardChannelCount],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["migrate_cached_sockets", 0],
    ["slave_expires_tracked_keys", 0],
    ["active_defrag_hits", 0],
    ["active_defrag_misses", 0],
    ["active_defrag_key_hits", 0],
    ["active_defrag_key_misses", 0],
    ["total_active_defrag_time", 0],
    ["current_active_defrag_time", 0],
    ["tracking_total_keys", 0],
    ["tracking_total_items", 0],
    ["tracking_total_prefixes", 0],
    ["unexpected_error_replies", stats.unexpectedErrorReplies],
    ["total_error_replies", stats.totalErrorReplies],
    ["dump_payload_sanitizations", 0],
    ["total_reads_processed", info.totalReadsProcessed],
    ["total_writes_processed", info.totalWritesProcessed],
    ["io_threaded_reads_processed", 0],
    ["io_threaded_writes_processed", 0],
    ["reply_buffer_shrinks", 0],
    ["reply_buffer_expands", 0],
  ]);
}

function replicationSection(server: ServerState): string {
  const replica = server.settings.readOnlyReplica;
  return lines([
    ["role", replica ? "slave" : "master"],
    ["connected_slaves", 0],
    ["master_failover_state", "no-failover"],
    ["master_replid", infoState(server).replicationId],
    ["master_replid2", "0".repeat(40)],
    ["master_repl_offset", 0],
    ["second_repl_offset", -1],
    ["repl_backlog_active", 0],
    ["repl_backlog_size", 1048576],
    ["repl_backlog_first_byte_offset", 0],
    ["repl_backlog_histlen", 0],
  ]);
}

function cpuSection(): string {
  const usage = process.cpuUsage();
  const system = (usage.system / 1e6).toFixed(6);
  const user = (usage.user / 1e6).toFixed(6);
  return lines([
    ["used_cpu_sys", system],
    ["used_cpu_user", user],
    ["used_cpu_sys_children", "0.000000"],
    ["used_cpu_user_children", "0.000000"],
    ["used_cpu_sys_main_thread", system],
    ["used_cpu_user_main_thread", user],
  ]);
}

/** cmdstat_<name> lines for every command (and subcommand) that was called, failed or refused. */
function commandStatsSection(server: ServerState): string {
  let text = "";
  const visit = (command: Command) => {
    const stats = command.stats;
    if (stats.calls > 0 || stats.failedCalls > 0 || stats.rejectedCalls > 0) {
      const usec = Math.round(stats.microseconds);
      const perCall = stats.calls > 0 ? usec / stats.calls : 0;
      text +=
        `cmdstat_${command.fullName}:calls=${stats.calls},usec=${usec},` +
        `usec_per_call=${perCall.toFixed(2)},rejected_calls=${stats.rejectedCalls},` +
        `failed_calls=${stats.failedCalls}\r\n`;
    }
    if (command.subcommands !== null) for (const sub of command.subcommands.values()) visit(sub);
  };
  for (const command of server.table.all()) visit(command);
  return text;
}

/** errorstat_<CODE> lines, sorted by code as Redis' radix tree keeps them. */
function errorStatsSection(server: ServerState): string {
  const codes = [...server.stats.errorCounts.keys()].sort();
  let text = "";
  for (const code of codes) text += `errorstat_${code}:count=${server.stats.errorCounts.get(code)}\r\n`;
  return text;
}

function keyspaceSection(server: ServerState): string {
  let text = "";
  for (const db of server.keyspace.databases) {
    if (db.size === 0) continue;
    text += `db${db.id}:keys=${db.size},expires=${db.volatileCount},avg_ttl=0\r\n`;
  }
  return text;
}

// ---------------------------------------------------------------- INFO command

/** INFO [section [section ...]] */
export function infoCommand(c: ClientSession): void {
  const requested: string[] = [];
  for (let i = 1; i < c.argv.length; i++) requested.push(argString(c.argv[i]!).toLowerCase());
  c.reply.verbatim(infoText(c.server, requested));
}

/**
 * CONFIG RESETSTAT's part in @spinel/commands: zero the command, error and
 * keyspace counters (the application resets its own network counters).
 */
export function resetServerStats(server: ServerState): void {
  const stats = server.stats;
  stats.totalCommandsProcessed = 0;
  stats.totalConnectionsReceived = 0;
  stats.rejectedConnections = 0;
  stats.totalErrorReplies = 0;
  stats.unexpectedErrorReplies = 0;
  stats.errorCounts.clear();
  stats.totalNetInputBytes = 0;
  stats.totalNetOutputBytes = 0;
  const expire = server.activeExpire;
  expire.expiredStaleFraction = 0;
  expire.timeCapReachedCount = 0;
  expire.cycleMilliseconds = 0;
  stats.evictedKeys = 0;
  server.memory.resetStats();
  stats.keyspaceHits = 0;
  stats.keyspaceMisses = 0;
  stats.pubsubChannelsMessages = 0;
  const keyspace = server.keyspace;
  keyspace.expiredKeys = 0;
  keyspace.hits = 0;
  keyspace.misses = 0;
  const visit = (command: Command) => {
    command.stats.reset();
    if (command.subcommands !== null) for (const sub of command.subcommands.values()) visit(sub);
  };
  for (const command of server.table.all()) visit(command);
}
