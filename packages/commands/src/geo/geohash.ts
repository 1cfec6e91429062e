/*
 * Geohashes as Redis keeps them in sorted set scores (Redis' geohash.c and
 * geohash_helper.c, the facts only).
 *
 * A position is two cell indexes of `step` bits each (26 for stored points):
 * the latitude's over [-85.05112878, 85.05112878] and the longitude's over
 * [-180, 180]. Interleaved (latitude in the even bits, longitude in the odd
 * bits) they form the 52-bit integer a sorted set stores as the score, so
 * points close on the globe mostly have close scores, and a cell of any
 * coarser step is one contiguous score range.
 *
 * Indexes are held separately (`GeoCell`), so moving to a neighbouring cell is
 * plain arithmetic modulo 2^step, exactly what Redis' bit tricks on the
 * interleaved form compute. The interleaving itself works on 16-bit halves so
 * that no intermediate value leaves a double's exact integer range.
 *
 * The float arithmetic (cell bounds, distances, bounding boxes) follows the
 * order of Redis' operations so that the doubles round identically.
 */

// ---------------------------------------------------------------- constants

/** Bits per coordinate of a stored point. */
export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
/** The earth's radius Redis measures with, in meters. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
/** Half the earth's circumference in the Mercator projection, in meters. */
const MERCATOR_MAX = 20037726.37;
/** Degrees to radians. */
const D_R = Math.PI / 180.0;
const TWO_32 = 4294967296;

/** Degrees to radians, as Redis' deg_rad. */
export function degRad(angle: number): number {
  return angle * D_R;
}

/** Radians to degrees, as Redis' rad_deg. */
export function radDeg(angle: number): number {
  return angle / D_R;
}

// ---------------------------------------------------------------- cells

/** A geohash cell: the latitude and longitude indexes at `step` bits; step 0 = none. */
export class GeoCell {
  lat = 0;
  lon = 0;
  step = 0;

  /** Copy of another cell. */
  static from(other: GeoCell): GeoCell {
    const cell = new GeoCell();
    cell.lat = other.lat;
    cell.lon = other.lon;
    cell.step = other.step;
    return cell;
  }

  /**
   * The cell moved by `dLon`, `dLat` cells, wrapping around at the edges like
   * Redis' geohash_move_x/y. An axis that does not move is left as is (an
   * index of 2^step, from a point on the upper limit, stays so).
   */
  moved(dLon: number, dLat: number): GeoCell {
    const cell = GeoCell.from(this);
    const size = 2 ** this.step;
    if (dLon !== 0) cell.lon = (((this.lon + dLon) % size) + size) % size;
    if (dLat !== 0) cell.lat = (((this.lat + dLat) % size) + size) % size;
    return cell;
  }

  /** True for an empty cell (Redis' HASHISZERO). */
  isZero(): boolean {
    return this.step === 0 && this.lat === 0 && this.lon === 0;
  }

  /** True when both cells are the same. */
  equals(other: GeoCell): boolean {
    return this.step === other.step && this.lat === other.lat && this.lon === other.lon;
  }
}

