/*
 * The configuration: redis.conf parsing (quoting, comments, include, line
 * numbers), command-line options, zod validation with Redis' error words,
 * CONFIG GET / SET rules (aliases, globs, atomicity, error precedence) and
 * CONFIG REWRITE.
 */

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseCommandLine, parseConfigText } from "./config-file.js";
import { ConfigStore } from "./config-store.js";
import { configParameters } from "./parameters.js";

function storeFrom(text: string): ConfigStore {
  return ConfigStore.fromDirectives(parseConfigText(text));
}

function errorOf(text: string): ConfigError {
  try {
    storeFrom(text);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("no error");
}

describe("config files", () => {
  it("reads directives with Redis' quoting and skips comments and blank lines", () => {
    const store = storeFrom(
      '# comment\n\n  maxmemory 100mb\nrequirepass "a b\\"c"\nsave 3600 1 300 100\nbind 127.0.0.1 -::1\n',
    );
    expect(store.get("maxmemory")).toBe(100 * 1024 * 1024);
    expect(store.get("requirepass")).toBe('a b"c');
    expect(store.render("save")).toBe("3600 1 300 100");
    expect(store.get("bind")).toEqual(["127.0.0.1", "-::1"]);
  });

  it("accepts aliases and case-insensitive names", () => {
    const store = storeFrom("HASH-MAX-ZIPLIST-ENTRIES 10\nslaveof 10.0.0.1 6380\n");
    expect(store.get("hash-max-listpack-entries")).toBe(10);
    expect(store.render("replicaof")).toBe("10.0.0.1 6380");
  });

  it("expands include relative to the including file", () => {
    const directory = mkdtempSync(join(tmpdir(), "spinel-config-"));
    writeFileSync(join(directory, "extra.conf"), "hz 42\n");
    const store = ConfigStore.fromDirectives(parseConfigText("include extra.conf\ntimeout 5\n", directory));
    expect(store.get("hz")).toBe(42);
    expect(store.get("timeout")).toBe(5);
  });

  it("names the line and the problem, in Redis' words", () => {
    expect(errorOf("port 1\nmaxmemory abc\n")).toMatchObject({
      line: 2,
      text: "maxmemory abc",
      reason: "argument must be a memory value",
    });
    expect(errorOf("\n\nnosuch 1\n")).toMatchObject({
      line: 3,
      reason: "Bad directive or wrong number of arguments",
    });
    expect(errorOf("timeout 1 2\n").reason).toBe("wrong number of arguments");
    expect(errorOf("maxmemory-samples 0\n").reason).toBe(
      "argument must be between 1 and 2147483647 inclusive",
    );
    expect(errorOf("appendfsync sometimes\n").reason).toBe(
      "argument(s) must be one of the following: everysec, always, no",
    );
    expect(errorOf("protected-mode maybe\n").reason).toBe("argument must be 'yes' or 'no'");
    expect(errorOf("save 1 2 3\n").reason).toBe("Invalid save parameters");
    expect(errorOf('requirepass "unbalanced\n').reason).toBe("Unbalanced quotes in configuration line");
    expect(errorOf("daemonize yes\n").reason).toMatch(/does not daemonize/);
    expect(errorOf("cluster-enabled yes\n").reason).toMatch(/cluster mode/);
    expect(errorOf("tls-port 6380\n").reason).toMatch(/TLS/);
  });

  it("reports like redis-server's FATAL CONFIG FILE ERROR", () => {
    const report = errorOf("maxmemory abc\n").report();
    expect(report).toContain("*** FATAL CONFIG FILE ERROR");
    expect(report).toContain("Reading the configuration file, at line 1");
    expect(report).toContain(">>> 'maxmemory abc'");
    expect(report).toContain("argument must be a memory value");
  });

  it("parses redis-server style command lines", () => {
    const line = parseCommandLine(["/etc/redis.conf", "--port", "7000", "--save", "", "--bind", "a", "b"]);
    expect(line.configFile).toBe("/etc/redis.conf");
    expect(line.options.map((option) => [option.name, option.args])).toEqual([
      ["port", ["7000"]],
      ["save", [""]],
      ["bind", ["a", "b"]],
    ]);
    expect(parseCommandLine(["--version"]).showVersion).toBe(true);
    expect(() => parseCommandLine(["--port", "1", "stray"])).not.toThrow();
    expect(() => parseCommandLine(["conf", "stray"])).toThrow(ConfigError);
  });

  it("has a valid default for every parameter", () => {
    const store = ConfigStore.fromDirectives([]);
    for (const name of Object.keys(configParameters) as Array<keyof typeof configParameters>) {
      expect(() => store.render(name), name).not.toThrow();
    }
    expect(store.get("port")).toBe(6379);
    expect(store.get("bind")).toEqual(["127.0.0.1", "-::1"]);
    expect(store.render("save")).toBe("");
  });
});

describe("CONFIG GET and SET", () => {
  it("answers an exact name with the name as given, aliases too", () => {
    const store = ConfigStore.fromDirectives([]);
    expect(store.getMatching(["MAXMEMORY"])).toEqual([["MAXMEMORY", "0"]]);
    expect(store.getMatching(["zset-max-ziplist-entries"])).toEqual([["zset-max-ziplist-entries", "128"]]);
    expect(store.getMatching(["maxmemory", "maxmemory"])).toEqual([["maxmemory", "0"]]);
    expect(store.getMatching(["nosuch"])).toEqual([]);
  });

  it("matches canonical names and aliases with globs, each once", () => {
    const store = ConfigStore.fromDirectives([]);
    const names = store.getMatching(["zset-max-*", "zset-*"]).map(([name]) => name);
    expect(names.sort()).toEqual([
      "zset-max-listpack-entries",
      "zset-max-listpack-value",
      "zset-max-ziplist-entries",
      "zset-max-ziplist-value",
    ]);
  });

  it("sets several parameters at once, or none", () => {
    const store = ConfigStore.fromDirectives([]);
    const changes: number[] = [];
    store.onChange("hz", (value) => changes.push(value));
    expect(
      store.setMany([
        ["hz", "20"],
        ["timeout", "30"],
      ]),
    ).toBe(null);
    expect(store.get("hz")).toBe(20);
    expect(changes).toEqual([20]);
    expect(
      store.setMany([
        ["hz", "30"],
        ["timeout", "-5"],
      ]),
    ).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0 and 2147483647 inclusive",
    );
    expect(store.get("hz")).toBe(20);
    expect(changes).toEqual([20]);
  });

  it("answers hidden parameters by exact name only", () => {
    const store = ConfigStore.fromDirectives([]);
    expect(store.getMatching(["key-load-delay"])).toEqual([["key-load-delay", "0"]]);
    expect(store.getMatching(["key-load-*", "*"]).map(([name]) => name)).not.toContain("key-load-delay");
    expect(store.getMatching(["log-format"])).toEqual([["log-format", "auto"]]);
  });

  it("undoes the whole CONFIG SET when an applier fails, once per shared applier", () => {
    const store = ConfigStore.fromDirectives([]);
    const applied: string[] = [];
    let refuse = false;
    const listen = () => {
      applied.push(`${store.get("bind").join(",")}:${store.get("port")}`);
      return refuse && store.get("port") === 7000
        ? "Unable to listen on this port. Check server logs."
        : null;
    };
    store.onApply("port", listen);
    store.onApply("bind", listen);
    expect(store.setMany([["port", "7001"]])).toBeNull();
    expect(store.setMany([["port", "7001"]])).toBeNull(); // unchanged: nothing to apply
    expect(applied).toEqual(["127.0.0.1,-::1:7001"]);
    refuse = true;
    expect(
      store.setMany([
        ["maxmemory", "5mb"],
        ["bind", "127.0.0.1"],
        ["port", "7000"],
      ]),
    ).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'bind') - Unable to listen on this port. Check server logs.",
    );
    expect(store.get("maxmemory")).toBe(0);
    expect(store.get("port")).toBe(7001);
    expect(store.get("bind")).toEqual(["127.0.0.1", "-::1"]);
  });

  it("checks names first, then immutability and repeats, then values", () => {
    const store = ConfigStore.fromDirectives([]);
    expect(
      store.setMany([
        ["hz", "bad"],
        ["nosuch", "1"],
      ]),
    ).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    expect(
      store.setMany([
        ["hz", "bad"],
        ["databases", "1"],
      ]),
    ).toBe("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config");
    expect(store.setMany([["dir", "/tmp"]])).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
    );
    expect(
      store.setMany([
        ["hash-max-ziplist-entries", "1"],
        ["hash-max-listpack-entries", "2"],
      ]),
    ).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - duplicate parameter",
    );
  });

  it("clamps hz and normalizes special syntaxes", () => {
    const store = ConfigStore.fromDirectives([]);
    store.setMany([["hz", "1000"]]);
    expect(store.render("hz")).toBe("500");
    store.setMany([["client-output-buffer-limit", "replica 1gb 512mb 30"]]);
    expect(store.render("client-output-buffer-limit")).toBe(
      "normal 0 0 0 slave 1073741824 536870912 30 pubsub 33554432 8388608 60",
    );
    store.setMany([["save", "  900   1 "]]);
    expect(store.render("save")).toBe("900 1");
  });
});

