#!/usr/bin/env node
/*
 * BullMQ jobs per second on Spinel and on redis-server 7, in the same run.
 *
 * BullMQ drives Redis almost entirely through Lua scripts (addJob, moveToActive,
 * moveToFinished ...), so this measures the scripting path under a real job
 * queue. Each server is started in its own process (Spinel from
 * apps/server/dist/main.js, built by `pnpm bench`'s build step), in memory, on a
 * free loopback port. For each server, alternately and for several rounds:
 *   add      JOBS jobs with Queue.addBulk in batches of BATCH (jobs added / s);
 *   process  a Worker (concurrency CONCURRENCY, a no-op processor, completed
 *            jobs removed) drains them (jobs completed / s, from the Worker's
 *            start to the last "completed" event).
 * The best round counts for each side (noise only slows runs down); the ratio is
 * Spinel / redis-server. The issue's target for scripting benches is 0.5x.
 *
 * Usage: node bench/bullmq.mjs    (BENCH_QUICK=1: fewer jobs, one round)
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue, Worker } from "bullmq";
import { freePort, waitForPong } from "../../apps/server/bench/support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const spinelMain = resolve(here, "../../apps/server/dist/main.js");

const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
const JOBS = quick ? 5_000 : 20_000;
const ROUNDS = quick ? 1 : 2;
const BATCH = 100;
const CONCURRENCY = 50;
const TARGET = 0.5;

/** Start one server process; returns { name, port, child }. */
async function startServer(name) {
  const port = await freePort();
  const common = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child =
    name === "spinel"
      ? spawn(process.execPath, [spinelMain, ...common, "--loglevel", "warning"], { stdio: "ignore" })
      : spawn("redis-server", common, { stdio: "ignore" });
  await waitForPong(port, child, name);
  return { name, port, child };
}

/** Add JOBS jobs to a fresh queue, then drain it with one Worker; returns jobs/s of both phases. */
async function runRound(server, round) {
  const connection = { host: "127.0.0.1", port: server.port, maxRetriesPerRequest: null };
  const queueName = `bench-${round}`;
  const queue = new Queue(queueName, { connection });
  await queue.waitUntilReady();
  const addStarted = performance.now();
  for (let start = 0; start < JOBS; start += BATCH) {
    const jobs = [];
    for (let i = start; i < Math.min(JOBS, start + BATCH); i++) {
      jobs.push({ name: "job", data: { i }, opts: { removeOnComplete: true } });
    }
    await queue.addBulk(jobs);
  }
  const addSeconds = (performance.now() - addStarted) / 1000;

  let completed = 0;
  let processStarted = 0;
  const drained = new Promise((resolveDrained, reject) => {
    const worker = new Worker(queueName, async () => null, {
      connection,
      concurrency: CONCURRENCY,
      autorun: false,
    });
    worker.on("completed", () => {
      completed++;
      if (completed === JOBS) resolveDrained(worker);
    });
    worker.on("error", reject);
    processStarted = performance.now();
    worker.run().catch(reject);
  });
  const worker = await drained;
  const processSeconds = (performance.now() - processStarted) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { add: JOBS / addSeconds, process: JOBS / processSeconds };
}

async function main() {
  if (!existsSync(spinelMain))
    throw new Error(`${spinelMain} is missing: build first (pnpm bench builds it)`);
  const servers = [await startServer("spinel"), await startServer("redis-server")];
  const best = new Map(servers.map((s) => [s.name, { add: 0, process: 0 }]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of servers) {
        const result = await runRound(server, round);
        const record = best.get(server.name);
        record.add = Math.max(record.add, result.add);
        record.process = Math.max(record.process, result.process);
        console.log(
          `round ${round + 1} ${server.name.padEnd(12)} add ${result.add.toFixed(0)} jobs/s, ` +
            `process ${result.process.toFixed(0)} jobs/s`,
        );
      }
    }
  } finally {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  }
  const spinel = best.get("spinel");
  const redis = best.get("redis-server");
  console.log(`\n| BullMQ (${JOBS} jobs) | spinel jobs/s | redis jobs/s | ratio |`);
  console.log("|---|---|---|---|");
  for (const phase of ["add", "process"]) {
    const ratio = spinel[phase] / redis[phase];
    console.log(
      `| ${phase} | ${spinel[phase].toFixed(0)} | ${redis[phase].toFixed(0)} | ${ratio.toFixed(2)}x${ratio >= TARGET ? "" : " !"} |`,
    );
  }
  console.log(`\nbest of ${ROUNDS} round(s); target >= ${TARGET}x ("!" = below target)`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
