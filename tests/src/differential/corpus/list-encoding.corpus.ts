/*
 * Differential cases: what OBJECT ENCODING says about lists. Redis 7.0 stores
 * every list as a quicklist, whatever list-max-listpack-size says (count-based
 * or size-based), so these cases push across every node threshold (entry
 * counts, 4 / 8 / 64 KB node sizes, elements bigger than a node), trim and pop
 * back down, and check the encoding before and after each step. Each case puts
 * list-max-listpack-size back to its default (-2) at the end.
 *
 * Every case uses its own keys ("@name", see scoped-keys.ts).
 */
import type { DiffCase, Step } from "../corpus-types.js";
import { scopeKeys } from "./scoped-keys.js";

const encoding = (key: string): Step => ["OBJECT", "ENCODING", key];
const setSize = (value: string): Step => ["CONFIG", "SET", "list-max-listpack-size", value];
const restore: Step = setSize("-2");

/** Push `count` elements of `bytes` bytes one by one, checking the encoding after each. */
function pushEach(key: string, count: number, bytes: number): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    steps.push(["RPUSH", key, "x".repeat(bytes)], encoding(key));
  }
  return steps;
}

const cases: DiffCase[] = [
  {
    name: "a new list and a missing key",
    steps: [encoding("@l"), ["RPUSH", "@l", "a"], encoding("@l"), ["TYPE", "@l"]],
  },
  { name: "integer elements", steps: [["RPUSH", "@l", "1", "2", "3"], encoding("@l")] },
  {
    name: "count-based limit 2: pushes across node boundaries",
    steps: [setSize("2"), ...pushEach("@l", 5, 1), ["LRANGE", "@l", "0", "-1"], restore],
  },
  {
    name: "count-based limit 1",
    steps: [setSize("1"), ...pushEach("@l", 3, 3), ["LPOP", "@l"], encoding("@l"), restore],
  },
  {
    name: "count-based limit 128 around the threshold",
    steps: [
      setSize("128"),
      ["RPUSH", "@l", ...Array.from({ length: 127 }, (_, i) => `${i}`)],
      encoding("@l"),
      ["RPUSH", "@l", "x"],
      encoding("@l"),
      ["RPUSH", "@l", "y"],
      encoding("@l"),
      ["LLEN", "@l"],
      restore,
    ],
  },
  {
    name: "size-based limit -1 (4 KB nodes)",
    steps: [setSize("-1"), ...pushEach("@l", 5, 1000), ["LLEN", "@l"], restore],
  },
  {
    name: "default -2 (8 KB nodes) with 1000-byte elements",
    steps: [...pushEach("@l", 10, 1000), ["LTRIM", "@l", "0", "0"], encoding("@l"), ["LLEN", "@l"]],
  },
  {
    name: "an element bigger than a node",
    steps: [
      ["RPUSH", "@l", "a"],
      encoding("@l"),
      ["RPUSH", "@l", "y".repeat(9000)],
      encoding("@l"),
      ["RPOP", "@l"],
      encoding("@l"),
      ["LLEN", "@l"],
    ],
  },
  {
    name: "size-based limit -5 (64 KB nodes)",
    steps: [setSize("-5"), ...pushEach("@l", 3, 30000), ["LTRIM", "@l", "-1", "-1"], encoding("@l"), restore],
  },
  {
    name: "the limit changes between pushes",
    steps: [
      setSize("3"),
      ["RPUSH", "@l", "a", "b", "c", "d"],
      encoding("@l"),
      setSize("-2"),
      ["RPUSH", "@l", "e"],
      encoding("@l"),
      ["LREM", "@l", "0", "a"],
      encoding("@l"),
      restore,
    ],
  },
  {
    name: "shrinking by pops, trims and removals",
    steps: [
      ["RPUSH", "@l", ...Array.from({ length: 200 }, (_, i) => `element-${i}`)],
      encoding("@l"),
      ["LTRIM", "@l", "0", "2"],
      encoding("@l"),
      ["LREM", "@l", "0", "element-1"],
      encoding("@l"),
      ["RPOP", "@l"],
      encoding("@l"),
      ["LLEN", "@l"],
    ],
  },
  {
    name: "lists built by LMOVE, LINSERT and LSET",
    steps: [
      ["RPUSH", "@s", "a", "b"],
      ["LMOVE", "@s", "@d", "LEFT", "LEFT"],
      encoding("@d"),
      ["LINSERT", "@d", "AFTER", "a", "z".repeat(10000)],
      encoding("@d"),
      ["LSET", "@d", "1", "small"],
      encoding("@d"),
      ["LRANGE", "@d", "0", "-1"],
    ],
  },
  {
    name: "CONFIG GET of the list settings",
    steps: [
      ["CONFIG", "GET", "list-max-listpack-size"],
      ["CONFIG", "GET", "list-max-ziplist-size"],
      ["CONFIG", "GET", "list-compress-depth"],
    ],
  },
];

export const corpus: readonly DiffCase[] = scopeKeys("lenc", cases);
