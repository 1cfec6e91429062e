/*
 * Geo commands through ioredis over TCP, and their keyspace notifications.
 * Each scenario runs against Spinel and against a real redis-server 7 and the
 * decoded results must be equal; the key results are also spelled out, so a
 * scenario cannot pass by both sides failing the same way.
 */

import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectIoredis, settle, useServerPair } from "../support/client-comparison.js";
import { keyspaceEventsOf } from "../support/keyspace-events.js";

const servers = useServerPair();
const onBoth = servers.onBoth;

describe("ioredis", () => {
  it("a store locator: GEOADD, GEOSEARCH, GEODIST, GEOPOS, GEOHASH", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => [
      await c.geoadd("stores", 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania"),
      await c.geoadd("stores", "CH", 13.361389, 38.115556, "Palermo"),
      await c.geodist("stores", "Palermo", "Catania", "KM"),
      await c.geopos("stores", "Palermo", "Nowhere"),
      await c.geohash("stores", "Palermo", "Catania"),
      await c.geosearch(
        "stores",
        "FROMLONLAT",
        15,
        37,
        "BYRADIUS",
        200,
        "km",
        "ASC",
        "WITHDIST",
        "WITHCOORD",
      ),
      await c.geosearch("stores", "FROMMEMBER", "Palermo", "BYBOX", 400, 400, "km", "DESC", "COUNT", 1),
      await c.georadius("stores", 15, 37, 100, "km", "WITHDIST"),
      await c.georadiusbymember("stores", "Palermo", 200, "km", "ASC"),
      await settle(c.geoadd("stores", 200, 100, "bad")),
    ]);
    expect(spinel).toEqual(redis);
    expect(spinel[0]).toBe(2);
    expect(spinel[2]).toBe("166.2742");
    expect(spinel[4]).toEqual(["sqc8b49rny0", "sqdtr74hyu0"]);
    expect(spinel[9]).toBe("error: ERR invalid longitude,latitude pair 200.000000,100.000000");
  });

  it("GEOSEARCHSTORE and GEORADIUS STORE build sorted sets", async () => {
    const { spinel, redis } = await onBoth(connectIoredis, async (c: Redis) => {
      await c.geoadd("cities", -0.1278, 51.5074, "London", 2.3522, 48.8566, "Paris", 13.405, 52.52, "Berlin");
      return [
        await c.geosearchstore("near", "cities", "FROMMEMBER", "Paris", "BYRADIUS", 1000, "km", "STOREDIST"),
        await c.zrange("near", 0, -1, "WITHSCORES"),
        await c.georadius("cities", 2.35, 48.85, 500, "km", "STORE", "around"),
        await c.zrange("around", 0, -1),
        await c.type("around"),
      ];
    });
    expect(spinel).toEqual(redis);
    expect(spinel[0]).toBe(3);
    expect(spinel[2]).toBe(2);
    expect(spinel[4]).toBe("zset");
  });
});

describe("geo keyspace notifications, compared with redis-server", () => {
  it("zadd for GEOADD, the store events, del for an empty store", async () => {
    const steps = [
      ["GEOADD", "ev:g", "13.361389", "38.115556", "Palermo"],
      ["GEOADD", "ev:g", "13.361389", "38.115556", "Palermo"],
      ["GEOSEARCHSTORE", "ev:d", "ev:g", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"],
      ["GEORADIUS", "ev:g", "13", "38", "100", "km", "STORE", "ev:r"],
      ["GEORADIUS", "ev:g", "0", "0", "1", "km", "STORE", "ev:r"],
      ["GEOSEARCH", "ev:g", "FROMLONLAT", "13", "38", "BYRADIUS", "100", "km"],
    ];
    const [fromRedis, fromSpinel] = await Promise.all([
      keyspaceEventsOf(servers.redis.port, "KEA", steps),
      keyspaceEventsOf(servers.spinel.port, "KEA", steps),
    ]);
    expect(fromSpinel).toEqual(fromRedis);
    expect(fromSpinel.some((m) => m.includes("geosearchstore"))).toBe(true);
    expect(fromSpinel.some((m) => m.includes("georadiusstore"))).toBe(true);
  });
});