describe("CONFIG REWRITE", () => {
  it("replaces lines in place, drops repeats, keeps comments, appends changed parameters", () => {
    const directory = mkdtempSync(join(tmpdir(), "spinel-rewrite-"));
    const path = join(directory, "redis.conf");
    writeFileSync(path, "# my server\nmaxmemory 10mb\nmaxmemory 20mb\n\n# end\n");
    const store = ConfigStore.fromDirectives(parseConfigText(readFileSync(path, "latin1")));
    store.setMany([
      ["maxmemory", "30mb"],
      ["requirepass", "two words"],
    ]);
    expect(store.rewrite(path)).toBe(null);
    const text = readFileSync(path, "latin1");
    expect(text).toBe(
      '# my server\nmaxmemory 31457280\n\n# end\n# Generated by CONFIG REWRITE\nrequirepass "two words"\n',
    );
    const reread = ConfigStore.fromDirectives(parseConfigText(text));
    expect(reread.get("maxmemory")).toBe(31457280);
    expect(reread.get("requirepass")).toBe("two words");
  });

  it("reports a file it cannot read", () => {
    const store = ConfigStore.fromDirectives([]);
    expect(store.rewrite("/nonexistent/dir/redis.conf")).toMatch(/^ERR Rewriting config file: /);
  });
});