/** Spread the low 16 bits of `x` to the even bits of a 32-bit word. */
function spread16(x: number): number {
  let v = x & 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** Gather the even bits of a 32-bit word into 16 bits. */
function squash32(x: number): number {
  let v = x & 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** Result of interleaveWords (module slots: calls never overlap). */
let interleavedHigh = 0;
let interleavedLow = 0;

/**
 * The interleaved value of (lat, lon) indexes (each below 2^32) as two
 * words, left in interleavedHigh / interleavedLow: latitude bits at even
 * positions, longitude at odd.
 */
function interleaveWords(lat: number, lon: number): void {
  interleavedLow = (spread16(lat) | (spread16(lon) << 1)) >>> 0;
  interleavedHigh = (spread16(lat >>> 16) | (spread16(lon >>> 16) << 1)) >>> 0;
}

/** The interleaved value of a cell as a number (exact: at most 52 bits for step <= 26). */
export function cellBits(cell: GeoCell): number {
  interleaveWords(cell.lat, cell.lon);
  return interleavedHigh * TWO_32 + interleavedLow;
}

/**
 * The score range [min, max) that holds every stored point of `cell`
 * (Redis' scoresOfGeoHashBox), written to `out` as [min, max].
 */
export function cellScoreRange(cell: GeoCell, out: [number, number]): void {
  const shift = 2 ** (52 - cell.step * 2);
  const bits = cellBits(cell);
  out[0] = bits * shift;
  out[1] = (bits + 1) * shift;
}

// ---------------------------------------------------------------- encode / decode

/** A range of one coordinate. */
export interface CoordRange {
  readonly min: number;
  readonly max: number;
}

/** Redis' coordinate ranges for stored points. */
export const LONG_RANGE: CoordRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const LAT_RANGE: CoordRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges (GEOHASH's strings). */
export const STANDARD_LAT_RANGE: CoordRange = { min: -90, max: 90 };

/**
 * Redis' geohashEncode: the cell of `step` bits holding (longitude,
 * latitude) in the given ranges, written into `cell`. Returns false (cell
 * left at index 0) when the point lies outside Redis' limits or the ranges.
 * The cell index is the offset scaled to 2^step and truncated, so a point on
 * the upper limit gets index 2^step, as in Redis.
 */
export function encodeCell(
  longRange: CoordRange,
  latRange: CoordRange,
  longitude: number,
  latitude: number,
  step: number,
  cell: GeoCell,
): boolean {
  cell.lat = 0;
  cell.lon = 0;
  cell.step = step;
  if (
    latitude < GEO_LAT_MIN ||
    latitude > GEO_LAT_MAX ||
    longitude < GEO_LONG_MIN ||
    longitude > GEO_LONG_MAX
  )
    return false;
  if (
    latitude < latRange.min ||
    latitude > latRange.max ||
    longitude < longRange.min ||
    longitude > longRange.max
  )
    return false;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  cell.lat = Math.trunc(latOffset) >>> 0;
  cell.lon = Math.trunc(longOffset) >>> 0;
  return true;
}

/**
 * The score GEOADD stores for a valid (longitude, latitude), as the decimal
 * text Redis hands to ZADD (exact, even for the points on the upper limits
 * whose index needs a 27th bit).
 */
export function encodeScoreText(longitude: number, latitude: number): string {
  const cell = encodeScratch;
  encodeCell(LONG_RANGE, LAT_RANGE, longitude, latitude, GEO_STEP_MAX, cell);
  interleaveWords(cell.lat, cell.lon);
  const high = interleavedHigh;
  const low = interleavedLow;
  if (high < 0x200000) return String(high * TWO_32 + low);
  return ((BigInt(high) << 32n) | BigInt(low)).toString();
}

const encodeScratch = new GeoCell();

/** The bounds of a cell, in degrees. */
export class GeoArea {
  latMin = 0;
  latMax = 0;
  lonMin = 0;
  lonMax = 0;
}

/** Redis' geohashDecode: the bounds of `cell` in the given ranges. */
export function decodeArea(longRange: CoordRange, latRange: CoordRange, cell: GeoCell, area: GeoArea): void {
  const scale = 2 ** cell.step;
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  area.latMin = latRange.min + ((cell.lat * 1.0) / scale) * latScale;
  area.latMax = latRange.min + (((cell.lat + 1) * 1.0) / scale) * latScale;
  area.lonMin = longRange.min + ((cell.lon * 1.0) / scale) * longScale;
  area.lonMax = longRange.min + (((cell.lon + 1) * 1.0) / scale) * longScale;
}

/** A decoded point: longitude and latitude. */
export class GeoPoint {
  longitude = 0;
  latitude = 0;
}

/** 2^26: cells per axis at the stored step. */
const CELLS_26 = 2 ** GEO_STEP_MAX;
const LAT_SCALE = GEO_LAT_MAX - GEO_LAT_MIN;
const LONG_SCALE = GEO_LONG_MAX - GEO_LONG_MIN;

/**
 * Redis' decodeGeohash: the position a stored score stands for (the centre
 * of its 26-bit cell, clamped to the limits), written into `point`. Every
 * score decodes (scores that were not written by GEOADD give some point).
 * On the search path: the cell bounds are computed inline, with the same
 * operations as decodeArea, so the doubles are identical.
 */
export function decodeScore(score: number, point: GeoPoint): void {
  // (uint64_t)score as x86-64 converts it: truncation, two's complement below
  // zero, 2^63 for anything below -2^63, 0 from 2^64 up (and for +inf).
  const value = Math.trunc(score);
  let high: number;
  let low: number;
  if (value >= 0 && value < 2 ** 64) {
    const upper = Math.floor(value / TWO_32);
    high = upper >>> 0;
    low = (value - upper * TWO_32) >>> 0;
  } else if (value < 0 && value >= -(2 ** 63)) {
    const wrapped = BigInt.asUintN(64, BigInt(value));
    high = Number(wrapped >> 32n);
    low = Number(wrapped & 0xffffffffn);
  } else if (value < 0) {
    high = 0x80000000;
    low = 0;
  } else {
    high = 0;
    low = 0;
  }
  const lat = (squash32(low) | (squash32(high) << 16)) >>> 0;
  const lon = (squash32(low >>> 1) | (squash32(high >>> 1) << 16)) >>> 0;
  const latMin = GEO_LAT_MIN + ((lat * 1.0) / CELLS_26) * LAT_SCALE;
  const latMax = GEO_LAT_MIN + (((lat + 1) * 1.0) / CELLS_26) * LAT_SCALE;
  const lonMin = GEO_LONG_MIN + ((lon * 1.0) / CELLS_26) * LONG_SCALE;
  const lonMax = GEO_LONG_MIN + (((lon + 1) * 1.0) / CELLS_26) * LONG_SCALE;
  let longitude = (lonMin + lonMax) / 2;
  if (longitude > GEO_LONG_MAX) longitude = GEO_LONG_MAX;
  if (longitude < GEO_LONG_MIN) longitude = GEO_LONG_MIN;
  let latitude = (latMin + latMax) / 2;
  if (latitude > GEO_LAT_MAX) latitude = GEO_LAT_MAX;
  if (latitude < GEO_LAT_MIN) latitude = GEO_LAT_MIN;
  point.longitude = longitude;
  point.latitude = latitude;
}

// ---------------------------------------------------------------- GEOHASH strings

const GEO_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

/**
 * The standard 11-character geohash of a stored score (GEOHASH): decoded,
 * re-encoded over the standard latitude range [-90, 90] at 26 bits, the 52
 * bits read five at a time, and a final '0' (Redis keeps 52 bits only).
 */
export function standardGeohash(score: number): string {
  const point = new GeoPoint();
  decodeScore(score, point);
  const cell = new GeoCell();
  encodeCell(LONG_RANGE, STANDARD_LAT_RANGE, point.longitude, point.latitude, GEO_STEP_MAX, cell);
  const bits = BigInt(cellBits(cell));
  let text = "";
  for (let i = 0; i < 10; i++) text += GEO_ALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 31n)];
  return `${text}0`;
}

// ---------------------------------------------------------------- distances

/** Distance along a meridian between two latitudes, in meters (Redis' geohashGetLatDistance). */
export function latitudeDistance(lat1: number, lat2: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2) - degRad(lat1));
}

