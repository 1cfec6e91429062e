/*
 * Reading configuration the way redis-server does: a redis.conf file (one
 * directive per line, `#` comments, arguments split with Redis' quoting rules,
 * `include` of other files) followed by `--name value ...` command-line options,
 * which act as extra lines appended to the file.
 */

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { splitInlineArguments } from "@spinel/resp";

/** One directive: `name arg arg ...`, with where it came from for error messages. */
export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  /** 1-based line number in the combined configuration text. */
  readonly line: number;
  /** The line as written, for `>>> 'line'` in errors. */
  readonly text: string;
}

/** A configuration problem, reported like Redis' FATAL CONFIG FILE ERROR. */
export class ConfigError extends Error {
  readonly line: number;
  readonly text: string;
  readonly reason: string;

  constructor(line: number, text: string, reason: string) {
    super(`at line ${line}: '${text}': ${reason}`);
    this.name = "ConfigError";
    this.line = line;
    this.text = text;
    this.reason = reason;
  }

  /** The report redis-server prints before exiting. */
  report(): string {
    return [
      "",
      "*** FATAL CONFIG FILE ERROR (Spinel) ***",
      `Reading the configuration file, at line ${this.line}`,
      `>>> '${this.text}'`,
      this.reason,
      "",
    ].join("\n");
  }
}

/**
 * Split configuration text into directives. Blank lines and comments are
 * skipped; `include path` is expanded in place (relative to the including file).
 */
export function parseConfigText(text: string, baseDir = ".", depth = 0, firstLine = 1): Directive[] {
  const directives: Directive[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.replace(/\r$/, "");
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const lineNumber = firstLine + index;
    const words = splitInlineArguments(Buffer.from(trimmed, "latin1"));
    if (words === null) throw new ConfigError(lineNumber, trimmed, "Unbalanced quotes in configuration line");
    if (words.length === 0) continue;
    const name = words[0]!.toString("latin1").toLowerCase();
    const args = words.slice(1).map((word) => word.toString("latin1"));
    if (name === "include") {
      if (args.length !== 1)
        throw new ConfigError(lineNumber, trimmed, "Bad directive or wrong number of arguments");
      if (depth > 10) throw new ConfigError(lineNumber, trimmed, "Too many nested includes");
      const path = resolve(baseDir, args[0]!);
      let included: string;
      try {
        included = readFileSync(path, "latin1");
      } catch (error) {
        throw new ConfigError(
          lineNumber,
          trimmed,
          `Can't open the included file: ${(error as Error).message}`,
        );
      }
      directives.push(...parseConfigText(included, dirname(path), depth + 1));
      continue;
    }
    directives.push({ name, args, line: lineNumber, text: trimmed });
  }
  return directives;
}

/** What the command line asks for. */
export interface CommandLine {
  /** Path of the config file, "-" for stdin, or null. */
  configFile: string | null;
  /** `--name value ...` options, as directives after the file's. */
  options: Directive[];
  showVersion: boolean;
  showHelp: boolean;
}

/**
 * Parse `spinel-server [config-file] [--name value ...]` as redis-server parses
 * its arguments: each `--name` starts a directive whose arguments run until the
 * next `--`; an empty argument stays an (empty) argument (`--save ""`).
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const result: CommandLine = { configFile: null, options: [], showVersion: false, showHelp: false };
  let index = 0;
  if (argv.length > 0) {
    const first = argv[0]!;
    if (first === "-v" || first === "--version") result.showVersion = true;
    if (first === "-h" || first === "--help") result.showHelp = true;
    if (result.showVersion || result.showHelp) return result;
    if (!first.startsWith("--")) {
      result.configFile = first;
      index = 1;
    }
  }
  let current: { name: string; args: string[] } | null = null;
  const finish = () => {
    if (current === null) return;
    const text = [current.name, ...current.args.map(quoteIfNeeded)].join(" ");
    result.options.push({ name: current.name, args: current.args, line: 0, text });
    current = null;
  };
  for (; index < argv.length; index++) {
    const word = argv[index]!;
    if (word.startsWith("--") && word.length > 2) {
      finish();
      current = { name: word.slice(2).toLowerCase(), args: [] };
    } else if (current === null) {
      throw new ConfigError(0, word, `Invalid argument '${word}': options start with --`);
    } else {
      current.args.push(word);
    }
  }
  finish();
  return result;
}

function quoteIfNeeded(word: string): string {
  return word === "" || /\s/.test(word) ? JSON.stringify(word) : word;
}
