/*
 * Randomised differential tests of the geo commands: seeded random point
 * clouds (dense clusters, whole-globe scatter, points near the poles and the
 * antimeridian) and random searches (circles and boxes of every size, every
 * unit, ASC / DESC / none, COUNT with and without ANY, WITH* options) are sent
 * to a real redis-server 7 and to Spinel; every raw reply must be identical,
 * which checks scores, coordinates and distances to the printed digit and the
 * order in which Redis scans its cells. HyperLogLog byte equality under
 * random inserts is checked here too. Seeds are fixed, so a failure replays.
 */

import { describe, expect, it } from "vitest";
import { useRawClientPair } from "../support/client-comparison.js";
import { showReply } from "../support/resp-frames.js";
import { chooser, generator } from "../support/seeded-random.js";

const clients = useRawClientPair();

type Choose = ReturnType<typeof chooser>;

/** Send the same command to both servers; record a mismatch. */
async function compare(argv: string[], mismatches: string[]): Promise<void> {
  const [fromRedis, fromSpinel] = await Promise.all([
    clients.redis.call(...argv),
    clients.spinel.call(...argv),
  ]);
  if (!fromRedis.equals(fromSpinel)) {
    mismatches.push(
      `${argv.join(" ")}: redis ${showReply(fromRedis).slice(0, 400)} spinel ${showReply(fromSpinel).slice(0, 400)}`,
    );
  }
}

/** A random point: clustered around a centre, or anywhere, or near an edge of the map. */
function randomPoint(choose: Choose, centre: [number, number]): [string, string] {
  const r = choose.random();
  let lon: number;
  let lat: number;
  if (r < 0.6) {
    lon = centre[0] + (choose.random() - 0.5) * 2;
    lat = centre[1] + (choose.random() - 0.5) * 2;
  } else if (r < 0.85) {
    lon = (choose.random() - 0.5) * 360;
    lat = (choose.random() - 0.5) * 170;
  } else {
    lon = choose.pick([-179.99, 179.99, -180, 180, 0]) + (choose.random() - 0.5) * 0.1;
    lat = choose.pick([-85, 85, 0, 66.5, -80.5]) + (choose.random() - 0.5) * 0.1;
  }
  lon = Math.max(-180, Math.min(180, lon));
  lat = Math.max(-85.05112878, Math.min(85.05112878, lat));
  return [lon.toFixed(choose.int(0, 9)), lat.toFixed(choose.int(0, 9))];
}

/** A random search's arguments after the key. */
function randomSearch(choose: Choose, centre: [number, number], members: number): string[] {
  const args: string[] = [];
  if (choose.random() < 0.5) args.push("FROMMEMBER", `m${choose.int(0, members - 1)}`);
  else {
    const [lon, lat] = randomPoint(choose, centre);
    args.push("FROMLONLAT", lon, lat);
  }
  const unit = choose.pick(["m", "km", "mi", "ft", "KM"]);
  const scale = { m: 1000, km: 1, mi: 0.62, ft: 3280, KM: 1 }[unit]!;
  const size = choose.pick([0.5, 5, 20, 80, 300, 2000, 9000]) * scale * (0.5 + choose.random());
  if (choose.random() < 0.5) args.push("BYRADIUS", size.toFixed(3), unit);
  else args.push("BYBOX", size.toFixed(2), (size * (0.2 + choose.random() * 2)).toFixed(2), unit);
  const sort = choose.pick(["", "ASC", "DESC"]);
  if (sort !== "") args.push(sort);
  if (choose.random() < 0.4) {
    args.push("COUNT", String(choose.int(1, 12)));
    if (choose.random() < 0.3) args.push("ANY");
  }
  for (const option of ["WITHDIST", "WITHCOORD", "WITHHASH"]) if (choose.random() < 0.4) args.push(option);
  return args;
}

describe("geo searches over random point clouds", () => {
  it("agree with redis-server on 1200 random searches", async () => {
    const choose = chooser(generator(0x9e0cafe));
    const mismatches: string[] = [];
    for (let round = 0; round < 12; round++) {
      await Promise.all([clients.redis.call("DEL", "geo"), clients.spinel.call("DEL", "geo")]);
      const centre: [number, number] = [(choose.random() - 0.5) * 300, (choose.random() - 0.5) * 140];
      const members = choose.pick([20, 100, 400]);
      const add = ["GEOADD", "geo"];
      for (let i = 0; i < members; i++) add.push(...randomPoint(choose, centre), `m${i}`);
      await compare(add, mismatches);
      await compare(["ZRANGE", "geo", "0", "-1", "WITHSCORES"], mismatches);
      for (let k = 0; k < 100; k++) {
        const search = randomSearch(choose, centre, members);
        await compare(["GEOSEARCH", "geo", ...search], mismatches);
        if (k % 10 === 0) {
          const a = `m${choose.int(0, members - 1)}`;
          const b = `m${choose.int(0, members - 1)}`;
          await compare(["GEODIST", "geo", a, b, choose.pick(["m", "km", "mi", "ft"])], mismatches);
          await compare(["GEOPOS", "geo", a, b], mismatches);
          await compare(["GEOHASH", "geo", a, b], mismatches);
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  }, 120_000);
});

describe("HyperLogLog bytes under random inserts", () => {
  it("GET returns redis-server's bytes after every batch", async () => {
    const choose = chooser(generator(0x411));
    const mismatches: string[] = [];
    for (let round = 0; round < 6; round++) {
      await Promise.all([clients.redis.call("DEL", "hll"), clients.spinel.call("DEL", "hll")]);
      for (let batch = 0; batch < 30; batch++) {
        const add = ["PFADD", "hll"];
        const size = choose.pick([1, 3, 10, 50, 200]);
        for (let i = 0; i < size; i++) add.push(`r${round}:${choose.int(0, 1_000_000)}`);
        await compare(add, mismatches);
        await compare(["GET", "hll"], mismatches);
        if (batch % 5 === 0) await compare(["PFCOUNT", "hll"], mismatches);
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  }, 120_000);
});
