/*
 * RedisSet: the type API against a Set model, the intset -> hashtable
 * conversions at redis-server 7.0's thresholds, SPOP's two strategies, and the
 * SSCAN guarantee.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EncodingLimits } from "../limits.js";
import { compareIntegerStrings, isIntsetMember } from "./intset.js";
import { RedisSet } from "./set.js";

function limits(maxIntsetEntries = 512): EncodingLimits {
  const result = new EncodingLimits();
  result.setMaxIntsetEntries = maxIntsetEntries;
  return result;
}

const defaults = limits();

/** Every member in iteration order (the order SMEMBERS replies in). */
function members(set: RedisSet): string[] {
  const out: string[] = [];
  for (let i = 0; i < set.length; i++) out.push(set.memberAt(i));
  return out;
}

/** A set of the integers from..to-1 (as strings). */
function integers(from: number, to: number, at = defaults): RedisSet {
  const set = new RedisSet();
  for (let i = from; i < to; i++) set.add(String(i), at);
  return set;
}

describe("RedisSet basics", () => {
  it("starts as an empty intset", () => {
    const set = new RedisSet();
    expect(set.type).toBe("set");
    expect(set.encoding).toBe("intset");
    expect(set.length).toBe(0);
    expect(set.has("1")).toBe(false);
    expect(set.remove("1")).toBe(false);
  });

  it("reports added and removed members once", () => {
    const set = new RedisSet();
    expect(set.add("5", defaults)).toBe(true);
    expect(set.add("5", defaults)).toBe(false);
    expect(set.remove("5")).toBe(true);
    expect(set.remove("5")).toBe(false);
    expect(set.add("a", defaults)).toBe(true);
    expect(set.add("a", defaults)).toBe(false);
    expect(set.remove("a")).toBe(true);
    expect(set.length).toBe(0);
  });

  it("keeps an intset in ascending numeric order", () => {
    const set = new RedisSet();
    for (const member of ["10", "-3", "9223372036854775807", "0", "-9223372036854775808", "2"]) {
      set.add(member, defaults);
    }
    expect(members(set)).toEqual(["-9223372036854775808", "-3", "0", "2", "10", "9223372036854775807"]);
  });

  it("does not confuse non-canonical spellings with intset members", () => {
    const set = integers(0, 3);
    expect(set.has("01")).toBe(false);
    expect(set.has("-0")).toBe(false);
    expect(set.has("+1")).toBe(false);
    expect(set.remove("01")).toBe(false);
    expect(set.encoding).toBe("intset");
  });

  it("holds binary members", () => {
    const set = new RedisSet();
    set.add("\x00", defaults);
    set.add("\r\n", defaults);
    set.add("", defaults);
    expect(set.encoding).toBe("hashtable");
    expect(set.has("")).toBe(true);
    expect(set.has("\x00")).toBe(true);
    expect(set.length).toBe(3);
  });
});

describe("RedisSet conversions", () => {
  it("becomes a hashtable when a non-integer member is added, keeping the members", () => {
    const set = integers(0, 10);
    set.add("01", defaults);
    expect(set.encoding).toBe("hashtable");
    expect(set.length).toBe(11);
    for (let i = 0; i < 10; i++) expect(set.has(String(i))).toBe(true);
    expect(set.has("01")).toBe(true);
  });

  it("stays an intset at 512 members and converts at the 513th", () => {
    const set = integers(0, 512);
    expect(set.encoding).toBe("intset");
    set.add("511", defaults);
    expect(set.encoding).toBe("intset");
    set.add("512", defaults);
    expect(set.encoding).toBe("hashtable");
  });

  it("never converts back, even when emptied of strings or when limits rise", () => {
    const live = limits(3);
    const set = integers(0, 3, live);
    set.add("3", live);
    expect(set.encoding).toBe("hashtable");
    live.setMaxIntsetEntries = 512;
    set.remove("3");
    set.add("4", live);
    expect(set.encoding).toBe("hashtable");
  });

  it("does not convert when an existing member is added again above a lowered limit", () => {
    const live = limits(512);
    const set = integers(0, 10, live);
    live.setMaxIntsetEntries = 5;
    set.add("3", live);
    expect(set.encoding).toBe("intset");
    set.add("99", live);
    expect(set.encoding).toBe("hashtable");
  });

  it("converts the first integer when the intset limit is 0", () => {
    const set = new RedisSet();
    set.add("1", limits(0));
    expect(set.encoding).toBe("hashtable");
  });
});