/** Great-circle distance in meters by the haversine formula (Redis' geohashGetDistance). */
export function geoDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const lon1r = degRad(lon1);
  const lon2r = degRad(lon2);
  const v = Math.sin((lon2r - lon1r) / 2);
  // Same longitude: the distance along the meridian, without the trigonometry.
  if (v === 0.0) return latitudeDistance(lat1, lat2);
  const lat1r = degRad(lat1);
  const lat2r = degRad(lat2);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

// ---------------------------------------------------------------- search areas

/** A search shape: a circle (radius) or a box (width x height), in `conversion` units per meter. */
export class GeoShape {
  circle = true;
  longitude = 0;
  latitude = 0;
  /** Meters per unit of radius / width / height. */
  conversion = 1;
  radius = 0;
  width = 0;
  height = 0;
}

/**
 * Redis' geohashEstimateStepsByRadius: the coarsest step whose cells are
 * about the size of the search radius (narrower towards the poles).
 */
function estimateSteps(rangeMeters: number, latitude: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  let range = rangeMeters;
  while (range < MERCATOR_MAX) {
    range *= 2;
    step++;
  }
  step -= 2;
  if (latitude > 66 || latitude < -66) {
    step--;
    if (latitude > 80 || latitude < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** Redis' geohashBoundingBox: [minLon, minLat, maxLon, maxLat] around the shape. */
function boundingBox(shape: GeoShape, bounds: number[]): void {
  const longitude = shape.longitude;
  const latitude = shape.latitude;
  const height = shape.conversion * (shape.circle ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.circle ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
  const southern = latitude < 0;
  bounds[0] = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
  bounds[2] = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
  bounds[1] = latitude - latDelta;
  bounds[3] = latitude + latDelta;
}

/**
 * Redis' geohashCalculateAreasByShapeWGS84 and the neighbour order of
 * membersOfAllNeighbors: the nine cells to scan for `shape`, in scan order
 * (centre, N, S, E, W, NE, NW, SE, SW), cells that cannot hold a match left
 * empty (isZero). The step is estimated from the radius (a box's half
 * diagonal), lowered once when a neighbour would not reach the bounding box.
 */
export function searchCells(shape: GeoShape): GeoCell[] {
  const bounds = [0, 0, 0, 0];
  boundingBox(shape, bounds);
  const [minLon, minLat, maxLon, maxLat] = bounds as [number, number, number, number];
  const longitude = shape.longitude;
  const latitude = shape.latitude;
  let radiusMeters = shape.circle
    ? shape.radius
    : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateSteps(radiusMeters, latitude);

  const centre = new GeoCell();
  encodeCell(LONG_RANGE, LAT_RANGE, longitude, latitude, steps, centre);
  let cells = neighbourCells(centre);
  const area = new GeoArea();
  decodeArea(LONG_RANGE, LAT_RANGE, centre, area);

  let decrease = false;
  const side = new GeoArea();
  decodeArea(LONG_RANGE, LAT_RANGE, cells[1]!, side); // north
  if (side.latMax < maxLat) decrease = true;
  decodeArea(LONG_RANGE, LAT_RANGE, cells[2]!, side); // south
  if (side.latMin > minLat) decrease = true;
  decodeArea(LONG_RANGE, LAT_RANGE, cells[3]!, side); // east
  if (side.lonMax < maxLon) decrease = true;
  decodeArea(LONG_RANGE, LAT_RANGE, cells[4]!, side); // west
  if (side.lonMin > minLon) decrease = true;

  if (steps > 1 && decrease) {
    steps--;
    encodeCell(LONG_RANGE, LAT_RANGE, longitude, latitude, steps, centre);
    cells = neighbourCells(centre);
    decodeArea(LONG_RANGE, LAT_RANGE, centre, area);
  }

  if (steps >= 2) {
    const empty = new GeoCell();
    if (area.latMin < minLat) {
      cells[2] = empty; // south
      cells[8] = empty; // south-west
      cells[7] = empty; // south-east
    }
    if (area.latMax > maxLat) {
      cells[1] = empty; // north
      cells[5] = empty; // north-east
      cells[6] = empty; // north-west
    }
    if (area.lonMin < minLon) {
      cells[4] = empty; // west
      cells[8] = empty;
      cells[6] = empty;
    }
    if (area.lonMax > maxLon) {
      cells[3] = empty; // east
      cells[7] = empty;
      cells[5] = empty;
    }
  }
  return cells;
}

/** The centre cell and its eight neighbours in membersOfAllNeighbors' order. */
function neighbourCells(centre: GeoCell): GeoCell[] {
  return [
    GeoCell.from(centre),
    centre.moved(0, 1), // north
    centre.moved(0, -1), // south
    centre.moved(1, 0), // east
    centre.moved(-1, 0), // west
    centre.moved(1, 1), // north-east
    centre.moved(-1, 1), // north-west
    centre.moved(1, -1), // south-east
    centre.moved(-1, -1), // south-west
  ];
}

/**
 * Whether a point at (longitude, latitude) lies in `shape`, and its distance
 * from the centre in meters (Redis' geohashGetDistanceIfInRadiusWGS84 and
 * geohashGetDistanceIfInRectangle). Returns the distance, or -1 outside.
 */
export function distanceIfInShape(shape: GeoShape, longitude: number, latitude: number): number {
  if (shape.circle) {
    const distance = geoDistance(shape.longitude, shape.latitude, longitude, latitude);
    return distance > shape.radius * shape.conversion ? -1 : distance;
  }
  const widthMeters = shape.width * shape.conversion;
  const heightMeters = shape.height * shape.conversion;
  const latDistance = latitudeDistance(latitude, shape.latitude);
  if (latDistance > heightMeters / 2) return -1;
  const lonDistance = geoDistance(longitude, latitude, shape.longitude, latitude);
  if (lonDistance > widthMeters / 2) return -1;
  return geoDistance(shape.longitude, shape.latitude, longitude, latitude);
}
