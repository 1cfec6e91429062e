/*
 * Connection commands over TCP with real clients: AUTH and requirepass with
 * ioredis, node-redis and redis-cli; HELLO 3 negotiated by node-redis; CLIENT
 * LIST fields in Redis 7.0's order (compared with a real redis-server);
 * CLIENT KILL in both forms; CLIENT REPLY OFF / SKIP / ON; CLIENT SETINFO as
 * client libraries send it; RESET.
 */

import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { redisCli, startRedis, startSpinel, type TestServer } from "../support/servers.js";

/** Field names of a CLIENT LIST line, in order. */
function fieldNames(line: string): string[] {
  return line
    .trim()
    .split(" ")
    .map((field) => field.slice(0, field.indexOf("=")));
}

/** A CLIENT LIST line as a name -> value map. */
function fields(line: string): Map<string, string> {
  return new Map(
    line
      .trim()
      .split(" ")
      .map((field) => [field.slice(0, field.indexOf("=")), field.slice(field.indexOf("=") + 1)]),
  );
}

describe("authentication with requirepass", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startSpinel({ requirepass: "open sesame" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses commands before AUTH, with Redis' errors", async () => {
    const client = await RawClient.connect(server.port);
    try {
      expect((await client.call("GET", "k")).toString()).toBe("-NOAUTH Authentication required.\r\n");
      expect((await client.call("HELLO", "3")).toString()).toMatch(/^-NOAUTH HELLO must be called/);
      expect((await client.call("AUTH", "wrong")).toString()).toBe(
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
      );
      expect((await client.call("AUTH", "someone", "open sesame")).toString()).toMatch(/^-WRONGPASS/);
      expect((await client.call("AUTH", "open sesame")).toString()).toBe("+OK\r\n");
      expect((await client.call("GET", "k")).toString()).toBe("$-1\r\n");
      expect((await client.call("RESET")).toString()).toBe("+RESET\r\n");
      expect((await client.call("GET", "k")).toString()).toBe("-NOAUTH Authentication required.\r\n");
      const hello = await client.call("HELLO", "3", "AUTH", "default", "open sesame", "SETNAME", "h3");
      expect(hello.toString()).toMatch(/^%7\r\n/);
      expect((await client.call("CLIENT", "GETNAME")).toString()).toBe("$2\r\nh3\r\n");
    } finally {
      client.close();
    }
  });

  it("ioredis authenticates with password, and fails with a wrong one", async () => {
    const good = new Redis({ port: server.port, password: "open sesame", lazyConnect: true });
    await good.connect();
    expect(await good.set("auth:k", "v")).toBe("OK");
    expect(await good.get("auth:k")).toBe("v");
    good.disconnect();
    const bad = new Redis({
      port: server.port,
      password: "nope",
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const errors: string[] = [];
    bad.on("error", (error: Error) => errors.push(error.message));
    const outcome = await bad
      .connect()
      .then(() => bad.ping())
      .catch((error: Error) => error.message);
    errors.push(String(outcome));
    expect(errors.join("\n")).toMatch(/WRONGPASS invalid username-password pair or user is disabled\./);
    bad.disconnect();
  });

  for (const resp of [2, 3] as const) {
    it(`node-redis RESP${resp} authenticates (HELLO ... AUTH or AUTH)`, async () => {
      const client = createClient({
        socket: { port: server.port, host: "127.0.0.1", reconnectStrategy: false },
        password: "open sesame",
        RESP: resp,
      });
      client.on("error", () => {});
      await client.connect();
      expect(await client.set("auth:n", "1")).toBe("OK");
      expect(await client.get("auth:n")).toBe("1");
      client.destroy();
    });
  }

  it("redis-cli -a", async () => {
    expect(await redisCli(server.port, ["PING"])).toContain("NOAUTH");
    expect(await redisCli(server.port, ["-a", "open sesame", "--no-auth-warning", "PING"])).toBe("PONG\n");
  });
});

describe("input limits before authentication (requirepass set)", () => {
  let spinel: TestServer;
  let redis: TestServer;

  beforeAll(async () => {
    [spinel, redis] = await Promise.all([startSpinel({ requirepass: "pw" }), startRedis()]);
    // Set after start: the start-up check pings without a password.
    const admin = await RawClient.connect(redis.port);
    try {
      expect((await admin.call("CONFIG", "SET", "requirepass", "pw")).toString()).toBe("+OK\r\n");
    } finally {
      admin.close();
    }
  });
  afterAll(async () => {
    await Promise.all([spinel?.stop(), redis?.stop()]);
  });

  /** Send `argv` unauthenticated; the reply and whether the server then closed the connection. */
  async function sendUnauthenticated(port: number, argv: Array<string | Buffer>): Promise<[string, boolean]> {
    const client = await RawClient.connect(port);
    try {
      const reply = (await client.call(...argv)).toString();
      const closed = await client.read(300).then(
        () => false,
        (error: Error) => error.message === "connection closed",
      );
      return [reply, closed];
    } finally {
      client.close();
    }
  }

  const cases: Array<[string, Array<string | Buffer>]> = [
    ["11 arguments", ["GET", ...Array.from({ length: 10 }, (_, i) => `a${i}`)]],
    ["10 arguments", ["GET", ...Array.from({ length: 9 }, (_, i) => `a${i}`)]],
    ["a 16 KB argument", ["AUTH", "x".repeat(16 * 1024)]],
    ["a 16 KB + 1 argument", ["AUTH", "x".repeat(16 * 1024 + 1)]],
  ];
  for (const [name, argv] of cases) {
    it(`${name}: the same reply and connection fate as redis-server`, async () => {
      const [spinelOutcome, redisOutcome] = await Promise.all([
        sendUnauthenticated(spinel.port, argv),
        sendUnauthenticated(redis.port, argv),
      ]);
      expect(spinelOutcome).toEqual(redisOutcome);
    });
  }

  it("after AUTH the normal limits apply, and RESET brings the strict ones back", async () => {
    const client = await RawClient.connect(spinel.port);
    try {
      expect((await client.call("AUTH", "pw")).toString()).toBe("+OK\r\n");
      const many = ["MSET", ...Array.from({ length: 20 }, (_, i) => `k${i % 10}`)];
      expect((await client.call(...many)).toString()).toBe("+OK\r\n");
      expect((await client.call("SET", "big", "y".repeat(20_000))).toString()).toBe("+OK\r\n");
      expect((await client.call("RESET")).toString()).toBe("+RESET\r\n");
      expect((await client.call(...many)).toString()).toBe(
        "-ERR Protocol error: unauthenticated multibulk length\r\n",
      );
    } finally {
      client.close();
    }
  });
});

describe("CLIENT commands", () => {
  let spinel: TestServer;
  let redis: TestServer;

  beforeAll(async () => {
    [spinel, redis] = await Promise.all([startSpinel(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([spinel?.stop(), redis?.stop()]);
  });

  it("CLIENT LIST prints Redis 7.0's fields in Redis' order", async () => {
    const lines: string[] = [];
    for (const server of [spinel, redis]) {
      const client = await RawClient.connect(server.port);
      const reply = (await client.call("CLIENT", "LIST", "TYPE", "normal")).toString();
      lines.push(reply.slice(reply.indexOf("\r\n") + 2, reply.indexOf("\n", reply.indexOf("\r\n") + 2)));
      client.close();
    }
    expect(fieldNames(lines[0]!)).toEqual(fieldNames(lines[1]!));
  });

  it("CLIENT LIST shows names, databases, flags and the last command of every client", async () => {
    const a = await RawClient.connect(spinel.port);
    const b = await RawClient.connect(spinel.port);
    try {
      await a.call("CLIENT", "SETNAME", "alpha");
      await b.call("CLIENT", "SETNAME", "beta");
      await b.call("SELECT", "3");
      await b.call("MULTI");
      await b.call("PING");
      const list = (await a.call("CLIENT", "LIST")).toString();
      const byName = new Map(
        list
          .split("\n")
          .filter((line) => line.includes("id="))
          .map((line) => fields(line.replace(/^\$\d+\r\n/, "")))
          .map((map) => [map.get("name")!, map]),
      );
      const alpha = byName.get("alpha")!;
      const beta = byName.get("beta")!;
      expect(alpha.get("cmd")).toBe("client|list");
      expect(alpha.get("flags")).toBe("N");
      expect(alpha.get("laddr")).toBe(`127.0.0.1:${spinel.port}`);
      expect(beta.get("db")).toBe("3");
      expect(beta.get("flags")).toBe("x");
      expect(beta.get("multi")).toBe("1");
      expect(beta.get("resp")).toBe("2");
      const betaId = beta.get("id")!;
      const filtered = (await a.call("CLIENT", "LIST", "ID", betaId)).toString();
      expect(filtered).toContain("name=beta");
      expect(filtered).not.toContain("name=alpha");
      const info = (await b.call("DISCARD")) && (await b.call("CLIENT", "INFO")).toString();
      expect(info).toContain(`id=${betaId} `);
      expect(info).toContain("cmd=client|info");
    } finally {
      a.close();
      b.close();
    }
  });

  it("CLIENT KILL ID closes the other connection, SKIPME protects the caller", async () => {
    const killer = await RawClient.connect(spinel.port);
    const victim = await RawClient.connect(spinel.port);
    try {
      const id = (await victim.call("CLIENT", "ID")).toString().slice(1).trim();
      expect((await killer.call("CLIENT", "KILL", "ID", id)).toString()).toBe(":1\r\n");
      await victim.waitClosed();
      const own = (await killer.call("CLIENT", "ID")).toString().slice(1).trim();
      expect((await killer.call("CLIENT", "KILL", "ID", own)).toString()).toBe(":0\r\n");
      expect((await killer.call("PING")).toString()).toBe("+PONG\r\n");
    } finally {
      killer.close();
      victim.close();
    }
  });

  it("CLIENT KILL ip:port (old form) and CLIENT KILL ADDR", async () => {
    const killer = await RawClient.connect(spinel.port);
    const first = await RawClient.connect(spinel.port);
    const second = await RawClient.connect(spinel.port);
    try {
      const addressOf = async (client: RawClient) =>
        fields((await client.call("CLIENT", "INFO")).toString().split("\r\n")[1]!).get("addr")!;
      expect((await killer.call("CLIENT", "KILL", await addressOf(first))).toString()).toBe("+OK\r\n");
      await first.waitClosed();
      expect((await killer.call("CLIENT", "KILL", "ADDR", await addressOf(second))).toString()).toBe(
        ":1\r\n",
      );
      await second.waitClosed();
    } finally {
      killer.close();
      first.close();
      second.close();
    }
  });

  it("CLIENT KILL of itself with SKIPME no replies, then closes", async () => {
    const client = await RawClient.connect(spinel.port);
    const own = (await client.call("CLIENT", "ID")).toString().slice(1).trim();
    expect((await client.call("CLIENT", "KILL", "ID", own, "SKIPME", "no")).toString()).toBe(":1\r\n");
    await client.waitClosed();
  });

  it("CLIENT REPLY OFF, SKIP and ON, as redis-server does", async () => {
    const transcripts: string[][] = [];
    for (const server of [spinel, redis]) {
      const client = await RawClient.connect(server.port);
      client.write("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n");
      client.write("*3\r\n$3\r\nSET\r\n$6\r\nrp:off\r\n$1\r\n1\r\n");
      client.write("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n");
      const transcript = [(await client.read()).toString()];
      client.write("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n");
      client.write("*2\r\n$3\r\nGET\r\n$6\r\nrp:off\r\n");
      client.write("*2\r\n$4\r\nECHO\r\n$5\r\nafter\r\n");
      transcript.push((await client.read()).toString());
      transcript.push((await client.call("GET", "rp:off")).toString());
      transcripts.push(transcript);
      await client.call("DEL", "rp:off");
      client.close();
    }
    expect(transcripts[0]).toEqual(transcripts[1]);
    expect(transcripts[0]).toEqual(["+OK\r\n", "$5\r\nafter\r\n", "$1\r\n1\r\n"]);
  });

  it("node-redis negotiates RESP3 with HELLO and sends CLIENT SETINFO", async () => {
    const client = createClient({
      socket: { port: spinel.port, host: "127.0.0.1", reconnectStrategy: false },
      RESP: 3,
      name: "node-redis-3",
    });
    client.on("error", () => {});
    await client.connect();
    try {
      expect(await client.clientGetName()).toBe("node-redis-3");
      const info = String(await client.sendCommand(["CLIENT", "INFO"]));
      expect(info).toContain("resp=3");
      expect(await client.sendCommand(["CLIENT", "SETINFO", "LIB-NAME", "my-lib"])).toBe("OK");
      expect(await client.sendCommand(["CLIENT", "SETINFO", "LIB-VER", "1.2.3"])).toBe("OK");
      await expect(client.sendCommand(["CLIENT", "SETINFO", "LIB-NAME", "has space"])).rejects.toThrow(
        /cannot contain spaces/,
      );
      await expect(client.sendCommand(["CLIENT", "SETINFO", "COLOR", "red"])).rejects.toThrow(
        /Unrecognized option/,
      );
    } finally {
      client.destroy();
    }
  });

  it("CLIENT UNBLOCK releases a client blocked in BLPOP", async () => {
    const blocked = new Redis({ port: spinel.port, lazyConnect: true });
    await blocked.connect();
    const admin = await RawClient.connect(spinel.port);
    try {
      const id = await blocked.client("ID");
      const popping = blocked.blpop("unblock:list", 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await admin.call("CLIENT", "UNBLOCK", String(id))).toString()).toBe(":1\r\n");
      expect(await popping).toBe(null);
      const again = blocked.blpop("unblock:list", 0).catch((error: Error) => error.message);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await admin.call("CLIENT", "UNBLOCK", String(id), "ERROR")).toString()).toBe(":1\r\n");
      expect(await again).toBe("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    } finally {
      blocked.disconnect();
      admin.close();
    }
  });

  it("redis-cli CLIENT LIST and CLIENT GETNAME", async () => {
    const list = await redisCli(spinel.port, ["CLIENT", "LIST"]);
    expect(list).toMatch(/^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name= /m);
    expect(await redisCli(spinel.port, ["CLIENT", "GETNAME"])).toBe("\n");
  });
});
