/*
 * What a big list costs the garbage collector, and what its hot operations cost.
 *
 * Builds a list of LIST_SIZE 3-byte elements the way LPUSH does (each element
 * pushed at the head from a view into a larger "socket chunk", which the list
 * must copy), then measures:
 *   - push: time per element and the garbage collection time spent meanwhile
 *     (from the "gc" performance entries),
 *   - a full garbage collection with the list alive: the marking work every
 *     other command pays for while the list exists,
 *   - LRANGE 0 99 (writeRange into a sink that copies the bytes, like a reply),
 *   - LINDEX at positions spread over the list (a walk over the nodes from the
 *     nearer end),
 *   - pop from the tail, again with the collection time spent meanwhile.
 * The last line is machine-independent: how many nodes hold the elements, and
 * so how many heap objects the list is made of.
 *
 * Run: pnpm --filter @spinel/core-db bench
 *   (node --conditions=@spinel/source --import tsx bench/list-push.ts)
 * BENCH_QUICK=1 builds a smaller list.
 */

import { PerformanceObserver } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ListEnd, RedisList } from "../src/types/list.js";

const LIST_SIZE = process.env.BENCH_QUICK ? 200_000 : 2_000_000;
const RANGE_READS = process.env.BENCH_QUICK ? 2_000 : 20_000;
const INDEX_READS = process.env.BENCH_QUICK ? 2_000 : 20_000;

setFlagsFromString("--expose-gc");
const fullGc = runInNewContext("gc") as () => void;

/** Milliseconds of garbage collection reported since the observer started. */
let gcMilliseconds = 0;
const observer = new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) gcMilliseconds += entry.duration;
});
observer.observe({ entryTypes: ["gc"] });

/** Sink that copies each element's bytes into a scratch buffer, as ReplyWriter does (a byte loop for short ones). */
class CopyingSink {
  private readonly scratch = Buffer.allocUnsafe(64 * 1024);
  bytes = 0;
  bulk(element: Buffer): void {
    this.bulkSlice(element, 0, element.length);
  }
  bulkSlice(source: Buffer, start: number, end: number): void {
    if (end - start <= 16) {
      const scratch = this.scratch;
      for (let i = start; i < end; i++) scratch[i - start] = source[i]!;
    } else {
      source.copy(this.scratch, 0, start, end);
    }
    this.bytes += end - start;
  }
}

/** Let pending "gc" performance entries arrive. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

function nanosecondsPer(start: bigint, operations: number): string {
  return (Number(process.hrtime.bigint() - start) / operations).toFixed(0);
}

async function main(): Promise<void> {
  // A request chunk holding many "xxx" arguments; each push gets a 3-byte view of it.
  const chunk = Buffer.alloc(64 * 1024, "x");
  const list = RedisList.create();
  fullGc();
  await settle();

  gcMilliseconds = 0;
  let start = process.hrtime.bigint();
  for (let i = 0; i < LIST_SIZE; i++) {
    const offset = (i * 3) % (chunk.length - 3);
    list.push(chunk.subarray(offset, offset + 3), ListEnd.Head);
  }
  const pushNs = nanosecondsPer(start, LIST_SIZE);
  await settle();
  const pushGc = gcMilliseconds;
  const memory = process.memoryUsage();

  gcMilliseconds = 0;
  start = process.hrtime.bigint();
  fullGc();
  const fullGcMs = Number(process.hrtime.bigint() - start) / 1e6;

  const sink = new CopyingSink();
  start = process.hrtime.bigint();
  for (let i = 0; i < RANGE_READS; i++) list.writeRange(0, 99, sink);
  const rangeNs = nanosecondsPer(start, RANGE_READS);

  // Positions spread over the list, far apart (no help from the cursor cache); one warm-up pass.
  let indexBytes = 0;
  for (let pass = 0; pass < 2; pass++) {
    indexBytes = 0;
    start = process.hrtime.bigint();
    for (let i = 0; i < INDEX_READS; i++) indexBytes += list.at((i * 7919 * 1031) % LIST_SIZE)!.length;
  }
  const indexNs = nanosecondsPer(start, INDEX_READS);

  const nodes = list.nodeTotal;
  await settle();
  gcMilliseconds = 0;
  start = process.hrtime.bigint();
  let popped = 0;
  while (list.length > 0) popped += list.pop(ListEnd.Tail)!.length;
  const popNs = nanosecondsPer(start, LIST_SIZE);
  await settle();
  const popGc = gcMilliseconds;
  observer.disconnect();

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(`list of ${LIST_SIZE} 3-byte elements, node ${process.version}`);
  console.log(`push (LPUSH)          ${pushNs} ns/element, GC during pushes ${pushGc.toFixed(0)} ms`);
  console.log(
    `memory with the list  heap used ${mb(memory.heapUsed)} MB, array buffers ${mb(memory.arrayBuffers)} MB, rss ${mb(memory.rss)} MB`,
  );
  console.log(`full GC, list alive   ${fullGcMs.toFixed(1)} ms`);
  console.log(`LRANGE 0 99           ${rangeNs} ns/call (${sink.bytes} bytes copied)`);
  console.log(`LINDEX anywhere       ${indexNs} ns/call (${indexBytes} bytes)`);
  console.log(
    `pop (RPOP)            ${popNs} ns/element, GC during pops ${popGc.toFixed(0)} ms (${popped} bytes)`,
  );
  console.log(`nodes                 ${nodes} (${(LIST_SIZE / nodes).toFixed(0)} elements per node)`);
}

await main();
