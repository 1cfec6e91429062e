/*
 * Geo commands (Redis' geo.c, command side): GEOADD GEOPOS GEODIST GEOHASH
 * GEOSEARCH GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER and the _RO forms.
 *
 * A geo index is a sorted set whose scores are 52-bit interleaved geohashes
 * (../geo/geohash.ts). GEOADD is ZADD with the coordinates turned into
 * scores: it runs the ZADD handler on the rewritten arguments and is
 * propagated and notified as that ZADD, as Redis 7.0 does. Searches scan the
 * nine cells around the centre (each a contiguous score range), keep the
 * points inside the circle or box, optionally sort them by distance
 * (stable, like glibc's qsort) and reply or store them.
 *
 * Replies follow Redis 7.0: distances are bulk strings with four decimals in
 * the requested unit, coordinates Redis' "human" long double text (bulk
 * strings on RESP2, doubles on RESP3), hashes integers. The argument checks
 * happen in Redis' order, so the first error a malformed command gets is
 * Redis' first error.
 */

import { EventClass, RedisZSet, type ScoreRange } from "@spinel/core-db";
import { argIs, argString, parseInt64 } from "../args.js";
import type { ClientSession } from "../client-session.js";
import type { CommandSpec } from "../command-spec.js";
import { FIRST_KEY } from "../command-spec.js";
import { Err } from "../errors.js";
import { formatFixed, formatHumanDouble } from "../geo/geo-format.js";
import {
  cellScoreRange,
  decodeScore,
  distanceIfInShape,
  encodeScoreText,
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
  type GeoCell,
  GeoPoint,
  GeoShape,
  geoDistance,
  searchCells,
  standardGeohash,
} from "../geo/geohash.js";
import { partialSort } from "../geo/partial-sort.js";
import { parseScore } from "./zset-args.js";
import { readZSetOrReply } from "./zset-common.js";

const UNIT_ERROR = "ERR unsupported unit provided. please use M, KM, FT, MI";
const MEMBER_ERROR = "ERR could not decode requested zset member";

// ---------------------------------------------------------------- argument parsing

/** Meters per unit of `arg` (m, km, ft, mi, any case), or -1 after replying the error. */
function unitOrReply(c: ClientSession, arg: Buffer): number {
  if (argIs(arg, "m")) return 1;
  if (argIs(arg, "km")) return 1000;
  if (argIs(arg, "ft")) return 0.3048;
  if (argIs(arg, "mi")) return 1609.34;
  c.reply.error(UNIT_ERROR);
  return -1;
}

/** A double argument as Redis' getDoubleFromObjectOrReply reads it, or null after replying `message`. */
function doubleOrReply(c: ClientSession, arg: Buffer, message: string): number | null {
  const value = parseScore(arg);
  if (value === null) c.reply.error(message);
  return value;
}

/**
 * Redis' extractLongLatOrReply: longitude argv[at], latitude argv[at + 1],
 * into `point`; false after replying a float or range error.
 */
function longLatOrReply(c: ClientSession, at: number, point: GeoPoint): boolean {
  const longitude = doubleOrReply(c, c.argv[at]!, Err.notFloat);
  if (longitude === null) return false;
  const latitude = doubleOrReply(c, c.argv[at + 1]!, Err.notFloat);
  if (latitude === null) return false;
  if (
    longitude < GEO_LONG_MIN ||
    longitude > GEO_LONG_MAX ||
    latitude < GEO_LAT_MIN ||
    latitude > GEO_LAT_MAX
  ) {
    c.reply.error(
      `ERR invalid longitude,latitude pair ${formatFixed(longitude, 6)},${formatFixed(latitude, 6)}`,
    );
    return false;
  }
  point.longitude = longitude;
  point.latitude = latitude;
  return true;
}

/** Redis' extractDistanceOrReply: radius argv[at] and unit argv[at + 1] into `shape`. */
function distanceOrReply(c: ClientSession, at: number, shape: GeoShape): boolean {
  const radius = doubleOrReply(c, c.argv[at]!, "ERR need numeric radius");
  if (radius === null) return false;
  if (radius < 0) {
    c.reply.error("ERR radius cannot be negative");
    return false;
  }
  const conversion = unitOrReply(c, c.argv[at + 1]!);
  if (conversion < 0) return false;
  shape.circle = true;
  shape.radius = radius;
  shape.conversion = conversion;
  return true;
}

