/*
 * The memory accounting against the process: each scenario runs in a child
 * process with --expose-gc (test/measure-footprint.ts), fills a keyspace through
 * the type APIs and the write epilogue, deletes half of it, and reports the
 * keyspace's accounted growth next to the growth of heap + external memory after
 * forced collections. The model must stay within 15% of the measurement.
 */

import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const fixture = fileURLToPath(new URL("../test/measure-footprint.ts", import.meta.url));
const packageRoot = fileURLToPath(new URL("..", import.meta.url));

interface Phase {
  phase: string;
  accounted: number;
  measured: number;
}

const execFileAsync = promisify(execFile);

/**
 * Run one scenario in its own process. Asynchronously: a synchronous spawn would
 * hold the test worker's event loop for the child's whole run, and the test
 * runner's own messages to the worker would time out on a loaded machine.
 */
async function runScenario(name: string): Promise<Phase[]> {
  const { stdout: output } = await execFileAsync(
    process.execPath,
    ["--expose-gc", "--conditions=@spinel/source", "--import", "tsx", fixture, name],
    { cwd: packageRoot, encoding: "utf8", maxBuffer: 1 << 20 },
  );
  return output
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Phase);
}

const SCENARIOS = [
  "string-int",
  "string-embstr",
  "string-embstr-44",
  "string-raw-200",
  "string-raw-10k",
  "string-raw-1m",
  "string-appended",
  "string-ttl",
  "hash-listpack",
  "hash-listpack-edited",
  "hash-hashtable",
  "hash-big-values",
  "set-intset",
  "set-hashtable",
  "zset-listpack",
  "zset-skiplist",
  "list-small",
  "list-large",
  "stream-small",
  "stream-large-group",
];

/** Below this growth (an emptied keyspace) the comparison is absolute: GC noise dominates. */
const SMALL = 1 << 20;

describe("memory accounting against the process (heap + external after GC)", () => {
  for (const name of SCENARIOS) {
    it(`${name}: within 15% when filled and after deleting half`, { timeout: 120_000 }, async () => {
      const phases = await runScenario(name);
      expect(phases.map((p) => p.phase)).toEqual(["filled", "halved"]);
      for (const { phase, accounted, measured } of phases) {
        if (measured < SMALL) {
          expect(Math.abs(accounted - measured), `${name} ${phase}`).toBeLessThan(SMALL);
          continue;
        }
        const ratio = accounted / measured;
        expect(ratio, `${name} ${phase}: accounted ${accounted}, measured ${measured}`).toBeGreaterThan(0.85);
        expect(ratio, `${name} ${phase}: accounted ${accounted}, measured ${measured}`).toBeLessThan(1.15);
      }
      // Deleting half the keys gives back their names and values (the tables keep
      // their capacity, as the process does): the accounted drop follows the measured
      // one (a difference of two readings, so within 25%).
      const accountedDrop = phases[0]!.accounted - phases[1]!.accounted;
      const measuredDrop = phases[0]!.measured - phases[1]!.measured;
      expect(accountedDrop).toBeGreaterThan(0);
      if (measuredDrop < SMALL)
        expect(Math.abs(accountedDrop - measuredDrop), `${name} drop`).toBeLessThan(SMALL);
      else {
        const dropRatio = accountedDrop / measuredDrop;
        expect(
          dropRatio,
          `${name} drop: accounted ${accountedDrop}, measured ${measuredDrop}`,
        ).toBeGreaterThan(0.75);
        expect(dropRatio, `${name} drop: accounted ${accountedDrop}, measured ${measuredDrop}`).toBeLessThan(
          1.25,
        );
      }
    });
  }
});
