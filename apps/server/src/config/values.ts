/*
 * Value syntaxes of redis.conf, as zod schemas over the raw string: integers,
 * memory sizes ("1gb", "64mb", "100"), yes/no booleans, enums. Each schema turns a
 * config-file or CONFIG SET argument into a typed value, or fails with Redis' words.
 */

import { z } from "zod";

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** Parse a memory size the way Redis' memtoull does ("1gb", "100mb", "4096"). */
export function parseMemory(text: string): number | null {
  const match = /^(-?\d+)([a-zA-Z]*)$/.exec(text.trim());
  if (!match) return null;
  const unit = MEMORY_UNITS[match[2]!.toLowerCase()];
  if (unit === undefined) return null;
  return Number(match[1]) * unit;
}

/** An integer within [min, max]. */
export function integer(min: number, max: number) {
  return z.string().transform((text, ctx) => {
    const value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
    if (!Number.isSafeInteger(value)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "argument couldn't be parsed into an integer" });
      return z.NEVER;
    }
    if (value < min || value > max) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `argument must be between ${min} and ${max} inclusive`,
      });
      return z.NEVER;
    }
    return value;
  });
}

/** A memory size in bytes within [min, max]. */
export function memory(min = 0, max = Number.MAX_SAFE_INTEGER) {
  return z.string().transform((text, ctx) => {
    const value = parseMemory(text);
    if (value === null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "argument must be a memory value" });
      return z.NEVER;
    }
    if (value < min || value > max) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `argument must be between ${min} and ${max} inclusive`,
      });
      return z.NEVER;
    }
    return value;
  });
}

/** yes / no. */
export const yesNo = z.string().transform((text, ctx) => {
  const lower = text.toLowerCase();
  if (lower === "yes") return true;
  if (lower === "no") return false;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: "argument must be 'yes' or 'no'" });
  return z.NEVER;
});

/** One of a fixed set of words (case-insensitive). */
export function oneOf<const T extends readonly string[]>(words: T) {
  return z.string().transform((text, ctx) => {
    const lower = text.toLowerCase();
    if ((words as readonly string[]).includes(lower)) return lower as T[number];
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: "argument(s) must be one of the following: " + words.join(", "),
    });
    return z.NEVER;
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

/** Render a boolean as redis.conf does. */
export function formatYesNo(value: boolean): string {
  return value ? "yes" : "no";
}
