/*
 * Differential cases: long lists and big elements, the shapes that spread a list
 * over many packed nodes (Spinel keeps at most 1024 elements or 8 KB per node,
 * and gives an element bigger than a node a node of its own). Every case builds
 * lists of thousands of elements or elements of 9-20 KB, then reads and edits
 * them around node boundaries: LRANGE windows, LINDEX, LSET to shorter and
 * longer values, LINSERT deep inside a full node, LREM of many matches, LTRIM
 * inside nodes, pops with counts, LMOVE, LPOS, SORT, COPY and OBJECT ENCODING.
 *
 * Every case uses its own keys ("@name", see scoped-keys.ts).
 */
import type { Arg, DiffCase, Step } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

/** `count` elements `<prefix><i>` for i in [from, from + count). */
function elements(prefix: string, from: number, count: number): string[] {
  const out: string[] = [];
  for (let i = from; i < from + count; i++) out.push(`${prefix}${i}`);
  return out;
}

/** A deterministic binary element of `size` bytes (with \0, \r and \n in it). */
function binary(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (seed * 31 + i * 7) % 256;
  return bytes;
}

/** RPUSH `key` e0 .. e<count-1> */
function numbered(key: string, count: number): Step {
  return ["RPUSH", key, ...elements("e", 0, count)];
}

const all = (key: string): Step => ["LRANGE", key, "0", "-1"];

/** LINDEX at the positions either side of every 1024-element boundary up to `length`. */
function boundaryReads(key: string, length: number): Step[] {
  const steps: Step[] = [];
  for (let boundary = 1024; boundary < length; boundary += 1024) {
    for (const index of [boundary - 1, boundary, -boundary, -boundary - 1]) {
      steps.push(["LINDEX", key, String(index)]);
    }
  }
  return steps;
}

const big1 = binary(20_000, 1);
const big2 = binary(9_000, 2);
const medium = binary(3_000, 3);

