/*
 * FUNCTION DUMP / RESTORE payloads between servers: a payload dumped by
 * redis-server 7.0 (library code LZF-compressed) restores on Spinel, and one
 * dumped by Spinel (code stored plain) restores on redis-server; the restored
 * functions run, FUNCTION LIST agrees, and a payload with a flipped byte is
 * refused by both with the same error.
 */

import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { settle, useServerPair } from "../support/client-comparison.js";
import type { TestServer } from "../support/servers.js";

const servers = useServerPair();
const clients: Redis[] = [];

function connect(server: TestServer): Redis {
  const client = new Redis({ host: server.host, port: server.port, maxRetriesPerRequest: 0 });
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) {
    await client.function("FLUSH");
    client.disconnect();
  }
});

const LIBRARY =
  "#!lua name=payloadlib\n" +
  "redis.register_function('greet', function(keys, args) return 'hello ' .. args[1] end)\n" +
  "redis.register_function{function_name='count', callback=function(keys) return redis.call('incr', keys[1]) end, description='counts'}";

/** FUNCTION LIST with each library's functions sorted by name (Redis lists them in hash order). */
function sortFunctions(list: unknown): unknown {
  return (list as unknown[][]).map((library) =>
    library.map((field, i) =>
      library[i - 1] === "functions"
        ? [...(field as unknown[][])].sort((a, b) => String(a[1]).localeCompare(String(b[1])))
        : field,
    ),
  );
}

async function roundTrip(from: TestServer, to: TestServer) {
  const source = connect(from);
  const target = connect(to);
  await source.function("FLUSH");
  await target.function("FLUSH");
  await source.function("LOAD", LIBRARY);
  const payload = (await source.callBuffer("FUNCTION", "DUMP")) as Buffer;
  await target.function("FLUSH");
  const restored = await target.callBuffer("FUNCTION", "RESTORE", payload);
  const corrupt = Buffer.from(payload);
  corrupt[5] = corrupt[5]! ^ 0xff;
  return {
    restored: String(restored),
    greet: await target.fcall("greet", 0, "world"),
    count: await target.fcall("count", 1, "payload:n"),
    list: sortFunctions(await target.function("LIST", "WITHCODE")),
    again: await settle(target.callBuffer("FUNCTION", "RESTORE", payload)),
    replaced: String(await target.callBuffer("FUNCTION", "RESTORE", payload, "REPLACE")),
    corrupt: await settle(target.callBuffer("FUNCTION", "RESTORE", corrupt)),
  };
}

describe("FUNCTION DUMP / RESTORE across servers", () => {
  it("a redis-server payload restores on Spinel as on redis-server", async () => {
    const onSpinel = await roundTrip(servers.redis, servers.spinel);
    const onRedis = await roundTrip(servers.redis, servers.redis);
    expect(onSpinel).toEqual(onRedis);
    expect(onSpinel.greet).toBe("hello world");
  });

  it("a Spinel payload restores on redis-server as on Spinel", async () => {
    const onRedis = await roundTrip(servers.spinel, servers.redis);
    const onSpinel = await roundTrip(servers.spinel, servers.spinel);
    expect(onRedis).toEqual(onSpinel);
    expect(onRedis.restored).toBe("OK");
  });
});
