/*
 * The live configuration: typed values of every parameter, built from defaults,
 * the config file and command-line options at start-up (zod validation), and
 * changed at runtime by CONFIG SET. Components subscribe to the parameters they
 * depend on with onChange().
 */

import { globMatch } from "@spinel/core-db";
import { ConfigError, type Directive } from "./config-file.js";
import { type ConfigName, type ConfigParameter, type ConfigValues, configParameters } from "./parameters.js";

type AnyParameter = ConfigParameter<unknown>;

const parameterByName = new Map<string, { name: ConfigName; definition: AnyParameter }>();
for (const [name, definition] of Object.entries(configParameters) as Array<[ConfigName, AnyParameter]>) {
  parameterByName.set(name, { name, definition });
  for (const alias of definition.aliases ?? []) parameterByName.set(alias, { name, definition });
}

/** Resolve a parameter name or alias (case-insensitive). */
export function findParameter(name: string): { name: ConfigName; definition: AnyParameter } | undefined {
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

type Listener = (value: never, name: ConfigName) => void;

/** Typed, validated configuration with change listeners. */
export class ConfigStore {
  private readonly values: Map<ConfigName, unknown>;
  private readonly listeners: Map<ConfigName, Listener[]>;

  private constructor(values: Map<ConfigName, unknown>) {
    this.values = values;
    this.listeners = new Map();
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
      if (!definition.multiWord && directive.args.length !== 1) {
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
    return definition.format ? definition.format(value) : String(value);
  }

  /** Call `listener` whenever CONFIG SET changes `name`. */
  onChange<K extends ConfigName>(name: K, listener: (value: ConfigValues[K], name: K) => void): void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener as unknown as Listener);
    this.listeners.set(name, list);
  }

  // ------------------------------------------------------------------ CONFIG GET / SET

  /** Parameters matching any pattern (case-insensitive glob), as [name, value] pairs. */
  getMatching(patterns: readonly string[]): Array<[string, string]> {
    const result: Array<[string, string]> = [];
    const seen = new Set<string>();
    for (const pattern of patterns) {
      const exact = findParameter(pattern);
      if (exact !== undefined && !/[*?[]/.test(pattern)) {
        if (!seen.has(exact.name)) {
          seen.add(exact.name);
          result.push([exact.name, this.render(exact.name)]);
        }
        continue;
      }
      for (const name of Object.keys(configParameters) as ConfigName[]) {
        if (!seen.has(name) && globMatch(pattern, name, true)) {
          seen.add(name);
          result.push([name, this.render(name)]);
        }
      }
    }
    return result;
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing. Returns null or the
   * error reply text, worded as Redis 7 words it.
   */
  setMany(pairs: ReadonlyArray<[string, string]>): string | null {
    const updates: Array<[ConfigName, unknown]> = [];
    const seen = new Set<ConfigName>();
    for (const [rawName, rawValue] of pairs) {
      const found = findParameter(rawName);
      if (found === undefined)
        return `ERR Unknown option or number of arguments for CONFIG SET - '${rawName}'`;
      if (seen.has(found.name)) {
        return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - duplicate parameter`;
      }
      seen.add(found.name);
      if (!found.definition.mutable) {
        return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - can't set immutable config`;
      }
      const parsed = parseValue(found.definition, rawValue);
      if (!parsed.ok)
        return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - ${parsed.reason}`;
      updates.push([found.name, parsed.value]);
    }
    for (const [name, value] of updates) {
      this.values.set(name, value);
      for (const listener of this.listeners.get(name) ?? []) listener(value as never, name);
    }
    return null;
  }
}
