/*
 * Scaffolding for tests that run one scenario through a real client library
 * against Spinel and against a real redis-server 7, and compare the decoded
 * results: both servers for the whole file, a fresh flushed client per run, and
 * error replies captured as text so they compare too.
 */

import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll } from "vitest";
import { RawClient } from "./raw-client.js";
import { startRedis, startSpinel, type TestServer } from "./servers.js";

/** A connected client and how to close it. */
export interface ConnectedClient<C> {
  client: C;
  close: () => Promise<void>;
}

/** The pair of servers a comparing test file runs against. */
export interface ServerPair {
  readonly spinel: TestServer;
  readonly redis: TestServer;
  /** Run `scenario` on both servers with a fresh, flushed client each; return both results. */
  onBoth<C, T>(
    connect: (server: TestServer) => Promise<ConnectedClient<C>>,
    scenario: (client: C) => Promise<T>,
  ): Promise<{ spinel: T; redis: T }>;
}

/**
 * Start Spinel and redis-server before the file's tests and stop both after
 * them (registers beforeAll / afterAll). The servers are reachable through the
 * returned pair once the tests run.
 */
export function useServerPair(): ServerPair {
  let spinel: TestServer | undefined;
  let redis: TestServer | undefined;
  beforeAll(async () => {
    [spinel, redis] = await Promise.all([startSpinel(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([spinel?.stop(), redis?.stop()]);
  });
  const started = (server: TestServer | undefined): TestServer => {
    if (server === undefined) throw new Error("the servers start in beforeAll: use them inside tests");
    return server;
  };
  return {
    get spinel() {
      return started(spinel);
    },
    get redis() {
      return started(redis);
    },
    async onBoth(connect, scenario) {
      const results = [];
      for (const server of [started(spinel), started(redis)]) {
        const { client, close } = await connect(server);
        try {
          results.push(await scenario(client));
        } finally {
          await close();
        }
      }
      return { spinel: results[0]!, redis: results[1]! };
    },
  };
}

/** One raw connection to each server, for byte-for-byte reply comparisons. */
export interface RawClientPair {
  readonly redis: RawClient;
  readonly spinel: RawClient;
}

/**
 * Start redis-server and Spinel before the file's tests with one RawClient on
 * each, and close and stop them after (registers beforeAll / afterAll). The
 * connections are reachable through the returned pair once the tests run.
 */
export function useRawClientPair(): RawClientPair {
  let servers: TestServer[] = [];
  let clients: RawClient[] = [];
  beforeAll(async () => {
    servers = await Promise.all([startRedis(), startSpinel()]);
    clients = await Promise.all(servers.map((server) => RawClient.connect(server.port)));
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(servers.map((server) => server.stop()));
  });
  const connected = (index: number): RawClient => {
    const client = clients[index];
    if (client === undefined) throw new Error("the servers start in beforeAll: use them inside tests");
    return client;
  };
  return {
    get redis() {
      return connected(0);
    },
    get spinel() {
      return connected(1);
    },
  };
}

/** An ioredis client on `server`, after FLUSHALL. */
export async function connectIoredis(server: TestServer): Promise<ConnectedClient<Redis>> {
  const client = new Redis({
    port: server.port,
    host: server.host,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
  });
  await client.flushall();
  return { client, close: async () => client.disconnect() };
}

/** A connector for node-redis speaking RESP `resp`, after FLUSHALL. */
export function connectNodeRedis(resp: 2 | 3) {
  return async (server: TestServer) => {
    const client = createClient({
      RESP: resp,
      socket: { port: server.port, host: server.host, reconnectStrategy: false },
    });
    client.on("error", () => {});
    await client.connect();
    await client.flushAll();
    return { client, close: async () => void (await client.close()) };
  };
}

/** Capture a rejected command as its message, so error replies compare too. */
export async function settle<T>(promise: Promise<T>): Promise<T | string> {
  try {
    return await promise;
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}
