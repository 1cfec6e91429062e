/*
 * A small world for blocking scenarios: named raw connections to one server,
 * commands sent without waiting for their reply (a blocked client has none yet),
 * replies read later, and a way to wait until the server reports a number of
 * blocked clients, so "client A blocked before client B" is a fact, not a race.
 *
 * The same scenario function runs against redis-server and against Spinel; the
 * transcripts it returns must be equal (and match what the test expects).
 */

import { RawClient } from "../support/raw-client.js";
import { encodeCommand, showReply } from "../support/resp-frames.js";

/** Named connections to one server. */
export class BlockingWorld {
  private readonly port: number;
  private readonly clients = new Map<string, RawClient>();
  /** Replies collected by the scenario, in the order it recorded them. */
  readonly transcript: string[] = [];

  constructor(port: number) {
    this.port = port;
  }

  /** The connection called `name` (opened on first use). */
  async client(name: string): Promise<RawClient> {
    let client = this.clients.get(name);
    if (client === undefined) {
      client = await RawClient.connect(this.port);
      this.clients.set(name, client);
    }
    return client;
  }

  /** Send a command on `name` without waiting for its reply. */
  async send(name: string, ...argv: string[]): Promise<void> {
    (await this.client(name)).write(encodeCommand(argv));
  }

  /** Send a command on `name`, wait for its reply and return it readable. */
  async call(name: string, ...argv: string[]): Promise<string> {
    return showReply(await (await this.client(name)).call(...argv));
  }

  /** Send, wait and record the reply in the transcript as "name: reply". */
  async record(name: string, ...argv: string[]): Promise<void> {
    this.transcript.push(`${name}: ${await this.call(name, ...argv)}`);
  }

  /** Read the next reply of `name` (one sent earlier) and record it. */
  async recordReply(name: string, timeoutMs = 5000): Promise<void> {
    const frame = await (await this.client(name)).read(timeoutMs);
    this.transcript.push(`${name}: ${showReply(frame)}`);
  }

  /** True when `name` has no reply waiting within `ms` (it is still blocked). */
  async silentFor(name: string, ms: number): Promise<boolean> {
    try {
      await (await this.client(name)).read(ms);
      return false;
    } catch {
      return true;
    }
  }

  /** The server's INFO blocked_clients, asked on a connection of its own. */
  async blockedClients(): Promise<number> {
    const info = (await (await this.client("__info")).call("INFO", "clients")).toString("latin1");
    const match = /blocked_clients:(\d+)/.exec(info);
    if (match === null) throw new Error(`no blocked_clients in INFO: ${info}`);
    return Number(match[1]);
  }

  /** Wait until the server reports exactly `count` blocked clients. */
  async waitBlocked(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const blocked = await this.blockedClients();
      if (blocked === count) return;
      if (Date.now() > deadline)
        throw new Error(`expected ${count} blocked clients, server reports ${blocked}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Close the connection `name` (a client that goes away). */
  drop(name: string): void {
    this.clients.get(name)?.close();
    this.clients.delete(name);
  }

  /** Close every connection. */
  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** A scenario: drives a world and records what it sees. */
export type BlockingScenario = (world: BlockingWorld) => Promise<void>;

/** Run `scenario` on a fresh world on `port` (after FLUSHALL) and return its transcript. */
export async function runBlockingScenario(port: number, scenario: BlockingScenario): Promise<string[]> {
  const world = new BlockingWorld(port);
  try {
    await world.call("__setup", "FLUSHALL");
    await scenario(world);
    return world.transcript;
  } finally {
    world.close();
  }
}
