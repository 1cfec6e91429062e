/*
 * client-output-buffer-limit for subscribers, against the real spinel-server
 * program in its own process (so its memory can be read honestly from
 * /proc/<pid>/status).
 *
 * A subscriber that never reads while a publisher pushes 500 MB through its
 * channel must be disconnected at the pubsub hard limit (Redis' default
 * `pubsub 32mb 8mb 60`), and the server's resident memory must stay bounded:
 * without the limit it would have to hold everything the subscriber did not read.
 *
 * The bound: the server's peak VmRSS may exceed its idle VmRSS by at most
 * RSS_GROWTH_BOUND (the 32 MB hard limit, the publisher's 1 MB messages in flight,
 * socket buffers and the garbage collector's slack).
 */

import { readFileSync } from "node:fs";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { spawnSpinel, type TestServer } from "../support/servers.js";

const MB = 1024 * 1024;
const RSS_GROWTH_BOUND = 160 * MB;

let server: (TestServer & { child: { pid?: number } }) | null = null;

afterEach(async () => {
  await server?.stop();
  server = null;
});

/** VmRSS of a process in bytes. */
function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** A subscriber that subscribes and then never reads again. */
async function stalledSubscriber(port: number, channel: string): Promise<net.Socket> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => {});
  socket.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${channel.length}\r\n${channel}\r\n`);
  await new Promise<void>((resolve) => socket.once("data", () => resolve()));
  socket.pause();
  return socket;
}

/** Poll `probe` until it returns true or `timeoutMs` passes. */
async function eventually(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/**
 * Publish `total` bytes to `channel` in messages of `size` bytes, pipelined but
 * paced by the socket's backpressure, counting the replies. Resolves with the
 * PUBLISH replies (receiver counts) in order.
 */
async function publishVolume(port: number, channel: string, total: number, size: number): Promise<number[]> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const messages = Math.ceil(total / size);
  const payload = Buffer.alloc(size, 0x61);
  const header = Buffer.from(
    `*3\r\n$7\r\nPUBLISH\r\n$${channel.length}\r\n${channel}\r\n$${size}\r\n`,
    "latin1",
  );
  const crlf = Buffer.from("\r\n");
  const replies: number[] = [];
  let pending = "";
  const done = new Promise<void>((resolve, reject) => {
    socket.on("data", (chunk) => {
      pending += chunk.toString("latin1");
      let end = pending.indexOf("\r\n");
      while (end !== -1) {
        replies.push(Number(pending.slice(1, end)));
        pending = pending.slice(end + 2);
        end = pending.indexOf("\r\n");
      }
      if (replies.length === messages) resolve();
    });
    socket.on("error", reject);
  });
  for (let i = 0; i < messages; i++) {
    socket.write(header);
    socket.write(payload);
    if (!socket.write(crlf)) await new Promise((r) => socket.once("drain", r));
  }
  await done;
  socket.destroy();
  return replies;
}

describe("slow subscribers", () => {
  it("disconnects a subscriber that stops reading at the pubsub hard limit; memory stays bounded", async () => {
    server = await spawnSpinel();
    const pid = server.child.pid!;
    const idle = residentBytes(pid);
    const subscriber = await stalledSubscriber(server.port, "firehose");
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentBytes(pid));
    }, 20);
    let replies: number[];
    try {
      replies = await publishVolume(server.port, "firehose", 500 * MB, MB);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, residentBytes(pid));

    // Delivered to the subscriber at first, then nobody: it was disconnected.
    expect(replies.length).toBe(500);
    expect(replies[0]).toBe(1);
    expect(replies[replies.length - 1]).toBe(0);
    const delivered = replies.filter((count) => count === 1).length;
    // 32 MB hard limit with 1 MB messages, plus what the kernel's socket buffers absorbed.
    expect(delivered).toBeGreaterThanOrEqual(32);
    expect(delivered).toBeLessThan(200);

    const observer = await RawClient.connect(server.port);
    expect((await observer.call("PUBSUB", "NUMSUB", "firehose")).toString()).toBe(
      "*2\r\n$8\r\nfirehose\r\n:0\r\n",
    );
    observer.close();

    // The subscriber finds its connection closed once it reads again.
    const closed = new Promise<void>((resolve) => subscriber.once("close", () => resolve()));
    subscriber.resume();
    await closed;

    console.info(
      `slow subscriber: idle RSS ${(idle / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, ` +
        `${delivered} of 500 1 MB messages queued before the disconnect`,
    );
    expect(peak - idle).toBeLessThan(RSS_GROWTH_BOUND);
  }, 120_000);

  it("disconnects a subscriber over the soft limit for longer than its seconds", async () => {
    // No hard limit: only the time spent over 1 MB can get the subscriber disconnected.
    server = await spawnSpinel(["--client-output-buffer-limit", "pubsub 0 1mb 2"]);
    const subscriber = await stalledSubscriber(server.port, "soft");
    const observer = await RawClient.connect(server.port);
    // 30 MB: more than the kernel's socket buffers take, so the server holds > 1 MB for the subscriber.
    const replies = await publishVolume(server.port, "soft", 30 * MB, MB);
    // Still subscribed right after: being over the soft limit is not enough by itself ...
    expect(replies.every((count) => count === 1)).toBe(true);
    // ... but staying over it for two seconds is.
    const disconnected = await eventually(
      async () => (await observer.call("PUBSUB", "NUMSUB", "soft")).toString().endsWith(":0\r\n"),
      10_000,
    );
    expect(disconnected).toBe(true);
    // INFO keeps the biggest output buffer of the last seconds, the disconnected subscriber's.
    const info = (await observer.call("INFO", "clients")).toString();
    const recentMax = Number(/client_recent_max_output_buffer:(\d+)/.exec(info)?.[1]);
    expect(recentMax).toBeGreaterThan(MB);
    observer.close();
    subscriber.destroy();
  }, 60_000);

  it("keeps a subscriber that keeps up, however much goes through", async () => {
    server = await spawnSpinel();
    const subscriber = net.connect({ port: server.port, host: "127.0.0.1" });
    await new Promise<void>((resolve) => subscriber.once("connect", resolve));
    let received = 0;
    subscriber.on("data", (chunk) => {
      received += chunk.length;
    });
    subscriber.write("*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nfast\r\n");
    await eventually(async () => received > 0, 5000);
    const confirmation = received;
    // 100 MB in batches of 4 MB; the subscriber reads each batch before the next one
    // is published, so it never falls more than a batch behind (far below 8 MB).
    const replies: number[] = [];
    for (let batch = 1; batch <= 25; batch++) {
      replies.push(...(await publishVolume(server.port, "fast", 4 * MB, MB)));
      const expected = confirmation + batch * 4 * (MB + 30);
      expect(await eventually(async () => received >= expected, 20_000)).toBe(true);
    }
    expect(replies.length).toBe(100);
    expect(replies.every((count) => count === 1)).toBe(true);
    expect(received).toBeGreaterThanOrEqual(100 * MB);
    subscriber.destroy();
  }, 120_000);
});
