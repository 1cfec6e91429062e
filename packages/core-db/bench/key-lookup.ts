/*
 * Key lookup: the key table's open-addressing index (key-table.ts) against a JS
 * Map, with 1M keys `key:N`.
 *
 * Each round looks up every key once in a shuffled order, with fresh copies of
 * the key strings made before the timed part (as the server decodes each key
 * from the network: no cached string hash), through both structures,
 * interleaved; half the rounds look up missing keys instead. The best round
 * counts, since noise only slows a run down.
 *
 * Run: node --conditions=@spinel/source --import tsx bench/key-lookup.ts
 * BENCH_QUICK=1 uses 100k keys and fewer rounds.
 */

import { hashKey, KeyTable } from "../src/key-table.js";

const KEYS = process.env.BENCH_QUICK ? 100_000 : 1_000_000;
const ROUNDS = process.env.BENCH_QUICK ? 3 : 7;

const names: string[] = [];
for (let i = 0; i < KEYS; i++) names.push(`key:${i}`);
const table = new KeyTable();
const map = new Map<string, number>();
for (let i = 0; i < KEYS; i++) {
  table.append(names[i]!, i, hashKey(names[i]!), 0, 0);
  map.set(names[i]!, i);
}

/** Fresh (unhashed) copies of the names in a shuffled order, or of missing names. */
function freshKeys(missing: boolean): string[] {
  const order = Array.from({ length: KEYS }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order.map((i) => Buffer.from(missing ? `nokey:${i}` : names[i]!, "latin1").toString("latin1"));
}

function timeTable(keys: string[]): number {
  const start = performance.now();
  let sum = 0;
  for (let i = 0; i < keys.length; i++) sum += table.find(keys[i]!);
  const elapsed = performance.now() - start;
  if (sum === 0.5) console.log(sum);
  return elapsed;
}

function timeMap(keys: string[]): number {
  const start = performance.now();
  let sum = 0;
  for (let i = 0; i < keys.length; i++) sum += map.get(keys[i]!) ?? -1;
  const elapsed = performance.now() - start;
  if (sum === 0.5) console.log(sum);
  return elapsed;
}

for (const missing of [false, true]) {
  let bestTable = Number.POSITIVE_INFINITY;
  let bestMap = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const forTable = freshKeys(missing);
    const forMap = forTable.map((key) => Buffer.from(key, "latin1").toString("latin1"));
    if (round % 2 === 0) {
      bestTable = Math.min(bestTable, timeTable(forTable));
      bestMap = Math.min(bestMap, timeMap(forMap));
    } else {
      bestMap = Math.min(bestMap, timeMap(forMap));
      bestTable = Math.min(bestTable, timeTable(forTable));
    }
  }
  const perKey = (ms: number) => ((ms * 1e6) / KEYS).toFixed(1);
  console.log(
    `${missing ? "missing" : "present"} keys, ${KEYS} lookups: KeyTable ${perKey(bestTable)} ns/lookup, ` +
      `Map ${perKey(bestMap)} ns/lookup, ratio ${(bestTable / bestMap).toFixed(2)}x`,
  );
}
