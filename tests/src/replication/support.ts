/*
 * Helpers of the replication tests: INFO replication as fields, waiting (with a
 * bound) until a replica has caught up with its primary, and datasets compared
 * key by key with their TTLs.
 */

import { Redis } from "ioredis";

/** INFO <section> as a field -> value map. */
export async function infoFields(client: Redis, section = "replication"): Promise<Map<string, string>> {
  const text = await client.info(section);
  const fields = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

/** Poll `check` every 50 ms until it returns true, for at most `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Wait until the replica's link is up and it processed the primary's whole stream. */
export async function waitCaughtUp(primary: Redis, replica: Redis, timeoutMs = 20_000): Promise<void> {
  await waitUntil(
    "the replica to catch up",
    async () => {
      const p = await infoFields(primary);
      const r = await infoFields(replica);
      return (
        r.get("master_link_status") === "up" &&
        r.get("master_sync_in_progress") === "0" &&
        r.get("slave_repl_offset") === p.get("master_repl_offset")
      );
    },
    timeoutMs,
  );
}

/** A client on 127.0.0.1:port that does not retry. */
export function connect(port: number): Redis {
  return new Redis({
    port,
    host: "127.0.0.1",
    lazyConnect: false,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
  });
}

/**
 * Writes of every type and of the commands that rewrite what they propagate
 * (relative TTLs, INCRBYFLOAT, SPOP, blocking pops, MULTI/EXEC, expiry), in
 * databases 0 and 7. Deterministic for a seed.
 */
export async function streamWrites(client: Redis, seed: number): Promise<void> {
  await client.select(7);
  const p = client.multi();
  p.set(`s:${seed}`, `v${seed}`);
  p.incr(`n:${seed}`);
  p.incrbyfloat(`f:${seed}`, "1.5");
  p.rpush(`l:${seed}`, "a", "b", "c");
  p.lpop(`l:${seed}`);
  p.hset(`h:${seed}`, "x", "1", "y", "2");
  p.hdel(`h:${seed}`, "y");
  p.sadd(`set:${seed}`, "a", "b", "c", "d");
  p.spop(`set:${seed}`);
  p.zadd(`z:${seed}`, "1", "a", "2", "b");
  p.zincrby(`z:${seed}`, "5", "a");
  p.expire(`s:${seed}`, 1000);
  p.set(`px:${seed}`, "soon", "PX", 100_000);
  await p.exec();
  await client.select(0);
  await client.setex(`ex:${seed}`, 5000, "x");
  await client.set(`gone:${seed}`, "y");
  await client.del(`gone:${seed}`);
  await client.setbit(`bits:${seed}`, 100, 1);
  await client.pfadd(`hll:${seed}`, "a", "b");
  await client.lmove(`l:${seed}`, `l2:${seed}`, "LEFT", "RIGHT");
  await client.copy(`h:${seed}`, `hcopy:${seed}`);
}
