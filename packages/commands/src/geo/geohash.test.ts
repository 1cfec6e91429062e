/*
 * The geohash module on its own: encode / decode round trips within a cell,
 * distances against an independent haversine computation, the formatting of
 * distances and coordinates (glibc's ties to even), and the partial sort
 * against a full sort. Exact agreement with redis-server is checked in
 * tests/src/differential/corpus/geo.corpus.ts and tests/src/geo.
 */

import { describe, expect, it } from "vitest";
import { formatFixed, formatHumanDouble } from "./geo-format.js";
import {
  decodeScore,
  EARTH_RADIUS_IN_METERS,
  encodeScoreText,
  GeoPoint,
  GeoShape,
  geoDistance,
  searchCells,
} from "./geohash.js";
import { partialSort } from "./partial-sort.js";

/** A seeded generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The haversine great-circle distance, written independently (atan2 form). */
function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_IN_METERS * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
}

describe("encode and decode", () => {
  it("decodes every stored point within its 26-bit cell of the original", () => {
    const next = random(1);
    const point = new GeoPoint();
    for (let i = 0; i < 20000; i++) {
      const lon = (next() - 0.5) * 360;
      const lat = (next() - 0.5) * 170;
      decodeScore(Number(encodeScoreText(lon, lat)), point);
      expect(Math.abs(point.longitude - lon)).toBeLessThanOrEqual(360 / 2 ** 26);
      expect(Math.abs(point.latitude - lat)).toBeLessThanOrEqual(170.1022575 / 2 ** 26);
    }
  });

  it("gives the score Redis documents for Palermo", () => {
    expect(encodeScoreText(13.361389, 38.115556)).toBe("3479099956230698");
  });

  it("scans nine cells around the centre, the centre first", () => {
    const shape = new GeoShape();
    shape.longitude = 13.36;
    shape.latitude = 38.11;
    shape.radius = 10;
    shape.conversion = 1000;
    const cells = searchCells(shape);
    expect(cells.length).toBe(9);
    expect(cells[0]!.isZero()).toBe(false);
  });
});

describe("distances", () => {
  it("agree with the haversine formula to a micrometre per kilometre", () => {
    const next = random(2);
    for (let i = 0; i < 20000; i++) {
      const lon1 = (next() - 0.5) * 360;
      const lat1 = (next() - 0.5) * 170;
      const lon2 = next() < 0.2 ? lon1 : (next() - 0.5) * 360;
      const lat2 = (next() - 0.5) * 170;
      const ours = geoDistance(lon1, lat1, lon2, lat2);
      const reference = haversine(lon1, lat1, lon2, lat2);
      expect(Math.abs(ours - reference)).toBeLessThanOrEqual(1e-6 * Math.max(1, reference / 1000) + 1e-6);
    }
  });

  it("is symmetric and zero for the same point", () => {
    expect(geoDistance(13.361389, 38.115556, 13.361389, 38.115556)).toBe(0);
    const ab = geoDistance(13.361389, 38.115556, 15.087269, 37.502669);
    expect(ab).toBe(geoDistance(15.087269, 37.502669, 13.361389, 38.115556));
    // GEODIST measures between the stored (cell centre) positions: Redis' documented 166274.1516.
    const palermo = new GeoPoint();
    const catania = new GeoPoint();
    decodeScore(Number(encodeScoreText(13.361389, 38.115556)), palermo);
    decodeScore(Number(encodeScoreText(15.087269, 37.502669)), catania);
    const stored = geoDistance(palermo.longitude, palermo.latitude, catania.longitude, catania.latitude);
    expect(formatFixed(stored, 4)).toBe("166274.1516");
  });
});

describe("formatting", () => {
  it("rounds exact ties to even like glibc", () => {
    expect(formatFixed(0.03125, 4)).toBe("0.0312");
    expect(formatFixed(0.09375, 4)).toBe("0.0938");
    expect(formatFixed(1.5, 0)).toBe("2");
    expect(formatFixed(2.5, 0)).toBe("2");
    expect(formatFixed(-2.5, 0)).toBe("-2");
    expect(formatFixed(200, 6)).toBe("200.000000");
    expect(formatFixed(Number.POSITIVE_INFINITY, 6)).toBe("inf");
    expect(formatFixed(1e22, 1)).toBe("10000000000000000000000.0");
  });

  it("prints coordinates in Redis' human long double form", () => {
    expect(formatHumanDouble(13.361389338970184)).toBe("13.36138933897018433");
    expect(formatHumanDouble(180)).toBe("180");
    expect(formatHumanDouble(-0)).toBe("0");
    expect(formatHumanDouble(0.5)).toBe("0.5");
  });
});

describe("partial sort", () => {
  it("puts the first k elements in full-sort order", () => {
    const next = random(3);
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(next() * 120);
      const items = Array.from({ length: n }, () => Math.floor(next() * 50));
      const k = 1 + Math.floor(next() * n);
      const sorted = [...items].sort((a, b) => a - b);
      partialSort(items, n, (a, b) => a - b, 0, k - 1);
      expect(items.slice(0, k)).toEqual(sorted.slice(0, k));
      expect([...items].sort((a, b) => a - b)).toEqual(sorted);
    }
  });
});
