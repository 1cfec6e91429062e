/*
 * Test harness of @spinel/eventloop: a real EventLoop on 127.0.0.1:0 with a tiny
 * delegate that understands a handful of commands, and a raw TCP client that
 * collects every byte the server sends.
 *
 * The delegate's commands:
 *   PING                 +PONG
 *   ECHO <x>             the argument as a bulk string
 *   BIG <n>              a bulk string of n bytes ("x" repeated)
 *   BLOCK                pause the connection until the test calls unblock()
 *   QUIT                 +OK, then close after the reply
 *   KILL                 close at once
 *   THROW                throw (a bug in the command layer)
 *   BROKEN               leave a deferred reply length unset (malformed output)
 *   PUBSUB               switch to the pubsub output-limit class, reply +OK
 *   EXEMPT               exempt from the idle timeout, reply +OK
 *   anything else        -ERR unknown command '<name>'
 */

import net from "node:net";
import { type Connection, EventLoop, type EventLoopOptions } from "../src/index.js";

/** What the harness saw of one connection. */
export interface SeenConnection {
  connection: Connection;
  requests: string[][];
  /** Number of socket.write calls made for this connection. */
  writes: number;
  /** Number of data chunks the server received for this connection. */
  chunks: number;
  closed: boolean;
}

/** A running loop with its delegate's observations. */
export interface LoopHarness {
  loop: EventLoop;
  port: number;
  seen: SeenConnection[];
  close(): Promise<void>;
}

/** Start an EventLoop on 127.0.0.1:0 (unless options say otherwise) with the test delegate. */
export async function startLoop(options: Partial<EventLoopOptions> = {}): Promise<LoopHarness> {
  const seen: SeenConnection[] = [];
  const loop = new EventLoop({
    bind: ["127.0.0.1"],
    port: 0,
    ...options,
    onConnection(connection) {
      const entry: SeenConnection = { connection, requests: [], writes: 0, chunks: 0, closed: false };
      seen.push(entry);
      const socket = connection.socket;
      const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
      socket.write = ((chunk: Buffer) => {
        entry.writes++;
        return write(chunk);
      }) as typeof socket.write;
      socket.on("data", () => entry.chunks++);
      return {
        onRequest(argv) {
          entry.requests.push(argv.map((arg) => arg.toString("latin1")));
          runTestCommand(connection, argv);
        },
        onClose() {
          entry.closed = true;
        },
      };
    },
  });
  const addresses = await loop.listen();
  return { loop, port: addresses[0]!.port, seen, close: () => loop.close() };
}

function runTestCommand(connection: Connection, argv: Buffer[]): void {
  const writer = connection.writer;
  const name = argv[0]!.toString("latin1").toUpperCase();
  switch (name) {
    case "PING":
      writer.simple("PONG");
      return;
    case "ECHO":
      writer.bulk(argv[1]!);
      return;
    case "BIG":
      writer.bulk(Buffer.alloc(Number(argv[1]!.toString()), "x"));
      return;
    case "BLOCK":
      connection.pause();
      return;
    case "QUIT":
      writer.ok();
      connection.close(true);
      return;
    case "KILL":
      connection.close(false);
      return;
    case "THROW":
      throw new Error("simulated bug in a command");
    case "BROKEN":
      writer.beginDeferredLength();
      return;
    case "PUBSUB":
      connection.outputLimitClass = "pubsub";
      writer.ok();
      return;
    case "EXEMPT":
      connection.timeoutExempt = true;
      writer.ok();
      return;
    default:
      writer.error(`ERR unknown command '${argv[0]!.toString("latin1")}'`);
  }
}

/** Answer a client paused by BLOCK with +UNBLOCKED and let it carry on, as a blocking command would. */
export function unblock(connection: Connection): void {
  connection.writer.simple("UNBLOCKED");
  connection.requestFlush();
  connection.resume();
}

/** Encode a command as a RESP multibulk request. */
export function encode(...argv: string[]): Buffer {
  const parts = [`*${argv.length}\r\n`];
  for (const arg of argv) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(""));
}

/** A raw TCP client that accumulates everything it receives. */
export class SocketClient {
  readonly socket: net.Socket;
  closed: boolean;
  /** Bytes received so far. */
  receivedBytes: number;
  private chunks: Buffer[];
  private readonly waiters: Array<() => void>;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    this.closed = false;
    this.receivedBytes = 0;
    this.chunks = [];
    this.waiters = [];
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.receivedBytes += chunk.length;
      this.wake();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Connect to host:port. */
  static connect(port: number, host = "127.0.0.1"): Promise<SocketClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, noDelay: true });
      socket.once("connect", () => resolve(new SocketClient(socket)));
      socket.once("error", reject);
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Everything received so far. */
  get received(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Everything received so far, as latin1 text. */
  get text(): string {
    return this.received.toString("latin1");
  }

  /** Send raw bytes. */
  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** Wait until `predicate` holds (checked on every arrival), or fail after timeoutMs. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.text.slice(-200))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Wait until at least `bytes` bytes arrived. */
  waitForBytes(bytes: number, timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => this.receivedBytes >= bytes, `${bytes} bytes`, timeoutMs);
  }

  /** Wait until the received text is exactly `text` (or longer: then it fails). */
  async expectText(text: string, timeoutMs = 5000): Promise<void> {
    await this.waitFor(
      () => this.receivedBytes >= Buffer.byteLength(text, "latin1"),
      JSON.stringify(text),
      timeoutMs,
    );
    if (this.text !== text)
      throw new Error(`expected ${JSON.stringify(text)}, got ${JSON.stringify(this.text)}`);
  }

  /** Wait until the server closed the connection. */
  waitClosed(timeoutMs = 5000): Promise<void> {
    return this.waitFor(() => this.closed, "the connection to close", timeoutMs);
  }

  /** Forget what was received so far. */
  clear(): void {
    this.chunks = [];
    this.receivedBytes = 0;
  }

  /** Close from the client side. */
  close(): void {
    this.socket.destroy();
  }
}

/** Wait `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Wait until `predicate` holds, polling, or fail after timeoutMs. */
export async function eventually(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** True when this host can listen on ::1. */
export function ipv6Available(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(0, "::1", () => server.close(() => resolve(true)));
  });
}
