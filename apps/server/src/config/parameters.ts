/*
 * The configuration parameters Spinel understands: name, value syntax (a zod
 * schema over the raw text), default, whether CONFIG SET may change it, and how
 * CONFIG GET renders it. Names, syntaxes, defaults, renderings and error words
 * follow redis-server 7.0.15, with three deliberate differences in defaults:
 * Spinel binds to loopback only (127.0.0.1 -::1, as redis.conf ships), keeps no
 * RDB snapshots unless `save` is given (in-memory by default), and never
 * daemonizes.
 *
 * Two kinds of parameters:
 *   - honoured ones change what Spinel does (the first part of the table);
 *   - accepted ones (marked `ignored`) are validated and shown by CONFIG GET, so
 *     existing redis.conf files and tools work, but have no effect in Spinel
 *     (threads, TLS-off settings, cluster-off settings, defragmentation ...).
 * A value that would ask for a feature Spinel lacks (daemonize yes, TLS ports,
 * cluster mode) is refused, so no one believes it is on.
 */

import {
  formatNotifyKeyspaceEvents,
  INVALID_NOTIFY_FLAGS,
  parseNotifyKeyspaceEvents,
} from "@spinel/commands";
import type { z } from "zod";
import {
  bindAddresses,
  clampedInteger,
  formatMemoryOrPercent,
  formatYesNo,
  hostname,
  integer,
  memory,
  memoryOrPercent,
  oneOf,
  outputBufferLimits,
  parsedWith,
  percentiles,
  refuse,
  replicaOf,
  saveParameters,
  scoreAdjustments,
  text,
  titleTemplate,
  yesNo,
} from "./values.js";

/** One parameter. `T` is the parsed value type. */
export interface ConfigParameter<T> {
  readonly schema: z.ZodType<T, z.ZodTypeDef, string>;
  /** Default, in config-file syntax. */
  readonly defaultValue: string;
  /** False for parameters that only a config file or flag may set (port, databases...). */
  readonly mutable: boolean;
  /** Redis refuses CONFIG SET of these unless enable-protected-configs (dir, dbfilename). */
  readonly protectedConfig?: boolean;
  /** Other names accepted for it (Redis' pre-7 ziplist names, slaveof ...). */
  readonly aliases?: readonly string[];
  /** CONFIG GET rendering; String(value) when absent. */
  readonly format?: (value: T) => string;
  /** Takes several words on one config-file line (save, bind, client-output-buffer-limit). */
  readonly multiWord?: boolean;
  /** Accepted and validated for compatibility, but without effect in Spinel. */
  readonly ignored?: boolean;
  /**
   * Left out of CONFIG GET's glob matches (answered only when named exactly), as
   * redis-server's hidden debugging configs are.
   */
  readonly hidden?: boolean;
}

function param<T>(definition: ConfigParameter<T>): ConfigParameter<T> {
  return definition;
}

const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

interface Options {
  mutable?: boolean;
  aliases?: readonly string[];
  ignored?: boolean;
  hidden?: boolean;
}

/** yes / no */
function bool(defaultValue: "yes" | "no", options: Options = {}) {
  return param({ schema: yesNo, defaultValue, format: formatYesNo, mutable: true, ...options });
}

/** An integer within [min, max]. */
function int(min: number, max: number, defaultValue: string, options: Options = {}) {
  return param({ schema: integer(min, max), defaultValue, mutable: true, ...options });
}

/** A byte size with Redis' units (1gb, 64mb ...), rendered in bytes. */
function bytes(min: number, max: number, defaultValue: string, options: Options = {}) {
  return param({ schema: memory(min, max), defaultValue, mutable: true, ...options });
}

/** Free text. */
function str(defaultValue: string, options: Options = {}) {
  return param({ schema: text, defaultValue, mutable: true, ...options });
}

/** One word of a fixed list, in Redis' order (it shows in the error message). */
function choice<const T extends readonly string[]>(words: T, defaultValue: T[number], options: Options = {}) {
  return param({ schema: oneOf(words), defaultValue, mutable: true, ...options });
}

const IMMUTABLE = { mutable: false } as const;
const IGNORED = { ignored: true } as const;
const IGNORED_IMMUTABLE = { ignored: true, mutable: false } as const;

