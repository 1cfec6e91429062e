/*
 * What every bench script needs to run servers side by side: a free loopback port,
 * a wait until a server answers PING with +PONG (not -LOADING), failing when its
 * process exits first or after a deadline, a minimal pipelining RESP client, and
 * the bookkeeping that stops every started server and removes every scratch
 * directory at the end or on Ctrl-C.
 */

import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A TCP port free on 127.0.0.1 right now (the OS picks it; the probe is closed). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Resolve once 127.0.0.1:`port` answers PING with +PONG; reject when `child` has
 * exited or after `timeoutMs`. `name` names the server in the errors.
 */
export async function waitForPong(port, child, name, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const pong = await new Promise((resolveProbe) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.once("error", () => resolveProbe(false));
      socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolveProbe(data.toString() === "+PONG\r\n");
      });
    });
    if (pong) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not answer PING on port ${port}`);
}

/** Encode one command as a RESP multibulk. */
function encodeCommand(argv) {
  let out = `*${argv.length}\r\n`;
  for (const arg of argv) out += `$${Buffer.byteLength(String(arg))}\r\n${arg}\r\n`;
  return out;
}

/**
 * Stop a server process: SIGTERM, then SIGKILL if it has not exited after 10 s.
 * Resolves once it has exited (at once when it already had).
 */
export function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => process.kill(child.pid, "SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolveStop();
    });
    process.kill(child.pid, "SIGTERM");
  });
}

/** Server processes started and not yet stopped, and scratch directories, of this bench. */
const trackedChildren = new Set();
const trackedDirectories = [];
let interruptHandled = false;

/**
 * A fresh temporary directory named after `prefix`, removed by cleanUp(). The
 * first call also makes Ctrl-C clean up before the bench exits.
 */
export function scratchDirectory(prefix) {
  handleInterrupt();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  trackedDirectories.push(dir);
  return dir;
}

/** Remember server process `child`, so that cleanUp() kills it if it still runs. */
export function trackProcess(child) {
  handleInterrupt();
  trackedChildren.add(child);
  return child;
}

/** Close `server.client` (when it has one) and stop `server.child` by PID (stopProcess). */
export async function stopServer(server) {
  server.client?.close();
  await stopProcess(server.child);
  trackedChildren.delete(server.child);
}

/** Kill (SIGKILL) every tracked process still running and remove every scratch directory. */
export function cleanUp() {
  for (const child of trackedChildren)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  trackedChildren.clear();
  for (const dir of trackedDirectories.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function handleInterrupt() {
  if (interruptHandled) return;
  interruptHandled = true;
  process.on("SIGINT", () => {
    cleanUp();
    process.exit(130);
  });
}

/**
 * A minimal RESP2 connection for benches: call() resolves with one reply (bulk
 * strings as JS strings, integers as numbers, errors as Error objects, arrays
 * are not supported), pipeline() sends many commands in one write.
 */
export class RespClient {
  /** Connect to 127.0.0.1:`port`. */
  static connect(port) {
    return new Promise((resolveConnect, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.setNoDelay(true);
      socket.once("error", reject);
      socket.once("connect", () => resolveConnect(new RespClient(socket)));
    });
  }

  constructor(socket) {
    this.socket = socket;
    this.pending = [];
    this.head = 0;
    this.buffer = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
  }

  /** Hand every complete reply in the buffer to its waiting caller. */
  drain() {
    for (;;) {
      const buffer = this.buffer;
      const end = buffer.indexOf("\r\n");
      if (end < 0) return;
      const type = buffer[0];
      let reply;
      let consumed;
      if (type === 36 /* $ */) {
        const length = Number(buffer.subarray(1, end).toString());
        if (length < 0) {
          reply = null;
          consumed = end + 2;
        } else {
          if (buffer.length < end + 2 + length + 2) return;
          reply = buffer.subarray(end + 2, end + 2 + length).toString();
          consumed = end + 2 + length + 2;
        }
      } else {
        const line = buffer.subarray(1, end).toString();
        reply = type === 45 /* - */ ? new Error(line) : type === 58 /* : */ ? Number(line) : line;
        consumed = end + 2;
      }
      this.buffer = buffer.subarray(consumed);
      const resolveReply = this.pending[this.head];
      this.pending[this.head++] = undefined;
      if (this.head === this.pending.length) {
        this.pending.length = 0;
        this.head = 0;
      }
      resolveReply(reply);
    }
  }

  /** Send one command; resolves with its reply. */
  call(...argv) {
    return new Promise((resolveCall) => {
      this.pending.push(resolveCall);
      this.socket.write(encodeCommand(argv));
    });
  }

  /** Send many commands in one write; resolves with their replies when all arrived. */
  pipeline(commands) {
    let text = "";
    const replies = [];
    for (const argv of commands) {
      text += encodeCommand(argv);
      replies.push(new Promise((r) => this.pending.push(r)));
    }
    this.socket.write(text);
    return Promise.all(replies);
  }

  close() {
    this.socket.destroy();
  }
}