/** Redis' extractBoxOrReply: width argv[at], height argv[at + 1], unit argv[at + 2] into `shape`. */
function boxOrReply(c: ClientSession, at: number, shape: GeoShape): boolean {
  const width = doubleOrReply(c, c.argv[at]!, "ERR need numeric width");
  if (width === null) return false;
  const height = doubleOrReply(c, c.argv[at + 1]!, "ERR need numeric height");
  if (height === null) return false;
  if (height < 0 || width < 0) {
    c.reply.error("ERR height or width cannot be negative");
    return false;
  }
  const conversion = unitOrReply(c, c.argv[at + 2]!);
  if (conversion < 0) return false;
  shape.circle = false;
  shape.width = width;
  shape.height = height;
  shape.conversion = conversion;
  return true;
}

// ---------------------------------------------------------------- reply helpers

/** A distance: a bulk string with four decimals (Redis' addReplyDoubleDistance). */
function replyDistance(c: ClientSession, meters: number): void {
  c.reply.bulkString(formatFixed(meters, 4));
}

/** A coordinate: Redis' addReplyHumanLongDouble (bulk on RESP2, double on RESP3). */
function replyCoordinate(c: ClientSession, value: number): void {
  const text = formatHumanDouble(value);
  if (c.reply.protocol === 2) c.reply.bulkString(text);
  else c.reply.doubleText(text);
}

// ---------------------------------------------------------------- GEOADD

/**
 * GEOADD key [NX | XX] [CH] longitude latitude member [...]: validate every
 * pair, then run ZADD with the geohash scores. The ZADD is what is
 * propagated and notified ("zadd"), and its reply is GEOADD's.
 */
function geoaddCommand(c: ClientSession): void {
  const argv = c.argv;
  let xx = false;
  let nx = false;
  let longIndex = 2;
  for (; longIndex < argv.length; longIndex++) {
    const option = argv[longIndex]!;
    if (argIs(option, "nx")) nx = true;
    else if (argIs(option, "xx")) xx = true;
    else if (!argIs(option, "ch")) break;
  }
  if ((argv.length - longIndex) % 3 !== 0 || (xx && nx)) {
    c.reply.error(Err.syntax);
    return;
  }
  const elements = (argv.length - longIndex) / 3;
  const zaddArgv: Buffer[] = new Array(longIndex + elements * 2);
  zaddArgv[0] = ZADD_NAME;
  for (let i = 1; i < longIndex; i++) zaddArgv[i] = argv[i]!;
  const point = scratchPoint;
  for (let i = 0; i < elements; i++) {
    if (!longLatOrReply(c, longIndex + i * 3, point)) return;
    zaddArgv[longIndex + i * 2] = Buffer.from(encodeScoreText(point.longitude, point.latitude), "latin1");
    zaddArgv[longIndex + i * 2 + 1] = argv[longIndex + i * 3 + 2]!;
  }
  const zadd = c.server.table.get("zadd");
  if (zadd === undefined) {
    c.reply.error("ERR internal error");
    return;
  }
  c.argv = zaddArgv;
  try {
    zadd.spec.handler(c);
  } finally {
    c.argv = argv;
  }
  c.rewritePropagation(zaddArgv);
}

const ZADD_NAME = Buffer.from("zadd", "latin1");
const scratchPoint = new GeoPoint();

// ---------------------------------------------------------------- GEOPOS, GEODIST, GEOHASH

/** GEOPOS key [member ...]: [longitude, latitude] of each member, or a null array. */
function geoposCommand(c: ClientSession): void {
  const argv = c.argv;
  const zset = readZSetOrReply(c, argString(argv[1]!));
  if (zset === null) return;
  const reply = c.reply;
  reply.arrayLen(argv.length - 2);
  const point = scratchPoint;
  for (let j = 2; j < argv.length; j++) {
    const score = zset === undefined ? undefined : zset.score(argString(argv[j]!));
    if (score === undefined) {
      reply.nullArray();
      continue;
    }
    decodeScore(score, point);
    reply.arrayLen(2);
    replyCoordinate(c, point.longitude);
    replyCoordinate(c, point.latitude);
  }
}