/** Every parameter, by canonical name. */
export const configParameters = {
  // ---------------------------------------------------------------- network (honoured)
  port: int(0, 65535, "6379"),
  bind: param({
    schema: bindAddresses,
    defaultValue: "127.0.0.1 -::1",
    mutable: true,
    multiWord: true,
    format: (value: string[]) => value.join(" "),
  }),
  unixsocket: str("", IMMUTABLE),
  unixsocketperm: int(0, 0o777, "0", { ...IMMUTABLE, ignored: true }),
  "tcp-backlog": int(0, INT_MAX, "511", IMMUTABLE),
  "tcp-keepalive": int(0, INT_MAX, "300", IGNORED),
  timeout: int(0, INT_MAX, "0"),
  maxclients: int(1, INT_MAX, "10000"),
  "protected-mode": bool("yes", IGNORED),
  requirepass: str(""),
  "proto-max-bulk-len": bytes(1024 * 1024, LONG_MAX, "512mb"),
  "client-query-buffer-limit": bytes(1024 * 1024, LONG_MAX, "1gb"),
  "client-output-buffer-limit": param({
    schema: outputBufferLimits,
    defaultValue: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    mutable: true,
    multiWord: true,
  }),

  // ---------------------------------------------------------------- general (honoured)
  databases: int(1, INT_MAX, "16", IMMUTABLE),
  loglevel: choice(["debug", "verbose", "notice", "warning"] as const, "notice"),
  logfile: str("", IMMUTABLE),
  hz: param({ schema: clampedInteger(0, INT_MAX, 1, 500), defaultValue: "10", mutable: true }),
  "dynamic-hz": bool("yes", IGNORED),
  "active-expire-effort": int(1, 10, "1"),
  "notify-keyspace-events": param({
    schema: parsedWith(parseNotifyKeyspaceEvents, INVALID_NOTIFY_FLAGS),
    defaultValue: "",
    mutable: true,
    format: formatNotifyKeyspaceEvents,
  }),
  "slowlog-log-slower-than": int(-LONG_MAX, LONG_MAX, "10000"),
  "slowlog-max-len": int(0, LONG_MAX, "128"),
  "latency-monitor-threshold": int(0, LONG_MAX, "0"),
  "latency-tracking": bool("yes"),
  "latency-tracking-info-percentiles": param({
    schema: percentiles,
    defaultValue: "50 99 99.9",
    mutable: true,
    multiWord: true,
  }),
  "enable-debug-command": choice(["no", "yes", "local"] as const, "no", IMMUTABLE),
  daemonize: param({
    schema: refuse(yesNo, (value) => value, "Spinel does not daemonize: run it in the foreground"),
    defaultValue: "no",
    mutable: false,
    format: formatYesNo,
  }),

  // ---------------------------------------------------------------- memory (honoured)
  maxmemory: bytes(0, LONG_MAX, "0"),
  "maxmemory-policy": choice(
    [
      "volatile-lru",
      "volatile-lfu",
      "volatile-random",
      "volatile-ttl",
      "allkeys-lru",
      "allkeys-lfu",
      "allkeys-random",
      "noeviction",
    ] as const,
    "noeviction",
  ),
  "maxmemory-samples": int(1, INT_MAX, "5"),
  "maxmemory-eviction-tenacity": int(0, 100, "10"),

  // ---------------------------------------------------------------- encodings (honoured)
  "hash-max-listpack-entries": int(0, LONG_MAX, "512", { aliases: ["hash-max-ziplist-entries"] }),
  "hash-max-listpack-value": bytes(0, LONG_MAX, "64", { aliases: ["hash-max-ziplist-value"] }),
  "list-max-listpack-size": int(-5, INT_MAX, "-2", { aliases: ["list-max-ziplist-size"] }),
  "list-compress-depth": int(0, INT_MAX, "0"),
  "set-max-intset-entries": int(0, LONG_MAX, "512"),
  "set-max-listpack-entries": int(0, LONG_MAX, "128"),
  "set-max-listpack-value": bytes(0, LONG_MAX, "64"),
  "zset-max-listpack-entries": int(0, LONG_MAX, "128", { aliases: ["zset-max-ziplist-entries"] }),
  "zset-max-listpack-value": bytes(0, LONG_MAX, "64", { aliases: ["zset-max-ziplist-value"] }),
  "hll-sparse-max-bytes": bytes(0, LONG_MAX, "3000"),

  // ---------------------------------------------------------------- persistence
  dir: param({ schema: text, defaultValue: ".", mutable: true, protectedConfig: true }),
  dbfilename: param({ schema: text, defaultValue: "dump.rdb", mutable: true, protectedConfig: true }),
  save: param({ schema: saveParameters, defaultValue: "", mutable: true, multiWord: true }),
  "stop-writes-on-bgsave-error": bool("yes"),
  rdbcompression: bool("yes"),
  rdbchecksum: bool("yes", IMMUTABLE),
  "rdb-del-sync-files": bool("no"),
  "rdb-save-incremental-fsync": bool("yes"),
  appendonly: bool("no"),
  appendfilename: str("appendonly.aof", IMMUTABLE),
  appenddirname: str("appendonlydir", IMMUTABLE),
  appendfsync: choice(["everysec", "always", "no"] as const, "everysec"),
  "no-appendfsync-on-rewrite": bool("no"),
  "auto-aof-rewrite-percentage": int(0, INT_MAX, "100"),
  "auto-aof-rewrite-min-size": bytes(0, LONG_MAX, "64mb"),
  "aof-load-truncated": bool("yes"),
  "aof-use-rdb-preamble": bool("yes"),
  "aof-rewrite-incremental-fsync": bool("yes"),
  "aof-timestamp-enabled": bool("no"),
  "aof-disable-auto-gc": bool("no"),

  // ---------------------------------------------------------------- replication
  replicaof: param({
    schema: replicaOf,
    defaultValue: "",
    mutable: false,
    multiWord: true,
    aliases: ["slaveof"],
  }),
  masterauth: str(""),
  masteruser: str(""),
  "replica-read-only": bool("yes", { aliases: ["slave-read-only"] }),
  "replica-serve-stale-data": bool("yes", { aliases: ["slave-serve-stale-data"] }),
  "replica-priority": int(0, INT_MAX, "100", { aliases: ["slave-priority"] }),
  "replica-lazy-flush": bool("no", { aliases: ["slave-lazy-flush"] }),
  "replica-ignore-maxmemory": bool("yes", { aliases: ["slave-ignore-maxmemory"] }),
  "replica-announce-ip": str("", { aliases: ["slave-announce-ip"] }),
  "replica-announce-port": int(0, 65535, "0", { aliases: ["slave-announce-port"] }),
  "replica-announced": bool("yes"),
  "replica-ignore-disk-write-errors": bool("no"),
  "repl-backlog-size": bytes(1, LONG_MAX, "1mb"),
  "repl-backlog-ttl": int(0, LONG_MAX, "3600"),
  "repl-timeout": int(1, INT_MAX, "60"),
  "repl-ping-replica-period": int(1, INT_MAX, "10", { aliases: ["repl-ping-slave-period"] }),
  "repl-diskless-sync": bool("yes"),
  "repl-diskless-sync-delay": int(0, INT_MAX, "5"),
  "repl-diskless-sync-max-replicas": int(0, INT_MAX, "0"),
  "repl-diskless-load": choice(["disabled", "on-empty-db", "swapdb"] as const, "disabled"),
  "repl-disable-tcp-nodelay": bool("no"),
  "min-replicas-to-write": int(0, INT_MAX, "0", { aliases: ["min-slaves-to-write"] }),
  "min-replicas-max-lag": int(0, INT_MAX, "10", { aliases: ["min-slaves-max-lag"] }),
  "propagation-error-behavior": choice(["ignore", "panic", "panic-on-replicas"] as const, "ignore"),

  // ---------------------------------------------------------------- lazy freeing (accepted: Spinel frees synchronously)
  "lazyfree-lazy-eviction": bool("no", IGNORED),
  "lazyfree-lazy-expire": bool("no", IGNORED),
  "lazyfree-lazy-server-del": bool("no", IGNORED),
  "lazyfree-lazy-user-del": bool("no", IGNORED),
  "lazyfree-lazy-user-flush": bool("no", IGNORED),

  // ---------------------------------------------------------------- accepted, without effect
  activerehashing: bool("yes", IGNORED),
  activedefrag: param({
    schema: refuse(
      yesNo,
      (value) => value,
      "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution",
    ),
    defaultValue: "no",
    mutable: true,
    format: formatYesNo,
  }),
  "active-defrag-cycle-max": int(1, 99, "25", IGNORED),
  "active-defrag-cycle-min": int(1, 99, "1", IGNORED),
  "active-defrag-ignore-bytes": bytes(1, LONG_MAX, "100mb", IGNORED),
  "active-defrag-max-scan-fields": int(1, LONG_MAX, "1000", IGNORED),
  "active-defrag-threshold-lower": int(0, 1000, "10", IGNORED),
  "active-defrag-threshold-upper": int(0, 1000, "100", IGNORED),
  "always-show-logo": bool("no", IGNORED_IMMUTABLE),
  "busy-reply-threshold": int(0, LONG_MAX, "5000", { aliases: ["lua-time-limit"] }),
  "crash-log-enabled": bool("yes", IGNORED),
  "crash-memcheck-enabled": bool("yes", IGNORED),
  "disable-thp": bool("yes", IGNORED_IMMUTABLE),
  "enable-module-command": choice(["no", "yes", "local"] as const, "no", IGNORED_IMMUTABLE),
  "enable-protected-configs": choice(["no", "yes", "local"] as const, "no", IGNORED_IMMUTABLE),
  "io-threads": int(1, 128, "1", IGNORED_IMMUTABLE),
  "io-threads-do-reads": bool("no", IGNORED_IMMUTABLE),
  "jemalloc-bg-thread": bool("yes", IGNORED),
  "lfu-decay-time": int(0, INT_MAX, "1"),
  "lfu-log-factor": int(0, INT_MAX, "10"),
  "maxmemory-clients": param({
    schema: memoryOrPercent(100, LONG_MAX),
    format: formatMemoryOrPercent,
    defaultValue: "0",
    mutable: true,
    ignored: true,
  }),
  "oom-score-adj": choice(["no", "yes", "relative", "absolute"] as const, "no", IGNORED),
  "oom-score-adj-values": param({
    schema: scoreAdjustments,
    defaultValue: "0 200 800",
    mutable: true,
    multiWord: true,
    ignored: true,
  }),
  pidfile: str("", IGNORED_IMMUTABLE),
  "proc-title-template": param({
    schema: titleTemplate,
    defaultValue: "{title} {listen-addr} {server-mode}",
    mutable: true,
    ignored: true,
  }),
  "sanitize-dump-payload": choice(["no", "yes", "clients"] as const, "no", IGNORED),
  "set-proc-title": bool("yes", IGNORED_IMMUTABLE),
  "shutdown-on-sigint": choice(["default", "save", "nosave", "now", "force"] as const, "default", IGNORED),
  "shutdown-on-sigterm": choice(["default", "save", "nosave", "now", "force"] as const, "default", IGNORED),
  "shutdown-timeout": int(0, INT_MAX, "10", IGNORED),
  "stream-node-max-bytes": bytes(0, LONG_MAX, "4096"),
  "stream-node-max-entries": int(0, LONG_MAX, "100"),
  supervised: choice(["upstart", "systemd", "auto", "no"] as const, "no", IGNORED_IMMUTABLE),
  "syslog-enabled": bool("no", IGNORED_IMMUTABLE),
  "syslog-ident": str("redis", IGNORED_IMMUTABLE),
  "syslog-facility": choice(
    ["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"] as const,
    "local0",
    IGNORED_IMMUTABLE,
  ),
  "tracking-table-max-keys": int(0, LONG_MAX, "1000000", IGNORED),
  aclfile: str("", IGNORED_IMMUTABLE),
  "acllog-max-len": int(0, LONG_MAX, "128", IGNORED),
  "acl-pubsub-default": choice(["allchannels", "resetchannels"] as const, "resetchannels", IGNORED),
  "bind-source-addr": str("", IGNORED),
  "ignore-warnings": str("", IGNORED),
  "socket-mark-id": int(0, INT_MAX, "0", IGNORED_IMMUTABLE),
  server_cpulist: str("", IGNORED_IMMUTABLE),
  bio_cpulist: str("", IGNORED_IMMUTABLE),
  aof_rewrite_cpulist: str("", IGNORED_IMMUTABLE),
  bgsave_cpulist: str("", IGNORED_IMMUTABLE),

  // ---------------------------------------------------------------- cluster and TLS: only "off" is accepted
  "cluster-enabled": param({
    schema: refuse(yesNo, (value) => value, "Spinel does not support cluster mode"),
    defaultValue: "no",
    mutable: false,
    format: formatYesNo,
  }),
  "tls-port": param({
    schema: refuse(integer(0, 65535), (value) => value !== 0, "Spinel does not support TLS"),
    defaultValue: "0",
    mutable: true,
  }),
  "cluster-config-file": str("nodes.conf", IGNORED_IMMUTABLE),
  "cluster-port": int(0, 65535, "0", IGNORED_IMMUTABLE),
  "cluster-node-timeout": int(0, LONG_MAX, "15000", IGNORED),
  "cluster-migration-barrier": int(0, INT_MAX, "1", IGNORED),
  "cluster-replica-validity-factor": int(0, INT_MAX, "10", {
    ...IGNORED,
    aliases: ["cluster-slave-validity-factor"],
  }),
  "cluster-replica-no-failover": bool("no", { ...IGNORED, aliases: ["cluster-slave-no-failover"] }),
  "cluster-require-full-coverage": bool("yes", IGNORED),
  "cluster-allow-reads-when-down": bool("no", IGNORED),
  "cluster-allow-pubsubshard-when-down": bool("yes", IGNORED),
  "cluster-allow-replica-migration": bool("yes", IGNORED),
  "cluster-announce-ip": str("", IGNORED),
  "cluster-announce-hostname": param({ schema: hostname, defaultValue: "", mutable: true, ignored: true }),
  "cluster-announce-port": int(0, 65535, "0", IGNORED),
  "cluster-announce-bus-port": int(0, 65535, "0", IGNORED),
  "cluster-announce-tls-port": int(0, 65535, "0", IGNORED),
  "cluster-link-sendbuf-limit": bytes(0, LONG_MAX, "0", IGNORED),
  "cluster-preferred-endpoint-type": choice(["ip", "hostname", "unknown-endpoint"] as const, "ip", IGNORED),
  "tls-cluster": param({
    schema: refuse(yesNo, (value) => value, "Unable to update TLS configuration. Check server logs."),
    defaultValue: "no",
    mutable: true,
    format: formatYesNo,
  }),
  "tls-replication": param({
    schema: refuse(yesNo, (value) => value, "Unable to update TLS configuration. Check server logs."),
    defaultValue: "no",
    mutable: true,
    format: formatYesNo,
  }),
  "tls-auth-clients": choice(["no", "yes", "optional"] as const, "yes", IGNORED),
  "tls-cert-file": str("", IGNORED),
  "tls-key-file": str("", IGNORED),
  "tls-key-file-pass": str("", IGNORED),
  "tls-client-cert-file": str("", IGNORED),
  "tls-client-key-file": str("", IGNORED),
  "tls-client-key-file-pass": str("", IGNORED),
  "tls-dh-params-file": str("", IGNORED),
  "tls-ca-cert-file": str("", IGNORED),
  "tls-ca-cert-dir": str("", IGNORED),
  "tls-protocols": str("", IGNORED),
  "tls-ciphers": str("", IGNORED),
  "tls-ciphersuites": str("", IGNORED),
  "tls-prefer-server-ciphers": bool("no", IGNORED),
  "tls-session-caching": bool("yes", IGNORED),
  "tls-session-cache-size": int(0, INT_MAX, "20480", IGNORED),
  "tls-session-cache-timeout": int(0, INT_MAX, "300", IGNORED),

  // ---------------------------------------------------------------- hidden: CONFIG GET answers them by exact name only
  // redis-server 7.0's hidden debugging configs (accepted and shown; the delays
  // take effect once loading and saving exist), and Spinel's log-format.
  "key-load-delay": int(-INT_MAX - 1, INT_MAX, "0", { ...IGNORED, hidden: true }),
  "rdb-key-save-delay": int(-INT_MAX - 1, INT_MAX, "0", { ...IGNORED, hidden: true }),
  "loading-process-events-interval-bytes": int(1024, INT_MAX, "2097152", { ...IGNORED, hidden: true }),
  "lua-enable-deprecated-api": bool("no", { ...IGNORED_IMMUTABLE, hidden: true }),
  "use-exit-on-panic": bool("no", { ...IGNORED, hidden: true }),
  "watchdog-period": int(0, INT_MAX, "0", { ...IGNORED, hidden: true }),
  /** How logs are written: readable lines, JSON lines, or auto (readable on a terminal or in a plain file). */
  "log-format": choice(["auto", "readable", "json"] as const, "auto", { mutable: false, hidden: true }),
} as const;

/** Canonical parameter names. */
export type ConfigName = keyof typeof configParameters;

/** Parsed values of every parameter. */
export type ConfigValues = {
  -readonly [K in ConfigName]: z.output<(typeof configParameters)[K]["schema"]>;
};
