/*
 * BullMQ 6 (its Lua scripts, unchanged) against Spinel and redis-server 7.0.
 *
 * - The stream-free part of BullMQ runs on both servers with the same outcome:
 *   loading its ~65 scripts with EVALSHA/EVAL, getJobCounts, getJobs, count,
 *   getMetrics, isPaused, getJobState on an empty and on a hand-built queue
 *   (obliterate pauses the queue first, which XADDs an event).
 * - The job life cycle (add, worker, priorities, retries with backoff, delayed
 *   jobs, rate limiting, job schedulers (repeatable jobs), flows, QueueEvents)
 *   goes through scripts that XADD to the queue's event stream: the same
 *   scenario, with the same expected outcome, on both servers.
 */

import { FlowProducer, Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { useServerPair } from "../support/client-comparison.js";
import type { TestServer } from "../support/servers.js";

const servers = useServerPair();

function connection(server: TestServer) {
  return { host: server.host, port: server.port, maxRetriesPerRequest: null };
}

async function flushed(server: TestServer): Promise<void> {
  const client = new Redis({ host: server.host, port: server.port });
  await client.flushall();
  await client.function("FLUSH");
  client.disconnect();
}

/** The parts of BullMQ whose scripts touch no stream. */
async function streamFreeScenario(server: TestServer) {
  await flushed(server);
  const queue = new Queue("stream-free", { connection: connection(server) });
  const client = new Redis({ host: server.host, port: server.port });
  try {
    const steps: unknown[] = [];
    steps.push(await queue.getJobCounts());
    steps.push(await queue.count());
    steps.push(await queue.isPaused());
    steps.push(await queue.getJobs(["waiting", "delayed", "completed"]));
    steps.push(await queue.getMetrics("completed"));
    // A waiting job written by hand, as BullMQ lays it out, then read back through its scripts.
    await client.hset(
      "bull:stream-free:7",
      "name",
      "manual",
      "data",
      "{}",
      "opts",
      "{}",
      "timestamp",
      "1",
      "delay",
      "0",
      "priority",
      "0",
    );
    await client.lpush("bull:stream-free:wait", "7");
    steps.push(await queue.getJobCounts("waiting", "active"));
    const jobs = await queue.getJobs(["waiting"]);
    steps.push(jobs.map((job) => [job.id, job.name, job.data]));
    steps.push(await queue.getJobState("7"));
    steps.push((await client.keys("bull:stream-free:*")).sort());
    return steps;
  } finally {
    client.disconnect();
    await queue.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The job life cycle; the result is deterministic (orders and counts, no timings). */
async function lifecycleScenario(server: TestServer) {
  await flushed(server);
  const conn = connection(server);
  const queue = new Queue("life", { connection: conn });
  const events = new QueueEvents("life", { connection: conn });
  await events.waitUntilReady();
  const completedEvents: string[] = [];
  events.on("completed", ({ jobId }) => completedEvents.push(jobId));
  const order: string[] = [];
  const attempts = new Map<string, number>();
  try {
    // Priorities: added before the worker starts, processed by priority.
    await queue.add("low", { n: 1 }, { priority: 10, jobId: "p-low" });
    await queue.add("high", { n: 2 }, { priority: 1, jobId: "p-high" });
    await queue.add("mid", { n: 3 }, { priority: 5, jobId: "p-mid" });
    // Retries with backoff, and a delayed job.
    await queue.add("flaky", {}, { attempts: 3, backoff: { type: "fixed", delay: 50 }, jobId: "flaky" });
    await queue.add("later", {}, { delay: 300, jobId: "later" });
    const worker = new Worker(
      "life",
      async (job) => {
        order.push(job.id!);
        const n = (attempts.get(job.id!) ?? 0) + 1;
        attempts.set(job.id!, n);
        if (job.name === "flaky" && n < 3) throw new Error(`fail ${n}`);
        return { done: job.id };
      },
      { connection: conn, concurrency: 1, limiter: { max: 5, duration: 1000 } },
    );
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await queue.getCompletedCount()) < 5) await sleep(50);
    // A flow: the parent completes after its children.
    const flows = new FlowProducer({ connection: conn });
    await flows.add({
      name: "parent",
      queueName: "life",
      opts: { jobId: "parent" },
      children: [
        { name: "child", queueName: "life", data: { c: 1 }, opts: { jobId: "child-1" } },
        { name: "child", queueName: "life", data: { c: 2 }, opts: { jobId: "child-2" } },
      ],
    });
    while (Date.now() < deadline && (await queue.getCompletedCount()) < 8) await sleep(50);
    // A job scheduler (repeatable job) producing at least two jobs.
    await queue.upsertJobScheduler("every-100", { every: 100 }, { name: "tick", data: {} });
    while (Date.now() < deadline && (await queue.getCompletedCount()) < 10) await sleep(50);
    await queue.removeJobScheduler("every-100");
    await worker.close();
    await flows.close();
    const parent = await queue.getJob("parent");
    const flaky = await queue.getJob("flaky");
    return {
      priorityOrder: order.filter((id) => id.startsWith("p-")),
      flakyAttempts: attempts.get("flaky"),
      flakyMade: flaky?.attemptsMade,
      laterAfterPriorities: order.indexOf("later") > order.indexOf("p-low"),
      parentAfterChildren:
        order.indexOf("parent") > Math.max(order.indexOf("child-1"), order.indexOf("child-2")),
      parentChildren: Object.keys((await parent?.getChildrenValues()) ?? {}).sort(),
      ticks: order.filter((id) => id.startsWith("repeat:")).length >= 2,
      completedAtLeast: (await queue.getCompletedCount()) >= 10,
      completedEventsSeen: ["p-high", "flaky", "parent"].every((id) => completedEvents.includes(id)),
    };
  } finally {
    await events.close();
    await queue.close();
  }
}

describe("BullMQ", () => {
  it("stream-free scripts: the same outcome on Spinel and redis-server", async () => {
    const spinel = await streamFreeScenario(servers.spinel);
    const redis = await streamFreeScenario(servers.redis);
    expect(spinel).toEqual(redis);
    expect(spinel[5]).toEqual({ waiting: 1, active: 0 });
  });

  it("job life cycle: priorities, retries with backoff, delayed, rate limit, flows, schedulers, events", async () => {
    const expected = {
      priorityOrder: ["p-high", "p-mid", "p-low"],
      flakyAttempts: 3,
      flakyMade: 3,
      laterAfterPriorities: true,
      parentAfterChildren: true,
      parentChildren: ["bull:life:child-1", "bull:life:child-2"],
      ticks: true,
      completedAtLeast: true,
      completedEventsSeen: true,
    };
    expect(await lifecycleScenario(servers.redis)).toEqual(expected);
    expect(await lifecycleScenario(servers.spinel)).toEqual(expected);
  }, 60_000);
});