const cases: DiffCase[] = [
  // ---------------------------------------------------------------- building and reading
  {
    name: "thousands of elements pushed at both ends, read in windows and by index",
    steps: [
      ["RPUSH", "@l", ...elements("t", 0, 2500)],
      ["LPUSH", "@l", ...elements("h", 0, 2500)],
      ["LLEN", "@l"],
      all("@l"),
      ["LRANGE", "@l", "0", "99"],
      ["LRANGE", "@l", "1020", "1030"],
      ["LRANGE", "@l", "2490", "2510"],
      ["LRANGE", "@l", "-1030", "-1020"],
      ["LRANGE", "@l", "4990", "6000"],
      ...boundaryReads("@l", 5000),
      ["LINDEX", "@l", "5000"],
      ["LINDEX", "@l", "-5001"],
    ],
  },
  {
    name: "elements bigger than a node, between short ones",
    steps: [
      ["RPUSH", "@l", "a", big1, "b", medium, medium, medium, "c"],
      ["LPUSH", "@l", big2, ""],
      ["LLEN", "@l"],
      all("@l"),
      ["LINDEX", "@l", "2"],
      ["LINDEX", "@l", "-1"],
      ["LRANGE", "@l", "1", "4"],
      ["LSET", "@l", "1", "short"],
      ["LSET", "@l", "-1", big1],
      ["LINSERT", "@l", "BEFORE", big1, big2],
      ["LPOS", "@l", big1, "RANK", "-1"],
      ["LPOS", "@l", medium, "COUNT", "0"],
      ["LREM", "@l", "0", medium],
      all("@l"),
      ["RPOP", "@l", "2"],
      ["LPOP", "@l"],
      all("@l"),
    ],
  },
  {
    name: "binary elements with \\0 and \\r\\n across many nodes",
    steps: [
      ["RPUSH", "@l", ...Array.from({ length: 1500 }, (_, i): Arg => binary(i % 40, i))],
      ["LLEN", "@l"],
      all("@l"),
      ["LRANGE", "@l", "1000", "1100"],
      ["LPOS", "@l", binary(17, 1017)],
    ],
  },

  // ---------------------------------------------------------------- edits inside full nodes
  {
    name: "LINSERT deep inside a full node, before and after, short and long elements",
    steps: [
      numbered("@l", 3000),
      ["LINSERT", "@l", "BEFORE", "e1500", "new"],
      ["LINSERT", "@l", "AFTER", "e1500", binary(5000, 9)],
      ["LINSERT", "@l", "AFTER", "e1023", "x"],
      ["LINSERT", "@l", "BEFORE", "e1024", "y"],
      ["LINSERT", "@l", "BEFORE", "e0", "first"],
      ["LINSERT", "@l", "AFTER", "e2999", "last"],
      ["LLEN", "@l"],
      ["LRANGE", "@l", "1020", "1030"],
      ["LRANGE", "@l", "1495", "1510"],
      all("@l"),
    ],
  },
  {
    name: "LINSERT many times at one place (a node fills and splits)",
    steps: [
      numbered("@l", 1200),
      ...Array.from(
        { length: 60 },
        (_, i): Step => ["LINSERT", "@l", "AFTER", "e600", `ins${i}-${"z".repeat(i * 3)}`],
      ),
      ["LLEN", "@l"],
      ["LRANGE", "@l", "595", "670"],
      all("@l"),
    ],
  },
  {
    name: "LSET to longer, shorter and empty values across the list",
    steps: [
      numbered("@l", 3000),
      ["LSET", "@l", "1000", "a much longer element than before"],
      ["LSET", "@l", "-1", "s"],
      ["LSET", "@l", "2047", ""],
      ["LSET", "@l", "1024", binary(10_000, 4)],
      ["LSET", "@l", "0", "e0"],
      ["LSET", "@l", "3000", "out"],
      ["LSET", "@l", "-3001", "out"],
      ["LRANGE", "@l", "995", "1030"],
      ["LRANGE", "@l", "2040", "2050"],
      all("@l"),
    ],
  },
  {
    name: "LREM of thousands of matches, from the head, from the tail, and all",
    steps: [
      ["RPUSH", "@l", ...Array.from({ length: 4000 }, (_, i) => (i % 3 === 0 ? "x" : `y${i % 7}`))],
      ["LREM", "@l", "150", "x"],
      ["LREM", "@l", "-200", "y3"],
      ["LLEN", "@l"],
      ["LRANGE", "@l", "0", "20"],
      ["LRANGE", "@l", "-20", "-1"],
      ["LREM", "@l", "0", "x"],
      ["LLEN", "@l"],
      all("@l"),
      ["LREM", "@l", "0", "y0"],
      ["LREM", "@l", "0", "y1"],
      ["LREM", "@l", "0", "y2"],
      ["LREM", "@l", "0", "y3"],
      ["LREM", "@l", "0", "y4"],
      ["LREM", "@l", "0", "y5"],
      ["LLEN", "@l"],
      all("@l"),
      ["LREM", "@l", "0", "y6"],
      ["EXISTS", "@l"],
    ],
  },
  {
    name: "LTRIM inside nodes, then reads and pushes",
    steps: [
      numbered("@l", 5000),
      ["LTRIM", "@l", "1000", "3999"],
      ["LLEN", "@l"],
      ["LRANGE", "@l", "0", "5"],
      ["LRANGE", "@l", "-5", "-1"],
      ["LTRIM", "@l", "10", "-10"],
      ["LINDEX", "@l", "0"],
      ["LINDEX", "@l", "-1"],
      ["LPUSH", "@l", "head"],
      ["RPUSH", "@l", "tail"],
      all("@l"),
      ["LTRIM", "@l", "5000", "6000"],
      ["EXISTS", "@l"],
    ],
  },

  // ---------------------------------------------------------------- pops, moves, searches
  {
    name: "pops with counts and moves across node boundaries",
    steps: [
      numbered("@l", 5000),
      ["LPOP", "@l", "1500"],
      ["RPOP", "@l", "1500"],
      ["LLEN", "@l"],
      ["LMOVE", "@l", "@m", "LEFT", "RIGHT"],
      ["RPOPLPUSH", "@l", "@l"],
      ["LMOVE", "@l", "@l", "LEFT", "RIGHT"],
      ["LRANGE", "@l", "0", "3"],
      ["LRANGE", "@l", "-3", "-1"],
      ["LMPOP", "2", "@x", "@l", "RIGHT", "COUNT", "1990"],
      all("@l"),
      ["LPOP", "@l", "100"],
      ["EXISTS", "@l"],
      all("@m"),
    ],
  },
  {
    name: "LPOS over thousands of elements with RANK, COUNT and MAXLEN",
    steps: [
      ["RPUSH", "@l", ...Array.from({ length: 5000 }, (_, i) => (i % 997 === 0 ? "needle" : `hay${i}`))],
      ["LPOS", "@l", "needle"],
      ["LPOS", "@l", "needle", "RANK", "3"],
      ["LPOS", "@l", "needle", "RANK", "-2"],
      ["LPOS", "@l", "needle", "COUNT", "0"],
      ["LPOS", "@l", "needle", "RANK", "-1", "COUNT", "0"],
      ["LPOS", "@l", "needle", "COUNT", "0", "MAXLEN", "2000"],
      ["LPOS", "@l", "needle", "RANK", "-1", "COUNT", "0", "MAXLEN", "2000"],
      ["LPOS", "@l", "hay4999"],
      ["LPOS", "@l", "absent", "COUNT", "0"],
    ],
  },
  {
    name: "SORT of a long list, with LIMIT, ALPHA and STORE",
    steps: [
      ["RPUSH", "@l", ...Array.from({ length: 3000 }, (_, i) => String((i * 7919) % 3001))],
      ["SORT", "@l", "LIMIT", "1000", "10"],
      ["SORT", "@l", "DESC", "LIMIT", "0", "5"],
      ["SORT", "@l", "ALPHA", "LIMIT", "2990", "20"],
      ["SORT", "@l", "STORE", "@sorted"],
      ["LLEN", "@sorted"],
      ["LRANGE", "@sorted", "1020", "1030"],
      ["SORT", "@l", "BY", "nosort", "LIMIT", "1500", "5"],
    ],
  },
  {
    name: "COPY of a long list is independent; OBJECT ENCODING stays quicklist",
    steps: [
      numbered("@l", 3000),
      ["RPUSH", "@l", big1],
      ["COPY", "@l", "@c"],
      ["LSET", "@c", "1500", "changed"],
      ["LPOP", "@c", "10"],
      ["RPUSH", "@c", "more"],
      ["LINDEX", "@l", "1500"],
      ["LINDEX", "@c", "1490"],
      ["LLEN", "@l"],
      ["LLEN", "@c"],
      ["LRANGE", "@c", "-3", "-2"],
      ["OBJECT", "ENCODING", "@l"],
      ["OBJECT", "ENCODING", "@c"],
      ["LTRIM", "@l", "0", "0"],
      ["OBJECT", "ENCODING", "@l"],
      all("@l"),
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("lpk", cases);