/** GEODIST key member1 member2 [unit]: the distance, or null when a member is missing. */
function geodistCommand(c: ClientSession): void {
  const argv = c.argv;
  let toMeters = 1;
  if (argv.length === 5) {
    toMeters = unitOrReply(c, argv[4]!);
    if (toMeters < 0) return;
  } else if (argv.length > 5) {
    c.reply.error(Err.syntax);
    return;
  }
  const zset = readZSetOrReply(c, argString(argv[1]!));
  if (zset === null) return;
  if (zset === undefined) {
    c.reply.nullBulk();
    return;
  }
  const score1 = zset.score(argString(argv[2]!));
  const score2 = zset.score(argString(argv[3]!));
  if (score1 === undefined || score2 === undefined) {
    c.reply.nullBulk();
    return;
  }
  const a = new GeoPoint();
  const b = new GeoPoint();
  decodeScore(score1, a);
  decodeScore(score2, b);
  replyDistance(c, geoDistance(a.longitude, a.latitude, b.longitude, b.latitude) / toMeters);
}

/** GEOHASH key [member ...]: the 11-character standard geohash of each member, or null. */
function geohashCommand(c: ClientSession): void {
  const argv = c.argv;
  const zset = readZSetOrReply(c, argString(argv[1]!));
  if (zset === null) return;
  const reply = c.reply;
  reply.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset === undefined ? undefined : zset.score(argString(argv[j]!));
    if (score === undefined) reply.nullBulk();
    else reply.bulkString(standardGeohash(score));
  }
}

// ---------------------------------------------------------------- searches

/** Which command family a search runs for (Redis' georadiusGeneric flags). */
enum SearchFlag {
  /** GEORADIUS[_RO]: centre from longitude/latitude arguments. */
  Coords = 1 << 0,
  /** GEORADIUSBYMEMBER[_RO]: centre from a member argument. */
  Member = 1 << 1,
  /** The _RO forms: no STORE / STOREDIST. */
  NoStore = 1 << 2,
  /** GEOSEARCH syntax (FROMMEMBER / FROMLONLAT / BYRADIUS / BYBOX). */
  Search = 1 << 3,
  /** GEOSEARCHSTORE: destination first, STOREDIST without argument. */
  SearchStore = 1 << 4,
}

/** One point found by a search. */
class GeoMatch {
  constructor(
    readonly member: string,
    readonly score: number,
    readonly longitude: number,
    readonly latitude: number,
    readonly distance: number,
  ) {}
}

/** Sort order requested. */
enum SortOrder {
  None = 0,
  Asc = 1,
  Desc = 2,
}

/**
 * The points of `zset` inside `shape`, scanning the nine search cells in
 * Redis' order (skipping empty cells and a cell equal to the previously
 * scanned one), stopping once `limit` points are found when limit > 0.
 */
function collectMatches(zset: RedisZSet, shape: GeoShape, limit: number): GeoMatch[] {
  const cells = searchCells(shape);
  const matches: GeoMatch[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (cell.isZero()) continue;
    if (lastProcessed !== 0 && cell.equals(cells[lastProcessed]!)) continue;
    if (matches.length > 0 && limit > 0 && matches.length >= limit) break;
    collectCell(zset, cell, shape, matches, limit);
    lastProcessed = i;
  }
  return matches;
}

const cellRange: [number, number] = [0, 0];
const point = new GeoPoint();

/** The points of one cell's score range [min, max) that lie in `shape`, appended to `matches`. */
function collectCell(
  zset: RedisZSet,
  cell: GeoCell,
  shape: GeoShape,
  matches: GeoMatch[],
  limit: number,
): void {
  cellScoreRange(cell, cellRange);
  const max = cellRange[1];
  const range: ScoreRange = { min: cellRange[0], max, minExclusive: false, maxExclusive: true };
  const cursor = zset.scoreRangeCursor(range, false);
  while (cursor.next()) {
    const score = cursor.score;
    if (!(score < max)) break;
    decodeScore(score, point);
    const distance = distanceIfInShape(shape, point.longitude, point.latitude);
    if (distance >= 0) {
      matches.push(new GeoMatch(cursor.member, score, point.longitude, point.latitude, distance));
      if (limit > 0 && matches.length >= limit) break;
    }
  }
}

/**
 * Redis' georadiusGeneric: parse the centre, shape and options of any search
 * command (`sourceIndex` is the argv index of the geo key), then reply with
 * the matches or store them.
 */
