/*
 * RawClient: a TCP client that sends commands and returns each reply as raw bytes,
 * so tests can compare Spinel and redis-server byte for byte.
 */

import net from "node:net";
import { encodeCommand, frameEnd } from "./resp-frames.js";

/** A connection that reads whole RESP frames. */
export class RawClient {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiters: Array<{ resolve: (frame: Buffer) => void; reject: (error: Error) => void }> = [];
  private closedError: Error | null = null;
  /** Frames that arrived with nobody waiting (pushes). */
  readonly unsolicited: Buffer[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const fail = (error: Error) => {
      this.closedError = error;
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed")));
  }

  /** Connect to host:port (127.0.0.1 by default). */
  static connect(port: number, host = "127.0.0.1"): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, noDelay: true });
      socket.once("connect", () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  private drain(): void {
    for (;;) {
      if (this.buffer.length === 0) return;
      const end = frameEnd(this.buffer, 0);
      if (end === -1) return;
      const frame = Buffer.from(this.buffer.subarray(0, end));
      this.buffer = this.buffer.subarray(end);
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(frame);
      else this.unsolicited.push(frame);
    }
  }

  /** Read the next frame (or take one that already arrived), waiting at most `timeoutMs`. */
  read(timeoutMs = 5000): Promise<Buffer> {
    const ready = this.unsolicited.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.findIndex((w) => w.resolve === wrappedResolve);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const wrappedResolve = (frame: Buffer) => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.waiters.push({
        resolve: wrappedResolve,
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** Send one command and return its raw reply. */
  async call(...argv: Array<string | Buffer>): Promise<Buffer> {
    this.socket.write(encodeCommand(argv));
    return this.read();
  }

  /** Send raw bytes (inline commands, malformed input). */
  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves when the server closes the connection (or rejects after timeoutMs). */
  waitClosed(timeoutMs = 5000): Promise<void> {
    if (this.socket.destroyed || this.closedError) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("connection still open")), timeoutMs);
      this.socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Close the connection. */
  close(): void {
    this.socket.destroy();
  }
}
