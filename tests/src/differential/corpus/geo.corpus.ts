/*
 * Differential cases: geo. GEOADD GEOPOS GEODIST GEOHASH GEOSEARCH
 * GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER and the _RO forms on
 * redis-server 7.0 and Spinel: the stored scores (ZSCORE), coordinates and
 * distances to the printed digit, result order with and without sorting,
 * COUNT and ANY, boxes, every unit, stores, the limits of the coordinate
 * ranges, RESP3 coordinates, and Redis' argument errors in its order.
 *
 * Every reply is compared exactly: searches without ASC/DESC return points in
 * the order Redis scans its cells, which Spinel reproduces.
 */
import type { Arg, DiffCase, Step } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** Sicily, the example of Redis' documentation. */
const sicily: Step = [
  "GEOADD",
  "@g",
  "13.361389",
  "38.115556",
  "Palermo",
  "15.087269",
  "37.502669",
  "Catania",
];

/** A few cities around the world. */
const cities: Step = [
  "GEOADD",
  "@w",
  ...["-0.1278", "51.5074", "London"],
  ...["2.3522", "48.8566", "Paris"],
  ...["13.4050", "52.5200", "Berlin"],
  ...["-3.7038", "40.4168", "Madrid"],
  ...["12.4964", "41.9028", "Rome"],
  ...["4.9041", "52.3676", "Amsterdam"],
  ...["16.3738", "48.2082", "Vienna"],
  ...["-74.0060", "40.7128", "NewYork"],
  ...["139.6917", "35.6895", "Tokyo"],
  ...["151.2093", "-33.8688", "Sydney"],
  ...["-58.3816", "-34.6037", "BuenosAires"],
  ...["37.6173", "55.7558", "Moscow"],
];

