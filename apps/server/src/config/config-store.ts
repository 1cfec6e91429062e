/*
 * The live configuration: typed values of every parameter, built from defaults,
 * the config file and command-line options at start-up (zod validation), and
 * changed at runtime by CONFIG SET. Components subscribe to the parameters they
 * depend on with onChange(). CONFIG GET, CONFIG SET and CONFIG REWRITE follow
 * redis-server 7.0's rules and words.
 */

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { globMatch } from "@spinel/core-db";
import { ConfigError, type Directive, parseConfigText } from "./config-file.js";
import { type ConfigName, type ConfigParameter, type ConfigValues, configParameters } from "./parameters.js";

type AnyParameter = ConfigParameter<unknown>;

interface FoundParameter {
  readonly name: ConfigName;
  readonly definition: AnyParameter;
}

const parameterByName = new Map<string, FoundParameter>();
/** Every name CONFIG GET's patterns see: canonical names and aliases, as Redis' config dict holds them. */
const everyName: Array<[string, FoundParameter]> = [];
for (const [name, definition] of Object.entries(configParameters) as Array<[ConfigName, AnyParameter]>) {
  const found = { name, definition };
  parameterByName.set(name, found);
  everyName.push([name, found]);
  for (const alias of definition.aliases ?? []) {
    parameterByName.set(alias, found);
    everyName.push([alias, found]);
  }
}

/** Resolve a parameter name or alias (case-insensitive). */
export function findParameter(name: string): FoundParameter | undefined {
  return parameterByName.get(name.toLowerCase());
}

/** Parse one raw value with the parameter's schema; returns the value or the reason. */
function parseValue(
  definition: AnyParameter,
  raw: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const parsed = definition.schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reason: parsed.error.issues[0]?.message ?? "invalid value" };
}

