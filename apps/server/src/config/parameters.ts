/*
 * The configuration parameters Spinel understands: name, value syntax (a zod
 * schema over the raw text), default, whether CONFIG SET may change it, and how
 * CONFIG GET renders it. Names, defaults and renderings follow Redis 7.
 */

import {
  formatNotifyKeyspaceEvents,
  INVALID_NOTIFY_FLAGS,
  parseNotifyKeyspaceEvents,
} from "@spinel/commands";
import type { z } from "zod";
import { formatYesNo, integer, memory, oneOf, parsedWith, text, yesNo } from "./values.js";

/** One parameter. `T` is the parsed value type. */
export interface ConfigParameter<T> {
  readonly schema: z.ZodType<T, z.ZodTypeDef, string>;
  /** Default, in config-file syntax. */
  readonly defaultValue: string;
  /** False for parameters that only a config file or flag may set (port, databases...). */
  readonly mutable: boolean;
  /** Other names accepted for it (Redis' pre-7 ziplist names, slaveof ...). */
  readonly aliases?: readonly string[];
  /** CONFIG GET rendering; String(value) when absent. */
  readonly format?: (value: T) => string;
  /** Takes several words on one config-file line (save, bind, client-output-buffer-limit). */
  readonly multiWord?: boolean;
}

function param<T>(definition: ConfigParameter<T>): ConfigParameter<T> {
  return definition;
}

const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

