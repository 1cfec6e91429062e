/*
 * INFO memory's scripting fields, on Spinel and on redis-server 7.0 with the
 * same steps: the same field names in the same order, and figures that move
 * as scripts are cached and libraries loaded and flushed (measured, never
 * constants), with the identities Redis keeps between them.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, startSpinel, type TestServer } from "../support/servers.js";

const SCRIPTING_FIELDS = [
  "used_memory_lua",
  "used_memory_vm_eval",
  "used_memory_lua_human",
  "used_memory_scripts_eval",
  "number_of_cached_scripts",
  "number_of_functions",
  "number_of_libraries",
  "used_memory_vm_functions",
  "used_memory_vm_total",
  "used_memory_vm_total_human",
  "used_memory_functions",
  "used_memory_scripts",
  "used_memory_scripts_human",
];

const LIBRARY = `#!lua name=tallies
local counts = {}
for i = 1, 2000 do counts[i] = 'entry number ' .. i end
redis.register_function('tally', function(keys, args) return #counts end)
redis.register_function{function_name='tally_ro', callback=function() return 1 end, flags={'no-writes'}}
`;

let dir: string;
const servers: TestServer[] = [];
const clients: Redis[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "spinel-scripting-info-"));
  servers.push(await startSpinel({ dir, save: "" }));
  servers.push(await startRedis(["--dir", dir]));
  for (const server of servers) {
    const client = new Redis({ port: server.port, lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    clients.push(client);
  }
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  for (const server of servers) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function memoryInfo(client: Redis): Promise<Map<string, string>> {
  const fields = new Map<string, string>();
  for (const line of (await client.info("memory")).split("\r\n")) {
    const at = line.indexOf(":");
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

function figure(fields: Map<string, string>, name: string): number {
  return Number(fields.get(name));
}

/** The identities between the fields that both servers keep. */
function expectConsistent(fields: Map<string, string>): void {
  expect(figure(fields, "used_memory_lua")).toBe(figure(fields, "used_memory_vm_eval"));
  expect(figure(fields, "used_memory_vm_total")).toBe(
    figure(fields, "used_memory_vm_eval") + figure(fields, "used_memory_vm_functions"),
  );
  expect(figure(fields, "used_memory_scripts")).toBe(
    figure(fields, "used_memory_scripts_eval") + figure(fields, "used_memory_functions"),
  );
}

describe("INFO memory scripting fields (Spinel and redis-server, same steps)", () => {
  it("lists the same fields in the same order", async () => {
    for (const client of clients) {
      const names = [...(await memoryInfo(client)).keys()].filter((n) => SCRIPTING_FIELDS.includes(n));
      expect(names).toEqual(SCRIPTING_FIELDS);
    }
  });

  it("cached scripts and loaded libraries move the figures; flushing them moves them back", async () => {
    for (const client of clients) {
      const before = await memoryInfo(client);
      expectConsistent(before);
      // Scripts: counted and their bodies measured; the compiled code grows the Lua heap.
      const bodies: string[] = [];
      for (let i = 0; i < 40; i++) {
        const body = `local t = {} for i = 1, ${i + 1} do t[i] = i * ${i} end return #t -- script ${i} ${"x".repeat(200)}`;
        bodies.push(body);
        await client.call("SCRIPT", "LOAD", body);
      }
      expect(await client.call("EVAL", "return 'evaluated'", "0")).toBe("evaluated");
      const scripts = await memoryInfo(client);
      expectConsistent(scripts);
      expect(figure(scripts, "number_of_cached_scripts")).toBe(
        figure(before, "number_of_cached_scripts") + 41,
      );
      const bodyBytes = bodies.reduce((n, b) => n + b.length, 0);
      expect(
        figure(scripts, "used_memory_scripts_eval") - figure(before, "used_memory_scripts_eval"),
      ).toBeGreaterThan(bodyBytes);
      expect(figure(scripts, "used_memory_vm_eval")).toBeGreaterThan(figure(before, "used_memory_vm_eval"));

      // A library: counted, its code measured, and the table it keeps shows in the functions' heap.
      expect(await client.call("FUNCTION", "LOAD", LIBRARY)).toBe("tallies");
      const loaded = await memoryInfo(client);
      expectConsistent(loaded);
      expect(figure(loaded, "number_of_libraries")).toBe(figure(before, "number_of_libraries") + 1);
      expect(figure(loaded, "number_of_functions")).toBe(figure(before, "number_of_functions") + 2);
      expect(
        figure(loaded, "used_memory_functions") - figure(scripts, "used_memory_functions"),
      ).toBeGreaterThan(LIBRARY.length);
      // 2000 strings of about 20 bytes stay reachable from the library.
      expect(
        figure(loaded, "used_memory_vm_functions") - figure(scripts, "used_memory_vm_functions"),
      ).toBeGreaterThan(40_000);

      await client.call("FUNCTION", "FLUSH");
      await client.call("SCRIPT", "FLUSH");
      const flushed = await memoryInfo(client);
      expectConsistent(flushed);
      expect(figure(flushed, "number_of_cached_scripts")).toBe(0);
      expect(figure(flushed, "number_of_libraries")).toBe(0);
      expect(figure(flushed, "used_memory_scripts_eval")).toBe(0);
      expect(figure(flushed, "used_memory_functions")).toBeLessThan(figure(loaded, "used_memory_functions"));
      // redis-server's functions VM gives its memory back at its next collection;
      // Spinel's share is what the loaded libraries hold, none once they are gone.
      if (client === clients[0]) expect(figure(flushed, "used_memory_vm_functions")).toBe(0);
    }
  });

  it("MEMORY STATS lua.caches and functions.caches follow the same figures", async () => {
    for (const client of clients) {
      await client.call("SCRIPT", "LOAD", "return 'memory stats'");
      await client.call("FUNCTION", "LOAD", LIBRARY);
      const stats = (await client.call("MEMORY", "STATS")) as unknown[];
      const statOf = (name: string) => Number(stats[stats.indexOf(name) + 1]);
      const fields = await memoryInfo(client);
      expect(statOf("lua.caches")).toBe(figure(fields, "used_memory_scripts_eval"));
      expect(statOf("functions.caches")).toBe(figure(fields, "used_memory_functions"));
      expect(statOf("lua.caches")).toBeGreaterThan(0);
      await client.call("FUNCTION", "FLUSH");
      await client.call("SCRIPT", "FLUSH");
    }
  });
});
