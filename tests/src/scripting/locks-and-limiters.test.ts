/*
 * Libraries built on Lua scripts, run unchanged against Spinel and against
 * redis-server 7.0 with the same outcome:
 * - rate-limiter-flexible's RateLimiterRedis (ioredis, its defineCommand'ed
 *   EVALSHA/EVAL increment-with-TTL script): consume until the limit, the
 *   rejection with its remaining points, penalty, reward, get, delete, block;
 * - @sesamecare-oss/redlock: acquire, contention (a second acquire fails while
 *   the lock is held), extend, release, acquire after release, using().
 * Timing-dependent values (msBeforeNext, expiration) are compared by range.
 */

import { ExecutionError, Redlock } from "@sesamecare-oss/redlock";
import type { Redis } from "ioredis";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { connectIoredis, useServerPair } from "../support/client-comparison.js";

const servers = useServerPair();

/** A rate limiter outcome without its clock-dependent part. */
function outcome(result: unknown): unknown {
  if (result instanceof Error) return `error: ${result.message}`;
  const res = result as {
    remainingPoints: number;
    consumedPoints: number;
    isFirstInDuration: boolean;
    msBeforeNext: number;
  } | null;
  if (res === null) return null;
  return {
    remainingPoints: res.remainingPoints,
    consumedPoints: res.consumedPoints,
    isFirstInDuration: res.isFirstInDuration,
    msBeforeNextPositive: res.msBeforeNext > 0,
  };
}

async function settleOutcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return outcome(await promise);
  } catch (error) {
    return { rejected: outcome(error) };
  }
}

async function rateLimiterScenario(client: Redis) {
  const limiter = new RateLimiterRedis({ storeClient: client, keyPrefix: "rl", points: 3, duration: 10 });
  const steps: unknown[] = [];
  for (let i = 0; i < 5; i++) steps.push(await settleOutcome(limiter.consume("user-1")));
  steps.push(await settleOutcome(limiter.consume("user-2", 2)));
  steps.push(await settleOutcome(limiter.penalty("user-2", 1)));
  steps.push(await settleOutcome(limiter.reward("user-2", 2)));
  steps.push(await settleOutcome(limiter.get("user-2")));
  steps.push(await settleOutcome(limiter.get("nobody")));
  steps.push(await limiter.delete("user-2"));
  steps.push(await settleOutcome(limiter.get("user-2")));
  steps.push(await settleOutcome(limiter.block("user-3", 5)));
  steps.push(await settleOutcome(limiter.consume("user-3")));
  const ttl = await client.pttl("rl:user-1");
  steps.push(ttl > 0 && ttl <= 10_000);
  return steps;
}

async function redlockScenario(client: Redis) {
  const redlock = new Redlock([client], { retryCount: 0, driftFactor: 0.01 });
  const steps: unknown[] = [];
  const lock = await redlock.acquire(["res:a", "res:b"], 5000);
  steps.push(lock.resources, (await client.pttl("res:a")) > 4000);
  try {
    await redlock.acquire(["res:b"], 5000);
    steps.push("second acquire succeeded");
  } catch (error) {
    steps.push(error instanceof ExecutionError ? "contention: ExecutionError" : String(error));
  }
  const extended = await lock.extend(20_000);
  steps.push((await client.pttl("res:a")) > 10_000, extended.value === lock.value);
  const released = await extended.release();
  steps.push(released.attempts.length, await client.exists("res:a", "res:b"));
  const again = await redlock.acquire(["res:b"], 1000);
  steps.push(again.resources);
  await again.release();
  // A release by a holder whose value no longer matches deletes nothing.
  await client.set("res:c", "someone-else", "PX", 5000);
  const foreign = await redlock.acquire(["res:d"], 5000);
  await client.set("res:d", "stolen", "PX", 5000);
  try {
    await foreign.release();
    steps.push("foreign release succeeded");
  } catch (error) {
    steps.push(error instanceof ExecutionError ? "foreign release: ExecutionError" : String(error));
  }
  steps.push(await client.get("res:d"));
  steps.push(await redlock.using(["res:e"], 2000, async (signal) => (signal.aborted ? "aborted" : "ran")));
  return steps;
}

describe("rate-limiter-flexible", () => {
  it("RateLimiterRedis behaves the same on Spinel and redis-server", async () => {
    const { spinel, redis } = await servers.onBoth(connectIoredis, rateLimiterScenario);
    expect(spinel).toEqual(redis);
    expect(spinel[3]).toEqual({
      rejected: {
        remainingPoints: 0,
        consumedPoints: 4,
        isFirstInDuration: false,
        msBeforeNextPositive: true,
      },
    });
  });
});

describe("@sesamecare-oss/redlock", () => {
  it("acquire, contention, extend, release, using: the same on Spinel and redis-server", async () => {
    const { spinel, redis } = await servers.onBoth(connectIoredis, redlockScenario);
    expect(spinel).toEqual(redis);
    expect(spinel[2]).toBe("contention: ExecutionError");
  });
});
