/*
 * Parse throughput of @spinel/resp against redis-parser 3.0.0, on the same bytes
 * in the same run:
 *   (a) a pipelined SET/GET request stream: RequestParser vs redis-parser,
 *   (b) a reply stream (bulk, integer, simple, null, arrays): ReplyDecoder vs redis-parser.
 * Like is compared with like: both sides return bulks as Buffer views into the
 * chunks (argumentViews / bulkViews vs returnBuffers). The streams are cut into
 * 64 KB chunks, as socket reads deliver them, so frames straddle chunk ends.
 * Rounds alternate between the contenders. Time is this process's CPU time
 * (user + system), not wall time: the machines are shared, and time spent waiting
 * for a core is nobody's parsing. Each contender reports its best round (the
 * least disturbed by neighbours) and its median round, and the ratios of both.
 *
 * Run: pnpm --filter @spinel/resp bench
 */

import RedisParser from "redis-parser";
import { encodeCommand, ReplyDecoder, RequestParser } from "../src/index.js";

const CHUNK = 64 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);

// ------------------------------------------------------------------ streams

/** A deterministic pseudo-random sequence, so every run parses the same bytes. */
function* randomSequence(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    yield state;
  }
}

function requestStream(commands: number): Buffer {
  const random = randomSequence(1);
  const parts: Buffer[] = [];
  for (let i = 0; i < commands; i++) {
    const key = `key:${random.next().value % 100_000}`;
    if (i % 2 === 0) {
      const value = Buffer.alloc(8 + (random.next().value % 120), 0x78);
      parts.push(encodeCommand(["SET", key, value]));
    } else {
      parts.push(encodeCommand(["GET", key]));
    }
  }
  return Buffer.concat(parts);
}

function bulk(length: number): string {
  return `$${length}\r\n${"v".repeat(length)}\r\n`;
}

function replyStream(replies: number): Buffer {
  const random = randomSequence(2);
  const parts: string[] = [];
  for (let i = 0; i < replies; i++) {
    switch (random.next().value % 6) {
      case 0:
        parts.push("+OK\r\n");
        break;
      case 1:
        parts.push(`:${random.next().value % 1_000_000}\r\n`);
        break;
      case 2:
        parts.push(bulk(8 + (random.next().value % 120)));
        break;
      case 3:
        parts.push("$-1\r\n");
        break;
      default: {
        const count = 2 + (random.next().value % 9);
        let array = `*${count}\r\n`;
        for (let j = 0; j < count; j++)
          array += j % 3 === 2 ? `:${j}\r\n` : bulk(4 + (random.next().value % 40));
        parts.push(array);
      }
    }
  }
  return Buffer.from(parts.join(""), "latin1");
}

function chunked(stream: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += CHUNK) chunks.push(stream.subarray(at, at + CHUNK));
  return chunks;
}

// ------------------------------------------------------------------ contenders

/** Parse all chunks once; returns the number of top-level frames. */
type Contender = (chunks: readonly Buffer[]) => number;

const spinelRequests: Contender = (chunks) => {
  const parser = new RequestParser({ argumentViews: true });
  let frames = 0;
  for (const chunk of chunks) {
    parser.feed(chunk);
    while (parser.next() !== null) frames++;
  }
  return frames;
};

const spinelRequestsCopying: Contender = (chunks) => {
  const parser = new RequestParser();
  let frames = 0;
  for (const chunk of chunks) {
    parser.feed(chunk);
    while (parser.next() !== null) frames++;
  }
  return frames;
};

const spinelReplies: Contender = (chunks) => {
  const decoder = new ReplyDecoder({ bulkViews: true });
  let frames = 0;
  for (const chunk of chunks) {
    decoder.feed(chunk);
    while (decoder.next() !== undefined) frames++;
  }
  return frames;
};

const redisParser: Contender = (chunks) => {
  let frames = 0;
  const parser = new RedisParser({
    returnBuffers: true,
    returnReply: () => {
      frames++;
    },
    returnError: () => {
      frames++;
    },
  });
  for (const chunk of chunks) parser.execute(chunk);
  return frames;
};

// ------------------------------------------------------------------ measuring

interface Result {
  name: string;
  best: number;
  median: number;
  frames: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Run the contenders in alternating rounds on the same chunks; median time of each. */
function race(chunks: readonly Buffer[], contenders: Record<string, Contender>): Result[] {
  const names = Object.keys(contenders);
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  const frames = new Map<string, number>();
  for (const name of names) contenders[name]!(chunks); // warm up
  for (const name of names) contenders[name]!(chunks);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const start = process.cpuUsage();
      frames.set(name, contenders[name]!(chunks));
      const used = process.cpuUsage(start);
      times.get(name)!.push((used.user + used.system) / 1e6);
    }
  }
  return names.map((name) => ({
    name,
    best: Math.min(...times.get(name)!),
    median: median(times.get(name)!),
    frames: frames.get(name)!,
  }));
}

function report(title: string, bytes: number, results: Result[], ours: string, theirs: string): void {
  console.log(
    `\n${title} (${(bytes / 1e6).toFixed(1)} MB, ${results[0]!.frames} frames, ${CHUNK / 1024} KB chunks)`,
  );
  console.log(`  ${"".padEnd(34)} ${"best round".padStart(24)}   ${"median round".padStart(24)}`);
  const rate = (seconds: number, frames: number) =>
    `${(bytes / 1e6 / seconds).toFixed(1).padStart(7)} MB/s ${(frames / seconds / 1e6).toFixed(2).padStart(5)} Mf/s`;
  for (const result of results) {
    console.log(
      `  ${result.name.padEnd(34)} ${rate(result.best, result.frames)}   ${rate(result.median, result.frames)}`,
    );
  }
  const find = (name: string) => results.find((result) => result.name === name)!;
  const best = find(theirs).best / find(ours).best;
  const middle = find(theirs).median / find(ours).median;
  console.log(`  ratio ${ours} / ${theirs}: ${best.toFixed(2)}x (best), ${middle.toFixed(2)}x (median)`);
  const counts = new Set(results.map((result) => result.frames));
  if (counts.size !== 1) throw new Error(`contenders disagree on the frame count: ${[...counts].join(", ")}`);
}

const requests = requestStream(200_000);
report(
  "(a) pipelined SET/GET requests",
  requests.length,
  race(chunked(requests), {
    "RequestParser (argumentViews)": spinelRequests,
    "redis-parser (returnBuffers)": redisParser,
    "RequestParser (copying arguments)": spinelRequestsCopying,
  }),
  "RequestParser (argumentViews)",
  "redis-parser (returnBuffers)",
);

const replies = replyStream(200_000);
report(
  "(b) reply stream",
  replies.length,
  race(chunked(replies), {
    "ReplyDecoder (bulkViews)": spinelReplies,
    "redis-parser (returnBuffers)": redisParser,
  }),
  "ReplyDecoder (bulkViews)",
  "redis-parser (returnBuffers)",
);