/** Every parameter, by canonical name. */
export const configParameters = {
  port: param({ schema: integer(0, 65535), defaultValue: "6379", mutable: false }),
  bind: param({
    schema: text.transform((value) => value.split(/\s+/).filter(Boolean)),
    defaultValue: "127.0.0.1 -::1",
    mutable: false,
    multiWord: true,
    format: (value: string[]) => value.join(" "),
  }),
  unixsocket: param({ schema: text, defaultValue: "", mutable: false }),
  databases: param({ schema: integer(1, INT_MAX), defaultValue: "16", mutable: false }),
  loglevel: param({
    schema: oneOf(["debug", "verbose", "notice", "warning", "nothing"] as const),
    defaultValue: "notice",
    mutable: true,
  }),
  logfile: param({ schema: text, defaultValue: "", mutable: false }),
  maxclients: param({ schema: integer(1, INT_MAX), defaultValue: "10000", mutable: true }),
  timeout: param({ schema: integer(0, INT_MAX), defaultValue: "0", mutable: true }),
  "tcp-backlog": param({ schema: integer(0, INT_MAX), defaultValue: "511", mutable: false }),
  "tcp-keepalive": param({ schema: integer(0, INT_MAX), defaultValue: "300", mutable: true }),
  hz: param({ schema: integer(1, 500), defaultValue: "10", mutable: true }),
  daemonize: param({ schema: yesNo, defaultValue: "no", mutable: false, format: formatYesNo }),
  "protected-mode": param({ schema: yesNo, defaultValue: "yes", mutable: true, format: formatYesNo }),
  dir: param({ schema: text, defaultValue: ".", mutable: true }),
  dbfilename: param({ schema: text, defaultValue: "dump.rdb", mutable: true }),
  save: param({ schema: text, defaultValue: "", mutable: true, multiWord: true }),
  appendonly: param({ schema: yesNo, defaultValue: "no", mutable: true, format: formatYesNo }),
  appendfilename: param({ schema: text, defaultValue: "appendonly.aof", mutable: false }),
  appenddirname: param({ schema: text, defaultValue: "appendonlydir", mutable: false }),
  appendfsync: param({
    schema: oneOf(["always", "everysec", "no"] as const),
    defaultValue: "everysec",
    mutable: true,
  }),
  requirepass: param({ schema: text, defaultValue: "", mutable: true }),
  maxmemory: param({ schema: memory(), defaultValue: "0", mutable: true }),
  "maxmemory-policy": param({
    schema: oneOf([
      "volatile-lru",
      "volatile-lfu",
      "volatile-random",
      "volatile-ttl",
      "allkeys-lru",
      "allkeys-lfu",
      "allkeys-random",
      "noeviction",
    ] as const),
    defaultValue: "noeviction",
    mutable: true,
  }),
  "maxmemory-samples": param({ schema: integer(1, 64), defaultValue: "5", mutable: true }),
  "proto-max-bulk-len": param({
    schema: memory(1024 * 1024, LONG_MAX),
    defaultValue: "512mb",
    mutable: true,
  }),
  "client-query-buffer-limit": param({
    schema: memory(1024 * 1024, LONG_MAX),
    defaultValue: "1gb",
    mutable: true,
  }),
  "client-output-buffer-limit": param({
    schema: text,
    defaultValue: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    mutable: true,
    multiWord: true,
  }),
  "notify-keyspace-events": param({
    schema: parsedWith(parseNotifyKeyspaceEvents, INVALID_NOTIFY_FLAGS),
    defaultValue: "",
    mutable: true,
    format: formatNotifyKeyspaceEvents,
  }),
  "hash-max-listpack-entries": param({
    schema: integer(0, LONG_MAX),
    defaultValue: "128",
    mutable: true,
    aliases: ["hash-max-ziplist-entries"],
  }),
  "hash-max-listpack-value": param({
    schema: integer(0, LONG_MAX),
    defaultValue: "64",
    mutable: true,
    aliases: ["hash-max-ziplist-value"],
  }),
  "list-max-listpack-size": param({
    schema: integer(-5, INT_MAX),
    defaultValue: "-2",
    mutable: true,
    aliases: ["list-max-ziplist-size"],
  }),
  "list-compress-depth": param({ schema: integer(0, INT_MAX), defaultValue: "0", mutable: true }),
  "set-max-intset-entries": param({ schema: integer(0, LONG_MAX), defaultValue: "512", mutable: true }),
  "set-max-listpack-entries": param({ schema: integer(0, LONG_MAX), defaultValue: "128", mutable: true }),
  "set-max-listpack-value": param({ schema: integer(0, LONG_MAX), defaultValue: "64", mutable: true }),
  "zset-max-listpack-entries": param({
    schema: integer(0, LONG_MAX),
    defaultValue: "128",
    mutable: true,
    aliases: ["zset-max-ziplist-entries"],
  }),
  "zset-max-listpack-value": param({
    schema: integer(0, LONG_MAX),
    defaultValue: "64",
    mutable: true,
    aliases: ["zset-max-ziplist-value"],
  }),
  "replica-read-only": param({
    schema: yesNo,
    defaultValue: "yes",
    mutable: true,
    format: formatYesNo,
    aliases: ["slave-read-only"],
  }),
  "slowlog-log-slower-than": param({ schema: integer(-1, LONG_MAX), defaultValue: "10000", mutable: true }),
  "slowlog-max-len": param({ schema: integer(0, LONG_MAX), defaultValue: "128", mutable: true }),
  "latency-monitor-threshold": param({ schema: integer(0, LONG_MAX), defaultValue: "0", mutable: true }),
  "active-expire-effort": param({ schema: integer(1, 10), defaultValue: "1", mutable: true }),
  "lazyfree-lazy-eviction": param({ schema: yesNo, defaultValue: "no", mutable: true, format: formatYesNo }),
  "lazyfree-lazy-expire": param({ schema: yesNo, defaultValue: "no", mutable: true, format: formatYesNo }),
  "lazyfree-lazy-server-del": param({
    schema: yesNo,
    defaultValue: "no",
    mutable: true,
    format: formatYesNo,
  }),
  "lazyfree-lazy-user-del": param({ schema: yesNo, defaultValue: "no", mutable: true, format: formatYesNo }),
  "lazyfree-lazy-user-flush": param({
    schema: yesNo,
    defaultValue: "no",
    mutable: true,
    format: formatYesNo,
  }),
  activerehashing: param({ schema: yesNo, defaultValue: "yes", mutable: true, format: formatYesNo }),
  "io-threads": param({ schema: integer(1, 128), defaultValue: "1", mutable: false }),
} as const;

/** Canonical parameter names. */
export type ConfigName = keyof typeof configParameters;

/** Parsed values of every parameter. */
export type ConfigValues = {
  -readonly [K in ConfigName]: z.output<(typeof configParameters)[K]["schema"]>;
};
