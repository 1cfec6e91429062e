/*
 * Giving the young generation back once the server is quiet.
 *
 * V8 allocates every new object in its young generation: two semi-spaces that
 * start at about 1 MB together and double while objects keep surviving, up to
 * 32 MB on 64-bit Node. A write burst (a bulk load, a restore, a cache warm-up)
 * grows it to the maximum, and V8 only shrinks it again at a scavenge that sees
 * a low allocation rate since the previous collection. A quiet server allocates
 * almost nothing, so no scavenge ever comes: the 32 MB stay resident for as long
 * as the process lives, which is more than 100k small keys take.
 *
 * YoungGenerationTrimmer supplies the missing scavenge. From the cron, every
 * TRIM_INTERVAL_MS it looks at how many commands ran since its last look; when
 * the server was quiet for the whole interval, no background work (a snapshot
 * for BGSAVE, an AOF rewrite or a full sync, or a load) is running, and the
 * young generation is above TRIM_ABOVE_BYTES, it runs one scavenge. The first scavenge after a burst
 * still counts the burst's tail as recent allocation, the next one, an interval
 * later, sees the quiet rate, and V8 then shrinks the semi-spaces back to their
 * starting size (start-up itself may have grown them already). Under load it never runs, so throughput keeps the full-size young
 * generation; the next burst grows it again.
 *
 * After a whole dataset is loaded (start-up, DEBUG RELOAD, a replica's full
 * sync), the young generation holds the last few megabytes of loaded keys. The
 * first two scavenges of normal service would copy them (once within the young
 * generation, once into the old one): pauses of several milliseconds that land
 * on whatever runs next, a BGSAVE's probe or a client's command.
 * promoteLoadedData() runs those two scavenges at the end of the load instead,
 * while the server is still loading and clients wait anyway.
 *
 * A scavenge needs V8's gc() function. The standalone server enables it for
 * itself (node's --expose-gc flag, set at run time, then read from a fresh
 * context). Embedded servers do not trim unless created with
 * trimYoungGeneration: the host's heap and flags are not ours to change.
 */

import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** How often the trimmer looks, and how long the server must have been quiet. */
export const TRIM_INTERVAL_MS = 3_000;
/**
 * At most this many commands per second still count as quiet: about a tenth of
 * the allocation rate (1 MB/s) under which V8 agrees to shrink, at roughly 1 KB
 * of garbage per command.
 */
export const QUIET_COMMANDS_PER_SECOND = 100;
/** A young generation at or below this size is left alone (V8 starts at about 1 MB). */
export const TRIM_ABOVE_BYTES = 4 * 1024 * 1024;

/** V8's gc() with the options of its gc extension. */
type CollectGarbage = (options?: { type?: "minor" | "major"; execution?: "sync" | "async" }) => void;

/**
 * The process' gc() function: the global one when node runs with --expose-gc,
 * otherwise one obtained by setting that flag at run time and reading gc from a
 * new context. undefined when neither works.
 */
export function garbageCollector(): CollectGarbage | undefined {
  const global = (globalThis as { gc?: CollectGarbage }).gc;
  if (typeof global === "function") return global;
  try {
    setFlagsFromString("--expose-gc");
    const collect = runInNewContext("gc") as unknown;
    return typeof collect === "function" ? (collect as CollectGarbage) : undefined;
  } catch {
    return undefined;
  }
}

/** Committed bytes of V8's young generation (both semi-spaces). */
export function youngGenerationBytes(): number {
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === "new_space") return space.space_size;
  }
  return 0;
}

/**
 * Run two scavenges now, so that every object alive in the young generation
 * (the tail of a dataset just loaded) is moved to the old generation: the
 * first scavenge copies survivors within the young generation, the second
 * promotes them. Returns the milliseconds it took. Call it only where clients
 * wait anyway (the end of a load), since it pauses the thread.
 */
export function promoteLoadedData(collect: CollectGarbage): number {
  const started = performance.now();
  collect({ type: "minor" });
  collect({ type: "minor" });
  return performance.now() - started;
}

/** Scavenges the young generation back to its starting size when the server is quiet (see the file header). */
export class YoungGenerationTrimmer {
  private readonly collect: CollectGarbage;
  private readonly commandsProcessed: () => number;
  private readonly backgroundWork: () => boolean;
  private lastLook = 0;
  private commandsAtLastLook = 0;

  /**
   * `commandsProcessed` reads the server's command counter; `backgroundWork`
   * says whether a snapshot or a load is running (a scavenge then would copy its
   * live buffers and stall clients, and V8 would not shrink at that allocation
   * rate anyway); `now` is the wall-clock time in ms.
   */
  constructor(
    collect: CollectGarbage,
    commandsProcessed: () => number,
    backgroundWork: () => boolean,
    now: number,
  ) {
    this.collect = collect;
    this.commandsProcessed = commandsProcessed;
    this.backgroundWork = backgroundWork;
    this.lastLook = now;
    this.commandsAtLastLook = commandsProcessed();
  }

  /**
   * Called from the cron with the wall-clock time in ms (Date.now()). At most once per
   * TRIM_INTERVAL_MS: when fewer than QUIET_COMMANDS_PER_SECOND commands per
   * second ran since the last look, no background work runs, and the young
   * generation is over TRIM_ABOVE_BYTES, runs one scavenge (a pause of about a millisecond on a quiet
   * server: only live young objects are copied). Returns true when it scavenged.
   */
  tick(now: number): boolean {
    const elapsed = now - this.lastLook;
    if (elapsed < TRIM_INTERVAL_MS) return false;
    const commands = this.commandsProcessed();
    const ran = commands - this.commandsAtLastLook;
    this.lastLook = now;
    this.commandsAtLastLook = commands;
    if (ran > (QUIET_COMMANDS_PER_SECOND * elapsed) / 1000) return false;
    if (this.backgroundWork()) return false;
    if (youngGenerationBytes() <= TRIM_ABOVE_BYTES) return false;
    this.collect({ type: "minor" });
    return true;
  }
}
