import { EvictionPolicy } from "@spinel/core-db";
import { describe, expect, it } from "vitest";
import { ClientSession } from "./client-session.js";
import { processCommand } from "./dispatch.js";
import { allCommandSpecs } from "./index.js";
import { LoadingClient } from "./loading.js";
import { PropagationStream, type StreamConsumer } from "./propagation.js";
import { ServerState } from "./server-state.js";

/** A consumer that records what it receives, as text. */
class Recorder implements StreamConsumer {
  selectedDb = -1;
  readonly lines: string[] = [];
  append(argv: readonly Buffer[]): void {
    this.lines.push(argv.map((a) => a.toString("latin1")).join(" "));
  }
}

function args(...words: string[]): Buffer[] {
  return words.map((w) => Buffer.from(w, "latin1"));
}

function serverWithClock(): { state: ServerState; client: ClientSession; clock: { now: number } } {
  const state = new ServerState({ specs: allCommandSpecs });
  const clock = { now: 1_700_000_000_000 };
  state.keyspace.clock = { now: () => clock.now };
  const client = new ClientSession(state, null);
  return { state, client, clock };
}

function run(client: ClientSession, ...words: string[]): void {
  processCommand(client, args(...words));
  client.reply.discard();
}

describe("PropagationStream", () => {
  it("writes SELECT per consumer when the database changes", () => {
    const stream = new PropagationStream();
    const first = new Recorder();
    stream.addConsumer(first);
    stream.feed(0, args("SET", "a", "1"));
    stream.feed(0, args("SET", "b", "1"));
    stream.feed(3, args("SET", "c", "1"));
    const late = new Recorder();
    stream.addConsumer(late);
    stream.feed(3, args("DEL", "c"));
    expect(first.lines).toEqual(["SELECT 0", "SET a 1", "SET b 1", "SELECT 3", "SET c 1", "DEL c"]);
    expect(late.lines).toEqual(["SELECT 3", "DEL c"]);
    // A consumer that starts a new output asks for a SELECT again.
    first.selectedDb = -1;
    stream.feed(3, args("SET", "d", "1"));
    expect(first.lines.slice(-2)).toEqual(["SELECT 3", "SET d 1"]);
    stream.removeConsumer(late);
    stream.feed(3, args("SET", "e", "1"));
    expect(late.lines).toHaveLength(3);
    expect(stream.consumerCount).toBe(1);
  });

  it("is what call() feeds: rewrites, MULTI/EXEC units, expiry as DEL", () => {
    const { state, client, clock } = serverWithClock();
    const recorder = new Recorder();
    state.stream.addConsumer(recorder);
    run(client, "SET", "k", "v", "EX", "10");
    run(client, "MULTI");
    run(client, "INCR", "n");
    run(client, "INCR", "n");
    run(client, "EXEC");
    clock.now += 20_000;
    run(client, "GET", "k");
    expect(recorder.lines).toEqual([
      "SELECT 0",
      "SET k v PXAT 1700000010000",
      "MULTI",
      "INCR n",
      "INCR n",
      "EXEC",
      "DEL k",
    ]);
  });
});

describe("deletions no command asked for", () => {
  it("reach a listening consumer as DEL and are not built while none listens", () => {
    const { state, client } = serverWithClock();
    /** A recorder that, like a primary without a backlog, can stop listening. */
    const recorder = Object.assign(new Recorder(), { listening: false });
    state.stream.addConsumer(recorder);
    for (let i = 0; i < 100; i++) run(client, "SET", `k:${i}`, "x".repeat(100));
    // allkeys-random with no time budget: one round before the next command evicts down to the limit.
    state.settings.maxmemoryPolicy = EvictionPolicy.AllKeysRandom;
    state.settings.maxmemoryEvictionTenacity = 100;
    const limitAt = (keys: number) =>
      Math.floor(state.memory.usedMemory - (state.keyspace.usedMemory / state.keyspace.db(0).size) * keys);
    state.settings.maxmemory = limitAt(20);
    recorder.lines.length = 0;
    run(client, "PING");
    const quietEvictions = state.stats.evictedKeys;
    expect(quietEvictions).toBeGreaterThan(0);
    expect(recorder.lines).toEqual([]);

    recorder.listening = true;
    state.settings.maxmemory = limitAt(20);
    run(client, "PING");
    const heard = state.stats.evictedKeys - quietEvictions;
    expect(heard).toBeGreaterThan(0);
    const dels = recorder.lines.filter((line) => line.startsWith("DEL "));
    expect(dels.length).toBe(heard);
    for (const line of dels) {
      processCommand(client, args("EXISTS", line.slice(4)));
      expect(Buffer.concat(client.reply.drain()).toString("latin1")).toBe(":0\r\n");
    }
  });
});

describe("LoadingClient", () => {
  it("replays without propagating, replying or expiring, and keeps MULTI/EXEC whole", () => {
    const { state, clock } = serverWithClock();
    const recorder = new Recorder();
    state.stream.addConsumer(recorder);
    const loader = new LoadingClient(state);
    loader.begin();
    expect(loader.execute(args("SET", "a", "1", "PXAT", String(clock.now - 1)))).toBeNull();
    expect(loader.execute(args("SELECT", "2"))).toBeNull();
    expect(loader.execute(args("MULTI"))).toBeNull();
    expect(loader.execute(args("SET", "b", "1"))).toBeNull();
    expect(state.keyspace.db(2).size).toBe(0);
    expect(loader.inTransaction).toBe(true);
    expect(loader.execute(args("EXEC"))).toBeNull();
    expect(state.keyspace.db(2).size).toBe(1);
    // A transaction cut off by the end of the file is not applied.
    loader.execute(args("MULTI"));
    loader.execute(args("SET", "c", "1"));
    loader.discardTransaction();
    expect(loader.inTransaction).toBe(false);
    expect(state.keyspace.db(2).size).toBe(1);
    expect(state.keyspace.db(0).size).toBe(1);
    loader.end();
    expect(loader.session.reply.drain()).toEqual([]);
    expect(recorder.lines).toEqual([]);
    // After the load the key past its deadline expires, and that is propagated.
    expect(state.keyspace.db(0).lookupRead("a")).toBeUndefined();
    expect(recorder.lines).toEqual(["SELECT 0", "DEL a"]);
  });

  it("names what cannot be replayed", () => {
    const { state } = serverWithClock();
    const loader = new LoadingClient(state);
    expect(loader.execute(args("NOSUCH", "x"))).toBe("Unknown command 'NOSUCH'");
    expect(loader.execute(args("SET", "x"))).toBe("Wrong number of arguments for 'set'");
    // An error reply is not a reason to stop: redis-server ignores its loading client's replies.
    loader.execute(args("LPUSH", "s", "1"));
    expect(loader.execute(args("SADD", "s", "1"))).toBeNull();
  });
});