describe("RedisSet random members and SPOP", () => {
  it("draws every member over many draws", () => {
    const set = integers(0, 6);
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) seen.add(set.randomMember());
    expect(seen.size).toBe(6);
  });

  it("pops single members until empty, each once", () => {
    for (const size of [40, 600]) {
      const set = integers(0, size);
      const popped = new Set<string>();
      while (set.length > 0) popped.add(set.popRandom());
      expect(popped).toEqual(new Set(members(integers(0, size))));
    }
  });

  it("pops a count of distinct members by picking them when many are left", () => {
    const set = integers(0, 1000);
    const popped: string[] = [];
    set.popRandomMembers(10, defaults, popped);
    expect(popped.length).toBe(10);
    expect(new Set(popped).size).toBe(10);
    expect(set.length).toBe(990);
    for (const member of popped) expect(set.has(member)).toBe(false);
    expect(set.encoding).toBe("hashtable");
  });

  it("rebuilds the set from the survivors when few are left: integers become an intset again", () => {
    const set = integers(0, 1000);
    const popped: string[] = [];
    set.popRandomMembers(900, defaults, popped);
    expect(popped.length).toBe(900);
    expect(set.length).toBe(100);
    expect(set.encoding).toBe("intset");
    const all = new Set([...popped, ...members(set)]);
    expect(all.size).toBe(1000);
    const left = members(set);
    expect([...left].sort(compareIntegerStrings)).toEqual(left);
  });

  it("keeps the survivors in an intset only within the intset limit", () => {
    const set = integers(0, 100);
    const popped: string[] = [];
    set.popRandomMembers(90, limits(5), popped);
    expect(set.length).toBe(10);
    expect(set.encoding).toBe("hashtable");
    expect(new Set([...popped, ...members(set)]).size).toBe(100);
  });

  it("does not break an SSCAN in progress when most of a hashtable is popped", () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const set = new RedisSet();
      for (let i = 0; i < 1000; i++) set.add(`m${i}`, defaults);
      const seen = new Set<string>();
      // Walk most of the set first: only the 50 lowest slots are left unvisited.
      let cursor = 0;
      for (let step = 0; step < 10; step++) {
        const out: string[] = [];
        cursor = set.scan(cursor, 95, out);
        for (const member of out) seen.add(member);
      }
      expect(cursor).toBe(50);
      const popped: string[] = [];
      set.popRandomMembers(900, defaults, popped);
      expect(set.encoding).toBe("hashtable");
      do {
        const out: string[] = [];
        cursor = set.scan(cursor, 100, out);
        for (const member of out) seen.add(member);
      } while (cursor !== 0);
      // The survivors were present for the whole iteration: each must be seen.
      for (const member of members(set)) expect(seen.has(member)).toBe(true);
    }
  });

  it("keeps a hashtable when a survivor is not an integer", () => {
    const set = new RedisSet();
    for (let i = 0; i < 10; i++) set.add(`m${i}`, defaults);
    const popped: string[] = [];
    set.popRandomMembers(9, defaults, popped);
    expect(set.length).toBe(1);
    expect(set.encoding).toBe("hashtable");
    expect(popped).not.toContain(set.memberAt(0));
  });
});

describe("RedisSet clone", () => {
  it("copies members, order and encoding, and the copy is independent", () => {
    for (const original of [integers(0, 5), integers(0, 700)]) {
      original.remove("2");
      const copy = original.clone();
      expect(copy.encoding).toBe(original.encoding);
      expect(members(copy)).toEqual(members(original));
      original.add("x", defaults);
      original.remove("1");
      expect(copy.has("x")).toBe(false);
      expect(copy.has("1")).toBe(true);
      copy.add("y", defaults);
      expect(original.has("y")).toBe(false);
    }
  });
});

// ---------------------------------------------------------------- model checks

const memberArbitrary = fc.oneof(
  fc.integer({ min: -50, max: 50 }).map(String),
  fc.constantFrom("01", "-0", "a", "", "\x00", "9223372036854775807", "9223372036854775808"),
  fc.string({ maxLength: 4 }),
);

describe("RedisSet against a Set model", () => {
  it("agrees on membership, size and encoding; an intset iterates in ascending order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), memberArbitrary), { maxLength: 150 }),
        fc.integer({ min: 0, max: 40 }),
        (operations, maxEntries) => {
          const at = limits(maxEntries);
          const set = new RedisSet();
          const model = new Set<string>();
          let converted = false;
          for (const [isAdd, member] of operations) {
            if (isAdd) {
              const isNew = !model.has(member);
              expect(set.add(member, at)).toBe(isNew);
              model.add(member);
              if (isNew && (!isIntsetMember(member) || model.size > maxEntries)) converted = true;
            } else {
              expect(set.remove(member)).toBe(model.delete(member));
            }
            expect(set.encoding).toBe(converted ? "hashtable" : "intset");
          }
          expect(set.length).toBe(model.size);
          for (const member of model) expect(set.has(member)).toBe(true);
          const listed = members(set);
          expect(new Set(listed)).toEqual(model);
          expect(listed.length).toBe(model.size);
          if (!converted) expect([...listed].sort(compareIntegerStrings)).toEqual(listed);
        },
      ),
    );
  });
});

describe("RedisSet scan", () => {
  it("returns an intset whole with cursor 0, whatever the cursor and count", () => {
    const set = integers(-5, 20);
    for (const cursor of [0, 7, 99999]) {
      const out: string[] = [];
      expect(set.scan(cursor, 2, out)).toBe(0);
      expect(out).toEqual(members(set));
    }
  });

  it("returns every member present for the whole iteration while the set changes between calls", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 600, max: 1500 }),
        fc.integer({ min: 1, max: 80 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 60 }),
        (initial, count, changes) => {
          const set = integers(0, initial);
          expect(set.encoding).toBe("hashtable");
          // Even members are never touched: they must all be returned.
          let added = 0;
          const seen = new Set<string>();
          let cursor = 0;
          let step = 0;
          do {
            const out: string[] = [];
            cursor = set.scan(cursor, count, out);
            for (const member of out) seen.add(member);
            const [grow, amount, pick] = changes[step % changes.length]!;
            step++;
            for (let i = 0; i < (amount % 50) + 1; i++) {
              if (grow) set.add(`new${added++}`, defaults);
              else {
                set.remove(String((((pick + i) * 2) % initial) | 1));
                set.remove(`new${(pick + i) % (added + 1)}`);
              }
            }
          } while (cursor !== 0 && step < 10_000);
          expect(cursor).toBe(0);
          for (let i = 0; i < initial; i += 2) expect(seen.has(String(i))).toBe(true);
        },
      ),
    );
  });
});
