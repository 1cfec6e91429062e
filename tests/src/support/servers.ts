/*
 * Starting the servers tests talk to: Spinel in-process (startSpinel) or as a
 * child process (spawnSpinel), and a real redis-server 7 (startRedis) on a free
 * loopback port. Everything started here is stopped by PID in `stop()`.
 */

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type SpinelServer, startServer } from "@spinel/server";
import { RawClient } from "./raw-client.js";

/** A server a test can connect to. */
export interface TestServer {
  readonly port: number;
  readonly host: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Start Spinel in this process on 127.0.0.1 and a free port. */
export async function startSpinel(
  config: Record<string, string | number | boolean> = {},
): Promise<TestServer & { server: SpinelServer }> {
  const server = await startServer({ config });
  return { port: server.port, host: "127.0.0.1", server, stop: () => server.close() };
}

/**
 * Wait until something answers PING with +PONG on the port (not -LOADING); reject
 * when the child exits first, or after `timeoutMs`.
 */
export async function waitForPing(
  port: number,
  child: ChildProcess,
  what: string,
  output: () => string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${output()}`);
    try {
      const client = await RawClient.connect(port);
      try {
        const reply = await client.call("PING");
        if (reply.toString() === "+PONG\r\n") return;
      } finally {
        client.close();
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} did not answer PING on port ${port}: ${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolveStop();
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill("SIGTERM");
  });
}

/** True when redis-server is on PATH. */
export function haveRedisServer(): boolean {
  return ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].some((path) => existsSync(path));
}

/**
 * Spawn redis-server on 127.0.0.1:`port` in the foreground, with no save points,
 * then `args` (later arguments win). Returns the child and its collected output.
 */
export function spawnRedisServer(
  port: number,
  args: readonly string[],
): { child: ChildProcess; output: () => string } {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--daemonize", "no", ...args],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let text = "";
  child.stdout?.on("data", (d) => (text += d));
  child.stderr?.on("data", (d) => (text += d));
  return { child, output: () => text };
}

/**
 * Start a real redis-server on a free loopback port, in-memory (no RDB, no AOF).
 * Extra redis-server arguments may be given (e.g. ["--notify-keyspace-events", "KEA"]).
 */
export async function startRedis(extraArgs: readonly string[] = []): Promise<TestServer & { pid: number }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const { child, output } = spawnRedisServer(port, ["--appendonly", "no", ...extraArgs]);
    try {
      await waitForPing(port, child, "redis-server", output);
      return { port, host: "127.0.0.1", pid: child.pid!, stop: () => stopChild(child) };
    } catch (error) {
      await stopChild(child);
      if (attempt >= 2) throw error;
    }
  }
}

const here = dirname(fileURLToPath(import.meta.url));
/** The server's CLI entry point (TypeScript source, run through tsx). */
export const serverMain = resolve(here, "../../../apps/server/src/main.ts");

/**
 * Start the spinel-server program as a child process, with command-line
 * arguments, on a free port (unless the arguments give one). It must answer
 * PING within `readyTimeoutMs` (start-up through tsx is slow on a busy machine).
 */
export async function spawnSpinel(
  args: readonly string[] = [],
  readyTimeoutMs = 10_000,
): Promise<TestServer & { child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const portArgs = args.includes("--port") ? [] : ["--port", String(port)];
  const child = spawnSpinelProcess([...args, ...portArgs, "--bind", "127.0.0.1"]);
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const actualPort = args.includes("--port") ? Number(args[args.indexOf("--port") + 1]) : port;
  try {
    await waitForPing(actualPort, child, "spinel-server", () => output, readyTimeoutMs);
  } catch (error) {
    // A server that never became ready must not outlive the test (nothing else would stop it).
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    throw error;
  }
  return { port: actualPort, host: "127.0.0.1", child, output: () => output, stop: () => stopChild(child) };
}

/** Spawn spinel-server with exactly these arguments (no readiness wait). */
export function spawnSpinelProcess(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ["--conditions=@spinel/source", "--import", "tsx", serverMain, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    cwd: resolve(here, "../.."),
  });
}

/** Run redis-cli with arguments against a port; resolves with stdout. */
export function redisCli(port: number, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = execFile(
      "redis-cli",
      ["-p", String(port), ...args],
      { timeout: 10_000 },
      (error, stdout, stderr) => {
        if (error && !stdout) reject(new Error(`${error.message}\n${stderr}`));
        else resolveRun(stdout);
      },
    );
    if (input !== undefined) {
      child.stdin?.end(input);
    }
  });
}
