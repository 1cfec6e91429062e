/*
 * The spinel-server program next to a real redis-server 7 for what a person
 * running it meets first: SIGHUP and SIGPIPE do not stop it, the shutdown lines
 * show at `loglevel warning`, a port already in use and a `dir` that cannot be
 * used stop start-up with redis-server's words and a non-zero exit, and the log
 * is readable (redis-server's `pid:role date mark message` lines) in a plain
 * file, or JSON lines with one `pid` when asked.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import {
  freePort,
  spawnSpinel,
  spawnSpinelProcess,
  startRedis,
  type TestServer,
} from "../support/servers.js";

const directory = mkdtempSync(join(tmpdir(), "spinel-startup-"));
let started: TestServer[] = [];

afterEach(async () => {
  await Promise.all(started.map((server) => server.stop()));
  started = [];
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A readable log line as redis-server writes it: pid:role date time mark message. */
const READABLE_LINE = /^\d+:[MSCX] \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} [.*#-] /;

/** Run a program to its exit; resolves with the exit code and everything it printed. */
function runToExit(
  child: ChildProcess,
  timeoutMs = 15_000,
): Promise<{ code: number | null; output: string }> {
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`still running after ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function redisServer(args: readonly string[]): ChildProcess {
  return spawn("redis-server", ["--save", "", "--appendonly", "no", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The message of each readable line (what follows the level mark). */
function messages(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => READABLE_LINE.test(line))
    .map((line) => line.replace(READABLE_LINE, ""));
}

describe("signals", () => {
  it("SIGHUP and SIGPIPE are ignored: the server keeps serving its data", async () => {
    const server = await spawnSpinel([]);
    started.push(server);
    const client = await RawClient.connect(server.port);
    try {
      expect((await client.call("SET", "kept", "1")).toString()).toBe("+OK\r\n");
      server.child.kill("SIGHUP");
      server.child.kill("SIGPIPE");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.child.exitCode).toBeNull();
      expect((await client.call("GET", "kept")).toString()).toBe("$1\r\n1\r\n");
    } finally {
      client.close();
    }
  });

  it("the shutdown lines appear at loglevel warning, as redis-server's do", async () => {
    const spinelLog = join(directory, "spinel-warning.log");
    const redisLog = join(directory, "redis-warning.log");
    const redis = await startRedis(["--loglevel", "warning", "--logfile", redisLog]);
    const spinel = await spawnSpinel(["--loglevel", "warning", "--logfile", spinelLog]);
    for (const server of [redis, spinel]) {
      const client = await RawClient.connect(server.port);
      client.write("*1\r\n$8\r\nSHUTDOWN\r\n");
      await client.waitClosed();
      await server.stop();
    }
    const fromRedis = messages(readFileSync(redisLog, "utf8"));
    const fromSpinel = messages(readFileSync(spinelLog, "utf8"));
    expect(fromRedis).toContain("User requested shutdown...");
    expect(fromSpinel).toContain("User requested shutdown...");
    expect(fromRedis.some((line) => /is now ready to exit, bye bye\.\.\.$/.test(line))).toBe(true);
    expect(fromSpinel.some((line) => /is now ready to exit, bye bye\.\.\.$/.test(line))).toBe(true);
    // Nothing below warning level at loglevel warning.
    expect(readFileSync(spinelLog, "utf8")).not.toMatch(/ [*.-] /);
  });
});

describe("start-up failures, compared with redis-server", () => {
  it("a port already in use: redis-server's two lines, exit 1, no stack trace", async () => {
    const holder = await startRedis();
    started.push(holder);
    const port = String(holder.port);
    const args = ["--port", port, "--bind", "127.0.0.1"];
    const [fromRedis, fromSpinel] = await Promise.all([
      runToExit(redisServer(args)),
      runToExit(spawnSpinelProcess([...args, "--log-format", "readable"])),
    ]);
    expect(fromRedis.code).toBe(1);
    expect(fromSpinel.code).toBe(1);
    const expected = [
      `Warning: Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use`,
      `Failed listening on port ${port} (TCP), aborting.`,
    ];
    expect(messages(fromRedis.output).slice(-2)).toEqual(expected);
    expect(messages(fromSpinel.output)).toEqual(expected);
    expect(fromSpinel.output).not.toMatch(/\n\s+at /);
  });

  it.each([
    ["does not exist", () => join(directory, "missing", "deeper"), "No such file or directory"],
    ["is a file", () => "/etc/hostname", "Not a directory"],
  ])("a dir that %s stops start-up with redis-server's error", async (_what, dir, reason) => {
    const port = String(await freePort());
    const args = ["--port", port, "--dir", dir()];
    const [fromRedis, fromSpinel] = await Promise.all([
      runToExit(redisServer(args)),
      runToExit(spawnSpinelProcess(args)),
    ]);
    for (const run of [fromRedis, fromSpinel]) {
      expect(run.output).toContain("*** FATAL CONFIG FILE ERROR");
      expect(run.output).toContain(`>>> 'dir `);
      expect(run.output).toContain(reason);
    }
    expect(fromRedis.code).not.toBe(0);
    expect(fromSpinel.code).not.toBe(0);
  });
});

describe("logs a person can read", () => {
  it("a plain logfile gets redis-server's line shape", async () => {
    const spinelLog = join(directory, "readable.log");
    const redisLog = join(directory, "redis-readable.log");
    const redis = await startRedis(["--logfile", redisLog]);
    const spinel = await spawnSpinel(["--logfile", spinelLog]);
    await Promise.all([redis.stop(), spinel.stop()]);
    const spinelLines = readFileSync(spinelLog, "utf8").trim().split("\n");
    for (const line of spinelLines) expect(line).toMatch(READABLE_LINE);
    expect(spinelLines[0]!.split(":")[0]).toBe(String(spinel.child.pid));
    const ready = /^\d+:M .* \* Ready to accept connections/;
    expect(readFileSync(redisLog, "utf8")).toMatch(new RegExp(ready.source, "m"));
    expect(spinelLines.some((line) => ready.test(line))).toBe(true);
  });

  it("JSON lines when asked, each with exactly one pid field", async () => {
    const logfile = join(directory, "json.log");
    const server = await spawnSpinel(["--logfile", logfile, "--log-format", "json"]);
    await server.stop();
    const lines = readFileSync(logfile, "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line.match(/"pid":/g)).toHaveLength(1);
      expect((JSON.parse(line) as { pid: number }).pid).toBe(server.child.pid);
    }
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain(
      "Ready to accept connections",
    );
  });
});