function searchGeneric(c: ClientSession, sourceIndex: number, flags: number): void {
  const argv = c.argv;
  const db = c.db;
  const zset = readZSetOrReply(c, argString(argv[sourceIndex]!));
  if (zset === null) return;

  const shape = new GeoShape();
  const centre = new GeoPoint();
  let storeKey: Buffer | null = null;
  let baseArgs: number;
  if ((flags & SearchFlag.Coords) !== 0) {
    baseArgs = 6;
    if (!longLatOrReply(c, 2, centre)) return;
    if (!distanceOrReply(c, baseArgs - 2, shape)) return;
  } else if ((flags & SearchFlag.Member) !== 0 && zset === undefined) {
    // No source key: the arguments are still parsed, to pick the empty reply.
    baseArgs = 5;
  } else if ((flags & SearchFlag.Member) !== 0) {
    baseArgs = 5;
    if (!memberPositionOrReply(c, zset!, argv[2]!, centre)) return;
    if (!distanceOrReply(c, baseArgs - 2, shape)) return;
  } else {
    baseArgs = 2;
    if ((flags & SearchFlag.SearchStore) !== 0) {
      baseArgs = 3;
      storeKey = argv[1]!;
    }
  }

  let withDist = false;
  let withHash = false;
  let withCoords = false;
  let fromMember = false;
  let fromLonLat = false;
  let byRadius = false;
  let byBox = false;
  let sort = SortOrder.None;
  let any = false;
  let count = 0;
  let storeDist = false;
  const search = (flags & SearchFlag.Search) !== 0;
  const storeAllowed = (flags & SearchFlag.NoStore) === 0 && !search;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = baseArgs + i;
    const arg = argv[at]!;
    if (argIs(arg, "withdist")) withDist = true;
    else if (argIs(arg, "withhash")) withHash = true;
    else if (argIs(arg, "withcoord")) withCoords = true;
    else if (argIs(arg, "any")) any = true;
    else if (argIs(arg, "asc")) sort = SortOrder.Asc;
    else if (argIs(arg, "desc")) sort = SortOrder.Desc;
    else if (argIs(arg, "count") && i + 1 < remaining) {
      const parsed = parseInt64(argv[at + 1]!);
      if (parsed === null) {
        c.reply.error(Err.notInteger);
        return;
      }
      if (parsed <= 0n) {
        c.reply.error("ERR COUNT must be > 0");
        return;
      }
      count = parsed > 9007199254740991n ? Number.MAX_SAFE_INTEGER : Number(parsed);
      i++;
    } else if (argIs(arg, "store") && i + 1 < remaining && storeAllowed) {
      storeKey = argv[at + 1]!;
      storeDist = false;
      i++;
    } else if (argIs(arg, "storedist") && i + 1 < remaining && storeAllowed) {
      storeKey = argv[at + 1]!;
      storeDist = true;
      i++;
    } else if (argIs(arg, "storedist") && search && (flags & SearchFlag.SearchStore) !== 0) {
      storeDist = true;
    } else if (argIs(arg, "frommember") && i + 1 < remaining && search && !fromLonLat) {
      if (zset !== undefined && !memberPositionOrReply(c, zset, argv[at + 1]!, centre)) return;
      fromMember = true;
      i++;
    } else if (argIs(arg, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
      if (!longLatOrReply(c, at + 1, centre)) return;
      fromLonLat = true;
      i += 2;
    } else if (argIs(arg, "byradius") && i + 2 < remaining && search && !byBox) {
      if (!distanceOrReply(c, at + 1, shape)) return;
      byRadius = true;
      i += 2;
    } else if (argIs(arg, "bybox") && i + 3 < remaining && search && !byRadius) {
      if (!boxOrReply(c, at + 1, shape)) return;
      byBox = true;
      i += 3;
    } else {
      c.reply.error(Err.syntax);
      return;
    }
  }

  if (storeKey !== null && (withDist || withHash || withCoords)) {
    const what = (flags & SearchFlag.SearchStore) !== 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS";
    c.reply.error(`ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
    return;
  }
  const typed = argString(argv[0]!);
  if (search && !(fromMember || fromLonLat)) {
    c.reply.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${typed}`);
    return;
  }
  if (search && !(byRadius || byBox)) {
    c.reply.error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${typed}`);
    return;
  }
  if (any && count === 0) {
    c.reply.error("ERR the ANY argument requires COUNT argument");
    return;
  }

  if (zset === undefined) {
    if (storeKey !== null) {
      const key = argString(storeKey);
      if (db.delete(key)) db.touched(key, "del", EventClass.Generic);
      c.reply.integer(0);
    } else {
      c.reply.arrayLen(0);
    }
    return;
  }

  // COUNT without an order means the closest ones (not with ANY).
  if (count !== 0 && sort === SortOrder.None && !any) sort = SortOrder.Asc;

  shape.longitude = centre.longitude;
  shape.latitude = centre.latitude;
  const matches = collectMatches(zset, shape, any ? count : 0);
  if (matches.length === 0 && storeKey === null) {
    c.reply.arrayLen(0);
    return;
  }
  const returned = count === 0 || matches.length < count ? matches.length : count;
  if (sort !== SortOrder.None) {
    const compare = sort === SortOrder.Asc ? byDistanceAscending : byDistanceDescending;
    // All of them: glibc's qsort, a stable merge sort. Only the first `returned`: Redis' pqsort.
    if (returned === matches.length) matches.sort(compare);
    else partialSort(matches, matches.length, compare, 0, returned - 1);
  }

  const conversion = shape.conversion;
  if (storeKey === null) {
    replyMatches(c, matches, returned, conversion, withDist, withHash, withCoords);
    return;
  }
  const key = argString(storeKey);
  if (returned > 0) {
    const members = new Array<string>(returned);
    const scores = new Array<number>(returned);
    for (let i = 0; i < returned; i++) {
      const match = matches[i]!;
      members[i] = match.member;
      scores[i] = storeDist ? match.distance / conversion : match.score;
    }
    db.set(key, RedisZSet.fromEntries(members, scores, db.keyspace.limits));
    db.touched(key, search ? "geosearchstore" : "georadiusstore", EventClass.ZSet, returned);
  } else if (db.delete(key)) {
    db.touched(key, "del", EventClass.Generic);
  }
  c.reply.integer(returned);
}

/** Centre of a FROMMEMBER / BYMEMBER search, or false after replying that it cannot be found. */
function memberPositionOrReply(c: ClientSession, zset: RedisZSet, member: Buffer, out: GeoPoint): boolean {
  const score = zset.score(argString(member));
  if (score === undefined) {
    c.reply.error(MEMBER_ERROR);
    return false;
  }
  decodeScore(score, out);
  return true;
}

function byDistanceAscending(a: GeoMatch, b: GeoMatch): number {
  return a.distance > b.distance ? 1 : a.distance === b.distance ? 0 : -1;
}

function byDistanceDescending(a: GeoMatch, b: GeoMatch): number {
  return -byDistanceAscending(a, b);
}

/** The search reply: members, or [member, dist?, hash?, [lon, lat]?] entries. */
function replyMatches(
  c: ClientSession,
  matches: GeoMatch[],
  returned: number,
  conversion: number,
  withDist: boolean,
  withHash: boolean,
  withCoords: boolean,
): void {
  const reply = c.reply;
  const options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoords ? 1 : 0);
  reply.arrayLen(returned);
  for (let i = 0; i < returned; i++) {
    const match = matches[i]!;
    if (options > 0) reply.arrayLen(options + 1);
    reply.bulkString(match.member);
    if (withDist) replyDistance(c, match.distance / conversion);
    if (withHash) reply.integer(Math.trunc(match.score));
    if (withCoords) {
      reply.arrayLen(2);
      replyCoordinate(c, match.longitude);
      replyCoordinate(c, match.latitude);
    }
  }
}

/** GEORADIUS key longitude latitude radius unit [options] [STORE key] [STOREDIST key] */
function georadiusCommand(c: ClientSession): void {
  searchGeneric(c, 1, SearchFlag.Coords);
}

/** GEORADIUS_RO: GEORADIUS without STORE. */
function georadiusRoCommand(c: ClientSession): void {
  searchGeneric(c, 1, SearchFlag.Coords | SearchFlag.NoStore);
}

/** GEORADIUSBYMEMBER key member radius unit [options] [STORE key] [STOREDIST key] */
function georadiusbymemberCommand(c: ClientSession): void {
  searchGeneric(c, 1, SearchFlag.Member);
}

/** GEORADIUSBYMEMBER_RO: GEORADIUSBYMEMBER without STORE. */
function georadiusbymemberRoCommand(c: ClientSession): void {
  searchGeneric(c, 1, SearchFlag.Member | SearchFlag.NoStore);
}

/** GEOSEARCH key FROMMEMBER m | FROMLONLAT lon lat  BYRADIUS r unit | BYBOX w h unit [options] */
function geosearchCommand(c: ClientSession): void {
  searchGeneric(c, 1, SearchFlag.Search);
}

/** GEOSEARCHSTORE destination source ... [STOREDIST] */
function geosearchstoreCommand(c: ClientSession): void {
  searchGeneric(c, 2, SearchFlag.Search | SearchFlag.SearchStore);
}

/**
 * Key positions of GEORADIUS / GEORADIUSBYMEMBER: the source, and the
 * STORE / STOREDIST destination when given (the last one wins, as the
 * command reads them).
 */
function georadiusKeys(argv: readonly Buffer[]): number[] {
  const keys = [1];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((argIs(arg, "store") || argIs(arg, "storedist")) && i + 1 < argv.length) {
      store = i + 1;
      i++;
    }
  }
  if (store !== -1) keys.push(store);
  return keys;
}

// ---------------------------------------------------------------- specs

const RADIUS_COMPLEXITY = "O(N+log(M)): N in the searched area, M members.";
const SEARCH_COMPLEXITY = "O(N+log(M)): N in the searched area, M members.";

/** The geo command group. */
export const geoCommands: readonly CommandSpec[] = [
  {
    name: "geoadd",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    acl: ["@geo"],
    group: "geo",
    summary: "Store places by longitude and latitude",
    since: "3.2.0",
    complexity: "O(log(N)) per place, N = members.",
    handler: geoaddCommand,
  },
  {
    name: "geopos",
    arity: -2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@geo"],
    group: "geo",
    summary: "Longitude and latitude of places",
    since: "3.2.0",
    complexity: "O(N), N = places asked for.",
    handler: geoposCommand,
  },
  {
    name: "geodist",
    arity: -4,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@geo"],
    group: "geo",
    summary: "Distance between two places",
    since: "3.2.0",
    complexity: "O(log(N))",
    handler: geodistCommand,
  },
  {
    name: "geohash",
    arity: -2,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@geo"],
    group: "geo",
    summary: "Geohash strings of places",
    since: "3.2.0",
    complexity: "O(log(N)) per place.",
    handler: geohashCommand,
  },
  {
    name: "geosearch",
    arity: -7,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@geo"],
    group: "geo",
    summary: "Places inside a circle or a box",
    since: "6.2.0",
    complexity: SEARCH_COMPLEXITY,
    handler: geosearchCommand,
  },
  {
    name: "geosearchstore",
    arity: -8,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 2, step: 1 },
    acl: ["@geo"],
    group: "geo",
    summary: "Places inside a circle or a box, stored in a key",
    since: "6.2.0",
    complexity: SEARCH_COMPLEXITY,
    handler: geosearchstoreCommand,
  },
  {
    name: "georadius",
    arity: -6,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    getKeys: georadiusKeys,
    acl: ["@geo"],
    group: "geo",
    summary: "Places within a radius of a point, optionally stored",
    since: "3.2.0",
    complexity: RADIUS_COMPLEXITY,
    handler: georadiusCommand,
  },
  {
    name: "georadius_ro",
    arity: -6,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@geo"],
    group: "geo",
    summary: "Places within a radius of a point (read-only)",
    since: "3.2.10",
    complexity: RADIUS_COMPLEXITY,
    handler: georadiusRoCommand,
  },
  {
    name: "georadiusbymember",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: FIRST_KEY,
    getKeys: georadiusKeys,
    acl: ["@geo"],
    group: "geo",
    summary: "Places within a radius of a member, optionally stored",
    since: "3.2.0",
    complexity: RADIUS_COMPLEXITY,
    handler: georadiusbymemberCommand,
  },
  {
    name: "georadiusbymember_ro",
    arity: -5,
    flags: ["readonly"],
    keys: FIRST_KEY,
    acl: ["@geo"],
    group: "geo",
    summary: "Places within a radius of a member (read-only)",
    since: "3.2.10",
    complexity: RADIUS_COMPLEXITY,
    handler: georadiusbymemberRoCommand,
  },
];
