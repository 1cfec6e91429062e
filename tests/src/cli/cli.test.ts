/*
 * The spinel-server program, spawned for real: configuration errors name the
 * line and the problem and exit 1; options and config files combine as with
 * redis-server; SIGTERM / SIGINT / SHUTDOWN stop it cleanly (exit 0) after the
 * replies of the current loop turn went out; CONFIG REWRITE updates the file.
 */

import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { freePort, redisCli, spawnSpinel, spawnSpinelProcess } from "../support/servers.js";

/** Run the program to completion; resolves with its exit code and output. */
function runToExit(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnSpinelProcess(args);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

const directory = mkdtempSync(join(tmpdir(), "spinel-cli-"));
let started: Array<{ stop(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(started.map((server) => server.stop()));
  started = [];
});

describe("configuration errors", () => {
  it("a bad value in the config file: exit 1, the line and the reason", async () => {
    const file = join(directory, "bad-value.conf");
    writeFileSync(file, "# a comment\nmaxmemory abc\nport 7000\n");
    const { code, stderr } = await runToExit([file]);
    expect(code).toBe(1);
    expect(stderr).toContain("*** FATAL CONFIG FILE ERROR");
    expect(stderr).toContain("Reading the configuration file, at line 2");
    expect(stderr).toContain(">>> 'maxmemory abc'");
    expect(stderr).toContain("argument must be a memory value");
  });

  it("an unknown directive in the config file", async () => {
    const file = join(directory, "unknown.conf");
    writeFileSync(file, "port 7001\n\nloglevel notice\nno-such-directive 1\n");
    const { code, stderr } = await runToExit([file]);
    expect(code).toBe(1);
    expect(stderr).toContain("at line 4");
    expect(stderr).toContain(">>> 'no-such-directive 1'");
    expect(stderr).toContain("Bad directive or wrong number of arguments");
  });

  it("an unknown command-line option", async () => {
    const { code, stderr } = await runToExit(["--no-such-option", "1"]);
    expect(code).toBe(1);
    expect(stderr).toContain(">>> 'no-such-option 1'");
    expect(stderr).toContain("Bad directive or wrong number of arguments");
  });

  it("a bad command-line value, counted after the file's lines", async () => {
    const file = join(directory, "good.conf");
    writeFileSync(file, "hz 10\ntimeout 0\n");
    const { code, stderr } = await runToExit([file, "--port", "not-a-port"]);
    expect(code).toBe(1);
    expect(stderr).toContain("at line 4");
    expect(stderr).toContain(">>> 'port not-a-port'");
    expect(stderr).toContain("argument couldn't be parsed into an integer");
  });

  it("a missing config file", async () => {
    const { code, stderr } = await runToExit([join(directory, "nope.conf")]);
    expect(code).toBe(1);
    expect(stderr).toContain("can't open config file");
  });

  it("--version", async () => {
    const { code, stdout } = await runToExit(["--version"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Spinel server v=\d+\.\d+\.\d+ node=/);
  });
});

describe("running", () => {
  it("reads a config file and lets command-line options override it", async () => {
    const port = await freePort();
    const file = join(directory, "run.conf");
    writeFileSync(file, `port ${port}\nmaxmemory 10mb\nhash-max-ziplist-entries 64\n`);
    const server = await spawnSpinel([file, "--maxmemory", "20mb", "--port", String(port)]);
    started.push(server);
    expect(server.port).toBe(port);
    expect(await redisCli(port, ["CONFIG", "GET", "maxmemory"])).toBe("maxmemory\n20971520\n");
    expect(await redisCli(port, ["CONFIG", "GET", "hash-max-listpack-entries"])).toBe(
      "hash-max-listpack-entries\n64\n",
    );
    const info = await redisCli(port, ["INFO", "server"]);
    expect(info).toContain(`config_file:${file}`);
    expect(info).toContain(`tcp_port:${port}`);
    expect(info).toContain("redis_version:7.0.15");
    expect(info).toMatch(/spinel_version:\d+\.\d+\.\d+/);
  });

  it("--port alone, with the in-memory defaults", async () => {
    const server = await spawnSpinel([]);
    started.push(server);
    expect(await redisCli(server.port, ["PING"])).toBe("PONG\n");
    expect(await redisCli(server.port, ["CONFIG", "GET", "save"])).toBe("save\n\n");
    expect(await redisCli(server.port, ["CONFIG", "GET", "appendonly"])).toBe("appendonly\nno\n");
  });

  it("SIGTERM: the reply being computed still reaches its client, then exit 0", async () => {
    const server = await spawnSpinel(["--enable-debug-command", "yes"]);
    const client = await RawClient.connect(server.port);
    const sleeping = client.call("DEBUG", "SLEEP", "0.5");
    await new Promise((resolve) => setTimeout(resolve, 150));
    server.child.kill("SIGTERM");
    expect((await sleeping).toString()).toBe("+OK\r\n");
    await client.waitClosed();
    expect(await exitOf(server.child)).toBe(0);
  });

  it("SIGINT: exit 0", async () => {
    const server = await spawnSpinel([]);
    server.child.kill("SIGINT");
    expect(await exitOf(server.child)).toBe(0);
  });

  it("SHUTDOWN from a client: exit 0", async () => {
    const server = await spawnSpinel([]);
    const client = await RawClient.connect(server.port);
    client.write("*1\r\n$8\r\nSHUTDOWN\r\n");
    await client.waitClosed();
    expect(await exitOf(server.child)).toBe(0);
  });

  it("CONFIG REWRITE updates the config file in place", async () => {
    const file = join(directory, "rewrite.conf");
    writeFileSync(file, "# kept comment\nmaxmemory 10mb\ntimeout 0\n");
    const server = await spawnSpinel([file]);
    started.push(server);
    expect(await redisCli(server.port, ["CONFIG", "SET", "maxmemory", "20mb", "hz", "20"])).toBe("OK\n");
    expect(await redisCli(server.port, ["CONFIG", "REWRITE"])).toBe("OK\n");
    const text = readFileSync(file, "utf8");
    expect(text).toContain("# kept comment");
    expect(text).toContain("maxmemory 20971520");
    expect(text).not.toContain("maxmemory 10mb");
    expect(text).toContain("timeout 0");
    expect(text).toContain("# Generated by CONFIG REWRITE");
    expect(text).toContain("hz 20");
    expect(text).toContain(`port ${server.port}`);
  });

  it("save points are honoured (a final save on SIGTERM) and appendonly writes an AOF, with no persistence warning", async () => {
    const logfile = join(directory, "persistence-warning.log");
    const server = await spawnSpinel([
      "--save",
      "900 1",
      "--logfile",
      logfile,
      "--log-format",
      "json",
      "--dir",
      directory,
    ]);
    started.push(server);
    expect(await redisCli(server.port, ["CONFIG", "GET", "save"])).toBe("save\n900 1\n");
    expect(await redisCli(server.port, ["CONFIG", "SET", "appendonly", "yes"])).toBe("OK\n");
    expect(existsSync(join(directory, "appendonlydir", "appendonly.aof.manifest"))).toBe(true);
    await server.stop();
    const log = readFileSync(logfile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { msg: string; settings?: string[] });
    expect(log.filter((entry) => entry.msg.includes("not available"))).toEqual([]);
    expect(log.some((entry) => entry.msg === "DB saved on disk")).toBe(true);
    expect(readFileSync(join(directory, "dump.rdb")).subarray(0, 9).toString()).toBe("REDIS0010");
  });

  it("logs to the logfile as JSON lines with --log-format json", async () => {
    const logfile = join(directory, "spinel.log");
    const server = await spawnSpinel(["--logfile", logfile, "--loglevel", "verbose", "--log-format", "json"]);
    await server.stop();
    const lines = readFileSync(logfile, "utf8").trim().split("\n");
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain("Ready to accept connections");
  });
});
