import { startServer } from "@spinel/server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("smoke", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let client: Redis;
  beforeAll(async () => {
    server = await startServer();
    client = new Redis({
      port: server.port,
      host: "127.0.0.1",
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableReadyCheck: false,
    });
    await client.connect();
  });
  afterAll(async () => {
    client.disconnect();
    await server.close();
  });
  it("answers PING and SET/GET", async () => {
    expect(await client.ping()).toBe("PONG");
    expect(await client.set("k", "v")).toBe("OK");
    expect(await client.get("k")).toBe("v");
  });
});
