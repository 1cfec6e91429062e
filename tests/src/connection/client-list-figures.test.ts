/*
 * CLIENT LIST / CLIENT INFO figures, measured and moving: each scenario runs on
 * a real redis-server 7 and on Spinel; fields whose value follows from the
 * protocol (qbuf, argv-mem, obl, cmd, user, redir, resp ...) must be equal,
 * fields that depend on the implementation's buffers (qbuf-free, rbs, rbp,
 * multi-mem, omem, tot-mem) must move the same way.
 */

import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

let redis: TestServer;
let spinel: TestServer;
beforeAll(async () => {
  [redis, spinel] = await Promise.all([startRedis(), startSpinel()]);
});
afterAll(async () => {
  await Promise.all([redis?.stop(), spinel?.stop()]);
});

const servers = () =>
  [
    ["redis", redis],
    ["spinel", spinel],
  ] as const;

/** A CLIENT LIST / INFO line as a field map. */
function fields(line: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of line.trim().split(" ")) {
    const at = pair.indexOf("=");
    map[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return map;
}

/** The payload of a bulk or verbatim reply. */
function payload(reply: Buffer): string {
  const text = reply.toString("latin1");
  const body = text.slice(text.indexOf("\r\n") + 2, -2);
  return body.startsWith("txt:") ? body.slice(4) : body;
}

/** CLIENT LIST ID <id> as seen from `observer`. */
async function listOne(observer: RawClient, id: string): Promise<Record<string, string>> {
  return fields(payload(await observer.call("CLIENT", "LIST", "ID", id)));
}

/** Read raw frames until `count` have arrived on a RawClient. */
async function frames(client: RawClient, count: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) out.push(await client.read());
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const PROTOCOL_FIELDS = [
  "qbuf",
  "argv-mem",
  "multi",
  "obl",
  "oll",
  "omem",
  "events",
  "cmd",
  "user",
  "redir",
  "resp",
];

describe("CLIENT INFO against redis-server", () => {
  it("a pipelined command leaves its reply in the reply buffer (obl) and the whole read in qbuf", async () => {
    const seen: Record<string, Record<string, string>> = {};
    for (const [name, server] of servers()) {
      const client = await RawClient.connect(server.port);
      try {
        client.write("SET cl:a b\r\nCLIENT INFO\r\n");
        const [, info] = await frames(client, 2);
        seen[name] = fields(payload(info!));
      } finally {
        client.close();
      }
    }
    for (const field of PROTOCOL_FIELDS) expect(seen.spinel![field], field).toBe(seen.redis![field]);
    expect(seen.spinel).toMatchObject({
      qbuf: "25",
      "argv-mem": "10",
      obl: "5",
      cmd: "client|info",
      resp: "2",
    });
    expect(Number(seen.spinel!.rbs)).toBeGreaterThan(0);
    expect(Number(seen.spinel!["tot-mem"])).toBeGreaterThanOrEqual(Number(seen.spinel!.rbs) + 25 + 10);
  });

  it("resp follows HELLO, cmd shows the last command with its subcommand", async () => {
    const seen: Record<string, string[]> = {};
    for (const [name, server] of servers()) {
      const client = await RawClient.connect(server.port);
      const observer = await RawClient.connect(server.port);
      try {
        await client.call("HELLO", "3");
        const id = (await client.call("CLIENT", "ID")).toString().slice(1, -2);
        const before = await listOne(observer, id);
        await client.call("CONFIG", "GET", "maxmemory");
        const after = await listOne(observer, id);
        const fresh = fields(payload(await observer.call("CLIENT", "INFO")));
        seen[name] = [before.resp!, before.cmd!, after.cmd!, fresh.cmd!];
      } finally {
        client.close();
        observer.close();
      }
    }
    expect(seen.spinel).toEqual(seen.redis);
    expect(seen.redis).toEqual(["3", "client|id", "config|get", "client|info"]);
  });
});

describe("cmd after refused commands, against redis-server", () => {
  it("a refused known command is shown, an unknown command or subcommand shows NULL", async () => {
    const seen: Record<string, string[]> = {};
    for (const [name, server] of servers()) {
      const client = await RawClient.connect(server.port);
      const observer = await RawClient.connect(server.port);
      try {
        const id = (await client.call("CLIENT", "ID")).toString().slice(1, -2);
        const shown: string[] = [];
        for (const argv of [
          ["GET"],
          ["NOSUCH", "x"],
          ["CONFIG"],
          ["CLIENT", "NOSUCH"],
          ["CONFIG", "GET"],
          ["PING"],
        ]) {
          await client.call(...argv);
          shown.push((await listOne(observer, id)).cmd!);
        }
        seen[name] = shown;
      } finally {
        client.close();
        observer.close();
      }
    }
    expect(seen.spinel).toEqual(seen.redis);
    expect(seen.redis).toEqual(["get", "NULL", "config", "NULL", "config|get", "ping"]);
  });
});

describe("CLIENT LIST figures move", () => {
  it("multi and multi-mem grow with queued commands", async () => {
    for (const [, server] of servers()) {
      const client = await RawClient.connect(server.port);
      const observer = await RawClient.connect(server.port);
      try {
        const id = (await client.call("CLIENT", "ID")).toString().slice(1, -2);
        const idle = await listOne(observer, id);
        await client.call("MULTI");
        await client.call("SET", "cl:m", "x".repeat(100));
        const one = await listOne(observer, id);
        await client.call("SET", "cl:m", "y".repeat(100));
        const two = await listOne(observer, id);
        expect([idle.multi, one.multi, two.multi]).toEqual(["-1", "1", "2"]);
        expect(one.flags).toBe("x");
        expect(Number(idle["multi-mem"])).toBe(0);
        expect(Number(one["multi-mem"])).toBeGreaterThanOrEqual(107);
        expect(Number(two["multi-mem"])).toBeGreaterThan(Number(one["multi-mem"]));
        expect(Number(two["tot-mem"])).toBeGreaterThan(Number(idle["tot-mem"]));
        // Between commands an idle client holds no arguments.
        expect(idle["argv-mem"]).toBe("0");
      } finally {
        client.close();
        observer.close();
      }
    }
  });

  it("an incomplete request: qbuf holds its unread bytes, argv-mem its read arguments; qbuf-free shrinks when idle", async () => {
    const seen: Record<string, Array<Record<string, string>>> = {};
    for (const [name, server] of servers()) {
      const socket = net.connect({ port: server.port, host: "127.0.0.1" });
      await new Promise((resolve) => socket.once("connect", resolve));
      const observer = await RawClient.connect(server.port);
      try {
        socket.write("CLIENT SETNAME partial\r\n");
        await sleep(50);
        const list = payload(await observer.call("CLIENT", "LIST"));
        const id = list
          .split("\n")
          .find((line) => line.includes("name=partial"))!
          .match(/id=(\d+)/)![1]!;
        socket.write("*3\r\n$3\r\nSET\r\n$4\r\ncl:p\r\n$10\r\nabc");
        await sleep(50);
        socket.write("de");
        await sleep(50);
        const held = await listOne(observer, id);
        let shrunk = held;
        for (let i = 0; i < 60 && shrunk["qbuf-free"] !== "0"; i++) {
          await sleep(100);
          shrunk = await listOne(observer, id);
        }
        socket.write("fghij\r\n");
        await sleep(50);
        const done = await listOne(observer, id);
        seen[name] = [held, shrunk, done];
      } finally {
        socket.destroy();
        observer.close();
      }
    }
    for (const [name, [held, shrunk, done]] of Object.entries(seen)) {
      expect([held!.qbuf, held!["argv-mem"]], name).toEqual(["5", "7"]);
      expect(Number(held!["qbuf-free"]), name).toBeGreaterThan(4096);
      expect([shrunk!.qbuf, shrunk!["qbuf-free"], shrunk!["argv-mem"]], name).toEqual(["5", "0", "7"]);
      expect(Number(shrunk!["tot-mem"]), name).toBeLessThan(Number(held!["tot-mem"]));
      expect([done!.qbuf, done!["argv-mem"], done!.cmd], name).toEqual(["0", "0", "set"]);
    }
  }, 20_000);

  it("a client that does not read: omem, oll and tot-mem grow and it waits for writes", async () => {
    for (const [name, server] of servers()) {
      const reader = net.connect({ port: server.port, host: "127.0.0.1" });
      await new Promise((resolve) => reader.once("connect", resolve));
      const publisher = await RawClient.connect(server.port);
      try {
        reader.write("CLIENT SETNAME stalled\r\nSUBSCRIBE cl:flood\r\n");
        await sleep(100);
        reader.pause();
        const before = fields(
          payload(await publisher.call("CLIENT", "LIST"))
            .split("\n")
            .find((line) => line.includes("name=stalled"))!,
        );
        const message = "m".repeat(64 * 1024);
        for (let i = 0; i < 160; i++) await publisher.call("PUBLISH", "cl:flood", message);
        const after = await listOne(publisher, before.id!);
        expect(before.omem, name).toBe("0");
        expect(Number(after.omem), name).toBeGreaterThan(1024 * 1024);
        expect(Number(after.oll), name).toBeGreaterThan(0);
        expect(after.events, name).toContain("w");
        expect(Number(after["tot-mem"]), name).toBeGreaterThan(Number(after.omem));
        expect(after.cmd, name).toBe("subscribe");
      } finally {
        reader.destroy();
        publisher.close();
      }
    }
  });

  it("rbs and rbp follow a big reply; obl holds it until the flush", async () => {
    const client = await RawClient.connect(spinel.port);
    try {
      await client.call("SET", "cl:big", "v".repeat(200_000));
      const idle = fields(payload(await client.call("CLIENT", "INFO")));
      client.write("GET cl:big\r\nCLIENT INFO\r\n");
      const [, info] = await frames(client, 2);
      const during = fields(payload(info!));
      const later = fields(payload(await client.call("CLIENT", "INFO")));
      expect(Number(during.rbs)).toBeGreaterThan(200_000);
      expect(Number(during.obl)).toBeGreaterThan(200_000);
      expect(Number(later.rbp)).toBeGreaterThan(200_000);
      expect(Number(idle.rbp)).toBeLessThan(1000);
      expect(Number(later.obl)).toBe(0);
    } finally {
      client.close();
    }
  });
});
