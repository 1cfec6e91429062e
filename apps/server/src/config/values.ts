/*
 * Value syntaxes of redis.conf, as zod schemas over the raw string: integers,
 * memory sizes ("1gb", "64mb", "100"), yes/no booleans, enums, and the special
 * syntaxes of save, bind, client-output-buffer-limit, replicaof ... Each schema
 * turns a config-file or CONFIG SET argument into a typed value (normalized the
 * way CONFIG GET shows it), or fails with the words redis-server 7.0 uses.
 */

import { z } from "zod";

/** A failed parse, reported with Redis' message. */
function fail(ctx: z.RefinementCtx, message: string): typeof z.NEVER {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  return z.NEVER;
}

// ---------------------------------------------------------------- numbers

const MEMORY_UNITS: Record<string, bigint> = {
  "": 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

/**
 * Parse a memory size the way Redis' memtoull does ("1gb", "100mb", "4096"): an
 * empty text is 0, and digits beyond 64 bits saturate (strtoull), so the caller's
 * range check words the error.
 */
export function parseMemory(text: string): number | null {
  if (text === "") return 0;
  const match = /^(\d+)([a-zA-Z]*)$/.exec(text);
  if (!match) return null;
  const unit = MEMORY_UNITS[match[2]!.toLowerCase()];
  if (unit === undefined) return null;
  const digits = BigInt(match[1]!);
  const value = (digits > ULLONG_MAX ? ULLONG_MAX : digits) * unit;
  return value > ULLONG_MAX ? Number(ULLONG_MAX) : Number(value);
}

const ULLONG_MAX = 18446744073709551615n;

/** Redis' long long bounds, as they appear in its messages. */
function bound(value: number): string {
  if (value >= Number.MAX_SAFE_INTEGER) return "9223372036854775807";
  if (value <= -Number.MAX_SAFE_INTEGER) return "-9223372036854775807";
  return String(value);
}

/** An integer within [min, max] (Number.MAX_SAFE_INTEGER stands for LLONG_MAX). */
export function integer(min: number, max: number) {
  return z.string().transform((text, ctx) => {
    // string2ll(): no "-0", no leading zeros, no sign but '-'.
    if (!/^(0|-?[1-9][0-9]*)$/.test(text) || text.length > 20)
      return fail(ctx, "argument couldn't be parsed into an integer");
    const big = BigInt(text);
    if (big > 9223372036854775807n || big < -9223372036854775808n)
      return fail(ctx, "argument couldn't be parsed into an integer");
    const value = Number(big);
    if (value < min || value > max)
      return fail(ctx, `argument must be between ${bound(min)} and ${bound(max)} inclusive`);
    return value;
  });
}

/** An integer within [min, max], then clamped to [low, high] (hz: 0 -> 1, 1000 -> 500). */
export function clampedInteger(min: number, max: number, low: number, high: number) {
  return integer(min, max).transform((value) => Math.min(high, Math.max(low, value)));
}

/** A memory size in bytes within [min, max]. */
export function memory(min = 0, max = Number.MAX_SAFE_INTEGER, message = "argument must be a memory value") {
  return z.string().transform((text, ctx) => {
    const value = parseMemory(text);
    if (value === null) return fail(ctx, message);
    if (value < min || value > max)
      return fail(ctx, `argument must be between ${bound(min)} and ${bound(max)} inclusive`);
    return value;
  });
}

/**
 * A memory size, or a percentage written `N%` (0 to `maxPercent`), as Redis'
 * percent configs take them (maxmemory-clients). A percentage is kept as its
 * negation, as Redis stores it, and rendered back with formatMemoryOrPercent.
 */
export function memoryOrPercent(maxPercent: number, max = Number.MAX_SAFE_INTEGER) {
  return z.string().transform((text, ctx) => {
    if (text.endsWith("%")) {
      const digits = text.slice(0, -1);
      if (!/^(0|[1-9][0-9]*)$/.test(digits) || digits.length > 19)
        return fail(ctx, "argument must be a memory or percent value");
      const percent = Number(digits);
      if (percent > maxPercent)
        return fail(ctx, `percentage argument must be less or equal to ${maxPercent}`);
      return -percent;
    }
    const value = parseMemory(text);
    if (value === null) return fail(ctx, "argument must be a memory or percent value");
    if (value > max) return fail(ctx, `argument must be between 0 and ${bound(max)} inclusive`);
    return value;
  });
}

/** CONFIG GET rendering of memoryOrPercent values: bytes, or `N%`. */
export function formatMemoryOrPercent(value: number): string {
  return value < 0 ? `${-value}%` : String(value);
}

// ---------------------------------------------------------------- words

/** yes / no. */
export const yesNo = z.string().transform((text, ctx) => {
  const lower = text.toLowerCase();
  if (lower === "yes") return true;
  if (lower === "no") return false;
  return fail(ctx, "argument must be 'yes' or 'no'");
});

/** One of a fixed set of words (case-insensitive). */
export function oneOf<const T extends readonly string[]>(words: T) {
  return z.string().transform((text, ctx) => {
    const lower = text.toLowerCase();
    if ((words as readonly string[]).includes(lower)) return lower as T[number];
    return fail(ctx, `argument(s) must be one of the following: ${words.join(", ")}`);
  });
}

/** Any string. */
export const text = z.string();

/** A value `parse` accepts (it returns null for an invalid one, refused with `message`). */
export function parsedWith<T>(parse: (text: string) => T | null, message: string) {
  return z.string().transform((value, ctx) => {
    const parsed = parse(value);
    if (parsed === null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    }
    return parsed;
  });
}

/**
 * `schema`, except that values for which `unsupported` is true are refused with
 * `message` (daemonize yes, cluster-enabled yes, a TLS port: features Spinel lacks).
 */
export function refuse<T>(
  schema: z.ZodType<T, z.ZodTypeDef, string>,
  unsupported: (value: T) => boolean,
  message: string,
) {
  return schema.superRefine((value, ctx) => {
    if (unsupported(value)) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  });
}

/** Render a boolean as redis.conf does. */
export function formatYesNo(value: boolean): string {
  return value ? "yes" : "no";
}

// ---------------------------------------------------------------- special syntaxes

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== "");
}

