/*
 * Differential test: every case of every corpus (corpus/*.corpus.ts) runs against
 * a real redis-server 7 and against Spinel; the raw replies must be identical.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";
import type { DiffCase } from "./corpus-types.js";
import { runCase } from "./harness.js";

const corpora = import.meta.glob<{ corpus: readonly DiffCase[] }>("./corpus/*.corpus.ts", { eager: true });

let redisServer: TestServer;
let spinelServer: TestServer;
let redis: RawClient;
let spinel: RawClient;

beforeAll(async () => {
  [redisServer, spinelServer] = await Promise.all([startRedis(), startSpinel()]);
  [redis, spinel] = await Promise.all([
    RawClient.connect(redisServer.port),
    RawClient.connect(spinelServer.port),
  ]);
});

afterAll(async () => {
  redis?.close();
  spinel?.close();
  await Promise.all([redisServer?.stop(), spinelServer?.stop()]);
});

for (const [path, module] of Object.entries(corpora)) {
  const file = path.replace("./corpus/", "");
  describe(file, () => {
    for (const testCase of module.corpus) {
      it(testCase.name, async () => {
        const mismatches = await runCase(redis, spinel, testCase);
        expect(mismatches).toEqual([]);
      });
    }
  });
}

it("has corpora to run", () => {
  const total = Object.values(corpora).reduce((sum, module) => sum + module.corpus.length, 0);
  expect(total).toBeGreaterThan(0);
});
