/*
 * Test support: a real redis-server 7 on a free loopback port (in-memory), and a
 * raw socket exchange that sends bytes exactly as given and collects the reply
 * until the server closes the connection or stays silent.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";

/** True when redis-server is installed where Debian puts it. */
export function haveRedisServer(): boolean {
  return ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].some((path) => existsSync(path));
}

/** A running redis-server. */
export interface RedisProcess {
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Start redis-server with extra arguments; resolves once it answers PING. */
export async function startRedis(extraArgs: readonly string[] = []): Promise<RedisProcess> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...extraArgs],
    { stdio: "ignore" },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const reply = await exchange(port, Buffer.from("PING\r\n"), 50).catch(() => null);
    if (reply?.bytes.toString() === "+PONG\r\n" || reply?.bytes.toString().startsWith("-NOAUTH")) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      await stopChild(child);
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { port, stop: () => stopChild(child) };
}

/** What came back from one raw exchange. */
export interface Exchange {
  bytes: Buffer;
  /** True when the server closed the connection. */
  closed: boolean;
}

/**
 * Connect, write `request` in one go, and collect everything until the server
 * closes the connection, or `quietMs` pass without data once at least
 * `expectedBytes` arrived (a loaded machine may take a while to answer), or
 * 10 seconds pass.
 */
export function exchange(port: number, request: Buffer, quietMs = 150, expectedBytes = 0): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(deadline);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), closed });
    };
    let received = 0;
    const deadline = setTimeout(() => finish(false), 10_000);
    const arm = () => {
      clearTimeout(timer);
      if (received >= expectedBytes) timer = setTimeout(() => finish(false), quietMs);
    };
    socket.on("connect", () => {
      socket.write(request);
      arm();
    });
    socket.on("data", (data) => {
      chunks.push(data);
      received += data.length;
      arm();
    });
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", (error) => {
      if (chunks.length > 0 || (error as NodeJS.ErrnoException).code === "ECONNRESET") finish(true);
      else if (!settled) {
        settled = true;
        clearTimeout(timer);
        clearTimeout(deadline);
        reject(error);
      }
    });
  });
}
