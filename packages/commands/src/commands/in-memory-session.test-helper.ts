/*
 * An in-memory server for command tests: the real command table, gate and
 * call(), a pseudo-client whose replies are decoded from the RESP bytes the
 * ReplyWriter produced, a controllable clock, and recorders for what call()
 * propagates and for keyspace events. No sockets, no mocks of the code under
 * test.
 */

import type { Database } from "@spinel/core-db";
import { ClientSession } from "../client-session.js";
import { processCommand } from "../dispatch.js";
import { allCommandSpecs } from "../index.js";
import { ServerState } from "../server-state.js";

/** An error reply, decoded. */
export class ReplyError {
  constructor(readonly message: string) {}
}

/** A decoded reply: simple and bulk strings as latin1 text, integers as numbers (bigints beyond 2^53). */
export type Reply = string | number | bigint | null | ReplyError | Reply[];

/** One command call() handed to the propagator. */
export interface PropagatedCommand {
  db: number;
  argv: string[];
}

/** A server state with one client, a manual clock and recorders. */
export class InMemorySession {
  readonly state: ServerState;
  readonly client: ClientSession;
  /** Commands propagated (to the AOF and replicas), in order. */
  readonly propagated: PropagatedCommand[] = [];
  /** Keyspace events as "db:event:key" (keymiss excluded). */
  readonly events: string[] = [];
  /** The time the keyspace sees, in ms. */
  now = 1_700_000_000_000;

  constructor() {
    const propagated = this.propagated;
    this.state = new ServerState({
      specs: allCommandSpecs,
      propagator: {
        feed(db, argv) {
          propagated.push({ db, argv: argv.map((arg) => arg.toString("latin1")) });
        },
      },
    });
    this.state.keyspace.clock = { now: () => this.now };
    const events = this.events;
    this.state.keyspaceListeners.push({
      keyModified() {},
      databaseModified() {},
      keyExpired() {},
      keyspaceEvent(_eventClass, event, key, dbId) {
        if (event !== "keymiss") events.push(`${dbId}:${event}:${key}`);
      },
    });
    this.client = new ClientSession(this.state, null);
  }

  /** The client's selected database. */
  get db(): Database {
    return this.client.db;
  }

  /** Run one command through the gate and return its decoded reply. */
  run(...args: Array<string | Buffer>): Reply {
    const argv = args.map((arg) => (typeof arg === "string" ? Buffer.from(arg, "latin1") : arg));
    processCommand(this.client, argv);
    const bytes = Buffer.concat(this.client.reply.drain());
    const [reply, end] = decode(bytes, 0);
    if (end !== bytes.length)
      throw new Error(`expected one reply, got ${JSON.stringify(bytes.toString("latin1"))}`);
    return reply;
  }

  /** Forget what was propagated and which events were raised so far. */
  clearRecords(): void {
    this.propagated.length = 0;
    this.events.length = 0;
  }
}

/** Decode the RESP2/RESP3 value at `pos`; returns it and the offset after it. */
function decode(bytes: Buffer, pos: number): [Reply, number] {
  const type = String.fromCharCode(bytes[pos]!);
  const lineEnd = bytes.indexOf("\r\n", pos);
  if (lineEnd === -1) throw new Error("incomplete reply");
  const line = bytes.toString("latin1", pos + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
    case ",":
      return [line, next];
    case "-":
      return [new ReplyError(line), next];
    case ":":
    case "(": {
      const value = BigInt(line);
      return [value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value, next];
    }
    case "_":
      return [null, next];
    case "#":
      return [line === "t" ? 1 : 0, next];
    case "$":
    case "=": {
      const length = Number(line);
      if (length < 0) return [null, next];
      return [bytes.toString("latin1", next, next + length), next + length + 2];
    }
    case "*":
    case "~":
    case ">":
    case "%": {
      const count = Number(line);
      if (count < 0) return [null, next];
      const items: Reply[] = [];
      let at = next;
      for (let i = 0; i < (type === "%" ? count * 2 : count); i++) {
        const [item, end] = decode(bytes, at);
        items.push(item);
        at = end;
      }
      return [items, at];
    }
    default:
      throw new Error(`unexpected reply type ${type}`);
  }
}