/** Equal parsed values (arrays of words compare by their words). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return Object.is(a, b);
}

/** A value as a config file line argument: quoted when empty or when it has blanks or quotes. */
function quoteForFile(value: string): string {
  if (value !== "" && !/[\s"'\\]/.test(value)) return value;
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

type Listener = (value: never, name: ConfigName) => void;

/**
 * Makes a changed value take effect where that can fail (binding a new port):
 * reads the current values, returns null or the reason for the error reply.
 */
export type ConfigApplier = () => string | null;

/** Typed, validated configuration with change listeners. */
export class ConfigStore {
  private readonly values: Map<ConfigName, unknown>;
  private readonly listeners: Map<ConfigName, Listener[]>;
  private readonly appliers: Map<ConfigName, ConfigApplier>;

  private constructor(values: Map<ConfigName, unknown>) {
    this.values = values;
    this.listeners = new Map();
    this.appliers = new Map();
  }

  /**
   * Build the configuration from defaults plus `directives` (config file lines,
   * then command-line options). Throws ConfigError naming the first bad line.
   */
  static fromDirectives(directives: readonly Directive[]): ConfigStore {
    const values = new Map<ConfigName, unknown>();
    for (const [name, definition] of Object.entries(configParameters) as Array<[ConfigName, AnyParameter]>) {
      const parsed = parseValue(definition, definition.defaultValue);
      if (!parsed.ok) throw new Error(`default of ${name} is invalid: ${parsed.reason}`);
      values.set(name, parsed.value);
    }
    for (const directive of directives) {
      const found = findParameter(directive.name);
      if (found === undefined) {
        throw new ConfigError(directive.line, directive.text, "Bad directive or wrong number of arguments");
      }
      const { definition } = found;
      if (directive.args.length === 0 || (!definition.multiWord && directive.args.length !== 1)) {
        throw new ConfigError(directive.line, directive.text, "wrong number of arguments");
      }
      const parsed = parseValue(definition, directive.args.join(" "));
      if (!parsed.ok) throw new ConfigError(directive.line, directive.text, parsed.reason);
      values.set(found.name, parsed.value);
    }
    return new ConfigStore(values);
  }

  /** Current value of a parameter. */
  get<K extends ConfigName>(name: K): ConfigValues[K] {
    return this.values.get(name) as ConfigValues[K];
  }

  /** CONFIG GET rendering of a parameter. */
  render(name: ConfigName): string {
    const definition = configParameters[name] as AnyParameter;
    const value = this.values.get(name);
    if (name === "dir") return resolve(String(value));
    return definition.format ? definition.format(value) : String(value);
  }

  /**
   * Replace a value from inside the server, without validation or listeners:
   * the port actually bound when the configuration asked for any free one (0).
   */
  override<K extends ConfigName>(name: K, value: ConfigValues[K]): void {
    this.values.set(name, value);
  }

  /** Call `listener` whenever CONFIG SET changes `name`. */
  onChange<K extends ConfigName>(name: K, listener: (value: ConfigValues[K], name: K) => void): void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener as unknown as Listener);
    this.listeners.set(name, list);
  }

  /**
   * Make CONFIG SET of `name` take effect through `applier`, which may fail: a
   * failure undoes the whole CONFIG SET (see setMany). Parameters that share an
   * applier (port and bind) run it once per CONFIG SET, as Redis does.
   */
  onApply(name: ConfigName, applier: ConfigApplier): void {
    this.appliers.set(name, applier);
  }

  // ------------------------------------------------------------------ CONFIG GET / SET

  /**
   * CONFIG GET: [name, value] pairs. A pattern without glob characters names one
   * parameter (an alias too) and is answered with the name as given; a glob
   * matches canonical names and aliases alike. Each name appears once.
   */
  getMatching(patterns: readonly string[]): Array<[string, string]> {
    const result: Array<[string, string]> = [];
    const seen = new Set<string>();
    for (const pattern of patterns) {
      if (!/[*?[]/.test(pattern)) {
        const found = findParameter(pattern);
        if (found !== undefined && !seen.has(pattern)) {
          seen.add(pattern);
          result.push([pattern, this.render(found.name)]);
        }
        continue;
      }
      for (const [name, found] of everyName) {
        if (found.definition.hidden) continue; // named exactly only, as Redis' hidden configs
        if (!seen.has(name) && globMatch(pattern, name, true)) {
          seen.add(name);
          result.push([name, this.render(found.name)]);
        }
      }
    }
    return result;
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing. Returns null or the
   * error reply text, checked in Redis' order: an unknown name anywhere first,
   * then immutable, protected or repeated parameters, then values.
   */
  setMany(pairs: ReadonlyArray<[string, string]>): string | null {
    const unknown = pairs.find(([name]) => findParameter(name) === undefined);
    if (unknown !== undefined)
      return `ERR Unknown option or number of arguments for CONFIG SET - '${unknown[0]}'`;
    const failed = (name: string, reason: string) =>
      `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
    const seen = new Set<ConfigName>();
    for (const [rawName] of pairs) {
      const found = findParameter(rawName)!;
      if (!found.definition.mutable) return failed(rawName, "can't set immutable config");
      if (found.definition.protectedConfig) return failed(rawName, "can't set protected config");
      if (seen.has(found.name)) return failed(rawName, "duplicate parameter");
      seen.add(found.name);
    }
    const updates: Array<[ConfigName, unknown]> = [];
    for (const [rawName, rawValue] of pairs) {
      const found = findParameter(rawName)!;
      const parsed = parseValue(found.definition, rawValue);
      if (!parsed.ok) return failed(rawName, parsed.reason);
      updates.push([found.name, parsed.value]);
    }
    // Set every value, then run each applier of a changed parameter once; when one
    // fails, the old values come back (and their appliers run again), as Redis'
    // CONFIG SET restores the previous configuration.
    const previous = updates.map(([name]) => [name, this.values.get(name)] as const);
    const changed = updates.filter(([name, value]) => !sameValue(this.values.get(name), value));
    for (const [name, value] of updates) this.values.set(name, value);
    const ran: ConfigApplier[] = [];
    for (const [name] of changed) {
      const applier = this.appliers.get(name);
      if (applier === undefined || ran.includes(applier)) continue;
      const reason = applier();
      if (reason !== null) {
        for (const [oldName, oldValue] of previous) this.values.set(oldName, oldValue);
        for (const undo of ran) undo();
        const rawName = pairs.find(([raw]) => findParameter(raw)!.name === name)![0];
        return failed(rawName, reason);
      }
      ran.push(applier);
    }
    for (const [name, value] of updates) {
      for (const listener of this.listeners.get(name) ?? []) listener(value as never, name);
    }
    return null;
  }

  // ------------------------------------------------------------------ CONFIG REWRITE

  /**
   * CONFIG REWRITE: rewrite `path` so that it describes the running
   * configuration. Lines of parameters are replaced in place (the first line of
   * each; repeats are dropped), comments and unknown lines are kept, and
   * parameters that differ from their default but had no line are appended, as
   * Redis does. Returns null, or the error reply text.
   */
  rewrite(path: string): string | null {
    let original: string;
    try {
      original = readFileSync(path, "latin1");
    } catch (error) {
      return `ERR Rewriting config file: ${(error as Error).message}`;
    }
    const written = new Set<ConfigName>();
    const output: string[] = [];
    for (const line of original.split("\n")) {
      const trimmed = line.replace(/\r$/, "").trim();
      if (trimmed === "" || trimmed.startsWith("#")) {
        output.push(line);
        continue;
      }
      if (/^include\s/i.test(trimmed)) {
        output.push(line);
        continue;
      }
      let directive: Directive | undefined;
      try {
        directive = parseConfigText(trimmed)[0];
      } catch {
        directive = undefined;
      }
      const found = directive === undefined ? undefined : findParameter(directive.name);
      if (found === undefined) {
        output.push(line);
        continue;
      }
      if (written.has(found.name)) continue;
      written.add(found.name);
      output.push(this.fileLine(found.name));
    }
    const appended: string[] = [];
    for (const name of Object.keys(configParameters) as ConfigName[]) {
      if (written.has(name) || name === "dir") continue;
      const definition = configParameters[name] as AnyParameter;
      const parsedDefault = parseValue(definition, definition.defaultValue);
      const defaultText = parsedDefault.ok
        ? definition.format
          ? definition.format(parsedDefault.value)
          : String(parsedDefault.value)
        : definition.defaultValue;
      if (this.render(name) !== defaultText) appended.push(this.fileLine(name));
    }
    while (output.length > 0 && output[output.length - 1] === "") output.pop();
    if (appended.length > 0) output.push("# Generated by CONFIG REWRITE", ...appended);
    const temporary = `${path}.rewrite-${process.pid}`;
    try {
      writeFileSync(temporary, `${output.join("\n")}\n`, "latin1");
      renameSync(temporary, path);
    } catch (error) {
      return `ERR Rewriting config file: ${(error as Error).message}`;
    }
    return null;
  }

  /** "name value" as a config file line. */
  private fileLine(name: ConfigName): string {
    const definition = configParameters[name] as AnyParameter;
    const value = this.render(name);
    if (definition.multiWord && value !== "") return `${name} ${value}`;
    return `${name} ${quoteForFile(value)}`;
  }
}