const UNSIGNED = /^(0|[1-9][0-9]*)$/;

/** save "<seconds> <changes> ..." or "" (no snapshots); normalized to single spaces. */
export const saveParameters = z.string().transform((value, ctx) => {
  const parts = words(value);
  if (parts.length % 2 !== 0 || parts.some((part) => !UNSIGNED.test(part)))
    return fail(ctx, "Invalid save parameters");
  return parts.join(" ");
});

/** bind: up to 16 addresses, "-" prefix marking optional ones. */
export const bindAddresses = z.string().transform((value, ctx) => {
  const addresses = words(value);
  if (addresses.length > 16) return fail(ctx, "Too many bind addresses specified.");
  if (addresses.length === 0) return fail(ctx, "Failed to bind to specified addresses.");
  return addresses;
});

/**
 * client-output-buffer-limit "<class> <hard> <soft> <seconds> ...", classes
 * normal, replica (or slave), pubsub; rendered with "slave" and byte counts.
 */
export const outputBufferLimits = z.string().transform((value, ctx) => {
  const parts = words(value);
  if (parts.length % 4 !== 0 || parts.length === 0)
    return fail(ctx, "Wrong number of arguments in buffer limit configuration.");
  const limits = new Map<string, string>([
    ["normal", "0 0 0"],
    ["slave", "268435456 67108864 60"],
    ["pubsub", "33554432 8388608 60"],
  ]);
  for (let i = 0; i < parts.length; i += 4) {
    const name = parts[i]!.toLowerCase();
    const cls = name === "replica" ? "slave" : name;
    if (!limits.has(cls)) return fail(ctx, "Invalid client class specified in buffer limit configuration.");
    const hard = parseMemory(parts[i + 1]!);
    const soft = parseMemory(parts[i + 2]!);
    const seconds = parts[i + 3]!;
    if (hard === null || soft === null || !UNSIGNED.test(seconds))
      return fail(ctx, "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    limits.set(cls, `${hard} ${soft} ${seconds}`);
  }
  return [...limits].map(([cls, figures]) => `${cls} ${figures}`).join(" ");
});

/** latency-tracking-info-percentiles: numbers between 0 and 100. */
export const percentiles = z.string().transform((value, ctx) => {
  const parts = words(value);
  for (const part of parts) {
    const number = Number(part);
    if (part === "" || Number.isNaN(number))
      return fail(ctx, "Invalid latency-tracking-info-percentiles parameters");
    if (number < 0 || number > 100) {
      return fail(ctx, "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
    }
  }
  return parts.join(" ");
});

/** Values of the variables of proc-title-template while it is checked (title and mode may be empty). */
const TITLE_VARIABLES: Record<string, string> = {
  title: "",
  "listen-addr": "*:6379",
  "server-mode": "",
  port: "6379",
  "tls-port": "0",
  unixsocket: "",
  "config-file": "",
};

/**
 * proc-title-template: refused, as Redis refuses it, when a `{variable}` is
 * unknown or unclosed, or when the title it gives is blank.
 */
export const titleTemplate = z.string().transform((value, ctx) => {
  let expanded = "";
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== "{") {
      expanded += value[i];
      continue;
    }
    const close = value.indexOf("}", i);
    const name = close === -1 ? undefined : value.slice(i + 1, close);
    if (name === undefined || !(name in TITLE_VARIABLES))
      return fail(ctx, "template format is invalid or contains unknown variables");
    expanded += TITLE_VARIABLES[name];
    i = close;
  }
  if (expanded.trim() === "") return fail(ctx, "template format is invalid or contains unknown variables");
  return value;
});

/** cluster-announce-hostname: letters, digits, hyphens and dots (or empty). */
export const hostname = z.string().transform((value, ctx) => {
  if (!/^[A-Za-z0-9.-]*$/.test(value))
    return fail(ctx, "Hostnames may only contain alphanumeric characters, hyphens or dots");
  return value;
});

/** oom-score-adj-values: three integers. */
export const scoreAdjustments = z.string().transform((value, ctx) => {
  const parts = words(value);
  if (parts.length !== 3) return fail(ctx, "wrong number of arguments");
  if (parts.some((part) => !/^-?(0|[1-9][0-9]*)$/.test(part) || Math.abs(Number(part)) > 2000))
    return fail(ctx, "Invalid oom-score-adj-values");
  return parts.join(" ");
});

/** replicaof "<host> <port>", "no one" or "" (not a replica); rendered "host port" or "". */
export const replicaOf = z.string().transform((value, ctx) => {
  const parts = words(value);
  if (parts.length === 0) return "";
  if (parts.length !== 2) return fail(ctx, "wrong number of arguments");
  if (parts[0]!.toLowerCase() === "no" && parts[1]!.toLowerCase() === "one") return "";
  const port = Number(parts[1]);
  if (!UNSIGNED.test(parts[1]!) || port > 65535) return fail(ctx, "Invalid master port");
  return `${parts[0]} ${port}`;
});
