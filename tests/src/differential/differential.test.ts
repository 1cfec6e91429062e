/*
 * Differential test: every case of every corpus (corpus/*.corpus.ts) runs against
 * a real redis-server 7 and against Spinel; the raw replies must be identical.
 */

import { describe, expect, it } from "vitest";
import { useRawClientPair } from "../support/client-comparison.js";
import type { DiffCase } from "./corpus-types.js";
import { runCase } from "./harness.js";

const corpora = import.meta.glob<{ corpus: readonly DiffCase[] }>("./corpus/*.corpus.ts", { eager: true });

const clients = useRawClientPair();

for (const [path, module] of Object.entries(corpora)) {
  const file = path.replace("./corpus/", "");
  describe(file, () => {
    for (const testCase of module.corpus) {
      it(testCase.name, async () => {
        const mismatches = await runCase(clients.redis, clients.spinel, testCase);
        expect(mismatches).toEqual([]);
      });
    }
  });
}

it("has corpora to run", () => {
  const total = Object.values(corpora).reduce((sum, module) => sum + module.corpus.length, 0);
  expect(total).toBeGreaterThan(0);
});