/** `count` points on a deterministic spiral around (lon, lat), named p0, p1 ... */
function spiral(key: string, count: number, lon: number, lat: number, spread: number): Step {
  const args: Arg[] = ["GEOADD", key];
  for (let i = 0; i < count; i++) {
    const angle = i * 2.399963;
    const r = spread * Math.sqrt(i / count);
    args.push((lon + r * Math.cos(angle)).toFixed(6), (lat + r * Math.sin(angle)).toFixed(6), `p${i}`);
  }
  return args;
}

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- GEOADD
  {
    name: "GEOADD stores 52-bit geohash scores in a sorted set",
    steps: [
      sicily,
      ["ZRANGE", "@g", "0", "-1", "WITHSCORES"],
      ["TYPE", "@g"],
      ["OBJECT", "ENCODING", "@g"],
      ["ZCARD", "@g"],
    ],
  },
  {
    name: "GEOADD replies the number of new members",
    steps: [sicily, sicily, ["GEOADD", "@g", "13.361389", "38.115556", "Palermo", "1", "1", "x"]],
  },
  {
    name: "GEOADD CH counts changed positions",
    steps: [
      sicily,
      ["GEOADD", "@g", "CH", "13.4", "38.1", "Palermo", "15.087269", "37.502669", "Catania"],
      ["GEOADD", "@g", "CH", "1", "2", "new"],
      ["ZSCORE", "@g", "Palermo"],
    ],
  },
  {
    name: "GEOADD NX and XX",
    steps: [
      sicily,
      ["GEOADD", "@g", "NX", "10", "10", "Palermo", "11", "11", "Other"],
      ["GEOADD", "@g", "XX", "12", "12", "Catania", "13", "13", "Missing"],
      ["GEOADD", "@g", "XX", "CH", "12.5", "12.5", "Catania"],
      ["GEOPOS", "@g", "Palermo", "Catania", "Other", "Missing"],
    ],
  },
  {
    name: "GEOADD NX with XX is a syntax error",
    steps: [
      ["GEOADD", "@g", "NX", "XX", "1", "1", "a"],
      ["EXISTS", "@g"],
    ],
  },
  {
    name: "GEOADD options in any case and repeated",
    steps: [
      ["GEOADD", "@g", "ch", "Nx", "nx", "1", "1", "a"],
      ["GEOADD", "@g", "xX", "Ch", "2", "2", "a"],
    ],
  },
  {
    name: "GEOADD with a missing triple element",
    steps: [
      ["GEOADD", "@g", "1", "2", "a", "3", "4"],
      ["GEOADD", "@g", "1", "2"],
      ["GEOADD", "@g", "CH", "1", "2"],
    ],
  },
  {
    name: "GEOADD with only options",
    steps: [
      ["GEOADD", "@g", "NX", "CH", "XX"],
      ["GEOADD", "@g", "CH", "CH", "CH"],
    ],
  },
  {
    name: "GEOADD out-of-range coordinates",
    steps: [
      ["GEOADD", "@g", "200", "10", "a"],
      ["GEOADD", "@g", "10", "86", "a"],
      ["GEOADD", "@g", "-180.0000001", "0", "a"],
      ["GEOADD", "@g", "0", "-85.06", "a"],
      ["GEOADD", "@g", "1", "1", "ok", "500", "500", "bad"],
      ["EXISTS", "@g"],
      ["GEOADD", "@g", "inf", "0", "a"],
      ["GEOADD", "@g", "0", "-inf", "a"],
      ["GEOADD", "@g", "123456789.123456789", "1", "a"],
    ],
  },
  {
    name: "GEOADD non-numeric coordinates",
    steps: [
      ["GEOADD", "@g", "abc", "10", "a"],
      ["GEOADD", "@g", "10", "", "a"],
      ["GEOADD", "@g", "10", " 1", "a"],
      ["GEOADD", "@g", "nan", "1", "a"],
      ["GEOADD", "@g", "1e999", "1", "a"],
    ],
  },
  {
    name: "GEOADD at the limits of the coordinate ranges",
    steps: [
      [
        "GEOADD",
        "@g",
        ...["-180", "-85.05112878", "sw"],
        ...["180", "85.05112878", "ne"],
        ...["180", "-85.05112878", "se"],
        ...["-180", "85.05112878", "nw"],
        ...["0", "0", "origin"],
        ...["-0", "-0", "negzero"],
      ],
      ["ZRANGE", "@g", "0", "-1", "WITHSCORES"],
      ["GEOPOS", "@g", "sw", "ne", "se", "nw", "origin", "negzero"],
      ["GEOHASH", "@g", "sw", "ne", "se", "nw", "origin"],
      ["GEODIST", "@g", "sw", "ne"],
      ["GEODIST", "@g", "origin", "negzero"],
    ],
  },
  {
    name: "GEOADD hex and exponent coordinates",
    steps: [
      ["GEOADD", "@g", "0x10", "1e1", "a", "+1.5", "-.5", "b"],
      ["GEOPOS", "@g", "a", "b"],
    ],
  },
  {
    name: "GEOADD on a key of another type",
    steps: [
      ["SET", "@s", "x"],
      ["GEOADD", "@s", "1", "1", "a"],
      ["GEOPOS", "@s", "a"],
      ["GEODIST", "@s", "a", "b"],
    ],
  },
  {
    name: "GEOADD arity",
    steps: [["GEOADD", "@g", "1", "1"], ["GEOPOS"], ["GEODIST", "@g", "a"], ["GEOHASH"], ["GEOSEARCH", "@g"]],
  },
  {
    name: "GEOADD of 200 points converts to a skiplist",
    steps: [
      spiral("@g", 200, 2.35, 48.85, 0.5),
      ["OBJECT", "ENCODING", "@g"],
      ["ZRANGE", "@g", "0", "9", "WITHSCORES"],
    ],
  },
  {
    name: "GEOADD keeps the TTL (it is a ZADD)",
    steps: [sicily, ["EXPIRE", "@g", "100"], ["GEOADD", "@g", "1", "1", "x"], ["TTL", "@g"]],
  },

  // ---------------------------------------------------------------- GEOPOS
  {
    name: "GEOPOS of members and non-members",
    steps: [sicily, ["GEOPOS", "@g", "Palermo", "Catania", "NonExisting"], ["GEOPOS", "@g"]],
  },
  {
    name: "GEOPOS of a missing key",
    steps: [
      ["GEOPOS", "@nokey", "a", "b"],
      ["GEOPOS", "@nokey"],
    ],
  },
  {
    name: "GEOPOS in RESP3",
    resp3: true,
    steps: [sicily, ["GEOPOS", "@g", "Palermo", "nobody"], ["GEOPOS", "@nokey", "a"]],
  },
  {
    name: "GEOPOS round trip of world cities",
    steps: [
      cities,
      ["GEOPOS", "@w", "London", "Paris", "Berlin", "Madrid", "Rome", "Amsterdam", "Vienna", "NewYork"],
      ["GEOPOS", "@w", "Tokyo", "Sydney", "BuenosAires", "Moscow"],
    ],
  },
  {
    name: "GEOPOS of a member added with ZADD",
    steps: [
      [
        "ZADD",
        "@z",
        "0",
        "zero",
        "1",
        "one",
        "3471579339700058",
        "big",
        "-5",
        "neg",
        "4503599627370495",
        "max52",
      ],
      ["GEOPOS", "@z", "zero", "one", "big", "neg", "max52"],
      ["GEOHASH", "@z", "zero", "one", "big", "max52"],
    ],
  },

  {
    name: "GEOPOS and GEOHASH of scores no GEOADD writes",
    steps: [
      [
        "ZADD",
        "@z",
        "inf",
        "a",
        "-inf",
        "b",
        "1e30",
        "c",
        "2e19",
        "d",
        "-1e30",
        "e",
        "0.9",
        "f",
        "-0.5",
        "g",
      ],
      ["ZADD", "@z", "9007199254740993", "h", "-9007199254740993", "i", "1.5e-300", "j"],
      ["GEOPOS", "@z", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
      ["GEOHASH", "@z", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
      ["GEODIST", "@z", "a", "b"],
    ],
  },

  // ---------------------------------------------------------------- GEODIST
  {
    name: "GEODIST in every unit",
    steps: [
      sicily,
      ["GEODIST", "@g", "Palermo", "Catania"],
      ["GEODIST", "@g", "Palermo", "Catania", "m"],
      ["GEODIST", "@g", "Palermo", "Catania", "km"],
      ["GEODIST", "@g", "Palermo", "Catania", "MI"],
      ["GEODIST", "@g", "Palermo", "Catania", "Ft"],
      ["GEODIST", "@g", "Palermo", "Palermo"],
    ],
  },
  {
    name: "GEODIST errors and missing members",
    steps: [
      sicily,
      ["GEODIST", "@g", "Palermo", "Catania", "yards"],
      ["GEODIST", "@g", "Palermo", "Catania", "km", "extra"],
      ["GEODIST", "@g", "Palermo", "nobody"],
      ["GEODIST", "@nokey", "a", "b"],
      ["GEODIST", "@nokey", "a", "b", "parsecs"],
    ],
  },
  {
    name: "GEODIST between world cities",
    steps: [
      cities,
      ["GEODIST", "@w", "London", "Paris", "km"],
      ["GEODIST", "@w", "London", "NewYork", "mi"],
      ["GEODIST", "@w", "Tokyo", "Sydney"],
      ["GEODIST", "@w", "BuenosAires", "Moscow", "ft"],
      ["GEODIST", "@w", "Madrid", "Berlin", "km"],
      ["GEODIST", "@w", "Rome", "Vienna"],
    ],
  },
  {
    name: "GEODIST along a meridian and across the antimeridian",
    steps: [
      ["GEOADD", "@g", "10", "-80", "a", "10", "80", "b", "179.9", "0", "c", "-179.9", "0", "d"],
      ["GEODIST", "@g", "a", "b"],
      ["GEODIST", "@g", "c", "d"],
      ["GEODIST", "@g", "a", "c", "km"],
    ],
  },
  {
    name: "GEODIST in RESP3 is still a bulk string",
    resp3: true,
    steps: [sicily, ["GEODIST", "@g", "Palermo", "Catania", "km"], ["GEODIST", "@g", "Palermo", "x"]],
  },

  // ---------------------------------------------------------------- GEOHASH
  {
    name: "GEOHASH of members",
    steps: [sicily, ["GEOHASH", "@g", "Palermo", "Catania", "nobody"], ["GEOHASH", "@g"]],
  },
  {
    name: "GEOHASH of world cities and a missing key",
    steps: [
      cities,
      ["GEOHASH", "@w", "London", "Paris", "Tokyo", "Sydney", "BuenosAires", "NewYork"],
      ["GEOHASH", "@nokey", "a"],
    ],
  },
  {
    name: "GEOHASH on a key of another type",
    steps: [
      ["RPUSH", "@l", "a"],
      ["GEOHASH", "@l", "a"],
      ["GEOPOS", "@l", "a"],
    ],
  },

  // ---------------------------------------------------------------- GEOSEARCH
  {
    name: "GEOSEARCH FROMLONLAT BYRADIUS unsorted, ASC, DESC",
    steps: [
      sicily,
      ["GEOADD", "@g", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "DESC"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "400", "km", "ASC"],
    ],
  },
  {
    name: "GEOSEARCH WITHCOORD WITHDIST WITHHASH",
    steps: [
      sicily,
      [
        "GEOSEARCH",
        "@g",
        "FROMLONLAT",
        "15",
        "37",
        "BYRADIUS",
        "200",
        "km",
        "ASC",
        "WITHCOORD",
        "WITHDIST",
        "WITHHASH",
      ],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHHASH", "DESC"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHCOORD"],
    ],
  },
  {
    name: "GEOSEARCH options in RESP3",
    resp3: true,
    steps: [
      sicily,
      [
        "GEOSEARCH",
        "@g",
        "FROMLONLAT",
        "15",
        "37",
        "BYRADIUS",
        "200",
        "km",
        "ASC",
        "WITHCOORD",
        "WITHDIST",
        "WITHHASH",
      ],
      ["GEOSEARCH", "@g", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "ASC", "WITHCOORD"],
    ],
  },
  {
    name: "GEOSEARCH FROMMEMBER BYRADIUS includes the member itself",
    steps: [
      sicily,
      ["GEOSEARCH", "@g", "FROMMEMBER", "Palermo", "BYRADIUS", "10", "km"],
      ["GEOSEARCH", "@g", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "ASC", "WITHDIST"],
      ["GEOSEARCH", "@g", "FROMMEMBER", "Palermo", "BYRADIUS", "0", "m", "WITHDIST"],
    ],
  },
  {
    name: "GEOSEARCH BYBOX",
    steps: [
      sicily,
      ["GEOADD", "@g", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2"],
      [
        "GEOSEARCH",
        "@g",
        "FROMLONLAT",
        "15",
        "37",
        "BYBOX",
        "400",
        "400",
        "km",
        "ASC",
        "WITHCOORD",
        "WITHDIST",
      ],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYBOX", "200", "200", "km", "ASC"],
      ["GEOSEARCH", "@g", "FROMMEMBER", "Catania", "BYBOX", "1000", "100", "km", "DESC"],
      ["GEOSEARCH", "@g", "FROMMEMBER", "Catania", "BYBOX", "100", "1000", "km", "DESC"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYBOX", "0", "0", "km"],
    ],
  },
  {
    name: "GEOSEARCH in every unit",
    steps: [
      cities,
      ["GEOSEARCH", "@w", "FROMMEMBER", "Paris", "BYRADIUS", "1000", "km", "ASC", "WITHDIST"],
      ["GEOSEARCH", "@w", "FROMMEMBER", "Paris", "BYRADIUS", "1000000", "m", "ASC", "WITHDIST"],
      ["GEOSEARCH", "@w", "FROMMEMBER", "Paris", "BYRADIUS", "700", "mi", "ASC", "WITHDIST"],
      ["GEOSEARCH", "@w", "FROMMEMBER", "Paris", "BYRADIUS", "3000000", "ft", "ASC", "WITHDIST"],
      ["GEOSEARCH", "@w", "FROMMEMBER", "Paris", "BYBOX", "2000", "1500", "KM", "ASC", "WITHDIST"],
    ],
  },
  {
    name: "GEOSEARCH COUNT sorts by distance",
    steps: [
      cities,
      ["GEOSEARCH", "@w", "FROMMEMBER", "Vienna", "BYRADIUS", "3000", "km", "COUNT", "3"],
      ["GEOSEARCH", "@w", "FROMMEMBER", "Vienna", "BYRADIUS", "3000", "km", "COUNT", "3", "DESC"],
      ["GEOSEARCH", "@w", "FROMMEMBER", "Vienna", "BYRADIUS", "3000", "km", "COUNT", "100", "WITHDIST"],
      ["GEOSEARCH", "@w", "FROMMEMBER", "Vienna", "BYRADIUS", "3000", "km", "COUNT", "1", "WITHDIST"],
    ],
  },
  {
    name: "GEOSEARCH COUNT ANY stops at the first matches, unsorted",
    steps: [
      spiral("@g", 300, 2.35, 48.85, 0.3),
      ["GEOSEARCH", "@g", "FROMLONLAT", "2.35", "48.85", "BYRADIUS", "50", "km", "COUNT", "5", "ANY"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "2.35", "48.85", "BYRADIUS", "50", "km", "COUNT", "5", "ANY", "ASC"],
      [
        "GEOSEARCH",
        "@g",
        "FROMLONLAT",
        "2.35",
        "48.85",
        "BYRADIUS",
        "50",
        "km",
        "COUNT",
        "5",
        "ANY",
        "DESC",
        "WITHDIST",
      ],
      ["GEOSEARCH", "@g", "FROMLONLAT", "2.35", "48.85", "BYRADIUS", "50", "km", "COUNT", "5"],
    ],
  },
  {
    name: "GEOSEARCH over 300 points in a skiplist",
    steps: [
      spiral("@g", 300, -73.98, 40.75, 0.4),
      ["GEOSEARCH", "@g", "FROMLONLAT", "-73.98", "40.75", "BYRADIUS", "5", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "-73.98", "40.75", "BYRADIUS", "12", "km", "ASC", "WITHDIST"],
      ["GEOSEARCH", "@g", "FROMMEMBER", "p17", "BYBOX", "10", "6", "km", "DESC", "WITHCOORD"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "-74.1", "40.7", "BYRADIUS", "8", "mi", "WITHHASH"],
    ],
  },
  {
    name: "GEOSEARCH over 100 points in a listpack",
    steps: [
      spiral("@g", 100, 139.69, 35.68, 0.2),
      ["OBJECT", "ENCODING", "@g"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "139.69", "35.68", "BYRADIUS", "6", "km"],
      [
        "GEOSEARCH",
        "@g",
        "FROMLONLAT",
        "139.7",
        "35.7",
        "BYBOX",
        "9",
        "9",
        "km",
        "ASC",
        "WITHDIST",
        "WITHCOORD",
      ],
    ],
  },
  {
    name: "GEOSEARCH with huge radii",
    steps: [
      cities,
      ["GEOSEARCH", "@w", "FROMLONLAT", "0", "0", "BYRADIUS", "20000", "km"],
      ["GEOSEARCH", "@w", "FROMLONLAT", "0", "0", "BYRADIUS", "20000", "km", "ASC", "WITHDIST"],
      ["GEOSEARCH", "@w", "FROMMEMBER", "Sydney", "BYRADIUS", "8000", "km"],
      ["GEOSEARCH", "@w", "FROMMEMBER", "Tokyo", "BYBOX", "40000", "20000", "km"],
    ],
  },
  {
    name: "GEOSEARCH near the poles and the antimeridian",
    steps: [
      [
        "GEOADD",
        "@g",
        ...["179.99", "10", "e1"],
        ...["-179.99", "10", "w1"],
        ...["179.5", "10.2", "e2"],
        ...["-179.5", "9.8", "w2"],
        ...["10", "84.9", "n1"],
        ...["100", "84.95", "n2"],
        ...["-170", "-84.9", "s1"],
      ],
      ["GEOSEARCH", "@g", "FROMLONLAT", "180", "10", "BYRADIUS", "100", "km", "ASC"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "-180", "10", "BYRADIUS", "100", "km", "ASC"],
      ["GEOSEARCH", "@g", "FROMMEMBER", "n1", "BYRADIUS", "500", "km", "WITHDIST"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "0", "85", "BYRADIUS", "1000", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "-170", "-85", "BYBOX", "200", "200", "km"],
    ],
  },
  {
    name: "GEOSEARCH on a missing key, with or without an existing member",
    steps: [
      ["GEOSEARCH", "@nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "km"],
      ["GEOSEARCH", "@nokey", "FROMLONLAT", "1", "1", "BYBOX", "1", "1", "km"],
      sicily,
      ["GEOSEARCH", "@g", "FROMMEMBER", "nobody", "BYRADIUS", "1", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
    ],
  },
  {
    name: "GEOSEARCH argument errors",
    steps: [
      sicily,
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "BYBOX", "1", "1", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"],
      ["GEOSEARCH", "@g", "FROMMEMBER", "Palermo", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km"],
      ["GEOSEARCH", "@g", "BYRADIUS", "200", "km", "WITHDIST", "ASC"],
      ["geosearch", "@g", "BYRADIUS", "200", "km", "WITHDIST", "ASC"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "WITHDIST", "ASC"],
      ["GeoSearch", "@g", "FROMLONLAT", "15", "37", "WITHDIST", "ASC"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STORE", "x"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ANY"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "0"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "-3"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "x"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "NOPE"],
    ],
  },
  {
    name: "GEOSEARCH shape and unit errors",
    steps: [
      sicily,
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "-1", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "abc", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "lightyears"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYBOX", "1", "-1", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYBOX", "w", "1", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYBOX", "1", "h", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "yd"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "37", "BYBOX", "1", "1"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "200", "37", "BYRADIUS", "1", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "x", "37", "BYRADIUS", "1", "km"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "15", "BYRADIUS", "1", "km"],
    ],
  },
  {
    name: "GEOSEARCH on a key of another type",
    steps: [
      ["SADD", "@s", "a"],
      ["GEOSEARCH", "@s", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"],
    ],
  },

  // ---------------------------------------------------------------- GEOSEARCHSTORE
  {
    name: "GEOSEARCHSTORE stores geohash scores",
    steps: [
      cities,
      ["GEOSEARCHSTORE", "@dst", "@w", "FROMMEMBER", "Paris", "BYRADIUS", "1000", "km"],
      ["ZRANGE", "@dst", "0", "-1", "WITHSCORES"],
      ["OBJECT", "ENCODING", "@dst"],
      ["GEOPOS", "@dst", "Paris", "London"],
    ],
  },
  {
    name: "GEOSEARCHSTORE STOREDIST stores distances in the unit",
    steps: [
      cities,
      ["GEOSEARCHSTORE", "@dst", "@w", "FROMMEMBER", "Paris", "BYRADIUS", "1000", "km", "STOREDIST"],
      ["ZRANGE", "@dst", "0", "-1", "WITHSCORES"],
      [
        "GEOSEARCHSTORE",
        "@dst",
        "@w",
        "FROMMEMBER",
        "Paris",
        "BYRADIUS",
        "700",
        "mi",
        "STOREDIST",
        "ASC",
        "COUNT",
        "2",
      ],
      ["ZRANGE", "@dst", "0", "-1", "WITHSCORES"],
    ],
  },
  {
    name: "GEOSEARCHSTORE with no match deletes the destination",
    steps: [
      sicily,
      ["SET", "@dst", "old"],
      ["GEOSEARCHSTORE", "@dst", "@g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
      ["EXISTS", "@dst"],
      ["SET", "@dst", "old"],
      ["GEOSEARCHSTORE", "@dst", "@nokey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
      ["EXISTS", "@dst"],
      ["GEOSEARCHSTORE", "@dst", "@nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "km"],
    ],
  },
  {
    name: "GEOSEARCHSTORE overwrites another type and drops its TTL",
    steps: [
      sicily,
      ["RPUSH", "@dst", "x"],
      ["EXPIRE", "@dst", "100"],
      ["GEOSEARCHSTORE", "@dst", "@g", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km"],
      ["TYPE", "@dst"],
      ["TTL", "@dst"],
    ],
  },
  {
    name: "GEOSEARCHSTORE errors",
    steps: [
      sicily,
      ["GEOSEARCHSTORE", "@dst", "@g", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km", "WITHDIST"],
      ["GEOSEARCHSTORE", "@dst", "@g", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km", "WITHCOORD"],
      ["GEOSEARCHSTORE", "@dst", "@g", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km", "STORE", "x"],
      ["GEOSEARCHSTORE", "@dst", "@g", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km", "ANY"],
      ["GEOSEARCHSTORE", "@dst", "@g", "FROMMEMBER", "nobody", "BYRADIUS", "300", "km"],
      ["GEOSEARCHSTORE", "@dst", "@g", "BYRADIUS", "300", "km", "ASC"],
      ["EXISTS", "@dst"],
    ],
  },
  {
    name: "GEOSEARCHSTORE with the source as destination",
    steps: [
      cities,
      ["GEOSEARCHSTORE", "@w", "@w", "FROMMEMBER", "Rome", "BYRADIUS", "1500", "km", "COUNT", "3"],
      ["ZRANGE", "@w", "0", "-1"],
    ],
  },

  // ---------------------------------------------------------------- GEORADIUS, GEORADIUSBYMEMBER
  {
    name: "GEORADIUS with options",
    steps: [
      sicily,
      ["GEORADIUS", "@g", "15", "37", "200", "km"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "WITHDIST", "ASC"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "WITHCOORD", "WITHHASH", "DESC"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "COUNT", "1"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "COUNT", "1", "ANY"],
      ["GEORADIUS_RO", "@g", "15", "37", "200", "km", "WITHDIST"],
    ],
  },
  {
    name: "GEORADIUS STORE and STOREDIST",
    steps: [
      sicily,
      ["GEORADIUS", "@g", "15", "37", "200", "km", "STORE", "@dst"],
      ["ZRANGE", "@dst", "0", "-1", "WITHSCORES"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "STOREDIST", "@dist"],
      ["ZRANGE", "@dist", "0", "-1", "WITHSCORES"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "STORE", "@a", "STOREDIST", "@b"],
      ["EXISTS", "@a", "@b"],
      ["GEORADIUS", "@g", "0", "0", "1", "km", "STORE", "@dst"],
      ["EXISTS", "@dst"],
    ],
  },
  {
    name: "GEORADIUS STORE refused with WITH options and in the _RO form",
    steps: [
      sicily,
      ["GEORADIUS", "@g", "15", "37", "200", "km", "STORE", "@dst", "WITHDIST"],
      ["GEORADIUS_RO", "@g", "15", "37", "200", "km", "STORE", "@dst"],
      ["GEORADIUSBYMEMBER_RO", "@g", "Palermo", "200", "km", "STOREDIST", "@dst"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "STORE"],
      ["EXISTS", "@dst"],
    ],
  },
  {
    name: "GEORADIUS argument errors in order",
    steps: [
      sicily,
      ["GEORADIUS", "@g", "x", "37", "200", "km"],
      ["GEORADIUS", "@g", "15", "99", "200", "km"],
      ["GEORADIUS", "@g", "15", "37", "far", "km"],
      ["GEORADIUS", "@g", "15", "37", "-200", "km"],
      ["GEORADIUS", "@g", "15", "37", "200", "leagues"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "FROMMEMBER", "Palermo"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "BYBOX", "1", "1", "km"],
      ["GEORADIUS", "@g", "15", "37", "200", "km", "ANY"],
      ["GEORADIUS", "@nokey", "x", "37", "200", "km"],
    ],
  },
  {
    name: "GEORADIUS on a missing key",
    steps: [
      ["GEORADIUS", "@nokey", "15", "37", "200", "km"],
      ["SET", "@dst", "x"],
      ["GEORADIUS", "@nokey", "15", "37", "200", "km", "STORE", "@dst"],
      ["EXISTS", "@dst"],
    ],
  },
  {
    name: "GEORADIUSBYMEMBER with options",
    steps: [
      cities,
      ["GEORADIUSBYMEMBER", "@w", "Berlin", "700", "km"],
      ["GEORADIUSBYMEMBER", "@w", "Berlin", "700", "km", "WITHDIST", "ASC"],
      ["GEORADIUSBYMEMBER", "@w", "Berlin", "1000", "km", "COUNT", "2", "DESC"],
      ["GEORADIUSBYMEMBER_RO", "@w", "Berlin", "1000", "km", "WITHCOORD", "WITHHASH"],
      ["GEORADIUSBYMEMBER", "@w", "Berlin", "1000", "km", "STORE", "@dst"],
      ["ZRANGE", "@dst", "0", "-1"],
    ],
  },
  {
    name: "GEORADIUSBYMEMBER errors and a missing key",
    steps: [
      cities,
      ["GEORADIUSBYMEMBER", "@w", "Atlantis", "700", "km"],
      ["GEORADIUSBYMEMBER", "@w", "Berlin", "x", "km"],
      ["GEORADIUSBYMEMBER", "@w", "Berlin", "10", "furlongs"],
      ["GEORADIUSBYMEMBER", "@nokey", "Berlin", "x", "furlongs"],
      ["GEORADIUSBYMEMBER", "@nokey", "Berlin", "10", "km", "BADOPTION"],
      ["GEORADIUSBYMEMBER", "@nokey", "Berlin", "10", "km", "ANY"],
      ["GEORADIUSBYMEMBER_RO", "@nokey", "Berlin", "10", "km"],
    ],
  },
  {
    name: "GEORADIUS over a large set at several radii",
    steps: [
      spiral("@g", 500, 12.5, 41.9, 1.5),
      ["GEORADIUS", "@g", "12.5", "41.9", "1", "km"],
      ["GEORADIUS", "@g", "12.5", "41.9", "10", "km", "ASC", "WITHDIST"],
      ["GEORADIUS", "@g", "12.5", "41.9", "50", "km", "COUNT", "10", "WITHDIST"],
      ["GEORADIUS", "@g", "12.6", "41.8", "100", "km", "COUNT", "20", "ANY"],
      ["GEORADIUS", "@g", "13", "42", "30", "mi", "DESC", "COUNT", "5", "WITHHASH"],
    ],
  },
  {
    name: "searches with points at identical positions keep their order",
    steps: [
      ["GEOADD", "@g", "10", "10", "b", "10", "10", "a", "10", "10", "c", "10.001", "10", "d"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "10", "10", "BYRADIUS", "1", "km", "ASC"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "10", "10", "BYRADIUS", "1", "km", "DESC"],
      ["GEOSEARCH", "@g", "FROMLONLAT", "10", "10", "BYRADIUS", "1", "km"],
    ],
  },
  {
    name: "GEORADIUSBYMEMBER_RO and GEORADIUS_RO on a skiplist with COUNT ANY",
    steps: [
      spiral("@g", 250, -0.12, 51.5, 0.6),
      ["GEORADIUSBYMEMBER_RO", "@g", "p0", "15", "km", "COUNT", "7", "ANY", "WITHDIST"],
      ["GEORADIUS_RO", "@g", "-0.2", "51.45", "20", "km", "COUNT", "7", "ANY", "ASC", "WITHCOORD"],
      ["GEORADIUS_RO", "@g", "-0.2", "51.45", "20", "km", "COUNT", "7"],
    ],
  },
  {
    name: "geo commands inside MULTI",
    steps: [
      ["MULTI"],
      ["GEOADD", "@g", "13.361389", "38.115556", "Palermo"],
      ["GEOPOS", "@g", "Palermo"],
      ["GEORADIUS", "@g", "13", "38", "100", "km", "WITHDIST"],
      ["EXEC"],
    ],
  },
  {
    name: "COMMAND GETKEYS of the store forms",
    steps: [
      ["COMMAND", "GETKEYS", "GEORADIUS", "src", "1", "1", "1", "km", "STORE", "dst"],
      ["COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "src", "m", "1", "km", "STOREDIST", "dst"],
      ["COMMAND", "GETKEYS", "GEOSEARCHSTORE", "dst", "src", "FROMMEMBER", "m", "BYRADIUS", "1", "km"],
      ["COMMAND", "GETKEYS", "GEORADIUS", "src", "1", "1", "1", "km"],
    ],
  },
];

/** Many distances, one per line: to the printed digit across the globe. */
const grid: Arg[] = ["GEOADD", "@grid"];
for (let lat = -80; lat <= 80; lat += 20) {
  for (let lon = -170; lon <= 170; lon += 34) grid.push(String(lon), String(lat), `c${lon}_${lat}`);
}
cases.push({
  name: "GEODIST and GEOPOS over a world grid",
  steps: [
    grid,
    ["GEODIST", "@grid", "c-170_-80", "c170_80"],
    ["GEODIST", "@grid", "c-34_0", "c0_0", "km"],
    ["GEODIST", "@grid", "c-136_40", "c136_-40", "mi"],
    ["GEODIST", "@grid", "c-170_60", "c-170_-60", "ft"],
    ["GEOPOS", "@grid", "c-170_-80", "c170_80", "c-34_0", "c68_20"],
    ["GEOHASH", "@grid", "c-170_-80", "c170_80", "c-34_0", "c68_20"],
    ["GEOSEARCH", "@grid", "FROMMEMBER", "c0_0", "BYRADIUS", "5000", "km", "ASC", "WITHDIST"],
    ["GEOSEARCH", "@grid", "FROMMEMBER", "c-102_60", "BYBOX", "6000", "3000", "km", "ASC", "WITHDIST"],
  ],
});

export const corpus: DiffCase[] = scopeKeys("geo", cases);
