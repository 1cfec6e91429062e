/*
 * Geo commands in memory: what a client cannot see through replies alone
 * (GEOADD propagated and notified as the ZADD it runs, the store forms'
 * events and propagation, COMMAND GETKEYS positions). Replies are compared
 * with a real redis-server in tests/src/differential/corpus/geo.corpus.ts.
 */

import { describe, expect, it } from "vitest";
import { InMemorySession } from "./in-memory-session.test-helper.js";

const propagatedLines = (s: InMemorySession) => s.propagated.map((p) => p.argv.join(" "));

describe("GEOADD", () => {
  it("is propagated and notified as the ZADD it runs", () => {
    const s = new InMemorySession();
    expect(s.run("GEOADD", "g", "CH", "13.361389", "38.115556", "Palermo")).toBe(1);
    expect(s.run("GEOADD", "g", "13.361389", "38.115556", "Palermo")).toBe(0);
    expect(propagatedLines(s)).toEqual(["zadd g CH 3479099956230698 Palermo"]);
    expect(s.events).toEqual(["0:new:g", "0:zadd:g"]);
    expect(s.run("ZSCORE", "g", "Palermo")).toBe("3479099956230698");
  });

  it("changes nothing when one pair is invalid", () => {
    const s = new InMemorySession();
    expect(s.run("GEOADD", "g", "1", "1", "a", "200", "1", "b")).toEqual(
      expect.objectContaining({ message: "ERR invalid longitude,latitude pair 200.000000,1.000000" }),
    );
    expect(s.run("EXISTS", "g")).toBe(0);
    expect(s.propagated).toEqual([]);
  });
});

describe("store forms", () => {
  it("GEORADIUS STORE is propagated as is and raises georadiusstore", () => {
    const s = new InMemorySession();
    s.run("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
    s.clearRecords();
    expect(s.run("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "dst")).toBe(2);
    expect(propagatedLines(s)).toEqual(["GEORADIUS g 15 37 200 km STORE dst"]);
    expect(s.events).toEqual(["0:new:dst", "0:georadiusstore:dst"]);
  });

  it("GEOSEARCHSTORE raises geosearchstore, and del when nothing matches", () => {
    const s = new InMemorySession();
    s.run("GEOADD", "g", "13.361389", "38.115556", "Palermo");
    s.clearRecords();
    expect(s.run("GEOSEARCHSTORE", "dst", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km")).toBe(1);
    expect(s.run("GEOSEARCHSTORE", "dst", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km")).toBe(0);
    expect(s.events).toEqual(["0:new:dst", "0:geosearchstore:dst", "0:del:dst"]);
    expect(s.propagated.length).toBe(2);
  });

  it("searches without STORE change nothing and are not propagated", () => {
    const s = new InMemorySession();
    s.run("GEOADD", "g", "13.361389", "38.115556", "Palermo");
    s.clearRecords();
    s.run("GEORADIUS", "g", "15", "37", "200", "km", "WITHDIST");
    s.run("GEOSEARCH", "g", "FROMMEMBER", "Palermo", "BYBOX", "10", "10", "km");
    expect(s.propagated).toEqual([]);
  });

  it("reports the STORE key through COMMAND GETKEYS", () => {
    const s = new InMemorySession();
    expect(s.run("COMMAND", "GETKEYS", "GEORADIUS", "src", "1", "1", "1", "km", "STOREDIST", "d")).toEqual([
      "src",
      "d",
    ]);
  });
});
