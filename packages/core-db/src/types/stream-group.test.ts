import { describe, expect, it } from "vitest";
import { PendingEntry, PendingList, StreamConsumer, StreamGroup } from "./stream-group.js";
import { StreamID } from "./stream-id.js";

/** A small deterministic generator (LCG), so failures reproduce. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const id = (n: number) => new StreamID(BigInt(n), 0n);

describe("PendingList", () => {
  it("agrees with a sorted array under random inserts, removals and seeks", () => {
    const random = generator(42);
    const owner = new StreamConsumer("c", 0);
    const list = new PendingList();
    let model: number[] = [];
    let next = 1;
    for (let step = 0; step < 4000; step++) {
      const roll = random();
      if (roll < 0.45) {
        // Mostly appends, sometimes an ID in the middle (XCLAIM FORCE, SETID back).
        const n = random() < 0.9 ? next++ : Math.floor(random() * next);
        if (!model.includes(n)) {
          list.insert(new PendingEntry(id(n), owner, 0, 1));
          model.push(n);
          model.sort((a, b) => a - b);
        }
      } else if (roll < 0.9) {
        const n = random() < 0.6 && model.length > 0 ? model[0]! : Math.floor(random() * next);
        const removed = list.remove(id(n));
        expect(removed?.id.ms ?? null).toBe(model.includes(n) ? BigInt(n) : null);
        model = model.filter((m) => m !== n);
      } else {
        const from = Math.floor(random() * next);
        const walked: number[] = [];
        for (
          let slot = list.nextLive(list.lowerBound(id(from)));
          slot < list.slotCount;
          slot = list.nextLive(slot + 1)
        ) {
          walked.push(Number(list.at(slot)!.id.ms));
        }
        expect(walked).toEqual(model.filter((m) => m >= from));
      }
      expect(list.length).toBe(model.length);
      expect(list.first()?.id.ms ?? null).toBe(model.length > 0 ? BigInt(model[0]!) : null);
      expect(list.last()?.id.ms ?? null).toBe(model.length > 0 ? BigInt(model.at(-1)!) : null);
    }
    expect(list.toArray().map((entry) => Number(entry.id.ms))).toEqual(model);
  });

  it("lets a walk remove the entries it visits", () => {
    const owner = new StreamConsumer("c", 0);
    const list = new PendingList();
    for (let n = 1; n <= 100; n++) list.insert(new PendingEntry(id(n), owner, 0, 1));
    const seen: number[] = [];
    for (
      let slot = list.nextLive(list.lowerBound(id(0)));
      slot < list.slotCount;
      slot = list.nextLive(slot + 1)
    ) {
      const entry = list.at(slot)!;
      seen.push(Number(entry.id.ms));
      if (entry.id.ms % 2n === 0n) list.remove(entry.id);
    }
    expect(seen.length).toBe(100);
    expect(list.length).toBe(50);
    expect(list.toArray().every((entry) => entry.id.ms % 2n === 1n)).toBe(true);
  });
});

describe("StreamGroup", () => {
  it("deletes a consumer with its pending entries and clones deeply", () => {
    const group = new StreamGroup("g", id(5), 5n);
    const alice = group.createConsumer("alice", 10);
    const bob = group.createConsumer("bob", 20);
    for (let n = 1; n <= 5; n++) {
      const owner = n % 2 === 0 ? alice : bob;
      const entry = new PendingEntry(id(n), owner, 100 + n, n);
      group.pel.insert(entry);
      owner.pel.insert(entry);
    }
    const copy = group.clone();
    expect(group.deleteConsumer("alice")).toBe(2);
    expect(group.deleteConsumer("alice")).toBe(-1);
    expect(group.pel.toArray().map((entry) => entry.consumer.name)).toEqual(["bob", "bob", "bob"]);
    expect(copy.pel.length).toBe(5);
    expect(
      copy
        .consumer("alice")!
        .pel.toArray()
        .map((entry) => Number(entry.id.ms)),
    ).toEqual([2, 4]);
    expect(copy.pel.find(id(2))!.consumer).toBe(copy.consumer("alice"));
    expect(copy.sortedConsumers().map((consumer) => consumer.name)).toEqual(["alice", "bob"]);
  });
});
